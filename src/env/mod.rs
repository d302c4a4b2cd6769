//! Everything that touches the outside world: configuration files, the ShellCheck binary, and
//! later the build context and image data. The analysis modules never do IO; the adapters
//! (CLI, LSP) call in here and pass plain values on.

pub mod config_files;
pub mod shellcheck;
