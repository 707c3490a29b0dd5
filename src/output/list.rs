//! `inject` over a `kind: List` item by item ([`ListRun`]): each item read
//! ([`crate::reader::parse_chunk_items`]), injected and written on its own,
//! its output the very bytes that injecting the whole List writes for it,
//! so a run holds the input text, its output, the policy and one item.
//! Where that cannot be known while reading (the List turns out to be no
//! List, an error, a change its text cannot carry in place, a layout its
//! first item did not tell), [`ListRun::finish`] says so, and the caller
//! drops what was written of the List and injects it whole, as a run that
//! reads everything first does.
//!
//! It lives with the writers rather than with the webhook over a stream
//! (`crate::stream`, `crate::pod_webhook`): what it decides, item by item,
//! is which bytes go out. It reaches into the state of [`Out`] (the YAML
//! stream's separators, the JSON stream's depth, the count of patch
//! entries), which stays private to `output`, and splices the [`OutBuf`]
//! behind what it wrote (the JSON List's head, its patch entry's head).
//! The webhook it calls is the one every document gets
//! ([`pod_webhook::inject_document`]), as `output::diff` calls it too.

use super::buffer::OutBuf;
use super::json::{indent, write_pretty};
use super::writer::{begin_entry, Out, State};
use crate::document::{self, Class, Document, Inputs, Resource};
use crate::inject::Context;
use crate::pod_webhook::{self, Settings};
use crate::reader::{Format, Positions};
use crate::source::SourceFile;
use crate::yaml::edit::{self, ListLayout};
use crate::yaml::{PosChildren, PosNode};
use serde_json::Value;
use std::collections::VecDeque;

/// The item positions kept for [`edit::list_layout`]: the last items, at
/// least this many nodes of them.
const TAIL_NODES: usize = 10_001;

/// How many nodes `p` has, itself included.
fn count_nodes(p: &PosNode) -> usize {
    1 + match &p.children {
        PosChildren::Leaf => 0,
        PosChildren::Seq(s) => s.iter().map(count_nodes).sum(),
        PosChildren::Map(m) => m.iter().map(|(_, c)| count_nodes(c)).sum(),
    }
}

/// One List being injected item by item, its output written to an
/// [`OutBuf`] through an [`Out`] as each item is injected. Fed by
/// [`crate::reader::parse_chunk_items`]: [`ListRun::item`] per item, then
/// [`ListRun::finish`] with what is left of the List.
pub struct ListRun<'a> {
    /// The List's chunk of input.
    text: &'a str,
    format: Format,
    ctx: &'a Context<'a>,
    settings: &'a Settings,
    out: &'a mut Out,
    buf: &'a mut OutBuf,
    /// Told what the webhook did to each item.
    on_outcome: &'a mut dyn FnMut(&pod_webhook::Outcome),
    /// The item being injected, alone.
    inputs: Inputs,
    /// Something the List cannot be written item by item for came up.
    failed: bool,
    items: usize,
    /// An item is a resource the tool reads.
    read: bool,
    // -o yaml
    layout: Option<ListLayout>,
    first_start: usize,
    edited: bool,
    /// Bytes of `text` written so far.
    cursor: usize,
    /// Where the List's text starts in the output.
    body: usize,
    tail: VecDeque<(PosNode, usize)>,
    tail_nodes: usize,
    // -o json
    level: usize,
    items_at: usize,
    // -o json-patch
    ops: OutBuf,
    op_count: usize,
}

