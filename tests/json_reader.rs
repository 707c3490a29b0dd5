//! The JSON parser (`json`) against the YAML layer it stands in for: on
//! every JSON input of the repository and on generated and mutated texts,
//! both give the same value and the same position tree, or both fail.
//! serde_json is the third opinion: it decides which texts are JSON at all,
//! and where a syntax error is.

use kubectl_sidecarset::json::{parse_value, parse_value_at, MAX_DEPTH};
use kubectl_sidecarset::reader::parse_stream;
use kubectl_sidecarset::yaml::{parse_document_lines, PosChildren, PosNode, YamlError};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Every field of two position trees, or where they first differ.
///
/// One difference is allowed: the YAML layer's span of a flow collection
/// runs on over the blanks after its closing bracket (`[1]  ,` spans
/// `[1]  `); the JSON parser's ends at the bracket.
fn same_tree(text: &str, a: &PosNode, b: &PosNode, at: &str) -> Result<(), String> {
    let fields = |n: &PosNode| (n.line, n.column, n.start, n.end, n.key_start, n.style);
    let blanks_after = a.style.is_flow()
        && b.end > a.end
        && text
            .get(a.end as usize..b.end as usize)
            .is_some_and(|t| t.bytes().all(|c| c == b' ' || c == b'\t'));
    let mut fb = fields(b);
    if blanks_after {
        fb.3 = a.end;
    }
    if fields(a) != fb {
        return Err(format!("{at}: json {:?} yaml {:?}", fields(a), fields(b)));
    }
    match (&a.children, &b.children) {
        (PosChildren::Leaf, PosChildren::Leaf) => Ok(()),
        (PosChildren::Seq(x), PosChildren::Seq(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (p, q))| same_tree(text, p, q, &format!("{at}[{i}]"))),
        (PosChildren::Map(x), PosChildren::Map(y)) if x.len() == y.len() => {
            x.iter().zip(y).try_for_each(|((kx, p), (ky, q))| {
                if kx != ky {
                    return Err(format!("{at}: key {kx:?} against {ky:?}"));
                }
                same_tree(text, p, q, &format!("{at}.{kx}"))
            })
        }
        _ => Err(format!("{at}: children differ in kind or length")),
    }
}

/// Messages of the YAML scanner's limits that JSON does not have: surrogate
/// pair escapes, more than 255 open brackets, a tab after `:`.
fn yaml_limitation(e: &YamlError) -> bool {
    e.message.contains("invalid Unicode character escape code")
        || e.message.contains("recursion limit exceeded")
        || e.message
            .contains("':' must be followed by a valid YAML whitespace")
}

/// Equal up to how a number is stored: the YAML layer turns `1.0` into an
/// integer, serde_json keeps a float (and, without its `float_roundtrip`
/// feature, may round a long one to a neighbour).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= x.abs() * 1e-15,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, p), (ky, q))| kx == ky && same_json(p, q))
        }
        _ => a == b,
    }
}

#[derive(Default, Debug)]
struct Tally {
    equal: usize,
    both_failed: usize,
    yaml_limits: usize,
    invalid_json: usize,
}

/// Runs on a big stack: the YAML layer recurses once per nesting level.
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(kubectl_sidecarset::STACK_SIZE)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic")
}

