//! `LW0011` (invalid-instruction-form): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An instruction written in a form BuildKit does not accept: `SHELL` without the JSON form.
    /// (`ONBUILD` wrapping `ONBUILD`, `FROM` or `MAINTAINER` is hadolint's DL3043.)
    ///
    /// ## Why is this bad?
    /// The build fails when the file is parsed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// SHELL /bin/bash -c
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0011 = {
        code: "LW0011",
        name: "invalid-instruction-form",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
