//! One YAML document into a JSON value plus the position of every node.

use super::resolve::resolve_plain;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Where a node starts (1-based line and column) and where its children are.
///
/// For a mapping entry, `line`/`column`/`key_start` are the key's and
/// `start..end`/`style`/`children` the value's: errors point at the key,
/// while the text editor (`yaml::edit`) rewrites the value's bytes.
#[derive(Clone, Debug, Default)]
pub struct PosNode {
    /// 1-based line (of the key, for a mapping entry).
    pub line: usize,
    /// 1-based column (of the key, for a mapping entry).
    pub column: usize,
    /// Byte range of the node's text in the parsed text (quotes, brackets
    /// and a block scalar's indicator included).
    pub start: u32,
    /// End of the node's text (exclusive): see `start`.
    pub end: u32,
    /// Byte offset of the key of a mapping entry; `start` otherwise.
    pub key_start: u32,
    /// How the node is written, so an edit keeps its style.
    pub style: NodeStyle,
    /// The positions of its items or entries.
    pub children: PosChildren,
}

impl PosNode {
    /// A node whose text is `start..end` (its own key, if any, set later).
    fn spanning(
        (line, column): (usize, usize),
        (start, end): (usize, usize),
        style: NodeStyle,
        children: PosChildren,
    ) -> Self {
        PosNode {
            line,
            column,
            start: offset(start),
            end: offset(end),
            key_start: offset(start),
            style,
            children,
        }
    }
}

/// How a node is written in the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NodeStyle {
    /// An unquoted scalar.
    #[default]
    Plain,
    /// A `'single-quoted'` scalar.
    SingleQuoted,
    /// A `"double-quoted"` scalar.
    DoubleQuoted,
    /// A `|` block scalar.
    Literal,
    /// A `>` block scalar.
    Folded,
    /// A mapping in block style (one entry a line).
    BlockMap,
    /// A sequence in block style (`- ` items).
    BlockSeq,
    /// A `{...}` mapping.
    FlowMap,
    /// A `[...]` sequence.
    FlowSeq,
    /// `*name`: the value is the anchor's, the text is elsewhere.
    Alias,
    /// An entry a `<<` merge key brought in: not written in this mapping.
    Merged,
}

impl NodeStyle {
    /// Whether the node is a flow collection, whose edits must stay flow.
    pub fn is_flow(self) -> bool {
        matches!(self, NodeStyle::FlowMap | NodeStyle::FlowSeq)
    }
}

/// The positions of a node's children, shaped like the node.
#[derive(Clone, Debug, Default)]
pub enum PosChildren {
    /// A scalar (or alias): no children.
    #[default]
    Leaf,
    /// A sequence's items, in order.
    Seq(Vec<PosNode>),
    /// Entries in value order; keys are unique. A Vec, not a map: it is
    /// built for every mapping of every document but only searched when an
    /// error or finding needs a line.
    Map(Vec<(String, PosNode)>),
}

/// A syntax or typing error, 1-based position within the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

const MAX_DEPTH: usize = 512;

/// goyaml.v2's bound on alias expansion (decode.go `allowedAliasRatio`),
/// which sigs.k8s.io/yaml and so the API server apply: past 1,000 decoded
/// nodes, at most 99% of them may come from aliases, falling to 10% from
/// 400,000 to 4,000,000 nodes. Expansion cost stays proportional to input.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

struct Builder<'a> {
    text: &'a str,
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Anchored nodes with the number of nodes each holds.
    anchors: HashMap<usize, (Value, PosNode, usize)>,
    /// Where the parser's characters are in the text's bytes and lines.
    lines: Lines,
    decode_count: usize,
    alias_count: usize,
    /// The first plain scalar JSON cannot carry (`.inf`, `.nan`).
    unrepresentable: Option<YamlError>,
}

