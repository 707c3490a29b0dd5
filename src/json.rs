//! One JSON value (RFC 8259) into the same value and position tree the YAML
//! layer builds for the same text (JSON is YAML), without going through YAML
//! events: JSON input is what `kubectl get -o json` writes, often megabytes,
//! and the YAML scanner cost many times a plain JSON parse.
//!
//! Equivalence with `yaml::parse_document` is the contract (the JSON
//! equivalence tests check it): numbers resolve as YAML 1.1 plain scalars do
//! (`1.0` and `1e3` are integers, a big integer is a float), a mapping entry
//! is positioned at its key with its value's span, a duplicate key is the
//! same error, and nesting has the same bound.
//!
//! Where YAML and JSON disagree this follows JSON, as the API server does:
//! surrogate-pair escapes decode (the YAML scanner refuses them), a raw DEL
//! or NEL in a string is kept (YAML drops them), and nesting is bounded only
//! by `MAX_DEPTH` (the YAML scanner stops at 255 open brackets).

use crate::yaml::resolve::resolve_plain;
use crate::yaml::{NodeStyle, PosChildren, PosNode, YamlError};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// The YAML layer's bound on nesting (`yaml::parse`): the root is at depth
/// 0, and a node deeper than this is an error at its first character.
pub const MAX_DEPTH: usize = 512;

/// Parses `text`, which holds one JSON value and optional whitespace around
/// it. Lines and columns are 1-based within `text`; byte offsets index it.
pub fn parse_value(text: &str) -> Result<(Value, PosNode), YamlError> {
    parse_value_at(text, 1)
}

/// [`parse_value`] for a text that starts on line `first_line` of a larger
/// stream: lines (of nodes, errors and messages) are the stream's, while
/// byte offsets and the first line's columns stay relative to `text`, as
/// the YAML layer gives them for a chunk.
pub fn parse_value_at(text: &str, first_line: usize) -> Result<(Value, PosNode), YamlError> {
    Parser::new(text, first_line).document(None)
}

/// [`parse_value_at`] for a value whose top-level `items` may be huge (a
/// `kind: List`): each item of the root object's `items` array goes to
/// `on_item` as soon as it is parsed, and the value comes back with
/// `items: []` (and no item positions) in its place and `true`, so the
/// items are never all held at once. Values, positions and errors are
/// otherwise those of [`parse_value_at`]; an `items` with no item gives
/// `false` and is as [`parse_value_at`] gives it.
pub fn parse_value_items(
    text: &str,
    first_line: usize,
    on_item: &mut dyn FnMut(Value, PosNode),
) -> Result<(Value, PosNode, bool), YamlError> {
    let mut streamed = false;
    let mut sink = |v: Value, p: PosNode| {
        streamed = true;
        on_item(v, p);
    };
    let (v, p) = Parser::new(text, first_line).document(Some(&mut sink))?;
    Ok((v, p, streamed))
}

/// A container being read. Containers are kept on an explicit stack, so
/// nesting costs heap, not call stack.
enum Open {
    Seq {
        head: Head,
        items: Vec<Value>,
        positions: Vec<PosNode>,
    },
    Map {
        head: Head,
        map: Map<String, Value>,
        positions: Vec<(String, PosNode)>,
        key: Key,
    },
}

/// Where a node starts.
#[derive(Clone, Copy)]
struct Head {
    line: usize,
    column: usize,
    start: usize,
}

/// The key whose value is being read.
struct Key {
    name: String,
    at: Head,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    /// Characters counted so far on the current line, up to `col_byte`:
    /// positions are asked for in text order, so each byte is counted once
    /// even on a single-line megabyte document.
    col_byte: usize,
    col_chars: usize,
}

fn offset(b: usize) -> u32 {
    u32::try_from(b).unwrap_or(u32::MAX)
}

fn leaf(head: Head, end: usize, style: NodeStyle) -> PosNode {
    PosNode {
        line: head.line,
        column: head.column,
        start: offset(head.start),
        end: offset(end),
        key_start: offset(head.start),
        style,
        children: PosChildren::Leaf,
    }
}

