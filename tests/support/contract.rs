//! The invariants every fuzzed input must keep, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/`) and the stable-toolchain property test
//! (`tests/fuzz_props.rs`), so both check exactly the same contract
//! (README "Exit status"):
//!
//! - exit status 0, 1 or 2, never a panic;
//! - on failure stdout is empty (lint: findings instead) and stderr's first
//!   line is `error: FILE:LINE:COL: ...` with LINE and COL at least 1;
//! - `inject`'s YAML output reads back, reads as the objects `-o json`
//!   prints, and injecting it again gives the same bytes (except where
//!   Kruise appends `KRUISE_CONTAINER_BARRIER` on every CREATE);
//! - documents `inject` does not change come out byte for byte.
//!
//! A violated invariant is an `Err` naming it; callers panic (the fuzzer
//! records the input) or save the input (the property test).

#![allow(dead_code)]

use kubectl_sidecarset::cli::run_with_io;
use kubectl_sidecarset::document::Inputs;
use kubectl_sidecarset::reader;
use kubectl_sidecarset::source::{self, SourceError, SourceFile};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The fixed policy every command runs with.
pub const POLICY: &str = include_str!("../../examples/filebeat-deployment/sidecarset.yaml");

/// The name errors in standard input carry.
const STDIN: &str = "<stdin>";

/// The policy as a file for `--sidecarset`. Named by its content, so
/// every run (and every fuzzing process) shares one file instead of
/// leaving one per process in the temporary directory; written under a
/// name of its own and renamed, so a reader never sees half of it.
fn policy_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        // FNV-1a: stable across runs and toolchains, unlike `DefaultHasher`.
        let digest = POLICY.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let dir = std::env::temp_dir();
        let p: PathBuf = dir.join(format!("kss-fuzz-policy-{digest:016x}.yaml"));
        if std::fs::read_to_string(&p).ok().as_deref() != Some(POLICY) {
            let own = dir.join(format!("kss-fuzz-policy-{}.tmp", std::process::id()));
            if let Err(e) = std::fs::write(&own, POLICY).and_then(|()| std::fs::rename(&own, &p)) {
                panic!("writing the fuzz policy to {}: {e}", p.display());
            }
        }
        p.display().to_string()
    })
}

/// The commands under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Inject,
    Plan,
    Lint,
}

impl Command {
    pub const ALL: [Command; 3] = [Command::Inject, Command::Plan, Command::Lint];

    pub fn name(self) -> &'static str {
        match self {
            Command::Inject => "inject",
            Command::Plan => "plan",
            Command::Lint => "lint",
        }
    }
}

/// What one in-process run produced.
pub struct Run {
    pub code: u8,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&self.stderr)
        )
    }
}

/// Runs `kubectl-sidecarset ARGS --sidecarset POLICY` on `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut argv = vec!["kubectl-sidecarset"];
    argv.extend_from_slice(args);
    argv.extend(["--sidecarset", policy_path()]);
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = run_with_io(argv, stdin, &mut stdout, &mut stderr);
    Run {
        code,
        stdout,
        stderr,
    }
}

/// Checks `cmd` on `input` against every invariant of the contract; the
/// command's exit status when they hold.
pub fn check(cmd: Command, input: &[u8]) -> Result<u8, String> {
    match cmd {
        Command::Inject => check_inject(input),
        Command::Plan => check_plan(input),
        Command::Lint => check_lint(input),
    }
}

fn fail<T>(what: &str, run: &Run) -> Result<T, String> {
    Err(format!("{what}\n{}", run.describe()))
}

/// A failing run: nothing on stdout, a located `error:` first on stderr.
fn check_failure(run: &Run) -> Result<(), String> {
    if !run.stdout.is_empty() {
        return fail("a failing run wrote to stdout", run);
    }
    check_error_line(run)
}

