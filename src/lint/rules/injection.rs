//! Which pods a SidecarSet injects and how: selectors and namespaces, the
//! pinned revision of `injectionStrategy`, and the order sidecars are
//! injected and started in.

use super::super::model::{env, q, SidecarSet, Template, World};
use super::super::pod_validation::label_value;
use super::super::rule::{Rule, RuleId};
use super::super::Input;
use super::super::Severity::{self, Error, Info, Warning};
use super::shared::{
    ctr_path, image_or_name_has, is_log_agent, is_set, pod_spec, selected, selector, PracticeOut,
    WebhookOut, WEBHOOK,
};
use crate::path::JsonPath;
use crate::value::At;
use crate::value::{get_arr, get_str, str_at};
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

const PRIORITY_ENV: &str = "KRUISE_CONTAINER_PRIORITY";
use crate::annotations::{
    CONTAINER_LAUNCH_PRIORITY_ANNOTATION as LAUNCH_PRIORITY,
    INJECTED_LIST_ANNOTATION as INJECTED_LIST,
};
const PROXIES: &[&str] = &["envoy", "istio-proxy", "mosn", "linkerd-proxy"];

// ---------------------------------------------------------------- selectors

pub(crate) const SSV_020: Rule = Rule {
    id: RuleId::Ssv020,
    severity: Error,
    title: "Missing selector",
    description: WEBHOOK,
    help: "Add spec.selector with matchLabels or matchExpressions.",
};

pub(crate) const SSV_021: Rule = Rule {
    id: RuleId::Ssv021,
    severity: Error,
    title: "Invalid label selector",
    description: "matchLabels/matchExpressions must be a valid Kubernetes label selector.",
    help: "In/NotIn need values, Exists/DoesNotExist must have none; keys must be qualified names.",
};

pub(crate) const SSV_022: Rule = Rule {
    id: RuleId::Ssv022,
    severity: Error,
    title: "Empty selector",
    description: "An empty selector would match every pod; the webhook refuses it.",
    help: "Select pods with at least one label requirement.",
};

pub(crate) const SSV_023: Rule = Rule {
    id: RuleId::Ssv023,
    severity: Error,
    title: "Invalid namespaceSelector",
    description: "namespaceSelector, when set, must be a valid, non-empty selector.",
    help: "Remove namespaceSelector or give it at least one requirement.",
};

/// SSV-020..023: `spec.selector` is required, valid and not empty (an empty
/// one is SSV-022); `namespaceSelector`, when set, is valid and not empty.
pub(super) fn validate_selectors(o: &mut WebhookOut<'_>, sp: &Value, p: &JsonPath) {
    match is_set(sp.get("selector")) {
        None => o.push(
            &SSV_020,
            p.clone(),
            "spec.selector: Required value: no selector defined for SidecarSet".into(),
        ),
        Some(sel) => selector(o, &SSV_021, sel, &p.clone().key("selector")),
    }
    // An empty selector is its own rule.
    retag_empty(o, &SSV_021, &SSV_022);
    if let Some(ns) = is_set(sp.get("namespaceSelector")) {
        selector(o, &SSV_023, ns, &p.clone().key("namespaceSelector"));
    }
}

/// Findings of `from` about an empty selector become `to`.
fn retag_empty(o: &mut WebhookOut<'_>, from: &Rule, to: &Rule) {
    let resource = o.resource;
    for f in o.v.iter_mut().rev().take_while(|f| f.resource == resource) {
        if f.rule == from.id.as_str()
            && f.message
                .ends_with("empty selector is not valid for sidecarset.")
        {
            f.rule = to.id.as_str().to_string();
            f.help = Some(to.help.to_string());
        }
    }
}

// --------------------------------------------------------------- namespaces

pub(crate) const SSL_022: Rule = Rule {
    id: RuleId::Ssl022,
    severity: Warning,
    title: "v1alpha1 namespace with namespaceSelector",
    description: "Conversion keeps only spec.namespace; namespaceSelector is dropped.",
    help: "Use one of them.",
};

