//! Reading inputs for the CLI: files, directories searched for Dockerfiles, and stdin.
//!
//! Invalid UTF-8 is read lossily and remembered, so `check` can report it as LW0017 instead of
//! failing. Directory walks never follow symlinks and skip VCS, dependency and build folders.

use std::io::Read;
use std::path::{Path, PathBuf};

/// One input to lint.
pub struct SourceFile {
    /// The name to print (`-` for stdin).
    pub name: String,
    pub text: String,
    /// The bytes were not valid UTF-8 and were replaced.
    pub lossy: bool,
}

/// Whether a file name is a Dockerfile by convention: `Dockerfile`, `Dockerfile.*`,
/// `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
];

/// Expands the command-line paths: files as given, directories searched recursively for
/// Dockerfiles (sorted), `-` for stdin. Errors name the path.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
        if meta.is_dir() {
            let before = out.len();
            walk(path, &mut out);
            out[before..].sort();
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if file_type.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                walk(&entry.path(), out);
            }
        } else if file_type.is_file() && is_dockerfile_name(&name) {
            out.push(entry.path());
        }
    }
}

/// Reads a file (or stdin for `-`), lossily if it is not UTF-8.
pub fn read_source(path: &Path) -> Result<SourceFile, String> {
    let mut bytes = Vec::new();
    let name = if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("<stdin>: {}", io_reason(&e)))?;
        "-".to_string()
    } else {
        bytes =
            std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
        path.display().to_string()
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => SourceFile {
            name,
            text,
            lossy: false,
        },
        Err(err) => SourceFile {
            name,
            text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
            lossy: true,
        },
    })
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.ci",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in ["README.md", "Dockerfiles", "docker-compose.yml", "Makefile"] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
