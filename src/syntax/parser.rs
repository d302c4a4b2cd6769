//! The Dockerfile parser: text in, lossless green tree plus recovered errors out.
//!
//! The parser is line-oriented, like BuildKit's: a file is a sequence of logical lines (physical
//! lines joined by the escape character), each holding one instruction, then the bodies of any
//! heredocs that instruction opened. Recovery happens at instruction boundaries, so a broken line
//! never hides the next one. Every byte of the input ends up in exactly one token.
//!
//! It deliberately does not expand variables, resolve stages or judge best practice; it only
//! records what BuildKit itself would reject while parsing (the `LW0xxx` codes).

use rowan::{GreenNode, GreenNodeBuilder, TextRange, TextSize};

use super::SyntaxError;
use super::kind::SyntaxKind::{self, *};
use super::validation::{self, codes};

/// The result of parsing: the tree and the errors found on the way.
pub(super) struct ParseOutput {
    pub green: GreenNode,
    pub errors: Vec<SyntaxError>,
    pub escape: char,
}

/// A heredoc opened on an instruction line, waiting for its body.
struct PendingHeredoc {
    name: String,
    strip_tabs: bool,
    marker: TextRange,
}

/// How a word is lexed.
#[derive(Clone, Copy, Default)]
struct WordMode {
    /// Quotes group whitespace into the word (ENV/LABEL/ARG values, flag values).
    quotes: bool,
    /// Stop at the first `=` outside quotes (keys).
    stop_at_eq: bool,
    /// A word starting with `<<` is a heredoc marker (RUN/COPY/ADD).
    heredoc: bool,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    escape: u8,
    builder: GreenNodeBuilder<'static>,
    errors: Vec<SyntaxError>,
    heredocs: Vec<PendingHeredoc>,
    /// Reused by `trivia` so the hot path does not allocate.
    trivia_buf: Vec<(SyntaxKind, usize)>,
}

pub(super) fn parse_text(text: &str) -> ParseOutput {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        escape: b'\\',
        builder: GreenNodeBuilder::new(),
        errors: Vec::new(),
        heredocs: Vec::new(),
        trivia_buf: Vec::new(),
    };
    p.root();
    let escape = p.escape as char;
    ParseOutput {
        green: p.builder.finish(),
        errors: p.errors,
        escape,
    }
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32))
}

/// The kind of a parser directive, if `line` (one physical line, no newline) is one.
/// Returns the lower-cased key and the value's byte range within the line.
pub(crate) fn directive_parts(line: &str) -> Option<(String, usize, usize)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'#') {
        return None;
    }
    i += 1;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let key_start = i;
    if !bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let key = line[key_start..i].to_ascii_lowercase();
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let mut end = bytes.len();
    while end > i && (bytes[end - 1] == b' ' || bytes[end - 1] == b'\t') {
        end -= 1;
    }
    if end == i {
        return None;
    }
    Some((key, i, end))
}

const DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

