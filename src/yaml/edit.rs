//! Writing a changed document back as its original text with only the
//! changed nodes rewritten.
//!
//! The engine changes a document's value; this module compares the value as
//! read with the value as changed, walking the node positions the parser
//! recorded, and turns each difference into a text edit: a scalar's bytes
//! replaced, a mapping entry or sequence item inserted at its siblings'
//! indentation (or removed with its lines), a flow collection's entry added
//! between its neighbours. Every other byte — comments, quoting, flow or
//! block style, indentation, key order, line endings — is copied. New nodes
//! are written in the document's own style ([`Style`] detected from it, CRLF
//! where the document uses CRLF, JSON in a JSON document).
//!
//! Where the text cannot express a change in place (a key brought in by a
//! `<<` merge is removed, items are reordered), [`apply`] returns `None` and
//! the caller writes the document anew.

use super::emit::{self, Style};
use super::parse::{NodeStyle, PosChildren, PosNode};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The document's text with `before` turned into `after`, or `None` when a
/// change cannot be made in place. `root` holds the positions of `before`
/// in `text`; `json` says the document is JSON.
pub fn apply(
    text: &str,
    root: &PosNode,
    before: &Value,
    after: &Value,
    json: bool,
) -> Option<String> {
    let mut ed = Editor {
        text,
        json,
        crlf: text.contains("\r\n"),
        style: detect_style(text, root),
        json_step: detect_json_step(root),
        edits: Vec::new(),
    };
    ed.node(root, before, after, Ctx::Root).ok()?;
    ed.finish()
}

/// What [`apply`] decides once for a whole document and uses for each item
/// of a `kind: List` it edits: a List's items can then be edited one at a
/// time ([`item_edits`]), each edited as [`apply`] edits it in the whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLayout {
    crlf: bool,
    style: Style,
    json_step: usize,
    /// The items' column in a block sequence (`None`: a flow sequence).
    block_content_col: Option<usize>,
}

impl ListLayout {
    /// What the layout of the List `text` likely is, from its first item
    /// alone: [`list_layout`] tells, once the whole List is read.
    pub fn guess(text: &str, first: &PosNode, json: bool) -> ListLayout {
        let dash = (!json)
            .then(|| super::parse::dash_before(text, first.start as usize))
            .flatten();
        ListLayout {
            crlf: text.contains("\r\n"),
            style: detect_style(text, first),
            json_step: detect_json_step(first),
            block_content_col: dash.and_then(|d| content_col(text, d, first.start as usize)),
        }
    }
}

/// The layout [`apply`] edits the List `text` with, from its root (whose
/// `items` holds the positions of its last items, at least 10,001 nodes of
/// them unless all) and where its first item starts; `None` where [`apply`]
/// would not edit the items one by one (a key brought in by a `<<` merge at
/// the root), or the layout cannot be told.
pub fn list_layout(text: &str, root: &PosNode, first_start: usize) -> Option<ListLayout> {
    let PosChildren::Map(entries) = &root.children else {
        return None;
    };
    if entries.iter().any(|(_, e)| e.style == NodeStyle::Merged) {
        return None;
    }
    if !matches!(root.style, NodeStyle::BlockMap | NodeStyle::FlowMap) {
        return None;
    }
    let items = entries.iter().find(|(k, _)| k == "items").map(|(_, e)| e)?;
    let block_content_col = match items.style {
        NodeStyle::BlockSeq => Some(content_col(text, items.start as usize, first_start)?),
        NodeStyle::FlowSeq => None,
        _ => return None,
    };
    Some(ListLayout {
        crlf: text.contains("\r\n"),
        style: detect_style(text, root),
        json_step: detect_json_step(root),
        block_content_col,
    })
}

/// The column of the items of a block sequence whose first dash is at
/// `dash` and first item starts at `first`, as [`Editor::block_seq`] finds it.
fn content_col(text: &str, dash: usize, first: usize) -> Option<usize> {
    let to_first = text.get(dash..first)?;
    let offset = if to_first.contains('\n') {
        2
    } else {
        to_first.chars().count().max(1)
    };
    Some(column_of(text, dash) + offset)
}

