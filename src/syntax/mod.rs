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
}

impl Parse {
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile::cast_unchecked(self.syntax())
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
    let tree = ast::SourceFile::cast_unchecked(SyntaxNode::new_root(out.green.clone()));
    validation::validate(&tree, &mut errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse {
        green: out.green,
        errors,
        escape: out.escape,
    }
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
