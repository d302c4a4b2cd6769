//! LW1001: the image's process runs as root because no `USER` is set.

use rowan::{TextRange, TextSize};

use super::util::{
    ImageFacts, chain, chain_root, expand_shell_word, indentation, is_development_target,
    is_windows_stage, line_start, process_of, program_name, short_image_text,
};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::hadolint::util::positional_args;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode, ImageRef};

declare_rule! {
    /// ## What it does
    /// Flags an image whose process runs as root because neither its final stage nor the
    /// stages it builds on set a `USER`.
    ///
    /// ## Why is this bad?
    /// Without `USER`, the container's process runs as uid 0. Namespaces make that root
    /// weaker than the host's, but it is still root for everything the container can reach:
    /// files on mounted volumes, a mounted Docker socket, devices, and the kernel itself, whose
    /// next privilege-escalation bug is one step closer for a root process. Running as an
    /// ordinary user costs one line and turns "the attacker has root in the container" into
    /// "the attacker has an unprivileged shell". Orchestrators can enforce it
    /// (`runAsNonRoot` in Kubernetes), but they can only check a numeric `USER`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY . .
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY . .
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `USER` before the final stage's `CMD`/`ENTRYPOINT` (or at the end of
    /// the stage): the user the Dockerfile creates with `useradd`/`adduser` (its uid when
    /// given), the user the base image provides for this (`node` in the `node` images), or
    /// uid `10001`. It is unsafe: files the process writes must belong to that user (`COPY --chown`), ports
    /// below 1024 need a capability, and an entrypoint that drops privileges itself stops
    /// working.
    ///
    /// ## Known problems
    /// Not reported when:
    /// - the last `USER` is root as written: DL3002 reports that (a `USER $VAR` whose value is
    ///   root is reported here, on the USER, without a fix);
    /// - a `USER` value is unknown here (a build argument without a default);
    /// - the base image runs without root already: distroless `:nonroot` tags, Chainguard
    ///   images (except `-dev` tags), `*-rootless` and `*unprivileged*` images, .NET
    ///   `chiseled`/`distroless` images, Bitnami and Jupyter images, Red Hat UBI language
    ///   images;
    /// - the process drops privileges itself: the file uses `gosu`, `su-exec`, `setpriv` or
    ///   similar (the official database images), or the process is a server whose workers
    ///   switch to an unprivileged user by configuration (nginx, Apache httpd, php-fpm), and
    ///   so is an inherited process of the official images built that way (`FROM postgres`,
    ///   `FROM nginx`…). Their master process still runs as root: use an unprivileged variant
    ///   when that matters;
    /// - the file is a base image, meant to be built on: it defines no process of its own (an
    ///   entrypoint script such as `docker-entrypoint.sh`, or `tini`, alone does not count)
    ///   and does not copy the whole build context, or its `CMD` is a shell or an interactive
    ///   prompt (`bash`, `python3`, `node`, `jshell`…), or it has `ONBUILD` triggers;
    /// - the final stage is a development or test target (named `dev`, `dev-envs`, `test`,
    ///   `ci`…), not the image that ships;
    /// - the process is a container engine (`dockerd`, `buildkitd`…), which needs root by
    ///   design;
    /// - the base is a Windows image (users there are not uids).
    ///
    /// A `scratch` image with no `USER` is reported: it has no `/etc/passwd`, so set a numeric
    /// `USER` (`USER 65532`).
    ///
    /// ## References
    /// layerwise's own rule. Docker's "Dockerfile best practices" (USER); the CIS Docker
    /// Benchmark, 4.1 "Ensure that a user for the container has been created".
    pub static LW1001 = {
        code: "LW1001",
        name: "root-final-stage",
        origin: Layerwise,
        severity: Warning,
        fix: Sometimes,
    }
}

/// The uid the fix sets when the Dockerfile creates no user: high enough not to collide
/// with a user of the base image.
const FALLBACK_UID: &str = "10001";

/// Programs that switch to another user before running their argument.
const PRIVILEGE_DROPPERS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "s6-setuidgid",
    "setuidgid",
    "chpst",
];

/// Servers that start as root only to bind their port and read their keys, and run their
/// workers as the unprivileged user their configuration names.
const SELF_DROPPING_SERVERS: &[&str] = &[
    "nginx",
    "httpd",
    "httpd-foreground",
    "apache2",
    "apache2-foreground",
    "apache2ctl",
    "apachectl",
];

/// A user created by `useradd`/`adduser` in the image.
#[derive(Debug, Clone)]
struct CreatedUser {
    name: String,
    uid: Option<String>,
}