/// The edits (byte range of `text` and its replacement, in order) that
/// [`apply`] makes to item `item` of the List `text` when it turns `before`
/// into `after`; `None` when it cannot make them in place.
pub fn item_edits(
    text: &str,
    layout: &ListLayout,
    item: &PosNode,
    before: &Value,
    after: &Value,
    json: bool,
) -> Option<Vec<(usize, usize, String)>> {
    let mut ed = Editor {
        text,
        json,
        crlf: layout.crlf,
        style: layout.style,
        json_step: layout.json_step,
        edits: Vec::new(),
    };
    let ctx = match layout.block_content_col {
        Some(content_col) => Ctx::SeqItem { content_col },
        None => Ctx::Flow,
    };
    ed.node(item, before, after, ctx).ok()?;
    ed.edits.sort_by_key(|e| (e.start, e.end));
    let mut at = 0;
    for e in &ed.edits {
        if e.start < at || e.end < e.start || e.end > text.len() {
            return None;
        }
        text.get(at..e.start)?;
        at = e.end;
    }
    Some(
        ed.edits
            .into_iter()
            .map(|e| (e.start, e.end, e.text))
            .collect(),
    )
}

/// Where a node sits, which decides how a replacement is written.
#[derive(Clone, Copy, Debug)]
enum Ctx {
    Root,
    /// The value of a block mapping entry whose key is at this column.
    MapValue {
        key_col: usize,
    },
    /// An item of a block sequence.
    SeqItem {
        content_col: usize,
    },
    /// Inside a flow collection (or a JSON document).
    Flow,
}

/// The change cannot be written in place.
struct Unsupported;

type Step = Result<(), Unsupported>;

struct Edit {
    start: usize,
    end: usize,
    text: String,
}

struct Editor<'a> {
    text: &'a str,
    json: bool,
    crlf: bool,
    style: Style,
    json_step: usize,
    edits: Vec<Edit>,
}

/// One step of turning a sequence into another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Keep(usize, usize),
    Delete(usize),
    Insert(usize),
}

