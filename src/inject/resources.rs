//! `resourcesPolicy`: a sidecar's resources computed from the app
//! containers' at pod creation (injection.md §8).

use super::Rejection;
use crate::calculator::{self, Val};
use crate::quantity::{Format, Quantity};
use serde_json::{Map, Value};
use std::collections::HashSet;

fn reject(message: String) -> Rejection {
    Rejection {
        message,
        path: None,
    }
}

/// The pod containers the policy aggregates over (§8.1).
fn targets<'a>(
    pod: &'a Value,
    regex: &str,
    excluded: &HashSet<String>,
) -> Result<Vec<&'a Value>, Rejection> {
    let re = regex::Regex::new(regex).map_err(|e| {
        reject(format!(
            "failed to get target containers: invalid regex pattern {regex:?}: {e}"
        ))
    })?;
    let list = |k: &str| {
        pod.pointer(&format!("/spec/{k}"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
    };
    let ok = |c: &&Value| {
        let n = c.get("name").and_then(Value::as_str).unwrap_or("");
        re.is_match(n) && !excluded.contains(n)
    };
    let out: Vec<&Value> = list("initContainers")
        .iter()
        .filter(|c| c.get("restartPolicy").and_then(Value::as_str) == Some("Always"))
        .filter(ok)
        .chain(list("containers").iter().filter(ok))
        .collect();
    if out.is_empty() {
        return Err(reject(format!(
            "no containers match the regex pattern {regex:?}"
        )));
    }
    Ok(out)
}

fn quantity_of(c: &Value, kind: &str, res: &str) -> Result<Option<Quantity>, Rejection> {
    match c.pointer(&format!("/resources/{kind}/{res}")) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => crate::quantity::from_json(v)
            .map(Some)
            .map_err(|e| reject(format!("invalid quantity: {e}"))),
    }
}

/// Aggregated (limit, request) of one resource over the targets (§8.2).
fn aggregate(
    targets: &[&Value],
    mode: &str,
    res: &str,
) -> Result<(Option<Quantity>, Option<Quantity>), Rejection> {
    let mut limits = Vec::with_capacity(targets.len());
    let mut requests = Vec::new();
    for c in targets {
        limits.push(quantity_of(c, "limits", res)?);
        if let Some(q) = quantity_of(c, "requests", res)? {
            requests.push(q);
        }
    }
    let all_limited = limits.iter().all(Option::is_some);
    let limits: Vec<Quantity> = limits.into_iter().flatten().collect();
    let sum = |qs: &[Quantity]| {
        let mut total = Quantity::new(0, Format::DecimalSI);
        for (i, q) in qs.iter().enumerate() {
            if i == 0 {
                total.set_format(q.format());
            }
            total.add(q);
        }
        total
    };
    let max = |qs: &[Quantity]| {
        let mut best: Option<Quantity> = None;
        for q in qs {
            if best
                .as_ref()
                .is_none_or(|b| q.cmp_value(b) == std::cmp::Ordering::Greater)
            {
                best = Some(q.clone());
            }
        }
        best
    };
    Ok(match mode {
        "sum" => {
            let l = all_limited.then(|| sum(&limits));
            let r = sum(&requests);
            (l, (!r.is_zero()).then_some(r))
        }
        "max" => (
            if all_limited { max(&limits) } else { None },
            max(&requests),
        ),
        _ => (None, None),
    })
}

fn evaluate(expr: &str, aggregated: Quantity, what: &str) -> Result<Quantity, Rejection> {
    let is_memory = regex::Regex::new(r"\bmemory\b")
        .map(|re| re.is_match(expr))
        .unwrap_or(false);
    let variable = if is_memory { "memory" } else { "cpu" };
    let fail = |e: calculator::ExprError| {
        reject(format!(
            "failed to evaluate {what} expression: failed to parse expression {expr:?}: {e}"
        ))
    };
    match calculator::evaluate(expr, variable, Val::Qty(aggregated)).map_err(fail)? {
        Val::Qty(q) => Ok(q),
        Val::Num(n) if is_memory => Ok(Quantity::new(n.trunc() as i64, Format::DecimalSI)),
        Val::Num(n) => Ok(Quantity::new_milli(
            (n * 1000.0).trunc() as i64,
            Format::DecimalSI,
        )),
    }
}

/// Replaces `container.resources` as the policy computes it.
pub(crate) fn apply(
    container: &mut Map<String, Value>,
    policy: &Value,
    pod: &Value,
    excluded: &HashSet<String>,
) -> Result<(), Rejection> {
    let regex = policy
        .get("targetContainersNameRegex")
        .and_then(Value::as_str)
        .unwrap_or(".*");
    let mode = policy
        .get("targetContainersMode")
        .and_then(Value::as_str)
        .unwrap_or("");
    let targets = targets(pod, regex, excluded)?;
    let mut limits = Map::new();
    let mut requests = Map::new();
    for (res, label) in [("cpu", "CPU"), ("memory", "memory")] {
        let (agg_limit, agg_request) = aggregate(&targets, mode, res)?;
        let expr = |kind: &str| {
            policy
                .pointer(&format!("/resourcesExpr/{kind}/{res}"))
                .and_then(Value::as_str)
                .filter(|e| !e.is_empty())
        };
        if let (Some(e), Some(agg)) = (expr("limits"), agg_limit) {
            let q = evaluate(e, agg, &format!("{label} limits"))?;
            limits.insert(res.into(), Value::String(q.to_go_string()));
        }
        if let Some(e) = expr("requests") {
            let agg = agg_request.unwrap_or_else(|| Quantity::new(0, Format::DecimalSI));
            let q = evaluate(e, agg, &format!("{label} requests"))?;
            requests.insert(res.into(), Value::String(q.to_go_string()));
        }
    }
    let mut resources = Map::new();
    if !limits.is_empty() {
        resources.insert("limits".into(), Value::Object(limits));
    }
    if !requests.is_empty() {
        resources.insert("requests".into(), Value::Object(requests));
    }
    container.insert("resources".into(), Value::Object(resources));
    Ok(())
}
