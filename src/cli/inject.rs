//! `inject`: the pod webhook over every workload in the input.

use super::args::{AdmissionArgs, EngineArgs, InjectArgs, InjectOutput};
use super::error::CliError;
use super::{input, output};
use crate::document::{Class, Inputs};
use crate::inject::{Outcome as Decision, SkipReason};
use crate::mutate;
use crate::policy::Policy;
use crate::workload::WorkloadKind;
use std::io::Write;

pub fn run(args: &InjectArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let mut inputs = input::load(&args.input)?;
    if let Some(list) = super::krm::resource_list(&inputs) {
        return super::krm::inject(args, inputs, list, out);
    }
    let policy = Policy::collect(&inputs).map_err(CliError::Inputs)?;
    admit(&inputs, None, &args.admission, &args.engine, INJECT_HINT)?;
    let settings = super::settings(&args.engine)?;
    let outcome = mutate::inject_all(&mut inputs, &policy, &settings).map_err(engine_error)?;
    if args.output == InjectOutput::Json {
        name_pod_namespaces(&mut inputs, &settings.namespace);
    }
    // Everything is computed before anything is written: a refusal leaves stdout empty.
    let mut buf = Vec::new();
    match args.output {
        InjectOutput::Yaml => output::write_yaml_stream(&inputs, &outcome.changed_docs, &mut buf)?,
        InjectOutput::Json => output::write_json(&output::echoed_values(&inputs), &mut buf)?,
        InjectOutput::JsonPatch => write_patches(&inputs, &outcome.changed_docs, &mut buf)?,
    }
    out.write_all(&buf)?;
    if !args.quiet {
        eprint!("{}", summary(&outcome));
    }
    // The process ends here: freeing every parsed document one by one costs
    // a sixth of a run over thousands of workloads for nothing.
    super::discard(inputs);
    Ok(0)
}

/// `-o json` shows objects as the API server returns them after CREATE: a
/// Pod given without a namespace is in the one of `-n`. YAML and patch
/// output keep the object as written, so that `kubectl apply -n` and helm
/// still decide.
fn name_pod_namespaces(inputs: &mut crate::document::Inputs, namespace: &str) {
    let pods: Vec<crate::document::Resource> = inputs
        .of_class(Class::Workload(WorkloadKind::Pod))
        .filter(|r| !r.policy_only)
        .cloned()
        .collect();
    for r in &pods {
        let Some(pod) = inputs.value_mut(r) else {
            continue;
        };
        let ns = crate::inject::matching::pod_namespace(pod, namespace).to_string();
        if let Some(md) = pod
            .get_mut("metadata")
            .and_then(serde_json::Value::as_object_mut)
        {
            md.insert("namespace".into(), serde_json::Value::String(ns));
        }
    }
}

/// What follows a SidecarSet refusal of `inject`, `diff` and `explain`.
pub(super) const INJECT_HINT: &str = "\nhint: the cluster would not store this SidecarSet, so no pod gets its sidecars; --validate=false uses it anyway";

/// The validating webhook over the SidecarSets a command is about to use:
/// CREATEs, or UPDATEs of the same-named SidecarSets in `stored`.
pub(super) fn admit(
    inputs: &Inputs,
    stored: Option<&Inputs>,
    admission: &AdmissionArgs,
    engine: &EngineArgs,
    hint: &str,
) -> Result<(), CliError> {
    if !admission.validate {
        return Ok(());
    }
    crate::admission::validate(inputs, stored, &input::gates(engine)?).map_err(|r| {
        CliError::Rejected {
            location: Some(r.location.clone()),
            message: format!("{r}{hint}"),
        }
    })
}

/// A run of the pod webhook that stopped: an object the API server could not
/// decode (exit 2) or a pod the webhook refused (exit 1).
pub(super) fn engine_error(e: mutate::Error) -> CliError {
    match e {
        mutate::Error::Undecodable(e) => CliError::Input(e),
        mutate::Error::Refused(r) => super::refused(r),
    }
}

/// One JSON document listing, per mutated object, the RFC 6902 patch that
/// turns the input object into the output object.
fn write_patches(
    inputs: &crate::document::Inputs,
    changed: &[bool],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut items = Vec::new();
    for (i, doc) in inputs.docs.iter().enumerate() {
        if doc.policy_only || !changed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (Some(before), Some(after)) = (doc.original.as_ref(), doc.value.as_ref()) else {
            continue;
        };
        let patch = json_patch::diff(before, after);
        let md = after.get("metadata");
        items.push(serde_json::json!({
            "apiVersion": after.get("apiVersion"),
            "kind": after.get("kind"),
            "name": md.and_then(|m| m.get("name")),
            "namespace": md.and_then(|m| m.get("namespace")),
            "patch": patch,
        }));
    }
    output::write_json_value(&serde_json::Value::Array(items), out)
}

/// Per workload: what was injected and why the others were not.
pub fn summary(outcome: &mutate::Outcome) -> String {
    let mut s = String::new();
    for t in &outcome.templates {
        let mut injected = Vec::new();
        let mut skipped = Vec::new();
        for d in &t.report.decisions {
            match &d.outcome {
                Decision::Injected { revision } => injected.push(match revision {
                    Some(r) => format!("{} (revision {r})", d.sidecar_set),
                    None => d.sidecar_set.clone(),
                }),
                Decision::Skipped { reason, detail } => skipped.push(format!(
                    "{} ({}: {detail})",
                    d.sidecar_set,
                    reason_word(*reason)
                )),
            }
        }
        let site = if t.site.0.is_empty() {
            String::new()
        } else {
            format!(" {}", t.site)
        };
        s.push_str(&format!("{}{site}: ", t.object));
        if injected.is_empty() {
            s.push_str("nothing injected");
        } else {
            s.push_str(&format!("injected {}", injected.join(", ")));
        }
        if !skipped.is_empty() {
            s.push_str(&format!("; not injected: {}", skipped.join(", ")));
        }
        s.push('\n');
        for w in &t.report.warnings {
            s.push_str(&format!("  warning: {w}\n"));
        }
    }
    s
}

pub fn reason_word(r: SkipReason) -> &'static str {
    match r {
        SkipReason::InactivePod => "inactive pod",
        SkipReason::Paused => "injection paused",
        SkipReason::Namespace => "namespace",
        SkipReason::NamespaceSelector => "namespaceSelector",
        SkipReason::Selector => "selector",
    }
}
