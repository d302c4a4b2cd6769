//! hadolint's DL rules, under their codes and default severities, one rule per file.

mod dl3000_relative_workdir;
mod dl3003_cd_instead_of_workdir;
mod dl3004_sudo;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3008_apt_get_pin;
mod dl3009_apt_lists_not_deleted;
mod dl3014_apt_get_yes;
mod dl3015_apt_get_recommends;
mod dl3025_json_args;
mod dl3027_apt;
mod dl3059_consecutive_runs;
mod dl3061_instruction_before_from;
mod dl4000_maintainer_deprecated;
mod dl4006_pipefail;
mod util;

pub use dl3000_relative_workdir::{DL3000, RelativeWorkdir};
pub use dl3003_cd_instead_of_workdir::{CdInsteadOfWorkdir, DL3003};
pub use dl3004_sudo::{DL3004, Sudo};
pub use dl3006_untagged_image::{DL3006, UntaggedImage};
pub use dl3007_latest_tag::{DL3007, LatestTag};
pub use dl3008_apt_get_pin::{AptGetPin, DL3008};
pub use dl3009_apt_lists_not_deleted::{AptListsNotDeleted, DL3009};
pub use dl3014_apt_get_yes::{AptGetYes, DL3014};
pub use dl3015_apt_get_recommends::{AptGetRecommends, DL3015};
pub use dl3025_json_args::{DL3025, JsonArgs};
pub use dl3027_apt::{Apt, DL3027};
pub use dl3059_consecutive_runs::{ConsecutiveRuns, DL3059};
pub use dl3061_instruction_before_from::{DL3061, InstructionBeforeFrom};
pub use dl4000_maintainer_deprecated::{DL4000, MaintainerDeprecated};
pub use dl4006_pipefail::{DL4006, PipeWithoutPipefail};
