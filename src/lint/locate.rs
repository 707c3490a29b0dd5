//! Where a finding is in the input: its resource and field path turned into
//! file, line, column and the source line there.

use super::{Finding, Located};
use crate::document::Inputs;

/// `finding` with its position in `inputs`: the file, line and column of its
/// field (of its document's start where the field has no position) and the
/// source line there, for the renderers. `finding.resource` indexes
/// `inputs.resources`, the order [`super::lint`] was given them in.
pub fn locate(inputs: &Inputs, finding: Finding) -> Located {
    let r = &inputs.resources[finding.resource];
    let loc = inputs.locate(r, &finding.path);
    let snippet = inputs
        .docs
        .get(r.doc)
        .and_then(|d| inputs.files.get(d.file))
        .and_then(|file| file.line(loc.line))
        .map(str::to_string);
    Located {
        object: inputs.object_name(r),
        file: Some(loc.file),
        line: Some(loc.line),
        column: Some(loc.column),
        snippet,
        finding,
    }
}
