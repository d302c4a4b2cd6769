//! InvalidDefaultArgInFrom: a global ARG's default that leaves the FROM image name empty or
//! invalid.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image, with the global `ARG` defaults substituted, is empty or not a
    /// valid image reference (such as `alpine:` when the tag argument has no default).
    ///
    /// ## Why is this bad?
    /// The file builds only when every caller passes the right `--build-arg`. A plain
    /// `docker build .` fails with a confusing reference error, and tools that read the file
    /// without build arguments (scanners, this linter) cannot tell which image it uses. Give
    /// the argument a working default.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG ALPINE_VERSION
    /// FROM alpine:${ALPINE_VERSION}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG ALPINE_VERSION=3.20
    /// FROM alpine:${ALPINE_VERSION}
    /// ```
    ///
    /// ## Notes
    /// Images that depend on the automatic platform arguments are not checked: their values are
    /// known only at build time.
    ///
    /// ## References
    /// Matches BuildKit's InvalidDefaultArgInFrom check.
    pub static INVALID_DEFAULT_ARG_IN_FROM = {
        code: "InvalidDefaultArgInFrom",
        name: "invalid-default-arg-in-from",
        origin: BuildKit,
        severity: Warning,
        fix: None,
    }
}

/// Whether a resolved image reference is well formed: a non-empty name, a non-empty tag
/// after `:`, a digest after `@`.
pub fn is_valid_reference(image: &str) -> bool {
    let (name_tag, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !d.contains(':') || d.ends_with(':')) {
        return false;
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    let name_ok = !name.is_empty()
        && !name.starts_with('/')
        && !name.ends_with('/')
        && !name.contains("//")
        && !name.chars().any(char::is_whitespace);
    name_ok && tag.is_none_or(|t| !t.is_empty() && !t.chars().any(char::is_whitespace))
}

#[derive(Default)]
pub struct InvalidDefaultArgInFrom;

impl Rule for InvalidDefaultArgInFrom {
    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let vars = &ctx.model.vars;
        for (idx, stage) in ctx.model.stages.iter().enumerate() {
            let (Some(text), Some(range)) = (&stage.image_text, stage.image_range) else {
                continue;
            };
            if !text.contains('$') {
                continue;
            }
            let Some(Some(resolved)) = vars.from_images.get(idx) else {
                continue;
            };
            if is_valid_reference(resolved) {
                continue;
            }
            let shown = if resolved.is_empty() {
                "an empty name".to_string()
            } else {
                format!("`{resolved}`")
            };
            acc.push(Diagnostic::new(
                &INVALID_DEFAULT_ARG_IN_FROM,
                range,
                format!("with the ARG defaults this image is {shown}, which is not a valid reference: give the argument a default"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_reference;
    use crate::testing::check_codes;

    #[test]
    fn references() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "ghcr.io/a/b:1",
            "localhost:5000/x",
            "a@sha256:abc",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        for bad in ["", "alpine:", ":3", "a@", "a@sha256:", "/a", "a b"] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
    }

    #[test]
    fn defaults() {
        check_codes("ARG V\nFROM alpine:${V}\n", &["InvalidDefaultArgInFrom"]);
        check_codes("ARG V=3\nFROM alpine:${V}\n", &[]);
        check_codes("ARG V\nFROM alpine:${V:-3}\n", &[]);
        check_codes("ARG IMG\nFROM ${IMG}\n", &["InvalidDefaultArgInFrom"]);
        check_codes(
            "FROM --platform=$BUILDPLATFORM golang:1 AS b\nFROM alpine:$TARGETARCH\n",
            &[],
        );
    }
}
