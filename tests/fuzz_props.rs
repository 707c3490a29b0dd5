//! The fuzz targets' invariants (tests/support/contract.rs) on the stable toolchain:
//! a deterministic mutator derives inputs from every file under testdata/
//! and examples/, and each command runs in-process on them. A failing input
//! is saved under target/fuzz-failures/ and printed, to be replayed with
//! `kubectl-sidecarset CMD --sidecarset examples/filebeat-deployment/sidecarset.yaml < FILE`.

// Shared with the fuzz crate, which has no `unreachable_pub` lint.
#[path = "support/contract.rs"]
#[allow(unreachable_pub)]
mod check;

use check::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Mutated inputs per command: enough to reach past the seeds' shapes in a
/// debug build within the CI budget.
const INPUTS_PER_COMMAND: usize = 2000;

/// The seed of the mutator; a fixed seed makes every run check the same
/// inputs, so a failure reproduces.
const SEED: u64 = 0x5eed_f022_2024_0001;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that change what YAML means.
const SIGNIFICANT: &[u8] = b":-[]{}'\"#&*!|>\t\n ,?%@`";

/// Every file under testdata/ and examples/, sorted, as seeds. Golden
/// expectations (`stdout`, `stderr`) are manifests and messages too.
fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                // Recorded conformance cases are JSON case records, not
                // manifests: almost every mutation of one is refused whole.
                if !p.ends_with("testdata/conformance") {
                    walk(&p, out);
                }
            } else {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("testdata"), &mut paths);
    walk(&root().join("examples"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        // Large seeds only slow the debug build down; the fuzzer has them.
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .filter(|(_, b)| !b.is_empty() && b.len() <= 16 * 1024)
        .collect()
}

/// Line boundaries of `b`: the start of every line and the end.
fn line_starts(b: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        b.iter()
            .enumerate()
            .filter(|(_, &c)| c == b'\n')
            .map(|(i, _)| i + 1),
    );
    if starts.last() != Some(&b.len()) {
        starts.push(b.len());
    }
    starts
}

/// A random line of `b` as a byte range.
fn some_line(rng: &mut Rng, b: &[u8]) -> std::ops::Range<usize> {
    let starts = line_starts(b);
    if starts.len() < 2 {
        return 0..b.len();
    }
    let i = rng.below(starts.len() - 1);
    starts[i]..starts[i + 1]
}

/// One mutation of `b`; `other` is a second seed to splice with.
fn mutate_once(rng: &mut Rng, b: &mut Vec<u8>, other: &[u8]) {
    let at = |rng: &mut Rng, b: &Vec<u8>| rng.below(b.len() + 1);
    match rng.below(8) {
        // Flip a bit.
        0 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
        }
        // Insert a YAML-significant character.
        1 => {
            let i = at(rng, b);
            b.insert(i, SIGNIFICANT[rng.below(SIGNIFICANT.len())]);
        }
        // Delete a YAML-significant character.
        2 => {
            let hits: Vec<usize> = (0..b.len())
                .filter(|&i| SIGNIFICANT.contains(&b[i]))
                .collect();
            if !hits.is_empty() {
                b.remove(hits[rng.below(hits.len())]);
            }
        }
        // Duplicate a line.
        3 => {
            let r = some_line(rng, b);
            let line = b[r.clone()].to_vec();
            b.splice(r.start..r.start, line);
        }
        // Delete a line.
        4 => {
            let r = some_line(rng, b);
            b.drain(r);
        }
        // Shift a line's indentation by one or two spaces.
        5 => {
            let r = some_line(rng, b);
            if rng.below(2) == 0 {
                let n = 1 + rng.below(2);
                b.splice(r.start..r.start, std::iter::repeat_n(b' ', n));
            } else if b.get(r.start) == Some(&b' ') {
                b.remove(r.start);
            }
        }
        // Splice: our head with the other seed's tail, at line boundaries.
        6 if !other.is_empty() => {
            let mine = line_starts(b);
            let theirs = line_starts(other);
            let cut = mine[rng.below(mine.len())];
            let from = theirs[rng.below(theirs.len())];
            b.truncate(cut);
            b.extend_from_slice(&other[from..]);
        }
        // Replace a scalar-looking byte run with an interesting value.
        _ => {
            const VALUES: &[&[u8]] = &[
                b"null",
                b"~",
                b"''",
                b"[]",
                b"{}",
                b"-1",
                b"0",
                b"1e400",
                b".inf",
                b"true",
                b"\"\\u0000\"",
                b"*a",
                b"&a x",
                b"!!binary aGk=",
                b"0x1F",
                b"2147483648",
            ];
            let i = at(rng, b);
            let end = (i..b.len())
                .find(|&j| matches!(b[j], b'\n' | b' ' | b',' | b'}' | b']'))
                .unwrap_or(b.len());
            b.splice(i..end, VALUES[rng.below(VALUES.len())].iter().copied());
        }
    }
}

/// Whether a seed is a manifest (most of the rest are golden expectations:
/// command lines, messages, exit statuses).
fn is_manifest(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

/// The next input: a seed (three times in four a manifest, so that most
/// inputs reach past the parser) with one or two mutations.
fn input(rng: &mut Rng, seeds: &[(PathBuf, Vec<u8>)]) -> (String, Vec<u8>) {
    let manifests: Vec<&(PathBuf, Vec<u8>)> =
        seeds.iter().filter(|(p, _)| is_manifest(p)).collect();
    let (path, seed) = if rng.below(4) > 0 && !manifests.is_empty() {
        manifests[rng.below(manifests.len())]
    } else {
        &seeds[rng.below(seeds.len())]
    };
    let other = &seeds[rng.below(seeds.len())].1;
    let mut b = seed.clone();
    for _ in 0..1 + rng.below(2) {
        mutate_once(rng, &mut b, other);
    }
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    (name, b)
}

/// Saves a failing input where it can be replayed from.
fn save(cmd: Command, n: usize, input: &[u8]) -> PathBuf {
    let dir = root().join("target/fuzz-failures");
    let path = dir.join(format!("{}-{n}.yaml", cmd.name()));
    if std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, input))
        .is_err()
    {
        eprintln!("could not save {}", path.display());
    }
    path
}

