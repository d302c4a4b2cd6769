//! DL3045: COPY to a relative destination before any WORKDIR.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode, unquote};

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` to a relative destination in a stage that has not set a `WORKDIR` (itself
    /// or through the stage it builds on).
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory inherited from the
    /// base image, which this file does not state and which can change with the base image.
    /// Set `WORKDIR` first, or copy to an absolute path.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package.json .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY package.json .
    /// ```
    ///
    /// ## Known problems
    /// A WORKDIR set by an external base image is not known, so a file that relies on it is
    /// reported (as by hadolint, hadolint#930).
    ///
    /// ## References
    /// Matches hadolint's DL3045.
    pub static DL3045 = {
        code: "DL3045",
        name: "copy-relative-without-workdir",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct CopyRelativeWithoutWorkdir {
    workdir_set: StageState<bool>,
}

impl Rule for CopyRelativeWithoutWorkdir {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.workdir_set.visit(ctx, instr);
        match instr.kind() {
            SyntaxKind::WORKDIR_INSTR => *self.workdir_set.current() = true,
            SyntaxKind::COPY_INSTR => {
                if *self.workdir_set.current() {
                    return;
                }
                let Some(copy) = ast::Copy::cast(instr.syntax().clone()) else {
                    return;
                };
                let Some(dest) = copy.destination() else {
                    return;
                };
                let dest = unquote(&dest);
                let bytes = dest.as_bytes();
                let windows_drive =
                    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
                if dest.starts_with('/')
                    || dest.starts_with('$')
                    || windows_drive
                    || copy.paths().len() < 2
                {
                    return;
                }
                let range = instr
                    .arguments()
                    .last()
                    .map_or(instr.keyword_range(), |a| a.range());
                acc.push(Diagnostic::new(
                    &DL3045,
                    range,
                    format!("`{dest}` is relative to a working directory this stage never sets: add a WORKDIR or use an absolute path"),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn relative() {
        check_codes("FROM a:1\nCOPY x .\n", &["DL3045"]);
        check_codes("FROM a:1\nWORKDIR /app\nCOPY x .\n", &[]);
        check_codes("FROM a:1\nCOPY x /app/\n", &[]);
        check_codes("FROM a:1 AS base\nWORKDIR /app\nFROM base\nCOPY x .\n", &[]);
        check_codes(
            "FROM a:1 AS base\nWORKDIR /app\nFROM b:1\nCOPY x .\n",
            &["DL3045"],
        );
    }
}
