//! The SidecarSet validating webhook (`pkg/webhook/sidecarset/validating/
//! sidecarset_create_update_handler.go:validateSidecarSet`) as `SSV-*` rules,
//! run on the object the webhook sees (defaulted, v1beta1).

use super::core::{self, label_value, qualified_name, Ctr};
use super::model::{arr, q, s, SidecarSet, World};
use super::{finding, overlap, Finding, Input, Severity};
use crate::calculator as calc;
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Collects one SidecarSet's findings.
struct Out<'o> {
    v: &'o mut Vec<Finding>,
    resource: usize,
    /// Errors of §2–§4; the cross-SidecarSet checks run only without them.
    errors: usize,
}

impl Out<'_> {
    fn push(&mut self, rule: &str, path: JsonPath, message: String) {
        let f = finding(rule, self.resource, path, message);
        if f.severity == Severity::Error {
            self.errors += 1;
        }
        self.v.push(f);
    }

    fn push_with(&mut self, rule: &str, severity: Severity, path: JsonPath, message: String) {
        let mut f = finding(rule, self.resource, path, message);
        f.severity = severity;
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.v.push(f);
    }
}

fn spec_path() -> JsonPath {
    JsonPath::keys(&["spec"])
}

pub fn check(world: &World<'_>, input: &Input<'_>, out: &mut Vec<Finding>) {
    // Others as the cluster would list them: the inputs, plus old versions
    // (`--from`) of SidecarSets that are not being changed.
    let input_names: HashSet<&str> = world.sidecar_sets.iter().map(SidecarSet::name).collect();
    let mut others: Vec<(&str, &Value)> = world
        .sidecar_sets
        .iter()
        .filter_map(|s| s.stored.as_ref().ok().map(|v| (s.name(), v)))
        .collect();
    let mut old_only: Vec<(&String, &Value)> = world
        .old
        .iter()
        .filter(|(n, _)| !input_names.contains(n.as_str()))
        .collect();
    old_only.sort_by(|a, b| a.0.cmp(b.0));
    others.extend(old_only.into_iter().map(|(n, v)| (n.as_str(), v)));
    let others = Others::new(&others);

    for ss in &world.sidecar_sets {
        let mut o = Out {
            v: out,
            resource: ss.resource,
            errors: 0,
        };
        let stored = match &ss.stored {
            Ok(v) => v,
            Err(e) => {
                o.push("SSV-000", e.path.clone(), e.to_string());
                continue;
            }
        };
        metadata(&mut o, ss.raw, stored);
        spec(&mut o, world, input, stored);
        if let Some(old) = world.old.get(ss.name()) {
            update(&mut o, stored, old);
        }
        if o.errors == 0 {
            conflicts(&mut o, stored, &others);
        }
    }
}

fn metadata(o: &mut Out<'_>, raw: &Value, stored: &Value) {
    let name = super::model::str_at(stored, "/metadata/name");
    let np = JsonPath::keys(&["metadata", "name"]);
    if name.is_empty() {
        o.push(
            "SSV-001",
            np,
            "metadata.name: Required value: name or generateName is required".into(),
        );
        return;
    }
    let re_ok = name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if !re_ok {
        o.push(
            "SSV-001",
            np.clone(),
            format!("metadata.name: Invalid value: {}: sidecarset name must consist of alphanumeric characters or '-' (e.g. 'example-com', regex used for validation is '^[a-zA-Z0-9\\-]+$')", q(name)),
        );
    }
    if name.len() > 63 {
        o.push(
            "SSV-002",
            np.clone(),
            format!(
                "metadata.name: Invalid value: {}: must be no more than 63 characters",
                q(name)
            ),
        );
    }
    if re_ok && name.len() <= 63 {
        for m in core::dns1123_subdomain(name) {
            o.push(
                "SSV-003",
                np.clone(),
                format!("metadata.name: Invalid value: {}: {m}", q(name)),
            );
        }
    }
    if !super::model::str_at(raw, "/metadata/namespace").is_empty() {
        o.push(
            "SSV-004",
            JsonPath::keys(&["metadata", "namespace"]),
            "metadata.namespace: Forbidden: not allowed on this type".into(),
        );
    }
    if let Some(labels) = stored
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
    {
        for (k, v) in labels {
            let p = JsonPath::keys(&["metadata", "labels"]).key(k.as_str());
            for m in qualified_name(k) {
                o.push(
                    "SSV-004",
                    p.clone(),
                    format!("metadata.labels: Invalid value: {}: {m}", q(k)),
                );
            }
            for m in label_value(v.as_str().unwrap_or_default()) {
                o.push(
                    "SSV-004",
                    p.clone(),
                    format!(
                        "metadata.labels: Invalid value: {}: {m}",
                        q(v.as_str().unwrap_or_default())
                    ),
                );
            }
        }
    }
    annotations(
        o,
        stored
            .pointer("/metadata/annotations")
            .and_then(Value::as_object),
        &JsonPath::keys(&["metadata", "annotations"]),
        "SSV-004",
    );
}

