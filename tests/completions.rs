//! The completion scripts shipped in `completions/` are what the binary
//! generates. The kubectl plugin completer is tested through kubectl in
//! `kubectl_complete.rs`.

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
