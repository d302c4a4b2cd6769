//! The build context as rules see it: which paths exist, which the `.dockerignore` leaves
//! out, and what a COPY source names.
//!
//! [`ContextFacts`] is the question rules may ask; [`ContextIndex`] answers it from a listing
//! of the context (paths, kinds, sizes) and the ignore file's text, both handed in. Listing a
//! real directory is `env::context::BuildContext`'s job: nothing here does IO, so a rule that
//! needs the context stays a pure function of its inputs, and tests can describe a context
//! in memory.
//!
//! COPY sources are matched as BuildKit matches them: relative to the context root (a leading
//! `/` or `./` changes nothing), one `filepath.Match` per path segment (`*` and `?` never
//! cross a `/`, and match dot files), and a whole `**` segment for any number of
//! directories.

use std::collections::{BTreeMap, HashMap};

use super::dockerignore::{self, Dockerignore, PatternError};

/// The ignore file that applies to a build.
#[derive(Debug, Clone, Copy)]
pub enum IgnoreFile<'a> {
    /// Neither `<Dockerfile>.dockerignore` nor `.dockerignore` exists.
    Missing,
    /// `name` is the file as the user knows it (`.dockerignore`, `app.Dockerfile.dockerignore`).
    Valid {
        name: &'a str,
        matcher: &'a Dockerignore,
    },
    /// The file is there but Docker would reject it (or it cannot be read): the build fails.
    Invalid {
        name: &'a str,
        error: &'a PatternError,
    },
}

/// What rules may ask about the build context. Paths are relative to the context root and
/// `/`-separated; they are cleaned first (`./a/`, `/a` and `a` are the same path).
pub trait ContextFacts {
    /// The ignore file in effect.
    fn ignore_file(&self) -> IgnoreFile<'_>;

    /// The path exists in the context directory, whatever the ignore file says. Paths inside
    /// a directory that was excluded and not listed (see [`Entry::pruned`]) are unknown and
    /// reported as missing.
    fn exists(&self, path: &str) -> bool;

    /// The ignore file excludes the path itself (possibly through a directory above it).
    /// `false` when there is no valid ignore file, and for the root.
    fn is_excluded(&self, path: &str) -> bool;

    /// Something at or under the path reaches the builder: the path is not excluded, or a
    /// `!` pattern brings back something below it. `false` for a path that does not exist.
    fn is_sent(&self, path: &str) -> bool;

    /// The existing paths a COPY/ADD source names (a literal path, or a wildcard pattern), in
    /// sorted order, whatever the ignore file says. `.` stands for the whole context.
    fn matches(&self, source: &str) -> Vec<String>;

    /// The whole context was listed. When it was not (too many entries), `matches` and
    /// `is_sent` may miss paths.
    fn is_complete(&self) -> bool;

    /// Some ignore file is present (valid or not).
    fn dockerignore_exists(&self) -> bool {
        !matches!(self.ignore_file(), IgnoreFile::Missing)
    }
}

/// The ignore file as read: owned, so that a listing can carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreState {
    Missing,
    Valid { name: String, matcher: Dockerignore },
    Invalid { name: String, error: PatternError },
}

impl IgnoreState {
    /// Reads an ignore file's text as BuildKit does.
    pub fn parse(name: impl Into<String>, text: &str) -> IgnoreState {
        let name = name.into();
        match Dockerignore::parse(text) {
            Ok(matcher) => IgnoreState::Valid { name, matcher },
            Err(error) => IgnoreState::Invalid { name, error },
        }
    }

    pub fn view(&self) -> IgnoreFile<'_> {
        match self {
            IgnoreState::Missing => IgnoreFile::Missing,
            IgnoreState::Valid { name, matcher } => IgnoreFile::Valid { name, matcher },
            IgnoreState::Invalid { name, error } => IgnoreFile::Invalid { name, error },
        }
    }

    fn matcher(&self) -> Option<&Dockerignore> {
        match self {
            IgnoreState::Valid { matcher, .. } => Some(matcher),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// A symbolic link, never followed: its size is the link's own.
    Symlink,
    /// A socket, FIFO or device.
    Other,
}

/// One path of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// A file's length; a symbolic link's own length; 0 for anything else.
    pub size: u64,
    /// For a symbolic link: it points outside the context root (judged lexically).
    pub leaves_context: bool,
    /// A directory whose contents were not listed: it is excluded and no `!` pattern could
    /// bring anything below it back, so BuildKit never sends it either.
    pub pruned: bool,
    /// Set by [`ContextIndex::new`] from the ignore file.
    pub excluded: bool,
}

