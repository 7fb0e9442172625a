//! Hello lines, resource names (space bashing) and TLS-PSK identities.

use crate::error::ProtocolError;

/// The Bareos version this library announces in protocol-2 hellos (it must be 18.2 or
/// newer for the director to select protocol 2; this is the python-bareos release whose
/// behaviour the library matches).
pub const HELLO_VERSION: &str = "25.1.1";

/// The name of the default console, used when no console name is given.
pub const DEFAULT_CONSOLE: &str = "*UserAgent*";

/// The hello a File Daemon answers on success starts with this.
pub const FD_HELLO_OK: &[u8] = b"2000 OK Hello";

/// The whole success hello of a File Daemon: [`FD_HELLO_OK`], its protocol number
/// (54 for Bareos 18.2 and newer), newline.
///
/// ```
/// use bareos_proto::hello::fd_hello_ok;
/// assert_eq!(fd_hello_ok(54), b"2000 OK Hello 54\n");
/// ```
pub fn fd_hello_ok(fd_protocol: u32) -> Vec<u8> {
    let mut line = FD_HELLO_OK.to_vec();
    line.extend_from_slice(format!(" {fd_protocol}\n").as_bytes());
    line
}

/// Console protocol version, chosen by the shape of the hello.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ProtocolVersion {
    /// Bareos 12.4 to 18.1 and Bacula: `Hello <name> calling`.
    V1,
    /// Bareos 18.2 and newer: `Hello <name> calling version <x.y.z>`.
    #[default]
    V2,
}

/// Which resource a connection authenticates as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceType {
    /// A console talking to a director.
    Console,
    /// A director (or a program acting as one) talking to a file daemon.
    Director,
    /// A file daemon: the name in its own CRAM-MD5 challenge to a director.
    Client,
}

impl ResourceType {
    /// The resource code used in PSK identities and qualified names.
    pub fn code(self) -> &'static str {
        match self {
            ResourceType::Console => "R_CONSOLE",
            ResourceType::Director => "R_DIRECTOR",
            ResourceType::Client => "R_CLIENT",
        }
    }
}

/// Replaces every space with 0x01, as the daemons expect names in hellos.
pub fn bash_spaces(name: &str) -> String {
    name.replace(' ', "\u{1}")
}

/// Reverses [`bash_spaces`].
pub fn unbash_spaces(name: &str) -> String {
    name.replace('\u{1}', " ")
}

/// Checks a resource name as Bareos does: 1 to 127 bytes of ASCII letters, digits and
/// `:.-_/ `, no leading or trailing space. `*UserAgent*` is allowed for consoles.
pub fn validate_name(name: &str) -> Result<(), ProtocolError> {
    if name == DEFAULT_CONSOLE {
        return Ok(());
    }
    let invalid = |reason| {
        Err(ProtocolError::InvalidInput {
            what: "resource name",
            reason,
        })
    };
    if name.is_empty() || name.len() > 127 {
        return invalid("it must be 1 to 127 characters long");
    }
    if name.starts_with(' ') || name.ends_with(' ') {
        return invalid("it must not start or end with a space");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b":.-_/ ".contains(&b))
    {
        return invalid("only letters, digits, spaces and the characters : . - _ / are allowed");
    }
    Ok(())
}

/// The TLS-PSK identity: resource code, 0x1E, name (not bashed).
///
/// ```
/// use bareos_proto::hello::{psk_identity, ResourceType};
/// assert_eq!(psk_identity(ResourceType::Console, "*UserAgent*"), b"R_CONSOLE\x1e*UserAgent*");
/// ```
pub fn psk_identity(kind: ResourceType, name: &str) -> Vec<u8> {
    let mut identity = kind.code().as_bytes().to_vec();
    identity.push(0x1e);
    identity.extend_from_slice(name.as_bytes());
    identity
}

/// The qualified name used in this side's own CRAM-MD5 challenge (`R_CONSOLE::<bashed>`).
///
/// ```
/// use bareos_proto::hello::{qualified_name, ResourceType};
/// assert_eq!(qualified_name(ResourceType::Client, "my fd"), "R_CLIENT::my\u{1}fd");
/// ```
pub fn qualified_name(kind: ResourceType, name: &str) -> String {
    format!("{}::{}", kind.code(), bash_spaces(name))
}

/// The hello a console sends to a director.
///
/// ```
/// use bareos_proto::hello::{console_hello, ProtocolVersion};
/// assert_eq!(console_hello("admin notls", ProtocolVersion::V2),
///            b"Hello admin\x01notls calling version 25.1.1\n");
/// assert_eq!(console_hello("admin", ProtocolVersion::V1), b"Hello admin calling\n");
/// ```
pub fn console_hello(name: &str, version: ProtocolVersion) -> Vec<u8> {
    match version {
        ProtocolVersion::V1 => format!("Hello {} calling\n", bash_spaces(name)),
        ProtocolVersion::V2 => format!(
            "Hello {} calling version {HELLO_VERSION}\n",
            bash_spaces(name)
        ),
    }
    .into_bytes()
}

