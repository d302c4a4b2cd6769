//! `LW0001` (unknown-instruction): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A line starts with a word that is not a Dockerfile instruction.
    ///
    /// ## Why is this bad?
    /// BuildKit stops the build at the first unknown instruction, so nothing after it is built. The
    /// usual causes are a typo (`FORM`, `COPPY`) or a shell line that lost the `\` continuing the
    /// previous `RUN`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update
    ///     && apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update \
    ///     && apt-get install -y curl
    /// ```
    ///
    /// ## Notes
    /// The message suggests the closest instruction keyword, and points at a missing continuation when
    /// the line starts with `&&`, `||` or `|`. The rest of the line is kept in the tree, so every later
    /// instruction is still checked.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0001 = {
        code: "LW0001",
        name: "unknown-instruction",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
