//! LW1004: a `RUN chown`/`chmod` of files a COPY/ADD put in the image.

use rowan::TextRange;

use super::util::{
    basename, changes_directory_before, copy_paths, copy_target, expand_shell_word, in_final_image,
    initial_workdir, is_remote, is_whole_context, is_windows_stage, is_within, next_workdir,
    resolve_path,
};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::hadolint::util::{has_flag, positional_args};
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN chown`, `chgrp` or `chmod` of files that an earlier `COPY` or `ADD` put in
    /// the image.
    ///
    /// The path changed is the copied path itself, a file inside a copied directory, or, with
    /// `-R`, a directory holding copied files; the copy is in the same stage or a stage it
    /// builds on. Relative paths are resolved against the WORKDIR. The finding points at the
    /// command, with the copy as related information.
    ///
    /// ## Why is this bad?
    /// Image layers are immutable: a `RUN` cannot change a file of an earlier layer in place.
    /// Changing a file's owner or mode copies the whole file into the RUN's new layer with the
    /// new metadata, and the earlier layer keeps the original. A `COPY . /app` followed by
    /// `RUN chown -R app /app` ships the application twice, and each build pushes and pulls
    /// both copies.
    ///
    /// `COPY --chown=user:group` and `COPY --chmod=755` (and the same flags of `ADD`) set
    /// owner and mode while the files are written: one layer, one copy.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN chown -R node:node /app
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY --chown=node:node . .
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Known problems
    /// Only stages that end up in the image are checked (a builder stage's layers are never
    /// shipped). Paths with variables are followed when ENV or ARG give their value; a `cd`
    /// earlier in the RUN makes relative paths unknown, and a path a `mkdir` of the same RUN
    /// creates is not a copied one. Before Dockerfile syntax 1.10 (BuildKit 0.13), `--chmod`
    /// accepts only octal modes (`--chmod=755`, not `+x`). `COPY --chown` needs the user to
    /// exist in the image when it is a name (a numeric `uid:gid` always works).
    ///
    /// ## References
    /// layerwise's own rule. Docker's Dockerfile reference, `COPY --chown --chmod`.
    pub static LW1004 = {
        code: "LW1004",
        name: "chown-after-copy",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

/// What a COPY/ADD put in the image.
#[derive(Debug, Clone)]
struct Copied {
    /// Where it went, resolved against the WORKDIR.
    path: String,
    /// Certainly a directory (`src/`, `.`): its content was copied under `path`.
    is_dir: bool,
    /// Perhaps a directory (a source without extension, `COPY src /app/src`).
    may_be_dir: bool,
    /// The COPY/ADD instruction.
    range: TextRange,
    /// `COPY` or `ADD`.
    keyword: &'static str,
}

#[derive(Debug, Clone, Default)]
struct State {
    workdir: String,
    copied: Vec<Copied>,
}

#[derive(Default)]
pub struct ChownAfterCopy {
    stages: StageState<State>,
    /// Counter for unknown WORKDIRs.
    generation: u32,
}

impl Rule for ChownAfterCopy {
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
                    let is_dir = !heredoc && (source.ends_with('/') || is_whole_context(source));
                    let may_be_dir = is_dir
                        || (!heredoc && !is_remote(source) && !basename(source).contains('.'));
                    state.copied.push(Copied {
                        path: copy_target(&state.workdir, source, &destination, n_sources),
                        is_dir,
                        may_be_dir,
                        range: instr.line_range(),
                        keyword: if instr.kind() == SyntaxKind::ADD_INSTR {
                            "ADD"
                        } else {
                            "COPY"
                        },
                    });
                }
            }
            SyntaxKind::RUN_INSTR => {
                if !ctx.posix_shell
                    || !in_final_image(ctx.model, stage_idx)
                    || is_windows_stage(ctx.model, stage_idx)
                {
                    return;
                }
                for cmd in ctx.commands.iter() {
                    if let Some(diagnostic) = check_command(ctx, stage_idx, state, cmd) {
                        acc.push(diagnostic);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `chown`/`chgrp`/`chmod` of copied files.
fn check_command(
    ctx: &RuleCtx,
    stage_idx: usize,
    state: &State,
    cmd: &Command,
) -> Option<Diagnostic> {
    let program = cmd.program();
    if !matches!(program, "chown" | "chgrp" | "chmod") {
        return None;
    }
    let recursive = has_flag(cmd, &["-R", "--recursive"]);
    let positional = positional_args(cmd, &[]);
    let (setting, paths) = positional.split_first()?;
    let offset = cmd.range.start();
    let relative_known = !changes_directory_before(&ctx.commands, offset);
    let created = created_in_run(ctx, stage_idx, state, cmd);
    let mut related: Vec<TextRange> = Vec::new();
    let mut keyword = "COPY";
    for word in paths {
        let Some(value) = expand_shell_word(ctx.model, stage_idx, offset, &word.text) else {
            continue;
        };
        if value.is_empty() || (!value.starts_with('/') && !relative_known) {
            continue;
        }
        let path = resolve_path(&state.workdir, &value);
        if created.iter().any(|dir| is_within(&path, dir)) {
            continue;
        }
        for copied in &state.copied {
            if touches_copied_files(&path, recursive, copied) && !related.contains(&copied.range) {
                if related.is_empty() {
                    keyword = copied.keyword;
                }
                related.push(copied.range);
            }
        }
    }
    let first = *related.first()?;
    let flag = match program {
        "chmod" => "--chmod",
        _ => "--chown",
    };
    let value = match program {
        "chgrp" => format!(":{}", setting.text),
        _ => setting.text.clone(),
    };
    let suggestion = if program == "chmod" && !value.bytes().all(|b| b.is_ascii_digit()) {
        format!("`{keyword} {flag}=<octal mode>`")
    } else {
        format!("`{keyword} {flag}={value}`")
    };
    let mut diagnostic = Diagnostic::new(
        &LW1004,
        cmd.range,
        format!(
            "`{program}` rewrites files that `{keyword}` added into a new layer, so the image holds them twice: set them with {suggestion} instead"
        ),
    )
    .with_related(first, "the files are copied here");
    for range in related.into_iter().skip(1) {
        diagnostic = diagnostic.with_related(range, "more files copied here");
    }
    Some(diagnostic)
}

/// Whether changing `path` (recursively or not) rewrites files of `copied`.
fn touches_copied_files(path: &str, recursive: bool, copied: &Copied) -> bool {
    if path.contains(['*', '?']) {
        // `chmod +x /app/*.sh`: the files matched lie in the pattern's directory.
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        return !dir.contains(['*', '?'])
            && ((copied.may_be_dir && copied.path != "/" && is_within(dir, &copied.path))
                || super::util::glob_matches(path, &copied.path));
    }
    if path == copied.path {
        // A directory's own entry is tiny; its files are only rewritten with -R.
        return recursive || !copied.is_dir;
    }
    if is_within(path, &copied.path) {
        // A file or directory inside a copied directory. A copy into `/` (a whole root
        // filesystem from another stage) says nothing about which paths it brought.
        return copied.may_be_dir && copied.path != "/";
    }
    recursive && is_within(&copied.path, path)
}

/// Directories and files the RUN creates (`mkdir`, `touch`, the home of `useradd -m`) before
/// `cmd`: changing them does not rewrite copied files.
fn created_in_run(ctx: &RuleCtx, stage_idx: usize, state: &State, cmd: &Command) -> Vec<String> {
    let mut created = Vec::new();
    for earlier in ctx
        .commands
        .iter()
        .filter(|c| c.range.start() < cmd.range.start())
    {
        let offset = earlier.range.start();
        let words: Vec<String> = match earlier.program() {
            "mkdir" | "touch" => positional_args(earlier, &["-m", "--mode"])
                .into_iter()
                .map(|w| w.text.clone())
                .collect(),
            "useradd" | "adduser" if has_flag(earlier, &["-m", "--create-home"]) => earlier
                .args
                .last()
                .map(|name| vec![format!("/home/{}", name.text)])
                .unwrap_or_default(),
            _ => continue,
        };
        created.extend(
            words
                .iter()
                .filter_map(|w| expand_shell_word(ctx.model, stage_idx, offset, w))
                .map(|p| resolve_path(&state.workdir, &p)),
        );
    }
    created
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;

    #[test]
    fn chown_of_copied_files() {
        check_rule(
            "LW1004",
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\n",
            &["chown -R node:node /app"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY entrypoint.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/entrypoint.sh\n",
            &["chmod +x /usr/local/bin/entrypoint.sh"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nWORKDIR /srv\nCOPY app.jar app.jar\nRUN chmod 644 app.jar\n",
            &["chmod 644 app.jar"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY scripts/ /opt/scripts/\nRUN chmod +x /opt/scripts/*.sh\n",
            &["chmod +x /opt/scripts/*.sh"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY start-container /usr/local/bin/start-container\nRUN chmod +x /usr/local/bin/start-container\n",
            &["chmod +x /usr/local/bin/start-container"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY <<EOF /run.sh\necho hi\nEOF\nRUN chmod +x /run.sh\n",
            &["chmod +x /run.sh"],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nENV APP=/opt/app\nCOPY . $APP\nRUN chown -R app \"$APP\"\n",
            &["chown -R app \"$APP\""],
        );
    }

    #[test]
    fn near_misses() {
        // A directory's own entry, not its files.
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY . /app\nRUN chown app /app\n",
            &[],
        );
        // Created in the same RUN.
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY . /app\nRUN mkdir -p /app/data && chown app /app/data\n",
            &[],
        );
        // Another path.
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY . /app\nRUN chown -R app /data\n",
            &[],
        );
        // A builder stage never ships.
        check_rule(
            "LW1004",
            "FROM debian:12 AS build\nCOPY . /src\nRUN chown -R b /src\nFROM debian:12\nCOPY --from=build /src/out /out\n",
            &[],
        );
        // Relative paths after `cd` are unknown.
        check_rule(
            "LW1004",
            "FROM debian:12\nWORKDIR /a\nCOPY x.sh .\nRUN cd /b && chmod +x x.sh\n",
            &[],
        );
        // A root filesystem copied into `/` says nothing about a given path.
        check_rule(
            "LW1004",
            "FROM debian:12 AS build\nFROM debian:12\nCOPY --from=build /target/ /\nRUN chmod -R 1777 /go\n",
            &[],
        );
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY . /home/\nRUN useradd -m u && chown -R u /home/u\n",
            &[],
        );
        // A copied file, not a directory: a path under it is something else.
        check_rule(
            "LW1004",
            "FROM debian:12\nCOPY a.conf /etc/a.conf\nRUN chmod 600 /etc/b.conf\n",
            &[],
        );
    }

    #[test]
    fn inherited_through_stages() {
        check_rule(
            "LW1004",
            "FROM debian:12 AS base\nWORKDIR /app\nCOPY . .\nFROM base\nRUN chown -R 1000 .\n",
            &["chown -R 1000 ."],
        );
    }
}
