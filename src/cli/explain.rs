//! `explain`.

use super::args::ExplainArgs;
use super::error::CliError;
use std::io::Write;

pub fn run(args: &ExplainArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let _ = (args, out);
    Err(CliError::Usage("explain: not wired yet".into()))
}
