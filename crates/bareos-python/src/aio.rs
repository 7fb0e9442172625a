//! asyncio connections (`bareos.aio`): the async client of the `bareos` crate on a tokio
//! runtime shared by all connections, bridged to Python awaitables.
//!
//! Each operation runs as its own tokio task that holds the connection until it is done,
//! so cancelling the Python awaitable (`asyncio.timeout`, `task.cancel()`) never stops a
//! command half-way: it runs to its end in the background and the next call on the
//! connection waits for it. `close()` aborts what is still running and drops the
//! connection without the polite `quit` when it did.

use crate::{
    closed_error, director_settings, file_daemon_settings, logging, native_error, Certificates,
    Secrets,
};
use bareos::{PeerKind, ProtocolVersion, Session};
use futures_util::future::BoxFuture;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::AbortHandle;

/// Awaitables whose Rust side has not finished yet.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// Every operation task still known, for the shutdown.
static TASKS: Mutex<Vec<AbortHandle>> = Mutex::new(Vec::new());

/// Counts an awaitable as active until dropped.
struct Active;

impl Active {
    fn new() -> Active {
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called at interpreter exit (`atexit`): aborts the operations still running (a
/// cancelled command finishing in the background) and waits, without the GIL, until no
/// tokio thread is about to hand a result to Python, so none touches an interpreter that
/// is being finalized.
#[pyfunction]
pub(crate) fn shutdown(py: Python<'_>) {
    py.allow_threads(|| {
        for handle in crate::lock(&TASKS).drain(..) {
            handle.abort();
        }
        let limit = Instant::now() + Duration::from_secs(2);
        while ACTIVE.load(Ordering::SeqCst) > 0 && Instant::now() < limit {
            std::thread::sleep(Duration::from_millis(1));
        }
        // The result hand-over that follows an awaitable's end takes microseconds.
        std::thread::sleep(Duration::from_millis(20));
    });
}

/// A connection shared by the tasks of its operations.
struct Shared<T> {
    connection: Arc<tokio::sync::Mutex<Option<T>>>,
    running: Mutex<Vec<AbortHandle>>,
}

impl<T: Send + 'static> Shared<T> {
    fn new(connection: T) -> Self {
        Shared {
            connection: Arc::new(tokio::sync::Mutex::new(Some(connection))),
            running: Mutex::new(Vec::new()),
        }
    }

    /// Runs `op` on the connection in its own task and returns an awaitable of its
    /// result, converted with `convert` (with the GIL).
    fn run<'py, R, O>(
        &self,
        py: Python<'py>,
        op: impl for<'a> FnOnce(&'a mut T) -> BoxFuture<'a, bareos::Result<R>> + Send + 'static,
        convert: impl FnOnce(Python<'_>, R) -> PyResult<O> + Send + 'static,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        R: Send + 'static,
        O: for<'p> IntoPyObject<'p> + Send + 'static,
    {
        logging::refresh_level(py);
        let connection = self.connection.clone();
        let task = pyo3_async_runtimes::tokio::get_runtime().spawn(async move {
            let mut guard = connection.lock().await;
            match guard.as_mut() {
                Some(c) => op(c).await.map_err(Some),
                None => Err(None),
            }
        });
        {
            let mut running = crate::lock(&self.running);
            running.retain(|handle| !handle.is_finished());
            running.push(task.abort_handle());
            let mut all = crate::lock(&TASKS);
            all.retain(|handle| !handle.is_finished());
            all.push(task.abort_handle());
        }
        let active = Active::new();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let _active = active;
            let result = task.await;
            Python::with_gil(|py| {
                logging::flush(py);
                match result {
                    Ok(Ok(value)) => convert(py, value),
                    Ok(Err(Some(error))) => Err(native_error(&error)),
                    Ok(Err(None)) => Err(closed_error()),
                    Err(_) => Err(closed_error()),
                }
            })
        })
    }

