//! The cluster as the webhook and the controller read it, built once from
//! the inputs ([`ClusterState`]): SidecarSets in their webhook form,
//! Namespaces, ControllerRevisions; and the one rule of which pods a
//! SidecarSet selects ([`selects`]), read by inject, plan and lint.

use crate::document::{Class, InputError, Inputs};
use crate::namespace::{Namespaces, NS_NAME_LABEL};
use crate::path::{FieldError, JsonPath};
use crate::selector::{InvalidOperator, LabelSelector, Selector};
use crate::value::{str_at, At};
use serde_json::{Map, Value};

/// The cluster state the webhook and the controller read, built from the
/// inputs.
#[derive(Debug, Default)]
pub struct ClusterState {
    /// Every SidecarSet, in input order.
    pub sidecar_sets: Vec<SidecarSet>,
    /// The Namespaces given, by name.
    pub namespaces: Namespaces,
    /// The ControllerRevisions given, in input order.
    pub controller_revisions: Vec<Value>,
}

/// One SidecarSet of the inputs.
#[derive(Debug)]
pub struct SidecarSet {
    /// Index of the resource it came from among those the state was built
    /// from (`Inputs::resources` for [`ClusterState::from_inputs`]).
    pub resource: usize,
    /// Its webhook form; `Err` when the API server could not decode it.
    pub form: Result<WebhookForm, FieldError>,
}

/// A SidecarSet in the form the webhook and the controller work on
/// ([`webhook_form`]), with its selectors decoded and its namespace index
/// read once.
#[derive(Clone, Debug)]
pub struct WebhookForm {
    /// The SidecarSet object, v1beta1, defaulted, with its hash annotations.
    pub value: Value,
    /// Its `selector` and `namespaceSelector`, decoded.
    pub selectors: Selectors,
    /// The namespaces the webhook's index files it under
    /// ([`namespace_index`]); `None`: cluster scope.
    pub namespace_index: Option<Vec<String>>,
}

/// Which hash annotations a SidecarSet's webhook form carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hashes {
    /// The cluster's state: hash annotations recorded on the object (from
    /// `kubectl get -o yaml`) are what pods are compared with, so they are
    /// kept; missing ones are computed as the mutating webhook would.
    Recorded,
    /// A SidecarSet being applied: the mutating webhook computes them.
    Recomputed,
}

impl ClusterState {
    /// The one constructor: SidecarSets (each turned into its webhook form
    /// once, with `hashes`), Namespaces and ControllerRevisions among
    /// `resources`, each given with its class.
    pub fn new<'v>(
        resources: impl IntoIterator<Item = (Class, &'v Value)>,
        hashes: Hashes,
    ) -> ClusterState {
        let mut state = ClusterState::default();
        let mut namespaces = Vec::new();
        for (i, (class, v)) in resources.into_iter().enumerate() {
            match class {
                Class::SidecarSet => state.sidecar_sets.push(SidecarSet {
                    resource: i,
                    form: webhook_form(v, hashes).map(WebhookForm::new),
                }),
                Class::Namespace => namespaces.push(v),
                Class::ControllerRevision => state.controller_revisions.push(v.clone()),
                _ => {}
            }
        }
        state.namespaces = Namespaces::new(namespaces);
        state
    }

    /// The state of the resources of `inputs`; `SidecarSet::resource`
    /// indexes `inputs.resources`.
    pub fn from_inputs(inputs: &Inputs, hashes: Hashes) -> ClusterState {
        ClusterState::new(
            inputs.resources.iter().map(|r| (r.class, inputs.value(r))),
            hashes,
        )
    }

    /// The cluster the pod webhook reads ([`Hashes::Recorded`]), or where
    /// in `inputs` each SidecarSet the API server could not decode fails.
    pub fn collect(inputs: &Inputs) -> Result<ClusterState, Vec<InputError>> {
        let state = ClusterState::from_inputs(inputs, Hashes::Recorded);
        let errors = state.errors(inputs);
        if errors.is_empty() {
            Ok(state)
        } else {
            Err(errors)
        }
    }

