//! Best-practice lints (`SSL-*`, best-practices-lint.md): SidecarSet-only
//! rules, then rules on each workload template a SidecarSet matches.

use super::model::{arr, env, q, s, str_at, SidecarSet, Template, World};
use super::{finding, Finding, Input, Severity};
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

const TERMINATE: &str = "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT";
const TERMINATE_WITH_IMAGE: &str = "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE";
const IGNORE_EXIT_CODE: &str = "KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE";
const PRIORITY_ENV: &str = "KRUISE_CONTAINER_PRIORITY";
const LAUNCH_PRIORITY: &str = "apps.kruise.io/container-launch-priority";

const LOG_AGENTS: &[&str] = &[
    "filebeat",
    "fluent-bit",
    "fluentbit",
    "fluentd",
    "logtail",
    "ilogtail",
    "vector",
    "promtail",
    "loggie",
    "otel",
    "opentelemetry-collector",
];
const PROXIES: &[&str] = &["envoy", "istio-proxy", "mosn", "linkerd-proxy"];

fn image_or_name_has(c: &Value, words: &[&str]) -> bool {
    let name = s(c, "name").to_ascii_lowercase();
    // Only the repository part of the image, not its registry host or tag.
    let image = s(c, "image").to_ascii_lowercase();
    let repo = image.rsplit('/').next().unwrap_or("");
    let repo = repo.split([':', '@']).next().unwrap_or("");
    words.iter().any(|w| name.contains(w) || repo.contains(w))
}

pub fn is_log_agent(c: &Value) -> bool {
    image_or_name_has(c, LOG_AGENTS)
}

fn env_true(c: &Value, name: &str) -> bool {
    env(c, name).is_some_and(|e| s(e, "value").eq_ignore_ascii_case("true"))
}

fn has_terminator_env(c: &Value) -> bool {
    env_true(c, TERMINATE)
        || env(c, TERMINATE_WITH_IMAGE).is_some_and(|e| !s(e, "value").is_empty())
}

pub(super) fn spec_of<'v>(ss: &'v SidecarSet<'_>) -> Option<&'v Value> {
    ss.stored.as_ref().ok().and_then(|v| v.get("spec"))
}

pub(super) struct Ctx<'o> {
    out: &'o mut Vec<Finding>,
    /// Resources that are SidecarSets.
    sidecar_sets: HashSet<usize>,
}

impl Ctx<'_> {
    pub(super) fn push(&mut self, rule: &str, resource: usize, path: JsonPath, message: String) {
        let f = finding(rule, resource, path, message);
        self.emit(f);
    }

    pub(super) fn push_sev(
        &mut self,
        rule: &str,
        sev: Severity,
        resource: usize,
        path: JsonPath,
        message: String,
    ) {
        let mut f = finding(rule, resource, path, message);
        f.severity = sev;
        self.emit(f);
    }

    /// Only the webhook (SSV rules) decides whether a SidecarSet is
    /// admitted, so a best practice is at most a warning on a SidecarSet;
    /// certain damage is reported as an error on the workloads it hits.
    fn emit(&mut self, mut f: Finding) {
        if f.severity == Severity::Error && self.sidecar_sets.contains(&f.resource) {
            f.severity = Severity::Warning;
        }
        self.out.push(f);
    }
}

pub fn check(world: &World<'_>, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut cx = Ctx {
        out,
        sidecar_sets: world.sidecar_sets.iter().map(|s| s.resource).collect(),
    };
    for ss in &world.sidecar_sets {
        let Some(spec) = spec_of(ss) else { continue };
        sidecar_set_rules(&mut cx, ss, spec);
        super::ssl_more::sidecar_set(&mut cx, world, ss, spec);
        if let Some(old) = world.old.get(ss.name()) {
            in_place(&mut cx, ss, old);
        }
    }
    // Which SidecarSets each template gets, in input order.
    let mut used = vec![false; world.sidecar_sets.len()];
    for t in &world.templates {
        let mut matched: Vec<&SidecarSet<'_>> = Vec::new();
        for (i, ss) in world.sidecar_sets.iter().enumerate() {
            if spec_of(ss).is_some_and(|sp| matches(world, sp, t)) {
                used[i] = true;
                matched.push(ss);
            }
        }
        if !matched.is_empty() {
            template_rules(&mut cx, t, &matched);
        }
        template_volumes(&mut cx, t, &matched);
        super::ssl_more::template(&mut cx, world, input, t, &matched);
    }
    super::ssl_more::names_across_sets(&mut cx, world);
    super::ssl_more::partitions(&mut cx, world, input);
    // SSL-050 on the SidecarSet itself when no workload of the input shows
    // whether its pods are ordered.
    for (ss, used) in world.sidecar_sets.iter().zip(used) {
        let Some(sp) = spec_of(ss).filter(|_| !used) else {
            continue;
        };
        for (i, c) in late_starters(sp) {
            cx.push("SSL-050", ss.resource, ctr_path("containers", i), format!("sidecar {} may start after the app containers: set {PRIORITY_ENV} on it, patch the pods with {LAUNCH_PRIORITY}: Ordered, or use a native sidecar", s(c, "name")));
        }
    }
}

