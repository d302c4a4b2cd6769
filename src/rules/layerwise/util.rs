//! Helpers shared by the `LW1xxx` rules: stage chains, paths inside the image (joined with
//! WORKDIR and cleaned), the value of a shell word when ENV/ARG make it knowable, the sources
//! and destination of a COPY/ADD, and what the final image runs.
//!
//! It does not decide what is wrong; each rule does. It never guesses a value: where a path or
//! a variable depends on something unknown here (the base image's WORKDIR or environment, a
//! build argument passed at build time), the answer is `None` or a path that matches nothing.

use rowan::{TextRange, TextSize};

use crate::rules::RuleCtx;
use crate::semantic::{Model, VarKind, is_posix_shell};
use crate::shell::{Command, Script};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

/// A stage and the stages it builds on, nearest first (`FROM build AS test` → test, build…).
pub fn chain(model: &Model, stage_idx: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = Some(stage_idx);
    while let Some(idx) = current {
        // `base_stage` always names an earlier stage, so the walk ends; the length check
        // guards against a malformed model all the same.
        if idx >= model.stages.len() || out.contains(&idx) {
            break;
        }
        out.push(idx);
        current = model.stages[idx].base_stage;
    }
    out
}

/// Whether a stage's layers end up in the built image: it is the last stage or one the last
/// stage builds on, directly or through other stages. (`Model::is_in_final_image` follows
/// hadolint and counts any stage another stage builds on, even a builder's base.)
pub fn in_final_image(model: &Model, stage_idx: usize) -> bool {
    model
        .stages
        .len()
        .checked_sub(1)
        .is_some_and(|last| chain(model, last).contains(&stage_idx))
}

/// Whether a stage is named as a development or test target (`dev`, `development`,
/// `devcontainer`, `dev-envs`, `test`, `ci`, `debug`…): an image for working on the code, where
/// toolchains, full base images and root are expected, not the image that ships.
pub fn is_development_target(stage: &crate::semantic::Stage) -> bool {
    let Some(name) = &stage.name else {
        return false;
    };
    name.to_ascii_lowercase()
        .split(['-', '_', '.'])
        .any(|part| {
            matches!(
                part,
                "dev"
                    | "devel"
                    | "develop"
                    | "development"
                    | "devcontainer"
                    | "devenv"
                    | "test"
                    | "tests"
                    | "testing"
                    | "ci"
                    | "debug"
                    | "lint"
            )
        })
}

/// The stage at the root of a chain: the one whose FROM names an image (or `scratch`).
pub fn chain_root(model: &Model, stage_idx: usize) -> Option<&crate::semantic::Stage> {
    chain(model, stage_idx)
        .last()
        .and_then(|idx| model.stages.get(*idx))
}

/// A stage whose base is a Windows image (its default shell is `cmd`, or its name or tag
/// says `windows`, `servercore`, `nanoserver`), or whose SHELL is not a POSIX shell: users,
/// paths and package managers there are not the Linux ones these rules know.
pub fn is_windows_stage(model: &Model, stage_idx: usize) -> bool {
    let Some(root) = chain_root(model, stage_idx) else {
        return false;
    };
    let windows_name = root.image.as_ref().is_some_and(|image| {
        let name = format!(
            "{}:{}",
            image.repository,
            image.tag.as_deref().unwrap_or("")
        )
        .to_ascii_lowercase();
        ["windows", "servercore", "nanoserver", "ltsc20"]
            .iter()
            .any(|w| name.contains(w))
    });
    windows_name
        || !is_posix_shell(&root.initial_shell)
        || model
            .stages
            .get(stage_idx)
            .is_some_and(|s| !is_posix_shell(s.final_shell()))
}

/// An image reference for messages: as written, without a digest (`node:20@sha256:…` →
/// `node:20`).
pub fn short_image_text(text: &str) -> &str {
    text.split('@').next().unwrap_or(text)
}

/// The value of variable `name` as a RUN at `offset` in `stage_idx` sees it, when the
/// Dockerfile defines it (ENV, inherited through `FROM <stage>`, or an ARG of this stage).
/// `None` when it is not defined here or its value is unknown.
pub fn variable_value(
    model: &Model,
    stage_idx: usize,
    offset: TextSize,
    name: &str,
) -> Option<String> {
    variable_value_within(model, stage_idx, offset, name, 4)
}

