//! `diff`.

use super::args::DiffArgs;
use super::error::CliError;
use std::io::Write;

pub fn run(args: &DiffArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let _ = (args, out);
    Err(CliError::Usage("diff: not wired yet".into()))
}