fn annotations(o: &mut Out<'_>, ann: Option<&Map<String, Value>>, p: &JsonPath, rule: &str) {
    let Some(ann) = ann else { return };
    let mut total = 0usize;
    for (k, v) in ann {
        total += k.len() + v.as_str().map_or(0, str::len);
        for m in qualified_name(&k.to_ascii_lowercase()) {
            o.push(
                rule,
                p.clone().key(k.as_str()),
                format!("{p}: Invalid value: {}: {m}", q(k)),
            );
        }
    }
    if total > 256 * 1024 {
        o.push(
            rule,
            p.clone(),
            format!("{p}: Too long: must have at most 262144 bytes"),
        );
    }
}

/// `validateSelector`: `ValidateLabelSelector` plus non-empty.
fn selector(o: &mut Out<'_>, rule: &str, v: &Value, p: &JsonPath) {
    let sel = match LabelSelector::decode(Some(v), p) {
        Ok(Some(sel)) => sel,
        Ok(None) => return,
        Err(e) => {
            o.push(rule, e.path.clone(), e.to_string());
            return;
        }
    };
    for (k, val) in &sel.match_labels {
        let lp = p.clone().key("matchLabels").key(k.as_str());
        for m in qualified_name(k) {
            o.push(
                rule,
                lp.clone(),
                format!("{lp}: Invalid value: {}: {m}", q(k)),
            );
        }
        for m in label_value(val) {
            o.push(
                rule,
                lp.clone(),
                format!("{lp}: Invalid value: {}: {m}", q(val)),
            );
        }
    }
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let ep = p.clone().key("matchExpressions").index(i);
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    let vp = ep.clone().key("values");
                    o.push(rule, vp.clone(), format!("{vp}: Required value: must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    let vp = ep.clone().key("values");
                    o.push(rule, vp.clone(), format!("{vp}: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            other => {
                let op = ep.clone().key("operator");
                o.push(
                    rule,
                    op.clone(),
                    format!(
                        "{op}: Invalid value: {}: not a valid selector operator",
                        q(other)
                    ),
                );
            }
        }
        let kp = ep.clone().key("key");
        for m in qualified_name(&e.key) {
            o.push(
                rule,
                kp.clone(),
                format!("{kp}: Invalid value: {}: {m}", q(&e.key)),
            );
        }
        for (j, val) in e.values.iter().enumerate() {
            let vp = ep.clone().key("values").index(j);
            for m in label_value(val) {
                o.push(
                    rule,
                    vp.clone(),
                    format!("{vp}: Invalid value: {}: {m}", q(val)),
                );
            }
        }
    }
    if sel.is_empty() {
        o.push(
            rule,
            p.clone(),
            format!("{p}: Invalid value: {{}}: empty selector is not valid for sidecarset."),
        );
    }
}

fn is_set(v: Option<&Value>) -> Option<&Value> {
    v.filter(|x| !x.is_null())
}

fn spec(o: &mut Out<'_>, world: &World<'_>, input: &Input<'_>, stored: &Value) {
    let sp = stored.get("spec").unwrap_or(&Value::Null);
    let p = spec_path();
    let strategy_type = super::model::str_at(sp, "/updateStrategy/type");
    for (i, c) in arr(sp, "initContainers").iter().enumerate() {
        if s(c, "restartPolicy") == "Always" && strategy_type == "RollingUpdate" {
            o.push(
                "SSV-010",
                p.clone().key("initContainers").index(i).key("restartPolicy"),
                "spec.updateStrategy: Required value: The initContainer in-place upgrade is not currently supported.".into(),
            );
        }
    }
    match is_set(sp.get("selector")) {
        None => o.push(
            "SSV-020",
            p.clone(),
            "spec.selector: Required value: no selector defined for SidecarSet".into(),
        ),
        Some(sel) => selector(o, "SSV-021", sel, &p.clone().key("selector")),
    }
    // An empty selector is its own rule.
    retag_empty(o, "SSV-021", "SSV-022");
    if let Some(ns) = is_set(sp.get("namespaceSelector")) {
        selector(o, "SSV-023", ns, &p.clone().key("namespaceSelector"));
    }
    injection_strategy(o, world, stored, sp);
    update_strategy(o, sp);
    containers(o, sp);
    patch_metadata(o, world, input, stored, sp);
}

/// Findings of `from` about an empty selector become `to`.
fn retag_empty(o: &mut Out<'_>, from: &str, to: &str) {
    for f in
        o.v.iter_mut()
            .rev()
            .take_while(|f| f.resource == o.resource)
    {
        if f.rule == from
            && f.message
                .ends_with("empty selector is not valid for sidecarset.")
        {
            let r = super::registry::get(to);
            f.rule = to.to_string();
            f.help = r.map(|r| r.help.to_string());
        }
    }
}

fn injection_strategy(o: &mut Out<'_>, world: &World<'_>, stored: &Value, sp: &Value) {
    let Some(rev) = is_set(sp.pointer("/injectionStrategy/revision")) else {
        return;
    };
    let p = JsonPath::keys(&["spec", "injectionStrategy", "revision"]);
    let name = is_set(rev.get("revisionName")).and_then(Value::as_str);
    let custom = is_set(rev.get("customVersion")).and_then(Value::as_str);
    if name.is_none() && custom.is_none() {
        o.push("SSV-030", p.clone(), format!("revision: Invalid value: {}: revisionName and customVersion cannot be empty simultaneously", rev));
    } else {
        let ss_name = super::model::str_at(stored, "/metadata/name");
        let found = world.has_revision(name, ss_name, custom);
        if !found {
            let what = match name {
                Some(n) => format!("revisionName {}", q(n)),
                None => format!("customVersion {}", q(custom.unwrap_or_default())),
            };
            if world.revisions.is_empty() {
                o.push_with("SSV-031", Severity::Warning, p.clone(), format!("cannot check that the ControllerRevision for {what} exists: no ControllerRevisions in the input; the webhook rejects the SidecarSet if it does not"));
            } else {
                o.push_with("SSV-031", Severity::Error, p.clone(), format!("revision: Invalid value: null: Cannot find specific ControllerRevision for {what}"));
            }
        }
    }
    let policy = s(rev, "policy");
    if !matches!(policy, "" | "Always" | "Partial") {
        o.push("SSV-032", p.key("policy"), format!("revision.policy: Invalid value: {}: Invalid policy {policy}, supported: [Always, Partial]", q(policy)));
    }
}

/// `ValidatePositiveIntOrPercent`.
fn int_or_percent(o: &mut Out<'_>, rule: &str, v: &Value, p: JsonPath) {
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

fn update_strategy(o: &mut Out<'_>, sp: &Value) {
    let us = sp.get("updateStrategy").unwrap_or(&Value::Null);
    if s(us, "type") != "RollingUpdate" {
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
            "SSV-040",
            p.clone().key("partition"),
            format!(
                "updateStrategy: Invalid value: {}: Partition and Selector cannot be used together",
                q(&us.to_string())
            ),
        );
    }
    if let Some(sel) = is_set(us.get("selector")) {
        selector(o, "SSV-041", sel, &p.clone().key("selector"));
    }
    if let Some(v) = partition {
        int_or_percent(o, "SSV-042", v, p.clone().key("partition"));
    }
    if let Some(v) = is_set(us.get("maxUnavailable")) {
        int_or_percent(o, "SSV-043", v, p.clone().key("maxUnavailable"));
    }
    if let Some(ps) = is_set(us.get("priorityStrategy")) {
        priority(o, ps, p.clone().key("priorityStrategy"));
    }
    scatter(o, us, p.key("scatterStrategy"));
}

/// `UpdatePriorityStrategy.FieldsValidation`: the first error only.
fn priority(o: &mut Out<'_>, ps: &Value, p: JsonPath) {
    let weights = arr(ps, "weightPriority");
    let orders = arr(ps, "orderPriority");
    let msg = |d: &str| format!("spec.updateStrategy.priorityStrategy: Required value: {d}");
    if !weights.is_empty() && !orders.is_empty() {
        o.push(
            "SSV-044",
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
                "SSV-045",
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
                "SSV-046",
                wp.key("matchSelector"),
                msg("selector can not be empty"),
            );
            return;
        }
        if let Some(err) = as_selector_error(&sel) {
            o.push(
                "SSV-047",
                wp.key("matchSelector"),
                msg(&format!("invalid selector {err}")),
            );
            return;
        }
    }
    for (i, w) in orders.iter().enumerate() {
        if s(w, "orderedKey").is_empty() {
            o.push(
                "SSV-048",
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

fn scatter(o: &mut Out<'_>, us: &Value, p: JsonPath) {
    let mut seen = HashSet::new();
    for (i, t) in arr(us, "scatterStrategy").iter().enumerate() {
        let (k, v) = (s(t, "key"), s(t, "value"));
        let msg = |d: String| format!("spec.updateStrategy.scatterStrategy: Required value: {d}");
        if k.is_empty() {
            o.push(
                "SSV-049",
                p.clone().index(i).key("key"),
                msg("key should not be empty".into()),
            );
            return;
        }
        if !seen.insert((k, v)) {
            o.push(
                "SSV-049",
                p.clone().index(i),
                msg(format!("duplicated key={k} value={v}")),
            );
            return;
        }
    }
}

fn containers(o: &mut Out<'_>, sp: &Value) {
    let p = spec_path();
    let init = arr(sp, "initContainers");
    let ctrs = arr(sp, "containers");
    if init.is_empty() && ctrs.is_empty() {
        o.push(
            "SSV-050",
            p.clone().key("containers"),
            "spec: Required value: no initContainer or container defined for SidecarSet".into(),
        );
        return;
    }
    let mut init_ctrs = Vec::with_capacity(init.len());
    for (i, c) in init.iter().enumerate() {
        let cp = p.clone().key("initContainers").index(i);
        if let Some(rp) = is_set(c.get("resourcesPolicy")) {
            if s(c, "restartPolicy") != "Always" {
                o.push("SSV-054", cp.clone().key("resourcesPolicy"), format!("{cp}.resourcesPolicy: Invalid value: {}: resourcesPolicy is only supported for containers with RestartPolicy Always", rp));
            }
            resources_policy(o, c, rp, cp.clone().key("resourcesPolicy"));
        }
        init_ctrs.push(Ctr {
            c,
            path: cp,
            init: true,
        });
    }
    let mut main_ctrs = Vec::with_capacity(ctrs.len());
    for (i, c) in ctrs.iter().enumerate() {
        let cp = p.clone().key("containers").index(i);
        let pol = s(c, "podInjectPolicy");
        if !matches!(pol, "BeforeAppContainer" | "AfterAppContainer") {
            o.push("SSV-051", cp.clone().key("podInjectPolicy"), format!("spec.container.podInjectPolicy: Invalid value: {}: unsupported pod inject policy", q(pol)));
        }
        let svp = super::model::str_at(c, "/shareVolumePolicy/type");
        if !matches!(svp, "enabled" | "disabled") {
            o.push("SSV-052", cp.clone().key("shareVolumePolicy"), format!("spec.container.shareVolumePolicy: Invalid value: {}: unsupported share volume policy", q(svp)));
        }
        transfer_env(o, c, &cp);
        if let Some(rp) = is_set(c.get("resourcesPolicy")) {
            resources_policy(o, c, rp, cp.clone().key("resourcesPolicy"));
        }
        main_ctrs.push(Ctr {
            c,
            path: cp,
            init: false,
        });
    }
    for e in core::validate_pod(
        &init_ctrs,
        &main_ctrs,
        arr(sp, "volumes"),
        &p.clone().key("volumes"),
    ) {
        o.push(e.rule, e.path, e.message);
    }
}

fn transfer_env(o: &mut Out<'_>, c: &Value, cp: &JsonPath) {
    for (i, t) in arr(c, "transferEnv").iter().enumerate() {
        let Some(fr) = is_set(t.pointer("/sourceContainerNameFrom/fieldRef")) else {
            continue;
        };
        let fp = cp
            .clone()
            .key("transferEnv")
            .index(i)
            .key("sourceContainerNameFrom")
            .key("fieldRef");
        let (api, path) = (s(fr, "apiVersion"), s(fr, "fieldPath"));
        if api.is_empty() {
            o.push(
                "SSV-053",
                fp.clone().key("apiVersion"),
                format!("{fp}.apiVersion: Required value"),
            );
            continue;
        }
        if path.is_empty() {
            o.push(
                "SSV-053",
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
                "SSV-053",
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
                    "SSV-053",
                    fp.clone().key("fieldPath"),
                    format!("{fp}: Invalid value: {}: {m}", q(key)),
                );
            }
        }
    }
}

fn resources_policy(o: &mut Out<'_>, c: &Value, rp: &Value, p: JsonPath) {
    // The CRD schema (enum, required) is checked by the API server first.
    let mode = s(rp, "targetContainersMode");
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
        o.push("SSV-05A", mp, detail);
    }
    let has = |k: &str| {
        c.pointer(&format!("/resources/{k}"))
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    if has("limits") || has("requests") {
        o.push("SSV-055", p.clone(), format!("{p}: Invalid value: {rp}: resourcesPolicy and resources cannot be configured together"));
        return;
    }
    let re = s(rp, "targetContainersNameRegex");
    if re.is_empty() {
        o.push(
            "SSV-056",
            p.clone().key("targetContainersNameRegex"),
            format!("{p}.targetContainersNameRegex: Required value: invalid empty regex"),
        );
    } else if let Err(e) = regex::Regex::new(re) {
        o.push(
            "SSV-057",
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
        o.push("SSV-058", ep.clone(), format!("{ep}: Invalid value: {expr}: at least one of limits or requests must be configured"));
        return;
    }
    for (kind, m) in [("limits", limits), ("requests", requests)] {
        let Some(m) = m else { continue };
        for var in ["cpu", "memory"] {
            let e = s(m, var);
            if e.is_empty() {
                continue;
            }
            if let Err(err) = calc::validate(e, var) {
                let fp = ep.clone().key(kind).key(var);
                o.push(
                    "SSV-059",
                    fp.clone(),
                    format!("{fp}: Invalid value: {}: {err}", q(e)),
                );
            }
        }
    }
}

fn patch_metadata(
    o: &mut Out<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    stored: &Value,
    sp: &Value,
) {
    let patches = arr(sp, "patchPodMetadata");
    let p = spec_path().key("patchPodMetadata");
    if !patches.is_empty() {
        whitelist(o, world, input, stored, patches, &p);
    }
    let mut keys: HashSet<&str> = HashSet::new();
    for (i, patch) in patches.iter().enumerate() {
        let pp = p.clone().index(i);
        let ann = patch
            .get("annotations")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty());
        match ann {
            None => o.push(
                "SSV-063",
                pp.clone(),
                "spec.patchPodMetadata: Required value: no annotations defined for SidecarSet"
                    .into(),
            ),
            Some(a) => annotations(o, Some(a), &pp.clone().key("annotations"), "SSV-064"),
        }
        // Go iterates the map in random order; key order here.
        let mut ks: Vec<&String> = ann.map(|a| a.keys().collect()).unwrap_or_default();
        ks.sort();
        for k in ks {
            if !keys.insert(k) {
                o.push("SSV-066", pp.clone().key("annotations").key(k.as_str()), format!("spec.patchPodMetadata: Required value: patch annotation[{k}] already exist"));
            }
        }
    }
}

/// `ValidateSidecarSetPatchMetadataWhitelist`.
fn whitelist(
    o: &mut Out<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    stored: &Value,
    patches: &[Value],
    p: &JsonPath,
) {
    let allowed_by_gate = input.gates.patch_pod_metadata_defaults_allowed;
    let msg = |d: &str| format!("spec.patchPodMetadata: Required value: {d}");
    let text = match world.whitelist {
        // No ConfigMap among the inputs: judge as a cluster without one
        // (a default installation), which the webhook rejects.
        None => {
            if !allowed_by_gate {
                o.push("SSV-060", p.clone(), msg("SidecarSet patch metadata whitelist not found (no kruise-configuration ConfigMap with key SidecarSet_PatchPodMetadata_WhiteList in the input)"));
            }
            return;
        }
        Some(None) => {
            if !allowed_by_gate {
                o.push_with(
                    "SSV-060",
                    Severity::Error,
                    p.clone(),
                    msg("SidecarSet patch metadata whitelist not found"),
                );
            }
            return;
        }
        Some(Some(t)) => t,
    };
    let wl: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            o.push("SSV-060", p.clone(), msg(&e.to_string()));
            return;
        }
    };
    let labels = stored
        .pointer("/metadata/labels")
        .and_then(Value::as_object);
    let mut regs = Vec::new();
    for rule in arr(&wl, "rules") {
        if let Some(sel) = is_set(rule.get("selector")) {
            let parsed = LabelSelector::decode(Some(sel), &JsonPath::root())
                .ok()
                .flatten()
                .map(|l| l.to_selector());
            match parsed {
                Some(Ok(sel)) if sel.matches(labels) => {}
                Some(Err(e)) => {
                    o.push_with("SSV-061", Severity::Error, p.clone(), msg(&e.to_string()));
                    return;
                }
                _ => continue,
            }
        }
        for expr in arr(rule, "allowedAnnotationKeyExprs")
            .iter()
            .filter_map(Value::as_str)
        {
            match regex::Regex::new(expr) {
                Ok(r) => regs.push(r),
                Err(e) => {
                    o.push("SSV-061", p.clone(), msg(&e.to_string()));
                    return;
                }
            }
        }
    }
    if regs.is_empty() {
        if !allowed_by_gate {
            o.push(
                "SSV-061",
                p.clone(),
                msg("sidecarSet patch metadata annotation is not allowed"),
            );
        }
        return;
    }
    for (i, patch) in patches.iter().enumerate() {
        let Some(ann) = patch.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        let mut ks: Vec<&String> = ann.keys().collect();
        ks.sort();
        for k in ks {
            if !regs.iter().any(|r| r.is_match(k)) {
                o.push(
                    "SSV-062",
                    p.clone().index(i).key("annotations").key(k.as_str()),
                    msg(&format!(
                        "sidecarSet patch metadata annotation({k}) is not allowed"
                    )),
                );
                return;
            }
        }
    }
}

/// `validateSidecarContainerConflict` (UPDATE).
fn update(o: &mut Out<'_>, new: &Value, old: &Value) {
    let old_types: HashMap<&str, &str> = arr(&old["spec"], "containers")
        .iter()
        .map(|c| {
            (
                s(c, "name"),
                super::model::str_at(c, "/upgradeStrategy/upgradeType"),
            )
        })
        .collect();
    for (i, c) in arr(&new["spec"], "containers").iter().enumerate() {
        let name = s(c, "name");
        let cp = spec_path().key("containers").index(i);
        match old_types.get(name) {
            None => o.push(
                "SSV-070",
                cp.key("name"),
                format!(
                    "spec.containers.name: Invalid value: {}: container {name} is not found",
                    q(name)
                ),
            ),
            Some(t) => {
                let now = super::model::str_at(c, "/upgradeStrategy/upgradeType");
                if !t.is_empty() && now != *t {
                    o.push("SSV-071", cp.key("upgradeStrategy").key("upgradeType"), format!("spec.containers.upgradeStrategy.upgradeType: Invalid value: {}: container {name} upgradeType is immutable", q(name)));
                }
            }
        }
    }
}

/// The SidecarSets `validateSidecarConflict` compares a SidecarSet with,
/// indexed by the names it compares: a SidecarSet is checked against those
/// that share a name with it, not against every other (which is quadratic in
/// the SidecarSets). Each index lists, in `list` order, the SidecarSets that
/// have the name, with what the webhook keeps of the last one in each.
struct Others<'a> {
    list: Vec<Other<'a>>,
    init: HashMap<&'a str, Vec<(usize, ())>>,
    containers: HashMap<&'a str, Vec<(usize, ())>>,
    volumes: HashMap<&'a str, Vec<(usize, &'a Value)>>,
    /// Annotation keys of patches other than Retain, with the patch's policy.
    annotations: HashMap<&'a str, Vec<(usize, &'a str)>>,
}

