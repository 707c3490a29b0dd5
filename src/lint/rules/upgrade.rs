//! What a change of the SidecarSet does to running pods: which changes the
//! webhook refuses on UPDATE, which sidecars can be upgraded in place
//! (plain, hot-upgrade twins, native sidecars), and at what cost.

use super::super::model::{q, SidecarSet, Template};
use super::super::rule::{Rule, RuleId};
use super::super::Severity::{Error, Info, Warning};
use super::shared::{ctr_path, pod_spec, spec_path, PracticeOut, WebhookOut};
use crate::path::JsonPath;
use crate::value::At;
use crate::value::{get_arr, get_str, str_at};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

pub(crate) const SSV_010: Rule = Rule {
    id: RuleId::Ssv010,
    severity: Error,
    title: "Native sidecar with RollingUpdate",
    description: "Init containers with restartPolicy: Always cannot be upgraded in place; an unset updateStrategy.type defaults to RollingUpdate.",
    help: "Set spec.updateStrategy.type: NotUpdate.",
};

/// SSV-010: native sidecars need `updateStrategy.type: NotUpdate`.
pub(super) fn validate_native_sidecars(o: &mut WebhookOut<'_>, sp: &Value, p: &JsonPath) {
    let strategy_type = str_at(sp, "/updateStrategy/type");
    for (i, c) in get_arr(sp, "initContainers").iter().enumerate() {
        if get_str(c, "restartPolicy") == "Always" && strategy_type == "RollingUpdate" {
            o.push(
                &SSV_010,
                p.clone().key("initContainers").index(i).key("restartPolicy"),
                "spec.updateStrategy: Required value: The initContainer in-place upgrade is not currently supported.".into(),
            );
        }
    }
}

pub(crate) const SSV_070: Rule = Rule {
    id: RuleId::Ssv070,
    severity: Error,
    title: "Sidecar container added or renamed on update",
    description: "The webhook forbids new container names on UPDATE (removing is allowed).",
    help: "Create a new SidecarSet for new sidecars.",
};

pub(crate) const SSV_071: Rule = Rule {
    id: RuleId::Ssv071,
    severity: Error,
    title: "upgradeType changed",
    description: "A container's upgradeStrategy.upgradeType is immutable.",
    help: "Keep the upgradeType or create a new SidecarSet.",
};

/// SSV-070/071: `validateSidecarContainerConflict` (UPDATE).
pub(super) fn validate_update(o: &mut WebhookOut<'_>, new: &Value, old: &Value) {
    let old_types: HashMap<&str, &str> = get_arr(&old["spec"], "containers")
        .iter()
        .map(|c| {
            (
                get_str(c, "name"),
                str_at(c, "/upgradeStrategy/upgradeType"),
            )
        })
        .collect();
    for (i, c) in get_arr(&new["spec"], "containers").iter().enumerate() {
        let name = get_str(c, "name");
        let cp = spec_path().key("containers").index(i);
        match old_types.get(name) {
            None => o.push(
                &SSV_070,
                cp.key("name"),
                format!(
                    "spec.containers.name: Invalid value: {}: container {name} is not found",
                    q(name)
                ),
            ),
            Some(t) => {
                let now = str_at(c, "/upgradeStrategy/upgradeType");
                if !t.is_empty() && now != *t {
                    o.push(&SSV_071, cp.key("upgradeStrategy").key("upgradeType"), format!("spec.containers.upgradeStrategy.upgradeType: Invalid value: {}: container {name} upgradeType is immutable", q(name)));
                }
            }
        }
    }
}

pub(crate) const SSL_023: Rule = Rule {
    id: RuleId::Ssl023,
    severity: Warning,
    title: "readinessProbe on an in-place upgraded sidecar",
    description: "The in-place restart makes the pod NotReady until the new sidecar passes its probe.",
    help: "Keep maxUnavailable small and canary with updateStrategy.selector or partition, or use HotUpgrade.",
};

