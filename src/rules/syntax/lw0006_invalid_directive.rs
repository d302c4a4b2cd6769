//! `LW0006` (invalid-directive): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A parser directive at the top of the file is invalid: an escape character other than `\` or
    /// `` ` ``, or the same directive twice.
    ///
    /// ## Why is this bad?
    /// BuildKit rejects the file before reading any instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// # escape=/
    /// FROM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # escape=`
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0006 = {
        code: "LW0006",
        name: "invalid-directive",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
