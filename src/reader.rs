//! Turns an input text into documents: the kubectl stream split, parsing,
//! and the positions of nodes for error messages. This is the seam between
//! the YAML layer and the resource model.

use crate::document::Format;
use crate::path::{JsonPath, Seg};
use crate::yaml::{PosChildren, PosNode};
use serde_json::Value;
use std::ops::Range;

/// One parsed chunk of a stream.
#[derive(Debug)]
pub struct Chunk {
    /// Exact bytes of the chunk, separator line included.
    pub range: Range<usize>,
    /// 1-based line where the chunk starts.
    pub line: usize,
    pub format: Format,
    pub value: Option<Value>,
    pub positions: Positions,
}

/// A syntax error with its 1-based position in the whole text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Where the nodes of a document are.
#[derive(Debug, Default)]
pub struct Positions {
    root: Option<PosNode>,
    start_line: usize,
    /// The first scalar JSON cannot carry (`.inf`, `.nan`), in stream lines:
    /// harmless in a document passed through, an error in one that is read.
    pub unrepresentable: Option<ParseError>,
}

impl Positions {
    pub fn root(&self) -> Option<&PosNode> {
        self.root.as_ref()
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

/// Splits `text` as kubectl does and parses every document.
pub fn parse_stream(text: &str) -> Result<Vec<Chunk>, ParseError> {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if first.starts_with('{') || first.starts_with('[') {
        return parse_json_stream(text);
    }
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut chunk_line = 1usize;
    let mut offset = 0usize;
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if line.starts_with("---") && offset > start {
            chunks.push(parse_yaml_chunk(text, start..offset, chunk_line)?);
            start = offset;
            chunk_line = line_no;
        }
        offset += line.len();
    }
    if offset > start || chunks.is_empty() {
        chunks.push(parse_yaml_chunk(text, start..offset, chunk_line)?);
    }
    Ok(chunks)
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

/// A JSON stream: one or more concatenated JSON values. Each is parsed by the
/// YAML layer too (JSON is YAML), which gives node positions.
fn parse_json_stream(text: &str) -> Result<Vec<Chunk>, ParseError> {
    let mut chunks = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0usize;
    loop {
        match stream.next() {
            None => break,
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                let line = 1 + text[..start].matches('\n').count();
                chunks.push(json_chunk(text, start..end, line)?);
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
    if let Some(last) = chunks.last_mut() {
        // Trailing whitespace belongs to the last chunk, so ranges cover the text.
        last.range.end = text.len();
    }
    Ok(chunks)
}

fn json_chunk(text: &str, range: Range<usize>, line: usize) -> Result<Chunk, ParseError> {
    let mut chunk = parse_yaml_chunk(text, range, line)?;
    chunk.format = Format::Json;
    Ok(chunk)
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
}
