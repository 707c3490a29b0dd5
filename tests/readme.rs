//! The README's examples are run, and what they show must be what the tool
//! prints.
//!
//! An example is a ```` ```console ```` block whose first line starts with
//! `$ kubectl sidecarset `. In it:
//!
//! - A line starting with `$ ` is a command; a trailing `\` continues it on
//!   the next line. `kubectl sidecarset ARGS` runs the built binary with ARGS
//!   split at whitespace (no quoting, globs, pipes or redirections: such a
//!   command fails the test rather than run differently from a shell), in the
//!   repository root, with `SOURCE_DATE_EPOCH=1704067200`, `NO_COLOR=1` and
//!   no standard input.
//! - `$ echo $?` checks the exit status of the command before it: the next
//!   line is the status. Without it the status is not checked.
//! - The lines up to the next command are the expected transcript: what the
//!   command wrote on standard output, then on standard error (a terminal
//!   shows both).
//! - When the block's closing fence is directly followed by an untitled
//!   ```` ``` ```` or a ```` ```yaml ```` block, that block continues the last
//!   command's transcript (the README shows long YAML with highlighting).
//!
//! Elision: a line that is `...` (after any indentation) matches any run of
//! lines, possibly none; every other line must match exactly (a line such
//! as `... and 10 more` is literal output). Trailing blank lines are
//! ignored on both sides.
//!
//! A mismatch prints the README line, the command to rerun, and a diff of
//! the transcript (`-` README, `+` actual) aligned across the elisions; to
//! update the README, rerun the command and paste what it prints.

mod support;

use std::path::Path;

/// One command of an example and what the README says it prints.
#[derive(Debug)]
struct Step {
    /// README line of the command.
    line: usize,
    args: Vec<String>,
    transcript: Vec<String>,
    status: Option<i32>,
}

fn fence_info(line: &str) -> Option<&str> {
    line.strip_prefix("```").map(str::trim)
}

/// The examples of `readme`, each a list of steps.
fn examples(readme: &str) -> Result<Vec<Vec<Step>>, String> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = fence_info(lines[i]) else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .ok_or_else(|| format!("README.md:{}: unclosed code block", i + 1))?;
        let body = &lines[start..end];
        i = end + 1;
        if info != "console"
            || !body
                .first()
                .is_some_and(|l| l.starts_with("$ kubectl sidecarset "))
        {
            continue;
        }
        let mut steps = parse_block(body, start + 1)?;
        // A directly following untitled or YAML block continues the output.
        if let Some(info) = lines.get(i).and_then(|l| fence_info(l)) {
            if info.is_empty() || info == "yaml" {
                let start = i + 1;
                let end = (start..lines.len())
                    .find(|&j| lines[j].trim_end() == "```")
                    .ok_or_else(|| format!("README.md:{}: unclosed code block", i + 1))?;
                if let Some(last) = steps.last_mut() {
                    last.transcript
                        .extend(lines[start..end].iter().map(|l| l.to_string()));
                }
                i = end + 1;
            }
        }
        out.push(steps);
    }
    Ok(out)
}

