//! `inject` one document at a time. Pass 1 gathers the policy from the
//! chunks of input that can hold it, found without parsing the others; pass
//! 2 parses, injects and writes each echoed chunk in turn and drops it. A
//! run holds the policy and one document, where reading everything first
//! held every document and its positions at once: an input is read again
//! for each pass ([`crate::reread`]), not held (except a JSON stream that
//! only the whole-text split splits exactly: a scalar at the top, a syntax
//! error).
//!
//! Errors are those of reading everything first: which error a run reports
//! depends on the order that path checks things in (every chunk parses
//! before any policy is judged; every workload decodes before any pod is
//! injected), so an error found while streaming is reported only after the
//! rest of the input is known not to hold one that comes first
//! ([`Stream::earlier_error`]).

use crate::document::{self, InputError, Inputs};
use crate::reader::{ParseError, Span};
use crate::reread::{Chunks, Reread};
use crate::source::{PathOrStdin, SourceError, SourceFile};
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
    /// The files the documents of the current step come from, and those
    /// documents: the policy gathered by [`Stream::gather`], one chunk after
    /// [`Stream::read`]. A YAML input read chunk by chunk is here as the
    /// chunks that hold policy and the current chunk, each its own
    /// [`SourceFile::part`].
    pub inputs: Inputs,
    /// The echoed (`-f`) inputs, in order.
    echoed: Vec<Echoed>,
    /// The policy-only (`--sidecarset`) inputs, held whole: their index in
    /// `inputs.files`, chunks and syntax error.
    policy: Vec<Whole>,
    /// Echoed inputs [`Stream::gather`] has been through.
    gathered_echoed: usize,
    /// Policy inputs [`Stream::gather`] has been through.
    gathered_policy: usize,
    /// Pass 2's place: the echoed input it is in, the chunks read of it,
    /// and its reader when it is read chunk by chunk.
    cursor: Option<Cursor>,
    /// Where the current chunk of an input read chunk by chunk is in
    /// `inputs.files`.
    slot: Option<usize>,
}

/// An input held whole: a JSON stream that only the whole-text split
/// splits exactly (see [`Reread::splits_alone`]), or a policy-only input.
#[derive(Debug)]
struct Whole {
    /// Index in [`Stream::inputs`]' files.
    file: usize,
    spans: Vec<Span>,
    error: Option<ParseError>,
}

/// An echoed input.
#[derive(Debug)]
enum Echoed {
    Whole(Whole),
    /// Read again for each pass, each chunk a [`SourceFile::part`] of its
    /// own: the whole lines it is on ([`Reread::chunks`]).
    Chunked {
        source: Reread,
        /// How many chunks pass 1 found.
        chunks: usize,
    },
}

#[derive(Debug)]
struct Cursor {
    file: usize,
    /// Chunks given so far.
    next: usize,
    reader: Option<Chunks>,
    /// The current chunk's span in its file of `inputs`.
    span: Option<Span>,
}

