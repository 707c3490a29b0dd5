//! The KRM function protocol end to end with the real kpt: `kpt fn eval
//! --exec` and a Kptfile pipeline under `kpt fn render --allow-exec` run the
//! binary on copies of the examples and write the package back.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-sidecarset");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// kpt is part of the project's supported environment (CI has it); without
/// it there is nothing to drive.
fn have_kpt() -> bool {
    let found = Command::new("kpt").arg("version").output().is_ok();
    if !found {
        eprintln!("kpt not found: KRM function integration not exercised");
    }
    found
}

/// A fresh work directory holding a package `pkg` made of `files`
/// (paths relative to the repository).
fn package(name: &str, files: &[&str]) -> (PathBuf, PathBuf) {
    let work = std::env::temp_dir().join(format!("kss-kpt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let pkg = work.join("pkg");
    std::fs::create_dir_all(&pkg).expect("package dir");
    for f in files {
        let from = root().join(f);
        let to = pkg.join(from.file_name().expect("a file name"));
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {f}: {e}"));
    }
    (work, pkg)
}

fn kpt(cwd: &Path, args: &[&str]) -> Output {
    Command::new("kpt")
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", support::EPOCH)
        .output()
        .expect("kpt runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn snapshot(pkg: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(pkg)
        .expect("package readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), read(&p))).collect()
}

#[test]
fn fn_eval_injects_with_the_sidecarset_among_the_items() {
    if !have_kpt() {
        return;
    }
    let (work, pkg) = package(
        "eval",
        &[
            "examples/filebeat-deployment/deployment.yaml",
            "examples/filebeat-deployment/sidecarset.yaml",
        ],
    );
    let exec = format!("{BIN} inject");
    let out = kpt(&work, &["fn", "eval", "pkg", "--exec", &exec]);
    assert!(out.status.success(), "kpt fn eval failed:\n{}", text(&out));
    let deployment = read(&pkg.join("deployment.yaml"));
    assert!(deployment.contains("- name: filebeat"), "{deployment}");
    assert!(
        deployment.contains("kruise.io/sidecarset-injected-list: filebeat-sidecarset"),
        "{deployment}"
    );
    // kpt's bookkeeping annotations do not leak into the files.
    assert!(!deployment.contains("config.kubernetes.io"), "{deployment}");
    assert_eq!(
        read(&pkg.join("sidecarset.yaml")),
        read(&root().join("examples/filebeat-deployment/sidecarset.yaml")),
        "the SidecarSet item is not written back as read"
    );
    assert!(
        text(&out).contains("injected filebeat-sidecarset"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn fn_eval_takes_a_function_config() {
    if !have_kpt() {
        return;
    }
    let (work, pkg) = package(
        "fn-config",
        &["examples/filebeat-deployment/deployment.yaml"],
    );
    // sidecarSetFiles are relative to where kpt runs: the fixture directory.
    let fixtures = root().join("testdata/krm");
    let config = fixtures.join("injection.yaml");
    let exec = format!("{BIN} inject");
    let pkg_arg = pkg.display().to_string();
    let out = kpt(
        &fixtures,
        &[
            "fn",
            "eval",
            &pkg_arg,
            "--exec",
            &exec,
            "--fn-config",
            &config.display().to_string(),
        ],
    );
    assert!(out.status.success(), "kpt fn eval failed:\n{}", text(&out));
    let deployment = read(&pkg.join("deployment.yaml"));
    assert!(
        deployment.contains("kruise.io/sidecarset-injected-list: filebeat-team-a"),
        "{deployment}"
    );
    // The namespace is used for matching, not written.
    assert!(!deployment.contains("namespace: team-a"), "{deployment}");
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn fn_eval_refusal_writes_nothing() {
    if !have_kpt() {
        return;
    }
    let (work, pkg) = package(
        "refused",
        &[
            "examples/filebeat-deployment/deployment.yaml",
            "examples/filebeat-deployment/sidecarset.yaml",
            "testdata/krm/refused-deployment.yaml",
        ],
    );
    let before = snapshot(&pkg);
    let exec = format!("{BIN} inject");
    let out = kpt(&work, &["fn", "eval", "pkg", "--exec", &exec]);
    assert!(!out.status.success(), "kpt accepted:\n{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("[error] apps/v1/Deployment/web spec.template: admission webhook \"mpod.kb.io\" denied the request"),
        "{all}"
    );
    assert_eq!(
        snapshot(&pkg),
        before,
        "a failed function changed the package"
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn fn_eval_lint_fails_on_a_bad_sidecarset() {
    if !have_kpt() {
        return;
    }
    let (work, pkg) = package(
        "lint",
        &[
            "examples/filebeat-deployment/deployment.yaml",
            "examples/filebeat-deployment/sidecarset.yaml",
            "testdata/krm/bad-sidecarset.yaml",
        ],
    );
    let before = snapshot(&pkg);
    let exec = format!("{BIN} lint");
    let results = work.join("results");
    let out = kpt(
        &work,
        &[
            "fn",
            "eval",
            "pkg",
            "--exec",
            &exec,
            "--results-dir",
            &results.display().to_string(),
        ],
    );
    assert!(!out.status.success(), "kpt accepted:\n{}", text(&out));
    assert!(
        text(&out).contains("SidecarSet/no-selector spec: [SSV-020]"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(&pkg), before, "a validator changed the package");
    let recorded = read(&results.join("results.yaml"));
    for want in [
        "rule: SSV-020",
        "path: bad-sidecarset.yaml",
        "severity: error",
    ] {
        assert!(recorded.contains(want), "{want} not in:\n{recorded}");
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn fn_render_runs_a_kptfile_pipeline_and_is_stable() {
    if !have_kpt() {
        return;
    }
    let (work, pkg) = package(
        "render",
        &[
            "examples/filebeat-deployment/deployment.yaml",
            "examples/filebeat-deployment/sidecarset.yaml",
        ],
    );
    std::fs::write(
        pkg.join("Kptfile"),
        format!(
            "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\npipeline:\n  mutators:\n    - exec: \"{BIN} inject\"\n  validators:\n    - exec: \"{BIN} lint\"\n"
        ),
    )
    .expect("Kptfile");
    let out = kpt(&work, &["fn", "render", "pkg", "--allow-exec"]);
    assert!(
        out.status.success(),
        "kpt fn render failed:\n{}",
        text(&out)
    );
    let deployment = read(&pkg.join("deployment.yaml"));
    assert!(deployment.contains("- name: filebeat"), "{deployment}");
    // With the clock fixed, a second render finds nothing to do.
    let rendered = snapshot(&pkg);
    let again = kpt(&work, &["fn", "render", "pkg", "--allow-exec"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(
        snapshot(&pkg),
        rendered,
        "rendering twice changed the package"
    );
    let _ = std::fs::remove_dir_all(&work);
}
