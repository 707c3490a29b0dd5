//! OpenKruise's resources-expression calculator (`pkg/util/calculator`:
//! lexer.go, calculator.y), as far as validation needs it: parse and
//! evaluate with one variable bound, report the calculator's error.
//! Used by the webhook (resourcesPolicy at injection) and the linter.
//!
//! The parser is the LALR(1) automaton goyacc generated for Kruise
//! (calculator_y.go), run with the same tables. That keeps three things
//! exactly as in Go: nesting depth is limited by memory only (the parse stack
//! is a growing vector, like goyacc's, not the call stack), the cost is
//! linear in the input, and the semantic actions run in the same order —
//! including goyacc's default reductions on an erroneous lookahead — so
//! "the last error set wins" picks the same message.

use crate::quantity::{Format, Quantity};

/// A value of the calculator: what the bound variable holds and what an
/// expression evaluates to.
#[derive(Clone, Debug)]
pub enum Val {
    /// A plain number (a literal without a unit).
    Num(f64),
    /// A resource quantity such as `100m` or `1Gi`.
    Qty(Quantity),
}

/// A token. Texts are bytes: Go's lexer reads `rune(input[pos])`, so a
/// multi-byte character can be split between tokens.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    End,
    Number(Vec<u8>),
    Quantity(Vec<u8>),
    Ident(Vec<u8>),
    Char(u8),
}

impl Tok {
    /// goyacc's internal token number (`yylex1` through `yyTok1`/`yyTok2`):
    /// 1 `$end`, 3 `$unk`, then NUMBER QUANTITY IDENT + - * / UMINUS ( ) ,.
    fn code(&self) -> i32 {
        match self {
            Tok::End => 1,
            Tok::Number(_) => 4,
            Tok::Quantity(_) => 5,
            Tok::Ident(_) => 6,
            Tok::Char(b'+') => 7,
            Tok::Char(b'-') => 8,
            Tok::Char(b'*') => 9,
            Tok::Char(b'/') => 10,
            Tok::Char(b'(') => 12,
            Tok::Char(b')') => 13,
            Tok::Char(b',') => 14,
            Tok::Char(_) => 3,
        }
    }

    fn into_text(self) -> Vec<u8> {
        match self {
            Tok::Number(t) | Tok::Quantity(t) | Tok::Ident(t) => t,
            Tok::End | Tok::Char(_) => Vec::new(),
        }
    }
}

/// The lexer works on bytes, as Go's does (`rune(x.input[x.pos])`).
struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
}

