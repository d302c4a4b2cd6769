//! XML escaping for the XML formats (checkstyle, junit).
//!
//! Only escaping: the formats write their elements by hand, because their shape is fixed and
//! small. Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are
//! replaced by U+FFFD, since no escape can represent them.

/// Escapes text for a double- or single-quoted attribute value. Tabs and line breaks become
/// character references, so that attribute-value normalisation does not turn them into
/// spaces.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            ch => out.push(allowed(ch)),
        }
    }
    out
}

/// Escapes character data (element content). A carriage return becomes a reference so that
/// a parser's end-of-line handling keeps it.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            ch => out.push(allowed(ch)),
        }
    }
    out
}

/// `ch` if XML 1.0 allows it in a document, else U+FFFD.
fn allowed(ch: char) -> char {
    match ch {
        '\t' | '\n' | '\r' => ch,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
        _ => ch,
    }
}

/// A small well-formedness check for the XML our formats write (declaration, elements,
/// double-quoted attributes, text, the five entities and numeric references), for tests.
#[cfg(test)]
pub(super) fn check_well_formed(xml: &str) -> Result<(), String> {
    let mut rest = xml;
    if let Some(after) = rest.strip_prefix("<?xml ") {
        let end = after.find("?>").ok_or("unterminated XML declaration")?;
        rest = &after[end + 2..];
    }
    let mut open: Vec<&str> = Vec::new();
    let mut seen_root = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            check_text(rest)?;
            if !rest.trim().is_empty() {
                return Err(format!("text after the root element: {rest:?}"));
            }
            break;
        };
        let text = &rest[..lt];
        check_text(text)?;
        if open.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root element: {text:?}"));
        }
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix('/') {
            let gt = after.find('>').ok_or("unterminated end tag")?;
            let name = after[..gt].trim_end();
            match open.pop() {
                Some(expected) if expected == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = &after[gt + 1..];
            continue;
        }
        if open.is_empty() && seen_root {
            return Err("a second root element".to_string());
        }
        seen_root = true;
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or("unterminated start tag")?;
        let name = &rest[..name_end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("bad element name {name:?}"));
        }
        rest = &rest[name_end..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix("/>") {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                open.push(name);
                break;
            }
            let eq = rest.find('=').ok_or("attribute without a value")?;
            let attr = rest[..eq].trim();
            if attrs.contains(&attr) {
                return Err(format!("duplicate attribute {attr}"));
            }
            attrs.push(attr);
            let after = rest[eq + 1..]
                .strip_prefix('"')
                .ok_or("attribute value not double-quoted")?;
            let close = after.find('"').ok_or("unterminated attribute value")?;
            let value = &after[..close];
            if value.contains('<') {
                return Err(format!("raw < in attribute {attr}: {value:?}"));
            }
            check_text(value)?;
            rest = &after[close + 1..];
        }
    }
    match open.last() {
        Some(name) => Err(format!("<{name}> is never closed")),
        None if seen_root => Ok(()),
        None => Err("no root element".to_string()),
    }
}

/// Every `&` starts a known entity or a character reference, and no character is forbidden.
#[cfg(test)]
fn check_text(text: &str) -> Result<(), String> {
    if let Some(ch) = text.chars().find(|&c| allowed(c) != c) {
        return Err(format!("forbidden character {ch:?}"));
    }
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let after = &rest[amp + 1..];
        let semi = after.find(';').ok_or("& without ;")?;
        let entity = &after[..semi];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || entity
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        if !known {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = &after[semi + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_escape_markup_quotes_and_line_breaks() {
        assert_eq!(
            escape_attr("a<b>&\"c\"'d'\te\nf\r"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#9;e&#10;f&#13;"
        );
    }

    #[test]
    fn text_keeps_quotes_and_newlines() {
        assert_eq!(escape_text("a<b>&\"c\"\nd"), "a&lt;b&gt;&amp;\"c\"\nd");
    }

    #[test]
    fn forbidden_characters_become_replacement_characters() {
        assert_eq!(escape_attr("a\u{1}b\u{ffff}"), "a\u{fffd}b\u{fffd}");
        assert_eq!(escape_text("\u{0}é😀"), "\u{fffd}é😀");
    }

    #[test]
    fn the_checker_rejects_what_it_should() {
        assert!(check_well_formed("<a x=\"1\"><b/></a>").is_ok());
        assert!(check_well_formed("<a x=\"<\"/>").is_err());
        assert!(check_well_formed("<a x=\"&\"/>").is_err());
        assert!(check_well_formed("<a>&foo;</a>").is_err());
        assert!(check_well_formed("<a><b></a>").is_err());
        assert!(check_well_formed("<a/><b/>").is_err());
        assert!(check_well_formed("<a x=\"1\" x=\"2\"/>").is_err());
    }
}
