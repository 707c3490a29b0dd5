//! Renderers of located findings: JSON (the contract), SARIF 2.1.0, JUnit
//! XML, GitHub workflow annotations and a human terminal form.

use super::Finding;

/// A finding with where it is in the input, as the CLI resolved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The finding itself.
    pub finding: Finding,
    /// `Kind/namespace/name` or `Kind/name`.
    pub object: String,
    /// The input file, when the finding could be located.
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `line`.
    pub column: Option<usize>,
    /// The source line at `line`, for the terminal form.
    pub snippet: Option<String>,
}

mod github;
mod human;
mod json;
mod junit;
mod sarif;

pub use github::github;
pub use human::{human, rules_text};
pub use json::json;
pub use junit::junit;
pub use sarif::{sarif, SrcRoot, Tool as SarifTool};

impl Located {
    /// `file:line:column` as far as known.
    pub fn position(&self) -> String {
        let mut s = self.file.clone().unwrap_or_else(|| "<input>".into());
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

/// Counts of (errors, warnings, infos).
pub fn counts(results: &[Located]) -> (usize, usize, usize) {
    use super::Severity::{Error, Info, Warning};
    results
        .iter()
        .fold((0, 0, 0), |(e, w, i), r| match r.finding.severity {
            Error => (e + 1, w, i),
            Warning => (e, w + 1, i),
            Info => (e, w, i + 1),
        })
}

#[cfg(test)]
mod tests;