impl Entry {
    pub fn new(kind: EntryKind, size: u64) -> Entry {
        Entry {
            kind,
            size,
            leaves_context: false,
            pruned: false,
            excluded: false,
        }
    }
}

/// What a COPY source adds from the context: the files that reach the builder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceSize {
    /// Sum of the sizes of the files and links sent.
    pub bytes: u64,
    pub files: usize,
    /// Symbolic links sent (as links: their targets are not counted).
    pub links: usize,
    /// Files the source names that the ignore file leaves out.
    pub excluded_files: usize,
}

/// A listing of the build context with the ignore file applied.
#[derive(Debug, Clone)]
pub struct ContextIndex {
    entries: BTreeMap<String, Entry>,
    /// Parent path (`.` for the root) → its children's paths, sorted.
    children: HashMap<String, Vec<String>>,
    ignore: IgnoreState,
    complete: bool,
    /// Files and directories that could not be read and were left out of the listing.
    pub n_unreadable: usize,
}

impl ContextIndex {
    /// Indexes a listing (`path` relative to the root, `/`-separated, without `.` or `..`
    /// segments) and marks what `ignore` excludes. `complete` says whether the listing holds
    /// the whole context.
    pub fn new(
        ignore: IgnoreState,
        listing: impl IntoIterator<Item = (String, Entry)>,
        complete: bool,
        n_unreadable: usize,
    ) -> ContextIndex {
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for (path, mut entry) in listing {
            let path = if is_clean_relative(&path) {
                path
            } else {
                dockerignore::relative(&path)
            };
            if path == "." || path.starts_with("../") || path == ".." {
                continue;
            }
            entry.excluded = ignore.matcher().is_some_and(|m| m.is_excluded(&path));
            entries.insert(path, entry);
        }
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for path in entries.keys() {
            children
                .entry(parent_of(path).to_string())
                .or_default()
                .push(path.clone());
        }
        ContextIndex {
            entries,
            children,
            ignore,
            complete,
            n_unreadable,
        }
    }

    /// A context described in memory: `paths` ending in `/` are directories, others empty
    /// files; the directories above each path are added. For tests and examples.
    pub fn from_listing(dockerignore: Option<&str>, paths: &[&str]) -> ContextIndex {
        let ignore = match dockerignore {
            Some(text) => IgnoreState::parse(".dockerignore", text),
            None => IgnoreState::Missing,
        };
        let mut listing: BTreeMap<String, Entry> = BTreeMap::new();
        for raw in paths {
            let is_dir = raw.ends_with('/');
            let path = dockerignore::relative(raw);
            for (idx, _) in path.match_indices('/') {
                listing.insert(path[..idx].to_string(), Entry::new(EntryKind::Dir, 0));
            }
            let kind = if is_dir {
                EntryKind::Dir
            } else {
                EntryKind::File
            };
            listing.insert(path, Entry::new(kind, 0));
        }
        ContextIndex::new(ignore, listing, true, 0)
    }

