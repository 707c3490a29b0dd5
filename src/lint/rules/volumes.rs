//! The volumes of the injected pod: that every mount resolves, whose volume
//! wins a name, what `shareVolumePolicy` copies into a sidecar, and what a
//! log agent or an API client sidecar needs to see.

use super::super::model::{q, SidecarSet, Template};
use super::super::rule::{Rule, RuleId};
use super::super::Severity::{self, Info, Warning};
use super::shared::{is_log_agent, pod_spec, same_volume, spec_of, PracticeOut};
use crate::value::At;
use crate::value::{get_arr, get_str, str_at};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

const SA_TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

pub(crate) const SSL_040: Rule = Rule {
    id: RuleId::Ssl040,
    severity: Severity::Error,
    title: "Volume mount resolves to no volume",
    description: "Every mount of an injected container must name a volume of the resulting pod.",
    help: "Declare the volume in spec.volumes of the SidecarSet or the workload.",
};

fn mounts(c: &Value) -> impl Iterator<Item = (&'static str, usize, &str)> {
    get_arr(c, "volumeMounts")
        .iter()
        .enumerate()
        .map(|(i, m)| ("volumeMounts", i, get_str(m, "name")))
        .chain(
            get_arr(c, "volumeDevices")
                .iter()
                .enumerate()
                .map(|(i, m)| ("volumeDevices", i, get_str(m, "name"))),
        )
}

/// SSL-040: every mount of the resulting pod must name one of its volumes.
pub(super) fn unresolved_mounts(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    let mut vols: HashSet<&str> = t
        .list("volumes")
        .iter()
        .map(|v| get_str(v, "name"))
        .collect();
    for ss in matched {
        if let Some(sp) = spec_of(ss) {
            vols.extend(get_arr(sp, "volumes").iter().map(|v| get_str(v, "name")));
        }
    }
    for list in ["initContainers", "containers"] {
        for (i, c) in t.list(list).iter().enumerate() {
            for (kind, j, name) in mounts(c) {
                if !vols.contains(name) {
                    let p = t
                        .path
                        .clone()
                        .key("spec")
                        .key(list)
                        .index(i)
                        .key(kind)
                        .index(j)
                        .key("name");
                    cx.push(
                        &SSL_040,
                        t.resource,
                        p,
                        format!(
                            "container {} mounts volume {} which the pod does not define",
                            get_str(c, "name"),
                            q(name)
                        ),
                    );
                }
            }
        }
    }
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        for list in ["initContainers", "containers"] {
            for c in get_arr(sp, list) {
                for (_, _, name) in mounts(c) {
                    if !vols.contains(name) {
                        cx.push(&SSL_040, t.resource, t.path.clone().key("spec").key("volumes"), format!("sidecar {} of SidecarSet {} mounts volume {} which neither the pod nor the SidecarSet defines: the pod is rejected", get_str(c, "name"), ss.name(), q(name)));
                    }
                }
            }
        }
    }
}

/// The volumes of the pods of `t`, by name.
pub(super) fn pod_volumes<'t>(t: &'t Template<'_>) -> HashMap<&'t str, &'t Value> {
    t.list("volumes")
        .iter()
        .map(|v| (get_str(v, "name"), v))
        .collect()
}

pub(crate) const SSL_041: Rule = Rule {
    id: RuleId::Ssl041,
    severity: Warning,
    title: "SidecarSet volume shadowed by the pod's",
    description: "The pod's volume of the same name wins; the sidecar mounts the pod's content.",
    help: "Rename the volume if the sidecar needs its own.",
};

/// SSL-041: a SidecarSet volume shadowed by a pod volume (`pod_vols`) with
/// other content.
pub(super) fn shadowed(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    ssn: &str,
    sp: &Value,
    pod_vols: &HashMap<&str, &Value>,
) {
    for v in get_arr(sp, "volumes") {
        let n = get_str(v, "name");
        if let Some(pv) = pod_vols.get(n) {
            if !same_volume(pv, v) {
                cx.push(&SSL_041, t.resource, pod_spec(t).key("volumes"), format!("volume {n} of SidecarSet {ssn} is shadowed by the pod's volume {n} with a different definition: the sidecar mounts the pod's"));
            }
        }
    }
}

pub(crate) const SSL_042: Rule = Rule {
    id: RuleId::Ssl042,
    severity: Warning,
    title: "shareVolumePolicy copies every app mount",
    description: "Every mount of every app container is copied verbatim into the sidecar: hostPath, secrets, service-account tokens, writable mounts; Bidirectional propagation needs a privileged container.",
    help: "Disable shareVolumePolicy and mount the volumes the sidecar needs explicitly.",
};

