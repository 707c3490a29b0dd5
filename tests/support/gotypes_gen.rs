//! Generator of `src/sidecarset/gotypes.rs`: the JSON shape (field order,
//! `omitempty`, pointers) of the Go structs a SidecarSet decodes into, read
//! from the Go sources so that the Rust round trip marshals like
//! `encoding/json` does and the revision hashes match Kruise byte for byte.
//!
//! The generator refuses (an error naming `file:line:column`) anything it
//! cannot model exactly: a Go type it does not know, a primitive with no
//! `Ty`, a field without a `json` tag, a tag option that changes the
//! encoding, a type with its own `MarshalJSON`, a JSON name used twice. A
//! silent guess here would change hashes without any test noticing.
//!
//! # Inputs
//!
//! `DIR` holds three checkouts (only the files below are read):
//!
//! ```text
//! DIR/api/core/v1/types.go                               k8s.io/api v0.32.9
//! DIR/apimachinery/pkg/apis/meta/v1/types.go             k8s.io/apimachinery v0.32.9
//! DIR/kruise/apis/apps/v1beta1/sidecarset_types.go       OpenKruise v1.9.0
//! DIR/kruise/apis/apps/v1beta1/scatter_strategy.go
//! DIR/kruise/apis/apps/v1alpha1/sidecarset_types.go
//! DIR/kruise/apis/apps/v1alpha1/scatter_strategy.go
//! DIR/kruise/apis/apps/pub/update_priority.go
//! ```
//!
//! Fetch them (outside the repository; they are not committed):
//!
//! ```text
//! DIR=/tmp/gotypes-src
//! git clone --depth 1 --branch v0.32.9 https://github.com/kubernetes/api "$DIR/api"
//! git clone --depth 1 --branch v0.32.9 https://github.com/kubernetes/apimachinery "$DIR/apimachinery"
//! git clone --depth 1 --branch v1.9.0 https://github.com/openkruise/kruise "$DIR/kruise"
//! ```
//!
//! or from existing clones, file by file:
//! `git -C kruise show v1.9.0:apis/apps/pub/update_priority.go > "$DIR/kruise/apis/apps/pub/update_priority.go"`.
//!
//! # Running
//!
//! ```text
//! cargo run --manifest-path xtask/Cargo.toml -- gotypes "$DIR"     # rewrites the file
//! GOTYPES_SRC="$DIR" cargo test --test gotypes_current             # checks it is current
//! ```
//!
//! # Types with their own JSON encoding
//!
//! Only `types.go` of each package is read, so a `MarshalJSON` defined in
//! another file would go unseen. At the versions above, the types reached
//! with one are listed in [`CUSTOM`] (checked with
//! `git grep -n 'MarshalJSON' v0.32.9 -- pkg/apis/meta/v1 pkg/types` in
//! apimachinery, and the same over `core/v1` in k8s.io/api and
//! `apis/apps/{pub,v1beta1,v1alpha1}` in Kruise, which have none). Those
//! whose encoding no `Ty` models are in [`NO_TY`] and fail when reached.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::path::Path;

/// Where the generated file lives, relative to the main package.
pub const OUTPUT: &str = "src/sidecarset/gotypes.rs";

/// The Go packages whose sources are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pkg {
    V1beta1,
    V1alpha1,
    Pub,
    Core,
    Meta,
}

const CORE: &str = "k8s.io/api/core/v1";
const META: &str = "k8s.io/apimachinery/pkg/apis/meta/v1";
const KRUISE_PUB: &str = "github.com/openkruise/kruise/apis/apps/pub";
const RESOURCE: &str = "k8s.io/apimachinery/pkg/api/resource";
const INTSTR: &str = "k8s.io/apimachinery/pkg/util/intstr";
const TYPES: &str = "k8s.io/apimachinery/pkg/types";

