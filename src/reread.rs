//! Inputs read once per pass instead of held: `inject` reads a stream
//! twice (the policy first, then each document in turn), and holding a
//! fleet's manifests whole between the passes would bound its memory by the
//! stream, not by one document. A named file is read again from disk;
//! standard input, which can be read only once, is kept in memory while it
//! is small and copied to an unnamed temporary file once it is not.
//!
//! Opening an input reads it through once, as reading it whole does: the
//! errors of a file that cannot be read, or is not text, are those of
//! [`crate::source::read_all`], in the same order.

mod json;

use crate::reader::{Format, Span};
use crate::source::{self, PathOrStdin, SourceError, SourceFile};
use std::io::{BufRead, Read, Write};
use std::sync::Arc;

/// How much of standard input stays in memory before the rest goes to a
/// temporary file: small inputs (a chart's manifests) never touch the disk.
const STDIN_IN_MEMORY: usize = 4 << 20;

/// The size of a read.
const BLOCK: usize = 64 << 10;

/// A document this large is read into a window sized to the rest of the
/// input.
const LARGE: usize = 1 << 20;

/// An input that can be read from its start again, as many times as a run
/// needs, without being held.
#[derive(Clone, Debug)]
pub struct Reread {
    /// As errors show it (`<stdin>` for standard input).
    pub name: String,
    backing: Backing,
    /// Its size, in bytes.
    len: u64,
    /// Whether it is a JSON stream (its first character other than
    /// whitespace and byte-order marks is `{` or `[`, as
    /// [`crate::reader::split_stream`] decides).
    json: bool,
}

#[derive(Clone, Debug)]
enum Backing {
    /// Bytes held (small standard input, text handed over in memory).
    Memory(Held),
    /// A named file, or standard input copied to a temporary file.
    File(Arc<std::fs::File>),
}

impl Reread {
    /// Opens `input` and reads it through once: an input that cannot be
    /// read, or holds bytes no YAML parser accepts, fails here with the
    /// error reading it whole gives.
    pub fn open(input: &PathOrStdin) -> Result<Reread, SourceError> {
        match input {
            PathOrStdin::Stdin => Self::stdin(),
            PathOrStdin::Path(p) => {
                let name = p.display().to_string();
                let failed = |e: &std::io::Error| SourceError::Read {
                    path: name.clone(),
                    message: source::read_failure(p, e),
                };
                let file = std::fs::File::open(p).map_err(|e| failed(&e))?;
                let meta = file.metadata().map_err(|e| failed(&e))?;
                if meta.is_dir() {
                    return Err(SourceError::Directory { path: name });
                }
                if !meta.is_file() {
                    // A pipe (`-f <(helm template ...)`, a FIFO) or a device
                    // can be read only once, as standard input.
                    return Self::spooled(name, file, STDIN_IN_MEMORY);
                }
                let mut check = TextCheck::default();
                let size = usize::try_from(meta.len()).unwrap_or(BLOCK);
                let mut reader = std::io::BufReader::with_capacity(size.clamp(1, BLOCK), &file);
                loop {
                    let block = reader.fill_buf().map_err(|e| failed(&e))?;
                    if block.is_empty() {
                        break;
                    }
                    let n = block.len();
                    check.feed(block);
                    reader.consume(n);
                }
                Self::checked(name, &check, Backing::File(Arc::new(file)))
            }
        }
    }

    /// Text handed over in memory, as an input named `name`.
    pub fn from_text(name: String, text: String) -> Reread {
        let mut check = TextCheck::default();
        check.feed(text.as_bytes());
        Self::of(
            name,
            &check,
            Backing::Memory(Held(Arc::new(text.into_bytes()))),
        )
    }

    fn of(name: String, check: &TextCheck, backing: Backing) -> Reread {
        Reread {
            name,
            json: check.json == Some(true),
            len: check.len,
            backing,
        }
    }

    /// The input read through as `check` tells, or the error of one that
    /// is not text.
    fn checked(name: String, check: &TextCheck, backing: Backing) -> Result<Reread, SourceError> {
        let reread = Self::of(name, check, backing);
        if !check.is_text() {
            return Err(reread.not_text());
        }
        Ok(reread)
    }

