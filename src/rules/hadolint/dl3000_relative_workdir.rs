//! DL3000: a relative WORKDIR path.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, unquote};

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` whose path is relative.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against whatever directory is current at that point,
    /// which usually comes from the base image. When the base image changes its working
    /// directory, every later `COPY`, `RUN` and `CMD` silently lands somewhere else. An absolute
    /// path says exactly where the files go.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// ```
    ///
    /// ## Notes
    /// Paths starting with a variable (`$HOME/app`) and Windows drive paths (`C:\app`) are not
    /// reported. Quotes around the path are ignored.
    ///
    /// ## References
    /// Matches hadolint's DL3000 exactly. BuildKit's WorkdirRelativePath check is narrower: it
    /// only fires on the first WORKDIR of a stage. Where both report the same WORKDIR, the
    /// finding is given once, under DL3000, and either code suppresses it (so
    /// `# check=skip=WorkdirRelativePath` above the WORKDIR works too); WorkdirRelativePath
    /// reports on its own only when DL3000 is not selected; ignoring DL3000 ignores both.
    pub static DL3000 = {
        code: "DL3000",
        name: "relative-workdir",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct RelativeWorkdir;

impl Rule for RelativeWorkdir {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::WORKDIR_INSTR || ctx.in_onbuild {
            return;
        }
        let args: Vec<ast::Argument> = instr.arguments().collect();
        let (Some(first), Some(last)) = (args.first(), args.last()) else {
            return;
        };
        let path = unquote(&instr.args_text());
        if is_absolute(&path) {
            return;
        }
        let range = first.range().cover(last.range());
        acc.push(Diagnostic::new(
            &DL3000,
            range,
            format!("WORKDIR `{path}` is relative: use an absolute path"),
        ));
    }
}

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.starts_with('/') || path.starts_with('$') || windows_drive
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn relative_and_absolute() {
        check_codes("FROM a:1\nWORKDIR app\n", &["DL3000"]);
        check_codes("FROM a:1\nWORKDIR \"app dir\"\n", &["DL3000"]);
        check_codes("FROM a:1\nWORKDIR /app\n", &[]);
        check_codes("FROM a:1\nWORKDIR \"/app\"\n", &[]);
        check_codes("FROM a:1\nWORKDIR $HOME/app\n", &[]);
        check_codes("FROM a:1\nWORKDIR C:\\app\n", &[]);
        check_codes("FROM a:1\nWORKDIR\n", &["LW0002"]);
    }
}
