//! The HTTP application: routes, middleware (limits, CORS, access log, panics as JSON),
//! the `/directors/{name}` prefix, health checks, and serving over HTTP or HTTPS.

use crate::config::GatewayConfig;
use crate::error::ApiError;
use crate::state::{AppState, SelectedDirector, SharedState};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Object)))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The last readiness answer and when it was read: calls within the metrics
/// `cache_seconds` share one director command (like `/metrics`).
#[derive(Default)]
pub struct ReadinessCache {
    cached: tokio::sync::Mutex<Option<(Instant, StatusCode, serde_json::Value)>>,
}

/// Readiness: the metrics console (if configured) can reach its director. Answers within
/// `cache_seconds` of a reading share it.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, body = Object), (status = 503, body = Object)))]
pub async fn readyz(State(state): State<SharedState>) -> Response {
    let Some(m) = &state.config.metrics else {
        return Json(json!({ "status": "ready" })).into_response();
    };
    let Some(director) = state.config.director(m.director.as_deref()).cloned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unknown metrics director" })),
        )
            .into_response();
    };
    let max_age = std::time::Duration::from_secs(m.cache_seconds);
    // One reading at a time; waiting callers get its result.
    let mut cached = state.readiness.cached.lock().await;
    if let Some((at, status, body)) = cached.as_ref() {
        if at.elapsed() < max_age {
            return (*status, Json(body.clone())).into_response();
        }
    }
    let pool = state.pool(&director, &m.console, &m.password);
    let (status, body) = match pool.call_json(".").await {
        Ok(_) => (StatusCode::OK, json!({ "status": "ready" })),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "not ready", "detail": e.detail }),
        ),
    };
    *cached = Some((Instant::now(), status, body.clone()));
    (status, Json(body)).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("Not Found")
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

/// The router with all routes and middleware (without the prefix rewrite).
pub fn router(state: SharedState) -> Router {
    // `Access-Control-Allow-Headers: *` does not cover `Authorization` (Fetch standard):
    // the headers the API reads are listed.
    let allowed_headers = [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT];
    let cors = if state.config.cors_origins.is_empty() {
        None
    } else if state.config.cors_origins.iter().any(|o| o == "*") {
        Some(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_headers(allowed_headers.clone())
                .allow_methods(Any),
        )
    } else {
        let origins: Vec<HeaderValue> = state
            .config
            .cors_origins
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        Some(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_headers(allowed_headers)
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ]),
        )
    };
    let limit = state.config.max_body_bytes;
    let https = state.config.tls.is_some();
    let routes = Router::new()
        .merge(crate::routes::router())
        .merge(crate::jsonrpc::router())
        .route("/metrics", get(crate::metrics::handle))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/docs", get(crate::openapi::docs))
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
        })
        .with_state(state);
    // The middleware wraps the router once, outermost first, rather than every route
    // (`Router::layer`): a request then clones no route's middleware stack.
    let service = tower::ServiceBuilder::new()
        .option_layer(cors)
        .option_layer(https.then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            )
        }))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(axum::middleware::from_fn(access_log))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(move |request, next| {
            json_errors(request, next, limit)
        }))
        .layer(RequestBodyLimitLayer::new(limit))
        .service(routes);
    Router::new().fallback_service(service)
}

/// Every error answer has a JSON body: an error some layer or extractor answered in plain
/// text (e.g. `413 length limit exceeded`) becomes `{"detail": ...}`, or on `/jsonrpc` a
/// JSON-RPC error object (`data.status`: the HTTP status), with the same status.
async fn json_errors(request: Request, next: axum::middleware::Next, limit: usize) -> Response {
    let jsonrpc = request.uri().path() == "/jsonrpc";
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return response;
    }
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("the request body is larger than {limit} bytes")
    } else {
        status.canonical_reason().unwrap_or("error").to_string()
    };
    let body = if jsonrpc {
        json!({
            "jsonrpc": "2.0",
            "error": { "code": -32600, "message": format!("Invalid Request: {detail}"),
                       "data": { "status": status.as_u16() } },
            "id": null,
        })
    } else {
        json!({ "detail": detail })
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(body.to_string()))
}

/// One line per request: method, path (no query string: it may hold a password on
/// `/token` misuse), status, duration. Never headers or bodies.
async fn access_log(request: Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(target: "bareos_gateway::access", %method, %path, status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64, "request");
    response
}

/// Strips `/directors/{name}` from the path and records the name for the handlers.
pub fn rewrite_prefix(mut request: Request) -> Request {
    let path = request.uri().path();
    if let Some(rest) = path.strip_prefix("/directors/") {
        if let Some((name, tail)) = rest.split_once('/') {
            let name = crate::state::form_pairs(&format!("n={name}"))
                .pop()
                .map(|(_, v)| v)
                .unwrap_or_default();
            let tail = format!("/{tail}");
            let new = match request.uri().query() {
                Some(q) => format!("{tail}?{q}"),
                None => tail,
            };
            if let Ok(uri) = new.parse() {
                *request.uri_mut() = uri;
                request.extensions_mut().insert(SelectedDirector(name));
            }
        }
    }
    request
}

/// Serves until SIGTERM or SIGINT (then shuts down gracefully, see
/// [`serve_listener_until`]); HTTPS when `[tls]` is configured.
pub async fn serve(config: GatewayConfig) -> std::io::Result<()> {
    let addr: SocketAddr = config.listen.parse().map_err(|e| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("listen: {e}"))
    })?;
    let listener = bind(addr)?;
    let signal = termination_signal()?;
    serve_listener_until(listener, config, signal).await
}

/// The listening socket, with a listen backlog of 4,096 (the system may cap it): a burst
/// of connections (an attack, or many clients at once) does not overflow the queue, which
/// would delay a legitimate client's connection by a SYN retransmission (1 s).
fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Completes on the first SIGTERM or SIGINT.
fn termination_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM"),
                _ = int.recv() => tracing::info!("SIGINT"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async move {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Serves on an already bound listener (also tests, `--demo`) until the process ends;
/// HTTPS when `[tls]` is configured. Connections are limited in number, header read time
/// and idle time ([`crate::conn`]).
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    config: GatewayConfig,
) -> std::io::Result<()> {
    serve_listener_until(listener, config, std::future::pending()).await
}

/// Serves on an already bound listener until `shutdown` completes, then shuts down
/// gracefully: no new connections, requests in progress get `shutdown_timeout_seconds`
/// to finish, then the idle pooled director connections are ended with `quit`.
pub async fn serve_listener_until(
    listener: tokio::net::TcpListener,
    config: GatewayConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let limits = crate::conn::Limits::of(&config);
    let tls = match &config.tls {
        Some(tls) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rustls_config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key).await?;
            Some(tokio_rustls::TlsAcceptor::from(rustls_config.get_inner()))
        }
        None => None,
    };
    tracing::info!(%addr, https = tls.is_some(), ?limits, "serving");
    let state = Arc::new(AppState::new(config));
    let reaper = tokio::spawn(reap_idle(Arc::downgrade(&state)));
    let served = crate::conn::serve(listener, router(state.clone()), limits, tls, shutdown).await;
    reaper.abort();
    state.pools.close_all().await;
    tracing::info!("stopped");
    served
}

/// Ends expired idle director connections with `quit`, as long as the server runs.
async fn reap_idle(state: std::sync::Weak<AppState>) {
    loop {
        let period = match state.upgrade() {
            Some(state) => {
                state.pools.reap().await;
                (state.config.pool.idle_timeout() / 2).max(std::time::Duration::from_secs(1))
            }
            None => return,
        };
        tokio::time::sleep(period).await;
    }
}
