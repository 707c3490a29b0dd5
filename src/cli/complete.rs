//! `__complete`: completion candidates in cobra's protocol, which kubectl
//! speaks with plugins. For `kubectl sidecarset lint --ignore SS<TAB>`,
//! kubectl runs `kubectl_complete-sidecarset lint --ignore SS` and reads one
//! `value<TAB>description` per line, then `:DIRECTIVE` (a cobra
//! `ShellCompDirective`) as the last line.
//!
//! Candidates come from clap's model of the command line, so a flag added to
//! `args.rs` completes without touching this file; only values clap cannot
//! know (lint rule ids, files) are special-cased, by the arg's value name.
//!
//! The subcommand is dispatched before clap parses anything: declared to
//! clap, it would show in the scripts clap_complete generates (which list
//! hidden subcommands), and clap would swallow a `--` among the words.

use super::args::Cli;
use clap::builder::ArgAction;
use clap::{Arg, Command, CommandFactory};
use std::io::Write;

/// `ShellCompDirectiveDefault`: the shell falls back to file names.
const FILES: u8 = 0;
/// `ShellCompDirectiveNoFileComp`: only the listed candidates.
const NO_FILES: u8 = 4;

/// Values named `PATH` are files, directories or globs.
const PATH_VALUE: &str = "PATH";
/// Values named `RULE` are lint rule ids.
const RULE_VALUE: &str = "RULE";

struct Candidate {
    value: String,
    help: String,
}

/// The hidden subcommand's name, as cobra spells it.
pub const SUBCOMMAND: &str = "__complete";

/// Answers for `words` (those after the subcommand) on standard output.
pub fn run(words: &[std::ffi::OsString]) -> u8 {
    let words: Vec<String> = words
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    let (candidates, directive) = complete(&words);
    let mut text = String::new();
    for c in candidates {
        text.push_str(&c.value);
        if !c.help.is_empty() {
            text.push('\t');
            text.push_str(&c.help);
        }
        text.push('\n');
    }
    text.push_str(&format!(":{directive}\n"));
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        // A shell that stopped reading has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: writing output: {e}");
            2
        }
    }
}

/// What the words before the one being completed established.
struct State<'a> {
    cmd: &'a Command,
    /// Ids of the flags already given (hidden from the candidates unless
    /// they may repeat).
    seen: Vec<String>,
    /// An option whose value is the next word.
    pending: Option<&'a Arg>,
    positionals: usize,
    /// After `--` every word is positional.
    raw: bool,
}

fn complete(words: &[String]) -> (Vec<Candidate>, u8) {
    let mut root = Cli::command();
    root.build();
    let (current, prior) = match words.split_last() {
        Some((last, prior)) => (last.as_str(), prior),
        None => ("", &[][..]),
    };
    let mut st = State {
        cmd: &root,
        seen: Vec::new(),
        pending: None,
        positionals: 0,
        raw: false,
    };
    for word in prior {
        st.advance(word);
    }
    let cmd = st.cmd;
    if let Some(arg) = st.pending {
        return values(arg, "", current);
    }
    if !st.raw {
        if let Some(long) = current.strip_prefix("--") {
            if let Some((name, value)) = long.split_once('=') {
                return match find_long(cmd, name) {
                    Some(arg) if takes_value(arg) => values(arg, &format!("--{name}="), value),
                    _ => (Vec::new(), NO_FILES),
                };
            }
        }
        if let Some((short, at)) = attached_short(cmd, current) {
            // `-ojson`: the value is glued to its short flag.
            return values(short, &current[..at], &current[at..]);
        }
        if current.starts_with('-') {
            return (flags(cmd, &st.seen, current), NO_FILES);
        }
    }
    let subcommands: Vec<Candidate> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .flat_map(|s| {
            std::iter::once(s.get_name())
                .chain(s.get_visible_aliases())
                .filter(|n| n.starts_with(current))
                .map(move |n| Candidate {
                    value: n.to_string(),
                    help: summary(s.get_about().map(ToString::to_string)),
                })
        })
        .collect();
    if cmd.has_subcommands() && st.positionals == 0 {
        return (subcommands, NO_FILES);
    }
    if let Some(arg) = cmd.get_positionals().nth(st.positionals) {
        return values(arg, "", current);
    }
    // A command that takes no more words: its flags are all that is left.
    if current.is_empty() && !st.raw {
        return (flags(cmd, &st.seen, "--"), NO_FILES);
    }
    (Vec::new(), NO_FILES)
}