/// SSL-022: v1alpha1 namespace together with namespaceSelector.
pub(super) fn namespace_and_selector(cx: &mut PracticeOut<'_>, ss: &SidecarSet<'_>) {
    if str_at(ss.raw, "/apiVersion") == crate::sidecarset::V1ALPHA1
        && !str_at(ss.raw, "/spec/namespace").is_empty()
        && ss
            .raw
            .at("/spec/namespaceSelector")
            .is_some_and(|v| !v.is_null())
    {
        cx.push(&SSL_022, ss.resource, JsonPath::keys(&["spec", "namespaceSelector"]), "spec.namespace and spec.namespaceSelector are both set: the conversion to v1beta1 keeps only spec.namespace and drops the selector".into());
    }
}

pub(crate) const SSL_081: Rule = Rule {
    id: RuleId::Ssl081,
    severity: Warning,
    title: "Cluster-wide SidecarSet",
    description: "Without namespaceSelector (or v1alpha1 namespace) the SidecarSet applies to all namespaces, kube-system included.",
    help: "Add a namespaceSelector.",
};

/// SSL-081
pub(super) fn cluster_wide(cx: &mut PracticeOut<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    if sp.get("namespaceSelector").is_none_or(Value::is_null) {
        cx.push(&SSL_081, ss.resource, JsonPath::keys(&["spec", "selector"]), format!("SidecarSet {} has no namespaceSelector: it injects into matching pods of every namespace, kube-system included", ss.name()));
    }
}

pub(crate) const SSL_034: Rule = Rule {
    id: RuleId::Ssl034,
    severity: Info,
    title: "Pod not managed by the SidecarSet",
    description: "Pods whose kruise.io/sidecarset-injected-list does not name the SidecarSet are never updated by it.",
    help: "Recreate the pod to have the sidecar injected and managed.",
};

/// SSL-034: an existing pod the SidecarSet selects but did not inject.
pub(super) fn unmanaged_pod(cx: &mut PracticeOut<'_>, world: &World<'_>, t: &Template<'_>) {
    if t.kind != WorkloadKind::Pod || !t.path.0.is_empty() {
        return;
    }
    let pod = t.template;
    let existing = pod.get("status").is_some_and(|v| !v.is_null())
        || !str_at(pod, "/metadata/uid").is_empty()
        || !str_at(pod, "/metadata/creationTimestamp").is_empty();
    if !existing || matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed") {
        return;
    }
    let injected: HashSet<&str> = t
        .annotations()
        .and_then(|a| a.get(INJECTED_LIST))
        .and_then(Value::as_str)
        .map(|l| l.split(',').collect())
        .unwrap_or_default();
    for ss in &world.sidecar_sets {
        if selected(world, ss, t) && !injected.contains(ss.name()) {
            cx.push(&SSL_034, t.resource, JsonPath::keys(&["metadata", "annotations"]), format!("pod matches SidecarSet {} but was not injected by it ({INJECTED_LIST} does not name it): the SidecarSet never updates this pod; recreate it to get the sidecar", ss.name()));
        }
    }
}

// -------------------------------------------------------- pinned revision

pub(crate) const SSV_030: Rule = Rule {
    id: RuleId::Ssv030,
    severity: Error,
    title: "Revision pin without revision",
    description: WEBHOOK,
    help: "Set injectionStrategy.revision.revisionName or customVersion, or remove revision.",
};

pub(crate) const SSV_031: Rule = Rule {
    id: RuleId::Ssv031,
    severity: Warning,
    title: "Pinned revision not resolvable offline",
    description: "The webhook looks up the pinned ControllerRevision; without it in the input the linter cannot decide.",
    help: "Pass the SidecarSet's ControllerRevisions with -f to decide.",
};

pub(crate) const SSV_032: Rule = Rule {
    id: RuleId::Ssv032,
    severity: Error,
    title: "Unknown revision policy",
    description: WEBHOOK,
    help: "Use Always or Partial.",
};

