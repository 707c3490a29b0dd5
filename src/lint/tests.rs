//! Every rule with a failing and a passing fixture. A fixture is a base
//! SidecarSet (valid, quiet) changed by a JSON merge patch, plus optional
//! other resources and an old version (`--from`).

use super::*;
use serde_json::{json, Value};

fn base_ss() -> Value {
    json!({
        "apiVersion": "apps.kruise.io/v1beta1",
        "kind": "SidecarSet",
        "metadata": {"name": "s"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "default"}},
            "updateStrategy": {"type": "RollingUpdate"},
            "containers": [{"name": "side", "image": "busybox:1.36"}]
        }
    })
}

fn ss(patch: Value) -> Value {
    let mut v = base_ss();
    json_patch::merge(&mut v, &patch);
    v
}

fn deploy(patch: Value) -> Value {
    let mut v = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}
        }}
    });
    json_patch::merge(&mut v, &patch);
    v
}

fn job(patch: Value) -> Value {
    let mut v = json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "batch", "namespace": "default"},
        "spec": {"template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "app", "image": "busybox:1.36"}]}
        }}
    });
    json_patch::merge(&mut v, &patch);
    v
}

fn whitelist(exprs: &[&str], selector: Value) -> Value {
    let mut rule = json!({"allowedAnnotationKeyExprs": exprs});
    if !selector.is_null() {
        rule["selector"] = selector;
    }
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "kruise-configuration", "namespace": "kruise-system"},
        "data": {"SidecarSet_PatchPodMetadata_WhiteList": json!({"rules": [rule]}).to_string()}
    })
}

fn revision(name: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
           "metadata": {"name": name, "namespace": "kruise-system"}})
}

fn live_pod(patch: Value) -> Value {
    let mut v = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "default", "uid": "u-1", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
        "status": {"phase": "Running"}
    });
    json_patch::merge(&mut v, &patch);
    v
}

fn share_ss() -> Value {
    ss(
        json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "shareVolumePolicy": {"type": "enabled"}}]}}),
    )
}

/// A Deployment patch: the app container mounts `mount` of pod volume `volume`.
fn app_mount(mount: Value, volume: Value) -> Value {
    json!({"spec": {"template": {"spec": {"volumes": [volume],
        "containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": [mount]}]}}}})
}

fn mount(name: &str, path: &str) -> Value {
    json!({"name": name, "mountPath": path})
}

fn device(name: &str, path: &str) -> Value {
    json!({"name": name, "devicePath": path})
}

/// A SidecarSet with a PVC volume `data` and an emptyDir `logs`, whose sidecar
/// in `list` (`containers` or `initContainers`) has these mounts and devices.
fn block_ss(list: &str, mounts: Vec<Value>, devices: Vec<Value>) -> Value {
    let sidecar = json!({"name": "blk", "image": "busybox:1.36",
        "volumeMounts": mounts, "volumeDevices": devices});
    let mut spec = json!({"volumes": [
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
        {"name": "logs", "emptyDir": {}}
    ]});
    spec[list] = json!([sidecar]);
    ss(json!({ "spec": spec }))
}

fn guaranteed() -> Value {
    json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27",
        "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}}})
}

fn rules_of(resources: &[Value], old: &[Value]) -> Vec<Finding> {
    lint(&Input {
        resources,
        old_sidecar_sets: old,
        ..Default::default()
    })
}

struct Case {
    rule: &'static str,
    fail: Vec<Value>,
    pass: Vec<Value>,
    old_fail: Vec<Value>,
    old_pass: Vec<Value>,
}

fn case(rule: &'static str, fail: Vec<Value>, pass: Vec<Value>) -> Case {
    Case {
        rule,
        fail,
        pass,
        old_fail: Vec::new(),
        old_pass: Vec::new(),
    }
}

