//! Shared helpers for the DL rules that read shell commands: flags, positional arguments and
//! package lists, with the conventions of the package managers hadolint knows.

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
    if let Some(short) = arg.strip_prefix('-') {
        if short.is_empty() || !short.chars().all(|c| c.is_ascii_alphanumeric()) {
            return flags.contains(&arg);
        }
        if flags.contains(&arg) {
            return true;
        }
        return short.chars().any(|c| {
            flags
                .iter()
                .any(|f| f.len() == 2 && f.starts_with('-') && f.ends_with(c))
        });
    }
    false
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
    let mut out = Vec::new();
    let mut skip_next = false;
    let mut after_double_dash = false;
    for arg in &cmd.args {
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
pub fn has_cache_mount(instr: &crate::syntax::ast::Instruction, target_suffix: &str) -> bool {
    instr
        .flags()
        .filter(|f| f.name() == "mount")
        .filter_map(|f| f.value())
        .any(|value| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Script;

    fn command(text: &str) -> Command {
        Script::from_text(text, 0.into()).commands().remove(0)
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
}
