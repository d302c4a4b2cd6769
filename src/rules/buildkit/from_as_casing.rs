//! FromAsCasing: `AS` cased differently from the `FROM` keyword.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::buildkit::Casing;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags the `AS` of `FROM image AS name` when its case differs from the `FROM` keyword's:
    /// `FROM image as name` or `from image AS name`.
    ///
    /// ## Why is this bad?
    /// `AS` reads as part of the instruction's syntax, and mixing cases inside one line makes
    /// keywords harder to tell from arguments (is `as` a keyword or an image tag?). Writing it
    /// the way the instruction is written keeps the file uniform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 as build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20 AS build
    /// ```
    ///
    /// ## Fix safety
    /// The fix re-cases `AS` to match `FROM`; keywords are case-insensitive, so it is safe.
    ///
    /// ## References
    /// Matches BuildKit's FromAsCasing check exactly: a `FROM` keyword of mixed case (`From`)
    /// is left to ConsistentInstructionCasing, and then `AS` is not checked.
    pub static FROM_AS_CASING = {
        code: "FromAsCasing",
        name: "from-as-casing",
        origin: BuildKit,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct FromAsCasing;

impl Rule for FromAsCasing {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(as_token) = ast::From::cast(instr.syntax().clone()).and_then(|f| f.as_token())
        else {
            return;
        };
        let keyword = instr.keyword_text();
        let expected = match Casing::of(&keyword) {
            Casing::Lower => "as",
            Casing::Upper => "AS",
            Casing::Mixed => return,
        };
        let written = as_token.text();
        if written == expected {
            return;
        }
        acc.push(
            Diagnostic::new(
                &FROM_AS_CASING,
                as_token.text_range(),
                format!("`{written}` is cased differently from `{keyword}`"),
            )
            .with_fix(Fix::safe(
                format!("Write `{expected}`"),
                vec![Edit::replace(as_token.text_range(), expected)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn mismatched_as() {
        check_ranges("FROM a:1 as b\n", &[("FromAsCasing", "as")]);
        check_ranges("FROM a:1 As b\n", &[("FromAsCasing", "As")]);
        check_ranges("from a:1 AS b\n", &[("FromAsCasing", "AS")]);
        check_ranges("from a:1 aS b\n", &[("FromAsCasing", "aS")]);
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1 AS b\n", &[]);
        check_codes("from a:1 as b\n", &[]);
        check_codes("FROM a:1\n", &[]);
        // A mixed-case FROM is ConsistentInstructionCasing's finding alone.
        check_codes("From a:1 as b\n", &["ConsistentInstructionCasing"]);
    }

    #[test]
    fn fix() {
        check_fix("FROM a:1 as b\n", "FromAsCasing", "FROM a:1 AS b\n");
        check_fix("from a:1 As b\n", "FromAsCasing", "from a:1 as b\n");
    }
}
