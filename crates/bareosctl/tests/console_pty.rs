//! The interactive console driven through a pseudo-terminal: completion, history file,
//! selection prompts, Ctrl-C at a prompt, @output/@tee, the root refusal, and the
//! dialogues of run, restore, cancel, label, update, delete, wait and messages with the
//! test director and the demo director.

mod common;

use common::*;
use expectrl::{Eof, Session};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc_geteuid() == 0 }
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

fn spawn(home: &Path, port: u16, extra: &[&str]) -> Session {
    let port = port.to_string();
    let mut args = vec!["--address", "127.0.0.1", "--port", &port];
    args.extend_from_slice(extra);
    spawn_with(home, &args)
}

/// `bareosctl ARGS` in a pseudo-terminal, at its first main prompt.
fn spawn_with(home: &Path, args: &[&str]) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bareosctl"));
    cmd.args(args)
        .env("HOME", home)
        .env("BAREOS_PASSWORD", DIR_PASSWORD)
        .env("TERM", "xterm")
        .env_remove("RUST_LOG");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session.expect("Enter a period").unwrap();
    session.expect("*").unwrap();
    session
}

/// Types a line and waits until it was read and the next main prompt is shown.
fn line(s: &mut Session, text: &str) {
    s.send_line(text).unwrap();
    s.expect(text).unwrap();
    s.expect("*").unwrap();
}

#[test]
fn completion_history_and_selection_prompt() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // First word completed from `.help all`.
    s.send("vers\t").unwrap();
    s.expect("version").unwrap();
    s.send("\r").unwrap();
    s.expect("bareos-dir Version").unwrap();
    // Keyword value completed from `.clients`.
    s.send("status client=test2\t").unwrap();
    s.expect("test2-fd").unwrap();
    s.send("\r").unwrap();
    s.expect("test2-fd Version").unwrap();
    // A selection prompt answered in place.
    s.send_line("status client").unwrap();
    s.expect("(1-2): ").unwrap();
    s.send_line("2").unwrap();
    s.expect("test2-fd Version").unwrap();
    // Ctrl-C at a prompt cancels it.
    s.send_line("status client").unwrap();
    s.expect("(1-2): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
    let history = std::fs::read_to_string(home.path().join(".bconsole_history")).unwrap();
    assert!(history.contains("version"), "{history}");
    assert!(history.contains("status client"), "{history}");
}