fn is_letter(c: u8) -> bool {
    // Go's unicode.IsLetter on a byte taken as a Latin-1 rune.
    (c as char).is_alphabetic()
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

const UNITS: &[&[u8]] = &[
    b"m", b"k", b"M", b"G", b"T", b"P", b"Ki", b"Mi", b"Gi", b"Ti", b"Pi",
];

impl Lexer<'_> {
    fn peek(&self) -> u8 {
        self.b.get(self.pos).copied().unwrap_or(0)
    }

    /// Go's `next`: past the end it stays put and reads 0; a NUL byte is
    /// consumed and also reads 0 (which `Lex` takes as the end).
    fn advance(&mut self) -> u8 {
        match self.b.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                c
            }
            None => 0,
        }
    }

    /// Go's `line`/`col` after what has been consumed: one column per byte.
    fn position(&self) -> (usize, usize) {
        let done = &self.b[..self.pos];
        let line = 1 + done.iter().filter(|&&c| c == b'\n').count();
        let line_start = done.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
        (line, self.pos - line_start + 1)
    }

    fn read_number(&mut self) -> Vec<u8> {
        let start = self.pos;
        let (mut dot, mut e, mut pct, mut expect_exp) = (false, false, false, false);
        loop {
            let r = self.peek();
            if r == 0 {
                break;
            }
            if r.is_ascii_digit() {
                expect_exp = false;
                self.pos += 1;
                continue;
            }
            if r == b'.' {
                if dot || e || pct {
                    break;
                }
                dot = true;
                self.pos += 1;
                continue;
            }
            if r == b'e' || r == b'E' {
                if e || pct {
                    break;
                }
                e = true;
                expect_exp = true;
                self.pos += 1;
                continue;
            }
            if r == b'+' || r == b'-' {
                if !expect_exp {
                    break;
                }
                expect_exp = false;
                self.pos += 1;
                continue;
            }
            if r == b'%' {
                if pct {
                    break;
                }
                pct = true;
                self.pos += 1;
                continue;
            }
            if is_letter(r) {
                if expect_exp {
                    break;
                }
                while is_letter(self.peek()) {
                    self.pos += 1;
                }
                break;
            }
            break;
        }
        self.b[start..self.pos].to_vec()
    }

    /// Go's `isQuantity`: the numeric part ends at the first rune (decoded
    /// as UTF-8, as `range` does) that is not a digit or one of `.eE+-`; a
    /// non-empty numeric part followed by exactly a unit is a quantity.
    fn is_quantity(s: &[u8]) -> bool {
        let end = go_runes(s)
            .find(|&(_, c)| !(is_go_digit(c) || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
            .map_or(0, |(i, _)| i);
        end != 0 && UNITS.contains(&&s[end..])
    }

    /// Go's `Lex`.
    fn lex(&mut self) -> Tok {
        while is_space(self.peek()) {
            self.pos += 1;
        }
        let r = self.advance();
        match r {
            0 => Tok::End,
            b'+' | b'-' | b'*' | b'/' | b'(' | b')' | b',' => Tok::Char(r),
            _ if r == b'.' || r.is_ascii_digit() => {
                self.pos -= 1;
                let n = self.read_number();
                if Self::is_quantity(&n) {
                    Tok::Quantity(n)
                } else {
                    Tok::Number(n)
                }
            }
            _ if is_letter(r) => {
                self.pos -= 1;
                let start = self.pos;
                while {
                    let c = self.peek();
                    c != 0 && (is_letter(c) || c.is_ascii_digit() || c == b'_')
                } {
                    self.pos += 1;
                }
                Tok::Ident(self.b[start..self.pos].to_vec())
            }
            _ => Tok::Char(r),
        }
    }
}

/// Go's `for i, r := range s`: an invalid byte is one U+FFFD.
fn go_runes(s: &[u8]) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let rest = s.get(i..).filter(|r| !r.is_empty())?;
        let chunk = &rest[..rest.len().min(4)];
        let valid = match std::str::from_utf8(chunk) {
            Ok(v) => v,
            Err(e) => std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or(""),
        };
        let (c, width) = valid
            .chars()
            .next()
            .map_or((char::REPLACEMENT_CHARACTER, 1), |c| (c, c.len_utf8()));
        let at = i;
        i += width;
        Some((at, c))
    })
}

/// Go's `unicode.IsDigit` (general category Nd).
fn is_go_digit(c: char) -> bool {
    static ND: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\p{Nd}$").ok());
    c.is_ascii_digit()
        || (!c.is_ascii()
            && ND
                .as_ref()
                .is_some_and(|re| re.is_match(c.encode_utf8(&mut [0; 4]))))
}

/// A Go string as text: each invalid byte becomes U+FFFD, as Go's JSON
/// encoder writes it into the admission response.
fn go_text(s: &[u8]) -> String {
    go_runes(s).map(|(_, c)| c).collect()
}

