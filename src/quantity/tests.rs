//! Vectors from k8s.io/apimachinery v0.32 `quantity_test.go` and the spec
//! (defaults-and-hash.md §4).

use super::*;

fn dec(mant: i64, exp: i64, format: Format) -> Quantity {
    Quantity::from_scaled(mant as i128, exp, format)
}

fn p(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn parse_values_and_formats() {
    use Format::*;
    let max = dec(i64::MAX, 0, BinarySI);
    let table: Vec<(&str, Quantity)> = vec![
        ("0", dec(0, 0, DecimalSI)),
        ("0n", dec(0, 0, DecimalSI)),
        ("0Ki", dec(0, 0, BinarySI)),
        ("0T", dec(0, 0, DecimalSI)),
        ("1", dec(1, 0, DecimalSI)),
        ("1Ki", dec(1024, 0, BinarySI)),
        ("8Ki", dec(8 * 1024, 0, BinarySI)),
        ("7Mi", dec(7 << 20, 0, BinarySI)),
        ("6Gi", dec(6 << 30, 0, BinarySI)),
        ("5Ti", dec(5 << 40, 0, BinarySI)),
        ("4Pi", dec(4 << 50, 0, BinarySI)),
        ("3Ei", dec(3 << 60, 0, BinarySI)),
        ("100Ti", dec(100 << 40, 0, BinarySI)),
        ("5n", dec(5, -9, DecimalSI)),
        ("4u", dec(4, -6, DecimalSI)),
        ("3m", dec(3, -3, DecimalSI)),
        ("50k", dec(5, 4, DecimalSI)),
        ("300T", dec(3, 14, DecimalSI)),
        ("1E", dec(1, 18, DecimalSI)),
        ("1E-3", dec(1, -3, DecimalExponent)),
        ("1e3", dec(1, 3, DecimalExponent)),
        ("1E18", dec(1, 18, DecimalExponent)),
        ("100.035k", dec(100035, 0, DecimalSI)),
        ("0.001", dec(1, -3, DecimalSI)),
        ("0.0005k", dec(5, -1, DecimalSI)),
        ("0.00050k", dec(5, -1, DecimalSI)),
        ("0.5e-2", dec(5, -3, DecimalExponent)),
        ("10.035M", dec(10035, 3, DecimalSI)),
        ("1.3E+6", dec(13, 5, DecimalExponent)),
        ("1.7E18", dec(17, 17, DecimalExponent)),
        ("6.987654321G", dec(6987654321, 0, DecimalSI)),
        ("1.01E", dec(101, 16, DecimalSI)),
        ("3.001n", dec(4, -9, DecimalSI)),
        ("1.1E-9", dec(2, -9, DecimalExponent)),
        ("0.0000000001", dec(1, -9, DecimalSI)),
        ("0.5e-9", dec(1, -9, DecimalExponent)),
        ("0.9n", dec(1, -9, DecimalSI)),
        ("0.00000012345", dec(124, -9, DecimalSI)),
        ("9Ei", max.clone()),
        ("9223372036854775807Ki", max),
        ("12E", dec(12, 18, DecimalSI)),
        ("100.035Ki", dec(10243584, -2, BinarySI)),
        ("0.5Mi", dec(512 * 1024, 0, BinarySI)),
        ("0.05Gi", dec(536870912, -1, BinarySI)),
        ("0.000000000001Ki", dec(2, -9, DecimalSI)),
        (".001", dec(1, -3, DecimalSI)),
        (".0001k", dec(100, -3, DecimalSI)),
        ("1.", dec(1, 0, DecimalSI)),
        ("1.G", dec(1, 9, DecimalSI)),
    ];
    for (input, want) in &table {
        for prefix in ["", "+", "-"] {
            let text = format!("{prefix}{input}");
            let got = p(&text);
            let mut want = want.clone();
            if prefix == "-" {
                want.neg_in_place();
            }
            assert_eq!(got.cmp_value(&want), Ordering::Equal, "{text}: {got:?}");
            assert_eq!(got.format(), want.format(), "{text}");
        }
    }
}

#[test]
fn parse_errors() {
    for bad in [
        "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1",
        "1 ", "1K", "1e", "1Ki5",
    ] {
        assert!(Quantity::parse(bad).is_err(), "{bad:?} parsed");
    }
    assert_eq!(
        Quantity::parse("1.1.M").err(),
        Some(ParseError::FormatWrong)
    );
    assert_eq!(Quantity::parse("1i").err(), Some(ParseError::Suffix));
    assert_eq!(Quantity::parse("").err(), Some(ParseError::FormatWrong));
    // A suffix alone is a zero quantity in Go.
    assert_eq!(p("m").to_go_string(), "0");
}

#[test]
fn canonical_strings() {
    use Format::*;
    let table: Vec<(Quantity, &str, &str)> = vec![
        (dec(1 << 30, 0, BinarySI), "1Gi", "1024Mi"),
        (dec(300 << 20, 0, BinarySI), "300Mi", "307200Ki"),
        (dec(6 * 1024, 0, BinarySI), "6Ki", ""),
        (dec(1001 << 30, 0, BinarySI), "1001Gi", "1025024Mi"),
        (dec(1 << 40, 0, BinarySI), "1Ti", "1024Gi"),
        (dec(5, 0, BinarySI), "5", "5000m"),
        (dec(500, -3, BinarySI), "500m", "0.5"),
        (dec(1, 9, DecimalSI), "1G", "1000M"),
        (dec(1000, 6, DecimalSI), "1G", "0.001T"),
        (dec(1, -3, DecimalSI), "1m", "1000u"),
        (dec(1080, -3, DecimalSI), "1080m", "1.08"),
        (dec(108, -2, DecimalSI), "1080m", "1080000000n"),
        (dec(1234567, 6, DecimalSI), "1234567M", ""),
        (dec(1234567, -3, BinarySI), "1234567m", ""),
        (dec(1025, 0, BinarySI), "1025", ""),
        (dec(0, 0, BinarySI), "0", ""),
        (dec(1, 9, DecimalExponent), "1e9", ".001e12"),
        (dec(1, -3, DecimalExponent), "1e-3", "0.001e0"),
        (dec(1, -9, DecimalExponent), "1e-9", "1000e-12"),
        (dec(80, -3, DecimalExponent), "80e-3", ""),
        (dec(300, 6, DecimalExponent), "300e6", ""),
        (dec(0, 0, DecimalExponent), "0", "00"),
        (dec(10800, -10, DecimalSI), "1080n", ""),
        (dec(1080, -6, DecimalSI), "1080u", ""),
    ];
    for (q, expect, alternate) in &table {
        assert_eq!(q.canonical(), *expect, "{q:?}");
        let mut n = q.clone();
        n.neg_in_place();
        if !q.is_zero() {
            assert_eq!(n.canonical(), format!("-{expect}"));
        }
        let parsed = p(expect);
        assert_eq!(parsed.original_text(), Some(*expect), "{expect} kept");
        if !alternate.is_empty() {
            let a = p(alternate);
            assert_eq!(a.original_text(), None, "{alternate} not kept");
            assert_eq!(a.to_go_string(), *expect, "{alternate}");
        }
    }
}

#[test]
fn parse_emit() {
    for (input, want) in [
        ("1Ki", "1Ki"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
    ] {
        assert_eq!(p(input).to_go_string(), want, "{input}");
        assert_eq!(p(&format!("-{input}")).to_go_string(), format!("-{want}"));
    }
}

#[test]
fn spec_text_rules() {
    // Kept verbatim (defaults-and-hash.md §4.2).
    for s in [
        "100m", "1Gi", "3Ki", "1200", "1e3", "1E3", "1.500", "+1", "01", "12Ki", "1025Ki", "12e6",
        "129e6",
    ] {
        assert_eq!(p(s).to_go_string(), s, "{s}");
    }
    // Re-canonicalised.
    for (s, want) in [
        ("1000m", "1"),
        ("1000Ki", "1000Ki"),
        ("0.5", "500m"),
        ("0.25", "250m"),
        ("1024Mi", "1Gi"),
        ("8Mi", "8Mi"),
        ("1.5Gi", "1536Mi"),
        ("12000", "12k"),
        ("1000", "1k"),
        ("2048Ki", "2Mi"),
        ("1.5Ki", "1536"),
        ("0.1Ki", "102400m"),
        ("1.5e3", "1500"),
        ("5.5Gi", "5632Mi"),
        ("3000000000", "3G"),
        ("0.0001", "100u"),
    ] {
        let q = p(s);
        assert_eq!(q.original_text(), None, "{s}");
        assert_eq!(q.to_go_string(), want, "{s}");
    }
    // Go prints DecimalSI values beyond the E suffix without any suffix.
    assert_eq!(p("1000E").to_go_string(), "1");
}

#[test]
fn round_up_to_milli() {
    for (s, want) in [
        ("100u", "1m"),
        ("1500u", "2m"),
        ("0.0001", "1m"),
        ("-100u", "-1m"),
        ("100m", "100m"),
        ("1.500", "1.500"),
        ("12345678901m", "12345678901m"),
        ("3n", "1m"),
    ] {
        let mut q = p(s);
        q.round_up(MILLI);
        assert_eq!(q.to_go_string(), want, "{s}");
    }
}

#[test]
fn arithmetic() {
    let mut z = Quantity::new(0, Format::DecimalSI);
    z.add(&p("200Mi"));
    assert_eq!(z.format(), Format::BinarySI);
    z.add(&p("400Mi"));
    assert_eq!(z.to_go_string(), "600Mi");
    let mut a = p("200m");
    a.add(&p("100m"));
    assert_eq!(a.to_go_string(), "300m");
    a.sub(&p("1"));
    assert_eq!(a.to_go_string(), "-700m");
    assert_eq!(a.sign(), -1);
    let mut b = p("10");
    b.sub(&p("10"));
    assert!(b.is_zero());
    assert_eq!(b.to_go_string(), "0");
    // Sub on a zero receiver takes the subtrahend's format.
    let mut c = Quantity::new(0, Format::DecimalSI);
    c.sub(&p("1Ki"));
    assert_eq!(c.format(), Format::BinarySI);
    assert_eq!(c.to_go_string(), "-1Ki");
    assert_eq!(p("1Gi").cmp_value(&p("1024Mi")), Ordering::Equal);
    assert_eq!(p("1k").cmp_value(&p("999")), Ordering::Greater);
    assert_eq!(p("-1k").cmp_value(&p("-999")), Ordering::Less);
    assert_eq!(p("1n").cmp_value(&p("0")), Ordering::Greater);
    let mut m = p("1500m");
    assert!(m.mul_i64(3));
    assert_eq!(m.to_go_string(), "4500m");
}

#[test]
fn milli_value_and_set_milli() {
    assert_eq!(p("200m").milli_value(), 200);
    assert_eq!(p("1").milli_value(), 1000);
    assert_eq!(p("1u").milli_value(), 1);
    assert_eq!(p("-1u").milli_value(), -1);
    assert_eq!(p("200Mi").milli_value(), 200 * 1024 * 1024 * 1000);
    assert_eq!(p("1.5").value(), 2);
    // Go's int64 path: overflow on scaling up gives 0.
    assert_eq!(p("9E").milli_value(), 0);
    let mut q = p("200Mi");
    q.set_milli((q.milli_value() as f64 * 0.3) as i64);
    assert_eq!(q.format(), Format::BinarySI);
    assert_eq!(q.to_go_string(), "60Mi");
    let mut odd = p("1Ki");
    odd.set_milli((odd.milli_value() as f64 * 0.3) as i64);
    assert_eq!(odd.to_go_string(), "307200m");
    let mut r = p("400Mi");
    r.add(&p("200Mi"));
    r.set_milli((r.milli_value() as f64 * 0.3) as i64);
    assert_eq!(r.to_go_string(), "180Mi");
    assert_eq!(
        Quantity::new_milli(75, Format::DecimalSI).to_go_string(),
        "75m"
    );
    assert_eq!(
        Quantity::new_milli(1000, Format::DecimalSI).to_go_string(),
        "1"
    );
}

#[test]
fn huge_exponents_stay_symbolic() {
    assert_eq!(p("1e2000000000").to_go_string(), "100e1999999998");
    assert_eq!(p("1e-20").to_go_string(), "1e-9");
    let mut q = p("1e1000");
    q.add(&p("1"));
    assert_eq!(q.cmp_value(&p("1e1000")), Ordering::Greater);
    // Far beyond any printable precision the addend is dropped instead of
    // materialising 10^200000.
    let mut far = p("1e200000");
    far.add(&p("1"));
    assert_eq!(far.to_go_string(), "100e199998");
}

#[test]
fn go_float_text() {
    for (f, want) in [
        (1.5, "1.5"),
        (2.0, "2"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (-2.5e-8, "-2.5e-8"),
        (1.234e25, "1.234e+25"),
    ] {
        assert_eq!(go_float(f), want, "{f}");
    }
}

#[test]
fn json_numbers_parse_as_text() {
    let v: serde_json::Value = serde_json::from_str("[1.500, 2, \" 3 \"]").expect("json");
    let arr = v.as_array().expect("array");
    assert_eq!(from_json(&arr[0]).expect("q").to_go_string(), "1500m");
    assert_eq!(from_json(&arr[1]).expect("q").to_go_string(), "2");
    assert_eq!(from_json(&arr[2]).expect("q").to_go_string(), "3");
}

/// The calculator's `q * n` (`SetMilli(int64(float64(MilliValue()) * n))`)
/// on the sums of injection.md §8.5.
#[test]
fn resources_policy_worked_results() {
    let sum = |xs: &[&str]| {
        let mut s = Quantity::new(0, Format::DecimalSI);
        for x in xs {
            s.add(&p(x));
        }
        s
    };
    let times = |q: &Quantity, n: f64| {
        let mut r = q.clone();
        r.set_milli((q.milli_value() as f64 * n) as i64);
        r.to_go_string()
    };
    assert_eq!(times(&sum(&["200m", "400m"]), 0.5), "300m");
    assert_eq!(times(&sum(&["50m", "100m"]), 0.5), "75m");
    assert_eq!(times(&sum(&["200Mi", "400Mi"]), 30.0 / 100.0), "180Mi");
    assert_eq!(times(&sum(&["100m", "50m"]), 30.0 / 100.0), "45m");
    assert_eq!(times(&sum(&["100Mi", "200Mi"]), 20.0 / 100.0), "60Mi");
    // max keeps the winning object with its text.
    let a = p("200Mi");
    let b = p("209715200");
    assert_eq!(a.cmp_value(&b), Ordering::Equal);
    assert_eq!(b.to_go_string(), "209715200");
}
