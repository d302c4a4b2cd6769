//! Dockerfile syntax: a lossless, error-tolerant concrete syntax tree on `rowan`.
//!
//! [`parse`] never fails: for any input it returns a tree whose text is exactly the input, plus
//! the errors it recovered from. Typed views over the tree live in [`ast`]. This module knows
//! nothing of rules, stages or the protocol.

pub mod ast;
pub mod kind;
mod parser;
pub mod validation;

use std::fmt::Write;
use std::sync::Arc;

use rowan::{GreenNode, TextRange};

pub use kind::{SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub(crate) use parser::directive_parts;

use crate::syntax::ast::AstNode;

/// An error found while parsing, under a stable `LW0xxx` code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: &'static str,
    pub range: TextRange,
    pub message: String,
}

/// A parsed file: the green tree (cheap to clone, shareable across threads) and its errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
    escape: char,
    /// The parsed text, kept so callers need not rebuild it from the tree (a full walk).
    text: Arc<str>,
}

impl Parse {
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile::cast_unchecked(self.syntax())
    }

    /// The parsed text; equal to `self.syntax().text()`, without walking the tree.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The escape character in force (`\` unless `# escape=` says otherwise).
    pub fn escape_char(&self) -> char {
        self.escape
    }

    pub fn green(&self) -> &GreenNode {
        &self.green
    }
}

/// Parses a Dockerfile. Never fails; `parse(text).syntax().text() == text` for every input.
pub fn parse(text: &str) -> Parse {
    // rowan addresses text with u32 offsets; larger inputs are cut off and reported rather
    // than overflowing. 4 GiB Dockerfiles do not exist in practice.
    let text = if text.len() > u32::MAX as usize / 2 {
        &text[..floor_char_boundary(text, u32::MAX as usize / 2)]
    } else {
        text
    };
    let out = parser::parse_text(text);
    let mut errors = out.errors;
    validation::validate(&out.green, out.escape, &mut errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse {
        green: out.green,
        errors,
        escape: out.escape,
        text: Arc::from(text),
    }
}

/// The text of a node, read from the green tree without cursor allocations (much faster than
/// `node.to_string()` for a whole file).
pub fn text_of(node: &SyntaxNode) -> String {
    fn push(out: &mut String, node: &rowan::GreenNodeData) {
        for child in node.children() {
            match child {
                rowan::NodeOrToken::Node(n) => push(out, n),
                rowan::NodeOrToken::Token(t) => out.push_str(t.text()),
            }
        }
    }
    let mut out = String::with_capacity(usize::from(node.text_range().len()));
    push(&mut out, node.green());
    out
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    while idx > 0 && !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

/// A readable dump of the tree: one line per node or token with its range, used by the parser
/// fixtures (`*.tree`).
pub fn debug_dump(node: &SyntaxNode) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for event in node.preorder_with_tokens() {
        match event {
            rowan::WalkEvent::Enter(element) => {
                let range = element.text_range();
                let _ = write!(
                    out,
                    "{:indent$}{:?}@{}..{}",
                    "",
                    element.kind(),
                    u32::from(range.start()),
                    u32::from(range.end()),
                    indent = depth * 2
                );
                if let rowan::NodeOrToken::Token(token) = &element {
                    let _ = write!(out, " {:?}", token.text());
                }
                out.push('\n');
                depth += 1;
            }
            rowan::WalkEvent::Leave(_) => depth -= 1,
        }
    }
    out
}