/// A chunk of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkId {
    /// Index among the echoed inputs.
    pub file: usize,
    /// Index among the chunks of the input.
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
    /// The echoed (`-f`) inputs, handed over as text.
    pub fn new(echoed: Vec<SourceFile>) -> Self {
        let sources = echoed
            .into_iter()
            .map(|f| Reread::from_text(f.name, f.text))
            .collect();
        Self::of(sources)
    }

    /// The echoed (`-f`) inputs, each read through once (see
    /// [`Reread::open`]; standard input is read at most once, as
    /// [`crate::source::read_all`] reads it).
    pub fn open(inputs: &[PathOrStdin]) -> Result<Self, SourceError> {
        let mut sources = Vec::with_capacity(inputs.len());
        let mut stdin_read = false;
        for input in inputs {
            if *input == PathOrStdin::Stdin {
                if stdin_read {
                    continue;
                }
                stdin_read = true;
            }
            sources.push(Reread::open(input)?);
        }
        Ok(Self::of(sources))
    }

    fn of(sources: Vec<Reread>) -> Self {
        let mut stream = Stream {
            inputs: Inputs::default(),
            echoed: Vec::with_capacity(sources.len()),
            policy: Vec::new(),
            gathered_echoed: 0,
            gathered_policy: 0,
            cursor: None,
            slot: None,
        };
        for source in sources {
            let echoed = if source.splits_alone() {
                Echoed::Chunked { source, chunks: 0 }
            } else {
                // A JSON stream that may not split as serde_json splits the
                // whole text (a scalar at the top, a syntax error): held
                // whole, for that split and its error.
                match source.whole() {
                    Ok(file) => Echoed::Whole(stream.hold(file)),
                    // Read through once already: only an input that changed
                    // since gets here; its chunks then report it.
                    Err(_) => Echoed::Chunked { source, chunks: 0 },
                }
            };
            stream.echoed.push(echoed);
        }
        stream
    }

    /// Adds `file` to `inputs`, split.
    fn hold(&mut self, file: SourceFile) -> Whole {
        let (spans, error) = crate::reader::split_stream(&file.text);
        Whole {
            file: self.inputs.add_file(file),
            spans,
            error,
        }
    }

    /// Adds and splits policy-only (`--sidecarset`) inputs.
    pub fn add_policy(&mut self, policy: Vec<SourceFile>) {
        for file in policy {
            let whole = self.hold(file);
            self.policy.push(whole);
        }
    }

    /// The echoed files (`-f`) and the policy-only ones, as given, whole.
    pub fn into_files(self) -> Result<(Vec<SourceFile>, Vec<SourceFile>), SourceError> {
        let mut files: Vec<Option<SourceFile>> = self.inputs.files.into_iter().map(Some).collect();
        let mut take = |i: usize| files.get_mut(i).and_then(Option::take);
        let mut echoed = Vec::with_capacity(self.echoed.len());
        for e in &self.echoed {
            match e {
                Echoed::Whole(w) => echoed.extend(take(w.file)),
                Echoed::Chunked { source, .. } => echoed.push(source.whole()?),
            }
        }
        let policy = self.policy.iter().filter_map(|w| take(w.file)).collect();
        Ok((echoed, policy))
    }

    /// Pass 1 over the inputs added since the last call: adds to `inputs`
    /// the documents that hold policy (and the validating webhook's
    /// context), in input order. Echoed chunks that cannot hold any are not
    /// parsed; policy-only ones all are (they are never parsed again).
    pub fn gather(&mut self) -> Result<Gathered, SourceError> {
        let mut found = Gathered::default();
        while self.gathered_echoed < self.echoed.len() {
            let at = self.gathered_echoed;
            self.gathered_echoed += 1;
            match &self.echoed[at] {
                Echoed::Whole(w) => {
                    let (file, spans, error) = (w.file, w.spans.clone(), w.error.clone());
                    for span in &spans {
                        let text = &self.inputs.files[file].text[span.range.clone()];
                        if may_hold_policy(text) {
                            self.gather_chunk(file, span, false, &mut found)?;
                        }
                    }
                    if let Some(e) = error {
                        return Err(self.located(file, e));
                    }
                }
                Echoed::Chunked { source, .. } => {
                    let mut chunks = source.chunks();
                    let mut count = 0;
                    while let Some(part) = chunks.next_part()? {
                        count += 1;
                        if !may_hold_policy(&part.file.text) {
                            continue;
                        }
                        let file = self.inputs.add_file(part.file);
                        if !self.gather_chunk(file, &part.span, false, &mut found)? {
                            // Nothing refers to it.
                            self.inputs.files.pop();
                        }
                    }
                    if let Echoed::Chunked { chunks, .. } = &mut self.echoed[at] {
                        *chunks = count;
                    }
                }
            }
        }
        while self.gathered_policy < self.policy.len() {
            let at = self.gathered_policy;
            self.gathered_policy += 1;
            let w = &self.policy[at];
            let (file, spans, error) = (w.file, w.spans.clone(), w.error.clone());
            for span in &spans {
                self.gather_chunk(file, span, true, &mut found)?;
            }
            if let Some(e) = error {
                return Err(self.located(file, e));
            }
        }
        Ok(found)
    }

    /// Parses chunk `span` of file `file` of `inputs` and keeps it if it
    /// holds what the policy reads: whether it was kept.
    fn gather_chunk(
        &mut self,
        file: usize,
        span: &Span,
        policy_only: bool,
        found: &mut Gathered,
    ) -> Result<bool, SourceError> {
        found.parsed += 1;
        self.inputs
            .parse_chunk(file, span, policy_only)
            .map_err(SourceError::Text)?;
        let Some(doc) = self.inputs.docs.last() else {
            return Ok(false);
        };
        found.resource_list |= !policy_only
            && doc
                .value
                .as_ref()
                .and_then(|v| v.get("kind"))
                .and_then(Value::as_str)
                == Some(RESOURCE_LIST);
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
        Ok(needed)
    }

    fn located(&self, file: usize, e: ParseError) -> SourceError {
        SourceError::Text(document::parse_error(&self.inputs.files[file], e))
    }

    /// How many echoed inputs there are (`ChunkId::file` below it).
    pub fn echoed_files(&self) -> usize {
        self.echoed.len()
    }

    /// How many chunks echoed input `file` has (before its syntax error, if
    /// any), once pass 1 has been through it.
    pub fn chunks(&self, file: usize) -> usize {
        match self.echoed.get(file) {
            Some(Echoed::Whole(w)) => w.spans.len(),
            Some(Echoed::Chunked { chunks, .. }) => *chunks,
            None => 0,
        }
    }

    /// The syntax error that ends the chunks of echoed input `file`, located.
    pub fn split_error(&self, file: usize) -> Option<SourceError> {
        match self.echoed.get(file)? {
            Echoed::Whole(w) => Some(self.located(w.file, w.error.clone()?)),
            Echoed::Chunked { .. } => None,
        }
    }

    /// Whether every echoed chunk is JSON (the output then stays a JSON
    /// stream).
    pub fn all_json(&self) -> bool {
        self.echoed.iter().all(|e| match e {
            Echoed::Whole(w) => w.spans.iter().all(|s| s.format == document::Format::Json),
            Echoed::Chunked { source, .. } => source.is_json(),
        })
    }

    /// Starts pass 2 over echoed input `file`: [`Stream::next_chunk`] gives
    /// its chunks from the first.
    pub fn start(&mut self, file: usize) {
        let reader = match self.echoed.get(file) {
            Some(Echoed::Chunked { source, .. }) => Some(source.chunks()),
            _ => None,
        };
        self.cursor = Some(Cursor {
            file,
            next: 0,
            reader,
            span: None,
        });
    }

    /// The next chunk of the input [`Stream::start`]ed, now current: its
    /// text is [`Stream::text`], its place [`Stream::span`] in file
    /// [`Stream::file_of`] of `inputs`. `None` after the last.
    pub fn next_chunk(&mut self) -> Result<Option<ChunkId>, SourceError> {
        let Some(cursor) = self.cursor.as_mut() else {
            return Ok(None);
        };
        let id = ChunkId {
            file: cursor.file,
            chunk: cursor.next,
        };
        cursor.span = None;
        match (&mut cursor.reader, self.echoed.get(cursor.file)) {
            (Some(reader), _) => {
                let Some(part) = reader.next_part()? else {
                    return Ok(None);
                };
                cursor.span = Some(part.span);
                match self.slot {
                    Some(slot) if slot < self.inputs.files.len() => {
                        self.inputs.files[slot] = part.file;
                    }
                    _ => self.slot = Some(self.inputs.add_file(part.file)),
                }
            }
            (None, Some(Echoed::Whole(w))) => match w.spans.get(cursor.next) {
                Some(span) => cursor.span = Some(span.clone()),
                None => return Ok(None),
            },
            (None, _) => return Ok(None),
        }
        cursor.next += 1;
        Ok(Some(id))
    }

    /// The file of `inputs` the current chunk is in.
    pub fn file_of(&self, id: ChunkId) -> usize {
        match self.echoed.get(id.file) {
            Some(Echoed::Whole(w)) => w.file,
            _ => self.slot.unwrap_or(usize::MAX),
        }
    }

    /// Pass 2's step: `inputs` holds the current chunk `id` alone, parsed
    /// and classified.
    pub fn read(&mut self, id: ChunkId) -> Result<(), InputError> {
        self.inputs.clear_documents();
        let Some(span) = self.span(id).cloned() else {
            return Ok(());
        };
        self.inputs.parse_chunk(self.file_of(id), &span, false)
    }

    /// Where the current chunk `id` is in its file of `inputs`.
    pub fn span(&self, id: ChunkId) -> Option<&Span> {
        let cursor = self.cursor.as_ref()?;
        if cursor.file != id.file || cursor.next != id.chunk + 1 {
            return None;
        }
        cursor.span.as_ref()
    }

    /// The text of the current chunk `id`.
    pub fn text(&self, id: ChunkId) -> &str {
        match (self.span(id), self.inputs.files.get(self.file_of(id))) {
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
    /// before anything is judged. Pass 2 ends here.
    pub fn earlier_error(&mut self, after: Option<ChunkId>, decode: bool) -> Option<SourceError> {
        let mut undecodable = None;
        // Pass 2 is at `after`: on from there.
        let (first, fresh) = after.map_or((0, true), |id| (id.file, false));
        for file in first..self.echoed.len() {
            if fresh || file != first {
                self.start(file);
            }
            loop {
                let id = match self.next_chunk() {
                    Ok(Some(id)) => id,
                    Ok(None) => break,
                    Err(e) => {
                        self.inputs.clear_documents();
                        return Some(e);
                    }
                };
                if let Err(e) = self.read(id) {
                    self.inputs.clear_documents();
                    return Some(SourceError::Text(e));
                }
                if decode && undecodable.is_none() {
                    undecodable = crate::decode::check_resources(
                        &self.inputs,
                        self.inputs.resources.iter().filter(|r| !r.policy_only),
                    )
                    .err()
                    .map(SourceError::Text);
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
