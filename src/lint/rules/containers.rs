//! The sidecar containers themselves: what the webhook requires of them
//! (inject and share-volume policies, transferEnv, Kubernetes' container and
//! volume validation) and how their names, env and ports fit the pod.

use super::super::model::{q, Template};
use super::super::pod_validation::{self, qualified_name, Ctr, PodCheck};
use super::super::rule::{Rule, RuleId};
use super::super::Severity::{self, Error, Warning};
use super::shared::{is_set, pod_spec, PodName, PracticeOut, WebhookOut, WEBHOOK};
use crate::path::JsonPath;
use crate::value::At;
use crate::value::{get_arr, get_str, str_at};
use serde_json::Value;
use std::collections::HashSet;

pub(crate) const SSV_050: Rule = Rule {
    id: RuleId::Ssv050,
    severity: Error,
    title: "No containers",
    description: WEBHOOK,
    help: "Define at least one container or initContainer.",
};

/// SSV-050: whether the SidecarSet has any container (else reported).
pub(super) fn validate_some(o: &mut WebhookOut<'_>, sp: &Value, p: &JsonPath) -> bool {
    if get_arr(sp, "initContainers").is_empty() && get_arr(sp, "containers").is_empty() {
        o.push(
            &SSV_050,
            p.clone().key("containers"),
            "spec: Required value: no initContainer or container defined for SidecarSet".into(),
        );
        return false;
    }
    true
}

pub(crate) const SSV_051: Rule = Rule {
    id: RuleId::Ssv051,
    severity: Error,
    title: "Unsupported podInjectPolicy",
    description: WEBHOOK,
    help: "Use BeforeAppContainer or AfterAppContainer.",
};

pub(crate) const SSV_052: Rule = Rule {
    id: RuleId::Ssv052,
    severity: Error,
    title: "Unsupported shareVolumePolicy",
    description: WEBHOOK,
    help: "Use shareVolumePolicy.type enabled or disabled.",
};

/// SSV-051..053 on plain sidecar `c` at `cp`.
pub(super) fn validate_container(o: &mut WebhookOut<'_>, c: &Value, cp: &JsonPath) {
    let pol = get_str(c, "podInjectPolicy");
    if !matches!(pol, "BeforeAppContainer" | "AfterAppContainer") {
        o.push(
            &SSV_051,
            cp.clone().key("podInjectPolicy"),
            format!(
                "spec.container.podInjectPolicy: Invalid value: {}: unsupported pod inject policy",
                q(pol)
            ),
        );
    }
    let svp = str_at(c, "/shareVolumePolicy/type");
    if !matches!(svp, "enabled" | "disabled") {
        o.push(&SSV_052, cp.clone().key("shareVolumePolicy"), format!("spec.container.shareVolumePolicy: Invalid value: {}: unsupported share volume policy", q(svp)));
    }
    transfer_env(o, c, cp);
}

pub(crate) const SSV_053: Rule = Rule {
    id: RuleId::Ssv053,
    severity: Error,
    title: "Invalid transferEnv fieldRef",
    description: "sourceContainerNameFrom.fieldRef must be metadata.labels['k'] or metadata.annotations['k'] with apiVersion v1.",
    help: "Use e.g. fieldPath: metadata.labels['main-container'].",
};

fn transfer_env(o: &mut WebhookOut<'_>, c: &Value, cp: &JsonPath) {
    for (i, t) in get_arr(c, "transferEnv").iter().enumerate() {
        let Some(fr) = is_set(t.at("/sourceContainerNameFrom/fieldRef")) else {
            continue;
        };
        let fp = cp
            .clone()
            .key("transferEnv")
            .index(i)
            .key("sourceContainerNameFrom")
            .key("fieldRef");
        let (api, path) = (get_str(fr, "apiVersion"), get_str(fr, "fieldPath"));
        if api.is_empty() {
            o.push(
                &SSV_053,
                fp.clone().key("apiVersion"),
                format!("{fp}.apiVersion: Required value"),
            );
            continue;
        }
        if path.is_empty() {
            o.push(
                &SSV_053,
                fp.clone().key("fieldPath"),
                format!("{fp}.fieldPath: Required value"),
            );
            continue;
        }
        let split = path
            .strip_suffix("']")
            .and_then(|x| x.split_once("['"))
            .filter(|(b, _)| !b.is_empty());
        let err = if api != "v1" {
            Some(format!("unsupported pod version: {api}"))
        } else {
            match split {
                Some(("metadata.annotations" | "metadata.labels", _)) => None,
                Some((b, _)) => Some(format!("field path not supported: {b}")),
                None => Some(format!("field label not supported: {path}")),
            }
        };
        if let Some(err) = err {
            o.push(
                &SSV_053,
                fp.clone().key("fieldPath"),
                format!(
                    "{fp}.fieldPath: Invalid value: {}: error converting fieldPath: {err}",
                    q(path)
                ),
            );
            continue;
        }
        if let Some((b, key)) = split {
            let k = if b == "metadata.annotations" {
                key.to_ascii_lowercase()
            } else {
                key.to_string()
            };
            for m in qualified_name(&k) {
                o.push(
                    &SSV_053,
                    fp.clone().key("fieldPath"),
                    format!("{fp}: Invalid value: {}: {m}", q(key)),
                );
            }
        }
    }
}

