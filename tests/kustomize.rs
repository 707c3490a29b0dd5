//! The kustomize integration, end to end with the kustomize built into
//! kubectl: the binary, linked under the plugin name, runs as a legacy exec
//! transformer plugin inside `kubectl kustomize --enable-alpha-plugins`.

mod support;

use std::path::Path;
use std::process::Command;

#[test]
fn runs_as_a_kustomize_exec_transformer() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        // kubectl is part of the project's supported environment (CI has it);
        // without it there is no kustomize to drive.
        eprintln!("kubectl not found: kustomize integration not exercised");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("kss-kustomize-{}", std::process::id()));
    let plugin_dir = work.join("xdg/kustomize/plugin/kubectl-sidecarset.dev/v1/sidecarsetinjector");
    let app = work.join("app");
    std::fs::create_dir_all(&plugin_dir).expect("plugin dir");
    std::fs::create_dir_all(&app).expect("app dir");
    let plugin = plugin_dir.join("SidecarSetInjector");
    let _ = std::fs::remove_file(&plugin);
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubectl-sidecarset"), &plugin).expect("symlink");
    let examples = root.join("examples/filebeat-deployment");
    std::fs::copy(
        examples.join("deployment.yaml"),
        app.join("deployment.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        examples.join("sidecarset.yaml"),
        app.join("sidecarset.yaml"),
    )
    .expect("copy");
    std::fs::write(
        app.join("inject.yaml"),
        "apiVersion: kubectl-sidecarset.dev/v1\nkind: SidecarSetInjector\nmetadata:\n  name: inject\n\
         argsOneLiner: inject --quiet --sidecarset sidecarset.yaml\n",
    )
    .expect("plugin config");
    std::fs::write(
        app.join("kustomization.yaml"),
        "resources: [deployment.yaml]\ntransformers: [inject.yaml]\n",
    )
    .expect("kustomization");
    let out = Command::new("kubectl")
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(&app)
        .env("XDG_CONFIG_HOME", work.join("xdg"))
        .env("SOURCE_DATE_EPOCH", support::EPOCH)
        .output()
        .expect("kubectl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "kubectl kustomize failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("name: filebeat"),
        "no filebeat sidecar in:\n{stdout}"
    );
    assert!(
        stdout.contains("kruise.io/sidecarset-injected-list: filebeat-sidecarset"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&work);
}
