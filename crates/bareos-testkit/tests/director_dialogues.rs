//! The interactive dialogues of the simulated director compared with what the real
//! director sent (the recorded transcripts): `restore` with its menu, the file tree,
//! the bootstrap summary and the restore job's question; prompts cancelled with `.`.

mod common;

use bareos_proto::hello::ResourceType;
use bareos_proto::{Frame, ProtocolVersion, Signal};
use bareos_testkit::{ConsoleSpec, Replay, TestDirector, TlsPolicy};
use common::{console, data, sig, transcripts, Client, Transport};

fn director() -> TestDirector {
    TestDirector::builder()
        .console(ConsoleSpec::new("admin notls", "secret").tls(TlsPolicy::None))
        .start()
        .unwrap()
}

fn logged_in(d: &TestDirector) -> Client {
    let mut c = Client::connect(d.addr(), Transport::Clear, ResourceType::Console, "", "").unwrap();
    c.login(console("admin notls", "secret", ProtocolVersion::V2, false))
        .unwrap();
    c
}

/// The recorded command-phase steps of a transcript: (request, reply frames).
fn recorded(name: &str) -> Vec<(String, Vec<Frame>)> {
    let dir = transcripts().expect("the recordings are part of the crate");
    let replay = Replay::from_transcript(dir.join(name)).unwrap();
    replay
        .expected_requests()
        .iter()
        .enumerate()
        .map(|(i, request)| {
            let text = String::from_utf8_lossy(request.data().unwrap()).into_owned();
            (text, replay.reply(i).unwrap().to_vec())
        })
        .collect()
}

/// Reads the reply to `request`: up to the signal `expected` ends with, or as many
/// frames as `expected` when it ends with a prompt text (API 1).
fn reply(c: &mut Client, request: &str, expected: &[Frame]) -> Vec<Frame> {
    match expected.last() {
        Some(Frame::Signal(s)) => c.command(request, *s),
        _ => {
            c.send(request);
            (0..expected.len()).map(|_| c.expect_frame()).collect()
        }
    }
}

fn text(frames: &[Frame]) -> String {
    frames
        .iter()
        .filter_map(Frame::data)
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect()
}

#[test]
fn restore_menu_cancelled_as_transcript_25() {
    let d = director();
    let mut c = logged_in(&d);
    for (request, expected) in recorded("25-bconsole-restore-menu-cancel.jsonl") {
        if request == "quit" {
            break;
        }
        assert_eq!(reply(&mut c, &request, &expected), expected, "{request}");
    }
}

/// Transcript 26 step by step. Three things differ by nature: the progress ticks (the
/// tree is built in another order), the `When:` time, and the top of the tree (the
/// simulated catalog keeps the paths `list files` shows).
#[test]
fn restore_tree_and_job_question_as_transcript_26() {
    let d = director();
    let mut c = logged_in(&d);
    for (request, expected) in recorded("26-bconsole-restore-tree-mode-then-no.jsonl") {
        if request == "quit" {
            break;
        }
        let got = reply(&mut c, &request, &expected);
        match request.as_str() {
            "5" => {
                let ticks = |f: &[Frame]| f.iter().filter(|f| **f == data("+")).count();
                assert!(ticks(&got) > 30, "{got:?}");
                let strip = |f: &[Frame]| -> Vec<Frame> {
                    f.iter().filter(|f| **f != data("+")).cloned().collect()
                };
                assert_eq!(strip(&got), strip(&expected));
            }
            "ls" => assert_eq!(
                got,
                vec![data("var/\n"), data("$ "), sig(Signal::SubPrompt)]
            ),
            "done" => assert_eq!(without_when(&got), without_when(&expected)),
            _ => assert_eq!(got, expected, "{request}"),
        }
    }
}

/// Replaces the time of a `When:` line with a mark.
fn without_when(frames: &[Frame]) -> Vec<Frame> {
    frames
        .iter()
        .map(|f| match f.data() {
            Some(d) if String::from_utf8_lossy(d).contains("\nWhen:") => {
                let t = String::from_utf8_lossy(d);
                let at = t.find("When:").unwrap();
                let end = at + t[at..].find('\n').unwrap();
                data(&format!("{}When: <now>{}", &t[..at], &t[end..]))
            }
            _ => f.clone(),
        })
        .collect()
}