impl Parser<'_> {
    // ---- low-level helpers -------------------------------------------------------------------

    fn token(&mut self, kind: SyntaxKind, end: usize) {
        debug_assert!(end > self.pos && end <= self.bytes.len());
        self.builder.token(kind.into(), &self.text[self.pos..end]);
        self.pos = end;
    }

    fn error(&mut self, code: &'static str, start: usize, end: usize, message: String) {
        self.errors.push(SyntaxError {
            code,
            range: range(start, end),
            message,
        });
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Length of the newline at `pos` (`\n` or `\r\n`), or 0.
    #[inline]
    fn newline_len(&self, pos: usize) -> usize {
        match self.bytes.get(pos) {
            Some(b'\n') => 1,
            Some(b'\r') if self.bytes.get(pos + 1) == Some(&b'\n') => 2,
            _ => 0,
        }
    }

    fn at_newline(&self) -> bool {
        self.newline_len(self.pos) > 0
    }

    /// End of the physical line starting at or containing `pos` (before its newline).
    fn line_end(&self, pos: usize) -> usize {
        let mut i = pos;
        while i < self.bytes.len() && self.newline_len(i) == 0 {
            i += 1;
        }
        i
    }

    #[inline]
    fn blank_run(&self, pos: usize) -> usize {
        let mut i = pos;
        while i < self.bytes.len() && (self.bytes[i] == b' ' || self.bytes[i] == b'\t') {
            i += 1;
        }
        i
    }

    /// If a line continuation starts at `pos`, the position just after it (after the newline,
    /// or at the end of the file for a trailing escape).
    #[inline]
    fn continuation_end(&self, pos: usize) -> Option<usize> {
        if self.bytes.get(pos) != Some(&self.escape) {
            return None;
        }
        let after_blanks = self.blank_run(pos + 1);
        if after_blanks >= self.bytes.len() {
            return Some(after_blanks);
        }
        let nl = self.newline_len(after_blanks);
        (nl > 0).then_some(after_blanks + nl)
    }

    /// If the escape character at `pos` escapes the next character, the length of both. An
    /// escape followed by a line continuation (`C:\\` at the end of a line) escapes nothing:
    /// BuildKit treats the last escape character of a line as the continuation, whatever
    /// precedes it.
    #[inline]
    fn escaped_len(&self, pos: usize) -> Option<usize> {
        if self.bytes.get(pos) != Some(&self.escape) {
            return None;
        }
        let next = *self.bytes.get(pos + 1)?;
        if self.newline_len(pos + 1) > 0 || self.continuation_end(pos + 1).is_some() {
            return None;
        }
        Some((1 + utf8_len(next)).min(self.bytes.len() - pos))
    }

    /// Whether a line continuation at `pos` (inside a word) joins the word with the next line:
    /// BuildKit joins physical lines before it splits words, so `debian:\` followed by
    /// `latest` at the start of the next line is the one word `debian:latest`. Blank and comment
    /// lines in between are skipped, as BuildKit skips them.
    #[inline]
    fn glued_continuation(&self, pos: usize) -> bool {
        let Some(end) = self.continuation_end(pos) else {
            return false;
        };
        if pos == 0 || matches!(self.bytes[pos - 1], b' ' | b'\t' | b'\n') {
            return false;
        }
        let mut ignored = Vec::new();
        let next = self.scan_trivia_tail(end, &mut ignored);
        self.at_word_at(next)
    }

    /// Whether a word can start here (not trivia, not the end of the logical line).
    #[inline]
    fn at_word(&self) -> bool {
        self.at_word_at(self.pos)
    }

    // ---- trivia --------------------------------------------------------------------------

    /// Collects the trivia tokens (blanks, continuations and the blank or comment lines a
    /// continuation skips) starting at `pos`, without building anything.
    fn scan_trivia(&self, mut pos: usize, out: &mut Vec<(SyntaxKind, usize)>) -> usize {
        loop {
            let blanks = self.blank_run(pos);
            if blanks > pos {
                out.push((WHITESPACE, blanks));
                pos = blanks;
                continue;
            }
            let Some(end) = self.continuation_end(pos) else {
                return pos;
            };
            out.push((LINE_CONTINUATION, end));
            pos = end;
            // Blank and comment lines inside a continuation are skipped, as BuildKit does.
            loop {
                if pos >= self.bytes.len() {
                    return pos;
                }
                let blanks = self.blank_run(pos);
                let nl = self.newline_len(blanks);
                if nl > 0 {
                    if blanks > pos {
                        out.push((WHITESPACE, blanks));
                    }
                    out.push((NEWLINE, blanks + nl));
                    pos = blanks + nl;
                } else if self.bytes.get(blanks) == Some(&b'#') {
                    if blanks > pos {
                        out.push((WHITESPACE, blanks));
                    }
                    let end = self.line_end(blanks);
                    out.push((COMMENT, end));
                    let nl = self.newline_len(end);
                    if nl == 0 {
                        return end;
                    }
                    out.push((NEWLINE, end + nl));
                    pos = end + nl;
                } else if blanks >= self.bytes.len() {
                    if blanks > pos {
                        out.push((WHITESPACE, blanks));
                    }
                    return blanks;
                } else {
                    break;
                }
            }
        }
    }

    /// Emits trivia inside a logical line. Reports a continuation that runs into the end of
    /// the file.
    fn trivia(&mut self) {
        // Fast path, by far the most common: blanks not followed by a continuation.
        let blanks = self.blank_run(self.pos);
        if self.bytes.get(blanks) != Some(&self.escape) {
            if blanks > self.pos {
                self.token(WHITESPACE, blanks);
            }
            return;
        }
        let mut toks = std::mem::take(&mut self.trivia_buf);
        toks.clear();
        let end = self.scan_trivia(self.pos, &mut toks);
        if end == self.pos {
            self.trivia_buf = toks;
            return;
        }
        let mut last_continuation = None;
        for &(kind, tok_end) in &toks {
            if kind == LINE_CONTINUATION {
                last_continuation = Some(self.pos);
            }
            self.token(kind, tok_end);
        }
        self.trivia_buf = toks;
        if self.at_eof()
            && let Some(start) = last_continuation
        {
            self.error(
                codes::CONTINUATION_AT_EOF,
                start,
                start + 1,
                "line continuation at the end of the file: the instruction continues into nothing"
                    .to_string(),
            );
        }
    }

    /// Skips the rest of the logical line as plain words (after an error).
    fn rest_as_words(&mut self, kind: SyntaxKind) {
        loop {
            self.trivia();
            if !self.at_word() {
                return;
            }
            self.word(kind, WordMode::default());
        }
    }

    // ---- the file ------------------------------------------------------------------------

    fn root(&mut self) {
        self.builder.start_node(ROOT.into());
        if self.text.starts_with('\u{feff}') {
            self.token(BOM, 3);
        }
        self.directives();
        while !self.at_eof() {
            let blanks = self.blank_run(self.pos);
            if blanks > self.pos {
                self.token(WHITESPACE, blanks);
            }
            if self.at_eof() {
                break;
            }
            let nl = self.newline_len(self.pos);
            if nl > 0 {
                self.token(NEWLINE, self.pos + nl);
                continue;
            }
            if self.peek() == Some(b'#') {
                self.comment_line();
            } else if let Some(end) = self.continuation_end(self.pos) {
                // A lone escape at the start of a line joins nothing to the next line.
                self.token(LINE_CONTINUATION, end);
                continue;
            } else {
                self.instruction(false);
            }
            // Whatever the instruction left on its line (only possible after an error) is
            // kept as an error token so the tree stays lossless.
            let end = self.line_end(self.pos);
            if end > self.pos {
                self.token(ERROR_TOKEN, end);
            }
            let nl = self.newline_len(self.pos);
            if nl > 0 {
                self.token(NEWLINE, self.pos + nl);
            }
        }
        self.builder.finish_node();
    }

    /// Parser directives: comment lines of the form `# key=value` at the very top, before any
    /// other line. An unknown key, a blank line or anything else ends the directive block.
    fn directives(&mut self) {
        let mut seen: Vec<String> = Vec::new();
        loop {
            let end = self.line_end(self.pos);
            let line = &self.text[self.pos..end];
            let Some((key, value_start, value_end)) = directive_parts(line) else {
                return;
            };
            if !DIRECTIVES.contains(&key.as_str()) {
                return;
            }
            let start = self.pos;
            let value = &line[value_start..value_end];
            if seen.contains(&key) {
                self.error(
                    codes::BAD_DIRECTIVE,
                    start,
                    end,
                    format!("only one `{key}` parser directive can be used"),
                );
            } else if key == "escape" {
                match value {
                    "\\" => self.escape = b'\\',
                    "`" => self.escape = b'`',
                    _ => self.error(
                        codes::BAD_DIRECTIVE,
                        start + value_start,
                        start + value_end,
                        format!("invalid escape character `{value}`: use `\\` or `` ` ``"),
                    ),
                }
            }
            seen.push(key);
            self.builder.start_node(DIRECTIVE.into());
            let blanks = self.blank_run(self.pos);
            if blanks > self.pos {
                self.token(WHITESPACE, blanks);
            }
            self.token(COMMENT, end);
            self.builder.finish_node();
            let nl = self.newline_len(self.pos);
            if nl == 0 {
                return;
            }
            self.token(NEWLINE, self.pos + nl);
        }
    }

    fn comment_line(&mut self) {
        let start = self.pos;
        let end = self.line_end(self.pos);
        if let Some((key, ..)) = directive_parts(&self.text[start..end])
            && (key == "syntax" || key == "escape")
        {
            self.error(
                codes::MISPLACED_DIRECTIVE,
                start,
                end,
                format!(
                    "`{key}` parser directive is ignored here: directives must come before any \
                     instruction, comment or blank line"
                ),
            );
        }
        self.token(COMMENT, end);
    }

    // ---- instructions --------------------------------------------------------------------

    /// Parses one instruction starting at its keyword. `nested` is set for the instruction
    /// inside ONBUILD or HEALTHCHECK.
    fn instruction(&mut self, nested: bool) -> SyntaxKind {
        let kw_start = self.pos;
        let mut kw_end = self.pos;
        while kw_end < self.bytes.len() {
            let b = self.bytes[kw_end];
            if b == b' ' || b == b'\t' || self.newline_len(kw_end) > 0 {
                break;
            }
            if b == self.escape && self.continuation_end(kw_end).is_some() {
                break;
            }
            kw_end += 1;
        }
        let keyword = &self.text[kw_start..kw_end];
        let kind = SyntaxKind::from_keyword(keyword).unwrap_or(UNKNOWN_INSTR);
        self.builder.start_node(kind.into());
        self.token(KEYWORD, kw_end);
        if kind == UNKNOWN_INSTR {
            let message = validation::unknown_instruction_message(keyword);
            self.error(codes::UNKNOWN_INSTRUCTION, kw_start, kw_end, message);
            self.rest_as_words(ARGUMENT);
            self.builder.finish_node();
            return kind;
        }
        self.trivia();
        self.flags(kind);
        let before_args = self.pos;
        match kind {
            FROM_INSTR => self.args_of_from(),
            RUN_INSTR | CMD_INSTR | ENTRYPOINT_INSTR => self.command_args(kind),
            SHELL_INSTR => self.shell_args(),
            COPY_INSTR | ADD_INSTR => self.copy_args(kind),
            ENV_INSTR | LABEL_INSTR | ARG_INSTR => self.key_value_args(kind),
            VOLUME_INSTR => {
                if !self.try_json_array(true) {
                    self.rest_as_words(ARGUMENT);
                }
            }
            HEALTHCHECK_INSTR => self.healthcheck_args(kw_start, kw_end),
            ONBUILD_INSTR => self.onbuild_args(kw_start, kw_end),
            _ => self.rest_as_words(ARGUMENT),
        }
        if self.pos == before_args && !matches!(kind, HEALTHCHECK_INSTR | ONBUILD_INSTR) {
            let kw = kind.keyword().unwrap_or_default();
            self.error(
                codes::MISSING_ARGUMENTS,
                kw_start,
                kw_end,
                validation::missing_arguments_message(kw),
            );
        }
        if !nested {
            self.heredoc_bodies();
        }
        self.builder.finish_node();
        kind
    }

    /// Leading `--name[=value]` flags. BuildKit extracts them for every instruction and then
    /// rejects the ones an instruction does not know.
    fn flags(&mut self, instr: SyntaxKind) {
        let mut seen: Vec<String> = Vec::new();
        while self.bytes[self.pos..].starts_with(b"--") {
            let start = self.pos;
            if !self.at_word_at(start + 2) {
                // A bare `--` ends the flags; BuildKit drops it.
                self.builder.start_node(FLAG.into());
                self.token(FLAG_NAME, start + 2);
                self.builder.finish_node();
                self.trivia();
                return;
            }
            let mut name_end = self.pos + 2;
            while name_end < self.bytes.len() {
                let b = self.bytes[name_end];
                if b == b'=' || b == b' ' || b == b'\t' || self.newline_len(name_end) > 0 {
                    break;
                }
                if b == self.escape && self.continuation_end(name_end).is_some() {
                    break;
                }
                name_end += 1;
            }
            self.builder.start_node(FLAG.into());
            self.token(FLAG_NAME, name_end);
            let name = self.text[start + 2..name_end].to_ascii_lowercase();
            let mut has_value = false;
            if self.peek() == Some(b'=') {
                self.token(EQ, self.pos + 1);
                has_value = true;
                if self.at_word() {
                    self.word(
                        FLAG_VALUE,
                        WordMode {
                            quotes: true,
                            ..WordMode::default()
                        },
                    );
                }
            }
            self.builder.finish_node();
            let end = self.pos;
            let duplicate = seen.contains(&name);
            validation::check_flag(
                &mut self.errors,
                instr,
                &name,
                has_value,
                duplicate,
                range(start, end),
            );
            seen.push(name);
            self.trivia();
        }
    }

    /// `FROM [--platform=…] image [AS name]`.
    fn args_of_from(&mut self) {
        if !self.at_word() {
            return;
        }
        self.word(ARGUMENT, WordMode::default());
        self.trivia();
        if !self.at_word() {
            return;
        }
        let word_start = self.pos;
        let word_end = self.word_end(self.pos);
        if self.text[word_start..word_end].eq_ignore_ascii_case("as") {
            self.token(AS_KW, word_end);
            self.trivia();
            if self.at_word() {
                self.word(STAGE_NAME, WordMode::default());
            } else {
                self.error(
                    codes::MISSING_ARGUMENTS,
                    word_start,
                    word_end,
                    "`AS` needs a stage name after it".to_string(),
                );
            }
            self.trivia();
        }
        if self.at_word() {
            let start = self.pos;
            self.rest_as_words(ARGUMENT);
            self.error(
                codes::TOO_MANY_ARGUMENTS,
                start,
                self.pos,
                "FROM takes an image and an optional `AS name`; these words are unexpected"
                    .to_string(),
            );
        }
    }

    /// RUN, CMD and ENTRYPOINT: an exec-form array or a shell command.
    fn command_args(&mut self, kind: SyntaxKind) {
        if !self.at_word() {
            return;
        }
        if self.try_json_array(true) {
            return;
        }
        self.shell_command(kind == RUN_INSTR);
    }

    fn shell_args(&mut self) {
        if !self.at_word() {
            return;
        }
        if self.try_json_array(false) {
            return;
        }
        let start = self.pos;
        self.shell_command(false);
        self.error(
            codes::INVALID_FORM,
            start,
            self.pos,
            "SHELL needs the exec (JSON) form, e.g. `SHELL [\"/bin/bash\", \"-c\"]`".to_string(),
        );
    }

    fn copy_args(&mut self, _kind: SyntaxKind) {
        if !self.at_word() {
            return;
        }
        if self.try_json_array(true) {
            return;
        }
        let start = self.pos;
        let mut n_args = 0;
        loop {
            self.trivia();
            if !self.at_word() {
                break;
            }
            self.word(
                ARGUMENT,
                WordMode {
                    heredoc: true,
                    ..WordMode::default()
                },
            );
            n_args += 1;
        }
        if n_args == 1 {
            self.error(
                codes::MISSING_ARGUMENTS,
                start,
                self.pos,
                "a source and a destination are needed; only one path is given".to_string(),
            );
        }
    }

    fn key_value_args(&mut self, kind: SyntaxKind) {
        let quoted = WordMode {
            quotes: true,
            ..WordMode::default()
        };
        let mut first = true;
        loop {
            self.trivia();
            if !self.at_word() {
                return;
            }
            let pair_start = self.pos;
            self.builder.start_node(KEY_VALUE.into());
            self.word(
                KEY,
                WordMode {
                    stop_at_eq: true,
                    ..quoted
                },
            );
            if self.peek() == Some(b'=') {
                self.token(EQ, self.pos + 1);
                if self.at_word() {
                    self.word(VALUE, quoted);
                }
                self.builder.finish_node();
                first = false;
                continue;
            }
            if kind == ARG_INSTR {
                self.builder.finish_node();
                first = false;
                continue;
            }
            // The legacy `ENV key value` form: the value is the rest of the line.
            if first {
                self.trivia();
                if self.at_word() {
                    self.builder.start_node(VALUE.into());
                    loop {
                        self.word_tokens(quoted);
                        let save = self.pos;
                        let mut toks = Vec::new();
                        let end = self.scan_trivia(self.pos, &mut toks);
                        if end == save || !self.at_word_at(end) {
                            break;
                        }
                        for (k, e) in toks {
                            self.token(k, e);
                        }
                    }
                    self.builder.finish_node();
                    self.builder.finish_node();
                    return;
                }
            }
            self.builder.finish_node();
            let kw = kind.keyword().unwrap_or_default();
            self.error(
                codes::INVALID_KEY_VALUE,
                pair_start,
                self.pos,
                format!(
                    "{kw} needs `key=value` here; `{}` has no value",
                    &self.text[pair_start..self.pos]
                ),
            );
            first = false;
        }
    }

    /// Whether a word character is at `pos` (not a blank, a newline, a continuation or the end).
    /// Runs once per byte of every word, so the common case returns at the first test.
    #[inline]
    fn at_word_at(&self, pos: usize) -> bool {
        match self.bytes.get(pos) {
            None | Some(b' ' | b'\t' | b'\n') => false,
            Some(b'\r') => self.newline_len(pos) == 0,
            Some(&b) if b == self.escape => self.continuation_end(pos).is_none(),
            Some(_) => true,
        }
    }

    fn healthcheck_args(&mut self, kw_start: usize, kw_end: usize) {
        if !self.at_word() {
            self.error(
                codes::MISSING_ARGUMENTS,
                kw_start,
                kw_end,
                "HEALTHCHECK needs `NONE` or `CMD <command>`".to_string(),
            );
            return;
        }
        let start = self.pos;
        let end = self.word_end(self.pos);
        let word = &self.text[start..end];
        if word.eq_ignore_ascii_case("none") {
            self.token(KEYWORD, end);
            self.trivia();
            if self.at_word() {
                let extra = self.pos;
                self.rest_as_words(ARGUMENT);
                self.error(
                    codes::INVALID_HEALTHCHECK,
                    extra,
                    self.pos,
                    "nothing may follow `HEALTHCHECK NONE`".to_string(),
                );
            }
        } else if word.eq_ignore_ascii_case("cmd") {
            self.instruction(true);
        } else {
            self.rest_as_words(ARGUMENT);
            self.error(
                codes::INVALID_HEALTHCHECK,
                start,
                end,
                format!("HEALTHCHECK expects `CMD` or `NONE`, found `{word}`"),
            );
        }
    }

    fn onbuild_args(&mut self, kw_start: usize, kw_end: usize) {
        if !self.at_word() {
            self.error(
                codes::MISSING_ARGUMENTS,
                kw_start,
                kw_end,
                "ONBUILD needs an instruction to run in child builds".to_string(),
            );
            return;
        }
        // ONBUILD ONBUILD/FROM/MAINTAINER parse fine; DL3043 reports them.
        self.instruction(true);
    }

    // ---- words ---------------------------------------------------------------------------

    /// End of the whitespace-delimited word at `pos`, ignoring quotes.
    fn word_end(&self, pos: usize) -> usize {
        let mut i = pos;
        while self.at_word_at(i) {
            if let Some(len) = self.escaped_len(i) {
                i += len;
                continue;
            }
            i += 1;
        }
        i.min(self.bytes.len())
    }

    /// A node of `kind` holding one word.
    fn word(&mut self, kind: SyntaxKind, mode: WordMode) {
        self.builder.start_node(kind.into());
        self.word_tokens(mode);
        self.builder.finish_node();
    }

    /// The tokens of one word: literal text, variables, quoted parts, heredoc markers.
    fn word_tokens(&mut self, mode: WordMode) {
        if mode.heredoc && self.try_heredoc_marker() {
            return;
        }
        let mut quote: Option<u8> = None;
        let mut lit_start = self.pos;
        while let Some(b) = self.peek() {
            let glued = quote.is_none() && self.glued_continuation(self.pos);
            if quote.is_none() && !glued {
                if !self.at_word() {
                    break;
                }
                if mode.stop_at_eq && b == b'=' {
                    break;
                }
            } else if self.at_newline() {
                // An unterminated quote ends with the line.
                break;
            } else if let Some(end) = self.continuation_end(self.pos) {
                self.flush_word(lit_start);
                self.token(LINE_CONTINUATION, end);
                let mut toks = Vec::new();
                let after = self.scan_trivia_tail(self.pos, &mut toks);
                for (k, e) in toks {
                    self.token(k, e);
                }
                debug_assert_eq!(after, self.pos);
                lit_start = self.pos;
                continue;
            }
            if let Some(len) = self.escaped_len(self.pos) {
                // An escaped character is literal.
                self.pos += len;
                continue;
            }
            if b == b'$'
                && quote != Some(b'\'')
                && let Some(end) = self.variable_end(self.pos)
            {
                self.flush_word(lit_start);
                self.token(VARIABLE, end);
                lit_start = self.pos;
                continue;
            }
            if mode.quotes && (b == b'"' || b == b'\'') {
                match quote {
                    None => quote = Some(b),
                    Some(q) if q == b => quote = None,
                    Some(_) => {}
                }
            }
            self.pos += 1;
        }
        self.flush_word(lit_start);
    }

    /// The blank and comment lines after a continuation (see `scan_trivia`).
    fn scan_trivia_tail(&self, pos: usize, out: &mut Vec<(SyntaxKind, usize)>) -> usize {
        // Reuse scan_trivia by pretending a continuation preceded: scan from `pos` only the
        // line-skipping part.
        let mut p = pos;
        loop {
            if p >= self.bytes.len() {
                return p;
            }
            let blanks = self.blank_run(p);
            let nl = self.newline_len(blanks);
            if nl > 0 {
                if blanks > p {
                    out.push((WHITESPACE, blanks));
                }
                out.push((NEWLINE, blanks + nl));
                p = blanks + nl;
            } else if self.bytes.get(blanks) == Some(&b'#') {
                if blanks > p {
                    out.push((WHITESPACE, blanks));
                }
                let end = self.line_end(blanks);
                out.push((COMMENT, end));
                let nl = self.newline_len(end);
                if nl == 0 {
                    return end;
                }
                out.push((NEWLINE, end + nl));
                p = end + nl;
            } else {
                return p;
            }
        }
    }

    /// Emits the literal text between `lit_start` and the current position as a WORD token.
    /// The position has already advanced; rewind to emit.
    fn flush_word(&mut self, lit_start: usize) {
        if self.pos > lit_start {
            let end = self.pos;
            self.pos = lit_start;
            self.token(WORD, end);
        }
    }

    /// End of a variable reference starting at `pos` (on a `$`), if one is there.
    fn variable_end(&self, pos: usize) -> Option<usize> {
        let b = self.bytes;
        match b.get(pos + 1) {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let mut i = pos + 2;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                Some(i)
            }
            Some(b'{') => {
                // Braces nest (`${A:-${B}}`); stop at the end of the logical line.
                let mut depth = 0usize;
                let mut i = pos + 1;
                while i < b.len() && self.newline_len(i) == 0 {
                    match b[i] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        _ if self.escaped_len(i).is_some() => {
                            i += 1;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                // Unclosed: the variable runs to the end of the word.
                Some(self.word_end(pos).max(pos + 2))
            }
            _ => None,
        }
    }

    /// A heredoc marker word: `[n]<<[-]["']NAME["']`. Returns false (consuming nothing) if the
    /// word at the current position is not one.
    fn try_heredoc_marker(&mut self) -> bool {
        if !matches!(self.peek(), Some(b'<' | b'0'..=b'9')) {
            return false;
        }
        let start = self.pos;
        let end = self.word_end(start);
        let word = &self.text[start..end];
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &word[digits..];
        if !rest.starts_with("<<") || rest.starts_with("<<<") {
            return false;
        }
        let mut name = &rest[2..];
        let strip_tabs = name.starts_with('-');
        if strip_tabs {
            name = &name[1..];
        }
        let unquoted: String = name.chars().filter(|c| *c != '"' && *c != '\'').collect();
        if unquoted.is_empty() {
            return false;
        }
        self.token(HEREDOC_MARKER, end);
        self.heredocs.push(PendingHeredoc {
            name: unquoted,
            strip_tabs,
            marker: range(start, end),
        });
        true
    }

    /// A shell-form command: everything to the end of the logical line.
    fn shell_command(&mut self, heredocs: bool) {
        self.builder.start_node(SHELL_COMMAND.into());
        let mut quote: Option<u8> = None;
        loop {
            self.trivia();
            if !self.at_word() {
                break;
            }
            // Heredoc markers are whole shell words, as in BuildKit.
            if heredocs && quote.is_none() && self.try_heredoc_marker() {
                continue;
            }
            let mut lit_start = self.pos;
            while self.at_word() {
                let b = self.bytes[self.pos];
                if let Some(len) = self.escaped_len(self.pos) {
                    self.pos += len;
                    continue;
                }
                if b == b'\'' || b == b'"' {
                    match quote {
                        None => quote = Some(b),
                        Some(q) if q == b => quote = None,
                        Some(_) => {}
                    }
                } else if b == b'$'
                    && quote != Some(b'\'')
                    && let Some(end) = self.variable_end(self.pos)
                {
                    self.flush_word(lit_start);
                    self.token(VARIABLE, end);
                    lit_start = self.pos;
                    continue;
                }
                self.pos += 1;
            }
            self.flush_word(lit_start);
        }
        self.builder.finish_node();
    }

    // ---- exec form -----------------------------------------------------------------------

    /// Scans an exec-form array at the current position. On success returns its tokens; the
    /// array must be followed only by trivia up to the end of the logical line.
    fn scan_json_array(&self) -> Option<Vec<(SyntaxKind, usize)>> {
        let mut out = Vec::new();
        let mut pos = self.pos;
        if self.bytes.get(pos) != Some(&b'[') {
            return None;
        }
        pos += 1;
        out.push((L_BRACK, pos));
        pos = self.scan_trivia(pos, &mut out);
        let mut expect_value = true;
        let mut first = true;
        loop {
            match self.bytes.get(pos) {
                Some(b']') if !expect_value || first => {
                    pos += 1;
                    out.push((R_BRACK, pos));
                    break;
                }
                Some(b'"') if expect_value => {
                    pos = self.json_string_end(pos)?;
                    out.push((STRING, pos));
                    expect_value = false;
                    first = false;
                }
                Some(b',') if !expect_value => {
                    pos += 1;
                    out.push((COMMA, pos));
                    expect_value = true;
                }
                _ => return None,
            }
            pos = self.scan_trivia(pos, &mut out);
        }
        pos = self.scan_trivia(pos, &mut out);
        let at_end = pos >= self.bytes.len() || self.newline_len(pos) > 0;
        at_end.then_some(out)
    }

    fn json_string_end(&self, start: usize) -> Option<usize> {
        let mut i = start + 1;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                b'\n' | b'\r' => return None,
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
        None
    }

    /// Emits an exec-form array if one is here. With `warn_malformed`, reports one that looks
    /// like JSON but is not (BuildKit runs it as a shell command); returns false so the caller
    /// parses the shell form.
    fn try_json_array(&mut self, warn_malformed: bool) -> bool {
        if self.peek() != Some(b'[') {
            return false;
        }
        if let Some(tokens) = self.scan_json_array() {
            self.builder.start_node(JSON_ARRAY.into());
            // Trailing trivia belongs to the instruction, not the array.
            let last_bracket = tokens.iter().rposition(|(k, _)| *k == R_BRACK).unwrap_or(0);
            for (kind, end) in &tokens[..=last_bracket] {
                self.token(*kind, *end);
            }
            self.builder.finish_node();
            for (kind, end) in &tokens[last_bracket + 1..] {
                self.token(*kind, *end);
            }
            return true;
        }
        // `[ -f x ]` is a shell test, not a broken array; only warn when it looks like JSON.
        let after = self.blank_run(self.pos + 1);
        let looks_like_json = matches!(self.bytes.get(after), Some(b'"' | b'\'' | b']') | None)
            || self.newline_len(after) > 0;
        if looks_like_json && warn_malformed {
            let end = self.logical_line_end(self.pos);
            self.error(
                codes::MALFORMED_EXEC_FORM,
                self.pos,
                end,
                validation::malformed_exec_form_message(&self.text[self.pos..end]),
            );
        }
        false
    }

    /// The end of the logical line from `pos`, trailing blanks excluded (for error ranges).
    fn logical_line_end(&self, mut pos: usize) -> usize {
        let mut last_non_blank = pos;
        while pos < self.bytes.len() && self.newline_len(pos) == 0 {
            if let Some(end) = self.continuation_end(pos) {
                let mut toks = Vec::new();
                pos = self.scan_trivia_tail(end, &mut toks);
                continue;
            }
            if self.bytes[pos] != b' ' && self.bytes[pos] != b'\t' {
                last_non_blank = pos + 1;
            }
            pos += 1;
        }
        last_non_blank
    }

    // ---- heredocs ------------------------------------------------------------------------

    /// After an instruction line that opened heredocs: their bodies, inside the instruction
    /// node. The instruction node was already finished, so the bodies are attached by
    /// re-opening it through a checkpoint-free approach: they are emitted as HEREDOC nodes in
    /// the root, directly after the instruction.
    fn heredoc_bodies(&mut self) {
        if self.heredocs.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.heredocs);
        for heredoc in pending {
            let nl = self.newline_len(self.pos);
            if nl == 0 {
                // The instruction line ended at the end of the file.
                self.error(
                    codes::UNTERMINATED_HEREDOC,
                    heredoc.marker.start().into(),
                    heredoc.marker.end().into(),
                    format!(
                        "heredoc `{}` is never closed: add a line `{}`",
                        heredoc.name, heredoc.name
                    ),
                );
                continue;
            }
            self.token(NEWLINE, self.pos + nl);
            self.builder.start_node(HEREDOC.into());
            let body_start = self.pos;
            let mut line_start = self.pos;
            let mut terminated = false;
            while line_start < self.bytes.len() {
                let end = self.line_end(line_start);
                let mut line = &self.text[line_start..end];
                if heredoc.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                if line == heredoc.name {
                    if line_start > body_start {
                        self.token(HEREDOC_BODY, line_start);
                    }
                    self.token(HEREDOC_END, end);
                    terminated = true;
                    break;
                }
                line_start = end + self.newline_len(end);
            }
            if !terminated {
                if self.bytes.len() > body_start {
                    self.token(HEREDOC_BODY, self.bytes.len());
                }
                self.error(
                    codes::UNTERMINATED_HEREDOC,
                    heredoc.marker.start().into(),
                    heredoc.marker.end().into(),
                    format!(
                        "heredoc `{}` is never closed: add a line `{}`",
                        heredoc.name, heredoc.name
                    ),
                );
            }
            self.builder.finish_node();
        }
    }
}

fn utf8_len(first_byte: u8) -> usize {
    match first_byte {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        _ => 1,
    }
}
