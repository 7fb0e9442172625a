//! The login: hello, CRAM-MD5 both ways, the welcome (or file daemon hello) and PAM.

use super::{ClientSession, Event, PamCredentials, Peer, SessionError, SessionState};
use crate::base64::Base64Variant;
use crate::cram::{self, Challenge, AUTH_FAILED, AUTH_OK, NOT_AUTHORIZED};
use crate::error::ProtocolError;
use crate::frame::Frame;
use crate::hello::{ProtocolVersion, DEFAULT_CONSOLE, FD_HELLO_OK};
use crate::message::{ids, ResponseMessage, Welcome};
use crate::signal::Signal;
use zeroize::Zeroize;

/// Where a login stands: what the session waits for next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginStep {
    /// The peer's CRAM-MD5 challenge, after our hello.
    Challenge,
    /// The peer's verdict on our answer to its challenge.
    AuthVerdict,
    /// The peer's answer to our own challenge.
    PeerAnswer,
    /// A file daemon's `2000 OK Hello`.
    FdHello,
    /// A director's welcome (`1000`), or its request for PAM credentials (`1001`).
    Welcome,
    /// The director's verdict on the PAM credentials, or its welcome after a PAM
    /// conversation that succeeded.
    PamResult,
    /// In the PAM conversation: the style byte of the director's next PAM message, or
    /// `PAM_SUCCESS`.
    PamStyle,
    /// In the PAM conversation: the text after a style byte.
    PamText,
    /// In the PAM conversation: the director waits for the answer to
    /// [`ClientSession::pam_prompt`] (or, for an echo-on text, may not wait at all).
    PamAnswer,
    /// In the PAM conversation: the empty text after `PAM_SUCCESS`.
    PamSuccess,
    /// The director's info message (`1002`) after a protocol 2 welcome.
    Info,
}

impl ClientSession {
    /// The peer closed the connection (EOF) during the login, at `step`.
    pub(super) fn login_ended(&mut self, step: LoginStep) -> Result<Event, SessionError> {
        let (peer, peer_short) = self.names();
        let name = self.config.name.clone();
        match step {
            LoginStep::Challenge => self.fail(SessionError::RejectedBeforeAuthentication {
                peer,
                peer_short,
                name,
            }),
            LoginStep::PamResult => match self.config.pam.as_ref() {
                Some(pam) => {
                    let username = pam.username.clone();
                    self.fail(SessionError::PamFailed { username })
                }
                None => self.fail(SessionError::PamConversationFailed),
            },
            LoginStep::PamStyle
            | LoginStep::PamText
            | LoginStep::PamAnswer
            | LoginStep::PamSuccess => self.fail(SessionError::PamConversationFailed),
            LoginStep::Welcome => self.fail(SessionError::NotAuthorized { name }),
            _ => self.fail(SessionError::ConnectionClosed {
                peer_short,
                during: "during login",
            }),
        }
    }

    /// A frame that is not the `expected` verdict: the peer's refusal of our password
    /// (`1999`/`2999`), or a protocol error.
    fn refused_or_unexpected(
        &mut self,
        payload: &[u8],
        expected: &'static str,
    ) -> Result<Event, SessionError> {
        if payload.starts_with(b"1999") || payload.starts_with(b"2999") {
            let (peer, peer_short) = self.names();
            let name = self.config.name.clone();
            self.fail(SessionError::WrongPassword {
                peer,
                peer_short,
                name,
            })
        } else {
            self.fail(ProtocolError::unexpected(expected, payload).into())
        }
    }

