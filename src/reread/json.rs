//! The values of a JSON stream one at a time, as
//! [`crate::reader::split_stream`] splits the whole text, without holding
//! it: for streams whose values are all objects or arrays (what `jq -c` and
//! `kubectl get -o json` print). Anything else (a scalar at the top, text
//! that is not JSON, nesting serde_json refuses) is [`Odd`]: the caller
//! then holds the input whole and splits it exactly, errors included.
//!
//! A value's chunk is what the whole-text split gives it: from the end of
//! the value before (blanks before it included) to its own end, the last
//! one up to the end of the input. Its [`Part`] holds the whole lines the
//! chunk is on, so an error quotes its line as a whole-text run does, even
//! where values share a line.

use super::Part;
use crate::reader::{Format, Span};
use crate::source::{SourceError, SourceFile};
use std::io::BufRead;

/// The stream is not one this splitter can tell apart exactly.
#[derive(Debug)]
pub(super) enum Stop {
    /// Read as it is, the stream may split otherwise (or not at all).
    Odd,
    /// The input could not be read.
    Read(SourceError),
}

/// What [`Scan::next`] finds in a JSON stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// A value (an object or an array) starts at this byte.
    Start(usize),
    /// The value ends before this byte.
    End(usize),
    /// A scalar at the top, or text that is not JSON.
    Odd,
}

/// Where values of a JSON stream start and end, found from their brackets
/// and strings alone: the one scanner of both [`JsonChunks`] and
/// [`holds_two_values`], fed the text a piece at a time.
#[derive(Debug, Default)]
struct Scan {
    depth: usize,
    string: bool,
    escaped: bool,
}

impl Scan {
    /// Scans `bytes` from `*at` to the next [`Event`], or to the end
    /// (`None`); `*at` is where it stopped.
    fn next(&mut self, bytes: &[u8], at: &mut usize) -> Option<Event> {
        // Eight spaces, read as one little-endian word: indentation is
        // skipped a word at a time.
        const EIGHT_SPACES: [u8; 8] = [b' '; 8];
        let n = bytes.len();
        while *at < n {
            if self.string {
                if self.escaped {
                    self.escaped = false;
                    *at += 1;
                    continue;
                }
                // Up to the next quote or backslash at once.
                match memchr::memchr2(b'"', b'\\', &bytes[*at..]) {
                    Some(i) => {
                        *at += i + 1;
                        if bytes[*at - 1] == b'"' {
                            self.string = false;
                        } else {
                            self.escaped = true;
                        }
                    }
                    None => *at = n,
                }
                continue;
            }
            let b = bytes[*at];
            *at += 1;
            match b {
                b'"' if self.depth > 0 => self.string = true,
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth == 1 {
                        return Some(Event::Start(*at - 1));
                    }
                }
                b'}' | b']' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(Event::End(*at));
                    }
                }
                b' ' | b'\n' => {
                    while bytes.get(*at..*at + 8) == Some(&EIGHT_SPACES[..]) {
                        *at += 8;
                    }
                }
                b'\t' | b'\r' => {}
                _ if self.depth > 0 => {}
                _ => return Some(Event::Odd),
            }
        }
        None
    }
}

/// The values of a JSON stream, one [`Part`] at a time.
pub(super) struct JsonChunks {
    pub(super) name: String,
    reader: Box<dyn BufRead>,
    /// Check each value with serde_json (the first read of an input, which
    /// decides whether it can be split here).
    check: bool,
    /// Whole lines, from the line the current chunk starts on.
    buf: Vec<u8>,
    /// The input line of `buf[0]`.
    first_line: usize,
    /// The input offset of `buf[0]`.
    base: usize,
    /// Where the current chunk starts in `buf`.
    chunk_at: usize,
    /// Where its value starts, and where it ends once scanned.
    value_at: Option<usize>,
    value_end: Option<usize>,
    /// Scanned up to here in `buf`.
    scanned: usize,
    scan: Scan,
    eof: bool,
}

impl JsonChunks {
    pub(super) fn new(name: String, reader: Box<dyn BufRead>, check: bool) -> Self {
        JsonChunks {
            name,
            reader,
            check,
            buf: Vec::new(),
            first_line: 1,
            base: 0,
            chunk_at: 0,
            value_at: None,
            value_end: None,
            scanned: 0,
            scan: Scan::default(),
            eof: false,
        }
    }

