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
