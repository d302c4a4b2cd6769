//! DL3049: a stage that never sets a label the label schema requires.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

use super::label_schema::{in_schema, label_pairs};

declare_rule! {
    /// ## What it does
    /// Flags a build stage that does not set a label of the configured label schema, neither
    /// itself nor through the stage it builds on (`FROM <stage>`). Stages that other stages
    /// only read files from (`COPY --from=<stage>`, `RUN --mount=from=<stage>`) are left
    /// alone: their labels never reach an image. Reported at the stage's base image.
    ///
    /// ## Why is this bad?
    /// A team that agrees on a label schema relies on every image carrying those labels:
    /// registries show them, scanners link an image to its source and licence, and release
    /// tooling reads the version from them. An image built without one of them is
    /// invisible to that tooling.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    ///
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.4.2"
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type (`text`, `url`, `semver`, `hash`, `rfc3339`, `spdx`, `email`),
    /// and `--require-label name:type` (or `HADOLINT_REQUIRE_LABELS=name:type,…`) adds
    /// entries. Every label of the schema is required, whatever its type. The examples
    /// assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.version: semver
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3049, which reports at the FROM line, with these differences:
    /// - a stage named by its index (`COPY --from=0`) or used as a `RUN --mount` source is
    ///   excused too;
    /// - stage names match case-insensitively, as in BuildKit (`FROM Base` builds on
    ///   `AS base` and inherits its labels);
    /// - hadolint excuses a stage when a later stage built on it sets the label, but only
    ///   if that later stage has no `AS` name. This rule reports the base stage either way:
    ///   set the label in the base stage and every stage built on it inherits it.
    pub static DL3049 = {
        code: "DL3049",
        name: "missing-required-label",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

#[derive(Default)]
pub struct MissingRequiredLabel {
    /// The schema labels each stage sets, itself or through the stage it builds on.
    labels_set: StageState<Vec<String>>,
    /// Stages that a later stage reads files from.
    source_stages: Vec<usize>,
}

impl MissingRequiredLabel {
    /// Remembers the stage a `--from=` value names, if it names an earlier stage (by name or
    /// by index) rather than an image.
    fn mark_source(&mut self, ctx: &RuleCtx, from: &str) {
        let current = ctx.stage_idx.unwrap_or(0);
        if from.contains('$') {
            return;
        }
        let stage_idx = match from.parse::<usize>() {
            Ok(idx) if idx < current => Some(idx),
            _ => ctx.model.stage_named(from, current).map(|s| s.index),
        };
        if let Some(idx) = stage_idx {
            self.source_stages.push(idx);
        }
    }
}

impl Rule for MissingRequiredLabel {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.options.label_schema.is_empty() || ctx.in_onbuild {
            return;
        }
        self.labels_set.visit(ctx, instr);
        match instr.kind() {
            SyntaxKind::LABEL_INSTR => {
                for pair in label_pairs(ctx, instr) {
                    let labels_set = self.labels_set.current();
                    if in_schema(ctx, &pair.key) && !labels_set.contains(&pair.key) {
                        labels_set.push(pair.key);
                    }
                }
            }
            SyntaxKind::COPY_INSTR => {
                if let Some(from) = instr.flag("from").and_then(|f| f.value()) {
                    self.mark_source(ctx, &from);
                }
            }
            SyntaxKind::RUN_INSTR => {
                for mount in instr.flags().filter(|f| f.name() == "mount") {
                    let Some(value) = mount.value() else {
                        continue;
                    };
                    if let Some(from) = value.split(',').find_map(|p| p.strip_prefix("from=")) {
                        self.mark_source(ctx, from);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let schema = &ctx.options.label_schema;
        // The schema is a concatenation of lists (environment, file, command line), so a
        // name may appear twice; each missing label is reported once.
        let mut required: Vec<&str> = Vec::with_capacity(schema.len());
        for (name, _) in schema {
            if !required.contains(&name.as_str()) {
                required.push(name);
            }
        }
        for (stage, labels_set) in ctx.model.stages.iter().zip(self.labels_set.all()) {
            if self.source_stages.contains(&stage.index) {
                continue;
            }
            let range = stage.image_range.unwrap_or(stage.from_range);
            for name in &required {
                if !labels_set.iter().any(|l| l == name) {
                    acc.push(Diagnostic::new(
                        &DL3049,
                        range,
                        format!("this stage does not set the required label `{name}`"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    fn missing(text: &str) -> Vec<&str> {
        let schema = [
            ("version", LabelType::Semver),
            ("source", LabelType::Url),
            ("version", LabelType::Text),
        ];
        findings(text, "DL3049", &schema, false)
    }

    #[test]
    fn each_missing_label_is_reported_once_at_the_image() {
        assert_eq!(
            missing("FROM alpine:3.20\n"),
            ["alpine:3.20", "alpine:3.20"]
        );
        assert_eq!(
            missing("FROM alpine:3.20\nLABEL version=1.0.0\n"),
            ["alpine:3.20"]
        );
        assert_eq!(
            missing("FROM alpine:3.20\nLABEL version=1.0.0 source=https://x.org\n"),
            Vec::<&str>::new()
        );
        assert_eq!(
            missing("FROM alpine:3.20\nLABEL version=1.0.0\nLABEL source=https://x.org\n"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn labels_are_inherited_through_from_stage() {
        let text = "\
FROM alpine:3.20 AS base
LABEL version=1.0.0 source=https://x.org
FROM base AS app
RUN true
FROM debian:12
LABEL version=1.0.0
";
        assert_eq!(missing(text), ["debian:12"]);
        // A stage building on a stage without the labels is reported, like its base.
        let text = "FROM alpine:3.20 AS base\nFROM base\nLABEL version=1.0.0\n";
        assert_eq!(missing(text), ["alpine:3.20", "alpine:3.20", "base"]);
    }

    #[test]
    fn stages_only_read_from_are_excused() {
        let text = "\
FROM golang:1.23 AS build
FROM alpine:3.20 AS assets
FROM scratch AS cache
FROM debian:12
COPY --from=build /app /app
COPY --from=1 /a /a
RUN --mount=type=cache,from=cache,target=/c true
LABEL version=1.0.0 source=https://x.org
";
        assert_eq!(missing(text), Vec::<&str>::new());
        // An image in --from, an unknown name or a variable excuses nothing.
        let text = "\
FROM golang:1.23 AS build
FROM alpine:3.20
ARG S=build
COPY --from=golang:1.23 /a /a
COPY --from=$S /b /b
COPY --from=7 /c /c
LABEL version=1.0.0 source=https://x.org
";
        assert_eq!(missing(text), ["golang:1.23", "golang:1.23"]);
    }

    #[test]
    fn onbuild_labels_and_other_keys_do_not_count() {
        assert_eq!(
            missing("FROM a:1\nONBUILD LABEL version=1.0.0 source=https://x.org\n"),
            ["a:1", "a:1"]
        );
        assert_eq!(
            missing("FROM a:1\nLABEL Version=1.0.0 sources=https://x.org\n"),
            ["a:1", "a:1"]
        );
    }

    #[test]
    fn silent_without_a_schema() {
        assert_eq!(
            findings("FROM a:1\n", "DL3049", &[], true),
            Vec::<&str>::new()
        );
    }
}
