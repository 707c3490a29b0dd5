//! `inject -o yaml` streams its input (`kubectl_sidecarset::stream`): pass 1
//! parses only the chunks that can hold policy, pass 2 one echoed chunk at a
//! time. These tests hold the streaming path to the path that reads every
//! document first (`Engine::InMemory`): the same output bytes, summary,
//! error and exit status, on the golden inputs, the examples and inputs
//! built to tell the two apart (error precedence, separators, escapes).

mod support;

use clap::Parser;
use kubectl_sidecarset::cli::args::{Cli, Command};
use kubectl_sidecarset::cli::inject::{execute, Engine};
use kubectl_sidecarset::document::Class;
use kubectl_sidecarset::source::SourceFile;
use kubectl_sidecarset::stream::Stream;
use std::path::{Path, PathBuf};

const SIDECARSET: &str = "apiVersion: apps.kruise.io/v1alpha1
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

fn deployment(name: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: app
        image: nginx
"
    )
}

/// A Pod the pod webhook refuses whatever the policy (a launch priority
/// that is not a number).
const REFUSED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: refused
spec:
  containers:
  - name: app
    image: nginx
    env:
    - name: KRUISE_CONTAINER_PRIORITY
      value: high
  - name: other
    image: busybox
";

/// What one run left: standard output, the summary and how it ended.
#[derive(Debug, PartialEq, Eq)]
struct Ran {
    stdout: String,
    summary: String,
    status: u8,
    error: Option<String>,
}

fn run(engine: Engine, args: &[String]) -> Ran {
    let argv = ["kubectl-sidecarset".to_string(), "inject".to_string()]
        .into_iter()
        .chain(args.iter().cloned());
    let cli = Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let Command::Inject(args) = cli.command else {
        panic!("not an inject command")
    };
    let mut out = Vec::new();
    let result = execute(&args, engine, &mut out);
    let stdout = String::from_utf8_lossy(&out).into_owned();
    match result {
        Ok(done) => Ran {
            stdout,
            summary: done.summary,
            status: done.status,
            error: None,
        },
        Err(e) => Ran {
            stdout,
            summary: String::new(),
            status: e.exit_code(),
            error: Some(e.to_string()),
        },
    }
}

/// Runs `args` both ways, insists they agree, and returns the run.
fn both(args: &[String]) -> Ran {
    let streamed = run(Engine::Streaming, args);
    let in_memory = run(Engine::InMemory, args);
    assert_eq!(
        streamed, in_memory,
        "inject {args:?}: streamed (left) and in-memory (right) differ"
    );
    streamed
}

/// A directory of input files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "kubectl-sidecarset-streaming-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write input");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn error_of(ran: &Ran) -> &str {
    ran.error
        .as_deref()
        .unwrap_or_else(|| panic!("no error: {ran:?}"))
}

#[test]
fn pass_one_parses_only_the_chunks_that_can_hold_policy() {
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&deployment(&format!("web-{i}")));
        text.push_str("---\n");
    }
    // An escape, but one that spells no kind: not parsed.
    text.push_str(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: re\ndata:\n  re: \"a\\\\d\"\n---\n",
    );
    // A word, but no kind the policy reads: parsed and dropped.
    text.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Namespaces\n---\n");
    text.push_str(SIDECARSET);
    text.push_str("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
    text.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kruise-configuration\n  namespace: kruise-system\ndata: {}\n");
    let file = SourceFile::new("in.yaml".into(), text);
    let mut stream = Stream::new(vec![file]);
    let gathered = stream.gather().expect("gathers");
    assert_eq!(stream.chunks(0), 10);
    assert_eq!(
        gathered.parsed, 4,
        "the Deployments and the ConfigMap with an escape are not parsed"
    );
    assert!(!gathered.resource_list);
    let classes: Vec<Class> = stream.inputs.resources.iter().map(|r| r.class).collect();
    assert_eq!(
        classes,
        [Class::SidecarSet, Class::Namespace, Class::Other],
        "what the policy and the validating webhook read is kept, in input order"
    );
    assert_eq!(stream.inputs.docs.len(), 3);
}

