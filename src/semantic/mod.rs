//! The semantic model: what the file means beyond its syntax.
//!
//! Today it holds the build stages (name, base image, parent stage) and the suppression
//! pragmas; variable scopes, effective USER/WORKDIR/SHELL and layers come with the semantic
//! issue. It is a pure function of the syntax tree: no IO, no configuration.
//!
//! Beside the model, [`dockerignore`] holds Docker's `.dockerignore` semantics and [`context`]
//! the build-context facts rules may be given ([`context::ContextFacts`]): both pure, fed by
//! `env::context`, which reads the disk.

pub mod context;
pub mod dockerignore;
mod pragmas;
pub mod vars;

use rowan::{TextRange, TextSize};

pub use pragmas::{CheckSettings, Pragma, PragmaScope, PragmaTool, parse_shell_pragma};
pub use vars::{VarDef, VarKind, VarUse, Variables};

use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode, ImageRef};

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name as written.
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    /// The FROM instruction's range (heredoc bodies excluded).
    pub from_range: TextRange,
    /// The base image as written (`node:${V}`), and its range.
    pub image_text: Option<String>,
    pub image_range: Option<TextRange>,
    /// The parsed base image; `None` when the base is an earlier stage or missing.
    pub image: Option<ImageRef>,
    /// The earlier stage this one builds on (`FROM build AS test`).
    pub base_stage: Option<usize>,
    /// Range of the whole stage, from its FROM to the end of its last instruction.
    pub range: TextRange,
    /// A later stage builds on this one (`FROM <this stage's name>`).
    pub used_as_base: bool,
    /// The shell in effect at the stage's start (inherited from its base stage, or the
    /// platform default), then each SHELL instruction of the stage with its offset.
    pub initial_shell: Vec<String>,
    pub shell_changes: Vec<(TextSize, Vec<String>)>,
}

/// The default shell of Linux images.
pub const POSIX_DEFAULT_SHELL: &[&str] = &["/bin/sh", "-c"];
/// The default shell of Windows images.
pub const WINDOWS_DEFAULT_SHELL: &[&str] = &["cmd", "/S", "/C"];

/// Whether a shell (its argv) reads POSIX shell syntax.
pub fn is_posix_shell(argv: &[String]) -> bool {
    let Some(program) = argv.first() else {
        return true;
    };
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let name = name.trim_end_matches(".exe");
    matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

impl Stage {
    /// The shell's argv in effect at `offset` inside this stage.
    pub fn shell_at(&self, offset: TextSize) -> &[String] {
        self.shell_changes
            .iter()
            .rev()
            .find(|(at, _)| *at < offset)
            .map_or(&self.initial_shell[..], |(_, argv)| &argv[..])
    }

    /// The shell at the end of the stage.
    pub fn final_shell(&self) -> &[String] {
        self.shell_changes
            .last()
            .map_or(&self.initial_shell[..], |(_, argv)| &argv[..])
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    pub stages: Vec<Stage>,
    pub pragmas: Vec<Pragma>,
    pub vars: Variables,
    /// The `# check=` directive's options other than `skip=` (which is among `pragmas`).
    pub check: CheckSettings,
}

impl Model {
    pub fn new(file: &ast::SourceFile) -> Model {
        let source = crate::syntax::text_of(file.syntax());
        let vars = Variables::new(file, &source);
        let mut stages: Vec<Stage> = Vec::new();
        for instr in file.instructions() {
            let range = instr.syntax().text_range();
            if instr.kind() != SyntaxKind::FROM_INSTR {
                if let Some(stage) = stages.last_mut() {
                    stage.range = TextRange::new(stage.range.start(), range.end());
                    if instr.kind() == SyntaxKind::SHELL_INSTR
                        && let Some(array) = instr.json_array()
                    {
                        stage.shell_changes.push((range.start(), array.strings()));
                    }
                }
                continue;
            }
            let Some(from) = ast::From::cast(instr.syntax().clone()) else {
                continue;
            };
            let image_arg = from.image();
            let image_text = image_arg.as_ref().map(|a| a.text());
            // A stage name is matched case-insensitively, as BuildKit does, after global ARGs
            // are applied (`FROM $BASE` may name a stage).
            let base_stage = vars.stage_bases.get(stages.len()).copied().flatten();
            let resolved = vars.from_images.get(stages.len()).cloned().flatten();
            let image = match (&image_text, base_stage) {
                (Some(text), None) => Some(ImageRef::parse(resolved.as_deref().unwrap_or(text))),
                _ => None,
            };
            let name_node = from.stage_name();
            let initial_shell = match (base_stage, &image) {
                (Some(base), _) => stages[base].final_shell().to_vec(),
                (None, Some(image)) if is_windows_image(image) => WINDOWS_DEFAULT_SHELL
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                _ => POSIX_DEFAULT_SHELL.iter().map(|s| s.to_string()).collect(),
            };
            stages.push(Stage {
                index: stages.len(),
                name: name_node.as_ref().map(|n| n.text()),
                name_range: name_node.as_ref().map(|n| n.range()),
                from_range: instr.line_range(),
                image_text,
                image_range: image_arg.as_ref().map(|a| a.range()),
                image,
                base_stage,
                range,
                used_as_base: false,
                initial_shell,
                shell_changes: Vec::new(),
            });
            if let Some(base) = base_stage {
                stages[base].used_as_base = true;
            }
        }
        let (pragmas, check) = pragmas::collect(file, &stages);
        Model {
            stages,
            pragmas,
            vars,
            check,
        }
    }

    /// Whether the stage ends up in the built image: the last stage, or one a later stage
    /// builds on with `FROM <name>` (stages only copied from are not).
    pub fn is_in_final_image(&self, stage_idx: usize) -> bool {
        stage_idx + 1 == self.stages.len()
            || self.stages.get(stage_idx).is_some_and(|s| s.used_as_base)
    }

    /// Whether RUN commands at `offset` are read by a POSIX shell (so shell analysis applies).
    pub fn is_posix_shell_at(&self, offset: TextSize) -> bool {
        self.stage_at(offset)
            .is_none_or(|stage| is_posix_shell(stage.shell_at(offset)))
    }

    /// The stage containing `offset`, if any.
    pub fn stage_at(&self, offset: rowan::TextSize) -> Option<&Stage> {
        self.stages.iter().rev().find(|s| s.range.start() <= offset)
    }

    /// A stage by name, case-insensitively, defined before `before` (a stage index).
    pub fn stage_named(&self, name: &str, before: usize) -> Option<&Stage> {
        self.stages[..before.min(self.stages.len())]
            .iter()
            .find(|s| {
                s.name
                    .as_ref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
    }
}

/// Windows base images default to `cmd`; recognised by their repository name.
fn is_windows_image(image: &ImageRef) -> bool {
    let repo = image.repository.to_ascii_lowercase();
    repo.contains("windows") || repo.contains("nanoserver") || repo.contains("servercore")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn shells_per_stage() {
        let text = "FROM debian:12 AS a\nSHELL [\"pwsh\", \"-c\"]\nRUN x\nFROM a\nRUN y\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN z\nFROM alpine:3\nRUN w\n";
        let model = Model::new(&parse(text).tree());
        let at = |needle: &str| TextSize::new(text.find(needle).unwrap() as u32);
        assert!(!model.is_posix_shell_at(at("RUN x")));
        assert!(!model.is_posix_shell_at(at("RUN y")));
        assert!(!model.is_posix_shell_at(at("RUN z")));
        assert!(model.is_posix_shell_at(at("RUN w")));
    }
}
