//! `patchPodMetadata`: the webhook's whitelist and annotation checks, and
//! what the patches do to the pods (merge failures, ignored policies,
//! changes that never reach existing pods).

use super::super::model::{q, SidecarSet, Template, World};
use super::super::rule::{Rule, RuleId};
use super::super::Input;
use super::super::Severity::{self, Error, Info, Warning};
use super::shared::{annotations, is_set, spec_path, PracticeOut, WebhookOut, WEBHOOK};
use crate::annotations::{SIDECARSET_ANNOTATION_PREFIX, VERSION_ANNOTATION_PREFIX};
use crate::path::JsonPath;
use crate::selector::LabelSelector;
use crate::value::At;
use crate::value::{get_arr, get_str};
use serde_json::{Map, Value};
use std::collections::HashSet;

pub(crate) const SSV_060: Rule = Rule {
    id: RuleId::Ssv060,
    severity: Error,
    title: "Patch metadata whitelist missing",
    description: "patchPodMetadata requires the whitelist in the kruise-configuration ConfigMap (key SidecarSet_PatchPodMetadata_WhiteList) unless the gate SidecarSetPatchPodMetadataDefaultsAllowed is on; without the ConfigMap in the input the linter judges a cluster that has none.",
    help: "Pass the kruise-configuration ConfigMap with -f, or --feature-gates SidecarSetPatchPodMetadataDefaultsAllowed=true.",
};

pub(crate) const SSV_061: Rule = Rule {
    id: RuleId::Ssv061,
    severity: Error,
    title: "No whitelist rule applies",
    description: WEBHOOK,
    help: "Add a whitelist rule whose selector matches the SidecarSet's labels.",
};

pub(crate) const SSV_062: Rule = Rule {
    id: RuleId::Ssv062,
    severity: Error,
    title: "Patched annotation not whitelisted",
    description: WEBHOOK,
    help: "Add a regex for the key to allowedAnnotationKeyExprs.",
};

pub(crate) const SSV_063: Rule = Rule {
    id: RuleId::Ssv063,
    severity: Error,
    title: "patchPodMetadata without annotations",
    description: WEBHOOK,
    help: "Give each patchPodMetadata entry annotations.",
};

pub(crate) const SSV_064: Rule = Rule {
    id: RuleId::Ssv064,
    severity: Error,
    title: "Invalid patched annotation",
    description: WEBHOOK,
    help: "Use qualified-name annotation keys.",
};

pub(crate) const SSV_066: Rule = Rule {
    id: RuleId::Ssv066,
    severity: Error,
    title: "Annotation patched twice",
    description: WEBHOOK,
    help: "Patch each annotation key in one entry only.",
};

/// SSV-060..066: the whitelist, then each entry's annotations.
pub(super) fn validate(
    o: &mut WebhookOut<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    stored: &Value,
    sp: &Value,
) {
    let patches = get_arr(sp, "patchPodMetadata");
    let p = spec_path().key("patchPodMetadata");
    if !patches.is_empty() {
        whitelist(o, world, input, stored, patches, &p);
    }
    let mut keys: HashSet<&str> = HashSet::new();
    for (i, patch) in patches.iter().enumerate() {
        let pp = p.clone().index(i);
        let ann = patch
            .get("annotations")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty());
        match ann {
            None => o.push(
                &SSV_063,
                pp.clone(),
                "spec.patchPodMetadata: Required value: no annotations defined for SidecarSet"
                    .into(),
            ),
            Some(a) => annotations(o, Some(a), &pp.clone().key("annotations"), &SSV_064),
        }
        // Go iterates the map in random order; key order here.
        let mut ks: Vec<&String> = ann.map(|a| a.keys().collect()).unwrap_or_default();
        ks.sort();
        for k in ks {
            if !keys.insert(k) {
                o.push(&SSV_066, pp.clone().key("annotations").key(k.as_str()), format!("spec.patchPodMetadata: Required value: patch annotation[{k}] already exist"));
            }
        }
    }
}

