//! What-if pods: the Pods a set of workloads would have in a cluster where
//! the current SidecarSets are applied, so that a SidecarSet change can be
//! planned with no cluster (`plan --from`).
//!
//! Each workload gets as many pods as it would run, named as its controller
//! names them, injected by the webhook at creation with the current
//! SidecarSets, and given a running, ready status (rollout.md §10.2: without
//! it every pod would count as unavailable and the controller would update
//! all of them in one round).

use crate::cluster::ClusterState;
use crate::document::{Class, Inputs};
use crate::inject;
use crate::pod_webhook::{Refusal, Settings};
use crate::workload::{self, TemplateSite, WorkloadKind};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// Assumptions the cluster cannot tell us offline.
#[derive(Clone, Debug)]
pub struct Assumptions {
    /// Pods of a DaemonSet-like workload (one per eligible node).
    pub nodes: usize,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions { nodes: 1 }
    }
}

/// The alphabet Kubernetes uses for random name suffixes
/// (`k8s.io/apimachinery/pkg/util/rand`), without vowels and confusable digits.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A deterministic stand-in for a random 5-character suffix.
fn suffix(seed: &str, i: usize) -> String {
    let digest = Sha256::digest(format!("{seed}/{i}").as_bytes());
    digest
        .iter()
        .take(5)
        .map(|b| ALPHANUMS[usize::from(*b) % ALPHANUMS.len()] as char)
        .collect()
}

/// A deterministic stand-in for `pod-template-hash` (10 characters).
fn template_hash(template: &Value) -> String {
    let digest = Sha256::digest(template.to_string().as_bytes());
    digest
        .iter()
        .take(10)
        .map(|b| ALPHANUMS[usize::from(*b) % ALPHANUMS.len()] as char)
        .collect()
}

