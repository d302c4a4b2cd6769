//! LW1010: files added in one layer and removed in a later one.

use rowan::TextRange;

use super::util::{
    basename, changes_directory_before, copy_paths, copy_target, expand_shell_word, in_final_image,
    initial_workdir, is_remote, is_whole_context, is_windows_stage, is_within, next_workdir,
    removal_covers, resolve_path, variable_value,
};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::hadolint::util::{
    APK_FLAGS_WITH_VALUES, has_flag, is_subcommand, pip_install, positional_args, rpm_action,
};
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a command that removes, in a later RUN, what an earlier layer of the same image
    /// added, which frees no space.
    ///
    /// It knows:
    /// - `rm` of a file or directory that a `COPY`/`ADD` put there (an archive copied in and
    ///   unpacked later, a copied source tree, a `.git` directory copied with the context) or
    ///   that an earlier RUN downloaded (`curl -o`, `wget`, `git clone`) or unpacked;
    /// - `rm -rf /var/lib/apt/lists/*` in a later RUN than the `apt-get update` that filled
    ///   them;
    /// - `pip cache purge`, `npm cache clean`, `yarn cache clean`, `yum`/`dnf clean all`,
    ///   `apk cache clean` (or an `rm` of those caches) in a later RUN than the install that
    ///   filled the cache.
    ///
    /// ## Why is this bad?
    /// An image is a stack of layers, and a layer only records what changed. Removing a file
    /// in a later layer adds a "whiteout" entry that hides it; the bytes remain in the earlier
    /// layer, are pushed, pulled and stored with the image, and the image is exactly as large
    /// as before. The removal only helps in the instruction that created the file: download,
    /// use and delete in one RUN; clean a package manager's cache in the RUN that filled it
    /// (or never fill it: `pip install --no-cache-dir`, `apk add --no-cache`); and use a file
    /// needed only during the build through `RUN --mount=type=bind` or a build stage instead
    /// of copying it in.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt
    /// RUN rm /tmp/app.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz \
    ///     tar -xzf /tmp/app.tar.gz -C /opt
    /// ```
    ///
    /// (or `ADD app.tar.gz /opt/`, which unpacks a local tar archive itself).
    ///
    /// ## Known problems
    /// Only stages that end up in the image are checked. Paths with variables are followed
    /// when ENV or ARG give their value; relative paths after a `cd` are not. A removal in the
    /// same RUN as a fresh `apt-get update` or install is left alone (it cleans its own
    /// layer, even if an earlier one is still wasted: DL3009 and the cache rules report that
    /// one). Files of the base image cannot be removed from it either, but are not reported.
    ///
    /// ## References
    /// layerwise's own rule. Docker's "Best practices for writing Dockerfiles" (minimize the
    /// number of layers, clean up in the same RUN).
    pub static LW1010 = {
        code: "LW1010",
        name: "wasted-layer-bytes",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

/// How something got into an earlier layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Copied,
    Downloaded,
}

/// A path an earlier instruction added.
#[derive(Debug, Clone)]
struct Added {
    path: String,
    /// A directory (copied, cloned or unpacked into), whose files may be removed one by one.
    directory: bool,
    origin: Origin,
    /// The COPY/ADD instruction or the RUN's command.
    range: TextRange,
}

/// A package manager's cache (or apt's lists) left in a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cache {
    AptLists,
    Pip,
    Npm,
    Yarn,
    Yum,
    Dnf,
    Apk,
}

