//! LW1007: a container started to run several long-running processes.

use super::util::{in_final_image, is_windows_stage, is_wrapper, program_name};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::hadolint::util::positional_args;
use crate::rules::{Rule, RuleCtx};
use crate::shell::{Command, Script};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `CMD` or `ENTRYPOINT` that starts more than one long-running process, and a
    /// `RUN` that starts a service as if it would keep running.
    ///
    /// In a `CMD`/`ENTRYPOINT` (shell form, or `["sh", "-c", "…"]`): a process supervisor
    /// (`supervisord`, `runsvdir`, `s6-svscan`), services started in the background
    /// (`service nginx start`, `/etc/init.d/cron start`, `systemctl start`), a command put in
    /// the background with `&`, or two known daemons chained
    /// (`php-fpm -D && nginx -g 'daemon off;'`). In a `RUN`: a service started by its last
    /// command, or any `systemctl start`.
    ///
    /// ## Why is this bad?
    /// A container is built around one process: its PID 1. The runtime watches that process,
    /// restarts the container when it dies, sends it the stop signal and collects its output
    /// as the container's logs. A second process started beside it is invisible to all of
    /// that: when it crashes nothing restarts it, its logs go nowhere, `docker stop` does not
    /// reach it, and the two cannot be scaled, updated or rolled back separately. Run each
    /// service in its own container and connect them over the network (Compose, a Kubernetes
    /// pod).
    ///
    /// A service started by a `RUN` stops when that RUN's build container exits: only files
    /// are kept in the layer, never processes. And `systemctl` needs systemd as PID 1, which
    /// a build never has.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx cron \
    ///     && rm -rf /var/lib/apt/lists/*
    /// CMD service cron start && nginx -g 'daemon off;'
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx \
    ///     && rm -rf /var/lib/apt/lists/*
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// and run the scheduled job from another container (or the orchestrator's cron jobs).
    ///
    /// ## Known problems
    /// Only the final image's stages are checked. An entrypoint script is not read: what
    /// `docker-entrypoint.sh` starts is not known here. An init process that only reaps
    /// zombies (`tini`, `dumb-init`) is fine and skipped. Some images are designed around a
    /// supervisor on purpose (s6-overlay bundles, CI runners, desktop-in-a-container): suppress
    /// the finding there.
    ///
    /// ## References
    /// layerwise's own rule. Docker's "Run multiple processes in a container" guide, which
    /// describes these patterns as the exception.
    pub static LW1007 = {
        code: "LW1007",
        name: "multiple-processes",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

/// Process supervisors: their whole job is running several programs.
const SUPERVISORS: &[&str] = &["supervisord", "runsvdir", "s6-svscan", "circusd", "monit"];

/// Servers that keep running: two of them in one command line are two processes.
const DAEMONS: &[&str] = &[
    "nginx",
    "httpd",
    "apache2ctl",
    "apachectl",
    "sshd",
    "cron",
    "crond",
    "redis-server",
    "mysqld",
    "mysqld_safe",
    "mongod",
    "postgres",
    "memcached",
    "rsyslogd",
    "dockerd",
    "gunicorn",
    "uwsgi",
    "celery",
    "haproxy",
    "dnsmasq",
    "postfix",
];

#[derive(Default)]
pub struct MultipleProcesses;

impl Rule for MultipleProcesses {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        let Some(stage_idx) = ctx.stage_idx else {
            return;
        };
        if !in_final_image(ctx.model, stage_idx) || is_windows_stage(ctx.model, stage_idx) {
            return;
        }
        match instr.kind() {
            SyntaxKind::CMD_INSTR | SyntaxKind::ENTRYPOINT_INSTR => {
                let Some(found) = process_problem(instr) else {
                    return;
                };
                let keyword = instr.keyword_text().to_ascii_uppercase();
                acc.push(Diagnostic::new(
                    &LW1007,
                    instr.line_range(),
                    format!(
                        "{keyword} starts more than one long-running process ({found}): run each in its own container"
                    ),
                ));
            }
            SyntaxKind::RUN_INSTR if ctx.posix_shell => {
                if let Some(diagnostic) = service_in_run(&ctx.commands) {
                    acc.push(diagnostic);
                }
            }
            _ => {}
        }
    }
}