    /// Standard input, read through: held while small, then spooled.
    fn stdin() -> Result<Reread, SourceError> {
        let name = "<stdin>".to_string();
        let failed = |e: &std::io::Error| SourceError::Read {
            path: "<stdin>".into(),
            message: e.to_string(),
        };
        if source::stdin_given() {
            let bytes = source::read_stdin().map_err(|e| failed(&e))?;
            return Self::held(name, bytes);
        }
        Self::spooled(name, std::io::stdin().lock(), STDIN_IN_MEMORY)
    }

    /// `reader` read through, held up to `in_memory` bytes and spooled to a
    /// temporary file past them.
    fn spooled(
        name: String,
        mut reader: impl Read,
        in_memory: usize,
    ) -> Result<Reread, SourceError> {
        let failed = |e: &std::io::Error| SourceError::Read {
            path: name.clone(),
            message: e.to_string(),
        };
        // Never grown by doubling: pages not yet written to are not memory
        // the process holds, and a doubling would hold twice the limit.
        let mut held = Vec::with_capacity(in_memory.saturating_add(BLOCK));
        let mut spool: Option<std::fs::File> = None;
        let mut check = TextCheck::default();
        let mut block = vec![0u8; BLOCK];
        loop {
            let n = match reader.read(&mut block) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(failed(&e)),
            };
            check.feed(&block[..n]);
            match spool.as_mut() {
                Some(file) => file
                    .write_all(&block[..n])
                    .map_err(|e| spool_failed(&name, &e))?,
                None => {
                    held.extend_from_slice(&block[..n]);
                    if held.len() >= in_memory {
                        // No temporary file to be had (no writable
                        // TMPDIR): the input stays in memory, as it did
                        // before inputs were spooled; nothing else changes.
                        if let Ok(mut file) = tempfile::tempfile() {
                            file.write_all(&held).map_err(|e| spool_failed(&name, &e))?;
                            held = Vec::new();
                            spool = Some(file);
                        }
                    }
                }
            }
        }
        let backing = match spool {
            Some(file) => Backing::File(Arc::new(file)),
            None => Backing::Memory(Held(Arc::new(held))),
        };
        Self::checked(name, &check, backing)
    }

    fn held(name: String, bytes: Vec<u8>) -> Result<Reread, SourceError> {
        let mut check = TextCheck::default();
        check.feed(&bytes);
        Self::checked(name, &check, Backing::Memory(Held(Arc::new(bytes))))
    }

    /// The error of an input that is not text: the one reading it whole
    /// gives (the first bad byte, located and quoted), found by reading it
    /// whole, as this happens once per run at most.
    fn not_text(&self) -> SourceError {
        match self.whole_bytes() {
            Ok(bytes) => match source::decode(&self.name, bytes) {
                Err(e) => e,
                // Only an input that changed between two reads gets here.
                Ok(_) => changed(&self.name),
            },
            Err(e) => SourceError::Read {
                path: self.name.clone(),
                message: e.to_string(),
            },
        }
    }

    /// Whether it is a JSON stream (its first character other than blanks
    /// and byte-order marks is `{` or `[`).
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Its bytes, read again.
    fn whole_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        self.reader().read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The whole input as one [`SourceFile`], read again.
    pub fn whole(&self) -> Result<SourceFile, SourceError> {
        let bytes = self.whole_bytes().map_err(|e| SourceError::Read {
            path: self.name.clone(),
            message: e.to_string(),
        })?;
        if bytes.len() as u64 != self.len {
            return Err(changed(&self.name));
        }
        let text = source::decode(&self.name, bytes)?;
        Ok(SourceFile::new(self.name.clone(), text))
    }

    /// A reader from its first byte.
    fn reader(&self) -> Box<dyn BufRead> {
        match &self.backing {
            Backing::Memory(bytes) => Box::new(std::io::Cursor::new(bytes.clone())),
            // Sized to the input: a directory of small manifests is read
            // again file by file, each with its own buffer.
            Backing::File(file) => Box::new(std::io::BufReader::with_capacity(
                usize::try_from(self.len).map_or(BLOCK, |len| len.clamp(1, BLOCK)),
                At {
                    file: Arc::clone(file),
                    at: 0,
                    len: self.len,
                },
            )),
        }
    }

    /// Its documents from the first, as [`crate::reader::split_stream`]
    /// splits the whole text. A JSON stream is split so only where
    /// [`Reread::splits_alone`] says it is.
    pub fn chunks(&self) -> Chunks {
        if self.json {
            return Chunks(Kind::Json(json::JsonChunks::new(
                self.name.clone(),
                self.reader(),
                false,
            )));
        }
        Chunks(Kind::Yaml(YamlChunks::new(
            self.name.clone(),
            self.reader(),
            self.len,
        )))
    }

    /// Whether it is read chunk by chunk ([`Reread::chunks`]), which splits
    /// it exactly as the whole-text split does: a YAML stream always; a JSON
    /// stream of more than one value, when every value is an object or an
    /// array that serde_json reads. Else it is held whole, and the
    /// whole-text split finds its chunks and its error (a single value is
    /// a chunk as large as the input anyway).
    pub fn splits_alone(&self) -> bool {
        if !self.json {
            return true;
        }
        if !json::holds_two_values(self.reader()) {
            return false;
        }
        let mut chunks = json::JsonChunks::new(self.name.clone(), self.reader(), true);
        loop {
            match chunks.next_part() {
                Ok(Some(_)) => {}
                Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }
}

/// Bytes held, shared by the readers of every pass (not copied into an
/// `Arc<[u8]>`, which would hold them twice while it is made).
#[derive(Clone, Debug)]
struct Held(Arc<Vec<u8>>);

impl AsRef<[u8]> for Held {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A named file read from a position of its own, so that each pass has its
/// reader (the file's own offset is shared by every handle to it).
struct At {
    file: Arc<std::fs::File>,
    at: u64,
    /// The size the first read found: the end, told without asking the
    /// system once more per pass.
    len: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = usize::try_from(self.len.saturating_sub(self.at)).unwrap_or(usize::MAX);
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = left.min(buf.len());
        let n = read_at(&self.file, &mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

fn spool_failed(name: &str, e: &std::io::Error) -> SourceError {
    SourceError::Read {
        path: name.to_string(),
        message: format!("copying the input to a temporary file: {e}"),
    }
}

fn changed(name: &str) -> SourceError {
    SourceError::Read {
        path: name.to_string(),
        message: "the input changed while it was being read".into(),
    }
}

/// What reading an input through tells: its size, whether it is text a
/// YAML parser accepts (UTF-8 without NUL), and whether it is a JSON
/// stream.
#[derive(Default)]
struct TextCheck {
    len: u64,
    /// The bytes of a character cut by the end of the last block.
    carry: Vec<u8>,
    bad: bool,
    /// Decided by the first character that is not whitespace or a BOM.
    json: Option<bool>,
}

impl TextCheck {
    fn feed(&mut self, block: &[u8]) {
        self.len += block.len() as u64;
        if self.bad {
            return;
        }
        if block.contains(&0) {
            self.bad = true;
            return;
        }
        let joined;
        let bytes = if self.carry.is_empty() {
            block
        } else {
            let mut j = std::mem::take(&mut self.carry);
            j.extend_from_slice(block);
            joined = j;
            &joined[..]
        };
        let valid = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() => {
                self.carry = bytes[e.valid_up_to()..].to_vec();
                // `valid_up_to` is a character boundary.
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(_) => {
                self.bad = true;
                return;
            }
        };
        if self.json.is_none() {
            if let Some(c) = valid
                .chars()
                .find(|c| !matches!(c, '\u{feff}' | ' ' | '\t' | '\r' | '\n'))
            {
                self.json = Some(c == '{' || c == '[');
            }
        }
    }

    fn is_text(&self) -> bool {
        !self.bad && self.carry.is_empty()
    }
}

/// The documents of a [`Reread`], one at a time: each as its own
/// [`SourceFile::part`] (the whole lines it is on, numbered as in the
/// input) and its [`Span`] in that text.
pub struct Chunks(Kind);

enum Kind {
    /// A YAML stream's documents.
    Yaml(YamlChunks),
    /// A JSON stream's values.
    Json(json::JsonChunks),
}

impl Chunks {
    /// The next document, `None` after the last.
    pub fn next_part(&mut self) -> Result<Option<Part>, SourceError> {
        match &mut self.0 {
            Kind::Yaml(c) => c.next_part(),
            Kind::Json(c) => c.next_part().map_err(|e| match e {
                json::Stop::Read(e) => e,
                // Split alone once already: only a changed input gets here.
                json::Stop::Odd => changed(&c.name),
            }),
        }
    }
}

/// A YAML stream's documents: the lines up to the next that starts with
/// `---` (kubectl's split).
struct YamlChunks {
    name: String,
    reader: Box<dyn BufRead>,
    len: u64,
    /// Bytes read and not given yet, from `window[from]` on (the start of
    /// the pending document); read a block at a time.
    window: Vec<u8>,
    from: usize,
    /// Searched for a separator up to here (no match starts before it).
    searched: usize,
    /// The input offset and line of `window[from]`.
    start: usize,
    line: usize,
    /// Documents given so far.
    given: usize,
    eof: bool,
    done: bool,
}

impl std::fmt::Debug for Chunks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, name) = match &self.0 {
            Kind::Yaml(c) => ("yaml", &c.name),
            Kind::Json(c) => ("json", &c.name),
        };
        f.debug_struct("Chunks")
            .field("kind", &kind)
            .field("name", name)
            .finish_non_exhaustive()
    }
}

/// One document of an input read by [`Chunks`].
#[derive(Debug)]
pub struct Part {
    /// The whole lines the document is on (a YAML document's are its own).
    pub file: SourceFile,
    /// Where it is in `file`, and on which line of the input it starts.
    pub span: Span,
    /// Where `file`'s text is in the input, in bytes.
    pub offset: usize,
}

impl YamlChunks {
    fn new(name: String, reader: Box<dyn BufRead>, len: u64) -> Self {
        YamlChunks {
            name,
            reader,
            len,
            window: Vec::new(),
            from: 0,
            searched: 0,
            start: 0,
            line: 1,
            given: 0,
            eof: false,
            done: false,
        }
    }

    /// The next document, `None` after the last: up to the next line that
    /// starts with `---`, found a block at a time.
    fn next_part(&mut self) -> Result<Option<Part>, SourceError> {
        if self.done {
            return Ok(None);
        }
        loop {
            // A line after the document's first: its own separator line
            // (at `from`) never ends it.
            let found = memchr::memmem::find(&self.window[self.searched..], b"\n---");
            if let Some(at) = found {
                let cut = self.searched + at + 1;
                return self.give(cut).map(Some);
            }
            if self.eof {
                self.done = true;
                if (self.start + self.window.len() - self.from) as u64 != self.len {
                    return Err(changed(&self.name));
                }
                // The last document; an empty input is one empty document.
                if self.from < self.window.len() || self.given == 0 {
                    let end = self.window.len();
                    return self.give(end).map(Some);
                }
                return Ok(None);
            }
            // A separator may straddle two blocks.
            self.searched = self.window.len().saturating_sub(3).max(self.from);
            self.fill()?;
        }
    }

    /// Reads the next block into the window, dropping what was given.
    fn fill(&mut self) -> Result<(), SourceError> {
        let block = self.reader.fill_buf().map_err(|e| SourceError::Read {
            path: self.name.clone(),
            message: e.to_string(),
        })?;
        if block.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let n = block.len().min(BLOCK);
        if self.from > 0 {
            self.window.drain(..self.from);
            self.searched -= self.from;
            self.from = 0;
        }
        if self.window.len() + n > self.window.capacity() && self.window.len() >= LARGE {
            // A large document (a List): the window grows to the rest of
            // the input at once, not by doubling, which would copy it and
            // hold it twice while it grows (pages never written to are not
            // memory the process holds).
            let read = self.start + self.window.len() - self.from;
            let rest = usize::try_from(self.len).map_or(n, |len| len.saturating_sub(read));
            self.window.reserve_exact(rest.max(n));
        }
        self.window.extend_from_slice(&block[..n]);
        self.reader.consume(n);
        Ok(())
    }

    /// The pending document, up to `cut` in the window.
    fn give(&mut self, cut: usize) -> Result<Part, SourceError> {
        self.given += 1;
        // Whichever is shorter is copied: the document, or what follows it
        // in the window (less than a block), so that a large document is
        // never held twice and small ones do not move the block each.
        let bytes = if cut - self.from > self.window.len() - cut {
            let tail = self.window.split_off(cut);
            let mut doc = std::mem::replace(&mut self.window, tail);
            doc.drain(..self.from);
            (self.from, self.searched) = (0, 0);
            doc
        } else {
            let doc = self.window[self.from..cut].to_vec();
            (self.from, self.searched) = (cut, cut);
            doc
        };
        let (offset, line) = (self.start, self.line);
        self.start += bytes.len();
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        self.make_part(bytes, offset, line)
    }

    fn make_part(&self, bytes: Vec<u8>, offset: usize, line: usize) -> Result<Part, SourceError> {
        let text = String::from_utf8(bytes).map_err(|_| changed(&self.name))?;
        let span = Span {
            range: 0..text.len(),
            line,
            format: Format::Yaml,
        };
        Ok(Part {
            file: SourceFile::part(self.name.clone(), text, line),
            span,
            offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every document [`Chunks`] gives, as (range in the input, line).
    fn parts(text: &str) -> Vec<(std::ops::Range<usize>, usize, String)> {
        let reread = Reread::from_text("t".into(), text.to_string());
        let mut chunks = reread.chunks();
        let mut out = Vec::new();
        while let Some(p) = chunks.next_part().expect("reads") {
            let start = p.offset;
            out.push((start..start + p.file.text.len(), p.span.line, p.file.text));
        }
        out
    }

    #[test]
    fn documents_are_those_of_the_whole_text_split() {
        let texts = [
            "",
            "\n",
            "a: 1\n",
            "a: 1",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n---\n---\nb: 2\n---",
            "--- a\n---b\n--- \n\n---\n",
            "a: |\n  ---\n---\r\nb: 2\r\n",
            "# c\n----\n---\n...\n",
        ];
        for text in texts {
            let (spans, error) = crate::reader::split_stream(text);
            assert!(error.is_none());
            let want: Vec<_> = spans
                .iter()
                .map(|s| (s.range.clone(), s.line, text[s.range.clone()].to_string()))
                .collect();
            assert_eq!(parts(text), want, "{text:?}");
            // Read a few bytes at a time: separators cut across blocks.
            for block in 1..5 {
                let reader = std::io::BufReader::with_capacity(
                    block,
                    std::io::Cursor::new(text.to_string()),
                );
                let mut chunks = YamlChunks::new("t".into(), Box::new(reader), text.len() as u64);
                let mut got = Vec::new();
                while let Some(p) = chunks.next_part().expect("reads") {
                    let start = p.offset;
                    got.push((start..start + p.file.text.len(), p.span.line, p.file.text));
                }
                assert_eq!(got, want, "{text:?} in blocks of {block}");
            }
        }
    }

    /// Every chunk [`Chunks`] gives of a JSON stream, as the whole-text
    /// split gives it: (range in the input, line, text of the chunk), and
    /// the lines of its part.
    #[test]
    fn json_values_are_those_of_the_whole_text_split() {
        let texts = [
            "{}",
            "{}\n",
            " \n{\"a\": 1}\n\n",
            "{\"a\": 1}\n{\"b\": [1, {\"c\": \"}]\\\"\"}]}\n",
            "{}{}[] {}\n\n[\n1,\n2\n]  \n {\"x\":\"y\"}",
            "[{\"kind\": \"List\"}]\r\n{\"a\": \"\\u00e9 é\"}\r\n",
        ];
        for text in texts {
            let reread = Reread::from_text("t".into(), text.to_string());
            let (spans, error) = crate::reader::split_stream(text);
            assert!(error.is_none());
            // A single value is held whole; the split is exact either way.
            assert!(reread.is_json());
            assert_eq!(reread.splits_alone(), spans.len() > 1, "{text:?}");
            let want: Vec<_> = spans
                .iter()
                .map(|s| (s.range.clone(), s.line, text[s.range.clone()].to_string()))
                .collect();
            let mut got = Vec::new();
            let mut chunks = reread.chunks();
            while let Some(p) = chunks.next_part().expect("reads") {
                let range = p.offset + p.span.range.start..p.offset + p.span.range.end;
                // The part holds the whole lines of the chunk, numbered as
                // in the input.
                let whole = crate::source::SourceFile::new("t".into(), text.to_string());
                let last = p.span.line + p.file.text[p.span.range.clone()].matches('\n').count();
                for n in p.span.line..=last {
                    if p.file.text[p.span.range.clone()].is_empty() {
                        break;
                    }
                    assert_eq!(p.file.line(n), whole.line(n), "{text:?} line {n}");
                }
                got.push((range, p.span.line, p.file.text[p.span.range].to_string()));
            }
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn a_second_value_is_found_without_holding_the_first() {
        let two = |t: &str| json::holds_two_values(t.as_bytes());
        assert!(two("{} {}"));
        assert!(two("[\"]\"]\n{\"a\": \"\\\"}{\"}"));
        assert!(!two("{}"));
        assert!(!two("  {\"a\": \"} {\"}\n"));
        assert!(!two("{\"a\": \"\\\"} {\"}"));
        assert!(!two("[1] 2"), "a scalar at the top");
        // Read a byte at a time, as a slow pipe may give it.
        let slow = std::io::BufReader::with_capacity(1, "{\"x\": \"y\"}\n[]".as_bytes());
        assert!(json::holds_two_values(slow));
    }

    #[test]
    fn json_streams_the_split_alone_cannot_tell_are_held() {
        for text in [
            "{} 1",
            "[1] {\"a\": }",
            "{\"a\": 1",
            "{}\n\u{feff}{}",
            "{\"a\": \"\t\"}",
        ] {
            let reread = Reread::from_text("t".into(), text.to_string());
            assert!(reread.is_json());
            assert!(!reread.splits_alone(), "{text:?}");
        }
    }

    #[test]
    fn a_large_document_between_small_ones_is_read_whole() {
        let big: String = (0..250_000).map(|i| format!("  - item{i}\n")).collect();
        assert!(big.len() > 2 * LARGE);
        let text = format!("a: 1\n---\nitems:\n{big}---\nb: 2\n");
        let (spans, _) = crate::reader::split_stream(&text);
        for block in [4096, BLOCK] {
            let reader =
                std::io::BufReader::with_capacity(block, std::io::Cursor::new(text.clone()));
            let mut chunks = YamlChunks::new("t".into(), Box::new(reader), text.len() as u64);
            for span in &spans {
                let p = chunks.next_part().expect("reads").expect("a part");
                assert_eq!(p.offset, span.range.start);
                assert_eq!(p.span.line, span.line);
                assert_eq!(p.file.text, text[span.range.clone()]);
            }
            assert!(chunks.next_part().expect("reads").is_none());
        }
    }

    #[test]
    fn a_part_keeps_the_input_line_numbers() {
        let reread = Reread::from_text("t".into(), "a: 1\n---\nb: 2\nc: 3\n".into());
        let mut chunks = reread.chunks();
        chunks.next_part().expect("reads");
        let second = chunks.next_part().expect("reads").expect("a second");
        assert_eq!(second.span.line, 2);
        assert_eq!(second.file.line(3), Some("b: 2"));
        assert_eq!(second.file.line(1), None);
        assert_eq!(second.file.line(5), None);
    }

    #[test]
    fn a_large_stream_is_spooled_and_read_again_whole() {
        let mut text = String::new();
        for i in 0..2_000 {
            text.push_str(&format!("---\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"));
        }
        let spooled = Reread::spooled("<stdin>".into(), text.as_bytes(), 1_000).expect("reads");
        assert!(
            matches!(spooled.backing, Backing::File(_)),
            "past the limit"
        );
        let held =
            Reread::spooled("<stdin>".into(), text.as_bytes(), text.len() + 1).expect("reads");
        assert!(matches!(held.backing, Backing::Memory(_)));
        for reread in [spooled, held] {
            // Twice: each pass reads from the start.
            for _ in 0..2 {
                let mut chunks = reread.chunks();
                let mut joined = String::new();
                let mut count = 0;
                while let Some(p) = chunks.next_part().expect("reads") {
                    assert_eq!(p.offset, joined.len());
                    joined.push_str(&p.file.text);
                    count += 1;
                }
                assert_eq!((count, joined.as_str()), (2_000, text.as_str()));
            }
            assert_eq!(reread.whole().expect("reads").text, text);
        }
    }

    #[test]
    fn bytes_that_are_not_text_fail_as_reading_them_whole_does() {
        let bytes = b"a: 1\n---\nb: \xC3(\n".to_vec();
        let want = crate::source::decode("<stdin>", bytes.clone())
            .expect_err("not UTF-8")
            .to_string();
        let got = Reread::spooled("<stdin>".into(), &bytes[..], 4)
            .expect_err("not UTF-8")
            .to_string();
        assert_eq!(got, want);
        assert!(want.contains(":3:4"), "{want}");
    }

    #[test]
    fn text_checks_across_blocks() {
        let text = "é".repeat(40_000) + "\n{";
        let mut check = TextCheck::default();
        // Blocks that cut characters in two.
        for block in text.as_bytes().chunks(7) {
            check.feed(block);
        }
        assert!(check.is_text());
        assert_eq!(check.json, Some(false));
        let mut check = TextCheck::default();
        check.feed("\u{feff}\n  ".as_bytes());
        check.feed(b" [1]");
        assert!(check.is_text());
        assert_eq!(check.json, Some(true));
        let mut check = TextCheck::default();
        check.feed(&[b'a', 0xC3]);
        assert!(!check.is_text(), "cut at the end of the input");
        let mut check = TextCheck::default();
        check.feed(b"a\0b");
        assert!(!check.is_text());
    }
}
