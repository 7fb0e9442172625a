//! The server configuration: a TOML file plus environment overrides.
//!
//! ```toml
//! listen = "127.0.0.1:8000"
//! max_body_bytes = 65536
//! max_connections = 1024           # HTTP connections served at once; more wait
//! header_read_timeout_seconds = 10 # a request head (and TLS handshake) must arrive in time
//! keep_alive_timeout_seconds = 60  # an idle keep-alive connection is closed after this
//! max_connections_per_address = 64 # connections of one client address at once
//! body_read_timeout_seconds = 10   # a request body must arrive completely in time
//! request_timeout_seconds = 120    # a request still in progress after this is closed
//! shutdown_timeout_seconds = 30    # SIGTERM/SIGINT: time for requests in progress
//! jsonrpc_batch_timeout_seconds = 90 # a JSON-RPC batch as a whole
//! cors_origins = ["https://example.org"]
//!
//! [jwt]
//! secret = "..."                   # 32+ random bytes, or BAREOS_GATEWAY_JWT_SECRET; or:
//! secret_file = "jwt.secret"       # read; made (mode 0600, 32 random bytes) if missing
//! expire_minutes = 30
//! max_session_minutes = 720        # refreshed tokens end this long after the login
//!
//! [login]                          # throttling of POST /token
//! max_failures_per_address = 20    # failed logins of one client address ...
//! max_failures_per_user = 5        # ... and of one user from one address ...
//! failure_window_seconds = 60      # ... within this window, then 429 + Retry-After
//! max_concurrent = 16              # logins checked with the director at once
//! max_concurrent_per_address = 2   # of them from one client address
//!
//! [tls]                            # optional: HTTPS
//! cert = "server.crt"
//! key = "server.key"
//!
//! [pool]
//! max_size = 8
//! idle_timeout_seconds = 60
//! checkout_timeout_seconds = 10
//! command_timeout_seconds = 60
//!
//! [[directors]]
//! name = "bareos-dir"              # the first one is the default
//! address = "localhost"
//! port = 9101
//! tls_psk = "require"              # require (default) | prefer | disable
//! # certificate TLS instead of TLS-PSK (paths relative to this file):
//! # tls_ca_file = "tls/ca.pem"      # or tls_ca_dir = "tls/certs"
//! # tls_cert_file = "tls/gateway.pem"  # if the director wants a client certificate
//! # tls_key_file = "tls/gateway-key.pem"
//! # tls_verify_peer = true          # the certificate must name `address` ...
//! # tls_allowed_cn = ["bareos-dir.example.com"]  # ... or one of these
//! # tls_cipher_list = "HIGH:!aNULL" # TLS 1.2 ciphers
//!
//! [metrics]
//! director = "bareos-dir"
//! console = "prometheus"           # a read-only named console
//! password = "secret"              # or BAREOS_GATEWAY_METRICS_PASSWORD
//! cache_seconds = 15
//! window_hours = 24
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    /// Address to listen on.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Largest request body accepted.
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// Most HTTP connections served at once; further clients wait in the listen backlog.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// A connection must send a complete request head (after the TLS handshake, which
    /// has the same limit) within this many seconds, or it is closed (slowloris).
    #[serde(default = "default_header_read_timeout")]
    pub header_read_timeout_seconds: u64,
    /// A keep-alive connection without a request for this many seconds is closed.
    #[serde(default = "default_keep_alive_timeout")]
    pub keep_alive_timeout_seconds: u64,
    /// Most connections of one client address at once; further ones get a 503.
    #[serde(default = "default_max_connections_per_address")]
    pub max_connections_per_address: usize,
    /// A request body must arrive completely within this many seconds after its head,
    /// or the connection is closed (stalled bodies).
    #[serde(default = "default_body_read_timeout")]
    pub body_read_timeout_seconds: u64,
    /// A request still in progress after this many seconds is abandoned and its
    /// connection closed.
    #[serde(default = "default_request_timeout")]
    pub request_timeout_seconds: u64,
    /// A JSON-RPC batch must be done within this many seconds: the command running then
    /// is abandoned and the rest are not run (each answered with an error).
    #[serde(default = "default_batch_timeout")]
    pub jsonrpc_batch_timeout_seconds: u64,
    /// On SIGTERM/SIGINT, requests in progress get this many seconds to finish.
    #[serde(default = "default_shutdown_timeout")]
    pub shutdown_timeout_seconds: u64,
    /// Origins allowed by CORS (`*` for any); empty: no CORS headers.
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// Throttling of logins.
    #[serde(default)]
    pub login: LoginConfig,
    /// Token settings.
    #[serde(default)]
    pub jwt: JwtConfig,
    /// HTTPS certificate and key.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    /// Connection pool settings.
    #[serde(default)]
    pub pool: PoolConfig,
    /// The directors; the first is the default.
    #[serde(default)]
    pub directors: Vec<DirectorEntry>,
    /// `/metrics` settings.
    #[serde(default)]
    pub metrics: Option<MetricsConfig>,
}

