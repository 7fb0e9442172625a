//! Throughput of the frame codec and the session machine, and the cost of a CRAM-MD5
//! login handshake without network. Run with `cargo bench -p bareos-proto`.

use bareos_proto::base64::Base64Variant;
use bareos_proto::cram::{self, Challenge, AUTH_OK};
use bareos_proto::frame::{encode_data, encode_signal};
use bareos_proto::{ClientSession, Event, Frame, FrameDecoder, Password, SessionConfig, Signal};
use criterion::measurement::WallTime;
use criterion::{
    black_box, criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, Throughput,
};

const TOTAL: usize = 100 * 1024 * 1024;

/// `list files` output as a director sends it in API 0: one frame per line.
fn list_files_frames() -> Vec<u8> {
    let mut wire = Vec::with_capacity(TOTAL + TOTAL / 10);
    let mut n = 0u64;
    while wire.len() < TOTAL {
        let line = format!(
            " /srv/data/project-{}/files/document-{:08}.txt\n",
            n % 97,
            n
        );
        encode_data(line.as_bytes(), &mut wire).unwrap();
        n += 1;
    }
    encode_signal(Signal::Eod, &mut wire);
    wire
}

/// Maximal frames: a big JSON document split at 999,996 bytes.
fn big_frames() -> Vec<u8> {
    let chunk = vec![b'x'; bareos_proto::MAX_MESSAGE_LEN];
    let mut wire = Vec::with_capacity(TOTAL + 1024);
    while wire.len() < TOTAL {
        encode_data(&chunk, &mut wire).unwrap();
    }
    wire
}

/// A compact JSON-RPC document of a few KB, as API 2 sends it for `list jobs`.
fn json_document() -> String {
    let mut row = String::from(r#"{"jsonrpc":"2.0","id":null,"result":{"jobs":["#);
    for id in 0..20 {
        row.push_str(&format!(
            r#"{{"jobid":"{id}","job":"backup-client-{id}.2026-11-26_10.00.00_{id:02}","name":"backup-client","type":"B","level":"F","clientname":"client-fd","jobstatus":"T","jobfiles":"1234","jobbytes":"56789012"}},"#
        ));
    }
    row.pop();
    row.push_str("]}}");
    row
}

/// Compact JSON-RPC documents of a few KB each, as API 2 sends them.
fn json_frames() -> Vec<u8> {
    let row = json_document();
    let mut wire = Vec::with_capacity(TOTAL + row.len() * 2);
    while wire.len() < TOTAL {
        encode_signal(Signal::CmdBegin, &mut wire);
        encode_signal(Signal::CmdOk, &mut wire);
        encode_data(row.as_bytes(), &mut wire).unwrap();
        encode_signal(Signal::MainPrompt, &mut wire);
    }
    wire
}

fn decode_all(wire: &[u8], chunk: usize) -> usize {
    let mut decoder = FrameDecoder::new();
    let mut bytes = 0;
    for piece in wire.chunks(chunk) {
        decoder.push(piece);
        while let Some(frame) = decoder.next_frame().unwrap() {
            if let Frame::Data(data) = frame {
                bytes += data.len();
            }
        }
    }
    bytes
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    group.sample_size(10);
    for (name, wire) in [
        ("list_files_lines", list_files_frames()),
        ("1mb_frames", big_frames()),
        ("json_documents", json_frames()),
    ] {
        group.throughput(Throughput::Bytes(wire.len() as u64));
        group.bench_function(name, |b| b.iter(|| black_box(decode_all(&wire, 64 * 1024))));
    }
    group.finish();
}

/// Benchmarks `write`, which encodes `total` bytes of frames into an empty buffer.
fn bench_encoding(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    total: usize,
    write: impl Fn(&mut Vec<u8>),
) {
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut wire = Vec::with_capacity(total);
            write(&mut wire);
            black_box(wire.len())
        })
    });
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    group.sample_size(10);
    let lines: Vec<String> = (0..(TOTAL / 50))
        .map(|n| format!(" /srv/data/files/document-{n:08}.txt\n"))
        .collect();
    let total: usize = lines.iter().map(|l| l.len() + 4).sum();
    bench_encoding(&mut group, "list_files_lines", total, |wire| {
        for line in &lines {
            encode_data(line.as_bytes(), wire).unwrap();
        }
    });

    // 100 MB cut into maximal frames, as a director sends a huge JSON document.
    let chunk = vec![b'x'; bareos_proto::MAX_MESSAGE_LEN];
    let frames = TOTAL / chunk.len() + 1;
    let total = frames * (chunk.len() + 4);
    bench_encoding(&mut group, "1mb_frames", total, |wire| {
        for _ in 0..frames {
            encode_data(&chunk, wire).unwrap();
        }
    });

    // 100 MB of API 2 replies: signals and one compact JSON document each.
    let doc = json_document();
    let replies = TOTAL / doc.len() + 1;
    let total = replies * (doc.len() + 16);
    bench_encoding(&mut group, "json_documents", total, |wire| {
        for _ in 0..replies {
            encode_signal(Signal::CmdBegin, wire);
            encode_signal(Signal::CmdOk, wire);
            encode_data(doc.as_bytes(), wire).unwrap();
            encode_signal(Signal::MainPrompt, wire);
        }
    });
    group.finish();
}

