//! Loading the resources a command works on, and the policy in them.

use super::args::{EngineArgs, InputArgs};
use super::error::CliError;
use crate::document::Inputs;
use crate::features::FeatureGates;
use crate::source::{self, PathOrStdin, SourceFile};

/// Reads `-f` inputs (stdin when none is named and it is not a terminal) and
/// `--sidecarset` policy files.
pub fn load(args: &InputArgs) -> Result<Inputs, CliError> {
    let mut inputs = Inputs::default();
    for file in read_named(args)? {
        inputs.add(file, false)?;
    }
    load_policy(&mut inputs, &args.sidecarsets, args.recursive)?;
    Ok(inputs)
}

/// The `-f` inputs of [`load`], read but not parsed.
pub fn read_named(args: &InputArgs) -> Result<Vec<SourceFile>, CliError> {
    Ok(source::read_all(&named(args)?)?)
}

/// The inputs `-f` names, standard input when none is named and it is not
/// a terminal.
pub fn named(args: &InputArgs) -> Result<Vec<PathOrStdin>, CliError> {
    let mut named = source::expand(&args.filenames, args.recursive)?;
    if named.is_empty() {
        if source::stdin_is_terminal() {
            if args.sidecarsets.is_empty() {
                return Err(CliError::Usage(
                    "no input: name files with -f (or -f - for standard input), or pipe manifests in"
                        .into(),
                ));
            }
        } else {
            named.push(PathOrStdin::Stdin);
        }
    }
    Ok(named)
}

/// Adds policy-only inputs (never echoed).
pub fn load_policy(inputs: &mut Inputs, paths: &[String], recursive: bool) -> Result<(), CliError> {
    for file in read_policy(paths, recursive)? {
        inputs.add(file, true)?;
    }
    Ok(())
}

/// The policy-only inputs of [`load_policy`], read but not parsed.
pub fn read_policy(paths: &[String], recursive: bool) -> Result<Vec<SourceFile>, CliError> {
    let expanded = source::expand(
        paths,
        recursive || paths.iter().any(|p| std::path::Path::new(p).is_dir()),
    )?;
    Ok(source::read_all(&expanded)?)
}

/// Loads a separate set of inputs (e.g. `--from`), all policy.
pub fn load_separate(paths: &[String]) -> Result<Inputs, CliError> {
    let mut inputs = Inputs::default();
    load_policy(&mut inputs, paths, true)?;
    Ok(inputs)
}

/// The engine settings from flags.
pub fn gates(args: &EngineArgs) -> Result<FeatureGates, CliError> {
    let mut gates = FeatureGates::default();
    if let Some(spec) = &args.feature_gates {
        gates
            .apply(spec)
            .map_err(|e| CliError::Usage(e.to_string()))?;
    }
    Ok(gates)
}