/// Token settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtConfig {
    /// The secret shared by all server processes (tokens are stateless); the signing
    /// and sealing keys are derived from it. At least 32 random bytes' worth.
    #[serde(default)]
    pub secret: String,
    /// A file holding the secret instead; created with 32 random bytes (hex, mode 0600)
    /// on the first start if it does not exist. Relative to the configuration file.
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// Token lifetime.
    #[serde(default = "default_expire")]
    pub expire_minutes: u64,
    /// Absolute lifetime of a session: no token of a login, refreshed or not, is valid
    /// after this.
    #[serde(default = "default_max_session")]
    pub max_session_minutes: u64,
}

impl std::fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtConfig")
            .field("secret", &"<redacted>")
            .field("secret_file", &self.secret_file)
            .field("expire_minutes", &self.expire_minutes)
            .field("max_session_minutes", &self.max_session_minutes)
            .finish()
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        JwtConfig {
            secret: String::new(),
            secret_file: None,
            expire_minutes: default_expire(),
            max_session_minutes: default_max_session(),
        }
    }
}

/// Throttling of `POST /token`: failed logins are counted per client address and per
/// (client address, user); past a limit that address (or that user from that address)
/// gets 429 with `Retry-After` until the window has passed. Another address is never
/// affected, so nobody can lock a user out for everyone.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginConfig {
    /// Failed logins of one client address within the window.
    #[serde(default = "default_failures_per_address")]
    pub max_failures_per_address: u32,
    /// Failed logins of one user from one client address within the window.
    #[serde(default = "default_failures_per_user")]
    pub max_failures_per_user: u32,
    /// The window of the failure counts, in seconds.
    #[serde(default = "default_failure_window")]
    pub failure_window_seconds: u64,
    /// Logins checked with a director at once (further ones: 429).
    #[serde(default = "default_concurrent_logins")]
    pub max_concurrent: usize,
    /// Logins of one client address checked at once (further ones: 429).
    #[serde(default = "default_concurrent_logins_per_address")]
    pub max_concurrent_per_address: usize,
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            max_failures_per_address: default_failures_per_address(),
            max_failures_per_user: default_failures_per_user(),
            failure_window_seconds: default_failure_window(),
            max_concurrent: default_concurrent_logins(),
            max_concurrent_per_address: default_concurrent_logins_per_address(),
        }
    }
}

/// HTTPS certificate chain and private key (PEM files).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// Certificate chain file.
    pub cert: PathBuf,
    /// Private key file.
    pub key: PathBuf,
}

/// Connection pool settings, per (director, console).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolConfig {
    /// Most connections per (director, console).
    #[serde(default = "default_pool_size")]
    pub max_size: usize,
    /// An idle connection older than this is closed instead of reused.
    #[serde(default = "default_idle")]
    pub idle_timeout_seconds: u64,
    /// How long a request waits for a free connection.
    #[serde(default = "default_checkout")]
    pub checkout_timeout_seconds: u64,
    /// Deadline of one director command.
    #[serde(default = "default_command")]
    pub command_timeout_seconds: u64,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_size: default_pool_size(),
            idle_timeout_seconds: default_idle(),
            checkout_timeout_seconds: default_checkout(),
            command_timeout_seconds: default_command(),
        }
    }
}

