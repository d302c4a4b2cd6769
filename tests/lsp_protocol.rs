//! The language server's protocol, driven in memory through `Connection::memory()`.
//!
//! Each test plays a client. Tests about ordering (coalescing, cancellation) queue their
//! messages *before* the server thread starts, so what the server finds in its queue is
//! deterministic. Every wait is bounded, so a broken server fails a test instead of hanging it.

use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use layerwise::lsp::Connection;
use layerwise::lsp::ext::{DebugTextResult, DiagnosticData, FixApplicability};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::PublishDiagnosticsParams;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);
const URI: &str = "file:///project/Dockerfile";

/// `initializationOptions` for tests about something else: they must not depend on a
/// `shellcheck` on PATH.
fn no_shellcheck() -> Value {
    json!({"shellcheck": "off"})
}

/// `FROM --platform=é😀 ubuntu` then `MAINTAINER Jöhn 😀 Doe`: DL3006 starts after
/// `é😀` and DL4000's fix ends after `ö😀`, so columns differ in every encoding.
const NON_ASCII: &str = "FROM --platform=$BUILDPLATFORM/é😀 ubuntu\nMAINTAINER Jöhn 😀 Doe\n";

struct TestClient {
    conn: Connection,
    server_side: Option<Connection>,
    server: Option<JoinHandle<i32>>,
    next_id: i32,
    /// Notifications received while waiting for something else, in order.
    notifications: VecDeque<Notification>,
}

impl TestClient {
    /// A client whose server is not running yet: messages sent now wait in the queue.
    fn unstarted() -> TestClient {
        let (server_side, conn) = Connection::memory();
        TestClient {
            conn,
            server_side: Some(server_side),
            server: None,
            next_id: 0,
            notifications: VecDeque::new(),
        }
    }

    fn start(&mut self) {
        if let Some(server_side) = self.server_side.take() {
            self.server = Some(std::thread::spawn(move || layerwise::lsp::run(server_side)));
        }
    }

    /// A running server, initialized with the given client capabilities.
    fn initialized(capabilities: Value) -> (TestClient, Value) {
        TestClient::initialized_with(capabilities, no_shellcheck())
    }

