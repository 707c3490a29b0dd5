//! The best-practice lints (`SSL-*`, best-practices-lint.md) in evaluation
//! order: rules on each SidecarSet, then on each workload template and the
//! SidecarSets it gets, then across SidecarSets. Findings keep this order
//! within a resource, so the walk stays here and the checks live with their
//! topic.

use super::super::model::{SidecarSet, Template, World};
use super::super::{Finding, Input};
use super::shared::{ctr_path, matches, pod_names, spec_of, PodName, PracticeOut};
use super::{
    conflicts, containers, injection, jobs, patch_metadata, resources, rollout, upgrade, volumes,
};
use crate::value::{get_arr, str_at};
use serde_json::Value;

pub(crate) fn check(world: &World<'_>, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut cx = PracticeOut::new(out, world);
    for ss in &world.sidecar_sets {
        let Some(sp) = spec_of(ss) else { continue };
        sidecar_set(&mut cx, world, ss, sp);
    }
    // Which SidecarSets each template gets, in input order.
    let mut used = vec![false; world.sidecar_sets.len()];
    for t in &world.templates {
        let mut matched: Vec<&SidecarSet<'_>> = Vec::new();
        for (i, ss) in world.sidecar_sets.iter().enumerate() {
            if matches(world, ss, t) {
                used[i] = true;
                matched.push(ss);
            }
        }
        if !matched.is_empty() {
            each_sidecar_on_pod(&mut cx, t, &matched);
        }
        volumes::unresolved_mounts(&mut cx, t, &matched);
        template(&mut cx, world, input, t, &matched);
    }
    conflicts::names_across_sets(&mut cx, world);
    rollout::partitions(&mut cx, world, input);
    for (ss, used) in world.sidecar_sets.iter().zip(used) {
        if let Some(sp) = spec_of(ss).filter(|_| !used) {
            injection::late_start_unmatched(&mut cx, ss, sp);
        }
    }
}

/// Rules on one SidecarSet (with its `--from` version when given).
fn sidecar_set(cx: &mut PracticeOut<'_>, world: &World<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    let res = ss.resource;
    let strategy = str_at(sp, "/updateStrategy/type");
    rollout::unknown_type(cx, res, strategy);
    rollout::max_unavailable_zero(cx, res, sp, strategy);
    injection::namespace_and_selector(cx, ss);
    injection::cluster_wide(cx, ss, sp);
    injection::partial_with_int_partition(cx, res, sp);
    injection::custom_version(cx, res, sp);
    for (list, plain) in [("containers", true), ("initContainers", false)] {
        for (i, c) in get_arr(sp, list).iter().enumerate() {
            let cp = ctr_path(list, i);
            containers::is_injected_env(cx, res, &cp, c);
            injection::priority_env(cx, res, &cp, c);
            if plain {
                upgrade::sidecar_upgrade(cx, res, &cp, c, strategy);
                jobs::terminator_env(cx, res, &cp, c);
            }
        }
    }
    patch_metadata::patched_annotations(cx, res, sp);
    let old = world.old.get(ss.name());
    upgrade::native_sidecar_images(cx, res, sp, old);
    patch_metadata::unknown_policy(cx, res, sp);
    if let Some(old) = old {
        patch_metadata::metadata_change(cx, ss, sp, old);
    }
    resources::expression_surprises(cx, res, sp);
    if let Some(old) = old {
        upgrade::in_place(cx, ss, old);
    }
}

/// Rules on the pods of `t` for each sidecar of the SidecarSets `matched`
/// (not empty), SidecarSet by SidecarSet.
fn each_sidecar_on_pod(cx: &mut PracticeOut<'_>, t: &Template<'_>, matched: &[&SidecarSet<'_>]) {
    let pod = containers::PodContainers::of(t);
    let pod_vols = volumes::pod_volumes(t);
    let ordered = injection::launch_ordered(t);
    let host_network = containers::host_network(t);
    let mut clashes = conflicts::OnPod::default();
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        let ssn = ss.name();
        clashes.volumes(cx, t, ssn, sp);
        clashes.annotations(cx, t, ssn, sp);
        for (list, c) in get_arr(sp, "containers")
            .iter()
            .map(|c| ("containers", c))
            .chain(
                get_arr(sp, "initContainers")
                    .iter()
                    .map(|c| ("initContainers", c)),
            )
        {
            let hot =
                list == "containers" && str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade";
            for name in pod_names(c, list) {
                let n = PodName {
                    set: ssn,
                    spec: sp,
                    list,
                    hot,
                    name,
                };
                clashes.container(cx, t, &n);
                pod.collision(cx, t, &n);
            }
            containers::host_ports(cx, t, ssn, c, host_network);
        }
        volumes::shadowed(cx, t, ssn, sp, &pod_vols);
        injection::priority_env_on_pod(cx, t, ssn, sp);
        let mut log_volumes = None;
        for c in get_arr(sp, "containers") {
            upgrade::hot_upgrade_on_pod(cx, t, ssn, c);
            jobs::on_pod(cx, t, ssn, c);
            volumes::log_agent(cx, t, ssn, sp, c, &pod_vols, &mut log_volumes);
        }
        resources::no_target(cx, t, matched, ssn, sp);
        if !ordered {
            injection::late_start_on_pod(cx, t, ssn, sp);
        }
    }
}

/// Rules on one workload template and the SidecarSets it gets (`matched`,
/// may be empty).
fn template(
    cx: &mut PracticeOut<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    injection::unmanaged_pod(cx, world, t);
    if matched.is_empty() {
        return;
    }
    conflicts::names_across_lists(cx, t, matched);
    injection::injection_order(cx, input, t, matched);
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        let ssn = ss.name();
        rollout::order_priority(cx, t, ss, sp);
        injection::pinned_revision(cx, world, t, ss, sp);
        patch_metadata::merge_patch_onto(cx, t, ssn, sp);
        for list in ["containers", "initContainers"] {
            for c in get_arr(sp, list) {
                volumes::share_volumes(cx, t, ssn, c);
                volumes::service_account_token(cx, t, ssn, c);
            }
        }
        resources::policy_on_pod(cx, t, matched, ssn, sp);
    }
    resources::qos(cx, world, input, t, matched);
}
