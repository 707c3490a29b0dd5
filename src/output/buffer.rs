//! [`OutBuf`]: a run's output held in pieces of a mebibyte, for writers
//! that produce a document at a time but may still have to take back (or
//! put bytes in the middle of) what they wrote before any of it goes out.

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
