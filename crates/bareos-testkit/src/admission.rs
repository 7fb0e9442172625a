//! Transport admission: peek at the first bytes, then cleartext or TLS-PSK.

use crate::conn::Conn;
use crate::fault::Faults;
use crate::record::Recorder;
use crate::server::Server;
use crate::tls::{self, PskKeys, ServerCertificates, TlsSettings};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// What admission needs of a daemon's configuration.
pub(crate) trait AdmissionConfig: Send + Sync + 'static {
    /// The TLS settings and the faults that may change them per connection.
    fn tls(&self) -> (&TlsSettings, &Faults);
    /// The daemon's certificate TLS.
    fn certificates(&self) -> &ServerCertificates;
}

/// Starts a daemon: every connection is recorded, admitted (cleartext or TLS with `keys`
/// or the certificate) and then given to `serve` with the configuration.
pub(crate) fn start_admitting<C, S, F>(
    addr: SocketAddr,
    name: &str,
    config: Arc<C>,
    keys: PskKeys,
    serve: S,
) -> std::io::Result<(Server, Recorder)>
where
    C: AdmissionConfig,
    S: Fn(Conn, Transport, Arc<C>) -> F + Send + Sync + Copy + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let recorder = Recorder::default();
    let server = Server::start(addr, name, {
        let recorder = recorder.clone();
        move |tcp, id| {
            let config = config.clone();
            let keys = keys.clone();
            let recorder = recorder.clone();
            async move {
                let (tls, faults) = config.tls();
                let settings = tls.for_connection(faults);
                let Some((conn, transport)) =
                    admit(tcp, id, recorder, keys, settings, config.certificates()).await
                else {
                    return;
                };
                serve(conn, transport, config).await;
            }
        }
    })?;
    Ok((server, recorder))
}

/// How a connection was admitted.
pub(crate) enum Transport {
    /// The client sent a cleartext hello; the caller must apply the cleartext rules.
    Cleartext,
    /// TLS-PSK with this identity (`R_CONSOLE` 0x1E name, ...), or certificate TLS
    /// (`None`).
    Tls(Option<Vec<u8>>),
}

/// The first-bytes check of the daemons: a frame header and `Hello `.
fn is_cleartext_hello(peeked: &[u8]) -> bool {
    if peeked.len() < 10 {
        return false;
    }
    let len = i32::from_be_bytes([peeked[0], peeked[1], peeked[2], peeked[3]]);
    len > 0 && &peeked[4..10] == b"Hello "
}

/// Waits until at least 10 bytes can be peeked (or EOF, or 1 s), returning what is there.
async fn peek_start(tcp: &TcpStream) -> Option<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut buffer = [0u8; 255];
    loop {
        let n = match tokio::time::timeout(Duration::from_secs(30), tcp.peek(&mut buffer)).await {
            Ok(Ok(n)) => n,
            _ => return None,
        };
        if n == 0 {
            return None;
        }
        if n >= 10 || Instant::now() >= deadline {
            return Some(buffer[..n].to_vec());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Admits a connection: a cleartext hello stays cleartext, anything else must complete a
/// TLS handshake (PSK or certificate). `None` when the connection is already finished.
pub(crate) async fn admit(
    tcp: TcpStream,
    id: u64,
    recorder: Recorder,
    keys: PskKeys,
    settings: TlsSettings,
    certificates: &ServerCertificates,
) -> Option<(Conn, Transport)> {
    let peeked = peek_start(&tcp).await?;
    if is_cleartext_hello(&peeked) {
        return Some((
            Conn::new(Box::new(tcp), id, recorder, None),
            Transport::Cleartext,
        ));
    }
    if peeked.len() < 10 {
        use tokio::io::AsyncWriteExt;
        let mut tcp = tcp;
        let _ = tcp.write_all(&[0xff, 0xff, 0xff, 0xfc]).await;
        return None;
    }
    let accepted = tls::accept(tcp, keys, settings, certificates).await?;
    let conn = Conn::new(
        Box::new(accepted.stream),
        id,
        recorder,
        Some(accepted.cipher),
    );
    Some((conn, Transport::Tls(accepted.identity)))
}
