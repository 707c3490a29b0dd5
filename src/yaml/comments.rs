//! Comments of a document the tool re-emits, attached to the nodes they
//! annotate so that the emitter can put them back.
//!
//! A full-line comment belongs to the next node in the document (the
//! outermost one when several start on that line); a comment after a value
//! on the same line belongs to the last node that starts on that line.
//! Sequence items that are objects with a unique `name` are matched by name,
//! so a comment on a container stays on it when a sidecar is inserted
//! before it. A `#` inside a multi-line scalar is content, and a comment
//! whose place cannot be told for sure is dropped rather than misplaced.

use super::parse::{PosChildren, PosNode};
use serde_json::Value;
use std::collections::HashMap;

/// Comments by node path (see [`Path`]).
#[derive(Debug, Default)]
pub struct Comments {
    before: HashMap<String, Vec<String>>,
    trailing: HashMap<String, String>,
    /// Comments after the last node.
    pub end: Vec<String>,
}

impl Comments {
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.trailing.is_empty() && self.end.is_empty()
    }

    pub fn before(&self, path: &Path) -> &[String] {
        self.before.get(&path.0).map_or(&[], Vec::as_slice)
    }

    pub fn trailing(&self, path: &Path) -> Option<&str> {
        self.trailing.get(&path.0).map(String::as_str)
    }
}

/// A node's path as one string: segments separated by `\u{1}`, a mapping
/// key as `k` + key, a named sequence item as `n` + name, others as `i` +
/// index. Pushed and popped while walking, so no segment is allocated twice.
#[derive(Debug, Default, Clone)]
pub struct Path(String);

impl Path {
    /// Appends a segment and returns the length to truncate back to.
    pub fn push_key(&mut self, key: &str) -> usize {
        let at = self.0.len();
        self.0.push('\u{1}');
        self.0.push('k');
        self.0.push_str(key);
        at
    }

    pub fn push_item(&mut self, seq: &[Value], index: usize, names_unique: bool) -> usize {
        match item_name(&seq[index]).filter(|_| names_unique) {
            Some(n) => self.push_name(n),
            None => self.push_index(index),
        }
    }

    fn push_name(&mut self, name: &str) -> usize {
        let at = self.0.len();
        self.0.push('\u{1}');
        self.0.push('n');
        self.0.push_str(name);
        at
    }

    fn push_index(&mut self, index: usize) -> usize {
        let at = self.0.len();
        self.0.push('\u{1}');
        self.0.push('i');
        self.0.push_str(&index.to_string());
        at
    }

    pub fn pop(&mut self, at: usize) {
        self.0.truncate(at);
    }
}

fn item_name(v: &Value) -> Option<&str> {
    v.get("name").and_then(Value::as_str)
}

/// Whether the objects of `seq` can be told apart by `name`.
pub fn names_unique(seq: &[Value]) -> bool {
    let mut seen = std::collections::HashSet::new();
    seq.iter()
        .all(|v| item_name(v).is_some_and(|n| seen.insert(n)))
}

/// One node in document order, with its parent, so that the path string
/// is built only for the few nodes that own a comment.
struct Node<'v> {
    line: usize,
    column: usize,
    parent: usize,
    seg: Seg<'v>,
}

enum Seg<'v> {
    Root,
    Key(&'v str),
    Name(&'v str),
    Index(usize),
}

fn walk<'v>(v: &'v Value, p: &PosNode, parent: usize, seg: Seg<'v>, out: &mut Vec<Node<'v>>) {
    let me = out.len();
    out.push(Node {
        line: p.line,
        column: p.column,
        parent,
        seg,
    });
    match (v, &p.children) {
        (Value::Object(m), PosChildren::Map(ps)) => {
            for (k, child) in ps {
                if let Some((key, cv)) = m.get_key_value(k) {
                    walk(cv, child, me, Seg::Key(key), out);
                }
            }
        }
        (Value::Array(a), PosChildren::Seq(ps)) => {
            let unique = names_unique(a);
            for (i, (cv, child)) in a.iter().zip(ps).enumerate() {
                let seg = match item_name(cv).filter(|_| unique) {
                    Some(n) => Seg::Name(n),
                    None => Seg::Index(i),
                };
                walk(cv, child, me, seg, out);
            }
        }
        _ => {}
    }
}

/// The [`Path`] string of node `i`.
fn path_of(nodes: &[Node], mut i: usize) -> String {
    let mut segs = Vec::new();
    while i < nodes.len() {
        segs.push(&nodes[i].seg);
        i = nodes[i].parent;
    }
    let mut path = Path::default();
    for seg in segs.into_iter().rev() {
        match seg {
            Seg::Root => 0,
            Seg::Key(k) => path.push_key(k),
            Seg::Name(n) => path.push_name(n),
            Seg::Index(i) => path.push_index(*i),
        };
    }
    path.0
}

/// Byte offset of a comment starting at or after byte `from` of `line`:
/// a `#` at the start or after white space, outside quotes.
fn comment_start(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut prev = b' ';
    let mut i = from.min(bytes.len());
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(b'"') if c == b'\\' => {
                i += 2;
                prev = b'x';
                continue;
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => {
                // A quote opens a scalar only where a scalar can start.
                if (c == b'\'' || c == b'"') && matches!(prev, b' ' | b'\t' | b'[' | b'{' | b',') {
                    quote = Some(c);
                } else if c == b'#' && (prev == b' ' || prev == b'\t') {
                    return Some(i);
                }
            }
        }
        prev = c;
        i += 1;
    }
    None
}

