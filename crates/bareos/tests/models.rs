//! The typed models against the real API 2 JSON of the transcripts 60-69.

use bareos::models::*;
use bareos_testkit::Transcript;
use serde_json::Value;
use std::path::PathBuf;

fn transcripts() -> PathBuf {
    bareos_testkit::recorded_transcripts(env!("CARGO_MANIFEST_DIR"))
        .expect("checked by available()")
}

/// Whether the recordings are there (see `bareos_testkit::recorded_transcripts`).
fn available() -> bool {
    bareos_testkit::recorded_transcripts(env!("CARGO_MANIFEST_DIR")).is_some()
}

/// Every (command, JSON document) pair of one transcript, in order.
fn replies(prefix: &str) -> Vec<(String, Value)> {
    let dir = transcripts();
    let file = std::fs::read_dir(&dir)
        .expect("transcripts directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with(prefix) && name.ends_with(".jsonl")
        })
        .unwrap_or_else(|| panic!("no transcript {prefix}"));
    let transcript = Transcript::load(&file).unwrap();
    let mut out = Vec::new();
    for exchange in transcript.exchanges() {
        let Some(request) = exchange.request.data() else {
            continue;
        };
        let command = String::from_utf8_lossy(request).trim().to_string();
        for frame in &exchange.reply {
            if let Some(data) = frame.data() {
                if let Ok(doc) = serde_json::from_slice::<Value>(data) {
                    out.push((command.clone(), doc));
                }
            }
        }
    }
    out
}

fn result_of(prefix: &str, command: &str) -> Value {
    replies(prefix)
        .into_iter()
        .find(|(c, _)| c == command)
        .unwrap_or_else(|| panic!("no reply to {command:?} in {prefix}"))
        .1["result"]
        .clone()
}

#[test]
fn jobs_short_long_single_and_empty() {
    if !available() {
        return;
    }
    let short: JobList = from_result(&result_of("61", "list jobs")).unwrap();
    assert_eq!(short.jobs.len(), 4);
    assert_eq!(short.jobs[0].jobid, 1);
    assert_eq!(short.jobs[0].jobbytes, Some(139898));
    assert_eq!(short.jobs[0].jobstatus.as_deref(), Some("T"));
    assert_eq!(short.jobs[0].job_type.as_deref(), Some("B"));

    let long: JobList = from_result(&result_of("61", "llist jobs")).unwrap();
    assert_eq!(long.jobs.len(), 4);
    assert!(long.jobs[0]
        .job
        .as_deref()
        .unwrap()
        .starts_with("backup-bareos-fd."));
    assert_eq!(long.jobs[0].poolname.as_deref(), Some("Full"));
    assert!(long.jobs[0].extra.contains_key("volsessionid"));

    let one: JobList = from_result(&result_of("61", "llist jobid=1")).unwrap();
    assert_eq!(one.jobs.len(), 1);
    assert_eq!(one.jobs[0].jobfiles, Some(86));

    let none: JobList = from_result(&result_of("66", "llist jobid=999999")).unwrap();
    assert!(none.jobs.is_empty());
    let abc: JobList = from_result(&result_of("66", "list jobid=abc")).unwrap();
    assert!(abc.jobs.is_empty());

    let count: Vec<Count> =
        serde_json::from_value(result_of("61", "list jobs count")["jobs"].clone()).unwrap();
    assert_eq!(count[0].count, 4);
}

#[test]
fn every_job_poll_of_the_lifecycle_parses() {
    if !available() {
        return;
    }
    let mut polls = 0;
    for (command, doc) in replies("65") {
        if command.starts_with("llist jobid=") {
            let list: JobList = from_result(&doc["result"]).unwrap();
            polls += 1;
            for job in list.jobs {
                assert!(job.jobid >= 6);
            }
        }
    }
    assert!(polls >= 6);
    let run: RunResult =
        from_result(&result_of("65", "run job=backup-bareos-fd level=Full yes")).unwrap();
    assert_eq!(run.run.jobid, 6);
    let rerun: RunResult = from_result(&result_of("65", "rerun jobid=6 yes")).unwrap();
    assert_eq!(rerun.run.jobid, 7);
    let waited: WaitedJob = from_result(&result_of("65", "wait jobid=6")["job"]).unwrap();
    assert_eq!(waited.jobid, 6);
    assert_eq!(waited.exitstatus, Some(0));
}