/// A `USER` instruction. Whatever its value, this rule has little to say: non-root is what it
/// asks for, `USER root` is DL3002's finding, and an unknown value cannot be judged. Only a
/// variable whose value is root is left for this rule (DL3002 reads the text as written).
#[derive(Debug, Clone)]
struct UserSetting {
    /// The value is a variable that resolves to `root` or `0`.
    root_through_variable: Option<String>,
    /// The USER's argument.
    range: TextRange,
}

#[derive(Debug, Clone, Default)]
struct State {
    /// The last `USER` of the stage or a stage it builds on.
    user: Option<UserSetting>,
    image: ImageFacts,
    /// The first CMD/ENTRYPOINT of the stage itself: where the fix inserts `USER`.
    first_process_in_stage: Option<TextSize>,
    /// The last RUN of the stage itself: a `USER` inserted before it would change the user
    /// that RUN runs as.
    last_run_in_stage: Option<TextSize>,
    created_user: Option<CreatedUser>,
    drops_privileges: bool,
}

#[derive(Default)]
pub struct RootFinalStage {
    stages: StageState<State>,
}

impl Rule for RootFinalStage {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.stages.visit(ctx, instr);
        let Some(stage_idx) = ctx.stage_idx else {
            return;
        };
        let state = self.stages.current();
        state.image.visit(ctx, instr);
        match instr.kind() {
            SyntaxKind::FROM_INSTR => {
                state.first_process_in_stage = None;
                state.last_run_in_stage = None;
            }
            SyntaxKind::USER_INSTR => {
                let arg = instr.arguments().next();
                let root_through_variable = arg.as_ref().and_then(|arg| {
                    let written = arg.text();
                    let value = ctx.model.vars.resolve(arg)?;
                    let user = value.split(':').next().unwrap_or("").trim();
                    (written.contains('$') && matches!(user, "root" | "0"))
                        .then(|| format!("`{written}` is `{user}`"))
                });
                state.user = Some(UserSetting {
                    root_through_variable,
                    range: arg.map_or(instr.line_range(), |a| a.range()),
                });
            }
            SyntaxKind::CMD_INSTR | SyntaxKind::ENTRYPOINT_INSTR => {
                if state.first_process_in_stage.is_none() {
                    state.first_process_in_stage = Some(instr.syntax().text_range().start());
                }
                let argv = process_of(instr).argv;
                if argv
                    .iter()
                    .any(|w| PRIVILEGE_DROPPERS.contains(&program_name(w)))
                {
                    state.drops_privileges = true;
                }
            }
            SyntaxKind::RUN_INSTR => {
                state.last_run_in_stage = Some(instr.syntax().text_range().start());
                for cmd in ctx.commands.iter() {
                    if !state.drops_privileges && mentions_privilege_dropper(cmd) {
                        state.drops_privileges = true;
                    }
                    if let Some(user) = created_user(ctx, stage_idx, cmd) {
                        state.created_user = Some(user);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let Some(final_stage) = ctx.model.stages.last() else {
            return;
        };
        let Some(state) = self.stages.all().get(final_stage.index) else {
            return;
        };
        if is_windows_stage(ctx.model, final_stage.index) {
            return;
        }
        match &state.user {
            Some(UserSetting {
                root_through_variable: Some(value),
                range,
            }) => {
                acc.push(Diagnostic::new(
                    &LW1001,
                    *range,
                    format!("the last `USER` is root ({value}), so the process runs as root"),
                ));
                return;
            }
            Some(_) => return,
            None => {}
        }
        let root_image = chain_root(ctx.model, final_stage.index).and_then(|s| s.image.as_ref());
        if let Some(image) = root_image
            && runs_without_root(image, state.image.process.process.is_empty())
        {
            return;
        }
        if state.drops_privileges
            || state.image.is_base_image()
            || is_development_target(final_stage)
        {
            return;
        }
        let process = &state.image.process.process;
        let argv = process.effective_argv();
        if let Some(program) = argv.first()
            && is_self_dropping_server(program)
        {
            return;
        }
        // A container engine needs root (and `--privileged`) by design; its rootless variant
        // sets a USER.
        let entry_program = process
            .entrypoint
            .as_ref()
            .or(process.cmd.as_ref())
            .and_then(|p| p.argv.first());
        if entry_program.is_some_and(|p| needs_root_by_design(p)) {
            return;
        }

        let range = final_stage.image_range.unwrap_or(final_stage.from_range);
        // A FROM being typed (no image yet) is the parser's finding, not this rule's.
        let Some(image_text) = final_stage.image_text.as_deref().map(short_image_text) else {
            return;
        };
        let message = match root_image {
            Some(image) if image.is_scratch() => format!(
                "`FROM {image_text}` sets no `USER`, so the process runs as root: set a numeric `USER` (a scratch image has no /etc/passwd)"
            ),
            _ if chain(ctx.model, final_stage.index).len() > 1 => format!(
                "no `USER` in the final stage (`FROM {image_text}`) or the stages it builds on, so the process runs as root"
            ),
            _ => format!(
                "no `USER` in the final stage (`FROM {image_text}`), so the process runs as root"
            ),
        };
        let mut diagnostic = Diagnostic::new(&LW1001, range, message);
        let runs = process.entrypoint.as_ref().or(process.cmd.as_ref());
        if let Some(runs) = runs {
            diagnostic = diagnostic.with_related(runs.range, "this process runs as root");
        }
        diagnostic = diagnostic.with_fix(fix(ctx, final_stage.range, state, root_image));
        acc.push(diagnostic);
    }
}

/// Inserts `USER` before the final stage's first CMD/ENTRYPOINT, or after its last line.
fn fix(ctx: &RuleCtx, stage_range: TextRange, state: &State, root_image: Option<&ImageRef>) -> Fix {
    let scratch = root_image.is_some_and(ImageRef::is_scratch);
    let user = match &state.created_user {
        Some(CreatedUser { uid: Some(uid), .. }) => uid.clone(),
        Some(CreatedUser { name, .. }) if !scratch => name.clone(),
        _ => match root_image.and_then(image_user) {
            Some(user) => user.to_string(),
            None => FALLBACK_UID.to_string(),
        },
    };
    let text = ctx.parse.text();
    let before_process = state
        .first_process_in_stage
        .filter(|at| state.last_run_in_stage.is_none_or(|run| run < *at));
    let edit = match before_process {
        Some(at) => {
            let start = line_start(text, at);
            let indent = indentation(text, at);
            if start == at && !indent.is_empty() {
                Edit::insert(at, format!("USER {user}\n{indent}"))
            } else {
                Edit::insert(start, format!("{indent}USER {user}\n"))
            }
        }
        None => Edit::insert(stage_range.end(), format!("\nUSER {user}")),
    };
    Fix::unsafe_(format!("Insert `USER {user}`"), vec![edit])
}

/// The unprivileged user an official image ships for applications to use.
fn image_user(image: &ImageRef) -> Option<&'static str> {
    let official = image.registry.as_deref().is_none_or(|r| r == "docker.io");
    let repository = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    match repository {
        "node" if official => Some("node"),
        _ => None,
    }
}

/// Images whose process runs without root: non-root by default, or dropping privileges when
/// it starts. `inherits_process` is set when the Dockerfile keeps the image's own process.
fn runs_without_root(image: &ImageRef, inherits_process: bool) -> bool {
    let registry = image.registry.as_deref().unwrap_or("docker.io");
    let repository = image.repository.to_ascii_lowercase();
    let repository = repository.strip_prefix("library/").unwrap_or(&repository);
    let tag = image
        .tag
        .as_deref()
        .unwrap_or("latest")
        .to_ascii_lowercase();
    let non_root_by_default = match registry {
        "gcr.io" => repository.starts_with("distroless/") && tag.contains("nonroot"),
        "cgr.dev" => repository.starts_with("chainguard/") && !tag.contains("dev"),
        "mcr.microsoft.com" => {
            repository.starts_with("dotnet/")
                && (tag.contains("chiseled") || tag.contains("distroless"))
        }
        "registry.access.redhat.com" | "registry.redhat.io" => {
            let language = repository.split('/').nth(1).unwrap_or("");
            repository.starts_with("ubi")
                && [
                    "nodejs-",
                    "python-",
                    "ruby-",
                    "php-",
                    "perl-",
                    "go-toolset",
                    "openjdk-",
                ]
                .iter()
                .any(|p| language.starts_with(p))
        }
        "quay.io" => repository.starts_with("jupyter/"),
        _ => {
            (repository.starts_with("bitnami/") && repository != "bitnami/minideb")
                || repository.starts_with("jupyter/")
        }
    };
    if non_root_by_default || tag.contains("rootless") || repository.contains("unprivileged") {
        return true;
    }
    if !inherits_process || registry != "docker.io" {
        return false;
    }
    // Official images whose own process drops privileges (gosu in the entrypoint, or a
    // server that switches its workers to an unprivileged user).
    match repository {
        "php" => tag.contains("fpm") || tag.contains("apache"),
        "wordpress" | "drupal" | "joomla" | "nextcloud" => !tag.contains("cli"),
        _ => matches!(
            repository,
            "nginx"
                | "httpd"
                | "postgres"
                | "mysql"
                | "mariadb"
                | "mongo"
                | "redis"
                | "rabbitmq"
                | "cassandra"
                | "couchdb"
                | "ghost"
                | "memcached"
                | "haproxy"
                | "solr"
                | "zookeeper"
                | "odoo"
                | "neo4j"
                | "influxdb"
                | "elasticsearch"
                | "jenkins/jenkins"
                | "grafana/grafana"
        ),
    }
}

/// Container engines: they manage namespaces, mounts and cgroups, which needs root.
fn needs_root_by_design(program: &str) -> bool {
    let name = program_name(program);
    ["dockerd", "containerd", "buildkitd", "podman"]
        .iter()
        .any(|engine| name.starts_with(engine))
}

fn is_self_dropping_server(program: &str) -> bool {
    let name = program_name(program);
    SELF_DROPPING_SERVERS.contains(&name) || name.starts_with("php-fpm")
}

/// Whether a command runs, installs or downloads a privilege-dropping tool (`gosu nobody
/// true`, `apk add su-exec`, `wget -O /usr/local/bin/gosu …/gosu-amd64`): some word's last
/// path component starts with the tool's name.
fn mentions_privilege_dropper(cmd: &Command) -> bool {
    std::iter::once(&cmd.name)
        .chain(cmd.args.iter())
        .any(|word| {
            let name = program_name(&word.text);
            PRIVILEGE_DROPPERS.iter().any(|tool| name.starts_with(tool))
        })
}

/// The user a `useradd`/`adduser` creates, with its uid when given.
fn created_user(ctx: &RuleCtx, stage_idx: usize, cmd: &Command) -> Option<CreatedUser> {
    let offset = cmd.range.start();
    let (flags_with_values, uid_flags, name_is_last): (&[&str], &[&str], bool) = match cmd.program()
    {
        "useradd" => (
            &[
                "-u",
                "--uid",
                "-g",
                "--gid",
                "-G",
                "--groups",
                "-d",
                "--home-dir",
                "-s",
                "--shell",
                "-c",
                "--comment",
                "-k",
                "--skel",
                "-e",
                "--expiredate",
                "-f",
                "--inactive",
                "-K",
                "--key",
                "-p",
                "--password",
                "-R",
                "--root",
                "-b",
                "--base-dir",
                "-P",
                "--prefix",
                "-Z",
                "--selinux-user",
            ],
            &["-u", "--uid"],
            true,
        ),
        "adduser" => (
            &[
                "-u",
                "--uid",
                "-g",
                "--gid",
                "-G",
                "--ingroup",
                "-h",
                "--home",
                "-s",
                "--shell",
                "--gecos",
                "-k",
                "--firstuid",
                "--lastuid",
                "--conf",
                "--comment",
            ],
            &["-u", "--uid"],
            false,
        ),
        _ => return None,
    };
    let positional = positional_args(cmd, flags_with_values);
    let name_word = if name_is_last {
        positional.last()
    } else {
        positional.first()
    }?;
    let name = expand_shell_word(ctx.model, stage_idx, offset, &name_word.text)?;
    if name.is_empty() || name == "root" {
        return None;
    }
    let mut uid = None;
    for pair in cmd.args.windows(2) {
        if uid_flags.contains(&pair[0].text.as_str()) {
            uid = expand_shell_word(ctx.model, stage_idx, offset, &pair[1].text);
        }
    }
    for arg in &cmd.args {
        if let Some(value) = arg.text.strip_prefix("--uid=") {
            uid = expand_shell_word(ctx.model, stage_idx, offset, value);
        }
    }
    let uid = uid.filter(|u| !u.is_empty() && u != "0" && u.bytes().all(|b| b.is_ascii_digit()));
    Some(CreatedUser { name, uid })
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;
    use crate::testing::check_fix;

    fn reported(text: &str, image: &str) {
        check_rule("LW1001", text, &[image]);
    }

    fn silent(text: &str) {
        check_rule("LW1001", text, &[]);
    }

    #[test]
    fn missing_user() {
        reported(
            "FROM node:20\nCOPY . .\nCMD [\"node\", \"s.js\"]\n",
            "node:20",
        );
        silent("FROM node:20\nCOPY . .\nUSER node\nCMD [\"node\", \"s.js\"]\n");
        silent("FROM node:20\nUSER 1000:1000\nCMD [\"node\", \"s.js\"]\n");
        // Root last is DL3002's finding, unless only a variable says so.
        silent("FROM node:20\nUSER root\nCMD [\"node\", \"s.js\"]\n");
        check_rule(
            "LW1001",
            "FROM node:20\nARG RUN_AS=root\nUSER $RUN_AS\nCMD [\"node\", \"s.js\"]\n",
            &["$RUN_AS"],
        );
    }

    #[test]
    fn user_through_arg_and_stages() {
        silent("FROM node:20\nARG UID=1000\nUSER ${UID}\nCMD [\"node\", \"s.js\"]\n");
        silent("FROM node:20 AS base\nUSER node\nFROM base\nCMD [\"node\", \"s.js\"]\n");
        reported(
            "FROM node:20 AS build\nUSER node\nFROM node:22\nCOPY --from=build /a /a\nCMD [\"node\", \"a\"]\n",
            "node:22",
        );
    }

    #[test]
    fn base_images_stay_silent() {
        silent("FROM debian:12\nRUN apt-get update\nCMD [\"bash\"]\n");
        silent("FROM debian:12\nENV PYTHON_VERSION=3.12\nCMD [\"python3\"]\n");
        silent("FROM debian:12\nRUN make install\n");
        silent("FROM debian:12\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\"]\n");
        silent("FROM node:8\nONBUILD COPY . /app\nCMD [\"npm\", \"start\"]\n");
        silent("FROM node:20 AS build\nFROM build AS dev-envs\nCMD [\"npm\", \"run\", \"dev\"]\n");
        // No process, but an application all the same.
        reported("FROM node:20\nCOPY . .\nEXPOSE 3000\n", "node:20");
        silent("FROM rabbitmq:4\nRUN rabbitmq-plugins enable rabbitmq_management\nEXPOSE 15672\n");
        silent("FROM debian:12\nEXPOSE 80\nHEALTHCHECK NONE\n");
    }

    #[test]
    fn privileges_dropped_or_non_root_base() {
        silent(
            "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"postgres\"]\n",
        );
        silent("FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n");
        silent("FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\nEXPOSE 80\n");
        silent("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\nCMD [\"/app\"]\n");
        silent("FROM cgr.dev/chainguard/static\nCOPY app /\nCMD [\"/app\"]\n");
        reported(
            "FROM gcr.io/distroless/static-debian12\nCOPY app /\nCMD [\"/app\"]\n",
            "gcr.io/distroless/static-debian12",
        );
    }

    #[test]
    fn scratch() {
        reported(
            "FROM scratch\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
            "scratch",
        );
        silent("FROM scratch\nCOPY app /\nUSER 65532\nENTRYPOINT [\"/app\"]\n");
        check_fix(
            "FROM scratch\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
            "LW1001",
            "FROM scratch\nCOPY app /\nUSER 10001\nENTRYPOINT [\"/app\"]\n",
        );
        // A RUN after the CMD must keep running as root: the USER goes last.
        check_fix(
            "FROM scratch\nCMD [\"/app\"]\nRUN [\"/app\", \"--init\"]\n",
            "LW1001",
            "FROM scratch\nCMD [\"/app\"]\nRUN [\"/app\", \"--init\"]\nUSER 10001\n",
        );
    }

    #[test]
    fn fixes() {
        check_fix(
            "FROM python:3.12-slim\nRUN useradd --uid 1001 app\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
            "LW1001",
            "FROM python:3.12-slim\nRUN useradd --uid 1001 app\nCOPY . /app\nUSER 1001\nCMD [\"python\", \"/app/main.py\"]\n",
        );
        check_fix(
            "FROM python:3.12-slim\nRUN adduser --system app\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]",
            "LW1001",
            "FROM python:3.12-slim\nRUN adduser --system app\nCOPY . /app\nUSER app\nCMD [\"python\", \"/app/main.py\"]",
        );
        check_fix(
            "FROM python:3 AS base\nCMD [\"python\", \"s.py\"]\nFROM base\nCOPY . .",
            "LW1001",
            "FROM python:3 AS base\nCMD [\"python\", \"s.py\"]\nFROM base\nCOPY . .\nUSER 10001",
        );
        check_fix(
            "FROM node:20\nCOPY . .\n  CMD [\"node\", \"s.js\"]\n",
            "LW1001",
            "FROM node:20\nCOPY . .\n  USER node\n  CMD [\"node\", \"s.js\"]\n",
        );
    }

    #[test]
    fn incomplete_from() {
        silent("FROM\nCOPY . .\nCMD [\"app\"]\n");
    }

    #[test]
    fn windows_images_are_left_alone() {
        silent(
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe /\nCMD [\"app.exe\"]\n",
        );
    }
}