fn variable_value_within(
    model: &Model,
    stage_idx: usize,
    offset: TextSize,
    name: &str,
    depth: u8,
) -> Option<String> {
    let stages = chain(model, stage_idx);
    let def = model.vars.defs.iter().rev().find(|d| {
        d.name == name
            && d.instr_start < offset
            && match (d.kind, d.stage) {
                (VarKind::Env, Some(s)) => stages.contains(&s),
                (VarKind::Arg, Some(s)) => s == stage_idx,
                _ => false,
            }
    })?;
    let value = def.value.clone()?;
    // The legacy form (`ENV NAME $OTHER`) keeps its value as written.
    match (value.contains('$'), depth.checked_sub(1)) {
        (false, _) => Some(value),
        (true, Some(depth)) => expand_within(
            model,
            def.stage.unwrap_or(stage_idx),
            def.instr_start,
            &value,
            depth,
        ),
        (true, None) => None,
    }
}

/// A shell word with its `$NAME`/`${NAME}` references replaced by their values, when every
/// one is known (see [`variable_value`]); `None` otherwise, and for command substitutions and
/// expansion operators.
pub fn expand_shell_word(
    model: &Model,
    stage_idx: usize,
    offset: TextSize,
    word: &str,
) -> Option<String> {
    expand_within(model, stage_idx, offset, word, 4)
}

fn expand_within(
    model: &Model,
    stage_idx: usize,
    offset: TextSize,
    word: &str,
    depth: u8,
) -> Option<String> {
    if !word.contains('$') {
        return (!word.contains('`')).then(|| word.to_string());
    }
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            (&braced[..close], close + 2)
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], len)
        };
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !valid {
            return None;
        }
        out.push_str(&variable_value_within(
            model, stage_idx, offset, name, depth,
        )?);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    (!out.contains('`')).then_some(out)
}

/// A clean absolute or workdir-relative path: `//` and `.` segments collapsed, `..` applied,
/// no trailing `/` (except for `/` itself).
pub fn clean_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `path` resolved against `workdir` and cleaned. A workdir that is not known is written as a
/// marker (`?3`), so paths relative to it match each other and never an absolute path.
pub fn resolve_path(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        return clean_path(path);
    }
    let joined = format!("{}/{path}", workdir.trim_end_matches('/'));
    match joined.strip_prefix('?') {
        // Keep the marker as the first segment of a relative path.
        Some(_) => {
            let (marker, rest) = joined.split_once('/').unwrap_or((&joined, ""));
            let cleaned = clean_path(rest);
            if cleaned == "." {
                marker.to_string()
            } else if cleaned.starts_with("..") {
                // Above an unknown directory: unknowable.
                format!("{marker}?")
            } else {
                format!("{marker}/{cleaned}")
            }
        }
        None => clean_path(&joined),
    }
}

/// Whether `path` is `dir` or lies inside it.
pub fn is_within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return path.starts_with('/');
    }
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `pattern` (with `*` and `?` globs that do not cross `/`) matches `path`.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let pattern_segments: Vec<&str> = pattern.split('/').collect();
    let path_segments: Vec<&str> = path.split('/').collect();
    pattern_segments.len() == path_segments.len()
        && pattern_segments
            .iter()
            .zip(&path_segments)
            .all(|(p, s)| segment_matches(p.as_bytes(), s.as_bytes()))
}

/// Wildcard matching of one path segment, greedy with backtracking to the last `*`: linear
/// in practice and never worse than the product of the lengths.
fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(b'?') => {
                p += 1;
                t += 1;
            }
            Some(c) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

/// Whether a removal target (`/tmp/x`, `/tmp/*`, `/tmp/*.tar.gz`) covers `path` when removed
/// recursively (or exactly, when not).
pub fn removal_covers(target: &str, path: &str, recursive: bool) -> bool {
    if target.contains(['*', '?']) {
        // `/tmp/*` covers everything under /tmp; `/tmp/*.gz` the matching entries (and, when
        // recursive, what is under them).
        let depth = target.matches('/').count();
        let prefix: Vec<&str> = path.split('/').take(depth + 1).collect();
        let head = prefix.join("/");
        return glob_matches(target, &head) && (recursive || head == path);
    }
    if recursive {
        is_within(path, target)
    } else {
        path == target
    }
}

