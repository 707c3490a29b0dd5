//! Kubernetes label selectors as a value with `matches`, following
//! OpenKruise's `pkg/util/selector.go:ValidatedLabelSelectorAsSelector`:
//! a nil selector matches nothing, `{}` matches everything, and label keys and
//! values are not validated (an invalid value simply never matches). Strict
//! validation (`metav1validation.ValidateLabelSelector`) lives in the linter.

use crate::path::{FieldError, JsonPath};
use crate::value::{opt_arr, opt_str, opt_string_list, opt_string_map};
use serde_json::{Map, Value};
use std::fmt;

/// The operator of one requirement of a label selector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `key=value` (from `matchLabels`).
    Equals,
    /// The label has one of the values.
    In,
    /// The label is absent or has none of the values.
    NotIn,
    /// The label is present, with any value.
    Exists,
    /// The label is absent.
    DoesNotExist,
}

/// One condition on one label key; a selector is the AND of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// How the label is compared.
    pub op: Operator,
    /// The values `op` compares with (empty for `Exists`/`DoesNotExist`).
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether an object with `labels` meets the requirement.
    pub fn matches(&self, labels: &Map<String, Value>) -> bool {
        let got = labels.get(&self.key).and_then(Value::as_str);
        match self.op {
            Operator::Equals | Operator::In => {
                got.is_some_and(|v| self.values.iter().any(|w| w == v))
            }
            Operator::NotIn => got.is_none_or(|v| !self.values.iter().any(|w| w == v)),
            Operator::Exists => labels.contains_key(&self.key),
            Operator::DoesNotExist => !labels.contains_key(&self.key),
        }
    }
}

/// A parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// `nil`: selects nothing.
    Nothing,
    /// `{}`: selects everything.
    Everything,
    /// The AND of these requirements (never empty).
    Requirements(Vec<Requirement>),
}

/// Why a selector could not be turned into requirements (Kruise's wording).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidOperator(pub String);

impl fmt::Display for InvalidOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a valid pod selector operator", self.0)
    }
}

/// A selector decoded from a document, before operator validation: what
/// `metav1.LabelSelector` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// `matchLabels`, in document order.
    pub match_labels: Vec<(String, String)>,
    /// `matchExpressions`, in document order.
    pub match_expressions: Vec<Expression>,
}

/// One `matchExpressions` item as written, the operator not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expression {
    /// The label key.
    pub key: String,
    /// The operator as written (`In`, `NotIn`, `Exists`, `DoesNotExist`).
    pub operator: String,
    /// The values the operator compares with.
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Decodes a `metav1.LabelSelector` object; `path` is where `v` sits, for
    /// type errors. Null decodes as `None` (a nil pointer).
    pub fn decode(v: Option<&Value>, path: &JsonPath) -> Result<Option<Self>, FieldError> {
        let obj = match v {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(o)) => o,
            Some(other) => {
                return Err(FieldError::new(
                    path.clone(),
                    format!(
                        "expected a label selector object, got {}",
                        crate::value::type_name(other)
                    ),
                ))
            }
        };
        let mut sel = LabelSelector::default();
        if let Some(ml) = opt_string_map(obj, "matchLabels", path)? {
            // Go holds matchLabels in a map: iterate in key order so that
            // messages and requirement order are deterministic.
            let mut ml: Vec<(String, String)> = ml
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            ml.sort();
            sel.match_labels = ml;
        }
        if let Some(exprs) = opt_arr(obj, "matchExpressions", path)? {
            let here = path.clone().key("matchExpressions");
            for (i, e) in exprs.iter().enumerate() {
                let ep = here.clone().index(i);
                let eo = e.as_object().ok_or_else(|| {
                    FieldError::new(ep.clone(), "expected a label selector requirement object")
                })?;
                sel.match_expressions.push(Expression {
                    key: opt_str(eo, "key", &ep)?.unwrap_or_default().to_string(),
                    operator: opt_str(eo, "operator", &ep)?
                        .unwrap_or_default()
                        .to_string(),
                    values: opt_string_list(eo, "values", &ep)?
                        .unwrap_or_default()
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                });
            }
        }
        Ok(Some(sel))
    }

    /// `ValidatedLabelSelectorAsSelector` for a present selector.
    pub fn to_selector(&self) -> Result<Selector, InvalidOperator> {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return Ok(Selector::Everything);
        }
        let mut reqs = Vec::with_capacity(self.match_labels.len() + self.match_expressions.len());
        for (k, v) in &self.match_labels {
            reqs.push(Requirement {
                key: k.clone(),
                op: Operator::Equals,
                values: vec![v.clone()],
            });
        }
        for e in &self.match_expressions {
            let op = match e.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => return Err(InvalidOperator(other.to_string())),
            };
            reqs.push(Requirement {
                key: e.key.clone(),
                op,
                values: e.values.clone(),
            });
        }
        Ok(Selector::Requirements(reqs))
    }

    /// Whether the selector has no condition (`{}`: selects everything).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

