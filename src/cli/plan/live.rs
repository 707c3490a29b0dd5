//! Reading live pods for `plan` without holding them as trees.
//!
//! `kubectl get sidecarset,pods -A -o yaml` prints one `kind: List` holding
//! every pod of a cluster. Parsed whole, as `input::load` parses, each pod
//! costs some twenty times its text (a value tree plus a position tree), and
//! the planner reads a few dozen fields of it. Here every item of a List is
//! handed over as soon as it is parsed: a Pod is checked as the API server
//! would decode it while its positions are at hand, then kept as its slim
//! part ([`crate::plan::pods::slim`]), encoded ([`CompactPods`]); the rest
//! of it is dropped. Every other resource is kept whole, as `input::load`
//! keeps it, except other workloads, which a live plan never reads.
//!
//! Errors are those of `input::load` followed by
//! `decode::check_resources` over the pods, in the same order: a file's
//! syntax error before the first document kubectl would refuse, files in
//! input order, and the first undecodable pod only after the webhook check
//! (see [`Live::undecodable`]).

use crate::cli::args::InputArgs;
use crate::cli::error::CliError;
use crate::document::{self, Class, Document, InputError, Inputs, Location, Resource};
use crate::path::JsonPath;
use crate::plan::compact::CompactPods;
use crate::reader::{Chunk, ItemSink, Positions};
use crate::source::{self, PathOrStdin, SourceFile};
use crate::workload::WorkloadKind;
use crate::yaml::{PosChildren, PosNode};
use serde_json::Value;

#[derive(Debug, Default)]
pub struct Live {
    /// Every resource read but the Pods and the other workloads.
    pub inputs: Inputs,
    /// The Pods, in input order, slim and in `-n` when they name no namespace.
    pub pods: CompactPods,
    /// The first Pod the API server would not decode, in input order: the
    /// command reports it after the webhook has admitted the SidecarSets.
    pub undecodable: Option<InputError>,
    /// Read by [`super::fast`]: the documents carry no positions, so an
    /// error about them needs the input read again by [`load`].
    pub fast: bool,
    /// Where standard input is in `inputs.files`, for reading it again.
    pub stdin: Option<usize>,
}

impl Live {
    /// Standard input as read, for [`load`] to read it again.
    pub fn take_stdin(&mut self) -> Option<SourceFile> {
        let file = self.inputs.files.get_mut(self.stdin?)?;
        Some(std::mem::replace(
            file,
            SourceFile::new(String::new(), String::new()),
        ))
    }
}

/// The inputs `-f` names (stdin when none is named and it is not a
/// terminal), as `input::load` finds them.
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

/// The `--sidecarset` inputs, as `input::load_policy` finds them.
pub fn policy(args: &InputArgs) -> Result<Vec<PathOrStdin>, CliError> {
    let paths = &args.sidecarsets;
    let recursive = args.recursive || paths.iter().any(|p| std::path::Path::new(p).is_dir());
    Ok(source::expand(paths, recursive)?)
}

/// `source::read_all`, with standard input as `stdin` when it was read
/// already (it can be read only once).
fn read_all(
    inputs: &[PathOrStdin],
    stdin: &mut Option<SourceFile>,
) -> Result<Vec<SourceFile>, CliError> {
    let mut out = Vec::with_capacity(inputs.len());
    let mut stdin_read = false;
    for input in inputs {
        match input {
            PathOrStdin::Stdin if stdin_read => {}
            PathOrStdin::Stdin => {
                stdin_read = true;
                match stdin.take() {
                    Some(file) => out.push(file),
                    None => out.extend(source::read_all(std::slice::from_ref(input))?),
                }
            }
            PathOrStdin::Path(_) => out.extend(source::read_all(std::slice::from_ref(input))?),
        }
    }
    Ok(out)
}

