//! DL3020: ADD for plain local files.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags `ADD` when its sources are local files that are not archives.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it downloads URLs, clones git repositories and unpacks local
    /// archives. Using it for plain files hides which of these the author meant, and a file
    /// that later becomes a `.tar.gz` is silently extracted. `COPY` does only what it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ADD requirements.txt /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt /app/
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `ADD` with `COPY` is safe: for local non-archive sources both copy the same
    /// files. No fix is offered when the ADD uses flags COPY lacks (`--checksum`,
    /// `--keep-git-dir`, `--unpack`).
    ///
    /// ## Notes
    /// URLs (`http://`, `https://`), git sources (`git@…`, `git://…`, `…/repo.git`) and local
    /// archives (`.tar`, `.tar.gz`, `.tgz`, `.xz`, `.bz2`…) are what ADD is for and are not
    /// reported.
    ///
    /// ## References
    /// Matches hadolint's DL3020, except that hadolint also flags git sources, which ADD
    /// supports since BuildKit 0.11 (a known hadolint false positive).
    pub static DL3020 = {
        code: "DL3020",
        name: "add-instead-of-copy",
        origin: Hadolint,
        severity: Error,
        fix: Sometimes,
    }
}

/// File endings ADD extracts, as hadolint recognises them.
pub(super) const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

pub(super) fn is_archive(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    ARCHIVE_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
}

fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || (lower.contains("://") && lower.trim_end_matches('/').ends_with(".git"))
}

#[derive(Default)]
pub struct AddInsteadOfCopy;

impl Rule for AddInsteadOfCopy {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::ADD_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(add) = ast::Copy::cast(instr.syntax().clone()) else {
            return;
        };
        let sources = add.sources();
        if sources.is_empty()
            || sources
                .iter()
                .any(|s| is_remote(s) || is_archive(s) || s.contains('$'))
        {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &DL3020,
            instr.keyword_range(),
            "use COPY to copy local files: ADD also unpacks archives and fetches URLs",
        );
        let copy_lacks_flag = instr
            .flags()
            .any(|f| matches!(f.name().as_str(), "checksum" | "keep-git-dir" | "unpack"));
        if !copy_lacks_flag {
            let keyword = instr.keyword_text();
            let replacement = if keyword.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            diagnostic = diagnostic.with_fix(Fix::safe(
                "Use COPY",
                vec![Edit::replace(instr.keyword_range(), replacement)],
            ));
        }
        acc.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn add() {
        check_fix(
            "FROM a:1\nADD app.py /app/\n",
            "DL3020",
            "FROM a:1\nCOPY app.py /app/\n",
        );
        check_fix(
            "FROM a:1\nadd app.py /app/\n",
            "DL3020",
            "FROM a:1\ncopy app.py /app/\n",
        );
        check_codes("FROM a:1\nADD rootfs.tar.xz /\n", &[]);
        check_codes("FROM a:1\nADD https://example.com/a.txt /a.txt\n", &[]);
        check_codes("FROM a:1\nADD git@github.com:moby/buildkit.git /src\n", &[]);
        check_codes(
            "FROM a:1\nADD https://github.com/moby/buildkit.git#v0.12 /src\n",
            &[],
        );
    }
}
