//! `diff`'s two sides: what injection (or a SidecarSet change) does to each
//! resource, as a unified diff of the rendered YAML. Colouring and printing
//! are the caller's.

use crate::cluster::ClusterState;
use crate::document::{Class, Inputs};
use crate::pod_webhook;

/// Removes the SidecarSets read from `inputs`, so that only the ones added
/// afterwards (`diff --from`: the stored versions) act as the "before"
/// policy.
pub fn hide_sidecar_sets(inputs: &mut Inputs) {
    for r in &mut inputs.resources {
        if r.class == Class::SidecarSet {
            r.class = Class::Other;
        }
    }
}

/// Builds both sides in place: `before` injected by `before_policy` (none:
/// the input as written), then `after` injected by `after_policy`. The two
/// are the same input read twice; the first refusal stops it.
pub fn inject_sides(
    before: &mut Inputs,
    before_policy: Option<&ClusterState>,
    after: &mut Inputs,
    after_policy: &ClusterState,
    settings: &pod_webhook::Settings,
) -> Result<(), pod_webhook::Error> {
    if let Some(policy) = before_policy {
        pod_webhook::inject_all(before, policy, settings)?;
    }
    pod_webhook::inject_all(after, after_policy, settings)?;
    Ok(())
}

/// One echoed object that differs between the two sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// kubectl diff's file name for the object (see [`diff_name`]).
    pub name: String,
    /// The object's YAML before.
    pub before: String,
    /// The object's YAML after.
    pub after: String,
}

impl Change {
    /// The unified diff from `before` to `after` with `context` lines around
    /// each hunk, headed `a/NAME` and `b/NAME` as `kubectl diff` heads them.
    pub fn unified(&self, context: usize) -> String {
        similar::TextDiff::from_lines(&self.before, &self.after)
            .unified_diff()
            .context_radius(context)
            .header(&format!("a/{}", self.name), &format!("b/{}", self.name))
            .to_string()
    }
}

/// The echoed objects that differ between `before` and `after` (the same
/// documents, side by side), in input order. Rendered one at a time, so a
/// caller can write each before the next is built.
pub fn changes<'a>(before: &'a Inputs, after: &'a Inputs) -> impl Iterator<Item = Change> + 'a {
    before
        .docs
        .iter()
        .zip(after.docs.iter())
        .filter_map(|(b, a)| {
            if a.policy_only || b.value == a.value {
                return None;
            }
            let (Some(bv), Some(av)) = (&b.value, &a.value) else {
                return None;
            };
            Some(Change {
                name: diff_name(av),
                before: crate::reader::emit_yaml(bv),
                after: crate::reader::emit_yaml(av),
            })
        })
}

/// kubectl diff's file name for an object: `group.version.Kind.namespace.name`.
pub fn diff_name(v: &serde_json::Value) -> String {
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
