//! Sidecars in pods that run to completion (Jobs): a plain sidecar keeps
//! the pod running unless Kruise's sidecar terminator stops it.

use super::super::model::{env, Template};
use super::super::rule::{Rule, RuleId};
use super::super::Severity::{Error, Info, Warning};
use super::shared::{pod_spec, PracticeOut};
use crate::path::JsonPath;
use crate::value::get_str;
use serde_json::Value;

const TERMINATE: &str = "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT";
const TERMINATE_WITH_IMAGE: &str = "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE";
const IGNORE_EXIT_CODE: &str = "KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE";

fn env_true(c: &Value, name: &str) -> bool {
    env(c, name).is_some_and(|e| get_str(e, "value").eq_ignore_ascii_case("true"))
}

fn has_terminator_env(c: &Value) -> bool {
    env_true(c, TERMINATE)
        || env(c, TERMINATE_WITH_IMAGE).is_some_and(|e| !get_str(e, "value").is_empty())
}

pub(crate) const SSL_001: Rule = Rule {
    id: RuleId::Ssl001,
    severity: Error,
    title: "Long-running sidecar in a Job",
    description: "A plain sidecar container keeps a Job's pod running after the main container exits.",
    help: "Use a native sidecar (initContainers with restartPolicy: Always and updateStrategy NotUpdate), or set env KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true and enable the SidecarTerminator gate.",
};

pub(crate) const SSL_002: Rule = Rule {
    id: RuleId::Ssl002,
    severity: Warning,
    title: "Terminated sidecar exit code may fail the Job",
    description: "Without KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true a non-zero exit on SIGTERM fails the pod.",
    help: "Add KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true or make the sidecar exit 0 on SIGTERM.",
};

pub(crate) const SSL_003: Rule = Rule {
    id: RuleId::Ssl003,
    severity: Info,
    title: "Job sidecar terminator settings",
    description: "The terminator needs the SidecarTerminator feature gate (default off) and has no effect on pods with restartPolicy Always.",
    help: "Enable the gate for Jobs; remove the env elsewhere.",
};

/// SSL-003 and SSL-002 on plain sidecar `c` at `cp` of a SidecarSet.
pub(super) fn terminator_env(cx: &mut PracticeOut<'_>, res: usize, cp: &JsonPath, c: &Value) {
    if !has_terminator_env(c) {
        return;
    }
    let name = get_str(c, "name");
    // The terminator needs a gate that is off by default.
    cx.push(&SSL_003, res, cp.clone().key("env"), format!("sidecar {name} relies on the Job sidecar terminator: it needs the feature gates SidecarTerminator (default off) and KruiseDaemon"));
    if env_true(c, TERMINATE) && !env_true(c, IGNORE_EXIT_CODE) {
        cx.push(&SSL_002, res, cp.clone().key("env"), format!("sidecar {name} is killed when the Job's main containers exit; without {IGNORE_EXIT_CODE}=true a non-zero exit code fails the pod"));
    }
}

/// SSL-001 and SSL-003 for plain sidecar `c` of SidecarSet `ssn` on the
/// pods of `t`.
pub(super) fn on_pod(cx: &mut PracticeOut<'_>, t: &Template<'_>, ssn: &str, c: &Value) {
    let name = get_str(c, "name");
    let job = t.runs_to_completion();
    if job && !has_terminator_env(c) {
        cx.push(&SSL_001, t.resource, pod_spec(t), format!("SidecarSet {ssn} injects the long-running sidecar {name} into pods of this {} (restartPolicy {}): the pod never completes", t.kind.resource_name(), t.restart_policy()));
    }
    // Terminator env on pods that restart.
    if !job && has_terminator_env(c) {
        cx.push(&SSL_003, t.resource, pod_spec(t), format!("sidecar {name} of SidecarSet {ssn} sets {TERMINATE} but these pods do not run to completion: no effect"));
    }
}
