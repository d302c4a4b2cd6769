//! NoEmptyContinuation: an empty line inside an instruction continued with `\`.

use rowan::{TextRange, TextSize};

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast::{self, AstNode};
use crate::syntax::{SyntaxKind, SyntaxToken};

declare_rule! {
    /// ## What it does
    /// Flags an empty (or blank) line inside an instruction that a line continuation carries
    /// on past it. Comment lines inside a continuation are fine.
    ///
    /// ## Why is this bad?
    /// The builder skips such lines and joins what comes after to the instruction, which is
    /// rarely what the blank line suggests to a reader: often a `\` was left at the end of
    /// the last line, and the next instruction silently became arguments of this one.
    /// BuildKit warns that these lines will be an error in a future release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && \
    ///
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// When the line after the empty lines continues the instruction, the fix deletes the
    /// empty lines: the builder skips them anyway, so this is safe. When that line starts with
    /// an instruction keyword at the start of the line (`COPY . .`), the `\` before the empty
    /// lines was most likely meant to end the instruction: the fix removes that `\`, which
    /// changes what is built, so it is unsafe.
    ///
    /// ## References
    /// Matches BuildKit's NoEmptyContinuation check. BuildKit reports an instruction once;
    /// this rule reports each run of empty lines, on the lines themselves.
    pub static NO_EMPTY_CONTINUATION = {
        code: "NoEmptyContinuation",
        name: "no-empty-continuation",
        origin: BuildKit,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct NoEmptyContinuation;

fn has_newline_token(node: &rowan::GreenNodeData) -> bool {
    node.children().any(|child| match child {
        rowan::NodeOrToken::Node(n) => has_newline_token(n),
        rowan::NodeOrToken::Token(t) => {
            <crate::syntax::kind::DockerfileLang as rowan::Language>::kind_from_raw(t.kind())
                == SyntaxKind::NEWLINE
        }
    })
}

impl Rule for NoEmptyContinuation {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        // The instruction inside an ONBUILD is part of its parent's tokens, checked there.
        if ctx.in_onbuild {
            return;
        }
        // Empty lines inside an instruction are NEWLINE tokens of its own; most instructions
        // have none, and the green tree answers that without allocating.
        if !has_newline_token(instr.syntax().green()) {
            return;
        }
        let tokens: Vec<SyntaxToken> = instr
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .collect();
        // The token that ended the previous physical line (a continuation or a newline), and
        // the continuation that carries the instruction into the current run of empty lines.
        let mut line_end: Option<&SyntaxToken> = None;
        let mut continuation: Option<&SyntaxToken> = None;
        let mut run: Vec<TextRange> = Vec::new();
        for token in &tokens {
            match token.kind() {
                SyntaxKind::WHITESPACE => continue,
                SyntaxKind::NEWLINE => {
                    if let Some(prev) = line_end {
                        run.push(TextRange::new(
                            prev.text_range().end(),
                            token.text_range().end(),
                        ));
                    }
                }
                SyntaxKind::LINE_CONTINUATION => {
                    continuation = Some(token);
                }
                _ => {
                    if let (false, Some(cont)) = (run.is_empty(), continuation) {
                        acc.push(report(instr, cont, &run, token));
                    }
                    run.clear();
                }
            }
            line_end = match token.kind() {
                SyntaxKind::LINE_CONTINUATION | SyntaxKind::NEWLINE => Some(token),
                _ => None,
            };
        }
    }
}

/// The finding for one run of empty lines (`run`, not empty): `continuation` is the `\`
/// before them, `next` the first token after them.
fn report(
    instr: &ast::Instruction,
    continuation: &SyntaxToken,
    run: &[TextRange],
    next: &SyntaxToken,
) -> Diagnostic {
    let start = run.first().map_or(next.text_range().start(), |r| r.start());
    let end = run.last().map_or(start, |r| r.end());
    let lines_range = TextRange::new(start, end);
    let keyword = instr.keyword_text().to_ascii_uppercase();
    let lines = if run.len() == 1 {
        "an empty line".to_string()
    } else {
        format!("{} empty lines", run.len())
    };
    match next_line_instruction(next) {
        Some(word) => {
            let escape_start = continuation.text_range().start();
            let escape_len = continuation.text().chars().next().map_or(1, char::len_utf8);
            let escape = TextRange::at(escape_start, TextSize::new(escape_len as u32));
            Diagnostic::new(
                &NO_EMPTY_CONTINUATION,
                lines_range,
                format!(
                    "{keyword} continues past {lines} into `{word}`, which looks like the next \
                     instruction"
                ),
            )
            .with_fix(Fix::unsafe_(
                format!("End the {keyword} before the empty line"),
                vec![Edit::delete(escape)],
            ))
        }
        None => Diagnostic::new(
            &NO_EMPTY_CONTINUATION,
            lines_range,
            format!("{keyword} continues past {lines}"),
        )
        .with_fix(Fix::safe(
            if run.len() == 1 {
                "Remove the empty line"
            } else {
                "Remove the empty lines"
            },
            vec![Edit::delete(lines_range)],
        )),
    }
}

/// The word starting `token`'s line, when it stands at the very start of the line and is an
/// instruction keyword.
fn next_line_instruction(token: &SyntaxToken) -> Option<String> {
    let at_line_start = token.prev_token().is_none_or(|prev| {
        matches!(
            prev.kind(),
            SyntaxKind::NEWLINE | SyntaxKind::LINE_CONTINUATION
        )
    });
    if !at_line_start || token.kind() != SyntaxKind::WORD {
        return None;
    }
    let word = token.text();
    let keyword_len = word
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(word.len());
    let keyword = &word[..keyword_len];
    (keyword_len == word.len() && SyntaxKind::from_keyword(keyword).is_some())
        .then(|| keyword.to_string())
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn empty_and_blank_lines() {
        check_ranges(
            "FROM a:1\nRUN a \\\n\n  b\n",
            &[("NoEmptyContinuation", "\n")],
        );
        check_ranges(
            "FROM a:1\nRUN a \\\n  \t\n\n  b \\\n\n c\n",
            &[
                ("NoEmptyContinuation", "  \t\n\n"),
                ("NoEmptyContinuation", "\n"),
            ],
        );
        check_ranges(
            "FROM a:1\nRUN a \\\r\n\r\n  b\r\n",
            &[("NoEmptyContinuation", "\r\n")],
        );
        // After a comment line inside the continuation.
        check_ranges(
            "FROM a:1\nRUN a \\\n# note\n\n  b\n",
            &[("NoEmptyContinuation", "\n")],
        );
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1\nRUN a \\\n  b\n\nCMD c\n", &["LW1001", "DL3025"]);
        check_codes("FROM a:1\nRUN a \\\n  # comment\n  b\n", &[]);
        check_codes("FROM a:1\nRUN <<EOF\n\nx\n\nEOF\n", &[]);
        check_codes("FROM a:1\n\n\nRUN a\n", &[]);
    }

    #[test]
    fn fixes() {
        check_fix(
            "FROM a:1\nRUN a \\\n\n   \n  b\n",
            "NoEmptyContinuation",
            "FROM a:1\nRUN a \\\n  b\n",
        );
        check_fix(
            "FROM a:1\nRUN a \\\n\nCOPY . .\n",
            "NoEmptyContinuation",
            "FROM a:1\nRUN a \n\nCOPY . .\n",
        );
    }
}
