//! Variables as BuildKit resolves them: build arguments and environment variables, their
//! definitions, their uses, and their values when no build arguments are passed.
//!
//! Scopes follow BuildKit: ARGs before the first FROM are global and visible in FROM lines; in
//! a stage a global ARG becomes visible only after a bare `ARG NAME` re-declaration; a stage's
//! ARG and ENV are visible from the next instruction on; ENV (not ARG) is inherited through
//! `FROM <stage>`; the automatic platform ARGs (`TARGETPLATFORM`, `BUILDARCH`…) are global and
//! need an `ARG` in a stage too. All pairs of one ENV/ARG see the values from before the
//! instruction. Variables of the base image's environment are unknown here.
//!
//! It does not decide what is wrong (UndefinedVar is a rule) and does no IO.

use std::collections::HashMap;

use rowan::{TextRange, TextSize};

use crate::syntax::SyntaxKind::{self, *};
use crate::syntax::ast::{self, AstNode, VarRef};
use crate::syntax::{SyntaxNode, SyntaxToken};

/// The build arguments BuildKit defines on its own, visible in FROM lines without `ARG`.
pub const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Build arguments that exist without a declaration in RUN's environment (proxies and
/// BuildKit's own switches).
pub const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SOURCE_DATE_EPOCH",
    "BUILDKIT_SYNTAX",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_DOCKERFILE_CHECK",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// `ARG` before the first FROM.
    GlobalArg,
    /// `ARG` inside a stage.
    Arg,
    Env,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub kind: VarKind,
    pub name_range: TextRange,
    /// Start of the defining instruction.
    pub instr_start: TextSize,
    pub stage: Option<usize>,
    /// The value when no build arguments are passed: an ARG without default is empty. `None`
    /// when it depends on something unknown here (the base image's environment, the platform).
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarUse {
    pub name: String,
    /// The variable name's range.
    pub name_range: TextRange,
    /// The whole reference (`${NAME:-x}`).
    pub token_range: TextRange,
    pub stage: Option<usize>,
    /// The definition in scope, if any.
    pub def: Option<usize>,
    /// In a FROM line (global scope).
    pub in_from: bool,
    /// BuildKit expands this reference itself (not the shell at run time, as in RUN and CMD).
    pub expanded_by_buildkit: bool,
    /// The instruction holding the reference.
    pub instr_kind: SyntaxKind,
    /// A build argument BuildKit defines itself (`TARGETARCH` in a FROM line).
    pub predefined: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variables {
    pub defs: Vec<VarDef>,
    pub uses: Vec<VarUse>,
    /// Names of global ARGs (before the first FROM), in order.
    pub global_args: Vec<usize>,
    /// Per stage: the FROM image with global ARGs applied (when known), and the earlier stage
    /// it names, if any (`ARG BASE=build` + `FROM $BASE` builds on stage `build`).
    pub from_images: Vec<Option<String>>,
    pub stage_bases: Vec<Option<usize>>,
    /// For each use, looked up by the start of its token: index into `uses`.
    by_token: HashMap<TextSize, usize>,
}

/// What is visible at a point: name → definition index (`None` for a predefined argument).
type Scope = HashMap<String, Option<usize>>;

impl Variables {
    pub(super) fn new(file: &ast::SourceFile, source: &str) -> Variables {
        let mut vars = Variables::default();
        let mut stage_names: Vec<Option<String>> = Vec::new();
        let mut global: Scope = PLATFORM_ARGS
            .iter()
            .map(|n| (n.to_string(), None))
            .collect();
        let mut stage_idx: Option<usize> = None;
        let mut scope: Scope = Scope::new();
        // Final ENV scope of each stage, for inheritance through FROM <stage>.
        let mut stage_envs: Vec<Scope> = Vec::new();

        for instr in file.instructions() {
            let kind = instr.kind();
            let range = instr.syntax().text_range();
            let start = range.start();
            // Most instructions hold no variable at all; a byte search of their text is much
            // cheaper than walking their tokens.
            let has_dollar = source
                .get(usize::from(range.start())..usize::from(range.end()))
                .is_none_or(|t| t.contains('$'));
            if kind == FROM_INSTR {
                if let Some(idx) = stage_idx {
                    stage_envs.push(env_only(&scope, &vars.defs));
                    debug_assert_eq!(stage_envs.len(), idx + 1);
                }
                // FROM lines see the global scope.
                let next = stage_idx.map_or(0, |i| i + 1);
                if has_dollar {
                    vars.collect_uses(instr.syntax(), &global, Some(next), true, kind);
                }
                let from = ast::From::cast(instr.syntax().clone());
                let image = from
                    .as_ref()
                    .and_then(|f| f.image())
                    .and_then(|img| vars.resolve_in(&img, &global, true));
                let base = image.as_ref().and_then(|img| {
                    stage_names
                        .iter()
                        .position(|n| n.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(img)))
                });
                stage_names.push(from.and_then(|f| f.stage_name()).map(|n| n.text()));
                vars.from_images.push(image);
                vars.stage_bases.push(base);
                stage_idx = Some(next);
                scope = match base.and_then(|b| stage_envs.get(b)) {
                    Some(inherited) => inherited.clone(),
                    None => Scope::new(),
                };
                continue;
            }
            let current: &Scope = if stage_idx.is_some() { &scope } else { &global };
            if has_dollar {
                vars.collect_uses(instr.syntax(), current, stage_idx, false, kind);
            }
            let (ARG_INSTR | ENV_INSTR) = kind else {
                continue;
            };
            // All pairs see the values from before the instruction.
            let before = current.clone();
            let mut new_defs = Vec::new();
            for pair in instr.key_values() {
                let Some(key_node) = pair.key_node() else {
                    continue;
                };
                let name = pair.key();
                if name.is_empty() {
                    continue;
                }
                let var_kind = match (kind, stage_idx) {
                    (ENV_INSTR, _) => VarKind::Env,
                    (_, None) => VarKind::GlobalArg,
                    _ => VarKind::Arg,
                };
                let value = match pair.value_node() {
                    Some(node) if !pair.is_legacy() => {
                        vars.resolve_in(&node, &before, stage_idx.is_none())
                    }
                    Some(_) => pair.value(),
                    // `ARG NAME` in a stage takes the global default.
                    None if var_kind == VarKind::Arg => match global.get(&name) {
                        Some(Some(def)) => vars.defs[*def].value.clone(),
                        Some(None) => None,
                        None => Some(String::new()),
                    },
                    None => Some(String::new()),
                };
                vars.defs.push(VarDef {
                    name: name.clone(),
                    kind: var_kind,
                    name_range: key_node.range(),
                    instr_start: start,
                    stage: stage_idx,
                    value,
                });
                new_defs.push((name, vars.defs.len() - 1));
            }
            for (name, def) in new_defs {
                if stage_idx.is_none() {
                    vars.global_args.push(def);
                    global.insert(name, Some(def));
                } else {
                    scope.insert(name, Some(def));
                }
            }
        }
        vars.by_token = vars
            .uses
            .iter()
            .enumerate()
            .map(|(i, u)| (u.token_range.start(), i))
            .collect();
        vars
    }

    /// Records every variable reference in `node` (ONBUILD's nested instruction excluded: it is
    /// expanded in the child build).
    fn collect_uses(
        &mut self,
        node: &SyntaxNode,
        scope: &Scope,
        stage: Option<usize>,
        in_from: bool,
        kind: SyntaxKind,
    ) {
        for element in node.descendants_with_tokens() {
            let Some(token) = element.into_token() else {
                continue;
            };
            if token.kind() != VARIABLE || inside_onbuild_nested(&token, node) {
                continue;
            }
            let Some(var) = VarRef::parse(&token) else {
                continue;
            };
            let expanded = expanded_by_buildkit(&token);
            let entry = scope.get(&var.name).copied();
            let def = entry.flatten();
            self.uses.push(VarUse {
                name: var.name,
                name_range: var.name_range,
                token_range: token.text_range(),
                stage,
                def,
                in_from,
                expanded_by_buildkit: expanded,
                instr_kind: kind,
                predefined: entry == Some(None),
            });
        }
    }

    /// Whether `name` is visible where the use at `token_range` is (a definition or a
    /// predefined argument).
    pub fn use_at(&self, token_start: TextSize) -> Option<&VarUse> {
        self.by_token.get(&token_start).map(|i| &self.uses[*i])
    }

    /// The value of a word (an argument, a flag value) when no build arguments are passed;
    /// `None` when it depends on something unknown.
    pub fn resolve(&self, word: &ast::Argument) -> Option<String> {
        let mut out = String::new();
        for token in word
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            match token.kind() {
                VARIABLE => {
                    let var = VarRef::parse(&token)?;
                    let var_use = self.use_at(token.text_range().start())?;
                    let value = match (var_use.def, var_use.predefined) {
                        (Some(def), _) => Some(self.defs[def].value.clone()),
                        (None, true) => Some(None),
                        (None, false) if var_use.in_from || var_use.stage.is_none() => None,
                        (None, false) => return None,
                    };
                    out.push_str(&apply_operator(&var, value)?);
                }
                kind if kind.is_trivia() => {}
                _ => out.push_str(token.text()),
            }
        }
        Some(ast::unquote(&out))
    }

    /// Like `resolve`, but against a scope being built (definitions not yet indexed).
    fn resolve_in(&self, word: &ast::Argument, scope: &Scope, global: bool) -> Option<String> {
        let mut out = String::new();
        for token in word
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            match token.kind() {
                VARIABLE => {
                    let var = VarRef::parse(&token)?;
                    let value = match scope.get(&var.name) {
                        Some(def) => Some(def.and_then(|d| self.defs[d].value.clone())),
                        // Global scope has no base image: an undefined name is unset.
                        None if global => None,
                        // In a stage it may come from the base image's environment: unknown.
                        None => return None,
                    };
                    out.push_str(&apply_operator(&var, value)?);
                }
                kind if kind.is_trivia() => {}
                _ => out.push_str(token.text()),
            }
        }
        Some(ast::unquote(&out))
    }

    /// Definitions of `name` visible anywhere, for did-you-mean suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.iter().map(|d| d.name.as_str())
    }
}

