//! The session both clients share, async and blocking, against the test director and
//! the test file daemon: responses read chunk by chunk with `next_chunk`, a response left
//! unread discarded by the next command, and the polite close when a blocking client is
//! dropped.

use bareos::proto::{Frame, Signal};
use bareos::{blocking, Config, Director, FileDaemon, Part, Password, ResponseEnd};
use bareos_testkit::{
    Direction, Fault, FaultSpec, RecordedFrame, TestDirector, TestFileDaemon, TlsPolicy,
};
use std::time::{Duration, Instant};

fn director_config(director: &TestDirector) -> Config {
    Config::new("127.0.0.1")
        .port(director.port())
        .password(Password::new("dir_password"))
        .read_timeout(Duration::from_secs(10))
}

fn test_file_daemon() -> TestFileDaemon {
    TestFileDaemon::builder()
        .director("bareos-dir", "secret", TlsPolicy::None)
        .start()
        .unwrap()
}

fn fd_config(fd: &TestFileDaemon) -> Config {
    Config::file_daemon("127.0.0.1")
        .port(fd.port())
        .name("bareos-dir")
        .password(Password::new("secret"))
        .read_timeout(Duration::from_secs(10))
}

/// A test file daemon and an async client logged in to it.
async fn file_daemon_session() -> (TestFileDaemon, FileDaemon) {
    let fd = test_file_daemon();
    let client = FileDaemon::connect(fd_config(&fd)).await.unwrap();
    (fd, client)
}

/// What the client sent in the command phase of connection `conn`.
fn sent_by_client(recorded: Vec<RecordedFrame>, conn: u64) -> Vec<Frame> {
    recorded
        .into_iter()
        .filter(|r| r.conn == conn && r.command_phase && r.direction == Direction::ClientToServer)
        .map(|r| r.frame)
        .collect()
}

