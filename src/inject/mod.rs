//! The OpenKruise pod webhook on CREATE, offline: readiness gate, SidecarSet
//! injection, container launch priority (`docs/spec/injection.md`).
//!
//! Contract used by the CLI (keep these signatures): [`inject_pod`] mutates
//! one Pod object in place, exactly as the webhook's admission patch would,
//! and reports per SidecarSet what happened, or rejects the pod.

use crate::cluster::WebhookForm;
use crate::features::FeatureGates;
use crate::namespace::Namespaces;
use crate::path::JsonPath;
use serde_json::Value;

/// Everything the webhook would read from the cluster.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    /// SidecarSets in webhook form ([`crate::cluster::WebhookForm`]).
    /// Input order; the engine orders them as the webhook lists them.
    pub sidecar_sets: Vec<&'a WebhookForm>,
    /// The Namespaces (their labels feed `namespaceSelector`).
    pub namespaces: &'a Namespaces,
    /// ControllerRevisions of SidecarSets (history for `injectionStrategy.revision`).
    pub controller_revisions: &'a [Value],
    /// The Kruise feature gates that change how pods are injected.
    pub gates: &'a FeatureGates,
    /// Seconds since the epoch for `updateTimestamp`.
    pub now: i64,
    /// Seed for the `Partial` revision policy's random draw.
    pub seed: u64,
    /// The namespace of the request: a pod without `metadata.namespace` is
    /// matched as living there (empty: `default`). The pod is not changed.
    pub namespace: &'a str,
    /// What the engine reads from `sidecar_sets` once per run, on the
    /// first pod: `Default::default()`.
    pub prepared: Prepared,
}

/// What happened with one SidecarSet for one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The SidecarSet's name.
    pub sidecar_set: String,
    /// Whether its sidecars were injected, and if not why.
    pub outcome: Outcome,
}

/// What one SidecarSet did to one pod, for the per-workload summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Injected; `revision` names the ControllerRevision used when one was pinned.
    Injected {
        /// The pinned ControllerRevision's name; `None` for the current spec.
        revision: Option<String>,
    },
    /// Not injected, with the deciding reason in words.
    Skipped {
        /// The first condition that kept the SidecarSet out.
        reason: SkipReason,
        /// The same in words, with the values that decided it.
        detail: String,
    },
}

/// Why a SidecarSet was not injected into a pod, in the order the webhook
/// decides it; [`Outcome::Skipped`] adds the detail in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The pod has finished or is being deleted: the webhook injects nothing.
    InactivePod,
    /// `injectionStrategy.paused` is set on the SidecarSet.
    Paused,
    /// The SidecarSet is scoped to other namespaces than the pod's.
    Namespace,
    /// The pod's Namespace does not match the SidecarSet's `namespaceSelector`.
    NamespaceSelector,
    /// The pod's labels do not match the SidecarSet's `selector`.
    Selector,
}

/// The per-pod report of the webhook run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Per candidate SidecarSet, in the order the webhook considered them.
    pub decisions: Vec<Decision>,
    /// Warnings such as "injection order depends on SidecarSet order".
    pub warnings: Vec<String>,
}

/// The webhook refused the pod (HTTP 500 admission error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The webhook's message, as the API server would return it.
    pub message: String,
    /// The field of the pod or SidecarSet the refusal is about, when known.
    pub path: Option<JsonPath>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

mod sidecar_containers;
pub(crate) use sidecar_containers::subpath_vars;
pub(crate) mod matching;
mod metadata;
mod prepared;
mod resources;
pub use prepared::Prepared;

use crate::annotations::{
    version_alt_annotation, version_annotation, CONTAINER_LAUNCH_PRIORITY_ANNOTATION,
    HASH_ANNOTATION as HASH, HASH_WITHOUT_IMAGE_ANNOTATION as HASH_NO_IMG,
    INJECTED_LIST_ANNOTATION as INJECTED_LIST, WORKING_HOT_UPGRADE_ANNOTATION as WORKING_HOT,
};
use crate::value::{ensure_arr, ensure_obj, At};
use serde_json::Map;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Runs the pod webhook's mutations on `pod` (a Pod object) in place.
pub fn inject_pod(pod: &mut Value, ctx: &Context<'_>) -> Result<Report, Rejection> {
    let mut report = Report::default();
    readiness_gate(pod, ctx.gates);
    inject_sidecar_sets(pod, ctx, &mut report)?;
    launch_priority(pod)?;
    Ok(report)
}

