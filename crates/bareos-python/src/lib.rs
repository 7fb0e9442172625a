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
use bareos::{Config, Part, Password, PeerKind, ProtocolVersion, TlsMode, TlsVersion};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

mod aio;
mod logging;
mod models;

create_exception!(
    _bareos,
    NativeError,
    PyException,
    "An error of the native client: args are (kind, message, raw reply bytes or None)."
);

/// Builds the Python exception for a library error.
fn native_error(error: &bareos::Error) -> PyErr {
    use bareos::ErrorKind as K;
    let kind = match error.kind() {
        K::Pam | K::PamOverCleartext => "pam",
        K::TlsCertificate => "certificate",
        K::Auth | K::Refused | K::TlsAuth => "auth",
        K::Tls => "tls",
        K::Timeout => "timeout",
        K::ConnectionLost => "lost",
        K::Connect => "connect",
        K::Config => "config",
        K::Director => "director",
        K::TooLarge => "too_large",
        K::Protocol | K::UnexpectedPrompt => "protocol",
        K::Usage => "usage",
        _ => "other",
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
struct Handle<T: Send>(Mutex<Option<T>>);

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

    /// Takes the connection out (later calls raise "closed") and closes it politely
    /// without the GIL (the blocking client closes on drop).
    fn close(&self, py: Python<'_>) {
        without_gil(py, || {
            let connection = lock(&self.0).take();
            drop(connection);
        })
    }
}

type Address = (String, u16);

fn address(addr: SocketAddr) -> Address {
    (addr.ip().to_string(), addr.port())
}

/// A positive, finite number of seconds, or `None`.
fn seconds(value: Option<f64>, what: &str) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
        Some(_) => Err(PyValueError::new_err(format!(
            "{what} must be a positive number of seconds"
        ))),
    }
}

impl<T: Send> Drop for Handle<T> {
    /// A connection Python never closed is closed when collected: politely, which waits
    /// a moment for the peer, so without the GIL.
    fn drop(&mut self) {
        let connection = self
            .0
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(connection) = connection {
            Python::with_gil(|py| py.allow_threads(move || drop(connection)));
        }
    }
}

/// The calls both connection kinds share (python-bareos's `send`/`recv` and the rest).
impl<P: PeerKind> Handle<blocking::Session<P>> {
    fn send(&self, py: Python<'_>, line: &str) -> PyResult<()> {
        self.with(py, |c| c.send(line))
    }

    fn read_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let chunk = self.with(py, |c| c.next_chunk())?;
        Ok(chunk.map(|c| PyBytes::new(py, &c)))
    }

    /// The next frame: `bytes` for data, an `int` for a signal, `None` at the end.
    fn read_part(&self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        let part = self.with(py, |c| c.next_part())?;
        part.map(|part| part_object(py, part)).transpose()
    }

    fn read_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |c| Ok(c.read_response()?.into_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    fn has_data(&self, py: Python<'_>, wait: f64) -> PyResult<bool> {
        let wait = if wait.is_finite() && wait > 0.0 {
            Duration::from_secs_f64(wait.min(1e9))
        } else {
            Duration::ZERO
        };
        self.with(py, |c| c.has_data(wait))
    }

    fn addresses(&self) -> PyResult<(Address, Address)> {
        match self.peek(|c| c.addresses()) {
            Some(Ok((local, peer))) => Ok((address(local), address(peer))),
            Some(Err(error)) => Err(pyo3::exceptions::PyOSError::new_err(error.to_string())),
            None => Err(closed_error()),
        }
    }

    fn fileno(&self) -> i32 {
        self.peek(|c| c.raw_fd()).unwrap_or(-1)
    }

    fn set_call_timeout(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<()> {
        let timeout = seconds(timeout, "call_timeout")?;
        self.with(py, |c| {
            c.set_call_timeout(timeout);
            Ok(())
        })
    }

    fn cipher(&self) -> Option<(String, String, i32)> {
        self.peek(|c| tls_tuple(c.cipher())).flatten()
    }

    fn reconnect(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |c| c.reconnect())
    }
}

/// A part of a response for Python: `bytes` for data, an `int` for a signal.
fn part_object(py: Python<'_>, part: Part) -> PyResult<PyObject> {
    Ok(match part {
        Part::Data(data) => PyBytes::new(py, &data).into_any().unbind(),
        Part::Signal(signal) => signal.code().into_pyobject(py)?.into_any().unbind(),
    })
}

