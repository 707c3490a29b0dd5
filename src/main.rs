//! `kubectl-sidecarset`: parse, run, map the outcome to an exit status.

// Reading builds millions of small nodes; glibc's allocator spends a third
// of a run in malloc/free, mimalloc a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Deeply nested input recurses through the parser, the webhook and the
    // hash encoder; a large stack keeps every bounded depth within reach.
    let run = std::thread::Builder::new()
        .stack_size(kubectl_sidecarset::STACK_SIZE)
        .spawn(|| kubectl_sidecarset::cli::run(std::env::args_os()));
    let code = match run.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) | Err(_) => 101,
    };
    std::process::ExitCode::from(code)
}
