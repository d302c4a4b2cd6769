//! THE table of rules, one line per rule, in code order. Adding a rule means adding its file
//! and its line here (and a fixture).

use super::{Rule, RuleEntry, RuleMeta, boxed, hadolint, syntax};

pub static RULES: &[RuleEntry] = &[
    parser(&syntax::LW0001),
    parser(&syntax::LW0002),
    parser(&syntax::LW0003),
    parser(&syntax::LW0004),
    parser(&syntax::LW0005),
    parser(&syntax::LW0006),
    parser(&syntax::LW0007),
    parser(&syntax::LW0008),
    parser(&syntax::LW0009),
    parser(&syntax::LW0010),
    parser(&syntax::LW0011),
    parser(&syntax::LW0012),
    parser(&syntax::LW0013),
    parser(&syntax::LW0014),
    parser(&syntax::LW0015),
    parser(&syntax::LW0016),
    parser(&syntax::LW0017),
    rule::<hadolint::RelativeWorkdir>(&hadolint::DL3000),
    rule::<hadolint::PointlessCommand>(&hadolint::DL3001),
    rule::<hadolint::CdInsteadOfWorkdir>(&hadolint::DL3003),
    rule::<hadolint::Sudo>(&hadolint::DL3004),
    rule::<hadolint::UntaggedImage>(&hadolint::DL3006),
    rule::<hadolint::LatestTag>(&hadolint::DL3007),
    rule::<hadolint::AptGetPin>(&hadolint::DL3008),
    rule::<hadolint::AptListsNotDeleted>(&hadolint::DL3009),
    rule::<hadolint::CopiedArchiveExtracted>(&hadolint::DL3010),
    rule::<hadolint::PipPin>(&hadolint::DL3013),
    rule::<hadolint::AptGetYes>(&hadolint::DL3014),
    rule::<hadolint::AptGetRecommends>(&hadolint::DL3015),
    rule::<hadolint::NpmPin>(&hadolint::DL3016),
    rule::<hadolint::ApkPin>(&hadolint::DL3018),
    rule::<hadolint::ApkNoCache>(&hadolint::DL3019),
    rule::<hadolint::JsonArgs>(&hadolint::DL3025),
    rule::<hadolint::Apt>(&hadolint::DL3027),
    rule::<hadolint::GemPin>(&hadolint::DL3028),
    rule::<hadolint::YumYes>(&hadolint::DL3030),
    rule::<hadolint::YumCacheNotCleaned>(&hadolint::DL3032),
    rule::<hadolint::YumPin>(&hadolint::DL3033),
    rule::<hadolint::ZypperInteractive>(&hadolint::DL3034),
    rule::<hadolint::ZypperDistUpgrade>(&hadolint::DL3035),
    rule::<hadolint::ZypperCacheNotCleaned>(&hadolint::DL3036),
    rule::<hadolint::ZypperPin>(&hadolint::DL3037),
    rule::<hadolint::DnfYes>(&hadolint::DL3038),
    rule::<hadolint::DnfCacheNotCleaned>(&hadolint::DL3040),
    rule::<hadolint::DnfPin>(&hadolint::DL3041),
    rule::<hadolint::PipNoCacheDir>(&hadolint::DL3042),
    rule::<hadolint::UseraddHighUid>(&hadolint::DL3046),
    rule::<hadolint::WgetProgress>(&hadolint::DL3047),
    rule::<hadolint::ConsecutiveRuns>(&hadolint::DL3059),
    rule::<hadolint::YarnCacheNotCleaned>(&hadolint::DL3060),
    rule::<hadolint::InstructionBeforeFrom>(&hadolint::DL3061),
    rule::<hadolint::GoPin>(&hadolint::DL3062),
    rule::<hadolint::MaintainerDeprecated>(&hadolint::DL4000),
    rule::<hadolint::WgetAndCurl>(&hadolint::DL4001),
    rule::<hadolint::LnBinSh>(&hadolint::DL4005),
    rule::<hadolint::PipeWithoutPipefail>(&hadolint::DL4006),
];

/// A code produced by the parser: documented here, checked there.
const fn parser(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry { meta, new: None }
}

/// A rule that runs as a check.
const fn rule<R: Rule + Default + 'static>(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry {
        meta,
        new: Some(boxed::<R>),
    }
}

/// The rule with this code or alias, case-insensitively.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().map(|e| e.meta).find(|m| {
        m.code.eq_ignore_ascii_case(code) || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        // Grouped by origin; codes ascend within each group.
        for pair in RULES.windows(2) {
            let (a, b) = (pair[0].meta, pair[1].meta);
            if a.origin == b.origin {
                assert!(a.code < b.code, "{} must come before {}", a.code, b.code);
            }
        }
        let mut all: Vec<&str> = RULES
            .iter()
            .flat_map(|e| std::iter::once(e.meta.code).chain(e.meta.aliases.iter().copied()))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a code or alias is used twice");
    }

    #[test]
    fn every_rule_has_the_required_doc_sections() {
        for entry in RULES {
            let meta = entry.meta;
            for section in ["## What it does", "## Why is this bad?"] {
                assert!(
                    meta.docs().contains(section),
                    "{} docs lack {section}",
                    meta.code
                );
            }
            if meta.fix != super::super::FixAvailability::None && meta.docs().contains("unsafe") {
                assert!(
                    meta.docs().contains("## Fix safety"),
                    "{} docs lack ## Fix safety",
                    meta.code
                );
            }
            assert!(!meta.summary().is_empty(), "{} has no summary", meta.code);
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                meta.name
            );
        }
    }
}
