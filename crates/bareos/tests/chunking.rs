//! The bytes of a response arrive in whatever pieces TCP makes of them: TLS records and
//! frames split across reads (a byte or a few at a time), many of them in one read, and
//! payloads that are not UTF-8. A proxy between the client and the test director
//! re-cuts the director's byte stream; every result must equal the one of a direct
//! connection, byte for byte.

use bareos::proto::{Frame, Signal};
use bareos::{Config, Director, Password, TlsMode};
use bareos_testkit::{ScriptTable, TestDirector, TlsPolicy};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the proxy re-cuts what the director sends.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Pieces of 1, 2, 3, 5 and 7 bytes, each its own write (and segment).
    Trickle,
    /// Everything that arrives within 30 ms (or 256 KiB of it) in one write.
    Coalesce,
}

/// A loopback proxy to `upstream`; returns its port.
async fn proxy(upstream: u16, shape: Shape) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (mut from_client, to_client) = client.into_split();
                let (from_server, mut to_server) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_client, &mut to_server).await;
                    let _ = to_server.shutdown().await;
                });
                forward(from_server, to_client, shape).await;
            });
        }
    });
    port
}

async fn forward(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shape: Shape,
) {
    const PIECES: [usize; 5] = [1, 2, 3, 5, 7];
    let mut buffer = vec![0u8; 256 * 1024];
    let mut next_piece = 0;
    loop {
        let n = match shape {
            Shape::Trickle => match from.read(&mut buffer[..4096]).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            },
            Shape::Coalesce => {
                let mut filled = 0;
                let mut closed = false;
                while filled < buffer.len() {
                    let wait = if filled == 0 {
                        Duration::from_secs(30)
                    } else {
                        Duration::from_millis(30)
                    };
                    match tokio::time::timeout(wait, from.read(&mut buffer[filled..])).await {
                        Ok(Ok(0)) | Ok(Err(_)) => {
                            closed = true;
                            break;
                        }
                        Ok(Ok(n)) => filled += n,
                        Err(_) => break,
                    }
                }
                if filled > 0 && to.write_all(&buffer[..filled]).await.is_err() {
                    break;
                }
                if closed {
                    break;
                }
                continue;
            }
        };
        let mut at = 0;
        while at < n {
            let take = PIECES[next_piece % PIECES.len()].min(n - at);
            next_piece += 1;
            if to.write_all(&buffer[at..at + take]).await.is_err() {
                return;
            }
            at += take;
            tokio::task::yield_now().await;
        }
    }
    let _ = to.shutdown().await;
}

/// Bytes that are not UTF-8: every byte value, a lone continuation byte, a truncated
/// sequence.
fn binary_payload() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice(&[0x80, b'\n', 0xe2, 0x82, b'\n', 0xff, 0xfe]);
    bytes
}

fn director() -> TestDirector {
    let mut script = ScriptTable::new();
    script.insert(
        "binary",
        vec![
            Frame::Data(binary_payload()),
            Frame::Signal(Signal::Unknown(-77)),
            Frame::Data(binary_payload()[128..].to_vec()),
        ],
    );
    TestDirector::builder()
        .default_console_tls(TlsPolicy::None)
        .script(script)
        .start()
        .unwrap()
}

fn config(port: u16, tls: TlsMode) -> Config {
    Config::new("127.0.0.1")
        .port(port)
        .password(Password::new("dir_password"))
        .tls(tls)
        .read_timeout(Duration::from_secs(60))
}

const COMMANDS: [&str; 3] = [
    "version",
    ".testkit output size=40000 frame=64",
    ".testkit output size=300000",
];

/// The results of [`COMMANDS`] and of `binary` over one connection to `port`.
async fn results(port: u16, tls: TlsMode) -> Vec<Vec<u8>> {
    let mut director = Director::connect(config(port, tls)).await.unwrap();
    assert_eq!(director.is_encrypted(), tls == TlsMode::Required);
    let mut out = Vec::new();
    for command in COMMANDS {
        out.push(director.call(command).await.unwrap().into_bytes());
    }
    let binary = director.call("binary").await.unwrap().into_bytes();
    let mut expected = binary_payload();
    expected.extend_from_slice(&binary_payload()[128..]);
    assert_eq!(binary, expected, "non-UTF-8 bytes changed on the way");
    out.push(binary);
    // The connection is still in step: a small command after the big ones.
    assert!(!director.call("version").await.unwrap().bytes().is_empty());
    director.close().await;
    out
}

async fn same_as_direct(shape: Shape, tls: TlsMode) {
    let td = director();
    let direct = results(td.port(), tls).await;
    assert!(direct[1].len() >= 40000 && direct[2].len() >= 300000);
    let proxied = results(proxy(td.port(), shape).await, tls).await;
    for (i, (a, b)) in direct.iter().zip(&proxied).enumerate() {
        assert!(
            a == b,
            "result {i} differs through the {shape:?} proxy ({tls:?})"
        );
    }
}

/// One test per name: `same_as_direct` through a proxy of that shape, with that TLS mode.
macro_rules! same_as_direct_tests {
    ($($name:ident: $shape:expr, $tls:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            same_as_direct($shape, $tls).await;
        }
    )*};
}

same_as_direct_tests! {
    tls_records_split_across_reads: Shape::Trickle, TlsMode::Required;
    frames_split_across_reads: Shape::Trickle, TlsMode::Disabled;
    many_tls_records_in_one_read: Shape::Coalesce, TlsMode::Required;
    many_frames_in_one_read: Shape::Coalesce, TlsMode::Disabled;
}

/// A caller that buffers its output asks whether more is already received: true while
/// frames of a coalesced response wait in the decoder, false once all was handed out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffered_data_is_reported() {
    let td = director();
    let port = proxy(td.port(), Shape::Coalesce).await;
    let mut director = Director::connect(config(port, TlsMode::Disabled))
        .await
        .unwrap();
    director
        .send(".testkit output size=40000 frame=64")
        .await
        .unwrap();
    let first = director.response().next_chunk().await.unwrap().unwrap();
    assert_eq!(first.len(), 64);
    assert!(
        director.has_buffered_data(),
        "the rest of a coalesced response is already received"
    );
    let rest = director.read_response().await.unwrap();
    assert_eq!(first.len() + rest.bytes().len(), 40000);
    assert!(!director.has_buffered_data());
    director.close().await;
}
