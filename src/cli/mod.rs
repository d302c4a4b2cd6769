//! The command line: `check`, `explain`, `lsp`. The only module that prints.

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "layerwise",
    version,
    about = "Dockerfile linter and language server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the Language Server Protocol over stdin/stdout.
    Lsp,
}

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Lsp => crate::lsp::run_stdio(),
    }
}