impl Pkg {
    fn import_path(self) -> &'static str {
        match self {
            Pkg::Core => CORE,
            Pkg::Meta => META,
            Pkg::Pub => KRUISE_PUB,
            Pkg::V1beta1 => "github.com/openkruise/kruise/apis/apps/v1beta1",
            Pkg::V1alpha1 => "github.com/openkruise/kruise/apis/apps/v1alpha1",
        }
    }

    /// The name Kruise's sources give the package (`Struct::name`).
    fn qualifier(self) -> &'static str {
        match self {
            Pkg::Core => "corev1",
            Pkg::Meta => "metav1",
            Pkg::Pub => "appspub",
            Pkg::V1beta1 => "v1beta1",
            Pkg::V1alpha1 => "v1alpha1",
        }
    }

    /// Core and meta types keep short static names (`POD_SPEC`); Kruise's
    /// own exist in two versions and need the prefix.
    fn ident_prefix(self) -> &'static str {
        match self {
            Pkg::Core | Pkg::Meta => "",
            Pkg::Pub => "PUB_",
            Pkg::V1beta1 => "V1BETA1_",
            Pkg::V1alpha1 => "V1ALPHA1_",
        }
    }
}

/// The input files, relative to the sources directory.
pub const INPUTS: &[(Pkg, &str)] = &[
    (Pkg::Core, "api/core/v1/types.go"),
    (Pkg::Meta, "apimachinery/pkg/apis/meta/v1/types.go"),
    (Pkg::V1beta1, "kruise/apis/apps/v1beta1/sidecarset_types.go"),
    (Pkg::V1beta1, "kruise/apis/apps/v1beta1/scatter_strategy.go"),
    (
        Pkg::V1alpha1,
        "kruise/apis/apps/v1alpha1/sidecarset_types.go",
    ),
    (
        Pkg::V1alpha1,
        "kruise/apis/apps/v1alpha1/scatter_strategy.go",
    ),
    (Pkg::Pub, "kruise/apis/apps/pub/update_priority.go"),
];

/// The structs the generated file starts from.
pub const ROOTS: &[(Pkg, &str)] = &[(Pkg::V1beta1, "SidecarSet"), (Pkg::V1alpha1, "SidecarSet")];

/// Go types with their own JSON encoding, or from packages not read, by
/// import path and name: the `Ty` that encodes them exactly, and whether
/// that encoding comes from methods (which a type defined over them loses).
pub const CUSTOM: &[(&str, &str, &str, bool)] = &[
    (RESOURCE, "Quantity", "Ty::Quantity", true),
    (INTSTR, "IntOrString", "Ty::IntOrStr", true),
    // `time.go`: RFC 3339 in UTC, second precision, `null` when zero.
    (META, "Time", "Ty::Time", true),
    // `helpers.go`: the raw JSON it holds.
    (META, "FieldsV1", "Ty::Any", true),
    // `type UID string`.
    (TYPES, "UID", "Ty::Str", false),
];

/// Go types with their own `MarshalJSON` that no `Ty` reproduces.
pub const NO_TY: &[(&str, &str, &str)] = &[
    (META, "MicroTime", "microsecond RFC 3339"),
    (META, "Duration", "time.Duration.String()"),
    (META, "GroupVersion", "\"group/version\" string"),
];

/// Go primitives and their `Ty`. Only those whose `encoding/json` form the
/// `Ty` reproduces exactly (range checks included) are listed.
const PRIMITIVES: &[(&str, &str)] = &[
    ("string", "Ty::Str"),
    ("bool", "Ty::Bool"),
    ("int32", "Ty::I32"),
    ("int64", "Ty::I64"),
];

/// Go's predeclared types: met without an entry in [`PRIMITIVES`], they are
/// an error rather than an unknown name to look up.
const GO_BUILTINS: &[&str] = &[
    "any",
    "bool",
    "byte",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
];

/// Why generation stopped, at a place in the Go sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub msg: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            // Not about a place in a file (missing input, bad root).
            return write!(f, "{}: {}", self.file, self.msg);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.msg
        )
    }
}

impl std::error::Error for Error {}

/// Reads the inputs under `dir` and returns the generated Rust source.
pub fn generate(dir: &Path) -> Result<String, Error> {
    let mut sources = Vec::new();
    for (pkg, rel) in INPUTS {
        let path = dir.join(rel);
        let text = fs::read_to_string(&path).map_err(|e| Error {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            msg: format!(
                "cannot read input: {e} (see tests/support/gotypes_gen.rs for the layout)"
            ),
        })?;
        sources.push(Source {
            pkg: *pkg,
            name: path.display().to_string(),
            text,
        });
    }
    generate_from(&sources, ROOTS)
}

