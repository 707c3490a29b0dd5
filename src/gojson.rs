//! JSON text exactly as Go's `encoding/json` writes it (Go 1.23).
//!
//! The hash annotations and the pod annotations OpenKruise writes are compared
//! byte for byte, so the escaping must be Go's: `<`, `>`, `&`, U+2028 and
//! U+2029 become `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`; everything
//! else serde_json already escapes the way Go 1.22+ does (`\b`, `\f`, `\n`,
//! `\r`, `\t`, other control characters as `\u00XX`). Key order is the
//! caller's business: build objects in Go struct-field order, and sort the keys
//! of what Go holds in maps.

pub mod merge_patch;

use serde_json::Value;

/// Compact Go-compatible JSON of `value`.
pub fn to_string(value: &Value) -> String {
    // serde_json never fails on a `Value` (all keys are strings).
    let plain = serde_json::to_string(value).unwrap_or_default();
    go_escape(plain)
}

/// Applies Go's HTML-safe escapes to compact JSON text. These characters can
/// only occur inside string literals in JSON, so a plain replace is exact.
pub fn go_escape(json: String) -> String {
    // A byte scan: U+2028 and U+2029 start with the byte 0xE2 in UTF-8
    // (a superset, settled by the exact pass below).
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Sorts the keys of a JSON object the way Go sorts map keys (byte order).
pub fn sorted_object(map: &serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys.into_iter()
        .map(|k| (k.clone(), map[k].clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_go() {
        let v = json!({"a": "<x&y>\u{2028}\n\u{8}\u{c}\u{1}"});
        assert_eq!(
            to_string(&v),
            r#"{"a":"\u003cx\u0026y\u003e\u2028\n\b\f\u0001"}"#
        );
    }

    #[test]
    fn sorts_keys_bytewise() {
        let v = json!({"b": 1, "B": 2, "a": 3});
        let sorted = sorted_object(v.as_object().expect("object"));
        assert_eq!(
            sorted.keys().cloned().collect::<Vec<_>>(),
            vec!["B", "a", "b"]
        );
    }
}
