//! SidecarSets against each other: the webhook's conflict checks between
//! SidecarSets its overlap heuristic pairs up, and the clashes on real pods
//! that the heuristic lets through.

use super::super::model::{q, SidecarSet, Template, World};
use super::super::overlap;
use super::super::rule::{Rule, RuleId};
use super::super::Severity::Error;
use super::shared::{
    ctr_path, pod_names, pod_spec, same_volume, spec_of, spec_path, PodName, PracticeOut,
    WebhookOut,
};
use crate::value::{get_arr, get_str, str_at};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) const SSV_080: Rule = Rule {
    id: RuleId::Ssv080,
    severity: Error,
    title: "Init container name taken by another SidecarSet",
    description: "Another SidecarSet that selects the same pods (by the webhook's overlap heuristic) has an init container of this name.",
    help: "Rename the init container or make the selectors disjoint.",
};

pub(crate) const SSV_081: Rule = Rule {
    id: RuleId::Ssv081,
    severity: Error,
    title: "Container name taken by another SidecarSet",
    description: "Another SidecarSet that selects the same pods (by the webhook's overlap heuristic) has a container of this name.",
    help: "Rename the container or make the selectors disjoint.",
};

pub(crate) const SSV_082: Rule = Rule {
    id: RuleId::Ssv082,
    severity: Error,
    title: "Volume conflicts with another SidecarSet",
    description:
        "A volume of the same name in an overlapping SidecarSet has a different definition.",
    help: "Use identical definitions or different names.",
};

pub(crate) const SSV_083: Rule = Rule {
    id: RuleId::Ssv083,
    severity: Error,
    title: "Annotation patch conflicts with another SidecarSet",
    description:
        "An overlapping SidecarSet patches the same annotation and one of them Overwrites.",
    help: "Use MergePatchJson on both, or different keys.",
};

/// The SidecarSets `validateSidecarConflict` compares a SidecarSet with,
/// indexed by the names it compares: a SidecarSet is checked against those
/// that share a name with it, not against every other (which is quadratic in
/// the SidecarSets). Each index lists, in `list` order, the SidecarSets that
/// have the name, with what the webhook keeps of the last one in each.
pub(super) struct Others<'a> {
    list: Vec<Other<'a>>,
    init: HashMap<&'a str, Vec<(usize, ())>>,
    containers: HashMap<&'a str, Vec<(usize, ())>>,
    volumes: HashMap<&'a str, Vec<(usize, &'a Value)>>,
    /// Annotation keys of patches other than Retain, with the patch's policy.
    annotations: HashMap<&'a str, Vec<(usize, &'a str)>>,
}

struct Other<'a> {
    name: &'a str,
    scope: overlap::Scope,
}

impl<'a> Others<'a> {
    /// The others as the cluster would list them: the inputs, plus old
    /// versions (`--from`) of SidecarSets that are not being changed.
    pub(super) fn of(world: &'a World<'_>) -> Self {
        let input_names: HashSet<&str> = world.sidecar_sets.iter().map(SidecarSet::name).collect();
        let mut others: Vec<(&str, &Value)> = world
            .sidecar_sets
            .iter()
            .filter_map(|s| s.form_value().ok().map(|v| (s.name(), v)))
            .collect();
        let mut old_only: Vec<(&String, &Value)> = world
            .old
            .iter()
            .filter(|(n, _)| !input_names.contains(n.as_str()))
            .collect();
        old_only.sort_by(|a, b| a.0.cmp(b.0));
        others.extend(old_only.into_iter().map(|(n, v)| (n.as_str(), v)));
        Others::new(&others)
    }

    fn new(others: &[(&'a str, &'a Value)]) -> Self {
        fn add<'a, T>(m: &mut HashMap<&'a str, Vec<(usize, T)>>, k: &'a str, i: usize, t: T) {
            let at = m.entry(k).or_default();
            match at.last_mut() {
                // Within one SidecarSet the last entry of a name wins.
                Some((j, last)) if *j == i => *last = t,
                _ => at.push((i, t)),
            }
        }
        let mut o = Others {
            list: Vec::with_capacity(others.len()),
            init: HashMap::new(),
            containers: HashMap::new(),
            volumes: HashMap::new(),
            annotations: HashMap::new(),
        };
        for (i, (name, y)) in others.iter().enumerate() {
            let ys = &y["spec"];
            o.list.push(Other {
                name,
                scope: overlap::Scope::of(ys),
            });
            for c in get_arr(ys, "initContainers") {
                add(&mut o.init, get_str(c, "name"), i, ());
            }
            for c in get_arr(ys, "containers") {
                add(&mut o.containers, get_str(c, "name"), i, ());
            }
            for v in get_arr(ys, "volumes") {
                add(&mut o.volumes, get_str(v, "name"), i, v);
            }
            for patch in get_arr(ys, "patchPodMetadata") {
                let policy = get_str(patch, "patchPolicy");
                if policy == "Retain" {
                    continue;
                }
                if let Some(a) = patch.get("annotations").and_then(Value::as_object) {
                    for k in a.keys() {
                        add(&mut o.annotations, k, i, policy);
                    }
                }
            }
        }
        o
    }
}

