//! THE table of rules, one line per rule, in code order. Adding a rule means adding its file
//! and its line here (and a fixture).

use super::{Rule, RuleEntry, RuleMeta, boxed, buildkit, hadolint, layerwise, syntax};

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
    parser(&syntax::LW0018),
    parser(&syntax::LW0019),
    rule::<hadolint::InlineIgnorePragma>(&hadolint::DL1001),
    rule::<hadolint::RelativeWorkdir>(&hadolint::DL3000),
    rule::<hadolint::PointlessCommand>(&hadolint::DL3001),
    rule::<hadolint::LastUserRoot>(&hadolint::DL3002),
    rule::<hadolint::CdInsteadOfWorkdir>(&hadolint::DL3003),
    rule::<hadolint::Sudo>(&hadolint::DL3004),
    rule::<hadolint::UntaggedImage>(&hadolint::DL3006),
    rule::<hadolint::LatestTag>(&hadolint::DL3007),
    rule::<hadolint::AptGetPin>(&hadolint::DL3008),
    rule::<hadolint::AptListsNotDeleted>(&hadolint::DL3009),
    rule::<hadolint::CopiedArchiveExtracted>(&hadolint::DL3010),
    rule::<hadolint::PortOutOfRange>(&hadolint::DL3011),
    rule::<hadolint::MultipleHealthchecks>(&hadolint::DL3012),
    rule::<hadolint::PipPin>(&hadolint::DL3013),
    rule::<hadolint::AptGetYes>(&hadolint::DL3014),
    rule::<hadolint::AptGetRecommends>(&hadolint::DL3015),
    rule::<hadolint::NpmPin>(&hadolint::DL3016),
    rule::<hadolint::ApkPin>(&hadolint::DL3018),
    rule::<hadolint::ApkNoCache>(&hadolint::DL3019),
    rule::<hadolint::AddInsteadOfCopy>(&hadolint::DL3020),
    rule::<hadolint::CopyDestNotDir>(&hadolint::DL3021),
    rule::<hadolint::CopyFromUnknownStage>(&hadolint::DL3022),
    rule::<hadolint::CopyFromOwnStage>(&hadolint::DL3023),
    rule::<hadolint::DuplicateStageName>(&hadolint::DL3024),
    rule::<hadolint::JsonArgs>(&hadolint::DL3025),
    rule::<hadolint::UntrustedRegistry>(&hadolint::DL3026),
    rule::<hadolint::Apt>(&hadolint::DL3027),
    rule::<hadolint::GemPin>(&hadolint::DL3028),
    rule::<hadolint::FromPlatform>(&hadolint::DL3029),
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
    rule::<hadolint::OnbuildForbidden>(&hadolint::DL3043),
    rule::<hadolint::EnvSelfReference>(&hadolint::DL3044),
    rule::<hadolint::CopyRelativeWithoutWorkdir>(&hadolint::DL3045),
    rule::<hadolint::UseraddHighUid>(&hadolint::DL3046),
    rule::<hadolint::WgetProgress>(&hadolint::DL3047),
    rule::<hadolint::InvalidLabelKey>(&hadolint::DL3048),
    rule::<hadolint::MissingRequiredLabel>(&hadolint::DL3049),
    rule::<hadolint::SuperfluousLabel>(&hadolint::DL3050),
    rule::<hadolint::EmptySchemaLabel>(&hadolint::DL3051),
    rule::<hadolint::InvalidUrlLabel>(&hadolint::DL3052),
    rule::<hadolint::InvalidRfc3339Label>(&hadolint::DL3053),
    rule::<hadolint::InvalidSpdxLabel>(&hadolint::DL3054),
    rule::<hadolint::InvalidHashLabel>(&hadolint::DL3055),
    rule::<hadolint::InvalidSemverLabel>(&hadolint::DL3056),
    rule::<hadolint::MissingHealthcheck>(&hadolint::DL3057),
    rule::<hadolint::InvalidEmailLabel>(&hadolint::DL3058),
    rule::<hadolint::ConsecutiveRuns>(&hadolint::DL3059),
    rule::<hadolint::YarnCacheNotCleaned>(&hadolint::DL3060),
    rule::<hadolint::InstructionBeforeFrom>(&hadolint::DL3061),
    rule::<hadolint::GoPin>(&hadolint::DL3062),
    rule::<hadolint::ReservedStageName>(&hadolint::DL3063),
    rule::<hadolint::SecretInArgOrEnv>(&hadolint::DL3064),
    rule::<hadolint::RedundantTargetPlatform>(&hadolint::DL3065),
    rule::<hadolint::NonNumericUser>(&hadolint::DL3066),
    rule::<hadolint::CopyWholeFilesystem>(&hadolint::DL3067),
    rule::<hadolint::MaintainerDeprecated>(&hadolint::DL4000),
    rule::<hadolint::WgetAndCurl>(&hadolint::DL4001),
    rule::<hadolint::MultipleCmd>(&hadolint::DL4003),
    rule::<hadolint::MultipleEntrypoint>(&hadolint::DL4004),
    rule::<hadolint::LnBinSh>(&hadolint::DL4005),
    rule::<hadolint::PipeWithoutPipefail>(&hadolint::DL4006),
    rule::<buildkit::ConsistentInstructionCasing>(&buildkit::CONSISTENT_INSTRUCTION_CASING),
    rule::<buildkit::CopyIgnoredFile>(&buildkit::COPY_IGNORED_FILE),
    rule::<buildkit::ExposeInvalidFormat>(&buildkit::EXPOSE_INVALID_FORMAT),
    rule::<buildkit::ExposeProtoCasing>(&buildkit::EXPOSE_PROTO_CASING),
    rule::<buildkit::FromAsCasing>(&buildkit::FROM_AS_CASING),
    rule::<buildkit::InvalidDefaultArgInFrom>(&buildkit::INVALID_DEFAULT_ARG_IN_FROM),
    rule::<buildkit::InvalidDefinitionDescription>(&buildkit::INVALID_DEFINITION_DESCRIPTION),
    rule::<buildkit::LegacyKeyValueFormat>(&buildkit::LEGACY_KEY_VALUE_FORMAT),
    rule::<buildkit::NoEmptyContinuation>(&buildkit::NO_EMPTY_CONTINUATION),
    rule::<buildkit::StageNameCasing>(&buildkit::STAGE_NAME_CASING),
    rule::<buildkit::UndefinedArgInFrom>(&buildkit::UNDEFINED_ARG_IN_FROM),
    rule::<buildkit::UndefinedVar>(&buildkit::UNDEFINED_VAR),
    rule::<buildkit::WorkdirRelativePath>(&buildkit::WORKDIR_RELATIVE_PATH),
    rule::<layerwise::RootFinalStage>(&layerwise::LW1001),
    rule::<layerwise::ToolchainInFinalImage>(&layerwise::LW1002),
    rule::<layerwise::CacheBustingCopyOrder>(&layerwise::LW1003),
    rule::<layerwise::ChownAfterCopy>(&layerwise::LW1004),
    rule::<layerwise::HeavyBaseImage>(&layerwise::LW1005),
    rule::<layerwise::DockerignoreMissing>(&layerwise::LW1006),
    rule::<layerwise::MultipleProcesses>(&layerwise::LW1007),
    rule::<layerwise::WastedLayerBytes>(&layerwise::LW1010),
    engine(&layerwise::LW9001),
    engine(&layerwise::LW9002),
];

