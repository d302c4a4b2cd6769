//! Shared helpers for the DL rules that read shell commands: flags, positional arguments and
//! package lists, with the conventions of the package managers hadolint knows.

use rowan::{TextRange, TextSize};

use crate::diagnostics::Edit;
use crate::rules::RuleCtx;
use crate::shell::{Command, Word};

/// Whether the command has any of these flags. Long flags match `--name` and `--name=…`;
/// single-letter flags (`-y`) also match inside combined short flags (`-qy`).
pub fn has_flag(cmd: &Command, flags: &[&str]) -> bool {
    cmd.args.iter().any(|arg| flag_matches(&arg.text, flags))
}

fn flag_matches(arg: &str, flags: &[&str]) -> bool {
    if let Some(long) = arg.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long);
        return flags.iter().any(|f| f.strip_prefix("--") == Some(name));
    }
    let Some(short) = arg.strip_prefix('-') else {
        return false;
    };
    if flags.contains(&arg) {
        return true;
    }
    // A cluster of single-letter flags (`-qy`). What follows the first character that is not a
    // letter or digit is a value (`-qO-`, `-q=2`), not more flags.
    let letters = short
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    letters.chars().any(|c| {
        flags
            .iter()
            .any(|f| f.len() == 2 && f.starts_with('-') && f.ends_with(c))
    })
}

/// How many times a single-letter flag appears, counting combined forms (`-qq` is two).
pub fn count_short_flag(cmd: &Command, letter: char) -> usize {
    cmd.args
        .iter()
        .filter(|a| a.text.starts_with('-') && !a.text.starts_with("--"))
        .map(|a| a.text.chars().skip(1).filter(|c| *c == letter).count())
        .sum()
}

/// Arguments that are not flags, skipping the value after each flag in `flags_with_values`
/// (`-t bookworm`); `--flag=value` forms are flags with their value attached.
pub fn positional_args<'a>(cmd: &'a Command, flags_with_values: &[&str]) -> Vec<&'a Word> {
    positional_words(&cmd.args, flags_with_values)
}

/// [`positional_args`] over any list of words (the arguments after `python -m pip`).
pub fn positional_words<'a>(args: &'a [Word], flags_with_values: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut skip_next = false;
    let mut after_double_dash = false;
    for arg in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        let text = arg.text.as_str();
        if after_double_dash {
            out.push(arg);
            continue;
        }
        if text == "--" {
            after_double_dash = true;
            continue;
        }
        if text.starts_with('-') && text.len() > 1 {
            if flags_with_values.contains(&text) {
                skip_next = true;
            }
            continue;
        }
        out.push(arg);
    }
    out
}

/// For `<program> <subcommand> <packages…>`: the package words when the command's program is
/// one of `programs` and its first positional argument is one of `subcommands`.
pub fn packages<'a>(
    cmd: &'a Command,
    programs: &[&str],
    subcommands: &[&str],
    flags_with_values: &[&str],
) -> Option<Vec<&'a Word>> {
    if !programs.contains(&cmd.program()) {
        return None;
    }
    let positional = positional_args(cmd, flags_with_values);
    let (first, rest) = positional.split_first()?;
    subcommands
        .contains(&first.text.as_str())
        .then(|| rest.to_vec())
}

/// Whether the command is `<program> <subcommand>` (first positional argument).
pub fn is_subcommand(
    cmd: &Command,
    programs: &[&str],
    subcommands: &[&str],
    flags_with_values: &[&str],
) -> bool {
    packages(cmd, programs, subcommands, flags_with_values).is_some()
}

/// Whether a RUN mounts a cache or tmpfs at `target` (`--mount=type=cache,target=/var/cache/apt`).
pub fn has_cache_mount(ctx: &crate::rules::RuleCtx, target_suffix: &str) -> bool {
    ctx.mounts.iter().any(|value| {
        let mut kind = "bind";
        let mut target = "";
        for part in value.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k.trim() {
                "type" => kind = v,
                "target" | "dst" | "destination" => target = v,
                _ => {}
            }
        }
        matches!(kind, "cache" | "tmpfs")
            && target
                .trim_end_matches('/')
                .ends_with(target_suffix.trim_end_matches('/'))
    })
}

/// Whether a word's value is only known when the image is built (`$PKGS`, `"${V}"`, a command
/// substitution): rules that judge a package's spelling leave such words alone.
pub fn is_dynamic(word: &Word) -> bool {
    word.raw.contains('$') || word.raw.contains('`')
}

/// The range from a command's name to the end of `last` (`yum install`), for findings about
/// how a command is invoked rather than about one of its arguments.
pub fn invocation_range(cmd: &Command, last: &Word) -> TextRange {
    TextRange::new(
        cmd.name.range.start(),
        last.range.end().max(cmd.name.range.end()),
    )
}

/// Whether an `rm -r` that starts after `after` deletes a path for which `matches` holds.
pub fn removes_recursively(
    commands: &[Command],
    after: TextSize,
    matches: impl Fn(&str) -> bool,
) -> bool {
    commands
        .iter()
        .filter(|c| c.program() == "rm" && c.range.start() > after)
        .filter(|rm| has_flag(rm, &["-r", "-R", "--recursive"]))
        .any(|rm| positional_args(rm, &[]).iter().any(|a| matches(&a.text)))
}

