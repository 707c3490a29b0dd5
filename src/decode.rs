//! What the API server's decoder (and its first validation) requires of a
//! workload or Pod along the paths the tool reads: the pod template, its
//! metadata, the container lists and the replica counts.
//!
//! The engine reads those paths leniently (a wrong type reads as absent), so
//! a Deployment whose `containers` is a map would come out with the app
//! container gone and exit 0. The cluster never gets that far: it refuses
//! the object. Checking first turns those into input errors at the
//! offending node, worded as the API server words them. Kinds the tool does
//! not read are never checked.

use crate::document::{Class, InputError, Inputs, Resource};
use crate::path::{FieldError, JsonPath, Seg};
use crate::value::get_str;
use crate::workload::WorkloadKind;
use serde_json::Value;

/// Checks every workload and Pod among `resources`; the first problem, in
/// input order, is returned as an input error.
pub fn check_resources<'a>(
    inputs: &Inputs,
    resources: impl IntoIterator<Item = &'a Resource>,
) -> Result<(), InputError> {
    for r in resources {
        let Class::Workload(kind) = r.class else {
            continue;
        };
        check(kind, inputs.value(r))
            .map_err(|e| inputs.error_at(r.doc, &Inputs::root_path(r).join(&e.path), e.message))?;
    }
    Ok(())
}

/// Checks one workload (or Pod) of kind `kind`. Type errors come first, as
/// the decoder stops the request before validation runs.
pub fn check(kind: WorkloadKind, obj: &Value) -> Result<(), FieldError> {
    let mut c = Checker {
        obj,
        decode: None,
        invalid: None,
    };
    c.object(kind);
    match (c.decode, c.invalid) {
        (Some(e), _) | (None, Some(e)) => Err(e),
        (None, None) => Ok(()),
    }
}

/// The Go type a field decodes into.
#[derive(Clone, Copy)]
enum Want {
    Object,
    Array,
    String,
    Int32,
    Int64,
    IntOrString,
}

/// One step from an object towards its pod template: the JSON key and the Go
/// type of the field (`{v}` is the object's API version).
struct Step {
    key: &'static str,
    go_type: &'static str,
}

const fn step(key: &'static str, go_type: &'static str) -> Step {
    Step { key, go_type }
}

/// The path to each pod template a kind may have, with Go types (the same
/// paths as `workload::template_sites`).
fn chains(kind: WorkloadKind) -> Vec<Vec<Step>> {
    const TEMPLATE: Step = step("template", "v1.PodTemplateSpec");
    let spec_then_template = |spec: &'static str| vec![vec![step("spec", spec), TEMPLATE]];
    match kind {
        WorkloadKind::Pod => Vec::new(),
        WorkloadKind::PodTemplate => vec![vec![TEMPLATE]],
        WorkloadKind::Deployment => spec_then_template("{v}.DeploymentSpec"),
        WorkloadKind::ReplicaSet => spec_then_template("{v}.ReplicaSetSpec"),
        WorkloadKind::StatefulSet | WorkloadKind::AdvancedStatefulSet => {
            spec_then_template("{v}.StatefulSetSpec")
        }
        WorkloadKind::DaemonSet | WorkloadKind::AdvancedDaemonSet => {
            spec_then_template("{v}.DaemonSetSpec")
        }
        WorkloadKind::ReplicationController => spec_then_template("{v}.ReplicationControllerSpec"),
        WorkloadKind::Job => spec_then_template("{v}.JobSpec"),
        WorkloadKind::CloneSet => spec_then_template("{v}.CloneSetSpec"),
        WorkloadKind::BroadcastJob => spec_then_template("{v}.BroadcastJobSpec"),
        WorkloadKind::CronJob => vec![vec![
            step("spec", "{v}.CronJobSpec"),
            step("jobTemplate", "{v}.JobTemplateSpec"),
            step("spec", "v1.JobSpec"),
            TEMPLATE,
        ]],
        WorkloadKind::AdvancedCronJob => {
            let head = || {
                vec![
                    step("spec", "{v}.AdvancedCronJobSpec"),
                    step("template", "v1alpha1.CronJobTemplate"),
                ]
            };
            let mut job = head();
            job.extend([
                step("jobTemplate", "v1.JobTemplateSpec"),
                step("spec", "v1.JobSpec"),
                TEMPLATE,
            ]);
            let mut bcj = head();
            bcj.extend([
                step("broadcastJobTemplate", "v1alpha1.BroadcastJobTemplateSpec"),
                step("spec", "v1alpha1.BroadcastJobSpec"),
                TEMPLATE,
            ]);
            vec![job, bcj]
        }
        WorkloadKind::UnitedDeployment => [
            (
                "statefulSetTemplate",
                "v1alpha1.StatefulSetTemplateSpec",
                "v1.StatefulSetSpec",
            ),
            (
                "advancedStatefulSetTemplate",
                "v1alpha1.AdvancedStatefulSetTemplateSpec",
                "v1beta1.StatefulSetSpec",
            ),
            (
                "cloneSetTemplate",
                "v1alpha1.CloneSetTemplateSpec",
                "v1alpha1.CloneSetSpec",
            ),
            (
                "deploymentTemplate",
                "v1alpha1.DeploymentTemplateSpec",
                "v1.DeploymentSpec",
            ),
        ]
        .into_iter()
        .map(|(key, holder, spec)| {
            vec![
                step("spec", "{v}.UnitedDeploymentSpec"),
                step("template", "v1alpha1.SubsetTemplate"),
                step(key, holder),
                step("spec", spec),
                TEMPLATE,
            ]
        })
        .collect(),
    }
}

