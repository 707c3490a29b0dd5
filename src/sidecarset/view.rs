//! A thin read-only view of a stored SidecarSet (the output of
//! [`super::store`] or [`super::decode`], either version), for engines that
//! only read it.

use super::{CUSTOM_VERSION_LABEL, HASH_ANNOTATION, HASH_WITHOUT_IMAGE_ANNOTATION};
use crate::value::{opt_str_at, str_at};
use serde_json::Value;

/// Typed reads of a stored SidecarSet's fields, with Go's defaults for the
/// missing ones.
#[derive(Clone, Copy, Debug)]
pub struct SidecarSetView<'a> {
    doc: &'a Value,
}

impl<'a> SidecarSetView<'a> {
    /// A view of `doc`, a stored SidecarSet.
    pub fn new(doc: &'a Value) -> Self {
        SidecarSetView { doc }
    }

    /// The SidecarSet object viewed.
    pub fn doc(&self) -> &'a Value {
        self.doc
    }

    /// `metadata.name` ("" when missing).
    pub fn name(&self) -> &'a str {
        str_at(self.doc, "/metadata/name")
    }

    fn annotation(&self, key: &str) -> &'a str {
        self.doc
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// `kruise.io/sidecarset-hash` ("" when missing, as Go reads it).
    pub fn hash(&self) -> &'a str {
        self.annotation(HASH_ANNOTATION)
    }

    /// `kruise.io/sidecarset-hash-without-image` ("" when missing).
    pub fn hash_without_image(&self) -> &'a str {
        self.annotation(HASH_WITHOUT_IMAGE_ANNOTATION)
    }

    fn list(&self, key: &str) -> &'a [Value] {
        self.doc
            .pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// `spec.containers` (empty when missing).
    pub fn containers(&self) -> &'a [Value] {
        self.list("containers")
    }

    /// `spec.initContainers` (empty when missing).
    pub fn init_containers(&self) -> &'a [Value] {
        self.list("initContainers")
    }

    /// `spec.volumes` (empty when missing).
    pub fn volumes(&self) -> &'a [Value] {
        self.list("volumes")
    }

    /// Init containers with `restartPolicy: Always` (native sidecars).
    pub fn native_init_containers(&self) -> impl Iterator<Item = &'a Value> {
        self.init_containers()
            .iter()
            .filter(|c| opt_str_at(c, "/restartPolicy") == Some("Always"))
    }

    /// Sorted names of `containers` and native init containers (the
    /// `sidecarList` of the pod hash annotation).
    pub fn sidecar_list(&self) -> Vec<&'a str> {
        let mut names: Vec<&str> = self
            .containers()
            .iter()
            .chain(self.native_init_containers())
            .filter_map(|c| opt_str_at(c, "/name"))
            .collect();
        names.sort_unstable();
        names
    }

    /// `spec.updateStrategy.type` (`RollingUpdate` when unset, as defaulted).
    pub fn update_strategy_type(&self) -> &'a str {
        opt_str_at(self.doc, "/spec/updateStrategy/type").unwrap_or("RollingUpdate")
    }

    /// `spec.updateStrategy.paused`: the controller upgrades no pod.
    pub fn update_paused(&self) -> bool {
        self.doc
            .pointer("/spec/updateStrategy/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// `spec.injectionStrategy.paused`: the webhook injects into no new pod.
    pub fn injection_paused(&self) -> bool {
        self.doc
            .pointer("/spec/injectionStrategy/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// v1beta1 `spec.customVersion`, or the v1alpha1 label carrying it.
    pub fn custom_version(&self) -> Option<&'a str> {
        opt_str_at(self.doc, "/spec/customVersion")
            .filter(|s| !s.is_empty())
            .or_else(|| {
                self.doc
                    .pointer("/metadata/labels")
                    .and_then(|l| l.get(CUSTOM_VERSION_LABEL))
                    .and_then(Value::as_str)
            })
    }

    /// `status.latestRevision` ("" when never reconciled).
    pub fn latest_revision(&self) -> &'a str {
        str_at(self.doc, "/status/latestRevision")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_stored_fields() {
        let stored = super::super::store(&json!({"apiVersion": "apps.kruise.io/v1alpha1",
            "kind": "SidecarSet", "metadata": {"name": "s", "labels": {CUSTOM_VERSION_LABEL: "v2"}},
            "spec": {"containers": [{"name": "b", "image": "b:1"}],
                     "initContainers": [{"name": "a", "image": "a:1", "restartPolicy": "Always"},
                                        {"name": "c", "image": "c:1"}]}}))
        .expect("stores");
        let v = SidecarSetView::new(&stored);
        assert_eq!(v.name(), "s");
        assert_eq!(v.hash().len(), 64);
        assert_ne!(v.hash(), v.hash_without_image());
        assert_eq!(v.sidecar_list(), ["a", "b"]);
        assert_eq!(v.update_strategy_type(), "RollingUpdate");
        assert_eq!(v.custom_version(), Some("v2"));
        assert_eq!(v.latest_revision(), "");
        assert!(!v.injection_paused());
    }
}
