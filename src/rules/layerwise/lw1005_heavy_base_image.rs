//! LW1005: the final stage builds on a full image where a lighter official variant exists.

use super::util::{ImageFacts, is_development_target, short_image_text};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast::{self, ImageRef};

declare_rule! {
    /// ## What it does
    /// Flags a final stage built on a full image when a lighter variant of the same image
    /// exists for running the application.
    ///
    /// The images it knows:
    ///
    /// | base | lighter |
    /// |---|---|
    /// | `node`, `python`, `ruby`, `perl`, `elixir`, `erlang`, `haskell` | their `-slim` tags (or `-alpine`) |
    /// | `php` (`cli`, `fpm`, `zts` tags), when the file installs no Debian packages | its `-alpine` tags |
    /// | `openjdk`, `eclipse-temurin` JDK tags | `eclipse-temurin` JRE tags |
    /// | `golang`, `rust`, `gcc`, `maven`, `gradle`, `buildpack-deps` | a build stage, and a runtime base for the final one (distroless, `debian:*-slim`, a JRE) |
    /// | `mcr.microsoft.com/dotnet/sdk` | `mcr.microsoft.com/dotnet/aspnet` or `runtime` |
    /// | `nvidia/cuda` `-devel` tags | its `-runtime` tags |
    ///
    /// ## Why is this bad?
    /// The full language images are built on `buildpack-deps`: a complete Debian with
    /// compilers, headers and version-control tools, so that packages with native code build
    /// out of the box. `node:20` is about 1.1 GB, `node:20-slim` about 250 MB, with the same
    /// Node.js. Everything in the base image is pulled on every new host, scanned, patched,
    /// and available to an attacker inside the container. A compiler image (`golang`, `rust`,
    /// a JDK, the .NET SDK) as the final stage ships the whole toolchain to run one binary.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// USER 10001
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// ## Known problems
    /// Only the final stage is checked, only when it names an image directly (not `FROM
    /// <stage>`), and not when it is a development or test target (`dev`, `test`…) or a base
    /// image for others (no process of its own, or an interactive `CMD`). Slim images lack
    /// build tools: a `RUN pip install` of a package without wheels may need them, which is
    /// what a separate build stage is for. Alpine uses musl instead of glibc and `apk` instead
    /// of `apt-get`; it is suggested only for `php`, which has no slim variant, and not when
    /// the Dockerfile installs Debian packages. `php` Apache tags have no lighter variant.
    ///
    /// ## References
    /// layerwise's own rule. The "Image Variants" section of each Docker Official Image's
    /// page; Docker's "Multi-stage builds" guide.
    pub static LW1005 = {
        code: "LW1005",
        name: "heavy-base-image",
        origin: Layerwise,
        severity: Info,
        fix: None,
    }
}

/// Debian and Ubuntu release names that end the tags of the language images
/// (`3.12-bookworm`), before which `-slim` goes in the Python-style naming.
const RELEASES: &[&str] = &[
    "trixie", "bookworm", "bullseye", "buster", "stretch", "jessie", "noble", "jammy", "focal",
];

