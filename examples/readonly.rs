//! The read-only benchmark baseline: read a YAML stream and parse every
//! document with the tool's own YAML layer, then print how many documents
//! it held. Nothing is emitted, so this is the least any command that reads
//! the same file can cost.

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: readonly FILE");
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
    let documents = chunks.iter().filter(|c| c.value.is_some()).count();
    println!("{documents}");
    std::process::ExitCode::SUCCESS
}