pub(crate) const SSL_024: Rule = Rule {
    id: RuleId::Ssl024,
    severity: Error,
    title: "HotUpgrade without hotUpgradeEmptyImage",
    description: "The idle twin gets an empty image and every pod is rejected.",
    help: "Set upgradeStrategy.hotUpgradeEmptyImage.",
};

pub(crate) const SSL_025: Rule = Rule {
    id: RuleId::Ssl025,
    severity: Info,
    title: "HotUpgrade twin copies probes and ports",
    description: "The empty-image twin keeps the sidecar's probes, ports and command.",
    help: "Make sure the empty image satisfies them; add a postStart hook for migration.",
};

/// SSL-023..025 on plain sidecar `c` at `cp` of a SidecarSet whose
/// `updateStrategy.type` is `strategy`.
pub(super) fn sidecar_upgrade(
    cx: &mut PracticeOut<'_>,
    res: usize,
    cp: &JsonPath,
    c: &Value,
    strategy: &str,
) {
    let name = get_str(c, "name");
    let hot = str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade";
    // SSL-023: in-place (cold) upgrade with a readiness probe.
    if !hot && strategy != "NotUpdate" && c.get("readinessProbe").is_some_and(|v| !v.is_null()) {
        cx.push(&SSL_023, res, cp.clone().key("readinessProbe"), format!("sidecar {name} has a readinessProbe and is upgraded in place: every pod goes NotReady while its new image starts, and a bad image stalls the rollout"));
    }
    if hot {
        if str_at(c, "/upgradeStrategy/hotUpgradeEmptyImage").is_empty() {
            cx.push(&SSL_024, res, cp.clone().key("upgradeStrategy"), format!("sidecar {name} uses HotUpgrade without upgradeStrategy.hotUpgradeEmptyImage: its idle twin gets an empty image and pods are rejected"));
        }
        let copied: Vec<&str> = ["ports", "livenessProbe", "readinessProbe", "startupProbe"]
            .into_iter()
            .filter(|k| c.get(*k).is_some_and(|v| !v.is_null()))
            .collect();
        if !copied.is_empty() {
            cx.push(&SSL_025, res, cp.clone(), format!("sidecar {name} uses HotUpgrade: its empty-image twin keeps {} and must satisfy them", copied.join(", ")));
        }
    }
}

/// SSL-024 on the pods sidecar `c` of SidecarSet `ssn` is injected into:
/// the empty-image twin makes the API server reject them.
pub(super) fn hot_upgrade_on_pod(cx: &mut PracticeOut<'_>, t: &Template<'_>, ssn: &str, c: &Value) {
    let name = get_str(c, "name");
    if str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade"
        && str_at(c, "/upgradeStrategy/hotUpgradeEmptyImage").is_empty()
    {
        cx.push(&SSL_024, t.resource, pod_spec(t), format!("sidecar {name} of SidecarSet {ssn} uses HotUpgrade without hotUpgradeEmptyImage: its twin {name}-2 has no image and these pods are rejected"));
    }
}

pub(crate) const SSL_030: Rule = Rule {
    id: RuleId::Ssl030,
    severity: Info,
    title: "Native sidecar images reach only new pods",
    description: "Native sidecars (initContainers with restartPolicy: Always) require updateStrategy NotUpdate and are never updated in place.",
    help: "Recreate the pods (e.g. a rollout restart of the workload) to roll a new image.",
};