fn cases() -> Vec<Case> {
    let init_native = json!({"name": "init", "image": "busybox:1.36", "restartPolicy": "Always"});
    let policy = |expr: Value| json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "resourcesPolicy": expr}]}});
    let prio = |p: Value| ss(json!({"spec": {"updateStrategy": {"priorityStrategy": p}}}));
    let patch = |ann: Value, pol: &str| json!({"spec": {"patchPodMetadata": [{"annotations": ann, "patchPolicy": pol}]}});
    let other = |spec: Value| {
        let mut o = ss(spec);
        o["metadata"]["name"] = json!("other");
        o
    };
    let env_ss = |env: Value| {
        ss(json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "env": env}]}}))
    };
    let hot = |extra: Value| {
        let mut c = json!({"name": "side", "image": "envoy:1", "upgradeStrategy": {"upgradeType": "HotUpgrade"}});
        json_patch::merge(&mut c, &extra);
        ss(json!({"spec": {"containers": [c]}}))
    };
    vec![
        case(
            "SSV-000",
            vec![ss(json!({"spec": {"containers": "x"}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-001",
            vec![ss(json!({"metadata": {"name": "a_b"}}))],
            vec![ss(json!({"metadata": {"name": "a-b"}}))],
        ),
        case(
            "SSV-002",
            vec![ss(json!({"metadata": {"name": "a".repeat(64)}}))],
            vec![ss(json!({"metadata": {"name": "a".repeat(63)}}))],
        ),
        case(
            "SSV-003",
            vec![ss(json!({"metadata": {"name": "Ab"}}))],
            vec![ss(json!({"metadata": {"name": "ab"}}))],
        ),
        case(
            "SSV-004",
            vec![ss(json!({"metadata": {"namespace": "x"}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-010",
            vec![ss(json!({"spec": {"initContainers": [init_native]}}))],
            vec![ss(
                json!({"spec": {"initContainers": [init_native], "updateStrategy": {"type": "NotUpdate"}}}),
            )],
        ),
        case(
            "SSV-020",
            vec![ss(json!({"spec": {"selector": null}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-021",
            vec![ss(
                json!({"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]}}}),
            )],
            vec![ss(
                json!({"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}}}),
            )],
        ),
        case(
            "SSV-022",
            vec![ss(json!({"spec": {"selector": {"matchLabels": null}}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-023",
            vec![ss(
                json!({"spec": {"namespaceSelector": {"matchLabels": null}}}),
            )],
            vec![base_ss()],
        ),
        case(
            "SSV-030",
            vec![ss(
                json!({"spec": {"injectionStrategy": {"revision": {"policy": "Always"}}}}),
            )],
            vec![
                ss(json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1"}}}})),
                revision("r1"),
            ],
        ),
        case(
            "SSV-031",
            vec![ss(
                json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1"}}}}),
            )],
            vec![
                ss(json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1"}}}})),
                revision("r1"),
            ],
        ),
        case(
            "SSV-032",
            vec![
                ss(
                    json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1", "policy": "Sometimes"}}}}),
                ),
                revision("r1"),
            ],
            vec![
                ss(
                    json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1", "policy": "Partial"}}}}),
                ),
                revision("r1"),
            ],
        ),
        case(
            "SSV-040",
            vec![ss(
                json!({"spec": {"updateStrategy": {"partition": 1, "selector": {"matchLabels": {"canary": "true"}}}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"partition": 0, "selector": {"matchLabels": {"canary": "true"}}}}}),
            )],
        ),
        case(
            "SSV-041",
            vec![ss(json!({"spec": {"updateStrategy": {"selector": {}}}}))],
            vec![ss(
                json!({"spec": {"updateStrategy": {"selector": {"matchLabels": {"canary": "true"}}}}}),
            )],
        ),
        case(
            "SSV-042",
            vec![ss(
                json!({"spec": {"updateStrategy": {"partition": "10.5%"}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"partition": "10%"}}}),
            )],
        ),
        case(
            "SSV-043",
            vec![ss(
                json!({"spec": {"updateStrategy": {"maxUnavailable": -1}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"maxUnavailable": 1}}}),
            )],
        ),
        case(
            "SSV-044",
            vec![prio(
                json!({"weightPriority": [{"weight": 5, "matchSelector": {"matchLabels": {"a": "b"}}}], "orderPriority": [{"orderedKey": "k"}]}),
            )],
            vec![prio(json!({"orderPriority": [{"orderedKey": "k"}]}))],
        ),
        case(
            "SSV-045",
            vec![prio(
                json!({"weightPriority": [{"weight": 101, "matchSelector": {"matchLabels": {"a": "b"}}}]}),
            )],
            vec![prio(
                json!({"weightPriority": [{"weight": 100, "matchSelector": {"matchLabels": {"a": "b"}}}]}),
            )],
        ),
        case(
            "SSV-046",
            vec![prio(
                json!({"weightPriority": [{"weight": 1, "matchSelector": {}}]}),
            )],
            vec![prio(
                json!({"weightPriority": [{"weight": 1, "matchSelector": {"matchLabels": {"a": "b"}}}]}),
            )],
        ),
        case(
            "SSV-047",
            vec![prio(
                json!({"weightPriority": [{"weight": 1, "matchSelector": {"matchExpressions": [{"key": "a", "operator": "Gt"}]}}]}),
            )],
            vec![prio(
                json!({"weightPriority": [{"weight": 1, "matchSelector": {"matchExpressions": [{"key": "a", "operator": "In", "values": ["b"]}]}}]}),
            )],
        ),
        case(
            "SSV-048",
            vec![prio(json!({"orderPriority": [{"orderedKey": ""}]}))],
            vec![prio(json!({"orderPriority": [{"orderedKey": "k"}]}))],
        ),
        case(
            "SSV-049",
            vec![ss(
                json!({"spec": {"updateStrategy": {"scatterStrategy": [{"key": "k", "value": "a"}, {"key": "k", "value": "a"}]}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"scatterStrategy": [{"key": "k", "value": "a"}, {"key": "k", "value": "b"}]}}}),
            )],
        ),
        case(
            "SSV-050",
            vec![ss(json!({"spec": {"containers": []}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-051",
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "podInjectPolicy": "Middle"}]}}),
            )],
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "podInjectPolicy": "AfterAppContainer"}]}}),
            )],
        ),
        case(
            "SSV-052",
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "shareVolumePolicy": {"type": "maybe"}}]}}),
            )],
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "shareVolumePolicy": {"type": "enabled"}}]}}),
            )],
        ),
        case(
            "SSV-053",
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "transferEnv": [{"envName": "TZ", "sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}]}}),
            )],
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "transferEnv": [{"envName": "TZ", "sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.labels['main']"}}}]}]}}),
            )],
        ),
        case(
            "SSV-054",
            vec![ss(
                json!({"spec": {"initContainers": [{"name": "init", "image": "busybox:1.36", "resourcesPolicy": {"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu"}}}}]}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "NotUpdate"}, "initContainers": [{"name": "init", "image": "busybox:1.36", "restartPolicy": "Always", "resourcesPolicy": {"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu"}}}}]}}),
            )],
        ),
        case(
            "SSV-055",
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "resources": {"limits": {"cpu": "1"}}, "resourcesPolicy": {"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu"}}}}]}}),
            )],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
        ),
        case(
            "SSV-056",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": ".*", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
        ),
        case(
            "SSV-057",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "(", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
        ),
        case(
            "SSV-058",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "resourcesExpr": {}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "resourcesExpr": {"requests": {"memory": "memory*0.5"}}}),
            ))],
        ),
        case(
            "SSV-059",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu - 2"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "max", "resourcesExpr": {"limits": {"cpu": "cpu*50%"}}}),
            ))],
        ),
        case(
            "SSV-05A",
            vec![ss(policy(
                json!({"resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "max", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
            ))],
        ),
        case(
            "SSV-05B",
            vec![ss(json!({"spec": {"containers": [{"name": "side"}]}}))],
            vec![base_ss()],
        ),
        case(
            "SSV-05C",
            vec![block_ss(
                "containers",
                vec![mount("data", "/data")],
                vec![device("data", "/dev/xvda")],
            )],
            vec![block_ss(
                "containers",
                vec![mount("logs", "/logs")],
                vec![device("data", "/dev/xvda")],
            )],
        ),
        case(
            "SSV-060",
            vec![ss(patch(json!({"foo": "1"}), "Overwrite"))],
            vec![
                ss(patch(json!({"foo": "1"}), "Overwrite")),
                whitelist(&["^foo$"], Value::Null),
            ],
        ),
        case(
            "SSV-061",
            vec![
                ss(patch(json!({"foo": "1"}), "Overwrite")),
                whitelist(&["^foo$"], json!({"matchLabels": {"team": "a"}})),
            ],
            vec![
                ss(
                    json!({"metadata": {"labels": {"team": "a"}}, "spec": {"patchPodMetadata": [{"annotations": {"foo": "1"}, "patchPolicy": "Overwrite"}]}}),
                ),
                whitelist(&["^foo$"], json!({"matchLabels": {"team": "a"}})),
            ],
        ),
        case(
            "SSV-062",
            vec![
                ss(patch(json!({"bar": "1"}), "Overwrite")),
                whitelist(&["^foo$"], Value::Null),
            ],
            vec![
                ss(patch(json!({"foo": "1"}), "Overwrite")),
                whitelist(&["^foo$"], Value::Null),
            ],
        ),
        case(
            "SSV-063",
            vec![
                ss(patch(json!({}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(patch(json!({"foo": "1"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        case(
            "SSV-064",
            vec![
                ss(patch(json!({"a b": "1"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(patch(json!({"a.b/c": "1"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        case(
            "SSV-066",
            vec![
                ss(
                    json!({"spec": {"patchPodMetadata": [{"annotations": {"foo": "1"}}, {"annotations": {"foo": "2"}}]}}),
                ),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(
                    json!({"spec": {"patchPodMetadata": [{"annotations": {"foo": "1"}}, {"annotations": {"bar": "2"}}]}}),
                ),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        Case {
            rule: "SSV-070",
            fail: vec![base_ss()],
            pass: vec![base_ss()],
            old_fail: vec![ss(
                json!({"spec": {"containers": [{"name": "other", "image": "busybox:1.36"}]}}),
            )],
            old_pass: vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.35"}, {"name": "gone", "image": "busybox:1.35"}]}}),
            )],
        },
        Case {
            rule: "SSV-071",
            fail: vec![hot(
                json!({"upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}}),
            )],
            pass: vec![hot(
                json!({"upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}}),
            )],
            old_fail: vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "envoy:1"}]}}),
            )],
            old_pass: vec![hot(
                json!({"image": "envoy:0", "upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}}),
            )],
        },
        case(
            "SSV-080",
            vec![
                other(json!({"spec": {"initContainers": [{"name": "init", "image": "x:1"}]}})),
                ss(json!({"spec": {"initContainers": [{"name": "init", "image": "x:1"}]}})),
            ],
            vec![
                other(
                    json!({"spec": {"selector": {"matchLabels": {"app": "db"}}, "initContainers": [{"name": "init", "image": "x:1"}]}}),
                ),
                ss(json!({"spec": {"initContainers": [{"name": "init", "image": "x:1"}]}})),
            ],
        ),
        case(
            "SSV-081",
            vec![other(json!({})), base_ss()],
            vec![
                other(
                    json!({"spec": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "prod"}}}}),
                ),
                base_ss(),
            ],
        ),
        case(
            "SSV-082",
            vec![
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "volumes": [{"name": "v", "emptyDir": {}}]}}),
                ),
                ss(json!({"spec": {"volumes": [{"name": "v", "hostPath": {"path": "/x"}}]}})),
            ],
            vec![
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "volumes": [{"name": "v", "emptyDir": {}}]}}),
                ),
                ss(json!({"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}})),
            ],
        ),
        case(
            "SSV-083",
            vec![
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "patchPodMetadata": [{"annotations": {"foo": "{}"}, "patchPolicy": "Overwrite"}]}}),
                ),
                ss(patch(json!({"foo": "{}"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "patchPodMetadata": [{"annotations": {"foo": "{}"}, "patchPolicy": "MergePatchJson"}]}}),
                ),
                ss(patch(json!({"foo": "{}"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        // best practices
        case(
            "SSL-001",
            vec![base_ss(), job(json!({}))],
            vec![
                env_ss(
                    json!([{"name": "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT", "value": "true"}]),
                ),
                job(json!({})),
            ],
        ),
        case(
            "SSL-002",
            vec![env_ss(
                json!([{"name": "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT", "value": "true"}]),
            )],
            vec![env_ss(
                json!([{"name": "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT", "value": "true"}, {"name": "KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE", "value": "true"}]),
            )],
        ),
        case(
            "SSL-003",
            vec![
                env_ss(
                    json!([{"name": "KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT", "value": "true"}]),
                ),
                deploy(json!({})),
            ],
            vec![base_ss(), deploy(json!({}))],
        ),
        case(
            "SSL-010",
            vec![
                base_ss(),
                other(
                    json!({"spec": {"selector": {"matchLabels": null, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}}}),
                ),
                deploy(json!({"spec": {"template": {"metadata": {"labels": {"tier": "x"}}}}})),
            ],
            vec![
                base_ss(),
                other(
                    json!({"spec": {"selector": {"matchLabels": null, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, "containers": [{"name": "o", "image": "x:1"}]}}),
                ),
                deploy(json!({"spec": {"template": {"metadata": {"labels": {"tier": "x"}}}}})),
            ],
        ),
        // volumes differing between SidecarSets the heuristic calls disjoint;
        // a clash the webhook catches itself (SSV-081) is not repeated.
        case(
            "SSL-010",
            vec![
                ss(json!({"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}})),
                other(
                    json!({"spec": {"selector": {"matchLabels": null, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, "containers": [{"name": "o", "image": "x:1"}], "volumes": [{"name": "v", "hostPath": {"path": "/x"}}]}}),
                ),
                deploy(json!({"spec": {"template": {"metadata": {"labels": {"tier": "x"}}}}})),
            ],
            vec![base_ss(), other(json!({})), deploy(json!({}))],
        ),
        case(
            "SSL-011",
            vec![
                base_ss(),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "image": "nginx:1.27"}]}}}}),
                ),
            ],
            vec![base_ss(), deploy(json!({}))],
        ),
        // An init container of one SidecarSet named like another's container.
        case(
            "SSL-012",
            vec![
                base_ss(),
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "initContainers": [{"name": "side", "image": "x:1"}]}}),
                ),
                deploy(json!({})),
            ],
            vec![
                base_ss(),
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "initContainers": [{"name": "init", "image": "x:1"}]}}),
                ),
                deploy(json!({})),
            ],
        ),
        case(
            "SSL-013",
            vec![env_ss(json!([{"name": "IS_INJECTED", "value": "true"}]))],
            vec![env_ss(json!([{"name": "OTHER", "value": "true"}]))],
        ),
        Case {
            rule: "SSL-020",
            fail: vec![base_ss()],
            pass: vec![base_ss()],
            old_fail: vec![env_ss(json!([{"name": "A", "value": "1"}]))],
            old_pass: vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.35"}]}}),
            )],
        },
        case(
            "SSL-022",
            vec![
                json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet", "metadata": {"name": "s"}, "spec": {"namespace": "default", "namespaceSelector": {"matchLabels": {"a": "b"}}, "selector": {"matchLabels": {"app": "web"}}, "containers": [{"name": "side", "image": "busybox:1.36"}]}}),
            ],
            vec![
                json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet", "metadata": {"name": "s"}, "spec": {"namespace": "default", "selector": {"matchLabels": {"app": "web"}}, "containers": [{"name": "side", "image": "busybox:1.36"}]}}),
            ],
        ),
        case(
            "SSL-023",
            vec![ss(
                json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "readinessProbe": {"tcpSocket": {"port": 80}}}]}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "NotUpdate"}, "containers": [{"name": "side", "image": "busybox:1.36", "readinessProbe": {"tcpSocket": {"port": 80}}}]}}),
            )],
        ),
        case(
            "SSL-024",
            vec![hot(json!({}))],
            vec![hot(
                json!({"upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}}),
            )],
        ),
        case(
            "SSL-025",
            vec![hot(
                json!({"upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}, "ports": [{"containerPort": 15001}]}),
            )],
            vec![hot(
                json!({"upgradeStrategy": {"hotUpgradeEmptyImage": "empty:1"}}),
            )],
        ),
        case(
            "SSL-026",
            vec![ss(
                json!({"spec": {"updateStrategy": {"maxUnavailable": "0%"}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"maxUnavailable": "10%"}}}),
            )],
        ),
        case(
            "SSL-027",
            vec![
                ss(json!({"spec": {"updateStrategy": {"partition": "99%"}}})),
                deploy(json!({"spec": {"replicas": 5}})),
            ],
            vec![
                ss(json!({"spec": {"updateStrategy": {"partition": 0}}})),
                deploy(json!({"spec": {"replicas": 5}})),
            ],
        ),
        case(
            "SSL-028",
            vec![
                prio(json!({"orderPriority": [{"orderedKey": "tier"}]})),
                deploy(json!({})),
            ],
            vec![
                prio(json!({"orderPriority": [{"orderedKey": "tier"}]})),
                deploy(json!({"spec": {"template": {"metadata": {"labels": {"tier": "1"}}}}})),
            ],
        ),
        case(
            "SSL-029",
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "Notupdate"}}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "NotUpdate"}}}),
            )],
        ),
        case(
            "SSL-030",
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "NotUpdate"}, "initContainers": [init_native.clone()]}}),
            )],
            vec![ss(
                json!({"spec": {"updateStrategy": {"type": "NotUpdate"}, "initContainers": [{"name": "init", "image": "busybox:1.36"}]}}),
            )],
        ),
        case(
            "SSL-031",
            vec![
                ss(
                    json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1", "policy": "Partial"}}, "updateStrategy": {"partition": 3}}}),
                ),
                revision("r1"),
            ],
            vec![
                ss(
                    json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1", "policy": "Partial"}}, "updateStrategy": {"partition": "30%"}}}),
                ),
                revision("r1"),
            ],
        ),
        case(
            "SSL-033",
            vec![ss(
                json!({"spec": {"injectionStrategy": {"revision": {"customVersion": "example/version-2"}}}}),
            )],
            vec![ss(
                json!({"spec": {"injectionStrategy": {"revision": {"customVersion": "version-2"}}}}),
            )],
        ),
        case(
            "SSL-032",
            vec![
                ss(json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r2"}}}})),
                revision("r1"),
                deploy(json!({})),
            ],
            vec![
                ss(json!({"spec": {"injectionStrategy": {"revision": {"revisionName": "r1"}}}})),
                revision("r1"),
                deploy(json!({})),
            ],
        ),
        case(
            "SSL-034",
            vec![base_ss(), live_pod(json!({}))],
            vec![
                base_ss(),
                live_pod(
                    json!({"metadata": {"annotations": {"kruise.io/sidecarset-injected-list": "s"}}}),
                ),
            ],
        ),
        case(
            "SSL-040",
            vec![
                base_ss(),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}]}}}}),
                ),
            ],
            vec![
                base_ss(),
                deploy(
                    json!({"spec": {"template": {"spec": {"volumes": [{"name": "logs", "emptyDir": {}}], "containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}]}}}}),
                ),
            ],
        ),
        case(
            "SSL-041",
            vec![
                ss(
                    json!({"spec": {"volumes": [{"name": "cfg", "configMap": {"name": "sidecar"}}]}}),
                ),
                deploy(
                    json!({"spec": {"template": {"spec": {"volumes": [{"name": "cfg", "configMap": {"name": "app"}}]}}}}),
                ),
            ],
            vec![
                ss(json!({"spec": {"volumes": [{"name": "cfg", "configMap": {"name": "app"}}]}})),
                deploy(
                    json!({"spec": {"template": {"spec": {"volumes": [{"name": "cfg", "configMap": {"name": "app"}}]}}}}),
                ),
            ],
        ),
        case(
            "SSL-042",
            vec![
                share_ss(),
                deploy(app_mount(
                    json!({"name": "cred", "mountPath": "/cred"}),
                    json!({"name": "cred", "secret": {"secretName": "db"}}),
                )),
            ],
            vec![
                share_ss(),
                deploy(app_mount(
                    json!({"name": "data", "mountPath": "/data"}),
                    json!({"name": "data", "emptyDir": {}}),
                )),
            ],
        ),
        case(
            "SSL-043",
            vec![
                share_ss(),
                deploy(app_mount(
                    json!({"name": "data", "mountPath": "/data", "subPathExpr": "$(POD_NAME)"}),
                    json!({"name": "data", "emptyDir": {}}),
                )),
            ],
            vec![
                share_ss(),
                deploy(json!({"spec": {"template": {"spec": {
                "volumes": [{"name": "data", "emptyDir": {}}],
                "containers": [{"name": "app", "image": "nginx:1.27",
                    "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                    "volumeMounts": [{"name": "data", "mountPath": "/data", "subPathExpr": "$(POD_NAME)"}]}]}}}})),
            ],
        ),
        case(
            "SSL-045",
            vec![
                base_ss(),
                deploy(json!({"spec": {"template": {"spec": {"serviceAccountName": "operator"}}}})),
            ],
            vec![
                base_ss(),
                deploy(
                    json!({"spec": {"template": {"spec": {"serviceAccountName": "operator", "automountServiceAccountToken": false}}}}),
                ),
            ],
        ),
        case(
            "SSL-044",
            vec![
                ss(
                    json!({"spec": {"volumes": [{"name": "logs", "emptyDir": {}}], "containers": [{"name": "filebeat", "image": "elastic/filebeat:8", "env": [{"name": "KRUISE_CONTAINER_PRIORITY", "value": "1"}], "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}]}}),
                ),
                deploy(json!({})),
            ],
            vec![
                ss(
                    json!({"spec": {"volumes": [{"name": "logs", "emptyDir": {}}], "containers": [{"name": "filebeat", "image": "elastic/filebeat:8", "env": [{"name": "KRUISE_CONTAINER_PRIORITY", "value": "1"}], "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}]}}),
                ),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": [{"name": "logs", "mountPath": "/var/log"}]}]}}}}),
                ),
            ],
        ),
        case(
            "SSL-050",
            vec![ss(
                json!({"spec": {"containers": [{"name": "log", "image": "fluent/fluent-bit:3.0"}]}}),
            )],
            vec![ss(
                json!({"spec": {"containers": [{"name": "log", "image": "fluent/fluent-bit:3.0", "env": [{"name": "KRUISE_CONTAINER_PRIORITY", "value": "100"}]}]}}),
            )],
        ),
        case(
            "SSL-051",
            vec![env_ss(
                json!([{"name": "KRUISE_CONTAINER_PRIORITY", "value": "high"}]),
            )],
            vec![env_ss(
                json!([{"name": "KRUISE_CONTAINER_PRIORITY", "value": "100"}]),
            )],
        ),
        case(
            "SSL-061",
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^main$", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
                )),
                deploy(json!({})),
            ],
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
                )),
                deploy(json!({})),
            ],
        ),
        case(
            "SSL-060",
            vec![base_ss(), deploy(guaranteed())],
            vec![
                ss(
                    json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}]}}),
                ),
                deploy(guaranteed()),
            ],
        ),
        // malformed number word
        case(
            "SSL-062",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu*2X"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu*2"}}}),
            ))],
        ),
        // plain number in a memory expression
        case(
            "SSL-062",
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"requests": {"memory": "max(0.5, 1)"}}}),
            ))],
            vec![ss(policy(
                json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"requests": {"memory": "max(memory*0.5, 64Mi)"}}}),
            ))],
        ),
        // unanchored regex, and limits dropped because the target has none
        case(
            "SSL-062",
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "app", "resourcesExpr": {"requests": {"cpu": "cpu"}}}),
                )),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "my-app-debug", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1"}}}]}}}}),
                ),
            ],
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"requests": {"cpu": "cpu"}}}),
                )),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1"}}}]}}}}),
                ),
            ],
        ),
        case(
            "SSL-062",
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
                )),
                deploy(json!({})),
            ],
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"limits": {"cpu": "cpu"}}}),
                )),
                deploy(
                    json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "resources": {"limits": {"cpu": "1"}}}]}}}}),
                ),
            ],
        ),
        // requests evaluated with an absent aggregate give 0
        case(
            "SSL-062",
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"requests": {"cpu": "cpu*50%"}}}),
                )),
                deploy(json!({})),
            ],
            vec![
                ss(policy(
                    json!({"targetContainersMode": "sum", "targetContainersNameRegex": "^app$", "resourcesExpr": {"requests": {"cpu": "max(cpu*50%, 50m)"}}}),
                )),
                deploy(json!({})),
            ],
        ),
        case(
            "SSL-070",
            vec![
                ss(patch(json!({"foo": "x"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(patch(json!({"foo": "{\"a\":1}"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        case(
            "SSL-071",
            vec![
                ss(patch(json!({"foo": "{\"a\":1}"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
                deploy(
                    json!({"spec": {"template": {"metadata": {"annotations": {"foo": "plain"}}}}}),
                ),
            ],
            vec![
                ss(patch(json!({"foo": "{\"a\":1}"}), "MergePatchJson")),
                whitelist(&[".*"], Value::Null),
                deploy(
                    json!({"spec": {"template": {"metadata": {"annotations": {"foo": "{\"b\":2}"}}}}}),
                ),
            ],
        ),
        case(
            "SSL-072",
            vec![
                ss(patch(json!({"foo": "x"}), "Merge")),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(patch(json!({"foo": "x"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        Case {
            rule: "SSL-073",
            fail: vec![
                ss(patch(json!({"foo": "y"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
            pass: vec![
                ss(
                    json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}], "patchPodMetadata": [{"annotations": {"foo": "y"}, "patchPolicy": "Overwrite"}]}}),
                ),
                whitelist(&[".*"], Value::Null),
            ],
            old_fail: vec![ss(patch(json!({"foo": "x"}), "Overwrite"))],
            old_pass: vec![ss(patch(json!({"foo": "x"}), "Overwrite"))],
        },
        case(
            "SSL-074",
            vec![
                ss(patch(
                    json!({"kruise.io/sidecarset-hash": "x"}),
                    "Overwrite",
                )),
                whitelist(&[".*"], Value::Null),
            ],
            vec![
                ss(patch(json!({"foo": "x"}), "Overwrite")),
                whitelist(&[".*"], Value::Null),
            ],
        ),
        case(
            "SSL-080",
            vec![
                base_ss(),
                other(json!({"spec": {"containers": [{"name": "o", "image": "x:1"}]}})),
                deploy(json!({})),
            ],
            vec![
                base_ss(),
                other(
                    json!({"spec": {"containers": [{"name": "o", "image": "x:1", "podInjectPolicy": "AfterAppContainer"}]}}),
                ),
                deploy(json!({})),
            ],
        ),
        case(
            "SSL-081",
            vec![ss(json!({"spec": {"namespaceSelector": null}}))],
            vec![base_ss()],
        ),
        case(
            "SSL-082",
            vec![
                ss(
                    json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "ports": [{"containerPort": 9000}]}]}}),
                ),
                deploy(json!({"spec": {"template": {"spec": {"hostNetwork": true}}}})),
            ],
            vec![
                ss(
                    json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "ports": [{"containerPort": 9000}]}]}}),
                ),
                deploy(json!({})),
            ],
        ),
    ]
}

#[test]
fn every_rule_fails_and_passes() {
    let mut problems = Vec::new();
    for c in cases() {
        let fail = rules_of(&c.fail, &c.old_fail);
        if !fail.iter().any(|f| f.rule == c.rule) {
            problems.push(format!(
                "{}: failing fixture not reported: {:?}",
                c.rule,
                fail.iter()
                    .map(|f| (&f.rule, &f.message))
                    .collect::<Vec<_>>()
            ));
        }
        let pass = rules_of(&c.pass, &c.old_pass);
        if let Some(f) = pass.iter().find(|f| f.rule == c.rule) {
            problems.push(format!(
                "{}: passing fixture reported: {}",
                c.rule, f.message
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_registered_rule_has_fixtures() {
    let covered: Vec<&str> = cases().iter().map(|c| c.rule).collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
}

#[test]
fn base_fixture_is_quiet() {
    let f = rules_of(&[base_ss(), deploy(json!({}))], &[]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn suppression_by_annotation_and_flag() {
    let noisy = ss(json!({"spec": {"namespaceSelector": null}}));
    assert!(rules_of(std::slice::from_ref(&noisy), &[])
        .iter()
        .any(|f| f.rule == "SSL-081"));
    let quiet = ss(
        json!({"metadata": {"annotations": {IGNORE_ANNOTATION: "SSL-023, ssl-081"}}, "spec": {"namespaceSelector": null}}),
    );
    assert!(rules_of(&[quiet], &[]).is_empty());
    assert!(suppressed(&["SSL-081".into()], "SSL-081"));
    assert!(suppressed(&["SSV-001,ssl-081".into()], "SSL-081"));
    assert!(!suppressed(&["SSL-08".into()], "SSL-081"));
}

#[test]
fn conflict_checks_wait_for_valid_objects() {
    // An invalid SidecarSet gets its own errors only, not the cross checks.
    let other = {
        let mut o = base_ss();
        o["metadata"]["name"] = json!("other");
        o
    };
    let bad = ss(json!({"spec": {"updateStrategy": {"partition": -1}}}));
    let f = rules_of(&[other, bad], &[]);
    let rules: Vec<&str> = f
        .iter()
        .filter(|f| f.resource == 1)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(rules, vec!["SSV-042"]);
}

#[test]
fn checks_run_on_the_defaulted_object() {
    // A volume without a source is defaulted to emptyDir, an unset
    // podInjectPolicy/shareVolumePolicy to their defaults, transferEnv's
    // fieldRef.apiVersion to v1: none of them is an error.
    let v = ss(json!({"spec": {
        "volumes": [{"name": "v"}],
        "containers": [{"name": "side", "image": "busybox:1.36",
            "volumeMounts": [{"name": "v", "mountPath": "/v"}],
            "transferEnv": [{"envName": "TZ", "sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.annotations['Main']"}}}]}]
    }}));
    let f = rules_of(&[v], &[]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn v1alpha1_namespaces_are_disjoint_for_conflicts() {
    let mk = |name: &str, ns: &str| {
        json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet", "metadata": {"name": name},
               "spec": {"namespace": ns, "selector": {"matchLabels": {"app": "web"}},
                        "containers": [{"name": "side", "image": "busybox:1.36"}]}})
    };
    let apart = rules_of(&[mk("a", "x"), mk("b", "y")], &[]);
    assert!(!apart.iter().any(|f| f.rule == "SSV-081"), "{apart:?}");
    let together = rules_of(&[mk("a", "x"), mk("b", "x")], &[]);
    let hits: Vec<_> = together.iter().filter(|f| f.rule == "SSV-081").collect();
    assert_eq!(hits.len(), 2, "each names the other: {together:?}");
    assert!(hits[0].message.ends_with("already exist in b"));
}

#[test]
fn best_practices_are_errors_only_on_workloads() {
    let hot = ss(
        json!({"spec": {"containers": [{"name": "side", "image": "envoy:1", "upgradeStrategy": {"upgradeType": "HotUpgrade"}}]}}),
    );
    let alone = rules_of(std::slice::from_ref(&hot), &[]);
    assert!(
        alone.iter().all(|f| f.severity != Severity::Error),
        "{alone:?}"
    );
    assert!(alone.iter().any(|f| f.rule == "SSL-024"));
    let with = rules_of(&[hot, deploy(json!({}))], &[]);
    let on_deploy: Vec<_> = with
        .iter()
        .filter(|f| f.resource == 1 && f.rule == "SSL-024")
        .collect();
    assert_eq!(on_deploy.len(), 1, "{with:?}");
    assert_eq!(on_deploy[0].severity, Severity::Error);
}

fn findings_of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn init_and_regular_names_clash_on_sidecar_sets_without_workloads() {
    let other = {
        let mut o = ss(
            json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "initContainers": [{"name": "side", "image": "x:1"}]}}),
        );
        o["metadata"]["name"] = json!("other");
        o
    };
    let f = rules_of(&[base_ss(), other], &[]);
    let hits = findings_of(&f, "SSL-012");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert_eq!(hits[0].resource, 1);
    assert_eq!(
        hits[0].severity,
        Severity::Warning,
        "capped on a SidecarSet"
    );
    assert!(
        hits[0].message.contains("SidecarSet s"),
        "{}",
        hits[0].message
    );
}

#[test]
fn partition_counts_round_up() {
    let f = rules_of(
        &[
            ss(json!({"spec": {"updateStrategy": {"partition": "99%"}}})),
            deploy(json!({"spec": {"replicas": 5}})),
        ],
        &[],
    );
    let hits = findings_of(&f, "SSL-027");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert!(
        hits[0].message.contains(
            "over 5 matched pods (deployment web: 5) keeps 4 on the current sidecar and updates 1"
        ),
        "{}",
        hits[0].message
    );
    let big = rules_of(
        &[
            ss(json!({"spec": {"updateStrategy": {"partition": 7}}})),
            deploy(json!({"spec": {"replicas": 5}})),
        ],
        &[],
    );
    let hits = findings_of(&big, "SSL-027");
    assert!(
        hits[0].message.contains("updates 0") && hits[0].message.contains("updates nothing"),
        "{}",
        hits[0].message
    );
}

#[test]
fn pods_to_be_created_are_not_unmanaged() {
    // A Pod manifest without status/uid is yet to be created: the webhook injects it.
    let mut pod = live_pod(json!({}));
    if let Some(o) = pod.as_object_mut() {
        o.remove("status");
    }
    pod["metadata"].as_object_mut().map(|m| m.remove("uid"));
    let f = rules_of(&[base_ss(), pod], &[]);
    assert!(findings_of(&f, "SSL-034").is_empty(), "{f:?}");
}

#[test]
fn shared_mounts_bidirectional_and_skipped() {
    let bidi = app_mount(
        json!({"name": "data", "mountPath": "/data", "mountPropagation": "Bidirectional"}),
        json!({"name": "data", "emptyDir": {}}),
    );
    let f = rules_of(&[share_ss(), deploy(bidi.clone())], &[]);
    let hits = findings_of(&f, "SSL-042");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert_eq!(hits[0].severity, Severity::Error);
    let privileged = ss(
        json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36",
        "securityContext": {"privileged": true}, "shareVolumePolicy": {"type": "enabled"}}]}}),
    );
    let f = rules_of(&[privileged, deploy(bidi)], &[]);
    assert!(findings_of(&f, "SSL-042").is_empty(), "{f:?}");
    // The sidecar's own mount on the same path wins; the app's is skipped.
    let own = ss(
        json!({"spec": {"volumes": [{"name": "own", "emptyDir": {}}], "containers": [{"name": "side", "image": "busybox:1.36",
        "volumeMounts": [{"name": "own", "mountPath": "/data"}], "shareVolumePolicy": {"type": "enabled"}}]}}),
    );
    let f = rules_of(
        &[
            own,
            deploy(app_mount(
                json!({"name": "data", "mountPath": "/data"}),
                json!({"name": "data", "emptyDir": {}}),
            )),
        ],
        &[],
    );
    let hits = findings_of(&f, "SSL-042");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert_eq!(hits[0].severity, Severity::Info);
    assert!(
        hits[0].message.contains("/data of container app"),
        "{}",
        hits[0].message
    );
}

#[test]
fn qos_change_from_guaranteed() {
    let f = rules_of(&[base_ss(), deploy(guaranteed())], &[]);
    let hits = findings_of(&f, "SSL-060");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert!(
        hits[0]
            .message
            .contains("Guaranteed pods Burstable: sidecar(s) side"),
        "{}",
        hits[0].message
    );
    // Burstable pods stay Burstable whatever the sidecar.
    let burstable = deploy(
        json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27",
        "resources": {"requests": {"cpu": "1"}}}]}}}}),
    );
    assert!(findings_of(&rules_of(&[base_ss(), burstable], &[]), "SSL-060").is_empty());
    // BestEffort pods become Burstable with a sidecar that requests anything.
    let req = ss(
        json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "resources": {"requests": {"memory": "16Mi"}}}]}}),
    );
    let hits = rules_of(&[req, deploy(json!({}))], &[]);
    assert!(
        findings_of(&hits, "SSL-060")[0]
            .message
            .contains("BestEffort pods Burstable"),
        "{hits:?}"
    );
}