#[test]
fn job_log_totals_and_files() {
    if !available() {
        return;
    }
    let log: JobLog = from_result(&result_of("61", "list joblog jobid=1")).unwrap();
    assert!(log.joblog.len() > 5);
    assert!(log.joblog[0]
        .logtext
        .as_deref()
        .unwrap()
        .contains("JobId 1"));

    let totals: JobTotals = from_result(&result_of("61", "list jobtotals")).unwrap();
    assert_eq!(totals.jobtotals.jobs, Some(4));
    assert_eq!(totals.jobtotals.bytes, Some(284801));
    assert_eq!(totals.jobs.len(), 2);
    assert_eq!(totals.jobs[0].job.as_deref(), Some("backup-bareos-fd"));

    let files: FileList = from_result(&result_of("61", "list files jobid=1")).unwrap();
    assert_eq!(files.filenames.len(), 86);
    assert!(files
        .filenames
        .iter()
        .any(|f| f.filename.contains('\u{fffd}')));
    assert!(files.filenames.iter().any(|f| f.filename.contains("èéäñû")));
}

#[test]
fn clients_filesets_pools_storages() {
    if !available() {
        return;
    }
    let clients: ClientList = from_result(&result_of("61", "list clients")).unwrap();
    assert_eq!(clients.clients.len(), 2);
    assert_eq!(clients.clients[1].name, "bareos-fd");
    assert_eq!(clients.clients[1].fileretention, Some(5184000));
    let one: ClientList = from_result(&result_of("61", "list client=bareos-fd")).unwrap();
    assert_eq!(one.clients.len(), 1);

    let filesets: FilesetList = from_result(&result_of("61", "list filesets")).unwrap();
    assert_eq!(filesets.filesets[0].fileset.as_deref(), Some("SelfTest"));
    assert!(filesets.filesets[0].extra.contains_key("filesettext"));

    let pools: PoolList = from_result(&result_of("61", "list pools")).unwrap();
    assert_eq!(pools.pools.len(), 4);
    assert_eq!(pools.pools[2].name, "Full");
    assert_eq!(pools.pools[2].maxvols, Some(100));
    let updated: Vec<CatalogPool> =
        serde_json::from_value(result_of("67", "update pool=Full")["query"].clone()).unwrap();
    assert_eq!(updated[0].name, "Full");

    let storages: StorageList = from_result(&result_of("61", "list storages")).unwrap();
    assert_eq!(storages.storages[0].name, "File");
    assert_eq!(storages.storages[0].autochanger, Some(false));
}

#[test]
fn volumes_by_pool_single_and_empty() {
    if !available() {
        return;
    }
    for command in ["list volumes", "llist volumes", "list media"] {
        let volumes: VolumesByPool = from_result(&result_of("61", command)).unwrap();
        assert_eq!(volumes.volumes.len(), 4, "{command}");
        assert!(volumes.volumes["scratch"].is_empty());
        let all: Vec<&Volume> = volumes.all().collect();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].volumename, "Full-0001");
        assert_eq!(all[0].volbytes, Some(527139));
    }
    let long: VolumesByPool = from_result(&result_of("61", "llist volumes")).unwrap();
    assert_eq!(long.volumes["full"][0].pool.as_deref(), Some("Full"));
    assert_eq!(long.volumes["full"][0].maxvolbytes, Some(53687091200));

    let one: SingleVolume = from_result(&result_of("61", "llist volume=Full-0001")).unwrap();
    assert_eq!(one.volume.unwrap().mediaid, 1);
    let label = replies("67");
    let gone = label
        .iter()
        .rev()
        .find(|(c, _)| c == "list volume=TestVol1")
        .unwrap();
    let gone: SingleVolume = from_result(&gone.1["result"]).unwrap();
    assert!(gone.volume.is_none());
    let fresh: SingleVolume = from_result(&result_of("67", "llist volume=TestVol1")).unwrap();
    assert_eq!(fresh.volume.unwrap().lastwritten.as_deref(), Some(""));
}

