//! Building the sidecars of one SidecarSet for one pod (injection.md §3,
//! §6, §7) and placing them (§4, §5).

use crate::annotations::{version_alt_annotation, version_annotation};
use crate::value::{get_arr, get_str, At};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The fields of a SidecarSet container that are Kruise's, not the Pod's.
const KRUISE_FIELDS: [&str; 6] = [
    "podInjectPolicy",
    "upgradeStrategy",
    "shareVolumePolicy",
    "shareVolumeDevicePolicy",
    "transferEnv",
    "resourcesPolicy",
];

/// One sidecar ready to place, with where it goes.
#[derive(Clone)]
pub(crate) struct Built {
    pub container: Value,
    pub before_app: bool,
}

/// What one SidecarSet contributes.
#[derive(Clone, Default)]
pub(crate) struct Collected {
    pub init_containers: Vec<Built>,
    pub containers: Vec<Built>,
    pub volumes: Vec<Value>,
    pub secrets: Vec<Value>,
    pub sidecar_list: BTreeSet<String>,
    /// Hot upgrade: base name -> working twin.
    pub hot_working: Vec<String>,
}

fn is_injected(c: &Value) -> bool {
    get_arr(c, "env")
        .iter()
        .any(|e| get_str(e, "name") == "IS_INJECTED" && get_str(e, "value") == "true")
}

/// `MergeEnvVar`: keep `env`, append entries whose name is new.
pub(crate) fn merge_env(env: &mut Vec<Value>, extra: &[Value]) {
    let mut seen: HashSet<String> = env.iter().map(|e| get_str(e, "name").to_string()).collect();
    for e in extra {
        if seen.insert(get_str(e, "name").to_string()) {
            env.push(e.clone());
        }
    }
}

/// The pod's env by `container/name` (last wins), for transferEnv.
fn transfer_envs(pod: &Value, c: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let labels = pod.at("/metadata/labels");
    let annotations = pod.at("/metadata/annotations");
    for t in get_arr(c, "transferEnv") {
        let mut source = get_str(t, "sourceContainerName").to_string();
        if let Some(fp) = t
            .at("/sourceContainerNameFrom/fieldRef/fieldPath")
            .and_then(Value::as_str)
        {
            let lookup = |prefix: &str, m: Option<&Value>| {
                fp.strip_prefix(prefix)
                    .and_then(|r| r.strip_suffix("']"))
                    .map(|k| {
                        m.and_then(|m| m.get(k))
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string()
                    })
            };
            match lookup("metadata.labels['", labels)
                .or_else(|| lookup("metadata.annotations['", annotations))
            {
                Some(v) => source = v,
                None => continue,
            }
        }
        let mut names: BTreeSet<&str> = get_arr(t, "envNames")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if !get_str(t, "envName").is_empty() {
            names.insert(get_str(t, "envName"));
        }
        let Some(src) = get_arr(pod.get("spec").unwrap_or(&Value::Null), "containers")
            .iter()
            .find(|pc| get_str(pc, "name") == source)
        else {
            continue;
        };
        for n in names {
            if let Some(e) = get_arr(src, "env")
                .iter()
                .rev()
                .find(|e| get_str(e, "name") == n)
            {
                out.push(e.clone());
            }
        }
    }
    out
}

/// `$(NAME)` references of a subPathExpr, as `SubPathExprEnvReg`
/// (`\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)`) finds them.
pub(crate) fn subpath_vars(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(i) = rest.find("$(") {
        let after = &rest[i + 2..];
        let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
        let end = after.find(|c: char| !ok(c)).unwrap_or(after.len());
        let name = &after[..end];
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'));
        if first_ok && after[end..].starts_with(')') {
            out.push(name);
            rest = &after[end + 1..];
        } else {
            rest = after;
        }
    }
    out
}

/// §7.1: the app containers' mounts and the envs their subPathExpr need.
fn shared_mounts(pod: &Value) -> (Vec<Value>, Vec<Value>) {
    let mut mounts = Vec::new();
    let mut envs = Vec::new();
    for c in get_arr(pod.get("spec").unwrap_or(&Value::Null), "containers") {
        if is_injected(c) {
            continue;
        }
        for m in get_arr(c, "volumeMounts") {
            mounts.push(m.clone());
            for var in subpath_vars(get_str(m, "subPathExpr")) {
                if let Some(e) = get_arr(c, "env").iter().find(|e| get_str(e, "name") == var) {
                    envs.push(e.clone());
                }
            }
        }
    }
    (mounts, envs)
}

fn shared_devices(pod: &Value) -> Vec<Value> {
    get_arr(pod.get("spec").unwrap_or(&Value::Null), "containers")
        .iter()
        .filter(|c| !is_injected(c))
        .flat_map(|c| get_arr(c, "volumeDevices").iter().cloned())
        .collect()
}

