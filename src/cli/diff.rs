//! `diff`: what injection (or a SidecarSet change) does to each resource, as
//! a unified diff of the rendered YAML.

use super::args::DiffArgs;
use super::error::CliError;
use super::input;
use crate::cluster::ClusterState;
use crate::document::{Class, Inputs};
use crate::pod_webhook;
use std::io::Write;

pub fn run(args: &DiffArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let settings = super::settings(&args.engine)?;
    // "after": injection by the SidecarSets of -f and --sidecarset.
    let mut after = input::load(&args.input)?;
    let after_policy = ClusterState::collect(&after).map_err(CliError::Inputs)?;
    // "before": the input as written, or injection by the --from SidecarSets.
    let mut before = input::load(&args.input)?;
    let engine_error = super::inject::engine_error;
    if args.from.is_empty() {
        super::inject::admit(&after, None, &args.admission, &args.engine, HINT)?;
    } else {
        drop_sidecar_sets(&mut before);
        input::load_policy(&mut before, &args.from, true)?;
        let before_policy = ClusterState::collect(&before).map_err(CliError::Inputs)?;
        // The --from SidecarSets are the stored versions the new ones update.
        super::inject::admit(&after, Some(&before), &args.admission, &args.engine, HINT)?;
        pod_webhook::inject_all(&mut before, &before_policy, &settings).map_err(engine_error)?;
    }
    pod_webhook::inject_all(&mut after, &after_policy, &settings).map_err(engine_error)?;

    let color = args.color.enabled(super::stdout_is_terminal());
    let mut text = String::new();
    let mut changed = false;
    for (b, a) in before.docs.iter().zip(after.docs.iter()) {
        if a.policy_only || b.value == a.value {
            continue;
        }
        let (Some(bv), Some(av)) = (&b.value, &a.value) else {
            continue;
        };
        changed = true;
        let name = diff_name(av);
        let old = crate::reader::emit_yaml(bv);
        let new = crate::reader::emit_yaml(av);
        let udiff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(args.context)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        text.push_str(&if color { colorize(&udiff) } else { udiff });
    }
    out.write_all(text.as_bytes())?;
    Ok(if args.exit_code && changed { 1 } else { 0 })
}

const HINT: &str = super::inject::INJECT_HINT;

/// Removes the SidecarSets read from -f and --sidecarset, so that only the
/// `--from` ones act as the "before" policy.
fn drop_sidecar_sets(inputs: &mut Inputs) {
    for r in &mut inputs.resources {
        if r.class == Class::SidecarSet {
            r.class = Class::Other;
        }
    }
}

/// kubectl diff's file name for an object: `group.version.Kind.namespace.name`.
fn diff_name(v: &serde_json::Value) -> String {
    let s = |p: &str| {
        v.pointer(p)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    };
    let api = s("/apiVersion").replace('/', ".");
    let ns = s("/metadata/namespace");
    if ns.is_empty() {
        format!("{api}.{}.{}", s("/kind"), s("/metadata/name"))
    } else {
        format!("{api}.{}.{ns}.{}", s("/kind"), s("/metadata/name"))
    }
}

fn colorize(udiff: &str) -> String {
    let mut s = String::with_capacity(udiff.len() + 64);
    for line in udiff.split_inclusive('\n') {
        let (pre, post) = if line.starts_with("+++") || line.starts_with("---") {
            ("\x1b[1m", "\x1b[0m")
        } else if line.starts_with('+') {
            ("\x1b[32m", "\x1b[0m")
        } else if line.starts_with('-') {
            ("\x1b[31m", "\x1b[0m")
        } else if line.starts_with("@@") {
            ("\x1b[36m", "\x1b[0m")
        } else {
            ("", "")
        };
        let body = line.trim_end_matches('\n');
        s.push_str(pre);
        s.push_str(body);
        s.push_str(post);
        if line.ends_with('\n') {
            s.push('\n');
        }
    }
    s
}