/// stderr's first line is `error: FILE:LINE:COL: ...` with LINE, COL >= 1,
/// FILE being standard input or the policy file.
fn check_error_line(run: &Run) -> Result<(), String> {
    let text = String::from_utf8_lossy(&run.stderr);
    let first = text.lines().next().unwrap_or_default();
    let Some(rest) = first.strip_prefix("error: ") else {
        return fail("stderr does not start with `error: `", run);
    };
    let Some(rest) = [STDIN, policy_path()]
        .iter()
        .find_map(|f| rest.strip_prefix(f).and_then(|r| r.strip_prefix(':')))
    else {
        return fail("the error does not name the input file", run);
    };
    let mut parts = rest.splitn(3, ':');
    let number = |p: Option<&str>| p.and_then(|s| s.parse::<usize>().ok());
    match (number(parts.next()), number(parts.next()), parts.next()) {
        (Some(line), Some(col), Some(tail)) if line >= 1 && col >= 1 && tail.starts_with(' ') => {
            Ok(())
        }
        _ => fail(
            "the error is not located as FILE:LINE:COL: with LINE, COL >= 1",
            run,
        ),
    }
}

fn check_code(run: &Run) -> Result<(), String> {
    if run.code > 2 {
        return fail("exit status outside 0, 1, 2", run);
    }
    Ok(())
}

/// A ResourceList on stdin runs the tool as a KRM function, which reports
/// failures inside the ResourceList it writes (the KRM functions spec).
fn is_resource_list(out: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(out) else {
        return false;
    };
    reader::parse_stream(text).is_ok_and(|chunks| {
        chunks.iter().any(|c| {
            c.value
                .as_ref()
                .and_then(|v| v.get("kind"))
                .and_then(Value::as_str)
                == Some("ResourceList")
        })
    })
}

fn check_inject(input: &[u8]) -> Result<u8, String> {
    let yaml = run(&["inject", "--quiet"], input);
    check_code(&yaml)?;
    let json = run(&["inject", "--quiet", "-o", "json"], input);
    check_code(&json)?;
    if yaml.code != json.code {
        return Err(format!(
            "-o yaml and -o json end differently\n--- yaml\n{}\n--- json\n{}",
            yaml.describe(),
            json.describe()
        ));
    }
    if yaml.code != 0 {
        if is_resource_list(&yaml.stdout) {
            return Ok(yaml.code);
        }
        check_failure(&yaml)?;
        return check_failure(&json).map(|()| yaml.code);
    }
    let Ok(out) = std::str::from_utf8(&yaml.stdout) else {
        return fail("the YAML output is not UTF-8", &yaml);
    };
    let chunks = match reader::parse_stream(out) {
        Ok(c) => c,
        Err(e) => return fail(&format!("the YAML output does not read back: {e:?}"), &yaml),
    };
    let json_value: Value = match serde_json::from_slice(&json.stdout) {
        Ok(v) => v,
        Err(e) => return fail(&format!("the -o json output is not JSON: {e}"), &json),
    };
    if !is_resource_list(&yaml.stdout) {
        same_objects(&chunks, json_value, &yaml)?;
        untouched_documents_kept(input, &chunks, &yaml)?;
    }
    let again = run(&["inject", "--quiet"], &yaml.stdout);
    if again.code != 0 {
        return fail(
            &format!("injecting the output again fails:\n{}", again.describe()),
            &yaml,
        );
    }
    if again.stdout != yaml.stdout && !out.contains("KRUISE_CONTAINER_BARRIER") {
        return fail(
            &format!(
                "injecting the output again changes it:\n--- second output\n{}",
                String::from_utf8_lossy(&again.stdout)
            ),
            &yaml,
        );
    }
    Ok(0)
}

/// The objects of a YAML stream, a `kind: List` giving its items.
fn objects(values: impl IntoIterator<Item = Value>) -> Vec<Value> {
    values
        .into_iter()
        .flat_map(|v| match v {
            Value::Object(ref o) if o.get("kind").and_then(Value::as_str) == Some("List") => o
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            other => vec![other],
        })
        .collect()
}

