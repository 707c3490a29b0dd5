//! The SidecarSet controller's in-place rollout, offline
//! (`../shared/spec/rollout.md`): managed pods, status, the next batch and
//! later batches under a stated simulation model.
//!
//! Contract used by the CLI (keep these signatures): [`plan`] plans one
//! SidecarSet against the pods it may manage; the result serialises to the
//! PLAN object of `../shared/cli-contract.md`.

mod order;
mod pods;
#[cfg(test)]
mod vectors;

use serde::Serialize;
use serde_json::Value;

/// Options of the simulation.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Stop simulating after this many rounds (0: no limit).
    pub max_rounds: usize,
    /// Upgraded pods do not become ready between rounds (a broken image).
    pub no_ready: bool,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub sidecar_set: String,
    /// The status the controller would report.
    pub status: Status,
    /// Why the controller does nothing this round, when it does nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// The first batch is exactly what the next reconcile upgrades.
    pub batches: Vec<Batch>,
    pub not_upgradable: Vec<NotUpgradable>,
    /// Pods given that the controller does not manage, with the reason.
    pub unmanaged: Vec<NotUpgradable>,
    /// Pods whose previous in-place update is still in flight.
    pub in_flight: Vec<String>,
    /// Waiting pods the partition keeps on the old revision, and what
    /// lowering it would release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// The simulation model later batches follow, in words.
    pub model: String,
    /// Argo CD health from the computed status (the log-collection guide's Lua rule).
    pub health: String,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub matched_pods: usize,
    pub updated_pods: usize,
    pub ready_pods: usize,
    pub updated_ready_pods: usize,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Batch {
    /// `namespace/name` of each pod, in the controller's order.
    pub pods: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct NotUpgradable {
    pub pod: String,
    pub reason: String,
}

/// Plans `sidecar_set` (stored form) against `pods` (live Pods, status included).
pub fn plan(
    sidecar_set: &Value,
    pods: &[Value],
    namespaces: &[Value],
    opts: &Options,
) -> Result<Plan, crate::path::FieldError> {
    let ss = crate::sidecarset::to_v1beta1(sidecar_set)?;
    let set = pods::SetView::new(&ss);
    let mut plan = Plan {
        sidecar_set: set.name.clone(),
        ..Plan::default()
    };
    let mut matched: Vec<&Value> = Vec::new();
    for p in pods {
        match set.manages(p, namespaces) {
            Ok(()) => matched.push(p),
            Err(reason) => plan.unmanaged.push(NotUpgradable {
                pod: pods::key(p),
                reason,
            }),
        }
    }
    let total = matched.len();
    let mut unavailable = 0usize;
    for p in &matched {
        let updated = set.is_updated(p);
        let consistent = set.consistent(p, None);
        let ready = set.is_ready(p);
        plan.status.updated_pods += usize::from(updated);
        plan.status.ready_pods += usize::from(consistent && ready);
        plan.status.updated_ready_pods += usize::from(updated && consistent && ready);
        if updated && !(consistent && ready) {
            unavailable += 1;
        }
    }
    plan.status.matched_pods = total;
    plan.health = health(&plan.status, set.paused).into();
    if set.not_update {
        plan.stopped =
            Some("updateStrategy.type is NotUpdate: the controller never updates pods".into());
        return Ok(plan);
    }
    if set.paused {
        plan.stopped = Some("updateStrategy.paused is true".into());
        return Ok(plan);
    }
    if plan.status.updated_pods >= total {
        plan.stopped = Some("every matched pod is updated".into());
        return Ok(plan);
    }
    let mut waiting: Vec<&Value> = Vec::new();
    for p in &matched {
        if set.is_updated(p) || !set.canary_selects(p) {
            continue;
        }
        match set.upgradable(p) {
            pods::Upgradable::No(reason) => plan.not_upgradable.push(NotUpgradable {
                pod: pods::key(p),
                reason,
            }),
            pods::Upgradable::InFlight => plan.in_flight.push(pods::key(p)),
            pods::Upgradable::Yes => waiting.push(p),
        }
    }
    waiting.sort_by(|a, b| order::active_pods_cmp(a, b));
    order::by_priority(
        &mut waiting,
        ss.pointer("/spec/updateStrategy/priorityStrategy"),
    );
    if let Some(terms) = ss
        .pointer("/spec/updateStrategy/scatterStrategy")
        .and_then(Value::as_array)
        .filter(|t| !t.is_empty())
    {
        waiting = order::scatter(waiting, &matched, terms);
    }
    let partition = pods::partition(ss.pointer("/spec/updateStrategy/partition"), total);
    let keep = waiting.len().saturating_sub(partition);
    let max_unavailable =
        pods::max_unavailable(ss.pointer("/spec/updateStrategy/maxUnavailable"), total);
    let held = waiting.len() - keep;
    if held > 0 {
        plan.partition = Some(format!(
            "partition {partition} keeps {held} waiting pod(s) on the old revision; lowering it to {} would release {}",
            partition.saturating_sub(held),
            held
        ));
    }
    // Round 1 is exactly the controller's next reconcile. Later rounds follow
    // the stated model: upgraded pods become ready before the next round, and
    // the remaining pods keep round 1's order.
    plan.model = if opts.no_ready {
        "upgraded pods stay unavailable: only the first batch happens".into()
    } else {
        "batch 1 is the controller's next reconcile; later batches assume upgraded pods become ready before the next round and keep batch 1's order (the live controller works as a sliding window)".into()
    };
    let base_unavailable = unavailable;
    let mut queue = waiting.into_iter().take(keep).peekable();
    let mut round = 0usize;
    while queue.peek().is_some() && (opts.max_rounds == 0 || round < opts.max_rounds) {
        let mut batch = Vec::new();
        let mut used = if round == 0 {
            unavailable
        } else {
            base_unavailable
        };
        while let Some(p) = queue.peek() {
            if !set.is_ready(p) {
                batch.push(pods::key(p));
                queue.next();
                continue;
            }
            if used >= max_unavailable {
                break;
            }
            batch.push(pods::key(p));
            used += 1;
            queue.next();
        }
        if batch.is_empty() {
            break;
        }
        plan.batches.push(Batch { pods: batch });
        round += 1;
        if opts.no_ready {
            break;
        }
    }
    if plan.batches.is_empty() {
        plan.stopped = Some(format!(
            "nothing to upgrade this round (partition {partition} of {total}, maxUnavailable {max_unavailable}, {unavailable} unavailable)"
        ));
    }
    Ok(plan)
}

/// Argo CD's health rule for SidecarSets from the OpenKruise log-collection
/// guide: Suspended while paused, Progressing until every matched pod is
/// updated and ready, Healthy after.
pub fn health(st: &Status, paused: bool) -> &'static str {
    if paused {
        "Suspended"
    } else if st.updated_pods < st.matched_pods
        || st.ready_pods < st.matched_pods
        || st.updated_ready_pods < st.matched_pods
    {
        "Progressing"
    } else {
        "Healthy"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// rollout.md §10.5: 10 ready pods web-0..web-9 (web-0 oldest), image-only
    /// change, maxUnavailable 2, partition 3.
    fn example(no_ready: bool) -> Plan {
        let ss = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "log", "image": "log:2"}],
                "updateStrategy": {"type": "RollingUpdate", "partition": 3, "maxUnavailable": 2}}
        });
        let pods: Vec<Value> = (0..10)
            .map(|i| json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("web-{i}"), "namespace": "default", "labels": {"app": "web"},
                    "creationTimestamp": format!("2024-01-01T00:00:{i:02}Z"),
                    "annotations": {
                        "kruise.io/sidecarset-injected-list": "s",
                        "kruise.io/sidecarset-hash": "{\"s\":{\"hash\":\"old\"}}",
                        "kruise.io/sidecarset-hash-without-image": "{\"s\":{\"hash\":\"same\"}}"}},
                "spec": {"nodeName": "n", "containers": [{"name": "log", "image": "log:1"}]},
                "status": {"phase": "Running",
                    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}],
                    "containerStatuses": [{"name": "log", "image": "log:1", "imageID": "x", "ready": true}]}
            }))
            .collect();
        plan(
            &ss,
            &pods,
            &[],
            &Options {
                max_rounds: 0,
                no_ready,
            },
        )
        .expect("plans")
    }

    #[test]
    fn later_batches_follow_the_converged_model() {
        let p = example(false);
        let names: Vec<Vec<&str>> = p
            .batches
            .iter()
            .map(|b| {
                b.pods
                    .iter()
                    .map(|s| s.trim_start_matches("default/"))
                    .collect()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                vec!["web-9", "web-8"],
                vec!["web-7", "web-6"],
                vec!["web-5", "web-4"],
                vec!["web-3"]
            ]
        );
        assert!(p
            .partition
            .as_deref()
            .is_some_and(|l| l.contains("keeps 3")));
        assert_eq!(p.health, "Progressing");
    }

    #[test]
    fn stuck_pods_stop_after_the_first_batch() {
        assert_eq!(example(true).batches.len(), 1);
    }
}
