//! ExposeInvalidFormat: an IP address or a host port in EXPOSE.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::buildkit::{PortSpec, VARIABLE_MARK};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;
use crate::syntax::validation::is_valid_port_spec;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port written as a mapping, with a host port (`8080:80`) or an IP
    /// address (`127.0.0.1:8080:80`).
    ///
    /// ## Why is this bad?
    /// `EXPOSE` only records which ports the container listens on; publishing them, and
    /// choosing host ports and addresses, happens when the container is run (`docker run -p`).
    /// The builder keeps the container port and drops the rest, so the mapping suggests a
    /// binding that never happens. BuildKit warns that this will be an error in a future
    /// release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 8080:80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// The fix keeps only the container port (`80` of `127.0.0.1:8080:80`), which is all the
    /// builder records, so it is safe. It is not offered when the port is quoted.
    ///
    /// ## References
    /// Matches BuildKit's ExposeInvalidFormat check. A container part that is not a port is a
    /// syntax error (LW0009) and is not reported here as well; a `:` that comes from a
    /// variable's value is not known here.
    pub static EXPOSE_INVALID_FORMAT = {
        code: "ExposeInvalidFormat",
        name: "expose-invalid-format",
        origin: BuildKit,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct ExposeInvalidFormat;

impl Rule for ExposeInvalidFormat {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::EXPOSE_INSTR || ctx.in_onbuild {
            return;
        }
        for arg in instr.arguments() {
            let spec = PortSpec::new(&arg);
            let Some(start) = spec.container_start() else {
                continue;
            };
            let container = spec.container();
            let container_text: String = container.iter().map(|(c, _)| *c).collect();
            let has_variable = container_text.contains(VARIABLE_MARK);
            if !has_variable && !is_valid_port_spec(&container_text) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                &EXPOSE_INVALID_FORMAT,
                arg.range(),
                format!(
                    "`{}` maps a host port or address: EXPOSE takes only the container's port",
                    spec.text
                ),
            );
            let kept = match container.first() {
                Some((_, offset)) if !spec.scattered && start > 0 => Some(*offset),
                _ => None,
            };
            if let Some(kept_start) = kept {
                let kept_text = &spec.text[usize::from(kept_start - arg.range().start())..];
                diagnostic = diagnostic.with_fix(Fix::safe(
                    format!("Expose only `{kept_text}`"),
                    vec![Edit::delete(TextRange::new(
                        arg.range().start(),
                        kept_start,
                    ))],
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
    fn mappings() {
        check_ranges(
            "FROM a:1\nEXPOSE 8080:80 127.0.0.1:53:53/udp [::1]:8443:443\n",
            &[
                ("ExposeInvalidFormat", "8080:80"),
                ("ExposeInvalidFormat", "127.0.0.1:53:53/udp"),
                ("ExposeInvalidFormat", "[::1]:8443:443"),
            ],
        );
        check_ranges(
            "FROM a:1\nEXPOSE $HOST_PORT:80\n",
            &[("ExposeInvalidFormat", "$HOST_PORT:80")],
        );
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1\nEXPOSE 80 8000-8010/tcp ${PORT:-80}\n", &[]);
        check_codes("FROM a:1\nEXPOSE 8080:http\n", &["LW0009"]);
        check_codes("FROM a:1\nONBUILD EXPOSE 8080:80\n", &[]);
    }

    #[test]
    fn fix() {
        check_fix(
            "FROM a:1\nEXPOSE 127.0.0.1:8080:80/tcp\n",
            "ExposeInvalidFormat",
            "FROM a:1\nEXPOSE 80/tcp\n",
        );
    }
}
