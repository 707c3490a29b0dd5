//! `-o sarif`: SARIF 2.1.0 for GitHub code scanning.
//!
//! Artifact URIs are relative to `%SRCROOT%` (the `--sarif-root` directory,
//! by default the current one), which `originalUriBaseIds` resolves, so the
//! same findings get the same URIs whether files were named relatively or
//! absolutely, and code scanning (which reads relative URIs from the root of
//! the checkout) finds the files.

use super::Located;
use crate::lint::Rule;
use crate::lint::Severity;
use serde_json::{json, Value};
use std::path::{Component, Path, PathBuf};

/// The `uriBaseId` of every artifact under the source root.
pub(crate) const SRCROOT: &str = "%SRCROOT%";

/// The name `source` gives standard input.
const STDIN_NAME: &str = "<stdin>";

/// What the run says about the tool itself.
#[derive(Clone, Copy, Debug)]
pub struct Tool<'a> {
    /// The tool's version, recorded in the SARIF run.
    pub version: &'a str,
    /// `Cargo.toml`'s `repository`, if any: rule help links point into it.
    /// Without one there is no page to link to, so no link is made.
    pub repository: Option<&'a str>,
}

/// The source root artifact URIs are relative to, and the directory
/// relative file names were given from.
#[derive(Clone, Debug)]
pub struct SrcRoot {
    root: PathBuf,
    cwd: PathBuf,
}

impl SrcRoot {
    /// `root` (relative to `cwd`) and the working directory; `cwd` must be
    /// absolute.
    pub fn new(root: &Path, cwd: &Path) -> SrcRoot {
        SrcRoot {
            root: normalize(&cwd.join(root)),
            cwd: normalize(cwd),
        }
    }

    /// `file:///…/`: the root as the absolute URI `originalUriBaseIds` needs
    /// (ending in `/`, so that relative URIs resolve under it).
    fn uri(&self) -> String {
        let mut u = file_uri(&self.root);
        if !u.ends_with('/') {
            u.push('/');
        }
        u
    }

    /// The artifact location of a file as the user named it: relative to
    /// the root when under it, else an absolute `file:` URI (a relative URI
    /// would name another file once resolved against the root).
    fn artifact(&self, file: &str) -> Value {
        if file == STDIN_NAME {
            // No file to point at; the name says where the text came from.
            return json!({"uri": "stdin", "description": {"text": "standard input"}});
        }
        let abs = normalize(&self.cwd.join(file));
        match self.relative(&abs) {
            Some(rel) => json!({"uri": uri(&rel), "uriBaseId": SRCROOT}),
            None => json!({"uri": file_uri(&abs)}),
        }
    }

