//! The command-line front end: the only module that knows about argv,
//! terminals, files and exit statuses.

pub mod args;
mod color;
mod complete;
mod diff;
pub mod error;
mod explain;
mod hash;
pub mod inject;
pub mod input;
mod krm;
mod lint;
mod plan;
mod progress;

use args::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use error::CliError;
use std::io::Write;
use std::path::Path;

/// Runs the tool on `argv` with the process's standard streams and returns
/// the exit status.
pub fn run<I, T>(argv: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let stdout = std::io::stdout();
    // Standard error stays unlocked: the progress spinner's ticker thread
    // writes to it while the command runs.
    run_on(argv, &mut stdout.lock(), &mut std::io::stderr(), true)
}

/// Runs the tool in-process on `argv`, with `stdin` as its standard input
/// (a pipe, not a terminal), writing what it would print to `out` and `err`;
/// returns the exit status. For tests and fuzzers: nothing is leaked at the
/// end of the run and no terminal is assumed. Two messages still go to the
/// process's standard error: `inject`'s summary (`--quiet` silences it) and
/// the errors of a KRM function run, which also travel in its ResourceList.
pub fn run_with_io<I, T>(argv: I, stdin: &[u8], out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    crate::source::with_stdin(stdin, || run_on(argv, out, err, false))
}

fn run_on<I, T>(argv: I, mut out: &mut dyn Write, err: &mut dyn Write, process: bool) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let argv = kustomize_plugin_args(argv.into_iter().map(Into::into).collect());
    if argv.get(1).is_some_and(|a| a == complete::SUBCOMMAND) {
        return complete::run(&argv[2..]);
    }
    if let Some(code) = krm::bare(&argv, out, err) {
        return code;
    }
    let mut command = Cli::command();
    if run_by_kubectl(argv.first().map(Path::new)) {
        command = command.bin_name("kubectl sidecarset");
    }
    let parsed = command
        .try_get_matches_from_mut(argv)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| e.format(&mut command));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if process {
                // clap colours help and errors for a terminal.
                let _ = e.print();
            } else {
                let _ = if e.use_stderr() {
                    write!(err, "{}", e.render())
                } else {
                    write!(out, "{}", e.render())
                };
            }
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Inject(a) => inject::run(&a, &mut out),
        Command::Hash(a) => hash::run(&a, &mut out),
        Command::Plan(a) => plan::run(&a, &mut out),
        Command::Lint(a) => lint::run(&a, &mut out),
        Command::Diff(a) => diff::run(&a, &mut out),
        Command::Explain(a) => explain::run(&a, &mut out),
        Command::Completion(a) => completion(a.shell, &mut out),
    };
    let flushed = out.flush();
    match result.and_then(|code| flushed.map(|()| code).map_err(CliError::from)) {
        Ok(code) => code,
        // A closed pipe (`| head`) is not an error.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(CliError::Rejected { message, .. }) if message.is_empty() => 1,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            e.exit_code()
        }
    }
}

/// Set to 1 (or 0) to say the tool runs (or does not run) as `kubectl
/// sidecarset`, which only changes the command name help and errors show.
pub const AS_PLUGIN_ENV: &str = "KUBECTL_SIDECARSET_AS_PLUGIN";

/// Whether kubectl started the tool as its plugin. kubectl (1.32) passes no
/// variable of its own: it execs the path `exec.LookPath("kubectl-sidecarset")`
/// returned, with that path as argv[0], whereas a shell passes the word the
/// user typed. So argv[0] being exactly the first `kubectl-sidecarset` on
/// PATH, spelled as a path, means kubectl (or a user typing that very path).
fn run_by_kubectl(argv0: Option<&Path>) -> bool {
    match std::env::var(AS_PLUGIN_ENV).as_deref() {
        Ok("1" | "true") => return true,
        Ok("0" | "false") => return false,
        _ => {}
    }
    let Some(argv0) = argv0 else { return false };
    let name = format!("kubectl-sidecarset{}", std::env::consts::EXE_SUFFIX);
    let spelled_as_path = argv0.parent().is_some_and(|p| !p.as_os_str().is_empty());
    if !spelled_as_path || argv0.file_name() != Some(name.as_ref()) {
        return false;
    }
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path)
        .map(|dir| dir.join(&name))
        .find(|candidate| is_executable(candidate))
        .is_some_and(|found| found == argv0)
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Whether standard output is a terminal (for colours); never in-process.
pub(super) fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    !crate::source::stdin_given() && std::io::stdout().is_terminal()
}