/// Reads `-f` inputs and `--sidecarset` files, as `input::load` does; pods
/// that name no namespace are in `namespace`. `stdin` is standard input
/// when it was read already.
pub fn load(
    args: &InputArgs,
    namespace: &str,
    mut stdin: Option<SourceFile>,
) -> Result<Live, CliError> {
    let mut live = Live::default();
    let named = named(args)?;
    for file in read_all(&named, &mut stdin)? {
        live.add(file, false, namespace)?;
    }
    for file in read_all(&policy(args)?, &mut stdin)? {
        live.add(file, true, namespace)?;
    }
    Ok(live)
}

impl Live {
    /// Reads one input; on an error nothing of it is kept.
    pub fn add(
        &mut self,
        file: SourceFile,
        policy_only: bool,
        namespace: &str,
    ) -> Result<(), InputError> {
        let pods_before = self.pods.len();
        let mut sink = Sink {
            file: self.inputs.files.len(),
            name: &file.name,
            text: &file.text,
            policy_only,
            namespace,
            first_doc: self.inputs.docs.len(),
            docs: Vec::new(),
            resources: Vec::new(),
            pods: &mut self.pods,
            undecodable: self.undecodable.clone(),
            refused: None,
            list: ListItems {
                pods_before,
                ..ListItems::default()
            },
            needs_text: false,
        };
        let parsed = crate::reader::parse_stream_items(&file.text, &mut sink);
        let Sink {
            docs,
            resources,
            refused,
            undecodable,
            ..
        } = sink;
        let failed = match parsed {
            Err(e) => Some(input_error(
                &file.name, &file.text, e.line, e.column, e.message,
            )),
            Ok(()) => refused,
        };
        if let Some(e) = failed {
            self.pods.truncate(pods_before);
            return Err(e);
        }
        self.undecodable = undecodable;
        self.keep_file(file, docs, resources);
        Ok(())
    }

    /// Reads one JSON input whose objects `parse` hands over as the reader
    /// would, with no positions and no text. An error, which would need
    /// them, leaves `live` as it was and gives `file` back. `parse` is
    /// given the text of `file` and returns the root value, `None` for
    /// `null`, and whether its items went by one by one.
    pub fn add_parsed(
        &mut self,
        file: SourceFile,
        policy_only: bool,
        namespace: &str,
        parse: impl FnOnce(&str, &mut dyn ItemSink) -> Option<(Option<Value>, bool)>,
    ) -> Result<(), SourceFile> {
        let pods_before = self.pods.len();
        let mut sink = Sink {
            file: self.inputs.files.len(),
            name: &file.name,
            text: "",
            policy_only,
            namespace,
            first_doc: self.inputs.docs.len(),
            docs: Vec::new(),
            resources: Vec::new(),
            pods: &mut self.pods,
            undecodable: None,
            refused: None,
            list: ListItems {
                pods_before,
                ..ListItems::default()
            },
            needs_text: false,
        };
        let Some((value, streamed)) = parse(&file.text, &mut sink) else {
            self.pods.truncate(pods_before);
            return Err(file);
        };
        let chunk = Chunk {
            range: 0..0,
            line: 1,
            format: crate::document::Format::Json,
            value,
            positions: Positions::default(),
        };
        sink.document(chunk, streamed);
        let Sink {
            docs,
            resources,
            refused,
            undecodable,
            needs_text,
            ..
        } = sink;
        if refused.is_some() || undecodable.is_some() || needs_text {
            self.pods.truncate(pods_before);
            return Err(file);
        }
        self.keep_file(file, docs, resources);
        Ok(())
    }

    fn keep_file(&mut self, file: SourceFile, docs: Vec<Document>, resources: Vec<Resource>) {
        self.inputs.files.push(file);
        self.inputs.docs.extend(docs);
        self.inputs.resources.extend(resources);
    }
}

/// An input error at `line:column` of a file, shown with its line.
fn input_error(name: &str, text: &str, line: usize, column: usize, message: String) -> InputError {
    let source_line = line
        .checked_sub(1)
        .and_then(|n| text.lines().nth(n))
        .map(|l| l.trim_end_matches('\r').to_string());
    InputError::with_source_line(
        Location {
            file: name.to_string(),
            line,
            column,
        },
        message,
        source_line,
    )
}

