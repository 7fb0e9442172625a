//! The byte stream under a session: TCP, optionally wrapped in TLS (OpenSSL): TLS-PSK,
//! or certificate TLS (see `tls_cert`).

use crate::config::Config;
use crate::error::{Error, Kind, Result};
use crate::socket::{within, Deadline, QuickAckTcp, Waiting};
use bareos_proto::hello::{psk_identity, ResourceType};
use bareos_proto::TlsVersion;
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslMethod, SslMode, SslOptions, SslVerifyMode, SslVersion,
};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_openssl::SslStream;
use tracing::debug;

/// TLS 1.2 cipher list: every PSK suite OpenSSL offers, as the daemons configure it.
/// TLS 1.2 cipher list: only suites authenticated by the pre-shared key (PSK, DHE-PSK,
/// ECDHE-PSK), never a certificate suite and never a NULL cipher.
const TLS12_CIPHERS: &str = "aPSK:!eNULL:!aNULL:!EXP:!LOW:!MD5:@STRENGTH";
/// TLS 1.3 suites: only SHA-256 based ones work with the daemons' PSK callbacks.
const TLS13_SUITES: &str = "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

/// What was negotiated on an encrypted connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsInfo {
    /// Cipher name, e.g. `TLS_CHACHA20_POLY1305_SHA256`.
    pub cipher: String,
    /// Protocol version, e.g. `TLSv1.3`.
    pub version: String,
    /// Secret bits of the cipher.
    pub bits: i32,
    /// The subject of the peer's verified certificate (e.g. `CN=bareos-dir.example.com`)
    /// under certificate TLS; `None` under TLS-PSK.
    pub peer_certificate: Option<String>,
}

/// A connected stream, cleartext or TLS.
pub(crate) enum Transport {
    Plain(QuickAckTcp),
    Tls(Box<SslStream<QuickAckTcp>>),
}

impl Transport {
    /// The TCP stream under the TLS layer, if any.
    pub(crate) fn tcp(&self) -> &QuickAckTcp {
        match self {
            Transport::Plain(tcp) => tcp,
            Transport::Tls(stream) => stream.get_ref(),
        }
    }

    pub(crate) fn tls_info(&self) -> Option<TlsInfo> {
        match self {
            Transport::Plain(_) => None,
            Transport::Tls(stream) => {
                let ssl = stream.ssl();
                let cipher = ssl.current_cipher()?;
                Some(TlsInfo {
                    cipher: cipher.name().to_string(),
                    version: ssl.version_str().to_string(),
                    bits: cipher.bits().secret,
                    peer_certificate: ssl.peer_certificate().map(|cert| subject(&cert)),
                })
            }
        }
    }

    pub(crate) async fn shutdown_tls(&mut self) {
        if let Transport::Tls(stream) = self {
            use tokio::io::AsyncWriteExt;
            let limit = Some(Duration::from_millis(500));
            let _ = within(stream.as_mut(), limit, async |tls| tls.shutdown().await).await;
        }
    }
}

impl Deadline for Transport {
    fn set_deadline(&mut self, deadline: Option<Instant>) {
        match self {
            Transport::Plain(tcp) => tcp.set_deadline(deadline),
            Transport::Tls(stream) => stream.set_deadline(deadline),
        }
    }
}

