//! Diagnostics and fixes, and [`lint`]: parse errors plus every enabled rule in one traversal,
//! then configuration and suppression applied once.
//!
//! Ranges are byte offsets into the document; converting them to lines and columns in any
//! encoding is the adapters' job. Nothing here prints or knows the protocol.

use rowan::{TextRange, TextSize};

use crate::config::Config;
use crate::rules::layerwise::{LW9001, LW9002};
use crate::rules::registry::{self, RULES};
use crate::rules::{BUILDKIT_CHECK_NAMES, Rule, RuleCtx, RuleMeta, Severity};
use crate::semantic::context::ContextFacts;
use crate::semantic::{Model, PragmaTool};
use crate::shell::Script;
use crate::syntax::validation::did_you_mean;
use crate::syntax::{Parse, SyntaxKind};

/// A finding: a rule's code, where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
    /// Other places that explain this finding (the COPY a later chown duplicates).
    pub related: Vec<Related>,
    /// Codes of narrower rules whose finding at the same range was merged into this one
    /// (WorkdirRelativePath into DL3000); they suppress it as well. Filled by [`lint`].
    pub merged_codes: Vec<&'static str>,
}

impl Diagnostic {
    /// A finding with the rule's default severity and no fix.
    pub fn new(
        meta: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: meta.code,
            severity: meta.default_severity,
            range,
            message: message.into(),
            fix: None,
            related: Vec::new(),
            merged_codes: Vec::new(),
        }
    }

    /// A finding of another tool (ShellCheck's `SC2086`), which has no rule here: configure
    /// and suppress it with [`filter_external`].
    pub fn external(
        code: &'static str,
        severity: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            range,
            message: message.into(),
            fix: None,
            related: Vec::new(),
            merged_codes: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    /// The rule that produced this finding.
    pub fn meta(&self) -> Option<&'static RuleMeta> {
        registry::find(self.code)
    }

    /// Whether BuildKit reports this finding (see [`RuleMeta::is_buildkit_check`]); a merged
    /// BuildKit check makes it one too.
    fn is_buildkit_check(&self) -> bool {
        !self.merged_codes.is_empty() || self.meta().is_some_and(RuleMeta::is_buildkit_check)
    }

    /// Whether `code`, as written in a suppression comment, names this finding: its code, one
    /// of its rule's aliases, or a merged code. `all` in a `check=skip=` names every BuildKit
    /// check except the experimental ones, which BuildKit runs only when asked to by name or
    /// by `experimental=all`.
    fn is_named_by(&self, code: &str, tool: PragmaTool) -> bool {
        let meta = self.meta();
        if tool == PragmaTool::Check && code.eq_ignore_ascii_case("all") {
            return self.is_buildkit_check() && !meta.is_some_and(|m| m.experimental);
        }
        code.eq_ignore_ascii_case(self.code)
            || meta.is_some_and(|m| m.aliases.iter().any(|a| code.eq_ignore_ascii_case(a)))
            || self
                .merged_codes
                .iter()
                .any(|c| code.eq_ignore_ascii_case(c))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

/// A text replacement. Edits of one fix never overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(offset: TextSize, new_text: impl Into<String>) -> Edit {
        Edit {
            range: TextRange::empty(offset),
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit {
            range,
            new_text: String::new(),
        }
    }
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the image's meaning; applied by fix-all.
    Safe,
    /// May change what the image contains or how it behaves; applied on request only.
    Unsafe,
    /// Shown as a suggestion, never applied automatically.
    DisplayOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The remedy, imperative: "Add `--no-install-recommends`".
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// Applies non-overlapping edits to `text`. Edits are sorted first; an edit that overlaps an
/// earlier one or falls outside the text (or off a character boundary) is skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in sorted {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        if start < last
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(&edit.new_text);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Runs everything on a parsed file: syntax errors, then all enabled rules in one traversal,
/// then severity overrides and suppression. Sorted by position.
pub fn lint(parse: &Parse, config: &Config) -> Vec<Diagnostic> {
    lint_with(parse, config, None)
}

/// [`lint`] with what is known of the build context: rules that need it (CopyIgnoredFile,
/// LW1006) report only when it is given.
pub fn lint_with(
    parse: &Parse,
    config: &Config,
    context: Option<&dyn ContextFacts>,
) -> Vec<Diagnostic> {
    let model = Model::new(&parse.tree());
    lint_with_model_and_context(parse, &model, config, context)
}

pub fn lint_with_model(parse: &Parse, model: &Model, config: &Config) -> Vec<Diagnostic> {
    lint_with_model_and_context(parse, model, config, None)
}

/// The whole of linting: [`lint_with`] on a model the caller already built.
pub fn lint_with_model_and_context(
    parse: &Parse,
    model: &Model,
    config: &Config,
    context: Option<&dyn ContextFacts>,
) -> Vec<Diagnostic> {
    let mut acc = Vec::new();
    for error in parse.errors() {
        if let Some(meta) = registry::find(error.code) {
            acc.push(Diagnostic::new(meta, error.range, error.message.clone()));
        }
    }

    let mut rules: Vec<Box<dyn Rule>> = RULES
        .iter()
        .filter(|entry| is_enabled(config, model, entry.meta))
        .filter_map(|entry| entry.new.map(|new| new()))
        .collect();
    let mut ctx = RuleCtx {
        parse,
        options: &config.rule_options,
        model,
        stage_idx: None,
        in_onbuild: false,
        script: None,
        commands: std::rc::Rc::default(),
        posix_shell: true,
        mounts: Vec::new(),
        context,
    };
    let tree = parse.tree();
    for instr in tree.instructions() {
        if instr.kind() == SyntaxKind::FROM_INSTR {
            ctx.stage_idx = Some(ctx.stage_idx.map_or(0, |i| i + 1));
        }
        ctx.in_onbuild = false;
        set_script(&mut ctx, &instr);
        for rule in &mut rules {
            rule.check(&mut acc, &ctx, &instr);
        }
        if instr.kind() == SyntaxKind::ONBUILD_INSTR
            && let Some(nested) = instr.nested()
        {
            ctx.in_onbuild = true;
            set_script(&mut ctx, &nested);
            for rule in &mut rules {
                rule.check(&mut acc, &ctx, &nested);
            }
        }
    }
    ctx.in_onbuild = false;
    ctx.script = None;
    ctx.commands = std::rc::Rc::default();
    for rule in &mut rules {
        rule.finish(&mut acc, &ctx);
    }

    // Configuration, merging and suppression, in exactly one place.
    apply_configuration(&mut acc, config, model);
    merge_covered(&mut acc);
    if !config.disable_ignore_pragma {
        apply_suppression(&mut acc, parse, model, config);
    }
    // `# check=error=true` makes BuildKit fail the build on any finding of its checks: they
    // are errors, whatever the configuration says.
    if model.check.error {
        for d in acc.iter_mut().filter(|d| d.is_buildkit_check()) {
            d.severity = Severity::Error;
        }
    }
    sort_and_dedup(&mut acc);
    acc
}

/// Applies configuration and suppression to findings produced outside the rule engine
/// (ShellCheck's `SC` codes): the same filter [`lint_with_model`] applies to its own, ignored
/// codes, `select`, severity overrides and pragmas. Findings whose code is neither a rule's
/// nor an external tool's are dropped. Sorted by position.
pub fn filter_external(
    mut external: Vec<Diagnostic>,
    model: &Model,
    config: &Config,
) -> Vec<Diagnostic> {
    apply_configuration(&mut external, config, model);
    if !config.disable_ignore_pragma {
        drop_suppressed(&mut external, model);
    }
    sort_and_dedup(&mut external);
    external
}

/// Both lists together, in the order [`lint`] sorts its findings.
pub fn merge(mut builtin: Vec<Diagnostic>, external: Vec<Diagnostic>) -> Vec<Diagnostic> {
    builtin.extend(external);
    sort_and_dedup(&mut builtin);
    builtin
}

/// The page that explains a code: the rule's own (see `RuleMeta::url`), or ShellCheck's wiki
/// for an `SC` code. `None` for an unknown code.
pub fn code_url(code: &str) -> Option<String> {
    if let Some(meta) = registry::find(code) {
        return Some(meta.url());
    }
    is_shellcheck_code(code).then(|| format!("https://www.shellcheck.net/wiki/{code}"))
}

/// Whether any ShellCheck finding could be reported with this configuration, so that
/// running ShellCheck is worth it: not when a selection names no `SC` code.
pub fn shellcheck_wanted(config: &Config) -> bool {
    config
        .select
        .as_ref()
        .is_none_or(|select| select.iter().any(|code| is_shellcheck_code(code)))
}

/// `SC` followed by digits: a ShellCheck finding.
pub fn is_shellcheck_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() > 2
        && bytes[..2].eq_ignore_ascii_case(b"SC")
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// Drops what configuration turns off and applies severity overrides.
fn apply_configuration(acc: &mut Vec<Diagnostic>, config: &Config, model: &Model) {
    acc.retain(|d| match d.meta() {
        Some(meta) => is_enabled(config, model, meta),
        None => is_shellcheck_code(d.code) && config.is_external_enabled(d.code),
    });
    for d in acc.iter_mut() {
        d.severity = config.severity_for(d.code, d.severity);
    }
}

fn sort_and_dedup(acc: &mut Vec<Diagnostic>) {
    acc.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code).cmp(&(b.range.start(), b.range.end(), b.code))
    });
    acc.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
}

