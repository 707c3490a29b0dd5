//! Per-pod predicates of the SidecarSet controller (rollout.md §2,
//! matching.md §3) and the partition / maxUnavailable arithmetic (§6).

use crate::annotations::{
    HASH_WITHOUT_IMAGE_ANNOTATION, INJECTED_LIST_ANNOTATION, INPLACE_UPDATE_STATE_ANNOTATION,
    SIDECARSET_ANNOTATION_PREFIX, VERSION_ALT_ANNOTATION_PREFIX, VERSION_ANNOTATION_PREFIX,
    WORKING_HOT_UPGRADE_ANNOTATION,
};
use crate::cluster::Selection;
use crate::namespace::Namespaces;
use crate::selector::{LabelSelector, Selector};
use crate::value::{str_at, At};
use serde_json::Value;

/// `namespace/name` of a pod; pods reach the plan with their namespace
/// named (see `manages`), `default` stands in for library callers.
pub(crate) fn key(p: &Value) -> String {
    let ns = crate::namespace::pod_namespace(p, "default");
    format!(
        "{ns}/{}",
        p.at("/metadata/name").and_then(Value::as_str).unwrap_or("")
    )
}

/// The part of a live pod a plan reads: every read of a pod by the planner
/// (this module, `order`, `simulate`, `update`) is along these paths, so a
/// plan over slim pods is the plan over the whole ones, at a fraction of
/// the memory. Keep it in step with the reads.
///
/// - `metadata`: name, namespace, labels, creation and deletion times, and
///   the annotations the controller reads or writes ([`controller_annotation`]).
/// - `spec`: nodeName; `containers` whole, as a sidecar the pod cannot take
///   in place is compared field by field with the SidecarSet's
///   (`why_not_in_place`); the names of `initContainers`.
/// - `status`: phase; the `Ready` conditions (only the first is read) with
///   type, status and lastTransitionTime; each container status's name,
///   image, imageID, ready and restartCount (every entry is kept: their
///   number is compared with the containers').
///
/// A value that is not a mapping where the planner expects one is kept as
/// it is: reads through it find nothing, whole or slim.
pub(crate) fn slim(mut pod: Value) -> Value {
    // In place: what is kept is neither copied nor hashed again.
    keep(&mut pod, |k, v| match k {
        "metadata" => keep(v, |k, v| match k {
            "name" | "namespace" | "labels" | "creationTimestamp" | "deletionTimestamp" => true,
            "annotations" => keep(v, |k, _| controller_annotation(k)),
            _ => false,
        }),
        "spec" => keep(v, |k, v| match k {
            "nodeName" | "containers" => true,
            "initContainers" => each(v, |c| keep(c, |k, _| k == "name")),
            _ => false,
        }),
        "status" => keep(v, |k, v| match k {
            "phase" => true,
            "conditions" => {
                if let Value::Array(all) = v {
                    all.retain(|c| c.get("type").and_then(Value::as_str) == Some("Ready"));
                }
                each(v, |c| {
                    keep(c, |k, _| {
                        matches!(k, "type" | "status" | "lastTransitionTime")
                    })
                })
            }
            "containerStatuses" => each(v, |st| {
                keep(st, |k, _| {
                    matches!(k, "name" | "image" | "imageID" | "ready" | "restartCount")
                })
            }),
            _ => false,
        }),
        _ => false,
    });
    pod
}

/// The annotations of a pod the controller reads or writes: the SidecarSet
/// bookkeeping (`kruise.io/sidecarset-*`) and the hot-upgrade versions.
pub(crate) fn controller_annotation(key: &str) -> bool {
    key.starts_with(SIDECARSET_ANNOTATION_PREFIX)
        || key.starts_with(VERSION_ANNOTATION_PREFIX)
        || key.starts_with(VERSION_ALT_ANNOTATION_PREFIX)
}

