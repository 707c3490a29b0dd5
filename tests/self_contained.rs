//! The crate carries its own copies of the spec its comments cite
//! (`docs/spec`) and of the conformance cases its tests replay
//! (`testdata/conformance`), so a lone clone or the published package still
//! documents and tests itself. The upstream copies live in `../shared`
//! beside the clone; where that directory exists these tests hold the
//! in-repo copies byte-equal to it, so an upstream change cannot be missed.
//! Where it does not (a lone clone, `cargo package`), they say so and pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    dir.is_dir().then_some(dir)
}

/// Every file under `dir`, by path relative to it (with `/` separators).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            if path.is_dir() {
                walk(base, &path, out);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rel = path.strip_prefix(base).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(rel.join("/"), bytes);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// How `ours` (named `ours_name`) differs from `upstream`: files missing,
/// extra or with other content.
fn drift(
    ours_name: &str,
    ours: &BTreeMap<String, Vec<u8>>,
    upstream_name: &str,
    upstream: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, bytes) in upstream {
        match ours.get(name) {
            None => out.push(format!("{ours_name}/{name}: missing (in {upstream_name})")),
            Some(b) if b != bytes => out.push(format!(
                "{ours_name}/{name}: differs from {upstream_name}/{name}"
            )),
            Some(_) => {}
        }
    }
    for name in ours.keys().filter(|n| !upstream.contains_key(*n)) {
        out.push(format!("{ours_name}/{name}: not in {upstream_name}"));
    }
    out
}

#[test]
fn conformance_cases_match_upstream() {
    let ours = root().join("testdata/conformance");
    let mut kinds: Vec<String> = std::fs::read_dir(&ours)
        .unwrap_or_else(|e| panic!("{}: {e}", ours.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    // The Rust tests replay these two kinds; the others stay with the runner.
    assert_eq!(kinds, ["default", "validate"], "{}", ours.display());
    let Some(shared) = shared() else {
        println!(
            "note: no ../shared beside {}; testdata/conformance not compared with upstream",
            root().display()
        );
        return;
    };
    let mut failures = Vec::new();
    for kind in &kinds {
        let mine = files(&ours.join(kind));
        assert!(!mine.is_empty(), "testdata/conformance/{kind} is empty");
        let upstream_dir = shared.join("conformance/cases").join(kind);
        let upstream = if upstream_dir.is_dir() {
            files(&upstream_dir)
        } else {
            BTreeMap::new()
        };
        failures.extend(drift(
            &format!("testdata/conformance/{kind}"),
            &mine,
            &format!("../shared/conformance/cases/{kind}"),
            &upstream,
        ));
    }
    assert!(
        failures.is_empty(),
        "the in-repo conformance cases drifted from ../shared (refresh with \
         `rm -rf testdata/conformance/KIND && mkdir testdata/conformance/KIND && cp ../shared/conformance/cases/KIND/*.json testdata/conformance/KIND/`):\n{}",
        failures.join("\n")
    );
}

#[test]
fn spec_matches_upstream() {
    let mine = files(&root().join("docs/spec"));
    assert!(mine.contains_key("README.md"), "docs/spec/README.md");
    let Some(shared) = shared() else {
        println!(
            "note: no ../shared beside {}; docs/spec not compared with upstream",
            root().display()
        );
        return;
    };
    let mut upstream = files(&shared.join("spec"));
    // The CLI contract sits beside the spec upstream; here it joins it.
    let contract = shared.join("cli-contract.md");
    let contract =
        std::fs::read(&contract).unwrap_or_else(|e| panic!("{}: {e}", contract.display()));
    upstream.insert("cli-contract.md".to_string(), contract);
    let failures = drift("docs/spec", &mine, "../shared/spec", &upstream);
    assert!(
        failures.is_empty(),
        "docs/spec drifted from ../shared (refresh with \
         `cp ../shared/spec/*.md ../shared/cli-contract.md docs/spec/`):\n{}",
        failures.join("\n")
    );
}

/// `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn sources_cite_only_in_repo_files() {
    let mut paths = Vec::new();
    rust_files(&root().join("src"), &mut paths);
    rust_files(&root().join("tests"), &mut paths);
    paths.sort();
    assert!(paths.len() > 10, "found only {} sources", paths.len());
    let this = Path::new(file!())
        .file_name()
        .unwrap_or_else(|| panic!("{} has no file name", file!()));
    let cite = regex::Regex::new(r"docs/spec/[A-Za-z0-9_.-]+").expect("regex");
    let mut failures = Vec::new();
    for path in &paths {
        if path.file_name() == Some(this) {
            continue;
        }
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rel = path.strip_prefix(root()).unwrap_or(path).display();
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find("../shared") {
                failures.push(format!(
                    "{rel}:{}:{}: points outside the crate (cite docs/spec or testdata instead)",
                    i + 1,
                    col + 1
                ));
            }
            for m in cite.find_iter(line) {
                if !root().join(m.as_str()).is_file() {
                    failures.push(format!(
                        "{rel}:{}:{}: {} does not exist",
                        i + 1,
                        m.start() + 1,
                        m.as_str()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
