//! More best-practice lints (`SSL-*`, best-practices-lint.md): name clashes
//! across lists, rollout surprises, volume sharing, QoS, resourcesPolicy,
//! metadata patches and injection order. Called from [`super::ssl::check`].

use super::model::{arr, q, s, str_at, SidecarSet, Template, World};
use super::ssl::{ctr_path, selected, spec_of, Ctx};
use super::{Input, Severity};
use crate::path::JsonPath;
use crate::workload::WorkloadKind;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

const INJECTED_LIST: &str = "kruise.io/sidecarset-injected-list";
const SA_TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Rules on one SidecarSet (with its `--from` version when given).
pub fn sidecar_set(cx: &mut Ctx<'_>, world: &World<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    let res = ss.resource;
    let old = world.old.get(ss.name());
    // SSL-030: native sidecars are never updated in place.
    for (i, c) in arr(sp, "initContainers").iter().enumerate() {
        if s(c, "restartPolicy") != "Always" {
            continue;
        }
        let name = s(c, "name");
        let image = s(c, "image");
        let old_image = old
            .and_then(|o| o.get("spec"))
            .map(|o| arr(o, "initContainers"))
            .and_then(|l| l.iter().find(|oc| s(oc, "name") == name))
            .map(|oc| s(oc, "image"))
            .filter(|o| *o != image);
        let msg = match old_image {
            Some(o) => format!("native sidecar {name} changes image {} -> {}: running pods keep {} (native sidecars are never updated in place); only pods created from now on get the new image", q(o), q(image), q(o)),
            None => format!("native sidecar {name} is never updated in place: a new image reaches only pods created after the change"),
        };
        cx.push(
            "SSL-030",
            res,
            ctr_path("initContainers", i).key("image"),
            msg,
        );
    }
    // SSL-072: unknown patchPolicy values are ignored by the webhook.
    for (i, p) in arr(sp, "patchPodMetadata").iter().enumerate() {
        let policy = s(p, "patchPolicy");
        if !matches!(policy, "" | "Retain" | "Overwrite" | "MergePatchJson") {
            cx.push("SSL-072", res, JsonPath::keys(&["spec", "patchPodMetadata"]).index(i).key("patchPolicy"), format!("patchPolicy {} is not Retain, Overwrite or MergePatchJson: the annotations of this entry are never applied", q(policy)));
        }
    }
    // SSL-073: metadata-only changes do not reach existing pods.
    if let Some(old) = old {
        metadata_change(cx, ss, sp, old);
    }
    // SSL-062 (SidecarSet part): expressions that evaluate surprisingly.
    for list in ["containers", "initContainers"] {
        for (i, c) in arr(sp, list).iter().enumerate() {
            for kind in ["limits", "requests"] {
                for r in ["cpu", "memory"] {
                    let Some(expr) = c
                        .pointer(&format!("/resourcesPolicy/resourcesExpr/{kind}/{r}"))
                        .and_then(Value::as_str)
                        .filter(|e| !e.is_empty())
                    else {
                        continue;
                    };
                    let p = ctr_path(list, i)
                        .key("resourcesPolicy")
                        .key("resourcesExpr")
                        .key(kind)
                        .key(r);
                    let bad = crate::calculator::malformed_numbers(expr);
                    if !bad.is_empty() {
                        cx.push("SSL-062", res, p.clone(), format!("{kind}.{r} expression {} of sidecar {}: {} not a valid number and silently evaluates to 0", q(expr), s(c, "name"), bad.iter().map(|b| q(b)).collect::<Vec<_>>().join(", ") + if bad.len() == 1 { " is" } else { " are" }));
                    }
                    if r == "memory" && !mentions_memory(expr) {
                        let v = crate::calculator::evaluate(
                            expr,
                            "cpu",
                            crate::calculator::Val::Num(1.0),
                        );
                        if let Ok(crate::calculator::Val::Num(n)) = v {
                            cx.push("SSL-062", res, p, format!("{kind}.memory expression {} of sidecar {} yields the plain number {n}, which is converted as CPU millicores: the sidecar gets {}m bytes; write a quantity such as 256Mi", q(expr), s(c, "name"), crate::quantity::go_float(n * 1000.0)));
                        }
                    }
                }
            }
        }
    }
}

