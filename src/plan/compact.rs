//! Pods held as bytes between reads: a `serde_json::Value` tree costs about
//! five times the JSON text it holds (72-byte nodes, a hash index per
//! mapping, an allocation per string), so a plan over 100,000 live pods
//! keeps each one encoded and decodes it whenever the planner reads it.
//!
//! The encoding is exact: decoding gives back a value equal to the one
//! encoded, with the same key order and the same kind of number, so the
//! planner cannot tell the two apart.
//!
//! A value is encoded in two parts: its structure (a tag per node, the
//! lengths of strings, numbers) and the text of its strings and keys, one
//! after another in a `String`. Text is sliced from that `String`, never
//! checked as UTF-8 again, and a mapping or a sequence records how much of
//! each part it takes, so stepping over one costs nothing.

use super::simulate::kept;
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

/// How much of the structure and of the text the items or entries of a
/// sequence or a mapping take, after its count: `LONG` (for both) when
/// either is too long to say, and they are stepped over one by one.
const SPAN: usize = 4;
const LONG: u16 = u16::MAX;

/// An encoding: structure and text.
#[derive(Debug, Default)]
struct Parts {
    structure: Vec<u8>,
    text: String,
}

/// Appends the encoding of `v` to `out`.
fn encode(v: &Value, out: &mut Parts) {
    let s = &mut out.structure;
    match v {
        Value::Null => s.push(NULL),
        Value::Bool(false) => s.push(FALSE),
        Value::Bool(true) => s.push(TRUE),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                s.push(UINT);
                varint(u, s);
            } else if let Some(i) = n.as_i64() {
                s.push(NEG_INT);
                s.extend_from_slice(&i.to_le_bytes());
            } else {
                s.push(FLOAT);
                s.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_bits().to_le_bytes());
            }
        }
        Value::String(t) => {
            s.push(STRING);
            text(t, out);
        }
        Value::Array(items) => {
            let span = open(ARRAY, items.len(), out);
            for item in items {
                encode(item, out);
            }
            close(span, out);
        }
        Value::Object(map) => {
            let span = open(OBJECT, map.len(), out);
            for (k, item) in map {
                text(k, out);
                encode(item, out);
            }
            close(span, out);
        }
    }
}

/// Starts a sequence or a mapping of `count` items; where its span goes.
fn open(tag: u8, count: usize, out: &mut Parts) -> (usize, usize) {
    let s = &mut out.structure;
    s.push(tag);
    varint(count as u64, s);
    s.extend_from_slice(&[0; SPAN]);
    (s.len(), out.text.len())
}

/// Writes the span of the sequence or mapping started at `start`.
fn close((start, text_start): (usize, usize), out: &mut Parts) {
    let len = |n: usize| u16::try_from(n).ok().filter(|&n| n != LONG);
    let span = match (
        len(out.structure.len() - start),
        len(out.text.len() - text_start),
    ) {
        (Some(s), Some(t)) => (s, t),
        _ => (LONG, LONG),
    };
    out.structure[start - SPAN..start - SPAN / 2].copy_from_slice(&span.0.to_le_bytes());
    out.structure[start - SPAN / 2..start].copy_from_slice(&span.1.to_le_bytes());
}

fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn text(t: &str, out: &mut Parts) {
    varint(t.len() as u64, &mut out.structure);
    out.text.push_str(t);
}

/// The value encoded in `structure` and `text` (`Null` for an encoding
/// [`encode`] did not write).
#[cfg(test)]
fn decode(structure: &[u8], text: &str) -> Value {
    Reader::new(structure, text).value().unwrap_or(Value::Null)
}

/// Where a value is: in the structure, and in the text.
#[derive(Clone, Copy)]
struct At {
    at: usize,
    text: usize,
}

struct Reader<'a> {
    structure: &'a [u8],
    text: &'a str,
    at: At,
}

