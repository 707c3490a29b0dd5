//! The inputs as the rules see them: SidecarSets in the webhook's form
//! (defaulted, converted to v1beta1), workloads with their pod templates,
//! Namespaces and the patch-metadata whitelist.

use super::Input;
use crate::document::Class;
use crate::path::{FieldError, JsonPath};
use crate::value::At;
use crate::workload::{self, WorkloadKind};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// A SidecarSet of the input.
pub struct SidecarSet<'a> {
    /// Index in `Input::resources`.
    pub resource: usize,
    /// As written.
    pub raw: &'a Value,
    /// What the validating webhook sees: mutating-webhook defaults applied,
    /// then converted to v1beta1. `Err` when the object cannot be decoded.
    pub stored: Result<Value, FieldError>,
}

impl SidecarSet<'_> {
    pub fn name(&self) -> &str {
        str_at(self.raw, "/metadata/name")
    }
}

/// One pod template of a workload.
pub struct Template<'a> {
    pub resource: usize,
    pub kind: WorkloadKind,
    /// Path of the `PodTemplateSpec` inside the workload (empty for a Pod).
    pub path: JsonPath,
    pub template: &'a Value,
    pub namespace: String,
}

impl Template<'_> {
    pub fn labels(&self) -> Option<&Map<String, Value>> {
        self.template
            .at("/metadata/labels")
            .and_then(Value::as_object)
    }

    pub fn annotations(&self) -> Option<&Map<String, Value>> {
        self.template
            .at("/metadata/annotations")
            .and_then(Value::as_object)
    }

    pub fn spec(&self) -> &Value {
        self.template.get("spec").unwrap_or(&Value::Null)
    }

    pub fn list(&self, key: &str) -> &[Value] {
        arr(self.spec(), key)
    }

    /// `restartPolicy` of the pods (Pod default `Always`; Job templates must set it).
    pub fn restart_policy(&self) -> &str {
        match str_at(self.spec(), "/restartPolicy") {
            "" => "Always",
            p => p,
        }
    }

    /// A pod runs to completion when its containers are not restarted.
    pub fn runs_to_completion(&self) -> bool {
        self.kind.is_batch() || matches!(self.restart_policy(), "Never" | "OnFailure")
    }
}

pub struct World<'a> {
    pub sidecar_sets: Vec<SidecarSet<'a>>,
    pub templates: Vec<Template<'a>>,
    /// Namespace objects given as input, in input order.
    pub namespaces: Vec<&'a Value>,
    /// Old SidecarSets (`--from`) in webhook form, by name.
    pub old: HashMap<String, Value>,
    /// `SidecarSet_PatchPodMetadata_WhiteList` of a `kruise-configuration`
    /// ConfigMap among the inputs: `None` no ConfigMap given, `Some(None)`
    /// ConfigMap without the key.
    pub whitelist: Option<Option<&'a str>>,
    /// ControllerRevisions given as input (SSV-031 decides only with them).
    pub revisions: Vec<&'a Value>,
    /// Their names, and their (SidecarSet name, custom version) labels: each
    /// pinned revision is looked up here rather than by a scan of them all.
    revision_names: HashSet<&'a str>,
    revision_versions: HashSet<(Option<&'a str>, Option<&'a str>)>,
}

/// The validating webhook's view of a SidecarSet as written.
pub fn webhook_form(raw: &Value) -> Result<Value, FieldError> {
    let stored = crate::sidecarset::store(raw)?;
    crate::sidecarset::into_v1beta1(stored)
}

impl<'a> World<'a> {
    pub fn build(input: &Input<'a>) -> World<'a> {
        let mut w = World {
            sidecar_sets: Vec::new(),
            templates: Vec::new(),
            namespaces: Vec::new(),
            old: HashMap::new(),
            whitelist: None,
            revisions: Vec::new(),
            revision_names: HashSet::new(),
            revision_versions: HashSet::new(),
        };
        for (i, r) in input.resources.iter().enumerate() {
            let api = str_at(r, "/apiVersion");
            let kind = str_at(r, "/kind");
            match Class::of(api, kind) {
                Class::SidecarSet => w.sidecar_sets.push(SidecarSet {
                    resource: i,
                    raw: r,
                    stored: webhook_form(r),
                }),
                Class::Namespace => w.namespaces.push(r),
                Class::ControllerRevision => {
                    w.revisions.push(r);
                    w.revision_names.insert(str_at(r, "/metadata/name"));
                    let label = |k: &str| {
                        r.pointer("/metadata/labels")
                            .and_then(|l| l.get(k))
                            .and_then(Value::as_str)
                    };
                    w.revision_versions.insert((
                        label(crate::sidecarset::SIDECARSET_NAME_LABEL),
                        label(crate::sidecarset::CUSTOM_VERSION_LABEL),
                    ));
                }
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
                            r.pointer("/data/SidecarSet_PatchPodMetadata_WhiteList")
                                .and_then(Value::as_str),
                        );
                    }
                }
            }
        }
        for old in input.old_sidecar_sets {
            if let Ok(s) = webhook_form(old) {
                w.old.insert(str_at(old, "/metadata/name").to_string(), s);
            }
        }
        w
    }

    /// The labels `namespaceSelector` sees for namespace `ns`, by the
    /// webhook's rule ([`crate::namespace::namespace_labels`]);
    /// `None`: no such Namespace, no match.
    pub fn namespace_labels(&self, ns: &str) -> Option<Cow<'a, Map<String, Value>>> {
        crate::namespace::namespace_labels(self.namespaces.iter().copied(), ns)
    }

    /// Whether a ControllerRevision of the input resolves the revision a
    /// SidecarSet pins: by `revision_name` when given, else by the labels of
    /// SidecarSet `sidecar_set` and `custom_version`.
    pub fn has_revision(
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

/// The string at a JSON pointer, `""` when absent or not a string.
pub fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.at(pointer).and_then(Value::as_str).unwrap_or("")
}

/// `v[key]` as a slice, empty when absent.
pub fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `v[key]` as a string, `""` when absent.
pub fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Whether an env list defines `name` (any value); returns the entry.
pub fn env<'v>(container: &'v Value, name: &str) -> Option<&'v Value> {
    arr(container, "env").iter().find(|e| s(e, "name") == name)
}

/// Go `%q` of a string (good enough for messages).
pub fn q(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| format!("\"{v}\""))
}