#[test]
fn metadata_change_with_non_image_change_and_retain() {
    let wl = whitelist(&[".*"], Value::Null);
    // Env changed too: not upgradable in place at all.
    let new = ss(
        json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.36", "env": [{"name": "A", "value": "1"}]}],
        "patchPodMetadata": [{"annotations": {"foo": "y"}, "patchPolicy": "Overwrite"}]}}),
    );
    let old = ss(
        json!({"spec": {"patchPodMetadata": [{"annotations": {"foo": "x"}, "patchPolicy": "Overwrite"}]}}),
    );
    let f = rules_of(&[new, wl.clone()], std::slice::from_ref(&old));
    assert!(
        findings_of(&f, "SSL-073")[0].message.contains("recreated"),
        "{f:?}"
    );
    // Image upgrade with a changed Retain value: pods keep the old one.
    let new = ss(
        json!({"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}],
        "patchPodMetadata": [{"annotations": {"foo": "y"}, "patchPolicy": "Retain"}]}}),
    );
    let old = ss(
        json!({"spec": {"patchPodMetadata": [{"annotations": {"foo": "x"}, "patchPolicy": "Retain"}]}}),
    );
    let f = rules_of(&[new, wl], &[old]);
    let hits = findings_of(&f, "SSL-073");
    assert_eq!(hits.len(), 1, "{f:?}");
    assert!(
        hits[0].message.contains("Retain annotation(s) foo"),
        "{}",
        hits[0].message
    );
}