/// Waits (bounded) until `recorded` shows what `done` looks for.
fn wait_for(recorded: impl Fn() -> Vec<RecordedFrame>, done: impl Fn(&[RecordedFrame]) -> bool) {
    let limit = Instant::now() + Duration::from_secs(5);
    while !done(&recorded()) {
        assert!(Instant::now() < limit, "not seen in time: {:?}", recorded());
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[tokio::test]
async fn director_next_chunk_reads_the_response_in_progress() {
    let td = TestDirector::builder().start().unwrap();
    let mut director = Director::connect(director_config(&td)).await.unwrap();
    assert_eq!(
        director.next_chunk().await.unwrap(),
        None,
        "nothing outstanding"
    );

    director
        .send(".testkit output size=300000 frame=1000")
        .await
        .unwrap();
    let mut total = 0;
    let mut chunks = 0;
    while let Some(chunk) = director.next_chunk().await.unwrap() {
        total += chunk.len();
        chunks += 1;
    }
    assert_eq!(total, 300_000);
    assert!(chunks >= 300, "{chunks} chunks");
    assert_eq!(
        director.next_chunk().await.unwrap(),
        None,
        "the response has ended"
    );
    assert!(director
        .call_text("version")
        .await
        .unwrap()
        .contains("Version"));
    director.close().await;
}

#[tokio::test]
async fn file_daemon_next_chunk_reads_the_result_in_progress() {
    let (_fd, mut client) = file_daemon_session().await;
    assert_eq!(
        client.next_chunk().await.unwrap(),
        None,
        "nothing outstanding"
    );

    client.send("status").await.unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = client.next_chunk().await.unwrap() {
        text.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("bareos-fd"), "{text}");
    assert_eq!(
        client.next_chunk().await.unwrap(),
        None,
        "the result has ended"
    );
    client.close().await;
}

#[tokio::test]
async fn file_daemon_next_part_ends_with_the_end_of_data_signal() {
    let (_fd, mut client) = file_daemon_session().await;
    client.send("status").await.unwrap();
    let mut parts = Vec::new();
    while let Some(part) = client.next_part().await.unwrap() {
        parts.push(part);
    }
    assert!(matches!(parts.first(), Some(Part::Data(_))), "{parts:?}");
    assert_eq!(parts.last(), Some(&Part::Signal(Signal::Eod)));
    client.close().await;
}

#[tokio::test]
async fn file_daemon_discards_an_unread_result_before_the_next_command() {
    let (_fd, mut client) = file_daemon_session().await;
    client.send("status").await.unwrap();
    // The status result was never read: the next command reads it to its end first, as
    // a director connection does, instead of failing as "busy".
    let reply = client.call("setbandwidth=1000 Job=").await.unwrap();
    assert!(
        reply.text().starts_with("2000 OK Bandwidth"),
        "{}",
        reply.text()
    );

    // Likewise for a stream dropped half-way.
    let mut stream = client.stream("status").await.unwrap();
    assert!(stream.next_chunk().await.unwrap().is_some());
    drop(stream);
    let status = client.call("status").await.unwrap();
    assert!(status.text().contains("bareos-fd"), "{}", status.text());
    client.close().await;
}

#[test]
fn blocking_director_next_chunk_and_stream_iterator() {
    let td = TestDirector::builder().start().unwrap();
    let mut director = blocking::Director::connect(director_config(&td)).unwrap();
    assert_eq!(director.next_chunk().unwrap(), None, "nothing outstanding");

    director
        .send(".testkit output size=200000 frame=1000")
        .unwrap();
    let mut total = 0;
    while let Some(chunk) = director.next_chunk().unwrap() {
        total += chunk.len();
    }
    assert_eq!(total, 200_000);

    let mut stream = director
        .stream(".testkit output size=100000 frame=1000")
        .unwrap();
    let total: usize = stream.by_ref().map(|chunk| chunk.unwrap().len()).sum();
    assert_eq!(total, 100_000);
    assert_eq!(stream.end(), Some(&ResponseEnd::Complete));
    assert!(director.call_text("version").unwrap().contains("Version"));
}

#[test]
fn blocking_file_daemon_next_chunk_reads_the_result() {
    let fd = test_file_daemon();
    let mut client = blocking::FileDaemon::connect(fd_config(&fd)).unwrap();
    assert_eq!(client.next_chunk().unwrap(), None, "nothing outstanding");
    client.send("status").unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = client.next_chunk().unwrap() {
        text.extend_from_slice(&chunk);
    }
    assert!(String::from_utf8_lossy(&text).contains("bareos-fd"));
    let status: Vec<u8> = client
        .stream("status")
        .unwrap()
        .collect::<bareos::Result<Vec<_>>>()
        .unwrap()
        .concat();
    assert!(String::from_utf8_lossy(&status).contains("bareos-fd"));
}

#[test]
fn dropping_a_blocking_director_sends_quit() {
    let td = TestDirector::builder().start().unwrap();
    let mut director = blocking::Director::connect(director_config(&td)).unwrap();
    director.call("version").unwrap();
    drop(director);
    // The drop waited for the director to end the session, so `quit` is recorded.
    assert_eq!(
        sent_by_client(td.recorded(), 1),
        vec![
            Frame::Data(b"version".to_vec()),
            Frame::Data(b"quit".to_vec())
        ]
    );
}

#[test]
fn dropping_a_blocking_file_daemon_sends_terminate() {
    let fd = test_file_daemon();
    let mut client = blocking::FileDaemon::connect(fd_config(&fd)).unwrap();
    client.call("status").unwrap();
    drop(client);
    wait_for(
        || fd.recorded(),
        |recorded| {
            sent_by_client(recorded.to_vec(), 1).last() == Some(&Frame::Signal(Signal::Terminate))
        },
    );
}

#[test]
fn close_then_drop_sends_quit_once() {
    let td = TestDirector::builder().start().unwrap();
    let director = blocking::Director::connect(director_config(&td)).unwrap();
    director.close();
    assert_eq!(
        sent_by_client(td.recorded(), 1),
        vec![Frame::Data(b"quit".to_vec())]
    );
}

#[test]
fn dropping_a_blocking_director_that_never_answers_quit_is_bounded() {
    let td = TestDirector::builder()
        .fault(FaultSpec::on_command("quit", Fault::Stall))
        .start()
        .unwrap();
    let director = blocking::Director::connect(director_config(&td)).unwrap();
    let started = Instant::now();
    drop(director);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        sent_by_client(td.recorded(), 1),
        vec![Frame::Data(b"quit".to_vec())]
    );
}

#[tokio::test]
async fn dropping_a_blocking_client_inside_a_runtime_does_not_panic() {
    let td = TestDirector::builder().start().unwrap();
    let config = director_config(&td);
    // Made outside the runtime (connecting blocks), dropped inside it.
    let director = std::thread::spawn(move || blocking::Director::connect(config).unwrap())
        .join()
        .unwrap();
    drop(director);
}