/// The WORKDIR after a `WORKDIR` instruction, from the one before it. An unknown value
/// (a variable of the base image) becomes a fresh marker.
pub fn next_workdir(
    ctx: &RuleCtx,
    instr: &ast::Instruction,
    current: &str,
    generation: &mut u32,
) -> String {
    let Some(arg) = instr.arguments().next() else {
        return current.to_string();
    };
    match ctx.model.vars.resolve(&arg) {
        Some(value) if !value.is_empty() => resolve_path(current, &value),
        _ => {
            *generation += 1;
            format!("?w{generation}")
        }
    }
}

/// The WORKDIR a stage starts with when its base is an image: `/` for `scratch`, unknown
/// (a marker) otherwise, since images set their own.
pub fn initial_workdir(ctx: &RuleCtx) -> String {
    let idx = ctx.stage_idx.unwrap_or(0);
    match ctx.model.stages.get(idx).and_then(|s| s.image.as_ref()) {
        Some(image) if image.is_scratch() => "/".to_string(),
        _ => format!("?s{idx}"),
    }
}

/// The sources and the destination of a COPY/ADD, with BuildKit's variables applied (`None`
/// for a value that is unknown here): exec form or plain words, a heredoc source being its
/// `<<NAME` word. `None` when it has fewer than two paths.
pub fn copy_paths(
    ctx: &RuleCtx,
    instr: &ast::Instruction,
) -> Option<(Vec<Option<String>>, Option<String>)> {
    let mut paths: Vec<Option<String>> = match instr.json_array() {
        Some(array) => array
            .string_tokens()
            .map(|t| {
                let value = ast::decode_json_string(t.text());
                (!value.contains('$')).then_some(value)
            })
            .collect(),
        None => instr
            .arguments()
            .map(|a| ctx.model.vars.resolve(&a))
            .collect(),
    };
    let destination = paths.pop()?;
    if paths.is_empty() {
        return None;
    }
    Some((paths, destination))
}

/// Whether a COPY/ADD source names the whole build context (`.`, `./`, `*`, `./*`).
pub fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "*" | "./*" | "./.")
}

/// Whether a COPY/ADD source is a URL or a git repository (ADD's remote sources).
pub fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

/// The last path component.
pub fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Where a COPY/ADD puts one source: `dest/<basename>` when the destination is a directory
/// (ends in `/`, or several sources), else the destination itself. Directory sources copy
/// their contents, so their target is the destination directory.
pub fn copy_target(workdir: &str, source: &str, destination: &str, n_sources: usize) -> String {
    let dest_is_dir = destination.ends_with('/') || n_sources > 1 || destination == ".";
    let source_is_dir =
        source.ends_with('/') || is_whole_context(source) || !basename(source).contains('.');
    // A heredoc source (`<<EOF`, `<<-"run.sh"`) is a file named after its delimiter.
    let source = match source.strip_prefix("<<") {
        Some(name) => name.trim_start_matches('-').trim_matches(['"', '\'']),
        None => source,
    };
    let source_name = basename(source.split('?').next().unwrap_or(source));
    if dest_is_dir && !source_is_dir && !source_name.contains(['*', '?']) && !source_name.is_empty()
    {
        resolve_path(
            workdir,
            &format!("{}/{source_name}", destination.trim_end_matches('/')),
        )
    } else {
        resolve_path(workdir, destination)
    }
}

/// Whether a command in `commands` before `before` changes directory (`cd`, `pushd`): relative
/// paths after it are not relative to the WORKDIR any more.
pub fn changes_directory_before(commands: &[Command], before: TextSize) -> bool {
    commands
        .iter()
        .any(|c| matches!(c.program(), "cd" | "pushd") && c.range.start() < before)
}

/// What the container runs: the argv of the ENTRYPOINT or CMD, as far as it can be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Process {
    pub argv: Vec<String>,
    /// The instruction's range (keyword to end of line).
    pub range: TextRange,
    /// Shell form (`CMD nginx -g 'daemon off;'`): `argv` holds the first command's words.
    pub shell_form: bool,
}

