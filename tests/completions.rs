//! The completion scripts shipped in `completions/` are what the binary
//! generates, and the kubectl plugin completer completes through them.

use std::path::Path;
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_kubectl-sidecarset")
}

#[test]
fn shipped_scripts_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(bin())
            .args(["completion", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let shipped = std::fs::read(root.join(format!("completions/kubectl-sidecarset.{shell}")))
            .expect("shipped script");
        assert!(
            shipped == out.stdout,
            "completions/kubectl-sidecarset.{shell} is stale: regenerate with `kubectl-sidecarset completion {shell}`"
        );
    }
}

#[test]
fn kubectl_plugin_completer_completes_flags_and_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin_dir = Path::new(bin()).parent().expect("bin dir");
    let path = format!(
        "{}:{}:{}",
        bin_dir.display(),
        root.join("completions").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let complete = |args: &[&str]| -> Vec<String> {
        let out = Command::new(root.join("completions/kubectl_complete-sidecarset"))
            .args(args)
            .env("PATH", &path)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(complete(&["pl"]), ["plan"]);
    assert_eq!(complete(&["plan", "--no-r"]), ["--no-ready"]);
    assert_eq!(
        complete(&["plan", "-o", ""]),
        ["table", "wide", "json", "yaml"]
    );
}
