//! The interactive dialogues of the simulated director compared with what the real
//! director sent (the recorded transcripts) and its source: `restore` with its menu,
//! the file tree, the bootstrap summary and the restore job's question; prompts
//! cancelled with `.`; `cancel`, `delete`, `label` and `update` with their questions
//! and the catalog they change; the job reports of `messages`; `wait`.

mod common;

use bareos_proto::hello::ResourceType;
use bareos_proto::{Frame, ProtocolVersion, Signal};
use bareos_testkit::{ConsoleSpec, Replay, TestDirector, TlsPolicy};
use common::{console, data, sig, transcripts, Client, Transport};
use std::time::{Duration, Instant};

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

const DATA: &str = "/var/lib/bareos-test/tmp/data/";

/// The file names of `file=` and of items 7 and 8 are looked up in the catalog's jobs
/// of the client: the last backup up to the date that saved each of them.
#[test]
fn restore_files_by_name_from_the_command_line_and_items_7_and_8() {
    let d = director();
    let mut c = logged_in(&d);
    let normal = format!("{DATA}weird-files/normalfile");
    let line = format!("restore client=test2-fd file={normal} file=/nowhere/x yes");
    let all = text(&c.command(&line, Signal::Eod));
    assert!(
        all.contains("Using Catalog \"MyCatalog\"\nNo database record found for: /nowhere/x\nBootstrap records written to "),
        "{all}"
    );
    assert!(!all.contains("Building directory tree"), "{all}");
    assert!(
        all.contains("\n1 file selected to be restored.\n\n"),
        "{all}"
    );
    assert!(all.ends_with("Job queued. JobId=5\n"), "{all}");

    // Item 7: a name, a list of names in a file, a file that cannot be opened, a table.
    let list = std::env::temp_dir().join(format!("restore-names-{}.txt", std::process::id()));
    std::fs::write(
        &list,
        format!("{DATA}weird-files/abc'def\n{DATA}weird-files/missing\r\n{DATA}weird-files/\n"),
    )
    .unwrap();
    c.command("restore", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("7", Signal::SubPrompt)),
        "Defined Clients:\n1: bareos-fd\n2: test2-fd\nSelect the Client (1-2): "
    );
    assert_eq!(
        text(&c.command("2", Signal::SubPrompt)),
        "Enter file names with paths, or < to enter a filename\ncontaining a list of file names with paths, and Terminate\nthem with a blank line.\nEnter full filename: "
    );
    assert_eq!(
        text(&c.command(&normal, Signal::SubPrompt)),
        "Enter full filename: "
    );
    assert_eq!(
        text(&c.command(&format!("<{}", list.display()), Signal::SubPrompt)),
        format!("No database record found for: {DATA}weird-files/missing\nEnter full filename: ")
    );
    std::fs::remove_file(&list).unwrap();
    assert_eq!(
        text(&c.command(&format!("<{}", list.display()), Signal::SubPrompt)),
        format!(
            "Cannot open file {}: ERR=No such file or directory\nEnter full filename: ",
            list.display()
        )
    );
    assert_eq!(
        text(&c.command("?restore_list", Signal::SubPrompt)),
        "Query failed: SELECT JobId, FileIndex\n  FROM restore_list\n ORDER BY JobId, FileIndex ASC\n. ERR=the test director has no SQL engine\nNo table found: restore_list\nEnter full filename: "
    );
    let summary = text(&c.command("", Signal::SubPrompt));
    assert!(
        summary.starts_with("Bootstrap records written to "),
        "{summary}"
    );
    assert!(summary.contains("    Full-0001 "), "{summary}");
    // The file, the one of the list and the directory of the list.
    assert!(
        summary.contains("\n3 files selected to be restored.\n\n"),
        "{summary}"
    );
    assert!(
        summary.contains("Backup Client:   test2-fd\n")
            && summary.ends_with("OK to run? (yes/mod/no): "),
        "{summary}"
    );
    assert_eq!(text(&c.command("no", Signal::Eod)), "Job not run.\n");

    // Item 8: the date first; job 3 (17:44:14) is after it, job 1 (17:44:08) is not.
    c.command("restore", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("8", Signal::SubPrompt)),
        "The restored files will the most current backup\nBEFORE the date you specify below.\n\nEnter date as YYYY-MM-DD HH:MM:SS :"
    );
    c.command("2026-11-26 17:44:10", Signal::SubPrompt);
    c.command("1", Signal::SubPrompt);
    let numbered = "/var/lib/bareos-test/tmp/backup-data-numbered-files/1500.txt";
    assert_eq!(
        text(&c.command(numbered, Signal::SubPrompt)),
        format!("No database record found for: {numbered}\nEnter full filename: ")
    );
    c.command(&normal, Signal::SubPrompt);
    let summary = text(&c.command("", Signal::SubPrompt));
    assert!(
        summary.contains("\n1 file selected to be restored.\n\n")
            && summary.contains("Backup Client:   bareos-fd\n"),
        "{summary}"
    );
    assert_eq!(text(&c.command(".", Signal::Eod)), "Job not run.\n");

    // As with the director, names after the first found one are looked up only in the
    // jobs found so far: job 1 holds no numbered file.
    c.command("restore client=bareos-fd", Signal::SubPrompt);
    c.command("7", Signal::SubPrompt);
    c.command(&normal, Signal::SubPrompt);
    assert_eq!(
        text(&c.command(numbered, Signal::SubPrompt)),
        format!("No database record found for: {numbered}\nEnter full filename: ")
    );
    // Nothing found: no restore.
    c.command("", Signal::SubPrompt);
    c.command("no", Signal::Eod);
    c.command("restore client=bareos-fd", Signal::SubPrompt);
    c.command("7", Signal::SubPrompt);
    c.command("/nowhere", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("", Signal::Eod)),
        "No files selected to be restored.\n"
    );
    assert_eq!(text(&c.command("whoami", Signal::Eod)), "admin notls\n");
}