/// Reads a CMD or ENTRYPOINT. For the shell form, the words of the script's first command
/// (`exec` dropped).
pub fn process_of(instr: &ast::Instruction) -> Process {
    let range = instr.line_range();
    if let Some(array) = instr.json_array() {
        return Process {
            argv: array.strings(),
            range,
            shell_form: false,
        };
    }
    let argv = Script::from_instruction(instr)
        .and_then(|script| {
            let commands = script.commands();
            let first = commands.first()?;
            let mut words: Vec<String> = std::iter::once(first.name.text.clone())
                .chain(first.args.iter().map(|a| a.text.clone()))
                .collect();
            if words.first().is_some_and(|w| w == "exec") {
                words.remove(0);
            }
            Some(words)
        })
        .unwrap_or_default();
    Process {
        argv,
        range,
        shell_form: true,
    }
}

/// The basename of a program path: `/usr/local/bin/docker-entrypoint.sh` →
/// `docker-entrypoint.sh`.
pub fn program_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Init processes and entrypoint scripts that run their arguments (`tini -- cmd`,
/// `docker-entrypoint.sh`, `/__cacert_entrypoint.sh`): the real process is what they are given.
pub fn is_wrapper(program: &str) -> bool {
    let name = program_name(program).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "tini" | "tini-static" | "dumb-init" | "catatonit" | "init"
    ) || name.contains("entrypoint")
}

/// Programs that, run with no argument other than flags, start an interactive shell or
/// language prompt: a `CMD` of one of these marks an image meant to be built on or explored,
/// not an application.
pub fn is_interactive_program(argv: &[String]) -> bool {
    let Some((program, args)) = argv.split_first() else {
        return false;
    };
    if !args.iter().all(|a| a.starts_with('-')) {
        // `deno repl`, `bun repl`: a prompt chosen by subcommand.
        return matches!(
            (program_name(program), args),
            ("deno" | "bun", [repl]) if repl == "repl"
        );
    }
    let name = program_name(program);
    let versioned_python = name
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    versioned_python
        || matches!(
            name,
            "sh" | "bash"
                | "ash"
                | "dash"
                | "zsh"
                | "ksh"
                | "mksh"
                | "fish"
                | "busybox"
                | "pwsh"
                | "powershell"
                | "cmd"
                | "node"
                | "irb"
                | "jshell"
                | "ghci"
                | "php"
                | "R"
                | "julia"
                | "iex"
                | "erl"
                | "lua"
                | "perl"
                | "deno"
                | "bun"
                | "pypy"
                | "pypy3"
                | "ipython"
                | "groovysh"
                | "scala"
                | "swift"
                | "tclsh"
                | "clojure"
                | "racket"
                | "gdb"
        )
}

/// What the final image runs, collected over the final stage and the stages it builds on.
#[derive(Debug, Clone, Default)]
pub struct ImageProcess {
    pub entrypoint: Option<Process>,
    pub cmd: Option<Process>,
}

impl ImageProcess {
    /// The argv the container starts with, wrappers (`tini --`, `docker-entrypoint.sh`)
    /// skipped: the program that really runs.
    pub fn effective_argv(&self) -> Vec<String> {
        let mut argv: Vec<String> = Vec::new();
        if let Some(entrypoint) = &self.entrypoint {
            argv.extend(entrypoint.argv.iter().cloned());
        }
        if let Some(cmd) = &self.cmd {
            argv.extend(cmd.argv.iter().cloned());
        }
        loop {
            match argv.first() {
                Some(first) if is_wrapper(first) => {
                    argv.remove(0);
                    if argv.first().is_some_and(|a| a == "--") {
                        argv.remove(0);
                    }
                }
                _ => return argv,
            }
        }
    }

    /// No process of its own: the image runs what its base image runs.
    pub fn is_empty(&self) -> bool {
        self.effective_argv().is_empty()
    }
}

/// Follows CMD and ENTRYPOINT through a stage: an ENTRYPOINT resets a CMD inherited from the
/// base (as BuildKit does), but not one set earlier in the same stage.
#[derive(Debug, Clone, Default)]
pub struct ProcessTracker {
    pub process: ImageProcess,
    cmd_set_in_stage: bool,
}

