//! Turns an input text into documents: the kubectl stream split, parsing,
//! and the positions of nodes for error messages. This is the seam between
//! the YAML layer and the resource model.

use crate::path::{JsonPath, Seg};
use crate::yaml::{PosChildren, PosNode};
use serde_json::Value;
use std::ops::Range;

/// The text form a document was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A YAML stream, `---`-separated (JSON-looking documents in it included).
    Yaml,
    /// A JSON stream (the text starts with `{` or `[`): documents one after
    /// another, no `---`.
    Json,
}

/// One parsed chunk of a stream.
#[derive(Debug)]
pub struct Chunk {
    /// Exact bytes of the chunk, separator line included.
    pub range: Range<usize>,
    /// 1-based line where the chunk starts.
    pub line: usize,
    /// The text form of the chunk.
    pub format: Format,
    /// `None` for an empty chunk (only comments or blank lines).
    pub value: Option<Value>,
    /// Where each node is, to locate errors and edit the text in place.
    pub positions: Positions,
}

/// A syntax error with its 1-based position in the whole text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What the parser expected or found.
    pub message: String,
}

/// Where the nodes of a document are.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    root: Option<PosNode>,
    start_line: usize,
    /// The first scalar JSON cannot carry (`.inf`, `.nan`), in stream lines:
    /// harmless in a document passed through, an error in one that is read.
    pub unrepresentable: Option<ParseError>,
}

impl Positions {
    /// The root node's position, `None` for an empty document.
    pub fn root(&self) -> Option<&PosNode> {
        self.root.as_ref()
    }

    /// The positions of a node parsed on its own (an item handed over by
    /// [`parse_stream_items`]), in stream lines.
    pub fn of_node(root: PosNode) -> Positions {
        Positions {
            start_line: root.line,
            root: Some(root),
            unrepresentable: None,
        }
    }

    /// The positions of the root node, taken.
    pub fn into_root(self) -> Option<PosNode> {
        self.root
    }

    /// Line and column of the node at `path`, or of its deepest existing
    /// ancestor (so an error about a missing field points at its parent).
    pub fn locate(&self, path: &JsonPath) -> Option<(usize, usize)> {
        let Some(mut node) = self.root.as_ref() else {
            return Some((self.start_line.max(1), 1));
        };
        for seg in &path.0 {
            let next = match (seg, &node.children) {
                (Seg::Key(k), PosChildren::Map(m)) => {
                    m.iter().find(|(mk, _)| mk == k).map(|(_, n)| n)
                }
                (Seg::Index(i), PosChildren::Seq(s)) => s.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        Some((node.line, node.column))
    }
}

/// One chunk of a stream as the split finds it, not parsed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Exact bytes of the chunk, separator line included.
    pub range: Range<usize>,
    /// 1-based line where the chunk starts.
    pub line: usize,
    /// The text form of the chunk.
    pub format: Format,
}

/// The chunks of `text` as kubectl splits them, without parsing any: the
/// chunks before the first syntax error of a JSON stream, and that error.
/// Parsing them in order and then reporting the error gives the errors in
/// the order [`parse_stream`] reports them.
pub fn split_stream(text: &str) -> (Vec<Span>, Option<ParseError>) {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if first.starts_with('{') || first.starts_with('[') {
        return split_json_stream(text);
    }
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut chunk_line = 1usize;
    let mut offset = 0usize;
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if line.starts_with("---") && offset > start {
            spans.push(yaml_span(start..offset, chunk_line));
            start = offset;
            chunk_line = line_no;
        }
        offset += line.len();
    }
    if offset > start || spans.is_empty() {
        spans.push(yaml_span(start..offset, chunk_line));
    }
    (spans, None)
}

fn yaml_span(range: Range<usize>, line: usize) -> Span {
    Span {
        range,
        line,
        format: Format::Yaml,
    }
}

/// Splits `text` as kubectl does and parses every document.
pub fn parse_stream(text: &str) -> Result<Vec<Chunk>, ParseError> {
    let (spans, error) = split_stream(text);
    let mut chunks = Vec::with_capacity(spans.len());
    for span in &spans {
        chunks.push(parse_chunk(text, span)?);
    }
    match error {
        Some(e) => Err(e),
        None => Ok(chunks),
    }
}