struct Other<'a> {
    name: &'a str,
    scope: overlap::Scope,
}

impl<'a> Others<'a> {
    fn new(others: &[(&'a str, &'a Value)]) -> Self {
        fn add<'a, T>(m: &mut HashMap<&'a str, Vec<(usize, T)>>, k: &'a str, i: usize, t: T) {
            let at = m.entry(k).or_default();
            match at.last_mut() {
                // Within one SidecarSet the last entry of a name wins.
                Some((j, last)) if *j == i => *last = t,
                _ => at.push((i, t)),
            }
        }
        let mut o = Others {
            list: Vec::with_capacity(others.len()),
            init: HashMap::new(),
            containers: HashMap::new(),
            volumes: HashMap::new(),
            annotations: HashMap::new(),
        };
        for (i, (name, y)) in others.iter().enumerate() {
            let ys = &y["spec"];
            o.list.push(Other {
                name,
                scope: overlap::Scope::of(ys),
            });
            for c in arr(ys, "initContainers") {
                add(&mut o.init, s(c, "name"), i, ());
            }
            for c in arr(ys, "containers") {
                add(&mut o.containers, s(c, "name"), i, ());
            }
            for v in arr(ys, "volumes") {
                add(&mut o.volumes, s(v, "name"), i, v);
            }
            for patch in arr(ys, "patchPodMetadata") {
                let policy = s(patch, "patchPolicy");
                if policy == "Retain" {
                    continue;
                }
                if let Some(a) = patch.get("annotations").and_then(Value::as_object) {
                    for k in a.keys() {
                        add(&mut o.annotations, k, i, policy);
                    }
                }
            }
        }
        o
    }
}