/// `\bmemory\b` on the expression text (case-sensitive), as the webhook binds the variable.
fn mentions_memory(expr: &str) -> bool {
    let b = expr.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    expr.match_indices("memory").any(|(i, m)| {
        let before = i.checked_sub(1).and_then(|j| b.get(j)).copied();
        let after = b.get(i + m.len()).copied();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

fn metadata_change(cx: &mut Ctx<'_>, ss: &SidecarSet<'_>, sp: &Value, old: &Value) {
    let Ok(new) = &ss.stored else { return };
    let list = |v: &Value| -> Vec<Value> {
        v.pointer("/spec/patchPodMetadata")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old_l, new_l) = (list(old), list(new));
    if old_l == new_l {
        return;
    }
    let p = JsonPath::keys(&["spec", "patchPodMetadata"]);
    let (Ok(h_old), Ok(h_new)) = (crate::sidecarset::hash(old), crate::sidecarset::hash(new))
    else {
        return;
    };
    if h_old == h_new {
        cx.push("SSL-073", ss.resource, p, format!("patchPodMetadata of SidecarSet {} changed but its containers did not: existing pods get annotations again only with an in-place sidecar upgrade, so only new pods see this change", ss.name()));
        return;
    }
    let without_image = (
        crate::sidecarset::hash_without_image(old),
        crate::sidecarset::hash_without_image(new),
    );
    if matches!(&without_image, (Ok(a), Ok(b)) if a != b) {
        cx.push("SSL-073", ss.resource, p, format!("patchPodMetadata of SidecarSet {} changed together with more than images: existing pods are not upgradable in place (SSL-020), so they get the new annotations only when recreated", ss.name()));
        return;
    }
    // Upgraded pods are patched again, but Retain never changes a present key.
    let old_retained: HashSet<(&str, &Value)> = old_l
        .iter()
        .filter(|e| matches!(s(e, "patchPolicy"), "" | "Retain"))
        .filter_map(|e| e.get("annotations").and_then(Value::as_object))
        .flat_map(|a| a.iter().map(|(k, v)| (k.as_str(), v)))
        .collect();
    let old_keys: HashSet<&str> = old_retained.iter().map(|(k, _)| *k).collect();
    let mut changed: Vec<&str> = arr(sp, "patchPodMetadata")
        .iter()
        .filter(|e| matches!(s(e, "patchPolicy"), "" | "Retain"))
        .filter_map(|e| e.get("annotations").and_then(Value::as_object))
        .flat_map(|a| a.iter())
        .filter(|(k, v)| old_keys.contains(k.as_str()) && !old_retained.contains(&(k.as_str(), *v)))
        .map(|(k, _)| k.as_str())
        .collect();
    changed.sort_unstable();
    changed.dedup();
    if !changed.is_empty() {
        cx.push("SSL-073", ss.resource, p, format!("SidecarSet {} changes the Retain annotation(s) {}: pods that already carry them keep their old values, even when upgraded", ss.name(), changed.join(", ")));
    }
}

/// Rules on one workload template and the SidecarSets it gets (`matched`,
/// may be empty).
pub fn template(
    cx: &mut Ctx<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    unmanaged_pod(cx, world, t);
    if matched.is_empty() {
        return;
    }
    let tp = t.path.clone().key("spec");
    let res = t.resource;
    names_across_lists(cx, t, matched);
    injection_order(cx, input, t, matched);
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        let ssn = ss.name();
        order_priority(cx, t, ss, sp);
        pinned_revision(cx, world, t, ss, sp);
        merge_patch_onto(cx, t, ssn, sp);
        for list in ["containers", "initContainers"] {
            for c in arr(sp, list) {
                share_volumes(cx, t, ssn, c);
                service_account_token(cx, t, ssn, c);
            }
        }
        resources_policy(cx, t, matched, ssn, sp);
    }
    qos(cx, world, input, t, matched, &tp, res);
}

/// Names a SidecarSet container takes in the pod (hot upgrade twins).
fn pod_names(c: &Value, list: &str) -> Vec<String> {
    let name = s(c, "name");
    if list == "containers" && str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade" {
        vec![format!("{name}-1"), format!("{name}-2")]
    } else {
        vec![name.to_string()]
    }
}

/// SSL-012 on a pod: an init container of one SidecarSet and a container of
/// another with the same name.
fn names_across_lists(cx: &mut Ctx<'_>, t: &Template<'_>, matched: &[&SidecarSet<'_>]) {
    let mut init: BTreeMap<String, &str> = BTreeMap::new();
    for ss in matched {
        for c in spec_of(ss)
            .map(|sp| arr(sp, "initContainers"))
            .unwrap_or(&[])
        {
            init.entry(s(c, "name").to_string()).or_insert(ss.name());
        }
    }
    for ss in matched {
        for c in spec_of(ss).map(|sp| arr(sp, "containers")).unwrap_or(&[]) {
            for n in pod_names(c, "containers") {
                if let Some(other) = init.get(&n).filter(|o| **o != ss.name()) {
                    cx.push("SSL-012", t.resource, t.path.clone().key("spec"), format!("SidecarSet {other} injects an init container {n} and SidecarSet {} a container {n} into these pods: duplicate container names, the pod is rejected", ss.name()));
                }
            }
        }
    }
}

/// SSL-012 between SidecarSets the webhook's overlap heuristic pairs up
/// (SSV-080/081 check only same-list names).
pub fn names_across_sets(cx: &mut Ctx<'_>, world: &World<'_>) {
    // Container name -> the SidecarSets that inject it, in input order: an
    // init container is compared with those, not with every SidecarSet
    // (quadratic in the SidecarSets).
    let mut injecting: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, b) in world.sidecar_sets.iter().enumerate() {
        for c in spec_of(b).map(|sp| arr(sp, "containers")).unwrap_or(&[]) {
            for n in pod_names(c, "containers") {
                let at = injecting.entry(n).or_default();
                if at.last() != Some(&j) {
                    at.push(j);
                }
            }
        }
    }
    for a in &world.sidecar_sets {
        let Some(asp) = spec_of(a) else { continue };
        for (i, ic) in arr(asp, "initContainers").iter().enumerate() {
            let n = s(ic, "name");
            for &j in injecting.get(n).map_or(&[][..], Vec::as_slice) {
                let b = &world.sidecar_sets[j];
                let Some(bsp) = spec_of(b).filter(|_| b.name() != a.name()) else {
                    continue;
                };
                let overlap = super::overlap::namespaces_overlap(asp, bsp)
                    && super::overlap::selectors_overlap(asp.get("selector"), bsp.get("selector"));
                if overlap {
                    cx.push("SSL-012", a.resource, ctr_path("initContainers", i).key("name"), format!("init container {n} has the name of a container of SidecarSet {}, which selects the same pods: validation does not compare init and regular names, pods getting both are rejected", b.name()));
                }
            }
        }
    }
}

/// SSL-080: plain containers of several SidecarSets with the same
/// podInjectPolicy, in the group whose order is not stable.
fn injection_order(
    cx: &mut Ctx<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    if input.gates.sort_sidecar_container_by_name {
        return;
    }
    let stored: Vec<&Value> = matched
        .iter()
        .filter_map(|m| m.stored.as_ref().ok())
        .collect();
    let (ns_group, cluster, _) =
        crate::inject::matching::candidates(stored.iter().copied(), &t.namespace);
    for group in [ns_group, cluster] {
        let mut by_policy: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for ss in group {
            let mut policies: Vec<&str> = arr(&ss["spec"], "containers")
                .iter()
                .map(|c| match s(c, "podInjectPolicy") {
                    "" => "BeforeAppContainer",
                    p => p,
                })
                .collect();
            policies.sort_unstable();
            policies.dedup();
            // Same-named inputs are versions of one SidecarSet.
            for p in policies {
                let names = by_policy.entry(p).or_default();
                let n = str_at(ss, "/metadata/name");
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        for (policy, names) in by_policy {
            if names.len() > 1 {
                cx.push("SSL-080", t.resource, t.path.clone().key("spec").key("containers"), format!("SidecarSets {} all inject containers {policy} into these pods: their relative order is not deterministic (feature gate EnableSortSidecarContainerByName is off)", names.join(", ")));
            }
        }
    }
}

/// Labels the controller adds to the pods of a workload, besides the template's.
fn controller_labels(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Deployment | WorkloadKind::ReplicaSet => &["pod-template-hash"],
        WorkloadKind::StatefulSet | WorkloadKind::AdvancedStatefulSet => &[
            "controller-revision-hash",
            "statefulset.kubernetes.io/pod-name",
            "apps.kubernetes.io/pod-index",
        ],
        WorkloadKind::DaemonSet | WorkloadKind::AdvancedDaemonSet => {
            &["controller-revision-hash", "pod-template-generation"]
        }
        WorkloadKind::CloneSet => &[
            "controller-revision-hash",
            "apps.kruise.io/cloneset-instance-id",
            "pod-template-hash",
        ],
        WorkloadKind::Job | WorkloadKind::CronJob => &[
            "controller-uid",
            "job-name",
            "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name",
        ],
        _ => &[],
    }
}

/// SSL-028: pods without any orderedKey are updated first.
fn order_priority(cx: &mut Ctx<'_>, t: &Template<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    let st = sp.pointer("/updateStrategy/priorityStrategy");
    if st
        .and_then(|st| st.get("weightPriority"))
        .and_then(Value::as_array)
        .is_some_and(|w| !w.is_empty())
    {
        return; // weightPriority wins
    }
    let keys: Vec<&str> = st
        .and_then(|st| st.get("orderPriority"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| s(o, "orderedKey"))
        .filter(|k| !k.is_empty())
        .collect();
    if keys.is_empty() {
        return;
    }
    let labels = t.labels();
    let has = |k: &str| {
        labels.is_some_and(|l| l.contains_key(k)) || controller_labels(t.kind).contains(&k)
    };
    if !keys.iter().any(|k| has(k)) {
        cx.push("SSL-028", t.resource, t.path.clone().key("metadata").key("labels"), format!("these pods carry none of the orderPriority keys of SidecarSet {} ({}): they get the lowest level and are updated before the pods that carry one", ss.name(), keys.join(", ")));
    }
}

/// SSL-032: the pinned revision must exist for pods to be created.
fn pinned_revision(
    cx: &mut Ctx<'_>,
    world: &World<'_>,
    t: &Template<'_>,
    ss: &SidecarSet<'_>,
    sp: &Value,
) {
    let Some(rev) = sp.pointer("/injectionStrategy/revision") else {
        return;
    };
    let name = rev.get("revisionName").and_then(Value::as_str);
    let custom = rev.get("customVersion").and_then(Value::as_str);
    let what = match (name, custom) {
        (Some(n), _) => format!("revisionName {}", q(n)),
        (None, Some(c)) => format!("customVersion {}", q(c)),
        (None, None) => return,
    };
    let tp = t.path.clone().key("spec");
    if world.revisions.is_empty() {
        cx.push_sev("SSL-032", Severity::Info, t.resource, tp, format!("these pods get the revision pinned by SidecarSet {} ({what}); no ControllerRevisions in the input: if it is missing or deleted, every pod creation is rejected", ss.name()));
        return;
    }
    let found = world.has_revision(name, ss.name(), custom);
    if !found {
        cx.push("SSL-032", t.resource, tp, format!("SidecarSet {} pins {what}, which no ControllerRevision of the input resolves: the pod webhook rejects every pod of this workload", ss.name()));
    }
}

/// SSL-034: an existing pod the SidecarSet selects but did not inject.
fn unmanaged_pod(cx: &mut Ctx<'_>, world: &World<'_>, t: &Template<'_>) {
    if t.kind != WorkloadKind::Pod || !t.path.0.is_empty() {
        return;
    }
    let pod = t.template;
    let existing = pod.get("status").is_some_and(|v| !v.is_null())
        || !str_at(pod, "/metadata/uid").is_empty()
        || !str_at(pod, "/metadata/creationTimestamp").is_empty();
    if !existing || matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed") {
        return;
    }
    let injected: HashSet<&str> = t
        .annotations()
        .and_then(|a| a.get(INJECTED_LIST))
        .and_then(Value::as_str)
        .map(|l| l.split(',').collect())
        .unwrap_or_default();
    for ss in &world.sidecar_sets {
        let Some(sp) = spec_of(ss) else { continue };
        if selected(world, sp, t) && !injected.contains(ss.name()) {
            cx.push("SSL-034", t.resource, JsonPath::keys(&["metadata", "annotations"]), format!("pod matches SidecarSet {} but was not injected by it ({INJECTED_LIST} does not name it): the SidecarSet never updates this pod; recreate it to get the sidecar", ss.name()));
        }
    }
}

/// SSL-071: MergePatchJson onto a pod annotation that is not JSON.
fn merge_patch_onto(cx: &mut Ctx<'_>, t: &Template<'_>, ssn: &str, sp: &Value) {
    let Some(ann) = t.annotations() else { return };
    for p in arr(sp, "patchPodMetadata") {
        if s(p, "patchPolicy") != "MergePatchJson" {
            continue;
        }
        for k in p
            .get("annotations")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::keys)
        {
            let Some(v) = ann.get(k).and_then(Value::as_str).filter(|v| !v.is_empty()) else {
                continue;
            };
            let doc_ok = serde_json::from_str::<Value>(v).is_ok_and(|j| !j.is_null());
            if !doc_ok {
                cx.push("SSL-071", t.resource, t.path.clone().key("metadata").key("annotations").key(k.as_str()), format!("SidecarSet {ssn} merges a JSON patch into annotation {k}, whose value here is not a JSON document: every pod creation is rejected (Invalid JSON Document)"));
            }
        }
    }
}

fn shares(c: &Value) -> bool {
    str_at(c, "/shareVolumePolicy/type") == "enabled"
}

/// An app container and one of its mounts, with their indices.
struct AppMount<'t> {
    app: &'t Value,
    mount: &'t Value,
    at: (usize, usize),
}

