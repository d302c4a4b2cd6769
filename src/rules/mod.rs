//! Rules: what each one flags, its documentation, and how it is run.
//!
//! A rule is one file holding its documentation (compiled in through [`declare_rule!`]), its
//! metadata, its check, its fix and its smallest tests. [`registry`] lists them all, one line
//! each, in code order. Rules see the syntax tree and the semantic model; they never read
//! pragmas or configuration (suppression and severity overrides are applied afterwards, once,
//! in [`crate::diagnostics`]) and never do IO: what they know of the build context comes in
//! as [`ContextFacts`], read by the caller.

pub mod buildkit;
pub mod context_sources;
pub mod hadolint;
pub mod layerwise;
pub mod registry;
pub mod stage_state;
pub mod syntax;

use crate::config::RuleOptions;
use crate::diagnostics::Diagnostic;
use crate::semantic::Model;
use crate::semantic::context::ContextFacts;
use crate::shell::{self, Script};
use crate::syntax::{Parse, ast};

/// Where a rule comes from, which decides its code scheme and its documentation link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `LW0xxx`: syntax errors BuildKit would reject while parsing.
    Syntax,
    /// `DLxxxx`: hadolint's rules, same codes and default severities.
    Hadolint,
    /// BuildKit's build checks, under BuildKit's names.
    BuildKit,
    /// `LW1xxx` best practice and `LW9xxx` meta rules of our own.
    Layerwise,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Syntax => "syntax",
            Origin::Hadolint => "hadolint",
            Origin::BuildKit => "buildkit",
            Origin::Layerwise => "layerwise",
        }
    }
}

/// hadolint's four levels, lowest last in the ordering (`Error > Warning > Info > Style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "style" => Some(Severity::Style),
            _ => None,
        }
    }
}

/// Whether a rule can offer a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's identity and documentation. Built by [`declare_rule!`].
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: `DL3006`, `LW0001`, `StageNameCasing`.
    pub code: &'static str,
    /// Kebab-case name of the pattern flagged: `untagged-base-image`.
    pub name: &'static str,
    pub origin: Origin,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// Other codes that mean the same finding (a BuildKit name for a DL rule).
    pub aliases: &'static [&'static str],
    /// Off unless configuration turns it on (hadolint's "ignore" default severity).
    pub default_enabled: bool,
    /// One of BuildKit's experimental checks: off by default, and turned on by the file's
    /// `# check=experimental=…` directive as well as by configuration.
    pub experimental: bool,
    /// Broader rules that report this rule's finding too: where one of them reports the same
    /// range, the finding is given once, under that rule's code, and this rule's code (and
    /// aliases) suppress it as well. Used for a BuildKit check narrower than a DL rule.
    pub covered_by: &'static [&'static str],
    /// The `///` lines as compiled in (each with its leading space); read it through
    /// [`RuleMeta::docs`].
    pub doc_comment: &'static str,
}

/// BuildKit's build-check names, which pragmas and `# check=skip=` may name.
pub const BUILDKIT_CHECK_NAMES: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

/// Where the generated documentation of our own rules is published.
pub const DOCS_BASE_URL: &str = "https://github.com/layerwise/layerwise/blob/main/docs/rules";

impl RuleMeta {
    /// The page explaining this rule: hadolint's wiki, Docker's build-checks reference, or our
    /// generated docs.
    pub fn url(&self) -> String {
        match self.origin {
            Origin::Hadolint => format!("https://github.com/hadolint/hadolint/wiki/{}", self.code),
            Origin::BuildKit => {
                format!(
                    "https://docs.docker.com/reference/build-checks/{}/",
                    kebab_case(self.code)
                )
            }
            Origin::Syntax | Origin::Layerwise => format!("{DOCS_BASE_URL}/{}.md", self.code),
        }
    }

    /// Whether BuildKit reports this finding: one of its checks, or a DL rule that carries a
    /// check's name as an alias. `# check=skip=all` and `# check=error=true` apply to these.
    pub fn is_buildkit_check(&self) -> bool {
        self.origin == Origin::BuildKit
            || self
                .aliases
                .iter()
                .any(|a| BUILDKIT_CHECK_NAMES.contains(a))
    }

    /// Markdown documentation with the sections of STYLE.md §3.
    pub fn docs(&self) -> String {
        let mut out = String::with_capacity(self.doc_comment.len());
        for line in self.doc_comment.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The first sentence of `## What it does`, for tables and completion details.
    pub fn summary(&self) -> String {
        let mut lines = self
            .doc_comment
            .lines()
            .map(str::trim)
            .skip_while(|l| *l != "## What it does")
            .skip(1);
        let mut summary = String::new();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            if !summary.is_empty() {
                summary.push(' ');
            }
            summary.push_str(line);
        }
        match summary.find(". ") {
            Some(idx) => summary[..=idx].to_string(),
            None => summary,
        }
    }
}