/// An edit that appends `command` to the end of the current RUN's shell-form script, chained
/// with `&&` (or after a trailing `;`). `None` for heredoc scripts, multi-line scripts and
/// scripts that end in an operator, where the right place is not obvious.
pub fn append_to_script(ctx: &RuleCtx, command: &str) -> Option<Edit> {
    let script = ctx.script.as_ref()?;
    let text = script.text().trim_end();
    if text.is_empty() || text.contains("<<") || text.contains('\n') {
        return None;
    }
    let end = script.to_document(text.len(), text.len()).end();
    if text.ends_with(';') {
        return Some(Edit::insert(end, format!(" {command}")));
    }
    if text.ends_with("&&") || text.ends_with('|') || text.ends_with('&') || text.ends_with('\\') {
        return None;
    }
    Some(Edit::insert(end, format!(" && {command}")))
}

/// Options of `yum`, `dnf` and `microdnf` that take their value as the next word.
pub const RPM_FLAGS_WITH_VALUES: &[&str] = &[
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "--excludepkgs",
    "--installroot",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--repofrompath",
    "--releasever",
    "--setopt",
    "--disableplugin",
    "--enableplugin",
    "--disableexcludes",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "--color",
    "--rpmverbosity",
    "-R",
    "--randomwait",
];

/// The action of a `yum`/`dnf`/`microdnf` command line: `install`, or `install` after a
/// `group`/`module` word (`dnf module install nodejs:20`), with the words that follow it.
pub struct RpmAction<'a> {
    /// `group`, `groups` or `module` when the action belongs to one of them.
    pub group: Option<&'a Word>,
    pub verb: &'a Word,
    pub args: Vec<&'a Word>,
}

/// The action of `cmd` when its program is one of `programs`.
pub fn rpm_action<'a>(cmd: &'a Command, programs: &[&str]) -> Option<RpmAction<'a>> {
    if !programs.contains(&cmd.program()) {
        return None;
    }
    let positional = positional_args(cmd, RPM_FLAGS_WITH_VALUES);
    let (first, rest) = positional.split_first()?;
    if matches!(first.text.as_str(), "group" | "groups" | "module") {
        let (verb, args) = rest.split_first()?;
        return Some(RpmAction {
            group: Some(first),
            verb,
            args: args.to_vec(),
        });
    }
    Some(RpmAction {
        group: None,
        verb: first,
        args: rest.to_vec(),
    })
}

/// Whether an RPM package argument names a version, with the heuristic hadolint uses for yum and
/// dnf: split on `-`, everything after the name is made of `[A-Za-z0-9.~^_:+]` and some part
/// starts with a digit (`httpd-2.4.57`, `nodejs-2:20.1-1.el9`). Package files (`.rpm`) count as
/// pinned.
pub fn rpm_version_pinned(package: &str) -> bool {
    if package.ends_with(".rpm") {
        return true;
    }
    let mut parts = package.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && rest.iter().all(|part| {
            part.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
        })
        && rest
            .iter()
            .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
}

/// Options of `zypper` (global and of its install-like commands) that take their value as the
/// next word.
pub const ZYPPER_FLAGS_WITH_VALUES: &[&str] = &[
    "-R",
    "--root",
    "-c",
    "--config",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--userdata",
    "-t",
    "--type",
    "-r",
    "--repo",
    "--from",
    "-p",
    "--plus-repo",
    "--plus-content",
    "--download",
];

/// Options of `apk` that take their value as the next word.
pub const APK_FLAGS_WITH_VALUES: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--wait",
    "--timeout",
];

/// Options of pip (global and of `pip install`) that take their value as the next word.
pub const PIP_FLAGS_WITH_VALUES: &[&str] = &[
    "--abi",
    "-b",
    "--build",
    "-c",
    "--constraint",
    "-C",
    "--config-settings",
    "-e",
    "--editable",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--global-option",
    "-i",
    "--index-url",
    "--implementation",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--prefix",
    "--progress-bar",
    "--python-version",
    "-r",
    "--requirement",
    "--root",
    "--root-user-action",
    "--report",
    "--src",
    "-t",
    "--target",
    "--upgrade-strategy",
    "--cache-dir",
    "--cert",
    "--client-cert",
    "--exists-action",
    "--keyring-provider",
    "--log",
    "--proxy",
    "--python",
    "--retries",
    "--timeout",
    "--trusted-host",
    "--use-deprecated",
    "--use-feature",
];

/// The arguments pip receives: all of them for `pip`, `pip3`, `pip3.12` (and `pipx`), those after
/// `-m pip` for `python -m pip`. `None` for anything else, `pipenv` included.
pub fn pip_args(cmd: &Command) -> Option<&[Word]> {
    let program = cmd.program();
    if program.starts_with("pip") && !program.starts_with("pipenv") {
        return Some(&cmd.args);
    }
    if !program.starts_with("python") {
        return None;
    }
    let module_at = cmd
        .args
        .iter()
        .position(|a| a.text == "-m" || a.text == "-mpip")?;
    let module_end = match cmd.args[module_at].text.as_str() {
        "-mpip" => module_at + 1,
        _ if cmd.args.get(module_at + 1).is_some_and(|w| w.text == "pip") => module_at + 2,
        _ => return None,
    };
    cmd.args.get(module_end..)
}

