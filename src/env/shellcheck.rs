//! Running ShellCheck: finding the binary, feeding it one script on stdin under a time limit,
//! and remembering what it said about each script.
//!
//! `--shellcheck=auto` (the default) uses `shellcheck` from `PATH` when there is one and does
//! nothing otherwise; `off` never runs it; anything else is the path of the binary to use.
//! Each run is `shellcheck --norc --format=json1 --shell=<dialect> -`, killed when it takes
//! longer than the time limit. Results are cached in memory by job (dialect and whole script
//! text), bounded by the text they hold, so re-checking a file after a keystroke only runs the
//! RUN that changed. No more runs than the machine has cores are under way at once, however
//! many threads ask.
//!
//! This module only runs the binary. Which scripts to check and where the findings land in the
//! document are `shell::shellcheck`'s business, pure and tested without a binary.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use crate::shell::shellcheck::{Comment, EXCLUDED_CODES, Job, parse_json1};

/// Where ShellCheck comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    Off,
    /// `shellcheck` from `PATH` when there is one.
    Auto,
    Path(PathBuf),
}

impl Setting {
    /// `auto` (or nothing), `off`, or a path.
    pub fn parse(text: &str) -> Setting {
        match text.trim() {
            "" | "auto" => Setting::Auto,
            "off" => Setting::Off,
            path => Setting::Path(PathBuf::from(path)),
        }
    }
}

/// What ShellCheck said about one job, or why it said nothing.
pub type Outcome = Result<Arc<Vec<Comment>>, String>;

/// A ShellCheck binary with its cache. Shared between threads.
pub struct ShellCheck {
    program: PathBuf,
    timeout: Duration,
    cache: Mutex<Cache>,
    slots: Slots,
}

/// Outcomes by job. Bounded by the script text it holds; when full it starts afresh, which
/// costs one more run of each script.
#[derive(Default)]
struct Cache {
    entries: HashMap<Job, Outcome>,
    bytes: usize,
}

const CACHE_MAX_BYTES: usize = 8 << 20;

impl ShellCheck {
    /// hadolint has no limit; a script ShellCheck takes longer than this over is not checked.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

    /// The binary a setting names: `None` when it is off, or when `auto` finds no
    /// `shellcheck` on `PATH`. An explicit path that is not an executable file is an error.
    pub fn locate(setting: &Setting) -> Result<Option<ShellCheck>, String> {
        match setting {
            Setting::Off => Ok(None),
            Setting::Auto => Ok(find_on_path("shellcheck").map(ShellCheck::new)),
            Setting::Path(path) if is_executable(path) => Ok(Some(ShellCheck::new(path.clone()))),
            Setting::Path(path) => Err(format!(
                "shellcheck: `{}` is not an executable file",
                path.display()
            )),
        }
    }