fn hex4(b: &[u8]) -> Option<u32> {
    let digits = b.get(..4)?;
    let mut v = 0u32;
    for &d in digits {
        v = v * 16 + char::from(d).to_digit(16)?;
    }
    Some(v)
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            i: 0,
            line: first_line.max(1),
            line_start: 0,
            col_byte: 0,
            col_chars: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(&c) = self.bytes.get(self.i) {
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                    self.col_byte = self.i;
                    self.col_chars = 0;
                }
                _ => break,
            }
        }
    }

    /// 1-based column, in characters, of byte `pos` on the current line.
    fn column(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.bytes.len()).max(self.line_start);
        if pos < self.col_byte {
            self.col_byte = self.line_start;
            self.col_chars = 0;
        }
        self.col_chars += self.bytes[self.col_byte..pos]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        self.col_byte = pos;
        self.col_chars + 1
    }

    fn head(&mut self) -> Head {
        Head {
            line: self.line,
            column: self.column(self.i),
            start: self.i,
        }
    }

    fn err_at(&mut self, pos: usize, message: impl Into<String>) -> YamlError {
        // A bad `\u` escape may end past a line break the string holds.
        let pos = pos.min(self.bytes.len());
        if let Some(nl) = self.bytes[self.line_start.min(pos)..pos]
            .iter()
            .rposition(|&b| b == b'\n')
        {
            let from = self.line_start;
            self.line += self.bytes[from..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line_start = from + nl + 1;
            self.col_byte = self.line_start;
            self.col_chars = 0;
        }
        YamlError {
            line: self.line,
            column: self.column(pos),
            message: message.into(),
        }
    }

    /// An error at the end of the text points at its last character.
    fn eof(&mut self, what: &str) -> YamlError {
        let last = self.bytes.len().saturating_sub(1).max(self.line_start);
        self.err_at(last, format!("EOF while parsing {what}"))
    }

    fn expected(&mut self, what: &str, eof_in: &str) -> YamlError {
        if self.i >= self.bytes.len() {
            self.eof(eof_in)
        } else {
            self.err_at(self.i, format!("expected {what}"))
        }
    }

    fn too_deep(&mut self, depth: usize) -> Result<(), YamlError> {
        if depth > MAX_DEPTH {
            return Err(self.err_at(self.i, "the document is nested too deeply"));
        }
        Ok(())
    }

    fn document(
        mut self,
        mut on_item: Option<&mut dyn FnMut(Value, PosNode)>,
    ) -> Result<(Value, PosNode), YamlError> {
        let mut stack: Vec<Open> = Vec::new();
        self.skip_ws();
        'value: loop {
            // At the first character of a value, `stack.len()` deep.
            self.too_deep(stack.len())?;
            let head = self.head();
            let mut done = match self.peek() {
                Some(b'{') => {
                    self.i += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        let node = container(
                            head,
                            self.i,
                            NodeStyle::FlowMap,
                            PosChildren::Map(Vec::new()),
                        );
                        (Value::Object(Map::new()), node)
                    } else {
                        let key = self.key(stack.len() + 1)?;
                        stack.push(Open::Map {
                            head,
                            map: Map::new(),
                            positions: Vec::new(),
                            key,
                        });
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        let node = container(
                            head,
                            self.i,
                            NodeStyle::FlowSeq,
                            PosChildren::Seq(Vec::new()),
                        );
                        (Value::Array(Vec::new()), node)
                    } else {
                        stack.push(Open::Seq {
                            head,
                            items: Vec::new(),
                            positions: Vec::new(),
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    (
                        Value::String(s),
                        leaf(head, self.i, NodeStyle::DoubleQuoted),
                    )
                }
                Some(b'-' | b'0'..=b'9') => {
                    let v = self.number()?;
                    (v, leaf(head, self.i, NodeStyle::Plain))
                }
                Some(b't' | b'f' | b'n') => {
                    let v = self.literal()?;
                    (v, leaf(head, self.i, NodeStyle::Plain))
                }
                _ => return Err(self.expected("value", "a value")),
            };
            // Hand the finished node to the containers it closes.
            loop {
                self.skip_ws();
                let depth = stack.len();
                // An item of the root object's (first) `items` array.
                let to_sink = depth == 2
                    && on_item.is_some()
                    && matches!(&stack[0], Open::Map { map, key, .. }
                        if key.name == "items" && !map.contains_key("items"));
                let Some(top) = stack.last_mut() else {
                    if self.i < self.bytes.len() {
                        return Err(self.err_at(self.i, "trailing characters"));
                    }
                    return Ok(done);
                };
                match top {
                    Open::Seq {
                        items, positions, ..
                    } => {
                        match on_item.as_mut() {
                            Some(sink) if to_sink => sink(done.0, done.1),
                            _ => {
                                items.push(done.0);
                                positions.push(done.1);
                            }
                        }
                        match self.peek() {
                            Some(b',') => {
                                self.i += 1;
                                self.skip_ws();
                                if self.peek() == Some(b']') {
                                    return Err(self.err_at(self.i, "trailing comma"));
                                }
                                continue 'value;
                            }
                            Some(b']') => self.i += 1,
                            _ => return Err(self.expected("`,` or `]`", "a list")),
                        }
                    }
                    Open::Map {
                        map,
                        positions,
                        key,
                        ..
                    } => {
                        let (value, pos) = done;
                        let name = std::mem::take(&mut key.name);
                        match map.entry(name) {
                            Entry::Occupied(e) => {
                                let prev = positions
                                    .iter()
                                    .find(|(k, _)| k == e.key())
                                    .map_or(0, |(_, p)| p.line);
                                return Err(YamlError {
                                    line: key.at.line,
                                    column: key.at.column,
                                    message: format!(
                                        "mapping key {:?} already defined at line {prev}",
                                        e.key()
                                    ),
                                });
                            }
                            Entry::Vacant(e) => {
                                positions.push((
                                    e.key().clone(),
                                    PosNode {
                                        line: key.at.line,
                                        column: key.at.column,
                                        key_start: offset(key.at.start),
                                        ..pos
                                    },
                                ));
                                e.insert(value);
                            }
                        }
                        match self.peek() {
                            Some(b',') => {
                                self.i += 1;
                                self.skip_ws();
                                if self.peek() == Some(b'}') {
                                    return Err(self.err_at(self.i, "trailing comma"));
                                }
                                *key = self.key(depth)?;
                                continue 'value;
                            }
                            Some(b'}') => self.i += 1,
                            _ => return Err(self.expected("`,` or `}`", "an object")),
                        }
                    }
                }
                // The top container closed at `self.i`.
                done = match stack.pop() {
                    Some(Open::Seq {
                        head,
                        items,
                        positions,
                    }) => (
                        Value::Array(items),
                        container(
                            head,
                            self.i,
                            NodeStyle::FlowSeq,
                            PosChildren::Seq(positions),
                        ),
                    ),
                    Some(Open::Map {
                        head,
                        map,
                        positions,
                        ..
                    }) => (
                        Value::Object(map),
                        container(
                            head,
                            self.i,
                            NodeStyle::FlowMap,
                            PosChildren::Map(positions),
                        ),
                    ),
                    None => return Err(self.err_at(self.i, "unbalanced brackets")),
                };
            }
        }
    }

    /// A key `depth` deep, its `:` and the blanks after it.
    fn key(&mut self, depth: usize) -> Result<Key, YamlError> {
        if self.peek() != Some(b'"') {
            return Err(if self.i >= self.bytes.len() {
                self.eof("an object")
            } else {
                self.err_at(self.i, "key must be a string")
            });
        }
        // A key is a node of its own to the YAML layer, so it is bounded too.
        self.too_deep(depth)?;
        let at = self.head();
        let name = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.expected("`:`", "an object"));
        }
        self.i += 1;
        self.skip_ws();
        Ok(Key { name, at })
    }

    /// The string whose opening quote is at `self.i`.
    fn string(&mut self) -> Result<String, YamlError> {
        let b = self.bytes;
        let start = self.i + 1;
        let mut j = start;
        loop {
            match b.get(j) {
                None => {
                    self.i = j;
                    return Err(self.eof("a string"));
                }
                Some(b'"') => {
                    self.i = j + 1;
                    return Ok(self.text[start..j].to_owned());
                }
                Some(b'\\') => break,
                Some(&c) if c < 0x20 => return Err(self.control(j)),
                Some(_) => j += 1,
            }
        }
        let mut out = String::with_capacity(j - start + 16);
        let mut run = start;
        loop {
            match b.get(j) {
                None => {
                    self.i = j;
                    return Err(self.eof("a string"));
                }
                Some(b'"') => {
                    out.push_str(&self.text[run..j]);
                    self.i = j + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..j]);
                    let c = match b.get(j + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, len) = self.unicode_escape(j)?;
                            out.push(c);
                            j += len;
                            run = j;
                            continue;
                        }
                        Some(_) => return Err(self.err_at(j + 1, "invalid escape")),
                        None => {
                            self.i = j + 1;
                            return Err(self.eof("a string"));
                        }
                    };
                    out.push(c);
                    j += 2;
                    run = j;
                }
                Some(&c) if c < 0x20 => return Err(self.control(j)),
                Some(_) => j += 1,
            }
        }
    }

    /// The `\uXXXX` escape at `j` (a pair of them for a surrogate pair) and
    /// its length in bytes. A surrogate without its other half becomes
    /// U+FFFD, as Go's `encoding/json` (and so the API server) decodes it.
    fn unicode_escape(&mut self, j: usize) -> Result<(char, usize), YamlError> {
        let b = self.bytes;
        let Some(hi) = hex4(b.get(j + 2..).unwrap_or_default()) else {
            if j + 6 > b.len() {
                self.i = b.len();
                return Err(self.eof("a string"));
            }
            // At the last of the four digits, as serde_json reports it.
            return Err(self.err_at(j + 5, "invalid \\u escape"));
        };
        if let Some(c) = char::from_u32(hi) {
            return Ok((c, 6));
        }
        if (0xD800..0xDC00).contains(&hi) && b.get(j + 6..j + 8) == Some(b"\\u") {
            if let Some(lo @ 0xDC00..=0xDFFF) = hex4(b.get(j + 8..).unwrap_or_default()) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok((char::from_u32(c).unwrap_or('\u{fffd}'), 12));
            }
        }
        Ok(('\u{fffd}', 6))
    }

    fn control(&mut self, j: usize) -> YamlError {
        self.err_at(
            j,
            "control character (\\u0000-\\u001F) found while parsing a string",
        )
    }

    /// A number, resolved as the YAML layer resolves the same plain scalar.
    fn number(&mut self) -> Result<Value, YamlError> {
        let b = self.bytes;
        let start = self.i;
        let mut j = start;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        let digits = |mut j: usize| {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            j
        };
        match b.get(j) {
            Some(b'0') => j += 1,
            Some(b'1'..=b'9') => j = digits(j),
            _ => return Err(self.invalid_number(j)),
        }
        let int_end = j;
        if b.get(j) == Some(&b'.') {
            if !b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                return Err(self.invalid_number(j + 1));
            }
            j = digits(j + 1);
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if !b.get(j).is_some_and(u8::is_ascii_digit) {
                return Err(self.invalid_number(j));
            }
            j = digits(j);
        }
        self.i = j;
        let text = &self.text[start..j];
        // Up to 18 digits always fits an i64: the common case, without the
        // general resolver's allocations.
        if j == int_end && j - start <= 18 {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Value::Number(Number::from(n)));
            }
        }
        resolve_plain(text).map_err(|m| self.err_at(start, m.to_string()))
    }

    fn invalid_number(&mut self, j: usize) -> YamlError {
        if j >= self.bytes.len() {
            self.eof("a value")
        } else {
            self.err_at(j, "invalid number")
        }
    }

    fn literal(&mut self) -> Result<Value, YamlError> {
        let rest = &self.bytes[self.i..];
        let (word, value): (&[u8], Value) = match rest.first() {
            Some(b't') => (b"true", Value::Bool(true)),
            Some(b'f') => (b"false", Value::Bool(false)),
            _ => (b"null", Value::Null),
        };
        match rest.iter().zip(word).position(|(a, b)| a != b) {
            Some(k) => Err(self.err_at(self.i + k, "expected ident")),
            None if rest.len() < word.len() => Err(self.eof("a value")),
            None => {
                self.i += word.len();
                Ok(value)
            }
        }
    }
}

fn container(head: Head, end: usize, style: NodeStyle, children: PosChildren) -> PosNode {
    PosNode {
        children,
        ..leaf(head, end, style)
    }
}
