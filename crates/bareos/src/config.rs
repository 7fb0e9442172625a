//! Connection settings, built with chained setters.

use bareos_proto::hello::{validate_name, DEFAULT_CONSOLE};
use bareos_proto::{PamCredentials, Password, ProtocolVersion};
use std::time::Duration;

/// Default port of a Director.
pub const DIRECTOR_PORT: u16 = 9101;
/// Default port of a File Daemon.
pub const FILE_DAEMON_PORT: u16 = 9102;

/// Idle time before the first TCP keepalive probe; with 3 probes 10 s apart a dead
/// peer is detected in about a minute.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(30);

/// Whether and how TLS-PSK is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// TLS-PSK or nothing (the default): never falls back to cleartext.
    #[default]
    Required,
    /// Try TLS-PSK; only if the TLS handshake itself fails, log a warning and reconnect in
    /// cleartext. The fallback is visible through `is_encrypted()`.
    Prefer,
    /// Cleartext only (old directors and Bacula).
    Disabled,
}

impl std::str::FromStr for TlsMode {
    type Err = crate::Error;

    /// Every spelling in use: `required`/`require`, `prefer`/`preferred`,
    /// `disabled`/`disable`/`none` (case-insensitive).
    ///
    /// ```
    /// use bareos::TlsMode;
    /// assert_eq!("require".parse::<TlsMode>().unwrap(), TlsMode::Required);
    /// assert_eq!("None".parse::<TlsMode>().unwrap(), TlsMode::Disabled);
    /// assert!("maybe".parse::<TlsMode>().is_err());
    /// ```
    fn from_str(text: &str) -> crate::Result<TlsMode> {
        match text.trim().to_ascii_lowercase().as_str() {
            "required" | "require" => Ok(TlsMode::Required),
            "prefer" | "preferred" => Ok(TlsMode::Prefer),
            "disabled" | "disable" | "none" => Ok(TlsMode::Disabled),
            _ => Err(crate::Error::config(format!(
                "unknown TLS mode '{text}' (required, prefer or disabled)"
            ))),
        }
    }
}

/// A TLS protocol version bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

/// Everything needed to reach and log in to a Director or File Daemon.
///
/// ```
/// use bareos::{Config, Password, TlsMode};
/// use std::time::Duration;
/// let config = Config::new("backup.example.com")
///     .console("admin")
///     .password(Password::new("secret"))
///     .tls(TlsMode::Required)
///     .read_timeout(Duration::from_secs(60));
/// assert_eq!(config.port_number(), 9101);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) address: String,
    pub(crate) port: u16,
    pub(crate) name: Option<String>,
    pub(crate) password: Option<Password>,
    pub(crate) protocol: ProtocolVersion,
    pub(crate) tls: TlsMode,
    pub(crate) tls_max_version: Option<TlsVersion>,
    pub(crate) tls_min_version: Option<TlsVersion>,
    pub(crate) pam: Option<PamCredentials>,
    pub(crate) allow_cleartext_pam: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) login_timeout: Duration,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) keepalive: Option<Duration>,
    pub(crate) protocol_fallback: bool,
    pub(crate) max_result_size: usize,
    pub(crate) text_input_quiet: Duration,
    pub(crate) json: bool,
}

impl Config {
    /// Settings for `address` with defaults: port 9101, default console, protocol 2,
    /// TLS-PSK required, connect timeout 10 s, login timeout 30 s, no limit on how long
    /// a command may run (a dead peer is still detected within about a minute by TCP
    /// keepalive), buffered results up to 1 GiB.
    pub fn new(address: impl Into<String>) -> Self {
        Config {
            address: address.into(),
            port: DIRECTOR_PORT,
            name: None,
            password: None,
            protocol: ProtocolVersion::V2,
            tls: TlsMode::Required,
            tls_max_version: None,
            tls_min_version: None,
            pam: None,
            allow_cleartext_pam: false,
            connect_timeout: Duration::from_secs(10),
            login_timeout: Duration::from_secs(30),
            read_timeout: None,
            call_timeout: None,
            keepalive: Some(DEFAULT_KEEPALIVE),
            protocol_fallback: false,
            max_result_size: 1 << 30,
            text_input_quiet: Duration::from_millis(200),
            json: false,
        }
    }

    /// Settings for a file daemon at `address`: like [`Config::new`] with port 9102.
    pub fn file_daemon(address: impl Into<String>) -> Self {
        Config::new(address).port(FILE_DAEMON_PORT)
    }

