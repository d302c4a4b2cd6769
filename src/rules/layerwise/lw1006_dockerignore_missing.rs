//! LW1006: the whole build context is copied, and no `.dockerignore` keeps out what should
//! stay out.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::context_sources::context_sources;
use crate::rules::{Rule, RuleCtx};
use crate::semantic::context::{ContextFacts, IgnoreFile};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` of the whole build context (`COPY ./ /app/`) when there is no
    /// `.dockerignore`, or when it lets through what should stay out: the `.git` directory,
    /// `node_modules` (when the context has a `package.json`), local environment and key
    /// files (`.env`, `*.pem`, `id_rsa`…) and build output (`target/`, `dist/`, `build/`)
    /// present in the context.
    ///
    /// ## Why is this bad?
    /// `docker build` sends the whole context to the builder before the first instruction
    /// runs, and `COPY . .` puts all of it into a layer:
    /// - **Size and speed.** A `.git` history, a `node_modules` tree or a `target/` directory
    ///   is often larger than the application. It is uploaded on every build and stored in
    ///   the image.
    /// - **Cache busting.** Any change to those files (a commit, a local build, an editor's
    ///   swap file) changes the context, so the `COPY` layer and every layer after it are
    ///   rebuilt although the application did not change.
    /// - **Secrets.** An `.env` file or a private key copied into a layer stays in the image
    ///   even if a later instruction deletes it; anyone who can pull the image can read it.
    /// - **Wrong dependencies.** A host's `node_modules` or build output replaces what the
    ///   Dockerfile installs or builds, with binaries for another platform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// Use instead: add a `.dockerignore` beside the Dockerfile, for instance
    /// ```dockerignore
    /// .git
    /// node_modules
    /// .env*
    /// *.pem
    /// dist
    /// ```
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    /// or copy only what the build needs (`COPY package.json package-lock.json ./`, then
    /// `COPY src/ ./src/`).
    ///
    /// ## Notes
    /// The rule needs the build context: `layerwise check` reads the Dockerfile's directory
    /// (or the one given with `--context DIR`) and its ignore file (`<Dockerfile>.dockerignore`
    /// beside the Dockerfile before `.dockerignore` at the context root). Without a context
    /// it reports nothing. Only the first whole-context copy of the file is reported: one
    /// ignore file fixes them all. Environment files meant to be shared (`.env.example`,
    /// `.env.sample`, `.env.template`) are not secrets, and neither are files inside
    /// `node_modules` or `.git`. A path that another `COPY` names explicitly (`COPY dist/ …`)
    /// is taken to be wanted. An ignore file Docker would reject is left to the build, which
    /// fails on it.
    ///
    /// ## Known problems
    /// `build/` holds sources in some layouts (Go's `build/` packaging directory); exclude it
    /// from the check with a `!build` pattern, or ignore the rule for that file.
    pub static LW1006 = {
        code: "LW1006",
        name: "dockerignore-missing",
        origin: Layerwise,
        severity: Warning,
        fix: None,
    }
}

/// Build output directories, at the context root.
const BUILD_OUTPUT: &[&str] = &["target", "dist", "build"];

/// Names of files holding keys or credentials.
const SECRET_NAMES: &[&str] = &["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc"];

/// Endings of private key and certificate bundle files.
const SECRET_EXTENSIONS: &[&str] = &[".pem", ".key", ".p12", ".pfx"];

/// `.env.*` files that are templates, meant to be committed and shared.
const ENV_TEMPLATES: &[&str] = &["example", "sample", "template", "dist", "defaults"];

/// How many names a message lists before "and N more".
const MAX_LISTED: usize = 4;

/// The first whole-context copy, and every context path copied by name.
#[derive(Default)]
pub struct DockerignoreMissing {
    whole_context: Option<(TextRange, String)>,
    explicit: Vec<String>,
}