/// Keeps the entries of a mapping `keep` says to keep, in their order, as
/// `keep` leaves them; `true` (the entry stays, whatever `v` is).
fn keep(v: &mut Value, mut keep: impl FnMut(&str, &mut Value) -> bool) -> bool {
    if let Value::Object(m) = v {
        m.retain(|k, v| keep(k, v));
    }
    true
}

/// Changes each item of a sequence; `true`, as [`keep`].
fn each(v: &mut Value, mut f: impl FnMut(&mut Value) -> bool) -> bool {
    if let Value::Array(items) = v {
        for item in items {
            f(item);
        }
    }
    true
}

/// A pod's annotation `key`, `""` when absent.
fn annotation<'a>(p: &'a Value, key: &str) -> &'a str {
    p.at("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// One sidecar container of the SidecarSet, as the controller sees it.
pub(crate) struct Sidecar {
    pub name: String,
    pub image: String,
    pub hot: bool,
    pub empty_image: String,
}

pub(crate) enum Upgradable {
    Yes,
    InFlight,
    No(String),
}

/// What the controller reads of the SidecarSet.
pub(crate) struct SetView {
    pub name: String,
    hash: String,
    hash_no_img: String,
    pub sidecars: Vec<Sidecar>,
    containers: Vec<Value>,
    /// Sorted names of every sidecar (init and regular) the pod records.
    pub sidecar_list: Vec<String>,
    pub resource_version: String,
    pub latest_revision: String,
    /// namespaceSelector and selector, read by [`crate::cluster::selects`].
    selectors: crate::cluster::Selectors,
    canary: Option<crate::selector::Selector>,
    pub not_update: bool,
    pub paused: bool,
}

impl SetView {
    /// The controller's view of SidecarSet `form`.
    pub(crate) fn new(form: &crate::cluster::WebhookForm) -> SetView {
        let ss = &form.value;
        let ann = |k: &str| {
            str_at(
                ss,
                &format!("/metadata/annotations/{}", k.replace('/', "~1")),
            )
            .to_string()
        };
        let sel = |p: &str| {
            LabelSelector::decode(ss.at(p), &crate::path::JsonPath::root())
                .ok()
                .flatten()
                .map(|l| {
                    l.to_selector()
                        .unwrap_or(crate::selector::Selector::Nothing)
                })
        };
        let containers: Vec<Value> = ss
            .at("/spec/containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        SetView {
            name: str_at(ss, "/metadata/name").to_string(),
            hash: ann(crate::sidecarset::HASH_ANNOTATION),
            hash_no_img: ann(crate::sidecarset::HASH_WITHOUT_IMAGE_ANNOTATION),
            sidecars: containers
                .iter()
                .map(|c| Sidecar {
                    name: str_at(c, "/name").to_string(),
                    image: str_at(c, "/image").to_string(),
                    hot: str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade",
                    empty_image: str_at(c, "/upgradeStrategy/hotUpgradeEmptyImage").to_string(),
                })
                .collect(),
            sidecar_list: {
                let mut names: Vec<String> = ss
                    .at("/spec/initContainers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|c| str_at(c, "/restartPolicy") == "Always")
                    .chain(containers.iter())
                    .map(|c| str_at(c, "/name").to_string())
                    .collect();
                names.sort();
                names.dedup();
                names
            },
            containers,
            resource_version: str_at(ss, "/metadata/resourceVersion").to_string(),
            latest_revision: str_at(ss, "/status/latestRevision").to_string(),
            selectors: form.selectors.clone(),
            canary: sel("/spec/updateStrategy/selector"),
            not_update: str_at(ss, "/spec/updateStrategy/type") == "NotUpdate",
            paused: ss
                .at("/spec/updateStrategy/paused")
                .and_then(Value::as_bool)
                == Some(true),
        }
    }

    /// matching.md §3: selected, active, injected and consistent.
    pub(crate) fn manages(&self, p: &Value, namespaces: &Namespaces) -> Result<(), String> {
        // Live pods name their namespace; the CLI gives `-n` to those that
        // do not before they get here.
        let ns = crate::namespace::pod_namespace(p, "default");
        let labels = p.at("/metadata/labels").and_then(Value::as_object);
        // The controller: `selector: {}` selects every pod; a selector it
        // cannot read selects none.
        match crate::cluster::selects(&self.selectors, ns, labels, namespaces) {
            Ok(Selection::Selected | Selection::EmptySelector) => {}
            Ok(Selection::Namespace { found, selector }) => {
                return Err(crate::namespace::namespace_mismatch(
                    found,
                    ns,
                    &selector.unwrap_or(&Selector::Nothing).to_string(),
                ));
            }
            Ok(Selection::NoSelector | Selection::Unselected(_)) | Err(_) => {
                return Err("the SidecarSet selector does not match the pod labels".into());
            }
        }
        let phase = str_at(p, "/status/phase");
        if phase == "Succeeded"
            || phase == "Failed"
            || p.at("/metadata/deletionTimestamp")
                .is_some_and(|v| !v.is_null())
        {
            return Err(format!("the pod is not active (phase {phase})"));
        }
        let injected = annotation(p, INJECTED_LIST_ANNOTATION);
        if !injected.split(',').any(|n| n == self.name) {
            return Err(format!(
                "{INJECTED_LIST_ANNOTATION} does not name {}: the pod was not injected by it",
                self.name
            ));
        }
        for sc in &self.sidecars {
            if sc.hot {
                let working = working_map(p);
                if !working.contains_key(&sc.name)
                    || !has_container(p, &format!("{}-1", sc.name))
                    || !has_container(p, &format!("{}-2", sc.name))
                {
                    return Err(format!(
                        "hot-upgrade sidecar {} is missing its twins",
                        sc.name
                    ));
                }
            } else if !has_container(p, &sc.name) {
                return Err(format!("the pod has no container {}", sc.name));
            }
        }
        Ok(())
    }

    fn recorded(&self, p: &Value, annotation: &str) -> String {
        let text = p
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(annotation))
            .and_then(Value::as_str)
            .unwrap_or("");
        recorded_entry(text, &self.name).unwrap_or_default()
    }

    /// The SidecarSet's `kruise.io/sidecarset-hash`.
    pub(crate) fn hash(&self) -> &str {
        &self.hash
    }

    pub(crate) fn is_updated(&self, p: &Value) -> bool {
        self.recorded(p, crate::sidecarset::HASH_ANNOTATION) == self.hash
    }

    pub(crate) fn canary_selects(&self, p: &Value) -> bool {
        self.canary
            .as_ref()
            .is_none_or(|sel| sel.matches(p.at("/metadata/labels").and_then(Value::as_object)))
    }

    fn sidecar_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for sc in &self.sidecars {
            if sc.hot {
                names.push(format!("{}-1", sc.name));
                names.push(format!("{}-2", sc.name));
            } else {
                names.push(sc.name.clone());
            }
        }
        names
    }

    /// `IsPodStateConsistent` for `names` (all sidecars when `None`).
    pub(crate) fn consistent(&self, p: &Value, names: Option<&[String]>) -> bool {
        let all = self.sidecar_names();
        let names = names.unwrap_or(&all);
        let containers = p
            .at("/spec/containers")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let statuses = p
            .at("/status/containerStatuses")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if containers.len() != statuses.len() {
            return false;
        }
        let status_of = |n: &str| statuses.iter().find(|st| str_at(st, "/name") == n);
        let mut all_digest = true;
        for c in containers
            .iter()
            .filter(|c| names.iter().any(|n| n == str_at(c, "/name")))
        {
            let image = str_at(c, "/image");
            if !is_digest(image) {
                all_digest = false;
                break;
            }
            let id = status_of(str_at(c, "/name"))
                .map(|st| str_at(st, "/imageID"))
                .unwrap_or("");
            let id = id.split_once("://").map_or(id, |(_, r)| r);
            if id != image {
                return false;
            }
        }
        if all_digest {
            return true;
        }
        // IsSidecarContainerUpdateCompleted
        let state = annotation(p, INPLACE_UPDATE_STATE_ANNOTATION);
        if state.is_empty() {
            return true;
        }
        let Ok(state) = serde_json::from_str::<Value>(state) else {
            return false;
        };
        let last = state.at(&format!(
            "/{}/lastContainerStatuses",
            self.name.replace('~', "~0").replace('/', "~1")
        ));
        for st in statuses
            .iter()
            .filter(|st| names.iter().any(|n| n == str_at(st, "/name")))
        {
            let n = str_at(st, "/name");
            let recorded = last
                .and_then(|l| l.get(n))
                .map(|e| str_at(e, "/imageID"))
                .unwrap_or("\u{0}");
            let spec_image = containers
                .iter()
                .find(|c| str_at(c, "/name") == n)
                .map(|c| str_at(c, "/image"))
                .unwrap_or("");
            if recorded == str_at(st, "/imageID") && spec_image != str_at(st, "/image") {
                return false;
            }
        }
        true
    }

    /// `IsPodReady` of the control.
    pub(crate) fn is_ready(&self, p: &Value) -> bool {
        let idle_not_empty = self
            .sidecars
            .iter()
            .filter(|sc| sc.hot && !sc.empty_image.is_empty())
            .any(|sc| container_image(p, &twins(p, &sc.name).1) != sc.empty_image);
        !idle_not_empty && running_and_ready(p)
    }

    pub(crate) fn has_hot_upgrade(&self) -> bool {
        self.sidecars.iter().any(|sc| sc.hot)
    }

    /// Whether some hot-upgrade sidecar's idle twin still runs a real image
    /// (`isPodSidecarInHotUpgrading`).
    fn in_hot_upgrading(&self, p: &Value) -> bool {
        self.sidecars.iter().filter(|sc| sc.hot).any(|sc| {
            let (_, idle) = twins(p, &sc.name);
            container_image(p, &idle) != sc.empty_image
        })
    }

    /// Step 5 of `UpdateSidecarSet`: the pod's hot upgrade finished and its
    /// idle twin is due to be reset to the empty image.
    pub(crate) fn needs_flip(&self, p: &Value) -> bool {
        if !self.has_hot_upgrade() || !self.in_hot_upgrading(p) {
            return false;
        }
        let idle: Vec<String> = self
            .sidecars
            .iter()
            .filter(|sc| sc.hot)
            .map(|sc| twins(p, &sc.name).1)
            .collect();
        let names: Vec<String> = self
            .sidecar_names()
            .into_iter()
            .filter(|n| !idle.contains(n))
            .collect();
        if !self.consistent(p, Some(&names)) {
            return false;
        }
        // isHotUpgradingReady
        if running_and_ready(p) {
            return true;
        }
        p.at("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|st| !idle.iter().any(|n| n == str_at(st, "/name")))
            .all(|st| st.get("ready").and_then(Value::as_bool) == Some(true))
    }

    /// `IsSidecarSetUpgradable`, with the reason in words when it is not.
    pub(crate) fn upgradable(&self, p: &Value) -> Upgradable {
        let recorded = self.recorded(p, crate::sidecarset::HASH_WITHOUT_IMAGE_ANNOTATION);
        if recorded != self.hash_no_img {
            return Upgradable::No(self.why_not_in_place(p));
        }
        let mut names = self.sidecar_names();
        names.sort();
        let statuses = p
            .at("/status/containerStatuses")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for n in &names {
            let ready = statuses.iter().any(|st| {
                str_at(st, "/name") == n && st.get("ready").and_then(Value::as_bool) == Some(true)
            });
            if ready && !self.consistent(p, Some(std::slice::from_ref(n))) {
                return Upgradable::InFlight;
            }
        }
        Upgradable::Yes
    }

    /// Names the fields besides `image` that differ between the pod's
    /// sidecar and the SidecarSet's.
    fn why_not_in_place(&self, p: &Value) -> String {
        let mut diffs = Vec::new();
        for c in &self.containers {
            let name = str_at(c, "/name");
            // A hot-upgrade sidecar is compared with its working twin.
            let in_pod = if str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade" {
                twins(p, name).0
            } else {
                name.to_string()
            };
            let Some(podc) = p
                .at("/spec/containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|pc| str_at(pc, "/name") == in_pod)
            else {
                continue;
            };
            let mut fields: Vec<String> = Vec::new();
            for (k, v) in c.as_object().into_iter().flatten() {
                if matches!(
                    k.as_str(),
                    "image"
                        | "name"
                        | "podInjectPolicy"
                        | "upgradeStrategy"
                        | "shareVolumePolicy"
                        | "shareVolumeDevicePolicy"
                        | "transferEnv"
                        | "resourcesPolicy"
                        | "env"
                        | "volumeMounts"
                ) {
                    continue;
                }
                match podc.get(k) {
                    Some(old) if old == v => {}
                    Some(Value::String(old)) if v.is_string() => {
                        let new = v.as_str().unwrap_or("");
                        let mut f = format!("{k} {old} -> {new}");
                        if k == "imagePullPolicy" && new == "Always" {
                            f.push_str(" (Kubernetes defaults it to Always for a :latest or untagged image; set imagePullPolicy in the SidecarSet to keep the change image-only)");
                        }
                        fields.push(f);
                    }
                    Some(old) => {
                        let (o, n) = (old.to_string(), v.to_string());
                        if o.len() + n.len() <= 120 {
                            fields.push(format!("{k} {o} -> {n}"));
                        } else {
                            fields.push(format!("{k} changed"));
                        }
                    }
                    // The API server fills these in on every pod.
                    None if matches!(
                        k.as_str(),
                        "terminationMessagePath" | "terminationMessagePolicy" | "imagePullPolicy"
                    ) => {}
                    None => fields.push(format!("{k} added")),
                }
            }
            for k in [
                "command",
                "args",
                "workingDir",
                "ports",
                "livenessProbe",
                "readinessProbe",
                "startupProbe",
                "lifecycle",
                "securityContext",
            ] {
                if c.get(k).is_none() && podc.get(k).is_some() {
                    fields.push(format!("{k} removed"));
                }
            }
            let pod_list = |key: &str| -> Vec<Value> {
                podc.get(key)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let pod_env = pod_list("env");
            for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                let n = str_at(e, "/name");
                match pod_env.iter().find(|pe| str_at(pe, "/name") == n) {
                    Some(pe) if pe == e => {}
                    Some(_) => fields.push(format!("env {n} changed")),
                    None => fields.push(format!("env {n} added")),
                }
            }
            let pod_mounts = pod_list("volumeMounts");
            for m in c
                .get("volumeMounts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let at = str_at(m, "/mountPath");
                match pod_mounts.iter().find(|pm| str_at(pm, "/mountPath") == at) {
                    Some(pm) if pm == m => {}
                    Some(_) => fields.push(format!("volume mount {at} changed")),
                    None => fields.push(format!("volume mount {at} added")),
                }
            }
            if !fields.is_empty() {
                diffs.push(format!("container {name}: {}", fields.join(", ")));
            }
        }
        let detail = if diffs.is_empty() {
            String::from("fields other than the image changed (a removed env, volume mount or container, or SidecarSet volumes)")
        } else {
            diffs.join("; ")
        };
        format!(
            "the SidecarSet changed more than images since this pod was injected (its {HASH_WITHOUT_IMAGE_ANNOTATION} differs): {detail}; only image changes are applied in place, recreate the pod to take the rest"
        )
    }
}

fn working_map(p: &Value) -> serde_json::Map<String, Value> {
    serde_json::from_str(annotation(p, WORKING_HOT_UPGRADE_ANNOTATION)).unwrap_or_default()
}

/// `util.IsRunningAndReady`.
fn running_and_ready(p: &Value) -> bool {
    str_at(p, "/status/phase") == "Running"
        && super::order::is_ready_condition(p)
        && p.at("/metadata/deletionTimestamp")
            .is_none_or(Value::is_null)
}

/// `GetPodHotUpgradeContainers`: (working, idle) twin names of `sidecar`.
pub(crate) fn twins(p: &Value, sidecar: &str) -> (String, String) {
    let one = format!("{sidecar}-1");
    let two = format!("{sidecar}-2");
    if working_map(p).get(sidecar).and_then(Value::as_str) == Some(one.as_str()) {
        (one, two)
    } else {
        (two, one)
    }
}

pub(crate) fn container_image<'a>(p: &'a Value, name: &str) -> &'a str {
    p.at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| str_at(c, "/name") == name)
        .map(|c| str_at(c, "/image"))
        .unwrap_or("")
}