/// Converts the parser's positions, counted in characters from the start,
/// into byte offsets and the line/column every other part of the tool
/// reports. The parser's own line numbers also break lines at a lone CR
/// (YAML 1.2 §5.4), which no other position (JSON errors, invalid bytes,
/// the source line shown under an error) does, and which would put node
/// spans on the wrong bytes.
struct Lines {
    len: usize,
    ascii: bool,
    /// Byte offset of every `CHECKPOINT`-th character (non-ASCII text).
    checkpoints: Vec<usize>,
    /// Character index at which each line starts: after each LF.
    line_chars: Vec<usize>,
    /// Characters in the text.
    chars: usize,
}

const CHECKPOINT: usize = 64;

impl Lines {
    fn new(text: &str) -> Lines {
        let ascii = text.is_ascii();
        let mut line_chars = vec![0];
        let mut checkpoints = Vec::new();
        let mut chars = 0;
        if ascii {
            line_chars.extend(newlines(text.as_bytes()));
            chars = text.len();
        } else {
            for (ci, (bi, ch)) in text.char_indices().enumerate() {
                if ci % CHECKPOINT == 0 {
                    checkpoints.push(bi);
                }
                if ch == '\n' {
                    line_chars.push(ci + 1);
                }
                chars = ci + 1;
            }
        }
        Lines {
            len: text.len(),
            ascii,
            checkpoints,
            line_chars,
            chars,
        }
    }

    /// Byte offset of character `index` (the end of the text past it).
    fn byte(&self, text: &str, index: usize) -> usize {
        if self.ascii {
            return index.min(self.len);
        }
        let Some(&from) = self.checkpoints.get(index / CHECKPOINT) else {
            return self.len;
        };
        let bytes = text.as_bytes();
        let mut b = from;
        for _ in 0..index % CHECKPOINT {
            if b >= bytes.len() {
                break;
            }
            b += utf8_len(bytes[b]);
        }
        b.min(self.len)
    }

    /// 1-based line and column of character `index`.
    fn line_col(&self, index: usize) -> (usize, usize) {
        let index = index.min(self.chars);
        let line = self.line_chars.partition_point(|&c| c <= index).max(1);
        (line, index - self.line_chars[line - 1] + 1)
    }

    fn pos(&self, span: &Span) -> (usize, usize) {
        self.line_col(span.start.index())
    }
}

fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

fn err_at(lines: &Lines, span: &Span, message: impl Into<String>) -> YamlError {
    let (line, column) = lines.pos(span);
    YamlError {
        line,
        column,
        message: message.into(),
    }
}