impl Cache {
    /// Where the cache lives (the user's home is matched by suffix).
    fn matches_path(self, path: &str) -> bool {
        let path = path.trim_end_matches('*').trim_end_matches('/');
        let under = |dir: &str| is_within(path, dir) || is_within(dir, path);
        let home = |suffix: &str| {
            path.ends_with(suffix)
                || path.contains(&format!("{suffix}/"))
                || path == suffix.trim_start_matches('/')
        };
        match self {
            Cache::AptLists => under("/var/lib/apt/lists"),
            Cache::Pip => home("/.cache/pip") || path == "/root/.cache" || path == "~/.cache",
            Cache::Npm => home("/.npm"),
            Cache::Yarn => home("/.cache/yarn") || home("/.yarn-cache") || home("/.yarn/cache"),
            Cache::Yum => under("/var/cache/yum"),
            Cache::Dnf => under("/var/cache/dnf"),
            Cache::Apk => under("/var/cache/apk"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Cache::AptLists => "the apt lists",
            Cache::Pip => "pip's cache",
            Cache::Npm => "npm's cache",
            Cache::Yarn => "yarn's cache",
            Cache::Yum => "yum's cache",
            Cache::Dnf => "dnf's cache",
            Cache::Apk => "apk's cache",
        }
    }
}

#[derive(Debug, Clone, Default)]
struct State {
    workdir: String,
    added: Vec<Added>,
    /// Caches left by earlier RUNs, with the command that filled each.
    caches: Vec<(Cache, TextRange)>,
}

#[derive(Default)]
pub struct WastedLayerBytes {
    stages: StageState<State>,
    generation: u32,
}

impl Rule for WastedLayerBytes {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.stages.visit(ctx, instr);
        let Some(stage_idx) = ctx.stage_idx else {
            return;
        };
        let state = self.stages.current();
        match instr.kind() {
            // A stage built on an image starts in that image's WORKDIR; one built on a stage
            // inherits its state.
            SyntaxKind::FROM_INSTR
                if ctx
                    .model
                    .stages
                    .get(stage_idx)
                    .is_some_and(|s| s.base_stage.is_none()) =>
            {
                state.workdir = initial_workdir(ctx);
            }
            SyntaxKind::WORKDIR_INSTR => {
                state.workdir = next_workdir(ctx, instr, &state.workdir, &mut self.generation);
            }
            SyntaxKind::COPY_INSTR | SyntaxKind::ADD_INSTR => {
                let Some((sources, destination)) = copy_paths(ctx, instr) else {
                    return;
                };
                let Some(destination) = destination else {
                    return;
                };
                let n_sources = sources.len();
                for source in sources.iter().filter_map(|s| s.as_deref()) {
                    let heredoc = source.starts_with("<<");
                    let directory = !heredoc
                        && (source.ends_with('/')
                            || is_whole_context(source)
                            || (!is_remote(source) && !basename(source).contains('.')));
                    state.added.push(Added {
                        path: copy_target(&state.workdir, source, &destination, n_sources),
                        directory,
                        origin: Origin::Copied,
                        range: instr.line_range(),
                    });
                }
            }
            SyntaxKind::RUN_INSTR if ctx.posix_shell && !is_windows_stage(ctx.model, stage_idx) => {
                if in_final_image(ctx.model, stage_idx) {
                    for cmd in ctx.commands.iter() {
                        if let Some(diagnostic) = check_removal(ctx, stage_idx, state, cmd) {
                            acc.push(diagnostic);
                        }
                    }
                }
                record_run(ctx, stage_idx, state);
            }
            _ => {}
        }
    }
}

/// A removal of something an earlier layer added.
fn check_removal(
    ctx: &RuleCtx,
    stage_idx: usize,
    state: &State,
    cmd: &Command,
) -> Option<Diagnostic> {
    if let Some(cache) = cleaned_cache(cmd) {
        return stale_cache(ctx, state, cmd, cache, &command_words(cmd));
    }
    if cmd.program() != "rm" {
        return None;
    }
    let recursive = has_flag(cmd, &["-r", "-R", "--recursive"]);
    let offset = cmd.range.start();
    let relative_known = !changes_directory_before(&ctx.commands, offset);
    for word in positional_args(cmd, &[]) {
        let Some(value) = expand_shell_word(ctx.model, stage_idx, offset, &word.text) else {
            continue;
        };
        let value = match value.strip_prefix("~/") {
            Some(rest) => format!("/root/{rest}"),
            None => value,
        };
        if value.is_empty() || (!value.starts_with('/') && !relative_known) {
            continue;
        }
        let target = resolve_path(&state.workdir, &value);
        let caches = [
            Cache::AptLists,
            Cache::Pip,
            Cache::Npm,
            Cache::Yarn,
            Cache::Yum,
            Cache::Dnf,
            Cache::Apk,
        ];
        if let Some(cache) = caches.into_iter().find(|c| c.matches_path(&target))
            && let Some(diagnostic) = stale_cache(ctx, state, cmd, cache, &command_words(cmd))
        {
            return Some(diagnostic);
        }
        if created_in_run(ctx, stage_idx, state, cmd)
            .iter()
            .any(|p| is_within(&target, p))
        {
            continue;
        }
        let added = state.added.iter().rev().find(|added| {
            removal_covers(&target, &added.path, recursive)
                || (added.directory
                    && !is_system_directory(&added.path)
                    && is_within(&target, &added.path)
                    && target != added.path)
        });
        if let Some(added) = added {
            let (origin, remedy) = match added.origin {
                Origin::Copied => (
                    "copied in by an earlier COPY/ADD",
                    "use it through `RUN --mount=type=bind` or a build stage, or leave it out with .dockerignore",
                ),
                Origin::Downloaded => (
                    "fetched by an earlier RUN",
                    "fetch, use and remove it in one RUN",
                ),
            };
            return Some(
                Diagnostic::new(
                    &LW1010,
                    cmd.range,
                    format!(
                        "`{}` was {origin} and stays in that layer, so removing it here frees nothing: {remedy}",
                        word.text
                    ),
                )
                .with_related(added.range, "added here"),
            );
        }
    }
    None
}

