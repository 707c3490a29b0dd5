//! Kubernetes resource quantities (`k8s.io/apimachinery pkg/api/resource`,
//! v0.32), exact.
//!
//! What is observable and therefore reproduced: which texts parse and with
//! which error, the value (exact decimal, rounded up to nano on the slow
//! parse path, BinarySI capped at 2^63-1), the format, the canonical
//! `String()` and — because hashes and stored objects show it — when the
//! original text is kept (Go's cached `s`). Go keeps two internal
//! representations (int64 with scale, and `inf.Dec`); they only differ in a
//! few rounding corners of `MilliValue`, so a flag remembers which one Go
//! would be using.

use std::cmp::Ordering;
use std::fmt;

mod digits;

use digits::Digits;

/// Go's `resource.Format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `1e3`: a power-of-ten exponent.
    DecimalExponent,
    /// `1Ki`, `1Mi`: powers of two.
    BinarySI,
    /// `1k`, `100m`: decimal SI suffixes.
    DecimalSI,
}

/// Go's parse errors (`ErrFormatWrong`, `ErrNumeric`, `ErrSuffix`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The text is not a number with an optional suffix.
    FormatWrong,
    /// The number part cannot be read.
    Numeric,
    /// The suffix is not one Kubernetes knows.
    Suffix,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            ParseError::Numeric => "unable to parse numeric part of quantity",
            ParseError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for ParseError {}

/// Go's `resource.Scale` constants used by callers.
pub const NANO: i64 = -9;
/// Thousandths (`m`), the scale of CPU quantities.
pub const MILLI: i64 = -3;

/// A quantity: `±digits × 10^exp`, its format and the text Go would emit
/// verbatim (if any).
#[derive(Clone, Debug)]
pub struct Quantity {
    neg: bool,
    mag: Digits,
    exp: i64,
    format: Format,
    text: Option<String>,
    /// Go holds this value as an `inf.Dec` (slow parse path, or arithmetic
    /// that overflowed int64).
    dec: bool,
}

const MAX_INT64: i128 = i64::MAX as i128;

impl Quantity {
    /// `resource.NewQuantity(value, format)`.
    pub fn new(value: i64, format: Format) -> Self {
        Self::from_scaled(value as i128, 0, format)
    }

    /// `resource.NewMilliQuantity(value, format)`.
    pub fn new_milli(value: i64, format: Format) -> Self {
        Self::from_scaled(value as i128, MILLI, format)
    }

    /// `resource.NewScaledQuantity(value, scale)` (DecimalSI).
    pub fn new_scaled(value: i64, scale: i64) -> Self {
        Self::from_scaled(value as i128, scale, Format::DecimalSI)
    }

    fn from_scaled(value: i128, scale: i64, format: Format) -> Self {
        let (mag, exp) = Digits::from_u128(value.unsigned_abs(), scale);
        Quantity {
            neg: value < 0 && !mag.is_zero(),
            mag,
            exp,
            format,
            text: None,
            dec: false,
        }
    }

