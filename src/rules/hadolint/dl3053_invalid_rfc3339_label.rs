//! DL3053: a label of type `rfc3339` in the label schema whose value is not an RFC 3339
//! date-time.

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `rfc3339` when its value is
    /// not an RFC 3339 date-time: a date, `T`, a time to the second (fractions allowed) and
    /// a UTC offset, as in `2024-05-01T12:00:00Z` or `2024-05-01T14:00:00.5+02:00`.
    ///
    /// ## Why is this bad?
    /// Labels such as `org.opencontainers.image.created` are compared and sorted by tools.
    /// A date without a time or offset, a local format (`05/01/2024`) or an impossible date
    /// cannot be read unambiguously, so "newest image" logic picks the wrong one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `rfc3339`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.created: rfc3339
    /// ```
    ///
    /// ## Known problems
    /// A lower-case `t` and `z` are accepted, as RFC 3339 allows; a space instead of `T`,
    /// which it allows applications to agree on, is reported, since many parsers reject it.
    /// A leap second (`:60`) is accepted at any minute.
    ///
    /// ## References
    /// Matches hadolint's DL3053, with three differences: an offset without a colon
    /// (`+0200`, ISO 8601's basic form), which hadolint accepts, is reported; values
    /// holding a variable (usually the build date passed as a build argument) are not
    /// checked; an empty value is left to DL3051. RFC 3339, section 5.6 (`date-time`).
    pub static DL3053 = {
        code: "DL3053",
        name: "invalid-rfc3339-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidRfc3339Label;

impl Rule for InvalidRfc3339Label {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Rfc3339) {
            if is_rfc3339_date_time(&pair.value) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3053,
                pair.value_range,
                format!(
                    "label `{}` is not an RFC 3339 date-time such as `2024-05-01T12:00:00Z`",
                    pair.key
                ),
            ));
        }
    }
}

/// Whether `text` is an RFC 3339 `date-time`:
/// `YYYY-MM-DD` `T` `hh:mm:ss[.fraction]` then `Z` or `±hh:mm`, with real calendar dates.
pub fn is_rfc3339_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    // The shortest form is `YYYY-MM-DDThh:mm:ssZ`.
    if b.len() < 20 {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (number(b, 0, 4), number(b, 5, 2), number(b, 8, 2))
    else {
        return false;
    };
    let date_ok = b[4] == b'-'
        && b[7] == b'-'
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day);
    let (Some(hour), Some(minute), Some(second)) =
        (number(b, 11, 2), number(b, 14, 2), number(b, 17, 2))
    else {
        return false;
    };
    let time_ok = matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':'
        && hour <= 23
        && minute <= 59
        && second <= 60;
    if !date_ok || !time_ok {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n_digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n_digits == 0 {
            return false;
        }
        rest = &fraction[n_digits..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 => {
            let (Some(offset_hour), Some(offset_minute)) = (number(rest, 1, 2), number(rest, 4, 2))
            else {
                return false;
            };
            rest[3] == b':' && offset_hour <= 23 && offset_minute <= 59
        }
        _ => false,
    }
}

/// The decimal number in `len` ASCII digits at `start`, if they are all digits.
fn number(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let digits = bytes.get(start..start + len)?;
    digits.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::is_rfc3339_date_time;
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn valid_date_times() {
        for ok in [
            "2024-05-01T12:00:00Z",
            "1985-04-12T23:20:50.52Z",
            "1996-12-19T16:39:57-08:00",
            "1990-12-31T23:59:60Z",
            "1937-01-01T12:00:27.87+00:20",
            "2024-02-29T00:00:00+00:00",
            "2000-02-29T00:00:00Z",
            "2024-05-01t12:00:00z",
            "0000-01-01T00:00:00Z",
            "2024-05-01T12:00:00.123456789+23:59",
        ] {
            assert!(is_rfc3339_date_time(ok), "{ok}");
        }
    }

    #[test]
    fn invalid_date_times() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00Z",
            "2024-05-01T12:00:00+0200",
            "2024-05-01T12:00:00+02",
            "2024-05-01T12:00:00 Z",
            "2024-05-01 12:00:00Z",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00,5Z",
            "2024-5-01T12:00:00Z",
            "24-05-01T12:00:00Z",
            "2024/05/01T12:00:00Z",
            "2024-13-01T12:00:00Z",
            "2024-00-01T12:00:00Z",
            "2024-04-31T12:00:00Z",
            "2023-02-29T12:00:00Z",
            "1900-02-29T12:00:00Z",
            "2024-05-00T12:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:60:00Z",
            "2024-05-01T12:00:61Z",
            "2024-05-01T12:00:00+24:00",
            "2024-05-01T12:00:00+02:60",
            "2024-05-01X12:00:00Z",
            "2024-05-01T12:00:00Zjunk",
            "2024-05-01T12:00:00+02:00junk",
            "+2024-05-01T12:00:00Z",
            "２０２４-05-01T12:00:00Z",
            "Wed, 01 May 2024 12:00:00 GMT",
            "1714564800",
        ] {
            assert!(!is_rfc3339_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn reports_at_the_value() {
        let schema = [("created", LabelType::Rfc3339)];
        let text = "FROM a:1\nLABEL created=2024-05-01 created=\"2024-05-01T00:00:00Z\"\n";
        assert_eq!(findings(text, "DL3053", &schema, false), ["2024-05-01"]);
        let text = "FROM a:1\nARG BUILD_DATE\nLABEL created=$BUILD_DATE\n";
        assert_eq!(findings(text, "DL3053", &schema, false), Vec::<&str>::new());
    }
}
