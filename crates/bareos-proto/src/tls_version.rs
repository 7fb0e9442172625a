//! TLS protocol versions, as both sides of a connection name their bounds.

/// A TLS protocol version, to bound what a connection negotiates (the library's
/// `Config::tls_min_version`/`tls_max_version`, the test daemons' `tls_versions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsVersion {
    /// TLS 1.2 (with TLS-PSK: the PSK suites of the daemons' cipher list).
    Tls12,
    /// TLS 1.3 (with TLS-PSK: the SHA-256 suites).
    Tls13,
}
