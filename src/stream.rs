//! `inject` one document at a time. Pass 1 gathers the policy from the
//! chunks of input that can hold it, found without parsing the others; pass
//! 2 parses, injects and writes each echoed chunk in turn and drops it. A
//! run holds the input text, the policy and one document, where reading
//! everything first held every document and its positions at once.
//!
//! Errors are those of reading everything first: which error a run reports
//! depends on the order that path checks things in (every chunk parses
//! before any policy is judged; every workload decodes before any pod is
//! injected), so an error found while streaming is reported only after the
//! rest of the input is known not to hold one that comes first
//! ([`Stream::earlier_error`]).

use crate::document::{self, InputError, Inputs};
use crate::reader::{ParseError, Span};
use crate::source::SourceFile;
use serde_json::Value;

/// The inputs of a streaming run, split into chunks.
#[derive(Debug)]
pub struct Stream {
    /// Every input file; the documents it holds are those of the current
    /// step: the policy after [`Stream::gather`], one chunk after
    /// [`Stream::read`].
    pub inputs: Inputs,
    /// Per file of `inputs.files`: its chunks, and the syntax error of a JSON
    /// stream that ends them.
    splits: Vec<(Vec<Span>, Option<ParseError>)>,
    /// The first `echoed` files are echoed (`-f`); the others are policy only.
    echoed: usize,
}

/// A chunk of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkId {
    /// Index in [`Stream::inputs`]' files.
    pub file: usize,
    /// Index among the chunks of the file.
    pub chunk: usize,
}

/// What pass 1 found besides the policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gathered {
    /// Chunks parsed (the others cannot hold policy).
    pub parsed: usize,
    /// An echoed document is a `ResourceList` (maybe a KRM function's
    /// input, which is not echoed document by document).
    pub resource_list: bool,
}

impl Stream {
    /// Splits `echoed` (`-f`) and `policy` (`--sidecarset`) inputs.
    pub fn new(echoed: Vec<SourceFile>, policy: Vec<SourceFile>) -> Self {
        let mut inputs = Inputs::default();
        let echoed_count = echoed.len();
        let mut splits = Vec::with_capacity(echoed_count + policy.len());
        for file in echoed.into_iter().chain(policy) {
            splits.push(crate::reader::split_stream(&file.text));
            inputs.add_file(file);
        }
        Stream {
            inputs,
            splits,
            echoed: echoed_count,
        }
    }

    /// The echoed files (`-f`) and the policy-only ones, as given.
    pub fn into_files(self) -> (Vec<SourceFile>, Vec<SourceFile>) {
        let mut files = self.inputs.files;
        let policy = files.split_off(self.echoed.min(files.len()));
        (files, policy)
    }

    /// Pass 1: leaves in `inputs` the documents that hold policy (and the
    /// validating webhook's context), in input order. Echoed chunks that
    /// cannot hold any are not parsed; policy-only ones all are (they are
    /// never parsed again).
    pub fn gather(&mut self) -> Result<Gathered, InputError> {
        self.inputs.clear_documents();
        let mut found = Gathered::default();
        for file in 0..self.splits.len() {
            let policy_only = file >= self.echoed;
            let (spans, error) = &self.splits[file];
            for span in spans {
                let text = &self.inputs.files[file].text[span.range.clone()];
                if !policy_only
                    && !crate::policy::may_hold_policy(text)
                    && !text.contains("ResourceList")
                {
                    continue;
                }
                found.parsed += 1;
                self.inputs.parse_chunk(file, span, policy_only)?;
                let Some(doc) = self.inputs.docs.last() else {
                    continue;
                };
                found.resource_list |= !policy_only
                    && doc
                        .value
                        .as_ref()
                        .and_then(|v| v.get("kind"))
                        .and_then(Value::as_str)
                        == Some("ResourceList");
                let doc = self.inputs.docs.len() - 1;
                let needed = self
                    .inputs
                    .resources
                    .iter()
                    .rev()
                    .take_while(|r| r.doc == doc)
                    .any(|r| crate::policy::needed(r.class, self.inputs.value(r)));
                if !needed {
                    self.inputs.pop_document();
                }
            }
            if let Some(e) = error {
                return Err(document::parse_error(&self.inputs.files[file], e.clone()));
            }
        }
        Ok(found)
    }

    /// The echoed files: chunks of files `0..echoed_files()` are echoed.
    pub fn echoed_files(&self) -> usize {
        self.echoed
    }

    /// How many chunks file `file` has (before its syntax error, if any).
    pub fn chunks(&self, file: usize) -> usize {
        self.splits.get(file).map_or(0, |(spans, _)| spans.len())
    }

    /// The syntax error that ends the chunks of file `file`, located.
    pub fn split_error(&self, file: usize) -> Option<InputError> {
        let (_, error) = self.splits.get(file)?;
        let e = error.clone()?;
        Some(document::parse_error(&self.inputs.files[file], e))
    }

    /// Whether every echoed chunk is JSON (the output then stays a JSON
    /// stream).
    pub fn all_json(&self) -> bool {
        self.splits[..self.echoed]
            .iter()
            .flat_map(|(spans, _)| spans)
            .all(|s| s.format == document::Format::Json)
    }

    /// Pass 2's step: `inputs` holds chunk `id` alone, parsed and classified.
    pub fn read(&mut self, id: ChunkId) -> Result<(), InputError> {
        self.inputs.clear_documents();
        let Some(span) = self.splits.get(id.file).and_then(|(s, _)| s.get(id.chunk)) else {
            return Ok(());
        };
        self.inputs
            .parse_chunk(id.file, span, id.file >= self.echoed)
    }

    /// The text of chunk `id`.
    pub fn text(&self, id: ChunkId) -> &str {
        let span = self.splits.get(id.file).and_then(|(s, _)| s.get(id.chunk));
        match (span, self.inputs.files.get(id.file)) {
            (Some(s), Some(f)) => f.text.get(s.range.clone()).unwrap_or_default(),
            _ => "",
        }
    }

    /// The error reading everything first reports before one found at chunk
    /// `after` (`None`: before the policy is judged), from the echoed chunks
    /// not yet read: the first that does not parse or classify, or, with
    /// `decode` (the error at `after` is a refused pod), the first workload
    /// the API server cannot decode. Policy-only chunks all parsed in pass 1.
    pub fn earlier_error(&mut self, after: Option<ChunkId>, decode: bool) -> Option<InputError> {
        let mut undecodable = None;
        let from = after.map_or((0, 0), |id| (id.file, id.chunk + 1));
        for file in from.0..self.echoed {
            let first = if file == from.0 { from.1 } else { 0 };
            for chunk in first..self.chunks(file) {
                if let Err(e) = self.read(ChunkId { file, chunk }) {
                    self.inputs.clear_documents();
                    return Some(e);
                }
                if decode && undecodable.is_none() {
                    undecodable = crate::decode::check_resources(
                        &self.inputs,
                        self.inputs.resources.iter().filter(|r| !r.policy_only),
                    )
                    .err();
                }
            }
            if let Some(e) = self.split_error(file) {
                self.inputs.clear_documents();
                return Some(e);
            }
        }
        self.inputs.clear_documents();
        undecodable
    }
}
