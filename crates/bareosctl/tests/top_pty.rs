//! `bareosctl top` in a pseudo-terminal of 120x40, its screen rebuilt by a terminal
//! emulator: job progress between two screens, cancel with its confirmation, quit, a
//! director that goes away and comes back, a stalled director, a console with ACLs.

mod common;

use bareos_testkit::{ConsoleSpec, Fault, FaultSpec, TestDirector, TestDirectorBuilder};
use common::*;
use expectrl::Session;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 40;

/// The program in a PTY and the screen it drew.
struct Screen {
    session: Session,
    parser: vt100::Parser,
}

impl Screen {
    fn spawn(home: &Path, port: u16, extra: &[&str]) -> Screen {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bareosctl"));
        cmd.args(["--address", "127.0.0.1", "--port", &port.to_string()])
            .args(extra)
            .args(["top", "--interval", "1"])
            .env("HOME", home)
            .env("TERM", "xterm-256color")
            .env_remove("RUST_LOG");
        if !extra.contains(&"--name") {
            cmd.env("BAREOS_PASSWORD", DIR_PASSWORD);
        }
        let mut session = Session::spawn(cmd).expect("spawn in a pty");
        session
            .get_process_mut()
            .set_window_size(COLS, ROWS)
            .unwrap();
        Screen {
            session,
            parser: vt100::Parser::new(ROWS, COLS, 0),
        }
    }

