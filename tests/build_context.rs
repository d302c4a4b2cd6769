//! `env::context::BuildContext` on real temporary directories: what the walk lists, what it
//! refuses to follow, what it skips, what it caches.

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::sync::Arc;

use common::TempDir;
use layerwise::env::context::BuildContext;
use layerwise::semantic::context::{ContextFacts, EntryKind, IgnoreFile, SourceSize};

fn listed(context: &BuildContext) -> Vec<String> {
    context
        .index()
        .entries()
        .map(|(path, _)| path.to_string())
        .collect()
}

#[test]
fn files_nested_directories_and_sizes() {
    let dir = TempDir::new("ctx-sizes");
    dir.write("top.txt", b"12345");
    dir.write("a/b/c.txt", b"0123456789");
    dir.write("a/d.bin", &[0u8; 100]);
    dir.mkdir("empty");
    let context = BuildContext::new(dir.path());
    assert_eq!(
        listed(&context),
        ["a", "a/b", "a/b/c.txt", "a/d.bin", "empty", "top.txt"]
    );
    let index = context.index();
    assert!(index.is_complete());
    assert_eq!(index.n_unreadable, 0);
    assert_eq!(
        context.source_size("a"),
        SourceSize {
            bytes: 110,
            files: 2,
            links: 0,
            excluded_files: 0
        }
    );
    assert_eq!(context.source_size(".").bytes, 115);
    assert_eq!(context.source_size("./a/b/").files, 1);
    assert_eq!(context.source_size("**/*.txt").bytes, 15);
    assert_eq!(context.matches("a/*"), ["a/b", "a/d.bin"]);
    assert_eq!(context.source_size("missing"), SourceSize::default());
    assert!(matches!(index.ignore_file(), IgnoreFile::Missing));
}

#[test]
fn the_ignore_file_excludes_and_prunes() {
    let dir = TempDir::new("ctx-ignore");
    dir.write(".dockerignore", b"node_modules\n*.log\n");
    dir.write("node_modules/pkg/index.js", b"x");
    dir.write("app.js", b"abc");
    dir.write("debug.log", b"0123456789");
    let context = BuildContext::new(dir.path());
    // No `!` pattern: nothing under node_modules can come back, so it is not read.
    assert_eq!(
        listed(&context),
        [".dockerignore", "app.js", "debug.log", "node_modules"]
    );
    let index = context.index();
    let node_modules = index.entry("node_modules").map(|e| (e.pruned, e.excluded));
    assert_eq!(node_modules, Some((true, true)));
    assert!(context.is_excluded("node_modules/pkg/index.js"));
    assert!(context.is_excluded("debug.log"));
    let size = context.source_size(".");
    // app.js and the 19-byte .dockerignore.
    assert_eq!((size.files, size.bytes), (2, 3 + 19));
    assert_eq!(size.excluded_files, 1);

    // With a `!` pattern the walk must look inside excluded directories.
    dir.write(".dockerignore", b"node_modules\n!node_modules/pkg\n");
    context.invalidate();
    assert!(listed(&context).contains(&"node_modules/pkg/index.js".to_string()));
    assert!(!context.is_excluded("node_modules/pkg/index.js"));
    assert!(context.index().is_sent("node_modules"));
}

