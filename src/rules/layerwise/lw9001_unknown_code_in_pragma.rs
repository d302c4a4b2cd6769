//! LW9001: a suppression comment names a code no rule has.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a code in a `# hadolint ignore=…` or `# layerwise ignore=…` comment that no rule
    /// has (a typo such as `DL3080`, or a code from another tool).
    ///
    /// ## Why is this bad?
    /// A suppression with a wrong code suppresses nothing, so the finding it was meant to
    /// silence still shows up, or worse, the comment looks like an accepted exception while the
    /// real one goes unreviewed.
    ///
    /// ## Example
    /// ```dockerfile
    /// # hadolint ignore=DL3080
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # hadolint ignore=DL3006
    /// FROM debian
    /// ```
    ///
    /// ## Notes
    /// Off by default in `layerwise check` (hadolint accepts any code silently, and CI runs
    /// should not change behaviour); on in the editor as a hint. ShellCheck codes (`SC####`)
    /// and BuildKit check names count as known.
    ///
    /// ## References
    /// layerwise's own rule; checked once, after all rules ran, with the other suppression
    /// logic.
    pub static LW9001 = {
        code: "LW9001",
        name: "unknown-code-in-pragma",
        origin: Layerwise,
        severity: Info,
        fix: None,
        enabled: false,
    }
}
