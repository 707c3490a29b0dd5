//! What a lint rule is: a typed id, its default severity and its texts. Each
//! rule is declared once, as a constant next to the check that reports it
//! (`src/lint/rules/`), and every finding is built from that constant, so a
//! finding always carries its rule's registered id and help.

use super::{Finding, Severity};
use crate::path::JsonPath;
use serde::{Serialize, Serializer};
use std::fmt;

/// Declares [`RuleId`] from one list, so an id's variant, its text and its
/// place in [`RuleId::ALL`] cannot drift apart.
macro_rules! rule_ids {
    ($($variant:ident => $id:literal,)*) => {
        /// The id of every rule the linter knows.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $(
                #[doc = concat!("Rule `", $id, "`; its texts are in [`RULES`](crate::lint::RULES).")]
                $variant,
            )*
        }

        impl RuleId {
            /// Every id in registry order: webhook rules (`SSV`) then best
            /// practices (`SSL`), each in id order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id users see and type (`--ignore`, `lint-ignore`), e.g. `SSL-050`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

rule_ids! {
    Ssv000 => "SSV-000",
    Ssv001 => "SSV-001",
    Ssv002 => "SSV-002",
    Ssv003 => "SSV-003",
    Ssv004 => "SSV-004",
    Ssv010 => "SSV-010",
    Ssv020 => "SSV-020",
    Ssv021 => "SSV-021",
    Ssv022 => "SSV-022",
    Ssv023 => "SSV-023",
    Ssv030 => "SSV-030",
    Ssv031 => "SSV-031",
    Ssv032 => "SSV-032",
    Ssv040 => "SSV-040",
    Ssv041 => "SSV-041",
    Ssv042 => "SSV-042",
    Ssv043 => "SSV-043",
    Ssv044 => "SSV-044",
    Ssv045 => "SSV-045",
    Ssv046 => "SSV-046",
    Ssv047 => "SSV-047",
    Ssv048 => "SSV-048",
    Ssv049 => "SSV-049",
    Ssv050 => "SSV-050",
    Ssv051 => "SSV-051",
    Ssv052 => "SSV-052",
    Ssv053 => "SSV-053",
    Ssv054 => "SSV-054",
    Ssv055 => "SSV-055",
    Ssv056 => "SSV-056",
    Ssv057 => "SSV-057",
    Ssv058 => "SSV-058",
    Ssv059 => "SSV-059",
    Ssv05A => "SSV-05A",
    Ssv05B => "SSV-05B",
    Ssv05C => "SSV-05C",
    Ssv060 => "SSV-060",
    Ssv061 => "SSV-061",
    Ssv062 => "SSV-062",
    Ssv063 => "SSV-063",
    Ssv064 => "SSV-064",
    Ssv066 => "SSV-066",
    Ssv070 => "SSV-070",
    Ssv071 => "SSV-071",
    Ssv080 => "SSV-080",
    Ssv081 => "SSV-081",
    Ssv082 => "SSV-082",
    Ssv083 => "SSV-083",
    Ssl001 => "SSL-001",
    Ssl002 => "SSL-002",
    Ssl003 => "SSL-003",
    Ssl010 => "SSL-010",
    Ssl011 => "SSL-011",
    Ssl012 => "SSL-012",
    Ssl013 => "SSL-013",
    Ssl020 => "SSL-020",
    Ssl022 => "SSL-022",
    Ssl023 => "SSL-023",
    Ssl024 => "SSL-024",
    Ssl025 => "SSL-025",
    Ssl026 => "SSL-026",
    Ssl027 => "SSL-027",
    Ssl028 => "SSL-028",
    Ssl029 => "SSL-029",
    Ssl030 => "SSL-030",
    Ssl031 => "SSL-031",
    Ssl032 => "SSL-032",
    Ssl033 => "SSL-033",
    Ssl034 => "SSL-034",
    Ssl040 => "SSL-040",
    Ssl041 => "SSL-041",
    Ssl042 => "SSL-042",
    Ssl043 => "SSL-043",
    Ssl044 => "SSL-044",
    Ssl045 => "SSL-045",
    Ssl050 => "SSL-050",
    Ssl051 => "SSL-051",
    Ssl060 => "SSL-060",
    Ssl061 => "SSL-061",
    Ssl062 => "SSL-062",
    Ssl070 => "SSL-070",
    Ssl071 => "SSL-071",
    Ssl072 => "SSL-072",
    Ssl073 => "SSL-073",
    Ssl074 => "SSL-074",
    Ssl080 => "SSL-080",
    Ssl081 => "SSL-081",
    Ssl082 => "SSL-082",
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: width and alignment flags apply to the id.
        f.pad(self.as_str())
    }
}

/// Serialized as the id text (`--list-rules -o json`, SARIF).
impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A lint rule as registered: its id, default severity and the texts
/// `--list-rules`, SARIF and every finding of it show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The stable id users see and suppress.
    pub id: RuleId,
    /// The severity of every finding of the rule.
    pub severity: Severity,
    /// A one-line summary of what the rule checks.
    pub title: &'static str,
    /// Why the rule exists, in a few sentences.
    pub description: &'static str,
    /// How to fix what it finds.
    pub help: &'static str,
}

impl Rule {
    /// The rule's anchor in `docs/rules.md` (`#ssl-050`).
    pub fn anchor(&self) -> String {
        self.id.as_str().to_ascii_lowercase()
    }

    /// A finding of this rule at its default severity.
    pub(crate) fn finding(&self, resource: usize, path: JsonPath, message: String) -> Finding {
        self.finding_with(self.severity, resource, path, message)
    }

    /// A finding of this rule at `severity`, for checks whose verdict
    /// depends on what the input tells (e.g. a warning when the evidence is
    /// missing, an error when it contradicts).
    pub(crate) fn finding_with(
        &self,
        severity: Severity,
        resource: usize,
        path: JsonPath,
        message: String,
    ) -> Finding {
        Finding {
            rule: self.id.as_str().to_string(),
            severity,
            resource,
            path,
            message,
            help: Some(self.help.to_string()),
        }
    }
}