/// Whether [`collect`] reads nothing of the pod for `ss`: no sidecar
/// transfers env, shares volumes or devices, or has a `resourcesPolicy`.
pub(crate) fn pod_independent(ss: &Value) -> bool {
    let spec = ss.get("spec").unwrap_or(&Value::Null);
    get_arr(spec, "initContainers")
        .iter()
        .chain(get_arr(spec, "containers"))
        .all(|c| {
            get_arr(c, "transferEnv").is_empty()
                && c.get("resourcesPolicy").is_none_or(Value::is_null)
                && c.at("/shareVolumePolicy/type").and_then(Value::as_str) != Some("enabled")
                && c.at("/shareVolumeDevicePolicy/type")
                    .and_then(Value::as_str)
                    != Some("enabled")
        })
}

/// Builds every sidecar of `ss` (already the revision to inject).
pub(crate) fn collect(
    ss: &Value,
    pod: &Value,
    excluded: &HashSet<String>,
) -> Result<Collected, super::Rejection> {
    let mut out = Collected::default();
    // By name, the last of a name winning: a lookup per mount keeps
    // SidecarSets with thousands of volumes linear.
    let volumes: HashMap<&str, &Value> = get_arr(ss.get("spec").unwrap_or(&Value::Null), "volumes")
        .iter()
        .map(|v| (get_str(v, "name"), v))
        .collect();
    let spec = ss.get("spec").unwrap_or(&Value::Null);
    for (init, list) in [
        (true, get_arr(spec, "initContainers")),
        (false, get_arr(spec, "containers")),
    ] {
        for c in list {
            let native = init && get_str(c, "restartPolicy") == "Always";
            let name = get_str(c, "name").to_string();
            let share = c.at("/shareVolumePolicy/type").and_then(Value::as_str) == Some("enabled");
            let (mounts, subpath_envs) = if share {
                shared_mounts(pod)
            } else {
                (Vec::new(), Vec::new())
            };
            let mut transfer = transfer_envs(pod, c);
            merge_env(&mut transfer, &subpath_envs);
            for m in get_arr(c, "volumeMounts")
                .iter()
                .chain(get_arr(c, "volumeDevices"))
            {
                if let Some(v) = volumes.get(get_str(m, "name")) {
                    out.volumes.push((*v).clone());
                }
            }
            let mut container: Map<String, Value> = c.as_object().cloned().unwrap_or_default();
            if let Some(policy) = c.get("resourcesPolicy").filter(|p| !p.is_null()) {
                super::resources::apply(&mut container, policy, pod, excluded)?;
            }
            // MergeVolumeMounts: own mounts, then shared ones on free paths.
            let mut taken: HashSet<String> = get_arr(c, "volumeMounts")
                .iter()
                .map(|m| get_str(m, "mountPath").to_string())
                .collect();
            taken.extend(
                get_arr(c, "volumeDevices")
                    .iter()
                    .map(|d| get_str(d, "devicePath").to_string()),
            );
            let mut all_mounts: Vec<Value> = get_arr(c, "volumeMounts").to_vec();
            for m in mounts {
                if taken.insert(get_str(&m, "mountPath").to_string()) {
                    all_mounts.push(m);
                }
            }
            let share_devices = c
                .at("/shareVolumeDevicePolicy/type")
                .and_then(Value::as_str)
                == Some("enabled");
            // The paths shared devices may not take, read before the mounts
            // move into the container.
            let mut used: HashSet<String> = HashSet::new();
            if share_devices {
                used.extend(
                    get_arr(c, "volumeDevices")
                        .iter()
                        .map(|d| get_str(d, "devicePath").to_string()),
                );
                used.extend(
                    all_mounts
                        .iter()
                        .map(|m| get_str(m, "mountPath").to_string()),
                );
            }
            if !all_mounts.is_empty() {
                container.insert("volumeMounts".into(), Value::Array(all_mounts));
            }
            let mut env: Vec<Value> = get_arr(c, "env").to_vec();
            env.push(json!({"name": "IS_INJECTED", "value": "true"}));
            merge_env(&mut env, &transfer);
            container.insert("env".into(), Value::Array(env));
            if share_devices {
                let mut devices: Vec<Value> = get_arr(c, "volumeDevices").to_vec();
                for d in shared_devices(pod) {
                    if used.insert(get_str(&d, "devicePath").to_string()) {
                        devices.push(d);
                    }
                }
                if !devices.is_empty() {
                    container.insert("volumeDevices".into(), Value::Array(devices));
                }
            }
            // Only an explicit BeforeAppContainer goes first: a spec restored
            // from a ControllerRevision is not defaulted, and "" means after.
            let before_app = get_str(c, "podInjectPolicy") == "BeforeAppContainer";
            let hot = c.at("/upgradeStrategy/upgradeType").and_then(Value::as_str)
                == Some("HotUpgrade")
                && (!init || native);
            let empty_image = c
                .at("/upgradeStrategy/hotUpgradeEmptyImage")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            for k in KRUISE_FIELDS {
                container.remove(k);
            }
            let target = if init {
                &mut out.init_containers
            } else {
                &mut out.containers
            };
            if hot {
                for (suffix, image) in [
                    ("-1", get_str(c, "image").to_string()),
                    ("-2", empty_image.clone()),
                ] {
                    let twin_name = format!("{name}{suffix}");
                    let mut twin = container.clone();
                    twin.insert("name".into(), Value::String(twin_name.clone()));
                    twin.insert("image".into(), Value::String(image));
                    let mut env: Vec<Value> = twin
                        .get("env")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    for (var, key) in [
                        ("SIDECARSET_VERSION", version_annotation(&twin_name)),
                        ("SIDECARSET_VERSION_ALT", version_alt_annotation(&twin_name)),
                    ] {
                        env.push(json!({"name": var, "valueFrom": {"fieldRef": {
                            "fieldPath": format!("metadata.annotations['{key}']")}}}));
                    }
                    twin.insert("env".into(), Value::Array(env));
                    target.push(Built {
                        container: Value::Object(twin),
                        before_app,
                    });
                }
                out.hot_working.push(name);
            } else {
                target.push(Built {
                    container: Value::Object(container),
                    before_app,
                });
            }
        }
    }
    out.secrets = get_arr(spec, "imagePullSecrets").to_vec();
    out.sidecar_list = sidecar_list(ss);
    Ok(out)
}

