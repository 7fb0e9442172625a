//! `bareos._bareos`: the native half of the Python package `bareos`.
//!
//! It wraps the blocking clients of the `bareos` crate in two classes, [`Director`] and
//! [`FileDaemon`], that the pure-Python layer (`bareos.bsock`) builds python-bareos's
//! interface on. Every method that touches the network releases the GIL, so threads with
//! their own connections run in parallel. Errors are raised as `NativeError(kind,
//! message, raw)`, which the Python layer turns into python-bareos's exceptions. The
//! `tracing` events of the library go to Python's `logging` (loggers `bareos.*`), with
//! the secrets of every open connection scrubbed.

use bareos::blocking;
use bareos::{Config, Password, ProtocolVersion, TlsMode, TlsVersion};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

mod logging;

create_exception!(
    _bareos,
    NativeError,
    PyException,
    "An error of the native client: args are (kind, message, raw reply bytes or None)."
);

/// Builds the Python exception for a library error.
fn native_error(error: &bareos::Error) -> PyErr {
    let kind = if error.is_pam() {
        "pam"
    } else if error.is_auth() {
        "auth"
    } else if error.is_tls() {
        "tls"
    } else if error.is_timeout() {
        "timeout"
    } else if error.is_connection_lost() {
        "lost"
    } else if error.is_connect() {
        "connect"
    } else if error.is_config() {
        "config"
    } else if error.is_director_error() {
        "director"
    } else if error.is_too_large() {
        "too_large"
    } else if error.is_protocol() {
        "protocol"
    } else if error.is_usage() {
        "usage"
    } else {
        "other"
    };
    let message = logging::scrub(&error.to_string());
    let raw = error.raw_reply().map(<[u8]>::to_vec);
    Python::with_gil(|py| {
        let raw = raw.map(|raw| PyBytes::new(py, &raw).unbind());
        NativeError::new_err((kind, message, raw))
    })
}

fn closed_error() -> PyErr {
    NativeError::new_err((
        "lost",
        "the connection is closed; reconnect() opens a new one",
        Option::<Vec<u8>>::None,
    ))
}

/// Locks a mutex, ignoring poisoning (a panic cannot leave the client half-updated in a
/// way that matters more than the panic itself).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs network I/O without the GIL; the library's log records reach Python's
/// `logging` afterwards, with the GIL held again.
fn without_gil<R: Send>(py: Python<'_>, f: impl FnOnce() -> R + Send) -> R {
    logging::refresh_level(py);
    let result = py.allow_threads(f);
    logging::flush(py);
    result
}

/// A blocking connection shared with Python: locked for each call, taken out on close,
/// with the GIL released while it does network I/O.
struct Handle<T>(Mutex<Option<T>>);

impl<T: Send> Handle<T> {
    fn new(connection: T) -> Self {
        Handle(Mutex::new(Some(connection)))
    }

    /// Runs `f` on the open connection without the GIL.
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut T) -> bareos::Result<R> + Send,
    ) -> PyResult<R> {
        // Errors become Python exceptions only once the GIL is back: taking the GIL while
        // holding the connection's lock could deadlock with a thread waiting for it.
        let result = without_gil(py, || match lock(&self.0).as_mut() {
            Some(connection) => f(connection).map_err(Some),
            None => Err(None),
        });
        result.map_err(|error| match error {
            Some(error) => native_error(&error),
            None => closed_error(),
        })
    }

    /// Reads a property of the open connection.
    fn peek<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        lock(&self.0).as_ref().map(f)
    }

    fn is_open(&self) -> bool {
        lock(&self.0).is_some()
    }

    /// Takes the connection out (later calls raise "closed") and closes it without the GIL.
    fn close(&self, py: Python<'_>, close: impl FnOnce(T) + Send) {
        without_gil(py, || {
            let connection = lock(&self.0).take();
            if let Some(connection) = connection {
                close(connection);
            }
        })
    }
}