/// Parses one chunk of `text` found by [`split_stream`]; positions and
/// errors are in lines of the whole text.
pub fn parse_chunk(text: &str, span: &Span) -> Result<Chunk, ParseError> {
    let mut parsed = span.range.clone();
    if span.format == Format::Json {
        // The last chunk of a JSON stream holds the trailing whitespace, but
        // only the value is parsed (as JSON, not as YAML blank lines).
        let body = &text[parsed.clone()];
        parsed.end = parsed.start + body.trim_end_matches([' ', '\t', '\n', '\r']).len();
    }
    let mut chunk = if span.format == Format::Json {
        json_chunk(text, parsed, span.line)?
    } else {
        parse_yaml_chunk(text, parsed, span.line)?
    };
    chunk.range = span.range.clone();
    chunk.format = span.format;
    Ok(chunk)
}

/// [`parse_chunk`] handing the items of a root `items` sequence (a `kind:
/// List`) to `on_item` one by one as they are parsed (positions in stream
/// lines, byte offsets in the chunk): the chunk then reads `items: []`, and
/// `true` comes with it. A chunk none went to is the one [`parse_chunk`]
/// gives. Errors are found as [`parse_chunk`] finds them, not always
/// located as it locates them: a caller that needs the error parses the
/// chunk again.
pub fn parse_chunk_items(
    text: &str,
    span: &Span,
    on_item: &mut dyn FnMut(Value, PosNode),
) -> Result<(Chunk, bool), ParseError> {
    let mut parsed = span.range.clone();
    let line = span.line;
    let (value, root, unrepresentable, streamed) = if span.format == Format::Json {
        let body = &text[parsed.clone()];
        parsed.end = parsed.start + body.trim_end_matches([' ', '\t', '\n', '\r']).len();
        let (value, root, streamed) = crate::json::parse_value_items(&text[parsed], line, on_item)
            .map_err(|e| ParseError {
                line: e.line,
                column: e.column,
                message: e.message,
            })?;
        match value {
            Value::Null => (None, None, None, false),
            v => (Some(v), Some(root), None, streamed),
        }
    } else {
        let in_stream = |e: crate::yaml::YamlError| ParseError {
            line: line + e.line.saturating_sub(1),
            column: e.column,
            message: e.message,
        };
        let mut sent = false;
        let parsed = crate::yaml::parse::parse_document_items(&text[parsed], &mut |v, mut p| {
            shift(&mut p, line - 1);
            sent = true;
            on_item(v, p);
        })
        .map_err(in_stream)?;
        match parsed {
            Some(((Value::Null, _, _), _)) | None => (None, None, None, false),
            Some(((v, mut p, bad), _)) => {
                shift(&mut p, line - 1);
                (Some(v), Some(p), bad.map(in_stream), sent)
            }
        }
    };
    let chunk = Chunk {
        range: span.range.clone(),
        line,
        format: span.format,
        value,
        positions: Positions {
            root,
            start_line: line,
            unrepresentable,
        },
    };
    Ok((chunk, streamed))
}

/// Whether a scalar of the document `chunk` (a key or a value, escapes
/// decoded and lines folded, as the parser reads it) contains one of
/// `words`: found from the parser's events alone, without building the
/// document. A chunk the parser stops on counts as containing them (only a
/// full parse reports its error).
pub fn scalars_contain(chunk: &str, words: &[&str]) -> bool {
    let mut events = saphyr_parser::Parser::new_from_str(chunk);
    loop {
        match events.next_event() {
            None | Some(Ok((saphyr_parser::Event::StreamEnd, _))) => return false,
            Some(Err(_)) => return true,
            Some(Ok((saphyr_parser::Event::Scalar(value, ..), _))) => {
                if words.iter().any(|w| value.contains(w)) {
                    return true;
                }
            }
            Some(Ok(_)) => {}
        }
    }
}