fn check(text: &str, tally: &mut Tally) -> Result<(), String> {
    let serde = serde_json::from_str::<serde::de::IgnoredAny>(text);
    let got = parse_value(text);
    let yaml = parse_document_lines(text);
    let Ok(_) = serde else {
        // Not JSON: the JSON parser must refuse it where serde_json does.
        let (Err(e), Err(s)) = (&got, &serde) else {
            return Err("accepted a text serde_json refuses".into());
        };
        tally.invalid_json += 1;
        // serde_json does not look for these, so it goes on to a later error.
        if e.message.contains("already defined") || e.message.contains("nested too deeply") {
            return Ok(());
        }
        // serde_json puts an error at a line break in column 0 of the next
        // line, where this parser names the break, or for the end of the
        // text, column 1. serde_json counts columns in bytes, this parser
        // in characters. Elsewhere the positions agree.
        if s.column() == 0 {
            if e.line + 1 != s.line() && !(s.is_eof() && e.line == s.line() && e.column == 1) {
                return Err(format!("error line {e:?} against serde_json's {s}"));
            }
            return Ok(());
        }
        if e.line != s.line() {
            return Err(format!("error line {e:?} against serde_json's {s}"));
        }
        // serde_json names the character before a control character.
        let column = if e.message.starts_with("control character") {
            s.column() + 1
        } else {
            s.column()
        };
        if text.is_ascii() && e.column != column {
            return Err(format!("error column {e:?} against serde_json's {s}"));
        }
        return Ok(());
    };
    // The YAML layer counts a lone `\r` as a line break but its byte offsets
    // do not (see `lone_cr`): only serde_json's opinion is of use there.
    let lone_cr = text
        .bytes()
        .zip(text.bytes().skip(1).chain([0]))
        .any(|(a, b)| a == b'\r' && b != b'\n');
    if lone_cr {
        return match (got, serde_json::from_str::<Value>(text)) {
            (Ok((v, _)), Ok(sv)) if same_json(&v, &sv) => Ok(()),
            // serde_json refuses a lone surrogate that Go's decoding allows.
            (Ok(_), Err(_)) => Ok(()),
            (Err(e), _) if e.message.contains("already defined") => Ok(()),
            (got, sv) => Err(format!("json {got:?} against serde_json {sv:?}")),
        };
    }
    match (got, yaml) {
        (Ok((v, p)), Ok(Some((yv, yp, bad)))) => {
            if v != yv {
                return Err(format!("value {v} against yaml {yv}"));
            }
            if bad.is_some() {
                return Err("the YAML layer found a scalar JSON cannot carry".into());
            }
            same_tree(text, &p, &yp, "$")?;
            if let Ok(sv) = serde_json::from_str::<Value>(text) {
                if !same_json(&v, &sv) {
                    return Err(format!("value {v} against serde_json {sv}"));
                }
            }
            tally.equal += 1;
        }
        (Ok((v, _)), Err(ye)) if yaml_limitation(&ye) => {
            if let Ok(sv) = serde_json::from_str::<Value>(text) {
                if !same_json(&v, &sv) {
                    return Err(format!("value {v} against serde_json {sv}"));
                }
            }
            tally.yaml_limits += 1;
        }
        (Err(e), Err(ye)) => {
            let deep = e.message.contains("nested too deeply");
            if !deep && !yaml_limitation(&ye) && e != ye {
                return Err(format!("error {e:?} against yaml {ye:?}"));
            }
            tally.both_failed += 1;
        }
        (got, yaml) => return Err(format!("json {got:?} against yaml {yaml:?}")),
    }
    Ok(())
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The JSON values of a stream, each with the whitespace before it, as
/// `reader` hands them to the parser.
fn stream_values(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut it = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0;
    while let Some(Ok(_)) = it.next() {
        out.push(&text[start..it.byte_offset()]);
        start = it.byte_offset();
    }
    out
}

#[test]
fn every_json_input_of_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["testdata", "examples", "docs"] {
        files(&root.join(dir), &mut paths);
    }
    files(Path::new("/work/shared/conformance/cases"), &mut paths);
    let mut texts = Vec::new();
    for p in paths {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let first = text.trim_start();
        if first.starts_with('{') || first.starts_with('[') {
            texts.push((p, text));
        }
    }
    assert!(texts.len() >= 80, "found only {} JSON files", texts.len());
    let mut tally = Tally::default();
    let mut values = 0;
    for (p, text) in &texts {
        for v in stream_values(text) {
            values += 1;
            check(v, &mut tally).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    assert_eq!(tally.equal, values, "{tally:?}");
}

/// xorshift64*: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

const BLANKS: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n", "\n    ", "  "];

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "1.0",
    "-0.0",
    "1.5",
    "0.1",
    "1e3",
    "1E+2",
    "1e-3",
    "-1.5e-3",
    "0e5",
    "2.5E10",
    "1e400",
    "-1e400",
    "123456789012345678",
    "1234567890123456789",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "9007199254740993",
    "8999999999999999.0",
    "1.5e0000000000000000000000000001",
];

const PIECES: &[&str] = &[
    "a",
    "name",
    " ",
    "x-y",
    "é",
    "中文",
    "😀",
    "\u{2028}",
    "#",
    ": ",
    "- ",
    "'",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "|",
    ">",
    "?",
    "{",
    "}",
    "[",
    "]",
    ",",
    "yes",
    "null",
    "~",
    "0755",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u0000",
    "\\u001f",
    "\\u00e9",
    "\\u2028",
    "\\uFFFF",
    "\\uD83D\\uDE00",
    "\\ud83d\\ude00",
    "\\uD800",
    "\\uDC00x",
    "\\uD83Dx",
    "\\uD800\\uD800",
];

fn string(r: &mut Rng) -> String {
    let n = r.below(5);
    let mut s = String::from("\"");
    for _ in 0..n {
        s.push_str(r.pick(PIECES));
    }
    s.push('"');
    s
}

fn number(r: &mut Rng) -> String {
    match r.below(3) {
        0 => r.pick(NUMBERS).to_string(),
        1 => {
            let digits = 1 + r.below(25);
            let mut s = if r.below(2) == 0 { "-" } else { "" }.to_string();
            s.push(char::from(b'1' + r.below(9) as u8));
            for _ in 1..digits {
                s.push(char::from(b'0' + r.below(10) as u8));
            }
            s
        }
        _ => format!(
            "{}.{}e{}{}",
            r.below(1000),
            r.below(1000),
            ["", "+", "-"][r.below(3)],
            r.below(30)
        ),
    }
}

fn value(r: &mut Rng, depth: usize, out: &mut String) {
    let kind = if depth > 5 {
        2 + r.below(4)
    } else {
        r.below(7)
    };
    match kind {
        0 | 6 => {
            out.push('{');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(r.pick(BLANKS));
                // A small pool of keys, so some objects repeat one.
                if r.below(10) == 0 {
                    out.push_str(["\"a\"", "\"b\""][r.below(2)]);
                } else {
                    out.push_str(&string(r));
                }
                out.push_str(r.pick(BLANKS));
                out.push(':');
                out.push_str(r.pick(BLANKS));
                value(r, depth + 1, out);
                out.push_str(r.pick(BLANKS));
            }
            out.push('}');
        }
        1 => {
            out.push('[');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(r.pick(BLANKS));
                value(r, depth + 1, out);
                out.push_str(r.pick(BLANKS));
            }
            out.push(']');
        }
        2 => out.push_str(&string(r)),
        3 => out.push_str(&number(r)),
        4 => out.push_str(["true", "false", "null"][r.below(3)]),
        _ => out.push_str(&string(r)),
    }
}

