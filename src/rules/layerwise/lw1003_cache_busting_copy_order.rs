//! LW1003: the whole build context is copied before a dependency install that needs only a
//! manifest, so every source change re-runs the install.

use std::collections::HashSet;

use rowan::TextRange;

use super::util::copies_whole_context;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::hadolint::util::{
    PIP_FLAGS_WITH_VALUES, pip_args, positional_args, positional_words,
};
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a copy of the whole build context placed before a dependency install that needs
    /// only the dependency manifest.
    ///
    /// The copy is a `COPY`/`ADD` of `.` (`COPY . .`, `COPY . /app`); the installs are those of
    /// npm/yarn/pnpm (`package.json` and its lock file), pip/poetry/uv/pipenv
    /// (`requirements*.txt`, `pyproject.toml` and the lock file), Go (`go.mod`, `go.sum`:
    /// `go mod download`, `go build`), Cargo (`Cargo.toml`, `Cargo.lock`), Maven (`pom.xml`),
    /// Gradle, Bundler (`Gemfile`, `Gemfile.lock`) and Composer (`composer.json`,
    /// `composer.lock`). The finding points at the copy, with the install as related
    /// information.
    ///
    /// ## Why is this bad?
    /// BuildKit reuses a cached layer only while everything that went into it is unchanged.
    /// For a `COPY`, that is the content of every file it copies; for a `RUN`, its command
    /// line and every layer before it. Copying the whole context first makes the install
    /// depend on every source file: change one line of code and the next build downloads and
    /// installs every dependency again, minutes instead of seconds.
    ///
    /// Copy the manifest and lock file alone, install, and only then copy the rest: the
    /// install layer stays cached until the dependencies themselves change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci --omit=dev
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci --omit=dev
    /// COPY . .
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Known problems
    /// Not reported when the same tool already installed the dependencies before the broad
    /// copy (the second `poetry install` or the `go build` after `go mod download` are
    /// cheap), and when the install mounts a cache (`RUN --mount=type=cache,…`), which keeps
    /// the downloads across cache misses. Installs of named packages (`npm install express`,
    /// `pip install flask`) do not read the manifest and are not reported. `go build
    /// -mod=vendor` reads no module cache. Rust has no manifest-only install: build the
    /// dependencies from `Cargo.toml` and `Cargo.lock` first (`cargo chef cook`, or a
    /// placeholder `main.rs`).
    ///
    /// ## References
    /// layerwise's own rule. Docker's "Optimize cache usage in builds" guide.
    pub static LW1003 = {
        code: "LW1003",
        name: "cache-busting-copy-order",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

/// A dependency ecosystem: the install commands it has and the files they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ecosystem {
    Node,
    Python,
    Go,
    Rust,
    Maven,
    Gradle,
    Ruby,
    Php,
}

/// A dependency install: which ecosystem, what to copy first.
struct Install {
    ecosystem: Ecosystem,
    /// The manifest files to copy before it (`package.json` and its lock file).
    manifest: String,
}

