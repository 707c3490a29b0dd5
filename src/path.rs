//! Locations inside a document as JSON paths, so that engine errors found on
//! `serde_json::Value`s can be mapped back to a file, line and column.

use std::fmt;

/// One step of a path: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index, from 0.
    Index(usize),
}

/// A path from a document's root to one of its nodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    /// The empty path: the document (or resource) itself.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// Builds a path from `/`-free key names, e.g. `JsonPath::keys(&["spec", "template"])`.
    pub fn keys(keys: &[&str]) -> Self {
        JsonPath(keys.iter().map(|k| Seg::Key((*k).to_string())).collect())
    }

    /// The path one mapping key deeper.
    pub fn key(mut self, k: impl Into<String>) -> Self {
        self.0.push(Seg::Key(k.into()));
        self
    }

    /// The path one sequence item deeper.
    pub fn index(mut self, i: usize) -> Self {
        self.0.push(Seg::Index(i));
        self
    }

    /// Appends `other` after `self`.
    pub fn join(mut self, other: &JsonPath) -> Self {
        self.0.extend(other.0.iter().cloned());
        self
    }

    /// RFC 6901 JSON pointer form (`/spec/containers/0/name`).
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            out.push('/');
            match seg {
                Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

impl fmt::Display for JsonPath {
    /// kubectl-style field path: `spec.containers[0].name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// An error about one field of a document: a wrong type, a bad value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field the error is about.
    pub path: JsonPath,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// An error about the field at `path`.
    pub fn new(path: JsonPath, message: impl Into<String>) -> Self {
        FieldError {
            path,
            message: message.into(),
        }
    }

    /// Re-roots the error under `prefix` (the error was found on a sub-value).
    pub fn under(mut self, prefix: &JsonPath) -> Self {
        let mut segs = prefix.0.clone();
        segs.extend(self.path.0);
        self.path = JsonPath(segs);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_pointer() {
        let p = JsonPath::keys(&["spec", "containers"]).index(2).key("a/b");
        assert_eq!(p.to_string(), "spec.containers[2].a/b");
        assert_eq!(p.pointer(), "/spec/containers/2/a~1b");
    }
}
