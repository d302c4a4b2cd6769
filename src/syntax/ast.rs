//! Typed views over the syntax tree.
//!
//! Each view is a cheap wrapper around a `SyntaxNode` with accessors that return what the tree
//! holds, or `None` where a half-typed file lacks it. Views never allocate a new tree and never
//! expand variables: values are returned as written (quotes removed where the instruction's
//! grammar removes them), with variables left in place.

use rowan::{TextRange, TextSize};

use super::kind::SyntaxKind::{self, *};
use super::kind::{SyntaxNode, SyntaxToken};

/// A typed view of a node of one kind.
pub trait AstNode: Sized {
    fn can_cast(kind: SyntaxKind) -> bool;
    fn cast_unchecked(node: SyntaxNode) -> Self;
    fn syntax(&self) -> &SyntaxNode;

    fn cast(node: SyntaxNode) -> Option<Self> {
        Self::can_cast(node.kind()).then(|| Self::cast_unchecked(node))
    }
}

macro_rules! ast_node {
    ($(#[$meta:meta])* $name:ident, $($kind:ident)|+) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(SyntaxNode);

        impl AstNode for $name {
            fn can_cast(kind: SyntaxKind) -> bool {
                matches!(kind, $($kind)|+)
            }
            fn cast_unchecked(node: SyntaxNode) -> Self {
                Self(node)
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.0
            }
        }
    };
}

ast_node!(
    /// The whole file.
    SourceFile, ROOT);
ast_node!(
    /// A parser directive (`# escape=`…).
    Directive, DIRECTIVE);
ast_node!(
    /// Any instruction, known or not.
    Instruction,
    UNKNOWN_INSTR | ADD_INSTR | ARG_INSTR | CMD_INSTR | COPY_INSTR | ENTRYPOINT_INSTR | ENV_INSTR
        | EXPOSE_INSTR | FROM_INSTR | HEALTHCHECK_INSTR | LABEL_INSTR | MAINTAINER_INSTR
        | ONBUILD_INSTR | RUN_INSTR | SHELL_INSTR | STOPSIGNAL_INSTR | USER_INSTR | VOLUME_INSTR
        | WORKDIR_INSTR
);
ast_node!(
    /// `FROM [--platform=…] image [AS name]`.
    From, FROM_INSTR);
ast_node!(
    /// `RUN`.
    Run, RUN_INSTR);
ast_node!(
    /// `COPY` or `ADD`: both copy files into the image.
    Copy, COPY_INSTR | ADD_INSTR);
ast_node!(
    /// `ENV`, `LABEL` or `ARG`: lists of key/value pairs.
    KeyValueInstruction, ENV_INSTR | LABEL_INSTR | ARG_INSTR);
ast_node!(
    /// `--name[=value]`.
    Flag, FLAG);
ast_node!(
    /// One argument word (also flag values and stage names).
    Argument, ARGUMENT | FLAG_VALUE | STAGE_NAME | KEY | VALUE);
ast_node!(
    /// A `key=value` pair.
    KeyValue, KEY_VALUE);
ast_node!(
    /// An exec-form array.
    JsonArray, JSON_ARRAY);
ast_node!(
    /// A shell-form command.
    ShellCommand, SHELL_COMMAND);
ast_node!(
    /// A heredoc body with its terminator.
    Heredoc, HEREDOC);

fn child<N: AstNode>(parent: &SyntaxNode) -> Option<N> {
    parent.children().find_map(N::cast)
}

fn children<N: AstNode>(parent: &SyntaxNode) -> impl Iterator<Item = N> {
    parent.children().filter_map(N::cast)
}

fn token_of(parent: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    parent
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == kind)
}

impl SourceFile {
    pub fn directives(&self) -> impl Iterator<Item = Directive> {
        children(&self.0)
    }

    /// Top-level instructions in file order (nested ONBUILD/HEALTHCHECK instructions are reached
    /// through [`Instruction::nested`]).
    pub fn instructions(&self) -> impl Iterator<Item = Instruction> {
        children(&self.0)
    }

    /// The escape character the file declares, `\` by default.
    pub fn escape_char(&self) -> char {
        self.directives()
            .filter(|d| d.key().as_deref() == Some("escape"))
            .find_map(|d| d.value().filter(|v| v == "`").map(|_| '`'))
            .unwrap_or('\\')
    }
}

impl Directive {
    pub fn key(&self) -> Option<String> {
        let text = self.0.text().to_string();
        super::parser::directive_parts(&text).map(|(key, ..)| key)
    }

    pub fn value(&self) -> Option<String> {
        let text = self.0.text().to_string();
        super::parser::directive_parts(&text).map(|(_, start, end)| text[start..end].to_string())
    }
}

impl Instruction {
    pub fn kind(&self) -> SyntaxKind {
        self.0.kind()
    }

