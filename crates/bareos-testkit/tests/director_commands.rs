//! Command phase of the simulated director: end markers, prompts, ACLs, scripts,
//! transcripts and large outputs.

mod common;

use bareos_proto::{Frame, ProtocolVersion, Signal};
use bareos_testkit::{
    Replay, ScriptTable, TestDirector, TestDirectorBuilder, TlsPolicy, Transcript,
};
use common::{bytes, cleartext_console, console, data, sig, texts, transcripts, Client};

fn logged_in(d: &TestDirector, name: &str) -> Client {
    Client::logged_in(d.addr(), name, "secret")
}

/// A director with only the console `admin`, as `extra` configures it, and a client
/// logged in to it as `admin`.
fn admin_on(
    extra: impl FnOnce(TestDirectorBuilder) -> TestDirectorBuilder,
) -> (TestDirector, Client) {
    let builder = TestDirector::builder().console(cleartext_console("admin"));
    let d = extra(builder).start().unwrap();
    let c = logged_in(&d, "admin");
    (d, c)
}

/// The director of these tests and a client logged in to it as `admin`.
fn admin() -> (TestDirector, Client) {
    let d = director();
    let c = logged_in(&d, "admin");
    (d, c)
}

fn director() -> TestDirector {
    TestDirector::builder()
        .console(cleartext_console("admin"))
        .console(cleartext_console("limited").allow_commands(["list", ".api"]))
        .start()
        .unwrap()
}

/// Asserts that `command` is answered with `frames`, then the main prompt (API 1 and 2).
#[track_caller]
fn assert_prompted(c: &mut Client, command: &str, frames: &[Frame]) {
    let mut expected = frames.to_vec();
    expected.push(sig(Signal::MainPrompt));
    assert_eq!(
        c.command(command, Signal::MainPrompt),
        expected,
        "{command}"
    );
}

