//! Developer tasks of kubectl-sidecarset: `cargo run --manifest-path
//! xtask/Cargo.toml -- <task>`.
//!
//! A standalone crate with its own `[workspace]` rather than a workspace
//! member: turning the main package into a workspace would change what
//! `cargo test`, `cargo install` and the lockfile cover for everyone, for
//! the sake of a tool run by hand a few times a year. The main package's
//! freshness test and this crate include `tests/support/gotypes_gen.rs` by path instead.

// The generator lives in the main package (tests/support/) so that its
// freshness test is published with it; this crate runs it.
#[path = "../../tests/support/gotypes_gen.rs"]
mod gotypes;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo run --manifest-path xtask/Cargo.toml -- gotypes <GO_SOURCES_DIR>\n\
                     (the directory layout and fetch commands are in tests/support/gotypes_gen.rs)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [task, dir] if task == "gotypes" => gotypes_task(Path::new(dir)),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn gotypes_task(dir: &Path) -> ExitCode {
    let text = match gotypes::generate(dir) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let out: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(gotypes::OUTPUT);
    if let Err(e) = std::fs::write(&out, &text) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::from(1);
    }
    let structs = text.matches("pub static ").count();
    println!("wrote {} ({structs} structs)", gotypes::OUTPUT);
    ExitCode::SUCCESS
}
