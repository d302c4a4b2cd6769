//! Syntax validation: the `LW0xxx` errors BuildKit would raise while parsing.
//!
//! Some are found by the parser as it goes (an unknown instruction, an unterminated heredoc);
//! the rest by [`validate`], a walk over the finished tree (stage names, EXPOSE ports,
//! HEALTHCHECK options). Neither judges style or best practice: that is the rules' job.

use rowan::{GreenNodeData, NodeOrToken, TextRange, TextSize};

use super::SyntaxError;
use super::ast;
use super::kind::DockerfileLang;
use super::kind::SyntaxKind::{self, *};

/// The stable codes of syntax diagnostics. Their documentation lives in `rules::syntax`.
pub mod codes {
    pub const UNKNOWN_INSTRUCTION: &str = "LW0001";
    pub const MISSING_ARGUMENTS: &str = "LW0002";
    pub const UNTERMINATED_HEREDOC: &str = "LW0003";
    pub const UNKNOWN_FLAG: &str = "LW0004";
    pub const MALFORMED_EXEC_FORM: &str = "LW0005";
    pub const BAD_DIRECTIVE: &str = "LW0006";
    pub const MISPLACED_DIRECTIVE: &str = "LW0007";
    pub const CONTINUATION_AT_EOF: &str = "LW0008";
    pub const INVALID_EXPOSE: &str = "LW0009";
    pub const INVALID_HEALTHCHECK: &str = "LW0010";
    pub const INVALID_FORM: &str = "LW0011";
    pub const TOO_MANY_ARGUMENTS: &str = "LW0012";
    pub const INVALID_FLAG_VALUE: &str = "LW0013";
    pub const INVALID_KEY_VALUE: &str = "LW0014";
    pub const INVALID_STAGE_NAME: &str = "LW0015";
    pub const NO_FROM: &str = "LW0016";
    pub const INVALID_UTF8: &str = "LW0017";
    pub const UNCLOSED_VARIABLE: &str = "LW0018";
    pub const UNCLOSED_QUOTE: &str = "LW0019";
}

/// The flags each instruction accepts, as BuildKit's Dockerfile frontend defines them.
pub fn known_flags(instr: SyntaxKind) -> &'static [&'static str] {
    match instr {
        FROM_INSTR => &["platform"],
        RUN_INSTR => &["mount", "network", "security", "device"],
        COPY_INSTR => &["from", "chown", "chmod", "link", "parents", "exclude"],
        ADD_INSTR => &[
            "chown",
            "chmod",
            "link",
            "keep-git-dir",
            "checksum",
            "exclude",
            "unpack",
        ],
        HEALTHCHECK_INSTR => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    }
}

/// Flags that take no value (`--link`) but accept `=true`/`=false`.
fn is_bool_flag(name: &str) -> bool {
    matches!(name, "link" | "parents" | "keep-git-dir" | "unpack")
}

/// Flags that may appear more than once.
fn is_repeatable_flag(name: &str) -> bool {
    matches!(name, "mount" | "exclude" | "device")
}

pub(super) fn check_flag(
    acc: &mut Vec<SyntaxError>,
    instr: SyntaxKind,
    name: &str,
    has_value: bool,
    duplicate: bool,
    range: TextRange,
) {
    let known = known_flags(instr);
    let keyword = instr.keyword().unwrap_or("this instruction");
    if !known.contains(&name) {
        let message = if known.is_empty() {
            format!("{keyword} takes no flags; `--{name}` is not valid here")
        } else {
            let suggestion = did_you_mean(name, known.iter().copied())
                .map(|s| format!(": did you mean `--{s}`?"))
                .unwrap_or_else(|| {
                    let list: Vec<String> = known.iter().map(|f| format!("--{f}")).collect();
                    format!(" (valid: {})", list.join(", "))
                });
            format!("unknown flag `--{name}` for {keyword}{suggestion}")
        };
        acc.push(SyntaxError {
            code: codes::UNKNOWN_FLAG,
            range,
            message,
        });
        return;
    }
    if duplicate && !is_repeatable_flag(name) {
        acc.push(SyntaxError {
            code: codes::INVALID_FLAG_VALUE,
            range,
            message: format!("`--{name}` is given more than once"),
        });
        return;
    }
    if !has_value && !is_bool_flag(name) {
        acc.push(SyntaxError {
            code: codes::INVALID_FLAG_VALUE,
            range,
            message: format!("`--{name}` needs a value: `--{name}=…`"),
        });
    }
}

