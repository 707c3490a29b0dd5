//! The kustomize guide of `docs/integrations.md`, run as written with the
//! kustomize built into kubectl: the binary, linked under the plugin name by
//! the guide's own install commands, runs as a legacy exec transformer plugin
//! inside `kubectl kustomize --enable-alpha-plugins`.
//!
//! The layout is built from the guide: every ```` ```yaml ```` block whose
//! first line is `# PATH` is the file PATH; the ```` ```text ```` block lists
//! the tree, where `(the workloads)` and `(the SidecarSets)` mark the files
//! the guide leaves to the reader (filled with `examples/filebeat-deployment`).
//! The ```` ```sh ```` blocks run verbatim with bash, in the layout's root.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The fenced blocks of the guide's kustomize section: (info, body).
fn blocks(doc: &str) -> Vec<(String, String)> {
    let start = doc.find("## With kustomize").expect("a kustomize section");
    let section = &doc[start..];
    let section = section[3..]
        .find("\n## ")
        .map_or(section, |end| &section[..end + 3]);
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push((info.trim().to_string(), body.join("\n") + "\n"));
    }
    out
}

struct Guide {
    files: BTreeMap<String, String>,
    install: String,
    build: String,
}

fn guide(root: &Path) -> Guide {
    let doc = std::fs::read_to_string(root.join("docs/integrations.md")).expect("guide");
    let example = root.join("examples/filebeat-deployment");
    let mut files = BTreeMap::new();
    let mut layout = Vec::new();
    let mut sh = Vec::new();
    for (info, body) in blocks(&doc) {
        match info.as_str() {
            "yaml" => {
                let path = body
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("# "))
                    .unwrap_or_else(|| panic!("a yaml block without a `# PATH` line:\n{body}"));
                files.insert(path.trim().to_string(), body.clone());
            }
            "text" => layout.extend(body.lines().map(str::to_string)),
            "sh" => sh.push(body),
            other => panic!("unexpected block `{other}` in the kustomize guide"),
        }
    }
    assert!(!layout.is_empty(), "the guide shows no layout");
    for entry in &layout {
        let path = entry
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if files.contains_key(&path) {
            continue;
        }
        let source = if entry.contains("(the workloads)") {
            example.join("deployment.yaml")
        } else if entry.contains("(the SidecarSets)") {
            example.join("sidecarset.yaml")
        } else {
            panic!("the layout names {path} but the guide shows no content for it");
        };
        files.insert(path, std::fs::read_to_string(source).expect("example"));
    }
    let pick = |needle: &str| {
        sh.iter()
            .find(|b| b.contains(needle))
            .unwrap_or_else(|| panic!("no sh block with `{needle}`"))
            .clone()
    };
    Guide {
        files,
        install: pick("ln -sf"),
        build: pick("kubectl kustomize --enable-alpha-plugins"),
    }
}

/// Runs a guide's shell block in `dir` with the test's plugin home and the
/// built binary on PATH.
fn sh(script: &str, dir: &Path, work: &Path) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"))
        .parent()
        .expect("binary directory")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", work)
        .env("XDG_CONFIG_HOME", work.join("xdg"))
        .env("SOURCE_DATE_EPOCH", support::EPOCH)
        .output()
        .expect("bash runs")
}

fn write_layout(dir: &Path, files: &BTreeMap<String, String>) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("layout directory");
        std::fs::write(&path, text).expect("layout file");
    }
}

#[test]
fn the_kustomize_guide_runs_as_written() {
    if !kubectl_available() {
        // kubectl is part of the project's supported environment (CI has it);
        // without it there is no kustomize to drive.
        eprintln!("kubectl not found: kustomize integration not exercised");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let g = guide(root);
    let work: PathBuf = std::env::temp_dir().join(format!("kss-kustomize-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let tree = work.join("repo");
    write_layout(&tree, &g.files);

    let out = sh(&g.install, &tree, &work);
    assert!(
        out.status.success(),
        "plugin install failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sh(&g.build, &tree, &work);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "`{}` failed: {}",
        g.build.trim(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("image: docker.elastic.co/beats/filebeat:"),
        "no filebeat sidecar in:\n{stdout}"
    );
    assert!(
        stdout.contains("kruise.io/sidecarset-injected-list: filebeat-sidecarset"),
        "{stdout}"
    );

    // The mistake the guide warns about: a path relative to where kustomize
    // was started. The error names the directory it was resolved from.
    let mut wrong = g.files.clone();
    let config = wrong
        .values_mut()
        .find(|t| t.contains("argsOneLiner:"))
        .expect("the plugin config");
    *config = config.replace("../../platform/", "platform/");
    write_layout(&tree, &wrong);
    let out = sh(&g.build, &tree, &work);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a wrong path must fail");
    assert!(
        stderr.contains("platform/sidecarsets")
            && stderr.contains(&format!(
                "relative to {}",
                tree.join("overlays/prod").display()
            )),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&work);
}
