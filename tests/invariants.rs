//! Properties that hold for every injection, checked on every golden
//! `inject` case and on the bundled examples:
//! - injecting twice changes nothing;
//! - a Pod and a Deployment with the same template inject the same way;
//! - documents of kinds the tool does not change come out byte for byte.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kss-inv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("temp file");
    p
}

/// The `--sidecarset X` pairs of a command line, and the flags that change
/// what they do.
fn policy_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--sidecarset" {
            if let Some(v) = it.next() {
                out.push(a.clone());
                out.push(v.clone());
            }
        } else if a.starts_with("--sidecarset=")
            || a.starts_with("--feature-gates")
            || a.starts_with("--validate")
        {
            out.push(a.clone());
        }
    }
    out
}

/// An `inject` case printing YAML (the default output).
fn is_yaml_inject(case: &support::Case) -> bool {
    case.args.first().is_some_and(|a| a == "inject")
        && !case
            .args
            .iter()
            .any(|a| a == "-o" || a.starts_with("--output"))
}

#[test]
fn injecting_twice_changes_nothing() {
    let mut checked = 0;
    for case in support::golden_cases(root()) {
        let want = support::read_expected(&case);
        if !is_yaml_inject(&case) || want.status != 0 {
            continue;
        }
        let once = support::run_case(root(), &case);
        // The one documented exception: Kruise appends the launch-priority
        // barrier env to every container unconditionally
        // (pkg/webhook/pod/mutating/container_launch_priority_initialization.go:setPodEnv),
        // so a second CREATE of an injected pod adds it again to app containers.
        if once.stdout.contains("KRUISE_CONTAINER_BARRIER") {
            continue;
        }
        let path = tmp(&format!("{}-once.yaml", case.name), &once.stdout);
        let mut args = vec![
            "inject".to_string(),
            "-f".into(),
            path.display().to_string(),
        ];
        args.extend(policy_args(&case.args));
        let twice = support::run(&case.dir, &args, None);
        assert_eq!(
            twice.status, 0,
            "{}: second injection failed: {}",
            case.name, twice.stderr
        );
        assert_eq!(
            once.stdout, twice.stdout,
            "{}: injecting the output again changed it",
            case.name
        );
        checked += 1;
    }
    assert!(checked > 0, "no golden inject case to check");
}

fn injected_json(args: &[String]) -> Value {
    let mut full = args.to_vec();
    full.extend(["-o".to_string(), "json".to_string()]);
    let run = support::run(root(), &full, None);
    assert_eq!(run.status, 0, "inject failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON output")
}

fn items(v: Value) -> Vec<Value> {
    match v {
        Value::Object(ref o) if o.get("kind").and_then(Value::as_str) == Some("List") => o
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        other => vec![other],
    }
}

#[test]
fn pod_and_deployment_with_one_template_inject_alike() {
    let examples = root().join("examples");
    let pairs = [
        (
            "filebeat-deployment/deployment.yaml",
            "filebeat-deployment/sidecarset.yaml",
        ),
        ("ilogtail-job/job.yaml", "ilogtail-job/sidecarset.yaml"),
    ];
    for (workload, sidecarset) in pairs {
        let wl_path = examples.join(workload);
        let ss_path = examples.join(sidecarset).display().to_string();
        // Build both from the example's template through the tool itself
        // (JSON output), so no YAML library is needed here.
        let wl = items(injected_json(&[
            "inject".into(),
            "-f".into(),
            wl_path.display().to_string(),
        ]));
        let wl = wl.into_iter().next().expect("one workload");
        let template = wl.pointer("/spec/template").cloned().expect("template");
        let name = wl
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("x");
        let ns = wl
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("default");
        let deployment = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": 1, "selector": {"matchLabels": {}}, "template": template},
        });
        let mut pod_meta = template
            .get("metadata")
            .cloned()
            .unwrap_or(serde_json::json!({}));
        pod_meta["name"] = Value::String(format!("{name}-x7k2p"));
        pod_meta["namespace"] = Value::String(ns.to_string());
        pod_meta["ownerReferences"] = serde_json::json!([{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": name,
            "uid": "00000000-0000-0000-0000-000000000001", "controller": true
        }]);
        let pod = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": pod_meta,
            "spec": template.get("spec").cloned().unwrap_or_default(),
        });
        let d = tmp(&format!("{name}-deploy.json"), &deployment.to_string());
        let p = tmp(&format!("{name}-pod.json"), &pod.to_string());
        let args = |f: &Path| {
            vec![
                "inject".to_string(),
                "-f".into(),
                f.display().to_string(),
                "--sidecarset".into(),
                ss_path.clone(),
            ]
        };
        let got_d = items(injected_json(&args(&d))).remove(0);
        let got_p = items(injected_json(&args(&p))).remove(0);
        let tmpl = got_d.pointer("/spec/template").expect("template");
        for key in ["labels", "annotations"] {
            assert_eq!(
                tmpl.pointer(&format!("/metadata/{key}")),
                got_p.pointer(&format!("/metadata/{key}")),
                "{workload}: {key} differ between the Deployment template and the Pod"
            );
        }
        assert_eq!(
            tmpl.get("spec"),
            got_p.get("spec"),
            "{workload}: spec differs"
        );
        assert_ne!(
            got_p.get("spec"),
            pod.get("spec"),
            "{workload}: the example SidecarSet should inject something"
        );
    }
}

