//! Unsigned decimal magnitudes of any size, as the few operations quantities
//! need. A value is always paired with a base-10 exponent by the caller
//! (`digits × 10^exp`), so huge exponents never materialise zeros.

use std::cmp::Ordering;

/// Decimal digits, most significant first, no leading zeros; zero is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Digits(Vec<u8>);

/// Beyond this many digits of alignment an addend is below any precision Go
/// could print; aligning further would only exhaust memory on absurd input.
const MAX_ALIGN: i64 = 100_000;

impl Digits {
    pub(crate) fn zero() -> Self {
        Digits(Vec::new())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn trimmed(mut v: Vec<u8>) -> Self {
        let lead = v.iter().take_while(|d| **d == 0).count();
        v.drain(..lead);
        Digits(v)
    }

    /// `v × 10^exp`, normalised (no trailing zeros).
    pub(crate) fn from_u128(v: u128, exp: i64) -> (Self, i64) {
        let digits = v.to_string().bytes().map(|c| c - b'0').collect();
        Self::trimmed(digits).strip_trailing_zeros(exp)
    }

    /// ASCII decimal digits (leading zeros allowed).
    pub(crate) fn from_decimal_str(s: &str) -> Option<Self> {
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(Self::trimmed(s.bytes().map(|c| c - b'0').collect()))
    }

    pub(crate) fn to_decimal_string(&self) -> String {
        if self.0.is_empty() {
            return "0".to_string();
        }
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Moves trailing zeros into the exponent.
    pub(crate) fn strip_trailing_zeros(mut self, exp: i64) -> (Self, i64) {
        if self.0.is_empty() {
            return (self, 0);
        }
        let tz = self.0.iter().rev().take_while(|d| **d == 0).count();
        self.0.truncate(self.0.len() - tz);
        (self, exp + tz as i64)
    }

    /// `self × 10^k` for a small `k >= 0`.
    pub(crate) fn shifted(&self, k: i64) -> Self {
        if self.0.is_empty() {
            return self.clone();
        }
        let mut v = self.0.clone();
        v.extend(std::iter::repeat_n(0, k.clamp(0, MAX_ALIGN) as usize));
        Digits(v)
    }

    /// `self × 10^k` as a `u128`, if it fits.
    pub(crate) fn to_u128_shifted(&self, k: i64) -> Option<u128> {
        if self.0.is_empty() {
            return Some(0);
        }
        if k < 0 || self.0.len() as i64 + k > 39 {
            return None;
        }
        let mut v: u128 = 0;
        for d in &self.0 {
            v = v.checked_mul(10)?.checked_add(u128::from(*d))?;
        }
        for _ in 0..k {
            v = v.checked_mul(10)?;
        }
        Some(v)
    }

    /// Magnitude order of `a × 10^ea` against `b × 10^eb`.
    pub(crate) fn cmp_scaled(a: &Digits, ea: i64, b: &Digits, eb: i64) -> Ordering {
        match (a.is_zero(), b.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        // Position of the most significant digit.
        let ta = a.0.len() as i64 + ea;
        let tb = b.0.len() as i64 + eb;
        if ta != tb {
            return ta.cmp(&tb);
        }
        let n = a.0.len().max(b.0.len());
        for i in 0..n {
            let da = a.0.get(i).copied().unwrap_or(0);
            let db = b.0.get(i).copied().unwrap_or(0);
            if da != db {
                return da.cmp(&db);
            }
        }
        Ordering::Equal
    }

    /// Aligns both to the smaller exponent (little-endian digit vectors).
    fn aligned(a: &Digits, ea: i64, b: &Digits, eb: i64) -> (Vec<u8>, Vec<u8>, i64) {
        let e = ea.min(eb);
        let le = |d: &Digits, ed: i64| -> Vec<u8> {
            let mut v: Vec<u8> =
                std::iter::repeat_n(0, (ed - e).clamp(0, MAX_ALIGN) as usize).collect();
            v.extend(d.0.iter().rev());
            v
        };
        (le(a, ea), le(b, eb), e)
    }

    fn from_le(mut v: Vec<u8>, e: i64) -> (Self, i64) {
        v.reverse();
        Self::trimmed(v).strip_trailing_zeros(e)
    }

    /// True when one operand is too far below the other to be aligned.
    fn negligible(small: &Digits, es: i64, big: &Digits, eb: i64) -> bool {
        !big.is_zero() && (eb - es) > MAX_ALIGN && (small.0.len() as i64 + es) < eb
    }

    /// `a×10^ea + b×10^eb`, normalised.
    pub(crate) fn add_scaled(a: &Digits, ea: i64, b: &Digits, eb: i64) -> (Self, i64) {
        if a.is_zero() || Self::negligible(a, ea, b, eb) {
            return b.clone().strip_trailing_zeros(eb);
        }
        if b.is_zero() || Self::negligible(b, eb, a, ea) {
            return a.clone().strip_trailing_zeros(ea);
        }
        let (x, y, e) = Self::aligned(a, ea, b, eb);
        let n = x.len().max(y.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u8;
        for i in 0..n {
            let s = x.get(i).copied().unwrap_or(0) + y.get(i).copied().unwrap_or(0) + carry;
            out.push(s % 10);
            carry = s / 10;
        }
        if carry > 0 {
            out.push(carry);
        }
        Self::from_le(out, e)
    }

    /// `a×10^ea − b×10^eb` for `a >= b`, normalised.
    pub(crate) fn sub_scaled(a: &Digits, ea: i64, b: &Digits, eb: i64) -> (Self, i64) {
        if b.is_zero() || Self::negligible(b, eb, a, ea) {
            return a.clone().strip_trailing_zeros(ea);
        }
        let (x, y, e) = Self::aligned(a, ea, b, eb);
        let mut out = Vec::with_capacity(x.len());
        let mut borrow = 0i8;
        for i in 0..x.len().max(y.len()) {
            let mut d = x.get(i).copied().unwrap_or(0) as i8
                - y.get(i).copied().unwrap_or(0) as i8
                - borrow;
            if d < 0 {
                d += 10;
                borrow = 1;
            } else {
                borrow = 0;
            }
            out.push(d as u8);
        }
        Self::from_le(out, e)
    }

    pub(crate) fn mul(&self, other: &Digits) -> Self {
        if self.is_zero() || other.is_zero() {
            return Self::zero();
        }
        let a: Vec<u32> = self.0.iter().rev().map(|d| u32::from(*d)).collect();
        let b: Vec<u32> = other.0.iter().rev().map(|d| u32::from(*d)).collect();
        let mut acc = vec![0u32; a.len() + b.len()];
        for (i, x) in a.iter().enumerate() {
            let mut carry = 0u32;
            for (j, y) in b.iter().enumerate() {
                let t = acc[i + j] + x * y + carry;
                acc[i + j] = t % 10;
                carry = t / 10;
            }
            let mut k = i + b.len();
            while carry > 0 {
                let t = acc[k] + carry;
                acc[k] = t % 10;
                carry = t / 10;
                k += 1;
            }
        }
        let le: Vec<u8> = acc.into_iter().map(|d| d as u8).collect();
        let mut v = le;
        v.reverse();
        Self::trimmed(v)
    }

    pub(crate) fn mul_small(&self, m: u32) -> Self {
        let mut out = Vec::with_capacity(self.0.len() + 10);
        let mut carry: u64 = 0;
        for d in self.0.iter().rev() {
            let t = u64::from(*d) * u64::from(m) + carry;
            out.push((t % 10) as u8);
            carry = t / 10;
        }
        while carry > 0 {
            out.push((carry % 10) as u8);
            carry /= 10;
        }
        out.reverse();
        Self::trimmed(out)
    }

    /// Quotient and remainder by a small divisor.
    pub(crate) fn divmod_small(&self, d: u32) -> (Self, u32) {
        let mut out = Vec::with_capacity(self.0.len());
        let mut rem: u64 = 0;
        for x in &self.0 {
            let cur = rem * 10 + u64::from(*x);
            out.push((cur / u64::from(d)) as u8);
            rem = cur % u64::from(d);
        }
        (Self::trimmed(out), rem as u32)
    }

    /// `self × 10^exp` truncated to a multiple of `10^scale` (`scale > exp`),
    /// as digits at exponent `scale`; and whether nothing was dropped.
    pub(crate) fn round_down_to(&self, exp: i64, scale: i64) -> (Self, bool) {
        let drop = scale - exp;
        if drop <= 0 {
            return (self.shifted(-drop), true);
        }
        let len = self.0.len() as i64;
        if drop >= len {
            return (Self::zero(), self.is_zero());
        }
        let keep = (len - drop) as usize;
        let exact = self.0[keep..].iter().all(|d| *d == 0);
        (Self::trimmed(self.0[..keep].to_vec()), exact)
    }

    /// Like [`Digits::round_down_to`] but rounding up (away from zero).
    pub(crate) fn round_up_to(&self, exp: i64, scale: i64) -> (Self, bool) {
        let (down, exact) = self.round_down_to(exp, scale);
        if exact {
            return (down, true);
        }
        let (m, e) = Self::add_scaled(&down, 0, &Digits(vec![1]), 0);
        // add_scaled normalises; undo it to keep the exponent at `scale`.
        (m.shifted(e), false)
    }
}
