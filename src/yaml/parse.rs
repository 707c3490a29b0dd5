//! One YAML document into a JSON value plus the position of every node.

use super::resolve::resolve_plain;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Where a node starts (1-based line and column) and where its children are.
#[derive(Clone, Debug, Default)]
pub struct PosNode {
    pub line: usize,
    pub column: usize,
    pub children: PosChildren,
}

#[derive(Clone, Debug, Default)]
pub enum PosChildren {
    #[default]
    Leaf,
    Seq(Vec<PosNode>),
    /// Entries in value order; keys are unique. A Vec, not a map: it is
    /// built for every mapping of every document but only searched when an
    /// error or finding needs a line.
    Map(Vec<(String, PosNode)>),
}

/// A syntax or typing error, 1-based position within the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

const MAX_DEPTH: usize = 512;

struct Builder<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, (Value, PosNode)>,
    /// Lines (1-based, inclusive) that scalars spanning several lines
    /// cover: a `#` there is content, not a comment.
    scalar_lines: Vec<(usize, usize)>,
}

fn pos(span: &Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

fn err_at(span: &Span, message: impl Into<String>) -> YamlError {
    let (line, column) = pos(span);
    YamlError {
        line,
        column,
        message: message.into(),
    }
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.events.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(YamlError {
                line: e.marker().line(),
                column: e.marker().col() + 1,
                message: e.info().to_string(),
            }),
            None => Err(YamlError {
                line: 1,
                column: 1,
                message: "unexpected end of the YAML stream".into(),
            }),
        }
    }

    /// Builds the node that starts with `ev`.
    fn node(
        &mut self,
        ev: Event<'a>,
        span: Span,
        depth: usize,
    ) -> Result<(Value, PosNode), YamlError> {
        if depth > MAX_DEPTH {
            return Err(err_at(&span, "the document is nested too deeply"));
        }
        let (line, column) = pos(&span);
        let leaf = |v: Value| {
            (
                v,
                PosNode {
                    line,
                    column,
                    children: PosChildren::Leaf,
                },
            )
        };
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                if span.end.line() > span.start.line() {
                    let end = if span.end.col() == 0 {
                        span.end.line() - 1
                    } else {
                        span.end.line()
                    };
                    self.scalar_lines.push((span.start.line(), end));
                }
                let value = scalar(&text, style, tag.as_deref()).map_err(|m| err_at(&span, m))?;
                let out = leaf(value);
                if anchor > 0 {
                    self.anchors.insert(anchor, out.clone());
                }
                Ok(out)
            }
            Event::Alias(id) => self
                .anchors
                .get(&id)
                .cloned()
                .ok_or_else(|| err_at(&span, "unknown anchor")),
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                let mut positions = Vec::new();
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    let (v, p) = self.node(ev, sp, depth + 1)?;
                    items.push(v);
                    positions.push(p);
                }
                let out = (
                    Value::Array(items),
                    PosNode {
                        line,
                        column,
                        children: PosChildren::Seq(positions),
                    },
                );
                if anchor > 0 {
                    self.anchors.insert(anchor, out.clone());
                }
                Ok(out)
            }
            Event::MappingStart(anchor, _) => {
                let mut map = Map::new();
                let mut positions: Vec<(String, PosNode)> = Vec::new();
                let mut merged: Vec<(Value, PosNode)> = Vec::new();
                loop {
                    let (kev, ksp) = self.next()?;
                    if matches!(kev, Event::MappingEnd) {
                        break;
                    }
                    let is_merge =
                        matches!(&kev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let (kv, _) = self.node(kev, ksp, depth + 1)?;
                    let (vev, vsp) = self.next()?;
                    let (v, p) = self.node(vev, vsp, depth + 1)?;
                    if is_merge {
                        merged.push((v, p));
                        continue;
                    }
                    let key = key_string(&kv)
                        .ok_or_else(|| err_at(&ksp, "a mapping key must be a scalar"))?;
                    if map.contains_key(&key) {
                        let prev = positions
                            .iter()
                            .find(|(k, _)| *k == key)
                            .map_or(0, |(_, p)| p.line);
                        return Err(err_at(
                            &ksp,
                            format!("mapping key {key:?} already defined at line {prev}"),
                        ));
                    }
                    let (kl, kc) = pos(&ksp);
                    positions.push((
                        key.clone(),
                        PosNode {
                            line: kl,
                            column: kc,
                            children: p.children,
                        },
                    ));
                    map.insert(key, v);
                }
                // `<<` merge keys: entries the mapping does not define itself.
                for (v, p) in merged {
                    let sources: Vec<(Value, PosNode)> = match (v, p.children) {
                        (Value::Array(items), PosChildren::Seq(ps)) => {
                            items.into_iter().zip(ps).collect()
                        }
                        (v, children) => vec![(
                            v,
                            PosNode {
                                line: p.line,
                                column: p.column,
                                children,
                            },
                        )],
                    };
                    for (src, sp) in sources {
                        let Value::Object(m) = src else {
                            return Err(YamlError {
                                line: sp.line,
                                column: sp.column,
                                message: "a merge key needs a mapping".into(),
                            });
                        };
                        for (k, v) in m {
                            if !map.contains_key(&k) {
                                positions.push((
                                    k.clone(),
                                    PosNode {
                                        line: sp.line,
                                        column: sp.column,
                                        children: PosChildren::Leaf,
                                    },
                                ));
                                map.insert(k, v);
                            }
                        }
                    }
                }
                let out = (
                    Value::Object(map),
                    PosNode {
                        line,
                        column,
                        children: PosChildren::Map(positions),
                    },
                );
                if anchor > 0 {
                    self.anchors.insert(anchor, out.clone());
                }
                Ok(out)
            }
            _ => Err(err_at(&span, "unexpected YAML event")),
        }
    }
}

