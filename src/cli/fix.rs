//! `layerwise fix`: apply fixes in place (or print them as a diff), then report what remains.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::exit;
use super::format::{self, FileReport};
use super::source::{expand_paths, read_source};
use crate::config::{Config, ConfigLayer};
use crate::diagnostics::lint;
use crate::env::config_files;
use crate::fixes::fix_all;
use crate::syntax::parse;

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Files or directories to fix (`-` reads standard input and writes the result to standard
    /// output). Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// Also apply unsafe fixes (they may change what the image contains or how it behaves).
    #[arg(long = "unsafe")]
    pub include_unsafe: bool,

    /// Print a unified diff of the changes instead of writing the files.
    #[arg(long)]
    pub diff: bool,

    /// Only fix these rules (repeatable).
    #[arg(long = "select", value_name = "CODE")]
    pub select: Vec<String>,

    /// Never fix (nor report) these rules (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Use this configuration file instead of searching for `.hadolint.yaml`.
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &FixArgs) -> i32 {
    let mut stderr = std::io::stderr().lock();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = match expand_paths(&paths) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => {
            let _ = writeln!(stderr, "layerwise: error: no Dockerfile found");
            return exit::ERROR;
        }
        Err(message) => {
            let _ = writeln!(stderr, "layerwise: error: {message}");
            return exit::ERROR;
        }
    };
    let env_layer = match ConfigLayer::from_env(|name| std::env::var(name).ok()) {
        Ok(layer) => layer,
        Err(err) => {
            let _ = writeln!(stderr, "layerwise: error: {err}");
            return exit::ERROR;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);

    let mut io_error = false;
    let mut reports = Vec::new();
    let mut n_fixed = 0;
    let mut n_files_changed = 0;
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        let config = match config_for(
            args,
            file,
            &env_layer,
            &cwd,
            home.as_deref(),
            xdg.as_deref(),
        ) {
            Ok(config) => config,
            Err(message) => {
                let _ = writeln!(stderr, "layerwise: error: {message}");
                return exit::ERROR;
            }
        };
        let source = match read_source(file) {
            Ok(source) => source,
            Err(message) => {
                io_error = true;
                let _ = writeln!(stderr, "layerwise: error: {message}");
                continue;
            }
        };
        if source.lossy {
            let _ = writeln!(
                stderr,
                "layerwise: {}: not valid UTF-8; not fixed",
                source.name
            );
            continue;
        }
        let outcome = fix_all(&source.text, &config, args.include_unsafe);
        n_fixed += outcome.applied;
        if !outcome.converged {
            let _ = writeln!(
                stderr,
                "layerwise: {}: fixes did not converge; the rest is left as is",
                source.name
            );
        }
        let changed = outcome.text != source.text;
        n_files_changed += usize::from(changed);
        if source.name == "-" {
            let _ = stdout.write_all(outcome.text.as_bytes());
        } else if args.diff {
            if changed {
                let diff = similar::TextDiff::from_lines(&source.text, &outcome.text);
                let (header_old, header_new) = if source.name.starts_with('/') {
                    (source.name.clone(), source.name.clone())
                } else {
                    (format!("a/{}", source.name), format!("b/{}", source.name))
                };
                let _ = write!(
                    stdout,
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&header_old, &header_new)
                );
            }
        } else if changed && let Err(err) = std::fs::write(file, &outcome.text) {
            io_error = true;
            let _ = writeln!(stderr, "layerwise: error: {}: {err}", file.display());
            continue;
        }
        let remaining = lint(&parse(&outcome.text), &config);
        reports.push((
            FileReport::new(source.name.clone(), outcome.text, remaining),
            config,
        ));
    }

    let verb = if args.diff { "Would fix" } else { "Fixed" };
    let _ = writeln!(
        stderr,
        "{verb} {n_fixed} problem{} in {n_files_changed} file{}.",
        if n_fixed == 1 { "" } else { "s" },
        if n_files_changed == 1 { "" } else { "s" }
    );
    // What is left, in the terminal format, unless stdout carries the fixed text or the diff.
    let writes_stdout = args.diff || files.iter().any(|f| f.as_os_str() == "-");
    let failed = reports.iter().any(|(r, config)| {
        config
            .failure_threshold
            .is_some_and(|t| r.diagnostics.iter().any(|d| d.severity >= t))
    });
    if !writes_stdout {
        let only: Vec<FileReport> = reports.into_iter().map(|(r, _)| r).collect();
        let _ = stdout.write_all(format::tty::render(&only, false).as_bytes());
    }
    if io_error {
        exit::ERROR
    } else if failed {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// The configuration for one file: environment, then the nearest `.hadolint.yaml` (or `-c`),
/// then the command line.
fn config_for(
    args: &FixArgs,
    file: &std::path::Path,
    env_layer: &ConfigLayer,
    cwd: &std::path::Path,
    home: Option<&std::path::Path>,
    xdg: Option<&std::path::Path>,
) -> Result<Config, String> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => {
            let absolute = if file.is_absolute() {
                file.to_path_buf()
            } else {
                cwd.join(file)
            };
            let dir = absolute
                .parent()
                .map_or_else(|| cwd.to_path_buf(), std::path::Path::to_path_buf);
            let root = if dir.starts_with(cwd) {
                cwd.to_path_buf()
            } else {
                dir.clone()
            };
            config_files::discover(&dir, &root, cwd, home, xdg)
        }
    };
    let mut config = Config::default();
    config.apply(env_layer);
    if let Some(path) = path {
        let (layer, _) = config_files::read(&path)?;
        config.apply(&layer);
    }
    config.ignored.extend(args.ignore.iter().cloned());
    if !args.select.is_empty() {
        config.select = Some(args.select.clone());
    }
    Ok(config)
}
