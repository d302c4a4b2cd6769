//! hadolint's DL rules, under their codes and default severities, one rule per file.

mod dl3000_relative_workdir;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3061_instruction_before_from;
mod dl4000_maintainer_deprecated;

pub use dl3000_relative_workdir::{DL3000, RelativeWorkdir};
pub use dl3006_untagged_image::{DL3006, UntaggedImage};
pub use dl3007_latest_tag::{DL3007, LatestTag};
pub use dl3061_instruction_before_from::{DL3061, InstructionBeforeFrom};
pub use dl4000_maintainer_deprecated::{DL4000, MaintainerDeprecated};
