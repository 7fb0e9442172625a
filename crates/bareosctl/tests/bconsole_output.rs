//! `bareosctl console` with piped input prints what the C++ bconsole printed for the same
//! director answers and the same script: each recorded bconsole session is served again
//! by the test director (in recorded order) and the outputs are compared byte for byte,
//! apart from the address in `Connecting to Director`.

mod common;

use bareos_testkit::{ConsoleSpec, Replay, TestDirector, TlsPolicy, Transcript};
use common::*;
use std::path::Path;

/// The recorded sessions whose output must match, with the console they logged in as.
const SESSIONS: &[&str] = &[
    "21-bconsole-admin-notls-login-and-api0-commands",
    "22-bconsole-api1-commands",
    "23-bconsole-api-json-compact-commands",
    "24-bconsole-select-prompt-status-client",
    "25-bconsole-restore-menu-cancel",
    "26-bconsole-restore-tree-mode-then-no",
    "27-bconsole-run-job-yesno-prompt-no",
    "28-bconsole-long-output-list-files",
];

/// `--- stdin ---` and `--- stdout ---` of a `*.client.txt` (the recorder ends the
/// stdout section with one newline of its own).
fn sections(text: &str) -> (String, String) {
    let stdin_at = text.find("--- stdin ---\n").expect("stdin section") + 14;
    let stdout_marker = text.find("--- stdout ---\n").expect("stdout section");
    let stdin = text[stdin_at..stdout_marker].to_string();
    let rest = &text[stdout_marker + 15..];
    let stdout = match rest.find("\n--- ") {
        Some(end) => &rest[..end + 1],
        None => rest,
    };
    let stdout = stdout.strip_suffix('\n').unwrap_or(stdout);
    (stdin, stdout.to_string())
}

/// The console name of the recorded hello (`Hello NAME calling ...`, spaces bashed).
fn console_name(transcript: &Transcript) -> String {
    let hello = transcript
        .frames
        .iter()
        .find_map(|f| f.from_client.then(|| f.frame.data()).flatten())
        .expect("a hello");
    let text = String::from_utf8_lossy(hello);
    let name = text
        .strip_prefix("Hello ")
        .and_then(|rest| rest.split(" calling").next())
        .expect("hello form");
    name.replace('\u{1}', " ")
}

/// Drops the line `Connecting to Director HOST:PORT` (the address differs).
fn without_address(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !line.starts_with("Connecting to Director "))
        .collect()
}

fn compare(dir: &Path, session: &str) {
    let jsonl = dir.join(format!("{session}.jsonl"));
    let transcript = Transcript::load(&jsonl).unwrap();
    let name = console_name(&transcript);
    let client = std::fs::read_to_string(dir.join(format!("{session}.client.txt"))).unwrap();
    let (stdin, expected) = sections(&client);
    let director = TestDirector::builder()
        .console(ConsoleSpec::new(&name, "recorded").tls(TlsPolicy::None))
        .replay(Replay::from_transcript(&jsonl).unwrap())
        .start()
        .unwrap();
    let h = tempfile::tempdir().unwrap();
    let output = bareosctl(h.path())
        .args([
            "--address",
            "127.0.0.1",
            "--port",
            &director.port().to_string(),
        ])
        .args([
            "--name",
            &name,
            "--password",
            "recorded",
            "--tls-psk-disable",
        ])
        .arg("console")
        .write_stdin(stdin)
        .output()
        .unwrap();
    let actual = String::from_utf8_lossy(&output.stdout);
    let (actual, expected) = (without_address(&actual), without_address(&expected));
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "{session}: output differs from bconsole's at line {}:\n  ours:     {:?}\n  bconsole: {:?}",
            first + 1,
            actual.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn piped_console_output_is_bconsoles() {
    let Some(dir) = bareos_testkit::recorded_transcripts(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let failures: Vec<String> = SESSIONS
        .iter()
        .filter_map(|session| {
            std::panic::catch_unwind(|| compare(&dir, session))
                .err()
                .map(|e| {
                    e.downcast_ref::<String>()
                        .cloned()
                        .unwrap_or_else(|| format!("{session}: failed"))
                })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
