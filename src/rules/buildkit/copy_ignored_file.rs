//! CopyIgnoredFile: a COPY/ADD source that the `.dockerignore` excludes entirely.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::context_sources::{ContextSource, context_sources};
use crate::rules::{Rule, RuleCtx};
use crate::semantic::context::{ContextFacts, IgnoreFile};
use crate::semantic::dockerignore::{self, Dockerignore};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` source from the build context that the `.dockerignore` file
    /// excludes entirely, so that nothing it names reaches the builder.
    ///
    /// ## Why is this bad?
    /// The builder only receives what the ignore file lets through. An excluded source does
    /// not exist for the build: a plain path fails it with "not found", a wildcard silently
    /// copies nothing. Either the ignore file is broader than intended, or the instruction
    /// copies something that was never meant to be in the image.
    ///
    /// ## Example
    /// With this `.dockerignore`:
    /// ```dockerignore
    /// *.md
    /// ```
    /// ```dockerfile
    /// FROM nginx:1.27-alpine
    /// COPY README.md /usr/share/nginx/html/
    /// ```
    ///
    /// Use instead: let the file through with a `!` pattern after the one that excludes it,
    /// ```dockerignore
    /// *.md
    /// !README.md
    /// ```
    /// ```dockerfile
    /// FROM nginx:1.27-alpine
    /// COPY README.md /usr/share/nginx/html/
    /// ```
    /// or stop copying it.
    ///
    /// ## Notes
    /// The rule needs the build context: `layerwise check` reads the Dockerfile's directory
    /// (or the one given with `--context DIR`) and its ignore file, `<Dockerfile>.dockerignore`
    /// beside the Dockerfile before `.dockerignore` at the context root, as BuildKit does.
    /// Without a context it reports nothing. Sources copied from a stage or an image
    /// (`--from`), URLs, git repositories and heredocs do not come from the context and are
    /// not checked, nor are sources holding a variable whose value is unknown. An ignore file
    /// Docker would reject is not used (the build fails on it first).
    ///
    /// ## References
    /// BuildKit's CopyIgnoredFile check. BuildKit tests the source's text against the
    /// patterns, and skips the check altogether when the file has a `!` pattern. This rule
    /// looks at what the source matches in the context: a wildcard is reported when every
    /// path it matches is excluded, and a directory that a `!` pattern partly brings back is
    /// not reported. For a source that matches nothing on disk it falls back to BuildKit's
    /// test of the text.
    pub static COPY_IGNORED_FILE = {
        code: "CopyIgnoredFile",
        name: "copy-ignored-file",
        origin: BuildKit,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct CopyIgnoredFile;

impl Rule for CopyIgnoredFile {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        // An ONBUILD COPY runs in another build, with another context.
        if ctx.in_onbuild {
            return;
        }
        let Some(facts) = ctx.context else {
            return;
        };
        // The sources first: the ignore file is read only for a COPY or ADD.
        let Some(sources) = context_sources(ctx, instr).filter(|s| !s.is_empty()) else {
            return;
        };
        let IgnoreFile::Valid { name, matcher } = facts.ignore_file() else {
            return;
        };
        let keyword = if instr.kind() == SyntaxKind::ADD_INSTR {
            "ADD"
        } else {
            "COPY"
        };
        for source in sources.iter().filter(|s| !s.leaves_context()) {
            let Some(decided_by) = entirely_excluded(facts, source) else {
                continue;
            };
            acc.push(Diagnostic::new(
                &COPY_IGNORED_FILE,
                source.range,
                message(keyword, source, name, matcher, &decided_by),
            ));
        }
    }
}

/// When nothing `source` names reaches the builder: the path whose exclusion explains it.
fn entirely_excluded(facts: &dyn ContextFacts, source: &ContextSource) -> Option<String> {
    let matched = facts.matches(&source.path);
    if !matched.is_empty() && facts.is_complete() {
        return matched
            .iter()
            .all(|path| !facts.is_sent(path))
            .then(|| matched[0].clone());
    }
    // Nothing on disk (or an incomplete listing): BuildKit's own test, on the source's text.
    (source.path != "." && facts.is_excluded(&source.path)).then(|| source.path.clone())
}

