//! The krew manifest template (`plugins/sidecarset.yaml`) and the release
//! workflow (`.github/workflows/release.yml`) agree, and the manifest the
//! workflow renders passes krew's checks (krew v0.4.5:
//! `internal/index/validation` and `cmd/validate-krew-manifest`). The
//! workflow itself only runs on GitHub; this is what can be checked here.

use kubectl_sidecarset::yaml::parse_document;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(text: &str, what: &str) -> Value {
    parse_document(text)
        .unwrap_or_else(|e| panic!("{what}: {e:?}"))
        .unwrap_or_else(|| panic!("{what}: empty"))
        .0
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{pointer}: not a string"))
}

/// The `${NAME}` placeholders of the template (the render step's own
/// pattern: upper case, digits and `_` only).
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        if let Some(end) = after.find('}') {
            let name = &after[..end];
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                found.insert(name.to_string());
            }
        }
        rest = after;
    }
    found
}

/// The release workflow's build matrix: (target, archive, krew os/arch).
fn matrix(workflow: &Value) -> Vec<(String, String, String)> {
    workflow
        .pointer("/jobs/build/strategy/matrix/include")
        .and_then(Value::as_array)
        .expect("build matrix")
        .iter()
        .map(|e| {
            (
                s(e, "/target").to_string(),
                s(e, "/archive").to_string(),
                s(e, "/krew").to_string(),
            )
        })
        .collect()
}

/// What the render step names the checksum of `target`'s archive.
fn sha_var(target: &str) -> String {
    format!("SHA256_{}", target.to_ascii_uppercase().replace('-', "_"))
}

const REPO: &str = "example/kubectl-sidecarset";

/// The template rendered as the workflow renders it, with stand-in sums.
fn rendered(template: &str, targets: &[String]) -> (String, Vec<String>) {
    let mut text = template
        .replace("${VERSION}", env!("CARGO_PKG_VERSION"))
        .replace("${GITHUB_REPOSITORY}", REPO);
    let mut sums = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let sum = format!("{:064x}", 0xabc0 + i);
        text = text.replace(&format!("${{{}}}", sha_var(t)), &sum);
        sums.push(sum);
    }
    (text, sums)
}

#[test]
fn manifest_platforms_are_the_workflow_builds() {
    let template = read("plugins/sidecarset.yaml");
    let workflow = yaml(&read(".github/workflows/release.yml"), "release.yml");
    let builds = matrix(&workflow);
    let manifest = yaml(&template, "plugins/sidecarset.yaml");

    let platforms = manifest
        .pointer("/spec/platforms")
        .and_then(Value::as_array)
        .expect("spec.platforms");
    let labels: BTreeSet<String> = platforms
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                s(p, "/selector/matchLabels/os"),
                s(p, "/selector/matchLabels/arch")
            )
        })
        .collect();
    let expected: BTreeSet<String> = [
        "linux/amd64",
        "linux/arm64",
        "darwin/amd64",
        "darwin/arm64",
        "windows/amd64",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(labels, expected);
    assert_eq!(platforms.len(), labels.len(), "one entry per platform");
    let built: BTreeSet<String> = builds.iter().map(|(_, _, k)| k.clone()).collect();
    assert_eq!(
        built, expected,
        "the workflow builds every platform, no more"
    );

    // The workflow names each archive kubectl-sidecarset-<tag>-<target>.<ext>;
    // the manifest must point at exactly that release asset.
    let asset = s(&workflow, "/jobs/build/env/ASSET");
    assert_eq!(
        asset,
        "kubectl-sidecarset-${{ github.ref_name }}-${{ matrix.target }}.${{ matrix.archive }}"
    );
    for p in platforms {
        let krew = format!(
            "{}/{}",
            s(p, "/selector/matchLabels/os"),
            s(p, "/selector/matchLabels/arch")
        );
        let (target, archive, _) = builds
            .iter()
            .find(|(_, _, k)| *k == krew)
            .unwrap_or_else(|| panic!("{krew} not built"));
        let file = asset
            .replace("${{ github.ref_name }}", "v${VERSION}")
            .replace("${{ matrix.target }}", target)
            .replace("${{ matrix.archive }}", archive);
        assert_eq!(
            s(p, "/uri"),
            format!(
                "https://github.com/${{GITHUB_REPOSITORY}}/releases/download/v${{VERSION}}/{file}"
            ),
            "{krew}"
        );
        assert_eq!(
            s(p, "/sha256"),
            format!("${{{}}}", sha_var(target)),
            "{krew}"
        );
        let windows = krew.starts_with("windows/");
        assert_eq!(archive, if windows { "zip" } else { "tar.gz" }, "{krew}");
        let bin = s(p, "/bin");
        assert_eq!(
            bin,
            if windows {
                "kubectl-sidecarset.exe"
            } else {
                "kubectl-sidecarset"
            },
            "{krew}"
        );
        let from: Vec<&str> = p
            .pointer("/files")
            .and_then(Value::as_array)
            .expect("files")
            .iter()
            .map(|f| s(f, "/from"))
            .collect();
        assert!(from.contains(&bin), "{krew}: the binary is kept");
        assert!(
            from.contains(&"LICENSE"),
            "{krew}: krew-index wants a licence"
        );
    }
}