    pub(super) fn handle_login(
        &mut self,
        step: LoginStep,
        frame: Frame,
    ) -> Result<Event, SessionError> {
        let (peer, peer_short) = self.names();
        let name = self.config.name.clone();
        let payload = match frame {
            Frame::Data(payload) if payload.is_empty() => return Ok(Event::Continue),
            Frame::Data(payload) => payload,
            Frame::Signal(Signal::Terminate) => {
                return match step {
                    LoginStep::Challenge => self.fail(SessionError::RejectedBeforeAuthentication {
                        peer,
                        peer_short,
                        name,
                    }),
                    LoginStep::PamResult
                    | LoginStep::PamStyle
                    | LoginStep::PamText
                    | LoginStep::PamAnswer
                    | LoginStep::PamSuccess => self.login_ended(step),
                    _ => self.fail(SessionError::ConnectionClosed {
                        peer_short,
                        during: "during login",
                    }),
                };
            }
            Frame::Signal(_) => return Ok(Event::Continue),
        };
        match step {
            LoginStep::Challenge => {
                if payload == NOT_AUTHORIZED {
                    return self.fail(SessionError::NotAuthorized { name });
                }
                let challenge = match Challenge::parse(&payload) {
                    Ok(challenge) => challenge,
                    Err(error) => return self.fail(error.into()),
                };
                let answer = cram::answer(
                    &self.config.password,
                    &challenge.token,
                    Base64Variant::Legacy,
                );
                self.queue(answer.as_bytes());
                self.state = SessionState::Login(LoginStep::AuthVerdict);
                Ok(Event::Continue)
            }
            LoginStep::AuthVerdict => {
                if payload == AUTH_OK {
                    let line = Challenge {
                        token: self.own_token.clone(),
                        tls_policy: Some(0),
                        answer_variant: Base64Variant::Legacy,
                    }
                    .to_line();
                    self.queue(&line);
                    self.state = SessionState::Login(LoginStep::PeerAnswer);
                    Ok(Event::Continue)
                } else {
                    self.refused_or_unexpected(&payload, "\"1000 OK auth\"")
                }
            }
            LoginStep::PeerAnswer => {
                if !cram::verify(&self.config.password, &self.own_token, &payload) {
                    self.queue(AUTH_FAILED);
                    return self.fail(SessionError::PeerNotAuthenticated { peer_short });
                }
                self.queue(AUTH_OK);
                self.state = SessionState::Login(match self.config.peer {
                    Peer::Director => LoginStep::Welcome,
                    Peer::FileDaemon => LoginStep::FdHello,
                });
                Ok(Event::Continue)
            }
            LoginStep::FdHello => {
                if payload.starts_with(FD_HELLO_OK) {
                    self.welcome = Welcome {
                        text: String::from_utf8_lossy(&payload).trim_end().to_string(),
                        ..Welcome::default()
                    };
                    self.logged_in()
                } else {
                    self.refused_or_unexpected(&payload, "\"2000 OK Hello\"")
                }
            }
            LoginStep::Welcome | LoginStep::PamResult => self.handle_welcome(step, &payload),
            LoginStep::PamStyle
            | LoginStep::PamText
            | LoginStep::PamAnswer
            | LoginStep::PamSuccess => self.handle_pam(step, &payload),
            LoginStep::Info => {
                let message = match ResponseMessage::parse(&payload) {
                    Ok(message) if message.id == ids::INFO_MESSAGE => message,
                    _ => {
                        return self.fail(
                            ProtocolError::unexpected("an info message \"1002<RS>...\"", &payload)
                                .into(),
                        )
                    }
                };
                self.welcome.info = Some(message.text());
                self.logged_in()
            }
        }
    }

    fn handle_welcome(&mut self, step: LoginStep, payload: &[u8]) -> Result<Event, SessionError> {
        let name = self.config.name.clone();
        if payload == NOT_AUTHORIZED {
            return self.fail(SessionError::NotAuthorized { name });
        }
        let message = match ResponseMessage::parse(payload) {
            Ok(message) => message,
            Err(_) => {
                return self.fail(
                    ProtocolError::unexpected("a welcome \"1000<RS>OK: ...\"", payload).into(),
                )
            }
        };
        match message.id {
            ids::OK => {
                if step == LoginStep::Welcome
                    && self.config.pam.is_some()
                    && self.config.name != DEFAULT_CONSOLE
                {
                    return self.fail(SessionError::PamNotConfigured { name });
                }
                self.welcome = Welcome::parse(&message.text());
                // Protocol 1 ends with the plain-text welcome; protocol 2 sends 1002 next.
                if self.config.protocol == ProtocolVersion::V2 && payload.get(4) == Some(&0x1e) {
                    self.state = SessionState::Login(LoginStep::Info);
                    Ok(Event::Continue)
                } else {
                    self.logged_in()
                }
            }
            ids::PAM_REQUIRED if step == LoginStep::Welcome => {
                if self.config.pam.is_none() && !self.config.pam_interactive {
                    return self.fail(SessionError::PamRequired { name });
                }
                if !self.config.encrypted && !self.config.allow_cleartext_pam {
                    return self.fail(SessionError::PamOverCleartext);
                }
                // An empty user or password would make the director start the
                // conversation anyway; only ask for it when the caller can answer.
                let direct = self.config.pam.clone().filter(|pam| pam.is_complete());
                match direct {
                    Some(pam) => self.send_pam_credentials(&pam),
                    None if !self.config.pam_interactive => self.fail(
                        ProtocolError::InvalidInput {
                            what: "PAM credentials",
                            reason: "the user name and the password must not be empty",
                        }
                        .into(),
                    ),
                    None => {
                        let request = ResponseMessage::encode(ids::PAM_INTERACTIVE, &[])
                            .expect("no fields to check");
                        self.queue(&request);
                        self.state = SessionState::Login(LoginStep::PamStyle);
                        Ok(Event::Continue)
                    }
                }
            }
            ids::NOT_AUTHORIZED => self.fail(SessionError::NotAuthorized { name }),
            _ => self
                .fail(ProtocolError::unexpected("a welcome \"1000<RS>OK: ...\"", payload).into()),
        }
    }