/// One Go source file.
pub struct Source {
    pub pkg: Pkg,
    /// Shown in errors.
    pub name: String,
    pub text: String,
}

/// The generated Rust source for the structs reachable from `roots`.
pub fn generate_from(sources: &[Source], roots: &[(Pkg, &str)]) -> Result<String, Error> {
    let model = Model::parse(sources)?;
    let mut out: BTreeMap<Key, Vec<OutField>> = BTreeMap::new();
    let mut queue: Vec<Key> = Vec::new();
    for (pkg, name) in roots {
        let key = (*pkg, (*name).to_string());
        match model.decls.get(&key) {
            Some(d) if matches!(d.kind, DeclKind::Struct(_)) => queue.push(key),
            _ => {
                return Err(Error {
                    file: "<roots>".into(),
                    line: 0,
                    column: 0,
                    msg: format!(
                        "root {}.{name} is not a struct in the inputs",
                        pkg.qualifier()
                    ),
                })
            }
        }
    }
    while let Some(key) = queue.pop() {
        if out.contains_key(&key) {
            continue;
        }
        let fields = model.fields_of(&key, &mut queue, 0)?;
        check_duplicates(&model, &key, &fields)?;
        out.insert(key, fields);
    }
    render(&model, &out)
}

type Key = (Pkg, String);

/// A Go type as the generated file spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ty {
    /// A `Ty` without parameters, e.g. `Ty::Str`.
    Leaf(&'static str),
    List(Box<Ty>),
    Map(Box<Ty>),
    Struct(Key),
}

/// A JSON field of a flattened struct.
#[derive(Debug)]
struct OutField {
    json: String,
    ty: Ty,
    ptr: bool,
    omitempty: bool,
    at: Loc,
}

#[derive(Debug, Clone, Copy)]
struct Loc {
    file: usize,
    line: usize,
    column: usize,
}

struct FileInfo {
    pkg: Pkg,
    name: String,
    /// Import name -> import path.
    imports: HashMap<String, String>,
}

/// A field line of a struct body.
#[derive(Debug)]
struct FieldDecl {
    at: Loc,
    /// `None` for an embedded field.
    go_name: Option<String>,
    ty: String,
    /// Column of the type, for errors about it.
    ty_column: usize,
    tag: String,
}

#[derive(Debug)]
enum DeclKind {
    /// The fields, or why the body could not be read (reported only if the
    /// struct is reached: most of `core/v1` is not).
    Struct(Result<Vec<FieldDecl>, (Loc, String)>),
    /// `type X Y`: X has Y's shape but none of its methods.
    Defined(String),
    /// `type X = Y`.
    Alias(String),
}

struct Decl {
    at: Loc,
    kind: DeclKind,
}

