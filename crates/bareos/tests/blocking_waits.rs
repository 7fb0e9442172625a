//! The blocking clients wait in the socket's own blocking calls, not in the reactor:
//! every deadline still ends its wait, over TLS-PSK and in cleartext, and nothing that
//! has arrived is lost at one.

mod common;

use bareos::{blocking, TlsMode};
use bareos_testkit::{Fault, FaultPoint, FaultSpec, TestDirector, TlsPolicy};
use std::time::{Duration, Instant};

use common::{fault_console, with_fault};

fn cleartext_director() -> TestDirector {
    TestDirector::builder()
        .default_console_tls(TlsPolicy::None)
        .start()
        .unwrap()
}

/// Runs `test` on its own thread and fails if it takes longer than a minute: a wait
/// that never ends is a failure here, not a hang of the whole test run.
fn bounded(test: impl FnOnce() + Send + 'static) {
    let limit = Duration::from_secs(60);
    let (done, finished) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(limit) {
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("still waiting after {limit:?}"),
        _ => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

/// Asserts that `took` is at least `at_least` (the deadline was not cut short) and less
/// than `below` (it ended the wait).
fn assert_between(took: Duration, at_least: Duration, below: Duration) {
    assert!(took >= at_least && took < below, "{took:?}");
}

#[test]
fn a_stalled_result_ends_at_the_read_timeout() {
    bounded(|| {
        let td = with_fault(FaultSpec::on_command("status director", Fault::Stall));
        let mut client = blocking::Director::connect(fault_console(&td)).unwrap();
        let started = Instant::now();
        let error = client.call("status director").unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert_between(
            started.elapsed(),
            Duration::from_millis(500),
            Duration::from_millis(1200),
        );
        assert!(client.call("whoami").unwrap_err().is_connection_lost());
        let mut next = blocking::Director::connect(fault_console(&td)).unwrap();
        assert_eq!(next.call_text("whoami").unwrap(), "root\n");
    });
}

#[test]
fn a_far_call_deadline_is_kept_across_socket_timeout_steps() {
    bounded(|| {
        // Longer than one socket timeout step (1 s): the wait is checked and resumed.
        let td = with_fault(FaultSpec::on_command("status director", Fault::Stall));
        let deadline = Duration::from_millis(2300);
        let config = fault_console(&td).read_timeout(None).call_timeout(deadline);
        let mut client = blocking::Director::connect(config).unwrap();
        let started = Instant::now();
        let error = client.call("status director").unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert_between(
            started.elapsed(),
            deadline,
            deadline + Duration::from_millis(700),
        );
    });
}

#[test]
fn a_slow_trickle_is_read_to_its_end_but_the_call_deadline_holds() {
    bounded(|| {
        let trickle = Fault::SlowTrickle(Duration::from_millis(50));
        let td = TestDirector::builder()
            .fault(FaultSpec::on_command("whoami", trickle))
            .start()
            .unwrap();
        let mut client = blocking::Director::connect(fault_console(&td)).unwrap();
        assert_eq!(client.call_text("whoami").unwrap(), "root\n");

        let short = Duration::from_millis(200);
        let mut client =
            blocking::Director::connect(fault_console(&td).call_timeout(short)).unwrap();
        let started = Instant::now();
        let error = client.call("whoami").unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert_between(started.elapsed(), short, Duration::from_millis(900));
    });
}

#[test]
fn a_stalled_login_ends_at_the_login_timeout() {
    bounded(|| {
        let td = with_fault(FaultSpec::new(FaultPoint::BeforeChallenge, Fault::Stall));
        let started = Instant::now();
        let error = blocking::Director::connect(fault_console(&td).read_timeout(None)).unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert_between(
            started.elapsed(),
            Duration::from_secs(2),
            Duration::from_millis(2800),
        );
    });
}

#[test]
fn a_peer_that_never_answers_the_tls_handshake_ends_at_the_login_timeout() {
    bounded(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let holder = std::thread::spawn(move || {
            let (socket, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_secs(3));
            drop(socket);
        });
        let config = common::default_console(port)
            .tls(TlsMode::Required)
            .login_timeout(Duration::from_millis(400));
        let started = Instant::now();
        let error = blocking::Director::connect(config).unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert_between(
            started.elapsed(),
            Duration::from_millis(400),
            Duration::from_millis(1200),
        );
        holder.join().unwrap();
    });
}

#[test]
fn has_data_looks_without_waiting_or_waits_as_long_as_asked() {
    bounded(|| {
        let tls_psk = TestDirector::builder().start().unwrap();
        for (td, tls) in [
            (tls_psk, TlsMode::Required),
            (cleartext_director(), TlsMode::Disabled),
        ] {
            let mut client = blocking::Director::connect(fault_console(&td).tls(tls)).unwrap();
            assert!(!client.has_data(Duration::ZERO).unwrap());
            let started = Instant::now();
            assert!(!client.has_data(Duration::from_millis(150)).unwrap());
            assert_between(
                started.elapsed(),
                Duration::from_millis(150),
                Duration::from_secs(1),
            );
            client.send("version").unwrap();
            assert!(client.has_data(Duration::from_secs(2)).unwrap());
            // What arrived stays for the read, and a look at a deadline already passed
            // still sees it.
            std::thread::sleep(Duration::from_millis(50));
            assert!(client.has_data(Duration::ZERO).unwrap());
            let reply = client.read_response().unwrap();
            assert!(reply.text().contains("Version"), "{}", reply.text());
            // The socket waits without a deadline again afterwards.
            assert_eq!(client.call_text("whoami").unwrap(), "root\n");
        }
    });
}

#[test]
fn commands_after_a_timed_look_wait_as_long_as_they_take() {
    bounded(|| {
        // A deadline set for one wait must not stay on the socket for the next.
        let trickle = Fault::SlowTrickle(Duration::from_millis(30));
        let td = TestDirector::builder()
            .fault(FaultSpec::on_command("whoami", trickle))
            .start()
            .unwrap();
        let config = fault_console(&td).read_timeout(None);
        let mut client = blocking::Director::connect(config).unwrap();
        assert!(!client.has_data(Duration::from_millis(20)).unwrap());
        assert_eq!(client.call_text("whoami").unwrap(), "root\n");
    });
}

#[test]
fn limits_too_long_for_an_instant_mean_no_limit() {
    bounded(|| {
        let td = TestDirector::builder().start().unwrap();
        let forever = common::default_console(td.port())
            .login_timeout(Duration::MAX)
            .read_timeout(Duration::MAX)
            .call_timeout(Duration::MAX);
        let mut client = blocking::Director::connect(forever.clone()).unwrap();
        assert_eq!(client.call_text("whoami").unwrap(), "root\n");
        client.send("version").unwrap();
        assert!(client.has_data(Duration::MAX).unwrap());
        assert!(client.read_response().unwrap().text().contains("Version"));
        // The async client takes the same limits.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut client = bareos::Director::connect(forever).await.unwrap();
            assert_eq!(client.call_text("whoami").await.unwrap(), "root\n");
        });
    });
}

