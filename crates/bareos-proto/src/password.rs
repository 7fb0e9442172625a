//! Passwords and the MD5 key derived from them.

use md5::{Digest, Md5};
use std::fmt;
use zeroize::Zeroize;

/// A console or director password, kept only as the 32-character MD5 hex text that Bareos
/// uses both as CRAM-MD5 key and as TLS-PSK secret.
///
/// `Debug` and `Display` never show it.
///
/// ```
/// use bareos_proto::Password;
/// let password = Password::new("secret");
/// assert_eq!(password.md5_hex(), "5ebe2294ecd0e0f08eab7690d2a6ee69");
/// assert_eq!(format!("{password:?}"), "Password(<redacted>)");
/// let same = Password::from_md5("5ebe2294ecd0e0f08eab7690d2a6ee69").unwrap();
/// assert_eq!(same.md5_hex(), password.md5_hex());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Password {
    md5_hex: String,
}

impl Password {
    /// A password given as clear text.
    pub fn new(clear_text: impl AsRef<[u8]>) -> Self {
        let mut digest = Md5::digest(clear_text.as_ref());
        // Written digit by digit into one buffer: no temporary strings holding parts of
        // the key are left behind in freed memory.
        let mut md5_hex = String::with_capacity(32);
        for byte in digest.iter() {
            for nibble in [byte >> 4, byte & 0x0f] {
                md5_hex.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        }
        digest.as_mut_slice().zeroize();
        Password { md5_hex }
    }

    /// A password given as its MD5 value: 32 hex digits, optionally prefixed with `[md5]`
    /// as in Bareos configuration files. The letter case is kept, as the daemons do.
    pub fn from_md5(value: &str) -> Option<Self> {
        let hex = value.strip_prefix("[md5]").unwrap_or(value);
        if hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(Password {
                md5_hex: hex.to_string(),
            })
        } else {
            None
        }
    }

    /// Reads a value as Bareos configuration does: `[md5]<hex>` is an MD5 value, anything
    /// else is clear text.
    pub fn from_config_value(value: &str) -> Self {
        if value.starts_with("[md5]") {
            if let Some(password) = Password::from_md5(value) {
                return password;
            }
        }
        Password::new(value)
    }

    /// The MD5 hex text (password-equivalent: never log it).
    pub fn md5_hex(&self) -> &str {
        &self.md5_hex
    }

    /// The key bytes for CRAM-MD5 and TLS-PSK (the 32 ASCII bytes of the hex text).
    pub fn key(&self) -> &[u8] {
        self.md5_hex.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Drop for Password {
    fn drop(&mut self) {
        // Overwrite the key material before the allocation is released.
        self.md5_hex.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_forms() {
        assert_eq!(
            Password::new("secret").md5_hex(),
            "5ebe2294ecd0e0f08eab7690d2a6ee69"
        );
        let upper = Password::from_md5("[md5]5EBE2294ECD0E0F08EAB7690D2A6EE69").unwrap();
        assert_eq!(upper.md5_hex(), "5EBE2294ECD0E0F08EAB7690D2A6EE69");
        assert!(Password::from_md5("nothex").is_none());
        assert_eq!(
            Password::from_config_value("[md5]5ebe2294ecd0e0f08eab7690d2a6ee69"),
            Password::new("secret")
        );
        assert_eq!(
            Password::from_config_value("secret"),
            Password::new("secret")
        );
    }

    #[test]
    fn never_printed() {
        let password = Password::new("secret");
        let debug = format!("{password:?} {:?}", Some(&password));
        assert!(!debug.contains("5ebe"));
    }
}
