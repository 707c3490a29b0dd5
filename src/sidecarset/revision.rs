//! ControllerRevisions of a SidecarSet
//! (`pkg/control/sidecarcontrol/history_control.go:NewRevision/getPatch/
//! GetHistorySidecarSet/restoreRevisionInfo`, `k8s.io/kubernetes
//! pkg/controller/history/controller_history.go`).

use super::{convert, gotype, gotypes, hash, HASH_ANNOTATION, HASH_WITHOUT_IMAGE_ANNOTATION};
use super::{CUSTOM_VERSION_LABEL, REVISION_HASH_LABEL, SIDECARSET_NAME_LABEL};
use crate::gojson;
use crate::path::{FieldError, JsonPath};
use crate::quantity::go_float;
use serde_json::{json, Map, Value};

/// The spec fields a revision records (`copySidecarSetSpecRevision`).
const RECORDED: [&str; 5] = [
    "volumes",
    "containers",
    "initContainers",
    "imagePullSecrets",
    "patchPodMetadata",
];

/// The stored SidecarSet as the controller holds it: v1beta1, Go round trip.
fn as_v1beta1(ss: &Value) -> Result<Value, FieldError> {
    let beta = convert::to_v1beta1(ss)?;
    gotype::roundtrip(&beta, &gotypes::V1BETA1_SIDECAR_SET, &JsonPath::root())
}

/// The revision's `data` as Go writes it: the five recorded spec fields
/// (JSON `null` when absent) under `"$patch":"replace"`, every object's keys
/// sorted, numbers re-emitted from float64. `ss` is a stored (defaulted)
/// SidecarSet of either version.
pub fn revision_data(ss: &Value) -> Result<String, FieldError> {
    let beta = as_v1beta1(ss)?;
    let mut spec = Map::new();
    spec.insert("$patch".into(), json!("replace"));
    for key in RECORDED {
        let v = beta.pointer(&format!("/spec/{key}")).cloned();
        spec.insert(key.into(), v.unwrap_or(Value::Null));
    }
    let mut out = String::new();
    write_generic(&json!({ "spec": Value::Object(spec) }), &mut out);
    Ok(out)
}

/// Go's `json.Marshal` of a `map[string]interface{}` tree decoded from JSON.
fn write_generic(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&gojson::to_string(&Value::String((*k).clone())));
                out.push(':');
                write_generic(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_generic(x, out);
            }
            out.push(']');
        }
        Value::Number(n) => out.push_str(&go_float(n.as_f64().unwrap_or(0.0))),
        other => out.push_str(&gojson::to_string(other)),
    }
}

/// FNV-1 (32-bit) of `data` then of the decimal collision count, safe-encoded
/// (`history.HashControllerRevision`).
pub fn revision_hash(data: &str, collision_count: i32) -> String {
    let mut h: u32 = 2_166_136_261;
    for b in data.bytes().chain(collision_count.to_string().into_bytes()) {
        h = h.wrapping_mul(16_777_619);
        h ^= u32::from(b);
    }
    hash::safe_encode(&h.to_string())
}

/// `history.ControllerRevisionName`: the parent name cut to 223 bytes, `-`, hash.
pub fn revision_name(parent: &str, hash: &str) -> String {
    let mut cut = parent.len().min(223);
    while !parent.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash}", &parent[..cut])
}

