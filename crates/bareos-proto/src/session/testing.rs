//! Frame helpers and a scripted login shared by the session tests.

use super::{ClientSession, SessionConfig};
use crate::base64::Base64Variant;
use crate::cram::{self, Challenge, AUTH_OK};
use crate::frame::{Frame, FrameDecoder};
use crate::password::Password;

pub(super) fn frames(bytes: &[u8]) -> Vec<Frame> {
    let mut decoder = FrameDecoder::new();
    decoder.push(bytes);
    std::iter::from_fn(|| decoder.next_frame().unwrap()).collect()
}

pub(super) fn data(text: &[u8]) -> Frame {
    Frame::Data(text.to_vec())
}

pub(super) fn login(config: SessionConfig) -> ClientSession {
    let password = config.password.clone();
    let mut session = ClientSession::new(config);
    session.take_output();
    let token = "<1234567890.1700000000@R_DIRECTOR::bareos-dir>";
    session
        .handle_frame(data(format!("auth cram-md5 {token} ssl=2\n").as_bytes()))
        .unwrap();
    let out = frames(&session.take_output());
    assert_eq!(
        out,
        [data(
            cram::answer(&password, token, Base64Variant::Legacy).as_bytes()
        )]
    );
    session.handle_frame(data(AUTH_OK)).unwrap();
    let out = frames(&session.take_output());
    let challenge = Challenge::parse(out[0].data().unwrap()).unwrap();
    let answer = cram::answer(&password, &challenge.token, Base64Variant::Legacy) + "\0";
    session.handle_frame(data(answer.as_bytes())).unwrap();
    assert_eq!(frames(&session.take_output()), [data(AUTH_OK)]);
    session
}

pub(super) fn idle_director() -> ClientSession {
    let mut session = login(SessionConfig::console("admin", Password::new("secret")));
    session
        .handle_frame(data(b"1000\x1eOK: d Version: 25.0.0 (x)"))
        .unwrap();
    session.handle_frame(data(b"1002\x1einfo")).unwrap();
    session
}

/// The welcome after PAM, ending the login as `alice`.
pub(super) fn welcome_alice(session: &mut ClientSession) {
    session
        .handle_frame(data(b"1000\x1eOK: d Version: 1 (x)"))
        .unwrap();
    assert_eq!(
        session.handle_frame(data(b"1002\x1eYou are logged in as: alice")),
        Ok(super::Event::LoggedIn)
    );
}

/// A file daemon session whose CRAM-MD5 exchange (recorded values) is done: it waits
/// for the `2000 OK Hello`.
pub(super) fn file_daemon_at_hello() -> ClientSession {
    let mut config = SessionConfig::file_daemon("bareos-dir", Password::new("secret"));
    config.challenge_random = 3333333333;
    config.unix_time = 1755750001;
    let mut session = ClientSession::new(config);
    session
        .handle_frame(data(
            b"auth cram-md5 <1804289383.1755750000@R_CLIENT::bareos-fd> ssl=2\n",
        ))
        .unwrap();
    session.handle_frame(data(AUTH_OK)).unwrap();
    session
        .handle_frame(data(b"OT4chFJkn5/RGzwpK7JkSC\0"))
        .unwrap();
    session
}
