//! `diff`: what injection (or a SidecarSet change) does to each resource, as
//! a unified diff of the rendered YAML. The two sides are built by
//! `output::diff`; this module reads the arguments and colours the result.

use super::args::DiffArgs;
use super::error::CliError;
use super::input;
use crate::cluster::ClusterState;
use crate::output::diff;
use std::io::Write;

pub fn run(args: &DiffArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let settings = super::settings(&args.engine)?;
    // "after": injection by the SidecarSets of -f and --sidecarset.
    let mut after = input::load(&args.input)?;
    let after_policy = ClusterState::collect(&after).map_err(CliError::Inputs)?;
    // "before": the input as written, or injection by the --from SidecarSets.
    // A copy of what was read: standard input can be read only once, and
    // parsing everything twice would cost as much again.
    let mut before = after.clone();
    let before_policy = if args.from.is_empty() {
        super::inject::admit(&after, None, &args.admission, &args.engine, HINT)?;
        None
    } else {
        diff::hide_sidecar_sets(&mut before);
        input::load_policy(&mut before, &args.from, true)?;
        let before_policy = ClusterState::collect(&before).map_err(CliError::Inputs)?;
        // The --from SidecarSets are the stored versions the new ones update.
        super::inject::admit(&after, Some(&before), &args.admission, &args.engine, HINT)?;
        Some(before_policy)
    };
    diff::inject_sides(
        &mut before,
        before_policy.as_ref(),
        &mut after,
        &after_policy,
        &settings,
    )
    .map_err(super::inject::engine_error)?;

    let color = super::color::enabled(args.color, super::stdout_is_terminal());
    let mut text = String::new();
    let mut changed = false;
    for change in diff::changes(&before, &after) {
        changed = true;
        let udiff = change.unified(args.context);
        text.push_str(&if color { colorize(&udiff) } else { udiff });
    }
    out.write_all(text.as_bytes())?;
    Ok(if args.exit_code && changed { 1 } else { 0 })
}

const HINT: &str = super::inject::INJECT_HINT;

fn colorize(udiff: &str) -> String {
    use crate::color;
    let mut s = String::with_capacity(udiff.len() + 64);
    for line in udiff.split_inclusive('\n') {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            color::BOLD
        } else if line.starts_with('+') {
            color::GREEN
        } else if line.starts_with('-') {
            color::RED
        } else if line.starts_with("@@") {
            color::CYAN
        } else {
            anstyle::Style::new()
        };
        s.push_str(&color::paint(style, line.trim_end_matches('\n'), true));
        if line.ends_with('\n') {
            s.push('\n');
        }
    }
    s
}
