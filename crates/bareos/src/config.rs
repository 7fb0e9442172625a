//! Connection settings, built with chained setters.

use crate::pam::{PamConversation, SharedConversation};
use bareos_proto::hello::{validate_name, DEFAULT_CONSOLE};
use bareos_proto::{PamCredentials, Password, ProtocolVersion, TlsVersion};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Default port of a Director.
pub const DIRECTOR_PORT: u16 = 9101;
/// Default port of a File Daemon.
pub const FILE_DAEMON_PORT: u16 = 9102;

/// Idle time before the first TCP keepalive probe; with 3 probes 10 s apart a dead
/// peer is detected in about a minute.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(30);

/// Whether TLS is used: TLS-PSK, or certificate TLS when a CA is configured
/// ([`Config::tls_ca_file`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// TLS or nothing (the default): never falls back to cleartext.
    #[default]
    Required,
    /// Try TLS; only if the TLS handshake itself fails, log a warning and reconnect in
    /// cleartext. The fallback is visible through `is_encrypted()`. A certificate that
    /// cannot be verified is never a reason to fall back.
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
                "unknown TLS mode '{text}': expected required, prefer or disabled \
                 (or require, preferred, disable, none)"
            ))),
        }
    }
}

/// Reads a TLS mode from a string in any spelling [`TlsMode::from_str`] accepts (for
/// configuration files such as the gateway's `tls_psk = "require"`).
///
/// [`TlsMode::from_str`]: std::str::FromStr::from_str
impl<'de> serde::Deserialize<'de> for TlsMode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Certificate TLS settings (bconsole's `TLS CA Certificate File`, `TLS Certificate`,
/// ...). Paths only: nothing secret is kept here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CertificateSettings {
    pub ca_file: Option<PathBuf>,
    pub ca_dir: Option<PathBuf>,
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// `None`: the default (verify the name).
    pub verify_peer: Option<bool>,
    pub allowed_cn: Vec<String>,
}

