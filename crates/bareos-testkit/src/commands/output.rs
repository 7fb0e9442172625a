//! Output helpers: text, typed messages and the per-mode command brackets.

use super::Session;
use crate::json::{self, Json};
use bareos_proto::Signal;
use std::io;

impl Session {
    /// Command output text: a data frame in API 0 and 1, nothing in API 2.
    pub async fn text(&mut self, text: impl AsRef<[u8]>) -> io::Result<()> {
        if self.api == 2 {
            return Ok(());
        }
        self.conn.data(text).await
    }

    async fn typed(&mut self, kind: &'static str, signal: Signal, text: String) -> io::Result<()> {
        if self.api > 0 {
            self.conn.signal(signal).await?;
        }
        if self.api == 2 {
            self.messages.push((kind, text));
            return Ok(());
        }
        self.conn.data(text).await
    }

    /// An error message (ERROR_MSG in API 1/2; collected for the JSON envelope).
    pub async fn error_msg(&mut self, text: impl Into<String>) -> io::Result<()> {
        self.typed("error", Signal::ErrorMsg, text.into()).await
    }

    /// A warning message.
    pub async fn warning_msg(&mut self, text: impl Into<String>) -> io::Result<()> {
        self.typed("warning", Signal::WarningMsg, text.into()).await
    }

    /// An info message.
    pub async fn info_msg(&mut self, text: impl Into<String>) -> io::Result<()> {
        self.typed("info", Signal::InfoMsg, text.into()).await
    }

    /// CMD_BEGIN in API 1 and 2.
    pub async fn begin(&mut self) -> io::Result<()> {
        if self.api > 0 {
            self.conn.signal(Signal::CmdBegin).await?;
        }
        Ok(())
    }

    /// CMD_OK/CMD_FAILED in API 1 and 2, then the JSON document in API 2.
    pub async fn finish(&mut self, ok: bool, result: Json) -> io::Result<()> {
        if self.api > 0 {
            let signal = if ok { Signal::CmdOk } else { Signal::CmdFailed };
            self.conn.signal(signal).await?;
        }
        if self.api == 2 {
            let has_error = self.messages.iter().any(|(kind, _)| *kind == "error");
            let doc = if ok && !has_error {
                json::success(result)
            } else {
                json::failure(result, self.messages_json())
            };
            self.conn.data(doc.dump(self.compact)).await?;
        }
        self.messages.clear();
        Ok(())
    }

    /// The collected messages grouped by kind.
    pub fn messages_json(&self) -> Json {
        let mut out: Vec<(String, Json)> = Vec::new();
        for (kind, text) in &self.messages {
            match out.iter_mut().find(|(k, _)| k == kind) {
                Some((_, Json::Arr(items))) => items.push(Json::s(text.clone())),
                _ => out.push((kind.to_string(), Json::Arr(vec![Json::s(text.clone())]))),
            }
        }
        Json::Obj(out)
    }
}
