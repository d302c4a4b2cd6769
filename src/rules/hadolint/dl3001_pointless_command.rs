//! DL3001: commands that make no sense in a build step (`ssh`, `vim`, `service`…).

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that calls a command meant for an interactive machine: `free`, `kill`,
    /// `mount`, `ps`, `service`, `shutdown`, `ssh`, `top` or `vim`.
    ///
    /// ## Why is this bad?
    /// A build step runs once, without a terminal, in a throw-away container. Editors and
    /// process monitors wait for a user who is not there, `service` and `shutdown` act on an
    /// init system the container does not run, and `kill`/`ps`/`free`/`mount` describe the
    /// build container, not the image. Such a line is either dead weight or a sign that the
    /// step belongs in the container's entrypoint instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN service nginx start
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## Notes
    /// Only the command itself is flagged, wherever it sits in the script; the same word as an
    /// argument (`apt-get install vim`) is not.
    ///
    /// ## References
    /// Matches hadolint's DL3001, including inside `ONBUILD`. hadolint's message also names
    /// `ifconfig`, but neither hadolint nor layerwise checks for it.
    pub static DL3001 = {
        code: "DL3001",
        name: "pointless-command",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

const POINTLESS: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

#[derive(Default)]
pub struct PointlessCommand;

impl Rule for PointlessCommand {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let program = cmd.program();
            if !POINTLESS.contains(&program) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3001,
                cmd.name.range,
                format!(
                    "`{program}` has no use in a build step, which runs once without a terminal"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn pointless() {
        check_ranges(
            "FROM a:1\nRUN make && vim /etc/x && /bin/ps aux\n",
            &[("DL3001", "vim"), ("DL3001", "/bin/ps")],
        );
        check_codes("FROM a:1\nONBUILD RUN top -b\n", &["DL3001"]);
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends vim=2:9.0\n",
            &[],
        );
        check_codes("FROM a:1\nRUN ifconfig\n", &[]);
        check_codes(
            "FROM a:1\nCMD service nginx start\n",
            &["LW1001", "LW1007", "DL3025"],
        );
    }
}
