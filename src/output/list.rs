//! `inject` over a `kind: List` item by item ([`ListRun`]): each item read
//! ([`crate::reader::parse_chunk_items`]), injected and written on its own,
//! its output the very bytes that injecting the whole List writes for it,
//! so a run holds the input text, its output, the policy and one item.
//! Where that cannot be known while reading (the List turns out to be no
//! List, an error, a change its text cannot carry in place, a layout its
//! first item did not tell), [`ListRun::finish`] says so, and the caller
//! drops what was written of the List and injects it whole, as a run that
//! reads everything first does. The writers it uses are here too: [`Out`]
//! (output a document at a time, in any [`Mode`]), [`OutBuf`] (the output
//! in pieces of a mebibyte) and kubectl's pretty JSON started at a depth.
//!
//! It lives with the writers rather than with the webhook over a stream
//! (`crate::stream`, `crate::pod_webhook`): what it decides, item by item,
//! is which bytes go out. It reaches into the state of [`Out`] (the YAML
//! stream's separators, the JSON stream's depth, the count of patch
//! entries), which stays private to `output`, and splices the [`OutBuf`]
//! behind what it wrote (the JSON List's head, its patch entry's head).
//! The webhook it calls is the one every document gets
//! ([`pod_webhook::inject_document`]), as `output::diff` calls it too.

use super::YamlStream;
use crate::document::{self, Class, Document, Inputs, Resource};
use crate::inject::Context;
use crate::pod_webhook::{self, Settings};
use crate::reader::{Format, Positions};
use crate::source::SourceFile;
use crate::yaml::edit::{self, ListLayout};
use crate::yaml::{PosChildren, PosNode};
use serde_json::Value;
use std::collections::VecDeque;
use std::io::Write;

/// Output bytes, in pieces: a run's output grows to the size of its input
/// and more, and one buffer that doubles as it grows holds up to twice
/// that, copied at each step. Bytes can be put in the middle, and the end
/// cut off, cheaply.
#[derive(Debug, Default)]
pub struct OutBuf {
    pieces: Vec<Vec<u8>>,
    len: usize,
}

/// The size of a new piece.
const PIECE: usize = 1 << 20;

impl OutBuf {
    /// How many bytes it holds: where the next byte goes, for a caller
    /// that may [`OutBuf::truncate`] back to it.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no byte.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `bytes` at the end, filling the last piece before starting a
    /// new one.
    pub fn extend_from_slice(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len();
        if let Some(last) = self.pieces.last_mut() {
            let room = last.capacity() - last.len();
            if room >= bytes.len() {
                last.extend_from_slice(bytes);
                return;
            }
            last.extend_from_slice(&bytes[..room]);
            bytes = &bytes[room..];
        }
        let mut piece = Vec::with_capacity(PIECE.max(bytes.len()));
        piece.extend_from_slice(bytes);
        self.pieces.push(piece);
    }

    /// Adds the byte `b` at the end.
    pub fn push(&mut self, b: u8) {
        self.extend_from_slice(&[b]);
    }