impl<'a> Builder<'a> {
    /// Adds an entry to a mapping being built (block, flow or a streamed
    /// root alike): its key must be a scalar not already in the mapping.
    fn add_entry(
        &self,
        map: &mut Map<String, Value>,
        positions: &mut Vec<(String, PosNode)>,
        (kv, ksp, kp): (&Value, &Span, &PosNode),
        (v, p): (Value, PosNode),
    ) -> Result<(), YamlError> {
        let key = key_string(kv)
            .ok_or_else(|| err_at(&self.lines, ksp, "a mapping key must be a scalar"))?;
        if map.contains_key(&key) {
            let prev = positions
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0, |(_, p)| p.line);
            return Err(err_at(
                &self.lines,
                ksp,
                format!("mapping key {key:?} already defined at line {prev}"),
            ));
        }
        let (line, column) = self.lines.pos(ksp);
        positions.push((
            key.clone(),
            PosNode {
                line,
                column,
                key_start: kp.start,
                ..p
            },
        ));
        map.insert(key, v);
        Ok(())
    }

    /// Byte offset of a parser marker.
    fn byte(&self, m: &saphyr_parser::Marker) -> usize {
        self.lines.byte(self.text, m.index())
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.events.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => {
                let (line, column) = self.lines.line_col(e.marker().index());
                Err(YamlError {
                    line,
                    column,
                    message: e.info().to_string(),
                })
            }
            None => Err(YamlError {
                line: 1,
                column: 1,
                message: "unexpected end of the YAML stream".into(),
            }),
        }
    }

    /// Builds the node that starts with `ev`.
    fn node(
        &mut self,
        ev: Event<'a>,
        span: Span,
        depth: usize,
    ) -> Result<(Value, PosNode), YamlError> {
        if depth > MAX_DEPTH {
            return Err(err_at(
                &self.lines,
                &span,
                "the document is nested too deeply",
            ));
        }
        let (line, column) = self.lines.pos(&span);
        // An anchor or tag before the node belongs to none of its bytes.
        let start = skip_properties(self.text, self.byte(&span.start));
        let count_before = self.decode_count;
        self.decode_count += 1;
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_deref())
                    .map_err(|m| err_at(&self.lines, &span, m))?;
                let value = match value {
                    Scalar::Json(v) => v,
                    Scalar::Unrepresentable(m) => {
                        if self.unrepresentable.is_none() {
                            self.unrepresentable = Some(err_at(&self.lines, &span, m));
                        }
                        Value::String(text.to_string())
                    }
                };
                let raw_end = self.byte(&span.end);
                let (start, end, style) = scalar_extent(self.text, start, raw_end, style);
                let out = (
                    value,
                    PosNode::spanning((line, column), (start, end), style, PosChildren::Leaf),
                );
                if anchor > 0 {
                    self.anchors
                        .insert(anchor, (out.0.clone(), out.1.clone(), 1));
                }
                Ok(out)
            }
            Event::Alias(id) => {
                let Some(&(_, _, n)) = self.anchors.get(&id) else {
                    return Err(err_at(&self.lines, &span, "unknown anchor"));
                };
                // Counted before the copy is made, so a bomb stops here.
                self.decode_count += n.saturating_sub(1);
                self.alias_count += n;
                if self.alias_count > 100
                    && self.decode_count > 1000
                    && self.alias_count as f64 / self.decode_count as f64
                        > allowed_alias_ratio(self.decode_count)
                {
                    return Err(err_at(
                        &self.lines,
                        &span,
                        "document contains excessive aliasing",
                    ));
                }
                let end = self.byte(&span.end);
                let (v, mut p, _) = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| err_at(&self.lines, &span, "unknown anchor"))?;
                p.line = line;
                p.column = column;
                p.start = offset(start);
                p.end = offset(end.max(start));
                p.key_start = p.start;
                p.style = NodeStyle::Alias;
                Ok((v, p))
            }
            Event::SequenceStart(anchor, _) => {
                let flow = self.text.as_bytes().get(start) == Some(&b'[');
                let mut items = Vec::new();
                let mut positions: Vec<PosNode> = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break if flow {
                            self.byte(&sp.end)
                        } else {
                            positions.last().map_or(start, |p| p.end as usize)
                        };
                    }
                    let (v, p) = self.node(ev, sp, depth + 1)?;
                    items.push(v);
                    positions.push(p);
                };
                // A block sequence starts at its first dash; the parser's
                // event sits there or, for a sequence not indented under
                // its key, at the first item's content.
                let start = match positions.first() {
                    Some(f) if !flow => dash_before(self.text, f.start as usize).unwrap_or(start),
                    _ => start,
                };
                let out = (
                    Value::Array(items),
                    PosNode::spanning(
                        (line, column),
                        (start, end),
                        if flow {
                            NodeStyle::FlowSeq
                        } else {
                            NodeStyle::BlockSeq
                        },
                        PosChildren::Seq(positions),
                    ),
                );
                if anchor > 0 {
                    let n = self.decode_count - count_before;
                    self.anchors
                        .insert(anchor, (out.0.clone(), out.1.clone(), n));
                }
                Ok(out)
            }
            Event::MappingStart(anchor, _) => {
                let flow = self.text.as_bytes().get(start) == Some(&b'{');
                let mut map = Map::new();
                let mut positions: Vec<(String, PosNode)> = Vec::new();
                let mut merged: Vec<(Value, PosNode)> = Vec::new();
                let mut last_end = start;
                let end = loop {
                    let (kev, ksp) = self.next()?;
                    if matches!(kev, Event::MappingEnd) {
                        break if flow { self.byte(&ksp.end) } else { last_end };
                    }
                    let is_merge =
                        matches!(&kev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let (kv, kp) = self.node(kev, ksp, depth + 1)?;
                    let (vev, vsp) = self.next()?;
                    let (v, p) = self.node(vev, vsp, depth + 1)?;
                    last_end = last_end.max(p.end as usize).max(kp.end as usize);
                    if is_merge {
                        merged.push((v, p));
                        continue;
                    }
                    self.add_entry(&mut map, &mut positions, (&kv, &ksp, &kp), (v, p))?;
                };
                // `<<` merge keys: entries the mapping does not define itself.
                for (v, p) in merged {
                    let sources: Vec<(Value, PosNode)> = match (v, p.children) {
                        (Value::Array(items), PosChildren::Seq(ps)) => {
                            items.into_iter().zip(ps).collect()
                        }
                        (v, children) => vec![(v, PosNode { children, ..p })],
                    };
                    for (src, sp) in sources {
                        let Value::Object(m) = src else {
                            return Err(YamlError {
                                line: sp.line,
                                column: sp.column,
                                message: "a merge key needs a mapping".into(),
                            });
                        };
                        for (k, v) in m {
                            if !map.contains_key(&k) {
                                positions.push((
                                    k.clone(),
                                    PosNode {
                                        line: sp.line,
                                        column: sp.column,
                                        style: NodeStyle::Merged,
                                        ..PosNode::default()
                                    },
                                ));
                                map.insert(k, v);
                            }
                        }
                    }
                }
                let out = (
                    Value::Object(map),
                    PosNode::spanning(
                        (line, column),
                        (start, end),
                        if flow {
                            NodeStyle::FlowMap
                        } else {
                            NodeStyle::BlockMap
                        },
                        PosChildren::Map(positions),
                    ),
                );
                if anchor > 0 {
                    let n = self.decode_count - count_before;
                    self.anchors
                        .insert(anchor, (out.0.clone(), out.1.clone(), n));
                }
                Ok(out)
            }
            _ => Err(err_at(&self.lines, &span, "unexpected YAML event")),
        }
    }
}

