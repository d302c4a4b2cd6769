//! Shell analysis of RUN commands with `tree-sitter-bash`.
//!
//! A [`Script`] is the text the shell receives (continuations and comment lines removed, or a
//! heredoc body) plus a map from script offsets back to document offsets, so that rules can
//! point at the exact word in the Dockerfile. [`Script::commands`] finds every simple command
//! wherever it sits: after `&&`, `||`, `;` or `|`, in subshells, `$( )`, `if`/`for`/`case`/
//! `while` bodies and functions. tree-sitter always returns a tree, so a script broken mid-typing
//! still yields the commands that parsed.
//!
//! It does not know what any command means (that is for rules), nor which shell runs the
//! script (the semantic model decides whether POSIX analysis applies). [`shellcheck`] builds
//! the scripts ShellCheck is given and maps its findings back, without running it.

pub mod shellcheck;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use rowan::{TextRange, TextSize};

use crate::syntax::SyntaxKind::*;
use crate::syntax::ast::{self, AstNode};

/// A piece of the script copied verbatim from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    script_start: u32,
    doc_start: u32,
    len: u32,
}

/// A shell script extracted from an instruction, with its analysis.
pub struct Script {
    text: String,
    segments: Vec<Segment>,
    analysis: Rc<Analysis>,
}

/// What the shell parse found, in script offsets. Shared through a cache keyed by the script
/// text, so re-linting a file after a keystroke re-parses only the RUN that changed.
#[derive(Debug, Default)]
struct Analysis {
    commands: Vec<RelCommand>,
    pipes: Vec<(usize, usize)>,
    has_errors: bool,
    /// The commands mapped to the document, by the segments they were asked for: a RUN that
    /// did not move since the previous keystroke gets them without any work. A few entries,
    /// since identical RUNs at several places share one analysis.
    mapped: RefCell<Vec<MappedCommands>>,
}

/// Commands mapped to the document for one placement (segments) of a script.
type MappedCommands = (Vec<Segment>, Rc<Vec<Command>>);

#[derive(Debug)]
struct RelWord {
    text: String,
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct RelCommand {
    name: RelWord,
    args: Vec<RelWord>,
    start: usize,
    end: usize,
}

/// One word of a command: as the shell sees it after quote removal (`text`), as written
/// (`raw`), and where it is in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub raw: String,
    pub range: TextRange,
}

/// A simple command: its name and arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub name: Word,
    pub args: Vec<Word>,
    /// The whole command, name to last argument or redirect.
    pub range: TextRange,
}

impl Command {
    /// Whether any argument equals `flag` exactly.
    pub fn has_arg(&self, flag: &str) -> bool {
        self.args.iter().any(|a| a.text == flag)
    }

    /// The command's basename: `/usr/bin/apt-get` → `apt-get`.
    pub fn program(&self) -> &str {
        self.name.text.rsplit('/').next().unwrap_or(&self.name.text)
    }
}

thread_local! {
    static PARSER: RefCell<Option<tree_sitter::Parser>> = const { RefCell::new(None) };
    static CACHE: RefCell<AnalysisCache> = RefCell::new(AnalysisCache::default());
}

/// Analyses by script text. Bounded by the total text it holds; when full it starts afresh,
/// which costs one re-parse of each script.
#[derive(Default)]
struct AnalysisCache {
    entries: HashMap<String, Rc<Analysis>, BuildHasherDefault<FxHasher>>,
    bytes: usize,
}

/// The multiply-rotate hash of rustc (FxHash): script texts are hashed on every keystroke for
/// every RUN, and SipHash's DoS resistance buys nothing for a local cache.
#[derive(Default)]
struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.hash = (self.hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

const CACHE_MAX_BYTES: usize = 4 << 20;
/// Placements of one script text whose mapped commands are kept.
const MAPPED_PER_SCRIPT: usize = 16;

fn analyse_cached(text: &str) -> Rc<Analysis> {
    if let Some(hit) = CACHE.with(|c| c.borrow().entries.get(text).cloned()) {
        return hit;
    }
    let analysis = Rc::new(analyse(text));
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.bytes + text.len() > CACHE_MAX_BYTES {
            cache.entries.clear();
            cache.bytes = 0;
        }
        cache.bytes += text.len();
        cache.entries.insert(text.to_string(), analysis.clone());
    });
    analysis
}