    pub fn keyword_token(&self) -> Option<SyntaxToken> {
        token_of(&self.0, KEYWORD)
    }

    /// The keyword as written (`run`, `FROM`…).
    pub fn keyword_text(&self) -> String {
        self.keyword_token()
            .map(|t| t.text().to_string())
            .unwrap_or_default()
    }

    pub fn keyword_range(&self) -> TextRange {
        self.keyword_token()
            .map(|t| t.text_range())
            .unwrap_or_else(|| TextRange::empty(self.0.text_range().start()))
    }

    pub fn flags(&self) -> impl Iterator<Item = Flag> {
        children(&self.0)
    }

    /// The first flag with this name (lower case, without dashes).
    pub fn flag(&self, name: &str) -> Option<Flag> {
        self.flags().find(|f| f.name() == name)
    }

    /// Plain argument words (not flags, not key/value pairs).
    pub fn arguments(&self) -> impl Iterator<Item = Argument> {
        self.0
            .children()
            .filter(|n| n.kind() == ARGUMENT)
            .map(Argument)
    }

    pub fn json_array(&self) -> Option<JsonArray> {
        child(&self.0)
    }

    pub fn shell_command(&self) -> Option<ShellCommand> {
        child(&self.0)
    }

    pub fn key_values(&self) -> impl Iterator<Item = KeyValue> {
        children(&self.0)
    }

    pub fn heredocs(&self) -> impl Iterator<Item = Heredoc> {
        children(&self.0)
    }

    /// The instruction inside `ONBUILD` or `HEALTHCHECK CMD`.
    pub fn nested(&self) -> Option<Instruction> {
        child(&self.0)
    }

    /// The range of the instruction without heredoc bodies: keyword to end of logical line.
    pub fn line_range(&self) -> TextRange {
        let start = self.0.text_range().start();
        let end = self
            .0
            .children_with_tokens()
            .take_while(|e| e.kind() != HEREDOC)
            .filter(|e| !matches!(e.kind(), NEWLINE | WHITESPACE))
            .last()
            .map(|e| e.text_range().end())
            .unwrap_or(start);
        TextRange::new(start, end)
    }

    /// The text after the keyword and flags, with continuations, comment lines and heredoc
    /// bodies removed, as BuildKit hands it to the instruction. Trimmed.
    pub fn args_text(&self) -> String {
        let mut out = String::new();
        let mut seen_keyword = false;
        for element in self.0.children_with_tokens() {
            match element.kind() {
                KEYWORD if !seen_keyword => seen_keyword = true,
                FLAG | HEREDOC | NEWLINE | COMMENT | LINE_CONTINUATION => {}
                _ => push_logical_text(&mut out, &element),
            }
        }
        out.trim().to_string()
    }
}

fn push_logical_text(
    out: &mut String,
    element: &rowan::SyntaxElement<super::kind::DockerfileLang>,
) {
    match element {
        rowan::NodeOrToken::Token(t) => {
            if !matches!(
                t.kind(),
                LINE_CONTINUATION | COMMENT | NEWLINE | HEREDOC_BODY | HEREDOC_END
            ) {
                out.push_str(t.text());
            }
        }
        rowan::NodeOrToken::Node(n) => {
            if n.kind() == HEREDOC {
                return;
            }
            for e in n.children_with_tokens() {
                push_logical_text(out, &e);
            }
        }
    }
}

impl From {
    pub fn instruction(&self) -> Instruction {
        Instruction(self.0.clone())
    }

    /// The image word as written (`node:${V}-slim`).
    pub fn image(&self) -> Option<Argument> {
        self.0
            .children()
            .find(|n| n.kind() == ARGUMENT)
            .map(Argument)
    }

    pub fn image_ref(&self) -> Option<ImageRef> {
        self.image().map(|a| ImageRef::parse(&a.text()))
    }

    pub fn as_token(&self) -> Option<SyntaxToken> {
        token_of(&self.0, AS_KW)
    }

    pub fn stage_name(&self) -> Option<Argument> {
        self.0
            .children()
            .find(|n| n.kind() == STAGE_NAME)
            .map(Argument)
    }

    pub fn platform(&self) -> Option<Flag> {
        self.instruction().flag("platform")
    }
}

impl Run {
    pub fn instruction(&self) -> Instruction {
        Instruction(self.0.clone())
    }

    pub fn mounts(&self) -> impl Iterator<Item = Flag> {
        children::<Flag>(&self.0).filter(|f| f.name() == "mount")
    }
}

impl Copy {
    pub fn instruction(&self) -> Instruction {
        Instruction(self.0.clone())
    }

    pub fn is_add(&self) -> bool {
        self.0.kind() == ADD_INSTR
    }

