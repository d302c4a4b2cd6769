//! DL3064: an ARG or ENV whose name says it holds a secret.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `ARG` and `ENV` names that look like secrets: names containing `password`,
    /// `secret`, `token`, `api_key`, `client_key`, `private` or `username`, and well-known
    /// credential variables such as `AWS_ACCESS_KEY_ID`.
    ///
    /// ## Why is this bad?
    /// Build arguments and environment variables are stored in the image: anyone who can pull
    /// it reads them with `docker history` or `docker inspect`. Pass secrets with
    /// `RUN --mount=type=secret` instead, which never writes them to a layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// ARG NPM_TOKEN
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN --mount=type=secret,id=npm,env=NPM_CONFIG_TOKEN npm ci
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3064 (name-based, case-insensitive). BuildKit's
    /// SecretsUsedInArgOrEnv flags the same practice with a broader word list (it also matches
    /// `key`, so `GPG_KEY` in official images is a false positive there); its name suppresses
    /// this rule too.
    pub static DL3064 = {
        code: "DL3064",
        name: "secret-in-arg-or-env",
        origin: Hadolint,
        severity: Warning,
        fix: None,
        aliases: ["SecretsUsedInArgOrEnv"],
    }
}

const SECRET_WORDS: &[&str] = &[
    "api_key",
    "apikey",
    "client_key",
    "password",
    "passwd",
    "private",
    "secret",
    "token",
    "username",
];
const KNOWN_SECRETS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "azure_client_secret",
    "google_application_credentials",
    "docker_auth_config",
    "npm_auth",
    "pypi_credentials",
];

pub fn looks_like_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w)) || KNOWN_SECRETS.contains(&lower.as_str())
}

#[derive(Default)]
pub struct SecretInArgOrEnv;

impl Rule for SecretInArgOrEnv {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx, instr: &ast::Instruction) {
        let kind = instr.kind();
        if kind != SyntaxKind::ARG_INSTR && kind != SyntaxKind::ENV_INSTR {
            return;
        }
        let keyword = kind.keyword().unwrap_or_default();
        for pair in instr.key_values() {
            let name = pair.key();
            let Some(node) = pair.key_node() else {
                continue;
            };
            if looks_like_secret(&name) {
                acc.push(Diagnostic::new(
                    &DL3064,
                    node.range(),
                    format!("`{name}` looks like a secret, and {keyword} values are stored in the image: use a secret mount"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_secret;
    use crate::testing::check_codes;

    #[test]
    fn secrets() {
        for yes in [
            "NPM_TOKEN",
            "db_password",
            "AWS_ACCESS_KEY_ID",
            "MY_SECRET",
            "API_KEY",
        ] {
            assert!(looks_like_secret(yes), "{yes}");
        }
        for no in ["GPG_KEY", "PATH", "NODE_VERSION", "KEYRING"] {
            assert!(!looks_like_secret(no), "{no}");
        }
        check_codes("FROM a:1\nENV DB_PASSWORD=x\n", &["DL3064"]);
        check_codes("FROM a:1\nONBUILD ARG GITHUB_TOKEN\n", &["DL3064"]);
    }
}