fn parse_bash(text: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&tree_sitter_bash::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// One walk over the bash tree: every simple command and every pipe operator.
fn analyse(text: &str) -> Analysis {
    let Some(tree) = parse_bash(text) else {
        return Analysis {
            has_errors: true,
            ..Analysis::default()
        };
    };
    let root = tree.root_node();
    let mut analysis = Analysis {
        has_errors: root.has_error(),
        ..Analysis::default()
    };
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        match node.kind() {
            "command" => {
                if let Some(command) = rel_command(text, node) {
                    analysis.commands.push(command);
                }
            }
            // `export X=1`, `readonly`, `local`, `declare`, `typeset` are builtins too: a
            // command named after the keyword, its assignments and words as arguments.
            "declaration_command" => {
                if let Some(keyword) = node.child(0).filter(|k| k.start_byte() < k.end_byte()) {
                    let mut cursor = node.walk();
                    let args = node
                        .named_children(&mut cursor)
                        .map(|n| rel_word(text, n))
                        .collect();
                    analysis.commands.push(RelCommand {
                        name: RelWord {
                            text: text
                                .get(keyword.start_byte()..keyword.end_byte())
                                .unwrap_or("")
                                .to_string(),
                            start: keyword.start_byte(),
                            end: keyword.end_byte(),
                        },
                        args,
                        start: node.start_byte(),
                        end: node.end_byte(),
                    });
                }
            }
            "|" | "|&" if node.parent().is_some_and(|p| p.kind() == "pipeline") => {
                analysis.pipes.push((node.start_byte(), node.end_byte()));
            }
            _ => {}
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    analysis.commands.sort_by_key(|c| c.start);
    analysis.pipes.sort_unstable();
    analysis
}

fn rel_command(text: &str, node: tree_sitter::Node) -> Option<RelCommand> {
    let name_node = node.child_by_field_name("name")?;
    // tree-sitter inserts zero-width "missing" nodes where the script is cut short.
    if name_node.is_missing() || name_node.start_byte() == name_node.end_byte() {
        return None;
    }
    let mut cursor = node.walk();
    let args = node
        .children_by_field_name("argument", &mut cursor)
        .map(|n| rel_word(text, n))
        .collect();
    Some(RelCommand {
        name: rel_word(text, name_node),
        args,
        start: node.start_byte(),
        end: node.end_byte(),
    })
}

fn rel_word(text: &str, node: tree_sitter::Node) -> RelWord {
    RelWord {
        text: unquoted(text, node),
        start: node.start_byte(),
        end: node.end_byte(),
    }
}

/// The word after quote removal; expansions are kept as written.
fn unquoted(text: &str, node: tree_sitter::Node) -> String {
    let raw = text.get(node.start_byte()..node.end_byte()).unwrap_or("");
    match node.kind() {
        "raw_string" => raw
            .trim_start_matches('\'')
            .trim_end_matches('\'')
            .to_string(),
        "ansi_c_string" => raw
            .trim_start_matches("$'")
            .trim_end_matches('\'')
            .to_string(),
        "string" => {
            let inner = raw.strip_prefix('"').unwrap_or(raw);
            inner
                .strip_suffix('"')
                .unwrap_or(inner)
                .replace("\\\"", "\"")
        }
        "concatenation" | "command_name" => {
            let mut cursor = node.walk();
            let children: Vec<_> = node.children(&mut cursor).collect();
            if children.is_empty() {
                return unescape_word(raw);
            }
            let mut out = String::new();
            let mut last_end = node.start_byte();
            for child in children {
                // Text between children (rare) is kept verbatim.
                if child.start_byte() > last_end {
                    out.push_str(text.get(last_end..child.start_byte()).unwrap_or(""));
                }
                out.push_str(&unquoted(text, child));
                last_end = child.end_byte();
            }
            out
        }
        "word" => unescape_word(raw),
        _ => raw.to_string(),
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

impl Script {
    /// The script of a shell-form RUN (or CMD/ENTRYPOINT); `None` for the exec form.
    ///
    /// With heredocs, the script is the heredoc body when the command line is only the heredoc
    /// marker or runs a POSIX shell on it (`bash <<EOF`); otherwise the heredoc is data for
    /// the command (`cat <<EOF > file`) and the script is the command line.
    pub fn from_instruction(instr: &ast::Instruction) -> Option<Script> {
        Script::build(instr, false)
    }

    /// Everything the shell reads for a shell-form instruction, for tools that check a whole
    /// script (ShellCheck): as [`Script::from_instruction`], except that heredocs which are
    /// data for the command line (`cat <<EOF > file`) follow it, bodies and terminators, as
    /// BuildKit hands them to the shell. `None` for the exec form.
    pub fn shell_input(instr: &ast::Instruction) -> Option<Script> {
        Script::build(instr, true)
    }

    fn build(instr: &ast::Instruction, with_data_heredocs: bool) -> Option<Script> {
        let command = instr.shell_command()?;
        let mut builder = ScriptBuilder::default();
        // Walk the green tree: no cursor allocation per token on the keystroke path.
        let mut offset = command.syntax().text_range().start();
        for child in command.syntax().green().children() {
            let len = child.text_len();
            if let rowan::NodeOrToken::Token(token) = child {
                let kind = <crate::syntax::kind::DockerfileLang as rowan::Language>::kind_from_raw(
                    token.kind(),
                );
                if !matches!(kind, LINE_CONTINUATION | COMMENT | NEWLINE) {
                    builder.push(token.text(), offset);
                }
            }
            offset += len;
        }
        if let Some(heredoc) = instr.heredocs().next() {
            let words = command.words();
            let runs_body = match words.as_slice() {
                [(only, _)] => {
                    only.starts_with("<<")
                        || only
                            .trim_start_matches(|c: char| c.is_ascii_digit())
                            .starts_with("<<")
                }
                [(first, _), .., (last, _)] => {
                    let program = first.rsplit('/').next().unwrap_or(first);
                    SHELLS.contains(&program) && last.starts_with("<<")
                }
                [] => false,
            };
            let body_token = heredoc
                .syntax()
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == HEREDOC_BODY);
            let shebang_other =
                heredoc.body().starts_with("#!") && !is_posix_shebang(&heredoc.body());
            if runs_body && !shebang_other {
                let mut body_builder = ScriptBuilder::default();
                if let Some(token) = body_token {
                    body_builder.push(token.text(), token.text_range().start());
                }
                return Some(body_builder.finish());
            }
            if with_data_heredocs {
                // The newlines and heredocs after the command line, in document order.
                for element in instr
                    .syntax()
                    .children_with_tokens()
                    .skip_while(|e| e.kind() != SHELL_COMMAND)
                    .skip(1)
                {
                    match element {
                        rowan::NodeOrToken::Token(token) if token.kind() == NEWLINE => {
                            builder.push(token.text(), token.text_range().start());
                        }
                        rowan::NodeOrToken::Node(node) if node.kind() == HEREDOC => {
                            for token in node.children_with_tokens().filter_map(|e| e.into_token())
                            {
                                builder.push(token.text(), token.text_range().start());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Some(builder.finish())
    }

    /// A script from plain text placed at `doc_offset` in the document (tests, hover).
    pub fn from_text(text: &str, doc_offset: TextSize) -> Script {
        let mut builder = ScriptBuilder::default();
        builder.push(text, doc_offset);
        builder.finish()
    }

    /// The script as the shell receives it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the shell parse found errors (the script is broken or half-typed).
    pub fn has_errors(&self) -> bool {
        self.analysis.has_errors
    }

    /// The document range of a script range. Ends are mapped as exclusive ends, so a range that
    /// spans a removed continuation covers it.
    pub fn to_document(&self, start: usize, end: usize) -> TextRange {
        let doc_start = self.map_offset(start, false);
        let doc_end = self.map_offset(end, true).max(doc_start);
        TextRange::new(doc_start, doc_end)
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> TextSize {
        let offset = offset as u32;
        // The last segment starting at (or, for an end, before) the offset.
        let idx = self.segments.partition_point(|s| {
            if is_end {
                s.script_start < offset
            } else {
                s.script_start <= offset
            }
        });
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(seg) => TextSize::new(seg.doc_start + (offset - seg.script_start).min(seg.len)),
            None => self
                .segments
                .first()
                .map_or(TextSize::new(0), |s| TextSize::new(s.doc_start)),
        }
    }

    /// Every simple command, in source order, with document ranges.
    pub fn commands(&self) -> Rc<Vec<Command>> {
        if let Some((_, commands)) = self
            .analysis
            .mapped
            .borrow()
            .iter()
            .find(|(segments, _)| *segments == self.segments)
        {
            return commands.clone();
        }
        let commands: Rc<Vec<Command>> = Rc::new(
            self.analysis
                .commands
                .iter()
                .map(|c| Command {
                    name: self.word(&c.name),
                    args: c.args.iter().map(|w| self.word(w)).collect(),
                    range: self.to_document(c.start, c.end),
                })
                .collect(),
        );
        let mut mapped = self.analysis.mapped.borrow_mut();
        if mapped.len() >= MAPPED_PER_SCRIPT {
            mapped.remove(0);
        }
        mapped.push((self.segments.clone(), commands.clone()));
        commands
    }

    /// The document ranges of the `|` (and `|&`) operators of every pipeline, in order.
    pub fn pipe_operators(&self) -> Vec<TextRange> {
        self.analysis
            .pipes
            .iter()
            .map(|(s, e)| self.to_document(*s, *e))
            .collect()
    }

    fn word(&self, word: &RelWord) -> Word {
        Word {
            text: word.text.clone(),
            raw: self
                .text
                .get(word.start..word.end)
                .unwrap_or("")
                .to_string(),
            range: self.to_document(word.start, word.end),
        }
    }
}

fn unescape_word(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a heredoc body's `#!` line names a POSIX shell (directly or through `env`).
pub fn is_posix_shebang(body: &str) -> bool {
    let first = body.lines().next().unwrap_or("");
    let interpreter = first.trim_start_matches("#!").trim();
    let mut parts = interpreter.split_whitespace();
    let mut program = parts.next().unwrap_or("");
    if program.ends_with("/env") {
        program = parts.next().unwrap_or("");
    }
    let name = program.rsplit('/').next().unwrap_or(program);
    SHELLS.contains(&name)
}

#[derive(Default)]
struct ScriptBuilder {
    text: String,
    segments: Vec<Segment>,
}

impl ScriptBuilder {
    fn push(&mut self, text: &str, doc_start: TextSize) {
        if text.is_empty() {
            return;
        }
        let script_start = self.text.len() as u32;
        let len = text.len() as u32;
        // Merge with the previous segment when the document text is contiguous.
        if let Some(last) = self.segments.last_mut()
            && last.script_start + last.len == script_start
            && last.doc_start + last.len == u32::from(doc_start)
        {
            last.len += len;
        } else {
            self.segments.push(Segment {
                script_start,
                doc_start: doc_start.into(),
                len,
            });
        }
        self.text.push_str(text);
    }

    fn finish(self) -> Script {
        let analysis = analyse_cached(&self.text);
        Script {
            text: self.text,
            segments: self.segments,
            analysis,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn run_script(dockerfile: &str) -> (String, Script) {
        let parse = parse(dockerfile);
        let instr = parse
            .tree()
            .instructions()
            .find(|i| i.kind() == RUN_INSTR)
            .expect("a RUN instruction");
        (
            dockerfile.to_string(),
            Script::from_instruction(&instr).expect("shell form"),
        )
    }

    fn names(script: &Script) -> Vec<String> {
        script
            .commands()
            .iter()
            .map(|c| c.name.text.clone())
            .collect()
    }

    #[test]
    fn finds_commands_everywhere() {
        let (_, script) = run_script(
            "RUN a && b || c; d | e && (f) && echo $(g) && if h; then i; fi && for x in 1; do j; done && case y in z) k;; esac\n",
        );
        assert_eq!(
            names(&script),
            [
                "a", "b", "c", "d", "e", "f", "echo", "g", "h", "i", "j", "k"
            ]
        );
    }

    #[test]
    fn maps_words_back_through_continuations() {
        let text =
            "RUN apt-get update \\\n    # a comment\n    && apt-get install -y \\\n        curl\n";
        let (doc, script) = run_script(text);
        assert!(!script.text().contains('\\'), "{}", script.text());
        let commands = script.commands();
        assert_eq!(commands.len(), 2);
        let install = &commands[1];
        assert_eq!(install.program(), "apt-get");
        let curl = install.args.last().unwrap();
        assert_eq!(curl.text, "curl");
        assert_eq!(&doc[curl.range], "curl");
        assert_eq!(&doc[install.name.range], "apt-get");
        assert!(
            doc[install.range].starts_with("apt-get install")
                && doc[install.range].ends_with("curl")
        );
    }

    #[test]
    fn unquotes_words() {
        let (_, script) = run_script("RUN pip install \"flask==2.0\" 'x y' a\\ b pre\"fix\"\n");
        let args: Vec<String> = script.commands()[0]
            .args
            .iter()
            .map(|a| a.text.clone())
            .collect();
        assert_eq!(args, ["install", "flask==2.0", "x y", "a b", "prefix"]);
    }

    #[test]
    fn heredoc_bodies_are_scripts_when_a_shell_runs_them() {
        let (doc, script) = run_script("RUN <<EOF\napt-get update\nsudo rm -rf /x\nEOF\n");
        assert_eq!(names(&script), ["apt-get", "sudo"]);
        let sudo = &script.commands()[1];
        assert_eq!(&doc[sudo.name.range], "sudo");
        let (_, script) = run_script("RUN bash -e <<EOF\ncd /x\nEOF\n");
        assert_eq!(names(&script), ["cd"]);
        let (_, script) = run_script("RUN cat <<EOF > /etc/motd\nrm -rf /\nEOF\n");
        assert_eq!(names(&script), ["cat"]);
        let (_, script) = run_script("RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n");
        assert!(names(&script).is_empty());
    }

    #[test]
    fn broken_scripts_still_yield_commands() {
        let (_, script) = run_script("RUN apt-get update && \n");
        assert_eq!(names(&script), ["apt-get"]);
        let (_, script) = run_script("RUN if true; then apt-get install x\n");
        assert!(
            names(&script).contains(&"apt-get".to_string()),
            "{:?}",
            names(&script)
        );
        assert!(script.has_errors());
    }

    #[test]
    fn pipes() {
        let (doc, script) = run_script("RUN curl -s x | tar -xz && echo '|' && (a | b)\n");
        let pipes = script.pipe_operators();
        assert_eq!(pipes.len(), 2);
        assert!(pipes.iter().all(|r| &doc[*r] == "|"));
    }

    #[test]
    fn exec_form_has_no_script() {
        let parse = parse("RUN [\"apt-get\", \"update\"]\n");
        let instr = parse.tree().instructions().next().unwrap();
        assert!(Script::from_instruction(&instr).is_none());
    }
}