#[test]
fn injection_order_is_deterministic_with_the_gate() {
    let other = {
        let mut o = ss(json!({"spec": {"containers": [{"name": "o", "image": "x:1"}]}}));
        o["metadata"]["name"] = json!("other");
        o
    };
    let resources = [base_ss(), other, deploy(json!({}))];
    let mut gates = crate::features::FeatureGates::default();
    assert!(!findings_of(&rules_of(&resources, &[]), "SSL-080").is_empty());
    gates.sort_sidecar_container_by_name = true;
    let f = lint(&Input {
        resources: &resources,
        gates,
        ..Default::default()
    });
    assert!(findings_of(&f, "SSL-080").is_empty(), "{f:?}");
    // Two versions of one SidecarSet are not two SidecarSets.
    let f = rules_of(&[base_ss(), base_ss(), deploy(json!({}))], &[]);
    assert!(findings_of(&f, "SSL-080").is_empty(), "{f:?}");
}

/// (rule, path, message) of the findings on volume mounts and devices.
fn volume_findings(f: &[Finding]) -> Vec<(String, String, String)> {
    f.iter()
        .filter(|f| f.rule.starts_with("SSV-05"))
        .map(|f| (f.rule.clone(), f.path.to_string(), f.message.clone()))
        .collect()
}

