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

/// What pass 1 looks for besides the policy: a `ResourceList` input goes
/// where it went when everything was read first.
const RESOURCE_LIST: &str = "ResourceList";

/// Whether a chunk of input may hold a resource the policy reads (or a
/// `ResourceList`), judged without parsing it where its text tells. A kind
/// or name is a scalar whose value is its own text, except where an escape
/// (`\`, in double-quoted and JSON strings) spells it otherwise: folding
/// lines only adds breaks or spaces, and aliases and merge keys repeat text
/// of the same document. So text that shows none of the words holds none
/// of those resources, unless an escape may spell a letter of one; then
/// the parser's scalars, escapes decoded, decide.
pub fn may_hold_policy(chunk: &str) -> bool {
    let words = crate::cluster::WORDS.iter().chain([&RESOURCE_LIST]);
    if words.clone().any(|w| chunk.contains(w)) {
        return true;
    }
    let words: Vec<&str> = words.copied().collect();
    escape_may_spell_a_word(chunk, &words) && crate::reader::scalars_contain(chunk, &words)
}

/// Whether an escape in `chunk` may stand for part of a word: a numeric
/// escape (`\x41`, `\u0041`, `\U00000041`) of a character some word has,
/// or an escaped line break (which joins two lines with nothing between).
/// The others (`\n`, `\"`, `\\`, ...) stand for characters no word has, so
/// a word next to one still shows in the text. Anything not understood
/// counts as a yes.
fn escape_may_spell_a_word(chunk: &str, words: &[&str]) -> bool {
    let b = chunk.as_bytes();
    let mut at = 0;
    while let Some(i) = b[at..].iter().position(|&c| c == b'\\').map(|i| at + i) {
        at = i + 1;
        let digits = match b.get(i + 1) {
            Some(b'\n' | b'\r') => return true,
            Some(b'x') => 2,
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => continue,
        };
        let spelled = chunk
            .get(i + 2..i + 2 + digits)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match spelled {
            Some(c) if !words.iter().any(|w| w.contains(c)) => {}
            _ => return true,
        }
    }
    false
}

/// The inputs of a streaming run, split into chunks.
#[derive(Debug)]
pub struct Stream {
    /// Every input file; the documents it holds are those of the current
    /// step: the policy gathered by [`Stream::gather`], one chunk after
    /// [`Stream::read`].
    pub inputs: Inputs,
    /// Per file of `inputs.files`: its chunks, and the syntax error of a JSON
    /// stream that ends them.
    splits: Vec<(Vec<Span>, Option<ParseError>)>,
    /// The first `echoed` files are echoed (`-f`); the others are policy only.
    echoed: usize,
    /// Files [`Stream::gather`] has been through.
    gathered: usize,
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
    /// Splits the echoed (`-f`) inputs.
    pub fn new(echoed: Vec<SourceFile>) -> Self {
        let mut stream = Stream {
            inputs: Inputs::default(),
            splits: Vec::with_capacity(echoed.len()),
            echoed: echoed.len(),
            gathered: 0,
        };
        stream.add_files(echoed);
        stream
    }

    /// Adds and splits policy-only (`--sidecarset`) inputs.
    pub fn add_policy(&mut self, policy: Vec<SourceFile>) {
        self.add_files(policy);
    }

    fn add_files(&mut self, files: Vec<SourceFile>) {
        for file in files {
            self.splits.push(crate::reader::split_stream(&file.text));
            self.inputs.add_file(file);
        }
    }

    /// The echoed files (`-f`) and the policy-only ones, as given.
    pub fn into_files(self) -> (Vec<SourceFile>, Vec<SourceFile>) {
        let mut files = self.inputs.files;
        let policy = files.split_off(self.echoed.min(files.len()));
        (files, policy)
    }

    /// Pass 1 over the files added since the last call: adds to `inputs`
    /// the documents that hold policy (and the validating webhook's
    /// context), in input order. Echoed chunks that cannot hold any are not
    /// parsed; policy-only ones all are (they are never parsed again).
    pub fn gather(&mut self) -> Result<Gathered, InputError> {
        let mut found = Gathered::default();
        while self.gathered < self.splits.len() {
            let file = self.gathered;
            self.gathered += 1;
            let policy_only = file >= self.echoed;
            let (spans, error) = &self.splits[file];
            for span in spans {
                let text = &self.inputs.files[file].text[span.range.clone()];
                if !policy_only && !may_hold_policy(text) {
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
                    .any(|r| crate::cluster::needed(r.class, self.inputs.value(r)));
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

    /// Where chunk `id` is in its file.
    pub fn span(&self, id: ChunkId) -> Option<&Span> {
        self.splits.get(id.file).and_then(|(s, _)| s.get(id.chunk))
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
    /// `after` (`None`: one found before pass 2, so every chunk counts), from the
    /// echoed chunks after it: the first that does not parse or classify,
    /// or, with `decode` (the error at `after` is a refused pod), the first
    /// workload the API server cannot decode. Policy-only inputs need no
    /// look: they come after the echoed ones, and pass 1 parses all of them
    /// before anything is judged.
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