#[test]
fn policy_only_inputs_are_all_parsed() {
    let echoed = SourceFile::new("in.yaml".into(), deployment("web"));
    let policy = SourceFile::new(
        "policy.yaml".into(),
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n{SIDECARSET}"),
    );
    let mut stream = Stream::new(vec![echoed]);
    assert_eq!(stream.gather().expect("gathers").parsed, 0);
    stream.add_policy(vec![policy]);
    let gathered = stream.gather().expect("gathers");
    assert_eq!(gathered.parsed, 2, "both chunks of the --sidecarset file");
    assert_eq!(stream.inputs.resources.len(), 1);
    let (echoed, policy) = stream.into_files().expect("read again");
    assert_eq!((echoed.len(), policy.len()), (1, 1));
}

#[test]
fn words_decide_without_parsing_and_escapes_by_scalars() {
    use kubectl_sidecarset::stream::may_hold_policy;
    assert!(!may_hold_policy(&deployment("web")));
    assert!(may_hold_policy(SIDECARSET));
    assert!(may_hold_policy("kind: Namespace\n"));
    assert!(may_hold_policy("kind: ResourceList\n"));
    // Escapes that spell a kind, in YAML and JSON strings, and an escaped
    // line break inside a name.
    assert!(may_hold_policy("kind: \"Sidecar\\x53et\"\n"));
    assert!(may_hold_policy("{\"kind\": \"Controller\\u0052evision\"}"));
    assert!(may_hold_policy(
        "metadata:\n  name: \"kruise-\\\n    configuration\"\n"
    ));
    // Escapes that spell nothing of the kind, whether the parser is asked
    // (a letter) or not (a tab, a quote, a digit, an escaped backslash).
    assert!(!may_hold_policy(
        "kind: ConfigMap\ndata:\n  re: \"a\\\\d\\tb\\\"\\x35\"\n"
    ));
    assert!(!may_hold_policy("kind: ConfigMap\ndata:\n  a: \"\\x41\"\n"));
    // An escape not understood may spell anything: the parser decides,
    // and text it stops on is parsed in full, to report it.
    assert!(may_hold_policy("a: \"\\x4\n"));
    // An escape no word has is no reason to parse (pass 2 reports it).
    assert!(!may_hold_policy("a: \"\\q\"\n"));
}

#[test]
fn streamed_and_in_memory_agree_on_golden_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for case in support::golden_cases(root) {
        if case.args.first().map(String::as_str) != Some("inject")
            || case.dir.join("stdin").exists()
        {
            continue;
        }
        // In-process runs share one working directory: name inputs by
        // their full path.
        let mut args = Vec::new();
        let mut path_next = false;
        for a in &case.args[1..] {
            if path_next && a != "-" && Path::new(a).is_relative() {
                args.push(case.dir.join(a).display().to_string());
            } else {
                args.push(a.clone());
            }
            path_next = matches!(a.as_str(), "-f" | "--filename" | "--sidecarset");
        }
        both(&args);
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} golden inject cases found");
}

#[test]
fn streamed_and_in_memory_agree_on_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = |rel: &str| root.join(rel).display().to_string();
    let runs = [
        vec![
            "-f",
            "examples/filebeat-deployment/deployment.yaml",
            "--sidecarset",
            "examples/filebeat-deployment/sidecarset.yaml",
        ],
        vec![
            "-f",
            "examples/ilogtail-job/jobs.yaml",
            "-f",
            "examples/ilogtail-job/job.yaml",
            "--sidecarset",
            "examples/ilogtail-job/sidecarset.yaml",
        ],
        vec![
            "-f",
            "examples/ilogtail-job/job.yaml",
            "--sidecarset",
            "examples/ilogtail-job/sidecarset-latest-canary.yaml",
            "--sidecarset",
            "examples/ilogtail-job/sidecarset-latest.yaml",
        ],
        vec![
            "-f",
            "examples/logtail-rollout/workloads.yaml",
            "--sidecarset",
            "examples/logtail-rollout/sidecarset.yaml",
        ],
        // SidecarSets echoed among the workloads, several files.
        vec![
            "-f",
            "examples/filebeat-deployment",
            "-f",
            "testdata/inject",
        ],
        vec!["-R", "-f", "examples", "--validate=false"],
    ];
    let mut injected = 0;
    for run in runs {
        let args: Vec<String> = run
            .iter()
            .map(|a| {
                if a.starts_with('-') {
                    a.to_string()
                } else {
                    p(a)
                }
            })
            .collect();
        let ran = both(&args);
        injected += usize::from(ran.summary.contains(": injected"));
    }
    assert!(injected >= 4, "the examples inject sidecars");
}

