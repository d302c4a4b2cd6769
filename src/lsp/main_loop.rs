//! The server's one ordered loop: the handshake, then a closed [`Event`] enum that names every
//! cause of work, and the dispatch tables (one line per method).
//!
//! Order is the whole design. Messages are taken in the order the client sent them and text
//! edits are applied on the spot, so a request always sees every edit sent before it. Linting
//! waits until no message is queued: a burst of `didChange`s is applied edit by edit and linted
//! once, for the last version ([`Event::QueueDrained`]). A lint result is published only if no
//! newer edit for that document arrived while it ran, so a stale version is never published.
//! ShellCheck runs on a worker thread (`shellcheck_task`): a version is published at once with
//! the ShellCheck findings already known, and again when the worker's results for that very
//! version come back ([`Event::ShellCheckDone`]) and add something, unless the document has
//! moved on.
//! Requests run behind `catch_unwind`: a panicking handler answers `InternalError` and the loop
//! goes on. `$/cancelRequest` is noticed as soon as it is queued, so a request cancelled before
//! its turn is answered `RequestCanceled` without running. This module does not convert
//! positions or analyse text; handlers, `documents`, `to_proto` and `from_proto` do.

use std::collections::{HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{ClientCapabilities, Uri};

use crate::env::shellcheck::{Setting, ShellCheck};
use crate::lsp::capabilities::{self, PositionEncoding};
use crate::lsp::documents::Documents;
use crate::lsp::log::{self, log_debug, log_error, log_info, log_warn};
use crate::lsp::shellcheck_task::{self, Done};
use crate::lsp::workspace_config::{self, WorkspaceConfig};
use crate::lsp::{ext, handlers};

/// Every cause of work for the server.
#[derive(Debug)]
pub(crate) enum Event {
    /// A request from the client: answered exactly once.
    Request(Request),
    /// A notification from the client: text sync, cancellation, lifecycle. Never answered.
    Notification(Notification),
    /// An answer to a request the server sent. The server sends none yet: logged and dropped.
    Response(Response),
    /// No message is queued and some documents changed since they were last linted.
    QueueDrained,
    /// The ShellCheck worker finished the scripts of one document version.
    ShellCheckDone(Done),
    /// The client closed the connection.
    Disconnected,
}

impl From<Message> for Event {
    fn from(msg: Message) -> Event {
        match msg {
            Message::Request(req) => Event::Request(req),
            Message::Notification(not) => Event::Notification(not),
            Message::Response(resp) => Event::Response(resp),
        }
    }
}

/// A request handler's failure, sent back as the response's error.
#[derive(Debug)]
pub(crate) struct LspError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl LspError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> LspError {
        LspError {
            code,
            message: message.into(),
        }
    }
}

/// The server's state. Only the main loop's thread touches it.
pub(crate) struct Server {
    sender: Sender<Message>,
    receiver: Receiver<Message>,
    /// Messages taken off the channel and not handled yet, in the client's order.
    inbox: VecDeque<Message>,
    /// Requests received and not answered yet.
    pending: HashSet<RequestId>,
    /// Pending requests the client cancelled: answered `RequestCanceled` on their turn.
    cancelled: HashSet<RequestId>,
    pub(crate) encoding: PositionEncoding,
    pub(crate) documents: Documents,
    /// The configuration of each document, from its workspace's `.hadolint.yaml`.
    pub(crate) workspace: WorkspaceConfig,
    /// The client accepts `client/registerCapability` for file watching.
    watch_config_files: bool,
    pub(crate) shutdown_requested: bool,
    /// ShellCheck with its cache, when the setting and the machine allow it.
    shellcheck: Option<Arc<ShellCheck>>,
    /// Where jobs go to the worker, and where its results come back (`never()` without one).
    shellcheck_jobs: Option<Sender<shellcheck_task::Request>>,
    shellcheck_done: Receiver<Done>,
}

/// What the client asked for in `initialize`, beyond capabilities.
struct Handshake {
    encoding: PositionEncoding,
    /// `initializationOptions.shellcheck`: `"auto"` (the default), `"off"` or a path.
    shellcheck: Setting,
    /// Workspace folders (or the root), as paths.
    folders: Vec<std::path::PathBuf>,
    watch_config_files: bool,
}

