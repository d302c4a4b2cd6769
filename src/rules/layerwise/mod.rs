//! layerwise's own rules: `LW1xxx` best practice and `LW9xxx` meta rules about the file's
//! suppression comments, one rule per file.

mod lw1006_dockerignore_missing;
mod lw9001_unknown_code_in_pragma;
mod lw9002_unused_suppression;

pub use lw1006_dockerignore_missing::{DockerignoreMissing, LW1006};
pub use lw9001_unknown_code_in_pragma::LW9001;
pub use lw9002_unused_suppression::LW9002;
