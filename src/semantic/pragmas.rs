//! Suppression pragmas written as comments, and BuildKit's `check` settings.
//!
//! `# hadolint ignore=DL3008,SC2086` (the next instruction), `# hadolint global ignore=…`
//! (the whole file), `# hadolint stage ignore=…` (to the next FROM), and the same three with
//! `# layerwise` for any code. A trailing `# reason` is allowed.
//!
//! BuildKit's forms: the `# check=skip=A,B;error=true;experimental=C` parser directive at the
//! top of the file (its `skip=` is a file-wide pragma, its other options are [`CheckSettings`]),
//! and a `# check=skip=A,B` comment in the comment block directly above an instruction, which
//! skips those checks for that instruction only. Both allow a trailing `// reason`; `all`
//! stands for every BuildKit check.
//!
//! This module only finds them; [`crate::diagnostics`] applies them. It does not know which
//! codes exist: an unknown code is kept, and reported (LW9001) where suppression is applied.
//! `# hadolint shell=<name>` is read here too ([`parse_shell_pragma`]); only the ShellCheck
//! integration acts on it.

use rowan::{TextRange, TextSize};

use super::Stage;
use crate::syntax::SyntaxKind::{self, *};
use crate::syntax::ast::{self, AstNode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaTool {
    Hadolint,
    Layerwise,
    /// BuildKit's `# check=skip=…`, as a parser directive or above an instruction.
    Check,
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
    /// What to delete when every code is removed: the whole comment, or, in a `check`
    /// directive that sets other options too, just its `skip=…` option.
    pub removal: TextRange,
}

/// The options of the `# check=` parser directive besides `skip=` (which becomes a global
/// [`Pragma`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSettings {
    /// `error=true`: findings of BuildKit's checks are errors.
    pub error: bool,
    /// `experimental=all`.
    pub experimental_all: bool,
    /// `experimental=A,B`: the experimental checks turned on.
    pub experimental: Vec<String>,
}

impl CheckSettings {
    /// Whether the directive turns on the experimental check `code`.
    pub fn enables_experimental(&self, code: &str) -> bool {
        self.experimental_all
            || self
                .experimental
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code))
    }
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

pub(super) fn collect(file: &ast::SourceFile, stages: &[Stage]) -> (Vec<Pragma>, CheckSettings) {
    let mut out = Vec::new();
    let mut settings = CheckSettings::default();
    let root = file.syntax();
    // The file's top-level elements, read from the green tree: no cursor per element.
    let mut elements: Vec<Element> = Vec::new();
    let mut offset = root.text_range().start();
    for child in root.green().children() {
        let len = child.text_len();
        let kind =
            <crate::syntax::kind::DockerfileLang as rowan::Language>::kind_from_raw(child.kind());
        let mut range = TextRange::at(offset, len);
        let text = match child {
            rowan::NodeOrToken::Token(token) if kind == COMMENT => Some(token.text()),
            // A directive node holds blanks and its comment token.
            rowan::NodeOrToken::Node(node) if kind == DIRECTIVE => {
                let mut at = offset;
                let mut comment = None;
                for part in node.children() {
                    if let rowan::NodeOrToken::Token(token) = part
                        && <crate::syntax::kind::DockerfileLang as rowan::Language>::kind_from_raw(
                            token.kind(),
                        ) == COMMENT
                    {
                        range = TextRange::at(at, part.text_len());
                        comment = Some(token.text());
                    }
                    at += part.text_len();
                }
                comment
            }
            _ => None,
        };
        elements.push(Element { kind, range, text });
        offset += len;
    }
    for (idx, element) in elements.iter().enumerate() {
        let Some(text) = element.text else {
            continue;
        };
        if element.kind == DIRECTIVE {
            collect_check_directive(text, element.range, &mut out, &mut settings);
            continue;
        }
        if let Some(check) = parse_check(text, element.range.start()) {
            if !check.skip.is_empty() {
                out.push(Pragma {
                    tool: PragmaTool::Check,
                    scope: PragmaScope::Next(instruction_below_comments(&elements[idx + 1..])),
                    codes: check.skip,
                    range: element.range,
                    removal: element.range,
                });
            }
            continue;
        }
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
            removal: range,
        });
    }
    (out, settings)
}

/// The `# check=` parser directive: its `skip=` list becomes a global pragma, its other
/// options the file's [`CheckSettings`].
fn collect_check_directive(
    text: &str,
    range: TextRange,
    out: &mut Vec<Pragma>,
    settings: &mut CheckSettings,
) {
    let Some(check) = parse_check(text, range.start()) else {
        return;
    };
    settings.error = check.error;
    settings.experimental_all = check.experimental_all;
    settings.experimental = check.experimental;
    if check.skip.is_empty() {
        return;
    }
    out.push(Pragma {
        tool: PragmaTool::Check,
        scope: PragmaScope::Global,
        codes: check.skip,
        range,
        removal: if check.other_options {
            check.skip_option
        } else {
            range
        },
    });
}

