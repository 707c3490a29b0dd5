//! `jsonpatch.MergePatch` of github.com/evanphx/json-patch v5.6.0+incompatible
//! (the version OpenKruise v1.9.0 pins), byte for byte.
//!
//! The Go code never builds a full tree: it decodes an object into a map of
//! lazy nodes that hold their raw text, and only decodes a node further when
//! the merge asks it to (`intoDoc`/`intoAry`). The output is Go's
//! `encoding/json` rendering of that partial tree, so the bytes depend on
//! which nodes were decoded:
//! * a decoded object is a Go map: keys sorted by bytes, a duplicate key's
//!   last value wins, keys re-encoded (escapes normalised);
//! * a node left raw is its text compacted, in its own key order, with its
//!   escapes and number spelling kept;
//! * `<`, `>`, `&`, U+2028 and U+2029 are escaped everywhere.
//!
//! Nodes are decoded when they are the two sides of an object-into-object
//! merge, or when `pruneNulls` walks a value the patch adds (which decodes
//! every object and array inside it).

use std::collections::BTreeMap;
use std::fmt;

/// The two errors `MergePatch` returns (`ErrBadJSONDoc`, `ErrBadJSONPatch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// The document is not valid JSON (`ErrBadJSONDoc`).
    BadDocument,
    /// The patch is not valid JSON (`ErrBadJSONPatch`).
    BadPatch,
    /// Not a Go outcome: the helper thread for a very deep document could not
    /// be started.
    Resources(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::BadDocument => f.write_str("Invalid JSON Document"),
            MergeError::BadPatch => f.write_str("Invalid JSON Patch"),
            MergeError::Resources(e) => write!(f, "cannot merge JSON this deeply nested: {e}"),
        }
    }
}

impl std::error::Error for MergeError {}

/// Go's `encoding/json` refuses deeper nesting as a syntax error.
const MAX_DEPTH: usize = 10_000;

/// Nesting the default thread stack handles in the recursive merge; deeper
/// documents (still valid for Go) get a thread with a stack sized for them.
const SHALLOW: usize = 128;

/// Stack reserved per nesting level on the helper thread; generous for
/// unoptimised builds, and only touched as deep as the document goes.
const STACK_PER_LEVEL: usize = 4096;

/// `jsonpatch.MergePatch(doc, patch)`.
pub fn merge_patch(doc: &str, patch: &str) -> Result<String, MergeError> {
    // Go checks both syntaxes before looking at either value.
    let (doc_src, doc_depth) = Src::check_valid(doc).ok_or(MergeError::BadDocument)?;
    let (patch_src, patch_depth) = Src::check_valid(patch).ok_or(MergeError::BadPatch)?;
    let (doc, patch) = (doc_src.whole(), patch_src.whole());
    if doc.text() == "null" {
        return Err(MergeError::BadDocument);
    }
    if patch.text() == "null" {
        return Err(MergeError::BadPatch);
    }
    let depth = doc_depth.max(patch_depth);
    if depth <= SHALLOW {
        return merge_valid(doc, patch);
    }
    let stack = (depth + 16) * STACK_PER_LEVEL + (1 << 20);
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("merge-patch".into())
            .stack_size(stack)
            .spawn_scoped(s, || merge_valid(doc, patch))
            .map_err(|e| MergeError::Resources(e.to_string()))?
            .join()
            .map_err(|_| MergeError::Resources("merge thread failed".into()))?
    })
}

/// `doMergePatch` after the syntax and `null` checks.
fn merge_valid(doc: Span<'_>, patch: Span<'_>) -> Result<String, MergeError> {
    let mut out = String::with_capacity(doc.text().len() + patch.text().len());
    match (split_object(doc), split_object(patch)) {
        (Some(mut d), Some(p)) => {
            merge_docs(&mut d, p);
            write_doc(&d, &mut out);
        }
        // Either side not an object: the result is the patch itself.
        (_, Some(mut p)) => {
            prune_doc(&mut p);
            write_doc(&p, &mut out);
        }
        (_, None) => {
            let mut a = split_array(patch).ok_or(MergeError::BadPatch)?;
            prune_ary(&mut a);
            write_ary(&a, &mut out);
        }
    }
    Ok(out)
}

