//! Typed reads of untyped documents.
//!
//! The engine decides on typed views but edits the untyped `serde_json::Value`
//! tree, so that fields it does not model survive. These helpers read a field
//! and report a wrong type as a [`FieldError`] with the field's path, which the
//! CLI maps back to file, line and column.

use crate::path::{FieldError, JsonPath};
use serde_json::{Map, Value};

/// The JSON type name Kubernetes uses in decode errors.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong(path: &JsonPath, want: &str, got: &Value) -> FieldError {
    FieldError::new(
        path.clone(),
        format!("expected {want}, got {}", type_name(got)),
    )
}

/// `obj[key]`: small objects (most of a Kubernetes object's) are scanned,
/// cheaper than hashing `key`; larger ones looked up.
#[inline]
pub fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if obj.len() <= 16 {
        obj.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        obj.get(key)
    }
}

/// `v[key]` of an object `v` ([`field`]); `None` for anything else.
#[inline]
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => field(m, key),
        _ => None,
    }
}

/// `obj[key]` as a string; absent or null is `None`.
pub fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<&'a str>, FieldError> {
    match field(obj, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong(&path.clone().key(key), "string", other)),
    }
}

/// `obj[key]` as an object; absent or null is `None`.
pub fn opt_obj<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<&'a Map<String, Value>>, FieldError> {
    match field(obj, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(wrong(&path.clone().key(key), "object", other)),
    }
}

/// `obj[key]` as an array; absent or null is `None`.
pub fn opt_arr<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<&'a Vec<Value>>, FieldError> {
    match field(obj, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(other) => Err(wrong(&path.clone().key(key), "array", other)),
    }
}

/// `obj[key]` as a bool; absent or null is `None`.
pub fn opt_bool(
    obj: &Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<bool>, FieldError> {
    match field(obj, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong(&path.clone().key(key), "boolean", other)),
    }
}

/// `obj[key]` as an integer (Go decodes `1.0` into an int field as an error,
/// so only integral JSON numbers are accepted); absent or null is `None`.
pub fn opt_i64(
    obj: &Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<i64>, FieldError> {
    match field(obj, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            None => Err(FieldError::new(
                path.clone().key(key),
                format!("expected integer, got {n}"),
            )),
        },
        Some(other) => Err(wrong(&path.clone().key(key), "integer", other)),
    }
}

/// A `map[string]string` field (labels, annotations, matchLabels).
pub fn opt_string_map<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<Vec<(&'a str, &'a str)>>, FieldError> {
    let Some(m) = opt_obj(obj, key, path)? else {
        return Ok(None);
    };
    let here = path.clone().key(key);
    let mut out = Vec::with_capacity(m.len());
    for (k, v) in m {
        match v {
            Value::String(s) => out.push((k.as_str(), s.as_str())),
            other => return Err(wrong(&here.clone().key(k.as_str()), "string", other)),
        }
    }
    Ok(Some(out))
}

/// A `[]string` field.
pub fn opt_string_list<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<Vec<&'a str>>, FieldError> {
    let Some(a) = opt_arr(obj, key, path)? else {
        return Ok(None);
    };
    let here = path.clone().key(key);
    let mut out = Vec::with_capacity(a.len());
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::String(s) => out.push(s.as_str()),
            other => return Err(wrong(&here.clone().index(i), "string", other)),
        }
    }
    Ok(Some(out))
}

/// Follows `keys` through nested objects; `None` when any step is missing or
/// not an object.
pub fn get_path<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for k in keys {
        cur = field(cur.as_object()?, k)?;
    }
    Some(cur)
}

/// Like [`get_path`], mutable.
pub fn get_path_mut<'a>(v: &'a mut Value, keys: &[&str]) -> Option<&'a mut Value> {
    let mut cur = v;
    for k in keys {
        cur = cur.as_object_mut()?.get_mut(*k)?;
    }
    Some(cur)
}

/// Returns `obj[key]` as a mutable object, creating it (or replacing a null)
/// when absent. Any other existing type is replaced too: callers validate
/// types before they mutate.
pub fn ensure_obj<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = obj
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("slot was just made an object"),
    }
}

/// Returns `obj[key]` as a mutable array, creating it when absent or null.
pub fn ensure_arr<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = obj
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    match slot {
        Value::Array(a) => a,
        _ => unreachable!("slot was just made an array"),
    }
}

/// `v[key]` as a string; `""` when absent or not a string.
pub fn get_str<'v>(v: &'v Value, key: &str) -> &'v str {
    get(v, key).and_then(Value::as_str).unwrap_or("")
}

/// `v[key]` as a slice; empty when absent or not an array.
pub fn get_arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    get(v, key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The string at a JSON pointer (see [`At`]); `None` when absent or not a
/// string.
pub fn opt_str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.at(pointer).and_then(Value::as_str)
}

/// The string at a JSON pointer (see [`At`]); `""` when absent or not a
/// string.
pub fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    opt_str_at(v, pointer).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_type_names_the_path() {
        let v = json!({"metadata": {"labels": {"app": 3}}});
        let md = v["metadata"].as_object().expect("object");
        let err =
            opt_string_map(md, "labels", &JsonPath::keys(&["metadata"])).expect_err("number label");
        assert_eq!(err.path.to_string(), "metadata.labels.app");
        assert_eq!(err.message, "expected string, got number");
    }

    #[test]
    fn ensure_creates() {
        let mut m = Map::new();
        ensure_arr(ensure_obj(&mut m, "spec"), "containers").push(json!(1));
        assert_eq!(Value::Object(m), json!({"spec": {"containers": [1]}}));
    }
}

/// `Value::pointer` without its per-token allocations: hot loops of the
/// planner read a handful of fields of every pod, every round.
pub trait At {
    /// The value at the RFC 6901 `pointer`, as `Value::pointer` finds it.
    fn at(&self, pointer: &str) -> Option<&Value>;
}

#[cfg(test)]
mod at_tests {
    use super::At;
    use serde_json::json;

    #[test]
    fn at_reads_like_pointer() {
        let v = json!({"a": {"b/c": [1, {"d~e": 2}]}, "": 3});
        for p in [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/1/d~0e",
            "/a/b~1c/0",
            "/a/x",
            "/a/b~1c/9",
            "/",
            "x",
            "/a/b~1c/01",
            "/a/b~1c/+1",
        ] {
            assert_eq!(v.at(p), v.pointer(p), "{p}");
        }
    }
}

impl At for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |v, token| {
            let token: std::borrow::Cow<str> = if token.contains('~') {
                token.replace("~1", "/").replace("~0", "~").into()
            } else {
                token.into()
            };
            match v {
                Value::Object(m) => field(m, token.as_ref()),
                // serde_json's `parse_index`: no sign, no leading zero.
                Value::Array(a)
                    if !token.starts_with('+') && (token == "0" || !token.starts_with('0')) =>
                {
                    token.parse::<usize>().ok().and_then(|i| a.get(i))
                }
                _ => None,
            }
        })
    }
}
