//! The benchmark baseline: a plain parse + emit of every document of a
//! YAML stream with the tool's own YAML layer, and nothing else.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: roundtrip FILE");
        return std::process::ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let chunks = match kubectl_sidecarset::reader::parse_stream(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{path}:{}:{}: {}", e.line, e.column, e.message);
            return std::process::ExitCode::from(2);
        }
    };
    let mut out = String::with_capacity(text.len());
    for c in chunks.iter().filter_map(|c| c.value.as_ref()) {
        out.push_str("---\n");
        out.push_str(&kubectl_sidecarset::reader::emit_yaml(c));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    std::process::ExitCode::SUCCESS
}