impl<'a> Reader<'a> {
    fn new(structure: &'a [u8], text: &'a str) -> Reader<'a> {
        Reader {
            structure,
            text,
            at: At { at: 0, text: 0 },
        }
    }

    /// A reader of the same encoding at `at`.
    fn at(&self, at: At) -> Reader<'a> {
        Reader {
            structure: self.structure,
            text: self.text,
            at,
        }
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.structure.get(self.at.at)?;
        self.at.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.at.checked_add(n)?;
        let s = self.structure.get(self.at.at..end)?;
        self.at.at = end;
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

    fn two(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        let end = self.at.text.checked_add(n)?;
        let s = self.text.get(self.at.text..end)?;
        self.at.text = end;
        Some(s)
    }

    /// The count and the span of the sequence or mapping whose tag was
    /// read.
    fn head(&mut self) -> Option<(usize, u16, u16)> {
        Some((self.len()?, self.two()?, self.two()?))
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
            STRING => Value::String(self.str()?.to_string()),
            ARRAY => {
                let (n, _, _) = self.head()?;
                // Every item takes at least one byte: a corrupt count cannot
                // reserve more than the input could hold.
                let mut items = Vec::with_capacity(n.min(self.structure.len()));
                for _ in 0..n {
                    items.push(self.value()?);
                }
                Value::Array(items)
            }
            OBJECT => {
                let (n, _, _) = self.head()?;
                let mut map = Map::with_capacity(n.min(self.structure.len()));
                for _ in 0..n {
                    let k = self.str()?.to_string();
                    let v = self.value()?;
                    map.insert(k, v);
                }
                Value::Object(map)
            }
            _ => return None,
        })
    }

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
                self.str()?;
            }
            tag @ (ARRAY | OBJECT) => {
                let (n, structure, text) = self.head()?;
                if structure != LONG {
                    self.at.at = self.at.at.checked_add(usize::from(structure))?;
                    self.at.text = self.at.text.checked_add(usize::from(text))?;
                    return Some(());
                }
                for _ in 0..n {
                    if tag == OBJECT {
                        self.str()?;
                    }
                    self.skip()?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// The entries of the mapping at `at`: each key and where its value
    /// starts (`None` when no mapping is there).
    fn entries(&self, at: At) -> Option<Vec<(&'a str, At)>> {
        let mut r = self.at(at);
        if r.byte()? != OBJECT {
            return None;
        }
        let (n, _, _) = r.head()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let k = r.str()?;
            out.push((k, r.at));
            r.skip()?;
        }
        Some(out)
    }

    /// Where the items of the sequence at `at` start (`None` when no
    /// sequence is there).
    fn items(&self, at: At) -> Option<Vec<At>> {
        let mut r = self.at(at);
        if r.byte()? != ARRAY {
            return None;
        }
        let (n, _, _) = r.head()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            out.push(r.at);
            r.skip()?;
        }
        Some(out)
    }

    fn value_at(&self, at: At) -> Option<Value> {
        self.at(at).value()
    }

    /// `keys` of the mapping at `at`, in that order, as a mapping (empty
    /// when no mapping is there).
    fn pick(&self, at: Option<At>, keys: &[&str]) -> Option<Map<String, Value>> {
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
    fn pick_each(&self, at: Option<At>, keys: &[&str]) -> Option<Value> {
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
        let root = self.entries(At { at: 0, text: 0 }).unwrap_or_default();
        let at = |entries: &[(&str, At)], k: &str| {
            entries.iter().find(|(key, _)| *key == k).map(|&(_, v)| v)
        };
        let (spec, status) = (at(&root, "spec"), at(&root, "status"));
        let spec_entries = spec.and_then(|v| self.entries(v)).unwrap_or_default();
        let status_entries = status.and_then(|v| self.entries(v)).unwrap_or_default();
        let mut out = Map::new();
        out.insert(
            "metadata".into(),
            Value::Object(self.pick(at(&root, "metadata"), kept::METADATA)?),
        );
        let mut spec = self.pick(spec, kept::SPEC)?;
        spec.insert(
            "containers".into(),
            self.pick_each(at(&spec_entries, "containers"), kept::CONTAINER)?,
        );
        out.insert("spec".into(), Value::Object(spec));
        let mut status = self.pick(status, kept::STATUS)?;
        status.insert(
            "containerStatuses".into(),
            self.pick_each(
                at(&status_entries, "containerStatuses"),
                kept::CONTAINER_STATUS,
            )?,
        );
        out.insert("status".into(), Value::Object(status));
        Some(Value::Object(out))
    }
}

/// Pods encoded one after another in blocks of about [`BLOCK`] bytes (no
/// allocation per pod, and none copied as they grow).
#[derive(Debug, Default)]
pub struct CompactPods {
    blocks: Vec<Parts>,
    /// Where each pod ends: its block, and the end of its structure and
    /// text there.
    ends: Vec<(usize, usize, usize)>,
}

/// How much text a block holds (a pod longer than what is left makes it
/// grow), and how much is left when pods go to the next one.
const BLOCK: usize = 1 << 20;
const ROOM: usize = 1 << 14;

impl CompactPods {
    /// Encodes `pod` after the pods already held.
    pub fn push(&mut self, pod: &Value) {
        // A pod takes a few KiB, some five times more text than structure:
        // a block is all but full when either has less than that left.
        let full =
            |b: &Parts| b.text.len() + ROOM > BLOCK || b.structure.len() + ROOM / 4 > BLOCK / 4;
        if self.blocks.last().is_none_or(full) {
            self.blocks.push(Parts {
                structure: Vec::with_capacity(BLOCK / 4),
                text: String::with_capacity(BLOCK),
            });
        }
        let block = self.blocks.len() - 1;
        let parts = &mut self.blocks[block];
        encode(pod, parts);
        self.ends
            .push((block, parts.structure.len(), parts.text.len()));
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
            match self.ends.last().copied() {
                Some((block, structure, text)) => {
                    self.blocks.truncate(block + 1);
                    self.blocks[block].structure.truncate(structure);
                    self.blocks[block].text.truncate(text);
                }
                None => self.blocks.clear(),
            }
        }
    }
}

