//! `inject`: the pod webhook over every workload in the input.

use super::args::{AdmissionArgs, EngineArgs, InjectArgs, InjectOutput};
use super::error::CliError;
use super::input;
use crate::cluster::ClusterState;
use crate::document::{Class, Inputs};
use crate::inject::{Outcome as Decision, SkipReason};
use crate::output;
use crate::pod_webhook;
use crate::source::SourceFile;
use crate::stream::{Gathered, Stream};
use crate::workload::WorkloadKind;
use std::io::Write;

pub fn run(args: &InjectArgs, out: &mut impl Write) -> Result<u8, CliError> {
    let done = execute(args, Engine::Streaming, out)?;
    if !done.summary.is_empty() {
        eprint!("{}", done.summary);
    }
    Ok(done.status)
}

/// How `inject` holds its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// One document, and one item of a List, at a time (`crate::stream`),
    /// each written as soon as it is injected.
    Streaming,
    /// Every document parsed before any is judged.
    InMemory,
}

/// What a run that did not fail leaves besides its standard output.
#[derive(Debug)]
pub struct Done {
    pub status: u8,
    /// The per-workload summary for standard error (empty with `-q`).
    pub summary: String,
}

/// `inject` writing its result to `out`: a refusal leaves it untouched.
pub fn execute(args: &InjectArgs, engine: Engine, out: &mut impl Write) -> Result<Done, CliError> {
    if engine == Engine::InMemory {
        return in_memory(args, input::load(&args.input)?, out);
    }
    streaming(args, out)
}

/// Parses and classifies read inputs in the order `input::load` does.
fn load(
    named: Vec<SourceFile>,
    policy: Result<Vec<SourceFile>, CliError>,
) -> Result<Inputs, CliError> {
    let mut inputs = Inputs::default();
    for file in named {
        inputs.add(file, false)?;
    }
    for file in policy? {
        inputs.add(file, true)?;
    }
    Ok(inputs)
}

/// Every document parsed and injected, then written.
fn in_memory(
    args: &InjectArgs,
    mut inputs: Inputs,
    out: &mut impl Write,
) -> Result<Done, CliError> {
    if let Some(list) = super::krm::resource_list(&inputs) {
        let status = super::krm::inject(args, inputs, list, out)?;
        return Ok(Done {
            status,
            summary: String::new(),
        });
    }
    let cluster = ClusterState::collect(&inputs).map_err(CliError::Inputs)?;
    admit(&inputs, None, &args.admission, &args.engine, INJECT_HINT)?;
    let settings = super::settings(&args.engine)?;
    let outcome =
        pod_webhook::inject_all(&mut inputs, &cluster, &settings).map_err(engine_error)?;
    if args.output == InjectOutput::Json {
        name_pod_namespaces(&mut inputs, &settings.namespace);
    }
    // Everything is computed before anything is written: a refusal leaves stdout empty.
    let mut buf = Vec::new();
    match args.output {
        InjectOutput::Yaml => output::write_yaml_stream(&inputs, &outcome.changed_docs, &mut buf)?,
        InjectOutput::Json => output::write_json(&output::echoed_values(&inputs), &mut buf)?,
        InjectOutput::JsonPatch => output::write_patches(&inputs, &outcome.changed_docs, &mut buf)?,
    }
    out.write_all(&buf)?;
    let summary = if args.quiet {
        String::new()
    } else {
        summary(&outcome)
    };
    // The process ends here: freeing every parsed document one by one costs
    // a sixth of a run over thousands of workloads for nothing.
    super::discard(inputs);
    Ok(Done { status: 0, summary })
}

