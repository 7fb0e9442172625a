//! End-to-end tests of the `bareosctl` binary against the simulated director.

mod common;

use bareos_testkit::{Fault, FaultSpec, TestDirector, TestFileDaemon, TlsPolicy};
use common::*;
use predicates::prelude::*;
use predicates::str::contains;
use std::time::{Duration, Instant};

const MD5_OF_DIR_PASSWORD: &str = "0c1f7ebb36ab9c0b2d4e1e0fd0b3a7a0";

fn home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn call_text_with_password_option_warns() {
    let dir = director();
    let h = home();
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["-p", DIR_PASSWORD, "call", "version"])
        .assert()
        .success()
        .stdout(contains("bareos-dir Version"))
        .stderr(contains("visible to other users"))
        .stderr(contains(DIR_PASSWORD).not());
}

#[test]
fn environment_variables() {
    let dir = director();
    let h = home();
    bareosctl(h.path())
        .env("BAREOS_ADDRESS", "127.0.0.1")
        .env("BAREOS_PORT", dir.port().to_string())
        .env("BAREOS_NAME", ADMIN.0)
        .env("BAREOS_PASSWORD", ADMIN.1)
        .args(["call", "whoami"])
        .assert()
        .success()
        .stdout(contains("admin"))
        .stderr(contains("visible").not());
}

#[test]
fn password_file_named_console_cleartext() {
    let dir = director();
    let h = home();
    let file = h.path().join("pw");
    std::fs::write(&file, format!("{}\n", ADMIN.1)).unwrap();
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["--name", ADMIN.0, "--password-file"])
        .arg(&file)
        .args([
            "--tls-psk-disable",
            "--protocolversion",
            "2",
            "call",
            "whoami",
        ])
        .assert()
        .success()
        .stdout(contains("admin"));
}

#[test]
fn tls_psk_require_and_protocol_versions() {
    let dir = director();
    let h = home();
    for version in ["0", "1", "2"] {
        connected(h.path(), &dir)
            .args([
                "--tls-psk-require",
                "--protocolversion",
                version,
                "call",
                "version",
            ])
            .assert()
            .success()
            .stdout(contains("Version"));
    }
    connected(h.path(), &dir)
        .args(["--protocolversion", "3", "call", "version"])
        .assert()
        .code(2);
    connected(h.path(), &dir)
        .args(["--tls-psk-require", "--tls-psk-disable", "call", "version"])
        .assert()
        .code(2);
}

