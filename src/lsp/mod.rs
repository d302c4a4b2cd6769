//! The language server: the only module that knows the LSP protocol.
//!
//! (Being written on the `lsp` branch; this placeholder only fixes the entry point's name.)

/// Serves LSP over stdin/stdout until `exit`. Returns the process exit code.
pub fn run_stdio() -> i32 {
    eprintln!("layerwise lsp: not built yet");
    2
}
