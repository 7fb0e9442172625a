//! The Rust side of `bench/compare`: one measurement per process, printed as one JSON
//! line, so that the operating system's accounting (time, peak RSS) belongs to this
//! client alone.
//!
//! ```text
//! bench_client ADDR PORT PASSWORD login N tls|clear
//! bench_client ADDR PORT PASSWORD small N [tls|clear]
//! bench_client ADDR PORT PASSWORD blocking N tls|clear
//! bench_client ADDR PORT PASSWORD result SIZE text|json buffered|stream FRAME
//! bench_client ADDR PORT PASSWORD concurrent CONNECTIONS COMMANDS
//! bench_client ADDR PORT PASSWORD drain SIZE text|json FRAME
//! bench_client ADDR PORT PASSWORD floor N tls|clear
//! ```
//!
//! `drain` is the yardstick of what the director itself can deliver: after logging in
//! with the sans-IO session, it reads the result with one `read` per megabyte and only
//! skips from header to header, without copying, decoding or keeping anything.
//!
//! `blocking` is `small` through the blocking client ([`bareos::blocking::Director`]),
//! as the Python package and `bareosctl` use it.
//!
//! `floor` is the same kind of yardstick for small commands: the least a client can do
//! for each of `N` commands, with no runtime, no timers and no per-read deadline. The
//! sans-IO session runs over a blocking socket (TLS-PSK through OpenSSL's blocking
//! stream); each command is one `write`, one `TCP_QUICKACK` and blocking reads until the
//! end signal, so 4 system calls for the two frames of a reply.
//!
//! Build with `cargo build --release -p bareos --example bench_client`.

use bareos::proto::frame::encode_data;
use bareos::proto::hello::{psk_identity, ResourceType};
use bareos::proto::jsonrpc::API2_COMPACT_COMMAND;
use bareos::proto::{ClientSession, Event, FrameDecoder, SessionConfig, Signal};
use bareos::{Config, Director, Password, TlsMode};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const COMMAND: &str = "version";

fn config(addr: &str, port: u16, password: &str, tls: bool) -> Config {
    Config::new(addr)
        .port(port)
        .password(Password::new(password))
        .tls(if tls {
            TlsMode::Required
        } else {
            TlsMode::Disabled
        })
        .read_timeout(Duration::from_secs(300))
}

fn usage() -> ! {
    eprintln!("usage: bench_client ADDR PORT PASSWORD (login N tls|clear | small N [tls|clear] | blocking N tls|clear | result SIZE text|json buffered|stream FRAME | concurrent CONNECTIONS COMMANDS | drain SIZE text|json FRAME | floor N tls|clear)");
    std::process::exit(2)
}

