//! Best-practice lints (`SSL-*`, best-practices-lint.md).

use super::model::World;
use super::{Finding, Input};

pub fn check(world: &World<'_>, input: &Input<'_>, out: &mut Vec<Finding>) {
    let _ = (world, input, out);
}
