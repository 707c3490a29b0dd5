//! What the controller writes to a pod it upgrades or flips (rollout.md §7,
//! §7.1), and the simulation model of what the kubelet reports afterwards
//! (§10.3). The simulated rounds run the same predicates on the pods these
//! functions produce, so a later batch is decided exactly as the first.

use super::pods::{self, SetView};
use crate::value::At;
use serde_json::{json, Map, Value};

use crate::annotations::{
    version_alt_annotation, version_annotation, HASH_ANNOTATION as HASH,
    INPLACE_UPDATE_STATE_ANNOTATION as STATE, WORKING_HOT_UPGRADE_ANNOTATION as WORKING,
};

/// A container whose image the controller changed: its name and new image.
pub(crate) type Changed = Vec<(String, String)>;

fn annotations(pod: &mut Value) -> Option<&mut Map<String, Value>> {
    let md = pod.as_object_mut()?.entry("metadata").or_insert(json!({}));
    let ann = md
        .as_object_mut()?
        .entry("annotations")
        .or_insert(json!({}));
    if !ann.is_object() {
        *ann = json!({});
    }
    ann.as_object_mut()
}

fn annotation(pod: &Value, key: &str) -> String {
    pod.get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn set_annotation(pod: &mut Value, key: &str, value: String) {
    if let Some(a) = annotations(pod) {
        a.insert(key.to_string(), Value::String(value));
    }
}

fn set_image(pod: &mut Value, name: &str, image: &str) {
    if let Some(c) = pod
        .pointer_mut("/spec/containers")
        .and_then(Value::as_array_mut)
        .and_then(|cs| {
            cs.iter_mut()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
        })
    {
        c["image"] = Value::String(image.to_string());
    }
}

fn status_of<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
    pod.at("/status/containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .find(|st| st.get("name").and_then(Value::as_str) == Some(name))
}

fn ready_status(pod: &Value, name: &str) -> bool {
    status_of(pod, name)
        .and_then(|st| st.get("ready"))
        .and_then(Value::as_bool)
        == Some(true)
}

/// `UpdatePodAnnotationsInUpgrade`: remember each changed container's image
/// ID so that the controller can tell when the kubelet has replaced it.
fn record_in_place_state(pod: &mut Value, set: &SetView, changed: &Changed, now: &str) {
    let mut states: Map<String, Value> =
        serde_json::from_str(&annotation(pod, STATE)).unwrap_or_default();
    let entry = states.entry(set.name.clone()).or_insert_with(
        || json!({"revision": set.hash(), "updateTimestamp": now, "lastContainerStatuses": {}}),
    );
    if !entry
        .get("lastContainerStatuses")
        .is_some_and(Value::is_object)
    {
        entry["lastContainerStatuses"] = json!({});
    }
    for (name, _) in changed {
        let id = status_of(pod, name)
            .and_then(|st| st.get("imageID"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        entry["lastContainerStatuses"][name] = json!({ "imageID": id });
    }
    set_annotation(pod, STATE, Value::Object(states).to_string());
}

/// `UpdatePodSidecarSetHash`.
fn record_hash(pod: &mut Value, set: &SetView, now: &str) {
    // The SidecarSet's own entry is replaced whole: it is parsed, not built.
    let mut hashes: Map<String, Value> = match others(&annotation(pod, HASH), &set.name) {
        Some(m) => m
            .into_iter()
            .map(|(k, v)| match v {
                // The legacy `{name: hash}` form, converted as the controller does.
                Value::String(h) => (
                    k,
                    json!({"hash": h, "updateTimestamp": now, "sidecarSetName": set.name}),
                ),
                other => (k, other),
            })
            .collect(),
        None => Map::new(),
    };
    hashes.insert(
        set.name.clone(),
        json!({
            "updateTimestamp": now,
            "hash": set.hash(),
            "sidecarSetName": set.name,
            "sidecarList": set.sidecar_list,
            "controllerRevision": set.latest_revision,
        }),
    );
    set_annotation(pod, HASH, Value::Object(hashes).to_string());
}

/// `serde_json::from_str::<Value>(text)` when it gives a mapping, its
/// entry `name` (if any) read but left `null` in its place: the same parse,
/// so the same errors, and the same order of entries.
fn others(text: &str, name: &str) -> Option<Map<String, Value>> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    struct Root<'n>(&'n str);
    impl<'de> DeserializeSeed<'de> for Root<'_> {
        type Value = Option<Map<String, Value>>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Root<'_> {
        type Value = Option<Map<String, Value>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any value")
        }
        super::pods::other_values_as!(None);
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let value = if key == self.0 {
                    map.next_value_seed(pods::Skip)?;
                    Value::Null
                } else {
                    map.next_value::<Value>()?
                };
                out.insert(key, value);
            }
            Ok(Some(out))
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let found = Root(name).deserialize(&mut de).ok()?;
    de.end().ok()?;
    found
}

/// `findContainerToHotUpgrade`: (twin to upgrade, other twin).
fn twin_to_upgrade(set: &SetView, pod: &Value, sidecar: &pods::Sidecar) -> (String, String) {
    let one = format!("{}-1", sidecar.name);
    let two = format!("{}-2", sidecar.name);
    if pods::container_image(pod, &one) == sidecar.empty_image {
        return (one, two);
    }
    if pods::container_image(pod, &two) == sidecar.empty_image {
        return (two, one);
    }
    let ready =
        |n: &String| ready_status(pod, n) && set.consistent(pod, Some(std::slice::from_ref(n)));
    match (ready(&one), ready(&two)) {
        (true, false) => return (two, one),
        (false, true) => return (one, two),
        _ => {}
    }
    let (working, idle) = pods::twins(pod, &sidecar.name);
    (idle, working)
}

