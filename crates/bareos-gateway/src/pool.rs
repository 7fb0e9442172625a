//! Connection pools per (director, console).
//!
//! Built here rather than with deadpool/bb8 because the rules are specific and small:
//! a connection runs one command at a time (it is checked out exclusively); after a
//! transport error, timeout or unexpected prompt it is dropped, never returned; a command
//! is never sent again after a connection loss (the caller gets 502/504 and decides);
//! idle connections older than the idle timeout are closed; a checkout waits at most the
//! checkout timeout for one of `max_size` slots.

use crate::config::PoolConfig;
use crate::error::ApiError;
use axum::http::StatusCode;
use bareos::{Config, Director};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One pool: connections of one console to one director.
pub struct Pool {
    config: Config,
    settings: PoolConfig,
    idle: Mutex<Vec<(Director, Instant)>>,
    slots: Arc<Semaphore>,
    stats: Arc<PoolStats>,
    /// The director refused these credentials: no more logins, no connection kept.
    rejected: std::sync::atomic::AtomicBool,
}

/// Counters over all pools.
#[derive(Default, Debug)]
pub struct PoolStats {
    /// Connections opened.
    pub opened: AtomicU64,
    /// Connections dropped after an error.
    pub broken: AtomicU64,
    /// Checkouts that timed out.
    pub checkout_timeouts: AtomicU64,
    /// Commands run.
    pub commands: AtomicU64,
    /// Commands abandoned before their answer was read (their connection was closed).
    pub abandoned: AtomicU64,
    /// Idle connections closed (with `quit`) because they expired.
    pub expired: AtomicU64,
}

impl Pool {
    fn new(config: Config, settings: PoolConfig, stats: Arc<PoolStats>) -> Self {
        Pool {
            slots: Arc::new(Semaphore::new(settings.max_size)),
            config,
            settings,
            idle: Mutex::new(Vec::new()),
            stats,
            rejected: Default::default(),
        }
    }

    fn refused() -> ApiError {
        ApiError::unauthorized(
            "the director refused the console credentials of this token; log in again",
        )
    }

