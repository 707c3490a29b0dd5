//! Kubernetes' own validation (`k8s.io/apimachinery pkg/util/validation`,
//! `k8s.io/kubernetes pkg/apis/core/validation`): the part of
//! `ValidatePodCreate` the SidecarSet webhook runs on the fake pod it builds
//! from the sidecars and volumes, and the name/label checks of selectors and
//! metadata. Knows nothing of lint rules: the webhook's rules decide which
//! rule each kind of error counts under.

use super::model::q;
use crate::path::JsonPath;
use crate::value::{get_arr, get_str};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Which kind of check a [`PodError`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PodCheck {
    /// Kubernetes' container and volume checks in general.
    Field,
    /// One volume named both in `volumeMounts` and in `volumeDevices` of a
    /// container: told apart because the fix is a design choice.
    MountAndDevice,
}

/// One Kubernetes field error: the check it comes from, where, and the
/// `<field>: <Type>: <detail>` text.
pub(crate) struct PodError {
    pub check: PodCheck,
    pub path: JsonPath,
    pub message: String,
}

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// `IsDNS1123Label`.
pub(crate) fn dns1123_label(v: &str) -> Vec<String> {
    let b = v.as_bytes();
    let mut errs = Vec::new();
    if b.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(|c| *c != b'-')
        && b.last().is_some_and(|c| *c != b'-');
    if !ok {
        errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub(crate) fn dns1123_subdomain(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    let ok = !v.is_empty()
        && v.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b.first().is_some_and(|c| alnum(*c))
                && b.last().is_some_and(|c| alnum(*c))
        });
    if !ok {
        errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string());
    }
    errs
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, the name part of qualified
/// names and label values.
fn qualified_part(v: &str) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.first().is_some_and(|c| alnum(*c))
        && b.last().is_some_and(|c| alnum(*c))
        && b.iter()
            .all(|c| alnum(*c) || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName`.
pub(crate) fn qualified_name(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (prefix, name) = match v.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, v),
    };
    if name.contains('/') {
        errs.push("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string());
        return errs;
    }
    if let Some(p) = prefix {
        if p.is_empty() {
            errs.push("prefix part must be non-empty".to_string());
        } else {
            errs.extend(
                dns1123_subdomain(p)
                    .into_iter()
                    .map(|m| format!("prefix part {m}")),
            );
        }
    }
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !qualified_part(name) {
        errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string());
    }
    errs
}

/// `IsValidLabelValue`.
pub(crate) fn label_value(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !qualified_part(v) {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    errs
}

struct Errs {
    out: Vec<PodError>,
}

impl Errs {
    fn push(&mut self, path: &JsonPath, kind: &str, detail: impl AsRef<str>) {
        self.push_check(PodCheck::Field, path, kind, detail);
    }
    fn push_check(
        &mut self,
        check: PodCheck,
        path: &JsonPath,
        kind: &str,
        detail: impl AsRef<str>,
    ) {
        let detail = detail.as_ref();
        let message = if detail.is_empty() {
            format!("{path}: {kind}")
        } else {
            format!("{path}: {kind}: {detail}")
        };
        self.out.push(PodError {
            check,
            path: path.clone(),
            message,
        });
    }
    fn invalid(&mut self, path: &JsonPath, value: &str, detail: impl AsRef<str>) {
        self.push(path, &format!("Invalid value: {}", q(value)), detail);
    }
}

/// A sidecar container list entry with where it sits.
pub(crate) struct Ctr<'a> {
    pub c: &'a Value,
    pub path: JsonPath,
    pub init: bool,
}

const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// The part of `ValidatePodCreate` that concerns the fake pod's containers
/// and volumes. `containers` is empty when the SidecarSet has none (the
/// webhook then adds a placeholder named `test`).
pub(crate) fn validate_pod(
    init: &[Ctr<'_>],
    containers: &[Ctr<'_>],
    volumes: &[Value],
    volumes_path: &JsonPath,
) -> Vec<PodError> {
    let mut e = Errs { out: Vec::new() };
    // volumes
    let mut vol_names: HashSet<&str> = HashSet::new();
    let mut block_vols: HashSet<&str> = HashSet::new();
    for (i, v) in volumes.iter().enumerate() {
        // Built only for a finding.
        let p = || volumes_path.clone().index(i);
        let name = get_str(v, "name");
        if name.is_empty() {
            e.push(&p().key("name"), "Required value", "");
        } else {
            for m in dns1123_label(name) {
                e.invalid(&p().key("name"), name, m);
            }
            if !vol_names.insert(name) {
                e.push(
                    &p().key("name"),
                    &format!("Duplicate value: {}", q(name)),
                    "",
                );
            }
        }
        // The volume's sources in `VOLUME_SOURCES` order, found from its
        // (few) keys rather than by a lookup of every source.
        let mut sources: Vec<&str> = match v {
            Value::Object(m) => m
                .iter()
                .filter(|(_, x)| !x.is_null())
                .filter_map(|(k, _)| VOLUME_SOURCES.iter().copied().find(|s| *s == k.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        if sources.len() > 1 {
            let rank = |k: &str| VOLUME_SOURCES.iter().position(|s| *s == k);
            sources.sort_by_key(|k| rank(k));
        }
        match sources.len() {
            0 => e.push(&p(), "Required value", "must specify a volume type"),
            1 => {}
            _ => e.push(
                &p().key(sources[1]),
                "Forbidden",
                "may not specify more than 1 volume type",
            ),
        }
        if sources
            .iter()
            .any(|k| matches!(*k, "persistentVolumeClaim" | "ephemeral"))
        {
            block_vols.insert(name);
        }
    }
    // container names are unique across both lists
    let mut names: HashSet<&str> = HashSet::new();
    for c in init.iter().chain(containers) {
        let name = get_str(c.c, "name");
        let np = c.path.clone().key("name");
        if name.is_empty() {
            e.push(&np, "Required value", "");
        } else {
            for m in dns1123_label(name) {
                e.invalid(&np, name, m);
            }
            if !names.insert(name) {
                e.push(&np, &format!("Duplicate value: {}", q(name)), "");
            }
        }
        container(&mut e, c, &vol_names, &block_vols);
    }
    if containers.is_empty() && names.contains("test") {
        // The webhook's placeholder container is named `test`.
        e.push(
            &JsonPath::keys(&["spec", "initContainers"]),
            "Duplicate value: \"test\"",
            "an init-only SidecarSet may not use the name 'test' (the webhook's placeholder container)",
        );
    }
    e.out
}

fn container(e: &mut Errs, c: &Ctr<'_>, vols: &HashSet<&str>, block_vols: &HashSet<&str>) {
    let v = c.c;
    let p = &c.path;
    let image = get_str(v, "image");
    if image.is_empty() {
        e.push(&p.clone().key("image"), "Required value", "");
    } else if image.trim() != image {
        e.invalid(
            &p.clone().key("image"),
            image,
            "must not have leading or trailing whitespace",
        );
    }
    // restartPolicy
    let native = get_str(v, "restartPolicy") == "Always";
    if let Some(rp) = v.get("restartPolicy").and_then(Value::as_str) {
        if !c.init {
            e.push(
                &p.clone().key("restartPolicy"),
                "Forbidden",
                "may not be set for non-init containers",
            );
        } else if rp != "Always" {
            e.push(
                &p.clone().key("restartPolicy"),
                &format!("Unsupported value: {}", q(rp)),
                "supported values: \"Always\"",
            );
        }
    }
    // probes and lifecycle
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(pr) = v.get(probe).filter(|x| !x.is_null()) else {
            continue;
        };
        let pp = p.clone().key(probe);
        if c.init && !native {
            e.push(&pp, "Forbidden", "may not be set for init containers");
            continue;
        }
        let handlers = ["exec", "httpGet", "tcpSocket", "grpc"]
            .iter()
            .filter(|h| pr.get(**h).is_some_and(|x| !x.is_null()))
            .count();
        if handlers == 0 {
            e.push(&pp, "Required value", "must specify a handler type");
        } else if handlers > 1 {
            e.push(&pp, "Forbidden", "may not specify more than 1 handler type");
        }
        if probe != "readinessProbe" {
            if let Some(st) = pr.get("successThreshold").and_then(Value::as_i64) {
                if st != 1 {
                    e.invalid(
                        &pp.clone().key("successThreshold"),
                        &st.to_string(),
                        "must be 1",
                    );
                }
            }
        }
    }
    if c.init && !native && v.get("lifecycle").is_some_and(|x| !x.is_null()) {
        e.push(
            &p.clone().key("lifecycle"),
            "Forbidden",
            "may not be set for init containers",
        );
    }
    volume_mounts(e, v, p, vols);
    volume_devices(e, v, p, vols, block_vols);
    ports(e, v, p);
    env(e, v, p);
    resources(e, v, p);
}

/// `GetVolumeMountMap` / `GetVolumeDeviceMap`: name -> path, a later entry
/// replacing an earlier one with the same name.
fn path_by_name<'a>(v: &'a Value, list: &str, path_key: &str) -> HashMap<&'a str, &'a str> {
    get_arr(v, list)
        .iter()
        .map(|m| (get_str(m, "name"), get_str(m, path_key)))
        .collect()
}

/// `ValidateVolumeMounts` (k8s 1.32): every check runs, none short-circuits.
fn volume_mounts(e: &mut Errs, v: &Value, p: &JsonPath, vols: &HashSet<&str>) {
    let devices = path_by_name(v, "volumeDevices", "devicePath");
    let list = p.clone().key("volumeMounts");
    let mut mount_paths: HashSet<&str> = HashSet::new();
    for (i, m) in get_arr(v, "volumeMounts").iter().enumerate() {
        // Built only for a finding.
        let mp = || list.clone().index(i);
        let name = get_str(m, "name");
        if name.is_empty() {
            e.push(&mp().key("name"), "Required value", "");
        }
        if !vols.contains(name) {
            e.push(&mp().key("name"), &format!("Not found: {}", q(name)), "");
        }
        let path = get_str(m, "mountPath");
        if path.is_empty() {
            e.push(&mp().key("mountPath"), "Required value", "");
        }
        if !mount_paths.insert(path) {
            e.invalid(&mp().key("mountPath"), path, "must be unique");
        }
        if devices.contains_key(name) {
            e.push_check(
                PodCheck::MountAndDevice,
                &mp().key("name"),
                &format!("Invalid value: {}", q(name)),
                "must not already exist in volumeDevices",
            );
        }
        if devices.values().any(|d| *d == path) {
            e.invalid(
                &mp().key("mountPath"),
                path,
                "must not already exist as a path in volumeDevices",
            );
        }
        // Kubernetes names these two errors by the list's path, without the
        // entry's index.
        let sub = get_str(m, "subPath");
        if !sub.is_empty() {
            local_descending_path(e, &list.clone().key("subPath"), sub);
        }
        let sub_expr = get_str(m, "subPathExpr");
        if !sub_expr.is_empty() {
            if !sub.is_empty() {
                e.invalid(
                    &mp().key("subPathExpr"),
                    sub_expr,
                    "subPathExpr and subPath are mutually exclusive",
                );
            }
            local_descending_path(e, &list.clone().key("subPathExpr"), sub_expr);
        }
        if let Some(prop) = m.get("mountPropagation").and_then(Value::as_str) {
            if !matches!(prop, "None" | "HostToContainer" | "Bidirectional") {
                e.push(
                    &mp().key("mountPropagation"),
                    &format!("Unsupported value: {}", q(prop)),
                    "supported values: \"Bidirectional\", \"HostToContainer\", \"None\"",
                );
            }
        }
    }
}

/// `validatePathNoBacksteps`: Kruise runs on Linux, where `filepath.ToSlash`
/// changes nothing, so only `/` separates.
fn has_backsteps(path: &str) -> bool {
    path.split('/').any(|x| x == "..")
}

/// `validateLocalDescendingPath`.
fn local_descending_path(e: &mut Errs, at: &JsonPath, path: &str) {
    if path.starts_with('/') {
        e.invalid(at, path, "must be a relative path");
    }
    if has_backsteps(path) {
        e.invalid(at, path, "must not contain '..'");
    }
}

/// `ValidateVolumeDevices` (k8s 1.32).
fn volume_devices(
    e: &mut Errs,
    v: &Value,
    p: &JsonPath,
    vols: &HashSet<&str>,
    block_vols: &HashSet<&str>,
) {
    let mounts = path_by_name(v, "volumeMounts", "mountPath");
    let mut device_paths: HashSet<&str> = HashSet::new();
    let mut device_names: HashSet<&str> = HashSet::new();
    for (i, d) in get_arr(v, "volumeDevices").iter().enumerate() {
        let dp = p.clone().key("volumeDevices").index(i);
        let name = get_str(d, "name");
        if name.is_empty() {
            e.push(&dp.clone().key("name"), "Required value", "");
        }
        if device_names.contains(name) {
            e.invalid(&dp.clone().key("name"), name, "must be unique");
        }
        if vols.contains(name) && !block_vols.contains(name) {
            e.invalid(
                &dp.clone().key("name"),
                name,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            );
        }
        if !vols.contains(name) {
            e.push(
                &dp.clone().key("name"),
                &format!("Not found: {}", q(name)),
                "",
            );
        }
        let path = get_str(d, "devicePath");
        if path.is_empty() {
            e.push(&dp.clone().key("devicePath"), "Required value", "");
        }
        if device_paths.contains(path) {
            e.invalid(&dp.clone().key("devicePath"), path, "must be unique");
        }
        if !path.is_empty() && has_backsteps(path) {
            e.invalid(
                &dp.clone().key("devicePath"),
                path,
                "can not contain backsteps ('..')",
            );
        } else {
            device_paths.insert(path);
        }
        if mounts.contains_key(name) {
            e.push_check(
                PodCheck::MountAndDevice,
                &dp.clone().key("name"),
                &format!("Invalid value: {}", q(name)),
                "must not already exist in volumeMounts",
            );
        }
        if mounts.values().any(|m| *m == path) {
            e.invalid(
                &dp.clone().key("devicePath"),
                path,
                "must not already exist as a path in volumeMounts",
            );
        }
        if !name.is_empty() {
            device_names.insert(name);
        }
    }
}

fn ports(e: &mut Errs, v: &Value, p: &JsonPath) {
    let mut names: HashSet<&str> = HashSet::new();
    for (i, port) in get_arr(v, "ports").iter().enumerate() {
        let pp = p.clone().key("ports").index(i);
        let name = get_str(port, "name");
        if !name.is_empty() {
            let ok = name.len() <= 15
                && name
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && name.bytes().any(|c| c.is_ascii_lowercase())
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.contains("--");
            if !ok {
                e.invalid(
                    &pp.clone().key("name"),
                    name,
                    "must be an IANA_SVC_NAME (at most 15 lower case alphanumerics or '-', with a letter, no '--', not starting or ending with '-')",
                );
            }
            if !names.insert(name) {
                e.push(
                    &pp.clone().key("name"),
                    &format!("Duplicate value: {}", q(name)),
                    "",
                );
            }
        }
        match port.get("containerPort").and_then(Value::as_i64) {
            None | Some(0) => e.push(&pp.clone().key("containerPort"), "Required value", ""),
            Some(n) if !(1..=65535).contains(&n) => e.invalid(
                &pp.clone().key("containerPort"),
                &n.to_string(),
                "must be between 1 and 65535, inclusive",
            ),
            _ => {}
        }
        if let Some(n) = port.get("hostPort").and_then(Value::as_i64) {
            if n != 0 && !(1..=65535).contains(&n) {
                e.invalid(
                    &pp.clone().key("hostPort"),
                    &n.to_string(),
                    "must be between 1 and 65535, inclusive",
                );
            }
        }
        let proto = get_str(port, "protocol");
        if !proto.is_empty() && !matches!(proto, "TCP" | "UDP" | "SCTP") {
            e.push(
                &pp.clone().key("protocol"),
                &format!("Unsupported value: {}", q(proto)),
                "supported values: \"SCTP\", \"TCP\", \"UDP\"",
            );
        }
    }
}

const FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

fn env(e: &mut Errs, v: &Value, p: &JsonPath) {
    for (i, ev) in get_arr(v, "env").iter().enumerate() {
        let ep = p.clone().key("env").index(i);
        let name = get_str(ev, "name");
        if name.is_empty() {
            e.push(&ep.clone().key("name"), "Required value", "");
        } else if name.contains('=') || !name.bytes().all(|c| (0x20..0x7f).contains(&c)) {
            e.invalid(
                &ep.clone().key("name"),
                name,
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
            );
        }
        let Some(from) = ev.get("valueFrom").filter(|x| !x.is_null()) else {
            continue;
        };
        let fp = ep.clone().key("valueFrom");
        if !get_str(ev, "value").is_empty() {
            e.push(
                &fp,
                "Invalid value: \"\"",
                "may not be specified when `value` is not empty",
            );
        }
        let sources: Vec<&str> = [
            "fieldRef",
            "resourceFieldRef",
            "configMapKeyRef",
            "secretKeyRef",
        ]
        .into_iter()
        .filter(|k| from.get(*k).is_some_and(|x| !x.is_null()))
        .collect();
        match sources.len() {
            0 => e.invalid(&fp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapRef` or `secretKeyRef`"),
            1 => {}
            _ => e.invalid(&fp, "", "may not have more than one field specified at a time"),
        }
        if let Some(fr) = from.get("fieldRef").filter(|x| !x.is_null()) {
            let frp = fp.clone().key("fieldRef");
            let api = get_str(fr, "apiVersion");
            let path = get_str(fr, "fieldPath");
            if path.is_empty() {
                e.push(&frp.clone().key("fieldPath"), "Required value", "");
            } else if !api.is_empty() && api != "v1" {
                e.invalid(
                    &frp.clone().key("apiVersion"),
                    api,
                    "unsupported pod version",
                );
            } else {
                let base = path
                    .strip_suffix("']")
                    .and_then(|x| x.split_once("['"))
                    .filter(|(b, _)| !b.is_empty());
                match base {
                    Some((b, key)) => {
                        if !matches!(b, "metadata.labels" | "metadata.annotations") {
                            e.invalid(
                                &frp.clone().key("fieldPath"),
                                path,
                                "does not support subscript",
                            );
                        } else {
                            let k = if b == "metadata.annotations" {
                                key.to_ascii_lowercase()
                            } else {
                                key.to_string()
                            };
                            for m in qualified_name(&k) {
                                e.invalid(&frp.clone().key("fieldPath"), key, m);
                            }
                        }
                    }
                    None if !FIELD_PATHS.contains(&path) => e.push(
                        &frp.clone().key("fieldPath"),
                        &format!("Unsupported value: {}", q(path)),
                        "",
                    ),
                    None => {}
                }
            }
        }
    }
}