/// Connection settings as the Python layer passes them.
struct Settings<'a> {
    address: &'a str,
    port: u16,
    name: Option<String>,
    password_md5: &'a str,
    tls: &'a str,
    tls_max_version: Option<&'a str>,
    pam: Option<(String, String)>,
    allow_cleartext_pam: bool,
    /// Bounds connecting and logging in (python-bareos's `timeout`).
    timeout: Option<f64>,
    /// Bounds each call (none by default: a command runs as long as it needs).
    call_timeout: Option<f64>,
    /// Certificate TLS settings, if any.
    certificates: Option<Certificates>,
}

/// Certificate TLS settings from Python: a dict with the keys `ca_file`, `ca_dir`,
/// `cert_file`, `key_file` (paths or `None`), `verify_peer` (bool), `allowed_cn` (list
/// of str) and `cipher_list` (str or `None`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Certificates {
    ca_file: Option<std::path::PathBuf>,
    ca_dir: Option<std::path::PathBuf>,
    cert_file: Option<std::path::PathBuf>,
    key_file: Option<std::path::PathBuf>,
    verify_peer: bool,
    allowed_cn: Vec<String>,
    cipher_list: Option<String>,
}

impl Certificates {
    fn apply(self, mut config: Config) -> Config {
        if let Some(path) = self.ca_file {
            config = config.tls_ca_file(path);
        }
        if let Some(path) = self.ca_dir {
            config = config.tls_ca_dir(path);
        }
        if let Some(path) = self.cert_file {
            config = config.tls_cert_file(path);
        }
        if let Some(path) = self.key_file {
            config = config.tls_key_file(path);
        }
        if let Some(ciphers) = self.cipher_list {
            config = config.tls_cipher_list(ciphers);
        }
        config
            .tls_verify_peer(self.verify_peer)
            .tls_allowed_cn(self.allowed_cn)
    }
}

impl Settings<'_> {
    /// A director connection's settings: these, console protocol `protocol` (1 or 2),
    /// and the protocol-1 fallback when asked for.
    fn director_config(self, protocol: u8, protocol_fallback: bool) -> PyResult<Config> {
        let protocol = match protocol {
            1 => ProtocolVersion::V1,
            2 => ProtocolVersion::V2,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unsupported protocol version {other} (1 or 2)"
                )))
            }
        };
        Ok(self
            .config()?
            .protocol(protocol)
            .protocol_fallback(protocol_fallback))
    }

    fn config(self) -> PyResult<Config> {
        let password = Password::from_md5(self.password_md5)
            .ok_or_else(|| PyValueError::new_err("the password's MD5 form is not 32 hex digits"))?;
        let mut config = Config::new(self.address).port(self.port).password(password);
        if let Some(name) = self.name {
            config = config.name(name);
        }
        let tls: TlsMode = self
            .tls
            .parse()
            .map_err(|e: bareos::Error| PyValueError::new_err(e.to_string()))?;
        config = config.tls(tls);
        match self.tls_max_version {
            None => {}
            Some("1.2") => config = config.tls_max_version(TlsVersion::Tls12),
            Some("1.3") => config = config.tls_max_version(TlsVersion::Tls13),
            Some(other) => {
                return Err(PyValueError::new_err(format!(
                    "unsupported TLS version {other:?} (1.2 or 1.3)"
                )))
            }
        }
        if let Some((user, pass)) = self.pam {
            config = config.pam(user, pass);
        }
        config = config.allow_cleartext_pam(self.allow_cleartext_pam);
        if let Some(certificates) = self.certificates {
            config = certificates.apply(config);
        }
        if let Some(limit) = seconds(self.timeout, "timeout")? {
            config = config.connect_timeout(limit).login_timeout(limit);
        }
        Ok(config.call_timeout(seconds(self.call_timeout, "call_timeout")?))
    }
}

/// Reads the arguments of `Director()` and `AsyncDirector.connect()` (all but `json`)
/// into a config; the secrets are scrubbed from logs while the returned guard lives.
#[allow(clippy::too_many_arguments)]
fn director_settings(
    address: &str,
    port: u16,
    name: Option<String>,
    password_md5: &str,
    protocol: u8,
    tls: &str,
    tls_max_version: Option<&str>,
    pam: Option<(String, String)>,
    timeout: Option<f64>,
    protocol_fallback: bool,
    call_timeout: Option<f64>,
    allow_cleartext_pam: bool,
    certificates: Option<Certificates>,
) -> PyResult<(Config, Secrets)> {
    let secrets = Secrets::register(password_md5, pam.as_ref().map(|p| p.1.as_str()));
    let config = Settings {
        address,
        port,
        name,
        password_md5,
        tls,
        tls_max_version,
        pam,
        allow_cleartext_pam,
        timeout,
        call_timeout,
        certificates,
    }
    .director_config(protocol, protocol_fallback)?;
    Ok((config, secrets))
}