/// `directory=` and item 11: the directory and the entries directly in it, of the
/// chosen jobs of the client.
#[test]
fn restore_directories_of_chosen_jobs_from_the_command_line_and_item_11() {
    let d = director();
    let mut c = logged_in(&d);
    let tests = format!("{DATA}build/src/tests");
    // Job 4 is of another client; job 1 holds the directory and its 17 files.
    let line =
        format!("restore jobid=1,4 client=bareos-fd directory={tests}/ directory=/nowhere/ yes");
    let all = text(&c.command(&line, Signal::Eod));
    assert!(
        all.contains("No database record found for: /nowhere/\nBootstrap records written to "),
        "{all}"
    );
    assert!(
        all.contains("\n18 files selected to be restored.\n\n"),
        "{all}"
    );
    assert!(all.ends_with("Job queued. JobId=5\n"), "{all}");
    let none = text(&c.command(
        &format!("restore client=bareos-fd directory={tests}/"),
        Signal::Eod,
    ));
    assert_eq!(
        none,
        "No JobId specified cannot continue.\nNo files selected to be restored.\n"
    );

    // Item 11 after item 9 chose the JobIds; the slash is added to the names.
    c.command("restore", Signal::SubPrompt);
    c.command("9", Signal::SubPrompt);
    let jobs = text(&c.command("2", Signal::SubPrompt));
    assert!(jobs.ends_with("Select item:  (1-13): "), "{jobs}");
    assert_eq!(
        text(&c.command("11", Signal::SubPrompt)),
        "You have already selected the following JobIds: 4\nEnter full directory names or start the name\nwith a < to indicate it is a filename containing a list\nof directories and Terminate them with a blank line.\nEnter directory name: "
    );
    assert_eq!(
        text(&c.command("/nowhere", Signal::SubPrompt)),
        "No database record found for: /nowhere/\nEnter directory name: "
    );
    // The lines of a list of directories keep their newline, as with the director.
    let list = std::env::temp_dir().join(format!("restore-dirs-{}.txt", std::process::id()));
    std::fs::write(&list, format!("{tests}/\n")).unwrap();
    let listed = text(&c.command(&format!("<{}", list.display()), Signal::SubPrompt));
    std::fs::remove_file(&list).unwrap();
    assert_eq!(
        listed,
        format!("No database record found for: {tests}/\n\nEnter directory name: ")
    );
    c.command(&tests, Signal::SubPrompt);
    // A directory once is enough.
    c.command(&format!("{tests}/"), Signal::SubPrompt);
    let summary = text(&c.command("", Signal::SubPrompt));
    assert!(
        summary.contains("\n18 files selected to be restored.\n\n")
            && summary.contains("Backup Client:   test2-fd\n"),
        "{summary}"
    );
    assert_eq!(text(&c.command("no", Signal::Eod)), "Job not run.\n");

    // Item 11 asks for the JobIds first; `.` ends the restore.
    c.command("restore", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("11", Signal::SubPrompt)),
        "Enter JobId(s), comma separated, to restore: "
    );
    assert_eq!(c.command(".", Signal::Eod), vec![sig(Signal::Eod)]);
    c.command("restore", Signal::SubPrompt);
    c.command("11", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("3", Signal::SubPrompt)),
        "Defined Clients:\n1: bareos-fd\n2: test2-fd\nSelect the Client (1-2): "
    );
    c.command("1", Signal::SubPrompt);
    c.command(
        "/var/lib/bareos-test/tmp/backup-data-numbered-files",
        Signal::SubPrompt,
    );
    let summary = text(&c.command("", Signal::SubPrompt));
    assert!(
        summary.contains("\n1,002 files selected to be restored.\n\n"),
        "{summary}"
    );
    assert_eq!(text(&c.command("no", Signal::Eod)), "Job not run.\n");
}

