//! Writing resources back out: a YAML stream that keeps untouched documents
//! byte for byte, or JSON the way `kubectl get -o json` prints it.

use crate::document::Inputs;
use serde_json::Value;
use std::io::Write;

/// Writes every echoed document in input order. Documents not in `changed`
/// are copied verbatim, separator line and comments included; changed ones
/// keep their separator line and are re-emitted.
pub fn write_yaml_stream(
    inputs: &Inputs,
    changed: &[bool],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut need_newline = false;
    let mut first = true;
    for (i, doc) in inputs.docs.iter().enumerate() {
        if is_policy_doc(inputs, i) {
            continue;
        }
        let text = &inputs.files[doc.file].text[doc.range.clone()];
        // Documents from different files, or after a skipped one, need a separator.
        let has_separator = text.starts_with("---");
        if need_newline {
            out.write_all(b"\n")?;
        }
        if !first && !has_separator {
            out.write_all(b"---\n")?;
        }
        first = false;
        if !changed.get(i).copied().unwrap_or(false) {
            out.write_all(text.as_bytes())?;
            need_newline = !text.is_empty() && !text.ends_with('\n');
            continue;
        }
        if has_separator {
            let sep_end = text.find('\n').map_or(text.len(), |n| n + 1);
            out.write_all(&text.as_bytes()[..sep_end])?;
            if sep_end == text.len() && !text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
        let value = doc.value.as_ref().unwrap_or(&Value::Null);
        // Comments of the input document go back next to the nodes they annotate.
        let comments = doc.comments.as_ref();
        let body = crate::yaml::to_yaml_commented(value, comments);
        out.write_all(body.as_bytes())?;
        need_newline = !body.ends_with('\n');
    }
    if need_newline {
        out.write_all(b"\n")?;
    }
    Ok(())
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
    let doc = if values.len() == 1 {
        values[0].clone()
    } else {
        serde_json::json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": values,
            "metadata": {"resourceVersion": ""},
        })
    };
    write_json_value(&doc, out)
}

/// Pretty JSON with kubectl's four-space indentation and a final newline.
pub fn write_json_value(doc: &Value, out: &mut impl Write) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(doc, &mut ser).map_err(std::io::Error::other)?;
    buf.push(b'\n');
    out.write_all(&buf)
}
