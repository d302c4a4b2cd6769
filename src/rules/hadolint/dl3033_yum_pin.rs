//! DL3033: unpinned packages in `yum install`.

use super::util::{is_dynamic, rpm_action, rpm_version_pinned};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `yum install` that names no version (`httpd-2.4.6`), and each
    /// module in `yum module install` that names no stream (`nodejs:20`).
    ///
    /// ## Why is this bad?
    /// Without a version yum installs whatever the repositories hold on the day of the build,
    /// so two builds of the same Dockerfile can differ, and an update can break the image
    /// without any change to it. Naming the version makes upgrades deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 mod_ssl && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 mod_ssl-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Notes
    /// A package counts as pinned when the part after its name is version-like: it contains
    /// only letters, digits and `.~^_:+` and some `-`-separated part starts with a digit
    /// (`nodejs-2:20.1-1.el9`). Package files (`.rpm`) count as pinned. A word that is a
    /// variable (`$PACKAGES`, `httpd-${HTTPD_VERSION}`) is not reported, since its value is not
    /// known here, nor are the values of options such as `--enablerepo epel`.
    ///
    /// ## References
    /// Matches hadolint's DL3033, which reports the RUN once; layerwise points at each unpinned
    /// package. Where hadolint is wrong, layerwise differs: it skips every word that holds a
    /// variable (hadolint only accepts `${VAR}` when VAR is a known ENV or ARG), it does not
    /// take the value of an option for a package, and it does not check `yum group install`,
    /// whose arguments are group names, not packages.
    pub static DL3033 = {
        code: "DL3033",
        name: "yum-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct YumPin;

impl Rule for YumPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(action) = rpm_action(cmd, &["yum"]) else {
                continue;
            };
            if action.verb.text != "install" {
                continue;
            }
            let is_module = match action.group.map(|g| g.text.as_str()) {
                Some("module") => true,
                Some(_) => continue,
                None => false,
            };
            for pkg in action.args {
                let name = pkg.text.as_str();
                if is_dynamic(pkg) {
                    continue;
                }
                let message = match is_module {
                    true if !name.contains(':') => {
                        format!("module `{name}` names no stream: install `{name}:<stream>`")
                    }
                    false if !rpm_version_pinned(name) => format!(
                        "`{name}` is not pinned: install a fixed version with `{name}-<version>`"
                    ),
                    _ => continue,
                };
                acc.push(Diagnostic::new(&DL3033, pkg.range, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    fn run(args: &str) -> String {
        format!("FROM a:1\nRUN yum install -y {args} && yum clean all\n")
    }

    #[test]
    fn pins() {
        check_ranges(
            &run("httpd-2.4.6 mod_ssl \\\n    python3-devel-3.6 epel-release"),
            &[("DL3033", "mod_ssl"), ("DL3033", "epel-release")],
        );
        for pinned in [
            "nodejs-2:20.1-1.el9",
            "./local.rpm",
            "https://example.com/x.rpm",
            "$PACKAGES",
            "httpd-${HTTPD_VERSION}",
            "--enablerepo epel x-1.0",
        ] {
            check_codes(&run(pinned), &[]);
        }
        check_codes(&run("python3-devel"), &["DL3033"]);
        check_codes(
            "FROM a:1\nONBUILD RUN yum install -y x && yum clean all\n",
            &["DL3033"],
        );
    }

    #[test]
    fn modules_and_groups() {
        check_ranges(
            "FROM a:1\nRUN yum module install -y nodejs:20 php && yum clean all\n",
            &[("DL3033", "php")],
        );
        check_codes(
            "FROM a:1\nRUN yum group install -y 'Development Tools' && yum clean all\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN yum groupinstall -y 'Development Tools' && yum clean all\n",
            &[],
        );
        check_codes("FROM a:1\nRUN yum module enable -y nodejs\n", &[]);
    }
}