/// Whether a rule runs and is reported: as configured, or, for an experimental BuildKit check,
/// when the file's `# check=experimental=` turns it on (configuration that ignores it, or a
/// selection that leaves it out, still wins).
fn is_enabled(config: &Config, model: &Model, meta: &RuleMeta) -> bool {
    config.is_enabled(meta)
        || (meta.experimental
            && config.select.is_none()
            && !config.is_ignored(meta)
            && model.check.enables_experimental(meta.code))
}

/// One problem, one diagnostic: a finding of a rule that declares `covered_by` is dropped
/// where a covering rule reports the same range, and its code is recorded on that finding so
/// either name suppresses it.
fn merge_covered(acc: &mut Vec<Diagnostic>) {
    let mut idx = 0;
    while idx < acc.len() {
        let covered_by = acc[idx].meta().map_or(&[][..], |m| m.covered_by);
        if covered_by.is_empty() {
            idx += 1;
            continue;
        }
        let (code, range) = (acc[idx].code, acc[idx].range);
        let cover = acc
            .iter()
            .position(|d| d.range == range && covered_by.contains(&d.code));
        match cover {
            Some(cover_idx) => {
                acc[cover_idx].merged_codes.push(code);
                acc.remove(idx);
            }
            None => idx += 1,
        }
    }
}