/// SSV-030..032: `injectionStrategy.revision` names a revision that exists
/// and a known policy.
pub(super) fn validate_revision(
    o: &mut WebhookOut<'_>,
    world: &World<'_>,
    stored: &Value,
    sp: &Value,
) {
    let Some(rev) = is_set(sp.at("/injectionStrategy/revision")) else {
        return;
    };
    let p = JsonPath::keys(&["spec", "injectionStrategy", "revision"]);
    let name = is_set(rev.get("revisionName")).and_then(Value::as_str);
    let custom = is_set(rev.get("customVersion")).and_then(Value::as_str);
    if name.is_none() && custom.is_none() {
        o.push(&SSV_030, p.clone(), format!("revision: Invalid value: {}: revisionName and customVersion cannot be empty simultaneously", rev));
    } else {
        let ss_name = str_at(stored, "/metadata/name");
        let found = world.has_revision(name, ss_name, custom);
        if !found {
            let what = match name {
                Some(n) => format!("revisionName {}", q(n)),
                None => format!("customVersion {}", q(custom.unwrap_or_default())),
            };
            if !world.has_revisions() {
                o.push_with(&SSV_031, Severity::Warning, p.clone(), format!("cannot check that the ControllerRevision for {what} exists: no ControllerRevisions in the input; the webhook rejects the SidecarSet if it does not"));
            } else {
                o.push_with(&SSV_031, Severity::Error, p.clone(), format!("revision: Invalid value: null: Cannot find specific ControllerRevision for {what}"));
            }
        }
    }
    let policy = get_str(rev, "policy");
    if !matches!(policy, "" | "Always" | "Partial") {
        o.push(&SSV_032, p.key("policy"), format!("revision.policy: Invalid value: {}: Invalid policy {policy}, supported: [Always, Partial]", q(policy)));
    }
}

pub(crate) const SSL_031: Rule = Rule {
    id: RuleId::Ssl031,
    severity: Warning,
    title: "Partial injection with an integer partition",
    description: "The Partial revision policy draws with the partition percentage; with an int every new pod gets the latest revision.",
    help: "Use a percentage partition such as '80%'.",
};

/// SSL-031: Partial needs a percentage partition to draw with.
pub(super) fn partial_with_int_partition(cx: &mut PracticeOut<'_>, res: usize, sp: &Value) {
    if str_at(sp, "/injectionStrategy/revision/policy") == "Partial"
        && sp
            .at("/updateStrategy/partition")
            .is_some_and(Value::is_number)
    {
        cx.push(&SSL_031, res, JsonPath::keys(&["spec", "updateStrategy", "partition"]), "injectionStrategy.revision.policy is Partial but partition is an integer: every new pod gets the latest revision (the probability rule needs a percentage)".into());
    }
}

pub(crate) const SSL_032: Rule = Rule {
    id: RuleId::Ssl032,
    severity: Error,
    title: "Pinned revision cannot be resolved",
    description: "Pods get the pinned ControllerRevision of injectionStrategy.revision; when it does not exist the pod webhook rejects every matching pod.",
    help: "Pin an existing revision (pass the ControllerRevisions with -f to check) or remove the pin.",
};

/// SSL-032: the pinned revision must exist for pods to be created.
pub(super) fn pinned_revision(
    cx: &mut PracticeOut<'_>,
    world: &World<'_>,
    t: &Template<'_>,
    ss: &SidecarSet<'_>,
    sp: &Value,
) {
    let Some(rev) = sp.at("/injectionStrategy/revision") else {
        return;
    };
    let name = rev.get("revisionName").and_then(Value::as_str);
    let custom = rev.get("customVersion").and_then(Value::as_str);
    let what = match (name, custom) {
        (Some(n), _) => format!("revisionName {}", q(n)),
        (None, Some(c)) => format!("customVersion {}", q(c)),
        (None, None) => return,
    };
    let tp = t.path.clone().key("spec");
    if !world.has_revisions() {
        cx.push_sev(&SSL_032, Severity::Info, t.resource, tp, format!("these pods get the revision pinned by SidecarSet {} ({what}); no ControllerRevisions in the input: if it is missing or deleted, every pod creation is rejected", ss.name()));
        return;
    }
    let found = world.has_revision(name, ss.name(), custom);
    if !found {
        cx.push(&SSL_032, t.resource, tp, format!("SidecarSet {} pins {what}, which no ControllerRevision of the input resolves: the pod webhook rejects every pod of this workload", ss.name()));
    }
}