#[test]
fn one_volume_as_mount_and_device_is_refused_in_sidecars_and_init_containers() {
    for list in ["containers", "initContainers"] {
        let both = block_ss(
            list,
            vec![mount("logs", "/logs"), mount("data", "/data")],
            vec![device("data", "/dev/xvda")],
        );
        let f = rules_of(&[both], &[]);
        let m = format!("spec.{list}[0].volumeMounts[1].name");
        let d = format!("spec.{list}[0].volumeDevices[0].name");
        assert_eq!(
            volume_findings(&f),
            vec![
                (
                    "SSV-05C".to_string(),
                    m.clone(),
                    format!(
                        "{m}: Invalid value: \"data\": must not already exist in volumeDevices"
                    )
                ),
                (
                    "SSV-05C".to_string(),
                    d.clone(),
                    format!("{d}: Invalid value: \"data\": must not already exist in volumeMounts")
                ),
            ],
            "{list}"
        );
        assert!(f
            .iter()
            .any(|x| x.rule == "SSV-05C" && x.severity == Severity::Error));
    }
}

#[test]
fn mount_and_device_of_different_volumes_or_containers_are_accepted() {
    for list in ["containers", "initContainers"] {
        let apart = block_ss(
            list,
            vec![mount("logs", "/logs")],
            vec![device("data", "/dev/xvda")],
        );
        assert_eq!(volume_findings(&rules_of(&[apart], &[])), vec![], "{list}");
    }
    // The rule is per container: one sidecar mounts `data`, another uses it
    // as a block device.
    let mut two = block_ss("containers", vec![], vec![device("data", "/dev/xvda")]);
    two["spec"]["initContainers"] = json!([{"name": "init", "image": "busybox:1.36",
        "volumeMounts": [mount("data", "/data")]}]);
    assert_eq!(volume_findings(&rules_of(&[two], &[])), vec![]);
}

