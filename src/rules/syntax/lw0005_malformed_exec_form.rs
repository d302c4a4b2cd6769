//! `LW0005` (malformed-exec-form): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// An argument list that looks like the exec (JSON) form but is not valid JSON.
    ///
    /// ## Why is this bad?
    /// BuildKit does not reject it: it silently runs the text as a shell command, `/bin/sh -c
    /// "['node', 'server.js']"`, which fails at run time or runs something else. Single quotes and a
    /// missing `]` are the usual causes.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ['node', 'server.js']
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Notes
    /// A shell test such as `RUN [ -f /etc/os-release ] && …` is not reported: only text that starts
    /// like a JSON array (`["`, `['`, `[]` or a lone `[`) is.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0005 = {
        code: "LW0005",
        name: "malformed-exec-form",
        origin: Syntax,
        severity: Warning,
        fix: None,
    }
}