/// Item 4: the test director has no SQL engine, so the query fails and the menu comes
/// again; a console without `sqlquery` may not ask.
#[test]
fn restore_sql_list_command_fails_and_needs_sqlquery() {
    let d = TestDirector::builder()
        .console(ConsoleSpec::new("admin notls", "secret").tls(TlsPolicy::None))
        .console(
            ConsoleSpec::new("restorer", "secret")
                .tls(TlsPolicy::None)
                .allow_commands(["restore"]),
        )
        .start()
        .unwrap();
    let mut c = logged_in(&d);
    c.command("restore", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("4", Signal::SubPrompt)),
        "Enter SQL list command: "
    );
    let again = text(&c.command("SELECT JobId FROM Job", Signal::SubPrompt));
    assert!(
        again.starts_with("Query failed: the test director has no SQL engine\nTo select the JobIds, you have the following choices:\n"),
        "{again}"
    );
    assert!(again.ends_with("Select item:  (1-13): "), "{again}");
    c.command("4", Signal::SubPrompt);
    assert_eq!(c.command(".", Signal::Eod), vec![sig(Signal::Eod)]);

    let mut r = Client::connect(d.addr(), Transport::Clear, ResourceType::Console, "", "").unwrap();
    r.login(console("restorer", "secret", ProtocolVersion::V2, false))
        .unwrap();
    r.command("restore", Signal::SubPrompt);
    assert_eq!(
        text(&r.command("4", Signal::Eod)),
        "SQL query not authorized.\n"
    );
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

/// A director whose jobs run for a tenth of a second.
fn quick_director() -> TestDirector {
    TestDirector::builder()
        .console(ConsoleSpec::new("admin notls", "secret").tls(TlsPolicy::None))
        .job_duration(Duration::from_millis(100))
        .job_outcome("backup-test2-fd", "E")
        .start()
        .unwrap()
}

