//! The open documents: for each URI the text (a `String`, since every keystroke re-parses the
//! whole file from one contiguous `&str`), the client's version, and a cached `LineIndex`.
//!
//! Edits are applied here, synchronously and in order, the moment a `didChange` is taken off the
//! queue, so anything that later reads a document sees every edit the client sent before it.
//! This module decides which files the server serves, but it does not analyse them and does not
//! publish anything.

use std::collections::HashMap;

use line_index::LineIndex;
use lsp_types::{TextDocumentContentChangeEvent, Uri};

use crate::lsp::capabilities::PositionEncoding;
use crate::lsp::from_proto;
use crate::lsp::log::log_error;

/// A document's text with its line index and the encoding protocol positions use: everything
/// `from_proto` and `to_proto` need to convert positions.
#[derive(Clone, Copy)]
pub(crate) struct LineInfo<'a> {
    pub(crate) text: &'a str,
    pub(crate) index: &'a LineIndex,
    pub(crate) encoding: PositionEncoding,
}

/// Offsets are `u32` throughout (`rowan`, `line-index`); a larger document is not served.
const MAX_DOCUMENT_LEN: usize = u32::MAX as usize / 2;

pub(crate) struct Document {
    text: String,
    version: i32,
    line_index: LineIndex,
    /// The text changed since diagnostics were last published.
    pub(crate) needs_lint: bool,
}

impl Document {
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn version(&self) -> i32 {
        self.version
    }

    pub(crate) fn line_info(&self, encoding: PositionEncoding) -> LineInfo<'_> {
        LineInfo {
            text: &self.text,
            index: &self.line_index,
            encoding,
        }
    }

    /// Applies the changes of one `didChange` in order, each against the text the previous one
    /// left. The line index is rebuilt only when a change needs it, and once at the end.
    fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) {
        let mut index_is_current = true;
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    if !index_is_current {
                        self.line_index = LineIndex::new(&self.text);
                    }
                    let range = from_proto::text_range(&self.line_info(encoding), range);
                    self.text.replace_range(
                        usize::from(range.start())..usize::from(range.end()),
                        &change.text,
                    );
                }
            }
            index_is_current = false;
        }
        if !index_is_current {
            self.line_index = LineIndex::new(&self.text);
        }
    }
}

#[derive(Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, Document>,
}

/// Why a document is not being served.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotServed {
    NotADockerfile,
    TooLarge,
    NotOpen,
}

impl Documents {
    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// Documents whose text changed since their diagnostics were last published.
    /// The URIs of the open documents.
    pub(crate) fn uris(&self) -> Vec<Uri> {
        self.open.keys().cloned().collect()
    }

    /// The document will be linted again (its configuration changed).
    pub(crate) fn mark_for_lint(&mut self, uri: &Uri) {
        if let Some(document) = self.open.get_mut(uri) {
            document.needs_lint = true;
        }
    }

    pub(crate) fn needing_lint(&self) -> impl Iterator<Item = &Uri> {
        self.open
            .iter()
            .filter(|(_, document)| document.needs_lint)
            .map(|(uri, _)| uri)
    }

    /// Starts serving a document, replacing any earlier one under the same URI.
    pub(crate) fn open(
        &mut self,
        uri: Uri,
        language_id: &str,
        version: i32,
        text: String,
    ) -> Result<(), NotServed> {
        if !is_served(&uri, language_id) {
            return Err(NotServed::NotADockerfile);
        }
        if text.len() > MAX_DOCUMENT_LEN {
            return Err(NotServed::TooLarge);
        }
        let document = Document {
            line_index: LineIndex::new(&text),
            text,
            version,
            needs_lint: true,
        };
        self.open.insert(uri, document);
        Ok(())
    }

    /// Applies one `didChange`. The client's version is taken as is: the client owns the text.
    pub(crate) fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) -> Result<(), NotServed> {
        let Some(document) = self.open.get_mut(uri) else {
            return Err(NotServed::NotOpen);
        };
        let added: usize = changes.iter().map(|change| change.text.len()).sum();
        if document.text.len().saturating_add(added) > MAX_DOCUMENT_LEN {
            log_error!("{} would grow too large to serve; closing it", uri.as_str());
            self.open.remove(uri);
            return Err(NotServed::TooLarge);
        }
        document.apply_changes(changes, encoding);
        document.version = version;
        document.needs_lint = true;
        Ok(())
    }

    /// Stops serving a document; returns it when it was open.
    pub(crate) fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }
}

/// Whether the server handles a document: languageId `dockerfile`, or a Dockerfile's name
/// (`Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`,
/// `Containerfile.*`).
pub(crate) fn is_served(uri: &Uri, language_id: &str) -> bool {
    language_id.eq_ignore_ascii_case("dockerfile") || is_dockerfile_name(file_name(uri))
}

fn file_name(uri: &Uri) -> &str {
    let path = uri.path().as_str();
    path.rsplit('/').next().unwrap_or(path)
}

fn is_dockerfile_name(name: &str) -> bool {
    name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use line_index::WideEncoding;
    use lsp_types::{Position, Range};

    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn serves_dockerfiles_by_name_or_language() {
        let served = [
            "file:///p/Dockerfile",
            "file:///p/api.Dockerfile",
            "file:///p/Dockerfile.dev",
            "file:///p/build.dockerfile",
            "file:///p/Containerfile",
            "file:///p/Containerfile.arm64",
        ];
        for name in served {
            assert!(is_served(&uri(name), "plaintext"), "{name}");
        }
        let not_served = [
            "file:///p/Dockerfile/README.md",
            "file:///p/main.rs",
            "file:///p/dockerfile.txt",
            "file:///p/MyDockerfile",
        ];
        for name in not_served {
            assert!(!is_served(&uri(name), "plaintext"), "{name}");
        }
        assert!(is_served(&uri("untitled:Untitled-1"), "dockerfile"));
        assert!(is_served(&uri("file:///p/x"), "Dockerfile"));
    }

    #[test]
    fn changes_apply_in_order_against_the_text_each_left() {
        let mut documents = Documents::default();
        let doc_uri = uri("file:///p/Dockerfile");
        let encoding = PositionEncoding::Wide(WideEncoding::Utf16);
        assert_eq!(
            documents.open(doc_uri.clone(), "dockerfile", 1, "FROM a\nRUN x\n".into()),
            Ok(())
        );
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_owned(),
        };
        let at = |l1, c1, l2, c2| Some(Range::new(Position::new(l1, c1), Position::new(l2, c2)));
        let changes = vec![
            // Join the two lines, then edit the joined line: positions refer to the new text.
            change(at(0, 6, 1, 0), " && "),
            change(at(0, 10, 0, 13), "RUN é😀"),
            change(at(0, 17, 0, 17), "!"),
        ];
        assert_eq!(documents.change(&doc_uri, 2, changes, encoding), Ok(()));
        let document = documents
            .get(&doc_uri)
            .map(|d| (d.text().to_owned(), d.version()));
        assert_eq!(document, Some(("FROM a && RUN é😀! x\n".to_owned(), 2)));

        let full = vec![change(None, "FROM b\n")];
        assert_eq!(documents.change(&doc_uri, 3, full, encoding), Ok(()));
        assert_eq!(
            documents.get(&doc_uri).map(Document::text),
            Some("FROM b\n")
        );
    }
}