/// Directories too general to say a copy into them brought a given file.
fn is_system_directory(path: &str) -> bool {
    matches!(
        path,
        "/" | "/usr"
            | "/usr/local"
            | "/usr/local/bin"
            | "/usr/bin"
            | "/bin"
            | "/etc"
            | "/var"
            | "/tmp"
            | "/opt"
            | "/root"
            | "/home"
            | "/usr/share"
            | "/usr/local/share"
    ) || (path.starts_with('?') && !path.contains('/'))
}

/// A cleaning of `cache` by `cmd`, when an earlier RUN filled it and this RUN did not fill it
/// again first.
fn stale_cache(
    ctx: &RuleCtx,
    state: &State,
    cmd: &Command,
    cache: Cache,
    what: &str,
) -> Option<Diagnostic> {
    let (_, filled_by) = state.caches.iter().rev().find(|(c, _)| *c == cache)?;
    let refilled = ctx
        .commands
        .iter()
        .filter(|c| c.range.start() < cmd.range.start())
        .any(|c| fills_cache(ctx, c) == Some(cache));
    if refilled {
        return None;
    }
    let remedy = match cache {
        Cache::AptLists => "remove them in the RUN that runs `apt-get update`",
        Cache::Pip => "install with `--no-cache-dir`, or clean in the same RUN",
        Cache::Apk => "install with `apk add --no-cache`",
        _ => "clean it in the same RUN as the install",
    };
    Some(
        Diagnostic::new(
            &LW1010,
            cmd.range,
            format!(
                "`{what}` runs in a later layer than the command that filled {}, so the bytes stay in the image: {remedy}",
                cache.name()
            ),
        )
        .with_related(*filled_by, "filled here"),
    )
}

/// `pip cache purge`, `rm -rf /var/lib/apt/lists/*`: the command's words as written, for the
/// message (the first five).
fn command_words(cmd: &Command) -> String {
    let words: Vec<&str> = std::iter::once(cmd.name.raw.as_str())
        .chain(cmd.args.iter().map(|a| a.raw.as_str()))
        .collect();
    let mut text = words.iter().take(5).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 5 {
        text.push_str(" …");
    }
    text
}

/// The cache a command cleans (`yum clean all`, `pip cache purge`).
fn cleaned_cache(cmd: &Command) -> Option<Cache> {
    let program = cmd.program();
    if !matches!(program, "npm" | "yarn" | "yum" | "dnf" | "microdnf" | "apk")
        && !program.starts_with("pip")
    {
        return None;
    }
    let words: Vec<&str> = positional_args(cmd, &[])
        .iter()
        .map(|w| w.text.as_str())
        .collect();
    match (cmd.program(), words.as_slice()) {
        ("npm", ["cache", "clean" | "rm" | "clear", ..]) => Some(Cache::Npm),
        ("yarn", ["cache", "clean", ..]) => Some(Cache::Yarn),
        ("yum", ["clean", ..]) => Some(Cache::Yum),
        ("dnf" | "microdnf", ["clean", ..]) => Some(Cache::Dnf),
        ("apk", ["cache", "clean" | "purge", ..]) => Some(Cache::Apk),
        (program, ["cache", "purge" | "remove", ..]) if program.starts_with("pip") => {
            Some(Cache::Pip)
        }
        _ => None,
    }
}

