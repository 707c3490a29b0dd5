//! v1alpha1 -> v1beta1 (`apis/apps/v1alpha1/sidecarset_conversion.go:ConvertTo`).

use crate::annotations::CUSTOM_VERSION_LABEL;
use crate::path::{FieldError, JsonPath};
use crate::value::{opt_obj, opt_str};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// The `apiVersion` of v1alpha1 SidecarSets.
pub const V1ALPHA1: &str = "apps.kruise.io/v1alpha1";
/// The `apiVersion` of v1beta1 SidecarSets, the form the cluster stores.
pub const V1BETA1: &str = "apps.kruise.io/v1beta1";
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Converts a v1alpha1 SidecarSet to v1beta1; any other apiVersion is
/// returned unchanged. The spec keeps its fields (the container lists are
/// the same JSON in both versions); `spec.namespace` becomes a
/// `namespaceSelector` (winning over one that was also set) and the
/// custom-version label moves into `spec.customVersion`.
pub(crate) fn to_v1beta1(doc: &Value) -> Result<Value, FieldError> {
    convert(Cow::Borrowed(doc))
}

/// [`to_v1beta1`] of a value that is no longer needed: converted in place.
pub(crate) fn into_v1beta1(doc: Value) -> Result<Value, FieldError> {
    convert(Cow::Owned(doc))
}

fn convert(doc: Cow<'_, Value>) -> Result<Value, FieldError> {
    let root = JsonPath::root();
    let Some(obj) = doc.as_object() else {
        return Err(FieldError::new(root, "expected object"));
    };
    if opt_str(obj, "apiVersion", &root)? != Some(V1ALPHA1) {
        return Ok(doc.into_owned());
    }
    let spec_path = JsonPath::keys(&["spec"]);
    let meta_path = JsonPath::keys(&["metadata"]);
    let namespace = match opt_obj(obj, "spec", &root)? {
        Some(spec) => opt_str(spec, "namespace", &spec_path)?.map(str::to_string),
        None => None,
    };
    let custom_version = match opt_obj(obj, "metadata", &root)? {
        Some(md) => match opt_obj(md, "labels", &meta_path)? {
            Some(labels) => match labels.get(CUSTOM_VERSION_LABEL) {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) => Some(String::new()),
                Some(other) => {
                    return Err(FieldError::new(
                        meta_path.clone().key("labels").key(CUSTOM_VERSION_LABEL),
                        format!("expected string, got {}", crate::value::type_name(other)),
                    ))
                }
            },
            None => None,
        },
        None => None,
    };

    let Value::Object(mut out) = doc.into_owned() else {
        return Err(FieldError::new(root, "expected object"));
    };
    out.insert("apiVersion".into(), Value::String(V1BETA1.into()));
    let has_spec = out.get("spec").is_some_and(Value::is_object);
    if has_spec || custom_version.is_some() {
        let spec = crate::value::ensure_obj(&mut out, "spec");
        let old = std::mem::take(spec);
        let mut rebuilt = Map::with_capacity(old.len() + 1);
        let selector = namespace
            .as_deref()
            .filter(|ns| !ns.is_empty())
            .map(|ns| json!({"matchLabels": {NAMESPACE_NAME_LABEL: ns}}));
        for (k, v) in old {
            match k.as_str() {
                "namespace" => {}
                "namespaceSelector" if selector.is_some() => {}
                "containers" | "initContainers" | "volumes" | "updateStrategy"
                    if selector.is_some() && !rebuilt.contains_key("namespaceSelector") =>
                {
                    // v1beta1 struct order: selector, namespaceSelector, ...
                    if let Some(sel) = &selector {
                        rebuilt.insert("namespaceSelector".into(), sel.clone());
                    }
                    rebuilt.insert(k, v);
                }
                _ => {
                    rebuilt.insert(k, v);
                }
            }
        }
        if let Some(sel) = selector {
            if !rebuilt.contains_key("namespaceSelector") {
                rebuilt.insert("namespaceSelector".into(), sel);
            }
        }
        if let Some(cv) = &custom_version {
            rebuilt.insert("customVersion".into(), Value::String(cv.clone()));
        }
        *spec = rebuilt;
    }
    if custom_version.is_some() {
        if let Some(Value::Object(md)) = out.get_mut("metadata") {
            let mut empty = false;
            if let Some(Value::Object(labels)) = md.get_mut("labels") {
                labels.shift_remove(CUSTOM_VERSION_LABEL);
                empty = labels.is_empty();
            }
            if empty {
                md.shift_remove("labels");
            }
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_wins_and_label_moves() {
        let v = json!({
            "apiVersion": V1ALPHA1, "kind": "SidecarSet",
            "metadata": {"name": "a", "labels": {CUSTOM_VERSION_LABEL: "v2", "x": "y"}},
            "spec": {"selector": {}, "namespace": "prod",
                     "namespaceSelector": {"matchLabels": {"env": "x"}},
                     "containers": [{"name": "c"}]}
        });
        let got = to_v1beta1(&v).expect("converts");
        assert_eq!(
            got,
            json!({
                "apiVersion": V1BETA1, "kind": "SidecarSet",
                "metadata": {"name": "a", "labels": {"x": "y"}},
                "spec": {"selector": {},
                         "namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: "prod"}},
                         "containers": [{"name": "c"}], "customVersion": "v2"}
            })
        );
        let keys: Vec<&String> = got["spec"].as_object().expect("spec").keys().collect();
        assert_eq!(
            keys,
            [
                "selector",
                "namespaceSelector",
                "containers",
                "customVersion"
            ]
        );
    }

    #[test]
    fn empty_namespace_keeps_selector() {
        let v = json!({"apiVersion": V1ALPHA1, "spec": {"namespace": "",
            "namespaceSelector": {"matchLabels": {"env": "x"}}}});
        let got = to_v1beta1(&v).expect("converts");
        assert_eq!(
            got["spec"],
            json!({"namespaceSelector": {"matchLabels": {"env": "x"}}})
        );
    }

    #[test]
    fn v1beta1_unchanged_and_wrong_types_reported() {
        let v = json!({"apiVersion": V1BETA1, "spec": {"namespace": 3}});
        assert_eq!(to_v1beta1(&v).expect("as is"), v);
        let bad = json!({"apiVersion": V1ALPHA1, "spec": {"namespace": 3}});
        let err = to_v1beta1(&bad).expect_err("number namespace");
        assert_eq!(err.path.to_string(), "spec.namespace");
    }
}