/// The comments of the document `text`, whose first line is stream line
/// `first_line`, given its value, node positions and multi-line scalars.
pub fn collect(
    text: &str,
    first_line: usize,
    value: &Value,
    root: &PosNode,
    scalar_lines: &[(usize, usize)],
) -> Comments {
    let mut comments = Comments::default();
    if !text.contains('#') {
        return comments;
    }
    // Nodes in line order, built at the first comment below the header: a
    // comment above the first node belongs to the root and needs no walk.
    let mut index: Option<(Vec<Node>, Vec<usize>)> = None;
    // Scalars come in document order; one cursor walks them with the lines.
    let mut ranges = scalar_lines.to_vec();
    ranges.sort_unstable();
    let mut r = 0usize;
    let mut in_scalar = |line: usize| {
        while r < ranges.len() && ranges[r].1 < line {
            r += 1;
        }
        r < ranges.len() && ranges[r].0 <= line
    };
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = first_line + i;
        let line = raw.trim_end_matches('\r');
        if (i == 0 && line.starts_with("---")) || !line.contains('#') || in_scalar(line_no) {
            continue; // the separator line is copied as it is
        }
        let trimmed = line.trim_start();
        if line_no < root.line {
            if trimmed.starts_with('#') {
                comments
                    .before
                    .entry(String::new())
                    .or_default()
                    .push(trimmed.to_string());
            }
            continue;
        }
        let (nodes, order) = index.get_or_insert_with(|| {
            let mut nodes = Vec::new();
            walk(value, root, usize::MAX, Seg::Root, &mut nodes);
            // Preorder puts the outer node first among those on one line;
            // `order` sorts by line without moving nodes (parents are indexes).
            let mut order: Vec<usize> = (0..nodes.len()).collect();
            order.sort_by_key(|&i| nodes[i].line);
            (nodes, order)
        });
        // Nodes starting on or before this line.
        let next = order.partition_point(|&n| nodes[n].line <= line_no);
        if trimmed.starts_with('#') {
            let c = trimmed.to_string();
            match order.get(next) {
                Some(&n) => comments
                    .before
                    .entry(path_of(nodes, n))
                    .or_default()
                    .push(c),
                None => comments.end.push(c),
            }
            continue;
        }
        // The last node starting on this line owns a comment after it.
        let Some(&owner) = order[..next].last().filter(|&&n| nodes[n].line == line_no) else {
            continue;
        };
        let from = nodes[owner].column.saturating_sub(1);
        if let Some(at) = comment_start(line, from) {
            comments
                .trailing
                .insert(path_of(nodes, owner), line[at..].trim_end().to_string());
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_starts_outside_quotes_only() {
        assert_eq!(comment_start("a: b # c", 0), Some(5));
        assert_eq!(comment_start("a: 'b # c'", 0), None);
        assert_eq!(comment_start("a: \"b \\\" # c\" # d", 0), Some(14));
        assert_eq!(comment_start("a: b#c", 0), None);
        assert_eq!(comment_start("url: http://x/#frag", 0), None);
        assert_eq!(comment_start("msg: don't # c", 0), Some(11));
    }

    fn reemit(text: &str, change: impl FnOnce(&mut Value)) -> String {
        let (mut v, root, lines) = crate::yaml::parse_document_lines(text)
            .expect("parses")
            .expect("a document");
        let comments = collect(text, 1, &v, &root, &lines);
        change(&mut v);
        crate::yaml::to_yaml_commented(&v, Some(&comments))
    }

    #[test]
    fn comments_follow_named_items_and_stay_out_of_block_scalars() {
        let text = "# head\nlist:\n  # about b\n  - name: b # trailing\n    x: |\n      # content\n  - name: c\n# tail\n";
        let out = reemit(text, |v| {
            let list = v["list"].as_array_mut().expect("list");
            list.insert(0, serde_json::json!({"name": "a"}));
        });
        assert_eq!(
            out,
            "# head\nlist:\n- name: a\n# about b\n- name: b # trailing\n  x: |\n    # content\n- name: c\n# tail\n"
        );
        // Same values as without comments.
        let (back, _) = crate::yaml::parse_document(&out)
            .expect("parses")
            .expect("doc");
        let (plain, _) = crate::yaml::parse_document(&reemit(text, |v| {
            v["list"]
                .as_array_mut()
                .expect("list")
                .insert(0, serde_json::json!({"name": "a"}));
        }))
        .expect("parses")
        .expect("doc");
        assert_eq!(back, plain);
    }

    #[test]
    fn a_header_comment_belongs_to_the_root() {
        let text = "--- # sep\n# about\n\n# this\na: 1\n";
        let out = reemit(text, |v| v["b"] = serde_json::json!(2));
        assert_eq!(out, "# about\n# this\na: 1\nb: 2\n");
        // And the same through the general path (a comment further down).
        let out = reemit("# about\na: 1 # one\n", |v| v["b"] = serde_json::json!(2));
        assert_eq!(out, "# about\na: 1 # one\nb: 2\n");
    }

    #[test]
    fn a_document_without_comments_costs_nothing() {
        let (v, root, lines) = crate::yaml::parse_document_lines("a: 1\n")
            .expect("parses")
            .expect("doc");
        assert!(collect("a: 1\n", 1, &v, &root, &lines).is_empty());
    }
}
