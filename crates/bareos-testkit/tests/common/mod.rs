//! A minimal raw client for the tests: frames over a std TcpStream, cleartext or TLS-PSK
//! (blocking OpenSSL), with the login done by bareos-proto's `ClientSession`.
#![allow(dead_code)]

use bareos_proto::hello::{psk_identity, ResourceType};
use bareos_proto::{
    ClientSession, Event, Frame, FrameDecoder, Password, ProtocolVersion, SessionConfig,
    SessionError, Signal,
};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

pub trait Io: Read + Write + Send {}
impl<T: Read + Write + Send> Io for T {}

/// Which transport the client uses.
#[derive(Clone, Copy, Debug)]
pub enum Transport {
    Clear,
    Tls(SslVersion),
}

pub struct Client {
    io: Box<dyn Io>,
    decoder: FrameDecoder,
    pub cipher: Option<String>,
}

/// The transcripts directory, if the recordings are there.
pub fn transcripts() -> Option<PathBuf> {
    bareos_testkit::recorded_transcripts(env!("CARGO_MANIFEST_DIR"))
}

impl Client {
    pub fn connect(
        addr: SocketAddr,
        transport: Transport,
        kind: ResourceType,
        name: &str,
        password: &str,
    ) -> std::io::Result<Client> {
        let tcp = TcpStream::connect(addr)?;
        tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
        match transport {
            Transport::Clear => Ok(Client {
                io: Box::new(tcp),
                decoder: FrameDecoder::new(),
                cipher: None,
            }),
            Transport::Tls(max) => {
                let identity = psk_identity(kind, name);
                let key = Password::new(password).key().to_vec();
                let mut builder = SslConnector::builder(SslMethod::tls()).unwrap();
                builder.set_verify(SslVerifyMode::NONE);
                builder.set_max_proto_version(Some(max)).unwrap();
                builder
                    .set_cipher_list("ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH")
                    .unwrap();
                builder.set_psk_client_callback(move |_, _, id, psk| {
                    id[..identity.len()].copy_from_slice(&identity);
                    id[identity.len()] = 0;
                    psk[..key.len()].copy_from_slice(&key);
                    Ok(key.len())
                });
                let connector = builder.build();
                let mut config = connector.configure().unwrap();
                config.set_verify_hostname(false);
                config.set_use_server_name_indication(false);
                let stream = config
                    .connect("localhost", tcp)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                let cipher = format!(
                    "{} {}",
                    stream.ssl().current_cipher().unwrap().name(),
                    stream.ssl().version_str()
                );
                Ok(Client {
                    io: Box::new(stream),
                    decoder: FrameDecoder::new(),
                    cipher: Some(cipher),
                })
            }
        }
    }

    /// A cleartext connection to `addr` (no TLS, so no identity).
    pub fn clear(addr: SocketAddr) -> Client {
        Client::connect(addr, Transport::Clear, ResourceType::Console, "", "").unwrap()
    }

    /// A TLS-PSK connection to `addr` as the console `name`, at most TLS version `max`.
    pub fn tls_console(
        addr: SocketAddr,
        max: SslVersion,
        name: &str,
        password: &str,
    ) -> std::io::Result<Client> {
        Client::connect(
            addr,
            Transport::Tls(max),
            ResourceType::Console,
            name,
            password,
        )
    }

