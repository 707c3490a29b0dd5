//! Documentation generated from the code, kept current by these tests:
//! `docs/rules.md` from the lint rule registry and `docs/man/*.1` from the
//! clap command line. A stale file fails the test; `UPDATE_DOCS=1 cargo test
//! --test docs` rewrites them (review the diff before committing).
//!
//! Also the shapes of the CI integration files (`.pre-commit-hooks.yaml`,
//! `action.yml`) and that SARIF artifact URIs follow `--sarif-root`.

mod support;

use clap::CommandFactory;
use kubectl_sidecarset::cli::args::Cli;
use kubectl_sidecarset::lint::{Rule, Severity, IGNORE_ANNOTATION, RULES};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

/// Compares (or with UPDATE_DOCS rewrites) one generated file.
fn check_generated(rel: &str, want: &str, failures: &mut Vec<String>) {
    let path = root().join(rel);
    if updating() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("docs directory");
        }
        std::fs::write(&path, want).expect("generated file written");
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(have) if have == want => {}
        Ok(have) => failures.push(format!(
            "{rel} is stale (UPDATE_DOCS=1 cargo test --test docs rewrites it; expected = shipped, got = generated):\n{}",
            support::short_diff(&have, want)
        )),
        Err(e) => failures.push(format!(
            "{rel}: {e} (UPDATE_DOCS=1 cargo test --test docs writes it)"
        )),
    }
}

/// Text as Markdown shows it literally.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn severity(s: Severity) -> &'static str {
    s.as_str()
}

fn rule_section(r: &Rule, out: &mut String) {
    // The heading is the id alone, so that its anchor is the one SARIF
    // help links and `Rule::anchor` name.
    out.push_str(&format!("### {}\n\n", r.id));
    out.push_str(&format!(
        "**{}** (default severity: {})\n\n",
        md(r.title),
        severity(r.severity)
    ));
    out.push_str(&format!("{}\n\n", md(r.description)));
    out.push_str(&format!("How to fix: {}\n\n", md(r.help)));
}

