//! Certificate TLS through the `bareosctl` binary: bconsole.conf directives and the
//! `--tls-*` options against the test director.

mod common;

use bareos_testkit::certs::{TestCertificates, CLIENT_CN};
use bareos_testkit::{ConsoleSpec, TestDirector, TestDirectorBuilder};
use common::{bareosctl, configured, connected, DIR_PASSWORD};
use predicates::prelude::*;

fn certificates(home: &std::path::Path) -> TestCertificates {
    TestCertificates::generate(&home.join("tls")).unwrap()
}

fn director(builder: TestDirectorBuilder, certs: &TestCertificates) -> TestDirector {
    builder
        .password(DIR_PASSWORD)
        .console(ConsoleSpec::new("admin", "admin secret"))
        .tls_certificate(&certs.server_cert, &certs.server_key)
        .auth_failure_delay(std::time::Duration::from_millis(10))
        .start()
        .unwrap()
}

#[test]
fn bconsole_conf_with_certificates() {
    let home = tempfile::tempdir().unwrap();
    let certs = certificates(home.path());
    let dir = director(
        TestDirector::builder()
            .tls_verify_peer(&certs.ca)
            .tls_allowed_cn(CLIENT_CN),
        &certs,
    );
    let conf = home.path().join("bconsole.conf");
    let write_conf = |console_tls: &str| {
        std::fs::write(
            &conf,
            format!(
                "Director {{\n  Name = bareos-dir\n  Address = localhost\n  Port = {}\n  Password = \"{DIR_PASSWORD}\"\n}}\nConsole {{\n  Name = admin\n  Password = \"admin secret\"\n{console_tls}}}\n",
                dir.port()
            ),
        )
        .unwrap();
    };
    // The console's certificate and key and the CA, then `more` directives.
    let certified = |more: &str| {
        format!(
            "  TLS CA Certificate File = {}\n  TLS Certificate = {}\n  TLS Key = {}\n{more}",
            certs.ca.display(),
            certs.client_cert.display(),
            certs.client_key.display()
        )
    };
    let call = || {
        let mut cmd = configured(home.path(), &conf);
        cmd.args(["call", "whoami"]);
        cmd
    };
    write_conf(&certified(
        "  TLS Enable = yes\n  TLS Verify Peer = yes\n  TLS Allowed CN = localhost\n",
    ));
    call().assert().success().stdout("admin\n");
    // The piped console prints bconsole's banner: no "(certificate ...)" note.
    configured(home.path(), &conf)
        .write_stdin("whoami\nquit\n")
        .assert()
        .success()
        .stdout(
            predicate::str::contains(" Encryption: TLS_")
                .and(predicate::str::contains("(certificate").not()),
        );

    // The same console without its certificate: the director refuses it.
    write_conf(&format!(
        "  TLS CA Certificate File = {}\n",
        certs.ca.display()
    ));
    call()
        .assert()
        .code(3)
        .stderr(predicate::str::contains("client certificate"))
        .stderr(predicate::str::contains("admin secret").not());

    // An allowed CN the director's certificate does not have.
    write_conf(&certified("  TLS Allowed CN = bareos-dir.example.com\n"));
    call()
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not an allowed CN"));
}

#[test]
fn command_line_options() {
    let home = tempfile::tempdir().unwrap();
    let certs = certificates(home.path());
    let dir = director(TestDirector::builder(), &certs);
    let run = |extra: &[&str]| {
        let mut cmd = connected(home.path(), &dir);
        cmd.args(extra).args(["call", "whoami"]);
        cmd
    };
    let ca = certs.ca.to_string_lossy().into_owned();
    let other_ca = certs.other_ca.to_string_lossy().into_owned();
    run(&["--tls-ca-file", &ca])
        .assert()
        .success()
        .stdout("root\n");
    run(&["--tls-ca-file", &other_ca])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot be verified"));
    // By address is fine (the certificate names 127.0.0.1); an allowed CN it lacks is not.
    let unknown_cn = [
        "--tls-ca-file",
        &ca,
        "--tls-allowed-cn",
        "nobody.example.com",
    ];
    run(&unknown_cn)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not an allowed CN"));
    run(&[&unknown_cn[..], &["--tls-verify-peer", "no"]].concat())
        .assert()
        .success()
        .stdout("root\n");
    // No certificate option: TLS-PSK, as before.
    run(&["--tls-psk-require"])
        .assert()
        .success()
        .stdout("root\n");
}

#[test]
fn wrong_host_name() {
    let home = tempfile::tempdir().unwrap();
    let certs = certificates(home.path());
    let dir = TestDirector::builder()
        .password(DIR_PASSWORD)
        .tls_certificate(&certs.wrong_name_cert, &certs.wrong_name_key)
        .start()
        .unwrap();
    bareosctl(home.path())
        .args(["--address", "localhost", "--port"])
        .arg(dir.port().to_string())
        .env("BAREOS_PASSWORD", DIR_PASSWORD)
        .arg("--tls-ca-file")
        .arg(&certs.ca)
        .args(["call", "whoami"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("is not for 'localhost'"))
        .stderr(predicate::str::contains("CN:other.example.com"));
}
