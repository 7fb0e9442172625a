//! The interactive PAM conversation (`4001`): the director relays PAM's prompts, the
//! client answers them.
//!
//! After `4001<RS>` each PAM message arrives as two frames: one byte with the message
//! style, then the text with a trailing NUL. Styles 1 (`PAM_PROMPT_ECHO_OFF`) and 2
//! (`PAM_PROMPT_ECHO_ON`) are prompts the director waits on; PAM's info and error texts
//! are sent with style 2 too, but without waiting. The end is a style byte 0
//! (`PAM_SUCCESS`) and a 1-byte empty text; on failure the director closes.
//!
//! Direct credentials need both fields: the director splits `4002` at each RS and drops a
//! trailing empty field, so an empty password is refused rather than asked for; the
//! session therefore sends `4001` instead when a field is empty and it may converse.
//!
//! While the director waits, [`ClientSession::state`] is
//! `SessionState::Login(LoginStep::PamAnswer)` and [`ClientSession::pam_prompt`] shows
//! the prompt; answer with [`ClientSession::answer_pam`]. A frame that arrives instead
//! of an answer means the last echo-on text was a message, not a prompt.
//!
//! ```
//! use bareos_proto::session::{PamAnswer, PamStyle};
//! use bareos_proto::{LoginStep, SessionState};
//! # use bareos_proto::base64::Base64Variant;
//! # use bareos_proto::cram::{self, AUTH_OK};
//! # use bareos_proto::{ClientSession, Frame, Password, SessionConfig};
//! # let password = Password::new("p");
//! # let mut config = SessionConfig::console("pamcon", password.clone());
//! # config.pam_interactive = true;
//! # let mut session = ClientSession::new(config);
//! # session.handle_frame(Frame::Data(b"auth cram-md5 <1.2@R_DIRECTOR::d> ssl=2\n".to_vec())).unwrap();
//! # session.handle_frame(Frame::Data(AUTH_OK.to_vec())).unwrap();
//! # let answer = cram::answer(&password, "<0.0@R_CONSOLE::pamcon>", Base64Variant::Legacy);
//! # session.handle_frame(Frame::Data(answer.into_bytes())).unwrap();
//! // The director asks for PAM; the session offers the conversation (4001).
//! session.handle_frame(Frame::Data(b"1001\x1e".to_vec())).unwrap();
//! assert!(session.take_output().ends_with(b"4001\x1e"));
//! session.handle_frame(Frame::Data(vec![1])).unwrap();
//! session.handle_frame(Frame::Data(b"Password: \0".to_vec())).unwrap();
//! assert_eq!(session.state(), SessionState::Login(LoginStep::PamAnswer));
//! let prompt = session.pam_prompt().unwrap();
//! assert_eq!((prompt.style, prompt.text.as_slice()), (PamStyle::EchoOff, &b"Password: "[..]));
//! session.answer_pam(&PamAnswer::new("wonderland")).unwrap();
//! assert_eq!(&session.take_output()[4..], b"wonderland");
//! ```

use super::{ClientSession, Event, LoginStep, SessionError, SessionState};
use crate::error::ProtocolError;
use crate::frame::MAX_MESSAGE_LEN;
use std::fmt;
use zeroize::Zeroize;

/// At most this many PAM messages (prompts and texts) in one conversation: a director
/// that keeps asking is cut off instead of being answered forever.
pub const MAX_PAM_MESSAGES: usize = 32;

/// The longest PAM text accepted, in bytes (Linux-PAM's `PAM_MAX_MSG_SIZE` is 512).
pub const MAX_PAM_TEXT: usize = 4096;

/// `PAM_SUCCESS`: the conversation ended well.
const PAM_SUCCESS: u8 = 0;
/// `PAM_PROMPT_ECHO_OFF`.
const PAM_PROMPT_ECHO_OFF: u8 = 1;
/// `PAM_PROMPT_ECHO_ON`, also used by the director for PAM's info and error texts.
const PAM_PROMPT_ECHO_ON: u8 = 2;

