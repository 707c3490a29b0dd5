//! `lint`: the validating webhook's rules and best practices, as a CI step.

use super::args::{LintArgs, LintOutput};
use super::error::CliError;
use super::input;
use super::progress::Progress;
use crate::document::{Class, Inputs};
use crate::lint::{self, render, Located, Severity, RULES};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub fn run(args: &LintArgs, out: &mut impl Write) -> Result<u8, CliError> {
    if args.list_rules {
        let text = match args.output {
            LintOutput::Json => list_rules_json(),
            _ => render::rules_text(RULES),
        };
        out.write_all(text.as_bytes())?;
        return Ok(0);
    }
    // A bad --sarif-root is a usage error: reported before any input is read.
    let sarif_root = match args.output {
        LintOutput::Sarif => Some(sarif_root(args)?),
        _ => None,
    };
    let progress = Progress::new("lint");
    progress.stage("reading input");
    let mut named = args.input.clone();
    named.filenames.extend(args.files.iter().cloned());
    let mut inputs = input::load(&named)?;
    if let Some(list) = super::krm::resource_list(&inputs) {
        return super::krm::lint(args, inputs, list, out);
    }
    // A workload the API server cannot decode has no pods to lint.
    crate::decode::check_resources(&inputs, &inputs.resources)?;
    let old_inputs = input::load_separate(&args.from)?;
    let old: Vec<Value> = old_inputs
        .of_class(Class::SidecarSet)
        .map(|r| old_inputs.value(r).clone())
        .collect();
    // Policy-only SidecarSets take part in the checks like the others.
    // The rules read the values for a while: lent out of their documents
    // (List items copied) rather than copied, and put back before locating.
    let (resources, taken) = take_values(&mut inputs);
    progress.stage(format!(
        "checking {} objects of {} files",
        resources.len(),
        inputs.files.len()
    ));
    let findings = lint::lint(&lint::Input {
        resources: &resources,
        old_sidecar_sets: &old,
        gates: input::gates(&args.engine)?,
        namespace: &super::namespace(&args.engine)?,
    });
    put_back(&mut inputs, resources, &taken);
    let located: Vec<Located> = findings
        .into_iter()
        .filter(|f| !lint::suppressed(&args.ignore, &f.rule))
        .map(|f| lint::locate(&inputs, f))
        .collect();
    let failing = located.iter().any(|l| {
        l.finding.severity == Severity::Error
            || (args.strict && l.finding.severity == Severity::Warning)
    });
    let text = match args.output {
        LintOutput::Json => render::json(&located),
        // The root was resolved above for -o sarif.
        LintOutput::Sarif => sarif_root
            .as_ref()
            .map(|root| {
                let tool = render::SarifTool {
                    version: env!("CARGO_PKG_VERSION"),
                    repository: Some(env!("CARGO_PKG_REPOSITORY")).filter(|r| !r.is_empty()),
                };
                render::sarif(&located, RULES, &tool, root)
            })
            .unwrap_or_default(),
        LintOutput::Junit => render::junit(&located, args.strict),
        LintOutput::Github => render::github(&located),
        LintOutput::Text => render::human(
            &located,
            super::color::enabled(args.color, super::stdout_is_terminal()),
        ),
    };
    progress.finish();
    out.write_all(text.as_bytes())?;
    Ok(u8::from(failing))
}

/// The value of each resource of `inputs`, in order: taken out of its
/// document when the document is that one object (the others, List items,
/// copied), with whether it was taken; [`put_back`] returns them.
fn take_values(inputs: &mut Inputs) -> (Vec<Value>, Vec<bool>) {
    let mut values = Vec::with_capacity(inputs.resources.len());
    let mut taken = Vec::with_capacity(inputs.resources.len());
    for r in &inputs.resources {
        let own = match r.item {
            None => inputs.docs[r.doc].value.take(),
            Some(_) => None,
        };
        taken.push(own.is_some());
        values.push(own.unwrap_or_else(|| inputs.value(r).clone()));
    }
    (values, taken)
}

/// Puts the values [`take_values`] took back into their documents.
fn put_back(inputs: &mut Inputs, values: Vec<Value>, taken: &[bool]) {
    for ((v, &t), r) in values.into_iter().zip(taken).zip(&inputs.resources) {
        if t {
            inputs.docs[r.doc].value = Some(v);
        }
    }
}

/// `--sarif-root`, checked before it names every artifact.
fn sarif_root(args: &LintArgs) -> Result<render::SrcRoot, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Usage(format!("the current directory: {e}")))?;
    let root = args.sarif_root.as_deref().unwrap_or(Path::new("."));
    if !cwd.join(root).is_dir() {
        return Err(CliError::Usage(format!(
            "--sarif-root {}: not a directory (from {})",
            root.display(),
            cwd.display()
        )));
    }
    Ok(render::SrcRoot::new(root, &cwd))
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
