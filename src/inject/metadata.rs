//! `patchPodMetadata` (injection.md §2) and reading the pod's recorded
//! SidecarSet hash annotations (§3.1, api.md §6.1).

use super::Rejection;
use serde_json::{Map, Value};

/// Applies one SidecarSet's annotation patches to the pod.
pub fn patch_pod_metadata(pod: &mut Value, ss: &Value) -> Result<(), Rejection> {
    let patches = ss
        .pointer("/spec/patchPodMetadata")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(ann) = pod
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    else {
        return Ok(());
    };
    for p in patches {
        let policy = p.get("patchPolicy").and_then(Value::as_str).unwrap_or("");
        let Some(entries) = p.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in entries {
            let v = v.as_str().unwrap_or("").to_string();
            match policy {
                "" | "Retain" => {
                    ann.entry(k.clone()).or_insert(Value::String(v));
                }
                "Overwrite" => {
                    ann.insert(k.clone(), Value::String(v));
                }
                "MergePatchJson" => {
                    let current = ann.get(k).and_then(Value::as_str).unwrap_or("");
                    let merged = if current.is_empty() {
                        v
                    } else {
                        merge_patch(current, &v)?
                    };
                    ann.insert(k.clone(), Value::String(merged));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn invalid(m: &str) -> Rejection {
    Rejection {
        message: m.to_string(),
        path: None,
    }
}

/// evanphx/json-patch v5.6 `MergePatch`, output as Go `encoding/json`.
fn merge_patch(doc: &str, patch: &str) -> Result<String, Rejection> {
    let d: Value = serde_json::from_str(doc).map_err(|_| invalid("Invalid JSON Document"))?;
    let p: Value = serde_json::from_str(patch).map_err(|_| invalid("Invalid JSON Patch"))?;
    if d.is_null() {
        return Err(invalid("Invalid JSON Document"));
    }
    if p.is_null() {
        return Err(invalid("Invalid JSON Patch"));
    }
    let out = match (&d, &p) {
        (Value::Object(_), Value::Object(_)) => {
            let mut target = d.clone();
            json_patch::merge(&mut target, &p);
            sort_merged(target)
        }
        (_, Value::Array(a)) => Value::Array(a.iter().filter(|v| !v.is_null()).cloned().collect()),
        (_, Value::Object(m)) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        (_, other) => other.clone(),
    };
    Ok(crate::gojson::to_string(&out))
}

/// Go marshals the merged top-level map with sorted keys.
fn sort_merged(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(crate::gojson::sorted_object(&m)),
        other => other,
    }
}

/// The entries of a pod hash annotation, re-read as Kruise reads them:
/// struct entries keep their known fields, legacy `{"name":"hash"}`
/// entries become structs with null time and list.
pub fn read_hash_annotation(
    ann: &Map<String, Value>,
    key: &str,
    pod: &str,
) -> Result<Map<String, Value>, Rejection> {
    let Some(text) = ann
        .get(key)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    else {
        return Ok(Map::new());
    };
    let bad = |e: String| Rejection {
        message: format!(
            "pod({pod}) invalid annotations[{key}] value {text}, unmarshal failed: {e}"
        ),
        path: None,
    };
    let parsed: Map<String, Value> = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let mut out = Map::new();
    for (name, entry) in parsed {
        let e = match entry {
            Value::String(h) => {
                let mut e = Map::new();
                e.insert("updateTimestamp".into(), Value::Null);
                e.insert("hash".into(), Value::String(h));
                e.insert("sidecarSetName".into(), Value::String(name.clone()));
                e.insert("sidecarList".into(), Value::Null);
                e
            }
            Value::Object(o) => {
                let mut e = Map::new();
                e.insert(
                    "updateTimestamp".into(),
                    o.get("updateTimestamp").cloned().unwrap_or(Value::Null),
                );
                e.insert(
                    "hash".into(),
                    o.get("hash")
                        .cloned()
                        .unwrap_or(Value::String(String::new())),
                );
                e.insert(
                    "sidecarSetName".into(),
                    o.get("sidecarSetName")
                        .cloned()
                        .unwrap_or(Value::String(String::new())),
                );
                e.insert(
                    "sidecarList".into(),
                    o.get("sidecarList").cloned().unwrap_or(Value::Null),
                );
                if let Some(r) = o
                    .get("controllerRevision")
                    .filter(|r| r.as_str().is_some_and(|s| !s.is_empty()))
                {
                    e.insert("controllerRevision".into(), r.clone());
                }
                e
            }
            _ => return Err(bad("entries must be objects or strings".into())),
        };
        out.insert(name, Value::Object(e));
    }
    Ok(out)
}

/// The `updateTimestamp` to keep in a SidecarSet's new hash-annotation
/// entry: the one already recorded for `name` when that entry records the
/// same `hash`, so that injecting a pod again (or a template rendered again)
/// gives the same bytes. `None`: stamp the current time.
///
/// Only the time is kept, and it is informational: in OpenKruise v1.9.0 the
/// field is `SidecarSetUpgradeSpec.UpdateTimestamp`
/// (`pkg/control/sidecarcontrol/util.go`), written by the pod webhook
/// (`pkg/webhook/pod/mutating/sidecarset.go`) and the controller
/// (`UpdatePodSidecarSetHash`, `sidecarset_control.go`) and never read; the
/// controller decides on `hash` alone (`IsPodSidecarUpdated`). The one
/// `UpdateTimestamp` read for a decision, in
/// `pkg/util/inplaceupdate/inplace_update.go`, is the in-place update state
/// of CloneSet/Advanced StatefulSet, another annotation.
pub fn recorded_timestamp(
    recorded: &Map<String, Value>,
    name: &str,
    hash: &Value,
) -> Option<Value> {
    let entry = recorded.get(name)?;
    if entry.get("hash") != Some(hash) {
        return None;
    }
    // Legacy `{"name": "hash"}` entries carry no time to keep.
    entry
        .get("updateTimestamp")
        .filter(|t| t.as_str().is_some_and(|t| !t.is_empty()))
        .cloned()
}
