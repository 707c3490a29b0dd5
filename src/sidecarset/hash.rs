//! The two SidecarSet hash annotations
//! (`pkg/control/sidecarcontrol/hash.go:SidecarSetHashV1beta1`,
//! `SidecarSetHashWithoutImageV1beta1`, `encodeSidecarSetV1beta1`).

use crate::gojson;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `k8s.io/apimachinery pkg/util/rand.SafeEncodeString`.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.chars()
        .map(|c| char::from(ALPHANUMS[(c as usize) % ALPHANUMS.len()]))
        .collect()
}

/// `SafeEncode(hex(SHA-256(payload)))`.
pub(crate) fn hash_payload(payload: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(payload.as_bytes());
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 15)]));
    }
    safe_encode(&hex)
}

fn is_native_sidecar(c: &Value) -> bool {
    c.get("restartPolicy").and_then(Value::as_str) == Some("Always")
}

/// The hashed JSON: `containers` (null when nil) and, when some init
/// container is a native sidecar, the whole `initContainers` list. Both lists
/// must already be in Go marshal form (round-tripped, defaulted).
pub(crate) fn payload(containers: &Value, init_containers: &Value, without_image: bool) -> String {
    let native = init_containers
        .as_array()
        .is_some_and(|a| a.iter().any(is_native_sidecar));
    let p = Payload {
        containers: List(containers, without_image),
        init_containers: native.then_some(List(init_containers, without_image)),
    };
    // serde_json never fails on these (all keys are strings).
    gojson::go_escape(serde_json::to_string(&p).unwrap_or_default())
}

/// `{"containers": ..., "initContainers": ...}` written straight from the
/// lists, without copying them.
struct Payload<'a> {
    containers: List<'a>,
    init_containers: Option<List<'a>>,
}

impl Serialize for Payload<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("containers", &self.containers)?;
        if let Some(init) = &self.init_containers {
            m.serialize_entry("initContainers", init)?;
        }
        m.end()
    }
}

/// A container list, its items without `image` when `.1`.
struct List<'a>(&'a Value, bool);

impl Serialize for List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Array(items) if self.1 => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for c in items {
                    seq.serialize_element(&NoImage(c))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// A container without its `image` (the other keys in their order).
struct NoImage<'a>(&'a Value);

impl Serialize for NoImage<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(c) => {
                let mut m = s.serialize_map(None)?;
                for (k, v) in c.iter().filter(|(k, _)| *k != "image") {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kruise_unit_test_vectors() {
        let c = json!([{"name":"container1","image":"test-image","resources":{},"upgradeStrategy":{},"shareVolumePolicy":{}}]);
        let plain_init = json!([{"name":"container1","image":"test-image","resources":{},"upgradeStrategy":{},"shareVolumePolicy":{}}]);
        let native_init = json!([{"name":"container1","image":"test-image","resources":{},"restartPolicy":"Always","upgradeStrategy":{},"shareVolumePolicy":{}}]);
        let h = |c: &Value, i: &Value, wi: bool| hash_payload(&payload(c, i, wi));
        assert_eq!(
            h(&c, &Value::Null, false),
            "w26c4x8fz245642fdv499b464248f974xddx4x55z5dw55bc6x66464fxz77dc78"
        );
        assert_eq!(
            h(&c, &plain_init, false),
            "w26c4x8fz245642fdv499b464248f974xddx4x55z5dw55bc6x66464fxz77dc78"
        );
        assert_eq!(
            h(&c, &native_init, false),
            "4xwx4d4844vd4v9x79wb4xbxf4xb29475cc4446v8cz2c2f2f5c5bw448vd42z8w"
        );
        assert_eq!(
            h(&c, &Value::Null, true),
            "8wzddb4dvv9c6x8zdc77z4z75987424f457dfv6724ddw6zbdx467wz5x24fc759"
        );
        assert_eq!(
            h(&c, &native_init, true),
            "5725fw8bwbx249bw57v5892c847dzf48bww9zb7c86xb95264fdz26654847b2c8"
        );
    }

    #[test]
    fn safe_encode_table() {
        assert_eq!(safe_encode("0123456789abcdef"), "456789bcdfvwxz24");
    }
}
