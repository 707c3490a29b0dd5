//! Pods held as bytes between reads: a `serde_json::Value` tree costs about
//! five times the JSON text it holds (72-byte nodes, a hash index per
//! mapping, an allocation per string), so a plan over 100,000 live pods
//! keeps each one encoded and decodes it whenever the planner reads it.
//!
//! The encoding is exact: decoding gives back a value equal to the one
//! encoded, with the same key order and the same kind of number, so the
//! planner cannot tell the two apart.

use super::PodSource;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UINT: u8 = 3;
const NEG_INT: u8 = 4;
const FLOAT: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;

/// Appends the encoding of `v` to `out`.
pub fn encode(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(UINT);
                varint(u, out);
            } else if let Some(i) = n.as_i64() {
                out.push(NEG_INT);
                out.extend_from_slice(&i.to_le_bytes());
            } else {
                out.push(FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_bits().to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(STRING);
            text(s, out);
        }
        Value::Array(items) => {
            out.push(ARRAY);
            varint(items.len() as u64, out);
            for item in items {
                encode(item, out);
            }
        }
        Value::Object(map) => {
            out.push(OBJECT);
            varint(map.len() as u64, out);
            for (k, item) in map {
                text(k, out);
                encode(item, out);
            }
        }
    }
}

fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn text(s: &str, out: &mut Vec<u8>) {
    varint(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

/// The value encoded in `bytes` (`Null` for bytes [`encode`] did not write).
pub fn decode(bytes: &[u8]) -> Value {
    let mut r = Reader { bytes, at: 0 };
    r.value().unwrap_or(Value::Null)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn eight(&mut self) -> Option<[u8; 8]> {
        self.take(8)?.try_into().ok()
    }

    fn text(&mut self) -> Option<String> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_string)
    }

    fn value(&mut self) -> Option<Value> {
        Some(match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UINT => Value::Number(Number::from(self.varint()?)),
            NEG_INT => Value::Number(Number::from(i64::from_le_bytes(self.eight()?))),
            FLOAT => Value::Number(Number::from_f64(f64::from_bits(u64::from_le_bytes(
                self.eight()?,
            )))?),
            STRING => Value::String(self.text()?),
            ARRAY => {
                let n = self.len()?;
                // Every item takes at least one byte: a corrupt count cannot
                // reserve more than the input could hold.
                let mut items = Vec::with_capacity(n.min(self.bytes.len()));
                for _ in 0..n {
                    items.push(self.value()?);
                }
                Value::Array(items)
            }
            OBJECT => {
                let n = self.len()?;
                let mut map = Map::with_capacity(n.min(self.bytes.len()));
                for _ in 0..n {
                    let k = self.text()?;
                    let v = self.value()?;
                    map.insert(k, v);
                }
                Value::Object(map)
            }
            _ => return None,
        })
    }
}

impl<'a> Reader<'a> {
    /// Steps over one value.
    fn skip(&mut self) -> Option<()> {
        match self.byte()? {
            NULL | FALSE | TRUE => {}
            UINT => {
                self.varint()?;
            }
            NEG_INT | FLOAT => {
                self.eight()?;
            }
            STRING => {
                let n = self.len()?;
                self.take(n)?;
            }
            ARRAY => {
                for _ in 0..self.len()? {
                    self.skip()?;
                }
            }
            OBJECT => {
                for _ in 0..self.len()? {
                    let n = self.len()?;
                    self.take(n)?;
                    self.skip()?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// The entries of the mapping at `at`: each key and where its value
    /// starts (`None` when no mapping is there).
    fn entries(&self, at: usize) -> Option<Vec<(&'a str, usize)>> {
        let mut r = Reader {
            bytes: self.bytes,
            at,
        };
        if r.byte()? != OBJECT {
            return None;
        }
        let n = r.len()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let len = r.len()?;
            let start = r.at;
            r.take(len)?;
            let k = std::str::from_utf8(self.bytes.get(start..r.at)?).ok()?;
            out.push((k, r.at));
            r.skip()?;
        }
        Some(out)
    }

    /// Where the items of the sequence at `at` start (`None` when no
    /// sequence is there).
    fn items(&self, at: usize) -> Option<Vec<usize>> {
        let mut r = Reader {
            bytes: self.bytes,
            at,
        };
        if r.byte()? != ARRAY {
            return None;
        }
        let n = r.len()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            out.push(r.at);
            r.skip()?;
        }
        Some(out)
    }

    fn value_at(&self, at: usize) -> Option<Value> {
        Reader {
            bytes: self.bytes,
            at,
        }
        .value()
    }

    /// `keys` of the mapping at `at`, in that order, as a mapping (empty
    /// when no mapping is there).
    fn pick(&self, at: Option<usize>, keys: &[&str]) -> Option<Map<String, Value>> {
        let mut out = Map::new();
        let Some(entries) = at.and_then(|at| self.entries(at)) else {
            return Some(out);
        };
        for k in keys {
            if let Some(&(_, v)) = entries.iter().find(|(key, _)| key == k) {
                out.insert((*k).to_string(), self.value_at(v)?);
            }
        }
        Some(out)
    }

    /// [`Reader::pick`] of each item of the sequence at `at`.
    fn pick_each(&self, at: Option<usize>, keys: &[&str]) -> Option<Value> {
        let items = at.and_then(|at| self.items(at)).unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(Value::Object(self.pick(Some(item), keys)?));
        }
        Some(Value::Array(out))
    }

    /// `simulate::working_part` of the pod encoded here, decoding only
    /// what it keeps.
    fn working(&self) -> Option<Value> {
        let root = self.entries(0).unwrap_or_default();
        let at = |entries: &[(&str, usize)], k: &str| {
            entries.iter().find(|(key, _)| *key == k).map(|&(_, v)| v)
        };
        let (spec, status) = (at(&root, "spec"), at(&root, "status"));
        let spec_entries = spec.and_then(|v| self.entries(v)).unwrap_or_default();
        let status_entries = status.and_then(|v| self.entries(v)).unwrap_or_default();
        let mut out = Map::new();
        out.insert(
            "metadata".into(),
            Value::Object(self.pick(
                at(&root, "metadata"),
                &[
                    "name",
                    "namespace",
                    "labels",
                    "annotations",
                    "creationTimestamp",
                    "deletionTimestamp",
                ],
            )?),
        );
        let mut spec = self.pick(spec, &["nodeName"])?;
        spec.insert(
            "containers".into(),
            self.pick_each(at(&spec_entries, "containers"), &["name", "image"])?,
        );
        out.insert("spec".into(), Value::Object(spec));
        let mut status = self.pick(status, &["phase", "conditions"])?;
        status.insert(
            "containerStatuses".into(),
            self.pick_each(
                at(&status_entries, "containerStatuses"),
                &["name", "image", "imageID", "ready", "restartCount"],
            )?,
        );
        out.insert("status".into(), Value::Object(status));
        Some(Value::Object(out))
    }
}

/// Pods encoded one after another in one buffer (no allocation per pod).
#[derive(Debug, Default)]
pub struct CompactPods {
    bytes: Vec<u8>,
    /// Where each pod's bytes end.
    ends: Vec<usize>,
}

impl CompactPods {
    /// Encodes `pod` after the pods already held.
    pub fn push(&mut self, pod: &Value) {
        encode(pod, &mut self.bytes);
        self.ends.push(self.bytes.len());
    }

