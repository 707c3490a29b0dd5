//! The KRM functions protocol (kpt `fn eval`/`fn render`, kustomize exec
//! functions): a `config.kubernetes.io` `ResourceList` in, a `ResourceList`
//! with the items and `results` out.
//!
//! `inject` answers as a mutator, `lint` as a validator. Items the function
//! does not change are copied from the input text, so a package round-trips
//! byte for byte through kpt (quoting, comments and kpt's own bookkeeping
//! annotations included); changed items are re-emitted with their comments.
//! A failure echoes the items as read, reports `severity: error` results and
//! exits non-zero: kpt then writes nothing.

use super::args::{Cli, Command, InjectArgs, LintArgs};
use super::error::CliError;
use super::input;
use crate::cluster::{ClusterState, Hashes};
use crate::document::{Class, Format, Inputs};
use crate::inject::Outcome as Decision;
use crate::lint::{self, Severity};
use crate::path::JsonPath;
use serde_json::{json, Map, Value};
use std::io::Write;

/// `apiVersion` of the function configurations this tool defines.
pub const FN_API_VERSION: &str = "sidecarset.kruise.io/v1alpha1";
/// `inject`'s typed function configuration.
pub const INJECTION_KIND: &str = "SidecarSetInjection";
/// `lint`'s typed function configuration.
pub const LINT_KIND: &str = "SidecarSetLint";

/// Where kpt (and kustomize) record an item's file and its position in it.
/// The `internal.` keys are current; the others are the legacy spelling
/// older orchestrators still send.
const PATH_ANNOTATIONS: [&str; 2] = [
    "internal.config.kubernetes.io/path",
    "config.kubernetes.io/path",
];
const INDEX_ANNOTATIONS: [&str; 2] = [
    "internal.config.kubernetes.io/index",
    "config.kubernetes.io/index",
];

/// The document of `inputs` that is a `ResourceList`, when the input is
/// exactly one (policy files given with flags aside).
pub fn resource_list(inputs: &Inputs) -> Option<usize> {
    let mut found = None;
    for (i, d) in inputs.docs.iter().enumerate() {
        if d.policy_only {
            continue;
        }
        let Some(v) = &d.value else { continue };
        if found.is_some() || !is_resource_list(v) {
            return None;
        }
        found = Some(i);
    }
    found
}

fn is_resource_list(v: &Value) -> bool {
    v.get("kind").and_then(Value::as_str) == Some("ResourceList")
        && v.get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|a| a.starts_with("config.kubernetes.io/"))
}

/// One entry of `results`.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    severity: Severity,
    message: String,
    resource_ref: Option<Value>,
    field: Option<String>,
    file: Option<Value>,
    rule: Option<String>,
}

impl Entry {
    fn new(severity: Severity, message: String) -> Self {
        Entry {
            severity,
            message,
            resource_ref: None,
            field: None,
            file: None,
            rule: None,
        }
    }

    /// About `obj`: its reference, and its file as the orchestrator recorded it.
    fn about(mut self, obj: &Value, field: &JsonPath) -> Self {
        self.resource_ref = Some(resource_ref(obj));
        self.file = file_ref(obj);
        if !field.0.is_empty() {
            self.field = Some(field.to_string());
        }
        self
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("message".into(), Value::String(self.message.clone()));
        m.insert("severity".into(), self.severity.as_str().into());
        if let Some(r) = &self.resource_ref {
            m.insert("resourceRef".into(), r.clone());
        }
        if let Some(f) = &self.field {
            m.insert("field".into(), json!({ "path": f }));
        }
        if let Some(f) = &self.file {
            m.insert("file".into(), f.clone());
        }
        if let Some(r) = &self.rule {
            m.insert("tags".into(), json!({ "rule": r }));
        }
        Value::Object(m)
    }
}

fn resource_ref(obj: &Value) -> Value {
    let mut m = Map::new();
    for (key, pointer) in [
        ("apiVersion", "/apiVersion"),
        ("kind", "/kind"),
        ("name", "/metadata/name"),
        ("namespace", "/metadata/namespace"),
    ] {
        if let Some(s) = obj.pointer(pointer).and_then(Value::as_str) {
            if !s.is_empty() {
                m.insert(key.into(), Value::String(s.to_string()));
            }
        }
    }
    Value::Object(m)
}

fn file_ref(obj: &Value) -> Option<Value> {
    let annotations = obj.pointer("/metadata/annotations")?;
    let first = |keys: [&str; 2]| {
        keys.iter()
            .find_map(|k| annotations.get(*k).and_then(Value::as_str))
    };
    let path = first(PATH_ANNOTATIONS)?;
    let mut file = json!({ "path": path });
    if let Some(index) = first(INDEX_ANNOTATIONS).and_then(|i| i.trim().parse::<u64>().ok()) {
        file["index"] = Value::from(index);
    }
    Some(file)
}

/// A run that stops: the items go back as read, with `entries`.
#[derive(Debug)]
struct Failure {
    entries: Vec<Entry>,
    /// 1 refused (webhook, validation), 2 unusable input or configuration.
    code: u8,
}

impl Failure {
    fn input(entry: Entry) -> Self {
        Failure {
            entries: vec![entry],
            code: 2,
        }
    }
}

/// What the ResourceList holds besides its items.
struct List {
    /// A copy: the run adds to the inputs while it reads the configuration.
    config: Option<Value>,
}

impl List {
    fn new(inputs: &Inputs, doc: usize) -> Self {
        let config = inputs.docs[doc]
            .value
            .as_ref()
            .and_then(|v| v.get("functionConfig"))
            .filter(|c| !c.is_null())
            .cloned();
        List { config }
    }

