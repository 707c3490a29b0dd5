//! OpenKruise's resources-expression calculator (`pkg/util/calculator`:
//! lexer.go, calculator.y), as far as validation needs it: parse and
//! evaluate with one variable bound, report the calculator's error.
//! Used by the webhook (resourcesPolicy at injection) and the linter.
//!
//! The yacc grammar is reproduced as a recursive-descent parser with the same
//! precedence (`+ -` < `* /` < unary `-`, all left-associative) and the same
//! evaluation order, so "the last error set wins" behaves as in Go.

use crate::quantity::{Format, Quantity};

#[derive(Clone, Debug)]
pub enum Val {
    Num(f64),
    Qty(Quantity),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Number(String),
    Quantity(String),
    Ident(String),
    Punct(u8),
    Eof,
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

const UNITS: &[&str] = &["m", "k", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi"];

impl Lexer<'_> {
    fn peek(&self) -> u8 {
        self.b.get(self.pos).copied().unwrap_or(0)
    }

    fn read_number(&mut self) -> String {
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
        latin1(&self.b[start..self.pos])
    }

    fn is_quantity(s: &str) -> bool {
        let end = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
            .map_or(0, |(i, _)| i);
        end != 0 && UNITS.contains(&&s[end..])
    }

    fn next(&mut self) -> Tok {
        while is_space(self.peek()) {
            self.pos += 1;
        }
        let r = self.peek();
        if r == 0 {
            return Tok::Eof;
        }
        if r == b'.' || r.is_ascii_digit() {
            let n = self.read_number();
            return if Self::is_quantity(&n) {
                Tok::Quantity(n)
            } else {
                Tok::Number(n)
            };
        }
        if is_letter(r) {
            let start = self.pos;
            while {
                let c = self.peek();
                c != 0 && (is_letter(c) || c.is_ascii_digit() || c == b'_')
            } {
                self.pos += 1;
            }
            return Tok::Ident(latin1(&self.b[start..self.pos]));
        }
        self.pos += 1;
        Tok::Punct(r)
    }
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|c| *c as char).collect()
}

struct Parser<'a> {
    lex: Lexer<'a>,
    tok: Tok,
    var: (&'a str, Val),
    last_error: Option<String>,
}

type Res = Result<Option<Val>, String>;

fn parse_number(s: &str) -> f64 {
    // Go ignores the ParseFloat error here: a malformed number is 0.
    match s.strip_suffix('%') {
        Some(n) => n.parse::<f64>().map_or(0.0, |v| v / 100.0),
        None => s.parse::<f64>().unwrap_or(0.0),
    }
}

fn to_qty(v: &Val) -> Quantity {
    match v {
        Val::Qty(q) => q.clone(),
        // Go: int64(v.Number * 1000), saturating like Rust's `as`.
        Val::Num(n) => Quantity::new_milli((n * 1000.0) as i64, Format::DecimalSI),
    }
}

fn tok_name(t: &Tok) -> String {
    match t {
        Tok::Number(_) => "NUMBER".into(),
        Tok::Quantity(_) => "QUANTITY".into(),
        Tok::Ident(_) => "IDENT".into(),
        Tok::Punct(c) => format!("'{}'", *c as char),
        Tok::Eof => "$end".into(),
    }
}