struct Model {
    files: Vec<FileInfo>,
    decls: HashMap<Key, Decl>,
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_exported(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// 1-based column of byte offset `at` in `line`.
fn column(line: &str, at: usize) -> usize {
    line[..at].chars().count() + 1
}

/// `line` without a trailing `// comment`, trimmed.
fn strip_comment(line: &str) -> &str {
    line.split("//").next().unwrap_or("").trim()
}

impl Model {
    fn err(&self, at: Loc, msg: impl Into<String>) -> Error {
        Error {
            file: self.files[at.file].name.clone(),
            line: at.line,
            column: at.column,
            msg: msg.into(),
        }
    }

    fn parse(sources: &[Source]) -> Result<Model, Error> {
        let mut model = Model {
            files: Vec::new(),
            decls: HashMap::new(),
        };
        for (fi, src) in sources.iter().enumerate() {
            model.files.push(FileInfo {
                pkg: src.pkg,
                name: src.name.clone(),
                imports: HashMap::new(),
            });
            let lines: Vec<&str> = src.text.lines().collect();
            let loc = |i: usize, column: usize| Loc {
                file: fi,
                line: i + 1,
                column,
            };
            let mut i = 0;
            while i < lines.len() {
                let line = lines[i];
                if let Some(rest) = line.strip_prefix("import ") {
                    let rest = rest.trim();
                    if rest == "(" {
                        i += 1;
                        while i < lines.len() && lines[i].trim() != ")" {
                            model.import(fi, strip_comment(lines[i]), loc(i, 1))?;
                            i += 1;
                        }
                    } else {
                        model.import(fi, strip_comment(rest), loc(i, 8))?;
                    }
                } else if let Some(rest) = line.strip_prefix("type ") {
                    let at = loc(i, 1);
                    let decl = strip_comment(rest);
                    if decl.starts_with('(') {
                        return Err(
                            model.err(at, "grouped `type (...)` declarations are not supported")
                        );
                    }
                    let (name, under) = decl.split_once(char::is_whitespace).unwrap_or((decl, ""));
                    let under = under.trim();
                    if !is_ident(name) {
                        return Err(model.err(at, format!("cannot read type declaration `{decl}`")));
                    }
                    let kind = if under == "struct {" {
                        let (fields, end) = struct_body(&lines, i + 1, fi);
                        i = end;
                        DeclKind::Struct(fields)
                    } else if under == "struct{}" || under == "struct {}" {
                        DeclKind::Struct(Ok(Vec::new()))
                    } else if let Some(target) = under.strip_prefix('=') {
                        DeclKind::Alias(target.trim().to_string())
                    } else {
                        DeclKind::Defined(under.to_string())
                    };
                    let key = (src.pkg, name.to_string());
                    if let Some(prev) = model.decls.get(&key) {
                        let prev = model.err(prev.at, "");
                        return Err(model.err(
                            at,
                            format!(
                                "{name} declared again (first at {}:{})",
                                prev.file, prev.line
                            ),
                        ));
                    }
                    model.decls.insert(key, Decl { at, kind });
                }
                i += 1;
            }
        }
        Ok(model)
    }

    fn import(&mut self, fi: usize, spec: &str, at: Loc) -> Result<(), Error> {
        if spec.is_empty() {
            return Ok(());
        }
        let (alias, path) = match spec.split_once(char::is_whitespace) {
            Some((alias, path)) => (Some(alias), path.trim()),
            None => (None, spec),
        };
        let Some(path) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
            return Err(self.err(at, format!("cannot read import `{spec}`")));
        };
        let name = match alias {
            Some(a) if is_ident(a) => a.to_string(),
            Some(a) => return Err(self.err(at, format!("unsupported import name `{a}`"))),
            None => path.rsplit('/').next().unwrap_or(path).to_string(),
        };
        self.files[fi].imports.insert(name, path.to_string());
        Ok(())
    }

    /// The flattened JSON fields of struct `key`, in `encoding/json` order
    /// (embedded structs inlined in place); structs they use go on `queue`.
    fn fields_of(
        &self,
        key: &Key,
        queue: &mut Vec<Key>,
        depth: usize,
    ) -> Result<Vec<OutField>, Error> {
        let decl = &self.decls[key];
        if depth > 8 {
            return Err(self.err(decl.at, "embedding nested too deep (a cycle?)"));
        }
        let DeclKind::Struct(body) = &decl.kind else {
            return Err(self.err(decl.at, format!("{} is not a struct", key.1)));
        };
        let fields = body
            .as_ref()
            .map_err(|(at, msg)| self.err(*at, msg.clone()))?;
        let mut out = Vec::new();
        for fd in fields {
            let at_ty = Loc {
                column: fd.ty_column,
                ..fd.at
            };
            let Some(json) = json_tag(&fd.tag) else {
                match &fd.go_name {
                    Some(n) if !is_exported(n) => continue,
                    Some(n) => {
                        return Err(self.err(
                            fd.at,
                            format!(
                                "field {n} has no json tag (encoding/json would name it {n:?})"
                            ),
                        ))
                    }
                    None => {
                        return Err(self.err(fd.at, format!("embedded {} has no json tag", fd.ty)))
                    }
                }
            };
            if fd.go_name.as_deref().is_some_and(|n| !is_exported(n)) {
                // encoding/json ignores unexported fields, tag or not.
                continue;
            }
            if json == "-" {
                continue;
            }
            let mut parts = json.split(',');
            let name = parts.next().unwrap_or("");
            let mut omitempty = false;
            for opt in parts {
                match opt {
                    "omitempty" => omitempty = true,
                    // A Kubernetes convention encoding/json ignores: embedded
                    // fields are inlined because they are embedded.
                    "inline" => {}
                    other => {
                        return Err(
                            self.err(fd.at, format!("json tag option {other:?} is not modelled"))
                        )
                    }
                }
            }
            let (ptr, base) = match fd.ty.strip_prefix('*') {
                Some(b) => (true, b),
                None => (false, fd.ty.as_str()),
            };
            if name.is_empty() {
                if fd.go_name.is_some() {
                    return Err(self.err(
                        fd.at,
                        "named field with an empty json name (encoding/json would use the Go name)",
                    ));
                }
                if ptr {
                    return Err(self.err(at_ty, "embedded pointer structs are not modelled"));
                }
                // Inlined, so not queued as a struct of its own.
                let mut scratch = Vec::new();
                match self.resolve(base, at_ty, &mut scratch, 0)? {
                    Ty::Struct(inner) => {
                        out.extend(self.fields_of(&inner, queue, depth + 1)?);
                    }
                    other => {
                        return Err(self.err(
                            at_ty,
                            format!("embedded {base} is not a struct ({other:?})"),
                        ))
                    }
                }
                continue;
            }
            let ty = self.resolve(base, at_ty, queue, 0)?;
            out.push(OutField {
                json: name.to_string(),
                ty,
                ptr,
                omitempty,
                at: fd.at,
            });
        }
        Ok(out)
    }

    /// The import path and name of a (possibly qualified) type name written
    /// in the file of `at`.
    fn qualified<'a>(&'a self, expr: &'a str, at: Loc) -> Result<(&'a str, &'a str), Error> {
        let file = &self.files[at.file];
        let (pkg_path, name) = match expr.split_once('.') {
            Some((q, n)) => match file.imports.get(q) {
                Some(p) => (p.as_str(), n),
                None => return Err(self.err(at, format!("package {q} of {expr} is not imported"))),
            },
            None => (file.pkg.import_path(), expr),
        };
        if !is_ident(name) {
            return Err(self.err(at, format!("cannot read type {expr}")));
        }
        Ok((pkg_path, name))
    }

