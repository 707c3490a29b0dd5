//! Plain-scalar resolution by YAML 1.1 rules, as goyaml.v2 (the parser behind
//! sigs.k8s.io/yaml, which kubectl and the API server use) applies them:
//! `yes`/`on`/`y` are booleans, `0755` is octal, `1e3` a float, `~` null.

use serde_json::{Number, Value};

/// A plain scalar JSON cannot carry (`.inf`, `.nan`): Kubernetes rejects it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not representable in JSON (Kubernetes rejects it)")]
pub struct Unrepresentable(pub String);

/// What a plain (unquoted, untagged) scalar means.
pub fn resolve_plain(s: &str) -> Result<Value, Unrepresentable> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Ok(Value::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Ok(Value::Bool(false))
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Err(Unrepresentable(s.to_string())),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Ok(Value::String(s.to_string()));
    }
    if let Some(i) = parse_int(s) {
        return Ok(Value::Number(i));
    }
    if is_float(s) {
        let cleaned = s.replace('_', "");
        if let Ok(f) = cleaned.parse::<f64>() {
            return Ok(float_value(f));
        }
    }
    Ok(Value::String(s.to_string()))
}

/// Go's `json.Marshal` writes an integral float64 without a fraction, so
/// such values compare equal to integers.
fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Value::Number(Number::from(f as i64));
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// `strconv.ParseInt(s, 0, 64)` after removing `_`, as goyaml.v2 does:
/// decimal, `0x` hex, leading-`0` octal, `0b` binary, optional sign.
fn parse_int(s: &str) -> Option<Number> {
    let plain = s.replace('_', "");
    let (neg, digits) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if neg {
        let v = i64::try_from(magnitude).ok().map(|m| -m).or({
            if magnitude == 1u64 << 63 {
                Some(i64::MIN)
            } else {
                None
            }
        })?;
        Some(Number::from(v))
    } else {
        Some(Number::from(magnitude))
    }
}

/// goyaml.v2's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
/// (underscores allowed and removed).
fn is_float(s: &str) -> bool {
    let b = s.replace('_', "");
    let mut rest = b.as_str();
    if let Some(r) = rest.strip_prefix(['-', '+']) {
        rest = r;
    }
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit()),
        Some((int, frac)) => {
            !int.is_empty()
                && int.bytes().all(|c| c.is_ascii_digit())
                && frac.bytes().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// Whether a string would be read back as something else, or as a
/// different string, if written as a plain scalar.
pub fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    if !matches!(resolve_plain(s), Ok(Value::String(ref r)) if r == s) {
        return true;
    }
    // Dates and times are timestamps to goyaml.v2.
    let b = s.as_bytes();
    if b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        return true;
    }
    // Sexagesimal-looking values (`12:30`) were numbers in YAML 1.1.
    if b[0].is_ascii_digit() && s.contains(':') {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return true;
    }
    s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars()
            .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_scalars() {
        for (s, v) in [
            ("yes", json!(true)),
            ("Off", json!(false)),
            ("y", json!(true)),
            ("~", Value::Null),
            ("0755", json!(493)),
            ("0x1F", json!(31)),
            ("0b101", json!(5)),
            ("1_000", json!(1000)),
            ("-12", json!(-12)),
            ("1e3", json!(1000)),
            ("1.5", json!(1.5)),
            (".5", json!(0.5)),
            ("08", json!(8)),
            ("1.2.3", json!("1.2.3")),
            ("nginx", json!("nginx")),
            ("100m", json!("100m")),
        ] {
            assert_eq!(resolve_plain(s).expect(s), v, "{s}");
        }
        assert!(resolve_plain(".inf").is_err());
    }

    #[test]
    fn quoting() {
        for s in [
            "yes",
            "on",
            "NO",
            "~",
            "null",
            "0755",
            "1e3",
            "0x1F",
            "1_000",
            ".5",
            "12:30",
            "2024-01-01",
            " a",
            "a: b",
            "a #b",
            "-x",
            "*x",
            "",
            "true",
            "1",
            "'q",
            "x:",
        ] {
            assert!(needs_quotes(s), "{s:?} must be quoted");
        }
        for s in [
            "nginx", "a:b", "http://x", "100m", "Always", "a b", "v1.2.3", "a#b",
        ] {
            assert!(!needs_quotes(s), "{s:?} can be plain");
        }
    }
}