/// The integer fields of a spec type (by its unqualified Go name) that the
/// tool reads or that sit next to the template.
fn integer_fields(spec_type: &str) -> &'static [(&'static str, Want)] {
    use Want::{Int32, Int64, IntOrString};
    match spec_type {
        "DeploymentSpec" => &[
            ("replicas", Int32),
            ("minReadySeconds", Int32),
            ("revisionHistoryLimit", Int32),
            ("progressDeadlineSeconds", Int32),
        ],
        "ReplicaSetSpec" | "ReplicationControllerSpec" => {
            &[("replicas", Int32), ("minReadySeconds", Int32)]
        }
        "StatefulSetSpec" | "UnitedDeploymentSpec" => {
            &[("replicas", Int32), ("revisionHistoryLimit", Int32)]
        }
        "DaemonSetSpec" => &[("minReadySeconds", Int32), ("revisionHistoryLimit", Int32)],
        "CloneSetSpec" => &[
            ("replicas", Int32),
            ("minReadySeconds", Int32),
            ("revisionHistoryLimit", Int32),
        ],
        "JobSpec" => &[
            ("parallelism", Int32),
            ("completions", Int32),
            ("backoffLimit", Int32),
            ("activeDeadlineSeconds", Int64),
        ],
        "BroadcastJobSpec" => &[("parallelism", IntOrString)],
        "CronJobSpec" | "AdvancedCronJobSpec" => &[
            ("startingDeadlineSeconds", Int64),
            ("successfulJobsHistoryLimit", Int32),
            ("failedJobsHistoryLimit", Int32),
        ],
        _ => &[],
    }
}

/// `v1.DeploymentSpec` -> `DeploymentSpec`.
fn unqualified(go_type: &str) -> &str {
    go_type.rsplit_once('.').map_or(go_type, |(_, t)| t)
}

struct Checker<'a> {
    obj: &'a Value,
    /// The first type error: the decoder's answer.
    decode: Option<FieldError>,
    /// The first missing required field: validation's answer.
    invalid: Option<FieldError>,
}