    pub fn new(program: PathBuf) -> ShellCheck {
        let parallelism = std::thread::available_parallelism().map_or(1, |n| n.get());
        ShellCheck {
            program,
            timeout: ShellCheck::DEFAULT_TIMEOUT,
            cache: Mutex::default(),
            slots: Slots::new(parallelism),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> ShellCheck {
        self.timeout = timeout;
        self
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The outcome of an earlier run of this job, without running anything.
    pub fn cached(&self, job: &Job) -> Option<Outcome> {
        self.lock_cache().entries.get(job).cloned()
    }

    /// Checks one job: from the cache, or by running the binary.
    pub fn check(&self, job: &Job) -> Outcome {
        if let Some(hit) = self.cached(job) {
            return hit;
        }
        let outcome = self.run(job);
        let mut cache = self.lock_cache();
        if cache.bytes + job.text.len() > CACHE_MAX_BYTES {
            cache.entries.clear();
            cache.bytes = 0;
        }
        cache.bytes += job.text.len();
        cache.entries.insert(job.clone(), outcome.clone());
        outcome
    }

    /// Checks several jobs in parallel; the outcomes are in the jobs' order. A job given twice
    /// runs once.
    pub fn check_all(&self, jobs: &[&Job]) -> Vec<Outcome> {
        let mut unique: Vec<&Job> = Vec::new();
        let mut index_of: HashMap<&Job, usize> = HashMap::new();
        let slots: Vec<usize> = jobs
            .iter()
            .map(|job| {
                *index_of.entry(job).or_insert_with(|| {
                    unique.push(job);
                    unique.len() - 1
                })
            })
            .collect();
        let workers = self.slots.capacity.min(unique.len());
        let outcomes: Vec<Outcome> = if workers <= 1 {
            unique.iter().map(|job| self.check(job)).collect()
        } else {
            let next = AtomicUsize::new(0);
            let mut done: Vec<Option<Outcome>> = vec![None; unique.len()];
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let idx = next.fetch_add(1, Ordering::Relaxed);
                                let Some(job) = unique.get(idx) else {
                                    break mine;
                                };
                                mine.push((idx, self.check(job)));
                            }
                        })
                    })
                    .collect();
                for handle in handles {
                    for (idx, outcome) in handle.join().unwrap_or_default() {
                        done[idx] = Some(outcome);
                    }
                }
            });
            done.into_iter()
                .map(|o| o.unwrap_or_else(|| Err("internal error while running shellcheck".into())))
                .collect()
        };
        slots.iter().map(|&idx| outcomes[idx].clone()).collect()
    }

    fn lock_cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One run of the binary on one script.
    fn run(&self, job: &Job) -> Outcome {
        let _slot = self.slots.acquire();
        let excluded: Vec<String> = EXCLUDED_CODES.iter().map(u32::to_string).collect();
        let mut child = Command::new(&self.program)
            .arg("--norc")
            .arg("--format=json1")
            .arg(format!("--shell={}", job.dialect.as_str()))
            .arg(format!("--exclude={}", excluded.join(",")))
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;

        // Write and read on threads, so that a script larger than a pipe's buffer cannot
        // block us, and wait for the output with the time limit.
        let stdin = child.stdin.take();
        let text = job.text.clone();
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                // A closed pipe means ShellCheck stopped reading; its exit status tells why.
                let _ = stdin.write_all(text.as_bytes());
            }
        });
        let (sender, receiver) = mpsc::channel();
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        std::thread::spawn(move || {
            let mut out = String::new();
            let mut err = String::new();
            if let Some(mut stdout) = stdout {
                let _ = stdout.read_to_string(&mut out);
            }
            if let Some(mut stderr) = stderr {
                let _ = stderr.read_to_string(&mut err);
            }
            let _ = sender.send((out, err));
        });
        let Ok((stdout, stderr)) = receiver.recv_timeout(self.timeout) else {
            let _ = child.kill();
            let _ = child.wait();
            let _ = writer.join();
            return Err(format!(
                "{} took longer than {} s and was stopped",
                self.program.display(),
                self.timeout.as_secs_f32()
            ));
        };
        let _ = writer.join();
        let status = child
            .wait()
            .map_err(|e| format!("{}: {e}", self.program.display()))?;
        // 0: no findings, 1: findings; anything else is a failure (bad options, a crash).
        match status.code() {
            Some(0 | 1) => parse_json1(&stdout)
                .map(Arc::new)
                .map_err(|e| format!("unreadable output of {}: {e}", self.program.display())),
            _ => Err(format!(
                "{} failed ({status}): {}",
                self.program.display(),
                stderr.lines().next().unwrap_or("no message").trim()
            )),
        }
    }
}

/// A counting semaphore: at most `capacity` ShellCheck processes at once.
struct Slots {
    capacity: usize,
    free: Mutex<usize>,
    freed: Condvar,
}

struct SlotGuard<'a>(&'a Slots);

impl Slots {
    fn new(capacity: usize) -> Slots {
        let capacity = capacity.max(1);
        Slots {
            capacity,
            free: Mutex::new(capacity),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) -> SlotGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        SlotGuard(self)
    }
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(PoisonError::into_inner);
        *free += 1;
        self.0.freed.notify_one();
    }
}

/// The first executable called `name` in a `PATH` directory.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{name}.exe"), name.to_string()]
    } else {
        vec![name.to_string()]
    };
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings() {
        assert_eq!(Setting::parse("auto"), Setting::Auto);
        assert_eq!(Setting::parse(""), Setting::Auto);
        assert_eq!(Setting::parse("off"), Setting::Off);
        assert_eq!(
            Setting::parse("/opt/sc/shellcheck"),
            Setting::Path(PathBuf::from("/opt/sc/shellcheck"))
        );
        assert!(matches!(ShellCheck::locate(&Setting::Off), Ok(None)));
        let missing = Setting::Path(PathBuf::from("/nonexistent/shellcheck"));
        assert!(ShellCheck::locate(&missing).is_err());
    }

    #[test]
    fn slots_bound_concurrent_runs() {
        let slots = Slots::new(2);
        let first = slots.acquire();
        let _second = slots.acquire();
        assert_eq!(
            *slots.free.lock().unwrap_or_else(PoisonError::into_inner),
            0
        );
        drop(first);
        let _third = slots.acquire();
        assert_eq!(
            *slots.free.lock().unwrap_or_else(PoisonError::into_inner),
            0
        );
    }
}
