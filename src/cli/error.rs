//! How a command fails: the exit status it maps to and what is printed.

use crate::document::{one_diagnostic, InputError, Location};
use crate::source::SourceError;

/// A failed command. `Usage`/`Input` exit 2, `Rejected` exits 1.
#[derive(Debug)]
pub enum CliError {
    /// Bad flags or an unusable combination of them.
    Usage(String),
    /// Input that cannot be read or parsed, or has a wrong type.
    Input(InputError),
    /// Several input errors found in one pass.
    Inputs(Vec<InputError>),
    /// Could not read files at all (missing file, bad glob).
    Source(SourceError),
    /// Understood but refused: an injection the webhook would reject, lint
    /// errors, an invalid SidecarSet. The message is already printed when
    /// `message` is empty.
    Rejected {
        location: Option<Location>,
        message: String,
    },
    /// Writing the output failed (other than a closed pipe).
    Output(std::io::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Rejected { .. } => 1,
            _ => 2,
        }
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e)
    }
}

impl From<SourceError> for CliError {
    fn from(e: SourceError) -> Self {
        CliError::Source(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

impl std::fmt::Display for CliError {
    /// One diagnostic per error (several for `Inputs`, each its own
    /// `error:` line): messages that carry a wrapped library error's line
    /// breaks go through [`one_diagnostic`], and located ones start with
    /// `file:line:col`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) => f.write_str(&one_diagnostic(m)),
            CliError::Input(e) => write!(f, "{e}"),
            CliError::Inputs(es) => {
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\nerror: ")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            CliError::Source(SourceError::Text(e)) => write!(f, "{e}"),
            CliError::Source(e) => f.write_str(&one_diagnostic(&e.to_string())),
            CliError::Rejected { location, message } => match location {
                Some(l) => write!(f, "{l}: {}", one_diagnostic(message)),
                None => f.write_str(&one_diagnostic(message)),
            },
            CliError::Output(e) => write!(f, "writing output: {}", one_diagnostic(&e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `cli::run` prints, and how many diagnostics a log scraper that
    /// counts `error:` lines would see in it.
    fn scraped(e: &CliError) -> (String, usize) {
        let text = format!("error: {e}");
        let count = text.lines().filter(|l| l.starts_with("error:")).count();
        (text, count)
    }

    const REGEX_ERROR: &str =
        "regex parse error:\n    app[\n       ^\nerror: unclosed character class";

    fn input_error(line: usize, message: &str) -> InputError {
        InputError::with_source_line(
            Location {
                file: "in.yaml".into(),
                line,
                column: 1,
            },
            message.into(),
            Some("error: a line of the input that looks like a diagnostic".into()),
        )
    }

    #[test]
    fn wrapped_library_messages_stay_one_diagnostic() {
        let located = Location {
            file: "w.yaml".into(),
            line: 3,
            column: 5,
        };
        for e in [
            CliError::Rejected {
                location: Some(located.clone()),
                message: format!("invalid regex pattern \"app[\": {REGEX_ERROR}"),
            },
            CliError::Rejected {
                location: None,
                message: REGEX_ERROR.into(),
            },
            CliError::Usage(REGEX_ERROR.into()),
            CliError::Source(SourceError::Read {
                path: "w.yaml".into(),
                message: REGEX_ERROR.into(),
            }),
            CliError::Input(input_error(1, REGEX_ERROR)),
        ] {
            let (text, count) = scraped(&e);
            assert_eq!(count, 1, "{text}");
            assert!(
                text.lines()
                    .skip(1)
                    .all(|l| l.starts_with(' ') || l.is_empty()),
                "{text}"
            );
        }
        let (text, _) = scraped(&CliError::Rejected {
            location: Some(located),
            message: "m".into(),
        });
        assert_eq!(text, "error: w.yaml:3:5: m");
    }

    #[test]
    fn several_input_errors_are_one_block_each() {
        let e = CliError::Inputs(vec![input_error(1, REGEX_ERROR), input_error(2, "plain")]);
        let (text, count) = scraped(&e);
        assert_eq!(count, 2, "{text}");
        let starts: Vec<&str> = text.lines().filter(|l| l.starts_with("error:")).collect();
        assert!(
            starts[0].starts_with("error: in.yaml:1:1: regex parse error:"),
            "{text}"
        );
        assert!(starts[1].starts_with("error: in.yaml:2:1: plain"), "{text}");
    }
}
