//! The SidecarSet controller's in-place rollout, offline
//! (`../shared/spec/rollout.md`): managed pods, status, the next batch and
//! later batches under a stated simulation model.
//!
//! Contract used by the CLI (keep these signatures): [`plan`] plans one
//! SidecarSet against the pods it may manage; the result serialises to the
//! PLAN object of `../shared/cli-contract.md`.

use serde::Serialize;
use serde_json::Value;

/// Options of the simulation.
#[derive(Clone, Debug, Default)]
pub struct Options {}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub sidecar_set: String,
    pub batches: Vec<Batch>,
    pub not_upgradable: Vec<NotUpgradable>,
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
    let _ = (pods, namespaces, opts);
    Ok(Plan {
        sidecar_set: sidecar_set
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        ..Plan::default()
    })
}
