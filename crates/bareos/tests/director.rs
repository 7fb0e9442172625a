//! The async and blocking director clients against the test director on loopback.

mod common;

use bareos::{Config, Director, Password, PromptKind, ProtocolVersion, TlsMode, TlsVersion};
use bareos_testkit::{ConsoleSpec, Fault, FaultSpec, TestDirector, TlsPolicy};
use std::time::{Duration, Instant};

fn default_console(director: &TestDirector) -> Config {
    common::default_console(director.port())
        .login_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5))
}

/// Logs in with `config`, which must succeed.
async fn login(config: Config) -> Director {
    Director::connect(config).await.unwrap()
}

/// Logs in with `config`, which must fail; returns the error.
async fn login_error(config: Config) -> bareos::Error {
    Director::connect(config).await.unwrap_err()
}

fn named(director: &TestDirector, name: &str, password: &str) -> Config {
    default_console(director)
        .name(name)
        .password(Password::new(password))
}

/// The cleartext console `notls` with the password `secret`.
fn notls() -> ConsoleSpec {
    ConsoleSpec::new("notls", "secret").tls(TlsPolicy::None)
}

/// A test director with the console `notls` and `fault`.
fn notls_with_fault(fault: FaultSpec) -> TestDirector {
    start(TestDirector::builder().console(notls()).fault(fault))
}

/// How many of the commands `td` received satisfy `matches`.
fn received_count(td: &TestDirector, matches: impl Fn(&[u8]) -> bool) -> usize {
    td.received_commands()
        .iter()
        .filter(|frame| frame.data().is_some_and(&matches))
        .count()
}

fn start(builder: bareos_testkit::TestDirectorBuilder) -> TestDirector {
    builder.start().expect("test director starts")
}

#[tokio::test]
async fn tls13_psk_default_console() {
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td)).await;
    assert!(director.is_encrypted());
    let cipher = director.cipher().unwrap();
    assert_eq!(cipher.version, "TLSv1.3");
    assert!(cipher.cipher.ends_with("SHA256"), "{cipher:?}");
    assert_eq!(director.welcome().director, "bareos-dir");
    let whoami = director.call("whoami").await.unwrap();
    assert_eq!(whoami.bytes(), b"root\n");
    director.close().await;
}

#[tokio::test]
async fn tls12_psk_named_console() {
    let td = start(TestDirector::builder().console(ConsoleSpec::new("admin", "secret")));
    let config = named(&td, "admin", "secret").tls_max_version(TlsVersion::Tls12);
    let mut director = login(config).await;
    let cipher = director.cipher().unwrap().clone();
    assert_eq!(cipher.version, "TLSv1.2");
    assert!(cipher.cipher.contains("PSK"), "{cipher:?}");
    assert_eq!(director.call_text("whoami").await.unwrap(), "admin\n");
}

#[tokio::test]
async fn console_name_with_space_is_bashed() {
    let td = start(
        TestDirector::builder()
            .console(ConsoleSpec::new("admin notls", "secret").tls(TlsPolicy::None)),
    );
    for tls in [TlsMode::Required, TlsMode::Disabled] {
        let config = named(&td, "admin notls", "secret").tls(tls);
        let mut director = login(config).await;
        assert_eq!(director.call_text("whoami").await.unwrap(), "admin notls\n");
    }
}

#[tokio::test]
async fn cleartext_only_when_asked_and_allowed() {
    let td = start(
        TestDirector::builder()
            .console(notls())
            .console(ConsoleSpec::new("tlsonly", "secret")),
    );
    let mut director = login(named(&td, "notls", "secret").tls(TlsMode::Disabled)).await;
    assert!(!director.is_encrypted());
    assert!(director.cipher().is_none());
    assert_eq!(director.call_text("whoami").await.unwrap(), "notls\n");

    // A v2 cleartext hello to a TLS console is refused before authentication.
    let error = login_error(named(&td, "tlsonly", "secret").tls(TlsMode::Disabled)).await;
    assert!(error.is_auth() && error.is_refused_before_auth(), "{error}");
    assert!(
        error.to_string().contains("refused before authentication"),
        "{error}"
    );
}