/// Applies `${V:-x}` and friends to a variable's value. `value` is `None` when the variable is
/// undefined *or* its value is unknown; both give `None` unless the operator decides alone.
fn apply_operator(var: &VarRef, value: Option<Option<String>>) -> Option<String> {
    let word = var.word.clone().unwrap_or_default();
    if word.contains('$') {
        return None;
    }
    match (var.operator.as_deref(), value) {
        (None, Some(Some(v))) => Some(v),
        (None, _) => None,
        (Some(":-"), Some(Some(v))) => Some(if v.is_empty() { word } else { v }),
        (Some(":-" | "-"), None) => Some(word),
        (Some("-"), Some(Some(v))) => Some(v),
        (Some(":+"), Some(Some(v))) => Some(if v.is_empty() { String::new() } else { word }),
        (Some("+"), Some(Some(_))) => Some(word),
        (Some(":+" | "+"), None) => Some(String::new()),
        (Some(":?" | "?"), Some(Some(v))) => Some(v),
        _ => None,
    }
}

/// Variables of the base image's environment are unknown, so only variables defined in the
/// file keep their value across `FROM <stage>`.
fn env_only(scope: &Scope, defs: &[VarDef]) -> Scope {
    scope
        .iter()
        .filter(|(_, def)| def.is_some_and(|d| defs[d].kind == VarKind::Env))
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

fn inside_onbuild_nested(token: &SyntaxToken, top: &SyntaxNode) -> bool {
    token
        .parent_ancestors()
        .take_while(|n| n != top)
        .any(|n| n.kind().is_instruction())
        && top.kind() == ONBUILD_INSTR
}

/// RUN, CMD and ENTRYPOINT commands (and heredoc bodies) are expanded by the shell at run time,
/// not by BuildKit; their flags are.
fn expanded_by_buildkit(token: &SyntaxToken) -> bool {
    !token
        .parent_ancestors()
        .any(|n| matches!(n.kind(), SHELL_COMMAND | JSON_ARRAY | HEREDOC))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::Model;
    use crate::syntax::parse;

    fn model(text: &str) -> Model {
        Model::new(&parse(text).tree())
    }

    fn def_of(m: &Model, text: &str, needle: &str) -> Option<String> {
        let at = TextSize::new(text.find(needle).expect("needle") as u32);
        let u = m
            .vars
            .uses
            .iter()
            .find(|u| u.token_range.start() == at)
            .expect("a use");
        u.def.map(|d| {
            m.vars.defs[d].name.clone() + "=" + m.vars.defs[d].value.as_deref().unwrap_or("?")
        })
    }

    #[test]
    fn scopes_follow_buildkit() {
        let text = "ARG V=1\nARG B=base\nFROM img:$V AS base\nENV E=x\nRUN echo $V\nARG V\nRUN echo ${V}\nFROM $B\nRUN echo $E\nFROM img AS other\nRUN echo $E.\n";
        let m = model(text);
        assert_eq!(
            def_of(&m, text, "$V AS"),
            Some("V=1".into()),
            "global ARG in FROM"
        );
        assert_eq!(
            def_of(&m, text, "$V\nARG"),
            None,
            "global ARG needs re-declaring in a stage"
        );
        assert_eq!(
            def_of(&m, text, "${V}"),
            Some("V=1".into()),
            "bare ARG takes the global default"
        );
        assert_eq!(
            def_of(&m, text, "$E\nFROM img"),
            Some("E=x".into()),
            "ENV inherited through FROM <stage>"
        );
        assert_eq!(
            m.vars.stage_bases,
            [None, Some(0), None],
            "FROM $B names stage `base`"
        );
        assert_eq!(def_of(&m, text, "$E."), None);
        let run_use = m
            .vars
            .uses
            .iter()
            .find(|u| u.instr_kind == RUN_INSTR)
            .unwrap();
        assert!(!run_use.expanded_by_buildkit);
    }

    #[test]
    fn values_with_operators() {
        let text = "ARG A\nARG B=${A:-fallback}\nARG C=${A:+set}x\nFROM img:${TAG:-latest}\nENV P=/opt/$UNKNOWN\n";
        let m = model(text);
        let value = |name: &str| {
            m.vars
                .defs
                .iter()
                .find(|d| d.name == name)
                .and_then(|d| d.value.clone())
        };
        assert_eq!(value("A").as_deref(), Some(""));
        assert_eq!(value("B").as_deref(), Some("fallback"));
        assert_eq!(value("C").as_deref(), Some("x"));
        assert_eq!(value("P"), None, "depends on the base image's environment");
        let from = parse(text)
            .tree()
            .instructions()
            .find(|i| i.kind() == FROM_INSTR)
            .unwrap();
        let image = ast::From::cast(from.syntax().clone())
            .unwrap()
            .image()
            .unwrap();
        assert_eq!(m.vars.resolve(&image).as_deref(), Some("img:latest"));
    }

    #[test]
    fn platform_args_are_global() {
        let text = "FROM --platform=$BUILDPLATFORM img\nRUN echo $TARGETARCH\nARG TARGETARCH\nRUN echo $TARGETARCH\n";
        let m = model(text);
        assert!(m.vars.uses[0].predefined && m.vars.uses[0].in_from);
        assert!(!m.vars.uses[1].predefined);
        let defined = |i: usize| m.vars.uses[i].def.is_some();
        assert!(!defined(1));
        assert!(defined(2));
    }
}
