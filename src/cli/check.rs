//! `layerwise check`: lint files, print findings, exit 0/1/2.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use rowan::{TextRange, TextSize};

use super::exit;
use super::format::{self, FileReport, FormatOptions};
use super::source::{expand_paths, read_source};
use crate::config::{Config, ConfigLayer, parse_required_label, parse_threshold};
use crate::diagnostics::{
    Diagnostic, filter_external, lint_with_model_and_context, merge, shellcheck_wanted,
};
use crate::env::config_files;
use crate::env::context::BuildContext;
use crate::env::shellcheck::{Setting, ShellCheck};
use crate::rules::{Severity, registry};
use crate::semantic::Model;
use crate::semantic::context::{ContextFacts, IgnoreState};
use crate::shell::shellcheck;
use crate::syntax::{parse, validation::codes};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint (`-` reads standard input). Directories are searched for
    /// Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile. Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// Output format: tty, json, sarif, checkstyle, codeclimate, gitlab_codeclimate, gnu, junit,
    /// sonarqube, codacy (repeatable; pairs with --output in order).
    #[arg(short = 'f', long = "format", value_name = "FORMAT")]
    pub formats: Vec<String>,

    /// Write a format's output to this file instead of stdout (`-` is stdout; repeatable, paired
    /// with --format in order).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub outputs: Vec<PathBuf>,

    /// Use this configuration file instead of searching for `.hadolint.yaml`.
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with 1 when a finding is at or above this level: error, warning, info, style,
    /// or none (never fail). Default: info.
    #[arg(short = 't', long = "failure-threshold", value_name = "LEVEL")]
    pub failure_threshold: Option<String>,

    /// Always exit 0 when the files could be read, whatever was found.
    #[arg(long)]
    pub no_fail: bool,

    /// Do not report this rule (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Report this rule as an error (repeatable); likewise --warning, --info, --style.
    #[arg(long = "error", value_name = "CODE")]
    pub error: Vec<String>,

    #[arg(
        long = "warning",
        value_name = "CODE",
        help = "Report this rule as a warning (repeatable)"
    )]
    pub warning: Vec<String>,

    #[arg(
        long = "info",
        value_name = "CODE",
        help = "Report this rule as info (repeatable)"
    )]
    pub info: Vec<String>,

    #[arg(
        long = "style",
        value_name = "CODE",
        help = "Report this rule as style (repeatable)"
    )]
    pub style: Vec<String>,

    /// Only accept images from this registry (DL3026; repeatable).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registries: Vec<String>,

    /// Require this label, `name:type` with type text, url, semver, hash, rfc3339, spdx or
    /// email (repeatable).
    #[arg(long = "require-label", value_name = "NAME:TYPE")]
    pub require_labels: Vec<String>,

    /// Report labels that are not in the label schema.
    #[arg(long)]
    pub strict_labels: bool,

    /// Ignore `# hadolint ignore=` and `# layerwise ignore=` comments.
    #[arg(long)]
    pub disable_ignore_pragma: bool,

    /// Use this path instead of the real one in checkstyle, codeclimate, gitlab_codeclimate,
    /// sonarqube and junit reports.
    #[arg(long, value_name = "PATH")]
    pub file_path_in_report: Option<String>,

    /// Disable colours (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    pub no_color: bool,

    /// Say which configuration file applies to each Dockerfile.
    #[arg(short = 'V', long)]
    pub verbose: bool,

    /// Report ShellCheck's findings (SC codes) on RUN commands: `auto` uses `shellcheck` from
    /// PATH when there is one, `off` never runs it, anything else is the binary's path.
    #[arg(long, value_name = "auto|off|PATH", default_value = "auto")]
    pub shellcheck: String,

    /// The build context, for the checks that look at it (CopyIgnoredFile, LW1006). Default:
    /// each Dockerfile's own directory; standard input has none unless this is given.
    #[arg(long = "context", value_name = "DIR")]
    pub context: Option<PathBuf>,
}

/// The settings that come from the command line, as a configuration layer.
fn cli_layer(args: &CheckArgs) -> Result<ConfigLayer, String> {
    let mut layer = ConfigLayer {
        ignored: args.ignore.clone(),
        trusted_registries: args.trusted_registries.clone(),
        formats: args.formats.clone(),
        strict_labels: args.strict_labels.then_some(true),
        disable_ignore_pragma: args.disable_ignore_pragma.then_some(true),
        no_fail: args.no_fail.then_some(true),
        no_color: args.no_color.then_some(true),
        verbose: args.verbose.then_some(true),
        ..ConfigLayer::default()
    };
    for (codes, severity) in [
        (&args.error, Severity::Error),
        (&args.warning, Severity::Warning),
        (&args.info, Severity::Info),
        (&args.style, Severity::Style),
    ] {
        layer
            .overrides
            .extend(codes.iter().map(|c| (c.clone(), severity)));
    }
    if let Some(text) = &args.failure_threshold {
        layer.failure_threshold = Some(parse_threshold(text).ok_or_else(|| {
            format!("`{text}` is not a level: use error, warning, info, style or none")
        })?);
    }
    for label in &args.require_labels {
        layer
            .label_schema
            .push(parse_required_label(label).map_err(|e| e.to_string())?);
    }
    Ok(layer)
}

