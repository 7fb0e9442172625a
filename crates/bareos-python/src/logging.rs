//! Forwards the library's `tracing` events to Python's `logging`.
//!
//! The target `bareos::connection` becomes the logger `bareos.connection`
//! (`bareos_proto::...` becomes `bareos.proto...`). A record is only formatted when the
//! logger is enabled for its level. Every message is scrubbed of the secrets (password
//! MD5 forms, PAM passwords) of the connections that are open, in addition to the
//! library's own care never to log them.

use pyo3::prelude::*;
use std::fmt::Write as _;
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Secrets shorter than this are not scrubbed (they would mangle ordinary text).
const MIN_SECRET_LEN: usize = 4;
const REDACTED: &str = "<redacted>";

static SECRETS: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

pub(crate) fn add_secret(secret: &str) {
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let mut secrets = crate::lock(&SECRETS);
    match secrets.iter_mut().find(|(s, _)| s == secret) {
        Some((_, count)) => *count += 1,
        None => secrets.push((secret.to_string(), 1)),
    }
}

pub(crate) fn remove_secret(secret: &str) {
    let mut secrets = crate::lock(&SECRETS);
    if let Some(index) = secrets.iter().position(|(s, _)| s == secret) {
        secrets[index].1 -= 1;
        if secrets[index].1 == 0 {
            secrets.swap_remove(index);
        }
    }
}

/// `text` with every registered secret replaced by `<redacted>`.
pub(crate) fn scrub(text: &str) -> String {
    let secrets = crate::lock(&SECRETS);
    let mut out = text.to_string();
    for (secret, _) in secrets.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

fn logger_name(target: &str) -> String {
    let name = target.replace("::", ".");
    match name.strip_prefix("bareos_proto") {
        Some(rest) => format!("bareos.proto{rest}"),
        None if name == "bareos" || name.starts_with("bareos.") => name,
        None => format!("bareos.{name}"),
    }
}

fn python_level(level: &Level) -> u32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        _ => 5,
    }
}

#[derive(Default)]
struct Message {
    text: String,
    fields: String,
}

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.text.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.text, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={:?}", field.name(), value);
        }
    }
}

struct PythonLogging;

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let level = python_level(metadata.level());
        let name = logger_name(metadata.target());
        Python::with_gil(|py| {
            let result: PyResult<()> = (|| {
                let logger = py
                    .import("logging")?
                    .call_method1("getLogger", (name.as_str(),))?;
                if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                    return Ok(());
                }
                let mut message = Message::default();
                event.record(&mut message);
                let text = scrub(&format!("{}{}", message.text, message.fields));
                logger.call_method1("log", (level, "%s", text))?;
                Ok(())
            })();
            // Logging must never break a connection; a failing handler is Python's
            // business (logging reports its own errors).
            drop(result);
        });
    }
}

/// Installs the forwarding subscriber as the process-wide default (once).
pub(crate) fn install() {
    let subscriber = tracing_subscriber::registry().with(PythonLogging);
    let _ = tracing::subscriber::set_global_default(subscriber);
}
