//! Certificate TLS against the test director: a verified director certificate, an
//! untrusted CA, a wrong name, allowed CNs, client certificates, and TLS-PSK when no
//! certificate is configured.

use bareos::{Config, Director, Password, TlsMode, TlsVersion};
use bareos_testkit::certs::{TestCertificates, CLIENT_CN};
use bareos_testkit::{ConsoleSpec, TestDirector, TestDirectorBuilder};
use std::path::PathBuf;
use std::time::Duration;

struct Fixture {
    certs: TestCertificates,
    dir: PathBuf,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn fixture(name: &str) -> Fixture {
    let dir = std::env::temp_dir().join(format!("bareos-cert-{name}-{}", std::process::id()));
    let certs = TestCertificates::generate(&dir).unwrap();
    Fixture { certs, dir }
}

fn director(builder: TestDirectorBuilder, certs: &TestCertificates) -> TestDirector {
    builder
        .console(ConsoleSpec::new("admin", "secret"))
        .tls_certificate(&certs.server_cert, &certs.server_key)
        .start()
        .unwrap()
}

fn config(director: &TestDirector, address: &str, certs: &TestCertificates) -> Config {
    Config::new(address)
        .port(director.port())
        .name("admin")
        .password(Password::new("secret"))
        .tls_ca_file(&certs.ca)
        .login_timeout(Duration::from_secs(10))
}

#[tokio::test]
async fn verified_director_certificate() {
    let f = fixture("ok");
    let dir = director(TestDirector::builder(), &f.certs);
    for (address, max) in [
        ("127.0.0.1", TlsVersion::Tls13),
        ("localhost", TlsVersion::Tls13),
        ("127.0.0.1", TlsVersion::Tls12),
    ] {
        let mut console = Director::connect(config(&dir, address, &f.certs).tls_max_version(max))
            .await
            .unwrap_or_else(|e| panic!("{address} {max:?}: {e}"));
        let info = console.cipher().unwrap().clone();
        assert_eq!(
            info.peer_certificate.as_deref(),
            Some("CN=localhost"),
            "{info:?}"
        );
        assert!(!info.cipher.contains("PSK"), "{info:?}");
        let reply = console.call("whoami").await.unwrap();
        assert_eq!(reply.text().trim(), "admin");
        console.close().await;
    }
}

#[tokio::test]
async fn untrusted_ca_is_refused() {
    let f = fixture("ca");
    let dir = director(TestDirector::builder(), &f.certs);
    for mode in [TlsMode::Required, TlsMode::Prefer] {
        let config = config(&dir, "127.0.0.1", &f.certs)
            .tls_ca_file(&f.certs.other_ca)
            .tls(mode);
        let error = Director::connect(config).await.unwrap_err();
        assert!(
            error.is_certificate() && error.is_tls(),
            "{mode:?}: {error}"
        );
        let text = error.to_string();
        assert!(text.contains("cannot be verified"), "{text}");
        assert!(
            !text.contains("5ebe2294") && !text.contains("secret"),
            "{text}"
        );
    }
    // Nothing reached the login: no hello was sent to the unverified peer.
    assert!(dir.recorded().is_empty(), "{:?}", dir.recorded());
}

#[tokio::test]
async fn wrong_name_is_refused_unless_allowed() {
    let f = fixture("name");
    let dir = TestDirector::builder()
        .console(ConsoleSpec::new("admin", "secret"))
        .tls_certificate(&f.certs.wrong_name_cert, &f.certs.wrong_name_key)
        .start()
        .unwrap();
    let error = Director::connect(config(&dir, "127.0.0.1", &f.certs))
        .await
        .unwrap_err();
    assert!(error.is_certificate(), "{error}");
    assert!(
        error.to_string().contains("CN:other.example.com"),
        "{error}"
    );

    let error =
        Director::connect(config(&dir, "127.0.0.1", &f.certs).tls_allowed_cn(["x.example.com"]))
            .await
            .unwrap_err();
    assert!(error.is_certificate(), "{error}");
    assert!(error.to_string().contains("not an allowed CN"), "{error}");

    let allowed = config(&dir, "127.0.0.1", &f.certs).tls_allowed_cn(["other.example.com"]);
    Director::connect(allowed).await.unwrap().close().await;
    let unchecked = config(&dir, "127.0.0.1", &f.certs).tls_verify_peer(false);
    Director::connect(unchecked).await.unwrap().close().await;
    assert!(dir.recorded().iter().any(|r| r.command_phase));
}

#[tokio::test]
async fn verify_peer_off_still_needs_the_ca() {
    let f = fixture("chain");
    let dir = director(TestDirector::builder(), &f.certs);
    let config = config(&dir, "127.0.0.1", &f.certs)
        .tls_ca_file(&f.certs.other_ca)
        .tls_verify_peer(false);
    let error = Director::connect(config).await.unwrap_err();
    assert!(error.is_certificate(), "{error}");
}

#[tokio::test]
async fn client_certificate_when_the_director_requires_one() {
    let f = fixture("client");
    let dir = director(
        TestDirector::builder()
            .tls_verify_peer(&f.certs.ca)
            .tls_allowed_cn(CLIENT_CN),
        &f.certs,
    );
    for max in [TlsVersion::Tls13, TlsVersion::Tls12] {
        let missing = config(&dir, "127.0.0.1", &f.certs).tls_max_version(max);
        let error = Director::connect(missing).await.unwrap_err();
        assert!(error.is_certificate(), "{max:?}: {error}");
        assert!(error.to_string().contains("client certificate"), "{error}");

        let untrusted = config(&dir, "127.0.0.1", &f.certs)
            .tls_max_version(max)
            .tls_cert_file(&f.certs.untrusted_cert)
            .tls_key_file(&f.certs.untrusted_key);
        let error = Director::connect(untrusted).await.unwrap_err();
        assert!(error.is_certificate(), "{max:?}: {error}");

        let good = config(&dir, "127.0.0.1", &f.certs)
            .tls_max_version(max)
            .tls_cert_file(&f.certs.client_cert)
            .tls_key_file(&f.certs.client_key);
        let mut console = Director::connect(good).await.unwrap();
        assert_eq!(console.call("whoami").await.unwrap().text().trim(), "admin");
        console.close().await;
    }
    // A TLS-PSK console presents no certificate: refused like the real director does.
    let psk = Config::new("127.0.0.1")
        .port(dir.port())
        .name("admin")
        .password(Password::new("secret"));
    assert!(Director::connect(psk).await.is_err());
}

#[tokio::test]
async fn psk_without_certificate_settings() {
    let f = fixture("psk");
    let dir = director(TestDirector::builder(), &f.certs);
    let config = Config::new("127.0.0.1")
        .port(dir.port())
        .name("admin")
        .password(Password::new("secret"));
    let mut console = Director::connect(config).await.unwrap();
    let info = console.cipher().unwrap().clone();
    assert!(info.peer_certificate.is_none(), "{info:?}");
    assert_eq!(console.call("whoami").await.unwrap().text().trim(), "admin");
    console.close().await;
}

#[tokio::test]
async fn a_certificate_director_without_the_password_fails_cram() {
    let f = fixture("pw");
    let dir = director(TestDirector::builder(), &f.certs);
    let config = config(&dir, "127.0.0.1", &f.certs).password(Password::new("wrong"));
    let error = Director::connect(config).await.unwrap_err();
    assert!(error.is_auth() && !error.is_certificate(), "{error}");
}

#[tokio::test]
async fn bad_certificate_files_are_config_errors() {
    let f = fixture("files");
    let dir = director(TestDirector::builder(), &f.certs);
    let missing = config(&dir, "127.0.0.1", &f.certs).tls_ca_file(f.dir.join("nope.pem"));
    let error = Director::connect(missing).await.unwrap_err();
    assert!(error.is_config(), "{error}");
    assert!(error.to_string().contains("nope.pem"), "{error}");
    let mismatched = config(&dir, "127.0.0.1", &f.certs)
        .tls_cert_file(&f.certs.client_cert)
        .tls_key_file(&f.certs.server_key);
    let error = Director::connect(mismatched).await.unwrap_err();
    assert!(error.is_config(), "{error}");
    assert!(!error.to_string().contains("PRIVATE KEY"), "{error}");
}