/// The run question, the restore menu, the label prompt and the delete question of
/// transcript 17, in API 1, all refused or cancelled.
#[test]
fn prompts_in_api_1_as_transcript_17() {
    let d = director();
    let mut c = logged_in(&d);
    c.command(".api 1", Signal::MainPrompt);
    let steps = recorded("17-pyb-api1-select-yesno-textinput-prompts-raw.jsonl");
    let run = steps
        .iter()
        .position(|(r, _)| r == "run job=backup-bareos-fd")
        .unwrap();
    for (request, expected) in &steps[run..run + 2] {
        let got = reply(&mut c, request, expected);
        assert_eq!(without_when(&got), without_when(expected), "{request}");
    }
    let at = steps.iter().position(|(r, _)| r == "restore").unwrap();
    assert_eq!(steps[at + 4].0, "delete volume=Full-0001");
    for (request, expected) in &steps[at..at + 6] {
        assert_eq!(&reply(&mut c, request, expected), expected, "{request}");
    }
}

#[test]
fn restore_by_jobid_asks_for_the_client_and_runs_with_yes() {
    let d = director();
    let mut c = logged_in(&d);
    let menu = text(&c.command("restore", Signal::SubPrompt));
    assert!(menu.ends_with("Select item:  (1-13): "), "{menu}");
    let asked = text(&c.command("3", Signal::SubPrompt));
    assert_eq!(asked, "Enter JobId(s), comma separated, to restore: ");
    let tree = text(&c.command("3", Signal::SubPrompt));
    assert!(tree.starts_with("You have selected the following JobId: 3\n\nBuilding directory tree for JobId(s) 3 ...  +"), "{tree}");
    assert!(
        tree.contains("\n1,002 files inserted into the tree.\n"),
        "{tree}"
    );
    assert!(tree.ends_with("cwd is: /\n$ "), "{tree}");
    let cd = text(&c.command(
        "cd /var/lib/bareos-test/tmp/backup-data-numbered-files",
        Signal::SubPrompt,
    ));
    assert_eq!(
        cd,
        "cwd is: /var/lib/bareos-test/tmp/backup-data-numbered-files/\n$ "
    );
    assert_eq!(
        text(&c.command("mark 100?.txt", Signal::SubPrompt)),
        "10 files newly marked.\n$ "
    );
    assert_eq!(
        text(&c.command("mark 100?.txt", Signal::SubPrompt)),
        "No files newly marked.\n$ "
    );
    assert_eq!(
        text(&c.command("unmark 1000.txt", Signal::SubPrompt)),
        "1 file newly unmarked.\n$ "
    );
    assert_eq!(
        text(&c.command("estimate", Signal::SubPrompt)),
        "1002 total files; 10 marked to be restored; 45 bytes.\n$ "
    );
    assert_eq!(
        text(&c.command("lsmark", Signal::SubPrompt)),
        "*1001.txt\n*1002.txt\n*1003.txt\n*1004.txt\n*1005.txt\n*1006.txt\n*1007.txt\n*1008.txt\n*1009.txt\n$ "
    );
    let bad = c.command("frobnicate", Signal::SubPrompt);
    assert_eq!(
        bad[0],
        data("Invalid command \"frobnicate\". Enter \"done\" to exit.\n")
    );
    assert_eq!(
        text(&c.command("pwd", Signal::SubPrompt)),
        "cwd is: /var/lib/bareos-test/tmp/backup-data-numbered-files/\n$ "
    );
    assert_eq!(
        text(&c.command("cd nowhere", Signal::SubPrompt)),
        "Invalid path given.\ncwd is: /var/lib/bareos-test/tmp/backup-data-numbered-files/\n$ "
    );
    let help = text(&c.command("help", Signal::SubPrompt));
    assert!(help.starts_with("  Command    Description\n  =======    ===========\n  abort      abort and do not do restore\n"), "{help}");
    // Selected by JobId: the client is asked for after the summary.
    let summary = text(&c.command("done", Signal::SubPrompt));
    assert!(
        summary.contains("\n9 files selected to be restored.\n\n"),
        "{summary}"
    );
    assert!(
        summary.ends_with("Defined Clients:\n1: bareos-fd\n2: test2-fd\nSelect the Client (1-2): "),
        "{summary}"
    );
    let job = text(&c.command("1", Signal::SubPrompt));
    assert!(
        job.contains("Backup Client:   bareos-fd\nRestore Client:  bareos-fd\n"),
        "{job}"
    );
    // mod > Where changes the prefix.
    let menu = text(&c.command("mod", Signal::SubPrompt));
    assert!(
        menu.contains("10: Where\n") && menu.ends_with("Select parameter to modify (1-14): "),
        "{menu}"
    );
    assert_eq!(
        text(&c.command("10", Signal::SubPrompt)),
        "Please enter the full path prefix for restore (/ for none): "
    );
    let shown = text(&c.command("/tmp/back", Signal::SubPrompt));
    assert!(shown.contains("Where:           /tmp/back\n"), "{shown}");
    let queued = text(&c.command("yes", Signal::Eod));
    assert!(queued.starts_with("Job queued. JobId="), "{queued}");

    // Without questions: the most recent backup of a client, all files, done, yes.
    let all = text(&c.command("restore client=test2-fd select all done yes", Signal::Eod));
    assert!(
        all.contains("Automatically selected FileSet: SelfTest\n"),
        "{all}"
    );
    assert!(
        all.contains(
            "|     4 | F     |       86 |  139,898 | 2026-11-26 17:44:16 | Full-0001  |\n"
        ),
        "{all}"
    );
    assert!(all.contains("marked for extraction.\n"), "{all}");
    assert!(
        all.contains("\n86 files selected to be restored.\n\n"),
        "{all}"
    );
    assert!(!all.contains("OK to run?"), "{all}");
    assert!(all.ends_with("Job queued. JobId=6\n"), "{all}");
}