#[test]
fn json_and_raw() {
    let dir = director();
    let h = home();
    let out = connected(h.path(), &dir)
        .args(["call", "--json", "list", "pools"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(value.get("pools").is_some(), "{value}");
    let out = connected(h.path(), &dir)
        .args(["call", "--raw", "list", "pools"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(value["jsonrpc"], "2.0");
    assert!(value["result"]["pools"].is_array());
    connected(h.path(), &dir)
        .args(["call", "--json", "frobnicate"])
        .assert()
        .code(1)
        .stderr(contains("frobnicate"));
    connected(h.path(), &dir)
        .args(["call", "--raw", "frobnicate"])
        .assert()
        .code(1)
        .stdout(contains("\"error\""));
}

#[test]
fn call_stopping_at_a_prompt_is_an_error() {
    let dir = director();
    let h = home();
    connected(h.path(), &dir)
        .args(["call", "status", "client"])
        .assert()
        .code(1)
        .stderr(contains("prompt"));
}

#[test]
fn wrong_password_is_exit_3_without_secrets() {
    let dir = director();
    let h = home();
    let assert = bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["--name", ADMIN.0, "--tls-psk-disable", "-d", "200"])
        .env("BAREOS_PASSWORD", "wrong-password-123")
        .args(["call", "version"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("wrong-password-123"), "{stderr}");
    assert!(!stderr.contains(MD5_OF_DIR_PASSWORD), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn debug_logging_never_shows_secrets() {
    let dir = director();
    let h = home();
    let md5 = bareos::Password::new(DIR_PASSWORD).md5_hex().to_string();
    let assert = connected(h.path(), &dir)
        .env("RUST_LOG", "trace")
        .args(["call", "version"])
        .assert()
        .success();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&assert.get_output().stdout),
        String::from_utf8_lossy(&assert.get_output().stderr)
    );
    assert!(!all.contains(DIR_PASSWORD));
    assert!(!all.contains(&md5));
}

#[test]
fn unreachable_host_is_exit_3() {
    let h = home();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &port.to_string()])
        .env("BAREOS_PASSWORD", "x")
        .args(["call", "version"])
        .assert()
        .code(3)
        .stderr(contains("127.0.0.1"));
}

#[test]
fn stalling_director_times_out_with_exit_4() {
    let dir = director_with_fault(FaultSpec::on_command("version", Fault::Stall));
    let h = home();
    let start = Instant::now();
    connected(h.path(), &dir)
        .args(["--timeout", "1", "call", "version"])
        .assert()
        .code(4)
        .stderr(contains("timed out"));
    assert!(start.elapsed() < Duration::from_secs(10));
    // bconsole's -u is the same option.
    connected(h.path(), &dir)
        .args(["-u", "1", "call", "version"])
        .assert()
        .code(4);
}

#[test]
fn usage_errors_are_exit_2() {
    let h = home();
    bareosctl(h.path()).args(["--frobnicate"]).assert().code(2);
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "call", "version"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(contains("no password"));
    bareosctl(h.path())
        .args([
            "--address",
            "127.0.0.1",
            "--password-file",
            "/nonexistent/pw",
            "call",
            "x",
        ])
        .assert()
        .code(2)
        .stderr(contains("password file"));
}

#[test]
fn config_file_several_directors_quoting_include() {
    let dir = director();
    let h = home();
    fixtures(h.path(), dir.port());
    let conf = h.path().join("two-directors.conf");
    configured(h.path(), &conf)
        .arg("-l")
        .assert()
        .success()
        .stdout("first-dir\nsecond dir\n");
    configured(h.path(), &conf).arg("-t").assert().success();
    // The console bound to first-dir (from the included file) is used.
    configured(h.path(), &conf)
        .args(["-D", "first-dir", "--tls-psk-disable", "call", "whoami"])
        .assert()
        .success()
        .stdout(contains("admin"));
    // Several directors and no terminal: the choice is required.
    configured(h.path(), &conf)
        .args(["call", "whoami"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(contains("-D"));
    configured(h.path(), &conf)
        .args(["-D", "nope", "call", "whoami"])
        .assert()
        .code(2)
        .stderr(contains("unknown director 'nope'"));
}

#[test]
fn config_file_errors() {
    let h = home();
    fixtures(h.path(), 1);
    let assert = configured(h.path(), h.path().join("malformed.conf"))
        .arg("-t")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("malformed.conf:3:"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    bareosctl(h.path())
        .args(["-c", "/nonexistent/bconsole.conf", "call", "version"])
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/bconsole.conf"));
}

#[test]
fn config_directory_form() {
    let dir = director();
    let h = home();
    fixtures(h.path(), dir.port());
    configured(h.path(), h.path().join("dirform"))
        .args(["call", "version"])
        .assert()
        .success()
        .stdout(contains("Version"));
}

#[test]
fn piped_stdin_console() {
    let dir = director();
    let h = home();
    connected(h.path(), &dir)
        .write_stdin("version\nstatus client\n2\n@echo done-marker\nquit\n")
        .assert()
        .success()
        .stdout(contains("Connecting to Director 127.0.0.1"))
        .stdout(contains("\nversion\n"))
        .stdout(contains("(1-2): 2\n"))
        .stdout(contains("test2-fd"))
        .stdout(contains("done-marker"));
}

#[test]
fn piped_console_json_mode() {
    let dir = director();
    let h = home();
    connected(h.path(), &dir)
        .args(["console", "--json"])
        .write_stdin("list pools\nfrobnicate\n")
        .assert()
        .success()
        .stdout(contains("\"pools\": ["))
        .stderr(contains("error: "));
}

#[test]
fn cleartext_is_a_warning() {
    let dir = director();
    let h = home();
    connected(h.path(), &dir)
        .env("BAREOS_NAME", ADMIN.0)
        .env("BAREOS_PASSWORD", ADMIN.1)
        .arg("--tls-psk-disable")
        .write_stdin("quit\n")
        .assert()
        .success()
        .stdout(contains("Encryption: None"))
        .stderr(contains("not encrypted"));
}

#[test]
fn demo_mode() {
    let h = home();
    bareosctl(h.path())
        .args(["call", "--demo", "version"])
        .assert()
        .success()
        .stdout(contains("Version"));
    bareosctl(h.path())
        .args(["console", "--demo"])
        .write_stdin("list pools\n")
        .assert()
        .success()
        // As bconsole prints it; the "(TLS-PSK)" note is for terminals only.
        .stdout(contains(
            " Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3\n",
        ))
        .stdout(contains("(TLS-PSK)").not());
}

#[test]
fn file_daemon() {
    let fd = TestFileDaemon::builder()
        .director("bareos-dir", "fd_password", TlsPolicy::Required)
        .start()
        .unwrap();
    let h = home();
    bareosctl(h.path())
        .args([
            "fd",
            "--address",
            "127.0.0.1",
            "--port",
            &fd.port().to_string(),
        ])
        .args(["--name", "bareos-dir", "-p", "fd_password", "status"])
        .assert()
        .success()
        .stdout(contains("Version"));
    bareosctl(h.path())
        .args([
            "fd",
            "--address",
            "127.0.0.1",
            "--port",
            &fd.port().to_string(),
        ])
        .args(["--name", "bareos-dir"])
        .env("BAREOS_PASSWORD", "fd_password")
        .write_stdin("status\n")
        .assert()
        .success()
        .stdout(contains("2000 OK Hello"));
    bareosctl(h.path())
        .args([
            "fd",
            "--address",
            "127.0.0.1",
            "--port",
            &fd.port().to_string(),
        ])
        .args(["--name", "bareos-dir", "-p", "wrong", "status"])
        .assert()
        .code(3);
    bareosctl(h.path())
        .args(["fd", "-p", "x", "status"])
        .assert()
        .code(2);
}

#[test]
fn completions_and_man_page() {
    let h = home();
    for shell in ["bash", "zsh", "fish"] {
        bareosctl(h.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains("bareosctl"));
    }
    bareosctl(h.path())
        .arg("man")
        .assert()
        .success()
        .stdout(contains(".TH bareosctl"))
        .stdout(contains("protocolversion"));
}

#[test]
fn call_wait_follows_a_job_to_its_end() {
    let dir = director();
    let h = home();
    let args = |cmd: &[&str]| {
        let mut all = vec![
            "--address".to_string(),
            "127.0.0.1".to_string(),
            "--port".to_string(),
            dir.port().to_string(),
            "--password".to_string(),
            DIR_PASSWORD.to_string(),
            "--tls-psk-require".to_string(),
            "call".to_string(),
        ];
        all.extend(cmd.iter().map(|s| s.to_string()));
        all
    };
    bareosctl(h.path())
        .args(args(&["--wait", "run", "job=backup-bareos-fd", "yes"]))
        .timeout(Duration::from_secs(30))
        .assert()
        .code(0)
        .stdout(contains("JobId=5"))
        .stderr(contains("ended with status T"));

    // A job canceled while it is followed: exit status 5.
    let mut waiting = std::process::Command::new(assert_cmd::cargo::cargo_bin("bareosctl"))
        .env("HOME", h.path())
        .args(args(&["--wait", "run", "job=backup-test2-fd", "yes"]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    bareosctl(h.path())
        .args(args(&["cancel", "jobid=6", "yes"]))
        .assert()
        .success()
        .stdout(contains("marked to be canceled"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = waiting.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "--wait did not end"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(5));

    bareosctl(h.path())
        .args(args(&["--wait", "run", "job=nosuchjob", "yes"]))
        .assert()
        .code(1);
}

#[test]
fn bconsolerc_runs_at_start() {
    let dir = director();
    let h = home();
    std::fs::write(h.path().join(".bconsolerc"), "@echo from-rc\nwhoami\n").unwrap();
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["--password", DIR_PASSWORD, "console"])
        .write_stdin("version\n")
        .assert()
        .success()
        .stdout(contains("from-rc"))
        .stdout(contains("root\n"))
        .stdout(contains("bareos-dir Version"));
}

#[test]
fn protocol_auto_retries_version_1_only_after_a_refusal() {
    // The default console has TLS enabled but not required: a cleartext version-2 hello
    // is refused before authentication, a version-1 hello gets in.
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .default_console_tls(TlsPolicy::Enabled)
        .auth_failure_delay(Duration::from_millis(10))
        .start()
        .unwrap();
    let h = home();
    let base = |password: &str, protocol: &str| {
        let mut cmd = bareosctl(h.path());
        cmd.args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
            .args(["--password", password, "--tls-psk-disable"])
            .args(["--protocolversion", protocol, "call", "whoami"]);
        cmd
    };
    base(DIR_PASSWORD, "0")
        .assert()
        .success()
        .stdout(contains("root"));
    base(DIR_PASSWORD, "2").assert().code(3);
    // A wrong password is not retried after the version-1 attempt's refusal.
    let before = dir.recorded().iter().map(|r| r.conn).max().unwrap_or(0);
    base("wrong password", "0").assert().code(3);
    let after = dir.recorded().iter().map(|r| r.conn).max().unwrap_or(0);
    assert_eq!(after - before, 2, "v2 refused, then one v1 attempt");
}

#[test]
fn call_text_invalid_command_is_exit_1_on_stderr() {
    let h = home();
    bareosctl(h.path())
        .args(["call", "--demo", "foo"])
        .assert()
        .code(1)
        .stdout(contains("invalid command").not())
        .stderr(contains("foo: is an invalid command."));
    // A reply that merely contains the text is not an error.
    let dir = director();
    connected(h.path(), &dir)
        .args(["call", "version"])
        .assert()
        .success();
    bareosctl(h.path())
        .args(["call", "--help"])
        .assert()
        .success()
        .stdout(contains("--json"))
        .stdout(contains("reliable"));
}

/// Runs bareosctl with `args` and `stdin`, counting its stdout instead of keeping it;
/// returns (exit code, bytes, last bytes, peak resident memory in kB seen while running).
fn run_counting(home: &std::path::Path, args: &[&str], stdin: &str) -> (i32, u64, Vec<u8>, u64) {
    use std::io::{Read, Write};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bareosctl"))
        .env("HOME", home)
        .env_remove("BAREOS_PASSWORD")
        .env_remove("RUST_LOG")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take().unwrap();
    let mut buffer = vec![0u8; 1 << 20];
    let (mut total, mut tail, mut peak_kb, mut reads) = (0u64, Vec::new(), 0u64, 0u64);
    loop {
        let n = stdout.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        total += n as u64;
        tail.extend_from_slice(&buffer[..n]);
        if tail.len() > 8192 {
            tail.drain(..tail.len() - 4096);
        }
        reads += 1;
        if reads % 64 == 0 {
            if let Ok(status) = std::fs::read_to_string(&status_file) {
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                {
                    peak_kb = peak_kb.max(kb);
                }
            }
        }
    }
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (code, total, tail, peak_kb)
}

#[test]
fn call_streams_a_result_larger_than_the_buffer_limit() {
    let h = home();
    let (code, total, _, peak_kb) = run_counting(
        h.path(),
        &["call", "--demo", ".testkit", "output", "size=1100000000"],
        "",
    );
    assert_eq!(code, 0);
    assert_eq!(total, 1_100_000_000);
    assert!(peak_kb < 300_000, "peak RSS {peak_kb} kB");
}

#[test]
fn console_streams_a_result_larger_than_the_buffer_limit() {
    let h = home();
    let (code, total, tail, peak_kb) = run_counting(
        h.path(),
        &["console", "--demo"],
        ".testkit output size=1100000000\nversion\n",
    );
    assert_eq!(code, 0);
    assert!(total > 1_100_000_000, "{total}");
    let tail = String::from_utf8_lossy(&tail);
    assert!(tail.contains("\nversion\nbareos-dir Version"), "{tail}");
    assert!(peak_kb < 300_000, "peak RSS {peak_kb} kB");
}

#[test]
fn console_output_keeps_non_utf8_bytes() {
    use bareos::proto::Frame;
    let mut script = bareos_testkit::ScriptTable::new();
    script.insert(
        "list files jobid=1",
        vec![Frame::Data(b"/data/caf\xe9 latin-1.txt\n".to_vec())],
    );
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .script(script)
        .start()
        .unwrap();
    let h = home();
    let tee = h.path().join("tee.out");
    let output = connected(h.path(), &dir)
        .args(["console", "--allow-root-at-commands"])
        .write_stdin(format!(
            "@tee {} w\nlist files jobid=1\n@exec \"printf 'x\\351y\\n'\"\n@output\n",
            tee.display()
        ))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let has = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    assert!(has(&output, b"/data/caf\xe9 latin-1.txt\n"), "{output:?}");
    assert!(has(&output, b"x\xe9y\n"), "{output:?}");
    let file = std::fs::read(&tee).unwrap();
    assert!(has(&file, b"/data/caf\xe9 latin-1.txt\n"), "{file:?}");
    assert!(has(&file, b"x\xe9y\n"), "{file:?}");
}

#[test]
fn non_utf8_input_lines_are_rejected_one_by_one() {
    let h = home();
    let script = h.path().join("script.txt");
    std::fs::write(&script, b"@echo in-file-1\n\xff\xfe\n@echo in-file-2\n").unwrap();
    let mut input = b"version\n\xe9t\xe9\n".to_vec();
    input.extend_from_slice(format!("@input {}\nwhoami\n", script.display()).as_bytes());
    let assert = bareosctl(h.path())
        .args(["console", "--demo", "--allow-root-at-commands"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout(contains("in-file-1"))
        .stdout(contains("in-file-2"))
        .stdout(contains("\nwhoami\nroot\n"))
        .stderr(contains("line 2 of standard input is not valid UTF-8"))
        .stderr(contains("line 2 of ").and(contains("script.txt is not valid UTF-8")));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("stream did not contain"), "{stderr}");

    let fd = TestFileDaemon::builder()
        .director("bareos-dir", "fd_password", TlsPolicy::Required)
        .start()
        .unwrap();
    bareosctl(h.path())
        .args([
            "fd",
            "--address",
            "127.0.0.1",
            "--port",
            &fd.port().to_string(),
        ])
        .args(["--name", "bareos-dir"])
        .env("BAREOS_PASSWORD", "fd_password")
        .write_stdin(b"\xe9t\xe9\nstatus\n".to_vec())
        .assert()
        .code(2)
        .stdout(contains("Version"))
        .stderr(contains("line 1 of standard input is not valid UTF-8"));
}

#[test]
fn config_and_password_files_are_capped() {
    let h = home();
    let one_line_exit_2 = |cmd: &mut assert_cmd::Command, what: &str| {
        let assert = cmd.timeout(Duration::from_secs(10)).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains(what), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    };
    one_line_exit_2(
        bareosctl(h.path()).args(["-c", "/dev/zero", "-t"]),
        "not a regular file",
    );
    let conf = h.path().join("zero.conf");
    std::fs::write(&conf, "Director { Name = d; Password = x }\n@/dev/zero\n").unwrap();
    one_line_exit_2(
        bareosctl(h.path()).arg("-c").arg(&conf).arg("-t"),
        "not a regular file",
    );
    let big = h.path().join("big.conf");
    std::fs::write(&big, "#".repeat(2 << 20)).unwrap();
    one_line_exit_2(
        bareosctl(h.path()).arg("-c").arg(&big).arg("-t"),
        "larger than",
    );
    // A file including itself: too many files, not a hang.
    let looped = h.path().join("loop.conf");
    std::fs::write(&looped, "@loop.conf\n@loop.conf\n@loop.conf\n").unwrap();
    one_line_exit_2(bareosctl(h.path()).arg("-c").arg(&looped).arg("-t"), "loop");
    one_line_exit_2(
        bareosctl(h.path()).args([
            "--address",
            "127.0.0.1",
            "--password-file",
            "/dev/zero",
            "call",
            "version",
        ]),
        "password file",
    );
    let big_pw = h.path().join("pw");
    std::fs::write(&big_pw, "x".repeat(10_000)).unwrap();
    one_line_exit_2(
        bareosctl(h.path())
            .args(["--address", "127.0.0.1", "--password-file"])
            .arg(&big_pw)
            .args(["call", "version"]),
        "larger than",
    );
    // A pipe is fine (its first line is read).
    let dir = director();
    bareosctl(h.path())
        .args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
        .args(["--password-file", "/dev/stdin", "call", "version"])
        .write_stdin(format!("{DIR_PASSWORD}\n"))
        .assert()
        .success()
        .stdout(contains("Version"));
}

#[test]
fn pam_over_cleartext_needs_the_flag_and_a_pam_password_option_warns() {
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .console(
            bareos_testkit::ConsoleSpec::new("pamcon", "pamcon secret")
                .pam(true)
                .tls(TlsPolicy::None),
        )
        .pam_user("alice", "alice pw")
        .start()
        .unwrap();
    let h = home();
    let base = || {
        let mut cmd = bareosctl(h.path());
        cmd.args(["--address", "127.0.0.1", "--port", &dir.port().to_string()])
            .args([
                "--name",
                "pamcon",
                "--tls-psk-disable",
                "--pam-username",
                "alice",
            ])
            .env("BAREOS_PASSWORD", "pamcon secret");
        cmd
    };
    base()
        .args(["--pam-password", "alice pw", "call", "whoami"])
        .assert()
        .failure()
        .stderr(contains("--pam-allow-cleartext"))
        .stderr(contains("PAM password on the command line is visible"));
    base()
        .args(["--pam-password", "alice pw", "--pam-allow-cleartext"])
        .args(["call", "whoami"])
        .assert()
        .success()
        .stdout(contains("alice"))
        .stderr(contains("PAM password on the command line is visible"));
    base()
        .env("BAREOS_PAM_PASSWORD", "alice pw")
        .args(["--pam-allow-cleartext", "call", "whoami"])
        .assert()
        .success()
        .stdout(contains("alice"))
        .stderr(contains("visible").not());
}

#[test]
fn file_daemon_ending_the_session_after_an_unknown_command() {
    let fd = TestFileDaemon::builder()
        .director("bareos-dir", "fd_password", TlsPolicy::Required)
        .start()
        .unwrap();
    let h = home();
    let base = || {
        let mut cmd = bareosctl(h.path());
        cmd.args([
            "fd",
            "--address",
            "127.0.0.1",
            "--port",
            &fd.port().to_string(),
        ])
        .args(["--name", "bareos-dir"])
        .env("BAREOS_PASSWORD", "fd_password");
        cmd
    };
    // One-shot: the reply text is shown, the end of the session explained, exit 1.
    let assert = base().arg("estimate").assert().code(1);
    let out = assert.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("2999 Invalid command"), "{stdout}");
    assert!(
        stderr.contains("file daemon rejected 'estimate' and ended the session"),
        "{stderr}"
    );
    assert!(!stderr.contains("in the middle of a response"), "{stderr}");
    // Interactive: the next command still runs (on a new session); exit status 1.
    let assert = base().write_stdin("foo\nstatus\n").assert().code(1);
    let out = assert.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("2999 Invalid command"), "{stdout}");
    assert!(stdout.contains("Version"), "{stdout} {stderr}");
    assert!(
        stderr.contains("file daemon rejected 'foo' and ended the session"),
        "{stderr}"
    );
}

#[test]
fn timeout_must_be_a_positive_number() {
    let h = home();
    for option in ["--timeout", "-u"] {
        for value in ["0", "-1", "abc", "1.5", ""] {
            bareosctl(h.path())
                .args(["call", "--demo", option, value, "version"])
                .assert()
                .code(2);
        }
    }
    bareosctl(h.path())
        .args(["call", "--demo", "--timeout", "5", "version"])
        .assert()
        .success();
}

#[test]
fn too_long_console_line_is_an_error_of_that_line_only() {
    let h = home();
    let input = format!("version\n{}\nwhoami\n", "x".repeat(1_100_000));
    let assert = bareosctl(h.path())
        .args(["console", "--demo"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout(contains("\nwhoami\nroot\n"))
        .stderr(contains("longer than"))
        .stderr(contains("reconnect").not());
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

/// How the refusal names an option: with its short form when it has one.
fn option_name(option: &str) -> &str {
    match option {
        "-p" => "-p/--password",
        other => other,
    }
}

#[test]
fn serve_refuses_director_connection_options() {
    let h = home();
    for args in [
        &["--address", "dir.example.com"][..],
        &["--port", "9101"],
        &["-p", "secret"],
    ] {
        // After `serve`: not one of its options, a usage error from the parser.
        let assert = bareosctl(h.path())
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--demo"])
            .timeout(Duration::from_secs(10))
            .assert()
            .code(2)
            .stderr(contains(format!("unexpected argument '{}'", args[0])))
            .stderr(contains("Usage: bareosctl serve"));
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(!stderr.contains("secret"), "{stderr}");
        // Before `serve`: refused too, saying where the directors are configured.
        let assert = bareosctl(h.path())
            .args(args)
            .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
            .timeout(Duration::from_secs(10))
            .assert()
            .code(2)
            .stderr(contains(format!(
                "{} does not apply to serve",
                option_name(args[0])
            )))
            .stderr(contains("--config FILE"));
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(!stderr.contains("secret"), "{stderr}");
    }
    // The connection options of the other commands are not in serve's help.
    bareosctl(h.path())
        .args(["serve", "--help"])
        .assert()
        .success()
        .stdout(contains("--listen"))
        .stdout(contains("--address").not())
        .stdout(contains("--password").not());
}

#[test]
fn a_long_command_is_not_cut_by_a_default_deadline() {
    // The director thinks for 3 s: fine without --timeout (a command runs as long as
    // the director needs, in `call` and in the console), cut with --timeout 1.
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .fault(FaultSpec::on_command(
            "wait",
            Fault::Delay(Duration::from_secs(3)),
        ))
        .start()
        .unwrap();
    let h = home();
    let start = Instant::now();
    connected(h.path(), &dir)
        .args(["call", "wait"])
        .assert()
        .success();
    assert!(start.elapsed() >= Duration::from_secs(3));
    connected(h.path(), &dir)
        .arg("console")
        .write_stdin("wait\nwhoami\n")
        .assert()
        .success()
        .stdout(contains("root"));
    connected(h.path(), &dir)
        .args(["--timeout", "1", "call", "wait"])
        .assert()
        .code(4);
}

#[test]
fn abbreviated_quit_ends_the_console_as_the_director_does() {
    let dir = director();
    let h = home();
    // `q` is `quit` for the director: the console stops there, the next line is not sent.
    connected(h.path(), &dir)
        .write_stdin("whoami\nq\nversion\n")
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .stdout(contains("root"))
        .stdout(contains("Version:").count(1));
    // In JSON mode too, `qu` ends the session instead of being sent as a JSON call.
    connected(h.path(), &dir)
        .args(["console", "--json"])
        .write_stdin(".ap 2\nqu\nwhoami\n")
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .stdout(contains("\"whoami\"").not());
}
