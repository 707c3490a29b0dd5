//! The webhook's approximate selector overlap (`pkg/util/selector.go:IsSelectorOverlapping`)
//! and namespace overlap (`validating/utils.go:isSidecarSetNamespaceOverlapping`).

use crate::path::JsonPath;
use crate::selector::LabelSelector;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

fn decode(v: Option<&Value>) -> Option<LabelSelector> {
    LabelSelector::decode(v, &JsonPath::root()).ok().flatten()
}

/// `isDisjoint(s1, s2)`.
fn disjoint(s1: &LabelSelector, s2: &LabelSelector) -> bool {
    let mut m: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in &s1.match_labels {
        m.insert(k, vec![v]);
    }
    for e in &s1.match_expressions {
        match e.operator.as_str() {
            "In" => m
                .entry(&e.key)
                .or_default()
                .extend(e.values.iter().map(String::as_str)),
            "Exists" => {
                m.insert(&e.key, vec!["ALL"]);
            }
            _ => {}
        }
    }
    for (k, v) in &s2.match_labels {
        if let Some(vals) = m.get(k.as_str()) {
            if !vals.contains(&"ALL") && !vals.contains(&v.as_str()) {
                return true;
            }
        }
    }
    for e in &s2.match_expressions {
        let vals = m.get(e.key.as_str());
        match e.operator.as_str() {
            "In" => {
                if let Some(vals) = vals {
                    let theirs: HashSet<&str> = e.values.iter().map(String::as_str).collect();
                    if !vals.contains(&"ALL") && !vals.iter().any(|v| theirs.contains(v)) {
                        return true;
                    }
                }
            }
            "NotIn" => {
                if let Some(vals) = vals {
                    let theirs: HashSet<&str> = e.values.iter().map(String::as_str).collect();
                    if vals.iter().all(|v| theirs.contains(v)) {
                        return true;
                    }
                }
            }
            "Exists" if vals.is_none() => return true,
            "DoesNotExist" if vals.is_some() => return true,
            _ => {}
        }
    }
    false
}

/// `IsSelectorOverlapping`; a missing selector counts as empty (the webhook
/// never sees one: validation fails first).
pub(crate) fn selectors_overlap(a: Option<&Value>, b: Option<&Value>) -> bool {
    overlapping(
        &decode(a).unwrap_or_default(),
        &decode(b).unwrap_or_default(),
    )
}

fn overlapping(a: &LabelSelector, b: &LabelSelector) -> bool {
    !(disjoint(a, b) || disjoint(b, a))
}

/// Namespace overlap of two SidecarSet specs (v1beta1).
pub(crate) fn namespaces_overlap(a: &Value, b: &Value) -> bool {
    match (
        a.get("namespaceSelector").filter(|v| !v.is_null()),
        b.get("namespaceSelector").filter(|v| !v.is_null()),
    ) {
        (Some(x), Some(y)) => selectors_overlap(Some(x), Some(y)),
        _ => true,
    }
}

/// The selectors of a SidecarSet spec, decoded once: the conflict checks
/// compare one SidecarSet with many others, and decoding both selectors
/// for every pair costs more than comparing them.
pub(crate) struct Scope {
    selector: LabelSelector,
    /// `None` when the spec has no namespaceSelector.
    namespaces: Option<LabelSelector>,
}

impl Scope {
    pub(crate) fn of(spec: &Value) -> Scope {
        Scope {
            selector: decode(spec.get("selector")).unwrap_or_default(),
            namespaces: spec
                .get("namespaceSelector")
                .filter(|v| !v.is_null())
                .map(|v| decode(Some(v)).unwrap_or_default()),
        }
    }

    /// `namespaces_overlap` and `selectors_overlap` of the two specs.
    pub(crate) fn overlaps(&self, other: &Scope) -> bool {
        let namespaces = match (&self.namespaces, &other.namespaces) {
            (Some(a), Some(b)) => overlapping(a, b),
            _ => true,
        };
        namespaces && overlapping(&self.selector, &other.selector)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ov(a: Value, b: Value) -> bool {
        selectors_overlap(Some(&a), Some(&b))
    }

    #[test]
    fn scopes_agree_with_the_value_checks() {
        let specs = [
            json!({"selector": {"matchLabels": {"app": "a"}}}),
            json!({"selector": {"matchLabels": {"app": "b"}}}),
            json!({"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a"]}]},
                   "namespaceSelector": {"matchLabels": {"team": "x"}}}),
            json!({"selector": {"matchLabels": {"tier": "web"}},
                   "namespaceSelector": {"matchLabels": {"team": "y"}}}),
            json!({"selector": {"matchLabels": {"app": "a"}}, "namespaceSelector": null}),
            json!({"selector": 7}),
        ];
        let mut seen = HashSet::new();
        for a in &specs {
            for b in &specs {
                let want = namespaces_overlap(a, b)
                    && selectors_overlap(a.get("selector"), b.get("selector"));
                assert_eq!(Scope::of(a).overlaps(&Scope::of(b)), want, "{a} {b}");
                seen.insert(want);
            }
        }
        assert_eq!(seen.len(), 2, "the specs must give both answers");
    }

    #[test]
    fn heuristic() {
        assert!(ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchLabels": {"tier": "web"}})
        ));
        assert!(!ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchLabels": {"app": "b"}})
        ));
        assert!(!ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchExpressions": [{"key": "tier", "operator": "Exists"}]})
        ));
        assert!(ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]})
        ));
        assert!(!ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]})
        ));
        assert!(!ov(
            json!({"matchLabels": {"app": "a"}}),
            json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]})
        ));
    }
}
