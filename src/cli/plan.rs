//! `plan`.

use super::args::PlanArgs;
use super::error::CliError;
use std::io::Write;

pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let _ = (args, out);
    Err(CliError::Usage("plan: not wired yet".into()))
}
