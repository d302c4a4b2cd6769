//! `LW0012` (too-many-arguments): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An instruction has more arguments than it accepts, such as words after `FROM image AS name`.
    ///
    /// ## Why is this bad?
    /// BuildKit rejects `FROM` with anything but one or three arguments.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS build extra
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20 AS build
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0012 = {
        code: "LW0012",
        name: "too-many-arguments",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