/// Runs the handshake, then the loop; returns the process exit code.
pub(crate) fn serve(connection: Connection) -> i32 {
    let Some(handshake) = handshake(&connection) else {
        return 1;
    };
    let mut server = Server::new(connection, handshake.encoding);
    server.workspace = WorkspaceConfig::new(handshake.folders);
    server.watch_config_files = handshake.watch_config_files;
    match ShellCheck::locate(&handshake.shellcheck) {
        Ok(Some(shellcheck)) => {
            log_info!(
                "ShellCheck findings from {}",
                shellcheck.program().display()
            );
            server.start_shellcheck(shellcheck);
        }
        Ok(None) => log_info!("no ShellCheck findings (off, or no `shellcheck` on PATH)"),
        Err(err) => log_error!("{err}; no ShellCheck findings"),
    }
    server.run()
}

/// Waits for `initialize` and answers it with the negotiated encoding. Requests before it are
/// refused with `ServerNotInitialized`, notifications are dropped; `exit` (or a closed
/// connection) ends the server with code 1. The `initialized` notification is left for the
/// main loop.
fn handshake(connection: &Connection) -> Option<Handshake> {
    loop {
        let msg = match connection.receiver.recv() {
            Ok(msg) => msg,
            Err(_) => {
                log_info!("the client disconnected before initialize");
                return None;
            }
        };
        match msg {
            Message::Request(req) if req.method == req::Initialize::METHOD => {
                let raw = req.params.get("capabilities").cloned().unwrap_or_default();
                let capabilities: ClientCapabilities = serde_json::from_value(raw.clone())
                    .unwrap_or_else(|err| {
                        log_warn!("unreadable client capabilities ({err}); assuming none");
                        ClientCapabilities::default()
                    });
                let client = req
                    .params
                    .pointer("/clientInfo/name")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("an unnamed client");
                let (encoding, source) = capabilities::negotiate_encoding(&capabilities, &raw);
                log_info!(
                    "layerwise {} serving {client}; positions in {}",
                    env!("CARGO_PKG_VERSION"),
                    encoding.kind().as_str()
                );
                let shellcheck = req
                    .params
                    .pointer("/initializationOptions/shellcheck")
                    .and_then(serde_json::Value::as_str)
                    .map_or(Setting::Auto, Setting::parse);
                let result = capabilities::initialize_result(encoding, source);
                let response = Response {
                    id: req.id,
                    response_result: Ok(result),
                };
                if connection.sender.send(response.into()).is_err() {
                    return None;
                }
                let mut folders: Vec<std::path::PathBuf> = req
                    .params
                    .get("workspaceFolders")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.get("uri")?.as_str()?.parse::<Uri>().ok())
                    .filter_map(|uri| workspace_config::file_path(&uri))
                    .collect();
                if folders.is_empty()
                    && let Some(root) = req
                        .params
                        .get("rootUri")
                        .and_then(serde_json::Value::as_str)
                    && let Some(path) = root
                        .parse::<Uri>()
                        .ok()
                        .and_then(|u| workspace_config::file_path(&u))
                {
                    folders.push(path);
                }
                let watch_config_files = capabilities
                    .workspace
                    .as_ref()
                    .and_then(|w| w.did_change_watched_files.as_ref())
                    .and_then(|d| d.dynamic_registration)
                    .unwrap_or(false);
                return Some(Handshake {
                    encoding,
                    shellcheck,
                    folders,
                    watch_config_files,
                });
            }
            Message::Request(req) => {
                let response = error_response(
                    req.id,
                    LspError::new(
                        ErrorCode::ServerNotInitialized,
                        format!("`{}` before `initialize`", req.method),
                    ),
                );
                if connection.sender.send(response.into()).is_err() {
                    return None;
                }
            }
            Message::Notification(not) if not.method == notif::Exit::METHOD => {
                log_info!("exit before initialize");
                return None;
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

impl Server {
    fn new(connection: Connection, encoding: PositionEncoding) -> Server {
        Server {
            sender: connection.sender,
            receiver: connection.receiver,
            inbox: VecDeque::new(),
            pending: HashSet::new(),
            cancelled: HashSet::new(),
            encoding,
            documents: Documents::default(),
            workspace: WorkspaceConfig::new(Vec::new()),
            watch_config_files: false,
            shutdown_requested: false,
            shellcheck: None,
            shellcheck_jobs: None,
            shellcheck_done: crossbeam_channel::never(),
        }
    }

    /// Runs ShellCheck on a worker thread from now on.
    fn start_shellcheck(&mut self, shellcheck: ShellCheck) {
        let shellcheck = Arc::new(shellcheck);
        let (jobs, done) = shellcheck_task::spawn(shellcheck.clone());
        self.shellcheck = Some(shellcheck);
        self.shellcheck_jobs = Some(jobs);
        self.shellcheck_done = done;
    }

    fn run(&mut self) -> i32 {
        loop {
            match self.next_event() {
                Event::Request(req) => self.on_request(req),
                Event::Notification(not) if not.method == notif::Exit::METHOD => {
                    return self.exit_code();
                }
                Event::Notification(not) => self.on_notification(not),
                Event::Response(resp) => {
                    log_debug!("dropping a response to request {}", resp.id);
                }
                Event::QueueDrained => self.publish_diagnostics(),
                Event::ShellCheckDone(done) => self.publish_shellcheck(done),
                Event::Disconnected => {
                    log_info!("the client disconnected without `exit`");
                    return self.exit_code();
                }
            }
        }
    }

    /// 0 when `shutdown` came first, 1 otherwise (the protocol's rule for `exit`).
    fn exit_code(&self) -> i32 {
        if self.shutdown_requested { 0 } else { 1 }
    }

    fn next_event(&mut self) -> Event {
        self.fill_inbox();
        if let Some(msg) = self.inbox.pop_front() {
            return Event::from(msg);
        }
        if !self.shutdown_requested && self.documents.needing_lint().next().is_some() {
            return Event::QueueDrained;
        }
        loop {
            crossbeam_channel::select! {
                recv(self.receiver) -> msg => return match msg {
                    Ok(msg) => {
                        self.note_arrival(&msg);
                        Event::from(msg)
                    }
                    Err(_) => Event::Disconnected,
                },
                recv(self.shellcheck_done) -> done => match done {
                    Ok(done) => return Event::ShellCheckDone(done),
                    // The worker is gone (it could not start): no more results to wait for.
                    Err(_) => {
                        self.shellcheck = None;
                        self.shellcheck_jobs = None;
                        self.shellcheck_done = crossbeam_channel::never();
                    }
                },
            }
        }
    }

    /// Takes every message the client already sent off the channel, without blocking.
    fn fill_inbox(&mut self) {
        while let Ok(msg) = self.receiver.try_recv() {
            self.note_arrival(&msg);
            self.inbox.push_back(msg);
        }
    }

    /// Bookkeeping the moment a message arrives, before its turn: pending requests and
    /// cancellations (a cancel always arrives after its request, so it must be seen early).
    fn note_arrival(&mut self, msg: &Message) {
        match msg {
            Message::Request(req) => {
                self.pending.insert(req.id.clone());
            }
            Message::Notification(not) if not.method == notif::Cancel::METHOD => {
                let id = match not.params.get("id") {
                    Some(serde_json::Value::Number(n)) => n
                        .as_i64()
                        .and_then(|n| i32::try_from(n).ok())
                        .map(RequestId::from),
                    Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
                    _ => None,
                };
                let Some(id) = id else {
                    log_warn!("`$/cancelRequest` without a usable id");
                    return;
                };
                // A cancel for a request already answered (or never sent) is ignored.
                if self.pending.contains(&id) {
                    self.cancelled.insert(id);
                }
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }

    /// Whether a queued message will change, reopen or close `uri`: then a lint result for
    /// its current version is already stale.
    fn inbox_touches(&self, uri: &Uri) -> bool {
        let changes_text = |method: &str| {
            method == notif::DidChangeTextDocument::METHOD
                || method == notif::DidOpenTextDocument::METHOD
                || method == notif::DidCloseTextDocument::METHOD
        };
        self.inbox.iter().any(|msg| match msg {
            Message::Notification(not) if changes_text(&not.method) => {
                not.params.pointer("/textDocument/uri") == Some(&uri.as_str().into())
            }
            Message::Notification(_) | Message::Request(_) | Message::Response(_) => false,
        })
    }

    fn on_request(&mut self, req: Request) {
        if self.cancelled.remove(&req.id) {
            log_debug!(
                "request {} ({}) was cancelled before its turn",
                req.id,
                req.method
            );
            let error = LspError::new(ErrorCode::RequestCanceled, "cancelled by the client");
            self.respond(error_response(req.id, error));
            return;
        }
        if self.shutdown_requested {
            let error = LspError::new(
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", req.method),
            );
            self.respond(error_response(req.id, error));
            return;
        }
        let mut dispatcher = RequestDispatcher {
            server: self,
            req: Some(req),
        };
        dispatcher
            .on_mut::<req::Shutdown>(handlers::shutdown::handle)
            .on::<req::Initialize>(|_, _| {
                Err(LspError::new(
                    ErrorCode::InvalidRequest,
                    "already initialized",
                ))
            })
            .on_mut::<req::CodeActionRequest>(handlers::code_action::handle)
            .on::<ext::DebugText>(handlers::debug_text::handle);
        #[cfg(test)]
        dispatcher.on::<tests::Panic>(tests::panic_handler);
        dispatcher.finish();
    }

    fn on_notification(&mut self, not: Notification) {
        if self.shutdown_requested {
            log_debug!("ignoring `{}` after `shutdown`", not.method);
            return;
        }
        NotificationDispatcher {
            server: self,
            not: Some(not),
        }
        .on::<notif::Initialized>(|server, _| {
            server.watch_configuration_files();
            Ok(())
        })
        .on::<notif::DidChangeWatchedFiles>(|server, _| {
            server.configuration_changed();
            Ok(())
        })
        // Cancellations take effect when they arrive (see `note_arrival`).
        .on::<notif::Cancel>(|_, _| Ok(()))
        .on::<notif::DidOpenTextDocument>(handlers::did_open::handle)
        .on::<notif::DidChangeTextDocument>(handlers::did_change::handle)
        .on::<notif::DidCloseTextDocument>(handlers::did_close::handle)
        .on::<notif::DidSaveTextDocument>(handlers::did_save::handle)
        .finish();
    }

    /// Asks the client to report changes of configuration files, when it can.
    fn watch_configuration_files(&mut self) {
        if !self.watch_config_files {
            return;
        }
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String("**/.hadolint.{yaml,yml}".to_string()),
                kind: None,
            }],
        };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "layerwise-config-files".to_string(),
                method: notif::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = lsp_server::Request::new(
            RequestId::from("layerwise/register-config-watch".to_string()),
            req::RegisterCapability::METHOD.to_string(),
            params,
        );
        if self.sender.send(request.into()).is_err() {
            log_warn!("could not ask the client to watch configuration files");
        }
    }

    /// A configuration file may have changed: forget what was read, and lint again the open
    /// documents whose configuration is now different.
    pub(crate) fn configuration_changed(&mut self) {
        let uris = self.documents.uris();
        let before: Vec<_> = uris.iter().map(|uri| self.workspace.cached(uri)).collect();
        self.workspace.invalidate();
        for (uri, old) in uris.iter().zip(before) {
            let (new, error) = self.workspace.config_for(uri);
            if let Some(message) = error {
                self.show_message(
                    lsp_types::MessageType::WARNING,
                    format!("layerwise: {message}; using the defaults"),
                );
            }
            if old.is_none_or(|old| old != new) {
                self.documents.mark_for_lint(uri);
            }
        }
    }

    fn show_message(&self, typ: lsp_types::MessageType, message: String) {
        self.notify::<notif::ShowMessage>(lsp_types::ShowMessageParams { typ, message });
    }

    /// Lints every document changed since its last publication, once, at its current version.
    fn publish_diagnostics(&mut self) {
        let changed: Vec<Uri> = self.documents.needing_lint().cloned().collect();
        for uri in changed {
            let (config, config_error) = self.workspace.config_for(&uri);
            if let Some(message) = config_error {
                self.show_message(
                    lsp_types::MessageType::WARNING,
                    format!("layerwise: {message}; using the defaults"),
                );
            }
            let config = &config;
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let version = document.version();
            let encoding = self.encoding;
            let shellcheck = self.shellcheck.as_deref();
            let computed = catch_unwind(AssertUnwindSafe(|| {
                handlers::diagnostics::compute(&uri, document, encoding, config, shellcheck, &[])
            }));
            // Edits that arrived while linting make this result stale: drop it; the next
            // `QueueDrained` lints the newer text.
            self.fill_inbox();
            if self.inbox_touches(&uri) {
                log_debug!("dropping diagnostics for a version already superseded");
                continue;
            }
            if let Some(document) = self.documents.get_mut(&uri) {
                document.needs_lint = false;
            }
            let computed = match computed {
                Ok(computed) => computed,
                Err(payload) => {
                    log_error!(
                        "linting version {version} panicked: {}; publishing no diagnostics",
                        panic_message(payload.as_ref())
                    );
                    handlers::diagnostics::Computed {
                        params: lsp_types::PublishDiagnosticsParams {
                            uri: uri.clone(),
                            diagnostics: Vec::new(),
                            version: Some(version),
                        },
                        missing: Vec::new(),
                        from_fresh: 0,
                    }
                }
            };
            self.notify::<notif::PublishDiagnostics>(computed.params);
            // Published without waiting; ShellCheck's findings for the scripts it has not
            // seen yet follow in a second publication of this version.
            if !computed.missing.is_empty()
                && let Some(jobs) = &self.shellcheck_jobs
            {
                let request = shellcheck_task::Request {
                    uri,
                    version,
                    jobs: computed.missing,
                };
                if jobs.send(request).is_err() {
                    log_warn!("the ShellCheck thread is gone; SC findings are off");
                    self.shellcheck_jobs = None;
                }
            }
        }
    }

    /// Publishes a version again with the ShellCheck findings the worker brought, if the
    /// document is still at that version and they add anything.
    fn publish_shellcheck(&mut self, done: Done) {
        if self.shutdown_requested {
            return;
        }
        let stale = |server: &Server| {
            server
                .documents
                .get(&done.uri)
                .is_none_or(|d| d.version() != done.version || d.needs_lint)
        };
        if stale(self) {
            log_debug!("dropping ShellCheck results for a version already superseded");
            return;
        }
        // An edit already queued makes the result stale as well.
        self.fill_inbox();
        if self.inbox_touches(&done.uri) {
            log_debug!("dropping ShellCheck results for a version already superseded");
            return;
        }
        let (config, _) = self.workspace.config_for(&done.uri);
        let config = &config;
        let Some(document) = self.documents.get(&done.uri) else {
            return;
        };
        let encoding = self.encoding;
        let shellcheck = self.shellcheck.as_deref();
        let computed = catch_unwind(AssertUnwindSafe(|| {
            handlers::diagnostics::compute(
                &done.uri,
                document,
                encoding,
                config,
                shellcheck,
                &done.results,
            )
        }));
        match computed {
            Ok(computed) if computed.from_fresh > 0 => {
                self.notify::<notif::PublishDiagnostics>(computed.params);
            }
            Ok(_) => log_debug!("ShellCheck found nothing new in version {}", done.version),
            Err(payload) => log_error!(
                "adding ShellCheck findings to version {} panicked: {}",
                done.version,
                panic_message(payload.as_ref())
            ),
        }
    }

    pub(crate) fn notify<N: notif::Notification>(&self, params: N::Params) {
        let not = match serde_json::to_value(params) {
            Ok(params) => Notification {
                method: N::METHOD.to_owned(),
                params,
            },
            Err(err) => {
                log_error!("cannot serialise `{}`: {err}", N::METHOD);
                return;
            }
        };
        if self.sender.send(not.into()).is_err() {
            log_debug!("the client is gone; `{}` not sent", N::METHOD);
        }
    }

    fn respond(&mut self, response: Response) {
        self.pending.remove(&response.id);
        if self.sender.send(response.into()).is_err() {
            log_debug!("the client is gone; response not sent");
        }
    }
}

fn error_response(id: RequestId, error: LspError) -> Response {
    Response::new_err(id, error.code as i32, error.message)
}

/// Deserialises params; an empty object or array stands for absent params (some clients send
/// `{}` to methods without params, such as `shutdown`).
fn parse_params<P: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<P, String> {
    let is_empty = match &params {
        serde_json::Value::Object(map) => map.is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        _ => false,
    };
    match serde_json::from_value(params) {
        Ok(params) => Ok(params),
        Err(_) if is_empty => {
            serde_json::from_value(serde_json::Value::Null).map_err(|e| e.to_string())
        }
        Err(err) => Err(err.to_string()),
    }
}

/// A panic's message, redacted so that no document text leaks into logs or responses.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        return log::redact(message);
    }
    if let Some(message) = payload.downcast_ref::<String>() {
        return log::redact(message);
    }
    "a panic without a message".to_owned()
}

