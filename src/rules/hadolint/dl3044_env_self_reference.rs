//! DL3044: an ENV pair using a variable set by the same ENV.

use std::collections::HashSet;

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, VarRef};

declare_rule! {
    /// ## What it does
    /// Flags an `ENV` pair that references a variable defined by another pair of the same
    /// `ENV` instruction, when that variable had no earlier definition.
    ///
    /// ## Why is this bad?
    /// All pairs of one `ENV` are expanded with the values from *before* the instruction. In
    /// `ENV DIR=/opt/app BIN=$DIR/bin`, `$DIR` is still empty when `BIN` is set, so `BIN`
    /// becomes `/bin`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV DIR=/opt/app BIN=$DIR/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV DIR=/opt/app
    /// ENV BIN=$DIR/bin
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3044; the range is the variable reference.
    pub static DL3044 = {
        code: "DL3044",
        name: "env-self-reference",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct EnvSelfReference {
    /// Every name an ENV or ARG has defined so far.
    defined: HashSet<String>,
}

impl Rule for EnvSelfReference {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx, instr: &ast::Instruction) {
        match instr.kind() {
            SyntaxKind::ARG_INSTR => {
                self.defined.extend(instr.key_values().map(|kv| kv.key()));
            }
            SyntaxKind::ENV_INSTR => {
                let pairs: Vec<ast::KeyValue> = instr.key_values().collect();
                let names: Vec<String> = pairs.iter().map(|kv| kv.key()).collect();
                for (idx, pair) in pairs.iter().enumerate() {
                    let Some(value) = pair.value_node() else {
                        continue;
                    };
                    for token in value.variables() {
                        let Some(var) = VarRef::parse(&token) else {
                            continue;
                        };
                        let set_by_sibling = names
                            .iter()
                            .enumerate()
                            .any(|(j, n)| j != idx && *n == var.name);
                        if set_by_sibling && !self.defined.contains(&var.name) {
                            acc.push(Diagnostic::new(
                                &DL3044,
                                token.text_range(),
                                format!("`{}` is set by this same ENV, so here it still has its old (empty) value", var.name),
                            ));
                        }
                    }
                }
                self.defined.extend(names);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn self_reference() {
        check_ranges(
            "FROM a:1\nENV DIR=/opt BIN=${DIR}/bin\n",
            &[("DL3044", "${DIR}")],
        );
        check_codes("FROM a:1\nENV DIR=/opt\nENV DIR=/srv BIN=$DIR/bin\n", &[]);
        check_codes("FROM a:1\nARG DIR=/opt\nENV DIR=/srv BIN=$DIR/bin\n", &[]);
        check_codes("FROM a:1\nENV PATH=/x:$PATH\n", &[]);
    }
}
