//! LW1002: compilers, build tools and development packages installed in the final image.

use std::collections::HashSet;

use rowan::TextRange;

use super::util::{
    ImageFacts, in_final_image, is_development_target, is_windows_stage, variable_value,
};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::hadolint::util::{
    APK_FLAGS_WITH_VALUES, ZYPPER_FLAGS_WITH_VALUES, has_flag, invocation_range, is_dynamic,
    packages, positional_args, rpm_action,
};
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::shell::{Command, Word};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags compilers, build tools and development packages installed in the final image and
    /// not removed by the same RUN, and installs of Node.js devDependencies there.
    ///
    /// Packages of apt, apk, dnf/yum and zypper are checked: `gcc`, `g++`, `clang`,
    /// `build-essential`, `build-base`, `make`, `cmake`, `autoconf`, `golang`, `go`, `rustc`,
    /// `cargo`, `maven`, `gradle`, JDKs, and every `*-dev`/`*-devel` package (`libpq-dev`,
    /// `python3-devel`). The message names them. An `npm install`/`npm ci`, `yarn` or
    /// `pnpm install` of the project's dependencies without `--omit=dev`/`--production` is
    /// reported too.
    ///
    /// ## Why is this bad?
    /// What the application needs to *run* is almost always much smaller than what it needs
    /// to be *built*: `build-essential` alone is about 250 MB, a JDK two to three times a JRE,
    /// `devDependencies` often more than the dependencies. Each of these tools is also
    /// software an attacker can use inside the container (a compiler turns source into an
    /// exploit) and more packages for scanners to report. Removing them in a later RUN does
    /// not help, since a layer never shrinks: the bytes stay in the layer that installed them.
    ///
    /// Build in a stage of its own and copy only the result into a slim final stage (a
    /// multi-stage build): the toolchain never reaches the image that ships.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///     && pip install --no-cache-dir -r requirements.txt && rm -rf /var/lib/apt/lists/*
    /// CMD ["python", "-m", "app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// COPY requirements.txt .
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///     && pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    ///
    /// FROM python:3.12-slim
    /// RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    ///     apt-get update && apt-get install -y --no-install-recommends libpq5 \
    ///     && pip install --no-cache-dir /wheels/* && rm -rf /var/lib/apt/lists/*
    /// USER 10001
    /// CMD ["python", "-m", "app"]
    /// ```
    ///
    /// Where a second stage is not possible, install the build dependencies and remove them
    /// in the same RUN: `apk add --virtual .build-deps gcc musl-dev && … && apk del
    /// .build-deps`, or `apt-get purge -y --auto-remove gcc` at the end of the RUN.
    ///
    /// ## Known problems
    /// Not reported in stages that are only copied from (builder stages), for packages the
    /// same RUN removes (`apt-get purge`/`remove`/`autoremove` after `apt-mark auto`, `apk
    /// del` of the package or of its `--virtual` group, `dnf`/`yum remove`), and in base
    /// images meant to be built on (no process of their own, or an interactive `CMD` such as
    /// `bash`) or final stages named as a development or test target (`dev`, `test`, `ci`…):
    /// there the toolchain is the point. Package lists in variables (`$BUILD_DEPS`)
    /// are not read. An `npm ci` is not reported with `--omit=dev`, `--production`, `-g`,
    /// explicit package names, or `NODE_ENV=production` set by ENV, ARG or on the command line.
    /// Some applications do need a compiler at run time (a JIT that builds extensions): then
    /// suppress the finding.
    ///
    /// ## References
    /// layerwise's own rule. Docker's "Multi-stage builds" guide.
    pub static LW1002 = {
        code: "LW1002",
        name: "toolchain-in-final-image",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

const APT_FLAGS_WITH_VALUES: &[&str] = &["-t", "--target-release", "-o", "--option", "-c"];

/// Build tools by package name, with what they are.
const TOOLS: &[(&str, &str)] = &[
    ("gcc", "a C compiler"),
    ("g++", "a C++ compiler"),
    ("gcc-c++", "a C++ compiler"),
    ("c++", "a C++ compiler"),
    ("clang", "a C compiler"),
    ("build-essential", "the C/C++ toolchain"),
    ("build-base", "the C/C++ toolchain"),
    ("alpine-sdk", "the C/C++ toolchain"),
    ("make", "a build tool"),
    ("cmake", "a build tool"),
    ("autoconf", "a build tool"),
    ("automake", "a build tool"),
    ("libtool", "a build tool"),
    ("golang", "the Go toolchain"),
    ("golang-go", "the Go toolchain"),
    ("go", "the Go toolchain"),
    ("rust", "the Rust toolchain"),
    ("rustc", "the Rust compiler"),
    ("cargo", "the Rust toolchain"),
    ("maven", "a Java build tool"),
    ("gradle", "a Java build tool"),
    (
        "default-jdk",
        "a Java compiler (a JRE runs the application)",
    ),
    ("dpkg-dev", "Debian package build tools"),
];

/// What kind of build tool a package is, when it is one.
fn tool_kind(package: &str) -> Option<&'static str> {
    let name = package.to_ascii_lowercase();
    if let Some((_, kind)) = TOOLS.iter().find(|(tool, _)| *tool == name) {
        return Some(kind);
    }
    // Versioned compilers: `gcc-12`, `g++-13`, `clang-17`, `golang-1.22-go`.
    let versioned = ["gcc-", "g++-", "clang-", "golang-1."].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
    });
    if versioned {
        return Some("a compiler");
    }
    if name.starts_with("openjdk") && (name.ends_with("-jdk") || name.ends_with("-jdk-headless")) {
        return Some("a Java compiler (a JRE runs the application)");
    }
    if name.ends_with("-dev") || name.ends_with("-devel") || name == "linux-headers" {
        return Some("development headers");
    }
    None
}

