//! `src/sidecarset/gotypes.rs` is what the generator makes of the Go
//! sources. Those are not in the repository: the comparison runs when
//! `GOTYPES_SRC` names a directory holding them (layout and fetch commands
//! in tests/support/gotypes_gen.rs) and is reported as skipped otherwise. The
//! generator's own tests, included with it, always run.

use std::io::Write;
use std::path::Path;

// Shared with the xtask crate, which has no `unreachable_pub` lint.
#[path = "support/gotypes_gen.rs"]
#[allow(unreachable_pub)]
mod gotypes;

#[test]
fn generated_gotypes_are_current() {
    let Some(dir) = std::env::var_os("GOTYPES_SRC") else {
        // Straight to stderr: the test harness would swallow `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "generated_gotypes_are_current: skipped (set GOTYPES_SRC=DIR, see tests/support/gotypes_gen.rs)"
        );
        return;
    };
    let want = gotypes::generate(Path::new(&dir)).unwrap_or_else(|e| panic!("{e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(gotypes::OUTPUT);
    let have = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if have != want {
        let first = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "{} is stale (first difference at line {}): run \
             `cargo run --manifest-path xtask/Cargo.toml -- gotypes {}`",
            gotypes::OUTPUT,
            first + 1,
            Path::new(&dir).display()
        );
    }
}
