//! The kinds of tokens and nodes in the Dockerfile syntax tree.
//!
//! The tree is lossless: every byte of the input belongs to exactly one token. Nodes group
//! tokens; they carry no text of their own. This module only names kinds; it does not lex.

/// Every token and node kind. Tokens come first, then nodes; `__LAST` bounds the enum for the
/// conversion from rowan's raw kind.
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // Tokens.
    /// Spaces and tabs (never a newline).
    WHITESPACE = 0,
    /// `\n` or `\r\n`.
    NEWLINE,
    /// A whole-line comment, from `#` to the end of the line (newline excluded).
    COMMENT,
    /// The escape character at the end of a line, trailing blanks and the newline.
    LINE_CONTINUATION,
    /// A UTF-8 byte order mark at the start of the file.
    BOM,
    /// An instruction keyword (`FROM`, `run`, …) or a nested keyword (`CMD`/`NONE` in HEALTHCHECK).
    KEYWORD,
    /// The `AS` in `FROM image AS name`.
    AS_KW,
    /// A flag's name with its dashes: `--from`.
    FLAG_NAME,
    /// `=` between a flag name and its value, or a key and its value.
    EQ,
    /// Literal text inside an argument, a key, a value or a shell command.
    WORD,
    /// A variable reference: `$NAME`, `${NAME}`, `${NAME:-default}` and the other operators.
    VARIABLE,
    /// A heredoc opener inside an instruction line: `<<EOF`, `<<-EOF`, `<<"EOF"`.
    HEREDOC_MARKER,
    /// The body lines of a heredoc, newlines included.
    HEREDOC_BODY,
    /// The terminator line of a heredoc (`EOF`), without its newline.
    HEREDOC_END,
    /// `[` of an exec-form array.
    L_BRACK,
    /// `]` of an exec-form array.
    R_BRACK,
    /// `,` of an exec-form array.
    COMMA,
    /// A JSON string inside an exec-form array, quotes included.
    STRING,
    /// Text the parser could not place anywhere else.
    ERROR_TOKEN,

    // Nodes.
    /// The whole file.
    ROOT,
    /// A parser directive at the top of the file: `# syntax=…`, `# escape=…`, `# check=…`.
    DIRECTIVE,
    /// An instruction whose keyword is not a Dockerfile instruction; the rest of its line is kept.
    UNKNOWN_INSTR,
    ADD_INSTR,
    ARG_INSTR,
    CMD_INSTR,
    COPY_INSTR,
    ENTRYPOINT_INSTR,
    ENV_INSTR,
    EXPOSE_INSTR,
    FROM_INSTR,
    HEALTHCHECK_INSTR,
    LABEL_INSTR,
    MAINTAINER_INSTR,
    ONBUILD_INSTR,
    RUN_INSTR,
    SHELL_INSTR,
    STOPSIGNAL_INSTR,
    USER_INSTR,
    VOLUME_INSTR,
    WORKDIR_INSTR,
    /// `--name[=value]`, or a bare `--` that ends the flags (BuildKit drops it).
    FLAG,
    /// The value of a flag after `=`.
    FLAG_VALUE,
    /// One whitespace-separated argument word.
    ARGUMENT,
    /// The stage name after `AS`.
    STAGE_NAME,
    /// `key=value`, `key value` (legacy ENV/LABEL form) or a bare ARG name.
    KEY_VALUE,
    /// The key of a KEY_VALUE.
    KEY,
    /// The value of a KEY_VALUE.
    VALUE,
    /// An exec-form array `["a", "b"]`.
    JSON_ARRAY,
    /// A shell-form command: the raw text given to the shell.
    SHELL_COMMAND,
    /// A heredoc: body lines and the terminator.
    HEREDOC,
    #[doc(hidden)]
    __LAST,
}

use SyntaxKind::*;

