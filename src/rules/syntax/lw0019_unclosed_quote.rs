//! `LW0019` (unclosed-quote): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A `"` or `'` that is never closed in an instruction BuildKit expands itself (`ENV`, `ARG`,
    /// `LABEL`, `FROM`, `COPY`, `ADD`, `WORKDIR`, `USER`, `EXPOSE`, `VOLUME`, `STOPSIGNAL`).
    ///
    /// ## Why is this bad?
    /// BuildKit reads these arguments with shell-like quoting and fails with "unexpected end of
    /// statement while looking for matching double-quote" (or single-quote). A common cause is an
    /// apostrophe in the legacy form, `ENV MESSAGE it's ready`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL description="A small image
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL description="A small image"
    /// ```
    ///
    /// ## Notes
    /// Line continuations and comment lines inside the quotes are removed first, as BuildKit does,
    /// so a quoted value may span lines. The escape character escapes a quote outside single
    /// quotes. `RUN`, `CMD` and `ENTRYPOINT` are left to the shell.
    ///
    /// ## References
    /// Reported by the parser; the range runs from the opening quote to the end of the instruction.
    pub static LW0019 = {
        code: "LW0019",
        name: "unclosed-quote",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
