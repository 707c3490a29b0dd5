//! The items of a live List read by serde_json ([`super::fast`]) with only
//! what a plan keeps of a Pod built.
//!
//! A Pod of `kubectl get pods -o json` is some 5 KiB of text, of which the
//! planner keeps a few hundred bytes ([`crate::plan::pods::slim`]) and the
//! API server's decode checks ([`crate::decode::check`]) read a few fields
//! more. Built whole as a `Value`, every string of it is allocated and
//! every mapping hashed, only to be dropped a moment later. Here, once an
//! item's `apiVersion` and `kind` have said it is a Pod, each of its
//! fields is read in the [`Shape`] of what those two read of it: the rest
//! is parsed and checked as [`super::fast`] checks everything (no float, no
//! character beyond U+FFFF, no repeated key), but not kept.
//!
//! The pod built is not the pod read, but `slim` of it and `decode::check`
//! of it are those of the whole pod: every field either reads is kept as
//! it is, and every field only the checks read is kept with whatever the
//! checks can tell of it (its type, or, for an annotation, the value when
//! it is not a string). Keep the shapes in step with those two.

use super::fast::{Exact, ExactVisitor};
use crate::document::Class;
use crate::workload::WorkloadKind;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// What is kept of a value.
#[derive(Clone, Copy)]
enum Shape {
    /// All of it.
    Whole,
    /// Nothing.
    Skip,
    /// Of a mapping, the keys listed, in these shapes; anything else whole.
    Fields(&'static [(&'static str, Shape)]),
    /// Of a sequence, each item in this shape; anything else whole.
    Each(&'static Shape),
    /// Of a mapping or a sequence, an empty one; anything else whole.
    Type,
    /// Of a mapping of annotations, those of the controller
    /// ([`crate::plan::pods::controller_annotation`]) and those that are
    /// not strings (a decode error); anything else whole.
    Annotations,
    /// Of an annotation, nothing when it is a string; anything else whole.
    NotString,
}

use Shape::{Each, Fields, Type, Whole};

/// The fields of a Pod past its `apiVersion` and `kind`.
const POD: &[(&str, Shape)] = &[
    ("apiVersion", Whole),
    ("kind", Whole),
    ("metadata", Fields(METADATA)),
    ("spec", Fields(SPEC)),
    ("status", Fields(STATUS)),
];

/// `slim` keeps all but `generateName`, which the checks read.
const METADATA: &[(&str, Shape)] = &[
    ("name", Whole),
    ("generateName", Whole),
    ("namespace", Whole),
    ("labels", Whole),
    ("annotations", Shape::Annotations),
    ("creationTimestamp", Whole),
    ("deletionTimestamp", Whole),
];

/// The checks read the type of each volume and of each `env` and
/// `volumeMounts` entry of an init container; `slim` keeps the names of
/// the init containers.
const SPEC: &[(&str, Shape)] = &[
    ("nodeName", Whole),
    ("containers", Whole),
    ("initContainers", Each(&Fields(INIT_CONTAINER))),
    ("volumes", Each(&Type)),
];

const INIT_CONTAINER: &[(&str, Shape)] = &[
    ("name", Whole),
    ("env", Each(&Type)),
    ("volumeMounts", Each(&Type)),
];

const STATUS: &[(&str, Shape)] = &[
    ("phase", Whole),
    ("conditions", Each(&Fields(CONDITION))),
    ("containerStatuses", Each(&Fields(CONTAINER_STATUS))),
];

const CONDITION: &[(&str, Shape)] = &[
    ("type", Whole),
    ("status", Whole),
    ("lastTransitionTime", Whole),
];

const CONTAINER_STATUS: &[(&str, Shape)] = &[
    ("name", Whole),
    ("image", Whole),
    ("imageID", Whole),
    ("ready", Whole),
    ("restartCount", Whole),
];

/// Above this many keys, a mapping's keys are told apart by a hash set.
const FEW_KEYS: usize = 16;

/// The keys of the mappings being read (outermost first), to find a
/// repeated one without building the mapping.
#[derive(Default)]
pub(super) struct Keys {
    bytes: Vec<u8>,
    /// Where each key ends in `bytes`.
    ends: Vec<usize>,
}

/// The keys of one mapping in [`Keys`].
struct Frame {
    first: usize,
    many: Option<HashSet<Box<str>>>,
}

impl Keys {
    fn open(&self) -> Frame {
        Frame {
            first: self.ends.len(),
            many: None,
        }
    }

    fn key(&self, i: usize) -> &[u8] {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        &self.bytes[start..self.ends[i]]
    }

    /// The key added last.
    fn last(&self) -> &str {
        // Only whole `&str`s are added.
        std::str::from_utf8(self.key(self.ends.len() - 1)).unwrap_or("")
    }

    /// Adds `key` to the mapping of `frame`; `false` when it has it already.
    fn add(&mut self, frame: &mut Frame, key: &str) -> bool {
        match &mut frame.many {
            Some(set) => {
                if !set.insert(key.into()) {
                    return false;
                }
            }
            None => {
                let count = self.ends.len() - frame.first;
                if (frame.first..self.ends.len()).any(|i| self.key(i) == key.as_bytes()) {
                    return false;
                }
                if count >= FEW_KEYS {
                    let mut set: HashSet<Box<str>> = (frame.first..self.ends.len())
                        .map(|i| String::from_utf8_lossy(self.key(i)).into())
                        .collect();
                    set.insert(key.into());
                    frame.many = Some(set);
                }
            }
        }
        self.bytes.extend_from_slice(key.as_bytes());
        self.ends.push(self.bytes.len());
        true
    }