#[test]
fn symbolic_links_are_listed_never_followed() {
    let outside = TempDir::new("ctx-outside");
    outside.write("secret/.env", b"TOKEN=abc");
    outside.write("big.bin", &[0u8; 4096]);
    let dir = TempDir::new("ctx-links");
    dir.write("real/file.txt", b"hello");
    let links: &[(&str, &Path)] = &[
        ("link_inside", Path::new("real")),
        ("real/up", Path::new("../real/file.txt")),
        ("link_outside", outside.path()),
        ("link_escape", Path::new("../../../../../../etc")),
        ("link_big", &outside.path().join("big.bin")),
        ("dangling", Path::new("does/not/exist")),
        ("loop", Path::new(".")),
    ];
    for (name, target) in links {
        if let Err(e) = symlink(target, dir.path().join(name)) {
            panic!("symlink {name}: {e}");
        }
    }
    let context = BuildContext::new(dir.path());
    let index = context.index();
    let names = listed(&context);
    assert_eq!(
        names,
        [
            "dangling",
            "link_big",
            "link_escape",
            "link_inside",
            "link_outside",
            "loop",
            "real",
            "real/file.txt",
            "real/up"
        ],
        "nothing behind a link is listed"
    );
    for (name, target) in links {
        let entry = index
            .entry(name)
            .unwrap_or_else(|| panic!("{name} is not listed"));
        assert_eq!(entry.kind, EntryKind::Symlink, "{name}");
        // A link's size is its own: the length of the target path.
        assert_eq!(entry.size, target.as_os_str().len() as u64, "{name}");
        let leaves = matches!(*name, "link_outside" | "link_escape" | "link_big");
        assert_eq!(entry.leaves_context, leaves, "{name}");
    }
    // The 4 KiB file behind `link_big` is not counted, nor what `link_outside` holds.
    let size = context.source_size(".");
    assert_eq!(size.files, 1);
    assert_eq!(size.links, links.len());
    assert!(size.bytes < 4096, "{size:?}");
    assert!(!index.exists("link_outside/secret/.env"));
    assert!(index.matches("**/.env").is_empty());
}

/// Restores a mode on drop, so that the directory can be removed whatever happens.
struct RestoreMode<'a>(&'a Path, u32);

impl Drop for RestoreMode<'_> {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(self.1));
    }
}

#[test]
fn unreadable_files_and_directories_are_skipped_and_counted() {
    let dir = TempDir::new("ctx-unreadable");
    dir.write("ok.txt", b"fine");
    let locked_file = dir.write("locked.txt", b"secret");
    let locked_dir = dir.mkdir("locked_dir");
    dir.write("locked_dir/inner.txt", b"x");
    let set_mode = |path: &Path, mode: u32| {
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            panic!("chmod {}: {e}", path.display());
        }
    };
    set_mode(&locked_file, 0o000);
    let _restore_file = RestoreMode(&locked_file, 0o644);
    set_mode(&locked_dir, 0o000);
    let _restore_dir = RestoreMode(&locked_dir, 0o755);

    // Root (as in CI containers) reads anything whatever the mode: then nothing is
    // unreadable, and the walk must list both as usual.
    let privileged = std::fs::File::open(&locked_file).is_ok();
    let context = BuildContext::new(dir.path());
    let index = context.index();
    let names = listed(&context);
    if privileged {
        assert_eq!(
            names,
            ["locked.txt", "locked_dir", "locked_dir/inner.txt", "ok.txt"]
        );
        assert_eq!(index.n_unreadable, 0);
    } else {
        assert_eq!(names, ["ok.txt"]);
        assert_eq!(index.n_unreadable, 2);
    }
    assert!(index.is_complete());

    // An excluded file is never sent, so it is never opened and never counted.
    dir.write(".dockerignore", b"locked.txt\nlocked_dir\n");
    context.invalidate();
    let index = context.index();
    assert!(index.exists("locked.txt"));
    assert_eq!(index.n_unreadable, 0);
}

#[test]
fn special_files_are_never_opened() {
    let dir = TempDir::new("ctx-fifo");
    dir.write("a.txt", b"a");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mkfifo is not available: the FIFO case is not exercised");
        return;
    }
    // Opening a FIFO for reading would block the walk forever.
    let context = BuildContext::new(dir.path());
    let entry = context.index().entry("pipe").map(|e| e.kind);
    assert_eq!(entry, Some(EntryKind::Other));
    assert_eq!(context.source_size(".").files, 1);
}

