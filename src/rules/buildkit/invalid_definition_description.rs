//! InvalidDefinitionDescription (experimental): a comment above an ARG or a named FROM that
//! does not describe it.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast::{self, AstNode};
use crate::syntax::{SyntaxKind, SyntaxToken};

declare_rule! {
    /// ## What it does
    /// Flags the comment line directly above an `ARG` or a named stage (`FROM … AS name`)
    /// when it does not start with that argument's or stage's name.
    ///
    /// ## Why is this bad?
    /// `docker build --call=outline` and `--call=targets` list build arguments and stages
    /// with a description, which they take from the comment directly above the definition
    /// when it starts with the name (`# VERSION sets the release to build`). Any other
    /// comment there is either a description that the tools will not show, or a remark that
    /// reads as if it described the definition. A blank line between them says it does not.
    ///
    /// ## Example
    /// ```dockerfile
    /// # check=experimental=InvalidDefinitionDescription
    ///
    /// # the version to build
    /// ARG VERSION=1.0
    /// FROM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # check=experimental=InvalidDefinitionDescription
    ///
    /// # VERSION is the version to build
    /// ARG VERSION=1.0
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Options
    /// Experimental, like the BuildKit check: off unless the Dockerfile starts with
    /// `# check=experimental=InvalidDefinitionDescription` (or `experimental=all`), or the
    /// configuration selects it.
    ///
    /// ## Fix safety
    /// The fix puts a blank line between the comment and the definition. That changes only
    /// which descriptions `--call=outline` shows, so it is safe.
    ///
    /// ## References
    /// Matches BuildKit's experimental InvalidDefinitionDescription check, with two
    /// differences: only the line directly above counts (a blank line ends the comment block,
    /// as BuildKit's documentation describes), and a suppression comment there (`# hadolint
    /// ignore=…`, `# check=skip=…`) is not taken for a description, since it cannot be moved
    /// away from its instruction.
    pub static INVALID_DEFINITION_DESCRIPTION = {
        code: "InvalidDefinitionDescription",
        name: "invalid-definition-description",
        origin: BuildKit,
        severity: Warning,
        fix: Always,
        enabled: false,
        experimental: true,
    }
}

#[derive(Default)]
pub struct InvalidDefinitionDescription;

impl Rule for InvalidDefinitionDescription {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        // The names a description may start with; stage names compare without case, as the
        // builder matches them.
        let (names, what, ignore_case): (Vec<String>, &str, bool) = match instr.kind() {
            SyntaxKind::ARG_INSTR => (
                instr.key_values().map(|kv| kv.key()).collect(),
                "ARG",
                false,
            ),
            SyntaxKind::FROM_INSTR => {
                let Some(name) = ast::From::cast(instr.syntax().clone())
                    .and_then(|f| f.stage_name())
                    .map(|n| n.text())
                else {
                    return;
                };
                (vec![name], "stage", true)
            }
            _ => return,
        };
        if names.is_empty() {
            return;
        }
        let Some(comment) = comment_directly_above(instr) else {
            return;
        };
        let body = comment.text().trim_start_matches('#').trim();
        if body.is_empty() || is_suppression(body) {
            return;
        }
        let first_word = body.split_whitespace().next().unwrap_or_default();
        let describes = names.iter().any(|n| {
            if ignore_case {
                n.eq_ignore_ascii_case(first_word)
            } else {
                n == first_word
            }
        });
        if describes {
            return;
        }
        let example = match names.as_slice() {
            [one] => one.as_str(),
            _ => "<name>",
        };
        // The blank line goes after the comment's own newline, in the file's line ending.
        let Some(newline) = comment
            .next_token()
            .filter(|t| t.kind() == SyntaxKind::NEWLINE)
        else {
            return;
        };
        acc.push(
            Diagnostic::new(
                &INVALID_DEFINITION_DESCRIPTION,
                comment.text_range(),
                format!(
                    "the comment above this {what} is not its description: a description \
                     starts with the name (`# {example} …`)"
                ),
            )
            .with_fix(Fix::safe(
                "Separate the comment with a blank line",
                vec![Edit::insert(newline.text_range().end(), newline.text())],
            )),
        );
    }
}

/// The comment on the line directly above the instruction (parser directives aside).
fn comment_directly_above(instr: &ast::Instruction) -> Option<SyntaxToken> {
    let mut newlines = 0;
    let mut element = instr.syntax().prev_sibling_or_token();
    while let Some(current) = element {
        match current.kind() {
            SyntaxKind::WHITESPACE => {}
            SyntaxKind::NEWLINE if newlines == 0 => newlines += 1,
            SyntaxKind::COMMENT if newlines == 1 => return current.into_token(),
            _ => return None,
        }
        element = current.prev_sibling_or_token();
    }
    None
}

/// `hadolint ignore=…`, `layerwise global ignore=…`, `check=skip=…`.
fn is_suppression(body: &str) -> bool {
    let word = body
        .split(|c: char| c.is_whitespace() || c == '=')
        .next()
        .unwrap_or_default();
    matches!(word, "hadolint" | "layerwise" | "check")
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    const ON: &str = "# check=experimental=InvalidDefinitionDescription\n";

    #[test]
    fn off_unless_enabled() {
        check_codes("# not a description\nARG V=1\nFROM a:1\n", &[]);
        check_codes(
            "# check=experimental=all\n# not a description\nARG V=1\nFROM a:1\n",
            &["InvalidDefinitionDescription"],
        );
    }

    #[test]
    fn comments_that_do_not_describe() {
        check_ranges(
            &format!("{ON}# the version\nARG V=1\n# base image\nFROM a:1 AS build\n"),
            &[
                ("InvalidDefinitionDescription", "# the version"),
                ("InvalidDefinitionDescription", "# base image"),
            ],
        );
        check_ranges(
            &format!("{ON}FROM a:1\n# not it\nARG A B\n"),
            &[("InvalidDefinitionDescription", "# not it")],
        );
    }

    #[test]
    fn near_misses() {
        let text = format!(
            "{ON}# V the version\nARG V=1\n# build compiles it\nFROM a:1 AS build\n\
             # a remark\n\nARG W\n# another\nFROM b:1\n#\nARG X\n# hadolint ignore=DL3006\nFROM c AS c\n\
             # B describes B\nARG A B\n"
        );
        check_codes(&text, &[]);
    }

    #[test]
    fn fix() {
        check_fix(
            &format!("{ON}# the version\r\n  ARG V=1\r\nFROM a:1\r\n"),
            "InvalidDefinitionDescription",
            &format!("{ON}# the version\r\n\r\n  ARG V=1\r\nFROM a:1\r\n"),
        );
        check_fix(
            &format!("{ON}# the version\nARG V=1\nFROM a:1\n"),
            "InvalidDefinitionDescription",
            &format!("{ON}# the version\n\nARG V=1\nFROM a:1\n"),
        );
    }
}
