//! `bareosctl` against a real Bacula 9.6 director (protocol 1, cleartext), when one runs:
//! see docs/bacula-peer.md. Skipped unless `BACULA_DIR_PORT` is set; a failure when
//! `BAREOS_RS_REQUIRE_PEERS` is set and the port is not.

mod common;

use predicates::str::contains;

fn port() -> Option<u16> {
    match std::env::var("BACULA_DIR_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
    {
        Some(port) => Some(port),
        None if std::env::var_os("BAREOS_RS_REQUIRE_PEERS").is_some() => {
            panic!(
                "BACULA_DIR_PORT is not set but BAREOS_RS_REQUIRE_PEERS is: start the Bacula peer"
            )
        }
        None => None,
    }
}

#[test]
fn call_and_piped_console_against_bacula() {
    let Some(port) = port() else {
        eprintln!("skipped: BACULA_DIR_PORT is not set");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let base = |cmd: &mut assert_cmd::Command| {
        cmd.args(["--address", "127.0.0.1", "--port", &port.to_string()])
            .args(["--protocolversion", "1", "--tls-psk-disable"])
            .env("BAREOS_PASSWORD", "dirsecret");
    };
    let mut cmd = common::bareosctl(home.path());
    base(&mut cmd);
    cmd.args(["call", "version"])
        .assert()
        .success()
        .stdout(contains("bacula-dir Version"));
    let mut cmd = common::bareosctl(home.path());
    base(&mut cmd);
    cmd.write_stdin("version\nquit\n")
        .assert()
        .success()
        .stdout(contains("\nversion\n"))
        .stderr(contains("not encrypted"));
    let mut cmd = common::bareosctl(home.path());
    base(&mut cmd);
    cmd.env("BAREOS_NAME", "admin")
        .env("BAREOS_PASSWORD", "adminsecret")
        .args(["call", "version"])
        .assert()
        .success();
    let mut cmd = common::bareosctl(home.path());
    base(&mut cmd);
    cmd.env("BAREOS_PASSWORD", "wrong")
        .args(["call", "version"])
        .assert()
        .code(3);
}
