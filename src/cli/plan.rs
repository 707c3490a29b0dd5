//! `plan`: the controller's rollout for each SidecarSet, batch by batch.

use super::args::{PlanArgs, TableOutput};
use super::error::CliError;
use super::{input, output};
use crate::document::{Class, Inputs};
use crate::policy;
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::io::Write;

pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let inputs = input::load(&args.input)?;
    let opts = crate::plan::Options::default();
    let namespaces: Vec<Value> = inputs
        .of_class(Class::Namespace)
        .map(|r| inputs.value(r).clone())
        .collect();
    let pods: Vec<Value> = inputs
        .of_class(Class::Workload(WorkloadKind::Pod))
        .map(|r| inputs.value(r).clone())
        .collect();
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for r in sidecar_sets_to_plan(&inputs) {
        let ss = match policy::stored(inputs.value(r)) {
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
        TableOutput::Table => output::write_json_value(&doc, &mut buf)?,
    }
    out.write_all(&buf)?;
    Ok(0)
}

fn sidecar_sets_to_plan(inputs: &Inputs) -> impl Iterator<Item = &crate::document::Resource> {
    inputs.of_class(Class::SidecarSet)
}
