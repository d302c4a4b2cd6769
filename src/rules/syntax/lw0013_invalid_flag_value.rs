//! `LW0013` (invalid-flag-value): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A flag's value is missing, empty or malformed: `--from` without `=`, `--link=maybe`, a
    /// `--chmod` that is not an octal or symbolic mode, or a flag given twice where only one counts.
    ///
    /// ## Why is this bad?
    /// BuildKit fails the build with a flag error.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY --from app /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY --from=app /app /app
    /// ```
    ///
    /// ## Notes
    /// `--mount`, `--exclude` and `--device` may be repeated.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0013 = {
        code: "LW0013",
        name: "invalid-flag-value",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