/// Go's `strings.ToLower` (simple case mapping, one rune for one).
fn go_lower(s: &[u8]) -> String {
    go_runes(s)
        .map(|(_, c)| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

/// `strconv.ParseFloat(s, 64)`: the value Go returns and whether it came
/// with an error (syntax: 0; overflow: ±Inf). Number words start with a
/// digit or `.`, so Rust's extra `inf`/`nan` spellings cannot occur.
fn parse_float(t: &[u8]) -> (f64, bool) {
    match std::str::from_utf8(t)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        Some(v) => (v, v.is_finite()),
        None => (0.0, false),
    }
}

/// `parseNumber` as the NUMBER action uses it (`num, _ :=`); `None` where
/// Go's value is the 0 that comes with an error. A `%` word that overflows
/// also gives 0 (`parseNumber` returns 0 on any error there), a plain one
/// gives ±Inf.
fn number_value(t: &[u8]) -> Option<f64> {
    match t.strip_suffix(b"%") {
        Some(n) => match parse_float(n) {
            (v, true) => Some(v / 100.0),
            (_, false) => None,
        },
        None => match parse_float(t) {
            (v, ok) if ok || v != 0.0 => Some(v),
            _ => None,
        },
    }
}

/// Go's `int64(f)` as compiled for amd64 (where Kruise's webhook runs):
/// truncation, and for NaN or a value outside int64 the "integer
/// indefinite" `-2^63` that CVTTSD2SQ returns. Rust's `as` saturates
/// instead, which would turn an overflowing product into a huge positive
/// quantity where Kruise reports a negative result.
fn go_int64(f: f64) -> i64 {
    // 2^63 is exact in f64; every f64 below it and >= -2^63 truncates into range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

fn to_qty(v: &Val) -> Quantity {
    match v {
        Val::Qty(q) => q.clone(),
        Val::Num(n) => Quantity::new_milli(go_int64(n * 1000.0), Format::DecimalSI),
    }
}

/// Go's `%g` for a float64: shortest round-trip digits, `e` notation when
/// the decimal exponent is below -4 or at least 6 (two-digit minimum).
fn go_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-Inf" } else { "+Inf" }.into();
    }
    let sci = format!("{f:e}");
    let (mant, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    if f != 0.0 && !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

// goyacc's tables for Kruise's calculator.y (calculator_y.go, v1.9.0).
const YY_FLAG: i32 = -1000;
const YY_LAST: i32 = 37;
const YY_EXCA: [i8; 6] = [-1, 1, 1, -1, -2, 0];
const YY_ACT: [i8; 37] = [
    2, 11, 12, 15, 11, 12, 1, 24, 25, 16, 27, 4, 18, 19, 3, 9, 22, 5, 6, 7, 0, 10, 17, 13, 14, 8,
    26, 0, 20, 21, 11, 12, 11, 12, 0, 0, 23,
];
const YY_PACT: [i16; 28] = [
    13, -1000, 25, 14, -1000, -1000, -1000, -9, 13, -1000, 13, 13, 13, 13, 13, 13, 23, -1000,
    -1000, -1000, -1000, -1000, -6, -1000, -1000, 13, -3, -1000,
];
const YY_PGO: [i8; 6] = [0, 0, 14, 11, 15, 6];
const YY_R1: [i8; 16] = [0, 5, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4];
const YY_R2: [i8; 16] = [0, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 3, 1, 2, 4, 6];
const YY_CHK: [i16; 28] = [
    -1000, -5, -1, -2, -3, 4, 5, 6, 12, -4, 8, 7, 8, 9, 10, 12, -1, -3, -1, -1, -2, -2, -1, 13, 13,
    14, -1, 13,
];
const YY_DEF: [i8; 28] = [
    0, -2, 1, 4, 7, 8, 9, 10, 0, 12, 0, 0, 0, 0, 0, 0, 0, 13, 2, 3, 5, 6, 0, 11, 14, 0, 0, 15,
];

/// A parse-stack entry (goyacc's `yySymType` plus its state).
struct Sym {
    state: usize,
    val: Option<Val>,
    /// The token text, for NUMBER, QUANTITY and IDENT.
    text: Vec<u8>,
}

struct Parser<'a> {
    lex: Lexer<'a>,
    var: (&'a str, Val),
    last_error: Option<String>,
    result: Option<Val>,
}

/// `Err` carries the yacc syntax error (`yyLex.Error`'s text).
type Parsed = Result<(), String>;

impl Parser<'_> {
    fn fail(&mut self, msg: String) -> Option<Val> {
        self.last_error = Some(msg);
        None
    }

    fn fail_if_unset(&mut self, v: Option<Val>, msg: &str) -> Option<Val> {
        if v.is_none() && self.last_error.is_none() {
            self.last_error = Some(msg.into());
        }
        v
    }

    /// goyacc's `Parse` loop: shift, reduce through the goto table, accept
    /// through the exception table; the first syntax error ends the parse
    /// (the grammar has no `error` productions to recover with).
    fn run(&mut self) -> Parsed {
        let mut stack: Vec<Sym> = Vec::new();
        let mut look: Option<Tok> = None;
        let mut top = Sym {
            state: 0,
            val: None,
            text: Vec::new(),
        };
        loop {
            let state = top.state;
            stack.push(top);
            top = 'step: {
                let pact = i32::from(YY_PACT[state]);
                if pact > YY_FLAG {
                    let tok = look.get_or_insert_with(|| self.lex.lex()).code();
                    let n = pact + tok;
                    if (0..YY_LAST).contains(&n) {
                        let next = YY_ACT[n as usize] as usize;
                        if i32::from(YY_CHK[next]) == tok {
                            let text = look.take().map_or_else(Vec::new, Tok::into_text);
                            break 'step Sym {
                                state: next,
                                val: None,
                                text,
                            };
                        }
                    }
                }
                let mut rule = i32::from(YY_DEF[state]);
                if rule == -2 {
                    let tok = look.get_or_insert_with(|| self.lex.lex()).code();
                    let mut xi = 0;
                    while !(YY_EXCA[xi] == -1 && YY_EXCA[xi + 1] as usize == state) {
                        xi += 2;
                    }
                    xi += 2;
                    while YY_EXCA[xi] >= 0 && i32::from(YY_EXCA[xi]) != tok {
                        xi += 2;
                    }
                    rule = i32::from(YY_EXCA[xi + 1]);
                    if rule < 0 {
                        return Ok(());
                    }
                }
                if rule == 0 {
                    let (line, col) = self.lex.position();
                    return Err(format!(
                        "parse error: syntax error at line {line}, col {col}"
                    ));
                }
                let rule = rule as usize;
                let len = YY_R2[rule] as usize;
                let args: Vec<Sym> = stack.split_off(stack.len().saturating_sub(len));
                let below = stack.last().map_or(0, |s| s.state);
                let nt = YY_R1[rule] as usize;
                let g = YY_PGO[nt] as usize;
                let j = g + below + 1;
                let mut next = YY_ACT[g] as usize;
                if j < YY_LAST as usize {
                    let cand = YY_ACT[j] as usize;
                    if i32::from(YY_CHK[cand]) == -(nt as i32) {
                        next = cand;
                    }
                }
                let (val, text) = self.reduce(rule, args);
                Sym {
                    state: next,
                    val,
                    text,
                }
            };
        }
    }

    /// The semantic action of `rule` on its right-hand side; returns `$$`
    /// and the text it inherits from `$1` (goyacc copies `$1` into `$$`).
    fn reduce(&mut self, rule: usize, rhs: Vec<Sym>) -> (Option<Val>, Vec<u8>) {
        let mut text = Vec::new();
        // Indexed like yacc's `$n` (`$0` unused).
        let mut dollar: Vec<Option<Val>> = Vec::with_capacity(rhs.len() + 1);
        dollar.push(None);
        for (i, sym) in rhs.into_iter().enumerate() {
            if i == 0 {
                text = sym.text;
            }
            dollar.push(sym.val);
        }
        let mut d = |n: usize| dollar.get_mut(n).and_then(Option::take);
        let out = match rule {
            // input: expr
            1 => {
                self.result = d(1);
                None
            }
            // expr: expr '+' expr | expr '-' expr
            2 | 3 => {
                let sum = match (d(1), d(3)) {
                    (Some(l), Some(r)) => Some(add_sub(l, r, rule == 3)),
                    _ => None,
                };
                let what = if rule == 2 {
                    "invalid addition operation"
                } else {
                    "invalid subtraction operation"
                };
                self.fail_if_unset(sum, what)
            }
            // term: term '*' term | term '/' term
            5 | 6 => {
                let prod = match (d(1), d(3)) {
                    (Some(l), Some(r)) if rule == 5 => self.mul(l, r),
                    (Some(l), Some(r)) => self.div(l, r),
                    _ => None,
                };
                let what = if rule == 5 {
                    "invalid multiplication operation"
                } else {
                    "invalid division operation"
                };
                self.fail_if_unset(prod, what)
            }
            // factor: NUMBER
            8 => Some(Val::Num(number_value(&text).unwrap_or(0.0))),
            // factor: QUANTITY
            9 => match Quantity::parse(&go_text(&text)) {
                Ok(q) => Some(Val::Qty(q)),
                Err(e) => self.fail(e.to_string()),
            },
            // factor: IDENT
            10 => {
                let name = go_lower(&text);
                if name == self.var.0 {
                    Some(self.var.1.clone())
                } else {
                    self.fail(format!("undefined variable: {name}"))
                }
            }
            // factor: '(' expr ')'
            11 => d(2),
            // factor: '-' factor
            13 => d(2).map(|v| match v {
                Val::Num(n) => Val::Num(-n),
                Val::Qty(mut q) => {
                    q.neg_in_place();
                    Val::Qty(q)
                }
            }),
            // func_call: IDENT '(' expr ')' | IDENT '(' expr ',' expr ')'
            14 | 15 => {
                let args = if rule == 14 {
                    vec![d(3)]
                } else {
                    vec![d(3), d(5)]
                };
                let v = self.call(&text, args);
                self.fail_if_unset(v, "function call failed")
            }
            // expr: term; term: factor; factor: func_call
            _ => d(1),
        };
        (out, text)
    }

    fn mul(&mut self, l: Val, r: Val) -> Option<Val> {
        match (l, r) {
            (Val::Qty(_), Val::Qty(_)) => self.fail("multiplication of two quantities".into()),
            (Val::Qty(q), Val::Num(n)) | (Val::Num(n), Val::Qty(q)) => {
                let mut out = q.clone();
                out.set_milli(go_int64(q.milli_value() as f64 * n));
                Some(Val::Qty(out))
            }
            (Val::Num(a), Val::Num(b)) => Some(Val::Num(a * b)),
        }
    }

    fn div(&mut self, l: Val, r: Val) -> Option<Val> {
        match (l, r) {
            (_, Val::Qty(_)) => self.fail("division by quantity".into()),
            (_, Val::Num(0.0)) => self.fail("division by zero".into()),
            (Val::Qty(q), Val::Num(n)) => {
                let mut out = q.clone();
                out.set_milli(go_int64(q.milli_value() as f64 / n));
                Some(Val::Qty(out))
            }
            (Val::Num(a), Val::Num(b)) => Some(Val::Num(a / b)),
        }
    }

    fn call(&mut self, name: &[u8], args: Vec<Option<Val>>) -> Option<Val> {
        let lower = go_lower(name);
        if lower != "max" && lower != "min" {
            return self.fail(format!("unknown function: {}", go_text(name)));
        }
        if args.len() != 2 {
            return self.fail(format!(
                "{lower} function requires exactly 2 arguments, got {}",
                args.len()
            ));
        }
        let mut it = args.into_iter();
        let (Some(Some(a)), Some(Some(b))) = (it.next(), it.next()) else {
            return None;
        };
        let take_left = match (&a, &b) {
            (Val::Num(x), Val::Num(y)) => {
                if lower == "max" {
                    x >= y
                } else {
                    x <= y
                }
            }
            _ => {
                let c = to_qty(&a).cmp_value(&to_qty(&b));
                if lower == "max" {
                    c.is_ge()
                } else {
                    c.is_le()
                }
            }
        };
        let both_numbers = matches!((&a, &b), (Val::Num(_), Val::Num(_)));
        let pick = if take_left { a } else { b };
        // A number compared with a quantity comes back as a quantity.
        Some(if both_numbers {
            pick
        } else {
            Val::Qty(to_qty(&pick))
        })
    }
}