/// One connection is driven by one thread (as the blocking API and `bareosctl` do): a
/// current-thread runtime, unless `BENCH_RUNTIME=multi_thread` asks for the two-worker
/// runtime of `#[tokio::main]`, where every wake-up of `block_on` crosses threads.
/// `concurrent` always runs on two workers.
fn main() -> bareos::Result<()> {
    if std::env::args().nth(4).as_deref() == Some("blocking") {
        return small_blocking();
    }
    let concurrent = std::env::args().nth(4).as_deref() == Some("concurrent");
    let multi = concurrent || std::env::var("BENCH_RUNTIME").as_deref() == Ok("multi_thread");
    let runtime = if multi {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
    .expect("cannot start the runtime");
    runtime.block_on(run())
}

async fn run() -> bareos::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 5 {
        usage();
    }
    let (addr, password) = (args[0].as_str(), args[2].as_str());
    let port: u16 = args[1].parse().unwrap_or_else(|_| usage());
    let number = |i: usize| -> usize {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| usage())
    };
    match args[3].as_str() {
        "login" => {
            let n = number(4);
            let tls = args.get(5).map(String::as_str) == Some("tls");
            let mut ms = Vec::with_capacity(n);
            for _ in 0..n {
                let started = Instant::now();
                let mut director = Director::connect(config(addr, port, password, tls)).await?;
                let version = director.call(COMMAND).await?;
                assert!(!version.bytes().is_empty());
                director.close().await;
                ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            println!("{{\"latencies_ms\":{ms:?}}}");
        }
        "small" => {
            let n = number(4);
            let tls = args.get(5).map(String::as_str) == Some("tls");
            let mut director = Director::connect(config(addr, port, password, tls)).await?;
            let started = Instant::now();
            for _ in 0..n {
                director.call(COMMAND).await?;
            }
            let seconds = started.elapsed().as_secs_f64();
            director.close().await;
            println!("{{\"commands\":{n},\"seconds\":{seconds}}}");
        }
        "result" => {
            let size = number(4);
            let json = args.get(5).map(String::as_str) == Some("json");
            let streaming = args.get(6).map(String::as_str) == Some("stream");
            let frame = number(7);
            let mut director =
                Director::connect(config(addr, port, password, false).json(json)).await?;
            let command = if json {
                format!(".testkit output size={size}")
            } else {
                format!(".testkit output size={size} frame={frame}")
            };
            let started = Instant::now();
            let bytes = match (json, streaming) {
                (_, true) => {
                    let mut total = 0usize;
                    let mut stream = director.stream(&command).await?;
                    while let Some(chunk) = stream.next_chunk().await? {
                        total += chunk.len();
                    }
                    total
                }
                (false, false) => director.call(&command).await?.bytes().len(),
                (true, false) => {
                    let value = director.call_json(&command).await?;
                    let names = value["filenames"].as_array().map_or(0, Vec::len);
                    assert!(names > 0, "no file names in the JSON result");
                    size
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            director.close().await;
            println!("{{\"bytes\":{bytes},\"seconds\":{seconds}}}");
        }
        "concurrent" => {
            let connections = number(4);
            let commands = number(5);
            let addr = addr.to_string();
            let password = password.to_string();
            let started = Instant::now();
            let mut tasks = Vec::with_capacity(connections);
            for _ in 0..connections {
                let config = config(&addr, port, &password, false);
                tasks.push(tokio::spawn(async move {
                    let mut director = Director::connect(config).await?;
                    for _ in 0..commands {
                        director.call(COMMAND).await?;
                    }
                    director.close().await;
                    Ok::<_, bareos::Error>(())
                }));
            }
            for task in tasks {
                task.await.expect("task panicked")?;
            }
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "{{\"commands\":{},\"seconds\":{seconds}}}",
                connections * commands
            );
        }
        "drain" => {
            let size = number(4);
            let json = args.get(5).map(String::as_str) == Some("json");
            let frame = number(6);
            let (bytes, seconds) =
                drain(addr, port, password, size, json, frame).unwrap_or_else(|error| {
                    eprintln!("bench_client: drain failed: {error}");
                    std::process::exit(1)
                });
            println!("{{\"bytes\":{bytes},\"seconds\":{seconds}}}");
        }
        "floor" => {
            let n = number(4);
            let tls = args.get(5).map(String::as_str) == Some("tls");
            let seconds = floor(addr, port, password, n, tls).unwrap_or_else(|error| {
                eprintln!("bench_client: floor failed: {error}");
                std::process::exit(1)
            });
            println!("{{\"commands\":{n},\"seconds\":{seconds}}}");
        }
        _ => usage(),
    }
    Ok(())
}

/// `blocking N tls|clear`: `small` through the blocking client, with no runtime of its
/// own around it.
fn small_blocking() -> bareos::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = args[1].parse().unwrap_or_else(|_| usage());
    let n: usize = args
        .get(4)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| usage());
    let tls = args.get(5).map(String::as_str) == Some("tls");
    let mut director = bareos::blocking::Director::connect(config(&args[0], port, &args[2], tls))?;
    let started = Instant::now();
    for _ in 0..n {
        director.call(COMMAND)?;
    }
    let seconds = started.elapsed().as_secs_f64();
    director.close();
    println!("{{\"commands\":{n},\"seconds\":{seconds}}}");
    Ok(())
}

type DrainResult<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn drain(
    addr: &str,
    port: u16,
    password: &str,
    size: usize,
    json: bool,
    frame: usize,
) -> DrainResult<(usize, f64)> {
    let mut tcp = TcpStream::connect((addr, port))?;
    tcp.set_nodelay(true)?;
    let mut config = SessionConfig::console("*UserAgent*", Password::new(password));
    config.encrypted = false;
    {
        let mut link = tcp.try_clone()?;
        let mut blocking = BlockingSession::new(&mut link, &tcp, config);
        blocking.until(|e| matches!(e, Event::LoggedIn))?;
        if json {
            blocking.session.send_command(API2_COMPACT_COMMAND)?;
            blocking.until(|e| matches!(e, Event::End(_) | Event::FinalData(_)))?;
        }
    }
    let command = if json {
        format!(".testkit output size={size}")
    } else {
        format!(".testkit output size={size} frame={frame}")
    };
    let end = if json {
        Signal::MainPrompt
    } else {
        Signal::Eod
    }
    .code();
    let mut wire = Vec::new();
    encode_data(command.as_bytes(), &mut wire)?;
    let started = Instant::now();
    tcp.write_all(&wire)?;
    let mut buf = vec![0u8; 1 << 20];
    // Bytes of payload still to skip, and a partial header carried over between reads.
    let (mut skip, mut header, mut filled, mut bytes) = (0usize, [0u8; 4], 0usize, 0usize);
    'read: loop {
        #[cfg(target_os = "linux")]
        let _ = socket2::SockRef::from(&tcp).set_quickack(true);
        let n = tcp.read(&mut buf)?;
        if n == 0 {
            return Err("the director closed the connection".into());
        }
        let mut at = 0;
        while at < n {
            if skip > 0 {
                let take = skip.min(n - at);
                skip -= take;
                bytes += take;
                at += take;
                continue;
            }
            let take = (4 - filled).min(n - at);
            header[filled..filled + take].copy_from_slice(&buf[at..at + take]);
            filled += take;
            at += take;
            if filled == 4 {
                filled = 0;
                let value = i32::from_be_bytes(header);
                if value == end {
                    break 'read;
                }
                if value > 0 {
                    skip = value as usize;
                }
            }
        }
    }
    Ok((bytes, started.elapsed().as_secs_f64()))
}

