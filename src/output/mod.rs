//! Writing resources back out, with the promises a reader of the output
//! relies on: a YAML stream keeps untouched documents byte for byte and
//! rewrites only the changed nodes of the others (`yaml::edit`); JSON in
//! gives JSON out; JSON is printed the way `kubectl get -o json` prints it;
//! patches are RFC 6902; `diff` compares two injected copies of the input. Free of argv and terminals, so a program embedding
//! the library gets the same bytes as the command line.

pub mod diff;
mod json;
mod patch;
mod stream;

pub use json::{write_json, write_json_value};
pub use patch::write_patches;
pub use stream::{echoed_values, write_yaml_stream, YamlStream};
