//! YAML in `kubectl get -o yaml` style: block style, two-space indentation,
//! sequences under a key not indented, and every string that YAML 1.1 would
//! read as something else quoted.

use super::comments::{names_unique, Comments, Path};
use super::resolve::needs_quotes;
use serde_json::Value;

/// The YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    to_yaml_commented(value, None)
}

/// [`to_yaml`], putting `comments` back where they belong.
pub fn to_yaml_commented(value: &Value, comments: Option<&Comments>) -> String {
    let mut out = String::new();
    let mut cx = Cx {
        comments: comments.filter(|c| !c.is_empty()),
        path: Path::default(),
    };
    cx.before(0, &mut out);
    match value {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out, false, &mut cx),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out, false, &mut cx),
        other => {
            write_scalar(other, 0, &mut out);
            out.push('\n');
        }
    }
    if let Some(c) = cx.comments {
        for line in &c.end {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Where the emitter is, for comments.
struct Cx<'c> {
    comments: Option<&'c Comments>,
    path: Path,
}

impl Cx<'_> {
    fn before(&self, indent: usize, out: &mut String) {
        if let Some(c) = self.comments {
            for line in c.before(&self.path) {
                pad(out, indent);
                out.push_str(line);
                out.push('\n');
            }
        }
    }

    fn trailing(&self, out: &mut String) {
        if let Some(t) = self.comments.and_then(|c| c.trailing(&self.path)) {
            out.push(' ');
            out.push_str(t);
        }
    }

    /// A comment that cannot follow a block scalar's header goes above it.
    fn trailing_above(&self, indent: usize, out: &mut String) {
        if let Some(t) = self.comments.and_then(|c| c.trailing(&self.path)) {
            pad(out, indent);
            out.push_str(t);
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_block_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.contains('\n') && literal_ok(s))
}

fn write_map(
    m: &serde_json::Map<String, Value>,
    indent: usize,
    out: &mut String,
    inline_first: bool,
    cx: &mut Cx,
) {
    for (i, (k, v)) in m.iter().enumerate() {
        let at = cx.comments.map(|_| cx.path.push_key(k));
        let inline = i == 0 && inline_first;
        if !inline {
            cx.before(indent, out);
        }
        if is_block_string(v) && !inline {
            cx.trailing_above(indent, out);
        }
        if !inline {
            pad(out, indent);
        }
        write_string(k, indent, out, false);
        out.push(':');
        match v {
            Value::Object(c) if !c.is_empty() => {
                cx.trailing(out);
                out.push('\n');
                write_map(c, indent + 2, out, false, cx);
            }
            Value::Array(a) if !a.is_empty() => {
                cx.trailing(out);
                out.push('\n');
                write_seq(a, indent, out, false, cx);
            }
            other => {
                out.push(' ');
                write_scalar(other, indent + 2, out);
                if !is_block_string(other) {
                    cx.trailing(out);
                }
                out.push('\n');
            }
        }
        if let Some(at) = at {
            cx.path.pop(at);
        }
    }
}

fn write_seq(a: &[Value], indent: usize, out: &mut String, inline_first: bool, cx: &mut Cx) {
    let unique = cx.comments.is_some() && names_unique(a);
    for (i, v) in a.iter().enumerate() {
        let at = cx.comments.map(|_| cx.path.push_item(a, i, unique));
        let inline = i == 0 && inline_first;
        if !inline {
            cx.before(indent, out);
            pad(out, indent);
        }
        out.push_str("- ");
        match v {
            Value::Object(c) if !c.is_empty() => write_map(c, indent + 2, out, true, cx),
            Value::Array(s) if !s.is_empty() => write_seq(s, indent + 2, out, true, cx),
            other => {
                write_scalar(other, indent + 2, out);
                if !is_block_string(other) {
                    cx.trailing(out);
                }
                out.push('\n');
            }
        }
        if let Some(at) = at {
            cx.path.pop(at);
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
