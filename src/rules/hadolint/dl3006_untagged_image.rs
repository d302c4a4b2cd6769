//! DL3006: a base image without a tag.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image has neither a tag nor a digest.
    ///
    /// ## Why is this bad?
    /// Without a tag the image resolves to `latest`, which moves whenever upstream publishes.
    /// The same Dockerfile then builds different images on different days, and a rebuild can
    /// break for reasons that are not in the file. A tag (better: a digest) makes builds
    /// repeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ```
    ///
    /// ## Notes
    /// Not reported for `scratch`, for images given by a variable (`FROM $BASE`), or for the
    /// name of an earlier stage (`FROM build`).
    ///
    /// ## References
    /// Matches hadolint's DL3006 exactly.
    pub static DL3006 = {
        code: "DL3006",
        name: "untagged-image",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct UntaggedImage;

impl Rule for UntaggedImage {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        let Some(from) = ast::From::cast(instr.syntax().clone()) else {
            return;
        };
        let Some(image) = from.image() else { return };
        let text = image.text();
        if text.starts_with('$') {
            return;
        }
        let image_ref = ast::ImageRef::parse(&text);
        if image_ref.tag.is_some() || image_ref.digest.is_some() || image_ref.is_scratch() {
            return;
        }
        let stage_idx = ctx.stage_idx.unwrap_or(0);
        if ctx.model.stage_named(&text, stage_idx).is_some() {
            return;
        }
        acc.push(Diagnostic::new(
            &DL3006,
            image.range(),
            format!("`{text}` has no tag, so it means whatever `latest` is today: pin a tag such as `{text}:<version>`"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn untagged() {
        check_codes("FROM debian\n", &["DL3006"]);
        check_codes("FROM docker.io/library/debian\n", &["DL3006"]);
        check_codes("FROM localhost:5000/app\n", &["DL3006"]);
        check_codes("FROM debian:12\n", &[]);
        check_codes("FROM debian@sha256:abc\n", &[]);
        check_codes("FROM scratch\n", &[]);
        check_codes("ARG BASE=debian:12\nFROM $BASE\n", &[]);
        check_codes("FROM debian:12 AS build\nFROM build\n", &[]);
        // The upper-case name is StageNameCasing's finding; the reference still resolves.
        check_codes(
            "FROM debian:12 AS Build\nFROM build\n",
            &["StageNameCasing"],
        );
    }

    #[test]
    fn a_later_stage_name_does_not_count() {
        check_codes("FROM build\nFROM debian:12 AS build\n", &["DL3006"]);
    }
}