/// Takes one file's documents from the reader.
struct Sink<'a> {
    file: usize,
    name: &'a str,
    text: &'a str,
    policy_only: bool,
    namespace: &'a str,
    /// Index in `Inputs::docs` of the first document kept from this file.
    first_doc: usize,
    docs: Vec<Document>,
    resources: Vec<Resource>,
    pods: &'a mut CompactPods,
    undecodable: Option<InputError>,
    /// The first document kubectl would refuse to read. `input::load`
    /// parses a whole file before reading its objects, so a syntax error
    /// further on is reported instead.
    refused: Option<InputError>,
    /// The items of the document being parsed so far.
    list: ListItems,
    /// A document had to be parsed again whole and there was no text to
    /// parse: read by [`super::fast`], which keeps none.
    needs_text: bool,
}

/// What the items of a document have shown so far: kept until the end of
/// the document says whether it is a List, and whether one is refused.
#[derive(Default)]
struct ListItems {
    count: usize,
    /// The first item without a usable apiVersion and kind.
    untyped: Option<(usize, InputError)>,
    /// The first item of a kind the tool reads: refused when the document
    /// holds a scalar JSON cannot carry (`.inf`), known at its end.
    read: Option<usize>,
    kept: Vec<(Document, Class)>,
    /// How many pods there were before the document's.
    pods_before: usize,
    undecodable: Option<InputError>,
}

