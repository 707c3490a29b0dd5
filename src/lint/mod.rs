//! The SidecarSet validating webhook's rules (`SSV-*`,
//! `docs/spec/validation.md`) and the best-practice lints (`SSL-*`,
//! `docs/spec/best-practices-lint.md`).
//!
//! Contract used by the CLI (keep these signatures): [`lint`] checks a set of
//! resources and returns findings that point at a resource (by index) and a
//! field path; [`locate()`] turns those into file, line and column
//! ([`Located`]) and the CLI hands them to a renderer of [`render`].
//!
//! Suppression: an object annotated `sidecarset.kruise.io/lint-ignore:
//! "SSL-023,SSV-040"` (or `"*"`) gets no findings of those rules; per run,
//! `--ignore RULE` is applied by the CLI (see [`suppressed`]).

use crate::features::FeatureGates;
use crate::path::JsonPath;
use crate::value::At;
use serde::Serialize;
use serde_json::Value;

mod locate;
mod model;
mod overlap;
mod pod_validation;
pub mod registry;
pub mod render;
mod rule;
mod rules;

pub use locate::locate;
pub use registry::RULES;
pub use render::Located;
pub use rule::{Rule, RuleId};

/// The annotation that silences rules on one object (comma-separated ids or `*`).
pub use crate::annotations::LINT_IGNORE_ANNOTATION as IGNORE_ANNOTATION;

/// How much a finding matters; `lint` fails a CI step on errors (and on
/// warnings with `--strict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// A likely mistake or a bad practice; fails a run under `--strict`.
    Warning,
    /// Something the cluster would refuse or that cannot work as written.
    Error,
}

impl Severity {
    /// The lowercase word renderers and `--list-rules` show.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id, e.g. `SSV-021` or `SSL-001`.
    pub rule: String,
    /// How much the finding matters (the rule's severity).
    pub severity: Severity,
    /// Index into `Input::resources` of the resource the finding is about.
    pub resource: usize,
    /// The field the finding points at (root when the whole object).
    pub path: JsonPath,
    /// What is wrong, about this object.
    pub message: String,
    /// How to fix it, when the rule has advice.
    pub help: Option<String>,
}

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct Input<'a> {
    /// Every resource read (SidecarSets, workloads, Namespaces, ...), in input order.
    pub resources: &'a [Value],
    /// SidecarSets as stored in the cluster before this change (`lint --from`).
    pub old_sidecar_sets: &'a [Value],
    /// Feature gates of the Kruise installation being targeted.
    pub gates: FeatureGates,
    /// The namespace of workloads that name none (kubectl's `-n`; empty: `default`).
    pub namespace: &'a str,
}

/// Runs every rule. Findings come out grouped by resource (input order), then
/// in rule evaluation order; suppression annotations are already applied.
pub fn lint(input: &Input<'_>) -> Vec<Finding> {
    let cluster = model::World::cluster(input);
    let world = model::World::build(input, &cluster);
    let mut out = Vec::new();
    rules::webhook::check(&world, input, &mut out);
    rules::best_practices::check(&world, input, &mut out);
    out.retain(|f| !suppressed_by_annotation(input.resources.get(f.resource), &f.rule));
    // Stable order: by resource, keeping evaluation order inside one.
    out.sort_by_key(|f| f.resource);
    out
}

/// The validating webhook's rules only (`SSV-*`), as the cluster applies
/// them: no best-practice rules, and no suppression (a `lint-ignore`
/// annotation silences the linter, not the API server).
pub fn validating_webhook(input: &Input<'_>) -> Vec<Finding> {
    let cluster = model::World::cluster(input);
    let world = model::World::build(input, &cluster);
    let mut out = Vec::new();
    rules::webhook::check(&world, input, &mut out);
    out.sort_by_key(|f| f.resource);
    out
}

/// Whether `rule` is listed in `ignore` (ids as given to `--ignore`, case-insensitive,
/// `*` for all).
pub fn suppressed(ignore: &[String], rule: &str) -> bool {
    ignore
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .any(|i| i == "*" || i.eq_ignore_ascii_case(rule))
}

fn suppressed_by_annotation(obj: Option<&Value>, rule: &str) -> bool {
    let Some(list) = obj
        .and_then(|o| o.at("/metadata/annotations"))
        .and_then(|a| a.get(IGNORE_ANNOTATION))
        .and_then(Value::as_str)
    else {
        return false;
    };
    suppressed(&[list.to_string()], rule)
}

#[cfg(test)]
mod tests;
