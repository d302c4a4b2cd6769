//! layerwise's own rules: `LW1xxx` best practice and `LW9xxx` meta rules about the file's
//! suppression comments, one rule per file.

mod lw1001_root_final_stage;
mod lw1002_toolchain_in_final_image;
mod lw1003_cache_busting_copy_order;
mod lw1004_chown_after_copy;
mod lw1005_heavy_base_image;
mod lw1006_dockerignore_missing;
mod lw1007_multiple_processes;
mod lw1010_wasted_layer_bytes;
mod lw9001_unknown_code_in_pragma;
mod lw9002_unused_suppression;
mod util;

pub use lw1001_root_final_stage::{LW1001, RootFinalStage};
pub use lw1002_toolchain_in_final_image::{LW1002, ToolchainInFinalImage};
pub use lw1003_cache_busting_copy_order::{CacheBustingCopyOrder, LW1003};
pub use lw1004_chown_after_copy::{ChownAfterCopy, LW1004};
pub use lw1005_heavy_base_image::{HeavyBaseImage, LW1005};
pub use lw1006_dockerignore_missing::{DockerignoreMissing, LW1006};
pub use lw1007_multiple_processes::{LW1007, MultipleProcesses};
pub use lw1010_wasted_layer_bytes::{LW1010, WastedLayerBytes};
pub use lw9001_unknown_code_in_pragma::LW9001;
pub use lw9002_unused_suppression::LW9002;
