//! DL3042: `pip install` that leaves pip's cache in the image.

use rowan::TextSize;

use super::util::{has_cache_mount, has_flag, invocation_range, pip_install, removes_recursively};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::shell::Script;
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags `pip install` (also `pip3`, `python -m pip`) without `--no-cache-dir`, unless the
    /// cache is switched off another way.
    ///
    /// ## Why is this bad?
    /// pip keeps every downloaded archive and built wheel under `~/.cache/pip`. In an image
    /// nothing reuses that cache: it only adds its size, often as much as the installed
    /// packages, to the layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install flask==3.0.3
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--no-cache-dir` is safe: pip installs the same packages and only stops writing
    /// its cache.
    ///
    /// ## Notes
    /// Not reported when:
    /// - `PIP_NO_CACHE_DIR` is set by an `ENV` of the stage or of a stage it builds on
    ///   (`FROM <stage>`), by an `ARG` default of the stage, or in the script before the pip
    ///   command (`PIP_NO_CACHE_DIR=1 pip install …`, `export PIP_NO_CACHE_DIR=1`);
    /// - the RUN mounts a cache or tmpfs on `.cache/pip`, or deletes it with `rm -r` after the
    ///   install;
    /// - the command is `pipx` or `pipenv`, which manage their own caches.
    ///
    /// pip turns its cache off for *any* valid boolean value of `PIP_NO_CACHE_DIR`, `0` and
    /// `false` included (a compatibility quirk documented in pip's source), so layerwise
    /// accepts all of them.
    ///
    /// ## References
    /// Matches hadolint's DL3042. Differences, where hadolint is wrong: hadolint accepts only
    /// the "true" spellings of `PIP_NO_CACHE_DIR`, never lets a later `ENV` unset it, ignores
    /// `ARG PIP_NO_CACHE_DIR=1`, and finds the inline form anywhere in the RUN, even after the
    /// pip command it should apply to. layerwise also recognises pip by its base name
    /// (`/opt/conda/bin/pip`) and in the `python -mpip` spelling, which hadolint misses.
    pub static DL3042 = {
        code: "DL3042",
        name: "pip-missing-no-cache-dir",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

/// Whether `PIP_NO_CACHE_DIR` switches pip's cache off, per stage.
#[derive(Clone, Copy, Default)]
struct CacheOff {
    /// Set by ENV in this stage or inherited from the stage it builds on.
    by_env: bool,
    /// Set by an ARG default in this stage (ARGs are not inherited).
    by_arg: bool,
    /// Set by an `ONBUILD ENV`, for the `ONBUILD RUN`s that follow it.
    by_onbuild_env: bool,
}

#[derive(Default)]
pub struct PipNoCacheDir {
    /// By stage index.
    stages: Vec<CacheOff>,
}

impl PipNoCacheDir {
    fn current(&mut self) -> &mut CacheOff {
        if self.stages.is_empty() {
            self.stages.push(CacheOff::default());
        }
        let last = self.stages.len() - 1;
        &mut self.stages[last]
    }
}

impl Rule for PipNoCacheDir {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        match instr.kind() {
            SyntaxKind::FROM_INSTR if !ctx.in_onbuild => {
                let idx = ctx.stage_idx.unwrap_or(0);
                let by_env = ctx
                    .model
                    .stages
                    .get(idx)
                    .and_then(|s| s.base_stage)
                    .and_then(|base| self.stages.get(base))
                    .is_some_and(|s| s.by_env);
                self.stages.truncate(idx);
                self.stages.push(CacheOff {
                    by_env,
                    ..CacheOff::default()
                });
            }
            SyntaxKind::ENV_INSTR | SyntaxKind::ARG_INSTR => {
                let Some(value) = assigned_value(instr) else {
                    return;
                };
                let off = switches_cache_off(&value);
                let in_onbuild = ctx.in_onbuild;
                let state = self.current();
                match (instr.kind(), in_onbuild) {
                    (SyntaxKind::ENV_INSTR, false) => state.by_env = off,
                    (SyntaxKind::ENV_INSTR, true) => state.by_onbuild_env = off,
                    (_, false) => state.by_arg = off,
                    (_, true) => {}
                }
            }
            SyntaxKind::RUN_INSTR => {
                let state = *self.current();
                if state.by_env
                    || state.by_arg
                    || (ctx.in_onbuild && state.by_onbuild_env)
                    || has_cache_mount(ctx, ".cache/pip")
                {
                    return;
                }
                for cmd in ctx.commands.iter() {
                    let Some((install, _)) = pip_install(cmd) else {
                        continue;
                    };
                    let set_inline = ctx
                        .script
                        .as_ref()
                        .is_some_and(|s| set_inline_before(s, cmd.name.range.start()));
                    let removed = removes_recursively(&ctx.commands, cmd.range.start(), |path| {
                        path.trim_end_matches(['/', '*']).ends_with(".cache/pip")
                    });
                    if cmd.program().starts_with("pipx")
                        || has_flag(cmd, &["--no-cache-dir"])
                        || set_inline
                        || removed
                    {
                        continue;
                    }
                    acc.push(
                        Diagnostic::new(
                            &DL3042,
                            invocation_range(cmd, install),
                            "`pip install` keeps its download cache in the image: add `--no-cache-dir`",
                        )
                        .with_fix(Fix::safe(
                            "Add `--no-cache-dir`",
                            vec![Edit::insert(install.range.end(), " --no-cache-dir")],
                        )),
                    );
                }
            }
            _ => {}
        }
    }
}

const VARIABLE: &str = "PIP_NO_CACHE_DIR";

/// The value the instruction gives `PIP_NO_CACHE_DIR`, if it sets it (the last one wins).
fn assigned_value(instr: &ast::Instruction) -> Option<String> {
    let kv = ast::KeyValueInstruction::cast(instr.syntax().clone())?;
    kv.pairs()
        .filter(|pair| pair.key() == VARIABLE)
        .filter_map(|pair| pair.value())
        .last()
}

/// pip reads the variable as a boolean and, for compatibility, disables the cache for every
/// valid spelling, false ones included.
fn switches_cache_off(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "y" | "yes" | "t" | "true" | "on" | "1" | "n" | "no" | "f" | "false" | "off" | "0"
    )
}

/// Whether the script assigns `PIP_NO_CACHE_DIR` before `before` (a document offset): as a
/// prefix of the command, or with `export` earlier.
fn set_inline_before(script: &Script, before: TextSize) -> bool {
    let text = script.text();
    text.match_indices(VARIABLE).any(|(at, _)| {
        let preceded_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        let Some(value) = text[at + VARIABLE.len()..].strip_prefix('=') else {
            return false;
        };
        let value: String = value
            .chars()
            .take_while(|c| !c.is_whitespace() && !";&|)".contains(*c))
            .filter(|c| !"'\"".contains(*c))
            .collect();
        preceded_ok && switches_cache_off(&value) && script.to_document(at, at).start() < before
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    const PIN: &str = "flask==3.0";

    fn run(run: &str) -> String {
        format!("FROM a:1\n{run}\n")
    }

    #[test]
    fn flagged() {
        check_ranges(
            &run(&format!("RUN pip install {PIN}")),
            &[("DL3042", "pip install")],
        );
        check_ranges(
            &run(&format!("RUN python3 -m pip install -U {PIN}")),
            &[("DL3042", "python3 -m pip install")],
        );
        check_codes(
            &run(&format!("RUN pip install {PIN} && PIP_NO_CACHE_DIR=1 true")),
            &["DL3042"],
        );
        check_codes(&run(&format!("ONBUILD RUN pip install {PIN}")), &["DL3042"]);
        check_fix(
            &run(&format!("RUN pip install {PIN}")),
            "DL3042",
            &run(&format!("RUN pip install --no-cache-dir {PIN}")),
        );
    }

    #[test]
    fn cache_switched_off() {
        for ok in [
            format!("RUN pip install --no-cache-dir {PIN}"),
            "RUN pip install -r req.txt --no-cache-dir".to_string(),
            "RUN pipx install black==24.1".to_string(),
            "RUN pipenv install".to_string(),
            format!("RUN PIP_NO_CACHE_DIR=1 pip install {PIN}"),
            format!("RUN export PIP_NO_CACHE_DIR=true && pip install {PIN}"),
            format!("RUN --mount=type=cache,target=/root/.cache/pip pip install {PIN}"),
            format!("RUN pip install {PIN} && rm -rf /root/.cache/pip"),
            format!("ENV PIP_NO_CACHE_DIR=1\nRUN pip install {PIN}"),
            format!("ENV PIP_NO_CACHE_DIR=off\nRUN pip install {PIN}"),
            format!("ARG PIP_NO_CACHE_DIR=1\nRUN pip install {PIN}"),
            format!("ONBUILD ENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install {PIN}"),
        ] {
            check_codes(&run(&ok), &[]);
        }
    }

    #[test]
    fn env_by_stage() {
        check_codes(
            &format!(
                "FROM a:1 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install {PIN}\nFROM a:1\nRUN pip install {PIN}\n"
            ),
            &["DL3042"],
        );
        check_codes(
            &format!(
                "FROM a:1 AS base\nARG PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install {PIN}\n"
            ),
            &["DL3042"],
        );
        check_codes(
            &run(&format!(
                "ENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=\nRUN pip install {PIN}"
            )),
            &["DL3042"],
        );
        check_codes(
            &run(&format!(
                "ONBUILD ENV PIP_NO_CACHE_DIR=1\nRUN pip install {PIN}"
            )),
            &["DL3042"],
        );
        check_codes(
            &run(&format!("ENV MY_PIP_NO_CACHE_DIR=1\nRUN pip install {PIN}")),
            &["DL3042"],
        );
    }
}
