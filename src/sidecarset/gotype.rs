//! Go `encoding/json` round trips of typed Kubernetes objects.
//!
//! The webhook decodes a SidecarSet into Go structs (case-sensitive, unknown
//! fields dropped, wrong JSON types rejected) and the stored object and the
//! hashes are the `json.Marshal` of those structs (struct field order,
//! `omitempty`, nil pointers, quantities in their Go text). [`roundtrip`]
//! does both in one pass over an untyped value, driven by the struct tables
//! generated into `gotypes.rs`. The result is idempotent: feeding it back
//! changes nothing.

use crate::path::{FieldError, JsonPath};
use crate::quantity;
use crate::value::type_name;
use serde_json::{Map, Number, Value};

/// The JSON shape of a Go type.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ty {
    Str,
    Bool,
    I32,
    I64,
    /// `resource.Quantity`.
    Quantity,
    /// `intstr.IntOrString`.
    IntOrStr,
    /// `metav1.Time`: RFC 3339, marshalled in UTC with second precision.
    Time,
    /// Raw JSON kept as is (`FieldsV1`, `RawExtension`).
    Any,
    /// A struct of `gotypes.rs`, by reference so that a wrong name does not
    /// compile.
    Struct(&'static Struct),
    List(&'static Ty),
    /// `map[string]T` (keys sorted on output, as Go sorts map keys).
    Map(&'static Ty),
}

/// The JSON fields of a Go struct, in declaration order (embedded structs
/// inlined).
pub(crate) struct Struct {
    /// Go name, package-qualified (`corev1.Container`), for messages.
    pub name: &'static str,
    pub fields: &'static [Field],
}

// By name: the structs refer to one another, and some in cycles.
impl std::fmt::Debug for Struct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Struct({})", self.name)
    }
}

/// One JSON field of a Go struct.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// A pointer: nil when absent or null, emitted even when zero.
    pub ptr: bool,
    pub omitempty: bool,
}

/// Decodes `v` into the Go struct `ty` and marshals it back.
pub(crate) fn roundtrip(
    v: &Value,
    ty: &'static Struct,
    path: &JsonPath,
) -> Result<Value, FieldError> {
    Ok(decode(In::of(v), &Ty::Struct(ty), &At::Root(path))?.0)
}

/// [`roundtrip`] of a value that is no longer needed: its strings and
/// subtrees move into the result instead of being copied.
pub(super) fn roundtrip_owned(
    v: Value,
    ty: &'static Struct,
    path: &JsonPath,
) -> Result<Value, FieldError> {
    Ok(decode(In::owned(v), &Ty::Struct(ty), &At::Root(path))?.0)
}

/// A non-null input value, borrowed or owned.
enum In<'a> {
    Ref(&'a Value),
    Own(Value),
}

impl<'a> In<'a> {
    fn of(v: &'a Value) -> Option<Self> {
        (!v.is_null()).then_some(In::Ref(v))
    }

    fn owned(v: Value) -> Option<Self> {
        (!v.is_null()).then_some(In::Own(v))
    }

    fn get(&self) -> &Value {
        match self {
            In::Ref(v) => v,
            In::Own(v) => v,
        }
    }

    fn into_value(self) -> Value {
        match self {
            In::Ref(v) => v.clone(),
            In::Own(v) => v,
        }
    }

    /// The string of a `Value::String` (anything else: empty).
    fn into_string(self) -> String {
        match self {
            In::Ref(Value::String(s)) => s.clone(),
            In::Own(Value::String(s)) => s,
            _ => String::new(),
        }
    }
}

/// Where a value is: a path built only when an error needs it.
enum At<'a> {
    Root(&'a JsonPath),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn path(&self) -> JsonPath {
        match self {
            At::Root(p) => (*p).clone(),
            At::Key(parent, k) => parent.path().key(*k),
            At::Index(parent, i) => parent.path().index(*i),
        }
    }
}

fn wrong(at: &At<'_>, want: &str, got: &Value) -> FieldError {
    FieldError::new(
        at.path(),
        format!("expected {want}, got {}", type_name(got)),
    )
}

