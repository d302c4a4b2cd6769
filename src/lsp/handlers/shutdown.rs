//! `shutdown`: remember it, so that `exit` ends the process with code 0. Accepts `params: null`,
//! absent params and `{}` alike (Eglot sends `null`).
//!
//! It does not stop the loop: the client sends `exit` next, and requests in between are
//! refused by the main loop.

use crate::lsp::log::log_info;
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(server: &mut Server, (): ()) -> Result<(), LspError> {
    log_info!("shutdown requested");
    server.shutdown_requested = true;
    Ok(())
}
