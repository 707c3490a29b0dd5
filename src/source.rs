//! Where input comes from: files, directories (optionally recursive), globs
//! and standard input, read whole, in a deterministic order.

use std::cell::{OnceCell, RefCell};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

thread_local! {
    /// Standard input handed over by an in-process caller
    /// (`cli::run_with_io`) in place of the process's own; taken whole by
    /// the first read, as a pipe is drained.
    static GIVEN_STDIN: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// Runs `f` with `bytes` as standard input on this thread: a non-terminal
/// stream holding them. The previous standard input is back afterwards, even
/// if `f` panics.
pub fn with_stdin<R>(bytes: &[u8], f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Vec<u8>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            GIVEN_STDIN.with(|g| *g.borrow_mut() = previous);
        }
    }
    let _restore = Restore(GIVEN_STDIN.with(|g| g.borrow_mut().replace(bytes.to_vec())));
    f()
}

/// Whether standard input is an interactive terminal (so nothing is piped).
pub fn stdin_is_terminal() -> bool {
    GIVEN_STDIN.with(|g| g.borrow().is_none()) && std::io::stdin().is_terminal()
}

/// Whether standard input was handed over by an in-process caller: the
/// run's output then goes to the caller's buffers, not to a terminal.
pub fn stdin_given() -> bool {
    GIVEN_STDIN.with(|g| g.borrow().is_some())
}

/// All of standard input.
pub fn read_stdin() -> std::io::Result<Vec<u8>> {
    if let Some(given) = GIVEN_STDIN.with(|g| g.borrow_mut().as_mut().map(std::mem::take)) {
        return Ok(given);
    }
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// One input text and the name errors use for it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// As the user named it (`-` is shown as `<stdin>`).
    pub name: String,
    /// The whole text, decoded (or one chunk of it: see
    /// [`SourceFile::part`]).
    pub text: String,
    /// The line of the input `text` starts on (1 unless it is a part).
    first_line: usize,
    /// Byte offsets where lines start, built on the first [`SourceFile::line`]:
    /// messages quote the lines they point at, and finding a line by scanning
    /// from the start of the file for each of thousands of messages is
    /// quadratic in the file.
    line_starts: OnceCell<Vec<usize>>,
}

impl SourceFile {
    /// An input named `name` (as errors show it) holding `text`.
    pub fn new(name: String, text: String) -> Self {
        SourceFile::part(name, text, 1)
    }

    /// The lines of input `name` from line `first_line` on, as `text`:
    /// one chunk of an input too large to hold whole, whose lines keep
    /// their numbers in the input (the positions parsers report, and
    /// [`SourceFile::line`]). It starts at the start of a line.
    pub fn part(name: String, text: String, first_line: usize) -> Self {
        SourceFile {
            name,
            text,
            first_line: first_line.max(1),
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
        let start = *starts.get(n.checked_sub(self.first_line)?)?;
        // A text ending in a line break has no empty line after it.
        if start >= self.text.len() {
            return None;
        }
        let end = starts
            .get(n + 1 - self.first_line)
            .map_or(self.text.len(), |next| next - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file (or standard input) the system would not read.
    #[error("{path}: {message}")]
    Read {
        /// The input as named.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// A glob that names no file: a typo would otherwise read nothing.
    #[error("{pattern}: the glob matches no file")]
    NoMatch {
        /// The glob as given.
        pattern: String,
    },
    /// A glob that is not valid glob syntax.
    #[error("{pattern}: invalid glob: {message}")]
    BadGlob {
        /// The glob as given.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// A directory named without `-R`: its files are read only when asked.
    #[error("{path}: is a directory (use -R to read it recursively, or name its files)")]
    Directory {
        /// The directory as named.
        path: String,
    },
    /// Bytes that are not text a YAML parser may read, located.
    #[error(transparent)]
    Text(InputError),
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
        // The entry's type comes with the listing; only a symlink needs a
        // stat to tell whether it leads to a directory.
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => p.is_dir(),
        };
        if is_dir {
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
    /// A file.
    Path(PathBuf),
    /// Standard input (`-f -`, or piped in).
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
                let bytes = read_stdin().map_err(|e| SourceError::Read {
                    path: "<stdin>".into(),
                    message: e.to_string(),
                })?;
                let name = "<stdin>".to_string();
                let text = decode(&name, bytes)?;
                out.push(SourceFile::new(name, text));
            }
            PathOrStdin::Path(p) => {
                if p.is_dir() {
                    return Err(SourceError::Directory {
                        path: p.display().to_string(),
                    });
                }
                let bytes = std::fs::read(p).map_err(|e| SourceError::Read {
                    path: p.display().to_string(),
                    message: read_failure(p, &e),
                })?;
                let name = p.display().to_string();
                let text = decode(&name, bytes)?;
                out.push(SourceFile::new(name, text));
            }
        }
    }
    Ok(out)
}

/// The text of an input, or an error at its first byte that no YAML (or
/// JSON) parser accepts: a byte sequence that is not UTF-8, or a NUL, which
/// the parser would otherwise take for the end of the stream or report
/// without saying what it found. The column counts the characters before
/// the bad byte on its line, as every other position the tool reports does.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, SourceError> {
    let (bytes, bad, message) = match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            None => return Ok(text),
            Some(at) => (
                text.into_bytes(),
                at,
                "NUL byte is not allowed in YAML".to_string(),
            ),
        },
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bad_len = e.utf8_error().error_len();
            let bytes = e.into_bytes();
            match bytes[..valid].iter().position(|&b| b == 0) {
                Some(at) => (bytes, at, "NUL byte is not allowed in YAML".to_string()),
                None => {
                    let message = invalid_utf8(&bytes, valid, bad_len);
                    (bytes, valid, message)
                }
            }
        }
    };
    // Everything before `bad` is valid UTF-8: the line/column arithmetic
    // runs on text.
    let prefix = String::from_utf8_lossy(&bytes[..bad]);
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let line = 1 + prefix.matches('\n').count();
    let column = prefix[line_start..].chars().count() + 1;
    let line_end = bytes[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| line_start + i);
    let shown = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .to_string();
    Err(SourceError::Text(InputError::with_source_line(
        Location {
            file: name.to_string(),
            line,
            column,
        },
        message,
        Some(shown),
    )))
}