/// The ControllerRevision the controller creates for `ss` (`NewRevision`),
/// named for `collision_count`, in `namespace` (the Kruise namespace).
pub fn new_revision(
    ss: &Value,
    namespace: &str,
    revision: i64,
    collision_count: i32,
) -> Result<Value, FieldError> {
    let beta = as_v1beta1(ss)?;
    let data = revision_data(&beta)?;
    let h = revision_hash(&data, collision_count);
    let name = beta
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut labels = beta
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(REVISION_HASH_LABEL.into(), json!(h));
    if let Some(cv) = beta
        .pointer("/spec/customVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        labels.insert(CUSTOM_VERSION_LABEL.into(), json!(cv));
    }
    labels.insert(SIDECARSET_NAME_LABEL.into(), json!(name));
    let annotations = beta
        .pointer("/metadata/annotations")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut owner = json!({"apiVersion": convert::V1BETA1, "kind": "SidecarSet", "name": name,
        "controller": true, "blockOwnerDeletion": true});
    if let Some(uid) = beta.pointer("/metadata/uid") {
        owner["uid"] = uid.clone();
    }
    let data_value: Value = serde_json::from_str(&data)
        .map_err(|e| FieldError::new(JsonPath::keys(&["spec"]), e.to_string()))?;
    Ok(json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": revision_name(name, &h),
            "namespace": namespace,
            "labels": Value::Object(gojson::sorted_object(&labels)),
            "annotations": annotations,
            "ownerReferences": [owner],
        },
        "data": data_value,
        "revision": revision,
    }))
}