    /// Direct PAM credentials: `4002<RS>user<RS>password`.
    fn send_pam_credentials(&mut self, pam: &PamCredentials) -> Result<Event, SessionError> {
        let credentials = ResponseMessage::encode(
            ids::PAM_USER_CREDENTIALS,
            &[pam.username.as_bytes(), pam.password.as_bytes()],
        );
        let mut credentials = match credentials {
            Ok(bytes) if bytes.len() <= crate::frame::MAX_MESSAGE_LEN => bytes,
            Ok(mut bytes) => {
                bytes.zeroize();
                return self.fail(
                    ProtocolError::InvalidInput {
                        what: "PAM credentials",
                        reason: "they are longer than one frame (999996 bytes)",
                    }
                    .into(),
                );
            }
            Err(error) => return self.fail(error.into()),
        };
        self.queue(&credentials);
        credentials.zeroize();
        self.state = SessionState::Login(LoginStep::PamResult);
        Ok(Event::Continue)
    }

    fn logged_in(&mut self) -> Result<Event, SessionError> {
        self.state = SessionState::Idle;
        Ok(Event::LoggedIn)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{data, file_daemon_at_hello, frames, login, welcome_alice};
    use super::super::*;
    use crate::cram::{AUTH_FAILED, AUTH_OK};

    #[test]
    fn console_login_v2() {
        let mut config = SessionConfig::console("admin", Password::new("secret"));
        config.challenge_random = 2222222222;
        config.unix_time = 1700000001;
        let mut session = ClientSession::new(config.clone());
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Hello admin calling version 25.1.1\n")]
        );
        let mut session = login(config);
        assert_eq!(
            session.handle_frame(data(
                b"1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)"
            )),
            Ok(Event::Continue)
        );
        assert_eq!(
            session.handle_frame(data(b"1002\x1eYou are logged in as: admin")),
            Ok(Event::LoggedIn)
        );
        assert_eq!(session.welcome().director, "bareos-dir");
        assert_eq!(
            session.welcome().info.as_deref(),
            Some("You are logged in as: admin")
        );
        assert_eq!(session.state(), SessionState::Idle);
    }