    /// Aborts the running operations, then closes politely unless one was cut off.
    fn close<'py>(
        &self,
        py: Python<'py>,
        close: impl FnOnce(T) -> BoxFuture<'static, ()> + Send + 'static,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut cut = false;
        for handle in crate::lock(&self.running).drain(..) {
            if !handle.is_finished() {
                handle.abort();
                cut = true;
            }
        }
        let connection = self.connection.clone();
        let active = Active::new();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let _active = active;
            let taken = connection.lock().await.take();
            if let Some(c) = taken {
                if !cut {
                    close(c).await;
                }
            }
            Ok(())
        })
    }

    fn peek<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.connection.try_lock().ok()?.as_ref().map(f)
    }
}

/// The operations both connection kinds share.
impl<P: PeerKind> Shared<Session<P>> {
    /// Sends one line (a command, or a director's answer at a prompt) without reading.
    fn send<'py>(&self, py: Python<'py>, line: String) -> PyResult<Bound<'py, PyAny>> {
        self.run(
            py,
            move |c| Box::pin(async move { c.send(&line).await }),
            |_, ()| Ok(()),
        )
    }

    /// The next chunk of the response in progress: bytes, or `None` at its end.
    fn next_chunk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.run(
            py,
            |c| Box::pin(c.next_chunk()),
            |py, chunk| chunk.map(|data| bytes(py, data)).transpose(),
        )
    }

    /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
    fn cipher(&self) -> Option<(String, String, i32)> {
        self.peek(|c| crate::tls_tuple(c.cipher())).flatten()
    }

    /// Ends the session: an awaitable.
    fn close_session<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py, |c| Box::pin(c.close()))
    }

    /// Connects with `config` and hands the connection to `wrap` (with the GIL): an
    /// awaitable of the Python object.
    fn connect<'py, O: pyo3::PyClass + Into<pyo3::PyClassInitializer<O>>>(
        py: Python<'py>,
        config: bareos::Config,
        wrap: impl FnOnce(Self) -> O + Send + 'static,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let active = Active::new();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let _active = active;
            let result = Session::<P>::connect(config).await;
            Python::with_gil(|py| {
                logging::flush(py);
                let session = result.map_err(|e| native_error(&e))?;
                Py::new(py, wrap(Shared::new(session)))
            })
        })
    }
}

fn bytes(py: Python<'_>, data: Vec<u8>) -> PyResult<Py<PyBytes>> {
    Ok(PyBytes::new(py, &data).unbind())
}

/// An asyncio console connection to a Director (see `bareos.aio.DirectorConsole`).
#[pyclass(frozen, module = "bareos._bareos")]
pub(crate) struct AsyncDirector {
    shared: Shared<bareos::Director>,
    _secrets: Secrets,
}