/// sigs.k8s.io/yaml turns non-string keys into their text.
fn key_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> Result<Value, String> {
    if let Some(tag) = tag {
        let core = tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:";
        if core {
            return match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => Ok(Value::String(text.to_string())),
                "null" => Ok(Value::Null),
                "bool" | "int" | "float" => match resolve_plain(text)? {
                    Value::String(_) => Err(format!("cannot decode {text:?} as !!{}", tag.suffix)),
                    v => Ok(v),
                },
                _ => Ok(Value::String(text.to_string())),
            };
        }
    }
    match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// Parses one document (the whole of `text`). `None` when it is empty.
pub fn parse_document(text: &str) -> Result<Option<(Value, PosNode)>, YamlError> {
    Ok(parse_document_lines(text)?.map(|(v, p, _)| (v, p)))
}

/// [`parse_document`], plus the line ranges multi-line scalars cover.
pub type ParsedLines = (Value, PosNode, Vec<(usize, usize)>);

pub fn parse_document_lines(text: &str) -> Result<Option<ParsedLines>, YamlError> {
    let mut b = Builder {
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        scalar_lines: Vec::new(),
    };
    let mut result = None;
    loop {
        let (ev, span) = b.next()?;
        match ev {
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            ev => {
                if result.is_some() {
                    return Err(err_at(
                        &span,
                        "more than one document where one was expected",
                    ));
                }
                result = Some(b.node(ev, span, 0)?);
            }
        }
    }
    Ok(result.map(|(v, p)| (v, p, b.scalar_lines)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_positions() {
        let (v, p) = parse_document("a: 1\nb:\n  - x\n  - {c: yes}\n")
            .expect("parses")
            .expect("doc");
        assert_eq!(v, json!({"a": 1, "b": ["x", {"c": true}]}));
        let PosChildren::Map(m) = &p.children else {
            panic!("map")
        };
        let b = &m.iter().find(|(k, _)| k == "b").expect("b").1;
        assert_eq!((b.line, b.column), (2, 1));
        let PosChildren::Seq(items) = &b.children else {
            panic!("seq")
        };
        assert_eq!((items[1].line, items[1].column), (4, 5));
    }

    #[test]
    fn anchors_merge_and_duplicates() {
        let (v, _) = parse_document("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n")
            .expect("ok")
            .expect("doc");
        assert_eq!(v["d"], json!({"z": 3, "x": 1}));
        let e = parse_document("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(e.line, 2);
        assert!(parse_document("a: [1, 2\n").is_err());
        assert!(parse_document("# only a comment\n").expect("ok").is_none());
    }

    #[test]
    fn never_panics_on_mutations() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a # c\n  labels: {app: 'x'}\nspec:\n  containers:\n  - name: \"c\"\n    args: [a, b]\n    command: |\n      run\n";
        for cut in 0..base.len() {
            let _ = parse_document(&base[..cut]);
            let mut s = base.to_string();
            s.insert(
                cut,
                ['{', ':', '-', '\'', '"', '&', '*', '\t', '['][cut % 9],
            );
            let _ = parse_document(&s);
        }
    }
}
