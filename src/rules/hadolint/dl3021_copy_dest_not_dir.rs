//! DL3021: COPY of several sources to a destination that is not a directory.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` with more than one source whose destination does not end in `/`.
    ///
    /// ## Why is this bad?
    /// With several sources the destination must be a directory, and BuildKit requires it to
    /// end with `/`; otherwise the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// Adding the trailing `/` is safe: the build cannot succeed without it.
    ///
    /// ## References
    /// Matches hadolint's DL3021.
    pub static DL3021 = {
        code: "DL3021",
        name: "copy-destination-not-directory",
        origin: Hadolint,
        severity: Error,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct CopyDestNotDir;

impl Rule for CopyDestNotDir {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::COPY_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(copy) = ast::Copy::cast(instr.syntax().clone()) else {
            return;
        };
        let paths = copy.paths();
        if paths.len() <= 2 {
            return;
        }
        let Some(dest) = paths.last() else { return };
        if dest.ends_with('/') {
            return;
        }
        let mut diagnostic;
        match instr.arguments().last() {
            Some(arg) => {
                diagnostic = Diagnostic::new(
                    &DL3021,
                    arg.range(),
                    format!(
                        "several sources are copied, so `{dest}` must be a directory ending in `/`"
                    ),
                );
                diagnostic = diagnostic.with_fix(Fix::safe(
                    format!("Use `{dest}/`"),
                    vec![Edit::insert(arg.range().end(), "/")],
                ));
            }
            None => {
                let range = instr
                    .json_array()
                    .map_or(instr.keyword_range(), |a| a.syntax().text_range());
                diagnostic = Diagnostic::new(
                    &DL3021,
                    range,
                    format!(
                        "several sources are copied, so `{dest}` must be a directory ending in `/`"
                    ),
                );
            }
        }
        acc.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn dest() {
        check_fix(
            "FROM a:1\nCOPY a b /app\n",
            "DL3021",
            "FROM a:1\nCOPY a b /app/\n",
        );
        check_codes("FROM a:1\nCOPY a b /app/\n", &[]);
        check_codes("FROM a:1\nCOPY a /app\n", &[]);
        check_codes("FROM a:1\nCOPY [\"a\", \"b\", \"/app\"]\n", &["DL3021"]);
    }
}
