//! The TLS server side, configured like the daemons: `TLS_method`, TLS 1.2 minimum, the
//! daemons' cipher list and OpenSSL's default TLS 1.3 suites, legacy PSK callback keyed
//! by the password's MD5 hex text, and, when configured, the daemon's own certificate
//! in the same context (`TLS Certificate`, `TLS Key`; with `TLS Verify Peer` a client
//! certificate signed by the CA is required and its CN checked against `TLS Allowed CN`).
//! The client's offer decides: a known PSK identity gives TLS-PSK, a client without PSK
//! gets the certificate.

use bareos_proto::{Password, TlsVersion};
use openssl::nid::Nid;
use openssl::ssl::{Ssl, SslContext, SslMethod, SslOptions, SslVersion};
use openssl::ssl::{SslFiletype, SslVerifyMode};
use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio_openssl::SslStream;

/// The daemons' TLS 1.2 cipher list.
pub(crate) const CIPHER_LIST: &str = "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH";

/// PSK identities (`R_CONSOLE` 0x1E name, ...) and their keys.
pub(crate) type PskKeys = Arc<HashMap<Vec<u8>, Password>>;

/// The daemon's certificate settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServerCertificates {
    /// `TLS Certificate` and `TLS Key`.
    pub cert_and_key: Option<(PathBuf, PathBuf)>,
    /// `TLS Verify Peer = yes` with this `TLS CA Certificate File`.
    pub verify_clients: Option<PathBuf>,
    /// `TLS Allowed CN` (checked when clients are verified).
    pub allowed_cn: Vec<String>,
}

impl ServerCertificates {
    fn apply(
        &self,
        builder: &mut openssl::ssl::SslContextBuilder,
    ) -> Result<(), openssl::error::ErrorStack> {
        if let Some((cert, key)) = &self.cert_and_key {
            builder.set_certificate_chain_file(cert)?;
            builder.set_private_key_file(key, SslFiletype::PEM)?;
        }
        if let Some(ca) = &self.verify_clients {
            builder.set_ca_file(ca)?;
            builder.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        }
        Ok(())
    }

    /// The daemons' check after the handshake: with client verification and an allowed
    /// CN list, the client must have presented a certificate with one of those CNs (so
    /// a TLS-PSK client, which presents none, is refused too).
    fn accepts(&self, ssl: &openssl::ssl::SslRef) -> bool {
        if self.verify_clients.is_none() || self.allowed_cn.is_empty() {
            return true;
        }
        let Some(cert) = ssl.peer_certificate() else {
            return false;
        };
        let names: Vec<String> = cert
            .subject_name()
            .entries_by_nid(Nid::COMMONNAME)
            .filter_map(|entry| entry.data().to_string().ok())
            .collect();
        names.iter().any(|cn| self.allowed_cn.contains(cn))
    }
}

/// Protocol range and the forced-failure fault.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TlsSettings {
    pub min: TlsVersion,
    pub max: TlsVersion,
    pub fail: bool,
}

impl Default for TlsSettings {
    fn default() -> Self {
        TlsSettings {
            min: TlsVersion::Tls12,
            max: TlsVersion::Tls13,
            fail: false,
        }
    }
}

impl TlsSettings {
    /// The settings for one new connection: a configured TLS-failure fault strikes it
    /// (only the first connection, for a `once` fault).
    pub(crate) fn for_connection(self, faults: &crate::fault::Faults) -> TlsSettings {
        TlsSettings {
            fail: faults.login(&crate::fault::Fault::TlsHandshakeFailure),
            ..self
        }
    }
}

/// A successful handshake: the stream, the identity the client used (`None` under
/// certificate TLS), and the cipher text (`<cipher> <version>`).
pub(crate) struct Accepted {
    pub stream: SslStream<TcpStream>,
    pub identity: Option<Vec<u8>>,
    pub cipher: String,
}

/// The OpenSSL form of a version bound.
fn ssl_version(version: TlsVersion) -> SslVersion {
    match version {
        TlsVersion::Tls12 => SslVersion::TLS1_2,
        TlsVersion::Tls13 => SslVersion::TLS1_3,
    }
}

fn ssl_for(
    keys: PskKeys,
    settings: TlsSettings,
    certificates: &ServerCertificates,
    chosen: Arc<Mutex<Option<Vec<u8>>>>,
) -> Result<Ssl, openssl::error::ErrorStack> {
    let mut builder = SslContext::builder(SslMethod::tls())?;
    builder.set_options(SslOptions::ALL | SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3);
    builder.set_min_proto_version(Some(ssl_version(settings.min)))?;
    builder.set_max_proto_version(Some(ssl_version(settings.max)))?;
    builder.set_cipher_list(CIPHER_LIST)?;
    certificates.apply(&mut builder)?;
    builder.set_psk_server_callback(move |_ssl, identity, psk| {
        let Some(identity) = identity else {
            return Ok(0);
        };
        let Some(password) = keys.get(identity) else {
            return Ok(0);
        };
        let key = password.key();
        if key.len() > psk.len() {
            return Ok(0);
        }
        psk[..key.len()].copy_from_slice(key);
        *chosen.lock().unwrap_or_else(|e| e.into_inner()) = Some(identity.to_vec());
        Ok(key.len())
    });
    let context = builder.build();
    Ssl::new(&context)
}

/// Runs the server handshake; on failure writes a raw TERMINATE and gives up.
///
/// The forced-failure fault answers the ClientHello like a daemon that does not speak
/// TLS at all (an old Bareos, Bacula): a raw TERMINATE and a close, no TLS alert.
pub(crate) async fn accept(
    mut tcp: TcpStream,
    keys: PskKeys,
    settings: TlsSettings,
    certificates: &ServerCertificates,
) -> Option<Accepted> {
    if settings.fail {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut hello = [0u8; 512];
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read(&mut hello)).await;
        let _ = tcp.write_all(&[0xff, 0xff, 0xff, 0xfc]).await;
        let _ = tcp.shutdown().await;
        return None;
    }
    let chosen = Arc::new(Mutex::new(None));
    let ssl = ssl_for(keys, settings, certificates, chosen.clone()).ok()?;
    let mut stream = SslStream::new(ssl, tcp).ok()?;
    let handshake = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        Pin::new(&mut stream).accept(),
    )
    .await;
    match handshake {
        Ok(Ok(())) if certificates.accepts(stream.ssl()) => {}
        _ => {
            use tokio::io::AsyncWriteExt;
            let tcp = stream.get_mut();
            let _ = tcp.write_all(&[0xff, 0xff, 0xff, 0xfc]).await;
            let _ = tcp.shutdown().await;
            return None;
        }
    }
    let identity = chosen.lock().unwrap_or_else(|e| e.into_inner()).take();
    let ssl = stream.ssl();
    if identity.is_none() && ssl.certificate().is_none() {
        return None;
    }
    let cipher = format!(
        "{} {}",
        ssl.current_cipher().map(|c| c.name()).unwrap_or("unknown"),
        ssl.version_str()
    );
    Some(Accepted {
        stream,
        identity,
        cipher,
    })
}