/// Whether pods from `t` are injected by a SidecarSet with spec `sp`
/// (matching.md: not paused, namespace, selector).
pub(super) fn matches(world: &World<'_>, sp: &Value, t: &Template<'_>) -> bool {
    !paused(sp) && selected(world, sp, t)
}

fn paused(sp: &Value) -> bool {
    sp.pointer("/injectionStrategy/paused")
        .and_then(Value::as_bool)
        == Some(true)
}

/// The controller's view: namespace and selector, pause ignored.
pub(super) fn selected(world: &World<'_>, sp: &Value, t: &Template<'_>) -> bool {
    if let Some(ns) = sp.get("namespaceSelector").filter(|v| !v.is_null()) {
        // A Namespace the webhook would not find selects nothing.
        let Some(labels) = world.namespace_labels(&t.namespace) else {
            return false;
        };
        if !selects(ns, Some(&labels)) {
            return false;
        }
    }
    sp.get("selector")
        .is_some_and(|sel| selects(sel, t.labels()))
}

fn selects(sel: &Value, labels: Option<&Map<String, Value>>) -> bool {
    LabelSelector::decode(Some(sel), &JsonPath::root())
        .ok()
        .flatten()
        .and_then(|l| l.to_selector().ok())
        .is_some_and(|s| s.matches(labels))
}

pub(super) fn ctr_path(list: &str, i: usize) -> JsonPath {
    JsonPath::keys(&["spec", list]).index(i)
}

fn patches_ordered(sp: &Value) -> bool {
    arr(sp, "patchPodMetadata").iter().any(|p| {
        p.pointer("/annotations")
            .and_then(|a| a.get(LAUNCH_PRIORITY))
            .and_then(Value::as_str)
            == Some("Ordered")
    })
}