/// The low-level calls of both connection kinds (python-bareos's `send`/`recv`).
trait LowLevel: Send {
    fn send_line(&mut self, line: &str) -> bareos::Result<()>;
    fn next_chunk(&mut self) -> bareos::Result<Option<Vec<u8>>>;
    fn rest(&mut self) -> bareos::Result<Vec<u8>>;
}

impl LowLevel for blocking::Director {
    fn send_line(&mut self, line: &str) -> bareos::Result<()> {
        self.send(line)
    }
    fn next_chunk(&mut self) -> bareos::Result<Option<Vec<u8>>> {
        self.read_chunk()
    }
    fn rest(&mut self) -> bareos::Result<Vec<u8>> {
        Ok(self.read_response()?.into_bytes())
    }
}

impl LowLevel for blocking::FileDaemon {
    fn send_line(&mut self, line: &str) -> bareos::Result<()> {
        self.send(line)
    }
    fn next_chunk(&mut self) -> bareos::Result<Option<Vec<u8>>> {
        self.read_chunk()
    }
    fn rest(&mut self) -> bareos::Result<Vec<u8>> {
        Ok(self.read_response()?.into_bytes())
    }
}

impl<T: LowLevel> Handle<T> {
    fn send(&self, py: Python<'_>, line: &str) -> PyResult<()> {
        self.with(py, |c| c.send_line(line))
    }

    fn read_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let chunk = self.with(py, |c| c.next_chunk())?;
        Ok(chunk.map(|c| PyBytes::new(py, &c)))
    }

    fn read_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |c| c.rest())?;
        Ok(PyBytes::new(py, &bytes))
    }
}

/// Connection settings as the Python layer passes them.
#[allow(clippy::too_many_arguments)]
fn build_config(
    address: &str,
    port: u16,
    name: Option<String>,
    password_md5: &str,
    tls: &str,
    tls_max_version: Option<&str>,
    pam: Option<(String, String)>,
    timeout: Option<f64>,
) -> PyResult<Config> {
    let password = Password::from_md5(password_md5)
        .ok_or_else(|| PyValueError::new_err("the password's MD5 form is not 32 hex digits"))?;
    let mut config = Config::new(address).port(port).password(password);
    if let Some(name) = name {
        config = config.console(name);
    }
    config = config.tls(match tls {
        "required" => TlsMode::Required,
        "prefer" => TlsMode::Prefer,
        "disabled" => TlsMode::Disabled,
        other => return Err(PyValueError::new_err(format!("unknown TLS mode {other:?}"))),
    });
    match tls_max_version {
        None => {}
        Some("1.2") => config = config.tls_max_version(TlsVersion::Tls12),
        Some("1.3") => config = config.tls_max_version(TlsVersion::Tls13),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "unsupported TLS version {other:?} (1.2 or 1.3)"
            )))
        }
    }
    if let Some((user, pass)) = pam {
        config = config.pam(user, pass);
    }
    if let Some(seconds) = timeout {
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(PyValueError::new_err("timeout must be a positive number"));
        }
        let limit = Duration::from_secs_f64(seconds);
        config = config
            .connect_timeout(limit)
            .login_timeout(limit)
            .read_timeout(limit);
    }
    Ok(config)
}

/// The secrets of one connection, scrubbed from log records while it exists.
struct Secrets(Vec<String>);

impl Secrets {
    fn register(md5: &str, pam_password: Option<&str>) -> Secrets {
        let mut list = vec![md5.to_string()];
        if let Some(pam) = pam_password {
            list.push(pam.to_string());
        }
        for secret in &list {
            logging::add_secret(secret);
        }
        Secrets(list)
    }
}

impl Drop for Secrets {
    fn drop(&mut self) {
        for secret in &self.0 {
            logging::remove_secret(secret);
        }
    }
}