/// §10: Kruise-owned pods (and all pods with the gate on) get `KruisePodReady`.
fn readiness_gate(pod: &mut Value, gates: &FeatureGates) {
    let owned_by_kruise = pod
        .at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
        .and_then(|o| o.get("apiVersion").and_then(Value::as_str))
        .is_some_and(|av| av.split('/').next() == Some("apps.kruise.io"));
    if !(owned_by_kruise || gates.kruise_pod_readiness_gate) {
        return;
    }
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let gates_list = ensure_arr(spec, "readinessGates");
    if !gates_list
        .iter()
        .any(|g| g.get("conditionType").and_then(Value::as_str) == Some("KruisePodReady"))
    {
        gates_list.push(serde_json::json!({"conditionType": "KruisePodReady"}));
    }
}

fn is_active(pod: &Value) -> Option<String> {
    let phase = pod
        .at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Some(format!("pod phase {phase}"));
    }
    pod.at("/metadata/deletionTimestamp")
        .filter(|v| !v.is_null())
        .map(|_| "pod is being deleted".to_string())
}

fn inject_sidecar_sets(
    pod: &mut Value,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Result<(), Rejection> {
    let ns = crate::namespace::pod_namespace(pod, ctx.namespace).to_string();
    // A chart's pods rarely name their namespace: say where it came from.
    let ns_origin = if pod
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty())
    {
        ""
    } else {
        ", the namespace of the request (kubectl -n): the pod names none"
    };
    let prepared = ctx.prepared.get(&ctx.sidecar_sets);
    // Candidate order (matching::candidates): SidecarSets indexed under the
    // pod's namespace, then cluster-scoped ones, each group by name; those
    // indexed under other namespaces, in input order, never match.
    // Each SidecarSet with its webhook form.
    let set = |i: usize| (&prepared.sets[i], ctx.sidecar_sets[i]);
    let in_ns = |form: &WebhookForm| {
        form.namespace_index
            .as_ref()
            .map(|names| names.contains(&ns))
    };
    let by_name = || prepared.by_name.iter().map(|i| set(*i));
    let ns_group: Vec<(&prepared::Set, &WebhookForm)> = by_name()
        .filter(|(_, form)| in_ns(form) == Some(true))
        .collect();
    let cluster: Vec<(&prepared::Set, &WebhookForm)> = by_name()
        .filter(|(_, form)| form.namespace_index.is_none())
        .collect();
    if let Some(reason) = is_active(pod) {
        for (s, _) in ns_group.iter().chain(&cluster) {
            report.decisions.push(Decision {
                sidecar_set: s.plan.name.clone(),
                outcome: Outcome::Skipped {
                    reason: SkipReason::InactivePod,
                    detail: reason.clone(),
                },
            });
        }
        return Ok(());
    }
    for (s, _) in (0..prepared.sets.len())
        .map(set)
        .filter(|(_, form)| in_ns(form) == Some(false))
    {
        report.decisions.push(Decision {
            sidecar_set: s.plan.name.clone(),
            outcome: Outcome::Skipped {
                reason: SkipReason::Namespace,
                detail: format!("namespaceSelector names other namespaces than {ns}{ns_origin}"),
            },
        });
    }
    // Borrowed unless a pinned revision had to be restored: the SidecarSet
    // is read, never changed, for each pod.
    let mut matched: Vec<(Cow<Value>, Cow<prepared::Plan>)> = Vec::new();
    // splitmix64 from --seed: the Partial policy's uniform draw, reproducible.
    let mut state = ctx.seed;
    let mut draw = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut group_sizes = [0usize; 2];
    for (g, group) in [&ns_group, &cluster].into_iter().enumerate() {
        for &(s, form) in group {
            let labels = pod.at("/metadata/labels").and_then(Value::as_object);
            match matching::decide(s, form, labels, &ns, ctx.namespaces)? {
                Some((reason, mut detail)) => {
                    if reason == SkipReason::NamespaceSelector {
                        detail.push_str(ns_origin);
                    }
                    report.decisions.push(Decision {
                        sidecar_set: s.plan.name.clone(),
                        outcome: Outcome::Skipped { reason, detail },
                    })
                }
                None => {
                    let pinned = if s.pinned {
                        matching::pinned_revision(
                            &form.value,
                            ctx.controller_revisions,
                            labels,
                            &mut draw,
                        )?
                    } else {
                        None
                    };
                    let (inject_as, plan, revision) = match pinned {
                        Some(r) => {
                            let rev = r
                                .at("/status/latestRevision")
                                .and_then(Value::as_str)
                                .map(str::to_string);
                            let plan = prepared::Plan::new(&r);
                            (Cow::Owned(r), Cow::Owned(plan), rev)
                        }
                        None => (Cow::Borrowed(&form.value), Cow::Borrowed(&s.plan), None),
                    };
                    report.decisions.push(Decision {
                        sidecar_set: s.plan.name.clone(),
                        outcome: Outcome::Injected { revision },
                    });
                    matched.push((inject_as, plan));
                    group_sizes[g] += 1;
                }
            }
        }
    }
    if matched.is_empty() {
        return Ok(());
    }
    for (g, n) in group_sizes.iter().enumerate() {
        if *n > 1 {
            report.warnings.push(format!(
                "{n} {} SidecarSets inject into this pod; OpenKruise applies them in an unspecified order (shown here by name), which decides container order, volume and annotation conflicts",
                if g == 0 { "namespace-scoped" } else { "cluster-scoped" }
            ));
        }
    }
    let pod_name = format!(
        "{}/{}",
        ns,
        pod.at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    );
    {
        let md = ensure_obj(
            pod.as_object_mut().ok_or_else(|| Rejection {
                message: "a Pod must be an object".into(),
                path: None,
            })?,
            "metadata",
        );
        ensure_obj(md, "annotations");
    }
    for (s, _) in &matched {
        metadata::patch_pod_metadata(pod, s)?;
    }
    // Pre-read annotations (§3.1).
    let empty = Map::new();
    let ann = pod
        .at("/metadata/annotations")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut hashes = HashAnnotation::read(ann, HASH, &pod_name)?;
    let mut hashes_no_img = HashAnnotation::read(ann, HASH_NO_IMG, &pod_name)?;
    let mut working: Map<String, Value> = ann
        .get(WORKING_HOT)
        .and_then(Value::as_str)
        .and_then(|t| serde_json::from_str::<Map<String, Value>>(t).ok())
        .unwrap_or_default();
    let mut injected: BTreeSet<String> = ann
        .get(INJECTED_LIST)
        .and_then(Value::as_str)
        .map(|l| {
            l.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let timestamp = Value::String(crate::clock::rfc3339(ctx.now));
    // resourcesPolicy never targets a sidecar of any matched SidecarSet;
    // only a resourcesPolicy reads these names.
    let excluded: std::collections::HashSet<String> =
        if matched.iter().any(|(_, p)| p.resources_policy) {
            matched
                .iter()
                .flat_map(|(_, p)| p.container_names.iter().cloned())
                .collect()
        } else {
            Default::default()
        };
    // The sidecars of each SidecarSet: read once for all pods when they do
    // not depend on the pod.
    let mut collected: Vec<Cow<sidecar_containers::Collected>> = Vec::with_capacity(matched.len());
    for (s, plan) in &matched {
        collected.push(match &plan.collected {
            Some(c) => Cow::Borrowed(c),
            None => Cow::Owned(sidecar_containers::collect(s, pod, &excluded)?),
        });
    }
    let mut init_q = Vec::new();
    let mut cont_q = Vec::new();
    let mut volumes: Vec<&Value> = Vec::new();
    let mut secrets: Vec<&Value> = Vec::new();
    let mut new_annotations: Vec<(String, String)> = Vec::new();
    for ((_, plan), c) in matched.iter().zip(&collected) {
        let name = &plan.name;
        injected.insert(name.clone());
        // Hash entries are recorded only for a SidecarSet that contributed a container.
        if !(c.init_containers.is_empty() && c.containers.is_empty()) {
            hashes.record(name, &plan.hash, &plan.hash_entry, &timestamp);
            hashes_no_img.record(name, &plan.hash_no_img, &plan.hash_no_img_entry, &timestamp);
        }
        for base in &c.hot_working {
            working.insert(base.clone(), Value::String(format!("{base}-1")));
            for (twin, v, alt) in [("-1", "1", "0"), ("-2", "0", "1")] {
                new_annotations.push((version_annotation(&format!("{base}{twin}")), v.into()));
                new_annotations
                    .push((version_alt_annotation(&format!("{base}{twin}")), alt.into()));
            }
        }
        init_q.extend(c.init_containers.iter().cloned());
        cont_q.extend(c.containers.iter().cloned());
        volumes.extend(&c.volumes);
        secrets.extend(&c.secrets);
    }
    if init_q.is_empty() && cont_q.is_empty() {
        return Ok(());
    }
    init_q.sort_by(|a, b| {
        a.container
            .get("name")
            .and_then(Value::as_str)
            .cmp(&b.container.get("name").and_then(Value::as_str))
    });
    if ctx.gates.sort_sidecar_container_by_name {
        cont_q.sort_by(|a, b| {
            a.container
                .get("name")
                .and_then(Value::as_str)
                .cmp(&b.container.get("name").and_then(Value::as_str))
        });
    }
    let obj = pod.as_object_mut().ok_or_else(|| Rejection {
        message: "a Pod must be an object".into(),
        path: None,
    })?;
    let spec = ensure_obj(obj, "spec");
    // The pod's lists are changed where they stand (a list of another type
    // is read as empty and replaced).
    let mut update = |key: &str, f: &mut dyn FnMut(Vec<Value>) -> Vec<Value>| {
        if let Some(Value::Array(list)) = spec.get_mut(key) {
            let v = f(std::mem::take(list));
            *list = v;
        } else {
            let v = f(Vec::new());
            if !v.is_empty() {
                spec.insert(key.into(), Value::Array(v));
            }
        }
    };
    if !init_q.is_empty() {
        update("initContainers", &mut |list| {
            sidecar_containers::place(list, std::mem::take(&mut init_q))
        });
    }
    if !cont_q.is_empty() {
        update("containers", &mut |list| {
            sidecar_containers::place(list, std::mem::take(&mut cont_q))
        });
    }
    update("volumes", &mut |mut list| {
        sidecar_containers::merge_volumes(&mut list, &volumes);
        list
    });
    update("imagePullSecrets", &mut |list| {
        sidecar_containers::merge_secrets(list, &secrets)
    });
    let annotations = ensure_obj(ensure_obj(obj, "metadata"), "annotations");
    annotations.insert(HASH.into(), Value::String(hashes.to_json()));
    annotations.insert(HASH_NO_IMG.into(), Value::String(hashes_no_img.to_json()));
    annotations.insert(
        INJECTED_LIST.into(),
        Value::String(injected.into_iter().collect::<Vec<_>>().join(",")),
    );
    if !working.is_empty() {
        annotations.insert(WORKING_HOT.into(), Value::String(sorted_json(&working)));
    }
    for (k, v) in new_annotations {
        annotations.insert(k, Value::String(v));
    }
    Ok(())
}

/// `map` as Go's `json.Marshal` writes a map: keys sorted bytewise, HTML
/// characters escaped (what `gojson::to_string` of `gojson::sorted_object`
/// gives, without copying the entries).
fn sorted_json(map: &Map<String, Value>) -> String {
    let sorted: std::collections::BTreeMap<&str, &Value> =
        map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    crate::gojson::go_escape(serde_json::to_string(&sorted).unwrap_or_default())
}

/// A pod hash annotation (§3.1): the entries read from the pod, by
/// SidecarSet name, and those this injection writes, kept as their JSON.
struct HashAnnotation<'p>(std::collections::BTreeMap<String, HashEntry<'p>>);

enum HashEntry<'p> {
    Read(Value),
    New {
        update_timestamp: Value,
        hash: &'p Value,
        /// The JSON after `updateTimestamp` (`prepared::Plan::hash_entry`).
        rest: &'p str,
    },
}

