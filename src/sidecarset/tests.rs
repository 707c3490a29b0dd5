//! Worked examples of defaults-and-hash.md §5.

use super::*;
use serde_json::json;

fn ss(spec: Value) -> Value {
    json!({"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
           "metadata": {"name": "test-sidecarset"}, "spec": spec})
}

fn annotations(v: &Value) -> (String, String) {
    let a = &v["metadata"]["annotations"];
    (
        a[HASH_ANNOTATION].as_str().unwrap_or("").to_string(),
        a[HASH_WITHOUT_IMAGE_ANNOTATION]
            .as_str()
            .unwrap_or("")
            .to_string(),
    )
}

#[test]
fn example_a_minimal_container() {
    let stored = store(&ss(
        json!({"containers": [{"name": "dns-f", "image": "dns:1.0"}]}),
    ))
    .expect("stores");
    assert_eq!(
        annotations(&stored),
        (
            "6wbd76bd7984x24fb4f44fv9222cw9v9bcf85x766744wddd4zwx927zzz2zb684".into(),
            "82684vwf9d4cb4wz4vffx4ddfbb47ww4z4wwxdbwb8w2zbb7zvf4524cdd49bv94".into()
        )
    );
    assert_eq!(hash(&stored).expect("hash"), annotations(&stored).0);
    assert_eq!(
        hash_without_image(&stored).expect("hash"),
        annotations(&stored).1
    );
    assert_eq!(
        stored["spec"],
        json!({"containers": [{"name": "dns-f", "image": "dns:1.0", "resources": {},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
            "imagePullPolicy": "IfNotPresent", "podInjectPolicy": "BeforeAppContainer",
            "upgradeStrategy": {"upgradeType": "ColdUpgrade"}, "shareVolumePolicy": {"type": "disabled"}}],
            "updateStrategy": {"type": "RollingUpdate", "partition": 0, "maxUnavailable": 1},
            "injectionStrategy": {}, "revisionHistoryLimit": 10})
    );
}

#[test]
fn example_b_rich_container() {
    let c = json!({
        "name": "log-agent", "image": "registry.example.com/ops/log-agent",
        "command": ["sh", "-c", "mkdir -p /var/log/app && exec agent --conf=/etc/agent/<conf>.yaml"],
        "ports": [{"name": "metrics", "containerPort": 9100}],
        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "LOG_LEVEL", "value": "info"}],
        "resources": {"limits": {"cpu": "0.5", "memory": "1024Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        "volumeMounts": [{"name": "varlog", "mountPath": "/var/log/app", "readOnly": true}],
        "readinessProbe": {"httpGet": {"port": 9100}},
        "podInjectPolicy": "AfterAppContainer",
        "shareVolumePolicy": {"type": "enabled"},
        "transferEnv": [{"sourceContainerName": "app", "envNames": ["TZ", "APP_NAME"]}]
    });
    let stored = store(&ss(json!({"containers": [c]}))).expect("stores");
    assert_eq!(
        annotations(&stored),
        (
            "8wzvb5fzv5w64xzvw8884v4c8wz26v95v598b2xvcvdd8x9zv87628wb6v976499".into(),
            "7dx6v5xz5ddwz7d4275d47vz5wb27cd487dvc546xw7892vzv7b4b4dw4xf8c46c".into()
        )
    );
}

#[test]
fn example_c_native_init_containers() {
    let spec = json!({
        "containers": [{"name": "envoy", "image": "envoyproxy/envoy:v1.30.1",
            "upgradeStrategy": {"upgradeType": "HotUpgrade", "hotUpgradeEmptyImage": "example/empty:1.0"}}],
        "initContainers": [
            {"name": "init-config", "image": "busybox:1.36", "command": ["sh", "-c", "cp /src/* /dst/"]},
            {"name": "log-shipper", "image": "fluent/fluent-bit:3.0", "restartPolicy": "Always"}]
    });
    let stored = store(&ss(spec)).expect("stores");
    assert_eq!(
        annotations(&stored),
        (
            "f49dvxw64cwf9ddb4c46f944942x2bzdv85x644fx2x84x7z5d46fz8zfb4xw24f".into(),
            "cvd544792592vd48w476w8z8bx96fcccd2v4zcdz8ffx4vvc4fx726zb29c6xv24".into()
        )
    );
}