/// A code produced by the parser: documented here, checked there.
const fn parser(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry { meta, new: None }
}

/// A code reported by `diagnostics::lint` itself (suppression comments).
const fn engine(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry { meta, new: None }
}

/// A rule that runs as a check.
const fn rule<R: Rule + Default + 'static>(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry {
        meta,
        new: Some(boxed::<R>),
    }
}

/// The rule with this code or alias, case-insensitively. Exact codes are looked up in a map,
/// since every diagnostic asks for its rule.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    static BY_CODE: std::sync::LazyLock<
        std::collections::HashMap<&'static str, &'static RuleMeta>,
    > = std::sync::LazyLock::new(|| RULES.iter().map(|e| (e.meta.code, e.meta)).collect());
    if let Some(meta) = BY_CODE.get(code) {
        return Some(meta);
    }
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
        // Codes are unique; an alias may be shared (BuildKit's MultipleInstructionsDisallowed
        // covers three DL rules) but never equals a code.
        let mut codes: Vec<&str> = RULES.iter().map(|e| e.meta.code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code is used twice");
        for entry in RULES {
            for alias in entry.meta.aliases {
                assert!(
                    !codes.contains(alias),
                    "alias {alias} of {} is also a code",
                    entry.meta.code
                );
            }
        }
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