#[tokio::test]
async fn prefer_falls_back_visibly_and_required_never_does() {
    let td = notls_with_fault(FaultSpec::login(Fault::TlsHandshakeFailure));
    let error = login_error(named(&td, "notls", "secret")).await;
    assert!(error.is_tls(), "{error}");

    let mut director = login(named(&td, "notls", "secret").tls(TlsMode::Prefer)).await;
    assert!(!director.is_encrypted(), "fallback must be visible");
    assert!(director.cipher().is_none());
    assert_eq!(director.call_text("whoami").await.unwrap(), "notls\n");
}

#[tokio::test]
async fn wrong_password_and_unknown_console() {
    let td = start(
        TestDirector::builder()
            .console(ConsoleSpec::new("admin", "secret"))
            .console(notls()),
    );
    // Under TLS-PSK a wrong key or an unknown name fails the handshake, with the TLS
    // alert telling which (TLS 1.3 and 1.2 alike).
    for max in [TlsVersion::Tls13, TlsVersion::Tls12] {
        let error = login_error(named(&td, "admin", "wrong").tls_max_version(max)).await;
        assert!(error.is_tls() && error.is_auth(), "{error}");
        assert!(
            error.to_string().contains("password for 'admin' is wrong"),
            "{error}"
        );
        let error = login_error(named(&td, "nobody", "secret").tls_max_version(max)).await;
        assert!(error.is_tls() && error.is_auth(), "{error}");
        assert!(error.to_string().contains("'nobody' is unknown"), "{error}");
    }
    // Wrong credentials are no reason to fall back to cleartext, even with Prefer.
    let error = login_error(named(&td, "notls", "wrong").tls(TlsMode::Prefer)).await;
    assert!(error.is_tls() && error.is_auth(), "{error}");

    // In cleartext the director rejects the CRAM-MD5 answer.
    let started = Instant::now();
    let error = login_error(named(&td, "notls", "wrong").tls(TlsMode::Disabled)).await;
    assert!(error.is_auth() && !error.is_pam(), "{error}");
    assert!(!error.is_refused_before_auth(), "{error}");
    assert!(error.to_string().contains("console 'notls'"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let error = login_error(named(&td, "nobody", "x").tls(TlsMode::Disabled)).await;
    assert!(error.is_auth(), "{error}");
}

#[tokio::test]
async fn impostor_director_is_detected() {
    let td = notls_with_fault(FaultSpec::login(Fault::WrongCramAnswer));
    let error = login_error(named(&td, "notls", "secret").tls(TlsMode::Disabled)).await;
    assert!(error.is_auth(), "{error}");
    assert!(
        error
            .to_string()
            .contains("failed to prove it knows the password"),
        "{error}"
    );
}

#[tokio::test]
async fn pam_ok_failed_missing_and_cleartext() {
    let td = start(
        TestDirector::builder()
            .console(
                ConsoleSpec::new("pamcon", "secret")
                    .pam(true)
                    .tls(TlsPolicy::None),
            )
            .console(ConsoleSpec::new("plain", "secret"))
            .pam_user("alice", "pa55"),
    );
    let pam = named(&td, "pamcon", "secret");
    let mut director = login(pam.clone().pam("alice", "pa55")).await;
    assert_eq!(director.call_text("whoami").await.unwrap(), "alice\n");

    let error = login_error(pam.clone().pam("alice", "nope")).await;
    assert!(error.is_pam(), "{error}");
    assert!(error
        .to_string()
        .contains("PAM authentication failed for user 'alice'"));
    assert!(!error.to_string().contains("nope"));

    let error = login_error(pam.clone()).await;
    assert!(
        error.is_pam() && error.to_string().contains("no PAM username"),
        "{error}"
    );

    let cleartext = pam.clone().pam("alice", "pa55").tls(TlsMode::Disabled);
    let error = login_error(cleartext.clone()).await;
    assert!(
        error.is_pam() && error.to_string().contains("unencrypted"),
        "{error}"
    );
    let mut director = login(cleartext.allow_cleartext_pam(true)).await;
    assert_eq!(director.call_text("whoami").await.unwrap(), "alice\n");

    let error = login_error(named(&td, "plain", "secret").pam("alice", "pa55")).await;
    assert!(
        error.is_pam() && error.to_string().contains("does not use PAM"),
        "{error}"
    );
}

#[tokio::test]
async fn protocol_version_1() {
    // A director whose default console has TLS enabled but not required lets a
    // protocol-1 hello through in cleartext (transcripts 01 and 02).
    let td = start(TestDirector::builder().default_console_tls(TlsPolicy::Enabled));
    let config = default_console(&td)
        .protocol(ProtocolVersion::V1)
        .tls(TlsMode::Disabled);
    let mut director = login(config).await;
    assert!(!director.is_encrypted());
    assert_eq!(director.protocol_version(), ProtocolVersion::V1);
    assert_eq!(director.welcome().director, "bareos-dir");
    assert_eq!(director.call_text("whoami").await.unwrap(), "root\n");

    // With TLS required, the director refuses the console after CRAM-MD5.
    let td = start(TestDirector::builder());
    let config = default_console(&td)
        .protocol(ProtocolVersion::V1)
        .tls(TlsMode::Disabled);
    let error = login_error(config.clone()).await;
    assert!(
        error.is_auth() && error.to_string().contains("not authorized"),
        "{error}"
    );
    // Protocol 1 inside TLS-PSK works.
    let mut director = login(config.tls(TlsMode::Required)).await;
    assert!(director.is_encrypted());
    assert_eq!(director.call_text("whoami").await.unwrap(), "root\n");
}

#[tokio::test]
async fn json_result_and_error() {
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td).json(true)).await;
    let result = director.call_json("whoami").await.unwrap();
    assert_eq!(result["whoami"], "root");
    let pools = director.call_json("list pools").await.unwrap();
    assert!(pools["pools"].is_array(), "{pools}");

    let error = director.call_json("thisisnotacommand").await.unwrap_err();
    assert!(error.is_director_error(), "{error}");
    assert_eq!(
        error.director_messages(),
        ["thisisnotacommand: is an invalid command."]
    );
    assert!(error.json_rpc_error().is_some());
    // The connection is still in sync afterwards.
    assert_eq!(
        director.call_json("whoami").await.unwrap()["whoami"],
        "root"
    );

    // `.api 2` is sent once per connection, not before every command.
    let api_commands = received_count(&td, |d| d.starts_with(b".api"));
    assert_eq!(api_commands, 1);
}