    /// A cleartext protocol 2 connection logged in as the console `name`.
    pub fn logged_in(addr: SocketAddr, name: &str, password: &str) -> Client {
        let mut client = Client::clear(addr);
        client
            .login(console(name, password, ProtocolVersion::V2, false))
            .unwrap();
        client
    }

    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.io.write_all(bytes).unwrap();
        self.io.flush().unwrap();
    }

    pub fn send(&mut self, command: &str) {
        let mut out = Vec::new();
        bareos_proto::frame::encode_data(command.as_bytes(), &mut out).unwrap();
        self.write_raw(&out);
    }

    pub fn send_signal(&mut self, signal: Signal) {
        self.write_raw(&signal.code().to_be_bytes());
    }

    /// The next frame; `Ok(None)` at EOF.
    pub fn read_frame(&mut self) -> Result<Option<Frame>, String> {
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => return Ok(Some(frame)),
                Ok(None) => {}
                Err(e) => return Err(format!("decode: {e}")),
            }
            let mut buffer = [0u8; 65536];
            match self.io.read(&mut buffer) {
                Ok(0) => return Ok(None),
                Ok(n) => self.decoder.push(&buffer[..n]),
                Err(e) => return Err(format!("read: {e}")),
            }
        }
    }

    pub fn expect_frame(&mut self) -> Frame {
        self.read_frame().unwrap().expect("a frame, not EOF")
    }

    /// Frames up to and including the first of `ends`.
    pub fn until(&mut self, ends: &[Signal]) -> Vec<Frame> {
        let mut frames = Vec::new();
        loop {
            let frame = self.expect_frame();
            let end = matches!(&frame, Frame::Signal(s) if ends.contains(s));
            frames.push(frame);
            if end {
                return frames;
            }
        }
    }

    /// Sends a command and returns the reply frames up to the end marker.
    pub fn command(&mut self, command: &str, end: Signal) -> Vec<Frame> {
        self.send(command);
        self.until(&[end])
    }

    /// Asserts that `command` is answered with the one data frame `text`, then `Eod`.
    #[track_caller]
    pub fn assert_answer(&mut self, command: &str, text: &str) {
        assert_eq!(
            self.command(command, Signal::Eod),
            vec![data(text), sig(Signal::Eod)]
        );
    }

    /// Sends a wrong CRAM-MD5 answer; asserts the daemon's two verdicts on it.
    #[track_caller]
    pub fn answer_wrongly(&mut self) {
        self.send("AAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(self.expect_frame(), data("1999 Authorization failed.\n"));
        assert_eq!(self.expect_frame(), data("1999 Authorization failed.\n"));
    }

    /// Logs in with a `ClientSession`; returns the welcome frames on success.
    pub fn login(&mut self, config: SessionConfig) -> Result<Vec<Frame>, SessionError> {
        let mut session = ClientSession::new(config);
        let mut frames = Vec::new();
        let mut seen_welcome = false;
        loop {
            let out = session.take_output();
            if !out.is_empty() {
                self.write_raw(&out);
            }
            let frame = match self.read_frame() {
                Ok(Some(frame)) => frame,
                Ok(None) | Err(_) => {
                    return session.handle_eof().map(|_| frames);
                }
            };
            if let Frame::Data(d) = &frame {
                if d.starts_with(b"1000\x1e") || d.starts_with(b"1000 OK:") || seen_welcome {
                    seen_welcome = true;
                    frames.push(frame.clone());
                }
            }
            if session.handle_frame(frame)? == Event::LoggedIn {
                let out = session.take_output();
                if !out.is_empty() {
                    self.write_raw(&out);
                }
                return Ok(frames);
            }
        }
    }
}

pub fn console(
    name: &str,
    password: &str,
    protocol: ProtocolVersion,
    encrypted: bool,
) -> SessionConfig {
    let mut config = SessionConfig::console(name, Password::new(password));
    config.protocol = protocol;
    config.encrypted = encrypted;
    config.challenge_random = 1234;
    config.unix_time = 1_700_000_000;
    config
}

/// The data frames' bytes joined.
pub fn bytes(frames: &[Frame]) -> Vec<u8> {
    frames
        .iter()
        .filter_map(Frame::data)
        .flatten()
        .copied()
        .collect()
}

/// The data frames' bytes joined, as text.
pub fn texts(frames: &[Frame]) -> String {
    frames
        .iter()
        .filter_map(|f| f.data())
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect()
}

pub fn data(text: &str) -> Frame {
    Frame::Data(text.as_bytes().to_vec())
}

pub fn sig(signal: Signal) -> Frame {
    Frame::Signal(signal)
}

/// A console resource named `name` with the tests' password `secret`, cleartext only.
pub fn cleartext_console(name: &str) -> bareos_testkit::ConsoleSpec {
    bareos_testkit::ConsoleSpec::new(name, "secret").tls(bareos_testkit::TlsPolicy::None)
}
