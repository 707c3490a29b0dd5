//! JSON input for a live plan, read by serde_json instead of the YAML layer.
//!
//! `kubectl get -o json` prints JSON, and the YAML layer reads JSON as YAML
//! to know where every node is, which a plan needs only for an error. It
//! is also slow on it: the YAML scanner keeps every token of a flow
//! collection at the root until the collection ends (a root `{` might still
//! turn out to be a key), so a `kind: List` of 100,000 pods is held whole
//! as tokens. serde_json reads the same text as it streams by, from the
//! file, a chunk at a time, without keeping the text: [`read_json`] hands
//! it one value at a time, each item of a List as soon as it is read, a
//! Pod built only in the shape a plan reads ([`super::shape`]).
//!
//! It does so only where it reads exactly what the YAML layer reads: it
//! gives up (and [`super::live::load`] reads the input again) on a float or
//! an integer out of 64 bits (resolved differently), a character beyond
//! U+FFFF (the YAML layer refuses an escaped surrogate pair), a repeated
//! key (an error to the YAML layer), a tab (which YAML refuses after a
//! `:`), more than one JSON value, or any error at all, whose message
//! needs positions.

use super::live::{self, Live};
use crate::cli::args::InputArgs;
use crate::cli::error::CliError;
use crate::reader::ItemSink;
use crate::source::{self, PathOrStdin, SourceFile};
use crate::yaml::PosNode;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::io::Read;

/// What [`load`] read.
pub enum Fast {
    Done(Live),
    /// The input needs [`live::load`]; standard input as read, if it was.
    Exact(Option<SourceFile>),
}

/// Reads the inputs of a live plan as [`live::load`] does, JSON inputs by
/// serde_json.
pub fn load(args: &InputArgs, namespace: &str) -> Result<Fast, CliError> {
    let mut live = Live {
        fast: true,
        ..Live::default()
    };
    // `--sidecarset` inputs are found once the `-f` inputs are read.
    for policy_only in [false, true] {
        let list = if policy_only {
            live::policy(args)?
        } else {
            live::named(args)?
        };
        // Standard input is read once per list, as `source::read_all` reads it.
        let mut stdin_read = false;
        for input in &list {
            match add(&mut live, input, policy_only, namespace, &mut stdin_read)? {
                Step::Added => {}
                // Standard input as first read: a later read found it at its end.
                Step::Exact(stdin) => return Ok(Fast::Exact(live.take_stdin().or(stdin))),
            }
        }
    }
    Ok(Fast::Done(live))
}

enum Step {
    Added,
    /// The input needs the exact reader; standard input, if this was it.
    Exact(Option<SourceFile>),
}

/// Reads one input into `live`.
fn add(
    live: &mut Live,
    input: &PathOrStdin,
    policy_only: bool,
    namespace: &str,
    stdin_read: &mut bool,
) -> Result<Step, CliError> {
    let path = match input {
        PathOrStdin::Stdin if *stdin_read => return Ok(Step::Added),
        PathOrStdin::Stdin => {
            *stdin_read = true;
            // Read whole: it cannot be read again. An error is the exact
            // reader's too, as every input before it was read.
            let Some(file) = source::read_all(std::slice::from_ref(input))?.pop() else {
                return Ok(Step::Exact(None));
            };
            if json_start(file.text.as_bytes()) != Some(true) || file.text.contains('\t') {
                return Ok(Step::Exact(Some(file)));
            }
            return Ok(
                match live.add_parsed(file, policy_only, namespace, |text, sink| {
                    read_json(text.as_bytes(), sink)
                }) {
                    Ok(()) => {
                        live.stdin = Some(live.inputs.files.len() - 1);
                        Step::Added
                    }
                    Err(file) => Step::Exact(Some(file)),
                },
            );
        }
        PathOrStdin::Path(p) => p,
    };
    let opened = if path.is_dir() {
        None
    } else {
        std::fs::File::open(path).ok()
    };
    let Some(mut file) = opened else {
        return Ok(Step::Exact(None));
    };
    // What `json_start` looks at: the start of the file, up to a character
    // other than a blank (or `HEAD` bytes of blanks).
    let mut head = Vec::new();
    let mut want = 1 << 12;
    loop {
        let more = (want - head.len()) as u64;
        let Ok(_) = (&mut file).take(more).read_to_end(&mut head) else {
            return Ok(Step::Exact(None));
        };
        if json_start(&head).is_some() || head.len() < want || want == HEAD {
            break;
        }
        want = (want * 16).min(HEAD);
    }
    let name = path.display().to_string();
    let added = if json_start(&head) == Some(true) {
        let file_name = SourceFile::new(name, String::new());
        live.add_parsed(file_name, policy_only, namespace, |_, sink| {
            read_json(head.as_slice().chain(file), sink)
        })
        .is_ok()
    } else {
        // YAML (or JSON after a long run of blanks): read whole, as the
        // exact reader reads it.
        match std::fs::read(path).map(|bytes| source::decode(&name, bytes)) {
            Ok(Ok(text)) => live
                .add(SourceFile::new(name, text), policy_only, namespace)
                .is_ok(),
            _ => false,
        }
    };
    Ok(if added {
        Step::Added
    } else {
        Step::Exact(None)
    })
}

