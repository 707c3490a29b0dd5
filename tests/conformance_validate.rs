//! The `validate` conformance cases (`testdata/conformance/validate`, kept
//! equal to the shared runner's by `tests/self_contained.rs`) against the
//! linter, attributed as the runner's `run_validate` does: an
//! error counts for the target SidecarSet when it is reported on it or its
//! message names it.

use kubectl_sidecarset::document::object_name;
use kubectl_sidecarset::lint::{lint, Input, Severity};
use serde_json::Value;
use std::path::Path;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/conformance/validate");

fn names_word(message: &str, name: &str) -> bool {
    // Python's `\bNAME\b`: word characters are [A-Za-z0-9_].
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    message.match_indices(name).any(|(i, _)| {
        !word(message[..i].chars().next_back()) && !word(message[i + name.len()..].chars().next())
    })
}

fn run_case(case: &Value) -> Result<(), String> {
    let input = &case["input"];
    let target = &input["sidecarSet"];
    let mut resources: Vec<Value> = input["others"].as_array().cloned().unwrap_or_default();
    resources.push(target.clone());
    let old: Vec<Value> = input
        .get("oldSidecarSet")
        .filter(|v| !v.is_null())
        .cloned()
        .into_iter()
        .collect();
    let findings = lint(&Input {
        resources: &resources,
        old_sidecar_sets: &old,
        ..Default::default()
    });
    let name = target["metadata"]["name"].as_str().unwrap_or_default();
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| {
            let object = object_name(&resources[f.resource]);
            (object.starts_with("SidecarSet/") && object.ends_with(&format!("/{name}")))
                || names_word(&f.message, name)
        })
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect();
    let allowed = case["expect"]["allowed"].as_bool().unwrap_or(true);
    if allowed && !errors.is_empty() {
        return Err(format!("expected no error, got {errors:?}"));
    }
    if !allowed && errors.is_empty() {
        return Err(format!(
            "expected an error ({}), got none",
            case["expect"]["errors"]
        ));
    }
    Ok(())
}

#[test]
fn validate_cases() {
    let mut paths: Vec<_> = std::fs::read_dir(Path::new(CASES))
        .unwrap_or_else(|e| panic!("{CASES}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no validate cases found");
    let mut failed = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("read case");
        let case: Value = serde_json::from_str(&text).expect("case JSON");
        if let Err(e) = run_case(&case) {
            failed.push(format!("{}: {e}", case["name"].as_str().unwrap_or("?")));
        }
    }
    println!(
        "validate conformance: {} passed, {} failed",
        paths.len() - failed.len(),
        failed.len()
    );
    for f in &failed {
        println!("FAIL {f}");
    }
    assert!(
        failed.is_empty(),
        "{} case(s) failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
