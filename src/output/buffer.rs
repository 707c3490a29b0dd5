//! [`OutBuf`]: a run's output held in pieces of a mebibyte, for writers
//! that produce a document at a time but may still have to take back (or
//! put bytes in the middle of) what they wrote before any of it goes out.
//! Past 8 MiB the oldest pieces go to an anonymous temporary file, so that
//! a run's peak memory does not grow with its output.

use std::fs::File;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::OnceLock;

/// Output bytes, in pieces: a run's output grows to the size of its input
/// and more, and one buffer that doubles as it grows holds up to twice
/// that, copied at each step. Bytes can be put in the middle, and the end
/// cut off, cheaply.
///
/// At most 8 MiB (`MEMORY_LIMIT`, and the piece being filled) stay in
/// memory: the oldest whole pieces are written to a temporary file, made
/// at the first such write (a small output never touches the disk), and
/// read back where they are needed: [`OutBuf::copy`], [`OutBuf::last`],
/// [`OutBuf::write_to`]. What it holds is the same bytes either way.
///
/// Where the temporary file cannot be made or written (no writable
/// `TMPDIR`, a full disk), the bytes stay in memory, as they would without
/// a file. Where bytes written to it cannot be read back, the methods that
/// return nothing go on (with the length right, the bytes not), and the
/// error comes back from each later write through [`Write`] and from
/// [`OutBuf::write_to`], which then writes nothing: the only ways out for
/// what it holds.
#[derive(Debug)]
pub struct OutBuf {
    /// The bytes `spilled..len`, in order.
    pieces: Vec<Vec<u8>>,
    len: usize,
    /// Holds the bytes `0..spilled` at the same offsets. It may be longer:
    /// what lies past `spilled` is never read, and is written over.
    spill: Option<File>,
    spilled: usize,
    /// A piece written to the file, emptied, for the next piece.
    spare: Option<Vec<u8>>,
    /// The size of a new piece.
    piece: usize,
    /// The most bytes of whole pieces kept in memory.
    memory_limit: usize,
    /// Writing to a temporary file failed: no more bytes go to one.
    in_memory: bool,
    /// The first error reading bytes back from the file.
    error: OnceLock<io::Error>,
    /// Tests: each write to a temporary file fails, as on a full disk.
    #[cfg(test)]
    fail_writes: bool,
}

/// The size of a new piece.
const PIECE: usize = 1 << 20;

/// The most bytes of whole pieces an [`OutBuf`] keeps in memory.
const MEMORY_LIMIT: usize = 8 << 20;

/// The size of a block of bytes copied from the file.
const BLOCK: usize = 64 << 10;

impl Default for OutBuf {
    fn default() -> Self {
        OutBuf::with_limits(PIECE, MEMORY_LIMIT)
    }
}