fn logged_in_session() -> ClientSession {
    let password = Password::new("secret");
    let mut session = ClientSession::new(SessionConfig::console("admin", password.clone()));
    login(&mut session, &password);
    session
        .handle_frame(Frame::Data(
            b"1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)".to_vec(),
        ))
        .unwrap();
    session
        .handle_frame(Frame::Data(b"1002\x1eYou are logged in as: admin".to_vec()))
        .unwrap();
    session.take_output();
    session
}

/// One client login, with the director's side computed in place.
fn login(session: &mut ClientSession, password: &Password) {
    session.take_output();
    let token = "<1234567890.1700000000@R_DIRECTOR::bareos-dir>";
    session
        .handle_frame(Frame::Data(
            format!("auth cram-md5 {token} ssl=2\n").into_bytes(),
        ))
        .unwrap();
    let mut decoder = FrameDecoder::new();
    decoder.push(&session.take_output());
    let answer = decoder.next_frame().unwrap().unwrap();
    assert!(cram::verify(password, token, answer.data().unwrap()));
    session.handle_frame(Frame::Data(AUTH_OK.to_vec())).unwrap();
    decoder.push(&session.take_output());
    let line = decoder.next_frame().unwrap().unwrap();
    let challenge = Challenge::parse(line.data().unwrap()).unwrap();
    let reply = cram::answer(password, &challenge.token, Base64Variant::Legacy) + "\0";
    session
        .handle_frame(Frame::Data(reply.into_bytes()))
        .unwrap();
}

fn session_machine(c: &mut Criterion) {
    let mut group = c.benchmark_group("session");
    group.sample_size(10);
    let lines: Vec<Vec<u8>> = (0..1_000_000)
        .map(|n| format!(" /srv/data/files/document-{n:08}.txt\n").into_bytes())
        .collect();
    let total: usize = lines.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("list_files_response", |b| {
        b.iter_batched(
            || (logged_in_session(), lines.clone()),
            |(mut session, lines)| {
                session.send_command("list files jobid=1").unwrap();
                let mut bytes = 0;
                for line in lines {
                    if let Event::Data(data) = session.handle_frame(Frame::Data(line)).unwrap() {
                        bytes += data.len();
                    }
                }
                session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
                black_box(bytes)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let password = Password::new("secret");
    c.bench_function("cram_md5_login_handshake", |b| {
        b.iter(|| {
            let mut session = ClientSession::new(SessionConfig::console("admin", password.clone()));
            login(&mut session, &password);
            black_box(session.state())
        })
    });
}

criterion_group!(benches, decode, encode, session_machine);
criterion_main!(benches);