impl Editor<'_> {
    fn finish(mut self) -> Option<String> {
        // Stable: insertions at one point stay in the order they were made.
        // Insertions at a point come before a removal starting there.
        self.edits.sort_by_key(|e| (e.start, e.end));
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut at = 0;
        for e in &self.edits {
            if e.start < at || e.end < e.start || e.end > self.text.len() {
                return None;
            }
            out.push_str(self.text.get(at..e.start)?);
            out.push_str(&e.text);
            at = e.end;
        }
        out.push_str(self.text.get(at..)?);
        Some(out)
    }

    fn edit(&mut self, start: usize, end: usize, text: String) {
        let text = if self.crlf {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text
        };
        self.edits.push(Edit { start, end, text });
    }

    fn node(&mut self, p: &PosNode, before: &Value, after: &Value, ctx: Ctx) -> Step {
        if before == after {
            return Ok(());
        }
        match (p.style, before, after, &p.children) {
            (NodeStyle::BlockMap, Value::Object(b), Value::Object(a), PosChildren::Map(e)) => {
                self.block_map(e, b, a)
            }
            (NodeStyle::FlowMap, Value::Object(b), Value::Object(a), PosChildren::Map(e)) => {
                self.flow_map(p, e, b, a)
            }
            (NodeStyle::BlockSeq, Value::Array(b), Value::Array(a), PosChildren::Seq(items)) => {
                self.block_seq(p, items, b, a)
            }
            (NodeStyle::FlowSeq, Value::Array(b), Value::Array(a), PosChildren::Seq(items)) => {
                self.flow_seq(p, items, b, a)
            }
            _ => self.replace(p, after, ctx),
        }
    }

    // ---------------------------------------------------------------- text

    fn line_start(&self, pos: usize) -> usize {
        self.text[..pos.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |n| n + 1)
    }

    /// Just past the line break that ends the line holding `pos`.
    fn line_end(&self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        self.text[pos..]
            .find('\n')
            .map_or(self.text.len(), |n| pos + n + 1)
    }

    /// Whether only blanks stand before `pos` on its line.
    fn starts_line(&self, pos: usize) -> bool {
        let ls = self.line_start(pos);
        self.text[ls..pos].bytes().all(|b| b == b' ' || b == b'\t')
    }

    /// Text inserted at `at`, where `at` may be the end of a text without
    /// a final line break.
    fn insert_lines(&mut self, at: usize, lines: String) {
        let lines = if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n')
        {
            format!("\n{lines}")
        } else {
            lines
        };
        self.edit(at, at, lines);
    }

    /// The start of the full-line comments right above the line starting at
    /// `line`, not reaching back to `floor`: they annotate what follows, so
    /// a node inserted before it goes above them.
    fn above_comments(&self, mut line: usize, floor: usize) -> usize {
        while line > 0 {
            let prev = self.line_start(line - 1);
            if prev < floor || !self.text[prev..line].trim_start().starts_with('#') {
                break;
            }
            line = prev;
        }
        line
    }

    /// Byte offset of the `-` of a block sequence item that starts at `start`.
    fn dash_before(&self, start: usize) -> Option<usize> {
        super::parse::dash_before(self.text, start)
    }

    /// Just past the `:` of the entry whose value starts at `start`.
    fn after_colon(&self, start: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let mut i = start;
        while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\r' | b'\n') {
            i -= 1;
        }
        (i > 0 && b[i - 1] == b':').then_some(i)
    }

    /// Indentation (columns) of the line holding `pos`.
    fn indent_of_line(&self, pos: usize) -> usize {
        let ls = self.line_start(pos);
        self.text[ls..].bytes().take_while(|b| *b == b' ').count()
    }

    // ------------------------------------------------------------ replace

    /// The node's text replaced by `new` written for its place.
    fn replace(&mut self, p: &PosNode, new: &Value, ctx: Ctx) -> Step {
        let (start, end) = (p.start as usize, p.end as usize);
        if matches!(p.style, NodeStyle::Merged) || end < start {
            return Err(Unsupported);
        }
        if self.json {
            let indent = self.indent_of_line(start);
            let text = emit::json_pretty(new, indent, self.json_step);
            self.edit(start, end, text);
            return Ok(());
        }
        let block_collection = matches!(new, Value::Object(m) if !m.is_empty())
            || matches!(new, Value::Array(a) if !a.is_empty());
        let old_block = matches!(p.style, NodeStyle::BlockMap | NodeStyle::BlockSeq);
        match ctx {
            Ctx::Flow => {
                self.edit(start, end, emit::flow(new, false));
            }
            Ctx::Root => {
                let mut text = super::to_yaml(new);
                if end < self.text.len() && text.ends_with('\n') {
                    text.pop();
                }
                self.edit(start, end, text);
            }
            Ctx::MapValue { key_col } => {
                if block_collection || old_block {
                    let colon = self.after_colon(start).ok_or(Unsupported)?;
                    self.edit(colon, end, emit::block_value(new, key_col, self.style));
                } else {
                    let text = self.scalar_in_style(p, new, key_col + self.style.indent);
                    self.edit(start, end, text);
                }
            }
            Ctx::SeqItem { content_col } => {
                if block_collection {
                    if self.dash_before(start).is_none_or(|d| d + 1 >= start) {
                        return Err(Unsupported);
                    }
                    let item = emit::block_item(new, 0, content_col, self.style);
                    // The item's own dash stays; drop the one written here.
                    let body = item
                        .get(content_col.max(1)..)
                        .unwrap_or_default()
                        .trim_end_matches('\n')
                        .to_string();
                    self.edit(start, end, body);
                } else {
                    let text = self.scalar_in_style(p, new, content_col);
                    self.edit(start, end, text);
                }
            }
        }
        Ok(())
    }

    /// A scalar replacing another keeps its quoting where it can.
    fn scalar_in_style(&self, p: &PosNode, new: &Value, indent: usize) -> String {
        match (p.style, new) {
            (NodeStyle::DoubleQuoted, Value::String(s)) => {
                serde_json::to_string(s).unwrap_or_default()
            }
            (NodeStyle::SingleQuoted, Value::String(s))
                if !s.chars().any(|c| c.is_control()) && !s.contains('\n') =>
            {
                format!("'{}'", s.replace('\'', "''"))
            }
            (NodeStyle::Plain, Value::String(s)) => emit::inline_string(s),
            _ => emit::scalar_text(new, indent),
        }
    }

    // ------------------------------------------------------- block mapping

    fn block_map(
        &mut self,
        entries: &[(String, PosNode)],
        before: &Map<String, Value>,
        after: &Map<String, Value>,
    ) -> Step {
        let index = EntryIndex::new(entries);
        let textual = |i: usize| entries[i].1.style != NodeStyle::Merged;
        let key_col = entries
            .iter()
            .find(|(_, p)| p.style != NodeStyle::Merged)
            .map(|(_, p)| p.column.saturating_sub(1))
            .ok_or(Unsupported)?;
        let last_textual = (0..entries.len()).rev().find(|&i| textual(i));
        for (k, _) in before {
            if after.contains_key(k) {
                continue;
            }
            let i = index.get(entries, k).ok_or(Unsupported)?;
            if !textual(i) {
                return Err(Unsupported);
            }
            let p = &entries[i].1;
            let ks = p.key_start as usize;
            if !self.starts_line(ks) {
                return Err(Unsupported);
            }
            let from = self.line_start(ks);
            let to = self.line_end(p.end as usize);
            self.edit(from, to, String::new());
        }
        // New entries go after the entry that precedes them in the new
        // order, or after the last one.
        let mut anchor: Option<usize> = None;
        for (k, av) in after {
            let existing = index.get(entries, k);
            match (existing, before.get(k)) {
                (Some(i), Some(bv)) if textual(i) => {
                    anchor = Some(i);
                    self.node(&entries[i].1, bv, av, Ctx::MapValue { key_col })?;
                }
                (Some(_), Some(bv)) if bv == av => {}
                _ => {
                    // A key that is new, or that a merge key supplied: an
                    // explicit entry overrides the merged one.
                    let at_entry = anchor.or(last_textual).ok_or(Unsupported)?;
                    let at = self.line_end(entries[at_entry].1.end as usize);
                    let lines = emit::block_entry(k, av, key_col, self.style);
                    self.insert_lines(at, lines);
                }
            }
        }
        Ok(())
    }

    // -------------------------------------------------------- flow mapping

    fn flow_map(
        &mut self,
        p: &PosNode,
        entries: &[(String, PosNode)],
        before: &Map<String, Value>,
        after: &Map<String, Value>,
    ) -> Step {
        if entries.iter().any(|(_, e)| e.style == NodeStyle::Merged) {
            return self.replace(p, &Value::Object(after.clone()), Ctx::Flow);
        }
        if entries.is_empty() {
            return self.replace_empty_flow(p, &Value::Object(after.clone()));
        }
        let index = EntryIndex::new(entries);
        let sep = self.flow_separator(p, entries.first().map(|(_, e)| e));
        for (k, _) in before {
            if !after.contains_key(k) {
                let i = index.get(entries, k).ok_or(Unsupported)?;
                self.remove_flow_item(entries.len(), i, |j| {
                    (entries[j].1.key_start as usize, entries[j].1.end as usize)
                });
            }
        }
        let mut anchor: Option<usize> = None;
        for (k, av) in after {
            match (index.get(entries, k), before.get(k)) {
                (Some(i), Some(bv)) => {
                    anchor = Some(i);
                    self.node(&entries[i].1, bv, av, Ctx::Flow)?;
                }
                _ => {
                    let at = anchor.unwrap_or(entries.len() - 1);
                    let indent = self.indent_of_line(entries[at].1.key_start as usize);
                    let text =
                        format!("{sep}{}: {}", self.flow_key(k), self.flow_value(av, indent));
                    self.edit(entries[at].1.end as usize, entries[at].1.end as usize, text);
                }
            }
        }
        Ok(())
    }

    /// `, ` on one line, or `,` and a line break with the first item's
    /// indentation when the collection spans lines.
    fn flow_separator(&self, open: &PosNode, first: Option<&PosNode>) -> String {
        let spans_lines = |f: &PosNode| {
            self.text
                .get(open.start as usize..f.key_start as usize)
                .is_some_and(|t| t.contains('\n'))
        };
        match first {
            Some(f) if spans_lines(f) => {
                let indent = self.indent_of_line(f.key_start as usize);
                format!(",\n{}", " ".repeat(indent))
            }
            _ => ", ".to_string(),
        }
    }

    fn flow_key(&self, k: &str) -> String {
        emit::flow(&Value::String(k.to_string()), self.json)
    }

    fn flow_value(&self, v: &Value, indent: usize) -> String {
        if self.json {
            emit::json_pretty(v, indent, self.json_step)
        } else {
            emit::flow(v, false)
        }
    }

    /// `{}` or `[]` that gains content.
    fn replace_empty_flow(&mut self, p: &PosNode, new: &Value) -> Step {
        let (start, end) = (p.start as usize, p.end as usize);
        let text = if self.json {
            emit::json_pretty(new, self.indent_of_line(start), self.json_step)
        } else {
            emit::flow(new, false)
        };
        self.edit(start, end, text);
        Ok(())
    }

    /// Removes item `i` of a flow collection of `len` items, with one of
    /// the commas around it.
    fn remove_flow_item(&mut self, len: usize, i: usize, span: impl Fn(usize) -> (usize, usize)) {
        let (start, end) = span(i);
        if i + 1 < len {
            self.edit(start, span(i + 1).0, String::new());
        } else if i > 0 {
            self.edit(span(i - 1).1, end, String::new());
        } else {
            self.edit(start, end, String::new());
        }
    }

    // ------------------------------------------------------ block sequence

    fn block_seq(
        &mut self,
        p: &PosNode,
        items: &[PosNode],
        before: &[Value],
        after: &[Value],
    ) -> Step {
        let first = items.first().ok_or(Unsupported)?;
        // The sequence's text starts at its first dash.
        let dash = p.start as usize;
        let dash_col = column_of(self.text, dash);
        let to_first = self
            .text
            .get(dash..first.start as usize)
            .ok_or(Unsupported)?;
        let offset = if to_first.contains('\n') {
            2
        } else {
            to_first.chars().count().max(1)
        };
        let content_col = dash_col + offset;
        let ops = align(before, after).ok_or(Unsupported)?;
        let mut next = 0usize;
        for op in ops {
            match op {
                Op::Keep(i, j) => {
                    next = i + 1;
                    self.node(
                        &items[i],
                        &before[i],
                        &after[j],
                        Ctx::SeqItem { content_col },
                    )?;
                }
                Op::Delete(i) => {
                    next = i + 1;
                    let dash = self
                        .dash_before(items[i].start as usize)
                        .ok_or(Unsupported)?;
                    if !self.starts_line(dash) {
                        return Err(Unsupported);
                    }
                    let from = self.line_start(dash);
                    let to = self.line_end(items[i].end as usize);
                    self.edit(from, to, String::new());
                }
                Op::Insert(j) => {
                    let lines = emit::block_item(&after[j], dash_col, offset, self.style);
                    if let Some(item) = items.get(next) {
                        let dash = self.dash_before(item.start as usize).ok_or(Unsupported)?;
                        if !self.starts_line(dash) {
                            return Err(Unsupported);
                        }
                        let floor = next.checked_sub(1).map_or(0, |k| items[k].end as usize);
                        let at = self.above_comments(self.line_start(dash), floor);
                        self.edit(at, at, lines);
                    } else {
                        let last = items.last().ok_or(Unsupported)?;
                        let at = self.line_end(last.end as usize);
                        self.insert_lines(at, lines);
                    }
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------- flow sequence

    fn flow_seq(
        &mut self,
        p: &PosNode,
        items: &[PosNode],
        before: &[Value],
        after: &[Value],
    ) -> Step {
        if items.is_empty() {
            return self.replace_empty_flow(p, &Value::Array(after.to_vec()));
        }
        let ops = align(before, after).ok_or(Unsupported)?;
        let sep = self.flow_separator(p, items.first());
        let mut next = 0usize;
        for op in ops {
            match op {
                Op::Keep(i, j) => {
                    next = i + 1;
                    self.node(&items[i], &before[i], &after[j], Ctx::Flow)?;
                }
                Op::Delete(i) => {
                    next = i + 1;
                    self.remove_flow_item(items.len(), i, |k| {
                        (items[k].start as usize, items[k].end as usize)
                    });
                }
                Op::Insert(j) => {
                    if let Some(item) = items.get(next) {
                        let at = item.start as usize;
                        let indent = self.indent_of_line(at);
                        let text = format!("{}{sep}", self.flow_value(&after[j], indent));
                        self.edit(at, at, text);
                    } else {
                        let last = items.last().ok_or(Unsupported)?;
                        let at = last.end as usize;
                        let indent = self.indent_of_line(last.start as usize);
                        let text = format!("{sep}{}", self.flow_value(&after[j], indent));
                        self.edit(at, at, text);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Finds mapping entries by key: a scan for small mappings, a hash index
/// for large ones, so that editing stays linear in the mapping's size.
struct EntryIndex<'e>(Option<HashMap<&'e str, usize>>);

impl<'e> EntryIndex<'e> {
    fn new(entries: &'e [(String, PosNode)]) -> Self {
        if entries.len() <= 16 {
            return EntryIndex(None);
        }
        EntryIndex(Some(
            entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.as_str(), i))
                .collect(),
        ))
    }

    fn get(&self, entries: &[(String, PosNode)], key: &str) -> Option<usize> {
        match &self.0 {
            Some(m) => m.get(key).copied(),
            None => entries.iter().position(|(k, _)| k == key),
        }
    }
}

/// The steps that turn `before` into `after`, items kept in order. Lists of
/// objects with unique `name`s (containers, volumes, env) are matched by
/// name; others by equality around a changed middle. `None` when kept
/// items change order (the text cannot move them).
fn align(before: &[Value], after: &[Value]) -> Option<Vec<Op>> {
    if let (Some(bn), Some(an)) = (unique_names(before), unique_names(after)) {
        let by_name: HashMap<&str, usize> = bn.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let pairs: Vec<Option<usize>> = an.iter().map(|n| by_name.get(n).copied()).collect();
        let mut last = None;
        for i in pairs.iter().flatten() {
            if last.is_some_and(|l| *i <= l) {
                return None;
            }
            last = Some(*i);
        }
        let mut ops = Vec::with_capacity(before.len().max(after.len()));
        let mut i = 0;
        for (j, pair) in pairs.iter().enumerate() {
            match pair {
                Some(k) => {
                    while i < *k {
                        ops.push(Op::Delete(i));
                        i += 1;
                    }
                    ops.push(Op::Keep(*k, j));
                    i = k + 1;
                }
                None => ops.push(Op::Insert(j)),
            }
        }
        ops.extend((i..before.len()).map(Op::Delete));
        return Some(ops);
    }
    let prefix = before.iter().zip(after).take_while(|(b, a)| b == a).count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(b, a)| b == a)
        .count();
    let (bm, am) = (prefix..before.len() - suffix, prefix..after.len() - suffix);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Keep(i, i)).collect();
    if bm.len() == am.len() {
        // Same count: items changed in place.
        ops.extend(bm.clone().zip(am.clone()).map(|(i, j)| Op::Keep(i, j)));
    } else if bm.len().saturating_mul(am.len()) <= 250_000 {
        ops.extend(lcs(
            &before[bm.clone()],
            &after[am.clone()],
            bm.start,
            am.start,
        ));
    } else {
        ops.extend(am.clone().map(Op::Insert));
        ops.extend(bm.clone().map(Op::Delete));
    }
    let (bs, as_) = (before.len() - suffix, after.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Keep(bs + k, as_ + k)));
    Some(ops)
}

fn unique_names(items: &[Value]) -> Option<Vec<&str>> {
    let names: Vec<&str> = items
        .iter()
        .map(|v| v.get("name").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    names.iter().all(|n| seen.insert(*n)).then_some(names)
}

/// Longest common subsequence by equality, for short changed middles.
fn lcs(b: &[Value], a: &[Value], bo: usize, ao: usize) -> Vec<Op> {
    let (n, m) = (b.len(), a.len());
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * (m + 1) + j] = if b[i] == a[j] {
                t[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && b[i] == a[j] {
            ops.push(Op::Keep(bo + i, ao + j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || t[i * (m + 1) + j + 1] >= t[(i + 1) * (m + 1) + j]) {
            ops.push(Op::Insert(ao + j));
            j += 1;
        } else {
            ops.push(Op::Delete(bo + i));
            i += 1;
        }
    }
    ops
}

/// The column (0-based, in characters) of byte offset `pos`.
fn column_of(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let ls = text[..pos].rfind('\n').map_or(0, |n| n + 1);
    text.get(ls..pos).map_or(0, |t| t.chars().count())
}

/// The document's indentation step and sequence indentation, from its
/// first nested block mapping and first block sequence under a key.
fn detect_style(text: &str, root: &PosNode) -> Style {
    let mut style = Style::KUBECTL;
    let (mut indent, mut seq) = (None, None);
    let mut stack = vec![root];
    let mut visited = 0usize;
    while let Some(n) = stack.pop() {
        visited += 1;
        if (indent.is_some() && seq.is_some()) || visited > 10_000 {
            break;
        }
        match &n.children {
            PosChildren::Map(entries) if n.style == NodeStyle::BlockMap => {
                for (_, e) in entries {
                    match (&e.children, e.style) {
                        (PosChildren::Map(inner), NodeStyle::BlockMap) if indent.is_none() => {
                            if let Some((_, f)) = inner.first() {
                                if f.column > e.column {
                                    indent = Some(f.column - e.column);
                                }
                            }
                        }
                        (PosChildren::Seq(_), NodeStyle::BlockSeq) if seq.is_none() => {
                            // A block sequence's text starts at its first dash.
                            let dash = column_of(text, e.start as usize);
                            let key = e.column.saturating_sub(1);
                            if dash >= key {
                                seq = Some(dash - key);
                            }
                        }
                        _ => {}
                    }
                    stack.push(e);
                }
            }
            PosChildren::Map(entries) => stack.extend(entries.iter().map(|(_, e)| e)),
            PosChildren::Seq(items) => stack.extend(items.iter()),
            PosChildren::Leaf => {}
        }
    }
    if let Some(i) = indent {
        style.indent = i;
    }
    if let Some(s) = seq {
        style.seq_indent = s;
    }
    style
}

/// Columns per level in a JSON document, from its first nested entry.
fn detect_json_step(root: &PosNode) -> usize {
    if let PosChildren::Map(entries) = &root.children {
        if let Some((_, first)) = entries.first() {
            if first.line != root.line && first.column > root.column {
                return first.column - root.column;
            }
        }
    }
    4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_document;
    use serde_json::json;

    /// Parses `text`, changes its value with `change`, and returns the
    /// edited text after checking that it reads back as the changed value.
    fn edited(text: &str, json: bool, change: impl FnOnce(&mut Value)) -> String {
        let (before, root) = parse_document(text).expect("parses").expect("doc");
        let mut after = before.clone();
        change(&mut after);
        let out = apply(text, &root, &before, &after, json).expect("edits in place");
        let (back, _) = parse_document(&out).expect("output parses").expect("doc");
        assert!(
            back == after,
            "output does not read back as the change:\n{out:?}"
        );
        out
    }

    #[test]
    fn untouched_bytes_stay_and_new_entries_follow_their_siblings() {
        let text = "kind: Pod # the kind\nmetadata:\n    name: web\n    labels: {app: web, tier: \"1\"}\nspec:\n    containers:\n      - name: app   # main\n        env:\n          - {name: Y, value: \"true\"}\n        image: 'nginx'\n";
        let out = edited(text, false, |v| {
            v["metadata"]["annotations"] = json!({"a": "yes"});
            v["metadata"]["labels"]["new"] = json!("x");
            let c = v["spec"]["containers"].as_array_mut().expect("list");
            c.insert(
                0,
                json!({"name": "side", "image": "busybox", "args": ["-c", "on"]}),
            );
            c[1]["image"] = json!("nginx:2");
        });
        assert_eq!(
            out,
            "kind: Pod # the kind\nmetadata:\n    name: web\n    labels: {app: web, tier: \"1\", new: x}\n    annotations:\n        a: 'yes'\nspec:\n    containers:\n      - name: side\n        image: busybox\n        args:\n          - '-c'\n          - 'on'\n      - name: app   # main\n        env:\n          - {name: Y, value: \"true\"}\n        image: 'nginx:2'\n"
        );
    }

    #[test]
    fn crlf_documents_stay_crlf() {
        let text = "a: 1\r\nlist:\r\n- x\r\n";
        let out = edited(text, false, |v| {
            v["list"].as_array_mut().expect("list").push(json!("z"));
            v["b"] = json!({"c": [1]});
        });
        assert_eq!(
            out,
            "a: 1\r\nlist:\r\n- x\r\n- z\r\nb:\r\n  c:\r\n  - 1\r\n"
        );
    }

    #[test]
    fn json_documents_stay_json_in_their_layout() {
        let text = "{\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"containers\": [\n      {\"name\": \"app\"}\n    ]\n  }\n}\n";
        let out = edited(text, true, |v| {
            v["spec"]["containers"]
                .as_array_mut()
                .expect("list")
                .insert(0, json!({"name": "side", "env": [{"name": "A"}]}));
            v["metadata"] = json!({"annotations": {"k": "<v>"}});
        });
        assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
        assert!(out.starts_with("{\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"containers\": [\n      {\n        \"name\": \"side\""), "{out}");
        assert!(
            out.contains("      {\"name\": \"app\"}\n    ]\n  }"),
            "{out}"
        );
        assert!(out.ends_with("  },\n  \"metadata\": {\n    \"annotations\": {\n      \"k\": \"<v>\"\n    }\n  }\n}\n"), "{out}");
    }

    #[test]
    fn empty_flow_collections_fill_and_scalars_keep_their_quotes() {
        let text = "metadata:\n  annotations: {}\n  labels: {}\nspec:\n  a: \"x\"\n  b: 'y'\n  c: z\n  d: |\n    old\n    text\n  e: []\n";
        let out = edited(text, false, |v| {
            v["metadata"]["annotations"] = json!({"k": "v"});
            v["spec"]["a"] = json!("x2");
            v["spec"]["b"] = json!("y'2");
            v["spec"]["c"] = json!("0755");
            v["spec"]["d"] = json!("new\ntext\n");
            v["spec"]["e"] = json!(["q"]);
        });
        assert_eq!(
            out,
            "metadata:\n  annotations: {k: v}\n  labels: {}\nspec:\n  a: \"x2\"\n  b: 'y''2'\n  c: '0755'\n  d: |\n    new\n    text\n  e: [q]\n"
        );
    }

    #[test]
    fn removals_take_their_lines_and_merge_keys_are_overridden() {
        let text = "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  z: 3 # keep\n  gone: true\nlist:\n- a\n- b\n- c\n";
        let out = edited(text, false, |v| {
            v["use"]["x"] = json!(10);
            v["use"].as_object_mut().expect("map").remove("gone");
            v["list"].as_array_mut().expect("list").remove(1);
        });
        assert_eq!(
            out,
            "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  z: 3 # keep\n  x: 10\nlist:\n- a\n- c\n"
        );
    }

    #[test]
    fn an_alias_that_changes_is_written_out() {
        let text = "a: &x {k: 1}\nb: *x\n";
        let out = edited(text, false, |v| v["b"]["k"] = json!(2));
        assert_eq!(out, "a: &x {k: 1}\nb:\n  k: 2\n");
    }

    #[test]
    fn no_final_line_break_and_separator_lines() {
        let text = "--- # first\nlist:\n  - a";
        let out = edited(text, false, |v| {
            v["list"].as_array_mut().expect("list").push(json!("b"))
        });
        assert_eq!(out, "--- # first\nlist:\n  - a\n  - b\n");
    }

    #[test]
    fn reordered_items_are_not_edited_in_place() {
        let text = "l:\n- name: a\n- name: b\n";
        let (before, root) = parse_document(text).expect("ok").expect("doc");
        let after = json!({"l": [{"name": "b"}, {"name": "a"}]});
        assert!(apply(text, &root, &before, &after, false).is_none());
    }

    #[test]
    fn large_lists_align_linearly() {
        let items: Vec<String> = (0..5000).map(|i| format!("- v{i}\n")).collect();
        let text = format!("l:\n{}", items.concat());
        let out = edited(&text, false, |v| {
            let l = v["l"].as_array_mut().expect("list");
            l.insert(2500, json!("mid"));
            l.push(json!("end"));
        });
        assert!(out.contains("- v2499\n- mid\n- v2500\n"));
        assert!(out.ends_with("- v4999\n- end\n"));
    }
}