impl SyntaxKind {
    /// Tokens that carry no meaning for analysis.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            WHITESPACE | NEWLINE | COMMENT | LINE_CONTINUATION | BOM
        )
    }

    /// Whether this node kind is an instruction.
    pub fn is_instruction(self) -> bool {
        (UNKNOWN_INSTR as u16..=WORKDIR_INSTR as u16).contains(&(self as u16))
    }

    /// The instruction kind for a keyword, case-insensitively; `None` for an unknown word.
    /// Allocation-free: it runs once per instruction on every keystroke.
    pub fn from_keyword(word: &str) -> Option<SyntaxKind> {
        const KINDS: [SyntaxKind; 18] = [
            ADD_INSTR,
            ARG_INSTR,
            CMD_INSTR,
            COPY_INSTR,
            ENTRYPOINT_INSTR,
            ENV_INSTR,
            EXPOSE_INSTR,
            FROM_INSTR,
            HEALTHCHECK_INSTR,
            LABEL_INSTR,
            MAINTAINER_INSTR,
            ONBUILD_INSTR,
            RUN_INSTR,
            SHELL_INSTR,
            STOPSIGNAL_INSTR,
            USER_INSTR,
            VOLUME_INSTR,
            WORKDIR_INSTR,
        ];
        SyntaxKind::KEYWORDS
            .iter()
            .zip(KINDS)
            .find(|(kw, _)| kw.eq_ignore_ascii_case(word))
            .map(|(_, kind)| kind)
    }

    /// The canonical (upper-case) keyword of an instruction kind.
    pub fn keyword(self) -> Option<&'static str> {
        let kw = match self {
            ADD_INSTR => "ADD",
            ARG_INSTR => "ARG",
            CMD_INSTR => "CMD",
            COPY_INSTR => "COPY",
            ENTRYPOINT_INSTR => "ENTRYPOINT",
            ENV_INSTR => "ENV",
            EXPOSE_INSTR => "EXPOSE",
            FROM_INSTR => "FROM",
            HEALTHCHECK_INSTR => "HEALTHCHECK",
            LABEL_INSTR => "LABEL",
            MAINTAINER_INSTR => "MAINTAINER",
            ONBUILD_INSTR => "ONBUILD",
            RUN_INSTR => "RUN",
            SHELL_INSTR => "SHELL",
            STOPSIGNAL_INSTR => "STOPSIGNAL",
            USER_INSTR => "USER",
            VOLUME_INSTR => "VOLUME",
            WORKDIR_INSTR => "WORKDIR",
            _ => return None,
        };
        Some(kw)
    }

    /// Every instruction keyword, upper case, for completion and did-you-mean.
    pub const KEYWORDS: &'static [&'static str] = &[
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ];
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag for Dockerfiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DockerfileLang {}

impl rowan::Language for DockerfileLang {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 < __LAST as u16, "raw syntax kind out of range");
        // SAFETY-free conversion: the enum is `repr(u16)` with contiguous discriminants.
        ALL_KINDS[raw.0 as usize]
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

const ALL_KINDS: [SyntaxKind; __LAST as usize] = [
    WHITESPACE,
    NEWLINE,
    COMMENT,
    LINE_CONTINUATION,
    BOM,
    KEYWORD,
    AS_KW,
    FLAG_NAME,
    EQ,
    WORD,
    VARIABLE,
    HEREDOC_MARKER,
    HEREDOC_BODY,
    HEREDOC_END,
    L_BRACK,
    R_BRACK,
    COMMA,
    STRING,
    ERROR_TOKEN,
    ROOT,
    DIRECTIVE,
    UNKNOWN_INSTR,
    ADD_INSTR,
    ARG_INSTR,
    CMD_INSTR,
    COPY_INSTR,
    ENTRYPOINT_INSTR,
    ENV_INSTR,
    EXPOSE_INSTR,
    FROM_INSTR,
    HEALTHCHECK_INSTR,
    LABEL_INSTR,
    MAINTAINER_INSTR,
    ONBUILD_INSTR,
    RUN_INSTR,
    SHELL_INSTR,
    STOPSIGNAL_INSTR,
    USER_INSTR,
    VOLUME_INSTR,
    WORKDIR_INSTR,
    FLAG,
    FLAG_VALUE,
    ARGUMENT,
    STAGE_NAME,
    KEY_VALUE,
    KEY,
    VALUE,
    JSON_ARRAY,
    SHELL_COMMAND,
    HEREDOC,
];

pub type SyntaxNode = rowan::SyntaxNode<DockerfileLang>;
pub type SyntaxToken = rowan::SyntaxToken<DockerfileLang>;
pub type SyntaxElement = rowan::SyntaxElement<DockerfileLang>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_map_to_their_kinds() {
        for kw in SyntaxKind::KEYWORDS {
            let kind = SyntaxKind::from_keyword(&kw.to_ascii_lowercase());
            assert_eq!(kind.and_then(SyntaxKind::keyword), Some(*kw));
        }
        assert_eq!(SyntaxKind::from_keyword("rUn"), Some(RUN_INSTR));
        assert_eq!(SyntaxKind::from_keyword("RUNX"), None);
        assert_eq!(SyntaxKind::from_keyword(""), None);
    }

    #[test]
    fn all_kinds_table_matches_discriminants() {
        for (idx, kind) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, idx, "{kind:?}");
        }
    }
}
