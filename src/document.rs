//! Documents and the resources in them.
//!
//! A [`Document`] is one `---`-separated chunk of an input, with its exact
//! bytes (so an untouched document is written back verbatim, comments
//! included) and its parsed value. A [`Resource`] is one Kubernetes object:
//! a whole document, or one item of a `kind: List`. Resources are classified
//! by `apiVersion`/`kind` once, here.

use crate::path::{FieldError, JsonPath};
use crate::source::SourceFile;
pub use crate::source::{caret_padding, one_diagnostic, printable_line, InputError, Location};
use crate::value::At;
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::ops::Range;

/// What a resource is to the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// An `apps.kruise.io` SidecarSet: policy the webhook injects from.
    SidecarSet,
    /// A core Namespace: its labels feed `namespaceSelector`.
    Namespace,
    /// An `apps` ControllerRevision: SidecarSet history for pinned revisions.
    ControllerRevision,
    /// A Pod, or a workload whose pod template the webhook sees.
    Workload(WorkloadKind),
    /// Anything else: echoed untouched.
    Other,
}

impl Class {
    /// Classifies an object by its `apiVersion` and `kind`, as every reader of
    /// the inputs must agree on what each object is.
    pub fn of(api_version: &str, kind: &str) -> Class {
        let group = api_version.split_once('/').map_or("", |(g, _)| g);
        match (kind, group) {
            ("SidecarSet", "apps.kruise.io") => Class::SidecarSet,
            ("Namespace", "") => Class::Namespace,
            ("ControllerRevision", "apps") => Class::ControllerRevision,
            _ => WorkloadKind::classify(api_version, kind).map_or(Class::Other, Class::Workload),
        }
    }
}

pub use crate::reader::Format;

/// One chunk of one input.
#[derive(Clone, Debug)]
pub struct Document {
    /// Index of the input in [`Inputs::files`].
    pub file: usize,
    /// The exact bytes of the chunk in its file, separator line included:
    /// concatenating the ranges of a file's documents gives the file back.
    pub range: Range<usize>,
    /// 1-based line where the document's content starts.
    pub line: usize,
    /// YAML or JSON: a changed document is written back in the form it was read in.
    pub format: Format,
    /// `None` for an empty document (only comments or blank lines).
    pub value: Option<Value>,
    /// Where each node came from, for locating errors.
    pub positions: crate::reader::Positions,
    /// From a policy-only input (`--sidecarset`, `--from`): never echoed.
    pub policy_only: bool,
    /// The value as read, kept when the tool first changes the document
    /// (see [`Inputs::keep_original`]): the writer compares it with the
    /// changed value to rewrite only what changed.
    pub original: Option<Value>,
}

/// One Kubernetes object.
#[derive(Clone, Debug)]
pub struct Resource {
    /// Index in [`Inputs::docs`].
    pub doc: usize,
    /// Index in the List's `items` when the document is a `kind: List`.
    pub item: Option<usize>,
    /// What the object is to the engine, decided once when it is read.
    pub class: Class,
    /// Read only as policy (`--sidecarset`), never echoed.
    pub policy_only: bool,
}

/// Everything read, in input order.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Every input read, for naming and quoting error locations.
    pub files: Vec<SourceFile>,
    /// Every document of every file, in input order.
    pub docs: Vec<Document>,
    /// Every object of every document (List items one by one), in input order.
    pub resources: Vec<Resource>,
}

impl Inputs {
    /// Parses and classifies `file`; `policy_only` marks `--sidecarset` input.
    pub fn add(&mut self, file: SourceFile, policy_only: bool) -> Result<(), InputError> {
        let parsed = crate::reader::parse_stream(&file.text).map_err(|e| parse_error(&file, e))?;
        let file_idx = self.add_file(file);
        for chunk in parsed {
            self.add_chunk(file_idx, chunk, policy_only)?;
        }
        Ok(())
    }