    /// The director refused the credentials on a new connection (the password was
    /// changed, the console removed): the connections still logged in with them are
    /// ended, and no request of this pool logs in again.
    fn reject(&self) {
        self.rejected.store(true, Ordering::Relaxed);
        for director in self.take_idle(true) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(quit(director));
            }
        }
    }

    /// Checks a connection out: an idle one, or a new login. Waits at most the checkout
    /// timeout for a free slot (then 503).
    pub async fn checkout(self: &Arc<Self>) -> Result<PooledDirector, ApiError> {
        if self.rejected.load(Ordering::Relaxed) {
            return Err(Self::refused());
        }
        let permit = tokio::time::timeout(
            self.settings.checkout_timeout(),
            self.slots.clone().acquire_owned(),
        )
        .await
        .map_err(|_| {
            self.stats.checkout_timeouts.fetch_add(1, Ordering::Relaxed);
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "all director connections of this console are busy; try again",
            )
        })?
        .map_err(|_| ApiError::bad_gateway("the pool is closed"))?;
        let reused = loop {
            let Some((director, since)) = self.idle.lock().unwrap().pop() else {
                break None;
            };
            if since.elapsed() < self.settings.idle_timeout() {
                break Some(director);
            }
            self.expire(director);
        };
        let director = match reused {
            Some(director) => director,
            None => {
                let director = match Director::connect(self.config.clone()).await {
                    Ok(director) => director,
                    Err(e) if e.is_auth() || e.is_pam() => {
                        self.reject();
                        return Err(Self::refused());
                    }
                    Err(e) => return Err(ApiError::from_bareos(&e)),
                };
                self.stats.opened.fetch_add(1, Ordering::Relaxed);
                director
            }
        };
        Ok(PooledDirector {
            director: Some(director),
            pool: self.clone(),
            _permit: permit,
        })
    }

    /// Runs one JSON command on a pooled connection and returns its `result`.
    pub async fn call_json(self: &Arc<Self>, command: &str) -> Result<Value, ApiError> {
        let mut conn = self.checkout().await?;
        conn.call_json(command).await
    }

    /// Runs one JSON command and returns the whole JSON-RPC envelope.
    pub async fn call_envelope(self: &Arc<Self>, command: &str) -> Result<Value, ApiError> {
        let mut conn = self.checkout().await?;
        conn.call_envelope(command).await
    }

    /// Runs one JSON command and returns its `result` as the director's JSON text.
    pub async fn call_json_raw(self: &Arc<Self>, command: &str) -> Result<Box<RawValue>, ApiError> {
        let mut conn = self.checkout().await?;
        conn.call_json_raw(command).await
    }

    /// Number of idle connections.
    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap().len()
    }

    /// Ends an expired idle connection with `quit`, in the background.
    fn expire(&self, director: Director) {
        self.stats.expired.fetch_add(1, Ordering::Relaxed);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(quit(director));
        }
    }

    /// Takes the idle connections out, the expired ones only unless `all`.
    fn take_idle(&self, all: bool) -> Vec<Director> {
        let mut idle = self.idle.lock().unwrap();
        let max_idle = self.settings.idle_timeout();
        let (gone, kept): (Vec<_>, Vec<_>) = idle
            .drain(..)
            .partition(|(_, since)| all || since.elapsed() >= max_idle);
        *idle = kept;
        gone.into_iter().map(|(d, _)| d).collect()
    }

    fn give_back(&self, director: Director) {
        if self.rejected.load(Ordering::Relaxed) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(quit(director));
            }
            return;
        }
        if director.at_prompt() || director.in_restore_tree() {
            self.stats.broken.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.idle.lock().unwrap().push((director, Instant::now()));
    }

    fn is_unused(&self) -> bool {
        let idle = self.idle.lock().unwrap();
        self.slots.available_permits() == self.settings.max_size
            && idle
                .iter()
                .all(|(_, since)| since.elapsed() >= self.settings.idle_timeout())
    }
}

/// Ends a session with `quit`, waiting at most 2 seconds for the director.
async fn quit(director: Director) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), director.close()).await;
}

/// Counts a command whose future was dropped before it finished.
struct Abandoned(Arc<PoolStats>, bool);

