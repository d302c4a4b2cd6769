//! Diagnostics and fixes, and [`lint`]: parse errors plus every enabled rule in one traversal,
//! then configuration and suppression applied once.
//!
//! Ranges are byte offsets into the document; converting them to lines and columns in any
//! encoding is the adapters' job. Nothing here prints or knows the protocol.

use rowan::{TextRange, TextSize};

use crate::config::Config;
use crate::rules::registry::{self, RULES};
use crate::rules::{Rule, RuleCtx, RuleMeta, Severity};
use crate::semantic::Model;
use crate::shell::Script;
use crate::syntax::{Parse, SyntaxKind};

/// A finding: a rule's code, where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
    /// Other places that explain this finding (the COPY a later chown duplicates).
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A finding with the rule's default severity and no fix.
    pub fn new(
        meta: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: meta.code,
            severity: meta.default_severity,
            range,
            message: message.into(),
            fix: None,
            related: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    /// The rule that produced this finding.
    pub fn meta(&self) -> Option<&'static RuleMeta> {
        registry::find(self.code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

/// A text replacement. Edits of one fix never overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(offset: TextSize, new_text: impl Into<String>) -> Edit {
        Edit {
            range: TextRange::empty(offset),
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit {
            range,
            new_text: String::new(),
        }
    }
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the image's meaning; applied by fix-all.
    Safe,
    /// May change what the image contains or how it behaves; applied on request only.
    Unsafe,
    /// Shown as a suggestion, never applied automatically.
    DisplayOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The remedy, imperative: "Add `--no-install-recommends`".
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// Applies non-overlapping edits to `text`. Edits are sorted first; an edit that overlaps an
/// earlier one or falls outside the text (or off a character boundary) is skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in sorted {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        if start < last
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(&edit.new_text);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Runs everything on a parsed file: syntax errors, then all enabled rules in one traversal,
/// then severity overrides and suppression. Sorted by position.
pub fn lint(parse: &Parse, config: &Config) -> Vec<Diagnostic> {
    let model = Model::new(&parse.tree());
    lint_with_model(parse, &model, config)
}

pub fn lint_with_model(parse: &Parse, model: &Model, config: &Config) -> Vec<Diagnostic> {
    let mut acc = Vec::new();
    for error in parse.errors() {
        if let Some(meta) = registry::find(error.code) {
            acc.push(Diagnostic::new(meta, error.range, error.message.clone()));
        }
    }

    let mut rules: Vec<Box<dyn Rule>> = RULES
        .iter()
        .filter(|entry| config.is_enabled(entry.meta))
        .filter_map(|entry| entry.new.map(|new| new()))
        .collect();
    let mut ctx = RuleCtx {
        parse,
        options: &config.rule_options,
        model,
        stage_idx: None,
        in_onbuild: false,
        script: None,
        commands: Vec::new(),
        posix_shell: true,
    };
    let tree = parse.tree();
    for instr in tree.instructions() {
        if instr.kind() == SyntaxKind::FROM_INSTR {
            ctx.stage_idx = Some(ctx.stage_idx.map_or(0, |i| i + 1));
        }
        ctx.in_onbuild = false;
        set_script(&mut ctx, &instr);
        for rule in &mut rules {
            rule.check(&mut acc, &ctx, &instr);
        }
        if instr.kind() == SyntaxKind::ONBUILD_INSTR
            && let Some(nested) = instr.nested()
        {
            ctx.in_onbuild = true;
            set_script(&mut ctx, &nested);
            for rule in &mut rules {
                rule.check(&mut acc, &ctx, &nested);
            }
        }
    }
    ctx.in_onbuild = false;
    ctx.script = None;
    ctx.commands.clear();
    for rule in &mut rules {
        rule.finish(&mut acc, &ctx);
    }

    // Configuration and suppression, in exactly one place.
    acc.retain(|d| d.meta().is_some_and(|meta| config.is_enabled(meta)));
    for d in &mut acc {
        d.severity = config.severity_for(d.code, d.severity);
    }
    if !config.disable_ignore_pragma {
        acc.retain(|d| !is_suppressed(d, model));
    }
    acc.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code).cmp(&(b.range.start(), b.range.end(), b.code))
    });
    acc.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
    acc
}

/// Parses the shell script of a RUN once, for every rule to share.
fn set_script(ctx: &mut RuleCtx, instr: &crate::syntax::ast::Instruction) {
    use crate::syntax::ast::AstNode;
    // PowerShell and cmd scripts are read with the POSIX grammar too (simple commands such as
    // `pip install x` look the same), but rules about POSIX semantics check `posix_shell`.
    ctx.posix_shell = ctx
        .model
        .is_posix_shell_at(instr.syntax().text_range().start());
    ctx.script = match instr.kind() {
        SyntaxKind::RUN_INSTR => Script::from_instruction(instr),
        _ => None,
    };
    ctx.commands = ctx
        .script
        .as_ref()
        .map(Script::commands)
        .unwrap_or_default();
}

fn is_suppressed(d: &Diagnostic, model: &Model) -> bool {
    let aliases = d.meta().map_or(&[][..], |m| m.aliases);
    model.pragmas.iter().any(|p| {
        std::iter::once(d.code)
            .chain(aliases.iter().copied())
            .any(|code| p.covers(code, d.range))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_edits_skips_overlaps() {
        let r = |a: u32, b: u32| TextRange::new(a.into(), b.into());
        let text = "hello world";
        let out = apply_edits(
            text,
            &[
                Edit::replace(r(6, 11), "there"),
                Edit::insert(0.into(), ">> "),
                Edit::delete(r(7, 9)),
            ],
        );
        assert_eq!(out, ">> hello there");
    }
}
