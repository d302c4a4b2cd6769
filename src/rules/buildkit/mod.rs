//! BuildKit's build checks, under BuildKit's names, one check per file.
//!
//! Checks that flag the same thing as a hadolint rule are not here: they are DL rules that
//! carry the BuildKit name as an alias (DuplicateStageName is DL3024, JSONArgsRecommended is
//! DL3025…). WorkdirRelativePath is here but is merged into DL3000 where both report the same
//! WORKDIR. BuildKit decides a few checks while building (only for the stages it builds);
//! these rules decide everything from the file, for every stage.

mod consistent_instruction_casing;
mod copy_ignored_file;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_as_casing;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod legacy_key_value_format;
mod no_empty_continuation;
mod stage_name_casing;
mod undefined_arg_in_from;
mod undefined_var;
mod workdir_relative_path;

pub use consistent_instruction_casing::{
    CONSISTENT_INSTRUCTION_CASING, ConsistentInstructionCasing,
};
pub use copy_ignored_file::{COPY_IGNORED_FILE, CopyIgnoredFile};
pub use expose_invalid_format::{EXPOSE_INVALID_FORMAT, ExposeInvalidFormat};
pub use expose_proto_casing::{EXPOSE_PROTO_CASING, ExposeProtoCasing};
pub use from_as_casing::{FROM_AS_CASING, FromAsCasing};
pub use invalid_default_arg_in_from::{INVALID_DEFAULT_ARG_IN_FROM, InvalidDefaultArgInFrom};
pub use invalid_definition_description::{
    INVALID_DEFINITION_DESCRIPTION, InvalidDefinitionDescription,
};
pub use legacy_key_value_format::{LEGACY_KEY_VALUE_FORMAT, LegacyKeyValueFormat};
pub use no_empty_continuation::{NO_EMPTY_CONTINUATION, NoEmptyContinuation};
pub use stage_name_casing::{STAGE_NAME_CASING, StageNameCasing};
pub use undefined_arg_in_from::{UNDEFINED_ARG_IN_FROM, UndefinedArgInFrom};
pub use undefined_var::{UNDEFINED_VAR, UndefinedVar};
pub use workdir_relative_path::{WORKDIR_RELATIVE_PATH, WorkdirRelativePath};

use rowan::{TextRange, TextSize};

use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

/// How a word is cased, as BuildKit tells casings apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Casing {
    Lower,
    Upper,
    Mixed,
}

impl Casing {
    fn of(word: &str) -> Casing {
        if word == word.to_lowercase() {
            Casing::Lower
        } else if word == word.to_uppercase() {
            Casing::Upper
        } else {
            Casing::Mixed
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Casing::Lower => "lower case",
            Casing::Upper => "upper case",
            Casing::Mixed => "mixed case",
        }
    }
}

/// One EXPOSE argument read as BuildKit reads a port spec, `[[ip:]host:]port[/proto]`, from
/// the literal text only: a variable stands for an unknown value that is assumed to hold no
/// `:` or `/`, and quotes are dropped as the shell-like word processing drops them.
#[derive(Debug)]
struct PortSpec {
    /// The argument as written.
    text: String,
    /// The literal characters with their offsets; a variable is one [`VARIABLE_MARK`].
    chars: Vec<(char, TextSize)>,
    /// The argument holds quotes or line continuations, so the characters are not one
    /// contiguous run of the source.
    scattered: bool,
}

/// Stands for a variable inside [`PortSpec::chars`].
const VARIABLE_MARK: char = '\u{1}';