impl CompactPods {
    /// A reader of pod `i`.
    fn reader(&self, i: usize) -> Option<Reader<'_>> {
        let (block, end, text_end) = self.ends.get(i).copied()?;
        let (start, text_start) = match i.checked_sub(1).and_then(|j| self.ends.get(j)) {
            Some(&(before, s, t)) if before == block => (s, t),
            _ => (0, 0),
        };
        let parts = self.blocks.get(block)?;
        Some(Reader::new(
            parts.structure.get(start..end)?,
            parts.text.get(text_start..text_end)?,
        ))
    }
}

impl PodSource for CompactPods {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn pod(&self, i: usize) -> Cow<'_, Value> {
        Cow::Owned(
            self.reader(i)
                .and_then(|mut r| r.value())
                .unwrap_or(Value::Null),
        )
    }

    fn working_part(&self, i: usize) -> Option<Value> {
        self.reader(i)?.working()
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
        let mut parts = Parts::default();
        encode(&v, &mut parts);
        let back = decode(&parts.structure, &parts.text);
        assert_eq!(back, v);
        assert_eq!(back.to_string(), v.to_string());
        // 3.0 stays a float, 3 an integer: the planner may print either.
        assert!(back["a"][11].is_f64() && back["a"][5].is_u64() && back["a"][9].is_i64());
        let keys: Vec<&String> = back["m"].as_object().expect("map").keys().collect();
        assert_eq!(keys, ["b", "a"]);
    }

    /// Pods in several blocks read back, and truncate across blocks.
    #[test]
    fn pods_in_blocks_are_read_back_and_truncated() {
        let pod = |i: usize| {
            json!({"metadata": {"name": format!("p{i}"),
            "annotations": {"big": "x".repeat(BLOCK / 7 + i)}}})
        };
        let mut pods = CompactPods::default();
        for i in 0..30 {
            pods.push(&pod(i));
        }
        assert!(pods.blocks.len() >= 3, "{}", pods.blocks.len());
        for i in 0..30 {
            assert_eq!(*pods.pod(i), pod(i), "{i}");
        }
        for n in [20, 8, 7, 1, 0] {
            pods.truncate(n);
            assert_eq!(PodSource::len(&pods), n);
            for i in 0..n {
                assert_eq!(*pods.pod(i), pod(i), "{n} {i}");
            }
            pods.push(&pod(100));
            assert_eq!(*pods.pod(n), pod(100), "{n}");
            pods.truncate(n);
        }
        assert!(pods.blocks.is_empty());
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
            assert_eq!(decode(bad, ""), Value::Null, "{bad:?}");
        }
        // Text is sliced on the boundaries of its characters only.
        assert_eq!(decode(&[STRING, 1], "é"), Value::Null);
        assert_eq!(decode(&[STRING, 2], "é"), json!("é"));
    }

    /// Marks the span of every sequence and mapping of an encoding as too
    /// long to say.
    fn long_spans(structure: &mut [u8]) {
        fn walk(s: &mut [u8], at: &mut usize) {
            let varint = |s: &[u8], at: &mut usize| {
                let mut n = 0usize;
                let mut shift = 0;
                loop {
                    let b = s[*at];
                    *at += 1;
                    n |= usize::from(b & 0x7f) << shift;
                    shift += 7;
                    if b < 0x80 {
                        return n;
                    }
                }
            };
            let tag = s[*at];
            *at += 1;
            match tag {
                UINT => {
                    varint(s, at);
                }
                NEG_INT | FLOAT => *at += 8,
                STRING => {
                    varint(s, at);
                }
                ARRAY | OBJECT => {
                    let n = varint(s, at);
                    s[*at..*at + SPAN].fill(0xff);
                    *at += SPAN;
                    for _ in 0..n {
                        if tag == OBJECT {
                            varint(s, at);
                        }
                        walk(s, at);
                    }
                }
                _ => {}
            }
        }
        walk(structure, &mut 0);
    }

    /// A sequence or mapping too long for its span to be written is
    /// stepped over item by item: what is read is the same.
    #[test]
    fn long_spans_read_as_short_ones() {
        let pod = json!({"metadata": {"labels": {"a": "b"}, "name": "p", "uid": "u",
            "annotations": {"x": "y"}, "namespace": "n"},
            "spec": {"volumes": [{"name": "v", "emptyDir": {}}], "nodeName": "n1",
                "containers": [{"image": "i", "name": "c", "env": [{"name": "E"}]}, {"name": "d"}]},
            "status": {"containerStatuses": [{"restartCount": 2, "ready": true,
                "name": "c", "imageID": "x", "image": "i", "state": {"running": {}}}],
                "phase": "Running", "conditions": [{"type": "Ready"}], "hostIP": "h"}});
        let mut pods = CompactPods::default();
        pods.push(&pod);
        let want = pods.working_part(0).expect("working part");
        long_spans(&mut pods.blocks[0].structure);
        assert_eq!(*pods.pod(0), pod);
        let got = pods.working_part(0).expect("working part");
        assert_eq!(got.to_string(), want.to_string());
    }
}