#[test]
fn dockerfile_specific_ignore_file_takes_precedence() {
    let dir = TempDir::new("ctx-precedence");
    dir.write(".dockerignore", b"a\n");
    dir.write("a", b"");
    dir.write("b", b"");
    let dockerfile = dir.write("docker/app.Dockerfile", b"FROM scratch\n");
    dir.write("docker/app.Dockerfile.dockerignore", b"b\n");

    let plain = BuildContext::new(dir.path());
    assert!(plain.is_excluded("a") && !plain.is_excluded("b"));
    assert_eq!(
        plain.ignore_file_path(),
        Some(dir.path().join(".dockerignore"))
    );

    let own = BuildContext::new(dir.path()).with_dockerfile(&dockerfile);
    assert!(!own.is_excluded("a") && own.is_excluded("b"));
    match own.index().ignore_file() {
        IgnoreFile::Valid { name, .. } => assert_eq!(name, "app.Dockerfile.dockerignore"),
        other => panic!("{other:?}"),
    }

    // A Dockerfile without its own ignore file falls back to the context's.
    let other = dir.write("docker/other.Dockerfile", b"FROM scratch\n");
    let fallback = BuildContext::new(dir.path()).with_dockerfile(other);
    assert!(fallback.is_excluded("a"));
}

#[test]
fn the_listing_is_cached_until_invalidated() {
    let dir = TempDir::new("ctx-cache");
    dir.write("one", b"1");
    let context = BuildContext::new(dir.path());
    let first = context.index();
    assert!(Arc::ptr_eq(&first, &context.index()), "walked once");
    dir.write("two", b"22");
    assert_eq!(listed(&context), ["one"], "the cache is used");
    context.invalidate();
    assert_eq!(listed(&context), ["one", "two"]);
    dir.write(".dockerignore", b"two\n");
    assert!(!context.is_excluded("two"), "the ignore file is cached too");
    context.invalidate();
    assert!(context.is_excluded("two"));
}

#[test]
fn large_contexts_are_listed_in_part() {
    let dir = TempDir::new("ctx-limit");
    for n in 0..20 {
        dir.write(&format!("f{n:02}"), b"");
    }
    let context = BuildContext::new(dir.path()).with_max_entries(5);
    let index = context.index();
    assert!(!index.is_complete());
    assert!(index.entries().count() <= 5);
}

#[test]
fn missing_root_and_odd_names_do_not_panic() {
    let missing = BuildContext::new("/nonexistent/layerwise/context");
    let index = missing.index();
    assert!(!index.is_complete());
    assert_eq!(index.entries().count(), 0);
    assert!(missing.matches(".").len() == 1);

    let dir = TempDir::new("ctx-names");
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"bad\xffname");
    if std::fs::write(dir.path().join(odd), b"x").is_ok() {
        let context = BuildContext::new(dir.path());
        assert_eq!(context.index().entries().count(), 1);
    }
    // An ignore file Docker rejects is reported, not used.
    dir.write(".dockerignore", b"ok\n[broken\n");
    let context = BuildContext::new(dir.path());
    match context.index().ignore_file() {
        IgnoreFile::Invalid { error, .. } => assert_eq!(error.line, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn lint_reads_only_what_its_rules_need() {
    use layerwise::config::Config;
    use layerwise::diagnostics::lint_with;
    use layerwise::syntax::parse;

    let dir = TempDir::new("ctx-lazy");
    dir.write(".dockerignore", b"*.md\n");
    dir.write("README.md", b"x");
    let context = BuildContext::new(dir.path());
    let config = Config::default();

    // No COPY: neither the ignore file nor the listing is read.
    let facts = context.facts();
    let _ = lint_with(&parse("FROM a:1\nRUN true\n"), &config, Some(&facts));
    assert!(facts.ignore_read().is_none() && facts.index_read().is_none());

    // A COPY: the ignore file is read and the context listed.
    let facts = context.facts();
    let found = lint_with(
        &parse("FROM a:1\nCOPY README.md /\n"),
        &config,
        Some(&facts),
    );
    assert!(found.iter().any(|d| d.code == "CopyIgnoredFile"));
    assert!(facts.ignore_read().is_some() && facts.index_read().is_some());
}
