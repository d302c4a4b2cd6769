//! `LW0018` (unclosed-variable): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A `${NAME` variable reference without its closing `}` in an instruction BuildKit expands
    /// itself (`ENV`, `ARG`, `LABEL`, `FROM`, `COPY`, `ADD`, `WORKDIR`, `USER`, `EXPOSE`, `VOLUME`,
    /// `STOPSIGNAL`, and their flags).
    ///
    /// ## Why is this bad?
    /// BuildKit fails the build with "missing '}'" (or "unexpected end of statement") when it
    /// expands the instruction, before any step runs. In the editor it is usually a reference
    /// being typed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=${HOME/app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=${HOME}/app
    /// ```
    ///
    /// ## Notes
    /// `RUN`, `CMD` and `ENTRYPOINT` are not checked: their shell form goes to the shell, which has
    /// its own rules. References inside single quotes are literal text and not checked.
    ///
    /// ## References
    /// Reported by the parser, with the range of the unclosed reference.
    pub static LW0018 = {
        code: "LW0018",
        name: "unclosed-variable",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
