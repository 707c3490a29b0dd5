//! The one table of workload kinds: where each keeps its pod template, and
//! which controller owns the Pods created from it.
//!
//! A workload's template is injected exactly as a Pod created from it by its
//! controller would be: that Pod has the workload's namespace, the template's
//! labels and annotations, and the controller's ownerReference (which decides
//! the `KruisePodReady` readiness gate). [`pod_from_template`] builds that Pod
//! and [`write_back`] returns what the webhook changed to the template.

use crate::path::{FieldError, JsonPath};
use serde_json::{json, Map, Value};

/// Every kind whose pods the webhook sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkloadKind {
    /// A bare Pod: injected itself.
    Pod,
    /// A Deployment (`apps` or `extensions`).
    Deployment,
    /// A core `apps` StatefulSet.
    StatefulSet,
    /// A DaemonSet (`apps` or `extensions`).
    DaemonSet,
    /// A ReplicaSet (`apps` or `extensions`).
    ReplicaSet,
    /// A core ReplicationController.
    ReplicationController,
    /// A `batch` Job.
    Job,
    /// A `batch` CronJob: the pod template inside its job template.
    CronJob,
    /// A core PodTemplate.
    PodTemplate,
    /// A Kruise CloneSet.
    CloneSet,
    /// A Kruise Advanced StatefulSet (`apps.kruise.io` StatefulSet).
    AdvancedStatefulSet,
    /// A Kruise Advanced DaemonSet (`apps.kruise.io` DaemonSet).
    AdvancedDaemonSet,
    /// A Kruise BroadcastJob.
    BroadcastJob,
    /// A Kruise AdvancedCronJob.
    AdvancedCronJob,
    /// A Kruise UnitedDeployment: one template per subset workload.
    UnitedDeployment,
}

const KRUISE_GROUP: &str = "apps.kruise.io";

fn group_of(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

impl WorkloadKind {
    /// Recognises a workload by `apiVersion` and `kind`.
    pub fn classify(api_version: &str, kind: &str) -> Option<Self> {
        let group = group_of(api_version);
        let kruise = group == KRUISE_GROUP;
        Some(match (kind, group) {
            ("Pod", "") => WorkloadKind::Pod,
            ("ReplicationController", "") => WorkloadKind::ReplicationController,
            ("PodTemplate", "") => WorkloadKind::PodTemplate,
            ("Deployment", "apps" | "extensions") => WorkloadKind::Deployment,
            ("ReplicaSet", "apps" | "extensions") => WorkloadKind::ReplicaSet,
            ("StatefulSet", "apps") => WorkloadKind::StatefulSet,
            ("DaemonSet", "apps" | "extensions") => WorkloadKind::DaemonSet,
            ("Job", "batch") => WorkloadKind::Job,
            ("CronJob", "batch") => WorkloadKind::CronJob,
            ("StatefulSet", _) if kruise => WorkloadKind::AdvancedStatefulSet,
            ("DaemonSet", _) if kruise => WorkloadKind::AdvancedDaemonSet,
            ("CloneSet", _) if kruise => WorkloadKind::CloneSet,
            ("BroadcastJob", _) if kruise => WorkloadKind::BroadcastJob,
            ("AdvancedCronJob", _) if kruise => WorkloadKind::AdvancedCronJob,
            ("UnitedDeployment", _) if kruise => WorkloadKind::UnitedDeployment,
            _ => return None,
        })
    }

    /// The short lowercase name kubectl uses (`deployment`, `cloneset`).
    pub fn resource_name(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "pod",
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::StatefulSet | WorkloadKind::AdvancedStatefulSet => "statefulset",
            WorkloadKind::DaemonSet | WorkloadKind::AdvancedDaemonSet => "daemonset",
            WorkloadKind::ReplicaSet => "replicaset",
            WorkloadKind::ReplicationController => "replicationcontroller",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cronjob",
            WorkloadKind::PodTemplate => "podtemplate",
            WorkloadKind::CloneSet => "cloneset",
            WorkloadKind::BroadcastJob => "broadcastjob",
            WorkloadKind::AdvancedCronJob => "advancedcronjob",
            WorkloadKind::UnitedDeployment => "uniteddeployment",
        }
    }

    /// Whether the kind runs pods to completion (restartPolicy Never/OnFailure).
    pub fn is_batch(self) -> bool {
        matches!(
            self,
            WorkloadKind::Job
                | WorkloadKind::CronJob
                | WorkloadKind::BroadcastJob
                | WorkloadKind::AdvancedCronJob
        )
    }
}

