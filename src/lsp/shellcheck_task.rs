//! ShellCheck off the main loop: one worker thread that runs the jobs the loop sends it and
//! sends back what ShellCheck said, tagged with the document version they were made for.
//!
//! The loop never waits for it. When requests queue up while the worker is busy, only the
//! newest one per document is run: the older versions are stale already. Whether a result is
//! still worth publishing when it comes back is the loop's decision (`Event::ShellCheckDone`),
//! not the worker's. This module knows nothing of the protocol or of positions.

use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_types::Uri;

use crate::env::shellcheck::{Outcome, ShellCheck};
use crate::lsp::log::{log_debug, log_warn};
use crate::shell::shellcheck::Job;

/// Jobs for one version of one document.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) jobs: Vec<Job>,
}

/// The outcomes of a request's jobs.
#[derive(Debug)]
pub(crate) struct Done {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) results: Vec<(Job, Outcome)>,
}

/// Starts the worker. It stops when the request sender is dropped (or nobody listens for
/// results any more).
pub(crate) fn spawn(shellcheck: Arc<ShellCheck>) -> (Sender<Request>, Receiver<Done>) {
    let (request_sender, requests) = crossbeam_channel::unbounded::<Request>();
    let (done_sender, done) = crossbeam_channel::unbounded::<Done>();
    let spawned = std::thread::Builder::new()
        .name("shellcheck".to_owned())
        .spawn(move || work(&shellcheck, &requests, &done_sender));
    if let Err(err) = spawned {
        log_warn!("cannot start the ShellCheck thread ({err}); SC findings are off");
    }
    (request_sender, done)
}

fn work(shellcheck: &ShellCheck, requests: &Receiver<Request>, done: &Sender<Done>) {
    while let Ok(first) = requests.recv() {
        let mut batch = vec![first];
        // Only the newest request per document is worth running.
        for request in requests.try_iter() {
            match batch.iter_mut().find(|r| r.uri == request.uri) {
                Some(older) => *older = request,
                None => batch.push(request),
            }
        }
        for request in batch {
            let jobs: Vec<&Job> = request.jobs.iter().collect();
            let outcomes = shellcheck.check_all(&jobs);
            for outcome in &outcomes {
                if let Err(message) = outcome {
                    log_warn!("ShellCheck was not run on a RUN: {message}");
                }
            }
            log_debug!(
                "ShellCheck checked {} script(s) of version {}",
                outcomes.len(),
                request.version
            );
            let results = request.jobs.into_iter().zip(outcomes).collect();
            let message = Done {
                uri: request.uri,
                version: request.version,
                results,
            };
            if done.send(message).is_err() {
                return;
            }
        }
    }
}
