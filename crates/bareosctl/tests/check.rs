//! `bareosctl check`: every check and every exit code (0 OK, 1 WARNING, 2 CRITICAL,
//! 3 UNKNOWN) through the real binary against the test director.

mod common;

use bareos_testkit::{
    CatalogSeed, ClientSpec, ConsoleSpec, Fault, FaultSpec, StorageSpec, TestDirector,
    TestDirectorBuilder, TlsPolicy,
};
use common::{bareosctl, configured, restricted_console, ADMIN, DIR_PASSWORD};
use std::path::Path;
use std::time::Duration;

const OK: i32 = 0;
const WARNING: i32 = 1;
const CRITICAL: i32 = 2;
const UNKNOWN: i32 = 3;

/// Pools and jobs whose states are known: `fresh` ran 1 h ago, `aging` 30 h ago,
/// `stale` 60 h ago, `flaky` failed after its last success, `warned` ended with
/// warnings; pool `Roomy` is 20 % used, `Tight` 80 %, `Full` 100 %.
const SEED: &str = r#"{
  "pools": [
    {"name": "Roomy", "maxvols": 10, "volumes": [
      {"name": "Roomy-1", "status": "Full", "bytes": 1000},
      {"name": "Roomy-2", "status": "Used", "bytes": 2000},
      {"name": "Roomy-3"}, {"name": "Roomy-4"}]},
    {"name": "Tight", "maxvols": 5, "volumes": [
      {"name": "Tight-1", "status": "Full"}, {"name": "Tight-2", "status": "Full"},
      {"name": "Tight-3", "status": "Full"}, {"name": "Tight-4", "status": "Error"},
      {"name": "Tight-5", "status": "Append"}]},
    {"name": "Stuffed", "maxvols": 2, "volumes": [
      {"name": "Stuffed-1", "status": "Full"},
      {"name": "Stuffed-2", "status": "Append", "enabled": false}]},
    {"name": "Scratch", "pooltype": "Scratch"}
  ],
  "jobs": [
    {"name": "stale", "ended_ago": 216000},
    {"name": "aging", "ended_ago": 108000, "bytes": 4096, "files": 3},
    {"name": "flaky", "ended_ago": 7200},
    {"name": "fresh", "ended_ago": 3600, "level": "I"},
    {"name": "flaky", "status": "E", "ended_ago": 3000},
    {"name": "warned", "status": "W", "ended_ago": 600},
    {"name": "gone", "status": "A", "ended_ago": 500}
  ]
}"#;

fn builder() -> TestDirectorBuilder {
    TestDirector::builder()
        .password(DIR_PASSWORD)
        .console(ConsoleSpec::new(ADMIN.0, ADMIN.1).tls(TlsPolicy::None))
        .auth_failure_delay(Duration::from_millis(10))
}

fn seeded() -> TestDirector {
    builder()
        .catalog(CatalogSeed::from_json(SEED).unwrap())
        .start()
        .unwrap()
}

/// Runs `bareosctl check ARGS` as the admin console and returns (exit code, stdout).
fn check(home: &Path, director: &TestDirector, args: &[&str]) -> (i32, String) {
    let output = bareosctl(home)
        .args(["--address", "127.0.0.1", "--port"])
        .arg(director.port().to_string())
        .args(["--name", ADMIN.0])
        .env("BAREOS_PASSWORD", ADMIN.1)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap(), stdout)
}

/// Asserts the exit code and the `BAREOS <CHECK> <STATE> - ` start of the one line.
fn expect(result: (i32, String), code: i32, start: &str) -> String {
    let (got, stdout) = result;
    assert_eq!(got, code, "{stdout}");
    assert!(stdout.starts_with(start), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    stdout
}

#[test]
fn director_states() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder().start().unwrap();
    let line = expect(
        check(h.path(), &dir, &["director"]),
        OK,
        "BAREOS DIRECTOR OK - bareos-dir 26.0.0~pre1298.eda204c31 answered in ",
    );
    assert!(line.contains(" | time="), "{line}");
    assert!(line.trim_end().ends_with("s;;;0"), "{line}");
    // A director that thinks for a second before `version` crosses 0.5 s.
    let slow = builder()
        .fault(FaultSpec::on_command(
            "version",
            Fault::Delay(Duration::from_secs(1)),
        ))
        .start()
        .unwrap();
    let line = expect(
        check(h.path(), &slow, &["director", "--warning-time", "0.5"]),
        WARNING,
        "BAREOS DIRECTOR WARNING - ",
    );
    assert!(line.contains(";0.5;;0"), "{line}");
    expect(
        check(
            h.path(),
            &slow,
            &[
                "director",
                "--warning-time",
                "0.2",
                "--critical-time",
                "0.5",
            ],
        ),
        CRITICAL,
        "BAREOS DIRECTOR CRITICAL - ",
    );
}