#[test]
fn mixed_streams_agree() {
    let dir = Scratch::new("mixed");
    // Policy after the workloads it applies to, an empty and a
    // comment-only document, a List of Pods, no final line break.
    let yaml = format!(
        "# head\n{}---\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: listed\n    labels: {{app: web}}\n  spec:\n    containers:\n    - name: app\n      image: nginx\n---\n{SIDECARSET}---\n{}",
        deployment("before"),
        deployment("after").trim_end()
    );
    let crlf = deployment("crlf").replace('\n', "\r\n")
        + "---\r\n"
        + &deployment("crlf-2").replace('\n', "\r\n");
    let json = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"json\", \"labels\": {\"app\": \"web\"}}, \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"nginx\"}]}}  \n";
    let files = [
        dir.file("a.yaml", &yaml),
        dir.file("b.yaml", &crlf),
        dir.file("c.json", json),
    ];
    let mut orders = vec![
        vec![&files[0], &files[1], &files[2]],
        vec![&files[2], &files[0]],
        vec![&files[2]],
        vec![&files[1]],
    ];
    orders.push(vec![&files[2], &files[2]]);
    for order in orders {
        let mut a = Vec::new();
        for f in &order {
            a.push("-f".to_string());
            a.push(f.to_string());
        }
        if !order.contains(&&files[0]) {
            a.push("--sidecarset".into());
            a.push(dir.file("policy.yaml", SIDECARSET));
        }
        let ran = both(&a);
        assert_eq!(ran.status, 0, "{ran:?}");
        assert!(ran.summary.contains("injected logger"), "{ran:?}");
    }
    let ran = both(&args(&["-f", &files[0]]));
    assert!(
        ran.summary
            .contains("Deployment/before spec.template: injected logger"),
        "{}",
        ran.summary
    );
    assert!(
        ran.summary.contains("Pod/listed: injected logger"),
        "{}",
        ran.summary
    );
}

#[test]
fn an_escaped_kind_is_still_policy() {
    let dir = Scratch::new("escaped");
    let json = SIDECARSET.replace("kind: SidecarSet", "kind: \"Sidecar\\x53et\"");
    let f = dir.file("in.yaml", &format!("{}---\n{json}", deployment("web")));
    let ran = both(&args(&["-f", &f]));
    assert!(
        ran.summary
            .contains("Deployment/web spec.template: injected logger"),
        "{ran:?}"
    );
}

#[test]
fn a_late_syntax_error_beats_an_early_refusal() {
    let dir = Scratch::new("syntax-after-refusal");
    let f = dir.file(
        "in.yaml",
        &format!("{REFUSED_POD}---\n{}---\nkind: [\n", deployment("web")),
    );
    let ran = both(&args(&["-f", &f]));
    assert_eq!(ran.status, 2);
    assert!(error_of(&ran).starts_with(&format!("{f}:31:")), "{ran:?}");
    assert!(ran.stdout.is_empty());
}

#[test]
fn a_late_undecodable_workload_beats_an_early_refusal() {
    let dir = Scratch::new("decode-after-refusal");
    let bad =
        deployment("bad").replace("spec:\n  selector", "spec:\n  replicas: \"3\"\n  selector");
    let f = dir.file("in.yaml", &format!("{REFUSED_POD}---\n{bad}"));
    let ran = both(&args(&["-f", &f]));
    assert_eq!(ran.status, 2);
    assert!(
        error_of(&ran).contains("cannot unmarshal string"),
        "{ran:?}"
    );
}

#[test]
fn an_early_refusal_stands_alone() {
    let dir = Scratch::new("refusal");
    let f = dir.file(
        "in.yaml",
        &format!("{REFUSED_POD}---\n{}", deployment("web")),
    );
    let ran = both(&args(&["-f", &f]));
    assert_eq!(ran.status, 1);
    assert!(error_of(&ran).contains("mpod.kb.io"), "{ran:?}");
}

