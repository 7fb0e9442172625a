//! The simulated catalog: the fixed rows answer as the recorded real director did, a
//! seed replaces them, runs enter the job history, daemons can be unreachable.

mod common;

use bareos_proto::Signal;
use bareos_testkit::{CatalogSeed, ClientSpec, StorageSpec, TestDirector, TestDirectorBuilder};
use common::{cleartext_console, transcripts, Client};
use serde_json::Value;

fn builder() -> TestDirectorBuilder {
    TestDirector::builder().console(cleartext_console("admin"))
}

fn logged_in(d: &TestDirector) -> Client {
    Client::logged_in(d.addr(), "admin", "secret")
}

/// The `result` of a command in API 2.
fn result(c: &mut Client, command: &str) -> Value {
    let frames = c.command(command, Signal::MainPrompt);
    let doc = frames
        .iter()
        .filter_map(|f| f.data())
        .find(|d| d.starts_with(b"{"))
        .unwrap_or_else(|| panic!("no JSON for {command}: {frames:?}"));
    let doc: Value = serde_json::from_slice(doc).unwrap();
    doc["result"].clone()
}

/// The text of the API 0 reply.
fn text(c: &mut Client, command: &str) -> String {
    c.command(command, Signal::Eod)
        .iter()
        .filter_map(|f| f.data())
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect()
}

/// The recorded result of `command` in transcript 61 (API 2, compact).
fn recorded(command: &str) -> Value {
    let path = transcripts()
        .expect("the recordings")
        .join("61-pyb-master-api2-catalog-lists.jsonl");
    let lines: Vec<Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sent = lines
        .iter()
        .position(|l| l["dir"] == "c2s" && l["data_text"] == command)
        .unwrap();
    let reply = lines[sent..]
        .iter()
        .find(|l| l["dir"] == "s2c" && l["data_text"].as_str().is_some_and(|t| t.starts_with('{')))
        .unwrap();
    let doc: Value = serde_json::from_str(reply["data_text"].as_str().unwrap()).unwrap();
    doc["result"].clone()
}

/// Every field we send has the recorded value (the unique job name's counter aside).
fn same_fields(ours: &Value, real: &Value) {
    let ours = ours.as_object().unwrap();
    assert!(ours.len() >= 10, "{ours:?}");
    for (key, value) in ours {
        if key == "job" {
            continue;
        }
        assert_eq!(Some(value), real.get(key), "{key}");
    }
}

#[test]
fn fixed_catalog_answers_as_recorded() {
    let d = builder().start().unwrap();
    let mut c = logged_in(&d);
    c.command(".api json compact=yes", Signal::MainPrompt);
    let jobs = result(&mut c, "llist jobs");
    same_fields(&jobs["jobs"][0], &recorded("llist jobs")["jobs"][0]);
    for command in ["llist volumes", "list volumes"] {
        let ours = result(&mut c, command);
        let real = recorded(command);
        let pools: Vec<&String> = ours["volumes"].as_object().unwrap().keys().collect();
        let real_pools: Vec<&String> = real["volumes"].as_object().unwrap().keys().collect();
        assert_eq!(pools, real_pools);
        same_fields(&ours["volumes"]["full"][0], &real["volumes"]["full"][0]);
    }
    assert_eq!(result(&mut c, "list pools"), recorded("list pools"));
    let one = result(&mut c, "llist volumes pool=Full");
    assert_eq!(one["volumes"][0]["volumename"], "Full-0001");
}

