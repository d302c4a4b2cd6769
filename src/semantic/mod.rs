//! The semantic model: what the file means beyond its syntax.
//!
//! Today it holds the build stages (name, base image, parent stage) and the suppression
//! pragmas; variable scopes, effective USER/WORKDIR/SHELL and layers come with the semantic
//! issue. It is a pure function of the syntax tree: no IO, no configuration.

mod pragmas;

use rowan::TextRange;

pub use pragmas::{Pragma, PragmaScope, PragmaTool};

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
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    pub stages: Vec<Stage>,
    pub pragmas: Vec<Pragma>,
}

impl Model {
    pub fn new(file: &ast::SourceFile) -> Model {
        let mut stages: Vec<Stage> = Vec::new();
        for instr in file.instructions() {
            let range = instr.syntax().text_range();
            if instr.kind() != SyntaxKind::FROM_INSTR {
                if let Some(stage) = stages.last_mut() {
                    stage.range = TextRange::new(stage.range.start(), range.end());
                }
                continue;
            }
            let Some(from) = ast::From::cast(instr.syntax().clone()) else {
                continue;
            };
            let image_arg = from.image();
            let image_text = image_arg.as_ref().map(|a| a.text());
            // A stage name is matched case-insensitively, as BuildKit does.
            let base_stage = image_text.as_ref().and_then(|img| {
                stages
                    .iter()
                    .position(|s| s.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(img)))
            });
            let image = match (&image_text, base_stage) {
                (Some(text), None) => Some(ImageRef::parse(text)),
                _ => None,
            };
            let name_node = from.stage_name();
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
            });
            if let Some(base) = base_stage {
                stages[base].used_as_base = true;
            }
        }
        let pragmas = pragmas::collect(file, &stages);
        Model { stages, pragmas }
    }

    /// Whether the stage ends up in the built image: the last stage, or one a later stage
    /// builds on with `FROM <name>` (stages only copied from are not).
    pub fn is_in_final_image(&self, stage_idx: usize) -> bool {
        stage_idx + 1 == self.stages.len()
            || self.stages.get(stage_idx).is_some_and(|s| s.used_as_base)
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
