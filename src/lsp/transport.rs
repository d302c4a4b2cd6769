//! The stdio transport: a reader thread that frames messages from stdin into an unbounded
//! channel, and a writer thread that frames messages onto stdout.
//!
//! `lsp_server::Connection::stdio` hands messages over through zero-capacity channels, so the
//! main loop could never see more than one queued message and coalescing `didChange`s would
//! depend on thread timing. Here the reader runs ahead and the main loop can drain everything
//! the client already sent. This module does not interpret messages beyond spotting `exit`
//! (after which it stops reading, so the process can end while stdin stays open).

use std::io::{self, BufReader};
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, Message};

use crate::lsp::log::{log_debug, log_error};

/// A connection over stdin/stdout, plus the writer thread to join before the process exits.
pub(crate) fn stdio() -> (Connection, thread::JoinHandle<()>) {
    let (reader_sender, reader_receiver) = crossbeam_channel::unbounded::<Message>();
    let (writer_sender, writer_receiver) = crossbeam_channel::unbounded::<Message>();
    // The reader is detached: it may be blocked in `read` on a stdin the client never closes.
    let spawned = thread::Builder::new()
        .name("layerwise-lsp-reader".to_owned())
        .spawn(move || read_stdin(&reader_sender));
    if let Err(err) = spawned {
        log_error!("cannot start the stdin reader thread: {err}");
    }
    let writer = thread::Builder::new()
        .name("layerwise-lsp-writer".to_owned())
        .spawn(move || write_stdout(&writer_receiver));
    let writer = match writer {
        Ok(handle) => handle,
        Err(err) => {
            log_error!("cannot start the stdout writer thread: {err}");
            // Nothing can be written; a finished thread keeps the signature simple.
            thread::spawn(|| ())
        }
    };
    let connection = Connection {
        sender: writer_sender,
        receiver: reader_receiver,
    };
    (connection, writer)
}

fn read_stdin(sender: &Sender<Message>) {
    let stdin = io::stdin();
    let mut stdin = BufReader::new(stdin.lock());
    loop {
        match Message::read(&mut stdin) {
            Ok(Some(msg)) => {
                let is_exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if sender.send(msg).is_err() || is_exit {
                    return;
                }
            }
            Ok(None) => {
                log_debug!("stdin closed");
                return;
            }
            // A body that is not a JSON-RPC message: the framing is intact (the whole body was
            // read), so skip it. A broken header consumes its line and ends at end of input.
            Err(err) if err.kind() == io::ErrorKind::InvalidData => {
                log_error!(
                    "skipping a malformed message: {}",
                    without_payload(&err.to_string())
                );
            }
            Err(err) => {
                log_error!("cannot read stdin: {err}");
                return;
            }
        }
    }
}

fn write_stdout(receiver: &Receiver<Message>) {
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    for msg in receiver {
        if let Err(err) = msg.write(&mut stdout) {
            log_error!("cannot write to stdout: {err}");
            return;
        }
    }
}

/// lsp-server's error for a malformed body quotes the whole payload after "`: ", and the
/// payload may hold document text: keep only the parser's complaint.
fn without_payload(message: &str) -> &str {
    match message.find("`: ") {
        Some(idx) => &message[..=idx],
        None => message,
    }
}