/// Everything needed to reach and log in to a Director or File Daemon.
///
/// Each setting has one name: the setter takes it plain (`port(9102)`), the getter with
/// `get_` (`get_port()`), as the setters are what a caller mostly writes.
///
/// ```
/// use bareos::{Config, Password, TlsMode};
/// use std::time::Duration;
/// let config = Config::new("backup.example.com")
///     .name("admin")
///     .password(Password::new("secret"))
///     .tls(TlsMode::Required)
///     .read_timeout(Duration::from_secs(60));
/// assert_eq!(config.get_port(), 9101);
/// assert_eq!(config.get_name(), "admin");
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
    pub(crate) certificates: CertificateSettings,
    pub(crate) tls_cipher_list: Option<String>,
    pub(crate) pam: Option<PamCredentials>,
    pub(crate) pam_conversation: Option<SharedConversation>,
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
            certificates: CertificateSettings::default(),
            tls_cipher_list: None,
            pam: None,
            pam_conversation: None,
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

    /// The name to log in as: for a director the named console (default: the default
    /// console `*UserAgent*`), for a file daemon the director name to act as.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
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

    /// Certificate TLS: the PEM file of the CA certificate(s) that signed the peer's
    /// certificate (bconsole's `TLS CA Certificate File`). With a CA file or directory
    /// set, the connection uses certificate TLS instead of TLS-PSK: the peer must
    /// present a certificate that verifies against this CA and, unless
    /// [`Config::tls_verify_peer`] is off, names the address (or one of
    /// [`Config::tls_allowed_cn`]). TLS-PSK is then not offered, so these checks always
    /// run; the password is still checked both ways by CRAM-MD5.
    ///
    /// ```
    /// use bareos::{Config, Password};
    /// let config = Config::new("bareos-dir.example.com")
    ///     .password(Password::new("secret"))
    ///     .tls_ca_file("/etc/bareos/tls/ca.pem")
    ///     .tls_cert_file("/etc/bareos/tls/console.pem")
    ///     .tls_key_file("/etc/bareos/tls/console-key.pem");
    /// assert!(config.uses_certificates());
    /// ```
    pub fn tls_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.certificates.ca_file = Some(path.into());
        self
    }

    /// Certificate TLS: a directory of CA certificates in OpenSSL's hashed form
    /// (`c_rehash`; bconsole's `TLS CA Certificate Dir`). Like [`Config::tls_ca_file`].
    pub fn tls_ca_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.certificates.ca_dir = Some(path.into());
        self
    }

    /// Certificate TLS: our own certificate (PEM, may hold the chain), presented to a
    /// peer that asks for one (a director with `TLS Verify Peer = yes`). Needs
    /// [`Config::tls_key_file`] and a CA.
    pub fn tls_cert_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.certificates.cert_file = Some(path.into());
        self
    }

    /// Certificate TLS: the private key (PEM, unencrypted) of [`Config::tls_cert_file`].
    pub fn tls_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.certificates.key_file = Some(path.into());
        self
    }

    /// Certificate TLS: whether the peer's certificate must name the peer (default
    /// `true`): its subjectAltName DNS or IP entries or its common name must equal the
    /// address, or, when [`Config::tls_allowed_cn`] is given, its common name must be
    /// one of those. With `false` any certificate signed by the configured CA is
    /// accepted (bconsole's `TLS Verify Peer = no`); the CA chain is always verified.
    pub fn tls_verify_peer(mut self, verify: bool) -> Self {
        self.certificates.verify_peer = Some(verify);
        self
    }

    /// Certificate TLS: the common names accepted instead of the address check
    /// (bconsole's `TLS Allowed CN`, exact and case-sensitive).
    pub fn tls_allowed_cn<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.certificates.allowed_cn = names.into_iter().map(Into::into).collect();
        self
    }

    /// The OpenSSL cipher list for TLS 1.2 (bconsole's `TLS Cipher List`; TLS 1.3
    /// suites are not affected). Default: PSK suites for TLS-PSK, strong
    /// certificate-authenticated suites for certificate TLS. Whatever the list, a
    /// TLS-PSK connection must be authenticated by the key and a certificate connection
    /// by a verified certificate.
    pub fn tls_cipher_list(mut self, ciphers: impl Into<String>) -> Self {
        self.tls_cipher_list = Some(ciphers.into());
        self
    }

    /// Whether certificate TLS is configured (a CA file or directory, or a client
    /// certificate): then TLS uses certificates instead of TLS-PSK.
    pub fn uses_certificates(&self) -> bool {
        let c = &self.certificates;
        c.ca_file.is_some() || c.ca_dir.is_some() || c.cert_file.is_some()
    }

    /// PAM credentials, sent only when the director asks for them (all at once, `4002`).
    /// They take precedence over [`Config::pam_conversation`].
    pub fn pam(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.pam = Some(PamCredentials::new(username, password));
        self
    }

    /// Answers the director's PAM prompts interactively (`4001`, as bconsole does) when
    /// it asks for PAM and no [`Config::pam`] credentials are given. See
    /// [`crate::pam`]. Over cleartext only with [`Config::allow_cleartext_pam`].
    pub fn pam_conversation(mut self, conversation: impl PamConversation + 'static) -> Self {
        self.pam_conversation = Some(SharedConversation(Arc::new(conversation)));
        self
    }

    /// Allow PAM credentials or conversation answers over cleartext (refused by
    /// default).
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
    pub fn get_address(&self) -> &str {
        &self.address
    }

    /// The port.
    pub fn get_port(&self) -> u16 {
        self.port
    }

    /// The name used to log in (`*UserAgent*` when no name is set).
    pub fn get_name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_CONSOLE)
    }

    /// The TLS mode.
    pub fn get_tls(&self) -> TlsMode {
        self.tls
    }

    /// The console protocol version asked for.
    pub fn get_protocol(&self) -> ProtocolVersion {
        self.protocol
    }

    pub(crate) fn validate(&self) -> crate::Result<&Password> {
        validate_name(self.get_name())
            .map_err(|e| crate::Error::config(format!("{e} (name '{}')", self.get_name())))?;
        if self.address.is_empty() {
            return Err(crate::Error::config("no address given"));
        }
        self.validate_certificates()?;
        self.password
            .as_ref()
            .ok_or_else(|| crate::Error::config("no password given (use Config::password)"))
    }

    fn validate_certificates(&self) -> crate::Result<()> {
        let c = &self.certificates;
        if self.tls == TlsMode::Disabled || !self.uses_certificates() {
            return Ok(());
        }
        if c.ca_file.is_none() && c.ca_dir.is_none() {
            return Err(crate::Error::config(
                "certificate TLS needs a CA certificate file or directory to verify the peer (tls_ca_file or tls_ca_dir)",
            ));
        }
        match (&c.cert_file, &c.key_file) {
            (Some(_), None) => Err(crate::Error::config(
                "a TLS client certificate needs its private key (tls_key_file)",
            )),
            (None, Some(_)) => Err(crate::Error::config(
                "a TLS private key needs its certificate (tls_cert_file)",
            )),
            _ => Ok(()),
        }
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
    fn certificate_validation() {
        let base = Config::new("h").password(Password::new("x"));
        assert!(!base.uses_certificates());
        let no_ca = base.clone().tls_cert_file("c.pem").tls_key_file("k.pem");
        assert!(no_ca.uses_certificates());
        assert!(no_ca
            .validate()
            .unwrap_err()
            .to_string()
            .contains("tls_ca_file"));
        let no_key = base.clone().tls_ca_file("ca.pem").tls_cert_file("c.pem");
        assert!(no_key.validate().unwrap_err().is_config());
        let no_cert = base.clone().tls_ca_file("ca.pem").tls_key_file("k.pem");
        assert!(no_cert.validate().unwrap_err().is_config());
        assert!(base.clone().tls_ca_dir("/etc/ssl/certs").validate().is_ok());
        assert!(no_ca.tls(TlsMode::Disabled).validate().is_ok());
    }

    #[test]
    fn tls_mode_spellings() {
        for (text, mode) in [
            ("required", TlsMode::Required),
            ("require", TlsMode::Required),
            ("REQUIRED", TlsMode::Required),
            ("prefer", TlsMode::Prefer),
            ("preferred", TlsMode::Prefer),
            (" Prefer ", TlsMode::Prefer),
            ("disabled", TlsMode::Disabled),
            ("disable", TlsMode::Disabled),
            ("none", TlsMode::Disabled),
        ] {
            assert_eq!(text.parse::<TlsMode>().unwrap(), mode, "{text}");
            let quoted = serde_json::to_string(text).unwrap();
            assert_eq!(serde_json::from_str::<TlsMode>(&quoted).unwrap(), mode);
        }
        for bad in ["", "yes", "requires", "tls"] {
            let error = bad.parse::<TlsMode>().unwrap_err();
            assert!(error.is_config(), "{bad}");
            assert!(error.to_string().contains(&format!("'{bad}'")), "{error}");
        }
        let error = serde_json::from_str::<TlsMode>("\"maybe\"").unwrap_err();
        assert!(
            error.to_string().contains("unknown TLS mode 'maybe'"),
            "{error}"
        );
        assert!(serde_json::from_str::<TlsMode>("1").is_err());
    }

    #[test]
    fn validation() {
        assert!(Config::new("h").validate().unwrap_err().is_config());
        let bad = Config::new("h")
            .name("a\u{1e}b")
            .password(Password::new("x"));
        assert!(bad.validate().unwrap_err().is_config());
        assert!(Config::new("h")
            .password(Password::new("x"))
            .validate()
            .is_ok());
    }
}
