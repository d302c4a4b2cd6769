//! ExposeProtoCasing: an EXPOSE protocol that is not lower case.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::buildkit::PortSpec;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the protocol of an `EXPOSE` port written with upper-case letters: `80/TCP`.
    ///
    /// ## Why is this bad?
    /// The builder accepts any case, but the image metadata and every tool that reads it
    /// (`docker inspect`, `docker run -P`, orchestrators) spell protocols in lower case.
    /// Writing `80/tcp` keeps the Dockerfile consistent with what ends up in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80/TCP
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## Fix safety
    /// The fix lower-cases the protocol; the builder reads it without regard to case, so it
    /// is safe.
    ///
    /// ## References
    /// Matches BuildKit's ExposeProtoCasing check. A protocol that is not `tcp`, `udp` or
    /// `sctp` in any case is a syntax error (LW0009) and is not reported here as well, and a
    /// protocol written with a variable is not checked.
    pub static EXPOSE_PROTO_CASING = {
        code: "ExposeProtoCasing",
        name: "expose-proto-casing",
        origin: BuildKit,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct ExposeProtoCasing;

impl Rule for ExposeProtoCasing {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::EXPOSE_INSTR || ctx.in_onbuild {
            return;
        }
        for arg in instr.arguments() {
            let spec = PortSpec::new(&arg);
            let Some((protocol, range)) = spec.protocol() else {
                continue;
            };
            let lower = protocol.to_lowercase();
            if lower == protocol || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                &EXPOSE_PROTO_CASING,
                range,
                format!("protocol `{protocol}` in `{}` is not lower case", spec.text),
            );
            // Quotes or continuations inside the protocol: flag it, but leave the rewrite
            // to the user.
            if !spec.scattered {
                diagnostic = diagnostic.with_fix(Fix::safe(
                    format!("Write `{lower}`"),
                    vec![Edit::replace(range, lower.clone())],
                ));
            }
            acc.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn upper_case_protocols() {
        check_ranges(
            "FROM a:1\nEXPOSE 80/TCP 53/Udp 8000-8010/SCTP\n",
            &[
                ("ExposeProtoCasing", "TCP"),
                ("ExposeProtoCasing", "Udp"),
                ("ExposeProtoCasing", "SCTP"),
            ],
        );
        check_ranges(
            "FROM a:1\nEXPOSE ${PORT}/TCP\n",
            &[("ExposeProtoCasing", "TCP")],
        );
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1\nEXPOSE 80 443/tcp 53/udp\n", &[]);
        check_codes("FROM a:1\nEXPOSE 80/${PROTO}\n", &[]);
        check_codes("FROM a:1\nEXPOSE 80/FOO\n", &["LW0009"]);
        check_codes("FROM a:1\nONBUILD EXPOSE 80/TCP\n", &[]);
    }

    #[test]
    fn fix() {
        check_fix(
            "FROM a:1\nEXPOSE 80/TCP\n",
            "ExposeProtoCasing",
            "FROM a:1\nEXPOSE 80/tcp\n",
        );
    }
}
