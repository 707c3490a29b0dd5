//! Every lint rule, by topic. Each rule is one constant (id, severity,
//! title, description, help) declared next to the check that reports it;
//! [`super::registry::RULES`] lists them all.
//!
//! | module | topic | webhook rules (`SSV`) | best practices (`SSL`) |
//! |---|---|---|---|
//! | [`metadata`] | the SidecarSet's name, labels and annotations | 001–004 | |
//! | [`injection`] | which pods are injected and how: selectors, namespaces, the pinned revision, injection order and container startup | 020–023, 030–032 | 022, 031–034, 050, 051, 080, 081 |
//! | [`rollout`] | `updateStrategy`: partition, maxUnavailable, canary selector, priority, scatter | 040–049 | 026–029 |
//! | [`upgrade`] | what a change does to running pods: UPDATE immutability, in-place and hot upgrade, native sidecars | 010, 070, 071 | 020, 023–025, 030 |
//! | [`containers`] | the sidecar containers: inject and share policies, transferEnv, Kubernetes' container and volume validation, names, env, ports | 050–053, 05B, 05C | 011, 013, 082 |
//! | [`jobs`] | sidecars in pods that run to completion | | 001–003 |
//! | [`volumes`] | the injected pod's volumes: unresolved mounts, shadowing, shareVolumePolicy, log agents, service-account tokens | | 040–045 |
//! | [`resources`] | `resourcesPolicy` and the pods' QoS class | 054–059, 05A | 060–062 |
//! | [`patch_metadata`] | `patchPodMetadata`: whitelist, annotations, merge patches, propagation | 060–066 | 070–074 |
//! | [`conflicts`] | SidecarSets against each other | 080–083 | 010, 012 |
//! | [`webhook`] | the webhook's order of checks; a SidecarSet that cannot be decoded | 000 | |
//!
//! [`webhook`] and [`best_practices`] walk the input and call the checks in
//! evaluation order (findings keep that order within a resource);
//! [`shared`] holds the finding collectors and what several topics use.
//! Topic modules do not use each other.

pub(super) mod best_practices;
pub(super) mod conflicts;
pub(super) mod containers;
pub(super) mod injection;
pub(super) mod jobs;
pub(super) mod metadata;
pub(super) mod patch_metadata;
pub(super) mod resources;
pub(super) mod rollout;
mod shared;
pub(super) mod upgrade;
pub(super) mod volumes;
pub(super) mod webhook;