fn tls_tuple(info: Option<&bareos::TlsInfo>) -> Option<(String, String, i32)> {
    info.map(|info| (info.cipher.clone(), info.version.clone(), info.bits))
}

/// A console connection to a Director (see `bareos.bsock.DirectorConsole`).
#[pyclass(frozen, module = "bareos._bareos")]
struct Director {
    inner: Handle<blocking::Director>,
    _secrets: Secrets,
}

impl Director {
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut blocking::Director) -> bareos::Result<R> + Send,
    ) -> PyResult<R> {
        self.inner.with(py, f)
    }

    fn peek<R>(&self, f: impl FnOnce(&blocking::Director) -> R) -> Option<R> {
        self.inner.peek(f)
    }
}

#[pymethods]
impl Director {
    /// Connects and logs in (GIL released). `password_md5` is the MD5 hex form.
    #[new]
    #[pyo3(signature = (address, port, name, password_md5, protocol, tls, tls_max_version=None, pam=None, timeout=None, json=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        address: &str,
        port: u16,
        name: Option<String>,
        password_md5: &str,
        protocol: u8,
        tls: &str,
        tls_max_version: Option<&str>,
        pam: Option<(String, String)>,
        timeout: Option<f64>,
        json: bool,
    ) -> PyResult<Director> {
        let secrets = Secrets::register(password_md5, pam.as_ref().map(|p| p.1.as_str()));
        let protocol = match protocol {
            1 => ProtocolVersion::V1,
            2 => ProtocolVersion::V2,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unsupported protocol version {other} (1 or 2)"
                )))
            }
        };
        let config = build_config(
            address,
            port,
            name,
            password_md5,
            tls,
            tls_max_version,
            pam,
            timeout,
        )?
        .protocol(protocol)
        .json(json);
        let director = without_gil(py, || blocking::Director::connect(config))
            .map_err(|e| native_error(&e))?;
        Ok(Director {
            inner: Handle::new(director),
            _secrets: secrets,
        })
    }

    /// Runs a command and returns its whole result; at a prompt the line is the answer.
    fn call<'py>(&self, py: Python<'py>, command: &str) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |d| {
            let reply = if d.at_prompt() {
                d.answer(command)?
            } else {
                d.call(command)?
            };
            Ok(reply.into_bytes())
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Runs a command in JSON mode: (envelope as JSON text, text before the envelope).
    fn call_json<'py>(
        &self,
        py: Python<'py>,
        command: &str,
    ) -> PyResult<(String, Bound<'py, PyBytes>)> {
        let (envelope, leading) = self.with(py, |d| {
            let reply = d.call_json_reply(command)?;
            Ok((reply.envelope.to_string(), reply.leading_text))
        })?;
        Ok((envelope, PyBytes::new(py, &leading)))
    }

    /// Sends one line without reading (the answer when a prompt is open).
    fn send(&self, py: Python<'_>, line: &str) -> PyResult<()> {
        self.inner.send(py, line)
    }

    /// The next chunk of the response in progress, `None` at its end.
    fn read_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        self.inner.read_chunk(py)
    }

    /// The rest of the response in progress.
    fn read_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        self.inner.read_response(py)
    }

    /// Whether the director waits for an answer at a prompt.
    fn at_prompt(&self) -> bool {
        self.peek(|d| d.at_prompt()).unwrap_or(false)
    }

    /// The API mode: 0 (text), 1 or 2 (JSON).
    fn api_mode(&self) -> u8 {
        self.peek(|d| match d.api_mode() {
            bareos::ApiMode::Json => 2,
            bareos::ApiMode::Machine => 1,
            bareos::ApiMode::Text => 0,
        })
        .unwrap_or(0)
    }

    /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
    fn cipher(&self) -> Option<(String, String, i32)> {
        self.peek(|d| tls_tuple(d.cipher())).flatten()
    }

    /// The console protocol version in use (1 or 2).
    fn protocol_version(&self) -> u8 {
        self.peek(|d| match d.protocol_version() {
            ProtocolVersion::V1 => 1,
            _ => 2,
        })
        .unwrap_or(2)
    }

    /// `(director name, version, info text)` from the login.
    fn welcome(&self) -> Option<(String, String, String)> {
        self.peek(|d| {
            let w = d.welcome();
            (w.director.clone(), w.version.clone(), w.text.clone())
        })
    }

    /// Whether the connection is open.
    fn is_open(&self) -> bool {
        self.inner.is_open()
    }

    /// Logs in again on a new connection (same settings and API mode); never replays.
    fn reconnect(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |d| d.reconnect())
    }

    /// Ends the session; later calls raise a "closed" error.
    fn close(&self, py: Python<'_>) {
        self.inner.close(py, blocking::Director::close)
    }
}