    /// Where in `inputs` (the inputs the state was built from) each
    /// SidecarSet that has no webhook form fails, in input order.
    pub fn errors(&self, inputs: &Inputs) -> Vec<InputError> {
        self.sidecar_sets
            .iter()
            .filter_map(|s| {
                let e = s.form.as_ref().err()?;
                Some(inputs.field_error(&inputs.resources[s.resource], e))
            })
            .collect()
    }

    /// The webhook forms of the SidecarSets that have one, in input order.
    pub fn forms(&self) -> impl Iterator<Item = &WebhookForm> {
        self.sidecar_sets
            .iter()
            .filter_map(|s| s.form.as_ref().ok())
    }
}

/// The words a resource [`needed`] shows in its text, as a scalar of its
/// own (its kind or, for the kruise-configuration ConfigMap, its name).
pub const WORDS: [&str; 4] = [
    "SidecarSet",
    "Namespace",
    "ControllerRevision",
    "kruise-configuration",
];

/// Whether a resource is read as policy, or as context by the validating
/// webhook (the `kruise-configuration` ConfigMap, here by kind and name
/// alone, a superset of what the webhook takes).
pub fn needed(class: Class, v: &Value) -> bool {
    match class {
        Class::SidecarSet | Class::Namespace | Class::ControllerRevision => true,
        Class::Other => {
            v.get("kind").and_then(Value::as_str) == Some("ConfigMap")
                && v.at("/metadata/name").and_then(Value::as_str) == Some("kruise-configuration")
        }
        Class::Workload(_) => false,
    }
}

/// The one webhook form of a SidecarSet: defaulted and hashed as the
/// mutating webhook stores it (hash annotations as `hashes` says), then in
/// v1beta1, the version the webhook and the controller work on.
pub fn webhook_form(raw: &Value, hashes: Hashes) -> Result<Value, FieldError> {
    let mut s = crate::sidecarset::store(raw)?;
    if hashes == Hashes::Recorded {
        for key in [
            crate::sidecarset::HASH_ANNOTATION,
            crate::sidecarset::HASH_WITHOUT_IMAGE_ANNOTATION,
        ] {
            if let Some(recorded) = raw
                .at("/metadata/annotations")
                .and_then(|a| a.get(key))
                .filter(|h| h.as_str().is_some_and(|s| !s.is_empty()))
            {
                if let Some(ann) = s
                    .pointer_mut("/metadata/annotations")
                    .and_then(Value::as_object_mut)
                {
                    ann.insert(key.to_string(), recorded.clone());
                }
            }
        }
    }
    crate::sidecarset::into_v1beta1(s)
}

impl WebhookForm {
    /// `value`, a SidecarSet in webhook form, with its selectors decoded.
    pub fn new(value: Value) -> WebhookForm {
        let selectors = Selectors::of(&value);
        let namespace_index = namespace_index(&value);
        WebhookForm {
            value,
            selectors,
            namespace_index,
        }
    }

    /// `metadata.name`, `""` when absent.
    pub fn name(&self) -> &str {
        str_at(&self.value, "/metadata/name")
    }
}

