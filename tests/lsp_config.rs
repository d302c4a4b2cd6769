//! The language server reads `.hadolint.yaml` per workspace folder and follows its changes:
//! registration of a file watcher, re-lint on `workspace/didChangeWatchedFiles`, and a warning
//! (not a dead server) for a broken file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(10);

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<i32>>,
    registrations: Vec<Value>,
    messages: Vec<String>,
}

impl Client {
    fn start(root: &Path, watch: bool) -> Client {
        let (server_side, conn) = Connection::memory();
        let server = std::thread::spawn(move || layerwise::lsp::run(server_side));
        let client = Client {
            conn,
            server: Some(server),
            registrations: Vec::new(),
            messages: Vec::new(),
        };
        let root_uri = format!("file://{}", root.display());
        client.send(
            Request {
                id: RequestId::from(1),
                method: "initialize".into(),
                params: json!({
                    "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}}},
                    "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                    "initializationOptions": {"shellcheck": "off"},
                }),
            }
            .into(),
        );
        loop {
            if let Message::Response(resp) = client.recv() {
                assert_eq!(resp.id, RequestId::from(1));
                break;
            }
        }
        client.notify("initialized", json!({}));
        client
    }

    fn send(&self, msg: Message) {
        self.conn.sender.send(msg).expect("server alive");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(
            Notification {
                method: method.into(),
                params,
            }
            .into(),
        );
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("a message from the server")
    }

    /// The next diagnostics, answering server requests and collecting messages on the way.
    fn diagnostics(&mut self) -> Vec<String> {
        loop {
            match self.recv() {
                Message::Request(req) => {
                    if req.method == "client/registerCapability" {
                        self.registrations.push(req.params.clone());
                    }
                    self.send(
                        Response {
                            id: req.id,
                            response_result: Ok(Value::Null),
                        }
                        .into(),
                    );
                }
                Message::Notification(not) if not.method == "window/showMessage" => {
                    self.messages.push(
                        not.params["message"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
                Message::Notification(not) if not.method == "textDocument/publishDiagnostics" => {
                    let diagnostics = not.params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    return diagnostics
                        .iter()
                        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
                        .collect();
                }
                _ => {}
            }
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }

    fn stop(mut self) {
        let id = RequestId::from(99);
        self.send(
            Request {
                id: id.clone(),
                method: "shutdown".into(),
                params: Value::Null,
            }
            .into(),
        );
        loop {
            if let Message::Response(resp) = self.recv()
                && resp.id == id
            {
                break;
            }
        }
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            assert_eq!(server.join().expect("server thread"), 0);
        }
    }
}

fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerwise-lspcfg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("svc")).expect("temp workspace");
    dir
}

/// Writes a configuration file and moves its modification time forward, so a rewrite within
/// the file system's timestamp resolution still counts as a change.
fn write_config(path: &Path, text: &str, step: u64) {
    std::fs::write(path, text).expect("write config");
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open config");
    let _ = file.set_modified(std::time::SystemTime::now() + Duration::from_secs(step));
}

const DOCKERFILE: &str = "FROM debian\nWORKDIR app\n";

#[test]
fn the_workspace_configuration_applies_and_follows_changes() {
    let root = workspace("follow");
    write_config(&root.join(".hadolint.yaml"), "ignored: [DL3006]\n", 1);
    let mut client = Client::start(&root, true);
    let uri = format!("file://{}/svc/Dockerfile", root.display());
    client.open(&uri, DOCKERFILE);
    assert_eq!(client.diagnostics(), ["DL3000"]);
    assert!(
        client
            .registrations
            .iter()
            .any(|r| r.to_string().contains(".hadolint.{yaml,yml}")),
        "a watcher for configuration files is registered: {:?}",
        client.registrations
    );

    write_config(&root.join(".hadolint.yaml"), "ignored: [DL3000]\n", 2);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}/.hadolint.yaml", root.display()), "type": 2}]}),
    );
    assert_eq!(client.diagnostics(), ["DL3006"]);

    // A broken file: a warning names it, and the defaults apply.
    write_config(&root.join(".hadolint.yaml"), "ignored: [DL3000\n", 3);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}/.hadolint.yaml", root.display()), "type": 2}]}),
    );
    assert_eq!(client.diagnostics(), ["DL3006", "DL3000"]);
    assert!(
        client
            .messages
            .iter()
            .any(|m| m.contains(".hadolint.yaml:1:")),
        "{:?}",
        client.messages
    );
    client.stop();
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_nearer_file_found_after_a_save_wins_without_a_watcher() {
    let root = workspace("save");
    let mut client = Client::start(&root, false);
    let uri = format!("file://{}/svc/Dockerfile", root.display());
    client.open(&uri, DOCKERFILE);
    assert_eq!(client.diagnostics(), ["DL3006", "DL3000"]);
    assert!(
        client.registrations.is_empty(),
        "no watcher without dynamic registration"
    );
    write_config(
        &root.join("svc/.hadolint.yml"),
        "override:\n  style: [DL3000]\nignored: [DL3006]\n",
        1,
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(), ["DL3000"]);
    client.stop();
    let _ = std::fs::remove_dir_all(&root);
}