/// One document at a time: the policy first (pass 1), then each echoed
/// chunk parsed, injected, written to the buffer and dropped (pass 2); the
/// items of a List one at a time (`output::ListRun`). The output is buffered whole,
/// so a refusal still leaves stdout empty.
fn streaming(args: &InjectArgs, out: &mut impl Write) -> Result<Done, CliError> {
    let mut stream = Stream::open(&input::named(&args.input)?)?;
    let mut gathered = stream.gather();
    // Policy files are read once the `-f` inputs are known to parse, as
    // `input::load` reads them (here: those chunks that can hold policy).
    let mut policy_unread = None;
    if let Ok(echoed) = gathered {
        match input::read_policy(&args.input.sidecarsets, args.input.recursive) {
            Ok(files) => {
                stream.add_policy(files);
                gathered = stream.gather().map(|policy| Gathered {
                    parsed: echoed.parsed + policy.parsed,
                    resource_list: echoed.resource_list,
                });
            }
            Err(e) => policy_unread = Some(e),
        }
    }
    if gathered.as_ref().is_ok_and(|g| g.resource_list) {
        // Maybe a KRM function's input: decided, and run, as before.
        let (named, policy) = stream.into_files()?;
        let policy = policy_unread.map_or(Ok(policy), Err);
        return in_memory(args, load(named, policy)?, out);
    }
    // Every echoed chunk parses before anything else is judged: an error
    // found so far stands only if none of them comes before it.
    let judged = match (gathered, policy_unread) {
        (Err(e), _) => Err(CliError::Source(e)),
        (Ok(_), Some(e)) => Err(e),
        (Ok(_), None) => judge(args, &stream.inputs),
    };
    let (cluster, settings) = match judged {
        Ok(judged) => judged,
        Err(e) => {
            return Err(stream
                .earlier_error(None, false)
                .map_or(e, CliError::Source))
        }
    };
    stream.inputs.clear_documents();
    let ctx = pod_webhook::context(&cluster, &settings);
    let mut buf = output::OutBuf::default();
    let mut summary_text = String::new();
    let mut writer = output::Out::new(mode(args.output), stream.all_json());
    for file in 0..stream.echoed_files() {
        stream.start(file);
        while let Some(id) = stream.next_chunk()? {
            let at = stream.file_of(id);
            // A List item by item; what it cannot be written so for is
            // dropped, and the chunk injected whole.
            let (mark, said, before) = (buf.len(), summary_text.len(), writer.clone());
            let whole = match stream.span(id) {
                Some(span) => {
                    let source = &stream.inputs.files[at];
                    let mut tell = |outcome: &pod_webhook::Outcome| {
                        if !args.quiet {
                            summary_text.push_str(&summary(outcome));
                        }
                    };
                    let mut run = output::ListRun::new(
                        source,
                        &source.text[span.range.clone()],
                        span.format,
                        &ctx,
                        &settings,
                        &mut writer,
                        &mut buf,
                        &mut tell,
                    );
                    match crate::reader::parse_chunk_items(&source.text, span, &mut |v, p| {
                        run.item(v, p)
                    }) {
                        Ok((chunk, true)) => {
                            if run.finish(chunk) {
                                continue;
                            }
                            None
                        }
                        Ok((chunk, false)) => Some(chunk),
                        Err(_) => None,
                    }
                }
                None => None,
            };
            buf.truncate(mark);
            summary_text.truncate(said);
            writer = before;
            match whole {
                // Parsed whole already (no List): as `Stream::read` adds it.
                Some(chunk) => {
                    stream.inputs.clear_documents();
                    stream.inputs.add_chunk(at, chunk, false)?;
                }
                // The first error of all: every chunk before it parsed, and policy follows.
                None => stream.read(id)?,
            }
            let mut outcome = pod_webhook::Outcome::default();
            if let Err(e) =
                pod_webhook::inject_document(&mut stream.inputs, 0, &ctx, &settings, &mut outcome)
            {
                // Every workload decodes before any pod is injected.
                let refused = matches!(e, pod_webhook::Error::Refused(_));
                return Err(stream
                    .earlier_error(Some(id), refused)
                    .map_or_else(|| engine_error(e), CliError::Source));
            }
            if args.output == InjectOutput::Json {
                name_pod_namespaces(&mut stream.inputs, &settings.namespace);
            }
            let changed = outcome.changed_docs.first().copied().unwrap_or(false);
            writer.document(&stream.inputs, stream.text(id), changed, &mut buf)?;
            if !args.quiet {
                summary_text.push_str(&summary(&outcome));
            }
        }
        if let Some(e) = stream.split_error(file) {
            return Err(CliError::Source(e));
        }
    }
    stream.inputs.clear_documents();
    writer.finish(&mut buf)?;
    buf.write_to(out)?;
    Ok(Done {
        status: 0,
        summary: summary_text,
    })
}

/// The engine's output mode for `-o`.
fn mode(o: InjectOutput) -> output::Mode {
    match o {
        InjectOutput::Yaml => output::Mode::Yaml,
        InjectOutput::Json => output::Mode::Json,
        InjectOutput::JsonPatch => output::Mode::JsonPatch,
    }
}

