//! What several topics use: the two finding collectors (the webhook's and
//! the best practices'), which templates a SidecarSet injects, and the
//! webhook's selector and annotation validation.

use super::super::model::{q, SidecarSet, Template, World};
use super::super::pod_validation::{label_value, qualified_name};
use super::super::rule::Rule;
use super::super::{Finding, Severity};
use crate::cluster::Selection;
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use crate::value::{get_str, str_at, At};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The description of rules that only restate that the webhook refuses.
pub(super) const WEBHOOK: &str =
    "The OpenKruise SidecarSet validating webhook rejects the SidecarSet.";

/// Collects one SidecarSet's webhook findings.
pub(super) struct WebhookOut<'o> {
    pub(super) v: &'o mut Vec<Finding>,
    pub(super) resource: usize,
    /// Errors of §2–§4; the cross-SidecarSet checks run only without them.
    pub(super) errors: usize,
}

impl WebhookOut<'_> {
    pub(super) fn push(&mut self, rule: &Rule, path: JsonPath, message: String) {
        self.push_with(rule, rule.severity, path, message);
    }

    pub(super) fn push_with(
        &mut self,
        rule: &Rule,
        severity: Severity,
        path: JsonPath,
        message: String,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.v
            .push(rule.finding_with(severity, self.resource, path, message));
    }
}

/// Collects the best-practice findings.
pub(super) struct PracticeOut<'o> {
    out: &'o mut Vec<Finding>,
    /// Resources that are SidecarSets.
    sidecar_sets: HashSet<usize>,
}

impl<'o> PracticeOut<'o> {
    pub(super) fn new(out: &'o mut Vec<Finding>, world: &World<'_>) -> Self {
        PracticeOut {
            out,
            sidecar_sets: world.sidecar_sets.iter().map(|s| s.resource).collect(),
        }
    }

    pub(super) fn push(&mut self, rule: &Rule, resource: usize, path: JsonPath, message: String) {
        self.emit(rule.finding(resource, path, message));
    }