/// The YAML output reads as the objects of the JSON output; `-o json` alone
/// names the namespace of a Pod that does not (as the API server would).
fn same_objects(chunks: &[reader::Chunk], json: Value, yaml: &Run) -> Result<(), String> {
    let from_yaml = objects(chunks.iter().filter_map(|c| c.value.clone()));
    // One object in, one object out; a List (even of one item) stays a List.
    let values: Vec<&Value> = chunks.iter().filter_map(|c| c.value.as_ref()).collect();
    let single = from_yaml.len() == 1
        && values.len() == 1
        && values[0].get("kind").and_then(Value::as_str) != Some("List");
    let mut from_json = if single {
        vec![json]
    } else {
        objects(std::iter::once(json))
    };
    if from_yaml.len() != from_json.len() {
        return fail(
            &format!(
                "the YAML output holds {} objects, -o json {}",
                from_yaml.len(),
                from_json.len()
            ),
            yaml,
        );
    }
    for (y, j) in from_yaml.iter().zip(from_json.iter_mut()) {
        if y.pointer("/metadata/namespace").is_none()
            && j.get("kind").and_then(Value::as_str) == Some("Pod")
        {
            if let Some(m) = j.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("namespace");
            }
        }
        if y != j {
            return fail(
                &format!("the YAML output reads as another object than -o json prints:\n{y}\n{j}"),
                yaml,
            );
        }
    }
    Ok(())
}

/// Every input document whose value the tool left alone is in the output
/// with its bytes (a separator line may be added before it).
fn untouched_documents_kept(
    input: &[u8],
    out_chunks: &[reader::Chunk],
    yaml: &Run,
) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Ok(());
    };
    let Ok(in_chunks) = reader::parse_stream(text) else {
        return Ok(());
    };
    let out = String::from_utf8_lossy(&yaml.stdout);
    if in_chunks.len() != out_chunks.len() {
        return Ok(());
    }
    for (i, o) in in_chunks.iter().zip(out_chunks) {
        if i.value != o.value {
            continue;
        }
        let before = &text[i.range.clone()];
        let after = &out[o.range.clone()];
        let trim = |s: &str| {
            s.strip_prefix("---\n")
                .filter(|_| !before.starts_with("---"))
                .unwrap_or(s)
                .trim_end_matches('\n')
                .to_string()
        };
        if trim(after) != before.trim_end_matches('\n') {
            return fail(
                &format!(
                    "an unchanged document (line {}) changed its bytes:\n--- in\n{before}\n--- out\n{after}",
                    i.line
                ),
                yaml,
            );
        }
    }
    Ok(())
}

fn check_plan(input: &[u8]) -> Result<u8, String> {
    let plan = run(&["plan", "-o", "json"], input);
    check_code(&plan)?;
    if plan.code != 0 {
        return check_failure(&plan).map(|()| plan.code);
    }
    let v: Value = match serde_json::from_slice(&plan.stdout) {
        Ok(v) => v,
        Err(e) => return fail(&format!("the plan is not JSON: {e}"), &plan),
    };
    let Some(plans) = v.get("plans").and_then(Value::as_array) else {
        return fail("the plan has no `plans` list", &plan);
    };
    for p in plans {
        let shaped = p.get("sidecarSet").is_some_and(Value::is_string)
            && p.get("batches").is_some_and(Value::is_array)
            && p.get("notUpgradable").is_some_and(Value::is_array);
        if !shaped {
            return fail("a plan lacks sidecarSet, batches or notUpgradable", &plan);
        }
    }
    Ok(plan.code)
}

fn check_lint(input: &[u8]) -> Result<u8, String> {
    let lint = run(&["lint", "-o", "json"], input);
    check_code(&lint)?;
    if lint.code == 2 || (lint.code == 1 && lint.stdout.is_empty()) {
        if is_resource_list(&lint.stdout) {
            return Ok(lint.code);
        }
        return check_failure(&lint).map(|()| lint.code);
    }
    if is_resource_list(&lint.stdout) {
        return Ok(lint.code);
    }
    let v: Value = match serde_json::from_slice(&lint.stdout) {
        Ok(v) => v,
        Err(e) => return fail(&format!("the findings are not JSON: {e}"), &lint),
    };
    let Some(results) = v.get("results").and_then(Value::as_array) else {
        return fail("the findings have no `results` list", &lint);
    };
    let mut errors = 0;
    for r in results {
        let severity = r.get("severity").and_then(Value::as_str);
        // The contract names error and warning; best-practice notes are
        // `info` (docs/rules.md).
        if !matches!(severity, Some("error" | "warning" | "info")) {
            return fail("a finding has no severity error, warning or info", &lint);
        }
        errors += usize::from(severity == Some("error"));
        for key in ["rule", "object", "message"] {
            if !r.get(key).is_some_and(Value::is_string) {
                return fail(&format!("a finding has no `{key}`"), &lint);
            }
        }
        if let Some(line) = r.get("line") {
            if line.as_u64().is_none_or(|l| l < 1) {
                return fail("a finding's line is not at least 1", &lint);
            }
        }
    }
    // Exit 1 exactly when an error-severity finding exists.
    if (errors > 0) != (lint.code == 1) {
        return fail("the exit status does not match the error findings", &lint);
    }
    Ok(lint.code)
}