/// The marshalled value and whether Go's `omitempty` treats it as empty.
fn decode(v: Option<In<'_>>, ty: &Ty, at: &At<'_>) -> Result<(Value, bool), FieldError> {
    match ty {
        Ty::Str => match v {
            None => Ok((Value::String(String::new()), true)),
            Some(s) if s.get().is_string() => {
                let s = s.into_string();
                let empty = s.is_empty();
                Ok((Value::String(s), empty))
            }
            Some(other) => Err(wrong(at, "string", other.get())),
        },
        Ty::Bool => match v.as_ref().map(In::get) {
            None => Ok((Value::Bool(false), true)),
            Some(Value::Bool(b)) => Ok((Value::Bool(*b), !*b)),
            Some(other) => Err(wrong(at, "boolean", other)),
        },
        Ty::I32 | Ty::I64 => match v.as_ref().map(In::get) {
            None => Ok((Value::Number(0.into()), true)),
            Some(Value::Number(n)) => {
                let i = integer(n, matches!(ty, Ty::I32)).ok_or_else(|| {
                    FieldError::new(at.path(), format!("expected integer, got {n}"))
                })?;
                Ok((Value::Number(i.into()), i == 0))
            }
            Some(other) => Err(wrong(at, "integer", other)),
        },
        Ty::Quantity => match v.as_ref().map(In::get) {
            None => Ok((Value::String("0".into()), false)),
            Some(q @ (Value::String(_) | Value::Number(_))) => {
                let parsed = quantity::from_json(q)
                    .map_err(|e| FieldError::new(at.path(), e.to_string()))?;
                Ok((Value::String(parsed.to_go_string()), false))
            }
            Some(other) => Err(wrong(at, "quantity", other)),
        },
        Ty::IntOrStr => match v {
            None => Ok((Value::Number(0.into()), false)),
            Some(s) if s.get().is_string() => Ok((Value::String(s.into_string()), false)),
            Some(n) => match n.get() {
                Value::Number(n) => {
                    let i = integer(n, true).ok_or_else(|| {
                        FieldError::new(at.path(), format!("expected int32 or string, got {n}"))
                    })?;
                    Ok((Value::Number(i.into()), false))
                }
                other => Err(wrong(at, "integer or string", other)),
            },
        },
        Ty::Time => match v.as_ref().map(In::get) {
            None => Ok((Value::Null, false)),
            Some(Value::String(s)) => {
                let epoch = parse_rfc3339(s).ok_or_else(|| {
                    FieldError::new(at.path(), format!("invalid RFC 3339 time {s:?}"))
                })?;
                Ok((Value::String(crate::clock::rfc3339(epoch)), false))
            }
            Some(other) => Err(wrong(at, "time string", other)),
        },
        Ty::Any => match v {
            None => Ok((Value::Null, true)),
            Some(v) => Ok((v.into_value(), false)),
        },
        Ty::Struct(st) => {
            let mut fields = match v {
                None => Fields::Ref(None),
                Some(In::Ref(Value::Object(m))) => Fields::Ref(Some(m)),
                Some(In::Own(Value::Object(m))) if m.len() <= SMALL => {
                    Fields::OwnSmall(m.into_iter().collect())
                }
                Some(In::Own(Value::Object(m))) => Fields::Own(m),
                Some(other) => return Err(wrong(at, "object", other.get())),
            };
            // Sized once: every key given plus the fields always written.
            let always = st.fields.iter().filter(|f| !f.omitempty).count();
            let mut out = Map::with_capacity(st.fields.len().min(fields.len() + always));
            for f in st.fields {
                let here = At::Key(at, f.name);
                let (key, raw) = match fields.take(f.name) {
                    Some((key, raw)) => (key, Some(raw)),
                    None => (None, None),
                };
                let key = || key.unwrap_or_else(|| f.name.to_string());
                if f.ptr {
                    match raw {
                        None if f.omitempty => {}
                        None => {
                            out.insert(key(), Value::Null);
                        }
                        Some(_) => {
                            let j = decode(raw, &f.ty, &here)?.0;
                            out.insert(key(), j);
                        }
                    }
                } else {
                    let (j, is_empty) = decode(raw, &f.ty, &here)?;
                    if !(f.omitempty && is_empty) {
                        out.insert(key(), j);
                    }
                }
            }
            // Go never treats a struct as empty.
            Ok((Value::Object(out), false))
        }
        Ty::List(elem) => match v {
            None => Ok((Value::Null, true)),
            Some(In::Ref(Value::Array(items))) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(decode(In::of(item), elem, &At::Index(at, i))?.0);
                }
                let is_empty = out.is_empty();
                Ok((Value::Array(out), is_empty))
            }
            Some(In::Own(Value::Array(items))) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    out.push(decode(In::owned(item), elem, &At::Index(at, i))?.0);
                }
                let is_empty = out.is_empty();
                Ok((Value::Array(out), is_empty))
            }
            Some(other) => Err(wrong(at, "array", other.get())),
        },
        Ty::Map(elem) => match v {
            None => Ok((Value::Null, true)),
            Some(In::Ref(Value::Object(m))) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = Map::with_capacity(m.len());
                for k in keys {
                    let here = At::Key(at, k.as_str());
                    let item = decode(m.get(k).and_then(In::of), elem, &here)?.0;
                    out.insert(k.clone(), item);
                }
                let is_empty = out.is_empty();
                Ok((Value::Object(out), is_empty))
            }
            Some(In::Own(Value::Object(m))) => {
                let mut entries: Vec<(String, Value)> = m.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let mut out = Map::with_capacity(entries.len());
                for (k, item) in entries {
                    let item = decode(In::owned(item), elem, &At::Key(at, k.as_str()))?.0;
                    out.insert(k, item);
                }
                let is_empty = out.is_empty();
                Ok((Value::Object(out), is_empty))
            }
            Some(other) => Err(wrong(at, "object", other.get())),
        },
    }
}