/// The controller that creates Pods from a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The controller's `apiVersion`, for the pod's owner reference.
    pub api_version: &'static str,
    /// The controller's `kind`, for the pod's owner reference.
    pub kind: &'static str,
}

/// One pod template inside a workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSite {
    /// Path from the workload's root to the `PodTemplateSpec`; empty for a Pod.
    pub path: JsonPath,
    /// The ownerReference of Pods created from it; `None` for a bare Pod or a
    /// PodTemplate (nothing owns pods made from one).
    pub owner: Option<Owner>,
}

const fn owner(api_version: &'static str, kind: &'static str) -> Option<Owner> {
    Some(Owner { api_version, kind })
}

/// The pod templates of `obj`, a workload of kind `kind`. An AdvancedCronJob
/// has one of two template forms; a UnitedDeployment has one of four subset
/// templates. Present templates only; a missing one is not an error here (the
/// API server would reject the workload, the webhook never sees its pods).
pub fn template_sites(kind: WorkloadKind, obj: &Value) -> Vec<TemplateSite> {
    let site = |keys: &[&str], owner: Option<Owner>| TemplateSite {
        path: JsonPath::keys(keys),
        owner,
    };
    let api_version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let sites = match kind {
        WorkloadKind::Pod => vec![site(&[], None)],
        WorkloadKind::PodTemplate => vec![site(&["template"], None)],
        // A Deployment's pods are created by its ReplicaSet.
        WorkloadKind::Deployment => {
            vec![site(&["spec", "template"], owner("apps/v1", "ReplicaSet"))]
        }
        WorkloadKind::ReplicaSet => {
            vec![site(&["spec", "template"], owner("apps/v1", "ReplicaSet"))]
        }
        WorkloadKind::StatefulSet => {
            vec![site(&["spec", "template"], owner("apps/v1", "StatefulSet"))]
        }
        WorkloadKind::DaemonSet => vec![site(&["spec", "template"], owner("apps/v1", "DaemonSet"))],
        WorkloadKind::ReplicationController => {
            vec![site(
                &["spec", "template"],
                owner("v1", "ReplicationController"),
            )]
        }
        WorkloadKind::Job => vec![site(&["spec", "template"], owner("batch/v1", "Job"))],
        WorkloadKind::CronJob => vec![site(
            &["spec", "jobTemplate", "spec", "template"],
            owner("batch/v1", "Job"),
        )],
        WorkloadKind::CloneSet => vec![site(
            &["spec", "template"],
            owner("apps.kruise.io/v1alpha1", "CloneSet"),
        )],
        WorkloadKind::AdvancedStatefulSet => vec![site(
            &["spec", "template"],
            Some(Owner {
                api_version: kruise_version(api_version, "v1beta1"),
                kind: "StatefulSet",
            }),
        )],
        WorkloadKind::AdvancedDaemonSet => vec![site(
            &["spec", "template"],
            owner("apps.kruise.io/v1alpha1", "DaemonSet"),
        )],
        WorkloadKind::BroadcastJob => vec![site(
            &["spec", "template"],
            owner("apps.kruise.io/v1alpha1", "BroadcastJob"),
        )],
        WorkloadKind::AdvancedCronJob => vec![
            site(
                &["spec", "template", "jobTemplate", "spec", "template"],
                owner("batch/v1", "Job"),
            ),
            site(
                &[
                    "spec",
                    "template",
                    "broadcastJobTemplate",
                    "spec",
                    "template",
                ],
                owner("apps.kruise.io/v1alpha1", "BroadcastJob"),
            ),
        ],
        WorkloadKind::UnitedDeployment => vec![
            site(
                &[
                    "spec",
                    "template",
                    "statefulSetTemplate",
                    "spec",
                    "template",
                ],
                owner("apps/v1", "StatefulSet"),
            ),
            site(
                &[
                    "spec",
                    "template",
                    "advancedStatefulSetTemplate",
                    "spec",
                    "template",
                ],
                owner("apps.kruise.io/v1beta1", "StatefulSet"),
            ),
            site(
                &["spec", "template", "cloneSetTemplate", "spec", "template"],
                owner("apps.kruise.io/v1alpha1", "CloneSet"),
            ),
            site(
                &["spec", "template", "deploymentTemplate", "spec", "template"],
                owner("apps/v1", "ReplicaSet"),
            ),
        ],
    };
    sites
        .into_iter()
        .filter(|s| s.path.0.is_empty() || lookup(obj, &s.path).is_some_and(Value::is_object))
        .collect()
}