    pub fn ignore(&self) -> &IgnoreState {
        &self.ignore
    }

    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.get(&dockerignore::relative(path))
    }

    /// Every listed path with its entry, sorted by path.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(p, e)| (p.as_str(), e))
    }

    /// The paths below `path` (all of them for `.`), sorted.
    fn descendants<'s>(
        &'s self,
        path: &str,
    ) -> Box<dyn Iterator<Item = (&'s str, &'s Entry)> + 's> {
        if path == "." {
            return Box::new(self.entries());
        }
        let prefix = format!("{path}/");
        Box::new(
            self.entries
                .range(prefix.clone()..)
                .take_while(move |(p, _)| p.starts_with(&prefix))
                .map(|(p, e)| (p.as_str(), e)),
        )
    }

    fn children_of(&self, dir: &str) -> &[String] {
        self.children.get(dir).map_or(&[], Vec::as_slice)
    }

    /// What `source` adds to a COPY: the files and links at or under the paths it matches
    /// that the ignore file lets through. A path matched twice counts once.
    pub fn source_size(&self, source: &str) -> SourceSize {
        let mut matched = self.matches(source);
        matched.sort();
        let mut roots: Vec<String> = Vec::new();
        for path in matched {
            let covered = roots
                .iter()
                .any(|r| r == "." || path == *r || path.starts_with(&format!("{r}/")));
            if !covered {
                roots.push(path);
            }
        }
        let mut size = SourceSize::default();
        for root in &roots {
            let own = self.entries.get(root).map(|e| (root.as_str(), e));
            for (_, entry) in own.into_iter().chain(self.descendants(root)) {
                match (entry.kind, entry.excluded) {
                    (EntryKind::File, false) => {
                        size.files += 1;
                        size.bytes += entry.size;
                    }
                    (EntryKind::File, true) => size.excluded_files += 1,
                    (EntryKind::Symlink, false) => {
                        size.links += 1;
                        size.bytes += entry.size;
                    }
                    _ => {}
                }
            }
        }
        size
    }
}

impl ContextFacts for ContextIndex {
    fn ignore_file(&self) -> IgnoreFile<'_> {
        self.ignore.view()
    }

    fn exists(&self, path: &str) -> bool {
        let path = dockerignore::relative(path);
        path == "." || self.entries.contains_key(&path)
    }

    fn is_excluded(&self, path: &str) -> bool {
        self.ignore
            .matcher()
            .is_some_and(|matcher| matcher.is_excluded(path))
    }

    fn is_sent(&self, path: &str) -> bool {
        let path = dockerignore::relative(path);
        if path != "." {
            match self.entries.get(&path) {
                None => return false,
                Some(entry) if !entry.excluded => return true,
                Some(_) => {}
            }
        }
        self.descendants(&path).any(|(_, entry)| !entry.excluded)
    }

    fn matches(&self, source: &str) -> Vec<String> {
        let source = dockerignore::relative(source);
        if source == "." {
            return vec![source];
        }
        if source == ".." || source.starts_with("../") {
            return Vec::new();
        }
        if !dockerignore::has_wildcards(&source) {
            return if self.entries.contains_key(&source) {
                vec![source]
            } else {
                Vec::new()
            };
        }
        let segments: Vec<&str> = source.split('/').collect();
        let mut current: Vec<String> = vec![".".to_string()];
        for (idx, segment) in segments.iter().enumerate() {
            let last = idx + 1 == segments.len();
            let mut next: Vec<String> = Vec::new();
            for dir in &current {
                if *segment == "**" {
                    // Any number of directories, none included; at the end, everything below.
                    next.push(dir.clone());
                    next.extend(
                        self.descendants(dir)
                            .filter(|(_, e)| last || e.kind == EntryKind::Dir)
                            .map(|(p, _)| p.to_string()),
                    );
                    continue;
                }
                for child in self.children_of(dir) {
                    let name = child.rsplit('/').next().unwrap_or(child);
                    let is_dir = self
                        .entries
                        .get(child)
                        .is_some_and(|e| e.kind == EntryKind::Dir);
                    if (last || is_dir) && dockerignore::glob_segment(segment, name) {
                        next.push(child.clone());
                    }
                }
            }
            next.sort();
            next.dedup();
            current = next;
            if current.is_empty() {
                break;
            }
        }
        current
    }

    fn is_complete(&self) -> bool {
        self.complete
    }
}

/// Already what [`dockerignore::relative`] would make of it (what a walk produces): no empty,
/// `.` or `..` segment, no leading or trailing `/`.
fn is_clean_relative(path: &str) -> bool {
    !path.is_empty() && path.split('/').all(|s| !matches!(s, "" | "." | ".."))
}