pub(super) fn unknown_instruction_message(word: &str) -> String {
    if word.starts_with("&&") || word.starts_with("||") || word.starts_with('|') || word == ";" {
        return format!(
            "`{word}` starts a line but is not an instruction: is a `\\` missing at the end of \
             the previous line?"
        );
    }
    match did_you_mean(
        &word.to_ascii_uppercase(),
        SyntaxKind::KEYWORDS.iter().copied(),
    ) {
        Some(kw) => format!("unknown instruction `{word}`: did you mean `{kw}`?"),
        None => format!("unknown instruction `{word}`"),
    }
}

pub(super) fn missing_arguments_message(keyword: &str) -> String {
    let what = match keyword {
        "FROM" => "an image, e.g. `FROM debian:bookworm-slim`",
        "RUN" => "a command",
        "CMD" => "a command, e.g. `CMD [\"executable\", \"arg\"]`",
        "ENTRYPOINT" => "an executable, e.g. `ENTRYPOINT [\"executable\"]`",
        "COPY" | "ADD" => "a source and a destination",
        "ENV" => "`NAME=value`",
        "ARG" => "a name, e.g. `ARG VERSION=1.0`",
        "LABEL" => "`key=value`",
        "EXPOSE" => "a port, e.g. `EXPOSE 8080/tcp`",
        "USER" => "a user name or UID",
        "WORKDIR" => "a path",
        "VOLUME" => "a path",
        "STOPSIGNAL" => "a signal, e.g. `STOPSIGNAL SIGTERM`",
        "SHELL" => "a shell in JSON form, e.g. `SHELL [\"/bin/bash\", \"-c\"]`",
        "MAINTAINER" => "a name",
        _ => "arguments",
    };
    format!("{keyword} needs {what}")
}

