//! `-o junit`: one test case per finding; errors (and warnings with
//! `--strict`) are failures, the rest pass with their text in `system-out`.

use super::Located;
use crate::lint::Severity;

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// Renders findings as a JUnit XML report for CI test views; errors (and
/// warnings when `strict`) are failures.
pub fn junit(results: &[Located], strict: bool) -> String {
    let fails = |r: &Located| {
        r.finding.severity == Severity::Error || (strict && r.finding.severity == Severity::Warning)
    };
    let failures = results.iter().filter(|r| fails(r)).count();
    let tests = results.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"kubectl-sidecarset lint\" tests=\"{tests}\" failures=\"{failures}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"kubectl-sidecarset lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    if results.is_empty() {
        out.push_str("    <testcase name=\"lint\" classname=\"kubectl-sidecarset\"/>\n");
    }
    for r in results {
        let f = &r.finding;
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\"",
            xml(&format!("{} {}", f.rule, r.object)),
            xml(&r.object),
        ));
        if let Some(file) = &r.file {
            out.push_str(&format!(" file=\"{}\"", xml(file)));
        }
        if let Some(line) = r.line {
            out.push_str(&format!(" line=\"{line}\""));
        }
        let body = match &f.help {
            Some(h) => format!("{}: {}\nhelp: {}", r.position(), f.message, h),
            None => format!("{}: {}", r.position(), f.message),
        };
        if fails(r) {
            out.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                xml(&f.message),
                f.severity.as_str(),
                xml(&body)
            ));
        } else {
            out.push_str(&format!(
                ">\n      <system-out>{}: {}</system-out>\n    </testcase>\n",
                f.severity.as_str(),
                xml(&body)
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