impl Parser<'_> {
    fn bump(&mut self) {
        self.tok = self.lex.next();
    }

    fn syntax(&self) -> String {
        format!(
            "parse error: syntax error: unexpected {}",
            tok_name(&self.tok)
        )
    }

    fn fail(&mut self, msg: String) -> Option<Val> {
        self.last_error = Some(msg);
        None
    }

    fn expr(&mut self) -> Res {
        let mut left = self.term()?;
        while let Tok::Punct(op @ (b'+' | b'-')) = self.tok {
            self.bump();
            let right = self.term()?;
            left = match (left, right) {
                (Some(l), Some(r)) => Some(self.add_sub(l, r, op == b'-')),
                _ => {
                    if self.last_error.is_none() {
                        self.last_error = Some(format!(
                            "invalid {} operation",
                            if op == b'+' {
                                "addition"
                            } else {
                                "subtraction"
                            }
                        ));
                    }
                    None
                }
            };
        }
        Ok(left)
    }

    fn add_sub(&mut self, l: Val, r: Val, sub: bool) -> Val {
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

    fn term(&mut self) -> Res {
        let mut left = self.factor()?;
        while let Tok::Punct(op @ (b'*' | b'/')) = self.tok {
            self.bump();
            let right = self.factor()?;
            left = match (left, right) {
                (Some(l), Some(r)) => {
                    if op == b'*' {
                        self.mul(l, r)
                    } else {
                        self.div(l, r)
                    }
                }
                _ => None,
            };
            if left.is_none() && self.last_error.is_none() {
                self.last_error = Some(format!(
                    "invalid {} operation",
                    if op == b'*' {
                        "multiplication"
                    } else {
                        "division"
                    }
                ));
            }
        }
        Ok(left)
    }

    fn mul(&mut self, l: Val, r: Val) -> Option<Val> {
        match (l, r) {
            (Val::Qty(_), Val::Qty(_)) => self.fail("multiplication of two quantities".into()),
            (Val::Qty(q), Val::Num(n)) | (Val::Num(n), Val::Qty(q)) => {
                let mut out = q.clone();
                out.set_milli((q.milli_value() as f64 * n) as i64);
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
                out.set_milli((q.milli_value() as f64 / n) as i64);
                Some(Val::Qty(out))
            }
            (Val::Num(a), Val::Num(b)) => Some(Val::Num(a / b)),
        }
    }

    fn factor(&mut self) -> Res {
        match std::mem::replace(&mut self.tok, Tok::Eof) {
            Tok::Number(n) => {
                self.bump();
                Ok(Some(Val::Num(parse_number(&n))))
            }
            Tok::Quantity(s) => {
                self.bump();
                match Quantity::parse(&s) {
                    Ok(q) => Ok(Some(Val::Qty(q))),
                    Err(e) => Ok(self.fail(e.to_string())),
                }
            }
            Tok::Ident(name) => {
                self.bump();
                if self.tok == Tok::Punct(b'(') {
                    self.bump();
                    let mut args = vec![self.expr()?];
                    if self.tok == Tok::Punct(b',') {
                        self.bump();
                        args.push(self.expr()?);
                    }
                    if self.tok != Tok::Punct(b')') {
                        return Err(self.syntax());
                    }
                    self.bump();
                    let v = self.call(&name, args);
                    if v.is_none() && self.last_error.is_none() {
                        self.last_error = Some("function call failed".into());
                    }
                    return Ok(v);
                }
                if name.to_lowercase() == self.var.0 {
                    Ok(Some(self.var.1.clone()))
                } else {
                    Ok(self.fail(format!("undefined variable: {}", name.to_lowercase())))
                }
            }
            Tok::Punct(b'(') => {
                self.bump();
                let v = self.expr()?;
                if self.tok != Tok::Punct(b')') {
                    return Err(self.syntax());
                }
                self.bump();
                Ok(v)
            }
            Tok::Punct(b'-') => {
                self.bump();
                Ok(self.factor()?.map(|v| match v {
                    Val::Num(n) => Val::Num(-n),
                    Val::Qty(mut q) => {
                        q.neg_in_place();
                        Val::Qty(q)
                    }
                }))
            }
            other => {
                self.tok = other;
                Err(self.syntax())
            }
        }
    }

    fn call(&mut self, name: &str, args: Vec<Option<Val>>) -> Option<Val> {
        let lower = name.to_lowercase();
        if lower != "max" && lower != "min" {
            return self.fail(format!("unknown function: {name}"));
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

/// `validateResourceExpression`: evaluates `expr` with `variable` bound to
/// the number 1; `Err` carries the webhook's `invalid expression: ...` text.
pub fn validate(expr: &str, variable: &str) -> Result<(), String> {
    evaluate(expr, variable, Val::Num(1.0))
        .map(|_| ())
        .map_err(|e| format!("invalid expression: {e}"))
}

/// `Calculator.Parse` with one variable.
pub fn evaluate(expr: &str, variable: &str, value: Val) -> Result<Val, String> {
    let mut lex = Lexer {
        b: expr.as_bytes(),
        pos: 0,
    };
    let tok = lex.next();
    let mut p = Parser {
        lex,
        tok,
        var: (variable, value),
        last_error: None,
    };
    let parsed = p.expr().and_then(|v| {
        if p.tok == Tok::Eof {
            Ok(v)
        } else {
            Err(p.syntax())
        }
    });
    let v = match parsed {
        Err(syntax) => return Err(p.last_error.unwrap_or(syntax)),
        Ok(None) => {
            return Err(p
                .last_error
                .unwrap_or_else(|| "no result from parser".into()))
        }
        Ok(Some(v)) => v,
    };
    match &v {
        Val::Qty(q) if q.sign() < 0 => {
            Err(format!("calculation result is negative: {}", q.canonical()))
        }
        Val::Num(n) if *n < 0.0 => Err(format!("calculation result is negative: {n}")),
        _ => Ok(v),
    }
}

/// The number words of `expr` that do not parse as a float: the evaluator
/// silently takes them as 0 (e.g. `2X`, `2e`, `50%m`).
pub fn malformed_numbers(expr: &str) -> Vec<String> {
    let mut lex = Lexer {
        b: expr.as_bytes(),
        pos: 0,
    };
    let mut out = Vec::new();
    loop {
        match lex.next() {
            Tok::Eof => return out,
            Tok::Number(n) => {
                let ok = match n.strip_suffix('%') {
                    Some(x) => x.parse::<f64>().is_ok(),
                    None => n.parse::<f64>().is_ok(),
                };
                if !ok {
                    out.push(n);
                }
            }
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
            assert!(got.contains(want), "{e}: {got}");
        }
    }
}
