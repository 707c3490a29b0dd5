//! Every rule the linter knows, for `lint --list-rules`, SARIF `rules`,
//! `docs/rules.md` and the completion of `lint --ignore`. The rules are
//! declared with their checks (`src/lint/rules/`); this is only their list.

use super::rule::{Rule, RuleId};
use super::rules::{
    conflicts, containers, injection, jobs, metadata, patch_metadata, resources, rollout, upgrade,
    volumes, webhook,
};

/// Webhook rules (`SSV`) then best practices (`SSL`), each in id order.
///
/// Severity of an `SSL` rule is the one on the workloads it hits; on a
/// SidecarSet itself an `SSL` finding is at most a warning (only the webhook
/// decides whether a SidecarSet is admitted).
pub static RULES: &[Rule] = &[
    webhook::SSV_000,
    metadata::SSV_001,
    metadata::SSV_002,
    metadata::SSV_003,
    metadata::SSV_004,
    upgrade::SSV_010,
    injection::SSV_020,
    injection::SSV_021,
    injection::SSV_022,
    injection::SSV_023,
    injection::SSV_030,
    injection::SSV_031,
    injection::SSV_032,
    rollout::SSV_040,
    rollout::SSV_041,
    rollout::SSV_042,
    rollout::SSV_043,
    rollout::SSV_044,
    rollout::SSV_045,
    rollout::SSV_046,
    rollout::SSV_047,
    rollout::SSV_048,
    rollout::SSV_049,
    containers::SSV_050,
    containers::SSV_051,
    containers::SSV_052,
    containers::SSV_053,
    resources::SSV_054,
    resources::SSV_055,
    resources::SSV_056,
    resources::SSV_057,
    resources::SSV_058,
    resources::SSV_059,
    resources::SSV_05A,
    containers::SSV_05B,
    containers::SSV_05C,
    patch_metadata::SSV_060,
    patch_metadata::SSV_061,
    patch_metadata::SSV_062,
    patch_metadata::SSV_063,
    patch_metadata::SSV_064,
    patch_metadata::SSV_066,
    upgrade::SSV_070,
    upgrade::SSV_071,
    conflicts::SSV_080,
    conflicts::SSV_081,
    conflicts::SSV_082,
    conflicts::SSV_083,
    jobs::SSL_001,
    jobs::SSL_002,
    jobs::SSL_003,
    conflicts::SSL_010,
    containers::SSL_011,
    conflicts::SSL_012,
    containers::SSL_013,
    upgrade::SSL_020,
    injection::SSL_022,
    upgrade::SSL_023,
    upgrade::SSL_024,
    upgrade::SSL_025,
    rollout::SSL_026,
    rollout::SSL_027,
    rollout::SSL_028,
    rollout::SSL_029,
    upgrade::SSL_030,
    injection::SSL_031,
    injection::SSL_032,
    injection::SSL_033,
    injection::SSL_034,
    volumes::SSL_040,
    volumes::SSL_041,
    volumes::SSL_042,
    volumes::SSL_043,
    volumes::SSL_044,
    volumes::SSL_045,
    injection::SSL_050,
    injection::SSL_051,
    resources::SSL_060,
    resources::SSL_061,
    resources::SSL_062,
    patch_metadata::SSL_070,
    patch_metadata::SSL_071,
    patch_metadata::SSL_072,
    patch_metadata::SSL_073,
    patch_metadata::SSL_074,
    injection::SSL_080,
    injection::SSL_081,
    containers::SSL_082,
];

/// The rule with id text `id` (as in findings and `--ignore`), exactly.
pub fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.as_str() == id)
}

/// The registered rule of `id`.
pub fn by_id(id: RuleId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_registered_once_in_order() {
        // Each id has exactly one rule, so nothing declared is left off
        // `--list-rules`, SARIF or the docs, and the list keeps the id order.
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }

    #[test]
    fn ids_sorted_within_family() {
        // SSV (webhook) rules first, then SSL (best practice), each by id.
        for w in RULES.windows(2) {
            let (a, b) = (w[0].id.as_str(), w[1].id.as_str());
            let same = a[..3] == b[..3];
            assert!(!same || a < b, "{a} before {b}");
            assert!(same || a.starts_with("SSV"), "{a} before {b}");
        }
    }

    #[test]
    fn lookups_agree() {
        for r in RULES {
            assert_eq!(get(r.id.as_str()), Some(r));
            assert_eq!(by_id(r.id), Some(r));
        }
        assert_eq!(get("SSL-999"), None);
        assert_eq!(get("ssl-050"), None, "ids are matched exactly");
    }
}
