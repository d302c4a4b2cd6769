//! DL3059: consecutive small RUN instructions.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that directly follows another `RUN` with the same flags, when both are
    /// short (at most two commands each).
    ///
    /// ## Why is this bad?
    /// Every RUN makes a layer. Short consecutive RUNs add layers, metadata and cache entries
    /// without making the file clearer, and files deleted in one RUN still take space in the
    /// earlier layer. Chaining them with `&&` gives one layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN mkdir -p /app/data
    /// RUN chown nobody /app/data
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN mkdir -p /app/data && chown nobody /app/data
    /// ```
    ///
    /// ## Notes
    /// Comments between the RUNs do not separate them; any other instruction does. RUNs with
    /// different `--mount`/`--network` flags are not reported, since they cannot be merged as
    /// they are. The "merge RUNs" refactor does the rewriting.
    ///
    /// ## References
    /// Matches hadolint's DL3059.
    pub static DL3059 = {
        code: "DL3059",
        name: "consecutive-runs",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

#[derive(Default)]
pub struct ConsecutiveRuns {
    /// The previous instruction, when it was a RUN: its flags and command count.
    previous: Option<(Vec<String>, usize)>,
}

impl Rule for ConsecutiveRuns {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        if instr.kind() != SyntaxKind::RUN_INSTR {
            self.previous = None;
            return;
        }
        let flags: Vec<String> = instr
            .flags()
            .map(|f| f.syntax().text().to_string())
            .collect();
        let n_commands = match (&ctx.script, instr.shell_command()) {
            // PowerShell and cmd are not POSIX shell; count their `;`-separated statements.
            (_, Some(command)) if !ctx.posix_shell => count_statements(&command.script()),
            (Some(_), _) => ctx.commands.len(),
            (None, _) => 1,
        };
        if let Some((prev_flags, prev_n)) = &self.previous
            && *prev_flags == flags
            && *prev_n + n_commands <= 2
        {
            acc.push(Diagnostic::new(
                &DL3059,
                instr.keyword_range(),
                "this RUN directly follows another short RUN: chain them with `&&` to save a layer",
            ));
        }
        self.previous = Some((flags, n_commands));
    }
}

/// Statements separated by `;` or newlines outside quotes.
fn count_statements(script: &str) -> usize {
    let mut count = 0;
    let mut quote = None;
    let mut current_has_text = false;
    for c in script.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                current_has_text = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, ';' | '\n') => {
                count += usize::from(current_has_text);
                current_has_text = false;
            }
            (_, c) if !c.is_whitespace() => current_has_text = true,
            _ => {}
        }
    }
    (count + usize::from(current_has_text)).max(1)
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn consecutive() {
        check_codes("FROM a:1\nRUN a\nRUN b\n", &["DL3059"]);
        check_codes(
            "FROM a:1\nRUN a\n# comment\nRUN b\nRUN c\n",
            &["DL3059", "DL3059"],
        );
        check_codes("FROM a:1\nRUN a\nENV X=1\nRUN b\n", &[]);
        check_codes("FROM a:1\nRUN a && b && c\nRUN d\n", &[]);
        check_codes("FROM a:1\nRUN a && b\nRUN d\n", &[]);
        let windows = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\n";
        check_codes(
            &format!("{windows}RUN Write-Host 'a;b'\nRUN Write-Host (1)\n"),
            &["DL3059"],
        );
        check_codes(&format!("{windows}RUN a ; b\nRUN c\n"), &[]);
        check_codes("FROM a:1\nRUN --mount=type=cache,target=/c a\nRUN b\n", &[]);
    }
}
