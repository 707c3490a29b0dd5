//! SidecarSet defaulting: the CRD structural-schema defaults the API server
//! applies to the request, then `SetDefaultsSidecarSetV1beta1` (identical for
//! v1alpha1) with the core/v1 container, probe and volume defaults it calls
//! (`apis/apps/defaults/v1beta1.go`, `apis/apps/defaults/pod.go`,
//! `k8s.io/kubernetes pkg/apis/core/v1/defaults.go`).
//!
//! [`apply`] works on the spec after the Go round trip (`gotype`), where a
//! missing key is exactly Go's zero value, so "absent" here means `""`, `0`
//! or nil there. Keys are inserted anywhere; the next round trip puts them in
//! struct order.

use super::image::default_pull_policy;
use crate::path::{FieldError, JsonPath};
use crate::quantity::{self, MILLI};
use serde_json::{json, Map, Value};

type Obj = Map<String, Value>;

fn obj_mut<'a>(m: &'a mut Obj, key: &str) -> Option<&'a mut Obj> {
    m.get_mut(key).and_then(Value::as_object_mut)
}

fn arr_mut<'a>(m: &'a mut Obj, key: &str) -> Option<&'a mut Vec<Value>> {
    m.get_mut(key).and_then(Value::as_array_mut)
}

fn objects_mut<'a>(m: &'a mut Obj, key: &str) -> impl Iterator<Item = &'a mut Obj> {
    arr_mut(m, key)
        .into_iter()
        .flat_map(|a| a.iter_mut().filter_map(Value::as_object_mut))
}

fn default_str(m: &mut Obj, key: &str, value: &str) {
    if !m.contains_key(key) {
        m.insert(key.to_string(), Value::String(value.to_string()));
    }
}

fn default_int(m: &mut Obj, key: &str, value: i64) {
    if !m.contains_key(key) {
        m.insert(key.to_string(), Value::Number(value.into()));
    }
}

/// CRD defaults, applied by the API server to the raw request before any
/// webhook sees it: only where the key is absent (an explicit `""` stays).
/// `raw` is the request as written; the defaults go into `decoded`, its
/// round trip, where the next round trip puts them in struct order (a
/// default is a non-empty string, which the round trip of `raw` with it
/// would have kept as is).
pub(crate) fn apply_crd(raw: &Value, decoded: &mut Value) {
    let (Some(spec), Some(out)) = (
        raw.get("spec").and_then(Value::as_object),
        decoded.get_mut("spec").and_then(Value::as_object_mut),
    ) else {
        return;
    };
    let absent = |m: &Obj, key: &str| m.get(key).is_none_or(Value::is_null);
    for list in ["containers", "initContainers"] {
        let Some(items) = spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in items.iter().enumerate() {
            let Some(rp) = c.get("resourcesPolicy").and_then(Value::as_object) else {
                continue;
            };
            if !absent(rp, "targetContainersNameRegex") {
                continue;
            }
            let target = arr_mut(out, list)
                .and_then(|a| a.get_mut(i))
                .and_then(Value::as_object_mut)
                .and_then(|c| obj_mut(c, "resourcesPolicy"));
            if let Some(rp) = target {
                rp.insert("targetContainersNameRegex".into(), json!(".*"));
            }
        }
    }
    let revision = |s: &Obj| -> bool {
        s.get("injectionStrategy")
            .and_then(|s| s.get("revision"))
            .and_then(Value::as_object)
            .is_some_and(|rev| absent(rev, "policy"))
    };
    if revision(spec) {
        if let Some(rev) = obj_mut(out, "injectionStrategy").and_then(|s| obj_mut(s, "revision")) {
            rev.insert("policy".into(), json!("Always"));
        }
    }
}

/// `SetDefaultsSidecarSet*` on a round-tripped spec.
pub(crate) fn apply(spec: &mut Obj, spec_path: &JsonPath) -> Result<(), FieldError> {
    let us = crate::value::ensure_obj(spec, "updateStrategy");
    default_str(us, "type", "RollingUpdate");
    default_int(us, "maxUnavailable", 1);
    default_int(us, "partition", 0);

    for (list, policy) in [
        ("initContainers", "AfterAppContainer"),
        ("containers", "BeforeAppContainer"),
    ] {
        if let Some(items) = arr_mut(spec, list) {
            for (i, c) in items.iter_mut().enumerate() {
                if let Some(c) = c.as_object_mut() {
                    let here = spec_path.clone().key(list).index(i);
                    sidecar_container(c, policy, &here)?;
                }
            }
        }
    }

    for v in objects_mut(spec, "volumes") {
        volume(v);
    }

    default_int(spec, "revisionHistoryLimit", 10);

    for p in objects_mut(spec, "patchPodMetadata") {
        default_str(p, "patchPolicy", "Retain");
    }

    if let Some(rev) = obj_mut(spec, "injectionStrategy").and_then(|s| obj_mut(s, "revision")) {
        default_str(rev, "policy", "Always");
    }
    Ok(())
}