#[test]
fn unknown_on_failed_login_timeout_and_bad_usage() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder().start().unwrap();
    let output = bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port"])
        .arg(dir.port().to_string())
        .args(["--name", ADMIN.0])
        .env("BAREOS_PASSWORD", "wrong-check-secret")
        .args(["check", "director"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(UNKNOWN), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("BAREOS DIRECTOR UNKNOWN - cannot connect or log in: "),
        "{stdout}"
    );
    assert!(!stdout.contains("wrong-check-secret") && !stderr.contains("wrong-check-secret"));

    let stalled = builder()
        .fault(FaultSpec::on_command("version", Fault::Stall))
        .start()
        .unwrap();
    let line = expect(
        check(h.path(), &stalled, &["--timeout", "1", "director"]),
        UNKNOWN,
        "BAREOS DIRECTOR UNKNOWN - timeout: ",
    );
    assert!(!line.contains('|'), "{line}");

    // Nothing listens: UNKNOWN too.
    let port = dir.port();
    drop(dir);
    let output = bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .env("BAREOS_PASSWORD", DIR_PASSWORD)
        .args(["check", "director"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(UNKNOWN));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("BAREOS DIRECTOR UNKNOWN - "));

    // Bad thresholds and unknown checks are usage errors: UNKNOWN for a plugin.
    for args in [
        &["check", "job", "x", "--warning-age", "26x"][..],
        &["check", "volumes", "--warning", "90:80"],
        &["check", "nothing"],
        &["check"],
    ] {
        let output = bareosctl(h.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(UNKNOWN), "{args:?}");
    }
}

#[test]
fn job_states_from_the_catalog() {
    let h = tempfile::tempdir().unwrap();
    let dir = seeded();
    let ages = ["--warning-age", "26h", "--critical-age", "50h"];
    let with = |name: &'static str| -> Vec<&str> {
        let mut args = vec!["job", name];
        args.extend(ages);
        args
    };
    let line = expect(
        check(h.path(), &dir, &with("fresh")),
        OK,
        "BAREOS JOB OK - fresh: last successful run JobId 4 (I, status T) ended 1h 0m ago | age=",
    );
    assert!(line.contains("s;93600;180000;0 "), "{line}");
    let line = expect(
        check(h.path(), &dir, &with("aging")),
        WARNING,
        "BAREOS JOB WARNING - aging: last successful run JobId 2 ",
    );
    assert!(line.contains(" bytes=4096B;;;0 files=3;;;0"), "{line}");
    expect(
        check(h.path(), &dir, &with("stale")),
        CRITICAL,
        "BAREOS JOB CRITICAL - stale: last successful run JobId 1 (F, status T) ended 2d 12h ago",
    );
    let line = expect(
        check(h.path(), &dir, &with("flaky")),
        CRITICAL,
        "BAREOS JOB CRITICAL - flaky: last successful run JobId 3 ",
    );
    assert!(
        line.contains("the last run JobId 5 (F, status E) failed"),
        "{line}"
    );
    expect(
        check(h.path(), &dir, &["job", "warned"]),
        WARNING,
        "BAREOS JOB WARNING - warned: last successful run JobId 6 (F, status W) ended 10m ",
    );
    expect(
        check(h.path(), &dir, &["job", "gone"]),
        CRITICAL,
        "BAREOS JOB CRITICAL - gone never ran successfully; last run JobId 7 (F, status A)",
    );
    // A job of the configuration that never ran, and one the director does not know.
    expect(
        check(h.path(), &dir, &["job", "backup-bareos-fd"]),
        CRITICAL,
        "BAREOS JOB CRITICAL - backup-bareos-fd never ran successfully (no run in the catalog)",
    );
    expect(
        check(h.path(), &dir, &["job", "no-such-job"]),
        UNKNOWN,
        "BAREOS JOB UNKNOWN - the director has no job 'no-such-job'",
    );
    // --level: `fresh` has no Full.
    expect(
        check(h.path(), &dir, &["job", "fresh", "--level", "Full"]),
        CRITICAL,
        "BAREOS JOB CRITICAL - fresh (level F) never ran successfully",
    );
}

