//! `LW0017` (invalid-utf8): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// The file is not valid UTF-8.
    ///
    /// ## Why is this bad?
    /// BuildKit reads Dockerfiles as UTF-8; invalid bytes end up as replacement characters in commands,
    /// labels and paths. layerwise reads such files lossily, reports this once at the start of the
    /// file, and checks the rest.
    ///
    /// ## Notes
    /// Save the file as UTF-8 (most often it is Latin-1 or UTF-16).
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0017 = {
        code: "LW0017",
        name: "invalid-utf8",
        origin: Syntax,
        severity: Warning,
        fix: None,
    }
}
