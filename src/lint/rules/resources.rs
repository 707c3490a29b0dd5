//! Sidecar resources: `resourcesPolicy` (the webhook's checks, whether it
//! finds target containers, what its expressions evaluate to) and the QoS
//! class the injected pods end up in.

use super::super::model::{q, SidecarSet, Template, World};
use super::super::rule::{Rule, RuleId};
use super::super::Input;
use super::super::Severity::{self, Error, Warning};
use super::shared::{ctr_path, is_set, pod_spec, spec_of, PracticeOut, WebhookOut, WEBHOOK};
use crate::calculator as calc;
use crate::cluster::WebhookForm;
use crate::path::JsonPath;
use crate::value::{get_arr, get_str, At};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

pub(crate) const SSV_054: Rule = Rule {
    id: RuleId::Ssv054,
    severity: Error,
    title: "resourcesPolicy on a plain init container",
    description: WEBHOOK,
    help: "resourcesPolicy needs restartPolicy: Always on an init container.",
};

pub(crate) const SSV_055: Rule = Rule {
    id: RuleId::Ssv055,
    severity: Error,
    title: "resources and resourcesPolicy together",
    description: WEBHOOK,
    help: "Remove resources or resourcesPolicy.",
};

pub(crate) const SSV_056: Rule = Rule {
    id: RuleId::Ssv056,
    severity: Error,
    title: "Empty targetContainersNameRegex",
    description: WEBHOOK,
    help: "Remove the empty regex (it defaults to '.*') or set one.",
};

pub(crate) const SSV_057: Rule = Rule {
    id: RuleId::Ssv057,
    severity: Error,
    title: "Invalid targetContainersNameRegex",
    description: WEBHOOK,
    help: "Fix the regular expression (Go RE2 syntax).",
};

pub(crate) const SSV_058: Rule = Rule {
    id: RuleId::Ssv058,
    severity: Error,
    title: "resourcesExpr without limits or requests",
    description: WEBHOOK,
    help: "Configure resourcesExpr.limits or resourcesExpr.requests.",
};

pub(crate) const SSV_059: Rule = Rule {
    id: RuleId::Ssv059,
    severity: Error,
    title: "Invalid resources expression",
    description: "Expressions are evaluated with the variable bound to 1: syntax errors, unknown names or functions, quantity*quantity, division by a quantity or zero and negative results are rejected.",
    help: "Use e.g. 'cpu*50%' or 'max(cpu*0.5, 50m)'.",
};

pub(crate) const SSV_05A: Rule = Rule {
    id: RuleId::Ssv05A,
    severity: Error,
    title: "Invalid targetContainersMode",
    description: "The CRD schema requires resourcesPolicy.targetContainersMode to be sum or max; the API server rejects other values.",
    help: "Set targetContainersMode: sum or max.",
};

/// SSV-054..05A on sidecar `c` at `cp` (`init`: in `initContainers`).
pub(super) fn validate(o: &mut WebhookOut<'_>, c: &Value, cp: &JsonPath, init: bool) {
    let Some(rp) = is_set(c.get("resourcesPolicy")) else {
        return;
    };
    if init && get_str(c, "restartPolicy") != "Always" {
        o.push(&SSV_054, cp.clone().key("resourcesPolicy"), format!("{cp}.resourcesPolicy: Invalid value: {}: resourcesPolicy is only supported for containers with RestartPolicy Always", rp));
    }
    validate_policy(o, c, rp, cp.clone().key("resourcesPolicy"));
}