impl<'p> HashAnnotation<'p> {
    fn read(ann: &Map<String, Value>, key: &str, pod: &str) -> Result<Self, Rejection> {
        let read = metadata::read_hash_annotation(ann, key, pod)?;
        Ok(HashAnnotation(
            read.into_iter()
                .map(|(k, v)| (k, HashEntry::Read(v)))
                .collect(),
        ))
    }

    /// The entry of SidecarSet `name` with `hash`, stamped `now` unless
    /// its recorded entry has the same hash.
    fn record(&mut self, name: &str, hash: &'p Value, rest: &'p str, now: &Value) {
        let kept = match self.0.get(name) {
            None => None,
            Some(HashEntry::Read(entry)) => metadata::recorded_timestamp(entry, hash),
            Some(HashEntry::New {
                update_timestamp,
                hash: recorded,
                ..
            }) => Some(update_timestamp)
                .filter(|_| *recorded == hash)
                .filter(|t| t.as_str().is_some_and(|t| !t.is_empty()))
                .cloned(),
        };
        self.0.insert(
            name.to_string(),
            HashEntry::New {
                update_timestamp: kept.unwrap_or_else(|| now.clone()),
                hash,
                rest,
            },
        );
    }

    /// The annotation's value, as Go's `json.Marshal` writes the map.
    fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (name, entry)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&prepared::json(name));
            out.push(':');
            match entry {
                HashEntry::Read(v) => out.push_str(&prepared::json(v)),
                HashEntry::New {
                    update_timestamp,
                    rest,
                    ..
                } => {
                    out.push_str("{\"updateTimestamp\":");
                    out.push_str(&prepared::json(update_timestamp));
                    out.push_str(rest);
                }
            }
        }
        out.push('}');
        crate::gojson::go_escape(out)
    }
}

