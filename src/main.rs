//! `kubectl-sidecarset`: parse, run, map the outcome to an exit status.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(kubectl_sidecarset::cli::run(std::env::args_os()))
}
