//! The helm 4 post-renderer plugin in `helm-plugin/`, run the way helm
//! v4.2.4 runs a `postrenderer/v1` plugin of the `subprocess` runtime (helm
//! cannot be installed here, so its steps are replayed):
//!
//! - `helm plugin install ./helm-plugin` symlinks the directory into the
//!   plugins directory under its base name (`LocalInstaller`); `--post-renderer
//!   sidecarset` finds it by `name` and `type` (`FindPlugin`), and
//!   `plugin.yaml` is decoded strictly (`loadMetadataV1`, `KnownFields`);
//! - the command is chosen by `getPlatformCommand`, split on spaces, `$VAR`s
//!   expanded, its `args` then every `--post-renderer-args` word appended
//!   (`PrepareCommands`);
//! - the environment is helm's own plus `HELM_PLUGIN_NAME` and
//!   `HELM_PLUGIN_DIR` (`runPostrenderer`); stdin is the chart as
//!   `annotateAndMerge` streams it (hooks included, each document annotated
//!   `postrenderer.helm.sh/postrender-filename`); stdout is kept, stderr is
//!   thrown away, and output that is only whitespace is an error
//!   (`postRendererPlugin.Run`).

mod support;

use kubectl_sidecarset::reader::parse_stream;
use kubectl_sidecarset::yaml::parse_document;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn metadata() -> Value {
    let text =
        std::fs::read_to_string(root().join("helm-plugin/plugin.yaml")).expect("plugin.yaml");
    parse_document(&text)
        .expect("plugin.yaml parses")
        .expect("plugin.yaml is not empty")
        .0
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{key}: not a string in {v}"))
}

#[test]
fn plugin_yaml_is_helm4_v1_metadata() {
    let m = metadata();
    let fields = m.as_object().expect("a mapping");
    // `MetadataV1`, decoded with KnownFields(true): anything else fails the load.
    let known = [
        "apiVersion",
        "name",
        "type",
        "runtime",
        "version",
        "sourceURL",
        "config",
        "runtimeConfig",
    ];
    for key in fields.keys() {
        assert!(known.contains(&key.as_str()), "helm 4 rejects field {key}");
    }
    assert_eq!(str_at(&m, "apiVersion"), "v1");
    assert_eq!(str_at(&m, "type"), "postrenderer/v1");
    assert_eq!(str_at(&m, "runtime"), "subprocess");
    let name = str_at(&m, "name");
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
        "helm's validPluginName: {name}"
    );
    assert_eq!(
        str_at(&m, "version"),
        env!("CARGO_PKG_VERSION"),
        "the plugin is versioned with the binary"
    );
    // ConfigPostRendererV1 has no fields.
    if let Some(config) = m.get("config") {
        assert!(config.as_object().is_some_and(|c| c.is_empty()), "{config}");
    }
    let runtime = m.get("runtimeConfig").expect("runtimeConfig");
    for key in runtime.as_object().expect("a mapping").keys() {
        assert!(
            ["platformCommand", "platformHooks", "protocolCommands"].contains(&key.as_str()),
            "{key}"
        );
    }
    for cmd in platform_commands(&m) {
        for key in cmd.as_object().expect("a mapping").keys() {
            assert!(
                ["os", "arch", "command", "args"].contains(&key.as_str()),
                "{key}"
            );
        }
    }
}

fn platform_commands(m: &Value) -> Vec<Value> {
    m.pointer("/runtimeConfig/platformCommand")
        .and_then(Value::as_array)
        .cloned()
        .expect("runtimeConfig.platformCommand")
}

/// helm's `getPlatformCommand`: an exact os+arch match wins, then the first
/// os-only match, then the first entry with neither; an entry with an arch
/// but another os (or with an arch and no exact match) never applies.
fn platform_command(cmds: &[Value], os: &str, arch: &str) -> Option<(Vec<String>, Vec<String>)> {
    let field = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let split = |c: &Value| -> (Vec<String>, Vec<String>) {
        let args = c
            .get("args")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        (
            field(c, "command").split(' ').map(String::from).collect(),
            args,
        )
    };
    let mut found: Option<(Vec<String>, Vec<String>)> = None;
    let mut found_os = false;
    for c in cmds {
        let (c_os, c_arch) = (field(c, "os"), field(c, "arch"));
        if c_os.eq_ignore_ascii_case(os) && c_arch.eq_ignore_ascii_case(arch) {
            return Some(split(c));
        }
        if (!c_os.is_empty() && !c_os.eq_ignore_ascii_case(os)) || !c_arch.is_empty() {
            continue;
        }
        if !found_os && !c_os.is_empty() {
            found = Some(split(c));
            found_os = true;
        } else if found.is_none() {
            found = Some(split(c));
        }
    }
    found
}