fn resources(e: &mut Errs, v: &Value, p: &JsonPath) {
    let rp = p.clone().key("resources");
    let Some(res) = v.get("resources") else {
        return;
    };
    let limits = res.get("limits").and_then(Value::as_object);
    let requests = res.get("requests").and_then(Value::as_object);
    for (kind, m) in [("limits", limits), ("requests", requests)] {
        let Some(m) = m else { continue };
        for (name, val) in m {
            let kp = rp.clone().key(kind).key(name.as_str());
            let standard = matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage")
                || name.starts_with("hugepages-");
            if !standard && (!name.contains('/') || !qualified_name(name).is_empty()) {
                e.invalid(
                    &kp,
                    name,
                    "must be a standard resource type or fully qualified",
                );
            }
            if let Ok(qv) = crate::quantity::from_json(val) {
                if qv.sign() < 0 {
                    e.invalid(&kp, &qv.canonical(), "must be greater than or equal to 0");
                }
            }
        }
    }
    if let (Some(l), Some(r)) = (limits, requests) {
        for (name, req) in r {
            let (Some(lim), Ok(rq)) = (l.get(name), crate::quantity::from_json(req)) else {
                continue;
            };
            let Ok(lq) = crate::quantity::from_json(lim) else {
                continue;
            };
            if rq.cmp_value(&lq) == std::cmp::Ordering::Greater {
                e.invalid(
                    &rp.clone().key("requests").key(name.as_str()),
                    &rq.canonical(),
                    format!(
                        "must be less than or equal to {name} limit of {}",
                        lq.canonical()
                    ),
                );
            }
        }
    }
}