impl OutBuf {
    /// Empty, with new pieces of `piece` bytes, and at most `memory_limit`
    /// bytes of whole pieces in memory.
    fn with_limits(piece: usize, memory_limit: usize) -> OutBuf {
        OutBuf {
            pieces: Vec::new(),
            len: 0,
            spill: None,
            spilled: 0,
            spare: None,
            piece: piece.max(1),
            memory_limit,
            in_memory: false,
            error: OnceLock::new(),
            #[cfg(test)]
            fail_writes: false,
        }
    }

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
        if let Some(last) = self.pieces.last_mut() {
            let room = last.capacity() - last.len();
            if room >= bytes.len() {
                last.extend_from_slice(bytes);
                self.len += bytes.len();
                return;
            }
            last.extend_from_slice(&bytes[..room]);
            self.len += room;
            bytes = &bytes[room..];
        }
        // Every piece is full: the oldest may go to the file.
        self.spill_over(0);
        let mut piece = match self.spare.take() {
            Some(spare) if spare.capacity() >= bytes.len() => spare,
            _ => Vec::with_capacity(self.piece.max(bytes.len())),
        };
        piece.extend_from_slice(bytes);
        self.len += bytes.len();
        self.pieces.push(piece);
    }

    /// Adds the byte `b` at the end.
    pub fn push(&mut self, b: u8) {
        self.extend_from_slice(&[b]);
    }

    /// The last byte, if any.
    pub fn last(&self) -> Option<u8> {
        if let Some(b) = self.pieces.iter().rev().find_map(|p| p.last().copied()) {
            return Some(b);
        }
        if self.spilled == 0 {
            return None;
        }
        let mut b = [0];
        self.read_spilled(&mut b, self.spilled - 1);
        Some(b[0])
    }

    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        if len < self.spilled {
            self.pieces.clear();
            self.spilled = len;
            self.len = len;
            if let Some(file) = &self.spill {
                // Only gives the disk back: the bytes past `spilled` are
                // never read, and the next spill writes over them.
                let _ = file.set_len(len as u64);
            }
            return;
        }
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

    /// The index of the piece that starts at byte `at` of the pieces (the
    /// byte `spilled + at` of the whole), splitting one.
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
    pub fn splice(&mut self, range: Range<usize>, with: Vec<u8>) {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        if start < self.spilled && !self.in_memory && self.rewrite(start..end, &with).is_ok() {
            return;
        }
        if start < self.spilled {
            // Writing a new file failed (or an earlier write did): the
            // bytes come back into memory, as if none had been written.
            self.unspill();
        }
        let from = self.split_at(start - self.spilled);
        let to = self.split_at(end - self.spilled);
        self.len = self.len - (end - start) + with.len();
        self.pieces.splice(from..to, std::iter::once(with));
        self.spill_over(1);
    }

    /// [`OutBuf::splice`] of a `range` that starts in the file: into a new
    /// file, the bytes before it, `with`, and the file's bytes after it, a
    /// block at a time. Leaves everything as it was where it fails.
    fn rewrite(&mut self, range: Range<usize>, with: &[u8]) -> io::Result<()> {
        self.writable()?;
        let new = new_spill_file()?;
        let Some(old) = &self.spill else {
            return Err(io::Error::other("no temporary file"));
        };
        let kept = range.end.min(self.spilled);
        let mut block = vec![0; BLOCK.min(self.spilled)];
        copy_within(old, 0..range.start, &new, 0, &mut block)?;
        write_at(&new, with, range.start)?;
        let at = range.start + with.len();
        copy_within(old, kept..self.spilled, &new, at, &mut block)?;
        // The bytes of `range` past the file are the first in memory.
        if range.end > self.spilled {
            let to = self.split_at(range.end - self.spilled);
            self.pieces.drain(..to);
        }
        self.len = self.len - range.len() + with.len();
        self.spilled = at + (self.spilled - kept);
        self.spill = Some(new);
        Ok(())
    }

    /// Reads the file's bytes back into memory and keeps them there, from
    /// now on.
    fn unspill(&mut self) {
        self.in_memory = true;
        let mut pieces = Vec::with_capacity(self.spilled.div_ceil(self.piece) + self.pieces.len());
        let mut at = 0;
        while at < self.spilled {
            let mut piece = vec![0; self.piece.min(self.spilled - at)];
            self.read_spilled(&mut piece, at);
            at += piece.len();
            pieces.push(piece);
        }
        pieces.append(&mut self.pieces);
        self.pieces = pieces;
        self.spill = None;
        self.spilled = 0;
    }

    /// A copy of the bytes `range`.
    pub fn copy(&self, range: Range<usize>) -> Vec<u8> {
        let end = range.end.min(self.len);
        let range = range.start.min(end)..end;
        let mut out = Vec::with_capacity(range.len());
        if range.start < self.spilled {
            out.resize(range.end.min(self.spilled) - range.start, 0);
            self.read_spilled(&mut out, range.start);
        }
        let mut start = self.spilled;
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
    pub fn append(&mut self, mut other: OutBuf) {
        if let Some(e) = other.error.take() {
            self.failed(e);
        }
        if let Some(file) = other.spill.take().filter(|_| other.spilled > 0) {
            let mut block = vec![0; BLOCK.min(other.spilled)];
            let mut at = 0;
            while at < other.spilled {
                let n = BLOCK.min(other.spilled - at);
                if let Err(e) = read_at(&file, &mut block[..n], at) {
                    self.failed(e);
                }
                self.extend_from_slice(&block[..n]);
                at += n;
            }
        }
        self.len += other.len - other.spilled;
        self.pieces.append(&mut other.pieces);
        self.spill_over(1);
    }

    /// Writes every byte to `out`; none where one cannot be read back.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        self.check()?;
        if let Some(file) = self.spill.as_ref().filter(|_| self.spilled > 0) {
            let mut block = vec![0; BLOCK.min(self.spilled)];
            let mut at = 0;
            while at < self.spilled {
                let n = BLOCK.min(self.spilled - at);
                read_at(file, &mut block[..n], at)?;
                out.write_all(&block[..n])?;
                at += n;
            }
        }
        for p in &self.pieces {
            out.write_all(p)?;
        }
        Ok(())
    }

    /// Writes the oldest pieces, all but the last `keep`, to the file until
    /// at most `memory_limit` bytes stay in memory.
    fn spill_over(&mut self, keep: usize) {
        let mut held = self.len - self.spilled;
        if held <= self.memory_limit || self.in_memory {
            return;
        }
        let mut n = 0;
        while held > self.memory_limit && n + keep < self.pieces.len() {
            held -= self.pieces[n].len();
            n += 1;
        }
        if n == 0 {
            return;
        }
        if self.spill.is_none() {
            match self.writable().and_then(|()| new_spill_file()) {
                Ok(file) => self.spill = Some(file),
                Err(_) => {
                    // No file (no writable TMPDIR, or no spilling on this
                    // system): the output stays in memory, the same bytes.
                    self.in_memory = true;
                    return;
                }
            }
        }
        let Some(file) = &self.spill else {
            return;
        };
        let mut written = 0;
        for p in &self.pieces[..n] {
            let done = self
                .writable()
                .and_then(|()| write_at(file, p, self.spilled));
            if done.is_err() {
                // A full disk, say: what the file holds stays good, the
                // rest stays in memory.
                self.in_memory = true;
                break;
            }
            self.spilled += p.len();
            written += 1;
        }
        for mut p in self.pieces.drain(..written) {
            if self.spare.is_none() && (self.piece..=2 * self.piece).contains(&p.capacity()) {
                p.clear();
                self.spare = Some(p);
            }
        }
    }

    /// Reads `buf.len()` bytes of the file from `at`, which lie before
    /// `spilled`; where it fails, keeps the error for
    /// [`OutBuf::write_to`].
    fn read_spilled(&self, buf: &mut [u8], at: usize) {
        let read = match &self.spill {
            Some(file) => read_at(file, buf, at),
            None => Err(io::Error::other("no temporary file")),
        };
        if let Err(e) = read {
            self.failed(e);
        }
    }

    /// Keeps `e` if it is the first error.
    fn failed(&self, e: io::Error) {
        let _ = self.error.set(e);
    }

    /// The error of a byte that could not be read back, if any.
    fn check(&self) -> io::Result<()> {
        match self.error.get() {
            None => Ok(()),
            Some(e) => Err(io::Error::new(
                e.kind(),
                format!("reading back the output's temporary file: {e}"),
            )),
        }
    }

    /// Whether a temporary file may be written (tests make it fail).
    fn writable(&self) -> io::Result<()> {
        #[cfg(test)]
        if self.fail_writes {
            return Err(io::Error::other("test: writes fail"));
        }
        Ok(())
    }
}