#[test]
fn show_resources() {
    if !available() {
        return;
    }
    let clients: ResourceMap = resources(&result_of("60", "show clients"), "clients").unwrap();
    assert_eq!(clients["bareos-fd"].name, "bareos-fd");
    assert_eq!(clients["bareos-fd"].extra["port"], 30492);
    for (command, key) in [
        ("show jobs", "jobs"),
        ("show jobdefs", "jobdefs"),
        ("show filesets", "filesets"),
        ("show pools", "pools"),
        ("show storages", "storages"),
        ("show client=bareos-fd verbose", "clients"),
        ("show pool=Full verbose", "pools"),
    ] {
        let map: ResourceMap = resources(&result_of("60", command), key).unwrap();
        assert!(!map.is_empty(), "{command}");
    }
    let schedules: ResourceMap<ScheduleResource> =
        resources(&result_of("60", "show schedules"), "schedules").unwrap();
    assert_eq!(schedules["TestCycle"].run, ["Full at 14:00"]);
    let consoles: ResourceMap<ConsoleResource> =
        resources(&result_of("60", "show consoles"), "consoles").unwrap();
    assert_eq!(consoles["poolnotfull"].acls.poolacl, ["!Full", "*all*"]);
    assert_eq!(consoles["poolnotfull"].tlsenable, Some(false));
    let profiles: ResourceMap<ProfileResource> =
        resources(&result_of("60", "show profiles"), "profiles").unwrap();
    assert!(profiles["operator"]
        .acls
        .commandacl
        .contains(&"!delete".to_string()));
    let users: ResourceMap<UserResource> = resources(&serde_json::json!({}), "users").unwrap();
    assert!(users.is_empty());
}

#[test]
fn dot_lists_version_time_status_whoami() {
    if !available() {
        return;
    }
    let jobs = named_list(&result_of("62", ".jobs"), "jobs").unwrap();
    assert!(jobs.len() > 3);
    assert_eq!(jobs[0].enabled, Some(true));
    let schedules = named_list(&result_of("62", ".schedule"), "schedules").unwrap();
    assert_eq!(schedules[0].name, "TestCycle");
    let consoles = named_list(&result_of("62", ".consoles"), "consoles").unwrap();
    assert!(consoles.iter().any(|c| c.name == "admin notls"));
    let profiles = named_list(&result_of("62", ".profiles"), "profiles").unwrap();
    assert_eq!(profiles.len(), 2);

    let version: VersionResult = from_result(&result_of("62", "version")).unwrap();
    assert_eq!(
        version.version.version.as_deref(),
        Some("26.0.0~pre1298.eda204c31")
    );
    assert_eq!(
        version.version.daemon_type.as_deref(),
        Some("bareos-director")
    );
    assert!(version.version.extra.contains_key("distname"));
    let time: TimeResult = from_result(&result_of("62", "time")).unwrap();
    assert_eq!(time.time.year, Some(2026));
    assert_eq!(time.time.second, Some(53));

    let status: DirectorStatus = from_result(&result_of("63", "status director")).unwrap();
    assert_eq!(status.header.jobs_run, Some(4));
    assert_eq!(status.terminated[0].bytes, Some(139898));
    let who: WhoAmI = from_result(&result_of("62", "whoami")).unwrap();
    assert_eq!(who.whoami, "admin notls");
}

#[test]
fn every_api2_result_of_the_corpus_is_valid_json_and_round_trips_through_resource_maps() {
    if !available() {
        return;
    }
    let mut n = 0;
    for prefix in ["60", "61", "62", "63", "64", "65", "66", "67", "69"] {
        for (_, doc) in replies(prefix) {
            assert!(doc.get("result").is_some() || doc.get("error").is_some());
            n += 1;
        }
    }
    assert!(n > 140, "{n}");
}
