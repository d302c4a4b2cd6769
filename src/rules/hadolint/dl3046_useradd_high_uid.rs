//! DL3046: `useradd` with a high UID and without `-l`.

use rowan::TextRange;

use super::util::has_flag;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `useradd` with a UID of 100000 or more when `-l`/`--no-log-init` is missing.
    ///
    /// ## Why is this bad?
    /// `useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files
    /// indexed by UID. On disk they are sparse, but an image layer stores them in full, so a
    /// high UID can add gigabytes of zeros to the image. `-l` skips those records, which no
    /// container needs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN useradd -u 123456 app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN useradd -l -u 123456 app
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-l` is safe: the user is created the same way, only without login records.
    ///
    /// ## Notes
    /// The UID may be written `-u N`, `-uN`, `--uid N` or `--uid=N`. A UID given by a variable
    /// (`-u $UID`) is not known here and is not reported.
    ///
    /// ## References
    /// Matches hadolint's DL3046, which reports the RUN and judges the UID by its length (more
    /// than five characters); layerwise points at the UID, compares its value, and does not
    /// report a variable, whose name hadolint measures as if it were the number.
    pub static DL3046 = {
        code: "DL3046",
        name: "useradd-high-uid",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

/// The first UID whose lastlog record makes the file noticeably large.
const HIGH_UID: u64 = 100_000;

/// Single-letter options of useradd that take no value (they may precede `u` in a cluster).
const NO_VALUE_LETTERS: &str = "DlmMNorU";

#[derive(Default)]
pub struct UseraddHighUid;

impl Rule for UseraddHighUid {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("useradd") {
            if has_flag(cmd, &["-l", "--no-log-init"]) {
                continue;
            }
            let Some((uid, range)) = uid(cmd) else {
                continue;
            };
            let Ok(value) = uid.parse::<u64>() else {
                continue;
            };
            if value < HIGH_UID {
                continue;
            }
            acc.push(
                Diagnostic::new(
                    &DL3046,
                    range,
                    format!("UID {value} without `-l`: useradd's lastlog and faillog records grow the layer with the UID"),
                )
                .with_fix(Fix::safe(
                    "Add `-l`",
                    vec![Edit::insert(cmd.name.range.end(), " -l")],
                )),
            );
        }
    }
}

/// The UID as written and where it is.
fn uid(cmd: &Command) -> Option<(&str, TextRange)> {
    for (idx, arg) in cmd.args.iter().enumerate() {
        let text = arg.text.as_str();
        if let Some(value) = text.strip_prefix("--uid=") {
            return Some((value, arg.range));
        }
        let separate = text == "--uid"
            || text.strip_prefix('-').is_some_and(|cluster| {
                cluster.strip_suffix('u').is_some_and(|before| {
                    !before.starts_with('-') && before.chars().all(|c| NO_VALUE_LETTERS.contains(c))
                })
            });
        if separate {
            let value = cmd.args.get(idx + 1)?;
            return Some((&value.text, value.range));
        }
        if let Some(value) = text.strip_prefix("-u").filter(|v| !v.is_empty()) {
            return Some((value, arg.range));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn high_uid() {
        check_ranges(
            "FROM a:1\nRUN useradd -m -u 100000 app\n",
            &[("DL3046", "100000")],
        );
        check_ranges(
            "FROM a:1\nRUN useradd --uid=2000000 app\n",
            &[("DL3046", "--uid=2000000")],
        );
        check_codes("FROM a:1\nRUN useradd --uid 123456 app\n", &["DL3046"]);
        check_codes("FROM a:1\nRUN useradd -mu 123456 app\n", &["DL3046"]);
        check_codes("FROM a:1\nRUN useradd -u123456 app\n", &["DL3046"]);
        check_codes("FROM a:1\nONBUILD RUN useradd -u 123456 app\n", &["DL3046"]);
    }

    #[test]
    fn fine() {
        for ok in [
            "useradd -u 99999 app",
            "useradd -l -u 123456 app",
            "useradd --no-log-init -u 123456 app",
            "useradd -lu 123456 app",
            "useradd -u $APP_UID app",
            "useradd -g 123456 app",
            "usermod -u 123456 app",
        ] {
            check_codes(&format!("FROM a:1\nRUN {ok}\n"), &[]);
        }
        check_fix(
            "FROM a:1\nRUN useradd -u 123456 app\n",
            "DL3046",
            "FROM a:1\nRUN useradd -l -u 123456 app\n",
        );
    }
}
