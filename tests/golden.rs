//! Golden tests: every directory under `testdata/golden/` is one run of the
//! binary. `cmd` holds the arguments (whitespace-separated; `$ROOT` is the
//! repository root), `stdin` the optional standard input; `stdout`, `stderr`
//! and `status` the expected results. Runs are hermetic: fixed
//! SOURCE_DATE_EPOCH, NO_COLOR, working directory = the case directory.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expectations;
//! review the diff before committing.

mod support;

use std::path::Path;

#[test]
fn golden_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = support::golden_cases(root);
    assert!(!cases.is_empty(), "no golden cases under testdata/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let got = support::run_case(root, case);
        if update {
            support::write_expected(case, &got);
            continue;
        }
        let want = support::read_expected(case);
        for (what, w, g) in [
            ("stdout", &want.stdout, &got.stdout),
            ("stderr", &want.stderr, &got.stderr),
        ] {
            if w != g {
                failures.push(format!(
                    "{}: {what} differs\n{}",
                    case.name,
                    support::short_diff(w, g)
                ));
            }
        }
        if want.status != got.status {
            failures.push(format!(
                "{}: exit status {} expected, got {}",
                case.name, want.status, got.status
            ));
        }
    }
    println!("golden: {} cases, {} failures", cases.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
