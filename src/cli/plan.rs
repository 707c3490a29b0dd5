//! `plan`: the controller's rollout for each SidecarSet, batch by batch.

use super::args::{PlanArgs, PlanOutput};
use super::error::CliError;
use super::progress::Progress;
use super::{input, output};
use crate::decode;
use crate::document::{Class, Inputs};
use crate::policy::{self, Policy};
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::io::Write;
use table::Style;

mod table;

pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let progress = Progress::new("plan");
    progress.stage("reading input");
    let inputs = input::load(&args.input)?;
    let opts = crate::plan::Options {
        max_rounds: args.max_rounds,
        no_ready: args.no_ready,
        now: super::now(&args.engine)?,
        partition: args.partition.as_deref().map(partition_value).transpose()?,
    };
    let namespaces: Vec<Value> = inputs
        .of_class(Class::Namespace)
        .map(|r| inputs.value(r).clone())
        .collect();
    let what_if = !args.from.is_empty();
    let namespace = super::namespace(&args.engine)?;
    let synthesized;
    let live: Vec<std::borrow::Cow<'_, Value>> = if what_if {
        Vec::new()
    } else {
        inputs
            .of_class(Class::Workload(WorkloadKind::Pod))
            .map(|r| with_namespace(inputs.value(r), &namespace))
            .collect()
    };
    let pods: Vec<&Value> = if what_if {
        // The current state is read once, for the webhook check and the pods.
        progress.stage("reading --from");
        let current = input::load_separate(&args.from)?;
        // The SidecarSets being applied update the --from versions.
        progress.stage("validating the SidecarSets");
        admit(args, &inputs, Some(&current))?;
        decode::check_resources(&inputs, inputs.resources.iter().filter(|r| !r.policy_only))?;
        progress.stage("building the workloads' pods");
        synthesized = synthesized_pods(args, &inputs, current)?;
        synthesized.iter().collect()
    } else {
        admit(args, &inputs, None)?;
        decode::check_resources(&inputs, inputs.of_class(Class::Workload(WorkloadKind::Pod)))?;
        live.iter().map(|p| p.as_ref()).collect()
    };
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    let count = inputs.of_class(Class::SidecarSet).count();
    for (i, r) in inputs.of_class(Class::SidecarSet).enumerate() {
        progress.stage(format!(
            "planning {} over {} pods ({}/{count})",
            inputs.object_name(r),
            pods.len(),
            i + 1
        ));
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
    progress.stage("rendering");
    let mut buf = Vec::new();
    match args.output {
        PlanOutput::Json => {
            output::write_json_value(&serde_json::json!({ "plans": plans }), &mut buf)?;
        }
        PlanOutput::Yaml => buf.extend_from_slice(
            crate::reader::emit_yaml(&serde_json::json!({ "plans": plans })).as_bytes(),
        ),
        PlanOutput::Table | PlanOutput::Wide => {
            let style = Style {
                color: args.color.enabled(super::stdout_is_terminal()),
                all_pods: args.output == PlanOutput::Wide,
            };
            for p in &plans {
                buf.extend_from_slice(table::render(p, &style).as_bytes());
            }
        }
    }
    progress.finish();
    out.write_all(&buf)?;
    // The process ends here: freeing every parsed pod one by one would cost
    // a tenth of the run on 100,000 pods for nothing.
    drop(plans);
    drop(pods);
    super::discard(live);
    super::discard(inputs);
    Ok(0)
}

/// A live pod as the API server returns it: a pod given without a namespace
/// is in the one of `-n`. Pods that name theirs are not copied.
fn with_namespace<'a>(pod: &'a Value, namespace: &str) -> std::borrow::Cow<'a, Value> {
    let own = crate::inject::matching::pod_namespace(pod, namespace);
    let named = pod.get("metadata").and_then(|m| m.get("namespace"));
    if named.and_then(Value::as_str) == Some(own) {
        return std::borrow::Cow::Borrowed(pod);
    }
    let mut p = pod.clone();
    if let Some(md) = p.get_mut("metadata").and_then(Value::as_object_mut) {
        md.insert("namespace".into(), Value::String(own.to_string()));
    }
    std::borrow::Cow::Owned(p)
}

/// `--partition`: an integer or a percentage, as the API takes it.
fn partition_value(text: &str) -> Result<Value, CliError> {
    let valid = match text.strip_suffix('%') {
        Some(n) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        None => text.parse::<u32>().is_ok(),
    };
    if !valid {
        return Err(CliError::Usage(format!(
            "--partition {text:?}: expected a non-negative integer or a percentage such as 10%"
        )));
    }
    Ok(match text.parse::<u32>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::String(text.to_string()),
    })
}

/// A SidecarSet the validating webhook would reject is never stored, so
/// there is no rollout of it to plan.
fn admit(args: &PlanArgs, inputs: &Inputs, stored: Option<&Inputs>) -> Result<(), CliError> {
    super::inject::admit(
        inputs,
        stored,
        &args.admission,
        &args.engine,
        "; nothing would roll out (plan it anyway with --validate=false)",
    )
}

/// Pods of the workloads in -f as the `--from` SidecarSets injected them.
fn synthesized_pods(
    args: &PlanArgs,
    inputs: &Inputs,
    mut current: Inputs,
) -> Result<Vec<Value>, CliError> {
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