    /// An entry about a field of the function configuration.
    fn config_entry(&self, severity: Severity, message: String, path: &JsonPath) -> Entry {
        let e = Entry::new(severity, message);
        match &self.config {
            Some(c) => e.about(c, path),
            None => e,
        }
    }
}

/// The `results` the input already carries (from earlier functions).
fn earlier_results(inputs: &Inputs, doc: usize) -> Vec<Value> {
    inputs.docs[doc]
        .value
        .as_ref()
        .and_then(|v| v.get("results"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Indexes into `inputs.resources` of the ResourceList's items, in order.
fn item_resources(inputs: &Inputs, doc: usize) -> Vec<usize> {
    (0..inputs.resources.len())
        .filter(|&i| inputs.resources[i].doc == doc && inputs.resources[i].item.is_some())
        .collect()
}

// ---------------------------------------------------------------------------
// Function configuration

/// `inject`'s settings from the function configuration.
#[derive(Debug, Default, PartialEq)]
struct InjectConfig {
    /// Inline SidecarSets and where they are in the configuration.
    sidecar_sets: Vec<(Value, JsonPath)>,
    files: Vec<(String, JsonPath)>,
    namespace: Option<String>,
    gates: Option<(String, JsonPath)>,
    /// Refuse SidecarSets the validating webhook would reject.
    validate: bool,
}

#[derive(Debug, PartialEq)]
struct ConfigError {
    path: JsonPath,
    message: String,
}

fn config_error(path: JsonPath, message: impl Into<String>) -> ConfigError {
    ConfigError {
        path,
        message: message.into(),
    }
}

/// The kinds of function configuration a command takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConfigKind {
    /// kpt's `ConfigMap` (`--fn-config`, `-- key=value`, or the empty default).
    ConfigMap,
    Typed,
}

fn config_kind(config: &Value, typed: &str) -> Result<ConfigKind, ConfigError> {
    let api_version = config
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    match (api_version, kind) {
        ("v1", "ConfigMap") => Ok(ConfigKind::ConfigMap),
        (FN_API_VERSION, k) if k == typed => Ok(ConfigKind::Typed),
        _ => Err(config_error(
            JsonPath::root(),
            format!(
                "functionConfig {api_version}/{kind} is not supported: use a {typed} ({FN_API_VERSION}) or a v1 ConfigMap"
            ),
        )),
    }
}

/// The entries of a ConfigMap's `data` (or a typed configuration's `spec`),
/// each checked against `known`.
fn fields<'v>(
    config: &'v Value,
    section: &str,
    known: &[&str],
) -> Result<Vec<(&'v str, &'v Value, JsonPath)>, ConfigError> {
    let base = JsonPath::keys(&[section]);
    let map = match config.get(section) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(config_error(base, "expected a mapping")),
    };
    let mut out = Vec::new();
    for (k, v) in map {
        let path = base.clone().key(k.as_str());
        if !known.contains(&k.as_str()) {
            return Err(config_error(
                path,
                format!("unknown field {k:?}; expected one of {}", known.join(", ")),
            ));
        }
        out.push((k.as_str(), v, path));
    }
    Ok(out)
}

fn string<'v>(v: &'v Value, path: &JsonPath) -> Result<&'v str, ConfigError> {
    v.as_str()
        .ok_or_else(|| config_error(path.clone(), "expected a string"))
}

/// A boolean; ConfigMap values are strings.
fn boolean(v: &Value, path: &JsonPath) -> Result<bool, ConfigError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        _ => Err(config_error(path.clone(), "expected true or false")),
    }
}

/// A list: a sequence of strings, or one string of comma- or
/// newline-separated words (the only form a ConfigMap can carry).
fn list(v: &Value, path: &JsonPath) -> Result<Vec<(String, JsonPath)>, ConfigError> {
    match v {
        Value::String(s) => Ok(s
            .split([',', '\n'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| (w.to_string(), path.clone()))
            .collect()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let p = path.clone().index(i);
                string(item, &p).map(|s| (s.to_string(), p))
            })
            .collect(),
        _ => Err(config_error(
            path.clone(),
            "expected a list of strings or a comma-separated string",
        )),
    }
}

/// Feature gates as `--feature-gates` spells them: a string, or a mapping
/// of gate names to booleans.
fn gates_value(v: &Value, path: &JsonPath) -> Result<String, ConfigError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Object(m) => m
            .iter()
            .map(|(k, on)| boolean(on, &path.clone().key(k.as_str())).map(|b| format!("{k}={b}")))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        _ => Err(config_error(
            path.clone(),
            "expected a string such as A=true,B=false or a mapping of gates to booleans",
        )),
    }
}