pub(super) fn malformed_exec_form_message(text: &str) -> String {
    let trimmed = text.trim_end();
    let hint = if text.contains('\'') {
        ": JSON strings need double quotes, not single quotes"
    } else if !trimmed.ends_with(']') && trimmed.contains("\"]") {
        ": nothing may follow the closing `]`"
    } else if !trimmed.ends_with(']') {
        ": the closing `]` is missing"
    } else {
        ""
    };
    format!("not valid JSON, so this runs as a shell command (`/bin/sh -c`){hint}")
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    let max = match word.len() {
        0..=2 => 1,
        3..=5 => 2,
        _ => 3,
    };
    candidates
        .filter_map(|c| {
            let c_lower = c.to_ascii_lowercase();
            let d = if c_lower.starts_with(&word_lower) && word_lower.len() >= 2 {
                // A prefix of a candidate is a half-typed word.
                0
            } else {
                edit_distance(&word_lower, &c_lower)
            };
            (d <= max).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// A green node with its absolute offset. Validation walks the green tree, which (unlike the
/// red `SyntaxNode` tree) allocates nothing per node visited: this runs on every keystroke.
#[derive(Clone, Copy)]
struct Green<'a> {
    node: &'a GreenNodeData,
    offset: TextSize,
}

/// A child of a [`Green`] node.
enum GreenChild<'a> {
    Node(Green<'a>),
    Token(SyntaxKind, &'a str, TextRange),
}

fn kind_of(raw: rowan::SyntaxKind) -> SyntaxKind {
    <DockerfileLang as rowan::Language>::kind_from_raw(raw)
}

impl<'a> Green<'a> {
    fn kind(self) -> SyntaxKind {
        kind_of(self.node.kind())
    }

    fn range(self) -> TextRange {
        TextRange::at(self.offset, self.node.text_len())
    }

    fn children(self) -> impl Iterator<Item = GreenChild<'a>> {
        let mut offset = self.offset;
        self.node.children().map(move |child| {
            let start = offset;
            offset += child.text_len();
            match child {
                NodeOrToken::Node(node) => GreenChild::Node(Green {
                    node,
                    offset: start,
                }),
                NodeOrToken::Token(token) => GreenChild::Token(
                    kind_of(token.kind()),
                    token.text(),
                    TextRange::at(start, token.text_len()),
                ),
            }
        })
    }

    fn child_nodes(self, kind: SyntaxKind) -> impl Iterator<Item = Green<'a>> {
        self.children().filter_map(move |c| match c {
            GreenChild::Node(n) if n.kind() == kind => Some(n),
            _ => None,
        })
    }

    fn token(self, kind: SyntaxKind) -> Option<(&'a str, TextRange)> {
        self.children().find_map(|c| match c {
            GreenChild::Token(k, text, range) if k == kind => Some((text, range)),
            _ => None,
        })
    }

    /// Calls `f` on every token below this node, in order, with the kind of the innermost
    /// enclosing node among `FLAG`, `JSON_ARRAY` and `HEREDOC` (or this node's kind).
    fn for_each_token(
        self,
        context: SyntaxKind,
        f: &mut impl FnMut(SyntaxKind, SyntaxKind, &'a str, TextRange),
    ) {
        for child in self.children() {
            match child {
                GreenChild::Token(kind, text, range) => f(context, kind, text, range),
                GreenChild::Node(n) => {
                    let inner = match n.kind() {
                        k @ (FLAG | JSON_ARRAY | HEREDOC) => k,
                        _ => context,
                    };
                    n.for_each_token(inner, f);
                }
            }
        }
    }

    /// The text without trivia (continuations, comment lines), as an argument reads.
    fn text(self) -> String {
        let mut out = String::new();
        self.for_each_token(self.kind(), &mut |_, kind, text, _| {
            if !kind.is_trivia() {
                out.push_str(text);
            }
        });
        out
    }
}

/// A flag as validation sees it: lower-case name, unquoted value (`None` without `=`), range.
struct FlagView {
    name: String,
    value: Option<String>,
    range: TextRange,
}

fn flags_of(instr: Green<'_>) -> impl Iterator<Item = FlagView> + '_ {
    instr.child_nodes(FLAG).map(|flag| {
        let name = flag
            .token(FLAG_NAME)
            .map(|(t, _)| t.trim_start_matches('-').to_ascii_lowercase())
            .unwrap_or_default();
        let value = flag.token(EQ).map(|_| {
            flag.child_nodes(FLAG_VALUE)
                .next()
                .map(|v| ast::unquote(&v.text()))
                .unwrap_or_default()
        });
        FlagView {
            name,
            value,
            range: flag.range(),
        }
    })
}

/// Checks that need the whole tree. Appends to `acc`.
pub(super) fn validate(root: &GreenNodeData, escape: char, acc: &mut Vec<SyntaxError>) {
    let root = Green {
        node: root,
        offset: TextSize::new(0),
    };
    let mut first_keyword = None;
    let mut saw_from = false;
    for child in root.children() {
        let GreenChild::Node(instr) = child else {
            continue;
        };
        let kind = instr.kind();
        if !kind.is_instruction() {
            continue;
        }
        if first_keyword.is_none() {
            first_keyword = instr.token(KEYWORD).map(|(_, range)| range);
        }
        if is_expanded_by_buildkit(kind) {
            check_quotes_and_variables(instr, escape, acc);
        }
        match kind {
            FROM_INSTR => {
                saw_from = true;
                if let Some(name) = instr.child_nodes(STAGE_NAME).next() {
                    check_stage_name(&name.text(), name.range(), acc);
                }
            }
            EXPOSE_INSTR => check_expose(instr, acc),
            HEALTHCHECK_INSTR => check_healthcheck(instr, acc),
            _ => {}
        }
        for flag in flags_of(instr) {
            check_flag_value(&flag, acc);
        }
    }
    if let (Some(range), false) = (first_keyword, saw_from) {
        acc.push(SyntaxError {
            code: codes::NO_FROM,
            range,
            message: "there is no FROM instruction: a Dockerfile needs at least one stage".into(),
        });
    }
}

/// Instructions whose arguments BuildKit runs through its own shell-like word lexer (quotes,
/// escapes, `$VAR`) before using them. RUN, CMD and ENTRYPOINT go to the shell instead, and
/// HEALTHCHECK, SHELL, MAINTAINER and ONBUILD are not expanded.
fn is_expanded_by_buildkit(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        ADD_INSTR
            | ARG_INSTR
            | COPY_INSTR
            | ENV_INSTR
            | EXPOSE_INSTR
            | FROM_INSTR
            | LABEL_INSTR
            | STOPSIGNAL_INSTR
            | USER_INSTR
            | VOLUME_INSTR
            | WORKDIR_INSTR
    )
}

/// Quote state while scanning an instruction's words as BuildKit's lexer reads them.
struct QuoteScan {
    escape: char,
    /// The open quote and its offset.
    open: Option<(char, TextSize)>,
    escaped: bool,
    /// End of the last token scanned.
    end: TextSize,
}

impl QuoteScan {
    fn feed(&mut self, text: &str, range: TextRange) {
        for (idx, c) in text.char_indices() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            match self.open {
                None if c == self.escape => self.escaped = true,
                None if c == '"' || c == '\'' => {
                    self.open = Some((c, range.start() + TextSize::new(idx as u32)));
                }
                Some(('"', _)) if c == self.escape => self.escaped = true,
                Some((q, _)) if c == q => self.open = None,
                _ => {}
            }
        }
        self.end = range.end();
    }

    fn in_single_quotes(&self) -> bool {
        matches!(self.open, Some(('\'', _)))
    }
}

/// `${NAME` without its `}` (LW0018) and a quote that is never closed (LW0019). BuildKit fails
/// on both when it expands the instruction. Exec-form arrays and heredoc bodies are not read
/// this way; flags are checked for variables only (BuildKit splits flags on its own).
fn check_quotes_and_variables(instr: Green<'_>, escape: char, acc: &mut Vec<SyntaxError>) {
    let mut scan = QuoteScan {
        escape,
        open: None,
        escaped: false,
        end: instr.range().end(),
    };
    instr.for_each_token(instr.kind(), &mut |context, kind, text, range| {
        if matches!(context, JSON_ARRAY | HEREDOC) {
            return;
        }
        let in_words = context != FLAG;
        match kind {
            KEYWORD | AS_KW | COMMENT | NEWLINE | LINE_CONTINUATION | HEREDOC_MARKER
            | FLAG_NAME => {}
            VARIABLE => {
                if !scan.in_single_quotes() && !is_closed_variable(text) {
                    acc.push(SyntaxError {
                        code: codes::UNCLOSED_VARIABLE,
                        range,
                        message: format!("`{text}` is never closed: add `}}`"),
                    });
                }
                if in_words {
                    scan.end = range.end();
                }
            }
            _ if in_words => scan.feed(text, range),
            _ => {}
        }
    });
    if let Some((quote, start)) = scan.open {
        let name = if quote == '"' { "double" } else { "single" };
        acc.push(SyntaxError {
            code: codes::UNCLOSED_QUOTE,
            range: TextRange::new(start, scan.end.max(start)),
            message: format!(
                "this {name} quote is never closed: BuildKit fails to read the instruction"
            ),
        });
    }
}

/// Whether a `${…}` reference has its closing brace (a plain `$NAME` always has).
fn is_closed_variable(text: &str) -> bool {
    if !text.starts_with("${") {
        return true;
    }
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
    }
    depth == 0 && text.ends_with('}')
}