    /// The `Ty` of Go type expression `expr` as written in the file of `at`.
    fn resolve(
        &self,
        expr: &str,
        at: Loc,
        queue: &mut Vec<Key>,
        depth: usize,
    ) -> Result<Ty, Error> {
        if depth > 16 {
            return Err(self.err(at, format!("type {expr} does not resolve (a cycle?)")));
        }
        if let Some(elem) = expr.strip_prefix("[]") {
            if elem == "byte" {
                return Err(self.err(at, "[]byte (base64 in JSON) has no Ty"));
            }
            return Ok(Ty::List(Box::new(self.resolve(
                elem,
                at,
                queue,
                depth + 1,
            )?)));
        }
        if let Some(rest) = expr.strip_prefix("map[") {
            let Some((k, v)) = rest.split_once(']') else {
                return Err(self.err(at, format!("cannot read type {expr}")));
            };
            let kt = self.resolve(k, at, queue, depth + 1)?;
            if kt != Ty::Leaf("Ty::Str") {
                return Err(self.err(at, format!("map key {k} is not a string type")));
            }
            return Ok(Ty::Map(Box::new(self.resolve(v, at, queue, depth + 1)?)));
        }
        if expr.starts_with('*') {
            return Err(self.err(
                at,
                format!("pointer inside a composite type ({expr}) is not modelled"),
            ));
        }
        if GO_BUILTINS.contains(&expr) {
            return match PRIMITIVES.iter().find(|(go, _)| *go == expr) {
                Some((_, ty)) => Ok(Ty::Leaf(ty)),
                None => Err(self.err(
                    at,
                    format!("Go primitive {expr} has no Ty (add one to src/sidecarset/gotype.rs and PRIMITIVES)"),
                )),
            };
        }
        let (pkg_path, name) = self.qualified(expr, at)?;
        if let Some((_, _, ty, _)) = CUSTOM
            .iter()
            .find(|(p, n, _, _)| *p == pkg_path && *n == name)
        {
            return Ok(Ty::Leaf(ty));
        }
        if let Some((_, _, how)) = NO_TY.iter().find(|(p, n, _)| *p == pkg_path && *n == name) {
            return Err(self.err(at, format!("{expr} marshals as {how}, which no Ty models")));
        }
        let Some(pkg) = self
            .files
            .iter()
            .map(|f| f.pkg)
            .find(|p| p.import_path() == pkg_path)
        else {
            return Err(self.err(
                at,
                format!("unknown Go type {expr} (package {pkg_path} is not read)"),
            ));
        };
        let key = (pkg, name.to_string());
        let Some(decl) = self.decls.get(&key) else {
            return Err(self.err(
                at,
                format!(
                    "unknown Go type {expr} (not declared in the {} inputs)",
                    pkg.qualifier()
                ),
            ));
        };
        match &decl.kind {
            DeclKind::Struct(_) => {
                queue.push(key.clone());
                Ok(Ty::Struct(key))
            }
            DeclKind::Alias(target) => self.resolve(target, decl.at, queue, depth + 1),
            DeclKind::Defined(under) => {
                // A defined type drops the methods of the type it names, so
                // a MarshalJSON would no longer apply.
                let is_name = match under.split_once('.') {
                    Some((q, n)) => is_ident(q) && is_ident(n),
                    None => is_ident(under),
                };
                if is_name {
                    let (p, n) = self.qualified(under, decl.at)?;
                    if CUSTOM.iter().any(|c| c.0 == p && c.1 == n && c.3) {
                        return Err(self.err(
                            decl.at,
                            format!("{name} is defined over {under} and loses its MarshalJSON"),
                        ));
                    }
                }
                self.resolve(under, decl.at, queue, depth + 1)
            }
        }
    }
}

