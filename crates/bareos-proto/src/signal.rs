//! BNET signals: the negative frame headers of the Bareos protocol.

use std::fmt;

/// A protocol signal: a frame whose header is negative and that carries no payload.
///
/// Every code of the Bareos `bnet_protocol_signals.h` table has a variant; codes the
/// table does not know are kept in [`Signal::Unknown`] so they can be logged and skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// -1: end of data; ends every response in API mode 0.
    Eod,
    /// -2: end of data plus poll (daemon to daemon).
    EodPoll,
    /// -3: status request (daemon to daemon).
    Status,
    /// -4: the peer terminates the conversation.
    Terminate,
    /// -5: poll; the director's answer to any signal received at its main loop.
    Poll,
    /// -6: heartbeat.
    Heartbeat,
    /// -7: answer to a heartbeat.
    HbResponse,
    /// -8: obsolete prompt signal.
    ObsoletePrompt,
    /// -9: time request (daemon to daemon).
    Btime,
    /// -10: stop the current command (never acted upon by the director).
    Break,
    /// -11: a selection list starts (API 1).
    StartSelect,
    /// -12: a selection list ends (API 1).
    EndSelect,
    /// -13: invalid command (unused).
    InvalidCmd,
    /// -14: the command failed (API 1/2).
    CmdFailed,
    /// -15: the command succeeded (API 1/2); not the end of the response.
    CmdOk,
    /// -16: command execution starts (API 1/2).
    CmdBegin,
    /// -17: job messages are waiting (API 1/2).
    MsgsPending,
    /// -18: the director is idle at its main prompt; ends responses in API 1/2.
    MainPrompt,
    /// -19: a selection number is expected (API 1).
    SelectInput,
    /// -20: the next text is a warning.
    WarningMsg,
    /// -21: the next text is an error.
    ErrorMsg,
    /// -22: the next text is an info message.
    InfoMsg,
    /// -23: job parameters of `run` follow.
    RunCmd,
    /// -24: a yes/no answer is expected.
    YesNo,
    /// -25: restore tree mode starts.
    StartRtree,
    /// -26: restore tree mode ends.
    EndRtree,
    /// -27: the director waits for input at a sub-prompt.
    SubPrompt,
    /// -28: text input is expected (API 1).
    TextInput,
    /// A negative code this library does not know; kept as received.
    Unknown(i32),
}

/// Each signal with its code, its name in the Bareos source and what it means.
#[rustfmt::skip]
const TABLE: [(Signal, i32, &str, &str); 28] = [
    (Signal::Eod,            -1,  "BNET_EOD",          "end of data"),
    (Signal::EodPoll,        -2,  "BNET_EOD_POLL",     "end of data and poll"),
    (Signal::Status,         -3,  "BNET_STATUS",       "status request"),
    (Signal::Terminate,      -4,  "BNET_TERMINATE",    "conversation terminated"),
    (Signal::Poll,           -5,  "BNET_POLL",         "poll"),
    (Signal::Heartbeat,      -6,  "BNET_HEARTBEAT",    "heartbeat"),
    (Signal::HbResponse,     -7,  "BNET_HB_RESPONSE",  "heartbeat response"),
    (Signal::ObsoletePrompt, -8,  "BNET_xxxxxxPROMPT", "obsolete prompt"),
    (Signal::Btime,          -9,  "BNET_BTIME",        "time request"),
    (Signal::Break,          -10, "BNET_BREAK",        "stop current command"),
    (Signal::StartSelect,    -11, "BNET_START_SELECT", "start of selection list"),
    (Signal::EndSelect,      -12, "BNET_END_SELECT",   "end of selection list"),
    (Signal::InvalidCmd,     -13, "BNET_INVALID_CMD",  "invalid command"),
    (Signal::CmdFailed,      -14, "BNET_CMD_FAILED",   "command failed"),
    (Signal::CmdOk,          -15, "BNET_CMD_OK",       "command succeeded"),
    (Signal::CmdBegin,       -16, "BNET_CMD_BEGIN",    "command begins"),
    (Signal::MsgsPending,    -17, "BNET_MSGS_PENDING", "messages pending"),
    (Signal::MainPrompt,     -18, "BNET_MAIN_PROMPT",  "main prompt"),
    (Signal::SelectInput,    -19, "BNET_SELECT_INPUT", "selection input expected"),
    (Signal::WarningMsg,     -20, "BNET_WARNING_MSG",  "warning message follows"),
    (Signal::ErrorMsg,       -21, "BNET_ERROR_MSG",    "error message follows"),
    (Signal::InfoMsg,        -22, "BNET_INFO_MSG",     "info message follows"),
    (Signal::RunCmd,         -23, "BNET_RUN_CMD",      "run command parameters follow"),
    (Signal::YesNo,          -24, "BNET_YESNO",        "yes/no answer expected"),
    (Signal::StartRtree,     -25, "BNET_START_RTREE",  "restore tree mode starts"),
    (Signal::EndRtree,       -26, "BNET_END_RTREE",    "restore tree mode ends"),
    (Signal::SubPrompt,      -27, "BNET_SUB_PROMPT",   "sub-prompt, input expected"),
    (Signal::TextInput,      -28, "BNET_TEXT_INPUT",   "text input expected"),
];

impl Signal {
    /// The signal for a negative header value. Unknown codes give [`Signal::Unknown`].
    pub fn from_code(code: i32) -> Signal {
        if (-28..=-1).contains(&code) {
            TABLE[(-code - 1) as usize].0
        } else {
            Signal::Unknown(code)
        }
    }

    /// The header value of this signal as written on the wire.
    pub fn code(self) -> i32 {
        match self {
            Signal::Unknown(code) => code,
            known => TABLE
                .iter()
                .find(|entry| entry.0 == known)
                .map_or(0, |entry| entry.1),
        }
    }

    /// The Bareos source name of the signal (`BNET_EOD`, ...), or `BNET_UNKNOWN`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Unknown(_) => "BNET_UNKNOWN",
            known => TABLE[(-known.code() - 1) as usize].2,
        }
    }

    /// A short human description of the signal.
    pub fn description(self) -> &'static str {
        match self {
            Signal::Unknown(_) => "unknown signal",
            known => TABLE[(-known.code() - 1) as usize].3,
        }
    }

    /// The signal named `name` (as in the Bareos sources, e.g. `BNET_EOD`).
    pub fn from_name(name: &str) -> Option<Signal> {
        TABLE
            .iter()
            .find(|entry| entry.2 == name)
            .map(|entry| entry.0)
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in -40..0 {
            assert_eq!(Signal::from_code(code).code(), code);
        }
        assert_eq!(Signal::from_code(-1), Signal::Eod);
        assert_eq!(Signal::from_code(-18), Signal::MainPrompt);
        assert_eq!(Signal::from_code(-27), Signal::SubPrompt);
        assert_eq!(Signal::from_code(-28), Signal::TextInput);
        assert_eq!(Signal::from_code(-29), Signal::Unknown(-29));
    }

    #[test]
    fn names() {
        assert_eq!(Signal::Eod.name(), "BNET_EOD");
        assert_eq!(
            Signal::from_name("BNET_MAIN_PROMPT"),
            Some(Signal::MainPrompt)
        );
        assert_eq!(Signal::Unknown(-99).to_string(), "BNET_UNKNOWN (-99)");
    }
}