impl Install {
    fn new(ecosystem: Ecosystem, manifest: &str) -> Install {
        Install {
            ecosystem,
            manifest: manifest.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
struct BroadCopy {
    range: TextRange,
    /// `COPY . .` as written, for the message.
    text: String,
}

#[derive(Debug, Clone, Default)]
struct State {
    /// The first copy of the whole context in the stage (or the stages it builds on).
    broad_copy: Option<BroadCopy>,
    /// Ecosystems whose dependencies were installed before that copy.
    installed_before: HashSet<Ecosystem>,
}

#[derive(Default)]
pub struct CacheBustingCopyOrder {
    stages: StageState<State>,
    /// Broad copies already reported (a stage inherited by two others is reported once).
    reported: HashSet<TextRange>,
}

impl Rule for CacheBustingCopyOrder {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.stages.visit(ctx, instr);
        if ctx.stage_idx.is_none() {
            return;
        }
        let state = self.stages.current();
        match instr.kind() {
            SyntaxKind::COPY_INSTR | SyntaxKind::ADD_INSTR if instr.flag("from").is_none() => {
                let whole = state.broad_copy.is_none() && copies_whole_context(ctx, instr);
                if whole {
                    let range = instr.line_range();
                    let text = ctx
                        .parse
                        .text()
                        .get(usize::from(range.start())..usize::from(range.end()))
                        .unwrap_or("COPY")
                        .lines()
                        .next()
                        .unwrap_or("COPY")
                        .trim_end_matches('\\')
                        .trim()
                        .to_string();
                    state.broad_copy = Some(BroadCopy { range, text });
                }
            }
            SyntaxKind::RUN_INSTR => {
                let cached = ctx
                    .mounts
                    .iter()
                    .any(|m| m.split(',').any(|part| part.trim() == "type=cache"));
                for cmd in ctx.commands.iter() {
                    let Some(install) = dependency_install(cmd) else {
                        continue;
                    };
                    let Some(broad) = &state.broad_copy else {
                        state.installed_before.insert(install.ecosystem);
                        continue;
                    };
                    if cached
                        || state.installed_before.contains(&install.ecosystem)
                        || !self.reported.insert(broad.range)
                    {
                        continue;
                    }
                    let command = command_text(cmd);
                    acc.push(
                        Diagnostic::new(
                            &LW1003,
                            broad.range,
                            format!(
                                "`{}` copies the whole build context before `{command}`, so any source change re-runs the install: copy {} first, install, then copy the rest",
                                broad.text, install.manifest
                            ),
                        )
                        .with_related(cmd.range, "the install only needs the manifest"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// The command as written from its name through its subcommand (`npm ci`, `go mod
/// download`, `python -m pip install`), without the flags between.
fn command_text(cmd: &Command) -> String {
    let mut words = vec![cmd.name.text.as_str()];
    for arg in &cmd.args {
        if arg.text.starts_with('-') && arg.text != "-m" {
            continue;
        }
        words.push(&arg.text);
        let is_verb = matches!(
            arg.text.as_str(),
            "install"
                | "i"
                | "ci"
                | "sync"
                | "download"
                | "build"
                | "test"
                | "vet"
                | "fetch"
                | "cook"
                | "package"
                | "verify"
                | "compile"
        ) || arg.text.starts_with("dependency:");
        if is_verb || words.len() == 4 {
            break;
        }
    }
    words.join(" ")
}

/// The dependency install a command performs, if it is one that reads only a manifest.
fn dependency_install(cmd: &Command) -> Option<Install> {
    let program = cmd.program();
    let positional = positional_args(
        cmd,
        &["--prefix", "-C", "--cwd", "-f", "--file", "-p", "--project"],
    );
    let first = positional.first().map(|w| w.text.as_str());
    let rest = positional.get(1..).unwrap_or(&[]);
    let node = "`package.json` and its lock file";
    match (program, first) {
        ("npm", Some("install" | "i" | "ci")) if rest.is_empty() && !is_global(cmd) => {
            Some(Install::new(Ecosystem::Node, node))
        }
        ("yarn", None | Some("install")) | ("pnpm" | "bun", Some("install" | "i"))
            if rest.is_empty() && !is_global(cmd) =>
        {
            Some(Install::new(Ecosystem::Node, node))
        }
        ("poetry", Some("install")) => Some(Install::new(
            Ecosystem::Python,
            "`pyproject.toml` and `poetry.lock`",
        )),
        ("uv", Some("sync")) => Some(Install::new(
            Ecosystem::Python,
            "`pyproject.toml` and `uv.lock`",
        )),
        ("uv", Some("pip")) => requirements_install(cmd.args.get(1..).unwrap_or(&[])),
        ("pipenv", Some("install" | "sync")) if rest.is_empty() => Some(Install::new(
            Ecosystem::Python,
            "`Pipfile` and `Pipfile.lock`",
        )),
        ("pdm", Some("install" | "sync")) => Some(Install::new(
            Ecosystem::Python,
            "`pyproject.toml` and `pdm.lock`",
        )),
        ("go", Some("mod")) => positional
            .get(1)
            .is_some_and(|w| w.text == "download")
            .then(|| Install::new(Ecosystem::Go, "`go.mod` and `go.sum`")),
        ("go", Some("build" | "install" | "test" | "vet")) => {
            let vendored = cmd.args.iter().any(|a| a.text == "-mod=vendor");
            let tool_install = rest.iter().any(|w| w.text.contains('@'));
            (!vendored && !tool_install).then(|| {
                Install::new(
                    Ecosystem::Go,
                    "`go.mod` and `go.sum` (with `go mod download`)",
                )
            })
        }
        ("cargo", Some("build" | "fetch" | "test")) => Some(Install::new(
            Ecosystem::Rust,
            "`Cargo.toml` and `Cargo.lock` (building the dependencies alone, e.g. with cargo-chef)",
        )),
        // `cargo chef prepare` reads the whole source on purpose; `cook` is the install.
        ("cargo", Some("chef")) => positional
            .get(1)
            .is_some_and(|w| w.text == "cook")
            .then(|| Install::new(Ecosystem::Rust, "`Cargo.toml` and `Cargo.lock`")),
        ("mvn" | "mvnw", Some(_)) => {
            let goals = ["package", "install", "verify", "compile", "test"];
            positional
                .iter()
                .any(|w| goals.contains(&w.text.as_str()) || w.text.starts_with("dependency:"))
                .then(|| {
                    Install::new(
                        Ecosystem::Maven,
                        "`pom.xml` (with `mvn dependency:go-offline`)",
                    )
                })
        }
        ("gradle" | "gradlew", Some(_)) => {
            let tasks = [
                "build",
                "assemble",
                "bootJar",
                "jar",
                "shadowJar",
                "installDist",
                "dependencies",
                "test",
            ];
            positional
                .iter()
                .any(|w| tasks.contains(&w.text.trim_start_matches(':')))
                .then(|| {
                    Install::new(
                        Ecosystem::Gradle,
                        "the Gradle build files (with `gradle dependencies`)",
                    )
                })
        }
        ("bundle", Some("install")) | ("bundler", Some("install")) => Some(Install::new(
            Ecosystem::Ruby,
            "`Gemfile` and `Gemfile.lock`",
        )),
        ("composer", Some("install")) => Some(Install::new(
            Ecosystem::Php,
            "`composer.json` and `composer.lock`",
        )),
        _ => pip_args(cmd).and_then(requirements_install),
    }
}

/// `pip install -r requirements.txt` (or `uv pip install -r …`): an install from a
/// requirements file.
fn requirements_install(args: &[crate::shell::Word]) -> Option<Install> {
    let positional = positional_words(args, PIP_FLAGS_WITH_VALUES);
    if positional.first().is_none_or(|w| w.text != "install") {
        return None;
    }
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "-r" || text == "--requirement" {
            if let Some(file) = iter.next() {
                files.push(file.text.clone());
            }
        } else if let Some(file) = text
            .strip_prefix("--requirement=")
            .or_else(|| text.strip_prefix("-r").filter(|f| !f.is_empty()))
        {
            files.push(file.to_string());
        }
    }
    let file = files.first()?;
    Some(Install::new(Ecosystem::Python, &format!("`{file}`")))
}

fn is_global(cmd: &Command) -> bool {
    cmd.args
        .iter()
        .any(|a| a.text == "-g" || a.text == "--global" || a.text == "global")
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;

    fn reported(text: &str) {
        check_rule("LW1003", text, &["COPY . ."]);
    }

    fn silent(text: &str) {
        check_rule("LW1003", text, &[]);
    }

    #[test]
    fn ecosystems() {
        reported("FROM node:20\nCOPY . .\nRUN npm ci\n");
        reported("FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n");
        reported("FROM python:3\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n");
        reported("FROM python:3\nCOPY . .\nRUN python -m pip install -r requirements/prod.txt\n");
        reported("FROM python:3\nCOPY . .\nRUN poetry install --no-root\n");
        reported("FROM python:3\nCOPY . .\nRUN uv sync --frozen\n");
        reported("FROM golang:1\nCOPY . .\nRUN go mod download\n");
        reported("FROM golang:1\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n");
        reported("FROM rust:1\nCOPY . .\nRUN cargo build --release\n");
        silent("FROM rust:1\nCOPY . .\nRUN cargo chef prepare --recipe-path recipe.json\n");
        reported("FROM maven:3\nCOPY . .\nRUN mvn -B package\n");
        reported("FROM gradle:8\nCOPY . .\nRUN ./gradlew build\n");
        reported("FROM ruby:3\nCOPY . .\nRUN bundle install\n");
        reported("FROM php:8\nCOPY . .\nRUN composer install --no-dev\n");
    }

    #[test]
    fn manifest_first() {
        silent("FROM node:20\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n");
        silent(
            "FROM golang:1\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app\n",
        );
        silent(
            "FROM python:3\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install\n",
        );
        // The manifest alone does not help when the install still follows the broad copy.
        reported("FROM node:20\nCOPY package.json ./\nCOPY . .\nRUN npm ci\n");
    }

    #[test]
    fn near_misses() {
        silent("FROM node:20\nCOPY . .\nRUN npm install -g pm2\n");
        silent("FROM node:20\nCOPY . .\nRUN npm install express\n");
        silent("FROM python:3\nCOPY . .\nRUN pip install flask\n");
        silent("FROM golang:1\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build\n");
        silent("FROM golang:1\nCOPY . .\nRUN go build -mod=vendor\n");
        silent("FROM golang:1\nCOPY . .\nRUN go install golang.org/x/tools/gopls@latest\n");
        silent("FROM node:20\nCOPY src/ ./src\nRUN npm ci\n");
        silent("FROM node:20 AS build\nFROM node:20\nCOPY --from=build . .\nRUN npm ci\n");
    }

    #[test]
    fn inherited_copies_are_reported_once() {
        check_rule(
            "LW1003",
            "FROM node:20 AS src\nCOPY . .\nFROM src AS a\nRUN npm ci\nFROM src AS b\nRUN npm ci\n",
            &["COPY . ."],
        );
    }
}
