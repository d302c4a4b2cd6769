//! One file per protocol method, plus `diagnostics` (what `publishDiagnostics` carries).
//!
//! Handlers take the server's state and typed params and return a result; routing,
//! `catch_unwind`, cancellation and replying are the main loop's business, not theirs.

pub(crate) mod code_action;
pub(crate) mod debug_text;
pub(crate) mod diagnostics;
pub(crate) mod did_change;
pub(crate) mod did_close;
pub(crate) mod did_open;
pub(crate) mod did_save;
pub(crate) mod shutdown;
