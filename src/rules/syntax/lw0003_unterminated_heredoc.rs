//! `LW0003` (unterminated-heredoc): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A heredoc (`<<EOF`) on a RUN, COPY or ADD line has no terminator line.
    ///
    /// ## Why is this bad?
    /// Without the terminator, BuildKit reads the rest of the file as the heredoc's body: every
    /// instruction after it silently becomes text.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN <<EOF
    /// apt-get update
    /// CMD ["bash"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN <<EOF
    /// apt-get update
    /// EOF
    /// CMD ["bash"]
    /// ```
    ///
    /// ## Notes
    /// The terminator must be alone on its line and match exactly (with `<<-`, leading tabs are
    /// ignored).
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0003 = {
        code: "LW0003",
        name: "unterminated-heredoc",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