/// For `pip install …` (in any of the forms [`pip_args`] knows): the `install` word and the
/// arguments after it.
pub fn pip_install(cmd: &Command) -> Option<(&Word, &[Word])> {
    let args = pip_args(cmd)?;
    let positional = positional_words(args, PIP_FLAGS_WITH_VALUES);
    let install = *positional.first().filter(|w| w.text == "install")?;
    let at = args.iter().position(|a| std::ptr::eq(a, install))?;
    Some((install, &args[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Script;

    fn command(text: &str) -> Command {
        Script::from_text(text, 0.into()).commands()[0].clone()
    }

    #[test]
    fn flags() {
        let cmd = command("apt-get -qy install --no-install-recommends=1 curl");
        assert!(has_flag(&cmd, &["-y", "--yes"]));
        assert!(has_flag(&cmd, &["--no-install-recommends"]));
        assert!(!has_flag(&cmd, &["-f"]));
        assert_eq!(
            count_short_flag(&command("apt-get -qq -q install x"), 'q'),
            3
        );
    }

    #[test]
    fn positional() {
        let cmd = command("apt-get install -t bookworm-backports curl wget=1.0");
        let words: Vec<&str> = positional_args(&cmd, &["-t"])
            .iter()
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(words, ["install", "curl", "wget=1.0"]);
        let pkgs = packages(&cmd, &["apt-get"], &["install"], &["-t"]).unwrap();
        assert_eq!(pkgs.len(), 2);
        assert!(packages(&command("apt-get update"), &["apt-get"], &["install"], &[]).is_none());
    }

    #[test]
    fn short_flag_clusters_end_at_a_value() {
        assert!(has_flag(&command("wget -qO- https://x"), &["-q"]));
        assert!(!has_flag(&command("wget -O- https://x"), &["-q"]));
        assert!(has_flag(&command("apt-get -q=2 install x"), &["-q"]));
        assert!(has_flag(&command("wget -nv x"), &["-nv"]));
        assert!(!has_flag(&command("wget -nc x"), &["-nv", "-q"]));
    }

    #[test]
    fn dynamic_words() {
        let cmd = command("apk add $PKGS \"${X}\" curl `cat list`");
        let dynamic: Vec<bool> = cmd.args.iter().map(is_dynamic).collect();
        assert_eq!(dynamic, [false, true, true, false, true]);
    }

    #[test]
    fn recursive_removal() {
        let script = Script::from_text(
            "rm -rf /var/cache/yum && yum install -y x && rm -f /var/cache/dnf/a && rm -r /tmp/x",
            0.into(),
        );
        let commands = script.commands();
        let install = commands[1].range.start();
        assert!(!removes_recursively(&commands, install, |p| p.starts_with("/var/cache/yum")));
        assert!(!removes_recursively(&commands, install, |p| p.starts_with("/var/cache/dnf")));
        assert!(removes_recursively(&commands, install, |p| p == "/tmp/x"));
    }

    #[test]
    fn rpm_actions_and_pins() {
        let cmd = command("dnf --enablerepo epel -y module install nodejs:20");
        let action = rpm_action(&cmd, &["dnf"]).unwrap();
        assert_eq!(action.group.map(|w| w.text.as_str()), Some("module"));
        assert_eq!(action.verb.text, "install");
        assert_eq!(action.args.len(), 1);
        assert!(rpm_action(&cmd, &["yum"]).is_none());
        for pinned in [
            "httpd-2.4.57",
            "nodejs-2:20.1-1.el9",
            "python3-devel-3.9",
            "x.rpm",
        ] {
            assert!(rpm_version_pinned(pinned), "{pinned}");
        }
        for unpinned in [
            "httpd",
            "epel-release",
            "python3-devel",
            "foo-1.0/x",
            "foo-",
        ] {
            assert!(!rpm_version_pinned(unpinned), "{unpinned}");
        }
    }

    #[test]
    fn pip_forms() {
        let texts = |words: &[Word]| words.iter().map(|w| w.text.clone()).collect::<Vec<_>>();
        let cmd = command("pip3 --retries 3 install -i https://x flask");
        let (install, rest) = pip_install(&cmd).unwrap();
        assert_eq!(install.text, "install");
        assert_eq!(texts(rest), ["-i", "https://x", "flask"]);
        let cmd = command("python3.12 -m pip install flask");
        assert_eq!(texts(pip_install(&cmd).unwrap().1), ["flask"]);
        assert!(pip_install(&command("python -m pipx install black")).is_none());
        assert!(pip_install(&command("pipenv install flask")).is_none());
        assert!(pip_install(&command("pip download flask")).is_none());
        assert!(pip_args(&command("python -c 'import pip'")).is_none());
    }
}