/// `call --wait run job=NAME yes`, then the check of that job.
fn run_then_check(h: &Path, dir: &TestDirector, job: &str) -> (i32, String) {
    bareosctl(h)
        .args(["--address", "127.0.0.1", "--port"])
        .arg(dir.port().to_string())
        .env("BAREOS_PASSWORD", DIR_PASSWORD)
        .args(["call", "--wait", "run"])
        .arg(format!("job={job}"))
        .arg("yes")
        .output()
        .unwrap();
    check(
        h,
        dir,
        &["job", job, "--warning-age", "26h", "--critical-age", "50h"],
    )
}

#[test]
fn jobs_run_now_enter_the_catalog() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder()
        .job_outcome("backup-test2-fd", "E")
        .job_outcome("RestoreFiles", "W")
        .start()
        .unwrap();
    // The fixed catalog's last run of backup-bareos-fd is days old.
    expect(
        check(
            h.path(),
            &dir,
            &["job", "backup-bareos-fd", "--critical-age", "50h"],
        ),
        CRITICAL,
        "BAREOS JOB CRITICAL - backup-bareos-fd: last successful run JobId 3 ",
    );
    let line = expect(
        run_then_check(h.path(), &dir, "backup-bareos-fd"),
        OK,
        "BAREOS JOB OK - backup-bareos-fd: last successful run JobId 5 (I, status T) ended ",
    );
    assert!(
        line.contains(" bytes=5005123B;;;0 files=1002;;;0"),
        "{line}"
    );
    let line = expect(
        run_then_check(h.path(), &dir, "backup-test2-fd"),
        CRITICAL,
        "BAREOS JOB CRITICAL - backup-test2-fd: last successful run JobId 4 ",
    );
    assert!(
        line.contains("the last run JobId 6 (I, status E) failed"),
        "{line}"
    );
    expect(
        run_then_check(h.path(), &dir, "RestoreFiles"),
        WARNING,
        "BAREOS JOB WARNING - RestoreFiles: last successful run JobId 7 (I, status W) ended ",
    );
    // All three are in the window of `check jobs`; the fixed ones are older.
    let line = expect(
        check(
            h.path(),
            &dir,
            &["jobs", "--since", "1h", "--warning-failed", "0", "--critical-failed", "3"],
        ),
        WARNING,
        "BAREOS JOBS WARNING - 3 jobs in the last 1h 0m: 1 failed (6 backup-test2-fd), 0 canceled, 1 with warnings (7 RestoreFiles), 1 OK, 0 running | failed=1;0;3;0 ",
    );
    assert!(
        line.contains(" warnings=1;;;0 ok=1;;;0 running=0;;;0"),
        "{line}"
    );
}

