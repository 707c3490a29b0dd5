//! The inputs as the rules see them: the cluster ([`ClusterState`]:
//! SidecarSets in the webhook's form, Namespaces, ControllerRevisions) and
//! what only the rules read: workloads with their pod templates, the old
//! SidecarSets of `--from` and the patch-metadata whitelist.

use super::Input;
use crate::cluster::{self, ClusterState, Hashes, WebhookForm};
use crate::document::Class;
use crate::path::{FieldError, JsonPath};
use crate::value::{get_arr, get_str, str_at, At};
use crate::workload::{self, WorkloadKind};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// A SidecarSet of the input.
pub(crate) struct SidecarSet<'a> {
    /// Index in `Input::resources`.
    pub resource: usize,
    /// As written.
    pub raw: &'a Value,
    /// What the validating webhook sees ([`cluster::webhook_form`], hashes
    /// recomputed). `Err` when the object cannot be decoded.
    pub form: Result<&'a WebhookForm, &'a FieldError>,
}

impl<'a> SidecarSet<'a> {
    pub(super) fn name(&self) -> &str {
        str_at(self.raw, "/metadata/name")
    }

    /// The webhook form's object.
    pub(super) fn form_value(&self) -> Result<&'a Value, &'a FieldError> {
        self.form.map(|f| &f.value)
    }
}

/// One pod template of a workload.
pub(crate) struct Template<'a> {
    pub resource: usize,
    pub kind: WorkloadKind,
    /// Path of the `PodTemplateSpec` inside the workload (empty for a Pod).
    pub path: JsonPath,
    pub template: &'a Value,
    pub namespace: String,
}

impl Template<'_> {
    pub(crate) fn labels(&self) -> Option<&Map<String, Value>> {
        self.template
            .at("/metadata/labels")
            .and_then(Value::as_object)
    }

    pub(crate) fn annotations(&self) -> Option<&Map<String, Value>> {
        self.template
            .at("/metadata/annotations")
            .and_then(Value::as_object)
    }

    pub(crate) fn spec(&self) -> &Value {
        self.template.get("spec").unwrap_or(&Value::Null)
    }

    pub(crate) fn list(&self, key: &str) -> &[Value] {
        get_arr(self.spec(), key)
    }

    /// `restartPolicy` of the pods (Pod default `Always`; Job templates must set it).
    pub(crate) fn restart_policy(&self) -> &str {
        match str_at(self.spec(), "/restartPolicy") {
            "" => "Always",
            p => p,
        }
    }

    /// A pod runs to completion when its containers are not restarted.
    pub(crate) fn runs_to_completion(&self) -> bool {
        self.kind.is_batch() || matches!(self.restart_policy(), "Never" | "OnFailure")
    }
}

pub(super) struct World<'a> {
    /// The cluster of the inputs.
    pub cluster: &'a ClusterState,
    /// The SidecarSets of `cluster`, with their objects as written.
    pub sidecar_sets: Vec<SidecarSet<'a>>,
    pub templates: Vec<Template<'a>>,
    /// Old SidecarSets (`--from`) in webhook form, by name.
    pub old: HashMap<String, Value>,
    /// `SidecarSet_PatchPodMetadata_WhiteList` of a `kruise-configuration`
    /// ConfigMap among the inputs: `None` no ConfigMap given, `Some(None)`
    /// ConfigMap without the key.
    pub whitelist: Option<Option<&'a str>>,
    /// ControllerRevisions given as input (SSV-031 decides only with them),
    /// by their names, and their (SidecarSet name, custom version) labels: each
    /// pinned revision is looked up here rather than by a scan of them all.
    revision_names: HashSet<&'a str>,
    revision_versions: HashSet<(Option<&'a str>, Option<&'a str>)>,
}

impl<'a> World<'a> {
    /// The cluster of `input`'s resources, as the validating webhook sees
    /// SidecarSets being applied (hashes recomputed).
    pub(super) fn cluster(input: &Input<'_>) -> ClusterState {
        ClusterState::new(
            input
                .resources
                .iter()
                .map(|r| (Class::of(str_at(r, "/apiVersion"), str_at(r, "/kind")), r)),
            Hashes::Recomputed,
        )
    }

    /// The rules' view of `input`, whose cluster is `cluster` ([`World::cluster`]).
    pub(super) fn build(input: &Input<'a>, cluster: &'a ClusterState) -> World<'a> {
        let mut w = World {
            cluster,
            sidecar_sets: cluster
                .sidecar_sets
                .iter()
                .map(|s| SidecarSet {
                    resource: s.resource,
                    raw: &input.resources[s.resource],
                    form: s.form.as_ref(),
                })
                .collect(),
            templates: Vec::new(),
            old: HashMap::new(),
            whitelist: None,
            revision_names: HashSet::new(),
            revision_versions: HashSet::new(),
        };
        for r in &cluster.controller_revisions {
            w.revision_names.insert(str_at(r, "/metadata/name"));
            let label = |k: &str| {
                r.at("/metadata/labels")
                    .and_then(|l| l.get(k))
                    .and_then(Value::as_str)
            };
            w.revision_versions.insert((
                label(crate::sidecarset::SIDECARSET_NAME_LABEL),
                label(crate::sidecarset::CUSTOM_VERSION_LABEL),
            ));
        }
        for (i, r) in input.resources.iter().enumerate() {
            let api = str_at(r, "/apiVersion");
            let kind = str_at(r, "/kind");
            match Class::of(api, kind) {
                Class::SidecarSet | Class::Namespace | Class::ControllerRevision => {}
                Class::Workload(k) => {
                    for site in workload::template_sites(k, r) {
                        if let Some(t) = workload::lookup(r, &site.path) {
                            w.templates.push(Template {
                                resource: i,
                                kind: k,
                                path: site.path.clone(),
                                template: t,
                                namespace: crate::namespace::pod_namespace(r, input.namespace)
                                    .to_string(),
                            });
                        }
                    }
                }
                Class::Other => {
                    if kind == "ConfigMap"
                        && api == "v1"
                        && str_at(r, "/metadata/name") == "kruise-configuration"
                    {
                        w.whitelist = Some(
                            r.at("/data/SidecarSet_PatchPodMetadata_WhiteList")
                                .and_then(Value::as_str),
                        );
                    }
                }
            }
        }
        for old in input.old_sidecar_sets {
            if let Ok(s) = cluster::webhook_form(old, Hashes::Recomputed) {
                w.old.insert(str_at(old, "/metadata/name").to_string(), s);
            }
        }
        w
    }

    /// Whether the cluster has ControllerRevisions.
    pub(super) fn has_revisions(&self) -> bool {
        !self.cluster.controller_revisions.is_empty()
    }

    /// Whether a ControllerRevision of the input resolves the revision a
    /// SidecarSet pins: by `revision_name` when given, else by the labels of
    /// SidecarSet `sidecar_set` and `custom_version`.
    pub(crate) fn has_revision(
        &self,
        revision_name: Option<&str>,
        sidecar_set: &str,
        custom_version: Option<&str>,
    ) -> bool {
        match revision_name {
            Some(n) => self.revision_names.contains(n),
            None => self
                .revision_versions
                .contains(&(Some(sidecar_set), custom_version)),
        }
    }
}

/// Whether an env list defines `name` (any value); returns the entry.
pub(crate) fn env<'v>(container: &'v Value, name: &str) -> Option<&'v Value> {
    get_arr(container, "env")
        .iter()
        .find(|e| get_str(e, "name") == name)
}

/// Go `%q` of a string (good enough for messages).
pub(crate) fn q(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| format!("\"{v}\""))
}