    /// The TCP port (9101 for a director, 9102 for a file daemon).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The named console to log in as (default: the default console `*UserAgent*`).
    /// For a file daemon connection: the director name to act as.
    pub fn console(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Same as [`Config::console`]; reads better for file daemon connections.
    pub fn name(self, name: impl Into<String>) -> Self {
        self.console(name)
    }

    /// The password (clear text with `Password::new`, or MD5 with `Password::from_md5`).
    pub fn password(mut self, password: Password) -> Self {
        self.password = Some(password);
        self
    }

    /// Console protocol version: 2 (default) or 1 for old directors and Bacula.
    pub fn protocol(mut self, protocol: ProtocolVersion) -> Self {
        self.protocol = protocol;
        self
    }

    /// TLS mode (default [`TlsMode::Required`]).
    pub fn tls(mut self, mode: TlsMode) -> Self {
        self.tls = mode;
        self
    }

    /// Highest TLS version to offer (default: the library's highest, TLS 1.3).
    pub fn tls_max_version(mut self, version: TlsVersion) -> Self {
        self.tls_max_version = Some(version);
        self
    }

    /// Lowest TLS version to accept (default TLS 1.2).
    pub fn tls_min_version(mut self, version: TlsVersion) -> Self {
        self.tls_min_version = Some(version);
        self
    }

    /// PAM credentials, sent only when the director asks for them.
    pub fn pam(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.pam = Some(PamCredentials::new(username, password));
        self
    }

    /// Allow PAM credentials over cleartext (refused by default).
    pub fn allow_cleartext_pam(mut self, allow: bool) -> Self {
        self.allow_cleartext_pam = allow;
        self
    }

    /// Deadline for the TCP connect.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Deadline for the whole login (TLS handshake, CRAM-MD5, welcome, PAM).
    pub fn login_timeout(mut self, timeout: Duration) -> Self {
        self.login_timeout = timeout;
        self
    }

    /// Longest silence allowed while waiting for the next frame of a response.
    /// `None` (the default) waits as long as the command runs (`wait`, `.bvfs_update`,
    /// `mount`), with TCP keepalive to notice a dead peer.
    pub fn read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = timeout.into();
        self
    }

    /// Sets every deadline at once: connect, login, and the longest silence while a
    /// command runs (what a `--timeout` option means).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.connect_timeout(timeout)
            .login_timeout(timeout)
            .read_timeout(timeout)
    }

    /// TCP keepalive: idle time before the first probe (default 30 s; then 3 probes
    /// 10 s apart, and unacknowledged data is given up after the same minute). It
    /// detects a dead peer or network while a command legitimately runs for hours.
    /// `None` turns it off.
    pub fn keepalive(mut self, idle: impl Into<Option<Duration>>) -> Self {
        self.keepalive = idle.into();
        self
    }

    /// Director connections: when a protocol-2 login in cleartext is refused before
    /// authentication (a director older than 18.2, or a console whose TLS is enabled
    /// but not required), log a warning and retry once with protocol 1 (12.4) in
    /// cleartext, as python-bareos does with `protocolversion=None`. Never after a
    /// wrong password, never after a TLS-PSK connection, never with
    /// [`TlsMode::Required`]. Off by default.
    pub fn protocol_fallback(mut self, fallback: bool) -> Self {
        self.protocol_fallback = fallback;
        self
    }

    /// Deadline for a whole call, from sending the command to the end of the response.
    pub fn call_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.call_timeout = timeout.into();
        self
    }

    /// Largest buffered result accepted by `call` (streaming is not limited).
    pub fn max_result_size(mut self, bytes: usize) -> Self {
        self.max_result_size = bytes;
        self
    }

    /// API mode 1 only: how long the director must stay silent after a text-input
    /// announcement before the prompt is considered complete (default 200 ms).
    pub fn text_input_quiet(mut self, quiet: Duration) -> Self {
        self.text_input_quiet = quiet;
        self
    }

    /// Switch to JSON (API mode 2) right after login.
    pub fn json(mut self, json: bool) -> Self {
        self.json = json;
        self
    }

    /// The address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The port.
    pub fn port_number(&self) -> u16 {
        self.port
    }

    /// The name used to log in (`*UserAgent*` when no console is set).
    pub fn login_name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_CONSOLE)
    }

    /// The TLS mode.
    pub fn tls_mode(&self) -> TlsMode {
        self.tls
    }

    /// The console protocol version asked for.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.protocol
    }

    pub(crate) fn validate(&self) -> crate::Result<&Password> {
        validate_name(self.login_name())
            .map_err(|e| crate::Error::config(format!("{e} (name '{}')", self.login_name())))?;
        if self.address.is_empty() {
            return Err(crate::Error::config("no address given"));
        }
        self.password
            .as_ref()
            .ok_or_else(|| crate::Error::config("no password given (use Config::password)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let config = Config::new("h")
            .password(Password::new("secret"))
            .pam("u", "pampass");
        let debug = format!("{config:?}");
        assert!(!debug.contains("5ebe2294"));
        assert!(!debug.contains("pampass"));
    }

    #[test]
    fn validation() {
        assert!(Config::new("h").validate().unwrap_err().is_config());
        let bad = Config::new("h")
            .console("a\u{1e}b")
            .password(Password::new("x"));
        assert!(bad.validate().unwrap_err().is_config());
        assert!(Config::new("h")
            .password(Password::new("x"))
            .validate()
            .is_ok());
    }
}
