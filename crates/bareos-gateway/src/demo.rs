//! `--demo`: a simulated director answering with real director replies (recorded API 2
//! JSON, see `fixtures/demo-director.jsonl`), and a matching gateway configuration.

use crate::config::{
    DirectorEntry, GatewayConfig, JwtConfig, LoginConfig, MetricsConfig, PoolConfig,
};
use bareos_testkit::{ConsoleSpec, ScriptTable, TestDirector, TlsPolicy};

/// The scripted answers, made from the transcripts by `fixtures/make-demo-table.py`.
pub const DEMO_TABLE: &str = include_str!("../fixtures/demo-director.jsonl");

/// Console `admin` / password `secret`: all commands.
pub const DEMO_CONSOLE: (&str, &str) = ("admin", "secret");
/// Console `limited` / password `secret`: read-only commands (ACL tests).
pub const LIMITED_CONSOLE: (&str, &str) = ("limited", "secret");
/// Console `prometheus` / password `metrics`: what `/metrics` uses.
pub const METRICS_CONSOLE: (&str, &str) = ("prometheus", "metrics");

/// Commands of the read-only consoles.
pub const READ_ONLY_COMMANDS: &[&str] = &[
    "version",
    "time",
    "list",
    "llist",
    "show",
    "status",
    ".",
    ".schedule",
    ".jobs",
    ".clients",
    ".pools",
    "whoami",
    ".api",
];

/// Starts the simulated director with the demo consoles.
pub fn start_director() -> std::io::Result<TestDirector> {
    let table = ScriptTable::parse(DEMO_TABLE)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    TestDirector::builder()
        .script(table)
        .console(ConsoleSpec::new(DEMO_CONSOLE.0, DEMO_CONSOLE.1).tls(TlsPolicy::Required))
        .console(
            ConsoleSpec::new(LIMITED_CONSOLE.0, LIMITED_CONSOLE.1)
                .tls(TlsPolicy::Required)
                .allow_commands(READ_ONLY_COMMANDS.iter().copied()),
        )
        .console(
            ConsoleSpec::new(METRICS_CONSOLE.0, METRICS_CONSOLE.1)
                .tls(TlsPolicy::Required)
                .allow_commands(READ_ONLY_COMMANDS.iter().copied()),
        )
        .start()
}

/// A gateway configuration for a director on `port` (named `bareos-dir`, and a second
/// entry `second` for the same director to show the multi-director routing).
pub fn config(port: u16, secret: &str) -> GatewayConfig {
    let director = |name: &str| DirectorEntry {
        port,
        ..DirectorEntry::new(name, "127.0.0.1")
    };
    GatewayConfig {
        listen: "127.0.0.1:8000".into(),
        max_body_bytes: 64 * 1024,
        max_connections: 1024,
        header_read_timeout_seconds: 10,
        keep_alive_timeout_seconds: 60,
        max_connections_per_address: 64,
        body_read_timeout_seconds: 10,
        request_timeout_seconds: 120,
        shutdown_timeout_seconds: 30,
        jsonrpc_batch_timeout_seconds: 90,
        cors_origins: Vec::new(),
        login: LoginConfig::default(),
        jwt: JwtConfig {
            secret: secret.into(),
            ..JwtConfig::default()
        },
        tls: None,
        pool: PoolConfig::default(),
        directors: vec![director("bareos-dir"), director("second")],
        metrics: Some(MetricsConfig {
            director: None,
            console: METRICS_CONSOLE.0.into(),
            password: METRICS_CONSOLE.1.into(),
            cache_seconds: 5,
            window_hours: 24,
        }),
    }
}
