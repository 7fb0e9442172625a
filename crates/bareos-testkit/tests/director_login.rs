//! Transport admission and login rules of the simulated director.

mod common;

use bareos_proto::{Frame, ProtocolVersion, Signal};
use bareos_testkit::{ConsoleSpec, TestDirector, TlsPolicy};
use common::{console, data, sig, Client};
use openssl::ssl::SslVersion;

fn director() -> TestDirector {
    TestDirector::builder()
        .password("dir_password")
        .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
        .console(ConsoleSpec::new("admin tls", "secret").tls(TlsPolicy::Enabled))
        .console(
            ConsoleSpec::new("pamcon", "secret")
                .tls(TlsPolicy::None)
                .pam(true),
        )
        .pam_user("alice", "pa55")
        .start()
        .unwrap()
}

fn clear(d: &TestDirector) -> Client {
    Client::clear(d.addr())
}

/// Logs in over cleartext as `name` (password `secret`) with `version`; returns the
/// client and the welcome frames.
fn cleartext_welcome(
    d: &TestDirector,
    name: &str,
    version: ProtocolVersion,
) -> (Client, Vec<Frame>) {
    let mut c = clear(d);
    let welcome = c.login(console(name, "secret", version, false)).unwrap();
    (c, welcome)
}

#[test]
fn v2_cleartext_named_console_with_policy_none() {
    let d = director();
    let (mut c, welcome) = cleartext_welcome(&d, "admin", ProtocolVersion::V2);
    assert_eq!(
        welcome,
        vec![
            data("1000\x1eOK: bareos-dir Version: 26.0.0~pre1298.eda204c31 (21 August 2026)"),
            data("1002\x1eSelf-compiled binaries (UNSUPPORTED)\nGet professional support from https://www.bareos.com\nYou are logged in as: admin"),
        ]
    );
    c.assert_answer("whoami", "admin\n");
}

#[test]
fn cleartext_rejections_send_terminate() {
    let d = director();
    for (name, version) in [
        ("*UserAgent*", ProtocolVersion::V2),
        ("admin tls", ProtocolVersion::V2),
        ("nobody", ProtocolVersion::V2),
        ("nobody", ProtocolVersion::V1),
    ] {
        let mut c = clear(&d);
        c.write_raw(&{
            let mut out = Vec::new();
            bareos_proto::frame::encode_data(
                &bareos_proto::hello::console_hello(name, version),
                &mut out,
            )
            .unwrap();
            out
        });
        assert_eq!(
            c.read_frame().unwrap(),
            Some(sig(Signal::Terminate)),
            "{name}"
        );
        assert_eq!(c.read_frame().unwrap(), None);
    }
}

#[test]
fn v1_cleartext_rules() {
    let d = director();
    // Default console, policy Required: CRAM succeeds, then "not authorized".
    let mut c = clear(&d);
    let err = c
        .login(console(
            "*UserAgent*",
            "dir_password",
            ProtocolVersion::V1,
            false,
        ))
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("not authorized"),
        "{err}"
    );
    // Policy Enabled: v1 gets through in cleartext.
    let (_, welcome) = cleartext_welcome(&d, "admin tls", ProtocolVersion::V1);
    assert_eq!(
        welcome,
        vec![data("1000 OK: bareos-dir Version: 26.0.0~pre1298.eda204c31 (21 August 2026) --  Encryption: None\n")]
    );
}

#[test]
fn wrong_password_gets_two_verdicts_then_close() {
    let d = director();
    let mut c = clear(&d);
    c.send("Hello admin calling version 25.1.1\n");
    let challenge = c.expect_frame();
    assert!(challenge.data().unwrap().starts_with(b"auth cram-md5 <"));
    assert!(challenge
        .data()
        .unwrap()
        .ends_with(b"@R_DIRECTOR::bareos-dir> ssl=0\n"));
    c.answer_wrongly();
    assert_eq!(c.read_frame().unwrap(), None);
}

#[test]
fn tls_psk_login_with_tls13_and_tls12() {
    let d = director();
    for (version, expect) in [
        (SslVersion::TLS1_3, "TLSv1.3"),
        (SslVersion::TLS1_2, "TLSv1.2"),
    ] {
        let mut c = Client::tls_console(d.addr(), version, "*UserAgent*", "dir_password").unwrap();
        assert!(c.cipher.as_deref().unwrap().ends_with(expect));
        let welcome = c
            .login(console(
                "*UserAgent*",
                "dir_password",
                ProtocolVersion::V2,
                true,
            ))
            .unwrap();
        assert!(welcome[1]
            .data()
            .unwrap()
            .ends_with(b"\nYou are connected using the default console"));
        c.assert_answer("whoami", "root\n");
    }
    // TLS is accepted for a console whose policy is None, and v1 shows the cipher.
    let mut c = Client::tls_console(d.addr(), SslVersion::TLS1_3, "admin", "secret").unwrap();
    let welcome = c
        .login(console("admin", "secret", ProtocolVersion::V1, true))
        .unwrap();
    let text = String::from_utf8(welcome[0].data().unwrap().to_vec()).unwrap();
    assert!(
        text.contains("--  Encryption: TLS_") && text.ends_with("TLSv1.3\n"),
        "{text}"
    );
    // Wrong key or unknown identity: the handshake fails.
    assert!(Client::tls_console(d.addr(), SslVersion::TLS1_3, "admin", "wrong").is_err());
    assert!(Client::tls_console(d.addr(), SslVersion::TLS1_2, "nobody", "secret").is_err());
}

#[test]
fn tls_hello_name_must_match_identity() {
    let d = director();
    let mut c = Client::tls_console(d.addr(), SslVersion::TLS1_3, "admin", "secret").unwrap();
    c.send("Hello *UserAgent* calling version 25.1.1\n");
    assert_eq!(
        c.read_frame().unwrap(),
        Some(Frame::Signal(Signal::Terminate))
    );
}

#[test]
fn pam_console() {
    let d = director();
    let mut config = console("pamcon", "secret", ProtocolVersion::V2, false);
    config.allow_cleartext_pam = true;
    config.pam = Some(bareos_proto::PamCredentials::new("alice", "pa55"));
    let mut c = clear(&d);
    let welcome = c.login(config.clone()).unwrap();
    assert!(welcome
        .last()
        .unwrap()
        .data()
        .unwrap()
        .ends_with(b"You are logged in as: alice"));
    c.assert_answer("whoami", "alice\n");
    config.pam = Some(bareos_proto::PamCredentials::new("alice", "wrong"));
    let mut c = clear(&d);
    assert!(c.login(config).is_err());
}
