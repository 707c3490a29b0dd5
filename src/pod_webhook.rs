//! Runs the pod webhook over every Pod and workload template in the inputs,
//! in input order, and records what happened to each.

use crate::cluster::ClusterState;
use crate::document::{Class, Inputs, Location};
use crate::features::FeatureGates;
use crate::inject::{self, Rejection, Report};
use crate::workload::{self, WorkloadKind};
use serde_json::Value;

/// Settings of one run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The Kruise feature gates of the installation being simulated.
    pub gates: FeatureGates,
    /// Seconds since the epoch, for the timestamps the webhook writes.
    pub now: i64,
    /// Seed of the random draw of the `Partial` revision policy, so runs repeat.
    pub seed: u64,
    /// The namespace of workloads that name none (kubectl's `-n`); matching
    /// reads it, the output never shows it.
    pub namespace: String,
}

/// What the webhook did with one pod template (or Pod).
#[derive(Clone, Debug)]
pub struct TemplateResult {
    /// Index into `Inputs::resources`.
    pub resource: usize,
    /// The kind of the workload the template belongs to.
    pub kind: WorkloadKind,
    /// `Kind/namespace/name` of the workload.
    pub object: String,
    /// Path of the template inside the workload (empty for a Pod).
    pub site: crate::path::JsonPath,
    /// Where the template (or Pod) is in the input.
    pub location: Location,
    /// Per SidecarSet, what the webhook decided, and its warnings.
    pub report: Report,
    /// Whether injection changed the template (or Pod).
    pub changed: bool,
}

/// A pod the webhook refused.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// `Kind/namespace/name` of the workload the pod comes from.
    pub object: String,
    /// Where the refused template (or Pod) is in the input.
    pub location: Location,
    /// The webhook's refusal.
    pub rejection: Rejection,
}

/// Why a run stopped.
#[derive(Clone, Debug)]
pub enum Error {
    /// A workload or Pod the API server could not decode: nothing is injected.
    Undecodable(crate::document::InputError),
    /// A pod the webhook refused.
    Refused(Refusal),
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

/// The result of a run over all inputs.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Per document: whether anything in it changed.
    pub changed_docs: Vec<bool>,
    /// Per pod template (or Pod), in input order: what the webhook did.
    pub templates: Vec<TemplateResult>,
}

/// The webhook's view of the cluster in a run.
pub fn context<'a>(cluster: &'a ClusterState, settings: &'a Settings) -> inject::Context<'a> {
    inject::Context {
        sidecar_sets: cluster.forms().collect(),
        namespaces: &cluster.namespaces,
        controller_revisions: &cluster.controller_revisions,
        gates: &settings.gates,
        now: settings.now,
        seed: settings.seed,
        namespace: &settings.namespace,
        prepared: Default::default(),
    }
}

/// Injects every echoed Pod and workload template of `inputs` in place,
/// once every one of them is known to be an object the API server accepts.
pub fn inject_all(
    inputs: &mut Inputs,
    cluster: &ClusterState,
    settings: &Settings,
) -> Result<Outcome, Error> {
    crate::decode::check_resources(inputs, inputs.resources.iter().filter(|r| !r.policy_only))
        .map_err(Error::Undecodable)?;
    let ctx = context(cluster, settings);
    let mut outcome = Outcome {
        changed_docs: vec![false; inputs.docs.len()],
        templates: Vec::new(),
    };
    inject_resources(
        inputs,
        0..inputs.resources.len(),
        &ctx,
        settings,
        &mut outcome,
    )?;
    Ok(outcome)
}

/// [`inject_all`] over the echoed resources of document `doc` alone (a
/// streaming run holds one document at a time): its workloads are checked,
/// then injected.
pub fn inject_document(
    inputs: &mut Inputs,
    doc: usize,
    ctx: &inject::Context,
    settings: &Settings,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    // Resources are stored in document order.
    let start = inputs.resources.partition_point(|r| r.doc < doc);
    let end = inputs.resources.partition_point(|r| r.doc <= doc);
    crate::decode::check_resources(
        inputs,
        inputs.resources[start..end]
            .iter()
            .filter(|r| !r.policy_only),
    )
    .map_err(Error::Undecodable)?;
    inject_resources(inputs, start..end, ctx, settings, outcome)
}