/// A package word without its version or architecture: `gcc=4:12.2` → `gcc`,
/// `libc6-dev:amd64` → `libc6-dev`, `musl-dev~1.2` → `musl-dev`.
fn package_name(word: &str) -> &str {
    let end = word.find(['=', ':', '~', '<', '>']).unwrap_or(word.len());
    &word[..end]
}

/// A build tool found in an install command.
struct Tool {
    name: String,
    kind: &'static str,
    range: TextRange,
}

/// One report waiting for the end of the file (whether the image is a base image).
struct Pending {
    stage_idx: usize,
    diagnostic: Diagnostic,
}

#[derive(Default)]
pub struct ToolchainInFinalImage {
    facts: StageState<StageFacts>,
    pending: Vec<Pending>,
}

#[derive(Debug, Clone, Default)]
struct StageFacts {
    image: ImageFacts,
}

impl Rule for ToolchainInFinalImage {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.facts.visit(ctx, instr);
        let Some(stage_idx) = ctx.stage_idx else {
            return;
        };
        self.facts.current().image.visit(ctx, instr);
        if instr.kind() != SyntaxKind::RUN_INSTR
            || !ctx.posix_shell
            || !in_final_image(ctx.model, stage_idx)
            || is_windows_stage(ctx.model, stage_idx)
        {
            return;
        }
        let removed = removed_packages(&ctx.commands);
        for cmd in ctx.commands.iter() {
            let tools: Vec<Tool> = installed_packages(cmd)
                .into_iter()
                .filter(|(group, word)| {
                    !is_dynamic(word) && !removed.covers(group.as_deref(), word)
                })
                .filter_map(|(_, word)| {
                    let name = package_name(&word.text);
                    Some(Tool {
                        name: name.to_string(),
                        kind: tool_kind(name)?,
                        range: word.range,
                    })
                })
                .collect();
            if let Some(first) = tools.first() {
                let diagnostic = Diagnostic::new(&LW1002, first.range, tools_message(&tools));
                self.pending.push(Pending {
                    stage_idx,
                    diagnostic,
                });
            }
            if let Some(diagnostic) = dev_dependencies(ctx, stage_idx, cmd) {
                self.pending.push(Pending {
                    stage_idx,
                    diagnostic,
                });
            }
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let Some(final_stage) = ctx.model.stages.last() else {
            return;
        };
        let base_image = self
            .facts
            .all()
            .get(final_stage.index)
            .is_some_and(|f| f.image.is_base_image());
        if base_image || is_development_target(final_stage) {
            return;
        }
        acc.extend(
            self.pending
                .drain(..)
                .filter(|p| in_final_image(ctx.model, p.stage_idx))
                .map(|p| p.diagnostic),
        );
    }
}