#[tokio::test]
async fn json_text_is_the_envelope_as_sent() {
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td)).await;
    for command in ["list pools", "thisisnotacommand"] {
        let text = director.call_json_text(command).await.unwrap();
        let parsed = director.call_json_reply(command).await.unwrap();
        let value: serde_json::Value = serde_json::from_str(&text.envelope).unwrap();
        assert_eq!(value, parsed.envelope, "{command}");
        assert_eq!(text.leading_text, parsed.leading_text);
    }
    let whoami = director.call_json_text("whoami").await.unwrap();
    assert!(whoami.envelope.contains(r#""whoami":"root""#), "{whoami:?}");
}

#[tokio::test]
async fn json_raw_is_the_result_as_call_json_gives_it() {
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td)).await;
    for command in ["list pools", "version", "whoami", "list jobs"] {
        let raw = director.call_json_raw(command).await.unwrap();
        let value = director.call_json(command).await.unwrap();
        let reparsed: serde_json::Value = serde_json::from_str(raw.get()).unwrap();
        assert_eq!(reparsed, value, "{command}");
    }
    // A JSON error: the same error as call_json, and the connection stays usable.
    let raw = director
        .call_json_raw("thisisnotacommand")
        .await
        .unwrap_err();
    let parsed = director.call_json("thisisnotacommand").await.unwrap_err();
    assert!(raw.is_director_error(), "{raw}");
    assert_eq!(raw.to_string(), parsed.to_string());
    assert_eq!(raw.director_messages(), parsed.director_messages());
    let whoami = director.call_json_raw("whoami").await.unwrap();
    assert_eq!(whoami.get(), r#"{"whoami":"root"}"#);
}

