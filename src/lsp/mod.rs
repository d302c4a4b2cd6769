//! The language server: the only module that knows the Language Server Protocol.
//!
//! [`run_stdio`] serves `layerwise lsp` over stdin/stdout; [`run`] serves any
//! [`lsp_server::Connection`], which is how tests and the replay benchmark drive the server in
//! memory. The work happens in `main_loop` (one ordered loop over a closed `Event` enum;
//! ShellCheck runs on a worker thread, `shellcheck_task`), documents live in `documents`, and
//! every conversion between our byte offsets and protocol positions sits in `from_proto` /
//! `to_proto`. This module does not analyse anything itself:
//! it calls [`crate::syntax::parse`] and [`crate::diagnostics::lint`] and converts the result.
//! It writes logs to stderr only (stdout carries the protocol) and never logs document text.

mod capabilities;
mod documents;
mod from_proto;
mod handlers;
pub(crate) mod log;
mod main_loop;
mod shellcheck_task;
mod to_proto;
mod transport;
mod workspace_config;

pub mod ext;

pub use lsp_server::Connection;

use log::log_error;

/// Serves LSP over stdin/stdout until `exit`. Returns the process exit code: 0 when `exit`
/// followed `shutdown`, 1 otherwise (as the protocol asks).
pub fn run_stdio() -> i32 {
    log::install_panic_hook();
    let (connection, writer) = transport::stdio();
    let code = run(connection);
    // Every response must reach the client before the process exits.
    if writer.join().is_err() {
        log_error!("the stdout writer thread panicked");
    }
    code
}

/// Serves LSP over `connection` until `exit` (or until the client disconnects). Returns the
/// exit code the process should end with.
pub fn run(connection: Connection) -> i32 {
    main_loop::serve(connection)
}
