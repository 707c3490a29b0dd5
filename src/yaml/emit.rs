//! YAML in `kubectl get -o yaml` style: block style, two-space indentation,
//! sequences under a key not indented, and every string that YAML 1.1 would
//! read as something else quoted.

use super::resolve::needs_quotes;
use serde_json::Value;

/// The YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out, false),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out, false),
        other => {
            write_scalar(other, 0, &mut out);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(
    m: &serde_json::Map<String, Value>,
    indent: usize,
    out: &mut String,
    inline_first: bool,
) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(out, indent);
        }
        write_string(k, indent, out, false);
        out.push(':');
        match v {
            Value::Object(c) if !c.is_empty() => {
                out.push('\n');
                write_map(c, indent + 2, out, false);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                write_seq(a, indent, out, false);
            }
            other => {
                out.push(' ');
                write_scalar(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

fn write_seq(a: &[Value], indent: usize, out: &mut String, inline_first: bool) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(out, indent);
        }
        out.push_str("- ");
        match v {
            Value::Object(c) if !c.is_empty() => write_map(c, indent + 2, out, true),
            Value::Array(s) if !s.is_empty() => write_seq(s, indent + 2, out, true),
            other => {
                write_scalar(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

/// A scalar (or empty collection) at the current position; `indent` is the
/// indentation of block-scalar content.
fn write_scalar(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, indent, out, true),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_string(s: &str, indent: usize, out: &mut String, allow_block: bool) {
    if allow_block && s.contains('\n') && literal_ok(s) {
        write_literal(s, indent, out);
    } else if !needs_quotes(s) {
        out.push_str(s);
    } else if !s
        .chars()
        .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
    {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        // JSON string escapes are valid in YAML double-quoted scalars.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// A literal block keeps the text exactly unless it holds characters a
/// block cannot carry, or trailing spaces on its last line.
fn literal_ok(s: &str) -> bool {
    !s.chars().any(|c| {
        (c.is_control() && c != '\n') || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}'
    }) && !s.trim_end_matches('\n').ends_with(' ')
}

fn write_literal(s: &str, indent: usize, out: &mut String) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push('|');
    if body.starts_with(' ') || body.starts_with('\n') {
        out.push('2');
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_document;
    use serde_json::json;

    fn round_trip(v: &Value) {
        let text = to_yaml(v);
        let (back, _) = parse_document(&text).expect("parses").expect("document");
        assert_eq!(&back, v, "round trip of:\n{text}");
    }

    #[test]
    fn kubectl_style() {
        let v = json!({"apiVersion": "v1", "metadata": {"name": "a", "labels": {}},
            "spec": {"containers": [{"name": "c", "args": ["x", "yes"]}], "list": []}});
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nmetadata:\n  name: a\n  labels: {}\nspec:\n  containers:\n  - name: c\n    args:\n    - x\n    - 'yes'\n  list: []\n"
        );
    }

    #[test]
    fn tricky_values_round_trip() {
        let strings = [
            "yes",
            "on",
            "NO",
            "y",
            "~",
            "null",
            "0755",
            "1e3",
            "0x1F",
            "1_000",
            ".5",
            "12:30",
            "2024-01-01",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "-",
            "- x",
            "?",
            ":",
            "'",
            "\"",
            "it's",
            "",
            "multi\nline\n",
            "no newline\nend",
            "  indented\nblock\n",
            "keep\n\n\n",
            "tab\there",
            "nul\u{1}x",
            "{json}",
            "[1]",
            "*alias",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick",
            "#c",
            "|",
            ">",
            "trailing\nspace \n",
            "ünïcödé",
            "a\r\nb",
        ];
        for s in strings {
            round_trip(&json!({ "k": s, s: [s, {"n": s}] }));
        }
        round_trip(&json!({"n": [1, -2, 1.5, true, false, null, [], {}, [[1, 2], [3]]]}));
        round_trip(&json!([{"a": {"b": [{"c": "|x"}]}}]));
    }
}
