//! DL3026: an image from a registry that is not trusted.

use rowan::TextRange;

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, ImageRef};

declare_rule! {
    /// ## What it does
    /// When trusted registries are configured, flags images from any other registry: in `FROM`,
    /// in `COPY --from=<image>` and in `RUN --mount=…,from=<image>`.
    ///
    /// ## Why is this bad?
    /// Organisations often allow only images from their own mirror or from vetted registries,
    /// so that every base image is scanned and available when the public registry is not.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM quay.io/example/tool:1.0
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM registry.example.com/mirror/tool:1.0
    /// ```
    ///
    /// ## Options
    /// `trustedRegistries` in `.hadolint.yaml` (or `--trusted-registry`): a list of registry
    /// hosts; `*` matches all, `*.example.com` a suffix, `registry.example*` a prefix. An image
    /// without a registry comes from `docker.io` (also matched as `hub.docker.com`). With an
    /// empty list the rule is off. The examples above assume:
    ///
    /// ```yaml
    /// trustedRegistries:
    ///   - registry.example.com
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3026. `scratch` and stage names are never reported.
    pub static DL3026 = {
        code: "DL3026",
        name: "untrusted-registry",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct UntrustedRegistry;

fn pattern_matches(pattern: &str, registry: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return registry.ends_with(suffix);
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return registry.starts_with(prefix);
    }
    pattern.eq_ignore_ascii_case(registry)
}

impl Rule for UntrustedRegistry {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        let trusted = &ctx.options.trusted_registries;
        if trusted.is_empty() || ctx.in_onbuild {
            return;
        }
        let current = ctx.stage_idx.unwrap_or(0);
        let mut images: Vec<(String, TextRange)> = Vec::new();
        match instr.kind() {
            SyntaxKind::FROM_INSTR => {
                if let Some(stage) = ctx.model.stages.get(current)
                    && let (Some(text), Some(range), None) =
                        (&stage.image_text, stage.image_range, stage.base_stage)
                {
                    images.push((text.clone(), range));
                }
            }
            SyntaxKind::COPY_INSTR => {
                if let Some(flag) = instr.flag("from")
                    && let (Some(value), Some(node)) = (flag.value(), flag.value_node())
                    && value.contains(':')
                {
                    images.push((value, node.range()));
                }
            }
            SyntaxKind::RUN_INSTR => {
                for flag in instr.flags().filter(|f| f.name() == "mount") {
                    let (Some(value), Some(node)) = (flag.value(), flag.value_node()) else {
                        continue;
                    };
                    if let Some(from) = value.split(',').find_map(|p| p.strip_prefix("from=")) {
                        images.push((from.to_string(), node.range()));
                    }
                }
            }
            _ => return,
        }
        for (text, range) in images {
            let image = ImageRef::parse(&text);
            if image.is_scratch()
                || text.contains('$')
                || ctx.model.stage_named(&text, current + 1).is_some()
            {
                continue;
            }
            let registry = image
                .registry
                .clone()
                .unwrap_or_else(|| "docker.io".to_string());
            let ok = trusted.iter().any(|p| {
                pattern_matches(p, &registry)
                    || (image.registry.is_none() && pattern_matches(p, "hub.docker.com"))
            });
            if !ok {
                acc.push(Diagnostic::new(
                    &DL3026,
                    range,
                    format!("`{text}` comes from `{registry}`, which is not a trusted registry"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::lint;
    use crate::syntax::parse;

    fn codes(text: &str, trusted: &[&str]) -> Vec<&'static str> {
        let mut config = Config::default();
        config.rule_options.trusted_registries = trusted.iter().map(|s| s.to_string()).collect();
        lint(&parse(text), &config).iter().map(|d| d.code).collect()
    }

    #[test]
    fn registries() {
        assert_eq!(codes("FROM quay.io/a/b:1\n", &[]), Vec::<&str>::new());
        assert_eq!(codes("FROM quay.io/a/b:1\n", &["docker.io"]), ["DL3026"]);
        assert_eq!(
            codes("FROM debian:12\n", &["docker.io"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("FROM debian:12\n", &["hub.docker.com"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("FROM r.example.com/x:1\n", &["*.example.com"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("FROM r.example.com/x:1\n", &["r.ex*"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("FROM scratch\n", &["r.example.com"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("FROM r.example.com/x:1 AS b\nFROM b\n", &["r.example.com"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(
                "FROM r.example.com/x:1\nCOPY --from=quay.io/a:1 /x /x\n",
                &["r.example.com"]
            ),
            ["DL3026"]
        );
        assert_eq!(
            codes(
                "FROM r.example.com/x:1\nRUN --mount=type=bind,from=ghcr.io/a:1,target=/x true\n",
                &["r.example.com"]
            ),
            ["DL3026"]
        );
    }
}
