//! Everything that touches the outside world: configuration files, the ShellCheck binary, the
//! build context on disk, and later image data. The analysis modules never do IO; the adapters
//! (CLI, LSP) call in here and pass plain values on.

pub mod config_files;
pub mod context;
pub mod shellcheck;