/// `updatePodSidecarAndHash` without the API write: new images for the
/// sidecars (only images; Kubernetes forbids changing anything else of a
/// running container), hot-upgrade bookkeeping and the hash annotations.
pub(crate) fn upgrade(pod: &mut Value, set: &SetView, now: &str) -> Changed {
    let mut changed = Vec::new();
    for sc in &set.sidecars {
        let (target, other) = if sc.hot {
            twin_to_upgrade(set, pod, sc)
        } else {
            (sc.name.clone(), sc.name.clone())
        };
        if pods::container_image(pod, &other) == sc.image {
            continue;
        }
        set_image(pod, &target, &sc.image);
        changed.push((target.clone(), sc.image.clone()));
        if sc.hot {
            let mut working: Map<String, Value> =
                serde_json::from_str(&annotation(pod, WORKING)).unwrap_or_default();
            working.insert(sc.name.clone(), Value::String(target.clone()));
            set_annotation(pod, WORKING, Value::Object(working).to_string());
            let previous = annotation(pod, &version_annotation(&other));
            set_annotation(
                pod,
                &version_annotation(&target),
                set.resource_version.clone(),
            );
            set_annotation(pod, &version_alt_annotation(&target), previous);
            set_annotation(
                pod,
                &version_alt_annotation(&other),
                set.resource_version.clone(),
            );
        }
    }
    record_hash(pod, set, now);
    record_in_place_state(pod, set, &changed, now);
    changed
}

/// `flipPodSidecarContainerDo`: the idle twins go back to the empty image.
pub(crate) fn flip(pod: &mut Value, set: &SetView, now: &str) -> Changed {
    let mut changed = Vec::new();
    for sc in set.sidecars.iter().filter(|sc| sc.hot) {
        let (working, idle) = pods::twins(pod, &sc.name);
        if pods::container_image(pod, &idle) == sc.empty_image {
            continue;
        }
        set_image(pod, &idle, &sc.empty_image);
        changed.push((idle.clone(), sc.empty_image.clone()));
        set_annotation(pod, &version_annotation(&idle), "0".into());
        set_annotation(pod, &version_alt_annotation(&working), "0".into());
    }
    record_in_place_state(pod, set, &changed, now);
    changed
}

/// The model between rounds: the kubelet restarts each changed container
/// with its new image. `healthy` containers come up ready (a new image ID,
/// one more restart) and the pod becomes Ready again once every container
/// is; unhealthy ones (a broken image) stay not ready and so does the pod.
pub(crate) fn settle(pod: &mut Value, changed: &Changed, healthy: bool, now: &str) {
    if changed.is_empty() {
        return;
    }
    if let Some(statuses) = pod
        .pointer_mut("/status/containerStatuses")
        .and_then(Value::as_array_mut)
    {
        for st in statuses.iter_mut() {
            let name = st.get("name").and_then(Value::as_str).unwrap_or("");
            let Some((_, image)) = changed.iter().find(|(n, _)| n == name) else {
                continue;
            };
            if healthy {
                let restarts = st.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
                st["image"] = Value::String(image.clone());
                st["imageID"] = Value::String(super::kubelet::image_id(image));
                st["restartCount"] = json!(restarts + 1);
                st["ready"] = Value::Bool(true);
            } else {
                st["ready"] = Value::Bool(false);
            }
        }
    }
    let all_ready = pod
        .at("/status/containerStatuses")
        .and_then(Value::as_array)
        .is_some_and(|sts| {
            sts.iter()
                .all(|st| st.get("ready").and_then(Value::as_bool) == Some(true))
        });
    let running = pod.at("/status/phase").and_then(Value::as_str) == Some("Running");
    let ready = if healthy && all_ready && running {
        "True"
    } else if healthy {
        return;
    } else {
        "False"
    };
    let Some(conditions) = pod
        .pointer_mut("/status")
        .and_then(Value::as_object_mut)
        .map(|st| st.entry("conditions").or_insert(json!([])))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let cond = json!({"type": "Ready", "status": ready, "lastTransitionTime": now});
    match conditions
        .iter_mut()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
    {
        Some(c) => *c = cond,
        None => conditions.push(cond),
    }
}

#[cfg(test)]
mod others_tests {
    use super::*;

    #[test]
    fn others_keeps_what_a_whole_parse_keeps() {
        for text in [
            "",
            "[1]",
            "\"s\"",
            "{}",
            r#"{"s":"h"}"#,
            r#"{"a":{"hash":"x"},"s":{"hash":"h","l":[1,2]},"b":"legacy"}"#,
            r#"{"s":1,"a":2,"s":{"x":1e999}}"#,
            r#"{"a":1,"s":[1,]}"#,
            r#"{"a":1} x"#,
            r#"{"a":1,"a":2,"s":3}"#,
        ] {
            let whole = match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(m)) => Some(
                    m.into_iter()
                        .map(|(k, v)| if k == "s" { (k, Value::Null) } else { (k, v) })
                        .collect::<Map<String, Value>>(),
                ),
                _ => None,
            };
            let got = others(text, "s");
            assert_eq!(got, whole, "{text}");
            assert_eq!(
                got.map(|m| Value::Object(m).to_string()),
                whole.map(|m| Value::Object(m).to_string()),
                "{text}"
            );
        }
    }
}