    #[test]
    fn own_challenge_matches_spec() {
        let mut config = SessionConfig::console("admin", Password::new("secret"));
        config.challenge_random = 2222222222;
        config.unix_time = 1700000001;
        let mut session = ClientSession::new(config);
        session.take_output();
        session
            .handle_frame(data(b"auth cram-md5 <1.2@R_DIRECTOR::d> ssl=0\n"))
            .unwrap();
        session.take_output();
        session.handle_frame(data(AUTH_OK)).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(
                b"auth cram-md5 <2222222222.1700000001@R_CONSOLE::admin> ssl=0\n"
            )]
        );
        // The spec's director answer (legacy + NUL) is accepted.
        session
            .handle_frame(data(b"T70NVW1RV1+Yh7/91H/FCD\0"))
            .unwrap();
        assert_eq!(frames(&session.take_output()), [data(AUTH_OK)]);
    }

    #[test]
    fn impostor_and_wrong_password() {
        let config = SessionConfig::console("admin", Password::new("secret"));
        let mut session = ClientSession::new(config.clone());
        session
            .handle_frame(data(b"auth cram-md5 <1.2@x> ssl=0\n"))
            .unwrap();
        let err = session.handle_frame(data(AUTH_FAILED)).unwrap_err();
        assert!(matches!(err, SessionError::WrongPassword { .. }), "{err}");
        assert!(err.to_string().contains("console 'admin'"));

        let mut session = ClientSession::new(config);
        session
            .handle_frame(data(b"auth cram-md5 <1.2@x> ssl=0\n"))
            .unwrap();
        session.handle_frame(data(AUTH_OK)).unwrap();
        session.take_output();
        let err = session
            .handle_frame(data(b"AAAAAAAAAAAAAAAAAAAAAA\0"))
            .unwrap_err();
        assert!(matches!(err, SessionError::PeerNotAuthenticated { .. }));
        assert_eq!(frames(&session.take_output()), [data(AUTH_FAILED)]);
        assert_eq!(session.state(), SessionState::Closed);
    }

    #[test]
    fn rejected_before_auth() {
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        let err = session
            .handle_frame(Frame::Signal(Signal::Terminate))
            .unwrap_err();
        assert!(matches!(
            err,
            SessionError::RejectedBeforeAuthentication { .. }
        ));
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        assert!(session.handle_eof().is_err());
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        let err = session.handle_frame(data(b"garbage")).unwrap_err();
        assert!(
            err.to_string().contains("expected a CRAM-MD5 challenge"),
            "{err}"
        );
    }

    #[test]
    fn pam_rules() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        let mut session = login(config.clone());
        let err = session.handle_frame(data(b"1001\x1e")).unwrap_err();
        assert!(matches!(err, SessionError::PamRequired { .. }));

        config.pam = Some(PamCredentials::new("alice", "pa55"));
        config.encrypted = false;
        let mut session = login(config.clone());
        assert_eq!(
            session.handle_frame(data(b"1001\x1e")).unwrap_err(),
            SessionError::PamOverCleartext
        );
        assert!(!session.has_output());

        config.encrypted = true;
        let mut session = login(config.clone());
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"4002\x1ealice\x1epa55")]
        );
        let err = session.handle_eof().unwrap_err();
        assert!(err
            .to_string()
            .contains("PAM authentication failed for user 'alice'"));

        let mut session = login(config.clone());
        session.handle_frame(data(b"1001\x1e")).unwrap();
        welcome_alice(&mut session);

        let mut session = login(config);
        let err = session
            .handle_frame(data(b"1000\x1eOK: d Version: 1 (x)"))
            .unwrap_err();
        assert!(matches!(err, SessionError::PamNotConfigured { .. }));
        assert!(!format!("{err:?}").contains("pa55"));
    }

    #[test]
    fn oversized_pam_credentials_are_an_error() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam = Some(PamCredentials::new("u", "x".repeat(1_100_000)));
        let mut session = login(config);
        let err = session.handle_frame(data(b"1001\x1e")).unwrap_err();
        assert!(err.to_string().contains("PAM credentials"), "{err}");
        assert!(!session.has_output());
    }

    #[test]
    fn protocol_v1_welcome() {
        let mut config = SessionConfig::console("*UserAgent*", Password::new("p"));
        config.protocol = ProtocolVersion::V1;
        let mut session = login(config);
        assert_eq!(
            session.handle_frame(data(
                b"1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n"
            )),
            Ok(Event::LoggedIn)
        );
        assert_eq!(session.welcome().version, "25.0.0");
    }

    #[test]
    fn state_names_the_login_step() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam = Some(PamCredentials::new("alice", "pa55"));
        let mut session = ClientSession::new(config.clone());
        assert_eq!(session.state(), SessionState::Login(LoginStep::Challenge));
        let err = session.send_command("status").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot send a command while the session is logging in"
        );
        session
            .handle_frame(data(b"auth cram-md5 <1.2@R_DIRECTOR::d> ssl=0\n"))
            .unwrap();
        assert_eq!(session.state(), SessionState::Login(LoginStep::AuthVerdict));
        session.handle_frame(data(AUTH_OK)).unwrap();
        assert_eq!(session.state(), SessionState::Login(LoginStep::PeerAnswer));

        let mut session = login(config);
        assert_eq!(session.state(), SessionState::Login(LoginStep::Welcome));
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(session.state(), SessionState::Login(LoginStep::PamResult));
        session
            .handle_frame(data(b"1000\x1eOK: d Version: 1 (x)"))
            .unwrap();
        assert_eq!(session.state(), SessionState::Login(LoginStep::Info));
        session.handle_frame(data(b"1002\x1einfo")).unwrap();
        assert_eq!(session.state(), SessionState::Idle);

        let session = file_daemon_at_hello();
        assert_eq!(session.state(), SessionState::Login(LoginStep::FdHello));
    }
}
