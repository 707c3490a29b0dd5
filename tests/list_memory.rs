//! `inject` holds one item of a `kind: List` at a time: the memory a run
//! allocates at its peak is the input, its output and a bounded rest, where
//! parsing the whole List first holds every item, many times their text.
//! A counting allocator measures the peak of in-process runs.

use clap::Parser;
use kubectl_sidecarset::cli::args::{Cli, Command};
use kubectl_sidecarset::cli::inject::{execute, Engine};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measured run at a time (the test harness runs tests in threads).
static RUNS: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// `n` Deployments, every other one selected by the SidecarSet.
fn deployments(n: usize, indent: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            let app = if i % 2 == 0 { "web" } else { "db" };
            format!(
                "apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{}
  labels:
    app: {app}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
    spec:
      containers:
      - name: app
        image: registry.example.com/app-{i}:1.0.0
        args: [\"--port\", \"8080\"]
        env:
        - name: INDEX
          value: \"{i}\"
        resources:
          limits: {{cpu: \"1\", memory: 256Mi}}
      volumes:
      - name: log
        emptyDir: {{}}
",
                i % 7
            )
            .lines()
            .enumerate()
            .map(|(l, line)| format!("{indent}{}{line}\n", if l == 0 { "- " } else { "  " }))
            .collect()
        })
        .collect()
}

const SIDECARSET: &str = "apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: logger
spec:
  selector:
    matchLabels:
      app: web
  containers:
  - name: logger
    image: busybox
    volumeMounts:
    - name: log
      mountPath: /var/log
  volumes:
  - name: log
    emptyDir: {}
";

/// The peak of live heap bytes over one `inject` run, and its output.
fn peak_of(engine: Engine, args: &[&str]) -> (usize, usize) {
    let argv = ["kubectl-sidecarset", "inject", "-q"]
        .iter()
        .chain(args)
        .map(|s| s.to_string());
    let cli = Cli::try_parse_from(argv).expect("arguments");
    let Command::Inject(args) = cli.command else {
        panic!("not inject")
    };
    let mut out = Vec::new();
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let done = execute(&args, engine, &mut out).expect("inject");
    assert_eq!(done.status, 0);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    (peak, out.len())
}

#[test]
fn a_list_is_held_one_item_at_a_time() {
    let _one = RUNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::env::temp_dir().join(format!("kss-list-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, SIDECARSET).expect("write");
    let n = 2000;
    let yaml = format!(
        "apiVersion: v1\nitems:\n{}kind: List\nmetadata:\n  resourceVersion: \"\"\n",
        deployments(n, "").concat()
    );
    // The same List as JSON, one item per line.
    let json = {
        let mut s = String::from("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n");
        for (i, d) in deployments(n, "").iter().enumerate() {
            let doc: String = d
                .lines()
                .map(|l| l.get(2..).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            let item: serde_json::Value = kubectl_sidecarset::yaml::parse_document(&doc)
                .expect("parses")
                .expect("a document")
                .0;
            s.push_str(if i == 0 { "  " } else { ",\n  " });
            s.push_str(&serde_json::to_string(&item).expect("json"));
        }
        s.push_str("\n]}\n");
        s
    };
    for (name, text) in [("list.yaml", &yaml), ("list.json", &json)] {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let (f, p) = (path.display().to_string(), policy.display().to_string());
        for mode in ["yaml", "json", "json-patch"] {
            let args = ["-f", f.as_str(), "--sidecarset", p.as_str(), "-o", mode];
            let (streamed, output) = peak_of(Engine::Streaming, &args);
            let (whole, _) = peak_of(Engine::InMemory, &args);
            // The input; the output in the run's buffer (which may double as
            // it grows, the old and new capacity live while it moves) and
            // then the caller's; and what one item and the policy take.
            let bound = text.len() + 4 * output + (4 << 20);
            assert!(
                streamed <= bound,
                "{name} -o {mode}: a peak of {streamed} bytes, over {bound} (input {}, output {output})",
                text.len()
            );
            // The bound tells the two apart.
            assert!(whole > bound, "{name} -o {mode}: {whole} <= {bound}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
