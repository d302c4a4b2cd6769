//! `LW0015` (invalid-stage-name): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A stage name after `AS` that BuildKit does not accept.
    ///
    /// ## Why is this bad?
    /// Stage names must start with a letter and contain only letters, digits, `-`, `_` and `.`; others
    /// fail the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS 1-build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build-1
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0015 = {
        code: "LW0015",
        name: "invalid-stage-name",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