fn inject_config(config: Option<&Value>) -> Result<InjectConfig, ConfigError> {
    let mut out = InjectConfig {
        validate: true,
        ..InjectConfig::default()
    };
    let Some(config) = config else {
        return Ok(out);
    };
    let (section, known): (&str, &[&str]) = match config_kind(config, INJECTION_KIND)? {
        ConfigKind::ConfigMap => (
            "data",
            &["sidecarSetFiles", "namespace", "featureGates", "validate"],
        ),
        ConfigKind::Typed => (
            "spec",
            &[
                "sidecarSets",
                "sidecarSetFiles",
                "namespace",
                "featureGates",
                "validate",
            ],
        ),
    };
    for (key, v, path) in fields(config, section, known)? {
        match key {
            "sidecarSets" => {
                let items = v
                    .as_array()
                    .ok_or_else(|| config_error(path.clone(), "expected a list of SidecarSets"))?;
                for (i, s) in items.iter().enumerate() {
                    let p = path.clone().index(i);
                    let api_version = s.get("apiVersion").and_then(Value::as_str).unwrap_or("");
                    let kind = s.get("kind").and_then(Value::as_str).unwrap_or("");
                    if !s.is_object() || Class::of(api_version, kind) != Class::SidecarSet {
                        return Err(config_error(
                            p,
                            "expected a SidecarSet (apps.kruise.io/v1alpha1 or v1beta1)",
                        ));
                    }
                    out.sidecar_sets.push((s.clone(), p));
                }
            }
            "sidecarSetFiles" => out.files = list(v, &path)?,
            "namespace" => {
                let ns = string(v, &path)?.trim();
                out.namespace = (!ns.is_empty()).then(|| ns.to_string());
            }
            "featureGates" => out.gates = Some((gates_value(v, &path)?, path)),
            "validate" => out.validate = boolean(v, &path)?,
            _ => {}
        }
    }
    Ok(out)
}

/// `lint`'s settings from the function configuration.
#[derive(Debug, Default, PartialEq)]
struct LintConfig {
    gates: Option<(String, JsonPath)>,
    ignore: Vec<String>,
    strict: bool,
}