/// Reads the arguments of `FileDaemon()` and `AsyncFileDaemon.connect()` into a config;
/// the secret is scrubbed from logs while the returned guard lives.
#[allow(clippy::too_many_arguments)]
fn file_daemon_settings(
    address: &str,
    port: u16,
    name: Option<String>,
    password_md5: &str,
    tls: &str,
    tls_max_version: Option<&str>,
    timeout: Option<f64>,
    call_timeout: Option<f64>,
    certificates: Option<Certificates>,
) -> PyResult<(Config, Secrets)> {
    let secrets = Secrets::register(password_md5, None);
    let config = Settings {
        address,
        port,
        name,
        pam: None,
        allow_cleartext_pam: false,
        password_md5,
        tls,
        tls_max_version,
        timeout,
        call_timeout,
        certificates,
    }
    .config()?;
    Ok((config, secrets))
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

/// A connection to a File Daemon as a director (see `bareos.bsock.FileDaemon`).
#[pyclass(frozen, module = "bareos._bareos")]
struct FileDaemon {
    inner: Handle<blocking::FileDaemon>,
    _secrets: Secrets,
}

/// The Python methods of a blocking connection class: its own, then those both classes
/// share (on [`Handle`]).
macro_rules! connection_class {
    ($class:ident { $($own:tt)* }) => {
        #[pymethods]
        impl $class {
            $($own)*

            /// The next chunk of the response in progress, `None` at its end.
            fn read_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
                self.inner.read_chunk(py)
            }

            /// The rest of the response in progress.
            fn read_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                self.inner.read_response(py)
            }

            /// The next frame of the response in progress: `bytes` (data), `int` (a
            /// signal; the end signal ends it), or `None` when nothing is outstanding.
            fn read_part(&self, py: Python<'_>) -> PyResult<Option<PyObject>> {
                self.inner.read_part(py)
            }

            /// Whether data arrives within `wait` seconds (nothing is consumed).
            fn has_data(&self, py: Python<'_>, wait: f64) -> PyResult<bool> {
                self.inner.has_data(py, wait)
            }

            /// `((local host, port), (peer host, port))` of the TCP connection.
            fn addresses(&self) -> PyResult<(Address, Address)> {
                self.inner.addresses()
            }

            /// The socket's file descriptor (-1 when closed).
            fn fileno(&self) -> i32 {
                self.inner.fileno()
            }

            /// Sets (or with `None` lifts) the deadline of each following call, in seconds.
            #[pyo3(signature = (timeout=None))]
            fn set_call_timeout(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<()> {
                self.inner.set_call_timeout(py, timeout)
            }

            /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
            fn cipher(&self) -> Option<(String, String, i32)> {
                self.inner.cipher()
            }

            /// Whether the connection is open.
            fn is_open(&self) -> bool {
                self.inner.is_open()
            }

            /// Logs in again on a new connection with the same settings (a director's in
            /// the same API mode); never replays a command.
            fn reconnect(&self, py: Python<'_>) -> PyResult<()> {
                self.inner.reconnect(py)
            }

            /// Ends the session politely; later calls raise a "closed" error.
            fn close(&self, py: Python<'_>) {
                self.inner.close(py)
            }
        }
    };
}