/// `a/b/c` → `a/b`; `a` → `.`.
fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(idx) => &path[..idx],
        None => ".",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(ignore: Option<&str>) -> ContextIndex {
        ContextIndex::from_listing(
            ignore,
            &[
                ".git/HEAD",
                ".env",
                "README.md",
                "docs/guide.md",
                "docs/img/logo.png",
                "src/main.rs",
                "src/lib/util.rs",
                "target/debug/app",
                "empty/",
            ],
        )
    }

    #[test]
    fn copy_sources_match_like_buildkit() {
        let ctx = context(None);
        assert_eq!(ctx.matches("."), ["."]);
        assert_eq!(ctx.matches("./"), ["."]);
        assert_eq!(ctx.matches("/src/main.rs"), ["src/main.rs"]);
        assert_eq!(ctx.matches("src/missing.rs"), [""; 0]);
        assert_eq!(ctx.matches("*.md"), ["README.md"]);
        assert_eq!(ctx.matches("*/*.md"), ["docs/guide.md"]);
        assert_eq!(ctx.matches("**/*.rs"), ["src/lib/util.rs", "src/main.rs"]);
        assert_eq!(
            ctx.matches("src/**"),
            ["src", "src/lib", "src/lib/util.rs", "src/main.rs"]
        );
        // `*` matches dot files, as filepath.Match does.
        assert_eq!(ctx.matches(".e*"), [".env"]);
        assert_eq!(ctx.matches("../x"), [""; 0]);
        assert_eq!(ctx.matches("[st]*"), ["src", "target"]);
    }

    #[test]
    fn exclusion_and_what_is_sent() {
        let ctx = context(Some("docs\n!docs/img\ntarget\n*.md\n"));
        assert!(ctx.dockerignore_exists());
        assert!(ctx.is_excluded("docs/guide.md"));
        assert!(ctx.is_excluded("docs"));
        // `docs` is excluded, but `docs/img` comes back: something under `docs` is sent.
        assert!(ctx.is_sent("docs"));
        assert!(!ctx.is_sent("docs/guide.md"));
        assert!(!ctx.is_sent("target"));
        assert!(!ctx.is_sent("README.md"));
        assert!(ctx.is_sent("src"));
        assert!(ctx.is_sent("."));
        assert!(!ctx.is_sent("nope"));
        assert!(ctx.exists("empty"));
        assert!(!context(None).is_excluded("target"));
    }

    #[test]
    fn everything_excluded_sends_nothing() {
        let ctx = context(Some("*\n"));
        assert!(!ctx.is_sent("."));
        assert!(!ctx.is_excluded("."));
    }

    #[test]
    fn sizes_count_what_is_sent() {
        let listing = vec![
            ("app".to_string(), Entry::new(EntryKind::Dir, 0)),
            ("app/a.py".to_string(), Entry::new(EntryKind::File, 100)),
            ("app/b.pyc".to_string(), Entry::new(EntryKind::File, 50)),
            ("app/link".to_string(), Entry::new(EntryKind::Symlink, 7)),
            ("big.bin".to_string(), Entry::new(EntryKind::File, 1000)),
        ];
        let ctx = ContextIndex::new(
            IgnoreState::parse(".dockerignore", "**/*.pyc\n"),
            listing,
            true,
            0,
        );
        assert_eq!(
            ctx.source_size("app"),
            SourceSize {
                bytes: 107,
                files: 1,
                links: 1,
                excluded_files: 1
            }
        );
        // Overlapping sources count once.
        assert_eq!(ctx.source_size("."), ctx.source_size("**"));
        assert_eq!(ctx.source_size(".").bytes, 1107);
    }

    #[test]
    fn an_invalid_ignore_file_excludes_nothing() {
        let ctx = context(Some("[oops\n"));
        assert!(matches!(ctx.ignore_file(), IgnoreFile::Invalid { .. }));
        assert!(ctx.dockerignore_exists());
        assert!(!ctx.is_excluded("README.md"));
    }
}
