//! `explain`: for each workload template and SidecarSet, injected or not,
//! and the deciding reason.

use super::args::{ExplainArgs, ExplainOutput};
use super::error::CliError;
use super::input;
use crate::cluster::ClusterState;
use crate::inject::Outcome;
use crate::output;
use crate::pod_webhook;
use serde_json::{json, Value};
use std::io::Write;

pub fn run(args: &ExplainArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let mut inputs = input::load(&args.input)?;
    let cluster = ClusterState::collect(&inputs).map_err(CliError::Inputs)?;
    super::inject::admit(
        &inputs,
        None,
        &args.admission,
        &args.engine,
        super::inject::INJECT_HINT,
    )?;
    let settings = super::settings(&args.engine)?;
    let outcome = pod_webhook::inject_all(&mut inputs, &cluster, &settings)
        .map_err(super::inject::engine_error)?;
    let entries: Vec<Value> = outcome
        .templates
        .iter()
        .map(|t| {
            let sets: Vec<Value> = t
                .report
                .decisions
                .iter()
                .map(|d| match &d.outcome {
                    Outcome::Injected { revision } => json!({
                        "sidecarSet": d.sidecar_set,
                        "injected": true,
                        "revision": revision,
                    }),
                    Outcome::Skipped { reason, detail } => json!({
                        "sidecarSet": d.sidecar_set,
                        "injected": false,
                        "reason": super::inject::reason_word(*reason),
                        "detail": detail,
                    }),
                })
                .collect();
            json!({
                "object": t.object,
                "template": if t.site.0.is_empty() { Value::Null } else { Value::String(t.site.to_string()) },
                "file": t.location.file,
                "line": t.location.line,
                "sidecarSets": sets,
                "warnings": t.report.warnings,
            })
        })
        .collect();
    let mut buf = Vec::new();
    match args.output {
        ExplainOutput::Json => {
            output::write_json_value(&json!({ "workloads": entries }), &mut buf)?
        }
        ExplainOutput::Text => {
            for t in &outcome.templates {
                let site = if t.site.0.is_empty() {
                    String::new()
                } else {
                    format!(" {}", t.site)
                };
                buf.extend_from_slice(format!("{}{site} ({}):\n", t.object, t.location).as_bytes());
                if t.report.decisions.is_empty() {
                    buf.extend_from_slice(b"  no SidecarSet in the input\n");
                }
                for d in &t.report.decisions {
                    let line = match &d.outcome {
                        Outcome::Injected { revision: Some(r) } => {
                            format!("  {:<30} injected (revision {r})\n", d.sidecar_set)
                        }
                        Outcome::Injected { revision: None } => {
                            format!("  {:<30} injected\n", d.sidecar_set)
                        }
                        Outcome::Skipped { reason, detail } => format!(
                            "  {:<30} not injected: {}: {detail}\n",
                            d.sidecar_set,
                            super::inject::reason_word(*reason)
                        ),
                    };
                    buf.extend_from_slice(line.as_bytes());
                }
                for w in &t.report.warnings {
                    buf.extend_from_slice(format!("  warning: {w}\n").as_bytes());
                }
            }
        }
    }
    out.write_all(&buf)?;
    Ok(0)
}