impl Selector {
    /// Converts an optional decoded selector: `None` (nil) selects nothing.
    pub fn from_label_selector(sel: Option<&LabelSelector>) -> Result<Self, InvalidOperator> {
        match sel {
            None => Ok(Selector::Nothing),
            Some(s) => s.to_selector(),
        }
    }

    /// Whether a label set (`metadata.labels`, possibly absent) is selected.
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let labels = labels.unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        match self {
            Selector::Nothing => false,
            Selector::Everything => true,
            Selector::Requirements(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }
}

impl fmt::Display for Selector {
    /// The `kubectl get -l` form, e.g. `app=web,tier in (a,b),!canary`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Nothing => f.write_str("<none>"),
            Selector::Everything => f.write_str("<all>"),
            Selector::Requirements(reqs) => {
                for (i, r) in reqs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    match r.op {
                        Operator::Equals => write!(f, "{}={}", r.key, r.values.join(""))?,
                        Operator::In => write!(f, "{} in ({})", r.key, r.values.join(","))?,
                        Operator::NotIn => write!(f, "{} notin ({})", r.key, r.values.join(","))?,
                        Operator::Exists => write!(f, "{}", r.key)?,
                        Operator::DoesNotExist => write!(f, "!{}", r.key)?,
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(v: Value) -> Selector {
        let ls = LabelSelector::decode(Some(&v), &JsonPath::root())
            .expect("decodes")
            .expect("present");
        ls.to_selector().expect("valid")
    }

    fn labels(v: Value) -> Map<String, Value> {
        v.as_object().expect("object").clone()
    }

    #[test]
    fn nil_matches_nothing_and_empty_everything() {
        assert!(!Selector::Nothing.matches(None));
        assert!(sel(json!({})).matches(None));
    }

    #[test]
    fn operators() {
        let s = sel(json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "team", "operator": "Exists"},
                {"key": "canary", "operator": "DoesNotExist"}
            ]
        }));
        let ok = labels(json!({"app": "web", "tier": "a", "team": "x"}));
        assert!(s.matches(Some(&ok)));
        let mut bad = ok.clone();
        bad.insert("env".into(), json!("prod"));
        assert!(!s.matches(Some(&bad)));
        let mut bad = ok.clone();
        bad.insert("canary".into(), json!("true"));
        assert!(!s.matches(Some(&bad)));
        let mut bad = ok;
        bad.insert("tier".into(), json!("c"));
        assert!(!s.matches(Some(&bad)));
        assert_eq!(
            s.to_string(),
            "app=web,tier in (a,b),env notin (prod),team,!canary"
        );
    }

    #[test]
    fn invalid_operator_is_an_error() {
        let ls = LabelSelector::decode(
            Some(&json!({"matchExpressions": [{"key": "a", "operator": "Gt"}]})),
            &JsonPath::root(),
        )
        .expect("decodes")
        .expect("present");
        assert_eq!(
            ls.to_selector().expect_err("Gt").to_string(),
            "\"Gt\" is not a valid pod selector operator"
        );
    }
}