/// One SidecarSet against the others, with the overlaps found so far.
struct Seen<'o, 'a> {
    others: &'o Others<'a>,
    name: &'o str,
    scope: overlap::Scope,
    overlapping: HashMap<usize, bool>,
}

impl<'o> Seen<'o, '_> {
    /// The last entry of `key` in `index` whose SidecarSet is another one
    /// that overlaps this one: what the webhook's maps hold for `key` after
    /// walking every overlapping SidecarSet in list order.
    fn last<T>(
        &mut self,
        index: &'o HashMap<&str, Vec<(usize, T)>>,
        key: &str,
    ) -> Option<&'o (usize, T)> {
        let at = index.get(key)?;
        at.iter().rev().find(|(i, _)| {
            let other = &self.others.list[*i];
            other.name != self.name
                && *self
                    .overlapping
                    .entry(*i)
                    .or_insert_with(|| self.scope.overlaps(&other.scope))
        })
    }
}

/// SSV-080..083: `validateSidecarConflict`.
pub(super) fn validate(o: &mut WebhookOut<'_>, x: &Value, others: &Others<'_>) {
    let xs = &x["spec"];
    let mut seen = Seen {
        others,
        name: str_at(x, "/metadata/name"),
        scope: overlap::Scope::of(xs),
        overlapping: HashMap::new(),
    };
    let sp = spec_path();
    for (list, index, rule) in [
        ("initContainers", &others.init, &SSV_080),
        ("containers", &others.containers, &SSV_081),
    ] {
        for (i, c) in get_arr(xs, list).iter().enumerate() {
            let n = get_str(c, "name");
            if let Some((j, ())) = seen.last(index, n) {
                let other = others.list[*j].name;
                o.push(rule, sp.clone().key(list).index(i).key("name"), format!("spec.containers: Invalid value: {}: container {n} already exist in {other}", q(n)));
            }
        }
    }
    for (i, v) in get_arr(xs, "volumes").iter().enumerate() {
        let n = get_str(v, "name");
        if let Some((j, theirs)) = seen.last(&others.volumes, n) {
            if *theirs != v {
                let other = others.list[*j].name;
                o.push(&SSV_082, sp.clone().key("volumes").index(i), format!("spec.volumes: Invalid value: {}: volume {n} is in conflict with sidecarset {other}", q(n)));
            }
        }
    }
    for (i, patch) in get_arr(xs, "patchPodMetadata").iter().enumerate() {
        let policy = get_str(patch, "patchPolicy");
        if policy == "Retain" {
            continue;
        }
        let Some(a) = patch.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        for k in a.keys() {
            if let Some((j, theirs)) = seen.last(&others.annotations, k) {
                if policy == "Overwrite" || *theirs == "Overwrite" {
                    let other = others.list[*j].name;
                    o.push(&SSV_083, sp.clone().key("patchPodMetadata").index(i).key("annotations").key(k.as_str()), format!("spec.patchPodMetadata: Invalid value: {}: annotation {k} is in conflict with sidecarset {other}", q(k)));
                }
            }
        }
    }
}

pub(crate) const SSL_010: Rule = Rule {
    id: RuleId::Ssl010,
    severity: Error,
    title: "SidecarSets conflict on a real pod",
    description: "Two SidecarSets judged disjoint by the webhook both match this pod and clash on a container, volume or annotation.",
    help: "Rename or make the selectors really disjoint.",
};

/// Whether the webhook's overlap heuristic pairs up two SidecarSet specs
/// (then SSV-080..083 report their clashes).
fn webhook_sees(a: &Value, b: &Value) -> bool {
    overlap::namespaces_overlap(a, b)
        && overlap::selectors_overlap(a.get("selector"), b.get("selector"))
}

/// SSL-010 on one pod template: what the SidecarSets it gets, in order,
/// have injected so far, by name.
#[derive(Default)]
pub(super) struct OnPod<'a> {
    names: HashMap<String, (&'a str, &'a Value, &'a str)>,
    volumes: HashMap<&'a str, (&'a str, &'a Value, &'a Value)>,
    annotations: HashMap<&'a str, (&'a str, &'a Value, &'a str)>,
}

impl<'a> OnPod<'a> {
    /// The volumes of SidecarSet `ssn` (spec `sp`).
    pub(super) fn volumes(
        &mut self,
        cx: &mut PracticeOut<'_>,
        t: &Template<'_>,
        ssn: &'a str,
        sp: &'a Value,
    ) {
        for v in get_arr(sp, "volumes") {
            let n = get_str(v, "name");
            match self.volumes.get(n) {
                Some((prev, psp, pv))
                    if *prev != ssn && !same_volume(pv, v) && !webhook_sees(psp, sp) =>
                {
                    cx.push(&SSL_010, t.resource, pod_spec(t), format!("SidecarSets {prev} and {ssn} both define volume {n} differently for these pods: which one the pod gets depends on SidecarSet order"));
                }
                Some(_) => {}
                None => {
                    self.volumes.insert(n, (ssn, sp, v));
                }
            }
        }
    }