#[test]
fn versions_hash_alike_and_keep_their_shape() {
    let mut alpha =
        ss(json!({"namespace": "prod", "containers": [{"name": "dns-f", "image": "dns:1.0"}]}));
    alpha["apiVersion"] = json!(V1ALPHA1);
    let stored = store(&alpha).expect("stores");
    assert_eq!(stored["apiVersion"], json!(V1ALPHA1));
    assert_eq!(stored["spec"]["namespace"], json!("prod"));
    assert_eq!(
        annotations(&stored).0,
        "6wbd76bd7984x24fb4f44fv9222cw9v9bcf85x766744wddd4zwx927zzz2zb684"
    );
}

#[test]
fn empty_container_list_hashes_as_empty() {
    let absent = store(&ss(
        json!({"initContainers": [{"name": "i", "image": "i:1", "restartPolicy": "Always"}]}),
    ))
    .expect("stores");
    let empty = store(&ss(json!({"containers": [],
        "initContainers": [{"name": "i", "image": "i:1", "restartPolicy": "Always"}]})))
    .expect("stores");
    assert_ne!(annotations(&absent).0, annotations(&empty).0);
    assert!(empty["spec"].get("containers").is_none());
}

#[test]
fn crd_and_webhook_defaults() {
    let stored = store(&ss(json!({
        "containers": [{"name": "a", "image": "a:1", "resourcesPolicy": {"targetContainersMode": "sum"}},
                       {"name": "b", "image": "b:1", "resourcesPolicy": {"targetContainersMode": "max", "targetContainersNameRegex": ""}}],
        "injectionStrategy": {"revision": {"revisionName": "r"}},
        "patchPodMetadata": [{"annotations": {"k": "v"}}],
        "volumes": [{"name": "v"}, {"name": "h", "hostPath": {"path": "/x"}}]
    })))
    .expect("stores");
    let spec = &stored["spec"];
    assert_eq!(
        spec["containers"][0]["resourcesPolicy"],
        json!({"targetContainersMode": "sum", "targetContainersNameRegex": ".*", "resourcesExpr": {}})
    );
    assert_eq!(
        spec["containers"][1]["resourcesPolicy"],
        json!({"targetContainersMode": "max", "resourcesExpr": {}})
    );
    assert_eq!(
        spec["injectionStrategy"],
        json!({"revision": {"revisionName": "r", "policy": "Always"}})
    );
    assert_eq!(
        spec["patchPodMetadata"],
        json!([{"annotations": {"k": "v"}, "patchPolicy": "Retain"}])
    );
    assert_eq!(
        spec["volumes"],
        json!([{"name": "v", "emptyDir": {}}, {"name": "h", "hostPath": {"path": "/x", "type": ""}}])
    );
}

#[test]
fn errors_carry_paths() {
    let err = store(&ss(
        json!({"containers": [{"name": "a", "transferEnv": [{"sourceContainerNameFrom": {}}]}]}),
    ))
    .expect_err("nil fieldRef");
    assert_eq!(
        err.path.to_string(),
        "spec.containers[0].transferEnv[0].sourceContainerNameFrom.fieldRef"
    );
    let err = store(&ss(json!({"revisionHistoryLimit": "5"}))).expect_err("string limit");
    assert_eq!(err.path.to_string(), "spec.revisionHistoryLimit");
}

#[test]
fn store_is_idempotent_and_conversion_keeps_hashes() {
    let mut alpha = ss(json!({"namespace": "prod",
        "containers": [{"name": "c", "image": "c:1", "resources": {"limits": {"cpu": "0.5", "memory": "1.5Gi"}},
                        "readinessProbe": {"httpGet": {"port": "http"}}}],
        "volumes": [{"name": "v", "configMap": {"name": "x"}}]}));
    alpha["apiVersion"] = json!(V1ALPHA1);
    alpha["metadata"]["labels"] = json!({CUSTOM_VERSION_LABEL: "v1"});
    let once = store(&alpha).expect("stores");
    assert_eq!(store(&once).expect("stores again"), once);
    assert_eq!(
        once["spec"]["containers"][0]["resources"]["limits"],
        json!({"cpu": "500m", "memory": "1536Mi"})
    );
    let beta = to_v1beta1(&once).expect("converts");
    assert_eq!(beta["spec"]["customVersion"], json!("v1"));
    assert_eq!(hash(&beta).expect("hash"), annotations(&once).0);
    assert_eq!(
        hash_without_image(&beta).expect("hash"),
        annotations(&once).1
    );
    let beta_stored = store(&beta).expect("stores v1beta1");
    assert_eq!(annotations(&beta_stored), annotations(&once));
}