/// A connection to a File Daemon as a director (see `bareos.bsock.FileDaemon`).
#[pyclass(frozen, module = "bareos._bareos")]
struct FileDaemon {
    inner: Handle<blocking::FileDaemon>,
    _secrets: Secrets,
}

impl FileDaemon {
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut blocking::FileDaemon) -> bareos::Result<R> + Send,
    ) -> PyResult<R> {
        self.inner.with(py, f)
    }
}

#[pymethods]
impl FileDaemon {
    /// Connects and authenticates as director `name` (GIL released).
    #[new]
    #[pyo3(signature = (address, port, name, password_md5, tls, tls_max_version=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        address: &str,
        port: u16,
        name: Option<String>,
        password_md5: &str,
        tls: &str,
        tls_max_version: Option<&str>,
        timeout: Option<f64>,
    ) -> PyResult<FileDaemon> {
        let secrets = Secrets::register(password_md5, None);
        let config = build_config(
            address,
            port,
            name,
            password_md5,
            tls,
            tls_max_version,
            None,
            timeout,
        )?;
        let fd = without_gil(py, || blocking::FileDaemon::connect(config))
            .map_err(|e| native_error(&e))?;
        Ok(FileDaemon {
            inner: Handle::new(fd),
            _secrets: secrets,
        })
    }

    /// Runs a command (split like a shell, spaces bashed) and returns its result.
    fn call<'py>(&self, py: Python<'py>, command: &str) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |fd| Ok(fd.call(command)?.into_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Sends a command without reading its result.
    fn send(&self, py: Python<'_>, command: &str) -> PyResult<()> {
        self.inner.send(py, command)
    }

    /// The next chunk of the result in progress, `None` at its end.
    fn read_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        self.inner.read_chunk(py)
    }

    /// The rest of the result in progress.
    fn read_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        self.inner.read_response(py)
    }

    /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
    fn cipher(&self) -> Option<(String, String, i32)> {
        self.inner.peek(|fd| tls_tuple(fd.cipher())).flatten()
    }

    /// The file daemon's `2000 OK Hello` line.
    fn hello(&self) -> Option<String> {
        self.inner.peek(|fd| fd.hello().to_string())
    }

    /// Whether the connection is open.
    fn is_open(&self) -> bool {
        self.inner.is_open()
    }

    /// Authenticates again on a new connection; never replays a command.
    fn reconnect(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |fd| fd.reconnect())
    }

    /// Ends the session.
    fn close(&self, py: Python<'_>) {
        self.inner.close(py, blocking::FileDaemon::close)
    }
}

/// Scrubs the secrets of the open connections from `text` (for the Python layer's logs).
#[pyfunction]
fn scrub(text: &str) -> String {
    logging::scrub(text)
}

/// The native module.
#[pymodule]
fn _bareos(m: &Bound<'_, PyModule>) -> PyResult<()> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(logging::install);
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Director>()?;
    m.add_class::<FileDaemon>()?;
    m.add_function(wrap_pyfunction!(scrub, m)?)?;
    Ok(())
}