pub(crate) const SSV_05B: Rule = Rule {
    id: RuleId::Ssv05B,
    severity: Error,
    title: "Invalid container or volume",
    description: "The webhook validates the sidecars and volumes as a pod with Kubernetes' own rules (names, images, mounts, ports, env, resources, probes).",
    help: "Fix the field named in the message.",
};

pub(crate) const SSV_05C: Rule = Rule {
    id: RuleId::Ssv05C,
    severity: Error,
    title: "Volume both mounted and used as a block device",
    description: "Kubernetes refuses a container that names one volume in volumeMounts and in volumeDevices (a filesystem mount and a raw block device exclude each other); the webhook validates the sidecars as a pod.",
    help: "In each container, use the volume either in volumeMounts or in volumeDevices.",
};

/// SSV-05B/05C: `ValidatePodCreate` on the webhook's fake pod of the
/// sidecars and the SidecarSet's volumes.
pub(super) fn validate_pod(
    o: &mut WebhookOut<'_>,
    init: &[Ctr<'_>],
    containers: &[Ctr<'_>],
    sp: &Value,
    p: &JsonPath,
) {
    for e in pod_validation::validate_pod(
        init,
        containers,
        get_arr(sp, "volumes"),
        &p.clone().key("volumes"),
    ) {
        let rule = match e.check {
            PodCheck::Field => &SSV_05B,
            PodCheck::MountAndDevice => &SSV_05C,
        };
        o.push(rule, e.path, e.message);
    }
}

pub(crate) const SSL_013: Rule = Rule {
    id: RuleId::Ssl013,
    severity: Warning,
    title: "IS_INJECTED declared",
    description: "The webhook appends IS_INJECTED=true itself; user definitions duplicate or exclude containers from volume sharing.",
    help: "Remove the IS_INJECTED env.",
};

/// SSL-013 on sidecar `c` at `cp` of a SidecarSet.
pub(super) fn is_injected_env(cx: &mut PracticeOut<'_>, res: usize, cp: &JsonPath, c: &Value) {
    if let Some(j) = get_arr(c, "env")
        .iter()
        .position(|e| get_str(e, "name") == "IS_INJECTED")
    {
        cx.push(
            &SSL_013,
            res,
            cp.clone().key("env").index(j),
            format!(
                "sidecar {} declares IS_INJECTED; the webhook appends IS_INJECTED=true itself",
                get_str(c, "name")
            ),
        );
    }
}

pub(crate) const SSL_011: Rule = Rule {
    id: RuleId::Ssl011,
    severity: Warning,
    title: "Sidecar name collides with a pod container",
    description: "A sidecar replaces a same-named pod container; across containers/initContainers the pod is rejected.",
    help: "Rename the sidecar (mind HotUpgrade's -1/-2 twins).",
};

/// The names of a pod template's own containers, for SSL-011.
pub(super) struct PodContainers<'t> {
    containers: HashSet<&'t str>,
    init: HashSet<&'t str>,
}

impl<'t> PodContainers<'t> {
    pub(super) fn of(t: &'t Template<'_>) -> Self {
        let names = |list| t.list(list).iter().map(|c| get_str(c, "name")).collect();
        PodContainers {
            containers: names("containers"),
            init: names("initContainers"),
        }
    }

    /// SSL-011 for a name a sidecar takes in the pods of `t`.
    pub(super) fn collision(&self, cx: &mut PracticeOut<'_>, t: &Template<'_>, n: &PodName<'_>) {
        let (same_list, other_list) = if n.list == "containers" {
            (&self.containers, &self.init)
        } else {
            (&self.init, &self.containers)
        };
        let (name, ssn) = (n.name.as_str(), n.set);
        if other_list.contains(name) {
            cx.push_sev(&SSL_011, Severity::Error, t.resource, pod_spec(t), format!("sidecar {name} of SidecarSet {ssn} has the name of a pod {} container: duplicate names, the pod is rejected", if n.list == "containers" { "init" } else { "regular" }));
        } else if same_list.contains(name) && !n.hot {
            cx.push(
                &SSL_011,
                t.resource,
                pod_spec(t),
                format!(
                    "sidecar {name} of SidecarSet {ssn} replaces the pod's own container {name}"
                ),
            );
        }
    }
}

pub(crate) const SSL_082: Rule = Rule {
    id: RuleId::Ssl082,
    severity: Warning,
    title: "Sidecar ports on hostNetwork pods",
    description:
        "hostPort defaults to containerPort on hostNetwork pods; sidecar ports become node ports.",
    help: "Avoid ports on sidecars injected into hostNetwork pods.",
};

/// Whether the pods of `t` use the node's network.
pub(super) fn host_network(t: &Template<'_>) -> bool {
    t.spec().get("hostNetwork").and_then(Value::as_bool) == Some(true)
}

/// SSL-082 for sidecar `c` of SidecarSet `ssn` on pods that use (`host_network`)
/// or not the node's network.
pub(super) fn host_ports(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    ssn: &str,
    c: &Value,
    host_network: bool,
) {
    if host_network && !get_arr(c, "ports").is_empty() {
        cx.push(&SSL_082, t.resource, pod_spec(t).key("hostNetwork"), format!("sidecar {} of SidecarSet {ssn} declares ports and these pods use hostNetwork: the ports become node ports", get_str(c, "name")));
    }
}