/// How a PAM prompt wants its answer typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PamStyle {
    /// `PAM_PROMPT_ECHO_OFF`: a secret (a password); do not show what is typed.
    EchoOff,
    /// `PAM_PROMPT_ECHO_ON`: visible input (a user name). The director sends PAM's
    /// info and error texts with this style too, without waiting for an answer.
    EchoOn,
}

/// One PAM message relayed by the director.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PamPrompt {
    /// Echo on or off.
    pub style: PamStyle,
    /// The text as sent, without the trailing NUL (not necessarily UTF-8).
    pub text: Vec<u8>,
}

impl PamPrompt {
    /// The text for display, invalid UTF-8 replaced.
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// Whether this may be an info or error text rather than a question: true for
    /// echo-on prompts, which the wire protocol cannot tell apart from those texts.
    pub fn may_be_message(&self) -> bool {
        self.style == PamStyle::EchoOn
    }
}

/// An answer to a PAM prompt. Kept out of `Debug`, wiped on drop.
///
/// ```
/// use bareos_proto::session::PamAnswer;
/// let answer = PamAnswer::new("wonderland");
/// assert_eq!(format!("{answer:?}"), "PamAnswer(<redacted>)");
/// assert_eq!(answer.as_bytes(), b"wonderland");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PamAnswer(Vec<u8>);

impl PamAnswer {
    /// An answer from text or bytes.
    pub fn new(answer: impl Into<Vec<u8>>) -> Self {
        PamAnswer(answer.into())
    }

    /// The bytes to send.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for PamAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PamAnswer(<redacted>)")
    }
}

impl Drop for PamAnswer {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Where the conversation stands, beyond the [`LoginStep`].
#[derive(Clone, Debug, Default)]
pub(super) struct PamConversationState {
    /// The style byte of the text that comes next.
    style: Option<PamStyle>,
    /// The prompt waiting for an answer.
    prompt: Option<PamPrompt>,
    /// Messages received so far.
    messages: usize,
}

impl ClientSession {
    /// The PAM prompt the director waits on, while the state is
    /// `Login(LoginStep::PamAnswer)`.
    pub fn pam_prompt(&self) -> Option<&PamPrompt> {
        match self.state {
            SessionState::Login(LoginStep::PamAnswer) => self.pam.prompt.as_ref(),
            _ => None,
        }
    }

    /// Answers the current PAM prompt; the answer is queued as one frame (no NUL).
    pub fn answer_pam(&mut self, answer: &PamAnswer) -> Result<(), SessionError> {
        if self.state != SessionState::Login(LoginStep::PamAnswer) {
            return Err(SessionError::InvalidState {
                action: "answer a PAM prompt",
                state: self.state,
            });
        }
        let bytes = answer.as_bytes();
        if bytes.contains(&0) {
            return Err(ProtocolError::InvalidInput {
                what: "PAM answer",
                reason: "it must not contain a NUL byte",
            }
            .into());
        }
        if bytes.len() > MAX_MESSAGE_LEN {
            return Err(ProtocolError::InvalidInput {
                what: "PAM answer",
                reason: "it is longer than one frame (999996 bytes)",
            }
            .into());
        }
        self.queue(bytes);
        self.pam.prompt = None;
        self.state = SessionState::Login(LoginStep::PamStyle);
        Ok(())
    }