impl ProcessTracker {
    /// Call on FROM, after the state was inherited.
    pub fn start_stage(&mut self) {
        self.cmd_set_in_stage = false;
    }

    pub fn visit(&mut self, instr: &ast::Instruction) {
        match instr.kind() {
            SyntaxKind::CMD_INSTR => {
                self.process.cmd = Some(process_of(instr));
                self.cmd_set_in_stage = true;
            }
            SyntaxKind::ENTRYPOINT_INSTR => {
                self.process.entrypoint = Some(process_of(instr));
                if !self.cmd_set_in_stage {
                    self.process.cmd = None;
                }
            }
            _ => {}
        }
    }
}

/// What a stage (with the stages it builds on) tells about the image it makes: its process,
/// and whether it looks like an application or like a base image for others to build on.
#[derive(Debug, Clone, Default)]
pub struct ImageFacts {
    pub process: ProcessTracker,
    /// A copy of the whole build context.
    pub looks_like_application: bool,
    pub has_onbuild: bool,
}

impl ImageFacts {
    /// Call for every instruction of the stage (after [`crate::rules::stage_state::StageState::visit`]).
    pub fn visit(&mut self, ctx: &RuleCtx, instr: &ast::Instruction) {
        match instr.kind() {
            SyntaxKind::FROM_INSTR => self.process.start_stage(),
            SyntaxKind::ONBUILD_INSTR => self.has_onbuild = true,
            _ => self.process.visit(instr),
        }
        if !self.looks_like_application && looks_like_application(ctx, instr) {
            self.looks_like_application = true;
        }
    }

    /// A base image, meant to be built on rather than run as it is: it has `ONBUILD`
    /// triggers, or it runs an interactive shell or prompt (`CMD ["bash"]`, `["python3"]`),
    /// or it defines no process of its own and does not look like an application.
    pub fn is_base_image(&self) -> bool {
        let argv = self.process.process.effective_argv();
        self.has_onbuild
            || if argv.is_empty() {
                !self.looks_like_application
            } else {
                is_interactive_program(&argv)
            }
    }
}

/// Whether an instruction copies the whole build context (`COPY . .`): the sign of an
/// application image rather than a base image for others. (`EXPOSE` and `HEALTHCHECK` are
/// not: base images for servers declare them too.)
pub fn looks_like_application(ctx: &RuleCtx, instr: &ast::Instruction) -> bool {
    matches!(instr.kind(), SyntaxKind::COPY_INSTR | SyntaxKind::ADD_INSTR)
        && instr.flag("from").is_none()
        && copies_whole_context(ctx, instr)
}

/// Whether a COPY/ADD has a source naming the whole build context. Variables are resolved only
/// in the sources that have one.
pub fn copies_whole_context(ctx: &RuleCtx, instr: &ast::Instruction) -> bool {
    if let Some(array) = instr.json_array() {
        let mut strings = array.strings();
        strings.pop();
        return strings.iter().any(|s| is_whole_context(s));
    }
    let mut arguments: Vec<ast::Argument> = instr.arguments().collect();
    arguments.pop();
    arguments.iter().any(|arg| {
        if arg.has_variables() {
            ctx.model
                .vars
                .resolve(arg)
                .is_some_and(|value| is_whole_context(&value))
        } else {
            is_whole_context(&ast::unquote(&arg.text()))
        }
    })
}

/// The start of the line holding `offset` when only blanks precede it there (so an inserted
/// line goes before the instruction with its indentation kept); `offset` otherwise.
pub fn line_start(text: &str, offset: TextSize) -> TextSize {
    let at = usize::from(offset).min(text.len());
    let before = &text[..at];
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    if before[start..].chars().all(|c| c == ' ' || c == '\t') {
        TextSize::new(start as u32)
    } else {
        offset
    }
}

/// The blanks that indent the line holding `offset`.
pub fn indentation(text: &str, offset: TextSize) -> &str {
    let at = usize::from(offset).min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..at];
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..len]
}