    /// The last byte, if any.
    pub fn last(&self) -> Option<u8> {
        self.pieces.iter().rev().find_map(|p| p.last().copied())
    }

    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        while self.len > len {
            let Some(last) = self.pieces.last_mut() else {
                break;
            };
            let keep = last.len().saturating_sub(self.len - len);
            self.len -= last.len() - keep;
            if keep == 0 {
                self.pieces.pop();
            } else {
                last.truncate(keep);
            }
        }
    }

    /// The index of the piece that starts at byte `at`, splitting one.
    fn split_at(&mut self, at: usize) -> usize {
        let mut start = 0;
        for i in 0..self.pieces.len() {
            let len = self.pieces[i].len();
            if at == start {
                return i;
            }
            if at < start + len {
                let tail = self.pieces[i].split_off(at - start);
                self.pieces.insert(i + 1, tail);
                return i + 1;
            }
            start += len;
        }
        self.pieces.len()
    }

    /// The bytes `range` replaced by `with`.
    pub fn splice(&mut self, range: std::ops::Range<usize>, with: Vec<u8>) {
        let from = self.split_at(range.start);
        let to = self.split_at(range.end);
        let removed: usize = self.pieces[from..to].iter().map(Vec::len).sum();
        self.len = self.len - removed + with.len();
        self.pieces.splice(from..to, std::iter::once(with));
    }

    /// A copy of the bytes `range`.
    pub fn copy(&self, range: std::ops::Range<usize>) -> Vec<u8> {
        let mut out = Vec::with_capacity(range.len());
        let mut start = 0;
        for p in &self.pieces {
            let (from, to) = (range.start.max(start), range.end.min(start + p.len()));
            if from < to {
                out.extend_from_slice(&p[from - start..to - start]);
            }
            start += p.len();
        }
        out
    }

    /// Moves the bytes of `other` to the end.
    pub fn append(&mut self, other: OutBuf) {
        self.len += other.len;
        self.pieces.extend(other.pieces);
    }

    /// Writes every byte to `out`.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        for p in &self.pieces {
            out.write_all(p)?;
        }
        Ok(())
    }
}

impl Write for OutBuf {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What output to write: the engine's side of `inject -o`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The input's text, changed nodes rewritten in place
    /// ([`write_yaml_stream`](super::write_yaml_stream)).
    Yaml,
    /// kubectl's JSON: one object alone, several in a `v1 List`
    /// ([`write_json`](super::write_json)).
    Json,
    /// One RFC 6902 patch per changed object
    /// ([`write_patches`](super::write_patches)).
    JsonPatch,
}

/// Where the output of a run stands between documents: what writing the
/// documents one at a time, each as soon as it is injected, has to
/// remember to give the bytes writing them all at once gives (the
/// function each [`Mode`] names). Cloned before a document that may have
/// to be written again, and put back with the output cut to its length.
#[derive(Clone, Debug)]
pub struct Out {
    pub(super) state: State,
}

/// [`Out`] per [`Mode`].
#[derive(Clone, Debug)]
pub(super) enum State {
    /// `-o yaml`: the input's text, changed nodes rewritten.
    Yaml(YamlStream),
    /// `-o json`: one object alone, several in a `v1 List`.
    Json(JsonStream),
    /// `-o json-patch`: an array of one entry per changed object.
    Patch {
        /// Entries written so far.
        entries: usize,
    },
}

impl Out {
    /// Output in `mode`, before the first document; `all_json`: whether
    /// every document that will be written was read as JSON (a stream of
    /// them stays JSON with [`Mode::Yaml`]).
    pub fn new(mode: Mode, all_json: bool) -> Out {
        let state = match mode {
            Mode::Yaml => State::Yaml(YamlStream::new(all_json)),
            Mode::Json => State::Json(JsonStream::default()),
            Mode::JsonPatch => State::Patch { entries: 0 },
        };
        Out { state }
    }

    /// Writes the one document `inputs` holds, injected (`changed`), read
    /// from `text` (with `-o json`, its pods named into their namespaces).
    pub fn document(
        &mut self,
        inputs: &Inputs,
        text: &str,
        changed: bool,
        buf: &mut OutBuf,
    ) -> std::io::Result<()> {
        let Some(doc) = inputs.docs.first() else {
            return Ok(());
        };
        match &mut self.state {
            State::Yaml(writer) => writer.write(text, doc, changed, buf),
            State::Json(stream) => {
                if let Some(value) = doc.value.as_ref() {
                    let level = stream.begin(buf);
                    write_pretty(value, level, buf)?;
                }
                Ok(())
            }
            State::Patch { entries } => {
                let (Some(before), Some(after)) = (doc.original.as_ref(), doc.value.as_ref())
                else {
                    return Ok(());
                };
                if !changed {
                    return Ok(());
                }
                let patch = json_patch::diff(before, after);
                let md = after.get("metadata");
                let entry = serde_json::json!({
                    "apiVersion": after.get("apiVersion"),
                    "kind": after.get("kind"),
                    "name": md.and_then(|m| m.get("name")),
                    "namespace": md.and_then(|m| m.get("namespace")),
                    "patch": patch,
                });
                begin_entry(entries, buf);
                write_pretty(&entry, 1, buf)
            }
        }
    }

