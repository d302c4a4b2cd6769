//! `LW0004` (unknown-flag): a syntax error found by the parser; see the documentation below.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// A `--flag` that the instruction does not accept, such as `COPY --fr=build` or `WORKDIR --x`.
    ///
    /// ## Why is this bad?
    /// BuildKit fails the build on an unknown flag. Half-typed flags are the common case; the message
    /// suggests the closest valid flag.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY --fr=build /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Notes
    /// Valid flags: FROM `--platform`; RUN `--mount`, `--network`, `--security`, `--device`; COPY
    /// `--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`; ADD `--chown`, `--chmod`,
    /// `--link`, `--keep-git-dir`, `--checksum`, `--exclude`, `--unpack`; HEALTHCHECK `--interval`,
    /// `--timeout`, `--start-period`, `--start-interval`, `--retries`. Other instructions take none.
    ///
    /// ## References
    /// Reported by the parser, with the range BuildKit's error would point at.
    pub static LW0004 = {
        code: "LW0004",
        name: "unknown-flag",
        origin: Syntax,
        severity: Error,
        fix: None,
    }
}