fn lint_config(config: Option<&Value>) -> Result<LintConfig, ConfigError> {
    let mut out = LintConfig::default();
    let Some(config) = config else {
        return Ok(out);
    };
    let section = match config_kind(config, LINT_KIND)? {
        ConfigKind::ConfigMap => "data",
        ConfigKind::Typed => "spec",
    };
    for (key, v, path) in fields(config, section, &["featureGates", "ignore", "strict"])? {
        match key {
            "featureGates" => out.gates = Some((gates_value(v, &path)?, path)),
            "ignore" => out.ignore = list(v, &path)?.into_iter().map(|(s, _)| s).collect(),
            "strict" => out.strict = boolean(v, &path)?,
            _ => {}
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// inject

/// `inject` over a ResourceList: the mutator.
pub fn inject(
    args: &InjectArgs,
    mut inputs: Inputs,
    doc: usize,
    out: &mut impl Write,
) -> Result<u8, CliError> {
    let original = inputs.docs[doc].value.clone();
    let mut results = earlier_results(&inputs, doc);
    let (_, code) = match run_inject(args, &mut inputs, doc) {
        Ok((changed, entries)) => {
            results.extend(entries.iter().map(Entry::to_value));
            (changed, 0)
        }
        Err(failure) => {
            // Anything injected before the refusal is dropped with the rest.
            inputs.docs[doc].value = original;
            report(&failure.entries);
            results.extend(failure.entries.iter().map(Entry::to_value));
            (Vec::new(), failure.code)
        }
    };
    let mut buf = Vec::new();
    write_list(&inputs, doc, &results, &mut buf)?;
    out.write_all(&buf)?;
    super::discard(inputs);
    Ok(code)
}

/// What stops a run also goes to standard error, for runners that show it.
fn report(entries: &[Entry]) {
    for e in entries.iter().filter(|e| e.severity == Severity::Error) {
        let mut about = String::new();
        if let Some(path) = e
            .file
            .as_ref()
            .and_then(|f| f.get("path"))
            .and_then(Value::as_str)
        {
            about.push_str(&format!("{path}: "));
        }
        if let Some(r) = &e.resource_ref {
            let part = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
            let ns = part("namespace");
            let ns = if ns.is_empty() {
                String::new()
            } else {
                format!("{ns}/")
            };
            about.push_str(&format!("{}/{ns}{}: ", part("kind"), part("name")));
        }
        eprintln!("error: {about}{}", e.message);
    }
}

/// Per item, whether it changed; and the entries to report.
fn run_inject(
    args: &InjectArgs,
    inputs: &mut Inputs,
    doc: usize,
) -> Result<(Vec<bool>, Vec<Entry>), Failure> {
    let list = List::new(inputs, doc);
    let config = inject_config(list.config.as_ref())
        .map_err(|e| Failure::input(list.config_entry(Severity::Error, e.message, &e.path)))?;
    let config_entry = |message: String, path: &JsonPath| {
        Failure::input(list.config_entry(Severity::Error, message, path))
    };
    let mut settings = super::settings(&args.engine)
        .map_err(|e| Failure::input(Entry::new(Severity::Error, e.to_string())))?;
    if let Some((spec, path)) = &config.gates {
        settings
            .gates
            .apply(spec)
            .map_err(|m| config_entry(m.to_string(), path))?;
    }
    for (file, path) in &config.files {
        input::load_policy(inputs, std::slice::from_ref(file), false)
            .map_err(|e| config_entry(e.to_string(), path))?;
    }
    // Inline SidecarSets are policy without text of their own: remember
    // which resources they became, to point at the configuration.
    let mut inline = Vec::new();
    for (s, path) in &config.sidecar_sets {
        inline.push((inputs.resources.len(), path.clone()));
        inputs.add_value(s.clone(), Class::SidecarSet);
    }
    let origin = Origin {
        doc,
        config: list.config.as_ref(),
        inline: &inline,
    };
    // The cluster the webhook reads, its SidecarSets in webhook form once.
    let cluster = ClusterState::from_inputs(inputs, Hashes::Recorded);
    check_sidecar_sets(inputs, &cluster, &origin, config.validate)?;
    let items = item_resources(inputs, doc);
    // Where items without a namespace will be applied: matching reads it,
    // the items are not given it.
    if let Some(ns) = &config.namespace {
        settings.namespace = ns.clone();
    }
    let outcome =
        crate::pod_webhook::inject_all(inputs, &cluster, &settings).map_err(|e| match e {
            crate::pod_webhook::Error::Undecodable(e) => {
                Failure::input(Entry::new(Severity::Error, e.to_string()))
            }
            crate::pod_webhook::Error::Refused(r) => refusal(inputs, &items, r),
        })?;

    let mut changed = vec![false; items.len()];
    let mut entries = Vec::new();
    for t in &outcome.templates {
        let Ok(pos) = items.binary_search(&t.resource) else {
            continue;
        };
        changed[pos] |= t.changed;
        let obj = inputs.value(&inputs.resources[t.resource]);
        let injected: Vec<String> = t
            .report
            .decisions
            .iter()
            .filter_map(|d| match &d.outcome {
                Decision::Injected { revision: Some(r) } => {
                    Some(format!("{} (revision {r})", d.sidecar_set))
                }
                Decision::Injected { revision: None } => Some(d.sidecar_set.clone()),
                Decision::Skipped { .. } => None,
            })
            .collect();
        if !injected.is_empty() && !args.quiet {
            entries.push(
                Entry::new(Severity::Info, format!("injected {}", injected.join(", ")))
                    .about(obj, &t.site),
            );
        }
        for w in &t.report.warnings {
            entries.push(Entry::new(Severity::Warning, w.clone()).about(obj, &t.site));
        }
    }
    Ok((changed, entries))
}

/// Where a resource of the run came from, to report on it.
struct Origin<'a> {
    doc: usize,
    config: Option<&'a Value>,
    /// Resource index of each inline SidecarSet, and its path in the configuration.
    inline: &'a [(usize, JsonPath)],
}

impl Origin<'_> {
    /// An entry about `path` of resource `idx`.
    fn entry(&self, inputs: &Inputs, idx: usize, path: &JsonPath, e: Entry) -> Entry {
        let r = &inputs.resources[idx];
        if r.doc == self.doc {
            return e.about(inputs.value(r), path);
        }
        if let Some((_, at)) = self.inline.iter().find(|(i, _)| *i == idx) {
            return match self.config {
                Some(c) => e.about(c, &at.clone().join(path)),
                None => e,
            };
        }
        // A policy file of the flags or the configuration: not in the package,
        // so its position goes in the message.
        let loc = inputs.locate(r, path);
        Entry {
            message: format!("{loc}: {}", e.message),
            ..e
        }
        .about(inputs.value(r), path)
    }
}

/// Every SidecarSet must have the stored form the webhook works on and, with
/// `validate`, pass the validating webhook (SSV rules, as a CREATE).
fn check_sidecar_sets(
    inputs: &Inputs,
    cluster: &ClusterState,
    origin: &Origin<'_>,
    validate: bool,
) -> Result<(), Failure> {
    let sets: Vec<usize> = cluster.sidecar_sets.iter().map(|s| s.resource).collect();
    let mut entries = Vec::new();
    for s in &cluster.sidecar_sets {
        if let Err(e) = &s.form {
            let entry = Entry::new(Severity::Error, e.message.clone());
            entries.push(origin.entry(inputs, s.resource, &e.path, entry));
        }
    }
    if !entries.is_empty() {
        return Err(Failure { entries, code: 2 });
    }
    if !validate {
        return Ok(());
    }
    let values: Vec<Value> = sets
        .iter()
        .map(|&i| inputs.value(&inputs.resources[i]).clone())
        .collect();
    let findings = lint::lint(&lint::Input {
        resources: &values,
        old_sidecar_sets: &[],
        gates: crate::features::FeatureGates::default(),
        namespace: "",
    });
    for f in findings
        .iter()
        .filter(|f| f.rule.starts_with("SSV") && f.severity == Severity::Error)
    {
        let entry = Entry {
            rule: Some(f.rule.clone()),
            ..Entry::new(
                Severity::Error,
                format!(
                    "admission webhook \"vsidecarset.kb.io\" denied the request: {} [{}]",
                    f.message, f.rule
                ),
            )
        };
        entries.push(origin.entry(inputs, sets[f.resource], &f.path, entry));
    }
    if entries.is_empty() {
        Ok(())
    } else {
        Err(Failure { entries, code: 1 })
    }
}

/// The webhook's refusal as an entry about the item and template it is about.
fn refusal(inputs: &Inputs, items: &[usize], r: crate::pod_webhook::Refusal) -> Failure {
    let message = format!(
        "admission webhook \"mpod.kb.io\" denied the request: {}",
        r.rejection.message
    );
    let mut entry = Entry::new(Severity::Error, message);
    // The refusal names the template by position; find the item and site there.
    let found = items.iter().find_map(|&i| {
        let res = &inputs.resources[i];
        let Class::Workload(kind) = res.class else {
            return None;
        };
        crate::workload::template_sites(kind, inputs.value(res))
            .into_iter()
            .find(|s| inputs.locate(res, &s.path) == r.location)
            .map(|s| (res, s.path))
    });
    match found {
        Some((res, site)) => entry = entry.about(inputs.value(res), &site),
        None => entry.message = format!("{}: {}", r.object, entry.message),
    }
    Failure {
        entries: vec![entry],
        code: 1,
    }
}

// ---------------------------------------------------------------------------
// lint

/// `lint` over a ResourceList: the validator. Items go back unchanged.
pub fn lint(
    args: &LintArgs,
    inputs: Inputs,
    doc: usize,
    out: &mut impl Write,
) -> Result<u8, CliError> {
    let mut results = earlier_results(&inputs, doc);
    let code = match run_lint(args, &inputs, doc) {
        Ok((entries, failing)) => {
            results.extend(entries.iter().map(Entry::to_value));
            u8::from(failing)
        }
        Err(failure) => {
            report(&failure.entries);
            results.extend(failure.entries.iter().map(Entry::to_value));
            failure.code
        }
    };
    let mut buf = Vec::new();
    write_list(&inputs, doc, &results, &mut buf)?;
    out.write_all(&buf)?;
    Ok(code)
}

fn run_lint(args: &LintArgs, inputs: &Inputs, doc: usize) -> Result<(Vec<Entry>, bool), Failure> {
    let list = List::new(inputs, doc);
    let config = lint_config(list.config.as_ref())
        .map_err(|e| Failure::input(list.config_entry(Severity::Error, e.message, &e.path)))?;
    let as_entry = |e: CliError| Failure::input(Entry::new(Severity::Error, e.to_string()));
    let mut gates = input::gates(&args.engine).map_err(as_entry)?;
    if let Some((spec, path)) = &config.gates {
        gates
            .apply(spec)
            .map_err(|m| Failure::input(list.config_entry(Severity::Error, m.to_string(), path)))?;
    }
    let old_inputs = input::load_separate(&args.from).map_err(as_entry)?;
    let old: Vec<Value> = old_inputs
        .of_class(Class::SidecarSet)
        .map(|r| old_inputs.value(r).clone())
        .collect();
    // The items and the policy files of the flags; not the list itself.
    let checked: Vec<usize> = (0..inputs.resources.len())
        .filter(|&i| inputs.resources[i].doc != doc || inputs.resources[i].item.is_some())
        .collect();
    let values: Vec<Value> = checked
        .iter()
        .map(|&i| inputs.value(&inputs.resources[i]).clone())
        .collect();
    let findings = lint::lint(&lint::Input {
        resources: &values,
        old_sidecar_sets: &old,
        gates,
        namespace: &args.engine.namespace,
    });
    let strict = args.strict || config.strict;
    let origin = Origin {
        doc,
        config: list.config.as_ref(),
        inline: &[],
    };
    let mut failing = false;
    let mut entries = Vec::new();
    for f in findings {
        if lint::suppressed(&args.ignore, &f.rule) || lint::suppressed(&config.ignore, &f.rule) {
            continue;
        }
        failing |= f.severity == Severity::Error || (strict && f.severity == Severity::Warning);
        let entry = Entry {
            rule: Some(f.rule.clone()),
            ..Entry::new(f.severity, format!("[{}] {}", f.rule, f.message))
        };
        entries.push(origin.entry(inputs, checked[f.resource], &f.path, entry));
    }
    Ok((entries, failing))
}

// ---------------------------------------------------------------------------
// Invoked with no subcommand

/// kustomize's exec functions run a path with no arguments: with a
/// ResourceList on standard input and no subcommand, the function
/// configuration's kind picks the command (`SidecarSetLint` lints,
/// anything else injects). `None` when the tool was given arguments or
/// nothing to read, so the usual command line applies.
pub fn bare(argv: &[std::ffi::OsString], out: &mut dyn Write, err: &mut dyn Write) -> Option<u8> {
    if argv.len() != 1 || crate::source::stdin_is_terminal() {
        return None;
    }
    let read = crate::source::read_stdin().and_then(|bytes| {
        String::from_utf8(bytes).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
    });
    let text = match read {
        Ok(text) => text,
        Err(e) => {
            let _ = writeln!(err, "error: <stdin>: {e}");
            return Some(2);
        }
    };
    if text.trim().is_empty() {
        return None;
    }
    let result = run_bare(text, &mut &mut *out);
    let flushed = out.flush();
    Some(
        match result.and_then(|c| flushed.map(|()| c).map_err(CliError::from)) {
            Ok(code) => code,
            Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                e.exit_code()
            }
        },
    )
}