/// The reader alone: decoding bytes, splitting and parsing the stream, and
/// classifying documents never panic, and every error is located at line
/// and column 1 or later, within the text.
pub fn check_reader(input: &[u8]) -> Result<(), String> {
    let text = match source::decode(STDIN, input.to_vec()) {
        Ok(t) => t,
        Err(SourceError::Text(e)) => {
            let shown = String::from_utf8_lossy(input);
            return located(&shown, e.location.line, e.location.column, &e.message);
        }
        Err(e) => return Err(format!("decode failed without a location: {e}")),
    };
    match reader::parse_stream(&text) {
        Ok(chunks) => {
            // Concatenating the chunks gives the text back.
            let mut at = 0;
            for c in &chunks {
                if c.range.start != at || c.line < 1 {
                    return Err(format!(
                        "chunk at line {} spans {:?}, expected to start at {at}",
                        c.line, c.range
                    ));
                }
                at = c.range.end;
                if let Some(e) = &c.positions.unrepresentable {
                    located(&text, e.line, e.column, &e.message)?;
                }
            }
            if at != text.len() && !chunks.is_empty() {
                return Err(format!(
                    "the chunks end at {at}, the text at {}",
                    text.len()
                ));
            }
        }
        Err(e) => located(&text, e.line, e.column, &e.message)?,
    }
    let mut inputs = Inputs::default();
    let file = SourceFile::new(STDIN.into(), text.clone());
    if let Err(e) = inputs.add(file, false) {
        located(&text, e.location.line, e.location.column, &e.message)?;
    }
    Ok(())
}

/// A position names a character of `text`, or the end of one of its
/// lines. YAML parsers break lines at CR as well as LF (YAML 1.2 §5.4) and
/// JSON parsers at LF only, so either reading of the text will do.
fn located(text: &str, line: usize, column: usize, message: &str) -> Result<(), String> {
    // A CR before an LF ends its line; any other CR is a character of it
    // (the last line has no LF after it).
    let fits = |lines: Vec<&str>| {
        let last = lines.len();
        line >= 1
            && column >= 1
            && lines.get(line - 1).is_some_and(|l| {
                let l = if line < last {
                    l.strip_suffix('\r').unwrap_or(l)
                } else {
                    l
                };
                column <= l.chars().count() + 1
            })
    };
    let yaml_lines: Vec<&str> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .collect();
    if fits(text.split('\n').collect()) || fits(yaml_lines) {
        return Ok(());
    }
    Err(format!(
        "error at line {line}, column {column}, outside the text ({} lines): {message}",
        text.split('\n').count()
    ))
}

/// Runs `job` on a thread with the binary's stack size: documents may nest
/// as deeply as the tool allows, which the main thread's stack of a test or
/// fuzzer cannot hold. One worker thread serves every call. A panic in
/// `job` comes back as an `Err` (under libFuzzer its panic hook aborts
/// first, with the original backtrace).
pub fn on_big_stack<R: Send + 'static>(
    job: impl FnOnce() -> Result<R, String> + Send + 'static,
) -> Result<R, String> {
    use std::sync::mpsc::{channel, Sender};
    use std::sync::Mutex;
    type Job = Box<dyn FnOnce() + Send>;
    static WORKER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(kubectl_sidecarset::STACK_SIZE)
            .spawn(move || {
                for job in rx {
                    job();
                }
            });
        if let Err(e) = spawned {
            panic!("starting the worker thread: {e}");
        }
        Mutex::new(tx)
    });
    let (done_tx, done_rx) = channel();
    let wrapped: Job = Box::new(move || {
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                Err(format!("panic: {msg}"))
            });
        let _ = done_tx.send(result);
    });
    let sent = match worker.lock() {
        Ok(tx) => tx.send(wrapped).is_ok(),
        Err(_) => false,
    };
    if !sent {
        return Err("the worker thread is gone".into());
    }
    done_rx
        .recv()
        .unwrap_or_else(|_| Err("the worker thread died".into()))
}