fn add_sub(l: Val, r: Val, sub: bool) -> Val {
    match (&l, &r) {
        (Val::Num(a), Val::Num(b)) => Val::Num(if sub { a - b } else { a + b }),
        _ => {
            let mut q = to_qty(&l);
            let rq = to_qty(&r);
            if sub {
                q.sub(&rq);
            } else {
                q.add(&rq);
            }
            Val::Qty(q)
        }
    }
}

/// `validateResourceExpression`: evaluates `expr` with `variable` bound to
/// the number 1; `Err` carries the webhook's `invalid expression: ...` text.
pub fn validate(expr: &str, variable: &str) -> Result<(), ExprError> {
    evaluate(expr, variable, Val::Num(1.0))
        .map(|_| ())
        .map_err(|e| ExprError(format!("invalid expression: {e}")))
}

/// Why Kruise's calculator refused an expression, in the webhook's words
/// (`syntax error at 1:5`, `calculation result is negative: -1`, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExprError(pub String);

/// `Calculator.Parse` with one variable.
pub fn evaluate(expr: &str, variable: &str, value: Val) -> Result<Val, ExprError> {
    evaluate_inner(expr, variable, value).map_err(ExprError)
}

fn evaluate_inner(expr: &str, variable: &str, value: Val) -> Result<Val, String> {
    let mut p = Parser {
        lex: Lexer {
            b: expr.as_bytes(),
            pos: 0,
        },
        var: (variable, value),
        last_error: None,
        result: None,
    };
    if let Err(syntax) = p.run() {
        return Err(p.last_error.unwrap_or(syntax));
    }
    let Some(v) = p.result else {
        return Err(p
            .last_error
            .unwrap_or_else(|| "no result from parser".into()));
    };
    match &v {
        Val::Qty(q) if q.sign() < 0 => Err(format!(
            "calculation result is negative: {}",
            q.to_go_string()
        )),
        Val::Num(n) if *n < 0.0 => Err(format!("calculation result is negative: {}", go_g(*n))),
        _ => Ok(v),
    }
}

