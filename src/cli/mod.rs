//! The command line: `check`, `explain`, `lsp`. The only module that prints.
//!
//! Each subcommand lives in its own file and returns an exit code; this file only parses
//! arguments and dispatches. Analysis is done by the library (`syntax`, `diagnostics`); the CLI
//! reads files, formats results and decides the exit code.

mod check;
mod explain;
mod fix;
pub mod format;
mod source;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use source::{SourceFile, is_dockerfile_name};

const AFTER_HELP: &str = "\
Examples:
  layerwise check Dockerfile             lint one file
  layerwise check .                      lint every Dockerfile under the current directory
  cat Dockerfile | layerwise check -     lint standard input
  layerwise check -f json Dockerfile     hadolint-compatible JSON (with end positions)
  layerwise fix Dockerfile               apply the safe fixes, then report what remains
  layerwise fix --diff --unsafe .        show every fix as a diff, unsafe ones included
  layerwise explain DL3006               what a rule checks, and why
  layerwise lsp                          serve the Language Server Protocol on stdio";

#[derive(Parser, Debug)]
#[command(name = "layerwise", version, about = "Dockerfile linter and language server", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles and report problems (exit 1 when a finding reaches the threshold).
    Check(Box<check::CheckArgs>),
    /// Apply fixes in place (safe ones unless --unsafe), then report what remains.
    Fix(Box<fix::FixArgs>),
    /// Print a rule's documentation, or list all rules when no code is given.
    Explain(explain::ExplainArgs),
    /// Serve the Language Server Protocol over stdin/stdout.
    Lsp(LspArgs),
}

/// `layerwise lsp` options.
#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted for editors that always pass it (stdio is the only transport).
    #[arg(long)]
    pub stdio: bool,
}

/// Exit codes, as hadolint's: 0 clean, 1 findings at or above the threshold, 2 usage or IO error.
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const ERROR: i32 = 2;
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
            let _ = err.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Lsp(_) => crate::lsp::run_stdio(),
    }
}

/// Allows `fn main() -> ExitCode` callers.
pub fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