impl<'a> ListRun<'a> {
    /// A run over the List that is `text`, a chunk of `file` read as
    /// `format`, injected with `ctx` and `settings`, written by `out` to
    /// `buf`. `on_outcome` is told what the webhook did to each item as it
    /// is injected (for a summary); when [`ListRun::finish`] says the List
    /// was not written, the caller drops what it was told along with the
    /// output, as it restores `out` and cuts `buf` back.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        file: &SourceFile,
        text: &'a str,
        format: Format,
        ctx: &'a Context<'a>,
        settings: &'a Settings,
        out: &'a mut Out,
        buf: &'a mut OutBuf,
        on_outcome: &'a mut dyn FnMut(&pod_webhook::Outcome),
    ) -> Self {
        let mut inputs = Inputs::default();
        // Named as the input, for the locations of what is found.
        inputs.add_file(SourceFile::new(file.name.clone(), String::new()));
        ListRun {
            text,
            format,
            ctx,
            settings,
            out,
            buf,
            on_outcome,
            inputs,
            failed: false,
            items: 0,
            read: false,
            layout: None,
            first_start: 0,
            edited: false,
            cursor: 0,
            body: 0,
            tail: VecDeque::new(),
            tail_nodes: 0,
            level: 0,
            items_at: 0,
            ops: OutBuf::default(),
            op_count: 0,
        }
    }

    /// Injects and writes the next item.
    pub fn item(&mut self, value: Value, pos: PosNode) {
        if self.failed {
            return;
        }
        if self.step(value, pos).is_none() {
            self.failed = true;
        }
    }

    fn step(&mut self, value: Value, pos: PosNode) -> Option<()> {
        let index = self.items;
        self.items += 1;
        let json = self.format == Format::Json;
        if index == 0 {
            self.begin(&pos).ok()?;
        }
        let class = document::type_meta(&value)
            .ok()
            .map(|(av, k)| Class::of(av, k))?;
        self.read |= class != Class::Other;
        self.inputs.clear_documents();
        self.inputs.docs.push(Document {
            file: 0,
            range: 0..0,
            line: pos.line,
            format: self.format,
            value: Some(value),
            positions: Positions::of_node(pos),
            policy_only: false,
            original: None,
        });
        self.inputs.resources.push(Resource {
            doc: 0,
            item: None,
            class,
            policy_only: false,
        });
        let mut outcome = pod_webhook::Outcome::default();
        pod_webhook::inject_document(&mut self.inputs, 0, self.ctx, self.settings, &mut outcome)
            .ok()?;
        let changed = outcome.changed_docs.first().copied().unwrap_or(false);
        (self.on_outcome)(&outcome);
        let mut doc = self.inputs.docs.pop()?;
        match self.out.state {
            State::Yaml(_) => {
                if changed {
                    let layout = self.layout.as_ref()?;
                    let (root, before) = (doc.positions.root()?, doc.original.as_ref()?);
                    let after = doc.value.as_ref()?;
                    let edits = edit::item_edits(self.text, layout, root, before, after, json)?;
                    for (start, end, text) in edits {
                        self.buf
                            .extend_from_slice(self.text.get(self.cursor..start)?.as_bytes());
                        self.buf.extend_from_slice(text.as_bytes());
                        self.cursor = end;
                    }
                    self.edited = true;
                }
                if !json {
                    let root = doc.positions.into_root()?;
                    let nodes = count_nodes(&root);
                    self.tail.push_back((root, nodes));
                    self.tail_nodes += nodes;
                    while self
                        .tail
                        .front()
                        .is_some_and(|(_, n)| self.tail_nodes - n >= TAIL_NODES)
                    {
                        let (_, n) = self.tail.pop_front()?;
                        self.tail_nodes -= n;
                    }
                }
            }
            State::Json(_) => {
                let value = doc.value.as_mut()?;
                if class == Class::Workload(crate::workload::WorkloadKind::Pod) {
                    name_namespace(value, &self.settings.namespace);
                }
                self.buf
                    .extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
                indent(self.buf, self.level + 2).ok()?;
                write_pretty(value, self.level + 2, self.buf).ok()?;
            }
            State::Patch { .. } => {
                if changed {
                    let patch = json_patch::diff(doc.original.as_ref()?, doc.value.as_ref()?);
                    let Value::Array(ops) = serde_json::to_value(patch).ok()? else {
                        return None;
                    };
                    for mut op in ops {
                        let Value::String(p) = op.get_mut("path")? else {
                            return None;
                        };
                        *p = format!("/items/{index}{p}");
                        self.ops
                            .extend_from_slice(if self.op_count == 0 { b"\n" } else { b",\n" });
                        self.op_count += 1;
                        indent(&mut self.ops, 3).ok()?;
                        write_pretty(&op, 3, &mut self.ops).ok()?;
                    }
                }
            }
        }
        Some(())
    }

    /// Before the first item.
    fn begin(&mut self, first: &PosNode) -> std::io::Result<()> {
        match &mut self.out.state {
            State::Yaml(writer) => {
                writer.begin(self.text, self.format, self.buf)?;
                self.body = self.buf.len();
                self.first_start = first.start as usize;
                self.layout = Some(ListLayout::guess(
                    self.text,
                    first,
                    self.format == Format::Json,
                ));
            }
            State::Json(stream) => {
                self.level = stream.begin(self.buf);
                self.items_at = self.buf.len();
            }
            State::Patch { .. } => {}
        }
        Ok(())
    }

    /// Ends the List, `chunk` its document without its items: whether it
    /// was written (else the caller injects it whole). A List whose items
    /// none went to [`ListRun::item`] is not.
    pub fn finish(mut self, chunk: crate::reader::Chunk) -> bool {
        self.items > 0 && !self.failed && self.end(chunk).is_some()
    }

    fn end(&mut self, chunk: crate::reader::Chunk) -> Option<()> {
        let root = chunk.value.as_ref()?;
        // What `Inputs::classify` reads as a List.
        let (_, kind) = document::type_meta(root).ok()?;
        if !(kind == "List" || kind.ends_with("List")) || !root.get("items")?.is_array() {
            return None;
        }
        if chunk.positions.unrepresentable.is_some() && self.read {
            return None;
        }
        match &mut self.out.state {
            State::Yaml(writer) => {
                if self.edited {
                    let mut root_pos = chunk.positions.into_root()?;
                    let PosChildren::Map(entries) = &mut root_pos.children else {
                        return None;
                    };
                    let (_, items) = entries.iter_mut().find(|(k, _)| k == "items")?;
                    items.children =
                        PosChildren::Seq(self.tail.drain(..).map(|(p, _)| p).collect());
                    let exact = edit::list_layout(self.text, &root_pos, self.first_start)?;
                    if Some(exact) != self.layout {
                        return None;
                    }
                }
                self.buf
                    .extend_from_slice(self.text.get(self.cursor..)?.as_bytes());
                let last = if self.buf.len() > self.body {
                    self.buf.last()
                } else {
                    None
                };
                writer.end(last);
            }
            State::Json(_) => {
                let Value::Object(map) = root else {
                    return None;
                };
                let level = self.level;
                let mut head = Vec::new();
                head.push(b'{');
                let mut keys = map.iter();
                let mut first = true;
                for (k, v) in keys.by_ref() {
                    head.extend_from_slice(if first { b"\n" } else { b",\n" });
                    first = false;
                    indent(&mut head, level + 1).ok()?;
                    serde_json::to_writer(&mut head, k).ok()?;
                    head.extend_from_slice(b": ");
                    if k == "items" {
                        head.push(b'[');
                        break;
                    }
                    write_pretty(v, level + 1, &mut head).ok()?;
                }
                let at = self.items_at;
                self.buf.splice(at..at, head);
                self.buf.push(b'\n');
                indent(self.buf, level + 1).ok()?;
                self.buf.push(b']');
                for (k, v) in keys {
                    self.buf.extend_from_slice(b",\n");
                    indent(self.buf, level + 1).ok()?;
                    serde_json::to_writer(&mut *self.buf, k).ok()?;
                    self.buf.extend_from_slice(b": ");
                    write_pretty(v, level + 1, self.buf).ok()?;
                }
                self.buf.push(b'\n');
                indent(self.buf, level).ok()?;
                self.buf.push(b'}');
            }
            State::Patch { entries } => {
                if self.op_count > 0 {
                    begin_entry(entries, self.buf);
                    self.buf.push(b'{');
                    for (k, v) in &super::patch::entry_head(root) {
                        self.buf.extend_from_slice(b"\n");
                        indent(self.buf, 2).ok()?;
                        serde_json::to_writer(&mut *self.buf, k).ok()?;
                        self.buf.extend_from_slice(b": ");
                        write_pretty(v, 2, self.buf).ok()?;
                        self.buf.push(b',');
                    }
                    self.buf.extend_from_slice(b"\n");
                    indent(self.buf, 2).ok()?;
                    self.buf.extend_from_slice(b"\"patch\": [");
                    self.buf.append(std::mem::take(&mut self.ops));
                    self.buf.push(b'\n');
                    indent(self.buf, 2).ok()?;
                    self.buf.extend_from_slice(b"]\n");
                    indent(self.buf, 1).ok()?;
                    self.buf.push(b'}');
                }
            }
        }
        Some(())
    }
}

/// `-o json`'s namespace of a Pod given without one (`name_pod_namespaces`).
fn name_namespace(pod: &mut Value, namespace: &str) {
    let ns = crate::namespace::pod_namespace(pod, namespace).to_string();
    if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        md.insert("namespace".into(), Value::String(ns));
    }
}
