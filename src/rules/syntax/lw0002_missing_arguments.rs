//! `LW0002` (missing-arguments): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An instruction has no arguments, or fewer than it needs (`FROM` alone, `COPY` with one path).
    ///
    /// ## Why is this bad?
    /// BuildKit rejects the file while parsing. In the editor this is usually a line being typed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /srv/
    /// ```
    ///
    /// ## Notes
    /// The range is the keyword (or the lone argument), so the rest of the file keeps its diagnostics.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0002 = {
        code: "LW0002",
        name: "missing-arguments",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