fn document(r: &mut Rng) -> String {
    let mut s = r.pick(BLANKS).to_string();
    value(r, 0, &mut s);
    s.push_str(r.pick(BLANKS));
    s
}

/// A few edits with the characters that matter to JSON (no lone `\r`,
/// whose lines the YAML layer counts differently; see `lone_cr`).
fn mutate(r: &mut Rng, text: &str) -> String {
    const INSERTS: &[&str] = &[
        "{", "}", "[", "]", "\"", ",", ":", "\\", " ", "\n", "0", "-", ".", "e", "t", "n", "x",
        "é", "\u{1}", "\\u", "\\uD83D",
    ];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + r.below(3) {
        let at = r.below(chars.len() + 1);
        match r.below(3) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => {
                chars.remove(at);
                chars.splice(at..at, r.pick(INSERTS).chars());
            }
            _ => {
                chars.splice(at..at, r.pick(INSERTS).chars());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn generated_and_mutated_texts() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tally = Tally::default();
    for i in 0..4000 {
        let text = document(&mut r);
        check(&text, &mut tally).unwrap_or_else(|e| panic!("case {i} {text:?}: {e}"));
        let bad = mutate(&mut r, &text);
        check(&bad, &mut tally).unwrap_or_else(|e| panic!("mutant {i} {bad:?}: {e}"));
    }
    // Each kind of outcome happened, so none of the comparisons is idle.
    eprintln!("{tally:?}");
    assert!(tally.equal > 2000, "{tally:?}");
    assert!(tally.both_failed > 50, "{tally:?}");
    assert!(tally.yaml_limits > 50, "{tally:?}");
    assert!(tally.invalid_json > 1000, "{tally:?}");
}

fn ok(text: &str) -> Value {
    parse_value(text)
        .unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
        .0
}

fn err(text: &str) -> YamlError {
    parse_value(text).expect_err(text)
}

#[test]
fn escapes() {
    for (text, want) in [
        (r#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
        (r#""\u0000\u001F\u00e9\u4E2D""#, "\u{0}\u{1f}é中"),
        (r#""\uD83D\uDE00 \ud83d\ude00""#, "😀 😀"),
        // A surrogate without its other half is U+FFFD, as in Go.
        (r#""\uD800""#, "\u{fffd}"),
        (r#""\uDE00x""#, "\u{fffd}x"),
        (r#""\uD800\uD800\uDC00""#, "\u{fffd}\u{10000}"),
        (r#""\uD800\n""#, "\u{fffd}\n"),
        ("\"plain é 中 😀\"", "plain é 中 😀"),
        // Kept as written, where the YAML layer would drop or fold them.
        ("\"a\u{7f}\u{85}\u{2028}b\"", "a\u{7f}\u{85}\u{2028}b"),
    ] {
        assert_eq!(ok(text), json!(want), "{text}");
    }
    for (text, column) in [
        (r#""\x""#, 3),
        (r#""\u12""#, 6),
        (r#""\uZZZZ""#, 7),
        ("\"a\u{1}\"", 3),
        ("\"a\nb\"", 3),
        ("\"abc", 4),
    ] {
        let e = err(text);
        assert_eq!((e.line, e.column), (1, column), "{text}: {e:?}");
    }
}

#[test]
fn numbers_resolve_as_in_yaml() {
    for (text, want) in [
        ("0", json!(0)),
        ("-0", json!(0)),
        ("1.0", json!(1)),
        ("-0.0", json!(0)),
        ("1e3", json!(1000)),
        ("1E+2", json!(100)),
        ("1.5", json!(1.5)),
        ("-1.5e-3", json!(-0.0015)),
        ("9223372036854775807", json!(i64::MAX)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("18446744073709551615", json!(u64::MAX)),
        ("18446744073709551616", json!(18446744073709551616.0)),
        ("-9223372036854775809", json!(-9223372036854775809.0)),
        // Out of a float's range: the YAML layer's resolution makes it null.
        ("1e400", Value::Null),
    ] {
        assert_eq!(ok(text), want, "{text}");
        let (yaml, _, _) = parse_document_lines(text)
            .expect("yaml")
            .expect("a document");
        assert_eq!(ok(text), yaml, "{text}");
    }
    for (text, column) in [
        ("01", 2),
        ("1.", 2),
        ("-", 1),
        ("1e", 2),
        ("+1", 1),
        (".5", 1),
    ] {
        let e = err(text);
        assert_eq!((e.line, e.column), (1, column), "{text}: {e:?}");
    }
}

#[test]
fn errors_name_line_and_column() {
    for (text, line, column, message) in [
        ("[1,\n x]", 2, 2, "expected value"),
        ("{\"a\" 1}", 1, 6, "expected `:`"),
        ("{\"a\": 1 \"b\"}", 1, 9, "expected `,` or `}`"),
        ("[1 2]", 1, 4, "expected `,` or `]`"),
        ("[1,]", 1, 4, "trailing comma"),
        ("{\"a\":1,}", 1, 8, "trailing comma"),
        ("{1: 2}", 1, 2, "key must be a string"),
        ("[1] [2]", 1, 5, "trailing characters"),
        ("[tru]", 1, 5, "expected ident"),
        ("é[x]", 1, 1, "expected value"),
        ("[\"é\", x]", 1, 7, "expected value"),
        ("", 1, 1, "EOF while parsing a value"),
        ("[1,\n", 2, 1, "EOF while parsing a value"),
        (
            "{\"a\":1,\n \"a\":2}",
            2,
            2,
            "mapping key \"a\" already defined at line 1",
        ),
    ] {
        let e = err(text);
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (line, column, message),
            "{text:?}"
        );
    }
    // Lines of a chunk are the stream's, in the message too.
    let e = parse_value_at("\n{\"a\":1,\n \"a\":2}", 7).expect_err("duplicate");
    assert_eq!((e.line, e.column), (9, 2));
    assert_eq!(e.message, "mapping key \"a\" already defined at line 8");
}

fn nested_arrays(n: usize) -> String {
    format!("{}1{}", "[".repeat(n), "]".repeat(n))
}

fn nested_maps_json(n: usize) -> String {
    format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n))
}

fn nested_maps_yaml(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{}a:{}",
                "  ".repeat(i),
                if i + 1 == n { " 1\n" } else { "\n" }
            )
        })
        .collect()
}

#[test]
fn depth_is_bounded_as_in_yaml() {
    // `n` arrays put the innermost item `n` deep.
    assert!(parse_value(&nested_arrays(MAX_DEPTH)).is_ok());
    let e = err(&nested_arrays(MAX_DEPTH + 1));
    assert_eq!((e.line, e.column), (1, MAX_DEPTH + 2), "{e:?}");
    // A key is a node too: the key of the innermost object is what is too deep.
    let e = err(&nested_maps_json(MAX_DEPTH + 1));
    assert_eq!(e.column, 6 * MAX_DEPTH + 2, "{e:?}");
    // The same bound as the YAML layer's (whose flow collections stop at 255
    // brackets, so its block form is the comparison).
    for n in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1] {
        let json_ok = parse_value(&nested_maps_json(n)).is_ok();
        let text = nested_maps_yaml(n);
        let yaml_ok = on_big_stack(move || parse_document_lines(&text).is_ok());
        assert_eq!(json_ok, yaml_ok, "{n} levels");
        assert_eq!(json_ok, n <= MAX_DEPTH, "{n} levels");
    }
    // Far deeper than the bound fails fast on a small stack.
    let e = err(&nested_arrays(1_000_000));
    assert!(e.message.contains("nested too deeply"), "{e:?}");
}

#[test]
fn positions_of_a_document() {
    let text = "{\n  \"é\": \"ü\",\n  \"b\": [1, {\"c\": null}]\n}\n";
    let (_, p) = parse_value(text).expect("parses");
    assert_eq!(
        (p.line, p.column, p.start, p.end),
        (1, 1, 0, text.len() as u32 - 1)
    );
    let PosChildren::Map(m) = &p.children else {
        panic!("map")
    };
    let (k, e) = &m[0];
    assert_eq!(k, "é");
    assert_eq!((e.line, e.column, e.key_start), (2, 3, 4));
    assert_eq!(&text[e.start as usize..e.end as usize], "\"ü\"");
    let b = &m[1].1;
    assert_eq!(
        &text[b.start as usize..b.end as usize],
        "[1, {\"c\": null}]"
    );
    let PosChildren::Seq(items) = &b.children else {
        panic!("seq")
    };
    assert_eq!((items[1].line, items[1].column), (3, 12));
    // A collection ends at its bracket, blanks after the root included
    // (which the YAML layer counts in).
    let (_, p) = parse_value("[1]  \n").expect("parses");
    assert_eq!((p.start, p.end), (0, 3));
}

/// A lone `\r` is a blank to JSON and no line break (serde_json and the
/// stream splitter count `\n` only); the YAML layer's positions are off there.
#[test]
fn lone_cr() {
    let (_, p) = parse_value("{\"a\":\r1,\r\"b\":2}").expect("parses");
    let PosChildren::Map(m) = &p.children else {
        panic!("map")
    };
    assert_eq!((m[1].1.line, m[1].1.column, m[1].1.start), (1, 10, 13));
}

#[test]
fn streams_read_through_the_json_parser() {
    let text = "{\"a\": 1}\n{\"b\": [\"\\uD83D\\uDE00\"]}\nnull\n[1,\n 2]\n";
    let chunks = parse_stream(text).expect("parses");
    let values: Vec<_> = chunks.iter().map(|c| c.value.clone()).collect();
    assert_eq!(
        values,
        [
            Some(json!({"a": 1})),
            Some(json!({"b": ["😀"]})),
            None,
            Some(json!([1, 2]))
        ]
    );
    let p = kubectl_sidecarset::path::JsonPath::keys(&["b"]).index(0);
    assert_eq!(chunks[1].positions.locate(&p), Some((2, 8)));
    let e = parse_stream("{\"a\": 1}\n{\"b\": 1,\n \"b\": 2}\n").expect_err("duplicate");
    assert_eq!((e.line, e.column), (3, 2));
    assert!(e.message.contains("already defined at line 2"), "{e:?}");
}
