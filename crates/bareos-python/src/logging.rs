//! Forwards the library's `tracing` events to Python's `logging`.
//!
//! The target `bareos::connection` becomes the logger `bareos.connection`
//! (`bareos_proto::...` becomes `bareos.proto...`). A record is only formatted when the
//! logger is enabled for its level. Every message is scrubbed of the secrets (password
//! MD5 forms, PAM passwords) of the connections that are open, in addition to the
//! library's own care never to log them.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyDict;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
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

/// The effective level of the `bareos` logger, as Python numbers it (WARNING by default).
static LEVEL: AtomicU32 = AtomicU32::new(30);

/// Records waiting for the GIL: `(level, logger, message)`.
static QUEUE: Mutex<VecDeque<(u32, String, String)>> = Mutex::new(VecDeque::new());

/// At most this many records wait; older ones are dropped (and counted).
const QUEUE_LIMIT: usize = 10_000;
static DROPPED: AtomicU32 = AtomicU32::new(0);

/// The `bareos` logger (`logging.getLogger` gives one object per name for good).
static LOGGER: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

/// The key under which the `bareos` logger's level cache keeps the level read last.
const LEVEL_KEY: &str = "bareos-rs effective level";

/// Reads the effective level of the `bareos` logger (the GIL is held), before every
/// call, so a level set at any time applies to the next call.
///
/// Asking `logging` costs more than the call itself, so the level is asked only when it
/// may have changed: it is kept in the logger's own level cache (`Logger._cache`, whose
/// other keys are numbers), which `logging` empties in every logger whenever a level
/// changes anywhere (`setLevel`, `logging.disable`, `dictConfig`). A Python without
/// that cache is asked every time.
pub(crate) fn refresh_level(py: Python<'_>) {
    let Ok(logger) = LOGGER.get_or_try_init(py, || {
        py.import("logging")?
            .call_method1("getLogger", ("bareos",))
            .map(Bound::unbind)
    }) else {
        return;
    };
    let logger = logger.bind(py);
    let cache = logger
        .getattr(intern!(py, "_cache"))
        .ok()
        .and_then(|cache| cache.downcast_into::<PyDict>().ok());
    let key = intern!(py, LEVEL_KEY);
    if let Some(level) = cache
        .as_ref()
        .and_then(|cache| cache.get_item(key).ok().flatten())
        .and_then(|level| level.extract::<u32>().ok())
    {
        set_level(level);
        return;
    }
    let Ok(level) = logger
        .call_method0(intern!(py, "getEffectiveLevel"))
        .and_then(|level| level.extract::<u32>())
    else {
        return;
    };
    if let Some(cache) = cache {
        let _ = cache.set_item(key, level);
    }
    set_level(level);
}

/// Keeps Python's level; on a change, `tracing` asks every event site again whether it
/// is enabled (it remembers the answer per site).
fn set_level(level: u32) {
    if LEVEL.swap(level, Ordering::Relaxed) != level {
        tracing::callsite::rebuild_interest_cache();
    }
}

/// Hands the queued records to Python's `logging` (the GIL is held).
pub(crate) fn flush(py: Python<'_>) {
    let records: Vec<_> = crate::lock(&QUEUE).drain(..).collect();
    let dropped = DROPPED.swap(0, Ordering::Relaxed);
    if records.is_empty() && dropped == 0 {
        return;
    }
    let Ok(logging) = py.import("logging") else {
        return;
    };
    if dropped > 0 {
        if let Ok(logger) = logging.call_method1("getLogger", ("bareos",)) {
            let text = format!("{dropped} log records were dropped (too many queued)");
            let _ = logger.call_method1("log", (30, "%s", text));
        }
    }
    for (level, name, text) in records {
        if let Ok(logger) = logging.call_method1("getLogger", (name.as_str(),)) {
            let _ = logger.call_method1("log", (level, "%s", text));
        }
    }
}

struct PythonLogging;

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        python_level(metadata.level()) >= LEVEL.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let level = python_level(metadata.level());
        if level < LEVEL.load(Ordering::Relaxed) {
            return;
        }
        let mut message = Message::default();
        event.record(&mut message);
        let text = scrub(&format!("{}{}", message.text, message.fields));
        let mut queue = crate::lock(&QUEUE);
        if queue.len() >= QUEUE_LIMIT {
            queue.pop_front();
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
        queue.push_back((level, logger_name(metadata.target()), text));
    }
}

pub(crate) fn install() {
    let subscriber = tracing_subscriber::registry().with(PythonLogging);
    let _ = tracing::subscriber::set_global_default(subscriber);
}
