//! The conformance runner's comparison (`shared/conformance/run`:
//! `normalise`, `quantity_value`, `first_difference`), for tests that call
//! the engines directly on the recorded cases.

use serde_json::{Map, Value};

pub(crate) const HASH_KEYS: [&str; 2] = [
    "kruise.io/sidecarset-hash",
    "kruise.io/sidecarset-hash-without-image",
];

/// Removes what differs only in serialisation: nulls, empty objects and
/// lists (except `emptyDir`), quantity spelling in `limits`/`requests`, and
/// `updateTimestamp` inside the sidecarset hash annotations.
pub(crate) fn normalise(value: &Value) -> Value {
    normalise_inner(value).unwrap_or(Value::Null)
}

fn normalise_inner(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let v = match (k.as_str(), v) {
                    ("limits" | "requests", Value::Object(q)) => Value::Object(
                        q.iter()
                            .map(|(rk, rv)| (rk.clone(), quantity_value(rv)))
                            .collect(),
                    ),
                    ("annotations", Value::Object(a)) => {
                        let mut a = a.clone();
                        for hk in HASH_KEYS {
                            if let Some(Value::String(s)) = a.get(hk) {
                                let parsed = hash_annotation(s);
                                a.insert(hk.to_string(), parsed);
                            }
                        }
                        Value::Object(a)
                    }
                    _ => v.clone(),
                };
                let Some(n) = normalise_inner(&v) else {
                    continue;
                };
                let empty = matches!(&n, Value::Object(o) if o.is_empty())
                    || matches!(&n, Value::Array(a) if a.is_empty());
                if empty && k != "emptyDir" {
                    continue;
                }
                out.insert(k.clone(), n);
            }
            Some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(
            a.iter()
                .map(|v| normalise_inner(v).unwrap_or(Value::Null))
                .collect(),
        )),
        other => Some(other.clone()),
    }
}

fn hash_annotation(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut m)) => {
            for entry in m.values_mut() {
                if let Value::Object(e) = entry {
                    e.shift_remove("updateTimestamp");
                }
            }
            Value::Object(m)
        }
        Ok(other) => other,
        Err(_) => Value::String(text.to_string()),
    }
}

/// `q:<exact decimal>` for a quantity text, else the text itself.
pub(crate) fn quantity_value(v: &Value) -> Value {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    match exact_decimal(&text) {
        Some(d) => Value::String(format!("q:{d}")),
        None => Value::String(text),
    }
}

/// The runner's quantity grammar, evaluated exactly (i128 mantissa).
fn exact_decimal(text: &str) -> Option<String> {
    const SUFFIXES: [(&str, i32, u32); 15] = [
        ("Ki", 0, 10),
        ("Mi", 0, 20),
        ("Gi", 0, 30),
        ("Ti", 0, 40),
        ("Pi", 0, 50),
        ("Ei", 0, 60),
        ("n", -9, 0),
        ("u", -6, 0),
        ("m", -3, 0),
        ("k", 3, 0),
        ("M", 6, 0),
        ("G", 9, 0),
        ("T", 12, 0),
        ("P", 15, 0),
        ("E", 18, 0),
    ];
    let (num, exp10, pow2) = SUFFIXES
        .iter()
        .find_map(|(s, e, p)| {
            let n = text.strip_suffix(s)?;
            // "1E" is an SI suffix, but "1e3"/"1E3" end in digits.
            valid_number(n).then_some((n, *e, *p))
        })
        .or_else(|| valid_number(text).then_some((text, 0, 0)))?;
    let (neg, body) = match num.as_bytes().first() {
        Some(b'-') => (true, &num[1..]),
        Some(b'+') => (false, &num[1..]),
        _ => (false, num),
    };
    let (mant, e) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = format!("{int}{frac}");
    let mut m: i128 = digits.parse().ok()?;
    let mut exp = e + exp10 - frac.len() as i32;
    m = m.checked_mul(1i128.checked_shl(pow2)?)?;
    if m == 0 {
        return Some("0".into());
    }
    while m % 10 == 0 {
        m /= 10;
        exp += 1;
    }
    let s = m.to_string();
    let body = if exp >= 0 {
        format!("{s}{}", "0".repeat(exp as usize))
    } else {
        let point = s.len() as i32 + exp;
        if point > 0 {
            format!("{}.{}", &s[..point as usize], &s[point as usize..])
        } else {
            format!("0.{}{s}", "0".repeat((-point) as usize))
        }
    };
    Some(if neg { format!("-{body}") } else { body })
}

/// `[+-]?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?`
fn valid_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some((a, b)) => {
            a.bytes().all(|c| c.is_ascii_digit())
                && !b.is_empty()
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => !mant.is_empty() && mant.bytes().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok
}

fn short(v: &Value) -> String {
    let t = serde_json::to_string(v).unwrap_or_default();
    if t.chars().count() <= 160 {
        t
    } else {
        format!("{}...", t.chars().take(157).collect::<String>())
    }
}

/// The first difference between `want` and `got`, as the runner reports it.
pub(crate) fn first_difference(want: &Value, got: &Value, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let here = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), None) => {
                        return Some(format!("{here}: missing (expected {})", short(x)))
                    }
                    (None, Some(y)) => return Some(format!("{here}: unexpected {}", short(y))),
                    (Some(x), Some(y)) => {
                        if let Some(d) = first_difference(x, y, &here) {
                            return Some(d);
                        }
                    }
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{path}: expected {} items, got {}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]")))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: expected {}, got {}", short(a), short(b))),
    }
}
