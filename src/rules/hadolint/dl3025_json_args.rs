//! DL3025: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form.
    ///
    /// ## Why is this bad?
    /// In shell form the command runs as `/bin/sh -c "…"`: the shell is PID 1 and does not pass
    /// signals on, so `docker stop` waits for its timeout and then kills the process without a
    /// chance to shut down cleanly. With `ENTRYPOINT` in shell form, `CMD` and `docker run`
    /// arguments are silently ignored. The exec (JSON) form runs the program directly.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// CMD node server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix is offered only when the command is plain words (no variables, quotes, globs,
    /// pipes or other shell syntax), where the exec form runs exactly the same program with the
    /// same arguments; it is safe. Commands that need a shell are left to you: use
    /// `["/bin/sh", "-c", "exec …"]` so the program still replaces the shell.
    ///
    /// ## Notes
    /// A malformed exec form (`CMD ['node', 'app.js']`, not valid JSON) is reported as LW0005
    /// instead, which says what is wrong with the JSON.
    ///
    /// ## References
    /// Matches hadolint's DL3025 (which also covers `HEALTHCHECK CMD`) and BuildKit's
    /// JSONArgsRecommended; either name suppresses it.
    pub static DL3025 = {
        code: "DL3025",
        name: "json-args",
        origin: Hadolint,
        severity: Warning,
        fix: Sometimes,
        aliases: ["JSONArgsRecommended"],
    }
}

#[derive(Default)]
pub struct JsonArgs;

impl Rule for JsonArgs {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        let target = match instr.kind() {
            SyntaxKind::CMD_INSTR | SyntaxKind::ENTRYPOINT_INSTR => instr.clone(),
            SyntaxKind::HEALTHCHECK_INSTR => match instr.nested() {
                Some(nested) => nested,
                None => return,
            },
            _ => return,
        };
        let Some(command) = target.shell_command() else {
            return;
        };
        // Text that starts like a JSON array but is not valid JSON is LW0005's finding; one
        // problem gets one diagnostic.
        if command.script().starts_with('[') && !command.script().starts_with("[ ") {
            return;
        }
        let words = command.words();
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return;
        };
        let range = TextRange::new(first.1.start(), last.1.end());
        let keyword = target.kind().keyword().unwrap_or("CMD");
        let mut diagnostic = Diagnostic::new(
            &DL3025,
            range,
            format!(
                "{keyword} in shell form runs under `/bin/sh -c`, which does not forward signals: use the JSON form"
            ),
        );
        // A shell builtin (`exec`, `cd`…) exists only inside a shell: no exec form for it.
        let builtin = words.first().is_some_and(|(w, _)| {
            matches!(
                w.as_str(),
                "exec"
                    | "cd"
                    | "export"
                    | "source"
                    | "."
                    | "set"
                    | "eval"
                    | "ulimit"
                    | "umask"
                    | "trap"
                    | "wait"
            )
        });
        if !builtin && words.iter().all(|(w, _)| is_plain_word(w)) {
            let strings: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
            let json = serde_json::to_string(&strings)
                .unwrap_or_default()
                .replace("\",\"", "\", \"");
            diagnostic = diagnostic.with_fix(Fix::safe(
                "Convert to the JSON (exec) form",
                vec![Edit::replace(range, json)],
            ));
        }
        acc.push(diagnostic);
    }
}

fn is_plain_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "_./:=@%+,-".contains(c))
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn shell_form() {
        check_ranges(
            "FROM a:1\nCMD node server.js  \n",
            &[("LW1001", "a:1"), ("DL3025", "node server.js")],
        );
        check_codes("FROM a:1\nENTRYPOINT [\"/bin/tini\", \"--\"]\n", &[]);
        check_codes(
            "FROM a:1\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
            &["DL3025"],
        );
        check_codes("FROM a:1\nHEALTHCHECK NONE\n", &[]);
        check_fix(
            "FROM a:1\nCMD node server.js --port=80\n",
            "DL3025",
            "FROM a:1\nCMD [\"node\", \"server.js\", \"--port=80\"]\n",
        );
    }
}