    /// Holds `file` without parsing it, for [`Inputs::add_chunk`]; returns
    /// its index in [`Inputs::files`].
    pub fn add_file(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    /// Adds and classifies one parsed chunk of file `file_idx`.
    pub fn add_chunk(
        &mut self,
        file_idx: usize,
        chunk: crate::reader::Chunk,
        policy_only: bool,
    ) -> Result<(), InputError> {
        let doc_idx = self.docs.len();
        self.docs.push(Document {
            file: file_idx,
            range: chunk.range,
            line: chunk.line,
            format: chunk.format,
            value: chunk.value,
            positions: chunk.positions,
            policy_only,
            original: None,
        });
        self.classify(doc_idx, policy_only)
    }

    /// Parses the chunk `span` of file `file_idx` and adds it as
    /// [`Inputs::add_chunk`] does: the unit of work of a streaming run.
    pub fn parse_chunk(
        &mut self,
        file_idx: usize,
        span: &crate::reader::Span,
        policy_only: bool,
    ) -> Result<(), InputError> {
        let file = &self.files[file_idx];
        let chunk =
            crate::reader::parse_chunk(&file.text, span).map_err(|e| parse_error(file, e))?;
        self.add_chunk(file_idx, chunk, policy_only)
    }

    /// Forgets every document and resource, keeping the files: a streaming
    /// run holds one document at a time.
    pub fn clear_documents(&mut self) {
        self.docs.clear();
        self.resources.clear();
    }

    /// Forgets the last document and its resources.
    pub fn pop_document(&mut self) {
        let Some(doc) = self.docs.len().checked_sub(1) else {
            return;
        };
        while self.resources.last().is_some_and(|r| r.doc == doc) {
            self.resources.pop();
        }
        self.docs.pop();
    }

    fn classify(&mut self, doc_idx: usize, policy_only: bool) -> Result<(), InputError> {
        let Some(value) = &self.docs[doc_idx].value else {
            return Ok(());
        };
        let (api_version, kind) =
            type_meta(value).map_err(|e| self.error_at(doc_idx, &e.path, e.message.clone()))?;
        if kind == "List"
            || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_array))
        {
            // kubectl decodes a List's items as a list before reading any;
            // `null` is an empty list.
            match value.get("items") {
                None | Some(Value::Null | Value::Array(_)) => {}
                Some(other) => {
                    return Err(self.error_at(
                        doc_idx,
                        &JsonPath::keys(&["items"]),
                        format!(
                            "unable to decode the List: json: cannot unmarshal {} into Go struct field decodeList.items of type []json.RawMessage",
                            match other {
                                Value::Bool(_) => "bool",
                                other => crate::value::type_name(other),
                            }
                        ),
                    ));
                }
            }
            let items = value
                .get("items")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let mut found = Vec::with_capacity(items);
            for i in 0..items {
                let item = &value["items"][i];
                let (av, k) = type_meta(item).map_err(|e| {
                    self.error_at(
                        doc_idx,
                        &JsonPath::keys(&["items"]).index(i).join(&e.path),
                        e.message.clone(),
                    )
                })?;
                let class = Class::of(av, k);
                self.refuse_unrepresentable(doc_idx, class)?;
                found.push(Resource {
                    doc: doc_idx,
                    item: Some(i),
                    class,
                    policy_only,
                });
            }
            self.resources.extend(found);
            return Ok(());
        }
        let class = Class::of(api_version, kind);
        self.refuse_unrepresentable(doc_idx, class)?;
        self.resources.push(Resource {
            doc: doc_idx,
            item: None,
            class,
            policy_only,
        });
        Ok(())
    }

    /// `.inf` and `.nan` have no JSON form, so the API server cannot take a
    /// document holding one; a document of a kind the tool does not read
    /// passes through untouched all the same.
    fn refuse_unrepresentable(&self, doc_idx: usize, class: Class) -> Result<(), InputError> {
        let doc = &self.docs[doc_idx];
        match (&doc.positions.unrepresentable, class) {
            (_, Class::Other) | (None, _) => Ok(()),
            (Some(e), _) => Err(InputError::new(
                Location {
                    file: self
                        .files
                        .get(doc.file)
                        .map_or_else(|| "<generated>".to_string(), |f| f.name.clone()),
                    line: e.line,
                    column: e.column,
                },
                e.message.clone(),
                self.files.get(doc.file),
            )),
        }
    }

    /// Adds an object that has no text of its own (built, not read).
    pub fn add_value(&mut self, value: Value, class: Class) {
        let doc = self.docs.len();
        self.docs.push(Document {
            file: usize::MAX,
            range: 0..0,
            line: 0,
            format: Format::Json,
            value: Some(value),
            positions: crate::reader::Positions::default(),
            policy_only: true,
            original: None,
        });
        self.resources.push(Resource {
            doc,
            item: None,
            class,
            policy_only: true,
        });
    }

    /// The object of a resource.
    pub fn value(&self, r: &Resource) -> &Value {
        let doc = self.docs[r.doc].value.as_ref();
        match (doc, r.item) {
            (Some(v), Some(i)) => &v["items"][i],
            (Some(v), None) => v,
            (None, _) => &Value::Null,
        }
    }

    /// Keeps the value of `doc` as read, before the tool first changes it.
    pub fn keep_original(&mut self, doc: usize) {
        if let Some(d) = self.docs.get_mut(doc) {
            if d.original.is_none() {
                d.original = d.value.clone();
            }
        }
    }

    /// The value a resource had as read (its current value when unchanged).
    pub fn original(&self, r: &Resource) -> &Value {
        let d = &self.docs[r.doc];
        let doc = d.original.as_ref().or(d.value.as_ref());
        match (doc, r.item) {
            (Some(v), Some(i)) => &v["items"][i],
            (Some(v), None) => v,
            (None, _) => &Value::Null,
        }
    }

    /// The object of a resource, mutable.
    pub fn value_mut(&mut self, r: &Resource) -> Option<&mut Value> {
        let doc = self.docs[r.doc].value.as_mut()?;
        match r.item {
            Some(i) => doc.get_mut("items")?.get_mut(i),
            None => Some(doc),
        }
    }

    /// The path of a resource's root inside its document.
    pub fn root_path(r: &Resource) -> JsonPath {
        match r.item {
            Some(i) => JsonPath::keys(&["items"]).index(i),
            None => JsonPath::root(),
        }
    }

    /// Where `path` (relative to the resource) is in the input.
    pub fn locate(&self, r: &Resource, path: &JsonPath) -> Location {
        self.locate_in_doc(r.doc, &Self::root_path(r).join(path))
    }

    fn locate_in_doc(&self, doc_idx: usize, path: &JsonPath) -> Location {
        let doc = &self.docs[doc_idx];
        let (line, column) = doc.positions.locate(path).unwrap_or((doc.line, 1));
        Location {
            file: self
                .files
                .get(doc.file)
                .map_or_else(|| "<generated>".to_string(), |f| f.name.clone()),
            line,
            column,
        }
    }

    /// An input error at `path` of document `doc_idx`.
    pub fn error_at(&self, doc_idx: usize, path: &JsonPath, message: String) -> InputError {
        let file = self.files.get(self.docs[doc_idx].file);
        InputError::new(self.locate_in_doc(doc_idx, path), message, file)
    }

    /// An input error about a field of a resource.
    pub fn field_error(&self, r: &Resource, e: &FieldError) -> InputError {
        self.error_at(r.doc, &Self::root_path(r).join(&e.path), e.to_string())
    }

    /// `Kind/namespace/name` or `Kind/name` (cluster-scoped or unset).
    pub fn object_name(&self, r: &Resource) -> String {
        object_name(self.value(r))
    }

    /// Resources of one class, in input order.
    pub fn of_class(&self, class: Class) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.class == class)
    }
}

