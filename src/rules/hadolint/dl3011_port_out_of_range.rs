//! DL3011: an EXPOSE port outside 0–65535.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port, or an end of a port range, above 65535.
    ///
    /// ## Why is this bad?
    /// TCP and UDP ports are 16-bit numbers. A larger number is a typo (often a digit too
    /// many) and BuildKit rejects it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80800
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3011. Arguments with variables are not checked.
    pub static DL3011 = {
        code: "DL3011",
        name: "port-out-of-range",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct PortOutOfRange;

impl Rule for PortOutOfRange {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::EXPOSE_INSTR || ctx.in_onbuild {
            return;
        }
        for arg in instr.arguments() {
            let text = arg.text();
            if text.contains('$') {
                continue;
            }
            let ports = text.split('/').next().unwrap_or("");
            let ports = ports.rsplit(':').next().unwrap_or(ports);
            let too_big = ports
                .split('-')
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .any(|p| p.len() > 5 || p.parse::<u32>().is_ok_and(|n| n > 65535));
            if too_big {
                acc.push(Diagnostic::new(
                    &DL3011,
                    arg.range(),
                    format!("`{text}` is not a valid port: ports go from 0 to 65535"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn ports() {
        check_codes("FROM a:1\nEXPOSE 65536\n", &["DL3011"]);
        check_codes("FROM a:1\nEXPOSE 8000-70000/tcp\n", &["DL3011"]);
        check_codes("FROM a:1\nEXPOSE 65535 80/udp 1-2\n", &[]);
        check_codes("FROM a:1\nEXPOSE ${PORT}\n", &[]);
    }
}
