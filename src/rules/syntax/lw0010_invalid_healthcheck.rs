//! `LW0010` (invalid-healthcheck): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A `HEALTHCHECK` that is neither `NONE` nor `CMD …`, has words after `NONE`, or has an option value
    /// that is not a duration (`--interval`, `--timeout`, `--start-period`, `--start-interval`) or a whole
    /// number (`--retries`).
    ///
    /// ## Why is this bad?
    /// BuildKit rejects these while parsing the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK --interval=30 CMD curl -f http://localhost/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/
    /// ```
    ///
    /// ## Notes
    /// Durations use Go's syntax: `300ms`, `30s`, `1m30s`, `1h`.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0010 = {
        code: "LW0010",
        name: "invalid-healthcheck",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