#[test]
fn jobs_of_a_window() {
    let h = tempfile::tempdir().unwrap();
    let dir = seeded();
    // In 2 h: flaky's failure, fresh, warned, gone (canceled).
    expect(
        check(h.path(), &dir, &["jobs", "--since", "2h"]),
        OK,
        "BAREOS JOBS OK - 4 jobs in the last 2h 0m: 1 failed (5 flaky), 1 canceled (7 gone), 1 with warnings (6 warned), 1 OK, 0 running",
    );
    expect(
        check(
            h.path(),
            &dir,
            &["jobs", "--since", "2h", "--warning-failed", "0"],
        ),
        WARNING,
        "BAREOS JOBS WARNING - 4 jobs",
    );
    expect(
        check(
            h.path(),
            &dir,
            &[
                "jobs",
                "--since",
                "2h",
                "--warning-failed",
                "5",
                "--critical-canceled",
                "0",
            ],
        ),
        CRITICAL,
        "BAREOS JOBS CRITICAL - 4 jobs",
    );
    // 5 minutes: nothing ended that recently (the director's window is whole hours,
    // the end times narrow it).
    expect(
        check(
            h.path(),
            &dir,
            &["jobs", "--since", "5m", "--warning-failed", "0"],
        ),
        OK,
        "BAREOS JOBS OK - 0 jobs in the last 5m 0s",
    );
    expect(
        check(h.path(), &dir, &["jobs", "--since", "3d", "--job", "flaky", "--critical-failed", "0"]),
        CRITICAL,
        "BAREOS JOBS CRITICAL - 2 jobs in the last 3d 0h: 1 failed (5 flaky), 0 canceled, 0 with warnings, 1 OK",
    );
    // --json: the same verdict as an object.
    let (code, stdout) = check(
        h.path(),
        &dir,
        &["--json", "jobs", "--since", "2h", "--warning-failed", "0"],
    );
    assert_eq!(code, WARNING);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["check"], "jobs");
    assert_eq!(value["status"], "WARNING");
    assert_eq!(value["code"], 1);
    assert_eq!(value["details"]["failed"], 1);
    assert_eq!(value["perfdata"][0]["label"], "failed");
    assert_eq!(value["perfdata"][0]["warning"], "0");
}

#[test]
fn volume_usage_of_pools() {
    let h = tempfile::tempdir().unwrap();
    let dir = seeded();
    let thresholds = ["--warning", "80%", "--critical", "95%"];
    let pool = |name: &'static str| -> Vec<&str> {
        let mut args = vec!["volumes", "--pool", name];
        args.extend(thresholds);
        args
    };
    let line = expect(
        check(h.path(), &dir, &pool("Roomy")),
        OK,
        "BAREOS VOLUMES OK - pool Roomy 20% used (2 of 10 volumes full or unusable, 2 appendable, room for 6 more), 3.0 KB | Roomy_used=20%;80;95;0;100 ",
    );
    assert!(
        line.contains("Roomy_volumes=4;;;0;10 Roomy_bytes=3000B;;;0"),
        "{line}"
    );
    expect(
        check(h.path(), &dir, &pool("Tight")),
        OK,
        "BAREOS VOLUMES OK - pool Tight 80% used",
    );
    expect(
        check(
            h.path(),
            &dir,
            &["volumes", "--pool", "Tight", "--warning", "79%"],
        ),
        WARNING,
        "BAREOS VOLUMES WARNING - pool Tight 80% used",
    );
    expect(
        check(h.path(), &dir, &pool("Stuffed")),
        CRITICAL,
        "BAREOS VOLUMES CRITICAL - pool Stuffed 100% used (2 of 2 volumes full or unusable, 0 appendable)",
    );
    // All pools of type Backup, the worst first; Scratch is left out.
    let line = expect(
        check(
            h.path(),
            &dir,
            &["volumes", "--warning", "50%", "--critical", "90%"],
        ),
        CRITICAL,
        "BAREOS VOLUMES CRITICAL - pool Stuffed 100% used",
    );
    assert!(line.contains("; pool Tight 80% used") && line.contains("; pool Roomy 20% used"));
    assert!(!line.contains("Scratch"), "{line}");
    let line = expect(
        check(
            h.path(),
            &dir,
            &["volumes", "--pool", "Roomy", "--min-appendable", "3"],
        ),
        WARNING,
        "BAREOS VOLUMES WARNING - pool Roomy 20% used",
    );
    assert!(line.contains("fewer than 3 appendable") && line.contains("Roomy_appendable=2;3:;;0"));
    expect(
        check(h.path(), &dir, &["volumes", "--pool", "Nowhere"]),
        UNKNOWN,
        "BAREOS VOLUMES UNKNOWN - the catalog has no pool 'Nowhere'",
    );
}

