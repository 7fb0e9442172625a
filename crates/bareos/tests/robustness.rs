//! Every fault of the test director, one after the other in one test (file descriptors
//! and threads are counted for the whole process): the right error kind, within its
//! deadline, no panic, no leaked socket or thread, and the next connection works.
//! (faults.rs checks the error messages in detail; this file checks what is left behind.)

mod common;

use bareos::{Config, Director, Error, Password, TlsMode};
use bareos_testkit::{ConsoleSpec, Fault, FaultPoint, FaultSpec, TestDirector, TlsPolicy};
use common::{open_fds, settles, threads};
use std::time::{Duration, Instant};

fn config(td: &TestDirector, tls: TlsMode) -> Config {
    Config::new("127.0.0.1")
        .port(td.port())
        .name("admin")
        .password(Password::new("secret"))
        .tls(tls)
        .connect_timeout(Duration::from_secs(2))
        .login_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_millis(500))
}

/// What a case expects.
#[derive(Clone, Copy)]
enum Expect {
    Kind(fn(&Error) -> bool, &'static str),
    /// The call succeeds with this text (the fault is invisible or harmless).
    Text(&'static str),
}

struct Case {
    name: &'static str,
    fault: FaultSpec,
    /// Fails during login rather than in the call.
    at_login: bool,
    tls: TlsMode,
    json: bool,
    command: &'static str,
    call_timeout: Option<Duration>,
    /// Generous upper bound on the time to the error.
    within: Duration,
    expect: Expect,
}

fn case(name: &'static str, fault: FaultSpec, expect: Expect) -> Case {
    Case {
        name,
        fault,
        at_login: false,
        tls: TlsMode::Required,
        json: false,
        command: "version",
        call_timeout: None,
        within: Duration::from_secs(3),
        expect,
    }
}

impl Case {
    /// The case fails during login rather than in the call.
    fn at_login(self) -> Self {
        Case {
            at_login: true,
            ..self
        }
    }
}

fn cases() -> Vec<Case> {
    let lost = Expect::Kind(Error::is_connection_lost, "connection lost");
    let protocol = Expect::Kind(Error::is_protocol, "protocol");
    let timeout = Expect::Kind(Error::is_timeout, "timeout");
    vec![
        case(
            "close mid-frame",
            FaultSpec::on_command(
                "version",
                Fault::CloseMidFrame {
                    announced: 500,
                    sent: 20,
                },
            ),
            lost,
        ),
        case(
            "close mid-login",
            FaultSpec::login(Fault::CloseMidLogin),
            lost,
        )
        .at_login(),
        case(
            "stall before the challenge",
            FaultSpec::new(FaultPoint::BeforeChallenge, Fault::Stall),
            timeout,
        )
        .at_login(),
        case(
            "stall mid-result",
            FaultSpec::on_command("version", Fault::Stall),
            timeout,
        ),
        case(
            "oversized header",
            FaultSpec::on_command("version", Fault::OversizedHeader),
            protocol,
        ),
        // A signal code no daemon knows, inside a response: skipped.
        Case {
            command: "whoami",
            ..case(
                "negative unknown signal",
                FaultSpec::on_command("whoami", Fault::UnknownSignal(-4242)),
                Expect::Text("admin\n"),
            )
        },
        case(
            "garbage",
            FaultSpec::on_command("version", Fault::garbage()),
            protocol,
        ),
        Case {
            tls: TlsMode::Disabled,
            ..case(
                "impostor director",
                FaultSpec::login(Fault::WrongCramAnswer),
                Expect::Kind(Error::is_auth, "auth"),
            )
            .at_login()
        },
        case(
            "TLS handshake failure",
            FaultSpec::login(Fault::TlsHandshakeFailure),
            Expect::Kind(Error::is_tls, "tls"),
        )
        .at_login(),
        Case {
            call_timeout: Some(Duration::from_millis(300)),
            ..case(
                "trickle of 1 byte per 50 ms",
                FaultSpec::on_command("version", Fault::SlowTrickle(Duration::from_millis(50))),
                timeout,
            )
        },
        // Another command's output in text mode cannot be told apart from the right
        // one: the library returns it, and stays in sync for the next command.
        case(
            "other command's output (text)",
            FaultSpec::on_command("version", Fault::WrongOutput("whoami".into())),
            Expect::Text("admin\n"),
        ),
        // In JSON mode, a director that answers in text (here: it switched to API 1
        // behind our back) is detected: a protocol error with the raw reply kept.
        Case {
            json: true,
            command: "list jobs",
            ..case(
                "other command's output (text where JSON is expected)",
                FaultSpec::on_command("list jobs", Fault::WrongOutput(".api 1".into())),
                protocol,
            )
        },
    ]
}

async fn run(case: &Case, td: &TestDirector) {
    let mut config = config(td, case.tls).call_timeout(case.call_timeout);
    if case.json && !case.at_login {
        config = config.json(true);
    }
    let started = Instant::now();
    let outcome = async {
        let mut director = Director::connect(config).await?;
        assert!(
            !case.at_login,
            "{}: the login should have failed",
            case.name
        );
        let result = if case.json {
            director
                .call_json(case.command)
                .await
                .map(|v| v.to_string())
        } else {
            director.call_text(case.command).await
        };
        // The connection is closed before the next one is tried.
        director.close().await;
        result
    }
    .await;
    let elapsed = started.elapsed();
    assert!(
        elapsed < case.within,
        "{}: took {elapsed:?} (bound {:?})",
        case.name,
        case.within
    );
    match (&case.expect, outcome) {
        (Expect::Kind(is, kind), Err(error)) => {
            assert!(
                is(&error),
                "{}: expected a {kind} error, got {error:?}",
                case.name
            )
        }
        (Expect::Kind(_, kind), Ok(text)) => {
            panic!("{}: expected a {kind} error, got {text:?}", case.name)
        }
        (Expect::Text(want), Ok(text)) => assert_eq!(&text, want, "{}", case.name),
        (Expect::Text(_), Err(error)) => panic!("{}: {error:?}", case.name),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_fails_cleanly_and_leaves_nothing_behind() {
    // Warm up OpenSSL and the runtime so their one-time allocations are not counted.
    {
        let td = TestDirector::builder()
            .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
            .start()
            .unwrap();
        let mut director = Director::connect(config(&td, TlsMode::Required))
            .await
            .unwrap();
        director.call("version").await.unwrap();
        director.close().await;
    }
    for case in cases() {
        let fds = open_fds();
        let tasks = threads();
        let td = TestDirector::builder()
            .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
            .fault(case.fault.clone().once())
            .start()
            .unwrap();
        run(&case, &td).await;

        // The next connection works, in the same mode.
        let mut director = Director::connect(config(&td, case.tls).json(case.json))
            .await
            .unwrap_or_else(|e| panic!("{}: next connection: {e:?}", case.name));
        if case.json {
            assert!(
                director.call_json("list jobs").await.is_ok(),
                "{}",
                case.name
            );
        } else {
            assert_eq!(
                director.call_text("whoami").await.unwrap(),
                "admin\n",
                "{}",
                case.name
            );
        }
        director.close().await;
        drop(td);

        // (Blocking this worker briefly is fine here; `spawn_blocking` would itself
        // start a thread.)
        let after = (settles(open_fds, fds), settles(threads, tasks));
        assert!(
            after.0 <= fds,
            "{}: {} file descriptors before, {} after",
            case.name,
            fds,
            after.0
        );
        assert!(
            after.1 <= tasks,
            "{}: {} threads before, {} after",
            case.name,
            tasks,
            after.1
        );
    }
}