    /// Source and destination words: all arguments, or the exec-form strings.
    pub fn paths(&self) -> Vec<String> {
        let instr = self.instruction();
        match instr.json_array() {
            Some(array) => array.strings(),
            None => instr.arguments().map(|a| a.text()).collect(),
        }
    }

    pub fn destination(&self) -> Option<String> {
        self.paths().pop()
    }

    pub fn sources(&self) -> Vec<String> {
        let mut paths = self.paths();
        paths.pop();
        paths
    }
}

impl KeyValueInstruction {
    pub fn pairs(&self) -> impl Iterator<Item = KeyValue> {
        children(&self.0)
    }
}

impl Flag {
    /// The name, lower case, without dashes.
    pub fn name(&self) -> String {
        token_of(&self.0, FLAG_NAME)
            .map(|t| t.text().trim_start_matches('-').to_ascii_lowercase())
            .unwrap_or_default()
    }

    pub fn name_token(&self) -> Option<SyntaxToken> {
        token_of(&self.0, FLAG_NAME)
    }

    /// The value with quotes removed, `None` for a flag without `=`.
    pub fn value(&self) -> Option<String> {
        token_of(&self.0, EQ)?;
        Some(self.value_node().map(|v| v.value()).unwrap_or_default())
    }

    pub fn value_node(&self) -> Option<Argument> {
        self.0
            .children()
            .find(|n| n.kind() == FLAG_VALUE)
            .map(Argument)
    }
}

impl Argument {
    /// The text as written, continuations removed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for t in self
            .0
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            if !t.kind().is_trivia() {
                out.push_str(t.text());
            }
        }
        out
    }

    /// The text with one level of quotes removed, as ENV/LABEL/ARG values are read.
    pub fn value(&self) -> String {
        unquote(&self.text())
    }

    pub fn variables(&self) -> impl Iterator<Item = SyntaxToken> {
        self.0
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == VARIABLE)
    }

    pub fn has_variables(&self) -> bool {
        self.variables().next().is_some()
    }

    pub fn range(&self) -> TextRange {
        self.0.text_range()
    }
}

/// Removes shell-like quotes: `"a b"` → `a b`, `'x'` → `x`, `a"b"c` → `abc`; backslash escapes
/// inside double quotes are resolved.
pub fn unquote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => match chars.next() {
                Some(next) => out.push(next),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

impl KeyValue {
    pub fn key_node(&self) -> Option<Argument> {
        self.0.children().find(|n| n.kind() == KEY).map(Argument)
    }

    pub fn key(&self) -> String {
        self.key_node().map(|k| k.value()).unwrap_or_default()
    }

    pub fn value_node(&self) -> Option<Argument> {
        self.0.children().find(|n| n.kind() == VALUE).map(Argument)
    }

    /// The value with quotes removed; `None` for a bare ARG name.
    pub fn value(&self) -> Option<String> {
        match self.value_node() {
            Some(v) => Some(if self.is_legacy() {
                v.text().trim().to_string()
            } else {
                v.value()
            }),
            None => self.has_eq().then(String::new),
        }
    }

    pub fn has_eq(&self) -> bool {
        token_of(&self.0, EQ).is_some()
    }

    /// `ENV key value` rather than `ENV key=value`.
    pub fn is_legacy(&self) -> bool {
        !self.has_eq() && self.value_node().is_some()
    }
}

impl JsonArray {
    pub fn string_tokens(&self) -> impl Iterator<Item = SyntaxToken> {
        self.0
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == STRING)
    }

    /// The decoded strings.
    pub fn strings(&self) -> Vec<String> {
        self.string_tokens()
            .map(|t| decode_json_string(t.text()))
            .collect()
    }
}