    fn relative(&self, abs: &Path) -> Option<String> {
        let rel = match abs.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            // The same directory reached through a symbolic link (the
            // working directory is physical, a named path need not be).
            Err(_) => {
                let file = std::fs::canonicalize(abs).ok()?;
                let root = std::fs::canonicalize(&self.root).ok()?;
                file.strip_prefix(&root).ok()?.to_path_buf()
            }
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `.` and `..` resolved without touching the file system, as `path.Clean`
/// does: what the user named, not where symbolic links lead.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn file_uri(abs: &Path) -> String {
    let p = abs.to_string_lossy().replace('\\', "/");
    // A Windows drive path gets the slash a file URI puts before it.
    let p = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    format!("file://{}", uri(&p))
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative or absolute path as a URI reference: everything but
/// unreserved characters and `/` percent-encoded (Windows `\\` becomes `/`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `rules` is the registry (all of it, so that `ruleIndex` is stable across
/// runs).
pub fn sarif(results: &[Located], rules: &[Rule], tool: &Tool<'_>, root: &SrcRoot) -> String {
    let rule_objs: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut o = json!({
                "id": r.id,
                "name": r.title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| {
                    let mut cs = w.chars();
                    cs.next().map(|c| c.to_uppercase().collect::<String>() + cs.as_str()).unwrap_or_default()
                }).collect::<String>(),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.description},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
            });
            if let (Some(repo), Some(obj)) = (tool.repository, o.as_object_mut()) {
                obj.insert("helpUri".into(), json!(help_uri(repo, r)));
            }
            o
        })
        .collect();
    let res: Vec<Value> = results
        .iter()
        .map(|r| {
            let f = &r.finding;
            let mut region = serde_json::Map::new();
            if let Some(l) = r.line {
                region.insert("startLine".into(), json!(l));
                if let Some(c) = r.column {
                    region.insert("startColumn".into(), json!(c));
                }
            }
            let mut location = serde_json::Map::new();
            // A physical location needs an artifact: without a file only the
            // object is named.
            if let Some(file) = &r.file {
                let mut physical = serde_json::Map::new();
                physical.insert("artifactLocation".into(), root.artifact(file));
                if !region.is_empty() {
                    physical.insert("region".into(), Value::Object(region));
                }
                location.insert("physicalLocation".into(), Value::Object(physical));
            }
            location.insert(
                "logicalLocations".into(),
                json!([{"fullyQualifiedName": r.object, "kind": "resource"}]),
            );
            let text = match &f.help {
                Some(h) => format!("{} ({}) Help: {}", f.message, r.object, h),
                None => format!("{} ({})", f.message, r.object),
            };
            let mut o = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [Value::Object(location)],
            });
            if let (Some(i), Some(obj)) = (
                rules.iter().position(|x| x.id.as_str() == f.rule),
                o.as_object_mut(),
            ) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            o
        })
        .collect();
    let mut driver = json!({
        "name": "kubectl-sidecarset",
        "version": tool.version,
        "rules": rule_objs,
    });
    if let (Some(repo), Some(obj)) = (tool.repository, driver.as_object_mut()) {
        obj.insert("informationUri".into(), json!(repo));
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {SRCROOT: {"uri": root.uri()}},
            "results": res,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The rule's section of `docs/rules.md` in the repository.
fn help_uri(repository: &str, rule: &Rule) -> String {
    format!(
        "{}/blob/HEAD/docs/rules.md#{}",
        repository.trim_end_matches('/'),
        rule.anchor()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RULES;

    fn root() -> SrcRoot {
        SrcRoot::new(Path::new("repo"), Path::new("/work"))
    }

    #[test]
    fn artifacts_are_relative_to_the_root_however_named() {
        let r = root();
        assert_eq!(r.uri(), "file:///work/repo/");
        let want = json!({"uri": "deploy/a%20b.yaml", "uriBaseId": SRCROOT});
        for named in [
            "repo/deploy/a b.yaml",
            "./repo/deploy/../deploy/a b.yaml",
            "/work/repo/deploy/a b.yaml",
        ] {
            assert_eq!(r.artifact(named), want, "{named}");
        }
    }

    #[test]
    fn files_outside_the_root_keep_an_absolute_uri() {
        let r = root();
        assert_eq!(
            r.artifact("other/x.yaml"),
            json!({"uri": "file:///work/other/x.yaml"})
        );
        assert_eq!(
            r.artifact("/etc/k8s/x,y.yaml"),
            json!({"uri": "file:///etc/k8s/x%2Cy.yaml"})
        );
        // A sibling whose name starts like the root is not under it.
        assert_eq!(
            r.artifact("/work/repo2/x.yaml"),
            json!({"uri": "file:///work/repo2/x.yaml"})
        );
    }

    #[test]
    fn standard_input_is_named() {
        let a = root().artifact(STDIN_NAME);
        assert_eq!(a["uri"], "stdin");
        assert!(a.get("uriBaseId").is_none());
        assert_eq!(a["description"]["text"], "standard input");
    }

    #[test]
    fn help_links_only_with_a_repository() {
        let rule = &RULES[0];
        let without: Value = serde_json::from_str(&sarif(
            &[],
            &RULES[..1],
            &Tool {
                version: "1",
                repository: None,
            },
            &root(),
        ))
        .expect("json");
        let driver = &without["runs"][0]["tool"]["driver"];
        assert!(driver.get("informationUri").is_none());
        assert!(driver["rules"][0].get("helpUri").is_none());
        assert_eq!(
            driver["rules"][0]["fullDescription"]["text"],
            rule.description
        );
        assert_eq!(driver["rules"][0]["help"]["text"], rule.help);
        let with: Value = serde_json::from_str(&sarif(
            &[],
            &RULES[..1],
            &Tool {
                version: "1",
                repository: Some("https://example.org/team/tool/"),
            },
            &root(),
        ))
        .expect("json");
        let driver = &with["runs"][0]["tool"]["driver"];
        assert_eq!(driver["informationUri"], "https://example.org/team/tool/");
        assert_eq!(
            driver["rules"][0]["helpUri"],
            format!(
                "https://example.org/team/tool/blob/HEAD/docs/rules.md#{}",
                rule.id.as_str().to_ascii_lowercase()
            )
        );
    }
}