/// The anchor GitHub gives a heading: lowercase, punctuation other than
/// `-` and `_` dropped, spaces as `-`.
fn github_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `docs/rules.md`, from the registry alone.
fn rules_markdown(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Lint rules\n\n\
         <!-- Generated from src/lint/registry.rs by tests/docs.rs; edit the registry, then run\n     \
         UPDATE_DOCS=1 cargo test --test docs -->\n\n\
         `kubectl sidecarset lint` checks SidecarSets and the workloads they select.\n\n\
         - `SSV` rules are the OpenKruise v1.9.0 SidecarSet validating webhook's (and the API \
         server's schema checks): a SidecarSet with an `SSV` error is refused by the cluster.\n\
         - `SSL` rules are best practices and pod-webhook failures found by injecting the \
         SidecarSets into the workloads of the input. The severity of an `SSL` finding is the \
         one on the workloads it hits; on a SidecarSet itself it is at most a warning.\n\n",
    );
    out.push_str(&format!(
        "Errors make `lint` exit 1 (warnings too with `--strict`). Skip a rule with \
         `--ignore RULE`, or for one object with the annotation `{IGNORE_ANNOTATION}: \"SSL-023\"` \
         (comma-separated ids). `lint --list-rules` prints this list; `-o sarif` carries it as \
         the run's rules.\n\n"
    ));
    out.push_str("| rule | severity | title |\n|---|---|---|\n");
    for r in rules {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} |\n",
            r.id,
            r.anchor(),
            severity(r.severity),
            md(r.title)
        ));
    }
    for (prefix, heading) in [
        ("SSV", "Validating webhook rules (SSV)"),
        ("SSL", "Best practices (SSL)"),
    ] {
        out.push_str(&format!("\n## {heading}\n\n"));
        for r in rules.iter().filter(|r| r.id.as_str().starts_with(prefix)) {
            rule_section(r, &mut out);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[test]
fn rules_page_is_current() {
    assert!(
        RULES
            .iter()
            .all(|r| r.id.as_str().starts_with("SSV") || r.id.as_str().starts_with("SSL")),
        "a rule family the page does not list"
    );
    let page = rules_markdown(RULES);
    let anchors: Vec<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(github_anchor)
        .collect();
    for r in RULES {
        assert_eq!(
            anchors.iter().filter(|a| **a == r.anchor()).count(),
            1,
            "{}: one heading whose anchor is #{} (the link SARIF help and the table use)",
            r.id,
            r.anchor()
        );
    }
    let mut failures = Vec::new();
    check_generated("docs/rules.md", &page, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every man page: the tool's and one per subcommand, by file name.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub.clone(), out);
        }
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        man.render(&mut page).expect("man page renders");
        out.push((man.get_filename(), page));
    }
    // As clap_mangen::generate_to prepares it: subcommands get their full
    // display names (kubectl-sidecarset-inject) once the command is built.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(cmd, &mut out);
    out.sort();
    out
}

#[test]
fn man_pages_are_current() {
    let pages = man_pages();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    for want in ["kubectl-sidecarset.1", "kubectl-sidecarset-inject.1"] {
        assert!(names.contains(&want), "{want} not among {names:?}");
    }
    let dir = root().join("docs/man");
    let mut failures = Vec::new();
    for (name, page) in &pages {
        let text = String::from_utf8(page.clone()).expect("roff is UTF-8");
        check_generated(&format!("docs/man/{name}"), &text, &mut failures);
    }
    // A page whose command is gone is stale too.
    let shipped: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    for path in shipped {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".1") && !names.contains(&name.as_str()) {
            if updating() {
                std::fs::remove_file(&path).expect("stale man page removed");
            } else {
                failures.push(format!(
                    "docs/man/{name}: no such command (UPDATE_DOCS=1 removes it)"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn sarif_locations(run: &support::Run) -> Vec<Value> {
    // Findings (warnings here) but no input error.
    assert!(run.status <= 1, "{}: {}", run.status, run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].as_object())
        .map(|a| Value::Object(a.clone()))
        .collect()
}

#[test]
fn sarif_uris_follow_sarif_root() {
    let file = root().join("examples/filebeat-deployment/sidecarset.yaml");
    let abs = file.display().to_string();
    // Named absolutely from elsewhere: still relative to the root.
    let args = |extra: &[&str]| -> Vec<String> {
        ["lint", "-o", "sarif", "-f", abs.as_str()]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };
    let run = support::run(
        &root().join("examples"),
        &args(&["--sarif-root", ".."]),
        None,
    );
    let locations = sarif_locations(&run);
    assert!(!locations.is_empty(), "{}", run.stdout);
    for a in &locations {
        assert_eq!(a["uri"], "examples/filebeat-deployment/sidecarset.yaml");
        assert_eq!(a["uriBaseId"], "%SRCROOT%");
    }
    let v: Value = serde_json::from_str(&run.stdout).expect("json");
    let base = v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("base uri");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    // Outside the root: an absolute file URI, no base.
    let run = support::run(
        &root().join("examples"),
        &args(&["--sarif-root", "../src"]),
        None,
    );
    let outside = sarif_locations(&run);
    assert!(!outside.is_empty(), "{}", run.stdout);
    for a in outside {
        assert!(a.get("uriBaseId").is_none(), "{a}");
        let uri = a["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("file:///")
                && uri.ends_with("/examples/filebeat-deployment/sidecarset.yaml"),
            "{uri}"
        );
    }
    // Standard input has a name, not a path.
    let text = std::fs::read(&file).expect("example");
    let run = support::run(
        root(),
        &["lint", "-o", "sarif", "-f", "-"].map(String::from),
        Some(&text),
    );
    let stdin = sarif_locations(&run);
    assert!(!stdin.is_empty(), "{}", run.stdout);
    for a in stdin {
        assert_eq!(a["uri"], "stdin", "{a}");
    }
    let run = support::run(root(), &args(&["--sarif-root", "no-such-dir"]), None);
    assert_eq!(run.status, 2, "{run:?}");
    assert!(
        run.stderr.contains("--sarif-root no-such-dir"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

fn yaml_file(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    yaml(&text, rel)
}

fn yaml(text: &str, what: &str) -> Value {
    kubectl_sidecarset::yaml::parse_document(text)
        .unwrap_or_else(|e| panic!("{what}: {e:?}"))
        .unwrap_or_else(|| panic!("{what}: empty"))
        .0
}

fn str_at<'a>(v: &'a Value, key: &str, what: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {key} is not a string"))
}

#[test]
fn pre_commit_hook_lints_the_files_it_is_given() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "kubectl-sidecarset-lint")
        .expect("hook kubectl-sidecarset-lint");
    for key in ["name", "description"] {
        assert!(!str_at(hook, key, "hook").is_empty(), "{key}");
    }
    assert!(matches!(
        str_at(hook, "language", "hook"),
        "rust" | "system"
    ));
    let entry = str_at(hook, "entry", "hook");
    assert_eq!(entry, "kubectl-sidecarset lint");
    let files = regex::Regex::new(str_at(hook, "files", "hook")).expect("files regex");
    let exclude = regex::Regex::new(str_at(hook, "exclude", "hook")).expect("exclude regex");
    // As pre-commit selects: `files` searched, `exclude` not found.
    let selected = |p: &str| files.is_match(p) && !exclude.is_match(p);
    for p in ["deploy/app.yaml", "k8s/job.yml", "sidecarset.json"] {
        assert!(selected(p), "{p} should be linted");
    }
    for p in [
        "src/main.rs",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        "action.yml",
        "README.md",
    ] {
        assert!(!selected(p), "{p} should not be linted");
    }
    // pre-commit runs the entry with the file names appended.
    let mut args: Vec<String> = entry.split_whitespace().skip(1).map(String::from).collect();
    args.extend(
        [
            "examples/filebeat-deployment/deployment.yaml",
            "examples/filebeat-deployment/sidecarset.yaml",
        ]
        .map(String::from),
    );
    let run = support::run(root(), &args, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run
        .stdout
        .contains("examples/filebeat-deployment/deployment.yaml:"));
    assert!(run
        .stdout
        .contains("examples/filebeat-deployment/sidecarset.yaml:"));
}

/// `${{ inputs.NAME }}` references in a text.
fn input_refs(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}").expect("regex");
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

#[test]
fn github_action_installs_lints_and_uploads() {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    let action = yaml(&text, "action.yml");
    assert!(!str_at(&action, "name", "action").is_empty());
    assert!(!str_at(&action, "description", "action").is_empty());
    let inputs = action["inputs"].as_object().expect("inputs");
    let refs = input_refs(&text);
    for name in ["paths", "args", "sarif-file", "version"] {
        let input = inputs.get(name).unwrap_or_else(|| panic!("input {name}"));
        assert!(input["description"].is_string(), "{name}: description");
        assert!(refs.iter().any(|r| r == name), "input {name} is never used");
    }
    for r in &refs {
        assert!(
            inputs.contains_key(r),
            "${{{{ inputs.{r} }}}} is not declared"
        );
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for s in steps {
        if s.get("run").is_some() {
            assert!(
                s["shell"].is_string(),
                "composite run steps need a shell: {s}"
            );
        }
    }
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let install = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install --locked --path"))
        })
        .expect("a step installs with cargo install --locked --path");
    assert_eq!(install["env"]["ACTION_PATH"], "${{ github.action_path }}");
    assert!(runs
        .iter()
        .any(|r| r.contains("kubectl-sidecarset lint") && r.contains("-o sarif")));
    assert!(runs
        .iter()
        .any(|r| r.contains("kubectl-sidecarset lint") && r.contains("-o github")));
    let upload = steps
        .iter()
        .find(|s| s["uses"] == "github/codeql-action/upload-sarif@v3")
        .expect("an upload-sarif@v3 step");
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
}

#[test]
fn readme_workflow_has_the_code_scanning_permissions() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let block = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("jobs:"))
        .expect("a workflow in the README");
    let workflow = yaml(block, "README workflow");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    assert!(!jobs.is_empty());
    for (name, job) in jobs {
        let p = &job["permissions"];
        assert_eq!(p["security-events"], "write", "{name}");
        assert_eq!(p["contents"], "read", "{name}");
        assert_eq!(p["actions"], "read", "{name}");
    }
}
