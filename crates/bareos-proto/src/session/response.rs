//! After the login: sending commands, reading responses frame by frame, prompts, API
//! modes and the end of the session.

use super::{ClientSession, Event, Peer, SessionError, SessionState};
use crate::command::{arg_keyword, fd_command_line, split_args, validate_command};
use crate::command_table;
use crate::frame::{encode_signal, Frame};
use crate::signal::Signal;

/// The director's API mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiMode {
    /// Human-readable text; responses end with EOD.
    #[default]
    Text,
    /// Machine text (deprecated); responses end with MAIN_PROMPT.
    Machine,
    /// JSON (API 2); responses end with MAIN_PROMPT.
    Json,
}

/// What kind of input the peer waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// A numbered selection list.
    Selection,
    /// A yes/no question.
    YesNo,
    /// The restore file-selection tree (`$ `).
    RestoreTree,
    /// Free text.
    Text,
}

/// A prompt at which the peer waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What is being asked.
    pub kind: PromptKind,
    /// The prompt line (the last data frame before the prompt signal), lossy text.
    pub text: String,
    /// The choices of an API-1 selection list (header excluded).
    pub items: Vec<String>,
}

/// How a file daemon's response to a command ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FdEndRule {
    /// Ends at EOD.
    Eod,
    /// Ends with the first frame starting with a 4-digit code.
    CodedLine,
    /// Like `CodedLine`, but `2901` (job not found) is followed by the real verdict.
    Bandwidth,
}

const LAST_DATA_KEEP: usize = 4096;

impl ClientSession {
    /// Queues a command. For a file daemon the line is split like a shell and bashed.
    pub fn send_command(&mut self, command: &str) -> Result<(), SessionError> {
        if self.state != SessionState::Idle {
            return Err(SessionError::InvalidState {
                action: "send a command",
                state: self.state,
            });
        }
        let line = match self.config.peer {
            Peer::Director => command.to_string(),
            Peer::FileDaemon => fd_command_line(command)?,
        };
        validate_command(line.as_bytes())?;
        self.reset_response();
        match self.config.peer {
            Peer::Director => {
                let args = split_args(&line);
                let command = args
                    .first()
                    .and_then(|word| command_table::resolve(arg_keyword(word)));
                self.pending_api = match command {
                    Some(c) if c.name == ".api" => requested_api_mode(&args[1..]),
                    _ => None,
                };
                if command.is_some_and(|c| c.ends_session()) {
                    self.queue(line.as_bytes());
                    self.state = SessionState::Quitting;
                    return Ok(());
                }
            }
            Peer::FileDaemon => self.fd_rule = fd_end_rule(&line),
        }
        if line.is_empty() {
            self.out.extend_from_slice(&0i32.to_be_bytes());
        } else {
            self.queue(line.as_bytes());
        }
        self.state = SessionState::Busy;
        Ok(())
    }

    /// Answers the prompt the peer waits at (`.` cancels most prompts).
    pub fn answer(&mut self, text: &str) -> Result<(), SessionError> {
        if self.state != SessionState::AwaitingInput {
            return Err(SessionError::InvalidState {
                action: "answer a prompt",
                state: self.state,
            });
        }
        validate_command(text.as_bytes())?;
        self.reset_response();
        if text.is_empty() {
            self.out.extend_from_slice(&0i32.to_be_bytes());
        } else {
            self.queue(text.as_bytes());
        }
        self.state = SessionState::Busy;
        Ok(())
    }

    /// Ends the session cleanly: `quit` to a director, TERMINATE to a file daemon.
    /// Returns whether the peer is expected to close the connection itself.
    pub fn close(&mut self) -> bool {
        match (self.state, self.config.peer) {
            (SessionState::Closed | SessionState::Quitting, _) => false,
            (SessionState::Idle, Peer::Director) => {
                self.queue(b"quit");
                self.state = SessionState::Quitting;
                true
            }
            _ => {
                encode_signal(Signal::Terminate, &mut self.out);
                self.state = SessionState::Closed;
                false
            }
        }
    }

    /// Whether an API-1 text-input prompt may be complete: the director announced
    /// TEXT_INPUT and sends no end marker for it. Call [`ClientSession::input_quiet`]
    /// when no frame arrived for a short while.
    pub fn text_input_pending(&self) -> bool {
        self.state == SessionState::Busy && self.text_input_pending
    }

    /// Declares that the peer went quiet after TEXT_INPUT: the prompt is complete.
    pub fn input_quiet(&mut self) -> Option<Prompt> {
        if !self.text_input_pending() {
            return None;
        }
        self.state = SessionState::AwaitingInput;
        Some(self.prompt())
    }