impl Checker<'_> {
    fn kind(&self) -> &str {
        get_str(self.obj, "kind")
    }

    /// `apps/v1` -> (`apps`, `v1`); `v1` -> (``, `v1`).
    fn group_version(&self) -> (&str, &str) {
        let av = get_str(self.obj, "apiVersion");
        av.split_once('/').unwrap_or(("", av))
    }

    /// Records a decode error: `value` at `at` is not a `go_type`. `field`
    /// is the decoder's field stack (JSON names, no indexes or map keys).
    fn type_error(
        &mut self,
        at: &JsonPath,
        value: &Value,
        field: &JsonPath,
        holder: &str,
        go_type: &str,
    ) {
        if self.decode.is_some() {
            return;
        }
        let what = match value {
            Value::Bool(_) => "bool".to_string(),
            Value::String(_) => "string".to_string(),
            Value::Array(_) => "array".to_string(),
            Value::Object(_) => "object".to_string(),
            // A number only fails as a number when it does not fit.
            Value::Number(n) if matches!(go_type, "int32" | "int64" | "intstr.IntOrString") => {
                format!("number {n}")
            }
            Value::Number(_) => "number".to_string(),
            Value::Null => return,
        };
        let kind = self.kind();
        let (_, version) = self.group_version();
        let message = format!(
            "{kind} in version \"{version}\" cannot be handled as a {kind}: json: cannot unmarshal {what} into Go struct field {holder}.{} of type {go_type}",
            field_stack(field)
        );
        self.decode = Some(FieldError::new(at.clone(), message));
    }

    /// Records a validation error (`Required value` and the like).
    fn invalid(&mut self, at: &JsonPath, detail: &str) {
        if self.invalid.is_some() {
            return;
        }
        let kind = self.kind();
        let (group, _) = self.group_version();
        let name = self
            .obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let object = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let message = format!("{object} \"{name}\" is invalid: {at}: {detail}");
        self.invalid = Some(FieldError::new(at.clone(), message));
    }

    /// Whether `v` (at `at`) decodes as `want`; `null` is an absent field.
    fn typed(
        &mut self,
        v: &Value,
        at: &JsonPath,
        field: &JsonPath,
        holder: &str,
        want: Want,
        go_type: &str,
    ) -> bool {
        let ok = match want {
            Want::Object => v.is_object(),
            Want::Array => v.is_array(),
            Want::String => v.is_string(),
            Want::Int32 => fits(v, i64::from(i32::MIN), i64::from(i32::MAX)),
            Want::Int64 => fits(v, i64::MIN, i64::MAX),
            Want::IntOrString => v.is_string() || fits(v, i64::from(i32::MIN), i64::from(i32::MAX)),
        };
        if !ok {
            self.type_error(at, v, field, holder, go_type);
        }
        ok
    }

    fn object(&mut self, kind: WorkloadKind) {
        let obj = self.obj;
        let root = JsonPath::root();
        let kind_name = self.kind().to_string();
        self.object_meta(
            obj.get("metadata"),
            &root,
            &kind_name,
            kind == WorkloadKind::Pod,
        );
        if kind == WorkloadKind::Pod {
            let spec = obj.get("spec");
            let at = JsonPath::keys(&["spec"]);
            let spec =
                spec.filter(|s| self.typed(s, &at, &at, &kind_name, Want::Object, "v1.PodSpec"));
            self.pod_spec(spec, &at);
            return;
        }
        let (_, version) = self.group_version();
        let version = version.to_string();
        for chain in chains(kind) {
            self.template_chain(&chain, &kind_name, &version);
        }
    }

    /// Walks one chain down to its pod template; a missing step ends it
    /// (a workload has one of its alternative templates).
    fn template_chain(&mut self, chain: &[Step], kind_name: &str, version: &str) {
        let mut cur = self.obj;
        let mut at = JsonPath::root();
        let mut holder = kind_name.to_string();
        for st in chain {
            let Some(next) = cur.get(st.key).filter(|v| !v.is_null()) else {
                return;
            };
            at = at.key(st.key);
            let go_type = st.go_type.replace("{v}", version);
            if !self.typed(next, &at, &at, &holder, Want::Object, &go_type) {
                return;
            }
            holder = unqualified(&go_type).to_string();
            for (key, want) in integer_fields(&holder) {
                if let Some(v) = next.get(*key) {
                    let p = at.clone().key(*key);
                    let t = match want {
                        Want::Int64 => "int64",
                        Want::IntOrString => "intstr.IntOrString",
                        _ => "int32",
                    };
                    self.typed(v, &p, &p, &holder, *want, t);
                }
            }
            cur = next;
        }
        // `cur` is the PodTemplateSpec.
        self.object_meta(cur.get("metadata"), &at, "PodTemplateSpec", false);
        let spec_at = at.clone().key("spec");
        let spec = cur.get("spec").filter(|s| {
            self.typed(
                s,
                &spec_at,
                &spec_at,
                "PodTemplateSpec",
                Want::Object,
                "v1.PodSpec",
            )
        });
        self.pod_spec(spec, &spec_at);
    }

    /// `metadata` of an object (`base` empty) or of a pod template.
    fn object_meta(
        &mut self,
        meta: Option<&Value>,
        base: &JsonPath,
        holder: &str,
        needs_name: bool,
    ) {
        let at = base.clone().key("metadata");
        let meta = meta.filter(|m| self.typed(m, &at, &at, holder, Want::Object, "v1.ObjectMeta"));
        if let Some(m) = meta {
            for key in ["name", "generateName", "namespace"] {
                // Paths are made only for a value of the wrong type.
                if let Some(v) = m.get(key).filter(|v| !v.is_string()) {
                    let p = at.clone().key(key);
                    self.typed(v, &p, &p, "ObjectMeta", Want::String, "string");
                }
            }
            for key in ["labels", "annotations"] {
                let p = at.clone().key(key);
                let Some(map) = m
                    .get(key)
                    .filter(|v| {
                        self.typed(v, &p, &p, "ObjectMeta", Want::Object, "map[string]string")
                    })
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (k, v) in map.iter().filter(|(_, v)| !v.is_string()) {
                    self.typed(
                        v,
                        &p.clone().key(k.as_str()),
                        &p,
                        "ObjectMeta",
                        Want::String,
                        "string",
                    );
                }
            }
        }
        if needs_name {
            let set = |k: &str| {
                meta.and_then(|m| m.get(k))
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty())
            };
            if !set("name") && !set("generateName") {
                let p = at.clone().key("name");
                // At the name when it is written empty, else at metadata.
                let here = match meta {
                    Some(m) if m.get("name").is_some() => p.clone(),
                    Some(_) => at,
                    None => JsonPath::root(),
                };
                self.invalid_at(
                    &here,
                    &p,
                    "Required value: name or generateName is required",
                );
            }
        }
    }

    /// A validation error reported at `at` about the field `field`.
    fn invalid_at(&mut self, at: &JsonPath, field: &JsonPath, detail: &str) {
        let before = self.invalid.is_none();
        self.invalid(field, detail);
        if before {
            if let Some(e) = &mut self.invalid {
                e.path = at.clone();
            }
        }
    }

    fn pod_spec(&mut self, spec: Option<&Value>, at: &JsonPath) {
        let ctr_at = at.clone().key("containers");
        let containers = spec.and_then(|s| s.get("containers")).filter(|c| {
            !c.is_null()
                && self.typed(
                    c,
                    &ctr_at,
                    &ctr_at,
                    "PodSpec",
                    Want::Array,
                    "[]v1.Container",
                )
        });
        let count = self.containers(containers, &ctr_at);
        if count == 0 {
            // Point at the list when it is written, else at the spec (or the
            // object when there is no spec).
            let where_ = if containers.is_some() {
                ctr_at.clone()
            } else if spec.is_some() {
                at.clone()
            } else {
                JsonPath::root()
            };
            self.invalid_at(&where_, &ctr_at, "Required value");
        }
        let init_at = at.clone().key("initContainers");
        let init = spec.and_then(|s| s.get("initContainers")).filter(|c| {
            !c.is_null()
                && self.typed(
                    c,
                    &init_at,
                    &init_at,
                    "PodSpec",
                    Want::Array,
                    "[]v1.Container",
                )
        });
        self.containers(init, &init_at);
        let vol_at = at.clone().key("volumes");
        if let Some(vols) = spec
            .and_then(|s| s.get("volumes"))
            .filter(|v| {
                !v.is_null()
                    && self.typed(v, &vol_at, &vol_at, "PodSpec", Want::Array, "[]v1.Volume")
            })
            .and_then(Value::as_array)
        {
            for (i, v) in vols.iter().enumerate().filter(|(_, v)| !v.is_object()) {
                self.typed(
                    v,
                    &vol_at.clone().index(i),
                    &vol_at,
                    "PodSpec",
                    Want::Object,
                    "v1.Volume",
                );
            }
        }
    }

    /// Checks a container list; returns how many entries it has.
    fn containers(&mut self, list: Option<&Value>, at: &JsonPath) -> usize {
        let Some(list) = list.and_then(Value::as_array) else {
            return 0;
        };
        for (i, c) in list.iter().enumerate() {
            let cp = || at.clone().index(i);
            if !c.is_object() {
                self.typed(c, &cp(), at, "PodSpec", Want::Object, "v1.Container");
                continue;
            }
            let name_at = || cp().key("name");
            match c.get("name") {
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(Value::Null) | None => self.invalid_at(&cp(), &name_at(), "Required value"),
                Some(Value::String(_)) => self.invalid(&name_at(), "Required value"),
                Some(other) => {
                    self.type_error(
                        &name_at(),
                        other,
                        &at.clone().key("name"),
                        "Container",
                        "string",
                    );
                }
            }
            for (key, go_type, elem) in [
                ("env", "[]v1.EnvVar", "v1.EnvVar"),
                ("volumeMounts", "[]v1.VolumeMount", "v1.VolumeMount"),
            ] {
                let lp = || cp().key(key);
                let field = || at.clone().key(key);
                let Some(items) = c
                    .get(key)
                    .filter(|v| {
                        !v.is_null()
                            && (v.is_array()
                                || self.typed(
                                    v,
                                    &lp(),
                                    &field(),
                                    "Container",
                                    Want::Array,
                                    go_type,
                                ))
                    })
                    .and_then(Value::as_array)
                else {
                    continue;
                };
                for (j, item) in items.iter().enumerate().filter(|(_, v)| !v.is_object()) {
                    self.typed(
                        item,
                        &lp().index(j),
                        &field(),
                        "Container",
                        Want::Object,
                        elem,
                    );
                }
            }
        }
        list.len()
    }
}