#[test]
fn job_reports_are_queued_when_jobs_end_and_read_by_messages() {
    let d = quick_director();
    let mut c = logged_in(&d);
    let mut other = logged_in(&d);
    assert_eq!(
        text(&c.command("messages", Signal::Eod)),
        "You have no messages.\n"
    );
    c.command("run job=backup-bareos-fd level=Full yes", Signal::Eod);
    // `wait` returns once the job ended; the report is announced after it.
    let waited = text(&c.command("wait jobid=5", Signal::Eod));
    assert_eq!(waited, "JobId=5\nJobStatus=OK (T)\nYou have messages.\n");
    // Announced once.
    assert_eq!(text(&c.command("whoami", Signal::Eod)), "admin notls\n");
    let frames = c.command("messages", Signal::Eod);
    let lines: Vec<String> = frames
        .iter()
        .filter_map(Frame::data)
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect();
    // As the director sends them: one line per frame, the report last, then a blank line.
    assert!(lines[0].ends_with(
        " bareos-dir JobId 5: Version: 26.0.0~pre1298.eda204c31 (21 August 2026) Debian GNU/Linux 12 (bookworm)\n"
    ), "{lines:?}");
    assert!(
        lines[1].contains(" bareos-dir JobId 5: Start Backup JobId 5, Job=backup-bareos-fd.20"),
        "{lines:?}"
    );
    assert!(
        lines[2].ends_with(
            " bareos-dir JobId 5: Bareos bareos-dir 26.0.0~pre1298.eda204c31 (21Aug26):\n"
        ),
        "{lines:?}"
    );
    for expected in [
        "  JobId:                  5\n",
        "  Backup Level:           Full\n",
        "  Client:                 \"bareos-fd\" 26.0.0~pre1298.eda204c31 (21Aug26) Debian GNU/Linux 12 (bookworm),debian\n",
        "  Pool:                   \"Full\" (From Job FullPool override)\n",
        "  FD Files Written:       1,002\n",
        "  FD Bytes Written:       5,005,123 (5.005 MB)\n",
        "  Volume name(s):         Full-0001\n",
        "  FD termination status:  OK\n",
    ] {
        assert!(lines.contains(&expected.to_string()), "{expected:?} in {lines:?}");
    }
    assert_eq!(
        lines[lines.len() - 2..],
        ["  Termination:            Backup OK\n", "\n"]
    );
    assert_eq!(
        text(&c.command("messages", Signal::Eod)),
        "You have no messages.\n"
    );
    // The console messages are the director's: the other console finds them read.
    assert_eq!(
        text(&other.command("messages", Signal::Eod)),
        "You have no messages.\n"
    );
    // A failing job and a canceled one, read by the other console.
    other.command("run job=backup-test2-fd yes", Signal::Eod);
    other.command("wait", Signal::Eod);
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    c.command("cancel jobid=7 yes", Signal::Eod);
    let waited = text(&c.command("wait jobid=7", Signal::Eod));
    assert!(
        waited.starts_with("JobId=7\nJobStatus=Canceled (A)\n"),
        "{waited}"
    );
    let read = text(&other.command("messages", Signal::Eod));
    assert!(
        read.contains("  Termination:            *** Backup Error ***\n"),
        "{read}"
    );
    assert!(read.contains("  Non-fatal FD errors:    1\n"), "{read}");
    assert!(
        read.contains("  Backup Level:           Incremental, since=2026-11-26 17:44:16\n"),
        "{read}"
    );
    assert!(
        read.contains("  Termination:            Backup Canceled\n"),
        "{read}"
    );
    // Each console is told once until it reads them itself (`user_notified_msg_pending`).
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    assert_eq!(text(&c.command("wait", Signal::Eod)), "", "already told");
    assert!(text(&c.command("messages", Signal::Eod)).contains("JobId 8: Start Backup"));
    // API 1 announces them with MSGS_PENDING; autodisplay shows them after the command.
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    c.command(".api 1", Signal::MainPrompt);
    let frames = c.command("wait", Signal::MainPrompt);
    assert!(frames.contains(&sig(Signal::MsgsPending)), "{frames:?}");
    c.command("autodisplay on", Signal::MainPrompt);
    c.command("run job=backup-bareos-fd yes", Signal::MainPrompt);
    let shown = text(&c.command("wait", Signal::MainPrompt));
    assert!(shown.contains("JobId 10: Start Backup JobId 10"), "{shown}");
}

