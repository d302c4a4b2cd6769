//! DL3058: a label of type `email` in the label schema whose value is not an email address.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `email` when its value is
    /// not an email address (`local-part@domain`, RFC 5322's `addr-spec`).
    ///
    /// ## Why is this bad?
    /// Contact labels are read by people and by tools that notify owners about
    /// vulnerabilities in their images. An address such as `ops at example.com` or a team
    /// name cannot be written to.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="ops at example.com"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="ops@example.com"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `email`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.authors: email
    /// ```
    ///
    /// ## Known problems
    /// The check is the practical subset of RFC 5322 that mail servers accept: a dot-atom or
    /// quoted local part of at most 64 characters, and a domain of DNS labels or a bracketed
    /// IP address, 254 characters in all. A display name (`Jane <jane@example.com>`),
    /// comments and non-ASCII addresses (RFC 6531) are reported.
    ///
    /// ## References
    /// Matches hadolint's DL3058, except that a domain ending in a dot
    /// (`ops@example.com.`), which RFC 5322 does not allow and hadolint accepts, is
    /// reported; values holding a variable are not checked; an empty value is left to
    /// DL3051. RFC 5322, section 3.4.1 (`addr-spec`); RFC 5321,
    /// section 4.5.3.1 (length limits).
    pub static DL3058 = {
        code: "DL3058",
        name: "invalid-email-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidEmailLabel;

impl Rule for InvalidEmailLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Email) {
            if is_email(&pair.value) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3058,
                pair.value_range,
                format!(
                    "label `{}` is not an email address such as `name@example.com`",
                    pair.key
                ),
            ));
        }
    }
}

/// Whether `text` is an email address: RFC 5322 `addr-spec` without comments or folding
/// white space, within RFC 5321's length limits.
pub fn is_email(text: &str) -> bool {
    // A quoted local part may hold `@`; the domain never does.
    let Some((local_part, domain)) = text.rsplit_once('@') else {
        return false;
    };
    text.len() <= 254 && is_local_part(local_part) && is_domain(domain)
}

/// `dot-atom / quoted-string`, at most 64 characters.
fn is_local_part(local_part: &str) -> bool {
    if local_part.len() > 64 {
        return false;
    }
    match local_part
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(quoted) => is_quoted_content(quoted),
        None => {
            !local_part.is_empty()
                && local_part
                    .split('.')
                    .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
        }
    }
}

/// The inside of a quoted string: printable ASCII and spaces, with `"` and `\` escaped.
fn is_quoted_content(quoted: &str) -> bool {
    let mut bytes = quoted.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                if !bytes
                    .next()
                    .is_some_and(|escaped| (b' '..=b'~').contains(&escaped))
                {
                    return false;
                }
            }
            b'"' => return false,
            b' '..=b'~' => {}
            _ => return false,
        }
    }
    true
}

/// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        )
}

/// A host name of DNS labels, or an address literal `[192.0.2.1]` / `[IPv6:2001:db8::1]`.
fn is_domain(domain: &str) -> bool {
    if let Some(literal) = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return match literal.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
            None => literal.parse::<Ipv4Addr>().is_ok(),
        };
    }
    !domain.is_empty() && domain.len() <= 253 && domain.split('.').all(is_dns_label)
}

/// 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::is_email;
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn valid_addresses() {
        let long_local = "a".repeat(64);
        let long_local_address = format!("{long_local}@example.com");
        for ok in [
            "ops@example.com",
            "jane.doe@example.com",
            "jane+docker@sub.example.co.uk",
            "o'brien@example.ie",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "user@localhost",
            "x@a.b",
            "\"jane doe\"@example.com",
            "\"a@b\"@example.com",
            "\"quote\\\"inside\"@example.com",
            "\"\"@example.com",
            "user@[192.0.2.1]",
            "user@[IPv6:2001:db8::1]",
            "user@xn--bcher-kva.example",
            "123@456.789",
            long_local_address.as_str(),
        ] {
            assert!(is_email(ok), "{ok}");
        }
    }

    #[test]
    fn invalid_addresses() {
        let too_long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        let long_label = format!("a@{}.com", "b".repeat(64));
        for bad in [
            "",
            "ops",
            "ops at example.com",
            "@example.com",
            "ops@",
            "ops@@example.com",
            "ops@exa@mple.com",
            ".ops@example.com",
            "ops.@example.com",
            "o..ps@example.com",
            "o ps@example.com",
            "ops@example..com",
            "ops@.example.com",
            "ops@example.com.",
            "ops@-example.com",
            "ops@example-.com",
            "ops@exa_mple.com",
            "ops@exa mple.com",
            "Jane <jane@example.com>",
            "jane@example.com (Jane)",
            "\"unterminated@example.com",
            "\"a\"b\"@example.com",
            "\"ends with backslash\\\"@example.com",
            "user@[300.0.0.1]",
            "user@[2001:db8::1]",
            "user@[IPv6:not]",
            "jörg@example.com",
            "jane@bücher.example",
            "jane@example.com,john@example.com",
            too_long_local.as_str(),
            too_long.as_str(),
            long_label.as_str(),
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn reports_at_the_value() {
        let schema = [("authors", LabelType::Email)];
        let text = "FROM a:1\nLABEL authors=\"Jane <jane@example.com>\" authors=jane@example.com\n";
        assert_eq!(
            findings(text, "DL3058", &schema, false),
            ["\"Jane <jane@example.com>\""]
        );
    }
}