impl AsyncRead for Transport {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Transport {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Transport::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Opens the TCP connection within the connect timeout, to be waited for as `waiting`
/// says.
pub(crate) async fn connect_tcp(config: &Config, waiting: Waiting) -> Result<QuickAckTcp> {
    let target = format!("{}:{}", config.address, config.port);
    let connect = TcpStream::connect((config.address.as_str(), config.port));
    let tcp = match tokio::time::timeout(config.connect_timeout, connect).await {
        Err(_) => {
            return Err(Error::timeout(format!(
                "connecting to {target} after {:?}",
                config.connect_timeout
            )))
        }
        Ok(Err(error)) => {
            return Err(Error::new(
                Kind::Connect,
                format!("cannot connect to {target}: {error}"),
            )
            .with_source(error))
        }
        Ok(Ok(tcp)) => tcp,
    };
    // Every frame is written with one write, so Nagle's algorithm only adds delay.
    let _ = tcp.set_nodelay(true);
    if let Some(idle) = config.keepalive {
        set_keepalive(&tcp, idle);
    }
    QuickAckTcp::new(tcp, waiting).map_err(|error| {
        Error::new(
            Kind::Connect,
            format!("cannot set up the socket connected to {target}: {error}"),
        )
        .with_source(error)
    })
}

/// TCP keepalive (3 probes, 10 s apart, after `idle`) and, on Linux, the same bound on
/// unacknowledged data: a dead peer ends a long-running command within about a minute.
fn set_keepalive(tcp: &TcpStream, idle: Duration) {
    const PROBES: u32 = 3;
    const INTERVAL: Duration = Duration::from_secs(10);
    let socket = socket2::SockRef::from(tcp);
    let keepalive = socket2::TcpKeepalive::new()
        .with_time(idle)
        .with_interval(INTERVAL)
        .with_retries(PROBES);
    if let Err(error) = socket.set_tcp_keepalive(&keepalive) {
        debug!("cannot enable TCP keepalive: {error}");
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Err(error) = socket.set_tcp_user_timeout(Some(idle + INTERVAL * PROBES)) {
        debug!("cannot set TCP_USER_TIMEOUT: {error}");
    }
}

/// A certificate's subject as `CN=..., O=...`.
fn subject(cert: &openssl::x509::X509Ref) -> String {
    cert.subject_name()
        .entries()
        .filter_map(|entry| {
            let value = entry.data().to_string().ok()?;
            let key = entry.object().nid().short_name().unwrap_or("?");
            Some(format!("{key}={value}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn ssl_version(version: TlsVersion) -> SslVersion {
    match version {
        TlsVersion::Tls12 => SslVersion::TLS1_2,
        TlsVersion::Tls13 => SslVersion::TLS1_3,
    }
}

/// Runs the TLS client handshake on `tcp`: certificate TLS when the config has
/// certificates, TLS-PSK otherwise.
pub(crate) async fn handshake_tls(
    tcp: QuickAckTcp,
    config: &Config,
    kind: ResourceType,
    key: &[u8],
) -> Result<Transport> {
    if config.uses_certificates() {
        handshake_certificate(tcp, config, kind).await
    } else {
        handshake_tls_psk(tcp, config, kind, key).await
    }
}

fn peer_name(kind: ResourceType) -> &'static str {
    match kind {
        ResourceType::Console | ResourceType::Client => "director",
        ResourceType::Director => "file daemon",
    }
}

/// Runs the certificate TLS client handshake on `tcp`.
async fn handshake_certificate(
    tcp: QuickAckTcp,
    config: &Config,
    kind: ResourceType,
) -> Result<Transport> {
    let tls_error = |error: &dyn std::fmt::Display| {
        Error::new(Kind::Tls, format!("cannot set up TLS: {error}"))
    };
    let context = crate::tls_cert::client_context(config)?;
    let mut ssl = Ssl::new(&context).map_err(|e| tls_error(&e))?;
    if config.address.parse::<std::net::IpAddr>().is_err() {
        let _ = ssl.set_hostname(&config.address);
    }
    let mut stream = SslStream::new(ssl, tcp).map_err(|e| tls_error(&e))?;
    let what = peer_name(kind);
    let limit = Some(config.login_timeout);
    match within(&mut stream, limit, async |tls| {
        Pin::new(tls).connect().await
    })
    .await
    {
        None => Err(Error::timeout(format!(
            "in the TLS handshake with the {what} at {}:{}",
            config.address, config.port
        ))),
        Some(Err(error)) => Err(crate::tls_cert::handshake_error(
            config,
            what,
            stream.ssl(),
            &error,
        )),
        Some(Ok(())) => {
            crate::tls_cert::check_peer(stream.ssl(), config, what)?;
            Ok(Transport::Tls(Box::new(stream)))
        }
    }
}

/// A client context with what TLS-PSK and certificate TLS share: the options and modes,
/// the configured protocol versions, the TLS 1.2 cipher list (the configured one, else
/// `default_ciphers`) and read-ahead.
pub(crate) fn client_context_builder(
    config: &Config,
    what: &str,
    default_ciphers: &str,
) -> Result<SslContextBuilder> {
    let tls_error = |error: &dyn std::fmt::Display| {
        Error::new(Kind::Tls, format!("cannot set up {what}: {error}"))
    };
    let mut builder = SslContext::builder(SslMethod::tls_client()).map_err(|e| tls_error(&e))?;
    builder.set_options(
        SslOptions::ALL
            | SslOptions::NO_COMPRESSION
            | SslOptions::NO_SSLV2
            | SslOptions::NO_SSLV3
            | SslOptions::IGNORE_UNEXPECTED_EOF,
    );
    builder.set_mode(
        SslMode::AUTO_RETRY | SslMode::ACCEPT_MOVING_WRITE_BUFFER | SslMode::ENABLE_PARTIAL_WRITE,
    );
    builder
        .set_min_proto_version(Some(ssl_version(
            config.tls_min_version.unwrap_or(TlsVersion::Tls12),
        )))
        .map_err(|e| tls_error(&e))?;
    if let Some(max) = config.tls_max_version {
        builder
            .set_max_proto_version(Some(ssl_version(max)))
            .map_err(|e| tls_error(&e))?;
    }
    let ciphers = config.tls_cipher_list.as_deref().unwrap_or(default_ciphers);
    builder
        .set_cipher_list(ciphers)
        .map_err(|e| Error::config(format!("invalid TLS cipher list '{ciphers}': {e}")))?;
    // Read what has arrived in one `read`, not each record as header, then body: the
    // daemons send one small record per frame.
    builder.set_read_ahead(true);
    Ok(builder)
}

/// Runs the TLS-PSK client handshake on `tcp`.
async fn handshake_tls_psk(
    tcp: QuickAckTcp,
    config: &Config,
    kind: ResourceType,
    key: &[u8],
) -> Result<Transport> {
    let tls_error = |error: &dyn std::fmt::Display| {
        Error::new(Kind::Tls, format!("cannot set up TLS-PSK: {error}"))
    };
    // A bare context, not `SslConnector`: that one loads the system's CA certificates
    // (~30 ms per connection), which TLS-PSK never uses.
    let mut builder = client_context_builder(config, "TLS-PSK", TLS12_CIPHERS)?;
    builder
        .set_ciphersuites(TLS13_SUITES)
        .map_err(|e| tls_error(&e))?;
    builder.set_verify(SslVerifyMode::NONE);
    let identity = psk_identity(kind, config.get_name());
    let key = key.to_vec();
    builder.set_psk_client_callback(move |_ssl, _hint, identity_out, psk_out| {
        if identity.len() + 1 > identity_out.len() || key.len() > psk_out.len() {
            return Err(openssl::error::ErrorStack::get());
        }
        identity_out[..identity.len()].copy_from_slice(&identity);
        identity_out[identity.len()] = 0;
        psk_out[..key.len()].copy_from_slice(&key);
        Ok(key.len())
    });
    let context = builder.build();
    let ssl = Ssl::new(&context).map_err(|e| tls_error(&e))?;
    let mut stream = SslStream::new(ssl, tcp).map_err(|e| tls_error(&e))?;
    let what = peer_name(kind);
    let limit = Some(config.login_timeout);
    match within(&mut stream, limit, async |tls| {
        Pin::new(tls).connect().await
    })
    .await
    {
        None => Err(Error::timeout(format!(
            "in the TLS-PSK handshake with the {what} at {}:{}",
            config.address, config.port
        ))),
        Some(Err(error)) => Err(handshake_error(config, what, &error)),
        Some(Ok(())) => {
            check_psk_authenticated(stream.ssl(), config, what)?;
            Ok(Transport::Tls(Box::new(stream)))
        }
    }
}

/// A completed handshake counts only if the pre-shared key authenticated the peer: no
/// certificate, a PSK suite in TLS 1.2, and the PSK used in TLS 1.3 (where OpenSSL
/// reports it as a resumed session). A certificate-based TLS server that does not know
/// the password must never pass for the director.
fn check_psk_authenticated(ssl: &openssl::ssl::SslRef, config: &Config, what: &str) -> Result<()> {
    let tls13 = ssl.version2() == Some(SslVersion::TLS1_3);
    let psk_suite = ssl
        .current_cipher()
        .is_some_and(|cipher| cipher.name().contains("PSK"));
    let authenticated = ssl.peer_certificate().is_none()
        && if tls13 {
            ssl.session_reused()
        } else {
            psk_suite
        };
    if authenticated {
        return Ok(());
    }
    Err(Error::new(
        Kind::TlsAuth,
        format!(
            "the TLS peer at {}:{} did not authenticate with the pre-shared key (it used a certificate or no PSK): it is not the {what} for '{}' or not a Bareos daemon",
            config.address,
            config.port,
            config.get_name()
        ),
    ))
}

/// Says what a failed handshake means: the peer's TLS alert tells a wrong key from an
/// unknown name; no alert at all means the peer does not speak TLS-PSK.
fn handshake_error(config: &Config, what: &str, error: &openssl::ssl::Error) -> Error {
    let reason = describe_ssl_error(error);
    let target = format!("the {what} at {}:{}", config.address, config.port);
    let name = config.get_name();
    let (kind, meaning) = if reason.contains("illegal parameter")
        || reason.contains("bad record mac")
    {
        (
            Kind::TlsAuth,
            format!("the password for '{name}' is wrong (the TLS-PSK keys differ)"),
        )
    } else if reason.contains("unknown psk identity") || reason.contains("alert handshake failure")
    {
        (
            Kind::TlsAuth,
            format!("'{name}' is unknown to {target} (no such console or director resource)"),
        )
    } else {
        (
            Kind::Tls,
            format!(
                "{target} does not complete a TLS-PSK handshake: an old Bareos (< 18.2) or Bacula needs cleartext (TlsMode::Disabled, protocol 1)"
            ),
        )
    };
    Error::new(
        kind,
        format!("TLS-PSK handshake with {target} failed: {meaning} ({reason})"),
    )
}

pub(crate) fn describe_ssl_error(error: &openssl::ssl::Error) -> String {
    if let Some(stack) = error.ssl_error() {
        if let Some(first) = stack.errors().first() {
            return first.reason().unwrap_or("TLS error").to_string();
        }
    }
    if let Some(io) = error.io_error() {
        return io.to_string();
    }
    match error.code() {
        openssl::ssl::ErrorCode::ZERO_RETURN | openssl::ssl::ErrorCode::SYSCALL => {
            "the peer closed the connection".to_string()
        }
        code => format!("TLS error code {}", code.as_raw()),
    }
}
