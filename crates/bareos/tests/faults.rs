//! Every injected fault ends in the right error within its deadline, and the next
//! connection works.

mod common;

use bareos::{Config, Director, FileDaemon, Password, TlsMode};
use bareos_testkit::{Fault, FaultPoint, FaultSpec, TestDirector, TestFileDaemon, TlsPolicy};
use std::time::{Duration, Instant};

use common::{fault_console, with_fault};

/// Runs `whoami` on a fresh connection: the director must be healthy again.
async fn next_connection_works(director: &TestDirector) {
    let mut client = Director::connect(fault_console(director)).await.unwrap();
    assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");
}

/// Connects to `td` and calls `command`, which must fail; returns the client, the error
/// and how long the call took.
async fn failing_call(td: &TestDirector, command: &str) -> (Director, bareos::Error, Duration) {
    let mut client = Director::connect(fault_console(td)).await.unwrap();
    let started = Instant::now();
    let error = client.call(command).await.unwrap_err();
    (client, error, started.elapsed())
}

/// Asserts that less than `limit` has passed since `started`.
fn assert_within(started: Instant, limit: Duration) {
    let elapsed = started.elapsed();
    assert!(elapsed < limit, "{elapsed:?}");
}

#[tokio::test]
async fn close_mid_frame_is_connection_lost() {
    let td = with_fault(FaultSpec::on_command(
        "version",
        Fault::CloseMidFrame {
            announced: 500,
            sent: 20,
        },
    ));
    let (_, error, _) = failing_call(&td, "version").await;
    assert!(error.is_connection_lost(), "{error}");
    assert!(error.to_string().contains("middle of a frame"), "{error}");
    next_connection_works(&td).await;
}

