//! Low-level `send` / `next_chunk` / `read_response` of the blocking clients, against the
//! Bacula 9.6 real peer (see `bacula_peer.rs` for how the peer is found).

use bareos::blocking::{Director, FileDaemon};
use bareos::{Config, Password, ProtocolVersion, TlsMode};
use std::time::Duration;

mod peer;
use peer::port;

fn cleartext(config: Config) -> Config {
    config
        .protocol(ProtocolVersion::V1)
        .tls(TlsMode::Disabled)
        .read_timeout(Duration::from_secs(30))
}

#[test]
fn director_send_then_read_in_chunks_and_whole() {
    let Some(port) = port("BACULA_DIR_PORT") else {
        return;
    };
    let config =
        cleartext(Config::new("127.0.0.1").port(port)).password(Password::new("dirsecret"));
    let mut director = Director::connect(config).expect("login to Bacula");

    // Nothing outstanding: both readers end at once.
    assert_eq!(director.next_chunk().unwrap(), None);
    assert!(director.read_response().unwrap().bytes().is_empty());

    director.send("version").unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = director.next_chunk().unwrap() {
        text.extend_from_slice(&chunk);
    }
    assert!(String::from_utf8_lossy(&text).contains("bacula-dir Version: 9.6"));

    director.send("list pools").unwrap();
    let pools = director.read_response().unwrap();
    assert!(pools.text().contains("Scratch"), "{}", pools.text());

    // A response left unread is discarded by the next command; the session stays in sync.
    director.send("status director").unwrap();
    peer::assert_in_sync_then_close(director);
}

#[test]
fn file_daemon_send_then_read() {
    let Some(port) = port("BACULA_FD_PORT") else {
        return;
    };
    let config = cleartext(Config::file_daemon("127.0.0.1").port(port))
        .name("bacula-dir")
        .password(Password::new("fdsecret"));
    let mut fd = FileDaemon::connect(config).expect("login to the Bacula file daemon");
    assert_eq!(fd.next_chunk().unwrap(), None);
    fd.send("status").unwrap();
    let status = fd.read_response().unwrap();
    assert!(
        status.text().contains("Daemon started"),
        "{}",
        status.text()
    );
    fd.close();
}