    /// `resource.ParseQuantity`. The caller trims surrounding spaces when
    /// decoding JSON (`UnmarshalJSON` does), this function does not.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        parse(s)
    }

    /// The format the canonical text is written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Sets the format the canonical text is written in (Go's `q.Format = f`).
    pub fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// The verbatim text Go keeps for serialization, if any.
    pub fn original_text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Whether the value is zero, whatever its format.
    pub fn is_zero(&self) -> bool {
        self.mag.is_zero()
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        if self.mag.is_zero() {
            0
        } else if self.neg {
            -1
        } else {
            1
        }
    }

    /// `Quantity.Cmp`.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        match (self.sign(), other.sign()) {
            (a, b) if a != b => a.cmp(&b),
            (0, _) => Ordering::Equal,
            (s, _) => {
                let m = Digits::cmp_scaled(&self.mag, self.exp, &other.mag, other.exp);
                if s < 0 {
                    m.reverse()
                } else {
                    m
                }
            }
        }
    }

    /// `Quantity.CmpInt64`.
    pub fn cmp_i64(&self, v: i64) -> Ordering {
        self.cmp_value(&Quantity::new(v, Format::DecimalSI))
    }

    /// `Quantity.Add`: exact; a zero receiver takes `y`'s format; the kept
    /// text is dropped.
    pub fn add(&mut self, y: &Quantity) {
        self.text = None;
        if self.is_zero() {
            self.format = y.format;
        }
        let was_dec = self.dec || y.dec;
        let (neg, mag, exp) = if self.neg == y.neg {
            let (m, e) = Digits::add_scaled(&self.mag, self.exp, &y.mag, y.exp);
            (self.neg, m, e)
        } else {
            match Digits::cmp_scaled(&self.mag, self.exp, &y.mag, y.exp) {
                Ordering::Less => {
                    let (m, e) = Digits::sub_scaled(&y.mag, y.exp, &self.mag, self.exp);
                    (y.neg, m, e)
                }
                _ => {
                    let (m, e) = Digits::sub_scaled(&self.mag, self.exp, &y.mag, y.exp);
                    (self.neg, m, e)
                }
            }
        };
        self.neg = neg && !mag.is_zero();
        self.mag = mag;
        self.exp = exp;
        // Go switches to inf.Dec when the int64 sum overflows.
        self.dec = was_dec
            || self
                .to_i128_at_min_scale()
                .is_none_or(|v| v.abs() > MAX_INT64);
    }

    /// `Quantity.Sub`.
    pub fn sub(&mut self, y: &Quantity) {
        let mut n = y.clone();
        n.neg_in_place();
        let fmt_if_zero = y.format;
        let zero = self.is_zero();
        self.add(&n);
        if zero {
            self.format = fmt_if_zero;
        }
    }

    /// `Quantity.Neg`.
    pub fn neg_in_place(&mut self) {
        self.text = None;
        if !self.mag.is_zero() {
            self.neg = !self.neg;
        }
    }

    /// `Quantity.Mul(y)`; returns whether the result still fits int64
    /// (Go's "exact" flag).
    pub fn mul_i64(&mut self, y: i64) -> bool {
        self.text = None;
        if y == 0 {
            self.mag = Digits::zero();
            self.exp = 0;
            self.neg = false;
            return true;
        }
        let (m, e) = Digits::from_u128(y.unsigned_abs() as u128, 0);
        let prod = self.mag.mul(&m);
        self.exp += e;
        self.mag = prod;
        self.neg = (self.neg != (y < 0)) && !self.mag.is_zero();
        self.normalize();
        match self.to_i128_at_min_scale() {
            Some(v) if v.abs() <= MAX_INT64 => true,
            _ => {
                self.dec = true;
                false
            }
        }
    }

    /// `Quantity.SetMilli`: value × 10^-3, format kept, text dropped.
    pub fn set_milli(&mut self, value: i64) {
        let format = self.format;
        *self = Quantity::new_milli(value, format);
    }

    /// `Quantity.RoundUp(scale)`: rounds away from zero to `scale`; the kept
    /// text survives only when nothing had to be rounded. Returns exactness.
    pub fn round_up(&mut self, scale: i64) -> bool {
        if self.dec {
            self.text = None;
        }
        if self.mag.is_zero() || self.exp >= scale {
            return true;
        }
        self.text = None;
        let (m, exact) = self.mag.round_up_to(self.exp, scale);
        self.mag = m;
        self.exp = scale;
        self.normalize();
        exact
    }

    /// `Quantity.Value()`: rounded up (away from zero) to an integer.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// `Quantity.MilliValue()`.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(MILLI)
    }

    /// `Quantity.ScaledValue(scale)`: `ceil(q / 10^scale)` as Go computes it
    /// (away from zero on the int64 path; overflow gives Go's values).
    pub fn scaled_value(&self, scale: i64) -> i64 {
        if self.mag.is_zero() {
            return 0;
        }
        if self.exp >= scale {
            // Scaling up: Go's int64 path reports 0 on overflow; the Dec path
            // wraps. Both are garbage for such values; keep the int64 one.
            let shift = self.exp - scale;
            return match self.mag.to_u128_shifted(shift) {
                Some(v) if v <= i64::MAX as u128 => {
                    let v = v as i64;
                    if self.neg {
                        -v
                    } else {
                        v
                    }
                }
                _ => 0,
            };
        }
        let (m, exact) = self.mag.round_down_to(self.exp, scale);
        let trunc = m.to_u128_shifted(0).unwrap_or(u128::MAX);
        let trunc = trunc.min(i64::MAX as u128) as i64;
        if exact {
            return if self.neg { -trunc } else { trunc };
        }
        if !self.neg {
            return trunc.saturating_add(1);
        }
        if self.dec {
            // inf.Dec path: truncated quotient + 1, i.e. towards +inf.
            1 - trunc
        } else {
            -(trunc.saturating_add(1))
        }
    }

    /// Approximate `f64` value (`AsApproximateFloat64`).
    pub fn as_f64(&self) -> f64 {
        let s = format!(
            "{}{}e{}",
            if self.neg { "-" } else { "" },
            self.mag.to_decimal_string(),
            self.exp
        );
        s.parse().unwrap_or(0.0)
    }

    /// The text Go's `MarshalJSON` / `String()` emits.
    pub fn to_go_string(&self) -> String {
        if let Some(t) = &self.text {
            return t.clone();
        }
        self.canonical()
    }

    /// `CanonicalizeBytes`, ignoring any kept text.
    pub fn canonical(&self) -> String {
        if self.mag.is_zero() {
            return "0".to_string();
        }
        let mut format = self.format;
        let mut rounded: Option<Digits> = None;
        if format == Format::BinarySI {
            if self.cmp_i64(-1024) == Ordering::Greater && self.cmp_i64(1024) == Ordering::Less {
                format = Format::DecimalSI;
            } else if self.exp >= 0 {
                rounded = Some(self.mag.shifted(self.exp));
            } else {
                let (m, exact) = self.mag.round_up_to(self.exp, 0);
                if exact {
                    rounded = Some(m);
                } else {
                    format = Format::DecimalSI;
                }
            }
        }
        let sign = if self.neg { "-" } else { "" };
        match (format, rounded) {
            (Format::BinarySI, Some(int)) => {
                let mut amount = int;
                let mut times: i64 = 0;
                loop {
                    let (q, r) = amount.divmod_small(1024);
                    if r != 0 || q.is_zero() {
                        break;
                    }
                    amount = q;
                    times += 1;
                }
                let suffix = match times {
                    1 => "Ki",
                    2 => "Mi",
                    3 => "Gi",
                    4 => "Ti",
                    5 => "Pi",
                    6 => "Ei",
                    _ => "",
                };
                format!("{sign}{}{suffix}", amount.to_decimal_string())
            }
            (format, _) => {
                // mag has no trailing zeros; floor the exponent to a multiple of 3.
                let e = self.exp;
                let big_e = e - e.rem_euclid(3);
                let mut mantissa = self.mag.to_decimal_string();
                for _ in 0..(e - big_e) {
                    mantissa.push('0');
                }
                // Go keeps exponents in int32.
                let big_e = big_e as i32;
                let suffix = if format == Format::DecimalExponent {
                    if big_e == 0 {
                        String::new()
                    } else {
                        format!("e{big_e}")
                    }
                } else {
                    decimal_suffix(big_e).to_string()
                };
                format!("{sign}{mantissa}{suffix}")
            }
        }
    }

    fn normalize(&mut self) {
        let (m, e) = std::mem::take(&mut self.mag).strip_trailing_zeros(self.exp);
        self.mag = m;
        self.exp = e;
        if self.mag.is_zero() {
            self.neg = false;
            self.exp = 0;
        }
    }

    /// The value as an integer count of its smallest unit when that is small
    /// enough, used to decide when Go would have left int64.
    fn to_i128_at_min_scale(&self) -> Option<i128> {
        let v = self.mag.to_u128_shifted(0)?;
        let v = i128::try_from(v).ok()?;
        Some(if self.neg { -v } else { v })
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_go_string())
    }
}

