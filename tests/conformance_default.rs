//! The recorded `default` conformance cases (`testdata/conformance/default`,
//! kept equal to the shared runner's by `tests/self_contained.rs`), run
//! through `sidecarset::store` and compared as the runner compares: both hash
//! annotations exactly, the rest normalised, status ignored.

mod support;

use kubectl_sidecarset::sidecarset;
use serde_json::Value;
use support::normalise::{first_difference, normalise, HASH_KEYS};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/conformance/default");

fn check(case: &Value) -> Option<String> {
    let stored = match sidecarset::store(&case["input"]) {
        Ok(v) => v,
        Err(e) => return Some(format!("store failed: {e}")),
    };
    let expect = &case["expect"];
    for k in HASH_KEYS {
        let want = expect
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(k));
        let got = stored
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(k));
        if want != got {
            return Some(format!("annotation {k}: expected {want:?}, got {got:?}"));
        }
    }
    let mut want = normalise(expect);
    let mut got = normalise(&stored);
    for v in [&mut want, &mut got] {
        if let Some(o) = v.as_object_mut() {
            o.shift_remove("status");
        }
    }
    first_difference(&want, &got, "$")
}

#[test]
fn default_cases() {
    // The cases ship with the crate, so a missing directory is a broken
    // checkout or package, not a reason to skip.
    let dir = std::fs::read_dir(CASES).unwrap_or_else(|e| panic!("{CASES}: {e}"));
    let mut paths: Vec<_> = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {CASES}");
    let mut failures = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("case readable");
        let case: Value = serde_json::from_str(&text).expect("case is JSON");
        let name = case["name"].as_str().unwrap_or("?").to_string();
        if let Some(diff) = check(&case) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    let passed = paths.len() - failures.len();
    println!("default conformance: {passed}/{} passed", paths.len());
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} default cases failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
