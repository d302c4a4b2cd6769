//! DL3010: a local tar archive copied with COPY and then unpacked by hand.

use rowan::TextRange;

use super::util::{has_flag, positional_args};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` of a local tar archive that a later `RUN` of the same stage unpacks
    /// (`tar -x`, or `gunzip`, `bunzip2`, `unxz`… on it).
    ///
    /// ## Why is this bad?
    /// `ADD` unpacks a local tar archive (plain, gzip, bzip2 or xz) into the destination
    /// directory by itself. Copying the archive first stores it in a layer of its own, and
    /// deleting it in the later `RUN` does not take those bytes out of the image. `ADD` does the
    /// same work in one step and leaves only the unpacked files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// ADD app.tar.gz /opt/
    /// ```
    ///
    /// ## Notes
    /// The archive is recognised by its file name, in the source or in the destination
    /// (`COPY build.out /tmp/app.tar`), and matched with the extracting command by base name.
    /// `COPY --from` is not checked: `ADD` cannot take files from another stage.
    ///
    /// ## References
    /// Matches hadolint's DL3010, which reports the COPY line; layerwise points at the archive
    /// word. layerwise only reports what `ADD` could really do instead, so it leaves out:
    /// compressed files that are not tar archives (`gunzip data.sql.gz`: `ADD` would copy them
    /// unchanged), formats `ADD` does not unpack (`.Z`, `.lz`, `.lzma`), and `tar` runs that
    /// `ADD` has no equivalent for (`--strip-components`, `-O`/`--to-stdout`). It also
    /// recognises old-style `tar xzf app.tar.gz` and `--file=app.tar.gz`, and does not take
    /// `--exclude` for an extraction.
    pub static DL3010 = {
        code: "DL3010",
        name: "copied-archive-extracted",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

/// A local archive copied into the current stage.
struct CopiedArchive {
    basename: String,
    range: TextRange,
    reported: bool,
}

#[derive(Default)]
pub struct CopiedArchiveExtracted {
    /// Archives copied so far in the current stage.
    archives: Vec<CopiedArchive>,
}

impl Rule for CopiedArchiveExtracted {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        match instr.kind() {
            SyntaxKind::FROM_INSTR => self.archives.clear(),
            SyntaxKind::COPY_INSTR if instr.flag("from").is_none() => {
                self.archives.extend(copied_archives(instr));
            }
            SyntaxKind::RUN_INSTR => {
                for cmd in ctx.commands.iter() {
                    let Some(tool) = extraction_tool(cmd) else {
                        continue;
                    };
                    let names = extracted_names(cmd);
                    for archive in &mut self.archives {
                        if archive.reported || !names.iter().any(|n| *n == archive.basename) {
                            continue;
                        }
                        archive.reported = true;
                        acc.push(
                            Diagnostic::new(
                                &DL3010,
                                archive.range,
                                format!(
                                    "`{}` is copied here and unpacked later with `{tool}`: `ADD` unpacks a local tar archive by itself",
                                    archive.basename
                                ),
                            )
                            .with_related(cmd.range, "unpacked here"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The archives a COPY brings in: its destination when that is an archive name, otherwise
/// each source that is one.
fn copied_archives(instr: &ast::Instruction) -> Vec<CopiedArchive> {
    let mut paths: Vec<(String, TextRange)> = match instr.json_array() {
        Some(array) => array
            .string_tokens()
            .map(|t| (ast::decode_json_string(t.text()), t.text_range()))
            .collect(),
        None => instr
            .arguments()
            .map(|a| (ast::unquote(&a.text()), a.range()))
            .collect(),
    };
    let Some(destination) = paths.pop() else {
        return Vec::new();
    };
    let archive = |(path, range): (String, TextRange)| {
        let basename = basename(&path).to_string();
        is_addable_archive(&basename).then_some(CopiedArchive {
            basename,
            range,
            reported: false,
        })
    };
    match archive(destination) {
        Some(destination) if !paths.is_empty() => vec![destination],
        _ => paths.into_iter().filter_map(archive).collect(),
    }
}

/// The command's name when it unpacks an archive `ADD` could have unpacked.
fn extraction_tool(cmd: &Command) -> Option<&str> {
    let program = cmd.program();
    match program {
        "tar" => {
            let old_style = cmd.args.first().is_some_and(|a| {
                !a.text.starts_with('-')
                    && a.text.contains('x')
                    && a.text.chars().all(|c| c.is_ascii_alphabetic())
            });
            let extracts = old_style || has_flag(cmd, &["-x", "--extract", "--get"]);
            let add_cannot = has_flag(cmd, &["--strip-components", "--to-stdout", "-O"]);
            (extracts && !add_cannot).then_some(program)
        }
        "unzip" | "gunzip" | "bunzip2" | "unlzma" | "unxz" | "zgz" | "uncompress" | "zcat"
        | "gzcat" => Some(program),
        _ => None,
    }
}

/// Base names of the files a command works on: its plain arguments and `--file=` values.
fn extracted_names(cmd: &Command) -> Vec<&str> {
    let mut names: Vec<&str> = positional_args(cmd, &[])
        .into_iter()
        .map(|w| basename(&w.text))
        .collect();
    names.extend(
        cmd.args
            .iter()
            .filter_map(|a| a.text.strip_prefix("--file="))
            .map(basename),
    );
    names
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A tar archive, plain or compressed with something `ADD` can decompress.
fn is_addable_archive(name: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn extracted() {
        check_ranges(
            "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
            &[("DL3010", "app.tar.gz")],
        );
        check_ranges(
            "FROM a:1\nCOPY out /tmp/app.tar\nRUN tar --extract --file=/tmp/app.tar\n",
            &[("DL3010", "/tmp/app.tar")],
        );
        check_ranges(
            "FROM a:1\nCOPY [\"a.tgz\", \"b.txt\", \"/tmp/\"]\nRUN tar xzf /tmp/a.tgz\n",
            &[("DL3010", "\"a.tgz\"")],
        );
        check_codes(
            "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN gunzip /tmp/app.tar.gz\n",
            &["DL3010"],
        );
        check_codes(
            "FROM a:1\nCOPY app.tbz2 /tmp/\nRUN tar --get -f /tmp/app.tbz2\n",
            &["DL3010"],
        );
        // Reported once, however often it is unpacked.
        check_codes(
            "FROM a:1\nCOPY app.tar /tmp/\nRUN tar -xf /tmp/app.tar\nWORKDIR /x\nRUN tar -xf /tmp/app.tar\n",
            &["DL3010"],
        );
    }

    #[test]
    fn not_extracted_or_not_addable() {
        check_codes("FROM a:1\nCOPY app.tar.gz /tmp/\nRUN ls /tmp\n", &[]);
        check_codes(
            "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -czf /tmp/app.tar.gz --exclude=x /src\n",
            &[],
        );
        check_codes(
            "FROM a:1\nCOPY dump.sql.gz /tmp/\nRUN gunzip /tmp/dump.sql.gz\n",
            &[],
        );
        check_codes(
            "FROM a:1\nCOPY old.tar.Z /tmp/\nRUN tar -xZf /tmp/old.tar.Z\n",
            &[],
        );
        check_codes(
            "FROM a:1\nCOPY node.tar.xz /tmp/\nRUN tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS build\nCOPY app.tar /tmp/\nFROM a:1\nRUN tar -xf /tmp/app.tar\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS build\nFROM a:1\nCOPY --from=build /app.tar /tmp/\nRUN tar -xf /tmp/app.tar\n",
            &[],
        );
        check_codes(
            "FROM a:1\nADD app.tar /tmp/\nRUN tar -xf /tmp/app.tar\n",
            &[],
        );
        check_codes(
            "FROM a:1\nONBUILD COPY app.tar /tmp/\nONBUILD RUN tar -xf /tmp/app.tar\n",
            &[],
        );
    }
}