#[test]
fn the_workflow_fills_every_placeholder() {
    let template = read("plugins/sidecarset.yaml");
    let workflow_text = read(".github/workflows/release.yml");
    let workflow = yaml(&workflow_text, "release.yml");
    let mut provided: BTreeSet<String> = matrix(&workflow)
        .iter()
        .map(|(t, _, _)| sha_var(t))
        .collect();
    provided.insert("VERSION".into());
    provided.insert("GITHUB_REPOSITORY".into());
    assert_eq!(placeholders(&template), provided);
    // The render step derives the variable names from the archive names the
    // same way `sha_var` does, and refuses to render with one unset.
    let render = workflow
        .pointer("/jobs/release/steps")
        .and_then(Value::as_array)
        .and_then(|steps| {
            steps
                .iter()
                .find(|st| st.get("name") == Some(&Value::from("Render the krew manifest")))
        })
        .map(|st| s(st, "/run"))
        .expect("render step");
    assert!(render.contains("tr 'a-z-' 'A-Z_'"), "{render}");
    assert!(render.contains("envsubst \"$vars\""), "{render}");
    assert!(render.contains("no value for placeholder"), "{render}");
}

#[test]
fn the_rendered_manifest_passes_krews_checks() {
    let template = read("plugins/sidecarset.yaml");
    let workflow = yaml(&read(".github/workflows/release.yml"), "release.yml");
    let targets: Vec<String> = matrix(&workflow).into_iter().map(|(t, _, _)| t).collect();
    let (text, sums) = rendered(&template, &targets);
    assert!(placeholders(&text).is_empty());
    let m = yaml(&text, "rendered manifest");

    assert_eq!(
        s(&m, "/apiVersion"),
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(s(&m, "/kind"), "Plugin");
    // The name is the file's stem, and `kubectl sidecarset` runs kubectl-sidecarset.
    assert_eq!(s(&m, "/metadata/name"), "sidecarset");
    let short = s(&m, "/spec/shortDescription");
    assert!(!short.is_empty() && !short.contains(['\r', '\n']));
    let version = s(&m, "/spec/version");
    assert_eq!(version, format!("v{}", env!("CARGO_PKG_VERSION")));
    let core: Vec<&str> = version
        .trim_start_matches('v')
        .split(['-', '+'])
        .next()
        .unwrap_or_default()
        .split('.')
        .collect();
    assert!(
        core.len() == 3 && core.iter().all(|n| n.parse::<u64>().is_ok()),
        "semver with a v: {version}"
    );
    assert_eq!(
        s(&m, "/spec/homepage"),
        format!("https://github.com/{REPO}")
    );

    let platforms = m
        .pointer("/spec/platforms")
        .and_then(Value::as_array)
        .expect("platforms");
    let mut seen_sums = Vec::new();
    for p in platforms {
        assert!(s(p, "/uri").starts_with("https://github.com/"));
        let sum = s(p, "/sha256");
        assert!(
            sum.len() == 64
                && sum
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "krew's ^[a-f0-9]{{64}}$: {sum}"
        );
        seen_sums.push(sum.to_string());
        assert!(!s(p, "/bin").is_empty());
        let files = p
            .pointer("/files")
            .and_then(Value::as_array)
            .expect("files");
        assert!(!files.is_empty());
        for f in files {
            assert!(!s(f, "/from").is_empty() && !s(f, "/to").is_empty());
        }
        let selector = p
            .pointer("/selector/matchLabels")
            .and_then(Value::as_object)
            .expect("selector");
        assert!(!selector.is_empty());
        for key in selector.keys() {
            assert!(
                key == "os" || key == "arch",
                "krew supports os and arch only: {key}"
            );
        }
    }
    seen_sums.sort();
    let mut expected_sums = sums;
    expected_sums.sort();
    assert_eq!(seen_sums, expected_sums, "each archive's own sum");
}

#[test]
fn releases_build_with_the_dist_profile() {
    // A published package carries the manifest as written in
    // Cargo.toml.orig; its Cargo.toml is cargo's normalised rewrite.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = read(if root.join("Cargo.toml.orig").is_file() {
        "Cargo.toml.orig"
    } else {
        "Cargo.toml"
    });
    let dist = cargo
        .split("\n[")
        .find(|section| section.starts_with("profile.dist]"))
        .expect("[profile.dist] in Cargo.toml");
    for line in [
        "inherits = \"release\"",
        "strip = true",
        "debug = false",
        "codegen-units = 1",
    ] {
        assert!(
            dist.lines().any(|l| l.trim() == line),
            "[profile.dist] lacks {line}"
        );
    }
    let workflow = yaml(&read(".github/workflows/release.yml"), "release.yml");
    let build = workflow
        .pointer("/jobs/build/steps")
        .and_then(Value::as_array)
        .and_then(|steps| {
            steps
                .iter()
                .find(|st| st.get("name") == Some(&Value::from("Build")))
        })
        .map(|st| s(st, "/run"))
        .expect("build step");
    assert!(build.contains("--profile dist"), "{build}");
    assert!(build.contains("--target ${{ matrix.target }}"), "{build}");
    assert!(build.contains("--locked"), "{build}");
    // Linux builds are the static musl ones.
    for (target, _, krew) in matrix(&workflow) {
        if krew.starts_with("linux/") {
            assert!(target.ends_with("-unknown-linux-musl"), "{target}");
        }
    }
}