fn check_stage_name(text: &str, range: TextRange, acc: &mut Vec<SyntaxError>) {
    // BuildKit does not expand variables in stage names, so `AS $NAME` is invalid too.
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        acc.push(SyntaxError {
            code: codes::INVALID_STAGE_NAME,
            range,
            message: format!(
                "invalid stage name `{text}`: start with a letter, then letters, digits, `-`, `_` or `.`"
            ),
        });
    }
}

fn check_expose(instr: Green<'_>, acc: &mut Vec<SyntaxError>) {
    for arg in instr.child_nodes(ARGUMENT) {
        let text = arg.text();
        if text.contains('$') {
            continue;
        }
        if !is_valid_port_spec(&text) && !looks_like_mapping(&text) {
            acc.push(SyntaxError {
                code: codes::INVALID_EXPOSE,
                range: arg.range(),
                message: format!(
                    "`{text}` is not a port: use `PORT`, `PORT/tcp`, `PORT/udp` or a range `START-END`"
                ),
            });
        }
    }
}

/// `80`, `80/tcp`, `8000-8010/udp` (protocol case is a style matter, checked elsewhere).
pub fn is_valid_port_spec(text: &str) -> bool {
    let (ports, proto) = match text.split_once('/') {
        Some((p, proto)) => (p, Some(proto)),
        None => (text, None),
    };
    if let Some(proto) = proto
        && !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp")
    {
        return false;
    }
    // Numbers above 65535 are well-formed here; DL3011 reports their range.
    let valid_port = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match ports.split_once('-') {
        Some((a, b)) => valid_port(a) && valid_port(b),
        None => valid_port(ports),
    }
}

/// `127.0.0.1:80:80` or `8080:80`: BuildKit accepts these with a warning (ExposeInvalidFormat),
/// which is a build check, not a syntax error.
fn looks_like_mapping(text: &str) -> bool {
    text.contains(':') && text.rsplit(':').next().is_some_and(is_valid_port_spec)
}

fn check_healthcheck(instr: Green<'_>, acc: &mut Vec<SyntaxError>) {
    for flag in flags_of(instr) {
        let Some(value) = flag.value else { continue };
        if value.contains('$') {
            continue;
        }
        let name = flag.name;
        let ok = match name.as_str() {
            "retries" => value.parse::<u32>().is_ok(),
            // BuildKit rejects durations below one millisecond, except 0 (the default).
            "interval" | "timeout" | "start-period" | "start-interval" => {
                parse_duration(&value).is_some_and(|d| d == 0.0 || d >= 1e-3)
            }
            _ => true,
        };
        if !ok {
            let what = if name == "retries" {
                "a whole number"
            } else {
                "a duration of at least 1ms such as `30s` or `1m30s`"
            };
            acc.push(SyntaxError {
                code: codes::INVALID_HEALTHCHECK,
                range: flag.range,
                message: format!("`--{name}` needs {what}, not `{value}`"),
            });
        }
    }
}

