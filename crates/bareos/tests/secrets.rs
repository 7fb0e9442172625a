//! With the most verbose tracing captured, logins with PAM over TLS-PSK (and failing
//! ones) never show the console password, its MD5 form (which is also the TLS-PSK key)
//! or the PAM password: not in the logs, not in errors, not in `Debug` output.

use bareos::{Config, Director, Password};
use bareos_testkit::{ConsoleSpec, TestDirector};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CONSOLE_PASSWORD: &str = "c0nsole-S3cret-pw";
const PAM_PASSWORD: &str = "pam-S3cret-pw";

/// A `MakeWriter` that appends everything to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[test]
fn no_secret_in_logs_errors_or_debug_output() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // One thread: every event of the client is captured by the subscriber above.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let td = TestDirector::builder()
        .console(ConsoleSpec::new("pamcon", CONSOLE_PASSWORD).pam(true))
        .pam_user("alice", PAM_PASSWORD)
        .start()
        .unwrap();
    let config = |console_password: &str, pam_password: &str| {
        Config::new("127.0.0.1")
            .port(td.port())
            .name("pamcon")
            .password(Password::new(console_password))
            .pam("alice", pam_password)
            .login_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(5))
    };
    let mut seen = String::new();
    runtime.block_on(async {
        let good = config(CONSOLE_PASSWORD, PAM_PASSWORD);
        let mut director = Director::connect(good.clone()).await.expect("PAM login");
        assert!(director.is_encrypted());
        assert_eq!(director.call_text("whoami").await.unwrap(), "alice\n");
        director.enable_json().await.unwrap();
        director.call_json("list jobs").await.unwrap();
        // Commands that carry secrets are redacted in the command spans.
        let _ = director
            .call(&format!(
                "configure add console name=x password={CONSOLE_PASSWORD}"
            ))
            .await;
        seen += &format!("{good:?} {director:?}\n");
        director.close().await;

        // Failing logins: wrong PAM password (checked over TLS), wrong console password
        // (the TLS-PSK handshake fails).
        for bad in [
            config(CONSOLE_PASSWORD, "wrong-pam"),
            config("wrong-console", PAM_PASSWORD),
        ] {
            let error = Director::connect(bad.clone()).await.unwrap_err();
            seen += &format!("{bad:?} {error} {error:?}\n");
        }
    });
    drop(td);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "nothing verbose was captured: {logs}"
    );
    let md5 = Password::new(CONSOLE_PASSWORD).md5_hex().to_string();
    let everything = format!("{logs}\n{seen}");
    for secret in [CONSOLE_PASSWORD, PAM_PASSWORD, md5.as_str()] {
        assert!(
            !everything.contains(secret),
            "'{secret}' leaked:\n{everything}"
        );
        assert!(
            !everything.contains(&secret.to_uppercase()),
            "'{secret}' leaked"
        );
    }
}
