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
mod resources;

use crate::annotations::{
    version_alt_annotation, version_annotation, CONTAINER_LAUNCH_PRIORITY_ANNOTATION,
    HASH_ANNOTATION as HASH, HASH_WITHOUT_IMAGE_ANNOTATION as HASH_NO_IMG,
    INJECTED_LIST_ANNOTATION as INJECTED_LIST, WORKING_HOT_UPGRADE_ANNOTATION as WORKING_HOT,
};
use crate::value::{ensure_arr, ensure_obj};
use serde_json::Map;
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
        .pointer("/metadata/ownerReferences")
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
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Some(format!("pod phase {phase}"));
    }
    pod.pointer("/metadata/deletionTimestamp")
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
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty())
    {
        ""
    } else {
        ", the namespace of the request (kubectl -n): the pod names none"
    };
    let name_of = |s: &WebhookForm| s.name().to_string();
    let (ns_group, cluster, elsewhere) =
        matching::candidates(ctx.sidecar_sets.iter().copied(), &ns);
    if let Some(reason) = is_active(pod) {
        for s in ns_group.iter().chain(&cluster) {
            report.decisions.push(Decision {
                sidecar_set: name_of(s),
                outcome: Outcome::Skipped {
                    reason: SkipReason::InactivePod,
                    detail: reason.clone(),
                },
            });
        }
        return Ok(());
    }
    for s in &elsewhere {
        report.decisions.push(Decision {
            sidecar_set: name_of(s),
            outcome: Outcome::Skipped {
                reason: SkipReason::Namespace,
                detail: format!("namespaceSelector names other namespaces than {ns}{ns_origin}"),
            },
        });
    }
    // Borrowed unless a pinned revision had to be restored: the SidecarSet
    // is read, never changed, for each pod.
    let mut matched: Vec<(std::borrow::Cow<Value>, Option<String>)> = Vec::new();
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
        for s in group {
            let labels = pod.pointer("/metadata/labels").and_then(Value::as_object);
            match matching::decide(s, labels, &ns, ctx.namespaces)? {
                Some((reason, mut detail)) => {
                    if reason == SkipReason::NamespaceSelector {
                        detail.push_str(ns_origin);
                    }
                    report.decisions.push(Decision {
                        sidecar_set: name_of(s),
                        outcome: Outcome::Skipped { reason, detail },
                    })
                }
                None => {
                    let (inject_as, revision) = match matching::pinned_revision(
                        &s.value,
                        ctx.controller_revisions,
                        labels,
                        &mut draw,
                    )? {
                        Some(r) => {
                            let rev = r
                                .pointer("/status/latestRevision")
                                .and_then(Value::as_str)
                                .map(str::to_string);
                            (std::borrow::Cow::Owned(r), rev)
                        }
                        None => (std::borrow::Cow::Borrowed(&s.value), None),
                    };
                    report.decisions.push(Decision {
                        sidecar_set: name_of(s),
                        outcome: Outcome::Injected {
                            revision: revision.clone(),
                        },
                    });
                    matched.push((inject_as, revision));
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
        pod.pointer("/metadata/name")
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
    let ann = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut hashes = metadata::read_hash_annotation(&ann, HASH, &pod_name)?;
    let mut hashes_no_img = metadata::read_hash_annotation(&ann, HASH_NO_IMG, &pod_name)?;
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
    let timestamp = crate::clock::rfc3339(ctx.now);
    // resourcesPolicy never targets a sidecar of any matched SidecarSet.
    let excluded: std::collections::HashSet<String> = matched
        .iter()
        .flat_map(|(s, _)| {
            ["initContainers", "containers"]
                .into_iter()
                .flat_map(move |k| {
                    s.pointer(&format!("/spec/{k}"))
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
                })
        })
        .collect();
    let mut init_q = Vec::new();
    let mut cont_q = Vec::new();
    let mut volumes = Vec::new();
    let mut secrets = Vec::new();
    let mut new_annotations: Vec<(String, String)> = Vec::new();
    for (s, _) in &matched {
        let name = s
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        injected.insert(name.clone());
        let c = sidecar_containers::collect(s, pod, &excluded)?;
        let list: Vec<Value> = c
            .sidecar_list
            .iter()
            .map(|n| Value::String(n.clone()))
            .collect();
        let entry = |recorded: &Map<String, Value>, hash_key: &str, with_rev: bool| {
            let hash = s
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(hash_key))
                .cloned()
                .unwrap_or(Value::String(String::new()));
            let mut e = Map::new();
            e.insert(
                "updateTimestamp".into(),
                metadata::recorded_timestamp(recorded, &name, &hash)
                    .unwrap_or_else(|| Value::String(timestamp.clone())),
            );
            e.insert("hash".into(), hash);
            e.insert("sidecarSetName".into(), Value::String(name.clone()));
            e.insert("sidecarList".into(), Value::Array(list.clone()));
            if with_rev {
                if let Some(r) = s
                    .pointer("/status/latestRevision")
                    .and_then(Value::as_str)
                    .filter(|r| !r.is_empty())
                {
                    e.insert("controllerRevision".into(), Value::String(r.to_string()));
                }
            }
            Value::Object(e)
        };
        // Hash entries are recorded only for a SidecarSet that contributed a container.
        if !(c.init_containers.is_empty() && c.containers.is_empty()) {
            let e = entry(&hashes, HASH, true);
            hashes.insert(name.clone(), e);
            let e = entry(&hashes_no_img, HASH_NO_IMG, false);
            hashes_no_img.insert(name.clone(), e);
        }
        for base in &c.hot_working {
            working.insert(base.clone(), Value::String(format!("{base}-1")));
            for (twin, v, alt) in [("-1", "1", "0"), ("-2", "0", "1")] {
                new_annotations.push((version_annotation(&format!("{base}{twin}")), v.into()));
                new_annotations
                    .push((version_alt_annotation(&format!("{base}{twin}")), alt.into()));
            }
        }
        init_q.extend(c.init_containers);
        cont_q.extend(c.containers);
        volumes.extend(c.volumes);
        secrets.extend(c.secrets);
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
    let get = |spec: &Map<String, Value>, k: &str| {
        spec.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if !init_q.is_empty() {
        let v = sidecar_containers::place(&get(spec, "initContainers"), init_q);
        spec.insert("initContainers".into(), Value::Array(v));
    }
    if !cont_q.is_empty() {
        let v = sidecar_containers::place(&get(spec, "containers"), cont_q);
        spec.insert("containers".into(), Value::Array(v));
    }
    let merged_volumes = sidecar_containers::merge_volumes(&get(spec, "volumes"), &volumes);
    if !merged_volumes.is_empty() {
        spec.insert("volumes".into(), Value::Array(merged_volumes));
    }
    let merged_secrets =
        sidecar_containers::merge_secrets(&get(spec, "imagePullSecrets"), &secrets);
    if !merged_secrets.is_empty() {
        spec.insert("imagePullSecrets".into(), Value::Array(merged_secrets));
    }
    let annotations = ensure_obj(ensure_obj(obj, "metadata"), "annotations");
    annotations.insert(
        HASH.into(),
        Value::String(crate::gojson::to_string(&Value::Object(
            crate::gojson::sorted_object(&hashes),
        ))),
    );
    annotations.insert(
        HASH_NO_IMG.into(),
        Value::String(crate::gojson::to_string(&Value::Object(
            crate::gojson::sorted_object(&hashes_no_img),
        ))),
    );
    annotations.insert(
        INJECTED_LIST.into(),
        Value::String(injected.into_iter().collect::<Vec<_>>().join(",")),
    );
    if !working.is_empty() {
        annotations.insert(
            WORKING_HOT.into(),
            Value::String(crate::gojson::to_string(&Value::Object(
                crate::gojson::sorted_object(&working),
            ))),
        );
    }
    for (k, v) in new_annotations {
        annotations.insert(k, Value::String(v));
    }
    Ok(())
}

/// §9: container launch priority.
fn launch_priority(pod: &mut Value) -> Result<(), Rejection> {
    let containers = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if containers.len() <= 1 {
        return Ok(());
    }
    let ordered = pod
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CONTAINER_LAUNCH_PRIORITY_ANNOTATION))
        .and_then(Value::as_str)
        == Some("Ordered");
    let priorities: Vec<i64> = if ordered {
        (0..containers.len()).map(|i| -(i as i64)).collect()
    } else {
        let mut ps = Vec::with_capacity(containers.len());
        for c in &containers {
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
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let name = if name.is_empty() {
        let gen = pod
            .pointer("/metadata/generateName")
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
    if let Some(cs) = pod
        .pointer_mut("/spec/containers")
        .and_then(Value::as_array_mut)
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
