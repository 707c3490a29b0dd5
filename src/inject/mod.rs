//! The OpenKruise pod webhook on CREATE, offline: readiness gate, SidecarSet
//! injection, container launch priority (`../shared/spec/injection.md`).
//!
//! Contract used by the CLI (keep these signatures): [`inject_pod`] mutates
//! one Pod object in place, exactly as the webhook's admission patch would,
//! and reports per SidecarSet what happened, or rejects the pod.

use crate::features::FeatureGates;
use crate::path::JsonPath;
use serde_json::Value;

/// Everything the webhook would read from the cluster.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    /// SidecarSets in stored form (defaults and hash annotations present),
    /// either served version. Input order; the engine orders them as the
    /// webhook lists them.
    pub sidecar_sets: &'a [Value],
    /// Namespace objects (their labels feed `namespaceSelector`).
    pub namespaces: &'a [Value],
    /// ControllerRevisions of SidecarSets (history for `injectionStrategy.revision`).
    pub controller_revisions: &'a [Value],
    pub gates: &'a FeatureGates,
    /// Seconds since the epoch for `updateTimestamp`.
    pub now: i64,
    /// Seed for the `Partial` revision policy's random draw.
    pub seed: u64,
}

/// What happened with one SidecarSet for one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub sidecar_set: String,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Injected; `revision` names the ControllerRevision used when one was pinned.
    Injected { revision: Option<String> },
    /// Not injected, with the deciding reason in words.
    Skipped { reason: SkipReason, detail: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    InactivePod,
    Paused,
    Namespace,
    NamespaceSelector,
    Selector,
}

/// The per-pod report of the webhook run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub decisions: Vec<Decision>,
    /// Warnings such as "injection order depends on SidecarSet order".
    pub warnings: Vec<String>,
}

/// The webhook refused the pod (HTTP 500 admission error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    /// The field of the pod or SidecarSet the refusal is about, when known.
    pub path: Option<JsonPath>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Runs the pod webhook's mutations on `pod` (a Pod object) in place.
pub fn inject_pod(pod: &mut Value, ctx: &Context<'_>) -> Result<Report, Rejection> {
    let _ = (pod, ctx);
    Ok(Report::default())
}
