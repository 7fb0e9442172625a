//! A real peer: the Bacula 9.6 director and file daemon started by `.ci/bacula-peer.sh`
//! (protocol 1, cleartext, CRAM-MD5).
//!
//! The test script exports `BACULA_DIR_PORT` and `BACULA_FD_PORT` after starting the
//! peer and sets `BAREOS_RS_REQUIRE_PEERS=1`, which makes a missing peer a failure.
//! Under a plain `cargo test` without the peer these tests report that they did not run.

use bareos::blocking::{Director, FileDaemon};
use bareos::{Config, Password, PromptKind, ProtocolVersion, TlsMode};
use std::time::Duration;

mod peer;
use peer::port;

fn console(name: Option<&str>, password: &str) -> Option<Config> {
    let port = port("BACULA_DIR_PORT")?;
    let mut config = Config::new("127.0.0.1")
        .port(port)
        .password(Password::new(password))
        .protocol(ProtocolVersion::V1)
        .tls(TlsMode::Disabled)
        .read_timeout(Duration::from_secs(30));
    if let Some(name) = name {
        config = config.name(name);
    }
    Some(config)
}

#[test]
fn default_console_version_status_and_pools() {
    let Some(config) = console(None, "dirsecret") else {
        return;
    };
    let mut director = Director::connect(config).expect("login to Bacula");
    assert!(!director.is_encrypted());
    assert_eq!(director.welcome().director, "bacula-dir");
    assert!(director.welcome().version.starts_with("9.6"));

    let version = director.call_text("version").unwrap();
    assert!(version.contains("bacula-dir Version: 9.6"), "{version}");

    let status = director.call_text("status director").unwrap();
    assert!(status.contains("Daemon started"), "{status}");

    let pools = director.call_text("list pools").unwrap();
    for pool in ["Default", "Full", "Scratch"] {
        assert!(pools.contains(pool), "{pools}");
    }
    // The connection stays in sync: the next command gets its own answer.
    peer::assert_in_sync_then_close(director);
}

#[test]
fn named_console_and_selection_prompt() {
    let Some(config) = console(Some("admin"), "adminsecret") else {
        return;
    };
    let mut director = Director::connect(config).unwrap();
    let reply = director.call("status client").unwrap();
    let prompt = reply.prompt().expect("selection prompt");
    assert_eq!(prompt.kind, PromptKind::Selection);
    assert!(reply.text().contains("1: bacula-fd"), "{}", reply.text());
    let cancelled = director.cancel_prompt().unwrap();
    assert!(
        cancelled.text().contains("Selection aborted"),
        "{}",
        cancelled.text()
    );
    assert!(!cancelled.is_prompt());

    let reply = director.call("status client").unwrap();
    assert!(reply.is_prompt());
    let status = director.answer("1").unwrap();
    assert!(status.text().contains("bacula-fd"), "{}", status.text());
    assert!(!status.is_prompt());
    director.close();
}

#[test]
fn wrong_password_and_unknown_console() {
    let Some(config) = console(Some("admin"), "wrong") else {
        return;
    };
    let error = Director::connect(config).unwrap_err();
    assert!(error.is_auth(), "{error}");
    assert!(
        error.to_string().contains("rejected the password"),
        "{error}"
    );

    let Some(config) = console(Some("nobody"), "x") else {
        return;
    };
    let error = Director::connect(config).unwrap_err();
    assert!(error.is_auth(), "{error}");
}

#[test]
fn tls_required_refuses_bacula() {
    let Some(config) = console(None, "dirsecret") else {
        return;
    };
    let error = Director::connect(config.tls(TlsMode::Required)).unwrap_err();
    assert!(error.is_tls(), "{error}");
}

#[test]
fn file_daemon_status() {
    let Some(port) = port("BACULA_FD_PORT") else {
        return;
    };
    let config = Config::file_daemon("127.0.0.1")
        .port(port)
        .name("bacula-dir")
        .password(Password::new("fdsecret"))
        .tls(TlsMode::Disabled);
    let mut fd = FileDaemon::connect(config).unwrap();
    assert!(fd.hello().starts_with("2000 OK Hello"), "{}", fd.hello());
    let status = fd.call("status").unwrap();
    assert!(
        status.text().contains("bacula-fd Version: 9.6"),
        "{}",
        status.text()
    );
    let again = fd.call("status").unwrap();
    assert!(again.text().contains("bacula-fd"));
    fd.close();
}