fn parse_yaml_chunk(text: &str, range: Range<usize>, line: usize) -> Result<Chunk, ParseError> {
    let body = &text[range.clone()];
    let parsed = crate::yaml::parse_document_lines(body).map_err(|e| {
        let (at_line, column) = within(body, e.line, e.column);
        ParseError {
            line: line + at_line - 1,
            column,
            message: e.message,
        }
    })?;
    let (value, root, unrepresentable) = match parsed {
        // `---` with nothing after it is an empty (null) document; kubectl skips it.
        Some((Value::Null, _, _)) | None => (None, None, None),
        Some((v, mut p, bad)) => {
            shift(&mut p, line - 1);
            let bad = bad.map(|e| ParseError {
                line: line + e.line.saturating_sub(1),
                column: e.column,
                message: e.message,
            });
            (Some(v), Some(p), bad)
        }
    };
    Ok(Chunk {
        range,
        line,
        format: Format::Yaml,
        value,
        positions: Positions {
            root,
            start_line: line,
            unrepresentable,
        },
    })
}

/// A parser position as one inside `body`: the parser puts the end of a
/// text without a final line break on the line after it, which has no
/// text to show; the end of the last line is where the input ends.
fn within(body: &str, line: usize, column: usize) -> (usize, usize) {
    let lines = body.split('\n').count();
    if line > lines {
        let last = body.rsplit('\n').next().unwrap_or_default();
        return (lines, last.trim_end_matches('\r').chars().count() + 1);
    }
    (line.max(1), column.max(1))
}

/// Moves positions from chunk-relative to stream lines.
fn shift(p: &mut PosNode, by: usize) {
    p.line += by;
    match &mut p.children {
        PosChildren::Leaf => {}
        PosChildren::Seq(s) => s.iter_mut().for_each(|c| shift(c, by)),
        PosChildren::Map(m) => m.iter_mut().for_each(|(_, c)| shift(c, by)),
    }
}

/// A JSON stream: one or more concatenated JSON values, delimited by
/// serde_json; each is then read by `json::parse_value_at`, for node positions.
fn split_json_stream(text: &str) -> (Vec<Span>, Option<ParseError>) {
    let mut chunks = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0usize;
    // The line of `start`, counted on chunk by chunk: recounting from the
    // top of the stream for each value is quadratic in the stream.
    let mut line = 1usize;
    loop {
        match stream.next() {
            None => break,
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                chunks.push(json_span(start..end, line));
                line += text.as_bytes()[start..end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                start = end;
            }
            Some(Err(e)) => {
                let (line, column) = json_error_position(text, e.line(), e.column());
                let error = ParseError {
                    line,
                    column,
                    message: strip_position(&e.to_string()),
                };
                return (chunks, Some(error));
            }
        }
    }
    if let Some(last) = chunks.last_mut() {
        // Trailing whitespace belongs to the last chunk, so ranges cover the text.
        last.range.end = text.len();
    }
    (chunks, None)
}

fn json_span(range: Range<usize>, line: usize) -> Span {
    Span {
        range,
        line,
        format: Format::Json,
    }
}