/// sigs.k8s.io/yaml turns non-string keys into their text.
fn key_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A scalar's value, or the reason JSON (and so the API server) cannot
/// carry it: kept as text so documents nobody reads pass through.
enum Scalar {
    Json(Value),
    Unrepresentable(String),
}

fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> Result<Scalar, String> {
    let resolved = |t: &str| match resolve_plain(t) {
        Ok(v) => Scalar::Json(v),
        Err(m) => Scalar::Unrepresentable(m.to_string()),
    };
    if let Some(tag) = tag {
        let core = tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:";
        if core {
            return match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => Ok(Scalar::Json(Value::String(text.to_string()))),
                "null" => Ok(Scalar::Json(Value::Null)),
                "bool" | "int" | "float" => match resolved(text) {
                    Scalar::Json(Value::String(_)) => {
                        Err(format!("cannot decode {text:?} as !!{}", tag.suffix))
                    }
                    other => Ok(other),
                },
                _ => Ok(Scalar::Json(Value::String(text.to_string()))),
            };
        }
    }
    match style {
        ScalarStyle::Plain => Ok(resolved(text)),
        _ => Ok(Scalar::Json(Value::String(text.to_string()))),
    }
}

/// Past `&anchor` and `!tag` properties (and the blanks after them).
fn skip_properties(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() && matches!(b[i], b'&' | b'!') {
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
    }
    i.min(b.len())
}

/// The `-` before a block sequence item that starts at `start`.
pub fn dash_before(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start.min(b.len());
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    (i > 0 && b[i - 1] == b'-').then(|| i - 1)
}

