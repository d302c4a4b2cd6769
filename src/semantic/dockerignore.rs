//! `.dockerignore` files with Docker's semantics, and the `filepath.Match` globbing that COPY
//! sources use.
//!
//! Docker's rules differ from `.gitignore` in ways that matter: patterns are anchored at the
//! context root (`foo` is `./foo`, never `a/foo`), every pattern is cleaned like Go's
//! `filepath.Clean`, the last matching pattern wins, a `!` pattern re-includes a path even
//! when a directory above it is excluded, excluding a directory excludes everything under it,
//! and `**` matches any number of directories, also inside a segment (`a**b`). This module is
//! a faithful port of BuildKit's reading of the file (`ignorefile.ReadAll`) and of
//! `github.com/moby/patternmatcher` (`New` + `MatchesOrParentMatches`), checked against the Go
//! code itself by `tests/dockerignore_vs_moby.rs`.
//!
//! The matcher is regex-free: moby translates each pattern to a regular expression whose only
//! building blocks are literals, `[^/]`, `[^/]*`, `(.*/)?`, `.*` and character classes; they
//! are compiled here to a token list and matched by a small dynamic program, so matching is
//! linear in pattern × path and needs no dependency.
//!
//! It does no IO: reading the file and walking the context is `env::context`'s job.
//!
//! Known differences from moby, all in patterns nobody writes on purpose: an escaped letter
//! (`\d`, `\w`, `\s`…) is the letter itself here, where moby's regular expression reads a
//! character class; `*` or `?` inside brackets (`[*]`) and POSIX classes (`[[:alpha:]]`) are
//! plain bracket members here, where moby's generated expression reads something else.

use std::fmt;

/// A `.dockerignore` file, compiled: the patterns in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerignore {
    patterns: Vec<Pattern>,
    has_exclusions: bool,
}

/// One pattern as moby keeps it: cleaned, without its `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern without the leading `!`.
    pub text: String,
    /// A `!` pattern: re-includes what it matches.
    pub exclusion: bool,
    /// 1-based line in the file (or position in the list given to [`Dockerignore::new`]).
    pub line: usize,
    matcher: Matcher,
}

/// A pattern Docker would reject: the build fails with this error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// 1-based line in the file.
    pub line: usize,
    /// The pattern as Docker read it.
    pub pattern: String,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: `{}`: {}",
            self.line, self.pattern, self.message
        )
    }
}

impl std::error::Error for PatternError {}

/// How moby matches a compiled pattern (its `matchType`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Matcher {
    /// The path equals the pattern.
    Exact(String),
    /// The pattern ends with `**` and has no wildcard before: a prefix test.
    Prefix(String),
    /// The pattern starts with `**` and has no wildcard after: a suffix test.
    Suffix(String),
    /// Everything else: what moby turns into a regular expression.
    Tokens(Vec<Token>),
}

/// The building blocks of moby's generated regular expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?` → `[^/]`.
    AnyChar,
    /// `*` → `[^/]*`.
    AnyRun,
    /// `[…]`, as written.
    Class(Class),
    /// `**` (or `**/`) before more pattern → `(.*/)?`: nothing, or anything ending in `/`.
    DirsOpt,
    /// `**` at the end of a pattern that already had wildcards → `.*`.
    Rest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// The patterns BuildKit reads from a `.dockerignore` text, with their 1-based lines: a port
/// of `ignorefile.ReadAll`. A UTF-8 BOM is dropped; a line whose first character is `#` is a
/// comment (an indented `#` is not); surrounding whitespace is trimmed; a `!` is split off and
/// the rest cleaned like `filepath.Clean`, with a leading `/` removed (patterns are relative
/// to the context root anyway).
pub fn read_patterns(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (idx, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if invert {
            cleaned.insert(0, '!');
        }
        out.push((idx + 1, cleaned));
    }
    out
}

impl Dockerignore {
    /// Reads a `.dockerignore` text as BuildKit does ([`read_patterns`], then moby's `New`).
    pub fn parse(text: &str) -> Result<Dockerignore, PatternError> {
        Dockerignore::from_lines(read_patterns(text))
    }