/// SSL-030: native sidecars are never updated in place; `old` is the
/// SidecarSet's `--from` version, if any.
pub(super) fn native_sidecar_images(
    cx: &mut PracticeOut<'_>,
    res: usize,
    sp: &Value,
    old: Option<&Value>,
) {
    for (i, c) in get_arr(sp, "initContainers").iter().enumerate() {
        if get_str(c, "restartPolicy") != "Always" {
            continue;
        }
        let name = get_str(c, "name");
        let image = get_str(c, "image");
        let old_image = old
            .and_then(|o| o.get("spec"))
            .map(|o| get_arr(o, "initContainers"))
            .and_then(|l| l.iter().find(|oc| get_str(oc, "name") == name))
            .map(|oc| get_str(oc, "image"))
            .filter(|o| *o != image);
        let msg = match old_image {
            Some(o) => format!("native sidecar {name} changes image {} -> {}: running pods keep {} (native sidecars are never updated in place); only pods created from now on get the new image", q(o), q(image), q(o)),
            None => format!("native sidecar {name} is never updated in place: a new image reaches only pods created after the change"),
        };
        cx.push(
            &SSL_030,
            res,
            ctr_path("initContainers", i).key("image"),
            msg,
        );
    }
}

pub(crate) const SSL_020: Rule = Rule {
    id: RuleId::Ssl020,
    severity: Warning,
    title: "Change cannot be applied in place",
    description: "Only image changes of spec.containers roll out in place; any other change leaves existing pods not upgradable until they are recreated.",
    help: "Change only images, or plan to recreate pods.",
};

/// SSL-020: what existing pods cannot take in place (`--from`).
pub(super) fn in_place(cx: &mut PracticeOut<'_>, ss: &SidecarSet<'_>, old: &Value) {
    let Ok(new) = ss.form_value() else { return };
    let (Ok(h_old), Ok(h_new)) = (
        crate::sidecarset::hash_without_image(old),
        crate::sidecarset::hash_without_image(new),
    ) else {
        return;
    };
    if h_old == h_new {
        return;
    }
    let strip = |c: &Value| {
        let mut c = c.clone();
        if let Some(o) = c.as_object_mut() {
            o.remove("image");
        }
        c
    };
    let old_by_name: HashMap<&str, &Value> = get_arr(&old["spec"], "containers")
        .iter()
        .map(|c| (get_str(c, "name"), c))
        .collect();
    let mut changed = Vec::new();
    let mut first_path = JsonPath::keys(&["spec", "containers"]);
    for (i, c) in get_arr(&new["spec"], "containers").iter().enumerate() {
        let name = get_str(c, "name");
        match old_by_name.get(name) {
            Some(o) if strip(o) == strip(c) => {}
            Some(o) => {
                let oo = strip(o);
                let nn = strip(c);
                let mut fields: Vec<&str> = nn
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, v)| oo.get(k.as_str()) != Some(*v))
                    .map(|(k, _)| k.as_str())
                    .chain(
                        oo.as_object()
                            .into_iter()
                            .flatten()
                            .filter(|(k, _)| nn.get(k.as_str()).is_none())
                            .map(|(k, _)| k.as_str()),
                    )
                    .collect();
                fields.dedup();
                if changed.is_empty() {
                    first_path = ctr_path("containers", i);
                }
                // An unset imagePullPolicy is defaulted from the image tag
                // (`:latest` or none -> Always, else IfNotPresent), so a tag
                // change alone can change it.
                let written = ss
                    .raw
                    .at(&format!("/spec/containers/{i}/imagePullPolicy"))
                    .is_some();
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        if *f == "imagePullPolicy" && !written {
                            "imagePullPolicy, defaulted from the image tag".to_string()
                        } else {
                            (*f).to_string()
                        }
                    })
                    .collect();
                changed.push(format!("{name} ({})", fields.join(", ")));
            }
            None => changed.push(format!("{name} (added)")),
        }
    }
    let new_names: HashSet<&str> = get_arr(&new["spec"], "containers")
        .iter()
        .map(|c| get_str(c, "name"))
        .collect();
    for name in old_by_name.keys() {
        if !new_names.contains(name) {
            changed.push(format!("{name} (removed)"));
        }
    }
    changed.sort();
    let what = if changed.is_empty() {
        "the init containers changed".to_string()
    } else {
        format!("changed beyond the image: {}", changed.join("; "))
    };
    cx.push(&SSL_020, ss.resource, first_path, format!("existing pods cannot take this change of SidecarSet {} in place ({what}); they stay on the old sidecar until recreated", ss.name()));
}
