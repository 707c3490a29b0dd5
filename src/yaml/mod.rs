//! YAML for Kubernetes manifests: documents parsed with the position of every
//! node, plain scalars resolved by YAML 1.1 rules as goyaml.v2 (behind
//! sigs.k8s.io/yaml) resolves them, and an emitter in kubectl's style that
//! quotes every string YAML 1.1 would read as something else.

pub mod edit;
pub mod emit;
pub mod parse;
pub mod resolve;

pub use emit::to_yaml;
pub use parse::{parse_document, parse_document_lines, NodeStyle, PosChildren, PosNode, YamlError};