#[test]
fn a_syntax_error_in_a_later_file_beats_an_undecodable_workload() {
    let dir = Scratch::new("syntax-after-decode");
    let bad =
        deployment("bad").replace("spec:\n  selector", "spec:\n  replicas: \"3\"\n  selector");
    let a = dir.file("a.yaml", &bad);
    let b = dir.file("b.yaml", "a: 1\na: 2\n");
    let ran = both(&args(&["-f", &a, "-f", &b]));
    assert!(error_of(&ran).starts_with(&format!("{b}:2:")), "{ran:?}");
}

#[test]
fn a_syntax_error_without_policy_words_beats_a_refused_sidecarset() {
    let dir = Scratch::new("syntax-after-admission");
    let refused = SIDECARSET.replace(
        "    matchLabels:\n      app: web\n",
        "    matchExpressions:\n    - key: app\n      operator: Bogus\n",
    );
    let f = dir.file(
        "in.yaml",
        &format!("{refused}---\n{}---\nmetadata: {{\n", deployment("web")),
    );
    let ran = both(&args(&["-f", &f]));
    assert_eq!(ran.status, 2, "{ran:?}");
    // An escape YAML does not have, in a chunk pass 1 does not parse.
    let escape = dir.file(
        "escape.yaml",
        &format!(
            "{refused}---\n{}",
            deployment("web").replace("image: nginx", "image: \"ngi\\qnx\"")
        ),
    );
    let ran = both(&args(&["-f", &escape]));
    assert!(
        error_of(&ran).starts_with(&format!("{escape}:27:16:")),
        "{ran:?}"
    );
    let only_admission = dir.file("ok.yaml", &format!("{refused}---\n{}", deployment("web")));
    let ran = both(&args(&["-f", &only_admission]));
    assert_eq!(ran.status, 1);
    assert!(error_of(&ran).contains("vsidecarset.kb.io"), "{ran:?}");
}

#[test]
fn an_unparsed_syntax_error_beats_one_found_in_pass_one() {
    let dir = Scratch::new("pass-one-error");
    let a = dir.file("a.yaml", "kind: Deployment\nspec: [\n");
    let b = dir.file("b.yaml", &format!("{SIDECARSET}  bad: [\n"));
    let ran = both(&args(&["-f", &a, "--sidecarset", &b]));
    assert!(error_of(&ran).starts_with(&format!("{a}:")), "{ran:?}");
    let ran = both(&args(&[
        "-f",
        &dir.file("c.yaml", &deployment("web")),
        "--sidecarset",
        &b,
    ]));
    assert!(error_of(&ran).starts_with(&format!("{b}:")), "{ran:?}");
}

#[test]
fn policy_files_are_read_after_the_echoed_ones_are_checked() {
    let dir = Scratch::new("missing-policy");
    let missing = dir.0.join("missing.yaml").display().to_string();
    let bad = dir.file("bad.yaml", "a: [\n");
    let ran = both(&args(&["-f", &bad, "--sidecarset", &missing]));
    assert!(error_of(&ran).starts_with(&format!("{bad}:")), "{ran:?}");
    let good = dir.file("good.yaml", &deployment("web"));
    let ran = both(&args(&["-f", &good, "--sidecarset", &missing]));
    assert!(error_of(&ran).contains("missing.yaml"), "{ran:?}");
    // A policy-only file's chunk without policy words still has to parse.
    let policy = dir.file("policy.yaml", &format!("{SIDECARSET}---\nmetadata: {{\n"));
    let ran = both(&args(&["-f", &good, "--sidecarset", &policy]));
    assert!(
        error_of(&ran).starts_with(&format!("{policy}:14:")),
        "{ran:?}"
    );
}

#[test]
fn json_stream_errors_keep_their_order() {
    let dir = Scratch::new("json-errors");
    // The second value has a duplicate key (a YAML error), the third is
    // not JSON at all: the duplicate comes first.
    let f = dir.file(
        "in.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"a\": 1, \"a\": 2}\n{\"b\": \n",
    );
    let ran = both(&args(&["-f", &f]));
    assert!(error_of(&ran).starts_with(&format!("{f}:2:")), "{ran:?}");
    let g = dir.file("g.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"b\": \n");
    let ran = both(&args(&["-f", &g]));
    assert_eq!(ran.status, 2);
}