/// A non-null JSON value (`*lazyNode`); `None` beside it stands for `null`,
/// which Go decodes to a nil pointer.
enum Node<'a> {
    Raw(Span<'a>),
    Doc(Doc<'a>),
    Ary(Ary<'a>),
}

type Doc<'a> = BTreeMap<String, Option<Node<'a>>>;
type Ary<'a> = Vec<Option<Node<'a>>>;

impl<'a> Node<'a> {
    fn lazy(raw: Span<'a>) -> Option<Self> {
        (raw.text() != "null").then_some(Node::Raw(raw))
    }

    /// Go's `intoDoc`: a node whose text is not an object stays as it is.
    fn as_doc(&mut self) -> Option<&mut Doc<'a>> {
        if let Node::Raw(raw) = *self {
            if let Some(d) = split_object(raw) {
                *self = Node::Doc(d);
            }
        }
        match self {
            Node::Doc(d) => Some(d),
            _ => None,
        }
    }

    /// Go's `intoAry`.
    fn as_ary(&mut self) -> Option<&mut Ary<'a>> {
        if let Node::Raw(raw) = *self {
            if let Some(a) = split_array(raw) {
                *self = Node::Ary(a);
            }
        }
        match self {
            Node::Ary(a) => Some(a),
            _ => None,
        }
    }
}

/// `merge(cur, patch, false)`.
fn merge<'a>(mut cur: Node<'a>, mut patch: Node<'a>) -> Node<'a> {
    let Some(cur_doc) = cur.as_doc() else {
        prune(&mut patch);
        return patch;
    };
    // A non-object patch value replaces the object as raw text, unpruned.
    let Some(patch_doc) = patch.as_doc() else {
        return patch;
    };
    merge_docs(cur_doc, std::mem::take(patch_doc));
    cur
}

/// `mergeDocs(doc, patch, false)`.
fn merge_docs<'a>(doc: &mut Doc<'a>, patch: Doc<'a>) {
    for (k, v) in patch {
        let Some(mut v) = v else {
            doc.remove(&k);
            continue;
        };
        let merged = match doc.remove(&k) {
            Some(Some(cur)) => merge(cur, v),
            // Absent, or an explicit `null`: the patch value is added.
            _ => {
                prune(&mut v);
                v
            }
        };
        doc.insert(k, Some(merged));
    }
}

/// `pruneNulls`: decodes every object and array below `n`, dropping `null`
/// object members (array elements that are `null` stay).
fn prune(n: &mut Node<'_>) {
    if let Some(d) = n.as_doc() {
        prune_doc(d);
    } else if let Some(a) = n.as_ary() {
        prune_ary(a);
    }
}

fn prune_doc(d: &mut Doc<'_>) {
    d.retain(|_, v| v.is_some());
    for v in d.values_mut().flatten() {
        prune(v);
    }
}

fn prune_ary(a: &mut Ary<'_>) {
    for v in a.iter_mut().flatten() {
        prune(v);
    }
}

fn write(n: Option<&Node<'_>>, out: &mut String) {
    match n {
        None => out.push_str("null"),
        Some(Node::Raw(raw)) => compact(raw.text(), out),
        Some(Node::Doc(d)) => write_doc(d, out),
        Some(Node::Ary(a)) => write_ary(a, out),
    }
}

fn write_doc(d: &Doc<'_>, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in d.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        go_string(k, out);
        out.push(':');
        write(v.as_ref(), out);
    }
    out.push('}');
}

fn write_ary(a: &Ary<'_>, out: &mut String) {
    out.push('[');
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(v.as_ref(), out);
    }
    out.push(']');
}

/// The HTML-safe escape Go applies to `c`, if any.
fn html_escape(c: char) -> Option<&'static str> {
    match c {
        '<' => Some("\\u003c"),
        '>' => Some("\\u003e"),
        '&' => Some("\\u0026"),
        '\u{2028}' => Some("\\u2028"),
        '\u{2029}' => Some("\\u2029"),
        _ => None,
    }
}