/// The steps of one console block whose first line is at README line `first`.
fn parse_block(body: &[&str], first: usize) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut k = 0;
    while k < body.len() {
        let line_no = first + k;
        let Some(cmd) = body[k].strip_prefix("$ ") else {
            match steps.last_mut() {
                Some(step) => step.transcript.push(body[k].to_string()),
                None => return Err(format!("README.md:{line_no}: output before any command")),
            }
            k += 1;
            continue;
        };
        let mut cmd = cmd.to_string();
        while let Some(head) = cmd.strip_suffix('\\') {
            cmd = head.to_string();
            k += 1;
            let next = body
                .get(k)
                .ok_or_else(|| format!("README.md:{line_no}: `\\` continues past the block"))?;
            cmd.push(' ');
            cmd.push_str(next.trim());
        }
        k += 1;
        if cmd.trim() == "echo $?" {
            let prev = steps
                .last_mut()
                .ok_or_else(|| format!("README.md:{line_no}: `echo $?` without a command"))?;
            let status = body
                .get(k)
                .and_then(|l| l.trim().parse().ok())
                .ok_or_else(|| format!("README.md:{line_no}: `echo $?` needs a status below"))?;
            prev.status = Some(status);
            k += 1;
            continue;
        }
        let args = cmd.strip_prefix("kubectl sidecarset ").ok_or_else(|| {
            format!("README.md:{line_no}: `{cmd}`: only `kubectl sidecarset` and `echo $?` are run")
        })?;
        if let Some(c) = args.chars().find(|c| "'\"`$|&;<>*?()~\\".contains(*c)) {
            return Err(format!(
                "README.md:{line_no}: `{cmd}`: `{c}` means something to a shell; the test runs plain words only"
            ));
        }
        let args: Vec<String> = args.split_whitespace().map(String::from).collect();
        if args.iter().any(|a| a == "...") {
            return Err(format!(
                "README.md:{line_no}: `{cmd}`: write the command out in full"
            ));
        }
        steps.push(Step {
            line: line_no,
            args,
            transcript: Vec::new(),
            status: None,
        });
    }
    Ok(steps)
}

fn is_elision(line: &str) -> bool {
    line.trim() == "..."
}