fn offset(b: usize) -> u32 {
    u32::try_from(b).unwrap_or(u32::MAX)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The bytes a scalar occupies. The parser's span of a quoted scalar runs on
/// over trailing blanks and comments, and a block scalar's starts at its
/// content, so both are found in the text.
fn scalar_extent(
    text: &str,
    start: usize,
    raw_end: usize,
    style: ScalarStyle,
) -> (usize, usize, NodeStyle) {
    let b = text.as_bytes();
    match style {
        ScalarStyle::Plain => (start, raw_end.max(start), NodeStyle::Plain),
        ScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return (start, i + 1, NodeStyle::SingleQuoted);
                }
                i += 1;
            }
            (start, b.len(), NodeStyle::SingleQuoted)
        }
        ScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return (start, i + 1, NodeStyle::DoubleQuoted),
                    _ => i += 1,
                }
            }
            (start, b.len(), NodeStyle::DoubleQuoted)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let node_style = if matches!(style, ScalarStyle::Literal) {
                NodeStyle::Literal
            } else {
                NodeStyle::Folded
            };
            let indicator = if matches!(style, ScalarStyle::Literal) {
                b'|'
            } else {
                b'>'
            };
            // The header is the last line before the content holding the
            // indicator (blank lines may come between).
            let mut i = start.min(b.len());
            let ind = loop {
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                let line = &text[line_start..i];
                let code = line.find(" #").map_or(line, |c| &line[..c]);
                if let Some(p) = code.rfind(indicator as char) {
                    break line_start + p;
                }
                if line_start == 0 {
                    break start;
                }
                i = line_start - 1;
            };
            let mut end = raw_end.min(b.len()).max(start);
            while end > start && b[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            (ind, end.max(ind + 1).min(b.len()), node_style)
        }
    }
}

/// Parses one document (the whole of `text`). `None` when it is empty.
pub fn parse_document(text: &str) -> Result<Option<(Value, PosNode)>, YamlError> {
    Ok(parse_document_lines(text)?.map(|(v, p, _)| (v, p)))
}

/// [`parse_document`], plus the first scalar JSON cannot carry (`.inf`):
/// such a document can pass through untouched, but not be read as a resource.
pub type ParsedDoc = (Value, PosNode, Option<YamlError>);

/// Parses one document (the whole of `text`), keeping the first scalar JSON
/// cannot carry; `None` when it is empty.
pub fn parse_document_lines(text: &str) -> Result<Option<ParsedDoc>, YamlError> {
    let mut b = Builder {
        text,
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        lines: Lines::new(text),
        decode_count: 0,
        alias_count: 0,
        unrepresentable: None,
    };
    let mut result = None;
    loop {
        let (ev, span) = b.next()?;
        match ev {
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            ev => {
                if result.is_some() {
                    return Err(err_at(
                        &b.lines,
                        &span,
                        "more than one document where one was expected",
                    ));
                }
                result = Some(b.node(ev, span, 0)?);
            }
        }
    }
    Ok(result.map(|(v, p)| (v, p, b.unrepresentable)))
}

/// [`parse_document_lines`] for a document whose top-level `items` may be
/// huge (a `kind: List` of every pod of a cluster): each item of the root
/// mapping's `items` sequence goes to `on_item` as soon as it is built, and
/// the document comes back with `items: []` in its place and `true`, so
/// the items are never all held at once. Values, positions (chunk lines)
/// and errors are otherwise those of [`parse_document_lines`]; an anchored
/// `items` sequence, which a later alias may copy, is built whole (`false`).
pub fn parse_document_items(
    text: &str,
    on_item: &mut dyn FnMut(Value, PosNode),
) -> Result<Option<(ParsedDoc, bool)>, YamlError> {
    let mut b = Builder {
        text,
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        lines: Lines::new(text),
        decode_count: 0,
        alias_count: 0,
        unrepresentable: None,
    };
    let mut result = None;
    loop {
        let (ev, span) = b.next()?;
        match ev {
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            ev => {
                if result.is_some() {
                    return Err(err_at(
                        &b.lines,
                        &span,
                        "more than one document where one was expected",
                    ));
                }
                result = Some(match ev {
                    Event::MappingStart(..) => b.streamed_root(span, on_item)?,
                    ev => {
                        let (v, p) = b.node(ev, span, 0)?;
                        (v, p, false)
                    }
                });
            }
        }
    }
    Ok(result.map(|(v, p, streamed)| ((v, p, b.unrepresentable), streamed)))
}

