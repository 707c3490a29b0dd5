//! Writing resources back out, with the promises a reader of the output
//! relies on: a YAML stream keeps untouched documents byte for byte and
//! rewrites only the changed nodes of the others (`yaml::edit`); JSON in
//! gives JSON out; JSON is printed the way `kubectl get -o json` prints it;
//! patches are RFC 6902; `diff` compares two injected copies of the input.
//! The same bytes come a document at a time ([`Out`](crate::output::Out),
//! into an [`OutBuf`](crate::output::OutBuf)), and a `kind: List` an item
//! at a time ([`ListRun`](crate::output::ListRun)), for a run that holds
//! one document, not all of them. Free of argv and terminals, so a program
//! embedding the library gets the same bytes as the command line.

mod buffer;
pub mod diff;
mod json;
mod list;
mod patch;
mod stream;
mod writer;

pub use buffer::OutBuf;
pub use json::{write_json, write_json_value};
pub use list::ListRun;
pub use patch::write_patches;
pub use stream::{echoed_values, write_yaml_stream, YamlStream};
pub use writer::{Mode, Out};

#[cfg(test)]
mod tests {
    use crate::document::Inputs;
    use crate::source::SourceFile;

    fn inputs(text: &str) -> Inputs {
        let mut inputs = Inputs::default();
        inputs
            .add(SourceFile::new("in.yaml".into(), text.into()), false)
            .unwrap();
        inputs
    }

    /// Unchanged documents come back byte for byte, comments and odd
    /// spacing included, without the command line.
    #[test]
    fn untouched_stream_is_byte_for_byte() {
        let text = "# head\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}  # x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: b\n";
        let inputs = inputs(text);
        let mut out = Vec::new();
        super::write_yaml_stream(&inputs, &[], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }

    /// A JSON document stays JSON.
    #[test]
    fn json_stream_stays_json() {
        let text =
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}";
        let inputs = inputs(text);
        let mut out = Vec::new();
        super::write_yaml_stream(&inputs, &[], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{text}\n"));
    }
}