fn has_container(p: &Value, name: &str) -> bool {
    ["/spec/containers", "/spec/initContainers"]
        .iter()
        .any(|k| {
            p.at(k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| str_at(c, "/name") == name)
        })
}

fn is_digest(image: &str) -> bool {
    image
        .split_once('@')
        .is_some_and(|(_, d)| d.starts_with("sha256:") && d.len() == 71)
}

/// `CalculatePartitionReplicas`.
pub(crate) fn partition(v: Option<&Value>, total: usize) -> usize {
    let p = match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0).max(0) as usize,
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|x| x.parse::<f64>().ok()) {
            Some(pct) => {
                let p = (pct * total as f64 / 100.0).ceil().max(0.0) as usize;
                if total > 1 && p == total && s != "100%" {
                    total - 1
                } else {
                    p
                }
            }
            None => 0,
        },
        _ => 0,
    };
    p.min(total)
}

/// `GetValueFromIntOrPercent` rounding up; unset is 1.
pub(crate) fn max_unavailable(v: Option<&Value>, total: usize) -> usize {
    match v {
        None | Some(Value::Null) => 1,
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0).max(0) as usize,
        Some(Value::String(s)) => s.replace('%', "").parse::<i64>().map_or(0, |pct| {
            if s.contains('%') {
                ((pct as f64) * total as f64 / 100.0).ceil().max(0.0) as usize
            } else {
                pct.max(0) as usize
            }
        }),
        _ => 0,
    }
}

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Any JSON value, parsed and checked as `Value` would be (the same
/// `deserialize_any`, so the same errors), then dropped.
pub(crate) struct Skip;
impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Skip)
    }
}
impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// The arms of a `Visitor` that reads a boolean, a number, `null` or a
/// sequence (parsed and checked, then dropped with [`Skip`]) as `$value`:
/// the readers below build only what a mapping holds.
macro_rules! other_values_as {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            $crate::plan::pods::Skip.visit_seq(seq).map(|()| $value)
        }
    };
}
pub(crate) use other_values_as;