    /// Ends the output: what follows the last document (or stands for
    /// none).
    pub fn finish(self, buf: &mut OutBuf) -> std::io::Result<()> {
        match self.state {
            State::Yaml(writer) => writer.finish(buf),
            State::Json(stream) => stream.finish(buf),
            State::Patch { entries: 0 } => buf.write_all(b"[]\n"),
            State::Patch { .. } => buf.write_all(b"\n]\n"),
        }
    }
}

/// Starts the next entry of `-o json-patch`'s array.
pub(super) fn begin_entry(entries: &mut usize, buf: &mut OutBuf) {
    buf.extend_from_slice(if *entries == 0 {
        b"[\n    "
    } else {
        b",\n    "
    });
    *entries += 1;
}

/// `-o json` as it goes: the first value is written alone; a second puts
/// both, and those after it, in a `v1 List` (`output::write_json`), the
/// first indented into it at the end (so that what was written before a
/// document never changes while it is written).
#[derive(Clone, Debug, Default)]
pub(super) struct JsonStream {
    values: usize,
    /// Where the first value starts and ends in the output.
    first: usize,
    first_end: usize,
}

const LIST_HEAD: &[u8] =
    b"{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [\n        ";
const LIST_NEXT: &[u8] = b",\n        ";
const LIST_TAIL: &[u8] =
    b"\n    ],\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n";

impl JsonStream {
    /// Starts the next value: the level of indentation to write it at.
    pub(super) fn begin(&mut self, buf: &mut OutBuf) -> usize {
        self.values += 1;
        match self.values {
            1 => {
                self.first = buf.len();
                0
            }
            n => {
                if n == 2 {
                    self.first_end = buf.len();
                }
                buf.extend_from_slice(LIST_NEXT);
                2
            }
        }
    }

    /// Ends the output: a second value put the first into the List.
    fn finish(self, buf: &mut OutBuf) -> std::io::Result<()> {
        match self.values {
            0 => super::write_json(&[], buf),
            1 => buf.write_all(b"\n"),
            _ => {
                // The first value goes into the List, two levels deeper: a
                // JSON text has line breaks only between tokens.
                let first = buf.copy(self.first..self.first_end);
                let mut moved = Vec::with_capacity(LIST_HEAD.len() + first.len() + first.len() / 4);
                moved.extend_from_slice(LIST_HEAD);
                for (i, line) in first.split(|&b| b == b'\n').enumerate() {
                    if i > 0 {
                        moved.extend_from_slice(b"\n        ");
                    }
                    moved.extend_from_slice(line);
                }
                buf.splice(self.first..self.first_end, moved);
                buf.write_all(LIST_TAIL)
            }
        }
    }
}

/// kubectl's pretty JSON (four spaces a level), for a value that starts
/// `level` levels deep: `serde_json::ser::PrettyFormatter`, started deeper.
struct Pretty {
    level: usize,
    has_value: bool,
}

/// `level` levels of kubectl's indentation (four spaces each).
pub(super) fn indent<W: ?Sized + Write>(w: &mut W, level: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = level * 4;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.level)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.level)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.level)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.level)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as `output::write_json_value` writes it (without the final line
/// break), `level` levels deep.
pub(super) fn write_pretty(
    value: &Value,
    level: usize,
    buf: &mut impl Write,
) -> std::io::Result<()> {
    let fmt = Pretty {
        level,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(buf, fmt);
    serde::Serialize::serialize(value, &mut ser).map_err(std::io::Error::other)
}

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
                    let md = root.get("metadata");
                    let head = serde_json::json!({
                        "apiVersion": root.get("apiVersion"),
                        "kind": root.get("kind"),
                        "name": md.and_then(|m| m.get("name")),
                        "namespace": md.and_then(|m| m.get("namespace")),
                    });
                    begin_entry(entries, self.buf);
                    self.buf.push(b'{');
                    let Value::Object(head) = head else {
                        return None;
                    };
                    for (k, v) in &head {
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
