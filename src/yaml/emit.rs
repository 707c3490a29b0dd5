//! YAML for values the tool writes: whole documents in `kubectl get -o
//! yaml` style, and the nodes `yaml::edit` inserts into a document in the
//! style of their siblings (indentation step, sequence indentation, line
//! ending). Every string that YAML 1.1 would read as something else is
//! quoted, so Kubernetes reads back the same values.

use super::resolve::needs_quotes;
use serde_json::Value;

/// How block collections are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Columns a nested mapping is indented by.
    pub indent: usize,
    /// Columns the `-` of a sequence under a key is indented by, relative to
    /// the key (0: kubectl's "indentless" sequences).
    pub seq_indent: usize,
}

impl Style {
    /// `kubectl get -o yaml`: two columns, sequences not indented.
    pub const KUBECTL: Style = Style {
        indent: 2,
        seq_indent: 0,
    };
}

/// The YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    let st = Style::KUBECTL;
    match value {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out, false, st),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out, false, st),
        other => {
            write_scalar(other, 0, &mut out);
            out.push('\n');
        }
    }
    out
}

/// `key: value` at column `indent`, as lines ending with a newline.
pub fn block_entry(key: &str, value: &Value, indent: usize, st: Style) -> String {
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), value.clone());
    let mut out = String::new();
    write_map(&m, indent, &mut out, false, st);
    out
}

/// `- value` with the dash at column `dash`, content at `dash + offset`.
pub fn block_item(value: &Value, dash: usize, offset: usize, st: Style) -> String {
    let mut out = String::new();
    pad(&mut out, dash);
    out.push('-');
    pad(&mut out, offset.max(1) - 1);
    let content = dash + offset.max(1);
    match value {
        Value::Object(c) if !c.is_empty() => write_map(c, content, &mut out, true, st),
        Value::Array(a) if !a.is_empty() => write_seq(a, content, &mut out, true, st),
        other => {
            write_scalar(other, content, &mut out);
            out.push('\n');
        }
    }
    out
}

