//! StageNameCasing: a stage name that is not lower case.

use rowan::{TextRange, TextSize};

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a stage name (`FROM image AS Name`) that has upper-case letters.
    ///
    /// ## Why is this bad?
    /// Stage names are matched without regard to case, so `Build`, `build` and `BUILD` all
    /// name the same stage, and `--target` accepts any of them. Mixed spellings across `FROM`,
    /// `COPY --from` and the build command make the file harder to search and read; lower
    /// case is the convention, like image names.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS Builder
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static
    /// COPY --from=Builder /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS builder
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static
    /// COPY --from=builder /app /app
    /// ```
    ///
    /// ## Fix safety
    /// The fix lower-cases the name and every later reference to it (`FROM name`,
    /// `COPY --from=name`, `RUN --mount=…,from=name`). It is safe: stage names are matched
    /// without regard to case, so every reference keeps pointing at the same stage. It is not
    /// offered when two stages share the name.
    ///
    /// ## References
    /// Matches BuildKit's StageNameCasing check exactly.
    pub static STAGE_NAME_CASING = {
        code: "StageNameCasing",
        name: "stage-name-casing",
        origin: BuildKit,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct StageNameCasing;

impl Rule for StageNameCasing {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(from) = ast::From::cast(instr.syntax().clone()) else {
            return;
        };
        let Some(name_node) = from.stage_name() else {
            return;
        };
        let name = name_node.text();
        let lower = name.to_lowercase();
        if name == lower {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &STAGE_NAME_CASING,
            name_node.range(),
            format!("stage name `{name}` is not lower case"),
        );
        let n_stages_named = ctx
            .model
            .stages
            .iter()
            .filter(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            })
            .count();
        if n_stages_named == 1 {
            let mut edits = vec![Edit::replace(name_node.range(), lower.clone())];
            references(&mut edits, ctx, &name, &lower, name_node.range().end());
            diagnostic =
                diagnostic.with_fix(Fix::safe(format!("Rename the stage `{lower}`"), edits));
        }
        acc.push(diagnostic);
    }
}

/// Edits that rename the references to stage `name` after its definition (`after`): the
/// image of a `FROM`, `COPY --from=` and `from=` in `RUN --mount=`. ONBUILD instructions are
/// left alone: they run in another build, where the name means that build's stage.
fn references(acc: &mut Vec<Edit>, ctx: &RuleCtx, name: &str, new_name: &str, after: TextSize) {
    for instr in ctx.parse.tree().instructions() {
        if instr.syntax().text_range().start() < after {
            continue;
        }
        match instr.kind() {
            SyntaxKind::FROM_INSTR => {
                if let Some(image) = ast::From::cast(instr.syntax().clone()).and_then(|f| f.image())
                    && let Some(edit) = rename_word(&image, name, new_name)
                {
                    acc.push(edit);
                }
            }
            SyntaxKind::COPY_INSTR | SyntaxKind::ADD_INSTR => {
                if let Some(value) = instr.flag("from").and_then(|f| f.value_node())
                    && let Some(edit) = rename_word(&value, name, new_name)
                {
                    acc.push(edit);
                }
            }
            SyntaxKind::RUN_INSTR => {
                for flag in instr.flags().filter(|f| f.name() == "mount") {
                    if let Some(value) = flag.value_node() {
                        acc.extend(rename_in_mount(&value, name, new_name));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The edit that renames a word that is exactly `name` (case aside), quoted or not.
fn rename_word(word: &ast::Argument, name: &str, new_name: &str) -> Option<Edit> {
    let raw = word.syntax().text().to_string();
    let (inner, offset) = strip_quotes(&raw);
    if !inner.eq_ignore_ascii_case(name) {
        return None;
    }
    let start = word.range().start() + TextSize::new(offset as u32);
    Some(Edit::replace(
        TextRange::at(start, TextSize::of(inner)),
        new_name,
    ))
}

/// The edits that rename `from=name` inside a `--mount` value (`type=bind,from=name,…`).
fn rename_in_mount(value: &ast::Argument, name: &str, new_name: &str) -> Vec<Edit> {
    let raw = value.syntax().text().to_string();
    let (inner, offset) = strip_quotes(&raw);
    let base = value.range().start() + TextSize::new(offset as u32);
    let mut edits = Vec::new();
    let mut pos = 0;
    for field in inner.split(',') {
        let field_start = pos;
        pos += field.len() + 1;
        let Some((key, field_value)) = field.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("from") {
            continue;
        }
        let (word, quote_offset) = strip_quotes(field_value);
        if word.eq_ignore_ascii_case(name) {
            let start = field_start + key.len() + 1 + quote_offset;
            edits.push(Edit::replace(
                TextRange::at(base + TextSize::new(start as u32), TextSize::of(word)),
                new_name,
            ));
        }
    }
    edits
}

/// `"x"` → (`x`, 1); anything else unchanged.
fn strip_quotes(text: &str) -> (&str, usize) {
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            return (&text[1..text.len() - 1], 1);
        }
    }
    (text, 0)
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn upper_case_names() {
        check_ranges(
            "FROM a:1 AS Build\nFROM b:1 AS BUILD2\n",
            &[("StageNameCasing", "Build"), ("StageNameCasing", "BUILD2")],
        );
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1 AS build-2.x_y\n", &[]);
        check_codes("FROM a:1\n", &[]);
        check_codes("FROM Alpine:3\n", &[]);
    }

    #[test]
    fn fix_renames_every_later_reference() {
        check_fix(
            "FROM a:1 AS Build\nFROM Build AS test\nCOPY --from=BUILD /x /y\nRUN --mount=type=bind,from=\"Build\",target=/s true\nONBUILD COPY --from=Build /a /b\n",
            "StageNameCasing",
            "FROM a:1 AS build\nFROM build AS test\nCOPY --from=build /x /y\nRUN --mount=type=bind,from=\"build\",target=/s true\nONBUILD COPY --from=Build /a /b\n",
        );
    }

    #[test]
    fn fix_leaves_earlier_images_alone() {
        check_fix(
            "FROM a:1 AS x\nCOPY --from=Build /x /y\nFROM b:1 AS Build\n",
            "StageNameCasing",
            "FROM a:1 AS x\nCOPY --from=Build /x /y\nFROM b:1 AS build\n",
        );
    }
}