/// §9: container launch priority.
fn launch_priority(pod: &mut Value) -> Result<(), Rejection> {
    let containers = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if containers.len() <= 1 {
        return Ok(());
    }
    let ordered = pod
        .at("/metadata/annotations")
        .and_then(|a| a.get(CONTAINER_LAUNCH_PRIORITY_ANNOTATION))
        .and_then(Value::as_str)
        == Some("Ordered");
    let priorities: Vec<i64> = if ordered {
        (0..containers.len()).map(|i| -(i as i64)).collect()
    } else {
        let mut ps = Vec::with_capacity(containers.len());
        for c in containers {
            let mut p = 0i64;
            for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                if e.get("name").and_then(Value::as_str) == Some("KRUISE_CONTAINER_PRIORITY") {
                    let text = e.get("value").and_then(Value::as_str).unwrap_or("");
                    p = atoi(text)?;
                }
            }
            ps.push(p);
        }
        if ps.iter().all(|p| *p == 0) || ps.iter().all(|p| *p == ps[0]) {
            return Ok(());
        }
        ps
    };
    let name = pod
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let name = if name.is_empty() {
        let gen = pod
            .at("/metadata/generateName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let truncated: String = gen.chars().take(58).collect();
        let n = format!("{truncated}{}", crate::workload::POD_NAME_SUFFIX);
        if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
            md.insert("name".into(), Value::String(n.clone()));
        }
        n
    } else {
        name
    };
    if let Some(cs) =
        crate::value::get_path_mut(pod, &["spec", "containers"]).and_then(Value::as_array_mut)
    {
        for (c, p) in cs.iter_mut().zip(priorities) {
            if let Some(obj) = c.as_object_mut() {
                ensure_arr(obj, "env").push(serde_json::json!({
                    "name": "KRUISE_CONTAINER_BARRIER",
                    "valueFrom": {"configMapKeyRef": {"name": format!("{name}-barrier"), "key": format!("p_{p}")}}
                }));
            }
        }
    }
    Ok(())
}