/// Whether a text is JSON, as `reader::parse_stream` decides: its first
/// character after blanks and byte order marks opens an object or an
/// array. `None` when `head` holds only blanks.
fn json_start(head: &[u8]) -> Option<bool> {
    let mut rest = head;
    loop {
        match rest {
            [b' ' | b'\t' | b'\r' | b'\n', tail @ ..] | [0xEF, 0xBB, 0xBF, tail @ ..] => {
                rest = tail
            }
            [b'{' | b'[', ..] => return Some(true),
            [] => return None,
            _ => return Some(false),
        }
    }
}

/// The JSON text of `inner` without the blanks between its tokens, which
/// serde_json would otherwise step over one byte at a time (they are half
/// of what `kubectl get -o json` prints). It notes (`odd`) a tab, which
/// JSON allows between tokens and YAML not everywhere (`"a":<tab>1`), and
/// two words (numbers, `true`...) with only blanks between them, which it
/// would join into one: either gives up the reading.
struct Squeeze<R> {
    inner: R,
    odd: std::rc::Rc<std::cell::Cell<bool>>,
    /// In a string, and just after its backslash.
    string: bool,
    escaped: bool,
    /// Blanks went by since the last byte kept.
    gap: bool,
    /// The last byte kept ends a word.
    word: bool,
}

/// What a byte is between tokens.
const BLANK: u8 = 1;
const TAB: u8 = 2;
const QUOTE: u8 = 3;
const PUNCT: u8 = 4;
const WORD: u8 = 0;

static CLASS: [u8; 256] = {
    let mut t = [WORD; 256];
    t[b' ' as usize] = BLANK;
    t[b'\n' as usize] = BLANK;
    t[b'\r' as usize] = BLANK;
    t[b'\t' as usize] = TAB;
    t[b'"' as usize] = QUOTE;
    t[b'{' as usize] = PUNCT;
    t[b'}' as usize] = PUNCT;
    t[b'[' as usize] = PUNCT;
    t[b']' as usize] = PUNCT;
    t[b':' as usize] = PUNCT;
    t[b',' as usize] = PUNCT;
    t
};

/// Each byte of a word read little-endian: bytes compared eight at a time.
const ONES: u64 = 0x0101_0101_0101_0101;
const EIGHT_SPACES: u64 = ONES * b' ' as u64;

/// The high bit of the lowest byte of `x` equal to `c` is the lowest bit
/// set (the bits above it may be set wrongly).
fn bytes_equal(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    y.wrapping_sub(ONES) & !y & (ONES << 7)
}

/// The eight bytes of `b` at `at`.
fn word_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

impl<R> Squeeze<R> {
    /// Drops the blanks between tokens of `b`, in place; how many bytes
    /// are left.
    fn squeeze(&mut self, b: &mut [u8]) -> usize {
        let (mut r, mut w) = (0, 0);
        let n = b.len();
        while r < n {
            if self.string {
                if self.escaped {
                    self.escaped = false;
                    b[w] = b[r];
                    w += 1;
                    r += 1;
                    continue;
                }
                // Up to the next quote or backslash, kept as it is (a raw
                // tab in a string is an error to serde_json).
                let found = quote_or_backslash(b, r);
                let end = match found {
                    Some(at) => {
                        if b[at] == b'"' {
                            self.string = false;
                        } else {
                            self.escaped = true;
                        }
                        at + 1
                    }
                    None => n,
                };
                b.copy_within(r..end, w);
                w += end - r;
                r = end;
                continue;
            }
            let c = b[r];
            r += 1;
            match CLASS[usize::from(c)] {
                BLANK => {
                    self.gap = true;
                    // An indentation, eight spaces at a time.
                    if c == b'\n' {
                        while word_at(b, r) == Some(EIGHT_SPACES) {
                            r += 8;
                        }
                    }
                }
                TAB => {
                    self.gap = true;
                    self.odd.set(true);
                }
                class => {
                    let word = class == WORD;
                    if word && self.word && self.gap {
                        self.odd.set(true);
                    }
                    self.string = class == QUOTE;
                    self.word = word;
                    self.gap = false;
                    b[w] = c;
                    w += 1;
                }
            }
        }
        w
    }
}