/// The hello a program acting as a director sends to a file daemon.
pub fn director_hello(director_name: &str) -> Vec<u8> {
    format!("Hello Director {} calling\n", bash_spaces(director_name)).into_bytes()
}

/// A hello as a server reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hello {
    /// Console or director.
    pub kind: ResourceType,
    /// The resource name, un-bashed.
    pub name: String,
    /// `(major, minor)` of the `version` word of a console hello, if present.
    pub version: Option<(u32, u32)>,
}

impl Hello {
    /// The protocol the director selects for this hello (v2 from version 18.2 on).
    pub fn protocol(&self) -> ProtocolVersion {
        match self.version {
            Some((major, minor)) if major * 100 + minor >= 1802 => ProtocolVersion::V2,
            _ => ProtocolVersion::V1,
        }
    }

    /// Parses a console or director hello, with the director's length limits for consoles
    /// (15 to 153 bytes).
    pub fn parse(payload: &[u8]) -> Result<Hello, ProtocolError> {
        const EXPECTED: &str = "a hello \"Hello <name> calling ...\"";
        let bad = || ProtocolError::unexpected(EXPECTED, payload);
        let text = std::str::from_utf8(payload).map_err(|_| bad())?;
        let text = text.trim_end_matches(['\n', '\0']);
        let words: Vec<&str> = text.split(' ').collect();
        if words.first() != Some(&"Hello") {
            return Err(bad());
        }
        if words.get(1) == Some(&"Director") {
            if words.len() < 4 || words[3] != "calling" || payload.len() > 500 {
                return Err(bad());
            }
            return Ok(Hello {
                kind: ResourceType::Director,
                name: unbash_spaces(words[2]),
                version: None,
            });
        }
        if !(15..=153).contains(&payload.len()) || words.len() < 3 || words[2] != "calling" {
            return Err(bad());
        }
        let version = match (words.get(3), words.get(4)) {
            (Some(&"version"), Some(version)) => {
                let mut parts = version.split('.');
                let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
                let minor = parts
                    .next()
                    .map(|p| {
                        p.chars()
                            .take_while(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(bad)?;
                Some((major, minor))
            }
            (None, _) => None,
            _ => return Err(bad()),
        };
        Ok(Hello {
            kind: ResourceType::Console,
            name: unbash_spaces(words[1]),
            version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hellos_of_section_13_4() {
        assert_eq!(
            console_hello("*UserAgent*", ProtocolVersion::V2),
            b"Hello *UserAgent* calling version 25.1.1\n"
        );
        assert_eq!(
            director_hello("bareos-dir"),
            b"Hello Director bareos-dir calling\n"
        );
        assert_eq!(
            psk_identity(ResourceType::Director, "bareos-dir"),
            b"R_DIRECTOR\x1ebareos-dir"
        );
        assert_eq!(
            qualified_name(ResourceType::Console, "admin notls"),
            "R_CONSOLE::admin\u{1}notls"
        );
    }

    #[test]
    fn parses_hellos() {
        let hello = Hello::parse(b"Hello admin\x01notls calling version 25.1.1\n").unwrap();
        assert_eq!(hello.name, "admin notls");
        assert_eq!(hello.protocol(), ProtocolVersion::V2);
        let hello = Hello::parse(b"Hello *UserAgent* calling\n").unwrap();
        assert_eq!(hello.protocol(), ProtocolVersion::V1);
        let hello = Hello::parse(
            b"Hello *UserAgent* calling version 26.0.0~pre1298.eda204c31 Version=\"26.0.0\"\n",
        )
        .unwrap();
        assert_eq!(hello.version, Some((26, 0)));
        let hello = Hello::parse(b"Hello x calling version 12.4.0\n").unwrap();
        assert_eq!(hello.protocol(), ProtocolVersion::V1);
        let hello = Hello::parse(b"Hello Director bareos-dir calling\n").unwrap();
        assert_eq!(hello.kind, ResourceType::Director);
        for bad in [
            &b"Hi"[..],
            b"Hello x calling version abc\n",
            b"Hello a b c d\n",
            b"\xff",
        ] {
            assert!(Hello::parse(bad).is_err());
        }
    }

    #[test]
    fn names() {
        assert!(validate_name("admin notls").is_ok());
        assert!(validate_name("*UserAgent*").is_ok());
        assert!(validate_name("").is_err());
        assert!(validate_name(" x").is_err());
        assert!(validate_name("a\u{1e}b").is_err());
        assert!(validate_name(&"x".repeat(128)).is_err());
    }
}