fn validate_policy(o: &mut WebhookOut<'_>, c: &Value, rp: &Value, p: JsonPath) {
    // The CRD schema (enum, required) is checked by the API server first.
    let mode = get_str(rp, "targetContainersMode");
    if !matches!(mode, "sum" | "max") {
        let mp = p.clone().key("targetContainersMode");
        let detail = if mode.is_empty() {
            format!("{mp}: Required value")
        } else {
            format!(
                "{mp}: Unsupported value: {}: supported values: \"sum\", \"max\"",
                q(mode)
            )
        };
        o.push(&SSV_05A, mp, detail);
    }
    let has = |k: &str| {
        c.at(&format!("/resources/{k}"))
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    if has("limits") || has("requests") {
        o.push(&SSV_055, p.clone(), format!("{p}: Invalid value: {rp}: resourcesPolicy and resources cannot be configured together"));
        return;
    }
    let re = get_str(rp, "targetContainersNameRegex");
    if re.is_empty() {
        o.push(
            &SSV_056,
            p.clone().key("targetContainersNameRegex"),
            format!("{p}.targetContainersNameRegex: Required value: invalid empty regex"),
        );
    } else if let Err(e) = regex::Regex::new(re) {
        o.push(
            &SSV_057,
            p.clone().key("targetContainersNameRegex"),
            format!(
                "{p}.targetContainersNameRegex: Invalid value: {}: invalid regex pattern: {e}",
                q(re)
            ),
        );
    }
    let ep = p.clone().key("resourcesExpr");
    let expr = rp.get("resourcesExpr").unwrap_or(&Value::Null);
    let limits = is_set(expr.get("limits"));
    let requests = is_set(expr.get("requests"));
    if limits.is_none() && requests.is_none() {
        o.push(&SSV_058, ep.clone(), format!("{ep}: Invalid value: {expr}: at least one of limits or requests must be configured"));
        return;
    }
    for (kind, m) in [("limits", limits), ("requests", requests)] {
        let Some(m) = m else { continue };
        for var in ["cpu", "memory"] {
            let e = get_str(m, var);
            if e.is_empty() {
                continue;
            }
            if let Err(err) = calc::validate(e, var) {
                let fp = ep.clone().key(kind).key(var);
                o.push(
                    &SSV_059,
                    fp.clone(),
                    format!("{fp}: Invalid value: {}: {err}", q(e)),
                );
            }
        }
    }
}

pub(crate) const SSL_061: Rule = Rule {
    id: RuleId::Ssl061,
    severity: Error,
    title: "resourcesPolicy finds no target container",
    description: "No app container of the matched pods matches targetContainersNameRegex (sidecars excluded); the pod webhook rejects the pod.",
    help: "Fix targetContainersNameRegex, e.g. '^app$'.",
};

/// The names of the sidecars the SidecarSets `matched` inject, which a
/// resourcesPolicy never targets.
fn sidecar_names<'v>(matched: &[&'v SidecarSet<'_>]) -> HashSet<&'v str> {
    matched
        .iter()
        .filter_map(|m| spec_of(m))
        .flat_map(|msp| {
            get_arr(msp, "containers")
                .iter()
                .chain(get_arr(msp, "initContainers"))
        })
        .map(|c| get_str(c, "name"))
        .collect()
}

/// SSL-061: a resourcesPolicy of SidecarSet `ssn` must find target
/// containers in every pod.
pub(super) fn no_target(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
    ssn: &str,
    sp: &Value,
) {
    let sidecar_names = sidecar_names(matched);
    for c in get_arr(sp, "containers")
        .iter()
        .chain(get_arr(sp, "initContainers"))
    {
        let Some(re) = c
            .at("/resourcesPolicy/targetContainersNameRegex")
            .and_then(Value::as_str)
            .and_then(|r| regex::Regex::new(r).ok())
        else {
            continue;
        };
        let targets = t
            .list("containers")
            .iter()
            .chain(
                t.list("initContainers")
                    .iter()
                    .filter(|ic| get_str(ic, "restartPolicy") == "Always"),
            )
            .map(|a| get_str(a, "name"))
            .filter(|n| !sidecar_names.contains(n))
            .any(|n| re.is_match(n));
        if !targets {
            cx.push(&SSL_061, t.resource, pod_spec(t), format!("sidecar {} of SidecarSet {ssn}: no container of these pods matches resourcesPolicy.targetContainersNameRegex {}: the pod webhook rejects the pods", get_str(c, "name"), q(re.as_str())));
        }
    }
}

pub(crate) const SSL_062: Rule = Rule {
    id: RuleId::Ssl062,
    severity: Warning,
    title: "resourcesPolicy result worth checking",
    description: "Limits dropped when a target has none, requests of 0, unanchored regexes, numeric memory results converted as millicores, malformed numbers read as 0.",
    help: "Anchor the regex ('^app$'), use quantities in memory expressions ('256Mi'), give the targets requests and limits.",
};

/// `\bmemory\b` on the expression text (case-sensitive), as the webhook binds the variable.
fn mentions_memory(expr: &str) -> bool {
    let b = expr.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    expr.match_indices("memory").any(|(i, m)| {
        let before = i.checked_sub(1).and_then(|j| b.get(j)).copied();
        let after = b.get(i + m.len()).copied();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// SSL-062 (SidecarSet part): expressions that evaluate surprisingly.
pub(super) fn expression_surprises(cx: &mut PracticeOut<'_>, res: usize, sp: &Value) {
    for list in ["containers", "initContainers"] {
        for (i, c) in get_arr(sp, list).iter().enumerate() {
            for kind in ["limits", "requests"] {
                for r in ["cpu", "memory"] {
                    let Some(expr) = c
                        .at(&format!("/resourcesPolicy/resourcesExpr/{kind}/{r}"))
                        .and_then(Value::as_str)
                        .filter(|e| !e.is_empty())
                    else {
                        continue;
                    };
                    let p = ctr_path(list, i)
                        .key("resourcesPolicy")
                        .key("resourcesExpr")
                        .key(kind)
                        .key(r);
                    let bad = calc::malformed_numbers(expr);
                    if !bad.is_empty() {
                        cx.push(&SSL_062, res, p.clone(), format!("{kind}.{r} expression {} of sidecar {}: {} not a valid number and silently evaluates to 0", q(expr), get_str(c, "name"), bad.iter().map(|b| q(b)).collect::<Vec<_>>().join(", ") + if bad.len() == 1 { " is" } else { " are" }));
                    }
                    if r == "memory" && !mentions_memory(expr) {
                        let v = calc::evaluate(expr, "cpu", calc::Val::Num(1.0));
                        if let Ok(calc::Val::Num(n)) = v {
                            cx.push(&SSL_062, res, p, format!("{kind}.memory expression {} of sidecar {} yields the plain number {n}, which is converted as CPU millicores: the sidecar gets {}m bytes; write a quantity such as 256Mi", q(expr), get_str(c, "name"), crate::quantity::go_float(n * 1000.0)));
                        }
                    }
                }
            }
        }
    }
}

/// SSL-062 (pod part): how the policies of SidecarSet `ssn` evaluate on
/// the pods of `t`.
pub(super) fn policy_on_pod(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
    ssn: &str,
    sp: &Value,
) {
    let excluded = sidecar_names(matched);
    let tp = pod_spec(t);
    for c in get_arr(sp, "containers")
        .iter()
        .chain(get_arr(sp, "initContainers"))
    {
        let Some(pol) = c.get("resourcesPolicy").filter(|p| p.is_object()) else {
            continue;
        };
        let re_text = get_str(pol, "targetContainersNameRegex");
        let Ok(re) = regex::Regex::new(re_text) else {
            continue;
        };
        let targets: Vec<&Value> = t
            .list("initContainers")
            .iter()
            .filter(|ic| get_str(ic, "restartPolicy") == "Always")
            .chain(t.list("containers"))
            .filter(|a| !excluded.contains(get_str(a, "name")) && re.is_match(get_str(a, "name")))
            .collect();
        if targets.is_empty() {
            continue; // SSL-061
        }
        let name = get_str(c, "name");
        // Unanchored regex matching a name only in part.
        if let Ok(full) = regex::Regex::new(&format!("^(?:{re_text})$")) {
            let partial: Vec<&str> = targets
                .iter()
                .map(|a| get_str(a, "name"))
                .filter(|n| !full.is_match(n))
                .collect();
            if !partial.is_empty() {
                cx.push_sev(&SSL_062, Severity::Info, t.resource, tp.clone(), format!("targetContainersNameRegex {} of sidecar {name} (SidecarSet {ssn}) is unanchored and also selects {}: use ^...$ if that is not intended", q(re_text), partial.join(", ")));
            }
        }
        let mode = get_str(pol, "targetContainersMode");
        if !matches!(mode, "sum" | "max") {
            continue;
        }
        for r in ["cpu", "memory"] {
            let has = |a: &Value, kind: &str| {
                a.at(&format!("/resources/{kind}/{r}"))
                    .is_some_and(|v| !v.is_null())
            };
            let expr = |kind: &str| {
                pol.at(&format!("/resourcesExpr/{kind}/{r}"))
                    .and_then(Value::as_str)
                    .filter(|e| !e.is_empty())
            };
            if let Some(e) = expr("limits") {
                let without: Vec<&str> = targets
                    .iter()
                    .filter(|a| !has(a, "limits"))
                    .map(|a| get_str(a, "name"))
                    .collect();
                if !without.is_empty() {
                    cx.push_sev(&SSL_062, Severity::Info, t.resource, tp.clone(), format!("limits.{r} expression {} of sidecar {name} (SidecarSet {ssn}) is ignored for these pods: target {} has no {r} limit, so the sidecar gets none (unlimited)", q(e), without.join(", ")));
                }
            }
            if let Some(e) = expr("requests") {
                let var = if mentions_memory(e) { "memory" } else { "cpu" };
                let zero = calc::Val::Qty(crate::quantity::Quantity::new(
                    0,
                    crate::quantity::Format::DecimalSI,
                ));
                let is_zero = match calc::evaluate(e, var, zero) {
                    Ok(calc::Val::Qty(q)) => q.is_zero(),
                    Ok(calc::Val::Num(n)) => n == 0.0,
                    Err(_) => false,
                };
                if is_zero && !targets.iter().any(|a| has(a, "requests")) {
                    cx.push_sev(&SSL_062, Severity::Info, t.resource, tp.clone(), format!("requests.{r} expression {} of sidecar {name} (SidecarSet {ssn}) evaluates to 0 for these pods: no target has a {r} request", q(e)));
                }
            }
        }
    }
}

pub(crate) const SSL_060: Rule = Rule {
    id: RuleId::Ssl060,
    severity: Warning,
    title: "QoS class changes after injection",
    description: "A Guaranteed pod becomes Burstable when a sidecar lacks cpu/memory limits equal to its requests; a BestEffort pod becomes Burstable when a sidecar has any request or limit.",
    help: "Give the sidecars resources that keep the pods' QoS class (requests = limits for Guaranteed pods).",
};

/// `GetPodQOS` (k8s `pkg/apis/core/v1/helper/qos`) after `SetDefaults_Pod`
/// (missing requests default to the limits), init containers included.
fn qos_class(spec: &Value) -> &'static str {
    use crate::quantity::{from_json, Quantity};
    let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let positive = |v: &Value| from_json(v).ok().filter(|q| q.sign() > 0);
    let add = |m: &mut BTreeMap<&'static str, Quantity>, r: &'static str, q: Quantity| match m
        .get_mut(r)
    {
        Some(sum) => sum.add(&q),
        None => {
            m.insert(r, q);
        }
    };
    for c in get_arr(spec, "containers")
        .iter()
        .chain(get_arr(spec, "initContainers"))
    {
        let mut found = 0;
        for r in ["cpu", "memory"] {
            let lim = c.at(&format!("/resources/limits/{r}"));
            let req = c
                .at(&format!("/resources/requests/{r}"))
                .filter(|v| !v.is_null())
                .or(lim);
            if let Some(q) = req.and_then(positive) {
                add(&mut requests, r, q);
            }
            if let Some(q) = lim.and_then(positive) {
                add(&mut limits, r, q);
                found += 1;
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.len() == limits.len()
        && requests
            .iter()
            .all(|(r, q)| limits.get(r).is_some_and(|l| l.cmp_value(q).is_eq()))
    {
        return "Guaranteed";
    }
    "Burstable"
}

/// SSL-060: inject offline and compare the QoS class.
pub(super) fn qos(
    cx: &mut PracticeOut<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    let before = qos_class(t.spec());
    if before == "Burstable" {
        return; // injection cannot leave Burstable
    }
    // Same-named inputs are versions of one SidecarSet: the first one stands.
    let mut seen = HashSet::new();
    let sets: Vec<&WebhookForm> = matched
        .iter()
        .filter(|m| seen.insert(m.name()))
        .filter_map(|m| m.form.ok())
        .collect();
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String("lint".into()));
    meta.insert("namespace".into(), Value::String(t.namespace.clone()));
    for k in ["labels", "annotations"] {
        if let Some(v) = t
            .template
            .at(&format!("/metadata/{k}"))
            .filter(|v| v.is_object())
        {
            meta.insert(k.into(), v.clone());
        }
    }
    let mut pod = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": t.spec().clone()});
    let ctx = crate::inject::Context {
        sidecar_sets: sets,
        namespaces: &world.cluster.namespaces,
        controller_revisions: &world.cluster.controller_revisions,
        gates: &input.gates,
        now: 0,
        seed: 0,
        namespace: &t.namespace,
        prepared: Default::default(),
    };
    if crate::inject::inject_pod(&mut pod, &ctx).is_err() {
        return; // rejected pods are other rules' business
    }
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let after = qos_class(spec);
    if after == before {
        return;
    }
    let original: HashSet<&str> = t
        .list("containers")
        .iter()
        .chain(t.list("initContainers"))
        .map(|c| get_str(c, "name"))
        .collect();
    let added: Vec<&str> = get_arr(spec, "containers")
        .iter()
        .chain(get_arr(spec, "initContainers"))
        .map(|c| get_str(c, "name"))
        .filter(|n| !original.contains(n))
        .collect();
    let mut names: Vec<&str> = matched.iter().map(|m| m.name()).collect();
    names.dedup();
    let why = if before == "Guaranteed" {
        "do not have requests equal to their cpu and memory limits"
    } else {
        "set requests or limits"
    };
    cx.push(&SSL_060, t.resource, pod_spec(t).key("containers"), format!("injecting SidecarSet {} turns these {before} pods {after}: sidecar(s) {} {why}; eviction order, OOM scores and CPU pinning change", names.join(", "), added.join(", ")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn qos_classes() {
        let pod = |containers: Value| json!({"containers": containers});
        let r = |res: Value| json!({"name": "c", "resources": res});
        assert_eq!(qos_class(&pod(json!([{"name": "c"}]))), "BestEffort");
        // Limits only: requests default to them.
        let g = r(json!({"limits": {"cpu": "1", "memory": "1Gi"}}));
        assert_eq!(qos_class(&pod(json!([g]))), "Guaranteed");
        let eq = r(
            json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}),
        );
        assert_eq!(qos_class(&pod(json!([eq]))), "Guaranteed");
        let lower =
            r(json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}));
        assert_eq!(qos_class(&pod(json!([lower]))), "Burstable");
        let cpu_only = r(json!({"limits": {"cpu": "1"}}));
        assert_eq!(qos_class(&pod(json!([cpu_only]))), "Burstable");
        // Init containers count; zero requests do not.
        let spec = json!({"containers": [g.clone()], "initContainers": [{"name": "i"}]});
        assert_eq!(qos_class(&spec), "Burstable");
        assert_eq!(
            qos_class(&pod(json!([r(json!({"requests": {"cpu": "0"}}))]))),
            "BestEffort"
        );
    }

    #[test]
    fn memory_word() {
        assert!(mentions_memory("memory*2"));
        assert!(mentions_memory("max(memory, 1Gi)"));
        assert!(!mentions_memory("MEMORY*2"));
        assert!(!mentions_memory("memory_x"));
        assert!(!mentions_memory("0.5"));
    }
}