fn tools_message(tools: &[Tool]) -> String {
    let named: Vec<String> = tools
        .iter()
        .take(3)
        .map(|t| format!("`{}` ({})", t.name, t.kind))
        .collect();
    let mut list = named.join(", ");
    if tools.len() > 3 {
        list.push_str(&format!(" and {} more", tools.len() - 3));
    }
    let verb = if tools.len() == 1 { "stays" } else { "stay" };
    format!(
        "{list} {verb} in the final image: build in a separate stage and copy only the result, or remove {} in this RUN",
        if tools.len() == 1 { "it" } else { "them" }
    )
}

/// The packages an install command adds, each with its `apk --virtual` group if any.
fn installed_packages(cmd: &Command) -> Vec<(Option<String>, &Word)> {
    let words: Vec<&Word> = match cmd.program() {
        "apt-get" | "apt" | "aptitude" => packages(
            cmd,
            &["apt-get", "apt", "aptitude"],
            &["install"],
            APT_FLAGS_WITH_VALUES,
        )
        .unwrap_or_default(),
        "apk" => {
            let Some(words) = packages(cmd, &["apk"], &["add"], APK_FLAGS_WITH_VALUES) else {
                return Vec::new();
            };
            let group = virtual_group(cmd);
            return words.into_iter().map(|w| (group.clone(), w)).collect();
        }
        "dnf" | "yum" | "microdnf" | "tdnf" => {
            match rpm_action(cmd, &["dnf", "yum", "microdnf", "tdnf"]) {
                Some(action) if action.group.is_none() && action.verb.text == "install" => action
                    .args
                    .into_iter()
                    .filter(|w| !w.text.starts_with('-'))
                    .collect(),
                _ => Vec::new(),
            }
        }
        "zypper" => packages(
            cmd,
            &["zypper"],
            &["install", "in"],
            ZYPPER_FLAGS_WITH_VALUES,
        )
        .unwrap_or_default(),
        _ => Vec::new(),
    };
    words.into_iter().map(|w| (None, w)).collect()
}

/// The name of an `apk add --virtual NAME` (or `-t NAME`) group.
fn virtual_group(cmd: &Command) -> Option<String> {
    let mut args = cmd.args.iter();
    while let Some(arg) = args.next() {
        if let Some(value) = arg.text.strip_prefix("--virtual=") {
            return Some(value.to_string());
        }
        if arg.text == "--virtual" || arg.text == "-t" {
            return args.next().map(|w| w.text.clone());
        }
    }
    None
}

/// What a RUN removes again: package names, apk groups, or everything it installed.
#[derive(Default)]
struct Removed {
    names: HashSet<String>,
    everything: bool,
}

impl Removed {
    fn covers(&self, group: Option<&str>, word: &Word) -> bool {
        self.everything
            || self.names.contains(package_name(&word.text))
            || group.is_some_and(|g| self.names.contains(g))
    }
}