fn message(
    keyword: &str,
    source: &ContextSource,
    ignore_name: &str,
    matcher: &Dockerignore,
    decided_by: &str,
) -> String {
    let pattern = matcher
        .deciding_pattern(decided_by)
        .filter(|p| !p.exclusion)
        .map(|p| format!(" (`{}`, line {})", p.text, p.line))
        .unwrap_or_default();
    if source.is_whole_context() {
        return format!(
            "{ignore_name} excludes the whole build context{pattern}: {keyword} has nothing to \
             copy"
        );
    }
    if dockerignore::has_wildcards(&source.path) {
        format!(
            "everything `{}` matches is excluded by {ignore_name}{pattern}: {keyword} copies \
             nothing from it",
            source.text
        )
    } else {
        format!(
            "`{}` is excluded by {ignore_name}{pattern}: it is not in the build context, so \
             {keyword} cannot copy it",
            source.text
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Diagnostic, lint, lint_with};
    use crate::semantic::context::ContextIndex;
    use crate::syntax::parse;

    fn run(ignore: Option<&str>, paths: &[&str], dockerfile: &str) -> Vec<Diagnostic> {
        let config = Config {
            select: Some(vec!["CopyIgnoredFile".to_string()]),
            ..Config::default()
        };
        let context = ContextIndex::from_listing(ignore, paths);
        lint_with(&parse(dockerfile), &config, Some(&context))
    }

    fn messages(ignore: Option<&str>, paths: &[&str], dockerfile: &str) -> Vec<String> {
        run(ignore, paths, dockerfile)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    const FILES: &[&str] = &[
        "README.md",
        "docs/guide.md",
        "docs/img/logo.png",
        "src/main.py",
        "secrets/token",
    ];

    #[test]
    fn excluded_paths_and_wildcards() {
        let ignore = Some("# docs\n*.md\ndocs\nsecrets/\n");
        assert_eq!(
            messages(ignore, FILES, "FROM a:1\nCOPY README.md src /app/\n"),
            [
                "`README.md` is excluded by .dockerignore (`*.md`, line 2): it is not in the \
              build context, so COPY cannot copy it"
            ]
        );
        assert_eq!(
            messages(ignore, FILES, "FROM a:1\nADD ./secrets/token /run/\n"),
            [
                "`./secrets/token` is excluded by .dockerignore (`secrets`, line 4): it is not \
              in the build context, so ADD cannot copy it"
            ]
        );
        assert_eq!(
            messages(ignore, FILES, "FROM a:1\nCOPY docs/*.md /d/\n"),
            [
                "everything `docs/*.md` matches is excluded by .dockerignore (`docs`, line 3): \
              COPY copies nothing from it"
            ]
        );
        // Not on disk: BuildKit's test of the text still applies.
        assert_eq!(
            run(ignore, FILES, "FROM a:1\nCOPY CHANGELOG.md /d/\n").len(),
            1
        );
        // Something matched is sent: no finding.
        assert!(run(ignore, FILES, "FROM a:1\nCOPY s* /d/\n").is_empty());
        assert!(run(ignore, FILES, "FROM a:1\nCOPY src/ /d/\n").is_empty());
    }

    #[test]
    fn reinclusion_under_an_excluded_directory() {
        let ignore = Some("docs\n!docs/img\n");
        assert!(run(ignore, FILES, "FROM a:1\nCOPY docs /d/\n").is_empty());
        assert_eq!(
            run(ignore, FILES, "FROM a:1\nCOPY docs/guide.md /d/\n").len(),
            1
        );
        assert!(run(ignore, FILES, "FROM a:1\nCOPY docs/img/logo.png /d/\n").is_empty());
    }

    #[test]
    fn the_whole_context() {
        assert_eq!(
            messages(Some("*\n"), FILES, "FROM a:1\nCOPY . /app\n"),
            [".dockerignore excludes the whole build context: COPY has nothing to copy"]
        );
        assert!(run(Some("*\n!src\n"), FILES, "FROM a:1\nCOPY . /app\n").is_empty());
    }

    #[test]
    fn silent_without_context_or_for_other_sources() {
        let config = Config::default();
        let text = "FROM a:1\nCOPY README.md /app/\n";
        assert!(
            lint(&parse(text), &config)
                .iter()
                .all(|d| d.code != "CopyIgnoredFile")
        );
        let ignore = Some("*\n");
        let others = "FROM a:1 AS build\nCOPY --from=build /x /y\n\
                      ADD https://example.com/a.md /a.md\nCOPY <<EOF /h.md\nx\nEOF\n\
                      COPY $UNSET /u\nCOPY ../outside /o\nONBUILD COPY README.md /r\n";
        assert!(run(ignore, FILES, others).is_empty());
        // No ignore file, or one Docker rejects: nothing to report.
        assert!(run(None, FILES, "FROM a:1\nCOPY README.md /r\n").is_empty());
        assert!(run(Some("[\n"), FILES, "FROM a:1\nCOPY README.md /r\n").is_empty());
    }

    #[test]
    fn range_is_the_source() {
        let text = "FROM a:1\nCOPY [\"src\", \"README.md\", \"/app/\"]\n";
        let found = run(Some("*.md\n"), FILES, text);
        assert_eq!(found.len(), 1);
        let range = found[0].range;
        assert_eq!(
            &text[usize::from(range.start())..usize::from(range.end())],
            "\"README.md\""
        );
    }
}