#[test]
fn wait_for_a_job_by_id_name_and_in_api_2() {
    let d = quick_director();
    let mut c = logged_in(&d);
    assert_eq!(
        text(&c.command("wait job=backup-bareos-fd", Signal::Eod)),
        "ERR: Job was not found\n"
    );
    // A job of the catalog has ended long ago.
    assert_eq!(
        text(&c.command("wait jobid=3", Signal::Eod)),
        "JobId=3\nJobStatus=OK (T)\n"
    );
    assert_eq!(
        text(&c.command("wait jobid=99", Signal::Eod)),
        "JobId=99\nJobStatus=Unknown term code (?)\n"
    );
    c.command("run job=backup-test2-fd yes", Signal::Eod);
    let waited = text(&c.command("wait job=backup-test2-fd", Signal::Eod));
    assert!(
        waited.starts_with("JobId=5\nJobStatus=Error (E)\n"),
        "{waited}"
    );
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    let rows = text(&c.command("llist jobid=6", Signal::Eod));
    let unique = rows
        .lines()
        .find_map(|l| l.trim().strip_prefix("job: "))
        .unwrap()
        .to_string();
    let waited = text(&c.command(&format!("wait ujobid={unique}"), Signal::Eod));
    assert!(
        waited.starts_with("JobId=6\nJobStatus=OK (T)\n"),
        "{waited}"
    );
    // API 2, as transcript 65.
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    c.command("run job=backup-bareos-fd yes", Signal::MainPrompt);
    assert_eq!(
        text(&c.command("wait jobid=7", Signal::MainPrompt)),
        r#"{"jsonrpc":"2.0","id":null,"result":{"job":{"jobid":7,"jobstatuslong":"OK","jobstatus":"T","exitstatus":0}}}"#
    );
    assert_eq!(
        text(&c.command("wait mount timeout=1", Signal::MainPrompt)),
        r#"{"jsonrpc":"2.0","id":null,"result":{}}"#
    );
}

/// A long wait holds its own connection only: the others go on, and closing it ends it.
#[test]
fn wait_does_not_hold_up_the_other_consoles() {
    let d = director();
    let mut waiting = logged_in(&d);
    let mut c = logged_in(&d);
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    waiting.send("wait");
    let started = Instant::now();
    let list = text(&c.command("list jobs jobstatus=R,C", Signal::Eod));
    assert!(list.contains("backup-bareos-fd"), "{list}");
    assert!(started.elapsed() < Duration::from_secs(1));
    // A wait that never ends by itself (no job waits for a volume), then closed.
    let mut forever = logged_in(&d);
    forever.send("wait mount");
    drop(forever);
    let ended = waiting.until(&[Signal::Eod]);
    assert_eq!(ended.first(), Some(&data("You have messages.\n")));
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert!(text(&c.command("whoami", Signal::Eod)).starts_with("admin notls\n"));
}