/// The fields of a JSON object being decoded into a struct.
enum Fields<'a> {
    Ref(Option<&'a Map<String, Value>>),
    Own(Map<String, Value>),
    /// An owned object of at most [`SMALL`] fields: looked up by a scan,
    /// cheaper than hashing each of the struct's field names.
    OwnSmall(Vec<(String, Value)>),
}

/// Objects up to this many fields are searched by a scan rather than a hash.
const SMALL: usize = 16;

impl<'a> Fields<'a> {
    fn len(&self) -> usize {
        match self {
            Fields::Ref(m) => m.map_or(0, Map::len),
            Fields::Own(m) => m.len(),
            Fields::OwnSmall(m) => m.len(),
        }
    }

    /// The non-null value of `key` (each key is taken once), with the key
    /// itself when owned.
    fn take(&mut self, key: &str) -> Option<(Option<String>, In<'a>)> {
        match self {
            Fields::Ref(m) => {
                let m = (*m)?;
                let v = if m.len() <= SMALL {
                    m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
                } else {
                    m.get(key)
                };
                v.and_then(In::of).map(|v| (None, v))
            }
            Fields::Own(m) => {
                let (k, v) = m.swap_remove_entry(key)?;
                In::owned(v).map(|v| (Some(k), v))
            }
            Fields::OwnSmall(m) => {
                let i = m.iter().position(|(k, _)| k.as_str() == key)?;
                let (k, v) = m.swap_remove(i);
                In::owned(v).map(|v| (Some(k), v))
            }
        }
    }
}

/// An integral JSON number in range (floats with an integral value are what
/// the API server re-encodes as integers).
fn integer(n: &Number, int32: bool) -> Option<i64> {
    let i = match n.as_i64() {
        Some(i) => i,
        None => {
            let f = n.as_f64()?;
            if f.fract() != 0.0 || !(-9.2e18..9.2e18).contains(&f) {
                return None;
            }
            f as i64
        }
    };
    if int32 && i32::try_from(i).is_err() {
        return None;
    }
    Some(i)
}

/// Seconds since the epoch of an RFC 3339 timestamp (Go's `time.RFC3339`
/// layout accepts fractional seconds and any offset).
pub(crate) fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let ob = rest.as_bytes();
            if ob.len() != 6 || !matches!(ob[0], b'+' | b'-') || ob[3] != b':' {
                return None;
            }
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if ob[0] == b'-' {
                -o
            } else {
                o
            }
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::super::gotypes::{V1BETA1_SIDECAR_CONTAINER, V1BETA1_SIDECAR_SET};
    use super::*;
    use serde_json::json;

    #[test]
    fn container_shape_like_go() {
        let c = json!({"Image": "x", "image": "nginx", "name": "c", "command": [],
            "ports": [{"containerPort": 80.0}], "resources": {"limits": {"memory": "1024Mi", "cpu": 0.5}},
            "readinessProbe": {"grpc": {"port": 1}}, "bogus": 1});
        let got = roundtrip(&c, &V1BETA1_SIDECAR_CONTAINER, &JsonPath::root()).expect("decodes");
        assert_eq!(
            crate::gojson::to_string(&got),
            r#"{"name":"c","image":"nginx","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"}},"readinessProbe":{"grpc":{"port":1,"service":null}},"upgradeStrategy":{},"shareVolumePolicy":{}}"#
        );
        assert_eq!(
            roundtrip(&got, &V1BETA1_SIDECAR_CONTAINER, &JsonPath::root()).expect("again"),
            got
        );
    }

    #[test]
    fn wrong_types_have_paths() {
        let c = json!({"name": "c", "ports": [{"containerPort": "80"}]});
        let err = roundtrip(&c, &V1BETA1_SIDECAR_CONTAINER, &JsonPath::keys(&["spec"]))
            .expect_err("string port");
        assert_eq!(err.path.to_string(), "spec.ports[0].containerPort");
        let c = json!({"name": "c", "ports": [{"containerPort": 1.5}]});
        assert!(roundtrip(&c, &V1BETA1_SIDECAR_CONTAINER, &JsonPath::root()).is_err());
        let c = json!({"name": "c", "resources": {"limits": {"cpu": "1x"}}});
        let err = roundtrip(&c, &V1BETA1_SIDECAR_CONTAINER, &JsonPath::root()).expect_err("bad q");
        assert_eq!(err.path.to_string(), "resources.limits.cpu");
    }

    #[test]
    fn metadata_and_status_zero_values() {
        let got = roundtrip(
            &json!({"metadata": {"name": "a"}}),
            &V1BETA1_SIDECAR_SET,
            &JsonPath::root(),
        )
        .expect("decodes");
        assert_eq!(
            got,
            json!({"metadata": {"name": "a", "creationTimestamp": null},
                   "spec": {"updateStrategy": {}, "injectionStrategy": {}},
                   "status": {"matchedPods": 0, "updatedPods": 0, "readyPods": 0}})
        );
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00Z"), Some(1_704_067_200));
        assert_eq!(
            parse_rfc3339("2024-01-01T02:00:00.5+02:00"),
            Some(1_704_067_200)
        );
        assert_eq!(parse_rfc3339("2024-02-30T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