/// Output settings after all layers.
struct Output {
    formats: Vec<String>,
    no_fail: bool,
    colour: bool,
    verbose: bool,
}

pub fn run(args: &CheckArgs) -> i32 {
    let mut stderr = std::io::stderr().lock();
    match run_inner(args, &mut stderr) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(stderr, "layerwise: error: {message}");
            exit::ERROR
        }
    }
}

fn run_inner(args: &CheckArgs, stderr: &mut impl Write) -> Result<i32, String> {
    let env_layer =
        ConfigLayer::from_env(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
    let cli = cli_layer(args)?;
    for code in args
        .ignore
        .iter()
        .chain(&args.error)
        .chain(&args.warning)
        .chain(&args.info)
        .chain(&args.style)
    {
        if registry::find(code).is_none() && !code.to_ascii_uppercase().starts_with("SC") {
            let _ = writeln!(
                stderr,
                "layerwise: warning: `{code}`: no rule has this code"
            );
        }
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = expand_paths(&paths)?;
    if files.is_empty() {
        return Err(format!("no Dockerfile found in {}", display_paths(&paths)));
    }

    // One configuration per configuration file, shared by the Dockerfiles it applies to.
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
    let mut file_layers: HashMap<Option<PathBuf>, ConfigLayer> = HashMap::new();
    let mut jobs: Vec<(PathBuf, Option<PathBuf>)> = Vec::with_capacity(files.len());
    for file in files {
        let config_path = match &args.config {
            Some(path) => Some(path.clone()),
            None => {
                let dir = if file.as_os_str() == "-" {
                    cwd.clone()
                } else {
                    absolute_dir(&cwd, &file)
                };
                let root = if dir.starts_with(&cwd) {
                    cwd.clone()
                } else {
                    dir.clone()
                };
                config_files::discover(&dir, &root, &cwd, home.as_deref(), xdg.as_deref())
            }
        };
        if let std::collections::hash_map::Entry::Vacant(entry) =
            file_layers.entry(config_path.clone())
        {
            let layer = match &config_path {
                Some(path) => {
                    let (layer, warnings) = config_files::read(path)?;
                    for warning in warnings {
                        let _ = writeln!(stderr, "layerwise: warning: {warning}");
                    }
                    layer
                }
                None => ConfigLayer::default(),
            };
            entry.insert(layer);
        }
        if args.verbose || env_layer.verbose == Some(true) {
            let used = config_path
                .as_ref()
                .map_or("no configuration file".to_string(), |p| {
                    p.display().to_string()
                });
            let _ = writeln!(stderr, "layerwise: {}: {used}", file.display());
        }
        jobs.push((file, config_path));
    }

    let configs: HashMap<Option<PathBuf>, (Config, Output)> = file_layers
        .iter()
        .map(|(key, file_layer)| {
            let mut config = Config::default();
            let mut output = Output {
                formats: Vec::new(),
                no_fail: false,
                colour: true,
                verbose: false,
            };
            for layer in [&env_layer, file_layer, &cli] {
                config.apply(layer);
                if !layer.formats.is_empty() {
                    output.formats = layer.formats.clone();
                }
                output.no_fail = layer.no_fail.unwrap_or(output.no_fail);
                output.colour = !layer.no_color.unwrap_or(!output.colour);
                output.verbose = layer.verbose.unwrap_or(output.verbose);
            }
            (key.clone(), (config, output))
        })
        .collect();

    let contexts = build_contexts(&jobs, args.context.as_deref(), &cwd)?;
    let shellcheck = ShellCheck::locate(&Setting::parse(&args.shellcheck))?;
    let verbose = args.verbose || env_layer.verbose == Some(true);
    let results = lint_in_parallel(&jobs, &contexts, &configs, shellcheck.as_ref(), verbose);
    let mut io_error = false;
    let mut reports = Vec::with_capacity(results.len());
    let mut failed = false;
    for ((_, config_key), result) in jobs.iter().zip(results) {
        match result {
            Ok((report, warnings)) => {
                for warning in warnings {
                    let _ = writeln!(stderr, "layerwise: warning: {warning}");
                }
                let (config, output) = &configs[config_key];
                let threshold_hit = config
                    .failure_threshold
                    .is_some_and(|t| report.diagnostics.iter().any(|d| d.severity >= t));
                failed |= threshold_hit && !output.no_fail;
                reports.push(report);
            }
            Err(message) => {
                io_error = true;
                let _ = writeln!(stderr, "layerwise: error: {message}");
            }
        }
    }

    // Output settings come from the first file's configuration (hadolint has one global one).
    let output = jobs
        .first()
        .and_then(|(_, key)| configs.get(key))
        .map(|(_, o)| o);
    let formats = match output.map(|o| o.formats.clone()).filter(|f| !f.is_empty()) {
        Some(formats) => formats,
        None => vec!["tty".to_string()],
    };
    let colour_allowed = output.is_none_or(|o| o.colour)
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut always_zero = false;
    for (idx, format) in formats.iter().enumerate() {
        let target = args.outputs.get(idx).filter(|p| p.as_os_str() != "-");
        let colour = colour_allowed && target.is_none() && std::io::stdout().is_terminal();
        let rendered = render_format(
            format,
            &reports,
            colour,
            args.file_path_in_report.as_deref(),
        )?;
        always_zero |= matches!(format.as_str(), "codeclimate" | "codacy");
        match target {
            Some(path) => {
                std::fs::write(path, rendered).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => {
                let mut stdout = std::io::stdout().lock();
                if stdout
                    .write_all(rendered.as_bytes())
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    // A closed pipe (`| head`) is not an error worth reporting.
                    return Ok(if io_error { exit::ERROR } else { exit::CLEAN });
                }
            }
        }
    }

    if io_error {
        return Ok(exit::ERROR);
    }
    Ok(if failed && !always_zero {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

/// Renders one format; an unknown name is a usage error listing the known ones.
fn render_format(
    format: &str,
    reports: &[FileReport],
    colour: bool,
    file_path_in_report: Option<&str>,
) -> Result<String, String> {
    let opts = FormatOptions {
        file_path_in_report: file_path_in_report.map(String::from),
    };
    let rendered = match format.to_ascii_lowercase().replace('-', "_").as_str() {
        "tty" => format::tty::render(reports, colour),
        "json" => format::json::render(reports),
        "sarif" => format::sarif::render(reports, &opts),
        "checkstyle" => format::checkstyle::render(reports, &opts),
        "codeclimate" => format::codeclimate::render(reports, &opts),
        "gitlab_codeclimate" => format::gitlab_codeclimate::render(reports, &opts),
        "gnu" => format::gnu::render(reports, &opts),
        "junit" => format::junit::render(reports, &opts),
        "sonarqube" => format::sonarqube::render(reports, &opts),
        "codacy" => format::codacy::render(reports, &opts),
        other => {
            return Err(format!(
                "unknown format `{other}`: use one of {}",
                FORMATS.join(", ")
            ));
        }
    };
    Ok(rendered)
}

/// The formats `--format` accepts.
pub const FORMATS: &[&str] = &[
    "tty",
    "json",
    "sarif",
    "checkstyle",
    "codeclimate",
    "gitlab_codeclimate",
    "gnu",
    "junit",
    "sonarqube",
    "codacy",
];

fn absolute_dir(cwd: &Path, file: &Path) -> PathBuf {
    let absolute = if file.is_absolute() {
        file.to_path_buf()
    } else {
        cwd.join(file)
    };
    absolute
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The build context of each job: `--context DIR` for all, or each Dockerfile's directory
/// (none for standard input without `--context`). Dockerfiles that share a directory and an
/// ignore file share one context, listed once.
fn build_contexts(
    jobs: &[Job],
    context_arg: Option<&Path>,
    cwd: &Path,
) -> Result<Vec<Option<Arc<BuildContext>>>, String> {
    if let Some(dir) = context_arg
        && !dir.is_dir()
    {
        return Err(format!("--context {}: not a directory", dir.display()));
    }
    let mut shared: HashMap<(PathBuf, Option<PathBuf>), Arc<BuildContext>> = HashMap::new();
    let mut out = Vec::with_capacity(jobs.len());
    for (file, _) in jobs {
        let stdin = file.as_os_str() == "-";
        let root = match context_arg {
            Some(dir) => dir.to_path_buf(),
            None if stdin => {
                out.push(None);
                continue;
            }
            None => absolute_dir(cwd, file),
        };
        let mut context = BuildContext::new(root.clone());
        if !stdin {
            context = context.with_dockerfile(file.clone());
        }
        let key = (root, context.ignore_file_path());
        let context = shared.entry(key).or_insert_with(|| Arc::new(context));
        out.push(Some(context.clone()));
    }
    Ok(out)
}

/// A file's findings and the warnings to print about it.
type Linted = Result<(FileReport, Vec<String>), String>;

/// A Dockerfile and the key of its configuration.
type Job = (PathBuf, Option<PathBuf>);

/// Lints files on all cores, keeping the input order.
fn lint_in_parallel(
    jobs: &[Job],
    contexts: &[Option<Arc<BuildContext>>],
    configs: &HashMap<Option<PathBuf>, (Config, Output)>,
    shellcheck: Option<&ShellCheck>,
    verbose: bool,
) -> Vec<Linted> {
    let indices: Vec<usize> = (0..jobs.len()).collect();
    let lint_one = |idx: &usize| {
        let (file, key) = &jobs[*idx];
        let context = contexts.get(*idx).and_then(Option::as_deref);
        match configs.get(key) {
            Some((config, _)) => lint_file(file, context, config, shellcheck, verbose),
            None => Err(format!("{}: no configuration", file.display())),
        }
    };
    let jobs = indices;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    if workers == 1 {
        return jobs.iter().map(lint_one).collect();
    }
    let chunk = jobs.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(lint_one).collect::<Vec<_>>()))
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

fn lint_file(
    path: &Path,
    context: Option<&BuildContext>,
    config: &Config,
    shellcheck: Option<&ShellCheck>,
    verbose: bool,
) -> Linted {
    let source = read_source(path)?;
    let parsed = parse(&source.text);
    let model = Model::new(&parsed.tree());
    let mut warnings = Vec::new();
    let facts = context.map(BuildContext::facts);
    let mut diagnostics = lint_with_model_and_context(
        &parsed,
        &model,
        config,
        facts.as_ref().map(|f| f as &dyn ContextFacts),
    );
    if let (Some(context), Some(facts)) = (context, &facts) {
        context_warnings(context, facts, verbose, &mut warnings);
    }
    if let Some(shellcheck) = shellcheck.filter(|_| shellcheck_wanted(config)) {
        let external = run_shellcheck(shellcheck, &parsed, &model, &source.text, &mut warnings);
        let external = filter_external(external, &model, config);
        diagnostics = merge(diagnostics, external);
        for warning in &mut warnings {
            *warning = format!("{}: {warning}", source.name);
        }
    }
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
    Ok((
        FileReport::new(source.name, source.text, diagnostics),
        warnings,
    ))
}

/// What the user should know about the build context the checks looked at: an ignore file
/// Docker would reject (the build fails on it), and with `--verbose` what the listing left
/// out. Nothing when no check needed the context.
fn context_warnings(
    context: &BuildContext,
    facts: &crate::env::context::LazyFacts<'_>,
    verbose: bool,
    warnings: &mut Vec<String>,
) {
    if let Some(IgnoreState::Invalid { name, error }) = facts.ignore_read() {
        warnings.push(format!(
            "{}: {name}: {error}; Docker rejects this file, so the build fails",
            context.root().display()
        ));
    }
    if verbose && let Some(index) = facts.index_read() {
        if index.n_unreadable > 0 {
            warnings.push(format!(
                "build context {}: {} unreadable files or directories left out",
                context.root().display(),
                index.n_unreadable
            ));
        }
        if !index.is_complete() {
            warnings.push(format!(
                "build context {}: too many entries, listed in part",
                context.root().display()
            ));
        }
    }
}

/// ShellCheck's findings on every RUN of a file, the RUNs checked in parallel. A run that
/// fails (a time-out, a crash) becomes a warning; the file's other findings still count.
fn run_shellcheck(
    shellcheck: &ShellCheck,
    parsed: &crate::syntax::Parse,
    model: &Model,
    text: &str,
    warnings: &mut Vec<String>,
) -> Vec<Diagnostic> {
    let prepared = shellcheck::prepare(parsed, model);
    let jobs: Vec<&shellcheck::Job> = prepared.iter().map(|p| &p.job).collect();
    let outcomes = shellcheck.check_all(&jobs);
    let mut external = Vec::new();
    for (prepared, outcome) in prepared.iter().zip(outcomes) {
        match outcome {
            Ok(comments) => external.extend(shellcheck::diagnostics(prepared, &comments)),
            Err(message) => {
                let offset = usize::from(prepared.instruction_range.start()).min(text.len());
                let line = text[..offset].matches('\n').count() + 1;
                warnings.push(format!("line {line}: ShellCheck was not run: {message}"));
            }
        }
    }
    external
}
