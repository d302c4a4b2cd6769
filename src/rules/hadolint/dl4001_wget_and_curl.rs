//! DL4001: both `wget` and `curl` used in one stage.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the uses of `wget` and `curl` in a stage that uses both, from the `RUN` that
    /// brings in the second tool onwards.
    ///
    /// ## Why is this bad?
    /// Both tools download files. Needing both usually means installing both, which adds a
    /// package, its libraries and their security updates to the image for no gain. Pick one
    /// and use it for every download.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN curl -fsSLO https://example.com/a.tar.gz
    /// ENV B_URL=https://example.com/b.tar.gz
    /// RUN wget -q "$B_URL"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN curl -fsSLO https://example.com/a.tar.gz
    /// ENV B_URL=https://example.com/b.tar.gz
    /// RUN curl -fsSLO "$B_URL"
    /// ```
    ///
    /// ## Notes
    /// Each stage starts afresh. The `ONBUILD RUN`s of a stage run in the images built on it
    /// and are counted separately from its own RUNs. Each finding points to a use of the other
    /// tool.
    ///
    /// ## References
    /// Matches hadolint's DL4001, which reports each RUN from the one that completes the pair;
    /// layerwise points at each `wget` and `curl` command in those RUNs.
    pub static DL4001 = {
        code: "DL4001",
        name: "wget-and-curl",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

/// The first use of each tool seen so far.
#[derive(Clone, Copy, Default)]
struct FirstUses {
    wget: Option<TextRange>,
    curl: Option<TextRange>,
}

#[derive(Default)]
pub struct WgetAndCurl {
    /// The stage's own RUNs.
    stage: FirstUses,
    /// The stage's `ONBUILD RUN`s, which run in another build.
    onbuild: FirstUses,
}

impl Rule for WgetAndCurl {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() == SyntaxKind::FROM_INSTR && !ctx.in_onbuild {
            *self = WgetAndCurl::default();
            return;
        }
        let uses = match ctx.in_onbuild {
            true => &mut self.onbuild,
            false => &mut self.stage,
        };
        let tools: Vec<(&str, TextRange)> = ctx
            .commands
            .iter()
            .map(|c| (c.program(), c.name.range))
            .filter(|(program, _)| matches!(*program, "wget" | "curl"))
            .collect();
        for (program, range) in &tools {
            let first = match *program {
                "wget" => &mut uses.wget,
                _ => &mut uses.curl,
            };
            first.get_or_insert(*range);
        }
        let (Some(first_wget), Some(first_curl)) = (uses.wget, uses.curl) else {
            return;
        };
        for (program, range) in tools {
            let (other, other_range) = match program {
                "wget" => ("curl", first_curl),
                _ => ("wget", first_wget),
            };
            acc.push(
                Diagnostic::new(
                    &DL4001,
                    range,
                    format!("`{program}` is used in a stage that also uses `{other}`: download everything with one of them"),
                )
                .with_related(other_range, format!("`{other}` is used here")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn both() {
        check_ranges(
            "FROM a:1\nRUN wget -q x\nENV A=1\nRUN curl -o y z\nENV B=1\nRUN wget -q y\n",
            &[("DL4001", "curl"), ("DL4001", "wget")],
        );
        check_ranges(
            "FROM a:1\nRUN curl -o a x && wget -q y\n",
            &[("DL4001", "curl"), ("DL4001", "wget")],
        );
        check_codes("FROM a:1\nRUN wget -q x\nFROM a:1\nRUN curl -o y z\n", &[]);
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends curl=8 wget=1\n",
            &[],
        );
    }

    #[test]
    fn onbuild_is_counted_apart() {
        check_codes("FROM a:1\nRUN wget -q x\nONBUILD RUN curl -o y z\n", &[]);
        check_codes(
            "FROM a:1\nONBUILD RUN wget -q x\nONBUILD RUN curl -o y z\n",
            &["DL4001"],
        );
    }
}
