//! Logging for the language server: one line per event on stderr, filtered by the
//! `LAYERWISE_LOG` environment variable (`error`, `warn`, `info` (default), `debug`).
//!
//! stdout belongs to the protocol, so nothing here ever writes to it. Callers never pass
//! document text to these macros, at any level: logs end up in bug reports.

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Error,
    Warn,
    Info,
    Debug,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "ERROR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
        }
    }
}

fn max_level() -> Level {
    static MAX: OnceLock<Level> = OnceLock::new();
    *MAX.get_or_init(|| {
        match std::env::var("LAYERWISE_LOG")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "error" => Level::Error,
            "warn" | "warning" => Level::Warn,
            "debug" | "trace" => Level::Debug,
            _ => Level::Info,
        }
    })
}

pub(crate) fn enabled(level: Level) -> bool {
    level <= max_level()
}

pub(crate) fn write(level: Level, args: std::fmt::Arguments<'_>) {
    eprintln!("[layerwise lsp {}] {args}", level.as_str());
}

macro_rules! log_at {
    ($level:ident, $($arg:tt)*) => {
        if $crate::lsp::log::enabled($crate::lsp::log::Level::$level) {
            $crate::lsp::log::write($crate::lsp::log::Level::$level, format_args!($($arg)*));
        }
    };
}

macro_rules! log_error { ($($arg:tt)*) => { $crate::lsp::log::log_at!(Error, $($arg)*) }; }
macro_rules! log_warn { ($($arg:tt)*) => { $crate::lsp::log::log_at!(Warn, $($arg)*) }; }
macro_rules! log_info { ($($arg:tt)*) => { $crate::lsp::log::log_at!(Info, $($arg)*) }; }
macro_rules! log_debug { ($($arg:tt)*) => { $crate::lsp::log::log_at!(Debug, $($arg)*) }; }

pub(crate) use {log_at, log_debug, log_error, log_info, log_warn};

/// Replaces long quoted spans (between backticks or double quotes) with a quoted `…`. std's
/// slicing panics quote the string itself, and serde's errors quote the offending value, either
/// of which could put document text into logs and error responses.
pub(crate) fn redact(message: &str) -> String {
    const LONGEST_QUOTE: usize = 32;
    let mut out = String::with_capacity(message.len().min(256));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=open]);
        let inside = &rest[open + 1..];
        let Some(len) = closing_quote(inside, quote) else {
            // Unbalanced: treat the rest as quoted.
            if inside.len() > LONGEST_QUOTE {
                out.push('…');
            } else {
                out.push_str(inside);
            }
            return out;
        };
        if len > LONGEST_QUOTE {
            out.push('…');
        } else {
            out.push_str(&inside[..len]);
        }
        out.push(quote);
        rest = &inside[len + 1..];
    }
    out.push_str(rest);
    out
}

/// The length of a quoted span up to its closing `quote`, skipping backslash-escaped quotes.
fn closing_quote(inside: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (idx, c) in inside.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return Some(idx),
            _ => {}
        }
    }
    None
}

/// Panics print their location and a redacted message on stderr, in our log format.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        write(
            Level::Error,
            format_args!("panic at {location}: {}", redact(&message)),
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn long_quotes_are_redacted() {
        let message =
            "byte index 29 is out of bounds of `FROM alpine:3.20\nRUN secret-token-123456789`";
        assert_eq!(redact(message), "byte index 29 is out of bounds of `…`");
        assert_eq!(
            redact("unknown method `x` and `y`"),
            "unknown method `x` and `y`"
        );
        assert_eq!(redact("no quotes"), "no quotes");
        let serde = r#"invalid type: string "FROM alpine:3.20\nRUN curl https://example/\"x\" | sh", expected i32"#;
        assert_eq!(redact(serde), r#"invalid type: string "…", expected i32"#);
        assert_eq!(redact("unclosed `short"), "unclosed `short");
        assert_eq!(
            redact("unclosed `a very long quote that never ends, full of text"),
            "unclosed `…"
        );
    }
}