impl<'a> State<'a> {
    fn advance(&mut self, word: &str) {
        if self.pending.take().is_some() {
            return;
        }
        if self.raw || word == "-" || !word.starts_with('-') {
            if !self.raw && self.positionals == 0 {
                if let Some(sub) = self.cmd.find_subcommand(word) {
                    self.cmd = sub;
                    self.seen.clear();
                    return;
                }
            }
            self.positionals += 1;
            return;
        }
        if word == "--" {
            self.raw = true;
            return;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            if let Some(arg) = find_long(self.cmd, name) {
                self.seen.push(arg.get_id().to_string());
                if takes_value(arg) && !inline {
                    self.pending = Some(arg);
                }
            }
            return;
        }
        // A cluster of short flags (`-Rf`); the first that takes a value
        // takes the rest of the word, or the next word.
        let shorts = &word[1..];
        for (i, c) in shorts.char_indices() {
            let Some(arg) = self.cmd.get_arguments().find(|a| a.get_short() == Some(c)) else {
                return;
            };
            self.seen.push(arg.get_id().to_string());
            if takes_value(arg) {
                if i + c.len_utf8() == shorts.len() {
                    self.pending = Some(arg);
                }
                return;
            }
        }
    }
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
    })
}

/// The short option taking a value that `word` starts with, when its value
/// is glued on (`-oj`), and where the value starts.
fn attached_short<'a>(cmd: &'a Command, word: &str) -> Option<(&'a Arg, usize)> {
    let rest = word.strip_prefix('-')?;
    let c = rest.chars().next().filter(|c| *c != '-')?;
    let at = 1 + c.len_utf8();
    if word.len() == at {
        return None;
    }
    cmd.get_arguments()
        .find(|a| a.get_short() == Some(c))
        .filter(|a| takes_value(a))
        .map(|a| (a, at))
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

/// Flags that may be given more than once stay offered after use.
fn repeatable(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
}

fn flags(cmd: &Command, seen: &[String], prefix: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for arg in cmd.get_arguments() {
        if arg.is_hide_set() || arg.is_positional() {
            continue;
        }
        if !repeatable(arg) && seen.iter().any(|s| s == arg.get_id().as_str()) {
            continue;
        }
        let help = summary(arg.get_help().map(ToString::to_string));
        let forms = arg
            .get_long()
            .map(|l| format!("--{l}"))
            .into_iter()
            .chain(arg.get_short().map(|s| format!("-{s}")));
        for form in forms.filter(|f| f.starts_with(prefix)) {
            out.push(Candidate {
                value: form,
                help: help.clone(),
            });
        }
    }
    out
}

/// Candidates for the value of `arg`, `typed` so far, each written as
/// `lead` + value (`--output=` + `json`).
fn values(arg: &Arg, lead: &str, typed: &str) -> (Vec<Candidate>, u8) {
    let value_name = arg
        .get_value_names()
        .and_then(|n| n.first())
        .map(|n| n.as_str());
    if value_name == Some(PATH_VALUE) {
        return (Vec::new(), FILES);
    }
    // `--ignore SSV-001,SSL-0`: complete the last item of the list and do
    // not offer the ones already listed.
    let (head, typed, listed): (&str, &str, Vec<&str>) = match arg.get_value_delimiter() {
        Some(d) => match typed.rfind(d) {
            Some(i) => (&typed[..=i], &typed[i + 1..], typed[..i].split(d).collect()),
            None => ("", typed, Vec::new()),
        },
        None => ("", typed, Vec::new()),
    };
    let known: Vec<(String, String)> = if value_name == Some(RULE_VALUE) {
        crate::lint::RULES
            .iter()
            .map(|r| (r.id.to_string(), r.title.to_string()))
            .collect()
    } else {
        arg.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                (
                    v.get_name().to_string(),
                    summary(v.get_help().map(ToString::to_string)),
                )
            })
            .collect()
    };
    let candidates = known
        .into_iter()
        .filter(|(v, _)| v.starts_with(typed) && !listed.contains(&v.as_str()))
        .map(|(v, help)| Candidate {
            value: format!("{lead}{head}{v}"),
            help,
        })
        .collect();
    (candidates, NO_FILES)
}