impl Rule for DockerignoreMissing {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild || ctx.context.is_none() {
            return;
        }
        let Some(sources) = context_sources(ctx, instr) else {
            return;
        };
        for source in sources {
            if source.is_whole_context() {
                if self.whole_context.is_none() {
                    let copy = format!("{} {}", instr.keyword_text().to_uppercase(), source.text);
                    self.whole_context = Some((instr.line_range(), copy));
                }
            } else {
                self.explicit.push(source.path);
            }
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let (Some(facts), Some((range, copy))) = (ctx.context, &self.whole_context) else {
            return;
        };
        let message = match facts.ignore_file() {
            IgnoreFile::Invalid { .. } => return,
            IgnoreFile::Missing => {
                let present = unwanted(facts, &self.explicit, false);
                let mut message = format!(
                    "`{copy}` sends the whole build context, and there is no .dockerignore"
                );
                if !present.is_empty() {
                    message.push_str(&format!(": {} would be copied too", list(&present)));
                }
                message
            }
            IgnoreFile::Valid { name, .. } => {
                let missing = unwanted(facts, &self.explicit, true);
                if missing.is_empty() {
                    return;
                }
                format!(
                    "`{copy}` copies the whole build context, and {name} does not exclude {}",
                    list(&missing)
                )
            }
        };
        acc.push(Diagnostic::new(&LW1006, *range, message));
    }
}

/// What the whole-context copy would take along that should stay out, in a fixed order:
/// `.git`, `node_modules`, secrets, build output. `with_ignore_file` also names a
/// `node_modules` that does not exist yet, since a `package.json` makes one likely.
fn unwanted(facts: &dyn ContextFacts, explicit: &[String], with_ignore_file: bool) -> Vec<String> {
    let wanted = |path: &str| {
        explicit
            .iter()
            .any(|e| e == path || e.starts_with(&format!("{path}/")))
    };
    let mut out = Vec::new();
    if facts.exists(".git") && facts.is_sent(".git") && !wanted(".git") {
        out.push(".git".to_string());
    }
    let listing = facts.matches("**");
    let mut node_modules: Vec<String> = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    for path in &listing {
        if path
            .split('/')
            .any(|segment| segment == "node_modules" || segment == ".git")
        {
            continue;
        }
        let (dir, name) = match path.rfind('/') {
            Some(idx) => (&path[..idx], &path[idx + 1..]),
            None => (".", path.as_str()),
        };
        if name == "package.json" {
            let candidate = if dir == "." {
                "node_modules".to_string()
            } else {
                format!("{dir}/node_modules")
            };
            let sent = if facts.exists(&candidate) {
                facts.is_sent(&candidate)
            } else {
                with_ignore_file && !facts.is_excluded(&candidate)
            };
            if sent && !wanted(&candidate) {
                node_modules.push(candidate);
            }
        } else if is_secret(name) && facts.is_sent(path) && !wanted(path) {
            secrets.push(path.clone());
        }
    }
    out.extend(node_modules);
    out.extend(secrets);
    for dir in BUILD_OUTPUT {
        if facts.exists(dir) && facts.is_sent(dir) && !wanted(dir) {
            out.push(format!("{dir}/"));
        }
    }
    out
}

fn is_secret(name: &str) -> bool {
    if name == ".env" {
        return true;
    }
    if let Some(suffix) = name.strip_prefix(".env.") {
        return !ENV_TEMPLATES.contains(&suffix.to_ascii_lowercase().as_str());
    }
    SECRET_NAMES.contains(&name)
        || SECRET_EXTENSIONS
            .iter()
            .any(|ext| name.len() > ext.len() && name.to_ascii_lowercase().ends_with(ext))
}