/// Go's `strconv.Atoi`, with its error text.
fn atoi(text: &str) -> Result<i64, Rejection> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Rejection {
            message: format!("strconv.Atoi: parsing {text:?}: invalid syntax"),
            path: None,
        });
    }
    text.parse::<i64>().map_err(|_| Rejection {
        message: format!("strconv.Atoi: parsing {text:?}: value out of range"),
        path: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;
    const KEPT: &str = "2024-01-01T00:00:00Z";

    fn sidecar_set() -> Value {
        json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "log", "annotations": {HASH: "h1", HASH_NO_IMG: "n1"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "containers": [{"name": "agent", "image": "busybox:1.36"}]}
        })
    }

    /// A pod that records `hash` entries for `log` but lacks its container,
    /// so the webhook injects it and writes both entries again.
    fn pod(hash: &Value, hash_no_img: &Value) -> Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-0", "labels": {"app": "web"}, "annotations": {
                HASH: json!({"log": hash}).to_string(),
                HASH_NO_IMG: json!({"log": hash_no_img}).to_string(),
            }},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}
        })
    }

    fn entry(hash: &str) -> Value {
        json!({"updateTimestamp": KEPT, "hash": hash, "sidecarSetName": "log", "sidecarList": ["agent"]})
    }

    /// `updateTimestamp` of `log` in both annotations after injection.
    fn stamps(mut pod: Value) -> (String, String) {
        let sets = [sidecar_set()];
        let forms: Vec<WebhookForm> = sets.iter().cloned().map(WebhookForm::new).collect();
        let gates = FeatureGates::default();
        let ctx = Context {
            sidecar_sets: forms.iter().collect(),
            namespaces: &Namespaces::default(),
            controller_revisions: &[],
            gates: &gates,
            now: NOW,
            seed: 0,
            namespace: "",
            prepared: Default::default(),
        };
        let report = inject_pod(&mut pod, &ctx).expect("admitted");
        assert!(matches!(
            report.decisions[0].outcome,
            Outcome::Injected { .. }
        ));
        let read = |key: &str| {
            let text = pod
                .pointer(&format!("/metadata/annotations/{}", key.replace('/', "~1")))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let v: Value = serde_json::from_str(text).unwrap_or_default();
            v.pointer("/log/updateTimestamp")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        (read(HASH), read(HASH_NO_IMG))
    }

    #[test]
    fn an_entry_with_the_same_hash_keeps_its_time() {
        assert_eq!(
            stamps(pod(&entry("h1"), &entry("n1"))),
            (KEPT.to_string(), KEPT.to_string())
        );
    }

    #[test]
    fn each_annotation_is_checked_against_its_own_hash() {
        let now = crate::clock::rfc3339(NOW);
        // A new image: the hash changed, the hash without image did not.
        assert_eq!(
            stamps(pod(&entry("h0"), &entry("n1"))),
            (now.clone(), KEPT.to_string())
        );
        // The hashes are not interchangeable.
        assert_eq!(
            stamps(pod(&entry("n1"), &entry("h1"))),
            (now.clone(), now.clone())
        );
    }

    #[test]
    fn a_legacy_entry_has_no_time_to_keep() {
        let now = crate::clock::rfc3339(NOW);
        assert_eq!(stamps(pod(&json!("h1"), &json!("n1"))), (now.clone(), now));
    }

    #[test]
    fn the_request_namespace_matches_without_being_written() {
        let sets = [json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "log"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "prod"}},
                     "containers": [{"name": "agent", "image": "busybox:1.36"}]}
        })];
        let forms: Vec<WebhookForm> = sets.iter().cloned().map(WebhookForm::new).collect();

        let gates = FeatureGates::default();
        for (request, injected) in [("prod", true), ("", false), ("dev", false)] {
            let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "web-0", "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}});
            let ctx = Context {
                sidecar_sets: forms.iter().collect(),
                namespaces: &Namespaces::default(),
                controller_revisions: &[],
                gates: &gates,
                now: NOW,
                seed: 0,
                namespace: request,
                prepared: Default::default(),
            };
            let report = inject_pod(&mut pod, &ctx).expect("admitted");
            assert_eq!(
                matches!(report.decisions[0].outcome, Outcome::Injected { .. }),
                injected,
                "-n {request:?}: {report:?}"
            );
            assert_eq!(pod.pointer("/metadata/namespace"), None, "-n {request:?}");
        }
    }
}
