//! `patchPodMetadata` (injection.md §2) and reading the pod's recorded
//! SidecarSet hash annotations (§3.1, api.md §6.1).

use super::Rejection;
use crate::gojson::merge_patch::merge_patch;
use crate::value::At;
use serde_json::{Map, Value};

/// Applies one SidecarSet's annotation patches to the pod.
pub(crate) fn patch_pod_metadata(pod: &mut Value, ss: &Value) -> Result<(), Rejection> {
    let patches = ss
        .at("/spec/patchPodMetadata")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let Some(ann) = crate::value::get_path_mut(pod, &["metadata", "annotations"])
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
                        merge_patch(current, &v).map_err(|e| Rejection {
                            message: e.to_string(),
                            path: None,
                        })?
                    };
                    ann.insert(k.clone(), Value::String(merged));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The entries of a pod hash annotation, re-read as Kruise reads them:
/// struct entries keep their known fields, legacy `{"name":"hash"}`
/// entries become structs with null time and list.
pub(crate) fn read_hash_annotation(
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
/// entry: the one of the `entry` already recorded for it when that entry
/// records the same `hash`, so that injecting a pod again (or a template
/// rendered again) gives the same bytes. `None`: stamp the current time.
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
pub(crate) fn recorded_timestamp(entry: &Value, hash: &Value) -> Option<Value> {
    if entry.get("hash") != Some(hash) {
        return None;
    }
    // Legacy `{"name": "hash"}` entries carry no time to keep.
    entry
        .get("updateTimestamp")
        .filter(|t| t.as_str().is_some_and(|t| !t.is_empty()))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(pod_ann: Value, policy: &str, patch: Value) -> Result<Value, String> {
        let mut pod = json!({"metadata": {"annotations": pod_ann}});
        let ss = json!({"spec": {"patchPodMetadata": [
            {"patchPolicy": policy, "annotations": patch}
        ]}});
        patch_pod_metadata(&mut pod, &ss).map_err(|r| r.message)?;
        Ok(pod["metadata"]["annotations"].clone())
    }

    #[test]
    fn merge_patch_json_merges_an_existing_value_as_go_does() {
        let got = patched(
            json!({"k": r#"{ "z": {"b":1, "a":2}, "y": "<" }"#}),
            "MergePatchJson",
            json!({"k": r#"{"x":{"d":null,"c":1}}"#}),
        );
        assert_eq!(
            got,
            Ok(json!({"k": r#"{"x":{"c":1},"y":"\u003c","z":{"b":1,"a":2}}"#}))
        );
    }

    #[test]
    fn merge_patch_json_copies_the_patch_verbatim_when_absent_or_empty() {
        let patch = r#"{ "b":null, not json"#;
        for ann in [json!({}), json!({"k": ""})] {
            let got = patched(ann, "MergePatchJson", json!({ "k": patch }));
            assert_eq!(got, Ok(json!({ "k": patch })));
        }
    }

    #[test]
    fn merge_patch_json_rejects_what_go_rejects() {
        let cases = [
            ("not json", "{}", "Invalid JSON Document"),
            ("null", "{}", "Invalid JSON Document"),
            ("{}", "{", "Invalid JSON Patch"),
            ("{}", "\"text\"", "Invalid JSON Patch"),
        ];
        for (doc, patch, want) in cases {
            let got = patched(json!({ "k": doc }), "MergePatchJson", json!({ "k": patch }));
            assert_eq!(got, Err(want.to_string()), "{doc} + {patch}");
        }
    }

    #[test]
    fn retain_and_overwrite_do_not_merge() {
        let ann = json!({"k": r#"{"a":1}"#});
        let patch = json!({"k": r#"{"b":2}"#, "n": "v"});
        assert_eq!(
            patched(ann.clone(), "Retain", patch.clone()),
            Ok(json!({"k": r#"{"a":1}"#, "n": "v"}))
        );
        assert_eq!(
            patched(ann, "Overwrite", patch),
            Ok(json!({"k": r#"{"b":2}"#, "n": "v"}))
        );
    }
}