/// Parses the shell script of a RUN once, for every rule to share.
fn set_script(ctx: &mut RuleCtx, instr: &crate::syntax::ast::Instruction) {
    use crate::syntax::ast::AstNode;
    // PowerShell and cmd scripts are read with the POSIX grammar too (simple commands such as
    // `pip install x` look the same), but rules about POSIX semantics check `posix_shell`.
    ctx.posix_shell = ctx
        .model
        .is_posix_shell_at(instr.syntax().text_range().start());
    ctx.script = match instr.kind() {
        SyntaxKind::RUN_INSTR => Script::from_instruction(instr),
        _ => None,
    };
    ctx.mounts.clear();
    if instr.kind() == SyntaxKind::RUN_INSTR {
        ctx.mounts.extend(
            instr
                .flags()
                .filter(|f| f.name() == "mount")
                .filter_map(|f| f.value()),
        );
    }
    ctx.commands = ctx
        .script
        .as_ref()
        .map(Script::commands)
        .unwrap_or_default();
}

/// Drops suppressed findings, then reports suppression comments with unknown codes (LW9001)
/// and codes that suppressed nothing (LW9002).
fn apply_suppression(acc: &mut Vec<Diagnostic>, parse: &Parse, model: &Model, config: &Config) {
    let used = drop_suppressed(acc, model);
    report_pragma_problems(acc, parse, model, config, &used);
}

