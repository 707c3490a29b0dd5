//! [`Out`]: `inject`'s output written a document at a time, in any
//! [`Mode`], each document as soon as it is injected, the bytes those of
//! writing every document at once.

use super::buffer::OutBuf;
use super::json::write_pretty;
use super::YamlStream;
use crate::document::Inputs;
use std::io::Write;

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
                begin_entry(entries, buf);
                write_pretty(&super::patch::entry(before, after)?, 1, buf)
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
