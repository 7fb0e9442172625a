//! Shared by the examples: a director to talk to. With `BAREOS_ADDRESS` set, the real one
//! (`BAREOS_PORT`, `BAREOS_NAME`, `BAREOS_PASSWORD`); otherwise a test director started
//! in this process.

use bareos::{Config, Password};
use bareos_testkit::{TestDirector, TestFileDaemon, TlsPolicy};

/// Keeps the test daemons alive while the example runs.
#[allow(dead_code)]
pub struct Target {
    pub config: Config,
    director: Option<TestDirector>,
    file_daemon: Option<TestFileDaemon>,
}

#[allow(dead_code)]
pub fn director() -> Target {
    if let Ok(address) = std::env::var("BAREOS_ADDRESS") {
        let port = std::env::var("BAREOS_PORT")
            .ok()
            .and_then(|p| p.parse().ok());
        let mut config = Config::new(address)
            .port(port.unwrap_or(bareos::DIRECTOR_PORT))
            .password(Password::new(
                std::env::var("BAREOS_PASSWORD").unwrap_or_default(),
            ));
        if let Ok(name) = std::env::var("BAREOS_NAME") {
            config = config.name(name);
        }
        return Target {
            config,
            director: None,
            file_daemon: None,
        };
    }
    let director = TestDirector::builder()
        .start()
        .expect("start the test director");
    eprintln!(
        "(no BAREOS_ADDRESS: using a test director on {})",
        director.addr()
    );
    let config = Config::new("127.0.0.1")
        .port(director.port())
        .password(Password::new("dir_password"));
    Target {
        config,
        director: Some(director),
        file_daemon: None,
    }
}

#[allow(dead_code)]
pub fn file_daemon() -> Target {
    let fd = TestFileDaemon::builder()
        .director("bareos-dir", "secret", TlsPolicy::Required)
        .start()
        .expect("start the test file daemon");
    eprintln!("using a test file daemon on {}", fd.addr());
    let config = Config::file_daemon("127.0.0.1")
        .port(fd.port())
        .name("bareos-dir")
        .password(Password::new("secret"));
    Target {
        config,
        director: None,
        file_daemon: Some(fd),
    }
}
