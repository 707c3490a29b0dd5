//! JSON the way `kubectl get -o json` prints it: a whole document
//! ([`write_json`]), or a value put at some depth inside output built a
//! piece at a time (`write_pretty`, the same bytes indented deeper).

use serde_json::Value;
use std::io::Write;

/// `kubectl get -o json` style: one object alone, several in a `v1 List`.
pub fn write_json(values: &[&Value], out: &mut impl Write) -> std::io::Result<()> {
    if values.len() == 1 {
        write_json_value(values[0], out)
    } else {
        // Written from the values as they are: no copy into a `List` value.
        write_serialized(&KubeList(values), out)
    }
}

/// `{"apiVersion": "v1", "kind": "List", "items": [...], "metadata":
/// {"resourceVersion": ""}}`.
struct KubeList<'a>(&'a [&'a Value]);

impl serde::Serialize for KubeList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("apiVersion", "v1")?;
        m.serialize_entry("kind", "List")?;
        m.serialize_entry("items", self.0)?;
        m.serialize_entry("metadata", &serde_json::json!({"resourceVersion": ""}))?;
        m.end()
    }
}

/// Pretty JSON with kubectl's four-space indentation and a final newline.
pub fn write_json_value(doc: &Value, out: &mut impl Write) -> std::io::Result<()> {
    write_serialized(doc, out)
}

fn write_serialized(doc: &impl serde::Serialize, out: &mut impl Write) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(doc, &mut ser).map_err(std::io::Error::other)?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// kubectl's pretty JSON (four spaces a level), for a value that starts
/// `level` levels deep: `serde_json::ser::PrettyFormatter`, started deeper.
struct Pretty {
    level: usize,
    has_value: bool,
}

/// `level` levels of kubectl's indentation (four spaces each).
pub(super) fn indent<W: ?Sized + Write>(w: &mut W, level: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = level * 4;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

// The bracket and separator steps arrays and objects share, as
// `serde_json::ser::PrettyFormatter` takes them.
impl Pretty {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.level)?;
        }
        w.write_all(bracket)
    }

    fn entry<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.level)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.entry(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.entry(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as `output::write_json_value` writes it (without the final line
/// break), `level` levels deep.
pub(super) fn write_pretty(
    value: &Value,
    level: usize,
    buf: &mut impl Write,
) -> std::io::Result<()> {
    let fmt = Pretty {
        level,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(buf, fmt);
    serde::Serialize::serialize(value, &mut ser).map_err(std::io::Error::other)
}
