//! `plan`: the controller's rollout for each SidecarSet, batch by batch.

use super::args::{PlanArgs, PlanOutput};
use super::error::CliError;
use super::input;
use super::progress::Progress;
use crate::cluster::{ClusterState, Hashes};
use crate::decode;
use crate::document::{Class, Inputs};
use crate::output;
use crate::plan::PodSource;
use fast::Fast;
use serde_json::Value;
use std::io::Write;
use table::Style;

mod fast;
mod live;
mod shape;
mod table;

pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let progress = Progress::new("plan");
    progress.stage("reading input");
    let plans = if args.from.is_empty() {
        live_plans(args, &progress)?
    } else {
        what_if_plans(args, &progress)?
    };
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
                color: super::color::enabled(args.color, super::stdout_is_terminal()),
                all_pods: args.output == PlanOutput::Wide,
            };
            for p in &plans {
                buf.extend_from_slice(table::render(p, &style).as_bytes());
            }
        }
    }
    progress.finish();
    out.write_all(&buf)?;
    Ok(0)
}

/// Plans over live pods (`kubectl get sidecarset,pods -o yaml`).
fn live_plans(args: &PlanArgs, progress: &Progress) -> Result<Vec<crate::plan::Plan>, CliError> {
    // `-n` is checked after the input is read, as with --from; pods are
    // never planned when it is refused.
    let namespace = super::namespace(&args.engine).unwrap_or_default();
    let mut live = match fast::load(&args.input, &namespace)? {
        Fast::Done(live) => live,
        Fast::Exact(stdin) => live::load(&args.input, &namespace, stdin)?,
    };
    let plans = match plan_live(args, progress, &live) {
        // The error points into the input, which was read without
        // positions: read it again with them.
        Err(e) if live.fast && !matches!(e, CliError::Usage(_) | CliError::Output(_)) => {
            let stdin = live.take_stdin();
            drop(live);
            live = live::load(&args.input, &namespace, stdin)?;
            plan_live(args, progress, &live)?
        }
        plans => plans?,
    };
    // The process ends here: freeing every object one by one costs time
    // for nothing.
    super::discard(live);
    Ok(plans)
}

fn plan_live(
    args: &PlanArgs,
    progress: &Progress,
    live: &live::Live,
) -> Result<Vec<crate::plan::Plan>, CliError> {
    let opts = options(args)?;
    super::namespace(&args.engine)?;
    admit(args, &live.inputs, None)?;
    if let Some(e) = &live.undecodable {
        return Err(e.clone().into());
    }
    plan_each(args, progress, &live.inputs, &live.pods, &opts)
}

/// Plans of the SidecarSets being applied over the pods of the workloads
/// as the `--from` SidecarSets injected them.
fn what_if_plans(args: &PlanArgs, progress: &Progress) -> Result<Vec<crate::plan::Plan>, CliError> {
    let inputs = input::load(&args.input)?;
    let opts = options(args)?;
    super::namespace(&args.engine)?;
    // The current state is read once, for the webhook check and the pods.
    progress.stage("reading --from");
    let current = input::load_separate(&args.from)?;
    // The SidecarSets being applied update the --from versions.
    progress.stage("validating the SidecarSets");
    admit(args, &inputs, Some(&current))?;
    decode::check_resources(&inputs, inputs.resources.iter().filter(|r| !r.policy_only))?;
    progress.stage("building the workloads' pods");
    let pods = synthesized_pods(args, &inputs, current)?;
    let plans = plan_each(args, progress, &inputs, &pods, &opts);
    super::discard(inputs);
    super::discard(pods);
    plans
}

fn options(args: &PlanArgs) -> Result<crate::plan::Options, CliError> {
    Ok(crate::plan::Options {
        max_rounds: args.max_rounds,
        no_ready: args.no_ready,
        now: super::now(&args.engine)?,
        partition: args.partition.as_deref().map(partition_value).transpose()?,
    })
}

/// The plan of each SidecarSet of `inputs` over `pods`.
fn plan_each(
    args: &PlanArgs,
    progress: &Progress,
    inputs: &Inputs,
    pods: &dyn PodSource,
    opts: &crate::plan::Options,
) -> Result<Vec<crate::plan::Plan>, CliError> {
    // Live state carries the hashes the cluster recorded; a what-if
    // SidecarSet is being applied, so the webhook recomputes them.
    let cluster = ClusterState::from_inputs(inputs, hashes(args));
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    let count = cluster.sidecar_sets.len();
    for (i, set) in cluster.sidecar_sets.iter().enumerate() {
        let r = &inputs.resources[set.resource];
        progress.stage(format!(
            "planning {} over {} pods ({}/{count})",
            inputs.object_name(r),
            pods.len(),
            i + 1
        ));
        match &set.form {
            Ok(form) => plans.push(crate::plan::plan_pods(
                form,
                pods,
                &cluster.namespaces,
                opts,
            )),
            Err(e) => errors.push(inputs.field_error(r, e)),
        }
    }
    if !errors.is_empty() {
        return Err(CliError::Inputs(errors));
    }
    Ok(plans)
}

