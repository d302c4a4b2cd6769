//! The sources a COPY or ADD takes from the build context, for the rules that check them
//! against the context (CopyIgnoredFile, LW1006).
//!
//! A source comes from the context unless the instruction copies from a stage or image
//! (`--from`), or the source is a URL, a git repository or a heredoc. Its value is the word
//! as BuildKit reads it (quotes removed, variables resolved where the model knows their
//! value); a source whose value is unknown is left out rather than guessed.

use rowan::TextRange;

use crate::rules::RuleCtx;
use crate::semantic::dockerignore;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

/// One source word of a COPY/ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextSource {
    /// The value as written after quote removal and variable expansion (`./src/`).
    pub text: String,
    /// The same path relative to the context root, cleaned (`src`); `.` for the root.
    pub path: String,
    pub range: TextRange,
}

impl ContextSource {
    /// The source names the whole context (`.`, `./`, `/`).
    pub fn is_whole_context(&self) -> bool {
        self.path == "."
    }

    /// The source points above the context root (`../x`): the build fails on it anyway.
    pub fn leaves_context(&self) -> bool {
        self.path == ".." || self.path.starts_with("../")
    }
}

/// The context sources of a COPY or ADD, or `None` for any other instruction and for a COPY
/// from a stage or image.
pub fn context_sources(ctx: &RuleCtx, instr: &ast::Instruction) -> Option<Vec<ContextSource>> {
    if !matches!(instr.kind(), SyntaxKind::COPY_INSTR | SyntaxKind::ADD_INSTR)
        || instr.flag("from").is_some()
    {
        return None;
    }
    let mut words: Vec<(Option<String>, TextRange)> = match instr.json_array() {
        Some(array) => array
            .string_tokens()
            .map(|token| {
                let value = ast::decode_json_string(token.text());
                let value = (!value.contains('$')).then_some(value);
                (value, token.text_range())
            })
            .collect(),
        None => instr
            .arguments()
            .map(|arg| (ctx.model.vars.resolve(&arg), arg.range()))
            .collect(),
    };
    // The last word is the destination.
    words.pop();
    let sources = words
        .into_iter()
        .filter_map(|(value, range)| {
            let text = value?;
            if text.is_empty() || text.starts_with("<<") || is_remote(&text) {
                return None;
            }
            let path = dockerignore::relative(&text);
            Some(ContextSource { text, path, range })
        })
        .collect();
    Some(sources)
}

/// A URL or git repository, which ADD fetches instead of reading the context.
fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("git@")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleOptions;
    use crate::semantic::Model;
    use crate::syntax::parse;

    fn sources(text: &str) -> Vec<Option<Vec<String>>> {
        let parsed = parse(text);
        let model = Model::new(&parsed.tree());
        let options = RuleOptions::default();
        let ctx = RuleCtx {
            parse: &parsed,
            options: &options,
            model: &model,
            stage_idx: Some(0),
            in_onbuild: false,
            script: None,
            commands: std::rc::Rc::default(),
            posix_shell: true,
            mounts: Vec::new(),
            context: None,
        };
        parsed
            .tree()
            .instructions()
            .filter(|i| i.kind() != SyntaxKind::FROM_INSTR)
            .map(|instr| {
                context_sources(&ctx, &instr).map(|list| list.into_iter().map(|s| s.path).collect())
            })
            .collect()
    }

    #[test]
    fn context_sources_of_copy_and_add() {
        let text = "FROM a:1\nARG DIR=src\nCOPY ./a \"b\" /x/\nCOPY --from=build /app /app\n\
                    ADD https://example.com/x.tgz git@github.com:a/b.git ./local /y/\n\
                    COPY [\"./j/\", \"/j\"]\nCOPY $DIR/ /src/\nCOPY $UNKNOWN /u\nCOPY <<EOF /h\nx\nEOF\n\
                    RUN true\nCOPY / /root-of-context\n";
        let got = sources(text);
        let expected: Vec<Option<Vec<String>>> = vec![
            None,
            Some(vec!["a".into(), "b".into()]),
            None,
            Some(vec!["local".into()]),
            Some(vec!["j".into()]),
            Some(vec!["src".into()]),
            Some(vec![]),
            Some(vec![]),
            None,
            Some(vec![".".into()]),
        ];
        assert_eq!(got, expected);
    }
}
