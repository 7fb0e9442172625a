//! Finding the Bacula 9.6 real peer started by the test script.
//!
//! The script exports `BACULA_DIR_PORT` and `BACULA_FD_PORT` after starting the peer and
//! sets `BAREOS_RS_REQUIRE_PEERS=1`, which makes a missing peer a failure. Under a plain
//! `cargo test` without the peer, the tests that need it report that they did not run.

/// The port in `variable`, or `None` (with a note) when the peer is not running.
pub fn port(variable: &str) -> Option<u16> {
    match std::env::var(variable).ok().and_then(|p| p.parse().ok()) {
        Some(port) => Some(port),
        None if std::env::var_os("BAREOS_RS_REQUIRE_PEERS").is_some() => {
            panic!("{variable} is not set but BAREOS_RS_REQUIRE_PEERS is: start the Bacula peer")
        }
        None => {
            eprintln!("Bacula peer not running ({variable} unset): test not run");
            None
        }
    }
}

/// Asserts that `version` still gets its own answer from the Bacula director (the
/// connection is in sync), then closes the connection.
pub fn assert_in_sync_then_close(mut director: bareos::blocking::Director) {
    let version = director.call_text("version").unwrap();
    assert!(version.contains("bacula-dir"), "{version}");
    director.close();
}