/// Drops findings a pragma covers; returns, per pragma and code, whether it suppressed
/// anything.
fn drop_suppressed(acc: &mut Vec<Diagnostic>, model: &Model) -> Vec<Vec<bool>> {
    let mut used: Vec<Vec<bool>> = model
        .pragmas
        .iter()
        .map(|p| vec![false; p.codes.len()])
        .collect();
    acc.retain(|d| {
        let mut suppressed = false;
        for (p_idx, pragma) in model.pragmas.iter().enumerate() {
            if !pragma.applies_to(d.range) {
                continue;
            }
            for (c_idx, (code, _)) in pragma.codes.iter().enumerate() {
                if d.is_named_by(code, pragma.tool) {
                    used[p_idx][c_idx] = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    used
}

/// LW9001 for unknown codes in pragmas, LW9002 for codes that suppressed nothing.
fn report_pragma_problems(
    acc: &mut Vec<Diagnostic>,
    parse: &Parse,
    model: &Model,
    config: &Config,
    used: &[Vec<bool>],
) {
    let report_unknown = config.is_enabled(&LW9001);
    let report_unused = config.is_enabled(&LW9002);
    if !report_unknown && !report_unused {
        return;
    }
    let mut text: Option<String> = None;
    for (p_idx, pragma) in model.pragmas.iter().enumerate() {
        for (c_idx, (code, range)) in pragma.codes.iter().enumerate() {
            let skip_all = pragma.tool == PragmaTool::Check && code.eq_ignore_ascii_case("all");
            if skip_all || is_external_code(code) {
                continue;
            }
            match registry::find(code) {
                None if report_unknown => {
                    let known = RULES
                        .iter()
                        .map(|e| e.meta.code)
                        .chain(BUILDKIT_CHECK_NAMES.iter().copied());
                    let hint = did_you_mean(code, known)
                        .map(|c| format!(": did you mean `{c}`?"))
                        .unwrap_or_default();
                    let mut d = Diagnostic::new(
                        &LW9001,
                        *range,
                        format!("no rule has the code `{code}`{hint}"),
                    );
                    d.severity = config.severity_for(LW9001.code, d.severity);
                    acc.push(d);
                }
                Some(meta)
                    if report_unused && !used[p_idx][c_idx] && is_enabled(config, model, meta) =>
                {
                    let source = text.get_or_insert_with(|| parse.syntax().to_string());
                    let mut d = Diagnostic::new(
                        &LW9002,
                        *range,
                        format!("`{code}` suppresses nothing here"),
                    );
                    d.severity = config.severity_for(LW9002.code, d.severity);
                    let edit = remove_code_edit(source, pragma, c_idx);
                    d = d.with_fix(Fix::safe(
                        format!("Remove `{code}` from the comment"),
                        vec![edit],
                    ));
                    acc.push(d);
                }
                _ => {}
            }
        }
    }
}

/// Codes of other tools that pragmas may name: ShellCheck's (their findings depend on a
/// `shellcheck` binary) and BuildKit's check names not implemented as rules.
fn is_external_code(code: &str) -> bool {
    is_shellcheck_code(code)
        || (registry::find(code).is_none()
            && BUILDKIT_CHECK_NAMES
                .iter()
                .any(|n| n.eq_ignore_ascii_case(code)))
}

/// The edit that removes one code from a pragma, or the whole comment line when it is the
/// only code.
fn remove_code_edit(source: &str, pragma: &crate::semantic::Pragma, idx: usize) -> Edit {
    let (_, range) = &pragma.codes[idx];
    if pragma.codes.len() == 1 && pragma.removal != pragma.range {
        return Edit::delete(pragma.removal);
    }
    if pragma.codes.len() == 1 {
        let start = usize::from(pragma.range.start());
        let mut end = usize::from(pragma.range.end());
        let bytes = source.as_bytes();
        if bytes.get(end) == Some(&b'\r') {
            end += 1;
        }
        if bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
        return Edit::delete(TextRange::new(
            TextSize::new(start as u32),
            TextSize::new(end as u32),
        ));
    }
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let bytes = source.as_bytes();
    if idx + 1 < pragma.codes.len() {
        // Remove the code, its comma and the blanks before the next code.
        let next = usize::from(pragma.codes[idx + 1].1.start());
        return Edit::delete(TextRange::new(
            TextSize::new(start as u32),
            TextSize::new(next as u32),
        ));
    }
    // The last code: remove the comma and blanks before it.
    let mut from = start;
    while from > 0 && matches!(bytes[from - 1], b' ' | b'\t' | b',') {
        from -= 1;
    }
    Edit::delete(TextRange::new(
        TextSize::new(from as u32),
        TextSize::new(end as u32),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_edits_skips_overlaps() {
        let r = |a: u32, b: u32| TextRange::new(a.into(), b.into());
        let text = "hello world";
        let out = apply_edits(
            text,
            &[
                Edit::replace(r(6, 11), "there"),
                Edit::insert(0.into(), ">> "),
                Edit::delete(r(7, 9)),
            ],
        );
        assert_eq!(out, ">> hello there");
    }
}

#[cfg(test)]
mod suppression_tests {
    use super::*;
    use crate::syntax::parse;

    /// Findings and the text they cover. The image-level `LW1xxx` rules (a process running
    /// as root, …) fire on most of these minimal snippets and are not what suppression is
    /// about: they are left out.
    fn run(text: &str, config: &Config) -> Vec<(&'static str, String)> {
        lint(&parse(text), config)
            .into_iter()
            .filter(|d| !d.code.starts_with("LW1"))
            .map(|d| {
                (
                    d.code,
                    text[usize::from(d.range.start())..usize::from(d.range.end())].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn pragmas_suppress_next_instruction_stage_and_file() {
        let config = Config::default();
        assert_eq!(run("# hadolint ignore=DL3006\nFROM debian\n", &config), []);
        assert_eq!(
            run("# hadolint ignore=DL3006\n\nFROM debian\n", &config),
            [("DL3006", "debian".to_string())]
        );
        assert_eq!(
            run("FROM debian\n# hadolint global ignore=DL3006\n", &config),
            []
        );
        assert_eq!(
            run(
                "# layerwise ignore=LW0009 # reason\nFROM a:1\nEXPOSE x\n",
                &config
            ),
            [("LW0009", "x".to_string())]
        );
        assert_eq!(
            run(
                "FROM a:1\n# layerwise ignore=LW0009 # reason\nEXPOSE x\n",
                &config
            ),
            []
        );
        assert_eq!(
            run(
                "# hadolint ignore=MaintainerDeprecated\nFROM a:1\n",
                &config
            ),
            [],
            "aliases suppress too"
        );
        let off = Config {
            disable_ignore_pragma: true,
            ..Config::default()
        };
        assert_eq!(
            run("# hadolint ignore=DL3006\nFROM debian\n", &off),
            [("DL3006", "debian".to_string())]
        );
    }

    #[test]
    fn check_directive_skips_by_code_alias_and_all() {
        let config = Config::default();
        assert_eq!(
            run("# check=skip=StageNameCasing\nFROM a:1 AS Build\n", &config),
            []
        );
        // A BuildKit name suppresses the DL rule that carries it as an alias.
        assert_eq!(
            run(
                "# check=skip=JSONArgsRecommended\nFROM a:1\nCMD x\n",
                &config
            ),
            []
        );
        // Names compare without case, and blanks and a `// reason` are allowed.
        assert_eq!(
            run(
                "# check=skip= stagenamecasing , FromAsCasing // legacy names\nFROM a:1 as Build\n",
                &config
            ),
            []
        );
        // `all` covers BuildKit's checks and DL rules with a BuildKit alias, nothing else.
        assert_eq!(
            run(
                "# check=skip=all\nFROM debian AS Build\nCMD x\nEXPOSE 80/TCP\n",
                &config
            ),
            [("DL3006", "debian".to_string())]
        );
        // Only the directive block counts as the directive; later it is per instruction.
        assert_eq!(
            run(
                "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=false\nFROM a:1\nCMD x\n",
                &config
            ),
            []
        );
        assert_eq!(
            run(
                "FROM a:1\n# check=skip=JSONArgsRecommended\n\nCMD x\n",
                &config
            ),
            [("DL3025", "x".to_string())]
        );
        let off = Config {
            disable_ignore_pragma: true,
            ..Config::default()
        };
        assert_eq!(
            run("# check=skip=StageNameCasing\nFROM a:1 AS Build\n", &off),
            [("StageNameCasing", "Build".to_string())]
        );
    }

    #[test]
    fn check_skip_above_one_instruction() {
        let config = Config::default();
        let text = "FROM a:1 AS x\n# check=skip=JSONArgsRecommended // tini forwards signals\nCMD x\nFROM b:1\nCMD y\n";
        assert_eq!(run(text, &config), [("DL3025", "y".to_string())]);
        // Anywhere in the comment block directly above; `all` works here too.
        let text =
            "FROM a:1\n# check=skip=all\n# run the server\nEXPOSE 80/TCP 8080:80\nEXPOSE 53/UDP\n";
        assert_eq!(
            run(text, &config),
            [("ExposeProtoCasing", "UDP".to_string())]
        );
        // Only the named checks are skipped.
        let text = "FROM a:1\n# check=skip=ExposeProtoCasing\nEXPOSE 80/TCP 8080:80\n";
        assert_eq!(
            run(text, &config),
            [("ExposeInvalidFormat", "8080:80".to_string())]
        );
    }

    #[test]
    fn check_error_makes_buildkit_findings_errors() {
        let text = "# check=error=true\nFROM debian AS Build\nCMD x\n";
        let severities: Vec<(&str, Severity)> = lint(&parse(text), &Config::default())
            .iter()
            .map(|d| (d.code, d.severity))
            .collect();
        assert_eq!(
            severities,
            [
                ("DL3006", Severity::Warning),
                ("LW1001", Severity::Warning),
                ("StageNameCasing", Severity::Error),
                ("DL3025", Severity::Error),
            ]
        );
        let text = "# check=error=false\nFROM a:1 AS Build\n";
        let diagnostics = lint(&parse(text), &Config::default());
        assert_eq!(diagnostics[0].severity, Severity::Warning);
    }

    #[test]
    fn check_experimental_turns_on_experimental_checks_only() {
        let text = "# check=experimental=InvalidDefinitionDescription;skip=all\n# not it\nARG V\nFROM a:1 AS Build\n";
        // `skip=all` leaves an experimental check that was asked for by name running.
        assert_eq!(
            run(text, &Config::default()),
            [("InvalidDefinitionDescription", "# not it".to_string())]
        );
        let ignored = Config {
            ignored: vec!["InvalidDefinitionDescription".to_string()],
            ..Config::default()
        };
        assert_eq!(run(text, &ignored), []);
        // `experimental=` does not turn on rules that are merely off by default.
        assert_eq!(
            run("# check=experimental=all\nFROM a:1\n", &Config::default()),
            []
        );
    }

    #[test]
    fn check_skip_codes_in_the_editor() {
        let editor = Config::editor();
        assert_eq!(
            run("# check=skip=NoSuchCheck\nFROM a:1\n", &editor),
            [("LW9001", "NoSuchCheck".to_string())]
        );
        // `all`, and BuildKit checks this tool does not implement, are never reported.
        assert_eq!(run("# check=skip=all\nFROM a:1\n", &editor), []);
        assert_eq!(
            run("# check=skip=InvalidBaseImagePlatform\nFROM a:1\n", &editor),
            []
        );
        let fixed = |text: &str| {
            let diagnostics = lint(&parse(text), &editor);
            let fix = diagnostics
                .iter()
                .find(|d| d.code == "LW9002")
                .and_then(|d| d.fix.clone())
                .expect("a fix");
            apply_edits(text, &fix.edits)
        };
        assert_eq!(
            fixed("# check=skip=StageNameCasing\nFROM a:1\n"),
            "FROM a:1\n"
        );
        assert_eq!(
            fixed("# check=skip=StageNameCasing;error=true\nFROM a:1\n"),
            "# check=error=true\nFROM a:1\n"
        );
        assert_eq!(
            fixed("# check=error=true;skip=StageNameCasing\nFROM a:1\n"),
            "# check=error=true\nFROM a:1\n"
        );
        assert_eq!(
            fixed("# check=skip=StageNameCasing,FromAsCasing\nFROM a:1 AS Build\n"),
            "# check=skip=StageNameCasing\nFROM a:1 AS Build\n"
        );
        assert_eq!(
            fixed("FROM a:1\n# check=skip=FromAsCasing // why\nRUN x\n"),
            "FROM a:1\nRUN x\n"
        );
    }

    #[test]
    fn unknown_and_unused_codes_in_the_editor() {
        let editor = Config::editor();
        assert_eq!(
            run("# hadolint ignore=DL3080\nFROM debian:12\n", &editor),
            [("LW9001", "DL3080".to_string())]
        );
        assert_eq!(
            run("# hadolint ignore=DL3006\nFROM debian:12\n", &editor),
            [("LW9002", "DL3006".to_string())]
        );
        assert_eq!(
            run(
                "# hadolint ignore=DL3006,SC2086,InvalidBaseImagePlatform\nFROM debian\n",
                &editor
            ),
            []
        );
        // Off by default in the CLI.
        assert_eq!(
            run(
                "# hadolint ignore=DL3080,DL3006\nFROM debian:12\n",
                &Config::default()
            ),
            []
        );
        let diagnostics = lint(
            &parse("# hadolint ignore=DL3006\nFROM debian:12\n"),
            &editor,
        );
        assert_eq!(diagnostics[0].severity, Severity::Style);
    }

    #[test]
    fn unused_suppression_fix_removes_only_the_stale_code() {
        let editor = Config::editor();
        let fixed = |text: &str| {
            let diagnostics = lint(&parse(text), &editor);
            let fix = diagnostics
                .iter()
                .find(|d| d.code == "LW9002")
                .and_then(|d| d.fix.clone())
                .expect("a fix");
            apply_edits(text, &fix.edits)
        };
        assert_eq!(
            fixed("# hadolint ignore=DL3006\nFROM debian:12\n"),
            "FROM debian:12\n"
        );
        assert_eq!(
            fixed("# hadolint ignore=DL3006, DL4000\nFROM debian\n"),
            "# hadolint ignore=DL3006\nFROM debian\n"
        );
        assert_eq!(
            fixed("# hadolint ignore=DL4000,DL3006\nFROM debian\n"),
            "# hadolint ignore=DL3006\nFROM debian\n"
        );
    }
}

#[cfg(test)]
mod external_tests {
    use super::*;
    use crate::shell::shellcheck::code_str;
    use crate::syntax::parse;

    /// An SC finding on the first `$x` of `text`.
    fn sc(text: &str, number: u32, severity: Severity) -> Diagnostic {
        let start = text.find("$x").unwrap_or_default();
        Diagnostic::external(
            code_str(number).unwrap_or("SC0000"),
            severity,
            TextRange::at(TextSize::new(start as u32), TextSize::new(2)),
            "m",
        )
    }

    fn filtered(
        text: &str,
        config: &Config,
        found: Vec<Diagnostic>,
    ) -> Vec<(&'static str, Severity)> {
        let model = Model::new(&parse(text).tree());
        filter_external(found, &model, config)
            .iter()
            .map(|d| (d.code, d.severity))
            .collect()
    }

    #[test]
    fn shellcheck_findings_go_through_the_same_filter() {
        let text = "FROM a:1\nRUN echo $x\n";
        let config = Config::default();
        let found = || {
            vec![
                sc(text, 2086, Severity::Info),
                sc(text, 2154, Severity::Warning),
            ]
        };
        assert_eq!(
            filtered(text, &config, found()),
            [("SC2086", Severity::Info), ("SC2154", Severity::Warning)]
        );

        // Pragmas, for the next instruction or the whole file.
        let ignored = "FROM a:1\n# hadolint ignore=SC2086\nRUN echo $x\n";
        let found_there = vec![
            sc(ignored, 2086, Severity::Info),
            sc(ignored, 2154, Severity::Warning),
        ];
        assert_eq!(
            filtered(ignored, &config, found_there.clone()),
            [("SC2154", Severity::Warning)]
        );
        let no_pragmas = Config {
            disable_ignore_pragma: true,
            ..Config::default()
        };
        assert_eq!(filtered(ignored, &no_pragmas, found_there).len(), 2);
        let global = "FROM a:1\nRUN echo $x\n# layerwise global ignore=sc2154\n";
        assert_eq!(
            filtered(global, &config, vec![sc(global, 2154, Severity::Warning)]),
            []
        );

        // Ignored codes, overrides, a selection.
        let configured = Config {
            ignored: vec!["SC2154".to_string()],
            overrides: vec![("sc2086".to_string(), Severity::Error)],
            ..Config::default()
        };
        assert_eq!(
            filtered(text, &configured, found()),
            [("SC2086", Severity::Error)]
        );
        let only_dl = Config {
            select: Some(vec!["DL3006".to_string()]),
            ..Config::default()
        };
        assert_eq!(filtered(text, &only_dl, found()), []);
        assert!(!shellcheck_wanted(&only_dl));
        assert!(shellcheck_wanted(&config));
    }

    #[test]
    fn merged_findings_are_in_position_order() {
        let text = "FROM ubuntu\nRUN echo $x\n";
        let builtin = lint(&parse(text), &Config::default());
        let merged = merge(builtin, vec![sc(text, 2086, Severity::Info)]);
        let codes: Vec<&str> = merged.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["DL3006", "SC2086"]);
    }

    #[test]
    fn code_urls() {
        assert_eq!(
            code_url("SC2086").as_deref(),
            Some("https://www.shellcheck.net/wiki/SC2086")
        );
        assert_eq!(
            code_url("DL3006").as_deref(),
            Some("https://github.com/hadolint/hadolint/wiki/DL3006")
        );
        assert_eq!(code_url("SCX"), None);
        assert_eq!(code_url("Sé1"), None);
        assert!(is_shellcheck_code("sc2086") && !is_shellcheck_code("SC"));
    }
}