fn decimal_suffix(e: i32) -> &'static str {
    match e {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        // Go finds no suffix and emits none (0, and exponents out of range).
        _ => "",
    }
}

struct Split<'a> {
    positive: bool,
    value: &'a str,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`.
fn split(s: &str) -> Result<Split<'_>, ParseError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end {
        match b[0] {
            b'-' => {
                positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    let mut out = Split {
        positive,
        value: "",
        num: "",
        denom: "",
        suffix: "",
    };
    // leading zeros
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        out.num = "0";
        out.value = "0";
        return Ok(out);
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        out.num = &s[start..end];
        out.value = s;
        return Ok(out);
    }
    out.num = if pos == start { "0" } else { &s[start..pos] };
    if b[pos] == b'.' {
        pos += 1;
        let dstart = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos >= end {
            out.denom = &s[dstart..end];
            out.value = s;
            return Ok(out);
        }
        out.denom = &s[dstart..pos];
    }
    out.value = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos >= end {
        out.suffix = &s[suffix_start..];
        return Ok(out);
    }
    if b[pos] == b'-' || b[pos] == b'+' {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        out.suffix = &s[suffix_start..];
        return Ok(out);
    }
    Err(ParseError::FormatWrong)
}

/// `quantitySuffixer.interpret`: (base, exponent, format).
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let b = suffix.as_bytes();
            if b.len() > 1 && (b[0] == b'e' || b[0] == b'E') {
                let parsed = go_parse_int(&suffix[1..])?;
                // Go narrows the int64 to int32.
                Some((10, parsed as i32, Format::DecimalExponent))
            } else {
                None
            }
        }
    }
}