/// Go's `compact` with HTML escaping, as the encoder applies it to the text a
/// `json.Marshaler` returns: whitespace outside strings dropped, string
/// contents copied as written.
fn compact(raw: &str, out: &mut String) {
    let (mut in_str, mut escaped) = (false, false);
    for c in raw.chars() {
        if let Some(e) = html_escape(c) {
            out.push_str(e);
            continue;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if is_ws(c) {
            continue;
        } else if c == '"' {
            in_str = true;
        }
        out.push(c);
    }
}

/// Go's string encoder (Go 1.22+, HTML-safe), used for the keys of decoded
/// objects.
fn go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        if let Some(e) = html_escape(c) {
            out.push_str(e);
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The members of `raw` if it is an object, decoded as Go decodes into a map.
fn split_object(raw: Span<'_>) -> Option<Doc<'_>> {
    let mut c = Cursor::at(raw);
    c.eat(b'{')?;
    let mut doc = Doc::new();
    c.ws();
    if c.eat(b'}').is_some() {
        return Some(doc);
    }
    loop {
        c.ws();
        let key = c.value()?;
        c.ws();
        c.eat(b':')?;
        c.ws();
        let value = c.value()?;
        doc.insert(unquote(key.text()), Node::lazy(value));
        c.ws();
        if c.eat(b'}').is_some() {
            return Some(doc);
        }
        c.eat(b',')?;
    }
}

/// The elements of `raw` if it is an array.
fn split_array(raw: Span<'_>) -> Option<Ary<'_>> {
    let mut c = Cursor::at(raw);
    c.eat(b'[')?;
    let mut ary = Ary::new();
    c.ws();
    if c.eat(b']').is_some() {
        return Some(ary);
    }
    loop {
        c.ws();
        ary.push(Node::lazy(c.value()?));
        c.ws();
        if c.eat(b']').is_some() {
            return Some(ary);
        }
        c.eat(b',')?;
    }
}

/// An input that passed Go's syntax check, with the end of every object and
/// array in it, so that stepping over a nested value is a lookup: the merge
/// splits containers level by level, and rescanning each level's contents
/// would make deep documents quadratic.
struct Src<'a> {
    text: &'a str,
    /// (index of `{` or `[`, index after its closing bracket), by position.
    ends: Vec<(usize, usize)>,
}

impl<'a> Src<'a> {
    /// Go's `checkValid`: one JSON value, optionally surrounded by
    /// whitespace. Also returns the deepest nesting.
    fn check_valid(text: &'a str) -> Option<(Self, usize)> {
        let mut sc = Scanner::new(text);
        sc.ws();
        let depth = sc.value()?;
        sc.ws();
        (sc.i == sc.b.len()).then_some((
            Src {
                text,
                ends: sc.ends,
            },
            depth,
        ))
    }

    /// The value, without the whitespace around it.
    fn whole(&self) -> Span<'_> {
        let start = self.text.len() - self.text.trim_start_matches(is_ws).len();
        let end = self.text.trim_end_matches(is_ws).len().max(start);
        Span {
            src: self,
            start,
            end,
        }
    }

    fn end_of(&self, open: usize) -> Option<usize> {
        let k = self.ends.binary_search_by_key(&open, |e| e.0).ok()?;
        self.ends.get(k).map(|e| e.1)
    }
}

/// The text of one value inside a checked input.
#[derive(Clone, Copy)]
struct Span<'a> {
    src: &'a Src<'a>,
    start: usize,
    end: usize,
}

impl<'a> Span<'a> {
    fn text(self) -> &'a str {
        self.src.text.get(self.start..self.end).unwrap_or("")
    }
}

/// Steps through the members of a checked container.
struct Cursor<'a> {
    src: &'a Src<'a>,
    i: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    fn at(span: Span<'a>) -> Self {
        Cursor {
            src: span.src,
            i: span.start,
            end: span.end,
        }
    }

    fn peek(&self) -> Option<u8> {
        if self.i >= self.end {
            return None;
        }
        self.src.text.as_bytes().get(self.i).copied()
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.i += 1)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Steps over one value (or key) and returns its span.
    fn value(&mut self) -> Option<Span<'a>> {
        let start = self.i;
        match self.peek()? {
            b'{' | b'[' => self.i = self.src.end_of(start)?,
            b'"' => {
                self.i += 1;
                loop {
                    match self.peek()? {
                        b'"' => break,
                        b'\\' => self.i += 2,
                        _ => self.i += 1,
                    }
                }
                self.i += 1;
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.i += 1;
                }
            }
        }
        Some(Span {
            src: self.src,
            start,
            end: self.i,
        })
    }
}