/// The SidecarSet as the pod webhook sees it when injecting a pinned
/// revision (`GetHistorySidecarSet`): the revision's data strategic-merged
/// onto `current` (its `"$patch":"replace"` makes the spec exactly the five
/// recorded fields), hash annotations from the revision (recomputed when it
/// has none), `status.latestRevision` = the revision's name. v1beta1 form.
///
/// Only revisions written by the controller (a `spec` with
/// `"$patch":"replace"`) are merged exactly; another patch shape has its
/// top-level spec fields replaced key by key.
pub fn restore_from_revision(current: &Value, revision: &Value) -> Result<Value, FieldError> {
    let mut restored = as_v1beta1(current)?;
    let data_path = JsonPath::keys(&["data"]);
    let data = match revision.get("data") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            return Err(FieldError::new(
                data_path,
                format!("expected object, got {}", crate::value::type_name(other)),
            ))
        }
    };
    if let Some(patch_spec) = data.and_then(|d| d.get("spec")) {
        let Value::Object(ps) = patch_spec else {
            return Err(FieldError::new(
                data_path.key("spec"),
                "expected object".to_string(),
            ));
        };
        let Some(root) = restored.as_object_mut() else {
            return Err(FieldError::new(JsonPath::root(), "expected object"));
        };
        let spec = crate::value::ensure_obj(root, "spec");
        if ps.get("$patch").and_then(Value::as_str) == Some("replace") {
            spec.clear();
        }
        for (k, v) in ps {
            if k != "$patch" {
                spec.insert(k.clone(), v.clone());
            }
        }
    }
    let mut restored =
        gotype::roundtrip(&restored, &gotypes::V1BETA1_SIDECAR_SET, &JsonPath::root())
            .map_err(|e| e.under(&JsonPath::keys(&["data"])))?;

    let rev_ann = |k: &str| -> Option<String> {
        revision
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let with_image = match rev_ann(HASH_ANNOTATION) {
        Some(h) => h,
        None => super::hash(&restored)?,
    };
    let without_image = match rev_ann(HASH_WITHOUT_IMAGE_ANNOTATION) {
        Some(h) => h,
        None => super::hash_without_image(&restored)?,
    };
    let rev_name = revision
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(root) = restored.as_object_mut() {
        let md = crate::value::ensure_obj(root, "metadata");
        let ann = crate::value::ensure_obj(md, "annotations");
        ann.insert(HASH_ANNOTATION.into(), json!(with_image));
        ann.insert(HASH_WITHOUT_IMAGE_ANNOTATION.into(), json!(without_image));
        let status = crate::value::ensure_obj(root, "status");
        status.insert("latestRevision".into(), json!(rev_name));
    }
    gotype::roundtrip(&restored, &gotypes::V1BETA1_SIDECAR_SET, &JsonPath::root())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sidecarset::safe_encode;

    fn example_a() -> Value {
        super::super::store(
            &json!({"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "test-sidecarset", "labels": {"team": "a"}},
            "spec": {"selector": {"matchLabels": {"app": "x"}},
                     "containers": [{"name": "dns-f", "image": "dns:1.0"}]}}),
        )
        .expect("stores")
    }

    #[test]
    fn spec_example_name() {
        let data = revision_data(&example_a()).expect("data");
        assert_eq!(
            data,
            r#"{"spec":{"$patch":"replace","containers":[{"image":"dns:1.0","imagePullPolicy":"IfNotPresent","name":"dns-f","podInjectPolicy":"BeforeAppContainer","resources":{},"shareVolumePolicy":{"type":"disabled"},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","upgradeStrategy":{"upgradeType":"ColdUpgrade"}}],"imagePullSecrets":null,"initContainers":null,"patchPodMetadata":null,"volumes":null}}"#
        );
        let h = revision_hash(&data, 0);
        assert_eq!(
            revision_name("test-sidecarset", &h),
            "test-sidecarset-788d67c95d"
        );
        assert_ne!(revision_hash(&data, 1), h);
    }

    #[test]
    fn fnv1_not_fnv1a() {
        // FNV-1 32 of "a0" is 1886858602 (FNV-1a would give another value).
        assert_eq!(revision_hash("a", 0), safe_encode("1886858602"));
        assert_eq!(revision_hash("a", 0), "5ddbd9db46");
    }

    #[test]
    fn name_truncates_to_223_bytes() {
        let long = "a".repeat(300);
        assert_eq!(revision_name(&long, "x").len(), 225);
    }

    #[test]
    fn new_revision_object() {
        let ss = example_a();
        let cr = new_revision(&ss, "kruise-system", 1, 0).expect("revision");
        assert_eq!(cr["metadata"]["name"], json!("test-sidecarset-788d67c95d"));
        assert_eq!(
            cr["metadata"]["labels"][REVISION_HASH_LABEL],
            json!("788d67c95d")
        );
        assert_eq!(cr["metadata"]["labels"]["team"], json!("a"));
        assert_eq!(
            cr["metadata"]["labels"][SIDECARSET_NAME_LABEL],
            json!("test-sidecarset")
        );
        assert_eq!(
            cr["metadata"]["annotations"][HASH_ANNOTATION],
            ss["metadata"]["annotations"][HASH_ANNOTATION]
        );
        assert_eq!(cr["data"]["spec"]["$patch"], json!("replace"));
    }

    #[test]
    fn restore_replaces_spec_and_takes_revision_hashes() {
        let old = example_a();
        let cr = new_revision(&old, "kruise-system", 1, 0).expect("revision");
        let mut current = old.clone();
        current["spec"]["containers"][0]["image"] = json!("dns:2.0");
        current["spec"]["volumes"] = json!([{"name": "v", "emptyDir": {}}]);
        let current = super::super::store(&current).expect("stores");
        let restored = restore_from_revision(&current, &cr).expect("restores");
        assert_eq!(restored["spec"]["containers"], old["spec"]["containers"]);
        assert!(restored["spec"].get("volumes").is_none());
        assert!(restored["spec"].get("selector").is_none());
        assert_eq!(
            restored["status"]["latestRevision"],
            json!("test-sidecarset-788d67c95d")
        );
        assert_eq!(
            restored["metadata"]["annotations"][HASH_ANNOTATION],
            old["metadata"]["annotations"][HASH_ANNOTATION]
        );
        // Without hash annotations on the revision they are recomputed.
        let mut bare = cr.clone();
        bare["metadata"]["annotations"] = json!({});
        let restored = restore_from_revision(&current, &bare).expect("restores");
        assert_eq!(
            restored["metadata"]["annotations"][HASH_ANNOTATION],
            old["metadata"]["annotations"][HASH_ANNOTATION]
        );
    }

    #[test]
    fn numbers_as_go_floats() {
        let mut s = String::new();
        write_generic(
            &json!({"b": [1, 2.5, 9007199254740993i64], "a": "<&>"}),
            &mut s,
        );
        assert_eq!(
            s,
            r#"{"a":"\u003c\u0026\u003e","b":[1,2.5,9007199254740992]}"#
        );
    }
}
