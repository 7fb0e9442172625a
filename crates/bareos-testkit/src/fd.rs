//! The simulated File Daemon (a client seen by a program acting as a Director).

use crate::admission::{self, Transport};
use crate::conn::Conn;
use crate::director::{DEFAULT_DATE, DEFAULT_VERSION};
use crate::fault::{self, Fault, FaultPoint, Faults};
use crate::login::{cram_both_ways, read_auth_frame, terminate, Cram};
use crate::policy::TlsPolicy;
use crate::record::Recorder;
use crate::server::Server;
use crate::tls::{PskKeys, ServerCertificates, TlsSettings};
use bareos_proto::hello::{fd_hello_ok, psk_identity, qualified_name, Hello, ResourceType};
use bareos_proto::{Frame, Password, Signal};
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The status text lines of a file daemon (each ends with `\n`; the first is `\n`).
pub(crate) fn status_lines(
    fd: &str,
    director: &str,
    version: &str,
    date: &str,
    os: &str,
) -> Vec<String> {
    let mut lines = vec![
        "\n".to_string(),
        format!("{fd} Version: {version} ({date}) {os}\n"),
        "Daemon started 26-Nov-26 17:44. Jobs: run=4 running=0, self-compiled binary\n".into(),
        " Sizeof: boffset_t=8 size_t=8 debug=0 trace=0 bwlimit=0kB/s\n".into(),
        "\nRunning Jobs:\n".into(),
        format!("{director} (director) connected at: 26-Nov-26 17:45\n"),
        "No Jobs running.\n".into(),
        "====\n".into(),
        "\nTerminated Jobs:\n".into(),
        " JobId  Level    Files      Bytes   Status   Finished        Name \n".into(),
        format!("{}\n", "=".repeat(70)),
    ];
    lines.push(
        "     1  Full         86    139.8 K  OK       26-Nov-26 17:44 backup-bareos-fd\n".into(),
    );
    lines.push(
        "     2  Incr          0         0   OK       26-Nov-26 17:44 backup-bareos-fd\n".into(),
    );
    lines.push(
        "     3  Full      1,002    5.005 K  OK       26-Nov-26 17:44 backup-bareos-fd\n".into(),
    );
    lines.push(
        "     4  Full         86    139.8 K  OK       26-Nov-26 17:44 backup-test2-fd\n".into(),
    );
    lines.push("====\n".into());
    lines
}

#[derive(Debug)]
struct FdConfig {
    name: String,
    directors: Vec<(String, Password, TlsPolicy)>,
    version: String,
    date: String,
    os: String,
    faults: Faults,
    auth_failure_delay: Duration,
    tls: TlsSettings,
    certificates: ServerCertificates,
}

/// Builds a [`TestFileDaemon`].
#[derive(Debug)]
pub struct TestFileDaemonBuilder {
    config: FdConfig,
    addr: SocketAddr,
}

impl TestFileDaemonBuilder {
    crate::builder::shared_daemon_setters! {
        fault: "Adds a fault (`OnCommand` points match FD command lines).",
        auth_failure_delay: "The pause after an authentication failure (real daemons: 5 s + 6 s; default 0.1 s).",
        tls_certificate: "Serves certificate TLS with this certificate and key (PEM files; the `Director`\nresource's `TLS Certificate` and `TLS Key`) to directors that offer no PSK.",
    }

    /// The file daemon's name (default `bareos-fd`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.config.name = name.into();
        self
    }

    /// Allows a director with this name and password under this TLS policy
    /// (cleartext only with `TlsPolicy::None`).
    pub fn director(
        mut self,
        name: impl Into<String>,
        password: impl AsRef<[u8]>,
        policy: TlsPolicy,
    ) -> Self {
        self.config
            .directors
            .push((name.into(), Password::new(password), policy));
        self
    }

    /// The version string of `status`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.config.version = version.into();
        self
    }

    /// Binds and starts the file daemon in its own thread with its own runtime.
    pub fn start(self) -> io::Result<TestFileDaemon> {
        let config = Arc::new(self.config);
        let keys: PskKeys = Arc::new(
            config
                .directors
                .iter()
                .map(|(name, password, _)| {
                    (psk_identity(ResourceType::Director, name), password.clone())
                })
                .collect::<HashMap<_, _>>(),
        );
        let (server, recorder) = admission::start_admitting(
            self.addr,
            "test-file-daemon",
            config,
            keys,
            |c, t, config| async move { serve(c, t, &config).await },
        )?;
        Ok(TestFileDaemon { server, recorder })
    }
}