/// A blocking byte stream: the TCP socket itself or TLS over it.
trait Link: Read + Write {}
impl<T: Read + Write> Link for T {}

/// The sans-IO session over a blocking link (the `drain` and `floor` yardsticks).
struct BlockingSession<'a> {
    link: &'a mut dyn Link,
    /// The socket under `link`, for `TCP_QUICKACK`.
    tcp: &'a TcpStream,
    session: ClientSession,
    decoder: FrameDecoder,
    buf: Vec<u8>,
}

impl<'a> BlockingSession<'a> {
    fn new(link: &'a mut dyn Link, tcp: &'a TcpStream, config: SessionConfig) -> Self {
        BlockingSession {
            link,
            tcp,
            session: ClientSession::new(config),
            decoder: FrameDecoder::new(),
            buf: vec![0u8; 64 * 1024],
        }
    }

    /// Writes what the session has to send; `TCP_QUICKACK` is armed once after each
    /// write, as the library does.
    fn flush(&mut self) -> DrainResult<()> {
        let out = self.session.take_output();
        if !out.is_empty() {
            self.link.write_all(&out)?;
            self.link.flush()?;
            #[cfg(target_os = "linux")]
            let _ = socket2::SockRef::from(self.tcp).set_quickack(true);
        }
        Ok(())
    }

    /// Runs the session until `done` accepts one of its events.
    fn until(&mut self, done: impl Fn(&Event) -> bool) -> DrainResult<()> {
        self.flush()?;
        loop {
            while let Some(frame) = self.decoder.next_frame()? {
                let event = self.session.handle_frame(frame)?;
                self.flush()?;
                if done(&event) {
                    return Ok(());
                }
            }
            let n = self.link.read(&mut self.buf)?;
            if n == 0 {
                return Err("the director closed the connection".into());
            }
            self.decoder.push(&self.buf[..n]);
        }
    }
}

/// `n` small commands with the least client work (see the module documentation).
fn floor(addr: &str, port: u16, password: &str, n: usize, tls: bool) -> DrainResult<f64> {
    use openssl::ssl::{Ssl, SslContext, SslMethod, SslVerifyMode};
    let tcp = TcpStream::connect((addr, port))?;
    tcp.set_nodelay(true)?;
    tcp.set_read_timeout(Some(Duration::from_secs(300)))?;
    let password = Password::new(password);
    let mut link: Box<dyn Link> = if tls {
        let mut builder = SslContext::builder(SslMethod::tls_client())?;
        builder.set_ciphersuites("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256")?;
        builder.set_cipher_list("aPSK")?;
        builder.set_verify(SslVerifyMode::NONE);
        builder.set_read_ahead(true);
        let identity = psk_identity(ResourceType::Console, "*UserAgent*");
        let key = password.key().to_vec();
        builder.set_psk_client_callback(move |_ssl, _hint, identity_out, psk_out| {
            identity_out[..identity.len()].copy_from_slice(&identity);
            identity_out[identity.len()] = 0;
            psk_out[..key.len()].copy_from_slice(&key);
            Ok(key.len())
        });
        let ssl = Ssl::new(&builder.build())?;
        Box::new(
            ssl.connect(tcp.try_clone()?)
                .map_err(|error| format!("TLS-PSK handshake: {error}"))?,
        )
    } else {
        Box::new(tcp.try_clone()?)
    };
    let mut config = SessionConfig::console("*UserAgent*", password);
    config.encrypted = tls;
    let mut blocking = BlockingSession::new(&mut *link, &tcp, config);
    blocking.until(|e| matches!(e, Event::LoggedIn))?;
    let started = Instant::now();
    for _ in 0..n {
        blocking.session.send_command(COMMAND)?;
        blocking.until(|e| matches!(e, Event::End(_)))?;
    }
    Ok(started.elapsed().as_secs_f64())
}
