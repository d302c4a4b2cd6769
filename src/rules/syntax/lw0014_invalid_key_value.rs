//! `LW0014` (invalid-key-value): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An `ENV` or `LABEL` entry without a value, such as `ENV DEBUG` or `LABEL a=1 b`.
    ///
    /// ## Why is this bad?
    /// BuildKit needs `key=value` pairs (or the single legacy `key value` form) and rejects the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV DEBUG
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV DEBUG=1
    /// ```
    ///
    /// ## Notes
    /// `ARG NAME` without a default is valid and not reported.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0014 = {
        code: "LW0014",
        name: "invalid-key-value",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
