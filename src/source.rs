//! Where input comes from: files, directories (optionally recursive), globs
//! and standard input, read whole, in a deterministic order.

use std::cell::OnceCell;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input text and the name errors use for it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// As the user named it (`-` is shown as `<stdin>`).
    pub name: String,
    pub text: String,
    /// Byte offsets where lines start, built on the first [`SourceFile::line`]:
    /// messages quote the lines they point at, and finding a line by scanning
    /// from the start of the file for each of thousands of messages is
    /// quadratic in the file.
    line_starts: OnceCell<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> Self {
        SourceFile {
            name,
            text,
            line_starts: OnceCell::new(),
        }
    }

    /// Line `n` (1-based) without its line break and trailing `\r`s: the
    /// `n`th item of `text.lines()`, so `None` past the last line.
    pub fn line(&self, n: usize) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(n.checked_sub(1)?)?;
        // A text ending in a line break has no empty line after it.
        if start >= self.text.len() {
            return None;
        }
        let end = starts.get(n).map_or(self.text.len(), |next| next - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{pattern}: the glob matches no file")]
    NoMatch { pattern: String },
    #[error("{pattern}: invalid glob: {message}")]
    BadGlob { pattern: String, message: String },
    #[error("{path}: is a directory (use -R to read it recursively, or name its files)")]
    Directory { path: String },
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expands `-f` arguments into files, in argument order; a directory gives its
/// manifest files sorted by path (recursively with `recursive`), as
/// `kubectl apply -f DIR [-R]` does.
pub fn expand(args: &[String], recursive: bool) -> Result<Vec<PathOrStdin>, SourceError> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(PathOrStdin::Stdin);
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, recursive, &mut files)?;
            files.sort();
            out.extend(files.into_iter().map(PathOrStdin::Path));
        } else if path.exists() || !is_glob(arg) {
            out.push(PathOrStdin::Path(path.to_path_buf()));
        } else {
            let paths = glob::glob(arg).map_err(|e| SourceError::BadGlob {
                pattern: arg.clone(),
                message: e.to_string(),
            })?;
            let mut matched: Vec<PathBuf> = Vec::new();
            for entry in paths {
                let p = entry.map_err(|e| SourceError::Read {
                    path: e.path().display().to_string(),
                    message: e.error().to_string(),
                })?;
                if p.is_dir() {
                    walk(&p, recursive, &mut matched)?;
                } else {
                    matched.push(p);
                }
            }
            if matched.is_empty() {
                return Err(SourceError::NoMatch {
                    pattern: arg.clone(),
                });
            }
            matched.sort();
            out.extend(matched.into_iter().map(PathOrStdin::Path));
        }
    }
    Ok(out)
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn walk(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<(), SourceError> {
    let entries = std::fs::read_dir(dir).map_err(|e| SourceError::Read {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| SourceError::Read {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let p = entry.path();
        if p.is_dir() {
            if recursive {
                walk(&p, recursive, out)?;
            }
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// A resolved input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathOrStdin {
    Path(PathBuf),
    Stdin,
}

/// Reads every input; standard input is read at most once.
pub fn read_all(inputs: &[PathOrStdin]) -> Result<Vec<SourceFile>, SourceError> {
    let mut out = Vec::with_capacity(inputs.len());
    let mut stdin_read = false;
    for input in inputs {
        match input {
            PathOrStdin::Stdin => {
                if stdin_read {
                    continue;
                }
                stdin_read = true;
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| SourceError::Read {
                        path: "<stdin>".into(),
                        message: e.to_string(),
                    })?;
                out.push(SourceFile::new("<stdin>".into(), text));
            }
            PathOrStdin::Path(p) => {
                if p.is_dir() {
                    return Err(SourceError::Directory {
                        path: p.display().to_string(),
                    });
                }
                let bytes = std::fs::read(p).map_err(|e| SourceError::Read {
                    path: p.display().to_string(),
                    message: e.to_string(),
                })?;
                let text = String::from_utf8(bytes).map_err(|e| SourceError::Read {
                    path: p.display().to_string(),
                    message: format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                })?;
                out.push(SourceFile::new(p.display().to_string(), text));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "a\n\nb",
            "x\r\r\ny\r",
            "é\n\n\nü\n",
        ] {
            let f = SourceFile::new("t".into(), text.to_string());
            let want: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
            let got: Vec<&str> = (1..).map_while(|n| f.line(n)).collect();
            assert_eq!(got, want, "{text:?}");
            assert_eq!(f.line(0), None);
            assert_eq!(f.line(want.len() + 1), None, "{text:?}");
            assert_eq!(f.line(want.len() + 5), None, "{text:?}");
        }
    }

    #[test]
    fn directories_list_manifests_sorted() {
        let dir = std::env::temp_dir().join(format!("kss-src-{}", std::process::id()));
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).expect("mkdir");
        for f in ["b.yaml", "a.json", "c.txt"] {
            std::fs::write(dir.join(f), "{}").expect("write");
        }
        std::fs::write(sub.join("d.yml"), "{}").expect("write");
        let arg = vec![dir.display().to_string()];
        let flat = expand(&arg, false).expect("expand");
        assert_eq!(
            flat,
            vec![
                PathOrStdin::Path(dir.join("a.json")),
                PathOrStdin::Path(dir.join("b.yaml"))
            ]
        );
        let deep = expand(&arg, true).expect("expand");
        assert_eq!(deep.len(), 3);
        let globbed = expand(&[format!("{}/*.yaml", dir.display())], false).expect("glob");
        assert_eq!(globbed, vec![PathOrStdin::Path(dir.join("b.yaml"))]);
        assert!(matches!(
            expand(&[format!("{}/*.none", dir.display())], false),
            Err(SourceError::NoMatch { .. })
        ));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
