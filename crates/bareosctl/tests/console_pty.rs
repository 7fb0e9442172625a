//! The interactive console driven through a pseudo-terminal: completion, history file,
//! a selection prompt, Ctrl-C at a prompt, @output/@tee and the root refusal.

mod common;

use common::*;
use expectrl::{Eof, Session};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc_geteuid() == 0 }
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

fn spawn(home: &Path, port: u16, extra: &[&str]) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bareosctl"));
    cmd.args(["--address", "127.0.0.1", "--port", &port.to_string()])
        .args(extra)
        .env("HOME", home)
        .env("BAREOS_PASSWORD", DIR_PASSWORD)
        .env("TERM", "xterm")
        .env_remove("RUST_LOG");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session.expect("Enter a period").unwrap();
    session.expect("*").unwrap();
    session
}

/// Types a line and waits until it was read and the next main prompt is shown.
fn line(s: &mut Session, text: &str) {
    s.send_line(text).unwrap();
    s.expect(text).unwrap();
    s.expect("*").unwrap();
}

#[test]
fn completion_history_and_selection_prompt() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // First word completed from `.help all`.
    s.send("vers\t").unwrap();
    s.expect("version").unwrap();
    s.send("\r").unwrap();
    s.expect("bareos-dir Version").unwrap();
    // Keyword value completed from `.clients`.
    s.send("status client=test2\t").unwrap();
    s.expect("test2-fd").unwrap();
    s.send("\r").unwrap();
    s.expect("test2-fd Version").unwrap();
    // A selection prompt answered in place.
    s.send_line("status client").unwrap();
    s.expect("(1-2): ").unwrap();
    s.send_line("2").unwrap();
    s.expect("test2-fd Version").unwrap();
    // Ctrl-C at a prompt cancels it.
    s.send_line("status client").unwrap();
    s.expect("(1-2): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
    let history = std::fs::read_to_string(home.path().join(".bconsole_history")).unwrap();
    assert!(history.contains("version"), "{history}");
    assert!(history.contains("status client"), "{history}");
}

#[test]
fn restore_tree_completion_and_done() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    s.send_line("restore").unwrap();
    s.expect("$ ").unwrap();
    s.send("mar\t").unwrap();
    s.expect("mark").unwrap();
    s.send("\r").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("done").unwrap();
    s.expect("files selected to be restored").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn at_output_and_tee_and_root_refusal() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.txt");
    let tee = home.path().join("tee.txt");
    if is_root() {
        let mut s = spawn(home.path(), dir.port(), &[]);
        s.send_line(format!("@output {} w", out.display())).unwrap();
        s.expect("refused when running as root").unwrap();
        s.send_line("@exec \"echo hi\"").unwrap();
        s.expect("refused when running as root").unwrap();
        s.send_line("@quit").unwrap();
        s.expect(Eof).unwrap();
        assert!(!out.exists());
    }
    let mut s = spawn(
        home.path(),
        dir.port(),
        &["console", "--allow-root-at-commands"],
    );
    line(&mut s, &format!("@output {} w", out.display()));
    line(&mut s, "version");
    line(&mut s, "@output");
    line(&mut s, &format!("@tee {}", tee.display()));
    s.send_line("@echo tee-marker").unwrap();
    s.expect("tee-marker\r\n").unwrap();
    line(&mut s, "@tee");
    s.send_line("@quit").unwrap();
    s.expect(Eof).unwrap();
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("bareos-dir Version"), "{written}");
    let teed = std::fs::read_to_string(&tee).unwrap();
    assert!(teed.contains("tee-marker"), "{teed}");
}

#[test]
fn run_confirmation_answered_modified_and_cancelled() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // yes/mod/no: mod > Level > Full, then yes.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("Level:    Incremental").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("mod").unwrap();
    s.expect("Select parameter to modify (1-11): ").unwrap();
    s.send_line("1").unwrap();
    s.expect("Select level (1-5): ").unwrap();
    s.send_line("1").unwrap();
    s.expect("Level:    Full").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("yes").unwrap();
    s.expect("Job queued. JobId=").unwrap();
    s.expect("*").unwrap();
    // no.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("no").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    // A period cancels, and so does Ctrl-C.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line(".").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}