impl PortSpec {
    fn new(arg: &ast::Argument) -> PortSpec {
        let mut chars = Vec::new();
        let mut scattered = false;
        for token in arg
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            let start = token.text_range().start();
            match token.kind() {
                SyntaxKind::VARIABLE => chars.push((VARIABLE_MARK, start)),
                kind if kind.is_trivia() => scattered = true,
                _ => {
                    for (idx, c) in token.text().char_indices() {
                        if matches!(c, '"' | '\'') {
                            scattered = true;
                            continue;
                        }
                        chars.push((c, start + TextSize::new(idx as u32)));
                    }
                }
            }
        }
        PortSpec {
            text: arg.text(),
            chars,
            scattered,
        }
    }

    /// The index in `chars` where the container part starts (after the last `:`), and
    /// whether there was a `:` at all.
    fn container_start(&self) -> Option<usize> {
        self.chars
            .iter()
            .rposition(|(c, _)| *c == ':')
            .map(|idx| idx + 1)
    }

    /// The container part: `80/tcp` of `127.0.0.1:8080:80/tcp`.
    fn container(&self) -> &[(char, TextSize)] {
        &self.chars[self.container_start().unwrap_or(0)..]
    }

    /// The protocol after the container port's `/`, with its range in the source when it is
    /// literal text; `None` without a protocol or when a variable is part of it.
    fn protocol(&self) -> Option<(String, TextRange)> {
        let container = self.container();
        let slash = container.iter().position(|(c, _)| *c == '/')?;
        let proto = &container[slash + 1..];
        let (first, last) = (proto.first()?, proto.last()?);
        if proto.iter().any(|(c, _)| *c == VARIABLE_MARK) {
            return None;
        }
        let text: String = proto.iter().map(|(c, _)| *c).collect();
        let end = last.1 + TextSize::of(last.0);
        Some((text, TextRange::new(first.1, end)))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::lint_with;
    use crate::rules::Origin;
    use crate::rules::registry::RULES;
    use crate::semantic::context::ContextIndex;
    use crate::syntax::parse;

    /// The first ```dockerfile block after `marker` in a rule's docs.
    fn block_after(docs: &str, marker: &str) -> Option<String> {
        let rest = &docs[docs.find(marker)?..];
        let start = rest.find("```dockerfile\n")? + "```dockerfile\n".len();
        let end = rest[start..].find("```")?;
        Some(rest[start..start + end].to_string())
    }

    /// The `.dockerignore` shown (in a ```dockerignore block) between `start` and the next
    /// `end` marker, for checks that read the build context (CopyIgnoredFile).
    fn dockerignore_between(docs: &str, start: &str, end: &str) -> Option<String> {
        let rest = &docs[docs.find(start)? + start.len()..];
        let part = &rest[..rest.find(end).unwrap_or(rest.len())];
        let open = part.find("```dockerignore\n")? + "```dockerignore\n".len();
        let close = part[open..].find("```")?;
        Some(part[open..open + close].to_string())
    }

    /// Doc examples are tests: `## Example` produces the rule exactly once, `Use instead:`
    /// does not produce it. Both are linted with an empty build context and the
    /// `.dockerignore` their part of the docs shows, if any.
    #[test]
    fn doc_examples() {
        let mut failures = Vec::new();
        for meta in RULES
            .iter()
            .filter(|e| e.new.is_some())
            .map(|e| e.meta)
            .filter(|m| m.origin == Origin::BuildKit)
        {
            let docs = meta.docs();
            // Selecting the rule turns on the experimental ones too. WorkdirRelativePath is
            // merged into DL3000 where both report, so its examples run with DL3000 off.
            let config = Config {
                select: Some(vec![meta.code.to_string()]),
                ..Config::default()
            };
            let count = |text: &str, ignore: Option<String>| {
                let context = ContextIndex::from_listing(ignore.as_deref(), &[]);
                lint_with(&parse(text), &config, Some(&context))
                    .iter()
                    .filter(|d| d.code == meta.code)
                    .count()
            };
            let example_ignore = || dockerignore_between(&docs, "## Example", "Use instead:");
            let good_ignore = || dockerignore_between(&docs, "Use instead:", "\n## ");
            match block_after(&docs, "## Example") {
                Some(example) if count(&example, example_ignore()) == 1 => {}
                Some(example) => failures.push(format!(
                    "{}: `## Example` gives {} findings:\n{example}",
                    meta.code,
                    count(&example, example_ignore())
                )),
                None => failures.push(format!("{}: no `## Example` block", meta.code)),
            }
            match block_after(&docs, "Use instead:") {
                Some(good) if count(&good, good_ignore()) == 0 => {}
                Some(good) => failures.push(format!(
                    "{}: `Use instead:` gives {} findings:\n{good}",
                    meta.code,
                    count(&good, good_ignore())
                )),
                None => failures.push(format!("{}: no `Use instead:` block", meta.code)),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn experimental_checks_are_off_by_default() {
        for meta in RULES.iter().map(|e| e.meta).filter(|m| m.experimental) {
            assert!(
                !meta.default_enabled,
                "{} is experimental but on",
                meta.code
            );
            assert_eq!(meta.origin, Origin::BuildKit, "{}", meta.code);
        }
    }
}