/// Whether standard error is a terminal (for progress); never in-process.
pub(super) fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    !crate::source::stdin_given() && std::io::stderr().is_terminal()
}

/// Lets go of a command's inputs at its end. When the process ends right
/// after, freeing thousands of parsed documents one by one costs a tenth
/// of the run for nothing, so they are leaked; an in-process run (tests,
/// fuzzers: many runs in one process) frees them.
pub(super) fn discard<T>(value: T) {
    if crate::source::stdin_given() {
        drop(value);
    } else {
        std::mem::forget(value);
    }
}

/// The executable name under which kustomize runs the tool as a legacy exec
/// transformer plugin (`kind: SidecarSetInjector`).
pub const KUSTOMIZE_PLUGIN_NAME: &str = "SidecarSetInjector";

/// kustomize calls an exec plugin as `PLUGIN CONFIG-FILE ARGS...`, where ARGS
/// come from the config's `argsOneLiner`; the config file itself carries
/// nothing the tool needs, so it is dropped.
fn kustomize_plugin_args(mut argv: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let invoked_as_plugin = argv
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .is_some_and(|n| n == KUSTOMIZE_PLUGIN_NAME);
    if invoked_as_plugin && argv.len() > 1 {
        argv.remove(1);
    }
    argv
}

fn completion(shell: clap_complete::Shell, out: &mut impl Write) -> Result<u8, CliError> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "kubectl-sidecarset", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if shell == clap_complete::Shell::Bash {
        // clap_complete names the subcommand states of a hyphenated binary
        // two ways (`kubectl__sidecarset__subcmd__plan` where it walks the
        // words, `kubectl__subcmd__sidecarset__subcmd__plan` in the case
        // arms), so nothing after the subcommand completed. One spelling.
        script = script.replace("kubectl__subcmd__sidecarset", "kubectl__sidecarset");
    }
    out.write_all(script.as_bytes())?;
    Ok(0)
}

/// The time every timestamp the tool writes uses.
pub(super) fn now(engine: &args::EngineArgs) -> Result<i64, CliError> {
    crate::clock::now_epoch(engine.wall_clock).map_err(|e| CliError::Usage(e.to_string()))
}

/// `-n`: empty means `default`, as in kubectl; anything else must be a name
/// the API server would take, or no object could live there.
pub(super) fn namespace(engine: &args::EngineArgs) -> Result<String, CliError> {
    let ns = engine.namespace.as_str();
    if ns.is_empty() {
        return Ok("default".into());
    }
    let valid = ns.len() <= 63
        && ns
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !ns.starts_with('-')
        && !ns.ends_with('-');
    if !valid {
        return Err(CliError::Usage(format!(
            "--namespace {ns:?}: a namespace name is a lowercase RFC 1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
        )));
    }
    Ok(ns.to_string())
}

/// The engine settings of a run, from flags and the clock.
fn settings(engine: &args::EngineArgs) -> Result<crate::pod_webhook::Settings, CliError> {
    Ok(crate::pod_webhook::Settings {
        gates: input::gates(engine)?,
        now: now(engine)?,
        seed: engine.seed,
        namespace: namespace(engine)?,
    })
}

/// A pod the webhook refuses, as the API server would report it.
fn refused(r: crate::pod_webhook::Refusal) -> CliError {
    CliError::Rejected {
        location: Some(r.location),
        message: format!(
            "{}: admission webhook \"mpod.kb.io\" denied the request: {}",
            r.object, r.rejection.message
        ),
    }
}