    /// moby's `New`: compiles patterns given as a list (lines are their positions, from 1).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Dockerignore, PatternError> {
        Dockerignore::from_lines(
            patterns
                .iter()
                .enumerate()
                .map(|(idx, p)| (idx + 1, p.as_ref().to_string())),
        )
    }

    fn from_lines(
        lines: impl IntoIterator<Item = (usize, String)>,
    ) -> Result<Dockerignore, PatternError> {
        let mut out = Dockerignore::default();
        for (line, raw) in lines {
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let cleaned = clean(trimmed);
            let (exclusion, text) = match cleaned.strip_prefix('!') {
                Some("") => {
                    return Err(PatternError {
                        line,
                        pattern: raw,
                        message: "illegal exclusion pattern: \"!\"".to_string(),
                    });
                }
                Some(rest) => (true, rest),
                None => (false, cleaned.as_str()),
            };
            if let Err(message) = validate(text) {
                return Err(PatternError {
                    line,
                    pattern: raw,
                    message: message.to_string(),
                });
            }
            out.has_exclusions |= exclusion;
            out.patterns.push(Pattern {
                text: text.to_string(),
                exclusion,
                line,
                matcher: compile(text),
            });
        }
        Ok(out)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Some pattern starts with `!`. BuildKit then cannot skip an excluded directory while
    /// sending the context, since something inside may be re-included.
    pub fn has_exclusions(&self) -> bool {
        self.has_exclusions
    }

    /// Whether `path` (relative to the context root) is left out of the build context:
    /// moby's `MatchesOrParentMatches` on the cleaned path, so a path under an excluded
    /// directory is excluded unless a later `!` pattern matches it. The root itself is never
    /// excluded.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.deciding_pattern(path)
            .is_some_and(|pattern| !pattern.exclusion)
    }

    /// The last pattern that decided `path`'s fate (an excluding one, or a `!` one that
    /// re-included it), for messages. `None` when no pattern applies.
    pub fn deciding_pattern(&self, path: &str) -> Option<&Pattern> {
        let path = relative(path);
        if path == "." {
            return None;
        }
        self.decide(&path)
    }

    /// `MatchesOrParentMatches` on `file` as given, remembering the deciding pattern.
    fn decide(&self, file: &str) -> Option<&Pattern> {
        let parent = match file.rfind('/') {
            Some(idx) => clean(&file[..=idx]),
            None => ".".to_string(),
        };
        let mut matched = false;
        let mut decided = None;
        for pattern in &self.patterns {
            // As moby: an inclusion is only tried while nothing matched, an exclusion only
            // once something did.
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(file);
            if !hit && parent != "." {
                hit = parent
                    .match_indices('/')
                    .map(|(idx, _)| &parent[..idx])
                    .chain(std::iter::once(parent.as_str()))
                    .any(|prefix| pattern.matches(prefix));
            }
            if hit {
                matched = !pattern.exclusion;
                decided = Some(pattern);
            }
        }
        decided
    }
}

impl Pattern {
    /// moby's `Pattern.match` on one path.
    fn matches(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(text) => path == text,
            Matcher::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Matcher::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Matcher::Tokens(tokens) => matches_tokens(tokens, path),
        }
    }
}

/// A path made relative to the context root and cleaned: `./a//b/` → `a/b`, `/a` → `a`.
pub fn relative(path: &str) -> String {
    let cleaned = clean(path);
    match cleaned.strip_prefix('/') {
        Some("") => ".".to_string(),
        Some(rest) => rest.to_string(),
        None => cleaned,
    }
}

