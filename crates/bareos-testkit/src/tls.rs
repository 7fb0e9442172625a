//! The TLS-PSK server side, configured like the daemons (section 3.4 of the protocol
//! notes): `TLS_method`, TLS 1.2 minimum, the daemons' cipher list and OpenSSL's default
//! TLS 1.3 suites, legacy PSK callback keyed by the password's MD5 hex text.

use crate::policy::TlsVersion;
use bareos_proto::Password;
use openssl::ssl::{Ssl, SslContext, SslMethod, SslOptions};
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio_openssl::SslStream;

/// The daemons' TLS 1.2 cipher list.
pub(crate) const CIPHER_LIST: &str = "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH";

/// PSK identities (`R_CONSOLE` 0x1E name, ...) and their keys.
pub(crate) type PskKeys = Arc<HashMap<Vec<u8>, Password>>;

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

/// A successful handshake: the stream, the identity the client used, and the cipher text
/// (`<cipher> <version>`).
pub(crate) struct Accepted {
    pub stream: SslStream<TcpStream>,
    pub identity: Vec<u8>,
    pub cipher: String,
}

fn ssl_for(
    keys: PskKeys,
    settings: TlsSettings,
    chosen: Arc<Mutex<Option<Vec<u8>>>>,
) -> Result<Ssl, openssl::error::ErrorStack> {
    let mut builder = SslContext::builder(SslMethod::tls())?;
    builder.set_options(SslOptions::ALL | SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3);
    builder.set_min_proto_version(Some(settings.min.to_openssl()))?;
    builder.set_max_proto_version(Some(settings.max.to_openssl()))?;
    builder.set_cipher_list(CIPHER_LIST)?;
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
    let ssl = ssl_for(keys, settings, chosen.clone()).ok()?;
    let mut stream = SslStream::new(ssl, tcp).ok()?;
    let handshake = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        Pin::new(&mut stream).accept(),
    )
    .await;
    match handshake {
        Ok(Ok(())) => {}
        _ => {
            use tokio::io::AsyncWriteExt;
            let tcp = stream.get_mut();
            let _ = tcp.write_all(&[0xff, 0xff, 0xff, 0xfc]).await;
            let _ = tcp.shutdown().await;
            return None;
        }
    }
    let identity = chosen.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    let ssl = stream.ssl();
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
