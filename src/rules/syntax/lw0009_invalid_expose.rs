//! `LW0009` (invalid-expose): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An `EXPOSE` argument that is not a port, a port range or a port with a protocol.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with an invalid port error.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE http
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## Notes
    /// Arguments with variables are not checked (their value is known only at build time). A
    /// `host:container` mapping is a separate BuildKit check (ExposeInvalidFormat).
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0009 = {
        code: "LW0009",
        name: "invalid-expose",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
