//! Writing resources back out: a YAML stream that keeps untouched documents
//! byte for byte, or JSON the way `kubectl get -o json` prints it.

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
#[derive(Debug)]
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
        let leading_json = n == 0 && doc.format == Format::Json && !all_json;
        if (n > 0 && !all_json && !text.starts_with("---")) || leading_json {
            out.write_all(if text.contains("\r\n") {
                b"---\r\n"
            } else {
                b"---\n"
            })?;
        }
        let body = if changed {
            std::borrow::Cow::Owned(changed_text(text, doc))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        out.write_all(body.as_bytes())?;
        self.need_newline = !body.is_empty() && !body.ends_with('\n');
        Ok(())
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

/// `kubectl get -o json` style: one object alone, several in a `v1 List`.
pub fn write_json(values: &[&Value], out: &mut impl Write) -> std::io::Result<()> {
    if values.len() == 1 {
        write_json_value(values[0], out)
    } else {
        // Written from the values as they are: no copy into a `List` value.
        write_pretty(&KubeList(values), out)
    }
}

/// `{"apiVersion": "v1", "kind": "List", "items": [...], "metadata":
/// {"resourceVersion": ""}}`.
struct KubeList<'a>(&'a [&'a Value]);

impl serde::Serialize for KubeList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("apiVersion", "v1")?;
        m.serialize_entry("kind", "List")?;
        m.serialize_entry("items", self.0)?;
        m.serialize_entry("metadata", &serde_json::json!({"resourceVersion": ""}))?;
        m.end()
    }
}

/// Pretty JSON with kubectl's four-space indentation and a final newline.
pub fn write_json_value(doc: &Value, out: &mut impl Write) -> std::io::Result<()> {
    write_pretty(doc, out)
}

fn write_pretty(doc: &impl serde::Serialize, out: &mut impl Write) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(doc, &mut ser).map_err(std::io::Error::other)?;
    buf.push(b'\n');
    out.write_all(&buf)
}