#[test]
fn restore_prompts_cancelled_leave_the_session_usable() {
    let d = director();
    let mut c = logged_in(&d);
    // `.` in the tree leaves it as `done` does; nothing marked: no restore.
    c.command("restore jobid=1", Signal::SubPrompt);
    let left = c.command(".", Signal::Eod);
    assert_eq!(left[0], sig(Signal::EndRtree));
    assert_eq!(text(&left), "No files selected to be restored.\n");
    // `quit` in the tree: no restore.
    c.command("restore jobid=1", Signal::SubPrompt);
    let quit = c.command("quit", Signal::Eod);
    assert_eq!(text(&quit), "Restore not done.\n");
    // 13 (Cancel) says nothing.
    c.command("restore", Signal::SubPrompt);
    assert_eq!(c.command("13", Signal::Eod), vec![sig(Signal::Eod)]);
    // A wrong answer is asked again.
    c.command("restore", Signal::SubPrompt);
    let again = text(&c.command("14", Signal::SubPrompt));
    assert_eq!(
        again,
        "Please enter a number between 1 and 13\nSelect item:  (1-13): "
    );
    let again = text(&c.command("five", Signal::SubPrompt));
    assert_eq!(
        again,
        "Expected a positive integer, got: five\nSelect item:  (1-13): "
    );
    // Cancel the client list of item 5.
    let clients = text(&c.command("5", Signal::SubPrompt));
    assert_eq!(
        clients,
        "Defined Clients:\n1: bareos-fd\n2: test2-fd\nSelect the Client (1-2): "
    );
    assert_eq!(
        text(&c.command(".", Signal::Eod)),
        "Selection aborted, nothing done.\n"
    );
    // The FileSet list of a client with two, cancelled.
    let filesets = text(&c.command("restore client=bareos-fd current select", Signal::SubPrompt));
    assert!(filesets.ends_with("The defined FileSet resources are:\n1: NumberedFiles\n2: SelfTest\nSelect FileSet resource (1-2): "), "{filesets}");
    assert_eq!(
        text(&c.command(".", Signal::Eod)),
        "Selection aborted, nothing done.\nNo FileSet found for client \"bareos-fd\".\n"
    );
    // The restore job question cancelled.
    c.command(
        "restore client=bareos-fd fileset=SelfTest select all done",
        Signal::SubPrompt,
    );
    assert_eq!(text(&c.command(".", Signal::Eod)), "Job not run.\n");
    // Unknown keywords and JobIds.
    assert_eq!(
        text(&c.command("restore frob=1", Signal::Eod)),
        "Unknown keyword: frob\n"
    );
    assert_eq!(
        text(&c.command("restore jobid=99", Signal::Eod)),
        "Unable to get Job record for JobId=99: ERR=No Job found for JobId 99\n\n"
    );
    // A job without files: no tree; all of them finds nothing to read.
    let asked = text(&c.command("restore jobid=2", Signal::SubPrompt));
    assert!(asked.ends_with("Most likely your retention policy pruned the files.\n\nDo you want to restore all the files? (yes|no): "), "{asked}");
    let regexp = text(&c.command("no", Signal::SubPrompt));
    assert_eq!(
        regexp,
        "\nRegexp matching files to restore? (empty to abort): "
    );
    assert_eq!(text(&c.command("", Signal::Eod)), "Restore not done.\n");
    c.command("restore jobid=2", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("yes", Signal::Eod)),
        "No files found to read. No bootstrap file written.\nNo files selected to be restored.\n"
    );
    // The session goes on.
    assert_eq!(text(&c.command("whoami", Signal::Eod)), "admin notls\n");
}

