//! The build context on disk: the directory a build sends to the builder, read once.
//!
//! [`BuildContext`] finds the ignore file BuildKit would use (`<Dockerfile>.dockerignore`
//! next to the Dockerfile first, then `.dockerignore` at the context root), lists the context
//! and hands the pure [`ContextIndex`] the listing; rules then ask their questions through
//! [`ContextFacts`] without touching the disk.
//!
//! The walk never leaves the root: symbolic links are recorded as links (with their own size,
//! and whether they point outside the root) and never followed. A directory BuildKit would
//! not send (excluded, with no `!` pattern in the file) is not descended into. Files and
//! directories that cannot be read are left out and counted, never an error; a listing
//! that would exceed [`BuildContext::with_max_entries`] stops there and says it is
//! incomplete. The listing is cached until [`BuildContext::invalidate`] (for file-watch
//! events); the ignore file is read on its own, so rules that only need it do not wait for
//! the walk.
//!
//! It does not interpret anything: matching lives in `semantic::dockerignore` and
//! `semantic::context`.

use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::semantic::context::{
    ContextFacts, ContextIndex, Entry, EntryKind, IgnoreFile, IgnoreState, SourceSize,
};
use crate::semantic::dockerignore::PatternError;

/// Listings stop after this many entries unless told otherwise: enough for any real project
/// with its dependencies, and a bound on the time spent when a context is a home directory.
pub const DEFAULT_MAX_ENTRIES: usize = 200_000;

/// A build context directory, listed on first use.
#[derive(Debug)]
pub struct BuildContext {
    root: PathBuf,
    dockerfile: Option<PathBuf>,
    max_entries: usize,
    ignore: Mutex<Option<Arc<IgnoreState>>>,
    index: Mutex<Option<Arc<ContextIndex>>>,
}

impl BuildContext {
    /// The context rooted at `root`. Nothing is read until a question is asked.
    pub fn new(root: impl Into<PathBuf>) -> BuildContext {
        BuildContext {
            root: root.into(),
            dockerfile: None,
            max_entries: DEFAULT_MAX_ENTRIES,
            ignore: Mutex::new(None),
            index: Mutex::new(None),
        }
    }

    /// The Dockerfile built with this context, whose `<name>.dockerignore` (in the
    /// Dockerfile's directory) takes precedence over the context's `.dockerignore`.
    pub fn with_dockerfile(mut self, dockerfile: impl Into<PathBuf>) -> BuildContext {
        self.dockerfile = Some(dockerfile.into());
        self
    }

    pub fn with_max_entries(mut self, max_entries: usize) -> BuildContext {
        self.max_entries = max_entries;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where BuildKit looks for the ignore file, in order of precedence, each with the name
    /// shown to users.
    fn ignore_file_candidates(&self) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        if let Some(dockerfile) = &self.dockerfile
            && let Some(name) = dockerfile.file_name()
        {
            let name = format!("{}.dockerignore", name.to_string_lossy());
            let dir = dockerfile.parent().unwrap_or(Path::new(""));
            out.push((dir.join(&name), name));
        }
        out.push((self.root.join(".dockerignore"), ".dockerignore".to_string()));
        out
    }

    /// The path of the ignore file in effect, if any (one `stat` per candidate).
    pub fn ignore_file_path(&self) -> Option<PathBuf> {
        self.ignore_file_candidates()
            .into_iter()
            .map(|(path, _)| path)
            .find(|path| fs::symlink_metadata(path).is_ok())
    }

    /// The ignore file, read once.
    pub fn ignore(&self) -> Arc<IgnoreState> {
        let mut slot = self.ignore.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| Arc::new(self.read_ignore_file()))
            .clone()
    }

    fn read_ignore_file(&self) -> IgnoreState {
        for (path, name) in self.ignore_file_candidates() {
            match fs::read(&path) {
                Ok(bytes) => return IgnoreState::parse(name, &String::from_utf8_lossy(&bytes)),
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => {
                    return IgnoreState::Invalid {
                        name,
                        error: PatternError {
                            line: 0,
                            pattern: String::new(),
                            message: format!("cannot read {}: {e}", path.display()),
                        },
                    };
                }
            }
        }
        IgnoreState::Missing
    }

    /// The listing with the ignore file applied: walked on the first call, then cached.
    pub fn index(&self) -> Arc<ContextIndex> {
        let mut slot = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(index) = slot.as_ref() {
            return index.clone();
        }
        let ignore = self.ignore();
        let index = Arc::new(walk(&self.root, &ignore, self.max_entries));
        *slot = Some(index.clone());
        index
    }

    /// Forgets the listing and the ignore file; the next question reads the disk again.
    /// Cheap: call it on every file-watch event under the root.
    pub fn invalidate(&self) {
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.ignore.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The context paths a COPY/ADD source names (see [`ContextFacts::matches`]).
    pub fn matches(&self, source: &str) -> Vec<String> {
        self.index().matches(source)
    }

    /// Bytes and files a COPY/ADD source adds from the context, ignore file applied.
    pub fn source_size(&self, source: &str) -> SourceSize {
        self.index().source_size(source)
    }

    /// The ignore file leaves `path` out of the context.
    pub fn is_excluded(&self, path: &str) -> bool {
        match self.ignore().view() {
            IgnoreFile::Valid { matcher, .. } => matcher.is_excluded(path),
            _ => false,
        }
    }

    /// The facts for one lint: reads the ignore file when first asked, walks only when a
    /// question needs the listing, and keeps what it read for the rest of the lint.
    pub fn facts(&self) -> LazyFacts<'_> {
        LazyFacts {
            context: self,
            ignore: OnceLock::new(),
            index: OnceLock::new(),
        }
    }
}

