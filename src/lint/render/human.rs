//! The terminal form: rustc-style, with the source line and a caret.

use super::{counts, Located};
use crate::lint::Rule;
use crate::lint::Severity;

use crate::color::{self, BOLD};
use anstyle::Style;
use std::fmt::Write as _;

const BLUE: Style = color::BOLD_BLUE;

fn sev_color(s: Severity) -> Style {
    match s {
        Severity::Error => color::BOLD_RED,
        Severity::Warning => color::BOLD_YELLOW,
        Severity::Info => color::BOLD_CYAN,
    }
}

/// Renders findings for a terminal: each with its quoted source line and a
/// caret, in ANSI colours when `color` is set.
pub fn human(results: &[Located], color: bool) -> String {
    // Written straight into `out`: one buffer, no string per piece.
    let mut out = String::with_capacity(64 + results.len() * 320);
    for r in results {
        let f = &r.finding;
        let sev = sev_color(f.severity);
        paint_to(
            &mut out,
            sev,
            color,
            format_args!("{}[{}]", f.severity.as_str(), f.rule),
        );
        paint_to(
            &mut out,
            BOLD,
            color,
            format_args!(": {}", crate::document::one_diagnostic(&f.message)),
        );
        out.push('\n');
        let line_text = r.line.map(|l| l.to_string());
        let gutter = line_text.as_ref().map_or(1, String::len);
        let pad = " ".repeat(gutter);
        out.push_str(&pad);
        paint_to(&mut out, BLUE, color, format_args!("-->"));
        let _ = writeln!(out, " {} ({})", r.position(), r.object);
        if let (Some(line), Some(snippet)) = (&line_text, &r.snippet) {
            let col = r.column.unwrap_or(1).max(1);
            // Tabs would shift the caret: show them as single spaces.
            let full = snippet.trim_end_matches(['\n', '\r']).replace('\t', " ");
            let (text, col) = window(&full, col);
            let indent = crate::document::caret_padding(&text, col);
            out.push_str(&pad);
            out.push(' ');
            paint_to(&mut out, BLUE, color, format_args!("|"));
            out.push('\n');
            paint_to(&mut out, BLUE, color, format_args!("{line}"));
            out.push(' ');
            paint_to(&mut out, BLUE, color, format_args!("|"));
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
            out.push_str(&pad);
            out.push(' ');
            paint_to(&mut out, BLUE, color, format_args!("|"));
            out.push(' ');
            out.push_str(&indent);
            paint_to(&mut out, sev, color, format_args!("^"));
            out.push('\n');
        }
        if let Some(h) = &f.help {
            out.push_str(&pad);
            out.push(' ');
            paint_to(&mut out, BLUE, color, format_args!("="));
            out.push(' ');
            paint_to(&mut out, BOLD, color, format_args!("help"));
            out.push_str(": ");
            out.push_str(h);
            out.push('\n');
        }
        out.push('\n');
    }
    let (e, w, i) = counts(results);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{}, {}, {}\n",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info")
    ));
    out
}

/// [`color::paint`] of `text`, written onto `out`.
fn paint_to(out: &mut String, style: Style, on: bool, text: std::fmt::Arguments<'_>) {
    let _ = if on {
        write!(out, "{style}{text}{style:#}")
    } else {
        out.write_fmt(text)
    };
}

/// At most `WIDTH` characters of a long line, around column `col` (1-based);
/// returns the text and the column within it.
fn window(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), col.min(chars.len() + 1));
    }
    let start = col
        .saturating_sub(WIDTH / 2)
        .min(chars.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut col = col - start;
    if start > 0 {
        text.insert_str(0, "...");
        col += 3;
    }
    if end < chars.len() {
        text.push_str("...");
    }
    (text, col)
}

/// `lint --list-rules`.
pub fn rules_text(rules: &[Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!(
            "{}  {:<7}  {}\n    {}\n    help: {}\n\n",
            r.id,
            r.severity.as_str(),
            r.title,
            r.description,
            r.help
        ));
    }
    out.push_str(&format!(
        "Suppress a rule on one object with the annotation {}: \"RULE[,RULE...]\" (or \"*\"),\nor for a whole run with --ignore RULE.\n",
        crate::lint::IGNORE_ANNOTATION
    ));
    out
}