#[tokio::test]
async fn selection_prompt_answer_and_cancel() {
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td)).await;
    let reply = director.call("status client").await.unwrap();
    let prompt = reply.prompt().expect("prompt");
    assert_eq!(prompt.kind, PromptKind::Selection);
    assert!(director.at_prompt());
    assert!(director.call("version").await.unwrap_err().is_usage());
    let status = director.answer("1").await.unwrap();
    assert!(!status.is_prompt());
    assert!(status.text().contains("bareos-fd"), "{}", status.text());

    let reply = director.call("status client").await.unwrap();
    assert!(reply.is_prompt());
    let cancelled = director.cancel_prompt().await.unwrap();
    assert!(!cancelled.is_prompt());
    assert_eq!(director.call_text("whoami").await.unwrap(), "root\n");
}

#[test]
fn blocking_client_works() {
    let td = start(TestDirector::builder());
    let mut director = bareos::blocking::Director::connect(default_console(&td)).unwrap();
    assert!(director.is_encrypted());
    assert!(director
        .call_text("version")
        .unwrap()
        .contains("bareos-dir"));
    assert_eq!(director.call_json("whoami").unwrap()["whoami"], "root");
    director.close();
}

#[tokio::test]
async fn reconnect_never_replays() {
    let td = start(
        TestDirector::builder().fault(
            FaultSpec::on_command(
                "status director",
                Fault::CloseMidFrame {
                    announced: 100,
                    sent: 10,
                },
            )
            .once(),
        ),
    );
    let mut director = login(default_console(&td).json(true)).await;
    let error = director.call_json("status director").await.unwrap_err();
    assert!(error.is_connection_lost(), "{error}");
    let error = director.call_json("whoami").await.unwrap_err();
    assert!(error.is_connection_lost(), "{error}");
    director.reconnect().await.unwrap();
    assert_eq!(director.api_mode(), bareos::ApiMode::Json);
    assert_eq!(
        director.call_json("whoami").await.unwrap()["whoami"],
        "root"
    );
    let status_commands = received_count(&td, |d| d == b"status director");
    assert_eq!(
        status_commands, 1,
        "the failed command must not be replayed"
    );
}