#[test]
fn seed_filters_and_runs() {
    let seed = CatalogSeed::from_json(
        r#"{"pools": [{"name": "P", "maxvols": 3, "volumes": [{"name": "P-1", "status": "Full"}]}],
            "jobs": [{"name": "old", "ended_ago": 90000, "level": "I"},
                     {"name": "new", "status": "E", "ended_ago": 60, "duration": 30}]}"#,
    )
    .unwrap();
    let d = builder()
        .catalog(seed)
        .job_outcome("backup-test2-fd", "f")
        .start()
        .unwrap();
    let mut c = logged_in(&d);
    c.command(".api json compact=yes", Signal::MainPrompt);
    let pools = result(&mut c, "list pools");
    assert_eq!(pools["pools"][0]["name"], "P");
    assert_eq!(pools["pools"][0]["numvols"], "1");
    assert_eq!(
        result(&mut c, "list volumes")["volumes"]["p"][0]["volstatus"],
        "Full"
    );
    let recent = result(&mut c, "llist jobs hours=1");
    assert_eq!(recent["jobs"].as_array().unwrap().len(), 1);
    let new = &recent["jobs"][0];
    assert_eq!(
        (new["jobid"].as_str(), new["jobstatus"].as_str()),
        (Some("2"), Some("E"))
    );
    assert_eq!(new["duration"], "00:00:30");
    let tdate: i64 = new["jobtdate"].as_str().unwrap().parse().unwrap();
    // It ended 60 s before the director started.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((60..90_000).contains(&(now - tdate)), "{new}");
    assert_eq!(
        result(&mut c, "llist jobs jobstatus=T")["jobs"][0]["name"],
        "old"
    );
    assert_eq!(
        result(&mut c, "list jobs joblevel=Full jobstatus=error")["jobs"][0]["name"],
        "new"
    );
    let names = result(&mut c, ".jobs");
    assert!(names["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|j| j["name"] == "old"));
    // A run gets the next id and, once ended, the configured outcome and an end time.
    assert_eq!(
        result(&mut c, "run job=backup-test2-fd yes")["run"]["jobid"],
        "3"
    );
    let run = (0..100)
        .find_map(|_| {
            let jobs = result(&mut c, "llist jobid=3");
            if jobs["jobs"][0]["jobstatus"] == "f" {
                return Some(jobs["jobs"][0].clone());
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
            None
        })
        .expect("the run ends");
    assert_ne!(run["endtime"], "");
    assert_eq!(run["joberrors"], "1");
    assert_eq!(
        result(&mut c, "list jobs last")["jobs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn daemons_up_and_down() {
    let d = builder()
        .client(ClientSpec::new("bareos-fd"))
        .client(ClientSpec::new("gone-fd").unreachable())
        .storage(StorageSpec::new("File"))
        .storage(StorageSpec::new("Tape").unreachable())
        .start()
        .unwrap();
    let mut c = logged_in(&d);
    // A reachable daemon: the director connects and shows its status.
    for (command, head, version) in [
        (
            "status client=bareos-fd",
            "Connecting to Client bareos-fd at localhost:9102\n",
            "\nbareos-fd Version: 26.0.0~pre1298.eda204c31 (21 August 2026)",
        ),
        (
            "status storage=File",
            "Connecting to Storage daemon File at localhost:9103\n Encryption: ",
            "\nbareos-sd Version: 26.0.0~pre1298.eda204c31 (21 August 2026) ",
        ),
    ] {
        let up = text(&mut c, command);
        assert!(up.starts_with(head), "{up}");
        assert!(up.contains(version), "{up}");
    }
    let down = text(&mut c, "status client=gone-fd");
    assert_eq!(
        down,
        "Connecting to Client gone-fd at localhost:9102\n\nFailed to connect to Client gone-fd.\n====\n"
    );
    assert!(text(&mut c, "status storage=Tape")
        .ends_with("\nFailed to connect to Storage daemon Tape.\n====\n"));
    assert_eq!(text(&mut c, ".storages"), "File\nTape\n");
}

#[test]
fn the_binary_takes_the_catalog_and_daemon_options() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("testkit-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"pools": [{"name": "Only", "volumes": [{"name": "Only-1", "status": "Used"}]}]}"#,
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bareos-test-director"))
        .args(["--console", "admin:secret:none", "--catalog"])
        .arg(&seed)
        .args([
            "--client",
            "gone-fd:unreachable",
            "--storage",
            "Tape:unreachable",
        ])
        .args(["--job-outcome", "backup-bareos-fd=W"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: Value = serde_json::from_str(&line).unwrap();
    let addr = addr["director"].as_str().unwrap().parse().unwrap();
    let mut c = Client::logged_in(addr, "admin", "secret");
    assert!(text(&mut c, "status client=gone-fd").contains("Failed to connect to Client gone-fd."));
    assert!(
        text(&mut c, "status storage=Tape").contains("Failed to connect to Storage daemon Tape.")
    );
    c.command(".api json compact=yes", Signal::MainPrompt);
    assert_eq!(
        result(&mut c, "list volumes")["volumes"]["only"][0]["volstatus"],
        "Used"
    );
    assert_eq!(
        result(&mut c, "run job=backup-bareos-fd yes")["run"]["jobid"],
        "5"
    );
    let ended = (0..100).any(|_| {
        let done = result(&mut c, "list jobs jobid=5")["jobs"][0]["jobstatus"] == "W";
        if !done {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        done
    });
    assert!(ended, "the run ends with warnings");
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&dir);
}
