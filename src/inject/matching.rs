//! Which SidecarSets a new pod gets, in the webhook's order
//! (matching.md §2, §5), and the revision to inject (§6).

use super::prepared::Set;
use super::{Rejection, SkipReason};
use crate::annotations::{CUSTOM_VERSION_LABEL, SIDECARSET_NAME_LABEL};
use crate::cluster::{SelectError, Selection, WebhookForm};
use crate::namespace::{namespace_mismatch, Namespaces};
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use crate::value::At;
use serde_json::{Map, Value};

/// Candidate order: SidecarSets indexed under the pod's namespace, then
/// cluster-scoped ones, each group by name. Those indexed under other
/// namespaces can never match and are reported as such.
pub(crate) fn candidates<'a>(
    sets: impl Iterator<Item = &'a WebhookForm>,
    namespace: &str,
) -> (
    Vec<&'a WebhookForm>,
    Vec<&'a WebhookForm>,
    Vec<&'a WebhookForm>,
) {
    let mut ns_group = Vec::new();
    let mut cluster = Vec::new();
    let mut elsewhere = Vec::new();
    for s in sets {
        match &s.namespace_index {
            None => cluster.push(s),
            Some(names) if names.iter().any(|n| n == namespace) => ns_group.push(s),
            Some(_) => elsewhere.push(s),
        }
    }
    ns_group.sort_by(|a, b| a.name().cmp(b.name()));
    cluster.sort_by(|a, b| a.name().cmp(b.name()));
    (ns_group, cluster, elsewhere)
}

/// Whether `ss` (read from `form`) selects the pod; `Err` when its
/// selector has a bad operator.
pub(super) fn decide(
    ss: &Set,
    form: &WebhookForm,
    pod_labels: Option<&Map<String, Value>>,
    ns: &str,
    namespaces: &Namespaces,
) -> Result<Option<(SkipReason, String)>, Rejection> {
    if ss.paused {
        return Ok(Some((
            SkipReason::Paused,
            "injectionStrategy.paused is true".into(),
        )));
    }
    let selection = crate::cluster::selects(&form.selectors, ns, pod_labels, namespaces).map_err(
        |e| match e {
            SelectError::Decode(e) => Rejection {
                message: e.to_string(),
                path: Some(e.path.clone()),
            },
            SelectError::Operator(e) => Rejection {
                message: e.to_string(),
                path: Some(JsonPath::keys(&["spec", "selector"])),
            },
        },
    )?;
    Ok(match selection {
        Selection::Selected => None,
        // The selectors' words are those of `form.selectors`, made once.
        Selection::Namespace { found, .. } => Some((
            SkipReason::NamespaceSelector,
            namespace_mismatch(found, ns, &ss.namespace_selector_shown),
        )),
        Selection::NoSelector => {
            Some((SkipReason::Selector, "no selector: matches nothing".into()))
        }
        Selection::EmptySelector => Some((
            SkipReason::Selector,
            "empty selector: matches nothing in the webhook".into(),
        )),
        Selection::Unselected(_) => Some((SkipReason::Selector, ss.mismatch.clone())),
    })
}

/// Whether `injectionStrategy.revision` of `ss` names a revision, so that
/// [`pinned_revision`] may find one.
pub(super) fn may_pin(ss: &Value) -> bool {
    ss.at("/spec/injectionStrategy/revision")
        .is_some_and(|rev| {
            !(rev.get("revisionName").is_none_or(Value::is_null)
                && rev.get("customVersion").is_none_or(Value::is_null))
        })
}

/// The pinned history revision to inject instead of the current spec, when
/// `injectionStrategy.revision` names one (matching.md §6; Always policy).
pub(crate) fn pinned_revision(
    ss: &Value,
    revisions: &[Value],
    pod_labels: Option<&Map<String, Value>>,
    draw: &mut dyn FnMut() -> f64,
) -> Result<Option<Value>, Rejection> {
    let Some(rev) = ss.at("/spec/injectionStrategy/revision") else {
        return Ok(None);
    };
    if rev.get("revisionName").is_none_or(Value::is_null)
        && rev.get("customVersion").is_none_or(Value::is_null)
    {
        return Ok(None);
    }
    let name = ss
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let not_found = |what: &str| Rejection {
        message: format!("controllerrevisions.apps \"{what}\" not found"),
        path: Some(JsonPath::keys(&["spec", "injectionStrategy", "revision"])),
    };
    let found = if let Some(rn) = rev.get("revisionName").and_then(Value::as_str) {
        revisions
            .iter()
            .find(|r| r.at("/metadata/name").and_then(Value::as_str) == Some(rn))
            .ok_or_else(|| not_found(rn))?
    } else if let Some(cv) = rev.get("customVersion").and_then(Value::as_str) {
        revisions
            .iter()
            .filter(|r| {
                let l = r.at("/metadata/labels");
                l.and_then(|l| l.get(SIDECARSET_NAME_LABEL))
                    .and_then(Value::as_str)
                    == Some(name)
                    && l.and_then(|l| l.get(CUSTOM_VERSION_LABEL))
                        .and_then(Value::as_str)
                        == Some(cv)
            })
            .max_by_key(|r| r.get("revision").and_then(Value::as_i64).unwrap_or(0))
            .ok_or_else(|| not_found(name))?
    } else {
        return Ok(None);
    };
    let restored = crate::sidecarset::restore_from_revision(ss, found).map_err(|e| Rejection {
        message: e.to_string(),
        path: Some(e.path),
    })?;
    let paused = ss
        .at("/spec/updateStrategy/paused")
        .and_then(Value::as_bool)
        == Some(true);
    if paused || rev.get("policy").and_then(Value::as_str) != Some("Partial") {
        return Ok(Some(restored));
    }
    // Partial: canary pods (matching updateStrategy.selector) may get the latest.
    let sel_path = JsonPath::keys(&["spec", "updateStrategy", "selector"]);
    if let Some(sel) = LabelSelector::decode(ss.at("/spec/updateStrategy/selector"), &sel_path)
        .map_err(|e| Rejection {
            message: e.to_string(),
            path: Some(e.path),
        })?
    {
        let selector = sel.to_selector().map_err(|e| Rejection {
            message: e.to_string(),
            path: Some(sel_path.clone()),
        })?;
        if !selector.matches(pod_labels) {
            return Ok(Some(restored));
        }
    }
    match ss.at("/spec/updateStrategy/partition") {
        Some(Value::String(p)) => {
            let Some(num) = p.strip_suffix('%') else {
                return Err(Rejection {
                    message: "invalid type: string is not a percentage".into(),
                    path: None,
                });
            };
            let v: f64 = num.parse().map_err(|_| Rejection {
                message: format!("strconv.ParseFloat: parsing {num:?}: invalid syntax"),
                path: None,
            })?;
            if draw() <= v / 100.0 {
                Ok(Some(restored))
            } else {
                Ok(None)
            }
        }
        _ => Ok(None),
    }
}
