//! `-o json`: `{"results":[{rule, severity, object, message, help, file, line, column}]}`.

use super::Located;
use serde_json::{json, Value};

/// Renders findings as the JSON document of the CLI contract, for tools
/// that read the results.
pub fn json(results: &[Located]) -> String {
    let items: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "rule": r.finding.rule,
                "severity": r.finding.severity.as_str(),
                "object": r.object,
                "message": r.finding.message,
                "help": r.finding.help,
                "file": r.file,
                "line": r.line,
                "column": r.column,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "results": items }))
        .unwrap_or_else(|_| "{\"results\":[]}".into());
    s.push('\n');
    s
}