/// Decodes a validated string literal (quotes included) as Go's `unquote`:
/// an unpaired surrogate escape becomes U+FFFD.
fn unquote(lit: &str) -> String {
    let body = lit
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(lit);
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let esc = &rest[pos + 1..];
        let mut chars = esc.chars();
        let consumed = match chars.next() {
            Some('u') => {
                let (c, n) = unicode_escape(esc);
                out.push(c);
                n
            }
            Some(c) => {
                out.push(match c {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    other => other,
                });
                c.len_utf8()
            }
            None => 0,
        };
        rest = &esc[consumed..];
    }
    out.push_str(rest);
    out
}

/// Decodes `u` + 4 hex digits at the start of `esc`, pairing a surrogate with
/// a following `\uXXXX` escape when it completes it. Returns the character and
/// the bytes consumed after the backslash.
fn unicode_escape(esc: &str) -> (char, usize) {
    let hex4 = |s: &str| s.get(1..5).and_then(|h| u32::from_str_radix(h, 16).ok());
    let Some(hi) = hex4(esc) else {
        return ('\u{fffd}', esc.len());
    };
    if let Some(c) = char::from_u32(hi) {
        return (c, 5);
    }
    // A surrogate: valid only as a high one followed by `\u` + a low one.
    let lo = esc
        .get(5..)
        .filter(|s| s.starts_with("\\u"))
        .and_then(|s| hex4(&s[1..]));
    if let Some(lo) = lo {
        if (0xD800..0xDC00).contains(&hi) && (0xDC00..0xE000).contains(&lo) {
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            if let Some(c) = char::from_u32(c) {
                return (c, 11);
            }
        }
    }
    ('\u{fffd}', 5)
}

