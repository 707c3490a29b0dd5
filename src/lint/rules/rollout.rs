//! How an update rolls out over the pods: `updateStrategy` (type, partition,
//! maxUnavailable, canary selector, priority and scatter) as the webhook
//! checks it, and what the controller then does with it.

use super::super::model::{q, SidecarSet, Template, World};
use super::super::pod_validation::{label_value, qualified_name};
use super::super::rule::{Rule, RuleId};
use super::super::Input;
use super::super::Severity::{Error, Info, Warning};
use super::shared::{is_set, selected, selector, spec_of, PracticeOut, WebhookOut, WEBHOOK};
use crate::annotations::CLONESET_INSTANCE_ID_LABEL;
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use crate::value::At;
use crate::value::{get_arr, get_str, str_at};
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::collections::HashSet;

pub(crate) const SSV_040: Rule = Rule {
    id: RuleId::Ssv040,
    severity: Error,
    title: "partition together with selector",
    description: "updateStrategy.partition (any string or a non-zero int) and updateStrategy.selector cannot be used together.",
    help: "Use either a canary selector or a partition.",
};

pub(crate) const SSV_041: Rule = Rule {
    id: RuleId::Ssv041,
    severity: Error,
    title: "Invalid updateStrategy.selector",
    description: WEBHOOK,
    help: "Give the update selector at least one valid requirement.",
};

pub(crate) const SSV_042: Rule = Rule {
    id: RuleId::Ssv042,
    severity: Error,
    title: "Invalid partition",
    description: "partition must be an int >= 0 or a percent string such as '10%'.",
    help: "Use e.g. 5 or '20%'.",
};

pub(crate) const SSV_043: Rule = Rule {
    id: RuleId::Ssv043,
    severity: Error,
    title: "Invalid maxUnavailable",
    description: "maxUnavailable must be an int >= 0 or a percent string such as '10%'.",
    help: "Use e.g. 1 or '10%'.",
};

/// SSV-040..049 for a RollingUpdate strategy (NotUpdate is not checked).
pub(super) fn validate_update_strategy(o: &mut WebhookOut<'_>, sp: &Value) {
    let us = sp.get("updateStrategy").unwrap_or(&Value::Null);
    if get_str(us, "type") != "RollingUpdate" {
        return;
    }
    let p = JsonPath::keys(&["spec", "updateStrategy"]);
    let partition = is_set(us.get("partition"));
    let partition_set = match partition {
        Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.as_i64() != Some(0),
        _ => false,
    };
    if partition_set && is_set(us.get("selector")).is_some() {
        o.push(
            &SSV_040,
            p.clone().key("partition"),
            format!(
                "updateStrategy: Invalid value: {}: Partition and Selector cannot be used together",
                q(&us.to_string())
            ),
        );
    }
    if let Some(sel) = is_set(us.get("selector")) {
        selector(o, &SSV_041, sel, &p.clone().key("selector"));
    }
    if let Some(v) = partition {
        int_or_percent(o, &SSV_042, v, p.clone().key("partition"));
    }
    if let Some(v) = is_set(us.get("maxUnavailable")) {
        int_or_percent(o, &SSV_043, v, p.clone().key("maxUnavailable"));
    }
    if let Some(ps) = is_set(us.get("priorityStrategy")) {
        priority(o, ps, p.clone().key("priorityStrategy"));
    }
    scatter(o, us, p.key("scatterStrategy"));
}

/// `ValidatePositiveIntOrPercent`.
fn int_or_percent(o: &mut WebhookOut<'_>, rule: &Rule, v: &Value, p: JsonPath) {
    match v {
        Value::String(st) => {
            let ok = st
                .strip_suffix('%')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
            if !ok {
                o.push(rule, p.clone(), format!("{p}: Invalid value: {}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')", q(st)));
            }
        }
        Value::Number(n) if n.as_i64().is_some_and(|i| i < 0) => {
            o.push(
                rule,
                p.clone(),
                format!("{p}: Invalid value: {n}: must be greater than or equal to 0"),
            );
        }
        _ => {}
    }
}

pub(crate) const SSV_044: Rule = Rule {
    id: RuleId::Ssv044,
    severity: Error,
    title: "weightPriority with orderPriority",
    description: WEBHOOK,
    help: "Use only one of weightPriority and orderPriority.",
};

