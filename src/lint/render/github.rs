//! `-o github`: GitHub Actions workflow commands (`::error file=...::msg`).

use super::Located;
use crate::lint::Severity;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders findings as GitHub Actions workflow commands, so a workflow
/// run annotates the lines they point at.
pub fn github(results: &[Located]) -> String {
    let mut out = String::new();
    for r in results {
        let level = match r.finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = &r.file {
            props.push(format!("file={}", escape_property(f)));
        }
        if let Some(l) = r.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = r.column {
            props.push(format!("col={c}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", r.finding.rule, r.object))
        ));
        let mut msg = r.finding.message.clone();
        if let Some(h) = &r.finding.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            escape_data(&msg)
        ));
    }
    out
}
