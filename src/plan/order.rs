//! The controller's order of waiting pods (rollout.md §5): default
//! `ActivePods` order, then priority, then scatter, each a stable reordering.

use crate::selector::LabelSelector;
use crate::value::{str_at, At};
use serde_json::Value;
use std::cmp::Ordering;

fn ready_condition(pod: &Value) -> Option<&Value> {
    pod.at("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
}

pub(crate) fn is_ready_condition(pod: &Value) -> bool {
    ready_condition(pod)
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        == Some("True")
}

fn phase_rank(pod: &Value) -> u8 {
    match str_at(pod, "/status/phase") {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

fn max_restarts(pod: &Value) -> i64 {
    pod.at("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
        .max()
        .unwrap_or(0)
}

/// "zero first, then more recent first" on RFC 3339 texts.
fn recent_first(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => b.cmp(a),
    }
}

/// What `ActivePods.Less` reads of a pod, read once (and kept without the
/// pod, which may be decoded only for the read).
#[derive(Debug)]
pub(crate) struct ActiveKey {
    unscheduled: bool,
    phase: u8,
    ready: bool,
    ready_since: Box<str>,
    restarts: i64,
    created: Box<str>,
}

impl ActiveKey {
    pub(crate) fn of(p: &Value) -> ActiveKey {
        let ready = is_ready_condition(p);
        ActiveKey {
            unscheduled: str_at(p, "/spec/nodeName").is_empty(),
            phase: phase_rank(p),
            ready,
            ready_since: if ready {
                ready_condition(p)
                    .and_then(|c| c.get("lastTransitionTime"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            } else {
                ""
            }
            .into(),
            restarts: max_restarts(p),
            created: str_at(p, "/metadata/creationTimestamp").into(),
        }
    }

    /// `ActivePods.Less` of Kubernetes 1.32: "smaller" pods first.
    pub(crate) fn cmp(&self, b: &ActiveKey) -> Ordering {
        let a = self;
        if a.unscheduled != b.unscheduled {
            return if a.unscheduled {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let r = a.phase.cmp(&b.phase);
        if r != Ordering::Equal {
            return r;
        }
        if a.ready != b.ready {
            return if a.ready {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        if a.ready {
            let o = recent_first(&a.ready_since, &b.ready_since);
            if o != Ordering::Equal {
                return o;
            }
        }
        let o = b.restarts.cmp(&a.restarts);
        if o != Ordering::Equal {
            return o;
        }
        recent_first(&a.created, &b.created)
    }
}

/// `ActivePods.Less` of Kubernetes 1.32: "smaller" pods first.
#[cfg(test)]
pub(crate) fn active_pods_cmp(a: &Value, b: &Value) -> Ordering {
    ActiveKey::of(a).cmp(&ActiveKey::of(b))
}

fn labels(p: &Value) -> Option<&serde_json::Map<String, Value>> {
    p.at("/metadata/labels").and_then(Value::as_object)
}

/// Trailing ASCII digits of a label value as an integer (`sts-10` -> 10).
fn suffix_int(v: &str) -> i64 {
    let digits: String = v
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or(0)
}

/// §5.2 priority, stable.
#[cfg(test)]
pub(crate) fn by_priority(pods: &mut [&Value], strategy: Option<&Value>) {
    by_priority_of(pods, std::borrow::Cow::Borrowed, strategy);
}

/// [`by_priority`] over any pod handle, given how to read its pod (once per
/// pod, and only when the strategy sets a priority).
pub(crate) fn by_priority_of<'v, T: Copy>(
    pods: &mut [T],
    pod: impl Fn(T) -> std::borrow::Cow<'v, Value>,
    strategy: Option<&Value>,
) {
    let Some(st) = strategy else { return };
    if let Some(terms) = st
        .get("weightPriority")
        .and_then(Value::as_array)
        .filter(|t| !t.is_empty())
    {
        // Selectors are compiled once, keys computed once per pod.
        let compiled: Vec<(Option<crate::selector::Selector>, i64)> = terms
            .iter()
            .map(|t| {
                let sel =
                    LabelSelector::decode(t.get("matchSelector"), &crate::path::JsonPath::root())
                        .ok()
                        .flatten()
                        .and_then(|ls| ls.to_selector().ok());
                (sel, t.get("weight").and_then(Value::as_i64).unwrap_or(0))
            })
            .collect();
        let score = |p: &Value| -> i64 {
            compiled
                .iter()
                .filter(|(sel, _)| sel.as_ref().is_some_and(|sel| sel.matches(labels(p))))
                .map(|(_, w)| w)
                .sum()
        };
        // Stable, like sort.SliceStable.
        pods.sort_by_cached_key(|p| std::cmp::Reverse(score(&pod(*p))));
    } else if let Some(terms) = st
        .get("orderPriority")
        .and_then(Value::as_array)
        .filter(|t| !t.is_empty())
    {
        let keys: Vec<&str> = terms
            .iter()
            .map(|t| t.get("orderedKey").and_then(Value::as_str).unwrap_or(""))
            .collect();
        let key = |p: &Value| -> (i64, std::cmp::Reverse<i64>) {
            let l = labels(p);
            for (i, k) in keys.iter().enumerate() {
                if let Some(v) = l.and_then(|l| l.get(*k)).and_then(Value::as_str) {
                    return (i as i64, std::cmp::Reverse(suffix_int(v)));
                }
            }
            (-1, std::cmp::Reverse(0))
        };
        pods.sort_by_cached_key(|p| key(&pod(*p)));
    }
}

/// Go's math.Round on float64: half away from zero.
fn round(x: f64) -> usize {
    x.round() as usize
}

fn group(m: usize, u: usize) -> (usize, usize, usize) {
    let n = m.min(u);
    if n == 0 {
        return (0, 0, 0);
    }
    (n, round(m as f64 / n as f64), round(u as f64 / n as f64))
}

/// §5.3 scatter, one term.
fn scatter_one<'s, T: Copy>(
    w: Vec<T>,
    all: &[T],
    key: &str,
    value: &str,
    label: &impl Fn(T, &str) -> Option<&'s str>,
) -> Vec<T> {
    let label = |p: T, k: &str| label(p, k).unwrap_or("");
    let (mut matched, unmatched): (Vec<T>, Vec<T>) =
        w.iter().partition(|p| label(**p, key) == value);
    if matched.len() <= 1 || unmatched.len() <= 1 {
        return w;
    }
    let tm_all = all.iter().filter(|p| label(**p, key) == value).count();
    let tu = all.len() - tm_all;
    let last = matched.pop();
    let tm = tm_all.saturating_sub(1);
    let (mut n, mut msize, mut usize_, mut r) = {
        let (n, ms, us) = group(matched.len(), unmatched.len());
        (n, ms, us, 0usize)
    };
    let lhs = tu as f32 / tm as f32;
    let rhs = unmatched.len() as f32 / matched.len() as f32;
    // Go compares float32s; NaN (0/0) compares false and takes the second branch.
    let use_wait = matches!(
        lhs.partial_cmp(&rhs),
        Some(Ordering::Greater | Ordering::Equal)
    );
    if !use_wait {
        let (_, ms, us) = group(tm, tu);
        if ms > 0 && us > 0 {
            msize = ms;
            usize_ = us;
            n = (matched.len() / ms).min(unmatched.len() / us);
            r = unmatched.len() - n * us;
        }
    }
    let mut out = Vec::with_capacity(w.len());
    let (mut mi, mut ui) = (0usize, 0usize);
    while ui < r && ui < unmatched.len() {
        out.push(unmatched[ui]);
        ui += 1;
    }
    for _ in 0..n {
        for _ in 0..msize {
            if mi < matched.len() {
                out.push(matched[mi]);
                mi += 1;
            }
        }
        for _ in 0..usize_ {
            if ui < unmatched.len() {
                out.push(unmatched[ui]);
                ui += 1;
            }
        }
    }
    out.extend_from_slice(&matched[mi..]);
    out.extend_from_slice(&unmatched[ui..]);
    if let Some(l) = last {
        out.push(l);
    }
    out
}

/// §5.3: term expansion, ordering, then each term in turn.
#[cfg(test)]
pub(crate) fn scatter<'a>(
    waiting: Vec<&'a Value>,
    all: &[&'a Value],
    terms: &[Value],
) -> Vec<&'a Value> {
    scatter_by(waiting, all, terms, &|p: &'a Value, k: &str| {
        labels(p).and_then(|l| l.get(k)).and_then(Value::as_str)
    })
}

/// [`scatter`] over any pod handle, given how to read a pod's label.
pub(crate) fn scatter_by<'s, T: Copy>(
    waiting: Vec<T>,
    all: &[T],
    terms: &[Value],
    label: &impl Fn(T, &str) -> Option<&'s str>,
) -> Vec<T> {
    let mut expanded: Vec<(String, String)> = Vec::new();
    let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    let mut push = |term: (String, String), expanded: &mut Vec<(String, String)>| {
        if seen.insert(term.clone()) {
            expanded.push(term);
        }
    };
    for t in terms {
        let key = t.get("key").and_then(Value::as_str).unwrap_or("");
        let value = t.get("value").and_then(Value::as_str).unwrap_or("");
        if value == "*" {
            for p in all {
                if let Some(v) = label(*p, key) {
                    push((key.to_string(), v.to_string()), &mut expanded);
                }
            }
        } else {
            push((key.to_string(), value.to_string()), &mut expanded);
        }
    }
    if expanded.len() > 1 {
        // Waiting pods per (key, value), one pass per distinct key.
        let mut counts: std::collections::HashMap<(&str, &str), usize> =
            std::collections::HashMap::new();
        let mut keys: Vec<&str> = expanded.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            for p in &waiting {
                if let Some(v) = label(*p, k) {
                    *counts.entry((k, v)).or_default() += 1;
                }
            }
        }
        let mut counted: Vec<(usize, usize)> = expanded
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                (
                    i,
                    counts.get(&(k.as_str(), v.as_str())).copied().unwrap_or(0),
                )
            })
            .filter(|(_, c)| *c > 0)
            .collect();
        counted.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
        let kept: Vec<(String, String)> =
            counted.iter().map(|(i, _)| expanded[*i].clone()).collect();
        expanded = kept;
    }
    let mut w = waiting;
    for (k, v) in &expanded {
        w = scatter_one(w, all, k, v, label);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scatter_matches_kruise_vector() {
        // scatter_sort_test.go: labels ["", "", "", "", A, A], term labelA=AAA -> [4, 0, 1, 2, 3, 5]
        let pods: Vec<Value> = (0..6)
            .map(|i| {
                if i >= 4 {
                    json!({"metadata": {"name": i, "labels": {"labelA": "AAA"}}})
                } else {
                    json!({"metadata": {"name": i}})
                }
            })
            .collect();
        let refs: Vec<&Value> = pods.iter().collect();
        let out = scatter(
            refs.clone(),
            &refs,
            &[json!({"key": "labelA", "value": "AAA"})],
        );
        let names: Vec<i64> = out
            .iter()
            .map(|p| p.at("/metadata/name").and_then(Value::as_i64).unwrap_or(-1))
            .collect();
        assert_eq!(names, [4, 0, 1, 2, 3, 5]);
    }

    #[test]
    fn order_priority_puts_unlabelled_first() {
        let a = json!({"metadata": {"labels": {"k": "sts-10"}}});
        let b = json!({"metadata": {"labels": {}}});
        let c = json!({"metadata": {"labels": {"k": "sts-2"}}});
        let mut v = vec![&a, &b, &c];
        by_priority(
            &mut v,
            Some(&json!({"orderPriority": [{"orderedKey": "k"}]})),
        );
        assert_eq!(v, vec![&b, &a, &c]);
    }

    /// controller_utils.go ActivePods.Less, one rule at a time; the pods
    /// differ in exactly the field the rule reads.
    #[test]
    fn active_pods_order_rule_by_rule() {
        let pod = |node: &str, phase: &str, ready: Option<&str>, restarts: i64, created: &str| {
            let mut conditions = vec![];
            if let Some(t) = ready {
                conditions
                    .push(json!({"type": "Ready", "status": "True", "lastTransitionTime": t}));
            }
            json!({"metadata": {"creationTimestamp": created},
                "spec": {"nodeName": node},
                "status": {"phase": phase, "conditions": conditions,
                    "containerStatuses": [{"name": "a", "restartCount": restarts}]}})
        };
        let t0 = "2024-01-01T00:00:00Z";
        let t1 = "2024-01-02T00:00:00Z";
        let cases = [
            // unscheduled first
            (
                pod("", "Running", Some(t0), 0, t0),
                pod("n", "Running", Some(t0), 0, t0),
            ),
            // Pending < Unknown < Running
            (
                pod("n", "Pending", None, 0, t0),
                pod("n", "Unknown", None, 0, t0),
            ),
            (
                pod("n", "Unknown", None, 0, t0),
                pod("n", "Running", None, 0, t0),
            ),
            // not ready first
            (
                pod("n", "Running", None, 0, t0),
                pod("n", "Running", Some(t0), 0, t0),
            ),
            // both ready: more recently ready first
            (
                pod("n", "Running", Some(t1), 0, t0),
                pod("n", "Running", Some(t0), 0, t0),
            ),
            // more restarts first
            (
                pod("n", "Running", Some(t0), 3, t0),
                pod("n", "Running", Some(t0), 1, t0),
            ),
            // newer first
            (
                pod("n", "Running", Some(t0), 0, t1),
                pod("n", "Running", Some(t0), 0, t0),
            ),
        ];
        for (i, (first, second)) in cases.iter().enumerate() {
            assert_eq!(active_pods_cmp(first, second), Ordering::Less, "case {i}");
            assert_eq!(
                active_pods_cmp(second, first),
                Ordering::Greater,
                "case {i}"
            );
        }
        let a = pod("n", "Running", Some(t0), 0, t0);
        assert_eq!(active_pods_cmp(&a, &a.clone()), Ordering::Equal);
    }
}
