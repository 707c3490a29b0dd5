//! `kubectl sidecarset <TAB>` through the real kubectl: kubectl runs
//! `completions/kubectl_complete-sidecarset` from PATH with the words after
//! `kubectl sidecarset`, which hands them to the binary's hidden
//! `__complete`. What kubectl prints to the shell is checked here, as is the
//! command name help shows when kubectl runs the binary as its plugin.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kubectl_available() -> bool {
    let found = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // kubectl is part of the supported environment (CI has it); without
        // it there is no plugin mechanism to drive.
        eprintln!("kubectl not found: plugin completion not exercised");
    }
    found
}

/// A PATH whose first directory holds the plugin and its completer, as
/// `kubectl krew install` or a package would lay them out.
struct PluginPath {
    dir: PathBuf,
}

impl PluginPath {
    fn new(test: &str) -> PluginPath {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = std::env::temp_dir().join(format!("kss-kubectl-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for (link, target) in [
            (
                "kubectl-sidecarset",
                PathBuf::from(env!("CARGO_BIN_EXE_kubectl-sidecarset")),
            ),
            (
                "kubectl_complete-sidecarset",
                root.join("completions/kubectl_complete-sidecarset"),
            ),
        ] {
            let link = dir.join(link);
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(target, &link).expect("symlink");
        }
        PluginPath { dir }
    }

    fn path_var(&self) -> String {
        format!(
            "{}:{}",
            self.dir.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .args(args)
            .env("PATH", self.path_var())
            .env_remove("KUBECTL_SIDECARSET_AS_PLUGIN")
            .output()
            .expect("kubectl runs")
    }

    /// `kubectl __complete sidecarset WORDS...`: the candidates (value,
    /// description) and the directive, as the shell scripts read them.
    fn complete(&self, words: &[&str]) -> (Vec<(String, String)>, u32) {
        let mut args = vec!["__complete", "sidecarset"];
        args.extend_from_slice(words);
        let out = self.kubectl(&args);
        assert!(out.status.success(), "{words:?}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines: Vec<&str> = stdout.lines().collect();
        let directive = lines
            .pop()
            .and_then(|l| l.strip_prefix(':'))
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("{words:?}: no directive line in {stdout:?}"));
        let candidates = lines
            .into_iter()
            .map(|l| match l.split_once('\t') {
                Some((v, d)) => (v.to_string(), d.to_string()),
                None => (l.to_string(), String::new()),
            })
            .collect();
        (candidates, directive)
    }

    fn values(&self, words: &[&str]) -> (Vec<String>, u32) {
        let (c, d) = self.complete(words);
        (c.into_iter().map(|(v, _)| v).collect(), d)
    }
}

impl Drop for PluginPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const NO_FILE_COMP: u32 = 4;
const FILE_COMP: u32 = 0;

#[test]
fn subcommands_with_descriptions() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("sub");
    let (c, d) = p.complete(&[""]);
    assert_eq!(d, NO_FILE_COMP);
    let names: Vec<&str> = c.iter().map(|(v, _)| v.as_str()).collect();
    for sub in [
        "inject",
        "hash",
        "plan",
        "lint",
        "diff",
        "explain",
        "completion",
    ] {
        assert!(names.contains(&sub), "{sub} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.starts_with("__")), "{names:?}");
    let plan = c.iter().find(|(v, _)| v == "plan").map(|(_, d)| d.as_str());
    assert_eq!(
        plan,
        Some("Plan the controller's in-place rollout of SidecarSets, batch by batch")
    );
    assert_eq!(p.values(&["pl"]), (vec!["plan".to_string()], NO_FILE_COMP));
}

#[test]
fn flags_of_the_subcommand() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("flags");
    assert_eq!(
        p.values(&["plan", "--no-r"]),
        (vec!["--no-ready".to_string()], NO_FILE_COMP)
    );
    let (c, d) = p.complete(&["lint", "--st"]);
    assert_eq!(d, NO_FILE_COMP);
    assert_eq!(
        c,
        [(
            "--strict".to_string(),
            "Warnings fail the run too".to_string()
        )]
    );
    // kubectl drops its own global flags for plugins: only the plugin's.
    let (flags, _) = p.values(&["inject", "--"]);
    assert!(flags.contains(&"--sidecarset".to_string()), "{flags:?}");
    assert!(!flags.contains(&"--kubeconfig".to_string()), "{flags:?}");
}

#[test]
fn output_formats_per_command() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("output");
    for (cmd, formats) in [
        ("inject", &["yaml", "json", "json-patch"][..]),
        ("hash", &["table", "json", "yaml"]),
        ("plan", &["table", "wide", "json", "yaml"]),
        ("lint", &["text", "json", "sarif", "junit", "github"]),
        ("explain", &["text", "json"]),
    ] {
        assert_eq!(
            p.values(&[cmd, "-o", ""]),
            (
                formats.iter().map(|f| f.to_string()).collect(),
                NO_FILE_COMP
            ),
            "{cmd} -o"
        );
    }
    assert_eq!(
        p.values(&["plan", "--output=w"]),
        (vec!["--output=wide".to_string()], NO_FILE_COMP)
    );
}

#[test]
fn lint_ignore_completes_rule_ids() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("ignore");
    let (c, d) = p.complete(&["lint", "--ignore", ""]);
    assert_eq!(d, NO_FILE_COMP);
    let expected: Vec<(String, String)> = kubectl_sidecarset::lint::RULES
        .iter()
        .map(|r| (r.id.to_string(), r.title.to_string()))
        .collect();
    assert_eq!(c, expected);
    // A comma-separated list completes its last item, without repeats.
    let (v, _) = p.values(&["lint", "--ignore", "SSV-001,SSV-00"]);
    assert_eq!(
        v,
        [
            "SSV-001,SSV-000",
            "SSV-001,SSV-002",
            "SSV-001,SSV-003",
            "SSV-001,SSV-004"
        ]
    );
}