/// Routes one request to its handler, or answers `MethodNotFound`.
struct RequestDispatcher<'a> {
    server: &'a mut Server,
    req: Option<Request>,
}

impl RequestDispatcher<'_> {
    /// A handler that only reads the server's state.
    fn on<R: req::Request>(
        &mut self,
        handler: fn(&Server, R::Params) -> Result<R::Result, LspError>,
    ) -> &mut Self {
        self.on_mut::<R>(|server, params| handler(server, params))
    }

    /// A handler that may change the server's state (`shutdown`).
    fn on_mut<R: req::Request>(
        &mut self,
        handler: impl FnOnce(&mut Server, R::Params) -> Result<R::Result, LspError>,
    ) -> &mut Self {
        let Some(req) = self.req.take_if(|req| req.method == R::METHOD) else {
            return self;
        };
        let result = match parse_params::<R::Params>(req.params) {
            Ok(params) => {
                let server = &mut *self.server;
                catch_unwind(AssertUnwindSafe(|| handler(server, params))).unwrap_or_else(
                    |payload| {
                        let message = panic_message(payload.as_ref());
                        log_error!("the `{}` handler panicked: {message}", R::METHOD);
                        Err(LspError::new(
                            ErrorCode::InternalError,
                            format!("layerwise failed on `{}`: {message}", R::METHOD),
                        ))
                    },
                )
            }
            Err(err) => Err(LspError::new(
                ErrorCode::InvalidParams,
                format!("invalid params for `{}`: {err}", R::METHOD),
            )),
        };
        let response = match result.map(serde_json::to_value) {
            Ok(Ok(value)) => Response {
                id: req.id,
                response_result: Ok(value),
            },
            Ok(Err(err)) => error_response(
                req.id,
                LspError::new(ErrorCode::InternalError, err.to_string()),
            ),
            Err(err) => error_response(req.id, err),
        };
        self.server.respond(response);
        self
    }

    fn finish(&mut self) {
        let Some(req) = self.req.take() else {
            return;
        };
        log_debug!("unknown request `{}`", req.method);
        let error = LspError::new(
            ErrorCode::MethodNotFound,
            format!("unknown method `{}`", req.method),
        );
        self.server.respond(error_response(req.id, error));
    }
}