    /// Encodes a live pod as read from the cluster, keeping only the
    /// fields the controller reads (the rest is never looked at by a plan).
    pub fn push_live(&mut self, pod: Value) {
        self.push(&super::pods::slim(pod));
    }

    /// How many pods are held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no pod is held.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Keeps the first `n` pods.
    pub fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.ends.truncate(n);
            self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }
}

impl CompactPods {
    fn bytes_of(&self, i: usize) -> Option<&[u8]> {
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).copied().unwrap_or(usize::MAX),
        };
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.bytes.get(start..end)
    }
}

impl PodSource for CompactPods {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn pod(&self, i: usize) -> Cow<'_, Value> {
        Cow::Owned(self.bytes_of(i).map_or(Value::Null, decode))
    }

    fn working_part(&self, i: usize) -> Option<Value> {
        let bytes = self.bytes_of(i)?;
        Reader { bytes, at: 0 }.working()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_come_back_equal_in_order_and_number_kind() {
        let v = json!({
            "z": null, "a": [true, false, 0, 1, 127, 128, 300, u64::MAX, -1, i64::MIN,
                0.5, 3.0, -0.0, 1e300, "", "é\u{0}x"],
            "m": {"b": {}, "a": []}, "": "empty key"
        });
        let mut bytes = Vec::new();
        encode(&v, &mut bytes);
        let back = decode(&bytes);
        assert_eq!(back, v);
        assert_eq!(back.to_string(), v.to_string());
        // 3.0 stays a float, 3 an integer: the planner may print either.
        assert!(back["a"][11].is_f64() && back["a"][5].is_u64() && back["a"][9].is_i64());
        let keys: Vec<&String> = back["m"].as_object().expect("map").keys().collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn pods_are_read_back_by_index() {
        let mut pods = CompactPods::default();
        for i in 0..5 {
            pods.push(&json!({"metadata": {"name": format!("p{i}")}}));
        }
        pods.truncate(3);
        assert_eq!(PodSource::len(&pods), 3);
        assert_eq!(pods.pod(2)["metadata"]["name"], "p2");
        assert_eq!(*pods.pod(0), json!({"metadata": {"name": "p0"}}));
        assert_eq!(*pods.pod(7), Value::Null);
    }

    #[test]
    fn the_working_part_is_read_as_from_the_whole_pod() {
        let pods = [
            json!({"metadata": {"labels": {"a": "b"}, "name": "p", "uid": "u",
                "annotations": {"x": "y"}, "namespace": "n"},
                "spec": {"volumes": [], "nodeName": "n1", "containers": [
                    {"image": "i", "name": "c", "env": [{"name": "E"}]}, 3,
                    {"name": "d"}]},
                "status": {"containerStatuses": [{"restartCount": 2, "ready": true,
                    "name": "c", "imageID": "x", "image": "i", "state": {}}],
                    "phase": "Running", "conditions": [{"type": "Ready"}], "hostIP": "h"},
                "kind": "Pod"}),
            json!({"spec": [], "status": "x"}),
            json!({"spec": {"containers": {}}, "status": {"containerStatuses": 1}}),
            json!([1, 2]),
            json!(null),
            json!({}),
        ];
        let mut compact = CompactPods::default();
        for p in &pods {
            compact.push(p);
        }
        for (i, p) in pods.iter().enumerate() {
            let want = crate::plan::simulate::working_part(p.clone());
            let got = compact.working_part(i).expect("working part");
            assert_eq!(got.to_string(), want.to_string(), "{p}");
        }
    }

    #[test]
    fn bytes_it_did_not_write_decode_to_null() {
        for bad in [&[][..], &[ARRAY, 5, TRUE], &[STRING, 2, 0xff, 0xfe], &[42]] {
            assert_eq!(decode(bad), Value::Null, "{bad:?}");
        }
    }
}