/// What makes a CMD/ENTRYPOINT start several processes, described for the message.
fn process_problem(instr: &ast::Instruction) -> Option<String> {
    let script = match instr.json_array() {
        Some(array) => {
            let strings = array.strings();
            let mut argv: &[String] = &strings;
            // `tini -- …`, `dumb-init …`: the real command follows.
            while let Some((first, rest)) = argv.split_first() {
                if !is_wrapper(first) {
                    break;
                }
                argv = rest.strip_prefix(&["--".to_string()][..]).unwrap_or(rest);
            }
            let (program, args) = argv.split_first()?;
            let name = program_name(program);
            if SUPERVISORS.contains(&name) {
                return Some(format!("`{name}`"));
            }
            if !matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh") {
                return None;
            }
            // `["sh", "-c", "a & b"]`, `["bash", "-ec", "…"]`.
            let at = args
                .iter()
                .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'))?;
            let text = args.get(at + 1)?;
            let offset = array.syntax().text_range().start();
            Script::from_text(text, offset)
        }
        None => Script::from_instruction(instr)?,
    };
    script_problem(&script)
}

/// A script that starts several processes: a supervisor, a service, `&`, or two daemons.
fn script_problem(script: &Script) -> Option<String> {
    let commands = script.commands();
    for cmd in commands.iter() {
        let name = cmd.program();
        if SUPERVISORS.contains(&name) {
            return Some(format!("`{name}`"));
        }
        if let Some(service) = starts_service(cmd) {
            return Some(format!("`{service}` in the background"));
        }
    }
    if let Some(at) = background_operator(script.text()) {
        let at_document = script.to_document(at, at).start();
        let command = commands
            .iter()
            .rev()
            .find(|c| c.range.start() <= at_document)
            .map_or("", |c| c.program());
        return Some(match command {
            "" => "`&`".to_string(),
            _ => format!("`{command} &`"),
        });
    }
    let daemons: Vec<&str> = commands
        .iter()
        .map(|c| c.program())
        .filter(|p| DAEMONS.contains(p) || p.starts_with("php-fpm"))
        .collect();
    match daemons.as_slice() {
        [first, second, ..] => Some(format!("`{first}` and `{second}`")),
        _ => None,
    }
}

/// `service nginx start`, `/etc/init.d/cron start`, `systemctl start x`, `rc-service x start`:
/// the service started, as written.
fn starts_service(cmd: &Command) -> Option<String> {
    let positional = positional_args(cmd, &[]);
    let words: Vec<&str> = positional.iter().map(|w| w.text.as_str()).collect();
    let program = cmd.program();
    let is_start = |verb: &str| matches!(verb, "start" | "restart");
    match (program, words.as_slice()) {
        ("service" | "rc-service", [name, verb, ..]) if is_start(verb) => {
            Some(format!("{program} {name} {verb}"))
        }
        ("systemctl", [verb, name, ..]) if is_start(verb) => {
            Some(format!("systemctl {verb} {name}"))
        }
        (_, [verb, ..]) if cmd.name.text.starts_with("/etc/init.d/") && is_start(verb) => {
            Some(format!("{} {verb}", cmd.name.text))
        }
        _ => None,
    }
}

/// A RUN that starts a service as its last command, or runs `systemctl start`: the service
/// does not outlive the RUN.
fn service_in_run(commands: &[Command]) -> Option<Diagnostic> {
    let last_start = commands.iter().map(|c| c.range.start()).max()?;
    for cmd in commands {
        let Some(service) = starts_service(cmd) else {
            continue;
        };
        let message = if cmd.program() == "systemctl" {
            format!(
                "`{service}` cannot work in a build (systemd is not running) and nothing it starts outlives the RUN: start the process in CMD"
            )
        } else if cmd.range.start() == last_start {
            format!(
                "`{service}` is the last command of this RUN: the service stops when the RUN ends, so start the process in CMD"
            )
        } else {
            continue;
        };
        return Some(Diagnostic::new(&LW1007, cmd.range, message));
    }
    None
}