/// The instruction below a block of comment lines: the comment lines may follow each other,
/// but a blank line ends the block.
fn instruction_below_comments(rest: &[Element]) -> Option<TextRange> {
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
            COMMENT => newlines = 0,
            kind if SyntaxKind::is_instruction(kind) => return Some(element.range),
            _ => return None,
        }
    }
    None
}

/// A parsed `# check=…` comment.
#[derive(Debug, Default)]
struct CheckComment {
    /// The `skip=` names with their absolute ranges (`all` included as written).
    skip: Vec<(String, TextRange)>,
    /// The `skip=…` option with the `;` that separates it from its neighbour.
    skip_option: TextRange,
    /// The comment sets options other than `skip=`.
    other_options: bool,
    error: bool,
    experimental_all: bool,
    experimental: Vec<String>,
}

/// Parses `# check=skip=A,B;error=true;experimental=C // reason`. `None` when the comment is
/// not a `check` comment. Options BuildKit would reject are ignored here.
fn parse_check(text: &str, offset: TextSize) -> Option<CheckComment> {
    let (key, value_start, value_end) = crate::syntax::directive_parts(text)?;
    if key != "check" {
        return None;
    }
    let mut value = &text[value_start..value_end];
    if let Some(idx) = value.find("//") {
        value = &value[..idx];
    }
    let at = |pos: usize| offset + TextSize::new(pos as u32);
    let mut out = CheckComment::default();
    let mut pos = value_start;
    let parts: Vec<&str> = value.split(';').collect();
    for (part_idx, part) in parts.iter().enumerate() {
        let part_start = pos;
        pos += part.len() + 1;
        let Some((name, option_value)) = part.split_once('=') else {
            continue;
        };
        let value_offset = part_start + name.len() + 1;
        match name.trim().to_ascii_lowercase().as_str() {
            "skip" => {
                let mut code_pos = value_offset;
                for piece in option_value.split(',') {
                    let lead = piece.len() - piece.trim_start().len();
                    let code = piece.trim();
                    if !code.is_empty() {
                        let start = at(code_pos + lead);
                        out.skip.push((
                            code.to_string(),
                            TextRange::at(start, TextSize::new(code.len() as u32)),
                        ));
                    }
                    code_pos += piece.len() + 1;
                }
                // The option and one `;` beside it, so removing it leaves a valid directive.
                let (start, end) = if part_idx + 1 < parts.len() {
                    (part_start, part_start + part.len() + 1)
                } else {
                    (
                        part_start.saturating_sub(1).max(value_start),
                        part_start + part.len(),
                    )
                };
                out.skip_option = TextRange::new(at(start), at(end));
            }
            "error" => {
                out.other_options = true;
                out.error = matches!(
                    option_value.trim(),
                    "1" | "t" | "T" | "true" | "TRUE" | "True"
                );
            }
            "experimental" => {
                out.other_options = true;
                let names = option_value.trim();
                if names.eq_ignore_ascii_case("all") {
                    out.experimental_all = true;
                } else {
                    out.experimental = names
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .collect();
                }
            }
            _ => out.other_options = true,
        }
    }
    Some(out)
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
        // A code is one word; other text after the codes makes the comment no pragma, as in
        // hadolint (only a `# reason` may follow).
        if code.contains(char::is_whitespace) {
            return None;
        }
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

    #[test]
    fn parses_check_comments() {
        let check = parse_check(
            "# check=skip=A, B;error=true;experimental=C // why",
            0.into(),
        )
        .unwrap();
        let names: Vec<_> = check.skip.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(check.skip[1].1, TextRange::new(16.into(), 17.into()));
        assert_eq!(check.skip_option, TextRange::new(8.into(), 18.into()));
        assert!(check.error && check.other_options);
        assert_eq!(check.experimental, ["C"]);
        let check = parse_check("#check = experimental=all", 0.into()).unwrap();
        assert!(check.experimental_all && check.skip.is_empty());
        assert!(parse_check("# checks=skip=A", 0.into()).is_none());
        assert!(parse_check("# hadolint ignore=DL3006", 0.into()).is_none());
    }

    #[test]
    fn check_scopes() {
        let text = "# check=skip=A;error=true\nFROM a:1\n# check=skip=B\n# note\nRUN x\n# check=skip=C\n\nRUN y\n";
        let model = super::super::Model::new(&crate::syntax::parse(text).tree());
        assert!(model.check.error);
        let scopes: Vec<_> = model
            .pragmas
            .iter()
            .map(|p| (p.tool, p.codes[0].0.as_str(), p.scope.clone()))
            .collect();
        let run_x = text.find("RUN x").unwrap() as u32;
        assert_eq!(
            scopes,
            [
                (PragmaTool::Check, "A", PragmaScope::Global),
                (
                    PragmaTool::Check,
                    "B",
                    PragmaScope::Next(Some(TextRange::new(run_x.into(), (run_x + 5).into())))
                ),
                (PragmaTool::Check, "C", PragmaScope::Next(None)),
            ]
        );
    }
}