/// Whether a JSON value decodes into an integer in `[min, max]`. kubectl
/// sends YAML numbers through float64, so `3.0` arrives as `3`.
fn fits(v: &Value, min: i64, max: i64) -> bool {
    let Value::Number(n) = v else { return false };
    if let Some(i) = n.as_i64() {
        return (min..=max).contains(&i);
    }
    if n.is_u64() {
        return false;
    }
    n.as_f64().is_some_and(|f| {
        #[allow(clippy::cast_precision_loss)]
        let in_range = f >= min as f64 && f <= max as f64;
        f.fract() == 0.0 && in_range
    })
}

/// The decoder's field stack: JSON names joined by dots, indexes left out.
fn field_stack(p: &JsonPath) -> String {
    p.0.iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(spec_template: Value) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"replicas": 2, "template": spec_template}
        })
    }

    fn err(kind: WorkloadKind, v: &Value) -> (String, String) {
        let e = check(kind, v).expect_err("refused");
        (e.path.to_string(), e.message)
    }

    #[test]
    fn a_well_formed_deployment_passes() {
        let d = deployment(
            json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "x"}]}}),
        );
        assert_eq!(check(WorkloadKind::Deployment, &d), Ok(()));
    }

    #[test]
    fn containers_as_a_map_is_a_decode_error() {
        let d = deployment(json!({"spec": {"containers": {"name": "app", "image": "x"}}}));
        assert_eq!(
            err(WorkloadKind::Deployment, &d),
            (
                "spec.template.spec.containers".into(),
                "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container".into()
            )
        );
    }

    #[test]
    fn replicas_as_a_string_is_a_decode_error() {
        let mut d = deployment(json!({"spec": {"containers": [{"name": "app"}]}}));
        d["spec"]["replicas"] = json!("3");
        let (path, message) = err(WorkloadKind::Deployment, &d);
        assert_eq!(path, "spec.replicas");
        assert!(message.ends_with("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"), "{message}");
        d["spec"]["replicas"] = json!(3.0);
        assert_eq!(check(WorkloadKind::Deployment, &d), Ok(()));
        d["spec"]["replicas"] = json!(3_000_000_000_i64);
        assert!(err(WorkloadKind::Deployment, &d)
            .1
            .contains("cannot unmarshal number 3000000000 into"));
    }

    #[test]
    fn decode_errors_come_before_missing_fields() {
        let mut d = deployment(json!({"spec": {"containers": []}}));
        d["metadata"]["labels"] = json!({"a": 1});
        let (path, message) = err(WorkloadKind::Deployment, &d);
        assert_eq!(path, "metadata.labels.a");
        assert!(message.ends_with("cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"), "{message}");
        d["metadata"]["labels"] = json!({"a": "1"});
        assert_eq!(
            err(WorkloadKind::Deployment, &d),
            (
                "spec.template.spec.containers".into(),
                "Deployment.apps \"web\" is invalid: spec.template.spec.containers: Required value"
                    .into()
            )
        );
    }

    #[test]
    fn nested_templates_carry_their_go_types() {
        let c = json!({
            "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"jobTemplate": {"spec": {"parallelism": "2", "template": {"spec": {"containers": [{"name": "a"}]}}}}}
        });
        let (path, message) = err(WorkloadKind::CronJob, &c);
        assert_eq!(path, "spec.jobTemplate.spec.parallelism");
        assert!(
            message.ends_with(
                "Go struct field JobSpec.spec.jobTemplate.spec.parallelism of type int32"
            ),
            "{message}"
        );
        let u = json!({
            "apiVersion": "apps.kruise.io/v1alpha1", "kind": "UnitedDeployment", "metadata": {"name": "u"},
            "spec": {"template": {"cloneSetTemplate": {"spec": {"template": "x"}}}}
        });
        let (path, message) = err(WorkloadKind::UnitedDeployment, &u);
        assert_eq!(path, "spec.template.cloneSetTemplate.spec.template");
        assert!(message.ends_with("cannot unmarshal string into Go struct field CloneSetSpec.spec.template.cloneSetTemplate.spec.template of type v1.PodTemplateSpec"), "{message}");
    }

    #[test]
    fn chains_follow_the_workload_table() {
        use crate::workload::{template_sites, WorkloadKind as K};
        for kind in [
            K::PodTemplate,
            K::Deployment,
            K::ReplicaSet,
            K::StatefulSet,
            K::DaemonSet,
            K::ReplicationController,
            K::Job,
            K::CronJob,
            K::CloneSet,
            K::AdvancedStatefulSet,
            K::AdvancedDaemonSet,
            K::BroadcastJob,
            K::AdvancedCronJob,
            K::UnitedDeployment,
        ] {
            // An object holding every template the chains describe.
            let mut obj = json!({"apiVersion": "apps.kruise.io/v1alpha1"});
            let mut want = Vec::new();
            for chain in chains(kind) {
                let keys: Vec<&str> = chain.iter().map(|s| s.key).collect();
                let mut cur = &mut obj;
                for k in &keys {
                    cur = &mut cur[*k];
                    if cur.is_null() {
                        *cur = json!({});
                    }
                }
                want.push(JsonPath::keys(&keys));
            }
            let got: Vec<JsonPath> = template_sites(kind, &obj)
                .into_iter()
                .map(|s| s.path)
                .collect();
            assert_eq!(got, want, "{kind:?}");
        }
    }

    #[test]
    fn pods_need_a_name_and_a_container() {
        let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "a"}]}});
        assert_eq!(
            err(WorkloadKind::Pod, &p),
            ("metadata".into(), "Pod \"\" is invalid: metadata.name: Required value: name or generateName is required".into())
        );
        let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "w-"}, "spec": {}});
        assert_eq!(
            err(WorkloadKind::Pod, &p),
            (
                "spec".into(),
                "Pod \"\" is invalid: spec.containers: Required value".into()
            )
        );
        let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w"}, "spec": {"containers": [{"name": "a", "env": [1]}]}});
        assert!(err(WorkloadKind::Pod, &p).1.ends_with("cannot unmarshal number into Go struct field Container.spec.containers.env of type v1.EnvVar"));
    }
}