    /// The annotations SidecarSet `ssn` (spec `sp`) patches.
    pub(super) fn annotations(
        &mut self,
        cx: &mut PracticeOut<'_>,
        t: &Template<'_>,
        ssn: &'a str,
        sp: &'a Value,
    ) {
        for p in get_arr(sp, "patchPodMetadata") {
            let policy = get_str(p, "patchPolicy");
            if policy == "Retain" {
                continue;
            }
            for k in p
                .get("annotations")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|a| a.keys())
            {
                if let Some((prev, psp, ppol)) = self.annotations.get(k.as_str()) {
                    if *prev != ssn
                        && (policy == "Overwrite" || *ppol == "Overwrite")
                        && !webhook_sees(psp, sp)
                    {
                        cx.push(&SSL_010, t.resource, pod_spec(t), format!("SidecarSets {prev} and {ssn} both patch annotation {k} of these pods and one overwrites: the result depends on SidecarSet order"));
                    }
                } else {
                    self.annotations.insert(k, (ssn, sp, policy));
                }
            }
        }
    }

    /// A container name a sidecar takes in the pod.
    pub(super) fn container(
        &mut self,
        cx: &mut PracticeOut<'_>,
        t: &Template<'_>,
        n: &PodName<'a>,
    ) {
        let entry = (n.set, n.spec, n.list);
        if let Some((prev, psp, plist)) = self.names.insert(n.name.clone(), entry) {
            // Same list and judged overlapping: SSV-080/081 reports it.
            let caught = plist == n.list && !n.hot && webhook_sees(psp, n.spec);
            if prev != n.set && !caught {
                cx.push(&SSL_010, t.resource, pod_spec(t), format!("SidecarSets {prev} and {} both inject a container named {} into these pods: the pod is rejected", n.set, n.name));
            }
        }
    }
}

pub(crate) const SSL_012: Rule = Rule {
    id: RuleId::Ssl012,
    severity: Error,
    title: "Init and regular sidecar names clash across SidecarSets",
    description: "SSV-080/081 compare init container names only with init names and container names only with container names; an init container of one SidecarSet named like a container of another gives the pod duplicate names.",
    help: "Rename one of the two containers.",
};

/// SSL-012 on a pod: an init container of one SidecarSet and a container of
/// another with the same name.
pub(super) fn names_across_lists(
    cx: &mut PracticeOut<'_>,
    t: &Template<'_>,
    matched: &[&SidecarSet<'_>],
) {
    let mut init: BTreeMap<String, &str> = BTreeMap::new();
    for ss in matched {
        for c in spec_of(ss)
            .map(|sp| get_arr(sp, "initContainers"))
            .unwrap_or(&[])
        {
            init.entry(get_str(c, "name").to_string())
                .or_insert(ss.name());
        }
    }
    for ss in matched {
        for c in spec_of(ss)
            .map(|sp| get_arr(sp, "containers"))
            .unwrap_or(&[])
        {
            for n in pod_names(c, "containers") {
                if let Some(other) = init.get(&n).filter(|o| **o != ss.name()) {
                    cx.push(&SSL_012, t.resource, pod_spec(t), format!("SidecarSet {other} injects an init container {n} and SidecarSet {} a container {n} into these pods: duplicate container names, the pod is rejected", ss.name()));
                }
            }
        }
    }
}

/// SSL-012 between SidecarSets the webhook's overlap heuristic pairs up
/// (SSV-080/081 check only same-list names).
pub(super) fn names_across_sets(cx: &mut PracticeOut<'_>, world: &World<'_>) {
    // Container name -> the SidecarSets that inject it, in input order: an
    // init container is compared with those, not with every SidecarSet
    // (quadratic in the SidecarSets).
    let mut injecting: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, b) in world.sidecar_sets.iter().enumerate() {
        for c in spec_of(b)
            .map(|sp| get_arr(sp, "containers"))
            .unwrap_or(&[])
        {
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
        for (i, ic) in get_arr(asp, "initContainers").iter().enumerate() {
            let n = get_str(ic, "name");
            for &j in injecting.get(n).map_or(&[][..], Vec::as_slice) {
                let b = &world.sidecar_sets[j];
                let Some(bsp) = spec_of(b).filter(|_| b.name() != a.name()) else {
                    continue;
                };
                if webhook_sees(asp, bsp) {
                    cx.push(&SSL_012, a.resource, ctr_path("initContainers", i).key("name"), format!("init container {n} has the name of a container of SidecarSet {}, which selects the same pods: validation does not compare init and regular names, pods getting both are rejected", b.name()));
                }
            }
        }
    }
}