#[tokio::test]
async fn secrets_never_in_debug_or_errors() {
    let td = start(TestDirector::builder().console(ConsoleSpec::new("admin", "s3cr3t-pass")));
    let config = named(&td, "admin", "s3cr3t-pass").pam("alice", "pam-s3cr3t");
    let key = Password::new("s3cr3t-pass").md5_hex().to_string();
    let director = Director::connect(config.clone()).await;
    let text = match &director {
        Ok(d) => format!("{d:?} {config:?}"),
        Err(e) => format!("{e} {e:?} {config:?}"),
    };
    for secret in ["s3cr3t-pass", "pam-s3cr3t", key.as_str()] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[tokio::test]
async fn buffered_results_are_capped() {
    let td = TestDirector::builder().start().unwrap();
    let mut client = login(default_console(&td).max_result_size(1024 * 1024)).await;
    let error = client
        .call(".testkit output size=3000000")
        .await
        .unwrap_err();
    assert!(error.is_too_large(), "{error}");
    assert!(error.to_string().contains("max_result_size"), "{error}");

    let mut client = login(default_console(&td)).await;
    let reply = client.call(".testkit output size=3000000").await.unwrap();
    assert_eq!(reply.bytes().len(), 3_000_000);
    let json = client
        .call_json(".testkit output size=2500000 json")
        .await
        .unwrap();
    assert!(
        json.is_object(),
        "a JSON document split over frames is reassembled"
    );
}

#[tokio::test]
async fn protocol_fallback_only_from_a_refused_cleartext_hello() {
    let td = start(
        TestDirector::builder()
            .console(ConsoleSpec::new("tlsopt", "secret").tls(TlsPolicy::Enabled))
            .console(notls())
            .fault(FaultSpec::login(Fault::TlsHandshakeFailure)),
    );
    // Cleartext protocol 2 to a console with TLS enabled (not required): refused before
    // authentication; with the fallback, protocol 1 in cleartext gets in.
    let cleartext = named(&td, "tlsopt", "secret").tls(TlsMode::Disabled);
    let error = login_error(cleartext.clone()).await;
    assert!(error.is_refused_before_auth(), "{error}");
    let mut director = login(cleartext.protocol_fallback(true)).await;
    assert_eq!(director.protocol_version(), ProtocolVersion::V1);
    assert!(!director.is_encrypted());
    assert_eq!(director.call_text("whoami").await.unwrap(), "tlsopt\n");
    // A reconnect keeps what worked.
    director.reconnect().await.unwrap();
    assert_eq!(director.protocol_version(), ProtocolVersion::V1);
    director.close().await;

    // Prefer: the TLS handshake fails, cleartext protocol 2 is refused, protocol 1 works.
    let fallback = |tls| {
        named(&td, "tlsopt", "secret")
            .tls(tls)
            .protocol_fallback(true)
    };
    let director = login(fallback(TlsMode::Prefer)).await;
    assert_eq!(director.protocol_version(), ProtocolVersion::V1);
    director.close().await;

    // Never with TLS required, never after a wrong password.
    let error = login_error(fallback(TlsMode::Required)).await;
    assert!(error.is_tls(), "{error}");
    let wrong = named(&td, "notls", "wrong")
        .tls(TlsMode::Disabled)
        .protocol_fallback(true);
    let error = login_error(wrong).await;
    assert!(
        error.is_auth() && !error.is_refused_before_auth(),
        "{error}"
    );
}

#[tokio::test]
async fn commands_may_run_longer_than_any_default_deadline() {
    // No read timeout by default: the director may think for as long as it needs.
    let td = notls_with_fault(FaultSpec::on_command(
        "wait",
        Fault::Delay(Duration::from_secs(3)),
    ));
    let config = Config::new("127.0.0.1")
        .port(td.port())
        .name("notls")
        .password(Password::new("secret"))
        .tls(TlsMode::Disabled);
    let mut director = login(config).await;
    let started = Instant::now();
    director.call("wait").await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(3));
    // An explicit deadline still applies.
    director.set_call_timeout(Some(Duration::from_millis(500)));
    let error = director.call("wait").await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn abbreviated_commands_act_as_the_director_runs_them() {
    let td = start(TestDirector::builder());
    for quit in ["q", "qu", "QUIT", "ex", ".q"] {
        let mut director = login(default_console(&td)).await;
        let reply = director.call(quit).await;
        assert!(reply.is_ok(), "{quit}: {reply:?}");
        let after = director.call("version").await.unwrap_err();
        assert!(
            after.to_string().contains("session has ended"),
            "{quit}: {after}"
        );
    }

    let mut director = login(default_console(&td)).await;
    // `que` is `query`, not `quit`: the session goes on.
    director.call("que").await.unwrap();
    director.cancel_prompt().await.ok();
    director.call(".ap 2").await.unwrap();
    assert_eq!(director.api_mode(), bareos::ApiMode::Json);
    assert_eq!(
        director.call_json("whoami").await.unwrap()["whoami"],
        "root"
    );
    director.call(".api 0").await.unwrap();
    assert_eq!(director.api_mode(), bareos::ApiMode::Text);
    assert_eq!(director.call_text("whoami").await.unwrap(), "root\n");
}

#[tokio::test]
async fn error_kinds_tell_the_cases_apart() {
    use bareos::ErrorKind;
    let td = start(TestDirector::builder());
    let mut director = login(default_console(&td).json(true)).await;
    let error = director
        .call_json("run job=backup-bareos-fd")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedPrompt, "{error}");
    assert!(error.is_protocol());
    let error = director.call_json("frobnicate").await;
    assert!(error.is_err());

    let error = login_error(named(&td, "admin", "wrong")).await;
    assert!(
        matches!(error.kind(), ErrorKind::Auth | ErrorKind::TlsAuth),
        "{error:?}"
    );
    let error = login_error(default_console(&td).port(1)).await;
    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
}
