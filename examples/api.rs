//! The engine as a library, without the command line: the same calls
//! `kubectl sidecarset inject` and `kubectl sidecarset plan` make.
//!
//! ```text
//! cargo run --example api
//! ```
//!
//! (a) injects the FileBeat SidecarSet into the Deployment of
//! `examples/filebeat-deployment/` and prints the resulting YAML stream;
//! (b) plans the rollout of the SidecarSet in `testdata/plan/live-hot-upgrade.json`
//! (`kubectl get sidecarset,pods -o json` of a cluster) over its live pods
//! and prints the batches.

use kubectl_sidecarset::document::Format;
use kubectl_sidecarset::plan::Action;
use kubectl_sidecarset::pod_webhook;
use kubectl_sidecarset::source::{self, PathOrStdin};
use kubectl_sidecarset::workload::WorkloadKind;
use kubectl_sidecarset::{
    inject_all, plan, Class, ClusterState, FeatureGates, Hashes, Inputs, PlanOptions, Settings,
};
use serde_json::Value;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The namespace of objects that name none (kubectl's default `-n`).
const NAMESPACE: &str = "default";

/// The repository root, where the example's inputs are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads `workloads` (echoed, as `-f`) and `sidecar_sets` (policy only, as
/// `--sidecarset`): files are decoded as the CLI decodes them (BOMs,
/// UTF-16), then parsed and classified.
fn read(workloads: &[PathBuf], sidecar_sets: &[PathBuf]) -> Result<Inputs, Box<dyn Error>> {
    let paths = |ps: &[PathBuf]| {
        ps.iter()
            .cloned()
            .map(PathOrStdin::Path)
            .collect::<Vec<_>>()
    };
    let mut inputs = Inputs::default();
    for file in source::read_all(&paths(workloads))? {
        inputs.add(file, false)?;
    }
    for file in source::read_all(&paths(sidecar_sets))? {
        inputs.add(file, true)?;
    }
    Ok(inputs)
}

/// (a) The pod webhook over every workload of `workloads`, with the
/// SidecarSets of `sidecar_sets`; returns the YAML stream `inject` prints.
/// `now` (seconds since the epoch) stamps the hash annotations.
pub(crate) fn inject(
    workloads: &[PathBuf],
    sidecar_sets: &[PathBuf],
    now: i64,
) -> Result<String, Box<dyn Error>> {
    let mut inputs = read(workloads, sidecar_sets)?;
    let gates = FeatureGates::default();
    // The validating webhook first: the cluster would not store a
    // SidecarSet it refuses, so no pod would get its sidecars.
    kubectl_sidecarset::admission::validate(&inputs, None, &gates).map_err(|r| r.to_string())?;
    let cluster = ClusterState::collect(&inputs).map_err(|errors| errors[0].to_string())?;
    let settings = Settings {
        gates,
        now,
        seed: 0,
        namespace: NAMESPACE.into(),
    };
    let outcome = inject_all(&mut inputs, &cluster, &settings).map_err(|e| match e {
        pod_webhook::Error::Undecodable(e) => e.to_string(),
        pod_webhook::Error::Refused(r) => {
            format!("{}: the webhook refused the pod: {}", r.object, r.rejection)
        }
    })?;

    // Untouched documents are written back as read; in changed ones only
    // what changed is rewritten, so comments and layout stay.
    let mut out = String::new();
    for (i, doc) in inputs.docs.iter().enumerate() {
        if doc.policy_only {
            continue;
        }
        let text = &inputs.files[doc.file].text[doc.range.clone()];
        if !outcome.changed_docs[i] {
            out.push_str(text);
            continue;
        }
        let after = doc.value.as_ref().unwrap_or(&Value::Null);
        let edited = match (doc.positions.root(), doc.original.as_ref()) {
            (Some(root), Some(before)) => kubectl_sidecarset::yaml::edit::apply(
                text,
                root,
                before,
                after,
                doc.format == Format::Json,
            ),
            _ => None,
        };
        out.push_str(&edited.unwrap_or_else(|| kubectl_sidecarset::to_yaml(after)));
    }
    Ok(out)
}

/// (b) The rollout of every SidecarSet of `live` (SidecarSets and Pods as
/// the cluster returns them) over its pods, one line per batch. `now`
/// (seconds since the epoch) is the time of the first round.
pub(crate) fn plan_live(live: &Path, now: i64) -> Result<String, Box<dyn Error>> {
    let inputs = read(&[live.to_path_buf()], &[])?;
    // A pod that names no namespace is in the one of `-n`, as the API
    // server returns it.
    let pods: Vec<Value> = inputs
        .of_class(Class::Workload(WorkloadKind::Pod))
        .map(|r| {
            let mut pod = inputs.value(r).clone();
            if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
                md.entry("namespace").or_insert_with(|| NAMESPACE.into());
            }
            pod
        })
        .collect();
    let pods: Vec<&Value> = pods.iter().collect();
    // Live SidecarSets keep the hashes the cluster recorded.
    let cluster = ClusterState::from_inputs(&inputs, Hashes::Recorded);
    let options = PlanOptions {
        now,
        ..PlanOptions::default()
    };
    let mut out = String::new();
    for set in &cluster.sidecar_sets {
        let form = set
            .form
            .as_ref()
            .map_err(|e| inputs.field_error(&inputs.resources[set.resource], e))?;
        let p = plan(form, &pods, &cluster.namespaces, &options);
        writeln!(
            out,
            "SidecarSet {}: {} matched, {} updated, {} batches",
            p.sidecar_set,
            p.status.matched_pods,
            p.status.updated_pods,
            p.batches.len()
        )?;
        for b in &p.batches {
            let pods = if b.pods.is_empty() {
                &b.flipped
            } else {
                &b.pods
            };
            let action = match b.action {
                Action::Upgrade => "upgrade",
                Action::Flip => "flip",
            };
            writeln!(
                out,
                "  round {} {action} {}/{}: {}",
                b.round,
                b.updated,
                b.matched,
                pods.join(", ")
            )?;
        }
        writeln!(out, "  end: {}", p.end)?;
    }
    Ok(out)
}

/// Both parts, on the example inputs of the repository.
pub(crate) fn run(now: i64) -> Result<String, Box<dyn Error>> {
    let filebeat = root().join("examples/filebeat-deployment");
    let mut out = inject(
        &[filebeat.join("deployment.yaml")],
        &[filebeat.join("sidecarset.yaml")],
        now,
    )?;
    out.push_str("---\n# plan\n");
    for line in plan_live(&root().join("testdata/plan/live-hot-upgrade.json"), now)?.lines() {
        writeln!(out, "# {line}")?;
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    print!("{}", run(kubectl_sidecarset::clock::now_epoch(false)?)?);
    Ok(())
}
