//! Every fault is observable; the simulated file daemon logs in and answers `status`.

mod common;

use bareos_proto::hello::{director_hello, ResourceType};
use bareos_proto::{Frame, Password, ProtocolVersion, SessionConfig, Signal};
use bareos_testkit::{Fault, FaultPoint, FaultSpec, TestDirector, TestFileDaemon, TlsPolicy};
use common::{cleartext_console, console, data, sig, Client, Transport};
use openssl::ssl::SslVersion;
use std::time::{Duration, Instant};

fn with_fault(fault: FaultSpec) -> TestDirector {
    TestDirector::builder()
        .console(cleartext_console("admin"))
        .fault(fault)
        .start()
        .unwrap()
}

fn clear(d: &TestDirector) -> Client {
    Client::clear(d.addr())
}

fn login(d: &TestDirector) -> Client {
    Client::logged_in(d.addr(), "admin", "secret")
}

#[test]
fn close_mid_frame() {
    let d = with_fault(FaultSpec::on_command(
        "list jobs",
        Fault::CloseMidFrame {
            announced: 100,
            sent: 10,
        },
    ));
    let mut c = login(&d);
    c.send("list jobs");
    assert!(c.read_frame().is_err() || c.read_frame().unwrap().is_none());
}

#[test]
fn stall_keeps_socket_open() {
    let d = with_fault(FaultSpec::new(FaultPoint::AfterLogin, Fault::Stall));
    let mut c = login(&d);
    c.send("whoami");
    let err = c.read_frame().unwrap_err();
    assert!(err.contains("read"), "{err}");
}

#[test]
fn oversized_header_and_garbage() {
    let d = with_fault(FaultSpec::on_command("whoami", Fault::OversizedHeader));
    let mut c = login(&d);
    c.send("whoami");
    assert!(c.read_frame().unwrap_err().contains("decode"));
    let d = with_fault(FaultSpec::new(
        FaultPoint::BeforeChallenge,
        Fault::garbage(),
    ));
    let mut c = clear(&d);
    assert!(c
        .login(console("admin", "secret", ProtocolVersion::V2, false))
        .is_err());
}

#[test]
fn unknown_signal_then_normal_reply() {
    let d = with_fault(FaultSpec::on_command("whoami", Fault::UnknownSignal(-99)));
    let mut c = login(&d);
    assert_eq!(
        c.command("whoami", Signal::Eod),
        vec![
            Frame::Signal(Signal::Unknown(-99)),
            data("admin\n"),
            sig(Signal::Eod)
        ]
    );
}

#[test]
fn impostor_and_close_mid_login() {
    let d = with_fault(FaultSpec::login(Fault::WrongCramAnswer));
    let err = clear(&d)
        .login(console("admin", "secret", ProtocolVersion::V2, false))
        .unwrap_err();
    assert!(!err.to_string().is_empty());
    let d = with_fault(FaultSpec::login(Fault::CloseMidLogin));
    assert!(clear(&d)
        .login(console("admin", "secret", ProtocolVersion::V2, false))
        .is_err());
}

#[test]
fn tls_handshake_failure() {
    let d = with_fault(FaultSpec::login(Fault::TlsHandshakeFailure));
    assert!(Client::tls_console(d.addr(), SslVersion::TLS1_3, "admin", "secret").is_err());
}

#[test]
fn slow_trickle_and_wrong_output() {
    let d = with_fault(FaultSpec::on_command(
        "whoami",
        Fault::SlowTrickle(Duration::from_millis(20)),
    ));
    let mut c = login(&d);
    let start = Instant::now();
    c.assert_answer("whoami", "admin\n");
    assert!(start.elapsed() >= Duration::from_millis(200));
    let d =
        with_fault(FaultSpec::on_command("whoami", Fault::WrongOutput(".catalogs".into())).once());
    let mut c = login(&d);
    c.assert_answer("whoami", "MyCatalog\n");
    c.assert_answer("whoami", "admin\n");
}

#[test]
fn garbage_from_client_closes_connection() {
    let d = with_fault(FaultSpec::on_command("never", Fault::Stall));
    let mut c = login(&d);
    c.write_raw(b"GARBAGE GARBAGE");
    assert_eq!(c.read_frame().unwrap(), None);
}

fn fd() -> TestFileDaemon {
    TestFileDaemon::builder()
        .name("bareos-fd")
        .director("bareos-dir", "secret", TlsPolicy::Required)
        .director("cleardir", "secret", TlsPolicy::None)
        .start()
        .unwrap()
}

#[test]
fn file_daemon_login_and_status() {
    let f = fd();
    let mut c = Client::connect(
        f.addr(),
        Transport::Tls(SslVersion::TLS1_3),
        ResourceType::Director,
        "bareos-dir",
        "secret",
    )
    .unwrap();
    let mut session = SessionConfig::file_daemon("bareos-dir", Password::new("secret"));
    session.challenge_random = 1;
    session.unix_time = 2;
    c.login(session).unwrap();
    let status = c.command("status", Signal::Eod);
    assert_eq!(status[0], data("\n"));
    assert_eq!(
        status[1],
        data("bareos-fd Version: 26.0.0~pre1298.eda204c31 (21 August 2026) Debian GNU/Linux 12 (bookworm)\n\0")
    );
    c.send("setbandwidth=100 Job=");
    assert_eq!(c.expect_frame(), data("2000 OK Bandwidth\n"));
    c.send("bogus");
    assert_eq!(c.expect_frame(), data("2999 Invalid command\n"));
    assert_eq!(c.expect_frame(), sig(Signal::Terminate));
    assert_eq!(c.read_frame().unwrap(), None);
}

#[test]
fn file_daemon_cleartext_rules_and_wrong_password() {
    let f = fd();
    let mut c = Client::clear(f.addr());
    c.send(std::str::from_utf8(&director_hello("bareos-dir")).unwrap());
    assert_eq!(c.read_frame().unwrap(), Some(sig(Signal::Terminate)));
    let mut c = Client::clear(f.addr());
    let mut session = SessionConfig::file_daemon("cleardir", Password::new("secret"));
    session.encrypted = false;
    c.login(session).unwrap();
    c.send_signal(Signal::Eod);
    assert_eq!(c.expect_frame(), sig(Signal::Terminate));
    let mut c = Client::clear(f.addr());
    c.send("Hello Director cleardir calling\n");
    assert!(c
        .expect_frame()
        .data()
        .unwrap()
        .ends_with(b"@R_CLIENT::bareos-fd> ssl=0\n"));
    c.answer_wrongly();
    assert_eq!(c.expect_frame(), data("2999 Authentication failed.\n"));
    assert_eq!(c.read_frame().unwrap(), None);
}