impl<R: Read> Read for Squeeze<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let kept = self.squeeze(&mut buf[..n]);
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// A value as the YAML layer reads the same JSON, or an error where it
/// might read it otherwise.
pub(super) struct Exact;

impl<'de> DeserializeSeed<'de> for Exact {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ExactVisitor)
    }
}

pub(super) struct ExactVisitor;

fn text<E: serde::de::Error>(s: &str) -> Result<String, E> {
    // A character beyond U+FFFF has a four-byte UTF-8 form.
    if s.bytes().any(|b| b >= 0xF0) {
        return Err(E::custom("a character beyond U+FFFF"));
    }
    Ok(s.to_string())
}

impl<'de> Visitor<'de> for ExactVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Value, E> {
        Err(E::custom("a float"))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        text(s).map(Value::String)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Exact)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value = map.next_value_seed(Exact)?;
            if out.insert(key, value).is_some() {
                return Err(A::Error::custom("a repeated key"));
            }
        }
        Ok(Value::Object(out))
    }
}

struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
        text(s)
    }
}

/// Reads one JSON value and the end of the input: the root, `None` for
/// `null`, and whether the items of its `items` went to `sink` one by one;
/// `None` where the YAML layer might read the text otherwise.
///
/// serde_json reads each value, but not the text as it streams by (its
/// reader of an `io::Read` takes a byte at a time): the text is read in
/// large chunks without its blanks ([`Squeeze`]), the extent of each value
/// found ([`Input::value_len`]), and serde_json reads the value from there.
/// What holds the values together (the root's braces, keys, colons and
/// commas, the brackets of `items`) is read here.
pub(super) fn read_json(
    input: impl Read,
    sink: &mut dyn ItemSink,
) -> Option<(Option<Value>, bool)> {
    let odd = std::rc::Rc::new(std::cell::Cell::new(false));
    let mut input = Input {
        inner: Squeeze {
            inner: input,
            odd: odd.clone(),
            string: false,
            escaped: false,
            gap: false,
            word: false,
        },
        buf: Vec::new(),
        at: 0,
        end: 0,
        eof: false,
    };
    let read = input.root(sink)?;
    // Nothing but blanks after the root.
    if input.peek().is_some() || odd.get() {
        return None;
    }
    Some(read)
}

/// How much more text is read at a time.
const CHUNK: usize = 1 << 18;

/// How much of a file is looked at to tell JSON from YAML: a file that
/// starts with more blanks than that is read whole, by [`Live::add`].
const HEAD: usize = 1 << 20;

/// The squeezed text of a JSON input, read a chunk at a time.
struct Input<R> {
    inner: Squeeze<R>,
    /// Text read and not yet taken: `buf[at..end]`.
    buf: Vec<u8>,
    at: usize,
    end: usize,
    eof: bool,
}

/// Where a scan for the end of a value is.
#[derive(Default)]
struct Scan {
    depth: usize,
    string: bool,
    escaped: bool,
}

