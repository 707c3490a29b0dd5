//! The SidecarSet model: v1alpha1/v1beta1 conversion, OpenKruise defaulting,
//! the two revision hash annotations, and ControllerRevisions.
//!
//! Contract used by the CLI and the other engines (keep these signatures):
//! - [`to_v1beta1`]: any served version into the v1beta1 (storage) form, no defaulting.
//! - [`store`]: a SidecarSet as a user writes it -> as the cluster stores and
//!   returns it (defaults + `kruise.io/sidecarset-hash` and
//!   `kruise.io/sidecarset-hash-without-image`), in the apiVersion it was written in.
//! - [`hash`] / [`hash_without_image`]: the annotation values of a stored
//!   (defaulted) SidecarSet.

use crate::path::{FieldError, JsonPath};
use serde_json::Value;
use std::borrow::Cow;

mod convert;
mod defaults;
mod gotype;
// Generated (tests/support/gotypes_gen.rs) and checked byte for byte against the
// generator's output, so rustfmt must leave it as generated, and its
// `pub` statics (unreachable from outside) stay as the generator writes them.
#[rustfmt::skip]
#[allow(unreachable_pub)]
mod gotypes;
#[cfg(test)]
mod gotypes_shape;
mod hash;
pub mod image;
mod revision;
mod view;

pub use crate::annotations::{
    CUSTOM_VERSION_LABEL, HASH_ANNOTATION, HASH_WITHOUT_IMAGE_ANNOTATION, REVISION_HASH_LABEL,
    SIDECARSET_NAME_LABEL,
};
pub use convert::{V1ALPHA1, V1BETA1};
pub use hash::safe_encode;
pub use revision::{
    new_revision, restore_from_revision, revision_data, revision_hash, revision_name,
};
pub use view::SidecarSetView;

/// Converts a v1alpha1 SidecarSet to v1beta1 (api.md §4); a v1beta1 object is
/// returned as is.
pub fn to_v1beta1(doc: &Value) -> Result<Value, FieldError> {
    convert::to_v1beta1(doc)
}

/// The Go struct a document decodes into, by its apiVersion.
fn root_type(doc: &Value) -> &'static gotype::Struct {
    match doc.get("apiVersion").and_then(Value::as_str) {
        Some(V1ALPHA1) => &gotypes::V1ALPHA1_SIDECAR_SET,
        _ => &gotypes::V1BETA1_SIDECAR_SET,
    }
}

/// Decodes a SidecarSet the way the webhook does and marshals it back:
/// unknown and mis-cased fields dropped, zero values omitted, quantities in
/// Go text, wrong JSON types reported with their path.
pub fn decode(doc: &Value) -> Result<Value, FieldError> {
    gotype::roundtrip(doc, root_type(doc), &JsonPath::root())
}

/// The SidecarSet as the cluster stores it: defaults and both hash annotations.
pub fn store(doc: &Value) -> Result<Value, FieldError> {
    let root = root_type(doc);
    let mut decoded = gotype::roundtrip(doc, root, &JsonPath::root())?;
    defaults::apply_crd(doc, &mut decoded);
    if let Some(spec) = decoded.get_mut("spec").and_then(Value::as_object_mut) {
        defaults::apply(spec, &JsonPath::keys(&["spec"]))?;
    }
    let mut stored = gotype::roundtrip_owned(decoded, root, &JsonPath::root())?;

    let (containers, init) = hashed_lists(doc, &stored);
    let h = hash::hash_payload(&hash::payload(&containers, &init, false));
    let hw = hash::hash_payload(&hash::payload(&containers, &init, true));
    if let Some(md) = stored.as_object_mut() {
        let md = crate::value::ensure_obj(md, "metadata");
        let ann = crate::value::ensure_obj(md, "annotations");
        ann.insert(HASH_ANNOTATION.into(), Value::String(h));
        ann.insert(HASH_WITHOUT_IMAGE_ANNOTATION.into(), Value::String(hw));
    }
    // Annotations are a Go map: re-marshal the metadata to sort them (the
    // rest is already in marshal form, which a round trip keeps as is).
    if let (Some(meta_ty), Some(md)) = (metadata_type(root), stored.get_mut("metadata")) {
        let path = JsonPath::keys(&["metadata"]);
        *md = gotype::roundtrip_owned(std::mem::take(md), meta_ty, &path)?;
        Ok(stored)
    } else {
        gotype::roundtrip_owned(stored, root, &JsonPath::root())
    }
}

/// [`to_v1beta1`] of a value that is no longer needed: no copy is made.
pub fn into_v1beta1(doc: Value) -> Result<Value, FieldError> {
    convert::into_v1beta1(doc)
}

/// The struct of the `metadata` field of a root type.
fn metadata_type(root: &'static gotype::Struct) -> Option<&'static gotype::Struct> {
    root.fields.iter().find_map(|f| match f.ty {
        gotype::Ty::Struct(st) if f.name == "metadata" && !f.ptr => Some(st),
        _ => None,
    })
}

/// `kruise.io/sidecarset-hash` of a stored (defaulted) SidecarSet of either
/// version.
pub fn hash(ss: &Value) -> Result<String, FieldError> {
    hash_of(ss, false)
}

/// `kruise.io/sidecarset-hash-without-image` of a stored SidecarSet.
pub fn hash_without_image(ss: &Value) -> Result<String, FieldError> {
    hash_of(ss, true)
}

fn hash_of(ss: &Value, without_image: bool) -> Result<String, FieldError> {
    let decoded = decode(ss)?;
    let (containers, init) = hashed_lists(ss, &decoded);
    Ok(hash::hash_payload(&hash::payload(
        &containers,
        &init,
        without_image,
    )))
}

/// The two container lists as Go holds them: nil when absent, empty when
/// written as `[]` (the round trip omits both, but they hash differently,
/// defaults-and-hash.md §8 item 1), else the round-tripped list.
fn hashed_lists<'a>(original: &Value, decoded: &'a Value) -> (Cow<'a, Value>, Cow<'a, Value>) {
    let list = |key: &str| -> Cow<'a, Value> {
        match original.get("spec").and_then(|s| s.get(key)) {
            Some(Value::Array(a)) if a.is_empty() => Cow::Owned(Value::Array(Vec::new())),
            Some(Value::Array(_)) => decoded
                .get("spec")
                .and_then(|s| s.get(key))
                .map_or(Cow::Owned(Value::Null), Cow::Borrowed),
            _ => Cow::Owned(Value::Null),
        }
    };
    (list("containers"), list("initContainers"))
}

#[cfg(test)]
mod tests;
