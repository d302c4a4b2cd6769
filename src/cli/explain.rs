//! `layerwise explain [CODE]`: a rule's documentation, or the list of rules. ShellCheck's
//! codes (`SC2086`) are not rules: for them it names ShellCheck's wiki page.

use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;

use super::exit;
use crate::diagnostics::{code_url, is_shellcheck_code};
use crate::rules::registry::{self, RULES};
use crate::rules::{FixAvailability, RuleMeta};
use crate::syntax::validation::did_you_mean;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`DL3006`, `LW0001`) or alias; omit to list every rule.
    pub code: Option<String>,

    /// `text` (markdown) or `json`.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    name: &'a str,
    origin: &'a str,
    severity: &'a str,
    fix: &'a str,
    aliases: &'a [&'a str],
    url: String,
    summary: String,
    docs: String,
}

fn to_json(meta: &RuleMeta) -> RuleJson<'_> {
    RuleJson {
        code: meta.code,
        name: meta.name,
        origin: meta.origin.as_str(),
        severity: meta.default_severity.as_str(),
        fix: match meta.fix {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        },
        aliases: meta.aliases,
        url: meta.url(),
        summary: meta.summary(),
        docs: meta.docs(),
    }
}

pub fn run(args: &ExplainArgs) -> i32 {
    let json = args.format == "json";
    let Some(code) = &args.code else {
        let out = if json {
            let all: Vec<RuleJson> = RULES.iter().map(|e| to_json(e.meta)).collect();
            serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
        } else {
            let mut out = String::new();
            for entry in RULES {
                let m = entry.meta;
                let _ = writeln!(
                    out,
                    "{:<8} {:<8} {:<28} {}",
                    m.code,
                    m.default_severity.as_str(),
                    m.name,
                    m.summary()
                );
            }
            out
        };
        print!("{out}");
        return exit::CLEAN;
    };
    if is_shellcheck_code(code)
        && let Some(url) = code_url(&code.to_ascii_uppercase())
    {
        // ShellCheck's codes are not our rules: its wiki documents them.
        let code = code.to_ascii_uppercase();
        if json {
            let value = serde_json::json!({"code": code, "origin": "shellcheck", "url": url});
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        } else {
            println!("# {code} (ShellCheck)\n");
            println!(
                "Reported on RUN commands when a `shellcheck` binary is available \
                 (`--shellcheck`). {url}"
            );
        }
        return exit::CLEAN;
    }
    let Some(meta) = registry::find(code).or_else(|| {
        RULES
            .iter()
            .map(|e| e.meta)
            .find(|m| m.name == code.as_str())
    }) else {
        let codes = RULES.iter().map(|e| e.meta.code);
        let hint = did_you_mean(code, codes)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        eprintln!("layerwise: error: no rule `{code}`{hint}; `layerwise explain` lists them all");
        return exit::ERROR;
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(meta)).unwrap_or_default()
        );
    } else {
        let aliases = if meta.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", meta.aliases.join(", "))
        };
        println!("# {} ({}){aliases}\n", meta.code, meta.name);
        println!(
            "Default severity: {}. Origin: {}. {}\n",
            meta.default_severity.as_str(),
            meta.origin.as_str(),
            meta.url()
        );
        print!("{}", meta.docs());
    }
    exit::CLEAN
}
