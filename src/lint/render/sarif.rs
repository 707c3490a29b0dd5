//! `-o sarif`: SARIF 2.1.0 for GitHub code scanning.

use super::Located;
use crate::lint::registry::Rule;
use crate::lint::Severity;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative or absolute path as a URI reference: everything but
/// unreserved characters and `/` percent-encoded (Windows `\\` becomes `/`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `version` is the tool's version; `rules` the registry (all of it, so
/// that `ruleIndex` is stable across runs).
pub fn sarif(results: &[Located], rules: &[Rule], version: &str) -> String {
    let rule_objs: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| {
                    let mut cs = w.chars();
                    cs.next().map(|c| c.to_uppercase().collect::<String>() + cs.as_str()).unwrap_or_default()
                }).collect::<String>(),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.description},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let res: Vec<Value> = results
        .iter()
        .map(|r| {
            let f = &r.finding;
            let mut region = serde_json::Map::new();
            if let Some(l) = r.line {
                region.insert("startLine".into(), json!(l));
                if let Some(c) = r.column {
                    region.insert("startColumn".into(), json!(c));
                }
            }
            let mut location = serde_json::Map::new();
            // A physical location needs an artifact: without a file only the
            // object is named.
            if let Some(file) = &r.file {
                let mut physical = serde_json::Map::new();
                physical.insert("artifactLocation".into(), json!({"uri": uri(file)}));
                if !region.is_empty() {
                    physical.insert("region".into(), Value::Object(region));
                }
                location.insert("physicalLocation".into(), Value::Object(physical));
            }
            location.insert(
                "logicalLocations".into(),
                json!([{"fullyQualifiedName": r.object, "kind": "resource"}]),
            );
            let text = match &f.help {
                Some(h) => format!("{} ({}) Help: {}", f.message, r.object, h),
                None => format!("{} ({})", f.message, r.object),
            };
            let mut o = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [Value::Object(location)],
            });
            if let (Some(i), Some(obj)) =
                (rules.iter().position(|x| x.id == f.rule), o.as_object_mut())
            {
                obj.insert("ruleIndex".into(), json!(i));
            }
            o
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubectl-sidecarset",
                "informationUri": "https://github.com/kubectl-sidecarset/kubectl-sidecarset",
                "version": version,
                "rules": rule_objs,
            }},
            "results": res,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