impl Sink<'_> {
    fn error(
        &self,
        positions: &Positions,
        line: usize,
        path: &JsonPath,
        message: String,
    ) -> InputError {
        let (line, column) = positions.locate(path).unwrap_or((line, 1));
        input_error(self.name, self.text, line, column, message)
    }

    fn undecodable_seen(&self) -> bool {
        self.undecodable.is_some() || self.list.undecodable.is_some()
    }

    /// Keeps one object: a Pod checked and slim, another workload not at
    /// all, anything else whole. `Err` is the Pod's decode error.
    fn take(
        &mut self,
        value: Value,
        positions: Positions,
        line: usize,
        class: Class,
        document: impl FnOnce(Value, Positions) -> Document,
    ) -> Result<Option<(Document, Class)>, InputError> {
        match class {
            Class::Workload(WorkloadKind::Pod) => {
                // Pods after an undecodable one are never planned.
                if self.undecodable_seen() {
                    return Ok(None);
                }
                if let Err(e) = crate::decode::check(WorkloadKind::Pod, &value) {
                    return Err(self.error(&positions, line, &e.path, e.message));
                }
                drop(positions);
                let pod = super::in_namespace(value, self.namespace);
                self.pods.push_live(pod);
                Ok(None)
            }
            Class::Workload(_) => Ok(None),
            class => Ok(Some((document(value, positions), class))),
        }
    }

    fn keep(&mut self, doc: Document, class: Class) {
        self.resources.push(Resource {
            doc: self.first_doc + self.docs.len(),
            item: None,
            class,
            policy_only: self.policy_only,
        });
        self.docs.push(doc);
    }

    /// The document just parsed turned out not to be a List: what its
    /// items left behind goes.
    fn drop_items(&mut self, list: ListItems) {
        self.pods.truncate(list.pods_before);
    }

    fn document_of(&self, chunk: &Chunk) -> impl FnOnce(Value, Positions) -> Document {
        let (file, range, line, format, policy_only) = (
            self.file,
            chunk.range.clone(),
            chunk.line,
            chunk.format,
            self.policy_only,
        );
        move |value, positions| Document {
            file,
            range,
            line,
            format,
            value: Some(value),
            positions,
            policy_only,
            original: None,
        }
    }

    fn finish(&mut self, mut chunk: Chunk, streamed: bool) {
        let pods_before = self.list.pods_before;
        let list = std::mem::replace(
            &mut self.list,
            ListItems {
                pods_before,
                ..ListItems::default()
            },
        );
        if self.refused.is_some() {
            return;
        }
        let Some(value) = chunk.value.take() else {
            return;
        };
        let (api_version, kind) = match document::type_meta(&value) {
            Ok((a, k)) => (a.to_string(), k.to_string()),
            Err(e) => {
                self.drop_items(list);
                self.refused = Some(self.error(&chunk.positions, chunk.line, &e.path, e.message));
                return;
            }
        };
        let is_list = kind == "List"
            || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_array));
        if is_list {
            let list = if streamed {
                list
            } else {
                match self.unstreamed_items(value, &mut chunk) {
                    Ok(list) => list,
                    Err(e) => {
                        self.refused = Some(e);
                        return;
                    }
                }
            };
            self.finish_list(list, &chunk);
            return;
        }
        let (value, chunk) = if streamed {
            // An object with an `items` sequence of its own: its items went
            // by one by one, so it is read again whole.
            self.drop_items(list);
            match crate::reader::parse_chunk_whole(
                self.text,
                chunk.range.clone(),
                chunk.line,
                chunk.format,
            ) {
                Ok(Chunk {
                    value: Some(v),
                    positions,
                    range,
                    line,
                    format,
                }) => (
                    v,
                    Chunk {
                        value: None,
                        positions,
                        range,
                        line,
                        format,
                    },
                ),
                // It parsed a moment ago, unless the text was not kept.
                Ok(_) | Err(_) => {
                    self.needs_text = true;
                    return;
                }
            }
        } else {
            (value, chunk)
        };
        let class = Class::of(&api_version, &kind);
        if class != Class::Other {
            if let Some(e) = &chunk.positions.unrepresentable {
                self.refused = Some(input_error(
                    self.name,
                    self.text,
                    e.line,
                    e.column,
                    e.message.clone(),
                ));
                return;
            }
        }
        let document = self.document_of(&chunk);
        let (line, positions) = (chunk.line, chunk.positions);
        match self.take(value, positions, line, class, document) {
            Ok(Some((doc, class))) => self.keep(doc, class),
            Ok(None) => {}
            Err(e) => {
                self.undecodable.get_or_insert(e);
            }
        }
    }

    /// The items of a List the reader built whole (an anchored `items`),
    /// taken one by one as streamed ones are.
    fn unstreamed_items(
        &mut self,
        mut value: Value,
        chunk: &mut Chunk,
    ) -> Result<ListItems, InputError> {
        let items = match value.get_mut("items").map(Value::take) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.error(
                    &chunk.positions,
                    chunk.line,
                    &JsonPath::keys(&["items"]),
                    format!(
                        "unable to decode the List: json: cannot unmarshal {} into Go struct field decodeList.items of type []json.RawMessage",
                        match other {
                            Value::Bool(_) => "bool",
                            other => crate::value::type_name(&other),
                        }
                    ),
                ))
            }
        };
        let root = chunk.positions.root();
        let node = root.and_then(|r| match &r.children {
            PosChildren::Map(m) => m.iter().find(|(k, _)| k == "items").map(|(_, n)| n),
            _ => None,
        });
        let nodes = node.map_or_else(Vec::new, |n| match &n.children {
            PosChildren::Seq(s) => s.clone(),
            _ => Vec::new(),
        });
        // An item written elsewhere (`items` from a `<<` merge key) is
        // located at the deepest node there is, as `Positions::locate` does.
        let at = node.or(root).map_or_else(PosNode::default, |n| PosNode {
            children: PosChildren::Leaf,
            ..n.clone()
        });
        let mut nodes = nodes.into_iter();
        for item in items {
            let node = nodes.next().unwrap_or_else(|| at.clone());
            self.item(item, node);
        }
        Ok(std::mem::take(&mut self.list))
    }

    fn finish_list(&mut self, list: ListItems, chunk: &Chunk) {
        // `Inputs::classify` reads items in order and stops at the first
        // without a type, or the first of a kind it reads when the document
        // holds a scalar JSON cannot carry.
        let unreadable = match (&chunk.positions.unrepresentable, list.read) {
            (Some(e), Some(i)) => Some((
                i,
                input_error(self.name, self.text, e.line, e.column, e.message.clone()),
            )),
            _ => None,
        };
        let first = match (list.untyped, unreadable) {
            (Some((a, e)), Some((b, _))) if a < b => Some(e),
            (_, Some((_, e))) | (Some((_, e)), None) => Some(e),
            (None, None) => None,
        };
        if let Some(e) = first {
            self.pods.truncate(list.pods_before);
            self.refused = Some(e);
            return;
        }
        for (mut doc, class) in list.kept {
            doc.format = chunk.format;
            self.keep(doc, class);
        }
        if let Some(e) = list.undecodable {
            self.undecodable.get_or_insert(e);
        }
    }
}

