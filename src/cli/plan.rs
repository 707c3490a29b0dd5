//! `plan`: the controller's rollout for each SidecarSet, batch by batch.

use super::args::{PlanArgs, TableOutput};
use super::error::CliError;
use super::{input, output};
use crate::document::{Class, Inputs};
use crate::policy::{self, Policy};
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::io::Write;

pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let inputs = input::load(&args.input)?;
    let opts = crate::plan::Options {
        max_rounds: args.max_rounds,
        no_ready: args.no_ready,
    };
    let namespaces: Vec<Value> = inputs
        .of_class(Class::Namespace)
        .map(|r| inputs.value(r).clone())
        .collect();
    let what_if = !args.from.is_empty();
    let pods: Vec<Value> = if what_if {
        synthesized_pods(args, &inputs)?
    } else {
        inputs
            .of_class(Class::Workload(WorkloadKind::Pod))
            .map(|r| inputs.value(r).clone())
            .collect()
    };
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for r in inputs.of_class(Class::SidecarSet) {
        // Live state carries the hashes the cluster recorded; a what-if
        // SidecarSet is being applied, so the webhook recomputes them.
        let stored = if what_if {
            crate::sidecarset::store(inputs.value(r))
        } else {
            policy::stored(inputs.value(r))
        };
        let ss = match stored {
            Ok(s) => s,
            Err(e) => {
                errors.push(inputs.field_error(r, &e));
                continue;
            }
        };
        match crate::plan::plan(&ss, &pods, &namespaces, &opts) {
            Ok(p) => plans.push(p),
            Err(e) => errors.push(inputs.field_error(r, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(CliError::Inputs(errors));
    }
    let doc = serde_json::json!({ "plans": plans });
    let mut buf = Vec::new();
    match args.output {
        TableOutput::Json => output::write_json_value(&doc, &mut buf)?,
        TableOutput::Yaml => buf.extend_from_slice(crate::reader::emit_yaml(&doc).as_bytes()),
        TableOutput::Table => buf.extend_from_slice(table(&plans).as_bytes()),
    }
    out.write_all(&buf)?;
    Ok(0)
}

/// Pods of the workloads in -f as the `--from` SidecarSets injected them.
fn synthesized_pods(args: &PlanArgs, inputs: &Inputs) -> Result<Vec<Value>, CliError> {
    let mut current = input::load_separate(&args.from)?;
    // Namespaces and ControllerRevisions of -f count for the current state too.
    for r in &inputs.resources {
        if matches!(r.class, Class::Namespace | Class::ControllerRevision) {
            let v = inputs.value(r).clone();
            current.add_value(v, r.class);
        }
    }
    let current_policy = Policy::collect(&current).map_err(CliError::Inputs)?;
    let settings = super::settings(&args.engine)?;
    crate::whatif::pods(
        inputs,
        &current_policy,
        &settings,
        &crate::whatif::Assumptions::default(),
    )
    .map_err(super::refused)
}

/// The plan for a person: status, the next batch in order, and what is held back.
fn table(plans: &[crate::plan::Plan]) -> String {
    let mut s = String::new();
    for p in plans {
        let st = &p.status;
        let width = 30usize;
        let filled = (st.updated_pods * width)
            .checked_div(st.matched_pods)
            .unwrap_or(0);
        s.push_str(&format!(
            "SidecarSet {}: matched {}, updated {}, ready {}, updated and ready {}\n  [{}{}] {}/{} updated\n",
            p.sidecar_set,
            st.matched_pods,
            st.updated_pods,
            st.ready_pods,
            st.updated_ready_pods,
            "#".repeat(filled),
            ".".repeat(width - filled),
            st.updated_pods,
            st.matched_pods
        ));
        s.push_str(&format!("  health (Argo CD): {}\n", p.health));
        if let Some(why) = &p.stopped {
            s.push_str(&format!("  no batch: {why}\n"));
        }
        for (i, b) in p.batches.iter().enumerate() {
            s.push_str(&format!("  batch {} ({} pods):\n", i + 1, b.pods.len()));
            for pod in &b.pods {
                s.push_str(&format!("    {pod}\n"));
            }
        }
        if let Some(line) = &p.partition {
            s.push_str(&format!("  ---- {line}\n"));
        }
        if p.batches.len() > 1 {
            s.push_str(&format!("  model: {}\n", p.model));
        }
        for n in &p.not_upgradable {
            s.push_str(&format!("  not upgradable: {}: {}\n", n.pod, n.reason));
        }
        for pod in &p.in_flight {
            s.push_str(&format!(
                "  in flight: {pod}: its previous in-place update has not completed\n"
            ));
        }
        for n in &p.unmanaged {
            s.push_str(&format!("  not managed: {}: {}\n", n.pod, n.reason));
        }
    }
    s
}