/// Why an image is heavy, and a lighter choice, as the message shows them. An Alpine variant
/// is only suggested when the Dockerfile does not install Debian packages (`uses_apt`).
fn lighter_variant(image: &ImageRef, uses_apt: bool) -> Option<(&'static str, String)> {
    if image
        .registry
        .as_deref()
        .is_some_and(|r| r != "docker.io" && r != "mcr.microsoft.com")
    {
        return None;
    }
    let repository = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    let raw_tag = image.tag.as_deref().unwrap_or("latest");
    if raw_tag.contains('$') || repository.contains('$') {
        return None;
    }
    let tag = raw_tag.to_ascii_lowercase();
    let windows = ["windows", "nanoserver", "servercore", "ltsc"]
        .iter()
        .any(|w| tag.contains(w));
    if windows {
        return None;
    }
    let already_light = ["slim", "alpine", "distroless", "chiseled"]
        .iter()
        .any(|w| tag.contains(w));
    let name = |tag: &str| format!("`{repository}:{tag}`");
    const FULL: &str = "the full Debian-based image";
    const TOOLCHAIN: &str = "a build toolchain";
    let (reason, lighter) = match (image.registry.as_deref(), repository) {
        (Some("mcr.microsoft.com"), "dotnet/sdk") => (
            "the .NET SDK",
            format!(
                "`mcr.microsoft.com/dotnet/aspnet:{raw_tag}` (or `runtime`) with the output of an SDK build stage"
            ),
        ),
        (Some("mcr.microsoft.com"), _) => return None,
        (_, "node") if !already_light => (FULL, name(&slim_after(&tag))),
        (_, "python" | "ruby" | "perl" | "elixir" | "erlang" | "haskell") if !already_light => {
            (FULL, name(&slim_before_release(&tag)))
        }
        (_, "php") if !uses_apt && !tag.contains("alpine") && !tag.contains("apache") => {
            (FULL, name(&alpine_instead_of_release(&tag)))
        }
        (_, "openjdk") if !tag.contains("jre") => (
            "a JDK",
            format!(
                "`eclipse-temurin:{}` (`openjdk` images are deprecated)",
                jre_tag(&tag)
            ),
        ),
        (_, "eclipse-temurin") if !tag.contains("jre") => ("a JDK", name(&jre_tag(&tag))),
        (_, "golang") => (
            TOOLCHAIN,
            "a build stage, with the binary in `gcr.io/distroless/static` or `scratch`".to_string(),
        ),
        (_, "rust") => (
            TOOLCHAIN,
            "a build stage, with the binary in `debian:bookworm-slim` or `gcr.io/distroless/cc`"
                .to_string(),
        ),
        (_, "gcc") => (
            TOOLCHAIN,
            "a build stage, with the program in `debian:bookworm-slim`".to_string(),
        ),
        (_, "maven" | "gradle") => (
            TOOLCHAIN,
            "a build stage, with the archive in `eclipse-temurin:<version>-jre`".to_string(),
        ),
        (_, "buildpack-deps") => (TOOLCHAIN, "`debian:<release>-slim`".to_string()),
        (_, "nvidia/cuda") if tag.contains("devel") => (
            "a CUDA development image",
            name(&tag.replace("devel", "runtime")),
        ),
        _ => return None,
    };
    Some((reason, lighter))
}

/// Node's naming: `20` → `20-slim`, `20-bookworm` → `20-bookworm-slim`.
fn slim_after(tag: &str) -> String {
    match tag {
        "latest" => "slim".to_string(),
        _ => format!("{tag}-slim"),
    }
}

/// Python's naming: `3.12` → `3.12-slim`, `3.12-bookworm` → `3.12-slim-bookworm`.
fn slim_before_release(tag: &str) -> String {
    if tag == "latest" {
        return "slim".to_string();
    }
    for release in RELEASES {
        if let Some(version) = tag.strip_suffix(&format!("-{release}")) {
            return format!("{version}-slim-{release}");
        }
        if tag == *release {
            return format!("slim-{release}");
        }
    }
    format!("{tag}-slim")
}

/// PHP's naming: `8.3` → `8.3-alpine`, `8.3-fpm-bookworm` → `8.3-fpm-alpine`.
fn alpine_instead_of_release(tag: &str) -> String {
    if tag == "latest" {
        return "alpine".to_string();
    }
    let base = RELEASES
        .iter()
        .find_map(|release| tag.strip_suffix(&format!("-{release}")))
        .unwrap_or(tag);
    format!("{base}-alpine")
}

/// Temurin's naming: `21` → `21-jre`, `21-jdk-jammy` → `21-jre-jammy`, `8-alpine` →
/// `8-jre-alpine`.
fn jre_tag(tag: &str) -> String {
    if tag.contains("jdk") {
        return tag.replacen("jdk", "jre", 1);
    }
    match tag.split_once('-') {
        _ if tag == "latest" => "jre".to_string(),
        Some((version, variant)) => format!("{version}-jre-{variant}"),
        None => format!("{tag}-jre"),
    }
}

#[derive(Debug, Clone, Default)]
struct State {
    image: ImageFacts,
    /// A RUN of the stage (or a stage it builds on) uses `apt-get`: the image depends on
    /// Debian packages.
    uses_apt: bool,
}

#[derive(Default)]
pub struct HeavyBaseImage {
    stages: StageState<State>,
}