#[tokio::test]
async fn stall_mid_result_times_out_within_the_read_timeout() {
    let td = with_fault(FaultSpec::on_command("status director", Fault::Stall));
    let (mut client, error, took) = failing_call(&td, "status director").await;
    assert!(error.is_timeout(), "{error}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // The connection is unusable afterwards, and says so.
    assert!(client
        .call("whoami")
        .await
        .unwrap_err()
        .is_connection_lost());
    next_connection_works(&td).await;
}

#[tokio::test]
async fn stall_before_the_challenge_times_out_within_the_login_timeout() {
    let td = with_fault(FaultSpec::new(FaultPoint::BeforeChallenge, Fault::Stall));
    let started = Instant::now();
    let error = Director::connect(fault_console(&td)).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_within(started, Duration::from_secs(3));
    next_connection_works(&td).await;
}

#[tokio::test]
async fn close_mid_login_is_reported() {
    let td = with_fault(FaultSpec::login(Fault::CloseMidLogin));
    let error = Director::connect(fault_console(&td)).await.unwrap_err();
    assert!(error.is_connection_lost() || error.is_auth(), "{error}");
    next_connection_works(&td).await;
}

#[tokio::test]
async fn oversized_header_is_refused() {
    let td = with_fault(FaultSpec::on_command("version", Fault::OversizedHeader));
    let (_, error, took) = failing_call(&td, "version").await;
    assert!(error.is_protocol(), "{error}");
    assert!(error.to_string().contains("1000000"), "{error}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    next_connection_works(&td).await;
}

#[tokio::test]
async fn garbage_is_a_protocol_error() {
    let td = with_fault(FaultSpec::on_command("version", Fault::garbage()));
    let (_, error, _) = failing_call(&td, "version").await;
    assert!(error.is_protocol() || error.is_connection_lost(), "{error}");
    next_connection_works(&td).await;

    let td = with_fault(FaultSpec::new(
        FaultPoint::BeforeChallenge,
        Fault::Garbage(b"\x00\x00\x00\x05hello".to_vec()),
    ));
    let error = Director::connect(fault_console(&td)).await.unwrap_err();
    assert!(error.is_protocol(), "{error}");
    assert!(
        error.to_string().contains("expected a CRAM-MD5 challenge"),
        "{error}"
    );
}

#[tokio::test]
async fn unknown_signals_are_skipped() {
    let td = with_fault(FaultSpec::on_command("whoami", Fault::UnknownSignal(-99)));
    let mut client = Director::connect(fault_console(&td)).await.unwrap();
    assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");
    assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");
}

#[tokio::test]
async fn slow_trickle_finishes_but_respects_the_call_deadline() {
    let trickle = Fault::SlowTrickle(Duration::from_millis(50));
    let td = TestDirector::builder()
        .fault(FaultSpec::on_command("whoami", trickle))
        .start()
        .unwrap();
    let mut client = Director::connect(fault_console(&td)).await.unwrap();
    // Every byte comes within the read timeout: the answer arrives, slowly.
    assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");

    let mut client = Director::connect(fault_console(&td).call_timeout(Duration::from_millis(200)))
        .await
        .unwrap();
    let started = Instant::now();
    let error = client.call("whoami").await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_within(started, Duration::from_millis(700));
}

#[tokio::test]
async fn connect_timeout_and_refused() {
    // Nothing listens on a port we just released: connection refused at once.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = Config::new("127.0.0.1")
        .port(port)
        .password(Password::new("x"))
        .connect_timeout(Duration::from_secs(1));
    let error = Director::connect(config).await.unwrap_err();
    assert!(error.is_connect(), "{error}");
    assert!(
        error.to_string().contains(&format!("127.0.0.1:{port}")),
        "{error}"
    );

    // A listener that never accepts: the TLS handshake times out within the login timeout.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = Config::new("127.0.0.1")
        .port(listener.local_addr().unwrap().port())
        .password(Password::new("x"))
        .login_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = Director::connect(config).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_within(started, Duration::from_secs(2));
}

#[tokio::test]
async fn file_daemon_faults_and_commands() {
    let fd = TestFileDaemon::builder()
        .director("bareos-dir", "secret", TlsPolicy::Required)
        .director("cleartext-dir", "secret", TlsPolicy::None)
        .fault(FaultSpec::on_command("status", Fault::Stall).once())
        .start()
        .unwrap();
    let config = |name: &str| {
        Config::file_daemon("127.0.0.1")
            .port(fd.port())
            .name(name)
            .password(Password::new("secret"))
            .read_timeout(Duration::from_millis(500))
    };
    let mut client = FileDaemon::connect(config("bareos-dir")).await.unwrap();
    assert!(client.is_encrypted());
    let error = client.call("status").await.unwrap_err();
    assert!(error.is_timeout(), "{error}");

    let mut client = FileDaemon::connect(config("bareos-dir")).await.unwrap();
    let status = client.call("status").await.unwrap();
    assert!(status.text().contains("bareos-fd"), "{}", status.text());
    let bandwidth = client.call("setbandwidth=1000 Job=").await.unwrap();
    assert!(
        bandwidth.text().starts_with("2000 OK Bandwidth"),
        "{}",
        bandwidth.text()
    );
    let bandwidth = client
        .call("setbandwidth=1000 Job=nosuchjob")
        .await
        .unwrap();
    assert!(
        bandwidth.text().contains("2000 OK Bandwidth"),
        "{}",
        bandwidth.text()
    );
    assert!(client.call("status").await.is_ok(), "still in sync");
    client.close().await;

    // After an unknown command the file daemon answers and ends the session: the answer
    // is kept, the next call says the session is over, a reconnect works.
    let mut client = FileDaemon::connect(config("bareos-dir")).await.unwrap();
    let reply = client.call("estimate listing=0").await.unwrap();
    assert!(reply.text().starts_with("2999"), "{}", reply.text());
    assert_eq!(reply.end(), &bareos::ResponseEnd::Closed);
    let error = client.call("status").await.unwrap_err();
    assert!(error.is_connection_lost(), "{error}");
    client.reconnect().await.unwrap();
    assert!(client.call("status").await.is_ok());

    // Cleartext only for a director resource without TLS, and only when asked for.
    let error = FileDaemon::connect(config("bareos-dir").tls(TlsMode::Disabled))
        .await
        .unwrap_err();
    assert!(error.is_auth(), "{error}");
    let mut client = FileDaemon::connect(config("cleartext-dir").tls(TlsMode::Disabled))
        .await
        .unwrap();
    assert!(!client.is_encrypted());
    assert!(client.call("status").await.is_ok());

    let error = FileDaemon::connect(config("bareos-dir").password(Password::new("wrong")))
        .await
        .unwrap_err();
    assert!(error.is_tls(), "{error}");
    let error = FileDaemon::connect(
        config("cleartext-dir")
            .password(Password::new("wrong"))
            .tls(TlsMode::Disabled),
    )
    .await
    .unwrap_err();
    assert!(error.is_auth(), "{error}");
}