/// One SidecarSet against the others, with the overlaps found so far.
struct Seen<'o, 'a> {
    others: &'o Others<'a>,
    name: &'o str,
    scope: overlap::Scope,
    overlapping: HashMap<usize, bool>,
}

impl<'o> Seen<'o, '_> {
    /// The last entry of `key` in `index` whose SidecarSet is another one
    /// that overlaps this one: what the webhook's maps hold for `key` after
    /// walking every overlapping SidecarSet in list order.
    fn last<T>(
        &mut self,
        index: &'o HashMap<&str, Vec<(usize, T)>>,
        key: &str,
    ) -> Option<&'o (usize, T)> {
        let at = index.get(key)?;
        at.iter().rev().find(|(i, _)| {
            let other = &self.others.list[*i];
            other.name != self.name
                && *self
                    .overlapping
                    .entry(*i)
                    .or_insert_with(|| self.scope.overlaps(&other.scope))
        })
    }
}

/// `validateSidecarConflict`.
fn conflicts(o: &mut Out<'_>, x: &Value, others: &Others<'_>) {
    let xs = &x["spec"];
    let mut seen = Seen {
        others,
        name: super::model::str_at(x, "/metadata/name"),
        scope: overlap::Scope::of(xs),
        overlapping: HashMap::new(),
    };
    let sp = spec_path();
    for (list, index, rule) in [
        ("initContainers", &others.init, "SSV-080"),
        ("containers", &others.containers, "SSV-081"),
    ] {
        for (i, c) in arr(xs, list).iter().enumerate() {
            let n = s(c, "name");
            if let Some((j, ())) = seen.last(index, n) {
                let other = others.list[*j].name;
                o.push(rule, sp.clone().key(list).index(i).key("name"), format!("spec.containers: Invalid value: {}: container {n} already exist in {other}", q(n)));
            }
        }
    }
    for (i, v) in arr(xs, "volumes").iter().enumerate() {
        let n = s(v, "name");
        if let Some((j, theirs)) = seen.last(&others.volumes, n) {
            if *theirs != v {
                let other = others.list[*j].name;
                o.push("SSV-082", sp.clone().key("volumes").index(i), format!("spec.volumes: Invalid value: {}: volume {n} is in conflict with sidecarset {other}", q(n)));
            }
        }
    }
    for (i, patch) in arr(xs, "patchPodMetadata").iter().enumerate() {
        let policy = s(patch, "patchPolicy");
        if policy == "Retain" {
            continue;
        }
        let Some(a) = patch.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        for k in a.keys() {
            if let Some((j, theirs)) = seen.last(&others.annotations, k) {
                if policy == "Overwrite" || *theirs == "Overwrite" {
                    let other = others.list[*j].name;
                    o.push("SSV-083", sp.clone().key("patchPodMetadata").index(i).key("annotations").key(k.as_str()), format!("spec.patchPodMetadata: Invalid value: {}: annotation {k} is in conflict with sidecarset {other}", q(k)));
                }
            }
        }
    }
}
