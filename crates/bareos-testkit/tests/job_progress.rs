//! Simulated jobs in `status director`: running with growing files and bytes (API 0
//! text and API 2 JSON, in the director's shapes), then canceled among the terminated.

mod common;

use bareos_proto::Signal;
use bareos_testkit::{ConsoleSpec, TestDirector, TlsPolicy};
use common::{texts, Client};
use serde_json::Value;
use std::time::Duration;

/// `status director` in API 2, the `result`.
fn status_json(c: &mut Client) -> Value {
    let frames = c.command("status director", Signal::MainPrompt);
    let doc: Value = serde_json::from_str(&texts(&frames)).unwrap();
    doc["result"].clone()
}

/// Asks until `done` holds for the answer; fails after 20 s.
fn until<T>(mut ask: impl FnMut() -> T, done: impl Fn(&T) -> bool) -> T {
    for _ in 0..400 {
        let answer = ask();
        if done(&answer) {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the simulated job never got there");
}

/// A test director whose simulated jobs run for ten minutes, and a client logged in to
/// it as `admin`.
fn slow_jobs() -> (TestDirector, Client) {
    let d = TestDirector::builder()
        .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
        .job_duration(Duration::from_secs(600))
        .start()
        .unwrap();
    let c = Client::logged_in(d.addr(), "admin", "secret");
    (d, c)
}

/// Sends `command`, which must queue job 5, and waits until `status director` (API 0)
/// shows a job running; returns that status text.
fn queue_and_wait(c: &mut Client, command: &str) -> String {
    let queued = texts(&c.command(command, Signal::Eod));
    assert_eq!(queued, "Job queued. JobId=5\n");
    until(
        || texts(&c.command("status director", Signal::Eod)),
        |t| t.contains("is running"),
    )
}

#[test]
fn running_jobs_grow_and_cancel() {
    let (_d, mut c) = slow_jobs();
    // API 0: ListRunningJobs' table (no files or bytes in text).
    let text = queue_and_wait(&mut c, "run job=backup-bareos-fd level=Full yes");
    assert!(text.contains("Jobs: run=4, running=1 "), "{text}");
    assert!(
        text.contains("\nRunning Jobs:\nConsole connected at 26-Nov-26 17:44\n JobId Level   Name                       Status\n======================================================================\n     5 Full    backup-bareos-fd."),
        "{text}"
    );
    let line = text.lines().find(|l| l.starts_with("     5 Full")).unwrap();
    assert!(line.ends_with("_05 is running"), "{line}");

    // API 2: files and bytes grow between two readings.
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let first = until(
        || status_json(&mut c),
        |s| s["running"][0]["bytes"].as_u64() > Some(0),
    );
    let job = &first["running"][0];
    assert_eq!(job["jobid"], 5);
    assert_eq!(job["level"], "Full");
    assert_eq!(job["type"], "Backup");
    assert_eq!(job["status"], "is running");
    assert!(job["name"]
        .as_str()
        .unwrap()
        .starts_with("backup-bareos-fd."));
    assert!(job["start_time"].as_str().unwrap().len() == 15);
    assert_eq!(first["header"]["jobs_running"], 1);
    let bytes = job["bytes"].as_u64().unwrap();
    let files = job["files"].as_u64().unwrap();
    let later = until(
        || status_json(&mut c),
        |s| s["running"][0]["bytes"].as_u64() > Some(bytes),
    );
    assert!(later["running"][0]["files"].as_u64().unwrap() >= files);

    // Canceled: out of the running list, `Cancel` among the terminated.
    c.command("cancel jobid=5 yes", Signal::MainPrompt);
    let after = status_json(&mut c);
    assert_eq!(after["running"], Value::Array(vec![]));
    let last = after["terminated"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["jobid"], 5);
    assert_eq!(last["status"], "Cancel");
    assert_eq!(last["name"], "backup-bareos-fd");
    assert!(last["bytes"].as_u64().unwrap() >= bytes);
}

#[test]
fn rerun_queues_the_same_job_and_level() {
    let (_d, mut c) = slow_jobs();
    // Job 2 of the fixed catalog is an Incremental of backup-bareos-fd.
    let text = queue_and_wait(&mut c, "rerun jobid=2 yes");
    assert!(text.contains("     5 Increme  backup-bareos-fd."), "{text}");
    // A simulated run can be rerun too; an unknown job id cannot.
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let frames = c.command("rerun jobid=5 yes", Signal::MainPrompt);
    let doc: Value = serde_json::from_str(&texts(&frames)).unwrap();
    assert_eq!(doc["result"]["run"]["jobid"], "6");
    let frames = c.command("rerun jobid=99 yes", Signal::MainPrompt);
    let doc: Value = serde_json::from_str(&texts(&frames)).unwrap();
    assert_eq!(
        doc["error"]["data"]["messages"]["error"][0],
        "No jobids with the specified options were found.\n"
    );
}

#[test]
fn jobs_over_the_limit_wait_for_a_slot() {
    let d = TestDirector::builder()
        .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
        .job_duration(Duration::from_secs(600))
        .max_running_jobs(1)
        .start()
        .unwrap();
    let mut c = Client::logged_in(d.addr(), "admin", "secret");
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    c.command("run job=backup-test2-fd yes", Signal::Eod);
    let text = until(
        || texts(&c.command("status director", Signal::Eod)),
        |t| t.contains("is waiting on max total jobs"),
    );
    let line = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(line("     5 ").ends_with("is running"), "{text}");
    assert!(
        line("     6 ").ends_with("is waiting on max total jobs"),
        "{text}"
    );
    // Canceling the running job lets the waiting one run.
    c.command("cancel jobid=5 yes", Signal::Eod);
    let text = until(
        || texts(&c.command("status director", Signal::Eod)),
        |t| {
            t.lines()
                .any(|l| l.starts_with("     6 ") && l.ends_with("is running"))
        },
    );
    assert!(!text.contains("is waiting on max total jobs"), "{text}");
    // A job that is not running any more cannot be canceled (with no job left running,
    // the director has no list to offer either).
    c.command("cancel jobid=6 yes", Signal::Eod);
    let answer = texts(&c.command("cancel jobid=5 yes", Signal::Eod));
    assert!(answer.contains("JobId 5 is not running"), "{answer}");
    assert!(answer.ends_with("No Jobs running.\n"), "{answer}");
}