#[test]
fn restore_tree_completion_and_done() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    s.send_line("restore client=bareos-fd fileset=SelfTest select")
        .unwrap();
    s.expect("$ ").unwrap();
    s.send("mar\t").unwrap();
    s.expect("mark").unwrap();
    s.send("\r").unwrap();
    s.expect("No files marked.").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("done").unwrap();
    s.expect("No files selected to be restored.").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn restore_selected_in_the_menu_and_the_tree_to_the_final_yes() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    s.send_line("restore").unwrap();
    s.expect("12: Select full restore to a specified Job date")
        .unwrap();
    s.expect("Select item:  (1-13): ").unwrap();
    s.send_line("5").unwrap();
    s.expect("Defined Clients:").unwrap();
    s.expect("Select the Client (1-2): ").unwrap();
    s.send_line("1").unwrap();
    s.expect("2: SelfTest").unwrap();
    s.expect("Select FileSet resource (1-2): ").unwrap();
    s.send_line("2").unwrap();
    s.expect("You have selected the following JobId: 1")
        .unwrap();
    s.expect("86 files inserted into the tree.").unwrap();
    s.expect("cwd is: /").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("cd /var/lib/bareos-test/tmp/data/weird-files/simple-dir-1")
        .unwrap();
    s.expect("cwd is: /var/lib/bareos-test/tmp/data/weird-files/simple-dir-1/")
        .unwrap();
    s.expect("$ ").unwrap();
    s.send_line("ls").unwrap();
    s.expect("other-file2.txt").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("mark other-file1.txt").unwrap();
    s.expect("1 file newly marked.").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("cd ..").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("mark simple-dir-2").unwrap();
    s.expect("3 files newly marked.").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("unmark simple-dir-2/file2.txt").unwrap();
    s.expect("1 file newly unmarked.").unwrap();
    s.expect("$ ").unwrap();
    s.send_line("estimate").unwrap();
    s.expect("86 total files; 6 marked to be restored;")
        .unwrap();
    s.expect("$ ").unwrap();
    s.send_line("done").unwrap();
    s.expect("Bootstrap records written to /var/lib/bareos-test/working/bareos-dir.restore.1.bsr")
        .unwrap();
    s.expect("Full-0001").unwrap();
    s.expect("3 files selected to be restored.").unwrap();
    s.expect("Run Restore job").unwrap();
    s.expect("Backup Client:   bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("yes").unwrap();
    s.expect("Job queued. JobId=").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn restore_prompts_cancelled_with_a_period_and_with_ctrl_c() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // A period at the menu.
    s.send_line("restore").unwrap();
    s.expect("Select item:  (1-13): ").unwrap();
    s.send_line(".").unwrap();
    s.expect("Selection aborted, nothing done.").unwrap();
    s.expect("*").unwrap();
    // Ctrl-C at the client list.
    s.send_line("restore").unwrap();
    s.expect("Select item:  (1-13): ").unwrap();
    s.send_line("5").unwrap();
    s.expect("Select the Client (1-2): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("Selection aborted, nothing done.").unwrap();
    s.expect("*").unwrap();
    // Ctrl-C in the tree leaves it as done does.
    s.send_line("restore jobid=3").unwrap();
    s.expect("$ ").unwrap();
    s.send("\x03").unwrap();
    s.expect("No files selected to be restored.").unwrap();
    s.expect("*").unwrap();
    // A period at the restore job's question.
    s.send_line("restore client=test2-fd select all done")
        .unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line(".").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    // The session is usable.
    s.send_line("version").unwrap();
    s.expect("bareos-dir Version").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn at_output_and_tee_and_root_refusal() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.txt");
    let tee = home.path().join("tee.txt");
    if is_root() {
        let mut s = spawn(home.path(), dir.port(), &[]);
        s.send_line(format!("@output {} w", out.display())).unwrap();
        s.expect("refused when running as root").unwrap();
        s.send_line("@exec \"echo hi\"").unwrap();
        s.expect("refused when running as root").unwrap();
        s.send_line("@quit").unwrap();
        s.expect(Eof).unwrap();
        assert!(!out.exists());
    }
    let mut s = spawn(
        home.path(),
        dir.port(),
        &["console", "--allow-root-at-commands"],
    );
    line(&mut s, &format!("@output {} w", out.display()));
    line(&mut s, "version");
    line(&mut s, "@output");
    line(&mut s, &format!("@tee {}", tee.display()));
    s.send_line("@echo tee-marker").unwrap();
    s.expect("tee-marker\r\n").unwrap();
    line(&mut s, "@tee");
    s.send_line("@quit").unwrap();
    s.expect(Eof).unwrap();
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("bareos-dir Version"), "{written}");
    let teed = std::fs::read_to_string(&tee).unwrap();
    assert!(teed.contains("tee-marker"), "{teed}");
}