fn run_bare(text: String, out: &mut impl Write) -> Result<u8, CliError> {
    let mut inputs = Inputs::default();
    inputs.add(
        crate::source::SourceFile::new("<stdin>".into(), text),
        false,
    )?;
    let Some(doc) = resource_list(&inputs) else {
        return Err(CliError::Usage(
            "no subcommand: without one, standard input must be a KRM ResourceList (see --help)"
                .into(),
        ));
    };
    let lints = List::new(&inputs, doc)
        .config
        .as_ref()
        .and_then(|c| c.get("kind"))
        .and_then(Value::as_str)
        == Some(LINT_KIND);
    let word = if lints { "lint" } else { "inject" };
    let cli = <Cli as clap::Parser>::try_parse_from(["kubectl-sidecarset", word])
        .map_err(|e| CliError::Usage(e.to_string()))?;
    match cli.command {
        Command::Inject(a) => inject(&a, inputs, doc, out),
        Command::Lint(a) => lint(&a, inputs, doc, out),
        _ => Err(CliError::Usage(format!("{word}: not a KRM function"))),
    }
}

// ---------------------------------------------------------------------------
// Output

/// Writes the ResourceList: its text as read, with only what changed in
/// the items rewritten (`yaml::edit`) and `results` added, so kpt writes
/// the files of unchanged items back byte for byte.
fn write_list(
    inputs: &Inputs,
    doc: usize,
    results: &[Value],
    out: &mut impl Write,
) -> Result<(), CliError> {
    let d = &inputs.docs[doc];
    let current = d.value.as_ref().unwrap_or(&Value::Null);
    let before = d.original.as_ref().unwrap_or(current);
    let mut after = current.clone();
    if let Some(obj) = after.as_object_mut() {
        // The configuration is the function's input, not part of its output.
        obj.remove("functionConfig");
        if !results.is_empty() {
            obj.insert("results".into(), Value::Array(results.to_vec()));
        }
    }
    let json = d.format == Format::Json;
    let text = inputs
        .files
        .get(d.file)
        .map_or("", |f| &f.text[d.range.clone()]);
    let edited = if &after == before {
        Some(text.to_string())
    } else {
        d.positions
            .root()
            .and_then(|root| crate::yaml::edit::apply(text, root, before, &after, json))
    };
    match edited {
        Some(body) => {
            out.write_all(body.as_bytes())?;
            if !body.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
        None if json => crate::output::write_json_value(&after, out)?,
        None => out.write_all(crate::yaml::to_yaml(&after).as_bytes())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    const SIDECAR_SET: &str = "\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: filebeat
spec:
  selector:
    matchLabels:
      app: web
  containers:
  - name: filebeat
    image: elastic/filebeat:7.16.2
";

    /// An item as kpt writes it: its file, and its bookkeeping annotations.
    fn item(body: &str, file: &str, index: usize) -> String {
        let annotations = format!(
            "    annotations:\n      config.kubernetes.io/index: '{index}'\n      config.kubernetes.io/path: '{file}'\n      internal.config.kubernetes.io/index: '{index}'\n      internal.config.kubernetes.io/path: '{file}'\n      internal.config.kubernetes.io/seqindent: 'compact'\n"
        );
        // Indent the object under `- `, and put the annotations under metadata.
        let mut out = String::new();
        for (i, line) in body.lines().enumerate() {
            out.push_str(if i == 0 { "- " } else { "  " });
            out.push_str(line);
            out.push('\n');
            if line == "metadata:" {
                out.push_str(&annotations);
            }
        }
        out
    }

    fn deployment(name: &str, extra_env: &str) -> String {
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1 # one is enough
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx
{extra_env}"
        )
    }

    const CONFIG_MAP: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  # kept as written: quotes, comment, block scalar
  a: \"true\"
  script: |
    # not a comment
    - not an item
";

    fn list(items: &[String], config: &str) -> String {
        format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{}{config}",
            items.concat()
        )
    }

    fn load(text: &str) -> (Inputs, usize) {
        let mut inputs = Inputs::default();
        inputs
            .add(SourceFile::new("<stdin>".into(), text.to_string()), false)
            .expect("input parses");
        let doc = resource_list(&inputs).expect("a ResourceList");
        (inputs, doc)
    }

    fn parse_args(argv: &[&str]) -> Command {
        let mut full = vec!["kubectl-sidecarset"];
        full.extend_from_slice(argv);
        <Cli as clap::Parser>::try_parse_from(full)
            .expect("arguments parse")
            .command
    }

    fn run(command: &[&str], text: &str) -> (u8, String, Value) {
        let (inputs, doc) = load(text);
        let mut out = Vec::new();
        let code = match parse_args(command) {
            Command::Inject(a) => inject(&a, inputs, doc, &mut out),
            Command::Lint(a) => lint(&a, inputs, doc, &mut out),
            other => panic!("not a function: {other:?}"),
        }
        .expect("the run writes its answer");
        let out = String::from_utf8(out).expect("UTF-8");
        let value = crate::reader::parse_stream(&out)
            .expect("the answer parses")
            .into_iter()
            .next()
            .and_then(|c| c.value)
            .expect("one document");
        (code, out, value)
    }

    fn results(v: &Value) -> Vec<Value> {
        v.get("results")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    fn containers(v: &Value, item: usize) -> Vec<String> {
        v["items"][item]
            .pointer("/spec/template/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect()
    }

    fn inline_config(sidecar_set: &str) -> String {
        let mut out = String::from(
            "functionConfig:\n  apiVersion: sidecarset.kruise.io/v1alpha1\n  kind: SidecarSetInjection\n  metadata:\n    name: inject\n  spec:\n    sidecarSets:\n",
        );
        for (i, line) in sidecar_set.lines().enumerate() {
            out.push_str(if i == 0 { "    - " } else { "      " });
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    #[test]
    fn only_a_lone_resource_list_is_one() {
        let rl = list(&[item(CONFIG_MAP, "cm.yaml", 0)], "");
        assert!(load(&rl).1 == 0);
        let mut two = Inputs::default();
        let stream = format!("{rl}---\n{CONFIG_MAP}");
        two.add(SourceFile::new("s".into(), stream), false)
            .expect("parses");
        assert_eq!(resource_list(&two), None);
        let mut plain = Inputs::default();
        plain
            .add(
                SourceFile::new("s".into(), "apiVersion: v1\nkind: List\nitems: []\n".into()),
                false,
            )
            .expect("parses");
        assert_eq!(resource_list(&plain), None);
    }

    #[test]
    fn inline_sidecar_set_injects_and_other_items_come_back_as_read() {
        let cm = item(CONFIG_MAP, "cm.yaml", 1);
        let text = list(
            &[item(&deployment("web", ""), "deploy.yaml", 0), cm.clone()],
            &inline_config(SIDECAR_SET),
        );
        let (code, out, v) = run(&["inject"], &text);
        assert_eq!(code, 0, "{out}");
        assert_eq!(containers(&v, 0), ["filebeat", "app"]);
        assert!(
            out.contains(&cm),
            "the ConfigMap is not verbatim in:\n{out}"
        );
        assert!(out.contains("  replicas: 1 # one is enough\n"), "{out}");
        // kpt's bookkeeping is left alone on the changed item too.
        let ann = &v["items"][0]["metadata"]["annotations"];
        assert_eq!(ann["internal.config.kubernetes.io/path"], "deploy.yaml");
        assert_eq!(ann["config.kubernetes.io/index"], "0");
        assert_eq!(
            results(&v),
            [json!({
                "message": "injected filebeat",
                "severity": "info",
                "resourceRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "field": {"path": "spec.template"},
                "file": {"path": "deploy.yaml", "index": 0},
            })]
        );
        // The function configuration is not an item and is not echoed.
        assert!(v.get("functionConfig").is_none());
        assert_eq!(v["items"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn kpt_annotations_do_not_change_what_is_injected() {
        let with = list(
            &[
                item(SIDECAR_SET, "ss.yaml", 0),
                item(&deployment("web", ""), "deploy.yaml", 0),
            ],
            "",
        );
        let (code, _, v) = run(&["inject", "-q"], &with);
        assert_eq!(code, 0);
        let plain = list(
            &[
                format!("- {}", SIDECAR_SET.replace('\n', "\n  ").trim_end()),
                format!(
                    "\n- {}",
                    deployment("web", "").replace('\n', "\n  ").trim_end()
                ),
                "\n".to_string(),
            ],
            "",
        );
        let (code, _, p) = run(&["inject", "-q"], &plain);
        assert_eq!(code, 0);
        let stamp = regex::Regex::new(r#""updateTimestamp":"[^"]*""#).expect("regex");
        let template = |v: &Value| {
            stamp
                .replace_all(&v["items"][1]["spec"]["template"].to_string(), "")
                .into_owned()
        };
        assert!(template(&v).contains("sidecarset-hash"));
        assert_eq!(template(&v), template(&p));
        assert!(
            results(&v).is_empty(),
            "-q reports nothing when all is well"
        );
    }

    #[test]
    fn a_head_comment_on_the_dash_line_stays_with_the_changed_item() {
        let dep = item(&deployment("web", ""), "deploy.yaml", 0).replacen(
            "- apiVersion",
            "- # Copyright header\n  # second line\n  apiVersion",
            1,
        );
        let text = list(&[item(SIDECAR_SET, "ss.yaml", 0), dep], "");
        let (code, out, v) = run(&["inject"], &text);
        assert_eq!(code, 0);
        assert_eq!(containers(&v, 1), ["filebeat", "app"]);
        assert!(
            out.contains("\n- # Copyright header\n  # second line\n  apiVersion: apps/v1\n"),
            "{out}"
        );
        assert_eq!(out.matches("Copyright header").count(), 1, "{out}");
    }

    #[test]
    fn a_refusal_echoes_the_items_and_reports_the_workload() {
        let env = "        env:\n        - name: KRUISE_CONTAINER_PRIORITY\n          value: \"high\"\n      - name: other\n        image: busybox\n";
        let items = [
            item(SIDECAR_SET, "ss.yaml", 0),
            item(&deployment("web", env), "refused.yaml", 2),
            item(CONFIG_MAP, "cm.yaml", 0),
        ];
        let (code, out, v) = run(&["inject"], &list(&items, ""));
        assert_eq!(code, 1);
        assert!(
            out.contains(&items.concat()),
            "items not echoed as read:\n{out}"
        );
        let r = results(&v);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0]["severity"], "error");
        assert_eq!(
            r[0]["resourceRef"],
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"})
        );
        assert_eq!(r[0]["file"], json!({"path": "refused.yaml", "index": 2}));
        assert_eq!(r[0]["field"], json!({"path": "spec.template"}));
        let message = r[0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("mpod.kb.io") && message.contains("\"high\""),
            "{message}"
        );
    }

    #[test]
    fn an_invalid_sidecar_set_is_refused_unless_validation_is_off() {
        let bad = "apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: no-selector\nspec:\n  containers:\n  - name: c\n    image: busybox\n";
        let items = [
            item(bad, "bad.yaml", 0),
            item(&deployment("web", ""), "d.yaml", 0),
        ];
        let (code, _, v) = run(&["inject"], &list(&items, ""));
        assert_eq!(code, 1);
        let r = results(&v);
        assert_eq!(r[0]["tags"], json!({"rule": "SSV-020"}));
        assert_eq!(r[0]["resourceRef"]["name"], "no-selector");
        assert_eq!(r[0]["file"]["path"], "bad.yaml");
        let off = "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: function-input\n  data:\n    validate: \"false\"\n";
        let (code, _, v) = run(&["inject"], &list(&items, off));
        assert_eq!(code, 0, "{:?}", results(&v));
    }

    #[test]
    fn configuration_errors_point_at_the_field() {
        let typo = "functionConfig:\n  apiVersion: sidecarset.kruise.io/v1alpha1\n  kind: SidecarSetInjection\n  metadata:\n    name: inject\n  spec:\n    sidecarSetFile: x.yaml\n";
        let items = [item(CONFIG_MAP, "cm.yaml", 0)];
        let (code, out, v) = run(&["inject"], &list(&items, typo));
        assert_eq!(code, 2);
        assert!(out.contains(&items.concat()));
        let r = results(&v);
        assert_eq!(r[0]["field"]["path"], "spec.sidecarSetFile");
        assert_eq!(r[0]["resourceRef"]["kind"], "SidecarSetInjection");
        let other = "functionConfig:\n  apiVersion: example.com/v1\n  kind: Other\n";
        let (code, _, v) = run(&["inject"], &list(&items, other));
        assert_eq!(code, 2);
        assert!(results(&v)[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("example.com/v1/Other is not supported")));
        let missing = "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data:\n    sidecarSetFiles: /nonexistent/kss-krm.yaml\n";
        let (code, _, v) = run(&["inject"], &list(&items, missing));
        assert_eq!(code, 2);
        assert_eq!(results(&v)[0]["field"]["path"], "data.sidecarSetFiles");
    }

    #[test]
    fn the_namespace_is_for_matching_only() {
        let scoped = SIDECAR_SET.replace("spec:\n", "spec:\n  namespace: team-a\n");
        let items = [item(&deployment("web", ""), "d.yaml", 0)];
        let (code, out, v) = run(&["inject"], &list(&items, &inline_config(&scoped)));
        assert_eq!(code, 0);
        assert_eq!(containers(&v, 0), ["app"], "matched outside team-a");
        assert!(out.contains(&items.concat()));
        let config = inline_config(&scoped) + "    namespace: team-a\n";
        let (code, _, v) = run(&["inject"], &list(&items, &config));
        assert_eq!(code, 0);
        assert_eq!(containers(&v, 0), ["filebeat", "app"]);
        assert!(v["items"][0]["metadata"].get("namespace").is_none());
    }

    #[test]
    fn pods_are_not_given_the_default_namespace() {
        let pod = |name: &str, app: &str| {
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: {app}\nspec:\n  containers:\n  - name: app\n    image: nginx\n")
        };
        let other = item(&pod("other", "other"), "other.yaml", 0);
        let items = [
            item(SIDECAR_SET, "ss.yaml", 0),
            item(&pod("web", "web"), "web.yaml", 0),
            other.clone(),
        ];
        let (code, out, v) = run(&["inject"], &list(&items, ""));
        assert_eq!(code, 0);
        assert_eq!(v["items"][1]["spec"]["containers"][0]["name"], "filebeat");
        assert!(
            v["items"][1]["metadata"].get("namespace").is_none(),
            "{out}"
        );
        assert!(
            out.contains(&other),
            "an unmatched Pod was rewritten:\n{out}"
        );
    }

    #[test]
    fn lint_reports_findings_as_results_and_leaves_items_alone() {
        let bad = "apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: no-selector\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
        // Legacy annotations only: the file still comes from them.
        let legacy = item(bad, "bad.yaml", 3)
            .lines()
            .filter(|l| !l.contains("internal.config"))
            .map(|l| format!("{l}\n"))
            .collect::<String>();
        let items = [legacy, item(CONFIG_MAP, "cm.yaml", 0)];
        let (code, out, v) = run(&["lint"], &list(&items, ""));
        assert_eq!(code, 1);
        assert!(out.contains(&items.concat()), "{out}");
        let r = results(&v);
        let ssv = r
            .iter()
            .find(|e| e["tags"]["rule"] == "SSV-020")
            .expect("SSV-020 reported");
        assert_eq!(ssv["severity"], "error");
        assert_eq!(
            ssv["resourceRef"],
            json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet", "name": "no-selector"})
        );
        assert_eq!(ssv["file"], json!({"path": "bad.yaml", "index": 3}));
        assert_eq!(ssv["field"]["path"], "spec");
        assert!(ssv["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("[SSV-020] ")));
        // Warnings carry their dotted field path too.
        assert!(r
            .iter()
            .any(|e| e["severity"] == "warning" && e["field"]["path"] == "spec.selector"));

        let ignore =
            "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data:\n    ignore: SSV-020\n";
        let (code, _, v) = run(&["lint"], &list(&items, ignore));
        assert_eq!(code, 0, "{:?}", results(&v));
        let strict = "functionConfig:\n  apiVersion: sidecarset.kruise.io/v1alpha1\n  kind: SidecarSetLint\n  spec:\n    ignore: [SSV-020]\n    strict: true\n";
        let (code, _, _) = run(&["lint"], &list(&items, strict));
        assert_eq!(code, 1, "warnings fail a strict run");
    }

    #[test]
    fn flow_and_json_lists_are_answered_too() {
        let flow = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}]\n";
        let (code, out, v) = run(&["inject"], flow);
        assert_eq!(code, 0);
        assert_eq!(v["items"][0]["metadata"]["name"], "a", "{out}");
        let json_list = r#"{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}]}"#;
        let (code, out, v) = run(&["lint"], json_list);
        assert_eq!(code, 0);
        assert!(out.starts_with('{'), "{out}");
        assert_eq!(v["kind"], "ResourceList");
        let empty = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n";
        let (code, out, _) = run(&["inject"], empty);
        assert_eq!((code, out.as_str()), (0, empty));
    }

    #[test]
    fn with_no_subcommand_the_configuration_kind_decides() {
        let bad = "apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: busybox\n";
        let lint_config = "functionConfig:\n  apiVersion: sidecarset.kruise.io/v1alpha1\n  kind: SidecarSetLint\n  metadata:\n    name: lint\n";
        let mut out = Vec::new();
        let code = run_bare(list(&[item(bad, "b.yaml", 0)], lint_config), &mut out).expect("runs");
        let text = String::from_utf8_lossy(&out);
        assert_eq!(code, 1);
        assert!(text.contains("[SSL-") || text.contains("[SSV-"), "{text}");
        let mut out = Vec::new();
        let code = run_bare(
            list(
                &[
                    item(SIDECAR_SET, "s.yaml", 0),
                    item(&deployment("web", ""), "d.yaml", 0),
                ],
                "",
            ),
            &mut out,
        )
        .expect("runs");
        assert_eq!(code, 0);
        assert!(String::from_utf8_lossy(&out).contains("name: filebeat\n"));
        let not_a_list = run_bare(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".into(),
            &mut Vec::new(),
        );
        assert!(matches!(not_a_list, Err(CliError::Usage(_))));
    }
}