connection_class!(Director {
    /// Connects and logs in (GIL released). `password_md5` is the MD5 hex form.
    /// `timeout` bounds connecting and logging in; `call_timeout` each call (none by
    /// default). With `protocol_fallback`, a refused cleartext protocol-2 login is
    /// retried once with protocol 1.
    #[new]
    #[pyo3(signature = (address, port, name, password_md5, protocol, tls, tls_max_version=None, pam=None, timeout=None, json=false, protocol_fallback=false, call_timeout=None, allow_cleartext_pam=false, certificates=None))]
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
        protocol_fallback: bool,
        call_timeout: Option<f64>,
        allow_cleartext_pam: bool,
        certificates: Option<Certificates>,
    ) -> PyResult<Director> {
        let (config, secrets) = director_settings(
            address,
            port,
            name,
            password_md5,
            protocol,
            tls,
            tls_max_version,
            pam,
            timeout,
            protocol_fallback,
            call_timeout,
            allow_cleartext_pam,
            certificates,
        )?;
        let config = config.json(json);
        let director = without_gil(py, || blocking::Director::connect(config))
            .map_err(|e| native_error(&e))?;
        Ok(Director {
            inner: Handle::new(director),
            _secrets: secrets,
        })
    }

    /// Runs a command and returns its whole result; at a prompt the line is the answer.
    fn call<'py>(&self, py: Python<'py>, command: &str) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.with(py, |d| {
            let reply = if d.at_prompt() {
                d.answer(command)?
            } else {
                d.call(command)?
            };
            Ok(reply.into_bytes())
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Runs a command in JSON mode: (envelope as JSON text, text before the envelope),
    /// or, when the director stopped at a prompt, `(None, the prompt's text)` with the
    /// prompt cancelled, so the connection is ready for the next call.
    fn call_json<'py>(
        &self,
        py: Python<'py>,
        command: &str,
    ) -> PyResult<(Option<String>, Bound<'py, PyBytes>)> {
        let (envelope, bytes) = self.inner.with(py, |d| match d.call_json_text(command) {
            Ok(reply) => Ok((Some(reply.envelope), reply.leading_text)),
            Err(error) if d.at_prompt() => {
                let text = error.raw_reply().map(<[u8]>::to_vec).unwrap_or_default();
                d.cancel_prompt()?;
                Ok((None, text))
            }
            Err(error) => Err(error),
        })?;
        Ok((envelope, PyBytes::new(py, &bytes)))
    }

    /// Sends one line without reading (the answer when a prompt is open).
    fn send(&self, py: Python<'_>, line: &str) -> PyResult<()> {
        self.inner.send(py, line)
    }

    /// Whether the director waits for an answer at a prompt.
    fn at_prompt(&self) -> bool {
        self.inner.peek(|d| d.at_prompt()).unwrap_or(false)
    }

    /// The API mode: 0 (text), 1 or 2 (JSON).
    fn api_mode(&self) -> u8 {
        self.inner
            .peek(|d| match d.api_mode() {
                bareos::ApiMode::Json => 2,
                bareos::ApiMode::Machine => 1,
                bareos::ApiMode::Text => 0,
            })
            .unwrap_or(0)
    }

    /// The console protocol version in use (1 or 2).
    fn protocol_version(&self) -> u8 {
        self.inner
            .peek(|d| match d.protocol_version() {
                ProtocolVersion::V1 => 1,
                _ => 2,
            })
            .unwrap_or(2)
    }

    /// `(director name, version, info text)` from the login.
    fn welcome(&self) -> Option<(String, String, String)> {
        self.inner.peek(|d| {
            let w = d.welcome();
            (w.director.clone(), w.version.clone(), w.text.clone())
        })
    }
});

connection_class!(FileDaemon {
    /// Connects and authenticates as director `name` (GIL released); `timeout` bounds
    /// connecting and the authentication, `call_timeout` each call (none by default).
    #[new]
    #[pyo3(signature = (address, port, name, password_md5, tls, tls_max_version=None, timeout=None, call_timeout=None, certificates=None))]
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
        call_timeout: Option<f64>,
        certificates: Option<Certificates>,
    ) -> PyResult<FileDaemon> {
        let (config, secrets) = file_daemon_settings(
            address,
            port,
            name,
            password_md5,
            tls,
            tls_max_version,
            timeout,
            call_timeout,
            certificates,
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
        let bytes = self.inner.with(py, |fd| Ok(fd.call(command)?.into_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Sends a command without reading its result.
    fn send(&self, py: Python<'_>, command: &str) -> PyResult<()> {
        self.inner.send(py, command)
    }

    /// The file daemon's `2000 OK Hello` line.
    fn hello(&self) -> Option<String> {
        self.inner.peek(|fd| fd.hello().to_string())
    }
});

/// Scrubs the secrets of the open connections from `text` (for the Python layer's logs).
#[pyfunction]
fn scrub(text: &str) -> String {
    logging::scrub(text)
}

/// The native half of the package `bareos`: blocking connections (`Director`,
/// `FileDaemon`) and asyncio ones (`AsyncDirector`, `AsyncFileDaemon`) on the bareos-rs
/// client library. Type stubs: `bareos/_bareos.pyi`.
#[pymodule]
fn _bareos(m: &Bound<'_, PyModule>) -> PyResult<()> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(logging::install);
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Director>()?;
    m.add_class::<FileDaemon>()?;
    m.add_class::<aio::AsyncDirector>()?;
    m.add_class::<aio::AsyncFileDaemon>()?;
    m.add_function(wrap_pyfunction!(scrub, m)?)?;
    m.add_function(wrap_pyfunction!(models::normalize, m)?)?;
    m.add_function(wrap_pyfunction!(aio::shutdown, m)?)?;
    Ok(())
}
