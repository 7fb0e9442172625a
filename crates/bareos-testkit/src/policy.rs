//! The TLS policies of the simulated daemons' resources.

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
