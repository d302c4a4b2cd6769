//! hadolint's DL rules, under their codes and default severities, one rule per file.

mod dl1001_inline_ignore_pragma;
mod dl3000_relative_workdir;
mod dl3001_pointless_command;
mod dl3003_cd_instead_of_workdir;
mod dl3004_sudo;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3008_apt_get_pin;
mod dl3009_apt_lists_not_deleted;
mod dl3010_copied_archive_extracted;
mod dl3011_port_out_of_range;
mod dl3012_multiple_healthchecks;
mod dl3013_pip_pin;
mod dl3014_apt_get_yes;
mod dl3015_apt_get_recommends;
mod dl3016_npm_pin;
mod dl3018_apk_pin;
mod dl3019_apk_no_cache;
mod dl3020_add_instead_of_copy;
mod dl3021_copy_dest_not_dir;
mod dl3022_copy_from_unknown_stage;
mod dl3023_copy_from_own_stage;
mod dl3024_duplicate_stage_name;
mod dl3025_json_args;
mod dl3026_untrusted_registry;
mod dl3027_apt;
mod dl3028_gem_pin;
mod dl3029_from_platform;
mod dl3030_yum_yes;
mod dl3032_yum_cache_not_cleaned;
mod dl3033_yum_pin;
mod dl3034_zypper_interactive;
mod dl3035_zypper_dist_upgrade;
mod dl3036_zypper_cache_not_cleaned;
mod dl3037_zypper_pin;
mod dl3038_dnf_yes;
mod dl3040_dnf_cache_not_cleaned;
mod dl3041_dnf_pin;
mod dl3042_pip_no_cache_dir;
mod dl3043_onbuild_forbidden;
mod dl3044_env_self_reference;
mod dl3045_copy_relative_without_workdir;
mod dl3046_useradd_high_uid;
mod dl3047_wget_progress;
mod dl3048_invalid_label_key;
mod dl3049_missing_required_label;
mod dl3050_superfluous_label;
mod dl3051_empty_schema_label;
mod dl3052_invalid_url_label;
mod dl3053_invalid_rfc3339_label;
mod dl3054_invalid_spdx_label;
mod dl3055_invalid_hash_label;
mod dl3056_invalid_semver_label;
mod dl3057_missing_healthcheck;
mod dl3058_invalid_email_label;
mod dl3059_consecutive_runs;
mod dl3060_yarn_cache_not_cleaned;
mod dl3061_instruction_before_from;
mod dl3062_go_pin;
mod dl3063_reserved_stage_name;
mod dl3064_secret_in_arg_or_env;
mod dl3065_redundant_target_platform;
mod dl3066_non_numeric_user;
mod dl3067_copy_whole_filesystem;
mod dl4000_maintainer_deprecated;
mod dl4001_wget_and_curl;
mod dl4003_multiple_cmd;
mod dl4005_ln_bin_sh;
mod dl4006_pipefail;
mod label_schema;
mod util;