#[test]
fn a_resource_list_goes_where_it_went() {
    let dir = Scratch::new("resource-list");
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}\n- {}",
        deployment("web").replace('\n', "\n  ").trim_end(),
        SIDECARSET.replace('\n', "\n  ").trim_end()
    );
    let f = dir.file("in.yaml", &list);
    let ran = both(&args(&["-f", &f]));
    assert!(ran.stdout.contains("kind: ResourceList"), "{ran:?}");
    assert!(ran.stdout.contains("name: logger"), "{ran:?}");
}

/// `deployment(name)` as an item of a block sequence `indent` columns in.
fn item(name: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, line) in deployment(name).lines().enumerate() {
        out.push_str(&pad);
        out.push_str(if i == 0 { "- " } else { "  " });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs `args` in every output mode, both ways.
fn every_mode(args: &[String]) -> Vec<Ran> {
    ["yaml", "json", "json-patch"]
        .iter()
        .map(|mode| {
            let mut a = args.to_vec();
            a.push("-o".into());
            a.push(mode.to_string());
            both(&a)
        })
        .collect()
}

#[test]
fn lists_written_item_by_item_agree() {
    let dir = Scratch::new("lists");
    let policy = dir.file("policy.yaml", SIDECARSET);
    let block = format!(
        "apiVersion: v1\nitems:\n{}# between\n{}{}kind: List\nmetadata:\n  resourceVersion: \"\"\n",
        item("a", 0),
        item("b", 0),
        item("c", 0)
    );
    let indented = format!(
        "kind: DeploymentList\napiVersion: apps/v1\nitems:\n{}{}",
        item("a", 2),
        item("b", 2)
    );
    // The root's nested mappings are indented by 4, its items' by 2: the
    // first item does not tell how a new node is indented.
    let mixed = format!(
        "apiVersion: v1\nitems:\n{}{}kind: List\nmetadata:\n    resourceVersion: \"\"\n",
        item("a", 0),
        item("b", 0)
    );
    let flow = "apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {app: web}}, spec: {containers: [{name: app, image: nginx}]}}, {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]\n";
    let json = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"labels\": {\"app\": \"web\"}}, \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"nginx\"}]}},\n        {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"q\", \"namespace\": \"ns\"}, \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"nginx\"}]}}\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\"resourceVersion\": \"\"}\n}\n";
    let crlf = block.replace('\n', "\r\n");
    // A root `items` that is not a List's: the document is one object.
    let not_a_list = format!("apiVersion: v1\nitems:\n{}kind: Custom\n", item("a", 0));
    let unrepresentable = format!("{}x: .inf\n", block);
    let anchored = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}  metadata: &m\n    name: z\n",
        item("a", 0)
    );
    let lists = [
        block.clone(),
        indented,
        mixed,
        flow.to_string(),
        json.to_string(),
        crlf,
        not_a_list,
        unrepresentable,
        anchored,
        // A List among other documents, and one last without a line break.
        format!(
            "{}---\n{}---\n{}",
            deployment("first"),
            block,
            block.trim_end()
        ),
        format!("{json}{json}"),
    ];
    for (i, text) in lists.iter().enumerate() {
        let f = dir.file(&format!("in-{i}.yaml"), text);
        every_mode(&args(&["-f", &f, "--sidecarset", &policy]));
    }
    let ran = both(&args(&[
        "-f",
        &dir.file("b.yaml", &block),
        "--sidecarset",
        &policy,
    ]));
    assert!(
        ran.summary
            .contains("Deployment/b spec.template: injected logger"),
        "{}",
        ran.summary
    );
}

#[test]
fn list_errors_keep_their_order() {
    let dir = Scratch::new("list-errors");
    let policy = dir.file("policy.yaml", SIDECARSET);
    let refused = REFUSED_POD.replace('\n', "\n  ");
    let cases = [
        // A refused item before an item without a kind.
        format!(
            "apiVersion: v1\nkind: List\nitems:\n{}- {}\n- apiVersion: v1\n  metadata: {{name: x}}\n",
            item("a", 0),
            refused.trim_end()
        ),
        // A refused item before a syntax error in the List.
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- {}\n- [\n",
            refused.trim_end()
        ),
        // A refused item before an undecodable one.
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- {}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {{name: bad}}\n  spec: {{replicas: many}}\n",
            refused.trim_end()
        ),
        // An item that is not a mapping.
        format!("apiVersion: v1\nkind: List\nitems:\n{}- 3\n", item("a", 0)),
    ];
    for (i, text) in cases.iter().enumerate() {
        let f = dir.file(&format!("e-{i}.yaml"), text);
        for ran in every_mode(&args(&["-f", &f, "--sidecarset", &policy])) {
            assert_ne!(ran.status, 0, "{ran:?}");
            assert!(ran.stdout.is_empty(), "{ran:?}");
        }
    }
}