impl PoolConfig {
    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_seconds)
    }
    /// The checkout timeout.
    pub fn checkout_timeout(&self) -> Duration {
        Duration::from_secs(self.checkout_timeout_seconds)
    }
    /// The command deadline.
    pub fn command_timeout(&self) -> Duration {
        Duration::from_secs(self.command_timeout_seconds)
    }
}

/// One director.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorEntry {
    /// Name used in `?director=` and `/directors/{name}/...`.
    pub name: String,
    /// Host name or address.
    pub address: String,
    /// Port.
    #[serde(default = "default_port")]
    pub port: u16,
    /// TLS-PSK to the director: `require` (the default: never cleartext), `prefer` (fall
    /// back to cleartext when the handshake fails, for old directors) or `disable`
    /// (cleartext only). Every spelling of [`bareos::TlsMode`] is accepted (`required`,
    /// `preferred`, `disabled`, `none`, any case); anything else is an error naming
    /// the value.
    #[serde(default)]
    pub tls_psk: bareos::TlsMode,
    /// Certificate TLS: the CA file that signed the director's certificate. With a CA
    /// (file or directory) the link uses certificate TLS instead of TLS-PSK; `tls_psk`
    /// still says whether cleartext is allowed.
    #[serde(default)]
    pub tls_ca_file: Option<PathBuf>,
    /// Certificate TLS: a hashed CA directory.
    #[serde(default)]
    pub tls_ca_dir: Option<PathBuf>,
    /// Certificate TLS: the gateway's client certificate (PEM).
    #[serde(default)]
    pub tls_cert_file: Option<PathBuf>,
    /// Certificate TLS: its private key (PEM).
    #[serde(default)]
    pub tls_key_file: Option<PathBuf>,
    /// Certificate TLS: the director's certificate must name `address` (or one of
    /// `tls_allowed_cn`); default true. The CA chain is always verified.
    #[serde(default)]
    pub tls_verify_peer: Option<bool>,
    /// Certificate TLS: accepted common names instead of the address check.
    #[serde(default)]
    pub tls_allowed_cn: Vec<String>,
    /// OpenSSL cipher list for TLS 1.2.
    #[serde(default)]
    pub tls_cipher_list: Option<String>,
}

impl DirectorEntry {
    /// A director entry with the defaults (port 9101, TLS-PSK required).
    pub fn new(name: impl Into<String>, address: impl Into<String>) -> Self {
        DirectorEntry {
            name: name.into(),
            address: address.into(),
            port: default_port(),
            tls_psk: bareos::TlsMode::Required,
            tls_ca_file: None,
            tls_ca_dir: None,
            tls_cert_file: None,
            tls_key_file: None,
            tls_verify_peer: None,
            tls_allowed_cn: Vec::new(),
            tls_cipher_list: None,
        }
    }

    /// Applies the certificate TLS settings to a connection configuration.
    pub fn apply_certificates(&self, mut config: bareos::Config) -> bareos::Config {
        if let Some(file) = &self.tls_ca_file {
            config = config.tls_ca_file(file);
        }
        if let Some(dir) = &self.tls_ca_dir {
            config = config.tls_ca_dir(dir);
        }
        if let Some(file) = &self.tls_cert_file {
            config = config.tls_cert_file(file);
        }
        if let Some(file) = &self.tls_key_file {
            config = config.tls_key_file(file);
        }
        if let Some(verify) = self.tls_verify_peer {
            config = config.tls_verify_peer(verify);
        }
        if !self.tls_allowed_cn.is_empty() {
            config = config.tls_allowed_cn(self.tls_allowed_cn.iter().cloned());
        }
        if let Some(ciphers) = &self.tls_cipher_list {
            config = config.tls_cipher_list(ciphers.clone());
        }
        config
    }

    /// Makes the certificate paths relative to `base` (the configuration's directory).
    fn resolve_paths(&mut self, base: &Path) {
        for path in [
            &mut self.tls_ca_file,
            &mut self.tls_ca_dir,
            &mut self.tls_cert_file,
            &mut self.tls_key_file,
        ]
        .into_iter()
        .flatten()
        {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        }
    }
}