/// Routes one notification to its handler; unknown ones are dropped (never answered).
struct NotificationDispatcher<'a> {
    server: &'a mut Server,
    not: Option<Notification>,
}

impl NotificationDispatcher<'_> {
    fn on<N: notif::Notification>(
        &mut self,
        handler: fn(&mut Server, N::Params) -> Result<(), LspError>,
    ) -> &mut Self {
        let Some(not) = self.not.take_if(|not| not.method == N::METHOD) else {
            return self;
        };
        let params = match parse_params::<N::Params>(not.params) {
            Ok(params) => params,
            Err(err) => {
                log_error!("invalid params for `{}`: {}", N::METHOD, log::redact(&err));
                return self;
            }
        };
        let server = &mut *self.server;
        match catch_unwind(AssertUnwindSafe(|| handler(server, params))) {
            Ok(Ok(())) => {}
            Ok(Err(err)) => log_warn!("`{}`: {}", N::METHOD, err.message),
            Err(payload) => log_error!(
                "the `{}` handler panicked: {}",
                N::METHOD,
                panic_message(payload.as_ref())
            ),
        }
        self
    }

    fn finish(&mut self) {
        if let Some(not) = self.not.take() {
            log_debug!("ignoring the notification `{}`", not.method);
        }
    }
}

