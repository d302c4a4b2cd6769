//! THE table of rules, one line per rule, in code order. Adding a rule means adding its file
//! and its line here (and a fixture).

use super::{RuleEntry, RuleMeta, boxed, hadolint, syntax};

pub static RULES: &[RuleEntry] = &[
    RuleEntry {
        meta: &syntax::LW0001,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0002,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0003,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0004,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0005,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0006,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0007,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0008,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0009,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0010,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0011,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0012,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0013,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0014,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0015,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0016,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0017,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0018,
        new: None,
    },
    RuleEntry {
        meta: &syntax::LW0019,
        new: None,
    },
    RuleEntry {
        meta: &hadolint::DL3000,
        new: Some(boxed::<hadolint::RelativeWorkdir>),
    },
    RuleEntry {
        meta: &hadolint::DL3006,
        new: Some(boxed::<hadolint::UntaggedImage>),
    },
    RuleEntry {
        meta: &hadolint::DL3007,
        new: Some(boxed::<hadolint::LatestTag>),
    },
    RuleEntry {
        meta: &hadolint::DL3061,
        new: Some(boxed::<hadolint::InstructionBeforeFrom>),
    },
    RuleEntry {
        meta: &hadolint::DL4000,
        new: Some(boxed::<hadolint::MaintainerDeprecated>),
    },
];

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
