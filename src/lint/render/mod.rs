//! Renderers of located findings: JSON (the contract), SARIF 2.1.0, JUnit
//! XML, GitHub workflow annotations and a human terminal form.

use super::Finding;

/// A finding with where it is in the input, as the CLI resolved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub finding: Finding,
    /// `Kind/namespace/name` or `Kind/name`.
    pub object: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The source line at `line`, for the terminal form.
    pub snippet: Option<String>,
}
