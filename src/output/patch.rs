//! RFC 6902 JSON patches from each changed object's input to its output.

use super::json::write_json_value;
use crate::document::Inputs;
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
        let patch = json_patch::diff(before, after);
        let md = after.get("metadata");
        items.push(serde_json::json!({
            "apiVersion": after.get("apiVersion"),
            "kind": after.get("kind"),
            "name": md.and_then(|m| m.get("name")),
            "namespace": md.and_then(|m| m.get("namespace")),
            "patch": patch,
        }));
    }
    write_json_value(&serde_json::Value::Array(items), out)
}