/// The cluster of `inputs` once the validating webhook admits it, and the
/// engine settings: what reading everything first checks between parsing
/// and injecting, in its order.
fn judge(
    args: &InjectArgs,
    inputs: &Inputs,
) -> Result<(ClusterState, pod_webhook::Settings), CliError> {
    let cluster = ClusterState::collect(inputs).map_err(CliError::Inputs)?;
    admit(inputs, None, &args.admission, &args.engine, INJECT_HINT)?;
    let settings = super::settings(&args.engine)?;
    Ok((cluster, settings))
}

/// `-o json` shows objects as the API server returns them after CREATE: a
/// Pod given without a namespace is in the one of `-n`. YAML and patch
/// output keep the object as written, so that `kubectl apply -n` and helm
/// still decide.
fn name_pod_namespaces(inputs: &mut crate::document::Inputs, namespace: &str) {
    let pods: Vec<crate::document::Resource> = inputs
        .of_class(Class::Workload(WorkloadKind::Pod))
        .filter(|r| !r.policy_only)
        .cloned()
        .collect();
    for r in &pods {
        let Some(pod) = inputs.value_mut(r) else {
            continue;
        };
        let ns = crate::namespace::pod_namespace(pod, namespace).to_string();
        if let Some(md) = pod
            .get_mut("metadata")
            .and_then(serde_json::Value::as_object_mut)
        {
            md.insert("namespace".into(), serde_json::Value::String(ns));
        }
    }
}

/// What follows a SidecarSet refusal of `inject`, `diff` and `explain`.
pub(super) const INJECT_HINT: &str = "\nhint: the cluster would not store this SidecarSet, so no pod gets its sidecars; --validate=false uses it anyway";

/// The validating webhook over the SidecarSets a command is about to use:
/// CREATEs, or UPDATEs of the same-named SidecarSets in `stored`.
pub(super) fn admit(
    inputs: &Inputs,
    stored: Option<&Inputs>,
    admission: &AdmissionArgs,
    engine: &EngineArgs,
    hint: &str,
) -> Result<(), CliError> {
    if !admission.validate {
        return Ok(());
    }
    crate::admission::validate(inputs, stored, &input::gates(engine)?).map_err(|r| {
        CliError::Rejected {
            location: Some(r.location.clone()),
            message: format!("{r}{hint}"),
        }
    })
}

/// A run of the pod webhook that stopped: an object the API server could not
/// decode (exit 2) or a pod the webhook refused (exit 1).
pub(super) fn engine_error(e: pod_webhook::Error) -> CliError {
    match e {
        pod_webhook::Error::Undecodable(e) => CliError::Input(e),
        pod_webhook::Error::Refused(r) => super::refused(r),
    }
}

/// Per workload: what was injected and why the others were not.
pub fn summary(outcome: &pod_webhook::Outcome) -> String {
    let mut s = String::new();
    for t in &outcome.templates {
        let mut injected = Vec::new();
        let mut skipped = Vec::new();
        for d in &t.report.decisions {
            match &d.outcome {
                Decision::Injected { revision } => injected.push(match revision {
                    Some(r) => format!("{} (revision {r})", d.sidecar_set),
                    None => d.sidecar_set.clone(),
                }),
                Decision::Skipped { reason, detail } => skipped.push(format!(
                    "{} ({}: {detail})",
                    d.sidecar_set,
                    reason_word(*reason)
                )),
            }
        }
        let site = if t.site.0.is_empty() {
            String::new()
        } else {
            format!(" {}", t.site)
        };
        s.push_str(&format!("{}{site}: ", t.object));
        if injected.is_empty() {
            s.push_str("nothing injected");
        } else {
            s.push_str(&format!("injected {}", injected.join(", ")));
        }
        if !skipped.is_empty() {
            s.push_str(&format!("; not injected: {}", skipped.join(", ")));
        }
        s.push('\n');
        for w in &t.report.warnings {
            s.push_str(&format!("  warning: {w}\n"));
        }
    }
    s
}

pub fn reason_word(r: SkipReason) -> &'static str {
    match r {
        SkipReason::InactivePod => "inactive pod",
        SkipReason::Paused => "injection paused",
        SkipReason::Namespace => "namespace",
        SkipReason::NamespaceSelector => "namespaceSelector",
        SkipReason::Selector => "selector",
    }
}