fn sidecar_set_rules(cx: &mut Ctx<'_>, ss: &SidecarSet<'_>, sp: &Value) {
    let res = ss.resource;
    let strategy = str_at(sp, "/updateStrategy/type");
    // SSL-029
    if !matches!(strategy, "RollingUpdate" | "NotUpdate") {
        cx.push("SSL-029", res, JsonPath::keys(&["spec", "updateStrategy", "type"]), format!("updateStrategy.type {} is neither RollingUpdate nor NotUpdate: it rolls out like RollingUpdate without any of its validation", q(strategy)));
    }
    // SSL-026
    if strategy == "RollingUpdate" {
        let mu = sp.pointer("/updateStrategy/maxUnavailable");
        let zero = match mu {
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(v)) => v.trim_end_matches('%').parse::<u64>().ok() == Some(0),
            _ => false,
        };
        if zero {
            cx.push("SSL-026", res, JsonPath::keys(&["spec", "updateStrategy", "maxUnavailable"]), "maxUnavailable is 0: only pods that are already not ready are ever updated, so a healthy fleet never rolls".into());
        }
    }
    // SSL-022: v1alpha1 namespace together with namespaceSelector.
    if str_at(ss.raw, "/apiVersion") == crate::sidecarset::V1ALPHA1
        && !str_at(ss.raw, "/spec/namespace").is_empty()
        && ss
            .raw
            .pointer("/spec/namespaceSelector")
            .is_some_and(|v| !v.is_null())
    {
        cx.push("SSL-022", res, JsonPath::keys(&["spec", "namespaceSelector"]), "spec.namespace and spec.namespaceSelector are both set: the conversion to v1beta1 keeps only spec.namespace and drops the selector".into());
    }
    // SSL-081
    if sp.get("namespaceSelector").is_none_or(Value::is_null) {
        cx.push("SSL-081", res, JsonPath::keys(&["spec", "selector"]), format!("SidecarSet {} has no namespaceSelector: it injects into matching pods of every namespace, kube-system included", ss.name()));
    }
    // SSL-031: Partial needs a percentage partition to draw with.
    if str_at(sp, "/injectionStrategy/revision/policy") == "Partial"
        && sp
            .pointer("/updateStrategy/partition")
            .is_some_and(Value::is_number)
    {
        cx.push("SSL-031", res, JsonPath::keys(&["spec", "updateStrategy", "partition"]), "injectionStrategy.revision.policy is Partial but partition is an integer: every new pod gets the latest revision (the probability rule needs a percentage)".into());
    }
    // SSL-033
    if let Some(cv) = sp
        .pointer("/injectionStrategy/revision/customVersion")
        .and_then(Value::as_str)
    {
        if let Some(m) = super::core::label_value(cv).into_iter().next() {
            cx.push("SSL-033", res, JsonPath::keys(&["spec", "injectionStrategy", "revision", "customVersion"]), format!("customVersion {} is not a valid label value ({m}); revisions cannot be labelled with it", q(cv)));
        }
    }
    if let Some(cv) = sp.get("customVersion").and_then(Value::as_str) {
        if let Some(m) = super::core::label_value(cv).into_iter().next() {
            cx.push("SSL-033", res, JsonPath::keys(&["spec", "customVersion"]), format!("customVersion {} is not a valid label value ({m}); the controller cannot label its ControllerRevision with it", q(cv)));
        }
    }
    for (list, plain) in [("containers", true), ("initContainers", false)] {
        for (i, c) in arr(sp, list).iter().enumerate() {
            let cp = ctr_path(list, i);
            let name = s(c, "name");
            // SSL-013
            if let Some(j) = arr(c, "env")
                .iter()
                .position(|e| s(e, "name") == "IS_INJECTED")
            {
                cx.push("SSL-013", res, cp.clone().key("env").index(j), format!("sidecar {name} declares IS_INJECTED; the webhook appends IS_INJECTED=true itself"));
            }
            // SSL-051
            if let Some(j) = arr(c, "env")
                .iter()
                .position(|e| s(e, "name") == PRIORITY_ENV)
            {
                let e = &arr(c, "env")[j];
                let bad = e.get("valueFrom").is_some_and(|v| !v.is_null())
                    || s(e, "value").trim().parse::<i64>().is_err();
                if bad {
                    cx.push("SSL-051", res, cp.clone().key("env").index(j), format!("{PRIORITY_ENV} of sidecar {name} must be a literal integer: the pod webhook rejects every pod it is injected into"));
                }
            }
            if !plain {
                continue;
            }
            let upgrade = str_at(c, "/upgradeStrategy/upgradeType");
            let hot = upgrade == "HotUpgrade";
            // SSL-023: in-place (cold) upgrade with a readiness probe.
            if !hot
                && strategy != "NotUpdate"
                && c.get("readinessProbe").is_some_and(|v| !v.is_null())
            {
                cx.push("SSL-023", res, cp.clone().key("readinessProbe"), format!("sidecar {name} has a readinessProbe and is upgraded in place: every pod goes NotReady while its new image starts, and a bad image stalls the rollout"));
            }
            if hot {
                // SSL-024
                if str_at(c, "/upgradeStrategy/hotUpgradeEmptyImage").is_empty() {
                    cx.push("SSL-024", res, cp.clone().key("upgradeStrategy"), format!("sidecar {name} uses HotUpgrade without upgradeStrategy.hotUpgradeEmptyImage: its idle twin gets an empty image and pods are rejected"));
                }
                // SSL-025
                let copied: Vec<&str> =
                    ["ports", "livenessProbe", "readinessProbe", "startupProbe"]
                        .into_iter()
                        .filter(|k| c.get(*k).is_some_and(|v| !v.is_null()))
                        .collect();
                if !copied.is_empty() {
                    cx.push("SSL-025", res, cp.clone(), format!("sidecar {name} uses HotUpgrade: its empty-image twin keeps {} and must satisfy them", copied.join(", ")));
                }
            }
            // SSL-003 (info): the terminator needs a gate that is off by default.
            if has_terminator_env(c) {
                cx.push_sev("SSL-003", Severity::Info, res, cp.clone().key("env"), format!("sidecar {name} relies on the Job sidecar terminator: it needs the feature gates SidecarTerminator (default off) and KruiseDaemon"));
                // SSL-002
                if env_true(c, TERMINATE) && !env_true(c, IGNORE_EXIT_CODE) {
                    cx.push("SSL-002", res, cp.clone().key("env"), format!("sidecar {name} is killed when the Job's main containers exit; without {IGNORE_EXIT_CODE}=true a non-zero exit code fails the pod"));
                }
            }
        }
    }
    // SSL-070 / SSL-074
    for (i, p) in arr(sp, "patchPodMetadata").iter().enumerate() {
        let Some(ann) = p.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in ann {
            let ap = JsonPath::keys(&["spec", "patchPodMetadata"])
                .index(i)
                .key("annotations")
                .key(k.as_str());
            if s(p, "patchPolicy") == "MergePatchJson" {
                let ok = v
                    .as_str()
                    .and_then(|t| serde_json::from_str::<Value>(t).ok())
                    .is_some_and(|j| j.is_object());
                if !ok {
                    cx.push("SSL-070", res, ap.clone(), format!("annotation {k} is patched with MergePatchJson but its value is not a JSON object"));
                }
            }
            if k.starts_with("kruise.io/sidecarset-")
                || k.starts_with("version.sidecarset.kruise.io/")
            {
                cx.push(
                    "SSL-074",
                    res,
                    ap,
                    format!(
                        "annotation {k} is managed by the injection itself and will be overwritten"
                    ),
                );
            }
        }
    }
}