/// Decodes a JSON string literal (quotes included). Invalid escapes are kept as written.
pub fn decode_json_string(text: &str) -> String {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl ShellCommand {
    /// The command as the shell receives it: continuations and comment lines removed.
    pub fn script(&self) -> String {
        let mut out = String::new();
        for t in self.0.children_with_tokens().filter_map(|e| e.into_token()) {
            if !matches!(t.kind(), LINE_CONTINUATION | COMMENT | NEWLINE) {
                out.push_str(t.text());
            }
        }
        out.trim().to_string()
    }

    /// Words of the command (WORD/VARIABLE runs between whitespace), with their ranges. A
    /// quick, shell-unaware split used until the shell analysis is available. Continuations,
    /// and the comment and blank lines they skip, are removed first as BuildKit removes them,
    /// so `ins\` followed by `tall` on the next line is the one word `install`.
    pub fn words(&self) -> Vec<(String, TextRange)> {
        let tokens: Vec<SyntaxToken> = self
            .0
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .collect();
        let mut words = Vec::new();
        let mut current: Option<(String, TextSize, TextSize)> = None;
        for (idx, t) in tokens.iter().enumerate() {
            match t.kind() {
                WHITESPACE => {
                    // Blanks before a comment or an empty line vanish with that line.
                    let next = tokens.get(idx + 1).map(|n| n.kind());
                    if matches!(next, Some(COMMENT | NEWLINE)) {
                        continue;
                    }
                    if let Some((w, s, e)) = current.take() {
                        words.push((w, TextRange::new(s, e)));
                    }
                }
                LINE_CONTINUATION | COMMENT | NEWLINE => {}
                _ => {
                    let r = t.text_range();
                    match &mut current {
                        Some((w, _, e)) => {
                            w.push_str(t.text());
                            *e = r.end();
                        }
                        None => current = Some((t.text().to_string(), r.start(), r.end())),
                    }
                }
            }
        }
        if let Some((w, s, e)) = current {
            words.push((w, TextRange::new(s, e)));
        }
        words
    }
}

impl Heredoc {
    pub fn body(&self) -> String {
        token_of(&self.0, HEREDOC_BODY)
            .map(|t| t.text().to_string())
            .unwrap_or_default()
    }

    pub fn terminator(&self) -> Option<SyntaxToken> {
        token_of(&self.0, HEREDOC_END)
    }
}

/// A parsed image reference: `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// As written.
    pub raw: String,
    /// The registry host, when the first path component names one (`ghcr.io`, `localhost:5000`).
    pub registry: Option<String>,
    /// The repository path without registry (`library/node` is written `node`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(raw: &str) -> ImageRef {
        let (name_tag, digest) = match raw.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (raw, None),
        };
        // A tag is after the last `:` that follows the last `/` (a registry port is not a tag).
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_tag, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            raw: raw.to_string(),
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// `scratch`, the empty base.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.repository.eq_ignore_ascii_case("scratch")
    }

    /// The last path component (`node` for `docker.io/library/node`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// A variable reference token's parts: `${NAME:-word}` → name `NAME`, operator `:-`, word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The name's range within the document.
    pub name_range: TextRange,
    pub operator: Option<String>,
    pub word: Option<String>,
}

impl VarRef {
    pub fn parse(token: &SyntaxToken) -> Option<VarRef> {
        if token.kind() != VARIABLE {
            return None;
        }
        let text = token.text();
        let start = token.text_range().start();
        let inner_offset = if text.starts_with("${") { 2 } else { 1 };
        let inner = &text[inner_offset..];
        let name_len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if name_len == 0 {
            return None;
        }
        let name = inner[..name_len].to_string();
        let name_start = start + TextSize::new(inner_offset as u32);
        let name_range = TextRange::at(name_start, TextSize::new(name_len as u32));
        let mut operator = None;
        let mut word = None;
        if inner_offset == 2 {
            let rest = inner[name_len..]
                .strip_suffix('}')
                .unwrap_or(&inner[name_len..]);
            for op in [":-", ":+", ":?", "-", "+", "?", "#", "%", "/"] {
                if let Some(w) = rest.strip_prefix(op) {
                    operator = Some(op.to_string());
                    word = Some(w.to_string());
                    break;
                }
            }
        }
        Some(VarRef {
            name,
            name_range,
            operator,
            word,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_refs() {
        let r = ImageRef::parse("node:20-slim");
        assert_eq!(
            (
                r.registry.as_deref(),
                r.repository.as_str(),
                r.tag.as_deref()
            ),
            (None, "node", Some("20-slim"))
        );
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("ghcr.io/owner/img");
        assert_eq!((r.registry.as_deref(), r.tag), (Some("ghcr.io"), None));
        assert!(ImageRef::parse("scratch").is_scratch());
        assert_eq!(ImageRef::parse("library/ubuntu").short_name(), "ubuntu");
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a b""#), "a b");
        assert_eq!(unquote("'x y'"), "x y");
        assert_eq!(unquote(r#"a"b"c"#), "abc");
        assert_eq!(unquote(r#""say \"hi\"""#), r#"say "hi""#);
    }

    #[test]
    fn json_strings() {
        assert_eq!(decode_json_string(r#""a\"b""#), "a\"b");
        assert_eq!(decode_json_string(r#""\u00e9""#), "é");
        assert_eq!(decode_json_string(r#""\uZZ""#), "\\uZZ");
    }

    #[test]
    fn shell_words_follow_buildkit_line_joining() {
        let text = "FROM a\nRUN apt-get ins\\\n  # note\n\ntall -y \\\n    curl\n";
        let parse = crate::syntax::parse(text);
        let run = parse.tree().instructions().nth(1);
        let words: Vec<String> = run
            .and_then(|i| i.shell_command())
            .map(|c| c.words().into_iter().map(|(w, _)| w).collect())
            .unwrap_or_default();
        assert_eq!(words, ["apt-get", "install", "-y", "curl"]);
    }
}
