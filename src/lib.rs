//! layerwise: a language server and command-line linter for Dockerfiles.
//!
//! Modules in reading order, each knowing only those before it: [`syntax`] (lossless parser),
//! [`semantic`] (stages and scopes), [`rules`] (the checks), [`diagnostics`] (lint: run rules,
//! apply suppression), [`config`], then the adapters [`lsp`] and [`cli`].

pub mod syntax;