/// The log/proxy sidecars of `sp` that may start after the app.
fn late_starters(sp: &Value) -> Vec<(usize, &Value)> {
    if patches_ordered(sp) {
        return Vec::new();
    }
    arr(sp, "containers")
        .iter()
        .enumerate()
        .filter(|(_, c)| is_log_agent(c) || image_or_name_has(c, PROXIES))
        .filter(|(_, c)| env(c, PRIORITY_ENV).is_none())
        .collect()
}

/// SSL-020: what existing pods cannot take in place (`--from`).
fn in_place(cx: &mut Ctx<'_>, ss: &SidecarSet<'_>, old: &Value) {
    let Ok(new) = &ss.stored else { return };
    let (Ok(h_old), Ok(h_new)) = (
        crate::sidecarset::hash_without_image(old),
        crate::sidecarset::hash_without_image(new),
    ) else {
        return;
    };
    if h_old == h_new {
        return;
    }
    let strip = |c: &Value| {
        let mut c = c.clone();
        if let Some(o) = c.as_object_mut() {
            o.remove("image");
        }
        c
    };
    let old_by_name: HashMap<&str, &Value> = arr(&old["spec"], "containers")
        .iter()
        .map(|c| (s(c, "name"), c))
        .collect();
    let mut changed = Vec::new();
    let mut first_path = JsonPath::keys(&["spec", "containers"]);
    for (i, c) in arr(&new["spec"], "containers").iter().enumerate() {
        let name = s(c, "name");
        match old_by_name.get(name) {
            Some(o) if strip(o) == strip(c) => {}
            Some(o) => {
                let oo = strip(o);
                let nn = strip(c);
                let mut fields: Vec<&str> = nn
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, v)| oo.get(k.as_str()) != Some(*v))
                    .map(|(k, _)| k.as_str())
                    .chain(
                        oo.as_object()
                            .into_iter()
                            .flatten()
                            .filter(|(k, _)| nn.get(k.as_str()).is_none())
                            .map(|(k, _)| k.as_str()),
                    )
                    .collect();
                fields.dedup();
                if changed.is_empty() {
                    first_path = ctr_path("containers", i);
                }
                // An unset imagePullPolicy is defaulted from the image tag
                // (`:latest` or none -> Always, else IfNotPresent), so a tag
                // change alone can change it.
                let written = ss
                    .raw
                    .pointer(&format!("/spec/containers/{i}/imagePullPolicy"))
                    .is_some();
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        if *f == "imagePullPolicy" && !written {
                            "imagePullPolicy, defaulted from the image tag".to_string()
                        } else {
                            (*f).to_string()
                        }
                    })
                    .collect();
                changed.push(format!("{name} ({})", fields.join(", ")));
            }
            None => changed.push(format!("{name} (added)")),
        }
    }
    let new_names: HashSet<&str> = arr(&new["spec"], "containers")
        .iter()
        .map(|c| s(c, "name"))
        .collect();
    for name in old_by_name.keys() {
        if !new_names.contains(name) {
            changed.push(format!("{name} (removed)"));
        }
    }
    changed.sort();
    let what = if changed.is_empty() {
        "the init containers changed".to_string()
    } else {
        format!("changed beyond the image: {}", changed.join("; "))
    };
    cx.push("SSL-020", ss.resource, first_path, format!("existing pods cannot take this change of SidecarSet {} in place ({what}); they stay on the old sidecar until recreated", ss.name()));
}