#[test]
fn color_values() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("color");
    for cmd in ["plan", "lint", "diff"] {
        assert_eq!(
            p.values(&[cmd, "--color", ""]),
            (
                vec![
                    "auto".to_string(),
                    "always".to_string(),
                    "never".to_string()
                ],
                NO_FILE_COMP
            ),
            "{cmd}"
        );
    }
}

#[test]
fn files_for_path_flags() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("files");
    for words in [
        &["inject", "-f", ""][..],
        &["inject", "--filename", "exa"],
        &["lint", "--sidecarset", ""],
        &["plan", "--from", ""],
        &["diff", "--from", "old"],
    ] {
        assert_eq!(p.values(words), (Vec::new(), FILE_COMP), "{words:?}");
    }
    // The word after a file flag is its value, and the next word is
    // completed as a flag again.
    assert_eq!(
        p.values(&["inject", "-f", "plan", "--qu"]),
        (vec!["--quiet".to_string()], NO_FILE_COMP)
    );
}

fn usage_line(out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .find(|l| l.starts_with("Usage: "))
        .unwrap_or_else(|| panic!("no usage line in {text:?}"))
        .to_string()
}

#[test]
fn usage_names_the_plugin_when_kubectl_runs_it() {
    if !kubectl_available() {
        return;
    }
    let p = PluginPath::new("usage");
    assert_eq!(
        usage_line(&p.kubectl(&["sidecarset", "--help"])),
        "Usage: kubectl sidecarset <COMMAND>"
    );
    assert_eq!(
        usage_line(&p.kubectl(&["sidecarset", "inject", "--help"])),
        "Usage: kubectl sidecarset inject [OPTIONS]"
    );
    let bad = p.kubectl(&["sidecarset", "lint", "--bogus"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        usage_line(&bad),
        "Usage: kubectl sidecarset lint [OPTIONS] [FILE]..."
    );

    // Run directly, it is the binary, even from the PATH kubectl uses...
    let direct = Command::new("kubectl-sidecarset")
        .arg("--help")
        .env("PATH", p.path_var())
        .env_remove("KUBECTL_SIDECARSET_AS_PLUGIN")
        .output()
        .expect("runs");
    assert_eq!(usage_line(&direct), "Usage: kubectl-sidecarset <COMMAND>");
    // ...or by a path that is not the one on PATH.
    let elsewhere = Command::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"))
        .arg("--help")
        .env("PATH", p.path_var())
        .env_remove("KUBECTL_SIDECARSET_AS_PLUGIN")
        .output()
        .expect("runs");
    assert_eq!(
        usage_line(&elsewhere),
        "Usage: kubectl-sidecarset <COMMAND>"
    );

    // The variable overrides the guess both ways.
    let forced = Command::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"))
        .args(["hash", "--help"])
        .env("KUBECTL_SIDECARSET_AS_PLUGIN", "1")
        .output()
        .expect("runs");
    assert_eq!(
        usage_line(&forced),
        "Usage: kubectl sidecarset hash [OPTIONS]"
    );
    let denied = Command::new("kubectl")
        .args(["sidecarset", "--help"])
        .env("PATH", p.path_var())
        .env("KUBECTL_SIDECARSET_AS_PLUGIN", "0")
        .output()
        .expect("runs");
    assert_eq!(usage_line(&denied), "Usage: kubectl-sidecarset <COMMAND>");
}
