//! A certificate-based TLS server that does not know the password must never pass for a
//! TLS-PSK director: the handshake is refused before the hello is sent.

use bareos::{Config, Director, Password, TlsMode, TlsVersion};
use bareos_testkit::certs::TestCa;
use openssl::pkey::PKey;
use openssl::ssl::{SslAcceptor, SslMethod, SslVersion};
use openssl::x509::X509;
use std::io::Read;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts a TLS server with a certificate (no TLS-PSK); returns its port and what clients
/// sent it after their handshakes.
fn certificate_server(max: SslVersion) -> (u16, Arc<Mutex<Vec<u8>>>) {
    let issued = TestCa::new("impostor CA")
        .unwrap()
        .issue("impostor", &[])
        .unwrap();
    let key = PKey::private_key_from_pem(&issued.key_pem).unwrap();
    let cert = X509::from_pem(&issued.cert_pem).unwrap();

    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&key).unwrap();
    acceptor.set_certificate(&cert).unwrap();
    acceptor.set_max_proto_version(Some(max)).unwrap();
    let acceptor = Arc::new(acceptor.build());

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let _ = tcp.set_read_timeout(Some(Duration::from_millis(500)));
            if let Ok(mut tls) = acceptor.accept(tcp) {
                let mut buffer = [0u8; 256];
                while let Ok(n) = tls.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
            }
        }
    });
    (port, received)
}

#[tokio::test]
async fn certificate_servers_are_refused() {
    for (max, client_max) in [
        (SslVersion::TLS1_3, TlsVersion::Tls13),
        (SslVersion::TLS1_2, TlsVersion::Tls12),
    ] {
        let (port, received) = certificate_server(max);
        for mode in [TlsMode::Required, TlsMode::Prefer] {
            let config = Config::new("127.0.0.1")
                .port(port)
                .name("admin")
                .password(Password::new("secret"))
                .tls(mode)
                .tls_max_version(client_max)
                .login_timeout(Duration::from_secs(3));
            let error = Director::connect(config).await.unwrap_err();
            assert!(
                error.is_tls() && error.is_auth(),
                "{max:?} {mode:?}: {error}"
            );
        }
        std::thread::sleep(Duration::from_millis(600));
        assert!(
            received.lock().unwrap().is_empty(),
            "{max:?}: the impostor received {:?}",
            String::from_utf8_lossy(&received.lock().unwrap())
        );
    }
}
