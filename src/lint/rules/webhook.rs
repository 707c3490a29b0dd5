//! The SidecarSet validating webhook (`pkg/webhook/sidecarset/validating/
//! sidecarset_create_update_handler.go:validateSidecarSet`) as `SSV-*`
//! rules, run on the object the webhook sees (defaulted, v1beta1). This is
//! the webhook's order of checks; each check lives with its topic.

use super::super::model::World;
use super::super::pod_validation::Ctr;
use super::super::rule::{Rule, RuleId};
use super::super::Severity::Error;
use super::super::{Finding, Input};
use super::shared::{spec_path, WebhookOut};
use super::{
    conflicts, containers, injection, metadata, patch_metadata, resources, rollout, upgrade,
};
use crate::path::JsonPath;
use crate::value::get_arr;
use serde_json::Value;

pub(crate) const SSV_000: Rule = Rule {
    id: RuleId::Ssv000,
    severity: Error,
    title: "SidecarSet cannot be decoded",
    description: "A field has the wrong JSON type; the API server rejects the object before any webhook runs.",
    help: "Fix the field's type (see the message for the expected one).",
};

/// Every SidecarSet of `world`, in input order: SSV-000 when it cannot be
/// decoded, else the webhook's checks; the cross-SidecarSet conflicts only
/// when nothing else is an error.
pub(crate) fn check(world: &World<'_>, input: &Input<'_>, out: &mut Vec<Finding>) {
    let others = conflicts::Others::of(world);
    for ss in &world.sidecar_sets {
        let mut o = WebhookOut {
            v: out,
            resource: ss.resource,
            errors: 0,
        };
        let stored = match ss.form_value() {
            Ok(v) => v,
            Err(e) => {
                o.push(&SSV_000, e.path.clone(), e.to_string());
                continue;
            }
        };
        metadata::validate(&mut o, ss.raw, stored);
        spec(&mut o, world, input, stored);
        if let Some(old) = world.old.get(ss.name()) {
            upgrade::validate_update(&mut o, stored, old);
        }
        if o.errors == 0 {
            conflicts::validate(&mut o, stored, &others);
        }
    }
}

fn spec(o: &mut WebhookOut<'_>, world: &World<'_>, input: &Input<'_>, stored: &Value) {
    let sp = stored.get("spec").unwrap_or(&Value::Null);
    let p = spec_path();
    upgrade::validate_native_sidecars(o, sp, &p);
    injection::validate_selectors(o, sp, &p);
    injection::validate_revision(o, world, stored, sp);
    rollout::validate_update_strategy(o, sp);
    sidecars(o, sp, &p);
    patch_metadata::validate(o, world, input, stored, sp);
}

/// `validateContainersForSidecarSet`: each sidecar, then the fake pod.
fn sidecars(o: &mut WebhookOut<'_>, sp: &Value, p: &JsonPath) {
    if !containers::validate_some(o, sp, p) {
        return;
    }
    let init = get_arr(sp, "initContainers");
    let ctrs = get_arr(sp, "containers");
    let mut init_ctrs = Vec::with_capacity(init.len());
    for (i, c) in init.iter().enumerate() {
        let cp = p.clone().key("initContainers").index(i);
        resources::validate(o, c, &cp, true);
        init_ctrs.push(Ctr {
            c,
            path: cp,
            init: true,
        });
    }
    let mut main_ctrs = Vec::with_capacity(ctrs.len());
    for (i, c) in ctrs.iter().enumerate() {
        let cp = p.clone().key("containers").index(i);
        containers::validate_container(o, c, &cp);
        resources::validate(o, c, &cp, false);
        main_ctrs.push(Ctr {
            c,
            path: cp,
            init: false,
        });
    }
    containers::validate_pod(o, &init_ctrs, &main_ctrs, sp, p);
}
