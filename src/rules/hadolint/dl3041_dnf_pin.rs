//! DL3041: unpinned packages in `dnf install`.

use super::util::{is_dynamic, rpm_action, rpm_version_pinned};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `dnf install` or `microdnf install` that names no version
    /// (`httpd-2.4.62`), and each module in `dnf module install` that names no stream
    /// (`nodejs:20`).
    ///
    /// ## Why is this bad?
    /// Without a version dnf installs whatever the repositories hold on the day of the build,
    /// so two builds of the same Dockerfile can differ, and an update can break the image
    /// without any change to it. Naming the version makes upgrades deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 mod_ssl && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 mod_ssl-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Notes
    /// A package counts as pinned when the part after its name is version-like: it contains
    /// only letters, digits and `.~^_:+` and some `-`-separated part starts with a digit
    /// (`nodejs-1:20.1-1.fc40`). Package files (`.rpm`) count as pinned. `dnf group install`
    /// takes group names and is not checked. A word that is a variable (`$PACKAGES`) is not
    /// reported, since its value is not known here, nor are the values of options such as
    /// `--enablerepo epel`.
    ///
    /// ## References
    /// Matches hadolint's DL3041, which reports the RUN once; layerwise points at each unpinned
    /// package. Where hadolint is wrong, layerwise skips every word that holds a variable and
    /// does not take the value of an option for a package.
    pub static DL3041 = {
        code: "DL3041",
        name: "dnf-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct DnfPin;

impl Rule for DnfPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(action) = rpm_action(cmd, &["dnf", "microdnf"]) else {
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
                acc.push(Diagnostic::new(&DL3041, pkg.range, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    fn run(args: &str) -> String {
        format!("FROM a:1\nRUN dnf install -y {args} && dnf clean all\n")
    }

    #[test]
    fn pins() {
        check_ranges(
            &run("httpd-2.4.62 mod_ssl \\\n    python3-devel-3.12 epel-release"),
            &[("DL3041", "mod_ssl"), ("DL3041", "epel-release")],
        );
        for pinned in [
            "nodejs-1:20.1-1.fc40",
            "./local.rpm",
            "$PACKAGES",
            "--setopt install_weak_deps=False x-1.0",
            "--enablerepo=epel x-1.0",
        ] {
            check_codes(&run(pinned), &[]);
        }
        check_codes(
            "FROM a:1\nRUN microdnf install -y x && microdnf clean all\n",
            &["DL3041"],
        );
        check_codes(
            "FROM a:1\nONBUILD RUN dnf install -y x && dnf clean all\n",
            &["DL3041"],
        );
    }

    #[test]
    fn modules_and_groups() {
        check_ranges(
            "FROM a:1\nRUN dnf module install -y nodejs:20 php && dnf clean all\n",
            &[("DL3041", "php")],
        );
        check_codes(
            "FROM a:1\nRUN dnf group install -y 'Development Tools' && dnf clean all\n",
            &[],
        );
    }
}