/// The cache a command fills (and leaves, unless told not to).
fn fills_cache(ctx: &RuleCtx, cmd: &Command) -> Option<Cache> {
    let program = cmd.program();
    let known = matches!(
        program,
        "apt-get" | "apt" | "aptitude" | "npm" | "yarn" | "apk" | "yum" | "dnf" | "microdnf"
    ) || program.starts_with("pip")
        || program.starts_with("python");
    if !known {
        return None;
    }
    if is_subcommand(
        cmd,
        &["apt-get", "apt", "aptitude"],
        &["update"],
        &["-o", "-c"],
    ) {
        return Some(Cache::AptLists);
    }
    if pip_install(cmd).is_some() && !has_flag(cmd, &["--no-cache-dir"]) {
        return Some(Cache::Pip);
    }
    match cmd.program() {
        "npm" if is_subcommand(cmd, &["npm"], &["install", "i", "ci"], &[]) => Some(Cache::Npm),
        "yarn"
            if is_subcommand(cmd, &["yarn"], &["install", "add"], &[]) || cmd.args.is_empty() =>
        {
            Some(Cache::Yarn)
        }
        "apk"
            if is_subcommand(cmd, &["apk"], &["add"], APK_FLAGS_WITH_VALUES)
                && !has_flag(cmd, &["--no-cache"]) =>
        {
            Some(Cache::Apk)
        }
        "yum" => rpm_action(cmd, &["yum"])
            .filter(|a| a.verb.text == "install")
            .map(|_| Cache::Yum),
        "dnf" | "microdnf" => rpm_action(cmd, &["dnf", "microdnf"])
            .filter(|a| a.verb.text == "install")
            .map(|_| Cache::Dnf),
        _ => None,
    }
    .filter(|_| !ctx.mounts.iter().any(|m| m.contains("type=cache")))
}

/// Records what a RUN leaves in its layer: downloads, unpacked trees, caches it fills and does
/// not clean.
fn record_run(ctx: &RuleCtx, stage_idx: usize, state: &mut State) {
    let pip_no_cache = || {
        variable_value(
            ctx.model,
            stage_idx,
            ctx.commands
                .first()
                .map_or(rowan::TextSize::new(0), |c| c.range.start()),
            "PIP_NO_CACHE_DIR",
        )
        .is_some_and(|v| !v.is_empty())
    };
    let mut filled: Vec<(Cache, TextRange)> = Vec::new();
    for cmd in ctx.commands.iter() {
        if let Some(cache) = fills_cache(ctx, cmd)
            && !(cache == Cache::Pip && pip_no_cache())
        {
            filled.push((cache, cmd.range));
        }
    }
    // What the same RUN cleans again does not stay.
    filled.retain(|(cache, at)| {
        !ctx.commands
            .iter()
            .filter(|c| c.range.start() > at.start())
            .any(|c| {
                cleaned_cache(c) == Some(*cache)
                    || (c.program() == "rm"
                        && positional_args(c, &[]).iter().any(|w| {
                            let path = w
                                .text
                                .strip_prefix("~/")
                                .map_or(w.text.clone(), |r| format!("/root/{r}"));
                            cache.matches_path(&path)
                                || (*cache == Cache::AptLists && path.starts_with("/var/lib/apt"))
                        }))
                    || (*cache == Cache::AptLists
                        && is_subcommand(c, &["apt-get", "apt"], &["dist-clean"], &[]))
            })
    });
    state.caches.extend(filled);
    for cmd in ctx.commands.iter() {
        for (path, directory) in downloaded_paths(cmd) {
            let Some(value) = expand_shell_word(ctx.model, stage_idx, cmd.range.start(), &path)
            else {
                continue;
            };
            let relative_known = !changes_directory_before(&ctx.commands, cmd.range.start());
            if value.is_empty() || (!value.starts_with('/') && !relative_known) {
                continue;
            }
            let path = resolve_path(&state.workdir, &value);
            // Removed again in the same RUN: nothing stays.
            let removed_here = ctx.commands.iter().any(|c| {
                c.program() == "rm"
                    && c.range.start() > cmd.range.start()
                    && positional_args(c, &[]).iter().any(|w| {
                        expand_shell_word(ctx.model, stage_idx, c.range.start(), &w.text)
                            .is_some_and(|v| {
                                removal_covers(&resolve_path(&state.workdir, &v), &path, true)
                            })
                    })
            });
            if !removed_here {
                state.added.push(Added {
                    path,
                    directory,
                    origin: Origin::Downloaded,
                    range: cmd.range,
                });
            }
        }
    }
}