/// [`ContextFacts`] over a [`BuildContext`], reading no more than the questions need.
pub struct LazyFacts<'a> {
    context: &'a BuildContext,
    ignore: OnceLock<Arc<IgnoreState>>,
    index: OnceLock<Arc<ContextIndex>>,
}

impl LazyFacts<'_> {
    /// The ignore file, if a question made it read.
    pub fn ignore_read(&self) -> Option<&IgnoreState> {
        self.ignore.get().map(|i| &**i)
    }

    /// The listing, if a question made the context walked.
    pub fn index_read(&self) -> Option<&ContextIndex> {
        self.index.get().map(|i| &**i)
    }

    fn index(&self) -> &ContextIndex {
        self.index.get_or_init(|| self.context.index())
    }

    fn ignore_state(&self) -> &IgnoreState {
        self.ignore.get_or_init(|| self.context.ignore())
    }
}

impl ContextFacts for LazyFacts<'_> {
    fn ignore_file(&self) -> IgnoreFile<'_> {
        self.ignore_state().view()
    }

    fn exists(&self, path: &str) -> bool {
        self.index().exists(path)
    }

    fn is_excluded(&self, path: &str) -> bool {
        match self.ignore_file() {
            IgnoreFile::Valid { matcher, .. } => matcher.is_excluded(path),
            _ => false,
        }
    }

    fn is_sent(&self, path: &str) -> bool {
        self.index().is_sent(path)
    }

    fn matches(&self, source: &str) -> Vec<String> {
        self.index().matches(source)
    }

    fn is_complete(&self) -> bool {
        self.index().is_complete()
    }
}

/// Lists `root` depth-first without following links, applying `ignore` to prune.
fn walk(root: &Path, ignore: &IgnoreState, max_entries: usize) -> ContextIndex {
    let matcher = match ignore {
        IgnoreState::Valid { matcher, .. } => Some(matcher),
        _ => None,
    };
    // Without `!` patterns nothing below an excluded directory can come back, so BuildKit
    // does not read it and neither do we.
    let can_prune = matcher.is_some_and(|m| !m.has_exclusions());
    let canonical_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut listing: Vec<(String, Entry)> = Vec::new();
    let mut n_unreadable = 0;
    let mut complete = true;
    // Directories still to read: absolute path and path relative to the root ("" for it).
    let mut pending: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    'walk: while let Some((dir, rel_dir)) = pending.pop() {
        let reader = match fs::read_dir(&dir) {
            Ok(reader) => reader,
            Err(_) => {
                n_unreadable += 1;
                if rel_dir.is_empty() {
                    complete = false;
                }
                continue;
            }
        };
        if !rel_dir.is_empty() {
            listing.push((rel_dir.clone(), Entry::new(EntryKind::Dir, 0)));
        }
        for dir_entry in reader {
            let Ok(dir_entry) = dir_entry else {
                n_unreadable += 1;
                continue;
            };
            if listing.len() + pending.len() >= max_entries {
                complete = false;
                break 'walk;
            }
            let name = dir_entry.file_name().to_string_lossy().into_owned();
            let rel = if rel_dir.is_empty() {
                name
            } else {
                format!("{rel_dir}/{name}")
            };
            let path = dir_entry.path();
            // The entry's type comes with the directory listing on most systems, and does
            // not follow a link; only files and links need a `stat` for their size.
            let Ok(file_type) = dir_entry.file_type() else {
                n_unreadable += 1;
                continue;
            };
            let size = || fs::symlink_metadata(&path).map(|m| m.len());
            let excluded = matcher.is_some_and(|m| m.is_excluded(&rel));
            if file_type.is_dir() {
                if excluded && can_prune {
                    let mut entry = Entry::new(EntryKind::Dir, 0);
                    entry.pruned = true;
                    listing.push((rel, entry));
                } else {
                    pending.push((path, rel));
                }
            } else if file_type.is_symlink() {
                let mut entry = Entry::new(EntryKind::Symlink, size().unwrap_or(0));
                entry.leaves_context = match fs::read_link(&path) {
                    Ok(target) => leaves_root(&canonical_root, &rel, &target),
                    Err(_) => true,
                };
                listing.push((rel, entry));
            } else if file_type.is_file() {
                // A file the builder would have to send must be readable; opening it is the
                // only portable test (root reads anything, whatever the mode says).
                let Ok(len) = size() else {
                    n_unreadable += 1;
                    continue;
                };
                if !excluded && fs::File::open(&path).is_err() {
                    n_unreadable += 1;
                    continue;
                }
                listing.push((rel, Entry::new(EntryKind::File, len)));
            } else {
                listing.push((rel, Entry::new(EntryKind::Other, 0)));
            }
        }
    }
    ContextIndex::new(ignore.clone(), listing, complete, n_unreadable)
}

/// Whether a link at `rel` (relative to the root) pointing to `target` resolves, lexically,
/// outside `root`.
fn leaves_root(root: &Path, rel: &str, target: &Path) -> bool {
    let link_dir = match rel.rfind('/') {
        Some(idx) => root.join(&rel[..idx]),
        None => root.to_path_buf(),
    };
    let joined = if target.is_absolute() {
        target.to_path_buf()
    } else {
        link_dir.join(target)
    };
    let mut resolved = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    !resolved.starts_with(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_judged_lexically() {
        let root = Path::new("/ctx");
        assert!(!leaves_root(root, "a/link", Path::new("../b")));
        assert!(leaves_root(root, "a/link", Path::new("../../etc/passwd")));
        assert!(leaves_root(root, "link", Path::new("/etc/passwd")));
        assert!(!leaves_root(root, "link", Path::new("/ctx/x")));
        assert!(leaves_root(root, "link", Path::new("/ctxother")));
        assert!(!leaves_root(root, "link", Path::new("./x/../y")));
    }
}