impl Scan {
    /// Steps over `b`: where the value ends in it (past its last byte),
    /// or `None` when it goes on past `b`.
    fn over(&mut self, b: &[u8]) -> Option<usize> {
        let mut j = 0;
        while j < b.len() {
            if self.string {
                if self.escaped {
                    self.escaped = false;
                    j += 1;
                    continue;
                }
                let k = quote_or_backslash(b, j)?;
                j = k + 1;
                if b[k] == b'"' {
                    self.string = false;
                    if self.depth == 0 {
                        return Some(j);
                    }
                } else {
                    self.escaped = true;
                }
                continue;
            }
            match b[j] {
                b'"' => self.string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(j + 1);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        None
    }
}

/// Where the first `"` or `\` of `b` from `from` is.
fn quote_or_backslash(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while let Some(x) = word_at(b, j) {
        let hit = bytes_equal(x, b'"') | bytes_equal(x, b'\\');
        if hit != 0 {
            return Some(j + (hit.trailing_zeros() / 8) as usize);
        }
        j += 8;
    }
    b.get(j..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|k| j + k)
}

impl<R: Read> Input<R> {
    /// Reads another chunk; `false` at the end of the input (or on an
    /// error reading it, which the exact reader reports).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.buf.copy_within(self.at..self.end, 0);
        self.end -= self.at;
        self.at = 0;
        if self.buf.len() < self.end + CHUNK {
            self.buf.resize(self.end + CHUNK, 0);
        }
        let n = self.inner.read(&mut self.buf[self.end..]).unwrap_or(0);
        self.end += n;
        if n == 0 {
            self.eof = true;
        }
        n > 0
    }

    /// The text not taken yet.
    fn rest(&self) -> &[u8] {
        &self.buf[self.at..self.end]
    }

    fn peek(&mut self) -> Option<u8> {
        while self.at == self.end {
            if !self.fill() {
                return None;
            }
        }
        Some(self.buf[self.at])
    }

    /// Takes the next byte if it is `b`.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        if next {
            self.at += 1;
        }
        next
    }

    /// The length of the value that starts at the next byte: to the bracket
    /// closing it, the quote ending it, or for a scalar the next `,`, `]`
    /// or `}` (the text has no blanks left). Whether it is a value is for
    /// serde_json to say; `None` where there is no value at all.
    fn value_len(&mut self) -> Option<usize> {
        let scalar = match self.peek()? {
            b',' | b':' | b']' | b'}' => return None,
            b'{' | b'[' | b'"' => false,
            _ => true,
        };
        let mut scan = Scan::default();
        // What was scanned already, of `rest()`.
        let mut done = 0;
        loop {
            let rest = &self.buf[self.at + done..self.end];
            let found = if scalar {
                rest.iter()
                    .position(|c| matches!(c, b',' | b']' | b'}' | b':' | b'{' | b'[' | b'"'))
            } else {
                scan.over(rest)
            };
            match found {
                Some(k) => return Some(done + k),
                None => {
                    done = self.end - self.at;
                    if !self.fill() {
                        // A scalar may end the text.
                        return scalar.then_some(done);
                    }
                }
            }
        }
    }

    /// Takes the next value, read by `seed` (from a UTF-8 text, as the
    /// exact reader takes nothing else).
    fn value<'s, S: for<'de> DeserializeSeed<'de, Value = V>, V>(
        &'s mut self,
        seed: S,
    ) -> Option<V> {
        let len = self.value_len()?;
        let text = std::str::from_utf8(&self.rest()[..len]).ok()?;
        let mut de = serde_json::Deserializer::from_str(text);
        let v = seed.deserialize(&mut de).ok()?;
        de.end().ok()?;
        self.at += len;
        Some(v)
    }

    /// The root: an object's `items`, when a sequence, goes to `sink` item
    /// by item (and reads `[]` in the root).
    fn root(&mut self, sink: &mut dyn ItemSink) -> Option<(Option<Value>, bool)> {
        if self.peek()? != b'{' {
            let root = self.value(Exact)?;
            return Some((Some(root).filter(|v| !v.is_null()), false));
        }
        self.at += 1;
        let mut out = Map::new();
        let mut streamed = false;
        if !self.eat(b'}') {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let key = self.value(Key)?;
                if !self.eat(b':') {
                    return None;
                }
                let value = if key == "items" && self.peek()? == b'[' {
                    self.at += 1;
                    self.items(sink)?;
                    streamed = true;
                    Value::Array(Vec::new())
                } else {
                    self.value(Exact)?
                };
                if out.insert(key, value).is_some() {
                    return None;
                }
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        Some((Some(Value::Object(out)), streamed))
    }

    /// The items of a sequence whose `[` was taken, and its `]`.
    fn items(&mut self, sink: &mut dyn ItemSink) -> Option<()> {
        if self.eat(b']') {
            return Some(());
        }
        let mut keys = super::shape::Keys::default();
        loop {
            let item = self.value(super::shape::Item { keys: &mut keys })?;
            sink.item(item, PosNode::default());
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_told_from_yaml_as_the_reader_tells_it() {
        assert_eq!(json_start(b"  \n\t{"), Some(true));
        assert_eq!(json_start(b"\xEF\xBB\xBF["), Some(true));
        assert_eq!(json_start(b"\n# c\n{"), Some(false));
        assert_eq!(json_start(b" \n "), None);
    }

    /// Gives its text `step` bytes at a time.
    struct Dribble<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[derive(Default)]
    struct Items(Vec<Value>);

    impl ItemSink for Items {
        fn item(&mut self, value: Value, _: PosNode) {
            self.0.push(value);
        }

        fn document(&mut self, _: crate::reader::Chunk, _: bool) {}
    }

    /// The root [`read_json`] reads, its streamed items put back.
    fn read(text: &str, step: usize) -> Option<Value> {
        let mut items = Items::default();
        let input = Dribble {
            text: text.as_bytes(),
            step,
        };
        let (root, streamed) = read_json(input, &mut items)?;
        let mut root = root.unwrap_or(Value::Null);
        if streamed {
            root["items"] = Value::Array(items.0);
        } else {
            assert!(items.0.is_empty(), "{text}");
        }
        Some(root)
    }

    /// What serde_json reads of the whole text, as the YAML layer would
    /// read it (no float, no repeated key, no character beyond U+FFFF, no
    /// tab).
    fn whole(text: &str) -> Option<Value> {
        if text.contains('\t') {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let v = Exact.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(v)
    }

    /// However the text comes in, blanks squeezed out and values found by
    /// their extent, what is read is what serde_json reads of the whole
    /// text, and what it refuses is refused.
    #[test]
    fn values_are_read_whatever_the_chunks() {
        let item = |i: usize| {
            format!(
                "{{ \"apiVersion\" : \"v1\", \"kind\":\"ConfigMap\",\n  \"data\": {{\"k{i}\": \"a \\\" b \\\\ c \\\\\\\" d\\n é \\u00e9 \\/ \", \"n\": [ -1, 0, 123, true, false, null, {{}}, [], \"\" ] }} }}"
            )
        };
        let items: Vec<String> = (0..4).map(item).collect();
        let big = "x".repeat(CHUNK + 5);
        let mut texts = vec![
            format!("{{\"apiVersion\": \"v1\", \"items\": [{}], \"kind\": \"List\"}}", items.join(", ")),
            format!("\n\n  {{ \"items\" :[ {} ] , \"kind\":\"List\" , \"metadata\": {{ \"items\": [1] }} }}  \n", items.join(" ,\n ")),
            format!("{{\"items\": [], \"kind\": \"List\"}}"),
            format!("{{\"items\": {{\"a\": [1, 2]}}, \"kind\": \"List\"}}"),
            format!("{{\"items\": null}}"),
            format!("{{}}"),
            format!("[{}, 1, \"s\"]", items[0]),
            format!("[]"),
            format!("{{\"items\": [\"{big}\", {}]}}", items[1]),
            format!("{{\"a\": \"{big}\\\\\", \"b\": 1}}"),
            format!("{{\"a\": [[[[{{\"b\": [\"]\", \"}}\", \"\\\\\", \"[\"]}}]]]]}}"),
            // Refused by serde_json or by the YAML layer.
            format!("[1 2]"),
            format!("{{\"items\": [1 2]}}"),
            format!("{{\"items\": [tru e]}}"),
            format!("{{\"a\": 1}} x"),
            format!("{{\"a\": 1}}{{}}"),
            format!("{{\"a\": 1,}}"),
            format!("{{\"items\": [1,]}}"),
            format!("{{\"items\": [,1]}}"),
            format!("{{\"a\" 1}}"),
            format!("{{\"a\":\t1}}"),
            format!("{{\"a\": \"x\ty\"}}"),
            format!("{{\"a\": 1.5}}"),
            format!("{{\"items\": [{{\"a\": 1, \"a\": 2}}]}}"),
            format!("{{\"a\": 1, \"a\": 2}}"),
            format!("{{\"items\": [], \"items\": []}}"),
            format!("{{\"items\": [\"\u{1F600}\"]}}"),
            format!("{{\"a\": \"\\ud83d\\ude00\"}}"),
            format!("{{\"a\": \"unterminated}}"),
            format!("{{\"items\": [{{\"a\": 1}}"),
            format!("{{\"items\": [{{\"a\": 1]}}]}}"),
            format!("{{\"a\": 1]"),
            format!("{{1: 2}}"),
            format!("\u{feff}{{}}"),
        ];
        texts.push(texts[0].replace(", ", " , ").replace(':', " :\n\t"));
        let mut read_whole = 0;
        for text in &texts {
            let want = whole(text);
            read_whole += usize::from(want.is_some());
            let steps: &[usize] = if text.len() < 10_000 {
                &[1, 2, 3, 7, 64, usize::MAX]
            } else {
                &[4093, CHUNK - 1, usize::MAX]
            };
            for &step in steps {
                let shown = &text[..text.len().min(200)];
                assert_eq!(read(text, step), want, "{step}: {shown}");
            }
        }
        assert!(read_whole >= 10, "{read_whole}");
    }
}