/// `strconv.ParseInt(s, 10, 64)`.
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn parse(s: &str) -> Result<Quantity, ParseError> {
    if s.is_empty() {
        return Err(ParseError::FormatWrong);
    }
    if s == "0" {
        let mut q = Quantity::new(0, Format::DecimalSI);
        q.text = Some(s.to_string());
        return Ok(q);
    }
    let sp = split(s)?;
    let (base, exponent, format) = interpret(sp.suffix).ok_or(ParseError::Suffix)?;

    // Fast path (int64 amount), which may keep the text.
    let mut mantissa: i64 = 1;
    let (nlen, dlen) = (sp.num.len() as i32, sp.denom.len() as i32);
    let (precision, mut scale) = match format {
        Format::DecimalExponent | Format::DecimalSI => (18 - (nlen + dlen), exponent),
        Format::BinarySI => {
            if exponent >= 0 && dlen == 0 {
                mantissa = 1i64 << exponent;
                // Go computes int32(float32(exponent)*3/10).
                let f = (exponent as f32) * 3.0 / 10.0;
                (15 - nlen - (f as i32) - 1, 0)
            } else {
                (-1, 0)
            }
        }
    };
    if precision >= 0 {
        scale -= dlen;
        if scale >= NANO as i32 {
            let shifted: std::borrow::Cow<str> = if sp.denom.is_empty() {
                sp.num.into()
            } else {
                format!("{}{}", sp.num, sp.denom).into()
            };
            let value: i64 = shifted.parse().map_err(|_| ParseError::Numeric)?;
            if let Some(result) = value.checked_mul(mantissa) {
                let result = if sp.positive { result } else { -result };
                let keep = match format {
                    Format::BinarySI => exponent % 10 == 0 && (value & 7) != 0,
                    _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
                };
                let mut q = Quantity::from_scaled(result as i128, scale as i64, format);
                if keep {
                    q.text = Some(s.to_string());
                }
                return Ok(q);
            }
        }
    }

    // Slow path (inf.Dec).
    let (mut mag, mut exp) = dec_from_text(sp.value).ok_or(ParseError::Numeric)?;
    let neg = sp.value.starts_with('-');
    if base == 10 {
        exp += exponent as i64;
    } else {
        for _ in 0..(exponent / 10) {
            mag = mag.mul_small(1024);
        }
        let (m, e) = mag.strip_trailing_zeros(exp);
        mag = m;
        exp = e;
    }
    let mut format = format;
    if !mag.is_zero() && exp < NANO {
        let (m, _) = mag.round_up_to(exp, NANO);
        let (m, e) = m.strip_trailing_zeros(NANO);
        mag = m;
        exp = e;
    }
    let mut q = Quantity {
        neg: false,
        mag,
        exp,
        format,
        text: None,
        dec: true,
    };
    q.normalize();
    if format == Format::BinarySI && q.cmp_i64(i64::MAX) == Ordering::Greater {
        let (m, e) = Digits::from_u128(i64::MAX as u128, 0);
        q.mag = m;
        q.exp = e;
    }
    if format == Format::BinarySI
        && q.cmp_i64(1) == Ordering::Less
        && q.cmp_i64(0) == Ordering::Greater
    {
        format = Format::DecimalSI;
        q.format = format;
    }
    q.neg = neg && !q.mag.is_zero();
    Ok(q)
}

