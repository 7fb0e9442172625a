//! PAM at the command line: the director's prompts answered at a pseudo-terminal (the
//! password without echo), from --pam-username and BAREOS_PAM_PASSWORD, and a clear
//! error instead of a wait when there is no terminal to ask.

mod common;

use bareos_testkit::{ConsoleSpec, TestDirector};
use common::*;
use expectrl::{Eof, Session};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const CONSOLE_PASSWORD: &str = "pamcon secret";
const PAM_PASSWORD: &str = "Wonder-S3cret";

fn pam_director() -> TestDirector {
    TestDirector::builder()
        .password(DIR_PASSWORD)
        .console(ConsoleSpec::new("pamcon", CONSOLE_PASSWORD).pam(true))
        .pam_user("alice", PAM_PASSWORD)
        .pam_info("Your password will expire in 3 days")
        .auth_failure_delay(Duration::from_millis(10))
        .start()
        .expect("test director starts")
}

/// `bareosctl --name pamcon EXTRA...` in a pseudo-terminal, no PAM password given.
fn spawn(dir: &TestDirector, home: &Path, extra: &[&str]) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bareosctl"));
    cmd.args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["--name", "pamcon"])
        .args(extra)
        .env("HOME", home)
        .env("BAREOS_PASSWORD", CONSOLE_PASSWORD)
        .env("TERM", "xterm")
        .env_remove("BAREOS_PAM_PASSWORD")
        .env_remove("RUST_LOG");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session
}

#[test]
fn prompts_are_answered_at_the_terminal_without_echoing_the_password() {
    let dir = pam_director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(&dir, home.path(), &[]);
    s.expect("login:").unwrap();
    s.send_line("alice").unwrap();
    s.expect("Password: ").unwrap();
    s.send_line(PAM_PASSWORD).unwrap();
    let shown = s.expect("You are logged in as: alice").unwrap();
    let shown = String::from_utf8_lossy(shown.before()).into_owned();
    assert!(
        !shown.contains(PAM_PASSWORD),
        "the password was echoed: {shown}"
    );
    assert!(
        shown.contains("Your password will expire in 3 days"),
        "{shown}"
    );
    s.expect("*").unwrap();
    s.send_line("whoami").unwrap();
    s.expect("alice").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn the_user_from_the_option_and_the_password_at_the_terminal() {
    let dir = pam_director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(
        &dir,
        home.path(),
        &["--pam-username", "alice", "call", "whoami"],
    );
    let before = s.expect("Password: ").unwrap();
    assert!(!String::from_utf8_lossy(before.before()).contains("login:"));
    s.send_line("Bad-Guess-7").unwrap();
    let out = s.expect(Eof).unwrap();
    let out = String::from_utf8_lossy(out.as_bytes()).into_owned();
    assert!(out.contains("PAM authentication failed"), "{out}");
    assert!(
        !out.contains("Bad-Guess-7"),
        "the password was echoed: {out}"
    );
}

#[test]
fn without_a_terminal_credentials_come_from_the_option_and_the_environment() {
    let dir = pam_director();
    let h = tempfile::tempdir().unwrap();
    let base = || {
        let mut cmd = bareosctl(h.path());
        cmd.args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
            .args(["--name", "pamcon"])
            .env("BAREOS_PASSWORD", CONSOLE_PASSWORD);
        cmd
    };
    base()
        .args(["--pam-username", "alice", "call", "whoami"])
        .env("BAREOS_PAM_PASSWORD", PAM_PASSWORD)
        .assert()
        .success()
        .stdout("alice\n");
    // Nothing given and no terminal: refused at once, saying what to give.
    base()
        .args(["call", "whoami"])
        .timeout(Duration::from_secs(10))
        .assert()
        .failure()
        .stderr(contains("no PAM username and password were given"))
        .stderr(contains("--pam-username and BAREOS_PAM_PASSWORD"));
    // Only the password: the user name prompt cannot be answered.
    base()
        .args(["call", "whoami"])
        .env("BAREOS_PAM_PASSWORD", PAM_PASSWORD)
        .timeout(Duration::from_secs(10))
        .assert()
        .failure()
        .stderr(contains(
            "the director's PAM asks \"login:\", but standard input is not a terminal",
        ))
        .stderr(contains(PAM_PASSWORD).not());
}
