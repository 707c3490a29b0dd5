//! Shared helpers for the black-box tests: running the binary hermetically
//! and reading golden cases.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(crate) const EPOCH: &str = "1704067200";

/// One golden case directory.
pub(crate) struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub args: Vec<String>,
}

/// What a run produced (or is expected to).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

pub(crate) fn golden_cases(root: &Path) -> Vec<Case> {
    let base = root.join("testdata/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let cmd = std::fs::read_to_string(dir.join("cmd"))
                .unwrap_or_else(|e| panic!("{}: cmd: {e}", dir.display()));
            let args = cmd
                .split_whitespace()
                .map(|a| a.replace("$ROOT", &root.display().to_string()))
                .collect();
            Case {
                name: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dir,
                args,
            }
        })
        .collect()
}

/// Runs the binary with `args` in `cwd`, feeding `stdin`.
pub(crate) fn run(cwd: &Path, args: &[String], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"));
    cmd.args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        pipe.write_all(input).expect("stdin written");
    }
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

pub(crate) fn run_case(root: &Path, case: &Case) -> Run {
    let _ = root;
    let stdin = std::fs::read(case.dir.join("stdin")).ok();
    let mut got = run(&case.dir, &case.args, stdin.as_deref());
    // Paths in messages are relative to the case directory already; the
    // repository root is machine-specific.
    let root_s = root.display().to_string();
    got.stdout = got.stdout.replace(&root_s, "$ROOT");
    got.stderr = got.stderr.replace(&root_s, "$ROOT");
    got
}

pub(crate) fn read_expected(case: &Case) -> Run {
    let read = |f: &str| std::fs::read_to_string(case.dir.join(f)).unwrap_or_default();
    Run {
        stdout: read("stdout"),
        stderr: read("stderr"),
        status: read("status").trim().parse().unwrap_or(0),
    }
}

pub(crate) fn write_expected(case: &Case, got: &Run) {
    let write =
        |f: &str, s: &str| std::fs::write(case.dir.join(f), s).expect("golden file written");
    write("stdout", &got.stdout);
    write("stderr", &got.stderr);
    write("status", &format!("{}\n", got.status));
}

/// The first differing lines, for a readable failure.
pub(crate) fn short_diff(want: &str, got: &str) -> String {
    let diff = similar::TextDiff::from_lines(want, got);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("expected", "got")
        .to_string();
    text.lines().take(40).collect::<Vec<_>>().join("\n")
}
pub(crate) mod normalise;
