//! The independent floor of `bench/compare`: what parsing an input and
//! printing it again costs with the common Rust libraries, no more. It reads
//! every FILE (a directory stands for its `.yaml`/`.yml`/`.json` files,
//! sorted), parses it, and writes what it parsed to standard output.
//!
//! - `floor yaml FILE...`: each file is a multi-document YAML stream, read
//!   into `serde_yaml::Value`s and emitted as a `---`-separated stream.
//! - `floor json FILE...`: each file is one JSON value or a stream of them,
//!   read into `serde_json::Value`s and emitted pretty-printed.
//! - `floor to-json FILE...`: a YAML stream out as a JSON array of its
//!   documents (the benchmark's generators use it to make JSON inputs).

use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, paths)) = args.split_first() else {
        eprintln!("usage: floor yaml|json|to-json FILE...");
        return ExitCode::from(2);
    };
    let files = match expand(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let result = match mode.as_str() {
            "yaml" => yaml(&text, &mut out),
            "json" => json(&text, &mut out),
            "to-json" => yaml_values(&text).map(|v| all.extend(v)),
            _ => Err(format!("unknown mode {mode}: yaml, json or to-json")),
        };
        if let Err(e) = result {
            eprintln!("{}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    if mode == "to-json" {
        let json: Vec<serde_json::Value> = match all
            .into_iter()
            .map(serde_yaml::from_value)
            .collect::<Result<_, _>>()
        {
            Ok(v) => v,
            Err(e) => {
                eprintln!("to-json: {e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = serde_json::to_writer(&mut out, &json) {
            eprintln!("to-json: {e}");
            return ExitCode::from(2);
        }
    }
    match out.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("write: {e}");
            ExitCode::from(1)
        }
    }
}

fn expand(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(p).map_err(|e| format!("{a}: {e}"))? {
                let path = entry.map_err(|e| format!("{a}: {e}"))?.path();
                let ext = path.extension().and_then(|e| e.to_str());
                if matches!(ext, Some("yaml" | "yml" | "json")) {
                    found.push(path);
                }
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(p.to_path_buf());
        }
    }
    Ok(files)
}

fn yaml_values(text: &str) -> Result<Vec<serde_yaml::Value>, String> {
    let mut docs = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v = serde_yaml::Value::deserialize(doc).map_err(|e| e.to_string())?;
        // A `---` with nothing after it is an empty document: nothing to keep.
        if !v.is_null() {
            docs.push(v);
        }
    }
    Ok(docs)
}

fn yaml(text: &str, out: &mut impl Write) -> Result<(), String> {
    for v in yaml_values(text)? {
        let s = serde_yaml::to_string(&v).map_err(|e| e.to_string())?;
        out.write_all(b"---\n").map_err(|e| e.to_string())?;
        out.write_all(s.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn json(text: &str, out: &mut impl Write) -> Result<(), String> {
    for v in serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>() {
        let v = v.map_err(|e| e.to_string())?;
        serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    Ok(())
}