pub(crate) const SSV_045: Rule = Rule {
    id: RuleId::Ssv045,
    severity: Error,
    title: "Priority weight out of range",
    description: WEBHOOK,
    help: "Use a weight in 0..=100.",
};

pub(crate) const SSV_046: Rule = Rule {
    id: RuleId::Ssv046,
    severity: Error,
    title: "Empty priority selector",
    description: WEBHOOK,
    help: "Give each weightPriority a matchSelector.",
};

pub(crate) const SSV_047: Rule = Rule {
    id: RuleId::Ssv047,
    severity: Error,
    title: "Invalid priority selector",
    description: WEBHOOK,
    help: "Fix the matchSelector operator.",
};

pub(crate) const SSV_048: Rule = Rule {
    id: RuleId::Ssv048,
    severity: Error,
    title: "Empty orderedKey",
    description: WEBHOOK,
    help: "Give each orderPriority entry an orderedKey.",
};

/// `UpdatePriorityStrategy.FieldsValidation`: the first error only.
fn priority(o: &mut WebhookOut<'_>, ps: &Value, p: JsonPath) {
    let weights = get_arr(ps, "weightPriority");
    let orders = get_arr(ps, "orderPriority");
    let msg = |d: &str| format!("spec.updateStrategy.priorityStrategy: Required value: {d}");
    if !weights.is_empty() && !orders.is_empty() {
        o.push(
            &SSV_044,
            p,
            msg("only one of weightPriority and orderPriority can be used"),
        );
        return;
    }
    for (i, w) in weights.iter().enumerate() {
        let wp = p.clone().key("weightPriority").index(i);
        let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
        if !(0..=100).contains(&weight) {
            o.push(
                &SSV_045,
                wp.key("weight"),
                msg("weight must be valid number in the range 1-100"),
            );
            return;
        }
        let sel = LabelSelector::decode(w.get("matchSelector"), &wp)
            .ok()
            .flatten()
            .unwrap_or_default();
        if sel.is_empty() {
            o.push(
                &SSV_046,
                wp.key("matchSelector"),
                msg("selector can not be empty"),
            );
            return;
        }
        if let Some(err) = as_selector_error(&sel) {
            o.push(
                &SSV_047,
                wp.key("matchSelector"),
                msg(&format!("invalid selector {err}")),
            );
            return;
        }
    }
    for (i, w) in orders.iter().enumerate() {
        if get_str(w, "orderedKey").is_empty() {
            o.push(
                &SSV_048,
                p.clone().key("orderPriority").index(i).key("orderedKey"),
                msg("order key can not be empty"),
            );
            return;
        }
    }
}

