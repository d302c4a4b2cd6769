//! DL3052: a label of type `url` in the label schema whose value is not a URI.

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `url` when its value is not
    /// a URI as RFC 3986 defines it: a scheme (`https:`), then the rest of the address, with
    /// any character outside the URI alphabet percent-encoded (and RFC 6874's IPv6 zones,
    /// `http://[fe80::1%25eth0]/`).
    ///
    /// ## Why is this bad?
    /// Tools follow these labels: a registry links `org.opencontainers.image.source` to the
    /// repository, a scanner fetches `org.opencontainers.image.documentation`. A value
    /// without a scheme (`github.com/example/api`) or with spaces is shown as text at best
    /// and breaks the link at worst.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="github.com/example/api"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/example/api"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `url`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.source: url
    /// ```
    ///
    /// ## Known problems
    /// The check is syntactic and accepts every scheme: `localhost:8080` is a valid URI
    /// (scheme `localhost`), and so is `https://` with an empty host. A fragment (`#install`)
    /// is allowed; non-ASCII characters must be percent-encoded.
    ///
    /// ## References
    /// Matches hadolint's DL3052 (both follow RFC 3986 with RFC 6874's zones), except that
    /// values holding a variable are not checked and an empty value is left to DL3051. RFC 3986, section 3 (syntax components) and
    /// appendix A (grammar).
    pub static DL3052 = {
        code: "DL3052",
        name: "invalid-url-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidUrlLabel;

impl Rule for InvalidUrlLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Url) {
            if is_uri(&pair.value) {
                continue;
            }
            let hint = if !pair.value.contains(':') {
                " (it has no scheme such as `https:`)"
            } else {
                ""
            };
            acc.push(Diagnostic::new(
                &DL3052,
                pair.value_range,
                format!("label `{}` is not a valid URL{hint}", pair.key),
            ));
        }
    }
}

/// Whether `text` is a URI (RFC 3986 `URI`): `scheme ":" hier-part ["?" query] ["#"
/// fragment]`. Relative references (`example.com/x`, `/path`) are not.
pub fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let (rest, fragment) = split_off(rest, '#');
    let (hier_part, query) = split_off(rest, '?');
    let query_ok = |part: Option<&str>| part.is_none_or(|p| is_uri_text(p, b":@/?"));
    if !is_scheme(scheme) || !query_ok(query) || !query_ok(fragment) {
        return false;
    }
    match hier_part.strip_prefix("//") {
        Some(after) => {
            let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
            is_authority(authority) && is_uri_text(path, b":@/")
        }
        None => is_uri_text(hier_part, b":@/"),
    }
}

/// `text` before the first `sep`, and what follows it if there is one.
fn split_off(text: &str, sep: char) -> (&str, Option<&str>) {
    match text.split_once(sep) {
        Some((before, after)) => (before, Some(after)),
        None => (text, None),
    }
}

/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`
fn is_scheme(scheme: &str) -> bool {
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// `[ userinfo "@" ] host [ ":" port ]`, where host is a bracketed IP literal or a
/// registered name (which also covers IPv4 addresses).
fn is_authority(authority: &str) -> bool {
    // Userinfo cannot hold `@`, so splitting at the last one leaves any stray `@` in it.
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    if userinfo.is_some_and(|u| !is_uri_text(u, b":")) {
        return false;
    }
    let (host_ok, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((literal, "")) => (is_ip_literal(literal), ""),
            Some((literal, after)) => match after.strip_prefix(':') {
                Some(port) => (is_ip_literal(literal), port),
                None => (false, ""),
            },
            None => (false, ""),
        },
        None => {
            let (host, port) = split_off(host_port, ':');
            (is_uri_text(host, b""), port.unwrap_or(""))
        }
    };
    host_ok && port.bytes().all(|b| b.is_ascii_digit())
}

/// `IPv6address / IPvFuture` inside `[` `]`, with RFC 6874's zone identifier.
fn is_ip_literal(literal: &str) -> bool {
    if let Some(future) = literal
        .strip_prefix('v')
        .or_else(|| literal.strip_prefix('V'))
    {
        return match future.split_once('.') {
            Some((version, rest)) => {
                !version.is_empty()
                    && version.bytes().all(|b| b.is_ascii_hexdigit())
                    && !rest.is_empty()
                    && rest
                        .bytes()
                        .all(|b| is_unreserved(b) || is_sub_delim(b) || b == b':')
            }
            None => false,
        };
    }
    // RFC 6874 lets an IPv6 literal name its zone: `[fe80::1%25eth0]`.
    let (address, zone) = split_off(literal, '%');
    let zone_ok = zone.is_none_or(|zone| {
        zone.strip_prefix("25")
            .is_some_and(|id| !id.is_empty() && is_uri_text(id, b""))
    });
    zone_ok && address.parse::<std::net::Ipv6Addr>().is_ok()
}

/// Every byte is unreserved, a sub-delimiter, one of `extra`, or part of a `%XX` escape.
fn is_uri_text(text: &str, extra: &[u8]) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let escape_ok = bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !escape_ok {
                return false;
            }
            i += 3;
            continue;
        }
        if !(is_unreserved(b) || is_sub_delim(b) || extra.contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

#[cfg(test)]
mod tests {
    use super::is_uri;
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn valid_uris() {
        for ok in [
            "https://github.com/example/api",
            "http://example.com",
            "http://example.com/",
            "https://example.com:8443/a/b?x=1&y=%20#frag",
            "https://user:pa%24s@example.com/",
            "http://[::1]:8080/",
            "http://[2001:db8::7]/c=GB?objectClass?one",
            "http://[v7.fe80::1]/",
            "http://[fe80::1%25en0]/",
            "http://192.168.0.1/",
            "ftp://ftp.is.co.za/rfc/rfc1808.txt",
            "mailto:John.Doe@example.com",
            "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
            "file:///etc/hosts",
            "git+ssh://git@github.com/example/api.git",
            "tel:+1-816-555-1212",
            "news:comp.infosystems.www.servers.unix",
            "https://example.com/?",
            "https://example.com#",
            "http://example.com:/",
            "localhost:8080",
            "a:",
        ] {
            assert!(is_uri(ok), "{ok}");
        }
    }

    #[test]
    fn invalid_uris() {
        for bad in [
            "",
            "github.com/example/api",
            "/relative/path",
            "//example.com/x",
            "1http://example.com",
            "ht tp://example.com",
            ":no-scheme",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com/%zz",
            "https://example.com/%4",
            "https://example.com/ä",
            "https://example.com/a\"b",
            "https://example.com/<x>",
            "https://example.com/a#b#c",
            "https://a@b@example.com/",
            "https://example.com:80a/",
            "https://ex:am:ple.com/",
            "http://[::1/",
            "http://[not-ip]/",
            "http://[::1]x/",
            "http://[v7]/",
            "http://[fe80::1%en0]/",
            "http://[fe80::1%25]/",
            "http://[1.2.3.4]/",
            "https://example.com/{x}",
            "https://example.com/a\\b",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }

    #[test]
    fn reports_at_the_value() {
        let schema = [("src", LabelType::Url), ("home", LabelType::Text)];
        let text = "FROM a:1\nLABEL src=\"example.com\" home=example.com\n";
        assert_eq!(
            findings(text, "DL3052", &schema, false),
            ["\"example.com\""]
        );
        let text = "FROM a:1\nLABEL src=https://example.com src=\"\" src=$URL\n";
        assert_eq!(findings(text, "DL3052", &schema, false), Vec::<&str>::new());
    }
}
