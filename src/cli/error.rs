//! How a command fails: the exit status it maps to and what is printed.

use crate::document::{InputError, Location};

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
    Source(crate::source::SourceError),
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

impl From<crate::source::SourceError> for CliError {
    fn from(e: crate::source::SourceError) -> Self {
        CliError::Source(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) => f.write_str(m),
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
            CliError::Source(e) => write!(f, "{e}"),
            CliError::Rejected { location, message } => match location {
                Some(l) => write!(f, "{l}: {message}"),
                None => f.write_str(message),
            },
            CliError::Output(e) => write!(f, "writing output: {e}"),
        }
    }
}