#[pymethods]
impl AsyncDirector {
    /// Connects and logs in; an awaitable of the connection. The arguments are those
    /// of `bareos._bareos.Director`.
    #[staticmethod]
    #[pyo3(signature = (address, port, name, password_md5, protocol, tls, tls_max_version=None, pam=None, timeout=None, protocol_fallback=false, call_timeout=None, allow_cleartext_pam=false, certificates=None))]
    #[allow(clippy::too_many_arguments)]
    fn connect<'py>(
        py: Python<'py>,
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
    ) -> PyResult<Bound<'py, PyAny>> {
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
        Shared::connect(py, config, |shared| AsyncDirector {
            shared,
            _secrets: secrets,
        })
    }

    /// Runs a command: an awaitable of `(result bytes, whether the director waits at a
    /// prompt)`; at a prompt the line is the answer.
    fn call<'py>(&self, py: Python<'py>, command: String) -> PyResult<Bound<'py, PyAny>> {
        self.shared.run(
            py,
            move |d| {
                Box::pin(async move {
                    let reply = if d.at_prompt() {
                        d.answer(&command).await?
                    } else {
                        d.call(&command).await?
                    };
                    Ok((reply.into_bytes(), d.at_prompt()))
                })
            },
            |py, (data, prompt)| Ok((bytes(py, data)?, prompt)),
        )
    }

    /// Runs a command in JSON mode: `(envelope text, leading text)`, or `(None, the
    /// prompt's text)` with the prompt cancelled.
    fn call_json<'py>(&self, py: Python<'py>, command: String) -> PyResult<Bound<'py, PyAny>> {
        self.shared.run(
            py,
            move |d| {
                Box::pin(async move {
                    match d.call_json_text(&command).await {
                        Ok(reply) => Ok((Some(reply.envelope), reply.leading_text)),
                        Err(error) if d.at_prompt() => {
                            let text = error.raw_reply().map(<[u8]>::to_vec).unwrap_or_default();
                            d.cancel_prompt().await?;
                            Ok((None, text))
                        }
                        Err(error) => Err(error),
                    }
                })
            },
            |py, (envelope, text)| Ok((envelope, bytes(py, text)?)),
        )
    }

    /// Sends one line (a command, or the answer at a prompt) without reading.
    fn send<'py>(&self, py: Python<'py>, line: String) -> PyResult<Bound<'py, PyAny>> {
        self.shared.send(py, line)
    }

    /// The next chunk of the response in progress: bytes, or `None` at its end.
    fn next_chunk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.next_chunk(py)
    }

    /// The next frame of the response in progress: bytes, an int (signal) or `None`.
    fn next_part<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.run(
            py,
            |d| Box::pin(d.next_part()),
            |py, part| part.map(|part| crate::part_object(py, part)).transpose(),
        )
    }

    /// Cancels the prompt the director waits at.
    fn cancel_prompt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.run(
            py,
            |d| Box::pin(async move { Ok(d.cancel_prompt().await?.into_bytes()) }),
            bytes,
        )
    }

    /// Whether the director waits for an answer (`None` while an operation runs).
    fn at_prompt(&self) -> Option<bool> {
        self.shared.peek(|d| d.at_prompt())
    }

    /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
    fn cipher(&self) -> Option<(String, String, i32)> {
        self.shared.cipher()
    }

    /// The console protocol version in use (1 or 2; 0 while an operation runs).
    fn protocol_version(&self) -> u8 {
        self.shared
            .peek(|d| match d.protocol_version() {
                ProtocolVersion::V1 => 1,
                _ => 2,
            })
            .unwrap_or(0)
    }

    /// Ends the session: an awaitable.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.close_session(py)
    }
}

/// An asyncio connection to a File Daemon (see `bareos.aio.FileDaemon`).
#[pyclass(frozen, module = "bareos._bareos")]
pub(crate) struct AsyncFileDaemon {
    shared: Shared<bareos::FileDaemon>,
    _secrets: Secrets,
}

#[pymethods]
impl AsyncFileDaemon {
    /// Connects and authenticates as director `name`: an awaitable of the connection.
    #[staticmethod]
    #[pyo3(signature = (address, port, name, password_md5, tls, tls_max_version=None, timeout=None, call_timeout=None, certificates=None))]
    #[allow(clippy::too_many_arguments)]
    fn connect<'py>(
        py: Python<'py>,
        address: &str,
        port: u16,
        name: Option<String>,
        password_md5: &str,
        tls: &str,
        tls_max_version: Option<&str>,
        timeout: Option<f64>,
        call_timeout: Option<f64>,
        certificates: Option<Certificates>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
        Shared::connect(py, config, |shared| AsyncFileDaemon {
            shared,
            _secrets: secrets,
        })
    }

    /// Runs a command (split like a shell, spaces bashed): an awaitable of its result.
    fn call<'py>(&self, py: Python<'py>, command: String) -> PyResult<Bound<'py, PyAny>> {
        self.shared.run(
            py,
            move |fd| Box::pin(async move { Ok(fd.call(&command).await?.into_bytes()) }),
            bytes,
        )
    }

    /// Sends a command without reading its result.
    fn send<'py>(&self, py: Python<'py>, command: String) -> PyResult<Bound<'py, PyAny>> {
        self.shared.send(py, command)
    }

    /// The next chunk of the result in progress: bytes, or `None` at its end.
    fn next_chunk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.next_chunk(py)
    }

    /// `(cipher, TLS version, secret bits)` or `None` on cleartext.
    fn cipher(&self) -> Option<(String, String, i32)> {
        self.shared.cipher()
    }

    /// Ends the session: an awaitable.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.shared.close_session(py)
    }
}