/// The pod webhook over the resources `range` of `inputs`, in order, each
/// already known to decode.
fn inject_resources(
    inputs: &mut Inputs,
    range: std::ops::Range<usize>,
    ctx: &inject::Context,
    settings: &Settings,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    for idx in range {
        let r = inputs.resources[idx].clone();
        let Class::Workload(kind) = r.class else {
            continue;
        };
        if r.policy_only {
            continue;
        }
        let object = inputs.object_name(&r);
        let sites = workload::template_sites(kind, inputs.value(&r));
        for site in sites {
            let location = inputs.locate(&r, &site.path);
            let refuse = |rejection: Rejection| Refusal {
                object: object.clone(),
                location: location.clone(),
                rejection,
            };
            let (report, changed) = if kind == WorkloadKind::Pod {
                // The pod is injected in place: the document as read is kept
                // first, for the writer and for the comparison.
                inputs.keep_original(r.doc);
                let Some(pod) = inputs.value_mut(&r) else {
                    continue;
                };
                let report = inject::inject_pod(pod, ctx).map_err(refuse)?;
                let changed = inputs.value(&r) != inputs.original(&r);
                (report, changed)
            } else {
                let workload_value = inputs.value(&r);
                let namespace =
                    crate::namespace::pod_namespace(workload_value, &settings.namespace);
                let mut pod = workload::pod_from_template(workload_value, &site, namespace)
                    .map_err(|e| {
                        refuse(Rejection {
                            message: e.to_string(),
                            path: Some(site.path.clone().join(&e.path)),
                        })
                    })?;
                let mut report = inject::inject_pod(&mut pod, ctx).map_err(refuse)?;
                report
                    .warnings
                    .extend(template_warnings(kind, workload_value, &pod));
                let changes = workload::template_changes(workload_value, &site, &pod);
                let changed = changes.any();
                if changed {
                    inputs.keep_original(r.doc);
                    if let Some(w) = inputs.value_mut(&r) {
                        workload::write_back(w, &site, changes, pod);
                    }
                }
                (report, changed)
            };
            if changed {
                if outcome.changed_docs.len() <= r.doc {
                    outcome.changed_docs.resize(r.doc + 1, false);
                }
                outcome.changed_docs[r.doc] = true;
            }
            outcome.templates.push(TemplateResult {
                resource: idx,
                kind,
                object: object.clone(),
                site: site.path.clone(),
                location,
                report,
                changed,
            });
        }
    }
    Ok(())
}

/// What a template cannot show exactly of the pods made from it.
fn template_warnings(kind: WorkloadKind, workload: &Value, pod: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let has_barrier = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("env").and_then(Value::as_array))
        .flatten()
        .any(|e| e.get("name").and_then(Value::as_str) == Some("KRUISE_CONTAINER_BARRIER"));
    if has_barrier {
        out.push(format!(
            "container launch priority: the barrier ConfigMap is named after each pod; the template shows the stand-in pod name {}",
            pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
        ));
    }
    if kind == WorkloadKind::UnitedDeployment {
        let subsets = workload
            .pointer("/spec/topology/subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for s in subsets {
            if s.pointer("/patch/spec/template").is_some() || s.pointer("/patch/metadata").is_some()
            {
                out.push(format!(
                    "subset {} patches its workload; its pods may match SidecarSets differently (subset patches are not applied offline)",
                    s.get("name").and_then(Value::as_str).unwrap_or("?")
                ));
            }
        }
    }
    out
}

/// Pods created from a workload are only what the webhook sees; a Pod's own
/// value is the object itself.
pub fn template_value<'a>(inputs: &'a Inputs, t: &TemplateResult) -> Option<&'a Value> {
    let r = &inputs.resources[t.resource];
    workload::lookup(inputs.value(r), &t.site)
}