/// Go's `os.Expand`: `${NAME}`, `$NAME` (letters, digits, `_`) and the
/// one-character shell specials; unknown names expand to nothing.
fn expand(s: &str, env: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", after.len()),
            }
        } else if after.starts_with(|c: char| "*#$@!?-0123456789".contains(c)) {
            (&after[..1], 1)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        if len == 0 {
            out.push('$');
        } else {
            out.push_str(env.get(name).map(String::as_str).unwrap_or(""));
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// helm's `PrepareCommands` with argument expansion on (as for post-renderers).
fn prepare(
    cmds: &[Value],
    os: &str,
    arch: &str,
    extra: &[&str],
    env: &HashMap<String, String>,
) -> (String, Vec<String>) {
    let (parts, args) = platform_command(cmds, os, arch).expect("no plugin command is applicable");
    assert!(!parts[0].is_empty(), "no plugin command is applicable");
    let main = expand(&parts[0], env);
    let mut argv: Vec<String> = parts[1..]
        .iter()
        .chain(&args)
        .map(|a| expand(a, env))
        .collect();
    argv.extend(extra.iter().map(|a| a.to_string()));
    (main, argv)
}

fn go_platform() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    (os, arch)
}

#[test]
fn platform_commands_per_os() {
    let cmds = platform_commands(&metadata());
    let env = HashMap::from([(
        "HELM_PLUGIN_DIR".to_string(),
        "/plugins/sidecarset".to_string(),
    )]);
    for (os, arch) in [("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64")] {
        assert_eq!(
            prepare(&cmds, os, arch, &["--sidecarset=s.yaml"], &env),
            (
                "/plugins/sidecarset/post-renderer.sh".to_string(),
                vec!["--sidecarset=s.yaml".to_string()]
            ),
            "{os}/{arch}"
        );
    }
    assert_eq!(
        prepare(&cmds, "windows", "amd64", &["-n", "web"], &env),
        (
            "kubectl-sidecarset.exe".to_string(),
            vec!["inject".to_string(), "-n".to_string(), "web".to_string()]
        )
    );
}

/// A `helm plugin install ./helm-plugin` into a fresh plugins directory.
struct Helm {
    work: PathBuf,
    plugin_dir: PathBuf,
}

impl Helm {
    fn install(test: &str) -> Helm {
        let work = std::env::temp_dir().join(format!("kss-helm4-{test}-{}", std::process::id()));
        let plugins = work.join("plugins");
        std::fs::create_dir_all(&plugins).expect("plugins dir");
        let source = root().join("helm-plugin");
        let link = plugins.join(source.file_name().expect("base name"));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&source, &link).expect("symlink");
        // FindPlugin: <plugins>/*/plugin.yaml whose name and type match.
        let plugin_dir = std::fs::read_dir(&plugins)
            .expect("read plugins")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|dir| {
                let Ok(text) = std::fs::read_to_string(dir.join("plugin.yaml")) else {
                    return false;
                };
                let m = parse_document(&text).ok().flatten().map(|(v, _)| v);
                m.is_some_and(|m| {
                    m.get("name") == Some(&Value::from("sidecarset"))
                        && m.get("type") == Some(&Value::from("postrenderer/v1"))
                })
            })
            .expect("--post-renderer sidecarset finds the plugin");
        Helm { work, plugin_dir }
    }

    /// `runPostrenderer`: the helm process's environment (here: the binary
    /// on PATH, a fixed clock) plus the two plugin variables.
    fn post_render(&self, extra: &[&str], manifests: &str) -> Output {
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_kubectl-sidecarset"))
            .parent()
            .expect("bin dir");
        let mut env: HashMap<String, String> = std::env::vars().collect();
        env.insert(
            "PATH".into(),
            format!(
                "{}:{}",
                bin_dir.display(),
                env.get("PATH").cloned().unwrap_or_default()
            ),
        );
        env.insert("SOURCE_DATE_EPOCH".into(), support::EPOCH.into());
        env.insert("HELM_PLUGIN_NAME".into(), "sidecarset".into());
        env.insert(
            "HELM_PLUGIN_DIR".into(),
            self.plugin_dir.display().to_string(),
        );
        let (os, arch) = go_platform();
        let (main, args) = prepare(&platform_commands(&metadata()), os, arch, extra, &env);
        let mut child = Command::new(main)
            .args(args)
            .env_clear()
            .envs(&env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("plugin command runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(manifests.as_bytes())
            .expect("write manifests");
        drop(stdin);
        child.wait_with_output().expect("plugin finishes")
    }
}

impl Drop for Helm {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

/// A chart as helm 4 hands it over: documents sorted by file name, in
/// kyaml's layout, each annotated with the template it came from; hooks
/// (a pre-install Job and a test Pod) are part of the stream.
const CHART: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  annotations:
    postrenderer.helm.sh/postrender-filename: 'web/templates/configmap.yaml'
data:
  key: value
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
  annotations:
    postrenderer.helm.sh/postrender-filename: 'web/templates/deployment.yaml'
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        kruise.io/inject-filebeat: \"true\"
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: batch/v1
kind: Job
metadata:
  name: web-migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: \"-5\"
    helm.sh/hook-delete-policy: before-hook-creation
    postrenderer.helm.sh/postrender-filename: 'web/templates/hooks/migrate.yaml'
spec:
  template:
    metadata:
      labels:
        kruise.io/inject-filebeat: \"true\"
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: web-test-connection
  annotations:
    helm.sh/hook: test
    postrenderer.helm.sh/postrender-filename: 'web/templates/tests/test-connection.yaml'
spec:
  restartPolicy: Never
  containers:
  - name: wget
    image: busybox:1.36
    command: ['wget', 'web:80']
";

fn documents(text: &str) -> Vec<Value> {
    parse_stream(text)
        .expect("output parses")
        .into_iter()
        .filter_map(|c| c.value)
        .filter(|v| !v.is_null())
        .collect()
}

fn annotation<'a>(doc: &'a Value, key: &str) -> Option<&'a str> {
    doc.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

fn containers(doc: &Value, pointer: &str) -> Vec<String> {
    doc.pointer(pointer)
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.get("name").and_then(Value::as_str).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn post_renders_a_chart_with_hooks() {
    let helm = Helm::install("chart");
    let sidecarset = root().join("examples/filebeat-deployment/sidecarset.yaml");
    let arg = format!("--sidecarset={}", sidecarset.display());
    let out = helm.post_render(&[&arg], CHART);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !stdout.trim().is_empty(),
        "helm: post-renderer produced empty output"
    );

    // What helm installs is exactly what `inject` prints.
    let direct = support::run(
        root(),
        &["inject".to_string(), arg.clone()],
        Some(CHART.as_bytes()),
    );
    assert_eq!(direct.status, 0, "{direct:?}");
    assert_eq!(stdout, direct.stdout);

    let input = documents(CHART);
    let output = documents(&stdout);
    assert_eq!(output.len(), input.len());
    for (before, after) in input.iter().zip(&output) {
        assert_eq!(before.get("kind"), after.get("kind"));
        assert_eq!(
            before.pointer("/metadata/name"),
            after.pointer("/metadata/name")
        );
        // splitAndDeannotate maps each document back to its template by
        // this annotation; hooks are recognised by theirs.
        for key in [
            FILENAME_ANNOTATION,
            "helm.sh/hook",
            "helm.sh/hook-weight",
            "helm.sh/hook-delete-policy",
        ] {
            assert_eq!(annotation(before, key), annotation(after, key), "{key}");
        }
    }
    assert_eq!(output[0], input[0], "a ConfigMap passes untouched");
    assert_eq!(
        containers(&output[1], "/spec/template/spec/containers"),
        ["filebeat", "web"]
    );
    // The pre-install Job's pod gets the sidecar the webhook would give it
    // in the cluster; the test Pod is not selected.
    assert_eq!(
        containers(&output[2], "/spec/template/spec/containers"),
        ["filebeat", "migrate"]
    );
    assert_eq!(containers(&output[3], "/spec/containers"), ["wget"]);
}

#[test]
fn an_empty_chart_is_an_empty_stream_not_an_error() {
    // A chart that renders nothing reaches the post-renderer as "".
    let helm = Helm::install("empty");
    for input in ["", "\n"] {
        let out = helm.post_render(&[], input);
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        assert!(!stdout.trim().is_empty(), "helm 4 fails on empty output");
        assert!(documents(&stdout).is_empty(), "{stdout:?}");
    }
}

#[test]
fn a_refused_pod_fails_the_post_render() {
    let helm = Helm::install("refused");
    let chart = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    postrenderer.helm.sh/postrender-filename: 'web/templates/pod.yaml'
spec:
  containers:
  - name: app
    image: nginx
    env:
    - name: KRUISE_CONTAINER_PRIORITY
      value: high
  - name: other
    image: busybox
";
    let out = helm.post_render(&[], chart);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing half-rendered reaches helm");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("admission webhook \"mpod.kb.io\" denied the request"),
        "{stderr}"
    );
}