/// The `json:"..."` value of a struct tag.
fn json_tag(tag: &str) -> Option<&str> {
    let start = tag.find("json:\"")? + "json:\"".len();
    if start > "json:\"".len() && !tag[..start - "json:\"".len()].ends_with(' ') {
        return None;
    }
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// Reads a struct body starting at line index `start`; returns the fields
/// (or the first line it cannot read) and the index of the closing `}`.
type Body = Result<Vec<FieldDecl>, (Loc, String)>;

fn struct_body(lines: &[&str], start: usize, fi: usize) -> (Body, usize) {
    let mut fields = Vec::new();
    let mut problem: Option<(Loc, String)> = None;
    let mut i = start;
    while i < lines.len() && lines[i].trim_end() != "}" {
        let raw = lines[i];
        let at = Loc {
            file: fi,
            line: i + 1,
            column: column(raw, raw.len() - raw.trim_start().len()),
        };
        i += 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") || problem.is_some() {
            continue;
        }
        match field_line(raw, at) {
            Ok(fd) => fields.push(fd),
            Err(msg) => problem = Some((at, msg)),
        }
    }
    let result = match problem {
        Some(e) => Err(e),
        None => Ok(fields),
    };
    (result, i)
}

/// `Name Type `tag` // comment` or `Type `tag``.
fn field_line(raw: &str, at: Loc) -> Result<FieldDecl, String> {
    let (decl, tag) = match raw.find('`') {
        Some(open) => {
            let rest = &raw[open + 1..];
            let close = rest.find('`').ok_or("unterminated struct tag")?;
            let after = rest[close + 1..].trim();
            if !(after.is_empty() || after.starts_with("//")) {
                return Err(format!("cannot read field line {:?}", raw.trim()));
            }
            (&raw[..open], rest[..close].to_string())
        }
        None => (strip_comment(raw), String::new()),
    };
    let words: Vec<(usize, &str)> = decl
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - raw.as_ptr() as usize, w))
        .collect();
    let (go_name, (ty_at, ty)) = match words.as_slice() {
        [t] => (None, *t),
        [(_, n), t] if is_ident(n) => (Some((*n).to_string()), *t),
        _ => return Err(format!("cannot read field line {:?}", raw.trim())),
    };
    if ty.contains(['{', '(', ',']) {
        return Err(format!("cannot read field type {ty:?}"));
    }
    Ok(FieldDecl {
        at,
        go_name,
        ty: ty.to_string(),
        ty_column: column(raw, ty_at),
        tag,
    })
}