/// The names `sidecarList` records for `ss`: its containers and its native
/// sidecars (init containers that restart always).
pub(crate) fn sidecar_list(ss: &Value) -> BTreeSet<String> {
    let spec = ss.get("spec").unwrap_or(&Value::Null);
    let native = get_arr(spec, "initContainers")
        .iter()
        .filter(|c| get_str(c, "restartPolicy") == "Always");
    native
        .chain(get_arr(spec, "containers"))
        .map(|c| get_str(c, "name").to_string())
        .collect()
}

/// §4: replace same-named containers in place, else before or after the app's.
pub(crate) fn place(existing: Vec<Value>, collected: Vec<Built>) -> Vec<Value> {
    let mut list = existing;
    let mut before = Vec::new();
    let mut after = Vec::new();
    for b in collected {
        let name = get_str(&b.container, "name");
        if let Some(i) = list.iter().position(|c| get_str(c, "name") == name) {
            list[i] = b.container;
        } else if b.before_app {
            before.push(b.container);
        } else {
            after.push(b.container);
        }
    }
    if before.is_empty() {
        list.extend(after);
        return list;
    }
    before.into_iter().chain(list).chain(after).collect()
}

/// §5.2: pod volumes, then collected ones with new names (first wins),
/// appended to `volumes`.
pub(crate) fn merge_volumes(volumes: &mut Vec<Value>, collected: &[&Value]) {
    let mut names: HashSet<&str> = volumes.iter().map(|v| get_str(v, "name")).collect();
    let mut new = Vec::new();
    for v in collected {
        if names.insert(get_str(v, "name")) {
            new.push((*v).clone());
        }
    }
    drop(names);
    volumes.extend(new);
}

/// §5.3: the pod's secrets de-duplicated, then new ones.
pub(crate) fn merge_secrets(pod_secrets: Vec<Value>, collected: &[&Value]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    for v in pod_secrets {
        if names.insert(get_str(&v, "name").to_string()) {
            out.push(v);
        }
    }
    for v in collected {
        if names.insert(get_str(v, "name").to_string()) {
            out.push((*v).clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_matches_kruise_tests() {
        let c = |n: &str, before: bool| Built {
            container: json!({"name": n}),
            before_app: before,
        };
        let got = place(
            vec![
                json!({"name": "sidecar-1"}),
                json!({"name": "app"}),
                json!({"name": "sidecar-2"}),
            ],
            vec![
                c("new-sidecar-1", true),
                c("sidecar-1", false),
                c("sidecar-2", false),
            ],
        );
        let names: Vec<&str> = got.iter().map(|v| get_str(v, "name")).collect();
        assert_eq!(names, ["new-sidecar-1", "sidecar-1", "app", "sidecar-2"]);
    }

    #[test]
    fn env_merge_keeps_first() {
        let mut env = vec![json!({"name": "A", "value": "1"})];
        merge_env(
            &mut env,
            &[json!({"name": "A", "value": "2"}), json!({"name": "B"})],
        );
        assert_eq!(
            env,
            vec![json!({"name": "A", "value": "1"}), json!({"name": "B"})]
        );
        assert_eq!(subpath_vars("logs/$(POD_NAME)/$(NS)"), ["POD_NAME", "NS"]);
        // The regex restarts right after a failed `$(`.
        assert_eq!(subpath_vars("$(a$(b)"), ["b"]);
    }
}
