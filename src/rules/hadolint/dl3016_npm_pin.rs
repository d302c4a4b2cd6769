//! DL3016: unpinned packages in `npm install`.

use super::util::{is_dynamic, positional_args};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `npm install <packages>` that is not pinned to a version
    /// (`typescript@5.4.5`).
    ///
    /// ## Why is this bad?
    /// Without a version npm installs the newest release that the registry tags `latest` at
    /// build time. Two builds of the same Dockerfile can then ship different code, and a new
    /// major release can break the image without any change to it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN npm install -g typescript
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN npm install -g typescript@5.4.5
    /// ```
    ///
    /// ## Notes
    /// Counted as pinned: `name@version` (also scoped, `@types/node@20.12.7`), git URLs and
    /// hosted-git shorthands with a `#ref`, tarballs (`.tar`, `.tar.gz`, `.tgz`) and local paths
    /// (`./pkg`, `/opt/pkg`, `~/pkg`). A bare `npm install` installs what `package.json` and the
    /// lockfile say and is not reported, nor is a word that is a variable (`$PACKAGES`). Only
    /// `npm install` is checked, as hadolint does; its aliases (`npm i`, `npm add`) are not.
    ///
    /// ## References
    /// Matches hadolint's DL3016, which reports the RUN once; layerwise points at each unpinned
    /// package. Where hadolint is wrong, layerwise differs: `name@latest` is reported (the tag
    /// moves with every release), a hosted-git shorthand with a ref (`github:org/repo#v1.2`,
    /// `org/repo#v1.2`) is pinned, and a variable is not reported.
    pub static DL3016 = {
        code: "DL3016",
        name: "npm-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

const NPM_FLAGS_WITH_VALUES: &[&str] = &[
    "--loglevel",
    "--registry",
    "--prefix",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--tag",
    "--omit",
    "--include",
    "--workspace",
    "-w",
    "--install-strategy",
    "--otp",
    "--scope",
];

const GIT_PREFIXES: &[&str] = &[
    "git://",
    "git+ssh://",
    "git+http://",
    "git+https://",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
];

#[derive(Default)]
pub struct NpmPin;

impl Rule for NpmPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("npm") {
            let positional = positional_args(cmd, NPM_FLAGS_WITH_VALUES);
            let Some((_, packages)) = positional
                .split_first()
                .filter(|(first, _)| first.text == "install")
            else {
                continue;
            };
            for package in packages {
                if is_dynamic(package) || is_pinned(&package.text) {
                    continue;
                }
                let name = &package.text;
                acc.push(Diagnostic::new(
                    &DL3016,
                    package.range,
                    format!(
                        "`{name}` is not pinned: install a fixed version with `{name}@<version>`"
                    ),
                ));
            }
        }
    }
}

fn is_pinned(package: &str) -> bool {
    if ["/", "./", "../", "~/"]
        .iter()
        .any(|p| package.starts_with(p))
        || [".tar", ".tar.gz", ".tgz"]
            .iter()
            .any(|s| package.ends_with(s))
    {
        return true;
    }
    let is_hosted_shorthand =
        !package.starts_with('@') && !package.contains("://") && package.contains('/');
    if is_hosted_shorthand || GIT_PREFIXES.iter().any(|p| package.starts_with(p)) {
        return package.contains('#');
    }
    // The version follows the `@` after the name; a scope (`@types/`) is not one.
    let name_and_version = match package.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').map_or("", |(_, rest)| rest),
        None => package,
    };
    match name_and_version.split_once('@') {
        Some((_, version)) => !version.is_empty() && version != "latest",
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    fn run(args: &str) -> String {
        format!("FROM a:1\nRUN npm install {args}\n")
    }

    #[test]
    fn pins() {
        check_ranges(
            &run("-g typescript@5.4 eslint @types/node \\\n    @types/react@18.3.1"),
            &[("DL3016", "eslint"), ("DL3016", "@types/node")],
        );
        for pinned in [
            "express@4.19.2",
            "'express@^4'",
            "git+https://github.com/o/r.git#v1.0",
            "github:o/r#v1.0",
            "o/r#abc123",
            "./local",
            "../x",
            "/opt/pkg",
            "~/pkg",
            "pkg-1.0.tgz",
            "https://example.com/pkg.tar.gz",
            "$PACKAGES",
        ] {
            check_codes(&run(pinned), &[]);
        }
        for unpinned in [
            "express@latest",
            "git://github.com/o/r.git",
            "o/r",
            "express@",
        ] {
            check_codes(&run(unpinned), &["DL3016"]);
        }
    }

    #[test]
    fn only_installs_with_packages() {
        check_codes(&run(""), &[]);
        check_codes(&run("--production"), &[]);
        check_codes("FROM a:1\nRUN npm ci\n", &[]);
        check_codes("FROM a:1\nRUN npm run install\n", &[]);
        check_codes("FROM a:1\nRUN npm i express\n", &[]);
        check_ranges(
            &run("--loglevel verbose --registry https://r.example express"),
            &[("DL3016", "express")],
        );
        check_codes("FROM a:1\nONBUILD RUN npm install express\n", &["DL3016"]);
    }
}