/// How a README line and the output line up.
#[derive(Debug, PartialEq)]
enum Op<'a> {
    Same(&'a str),
    /// A `...` line and how many output lines it stands for.
    Elided(&'a str, usize),
    Missing(&'a str),
    Extra(&'a str),
}

/// The alignment of `want` (with elisions) to `got` with the fewest missing
/// and extra lines; it matches when there are none.
fn align<'a>(want: &[&'a str], got: &[&'a str]) -> Vec<Op<'a>> {
    let (m, n) = (want.len(), got.len());
    let w = n + 1;
    // cost[i * w + j]: unmatched lines aligning want[i..] with got[j..].
    let mut cost = vec![0u32; (m + 1) * w];
    for i in (0..=m).rev() {
        for j in (0..=n).rev() {
            let c = if i == m {
                (n - j) as u32
            } else if j == n {
                want[i..].iter().filter(|l| !is_elision(l)).count() as u32
            } else if is_elision(want[i]) {
                cost[(i + 1) * w + j].min(cost[i * w + j + 1])
            } else {
                let mut c = 1 + cost[(i + 1) * w + j].min(cost[i * w + j + 1]);
                if want[i] == got[j] {
                    c = c.min(cost[(i + 1) * w + j + 1]);
                }
                c
            };
            cost[i * w + j] = c;
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < m || j < n {
        let here = cost[i * w + j];
        if i < m && is_elision(want[i]) {
            let start = j;
            // Absorb output lines while that keeps the best cost.
            while j < n && cost[i * w + j + 1] == here && cost[(i + 1) * w + j] != here {
                j += 1;
            }
            ops.push(Op::Elided(want[i], j - start));
            i += 1;
        } else if i < m && j < n && want[i] == got[j] && cost[(i + 1) * w + j + 1] == here {
            ops.push(Op::Same(want[i]));
            i += 1;
            j += 1;
        } else if i < m && (j == n || cost[(i + 1) * w + j] + 1 == here) {
            ops.push(Op::Missing(want[i]));
            i += 1;
        } else {
            ops.push(Op::Extra(got[j]));
            j += 1;
        }
    }
    ops
}

/// The alignment as a diff: changes with two lines of context, the rest
/// counted.
fn render(ops: &[Op<'_>]) -> String {
    let changed = |o: &Op<'_>| matches!(o, Op::Missing(_) | Op::Extra(_));
    let near = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 3).min(ops.len());
        ops[lo..hi].iter().any(changed)
    };
    let mut out = String::new();
    let mut skipped = 0;
    for (k, op) in ops.iter().enumerate() {
        if !near(k) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.push_str(&format!("  @@ {skipped} matching line(s) @@\n"));
            skipped = 0;
        }
        match op {
            Op::Same(l) => out.push_str(&format!("  {l}\n")),
            Op::Elided(l, count) => out.push_str(&format!("  {l}    (elides {count} line(s))\n")),
            Op::Missing(l) => out.push_str(&format!("- {l}\n")),
            Op::Extra(l) => out.push_str(&format!("+ {l}\n")),
        }
    }
    if skipped > 0 {
        out.push_str(&format!("  @@ {skipped} matching line(s) @@\n"));
    }
    out
}

fn trimmed<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = lines.into_iter().collect();
    while v.last().is_some_and(|l| l.trim().is_empty()) {
        v.pop();
    }
    v
}

/// Runs one step; a description of the mismatch, if any.
fn check(root: &Path, step: &Step) -> Option<String> {
    let run = support::run(root, &step.args, None);
    let actual = format!("{}{}", run.stdout, run.stderr);
    let want = trimmed(step.transcript.iter().map(String::as_str));
    let got = trimmed(actual.lines());
    let ops = align(&want, &got);
    let output_ok = !ops
        .iter()
        .any(|o| matches!(o, Op::Missing(_) | Op::Extra(_)));
    let status_ok = step.status.is_none_or(|s| s == run.status);
    if output_ok && status_ok {
        return None;
    }
    let mut msg = format!(
        "README.md:{}: `kubectl sidecarset {}`\n  rerun: cd {} && SOURCE_DATE_EPOCH={} NO_COLOR=1 {} {}\n",
        step.line,
        step.args.join(" "),
        root.display(),
        support::EPOCH,
        env!("CARGO_BIN_EXE_kubectl-sidecarset"),
        step.args.join(" ")
    );
    if let (false, Some(s)) = (status_ok, step.status) {
        msg.push_str(&format!(
            "  exit status: README says {s}, the tool exits {}\n",
            run.status
        ));
    }
    if !output_ok {
        msg.push_str("  output differs (- README, + actual; `...` elides lines):\n");
        msg.push_str(&render(&ops));
    }
    Some(msg)
}

#[test]
fn readme_examples_print_what_they_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let examples = examples(&readme).unwrap_or_else(|e| panic!("{e}"));
    let steps: Vec<&Step> = examples.iter().flatten().collect();
    assert!(!steps.is_empty(), "no console examples found in README.md");
    let failures: Vec<String> = steps.iter().filter_map(|s| check(root, s)).collect();
    println!(
        "README: {} examples, {} commands, {} failures",
        examples.len(),
        steps.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn elision_matches_any_run_of_lines() {
    let want = ["a", "  ...", "d", "..."];
    for got in [
        &["a", "d"][..],
        &["a", "b", "c", "d"],
        &["a", "d", "d", "e"],
    ] {
        let ops = align(&want, got);
        assert!(
            !ops.iter()
                .any(|o| matches!(o, Op::Missing(_) | Op::Extra(_))),
            "{got:?}: {ops:?}"
        );
    }
    // `... and 10 more` is output, not an elision.
    let ops = align(&["... and 10 more"], &["x"]);
    assert_eq!(ops, vec![Op::Missing("... and 10 more"), Op::Extra("x")]);
    let ops = align(&["a", "...", "d"], &["a", "b", "e"]);
    assert!(ops.contains(&Op::Missing("d")), "{ops:?}");
    assert!(render(&ops).contains("- d\n"), "{}", render(&ops));
}

#[test]
fn blocks_are_parsed_into_commands() {
    let readme = "text\n\n```console\n$ kubectl sidecarset hash \\\n    -f a.yaml\nNAME\n...\n$ echo $?\n0\n```\n```yaml\nkind: X\n```\n\n```console\n$ ls\n```\n";
    let ex = examples(readme).expect("parses");
    assert_eq!(ex.len(), 1);
    let step = &ex[0][0];
    assert_eq!(step.args, ["hash", "-f", "a.yaml"]);
    assert_eq!(step.transcript, ["NAME", "...", "kind: X"]);
    assert_eq!(step.status, Some(0));
    assert_eq!(step.line, 4);
    let bad = "```console\n$ kubectl sidecarset plan ... --validate=false\n```\n";
    assert!(examples(bad).is_err());
    let piped = "```console\n$ kubectl sidecarset lint -f - < x.yaml\n```\n";
    assert!(examples(piped).is_err());
}