/// `ValidateSidecarSetPatchMetadataWhitelist`.
fn whitelist(
    o: &mut WebhookOut<'_>,
    world: &World<'_>,
    input: &Input<'_>,
    stored: &Value,
    patches: &[Value],
    p: &JsonPath,
) {
    let allowed_by_gate = input.gates.patch_pod_metadata_defaults_allowed;
    let msg = |d: &str| format!("spec.patchPodMetadata: Required value: {d}");
    let text = match world.whitelist {
        // No ConfigMap among the inputs: judge as a cluster without one
        // (a default installation), which the webhook rejects.
        None => {
            if !allowed_by_gate {
                o.push(&SSV_060, p.clone(), msg("SidecarSet patch metadata whitelist not found (no kruise-configuration ConfigMap with key SidecarSet_PatchPodMetadata_WhiteList in the input)"));
            }
            return;
        }
        Some(None) => {
            if !allowed_by_gate {
                o.push_with(
                    &SSV_060,
                    Severity::Error,
                    p.clone(),
                    msg("SidecarSet patch metadata whitelist not found"),
                );
            }
            return;
        }
        Some(Some(t)) => t,
    };
    let wl: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            o.push(&SSV_060, p.clone(), msg(&e.to_string()));
            return;
        }
    };
    let labels = stored.at("/metadata/labels").and_then(Value::as_object);
    let mut regs = Vec::new();
    for rule in get_arr(&wl, "rules") {
        if let Some(sel) = is_set(rule.get("selector")) {
            let parsed = LabelSelector::decode(Some(sel), &JsonPath::root())
                .ok()
                .flatten()
                .map(|l| l.to_selector());
            match parsed {
                Some(Ok(sel)) if sel.matches(labels) => {}
                Some(Err(e)) => {
                    o.push_with(&SSV_061, Severity::Error, p.clone(), msg(&e.to_string()));
                    return;
                }
                _ => continue,
            }
        }
        for expr in get_arr(rule, "allowedAnnotationKeyExprs")
            .iter()
            .filter_map(Value::as_str)
        {
            match regex::Regex::new(expr) {
                Ok(r) => regs.push(r),
                Err(e) => {
                    o.push(&SSV_061, p.clone(), msg(&e.to_string()));
                    return;
                }
            }
        }
    }
    if regs.is_empty() {
        if !allowed_by_gate {
            o.push(
                &SSV_061,
                p.clone(),
                msg("sidecarSet patch metadata annotation is not allowed"),
            );
        }
        return;
    }
    for (i, patch) in patches.iter().enumerate() {
        let Some(ann) = patch.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        let mut ks: Vec<&String> = ann.keys().collect();
        ks.sort();
        for k in ks {
            if !regs.iter().any(|r| r.is_match(k)) {
                o.push(
                    &SSV_062,
                    p.clone().index(i).key("annotations").key(k.as_str()),
                    msg(&format!(
                        "sidecarSet patch metadata annotation({k}) is not allowed"
                    )),
                );
                return;
            }
        }
    }
}

pub(crate) const SSL_070: Rule = Rule {
    id: RuleId::Ssl070,
    severity: Error,
    title: "MergePatchJson value is not a JSON object",
    description: "Pods that already carry the annotation are rejected.",
    help: "Make the annotation value a JSON object.",
};

pub(crate) const SSL_074: Rule = Rule {
    id: RuleId::Ssl074,
    severity: Warning,
    title: "Patching Kruise-managed annotations",
    description: "kruise.io/sidecarset-* and version.sidecarset.kruise.io/* are written by the injection itself.",
    help: "Do not patch these keys.",
};

