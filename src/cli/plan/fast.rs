//! JSON input for a live plan, read by serde_json instead of the YAML layer.
//!
//! `kubectl get -o json` prints JSON, and the YAML layer reads JSON as YAML
//! to know where every node is, which a plan needs only for an error. It
//! is also slow on it: the YAML scanner keeps every token of a flow
//! collection at the root until the collection ends (a root `{` might still
//! turn out to be a key), so a `kind: List` of 100,000 pods is held whole
//! as tokens. serde_json reads the same text as it streams by, from the
//! file, without keeping the text.
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
use std::io::{BufRead, BufReader, Read};

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
                    read_json(&mut serde_json::Deserializer::from_str(text), sink).ok()
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
    let Some(file) = opened else {
        return Ok(Step::Exact(None));
    };
    let tab = std::rc::Rc::new(std::cell::Cell::new(false));
    let guard = TabGuard {
        inner: file,
        tab: tab.clone(),
    };
    let mut reader = BufReader::with_capacity(1 << 20, guard);
    let Ok(head) = reader.fill_buf() else {
        return Ok(Step::Exact(None));
    };
    let name = path.display().to_string();
    let added = if json_start(head) == Some(true) {
        let file = SourceFile::new(name, String::new());
        live.add_parsed(file, policy_only, namespace, |_, sink| {
            // By value: std reads a byte from a `BufReader` without a call.
            let mut de = serde_json::Deserializer::from_reader(reader);
            let read = read_json(&mut de, sink).ok()?;
            (!tab.get()).then_some(read)
        })
        .is_ok()
    } else {
        // YAML (or JSON after a long run of blanks): read whole, as the
        // exact reader reads it.
        drop(reader);
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

/// Notes whether a tab went by: JSON allows one between tokens, YAML not
/// everywhere (`"a":<tab>1`).
struct TabGuard<R> {
    inner: R,
    tab: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: Read> Read for TabGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if buf.get(..n).is_some_and(|b| b.contains(&b'\t')) {
            self.tab.set(true);
        }
        Ok(n)
    }
}

/// Reads one JSON value and the end of the input: the root, `None` for
/// `null`, and whether the items of its `items` went to `sink` one by one.
pub(super) fn read_json<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    sink: &mut dyn ItemSink,
) -> Result<(Option<Value>, bool), serde_json::Error> {
    let mut streamed = false;
    let root = Root {
        sink,
        streamed: &mut streamed,
    }
    .deserialize(&mut *de)?;
    de.end()?;
    Ok((Some(root).filter(|v| !v.is_null()), streamed))
}

/// A value as the YAML layer reads the same JSON, or an error where it
/// might read it otherwise.
struct Exact;

impl<'de> DeserializeSeed<'de> for Exact {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ExactVisitor)
    }
}

struct ExactVisitor;

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

/// The root value; the items of its `items` sequence go to the sink.
struct Root<'s> {
    sink: &'s mut dyn ItemSink,
    streamed: &'s mut bool,
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        ExactVisitor.visit_bool(b)
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Value, E> {
        ExactVisitor.visit_i64(i)
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Value, E> {
        ExactVisitor.visit_u64(u)
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        ExactVisitor.visit_f64(f)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        ExactVisitor.visit_str(s)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        ExactVisitor.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        ExactVisitor.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value = if key == "items" && !*self.streamed {
                let items = map.next_value_seed(Items {
                    sink: &mut *self.sink,
                })?;
                *self.streamed = items.is_none();
                items.unwrap_or_else(|| Value::Array(Vec::new()))
            } else {
                map.next_value_seed(Exact)?
            };
            if out.insert(key, value).is_some() {
                return Err(A::Error::custom("a repeated key"));
            }
        }
        Ok(Value::Object(out))
    }
}

/// The root's `items`: `None` when it is a sequence, whose items went to
/// the sink; the value otherwise.
struct Items<'s> {
    sink: &'s mut dyn ItemSink,
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        ExactVisitor.visit_bool(b).map(Some)
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Option<Value>, E> {
        ExactVisitor.visit_i64(i).map(Some)
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Option<Value>, E> {
        ExactVisitor.visit_u64(u).map(Some)
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Option<Value>, E> {
        ExactVisitor.visit_f64(f).map(Some)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        ExactVisitor.visit_str(s).map(Some)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        ExactVisitor.visit_unit().map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        ExactVisitor.visit_map(map).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        while let Some(item) = seq.next_element_seed(Exact)? {
            self.sink.item(item, PosNode::default());
        }
        Ok(None)
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
}