/// The hash annotations of the SidecarSets planned: those the cluster
/// recorded, or, for SidecarSets being applied (`--from`), the webhook's.
fn hashes(args: &PlanArgs) -> Hashes {
    if args.from.is_empty() {
        Hashes::Recorded
    } else {
        Hashes::Recomputed
    }
}

/// A live pod as the API server returns it: a pod given without a namespace
/// is in the one of `-n`.
fn in_namespace(mut pod: Value, namespace: &str) -> Value {
    let own = crate::namespace::pod_namespace(&pod, namespace).to_string();
    let named = pod.get("metadata").and_then(|m| m.get("namespace"));
    if named.and_then(Value::as_str) != Some(own.as_str()) {
        if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
            md.insert("namespace".into(), Value::String(own));
        }
    }
    pod
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
    let current_cluster = ClusterState::collect(&current).map_err(CliError::Inputs)?;
    let settings = super::settings(&args.engine)?;
    crate::whatif::pods(
        inputs,
        &current_cluster,
        &settings,
        &crate::whatif::Assumptions::default(),
    )
    .map_err(super::refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{Cli, Command};
    use clap::Parser;
    use std::path::Path;

    /// The arguments of a golden case's `cmd`, paths made absolute.
    fn golden_args(case: &Path) -> Option<PlanArgs> {
        let root = env!("CARGO_MANIFEST_DIR");
        let cmd = std::fs::read_to_string(case.join("cmd")).ok()?;
        let argv = std::iter::once("kubectl-sidecarset".to_string()).chain(
            cmd.split_whitespace().map(|word| {
                let word = word.replace("$ROOT", root);
                let local = case.join(&word);
                if local.is_file() {
                    local.display().to_string()
                } else {
                    word
                }
            }),
        );
        match Cli::try_parse_from(argv).ok()?.command {
            Command::Plan(a) => Some(a),
            _ => None,
        }
    }

    /// Every golden plan input, planned over its pods whole and over the
    /// same pods slim and encoded as a live plan keeps them (read by the
    /// YAML layer and, for JSON, by serde_json): the JSON of the plans is
    /// the same byte for byte.
    #[test]
    fn golden_plans_are_the_same_over_slim_pods() {
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden");
        let mut cases: Vec<_> = std::fs::read_dir(&golden)
            .expect("testdata/golden")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("plan-"))
            })
            .collect();
        cases.sort();
        let mut compared = 0;
        for case in &cases {
            let args = golden_args(case).unwrap_or_else(|| panic!("{}: cmd", case.display()));
            let namespace = super::super::namespace(&args.engine).expect("namespace");
            // A case about a bad --partition plans without one.
            let opts = options(&args)
                .or_else(|_| {
                    options(&PlanArgs {
                        partition: None,
                        ..golden_args(case).expect("cmd")
                    })
                })
                .expect("options");
            let inputs = input::load(&args.input).expect("input");
            let whole: Vec<Value> = if args.from.is_empty() {
                inputs
                    .of_class(Class::Workload(crate::workload::WorkloadKind::Pod))
                    .map(|r| in_namespace(inputs.value(r).clone(), &namespace))
                    .collect()
            } else {
                let current = input::load_separate(&args.from).expect("--from");
                synthesized_pods(&args, &inputs, current).expect("pods")
            };
            let mut variants: Vec<(&str, crate::plan::compact::CompactPods)> = Vec::new();
            let mut slim = crate::plan::compact::CompactPods::default();
            for p in &whole {
                slim.push_live(p.clone());
            }
            variants.push(("slim", slim));
            if args.from.is_empty() {
                let exact = live::load(&args.input, &namespace, None).expect("live");
                variants.push(("read by the YAML layer", exact.pods));
                match fast::load(&args.input, &namespace).expect("fast") {
                    Fast::Done(live) => variants.push(("read by serde_json", live.pods)),
                    Fast::Exact(_) => panic!("{}: not read by serde_json", case.display()),
                }
            }
            let cluster = ClusterState::from_inputs(&inputs, hashes(&args));
            for set in &cluster.sidecar_sets {
                let ss = set.form.as_ref().expect("webhook form");
                let refs: Vec<&Value> = whole.iter().collect();
                let want = serde_json::to_string(&crate::plan::plan(
                    ss,
                    &refs,
                    &cluster.namespaces,
                    &opts,
                ))
                .expect("json");
                for (how, pods) in &variants {
                    assert_eq!(pods.len(), whole.len(), "{}: {how}", case.display());
                    let got = serde_json::to_string(&crate::plan::plan_pods(
                        ss,
                        pods,
                        &cluster.namespaces,
                        &opts,
                    ))
                    .expect("json");
                    assert_eq!(got, want, "{}: {how}", case.display());
                    compared += 1;
                }
            }
        }
        println!("{} cases, {compared} plans compared", cases.len());
        assert!(compared >= 20, "{compared} plans compared");
    }
}
