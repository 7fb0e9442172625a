//! The client session state machine fed arbitrary server frames.
//!
//! The first byte chooses the setup: bit 0 director or file daemon, bit 1 protocol 1 or
//! 2, bit 2 PAM credentials, bit 3 a correct login played first by this target (so the
//! fuzzer reaches the command phase: it cannot forge the CRAM-MD5 answer itself). The
//! rest is the server's byte stream. Commands are sent whenever the session is idle,
//! prompts are answered; the session must never panic, and must never produce output
//! in the states where it has nothing to say.
#![no_main]

use bareos_proto::base64::Base64Variant;
use bareos_proto::cram::{self, Challenge, AUTH_OK};
use bareos_proto::{
    ClientSession, Frame, FrameDecoder, PamCredentials, Password, Peer, ProtocolVersion,
    SessionConfig, SessionState,
};
use libfuzzer_sys::fuzz_target;

const COMMANDS: [&str; 4] = [
    "version",
    ".api 2 compact=yes",
    "status",
    "list files jobid=1",
];

/// Plays the director's side of a correct CRAM-MD5 exchange.
fn login(session: &mut ClientSession, password: &Password) -> bool {
    let token = "<1234567890.1700000000@R_DIRECTOR::bareos-dir>";
    session.take_output();
    let line = format!("auth cram-md5 {token} ssl=0\n").into_bytes();
    if session.handle_frame(Frame::Data(line)).is_err() {
        return false;
    }
    let mut decoder = FrameDecoder::new();
    decoder.push(&session.take_output());
    if !matches!(decoder.next_frame(), Ok(Some(_))) {
        return false;
    }
    if session.handle_frame(Frame::Data(AUTH_OK.to_vec())).is_err() {
        return false;
    }
    decoder.push(&session.take_output());
    let Ok(Some(line)) = decoder.next_frame() else {
        return false;
    };
    let Some(Ok(challenge)) = line.data().map(Challenge::parse) else {
        return false;
    };
    let reply = cram::answer(password, &challenge.token, Base64Variant::Legacy) + "\0";
    session
        .handle_frame(Frame::Data(reply.into_bytes()))
        .is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&setup, wire)) = data.split_first() else {
        return;
    };
    let password = Password::new("secret");
    let mut config = if setup & 1 == 0 {
        SessionConfig::console("admin", password.clone())
    } else {
        SessionConfig::file_daemon("bareos-dir", password.clone())
    };
    if setup & 2 != 0 {
        config.protocol = ProtocolVersion::V1;
    }
    if setup & 4 != 0 {
        config.pam = Some(PamCredentials::new("user", "pam-password"));
    }
    config.encrypted = true;
    let mut session = ClientSession::new(config);
    if setup & 8 != 0 && !login(&mut session, &password) {
        return;
    }
    let mut decoder = FrameDecoder::new();
    decoder.push(wire);
    let mut commands = COMMANDS.iter().cycle().take(64);
    loop {
        session.take_output();
        match session.state() {
            SessionState::Idle => {
                let Some(command) = commands.next() else {
                    return;
                };
                if session.peer() == Peer::Director || !command.starts_with('.') {
                    let _ = session.send_command(command);
                }
            }
            SessionState::AwaitingInput => {
                let _ = session.answer("yes");
            }
            SessionState::Closed => return,
            _ => {}
        }
        session.take_output();
        let frame = match decoder.next_frame() {
            Ok(Some(frame)) => frame,
            Ok(None) => {
                let _ = session.handle_eof();
                return;
            }
            Err(_) => return,
        };
        if session.handle_frame(frame).is_err() {
            // A failed session may still say goodbye, then stays failed.
            session.take_output();
            return;
        }
        if session.text_input_pending() {
            let _ = session.input_quiet();
        }
    }
});