/// A syntax error of `file`, located.
pub fn parse_error(file: &SourceFile, e: crate::reader::ParseError) -> InputError {
    InputError::new(
        Location {
            file: file.name.clone(),
            line: e.line,
            column: e.column,
        },
        e.message,
        Some(file),
    )
}

/// `Kind/namespace/name`, or `Kind/name` when the object has no namespace.
pub fn object_name(v: &Value) -> String {
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("?");
    let name = v.at("/metadata/name").and_then(Value::as_str).unwrap_or("");
    match v.at("/metadata/namespace").and_then(Value::as_str) {
        Some(ns) if !ns.is_empty() => format!("{kind}/{ns}/{name}"),
        _ => format!("{kind}/{name}"),
    }
}

/// `apiVersion` and `kind` of an object, as kubectl requires them.
pub fn type_meta(v: &Value) -> Result<(&str, &str), FieldError> {
    let obj = v.as_object().ok_or_else(|| {
        FieldError::new(
            JsonPath::root(),
            format!(
                "a Kubernetes object must be a mapping, got {}",
                crate::value::type_name(v)
            ),
        )
    })?;
    let field = |k: &str| -> Result<&str, FieldError> {
        match obj.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            Some(Value::String(_)) | None | Some(Value::Null) => Err(FieldError::new(
                JsonPath::root(),
                format!("{k} not set: every object needs apiVersion and kind"),
            )),
            Some(other) => Err(FieldError::new(
                JsonPath::keys(&[k]),
                format!("expected string, got {}", crate::value::type_name(other)),
            )),
        }
    };
    Ok((field("apiVersion")?, field("kind")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_are_indented_under_the_first() {
        let regex_error = "invalid regex pattern: regex parse error:\n    app[\n       ^\nerror: unclosed character class";
        let one = one_diagnostic(regex_error);
        let mut lines = one.lines();
        assert_eq!(
            lines.next(),
            Some("invalid regex pattern: regex parse error:")
        );
        let rest: Vec<&str> = lines.collect();
        assert_eq!(
            rest,
            [
                "        app[",
                "           ^",
                "    error: unclosed character class"
            ]
        );
        assert_eq!(one_diagnostic("one line"), "one line");
        assert_eq!(one_diagnostic("a\r\n\nb\n"), "a\n    b");
    }

    #[test]
    fn carets_count_terminal_cells() {
        // 名前 are two cells each, the combining acute none, a tab is kept.
        assert_eq!(caret_padding("名前: x", 5), "      ");
        assert_eq!(caret_padding("e\u{301}x", 3), " ");
        assert_eq!(caret_padding("\tkey: v", 2), "\t");
        // Past the end of the line (an error at the line break).
        assert_eq!(caret_padding("ab", 4), "   ");
    }

    #[test]
    fn input_error_renders_one_block_with_an_aligned_caret() {
        let e = InputError::new(
            Location {
                file: "f.yaml".into(),
                line: 2,
                // The NUL: after six narrow, three wide and one narrow character.
                column: 11,
            },
            "bad\nerror: detail".into(),
            Some(&SourceFile::new(
                "f.yaml".into(),
                "a: 1\nname: 日本語x\u{0}\n".into(),
            )),
        );
        let caret = " ".repeat(6 + 6 + 1);
        assert_eq!(
            e.to_string(),
            format!("f.yaml:2:11: bad\n    error: detail\n   |\n 2 | name: 日本語x\u{2400}\n   | {caret}^")
        );
    }
}