fn removed_packages(commands: &[Command]) -> Removed {
    let mut removed = Removed::default();
    // `apt-mark auto '.*'` then `apt-get purge --auto-remove` (the official images' way):
    // every package the RUN installed goes.
    let marks_auto = commands.iter().any(|c| {
        let words: Vec<&str> = std::iter::once(c.program())
            .chain(c.args.iter().map(|a| a.text.as_str()))
            .collect();
        words.windows(2).any(|pair| pair == ["apt-mark", "auto"])
    });
    for cmd in commands {
        let words: Vec<&Word> = match cmd.program() {
            "apt-get" | "apt" | "aptitude" => {
                let positional = positional_args(cmd, APT_FLAGS_WITH_VALUES);
                let Some((verb, rest)) = positional.split_first() else {
                    continue;
                };
                let auto_remove =
                    verb.text == "autoremove" || has_flag(cmd, &["--auto-remove", "--autoremove"]);
                match verb.text.as_str() {
                    "purge" | "remove" | "autoremove" => {
                        if auto_remove && marks_auto {
                            removed.everything = true;
                        }
                        rest.to_vec()
                    }
                    _ => continue,
                }
            }
            "apk" => packages(cmd, &["apk"], &["del"], APK_FLAGS_WITH_VALUES).unwrap_or_default(),
            "dnf" | "yum" | "microdnf" | "tdnf" => {
                match rpm_action(cmd, &["dnf", "yum", "microdnf", "tdnf"]) {
                    Some(action)
                        if matches!(
                            action.verb.text.as_str(),
                            "remove" | "erase" | "autoremove"
                        ) =>
                    {
                        action.args
                    }
                    Some(action) if action.verb.text == "history" => {
                        removed.everything |= action.args.first().is_some_and(|a| a.text == "undo");
                        continue;
                    }
                    _ => continue,
                }
            }
            "zypper" => packages(
                cmd,
                &["zypper"],
                &["remove", "rm"],
                ZYPPER_FLAGS_WITH_VALUES,
            )
            .unwrap_or_default(),
            _ => continue,
        };
        for word in words {
            if is_dynamic(word) {
                // `apk del $BUILD_DEPS`, `apt-get purge $buildDeps`: what the variable holds
                // is not known here; assume it is what this RUN installed.
                removed.everything = true;
            }
            removed.names.insert(package_name(&word.text).to_string());
        }
    }
    removed
}

