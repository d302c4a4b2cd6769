//! Suppression pragmas written as comments.
//!
//! `# hadolint ignore=DL3008,SC2086` (the next instruction), `# hadolint global ignore=…`
//! (the whole file), `# hadolint stage ignore=…` (to the next FROM), and the same three with
//! `# layerwise` for any code. A trailing `# reason` is allowed. This module only finds them;
//! [`crate::diagnostics`] applies them. `# hadolint shell=<name>` is read here too
//! ([`parse_shell_pragma`]); only the ShellCheck integration acts on it.

use rowan::{TextRange, TextSize};

use super::Stage;
use crate::syntax::SyntaxKind::{self, *};
use crate::syntax::ast::{self, AstNode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaTool {
    Hadolint,
    Layerwise,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PragmaScope {
    /// The instruction directly below the comment (its whole range); `None` when no
    /// instruction follows directly.
    Next(Option<TextRange>),
    Global,
    /// From the comment to the end of its stage.
    Stage(TextRange),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    pub tool: PragmaTool,
    pub scope: PragmaScope,
    /// Each code with its range in the comment.
    pub codes: Vec<(String, TextRange)>,
    /// The comment's range.
    pub range: TextRange,
}

impl Pragma {
    pub fn covers(&self, code: &str, range: TextRange) -> bool {
        self.codes.iter().any(|(c, _)| c.eq_ignore_ascii_case(code)) && self.applies_to(range)
    }

    /// Whether a finding at `range` is within the pragma's scope.
    pub fn applies_to(&self, range: TextRange) -> bool {
        match &self.scope {
            PragmaScope::Global => true,
            PragmaScope::Next(Some(target)) | PragmaScope::Stage(target) => {
                target.contains(range.start()) || target.start() == range.start()
            }
            PragmaScope::Next(None) => false,
        }
    }
}

pub(super) fn collect(file: &ast::SourceFile, stages: &[Stage]) -> Vec<Pragma> {
    let mut out = Vec::new();
    let root = file.syntax();
    // The file's top-level elements, read from the green tree: no cursor per element.
    let mut elements: Vec<Element> = Vec::new();
    let mut offset = root.text_range().start();
    for child in root.green().children() {
        let len = child.text_len();
        let kind =
            <crate::syntax::kind::DockerfileLang as rowan::Language>::kind_from_raw(child.kind());
        let text = match child {
            rowan::NodeOrToken::Token(token) if kind == COMMENT => Some(token.text()),
            _ => None,
        };
        elements.push(Element {
            kind,
            range: TextRange::at(offset, len),
            text,
        });
        offset += len;
    }
    for (idx, element) in elements.iter().enumerate() {
        let Some(text) = element.text else {
            continue;
        };
        let Some((tool, scope_word, codes)) = parse_comment(text, element.range.start()) else {
            continue;
        };
        let range = element.range;
        let scope = match scope_word {
            "global" => PragmaScope::Global,
            "stage" => {
                let end = stages
                    .iter()
                    .find(|s| s.from_range.start() > range.end())
                    .map_or(root.text_range().end(), |s| s.from_range.start());
                PragmaScope::Stage(TextRange::new(range.start(), end))
            }
            _ => PragmaScope::Next(next_instruction(&elements[idx + 1..])),
        };
        out.push(Pragma {
            tool,
            scope,
            codes,
            range,
        });
    }
    out
}

/// A top-level element of the file: its kind, range and, for a comment, its text.
struct Element<'a> {
    kind: SyntaxKind,
    range: TextRange,
    text: Option<&'a str>,
}

/// The instruction directly below a comment: only whitespace and one newline between them.
fn next_instruction(rest: &[Element]) -> Option<TextRange> {
    let mut newlines = 0;
    for element in rest {
        match element.kind {
            NEWLINE => {
                newlines += 1;
                if newlines > 1 {
                    return None;
                }
            }
            WHITESPACE => {}
            kind if SyntaxKind::is_instruction(kind) => return Some(element.range),
            _ => return None,
        }
    }
    None
}

/// Parses `# hadolint [global|stage] ignore=A, B # reason`. Returns the tool, the scope word
/// and the codes with their absolute ranges.
type ParsedPragma = (PragmaTool, &'static str, Vec<(String, TextRange)>);

fn parse_comment(text: &str, offset: TextSize) -> Option<ParsedPragma> {
    let body = text.strip_prefix('#')?;
    let trimmed = body.trim_start();
    let (tool, rest) = if let Some(rest) = trimmed.strip_prefix("hadolint") {
        (PragmaTool::Hadolint, rest)
    } else if let Some(rest) = trimmed.strip_prefix("layerwise") {
        (PragmaTool::Layerwise, rest)
    } else {
        return None;
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = rest.strip_prefix("global") {
        ("global", r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage") {
        ("stage", r.trim_start())
    } else {
        ("next", rest)
    };
    let rest = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    // Codes run up to an optional `# reason`.
    let codes_part = rest.split('#').next().unwrap_or("");
    let codes_start = text.len() - rest.len();
    let mut codes = Vec::new();
    let mut pos = codes_start;
    for piece in codes_part.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let code = piece.trim();
        if !code.is_empty() {
            let start = offset + TextSize::new((pos + lead) as u32);
            codes.push((
                code.to_string(),
                TextRange::at(start, TextSize::new(code.len() as u32)),
            ));
        }
        pos += piece.len() + 1;
    }
    if codes.is_empty() {
        return None;
    }
    Some((tool, scope, codes))
}

/// The shell named by `# hadolint shell=<name>` (or `# layerwise shell=<name>`), which tells
/// ShellCheck what reads the RUN commands below it. A trailing `# reason` is allowed; anything
/// else after the name makes it no pragma, as in hadolint.
pub fn parse_shell_pragma(comment: &str) -> Option<&str> {
    let body = comment.strip_prefix('#')?.trim_start_matches([' ', '\t']);
    let rest = body
        .strip_prefix("hadolint")
        .or_else(|| body.strip_prefix("layerwise"))?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest
        .trim_start_matches([' ', '\t'])
        .strip_prefix("shell")?
        .trim_start_matches([' ', '\t'])
        .strip_prefix('=')?
        .trim_start_matches([' ', '\t']);
    let end = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    let tail = tail.trim_matches([' ', '\t', '\r', '\n']);
    if name.is_empty() || !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pragmas() {
        let (tool, scope, codes) =
            parse_comment("# hadolint ignore=DL3006, DL3008 # pinned later", 0.into()).unwrap();
        assert_eq!(tool, PragmaTool::Hadolint);
        assert_eq!(scope, "next");
        let names: Vec<_> = codes.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, ["DL3006", "DL3008"]);
        assert_eq!(codes[1].1, TextRange::new(26.into(), 32.into()));
        let (_, scope, _) = parse_comment("# hadolint global ignore=DL3059", 0.into()).unwrap();
        assert_eq!(scope, "global");
        let (tool, _, _) = parse_comment("# layerwise ignore=LW1001", 0.into()).unwrap();
        assert_eq!(tool, PragmaTool::Layerwise);
        assert!(parse_comment("# hadolintignore=DL3006", 0.into()).is_none());
        assert!(parse_comment("# just a comment", 0.into()).is_none());
    }

    #[test]
    fn parses_shell_pragmas() {
        assert_eq!(
            parse_shell_pragma("# hadolint shell=powershell"),
            Some("powershell")
        );
        assert_eq!(
            parse_shell_pragma("#hadolint shell = bash # the image has it"),
            Some("bash")
        );
        assert_eq!(
            parse_shell_pragma("# layerwise shell=/bin/ash"),
            Some("/bin/ash")
        );
        assert_eq!(parse_shell_pragma("# hadolint shell=bash please"), None);
        assert_eq!(parse_shell_pragma("# hadolint shell="), None);
        assert_eq!(parse_shell_pragma("# hadolint ignore=DL3006"), None);
        assert_eq!(parse_shell_pragma("# hadolintshell=bash"), None);
    }
}