/// `` `a`, `b` and `c` ``, with "and N more" past [`MAX_LISTED`].
fn list(items: &[String]) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(MAX_LISTED)
        .map(|i| format!("`{i}`"))
        .collect();
    let rest = items.len().saturating_sub(MAX_LISTED);
    match (shown.as_slice(), rest) {
        ([only], 0) => only.clone(),
        ([init @ .., last], 0) => format!("{} and {last}", init.join(", ")),
        (_, rest) => format!("{} and {rest} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostics::{lint, lint_with};
    use crate::semantic::context::ContextIndex;
    use crate::syntax::parse;

    fn messages(ignore: Option<&str>, paths: &[&str], dockerfile: &str) -> Vec<String> {
        let config = Config {
            select: Some(vec!["LW1006".to_string()]),
            ..Config::default()
        };
        let context = ContextIndex::from_listing(ignore, paths);
        lint_with(&parse(dockerfile), &config, Some(&context))
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    const NODE_APP: &[&str] = &[
        ".git/HEAD",
        "package.json",
        "src/index.js",
        ".env",
        ".env.example",
        "certs/server.key",
        "node_modules/left-pad/index.js",
        "node_modules/x/test/fixture.pem",
        "dist/index.js",
    ];
    const COPY_ALL: &str = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";

    #[test]
    fn no_ignore_file() {
        assert_eq!(
            messages(None, NODE_APP, COPY_ALL),
            [
                "`COPY .` sends the whole build context, and there is no .dockerignore: `.git`, \
              `node_modules`, `.env`, `certs/server.key` and 1 more would be copied too"
            ]
        );
        assert_eq!(
            messages(None, &["app.py"], "FROM a:1\nadd ./ /app\n"),
            ["`ADD ./` sends the whole build context, and there is no .dockerignore"]
        );
    }

    #[test]
    fn an_ignore_file_that_misses_things() {
        assert_eq!(
            messages(Some(".git\nnode_modules\n"), NODE_APP, COPY_ALL),
            [
                "`COPY .` copies the whole build context, and .dockerignore does not exclude \
              `.env`, `certs/server.key` and `dist/`"
            ]
        );
        // node_modules is named when a package.json makes it likely, even before it exists.
        assert_eq!(
            messages(
                Some(".git\n"),
                &["package.json", "web/package.json"],
                COPY_ALL
            ),
            [
                "`COPY .` copies the whole build context, and .dockerignore does not exclude \
              `node_modules` and `web/node_modules`"
            ]
        );
        // `**/node_modules` covers nested projects; `!` brings a secret back.
        assert_eq!(
            messages(
                Some(".git\n**/node_modules\n**/*.key\n.env\n!certs/server.key\ndist\n"),
                NODE_APP,
                COPY_ALL
            ),
            [
                "`COPY .` copies the whole build context, and .dockerignore does not exclude \
              `certs/server.key`"
            ]
        );
    }

    #[test]
    fn near_misses() {
        // `*.key` would only cover the root: patterns are anchored there.
        let good = ".git\nnode_modules\n.env\n**/*.key\ndist\n";
        assert!(messages(Some(good), NODE_APP, COPY_ALL).is_empty());
        // Only named paths are copied.
        let named = "FROM node:22\nCOPY package.json ./\nCOPY src/ ./src/\n";
        assert!(messages(None, NODE_APP, named).is_empty());
        // Copying from a stage is not copying the context.
        let from_stage = "FROM node:22 AS b\nFROM nginx:1\nCOPY --from=b . /usr/share/nginx\n";
        assert!(messages(None, NODE_APP, from_stage).is_empty());
        // An explicit COPY of the build output means it is wanted.
        let wanted = "FROM nginx:1\nCOPY dist/ /usr/share/nginx/html/\nCOPY . /src/\n";
        assert_eq!(
            messages(
                Some(".git\nnode_modules\n.env\n**/*.key\n"),
                NODE_APP,
                wanted
            ),
            [""; 0]
        );
        // Without a context, the rule is silent.
        assert!(
            lint(&parse(COPY_ALL), &Config::default())
                .iter()
                .all(|d| d.code != "LW1006")
        );
        // An ignore file Docker rejects is the build's problem.
        assert!(messages(Some("[\n"), NODE_APP, COPY_ALL).is_empty());
    }

    #[test]
    fn one_finding_on_the_first_whole_context_copy() {
        let text = "FROM a:1 AS one\nCOPY . /a\nFROM a:1\nCOPY ./ /b\n";
        let config = Config {
            select: Some(vec!["LW1006".to_string()]),
            ..Config::default()
        };
        let context = ContextIndex::from_listing(None, &["x"]);
        let found = lint_with(&parse(text), &config, Some(&context));
        assert_eq!(found.len(), 1);
        let range = found[0].range;
        assert_eq!(
            &text[usize::from(range.start())..usize::from(range.end())],
            "COPY . /a"
        );
    }

    #[test]
    fn secrets() {
        for name in [".env", ".env.local", "id_rsa", "tls.pem", "a.KEY", ".netrc"] {
            assert!(is_secret(name), "{name}");
        }
        for name in [
            ".env.example",
            ".env.Sample",
            ".pem",
            "key",
            "environment",
            ".envrc",
        ] {
            assert!(!is_secret(name), "{name}");
        }
        assert_eq!(list(&["a".into()]), "`a`");
        assert_eq!(list(&["a".into(), "b".into()]), "`a` and `b`");
    }
}