/// The mounts `shareVolumePolicy` copies into sidecar `c` (injection.md
/// §7.1): (app container, mount), and the ones skipped for their path.
fn shared_mounts<'t>(t: &'t Template<'_>, c: &Value) -> (Vec<AppMount<'t>>, Vec<AppMount<'t>>) {
    let mut used: HashSet<String> = arr(c, "volumeMounts")
        .iter()
        .map(|m| s(m, "mountPath").to_string())
        .chain(
            arr(c, "volumeDevices")
                .iter()
                .map(|d| s(d, "devicePath").to_string()),
        )
        .collect();
    let (mut copied, mut skipped) = (Vec::new(), Vec::new());
    for (i, app) in t.list("containers").iter().enumerate() {
        let injected = arr(app, "env")
            .iter()
            .any(|e| s(e, "name") == "IS_INJECTED" && s(e, "value") == "true");
        if injected {
            continue;
        }
        for (j, mount) in arr(app, "volumeMounts").iter().enumerate() {
            let am = AppMount {
                app,
                mount,
                at: (i, j),
            };
            if used.insert(s(mount, "mountPath").to_string()) {
                copied.push(am);
            } else {
                skipped.push(am);
            }
        }
    }
    (copied, skipped)
}

/// SSL-042 and SSL-043 for one sidecar with `shareVolumePolicy: enabled`.
fn share_volumes(cx: &mut Ctx<'_>, t: &Template<'_>, ssn: &str, c: &Value) {
    if !shares(c) {
        return;
    }
    let name = s(c, "name");
    let tp = t.path.clone().key("spec");
    let vols: BTreeMap<&str, &Value> = t
        .list("volumes")
        .iter()
        .map(|v| (s(v, "name"), v))
        .collect();
    let privileged = c
        .pointer("/securityContext/privileged")
        .and_then(Value::as_bool)
        == Some(true);
    let (copied, skipped) = shared_mounts(t, c);
    let mut flagged = Vec::new();
    for AppMount { app, mount: m, at } in &copied {
        let mp = tp
            .clone()
            .key("containers")
            .index(at.0)
            .key("volumeMounts")
            .index(at.1);
        let path = s(m, "mountPath");
        let vname = s(m, "name");
        if s(m, "mountPropagation") == "Bidirectional" && !privileged {
            cx.push_sev("SSL-042", Severity::Error, t.resource, mp.clone().key("mountPropagation"), format!("sidecar {name} of SidecarSet {ssn} gets the Bidirectional mount {path} of container {} but is not privileged: the pod is rejected", s(app, "name")));
        }
        let v = vols.get(vname);
        let kind = if v.is_some_and(|v| v.get("hostPath").is_some()) {
            Some("hostPath")
        } else if v.is_some_and(|v| v.get("secret").is_some()) {
            Some("secret")
        } else if v.is_some_and(|v| {
            arr(v.get("projected").unwrap_or(&Value::Null), "sources")
                .iter()
                .any(|src| src.get("secret").is_some() || src.get("serviceAccountToken").is_some())
        }) {
            Some("projected secret/token")
        } else {
            None
        };
        if let Some(kind) = kind {
            let rw = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                ""
            } else {
                ", writable"
            };
            flagged.push(format!("{path} (volume {vname}, {kind}{rw})"));
        }
        // SSL-043: variables the webhook does not copy along.
        for var in crate::inject::subpath_vars(s(m, "subPathExpr")) {
            let in_app = arr(app, "env").iter().any(|e| s(e, "name") == var);
            let in_sidecar = arr(c, "env").iter().any(|e| s(e, "name") == var);
            if !in_app && !in_sidecar {
                cx.push("SSL-043", t.resource, mp.clone().key("subPathExpr"), format!("sidecar {name} of SidecarSet {ssn} gets mount {path} of container {} whose subPathExpr uses $({var}), but {} does not define {var} in env: the variable is not copied and stays unresolved in the sidecar", s(app, "name"), s(app, "name")));
            }
        }
    }
    if !flagged.is_empty() {
        cx.push("SSL-042", t.resource, tp.clone(), format!("shareVolumePolicy copies every app mount into sidecar {name} of SidecarSet {ssn}, including {}", flagged.join(", ")));
    }
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|am| {
                format!(
                    "{} of container {}",
                    s(am.mount, "mountPath"),
                    s(am.app, "name")
                )
            })
            .collect();
        cx.push_sev("SSL-042", Severity::Info, t.resource, tp, format!("sidecar {name} of SidecarSet {ssn} does not get the app mount(s) {}: the path is already used, so they are skipped silently", list.join(", ")));
    }
}