fn run_command(cmd: Command) {
    let seeds = seeds();
    assert!(seeds.len() > 50, "only {} seed files found", seeds.len());
    // One stream per command, so each command's inputs do not depend on
    // how many the others ran.
    let mut rng = Rng(SEED ^ (cmd as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let mut statuses = [0usize; 3];
    for n in 0..INPUTS_PER_COMMAND {
        let (from, bytes) = input(&mut rng, &seeds);
        let one = Instant::now();
        let shared = bytes.clone();
        let result = check::on_big_stack(move || {
            check::check_reader(&shared)?;
            check::check(cmd, &shared)
        });
        if one.elapsed() > slowest.0 {
            slowest = (one.elapsed(), from.clone());
        }
        if let Ok(code) = result {
            statuses[usize::from(code.min(2))] += 1;
        }
        if let Err(e) = result {
            let saved = save(cmd, n, &bytes);
            failures.push(format!(
                "input {n} (mutated from {from}), saved as {}:\n{}\n--- input\n{}",
                saved.display(),
                e,
                String::from_utf8_lossy(&bytes)
            ));
        }
    }
    eprintln!(
        "{}: {INPUTS_PER_COMMAND} inputs in {:.1?} (exit 0/1/2: {statuses:?}), slowest {:.1?} (from {})",
        cmd.name(),
        started.elapsed(),
        slowest.0,
        slowest.1
    );
    // Most mutations of YAML break its syntax (about one input in six
    // still runs through); a mutator whose inputs all fail to parse would
    // check only the error path.
    assert!(
        statuses[0] * 10 >= INPUTS_PER_COMMAND,
        "only {} of {INPUTS_PER_COMMAND} `{}` inputs succeed: the mutator breaks too much",
        statuses[0],
        cmd.name()
    );
    assert!(
        failures.is_empty(),
        "{} of {INPUTS_PER_COMMAND} `{}` inputs break the contract; the first:\n{}",
        failures.len(),
        cmd.name(),
        failures[0]
    );
}

#[test]
fn inject_keeps_the_contract_on_mutated_inputs() {
    run_command(Command::Inject);
}

#[test]
fn plan_keeps_the_contract_on_mutated_inputs() {
    run_command(Command::Plan);
}

#[test]
fn lint_keeps_the_contract_on_mutated_inputs() {
    run_command(Command::Lint);
}

/// The mutator does mutate, and does so the same way on every run.
#[test]
fn the_mutator_is_deterministic() {
    let seeds = seeds();
    let draw = || {
        let mut rng = Rng(SEED);
        (0..50)
            .map(|_| input(&mut rng, &seeds).1)
            .collect::<Vec<_>>()
    };
    let first = draw();
    assert_eq!(first, draw());
    let changed = first
        .iter()
        .filter(|b| !seeds.iter().any(|(_, s)| s == *b))
        .count();
    assert!(
        changed > 40,
        "only {changed} of 50 inputs differ from a seed"
    );
}

/// The in-process runner is the binary's: same status and bytes.
#[test]
fn in_process_runs_match_the_binary() {
    let deployment = std::fs::read(root().join("examples/filebeat-deployment/deployment.yaml"))
        .expect("example deployment");
    let policy = root().join("examples/filebeat-deployment/sidecarset.yaml");
    for args in [
        vec!["inject", "--quiet"],
        vec!["inject", "-o", "json", "--quiet"],
        vec!["lint", "-o", "json"],
        vec!["no-such-command"],
    ] {
        let mut argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        argv.extend(["--sidecarset".into(), policy.display().to_string()]);
        let mut process = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"));
        process
            .args(&argv)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = process.spawn().expect("the binary runs");
        if let Some(mut pipe) = child.stdin.take() {
            use std::io::Write;
            pipe.write_all(&deployment).expect("stdin written");
        }
        let want = child.wait_with_output().expect("the binary ends");
        let mut full = vec!["kubectl-sidecarset".to_string()];
        full.extend(argv);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = kubectl_sidecarset::cli::run_with_io(full, &deployment, &mut out, &mut err);
        assert_eq!(Some(i32::from(code)), want.status.code(), "{args:?}");
        assert_eq!(out, want.stdout, "{args:?}: stdout");
        assert_eq!(err, want.stderr, "{args:?}: stderr");
        assert!(
            args[0] == "no-such-command" || !out.is_empty(),
            "{args:?} printed nothing"
        );
    }
}

/// Inputs the fuzzers found (testdata/fuzz-regressions/, minimised), checked by every
/// target: each broke an invariant once.
#[test]
fn fuzz_regressions_keep_the_contract() {
    let dir = root().join("testdata/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            failures.push(format!("{}: unreadable", path.display()));
            continue;
        };
        for cmd in Command::ALL {
            let shared = bytes.clone();
            let result = check::on_big_stack(move || {
                check::check_reader(&shared)?;
                check::check(cmd, &shared)
            });
            if let Err(e) = result {
                failures.push(format!("{} ({}): {e}", path.display(), cmd.name()));
            }
        }
    }
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