/// `/metrics` settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Director to read (default: the first).
    #[serde(default)]
    pub director: Option<String>,
    /// A read-only named console.
    pub console: String,
    /// Its password.
    #[serde(default)]
    pub password: String,
    /// Scrapes within this many seconds share one reading.
    #[serde(default = "default_cache")]
    pub cache_seconds: u64,
    /// Jobs of this many last hours are counted.
    #[serde(default = "default_window")]
    pub window_hours: u64,
}

impl std::fmt::Debug for MetricsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsConfig")
            .field("director", &self.director)
            .field("console", &self.console)
            .field("password", &"<redacted>")
            .field("cache_seconds", &self.cache_seconds)
            .field("window_hours", &self.window_hours)
            .finish()
    }
}

fn default_listen() -> String {
    "127.0.0.1:8000".into()
}
fn default_body() -> usize {
    64 * 1024
}
fn default_max_connections() -> usize {
    1024
}
fn default_header_read_timeout() -> u64 {
    10
}
fn default_keep_alive_timeout() -> u64 {
    60
}
fn default_max_connections_per_address() -> usize {
    64
}
fn default_body_read_timeout() -> u64 {
    10
}
fn default_request_timeout() -> u64 {
    120
}
fn default_batch_timeout() -> u64 {
    90
}
fn default_shutdown_timeout() -> u64 {
    30
}
fn default_failures_per_address() -> u32 {
    20
}
fn default_failures_per_user() -> u32 {
    5
}
fn default_failure_window() -> u64 {
    60
}
fn default_concurrent_logins() -> usize {
    16
}
fn default_concurrent_logins_per_address() -> usize {
    2
}
fn default_expire() -> u64 {
    30
}
fn default_max_session() -> u64 {
    12 * 60
}
fn default_pool_size() -> usize {
    8
}
fn default_idle() -> u64 {
    60
}
fn default_checkout() -> u64 {
    10
}
fn default_command() -> u64 {
    60
}
fn default_port() -> u16 {
    bareos::DIRECTOR_PORT
}
fn default_cache() -> u64 {
    15
}
fn default_window() -> u64 {
    24
}

