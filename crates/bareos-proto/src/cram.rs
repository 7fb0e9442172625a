//! CRAM-MD5 as Bareos does it: challenge lines, answers, verdicts.

use crate::base64::{encode, Base64Variant};
use crate::error::ProtocolError;
use crate::password::Password;
use hmac::{Hmac, Mac};
use md5::Md5;

/// The verdict a side sends when it accepts the other side's answer.
pub const AUTH_OK: &[u8] = b"1000 OK auth\n";
/// The verdict a side sends when it rejects the other side's answer.
pub const AUTH_FAILED: &[u8] = b"1999 Authorization failed.\n";
/// What a director sends when a console may not log in (protocol 1, TLS policy).
pub const NOT_AUTHORIZED: &[u8] = b"1999 You are not authorized.\n";

/// A parsed `auth cram-md5 <challenge> ssl=<n>` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The challenge token including the angle brackets: the exact HMAC input.
    pub token: String,
    /// The sender's TLS policy (`ssl=`): 0 none, 1 enabled, 2 required; `None` if absent.
    pub tls_policy: Option<u32>,
    /// The variant the answer must use: standard for `cram-md5c`, legacy for `cram-md5`.
    pub answer_variant: Base64Variant,
}

impl Challenge {
    /// Parses a challenge line, tolerating a trailing NUL/newline and an optional
    /// `qualified-name=` suffix.
    pub fn parse(line: &[u8]) -> Result<Challenge, ProtocolError> {
        const EXPECTED: &str = "a CRAM-MD5 challenge \"auth cram-md5 <...> ssl=<n>\"";
        let text = std::str::from_utf8(line)
            .map_err(|_| ProtocolError::unexpected(EXPECTED, line))?
            .trim_end_matches(['\0', '\n', '\r']);
        let mut words = text.split(' ');
        if words.next() != Some("auth") {
            return Err(ProtocolError::unexpected(EXPECTED, line));
        }
        let answer_variant = match words.next() {
            Some("cram-md5") => Base64Variant::Legacy,
            Some("cram-md5c") => Base64Variant::Standard,
            _ => return Err(ProtocolError::unexpected(EXPECTED, line)),
        };
        let token = words.next().unwrap_or_default();
        if !is_valid_token(token) {
            return Err(ProtocolError::unexpected(EXPECTED, line));
        }
        let mut tls_policy = None;
        for word in words {
            if let Some(value) = word.strip_prefix("ssl=") {
                tls_policy = Some(
                    value
                        .parse()
                        .map_err(|_| ProtocolError::unexpected(EXPECTED, line))?,
                );
            }
        }
        Ok(Challenge {
            token: token.to_string(),
            tls_policy,
            answer_variant,
        })
    }

    /// The challenge line as sent on the wire (`auth cram-md5 <token> ssl=<n>\n`).
    pub fn to_line(&self) -> Vec<u8> {
        let verb = match self.answer_variant {
            Base64Variant::Legacy => "cram-md5",
            Base64Variant::Standard => "cram-md5c",
        };
        let policy = self.tls_policy.unwrap_or(0);
        format!("auth {verb} {} ssl={policy}\n", self.token).into_bytes()
    }
}

/// `<random.time@name>`, the shape a verifier accepts (digits, dot, digits, `@`, a word).
fn is_valid_token(token: &str) -> bool {
    let Some(inner) = token.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let Some((numbers, name)) = inner.split_once('@') else {
        return false;
    };
    let Some((random, time)) = numbers.split_once('.') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(random) && digits(time) && !name.is_empty() && !name.contains(char::is_whitespace)
}

/// Builds a challenge token `<random.time@name>`; `name` must already be bashed.
pub fn make_token(random: u32, unix_time: u64, name: &str) -> String {
    format!("<{random}.{unix_time}@{name}>")
}

