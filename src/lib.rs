//! layerwise: a language server and command-line linter for Dockerfiles.
//!
//! Modules in reading order, each knowing only those before it: [`syntax`] (lossless parser),
//! [`semantic`] (stages, pragmas), [`rules`] (the checks), [`config`], [`diagnostics`] (lint:
//! run rules, apply configuration and suppression once), then the adapters [`lsp`] and
//! [`cli`].

pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod env;
pub mod fixes;
pub mod lsp;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod syntax;

#[cfg(test)]
mod testing;