#[test]
fn end_markers_of_api_0_1_2() {
    let (_d, mut c) = admin();
    assert_eq!(c.command("", Signal::Eod), vec![sig(Signal::Eod)]);
    c.assert_answer("foo", "foo: is an invalid command.\n");
    assert_prompted(&mut c, ".api 1", &[sig(Signal::CmdOk), data("api: 1\n")]);
    assert_prompted(
        &mut c,
        "WHO",
        &[sig(Signal::CmdBegin), data("admin\n"), sig(Signal::CmdOk)],
    );
    assert_prompted(
        &mut c,
        "foo",
        &[sig(Signal::ErrorMsg), data("foo: is an invalid command.\n")],
    );
    c.send_signal(Signal::Heartbeat);
    assert_eq!(
        c.until(&[Signal::MainPrompt]),
        vec![sig(Signal::Poll), sig(Signal::MainPrompt)]
    );
    assert_prompted(
        &mut c,
        ".api 2 compact=yes",
        &[
            sig(Signal::CmdBegin),
            sig(Signal::CmdOk),
            data(r#"{"jsonrpc":"2.0","id":null,"result":{"api":2}}"#),
        ],
    );
    assert_prompted(
        &mut c,
        "whoami",
        &[
            sig(Signal::CmdBegin),
            sig(Signal::CmdOk),
            data(r#"{"jsonrpc":"2.0","id":null,"result":{"whoami":"admin"}}"#),
        ],
    );
    assert_prompted(
        &mut c,
        "foo",
        &[
            sig(Signal::ErrorMsg),
            data(
                r#"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{},"messages":{"error":["foo: is an invalid command.\n"]}}}}"#,
            ),
        ],
    );
    assert_prompted(
        &mut c,
        ".",
        &[
            sig(Signal::CmdBegin),
            sig(Signal::CmdBegin),
            sig(Signal::CmdOk),
            sig(Signal::CmdOk),
            data(r#"{"jsonrpc":"2.0","id":null,"result":{}}"#),
        ],
    );
    let list = c.command("list pools", Signal::MainPrompt);
    let doc: serde_json::Value = serde_json::from_slice(list[2].data().unwrap()).unwrap();
    assert_eq!(doc["result"]["pools"][2]["name"], "Full");
    c.send("quit");
    assert_eq!(c.expect_frame(), sig(Signal::CmdBegin));
    assert_eq!(c.expect_frame(), sig(Signal::CmdOk));
    assert_eq!(
        c.expect_frame(),
        data(r#"{"jsonrpc":"2.0","id":null,"result":{}}"#)
    );
    assert_eq!(c.read_frame().unwrap(), None);
}

#[test]
fn pretty_json_and_api0_from_api2() {
    let (_d, mut c) = admin();
    let reply = c.command(".api 2", Signal::MainPrompt);
    assert_eq!(
        reply[1],
        data(
            "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}"
        )
    );
    assert_eq!(
        c.command(".api 0", Signal::Eod),
        vec![sig(Signal::CmdBegin), data("api: 0\n"), sig(Signal::Eod)]
    );
}

#[test]
fn selection_prompt_in_api_0_1_2() {
    let (_d, mut c) = admin();
    let reply = c.command("status client", Signal::SubPrompt);
    assert_eq!(
        reply,
        vec![
            data("The defined Client resources are:\n"),
            data("1: bareos-fd\n2: test2-fd\n"),
            data("Select Client (File daemon) resource (1-2): "),
            sig(Signal::SubPrompt)
        ]
    );
    let reply = c.command("2", Signal::Eod);
    assert_eq!(
        reply[0],
        data("Connecting to Client test2-fd at localhost:9102\n")
    );
    assert!(reply.iter().any(|f| f
        .data()
        .is_some_and(|d| d.starts_with(b"test2-fd Version: "))));
    c.command("status client", Signal::SubPrompt);
    c.assert_answer(".", "Selection aborted, nothing done.\n");
    c.command(".api 1", Signal::MainPrompt);
    c.send("status client");
    let mut frames = Vec::new();
    loop {
        let f = c.expect_frame();
        let prompt = f.data().is_some_and(|d| d.ends_with(b"(1-2): "));
        frames.push(f);
        if prompt {
            break;
        }
    }
    assert_eq!(
        frames,
        vec![
            sig(Signal::CmdBegin),
            sig(Signal::StartSelect),
            data("The defined Client resources are:\n"),
            data("bareos-fd"),
            data("test2-fd"),
            sig(Signal::EndSelect),
            sig(Signal::SelectInput),
            sig(Signal::TextInput),
            data("Select Client (File daemon) resource (1-2): "),
        ]
    );
    let rest = c.command("1", Signal::MainPrompt);
    assert_eq!(rest[rest.len() - 2], sig(Signal::CmdOk));
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    assert_eq!(
        c.command("status client", Signal::MainPrompt),
        vec![
            sig(Signal::CmdBegin),
            sig(Signal::CmdOk),
            data(r#"{"jsonrpc":"2.0","id":null,"result":{}}"#),
            sig(Signal::MainPrompt)
        ]
    );
}

#[test]
fn yes_no_text_input_and_restore_tree() {
    let (_d, mut c) = admin();
    let reply = c.command("delete volume=Full-0001", Signal::SubPrompt);
    assert_eq!(
        reply[reply.len() - 2],
        data("Are you sure you want to delete Volume \"Full-0001\"? (yes/no): ")
    );
    assert_eq!(c.command("no", Signal::Eod), vec![sig(Signal::Eod)]);
    assert_eq!(
        c.command("label", Signal::SubPrompt),
        vec![
            data("Automatically selected Storage: File\n"),
            data("Enter new Volume name: "),
            sig(Signal::SubPrompt)
        ]
    );
    c.command("Vol1", Signal::SubPrompt);
    let labeled = c.command("3", Signal::Eod);
    assert!(labeled.contains(&data(
        "Catalog record for Volume \"Vol1\", Slot 0 successfully created.\n"
    )));
    c.command(".api 1", Signal::MainPrompt);
    c.send("delete volume=Full-0001");
    let prompt = data("Are you sure you want to delete Volume \"Full-0001\"? (yes/no): ");
    let mut frames = Vec::new();
    while frames.last() != Some(&prompt) {
        frames.push(c.expect_frame());
    }
    assert_eq!(
        frames[frames.len() - 3..frames.len() - 1],
        [sig(Signal::YesNo), sig(Signal::TextInput)]
    );
    assert_eq!(
        c.command("no", Signal::MainPrompt),
        vec![sig(Signal::CmdOk), sig(Signal::MainPrompt)]
    );
    c.command(".api 0", Signal::Eod);
    let reply = c.command("delete volume=Full-0001 yes", Signal::Eod);
    assert!(!reply.contains(&sig(Signal::SubPrompt)));
    let reply = c.command("restore jobid=1", Signal::SubPrompt);
    assert!(reply.contains(&sig(Signal::StartRtree)));
    assert!(reply.contains(&data("cwd is: /\n")));
    assert_eq!(
        c.command("ls", Signal::SubPrompt),
        vec![data("var/\n"), data("$ "), sig(Signal::SubPrompt)]
    );
    c.command(
        "cd var/lib/bareos-test/tmp/data/build/src/tests",
        Signal::SubPrompt,
    );
    assert_eq!(
        c.command("mark *.c", Signal::SubPrompt)[0],
        data("8 files newly marked.\n")
    );
    let done = c.command("done", Signal::SubPrompt);
    assert_eq!(done[0], sig(Signal::EndRtree));
    assert!(done.contains(&data("\n8 files selected to be restored.\n\n")));
    // Selected by JobId: the client comes from the list.
    assert!(done.contains(&data("Select the Client (1-2): ")));
    c.command("1", Signal::SubPrompt);
    c.assert_answer("no", "Job not run.\n");
}

#[test]
fn command_acl_and_prefixes() {
    let d = director();
    let mut c = logged_in(&d, "limited");
    c.assert_answer("delete jobid=1", "delete: is an invalid command.\n");
    c.assert_answer("whoami", "limited\n");
    let pools = c.command("li pools", Signal::Eod);
    assert_eq!(
        pools[0],
        data("Automatically selected Catalog: MyCatalog\n")
    );
    assert!(pools[2].data().unwrap().starts_with(b"+--------+"));
    c.send("q");
    assert_eq!(c.read_frame().unwrap(), None);
}

#[test]
fn messages_are_announced_and_shown() {
    let (_d, mut c) = admin_on(|b| b.message("26-Nov 17:44 bareos-dir JobId 0: hello\n"));
    c.assert_answer("autodisplay off", "You have messages.\n");
    c.assert_answer("messages", "26-Nov 17:44 bareos-dir JobId 0: hello\n");
    c.assert_answer("messages", "You have no messages.\n");
}

#[test]
fn script_table_overrides_builtins() {
    let table = ScriptTable::parse(
        r#"{"command": "whoami", "frames": [{"text": "scripted\n"}]}
{"command": "list jobs", "frames": [{"signal": "CMD_BEGIN"}, {"base64": "aGk="}, {"signal": "BNET_EOD"}], "end": false}
"#,
    )
    .unwrap();
    let (_d, mut c) = admin_on(|b| b.script(table));
    c.assert_answer("whoami", "scripted\n");
    assert_eq!(
        c.command("list jobs", Signal::Eod),
        vec![sig(Signal::CmdBegin), data("hi"), sig(Signal::Eod)]
    );
    assert_eq!(c.command("version", Signal::Eod).len(), 2);
}

/// Logs in like the recorded client did and checks every command's reply.
fn reproduce(file: &str) {
    let Some(dir) = transcripts() else {
        return;
    };
    let path = dir.join(file);
    let transcript = Transcript::load(&path).unwrap();
    let d = TestDirector::builder()
        .password("secret")
        .default_console_tls(TlsPolicy::Enabled)
        .script(ScriptTable::from_transcript(&path).unwrap())
        .start()
        .unwrap();
    let recorded_welcome = transcript
        .frames
        .iter()
        .find(|f| !f.from_client && f.frame.data().is_some_and(|d| d.starts_with(b"1000 OK:")))
        .unwrap()
        .frame
        .clone();
    let mut c = Client::clear(d.addr());
    let welcome = c
        .login(console("*UserAgent*", "secret", ProtocolVersion::V1, false))
        .unwrap();
    assert_eq!(welcome, vec![recorded_welcome]);
    let exchanges = transcript.exchanges();
    assert!(exchanges.len() >= 8);
    for exchange in exchanges {
        let command = String::from_utf8(exchange.request.data().unwrap().to_vec()).unwrap();
        c.send(&command);
        let mut got = Vec::new();
        while got.len() < exchange.reply.len() {
            got.push(c.expect_frame());
        }
        assert_eq!(got, exchange.reply, "{command}");
    }
}

#[test]
fn transcript_10_reproduced_byte_for_byte() {
    reproduce("10-pyb-api0-commands.jsonl");
}

#[test]
fn transcript_12_reproduced_byte_for_byte() {
    reproduce("12-pyb-api-json-compact-commands-raw.jsonl");
}

#[test]
fn replay_records_the_client_frames() {
    let Some(dir) = transcripts() else {
        return;
    };
    let path = dir.join("24-bconsole-select-prompt-status-client.jsonl");
    let replay = Replay::from_transcript(&path).unwrap();
    let expected = replay.expected_requests();
    let d = TestDirector::builder()
        .console(cleartext_console("admin notls"))
        .replay(replay.clone())
        .start()
        .unwrap();
    let mut c = Client::clear(d.addr());
    let welcome = c
        .login(console("admin notls", "secret", ProtocolVersion::V2, false))
        .unwrap();
    assert!(welcome[1]
        .data()
        .unwrap()
        .ends_with(b"You are logged in as: admin notls"));
    for (i, request) in expected.iter().enumerate() {
        c.write_raw(&request.encode().unwrap());
        for frame in replay.reply(i).unwrap() {
            assert_eq!(&c.expect_frame(), frame);
        }
    }
    assert_eq!(c.read_frame().unwrap(), None);
    assert_eq!(d.received_commands(), expected);
}

#[test]
fn large_outputs_stream_in_frames() {
    let (_d, mut c) = admin();
    let frames = c.command(".testkit output size=2500000", Signal::Eod);
    let sizes: Vec<usize> = frames
        .iter()
        .filter_map(|f| f.data().map(<[u8]>::len))
        .collect();
    assert_eq!(sizes, vec![999_996, 999_996, 500_008]);
    let text = bytes(&frames);
    assert!(text.starts_with(b" /var/lib/bareos-test/tmp/backup-data-numbered-files/1.txt\n"));
    assert!(text.ends_with(b"\n"));
    c.command(".api 2 compact=yes", Signal::MainPrompt);
    let frames = c.command(".testkit output size=1500000", Signal::MainPrompt);
    assert_eq!(frames[..2], [sig(Signal::CmdBegin), sig(Signal::CmdOk)]);
    let json = bytes(&frames);
    assert!(frames[2].data().unwrap().len() == 999_996 && json.len() >= 1_500_000);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        doc["result"]["filenames"][0]["filename"],
        "/var/lib/bareos-test/tmp/backup-data-numbered-files/1.txt"
    );
}

#[test]
fn message_notice_once_per_batch_as_the_director_decides() {
    let d = TestDirector::builder()
        .console(cleartext_console("admin"))
        .console(cleartext_console("nomsg").allow_commands(["version"]))
        .message("26-Nov 17:44 bareos-dir JobId 0: hello\n")
        .start()
        .unwrap();
    // Once, after the first command, then never again until they are read.
    let mut c = logged_in(&d, "admin");
    assert_eq!(
        c.command("whoami", Signal::Eod),
        vec![
            data("admin\n"),
            data("You have messages.\n"),
            sig(Signal::Eod)
        ]
    );
    c.assert_answer("whoami", "admin\n");
    // `.messages` shows nothing while autodisplay is off.
    assert_eq!(c.command(".messages", Signal::Eod), vec![sig(Signal::Eod)]);
    // With autodisplay on they are shown after the command that turned it on.
    assert_eq!(
        c.command("autodisplay on", Signal::Eod),
        vec![
            data("26-Nov 17:44 bareos-dir JobId 0: hello\n"),
            sig(Signal::Eod)
        ]
    );

    // A console that may not run `messages` is never told.
    let mut c = logged_in(&d, "nomsg");
    c.assert_answer("whoami", "nomsg\n");

    // gui on: no notice.
    let mut c = logged_in(&d, "admin");
    assert_eq!(c.command("gui on", Signal::Eod), vec![sig(Signal::Eod)]);
    c.assert_answer("whoami", "admin\n");
}

/// Answers a question with `answer`; returns the next question as text.
fn ask(c: &mut Client, answer: &str) -> String {
    texts(&c.command(answer, Signal::SubPrompt))
}

#[test]
fn run_asks_yes_mod_no_as_the_director() {
    let (_d, mut c) = admin();
    // The settings and the question, as recorded from the real director (transcript 27).
    let asked = c.command("run job=backup-bareos-fd", Signal::SubPrompt);
    let text = texts(&asked);
    assert!(text.starts_with("Using Catalog \"MyCatalog\"\nRun Backup job\nJobName:  backup-bareos-fd\nLevel:    Incremental\nClient:   bareos-fd\n"), "{text}");
    assert!(
        text.ends_with("Priority: 10\nOK to run? (yes/mod/no): "),
        "{text}"
    );
    c.assert_answer("no", "Job not run.\n");
    // An illegal answer is refused and asked again; mod > Level > Full; yes runs it.
    c.command("run job=backup-bareos-fd", Signal::SubPrompt);
    let again = ask(&mut c, "maybe");
    assert!(again.starts_with("Illegal response maybe\n"), "{again}");
    let menu = ask(&mut c, "mod");
    assert!(menu.starts_with("Parameters to modify:\n"), "{menu}");
    assert!(
        menu.contains(" 1: Level\n") && menu.ends_with("Select parameter to modify (1-11): "),
        "{menu}"
    );
    let levels = ask(&mut c, "1");
    assert!(levels.starts_with("Levels:\n1: Full\n"), "{levels}");
    let shown = ask(&mut c, "1");
    assert!(shown.contains("Level:    Full\n"), "{shown}");
    let queued = texts(&c.command("yes", Signal::Eod));
    assert!(queued.starts_with("Job queued. JobId="), "{queued}");
    // A cancelled question does not run the job.
    c.command("run job=backup-bareos-fd", Signal::SubPrompt);
    c.assert_answer(".", "Job not run.\n");
}