async fn serve(mut conn: Conn, transport: Transport, config: &FdConfig) {
    let delay = config.auth_failure_delay;
    let Some(hello) = read_auth_frame(&mut conn).await else {
        return;
    };
    let hello = match hello.data().map(Hello::parse) {
        Some(Ok(h)) if h.kind == ResourceType::Director => h,
        _ => {
            tokio::time::sleep(delay).await;
            conn.close().await;
            return;
        }
    };
    let Some((_, password, policy)) = config.directors.iter().find(|d| d.0 == hello.name) else {
        if matches!(transport, Transport::Tls(_)) {
            tokio::time::sleep(delay).await;
        }
        terminate(conn).await;
        return;
    };
    match &transport {
        Transport::Cleartext if *policy != TlsPolicy::None => {
            terminate(conn).await;
            return;
        }
        Transport::Tls(Some(identity))
            if *identity != psk_identity(ResourceType::Director, &hello.name) =>
        {
            tokio::time::sleep(delay).await;
            terminate(conn).await;
            return;
        }
        _ => {}
    }
    if let Some(f) = config.faults.at(&FaultPoint::BeforeChallenge) {
        if !fault::apply(&mut conn, &f).await {
            return;
        }
    }
    let own = qualified_name(ResourceType::Client, &config.name);
    let impostor = config.faults.login(&Fault::WrongCramAnswer);
    let close_mid = config.faults.login(&Fault::CloseMidLogin);
    let mut conn =
        match cram_both_ways(conn, &own, password, *policy, delay, impostor, close_mid).await {
            Cram::Ok(conn) => conn,
            Cram::Failed(mut conn) => {
                let _ = conn.data("2999 Authentication failed.\n").await;
                tokio::time::sleep(delay).await;
                conn.close().await;
                return;
            }
            Cram::Gone => return,
        };
    if conn.data(fd_hello_ok(54)).await.is_err() {
        return;
    }
    conn.command_phase = true;
    if let Some(f) = config.faults.at(&FaultPoint::AfterLogin) {
        if !fault::apply(&mut conn, &f).await {
            return;
        }
    }
    let _ = commands(&mut conn, config, &hello.name).await;
}

/// What to do after an FD command.
enum Next {
    Continue,
    End,
}

async fn commands(conn: &mut Conn, config: &FdConfig, director: &str) -> io::Result<()> {
    loop {
        let frame = match conn.read_frame().await {
            Ok(Some(frame)) => frame,
            _ => return Ok(()),
        };
        let line = match frame {
            Frame::Signal(Signal::Terminate) => {
                conn.close().await;
                return Ok(());
            }
            Frame::Signal(_) => break,
            Frame::Data(d) => String::from_utf8_lossy(&d)
                .trim_end_matches(['\n', '\0'])
                .to_string(),
        };
        let saved = conn.trickle;
        let mut line = line;
        if let Some(f) = config.faults.for_command(&line) {
            match &f {
                Fault::WrongOutput(other) => line = other.clone(),
                other => {
                    if !fault::apply(conn, other).await {
                        return Ok(());
                    }
                }
            }
        }
        let next = command(conn, config, director, &line).await?;
        conn.trickle = saved;
        if let Next::End = next {
            break;
        }
    }
    let _ = conn.signal(Signal::Terminate).await;
    conn.close().await;
    Ok(())
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split(' ').find_map(|w| w.strip_prefix(key))
}

