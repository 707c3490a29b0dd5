//! `lint`: the validating webhook's rules and best practices, as a CI step.

use super::args::{LintArgs, LintOutput};
use super::error::CliError;
use super::input;
use crate::document::Class;
use crate::lint::{self, render, Located, Severity, RULES};
use serde_json::Value;
use std::io::{IsTerminal, Write};

pub fn run(args: &LintArgs, out: &mut impl Write) -> Result<u8, CliError> {
    if args.list_rules {
        let text = match args.output {
            LintOutput::Json => list_rules_json(),
            _ => render::rules_text(RULES),
        };
        out.write_all(text.as_bytes())?;
        return Ok(0);
    }
    let inputs = input::load(&args.input)?;
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
        gates: input::gates(&args.engine)?,
    });
    let located: Vec<Located> = findings
        .into_iter()
        .filter(|f| !lint::suppressed(&args.ignore, &f.rule))
        .map(|f| {
            let r = &inputs.resources[f.resource];
            let loc = inputs.locate(r, &f.path);
            let snippet = inputs
                .docs
                .get(r.doc)
                .and_then(|d| inputs.files.get(d.file))
                .and_then(|file| file.line(loc.line))
                .map(str::to_string);
            Located {
                object: inputs.object_name(r),
                file: Some(loc.file),
                line: Some(loc.line),
                column: Some(loc.column),
                snippet,
                finding: f,
            }
        })
        .collect();
    let failing = located.iter().any(|l| {
        l.finding.severity == Severity::Error
            || (args.strict && l.finding.severity == Severity::Warning)
    });
    let text = match args.output {
        LintOutput::Json => render::json(&located),
        LintOutput::Sarif => render::sarif(&located, RULES, env!("CARGO_PKG_VERSION")),
        LintOutput::Junit => render::junit(&located, args.strict),
        LintOutput::Github => render::github(&located),
        LintOutput::Text => render::human(
            &located,
            args.color.enabled(std::io::stdout().is_terminal()),
        ),
    };
    out.write_all(text.as_bytes())?;
    Ok(u8::from(failing))
}

fn list_rules_json() -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "severity": r.severity.as_str(),
                "title": r.title,
                "description": r.description,
                "help": r.help,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({
        "rules": rules,
        "suppressionAnnotation": lint::IGNORE_ANNOTATION,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}