pub(crate) const SSL_033: Rule = Rule {
    id: RuleId::Ssl033,
    severity: Warning,
    title: "customVersion is not a label value",
    description: "customVersion is written as a ControllerRevision label; an invalid value stops the controller.",
    help: "Use at most 63 characters [A-Za-z0-9_.-], alphanumeric at both ends.",
};

/// SSL-033: the pinned and the SidecarSet's own customVersion.
pub(super) fn custom_version(cx: &mut PracticeOut<'_>, res: usize, sp: &Value) {
    if let Some(cv) = sp
        .at("/injectionStrategy/revision/customVersion")
        .and_then(Value::as_str)
    {
        if let Some(m) = label_value(cv).into_iter().next() {
            cx.push(&SSL_033, res, JsonPath::keys(&["spec", "injectionStrategy", "revision", "customVersion"]), format!("customVersion {} is not a valid label value ({m}); revisions cannot be labelled with it", q(cv)));
        }
    }
    if let Some(cv) = sp.get("customVersion").and_then(Value::as_str) {
        if let Some(m) = label_value(cv).into_iter().next() {
            cx.push(&SSL_033, res, JsonPath::keys(&["spec", "customVersion"]), format!("customVersion {} is not a valid label value ({m}); the controller cannot label its ControllerRevision with it", q(cv)));
        }
    }
}

// ------------------------------------------------------ order and startup

pub(crate) const SSL_050: Rule = Rule {
    id: RuleId::Ssl050,
    severity: Warning,
    title: "Log/proxy sidecar may start after the app",
    description: "Plain containers start in parallel; early logs are lost or the proxy is not ready.",
    help: "Use a native sidecar, or env KRUISE_CONTAINER_PRIORITY on the sidecar, or the apps.kruise.io/container-launch-priority: Ordered annotation with BeforeAppContainer.",
};

/// Whether the pods of `t` start their containers in order.
pub(super) fn launch_ordered(t: &Template<'_>) -> bool {
    t.annotations()
        .and_then(|a| a.get(LAUNCH_PRIORITY))
        .and_then(Value::as_str)
        == Some("Ordered")
}

fn patches_ordered(sp: &Value) -> bool {
    get_arr(sp, "patchPodMetadata").iter().any(|p| {
        p.at("/annotations")
            .and_then(|a| a.get(LAUNCH_PRIORITY))
            .and_then(Value::as_str)
            == Some("Ordered")
    })
}

/// The log/proxy sidecars of `sp` that may start after the app.
fn late_starters(sp: &Value) -> Vec<(usize, &Value)> {
    if patches_ordered(sp) {
        return Vec::new();
    }
    get_arr(sp, "containers")
        .iter()
        .enumerate()
        .filter(|(_, c)| is_log_agent(c) || image_or_name_has(c, PROXIES))
        .filter(|(_, c)| env(c, PRIORITY_ENV).is_none())
        .collect()
}

/// SSL-050 on pods whose containers start unordered.
pub(super) fn late_start_on_pod(cx: &mut PracticeOut<'_>, t: &Template<'_>, ssn: &str, sp: &Value) {
    for (_, c) in late_starters(sp) {
        cx.push(&SSL_050, t.resource, pod_spec(t), format!("sidecar {} of SidecarSet {ssn} may start after the app containers: set {PRIORITY_ENV} on it, annotate the pods {LAUNCH_PRIORITY}: Ordered, or use a native sidecar", get_str(c, "name")));
    }
}