/// Go's syntax check, walked without recursion so that nesting up to Go's
/// limit cannot exhaust the stack.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    ends: Vec<(usize, usize)>,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str) -> Self {
        Scanner {
            b: s.as_bytes(),
            i: 0,
            ends: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.i += 1)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// One string literal; control characters and unknown escapes are errors.
    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            self.i += 1;
                            for _ in 0..4 {
                                if !self.peek()?.is_ascii_hexdigit() {
                                    return None;
                                }
                                self.i += 1;
                            }
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<()> {
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// One value; returns the deepest nesting.
    fn value(&mut self) -> Option<usize> {
        // Open containers: bracket and index into `ends`.
        let mut open: Vec<(u8, usize)> = Vec::new();
        let mut deepest = 0;
        loop {
            // Here a value must start.
            self.ws();
            match self.peek()? {
                c @ (b'{' | b'[') => {
                    open.push((c, self.ends.len()));
                    self.ends.push((self.i, self.i));
                    self.i += 1;
                    if open.len() > MAX_DEPTH {
                        return None;
                    }
                    deepest = deepest.max(open.len());
                    self.ws();
                    let close = if c == b'{' { b'}' } else { b']' };
                    if self.eat(close).is_some() {
                        // An empty container is a finished value.
                        self.close(&mut open);
                    } else {
                        if c == b'{' {
                            self.member_key()?;
                        }
                        continue;
                    }
                }
                b'"' => self.string()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // A value ended: close containers until one wants another value.
            loop {
                let Some(&(top, _)) = open.last() else {
                    return Some(deepest);
                };
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        if top == b'{' {
                            self.ws();
                            self.member_key()?;
                        }
                        break;
                    }
                    b'}' if top == b'{' => {
                        self.i += 1;
                        self.close(&mut open);
                    }
                    b']' if top == b'[' => {
                        self.i += 1;
                        self.close(&mut open);
                    }
                    _ => return None,
                }
            }
        }
    }

    /// Records where the innermost open container ended (just read).
    fn close(&mut self, open: &mut Vec<(u8, usize)>) {
        if let Some(e) = open.pop().and_then(|(_, k)| self.ends.get_mut(k)) {
            e.1 = self.i;
        }
    }

    /// `"key"` and `:` of an object member.
    fn member_key(&mut self) -> Option<()> {
        self.string()?;
        self.ws();
        self.eat(b':')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (pod value, patch, expected `MergePatch` output or error text).
    /// Expected bytes were derived from merge.go/patch.go v5.6.0 and checked
    /// against that code run with Go.
    const VECTORS: &[(&str, &str, &str)] = &[
        // 1: only the merged object is decoded (sorted); its untouched sibling
        // keeps its key order, compacted.
        (
            r#"{ "z" : { "b" : 1 , "a" : [ 1, 2 ] }, "m": {"y": 1, "x": 2} }"#,
            r#"{"m": {"w": 3}}"#,
            r#"{"m":{"w":3,"x":2,"y":1},"z":{"b":1,"a":[1,2]}}"#,
        ),
        // 2: an added object is decoded all the way down.
        (
            r#"{"a":1}"#,
            r#"{"c":{"z":1,"y":{"q":true,"p":false}},"b":2}"#,
            r#"{"a":1,"b":2,"c":{"y":{"p":false,"q":true},"z":1}}"#,
        ),
        // 3: null deletes, at the top and inside a merged object.
        (
            r#"{"a":1,"b":{"c":1,"d":2}}"#,
            r#"{"a":null,"b":{"d":null},"x":null}"#,
            r#"{"b":{"c":1}}"#,
        ),
        // 4: nulls inside an added object go, null array elements stay.
        (
            r#"{"a":1}"#,
            r#"{"n":{"k":null,"j":1,"arr":[null,{"q":null,"r":1}]}}"#,
            r#"{"a":1,"n":{"arr":[null,{"r":1}],"j":1}}"#,
        ),
        // 5: arrays replace whole; over an object the patch value stays raw,
        // over a non-object it is pruned.
        (
            r#"{"a":{"x":1},"b":1,"c":[1,2]}"#,
            r#"{"a":[{"z":1,"y":null}],"b":[{"z":1,"y":null}],"c":[3]}"#,
            r#"{"a":[{"z":1,"y":null}],"b":[{"z":1}],"c":[3]}"#,
        ),
        // 6: HTML escaping in untouched values, added values and keys.
        (
            r#"{"u":"a<b>&c","k":{"t":"<"},"&":1}"#,
            r#"{"n":"x>y","o":{"<k>":"&"}}"#,
            r#"{"\u0026":1,"k":{"t":"\u003c"},"n":"x\u003ey","o":{"\u003ck\u003e":"\u0026"},"u":"a\u003cb\u003e\u0026c"}"#,
        ),
        // 7: numbers keep their spelling, touched or not.
        (
            r#"{"a":1.0,"b":{"c":1e3,"d":-0.50E+2}}"#,
            r#"{"b":{"e":1.50},"f":{"g":12E-1,"h":100000000000000000000000}}"#,
            r#"{"a":1.0,"b":{"c":1e3,"d":-0.50E+2,"e":1.50},"f":{"g":12E-1,"h":100000000000000000000000}}"#,
        ),
        // 8: empty original object.
        (
            r#"{}"#,
            r#"{"b":1,"a":{"d":null,"c":"x"}}"#,
            r#"{"a":{"c":"x"},"b":1}"#,
        ),
        // 9: unicode: keys decoded (escapes resolved, raw UTF-8 out, byte
        // order), values as written.
        (
            r#"{"é":"ü\u00fc","\u00e9t\u00e9":{"b":1, "a":2}}"#,
            r#"{"ét\u00e9":{"c":"\u2028 ok"},"日本":"語\u2029"}"#,
            r#"{"é":"ü\u00fc","été":{"a":2,"b":1,"c":"\u2028 ok"},"日本":"語\u2029"}"#,
        ),
        // 10: duplicate keys: last wins where decoded, kept where raw.
        (
            r#"{"a":1,"\u0061":2,"n":{"x":1,"x":2}}"#,
            r#"{"b":1}"#,
            r#"{"a":2,"b":1,"n":{"x":1,"x":2}}"#,
        ),
        // 11: an empty patch object still decodes (sorts) its target.
        (
            r#"{"s":{"z":1,"y":2}, "r": {"q": 1}}"#,
            r#"{"s":{}}"#,
            r#"{"r":{"q":1},"s":{"y":2,"z":1}}"#,
        ),
        // 12: a non-object original: the pruned patch.
        (
            r#"[1,2]"#,
            r#"{"b":null,"a":{"y":null,"x":1}}"#,
            r#"{"a":{"x":1}}"#,
        ),
        (
            r#""str""#,
            r#"{"b":null,"a":{"y":null,"x":1}}"#,
            r#"{"a":{"x":1}}"#,
        ),
        // 13: an array patch: the pruned array.
        (
            r#"{"a":1}"#,
            r#"[ {"b":null, "a":1}, null, 2 ]"#,
            r#"[{"a":1},null,2]"#,
        ),
        // 14: a scalar patch, invalid and null inputs; the document's syntax
        // is checked first, then the patch's, then the nulls.
        (r#"{"a":1}"#, r#""x""#, "Invalid JSON Patch"),
        (r#"{"a":1}"#, "1", "Invalid JSON Patch"),
        (r#"{"a":"#, "{", "Invalid JSON Document"),
        ("null", "{", "Invalid JSON Patch"),
        ("null", "null", "Invalid JSON Document"),
        ("{}", " null ", "Invalid JSON Patch"),
        (" ", "{}", "Invalid JSON Document"),
        (r#"{"a":01}"#, "{}", "Invalid JSON Document"),
        (r#"{"a":"\x"}"#, "{}", "Invalid JSON Document"),
        ("{}", r#"{"a":1,}"#, "Invalid JSON Patch"),
        // 15: an unpaired surrogate key decodes to U+FFFD.
        (r#"{"\ud800":1}"#, r#"{"b":2}"#, "{\"b\":2,\"\u{fffd}\":1}"),
        // 16: a null member is replaced by a pruned object; others stay null.
        (
            r#"{"a":null,"b":null}"#,
            r#"{"a":{"y":null,"x":[]}}"#,
            r#"{"a":{"x":[]},"b":null}"#,
        ),
        // 17: scalar replaced by an object (pruned), object by a scalar.
        (
            r#"{"a":"s","b":{"c":1}}"#,
            r#"{"a":{"d":null,"c":1},"b":"t"}"#,
            r#"{"a":{"c":1},"b":"t"}"#,
        ),
        // 18: escapes kept in raw values, resolved and re-encoded in keys.
        (
            r#"{"p\/q":"a\/b\u0041\"","t":{"k\tx":1}}"#,
            r#"{"t":{"n":"\u00e9\n"}}"#,
            r#"{"p/q":"a\/b\u0041\"","t":{"k\tx":1,"n":"\u00e9\n"}}"#,
        ),
        // 19: whitespace everywhere.
        (
            " {\"a\" :\n [1 , 2]}\t",
            "\n{\"b\" : [ 3 ]} ",
            r#"{"a":[1,2],"b":[3]}"#,
        ),
        // 20: literal U+2028/U+2029 are escaped, raw or decoded.
        (
            "{\"a\":\"x\u{2028}y\"}",
            "{\"b\u{2029}\":{\"c\":\"\u{2029}\"}}",
            r#"{"a":"x\u2028y","b\u2029":{"c":"\u2029"}}"#,
        ),
        // 21: a decoded key is written by Go 1.22+ (Kruise v1.9.0 builds with
        // Go 1.23) with `\b` and `\f`; Go 1.19 would write `\u0008`.
        (
            r#"{"a\b":1,"c\u000c\u0001":2}"#,
            r#"{"d":3}"#,
            r#"{"a\b":1,"c\f\u0001":2,"d":3}"#,
        ),
    ];

    fn run(doc: &str, patch: &str) -> String {
        merge_patch(doc, patch).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn vectors_match_go() {
        for (i, (doc, patch, want)) in VECTORS.iter().enumerate() {
            assert_eq!(run(doc, patch), *want, "vector {i}: {doc} + {patch}");
        }
    }

    fn nested(depth: usize) -> String {
        format!("{}1{}", r#"{"k":"#.repeat(depth), "}".repeat(depth))
    }

    #[test]
    fn nesting_up_to_go_limit_merges_without_exhausting_the_stack() {
        let deep = nested(MAX_DEPTH);
        assert_eq!(
            run(r#"{"a":1}"#, &deep),
            format!(r#"{{"a":1,{}"#, &deep[1..])
        );
        assert_eq!(run(&deep, &deep), deep);
        assert_eq!(
            run(r#"{"a":1}"#, &nested(MAX_DEPTH + 1)),
            "Invalid JSON Patch"
        );
        let deep_ary = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(run("{}", &deep_ary), deep_ary);
    }

    #[test]
    fn check_valid_follows_the_json_grammar() {
        for ok in [
            "0",
            "-0.5e-3",
            "true",
            "[]",
            "{}",
            r#"{"a":[{}, "\u00e9"]}"#,
        ] {
            assert!(Src::check_valid(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "-",
            "1.",
            "1e",
            "+1",
            ".5",
            "tru",
            "[1,]",
            "{,}",
            "{\"a\"}",
            "\"\u{1}\"",
            "[] []",
            "\u{feff}{}",
        ] {
            assert!(Src::check_valid(bad).is_none(), "{bad:?}");
        }
    }
}