#[test]
fn label_asks_for_the_name_and_the_pool_and_adds_the_volume() {
    let d = director();
    let mut c = logged_in(&d);
    let asked = text(&c.command("label", Signal::SubPrompt));
    assert_eq!(
        asked,
        "Automatically selected Storage: File\nEnter new Volume name: "
    );
    assert_eq!(
        text(&c.command("bad name", Signal::SubPrompt)),
        "Illegal character \" \" in a volume name.\nEnter new Volume name: "
    );
    assert_eq!(
        text(&c.command("Full-0001", Signal::SubPrompt)),
        "Media record for new Volume \"Full-0001\" already exists.\nEnter new Volume name: "
    );
    assert_eq!(
        text(&c.command("Full-0002", Signal::SubPrompt)),
        "Defined Pools:\n1: Scratch\n2: Incremental\n3: Full\n4: Differential\nSelect the Pool (1-4): "
    );
    assert_eq!(
        text(&c.command("3", Signal::Eod)),
        "Connecting to Storage daemon File at localhost:9103 ...\n\
         Sending label command for Volume \"Full-0002\" Slot 0 ...\n\
         3000 OK label. VolFiles=0 VolBytes=207 Volume=\"Full-0002\" Device=\"FileStorage\" (/var/lib/bareos/storage)\n\
         Catalog record for Volume \"Full-0002\", Slot 0 successfully created.\n\
         Requesting to mount FileStorage ...\n\
         3906 File device \"FileStorage\" (/var/lib/bareos/storage) is always mounted.\n"
    );
    // Everything on the command line: no question.
    let done = text(&c.command(
        "label storage=File volume=Inc-1 pool=Incremental slot=3 yes",
        Signal::Eod,
    ));
    assert!(
        done.contains("Catalog record for Volume \"Inc-1\", Slot 3 successfully created.\n"),
        "{done}"
    );
    // A cancelled name prompt labels nothing.
    c.command("label", Signal::SubPrompt);
    assert_eq!(c.command(".", Signal::Eod), vec![sig(Signal::Eod)]);
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let full = text(&c.command("list volumes pool=Full", Signal::MainPrompt));
    assert!(full.contains(r#""mediaid":"2","volumename":"Full-0002","volstatus":"Append","enabled":"1","volbytes":"207""#), "{full}");
    let inc = text(&c.command("llist volume=Inc-1", Signal::MainPrompt));
    assert!(
        inc.contains(r#""volumename":"Inc-1","slot":"3","poolid":"2","pool":"Incremental""#),
        "{inc}"
    );
    assert!(inc.contains(r#""inchanger":"1""#), "{inc}");
    let pools = text(&c.command("list pools", Signal::MainPrompt));
    assert!(pools.contains(r#""name":"Full","numvols":"2""#), "{pools}");
}

#[test]
fn update_menus_and_keywords_change_the_volume() {
    let d = director();
    let mut c = logged_in(&d);
    let asked = text(&c.command("update", Signal::SubPrompt));
    assert!(asked.ends_with("Update choice:\n1: Volume parameters\n2: Pool from resource\n3: Slots from autochanger\n4: Long term statistics\nChoose catalog item to update (1-4): "), "{asked}");
    let menu = text(&c.command("1", Signal::SubPrompt));
    assert!(
        menu.starts_with("Parameters to modify:\n 1: Volume Status\n 2: Volume Retention Period\n"),
        "{menu}"
    );
    assert!(
        menu.ends_with("18: Storage\n19: Done\nSelect parameter to modify (1-19): "),
        "{menu}"
    );
    let pools = text(&c.command("1", Signal::SubPrompt));
    assert!(pools.starts_with("Defined Pools:\n"), "{pools}");
    let volumes = text(&c.command("3", Signal::SubPrompt));
    assert!(volumes.contains("| Full-0001  | Append"), "{volumes}");
    assert!(volumes.ends_with("Enter the volume name or MediaId of the volume prefixed with an asterisk (*).\nE.g. \"full-0001\" or \"*42\": "), "{volumes}");
    let statuses = text(&c.command("Full-0001", Signal::SubPrompt));
    assert_eq!(statuses, "Updating Volume \"Full-0001\"\nCurrent Volume status is: Append\nPossible Values are:\n1: Append\n2: Archive\n3: Disabled\n4: Full\n5: Used\n6: Cleaning\n7: Read-Only\nChoose new Volume Status (1-7): ");
    let again = text(&c.command("4", Signal::SubPrompt));
    assert!(
        again.starts_with("New Volume status is: Full\nParameters to modify:\n"),
        "{again}"
    );
    // Each round asks for the volume again; this time by MediaId.
    c.command("2", Signal::SubPrompt);
    c.command("3", Signal::SubPrompt);
    assert_eq!(
        text(&c.command("*1", Signal::SubPrompt)),
        "Updating Volume \"Full-0001\"\nCurrent retention period is: 1 year \nEnter Volume Retention period: "
    );
    let again = text(&c.command("soon", Signal::SubPrompt));
    assert!(
        again.starts_with("Invalid retention period specified: soon\nParameters to modify:\n"),
        "{again}"
    );
    assert_eq!(
        text(&c.command("19", Signal::Eod)),
        "Selection terminated.\n"
    );
    // The keywords, each applied in the director's order.
    assert_eq!(
        text(&c.command(
            "update volume=Full-0001 enabled=archived recycle=no volretention=30days maxvolbytes=1G",
            Signal::Eod
        )),
        "New retention period is: 1 month \nNew Max bytes is: 1073741824\nNew Recycle flag is: no\nNew Enabled is: 2\n"
    );
    assert_eq!(
        text(&c.command("update volume=Full-0001 volstatus=Fine", Signal::Eod)),
        "Invalid VolStatus specified: Fine\n"
    );
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let volume = text(&c.command("llist volume=Full-0001", Signal::MainPrompt));
    assert!(
        volume
            .contains(r#""volstatus":"Full","enabled":"2","recycle":"0","volretention":"2592000""#),
        "{volume}"
    );
    assert!(volume.contains(r#""maxvolbytes":"1073741824""#), "{volume}");
    // Moved to another pool.
    c.command("update volume=Full-0001 pool=Scratch", Signal::MainPrompt);
    let scratch = text(&c.command("list volumes pool=Scratch", Signal::MainPrompt));
    assert!(scratch.contains(r#""volumename":"Full-0001""#), "{scratch}");
    let full = text(&c.command("list volumes pool=Full", Signal::MainPrompt));
    assert_eq!(
        full,
        r#"{"jsonrpc":"2.0","id":null,"result":{"volumes":[]}}"#
    );
}

#[test]
fn deleted_jobs_volumes_and_pools_leave_the_catalog() {
    let d = quick_director();
    let mut c = logged_in(&d);
    c.command("run job=backup-bareos-fd yes", Signal::Eod);
    c.command("wait", Signal::Eod);
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let ids = |c: &mut Client| {
        let jobs = text(&c.command("list jobs", Signal::MainPrompt));
        let v: serde_json::Value = serde_json::from_str(&jobs).unwrap();
        v["result"]["jobs"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|j| j["jobid"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&mut c), ["1", "2", "3", "4", "5"]);
    c.command("delete jobid=2,5 yes", Signal::MainPrompt);
    assert_eq!(ids(&mut c), ["1", "3", "4"]);
    // The volume takes its jobs with it; the other connections see the same catalog.
    let deleted = text(&c.command("delete volume=Full-0001 yes", Signal::MainPrompt));
    assert_eq!(
        deleted,
        r#"{"jsonrpc":"2.0","id":null,"result":{"deleted":{"jobids":["1","3","4"],"volumes":["Full-0001"]}}}"#
    );
    let mut other = logged_in(&d);
    other.command("delete pool=Differential", Signal::SubPrompt);
    other.command("yes", Signal::Eod);
    other.command(".api 2 compact=yes", Signal::MainPrompt);
    assert_eq!(ids(&mut other), Vec::<String>::new());
    let pools = text(&c.command(".pools", Signal::MainPrompt));
    assert_eq!(
        pools,
        r#"{"jsonrpc":"2.0","id":null,"result":{"pools":[{"name":"Scratch"},{"name":"Incremental"},{"name":"Full"}]}}"#
    );
}
