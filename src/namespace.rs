//! The one namespace rule of inject, plan and lint: which namespace a pod
//! is in (its own, else where it will be created, kubectl's `-n`) and which
//! labels `namespaceSelector` sees for it.

use crate::value::At;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// The label the API server sets on every Namespace since Kubernetes 1.21.
pub const NS_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The namespace a pod (or a workload and the pods it makes) lives in: its
/// own `metadata.namespace`, else `request`, the namespace the object is
/// applied to (kubectl's `-n`); an empty `request` is `default`, as in
/// OpenKruise v1.9.0 `pkg/webhook/pod/mutating/sidecarset.go`
/// (`sidecarsetMutatingPod`) and `pkg/control/sidecarcontrol/util.go`
/// (`PodMatchedSidecarSet`): `if podNamespace == "" { podNamespace = "default" }`.
pub fn pod_namespace<'a>(obj: &'a Value, request: &'a str) -> &'a str {
    // Plain lookups: the planner asks this for every pod, every round.
    obj.get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(if request.is_empty() {
            "default"
        } else {
            request
        })
}

/// The Namespace objects given, by name: what `namespaceSelector` is
/// matched against ([`Namespaces::labels`]).
#[derive(Clone, Debug, Default)]
pub struct Namespaces {
    /// Labels by name; `None` when no Namespace is given.
    given: Option<HashMap<String, Map<String, Value>>>,
}

impl Namespaces {
    /// The Namespaces `namespaces` (Namespace objects); of two with one
    /// name, the first stands, as a lookup in input order finds it.
    pub fn new<'a>(namespaces: impl IntoIterator<Item = &'a Value>) -> Namespaces {
        let mut given: Option<HashMap<String, Map<String, Value>>> = None;
        for n in namespaces {
            let by_name = given.get_or_insert_with(HashMap::new);
            let Some(name) = n.at("/metadata/name").and_then(Value::as_str) else {
                continue;
            };
            by_name.entry(name.to_string()).or_insert_with(|| {
                n.at("/metadata/labels")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            });
        }
        Namespaces { given }
    }

    /// The labels `namespaceSelector` is matched against for namespace
    /// `ns`; `None` when the webhook would find no Namespace object, which
    /// means no match. The one rule of inject, plan and lint.
    ///
    /// OpenKruise v1.9.0 `pkg/control/sidecarcontrol/util.go`
    /// (`IsSelectorNamespace`, called by `PodMatchedSidecarSet` from the pod
    /// webhook and the controller) gets the Namespace from the cache and
    /// returns false on any error, NotFound included. Offline, the Namespace
    /// objects given stand for that cache: when some are given, one that is
    /// not among them does not exist. When none are given the cluster is
    /// unknown, and the namespace is assumed to exist with the one label the
    /// API server sets on every namespace since Kubernetes 1.21 (matching.md
    /// §2, offline defaults). A given Namespace keeps exactly its labels, as
    /// the webhook reads them.
    pub fn labels(&self, ns: &str) -> Option<Cow<'_, Map<String, Value>>> {
        match &self.given {
            Some(by_name) => by_name.get(ns).map(Cow::Borrowed),
            None => {
                let mut m = Map::new();
                m.insert(NS_NAME_LABEL.into(), Value::String(ns.into()));
                Some(Cow::Owned(m))
            }
        }
    }
}

/// Why `namespaceSelector` did not select namespace `ns`, in words.
pub fn namespace_mismatch(labels_found: bool, ns: &str, selector: &str) -> String {
    if labels_found {
        format!("namespace {ns} does not match namespaceSelector {selector}")
    } else {
        format!("namespace {ns} is not among the Namespace objects given, so it does not exist for the webhook (namespaceSelector {selector})")
    }
}
