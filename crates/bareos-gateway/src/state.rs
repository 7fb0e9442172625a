//! Shared state and the per-request session (token -> director connection pool).

use crate::auth::{Claims, TokenService};
use crate::config::{DirectorEntry, GatewayConfig};
use crate::error::ApiError;
use crate::metrics::MetricsCache;
use crate::pool::{Pool, Pools};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use bareos::{Config, Password};
use std::sync::Arc;

/// Everything the handlers share.
pub struct AppState {
    /// The configuration.
    pub config: GatewayConfig,
    /// Tokens.
    pub tokens: TokenService,
    /// Connection pools.
    pub pools: Pools,
    /// `/metrics` cache.
    pub metrics: MetricsCache,
    /// `/readyz` cache.
    pub readiness: crate::server::ReadinessCache,
    /// Login throttling.
    pub logins: Arc<crate::throttle::LoginThrottle>,
}

/// Shared state handle.
pub type SharedState = Arc<AppState>;

/// The director chosen by a `/directors/{name}/...` path prefix.
#[derive(Clone, Debug)]
pub struct SelectedDirector(pub String);

impl AppState {
    /// Builds the state.
    pub fn new(config: GatewayConfig) -> Self {
        AppState {
            tokens: TokenService::new(
                &config.jwt.secret,
                config.jwt.expire_minutes,
                config.jwt.max_session_minutes,
            ),
            pools: Pools::new(config.pool.clone()),
            metrics: MetricsCache::default(),
            readiness: Default::default(),
            logins: Arc::new(crate::throttle::LoginThrottle::new(&config.login)),
            config,
        }
    }

    /// The connection configuration of a console on a director.
    pub fn connection(&self, director: &DirectorEntry, console: &str, password: &str) -> Config {
        let timeout = self.config.pool.command_timeout();
        let config = Config::new(director.address.clone())
            .port(director.port)
            .name(console)
            .password(Password::new(password))
            .tls(director.tls_psk)
            .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
            .login_timeout(timeout.min(std::time::Duration::from_secs(10)))
            .json(true);
        director.apply_certificates(config)
    }

    /// The pool of a console on a director.
    pub fn pool(&self, director: &DirectorEntry, console: &str, password: &str) -> Arc<Pool> {
        self.pools.get(&director.name, console, password, || {
            self.connection(director, console, password)
        })
    }

    /// The director named by the request, or the default.
    pub fn director_for(
        &self,
        parts: &Parts,
        fallback: Option<&str>,
    ) -> Result<&DirectorEntry, ApiError> {
        let from_path = parts
            .extensions
            .get::<SelectedDirector>()
            .map(|s| s.0.clone());
        let from_query = parts.uri.query().and_then(query_director);
        let name = from_path.or(from_query);
        let name = name.as_deref().or(fallback);
        // The names of the configured directors are not told to the client.
        self.config
            .director(name)
            .ok_or_else(|| ApiError::not_found("unknown director"))
    }
}

fn query_director(query: &str) -> Option<String> {
    form_pairs(query)
        .into_iter()
        .find(|(k, _)| k == "director")
        .map(|(_, v)| v)
}

/// Decodes `application/x-www-form-urlencoded` pairs (invalid input: none).
pub fn form_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// An authenticated request: the token's console on the chosen director.
pub struct Session {
    /// The verified claims.
    pub claims: Claims,
    /// The director the request goes to.
    pub director: DirectorEntry,
    /// The pool of this console on that director.
    pub pool: Arc<Pool>,
    /// The deadline of a JSON-RPC batch.
    pub batch_timeout: std::time::Duration,
}

impl FromRequestParts<SharedState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::unauthorized("Not authenticated"))?;
        // The scheme is case-insensitive (RFC 9110, 11.1).
        let token = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .ok_or_else(|| ApiError::unauthorized("Not authenticated"))?;
        let (claims, password) = state.tokens.authenticate(token.trim())?;
        let director = state.director_for(parts, Some(&claims.dir))?.clone();
        // A token carries the password of a console of one director: never replay it to
        // another one (a console of the same name there is not the same console).
        if director.name != claims.dir {
            return Err(ApiError::unauthorized(format!(
                "the token was issued for director {:?}, not {:?}; log in to that director",
                claims.dir, director.name
            )));
        }
        let pool = state.pool(&director, &claims.sub, &password);
        Ok(Session {
            claims,
            director,
            pool,
            batch_timeout: std::time::Duration::from_secs(
                state.config.jsonrpc_batch_timeout_seconds.max(1),
            ),
        })
    }
}

impl Session {
    /// Runs a command and returns its `result`.
    pub async fn call(
        &self,
        command: &crate::command::Command,
    ) -> Result<serde_json::Value, ApiError> {
        self.pool.call_json(command.as_str()).await
    }

    /// Runs a command and returns its `result` as the director's JSON text.
    pub async fn call_raw(
        &self,
        command: &crate::command::Command,
    ) -> Result<Box<serde_json::value::RawValue>, ApiError> {
        self.pool.call_json_raw(command.as_str()).await
    }
}