fn sidecar_container(c: &mut Obj, policy: &str, path: &JsonPath) -> Result<(), FieldError> {
    default_str(c, "podInjectPolicy", policy);
    default_str(
        crate::value::ensure_obj(c, "upgradeStrategy"),
        "upgradeType",
        "ColdUpgrade",
    );
    default_str(
        crate::value::ensure_obj(c, "shareVolumePolicy"),
        "type",
        "disabled",
    );

    // core SetDefaults_Container
    if !c.contains_key("imagePullPolicy") {
        let image = c.get("image").and_then(Value::as_str).unwrap_or("");
        let p = default_pull_policy(image);
        c.insert("imagePullPolicy".into(), json!(p));
    }
    default_str(c, "terminationMessagePath", "/dev/termination-log");
    default_str(c, "terminationMessagePolicy", "File");

    for p in objects_mut(c, "ports") {
        default_str(p, "protocol", "TCP");
    }
    if let Some(items) = arr_mut(c, "transferEnv") {
        for (i, t) in items.iter_mut().enumerate() {
            let Some(from) = t
                .as_object_mut()
                .and_then(|t| obj_mut(t, "sourceContainerNameFrom"))
            else {
                continue;
            };
            // Go dereferences the nil fieldRef and the webhook request fails.
            let Some(field_ref) = obj_mut(from, "fieldRef") else {
                return Err(FieldError::new(
                    path.clone()
                        .key("transferEnv")
                        .index(i)
                        .key("sourceContainerNameFrom")
                        .key("fieldRef"),
                    "required when sourceContainerNameFrom is set (the mutating webhook fails on a nil fieldRef)",
                ));
            };
            default_str(field_ref, "apiVersion", "v1");
        }
    }
    for e in objects_mut(c, "env") {
        if let Some(fr) = obj_mut(e, "valueFrom").and_then(|vf| obj_mut(vf, "fieldRef")) {
            default_str(fr, "apiVersion", "v1");
        }
    }
    if let Some(res) = obj_mut(c, "resources") {
        for list in ["limits", "requests"] {
            if let Some(m) = obj_mut(res, list) {
                for v in m.values_mut() {
                    if let Ok(mut q) = quantity::from_json(v) {
                        q.round_up(MILLI);
                        *v = Value::String(q.to_go_string());
                    }
                }
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe"] {
        if let Some(p) = obj_mut(c, probe) {
            default_int(p, "timeoutSeconds", 1);
            default_int(p, "periodSeconds", 10);
            default_int(p, "successThreshold", 1);
            default_int(p, "failureThreshold", 3);
            if let Some(h) = obj_mut(p, "httpGet") {
                http_get(h);
            }
        }
    }
    if let Some(lc) = obj_mut(c, "lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = obj_mut(lc, hook).and_then(|h| obj_mut(h, "httpGet")) {
                http_get(h);
            }
        }
    }
    Ok(())
}

fn http_get(h: &mut Obj) {
    default_str(h, "path", "/");
    default_str(h, "scheme", "HTTP");
}

fn field_refs_v1(items: Option<&mut Obj>) {
    if let Some(src) = items {
        for item in objects_mut(src, "items") {
            if let Some(fr) = obj_mut(item, "fieldRef") {
                default_str(fr, "apiVersion", "v1");
            }
        }
    }
}

/// `SetDefaultPodVolumes` for one volume.
fn volume(v: &mut Obj) {
    // Every field but `name` is a volume source pointer.
    if v.keys().all(|k| k == "name") {
        v.insert("emptyDir".into(), json!({}));
    }
    if let Some(hp) = obj_mut(v, "hostPath") {
        default_str(hp, "type", "");
    }
    for src in ["secret", "configMap", "downwardAPI", "projected"] {
        if let Some(s) = obj_mut(v, src) {
            default_int(s, "defaultMode", 420);
        }
    }
    field_refs_v1(obj_mut(v, "downwardAPI"));
    if let Some(pr) = obj_mut(v, "projected") {
        for s in objects_mut(pr, "sources") {
            field_refs_v1(obj_mut(s, "downwardAPI"));
            if let Some(sat) = obj_mut(s, "serviceAccountToken") {
                default_int(sat, "expirationSeconds", 3600);
            }
        }
    }
}