/// The offset of a `&` that puts a command in the background (not `&&`, `&>`, `>&`, `|&`),
/// outside quotes and comments.
fn background_operator(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut idx = 0;
    while idx < bytes.len() {
        let byte = bytes[idx];
        match (quote, byte) {
            (Some(b'\''), b'\'') | (Some(b'"'), b'"') => quote = None,
            (Some(b'"'), b'\\') => idx += 1,
            (Some(_), _) => {}
            (None, b'\\') => idx += 1,
            (None, b'\'' | b'"') => quote = Some(byte),
            (None, b'#') if idx == 0 || bytes[idx - 1].is_ascii_whitespace() => {
                while idx < bytes.len() && bytes[idx] != b'\n' {
                    idx += 1;
                }
            }
            (None, b'&') => {
                let prev = idx.checked_sub(1).map(|i| bytes[i]);
                let next = bytes.get(idx + 1).copied();
                if matches!(next, Some(b'&' | b'>')) {
                    idx += 2;
                    continue;
                }
                if !matches!(prev, Some(b'&' | b'>' | b'<' | b'|')) {
                    return Some(idx);
                }
            }
            _ => {}
        }
        idx += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::util::check_rule;
    use super::background_operator;

    fn reported(text: &str, range: &str) {
        check_rule("LW1007", &format!("FROM debian:12\n{text}\n"), &[range]);
    }

    fn silent(text: &str) {
        check_rule("LW1007", &format!("FROM debian:12\n{text}\n"), &[]);
    }

    #[test]
    fn several_processes() {
        reported(
            "CMD service cron start && nginx -g 'daemon off;'",
            "CMD service cron start && nginx -g 'daemon off;'",
        );
        reported(
            "CMD [\"/usr/bin/supervisord\", \"-n\"]",
            "CMD [\"/usr/bin/supervisord\", \"-n\"]",
        );
        reported(
            "ENTRYPOINT [\"sh\", \"-c\", \"worker & exec server\"]",
            "ENTRYPOINT [\"sh\", \"-c\", \"worker & exec server\"]",
        );
        reported(
            "CMD php-fpm -D && nginx -g 'daemon off;'",
            "CMD php-fpm -D && nginx -g 'daemon off;'",
        );
        reported(
            "CMD [\"tini\", \"--\", \"supervisord\"]",
            "CMD [\"tini\", \"--\", \"supervisord\"]",
        );
    }

    #[test]
    fn one_process() {
        silent("CMD [\"nginx\", \"-g\", \"daemon off;\"]");
        silent("CMD nginx -g 'daemon off;' 2>&1");
        silent("CMD [\"sh\", \"-c\", \"migrate && exec server\"]");
        silent("CMD echo 'a & b' && server");
        silent("CMD server &> /dev/null");
        // A builder stage's CMD never runs.
        check_rule(
            "LW1007",
            "FROM debian:12 AS build\nCMD a & b\nFROM debian:12\nCMD [\"b\"]\n",
            &[],
        );
    }

    #[test]
    fn services_in_run() {
        reported(
            "RUN apt-get install -y ssh && service ssh start",
            "service ssh start",
        );
        reported("RUN systemctl start nginx", "systemctl start nginx");
        silent("RUN service mysql start && mysql < /init.sql && service mysql stop");
        silent("RUN systemctl enable nginx");
    }

    #[test]
    fn background() {
        assert_eq!(background_operator("a & b"), Some(2));
        assert_eq!(background_operator("a && b"), None);
        assert_eq!(background_operator("a 2>&1 | b |& c"), None);
        assert_eq!(background_operator("echo '&' \"&\" \\& # &"), None);
        assert_eq!(background_operator("a &>/dev/null"), None);
    }
}