/// HMAC-MD5 of the token, keyed with the password's MD5 hex text.
pub fn hmac(password: &Password, token: &str) -> [u8; 16] {
    let mut mac = Hmac::<Md5>::new_from_slice(password.key()).expect("HMAC accepts any key");
    mac.update(token.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The answer to a challenge token, in the given variant (no NUL, no newline).
///
/// ```
/// use bareos_proto::{cram, Password, base64::Base64Variant};
/// let answer = cram::answer(
///     &Password::new("secret"),
///     "<1234567890.1700000000@R_DIRECTOR::bareos-dir>",
///     Base64Variant::Legacy,
/// );
/// assert_eq!(answer, "wGRS45MJwQ/T0h/dbx/WSA");
/// ```
pub fn answer(password: &Password, token: &str, variant: Base64Variant) -> String {
    encode(&hmac(password, token), variant)
}

/// Checks a peer's answer to our token; accepts both base64 variants and strips one
/// trailing NUL and newline, as the daemons' answers may carry them.
pub fn verify(password: &Password, token: &str, received: &[u8]) -> bool {
    let mut received = received;
    if let Some(rest) = received.strip_suffix(b"\0") {
        received = rest;
    }
    if let Some(rest) = received.strip_suffix(b"\n") {
        received = rest;
    }
    let digest = hmac(password, token);
    [Base64Variant::Standard, Base64Variant::Legacy]
        .iter()
        .any(|variant| constant_time_eq(encode(&digest, *variant).as_bytes(), received))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: [(&str, &str, &str, &str); 4] = [
        (
            "<1234567890.1700000000@R_DIRECTOR::bareos-dir>",
            "c06452e19309c10ed3d212dd6f13d648",
            "wGRS4ZMJwQ7T0hLdbxPWSA",
            "wGRS45MJwQ/T0h/dbx/WSA",
        ),
        (
            "<2222222222.1700000001@R_CONSOLE::admin>",
            "4cbd0d556d5157519884b7fdd47dc50b",
            "TL0NVW1RV1GYhLf91H3FCw",
            "T70NVW1RV1+Yh7/91H/FCD",
        ),
        (
            "<1804289383.1755750000@R_CLIENT::bareos-fd>",
            "0a185f0a6eeaea983910c23525860bb1",
            "ChhfCm7q6pg5EMI1JYYLsQ",
            "ChhfCm/q65g5E8I1J4YLsB",
        ),
        (
            "<3333333333.1755750001@R_DIRECTOR::bareos-dir>",
            "393e1c8452649e94d11b3c2929b2644a",
            "OT4chFJknpTRGzwpKbJkSg",
            "OT4chFJkn5/RGzwpK7JkSC",
        ),
    ];

    #[test]
    fn vectors_of_section_13_2() {
        let password = Password::new("secret");
        for (token, hex, standard, legacy) in VECTORS {
            let digest: String = hmac(&password, token)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(digest, hex);
            assert_eq!(answer(&password, token, Base64Variant::Standard), standard);
            assert_eq!(answer(&password, token, Base64Variant::Legacy), legacy);
            assert!(verify(&password, token, standard.as_bytes()));
            assert!(verify(&password, token, format!("{legacy}\0").as_bytes()));
            assert!(!verify(&Password::new("wrong"), token, legacy.as_bytes()));
            assert!(!verify(&password, token, b""));
        }
    }

    #[test]
    fn parses_challenge_lines() {
        let challenge = Challenge::parse(
            b"auth cram-md5 <1234567890.1700000000@R_DIRECTOR::bareos-dir> ssl=2\n",
        )
        .unwrap();
        assert_eq!(
            challenge.token,
            "<1234567890.1700000000@R_DIRECTOR::bareos-dir>"
        );
        assert_eq!(challenge.tls_policy, Some(2));
        assert_eq!(challenge.answer_variant, Base64Variant::Legacy);
        assert_eq!(
            challenge.to_line(),
            b"auth cram-md5 <1234567890.1700000000@R_DIRECTOR::bareos-dir> ssl=2\n"
        );
        let c = Challenge::parse(b"auth cram-md5c <1.2@x> ssl=0 qualified-name=R_DIRECTOR::d\n")
            .unwrap();
        assert_eq!(c.answer_variant, Base64Variant::Standard);
        assert_eq!(c.tls_policy, Some(0));
        assert_eq!(
            Challenge::parse(b"auth cram-md5 <1.2@x>\n")
                .unwrap()
                .tls_policy,
            None
        );
        for bad in [
            &b"1000 OK auth\n"[..],
            b"auth cram-md5 <x> ssl=0\n",
            b"auth cram-md5 <1.2@> ssl=0\n",
            b"auth sha <1.2@x> ssl=0\n",
            b"auth cram-md5 <1.2@x> ssl=two\n",
            b"\xff\xfe",
            b"",
        ] {
            let err = Challenge::parse(bad).unwrap_err();
            assert!(err.to_string().contains("CRAM-MD5 challenge"), "{err}");
        }
    }
}