pub(crate) const SSL_043: Rule = Rule {
    id: RuleId::Ssl043,
    severity: Warning,
    title: "subPathExpr variable not copied to the sidecar",
    description: "Shared mounts take along only the env entries the same app container defines in env; other variables in subPathExpr stay unresolved in the sidecar.",
    help: "Define the variable in the app container's env (not via envFrom), or in the sidecar's env.",
};

fn shares(c: &Value) -> bool {
    str_at(c, "/shareVolumePolicy/type") == "enabled"
}

/// An app container and one of its mounts, with their indices.
struct AppMount<'t> {
    app: &'t Value,
    mount: &'t Value,
    at: (usize, usize),
}

/// The mounts `shareVolumePolicy` copies into sidecar `c` (injection.md
/// §7.1): (app container, mount), and the ones skipped for their path.
fn shared_mounts<'t>(t: &'t Template<'_>, c: &Value) -> (Vec<AppMount<'t>>, Vec<AppMount<'t>>) {
    let mut used: HashSet<String> = get_arr(c, "volumeMounts")
        .iter()
        .map(|m| get_str(m, "mountPath").to_string())
        .chain(
            get_arr(c, "volumeDevices")
                .iter()
                .map(|d| get_str(d, "devicePath").to_string()),
        )
        .collect();
    let (mut copied, mut skipped) = (Vec::new(), Vec::new());
    for (i, app) in t.list("containers").iter().enumerate() {
        let injected = get_arr(app, "env")
            .iter()
            .any(|e| get_str(e, "name") == "IS_INJECTED" && get_str(e, "value") == "true");
        if injected {
            continue;
        }
        for (j, mount) in get_arr(app, "volumeMounts").iter().enumerate() {
            let am = AppMount {
                app,
                mount,
                at: (i, j),
            };
            if used.insert(get_str(mount, "mountPath").to_string()) {
                copied.push(am);
            } else {
                skipped.push(am);
            }
        }
    }
    (copied, skipped)
}

/// SSL-042 and SSL-043 for one sidecar with `shareVolumePolicy: enabled`.
pub(super) fn share_volumes(cx: &mut PracticeOut<'_>, t: &Template<'_>, ssn: &str, c: &Value) {
    if !shares(c) {
        return;
    }
    let name = get_str(c, "name");
    let tp = pod_spec(t);
    let vols: BTreeMap<&str, &Value> = t
        .list("volumes")
        .iter()
        .map(|v| (get_str(v, "name"), v))
        .collect();
    let privileged = c.at("/securityContext/privileged").and_then(Value::as_bool) == Some(true);
    let (copied, skipped) = shared_mounts(t, c);
    let mut flagged = Vec::new();
    for AppMount { app, mount: m, at } in &copied {
        let mp = tp
            .clone()
            .key("containers")
            .index(at.0)
            .key("volumeMounts")
            .index(at.1);
        let path = get_str(m, "mountPath");
        let vname = get_str(m, "name");
        if get_str(m, "mountPropagation") == "Bidirectional" && !privileged {
            cx.push_sev(&SSL_042, Severity::Error, t.resource, mp.clone().key("mountPropagation"), format!("sidecar {name} of SidecarSet {ssn} gets the Bidirectional mount {path} of container {} but is not privileged: the pod is rejected", get_str(app, "name")));
        }
        let v = vols.get(vname);
        let kind = if v.is_some_and(|v| v.get("hostPath").is_some()) {
            Some("hostPath")
        } else if v.is_some_and(|v| v.get("secret").is_some()) {
            Some("secret")
        } else if v.is_some_and(|v| {
            get_arr(v.get("projected").unwrap_or(&Value::Null), "sources")
                .iter()
                .any(|src| src.get("secret").is_some() || src.get("serviceAccountToken").is_some())
        }) {
            Some("projected secret/token")
        } else {
            None
        };
        if let Some(kind) = kind {
            let rw = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                ""
            } else {
                ", writable"
            };
            flagged.push(format!("{path} (volume {vname}, {kind}{rw})"));
        }
        // SSL-043: variables the webhook does not copy along.
        for var in crate::inject::subpath_vars(get_str(m, "subPathExpr")) {
            let in_app = get_arr(app, "env")
                .iter()
                .any(|e| get_str(e, "name") == var);
            let in_sidecar = get_arr(c, "env").iter().any(|e| get_str(e, "name") == var);
            if !in_app && !in_sidecar {
                cx.push(&SSL_043, t.resource, mp.clone().key("subPathExpr"), format!("sidecar {name} of SidecarSet {ssn} gets mount {path} of container {} whose subPathExpr uses $({var}), but {} does not define {var} in env: the variable is not copied and stays unresolved in the sidecar", get_str(app, "name"), get_str(app, "name")));
            }
        }
    }
    if !flagged.is_empty() {
        cx.push(&SSL_042, t.resource, tp.clone(), format!("shareVolumePolicy copies every app mount into sidecar {name} of SidecarSet {ssn}, including {}", flagged.join(", ")));
    }
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|am| {
                format!(
                    "{} of container {}",
                    get_str(am.mount, "mountPath"),
                    get_str(am.app, "name")
                )
            })
            .collect();
        cx.push_sev(&SSL_042, Severity::Info, t.resource, tp, format!("sidecar {name} of SidecarSet {ssn} does not get the app mount(s) {}: the path is already used, so they are skipped silently", list.join(", ")));
    }
}

