//! kubectl-sidecarset: the OpenKruise v1.9.0 SidecarSet webhook and
//! controller logic, offline.
//!
//! Data flows one way:
//! `source` (files, stdin) -> `yaml` (documents with positions) ->
//! `document` (classified resources) -> `workload` (where the pod template
//! lives) -> `sidecarset` (stored form, hashes) -> `cluster` (the state the
//! webhook and controller read, built once) -> `inject` (the pod webhook)
//! / `plan` (the controller's rollout) / `lint` (the validating webhook and
//! best practices) -> `output` (YAML, JSON, patches, diffs; tables in `cli`).
//!
//! The Kubernetes logic is free of I/O, terminals and argv; the `cli` module
//! is the only place that knows about them.
//!
//! # Using the engine from another program
//!
//! The re-exports at the crate root are the chosen surface; every module
//! stays public for what they do not cover.
//!
//! - Reading: [`SourceFile`] (text with a name, for error locations) goes
//!   into [`Inputs`] ([`Inputs::add`] parses and classifies it as a
//!   [`Class`]); [`ClusterState::collect`] gathers the SidecarSets (each in
//!   its webhook form, [`webhook_form`]), Namespaces and ControllerRevisions
//!   the webhook and the controller read. Errors are [`InputError`]s,
//!   located at a [`Location`].
//! - Injecting: [`inject_all`] runs the pod webhook over every Pod and
//!   workload template of the inputs in place, with the run's [`Settings`]
//!   ([`FeatureGates`], clock, seed, namespace), and returns an [`Outcome`]:
//!   which documents changed, and per template what each SidecarSet did.
//!   [`to_yaml`] writes a changed object out (`yaml::edit::apply` rewrites
//!   only what changed in its text). `examples/api.rs` writes a whole stream
//!   back.
//! - Planning: [`plan()`] (pods as trees) or [`plan_pods`] (any
//!   [`PodSource`]) gives the controller's rollout of one SidecarSet as the
//!   cluster stores it ([`ClusterState::from_inputs`] with
//!   [`Hashes::Recorded`]), as a [`Plan`] of [`Batch`]es, under
//!   [`PlanOptions`].
//! - Linting: [`lint()`] checks resources given as a [`LintInput`] and
//!   returns [`Finding`]s of a [`Severity`].
//!
//! ```rust
//! use kubectl_sidecarset::{inject_all, ClusterState, FeatureGates, Inputs, Settings, SourceFile};
//!
//! let sidecar_set = include_str!("../examples/filebeat-deployment/sidecarset.yaml");
//! let deployment = "\
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata:
//!   name: nginx
//! spec:
//!   selector:
//!     matchLabels: {app: nginx}
//!   template:
//!     metadata:
//!       labels: {app: nginx, kruise.io/inject-filebeat: \"true\"}
//!     spec:
//!       containers:
//!         - name: nginx
//!           image: nginx:latest
//! ";
//!
//! let mut inputs = Inputs::default();
//! inputs.add(SourceFile::new("deployment.yaml".into(), deployment.into()), false)?;
//! // Policy only: read by the webhook, not echoed as output.
//! inputs.add(SourceFile::new("sidecarset.yaml".into(), sidecar_set.into()), true)?;
//! let cluster = ClusterState::collect(&inputs).expect("the SidecarSet reads");
//! let settings = Settings {
//!     gates: FeatureGates::default(),
//!     now: 0,
//!     seed: 0,
//!     namespace: "default".into(),
//! };
//! let outcome = inject_all(&mut inputs, &cluster, &settings).expect("injected");
//! assert_eq!(outcome.changed_docs, [true, false]);
//!
//! let injected = kubectl_sidecarset::to_yaml(inputs.docs[0].value.as_ref().unwrap());
//! assert!(injected.contains("name: filebeat"));
//! assert!(injected.contains("image: docker.elastic.co/beats/filebeat:7.16.2"));
//! # Ok::<(), kubectl_sidecarset::InputError>(())
//! ```

/// Stack size of the thread the binary runs on: documents may nest 512
/// levels, and every recursive step (parse, inject, hash, drop) must fit.
pub const STACK_SIZE: usize = 256 << 20;

pub mod admission;
pub mod annotations;
pub mod calculator;
// The binary's argv layer, not part of the library API: its items are
// documented where they help the binary, and reachable only from it.
#[cfg(feature = "cli")]
#[allow(missing_docs, unreachable_pub)]
pub mod cli;
pub mod clock;
pub mod cluster;
pub mod color;
pub mod decode;
pub mod document;
pub mod features;
pub mod gojson;
pub mod json;
pub mod namespace;
/// Writing resources back out: untouched documents byte for byte, JSON as kubectl prints it.
pub mod output;
pub mod path;
pub mod pod_webhook;
pub mod quantity;
pub mod reader;
pub mod reread;
pub mod selector;
pub mod source;
pub mod stream;
pub mod value;
pub mod whatif;
pub mod workload;

pub mod yaml;

pub mod sidecarset;

pub mod inject;

pub mod plan;

pub mod lint;

// Reading: named source text, parsed and classified into resources, and
// the cluster state gathered from them.
pub use cluster::{webhook_form, ClusterState, Hashes};
pub use document::{Class, InputError, Inputs, Location};
pub use features::FeatureGates;
pub use source::SourceFile;

// Injecting: the pod webhook over every workload of the inputs, and the
// YAML writer for the objects it changed.
pub use pod_webhook::{inject_all, Outcome, Settings};
pub use yaml::to_yaml;

// Planning: the controller's rollout of one SidecarSet over pods.
pub use plan::{plan, plan_pods, Batch, Options as PlanOptions, Plan, PodSource};

// Linting: the validating webhook's rules and best practices.
pub use lint::{lint, Finding, Input as LintInput, Severity};