/// A new anonymous temporary file, in `TMPDIR`.
#[cfg(unix)]
fn new_spill_file() -> io::Result<File> {
    tempfile::tempfile()
}

/// Elsewhere, an output stays in memory.
#[cfg(not(unix))]
fn new_spill_file() -> io::Result<File> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Reads `buf.len()` bytes of `file` from offset `at`.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: usize) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at as u64)
}

/// Writes `bytes` into `file` at offset `at`.
#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: usize) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at as u64)
}

/// No file is ever made ([`new_spill_file`]).
#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: usize) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// No file is ever made ([`new_spill_file`]).
#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: usize) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Copies the bytes `range` of `from` into `to` at `at`, through `block`.
fn copy_within(
    from: &File,
    range: Range<usize>,
    to: &File,
    mut at: usize,
    block: &mut [u8],
) -> io::Result<()> {
    let mut next = range.start;
    while next < range.end {
        let n = block.len().min(range.end - next);
        read_at(from, &mut block[..n], next)?;
        write_at(to, &block[..n], at)?;
        next += n;
        at += n;
    }
    Ok(())
}

impl Write for OutBuf {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.check()?;
        self.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64: random enough to pick operations, and the same each run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A number in `0..n` (0 when `n` is 0).
        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }

        fn bytes(&mut self, max: usize) -> Vec<u8> {
            let n = self.below(max + 1);
            (0..n).map(|_| self.next() as u8).collect()
        }

        /// Up to `max` bytes, up to `more` one time in `one_in`.
        fn bytes_or_more(&mut self, one_in: usize, max: usize, more: usize) -> Vec<u8> {
            let max = if self.below(one_in) == 0 { more } else { max };
            self.bytes(max)
        }

        /// A range within `0..len`, at most `max` long.
        fn range(&mut self, len: usize, max: usize) -> Range<usize> {
            let start = self.below(len + 1);
            start..start + self.below((len - start).min(max) + 1)
        }
    }

    fn contents(buf: &OutBuf) -> Vec<u8> {
        let mut out = Vec::new();
        buf.write_to(&mut out).unwrap();
        out
    }

    /// Bytes in memory, and in its whole pieces (all but the last).
    fn held(buf: &OutBuf) -> (usize, usize) {
        let all: usize = buf.pieces.iter().map(Vec::len).sum();
        (all, all - buf.pieces.last().map_or(0, Vec::len))
    }

    /// A buffer of small pieces that keeps `limit` bytes in memory, with
    /// `bytes` written in `rng`'s pieces.
    fn filled(rng: &mut Rng, piece: usize, limit: usize, bytes: &[u8]) -> OutBuf {
        let mut buf = OutBuf::with_limits(piece, limit);
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = rng.below(rest.len()) + 1;
            buf.extend_from_slice(&rest[..n]);
            rest = &rest[n..];
        }
        buf
    }

    /// Random operations against a `Vec<u8>` holding the same bytes. With
    /// `fail_at`, writes to temporary files fail from the first step from
    /// there on where bytes are in the file (which stay there).
    fn against_model(seed: u64, steps: usize, fail_at: Option<usize>) {
        const PIECE: usize = 5;
        const LIMIT: usize = 16;
        let mut rng = Rng(seed);
        let mut buf = OutBuf::with_limits(PIECE, LIMIT);
        let mut model: Vec<u8> = Vec::new();
        let mut marks = vec![0];
        let mut spilled_ever = 0;
        let mut rewrites = 0;
        let mut fallbacks = 0;
        for step in 0..steps {
            if fail_at.is_some_and(|at| step >= at) && (buf.spilled > 50 || at_zero(fail_at)) {
                buf.fail_writes = true;
            }
            match rng.below(100) {
                0..=31 => {
                    let bytes = rng.bytes_or_more(10, 12, 100);
                    buf.extend_from_slice(&bytes);
                    model.extend_from_slice(&bytes);
                }
                32..=41 => {
                    let b = rng.next() as u8;
                    buf.push(b);
                    model.push(b);
                }
                42..=46 => {
                    let bytes = rng.bytes(30);
                    buf.write_all(&bytes).unwrap();
                    model.extend_from_slice(&bytes);
                }
                47..=51 => marks.push(model.len()),
                52..=55 => {
                    // Back to a mark, or anywhere, or a little.
                    let to = match rng.below(16) {
                        0 => marks[rng.below(marks.len())],
                        1 => rng.below(model.len() + 1),
                        2..=5 => marks[marks.len() - 1],
                        _ => model.len() - rng.below(model.len().min(20) + 1),
                    };
                    buf.truncate(to);
                    model.truncate(to);
                    marks.retain(|&m| m <= to);
                }
                56..=72 => {
                    // Splices take out a few bytes (a List's head), once
                    // in a while many.
                    let max = if rng.below(20) == 0 { usize::MAX } else { 40 };
                    let range = rng.range(model.len(), max);
                    let with = rng.bytes_or_more(10, 10, 60);
                    if range.start < buf.spilled {
                        rewrites += 1;
                        fallbacks += usize::from(buf.fail_writes);
                    }
                    buf.splice(range.clone(), with.clone());
                    model.splice(range, with);
                }
                73..=84 => {
                    let range = rng.range(model.len(), usize::MAX);
                    assert_eq!(buf.copy(range.clone()), model[range], "step {step}");
                }
                85..=93 => {
                    let bytes = rng.bytes_or_more(3, 20, 80);
                    let mut other = filled(&mut rng, PIECE, LIMIT, &bytes);
                    if rng.below(4) == 0 {
                        // Its end cut back past what it spilled.
                        let to = rng.below(bytes.len() + 1);
                        other.truncate(to);
                        model.extend_from_slice(&bytes[..to]);
                    } else {
                        model.extend_from_slice(&bytes);
                    }
                    buf.append(other);
                }
                _ => assert_eq!(contents(&buf), model, "step {step}"),
            }
            assert_eq!(buf.len(), model.len(), "step {step}");
            assert_eq!(buf.is_empty(), model.is_empty());
            assert_eq!(buf.last(), model.last().copied(), "step {step}");
            assert!(buf.error.get().is_none());
            if !buf.in_memory {
                let (_, whole) = held(&buf);
                assert!(whole <= LIMIT, "step {step}: {whole} bytes in memory");
            }
            spilled_ever = spilled_ever.max(buf.spilled);
            // A bounded model: a run's output is rolled back now and then.
            if model.len() > 3000 {
                let to = rng.below(200);
                buf.truncate(to);
                model.truncate(to);
                marks.retain(|&m| m <= to);
            }
        }
        assert_eq!(contents(&buf), model);
        // What was tried.
        if fail_at.is_none() {
            assert!(
                spilled_ever > 1000,
                "it spilled at most {spilled_ever} bytes"
            );
            assert!(rewrites > 100, "{rewrites} splices into the file");
        } else if at_zero(fail_at) {
            assert_eq!(spilled_ever, 0);
        } else {
            assert!(
                fallbacks > 0 && buf.in_memory,
                "{fallbacks} splices in memory"
            );
        }
    }

    fn at_zero(fail_at: Option<usize>) -> bool {
        fail_at == Some(0)
    }

    #[test]
    fn agrees_with_a_vec() {
        for seed in [1, 0x9e37_79b9_7f4a_7c15, 42] {
            against_model(seed, 4000, None);
        }
    }

    #[test]
    fn agrees_with_a_vec_when_the_disk_fills() {
        for (seed, at) in [(7, 0), (8, 300), (9, 2500)] {
            against_model(seed, 3000, Some(at));
        }
    }

    /// Past the limit, the oldest bytes are in a file, and memory holds
    /// no more than the limit and the piece being filled.
    #[test]
    fn spills_past_the_limit() {
        let mut buf = OutBuf::with_limits(64, 1024);
        let mut all = Vec::new();
        for i in 0..10_000u32 {
            let line = format!("line {i}\n");
            buf.extend_from_slice(line.as_bytes());
            all.extend_from_slice(line.as_bytes());
            assert!(held(&buf).0 <= 1024 + 64);
        }
        assert!(buf.spill.is_some());
        assert!(buf.spilled >= all.len() - 1024 - 64, "{}", buf.spilled);
        let file_len = buf.spill.as_ref().unwrap().metadata().unwrap().len();
        assert_eq!(file_len, buf.spilled as u64);
        assert_eq!(contents(&buf), all);

        // Back to a mark in the file, then on.
        buf.truncate(100);
        all.truncate(100);
        assert_eq!(buf.spilled, 100);
        assert_eq!(buf.spill.as_ref().unwrap().metadata().unwrap().len(), 100);
        assert_eq!(buf.last(), Some(all[99]));
        buf.extend_from_slice(&all.clone());
        all.extend_from_slice(&all.clone());
        assert_eq!(contents(&buf), all);
    }

    /// The default buffer keeps a small output, and its pieces, in memory.
    #[test]
    fn small_outputs_stay_in_memory() {
        let mut buf = OutBuf::default();
        let piece = vec![b'x'; PIECE];
        for _ in 0..MEMORY_LIMIT / PIECE {
            buf.extend_from_slice(&piece);
        }
        buf.extend_from_slice(b"more");
        assert!(buf.spill.is_none());
        assert_eq!(buf.len(), MEMORY_LIMIT + 4);
        buf.extend_from_slice(&piece);
        assert!(buf.spill.is_some());
        assert_eq!(buf.spilled, PIECE);
    }

    /// `-o json`'s end: the first value, at the very start and long since
    /// in the file, is copied and put back indented.
    #[test]
    fn splices_at_the_start_of_the_file() {
        let mut buf = OutBuf::with_limits(16, 64);
        let first = b"{\n    \"a\": 1\n}".to_vec();
        buf.extend_from_slice(&first);
        let mut all = first.clone();
        for i in 0..500 {
            let next = format!(",\n        {{\"b\": {i}}}");
            buf.extend_from_slice(next.as_bytes());
            all.extend_from_slice(next.as_bytes());
        }
        assert!(buf.spilled > 1000);
        assert_eq!(buf.copy(0..first.len()), first);
        let moved = b"[\n        {\n            \"a\": 1\n        }".to_vec();
        buf.splice(0..first.len(), moved.clone());
        all.splice(0..first.len(), moved);
        assert!(!buf.in_memory);
        assert!(buf.spilled > 1000);
        assert_eq!(contents(&buf), all);
        assert_eq!(buf.len(), all.len());
    }

    /// Where the file cannot take a splice (a full disk), its bytes come
    /// back into memory, and stay there.
    #[test]
    fn a_full_disk_brings_the_bytes_back() {
        let mut buf = OutBuf::with_limits(4, 8);
        let bytes: Vec<u8> = (0..100).collect();
        for b in &bytes {
            buf.push(*b);
        }
        assert!(buf.spilled > 80);
        buf.fail_writes = true;
        buf.splice(10..20, b"ten".to_vec());
        assert!(buf.in_memory && buf.spill.is_none() && buf.spilled == 0);
        buf.extend_from_slice(&bytes);
        let all = [&bytes[..10], b"ten", &bytes[20..], &bytes].concat();
        assert_eq!(buf.len(), all.len());
        assert_eq!(contents(&buf), all);
    }

    /// Where no file can be made, everything stays in memory.
    #[test]
    fn no_file_no_spill() {
        let mut buf = OutBuf::with_limits(8, 16);
        buf.fail_writes = true;
        let bytes: Vec<u8> = (0..=255).collect();
        buf.extend_from_slice(&bytes);
        buf.extend_from_slice(&bytes);
        assert!(buf.spill.is_none() && buf.in_memory);
        assert_eq!(buf.spilled, 0);
        assert_eq!(contents(&buf), [bytes.clone(), bytes].concat());
    }

    /// Bytes that cannot be read back: nothing goes out, and writing says
    /// why.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_unreadable_file_fails_the_output() {
        use std::os::fd::AsRawFd;
        let mut buf = OutBuf::with_limits(8, 16);
        for _ in 0..100 {
            buf.push(b'a');
        }
        let fd = buf.spill.as_ref().unwrap().as_raw_fd();
        // The same file, open for writing only.
        let write_only = std::fs::OpenOptions::new()
            .write(true)
            .open(format!("/proc/self/fd/{fd}"))
            .unwrap();
        buf.spill = Some(write_only);
        assert!(buf.write_all(b"b").is_ok());
        assert_eq!(buf.copy(0..4).len(), 4);
        assert_eq!(buf.len(), 101);
        let mut out = Vec::new();
        assert!(buf.write_to(&mut out).is_err());
        assert!(out.is_empty());
        assert!(buf.write_all(b"c").is_err());
        // Whoever it is appended to fails too.
        let mut to = OutBuf::default();
        to.append(buf);
        assert!(to.write_to(&mut out).is_err());
        assert!(out.is_empty());
    }
}