    fn close(&mut self, frame: Frame) {
        self.ends.truncate(frame.first);
        self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
    }
}

/// A character beyond U+FFFF has a four-byte UTF-8 form.
fn checked<E: serde::de::Error>(s: &str) -> Result<(), E> {
    if s.bytes().any(|b| b >= 0xF0) {
        return Err(E::custom("a character beyond U+FFFF"));
    }
    Ok(())
}

/// One key of the mapping of `frame`, added to `keys`.
struct KeySeed<'k> {
    keys: &'k mut Keys,
    frame: &'k mut Frame,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<(), E> {
        checked(s)?;
        if !self.keys.add(self.frame, s) {
            return Err(E::custom("a repeated key"));
        }
        Ok(())
    }
}

/// An item of a List: a Pod (once its `apiVersion` and `kind` say so) in
/// the shape a plan reads, anything else whole.
pub(super) struct Item<'k> {
    pub keys: &'k mut Keys,
}

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Whether `apiVersion` and `kind`, read so far, make a Pod.
fn is_pod(out: &Map<String, Value>) -> bool {
    let text = |k: &str| out.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match (text("apiVersion"), text("kind")) {
        (Some(a), Some(k)) => Class::of(a, k) == Class::Workload(WorkloadKind::Pod),
        _ => false,
    }
}

impl<'de> Visitor<'de> for Item<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        ExactVisitor.visit_bool(b)
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Value, E> {
        ExactVisitor.visit_i64(i)
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Value, E> {
        ExactVisitor.visit_u64(u)
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        ExactVisitor.visit_f64(f)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        ExactVisitor.visit_str(s)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        ExactVisitor.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        ExactVisitor.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let keys = self.keys;
        let mut frame = keys.open();
        let mut out = Map::new();
        let mut pod = false;
        while map
            .next_key_seed(KeySeed {
                keys: &mut *keys,
                frame: &mut frame,
            })?
            .is_some()
        {
            let name = keys.last();
            let shape = if pod {
                POD.iter()
                    .find(|(k, _)| *k == name)
                    .map_or(Shape::Skip, |&(_, s)| s)
            } else {
                Whole
            };
            let name = name.to_string();
            let typed = matches!(name.as_str(), "apiVersion" | "kind");
            if let Some(v) = map.next_value_seed(Shaped {
                shape,
                keys: &mut *keys,
            })? {
                out.insert(name, v);
            }
            if typed && !pod {
                pod = is_pod(&out);
            }
        }
        keys.close(frame);
        Ok(Value::Object(out))
    }
}

/// A value in `shape`: `None` when nothing of it is kept.
struct Shaped<'k> {
    shape: Shape,
    keys: &'k mut Keys,
}

impl<'de> DeserializeSeed<'de> for Shaped<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        match self.shape {
            Whole => Exact.deserialize(d).map(Some),
            _ => d.deserialize_any(self),
        }
    }
}

impl Shaped<'_> {
    /// A scalar, kept unless nothing is.
    fn scalar<E>(&self, v: impl FnOnce() -> Result<Value, E>) -> Result<Option<Value>, E> {
        match self.shape {
            Shape::Skip => Ok(None),
            _ => v().map(Some),
        }
    }
}

impl<'de> Visitor<'de> for Shaped<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        self.scalar(|| ExactVisitor.visit_bool(b))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Option<Value>, E> {
        self.scalar(|| ExactVisitor.visit_i64(i))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Option<Value>, E> {
        self.scalar(|| ExactVisitor.visit_u64(u))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Option<Value>, E> {
        ExactVisitor.visit_f64(f).map(Some)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        match self.shape {
            Shape::Skip | Shape::NotString => checked(s).map(|()| None),
            _ => ExactVisitor.visit_str(s).map(Some),
        }
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        self.scalar(|| ExactVisitor.visit_unit())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let item = match self.shape {
            Each(item) => *item,
            Shape::Skip | Type => Shape::Skip,
            _ => return ExactVisitor.visit_seq(seq).map(Some),
        };
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Shaped {
            shape: item,
            keys: &mut *self.keys,
        })? {
            items.extend(v);
        }
        Ok(match self.shape {
            Shape::Skip => None,
            _ => Some(Value::Array(items)),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let shape = self.shape;
        if !matches!(shape, Fields(_) | Shape::Annotations | Shape::Skip | Type) {
            return ExactVisitor.visit_map(map).map(Some);
        }
        let keys = self.keys;
        let mut frame = keys.open();
        let mut out = Map::new();
        while map
            .next_key_seed(KeySeed {
                keys: &mut *keys,
                frame: &mut frame,
            })?
            .is_some()
        {
            let name = keys.last();
            // The key of what is kept: a field's, or the annotation's
            // (`None`), read once its value says it is kept.
            let (kept, shape) = match shape {
                Fields(fields) => match fields.iter().find(|(k, _)| *k == name) {
                    Some(&(k, s)) => (Some(Some(k)), s),
                    None => (None, Shape::Skip),
                },
                Shape::Annotations if crate::plan::pods::controller_annotation(name) => {
                    (Some(None), Whole)
                }
                Shape::Annotations => (Some(None), Shape::NotString),
                _ => (None, Shape::Skip),
            };
            let v = map.next_value_seed(Shaped {
                shape,
                keys: &mut *keys,
            })?;
            if let (Some(k), Some(v)) = (kept, v) {
                // The value's own keys are gone: the last is this one.
                let k = k.map_or_else(|| keys.last().to_string(), str::to_string);
                out.insert(k, v);
            }
        }
        keys.close(frame);
        Ok(match shape {
            Shape::Skip => None,
            _ => Some(Value::Object(out)),
        })
    }
}