fn mounts(c: &Value) -> impl Iterator<Item = (&'static str, usize, &str)> {
    arr(c, "volumeMounts")
        .iter()
        .enumerate()
        .map(|(i, m)| ("volumeMounts", i, s(m, "name")))
        .chain(
            arr(c, "volumeDevices")
                .iter()
                .enumerate()
                .map(|(i, m)| ("volumeDevices", i, s(m, "name"))),
        )
}

fn template_rules(cx: &mut Ctx<'_>, t: &Template<'_>, matched: &[&SidecarSet<'_>]) {
    let tp = t.path.clone().key("spec");
    let res = t.resource;
    let app_names: HashSet<&str> = t.list("containers").iter().map(|c| s(c, "name")).collect();
    let app_init: HashSet<&str> = t
        .list("initContainers")
        .iter()
        .map(|c| s(c, "name"))
        .collect();
    let pod_vols: HashMap<&str, &Value> = t
        .list("volumes")
        .iter()
        .map(|v| (s(v, "name"), v))
        .collect();
    let ordered = t
        .annotations()
        .and_then(|a| a.get(LAUNCH_PRIORITY))
        .and_then(Value::as_str)
        == Some("Ordered");
    let host_network = t.spec().get("hostNetwork").and_then(Value::as_bool) == Some(true);
    // SSL-010: real clashes between the SidecarSets this pod gets that the
    // webhook's overlap heuristic (SSV-080..083) lets through.
    let mut seen_names: HashMap<String, (&str, &Value, &str)> = HashMap::new();
    let mut seen_vols: HashMap<&str, (&str, &Value, &Value)> = HashMap::new();
    let mut seen_keys: HashMap<&str, (&str, &Value, &str)> = HashMap::new();
    let webhook_sees = |a: &Value, b: &Value| {
        super::overlap::namespaces_overlap(a, b)
            && super::overlap::selectors_overlap(a.get("selector"), b.get("selector"))
    };
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        let ssn = ss.name();
        for v in arr(sp, "volumes") {
            let n = s(v, "name");
            match seen_vols.get(n) {
                Some((prev, psp, pv))
                    if *prev != ssn && !same_volume(pv, v) && !webhook_sees(psp, sp) =>
                {
                    cx.push("SSL-010", res, tp.clone(), format!("SidecarSets {prev} and {ssn} both define volume {n} differently for these pods: which one the pod gets depends on SidecarSet order"));
                }
                Some(_) => {}
                None => {
                    seen_vols.insert(n, (ssn, sp, v));
                }
            }
        }
        for p in arr(sp, "patchPodMetadata") {
            let policy = s(p, "patchPolicy");
            if policy == "Retain" {
                continue;
            }
            for k in p
                .get("annotations")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|a| a.keys())
            {
                if let Some((prev, psp, ppol)) = seen_keys.get(k.as_str()) {
                    if *prev != ssn
                        && (policy == "Overwrite" || *ppol == "Overwrite")
                        && !webhook_sees(psp, sp)
                    {
                        cx.push("SSL-010", res, tp.clone(), format!("SidecarSets {prev} and {ssn} both patch annotation {k} of these pods and one overwrites: the result depends on SidecarSet order"));
                    }
                } else {
                    seen_keys.insert(k, (ssn, sp, policy));
                }
            }
        }
        for (list, c) in arr(sp, "containers")
            .iter()
            .map(|c| ("containers", c))
            .chain(
                arr(sp, "initContainers")
                    .iter()
                    .map(|c| ("initContainers", c)),
            )
        {
            let name = s(c, "name");
            let hot =
                str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade" && list == "containers";
            let names: Vec<String> = if hot {
                vec![format!("{name}-1"), format!("{name}-2")]
            } else {
                vec![name.to_string()]
            };
            for n in &names {
                if let Some((prev, psp, plist)) = seen_names.insert(n.clone(), (ssn, sp, list)) {
                    // Same list and judged overlapping: SSV-080/081 reports it.
                    let caught = plist == list && !hot && webhook_sees(psp, sp);
                    if prev != ssn && !caught {
                        cx.push("SSL-010", res, tp.clone(), format!("SidecarSets {prev} and {ssn} both inject a container named {n} into these pods: the pod is rejected"));
                    }
                }
                // SSL-011
                let same_list = if list == "containers" {
                    &app_names
                } else {
                    &app_init
                };
                let other_list = if list == "containers" {
                    &app_init
                } else {
                    &app_names
                };
                if other_list.contains(n.as_str()) {
                    cx.push_sev("SSL-011", Severity::Error, res, tp.clone(), format!("sidecar {n} of SidecarSet {ssn} has the name of a pod {} container: duplicate names, the pod is rejected", if list == "containers" { "init" } else { "regular" }));
                } else if same_list.contains(n.as_str()) && !hot {
                    cx.push(
                        "SSL-011",
                        res,
                        tp.clone(),
                        format!(
                            "sidecar {n} of SidecarSet {ssn} replaces the pod's own container {n}"
                        ),
                    );
                }
            }
            // SSL-082
            if host_network && !arr(c, "ports").is_empty() {
                cx.push("SSL-082", res, tp.clone().key("hostNetwork"), format!("sidecar {name} of SidecarSet {ssn} declares ports and these pods use hostNetwork: the ports become node ports"));
            }
        }
        // SSL-041: SidecarSet volume shadowed by a pod volume with other content.
        for v in arr(sp, "volumes") {
            let n = s(v, "name");
            if let Some(pv) = pod_vols.get(n) {
                if !same_volume(pv, v) {
                    cx.push("SSL-041", res, tp.clone().key("volumes"), format!("volume {n} of SidecarSet {ssn} is shadowed by the pod's volume {n} with a different definition: the sidecar mounts the pod's"));
                }
            }
        }
        let job = t.runs_to_completion();
        for c in arr(sp, "containers")
            .iter()
            .chain(arr(sp, "initContainers"))
        {
            let name = s(c, "name");
            // SSL-051: the pod webhook rejects these pods.
            if let Some(e) = env(c, PRIORITY_ENV) {
                if e.get("valueFrom").is_some_and(|v| !v.is_null())
                    || s(e, "value").trim().parse::<i64>().is_err()
                {
                    cx.push("SSL-051", res, tp.clone(), format!("{PRIORITY_ENV} of sidecar {name} (SidecarSet {ssn}) is not a literal integer: the pod webhook rejects these pods"));
                }
            }
        }
        // The app's mounted volumes and the SidecarSet's emptyDirs, for
        // SSL-044, made once per SidecarSet: a name lookup per mount keeps
        // thousands of mounts linear.
        let mut log_volumes: Option<(HashSet<&str>, HashSet<&str>)> = None;
        for c in arr(sp, "containers") {
            let name = s(c, "name");
            // SSL-024: the empty-image twin makes the API server reject the pods.
            if str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade"
                && str_at(c, "/upgradeStrategy/hotUpgradeEmptyImage").is_empty()
            {
                cx.push("SSL-024", res, tp.clone(), format!("sidecar {name} of SidecarSet {ssn} uses HotUpgrade without hotUpgradeEmptyImage: its twin {name}-2 has no image and these pods are rejected"));
            }
            // SSL-001
            if job && !has_terminator_env(c) {
                cx.push("SSL-001", res, tp.clone(), format!("SidecarSet {ssn} injects the long-running sidecar {name} into pods of this {} (restartPolicy {}): the pod never completes", t.kind.resource_name(), t.restart_policy()));
            }
            // SSL-003: terminator env on pods that restart.
            if !job && has_terminator_env(c) {
                cx.push_sev("SSL-003", Severity::Info, res, tp.clone(), format!("sidecar {name} of SidecarSet {ssn} sets {TERMINATE} but these pods do not run to completion: no effect"));
            }
            // SSL-044: a log agent should share a volume with the app.
            if is_log_agent(c) && str_at(c, "/shareVolumePolicy/type") != "enabled" {
                let (app_vols, own_empty_dirs) = log_volumes.get_or_insert_with(|| {
                    let app: HashSet<&str> = t
                        .list("containers")
                        .iter()
                        .flat_map(|a| arr(a, "volumeMounts").iter().map(|m| s(m, "name")))
                        .collect();
                    let own: HashSet<&str> = arr(sp, "volumes")
                        .iter()
                        .filter(|v| v.get("emptyDir").is_some())
                        .map(|v| s(v, "name"))
                        .collect();
                    (app, own)
                });
                let own: Vec<&str> = arr(c, "volumeMounts")
                    .iter()
                    .map(|m| s(m, "name"))
                    .filter(|n| {
                        own_empty_dirs.contains(n)
                            || pod_vols.get(n).is_some_and(|v| v.get("emptyDir").is_some())
                    })
                    .collect();
                if !own.is_empty() && !own.iter().any(|n| app_vols.contains(n)) {
                    cx.push("SSL-044", res, tp.clone(), format!("log sidecar {name} of SidecarSet {ssn} mounts {} but no app container of these pods mounts it: it sees no logs", own.join(", ")));
                }
            }
        }
        // SSL-061: a resourcesPolicy must find target containers in every pod.
        let sidecar_names: HashSet<&str> = matched
            .iter()
            .filter_map(|m| spec_of(m))
            .flat_map(|msp| {
                arr(msp, "containers")
                    .iter()
                    .chain(arr(msp, "initContainers"))
            })
            .map(|c| s(c, "name"))
            .collect();
        for c in arr(sp, "containers")
            .iter()
            .chain(arr(sp, "initContainers"))
        {
            let Some(re) = c
                .pointer("/resourcesPolicy/targetContainersNameRegex")
                .and_then(Value::as_str)
                .and_then(|r| regex::Regex::new(r).ok())
            else {
                continue;
            };
            let targets = t
                .list("containers")
                .iter()
                .chain(
                    t.list("initContainers")
                        .iter()
                        .filter(|ic| s(ic, "restartPolicy") == "Always"),
                )
                .map(|a| s(a, "name"))
                .filter(|n| !sidecar_names.contains(n))
                .any(|n| re.is_match(n));
            if !targets {
                cx.push("SSL-061", res, tp.clone(), format!("sidecar {} of SidecarSet {ssn}: no container of these pods matches resourcesPolicy.targetContainersNameRegex {}: the pod webhook rejects the pods", s(c, "name"), q(re.as_str())));
            }
        }
        // SSL-050
        if !ordered {
            for (_, c) in late_starters(sp) {
                cx.push("SSL-050", res, tp.clone(), format!("sidecar {} of SidecarSet {ssn} may start after the app containers: set {PRIORITY_ENV} on it, annotate the pods {LAUNCH_PRIORITY}: Ordered, or use a native sidecar", s(c, "name")));
            }
        }
    }
}

