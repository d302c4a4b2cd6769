//! DL3028: unpinned gems in `gem install`.

use super::util::{has_flag, is_dynamic, packages};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each gem in `gem install` that is not pinned to a version (`rails:7.1.3`).
    ///
    /// ## Why is this bad?
    /// Without a version RubyGems installs the newest release on the day of the build, so two
    /// builds of the same Dockerfile can ship different code, and a new major release can break
    /// the image without any change to it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler:2.5.10
    /// ```
    ///
    /// ## Notes
    /// Nothing is reported when the command gives a version with `-v`/`--version`, which
    /// applies to the gems it names. A gem file (`./pkg/app-1.0.gem`) carries its version and a
    /// word that is a variable (`$GEMS`) is unknown here; neither is reported. Values of options
    /// such as `-i DIR` or `--source URL` are not gems.
    ///
    /// ## References
    /// Matches hadolint's DL3028, which reports the RUN once; layerwise points at each unpinned
    /// gem. Where hadolint is wrong, layerwise does not report `.gem` files or variables, and
    /// does not take the value of an option for a gem.
    pub static DL3028 = {
        code: "DL3028",
        name: "gem-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

const GEM_FLAGS_WITH_VALUES: &[&str] = &[
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-P",
    "--trust-policy",
    "--platform",
    "-g",
    "--file",
    "--build-root",
    "-p",
    "--http-proxy",
    "--without",
];

#[derive(Default)]
pub struct GemPin;

impl Rule for GemPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(gems) = packages(cmd, &["gem"], &["install", "i"], GEM_FLAGS_WITH_VALUES)
            else {
                continue;
            };
            if has_flag(cmd, &["-v", "--version"]) {
                continue;
            }
            for gem in gems {
                let name = gem.text.as_str();
                if name.contains(':') || name.ends_with(".gem") || is_dynamic(gem) {
                    continue;
                }
                acc.push(Diagnostic::new(
                    &DL3028,
                    gem.range,
                    format!(
                        "`{name}` is not pinned: install a fixed version with `{name}:<version>`"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn pins() {
        check_ranges(
            "FROM a:1\nRUN gem install rails:7.1 puma \\\n    -i /opt/gems --no-document rack\n",
            &[("DL3028", "puma"), ("DL3028", "rack")],
        );
        check_codes("FROM a:1\nRUN gem i bundler\n", &["DL3028"]);
        check_codes("FROM a:1\nRUN gem install bundler -v 2.5.10\n", &[]);
        check_codes("FROM a:1\nRUN gem install bundler --version=2.5.10\n", &[]);
        check_codes("FROM a:1\nRUN gem install ./app-1.0.gem $GEMS\n", &[]);
        check_codes("FROM a:1\nRUN gem update --system\n", &[]);
        check_codes("FROM a:1\nONBUILD RUN gem install rake\n", &["DL3028"]);
    }
}