/// The number words of `expr` that the evaluator silently takes as 0
/// because they do not parse as a float (e.g. `2X`, `2e`, `50%m`).
pub fn malformed_numbers(expr: &str) -> Vec<String> {
    let mut lex = Lexer {
        b: expr.as_bytes(),
        pos: 0,
    };
    let mut out = Vec::new();
    loop {
        match lex.lex() {
            Tok::End => return out,
            Tok::Number(n) if number_value(&n).is_none() => out.push(go_text(&n)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_number_words() {
        assert_eq!(
            malformed_numbers("cpu*2X + 50%m - 2e"),
            vec!["2X", "50%m", "2e"]
        );
        assert!(malformed_numbers("max(cpu*0.5, 50m) + 30% + 1e3").is_empty());
    }

    #[test]
    fn accepted() {
        for e in [
            "cpu*50%",
            "max(cpu*0.5, 50m)",
            "cpu + 100m",
            "-cpu*-2",
            "(cpu)",
            "min(cpu, 1)/2",
            "2X",
        ] {
            assert_eq!(validate(e, "cpu"), Ok(()), "{e}");
        }
    }

    #[test]
    fn rejected() {
        for (e, want) in [
            ("memory*2", "undefined variable: memory"),
            ("cpu - 2", "calculation result is negative"),
            ("100m - cpu", "calculation result is negative"),
            ("cpu*100m*100m", "multiplication of two quantities"),
            ("cpu/100m", "division by quantity"),
            ("cpu/0", "division by zero"),
            ("foo(cpu)", "unknown function"),
            ("max(cpu)", "requires exactly 2 arguments"),
            ("cpu +", "syntax error"),
            ("cpu cpu", "syntax error"),
            ("  ", "syntax error"),
        ] {
            let got = validate(e, "cpu").expect_err(e);
            assert!(got.0.contains(want), "{e}: {got}");
        }
    }

    fn eval_num(e: &str) -> Result<f64, String> {
        match evaluate(e, "cpu", Val::Num(1.0)).map_err(|e| e.0)? {
            Val::Num(n) => Ok(n),
            Val::Qty(q) => Err(format!("quantity {}", q.to_go_string())),
        }
    }

    /// Runs `f` on a thread with the default 2 MiB stack, so that parsing
    /// that recursed per nesting level would overflow instead of passing.
    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(f)
            .expect("spawn")
            .join()
            .expect("no panic");
    }

    #[test]
    fn deep_parentheses_do_not_use_the_call_stack() {
        on_small_stack(|| {
            for n in [10_000, 100_000] {
                let e = format!("{}cpu{}", "(".repeat(n), ")".repeat(n));
                assert_eq!(eval_num(&e), Ok(1.0), "{n} levels");
                // (1+(1+(...(1+1)...))): n additions of 1 to 1.
                let e = format!("{}1{}", "(1+".repeat(n), ")".repeat(n));
                assert_eq!(eval_num(&e), Ok(n as f64 + 1.0), "{n} sums");
            }
            // Unclosed: the error comes at the end, after the n+1 bytes read.
            let e = format!("{}1", "(".repeat(100_000));
            assert_eq!(
                eval_num(&e),
                Err("parse error: syntax error at line 1, col 100002".into())
            );
        });
    }

    #[test]
    fn deep_unary_minus_does_not_use_the_call_stack() {
        on_small_stack(|| {
            let even = format!("{}cpu", "-".repeat(100_000));
            assert_eq!(eval_num(&even), Ok(1.0));
            let odd = format!("{}cpu", "-".repeat(100_001));
            assert_eq!(
                eval_num(&odd),
                Err("calculation result is negative: -1".into())
            );
            // -(-(...-(2)...)) with 50,000 minus signs, each before a parenthesis.
            let e = format!("{}2{}", "-(".repeat(50_000), ")".repeat(50_000));
            assert_eq!(eval_num(&e), Ok(2.0));
        });
    }

    #[test]
    fn syntax_errors_name_line_and_column_like_kruise() {
        // The lexer has consumed the offending token when yacc reports it;
        // columns count bytes.
        for (e, want) in [
            ("cpu**2", "line 1, col 6"),
            ("cpu +", "line 1, col 6"),
            ("cpu cpu", "line 1, col 8"),
            ("  ", "line 1, col 3"),
            ("cpu +\n  * 2", "line 2, col 4"),
            ("2 + @", "line 1, col 6"),
        ] {
            let e = e.replace("\\n", "\n");
            assert_eq!(
                eval_num(&e),
                Err(format!("parse error: syntax error at {want}")),
                "{e:?}"
            );
        }
    }

    #[test]
    fn the_last_error_set_before_the_syntax_error_wins() {
        // goyacc reduces `memory` to a factor (recording the error) before
        // it looks at the second token.
        assert_eq!(
            eval_num("memory memory"),
            Err("undefined variable: memory".into())
        );
        assert_eq!(
            eval_num("max(memory)"),
            Err("max function requires exactly 2 arguments, got 1".into())
        );
        assert_eq!(eval_num("cpu/0 +"), Err("division by zero".into()));
    }

    #[test]
    fn go_numeric_corners() {
        // %g: exponent form from 1e6 up.
        assert_eq!(
            eval_num("cpu - 1e7"),
            Err("calculation result is negative: -9.999999e+06".into())
        );
        assert_eq!(
            eval_num("cpu - 2.5"),
            Err("calculation result is negative: -1.5".into())
        );
        // ParseFloat overflow: a plain word is +Inf, a percentage is 0.
        assert_eq!(eval_num("1e400"), Ok(f64::INFINITY));
        assert_eq!(eval_num("1e400% + cpu"), Ok(1.0));
        assert_eq!(malformed_numbers("1e400% + 1e400"), vec!["1e400%"]);
        // int64(+Inf) on amd64 is -2^63: the product turns negative.
        let e = evaluate(
            "cpu * 1e400",
            "cpu",
            Val::Qty(Quantity::new(1, Format::DecimalSI)),
        );
        assert_eq!(
            e.map(|_| ()),
            Err(ExprError(
                "calculation result is negative: -9223372036854775808m".into()
            ))
        );
    }

    #[test]
    fn bytes_are_lexed_one_at_a_time() {
        // `é` is C3 A9: C3 (Ã) is a Latin-1 letter and starts an identifier,
        // A9 (©) is not and ends it; Go prints the split byte as U+FFFD.
        assert_eq!(eval_num("é"), Err("undefined variable: \u{fffd}".into()));
        assert_eq!(
            eval_num("maxé(1, 2)"),
            Err("undefined variable: max\u{fffd}".into())
        );
        // `ê` is C3 AA, both Latin-1 letters: the identifier keeps it whole.
        assert_eq!(eval_num("maxê(1, 2)"), Err("unknown function: maxê".into()));
        // A NUL byte ends the input.
        assert_eq!(eval_num("cpu\0 garbage"), Ok(1.0));
        // `Ī` (C4 AA) stays whole and is lower-cased as a rune.
        assert_eq!(eval_num("Ī"), Err("undefined variable: ī".into()));
    }
}