/// An `npm`/`yarn`/`pnpm` install of a project's dependencies that includes its
/// development dependencies.
fn dev_dependencies(ctx: &RuleCtx, stage_idx: usize, cmd: &Command) -> Option<Diagnostic> {
    let program = cmd.program();
    let positional = positional_args(cmd, &["--prefix", "-C", "--cwd", "--filter", "-F"]);
    let (verb, rest) = match positional.split_first() {
        Some((verb, rest)) => (Some(*verb), rest),
        None => (None, &[][..]),
    };
    let installs = match (program, verb.map(|v| v.text.as_str())) {
        ("npm", Some("install" | "i" | "ci" | "isntall")) => rest.is_empty(),
        ("yarn", None | Some("install")) => rest.is_empty(),
        ("pnpm", Some("install" | "i")) => rest.is_empty(),
        _ => false,
    };
    if !installs {
        return None;
    }
    let production_flags = [
        "--production",
        "--prod",
        "-P",
        "--omit",
        "--only",
        "-g",
        "--global",
        "--focus",
    ];
    if has_flag(cmd, &production_flags) {
        return None;
    }
    let node_env = variable_value(ctx.model, stage_idx, cmd.range.start(), "NODE_ENV");
    if node_env.as_deref() == Some("production") {
        return None;
    }
    // `NODE_ENV=production npm ci`: an assignment in front of the command.
    let script = ctx.script.as_ref()?;
    let text = script.text();
    if text.contains("NODE_ENV=production") || text.contains("NODE_ENV=\"production\"") {
        return None;
    }
    let last = verb.unwrap_or(&cmd.name);
    let invocation = if program == "yarn" && verb.is_none() {
        "yarn".to_string()
    } else {
        format!("{program} {}", last.text)
    };
    let range = invocation_range(cmd, last);
    Some(Diagnostic::new(
        &LW1002,
        range,
        format!(
            "`{invocation}` installs devDependencies in the final image: build in a separate stage, or install with `{}`",
            match program {
                "npm" => "--omit=dev",
                _ => "--prod",
            }
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;

    const CMD: &str = "CMD [\"app\"]\n";

    fn check(body: &str, expected: &[&str]) {
        check_rule("LW1002", &format!("{body}{CMD}"), expected);
    }

    #[test]
    fn toolchains_in_the_final_stage() {
        check(
            "FROM debian:12\nRUN apt-get install -y gcc make\n",
            &["gcc"],
        );
        check(
            "FROM debian:12\nRUN apt-get install -y curl libpq-dev=15.1\n",
            &["libpq-dev=15.1"],
        );
        check(
            "FROM alpine:3\nRUN apk add --no-cache build-base\n",
            &["build-base"],
        );
        check(
            "FROM fedora:40\nRUN dnf install -y gcc-c++ python3-devel\n",
            &["gcc-c++"],
        );
        check(
            "FROM debian:12\nRUN apt-get install -y curl ca-certificates\n",
            &[],
        );
    }

    #[test]
    fn builder_stages_are_fine() {
        check(
            "FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /a /a\n",
            &[],
        );
        check(
            "FROM debian:12 AS base\nRUN apt-get install -y gcc\nFROM base\n",
            &["gcc"],
        );
        // The base of a builder stage is not in the image either.
        check(
            "FROM debian:12 AS deps\nRUN apt-get install -y gcc\nFROM deps AS build\nFROM debian:12\nCOPY --from=build /a /a\n",
            &[],
        );
    }

    #[test]
    fn removed_in_the_same_run() {
        check(
            "FROM alpine:3\nRUN apk add --virtual .build-deps gcc musl-dev && make && apk del .build-deps\n",
            &[],
        );
        check(
            "FROM alpine:3\nRUN apk add -t .deps gcc && apk del --no-network .deps\n",
            &[],
        );
        check(
            "FROM debian:12\nRUN apt-get install -y gcc make && make && apt-get purge -y gcc\n",
            &["make"],
        );
        check(
            "FROM debian:12\nRUN apt-mark auto '.*' && apt-get install -y gcc && apt-get purge -y --auto-remove\n",
            &[],
        );
        check(
            "FROM debian:12\nRUN apt-get install -y gcc\nRUN apt-get purge -y gcc\n",
            &["gcc"],
        );
        check(
            "FROM debian:12\nRUN apt-get install -y gcc; apt-mark showmanual | xargs apt-mark auto; apt-get purge -y --auto-remove\n",
            &[],
        );
        check(
            "FROM alpine:3\nRUN apk add $BUILD_DEPS gcc && apk del $BUILD_DEPS\n",
            &[],
        );
    }

    #[test]
    fn node_dev_dependencies() {
        check("FROM node:20\nCOPY . .\nRUN npm ci\n", &["npm ci"]);
        check("FROM node:20\nCOPY . .\nRUN yarn\n", &["yarn"]);
        check("FROM node:20\nCOPY . .\nRUN npm ci --omit=dev\n", &[]);
        check(
            "FROM node:20\nCOPY . .\nRUN yarn install --production\n",
            &[],
        );
        check(
            "FROM node:20\nENV NODE_ENV=production\nCOPY . .\nRUN npm ci\n",
            &[],
        );
        check(
            "FROM node:20\nARG NODE_ENV=production\nENV NODE_ENV $NODE_ENV\nRUN npm ci\n",
            &[],
        );
        check(
            "FROM node:20\nCOPY . .\nRUN NODE_ENV=production npm ci\n",
            &[],
        );
        check("FROM node:20\nRUN npm install -g pm2\n", &[]);
        check("FROM node:20\nRUN npm install express\n", &[]);
    }

    #[test]
    fn base_images_and_dev_targets_keep_their_toolchain() {
        check("FROM debian:12 AS dev\nRUN apt-get install -y gcc\n", &[]);
        check_rule(
            "LW1002",
            "FROM debian:12\nRUN apt-get install -y gcc\n",
            &[],
        );
        check_rule(
            "LW1002",
            "FROM debian:12\nRUN apt-get install -y gcc\nCMD [\"bash\"]\n",
            &[],
        );
        check_rule(
            "LW1002",
            "FROM debian:12\nRUN apt-get install -y gcc\nCOPY . /app\n",
            &["gcc"],
        );
    }
}