impl<'a> Builder<'a> {
    /// The `MappingStart` arm of [`Builder::node`] for the root, handing the
    /// items of its `items` sequence to `on_item`. The root's own anchor is
    /// not recorded: no alias inside the document can refer to it.
    fn streamed_root(
        &mut self,
        span: Span,
        on_item: &mut dyn FnMut(Value, PosNode),
    ) -> Result<(Value, PosNode, bool), YamlError> {
        let (line, column) = self.lines.pos(&span);
        let start = skip_properties(self.text, self.byte(&span.start));
        self.decode_count += 1;
        let flow = self.text.as_bytes().get(start) == Some(&b'{');
        let mut map = Map::new();
        let mut positions: Vec<(String, PosNode)> = Vec::new();
        let mut merged: Vec<(Value, PosNode)> = Vec::new();
        let mut last_end = start;
        let mut streamed = false;
        let end = loop {
            let (kev, ksp) = self.next()?;
            if matches!(kev, Event::MappingEnd) {
                break if flow { self.byte(&ksp.end) } else { last_end };
            }
            let is_merge =
                matches!(&kev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
            let (kv, kp) = self.node(kev, ksp, 1)?;
            let (vev, vsp) = self.next()?;
            let items = !is_merge
                && !streamed
                && matches!(vev, Event::SequenceStart(0, _))
                && matches!(&kv, Value::String(k) if k == "items");
            let (v, p) = if items {
                streamed = true;
                self.streamed_items(vsp, on_item)?
            } else {
                self.node(vev, vsp, 1)?
            };
            last_end = last_end.max(p.end as usize).max(kp.end as usize);
            if is_merge {
                merged.push((v, p));
                continue;
            }
            self.add_entry(&mut map, &mut positions, (&kv, &ksp, &kp), (v, p))?;
        };
        merge_into(&mut map, &mut positions, merged)?;
        let node = PosNode {
            line,
            column,
            start: offset(start),
            end: offset(end),
            key_start: offset(start),
            style: if flow {
                NodeStyle::FlowMap
            } else {
                NodeStyle::BlockMap
            },
            children: PosChildren::Map(positions),
        };
        Ok((Value::Object(map), node, streamed))
    }

    /// The `SequenceStart` arm of [`Builder::node`] for the root's `items`,
    /// each item handed over as soon as it is built.
    fn streamed_items(
        &mut self,
        span: Span,
        on_item: &mut dyn FnMut(Value, PosNode),
    ) -> Result<(Value, PosNode), YamlError> {
        let (line, column) = self.lines.pos(&span);
        let start = skip_properties(self.text, self.byte(&span.start));
        self.decode_count += 1;
        let flow = self.text.as_bytes().get(start) == Some(&b'[');
        let mut first_start = None;
        let mut last_end = None;
        let end = loop {
            let (ev, sp) = self.next()?;
            if matches!(ev, Event::SequenceEnd) {
                break if flow {
                    self.byte(&sp.end)
                } else {
                    last_end.unwrap_or(start)
                };
            }
            let (v, p) = self.node(ev, sp, 2)?;
            first_start.get_or_insert(p.start as usize);
            last_end = Some(p.end as usize);
            on_item(v, p);
        };
        let start = match first_start {
            Some(f) if !flow => dash_before(self.text, f).unwrap_or(start),
            _ => start,
        };
        let node = PosNode {
            line,
            column,
            start: offset(start),
            end: offset(end),
            key_start: offset(start),
            style: if flow {
                NodeStyle::FlowSeq
            } else {
                NodeStyle::BlockSeq
            },
            children: PosChildren::Seq(Vec::new()),
        };
        Ok((Value::Array(Vec::new()), node))
    }
}

/// `<<` merge keys, as [`Builder::node`] applies them: entries the mapping
/// does not define itself.
fn merge_into(
    map: &mut Map<String, Value>,
    positions: &mut Vec<(String, PosNode)>,
    merged: Vec<(Value, PosNode)>,
) -> Result<(), YamlError> {
    for (v, p) in merged {
        let sources: Vec<(Value, PosNode)> = match (v, p.children) {
            (Value::Array(items), PosChildren::Seq(ps)) => items.into_iter().zip(ps).collect(),
            (v, children) => vec![(v, PosNode { children, ..p })],
        };
        for (src, sp) in sources {
            let Value::Object(m) = src else {
                return Err(YamlError {
                    line: sp.line,
                    column: sp.column,
                    message: "a merge key needs a mapping".into(),
                });
            };
            for (k, v) in m {
                if !map.contains_key(&k) {
                    positions.push((
                        k.clone(),
                        PosNode {
                            line: sp.line,
                            column: sp.column,
                            style: NodeStyle::Merged,
                            ..PosNode::default()
                        },
                    ));
                    map.insert(k, v);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_positions() {
        let (v, p) = parse_document("a: 1\nb:\n  - x\n  - {c: yes}\n")
            .expect("parses")
            .expect("doc");
        assert_eq!(v, json!({"a": 1, "b": ["x", {"c": true}]}));
        let PosChildren::Map(m) = &p.children else {
            panic!("map")
        };
        let b = &m.iter().find(|(k, _)| k == "b").expect("b").1;
        assert_eq!((b.line, b.column), (2, 1));
        let PosChildren::Seq(items) = &b.children else {
            panic!("seq")
        };
        assert_eq!((items[1].line, items[1].column), (4, 5));
    }

    /// A lone CR breaks a YAML line, but every position the tool reports
    /// counts LF-ended lines: nodes after one stay on their LF line and
    /// their spans on their bytes (found by fuzzing).
    #[test]
    fn lone_carriage_returns_keep_lf_positions() {
        let text = "a:\r  b: \u{e9}\nc: [x, yz]\n";
        let (v, p) = parse_document(text).expect("parses").expect("doc");
        assert_eq!(v, json!({"a": {"b": "\u{e9}"}, "c": ["x", "yz"]}));
        let PosChildren::Map(m) = &p.children else {
            panic!("map")
        };
        let c = &m.iter().find(|(k, _)| k == "c").expect("c").1;
        assert_eq!((c.line, c.column), (2, 1));
        let PosChildren::Seq(items) = &c.children else {
            panic!("seq")
        };
        assert_eq!(&text[items[1].start as usize..items[1].end as usize], "yz");
        let e = parse_document("a: 1\rb: [\n: x\n").expect_err("bad flow");
        assert!(e.line <= 2, "{e:?}");
        let e = parse_document("x: \u{e9}\ry: z: w\n").expect_err("nested mapping");
        assert_eq!(e.line, 1, "{e:?}");
    }

    #[test]
    fn anchors_merge_and_duplicates() {
        let (v, _) = parse_document("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n")
            .expect("ok")
            .expect("doc");
        assert_eq!(v["d"], json!({"z": 3, "x": 1}));
        let e = parse_document("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(e.line, 2);
        assert!(parse_document("a: [1, 2\n").is_err());
        assert!(parse_document("# only a comment\n").expect("ok").is_none());
    }

    #[test]
    fn never_panics_on_mutations() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a # c\n  labels: {app: 'x'}\nspec:\n  containers:\n  - name: \"c\"\n    args: [a, b]\n    command: |\n      run\n";
        for cut in 0..base.len() {
            let _ = parse_document(&base[..cut]);
            let mut s = base.to_string();
            s.insert(
                cut,
                ['{', ':', '-', '\'', '"', '&', '*', '\t', '['][cut % 9],
            );
            let _ = parse_document(&s);
        }
    }

    #[test]
    fn alias_bombs_are_refused_early() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        let started = std::time::Instant::now();
        let e = parse_document(&text).expect_err("a billion laughs");
        assert!(e.message.contains("excessive aliasing"), "{e:?}");
        // Refused before the expansion is built: a generous bound, not a
        // benchmark (the full expansion would be 10^9 nodes).
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Honest aliasing is fine.
        let (v, _) = parse_document("a: &a {k: v}\nb: *a\nc: *a\n")
            .expect("ok")
            .expect("doc");
        assert_eq!(v["c"], json!({"k": "v"}));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for text in [
            format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            (0..2_000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>(),
        ] {
            // The binary runs on a thread with this stack (main.rs).
            let e = std::thread::Builder::new()
                .stack_size(crate::STACK_SIZE)
                .spawn(move || parse_document(&text).expect_err("too deep"))
                .expect("thread")
                .join()
                .expect("no overflow");
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
        }
    }

    #[test]
    fn spans_cover_the_node_text() {
        let text = "k: &x 'q' # c\nl:\n- \"d\"\n- |\n  lit\nm: {a: 1}\n";
        let (_, p) = parse_document(text).expect("ok").expect("doc");
        let PosChildren::Map(m) = &p.children else {
            panic!("map")
        };
        let span = |k: &str| {
            let n = &m.iter().find(|(key, _)| key == k).expect("key").1;
            &text[n.start as usize..n.end as usize]
        };
        assert_eq!(span("k"), "'q'");
        assert_eq!(span("l"), "- \"d\"\n- |\n  lit");
        assert_eq!(span("m"), "{a: 1}");
    }

    #[test]
    fn unrepresentable_scalars_are_kept_as_text() {
        let (v, _, bad) = parse_document_lines("a: .inf\nb: 1\n")
            .expect("ok")
            .expect("doc");
        assert_eq!(v["a"], json!(".inf"));
        assert_eq!(bad.map(|e| (e.line, e.column)), Some((1, 4)));
    }

    /// `parse_document_items` hands over exactly the items, positions and
    /// errors `parse_document_lines` builds, and the rest of the document.
    #[test]
    fn streamed_items_are_the_whole_parse() {
        // Each text, and whether its items are streamed (`None`: an error).
        let texts = [
            (
                "apiVersion: v1\nitems:\n- a: 1\n  b: [x, y]\n- &p {c: .inf}\n- *p\nkind: List\n",
                Some(true),
            ),
            (
                "{\n  \"items\": [\n    {\"a\": 1},\n    \"s\"\n  ],\n  \"kind\": \"List\"\n}\n",
                Some(true),
            ),
            ("base: &b {kind: List}\nitems:\n  - x\n<<: *b\n", Some(true)),
            ("items: &all [1, 2]\nagain: *all\n", Some(false)),
            ("items: {a: 1}\n", Some(false)),
            ("items: []\n", Some(true)),
            ("- 1\n- 2\n", Some(false)),
            ("items:\n- a: 1\nitems: [2]\n", None),
            ("items:\n- a: [1\n- b\n", None),
            ("kind: List\nitems:\n- x\n---\nmore: 1\n", None),
        ];
        for (text, expected) in texts {
            let got = parse_document_items(text, &mut |_, _| {}).map(|d| d.is_some_and(|d| d.1));
            assert_eq!(got.ok(), expected, "{text}");
            let whole = parse_document_lines(text);
            let mut items: Vec<(Value, PosNode)> = Vec::new();
            let streamed = parse_document_items(text, &mut |v, p| items.push((v, p)));
            match (whole, streamed) {
                (Err(w), Err(s)) => assert_eq!(w, s, "{text}"),
                (Ok(None), Ok(None)) => {}
                (Ok(Some((mut v, mut p, bad))), Ok(Some(((sv, sp, sbad), streamed)))) => {
                    assert_eq!(bad, sbad, "{text}");
                    if streamed {
                        let PosChildren::Map(m) = &mut p.children else {
                            panic!("{text}: the root is a mapping")
                        };
                        let seq = &mut m.iter_mut().find(|(k, _)| k == "items").expect("items").1;
                        let PosChildren::Seq(whole_items) = std::mem::take(&mut seq.children)
                        else {
                            panic!("{text}: items is a sequence")
                        };
                        seq.children = PosChildren::Seq(Vec::new());
                        let values = std::mem::take(&mut v["items"]);
                        v["items"] = json!([]);
                        let whole_items: Vec<(Value, PosNode)> = values
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                            .into_iter()
                            .zip(whole_items)
                            .collect();
                        assert_eq!(format!("{items:?}"), format!("{whole_items:?}"), "{text}");
                    } else {
                        assert!(items.is_empty(), "{text}");
                    }
                    assert_eq!(v, sv, "{text}");
                    assert_eq!(format!("{p:?}"), format!("{sp:?}"), "{text}");
                }
                (w, s) => panic!("{text}: {w:?} but streamed {s:?}"),
            }
        }
    }
}