/// The first line of a help text without its full stop: one completion
/// line each, and shells show it in brackets after the value.
fn summary(help: Option<String>) -> String {
    let help = help.unwrap_or_default();
    let first = help.lines().next().unwrap_or_default().trim();
    first.strip_suffix('.').unwrap_or(first).replace('\t', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values_of(words: &[&str]) -> (Vec<String>, u8) {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let (c, d) = complete(&words);
        (c.into_iter().map(|c| c.value).collect(), d)
    }

    #[test]
    fn subcommands_then_flags_then_values() {
        let (v, d) = values_of(&["pl"]);
        assert_eq!((v, d), (vec!["plan".to_string()], NO_FILES));
        let (v, _) = values_of(&["plan", "--no-r"]);
        assert_eq!(v, ["--no-ready"]);
        let (v, _) = values_of(&["inject", "-o", ""]);
        assert_eq!(v, ["yaml", "json", "json-patch"]);
        let (v, _) = values_of(&["hash", "--output=t"]);
        assert_eq!(v, ["--output=table"]);
        let (v, _) = values_of(&["lint", "-oj"]);
        assert_eq!(v, ["-ojson", "-ojunit"]);
    }

    #[test]
    fn files_where_paths_are_wanted() {
        for words in [
            &["inject", "-f", ""][..],
            &["lint", "--sidecarset", "x"],
            &["plan", "--from", ""],
            &["diff", "-Rf", ""],
        ] {
            assert_eq!(values_of(words), (Vec::new(), FILES), "{words:?}");
        }
    }

    #[test]
    fn values_are_not_taken_for_subcommands_or_flags() {
        // `-f plan`: `plan` is the file, not a subcommand.
        let (v, _) = values_of(&["inject", "-f", "plan", "--q"]);
        assert_eq!(v, ["--quiet"]);
        // A flag given once is not offered again; a repeatable one is.
        let (v, _) = values_of(&["inject", "-q", "-f", "a", "--"]);
        assert!(!v.contains(&"--quiet".to_string()), "{v:?}");
        assert!(v.contains(&"--filename".to_string()), "{v:?}");
    }

    #[test]
    fn rule_ids_complete_item_by_item() {
        let (v, _) = values_of(&["lint", "--ignore", "SSV-00"]);
        assert_eq!(v, ["SSV-000", "SSV-001", "SSV-002", "SSV-003", "SSV-004"]);
        let (v, _) = values_of(&["lint", "--ignore", "SSV-001,SSV-00"]);
        assert_eq!(
            v,
            [
                "SSV-001,SSV-000",
                "SSV-001,SSV-002",
                "SSV-001,SSV-003",
                "SSV-001,SSV-004"
            ]
        );
    }

    #[test]
    fn hidden_subcommand_is_not_offered() {
        let (v, _) = values_of(&[""]);
        assert!(v.contains(&"inject".to_string()));
        assert!(!v.iter().any(|s| s.starts_with("__")), "{v:?}");
    }
}
