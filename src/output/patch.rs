//! RFC 6902 JSON patches from each changed object's input to its output.

use super::json::write_json_value;
use crate::document::Inputs;
use serde_json::{Map, Value};
use std::io::Write;

/// One JSON document listing, per mutated object, the RFC 6902 patch that
/// turns the input object into the output object: what `inject -o
/// json-patch` prints, for a pipeline that applies patches rather than
/// objects. `changed` is per document of `inputs`, as
/// `pod_webhook::Outcome::changed_docs`; policy-only documents are left out.
pub fn write_patches(
    inputs: &Inputs,
    changed: &[bool],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut items = Vec::new();
    for (i, doc) in inputs.docs.iter().enumerate() {
        if doc.policy_only || !changed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (Some(before), Some(after)) = (doc.original.as_ref(), doc.value.as_ref()) else {
            continue;
        };
        items.push(entry(before, after)?);
    }
    write_json_value(&Value::Array(items), out)
}

/// What names an object in its `-o json-patch` entry: apiVersion, kind,
/// name and namespace, in that order (`null` where missing).
pub(super) fn entry_head(object: &Value) -> Map<String, Value> {
    let md = object.get("metadata");
    let field = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
    let mut head = Map::new();
    head.insert("apiVersion".into(), field(object.get("apiVersion")));
    head.insert("kind".into(), field(object.get("kind")));
    head.insert("name".into(), field(md.and_then(|m| m.get("name"))));
    head.insert(
        "namespace".into(),
        field(md.and_then(|m| m.get("namespace"))),
    );
    head
}

/// The `-o json-patch` entry of an object changed from `before` to `after`.
pub(super) fn entry(before: &Value, after: &Value) -> std::io::Result<Value> {
    let mut entry = entry_head(after);
    let patch = serde_json::to_value(json_patch::diff(before, after))?;
    entry.insert("patch".into(), patch);
    Ok(Value::Object(entry))
}
