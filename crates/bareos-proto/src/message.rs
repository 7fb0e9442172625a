//! Response messages of the login phase: `<id>` RS `<field>` [RS `<field>` ...].

use crate::error::ProtocolError;

/// The record separator between the fields of a response message.
pub const RS: u8 = 0x1e;

/// Well-known response message ids.
pub mod ids {
    /// Login accepted; the field is `OK: <dir> Version: <ver> (<date>)`.
    pub const OK: u32 = 1000;
    /// PAM authentication is required.
    pub const PAM_REQUIRED: u32 = 1001;
    /// Informational text after the welcome.
    pub const INFO_MESSAGE: u32 = 1002;
    /// Not authorized (`1999 ...`).
    pub const NOT_AUTHORIZED: u32 = 1999;
    /// The client asks for an interactive PAM conversation.
    pub const PAM_INTERACTIVE: u32 = 4001;
    /// The client sends PAM user and password.
    pub const PAM_USER_CREDENTIALS: u32 = 4002;
}

/// A parsed response message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseMessage {
    /// The numeric id.
    pub id: u32,
    /// The text after the id (RS-separated fields joined back, or the plain-text rest).
    pub fields: Vec<Vec<u8>>,
}

impl ResponseMessage {
    /// Parses `1000<RS>OK: ...` and the protocol-1 form `1000 OK: ...\n` alike.
    pub fn parse(payload: &[u8]) -> Result<ResponseMessage, ProtocolError> {
        const EXPECTED: &str = "a response message \"<4-digit id><RS or space><text>\"";
        let digits = payload.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return Err(ProtocolError::unexpected(EXPECTED, payload));
        }
        let id = std::str::from_utf8(&payload[..digits])
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| ProtocolError::unexpected(EXPECTED, payload))?;
        let rest = &payload[digits..];
        let fields = match rest.first() {
            None => Vec::new(),
            Some(&RS) => rest[1..].split(|b| *b == RS).map(<[u8]>::to_vec).collect(),
            Some(b' ') => vec![rest[1..].to_vec()],
            Some(_) => return Err(ProtocolError::unexpected(EXPECTED, payload)),
        };
        Ok(ResponseMessage { id, fields })
    }

    /// The wire form `<id>` RS `<field>` ...; refuses fields containing RS or NUL.
    pub fn encode(id: u32, fields: &[&[u8]]) -> Result<Vec<u8>, ProtocolError> {
        let mut out = id.to_string().into_bytes();
        for field in fields {
            if field.contains(&RS) || field.contains(&0) {
                return Err(ProtocolError::InvalidInput {
                    what: "response message field",
                    reason: "it must not contain the bytes 0x1E or 0x00",
                });
            }
            out.push(RS);
            out.extend_from_slice(field);
        }
        if fields.is_empty() {
            out.push(RS);
        }
        Ok(out)
    }

    /// The protocol-1 form `<id> <text>\n`, as old directors send the welcome.
    ///
    /// ```
    /// use bareos_proto::message::{ids, ResponseMessage};
    /// let line = ResponseMessage::encode_line(ids::OK, b"OK: bareos-dir Version: 17.2.7");
    /// assert_eq!(line, b"1000 OK: bareos-dir Version: 17.2.7\n");
    /// let parsed = ResponseMessage::parse(&line).unwrap();
    /// assert_eq!(parsed.text(), "OK: bareos-dir Version: 17.2.7\n");
    /// ```
    pub fn encode_line(id: u32, text: &[u8]) -> Vec<u8> {
        let mut out = format!("{id} ").into_bytes();
        out.extend_from_slice(text);
        out.push(b'\n');
        out
    }

    /// The first field as lossy text (empty if none).
    pub fn text(&self) -> String {
        self.fields
            .first()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .unwrap_or_default()
    }
}

/// What the director says about itself when a login succeeds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Welcome {
    /// The director's name.
    pub director: String,
    /// The director's version (e.g. `25.0.0` or `26.0.0~pre1298.eda204c31`).
    pub version: String,
    /// The build date text.
    pub date: String,
    /// The whole welcome text as received (without id and newline).
    pub text: String,
    /// The `1002` info text (protocol 2), if any.
    pub info: Option<String>,
}