/// Compare two volumes ignoring the defaults the API server fills in.
pub(super) fn same_volume(a: &Value, b: &Value) -> bool {
    let norm = |v: &Value| {
        let mut v = v.clone();
        for src in ["configMap", "secret", "downwardAPI", "projected"] {
            if let Some(o) = v.get_mut(src).and_then(Value::as_object_mut) {
                if o.get("defaultMode").and_then(Value::as_i64) == Some(420) {
                    o.remove("defaultMode");
                }
            }
        }
        v
    };
    norm(a) == norm(b)
}

/// SSL-040: every mount of the resulting pod must name one of its volumes.
fn template_volumes(cx: &mut Ctx<'_>, t: &Template<'_>, matched: &[&SidecarSet<'_>]) {
    let mut vols: HashSet<&str> = t.list("volumes").iter().map(|v| s(v, "name")).collect();
    for ss in matched {
        if let Some(sp) = spec_of(ss) {
            vols.extend(arr(sp, "volumes").iter().map(|v| s(v, "name")));
        }
    }
    for list in ["initContainers", "containers"] {
        for (i, c) in t.list(list).iter().enumerate() {
            for (kind, j, name) in mounts(c) {
                if !vols.contains(name) {
                    let p = t
                        .path
                        .clone()
                        .key("spec")
                        .key(list)
                        .index(i)
                        .key(kind)
                        .index(j)
                        .key("name");
                    cx.push(
                        "SSL-040",
                        t.resource,
                        p,
                        format!(
                            "container {} mounts volume {} which the pod does not define",
                            s(c, "name"),
                            q(name)
                        ),
                    );
                }
            }
        }
    }
    for ss in matched {
        let Some(sp) = spec_of(ss) else { continue };
        for list in ["initContainers", "containers"] {
            for c in arr(sp, list) {
                for (_, _, name) in mounts(c) {
                    if !vols.contains(name) {
                        cx.push("SSL-040", t.resource, t.path.clone().key("spec").key("volumes"), format!("sidecar {} of SidecarSet {} mounts volume {} which neither the pod nor the SidecarSet defines: the pod is rejected", s(c, "name"), ss.name(), q(name)));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod namespace_rule_tests {
    use super::super::model::{webhook_form, World};
    use super::super::Input;
    use crate::inject::Outcome;
    use crate::namespace::pod_namespace;
    use serde_json::{json, Value};

    /// Whether inject, plan and lint each find that a SidecarSet with
    /// `ns_selector` selects a pod labelled for it in namespace `pod_ns`
    /// (`None`: the pod names none and `request`, kubectl's -n, decides).
    fn verdicts(
        ns_selector: &Value,
        namespaces: &[Value],
        pod_ns: Option<&str>,
        request: &str,
    ) -> [bool; 3] {
        let raw = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "log"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "namespaceSelector": ns_selector,
                     "containers": [{"name": "agent", "image": "busybox:1.36"}]}
        });
        let stored = webhook_form(&raw).expect("stored form");
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-0", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}
        });
        if let Some(ns) = pod_ns {
            pod["metadata"]["namespace"] = json!(ns);
        }

        let gates = crate::features::FeatureGates::default();
        let sets = [stored.clone()];
        let ctx = crate::inject::Context {
            sidecar_sets: &sets,
            namespaces,
            controller_revisions: &[],
            gates: &gates,
            now: 0,
            seed: 0,
            namespace: request,
        };
        let mut injected = pod.clone();
        let report = crate::inject::inject_pod(&mut injected, &ctx).expect("admitted");
        let inject = report
            .decisions
            .iter()
            .any(|d| matches!(d.outcome, Outcome::Injected { .. }));
        assert_eq!(
            injected.pointer("/metadata/namespace"),
            pod.pointer("/metadata/namespace"),
            "the engine must not name the namespace in the pod"
        );

        // The same pod live, injected by the SidecarSet, as the API server
        // returns it: the controller's view.
        let mut live = pod.clone();
        live["metadata"]["namespace"] = json!(pod_namespace(&pod, request));
        live["metadata"]["annotations"] = json!({"kruise.io/sidecarset-injected-list": "log"});
        if let Some(cs) = live
            .pointer_mut("/spec/containers")
            .and_then(Value::as_array_mut)
        {
            cs.push(json!({"name": "agent", "image": "busybox:1.36"}));
        }
        let plan = crate::plan::pods::SetView::new(&stored)
            .manages(&live, namespaces)
            .is_ok();

        let mut resources = vec![raw, pod];
        resources.extend(namespaces.iter().cloned());
        let input = Input {
            resources: &resources,
            namespace: request,
            ..Default::default()
        };
        let world = World::build(&input);
        let sp = super::spec_of(&world.sidecar_sets[0]).expect("spec");
        let lint = super::selected(&world, sp, &world.templates[0]);
        [inject, plan, lint]
    }

    fn namespace(name: &str, labels: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
    }

    #[test]
    fn inject_plan_and_lint_agree_on_the_namespace_rule() {
        let prod = json!({"matchLabels": {"kubernetes.io/metadata.name": "prod"}});
        let env_prod = json!({"matchLabels": {"env": "prod"}});
        let prod_ns = namespace(
            "prod",
            json!({"kubernetes.io/metadata.name": "prod", "env": "prod"}),
        );
        let cases = [
            (
                "no Namespaces: the name label is assumed",
                &prod,
                vec![],
                Some("prod"),
                "",
                true,
            ),
            (
                "no Namespaces: another name",
                &prod,
                vec![],
                Some("dev"),
                "",
                false,
            ),
            (
                "no Namespaces: only the name label",
                &env_prod,
                vec![],
                Some("prod"),
                "",
                false,
            ),
            (
                "-n names the pod's namespace",
                &prod,
                vec![],
                None,
                "prod",
                true,
            ),
            (
                "without -n a pod is in default",
                &prod,
                vec![],
                None,
                "",
                false,
            ),
            (
                "the pod's own namespace beats -n",
                &prod,
                vec![],
                Some("dev"),
                "prod",
                false,
            ),
            (
                "a given Namespace's labels",
                &env_prod,
                vec![prod_ns.clone()],
                Some("prod"),
                "",
                true,
            ),
            (
                "given Namespaces without the pod's: not found, no match",
                &prod,
                vec![namespace(
                    "dev",
                    json!({"kubernetes.io/metadata.name": "dev"}),
                )],
                Some("prod"),
                "",
                false,
            ),
            (
                "a given Namespace keeps exactly its labels",
                &prod,
                vec![namespace("prod", json!({}))],
                Some("prod"),
                "",
                false,
            ),
        ];
        for (what, sel, namespaces, pod_ns, request, want) in cases {
            assert_eq!(
                verdicts(sel, &namespaces, pod_ns, request),
                [want; 3],
                "{what} (inject, plan, lint)"
            );
        }
    }
}
