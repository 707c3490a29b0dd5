//! JSON the way `kubectl get -o json` prints it.

use serde_json::Value;
use std::io::Write;

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
