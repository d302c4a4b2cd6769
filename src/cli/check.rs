//! `layerwise check`: lint files, print findings, exit 0/1/2.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use rowan::{TextRange, TextSize};

use super::format::{self, FileReport};
use super::source::{expand_paths, read_source};
use super::{OutputFormat, exit};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, lint};
use crate::rules::{Severity, registry};
use crate::syntax::{parse, validation::codes};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint (`-` reads standard input). Directories are searched for
    /// Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile. Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value = "tty")]
    pub format: OutputFormat,

    /// Exit with 1 when a finding is at or above this level: error, warning, info, style,
    /// or none (never fail).
    #[arg(short = 't', long = "failure-threshold", default_value = "info", value_parser = parse_threshold)]
    pub failure_threshold: Threshold,

    /// Always exit 0 when the files could be read, whatever was found.
    #[arg(long)]
    pub no_fail: bool,

    /// Do not report this rule (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Disable colours (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}

/// A failure threshold; `None` never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold(pub Option<Severity>);

fn parse_threshold(text: &str) -> Result<Threshold, String> {
    match text.to_ascii_lowercase().as_str() {
        "none" | "ignore" => Ok(Threshold(None)),
        other => Severity::parse(other)
            .map(|s| Threshold(Some(s)))
            .ok_or_else(|| {
                format!("`{text}` is not a level: use error, warning, info, style or none")
            }),
    }
}

pub fn run(args: &CheckArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut stderr = std::io::stderr().lock();
    for code in &args.ignore {
        if registry::find(code).is_none() && !code.to_ascii_uppercase().starts_with("SC") {
            let _ = writeln!(
                stderr,
                "layerwise: warning: `--ignore {code}`: no rule has this code"
            );
        }
    }
    let files = match expand_paths(&paths) {
        Ok(files) => files,
        Err(message) => {
            let _ = writeln!(stderr, "layerwise: error: {message}");
            return exit::ERROR;
        }
    };
    if files.is_empty() {
        let _ = writeln!(
            stderr,
            "layerwise: error: no Dockerfile found in {}",
            display_paths(&paths)
        );
        return exit::ERROR;
    }
    let config = Config {
        ignored: args.ignore.clone(),
        failure_threshold: args.failure_threshold.0,
        ..Config::default()
    };

    let results = lint_in_parallel(&files, &config);
    let mut io_error = false;
    let mut reports = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(message) => {
                io_error = true;
                let _ = writeln!(stderr, "layerwise: error: {message}");
            }
        }
    }

    let colour = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let rendered = match args.format {
        OutputFormat::Tty => format::tty::render(&reports, colour),
        OutputFormat::Json => format::json::render(&reports),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(rendered.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // A closed pipe (`| head`) is not an error worth reporting.
        return if io_error { exit::ERROR } else { exit::CLEAN };
    }

    if io_error {
        return exit::ERROR;
    }
    let failed = match config.failure_threshold {
        Some(threshold) => reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= threshold),
        None => false,
    };
    if failed && !args.no_fail {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lints files on all cores, keeping the input order.
fn lint_in_parallel(files: &[PathBuf], config: &Config) -> Vec<Result<FileReport, String>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    if workers == 1 {
        return files.iter().map(|f| lint_file(f, config)).collect();
    }
    let chunk = files.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| lint_file(f, config))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("internal error while linting".to_string())])
            })
            .collect()
    })
}

fn lint_file(path: &std::path::Path, config: &Config) -> Result<FileReport, String> {
    let source = read_source(path)?;
    let parsed = parse(&source.text);
    let mut diagnostics = lint(&parsed, config);
    if source.lossy
        && let Some(meta) = registry::find(codes::INVALID_UTF8)
        && config.is_enabled(meta)
    {
        let offset = source.text.find('\u{fffd}').unwrap_or(0);
        let range = TextRange::at(TextSize::new(offset as u32), TextSize::of('\u{fffd}'));
        diagnostics.insert(
            0,
            Diagnostic::new(
                meta,
                range,
                "the file is not valid UTF-8; invalid bytes were replaced",
            ),
        );
    }
    Ok(FileReport::new(source.name, source.text, diagnostics))
}
