//! DL3007: a base image pinned to `latest`.

use rowan::{TextRange, TextSize};

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` image tagged `latest` without a digest.
    ///
    /// ## Why is this bad?
    /// `latest` is a moving pointer, not a version. Writing it out looks deliberate but gives
    /// the same unrepeatable builds as no tag at all, and hides which version was tested.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Notes
    /// `alpine:latest@sha256:…` is not reported: the digest pins the image.
    ///
    /// ## References
    /// Matches hadolint's DL3007 exactly; the range is the `:latest` tag rather than the line.
    pub static DL3007 = {
        code: "DL3007",
        name: "latest-tag",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct LatestTag;

impl Rule for LatestTag {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx, instr: &ast::Instruction) {
        let Some(from) = ast::From::cast(instr.syntax().clone()) else {
            return;
        };
        let Some(image) = from.image() else { return };
        let text = image.text();
        let image_ref = ast::ImageRef::parse(&text);
        if image_ref.tag.as_deref() != Some("latest") || image_ref.digest.is_some() {
            return;
        }
        // Point at `:latest` when the argument is written on one piece (no continuation).
        let range = match text.rfind(":latest") {
            Some(idx) if u32::from(image.range().len()) as usize == text.len() => {
                let start = image.range().start() + TextSize::new(idx as u32);
                TextRange::at(start, TextSize::new(":latest".len() as u32))
            }
            _ => image.range(),
        };
        let name = &text[..text.rfind(":latest").unwrap_or(text.len())];
        acc.push(Diagnostic::new(
            &DL3007,
            range,
            format!("`{name}:latest` changes whenever upstream publishes: pin a version tag"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn latest() {
        check_codes("FROM alpine:latest\n", &["DL3007"]);
        check_codes("FROM alpine:latest@sha256:abc\n", &[]);
        check_codes("FROM alpine:3.20\n", &[]);
        check_codes("FROM alpine\n", &["DL3006"]);
        check_ranges("FROM alpine:latest AS a\n", &[("DL3007", ":latest")]);
    }
}
