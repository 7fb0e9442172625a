//! TLS policies and protocol versions of the simulated daemons.

/// The TLS policy of a console or director resource (`TlsEnable`/`TlsRequire`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TlsPolicy {
    /// `TlsEnable = no`: cleartext allowed (TLS-PSK is still accepted).
    None,
    /// `TlsEnable = yes`, `TlsRequire = no`: only protocol-1 hellos may use cleartext.
    Enabled,
    /// `TlsEnable = yes`, `TlsRequire = yes` (the daemons' default).
    #[default]
    Required,
}

impl TlsPolicy {
    /// The number sent in the `ssl=` field of a CRAM-MD5 challenge.
    pub fn code(self) -> u32 {
        match self {
            TlsPolicy::None => 0,
            TlsPolicy::Enabled => 1,
            TlsPolicy::Required => 2,
        }
    }
}

/// A TLS protocol version, to bound what the simulated daemons negotiate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsVersion {
    /// TLS 1.2 (PSK cipher list `ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH`).
    Tls12,
    /// TLS 1.3 (OpenSSL's default suites; PSK works with the SHA-256 ones).
    Tls13,
}

impl TlsVersion {
    pub(crate) fn to_openssl(self) -> openssl::ssl::SslVersion {
        match self {
            TlsVersion::Tls12 => openssl::ssl::SslVersion::TLS1_2,
            TlsVersion::Tls13 => openssl::ssl::SslVersion::TLS1_3,
        }
    }
}