#[test]
fn bytes_that_are_not_text_in_a_later_file_beat_a_syntax_error_in_an_earlier_one() {
    // A YAML input is read through once before any is split (as reading
    // them whole decodes every file before parsing any), then read again
    // for each pass.
    let dir = Scratch::new("not-text");
    let a = dir.file("a.yaml", "kind: Deployment\nspec: [\n");
    let b = dir.0.join("b.yaml");
    let mut bytes = deployment("web").into_bytes();
    bytes.extend_from_slice(b"---\nname: \xFF\n");
    std::fs::write(&b, bytes).expect("write input");
    let b = b.display().to_string();
    let ran = both(&args(&["-f", &a, "-f", &b]));
    assert!(
        error_of(&ran).starts_with(&format!("{b}:16:7: invalid UTF-8")),
        "{ran:?}"
    );
}

#[test]
fn errors_in_later_documents_quote_their_own_lines() {
    // Each document of a YAML input is read on its own in pass 2: its
    // lines keep their numbers in the input, and errors quote them.
    let dir = Scratch::new("later-lines");
    let text = format!(
        "{}---\n{}---\n{}",
        deployment("a"),
        deployment("b"),
        REFUSED_POD
    );
    let f = dir.file("in.yaml", &text);
    let ran = both(&args(&[
        "-f",
        &f,
        "--sidecarset",
        &dir.file("s.yaml", SIDECARSET),
    ]));
    assert_eq!(ran.status, 1, "{ran:?}");
    let g = dir.file("g.yaml", &format!("{}---\na: 1\n  b: [\n", deployment("a")));
    let ran = both(&args(&["-f", &g]));
    let e = error_of(&ran);
    assert!(e.starts_with(&format!("{g}:17:")), "{ran:?}");
    assert!(e.contains("  b: ["), "the line is quoted: {e}");
}

#[test]
fn a_pipe_named_as_a_file_is_read_once() {
    // `-f <(helm template ...)` names a pipe: it cannot be read again from
    // its start, so it is held (or spooled) as standard input is.
    let dir = Scratch::new("pipe");
    let f = dir.file(
        "in.yaml",
        &format!("{}---\n{SIDECARSET}", deployment("web")),
    );
    let bin = env!("CARGO_BIN_EXE_kubectl-sidecarset");
    let run = |input: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("'{bin}' inject -q -f {input}"))
            .env("SOURCE_DATE_EPOCH", "0")
            .output()
            .expect("bash runs")
    };
    let piped = run(&format!("<(cat '{f}')"));
    let named = run(&format!("'{f}'"));
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert_eq!(piped.stdout, named.stdout);
    assert!(String::from_utf8_lossy(&piped.stdout).contains("name: logger"));
}

#[test]
fn json_values_on_shared_lines_are_read_alone_and_quoted_whole() {
    // A JSON stream is read again value by value; each value's part holds
    // the whole lines it is on, so output and errors are those of reading
    // the whole text.
    let dir = Scratch::new("json-lines");
    let cm = |n: &str| {
        format!("{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"{n}\"}}}}")
    };
    let ok = dir.file(
        "ok.json",
        &format!("{}{}\n  {}\n\n{}  \n", cm("a"), cm("b"), cm("c"), cm("d")),
    );
    let ran = both(&args(&["-f", &ok]));
    assert_eq!(ran.status, 0, "{ran:?}");
    assert!(ran.stdout.contains("\"d\""), "{ran:?}");
    let bad = dir.file(
        "bad.json",
        &format!("{}\n{}{{\"a\": 1, \"a\": 2}}\n", cm("a"), cm("b")),
    );
    let ran = both(&args(&["-f", &bad]));
    let e = error_of(&ran);
    assert!(e.starts_with(&format!("{bad}:2:")), "{ran:?}");
    assert!(e.contains(&cm("b")), "the whole line is quoted: {e}");
}