/// SSL-045: sidecars miss the token the ServiceAccount admission plugin mounts.
fn service_account_token(cx: &mut Ctx<'_>, t: &Template<'_>, ssn: &str, c: &Value) {
    let spec = t.spec();
    let sa = match str_at(spec, "/serviceAccountName") {
        "" => str_at(spec, "/serviceAccount"),
        n => n,
    };
    if sa.is_empty() || sa == "default" {
        return; // pods that do not pick an identity rarely call the API server
    }
    if spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        == Some(false)
    {
        return;
    }
    let own = arr(c, "volumeMounts")
        .iter()
        .any(|m| s(m, "mountPath").trim_end_matches('/') == SA_TOKEN_PATH);
    if own || shares(c) {
        return;
    }
    cx.push("SSL-045", t.resource, t.path.clone().key("spec").key("serviceAccountName"), format!("sidecar {} of SidecarSet {ssn} is injected after the ServiceAccount admission plugin ran: it gets no token of service account {sa} (unverified); if it calls the API server, mount a projected token or enable shareVolumePolicy", s(c, "name")));
}

/// SSL-062 (pod part): how the policy evaluates on these pods.
fn resources_policy(
    cx: &mut Ctx<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
    ssn: &str,
    sp: &Value,
) {
    let excluded: HashSet<&str> = matched
        .iter()
        .filter_map(|m| spec_of(m))
        .flat_map(|m| arr(m, "containers").iter().chain(arr(m, "initContainers")))
        .map(|c| s(c, "name"))
        .collect();
    let tp = t.path.clone().key("spec");
    for c in arr(sp, "containers")
        .iter()
        .chain(arr(sp, "initContainers"))
    {
        let Some(pol) = c.get("resourcesPolicy").filter(|p| p.is_object()) else {
            continue;
        };
        let re_text = s(pol, "targetContainersNameRegex");
        let Ok(re) = regex::Regex::new(re_text) else {
            continue;
        };
        let targets: Vec<&Value> = t
            .list("initContainers")
            .iter()
            .filter(|ic| s(ic, "restartPolicy") == "Always")
            .chain(t.list("containers"))
            .filter(|a| !excluded.contains(s(a, "name")) && re.is_match(s(a, "name")))
            .collect();
        if targets.is_empty() {
            continue; // SSL-061
        }
        let name = s(c, "name");
        // Unanchored regex matching a name only in part.
        if let Ok(full) = regex::Regex::new(&format!("^(?:{re_text})$")) {
            let partial: Vec<&str> = targets
                .iter()
                .map(|a| s(a, "name"))
                .filter(|n| !full.is_match(n))
                .collect();
            if !partial.is_empty() {
                cx.push_sev("SSL-062", Severity::Info, t.resource, tp.clone(), format!("targetContainersNameRegex {} of sidecar {name} (SidecarSet {ssn}) is unanchored and also selects {}: use ^...$ if that is not intended", q(re_text), partial.join(", ")));
            }
        }
        let mode = s(pol, "targetContainersMode");
        if !matches!(mode, "sum" | "max") {
            continue;
        }
        for r in ["cpu", "memory"] {
            let has = |a: &Value, kind: &str| {
                a.pointer(&format!("/resources/{kind}/{r}"))
                    .is_some_and(|v| !v.is_null())
            };
            let expr = |kind: &str| {
                pol.pointer(&format!("/resourcesExpr/{kind}/{r}"))
                    .and_then(Value::as_str)
                    .filter(|e| !e.is_empty())
            };
            if let Some(e) = expr("limits") {
                let without: Vec<&str> = targets
                    .iter()
                    .filter(|a| !has(a, "limits"))
                    .map(|a| s(a, "name"))
                    .collect();
                if !without.is_empty() {
                    cx.push_sev("SSL-062", Severity::Info, t.resource, tp.clone(), format!("limits.{r} expression {} of sidecar {name} (SidecarSet {ssn}) is ignored for these pods: target {} has no {r} limit, so the sidecar gets none (unlimited)", q(e), without.join(", ")));
                }
            }
            if let Some(e) = expr("requests") {
                let var = if mentions_memory(e) { "memory" } else { "cpu" };
                let zero = crate::calculator::Val::Qty(crate::quantity::Quantity::new(
                    0,
                    crate::quantity::Format::DecimalSI,
                ));
                let is_zero = match crate::calculator::evaluate(e, var, zero) {
                    Ok(crate::calculator::Val::Qty(q)) => q.is_zero(),
                    Ok(crate::calculator::Val::Num(n)) => n == 0.0,
                    Err(_) => false,
                };
                if is_zero && !targets.iter().any(|a| has(a, "requests")) {
                    cx.push_sev("SSL-062", Severity::Info, t.resource, tp.clone(), format!("requests.{r} expression {} of sidecar {name} (SidecarSet {ssn}) evaluates to 0 for these pods: no target has a {r} request", q(e)));
                }
            }
        }
    }
}