/// What is wrong at byte `at`, which starts an invalid sequence of
/// `len` bytes (`None`: the input ends inside a character).
fn invalid_utf8(bytes: &[u8], at: usize, len: Option<usize>) -> String {
    let hex = |b: &[u8]| {
        b.iter()
            .map(|x| format!("0x{x:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let seq = &bytes[at..len.map_or(bytes.len(), |n| at + n)];
    let what = match len {
        Some(1) => format!("byte {}", hex(seq)),
        Some(_) => format!("bytes {}", hex(seq)),
        None => format!("incomplete character {} at the end of the input", hex(seq)),
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let hint = if utf16 {
        "the file looks like UTF-16; convert it to UTF-8"
    } else {
        "manifests must be UTF-8 text"
    };
    format!("invalid UTF-8 ({what}): {hint}")
}

/// Why a file could not be read; for a relative path that is not there,
/// also where it was looked for (kustomize and helm run the tool from
/// directories of their own).
pub(crate) fn read_failure(path: &Path, e: &std::io::Error) -> String {
    match std::env::current_dir() {
        Ok(cwd) if e.kind() == std::io::ErrorKind::NotFound && path.is_relative() => {
            format!("{e} (relative to {})", cwd.display())
        }
        _ => e.to_string(),
    }
}

/// A resolved position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The input's name as the user gave it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Input that cannot be read or parsed: exit status 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Where the error is.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// The input line the error points at, shown under the message.
    pub source_line: Option<String>,
}

impl InputError {
    pub(crate) fn new(location: Location, message: String, file: Option<&SourceFile>) -> Self {
        let source_line = file.and_then(|f| line_of(f, location.line));
        InputError {
            location,
            message,
            source_line,
        }
    }

    /// An error whose line the caller has already cut out (e.g. from bytes
    /// that are not all text).
    pub fn with_source_line(
        location: Location,
        message: String,
        source_line: Option<String>,
    ) -> Self {
        InputError {
            location,
            message,
            source_line,
        }
    }
}

/// Line `n` (1-based) of `file`, without its line break. The file's line
/// index makes this cheap, so commands that collect an error per object of
/// a large stream stay linear.
fn line_of(file: &SourceFile, n: usize) -> Option<String> {
    file.line(n).map(str::to_string)
}

/// How far continuation lines of a message are indented.
const CONTINUATION: &str = "    ";

/// `message` as one diagnostic: a wrapped library error (the regex crate's,
/// serde's) brings its own line breaks, and a continuation line such as the
/// regex crate's `error: unclosed character class` would otherwise read as
/// a second error to anything that counts `error:` lines. Continuation
/// lines are indented under the first; blank ones are dropped.
pub fn one_diagnostic(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.contains(['\n', '\r']) {
        return message.into();
    }
    let mut lines = message.lines().map(|l| l.trim_end_matches('\r'));
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        out.push('\n');
        out.push_str(CONTINUATION);
        out.push_str(line);
    }
    out.into()
}

/// A source line as it can be shown on a terminal: control characters
/// (a NUL, an escape) become their visible symbols (U+2400 block), tabs stay.
pub fn printable_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.chars().any(|c| c.is_control() && c != '\t') {
        return line.into();
    }
    line.chars()
        .map(|c| match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// What goes before a caret so that it sits under the 1-based character
/// `column` of `line` as a terminal draws it: tabs are copied (the line and
/// the caret share the gutter width, so tab stops agree), wide characters
/// (CJK, most emoji) take two cells, combining marks none.
pub fn caret_padding(line: &str, column: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut pad = String::new();
    for c in line.chars().take(column.saturating_sub(1)) {
        if c == '\t' {
            pad.push('\t');
        } else {
            pad.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0)));
        }
    }
    // A column past the end of the line (an error at the line break).
    let missing = column
        .saturating_sub(1)
        .saturating_sub(line.chars().count());
    pad.extend(std::iter::repeat_n(' ', missing));
    pad
}

