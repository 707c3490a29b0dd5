//! The cluster state the webhook and controller read, gathered from the
//! inputs: SidecarSets in their stored form, Namespaces, ControllerRevisions.

use crate::document::{Class, InputError, Inputs, Resource};
use serde_json::Value;

/// The cluster state the webhook reads, built from the inputs.
#[derive(Debug, Default)]
pub struct Policy {
    /// Stored form (defaults and hash annotations), input order.
    pub sidecar_sets: Vec<Value>,
    /// The resource each of `sidecar_sets` came from.
    pub sidecar_set_resources: Vec<Resource>,
    pub namespaces: Vec<Value>,
    pub controller_revisions: Vec<Value>,
}

impl Policy {
    /// Collects SidecarSets (turned into their stored form), Namespaces and
    /// ControllerRevisions from `inputs`.
    pub fn collect(inputs: &Inputs) -> Result<Policy, Vec<InputError>> {
        let mut policy = Policy::default();
        let mut errors = Vec::new();
        for r in &inputs.resources {
            let v = inputs.value(r);
            match r.class {
                // Held in v1beta1, the form the webhook works on, converted once.
                Class::SidecarSet => {
                    match stored(v).and_then(|s| crate::sidecarset::to_v1beta1(&s)) {
                        Ok(s) => {
                            policy.sidecar_sets.push(s);
                            policy.sidecar_set_resources.push(r.clone());
                        }
                        Err(e) => errors.push(inputs.field_error(r, &e)),
                    }
                }
                Class::Namespace => policy.namespaces.push(v.clone()),
                Class::ControllerRevision => policy.controller_revisions.push(v.clone()),
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(policy)
        } else {
            Err(errors)
        }
    }
}

/// The words a resource [`needed`] shows in its text, as a scalar of its
/// own (its kind or, for the kruise-configuration ConfigMap, its name).
pub const WORDS: [&str; 4] = [
    "SidecarSet",
    "Namespace",
    "ControllerRevision",
    "kruise-configuration",
];

/// Whether a resource is read as policy, or as context by the validating
/// webhook (the `kruise-configuration` ConfigMap, here by kind and name
/// alone, a superset of what the webhook takes).
pub fn needed(class: Class, v: &Value) -> bool {
    match class {
        Class::SidecarSet | Class::Namespace | Class::ControllerRevision => true,
        Class::Other => {
            v.get("kind").and_then(Value::as_str) == Some("ConfigMap")
                && v.pointer("/metadata/name").and_then(Value::as_str)
                    == Some("kruise-configuration")
        }
        Class::Workload(_) => false,
    }
}

/// A SidecarSet as the cluster holds it. Recorded hash annotations (from
/// `kubectl get -o yaml`) are what pods are compared with, so they are kept;
/// missing ones are computed as the mutating webhook would.
pub fn stored(v: &Value) -> Result<Value, crate::path::FieldError> {
    let mut s = crate::sidecarset::store(v)?;
    for key in [
        crate::sidecarset::HASH_ANNOTATION,
        crate::sidecarset::HASH_WITHOUT_IMAGE_ANNOTATION,
    ] {
        if let Some(recorded) = v
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .filter(|h| h.as_str().is_some_and(|s| !s.is_empty()))
        {
            if let Some(ann) = s
                .pointer_mut("/metadata/annotations")
                .and_then(Value::as_object_mut)
            {
                ann.insert(key.to_string(), recorded.clone());
            }
        }
    }
    Ok(s)
}
