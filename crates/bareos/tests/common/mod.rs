//! Helpers shared by the client's integration tests.
#![allow(dead_code)]

use bareos::{Config, Password};
use std::time::{Duration, Instant};

/// A config for the test director's default console (password `dir_password`) on
/// loopback `port`; each test adds its own deadlines.
pub fn default_console(port: u16) -> Config {
    Config::new("127.0.0.1")
        .port(port)
        .password(Password::new("dir_password"))
}

/// [`default_console`] of `director` with the deadlines of the fault tests: 2 s to log
/// in, 500 ms for each read.
pub fn fault_console(director: &bareos_testkit::TestDirector) -> Config {
    default_console(director.port())
        .login_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_millis(500))
}

/// A test director that injects `fault` once.
pub fn with_fault(fault: bareos_testkit::FaultSpec) -> bareos_testkit::TestDirector {
    bareos_testkit::TestDirector::builder()
        .fault(fault.once())
        .start()
        .unwrap()
}

/// The number of file descriptors this process has open.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// The number of threads of this process.
pub fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// Waits (up to 5 s) for `count` to come back to `baseline`; returns the last count.
pub fn settles(count: fn() -> usize, baseline: usize) -> usize {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let now = count();
        if now <= baseline || Instant::now() > until {
            return now;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