/// SSL-050 on the SidecarSet itself, when no workload of the input shows
/// whether its pods are ordered.
pub(super) fn late_start_unmatched(cx: &mut PracticeOut<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    for (i, c) in late_starters(sp) {
        cx.push(&SSL_050, ss.resource, ctr_path("containers", i), format!("sidecar {} may start after the app containers: set {PRIORITY_ENV} on it, patch the pods with {LAUNCH_PRIORITY}: Ordered, or use a native sidecar", get_str(c, "name")));
    }
}

pub(crate) const SSL_051: Rule = Rule {
    id: RuleId::Ssl051,
    severity: Error,
    title: "Invalid KRUISE_CONTAINER_PRIORITY",
    description:
        "The pod webhook rejects pods whose priority env is not an integer or uses valueFrom.",
    help: "Use a literal integer value.",
};

fn bad_priority(e: &Value) -> bool {
    e.get("valueFrom").is_some_and(|v| !v.is_null())
        || get_str(e, "value").trim().parse::<i64>().is_err()
}

/// SSL-051 on sidecar `c` at `cp` of a SidecarSet.
pub(super) fn priority_env(cx: &mut PracticeOut<'_>, res: usize, cp: &JsonPath, c: &Value) {
    if let Some(j) = get_arr(c, "env")
        .iter()
        .position(|e| get_str(e, "name") == PRIORITY_ENV)
    {
        if bad_priority(&get_arr(c, "env")[j]) {
            cx.push(&SSL_051, res, cp.clone().key("env").index(j), format!("{PRIORITY_ENV} of sidecar {} must be a literal integer: the pod webhook rejects every pod it is injected into", get_str(c, "name")));
        }
    }
}

/// SSL-051 on the pods the sidecars of `sp` are injected into.
pub(super) fn priority_env_on_pod(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    ssn: &str,
    sp: &Value,
) {
    for c in get_arr(sp, "containers")
        .iter()
        .chain(get_arr(sp, "initContainers"))
    {
        let name = get_str(c, "name");
        // The pod webhook rejects these pods.
        if let Some(e) = env(c, PRIORITY_ENV) {
            if bad_priority(e) {
                cx.push(&SSL_051, t.resource, pod_spec(t), format!("{PRIORITY_ENV} of sidecar {name} (SidecarSet {ssn}) is not a literal integer: the pod webhook rejects these pods"));
            }
        }
    }
}

pub(crate) const SSL_080: Rule = Rule {
    id: RuleId::Ssl080,
    severity: Info,
    title: "Injection order depends on SidecarSet order",
    description: "Containers of different SidecarSets with the same podInjectPolicy are injected in a non-deterministic relative order.",
    help: "Enable the EnableSortSidecarContainerByName feature gate, or use different podInjectPolicy values.",
};

/// SSL-080: plain containers of several SidecarSets with the same
/// podInjectPolicy, in the group whose order is not stable.
pub(super) fn injection_order(
    cx: &mut PracticeOut<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    if input.gates.sort_sidecar_container_by_name {
        return;
    }
    let forms = matched.iter().filter_map(|m| m.form.ok());
    let (ns_group, cluster, _) = crate::inject::matching::candidates(forms, &t.namespace);
    for group in [ns_group, cluster] {
        let mut by_policy: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for ss in group {
            let ss = &ss.value;
            let mut policies: Vec<&str> = get_arr(&ss["spec"], "containers")
                .iter()
                .map(|c| match get_str(c, "podInjectPolicy") {
                    "" => "BeforeAppContainer",
                    p => p,
                })
                .collect();
            policies.sort_unstable();
            policies.dedup();
            // Same-named inputs are versions of one SidecarSet.
            for p in policies {
                let names = by_policy.entry(p).or_default();
                let n = str_at(ss, "/metadata/name");
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        for (policy, names) in by_policy {
            if names.len() > 1 {
                cx.push(&SSL_080, t.resource, t.path.clone().key("spec").key("containers"), format!("SidecarSets {} all inject containers {policy} into these pods: their relative order is not deterministic (feature gate EnableSortSidecarContainerByName is off)", names.join(", ")));
            }
        }
    }
}
