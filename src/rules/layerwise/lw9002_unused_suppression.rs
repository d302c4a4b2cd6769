//! LW9002: a suppression that suppresses nothing.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a code in an ignore comment when the rule it names reports nothing where the
    /// comment applies.
    ///
    /// ## Why is this bad?
    /// Suppressions outlive the problems they were written for. A stale one hides the next
    /// real finding of that rule at that place, and tells readers an exception exists that no
    /// longer does. Delete it.
    ///
    /// ## Example
    /// ```dockerfile
    /// # hadolint ignore=DL3006
    /// FROM debian:bookworm
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// ```
    ///
    /// ## Notes
    /// Off by default in `layerwise check`, on in the editor as a hint. Codes of rules that are
    /// turned off by configuration, ShellCheck codes (whose findings depend on a `shellcheck`
    /// binary being present) and unknown codes (LW9001) are not reported here.
    ///
    /// ## References
    /// layerwise's own rule, like ruff's unused-noqa.
    pub static LW9002 = {
        code: "LW9002",
        name: "unused-suppression",
        origin: Layerwise,
        severity: Info,
        fix: Always,
        enabled: false,
    }
}