/// The CPU time this thread has used (utime + stime of /proc/thread-self/stat).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// Sets O_NONBLOCK on the client's socket through its descriptor, as a caller that
/// `select`s on `raw_fd` may do.
fn make_non_blocking(fd: i32) {
    // SAFETY: `fd` is the client's open socket, which outlives this call.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    socket2::SockRef::from(&fd).set_nonblocking(true).unwrap();
}

#[test]
fn a_socket_made_non_blocking_through_its_descriptor_still_waits_without_spinning() {
    bounded(|| {
        let delay = Fault::Delay(Duration::from_millis(600));
        let td = TestDirector::builder()
            .default_console_tls(TlsPolicy::None)
            .fault(FaultSpec::on_command("whoami", delay))
            .start()
            .unwrap();
        for tls in [TlsMode::Disabled, TlsMode::Required] {
            // Without a deadline: the reply is not there yet when the first read looks.
            let mut client =
                blocking::Director::connect(fault_console(&td).read_timeout(None).tls(tls))
                    .unwrap();
            make_non_blocking(client.raw_fd());
            assert!(client.call_text("version").unwrap().contains("Version"));
            // With one: a reply 600 ms late is waited for, not polled for.
            let mut client = blocking::Director::connect(
                fault_console(&td)
                    .read_timeout(Duration::from_secs(5))
                    .tls(tls),
            )
            .unwrap();
            make_non_blocking(client.raw_fd());
            let cpu = thread_cpu();
            assert_eq!(client.call_text("whoami").unwrap(), "root\n");
            let spent = thread_cpu() - cpu;
            assert!(
                spent < Duration::from_millis(300),
                "{spent:?} of CPU in a 600 ms wait"
            );
        }
    });
}