impl GatewayConfig {
    /// Parses TOML text.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("invalid gateway configuration: {e}"))
    }

    /// Reads a TOML file, then applies the environment.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut config = Self::parse(&text)?;
        let base = path.parent().unwrap_or(Path::new("."));
        for director in &mut config.directors {
            director.resolve_paths(base);
        }
        config.apply_env(|k| std::env::var(k).ok());
        if config.jwt.secret.is_empty() {
            if let Some(file) = &config.jwt.secret_file {
                let file = path.parent().unwrap_or(Path::new(".")).join(file);
                config.jwt.secret = crate::secret::load_or_create(&file)?;
            }
        }
        config.check()?;
        Ok(config)
    }

    /// Environment overrides: `BAREOS_GATEWAY_LISTEN`, `BAREOS_GATEWAY_JWT_SECRET`,
    /// `BAREOS_GATEWAY_METRICS_PASSWORD`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(listen) = get("BAREOS_GATEWAY_LISTEN") {
            self.listen = listen;
        }
        if let Some(secret) = get("BAREOS_GATEWAY_JWT_SECRET") {
            self.jwt.secret = secret;
        }
        if let (Some(metrics), Some(pw)) = (
            self.metrics.as_mut(),
            get("BAREOS_GATEWAY_METRICS_PASSWORD"),
        ) {
            metrics.password = pw;
        }
    }

    /// Checks what serde cannot.
    pub fn check(&self) -> Result<(), String> {
        crate::secret::check_strength(&self.jwt.secret)?;
        if self.directors.is_empty() {
            return Err("at least one [[directors]] entry is needed".into());
        }
        for d in &self.directors {
            if d.tls_cert_file.is_some() != d.tls_key_file.is_some() {
                return Err(format!(
                    "director {}: tls_cert_file and tls_key_file go together",
                    d.name
                ));
            }
            let has_ca = d.tls_ca_file.is_some() || d.tls_ca_dir.is_some();
            if d.tls_cert_file.is_some() && !has_ca {
                return Err(format!(
                    "director {}: a client certificate needs tls_ca_file or tls_ca_dir to verify the director",
                    d.name
                ));
            }
        }
        if self.max_connections == 0 {
            return Err("max_connections must be at least 1".into());
        }
        if self.header_read_timeout_seconds == 0
            || self.keep_alive_timeout_seconds == 0
            || self.body_read_timeout_seconds == 0
            || self.request_timeout_seconds == 0
            || self.jsonrpc_batch_timeout_seconds == 0
        {
            return Err(
                "header_read_timeout_seconds, keep_alive_timeout_seconds, body_read_timeout_seconds, request_timeout_seconds and jsonrpc_batch_timeout_seconds must be at least 1"
                    .into(),
            );
        }
        if self.max_connections_per_address == 0 {
            return Err("max_connections_per_address must be at least 1".into());
        }
        let l = &self.login;
        if l.max_failures_per_address == 0
            || l.max_failures_per_user == 0
            || l.failure_window_seconds == 0
            || l.max_concurrent == 0
            || l.max_concurrent_per_address == 0
        {
            return Err("every [login] limit must be at least 1".into());
        }
        if self.pool.max_size == 0 {
            return Err("pool.max_size must be at least 1".into());
        }
        Ok(())
    }

    /// The director entry by name, or the default one.
    pub fn director(&self, name: Option<&str>) -> Option<&DirectorEntry> {
        match name {
            None => self.directors.first(),
            Some(n) => self.directors.iter().find(|d| d.name == n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_env_and_check() {
        let mut c =
            GatewayConfig::parse("[[directors]]\nname='d'\naddress='h'\n[metrics]\nconsole='m'\n")
                .unwrap();
        assert!(c.check().is_err());
        c.apply_env(|k| match k {
            "BAREOS_GATEWAY_JWT_SECRET" => Some("0123456789abcdef0123456789abcdef".into()),
            "BAREOS_GATEWAY_METRICS_PASSWORD" => Some("pw".into()),
            _ => None,
        });
        c.check().unwrap();
        assert_eq!(c.metrics.as_ref().unwrap().password, "pw");
        assert!(!format!("{c:?}").contains("0123456789abcdef"));
        // A short or regular secret is refused.
        let strong = c.jwt.secret.clone();
        for weak in ["0123456789abcdef", &"x".repeat(40)] {
            c.jwt.secret = weak.to_string();
            assert!(c.check().is_err(), "{weak}");
        }
        c.jwt.secret = strong;
        assert!(GatewayConfig::parse("bogus = 1").is_err());
        // TLS-PSK is required unless a director entry says otherwise.
        assert_eq!(c.directors[0].tls_psk, bareos::TlsMode::Required);
    }

    /// The `tls_psk` of a director entry with `value` (TOML syntax).
    fn tls_psk(value: &str) -> Result<bareos::TlsMode, String> {
        let text = format!("[[directors]]\nname = 'd'\naddress = 'h'\ntls_psk = {value}\n");
        GatewayConfig::parse(&text).map(|c| c.directors[0].tls_psk)
    }

    #[test]
    fn tls_psk_spellings() {
        // The spellings are those of `TlsMode::from_str` (tested with it); here: that
        // the file reads them, and refuses the others naming the key.
        assert_eq!(tls_psk("'prefer'"), Ok(bareos::TlsMode::Prefer));
        assert_eq!(tls_psk("'Disabled'"), Ok(bareos::TlsMode::Disabled));
        assert_eq!(tls_psk("'none'"), Ok(bareos::TlsMode::Disabled));
        assert_eq!(tls_psk("'require'"), Ok(bareos::TlsMode::Required));
        for value in ["'maybe'", "''", "'yes'"] {
            let error = tls_psk(value).unwrap_err();
            assert!(error.contains("unknown TLS mode"), "{error}");
            assert!(error.contains("tls_psk"), "{error}");
        }
        assert!(tls_psk("true").is_err());
        assert!(tls_psk("2").is_err());
    }
}