#[test]
fn unknown_kinds_come_out_byte_for_byte() {
    let stream = "\
# a leading comment
apiVersion: v1
kind: ConfigMap   # trailing comment
metadata: {name: cfg, namespace: default}
data:
  enabled: 'yes'
  mode: \"0755\"
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  list: [1, 2,   3]
  text: |
    keep   this
...
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
";
    let path = tmp("unknown.yaml", stream);
    let ss = root().join("examples/filebeat-deployment/sidecarset.yaml");
    let run = support::run(
        root(),
        &[
            "inject".into(),
            "-f".into(),
            path.display().to_string(),
            "--sidecarset".into(),
            ss.display().to_string(),
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, stream);
}

/// The YAML `inject` prints (comments put back included) reads as exactly
/// the objects `-o json` prints.
#[test]
fn yaml_output_reads_back_as_the_json_output() {
    let flatten = |vs: Vec<Value>| -> Vec<Value> { vs.into_iter().flat_map(items).collect() };
    let mut checked = 0;
    for case in support::golden_cases(root()) {
        if !is_yaml_inject(&case) || support::read_expected(&case).status != 0 {
            continue;
        }
        let yaml = support::run_case(root(), &case);
        let docs: Vec<Value> = kubectl_sidecarset::reader::parse_stream(&yaml.stdout)
            .expect("the YAML output parses")
            .into_iter()
            .filter_map(|c| c.value)
            .collect();
        let mut args = case.args.clone();
        args.extend(["-o".to_string(), "json".to_string()]);
        let stdin = std::fs::read(case.dir.join("stdin")).ok();
        let json = support::run(&case.dir, &args, stdin.as_deref());
        assert_eq!(json.status, 0, "{}: {}", case.name, json.stderr);
        let json: Value = serde_json::from_str(&json.stdout).expect("JSON output");
        let yaml_objects = flatten(docs);
        let mut json_objects = flatten(vec![json]);
        // -o json shows a Pod as the API server returns it, in its namespace;
        // YAML leaves a namespace the input does not name to kubectl -n.
        for (y, j) in yaml_objects.iter().zip(json_objects.iter_mut()) {
            let unnamed = y.pointer("/metadata/namespace").is_none();
            if unnamed && j.get("kind").and_then(Value::as_str) == Some("Pod") {
                let named = j
                    .get_mut("metadata")
                    .and_then(Value::as_object_mut)
                    .and_then(|m| m.remove("namespace"));
                assert!(
                    named.is_some(),
                    "{}: -o json must name the Pod's namespace",
                    case.name
                );
            }
        }
        assert_eq!(
            yaml_objects, json_objects,
            "{}: YAML and JSON outputs differ",
            case.name
        );
        checked += 1;
    }
    assert!(checked > 1, "no golden inject case to check");
}

/// The `-f` files of a command line (with `$ROOT` already expanded).
fn input_files(args: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-f" || a == "--filename" {
            if let Some(v) = it.next() {
                out.push(PathBuf::from(v));
            }
        }
    }
    out
}

/// What stands before a line's value: its indentation and key, or its
/// `- ` marker. A line "changed in value" keeps this and changes the rest.
fn line_key(line: &str) -> &str {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    match trimmed.find(": ") {
        Some(i) => &trimmed[..i + 2],
        None => trimmed.trim_end_matches(|c: char| c != '-' && c != ' ' && c != ':'),
    }
}

/// Injection rewrites only what the webhook changed: a line diff of input
/// and output (every golden `inject` case printing YAML, and the examples)
/// removes no line, except one whose value the webhook replaced (an added
/// line in the same hunk keeps its key).
#[test]
fn only_the_webhooks_changes_change() {
    let mut checked = 0;
    let mut runs: Vec<(String, Vec<String>, std::path::PathBuf)> = Vec::new();
    for case in support::golden_cases(root()) {
        if !is_yaml_inject(&case) || support::read_expected(&case).status != 0 {
            continue;
        }
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("$ROOT", &root().display().to_string()))
            .collect();
        runs.push((case.name.clone(), args, case.dir.clone()));
    }
    for example in ["filebeat-deployment", "ilogtail-job"] {
        let dir = root().join("examples").join(example);
        let mut args = vec!["inject".to_string()];
        for f in std::fs::read_dir(&dir).expect("example dir") {
            let p = f.expect("entry").path();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let flag = if name.starts_with("sidecarset") {
                "--sidecarset"
            } else {
                "-f"
            };
            if name == "sidecarset-latest.yaml" || name == "sidecarset-latest-canary.yaml" {
                continue;
            }
            args.extend([flag.to_string(), p.display().to_string()]);
        }
        runs.push((example.to_string(), args, root().to_path_buf()));
    }
    for (name, args, dir) in runs {
        let files = input_files(&args);
        if files.len() != 1 {
            continue;
        }
        let input = std::fs::read_to_string(dir.join(&files[0])).expect("input");
        let out = support::run(&dir, &args, None);
        assert_eq!(out.status, 0, "{name}: {}", out.stderr);
        let diff = similar::TextDiff::from_lines(&input, &out.stdout);
        for group in diff.grouped_ops(0) {
            let mut removed = Vec::new();
            let mut added = Vec::new();
            for op in &group {
                for change in diff.iter_changes(op) {
                    match change.tag() {
                        similar::ChangeTag::Delete => removed.push(change.value().to_string()),
                        similar::ChangeTag::Insert => added.push(change.value().to_string()),
                        similar::ChangeTag::Equal => {}
                    }
                }
            }
            for r in &removed {
                let key = line_key(r);
                assert!(
                    !key.trim().is_empty() && added.iter().any(|a| line_key(a) == key),
                    "{name}: the output removes a line the webhook did not change: {r:?}\nadded in that place: {added:?}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} inject runs checked");
}
