//! `hash`: SidecarSets as the cluster stores them.

use super::args::{HashArgs, TableOutput};
use super::error::CliError;
use super::input;
use crate::document::Class;
use crate::output;
use crate::sidecarset::{HASH_ANNOTATION, HASH_WITHOUT_IMAGE_ANNOTATION};
use serde_json::Value;
use std::io::Write;

pub fn run(args: &HashArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let inputs = input::load(&args.input)?;
    let mut stored = Vec::new();
    let mut errors = Vec::new();
    for r in inputs.of_class(Class::SidecarSet) {
        match crate::sidecarset::store(inputs.value(r)) {
            Ok(v) => stored.push(v),
            Err(e) => errors.push(inputs.field_error(r, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(CliError::Inputs(errors));
    }
    let mut buf = Vec::new();
    match args.output {
        TableOutput::Json => output::write_json(&stored.iter().collect::<Vec<_>>(), &mut buf)?,
        TableOutput::Yaml => {
            for (i, s) in stored.iter().enumerate() {
                if i > 0 {
                    buf.extend_from_slice(b"---\n");
                }
                buf.extend_from_slice(crate::reader::emit_yaml(s).as_bytes());
            }
        }
        TableOutput::Table => {
            let rows: Vec<[String; 3]> = stored
                .iter()
                .map(|s| {
                    let ann = |k: &str| {
                        s.pointer("/metadata/annotations")
                            .and_then(|a| a.get(k))
                            .and_then(Value::as_str)
                            .unwrap_or("<none>")
                            .to_string()
                    };
                    [
                        s.pointer("/metadata/name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        ann(HASH_ANNOTATION),
                        ann(HASH_WITHOUT_IMAGE_ANNOTATION),
                    ]
                })
                .collect();
            buf.extend_from_slice(table(&["NAME", "HASH", "HASH-WITHOUT-IMAGE"], &rows).as_bytes());
        }
    }
    out.write_all(&buf)?;
    Ok(0)
}

/// A kubectl-style table: columns padded to the widest cell, three spaces apart.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < N {
                l.push_str(&format!("{c:<w$}   ", w = widths[i]));
            } else {
                l.push_str(c);
            }
        }
        s.push_str(l.trim_end());
        s.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    s
}