    fn reset_response(&mut self) {
        self.text_input_pending = false;
        self.selecting = false;
        self.select_items.clear();
        self.last_data.clear();
        self.signals_seen.clear();
    }

    fn prompt(&mut self) -> Prompt {
        let text = String::from_utf8_lossy(&self.last_data).into_owned();
        let kind = if self.in_tree && text.trim_end() == "$" {
            PromptKind::RestoreTree
        } else if self.signals_seen.contains(&Signal::SelectInput)
            || self.signals_seen.contains(&Signal::StartSelect)
        {
            PromptKind::Selection
        } else if self.signals_seen.contains(&Signal::YesNo) {
            PromptKind::YesNo
        } else {
            classify_prompt(&text)
        };
        let items = std::mem::take(&mut self.select_items);
        self.text_input_pending = false;
        self.signals_seen.clear();
        Prompt { kind, text, items }
    }

    pub(super) fn handle_response(&mut self, frame: Frame) -> Result<Event, SessionError> {
        let signal = match frame {
            Frame::Data(data) if data.is_empty() => return Ok(Event::Continue),
            Frame::Data(data) => return Ok(self.response_data(data)),
            Frame::Signal(signal) => signal,
        };
        if self.config.peer == Peer::FileDaemon {
            return match signal {
                Signal::Eod => self.end(signal),
                // The file daemon ends the session after an unknown or failed command
                // (its reply, e.g. `2999 Invalid command`, came first): that ends this
                // response and the session, it is not a lost connection.
                Signal::Terminate => {
                    self.state = SessionState::Closed;
                    Ok(Event::Closed)
                }
                other => Ok(Event::Signal(other)),
            };
        }
        match signal {
            Signal::Eod => {
                if self.pending_api.is_some() {
                    self.api = ApiMode::Text;
                }
                self.end(signal)
            }
            Signal::MainPrompt => {
                if let Some(mode) = self.pending_api {
                    self.api = mode;
                }
                self.end(signal)
            }
            Signal::SubPrompt => {
                self.state = SessionState::AwaitingInput;
                Ok(Event::Prompt(self.prompt()))
            }
            Signal::Terminate => self.fail(SessionError::ConnectionClosed {
                peer_short: "director",
                during: "in the middle of a response",
            }),
            other => {
                match other {
                    Signal::TextInput => self.text_input_pending = true,
                    Signal::StartSelect => {
                        self.selecting = true;
                        self.select_items.clear();
                    }
                    Signal::EndSelect => {
                        self.selecting = false;
                        // The first frame after START_SELECT is the header.
                        if !self.select_items.is_empty() {
                            self.select_items.remove(0);
                        }
                    }
                    Signal::StartRtree => self.in_tree = true,
                    Signal::EndRtree => self.in_tree = false,
                    _ => {}
                }
                self.signals_seen.push(other);
                Ok(Event::Signal(other))
            }
        }
    }

    fn response_data(&mut self, data: Vec<u8>) -> Event {
        if self.selecting {
            self.select_items
                .push(String::from_utf8_lossy(&data).trim_end().to_string());
        }
        if data.len() <= LAST_DATA_KEEP {
            self.last_data.clear();
            self.last_data.extend_from_slice(&data);
        } else {
            self.last_data.clear();
        }
        if self.config.peer == Peer::FileDaemon && self.fd_line_ends(&data) {
            self.state = SessionState::Idle;
            return Event::FinalData(data);
        }
        Event::Data(data)
    }

    fn fd_line_ends(&self, data: &[u8]) -> bool {
        let coded = data.len() >= 4 && data[..4].iter().all(u8::is_ascii_digit);
        match self.fd_rule {
            FdEndRule::Eod => false,
            FdEndRule::CodedLine => coded,
            FdEndRule::Bandwidth => coded && !data.starts_with(b"2901"),
        }
    }

    fn end(&mut self, signal: Signal) -> Result<Event, SessionError> {
        self.state = SessionState::Idle;
        self.pending_api = None;
        self.text_input_pending = false;
        Ok(Event::End(signal))
    }
}

/// The API mode a `.api` command with these arguments switches to, as `DotApiCmd`
/// (`core/src/dird/ua_dotcmds.cc`) reads them; `None` when the director refuses them.
fn requested_api_mode(args: &[String]) -> Option<ApiMode> {
    if args.len() > 2 {
        return None;
    }
    let Some(first) = args.first() else {
        return Some(ApiMode::Machine);
    };
    match arg_keyword(first).to_ascii_lowercase().as_str() {
        "0" | "off" => Some(ApiMode::Text),
        "1" | "on" => Some(ApiMode::Machine),
        "2" | "json" => Some(ApiMode::Json),
        _ => None,
    }
}