/// A Go duration (`1h2m3.5s`, `300ms`), in seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    if text == "0" {
        return Some(0.0);
    }
    let mut total = 0.0;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if num_len == 0 {
            return None;
        }
        let number: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == 0xc2 || *b == 0xb5)
            .count();
        let factor = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += number * factor;
        rest = &rest[unit_len..];
    }
    Some(total)
}

fn check_flag_value(flag: &FlagView, acc: &mut Vec<SyntaxError>) {
    let Some(value) = &flag.value else { return };
    let name = &flag.name;
    let message = if is_bool_flag(name) {
        (!matches!(value.to_ascii_lowercase().as_str(), "true" | "false"))
            .then(|| format!("`--{name}` takes `true` or `false`, not `{value}`"))
    } else if value.is_empty() {
        Some(format!("`--{name}` has an empty value"))
    } else if name == "chmod" && !value.contains('$') {
        let octal = value.len() <= 4 && value.bytes().all(|b| (b'0'..=b'7').contains(&b));
        let symbolic = is_symbolic_mode(value);
        (!octal && !symbolic)
            .then(|| format!("`--chmod` needs an octal mode such as `0755`, not `{value}`"))
    } else {
        None
    };
    if let Some(message) = message {
        acc.push(SyntaxError {
            code: codes::INVALID_FLAG_VALUE,
            range: flag.range,
            message,
        });
    }
}

/// A symbolic `chmod` mode: comma-separated clauses `[ugoa]*` then one or more
/// `(+|-|=)(perms|u|g|o)` actions, as `u+x,g-w` or `a=rX`.
fn is_symbolic_mode(value: &str) -> bool {
    value.split(',').all(|clause| {
        let actions = clause.trim_start_matches(['u', 'g', 'o', 'a']);
        if actions.is_empty() {
            return false;
        }
        let mut rest = actions;
        while let Some(op_rest) = rest.strip_prefix(['+', '-', '=']) {
            let perms_len = op_rest.find(['+', '-', '=']).unwrap_or(op_rest.len());
            let perms = &op_rest[..perms_len];
            let valid_perms =
                perms.chars().all(|c| "rwxXst".contains(c)) || matches!(perms, "u" | "g" | "o");
            if !valid_perms {
                return false;
            }
            rest = &op_rest[perms_len..];
        }
        rest.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_prefixes() {
        let kws = SyntaxKind::KEYWORDS.iter().copied();
        assert_eq!(did_you_mean("FORM", kws.clone()), Some("FROM"));
        assert_eq!(did_you_mean("COPPY", kws.clone()), Some("COPY"));
        assert_eq!(did_you_mean("ENTRYP", kws.clone()), Some("ENTRYPOINT"));
        assert_eq!(did_you_mean("XYZZY", kws), None);
        assert_eq!(
            did_you_mean("fr", ["from", "chown"].into_iter()),
            Some("from")
        );
    }

    #[test]
    fn ports() {
        for ok in [
            "80",
            "80/tcp",
            "53/UDP",
            "8000-8010",
            "8000-8010/udp",
            "65535",
        ] {
            assert!(is_valid_port_spec(ok), "{ok}");
        }
        for bad in ["", "abc", "80/http", "80-", "-80", "1.2.3.4:80"] {
            assert!(!is_valid_port_spec(bad), "{bad}");
        }
    }

    #[test]
    fn symbolic_modes() {
        for ok in [
            "u+x", "u+x,g-w", "a=rX", "ug+rw", "+x", "o=", "u=g", "u+x-w",
        ] {
            assert!(is_symbolic_mode(ok), "{ok}");
        }
        for bad in ["", "rwxrwxrwx", "u", "u+q", "u+x,", "x+u", "u+ug"] {
            assert!(!is_symbolic_mode(bad), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30.0));
        assert_eq!(parse_duration("1m30s"), Some(90.0));
        assert_eq!(parse_duration("300ms"), Some(0.3));
        assert_eq!(parse_duration("0"), Some(0.0));
        assert_eq!(parse_duration("30"), None);
        assert_eq!(parse_duration("s"), None);
        assert_eq!(parse_duration(""), None);
    }
}
