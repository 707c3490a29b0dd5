//! The SidecarSet validating webhook (`vsidecarset.kb.io`) as an admission
//! step: a SidecarSet the cluster would refuse to store never reaches a pod,
//! so injecting or planning with one shows something that cannot happen.
//!
//! The rules are the linter's `SSV-*` rules (`docs/spec/validation.md`);
//! this module decides which SidecarSets are checked, against what, and which
//! findings are a refusal.

use crate::document::{Class, Inputs, Location, Resource};
use crate::features::FeatureGates;
use crate::lint::{self, Severity};
use crate::path::JsonPath;
use crate::value::str_at;
use serde_json::Value;

/// The name the API server gives the webhook in its answer.
pub const WEBHOOK: &str = "vsidecarset.kb.io";

/// A SidecarSet the validating webhook denies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `SidecarSet/name`.
    pub object: String,
    /// Index of the SidecarSet in `Inputs::resources`.
    pub resource: usize,
    /// The field the denial is about, relative to the SidecarSet.
    pub path: JsonPath,
    /// Where the SidecarSet's denied field is in the input, for the error line.
    pub location: Location,
    /// The rule id, e.g. `SSV-021`.
    pub rule: String,
    /// The webhook's message.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    /// The API server's answer, with the rule id the linter reports.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: admission webhook \"{WEBHOOK}\" denied the request: {} [{}]",
            self.object, self.message, self.rule
        )
    }
}

/// Whether a SidecarSet carries the revision hash the webhook stamps on
/// every SidecarSet it admits (`kruise.io/sidecarset-hash`).
pub fn is_stored_form(v: &Value) -> bool {
    v.pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .and_then(|a| a.get(crate::sidecarset::HASH_ANNOTATION))
        .and_then(Value::as_str)
        .is_some_and(|h| !h.is_empty())
}

/// Checks every SidecarSet of `inputs` (from `-f` and `--sidecarset`) as the
/// webhook would on CREATE, or on UPDATE where `stored` holds a SidecarSet
/// of the same name (the version in the cluster). The first denial, in input
/// order, is returned (boxed: it carries a location and a message).
pub fn validate(
    inputs: &Inputs,
    stored: Option<&Inputs>,
    gates: &FeatureGates,
) -> Result<(), Box<Refusal>> {
    // A SidecarSet read as the cluster stores it (it carries the hash
    // annotation the webhook writes on admission, as `kubectl get` prints
    // it) was admitted already: the webhook runs on CREATE and UPDATE, not
    // on reads. It stays as context for the rules that compare SidecarSets.
    // In an UPDATE run (`--from`) every SidecarSet given is being applied.
    type Indexed<'r> = Vec<(usize, &'r Resource)>;
    let (candidates, admitted): (Indexed, Indexed) = inputs
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.class == Class::SidecarSet)
        .partition(|(_, r)| stored.is_some() || !is_stored_form(inputs.value(r)));
    if candidates.is_empty() {
        return Ok(());
    }
    let mut resources: Vec<Value> = candidates
        .iter()
        .chain(&admitted)
        .map(|(_, r)| inputs.value(r).clone())
        .collect();
    // What the webhook looks up besides the object: ControllerRevisions
    // (pinned revisions) and the patch-metadata whitelist.
    let sources = std::iter::once(inputs).chain(stored);
    let mut whitelist_given = false;
    for src in sources {
        for r in &src.resources {
            let v = src.value(r);
            let context = match r.class {
                Class::ControllerRevision => true,
                Class::Other => {
                    let is_config = is_kruise_configuration(v);
                    whitelist_given |= is_config;
                    is_config
                }
                _ => false,
            };
            if context {
                resources.push(v.clone());
            }
        }
    }
    let old: Vec<Value> = stored
        .map(|s| {
            s.of_class(Class::SidecarSet)
                .map(|r| s.value(r).clone())
                .collect()
        })
        .unwrap_or_default();
    let findings = lint::validating_webhook(&lint::Input {
        resources: &resources,
        old_sidecar_sets: &old,
        gates: gates.clone(),
        namespace: "",
    });
    let denial = findings.into_iter().find(|f| {
        f.rule.starts_with("SSV")
            && f.severity == Severity::Error
            && f.resource < candidates.len()
            // Without the kruise-configuration ConfigMap the tool cannot know
            // the cluster's whitelist; it refuses only what it has read.
            && (f.rule != "SSV-060" || whitelist_given)
    });
    let Some(f) = denial else {
        return Ok(());
    };
    let (index, r) = candidates[f.resource];
    Err(Box::new(Refusal {
        object: inputs.object_name(r),
        resource: index,
        location: inputs.locate(r, &f.path),
        path: f.path,
        rule: f.rule,
        message: f.message,
    }))
}

/// The ConfigMap the webhook reads the patch-metadata whitelist from (found
/// by name, as the linter finds it).
fn is_kruise_configuration(v: &Value) -> bool {
    str_at(v, "/apiVersion") == "v1"
        && str_at(v, "/kind") == "ConfigMap"
        && str_at(v, "/metadata/name") == "kruise-configuration"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn inputs(text: &str) -> Inputs {
        let mut i = Inputs::default();
        i.add(SourceFile::new("in.yaml".into(), text.into()), false)
            .expect("parses");
        i
    }

    const SS: &str = "apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: logger
spec:
  selector:
    matchLabels:
      app: web
  containers:
  - name: logger
    image: busybox
";

    #[test]
    fn a_valid_sidecarset_is_admitted() {
        assert_eq!(
            validate(&inputs(SS), None, &FeatureGates::default()),
            Ok(())
        );
    }

    #[test]
    fn a_bad_operator_is_denied_at_the_operator() {
        let text = SS.replace(
            "    matchLabels:\n      app: web\n",
            "    matchExpressions:\n    - key: app\n      operator: Bogus\n",
        );
        let r = validate(&inputs(&text), None, &FeatureGates::default()).expect_err("denied");
        assert_eq!(r.rule, "SSV-021");
        assert_eq!((r.location.line, r.location.column), (9, 7));
        assert!(r.to_string().starts_with(
            "SidecarSet/logger: admission webhook \"vsidecarset.kb.io\" denied the request: spec.selector.matchExpressions[0].operator: Invalid value: \"Bogus\""
        ), "{r}");
    }

    #[test]
    fn an_update_is_checked_against_the_stored_version() {
        let old = inputs(SS);
        let new = inputs(&SS.replace("- name: logger", "- name: shipper"));
        assert_eq!(validate(&new, None, &FeatureGates::default()), Ok(()));
        let r = validate(&new, Some(&old), &FeatureGates::default()).expect_err("denied");
        assert_eq!(r.rule, "SSV-070");
    }

    #[test]
    fn the_whitelist_is_judged_only_when_given() {
        let text = format!("{SS}  patchPodMetadata:\n  - annotations:\n      a.io/x: val\n");
        assert_eq!(
            validate(&inputs(&text), None, &FeatureGates::default()),
            Ok(())
        );
        let with_config = format!(
            "{text}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kruise-configuration\n  namespace: kruise-system\ndata: {{}}\n"
        );
        let r =
            validate(&inputs(&with_config), None, &FeatureGates::default()).expect_err("denied");
        assert_eq!(r.rule, "SSV-060");
    }
}