impl Abandoned {
    fn finished(mut self) {
        self.1 = false;
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        if self.1 {
            self.0.abandoned.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A checked-out connection; returns to its pool when dropped, unless it broke.
pub struct PooledDirector {
    director: Option<Director>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl PooledDirector {
    /// Runs a command in JSON mode; the `result`, or an error mapped to HTTP.
    pub async fn call_json(&mut self, command: &str) -> Result<Value, ApiError> {
        self.run(command, async |director: &mut Director, command: &str| {
            director.call_json(command).await
        })
        .await
    }

    /// Runs a command in JSON mode; the `result` as the director's JSON text (no tree
    /// is built), or an error mapped to HTTP as by [`PooledDirector::call_json`].
    pub async fn call_json_raw(&mut self, command: &str) -> Result<Box<RawValue>, ApiError> {
        self.run(command, async |director: &mut Director, command: &str| {
            director.call_json_raw(command).await
        })
        .await
    }

    /// Runs a command in JSON mode; the whole envelope (errors included).
    pub async fn call_envelope(&mut self, command: &str) -> Result<Value, ApiError> {
        self.run(command, async |director: &mut Director, command: &str| {
            director
                .call_json_reply(command)
                .await
                .map(|reply| reply.envelope)
        })
        .await
    }

    async fn run<T>(
        &mut self,
        command: &str,
        call: impl AsyncFnOnce(&mut Director, &str) -> bareos::Result<T>,
    ) -> Result<T, ApiError> {
        // The connection is out of `self` while the command runs: if this future is
        // dropped before the answer has been read completely (client gone, request
        // deadline), the connection is dropped with it (closed), never given back to the
        // pool with half a command sent or an answer still on the wire.
        let Some(mut director) = self.director.take() else {
            return Err(ApiError::bad_gateway("the connection is gone"));
        };
        self.pool.stats.commands.fetch_add(1, Ordering::Relaxed);
        let abandoned = Abandoned(self.pool.stats.clone(), true);
        let timeout = self.pool.settings.command_timeout();
        let outcome = tokio::time::timeout(timeout, call(&mut director, command)).await;
        abandoned.finished();
        match outcome {
            Ok(Ok(value)) => {
                self.director = Some(director);
                Ok(value)
            }
            Ok(Err(error)) => {
                if error.is_director_error() {
                    self.director = Some(director);
                } else {
                    // Transport, protocol or timeout: this connection is not trusted
                    // again, and the command is not sent again.
                    self.pool.stats.broken.fetch_add(1, Ordering::Relaxed);
                }
                Err(ApiError::from_bareos(&error))
            }
            Err(_) => {
                self.pool.stats.broken.fetch_add(1, Ordering::Relaxed);
                Err(ApiError::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    "the director did not answer in time",
                ))
            }
        }
    }
}

impl Drop for PooledDirector {
    fn drop(&mut self) {
        if let Some(director) = self.director.take() {
            self.pool.give_back(director);
        }
    }
}

/// Identifies a pool: director name, console name and a keyed hash of the password (so
/// a changed password gets its own pool and the map holds no password).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct PoolKey {
    director: String,
    console: String,
    secret: u64,
}

/// All pools of the server.
pub struct Pools {
    settings: PoolConfig,
    pools: Mutex<HashMap<PoolKey, Arc<Pool>>>,
    hasher: std::collections::hash_map::RandomState,
    /// Counters over all pools.
    pub stats: Arc<PoolStats>,
}

impl Pools {
    /// No pools yet.
    pub fn new(settings: PoolConfig) -> Self {
        Pools {
            settings,
            pools: Mutex::new(HashMap::new()),
            hasher: Default::default(),
            stats: Default::default(),
        }
    }

    /// The pool of (director, console, password); created on first use. `config` makes
    /// the complete connection configuration (address, console, password, TLS); it is
    /// called only when the pool is new.
    pub fn get(
        &self,
        director: &str,
        console: &str,
        password: &str,
        config: impl FnOnce() -> Config,
    ) -> Arc<Pool> {
        let key = PoolKey {
            director: director.to_string(),
            console: console.to_string(),
            secret: self.hasher.hash_one(password),
        };
        let mut pools = self.pools.lock().unwrap();
        // Forget pools nobody used for a while, with their credentials.
        if pools.len() > 64 {
            pools.retain(|_, p| !p.is_unused());
        }
        pools
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Pool::new(
                    config().json(true),
                    self.settings.clone(),
                    self.stats.clone(),
                ))
            })
            .clone()
    }

    /// Ends idle connections older than the idle timeout with `quit`.
    pub async fn reap(&self) {
        let pools: Vec<Arc<Pool>> = self.pools.lock().unwrap().values().cloned().collect();
        for pool in pools {
            for director in pool.take_idle(false) {
                self.stats.expired.fetch_add(1, Ordering::Relaxed);
                quit(director).await;
            }
        }
    }

    /// Ends every idle connection with `quit` (shutdown) and forgets the pools.
    pub async fn close_all(&self) {
        let pools: Vec<Arc<Pool>> = self.pools.lock().unwrap().drain().map(|(_, p)| p).collect();
        for pool in pools {
            pool.slots.close();
            for director in pool.take_idle(true) {
                quit(director).await;
            }
        }
    }

    /// Number of pools.
    pub fn len(&self) -> usize {
        self.pools.lock().unwrap().len()
    }

    /// Whether there is no pool.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
