//! The SidecarSet's own name and metadata, as the webhook and the API
//! server check them.

use super::super::model::q;
use super::super::pod_validation::{dns1123_subdomain, label_value, qualified_name};
use super::super::rule::{Rule, RuleId};
use super::super::Severity::Error;
use super::shared::{annotations, WebhookOut, WEBHOOK};
use crate::path::JsonPath;
use crate::value::str_at;
use crate::value::At;
use serde_json::Value;

pub(crate) const SSV_001: Rule = Rule {
    id: RuleId::Ssv001,
    severity: Error,
    title: "Invalid SidecarSet name",
    description: WEBHOOK,
    help: "Use only alphanumeric characters and '-' in metadata.name.",
};

pub(crate) const SSV_002: Rule = Rule {
    id: RuleId::Ssv002,
    severity: Error,
    title: "SidecarSet name too long",
    description: WEBHOOK,
    help: "Shorten metadata.name to at most 63 characters.",
};

pub(crate) const SSV_003: Rule = Rule {
    id: RuleId::Ssv003,
    severity: Error,
    title: "Name is not a DNS-1123 subdomain",
    description:
        "The API server requires lowercase alphanumerics and '-', starting and ending alphanumeric.",
    help: "Use a lowercase name such as 'log-agent'.",
};

pub(crate) const SSV_004: Rule = Rule {
    id: RuleId::Ssv004,
    severity: Error,
    title: "Invalid metadata",
    description: "SidecarSets are cluster-scoped and their labels/annotations must be valid Kubernetes metadata.",
    help: "Remove metadata.namespace; use qualified-name keys and valid label values.",
};

/// SSV-001..004: the name (webhook regex, length, then the API server's
/// DNS-1123 subdomain rule), no namespace, valid labels and annotations.
pub(super) fn validate(o: &mut WebhookOut<'_>, raw: &Value, stored: &Value) {
    let name = str_at(stored, "/metadata/name");
    let np = JsonPath::keys(&["metadata", "name"]);
    if name.is_empty() {
        o.push(
            &SSV_001,
            np,
            "metadata.name: Required value: name or generateName is required".into(),
        );
        return;
    }
    let re_ok = name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if !re_ok {
        o.push(
            &SSV_001,
            np.clone(),
            format!("metadata.name: Invalid value: {}: sidecarset name must consist of alphanumeric characters or '-' (e.g. 'example-com', regex used for validation is '^[a-zA-Z0-9\\-]+$')", q(name)),
        );
    }
    if name.len() > 63 {
        o.push(
            &SSV_002,
            np.clone(),
            format!(
                "metadata.name: Invalid value: {}: must be no more than 63 characters",
                q(name)
            ),
        );
    }
    if re_ok && name.len() <= 63 {
        for m in dns1123_subdomain(name) {
            o.push(
                &SSV_003,
                np.clone(),
                format!("metadata.name: Invalid value: {}: {m}", q(name)),
            );
        }
    }
    if !str_at(raw, "/metadata/namespace").is_empty() {
        o.push(
            &SSV_004,
            JsonPath::keys(&["metadata", "namespace"]),
            "metadata.namespace: Forbidden: not allowed on this type".into(),
        );
    }
    if let Some(labels) = stored.at("/metadata/labels").and_then(Value::as_object) {
        for (k, v) in labels {
            let p = JsonPath::keys(&["metadata", "labels"]).key(k.as_str());
            for m in qualified_name(k) {
                o.push(
                    &SSV_004,
                    p.clone(),
                    format!("metadata.labels: Invalid value: {}: {m}", q(k)),
                );
            }
            for m in label_value(v.as_str().unwrap_or_default()) {
                o.push(
                    &SSV_004,
                    p.clone(),
                    format!(
                        "metadata.labels: Invalid value: {}: {m}",
                        q(v.as_str().unwrap_or_default())
                    ),
                );
            }
        }
    }
    annotations(
        o,
        stored
            .at("/metadata/annotations")
            .and_then(Value::as_object),
        &JsonPath::keys(&["metadata", "annotations"]),
        &SSV_004,
    );
}
