//! Finding and reading `.hadolint.yaml` files.
//!
//! Discovery, first match wins: the nearest `.hadolint.yaml`/`.hadolint.yml` in the Dockerfile's
//! directory or a parent, up to and including the workspace root; then hadolint's own places
//! (the current directory, `$XDG_CONFIG_HOME/hadolint.yaml` or `~/.config/hadolint.yaml`,
//! `~/.hadolint/hadolint.yaml`, `~/.hadolint/config.yaml`, `~/.hadolint.yaml`). Reading turns
//! the text into a `ConfigLayer`; a broken file is an error naming the file, line and column.

use std::path::{Path, PathBuf};

use crate::config::ConfigLayer;

const NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// The configuration file that applies to a Dockerfile in `dir`, searching up to `root`.
pub fn discover(
    dir: &Path,
    root: &Path,
    cwd: &Path,
    home: Option<&Path>,
    xdg: Option<&Path>,
) -> Option<PathBuf> {
    let mut current = Some(dir);
    while let Some(d) = current {
        if let Some(found) = first_existing(d, NAMES) {
            return Some(found);
        }
        if d == root {
            break;
        }
        current = d.parent();
    }
    if let Some(found) = first_existing(cwd, NAMES) {
        return Some(found);
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    match xdg {
        Some(xdg) => candidates.push(xdg.join("hadolint.yaml")),
        None => {
            if let Some(home) = home {
                candidates.push(home.join(".config/hadolint.yaml"));
            }
        }
    }
    if let Some(home) = home {
        candidates.push(home.join(".hadolint/hadolint.yaml"));
        candidates.push(home.join(".hadolint/config.yaml"));
        candidates.push(home.join(".hadolint.yaml"));
    }
    candidates.into_iter().find(|p| p.is_file())
}

fn first_existing(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// Reads and parses a configuration file. Unknown keys come back as warnings.
pub fn read(path: &Path) -> Result<(ConfigLayer, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (layer, unknown) =
        ConfigLayer::from_hadolint_yaml(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    let warnings = unknown
        .into_iter()
        .map(|key| format!("{}: unknown key `{key}` is ignored", path.display()))
        .collect();
    Ok((layer, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_wins_up_to_the_root() {
        let base = std::env::temp_dir().join(format!("layerwise-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let deep = base.join("repo/services/api");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(base.join("repo/.hadolint.yaml"), "ignored: [DL3006]\n").unwrap();
        std::fs::write(base.join(".hadolint.yml"), "ignored: [DL3008]\n").unwrap();
        let root = base.join("repo");
        let elsewhere = base.join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        assert_eq!(
            discover(&deep, &root, &elsewhere, None, None),
            Some(root.join(".hadolint.yaml"))
        );
        // Above the workspace root only hadolint's own places count.
        std::fs::remove_file(root.join(".hadolint.yaml")).unwrap();
        assert_eq!(discover(&deep, &root, &elsewhere, None, None), None);
        assert_eq!(
            discover(&deep, &root, &base, None, None),
            Some(base.join(".hadolint.yml"))
        );
        let home = base.join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        std::fs::write(home.join(".config/hadolint.yaml"), "").unwrap();
        assert_eq!(
            discover(&deep, &root, &elsewhere, Some(&home), None),
            Some(home.join(".config/hadolint.yaml"))
        );
        let _ = std::fs::remove_dir_all(&base);
    }
}