/// Each dialogue starts its jobs right before it: a simulated job runs for about two
/// seconds.
#[test]
fn cancel_selects_and_confirms_as_the_director() {
    let d = director();
    let mut c = logged_in(&d);
    assert_eq!(
        text(&c.command("cancel", Signal::Eod)),
        "No Jobs running.\n"
    );
    assert_eq!(
        text(&c.command("cancel jobid=42", Signal::Eod)),
        "JobId 42 is not running. Use Job name to cancel inactive jobs.\nNo Jobs running.\n"
    );
    // One job: chosen at once, then confirmed; `no` keeps it, `yes` cancels it.
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    let asked = text(&c.command("cancel", Signal::SubPrompt));
    assert!(
        asked.starts_with("Automatically selected Job: JobId=5 Job=backup-bareos-fd.20"),
        "{asked}"
    );
    assert!(asked.ends_with("_05\nConfirm cancel (yes/no): "), "{asked}");
    let again = text(&c.command("maybe", Signal::SubPrompt));
    assert_eq!(
        again,
        "Invalid response. You must answer YES or NO.\nConfirm cancel (yes/no): "
    );
    assert_eq!(c.command("no", Signal::Eod), vec![sig(Signal::Eod)]);
    c.command("cancel", Signal::SubPrompt);
    let canceled = text(&c.command("yes", Signal::Eod));
    assert!(canceled.contains(" marked to be canceled.\n"), "{canceled}");
    // Two jobs: the list, no confirmation; a cancelled list cancels nothing.
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    c.command("run job=backup-test2-fd yes", Signal::Eod);
    let list = text(&c.command("cancel", Signal::SubPrompt));
    assert!(
        list.starts_with("Select Job:\n1: JobId=6 Job=backup-bareos-fd."),
        "{list}"
    );
    assert!(list.contains("\n2: JobId=7 Job=backup-test2-fd."), "{list}");
    assert!(list.ends_with("Choose Job to cancel (1-2): "), "{list}");
    assert_eq!(
        text(&c.command(".", Signal::Eod)),
        "Selection aborted, nothing done.\n"
    );
    c.command("cancel", Signal::SubPrompt);
    let canceled = text(&c.command("2", Signal::Eod));
    assert!(
        canceled.starts_with("JobId 7, Job backup-test2-fd.")
            || canceled.starts_with("2001 Job backup-test2-fd."),
        "{canceled}"
    );
    // all: each job named, one confirmation.
    c.command("run job=backup-test2-fd yes", Signal::Eod);
    let all = text(&c.command("cancel all", Signal::SubPrompt));
    assert!(all.contains("Selected Job 8 for cancelling\n"), "{all}");
    assert!(all.ends_with("Confirm cancel (yes/no): "), "{all}");
    let done = text(&c.command("yes", Signal::Eod));
    assert!(done.contains("marked to be canceled.\n"), "{done}");
    // By name, with yes (as the API clients do); then it is no longer running.
    c.command("run job=backup-test2-fd yes", Signal::Eod);
    let named = text(&c.command("cancel job=backup-test2-fd yes", Signal::Eod));
    assert!(named.contains("marked to be canceled.\n"), "{named}");
    let again = text(&c.command("cancel ujobid=backup-test2-fd yes", Signal::Eod));
    assert!(
        again.starts_with("Warning Job backup-test2-fd is not running. Continuing anyway ...\n"),
        "{again}"
    );
}