/// `StageNameCasing` → `stage-name-casing`; `JSONArgsRecommended` → `json-args-recommended`.
pub fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || (chars[i - 1].is_ascii_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Declares a rule's metadata with its `///` documentation compiled in.
///
/// ```text
/// declare_rule! {
///     /// ## What it does
///     /// …
///     pub static DL3000 = {
///         code: "DL3000", name: "relative-workdir", origin: Hadolint,
///         severity: Error, fix: None,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            origin: $origin:ident,
            severity: $severity:ident,
            fix: $fix:ident
            $(, aliases: [$($alias:literal),* $(,)?])?
            $(, enabled: $enabled:literal)?
            $(, experimental: $experimental:literal)?
            $(, covered_by: [$($covered:literal),* $(,)?])?
            $(,)?
        }
    ) => {
        $vis static $ident: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            origin: $crate::rules::Origin::$origin,
            default_severity: $crate::rules::Severity::$severity,
            fix: $crate::rules::FixAvailability::$fix,
            aliases: &[$($($alias),*)?],
            default_enabled: $crate::rules::first_or_true(&[$($enabled)?]),
            experimental: $crate::rules::first_or_false(&[$($experimental)?]),
            covered_by: &[$($($covered),*)?],
            doc_comment: concat!($($doc, "\n"),*),
        };
    };
}

/// `declare_rule!`'s default for the optional `enabled:` field.
#[doc(hidden)]
pub const fn first_or_true(values: &[bool]) -> bool {
    match values {
        [first, ..] => *first,
        [] => true,
    }
}

/// `declare_rule!`'s default for the optional `experimental:` field.
#[doc(hidden)]
pub const fn first_or_false(values: &[bool]) -> bool {
    match values {
        [first, ..] => *first,
        [] => false,
    }
}

/// What a rule sees while the file is walked.
pub struct RuleCtx<'a> {
    pub parse: &'a Parse,
    /// Settings of configurable rules (trusted registries, label schema).
    pub options: &'a RuleOptions,
    pub model: &'a Model,
    /// Index into `model.stages` of the stage the current instruction belongs to, `None`
    /// before the first FROM.
    pub stage_idx: Option<usize>,
    /// The current instruction is the one inside an `ONBUILD`.
    pub in_onbuild: bool,
    /// For a shell-form RUN: the script the shell receives, parsed once for all rules.
    pub script: Option<Script>,
    /// The simple commands of `script`, in source order (empty for anything but a RUN).
    pub commands: std::rc::Rc<Vec<shell::Command>>,
    /// The RUN's shell is a POSIX shell (not PowerShell or cmd). Scripts of other shells are
    /// still read with the POSIX grammar, so rules about POSIX semantics must check this.
    pub posix_shell: bool,
    /// The values of the current RUN's `--mount` flags, read once for all rules.
    pub mounts: Vec<String>,
    /// The build context, when the caller knows it (`layerwise check` reads the Dockerfile's
    /// directory). Rules that need it stay silent without it.
    pub context: Option<&'a dyn ContextFacts>,
}

impl RuleCtx<'_> {
    /// Commands of the current RUN whose program (basename) is `name`.
    pub fn commands_named<'c>(
        &'c self,
        name: &'c str,
    ) -> impl Iterator<Item = &'c shell::Command> + 'c {
        self.commands.iter().filter(move |c| c.program() == name)
    }
}

/// A rule's check. All methods have empty defaults, so a rule implements only what it needs:
/// a per-instruction check, a stateful visitor, and/or a final step.
pub trait Rule {
    /// Called for each instruction in file order, and again for the instruction nested in an
    /// `ONBUILD` (with `ctx.in_onbuild` set).
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx, _instr: &ast::Instruction) {}

    /// Called once after the last instruction.
    fn finish(&mut self, _acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx) {}
}

/// One line of the registry: a rule's metadata and, for rules that run as checks (not the
/// syntax codes, which the parser produces), how to make a fresh checker.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub new: Option<fn() -> Box<dyn Rule>>,
}

/// Makes a boxed default checker; used by the registry.
pub fn boxed<R: Rule + Default + 'static>() -> Box<dyn Rule> {
    Box::new(R::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab() {
        assert_eq!(kebab_case("StageNameCasing"), "stage-name-casing");
        assert_eq!(kebab_case("JSONArgsRecommended"), "json-args-recommended");
        assert_eq!(kebab_case("FromAsCasing"), "from-as-casing");
    }
}