    /// A running server, initialized with capabilities and `initializationOptions`.
    fn initialized_with(capabilities: Value, options: Value) -> (TestClient, Value) {
        let mut client = TestClient::unstarted();
        client.start();
        let id = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "initializationOptions": options }),
        );
        let result = client.result(id);
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let req = Request {
            id: id.clone(),
            method: method.to_owned(),
            params,
        };
        self.send(req.into());
        id
    }

    fn notify(&self, method: &str, params: Value) {
        let not = Notification {
            method: method.to_owned(),
            params,
        };
        self.send(not.into());
    }

    fn send(&self, msg: Message) {
        if let Err(err) = self.conn.sender.send(msg) {
            panic!("the server is gone: {err}");
        }
    }

    fn recv(&self) -> Message {
        match self.conn.receiver.recv_timeout(TIMEOUT) {
            Ok(msg) => msg,
            Err(err) => panic!("nothing from the server within {TIMEOUT:?}: {err}"),
        }
    }

    /// The response to `id`; notifications that come first are kept for later.
    fn response(&mut self, id: RequestId) -> Response {
        loop {
            match self.recv() {
                Message::Response(resp) if resp.id == id => return resp,
                Message::Response(resp) => panic!("unexpected response {resp:?}"),
                Message::Notification(not) => self.notifications.push_back(not),
                Message::Request(req) => panic!("unexpected request from the server {req:?}"),
            }
        }
    }

    fn result(&mut self, id: RequestId) -> Value {
        match self.response(id).response_result {
            Ok(value) => value,
            Err(err) => panic!("request failed: {err:?}"),
        }
    }

    fn error_code(&mut self, id: RequestId) -> i32 {
        match self.response(id).response_result {
            Ok(value) => panic!("expected an error, got {value}"),
            Err(err) => err.code,
        }
    }

    fn notification(&mut self) -> Notification {
        if let Some(not) = self.notifications.pop_front() {
            return not;
        }
        match self.recv() {
            Message::Notification(not) => not,
            Message::Response(resp) => panic!("unexpected response {resp:?}"),
            Message::Request(req) => panic!("unexpected request from the server {req:?}"),
        }
    }

    fn diagnostics(&mut self) -> PublishDiagnosticsParams {
        let not = self.notification();
        assert_eq!(not.method, "textDocument/publishDiagnostics");
        match serde_json::from_value(not.params) {
            Ok(params) => params,
            Err(err) => panic!("malformed publishDiagnostics: {err}"),
        }
    }

    fn open(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri, "languageId": "dockerfile", "version": version, "text": text,
            }}),
        );
    }

    fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": changes,
            }),
        );
    }

    fn debug_text(&mut self, uri: &str) -> Option<DebugTextResult> {
        let id = self.request("layerwise/debugText", json!({"textDocument": {"uri": uri}}));
        match serde_json::from_value(self.result(id)) {
            Ok(result) => result,
            Err(err) => panic!("malformed debugText result: {err}"),
        }
    }

    /// Waits (bounded) for the server thread to end and returns its exit code.
    fn exit_code(mut self) -> i32 {
        let Some(server) = self.server.take() else {
            panic!("the server was never started");
        };
        let deadline = Instant::now() + TIMEOUT;
        while !server.is_finished() {
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
        match server.join() {
            Ok(code) => code,
            Err(_) => panic!("the server thread panicked"),
        }
    }

    fn shutdown_and_exit(mut self) -> i32 {
        let id = self.request("shutdown", Value::Null);
        assert_eq!(self.result(id), Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

fn code_of(diagnostic: &lsp_types::Diagnostic) -> String {
    match &diagnostic.code {
        Some(lsp_types::NumberOrString::String(code)) => code.clone(),
        other => panic!("diagnostic without a string code: {other:?}"),
    }
}

/// (code, start line, start char, end line, end char) of each diagnostic.
fn spans(params: &PublishDiagnosticsParams) -> Vec<(String, u32, u32, u32, u32)> {
    params
        .diagnostics
        .iter()
        .map(|d| {
            let r = d.range;
            (
                code_of(d),
                r.start.line,
                r.start.character,
                r.end.line,
                r.end.character,
            )
        })
        .collect()
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let cases = [
        (json!({}), "utf-16", 35, 22),
        (
            json!({"general": {"positionEncodings": ["utf-16"]}}),
            "utf-16",
            35,
            22,
        ),
        (
            json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
            "utf-8",
            38,
            25,
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
            "utf-32",
            34,
            21,
        ),
        (
            json!({"offsetEncoding": ["utf-8", "utf-16"]}),
            "utf-8",
            38,
            25,
        ),
    ];
    for (capabilities, encoding, dl3006_start, fix_end) in cases {
        let (mut client, result) = TestClient::initialized(capabilities.clone());
        assert_eq!(
            result["capabilities"]["positionEncoding"], encoding,
            "{capabilities}"
        );
        assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
        assert_eq!(
            result["capabilities"]["textDocumentSync"]["openClose"],
            true
        );
        assert_eq!(result["serverInfo"]["name"], "layerwise");

        client.open(URI, 1, NON_ASCII);
        let published = client.diagnostics();
        assert_eq!(
            spans(&published),
            vec![
                ("DL3006".to_owned(), 0, dl3006_start, 0, dl3006_start + 6),
                ("DL4000".to_owned(), 1, 0, 1, 10),
            ],
            "{encoding}"
        );
        let data: DiagnosticData =
            match serde_json::from_value(published.diagnostics[1].data.clone().unwrap_or_default())
            {
                Ok(data) => data,
                Err(err) => panic!("malformed data: {err}"),
            };
        let fix_range = data.fix.map(|fix| fix.edits[0].range);
        assert_eq!(
            fix_range,
            Some(lsp_types::Range::new(
                lsp_types::Position::new(1, 0),
                lsp_types::Position::new(1, fix_end)
            )),
            "{encoding}"
        );
        assert_eq!(client.shutdown_and_exit(), 0);
    }
}

#[test]
fn open_publishes_diagnostics_with_the_version_and_everything_code_actions_need() {
    let (mut client, _) = TestClient::initialized(json!({}));
    client.open(URI, 7, "FROM ubuntu\nMAINTAINER me\n");
    let published = client.diagnostics();
    assert_eq!(published.uri.as_str(), URI);
    assert_eq!(published.version, Some(7));
    let raw = match serde_json::to_value(&published.diagnostics) {
        Ok(raw) => raw,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(
        raw,
        json!([
            {
                "range": range(0, 5, 0, 11),
                "severity": 2,
                "code": "DL3006",
                "codeDescription": {"href": "https://github.com/hadolint/hadolint/wiki/DL3006"},
                "source": "layerwise",
                "message": published.diagnostics[0].message,
                "data": {"code": "DL3006"},
            },
            {
                "range": range(1, 0, 1, 10),
                "severity": 1,
                "code": "DL4000",
                "codeDescription": {"href": "https://github.com/hadolint/hadolint/wiki/DL4000"},
                "source": "layerwise",
                "message": "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors",
                "data": {
                    "code": "DL4000",
                    "fix": {
                        "title": "Replace with `LABEL org.opencontainers.image.authors`",
                        "applicability": "safe",
                        "edits": [{
                            "range": range(1, 0, 1, 13),
                            "newText": "LABEL org.opencontainers.image.authors=\"me\"",
                        }],
                    },
                },
            },
        ])
    );
    let data = published.diagnostics[1].data.clone().unwrap_or_default();
    let data: Result<DiagnosticData, _> = serde_json::from_value(data);
    assert_eq!(
        data.ok().and_then(|d| d.fix).map(|f| f.applicability),
        Some(FixApplicability::Safe)
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn incremental_edits_apply_in_order_including_multi_line_and_non_ascii() {
    let (mut client, _) = TestClient::initialized(json!({}));
    client.open(URI, 1, "FROM alpine:3.20\nRUN echo hi\n");
    assert_eq!(client.diagnostics().version, Some(1));

    // Several changes in one notification, each against the text the previous one left.
    client.change(
        URI,
        2,
        json!([
            {"range": range(1, 9, 1, 11), "text": "é😀\nRUN true"},
            {"range": range(2, 0, 2, 3), "text": "CMD"},
            {"range": range(0, 16, 2, 0), "text": "\n"},
        ]),
    );
    let expected = "FROM alpine:3.20\nCMD true\n";
    let text = client.debug_text(URI);
    assert_eq!(
        text.map(|t| (t.version, t.text)),
        Some((2, expected.to_owned()))
    );
    assert_eq!(client.diagnostics().version, Some(2));

    // Insert after the surrogate pair, then delete across lines.
    client.change(
        URI,
        3,
        json!([{"range": range(1, 3, 1, 3), "text": " é😀"}]),
    );
    client.change(URI, 4, json!([{"range": range(1, 7, 1, 7), "text": "!"}]));
    client.change(URI, 5, json!([{"range": range(0, 11, 1, 4), "text": ""}]));
    let text = client.debug_text(URI);
    assert_eq!(
        text.map(|t| (t.version, t.text)),
        Some((5, "FROM alpineé😀! true\n".to_owned()))
    );

    // A full replacement.
    client.change(URI, 6, json!([{"text": "FROM scratch\n"}]));
    let text = client.debug_text(URI);
    assert_eq!(text.map(|t| t.text), Some("FROM scratch\n".to_owned()));
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn out_of_range_positions_are_clamped_never_a_panic() {
    for encoding in ["utf-8", "utf-16", "utf-32"] {
        let capabilities = json!({"general": {"positionEncodings": [encoding]}});
        let (mut client, _) = TestClient::initialized(capabilities);
        client.open(URI, 1, "FROM a\r\nRUN é😀\n");
        // Past the end of a line: the end of its content, before `\r\n`.
        client.change(
            URI,
            2,
            json!([{"range": range(0, 100, 0, 200), "text": ":1"}]),
        );
        // Past the last line: the end of the document.
        client.change(
            URI,
            3,
            json!([{"range": range(50, 3, 90, 0), "text": "USER x\n"}]),
        );
        // Reversed, with absurd numbers: put in order, then clamped.
        let reversed = range(u32::MAX, u32::MAX, 1, 0);
        client.change(URI, 4, json!([{"range": reversed, "text": "RUN z\n"}]));
        // A range starting between `\r` and `\n`: before `\r`.
        client.change(URI, 5, json!([{"range": range(0, 9, 1, 0), "text": "\n"}]));
        let expected = "FROM a:1\nRUN z\n";
        let text = client.debug_text(URI);
        assert_eq!(
            text.map(|t| (t.version, t.text)),
            Some((5, expected.to_owned()))
        );
        assert_eq!(client.shutdown_and_exit(), 0, "{encoding}");
    }
}

#[test]
fn positions_inside_a_character_move_to_its_start() {
    for (encoding, character, expected) in [
        ("utf-8", 5, "RUN |é😀\n"),
        ("utf-8", 7, "RUN é|😀\n"),
        ("utf-8", 9, "RUN é|😀\n"),
        ("utf-16", 6, "RUN é|😀\n"),
        ("utf-16", 7, "RUN é😀|\n"),
        ("utf-32", 6, "RUN é😀|\n"),
    ] {
        let capabilities = json!({"general": {"positionEncodings": [encoding]}});
        let (mut client, _) = TestClient::initialized(capabilities);
        client.open(URI, 1, "RUN é😀\n");
        let at = range(0, character, 0, character);
        client.change(URI, 2, json!([{"range": at, "text": "|"}]));
        let text = client.debug_text(URI).map(|t| t.text);
        assert_eq!(text.as_deref(), Some(expected), "{encoding} {character}");
        assert_eq!(client.shutdown_and_exit(), 0);
    }
}

#[test]
fn queued_changes_are_coalesced_and_stale_versions_never_published() {
    let mut client = TestClient::unstarted();
    let init = client.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": no_shellcheck()}),
    );
    client.notify("initialized", json!({}));
    client.open(URI, 1, "FROM a\n");
    for version in 2..=101 {
        let line = version as u32 - 1;
        client.change(
            URI,
            version,
            json!([{"range": range(line, 0, line, 0), "text": "RUN x\n"}]),
        );
    }
    client.start();
    client.result(init);

    // One lint for the whole burst, for its last version.
    let published = client.diagnostics();
    assert_eq!(published.version, Some(101));
    let text = client.debug_text(URI);
    assert_eq!(
        text.map(|t| (t.version, t.text.lines().count())),
        Some((101, 101))
    );
    assert!(
        client.notifications.is_empty(),
        "published more than once: {:?}",
        client.notifications
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn a_request_cancelled_before_its_turn_is_answered_request_canceled() {
    let mut client = TestClient::unstarted();
    let init = client.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": no_shellcheck()}),
    );
    client.notify("initialized", json!({}));
    client.open(URI, 1, "FROM a:1\n");
    let cancelled = client.request("layerwise/debugText", json!({"textDocument": {"uri": URI}}));
    let kept = client.request("layerwise/debugText", json!({"textDocument": {"uri": URI}}));
    client.notify("$/cancelRequest", json!({"id": 2}));
    client.start();
    client.result(init);
    assert_eq!(cancelled, RequestId::from(2));
    assert_eq!(
        client.error_code(cancelled),
        ErrorCode::RequestCanceled as i32
    );
    assert_eq!(client.result(kept)["version"], 1);

    // Cancelling a request already answered (or unknown) does nothing.
    client.notify("$/cancelRequest", json!({"id": 3}));
    client.notify("$/cancelRequest", json!({"id": "nope"}));
    let later = client.request("layerwise/debugText", json!({"textDocument": {"uri": URI}}));
    assert_eq!(client.result(later)["version"], 1);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn unknown_requests_get_method_not_found_and_unknown_notifications_no_reply() {
    let (mut client, _) = TestClient::initialized(json!({}));
    client.notify("workspace/somethingNew", json!({"x": 1}));
    client.notify("$/setTrace", json!({"value": "off"}));
    let unknown = client.request("textDocument/frobnicate", json!({}));
    assert_eq!(client.error_code(unknown), ErrorCode::MethodNotFound as i32);
    let dollar = client.request("$/unknownRequest", Value::Null);
    assert_eq!(client.error_code(dollar), ErrorCode::MethodNotFound as i32);
    let again = client.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": no_shellcheck()}),
    );
    assert_eq!(client.error_code(again), ErrorCode::InvalidRequest as i32);
    let bad_params = client.request("layerwise/debugText", json!({"textDocument": 3}));
    assert_eq!(
        client.error_code(bad_params),
        ErrorCode::InvalidParams as i32
    );
    // Nothing else arrived: no reply to either notification.
    assert!(
        client.notifications.is_empty(),
        "{:?}",
        client.notifications
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn shutdown_accepts_null_absent_and_empty_params() {
    for params in [Value::Null, json!({})] {
        let (mut client, _) = TestClient::initialized(json!({}));
        let id = client.request("shutdown", params.clone());
        assert_eq!(client.result(id), Value::Null, "{params}");
        // Requests between shutdown and exit are refused.
        let late = client.request("layerwise/debugText", json!({"textDocument": {"uri": URI}}));
        assert_eq!(client.error_code(late), ErrorCode::InvalidRequest as i32);
        client.notify("exit", Value::Null);
        assert_eq!(client.exit_code(), 0);
    }
}

#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let (client, _) = TestClient::initialized(json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), 1);

    let mut before_init = TestClient::unstarted();
    before_init.start();
    let early = before_init.request("textDocument/hover", json!({}));
    assert_eq!(
        before_init.error_code(early),
        ErrorCode::ServerNotInitialized as i32
    );
    before_init.notify("exit", Value::Null);
    assert_eq!(before_init.exit_code(), 1);
}

#[test]
fn a_disconnected_client_ends_the_server() {
    let (client, _) = TestClient::initialized(json!({}));
    let TestClient { conn, server, .. } = client;
    drop(conn);
    let Some(server) = server else {
        panic!("not started");
    };
    let deadline = Instant::now() + TIMEOUT;
    while !server.is_finished() {
        assert!(Instant::now() < deadline, "the server did not notice");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(server.join().ok(), Some(1));
}

#[test]
fn close_clears_diagnostics_and_other_files_are_not_served() {
    let (mut client, _) = TestClient::initialized(json!({}));
    client.open(URI, 3, "FROM ubuntu\n");
    assert_eq!(client.diagnostics().diagnostics.len(), 1);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let cleared = client.diagnostics();
    assert_eq!((cleared.version, cleared.diagnostics.len()), (Some(3), 0));
    assert_eq!(client.debug_text(URI), None);

    // By name, any languageId; not by languageId alone unless it is `dockerfile`.
    let by_name = "file:///project/api.Dockerfile";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": by_name, "languageId": "plaintext", "version": 1, "text": "FROM ubuntu\n",
        }}),
    );
    assert_eq!(client.diagnostics().uri.as_str(), by_name);
    let other = "file:///project/main.rs";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": other, "languageId": "rust", "version": 1, "text": "FROM ubuntu\n",
        }}),
    );
    client.change(other, 2, json!([{"text": "FROM x\n"}]));
    assert_eq!(client.debug_text(other), None);
    assert!(
        client.notifications.is_empty(),
        "{:?}",
        client.notifications
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

/// A tiny xorshift64* generator: reproducible, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The client's view of a position: line and column in `encoding` units of a byte offset.
fn client_position(text: &str, offset: usize, encoding: &str) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let col = match encoding {
        "utf-8" => prefix.len(),
        "utf-16" => prefix.encode_utf16().count(),
        _ => prefix.chars().count(),
    };
    (line as u32, col as u32)
}

/// A random offset in `lo..=hi` that a client could name: on a character boundary and not
/// between the `\r` and `\n` of a line ending.
fn random_offset(rng: &mut XorShift, text: &str, lo: usize, hi: usize) -> usize {
    let mut offset = lo + rng.below(hi - lo + 1);
    while !text.is_char_boundary(offset)
        || (offset > lo && text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
    {
        offset -= 1;
    }
    offset
}

/// Code, start (line, character), end, message.
type Finding = (String, (u32, u32), (u32, u32), String);

fn stress(encoding: &str, seed: u64) {
    const PIECES: &[&str] = &[
        "a",
        "RUN ",
        "FROM ",
        "é",
        "😀",
        "\n",
        "\\\n",
        " && ",
        "ENV A=ü\n",
        "COPY . .\n",
        "\"",
        "MAINTAINER ñ\n",
        "${X:-😀}",
        "<<EOF\n",
        "EOF\n",
        "\r\n",
        "#",
    ];
    let capabilities = json!({"general": {"positionEncodings": [encoding]}});
    let (mut client, _) = TestClient::initialized(capabilities);
    let mut text = String::from("FROM alpine:3.20\nRUN echo hi\n");
    client.open(URI, 0, &text);
    let mut rng = XorShift(seed);
    let mut version = 0;
    for _ in 0..1000 {
        version += 1;
        // One to three changes per notification, each against the text the previous left.
        let n_changes = 1 + rng.below(3);
        let mut changes = Vec::new();
        for _ in 0..n_changes {
            let a = random_offset(&mut rng, &text, 0, text.len());
            // Mostly short ranges (typing), sometimes long ones across lines (paste, cut).
            let span = if rng.below(4) == 0 { 200 } else { 6 };
            let b = random_offset(&mut rng, &text, a, (a + span).min(text.len()));
            let new_text: String = match rng.below(3) {
                0 => String::new(),
                _ => (0..1 + rng.below(4))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect(),
            };
            let (l1, c1) = client_position(&text, a, encoding);
            let (l2, c2) = client_position(&text, b, encoding);
            changes.push(json!({"range": range(l1, c1, l2, c2), "text": new_text}));
            text.replace_range(a..b, &new_text);
        }
        // Keep the document from growing without bound.
        if text.len() > 4000 {
            changes.push(json!({"text": "FROM a\n"}));
            text = "FROM a\n".to_owned();
        }
        client.change(URI, version, Value::Array(changes));
    }

    let server_text = client.debug_text(URI);
    assert_eq!(
        server_text.map(|t| (t.version, t.text)),
        Some((version, text.clone())),
        "{encoding}"
    );

    // Every publication is for a newer version than the one before; the last is the last.
    let mut last = None;
    while last != Some(version) {
        let published = client.diagnostics();
        assert!(
            published.version > last,
            "{encoding}: version {:?} published after {last:?}",
            published.version
        );
        last = published.version;
        if last == Some(version) {
            // The last set is exactly what linting the client's text gives.
            let parse = layerwise::syntax::parse(&text);
            let expected =
                layerwise::diagnostics::lint(&parse, &layerwise::config::Config::editor());
            let got: Vec<Finding> = published
                .diagnostics
                .iter()
                .map(|d| {
                    let r = d.range;
                    let start = (r.start.line, r.start.character);
                    (
                        code_of(d),
                        start,
                        (r.end.line, r.end.character),
                        d.message.clone(),
                    )
                })
                .collect();
            let expected: Vec<Finding> = expected
                .iter()
                .map(|d| {
                    let start = client_position(&text, usize::from(d.range.start()), encoding);
                    let end = client_position(&text, usize::from(d.range.end()), encoding);
                    (d.code.to_owned(), start, end, d.message.clone())
                })
                .collect();
            assert_eq!(got, expected, "{encoding}");
        }
    }
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn a_thousand_rapid_edits_leave_the_servers_text_identical_utf16() {
    stress("utf-16", 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn a_thousand_rapid_edits_leave_the_servers_text_identical_utf8() {
    stress("utf-8", 0xD1B5_4A32_D192_ED03);
}

#[test]
fn a_thousand_rapid_edits_leave_the_servers_text_identical_utf32() {
    stress("utf-32", 0x94D0_49BB_1331_11EB);
}

/// A stand-in for `shellcheck` that reads the script, waits a second, and reports SC2086 on
/// columns 6–8 of the script's first line: line 10 after the `#!` line and the eight proxy
/// exports (the documents below declare no ENV or ARG).
#[cfg(unix)]
struct FakeShellCheck(std::path::PathBuf);

#[cfg(unix)]
impl FakeShellCheck {
    fn new(name: &str) -> FakeShellCheck {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!(
            "layerwise-fake-shellcheck-{}-{name}",
            std::process::id()
        ));
        let script = r#"#!/bin/sh
cat > /dev/null
sleep 1
printf '%s\n' '{"comments":[{"file":"-","line":10,"endLine":10,"column":6,"endColumn":8,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":null}]}'
exit 1
"#;
        if let Err(err) = std::fs::write(&path, script)
            .and_then(|()| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)))
        {
            panic!("cannot write {}: {err}", path.display());
        }
        FakeShellCheck(path)
    }

    fn options(&self) -> Value {
        json!({"shellcheck": self.0.to_string_lossy()})
    }
}

#[cfg(unix)]
impl Drop for FakeShellCheck {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(unix)]
#[test]
fn shellcheck_findings_follow_in_a_second_publication_of_the_same_version() {
    let fake = FakeShellCheck::new("second");
    let (mut client, _) = TestClient::initialized_with(json!({}), fake.options());
    client.open(URI, 1, "FROM a:1\nRUN echo $x\n");

    // First the built-in findings, without waiting for ShellCheck.
    let first = client.diagnostics();
    assert_eq!((first.version, spans(&first)), (Some(1), vec![]));

    // Then the same version again, with ShellCheck's finding at its exact place.
    let second = client.diagnostics();
    assert_eq!(second.version, Some(1));
    assert_eq!(spans(&second), [("SC2086".to_owned(), 1, 9, 1, 11)]);
    let sc = &second.diagnostics[0];
    assert_eq!(
        sc.severity,
        Some(lsp_types::DiagnosticSeverity::INFORMATION)
    );
    assert_eq!(
        sc.code_description.as_ref().map(|d| d.href.as_str()),
        Some("https://www.shellcheck.net/wiki/SC2086")
    );

    // A script ShellCheck has seen is answered from the cache, in the first publication.
    client.change(
        URI,
        2,
        json!([{"range": range(0, 0, 0, 0), "text": "# hello\n"}]),
    );
    let cached = client.diagnostics();
    assert_eq!(cached.version, Some(2));
    assert_eq!(spans(&cached), [("SC2086".to_owned(), 2, 9, 2, 11)]);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[cfg(unix)]
#[test]
fn a_quick_edit_drops_the_shellcheck_result_of_the_old_version() {
    let fake = FakeShellCheck::new("stale");
    let (mut client, _) = TestClient::initialized_with(json!({}), fake.options());
    client.open(URI, 1, "FROM a:1\nRUN echo $x\n");
    assert_eq!(client.diagnostics().version, Some(1));
    // While ShellCheck works on version 1, the user types.
    client.change(URI, 2, json!([{"text": "FROM a:1\nRUN echo $y\n"}]));

    let builtin = client.diagnostics();
    assert_eq!((builtin.version, spans(&builtin)), (Some(2), vec![]));
    // Version 1's result came back in the meantime and was dropped: the next publication
    // is version 2 with its own finding.
    let with_sc = client.diagnostics();
    assert_eq!(with_sc.version, Some(2));
    assert_eq!(spans(&with_sc), [("SC2086".to_owned(), 1, 9, 1, 11)]);

    let id = client.request("shutdown", Value::Null);
    assert_eq!(client.result(id), Value::Null);
    let late: Vec<&Notification> = client
        .notifications
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics")
        .collect();
    assert!(late.is_empty(), "published after version 2: {late:?}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), 0);
}

#[test]
fn code_actions_offer_the_fix_ignore_comments_and_fix_all() {
    let (mut client, result) = TestClient::initialized(json!({}));
    let kinds = result["capabilities"]["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(
        kinds.contains("quickfix") && kinds.contains("source.fixAll.layerwise"),
        "{kinds}"
    );
    let text = "FROM debian:12\nMAINTAINER me\n";
    client.open(URI, 3, text);
    let published = client.diagnostics();
    let maintainer: Vec<Value> = published
        .diagnostics
        .iter()
        .filter(|d| d.code == Some(lsp_types::NumberOrString::String("DL4000".into())))
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    assert_eq!(maintainer.len(), 1);
    let id = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": maintainer[0]["range"],
            "context": {"diagnostics": maintainer},
        }),
    );
    let actions = client.result(id);
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace with `LABEL org.opencontainers.image.authors`",
            "Ignore DL4000 for this instruction",
            "Ignore DL4000 in this file",
        ]
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let change = &fix["edit"]["documentChanges"][0];
    assert_eq!(
        change["textDocument"]["version"], 3,
        "edits are tied to the version"
    );
    assert_eq!(
        change["edits"][0]["newText"],
        "LABEL org.opencontainers.image.authors=\"me\""
    );
    let ignore = &actions[1]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(ignore["newText"], "# hadolint ignore=DL4000\n");
    assert_eq!(ignore["range"]["start"], json!({"line": 1, "character": 0}));

    let id = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    let actions = client.result(id);
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
    assert_eq!(actions[0]["kind"], "source.fixAll.layerwise");
    let new_text = actions[0]["edit"]["documentChanges"][0]["edits"][0]["newText"]
        .as_str()
        .unwrap();
    assert_eq!(
        new_text,
        "FROM debian:12\nLABEL org.opencontainers.image.authors=\"me\"\n"
    );
}