    fn read(&mut self) {
        let mut buf = [0u8; 65536];
        while let Ok(n) = self.session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.parser.process(&buf[..n]);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen satisfies `done` (20 s at most, then fails with the
    /// screen).
    fn wait(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.read();
            let text = self.text();
            if done(&text) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("the screen never showed {what}:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn key(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// `q`, then the exit status.
    fn quit(mut self) -> i32 {
        self.key("q");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.read();
            match self.session.get_process().status() {
                Ok(expectrl::WaitStatus::Exited(_, code)) => return code,
                Ok(expectrl::WaitStatus::StillAlive) | Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                other => panic!("top did not quit: {other:?}\n{}", self.text()),
            }
        }
    }
}

/// The line of the running jobs table for job `id`.
fn running_row(text: &str, id: u64) -> Option<String> {
    let start = text.find("Running jobs")?;
    let end = text.find("Waiting jobs")?;
    text[start..end]
        .lines()
        .find(|l| {
            let cells: Vec<&str> = l
                .trim_matches(|c| c == '│' || c == ' ')
                .trim_start_matches('>')
                .split_whitespace()
                .collect();
            cells.first() == Some(&id.to_string().as_str())
        })
        .map(str::to_string)
}

/// The Files column of a running job's row.
fn files_of(row: &str) -> u64 {
    let cells: Vec<&str> = row
        .trim_matches(|c| c == '│' || c == ' ')
        .trim_start_matches('>')
        .split_whitespace()
        .collect();
    // JobId Name Client Level Type Files ...
    cells[5]
        .parse()
        .unwrap_or_else(|_| panic!("no files in {row}"))
}

fn run_job(home: &Path, dir: &TestDirector, job: &str) {
    connected(home, dir)
        .args(["call", "run", &format!("job={job}"), "level=Full", "yes"])
        .assert()
        .success();
}

/// A test director whose simulated jobs run for ten minutes.
fn long_jobs() -> TestDirectorBuilder {
    TestDirector::builder()
        .password(DIR_PASSWORD)
        .job_duration(Duration::from_secs(600))
}

fn director_with_long_jobs() -> TestDirector {
    long_jobs()
        .auth_failure_delay(Duration::from_millis(10))
        .start()
        .unwrap()
}

#[test]
fn progress_moves_cancel_asks_and_q_quits() {
    let dir = director_with_long_jobs();
    let home = tempfile::tempdir().unwrap();
    run_job(home.path(), &dir, "backup-bareos-fd");
    let mut screen = Screen::spawn(home.path(), dir.port(), &[]);
    let first = screen.wait("job 5 with files", |t| {
        running_row(t, 5).is_some_and(|r| files_of(&r) > 0)
    });
    assert!(first.contains("bareos-dir 26.0.0"), "{first}");
    assert!(first.contains("[API 2]"), "{first}");
    let row = running_row(&first, 5).unwrap();
    assert!(
        row.contains("backup-bareos-fd") && row.contains("Full"),
        "{row}"
    );
    // The client comes from the catalog.
    assert!(row.contains("bareos-fd "), "{row}");
    let files = files_of(&row);
    let later = screen.wait("job 5 progressing", |t| {
        running_row(t, 5).is_some_and(|r| files_of(&r) > files)
    });
    assert!(later.contains("Pools"), "{later}");
    assert!(later.contains("1/100 volumes"), "{later}");

    // Cancel asks; `n` leaves the job running.
    screen.key("c");
    screen.wait("the question", |t| t.contains("Cancel JobId 5? (y/n)"));
    screen.key("n");
    screen.wait("the question gone", |t| !t.contains("Cancel JobId 5?"));
    assert!(running_row(&screen.text(), 5).is_some());
    // `y` cancels it: out of the running jobs, canceled among the terminated.
    screen.key("c");
    screen.wait("the question", |t| t.contains("Cancel JobId 5? (y/n)"));
    screen.key("y");
    let canceled = screen.wait("job 5 canceled", |t| {
        running_row(t, 5).is_none() && t.lines().any(|l| l.contains("│5 ") && l.contains("Cancel"))
    });
    assert!(canceled.contains("Running jobs (0)"), "{canceled}");
    let sent: Vec<String> = dir
        .received_commands()
        .iter()
        .filter_map(|f| f.data().map(|d| String::from_utf8_lossy(d).into_owned()))
        .collect();
    assert_eq!(
        sent.iter()
            .filter(|c| c.starts_with("cancel"))
            .collect::<Vec<_>>(),
        ["cancel jobid=5 yes"]
    );
    assert_eq!(screen.quit(), 0);
}

#[test]
fn director_gone_is_shown_and_top_reconnects() {
    let dir = director_with_long_jobs();
    let port = dir.port();
    let home = tempfile::tempdir().unwrap();
    run_job(home.path(), &dir, "backup-test2-fd");
    let mut screen = Screen::spawn(home.path(), port, &[]);
    screen.wait("the running job", |t| running_row(t, 5).is_some());
    dir.shutdown();
    let gone = screen.wait("the director gone", |t| t.contains("DIRECTOR GONE"));
    // The last reading stays on screen.
    assert!(running_row(&gone, 5).is_some(), "{gone}");
    // Keys still work while it is away.
    screen.key("?");
    screen.wait("the help", |t| {
        t.contains("cancel the selected running job")
    });
    screen.key("x");
    let again = TestDirector::builder()
        .password(DIR_PASSWORD)
        .port(port)
        .start()
        .unwrap();
    let back = screen.wait("the new director", |t| {
        !t.contains("DIRECTOR GONE") && t.contains("connected") && t.contains("Running jobs (0)")
    });
    assert!(back.contains("Terminated jobs (4)"), "{back}");
    assert_eq!(screen.quit(), 0);
    drop(again);
}

#[test]
fn a_stalled_director_does_not_freeze_the_keys() {
    let dir = director_with_fault(FaultSpec::on_command("status", Fault::Stall));
    let home = tempfile::tempdir().unwrap();
    let mut screen = Screen::spawn(home.path(), dir.port(), &["--timeout", "600"]);
    screen.wait("the empty view", |t| {
        t.contains("Running jobs") && t.contains("reading...")
    });
    screen.key("?");
    screen.wait("the help", |t| t.contains("filter by name, client"));
    screen.key("x");
    screen.wait("the help closed", |t| !t.contains("filter by name, client"));
    assert_eq!(screen.quit(), 0);
}

#[test]
fn a_console_with_acls_gets_notes_and_text_mode() {
    // No `.api`: text mode; no `list`: no pools, no clients.
    let dir = long_jobs()
        .console(restricted_console("watcher", "watch", &["status", "run"]))
        .start()
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    run_job(home.path(), &dir, "backup-bareos-fd");
    let mut cmd_home = Screen::spawn(
        home.path(),
        dir.port(),
        &["--name", "watcher", "--password", "watch"],
    );
    let text = cmd_home.wait("the text-mode view", |t| {
        t.contains("[text]") && running_row(t, 5).is_some() && t.contains("'list' is not allowed")
    });
    // Text mode has no files and bytes for running jobs.
    let row = running_row(&text, 5).unwrap();
    assert!(row.contains("backup-bareos-fd"), "{row}");
    assert!(text.contains("Terminated jobs (4)"), "{text}");
    assert_eq!(cmd_home.quit(), 0);
}

/// A PAM console: `top` never asks at its terminal, which is its screen (and it logs in
/// again in the background): without the PAM credentials it says what to give, with
/// them it shows the director.
#[test]
fn a_pam_console_needs_its_credentials_given() {
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .console(ConsoleSpec::new("pamcon", "pamcon secret").pam(true))
        .pam_user("alice", "Wonder-S3cret")
        .start()
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let console = ["--name", "pamcon", "--password", "pamcon secret"];
    let mut screen = Screen::spawn(home.path(), dir.port(), &console);
    screen.wait("why top cannot log in", |t| {
        t.contains("DIRECTOR GONE")
            && t.contains("top needs --pam-username and BAREOS_PAM_PASSWORD")
    });
    assert_eq!(screen.quit(), 0);
    let with_pam = [
        &console[..],
        &["--pam-username", "alice", "--pam-password", "Wonder-S3cret"],
    ]
    .concat();
    let mut screen = Screen::spawn(home.path(), dir.port(), &with_pam);
    let text = screen.wait("the director's jobs", |t| t.contains("Terminated jobs (4)"));
    assert!(!text.contains("DIRECTOR GONE"), "{text}");
    assert_eq!(screen.quit(), 0);
}

/// The ETA column (the last) of a running job's row.
fn eta_of(row: &str) -> String {
    row.trim_matches(|c| c == '│' || c == ' ')
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn eta_from_the_last_successful_job_of_the_same_name_and_level() {
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .job_duration(Duration::from_secs(8))
        .start()
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut screen = Screen::spawn(home.path(), dir.port(), &[]);
    // The catalog's last Full of backup-test2-fd (jobid 4) wrote less than a simulated run
    // does: no ETA for the first run once it passed that.
    run_job(home.path(), &dir, "backup-test2-fd");
    screen.wait("job 5 finished", |t| {
        running_row(t, 5).is_none() && t.contains("Terminated jobs (5)")
    });
    // The second run is measured against the first.
    run_job(home.path(), &dir, "backup-test2-fd");
    let text = screen.wait("job 6 with an ETA", |t| {
        running_row(t, 6).is_some_and(|r| eta_of(&r).ends_with('s'))
    });
    let row = running_row(&text, 6).unwrap();
    assert!(row.contains("B/s"), "{row}");
    assert_eq!(screen.quit(), 0);
}

#[test]
fn rerun_asks_and_messages_show() {
    let dir = long_jobs()
        .message("02-Dec 01:00 bareos-dir JobId 3: Backup OK -- simulated message")
        .start()
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut screen = Screen::spawn(home.path(), dir.port(), &[]);
    screen.wait("the terminated jobs", |t| t.contains("Terminated jobs (4)"));
    // The newest terminated job is selected after Tab.
    screen.key("\t");
    screen.key("r");
    screen.wait("the question", |t| t.contains("Rerun JobId 4? (y/n)"));
    screen.key("y");
    let text = screen.wait("the rerun job", |t| {
        running_row(t, 5).is_some_and(|r| r.contains("backup-test2-fd"))
    });
    assert!(text.contains("JobId 4 rerun as JobId 5"), "{text}");
    screen.key("m");
    screen.wait("the messages", |t| {
        t.contains("Backup OK -- simulated message")
    });
    screen.key("x");
    screen.wait("the messages closed", |t| !t.contains("simulated message"));
    assert_eq!(screen.quit(), 0);
}

#[test]
fn waiting_jobs_show_why() {
    let dir = long_jobs().max_running_jobs(1).start().unwrap();
    let home = tempfile::tempdir().unwrap();
    run_job(home.path(), &dir, "backup-bareos-fd");
    run_job(home.path(), &dir, "backup-test2-fd");
    let mut screen = Screen::spawn(home.path(), dir.port(), &[]);
    let text = screen.wait("the waiting job", |t| {
        t.contains("Waiting jobs (1)") && t.contains("is waiting on max total jobs")
    });
    let waiting = text
        .lines()
        .find(|l| l.contains("is waiting on max total jobs"))
        .unwrap();
    assert!(
        waiting.contains("6 ") && waiting.contains("backup-test2-fd"),
        "{waiting}"
    );
    assert!(running_row(&text, 5).is_some(), "{text}");
    assert!(text.contains("Running jobs (1)"), "{text}");
    assert_eq!(screen.quit(), 0);
}
