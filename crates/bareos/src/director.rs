//! What only a Director console connection offers: prompts, API modes (JSON) and the
//! welcome. Everything else a [`Director`] shares with the file daemon client
//! ([`Session`]).

use crate::connection::ResponseEnd;
use crate::error::{DirectorFailure, Error, Kind, Result};
use crate::redact::redact_command;
use crate::reply::Reply;
use crate::session::{DirectorPeer, PeerKind, Session};
use bareos_proto::jsonrpc::{
    locate_reply, parse_reply, result_text, JsonReply, JsonReplyError, JsonReplyText,
    API2_COMPACT_COMMAND,
};
use bareos_proto::message::Welcome;
use bareos_proto::{ApiMode, ProtocolVersion, SessionState};
use serde_json::value::RawValue;
use serde_json::Value;

/// A console connection to a Bareos Director.
///
/// ```no_run
/// # async fn example() -> bareos::Result<()> {
/// use bareos::{Config, Director, Password};
/// let config = Config::new("localhost").name("admin").password(Password::new("secret"));
/// let mut director = Director::connect(config).await?;
/// println!("{}", director.call("status director").await?.text());
/// let pools = director.call_json("list pools").await?;
/// println!("{pools:#}");
/// director.close().await;
/// # Ok(())
/// # }
/// ```
pub type Director = Session<DirectorPeer>;

impl Session<DirectorPeer> {
    /// Answers the prompt the director waits at and returns the rest of the response.
    pub async fn answer(&mut self, answer: &str) -> Result<Reply> {
        let deadline = self.conn.send_answer(answer).await?;
        crate::reply::collect(&mut self.conn, deadline).await
    }

    /// Cancels the prompt the director waits at (answers `.`).
    pub async fn cancel_prompt(&mut self) -> Result<Reply> {
        self.answer(".").await
    }

    /// Switches the connection to compact JSON (API mode 2) if it is not already.
    pub async fn enable_json(&mut self) -> Result<()> {
        self.enable_json_mode().await
    }

    /// Runs a command in JSON mode and returns the whole envelope, plus any text that came
    /// before it. A JSON error envelope is returned as is, not as an `Err`.
    pub async fn call_json_reply(&mut self, command: &str) -> Result<JsonReply> {
        let reply = self.json_mode_reply(command).await?;
        parse_reply(reply.bytes()).map_err(|error| invalid_json_reply(error, command, reply))
    }

    /// Like [`Session::call_json_reply`], but returns the envelope's text as the director
    /// sent it, checked without building its tree: for a caller with its own JSON parser.
    pub async fn call_json_text(&mut self, command: &str) -> Result<JsonReplyText> {
        let reply = self.json_mode_reply(command).await?;
        locate_reply(reply.bytes()).map_err(|error| invalid_json_reply(error, command, reply))
    }

    /// The reply to `command` in JSON mode; a prompt is an error.
    async fn json_mode_reply(&mut self, command: &str) -> Result<Reply> {
        self.enable_json().await?;
        let reply = self.call(command).await?;
        if let ResponseEnd::Prompt(prompt) = reply.end() {
            let message = format!(
                "expected a JSON result, but the director stopped at a prompt: {}",
                prompt.text.trim()
            );
            return Err(Error::with_raw_reply(
                Kind::UnexpectedPrompt,
                message,
                reply.into_bytes(),
            ));
        }
        Ok(reply)
    }

    /// Runs a command in JSON mode and returns its `result`; a JSON error becomes an
    /// [`Error`] with [`Error::is_director_error`] and the director's messages.
    pub async fn call_json(&mut self, command: &str) -> Result<Value> {
        let reply = self.call_json_reply(command).await?;
        result_of(reply, command)
    }

    /// Like [`Session::call_json`], but returns the `result` as the director's JSON text,
    /// unparsed (no tree is built), for a caller that passes it on as JSON.
    pub async fn call_json_raw(&mut self, command: &str) -> Result<Box<RawValue>> {
        let reply = self.json_mode_reply(command).await?;
        if let Some(result) = result_text(reply.bytes()) {
            return Ok(result);
        }
        // An error, a null result or anything unusual: exactly what `call_json` says.
        let parsed = parse_reply(reply.bytes())
            .map_err(|error| invalid_json_reply(error, command, reply))?;
        let result = result_of(parsed, command)?;
        serde_json::value::to_raw_value(&result)
            .map_err(|error| Error::new(Kind::Protocol, format!("cannot encode a result: {error}")))
    }

    /// What the director said at login (name, version, info text).
    pub fn welcome(&self) -> &Welcome {
        self.conn.session().welcome()
    }

    /// The current API mode.
    pub fn api_mode(&self) -> ApiMode {
        self.conn.session().api_mode()
    }

    /// The console protocol version in use.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.conn.config().protocol
    }

    /// Whether the director waits for an answer to a prompt.
    pub fn at_prompt(&self) -> bool {
        self.conn.session().state() == SessionState::AwaitingInput
    }

    /// Whether the restore file-selection tree is active (for completion).
    pub fn in_restore_tree(&self) -> bool {
        self.conn.session().in_restore_tree()
    }
}

impl<P: PeerKind> Session<P> {
    /// Switches a director connection to compact JSON (API mode 2) if it is not already
    /// (at login when [`Config::json`](crate::Config::json) asks for it, and on
    /// [`Director::enable_json`]).
    pub(crate) async fn enable_json_mode(&mut self) -> Result<()> {
        if self.conn.session().api_mode() == ApiMode::Json {
            return Ok(());
        }
        let reply = self.call(API2_COMPACT_COMMAND).await?;
        if self.conn.session().api_mode() != ApiMode::Json {
            return Err(Error::director(
                format!(
                    "the director refused to switch to JSON mode (is '.api' allowed for this console?): {}",
                    reply.text().trim()
                ),
                DirectorFailure {
                    messages: vec![reply.text().trim().to_string()],
                    error: None,
                    raw: Some(reply.into_bytes()),
                },
            ));
        }
        Ok(())
    }
}

/// The `result` of an envelope, or its JSON error as an [`Error`] with
/// [`Error::is_director_error`] and the director's messages.
fn result_of(reply: JsonReply, command: &str) -> Result<Value> {
    if let Some(error) = reply.error() {
        let messages = error.error_messages();
        let text = if messages.is_empty() {
            error.message.clone()
        } else {
            messages.join("; ")
        };
        return Err(Error::director(
            format!(
                "the director reported an error for '{}': {text}",
                redact_command(command)
            ),
            DirectorFailure {
                messages,
                error: Some(error),
                raw: None,
            },
        ));
    }
    // Moved out of the envelope, not cloned: a big result is a big tree.
    Ok(match reply.envelope {
        Value::Object(mut envelope) => envelope.remove("result").unwrap_or(Value::Null),
        _ => Value::Null,
    })
}

/// The error for a JSON-mode reply that holds no envelope, naming the command.
fn invalid_json_reply(error: JsonReplyError, command: &str, reply: Reply) -> Error {
    let message = match error {
        JsonReplyError::Empty => format!(
            "expected a JSON-RPC document for '{}', got an empty reply",
            redact_command(command)
        ),
        other => format!("{other} (for '{}')", redact_command(command)),
    };
    Error::invalid_reply(message, reply.into_bytes())
}