/// A JSON value, read by the JSON parser into what the YAML layer would build.
fn json_chunk(text: &str, range: Range<usize>, line: usize) -> Result<Chunk, ParseError> {
    let (value, root) =
        crate::json::parse_value_at(&text[range.clone()], line).map_err(|e| ParseError {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
    // `null` is an empty document, as in YAML: kubectl skips it.
    let (value, root) = match value {
        Value::Null => (None, None),
        v => (Some(v), Some(root)),
    };
    Ok(Chunk {
        range,
        line,
        format: Format::Json,
        value,
        positions: Positions {
            root,
            start_line: line,
            unrepresentable: None,
        },
    })
}

/// serde_json's error position in the tool's terms. serde_json counts
/// columns in bytes, and gives column 0 when the offending character is the
/// line break it has just read (an escape or a string cut by a newline);
/// every position the tool reports counts characters and points at a
/// character, so the line break is the one ending the line before.
fn json_error_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line = line.max(1);
    let content = |n: usize| {
        text.split('\n')
            .nth(n - 1)
            .unwrap_or_default()
            .trim_end_matches('\r')
    };
    if column == 0 {
        if line == 1 {
            return (1, 1);
        }
        return (line - 1, content(line - 1).chars().count() + 1);
    }
    let before = content(line)
        .char_indices()
        .take_while(|&(at, _)| at < column - 1)
        .count();
    (line, before + 1)
}

/// serde_json appends "at line L column C", which the caller reports itself.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Receives the documents of a stream as [`parse_stream_items`] parses them.
pub trait ItemSink {
    /// One item of the current document's top-level `items` sequence, in
    /// order, as soon as it is parsed (positions in stream lines).
    fn item(&mut self, value: Value, position: PosNode);
    /// The current document, once parsed; with `streamed`, the items of its
    /// `items` went to [`ItemSink::item`] and it reads `items: []` here.
    fn document(&mut self, chunk: Chunk, streamed: bool);
}

/// [`parse_stream`] for inputs too large to hold parsed: each document goes
/// to `sink` as soon as it is parsed, and the items of a root `items`
/// sequence (a `kind: List`, as `kubectl get -o yaml` prints one) one by
/// one while it is being parsed. The chunks, values, positions and errors
/// are those of [`parse_stream`].
pub fn parse_stream_items(text: &str, sink: &mut impl ItemSink) -> Result<(), ParseError> {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if first.starts_with('{') || first.starts_with('[') {
        let mut stream =
            serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
        let (mut start, mut line) = (0usize, 1usize);
        loop {
            match stream.next() {
                None => return Ok(()),
                Some(Ok(_)) => {
                    let end = stream.byte_offset();
                    // Trailing whitespace belongs to the last chunk, as in
                    // `parse_json_stream`.
                    let last = text
                        .as_bytes()
                        .get(end..)
                        .unwrap_or_default()
                        .iter()
                        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
                    let covers = if last { text.len() } else { end };
                    streamed_chunk(text, start..end, covers, line, Format::Json, sink)?;
                    line += text[start..end].matches('\n').count();
                    start = end;
                }
                Some(Err(e)) => {
                    let (line, column) = json_error_position(text, e.line(), e.column());
                    return Err(ParseError {
                        line,
                        column,
                        message: strip_position(&e.to_string()),
                    });
                }
            }
        }
    }
    let mut start = 0usize;
    let mut chunk_line = 1usize;
    let mut offset = 0usize;
    let mut any = false;
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if line.starts_with("---") && offset > start {
            streamed_chunk(text, start..offset, offset, chunk_line, Format::Yaml, sink)?;
            any = true;
            start = offset;
            chunk_line = line_no;
        }
        offset += line.len();
    }
    if offset > start || !any {
        streamed_chunk(text, start..offset, offset, chunk_line, Format::Yaml, sink)?;
    }
    Ok(())
}

/// Parses `range` of `text`; the chunk covers the text up to `covers`.
fn streamed_chunk(
    text: &str,
    range: Range<usize>,
    covers: usize,
    line: usize,
    format: Format,
    sink: &mut impl ItemSink,
) -> Result<(), ParseError> {
    let in_stream = |e: crate::yaml::YamlError| ParseError {
        line: line + e.line.saturating_sub(1),
        column: e.column,
        message: e.message,
    };
    let parsed = crate::yaml::parse::parse_document_items(&text[range.clone()], &mut |v, mut p| {
        shift(&mut p, line - 1);
        sink.item(v, p);
    })
    .map_err(in_stream)?;
    let (value, root, unrepresentable, streamed) = match parsed {
        Some(((Value::Null, _, _), _)) | None => (None, None, None, false),
        Some(((v, mut p, bad), streamed)) => {
            shift(&mut p, line - 1);
            (Some(v), Some(p), bad.map(in_stream), streamed)
        }
    };
    let chunk = Chunk {
        range: range.start..covers,
        line,
        format,
        value,
        positions: Positions {
            root,
            start_line: line,
            unrepresentable,
        },
    };
    sink.document(chunk, streamed);
    Ok(())
}

/// One chunk of `text` parsed whole, as [`parse_stream`] parses it.
pub fn parse_chunk_whole(
    text: &str,
    range: Range<usize>,
    line: usize,
    format: Format,
) -> Result<Chunk, ParseError> {
    parse_chunk(
        text,
        &Span {
            range,
            line,
            format,
        },
    )
}

