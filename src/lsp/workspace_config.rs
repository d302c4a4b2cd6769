//! Configuration per document: the `.hadolint.yaml` that applies to it (the nearest one above
//! the Dockerfile up to its workspace folder, then hadolint's own places), on top of the editor
//! defaults and the `HADOLINT_*` environment, reloaded when the file changes.
//!
//! Discovery results are cached per directory and dropped when the client reports a changed
//! configuration file (or a save); each configuration file is re-read when its modification
//! time changes, so edits made outside the editor apply on the next lint too. A broken file is
//! reported once per change and the defaults are used meanwhile. Reading the files is `env`'s
//! job; this module only decides which file applies and caches the result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lsp_types::Uri;

use crate::config::{Config, ConfigLayer};
use crate::env::config_files;

pub(crate) struct WorkspaceConfig {
    folders: Vec<PathBuf>,
    /// Editor defaults with the environment applied.
    base: Config,
    /// Per directory of a document: the configuration file that applies, if any.
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    /// Per configuration file: its modification time, the resulting configuration, and the
    /// error when it could not be read.
    files: HashMap<PathBuf, Loaded>,
    home: Option<PathBuf>,
    xdg: Option<PathBuf>,
}

struct Loaded {
    modified: Option<SystemTime>,
    config: Config,
    error: Option<String>,
}

impl WorkspaceConfig {
    pub(crate) fn new(folders: Vec<PathBuf>) -> WorkspaceConfig {
        let mut base = Config::editor();
        match ConfigLayer::from_env(|name| std::env::var(name).ok()) {
            Ok(layer) => base.apply(&layer),
            Err(err) => crate::lsp::log::log_warn!("ignoring the HADOLINT_* environment: {err}"),
        }
        WorkspaceConfig {
            folders,
            base,
            discovered: HashMap::new(),
            files: HashMap::new(),
            home: std::env::var_os("HOME").map(PathBuf::from),
            xdg: std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from),
        }
    }

    /// The configuration last computed for a document, without looking at the files again
    /// (`None` when none was computed since the last invalidation).
    pub(crate) fn cached(&self, uri: &Uri) -> Option<Config> {
        let dir = document_dir(uri)?;
        match self.discovered.get(&dir)? {
            Some(path) => self.files.get(path).map(|loaded| loaded.config.clone()),
            None => Some(self.base.clone()),
        }
    }

    /// Forgets which file applies where (a configuration file appeared, moved or vanished).
    pub(crate) fn invalidate(&mut self) {
        self.discovered.clear();
        self.files.clear();
    }

    /// The configuration for a document, and a message when its file is broken (returned only
    /// the first time after each change of the file).
    pub(crate) fn config_for(&mut self, uri: &Uri) -> (Config, Option<String>) {
        let Some(dir) = document_dir(uri) else {
            return (self.base.clone(), None);
        };
        let config_path = match self.discovered.get(&dir) {
            Some(found) => found.clone(),
            None => {
                let root = self
                    .folders
                    .iter()
                    .filter(|f| dir.starts_with(f))
                    .max_by_key(|f| f.as_os_str().len())
                    .cloned()
                    .unwrap_or_else(|| dir.clone());
                let found = config_files::discover(
                    &dir,
                    &root,
                    &root,
                    self.home.as_deref(),
                    self.xdg.as_deref(),
                );
                self.discovered.insert(dir.clone(), found.clone());
                found
            }
        };
        let Some(path) = config_path else {
            return (self.base.clone(), None);
        };
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let mut fresh_error = None;
        let stale = self
            .files
            .get(&path)
            .is_none_or(|loaded| loaded.modified != modified);
        if stale {
            let mut config = self.base.clone();
            let error = match config_files::read(&path) {
                Ok((layer, warnings)) => {
                    for warning in warnings {
                        crate::lsp::log::log_warn!("{warning}");
                    }
                    config.apply(&layer);
                    None
                }
                Err(err) => {
                    config = self.base.clone();
                    Some(err)
                }
            };
            fresh_error = error.clone();
            self.files.insert(
                path.clone(),
                Loaded {
                    modified,
                    config,
                    error,
                },
            );
        }
        let loaded = &self.files[&path];
        let _ = &loaded.error;
        (loaded.config.clone(), fresh_error)
    }
}

/// The directory of a `file:` URI's path.
fn document_dir(uri: &Uri) -> Option<PathBuf> {
    let path = file_path(uri)?;
    path.parent().map(Path::to_path_buf)
}

/// The path of a `file:` URI (percent-decoded).
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file://host/path` is not local; `file:///path` has an empty host.
    let path = rest.strip_prefix('/').map(|p| format!("/{p}"))?;
    Some(PathBuf::from(percent_decode(&path)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri = Uri::from_str("file:///home/me/my%20app/Dockerfile").unwrap();
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/home/me/my app/Dockerfile"))
        );
        let remote = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(file_path(&remote), None);
    }

    #[test]
    fn nearest_file_applies_and_reloads_when_changed() {
        let base = std::env::temp_dir().join(format!("layerwise-ws-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let svc = base.join("svc");
        std::fs::create_dir_all(&svc).unwrap();
        std::fs::write(base.join(".hadolint.yaml"), "ignored: [DL3006]\n").unwrap();
        let uri = Uri::from_str(&format!("file://{}/Dockerfile", svc.display())).unwrap();
        let mut ws = WorkspaceConfig::new(vec![base.clone()]);
        let (config, error) = ws.config_for(&uri);
        assert!(error.is_none());
        assert_eq!(config.ignored, ["DL3006"]);
        // A broken edit is reported once and the defaults apply.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(base.join(".hadolint.yaml"), "ignored: [DL3006\n").unwrap();
        let bump = SystemTime::now() + std::time::Duration::from_secs(2);
        let file = std::fs::File::options()
            .write(true)
            .open(base.join(".hadolint.yaml"))
            .unwrap();
        file.set_modified(bump).unwrap();
        let (config, error) = ws.config_for(&uri);
        assert!(
            error.is_some_and(|e| e.contains(".hadolint.yaml:1:")),
            "the error names file, line and column"
        );
        assert!(config.ignored.is_empty());
        let (_, again) = ws.config_for(&uri);
        assert!(again.is_none(), "reported once");
        // A new, nearer file is found after invalidation.
        std::fs::write(svc.join(".hadolint.yml"), "ignored: [DL3008]\n").unwrap();
        ws.invalidate();
        assert_eq!(ws.config_for(&uri).0.ignored, ["DL3008"]);
        let _ = std::fs::remove_dir_all(&base);
    }
}