/// Which end rule a file daemon command follows (PROTOCOL section 9.2).
fn fd_end_rule(line: &str) -> FdEndRule {
    let word = line.split(' ').next().unwrap_or("");
    if ["status", ".status", "cancel", "estimate"]
        .iter()
        .any(|known| word.starts_with(known))
    {
        FdEndRule::Eod
    } else if word.starts_with("setbandwidth") {
        FdEndRule::Bandwidth
    } else {
        FdEndRule::CodedLine
    }
}

/// Guesses what a text prompt asks for from its wording.
pub fn classify_prompt(text: &str) -> PromptKind {
    let line = text.trim_end();
    let lower = line.to_ascii_lowercase();
    if line == "$" {
        PromptKind::RestoreTree
    } else if lower.contains("(yes/mod/no)")
        || lower.contains("(yes/no)")
        || lower.ends_with("yes/no:")
    {
        PromptKind::YesNo
    } else if is_selection_range(line) {
        PromptKind::Selection
    } else {
        PromptKind::Text
    }
}

/// `... (1-N):` at the end of a line.
fn is_selection_range(line: &str) -> bool {
    let Some(body) = line.strip_suffix("):") else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let range = &body[open + 1..];
    let Some((low, high)) = range.split_once('-') else {
        return false;
    };
    !low.is_empty()
        && !high.is_empty()
        && low.bytes().all(|b| b.is_ascii_digit())
        && high.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{data, file_daemon_at_hello, frames, idle_director};
    use super::super::*;
    use crate::cram::AUTH_OK;

    #[test]
    fn command_phase_api0_and_api2() {
        let mut session = idle_director();
        session.send_command("whoami").unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"whoami")]);
        assert!(session.send_command("again").is_err());
        assert_eq!(
            session.handle_frame(data(b"admin\n")),
            Ok(Event::Data(b"admin\n".to_vec()))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Eod)),
            Ok(Event::End(Signal::Eod))
        );

        session.send_command(".api 2 compact=yes").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::CmdOk)).unwrap();
        session
            .handle_frame(data(br#"{"result":{"api":2}}"#))
            .unwrap();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        assert_eq!(session.api_mode(), ApiMode::Json);

        session.send_command("foo").unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::ErrorMsg)),
            Ok(Event::Signal(Signal::ErrorMsg))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::MainPrompt)),
            Ok(Event::End(Signal::MainPrompt))
        );
        session.send_command(".api 0").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);

        assert!(session.close());
        assert_eq!(frames(&session.take_output()), [data(b"quit")]);
        assert_eq!(session.handle_eof(), Ok(Event::Closed));
    }

    #[test]
    fn abbreviated_commands_resolve_as_the_director_does() {
        for quit in ["q", "qu", "QUIT", "ex", ".q", "\"quit\"", "  quit  "] {
            let mut session = idle_director();
            session.send_command(quit).unwrap();
            assert_eq!(session.state(), SessionState::Quitting, "{quit}");
        }
        for other in ["que", "query", "e", "status", "quitx"] {
            let mut session = idle_director();
            session.send_command(other).unwrap();
            assert_eq!(session.state(), SessionState::Busy, "{other}");
        }

        let mut session = idle_director();
        session.send_command(".ap 2").unwrap();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        assert_eq!(session.api_mode(), ApiMode::Json);
        session.send_command(".api 0 compact=yes").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);
        session.send_command(".a 2").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text, ".a is .actiononpurge");
        session.send_command(".api bogus").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);
    }

    #[test]
    fn prompts() {
        let mut session = idle_director();
        session.send_command("status client").unwrap();
        session.take_output();
        session
            .handle_frame(data(b"The defined Client resources are:\n"))
            .unwrap();
        session
            .handle_frame(data(b"     1: bareos-fd\n     2: other-fd\n"))
            .unwrap();
        session
            .handle_frame(data(b"Select Client (File daemon) resource (1-2): "))
            .unwrap();
        let Event::Prompt(prompt) = session
            .handle_frame(Frame::Signal(Signal::SubPrompt))
            .unwrap()
        else {
            panic!("no prompt")
        };
        assert_eq!(prompt.kind, PromptKind::Selection);
        assert_eq!(session.state(), SessionState::AwaitingInput);
        session.answer("1").unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"1")]);
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();

        // API 1: TEXT_INPUT announces a prompt without an end signal.
        session.send_command(".api 1").unwrap();
        session.take_output();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        session.send_command("delete volume").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::YesNo)).unwrap();
        session
            .handle_frame(Frame::Signal(Signal::TextInput))
            .unwrap();
        session
            .handle_frame(data(b"Are you sure? (yes/no): "))
            .unwrap();
        assert!(session.text_input_pending());
        let prompt = session.input_quiet().unwrap();
        assert_eq!(prompt.kind, PromptKind::YesNo);
        session.answer(".").unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::MainPrompt)),
            Ok(Event::End(Signal::MainPrompt))
        );

        session.send_command("status client").unwrap();
        session.take_output();
        for frame in [
            Frame::Signal(Signal::StartSelect),
            data(b"The defined Client resources are:\n"),
            data(b"bareos-fd"),
            data(b"other-fd"),
            Frame::Signal(Signal::EndSelect),
            Frame::Signal(Signal::SelectInput),
            Frame::Signal(Signal::TextInput),
            data(b"Select Client (File daemon) resource (1-2): "),
        ] {
            session.handle_frame(frame).unwrap();
        }
        let prompt = session.input_quiet().unwrap();
        assert_eq!(prompt.kind, PromptKind::Selection);
        assert_eq!(prompt.items, ["bareos-fd", "other-fd"]);
    }

    #[test]
    fn file_daemon_rules() {
        let mut config = SessionConfig::file_daemon("bareos-dir", Password::new("secret"));
        config.challenge_random = 3333333333;
        config.unix_time = 1755750001;
        let mut session = ClientSession::new(config);
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Hello Director bareos-dir calling\n")]
        );
        session
            .handle_frame(data(
                b"auth cram-md5 <1804289383.1755750000@R_CLIENT::bareos-fd> ssl=2\n",
            ))
            .unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"ChhfCm/q65g5E8I1J4YLsB")]
        );
        session.handle_frame(data(AUTH_OK)).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(
                b"auth cram-md5 <3333333333.1755750001@R_DIRECTOR::bareos-dir> ssl=0\n"
            )]
        );
        session
            .handle_frame(data(b"OT4chFJkn5/RGzwpK7JkSC\0"))
            .unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(data(b"2000 OK Hello 54\n")),
            Ok(Event::LoggedIn)
        );

        session.send_command("status").unwrap();
        session.take_output();
        session.handle_frame(data(b"\n")).unwrap();
        session
            .handle_frame(data(b"2000 lines can appear in status\n"))
            .unwrap();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Eod)),
            Ok(Event::End(Signal::Eod))
        );

        session.send_command("setbandwidth=100 Job=x").unwrap();
        session.take_output();
        assert!(matches!(
            session.handle_frame(data(b"2901 Job x not found.\n")),
            Ok(Event::Data(_))
        ));
        assert!(matches!(
            session.handle_frame(data(b"2000 OK Bandwidth\n")),
            Ok(Event::FinalData(_))
        ));

        session
            .send_command(r#"Run When=2 Command="echo hi""#)
            .unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Run When=2 Command=echo\x01hi")]
        );
        assert!(matches!(
            session.handle_frame(data(b"2000 OK RunScript\n")),
            Ok(Event::FinalData(_))
        ));

        assert!(!session.close());
        assert_eq!(session.take_output(), [0xff, 0xff, 0xff, 0xfc]);
    }

    #[test]
    fn file_daemon_ending_the_session_ends_the_response() {
        let mut session = file_daemon_at_hello();
        session.handle_frame(data(b"2000 OK Hello 54\n")).unwrap();
        session.send_command("estimate listing=0").unwrap();
        assert_eq!(
            session.handle_frame(data(b"2999 Invalid command\n")),
            Ok(Event::Data(b"2999 Invalid command\n".to_vec()))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Terminate)),
            Ok(Event::Closed)
        );
        assert_eq!(session.state(), SessionState::Closed);
        assert!(session.send_command("status").is_err());
    }

    #[test]
    fn classify() {
        assert_eq!(
            classify_prompt("Select Job resource (1-3): "),
            PromptKind::Selection
        );
        assert_eq!(
            classify_prompt("OK to run? (yes/mod/no): "),
            PromptKind::YesNo
        );
        assert_eq!(classify_prompt("$ "), PromptKind::RestoreTree);
        assert_eq!(
            classify_prompt("Enter new maximum (zero for unlimited): "),
            PromptKind::Text
        );
    }
}