#[test]
fn client_reachability() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder()
        .client(ClientSpec::new("bareos-fd"))
        .client(ClientSpec::new("gone-fd").unreachable())
        .start()
        .unwrap();
    let line = expect(
        check(h.path(), &dir, &["client", "bareos-fd"]),
        OK,
        "BAREOS CLIENT OK - Client bareos-fd (bareos-fd 26.0.0~pre1298.eda204c31) answered in ",
    );
    assert!(line.contains(" | time="), "{line}");
    expect(
        check(h.path(), &dir, &["client", "gone-fd"]),
        CRITICAL,
        "BAREOS CLIENT CRITICAL - the director cannot connect to Client gone-fd | time=",
    );
    expect(
        check(h.path(), &dir, &["client", "nobody-fd"]),
        UNKNOWN,
        "BAREOS CLIENT UNKNOWN - ",
    );
}

#[test]
fn storage_reachability() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder()
        .storage(StorageSpec::new("File"))
        .storage(StorageSpec::new("Tape").unreachable())
        .start()
        .unwrap();
    expect(
        check(h.path(), &dir, &["storage", "File"]),
        OK,
        "BAREOS STORAGE OK - Storage daemon File (bareos-sd 26.0.0~pre1298.eda204c31) answered in ",
    );
    expect(
        check(h.path(), &dir, &["storage", "Tape"]),
        CRITICAL,
        "BAREOS STORAGE CRITICAL - the director cannot connect to Storage daemon Tape",
    );
    expect(
        check(h.path(), &dir, &["storage", "Nowhere"]),
        UNKNOWN,
        "BAREOS STORAGE UNKNOWN - ",
    );
    // A slow daemon crosses the response-time threshold.
    let slow = builder()
        .fault(FaultSpec::on_command(
            "status",
            Fault::Delay(Duration::from_secs(1)),
        ))
        .start()
        .unwrap();
    expect(
        check(
            h.path(),
            &slow,
            &["storage", "File", "--critical-time", "0.5"],
        ),
        CRITICAL,
        "BAREOS STORAGE CRITICAL - Storage daemon File (bareos-sd ",
    );
    let line = expect(
        check(
            h.path(),
            &slow,
            &["client", "bareos-fd", "--warning-time", "0.5"],
        ),
        WARNING,
        "BAREOS CLIENT WARNING - Client bareos-fd (bareos-fd ",
    );
    assert!(line.contains(";0.5;;0"), "{line}");
}

#[test]
fn a_console_acl_that_denies_the_command_is_unknown() {
    let h = tempfile::tempdir().unwrap();
    let dir = builder()
        .console(restricted_console(
            "watcher",
            "watcher secret",
            &[".api", "version"],
        ))
        .start()
        .unwrap();
    let run = |args: &[&str]| {
        let output = bareosctl(h.path())
            .args(["--address", "127.0.0.1", "--port"])
            .arg(dir.port().to_string())
            .args(["--name", "watcher"])
            .env("BAREOS_PASSWORD", "watcher secret")
            .arg("check")
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    expect(run(&["director"]), OK, "BAREOS DIRECTOR OK - ");
    let line = expect(
        run(&["jobs", "--warning-failed", "0"]),
        UNKNOWN,
        "BAREOS JOBS UNKNOWN - director error: ",
    );
    assert!(line.contains("llist: is an invalid command."), "{line}");
    expect(
        run(&["client", "bareos-fd"]),
        UNKNOWN,
        "BAREOS CLIENT UNKNOWN - unexpected answer to 'status client=bareos-fd': status: is an invalid command.",
    );
}

#[test]
fn bconsole_conf_as_for_every_subcommand() {
    let h = tempfile::tempdir().unwrap();
    let dir = seeded();
    let conf = h.path().join("bconsole.conf");
    let director = format!(
        "Director {{\n  Name = bareos-dir\n  Address = 127.0.0.1\n  DirPort = {}\n  Password = \"{DIR_PASSWORD}\"\n}}\n",
        dir.port()
    );
    std::fs::write(&conf, director).unwrap();
    let output = configured(h.path(), &conf)
        .args(["check", "job", "fresh", "--warning-age", "2h"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(OK), "{stdout}");
    assert!(stdout.starts_with("BAREOS JOB OK - fresh: "), "{stdout}");
}
