//! `lint`.

use super::args::LintArgs;
use super::error::CliError;
use std::io::Write;

pub fn run(args: &LintArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let _ = (args, out);
    Err(CliError::Usage("lint: not wired yet".into()))
}
