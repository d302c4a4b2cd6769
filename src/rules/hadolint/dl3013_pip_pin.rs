//! DL3013: unpinned packages in `pip install`.

use super::util::{PIP_FLAGS_WITH_VALUES, has_flag, is_dynamic, pip_install, positional_words};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `pip install` (also `pip3`, `python -m pip`) that is not pinned to
    /// a version (`flask==3.0.3`).
    ///
    /// ## Why is this bad?
    /// An unpinned requirement installs whatever release the index offers on the day of the
    /// build, together with whatever its own loose requirements resolve to. Rebuilding the
    /// same Dockerfile can then produce a different application, or fail. A pin (or a
    /// requirements or constraints file that pins) makes the build repeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3 gunicorn
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
    /// ```
    ///
    /// ## Notes
    /// A package counts as pinned with any version operator (`==`, `>=`, `~=`, `<`…), as a
    /// version-control URL with `@ref`, as a local wheel or sdist (`.whl`, `.tar.gz`) or as a
    /// path. Nothing is reported when the command installs from a requirements or constraints
    /// file (`-r`, `-c`) or the current project (`.`), nor for a word that is a variable
    /// (`$PACKAGES`), whose value is not known here. Values of options such as `-i URL` or
    /// `--target DIR` are not packages. `pipenv` is not pip and is not checked.
    ///
    /// ## References
    /// Matches hadolint's DL3013, which reports the RUN once; layerwise points at each unpinned
    /// package. Differences, where hadolint is wrong: a variable is not reported; an option
    /// written with `=` (`--index-url=URL`) does not swallow the next word, so the package after
    /// it is still checked; a version-control URL counts as pinned only when its `@` names a
    /// ref (`…/repo.git@v1.2`), not when it is the user of an SSH URL (`git+ssh://git@host/…`);
    /// and `/usr/bin/pip3` is recognised like `pip3`.
    pub static DL3013 = {
        code: "DL3013",
        name: "pip-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

const VERSION_OPERATORS: &[&str] = &["==", ">=", "<=", "!=", "~=", ">", "<"];

const VCS_SCHEMES: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];

#[derive(Default)]
pub struct PipPin;

impl Rule for PipPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some((_, install_args)) = pip_install(cmd) else {
                continue;
            };
            let from_file = has_flag(cmd, &["-r", "--requirement", "-c", "--constraint"])
                || cmd.args.iter().any(|a| a.text == ".");
            if from_file {
                continue;
            }
            for package in positional_words(install_args, PIP_FLAGS_WITH_VALUES) {
                if is_dynamic(package) || is_pinned(&package.text) {
                    continue;
                }
                let name = &package.text;
                acc.push(Diagnostic::new(
                    &DL3013,
                    package.range,
                    format!(
                        "`{name}` is not pinned: install a fixed version with `{name}==<version>`"
                    ),
                ));
            }
        }
    }
}

fn is_pinned(package: &str) -> bool {
    let is_vcs = VCS_SCHEMES.iter().any(|s| package.starts_with(s));
    if is_vcs {
        // `git+https://host/repo.git@v1.2` names a ref; the `@` of `git+ssh://git@host` does not.
        let after_scheme = package.split_once("://").map_or(package, |(_, rest)| rest);
        let path = after_scheme.split_once('/').map_or("", |(_, path)| path);
        return path.contains('@');
    }
    VERSION_OPERATORS.iter().any(|op| package.contains(op))
        || package.ends_with(".whl")
        || package.ends_with(".tar.gz")
        || package.contains('/')
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    fn run(args: &str) -> String {
        format!("FROM a:1\nRUN pip install --no-cache-dir {args}\n")
    }

    #[test]
    fn pins() {
        check_ranges(
            &run("flask==3.0 requests \\\n    'django>=4,<5' six"),
            &[("DL3013", "requests"), ("DL3013", "six")],
        );
        for pinned in [
            "flask~=3.0",
            "flask!=2.0",
            "'flask[async]==3.0'",
            "git+https://github.com/pallets/flask.git@3.0.3",
            "./dist/app-1.0-py3-none-any.whl",
            "app-1.0.tar.gz",
            "./src/pkg",
            "$PACKAGES",
            "\"${PKG}\"",
        ] {
            check_codes(&run(pinned), &[]);
        }
        check_codes(&run("git+ssh://git@github.com/o/r.git"), &["DL3013"]);
        check_codes(&run("--upgrade pip"), &["DL3013"]);
    }

    #[test]
    fn skipped_installs() {
        check_codes(&run("-r requirements.txt"), &[]);
        check_codes(&run("--requirement=requirements.txt flask"), &[]);
        check_codes(&run("-c constraints.txt flask"), &[]);
        check_codes(&run("-e ."), &[]);
        check_codes(&run("."), &[]);
        check_codes("FROM a:1\nRUN pipenv install flask\n", &[]);
        check_codes("FROM a:1\nRUN pip download flask\n", &[]);
    }

    #[test]
    fn forms_and_option_values() {
        check_ranges(
            &run("-i https://pypi.example/simple --index-url=https://x flask --target /opt x==1"),
            &[("DL3013", "flask")],
        );
        check_codes(
            "FROM a:1\nRUN python3 -m pip install --no-cache-dir flask\n",
            &["DL3013"],
        );
        check_codes(
            "FROM a:1\nRUN /usr/local/bin/pip3 --retries 3 install --no-cache-dir flask\n",
            &["DL3013"],
        );
        check_codes(
            "FROM a:1\nONBUILD RUN pip install --no-cache-dir flask\n",
            &["DL3013"],
        );
    }
}