#[cfg(test)]
mod tests {
    //! What integration tests cannot reach: a handler that panics.

    use std::time::Duration;

    use super::*;

    /// `layerwise/testPanic`: exists only in unit tests.
    pub(super) enum Panic {}

    impl req::Request for Panic {
        type Params = ();
        type Result = ();
        const METHOD: &'static str = "layerwise/testPanic";
    }

    pub(super) fn panic_handler(_: &Server, (): ()) -> Result<(), LspError> {
        panic!("a deliberate panic")
    }

    fn request(id: i32, method: &str, params: serde_json::Value) -> Message {
        Request {
            id: id.into(),
            method: method.to_owned(),
            params,
        }
        .into()
    }

    fn notification(method: &str, params: serde_json::Value) -> Message {
        Notification {
            method: method.to_owned(),
            params,
        }
        .into()
    }

    fn next_response(client: &Connection) -> Response {
        loop {
            match client.receiver.recv_timeout(Duration::from_secs(10)) {
                Ok(Message::Response(resp)) => return resp,
                Ok(_) => {}
                Err(err) => panic!("no response from the server: {err}"),
            }
        }
    }

    #[test]
    fn a_panicking_handler_answers_internal_error_and_the_server_goes_on() {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || serve(server));
        let send = |msg: Message| client.sender.send(msg).map_err(|e| e.to_string());
        assert_eq!(
            send(request(
                1,
                "initialize",
                serde_json::json!({"capabilities": {}})
            )),
            Ok(())
        );
        assert!(next_response(&client).response_result.is_ok());
        assert_eq!(
            send(notification("initialized", serde_json::json!({}))),
            Ok(())
        );

