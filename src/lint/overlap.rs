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
pub fn selectors_overlap(a: Option<&Value>, b: Option<&Value>) -> bool {
    let a = decode(a).unwrap_or_default();
    let b = decode(b).unwrap_or_default();
    !(disjoint(&a, &b) || disjoint(&b, &a))
}

/// Namespace overlap of two SidecarSet specs (v1beta1).
pub fn namespaces_overlap(a: &Value, b: &Value) -> bool {
    match (
        a.get("namespaceSelector").filter(|v| !v.is_null()),
        b.get("namespaceSelector").filter(|v| !v.is_null()),
    ) {
        (Some(x), Some(y)) => selectors_overlap(Some(x), Some(y)),
        _ => true,
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
