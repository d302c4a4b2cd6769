//! `LW0008` (continuation-at-eof): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// The last line of the file ends with the escape character.
    ///
    /// ## Why is this bad?
    /// The instruction continues into nothing. It is almost always a line deleted below a `\`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && \
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0008 = {
        code: "LW0008",
        name: "continuation-at-eof",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