/// Asserts the texts the findings of rule `code` cover (in position order), with only that
/// rule selected.
#[cfg(test)]
#[track_caller]
pub fn check_rule(code: &str, text: &str, expected: &[&str]) {
    let config = crate::config::Config {
        select: Some(vec![code.to_string()]),
        ..crate::config::Config::default()
    };
    let diagnostics = crate::diagnostics::lint(&crate::syntax::parse(text), &config);
    let got: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| &text[usize::from(d.range.start())..usize::from(d.range.end())])
        .collect();
    assert_eq!(got, expected, "{code} for input:\n{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(clean_path("/a//b/./c/"), "/a/b/c");
        assert_eq!(clean_path("/a/../../b"), "/b");
        assert_eq!(clean_path("./"), ".");
        assert_eq!(resolve_path("/app", "src/../x"), "/app/x");
        assert_eq!(resolve_path("/app", "/etc/x"), "/etc/x");
        assert_eq!(resolve_path("?s0", "."), "?s0");
        assert_eq!(resolve_path("?s0", "a/b/"), "?s0/a/b");
        assert_eq!(resolve_path("?s0", "../x"), "?s0?");
        assert!(is_within("/app/x", "/app"));
        assert!(is_within("/app", "/app"));
        assert!(!is_within("/application", "/app"));
        assert!(is_within("/x", "/"));
    }

    #[test]
    fn globs_and_removal() {
        assert!(glob_matches("/tmp/*.tar.gz", "/tmp/a.tar.gz"));
        assert!(!glob_matches("/tmp/*", "/tmp/a/b"));
        assert!(removal_covers("/tmp/*", "/tmp/a/b", true));
        assert!(!removal_covers("/tmp/*", "/tmp/a/b", false));
        assert!(removal_covers("/tmp/*", "/tmp/a", false));
        assert!(removal_covers("/tmp", "/tmp/a", true));
        assert!(!removal_covers("/tmp", "/tmp/a", false));
        assert!(removal_covers("/tmp/a", "/tmp/a", false));
        assert!(glob_matches("/a/*b*c?/d", "/a/xbyccz/d"));
        assert!(!glob_matches("/a/*", "/a/b/c"));
        // Adversarial patterns stay fast.
        let pattern = format!("/tmp/{}b", "*a".repeat(200));
        assert!(!glob_matches(
            &pattern,
            &format!("/tmp/{}", "a".repeat(5000))
        ));
    }

    #[test]
    fn copy_targets() {
        assert_eq!(
            copy_target("/app", "app.tar.gz", "/tmp/", 1),
            "/tmp/app.tar.gz"
        );
        assert_eq!(
            copy_target("/app", "app.tar.gz", "/tmp/x.tgz", 1),
            "/tmp/x.tgz"
        );
        assert_eq!(copy_target("/app", ".", ".", 1), "/app");
        assert_eq!(copy_target("/app", "src/", "src", 1), "/app/src");
        assert_eq!(copy_target("/", "a.txt", "b/", 1), "/b/a.txt");
        assert_eq!(copy_target("/", "<<EOF", "/s/run.sh", 1), "/s/run.sh");
        assert_eq!(copy_target("/", "<<-\"run.sh\"", "/s/", 1), "/s/run.sh");
    }

    #[test]
    fn interactive() {
        let argv = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(is_interactive_program(&argv(&["python3"])));
        assert!(is_interactive_program(&argv(&["python3.12"])));
        assert!(is_interactive_program(&argv(&["php", "-a"])));
        assert!(is_interactive_program(&argv(&["/bin/bash"])));
        assert!(!is_interactive_program(&argv(&["python3", "app.py"])));
        assert!(!is_interactive_program(&argv(&["bash", "-c", "serve"])));
        assert!(!is_interactive_program(&argv(&["pythonista"])));
        assert!(is_interactive_program(&argv(&["deno", "repl"])));
    }

    #[test]
    fn lines() {
        let text = "FROM a\n  CMD x\nRUN y";
        assert_eq!(line_start(text, TextSize::new(9)), TextSize::new(7));
        assert_eq!(indentation(text, TextSize::new(9)), "  ");
        assert_eq!(line_start(text, TextSize::new(3)), TextSize::new(3));
    }
}