impl Rule for HeavyBaseImage {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.stages.visit(ctx, instr);
        if ctx.stage_idx.is_none() {
            return;
        }
        let state = self.stages.current();
        state.image.visit(ctx, instr);
        if ctx
            .commands
            .iter()
            .any(|c| matches!(c.program(), "apt-get" | "apt" | "aptitude"))
        {
            state.uses_apt = true;
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let Some(stage) = ctx.model.stages.last() else {
            return;
        };
        let (Some(image), Some(range)) = (&stage.image, stage.image_range) else {
            return;
        };
        let Some(state) = self.stages.all().get(stage.index) else {
            return;
        };
        if state.image.is_base_image() || is_development_target(stage) || image.is_scratch() {
            return;
        }
        let Some((reason, lighter)) = lighter_variant(image, state.uses_apt) else {
            return;
        };
        acc.push(Diagnostic::new(
            &LW1005,
            range,
            format!(
                "the final stage runs on `{}`, {reason}: use {lighter}",
                short_image_text(&image.raw)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;
    use super::*;

    fn lighter(image: &str) -> Option<String> {
        lighter_variant(&ImageRef::parse(image), false).map(|(_, lighter)| lighter)
    }

    #[test]
    fn variants() {
        assert_eq!(lighter("node:20").as_deref(), Some("`node:20-slim`"));
        assert_eq!(
            lighter("node:20-bookworm").as_deref(),
            Some("`node:20-bookworm-slim`")
        );
        assert_eq!(lighter("node").as_deref(), Some("`node:slim`"));
        assert_eq!(
            lighter("python:3.12-bookworm").as_deref(),
            Some("`python:3.12-slim-bookworm`")
        );
        assert_eq!(
            lighter("docker.io/library/ruby:3.3").as_deref(),
            Some("`ruby:3.3-slim`")
        );
        assert_eq!(
            lighter("php:8.3-fpm-bookworm").as_deref(),
            Some("`php:8.3-fpm-alpine`")
        );
        assert_eq!(
            lighter("openjdk:8-alpine").as_deref(),
            Some("`eclipse-temurin:8-jre-alpine` (`openjdk` images are deprecated)")
        );
        assert_eq!(lighter_variant(&ImageRef::parse("php:8.3-fpm"), true), None);
        assert_eq!(
            lighter("eclipse-temurin:21-jdk-jammy").as_deref(),
            Some("`eclipse-temurin:21-jre-jammy`")
        );
        assert_eq!(
            lighter("nvidia/cuda:12.4.1-devel-ubuntu22.04").as_deref(),
            Some("`nvidia/cuda:12.4.1-runtime-ubuntu22.04`")
        );
        for light in [
            "node:20-slim",
            "node:20-alpine",
            "python:3.12-slim-bookworm",
            "php:8.3-apache",
            "php:8.3-fpm-alpine",
            "eclipse-temurin:21-jre",
            "openjdk:8-jre",
            "nvidia/cuda:12.4.1-runtime-ubuntu22.04",
            "debian:bookworm",
            "node:${NODE_VERSION}",
            "ghcr.io/acme/node:20",
            "python:3.12-windowsservercore-ltsc2022",
        ] {
            assert_eq!(lighter(light), None, "{light}");
        }
    }

    #[test]
    fn final_stage_only() {
        let cmd = "CMD [\"node\", \"s.js\"]\n";
        check_rule("LW1005", &format!("FROM node:20\n{cmd}"), &["node:20"]);
        check_rule(
            "LW1005",
            &format!("FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\n{cmd}"),
            &[],
        );
        check_rule(
            "LW1005",
            &format!("FROM node:20 AS base\nFROM base\n{cmd}"),
            &[],
        );
        check_rule("LW1005", &format!("FROM node:20 AS dev\n{cmd}"), &[]);
        check_rule(
            "LW1005",
            "FROM golang:1.22\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n",
            &["golang:1.22"],
        );
        // A base image for others.
        check_rule(
            "LW1005",
            "FROM buildpack-deps:bookworm\nRUN make\nCMD [\"python3\"]\n",
            &[],
        );
        check_rule(
            "LW1005",
            "ARG V=20\nFROM node:${V}\nCMD [\"node\", \"s.js\"]\n",
            &["node:${V}"],
        );
    }
}