pub(crate) const SSL_044: Rule = Rule {
    id: RuleId::Ssl044,
    severity: Warning,
    title: "Log sidecar cannot see the app's logs",
    description: "The collector only sees files on a volume the app also mounts.",
    help: "Mount the same volume in the app container, or enable shareVolumePolicy.",
};

/// The app's mounted volumes and a SidecarSet's emptyDirs, for SSL-044,
/// made once per SidecarSet: a name lookup per mount keeps thousands of
/// mounts linear.
pub(super) type LogVolumes<'v> = Option<(HashSet<&'v str>, HashSet<&'v str>)>;

/// SSL-044 for plain sidecar `c` of SidecarSet `ssn` (spec `sp`): a log
/// agent should share a volume with the app.
pub(super) fn log_agent<'v>(
    cx: &mut PracticeOut<'_>,
    t: &'v Template<'_>,
    ssn: &str,
    sp: &'v Value,
    c: &Value,
    pod_vols: &HashMap<&str, &Value>,
    log_volumes: &mut LogVolumes<'v>,
) {
    if !is_log_agent(c) || str_at(c, "/shareVolumePolicy/type") == "enabled" {
        return;
    }
    let name = get_str(c, "name");
    let (app_vols, own_empty_dirs) = log_volumes.get_or_insert_with(|| {
        let app: HashSet<&str> = t
            .list("containers")
            .iter()
            .flat_map(|a| {
                get_arr(a, "volumeMounts")
                    .iter()
                    .map(|m| get_str(m, "name"))
            })
            .collect();
        let own: HashSet<&str> = get_arr(sp, "volumes")
            .iter()
            .filter(|v| v.get("emptyDir").is_some())
            .map(|v| get_str(v, "name"))
            .collect();
        (app, own)
    });
    let own: Vec<&str> = get_arr(c, "volumeMounts")
        .iter()
        .map(|m| get_str(m, "name"))
        .filter(|n| {
            own_empty_dirs.contains(n)
                || pod_vols.get(n).is_some_and(|v| v.get("emptyDir").is_some())
        })
        .collect();
    if !own.is_empty() && !own.iter().any(|n| app_vols.contains(n)) {
        cx.push(&SSL_044, t.resource, pod_spec(t), format!("log sidecar {name} of SidecarSet {ssn} mounts {} but no app container of these pods mounts it: it sees no logs", own.join(", ")));
    }
}

pub(crate) const SSL_045: Rule = Rule {
    id: RuleId::Ssl045,
    severity: Info,
    title: "Sidecar without the service-account token (unverified)",
    description: "The ServiceAccount admission plugin mounts the API token into the containers that exist before mutating webhooks run; injected sidecars do not get it.",
    help: "If the sidecar calls the API server, mount a projected serviceAccountToken volume in it or enable shareVolumePolicy.",
};

/// SSL-045: sidecars miss the token the ServiceAccount admission plugin mounts.
pub(super) fn service_account_token(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    ssn: &str,
    c: &Value,
) {
    let spec = t.spec();
    let sa = match str_at(spec, "/serviceAccountName") {
        "" => str_at(spec, "/serviceAccount"),
        n => n,
    };
    if sa.is_empty() || sa == "default" {
        return; // pods that do not pick an identity rarely call the API server
    }
    if spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        == Some(false)
    {
        return;
    }
    let own = get_arr(c, "volumeMounts")
        .iter()
        .any(|m| get_str(m, "mountPath").trim_end_matches('/') == SA_TOKEN_PATH);
    if own || shares(c) {
        return;
    }
    cx.push(&SSL_045, t.resource, pod_spec(t).key("serviceAccountName"), format!("sidecar {} of SidecarSet {ssn} is injected after the ServiceAccount admission plugin ran: it gets no token of service account {sa} (unverified); if it calls the API server, mount a projected token or enable shareVolumePolicy", get_str(c, "name")));
}

#[cfg(test)]
mod tests {
    #[test]
    fn subpath_variables() {
        assert_eq!(
            crate::inject::subpath_vars("a/$(POD_NAME)/$(NS)x"),
            vec!["POD_NAME", "NS"]
        );
        assert_eq!(
            crate::inject::subpath_vars("$(1BAD) $(ok.name-1) $(unclosed"),
            vec!["ok.name-1"]
        );
        assert!(crate::inject::subpath_vars("").is_empty());
    }
}
