//! kubectl-sidecarset: the OpenKruise v1.9.0 SidecarSet webhook and
//! controller logic, offline.
//!
//! Data flows one way:
//! `source` (files, stdin) -> `yaml` (documents with positions) ->
//! `document` (classified resources) -> `workload` (where the pod template
//! lives) -> `sidecarset` (stored form, hashes) -> `cluster` (the state the
//! webhook and controller read, built once) -> `inject` (the pod webhook)
//! / `plan` (the controller's rollout) / `lint` (the validating webhook and
//! best practices) -> `emit` (YAML, JSON, patches, diffs, tables).
//!
//! The Kubernetes logic is free of I/O, terminals and argv; the `cli` module
//! is the only place that knows about them.

/// Stack size of the thread the binary runs on: documents may nest 512
/// levels, and every recursive step (parse, inject, hash, drop) must fit.
pub const STACK_SIZE: usize = 256 << 20;

pub mod admission;
pub mod calculator;
#[cfg(feature = "cli")]
pub mod cli;
pub mod clock;
pub mod cluster;
pub mod decode;
pub mod document;
pub mod features;
pub mod gojson;
pub mod json;
pub mod namespace;
pub mod path;
pub mod pod_webhook;
pub mod quantity;
pub mod reader;
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