/// Go's `filepath.Clean` on Unix: the shortest equivalent path by lexical processing (no
/// doubled `/`, no `.` segment, `..` applied to the segment before it, no trailing `/`;
/// `""` becomes `.`).
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => match segments.last() {
                Some(&last) if last != ".." => {
                    segments.pop();
                }
                // `/..` is `/`; a relative path keeps its leading `..`s.
                _ if rooted => {}
                _ => segments.push(".."),
            },
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Whether a COPY source uses wildcards, as BuildKit decides (a `\` escapes the next byte).
pub fn has_wildcards(source: &str) -> bool {
    let bytes = source.as_bytes();
    let mut idx = 0;
    while idx < bytes.len() {
        match bytes[idx] {
            b'\\' => idx += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        idx += 1;
    }
    false
}

/// Go's `filepath.Match` for one path segment (`name` holds no `/`): `*` any run, `?` one
/// character, `[…]` a class (`^` negates), `\` escapes. A malformed pattern matches nothing.
pub fn glob_segment(pattern: &str, name: &str) -> bool {
    if validate(pattern).is_err() {
        return false;
    }
    let mut tokens = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        match ch {
            '*' => tokens.push(Token::AnyRun),
            '?' => tokens.push(Token::AnyChar),
            '\\' => {
                if let Some(&next) = chars.get(pos) {
                    tokens.push(Token::Char(next));
                    pos += 1;
                }
            }
            '[' => match parse_class(&chars, pos) {
                Some((class, next)) => {
                    tokens.push(Token::Class(class));
                    pos = next;
                }
                None => return false,
            },
            other => tokens.push(Token::Char(other)),
        }
    }
    matches_tokens(&tokens, name)
}

/// moby's `compile`: the same state machine, producing tokens instead of a regex string.
fn compile(pattern: &str) -> Matcher {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut kind = Kind::Exact;
    let mut pos = 0;
    let mut iteration = 0;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        match ch {
            '*' if chars.get(pos) == Some(&'*') => {
                pos += 1;
                // `**/` is read as `**`.
                if chars.get(pos) == Some(&'/') {
                    pos += 1;
                }
                if pos == chars.len() {
                    // A trailing `**` accepts everything after it.
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        tokens.push(Token::Rest);
                        kind = Kind::Regexp;
                    }
                } else {
                    tokens.push(Token::DirsOpt);
                    kind = Kind::Regexp;
                }
                if iteration == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::AnyRun);
                kind = Kind::Regexp;
            }
            '?' => {
                tokens.push(Token::AnyChar);
                kind = Kind::Regexp;
            }
            '\\' => match chars.get(pos) {
                Some(&next) => {
                    tokens.push(Token::Char(next));
                    pos += 1;
                    kind = Kind::Regexp;
                }
                None => tokens.push(Token::Char('\\')),
            },
            '[' => {
                kind = Kind::Regexp;
                match parse_class(&chars, pos) {
                    Some((class, next)) => {
                        tokens.push(Token::Class(class));
                        pos = next;
                    }
                    // Unreachable after `validate`; a lone `[` is then a literal.
                    None => tokens.push(Token::Char('[')),
                }
            }
            ']' => {
                // moby copies a stray `]` into the expression, where it is a literal, but
                // the pattern is a regular expression from then on.
                tokens.push(Token::Char(']'));
                kind = Kind::Regexp;
            }
            other => tokens.push(Token::Char(other)),
        }
        iteration += 1;
    }
    match kind {
        Kind::Exact => Matcher::Exact(pattern.to_string()),
        Kind::Prefix => Matcher::Prefix(pattern[..pattern.len() - 2].to_string()),
        Kind::Suffix => Matcher::Suffix(pattern[2..].to_string()),
        Kind::Regexp => Matcher::Tokens(tokens),
    }
}

/// A bracket expression starting after its `[` at `chars[pos]`, in `filepath.Match`'s
/// grammar: `^` negates; items are characters or `lo-hi` ranges, `\` escapes; `-` and `]`
/// cannot start an item, and the class needs one item before its `]`. Returns the class and
/// the position after the `]`, or `None` when malformed.
fn parse_class(chars: &[char], mut pos: usize) -> Option<(Class, usize)> {
    let mut class = Class {
        negated: false,
        ranges: Vec::new(),
    };
    if chars.get(pos) == Some(&'^') {
        class.negated = true;
        pos += 1;
    }
    loop {
        if chars.get(pos) == Some(&']') && !class.ranges.is_empty() {
            return Some((class, pos + 1));
        }
        let (lo, next) = class_char(chars, pos)?;
        pos = next;
        let mut hi = lo;
        if chars.get(pos) == Some(&'-') {
            let (end, next) = class_char(chars, pos + 1)?;
            hi = end;
            pos = next;
        }
        class.ranges.push((lo, hi));
    }
}

/// Go's `getEsc`: one possibly escaped class character, which must be followed by more.
fn class_char(chars: &[char], mut pos: usize) -> Option<(char, usize)> {
    match chars.get(pos)? {
        '-' | ']' => return None,
        '\\' => pos += 1,
        _ => {}
    }
    let c = *chars.get(pos)?;
    pos += 1;
    (pos < chars.len()).then_some((c, pos))
}

/// The errors `filepath.Match` reports for a malformed pattern: a bad bracket expression or a
/// trailing `\`. Checked over the whole pattern, as current Go versions do.
fn validate(pattern: &str) -> Result<(), &'static str> {
    const BAD: &str = "syntax error in pattern";
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    while pos < chars.len() {
        match chars[pos] {
            '\\' => {
                if pos + 1 >= chars.len() {
                    return Err(BAD);
                }
                pos += 2;
            }
            '[' => pos = parse_class(&chars, pos + 1).ok_or(BAD)?.1,
            _ => pos += 1,
        }
    }
    Ok(())
}

/// Whether the token list matches the whole of `text`, as moby's anchored expression would:
/// `reachable[t][i]` says whether tokens `t..` match `text[i..]`, filled from the end.
fn matches_tokens(tokens: &[Token], text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let width = n + 1;
    let mut next_row = vec![false; width];
    next_row[n] = true;
    let mut row = vec![false; width];
    for token in tokens.iter().rev() {
        for i in (0..=n).rev() {
            row[i] = match token {
                Token::Char(c) => i < n && chars[i] == *c && next_row[i + 1],
                Token::AnyChar => i < n && chars[i] != '/' && next_row[i + 1],
                Token::Class(class) => i < n && class.contains(chars[i]) && next_row[i + 1],
                // `[^/]*`: zero characters, or one non-`/` and the same token again.
                Token::AnyRun => next_row[i] || (i < n && chars[i] != '/' && row[i + 1]),
                // `(.*/)?`: nothing, or a run without newline that ends with `/`.
                Token::DirsOpt => {
                    next_row[i]
                        || chars[i..]
                            .iter()
                            .enumerate()
                            .take_while(|(_, c)| **c != '\n')
                            .any(|(k, c)| *c == '/' && next_row[i + k + 1])
                }
                // `.*`: any run without newline (moby only puts it last).
                Token::Rest => {
                    next_row[i]
                        || chars[i..]
                            .iter()
                            .enumerate()
                            .take_while(|(_, c)| **c != '\n')
                            .any(|(k, _)| next_row[i + k + 1])
                }
            };
        }
        std::mem::swap(&mut row, &mut next_row);
    }
    next_row[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(patterns: &[&str], path: &str) -> bool {
        Dockerignore::new(patterns)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_excluded(path)
    }

    #[test]
    fn clean_like_go() {
        for (input, expected) in [
            ("", "."),
            (".", "."),
            ("./", "."),
            ("a/", "a"),
            ("./a//b/", "a/b"),
            ("a/../b", "b"),
            ("a/../..", ".."),
            ("../../a", "../../a"),
            ("/..", "/"),
            ("/../a/", "/a"),
            ("/", "/"),
            ("//a", "/a"),
            ("a/./b/.", "a/b"),
            ("!a/../b", "b"),
        ] {
            assert_eq!(clean(input), expected, "clean({input:?})");
        }
    }

    #[test]
    fn reading_the_file() {
        let text = "\u{feff}# comment\n  # not a comment\n\n  node_modules/  \r\n!/keep/./me\n/abs\n! spaced\n/\n";
        let lines: Vec<(usize, String)> = read_patterns(text);
        assert_eq!(
            lines,
            [
                (2, "# not a comment".to_string()),
                (4, "node_modules".to_string()),
                (5, "!keep/me".to_string()),
                (6, "abs".to_string()),
                (7, "!spaced".to_string()),
                (8, "/".to_string()),
            ]
        );
    }

    #[test]
    fn anchored_at_the_root_and_directories_cover_their_contents() {
        assert!(excluded(&["foo"], "foo"));
        assert!(excluded(&["foo"], "foo/bar/baz"));
        assert!(!excluded(&["foo"], "a/foo"));
        assert!(excluded(&["*/foo"], "a/foo"));
        assert!(!excluded(&["*/foo"], "a/b/foo"));
        assert!(excluded(&["**/foo"], "a/b/foo"));
        assert!(excluded(&["**/foo"], "foo"));
        assert!(!excluded(&["*"], "."));
    }

    #[test]
    fn last_match_wins_and_reinclusion_under_an_excluded_directory() {
        let patterns = ["docs", "!docs/README.md"];
        assert!(excluded(&patterns, "docs/a.md"));
        assert!(!excluded(&patterns, "docs/README.md"));
        let patterns = ["*.md", "!README.md", "README.md"];
        assert!(excluded(&patterns, "README.md"));
        assert!(excluded(&["!a", "a"], "a"));
    }

    #[test]
    fn double_star_inside_a_segment() {
        // moby reads `a**b` as `a(.*/)?b`: `ab`, `a/b`, `ax/y/b`, but not `axb`.
        for (path, expected) in [
            ("ab", true),
            ("a/b", true),
            ("ax/y/b", true),
            ("axb", false),
        ] {
            assert_eq!(excluded(&["a**b"], path), expected, "{path}");
        }
        // A leading `**` without a wildcard after it is a suffix test.
        assert!(excluded(&["**b"], "xb"));
        assert!(excluded(&["**b"], "x/yb"));
        // A trailing one, a prefix test.
        assert!(excluded(&["foo**"], "foobar/x"));
        assert!(!excluded(&["foo/**"], "foo"));
        assert!(excluded(&["foo/**"], "foo/x"));
        assert!(excluded(&["*/**"], "a/b/c"));
    }

    #[test]
    fn classes_escapes_and_errors() {
        assert!(excluded(&["[a-c].txt"], "b.txt"));
        assert!(!excluded(&["[^a-c].txt"], "b.txt"));
        assert!(excluded(&["[^a-c].txt"], "d.txt"));
        assert!(excluded(&["\\*.txt"], "*.txt"));
        assert!(!excluded(&["\\*.txt"], "a.txt"));
        assert!(excluded(&["a?c"], "abc"));
        assert!(!excluded(&["a?c"], "a/c"));
        for bad in ["[", "a[", "[]", "[a-]", "[-a]", "a\\", "!"] {
            assert!(Dockerignore::new(&[bad]).is_err(), "{bad} must be rejected");
        }
        let error = Dockerignore::parse("ok\n\n[oops\n").unwrap_err();
        assert_eq!(error.line, 3);
    }

    #[test]
    fn deciding_pattern_names_the_line() {
        let ignore =
            Dockerignore::parse("# build output\ntarget\n*.md\n!README.md\n").unwrap_or_default();
        assert_eq!(
            ignore.deciding_pattern("target/debug/x").map(|p| p.line),
            Some(2)
        );
        let readme = ignore.deciding_pattern("README.md");
        assert_eq!(readme.map(|p| (p.line, p.exclusion)), Some((4, true)));
        assert!(!ignore.is_excluded("README.md"));
        assert!(ignore.deciding_pattern("src/main.rs").is_none());
    }

    #[test]
    fn segment_globbing() {
        assert!(glob_segment("*.md", "README.md"));
        assert!(glob_segment("*", ".env"));
        assert!(glob_segment("?ain.[rg]o", "main.go"));
        assert!(!glob_segment("*.md", "README.txt"));
        assert!(glob_segment("a\\*", "a*"));
        assert!(!glob_segment("[", "["));
        assert!(has_wildcards("src/*.rs"));
        assert!(!has_wildcards("src/\\*.rs"));
        assert!(!has_wildcards("src/main.rs"));
    }
}
