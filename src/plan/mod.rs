//! The SidecarSet controller's in-place rollout, offline
//! (`../shared/spec/rollout.md`): managed pods, status, the next batch and
//! later batches under a stated simulation model.
//!
//! Contract used by the CLI (keep these signatures): [`plan`] plans one
//! SidecarSet against the pods it may manage; the result serialises to the
//! PLAN object of `../shared/cli-contract.md`.

mod order;
mod pods;

use serde::Serialize;
use serde_json::Value;

/// Options of the simulation.
#[derive(Clone, Debug, Default)]
pub struct Options {}

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
    let _ = opts;
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
    let mut batch = Vec::new();
    for p in waiting.into_iter().take(keep) {
        if !set.is_ready(p) {
            batch.push(pods::key(p));
            continue;
        }
        if unavailable >= max_unavailable {
            break;
        }
        batch.push(pods::key(p));
        unavailable += 1;
    }
    if batch.is_empty() {
        plan.stopped = Some(format!(
            "nothing to upgrade this round (partition {partition} of {total}, maxUnavailable {max_unavailable}, {unavailable} unavailable)"
        ));
    } else {
        plan.batches.push(Batch { pods: batch });
    }
    Ok(plan)
}
