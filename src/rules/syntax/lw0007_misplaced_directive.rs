//! `LW0007` (misplaced-directive): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A `# syntax=` or `# escape=` comment that is not in the directive block at the top of the file.
    ///
    /// ## Why is this bad?
    /// Directives count only before the first instruction, comment or blank line. Anywhere else they
    /// are plain comments, so the frontend or escape character the author asked for is silently not
    /// used.
    ///
    /// ## Example
    /// ```dockerfile
    /// # Build the API image
    /// # syntax=docker/dockerfile:1
    /// FROM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// # Build the API image
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Notes
    /// `# check=` comments are not reported: directly above an instruction they are BuildKit's
    /// per-instruction check settings.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0007 = {
        code: "LW0007",
        name: "misplaced-directive",
        origin: Syntax,
        severity: Warning,
        fix: None,
    }
}