#[test]
fn delete_asks_what_and_confirms_as_the_director() {
    let d = director();
    let mut c = logged_in(&d);
    let asked = text(&c.command("delete", Signal::SubPrompt));
    assert!(asked.starts_with("Automatically selected Catalog: MyCatalog\nUsing Catalog \"MyCatalog\"\nIn general it is not a good idea to delete either a\nPool or a Volume since they may contain data.\n\n"), "{asked}");
    assert!(asked.ends_with("You have the following choices:\n1: volume\n2: pool\n3: jobid\n4: storage\nChoose catalog item to delete (1-4): "), "{asked}");
    assert_eq!(
        text(&c.command("3", Signal::SubPrompt)),
        "Enter JobId to delete: "
    );
    assert_eq!(
        text(&c.command("7", Signal::Eod)),
        "Jobid 7 and associated records deleted from the catalog.\n"
    );
    c.command("delete", Signal::SubPrompt);
    assert_eq!(
        text(&c.command(".", Signal::Eod)),
        "Selection aborted, nothing done.\nNothing done.\n"
    );
    assert_eq!(
        text(&c.command("delete jobid=3,5-6,x", Signal::Eod)),
        "Illegal JobId x ignored\nJobid 3 and associated records deleted from the catalog.\nJobid 5 and associated records deleted from the catalog.\nJobid 6 and associated records deleted from the catalog.\n"
    );
    let many = text(&c.command("delete jobid=1-30", Signal::SubPrompt));
    assert_eq!(
        many,
        "Are you sure you want to delete 29 JobIds ? (yes/no): "
    );
    assert_eq!(c.command("no", Signal::Eod), vec![sig(Signal::Eod)]);
    // Pools: the list and the question.
    let pools = text(&c.command("delete pool", Signal::SubPrompt));
    assert_eq!(pools, "Defined Pools:\n1: Scratch\n2: Incremental\n3: Full\n4: Differential\nSelect the Pool (1-4): ");
    assert_eq!(
        text(&c.command("2", Signal::SubPrompt)),
        "Are you sure you want to delete Pool \"Incremental\"? (yes/no): "
    );
    assert_eq!(c.command("no", Signal::Eod), vec![sig(Signal::Eod)]);
    // A volume chosen by MediaId, confirmed.
    c.command("delete volume pool=Full", Signal::SubPrompt);
    let asked = text(&c.command("*1", Signal::SubPrompt));
    assert!(
        asked.ends_with("Are you sure you want to delete Volume \"Full-0001\"? (yes/no): "),
        "{asked}"
    );
    assert_eq!(
        text(&c.command("yes", Signal::Eod)),
        "Deleted 2 jobs and associated records deleted from the catalog (jobids: 1,4).\nVolume Full-0001 deleted.\n"
    );
    assert_eq!(
        text(&c.command("delete volume=Nope yes", Signal::Eod)),
        "Media record for Volume \"Nope\" not found.\n"
    );
    // API 2: what was deleted.
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let json = text(&c.command("delete jobid=7 yes", Signal::MainPrompt));
    assert_eq!(
        json,
        r#"{"jsonrpc":"2.0","id":null,"result":{"deleted":{"jobids":["7"]}}}"#
    );
}