#[test]
fn mount_path_equal_to_a_device_path_is_reported_on_both_sides() {
    let f = rules_of(
        &[block_ss(
            "containers",
            vec![mount("logs", "/dev/xvda")],
            vec![device("data", "/dev/xvda")],
        )],
        &[],
    );
    let m = "spec.containers[0].volumeMounts[0].mountPath";
    let d = "spec.containers[0].volumeDevices[0].devicePath";
    assert_eq!(
        volume_findings(&f),
        vec![
            (
                "SSV-05B".to_string(),
                m.to_string(),
                format!("{m}: Invalid value: \"/dev/xvda\": must not already exist as a path in volumeDevices")
            ),
            (
                "SSV-05B".to_string(),
                d.to_string(),
                format!("{d}: Invalid value: \"/dev/xvda\": must not already exist as a path in volumeMounts")
            ),
        ]
    );
}

#[test]
fn mount_checks_follow_kubernetes_paths_and_separators() {
    let f = rules_of(
        &[block_ss(
            "containers",
            vec![
                json!({"name": "logs", "mountPath": "/a", "subPath": "/abs/../x"}),
                json!({"name": "logs", "mountPath": "/b", "subPath": "a\\..\\b"}),
                json!({"name": "", "mountPath": "/c"}),
            ],
            vec![],
        )],
        &[],
    );
    // subPath errors name the list, not the entry (`fldPath.Child`); a
    // backslash is no separator on Linux; an empty name is also not found.
    let sub = "spec.containers[0].volumeMounts.subPath";
    let name = "spec.containers[0].volumeMounts[2].name";
    let got: Vec<String> = volume_findings(&f).into_iter().map(|x| x.2).collect();
    assert_eq!(
        got,
        vec![
            format!("{sub}: Invalid value: \"/abs/../x\": must be a relative path"),
            format!("{sub}: Invalid value: \"/abs/../x\": must not contain '..'"),
            format!("{name}: Required value"),
            format!("{name}: Not found: \"\""),
        ]
    );
}
#[test]
fn conflicts_name_the_last_overlapping_sidecar_set() {
    // The webhook walks every other SidecarSet whose selectors overlap and
    // keeps the last one holding each name: `d` (disjoint) never counts, and
    // for volume `v` the last overlapping holder of `s` is `c`, whose
    // definition equals s's even though `a`'s does not.
    let named = |name: &str, patch: Value| {
        let mut v = ss(patch);
        v["metadata"]["name"] = json!(name);
        v
    };
    let host = |p: &str| json!([{"name": "v", "hostPath": {"path": p}}]);
    let empty = json!([{"name": "v", "emptyDir": {}}]);
    let resources = [
        named("a", json!({"spec": {"volumes": host("/x")}})),
        named(
            "c",
            json!({"spec": {"containers": [{"name": "o", "image": "x:1"}], "volumes": empty}}),
        ),
        named(
            "d",
            json!({"spec": {"selector": {"matchLabels": {"app": "db"}}, "volumes": host("/y")}}),
        ),
        named("s", json!({"spec": {"volumes": empty}})),
    ];
    let got: Vec<(usize, String, String)> = rules_of(&resources, &[])
        .into_iter()
        .filter(|f| f.rule.starts_with("SSV-08"))
        .map(|f| (f.resource, f.rule, f.message))
        .collect();
    let want = [
        (0, "SSV-081", "container side already exist in s"),
        (0, "SSV-082", "volume v is in conflict with sidecarset s"),
        (3, "SSV-081", "container side already exist in a"),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((res, rule, msg), (w_res, w_rule, w_msg)) in got.iter().zip(want) {
        assert_eq!((*res, rule.as_str()), (w_res, w_rule), "{got:?}");
        assert!(msg.ends_with(w_msg), "{msg}");
    }
}
