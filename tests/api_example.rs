//! `examples/api.rs`, the engine used as a library, run as a test: its
//! injection must print what `kubectl sidecarset inject` prints, and its
//! plan the batches `kubectl sidecarset plan` shows.

use std::path::Path;

// The example's `main` only runs as the example.
#[path = "../examples/api.rs"]
#[allow(dead_code)]
mod api;

/// The time the golden outputs were made at (2024-01-01T00:00:00Z).
const EPOCH: i64 = 1_704_067_200;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn injection_prints_what_the_cli_prints() {
    let filebeat = root().join("examples/filebeat-deployment");
    let got = api::inject(
        &[filebeat.join("deployment.yaml")],
        &[filebeat.join("sidecarset.yaml")],
        EPOCH,
    )
    .expect("injects");
    assert!(
        got.contains(
            "        - name: filebeat\n          image: docker.elastic.co/beats/filebeat:7.16.2\n"
        ),
        "{got}"
    );
    assert!(
        got.contains("kruise.io/sidecarset-injected-list: filebeat-sidecarset\n"),
        "{got}"
    );
    // The SidecarSet is policy: not echoed.
    assert!(!got.contains("kind: SidecarSet"), "{got}");
    let want =
        std::fs::read_to_string(root().join("testdata/golden/inject-filebeat-deployment/stdout"))
            .expect("golden output");
    assert_eq!(got, want);
}

#[test]
fn plan_prints_the_batches_of_the_live_rollout() {
    let got =
        api::plan_live(&root().join("testdata/plan/live-hot-upgrade.json"), EPOCH).expect("plans");
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(
        lines,
        [
            "SidecarSet envoy-sidecar: 4 matched, 1 updated, 5 batches",
            "  round 1 flip 1/4: shop/web-2",
            "  round 2 upgrade 2/4: shop/web-1",
            "  round 3 flip 2/4: shop/web-1",
            "  round 4 upgrade 3/4: shop/web-0",
            "  round 5 flip 3/4: shop/web-0",
            "  end: no pod is left to upgrade: 1 of 4 pods are not updated (1 not upgradable in place: see below)",
        ]
    );
}

#[test]
fn the_example_prints_both() {
    let got = api::run(EPOCH).expect("runs");
    assert!(
        got.starts_with("apiVersion: apps/v1\nkind: Deployment\n"),
        "{got}"
    );
    assert!(
        got.contains(
            "\n---\n# plan\n# SidecarSet envoy-sidecar: 4 matched, 1 updated, 5 batches\n"
        ),
        "{got}"
    );
    assert_eq!(got.matches("\n#   round ").count(), 5, "{got}");
}