/// `inf.Dec.SetString` on the numeric part Go hands it: optional sign,
/// digits, at most one `.`; at least one digit.
fn dec_from_text(v: &str) -> Option<(Digits, i64)> {
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let all: std::borrow::Cow<str> = if frac.is_empty() {
        int.into()
    } else {
        format!("{int}{frac}").into()
    };
    Some(Digits::from_decimal_str(&all)?.strip_trailing_zeros(-(frac.len() as i64)))
}

/// Reads a JSON value that Go decodes into a `resource.Quantity`: a string,
/// or a number taken as its text (Go's `UnmarshalJSON` trims spaces).
pub fn from_json(v: &serde_json::Value) -> Result<Quantity, ParseError> {
    match v {
        serde_json::Value::String(s) => Quantity::parse(s.trim()),
        serde_json::Value::Number(n) => Quantity::parse(&crate::quantity::number_text(n)),
        _ => Err(ParseError::FormatWrong),
    }
}

/// The text Go's JSON encoder gives a number that reached the API server as
/// an untyped value: integers as written, floats in Go's shortest form.
pub fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    go_float(n.as_f64().unwrap_or(0.0))
}

/// Go `encoding/json` float64 formatting: shortest round-trip digits, plain
/// notation for 1e-6 <= |x| < 1e21, else `e` notation with a two-digit-min
/// exponent cleaned to Go's form (`1e-07` -> `1e-7`).
pub fn go_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let abs = f.abs();
    // `{:e}` gives the shortest round-trip digits as d.ddddde±x.
    let sci = format!("{f:e}");
    let (mant, exp) = match sci.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (sci.clone(), 0),
    };
    if (1e-6..1e21).contains(&abs) {
        let neg = mant.starts_with('-');
        let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
        // value = 0.digits × 10^(exp+1)
        let point = exp + 1;
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if point <= 0 {
            out.push_str("0.");
            for _ in 0..(-point) {
                out.push('0');
            }
            out.push_str(&digits);
        } else if (point as usize) >= digits.len() {
            out.push_str(&digits);
            for _ in 0..(point as usize - digits.len()) {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
        out
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs()).replace("e-0", "e-")
    }
}

#[cfg(test)]
mod tests;