impl Welcome {
    /// The text a director welcomes a console with, `OK: <dir> Version: <ver> (<date>)`,
    /// which [`Welcome::parse`] reads back.
    ///
    /// ```
    /// use bareos_proto::message::Welcome;
    /// let text = Welcome::ok_text("bareos-dir", "25.0.0", "01 January 2025");
    /// assert_eq!(text, "OK: bareos-dir Version: 25.0.0 (01 January 2025)");
    /// let welcome = Welcome::parse(&text);
    /// assert_eq!((welcome.director.as_str(), welcome.version.as_str()), ("bareos-dir", "25.0.0"));
    /// assert_eq!(welcome.date, "01 January 2025");
    /// ```
    pub fn ok_text(director: &str, version: &str, date: &str) -> String {
        format!("OK: {director} Version: {version} ({date})")
    }

    /// Parses `OK: <dir> Version: <ver> (<date>)[ -- ...]`; unknown shapes keep the text
    /// and leave the other fields empty rather than failing (the text is free-form on old
    /// directors and Bacula).
    pub fn parse(text: &str) -> Welcome {
        let text = text.trim_end_matches(['\n', '\0']).to_string();
        let mut welcome = Welcome {
            text: text.clone(),
            ..Welcome::default()
        };
        let body = text.strip_prefix("OK: ").unwrap_or(&text);
        // Bacula puts the protocol number first: "OK: 103 bacula-dir Version: ...".
        let mut words = body.split(' ').peekable();
        if words
            .peek()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
        {
            words.next();
        }
        let rest: Vec<&str> = words.collect();
        if let Some(pos) = rest.iter().position(|w| *w == "Version:") {
            welcome.director = rest[..pos].join(" ");
            if let Some(version) = rest.get(pos + 1) {
                welcome.version = version.trim_end_matches(',').to_string();
            }
            let tail = rest[pos + 2.min(rest.len() - pos)..].join(" ");
            if let Some(start) = tail.find('(') {
                if let Some(end) = tail[start..].find(')') {
                    welcome.date = tail[start + 1..start + end].to_string();
                }
            }
        }
        welcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let m = ResponseMessage::parse(
            b"1000\x1eOK: bareos-dir Version: 26.0.0~pre1298.eda204c31 (21 August 2026)",
        )
        .unwrap();
        assert_eq!(m.id, 1000);
        let w = Welcome::parse(&m.text());
        assert_eq!(w.director, "bareos-dir");
        assert_eq!(w.version, "26.0.0~pre1298.eda204c31");
        assert_eq!(w.date, "21 August 2026");
        let m = ResponseMessage::parse(b"1001\x1e").unwrap();
        assert_eq!((m.id, m.fields.len()), (1001, 1));
        let m = ResponseMessage::parse(
            b"1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n",
        )
        .unwrap();
        let w = Welcome::parse(&m.text());
        assert_eq!(w.director, "bareos-dir");
        assert_eq!(w.version, "25.0.0");
        assert_eq!(w.date, "21 August 2026");
        assert!(ResponseMessage::parse(b"OK").is_err());
        assert!(ResponseMessage::parse(b"1000x").is_err());
        assert!(ResponseMessage::parse(b"").is_err());
    }

    #[test]
    fn bacula_welcome() {
        let w = Welcome::parse("OK: 103 bacula-dir Version: 9.6.7 (10 December 2020)\n");
        assert_eq!(w.director, "bacula-dir");
        assert_eq!(w.version, "9.6.7");
        assert_eq!(w.date, "10 December 2020");
        let w = Welcome::parse("something else");
        assert_eq!(w.text, "something else");
        assert_eq!(w.director, "");
    }

    #[test]
    fn encodes() {
        assert_eq!(
            ResponseMessage::encode(4002, &[b"alice", b"pa55"]).unwrap(),
            b"4002\x1ealice\x1epa55"
        );
        assert_eq!(ResponseMessage::encode(1001, &[]).unwrap(), b"1001\x1e");
        assert!(ResponseMessage::encode(4002, &[b"a\x1eb"]).is_err());
    }
}