impl ItemSink for Sink<'_> {
    fn item(&mut self, value: Value, position: PosNode) {
        let i = self.list.count;
        self.list.count += 1;
        if self.refused.is_some() || self.list.untyped.is_some() {
            return;
        }
        let line = position.line;
        let positions = Positions::of_node(position);
        let class = match document::type_meta(&value) {
            Ok((api_version, kind)) => Class::of(api_version, kind),
            Err(e) => {
                let e = self.error(&positions, line, &e.path, e.message);
                self.list.untyped = Some((i, e));
                return;
            }
        };
        if class != Class::Other {
            self.list.read.get_or_insert(i);
        }
        // An item is no chunk of its own: it has no bytes to write back.
        // Its format is the document's, set when the document ends.
        let (file, policy_only) = (self.file, self.policy_only);
        let document = move |value, positions| Document {
            file,
            range: 0..0,
            line,
            format: crate::document::Format::Yaml,
            value: Some(value),
            positions,
            policy_only,
            original: None,
        };
        match self.take(value, positions, line, class, document) {
            Ok(Some(kept)) => self.list.kept.push(kept),
            Ok(None) => {}
            Err(e) => {
                self.list.undecodable.get_or_insert(e);
            }
        }
    }

    fn document(&mut self, chunk: Chunk, streamed: bool) {
        self.finish(chunk, streamed);
        self.list.pods_before = self.pods.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PodSource;
    use serde_json::json;

    /// What a plan reads of one input: the error, or every resource kept
    /// (with where its `spec` is), the pods as the plan keeps them and the
    /// first undecodable pod.
    type Read = Result<(Vec<(Class, Value, Location)>, Vec<Value>, Option<String>), String>;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("in".into(), text.into())
    }

    fn spec_at(inputs: &Inputs, r: &Resource) -> Location {
        inputs.locate(r, &JsonPath::keys(&["spec", "containers"]))
    }

    /// `input::load` then `decode::check_resources`, the reading of a plan
    /// before pods were read item by item.
    fn whole(text: &str) -> Read {
        let mut inputs = Inputs::default();
        inputs.add(file(text), false).map_err(|e| e.to_string())?;
        let pods: Vec<&Resource> = inputs
            .of_class(Class::Workload(WorkloadKind::Pod))
            .collect();
        let undecodable = crate::decode::check_resources(&inputs, pods.iter().copied())
            .err()
            .map(|e| e.to_string());
        let kept = inputs
            .resources
            .iter()
            .filter(|r| !matches!(r.class, Class::Workload(_)))
            .map(|r| (r.class, inputs.value(r).clone(), spec_at(&inputs, r)))
            .collect();
        let pods = pods
            .iter()
            .map(|r| {
                crate::plan::pods::slim(super::super::in_namespace(inputs.value(r).clone(), "ns"))
            })
            .collect();
        Ok((kept, pods, undecodable))
    }

    fn read(live: &Live) -> (Vec<(Class, Value, Location)>, Vec<Value>) {
        let inputs = &live.inputs;
        let kept = inputs
            .resources
            .iter()
            .map(|r| (r.class, inputs.value(r).clone(), spec_at(inputs, r)))
            .collect();
        let pods = (0..live.pods.len())
            .map(|i| live.pods.pod(i).into_owned())
            .collect();
        (kept, pods)
    }

    fn streamed(text: &str) -> Read {
        let mut live = Live::default();
        live.add(file(text), false, "ns")
            .map_err(|e| e.to_string())?;
        let (kept, pods) = read(&live);
        Ok((kept, pods, live.undecodable.map(|e| e.to_string())))
    }

    fn by_serde(text: &str) -> Option<(Vec<Value>, Vec<Value>)> {
        let mut live = Live::default();
        live.add_parsed(file(text), false, "ns", |text, sink| {
            super::super::fast::read_json(text.as_bytes(), sink)
        })
        .ok()?;
        let (kept, pods) = read(&live);
        Some((kept.into_iter().map(|(_, v, _)| v).collect(), pods))
    }

    fn pod(name: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": "web"}, "annotations": {"other": "x"}},
            "spec": {"nodeName": "n", "volumes": [{"name": "v"}],
                "containers": [{"name": "app", "image": "app:1", "env": [{"name": "A", "value": "1"}]}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}})
    }

    /// Each object of a List and of a stream read item by item is what the
    /// whole reading gives, errors included, in YAML and in JSON; where
    /// serde_json reads the JSON, it reads the same.
    #[test]
    fn items_read_one_by_one_are_the_whole_reading() {
        let ss = json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet",
            "metadata": {"name": "s"}, "spec": {"containers": [{"name": "log", "image": "l:1"}]}});
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}});
        let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"replicas": "x"}});
        let mut bad_pod = pod("bad");
        bad_pod["spec"]["containers"] = json!({});
        let mut no_kind = pod("nokind");
        no_kind.as_object_mut().expect("pod").remove("kind");
        let mut unnamed = pod("x");
        unnamed["metadata"]
            .as_object_mut()
            .expect("meta")
            .remove("name");
        let list = |items: Vec<Value>| json!({"apiVersion": "v1", "items": items, "kind": "List"});
        let lists = [
            list(vec![
                ss.clone(),
                pod("a"),
                ns.clone(),
                deploy.clone(),
                pod("b"),
            ]),
            list(vec![pod("a"), bad_pod.clone(), pod("c"), unnamed.clone()]),
            list(vec![ss.clone(), pod("a"), no_kind.clone(), bad_pod.clone()]),
            list(vec![ss.clone(), json!(5), pod("b")]),
            json!({"apiVersion": "v1", "items": [pod("a")], "kind": "PodList"}),
            json!({"apiVersion": "v1", "items": [pod("a"), ss.clone()], "kind": "Foo", "metadata": {"name": "f"}}),
            json!({"apiVersion": "v1", "items": {"a": 1}, "kind": "List"}),
            json!({"apiVersion": "v1", "items": null, "kind": "List"}),
            json!({"apiVersion": "v1", "kind": 5, "items": [pod("a")]}),
            json!({"items": [pod("a")], "kind": "List"}),
            pod("alone"),
            bad_pod.clone(),
            json!([pod("a")]),
        ];
        let mut texts = Vec::new();
        for v in &lists {
            texts.push(crate::reader::emit_yaml(v));
            texts.push(serde_json::to_string_pretty(v).expect("json"));
        }
        let yaml = |v: &Value| crate::reader::emit_yaml(v);
        texts.push(format!(
            "{}---\n{}---\n{}",
            yaml(&ss),
            yaml(&pod("a")),
            yaml(&bad_pod)
        ));
        texts.push(format!(
            "{}---\nkind: [\n",
            yaml(&list(vec![no_kind.clone()]))
        ));
        texts.push(yaml(&list(vec![pod("a"), pod("b")])).replace("phase: Running", "phase: .inf"));
        texts.push(format!(
            "{}---\n{}",
            yaml(&json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": ".nan"}})).replace("'.nan'", ".nan"),
            yaml(&pod("a"))
        ));
        texts.push(format!(
            "apiVersion: v1\nkind: List\nitems: &all\n{}copy: *all\n",
            yaml(&json!([ss.clone(), pod("a")]))
        ));
        texts.push(format!(
            "{{\"items\": [{}], \"items\": [], \"kind\": \"List\"}}",
            pod("a")
        ));
        texts.push(format!("{}\n{}\n", pod("a"), pod("b")));
        texts.push(format!(
            "base: &b\n  items:\n{}<<: *b\napiVersion: v1\nkind: List\n",
            yaml(&json!([pod("a"), bad_pod.clone()]))
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        ));
        let mut read_by_serde = 0;
        for text in &texts {
            let want = whole(text);
            let got = streamed(text);
            match (&want, &got) {
                (Ok((wk, _, Some(wu))), Ok((gk, _, Some(gu)))) => {
                    // Pods after an undecodable one are never planned.
                    assert_eq!((wk, wu), (gk, gu), "{text}");
                }
                _ => assert_eq!(want, got, "{text}"),
            }
            if let Some((kept, pods)) = by_serde(text) {
                read_by_serde += 1;
                let Ok((wk, wp, None)) = &want else {
                    panic!("serde_json read what the YAML layer refuses:\n{text}");
                };
                let wk: Vec<Value> = wk.iter().map(|(_, v, _)| v.clone()).collect();
                assert_eq!((&wk, wp), (&kept, &pods), "{text}");
            }
        }
        assert!(read_by_serde >= 4, "{read_by_serde}");
    }

    /// A Pod read by serde_json is built only in the shape a plan reads
    /// (`shape`): it is checked and kept as the whole pod is, and every
    /// error in a part it does not keep still gives the reading up.
    #[test]
    fn pods_read_in_shape_are_checked_and_kept_as_whole_ones() {
        let full = || {
            let mut p = pod("full");
            p["metadata"]["generateName"] = json!("full-");
            p["metadata"]["uid"] = json!("u");
            p["metadata"]["ownerReferences"] = json!([{"kind": "ReplicaSet", "name": "r"}]);
            p["metadata"]["annotations"] = json!({"a": "1",
                "kruise.io/sidecarset-hash": "{\"s\":{\"hash\":\"h\"}}",
                "version.sidecarset.kruise.io/log": "1", "z": ""});
            p["spec"]["initContainers"] = json!([{"name": "init", "image": "i:1",
                "env": [{"name": "E", "value": "v"}], "volumeMounts": [{"name": "v", "mountPath": "/v"}]}]);
            p["spec"]["volumes"] = json!([{"name": "v", "emptyDir": {}}, {"name": "w", "secret": {"secretName": "s"}}]);
            p["spec"]["tolerations"] = json!([{"key": "k", "operator": "Exists"}]);
            p["spec"]["priority"] = json!(-5);
            p["status"]["conditions"] = json!([
                {"type": "Initialized", "status": "True"}, 7,
                {"type": "Ready", "status": "False", "lastTransitionTime": "t", "reason": "r"}]);
            p["status"]["containerStatuses"] = json!([{"name": "app", "image": "app:1",
                "imageID": "x", "ready": true, "restartCount": 2, "state": {"running": {}}}, null]);
            p["status"]["hostIP"] = json!("10.0.0.1");
            p
        };
        let with = |path: &str, v: Value| {
            let mut p = full();
            *p.pointer_mut(path).expect(path) = v;
            p
        };
        let mut kind_last = full();
        let kind = kind_last.as_object_mut().expect("pod").shift_remove("kind");
        kind_last["kind"] = kind.expect("kind");
        // (pod, whether it is read as it is)
        let pods = [
            (full(), true),
            (kind_last, true),
            (
                with("/metadata/annotations", json!({"a": 5, "b": "x"})),
                false,
            ),
            (with("/metadata/annotations", json!({"a": null})), true),
            (with("/metadata/annotations", json!(["x"])), false),
            (with("/metadata/labels/app", json!(true)), false),
            (with("/metadata/name", json!("")), true),
            (with("/metadata/generateName", json!(3)), false),
            (with("/metadata", json!("m")), false),
            (with("/spec/volumes", json!([{"name": "v"}, 5])), false),
            (with("/spec/volumes", json!({"name": "v"})), false),
            (
                with("/spec/initContainers/0/env", json!([{"name": "E"}, "x"])),
                false,
            ),
            (
                with("/spec/initContainers/0/volumeMounts", json!({})),
                false,
            ),
            (with("/spec/initContainers/0/name", json!("")), false),
            (with("/spec/initContainers", json!([[]])), false),
            (with("/spec/initContainers", json!(null)), true),
            (with("/spec/containers/0/env", json!([1])), false),
            (with("/spec/containers", json!([])), false),
            (with("/spec", json!([])), false),
            (with("/status/conditions", json!({"type": "Ready"})), true),
            (with("/status/containerStatuses", json!("none")), true),
            (with("/status", json!(1)), true),
        ];
        let list = |items: Vec<Value>| json!({"apiVersion": "v1", "items": items, "kind": "List"});
        let mut read = 0;
        for (p, fast) in pods {
            let text =
                serde_json::to_string_pretty(&list(vec![p.clone(), pod("next")])).expect("json");
            let want = whole(&text);
            match (by_serde(&text), fast) {
                (Some((kept, pods)), true) => {
                    let Ok((wk, wp, None)) = &want else {
                        panic!("serde_json read what the YAML layer refuses:\n{text}");
                    };
                    let wk: Vec<Value> = wk.iter().map(|(_, v, _)| v.clone()).collect();
                    assert_eq!((&wk, wp), (&kept, &pods), "{text}");
                    read += 1;
                }
                (None, false) => {
                    let Ok((_, _, Some(_))) = &want else {
                        panic!("not undecodable:\n{text}");
                    };
                }
                (got, _) => panic!("read: {}, want {fast}:\n{text}", got.is_some()),
            }
        }
        assert!(read >= 8, "{read}");
        // Parts not kept are read as the rest is: a repeated key, a float or
        // a character beyond U+FFFF in any of them gives the reading up.
        let text = serde_json::to_string(&list(vec![full()])).expect("json");
        assert!(by_serde(&text).is_some());
        for (from, to) in [
            ("\"uid\":\"u\"", "\"uid\":\"u\",\"uid\":\"v\""),
            ("\"uid\":\"u\"", "\"uid\":1.5"),
            ("\"uid\":\"u\"", "\"uid\":\"\u{1F600}\""),
            ("\"uid\":\"u\"", "\"uid\":\"\\ud83d\\ude00\""),
            (
                "\"secretName\":\"s\"",
                "\"secretName\":\"s\",\"secretName\":\"s\"",
            ),
            ("\"hostIP\":", "\"hostIP\":0.5,\"x\":"),
            ("\"a\":\"1\"", "\"a\":\"1\",\"a\":\"2\""),
            (
                "{\"name\":\"v\",\"emptyDir\":{}}",
                "{\"name\":\"v\",\"emptyDir\":{\"a\":1,\"a\":1}}",
            ),
            ("\"kind\":\"Pod\"", "\"kind\":\"Pod\",\"kind\":\"Pod\""),
        ] {
            assert!(text.contains(from), "{from}");
            let changed = text.replacen(from, to, 1);
            assert!(by_serde(&changed).is_none(), "{changed}");
        }
        // Many keys in a part not kept: told apart by a hash set.
        let keys = |n: usize, again: bool| {
            let mut m = serde_json::Map::new();
            for i in 0..n {
                m.insert(format!("k{i}"), json!(i));
            }
            let body = serde_json::to_string(&m).expect("json");
            if again {
                body.replacen('}', ",\"k0\":0}", 1)
            } else {
                body
            }
        };
        for n in [3, 16, 17, 40] {
            let many = text.replacen("\"uid\":\"u\"", &format!("\"uid\":{}", keys(n, false)), 1);
            assert!(by_serde(&many).is_some(), "{many}");
            let repeated = text.replacen("\"uid\":\"u\"", &format!("\"uid\":{}", keys(n, true)), 1);
            assert!(by_serde(&repeated).is_none(), "{repeated}");
        }
    }
}