/// Go's promotion rules resolve clashing names silently; here a clash is an
/// error, since the flattening above does not implement those rules.
fn check_duplicates(model: &Model, key: &Key, fields: &[OutField]) -> Result<(), Error> {
    let mut seen: HashMap<&str, Loc> = HashMap::new();
    for f in fields {
        if let Some(first) = seen.insert(&f.json, f.at) {
            let first = model.err(first, "");
            return Err(model.err(
                f.at,
                format!(
                    "{}: JSON name {:?} used twice (first at {}:{})",
                    key.1, f.json, first.file, first.line
                ),
            ));
        }
    }
    Ok(())
}

/// `AWSElasticBlockStoreVolumeSource` -> `AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE`.
fn screaming_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn ident(key: &Key) -> String {
    format!("{}{}", key.0.ident_prefix(), screaming_snake(&key.1))
}

fn ty_expr(ty: &Ty) -> String {
    match ty {
        Ty::Leaf(s) => (*s).to_string(),
        Ty::List(e) => format!("Ty::List(&{})", ty_expr(e)),
        Ty::Map(e) => format!("Ty::Map(&{})", ty_expr(e)),
        Ty::Struct(k) => format!("Ty::Struct(&{})", ident(k)),
    }
}

fn render(model: &Model, structs: &BTreeMap<Key, Vec<OutField>>) -> Result<String, Error> {
    let mut idents: BTreeSet<String> = BTreeSet::new();
    for key in structs.keys() {
        if !idents.insert(ident(key)) {
            return Err(model.err(
                model.decls[key].at,
                format!("static name {} is taken twice", ident(key)),
            ));
        }
    }
    let mut s = String::new();
    s.push_str(
        "// @generated by tests/support/gotypes_gen.rs from k8s.io/api v0.32.9 core/v1, k8s.io/apimachinery\n\
         // v0.32.9 meta/v1 and OpenKruise v1.9.0 apis/apps/{v1beta1,v1alpha1,pub}. Do not edit by\n\
         // hand: `cargo run --manifest-path xtask/Cargo.toml -- gotypes DIR` rewrites it and\n\
         // tests/gotypes_current.rs checks it.\n\
         \n\
         use super::gotype::{Field, Struct, Ty};\n",
    );
    for (key, fields) in structs {
        s.push_str(&format!(
            "\npub static {}: Struct = Struct {{\n    name: \"{}.{}\",\n    fields: &[\n",
            ident(key),
            key.0.qualifier(),
            key.1
        ));
        for f in fields {
            s.push_str(&format!(
                "        Field {{ name: {:?}, ty: {}, ptr: {}, omitempty: {} }},\n",
                f.json,
                ty_expr(&f.ty),
                f.ptr,
                f.omitempty
            ));
        }
        s.push_str("    ],\n};\n");
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(core: &str) -> Result<String, Error> {
        let sources = [Source {
            pkg: Pkg::Core,
            name: "types.go".into(),
            text: format!(
                "package v1\n\nimport (\n\tmetav1 \"{META}\"\n\t\"{RESOURCE}\"\n)\n\n{core}"
            ),
        }];
        generate_from(&sources, &[(Pkg::Core, "Root")])
    }

    fn err(core: &str) -> String {
        match gen(core) {
            Ok(out) => panic!("expected an error, generated:\n{out}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn emits_static_references_in_declaration_order() {
        let out = gen("type Root struct {\n\t// doc\n\tB []Inner `json:\"b,omitempty\"`\n\tA *string `json:\"a\"`\n\tQ map[Name]resource.Quantity `json:\"q\"`\n\tT metav1.Time `json:\"t\"`\n\tInner `json:\",inline\"`\n\thidden int\n}\n\ntype Name string\n\ntype Inner struct {\n\tX int32 `json:\"x\"`\n}\n")
            .expect("generates");
        assert!(out.contains(
            "pub static ROOT: Struct = Struct {\n    name: \"corev1.Root\",\n    fields: &[\n        \
             Field { name: \"b\", ty: Ty::List(&Ty::Struct(&INNER)), ptr: false, omitempty: true },\n        \
             Field { name: \"a\", ty: Ty::Str, ptr: true, omitempty: false },\n        \
             Field { name: \"q\", ty: Ty::Map(&Ty::Quantity), ptr: false, omitempty: false },\n        \
             Field { name: \"t\", ty: Ty::Time, ptr: false, omitempty: false },\n        \
             Field { name: \"x\", ty: Ty::I32, ptr: false, omitempty: false },\n    ],\n};\n"
        ), "{out}");
        assert!(out.contains("pub static INNER: Struct"), "{out}");
    }

    #[test]
    fn unknown_types_fail_with_their_place() {
        assert_eq!(
            err("type Root struct {\n\tA Missing `json:\"a\"`\n}\n"),
            "types.go:9:4: unknown Go type Missing (not declared in the corev1 inputs)"
        );
        assert!(err("type Root struct {\n\tA other.T `json:\"a\"`\n}\n")
            .contains("package other of other.T is not imported"));
        assert!(err("type Root struct {\n\tA metav1.Nope `json:\"a\"`\n}\n")
            .contains("package k8s.io/apimachinery/pkg/apis/meta/v1 is not read"));
    }

    #[test]
    fn primitives_without_a_ty_fail() {
        for go in ["float64", "uint32", "int", "[]byte"] {
            let e = err(&format!("type Root struct {{\n\tA {go} `json:\"a\"`\n}}\n"));
            assert!(e.contains("has no Ty"), "{go}: {e}");
        }
        let e = err("type Root struct {\n\tA Ratio `json:\"a\"`\n}\n\ntype Ratio float64\n");
        assert!(e.contains("Go primitive float64 has no Ty"), "{e}");
    }

    #[test]
    fn encodings_not_modelled_fail() {
        for (body, want) in [
            ("\tA string\n", "field A has no json tag"),
            ("\tA string `json:\"a,string\"`\n", "option \"string\""),
            ("\tA []*string `json:\"a\"`\n", "pointer inside a composite"),
            (
                "\tA string `json:\"a\"`\n\tB string `json:\"a\"`\n",
                "JSON name \"a\" used twice",
            ),
            ("\tA metav1.MicroTime `json:\"a\"`\n", "no Ty models"),
            ("\tA, B string `json:\"a\"`\n", "cannot read field line"),
            ("\tA map[int32]string `json:\"a\"`\n", "map key int32"),
        ] {
            let e = err(&format!("type Root struct {{\n{body}}}\n"));
            assert!(e.contains(want), "{body:?}: {e}");
        }
        let e = err("type Root struct {\n\tT Stamp `json:\"t\"`\n}\n\ntype Stamp metav1.Time\n");
        assert!(e.contains("loses its MarshalJSON"), "{e}");
        gen("type Root struct {\n\tT Stamps `json:\"t\"`\n}\n\ntype Stamps map[string]metav1.Time\n").expect("elements keep their methods");
    }

    #[test]
    fn unread_structs_do_not_matter_until_reached() {
        let odd = "type Odd struct {\n\tX struct {\n\t\tY int\n\t}\n}\n\n";
        gen(&format!(
            "{odd}type Root struct {{\n\tA string `json:\"a\"`\n}}\n"
        ))
        .expect("Odd is not reached");
        let e = err(&format!(
            "{odd}type Root struct {{\n\tA Odd `json:\"a\"`\n}}\n"
        ));
        assert!(e.contains("cannot read field"), "{e}");
    }

    #[test]
    fn static_names() {
        assert_eq!(
            screaming_snake("AWSElasticBlockStoreVolumeSource"),
            "AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE"
        );
        assert_eq!(screaming_snake("PodOS"), "POD_OS");
        assert_eq!(screaming_snake("HTTPGetAction"), "HTTP_GET_ACTION");
        assert_eq!(screaming_snake("ObjectMeta"), "OBJECT_META");
    }
}