/// The namespace index of a SidecarSet (v1beta1), as the pod webhook lists
/// candidates (matching.md §5): a single namespace name, several, or
/// cluster scope (`None`).
pub fn namespace_index(ss: &Value) -> Option<Vec<String>> {
    let sel = ss.at("/spec/namespaceSelector")?;
    if let Some(n) = sel
        .get("matchLabels")
        .and_then(|m| m.get(NS_NAME_LABEL))
        .and_then(Value::as_str)
    {
        return Some(vec![n.to_string()]);
    }
    let exprs = sel.get("matchExpressions")?.as_array()?;
    let e = exprs.iter().find(|e| {
        e.get("key").and_then(Value::as_str) == Some(NS_NAME_LABEL)
            && e.get("operator").and_then(Value::as_str) == Some("In")
    })?;
    Some(
        e.get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

/// `spec.namespaceSelector` and `spec.selector` of a SidecarSet, decoded
/// once; an error is kept to be reported where the webhook meets it.
#[derive(Clone, Debug)]
pub struct Selectors {
    /// `None`: no namespaceSelector.
    namespace: Result<Option<Result<Selector, InvalidOperator>>, FieldError>,
    /// `None`: no selector (nil).
    pod: Result<Option<PodSelector>, FieldError>,
}

#[derive(Clone, Debug)]
enum PodSelector {
    /// `{}`.
    Empty,
    Some(Result<Selector, InvalidOperator>),
}

impl Selectors {
    /// The decoded `spec.namespaceSelector`, when it is set and valid.
    pub fn namespace_selector(&self) -> Option<&Selector> {
        self.namespace.as_ref().ok()?.as_ref()?.as_ref().ok()
    }

    /// The decoded `spec.selector`, when it is set, not `{}`, and valid.
    pub fn pod_selector(&self) -> Option<&Selector> {
        match self.pod.as_ref().ok()?.as_ref()? {
            PodSelector::Some(sel) => sel.as_ref().ok(),
            PodSelector::Empty => None,
        }
    }

    /// The selectors of `ss`, a SidecarSet in v1beta1.
    pub fn of(ss: &Value) -> Selectors {
        let decode = |keys: &[&str]| {
            let pointer: String = keys.iter().map(|k| format!("/{k}")).collect();
            LabelSelector::decode(ss.at(&pointer), &JsonPath::keys(keys))
        };
        Selectors {
            namespace: decode(&["spec", "namespaceSelector"])
                .map(|sel| sel.map(|s| s.to_selector())),
            pod: decode(&["spec", "selector"]).map(|sel| {
                sel.map(|s| {
                    if s.is_empty() {
                        PodSelector::Empty
                    } else {
                        PodSelector::Some(s.to_selector())
                    }
                })
            }),
        }
    }
}

/// How a SidecarSet's selectors decide about a pod (matching.md §2).
#[derive(Debug)]
pub enum Selection<'s> {
    /// namespaceSelector (when set) and selector select the pod.
    Selected,
    /// namespaceSelector does not select the pod's namespace (one with an
    /// invalid operator selects nothing).
    Namespace {
        /// Whether the namespace exists for the webhook.
        found: bool,
        /// The namespaceSelector; `None` when it has an invalid operator.
        selector: Option<&'s Selector>,
    },
    /// No selector (nil): selects nothing.
    NoSelector,
    /// `selector: {}`: the webhook selects nothing with it, the
    /// controller every pod.
    EmptySelector,
    /// The selector does not select the pod's labels.
    Unselected(&'s Selector),
}

/// Why a SidecarSet's selectors cannot decide: the webhook refuses the pod.
#[derive(Debug)]
pub enum SelectError<'s> {
    /// A selector of the wrong shape.
    Decode(&'s FieldError),
    /// `spec.selector` has an invalid operator.
    Operator(&'s InvalidOperator),
}

/// The one selection rule of inject, plan and lint: whether SidecarSet
/// `set` selects a pod with `labels` in namespace `namespace`, by its
/// namespaceSelector (read against `namespaces` by the rule of
/// [`crate::namespace`]; `spec.namespace` of v1alpha1 is one) and then its
/// selector. Pause and the pod's state are the callers' business.
pub fn selects<'s>(
    set: &'s Selectors,
    namespace: &str,
    labels: Option<&Map<String, Value>>,
    namespaces: &Namespaces,
) -> Result<Selection<'s>, SelectError<'s>> {
    if let Some(ns_sel) = set.namespace.as_ref().map_err(SelectError::Decode)? {
        let ns_labels = namespaces.labels(namespace);
        let selector = ns_sel.as_ref().ok();
        let ok = ns_labels
            .as_ref()
            .is_some_and(|l| selector.is_some_and(|s| s.matches(Some(l))));
        if !ok {
            return Ok(Selection::Namespace {
                found: ns_labels.is_some(),
                selector,
            });
        }
    }
    match set.pod.as_ref().map_err(SelectError::Decode)? {
        None => Ok(Selection::NoSelector),
        Some(PodSelector::Empty) => Ok(Selection::EmptySelector),
        Some(PodSelector::Some(sel)) => {
            let sel = sel.as_ref().map_err(SelectError::Operator)?;
            if sel.matches(labels) {
                Ok(Selection::Selected)
            } else {
                Ok(Selection::Unselected(sel))
            }
        }
    }
}
