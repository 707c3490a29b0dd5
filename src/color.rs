//! The terminal colours of every human-readable output (lint findings,
//! plan tables, diffs): one palette of [`anstyle`] styles and one way to
//! apply them. Whether to colour at all is the caller's choice (the CLI
//! decides from `--color`, `NO_COLOR` and the terminal).

use anstyle::{AnsiColor, Style};

/// Headers: diff file names.
pub const BOLD: Style = Style::new().bold();
/// Removed lines, errors and failing states.
pub const RED: Style = AnsiColor::Red.on_default();
/// Added lines and healthy states.
pub const GREEN: Style = AnsiColor::Green.on_default();
/// Warnings and pods waiting for an update.
pub const YELLOW: Style = AnsiColor::Yellow.on_default();
/// Unknown health in plan tables.
pub const BLUE: Style = AnsiColor::Blue.on_default();
/// Diff hunk headers and hot-upgrade flips in plan tables.
pub const CYAN: Style = AnsiColor::Cyan.on_default();
/// The severity word of an error.
pub const BOLD_RED: Style = RED.bold();
/// The severity word of a warning.
pub const BOLD_YELLOW: Style = YELLOW.bold();
/// The gutter of a finding's source excerpt (`-->`, `|`, `=`).
pub const BOLD_BLUE: Style = BLUE.bold();
/// The severity word of an info finding.
pub const BOLD_CYAN: Style = CYAN.bold();

/// `text` in `style` followed by a reset when `on`, else `text` as it is.
pub fn paint(style: Style, text: &str, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences() {
        assert_eq!(paint(RED, "x", false), "x");
        assert_eq!(paint(RED, "x", true), "\x1b[31mx\x1b[0m");
        assert_eq!(paint(BOLD, "x", true), "\x1b[1mx\x1b[0m");
        assert_eq!(paint(BOLD_RED, "x", true), "\x1b[1m\x1b[31mx\x1b[0m");
        assert_eq!(paint(Style::new(), "x", true), "x");
    }
}