/// `metav1.LabelSelectorAsSelector`'s error, if any.
fn as_selector_error(sel: &LabelSelector) -> Option<String> {
    for (k, v) in &sel.match_labels {
        if let Some(m) = qualified_name(k).into_iter().next() {
            return Some(format!("key: Invalid value: {}: {m}", q(k)));
        }
        if let Some(m) = label_value(v).into_iter().next() {
            return Some(format!("values[0][{k}]: Invalid value: {}: {m}", q(v)));
        }
    }
    for e in &sel.match_expressions {
        match e.operator.as_str() {
            "In" | "NotIn" if e.values.is_empty() => return Some(
                "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"
                    .into(),
            ),
            "Exists" | "DoesNotExist" if !e.values.is_empty() => {
                return Some(
                    "values: Invalid value: values set must be empty for exists and does not exist"
                        .into(),
                )
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => {
                return Some(format!(
                    "{} is not a valid label selector operator",
                    q(other)
                ))
            }
        }
        if let Some(m) = qualified_name(&e.key).into_iter().next() {
            return Some(format!("key: Invalid value: {}: {m}", q(&e.key)));
        }
        for v in &e.values {
            if let Some(m) = label_value(v).into_iter().next() {
                return Some(format!("values: Invalid value: {}: {m}", q(v)));
            }
        }
    }
    None
}

pub(crate) const SSV_049: Rule = Rule {
    id: RuleId::Ssv049,
    severity: Error,
    title: "Invalid scatterStrategy",
    description: "Scatter terms need a key and must not repeat a key=value pair.",
    help: "Remove the empty or duplicated term.",
};

fn scatter(o: &mut WebhookOut<'_>, us: &Value, p: JsonPath) {
    let mut seen = HashSet::new();
    for (i, t) in get_arr(us, "scatterStrategy").iter().enumerate() {
        let (k, v) = (get_str(t, "key"), get_str(t, "value"));
        let msg = |d: String| format!("spec.updateStrategy.scatterStrategy: Required value: {d}");
        if k.is_empty() {
            o.push(
                &SSV_049,
                p.clone().index(i).key("key"),
                msg("key should not be empty".into()),
            );
            return;
        }
        if !seen.insert((k, v)) {
            o.push(
                &SSV_049,
                p.clone().index(i),
                msg(format!("duplicated key={k} value={v}")),
            );
            return;
        }
    }
}

pub(crate) const SSL_029: Rule = Rule {
    id: RuleId::Ssl029,
    severity: Warning,
    title: "Unknown updateStrategy.type",
    description:
        "Any value other than NotUpdate rolls out like RollingUpdate but skips its validation.",
    help: "Use RollingUpdate or NotUpdate.",
};

/// SSL-029 on a SidecarSet whose `updateStrategy.type` is `strategy`.
pub(super) fn unknown_type(cx: &mut PracticeOut<'_>, res: usize, strategy: &str) {
    if !matches!(strategy, "RollingUpdate" | "NotUpdate") {
        cx.push(&SSL_029, res, JsonPath::keys(&["spec", "updateStrategy", "type"]), format!("updateStrategy.type {} is neither RollingUpdate nor NotUpdate: it rolls out like RollingUpdate without any of its validation", q(strategy)));
    }
}

pub(crate) const SSL_026: Rule = Rule {
    id: RuleId::Ssl026,
    severity: Warning,
    title: "maxUnavailable 0",
    description: "Only not-ready pods are updated, a healthy fleet never rolls.",
    help: "Use maxUnavailable >= 1.",
};

/// SSL-026 on a SidecarSet whose `updateStrategy.type` is `strategy`.
pub(super) fn max_unavailable_zero(
    cx: &mut PracticeOut<'_>,
    res: usize,
    sp: &Value,
    strategy: &str,
) {
    if strategy != "RollingUpdate" {
        return;
    }
    let mu = sp.at("/updateStrategy/maxUnavailable");
    let zero = match mu {
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(v)) => v.trim_end_matches('%').parse::<u64>().ok() == Some(0),
        _ => false,
    };
    if zero {
        cx.push(&SSL_026, res, JsonPath::keys(&["spec", "updateStrategy", "maxUnavailable"]), "maxUnavailable is 0: only pods that are already not ready are ever updated, so a healthy fleet never rolls".into());
    }
}

pub(crate) const SSL_027: Rule = Rule {
    id: RuleId::Ssl027,
    severity: Info,
    title: "What the partition keeps",
    description: "Percent partitions round up the pods kept old, '99%' still updates one pod, an int above the pod count updates none, and only upgradable pods waiting for the update are counted.",
    help: "Check the kept/updated counts against the pods you expect to canary.",
};

/// SSL-027: what the partition keeps, over the matched workloads' pods.
pub(super) fn partitions(cx: &mut PracticeOut<'_>, world: &World<'_>, input: &Input<'_>) {
    for ss in &world.sidecar_sets {
        let Some(sp) = spec_of(ss) else { continue };
        if str_at(sp, "/updateStrategy/type") == "NotUpdate" {
            continue;
        }
        let Some(part) = sp.at("/updateStrategy/partition").filter(|p| match p {
            Value::Number(n) => n.as_i64().is_some_and(|i| i > 0),
            Value::String(v) => !v.is_empty(),
            _ => false,
        }) else {
            continue;
        };
        let mut counts: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut total = 0usize;
        for t in &world.templates {
            if !selected(world, ss, t) {
                continue;
            }
            let label = format!(
                "{} {}",
                t.kind.resource_name(),
                input
                    .resources
                    .get(t.resource)
                    .map_or("", |r| str_at(r, "/metadata/name"))
            );
            match replicas(input, t) {
                Some(n) => {
                    total += n;
                    counts.push(format!("{label}: {n}"));
                }
                None => unknown.push(label),
            }
        }
        if counts.is_empty() {
            continue;
        }
        let kept = crate::plan::pods::partition(Some(part), total);
        let shown = match part {
            Value::String(v) => q(v),
            other => other.to_string(),
        };
        let mut notes = Vec::new();
        if part.is_number() && kept < part.as_u64().map_or(0, |p| p as usize) {
            notes.push("an int larger than the pod count updates nothing".to_string());
        }
        if let Value::String(v) = part {
            if !v.ends_with('%') {
                notes.push("a string without '%' counts as 0".to_string());
            } else if total > 0 {
                notes.push("percentages round up the pods kept".to_string());
            }
        }
        if !unknown.is_empty() {
            notes.push(format!("pods of {} not counted", unknown.join(", ")));
        }
        notes.push(
            "only upgradable pods waiting for the update count, so more pods may stay old".into(),
        );
        cx.push(&SSL_027, ss.resource, JsonPath::keys(&["spec", "updateStrategy", "partition"]), format!("partition {shown} over {total} matched pods ({}) keeps {kept} on the current sidecar and updates {}; {}", counts.join(", "), total - kept, notes.join("; ")));
    }
}