fn int_at(v: &Value, pointer: &str) -> Option<usize> {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// How many pods a workload runs.
pub fn replicas(kind: WorkloadKind, obj: &Value, site: &TemplateSite, a: &Assumptions) -> usize {
    match kind {
        WorkloadKind::Pod => 1,
        WorkloadKind::PodTemplate => 0,
        WorkloadKind::DaemonSet | WorkloadKind::AdvancedDaemonSet => a.nodes,
        WorkloadKind::BroadcastJob => int_at(obj, "/spec/parallelism").unwrap_or(a.nodes),
        WorkloadKind::Job => int_at(obj, "/spec/parallelism").unwrap_or(1),
        WorkloadKind::CronJob => int_at(obj, "/spec/jobTemplate/spec/parallelism").unwrap_or(1),
        WorkloadKind::AdvancedCronJob => {
            // The template path ends in .../spec/template; parallelism sits beside it.
            let mut p = site.path.clone();
            p.0.pop();
            workload::lookup(obj, &p.key("parallelism"))
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(1)
        }
        _ => int_at(obj, "/spec/replicas").unwrap_or(1),
    }
}

/// The name the controller gives pod `i` of `name`.
fn pod_name(kind: WorkloadKind, name: &str, template: &Value, i: usize) -> String {
    match kind {
        WorkloadKind::StatefulSet | WorkloadKind::AdvancedStatefulSet => format!("{name}-{i}"),
        WorkloadKind::Deployment => {
            format!("{name}-{}-{}", template_hash(template), suffix(name, i))
        }
        WorkloadKind::CronJob | WorkloadKind::AdvancedCronJob => {
            format!("{name}-28000000-{}", suffix(name, i))
        }
        _ => format!("{name}-{}", suffix(name, i)),
    }
}

/// Gives `pod` the status of a running, ready pod created `age` seconds
/// before `now`, on node `node`.
pub fn set_running(pod: &mut Value, now: i64, age: i64, node: usize) {
    let created = crate::clock::rfc3339(now - age);
    if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        md.insert("creationTimestamp".into(), Value::String(created.clone()));
    }
    if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
        spec.entry("nodeName")
            .or_insert_with(|| Value::String(format!("node-{node}")));
    }
    let statuses: Vec<Value> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let image = c.get("image").and_then(Value::as_str).unwrap_or("");
                    json!({
                        "name": c.get("name").cloned().unwrap_or(Value::Null),
                        "image": image,
                        "imageID": crate::plan::kubelet::image_id(image),
                        "ready": true,
                        "started": true,
                        "restartCount": 0,
                        "state": {"running": {"startedAt": created}},
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut status = Map::new();
    status.insert("phase".into(), json!("Running"));
    status.insert(
        "conditions".into(),
        json!([{"type": "Ready", "status": "True", "lastTransitionTime": created}]),
    );
    status.insert("containerStatuses".into(), Value::Array(statuses));
    if let Some(obj) = pod.as_object_mut() {
        obj.insert("status".into(), Value::Object(status));
    }
}

/// The pods of every echoed workload in `inputs`, injected by `current`.
pub fn pods(
    inputs: &Inputs,
    current: &ClusterState,
    settings: &Settings,
    a: &Assumptions,
) -> Result<Vec<Value>, Refusal> {
    let ctx = crate::pod_webhook::context(current, settings);
    let mut out = Vec::new();
    let mut node = 0usize;
    for r in &inputs.resources {
        let Class::Workload(kind) = r.class else {
            continue;
        };
        if r.policy_only {
            continue;
        }
        let obj = inputs.value(r);
        let object = inputs.object_name(r);
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let namespace = crate::namespace::pod_namespace(obj, &settings.namespace);
        for site in workload::template_sites(kind, obj) {
            let refuse = |rejection| Refusal {
                object: object.clone(),
                location: inputs.locate(r, &site.path),
                rejection,
            };
            let n = replicas(kind, obj, &site, a);
            let template = workload::lookup(obj, &site.path)
                .cloned()
                .unwrap_or(Value::Null);
            for i in 0..n {
                let mut pod = if kind == WorkloadKind::Pod {
                    // A pod in the cluster, as the API server returns it,
                    // names its namespace.
                    let mut p = obj.clone();
                    if let Some(md) = p.get_mut("metadata").and_then(Value::as_object_mut) {
                        md.insert("namespace".into(), Value::String(namespace.into()));
                    }
                    p
                } else {
                    let mut p =
                        workload::pod_from_template(obj, &site, namespace).map_err(|e| {
                            refuse(inject::Rejection {
                                message: e.to_string(),
                                path: Some(e.path),
                            })
                        })?;
                    p["metadata"]["name"] = Value::String(pod_name(kind, name, &template, i));
                    p
                };
                inject::inject_pod(&mut pod, &ctx).map_err(refuse)?;
                // Older pods first: pod i of n was created n - i seconds ago.
                set_running(&mut pod, settings.now, (n - i) as i64, node);
                node += 1;
                out.push(pod);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_ids_keep_the_repository() {
        assert!(crate::plan::kubelet::image_id("nginx:1.25")
            .starts_with("docker-pullable://nginx@sha256:"));
        assert!(crate::plan::kubelet::image_id("reg:5000/team/app:v1")
            .starts_with("docker-pullable://reg:5000/team/app@sha256:"));
        assert_eq!(
            crate::plan::kubelet::image_id("a:1"),
            crate::plan::kubelet::image_id("a:1")
        );
        assert_ne!(
            crate::plan::kubelet::image_id("a:1"),
            crate::plan::kubelet::image_id("a:2")
        );
        let pinned = format!("reg/app@sha256:{}", "a".repeat(64));
        assert_eq!(
            crate::plan::kubelet::image_id(&pinned),
            format!("docker-pullable://{pinned}")
        );
    }

    #[test]
    fn names_follow_the_controllers() {
        let t = json!({});
        assert_eq!(pod_name(WorkloadKind::StatefulSet, "db", &t, 2), "db-2");
        let d = pod_name(WorkloadKind::Deployment, "web", &t, 0);
        assert_eq!(d.len(), "web-".len() + 10 + 1 + 5);
        assert_ne!(d, pod_name(WorkloadKind::Deployment, "web", &t, 1));
    }
}
