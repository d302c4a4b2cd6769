//! `LW0016` (no-from): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A Dockerfile with instructions but no `FROM`.
    ///
    /// ## Why is this bad?
    /// There is no stage to build; BuildKit stops at once.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN echo hello
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hello
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0016 = {
        code: "LW0016",
        name: "no-from",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