async fn command(
    conn: &mut Conn,
    config: &FdConfig,
    director: &str,
    line: &str,
) -> io::Result<Next> {
    if line.starts_with(".status") {
        let arg = line.split_whitespace().nth(1);
        match arg {
            Some("current") | Some("last") => {
                conn.data("2000 OK .status\n").await?;
                if arg == Some("last") {
                    conn.data("JobId=4 JobStatus=T JobErrors=0\n").await?;
                }
            }
            Some("header") => {
                conn.data(format!(
                    "name={}\nversion={} ({})\nuname={}\nstarted=26-Nov-26 17:44\njobs_run=4\njobs_running=0\n",
                    config.name, config.version, config.date, config.os
                ))
                .await?;
            }
            Some("running") => conn.data("").await?,
            Some("terminated") => {
                conn.data(" 1 Full 86 139898 OK 26-Nov-26 17:44 backup-bareos-fd\n")
                    .await?
            }
            Some(_) => {
                conn.data("2900 Bad .status command, wrong argument.\n")
                    .await?;
                conn.signal(Signal::Eod).await?;
                return Ok(Next::End);
            }
            None => {
                conn.data("2900 Bad .status command, missing argument.\n")
                    .await?;
                conn.signal(Signal::Eod).await?;
                return Ok(Next::End);
            }
        }
        conn.signal(Signal::Eod).await?;
    } else if line.starts_with("status") {
        for (i, text) in status_lines(
            &config.name,
            director,
            &config.version,
            &config.date,
            &config.os,
        )
        .into_iter()
        .enumerate()
        {
            let mut bytes = text.into_bytes();
            if i > 0 {
                bytes.push(0);
            }
            conn.data(bytes).await?;
        }
        conn.signal(Signal::Eod).await?;
    } else if line.starts_with("setdebug=") {
        let number = |key: &str| field(line, key).and_then(|v| v.parse::<i64>().ok());
        let (Some(level), Some(trace), Some(hangup)) =
            (number("setdebug="), number("trace="), number("hangup="))
        else {
            conn.data(format!("2991 Bad setdebug command: {line}\n"))
                .await?;
            return Ok(Next::End);
        };
        let tracefile = format!("/var/lib/bareos/{}.trace", config.name);
        let reply = match number("timestamp=") {
            Some(ts) => format!("2000 OK setdebug={level} trace={trace} hangup={hangup} timestamp={ts} tracefile={tracefile}\n"),
            None => format!("2000 OK setdebug={level} trace={trace} hangup={hangup} tracefile={tracefile}\n"),
        };
        conn.data(reply).await?;
    } else if line.starts_with("setbandwidth=") {
        let Some(_) = field(line, "setbandwidth=").and_then(|v| v.parse::<u64>().ok()) else {
            conn.data(format!("2991 Bad setbandwidth command: {line}\n"))
                .await?;
            return Ok(Next::End);
        };
        let job = field(line, "Job=").unwrap_or("");
        if !job.is_empty() {
            conn.data(format!("2901 Job {job} not found.\n")).await?;
        }
        conn.data("2000 OK Bandwidth\n").await?;
    } else if line.starts_with("cancel") {
        match field(line, "Job=") {
            Some(job) => conn.data(format!("2901 Job {job} not found.\n")).await?,
            None => conn.data("2902 Error scanning cancel command.\n").await?,
        }
        conn.signal(Signal::Eod).await?;
    } else if line.starts_with("RunBeforeNow") {
        conn.data("2000 OK RunBeforeNow\n").await?;
    } else if line.starts_with("Run") {
        conn.data("2000 OK RunScript\n").await?;
    } else {
        conn.data("2999 Invalid command\n").await?;
        return Ok(Next::End);
    }
    Ok(Next::Continue)
}

/// A running simulated File Daemon; stops on [`TestFileDaemon::shutdown`] or drop.
pub struct TestFileDaemon {
    server: Server,
    recorder: Recorder,
}

crate::builder::running_daemon!(TestFileDaemon);

impl TestFileDaemon {
    /// Starts configuring a file daemon.
    pub fn builder() -> TestFileDaemonBuilder {
        TestFileDaemonBuilder {
            config: FdConfig {
                name: "bareos-fd".into(),
                directors: Vec::new(),
                version: DEFAULT_VERSION.into(),
                date: DEFAULT_DATE.into(),
                os: "Debian GNU/Linux 12 (bookworm)".into(),
                faults: Faults::default(),
                auth_failure_delay: Duration::from_millis(100),
                tls: TlsSettings::default(),
                certificates: ServerCertificates::default(),
            },
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

impl admission::AdmissionConfig for FdConfig {
    fn tls(&self) -> (&TlsSettings, &Faults) {
        (&self.tls, &self.faults)
    }

    fn certificates(&self) -> &ServerCertificates {
        &self.certificates
    }
}
