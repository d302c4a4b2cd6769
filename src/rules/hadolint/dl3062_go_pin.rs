//! DL3062: unpinned packages in `go install`, `go get` and `go run`.

use super::util::{is_dynamic, positional_args};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `go install` and `go get`, and the package of `go run`, that has
    /// no `@version` or asks for a moving one (`@latest`).
    ///
    /// ## Why is this bad?
    /// `go install example.com/tool@latest` (or without a version, in module mode) builds
    /// whatever the newest release is on the day of the build. Rebuilding the same Dockerfile
    /// can then produce a different tool, or fail. A version (`@v1.2.3`) or a commit makes the
    /// build repeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@v0.16.2
    /// ```
    ///
    /// ## Notes
    /// Local packages (`.`, `./cmd/app`, `/src/app`) build what is in the build context and are
    /// not reported, nor is a word that is a variable (`$TOOLS`). Values of build flags such as
    /// `-tags netgo` or `-o /bin/app` are not packages, and the arguments after `go run`'s
    /// package belong to the program.
    ///
    /// ## References
    /// Matches hadolint's DL3062, which reports the RUN once; layerwise points at each unpinned
    /// package. layerwise also reports the other moving version queries (`@upgrade`,
    /// `@patch`), and does not report variables or the values of build flags.
    pub static DL3062 = {
        code: "DL3062",
        name: "go-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

const GO_FLAGS_WITH_VALUES: &[&str] = &[
    "-o",
    "-C",
    "-p",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pkgdir",
    "-exec",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-pgo",
    "-covermode",
    "-coverpkg",
];

/// Version queries that resolve to a different version as new ones are released.
const MOVING_QUERIES: &[&str] = &["latest", "upgrade", "patch", "none"];

#[derive(Default)]
pub struct GoPin;

impl Rule for GoPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("go") {
            let positional = positional_args(cmd, GO_FLAGS_WITH_VALUES);
            let Some((sub, rest)) = positional.split_first() else {
                continue;
            };
            let packages = match sub.text.as_str() {
                "install" | "get" => rest,
                "run" => rest.get(..1).unwrap_or_default(),
                _ => continue,
            };
            for package in packages {
                let text = package.text.as_str();
                if text.starts_with(['.', '/']) || is_dynamic(package) {
                    continue;
                }
                let message = match text.rsplit_once('@') {
                    Some((name, query)) if MOVING_QUERIES.contains(&query) => format!(
                        "`{name}@{query}` moves with every release: pin a version with `{name}@<version>`"
                    ),
                    Some(_) => continue,
                    None => format!(
                        "`{text}` is not pinned: install a fixed version with `{text}@<version>`"
                    ),
                };
                acc.push(Diagnostic::new(&DL3062, package.range, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn pins() {
        check_ranges(
            "FROM a:1\nRUN go install -tags netgo example.com/a@v1.2.3 example.com/b \\\n    example.com/c@latest\n",
            &[
                ("DL3062", "example.com/b"),
                ("DL3062", "example.com/c@latest"),
            ],
        );
        check_ranges(
            "FROM a:1\nRUN go run example.com/gen -o out.go\n",
            &[("DL3062", "example.com/gen")],
        );
        check_codes(
            "FROM a:1\nRUN go get -u example.com/x@upgrade\n",
            &["DL3062"],
        );
        check_codes("FROM a:1\nRUN go get example.com/x@none\n", &["DL3062"]);
        check_codes(
            "FROM a:1\nONBUILD RUN go install example.com/x\n",
            &["DL3062"],
        );
    }

    #[test]
    fn fine() {
        for ok in [
            "go install ./...",
            "go install .",
            "go install -ldflags '-s -w' -o /bin/app ./cmd/app",
            "go run ./cmd/gen example.com/not-a-package",
            "go get example.com/x@v1.0.0",
            "go get example.com/x@8d6c1ba",
            "go install $TOOLS",
            "go get",
            "go build example.com/x",
            "go mod download",
        ] {
            check_codes(&format!("FROM a:1\nRUN {ok}\n"), &[]);
        }
    }
}