        assert_eq!(
            send(request(2, "layerwise/testPanic", serde_json::Value::Null)),
            Ok(())
        );
        let resp = next_response(&client);
        assert_eq!(resp.id, 2.into());
        let error = resp.response_result.err().map(|e| (e.code, e.message));
        assert_eq!(
            error,
            Some((
                ErrorCode::InternalError as i32,
                "layerwise failed on `layerwise/testPanic`: a deliberate panic".to_owned()
            ))
        );

        // Still serving.
        assert_eq!(
            send(request(3, "shutdown", serde_json::Value::Null)),
            Ok(())
        );
        let resp = next_response(&client);
        assert_eq!(
            (resp.id, resp.response_result.ok()),
            (3.into(), Some(serde_json::Value::Null))
        );
        assert_eq!(send(notification("exit", serde_json::Value::Null)), Ok(()));
        assert_eq!(thread.join().ok(), Some(0));
    }

    #[test]
    fn a_lint_result_superseded_while_linting_is_dropped() {
        let (server_side, client) = Connection::memory();
        let utf16 = PositionEncoding::Wide(line_index::WideEncoding::Utf16);
        let mut server = Server::new(server_side, utf16);
        let uri = "file:///p/Dockerfile";
        let opened = match uri.parse() {
            Ok(parsed) => server
                .documents
                .open(parsed, "dockerfile", 1, "FROM a\n".into()),
            Err(err) => panic!("{err}"),
        };
        assert!(opened.is_ok());
        // Version 2 arrives while version 1 is being linted.
        let change = notification(
            "textDocument/didChange",
            serde_json::json!({
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"text": "FROM b\n"}],
            }),
        );
        assert!(client.sender.send(change).is_ok());
        server.publish_diagnostics();
        assert!(
            client.receiver.try_recv().is_err(),
            "published a stale version"
        );

        // The loop applies version 2 and publishes it, and only it.
        let Event::Notification(not) = server.next_event() else {
            panic!("expected the queued didChange");
        };
        server.on_notification(not);
        assert!(matches!(server.next_event(), Event::QueueDrained));
        server.publish_diagnostics();
        let published = match client.receiver.try_recv() {
            Ok(Message::Notification(not)) => not.params,
            other => panic!("expected diagnostics, got {other:?}"),
        };
        assert_eq!(published["version"], 2);
        assert!(client.receiver.try_recv().is_err());
    }

    #[test]
    fn empty_params_stand_for_absent_ones() {
        assert_eq!(parse_params::<()>(serde_json::json!({})), Ok(()));
        assert_eq!(parse_params::<()>(serde_json::Value::Null), Ok(()));
        assert!(parse_params::<()>(serde_json::json!({"a": 1})).is_err());
    }
}