/// Advanced StatefulSet is served as v1alpha1 and v1beta1; its pods are owned
/// by the version the workload was written in.
fn kruise_version(api_version: &str, fallback: &'static str) -> &'static str {
    match api_version {
        "apps.kruise.io/v1alpha1" => "apps.kruise.io/v1alpha1",
        "apps.kruise.io/v1beta1" => "apps.kruise.io/v1beta1",
        _ => match fallback {
            "v1alpha1" => "apps.kruise.io/v1alpha1",
            _ => "apps.kruise.io/v1beta1",
        },
    }
}

/// Follows a key-only path.
pub fn lookup<'a>(v: &'a Value, path: &JsonPath) -> Option<&'a Value> {
    let mut cur = v;
    for seg in &path.0 {
        cur = match seg {
            crate::path::Seg::Key(k) => cur.as_object()?.get(k)?,
            crate::path::Seg::Index(i) => cur.as_array()?.get(*i)?,
        };
    }
    Some(cur)
}

/// Like [`lookup`], mutable.
pub fn lookup_mut<'a>(v: &'a mut Value, path: &JsonPath) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in &path.0 {
        cur = match seg {
            crate::path::Seg::Key(k) => cur.as_object_mut()?.get_mut(k)?,
            crate::path::Seg::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// A stand-in for the random suffix controllers add to pod names, fixed so
/// output is reproducible.
pub const POD_NAME_SUFFIX: &str = "x7k2p";
/// A stand-in for the uid of the owning controller object.
pub const OWNER_UID: &str = "00000000-0000-0000-0000-000000000001";

/// The Pod a controller would create from the template at `site`, as the
/// webhook sees it on CREATE: in `namespace`, the workload's (see
/// [`crate::namespace::pod_namespace`]).
pub fn pod_from_template(
    workload: &Value,
    site: &TemplateSite,
    namespace: &str,
) -> Result<Value, FieldError> {
    let template = lookup(workload, &site.path)
        .ok_or_else(|| FieldError::new(site.path.clone(), "the pod template is missing"))?;
    let tmpl = template
        .as_object()
        .ok_or_else(|| FieldError::new(site.path.clone(), "the pod template must be an object"))?;
    let workload_name = workload
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut metadata = Map::new();
    metadata.insert(
        "name".into(),
        Value::String(format!("{workload_name}-{POD_NAME_SUFFIX}")),
    );
    metadata.insert("namespace".into(), Value::String(namespace.into()));
    let tmeta = crate::value::opt_obj(tmpl, "metadata", &site.path)?;
    for key in ["labels", "annotations"] {
        if let Some(v) = tmeta.and_then(|m| m.get(key)) {
            if !v.is_null() {
                metadata.insert(key.into(), v.clone());
            }
        }
    }
    if let Some(o) = &site.owner {
        metadata.insert(
            "ownerReferences".into(),
            json!([{
                "apiVersion": o.api_version,
                "kind": o.kind,
                "name": workload_name,
                "uid": OWNER_UID,
                "controller": true,
            }]),
        );
    }
    let mut pod = Map::new();
    pod.insert("apiVersion".into(), json!("v1"));
    pod.insert("kind".into(), json!("Pod"));
    pod.insert("metadata".into(), Value::Object(metadata));
    pod.insert(
        "spec".into(),
        tmpl.get("spec").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(Value::Object(pod))
}

/// Which of the parts a pod takes from its template (labels, annotations,
/// spec) differ between the template at `site` and `pod`: compared with the
/// template in place, so no copy of the pod is kept to find out.
pub fn template_changes(workload: &Value, site: &TemplateSite, pod: &Value) -> TemplateChanges {
    let tmpl = lookup(workload, &site.path);
    let meta = |key: &str| {
        tmpl.and_then(|t| t.get("metadata"))
            .and_then(|m| m.get(key))
            .filter(|v| !v.is_null())
    };
    let empty = json!({});
    let old_spec = tmpl.and_then(|t| t.get("spec")).unwrap_or(&empty);
    TemplateChanges {
        labels: meta("labels") != pod.pointer("/metadata/labels"),
        annotations: meta("annotations") != pod.pointer("/metadata/annotations"),
        spec: Some(old_spec) != pod.get("spec"),
    }
}

/// What [`template_changes`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TemplateChanges {
    /// The template's labels changed.
    pub labels: bool,
    /// The template's annotations changed.
    pub annotations: bool,
    /// The template's spec changed.
    pub spec: bool,
}

impl TemplateChanges {
    /// Whether anything changed, so the workload must be written back.
    pub fn any(&self) -> bool {
        self.labels || self.annotations || self.spec
    }
}

/// Moves what the webhook changed in `pod` into the template at `site`,
/// touching only the changed parts so that the rest keeps its order.
pub fn write_back(
    workload: &mut Value,
    site: &TemplateSite,
    changes: TemplateChanges,
    mut pod: Value,
) {
    let Some(Value::Object(tmpl)) = lookup_mut(workload, &site.path) else {
        return;
    };
    let mut take = |pointer: &str| pod.pointer_mut(pointer).map(Value::take);
    for (key, changed) in [
        ("labels", changes.labels),
        ("annotations", changes.annotations),
    ] {
        if !changed {
            continue;
        }
        let meta = crate::value::ensure_obj(tmpl, "metadata");
        match take(&format!("/metadata/{key}")) {
            Some(v) => {
                meta.insert(key.into(), v);
            }
            None => {
                meta.remove(key);
            }
        }
    }
    if changes.spec {
        if let Some(spec) = take("/spec") {
            tmpl.insert("spec".into(), spec);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_core_and_kruise_kinds() {
        assert_eq!(
            WorkloadKind::classify("apps/v1", "StatefulSet"),
            Some(WorkloadKind::StatefulSet)
        );
        assert_eq!(
            WorkloadKind::classify("apps.kruise.io/v1beta1", "StatefulSet"),
            Some(WorkloadKind::AdvancedStatefulSet)
        );
        assert_eq!(WorkloadKind::classify("v1", "ConfigMap"), None);
        assert_eq!(WorkloadKind::classify("example.com/v1", "Deployment"), None);
    }

    #[test]
    fn deployment_pods_are_owned_by_a_replicaset() {
        let d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}}
        });
        let sites = template_sites(WorkloadKind::Deployment, &d);
        assert_eq!(sites.len(), 1);
        let pod = pod_from_template(&d, &sites[0], "prod").expect("pod");
        assert_eq!(pod.pointer("/metadata/namespace"), Some(&json!("prod")));
        assert_eq!(
            pod.pointer("/metadata/ownerReferences/0/kind"),
            Some(&json!("ReplicaSet"))
        );
        assert_eq!(pod.pointer("/metadata/labels/app"), Some(&json!("web")));
    }

    #[test]
    fn advanced_cronjob_uses_the_template_form_present() {
        let a = json!({
            "apiVersion": "apps.kruise.io/v1alpha1", "kind": "AdvancedCronJob",
            "metadata": {"name": "x", "namespace": "n"},
            "spec": {"template": {"broadcastJobTemplate": {"spec": {"template": {"spec": {}}}}}}
        });
        let sites = template_sites(WorkloadKind::AdvancedCronJob, &a);
        assert_eq!(sites.len(), 1);
        assert_eq!(
            sites[0].owner,
            owner("apps.kruise.io/v1alpha1", "BroadcastJob")
        );
    }

    #[test]
    fn write_back_touches_only_changed_parts() {
        let mut d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"template": {"metadata": {"labels": {"app": "web"}, "x": 1}, "spec": {"containers": []}}}
        });
        let site = &template_sites(WorkloadKind::Deployment, &d)[0];
        let mut after = pod_from_template(&d, site, "default").expect("pod");
        assert!(!template_changes(&d, site, &after).any());
        after["metadata"]["annotations"] = json!({"a": "b"});
        let changes = template_changes(&d, site, &after);
        assert_eq!(
            changes,
            TemplateChanges {
                annotations: true,
                ..TemplateChanges::default()
            }
        );
        write_back(&mut d, site, changes, after);
        assert_eq!(
            d["spec"]["template"]["metadata"],
            json!({"labels": {"app": "web"}, "x": 1, "annotations": {"a": "b"}})
        );
    }
}