    /// The next value's chunk, `None` after the last.
    pub(super) fn next_part(&mut self) -> Result<Option<Part>, Stop> {
        loop {
            if self.scanned == self.buf.len() {
                if self.eof {
                    return self.last();
                }
                let n = self.reader.read_until(b'\n', &mut self.buf).map_err(|e| {
                    Stop::Read(SourceError::Read {
                        path: self.name.clone(),
                        message: e.to_string(),
                    })
                })?;
                if n == 0 {
                    self.eof = true;
                }
                continue;
            }
            if let Some(next) = self.scan()? {
                // A value ended and the next one starts at `next`.
                return self.give(next).map(Some);
            }
        }
    }

    /// Scans what is read: `Some(at)` where a value starts after one that
    /// ended (the chunk before it is complete).
    fn scan(&mut self) -> Result<Option<usize>, Stop> {
        while let Some(event) = self.scan.next(&self.buf, &mut self.scanned) {
            match event {
                Event::Start(at) if self.value_end.is_some() => return Ok(Some(at)),
                Event::Start(at) => self.value_at = Some(at),
                Event::End(at) => self.value_end = Some(at),
                // Told apart by the exact split only.
                Event::Odd => return Err(Stop::Odd),
            }
        }
        Ok(None)
    }

    /// The chunk ending where the value that starts at `next` does not:
    /// given, and `buf` moved on to the line `next`'s chunk starts on.
    fn give(&mut self, next: usize) -> Result<Part, Stop> {
        let end = self.value_end.take().ok_or(Stop::Odd)?;
        // The whole lines the chunk is on: up to the end of its last line.
        let line_end = self.buf[end..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.buf.len(), |i| end + i + 1);
        let part = self.part(end, &self.buf[..line_end])?;
        // The next chunk starts where this one ends, on the line `end` is on.
        let keep = self.buf[..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        self.first_line += self.buf[..keep].iter().filter(|&&b| b == b'\n').count();
        self.base += keep;
        self.buf.drain(..keep);
        self.chunk_at = end - keep;
        self.scanned -= keep;
        self.value_at = Some(next - keep);
        Ok(part)
    }

    /// The last chunk, up to the end of the input.
    fn last(&mut self) -> Result<Option<Part>, Stop> {
        if self.value_at.is_none() && self.value_end.is_none() && self.chunk_at == self.buf.len() {
            // Given already (or an empty input, which is not JSON).
            return Ok(None);
        }
        if self.value_end.is_none() {
            // The input ends inside a value, or holds none.
            return Err(Stop::Odd);
        }
        self.value_end = None;
        let all = std::mem::take(&mut self.buf);
        let end = all.len();
        let part = self.part(end, &all)?;
        self.chunk_at = 0;
        self.scanned = 0;
        self.value_at = None;
        Ok(Some(part))
    }

    /// The chunk from `chunk_at` to `end` of `lines`, `lines` its text.
    fn part(&self, end: usize, lines: &[u8]) -> Result<Part, Stop> {
        let value_at = self.value_at.ok_or(Stop::Odd)?;
        if self.check {
            let value = lines.get(value_at..end).ok_or(Stop::Odd)?;
            let value_end = value_at
                + value
                    .iter()
                    .rposition(|b| matches!(b, b'}' | b']'))
                    .map_or(0, |i| i + 1);
            // serde_json reads exactly this value here, as it reads it in
            // the whole text (where it ends at its closing bracket).
            serde_json::from_slice::<serde::de::IgnoredAny>(&lines[value_at..value_end])
                .map_err(|_| Stop::Odd)?;
        }
        let text = String::from_utf8(lines.to_vec()).map_err(|_| Stop::Odd)?;
        let line = self.first_line
            + lines[..self.chunk_at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        let span = Span {
            range: self.chunk_at..end,
            line,
            format: Format::Json,
        };
        Ok(Part {
            file: SourceFile::part(self.name.clone(), text, self.first_line),
            span,
            offset: self.base,
        })
    }
}

/// Whether the JSON stream `reader` reads holds a second value after its
/// first (both objects or arrays): found by scanning the text as it streams
/// by, holding none of it. A single value is a chunk as large as the
/// input, which is better held whole, as the whole-text split holds it.
pub(super) fn holds_two_values(mut reader: impl BufRead) -> bool {
    let (mut scan, mut ended) = (Scan::default(), false);
    loop {
        let block = match reader.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(block) => block,
        };
        let mut at = 0;
        while let Some(event) = scan.next(block, &mut at) {
            match event {
                Event::Start(_) if ended => return true,
                Event::Start(_) => {}
                Event::End(_) => ended = true,
                Event::Odd => return false,
            }
        }
        let n = block.len();
        reader.consume(n);
    }
}