    pub(super) fn push_sev(
        &mut self,
        rule: &Rule,
        sev: Severity,
        resource: usize,
        path: JsonPath,
        message: String,
    ) {
        self.emit(rule.finding_with(sev, resource, path, message));
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

pub(super) fn spec_path() -> JsonPath {
    JsonPath::keys(&["spec"])
}

/// The `spec` of the pods of `t`, where pod-level findings point.
pub(super) fn pod_spec(t: &Template<'_>) -> JsonPath {
    t.path.clone().key("spec")
}

pub(super) fn spec_of<'v>(ss: &'v SidecarSet<'_>) -> Option<&'v Value> {
    ss.form_value().ok().and_then(|v| v.get("spec"))
}

pub(super) fn ctr_path(list: &str, i: usize) -> JsonPath {
    JsonPath::keys(&["spec", list]).index(i)
}

pub(super) fn is_set(v: Option<&Value>) -> Option<&Value> {
    v.filter(|x| !x.is_null())
}

/// Whether pods from `t` are injected by SidecarSet `ss` (matching.md: not
/// paused, namespace, selector).
pub(super) fn matches(world: &World<'_>, ss: &SidecarSet<'_>, t: &Template<'_>) -> bool {
    spec_of(ss).is_some_and(|sp| !paused(sp)) && selected(world, ss, t)
}

fn paused(sp: &Value) -> bool {
    sp.at("/injectionStrategy/paused").and_then(Value::as_bool) == Some(true)
}

/// The controller's view: namespace and selector ([`crate::cluster::selects`];
/// `selector: {}` selects every pod), pause ignored.
pub(super) fn selected(world: &World<'_>, ss: &SidecarSet<'_>, t: &Template<'_>) -> bool {
    let Ok(form) = ss.form else { return false };
    matches!(
        crate::cluster::selects(
            &form.selectors,
            &t.namespace,
            t.labels(),
            &world.cluster.namespaces
        ),
        Ok(Selection::Selected | Selection::EmptySelector)
    )
}

/// One name a sidecar takes in a pod: its SidecarSet, the list it is
/// injected into, and whether it is one of the hot-upgrade twins.
pub(super) struct PodName<'a> {
    pub(super) set: &'a str,
    pub(super) spec: &'a Value,
    pub(super) list: &'static str,
    pub(super) hot: bool,
    pub(super) name: String,
}

/// Names a SidecarSet container takes in the pod (hot upgrade twins).
pub(super) fn pod_names(c: &Value, list: &str) -> Vec<String> {
    let name = get_str(c, "name");
    if list == "containers" && str_at(c, "/upgradeStrategy/upgradeType") == "HotUpgrade" {
        vec![format!("{name}-1"), format!("{name}-2")]
    } else {
        vec![name.to_string()]
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

pub(super) fn image_or_name_has(c: &Value, words: &[&str]) -> bool {
    let name = get_str(c, "name").to_ascii_lowercase();
    // Only the repository part of the image, not its registry host or tag.
    let image = get_str(c, "image").to_ascii_lowercase();
    let repo = image.rsplit('/').next().unwrap_or("");
    let repo = repo.split([':', '@']).next().unwrap_or("");
    words.iter().any(|w| name.contains(w) || repo.contains(w))
}

pub(super) fn is_log_agent(c: &Value) -> bool {
    image_or_name_has(c, LOG_AGENTS)
}

/// The webhook's check of an annotation map (metadata and patched pod
/// annotations), reported under `rule`.
pub(super) fn annotations(
    o: &mut WebhookOut<'_>,
    ann: Option<&Map<String, Value>>,
    p: &JsonPath,
    rule: &Rule,
) {
    let Some(ann) = ann else { return };
    let mut total = 0usize;
    for (k, v) in ann {
        total += k.len() + v.as_str().map_or(0, str::len);
        for m in qualified_name(&k.to_ascii_lowercase()) {
            o.push(
                rule,
                p.clone().key(k.as_str()),
                format!("{p}: Invalid value: {}: {m}", q(k)),
            );
        }
    }
    if total > 256 * 1024 {
        o.push(
            rule,
            p.clone(),
            format!("{p}: Too long: must have at most 262144 bytes"),
        );
    }
}

/// `validateSelector`: `ValidateLabelSelector` plus non-empty, reported under `rule`.
pub(super) fn selector(o: &mut WebhookOut<'_>, rule: &Rule, v: &Value, p: &JsonPath) {
    let sel = match LabelSelector::decode(Some(v), p) {
        Ok(Some(sel)) => sel,
        Ok(None) => return,
        Err(e) => {
            o.push(rule, e.path.clone(), e.to_string());
            return;
        }
    };
    for (k, val) in &sel.match_labels {
        let lp = p.clone().key("matchLabels").key(k.as_str());
        for m in qualified_name(k) {
            o.push(
                rule,
                lp.clone(),
                format!("{lp}: Invalid value: {}: {m}", q(k)),
            );
        }
        for m in label_value(val) {
            o.push(
                rule,
                lp.clone(),
                format!("{lp}: Invalid value: {}: {m}", q(val)),
            );
        }
    }
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let ep = p.clone().key("matchExpressions").index(i);
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    let vp = ep.clone().key("values");
                    o.push(rule, vp.clone(), format!("{vp}: Required value: must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    let vp = ep.clone().key("values");
                    o.push(rule, vp.clone(), format!("{vp}: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            other => {
                let op = ep.clone().key("operator");
                o.push(
                    rule,
                    op.clone(),
                    format!(
                        "{op}: Invalid value: {}: not a valid selector operator",
                        q(other)
                    ),
                );
            }
        }
        let kp = ep.clone().key("key");
        for m in qualified_name(&e.key) {
            o.push(
                rule,
                kp.clone(),
                format!("{kp}: Invalid value: {}: {m}", q(&e.key)),
            );
        }
        for (j, val) in e.values.iter().enumerate() {
            let vp = ep.clone().key("values").index(j);
            for m in label_value(val) {
                o.push(
                    rule,
                    vp.clone(),
                    format!("{vp}: Invalid value: {}: {m}", q(val)),
                );
            }
        }
    }
    if sel.is_empty() {
        o.push(
            rule,
            p.clone(),
            format!("{p}: Invalid value: {{}}: empty selector is not valid for sidecarset."),
        );
    }
}

#[cfg(test)]
mod namespace_rule_tests {
    use super::super::super::model::World;
    use super::super::super::Input;
    use crate::cluster::{webhook_form, Hashes, WebhookForm};
    use crate::inject::Outcome;
    use crate::namespace::pod_namespace;
    use crate::namespace::Namespaces;
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
        let stored = WebhookForm::new(webhook_form(&raw, Hashes::Recomputed).expect("stored form"));
        let given = Namespaces::new(namespaces);
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-0", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}
        });
        if let Some(ns) = pod_ns {
            pod["metadata"]["namespace"] = json!(ns);
        }

        let gates = crate::features::FeatureGates::default();
        let ctx = crate::inject::Context {
            sidecar_sets: vec![&stored],
            namespaces: &given,
            controller_revisions: &[],
            gates: &gates,
            now: 0,
            seed: 0,
            namespace: request,
            prepared: Default::default(),
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
            .manages(&live, &given)
            .is_ok();

        let mut resources = vec![raw, pod];
        resources.extend(namespaces.iter().cloned());
        let input = Input {
            resources: &resources,
            namespace: request,
            ..Default::default()
        };
        let cluster = World::cluster(&input);
        let world = World::build(&input, &cluster);
        let lint = super::selected(&world, &world.sidecar_sets[0], &world.templates[0]);
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