/// `GetPodQOS` (k8s `pkg/apis/core/v1/helper/qos`) after `SetDefaults_Pod`
/// (missing requests default to the limits), init containers included.
fn qos_class(spec: &Value) -> &'static str {
    use crate::quantity::{from_json, Quantity};
    let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let positive = |v: &Value| from_json(v).ok().filter(|q| q.sign() > 0);
    let add = |m: &mut BTreeMap<&'static str, Quantity>, r: &'static str, q: Quantity| match m
        .get_mut(r)
    {
        Some(sum) => sum.add(&q),
        None => {
            m.insert(r, q);
        }
    };
    for c in arr(spec, "containers")
        .iter()
        .chain(arr(spec, "initContainers"))
    {
        let mut found = 0;
        for r in ["cpu", "memory"] {
            let lim = c.pointer(&format!("/resources/limits/{r}"));
            let req = c
                .pointer(&format!("/resources/requests/{r}"))
                .filter(|v| !v.is_null())
                .or(lim);
            if let Some(q) = req.and_then(positive) {
                add(&mut requests, r, q);
            }
            if let Some(q) = lim.and_then(positive) {
                add(&mut limits, r, q);
                found += 1;
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.len() == limits.len()
        && requests
            .iter()
            .all(|(r, q)| limits.get(r).is_some_and(|l| l.cmp_value(q).is_eq()))
    {
        return "Guaranteed";
    }
    "Burstable"
}

/// SSL-060: inject offline and compare the QoS class.
fn qos(
    cx: &mut Ctx<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
    tp: &JsonPath,
    res: usize,
) {
    let before = qos_class(t.spec());
    if before == "Burstable" {
        return; // injection cannot leave Burstable
    }
    // Same-named inputs are versions of one SidecarSet: the first one stands.
    let mut seen = HashSet::new();
    let sets: Vec<Value> = matched
        .iter()
        .filter(|m| seen.insert(m.name()))
        .filter_map(|m| m.stored.clone().ok())
        .collect();
    let namespaces: Vec<Value> = input
        .resources
        .iter()
        .filter(|r| str_at(r, "/kind") == "Namespace" && str_at(r, "/apiVersion") == "v1")
        .cloned()
        .collect();
    let revisions: Vec<Value> = world.revisions.iter().map(|r| (*r).clone()).collect();
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String("lint".into()));
    meta.insert("namespace".into(), Value::String(t.namespace.clone()));
    for k in ["labels", "annotations"] {
        if let Some(v) = t
            .template
            .pointer(&format!("/metadata/{k}"))
            .filter(|v| v.is_object())
        {
            meta.insert(k.into(), v.clone());
        }
    }
    let mut pod = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": t.spec().clone()});
    let ctx = crate::inject::Context {
        sidecar_sets: &sets,
        namespaces: &namespaces,
        controller_revisions: &revisions,
        gates: &input.gates,
        now: 0,
        seed: 0,
        namespace: &t.namespace,
    };
    if crate::inject::inject_pod(&mut pod, &ctx).is_err() {
        return; // rejected pods are other rules' business
    }
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let after = qos_class(spec);
    if after == before {
        return;
    }
    let original: HashSet<&str> = t
        .list("containers")
        .iter()
        .chain(t.list("initContainers"))
        .map(|c| s(c, "name"))
        .collect();
    let added: Vec<&str> = arr(spec, "containers")
        .iter()
        .chain(arr(spec, "initContainers"))
        .map(|c| s(c, "name"))
        .filter(|n| !original.contains(n))
        .collect();
    let mut names: Vec<&str> = matched.iter().map(|m| m.name()).collect();
    names.dedup();
    let why = if before == "Guaranteed" {
        "do not have requests equal to their cpu and memory limits"
    } else {
        "set requests or limits"
    };
    cx.push("SSL-060", res, tp.clone().key("containers"), format!("injecting SidecarSet {} turns these {before} pods {after}: sidecar(s) {} {why}; eviction order, OOM scores and CPU pinning change", names.join(", "), added.join(", ")));
}

/// SSL-027: what the partition keeps, over the matched workloads' pods.
pub fn partitions(cx: &mut Ctx<'_>, world: &World<'_>, input: &Input<'_>) {
    for ss in &world.sidecar_sets {
        let Some(sp) = spec_of(ss) else { continue };
        if str_at(sp, "/updateStrategy/type") == "NotUpdate" {
            continue;
        }
        let Some(part) = sp.pointer("/updateStrategy/partition").filter(|p| match p {
            Value::Number(n) => n.as_i64().is_some_and(|i| i > 0),
            Value::String(v) => !v.is_empty(),
            _ => false,
        }) else {
            continue;
        };
        let mut counts: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut total = 0usize;
        for t in &world.templates {
            if !selected(world, sp, t) {
                continue;
            }
            let label = format!(
                "{} {}",
                t.kind.resource_name(),
                input
                    .resources
                    .get(t.resource)
                    .map_or("", |r| str_at(r, "/metadata/name"))
            );
            match replicas(input, t) {
                Some(n) => {
                    total += n;
                    counts.push(format!("{label}: {n}"));
                }
                None => unknown.push(label),
            }
        }
        if counts.is_empty() {
            continue;
        }
        let kept = crate::plan::pods::partition(Some(part), total);
        let shown = match part {
            Value::String(v) => q(v),
            other => other.to_string(),
        };
        let mut notes = Vec::new();
        if part.is_number() && kept < part.as_u64().map_or(0, |p| p as usize) {
            notes.push("an int larger than the pod count updates nothing".to_string());
        }
        if let Value::String(v) = part {
            if !v.ends_with('%') {
                notes.push("a string without '%' counts as 0".to_string());
            } else if total > 0 {
                notes.push("percentages round up the pods kept".to_string());
            }
        }
        if !unknown.is_empty() {
            notes.push(format!("pods of {} not counted", unknown.join(", ")));
        }
        notes.push(
            "only upgradable pods waiting for the update count, so more pods may stay old".into(),
        );
        cx.push("SSL-027", ss.resource, JsonPath::keys(&["spec", "updateStrategy", "partition"]), format!("partition {shown} over {total} matched pods ({}) keeps {kept} on the current sidecar and updates {}; {}", counts.join(", "), total - kept, notes.join("; ")));
    }
}

/// Pods a template stands for, when the input tells.
fn replicas(input: &Input<'_>, t: &Template<'_>) -> Option<usize> {
    let obj = input.resources.get(t.resource)?;
    let count = |v: Option<&Value>| match v {
        None | Some(Value::Null) => Some(1),
        Some(v) => v.as_u64().map(|n| n as usize),
    };
    match t.kind {
        WorkloadKind::Pod => Some(1),
        WorkloadKind::Deployment
        | WorkloadKind::StatefulSet
        | WorkloadKind::ReplicaSet
        | WorkloadKind::ReplicationController
        | WorkloadKind::CloneSet
        | WorkloadKind::AdvancedStatefulSet => count(obj.pointer("/spec/replicas")),
        WorkloadKind::Job => count(obj.pointer("/spec/parallelism")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn qos_classes() {
        let pod = |containers: Value| json!({"containers": containers});
        let r = |res: Value| json!({"name": "c", "resources": res});
        assert_eq!(qos_class(&pod(json!([{"name": "c"}]))), "BestEffort");
        // Limits only: requests default to them.
        let g = r(json!({"limits": {"cpu": "1", "memory": "1Gi"}}));
        assert_eq!(qos_class(&pod(json!([g]))), "Guaranteed");
        let eq = r(
            json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}),
        );
        assert_eq!(qos_class(&pod(json!([eq]))), "Guaranteed");
        let lower =
            r(json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}));
        assert_eq!(qos_class(&pod(json!([lower]))), "Burstable");
        let cpu_only = r(json!({"limits": {"cpu": "1"}}));
        assert_eq!(qos_class(&pod(json!([cpu_only]))), "Burstable");
        // Init containers count; zero requests do not.
        let spec = json!({"containers": [g.clone()], "initContainers": [{"name": "i"}]});
        assert_eq!(qos_class(&spec), "Burstable");
        assert_eq!(
            qos_class(&pod(json!([r(json!({"requests": {"cpu": "0"}}))]))),
            "BestEffort"
        );
    }

    #[test]
    fn subpath_variables() {
        assert_eq!(
            crate::inject::subpath_vars("a/$(POD_NAME)/$(NS)x"),
            vec!["POD_NAME", "NS"]
        );
        assert_eq!(
            crate::inject::subpath_vars("$(1BAD) $(ok.name-1) $(unclosed"),
            vec!["ok.name-1"]
        );
        assert!(crate::inject::subpath_vars("").is_empty());
    }

    #[test]
    fn memory_word() {
        assert!(mentions_memory("memory*2"));
        assert!(mentions_memory("max(memory, 1Gi)"));
        assert!(!mentions_memory("MEMORY*2"));
        assert!(!mentions_memory("memory_x"));
        assert!(!mentions_memory("0.5"));
    }
}
