//! Progress of long runs (plans of thousands of pods, lint of big trees) on
//! standard error, drawn only when standard error is a terminal: in pipes,
//! files and CI logs nothing is written, so captured output never changes.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::borrow::Cow;
use std::time::Duration;

/// A spinner naming the current stage, erased when the output is written or
/// when it is dropped (an error is then printed on a clean line).
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// `command` prefixes every stage (`plan: reading input`).
    pub fn new(command: &'static str) -> Progress {
        if !super::stderr_is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix}: {wide_msg} {elapsed}")
        {
            bar.set_style(style.tick_chars("|/-\\ "));
        }
        bar.set_prefix(command);
        // The stages are single long calls (parsing, the simulation): only a
        // ticker thread keeps the spinner and the elapsed time moving.
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    pub fn stage(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    /// Erases the spinner before output is written.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