/// Pods a template stands for, when the input tells.
fn replicas(input: &Input<'_>, t: &Template<'_>) -> Option<usize> {
    let obj = input.resources.get(t.resource)?;
    let count = |v: Option<&Value>| match v {
        None | Some(Value::Null) => Some(1),
        Some(v) => v.as_u64().map(|n| n as usize),
    };
    match t.kind {
        WorkloadKind::Pod => Some(1),
        WorkloadKind::Deployment
        | WorkloadKind::StatefulSet
        | WorkloadKind::ReplicaSet
        | WorkloadKind::ReplicationController
        | WorkloadKind::CloneSet
        | WorkloadKind::AdvancedStatefulSet => count(obj.at("/spec/replicas")),
        WorkloadKind::Job => count(obj.at("/spec/parallelism")),
        _ => None,
    }
}

pub(crate) const SSL_028: Rule = Rule {
    id: RuleId::Ssl028,
    severity: Warning,
    title: "orderPriority updates unlabelled pods first",
    description: "Pods carrying none of the orderedKeys get level -1 and are updated before the labelled pods.",
    help: "Label every matched pod with one of the orderedKeys, or use weightPriority.",
};

/// Labels the controller adds to the pods of a workload, besides the template's.
fn controller_labels(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Deployment | WorkloadKind::ReplicaSet => &["pod-template-hash"],
        WorkloadKind::StatefulSet | WorkloadKind::AdvancedStatefulSet => &[
            "controller-revision-hash",
            "statefulset.kubernetes.io/pod-name",
            "apps.kubernetes.io/pod-index",
        ],
        WorkloadKind::DaemonSet | WorkloadKind::AdvancedDaemonSet => {
            &["controller-revision-hash", "pod-template-generation"]
        }
        WorkloadKind::CloneSet => &[
            "controller-revision-hash",
            CLONESET_INSTANCE_ID_LABEL,
            "pod-template-hash",
        ],
        WorkloadKind::Job | WorkloadKind::CronJob => &[
            "controller-uid",
            "job-name",
            "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name",
        ],
        _ => &[],
    }
}

/// SSL-028: pods without any orderedKey are updated first.
pub(super) fn order_priority(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    ss: &SidecarSet<'_>,
    sp: &Value,
) {
    let st = sp.at("/updateStrategy/priorityStrategy");
    if st
        .and_then(|st| st.get("weightPriority"))
        .and_then(Value::as_array)
        .is_some_and(|w| !w.is_empty())
    {
        return; // weightPriority wins
    }
    let keys: Vec<&str> = st
        .and_then(|st| st.get("orderPriority"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| get_str(o, "orderedKey"))
        .filter(|k| !k.is_empty())
        .collect();
    if keys.is_empty() {
        return;
    }
    let labels = t.labels();
    let has = |k: &str| {
        labels.is_some_and(|l| l.contains_key(k)) || controller_labels(t.kind).contains(&k)
    };
    if !keys.iter().any(|k| has(k)) {
        cx.push(&SSL_028, t.resource, t.path.clone().key("metadata").key("labels"), format!("these pods carry none of the orderPriority keys of SidecarSet {} ({}): they get the lowest level and are updated before the pods that carry one", ss.name(), keys.join(", ")));
    }
}
