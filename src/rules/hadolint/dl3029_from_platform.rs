//! DL3029: `FROM --platform` with a constant platform.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=…` whose value is neither `$BUILDPLATFORM` nor `$TARGETPLATFORM`
    /// (or a value built from them).
    ///
    /// ## Why is this bad?
    /// A fixed platform (`--platform=linux/amd64`) pins the stage to one architecture: the
    /// image cannot be built for other platforms, and on an arm64 machine the stage runs under
    /// emulation. The build arguments express intent instead: `$BUILDPLATFORM` for tools that
    /// run during the build, `$TARGETPLATFORM` for what ships.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.23 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3029 and corresponds to BuildKit's FromPlatformFlagConstDisallowed;
    /// either name suppresses it. (`--platform=$TARGETPLATFORM` itself is redundant: DL3065.)
    pub static DL3029 = {
        code: "DL3029",
        name: "from-platform-flag",
        origin: Hadolint,
        severity: Warning,
        fix: None,
        aliases: ["FromPlatformFlagConstDisallowed"],
    }
}

#[derive(Default)]
pub struct FromPlatform;

impl Rule for FromPlatform {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(flag) = instr.flag("platform") else {
            return;
        };
        let Some(value) = flag.value() else { return };
        if value.contains("BUILDPLATFORM") || value.contains("TARGETPLATFORM") {
            return;
        }
        let range = flag.value_node().map_or(flag_range(&flag), |v| v.range());
        acc.push(Diagnostic::new(
            &DL3029,
            range,
            format!("`--platform={value}` pins this stage to one platform: use `$BUILDPLATFORM` or `$TARGETPLATFORM`"),
        ));
    }
}

fn flag_range(flag: &ast::Flag) -> rowan::TextRange {
    use crate::syntax::ast::AstNode;
    flag.syntax().text_range()
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn platform() {
        check_codes("FROM --platform=linux/amd64 a:1\n", &["DL3029"]);
        check_codes("FROM --platform=$BUILDPLATFORM a:1\n", &[]);
        check_codes("FROM --platform=${BUILDPLATFORM:-linux/amd64} a:1\n", &[]);
        check_codes("FROM a:1\n", &[]);
    }
}