pub use dl1001_inline_ignore_pragma::{DL1001, InlineIgnorePragma};
pub use dl3000_relative_workdir::{DL3000, RelativeWorkdir};
pub use dl3001_pointless_command::{DL3001, PointlessCommand};
pub use dl3003_cd_instead_of_workdir::{CdInsteadOfWorkdir, DL3003};
pub use dl3004_sudo::{DL3004, Sudo};
pub use dl3006_untagged_image::{DL3006, UntaggedImage};
pub use dl3007_latest_tag::{DL3007, LatestTag};
pub use dl3008_apt_get_pin::{AptGetPin, DL3008};
pub use dl3009_apt_lists_not_deleted::{AptListsNotDeleted, DL3009};
pub use dl3010_copied_archive_extracted::{CopiedArchiveExtracted, DL3010};
pub use dl3011_port_out_of_range::{DL3011, PortOutOfRange};
pub use dl3012_multiple_healthchecks::{DL3012, MultipleHealthchecks};
pub use dl3013_pip_pin::{DL3013, PipPin};
pub use dl3014_apt_get_yes::{AptGetYes, DL3014};
pub use dl3015_apt_get_recommends::{AptGetRecommends, DL3015};
pub use dl3016_npm_pin::{DL3016, NpmPin};
pub use dl3018_apk_pin::{ApkPin, DL3018};
pub use dl3019_apk_no_cache::{ApkNoCache, DL3019};
pub use dl3020_add_instead_of_copy::{AddInsteadOfCopy, DL3020};
pub use dl3021_copy_dest_not_dir::{CopyDestNotDir, DL3021};
pub use dl3022_copy_from_unknown_stage::{CopyFromUnknownStage, DL3022};
pub use dl3023_copy_from_own_stage::{CopyFromOwnStage, DL3023};
pub use dl3024_duplicate_stage_name::{DL3024, DuplicateStageName};
pub use dl3025_json_args::{DL3025, JsonArgs};
pub use dl3026_untrusted_registry::{DL3026, UntrustedRegistry};
pub use dl3027_apt::{Apt, DL3027};
pub use dl3028_gem_pin::{DL3028, GemPin};
pub use dl3029_from_platform::{DL3029, FromPlatform};
pub use dl3030_yum_yes::{DL3030, YumYes};
pub use dl3032_yum_cache_not_cleaned::{DL3032, YumCacheNotCleaned};
pub use dl3033_yum_pin::{DL3033, YumPin};
pub use dl3034_zypper_interactive::{DL3034, ZypperInteractive};
pub use dl3035_zypper_dist_upgrade::{DL3035, ZypperDistUpgrade};
pub use dl3036_zypper_cache_not_cleaned::{DL3036, ZypperCacheNotCleaned};
pub use dl3037_zypper_pin::{DL3037, ZypperPin};
pub use dl3038_dnf_yes::{DL3038, DnfYes};
pub use dl3040_dnf_cache_not_cleaned::{DL3040, DnfCacheNotCleaned};
pub use dl3041_dnf_pin::{DL3041, DnfPin};
pub use dl3042_pip_no_cache_dir::{DL3042, PipNoCacheDir};
pub use dl3043_onbuild_forbidden::{DL3043, OnbuildForbidden};
pub use dl3044_env_self_reference::{DL3044, EnvSelfReference};
pub use dl3045_copy_relative_without_workdir::{CopyRelativeWithoutWorkdir, DL3045};
pub use dl3046_useradd_high_uid::{DL3046, UseraddHighUid};
pub use dl3047_wget_progress::{DL3047, WgetProgress};
pub use dl3048_invalid_label_key::{DL3048, InvalidLabelKey};
pub use dl3049_missing_required_label::{DL3049, MissingRequiredLabel};
pub use dl3050_superfluous_label::{DL3050, SuperfluousLabel};
pub use dl3051_empty_schema_label::{DL3051, EmptySchemaLabel};
pub use dl3052_invalid_url_label::{DL3052, InvalidUrlLabel};
pub use dl3053_invalid_rfc3339_label::{DL3053, InvalidRfc3339Label};
pub use dl3054_invalid_spdx_label::{DL3054, InvalidSpdxLabel};
pub use dl3055_invalid_hash_label::{DL3055, InvalidHashLabel};
pub use dl3056_invalid_semver_label::{DL3056, InvalidSemverLabel};
pub use dl3057_missing_healthcheck::{DL3057, MissingHealthcheck};
pub use dl3058_invalid_email_label::{DL3058, InvalidEmailLabel};
pub use dl3059_consecutive_runs::{ConsecutiveRuns, DL3059};
pub use dl3060_yarn_cache_not_cleaned::{DL3060, YarnCacheNotCleaned};
pub use dl3061_instruction_before_from::{DL3061, InstructionBeforeFrom};
pub use dl3062_go_pin::{DL3062, GoPin};
pub use dl3063_reserved_stage_name::{DL3063, ReservedStageName};
pub use dl3064_secret_in_arg_or_env::{DL3064, SecretInArgOrEnv};
pub use dl3065_redundant_target_platform::{DL3065, RedundantTargetPlatform};
pub use dl3066_non_numeric_user::{DL3066, NonNumericUser};
pub use dl3067_copy_whole_filesystem::{CopyWholeFilesystem, DL3067};
pub use dl4000_maintainer_deprecated::{DL4000, MaintainerDeprecated};
pub use dl4001_wget_and_curl::{DL4001, WgetAndCurl};
pub use dl4003_multiple_cmd::{DL4003, DL4004, MultipleCmd, MultipleEntrypoint};
pub use dl4005_ln_bin_sh::{DL4005, LnBinSh};
pub use dl4006_pipefail::{DL4006, PipeWithoutPipefail};

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigLayer};
    use crate::diagnostics::lint;
    use crate::rules::Origin;
    use crate::rules::registry::RULES;
    use crate::syntax::parse;

    /// The first ```dockerfile block after `marker` in a rule's docs.
    fn block_after(docs: &str, marker: &str) -> Option<String> {
        fenced_block(&docs[docs.find(marker)?..], "dockerfile")
    }

    /// The first fenced block of language `lang` in `text`.
    fn fenced_block(text: &str, lang: &str) -> Option<String> {
        let fence = format!("```{lang}\n");
        let start = text.find(&fence)? + fence.len();
        let end = text[start..].find("```")?;
        Some(text[start..start + end].to_string())
    }

    /// The `.hadolint.yaml` a rule's `## Options` section shows (the label schema its
    /// examples assume), if it shows one.
    fn options_yaml(docs: &str) -> Option<String> {
        let section = &docs[docs.find("## Options")?..];
        let section = match section[1..].find("\n## ") {
            Some(end) => &section[..end + 1],
            None => section,
        };
        fenced_block(section, "yaml")
    }

    /// Doc examples are tests: `## Example` produces the rule exactly once, `Use instead:`
    /// does not produce it.
    #[test]
    fn doc_examples() {
        let mut failures = Vec::new();
        for meta in RULES
            .iter()
            .filter(|e| e.new.is_some())
            .map(|e| e.meta)
            .filter(|m| m.origin == Origin::Hadolint)
        {
            let docs = meta.docs();
            // Select the rule (which turns on rules that are off by default) and give the
            // configurable ones a setting under which the example applies: trusted
            // registries for DL3026, and the `.hadolint.yaml` shown in `## Options` (the
            // label schema of DL3049–DL3058), so the docs state what their examples assume.
            let mut config = Config {
                select: Some(vec![meta.code.to_string()]),
                ..Config::default()
            };
            config.rule_options.trusted_registries = vec!["registry.example.com".to_string()];
            if let Some(yaml) = options_yaml(&docs) {
                match ConfigLayer::from_hadolint_yaml(&yaml) {
                    Ok((layer, unknown)) if unknown.is_empty() => config.apply(&layer),
                    Ok((_, unknown)) => failures.push(format!(
                        "{}: `## Options` YAML has unknown keys {unknown:?}",
                        meta.code
                    )),
                    Err(err) => failures.push(format!(
                        "{}: `## Options` YAML does not parse: {err}",
                        meta.code
                    )),
                }
            }
            let count = |text: &str| {
                lint(&parse(text), &config)
                    .iter()
                    .filter(|d| d.code == meta.code)
                    .count()
            };
            match block_after(&docs, "## Example") {
                Some(example) if count(&example) == 1 => {}
                Some(example) => failures.push(format!(
                    "{}: `## Example` gives {} findings:\n{example}",
                    meta.code,
                    count(&example)
                )),
                None => failures.push(format!("{}: no `## Example` block", meta.code)),
            }
            match block_after(&docs, "Use instead:") {
                Some(good) if count(&good) == 0 => {}
                Some(good) => failures.push(format!(
                    "{}: `Use instead:` gives {} findings:\n{good}",
                    meta.code,
                    count(&good)
                )),
                None => failures.push(format!("{}: no `Use instead:` block", meta.code)),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
