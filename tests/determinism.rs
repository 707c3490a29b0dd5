//! Same input, same bytes: `inject` as a helm post-renderer or in a GitOps
//! pipeline must not change its output from one run to the next, nor when it
//! is run again on its own output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sidecarset() -> PathBuf {
    root().join("examples/filebeat-deployment/sidecarset.yaml")
}

/// What `helm template` prints for a small chart: the example Deployment
/// among a Service, a ConfigMap and a StatefulSet that the FileBeat
/// SidecarSet also selects. No namespace anywhere, as helm leaves it to -n.
fn helm_stream() -> String {
    let deployment =
        std::fs::read_to_string(root().join("examples/filebeat-deployment/deployment.yaml"))
            .expect("example deployment");
    format!(
        "---\n# Source: web/templates/service.yaml\n\
apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  selector:\n    app: nginx\n  ports:\n    - port: 80\n\
---\n# Source: web/templates/configmap.yaml\n\
apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filebeat-config\ndata:\n  filebeat.yml: |\n    output.console: {{}}\n\
---\n# Source: web/templates/deployment.yaml\n{deployment}\
---\n# Source: web/templates/statefulset.yaml\n\
apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cache\nspec:\n  serviceName: cache\n  replicas: 2\n  selector:\n    matchLabels:\n      app: cache\n  template:\n    metadata:\n      labels:\n        app: cache\n        kruise.io/inject-filebeat: \"true\"\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n          volumeMounts:\n            - mountPath: /var/log\n              name: log\n      volumes:\n        - name: log\n          emptyDir: {{}}\n"
    )
}

/// Runs `inject` on `stdin` with `extra` arguments; `epoch` sets
/// SOURCE_DATE_EPOCH, `None` removes it. Returns stdout.
fn inject(stdin: &[u8], extra: &[&str], epoch: Option<&str>) -> Vec<u8> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"));
    cmd.arg("inject")
        .arg("-q")
        .arg("--sidecarset")
        .arg(sidecarset())
        .args(extra)
        .arg("-f")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let mut child = cmd.spawn().expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("stdin written");
    let out = child.wait_with_output().expect("the binary finishes");
    assert!(
        out.status.success(),
        "inject failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn two_runs_a_second_apart_print_the_same_bytes() {
    let input = helm_stream();
    let first = inject(input.as_bytes(), &[], None);
    std::thread::sleep(Duration::from_millis(1100));
    let second = inject(input.as_bytes(), &[], None);
    let out = text(&first);
    // Both templates were injected, so there was a timestamp to differ.
    assert_eq!(
        out.matches("kruise.io/sidecarset-injected-list: filebeat-sidecarset")
            .count(),
        2,
        "{out}"
    );
    assert!(
        out.contains(r#""updateTimestamp":"1970-01-01T00:00:00Z""#),
        "{out}"
    );
    assert!(
        first == second,
        "second run differs:\n{out}\n---\n{}",
        text(&second)
    );
    // The namespace is left to kubectl/helm: none was written.
    assert!(!out.contains("namespace: default"), "{out}");
}

#[test]
fn injecting_the_output_again_gives_it_back_unchanged() {
    let input = helm_stream();
    let once = inject(input.as_bytes(), &[], Some("1704067200"));
    assert!(
        text(&once).contains(r#""updateTimestamp":"2024-01-01T00:00:00Z""#),
        "{}",
        text(&once)
    );
    // Later, with another clock: the recorded entries keep their time.
    for (extra, epoch) in [
        (&[][..], None),
        (&["--wall-clock"][..], None),
        (&[][..], Some("1800000000")),
    ] {
        let twice = inject(&once, extra, epoch);
        assert!(
            once == twice,
            "{extra:?} {epoch:?}: re-injection changed the output:\n{}\n---\n{}",
            text(&once),
            text(&twice)
        );
    }
}

#[test]
fn wall_clock_stamps_now_unless_source_date_epoch_is_set() {
    let input = helm_stream();
    let stamped = text(&inject(input.as_bytes(), &["--wall-clock"], None));
    let year: u32 = stamped
        .split(r#""updateTimestamp":""#)
        .nth(1)
        .and_then(|rest| rest.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| panic!("no updateTimestamp in:\n{stamped}"));
    assert!(year >= 2024, "--wall-clock stamped year {year}");
    let pinned = text(&inject(
        input.as_bytes(),
        &["--wall-clock"],
        Some("1704067200"),
    ));
    assert!(
        pinned.contains(r#""updateTimestamp":"2024-01-01T00:00:00Z""#),
        "SOURCE_DATE_EPOCH must beat --wall-clock:\n{pinned}"
    );
}