    /// One frame of the conversation, at `step`.
    pub(super) fn handle_pam(
        &mut self,
        step: LoginStep,
        payload: &[u8],
    ) -> Result<Event, SessionError> {
        match step {
            // A frame instead of our answer: the last echo-on text was a message.
            LoginStep::PamStyle | LoginStep::PamAnswer => {
                self.pam.prompt = None;
                let style = match payload {
                    [PAM_SUCCESS] => {
                        self.state = SessionState::Login(LoginStep::PamSuccess);
                        return Ok(Event::Continue);
                    }
                    [PAM_PROMPT_ECHO_OFF] => PamStyle::EchoOff,
                    [PAM_PROMPT_ECHO_ON] => PamStyle::EchoOn,
                    _ => {
                        return self.fail(
                            ProtocolError::unexpected(
                                "a PAM message style (one byte: 0, 1 or 2)",
                                payload,
                            )
                            .into(),
                        )
                    }
                };
                self.pam.messages += 1;
                if self.pam.messages > MAX_PAM_MESSAGES {
                    return self.fail(SessionError::PamConversationTooLong {
                        limit: MAX_PAM_MESSAGES,
                    });
                }
                self.pam.style = Some(style);
                self.state = SessionState::Login(LoginStep::PamText);
                Ok(Event::Continue)
            }
            LoginStep::PamText => {
                let text = payload.strip_suffix(&[0]).unwrap_or(payload);
                if text.len() > MAX_PAM_TEXT {
                    return self.fail(
                        ProtocolError::unexpected("a PAM text of at most 4096 bytes", payload)
                            .into(),
                    );
                }
                let style = self.pam.style.take().unwrap_or(PamStyle::EchoOn);
                self.pam.prompt = Some(PamPrompt {
                    style,
                    text: text.to_vec(),
                });
                self.state = SessionState::Login(LoginStep::PamAnswer);
                Ok(Event::Continue)
            }
            LoginStep::PamSuccess => {
                if payload != [0] {
                    return self.fail(
                        ProtocolError::unexpected(
                            "the empty PAM text after PAM_SUCCESS (one NUL byte)",
                            payload,
                        )
                        .into(),
                    );
                }
                self.state = SessionState::Login(LoginStep::PamResult);
                Ok(Event::Continue)
            }
            _ => unreachable!("handle_pam is called for PAM steps only"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{data, frames, login, welcome_alice};
    use super::super::*;
    use super::*;

    fn interactive(encrypted: bool) -> ClientSession {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam_interactive = true;
        config.encrypted = encrypted;
        login(config)
    }

    fn prompt(session: &mut ClientSession, style: u8, text: &[u8]) {
        assert_eq!(session.handle_frame(data(&[style])), Ok(Event::Continue));
        assert_eq!(session.handle_frame(data(text)), Ok(Event::Continue));
    }

    #[test]
    fn conversation_then_welcome() {
        let mut session = interactive(true);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"4001\x1e")]);
        assert_eq!(session.state(), SessionState::Login(LoginStep::PamStyle));
        assert_eq!(session.pam_prompt(), None);

        prompt(&mut session, 2, b"login:\0");
        let asked = session.pam_prompt().unwrap().clone();
        assert_eq!(asked.style, PamStyle::EchoOn);
        assert_eq!(asked.text_lossy(), "login:");
        assert!(asked.may_be_message());
        session.answer_pam(&PamAnswer::new("alice")).unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"alice")]);

        prompt(&mut session, 1, b"Password: \0");
        assert_eq!(session.pam_prompt().unwrap().style, PamStyle::EchoOff);
        assert!(!session.pam_prompt().unwrap().may_be_message());
        session.answer_pam(&PamAnswer::new("wonderland")).unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"wonderland")]);

        // An info text (style 2, not waited on), then PAM_SUCCESS and its empty text.
        prompt(&mut session, 2, b"Your password expires in 3 days\0");
        assert!(session.pam_prompt().is_some());
        assert_eq!(session.handle_frame(data(&[0])), Ok(Event::Continue));
        assert_eq!(session.pam_prompt(), None);
        assert_eq!(session.state(), SessionState::Login(LoginStep::PamSuccess));
        assert_eq!(session.handle_frame(data(&[0])), Ok(Event::Continue));
        assert_eq!(session.state(), SessionState::Login(LoginStep::PamResult));
        welcome_alice(&mut session);
        assert!(!session.has_output());
    }

    #[test]
    fn failure_is_the_director_closing() {
        let mut session = interactive(true);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        prompt(&mut session, 1, b"Password: \0");
        session.answer_pam(&PamAnswer::new("wrong")).unwrap();
        let err = session.handle_eof().unwrap_err();
        assert_eq!(err, SessionError::PamConversationFailed);
        assert!(err.to_string().starts_with("PAM authentication failed"));

        // Closed while we were still to answer.
        let mut session = interactive(true);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        prompt(&mut session, 2, b"login:\0");
        assert_eq!(
            session.handle_eof().unwrap_err(),
            SessionError::PamConversationFailed
        );
        let mut session = interactive(true);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(
            session
                .handle_frame(Frame::Signal(Signal::Terminate))
                .unwrap_err(),
            SessionError::PamConversationFailed
        );
    }

    #[test]
    fn cleartext_is_refused_before_anything_is_sent() {
        let mut session = interactive(false);
        assert_eq!(
            session.handle_frame(data(b"1001\x1e")).unwrap_err(),
            SessionError::PamOverCleartext
        );
        assert!(!session.has_output());

        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam_interactive = true;
        config.encrypted = false;
        config.allow_cleartext_pam = true;
        let mut session = login(config);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"4001\x1e")]);
    }

    #[test]
    fn direct_credentials_win_over_the_conversation() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam_interactive = true;
        config.pam = Some(PamCredentials::new("alice", "pa55"));
        let mut session = login(config);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"4002\x1ealice\x1epa55")]
        );
    }

    #[test]
    fn empty_direct_credentials_are_not_sent() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam = Some(PamCredentials::new("alice", ""));
        let mut session = login(config.clone());
        let err = session.handle_frame(data(b"1001\x1e")).unwrap_err();
        assert!(err.to_string().contains("must not be empty"), "{err}");
        assert!(!session.has_output());
        config.pam_interactive = true;
        let mut session = login(config);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"4001\x1e")]);
    }

    #[test]
    fn endless_prompts_are_cut_off() {
        let mut session = interactive(true);
        session.handle_frame(data(b"1001\x1e")).unwrap();
        for _ in 0..MAX_PAM_MESSAGES {
            prompt(&mut session, 1, b"Password: \0");
            session.answer_pam(&PamAnswer::new("x")).unwrap();
        }
        let err = session.handle_frame(data(&[1])).unwrap_err();
        assert_eq!(
            err,
            SessionError::PamConversationTooLong {
                limit: MAX_PAM_MESSAGES
            }
        );
        assert!(err.to_string().contains("32"), "{err}");
        assert_eq!(session.state(), SessionState::Closed);
    }

    #[test]
    fn malformed_conversation_frames_are_errors() {
        for (style, text, expected) in [
            (&b"\x07"[..], &b""[..], "a PAM message style"),
            (&b"\x01\x01"[..], &b""[..], "a PAM message style"),
            (
                &b"\x01"[..],
                &[b'x'; MAX_PAM_TEXT + 2][..],
                "at most 4096 bytes",
            ),
            (
                &b"\x00"[..],
                &b"junk"[..],
                "the empty PAM text after PAM_SUCCESS",
            ),
        ] {
            let mut session = interactive(true);
            session.handle_frame(data(b"1001\x1e")).unwrap();
            let mut result = session.handle_frame(data(style));
            if result.is_ok() {
                result = session.handle_frame(data(text));
            }
            let err = result.unwrap_err();
            assert!(err.to_string().contains(expected), "{err}");
        }
    }

    #[test]
    fn answers_need_a_prompt_and_no_nul() {
        let mut session = interactive(true);
        let err = session.answer_pam(&PamAnswer::new("x")).unwrap_err();
        assert!(
            err.to_string().contains("cannot answer a PAM prompt"),
            "{err}"
        );
        session.handle_frame(data(b"1001\x1e")).unwrap();
        session.take_output();
        prompt(&mut session, 1, b"Password:");
        // Without the NUL the text is taken as it is.
        assert_eq!(session.pam_prompt().unwrap().text, b"Password:");
        let err = session.answer_pam(&PamAnswer::new("a\0b")).unwrap_err();
        assert!(err.to_string().contains("NUL"), "{err}");
        let err = session
            .answer_pam(&PamAnswer::new(vec![b'x'; 1_000_000]))
            .unwrap_err();
        assert!(err.to_string().contains("longer than one frame"), "{err}");
        assert!(!session.has_output());
        // Non-UTF-8 answers are sent as they are.
        session
            .answer_pam(&PamAnswer::new(vec![0xff, b'a']))
            .unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"\xffa")]);
        assert!(!format!("{:?}", PamAnswer::new("pa55")).contains("pa55"));
    }
}
