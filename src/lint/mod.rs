//! The SidecarSet validating webhook's rules (`SSV-*`,
//! `../shared/spec/validation.md`) and the best-practice lints (`SSL-*`,
//! `../shared/spec/best-practices-lint.md`).
//!
//! Contract used by the CLI (keep these signatures): [`lint`] checks a set of
//! resources and returns findings that point at a resource (by index) and a
//! field path; the CLI turns those into file, line and column.

use crate::path::JsonPath;
use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id, e.g. `SSV-021` or `SSL-001`.
    pub rule: String,
    pub severity: Severity,
    /// Index into `Input::resources` of the resource the finding is about.
    pub resource: usize,
    /// The field the finding points at (root when the whole object).
    pub path: JsonPath,
    pub message: String,
    pub help: Option<String>,
}

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct Input<'a> {
    /// Every resource read (SidecarSets, workloads, Namespaces, ...), in input order.
    pub resources: &'a [Value],
    /// SidecarSets as stored in the cluster before this change (`lint --from`).
    pub old_sidecar_sets: &'a [Value],
}

/// Runs every rule.
pub fn lint(input: &Input<'_>) -> Vec<Finding> {
    let _ = input;
    Vec::new()
}
