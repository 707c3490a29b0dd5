//! Writing a stream of resources back out: untouched documents byte for
//! byte, changed ones with only their changed nodes rewritten, a JSON stream
//! kept JSON.

use super::json::write_json_value;
use crate::document::{Document, Format, Inputs};
use serde_json::Value;
use std::io::Write;

/// Writes every echoed document in input order. Documents not in `changed`
/// are copied verbatim, separator line and comments included; in changed
/// ones only the nodes that changed are rewritten (`yaml::edit`). A stream
/// of JSON documents stays one: JSON documents are separated by line breaks
/// where no YAML document needs `---`.
pub fn write_yaml_stream(
    inputs: &Inputs,
    changed: &[bool],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let echoed: Vec<usize> = (0..inputs.docs.len())
        .filter(|&i| !is_policy_doc(inputs, i))
        .collect();
    let mut writer = YamlStream::new(
        echoed
            .iter()
            .all(|&i| inputs.docs[i].format == Format::Json),
    );
    for &i in &echoed {
        let doc = &inputs.docs[i];
        let text = &inputs.files[doc.file].text[doc.range.clone()];
        writer.write(text, doc, changed.get(i).copied().unwrap_or(false), out)?;
    }
    writer.finish(out)
}

/// The state of [`write_yaml_stream`] between documents, so that documents
/// can be written one at a time as they are produced.
#[derive(Clone, Debug)]
pub struct YamlStream {
    /// Every echoed document is JSON: the output stays a JSON stream.
    all_json: bool,
    /// Documents written so far.
    written: usize,
    need_newline: bool,
}

impl YamlStream {
    /// `all_json`: whether every document that will be written is JSON.
    pub fn new(all_json: bool) -> Self {
        YamlStream {
            all_json,
            written: 0,
            need_newline: false,
        }
    }

    /// Writes the next echoed document: `text` is its chunk of input,
    /// rewritten where `changed`.
    pub fn write(
        &mut self,
        text: &str,
        doc: &Document,
        changed: bool,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        self.begin(text, doc.format, out)?;
        let body = if changed {
            std::borrow::Cow::Owned(changed_text(text, doc))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        out.write_all(body.as_bytes())?;
        self.end(body.as_bytes().last().copied());
        Ok(())
    }

    /// What goes before the next echoed document, whose input chunk is
    /// `text`: [`YamlStream::write`] in parts, for a document written a
    /// piece at a time (then [`YamlStream::end`]).
    pub fn begin(
        &mut self,
        text: &str,
        format: Format,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let all_json = self.all_json;
        let n = self.written;
        self.written += 1;
        // A JSON stream's line breaks lead the document after them.
        if self.need_newline && !text.starts_with(['\n', '\r']) {
            out.write_all(b"\n")?;
        }
        // Documents from different files, or after a skipped one, need a
        // separator; so does a stream whose first document is JSON and a
        // later one YAML (a leading `{` makes readers take it all as JSON).
        let leading_json = n == 0 && format == Format::Json && !all_json;
        if (n > 0 && !all_json && !text.starts_with("---")) || leading_json {
            out.write_all(if text.contains("\r\n") {
                b"---\r\n"
            } else {
                b"---\n"
            })?;
        }
        Ok(())
    }

    /// The document begun last is written: `last` is its last byte.
    pub fn end(&mut self, last: Option<u8>) {
        self.need_newline = last.is_some_and(|b| b != b'\n');
    }

    /// Ends the stream with a line break where the last document had none.
    pub fn finish(self, out: &mut impl Write) -> std::io::Result<()> {
        if self.need_newline {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The text of a changed document: its original text with the changed
/// nodes rewritten, or, where the text cannot carry the change in place,
/// the document written anew after its separator line.
fn changed_text(text: &str, doc: &Document) -> String {
    let value = doc.value.as_ref().unwrap_or(&Value::Null);
    let json = doc.format == Format::Json;
    if let (Some(root), Some(original)) = (doc.positions.root(), doc.original.as_ref()) {
        if let Some(edited) = crate::yaml::edit::apply(text, root, original, value, json) {
            return edited;
        }
    }
    let mut out = String::new();
    if text.starts_with("---") {
        let sep_end = text.find('\n').map_or(text.len(), |n| n + 1);
        out.push_str(&text[..sep_end]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    if json {
        let mut buf = Vec::new();
        if write_json_value(value, &mut buf).is_ok() {
            out.push_str(&String::from_utf8_lossy(&buf));
        }
    } else {
        out.push_str(&crate::yaml::to_yaml(value));
    }
    out
}

fn is_policy_doc(inputs: &Inputs, doc: usize) -> bool {
    inputs.docs[doc].policy_only
}

/// The echoed documents as JSON values, in input order.
pub fn echoed_values(inputs: &Inputs) -> Vec<&Value> {
    inputs
        .docs
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_policy_doc(inputs, *i))
        .filter_map(|(_, d)| d.value.as_ref())
        .collect()
}
