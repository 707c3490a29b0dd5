//! What the engine reads from the SidecarSets of a [`Context`](super::Context)
//! once, on its first pod, instead of once per pod. Each SidecarSet's
//! [`WebhookForm`] already holds the v1beta1 object, its decoded selectors
//! and its namespace index; this adds what only injection needs: the name
//! order (matching.md §5), the words that report the selectors, and, for a
//! SidecarSet whose sidecars do not depend on the pod, the sidecars
//! themselves (injection.md §3) and the text of its hash-annotation
//! entries. Every result is what the per-pod reading gives.

use super::sidecar_containers::{self, Collected};
use crate::annotations::{HASH_ANNOTATION as HASH, HASH_WITHOUT_IMAGE_ANNOTATION as HASH_NO_IMG};
use crate::cluster::WebhookForm;
use crate::value::{str_at, At};
use serde_json::Value;
use std::sync::OnceLock;

/// The per-run reading of `Context::sidecar_sets`, made on first use: build
/// a context with `Prepared::default()`. It belongs to the SidecarSets the
/// context was built with, and refers to them by their index there (so that
/// it borrows nothing, and a `Context` stays covariant).
#[derive(Clone, Default)]
pub struct Prepared(OnceLock<Sets>);

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.0.get().is_some() {
            "read"
        } else {
            "unread"
        };
        write!(f, "Prepared({state})")
    }
}

impl Prepared {
    /// The SidecarSets `sets` (those of the context holding `self`), read.
    pub(super) fn get(&self, sets: &[&WebhookForm]) -> &Sets {
        let prepared = self.0.get_or_init(|| Sets::new(sets));
        debug_assert_eq!(
            prepared.sets.len(),
            sets.len(),
            "a Context's SidecarSets changed after its first pod"
        );
        prepared
    }
}

#[derive(Clone)]
pub(super) struct Sets {
    /// In input order: `sets[i]` is read from `Context::sidecar_sets[i]`.
    pub sets: Vec<Set>,
    /// Indices of `sets` by name (stable: equal names keep input order).
    pub by_name: Vec<usize>,
}

impl Sets {
    fn new(forms: &[&WebhookForm]) -> Self {
        let sets: Vec<Set> = forms.iter().copied().map(Set::new).collect();
        let mut by_name: Vec<usize> = (0..sets.len()).collect();
        by_name.sort_by(|a, b| sets[*a].plan.name.cmp(&sets[*b].plan.name));
        Sets { sets, by_name }
    }
}

/// One SidecarSet, read from its webhook form.
#[derive(Clone)]
pub(super) struct Set {
    pub paused: bool,
    /// Whether `injectionStrategy.revision` may pin a history revision.
    pub pinned: bool,
    /// The namespaceSelector as reported (empty when absent or invalid).
    pub namespace_selector_shown: String,
    /// The reason given when a pod's labels do not match the selector
    /// (empty when there is no valid selector to match).
    pub mismatch: String,
    pub plan: Plan,
}

impl Set {
    fn new(form: &WebhookForm) -> Self {
        let v = &form.value;
        Set {
            paused: v
                .at("/spec/injectionStrategy/paused")
                .and_then(Value::as_bool)
                == Some(true),
            pinned: super::matching::may_pin(v),
            namespace_selector_shown: form
                .selectors
                .namespace_selector()
                .map(ToString::to_string)
                .unwrap_or_default(),
            mismatch: form
                .selectors
                .pod_selector()
                .map(|s| format!("selector {s} does not match the pod labels"))
                .unwrap_or_default(),
            plan: Plan::new(v),
        }
    }
}

/// Compact JSON, as `serde_json` writes it.
pub(super) fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// What injecting one SidecarSet (the one given, or a pinned revision of
/// it) writes whatever the pod.
#[derive(Clone)]
pub(super) struct Plan {
    pub name: String,
    /// `metadata.annotations` hashes, `""` when absent.
    pub hash: Value,
    pub hash_no_img: Value,
    /// The JSON of a new entry of the hash annotations after its
    /// `updateTimestamp` (`,"hash":…}`), with and without the revision.
    pub hash_entry: String,
    pub hash_no_img_entry: String,
    /// The sidecars, when they do not depend on the pod.
    pub collected: Option<Collected>,
    /// Whether a sidecar has a `resourcesPolicy` (which reads the names of
    /// every matched SidecarSet's containers).
    pub resources_policy: bool,
    /// Names of the containers and init containers.
    pub container_names: Vec<String>,
}

impl Plan {
    /// The plan of `ss`, a SidecarSet in v1beta1 (its webhook form, or a
    /// revision of it restored for one pod).
    pub(super) fn new(ss: &Value) -> Self {
        let hash = |key: &str| {
            ss.at("/metadata/annotations")
                .and_then(|a| a.get(key))
                .cloned()
                .unwrap_or(Value::String(String::new()))
        };
        let containers = || {
            ["initContainers", "containers"].into_iter().flat_map(|k| {
                ss.get("spec")
                    .and_then(|s| s.get(k))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
        };
        let collected = if sidecar_containers::pod_independent(ss) {
            // Nothing of the pod is read: any pod gives this.
            sidecar_containers::collect(ss, &Value::Null, &Default::default()).ok()
        } else {
            None
        };
        let name = str_at(ss, "/metadata/name").to_string();
        let latest_revision = ss
            .at("/status/latestRevision")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty());
        let list = sidecar_containers::sidecar_list(ss);
        // The fields of `SidecarSetUpgradeSpec` after `updateTimestamp`, in
        // their order.
        let entry = |hash: &Value, revision: Option<&str>| {
            let mut e = format!(
                ",\"hash\":{},\"sidecarSetName\":{},\"sidecarList\":{}",
                json(hash),
                json(&name.as_str()),
                json(&list),
            );
            if let Some(r) = revision {
                e.push_str(",\"controllerRevision\":");
                e.push_str(&json(&r));
            }
            e.push('}');
            e
        };
        let (hash, hash_no_img) = (hash(HASH), hash(HASH_NO_IMG));
        Plan {
            hash_entry: entry(&hash, latest_revision),
            hash_no_img_entry: entry(&hash_no_img, None),
            name,
            hash,
            hash_no_img,
            collected,
            resources_policy: containers()
                .any(|c| c.get("resourcesPolicy").is_some_and(|p| !p.is_null())),
            container_names: containers()
                .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
                .collect(),
        }
    }
}