/// SSL-070 and SSL-074 on each patched annotation.
pub(super) fn patched_annotations(cx: &mut PracticeOut<'_>, res: usize, sp: &Value) {
    for (i, p) in get_arr(sp, "patchPodMetadata").iter().enumerate() {
        let Some(ann) = p.get("annotations").and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in ann {
            let ap = JsonPath::keys(&["spec", "patchPodMetadata"])
                .index(i)
                .key("annotations")
                .key(k.as_str());
            if get_str(p, "patchPolicy") == "MergePatchJson" {
                let ok = v
                    .as_str()
                    .and_then(|t| serde_json::from_str::<Value>(t).ok())
                    .is_some_and(|j| j.is_object());
                if !ok {
                    cx.push(&SSL_070, res, ap.clone(), format!("annotation {k} is patched with MergePatchJson but its value is not a JSON object"));
                }
            }
            if k.starts_with(SIDECARSET_ANNOTATION_PREFIX)
                || k.starts_with(VERSION_ANNOTATION_PREFIX)
            {
                cx.push(
                    &SSL_074,
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

pub(crate) const SSL_071: Rule = Rule {
    id: RuleId::Ssl071,
    severity: Error,
    title: "MergePatchJson onto a non-JSON pod annotation",
    description: "The pod already carries the annotation with a value that is not a JSON document; the merge fails and every pod creation is rejected.",
    help: "Make the pod's annotation value JSON, or patch another key.",
};

/// SSL-071: MergePatchJson onto a pod annotation that is not JSON.
pub(super) fn merge_patch_onto(cx: &mut PracticeOut<'_>, t: &Template<'_>, ssn: &str, sp: &Value) {
    let Some(ann) = t.annotations() else { return };
    for p in get_arr(sp, "patchPodMetadata") {
        if get_str(p, "patchPolicy") != "MergePatchJson" {
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
                cx.push(&SSL_071, t.resource, t.path.clone().key("metadata").key("annotations").key(k.as_str()), format!("SidecarSet {ssn} merges a JSON patch into annotation {k}, whose value here is not a JSON document: every pod creation is rejected (Invalid JSON Document)"));
            }
        }
    }
}

pub(crate) const SSL_072: Rule = Rule {
    id: RuleId::Ssl072,
    severity: Warning,
    title: "Unknown patchPolicy",
    description: "Only Retain, Overwrite and MergePatchJson are applied; any other patchPolicy is accepted and silently ignored.",
    help: "Use Retain, Overwrite or MergePatchJson.",
};

/// SSL-072: unknown patchPolicy values are ignored by the webhook.
pub(super) fn unknown_policy(cx: &mut PracticeOut<'_>, res: usize, sp: &Value) {
    for (i, p) in get_arr(sp, "patchPodMetadata").iter().enumerate() {
        let policy = get_str(p, "patchPolicy");
        if !matches!(policy, "" | "Retain" | "Overwrite" | "MergePatchJson") {
            cx.push(&SSL_072, res, JsonPath::keys(&["spec", "patchPodMetadata"]).index(i).key("patchPolicy"), format!("patchPolicy {} is not Retain, Overwrite or MergePatchJson: the annotations of this entry are never applied", q(policy)));
        }
    }
}

pub(crate) const SSL_073: Rule = Rule {
    id: RuleId::Ssl073,
    severity: Info,
    title: "patchPodMetadata change not propagated",
    description: "Existing pods get patchPodMetadata again only with an in-place image upgrade, and Retain never changes a key the pod already has.",
    help: "Recreate the pods, or pair the change with a sidecar image upgrade (Overwrite/MergePatchJson).",
};

/// SSL-073: metadata-only changes do not reach existing pods; `old` is the
/// SidecarSet's `--from` version.
pub(super) fn metadata_change(
    cx: &mut PracticeOut<'_>,
    ss: &SidecarSet<'_>,
    sp: &Value,
    old: &Value,
) {
    let Ok(new) = ss.form_value() else { return };
    let list = |v: &Value| -> Vec<Value> {
        v.at("/spec/patchPodMetadata")
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
        cx.push(&SSL_073, ss.resource, p, format!("patchPodMetadata of SidecarSet {} changed but its containers did not: existing pods get annotations again only with an in-place sidecar upgrade, so only new pods see this change", ss.name()));
        return;
    }
    let without_image = (
        crate::sidecarset::hash_without_image(old),
        crate::sidecarset::hash_without_image(new),
    );
    if matches!(&without_image, (Ok(a), Ok(b)) if a != b) {
        cx.push(&SSL_073, ss.resource, p, format!("patchPodMetadata of SidecarSet {} changed together with more than images: existing pods are not upgradable in place ({}), so they get the new annotations only when recreated", ss.name(), RuleId::Ssl020));
        return;
    }
    // Upgraded pods are patched again, but Retain never changes a present key.
    let old_retained: HashSet<(&str, &Value)> = old_l
        .iter()
        .filter(|e| matches!(get_str(e, "patchPolicy"), "" | "Retain"))
        .filter_map(|e| e.get("annotations").and_then(Value::as_object))
        .flat_map(|a| a.iter().map(|(k, v)| (k.as_str(), v)))
        .collect();
    let old_keys: HashSet<&str> = old_retained.iter().map(|(k, _)| *k).collect();
    let mut changed: Vec<&str> = get_arr(sp, "patchPodMetadata")
        .iter()
        .filter(|e| matches!(get_str(e, "patchPolicy"), "" | "Retain"))
        .filter_map(|e| e.get("annotations").and_then(Value::as_object))
        .flat_map(|a| a.iter())
        .filter(|(k, v)| old_keys.contains(k.as_str()) && !old_retained.contains(&(k.as_str(), *v)))
        .map(|(k, _)| k.as_str())
        .collect();
    changed.sort_unstable();
    changed.dedup();
    if !changed.is_empty() {
        cx.push(&SSL_073, ss.resource, p, format!("SidecarSet {} changes the Retain annotation(s) {}: pods that already carry them keep their old values, even when upgraded", ss.name(), changed.join(", ")));
    }
}