/// The hash the entry `name` of a recorded-hash annotation holds, as
/// `serde_json::from_str::<Value>(text)` then `get(name)` finds the entry
/// (the last of repeated keys; `None` when the text is no JSON object or
/// has no such entry): the entry itself when a string, else its `hash`
/// string, else `""`. Nothing else is built: the same parse, so the same
/// errors.
fn recorded_entry(text: &str, name: &str) -> Option<String> {
    use std::fmt;

    /// Whether a key is `name`.
    struct Is<'n>(&'n str);
    impl<'de> DeserializeSeed<'de> for Is<'_> {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl<'de> Visitor<'de> for Is<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E>(self, s: &str) -> Result<bool, E> {
            Ok(s == self.0)
        }
    }

    /// A string as itself, anything else as `""`.
    struct Text;
    impl<'de> DeserializeSeed<'de> for Text {
        type Value = String;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Text {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any value")
        }
        other_values_as!(String::new());
        fn visit_str<E>(self, s: &str) -> Result<String, E> {
            Ok(s.to_string())
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
            Skip.visit_map(map).map(|()| String::new())
        }
    }

    /// An entry: a string as itself, a mapping as its (last) `hash`
    /// string, anything else as `""`.
    struct Entry;
    impl<'de> DeserializeSeed<'de> for Entry {
        type Value = String;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Entry {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any value")
        }
        other_values_as!(String::new());
        fn visit_str<E>(self, s: &str) -> Result<String, E> {
            Ok(s.to_string())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            let mut hash = String::new();
            while let Some(is) = map.next_key_seed(Is("hash"))? {
                if is {
                    hash = map.next_value_seed(Text)?;
                } else {
                    map.next_value_seed(Skip)?;
                }
            }
            Ok(hash)
        }
    }

    /// The root: `Some(entry)` for an object (`entry` its last `name`).
    struct Root<'n>(&'n str);
    impl<'de> DeserializeSeed<'de> for Root<'_> {
        type Value = Option<Option<String>>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Root<'_> {
        type Value = Option<Option<String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any value")
        }
        other_values_as!(None);
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(is) = map.next_key_seed(Is(self.0))? {
                if is {
                    found = Some(map.next_value_seed(Entry)?);
                } else {
                    map.next_value_seed(Skip)?;
                }
            }
            Ok(Some(found))
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let found = Root(name).deserialize(&mut de).ok()?;
    de.end().ok()?;
    found?
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recorded_entry_reads_as_a_whole_parse_does() {
        fn whole(text: &str, name: &str) -> Option<String> {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(m)) => m.get(name).map(|e| match e {
                    Value::String(h) => h.clone(),
                    e => str_at(e, "/hash").to_string(),
                }),
                _ => None,
            }
        }
        for text in [
            "",
            "x",
            "[]",
            "\"s\"",
            "1",
            "null",
            "{}",
            r#"{"s":"h1"}"#,
            r#"{"s":{"hash":"h2","x":[1,2.5,-3,true,null]}}"#,
            r#"{"s":{"hash":"h2","hash":"h3"}}"#,
            r#"{"s":{"hash":"h2","hash":7}}"#,
            r#"{"s":{"hash":{"a":1}}}"#,
            r#"{"s":{"x":"h"}}"#,
            r#"{"s":["hash"]}"#,
            r#"{"s":7}"#,
            r#"{"s":null,"t":{"hash":"no"}}"#,
            r#"{"a":1,"s":"first","s":"last"}"#,
            r#"{"\u0073":"escaped"}"#,
            r#"{"a":1e999,"s":"h"}"#,
            r#"{"a":[1,],"s":"h"}"#,
            r#"{"s":"h"} x"#,
            r#"{"s":"h"}  "#,
            r#"{"a":"\ud800","s":"h"}"#,
        ] {
            assert_eq!(recorded_entry(text, "s"), whole(text, "s"), "{text}");
        }
        let deep = format!(
            "{{\"a\":{}1{},\"s\":\"h\"}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(recorded_entry(&deep, "s"), whole(&deep, "s"));
    }

    #[test]
    fn partition_and_budget_arithmetic() {
        for (p, want) in [
            (json!("1%"), 1),
            (json!("50%"), 3),
            (json!("99%"), 4),
            (json!("100%"), 5),
            (json!(7), 5),
            (json!("0%"), 0),
        ] {
            assert_eq!(partition(Some(&p), 5), want, "{p}");
        }
        assert_eq!(max_unavailable(Some(&json!("5%")), 5), 1);
        assert_eq!(max_unavailable(Some(&json!("50%")), 5), 3);
        assert_eq!(max_unavailable(Some(&json!("10%")), 1000), 100);
        assert_eq!(max_unavailable(None, 5), 1);
    }
}