/// Files a command downloads or unpacks: `curl -o F`, `curl -O URL`, `wget URL`,
/// `wget -O F`, `wget -P DIR URL`, `git clone URL [DIR]`, `tar -x … -C DIR`, `unzip … -d DIR`.
/// Each with whether it is a directory.
fn downloaded_paths(cmd: &Command) -> Vec<(String, bool)> {
    let files = downloaded_files(cmd);
    let is_dir = matches!(cmd.program(), "git" | "tar" | "unzip");
    files.into_iter().map(|f| (f, is_dir)).collect()
}

fn downloaded_files(cmd: &Command) -> Vec<String> {
    let args: Vec<&str> = cmd.args.iter().map(|a| a.text.as_str()).collect();
    // A flag's value in the next word: `-o F`, a cluster ending in the flag (`-fsSLo F`), or
    // `--output=F`.
    let takes_next = |arg: &str, flag: &str| {
        arg == flag
            || (flag.len() == 2
                && !arg.starts_with("--")
                && arg.len() > 2
                && arg.starts_with('-')
                && arg[1..].chars().all(|c| c.is_ascii_alphabetic())
                && arg.ends_with(&flag[1..]))
    };
    let value_after = |flags: &[&str]| -> Option<String> {
        args.windows(2)
            .find(|pair| flags.iter().any(|f| takes_next(pair[0], f)))
            .map(|pair| pair[1].to_string())
            .or_else(|| {
                args.iter().find_map(|a| {
                    flags
                        .iter()
                        .filter(|f| f.starts_with("--"))
                        .find_map(|f| a.strip_prefix(&format!("{f}=")))
                        .map(str::to_string)
                })
            })
    };
    let urls: Vec<&str> = args.iter().copied().filter(|a| a.contains("://")).collect();
    let url_name = |url: &str| -> Option<String> {
        let name = basename(url.split(['?', '#']).next().unwrap_or(url));
        (!name.is_empty() && !name.contains(':')).then(|| name.to_string())
    };
    match cmd.program() {
        "curl" => {
            if let Some(out) = value_after(&["-o", "--output"]) {
                return (out != "-" && out != "/dev/null")
                    .then_some(out)
                    .into_iter()
                    .collect();
            }
            if args.iter().any(|a| {
                *a == "-O"
                    || *a == "--remote-name"
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('O'))
            }) {
                return urls.iter().filter_map(|u| url_name(u)).collect();
            }
            Vec::new()
        }
        "wget" => {
            if let Some(out) = value_after(&["-O", "--output-document"]) {
                return (out != "-" && out != "/dev/null")
                    .then_some(out)
                    .into_iter()
                    .collect();
            }
            if args
                .iter()
                .any(|a| a.starts_with("-qO") || a.starts_with("-O"))
            {
                // `-qO-`, `-O-`, `-Ofile` forms.
                return args
                    .iter()
                    .filter_map(|a| a.strip_prefix("-qO").or_else(|| a.strip_prefix("-O")))
                    .filter(|f| !f.is_empty() && *f != "-")
                    .map(str::to_string)
                    .collect();
            }
            let dir = value_after(&["-P", "--directory-prefix"]);
            urls.iter()
                .filter_map(|u| url_name(u))
                .map(|name| match &dir {
                    Some(dir) => format!("{}/{name}", dir.trim_end_matches('/')),
                    None => name,
                })
                .collect()
        }
        "git" if args.first() == Some(&"clone") => {
            let flags_with_values = [
                "--depth",
                "-b",
                "--branch",
                "-o",
                "--origin",
                "-c",
                "--config",
                "--reference",
                "--separate-git-dir",
                "-j",
                "--jobs",
                "--filter",
                "--shallow-since",
                "--shallow-exclude",
                "-u",
                "--upload-pack",
                "--template",
            ];
            let positional: Vec<String> = positional_args(cmd, &flags_with_values)
                .iter()
                .skip(1)
                .map(|w| w.text.clone())
                .collect();
            match positional.as_slice() {
                [_, dir, ..] => vec![dir.clone()],
                [url] => url_name(url)
                    .map(|n| n.trim_end_matches(".git").to_string())
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            }
        }
        "tar"
            if has_flag(cmd, &["-x", "--extract"])
                || args
                    .first()
                    .is_some_and(|a| !a.starts_with('-') && a.contains('x')) =>
        {
            value_after(&["-C", "--directory"]).into_iter().collect()
        }
        "unzip" => value_after(&["-d"]).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Paths the RUN creates before `cmd` (`mkdir`, a download): removing them does not waste
/// another layer's bytes.
fn created_in_run(ctx: &RuleCtx, stage_idx: usize, state: &State, cmd: &Command) -> Vec<String> {
    ctx.commands
        .iter()
        .filter(|c| c.range.start() < cmd.range.start())
        .flat_map(|c| {
            let mut paths = downloaded_files(c);
            if matches!(c.program(), "mkdir" | "touch" | "cp" | "mv" | "ln") {
                paths.extend(
                    positional_args(c, &["-m", "--mode", "-t"])
                        .into_iter()
                        .map(|w| w.text.clone()),
                );
            }
            paths.into_iter().map(move |p| (c.range.start(), p))
        })
        .filter_map(|(offset, p)| expand_shell_word(ctx.model, stage_idx, offset, &p))
        .map(|p| resolve_path(&state.workdir, &p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;

    fn reported(body: &str, range: &str) {
        check_rule("LW1010", &format!("FROM debian:12\n{body}\n"), &[range]);
    }

    fn silent(body: &str) {
        check_rule("LW1010", &format!("FROM debian:12\n{body}\n"), &[]);
    }

    #[test]
    fn copied_then_removed() {
        reported(
            "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\nRUN rm /tmp/app.tar.gz",
            "rm /tmp/app.tar.gz",
        );
        reported("WORKDIR /app\nCOPY . .\nRUN rm -rf .git", "rm -rf .git");
        reported(
            "COPY src /build/src\nRUN make -C /build\nRUN rm -rf /build",
            "rm -rf /build",
        );
        // The COPY is a layer of its own: removing the archive in any RUN is too late.
        reported(
            "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz",
            "rm /tmp/app.tar.gz",
        );
        silent("COPY . /app\nRUN rm -rf /var/log/x");
        silent("COPY conf/ /etc/\nRUN rm -f /etc/motd");
    }

    #[test]
    fn downloaded_then_removed() {
        reported(
            "RUN curl -fsSLo /tmp/x.tgz https://e.org/x.tgz\nRUN tar -xzf /tmp/x.tgz && rm /tmp/x.tgz",
            "rm /tmp/x.tgz",
        );
        reported(
            "WORKDIR /src\nRUN wget https://e.org/a.zip\nRUN rm a.zip",
            "rm a.zip",
        );
        reported(
            "RUN git clone https://github.com/a/b.git /opt/b\nRUN rm -rf /opt/b/.git",
            "rm -rf /opt/b/.git",
        );
        silent("RUN wget -O /tmp/a.zip https://e.org/a.zip && unzip /tmp/a.zip && rm /tmp/a.zip");
        silent("RUN wget -O /tmp/a.zip https://e.org/a.zip && rm /tmp/a.zip\nRUN rm -f /tmp/a.zip");
    }

    #[test]
    fn caches_cleaned_later() {
        reported(
            "RUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*",
            "rm -rf /var/lib/apt/lists/*",
        );
        reported(
            "RUN pip install flask\nRUN pip cache purge",
            "pip cache purge",
        );
        reported(
            "RUN pip install flask\nRUN rm -rf /root/.cache/pip",
            "rm -rf /root/.cache/pip",
        );
        reported(
            "RUN npm ci\nRUN npm cache clean --force",
            "npm cache clean --force",
        );
        reported("RUN yum install -y x\nRUN yum clean all", "yum clean all");
        silent(
            "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*",
        );
        silent(
            "RUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*",
        );
        silent("RUN pip install --no-cache-dir flask\nRUN pip cache purge");
        silent("ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\nRUN pip cache purge");
        silent("RUN npm ci && npm cache clean --force\nRUN npm cache clean --force");
        silent("RUN --mount=type=cache,target=/root/.npm npm ci\nRUN npm cache clean --force");
    }

    #[test]
    fn builder_stages_are_not_shipped() {
        check_rule(
            "LW1010",
            "FROM debian:12 AS build\nCOPY a.tgz /tmp/\nRUN rm /tmp/a.tgz\nFROM debian:12\nCOPY --from=build /x /x\n",
            &[],
        );
        check_rule(
            "LW1010",
            "FROM debian:12 AS base\nCOPY a.tgz /tmp/\nFROM base\nRUN rm /tmp/a.tgz\n",
            &["rm /tmp/a.tgz"],
        );
    }
}
