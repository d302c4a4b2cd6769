//! WorkdirRelativePath: the first WORKDIR of a stage is relative.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, unquote};

declare_rule! {
    /// ## What it does
    /// Flags a relative `WORKDIR` when no `WORKDIR` came before it in the stage (counting the
    /// stages it builds on with `FROM <stage>`).
    ///
    /// ## Why is this bad?
    /// A relative path is resolved against the working directory the base image left behind.
    /// That directory is not part of this file: when the base image changes it, files land
    /// elsewhere and commands run elsewhere, with no change here. Once the stage has set an
    /// absolute `WORKDIR`, later relative ones are resolved against it and are predictable.
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
    /// hadolint's DL3000 flags every relative `WORKDIR`, so it also reports every `WORKDIR`
    /// this rule reports. The two are one problem, given once: where both report the same
    /// `WORKDIR`, only DL3000's finding is shown, and either code (DL3000 or
    /// WorkdirRelativePath) suppresses it. This rule reports on its own only when DL3000 is not
    /// selected (a BuildKit-only `--select`); ignoring DL3000 ignores it too, since both accept
    /// the same WORKDIRs then. Paths starting with a variable (`$HOME/app`) and Windows paths (`C:\app`,
    /// `\app`) are not reported, since their value or platform is not known here.
    ///
    /// ## References
    /// Matches BuildKit's WorkdirRelativePath check, decided for every stage rather than only
    /// for the stages a build reaches.
    pub static WORKDIR_RELATIVE_PATH = {
        code: "WorkdirRelativePath",
        name: "workdir-relative-path",
        origin: BuildKit,
        severity: Warning,
        fix: None,
        covered_by: ["DL3000"],
    }
}

/// Per stage: whether a WORKDIR was set.
#[derive(Default)]
pub struct WorkdirRelativePath {
    workdir_set: StageState<bool>,
}

impl Rule for WorkdirRelativePath {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.workdir_set.visit(ctx, instr);
        if instr.kind() != SyntaxKind::WORKDIR_INSTR {
            return;
        }
        let set = self.workdir_set.current();
        if std::mem::replace(set, true) {
            return;
        }
        let args: Vec<ast::Argument> = instr.arguments().collect();
        let (Some(first), Some(last)) = (args.first(), args.last()) else {
            return;
        };
        let path = unquote(&instr.args_text());
        if is_absolute_or_unknown(&path) {
            return;
        }
        acc.push(Diagnostic::new(
            &WORKDIR_RELATIVE_PATH,
            first.range().cover(last.range()),
            format!(
                "WORKDIR `{path}` is relative to the base image's working directory: no \
                 absolute WORKDIR comes before it in this stage"
            ),
        ));
    }
}

/// `/app`, `$HOME/app`, `C:\app`, `\app`: absolute, or not decidable here.
fn is_absolute_or_unknown(path: &str) -> bool {
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.starts_with(['/', '\\', '$']) || windows_drive
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::lint;
    use crate::syntax::parse;
    use crate::testing::check_codes;

    /// Codes reported when only this rule is selected, where it speaks for itself.
    fn without_dl3000(text: &str) -> Vec<&'static str> {
        let config = Config {
            select: Some(vec!["WorkdirRelativePath".to_string()]),
            ..Config::default()
        };
        lint(&parse(text), &config).iter().map(|d| d.code).collect()
    }

    #[test]
    fn ignoring_dl3000_ignores_the_same_finding_under_its_other_name() {
        let config = Config {
            ignored: vec!["DL3000".to_string()],
            ..Config::default()
        };
        let codes: Vec<_> = lint(&parse("FROM a:1\nWORKDIR app\n"), &config)
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn first_workdir_of_the_stage() {
        assert_eq!(
            without_dl3000("FROM a:1\nWORKDIR app\n"),
            ["WorkdirRelativePath"]
        );
        assert_eq!(
            without_dl3000("FROM a:1\nWORKDIR /app\nWORKDIR sub\n"),
            [""; 0]
        );
        assert_eq!(
            without_dl3000("FROM a:1\nWORKDIR app\nWORKDIR sub\n"),
            ["WorkdirRelativePath"]
        );
        // A stage built on another inherits its WORKDIR.
        assert_eq!(
            without_dl3000("FROM a:1 AS base\nWORKDIR /app\nFROM base\nWORKDIR sub\n"),
            [""; 0]
        );
        assert_eq!(
            without_dl3000("FROM a:1 AS base\nWORKDIR /app\nFROM b:1\nWORKDIR sub\n"),
            ["WorkdirRelativePath"]
        );
        assert_eq!(
            without_dl3000("FROM a:1\nWORKDIR $HOME/x\nFROM b:1\nWORKDIR C:\\x\n"),
            [""; 0]
        );
    }

    #[test]
    fn merged_into_dl3000() {
        // One finding, under DL3000; later relative WORKDIRs are DL3000's alone.
        check_codes(
            "FROM a:1\nWORKDIR app\nWORKDIR sub\n",
            &["DL3000", "DL3000"],
        );
        let text = "FROM a:1\nWORKDIR app\n";
        let diagnostics = lint(&parse(text), &Config::default());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].merged_codes, ["WorkdirRelativePath"]);
        // Either name suppresses the merged finding.
        check_codes(
            "FROM a:1\n# check=skip=WorkdirRelativePath\nWORKDIR app\n",
            &[],
        );
        check_codes("FROM a:1\n# hadolint ignore=DL3000\nWORKDIR app\n", &[]);
    }
}