/// The value of a key at column `key_indent`, as written after `key:`: a
/// non-empty collection on the following lines (the text starts with a
/// newline and ends without one), anything else after a space.
pub fn block_value(value: &Value, key_indent: usize, st: Style) -> String {
    let mut out = String::new();
    match value {
        Value::Object(c) if !c.is_empty() => {
            out.push('\n');
            write_map(c, key_indent + st.indent, &mut out, false, st);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(a, key_indent + st.seq_indent, &mut out, false, st);
        }
        other => {
            out.push(' ');
            write_scalar(other, key_indent + st.indent, &mut out);
            return out;
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// A scalar (or empty collection) written in place of another; `indent` is
/// where block-scalar content goes.
pub fn scalar_text(v: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_scalar(v, indent, &mut out);
    out
}

/// A string as a plain, single- or double-quoted scalar (never a block).
pub fn inline_string(s: &str) -> String {
    let mut out = String::new();
    write_string(s, 0, &mut out, false);
    out
}

/// A value in flow style: JSON, which YAML reads the same; in a YAML
/// document strings stay plain where YAML 1.1 allows it.
pub fn flow(v: &Value, json: bool) -> String {
    let mut out = String::new();
    write_flow(v, json, &mut out);
    out
}

fn write_flow(v: &Value, json: bool, out: &mut String) {
    match v {
        Value::String(s)
            if !json
                && !quick_needs_quotes(s).unwrap_or_else(|| needs_quotes(s))
                && !s.contains([',', '[', ']', '{', '}']) =>
        {
            out.push_str(s)
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(&Value::String(k.clone()), json, out);
                out.push_str(": ");
                write_flow(v, json, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(v, json, out);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
    }
}

/// Pretty JSON whose nested lines start at column `indent`, `step` columns
/// per level.
pub fn json_pretty(v: &Value, indent: usize, step: usize) -> String {
    let unit = " ".repeat(step.max(1));
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let pad = " ".repeat(indent);
    text.replace('\n', &format!("\n{pad}"))
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(
    m: &serde_json::Map<String, Value>,
    indent: usize,
    out: &mut String,
    inline_first: bool,
    st: Style,
) {
    for (i, (k, v)) in m.iter().enumerate() {
        if !(i == 0 && inline_first) {
            pad(out, indent);
        }
        write_string(k, indent, out, false);
        out.push(':');
        match v {
            Value::Object(c) if !c.is_empty() => {
                out.push('\n');
                write_map(c, indent + st.indent, out, false, st);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                write_seq(a, indent + st.seq_indent, out, false, st);
            }
            other => {
                out.push(' ');
                write_scalar(other, indent + st.indent, out);
                out.push('\n');
            }
        }
    }
}

fn write_seq(a: &[Value], indent: usize, out: &mut String, inline_first: bool, st: Style) {
    for (i, v) in a.iter().enumerate() {
        if !(i == 0 && inline_first) {
            pad(out, indent);
        }
        out.push_str("- ");
        match v {
            Value::Object(c) if !c.is_empty() => write_map(c, indent + 2, out, true, st),
            Value::Array(s) if !s.is_empty() => write_seq(s, indent + 2, out, true, st),
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
    let quick = quick_needs_quotes(s);
    if quick == Some(false) {
        out.push_str(s);
    } else if allow_block && s.contains('\n') && literal_ok(s) {
        write_literal(s, indent, out);
    } else if quick.is_none() && !needs_quotes(s) {
        out.push_str(s);
    } else if !s
        .chars()
        .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
    {
        out.push('\'');
        if s.contains('\'') {
            out.push_str(&s.replace('\'', "''"));
        } else {
            out.push_str(s);
        }
        out.push('\'');
    } else {
        // JSON string escapes are valid in YAML double-quoted scalars.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// [`needs_quotes`] answered without resolving `s`, for the strings most
/// of a manifest holds; `None` for the others.
///
/// - a letter or `/`, then letters, digits, `-._/=@` and `:` (not last), and
///   no YAML 1.1 null or boolean word: plain (names, images, paths, labels);
/// - digits only: a number, quoted;
/// - a digit other than `0`, digits, then letters other than `e`/`E`: plain
///   (quantities such as `100m`, `200Mi`);
/// - one of `-?:,[]{}#&*!|>'"%@`` first: quoted (`-e`).
fn quick_needs_quotes(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if first.is_ascii_alphabetic() || first == b'/' {
        let safe = b.iter().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'/' | b'=' | b'@' | b':')
        });
        if !safe || s.ends_with(':') {
            return None;
        }
        return Some(matches!(
            s,
            "null"
                | "Null"
                | "NULL"
                | "y"
                | "Y"
                | "yes"
                | "Yes"
                | "YES"
                | "true"
                | "True"
                | "TRUE"
                | "on"
                | "On"
                | "ON"
                | "n"
                | "N"
                | "no"
                | "No"
                | "NO"
                | "false"
                | "False"
                | "FALSE"
                | "off"
                | "Off"
                | "OFF"
        ));
    }
    if first.is_ascii_digit() {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == b.len() {
            return Some(true);
        }
        if first != b'0'
            && b[digits..]
                .iter()
                .all(|c| c.is_ascii_alphabetic() && !matches!(c, b'e' | b'E'))
        {
            return Some(false);
        }
        return None;
    }
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first) {
        return Some(true);
    }
    None
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

    /// The shortcut answers as `needs_quotes` does, when it answers.
    #[test]
    fn quick_answers_agree() {
        let alphabet = [
            "a", "y", "Y", "n", "o", "N", "e", "E", "0", "1", "8", "-", ".", "_", "/", "=", ":",
            " ", "#", "~", "x", "b", "@", "'", "\n", "+", "%",
        ];
        let mut words: Vec<String> = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            let mut next = Vec::new();
            for w in &words {
                for c in alphabet {
                    next.push(format!("{w}{c}"));
                }
            }
            all.extend(next.iter().cloned());
            words = next;
        }
        let words = "null Null NULL y Y yes Yes YES true True TRUE on On ON n N no No NO false \
            False FALSE off Off OFF nginx e1 E10 inf nan NaN app.kubernetes.io/name filebeat-0 \
            x=1 100m 200Mi 1Ei 1e3 0x1F 0755 1_000 12:30 2026-01-01T00:00:00Z docker.io/x:1.2 \
            a: a:b /usr/share -e 1.5 10% 08 .inf ~";
        all.extend(words.split_whitespace().map(String::from));
        let mut answered = 0;
        for w in &all {
            if let Some(q) = quick_needs_quotes(w) {
                answered += 1;
                assert_eq!(q, needs_quotes(w), "{w:?}");
            }
        }
        assert!(answered > 100_000, "{answered}");
    }

    /// A multi-line string is a literal block whatever it starts with.
    #[test]
    fn block_strings_stay_blocks() {
        for s in ["#!/bin/sh\nexit 0\n", "-e\nx\n", "12\n"] {
            let mut out = String::new();
            write_string(s, 2, &mut out, true);
            assert!(out.starts_with('|'), "{s:?}: {out}");
        }
    }

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
