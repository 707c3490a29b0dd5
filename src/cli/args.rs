//! The command line as parsed by clap: raw flags only. Each command turns
//! them into what it needs before doing any work.

use clap::{Args, ColorChoice, Parser, Subcommand, ValueEnum};

/// See what OpenKruise SidecarSets will do to your pods, before they reach a cluster.
///
/// Runs the OpenKruise v1.9.0 pod webhook, SidecarSet webhooks and SidecarSet
/// controller logic offline: inject sidecars into workload manifests, print
/// revision hashes, plan in-place rollouts batch by batch, lint SidecarSets and
/// workloads, and diff what a SidecarSet change does to rendered pods.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-sidecarset",
    bin_name = "kubectl-sidecarset",
    version,
    propagate_version = true,
    after_help = "Installed on PATH, it is also the kubectl plugin `kubectl sidecarset`.\n\
                  Exit status: 0 success, 1 rejected (webhook refusal, lint errors, diff found changes with --exit-code), 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inject sidecars into Pods and workload templates as the pod webhook would on CREATE.
    #[command(after_help = "Examples:\n  \
        # Inject a FileBeat SidecarSet into a Deployment\n  \
        kubectl sidecarset inject -f deployment.yaml --sidecarset filebeat-sidecarset.yaml\n\n  \
        # As a helm post-renderer\n  \
        helm template app ./chart --post-renderer kubectl-sidecarset --post-renderer-args inject \\\n      \
        --post-renderer-args --sidecarset=sidecarsets/\n\n  \
        # After kustomize\n  \
        kubectl kustomize overlays/prod | kubectl sidecarset inject --sidecarset sidecarsets/ -")]
    Inject(InjectArgs),
    /// Print SidecarSets as the cluster stores them: defaults and revision hashes.
    Hash(HashArgs),
    /// Plan the controller's in-place rollout of SidecarSets, batch by batch.
    #[command(after_help = "Examples:\n  \
        # Plan against live state\n  \
        kubectl get sidecarset,pods -A -o yaml | kubectl sidecarset plan\n\n  \
        # What would a SidecarSet change do to these workloads?\n  \
        kubectl sidecarset plan -f workloads.yaml --from old-sidecarset.yaml --sidecarset new-sidecarset.yaml")]
    Plan(PlanArgs),
    /// Check SidecarSets and workloads: the validating webhook's rules and best practices.
    Lint(LintArgs),
    /// Show what injection (or a SidecarSet change) does to rendered resources, as a unified diff.
    Diff(DiffArgs),
    /// Explain, per workload and SidecarSet, whether it is injected and why.
    Explain(ExplainArgs),
    /// Print a shell completion script.
    Completion(CompletionArgs),
}

/// Where resources come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// A file, a directory, a glob, or - for standard input (repeatable).
    /// With none and standard input not a terminal, standard input is read.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filenames: Vec<String>,
    /// Read directories named with -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// SidecarSets (and Namespaces, ControllerRevisions) used as policy only,
    /// never echoed in the output (repeatable; files, directories or globs).
    #[arg(long = "sidecarset", value_name = "PATH")]
    pub sidecarsets: Vec<String>,
}

/// How the engine behaves where OpenKruise is configurable or random.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true.
    #[arg(long = "feature-gates", value_name = "GATES")]
    pub feature_gates: Option<String>,
    /// Seed for the random draw of the Partial revision policy.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,
    /// Stamp the times the tool writes (`updateTimestamp` in the
    /// sidecarset-hash annotations) with the current time, as the webhook
    /// does. Without it the time is 1970-01-01T00:00:00Z, so the same input
    /// gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both.
    /// An entry already recorded with the same hash keeps its time.
    #[arg(long)]
    pub wall_clock: bool,
    /// The namespace of objects that do not name one, as kubectl's -n. It
    /// decides which SidecarSets match; YAML and json-patch output never
    /// name it (-o json shows Pods as the API server returns them, in it).
    #[arg(
        short = 'n',
        long = "namespace",
        default_value = "default",
        value_name = "NAME"
    )]
    pub namespace: String,
}

/// Whether SidecarSets pass the validating webhook before they are used.
#[derive(Debug, Clone, Args)]
pub struct AdmissionArgs {
    /// Refuse SidecarSets the validating webhook would reject (as kubectl
    /// apply --validate); --validate=false uses them anyway.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub validate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InjectOutput {
    Yaml,
    Json,
    /// The admission response's RFC 6902 patch, per mutated object.
    JsonPatch,
}

#[derive(Debug, Args)]
pub struct InjectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub admission: AdmissionArgs,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = InjectOutput::Yaml)]
    pub output: InjectOutput,
    /// Do not print the per-workload summary on standard error.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableOutput {
    Table,
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct HashArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format (default: a table NAME HASH HASH-WITHOUT-IMAGE).
    #[arg(short = 'o', long, value_enum, default_value_t = TableOutput::Table)]
    pub output: TableOutput,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub admission: AdmissionArgs,
    /// SidecarSets as they are now in the cluster: pods are built from the
    /// workloads in -f and injected by these, then the SidecarSets given with
    /// --sidecarset are planned against them.
    #[arg(long, value_name = "PATH")]
    pub from: Vec<String>,
    /// Output format: table (at most 10 pods per batch), wide (every pod), json, yaml.
    #[arg(short = 'o', long, value_enum, default_value_t = PlanOutput::Table)]
    pub output: PlanOutput,
    /// Stop the simulation after this many rounds (0: no limit).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_rounds: usize,
    /// Assume upgraded pods do not become ready between rounds (a broken
    /// image): the plan shows where maxUnavailable stalls the rollout.
    #[arg(long)]
    pub no_ready: bool,
    /// Plan as if updateStrategy.partition were this (an integer or a percentage).
    #[arg(long, value_name = "N|N%")]
    pub partition: Option<String>,
    /// Colour: auto (when standard output is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanOutput {
    Table,
    Wide,
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintOutput {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Files to check, as with -f (hook runners such as pre-commit append
    /// the changed files' names).
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// SidecarSets as stored in the cluster: -f is checked as an UPDATE of them.
    #[arg(long, value_name = "PATH")]
    pub from: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = LintOutput::Text)]
    pub output: LintOutput,
    /// Warnings fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Skip a rule (repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// List every rule and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// With -o sarif: the directory artifact URIs are relative to (%SRCROOT%,
    /// e.g. the repository checkout); default the current directory.
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub admission: AdmissionArgs,
    /// SidecarSets as they are now: the diff is between injection by these
    /// and injection by the SidecarSets given with --sidecarset.
    #[arg(long, value_name = "PATH")]
    pub from: Vec<String>,
    /// Exit with 1 when there are differences, 0 when there are none.
    #[arg(long)]
    pub exit_code: bool,
    /// Lines of context.
    #[arg(short = 'U', long = "unified", default_value_t = 3, value_name = "N")]
    pub context: usize,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainOutput {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub admission: AdmissionArgs,
    #[arg(short = 'o', long, value_enum, default_value_t = ExplainOutput::Text)]
    pub output: ExplainOutput,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