impl std::fmt::Display for InputError {
    /// `file:line:col: message`, then the line with a caret under the column.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, one_diagnostic(&self.message))?;
        if let Some(line) = &self.source_line {
            let line = printable_line(line);
            let num = self.location.line.to_string();
            let pad = " ".repeat(num.len());
            let caret = caret_padding(&line, self.location.column);
            write!(f, "\n {pad} |\n {num} | {line}\n {pad} | {caret}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

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

    fn decode_error(bytes: &[u8]) -> InputError {
        match decode("in.yaml", bytes.to_vec()) {
            Err(SourceError::Text(e)) => e,
            other => panic!("expected a located error, got {other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_located_in_characters() {
        // Line 2; before the bad byte: `a: "`, `é` (2 bytes), `日` (3 bytes).
        let e = decode_error(b"k: v\na: \"\xc3\xa9\xe6\x97\xa5\xff\"\n");
        assert_eq!((e.location.line, e.location.column), (2, 7));
        assert_eq!(
            e.message,
            "invalid UTF-8 (byte 0xFF): manifests must be UTF-8 text"
        );
        assert_eq!(e.source_line.as_deref(), Some("a: \"é日\u{fffd}\""));
        // A lead byte followed by a non-continuation byte.
        let e = decode_error(b"x\xe6(\n");
        assert_eq!((e.location.line, e.location.column), (1, 2));
        assert!(
            e.message.starts_with("invalid UTF-8 (byte 0xE6)"),
            "{}",
            e.message
        );
        // Cut off inside a character at the end.
        let e = decode_error(b"a: b\r\nc: \xe6\x97");
        assert_eq!((e.location.line, e.location.column), (2, 4));
        assert!(
            e.message.contains("incomplete character 0xE6 0x97"),
            "{}",
            e.message
        );
        assert_eq!(e.source_line.as_deref(), Some("c: \u{fffd}"));
        // UTF-16 with a byte-order mark.
        let e = decode_error(b"\xff\xfea\x00");
        assert_eq!((e.location.line, e.location.column), (1, 1));
        assert!(e.message.contains("UTF-16"), "{}", e.message);
    }

    #[test]
    fn nul_bytes_are_located() {
        let e = decode_error(b"a: 1\nb: \"\xe6\x97\xa5\x00\"\n");
        assert_eq!((e.location.line, e.location.column), (2, 6));
        assert_eq!(e.message, "NUL byte is not allowed in YAML");
        // The first bad byte wins: a NUL before invalid UTF-8.
        let e = decode_error(b"a\x00b\nc\xff");
        assert_eq!((e.location.line, e.location.column), (1, 2));
        assert_eq!(e.message, "NUL byte is not allowed in YAML");
        let e = decode_error(b"a\xffb\x00");
        assert!(e.message.starts_with("invalid UTF-8"), "{}", e.message);
        assert_eq!(
            decode("in.yaml", b"ok: \xe6\x97\xa5\n".to_vec())
                .ok()
                .as_deref(),
            Some("ok: 日\n")
        );
    }

    #[test]
    fn a_missing_relative_path_names_the_directory() {
        let cwd = std::env::current_dir().expect("cwd");
        let missing = PathOrStdin::Path(PathBuf::from("no-such-dir/sidecarsets.yaml"));
        let err = read_all(&[missing]).expect_err("missing").to_string();
        assert!(
            err.starts_with("no-such-dir/sidecarsets.yaml: ")
                && err.ends_with(&format!("(relative to {})", cwd.display())),
            "{err}"
        );
        let absolute = PathOrStdin::Path(cwd.join("no-such-dir/sidecarsets.yaml"));
        let err = read_all(&[absolute]).expect_err("missing").to_string();
        assert!(!err.contains("relative to"), "{err}");
    }
}
