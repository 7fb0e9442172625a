//! 200 concurrent TLS-PSK sessions, each in a bounded request loop, against the test
//! director: no error, and no growth of open file descriptors or memory afterwards.
//!
//! Runs 10 s by default (enough for some 100,000 commands on two cores, and bounded for
//! CI); `BAREOS_LOAD_SECS=30` runs the full 30 s.

mod common;

use bareos::Director;
use bareos_testkit::TestDirector;
use common::{default_console, open_fds, settles};
use std::time::{Duration, Instant};

const SESSIONS: usize = 200;

/// Resident set size in bytes (from /proc/self/statm).
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Runs `SESSIONS` sessions until `until`; returns the number of commands.
async fn load(port: u16, until: Instant) -> usize {
    let mut tasks = Vec::new();
    for i in 0..SESSIONS {
        let config = default_console(port)
            .login_timeout(Duration::from_secs(60))
            .read_timeout(Duration::from_secs(30))
            .json(i % 2 == 1);
        tasks.push(tokio::spawn(async move {
            let mut director = Director::connect(config).await.expect("login");
            let mut commands = 0usize;
            // A bounded loop: at most 10,000 commands per session.
            while Instant::now() < until && commands < 10_000 {
                if i % 2 == 1 {
                    let jobs = director.call_json("list jobs").await.expect("list jobs");
                    assert!(jobs.get("jobs").is_some(), "{jobs}");
                } else {
                    let text = director.call_text("whoami").await.expect("whoami");
                    assert_eq!(text, "root\n");
                }
                commands += 1;
            }
            director.close().await;
            commands
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("session task");
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sessions_without_errors_or_growth() {
    let seconds: u64 = std::env::var("BAREOS_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let td = TestDirector::builder().start().unwrap();
    // Warm-up: allocator pools, OpenSSL tables and runtime workers reach their working
    // size, and the in-process director's record of frames (capped at 100,000) fills,
    // before the baseline is taken.
    for _ in 0..5 {
        load(td.port(), Instant::now() + Duration::from_secs(1)).await;
        if td.recorded().len() >= 100_000 {
            break;
        }
    }
    let fds = settles(open_fds, usize::MAX);
    let fds = settles(open_fds, fds);
    let memory = rss();

    let commands = load(td.port(), Instant::now() + Duration::from_secs(seconds)).await;
    assert!(commands >= SESSIONS, "{commands} commands");

    let after = settles(open_fds, fds);
    assert!(after <= fds, "{fds} file descriptors before, {after} after");
    let grown = rss().saturating_sub(memory);
    assert!(
        grown < 16 * 1024 * 1024,
        "resident memory grew by {} MiB over {commands} commands",
        grown / (1024 * 1024)
    );
    eprintln!(
        "{commands} commands in {seconds} s over {SESSIONS} sessions; RSS {} MiB -> {} MiB",
        memory / (1024 * 1024),
        rss() / (1024 * 1024)
    );
}
