//! `--demo`: start the simulated director of `bareos-testkit` in-process and connect to
//! it, so that everything can be tried without a Bareos installation.

use crate::connect::Plan;
use crate::exit::{CliError, CliResult};
use bareos::{Config, Password, TlsMode};

/// The password of the demo director's default console.
pub const DEMO_PASSWORD: &str = "dir_password";

/// A running demo director; stops when dropped.
pub struct Demo {
    #[cfg(feature = "demo")]
    _director: bareos_testkit::TestDirector,
    port: u16,
}

impl Demo {
    /// Starts the demo director on a free loopback port.
    #[cfg(feature = "demo")]
    pub fn start() -> CliResult<Demo> {
        let director = bareos_testkit::TestDirector::builder()
            .password(DEMO_PASSWORD)
            .start()
            .map_err(|e| {
                CliError::with_code(
                    crate::exit::CONNECTION,
                    format!("cannot start the demo director: {e}"),
                )
            })?;
        let port = director.port();
        Ok(Demo {
            _director: director,
            port,
        })
    }

    /// Without the `demo` feature there is no built-in director.
    #[cfg(not(feature = "demo"))]
    pub fn start() -> CliResult<Demo> {
        Err(CliError::usage(
            "this bareosctl was built without the demo director (feature 'demo')",
        ))
    }

    /// The connection plan for the demo director (`--timeout` still applies).
    pub fn plan(&self, opts: &crate::cli::ConnectionArgs) -> Plan {
        let config = Config::new("127.0.0.1")
            .port(self.port)
            .password(Password::new(DEMO_PASSWORD))
            .tls(TlsMode::Required);
        eprintln!("demo: a simulated director runs on 127.0.0.1:{}", self.port);
        Plan {
            config: crate::connect::apply_timeout(config, opts),
            console: None,
        }
    }
}
