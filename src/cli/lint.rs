//! `lint`: the validating webhook's rules and best practices, as a CI step.

use super::args::LintArgs;
use super::error::CliError;
use super::{input, output};
use crate::document::Class;
use crate::lint::{self, Severity};
use serde_json::Value;
use std::io::Write;

pub fn run(args: &LintArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let mut inputs = input::load(&args.input)?;
    let old_inputs = input::load_separate(&args.from)?;
    let old: Vec<Value> = old_inputs
        .of_class(Class::SidecarSet)
        .map(|r| old_inputs.value(r).clone())
        .collect();
    // Policy-only SidecarSets take part in the checks like the others.
    let resources: Vec<Value> = inputs
        .resources
        .iter()
        .map(|r| inputs.value(r).clone())
        .collect();
    let findings = lint::lint(&lint::Input {
        resources: &resources,
        old_sidecar_sets: &old,
        ..Default::default()
    });
    let findings: Vec<_> = findings
        .into_iter()
        .filter(|f| !args.ignore.iter().any(|i| i == &f.rule))
        .collect();
    let failing = findings
        .iter()
        .any(|f| f.severity == Severity::Error || (args.strict && f.severity == Severity::Warning));
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let r = &inputs.resources[f.resource];
            let loc = inputs.locate(r, &f.path);
            serde_json::json!({
                "rule": f.rule,
                "severity": f.severity,
                "object": inputs.object_name(r),
                "message": f.message,
                "help": f.help,
                "file": loc.file,
                "line": loc.line,
                "column": loc.column,
            })
        })
        .collect();
    let _ = &mut inputs;
    let mut buf = Vec::new();
    // Renderers for text, SARIF, JUnit and GitHub land with the lint engine.
    output::write_json_value(&serde_json::json!({ "results": results }), &mut buf)?;
    out.write_all(&buf)?;
    Ok(u8::from(failing))
}