#[test]
fn run_confirmation_answered_modified_and_cancelled() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // yes/mod/no: mod > Level > Full, then yes.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("Level:    Incremental").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("mod").unwrap();
    s.expect("Select parameter to modify (1-11): ").unwrap();
    s.send_line("1").unwrap();
    s.expect("Select level (1-5): ").unwrap();
    s.send_line("1").unwrap();
    s.expect("Level:    Full").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("yes").unwrap();
    s.expect("Job queued. JobId=").unwrap();
    s.expect("*").unwrap();
    // no.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line("no").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    // A period cancels, and so does Ctrl-C.
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send_line(".").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    s.send_line("run job=backup-bareos-fd").unwrap();
    s.expect("OK to run? (yes/mod/no): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("Job not run.").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn cancel_of_a_running_job_from_its_selection_list() {
    let dir = director();
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn(home.path(), dir.port(), &[]);
    // A simulated job runs for about two seconds: each step starts its jobs first.
    s.send_line("run job=backup-bareos-fd yes").unwrap();
    s.expect("Job queued. JobId=5").unwrap();
    s.expect("*").unwrap();
    s.send_line("run job=backup-test2-fd yes").unwrap();
    s.expect("Job queued. JobId=6").unwrap();
    s.expect("*").unwrap();
    s.send_line("cancel").unwrap();
    s.expect("Select Job:").unwrap();
    s.expect("2: JobId=6 Job=backup-test2-fd.").unwrap();
    s.expect("Choose Job to cancel (1-2): ").unwrap();
    s.send_line("2").unwrap();
    s.expect("marked to be canceled.").unwrap();
    s.expect("*").unwrap();
    // One job left: chosen at once and confirmed; Ctrl-C keeps it running.
    s.send_line("cancel").unwrap();
    s.expect("Automatically selected Job: JobId=5 Job=backup-bareos-fd.")
        .unwrap();
    s.expect("Confirm cancel (yes/no): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("*").unwrap();
    s.send_line("cancel").unwrap();
    s.expect("Confirm cancel (yes/no): ").unwrap();
    s.send_line("yes").unwrap();
    s.expect("marked to be canceled.").unwrap();
    s.expect("*").unwrap();
    s.send_line("cancel").unwrap();
    s.expect("No Jobs running.").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}

/// `label`, `update`, `wait`, `messages` and `delete` on the demo director, each prompt
/// answered, and cancelled with a period or Ctrl-C.
#[test]
fn catalog_dialogues_and_job_messages_on_the_demo_director() {
    let home = tempfile::tempdir().unwrap();
    let mut s = spawn_with(home.path(), &["console", "--demo"]);
    // label: Ctrl-C at the name, a period at the pool list, then answered.
    s.send_line("label").unwrap();
    s.expect("Automatically selected Storage: File").unwrap();
    s.expect("Enter new Volume name: ").unwrap();
    s.send("\x03").unwrap();
    s.expect("*").unwrap();
    s.send_line("label volume=Demo-1").unwrap();
    s.expect("Select the Pool (1-4): ").unwrap();
    s.send_line(".").unwrap();
    s.expect("Selection aborted, nothing done.").unwrap();
    s.expect("*").unwrap();
    s.send_line("label volume=Demo-1").unwrap();
    s.expect("Select the Pool (1-4): ").unwrap();
    s.send_line("3").unwrap();
    s.expect("Catalog record for Volume \"Demo-1\", Slot 0 successfully created.")
        .unwrap();
    s.expect("*").unwrap();
    // update: the parameter menu, a yes/no answer, Done.
    s.send_line("update volume=Demo-1").unwrap();
    s.expect("Select parameter to modify (1-19): ").unwrap();
    s.send_line("7").unwrap();
    s.expect("Current recycle flag is: yes").unwrap();
    s.expect("Enter new Recycle status: ").unwrap();
    s.send_line("no").unwrap();
    s.expect("New Recycle flag is: no").unwrap();
    s.expect("Select parameter to modify (1-19): ").unwrap();
    s.send_line("19").unwrap();
    s.expect("Selection terminated.").unwrap();
    s.expect("*").unwrap();
    s.send_line("llist volume=Demo-1").unwrap();
    s.expect("recycle: 0").unwrap();
    s.expect("*").unwrap();
    // A job, waited for; its report is announced and read.
    s.send_line("run job=backup-bareos-fd level=Full yes")
        .unwrap();
    s.expect("Job queued. JobId=5").unwrap();
    s.expect("*").unwrap();
    s.send_line("wait jobid=5").unwrap();
    s.expect("JobStatus=OK (T)").unwrap();
    s.expect("You have messages.").unwrap();
    s.expect("*").unwrap();
    s.send_line("messages").unwrap();
    s.expect("Termination:            Backup OK").unwrap();
    s.expect("*").unwrap();
    // delete: Ctrl-C at the question keeps the volume, yes deletes it.
    s.send_line("delete volume=Demo-1").unwrap();
    s.expect("(yes/no): ").unwrap();
    s.send("\x03").unwrap();
    s.expect("*").unwrap();
    s.send_line("delete volume=Demo-1").unwrap();
    s.expect("(yes/no): ").unwrap();
    s.send_line("yes").unwrap();
    s.expect("Volume Demo-1 deleted.").unwrap();
    s.expect("*").unwrap();
    s.send_line("list volumes pool=Full").unwrap();
    s.expect("Full-0001").unwrap();
    s.expect("*").unwrap();
    s.send_line("quit").unwrap();
    s.expect(Eof).unwrap();
}
