//! ConsistentInstructionCasing: an instruction keyword cased unlike most of the file's.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::buildkit::Casing;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;
use crate::syntax::{SyntaxKind, SyntaxToken};

declare_rule! {
    /// ## What it does
    /// Flags an instruction keyword cased unlike most keywords of the file. When most
    /// keywords are lower case, the ones that are not are flagged; otherwise (ties included)
    /// the ones that are not upper case. A mixed-case keyword (`Run`) is always flagged and
    /// does not count towards the majority.
    ///
    /// ## Why is this bad?
    /// Keywords are case-insensitive, but one casing throughout lets a reader tell the
    /// instructions from their arguments at a glance. A stray `Copy` among `RUN`s looks like a
    /// mistake, and mixed casing is usually a sign of pasted fragments.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// Run echo hello > /greeting.txt
    /// ENTRYPOINT ["cat", "/greeting.txt"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hello > /greeting.txt
    /// ENTRYPOINT ["cat", "/greeting.txt"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix re-cases the keyword to the majority's case; keywords are case-insensitive, so
    /// it is safe.
    ///
    /// ## References
    /// Matches BuildKit's ConsistentInstructionCasing check exactly, including what it leaves
    /// out: instructions before the first `FROM` (global `ARG`s) are neither counted nor
    /// reported, and neither is the instruction inside an `ONBUILD`.
    pub static CONSISTENT_INSTRUCTION_CASING = {
        code: "ConsistentInstructionCasing",
        name: "consistent-instruction-casing",
        origin: BuildKit,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct ConsistentInstructionCasing {
    keywords: Vec<SyntaxToken>,
}

impl Rule for ConsistentInstructionCasing {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild || ctx.stage_idx.is_none() || instr.kind() == SyntaxKind::UNKNOWN_INSTR {
            return;
        }
        if let Some(keyword) = instr.keyword_token() {
            self.keywords.push(keyword);
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx) {
        let (mut n_lower, mut n_upper) = (0usize, 0usize);
        for keyword in &self.keywords {
            match Casing::of(keyword.text()) {
                Casing::Lower => n_lower += 1,
                Casing::Upper => n_upper += 1,
                Casing::Mixed => {}
            }
        }
        let majority = if n_lower > n_upper {
            Casing::Lower
        } else {
            Casing::Upper
        };
        for keyword in &self.keywords {
            let text = keyword.text();
            let casing = Casing::of(text);
            if casing == majority {
                continue;
            }
            let fixed = match majority {
                Casing::Lower => text.to_lowercase(),
                _ => text.to_uppercase(),
            };
            let message = match casing {
                Casing::Mixed => format!(
                    "`{text}` mixes upper and lower case; most instructions in this file are {}",
                    majority.as_str()
                ),
                _ => format!(
                    "`{text}` is {} while most instructions in this file are {}",
                    casing.as_str(),
                    majority.as_str()
                ),
            };
            acc.push(
                Diagnostic::new(
                    &CONSISTENT_INSTRUCTION_CASING,
                    keyword.text_range(),
                    message,
                )
                .with_fix(Fix::safe(
                    format!("Write `{fixed}`"),
                    vec![Edit::replace(keyword.text_range(), fixed.clone())],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn majority_decides() {
        check_ranges(
            "FROM a:1\nWORKDIR /x\nrun y\n",
            &[("ConsistentInstructionCasing", "run")],
        );
        check_ranges(
            "from a:1\nworkdir /x\nRUN y\n",
            &[("ConsistentInstructionCasing", "RUN")],
        );
        // A tie goes to upper case.
        check_ranges(
            "from a:1\nRUN y\n",
            &[("ConsistentInstructionCasing", "from")],
        );
        // Mixed case never counts and is always reported.
        check_ranges(
            "from a:1\nRun y\nWorkDir /x\n",
            &[
                ("ConsistentInstructionCasing", "Run"),
                ("ConsistentInstructionCasing", "WorkDir"),
            ],
        );
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1\nRUN x\n", &[]);
        check_codes("from a:1\nrun x\n", &[]);
        // Global ARGs and ONBUILD's instruction are outside the check, as in BuildKit.
        check_codes("arg V=1\nFROM a:$V\nRUN x\n", &[]);
        check_codes("FROM a:1\nONBUILD run x\n", &[]);
    }

    #[test]
    fn fix() {
        check_fix(
            "FROM a:1\nRUN x\nCopy a b\n",
            "ConsistentInstructionCasing",
            "FROM a:1\nRUN x\nCOPY a b\n",
        );
        check_fix(
            "from a:1\nrun x\nCOPY a b\n",
            "ConsistentInstructionCasing",
            "from a:1\nrun x\ncopy a b\n",
        );
    }
}