/// YAML text for a value built by the tool (Kubernetes-readable under YAML 1.1).
pub fn emit_yaml(value: &Value) -> String {
    crate::yaml::to_yaml(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_text_and_locate_nodes() {
        let text = "# head\na: 1\n---\nb:\n  c: [x, y]\n--- # sep\n\n# empty\n";
        let chunks = parse_stream(text).expect("parses");
        assert_eq!(chunks.len(), 3);
        let joined: String = chunks.iter().map(|c| &text[c.range.clone()]).collect();
        assert_eq!(joined, text);
        assert!(chunks[2].value.is_none());
        let p = JsonPath::keys(&["b", "c"]).index(1);
        assert_eq!(chunks[1].positions.locate(&p), Some((5, 10)));
        let missing = JsonPath::keys(&["b", "nope", "x"]);
        assert_eq!(chunks[1].positions.locate(&missing), Some((4, 1)));
    }

    #[test]
    fn scalars_are_read_with_their_escapes() {
        let words = ["kruise-configuration", "SidecarSet"];
        for (text, found) in [
            ("name: \"kruise-\\\n    configuration\"\n", true),
            ("kind: \"Sidecar\\x53et\"\n", true),
            ("{\"kind\": \"Sidecar\\u0053et\"}", true),
            ("kind: 'Sidecar\\x53et'\n", false),
            ("kind: \"Sidecar\\x20Set\"\n", false),
            ("a: \"\\q\"\n", true),
        ] {
            assert_eq!(scalars_contain(text, &words), found, "{text:?}");
        }
    }

    #[test]
    fn json_streams_and_errors() {
        let text = "{\"a\": 1}\n{\"b\": [2]}\n";
        let chunks = parse_stream(text).expect("parses");
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].value, Some(serde_json::json!({"b": [2]})));
        let joined: String = chunks.iter().map(|c| &text[c.range.clone()]).collect();
        assert_eq!(joined, text);
        // The character at fault: after two-byte characters, and the line
        // break an escape was cut by (serde_json: column 0 of the next line).
        let e = parse_stream("{\"a\": \"\u{e9}\", \"b\": tru}\n").expect_err("bad literal");
        assert_eq!((e.line, e.column), (1, 20), "{e:?}");
        let e = parse_stream("{\"a\": \"x\\\n\"}\n").expect_err("cut escape");
        assert_eq!((e.line, e.column), (1, 10), "{e:?}");
        // A text ending without a line break ends on its last line.
        let e = parse_stream("a: 1\n---\nb: [1,").expect_err("unclosed");
        assert_eq!((e.line, e.column), (3, 7), "{e:?}");
        let e = parse_stream("a: 1\n---\nb: [1,\n").expect_err("unclosed");
        assert!(e.line >= 3, "{e:?}");
    }

    /// Chunks with their streamed items put back, as `parse_stream` gives them.
    #[derive(Default)]
    struct Reassemble {
        items: Vec<(Value, PosNode)>,
        chunks: Vec<Chunk>,
    }

    impl ItemSink for Reassemble {
        fn item(&mut self, value: Value, position: PosNode) {
            self.items.push((value, position));
        }

        fn document(&mut self, mut chunk: Chunk, streamed: bool) {
            let items = std::mem::take(&mut self.items);
            if streamed {
                let (values, nodes): (Vec<Value>, Vec<PosNode>) = items.into_iter().unzip();
                if let Some(v) = chunk.value.as_mut() {
                    v["items"] = Value::Array(values);
                }
                if let Some(PosChildren::Map(m)) =
                    chunk.positions.root.as_mut().map(|r| &mut r.children)
                {
                    if let Some((_, seq)) = m.iter_mut().find(|(k, _)| k == "items") {
                        seq.children = PosChildren::Seq(nodes);
                    }
                }
            } else {
                assert!(items.is_empty());
            }
            self.chunks.push(chunk);
        }
    }

    #[test]
    fn streamed_items_reassemble_to_the_whole_stream() {
        for text in [
            "a: 1\n---\napiVersion: v1\nitems:\n- kind: Pod\n  x: [1, 2]\n- kind: Pod\n  y: .inf\nkind: List\n--- # c\n\n",
            "{\"items\": [\n  {\"a\": 1},\n  {\"b\": 2}\n], \"kind\": \"List\"}\n{\"c\": [3]}\n\n",
            "\n\n[1, 2]",
            "",
            "items:\n- a\n---\nitems: [b, {c: d}]\n",
            "a: 1\n---\nitems:\n- [1\n",
            "{\"items\": [1]}\n{\"b\": ",
            "{\"items\": [1]} \u{a0}",
        ] {
            let mut sink = Reassemble::default();
            let streamed = parse_stream_items(text, &mut sink).map(|()| sink.chunks);
            assert_eq!(
                format!("{streamed:?}"),
                format!("{:?}", parse_stream(text)),
                "{text:?}"
            );
        }
    }
}
