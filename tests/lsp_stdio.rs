//! `layerwise lsp` as a real child process on stdin/stdout: framing, the handshake, a
//! diagnostics round trip, `shutdown` with `"params": null` written literally on the wire (the
//! in-memory tests cannot tell null from absent), and the exit codes.
//!
//! Messages are read on a separate thread and every wait is bounded; a child that outlives its
//! test is killed.

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use lsp_server::Message;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Message>,
}

impl Server {
    fn spawn() -> Server {
        let mut child = match Command::new(env!("CARGO_BIN_EXE_layerwise"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
        {
            Ok(child) => child,
            Err(err) => panic!("cannot start `layerwise lsp`: {err}"),
        };
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("no pipes to the child");
        };
        let (sender, messages) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Ok(Some(msg)) = Message::read(&mut stdout) {
                if sender.send(msg).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
        }
    }

    /// Writes one framed message exactly as given.
    fn send_raw(&mut self, body: &str) {
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        if let Err(err) = self
            .stdin
            .write_all(framed.as_bytes())
            .and_then(|()| self.stdin.flush())
        {
            panic!("cannot write to the server: {err}");
        }
    }

    fn send(&mut self, value: Value) {
        self.send_raw(&value.to_string());
    }

    fn recv(&self) -> Message {
        match self.messages.recv_timeout(TIMEOUT) {
            Ok(msg) => msg,
            Err(err) => panic!("nothing from the server within {TIMEOUT:?}: {err}"),
        }
    }

    /// The result of the response to `id`, skipping notifications.
    fn result(&self, id: i32) -> Value {
        loop {
            if let Message::Response(resp) = self.recv() {
                assert_eq!(resp.id, id.into());
                match resp.response_result {
                    Ok(value) => return value,
                    Err(err) => panic!("request {id} failed: {err:?}"),
                }
            }
        }
    }

    fn exit_code(mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status.code(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Ok(None) | Err(_) => {
                    let _ = self.child.kill();
                    panic!("`layerwise lsp` did not exit");
                }
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn a_session_over_stdio_from_initialize_to_exit() {
    let mut server = Server::spawn();
    server.send(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "processId": null,
            "capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}},
        },
    }));
    let init = server.result(1);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));

    // A malformed body is skipped; the session goes on.
    server.send_raw("{not json");

    let uri = "file:///tmp/project/Dockerfile";
    server.send(json!({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {
            "uri": uri, "languageId": "dockerfile", "version": 4,
            "text": "FROM ubuntu\nMAINTAINER é\n",
        }},
    }));
    let published = loop {
        if let Message::Notification(not) = server.recv() {
            assert_eq!(not.method, "textDocument/publishDiagnostics");
            break not.params;
        }
    };
    assert_eq!(published["uri"], uri);
    assert_eq!(published["version"], 4);
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .map(|ds| ds.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(codes, ["DL3006", "DL4000"]);
    // UTF-8 columns: the fix's range ends after the two bytes of `é`.
    let fix_end = &published["diagnostics"][1]["data"]["fix"]["edits"][0]["range"]["end"];
    assert_eq!(fix_end, &json!({"line": 1, "character": 13}));

    server.send_raw(r#"{"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}"#);
    assert_eq!(server.result(2), Value::Null);
    server.send_raw(r#"{"jsonrpc": "2.0", "method": "exit"}"#);
    // Exits although stdin stays open.
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn exit_without_shutdown_over_stdio_exits_with_1() {
    let mut server = Server::spawn();
    server.send(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}},
    }));
    assert_eq!(
        server.result(1)["capabilities"]["positionEncoding"],
        "utf-16"
    );
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(server.exit_code(), Some(1));
}
