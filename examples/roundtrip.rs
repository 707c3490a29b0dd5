//! The benchmark baselines: a plain parse + emit of every document of a
//! YAML stream with the tool's own YAML layer, and nothing else; with
//! `--read-only`, the parse alone (it prints how many documents the stream
//! held), the least any command that reads the same file can cost.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_only = args.iter().any(|a| a == "--read-only");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: roundtrip [--read-only] FILE");
        return std::process::ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
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
    if read_only {
        let documents = chunks.iter().filter(|c| c.value.is_some()).count();
        println!("{documents}");
        return std::process::ExitCode::SUCCESS;
    }
    let mut out = String::with_capacity(text.len());
    for c in chunks.iter().filter_map(|c| c.value.as_ref()) {
        out.push_str("---\n");
        out.push_str(&kubectl_sidecarset::reader::emit_yaml(c));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    std::process::ExitCode::SUCCESS
}
