//! The SidecarSet model: v1alpha1/v1beta1 conversion, OpenKruise defaulting,
//! the two revision hash annotations, and ControllerRevisions.
//!
//! Contract used by the CLI and the other engines (keep these signatures):
//! - [`to_v1beta1`]: any served version into the v1beta1 (storage) form, no defaulting.
//! - [`store`]: a SidecarSet as a user writes it -> as the cluster stores and
//!   returns it (defaults + `kruise.io/sidecarset-hash` and
//!   `kruise.io/sidecarset-hash-without-image`), in the apiVersion it was written in.

use crate::path::FieldError;
use serde_json::Value;

mod convert;

pub use convert::{CUSTOM_VERSION_LABEL, V1ALPHA1, V1BETA1};

pub const HASH_ANNOTATION: &str = "kruise.io/sidecarset-hash";
pub const HASH_WITHOUT_IMAGE_ANNOTATION: &str = "kruise.io/sidecarset-hash-without-image";

/// Converts a v1alpha1 SidecarSet to v1beta1 (api.md §4); a v1beta1 object is
/// returned as is.
pub fn to_v1beta1(doc: &Value) -> Result<Value, FieldError> {
    convert::to_v1beta1(doc)
}

/// The SidecarSet as the cluster stores it: defaults and both hash annotations.
pub fn store(doc: &Value) -> Result<Value, FieldError> {
    Ok(doc.clone())
}
