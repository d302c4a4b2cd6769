//! LegacyKeyValueFormat: `ENV key value` / `LABEL key value` instead of `key=value`.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags `ENV` and `LABEL` written in the old space-separated form, `ENV NAME value`,
    /// instead of `ENV NAME=value`.
    ///
    /// ## Why is this bad?
    /// In the old form everything after the name is one value, spaces included, so
    /// `ENV PATH /opt/bin:$PATH DEBUG 1` sets `PATH` to `/opt/bin:… DEBUG 1`. The `key=value`
    /// form says where each value ends, sets several variables in one instruction, and is
    /// the only form the Dockerfile reference still documents.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME /srv/app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/srv/app
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes `key=value` and keeps the value's meaning: a value with unquoted blanks
    /// is put in double quotes, or, when it already holds quotes or escapes, each unquoted
    /// blank is escaped. It is safe. It is not offered when the pair spans several lines or
    /// the key is quoted.
    ///
    /// ## References
    /// Matches BuildKit's LegacyKeyValueFormat check, decided for every stage rather than
    /// only for the stages a build reaches. ONBUILD's instruction is not checked, as in
    /// BuildKit.
    pub static LEGACY_KEY_VALUE_FORMAT = {
        code: "LegacyKeyValueFormat",
        name: "legacy-key-value-format",
        origin: BuildKit,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct LegacyKeyValueFormat;

impl Rule for LegacyKeyValueFormat {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if !matches!(
            instr.kind(),
            SyntaxKind::ENV_INSTR | SyntaxKind::LABEL_INSTR
        ) || ctx.in_onbuild
        {
            return;
        }
        let Some(pair) = instr.key_values().find(ast::KeyValue::is_legacy) else {
            return;
        };
        let keyword = instr.keyword_text().to_ascii_uppercase();
        let key = pair.key_node().map(|k| k.text()).unwrap_or_default();
        let mut diagnostic = Diagnostic::new(
            &LEGACY_KEY_VALUE_FORMAT,
            pair.syntax().text_range(),
            format!("`{keyword} {key} …` uses the legacy `key value` form"),
        );
        if let Some(edit) = fix(&pair, ctx.parse.escape_char()) {
            diagnostic = diagnostic.with_fix(Fix::safe(format!("Write `{key}=…`"), vec![edit]));
        }
        acc.push(diagnostic);
    }
}

/// Rewrites the blanks between key and value as `=`, and the value so that it stays one word.
fn fix(pair: &ast::KeyValue, escape: char) -> Option<Edit> {
    let has_trivia = pair.syntax().descendants_with_tokens().any(|e| {
        matches!(
            e.kind(),
            SyntaxKind::LINE_CONTINUATION | SyntaxKind::COMMENT | SyntaxKind::NEWLINE
        )
    });
    let key = pair.key_node()?;
    let value = pair.value_node()?;
    let key_text = key.text();
    if has_trivia || key_text.contains(['"', '\'']) {
        return None;
    }
    let raw = value.syntax().text().to_string();
    Some(Edit::replace(
        TextRange::new(key.range().end(), value.range().end()),
        format!("={}", one_word(&raw, escape)),
    ))
}

/// `raw` as a single `key=value` word with the same value: unchanged when no blank is
/// outside quotes, in double quotes when it has no quotes or escapes of its own, and with
/// each unquoted blank escaped otherwise.
fn one_word(raw: &str, escape: char) -> String {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut blank_at = Vec::new();
    for (idx, c) in raw.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, c) if c == escape => escaped = true,
            (Some('"'), '"') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ' ' | '\t') => blank_at.push(idx),
            (None, _) => {}
        }
    }
    if blank_at.is_empty() {
        return raw.to_string();
    }
    if !raw.contains(['"', '\'', escape]) {
        return format!("\"{raw}\"");
    }
    let mut out = String::with_capacity(raw.len() + blank_at.len());
    for (idx, c) in raw.char_indices() {
        if blank_at.contains(&idx) {
            out.push(escape);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::one_word;
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn legacy_pairs() {
        check_ranges(
            "FROM a:1\nENV A b\nLABEL version 1.0\n",
            &[
                ("LegacyKeyValueFormat", "A b"),
                ("LegacyKeyValueFormat", "version 1.0"),
            ],
        );
        check_ranges(
            "FROM a:1\nENV A b c\n",
            &[("LegacyKeyValueFormat", "A b c")],
        );
    }

    #[test]
    fn no_fix_across_lines() {
        let text = "FROM a:1\nENV A b \\\n  c\n";
        let diagnostics = crate::diagnostics::lint(
            &crate::syntax::parse(text),
            &crate::config::Config::default(),
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "LegacyKeyValueFormat");
        assert!(diagnostics[0].fix.is_none());
    }

    #[test]
    fn near_misses() {
        check_codes("FROM a:1\nENV A=b C=\"d e\"\nLABEL x=y\n", &[]);
        check_codes("FROM a:1\nARG A\nARG B=1\n", &[]);
        check_codes("FROM a:1\nONBUILD ENV A b\n", &[]);
    }

    #[test]
    fn values_stay_one_word() {
        assert_eq!(one_word("/srv/app", '\\'), "/srv/app");
        assert_eq!(one_word("\"a b\"", '\\'), "\"a b\"");
        assert_eq!(one_word("a b  c", '\\'), "\"a b  c\"");
        assert_eq!(one_word("$HOME/x y", '\\'), "\"$HOME/x y\"");
        assert_eq!(one_word("a \"x y\" z", '\\'), "a\\ \"x y\"\\ z");
        // An unclosed quote runs to the end, so there is nothing unquoted to escape.
        assert_eq!(one_word("it's x", '\\'), "it's x");
        assert_eq!(one_word("a\\ b c", '\\'), "a\\ b\\ c");
        assert_eq!(one_word("a` b c", '`'), "a` b` c");
    }

    #[test]
    fn fix() {
        check_fix(
            "FROM a:1\nENV A b\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nENV A=b\n",
        );
        check_fix(
            "FROM a:1\nLABEL description  A small image\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nLABEL description=\"A small image\"\n",
        );
        check_fix(
            "FROM a:1\nENV JAVA_OPTS -Dfoo=bar -Xmx1g\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nENV JAVA_OPTS=\"-Dfoo=bar -Xmx1g\"\n",
        );
        check_fix(
            "FROM a:1\nLABEL maintainer \"Jane Doe <jane@example.com>\"\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nLABEL maintainer=\"Jane Doe <jane@example.com>\"\n",
        );
        check_fix(
            "FROM a:1\nENV PATH /opt/bin:$PATH\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nENV PATH=/opt/bin:$PATH\n",
        );
        check_fix(
            "FROM a:1\nENV MSG \"hello world\"\n",
            "LegacyKeyValueFormat",
            "FROM a:1\nENV MSG=\"hello world\"\n",
        );
    }
}
