//! `/token`, `/token/refresh`, `/users/me`.

use crate::api_models::{Token, TokenForm, UserInfo};
use crate::conn::ClientAddress;
use crate::error::{ApiError, ApiResult};
use crate::state::{Session, SharedState};
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use bareos::Director;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/token", post(login))
        .route("/token/refresh", post(refresh))
        .route("/token/revoke", post(revoke))
        .route("/users/me", get(me))
        .route("/users/me/", get(me))
}

/// OAuth2 password flow: the user name and password are a named console of the
/// director; the login is checked on a connection of its own, closed right after (the
/// requests made with the token use the pool, which opens its own connections).
#[utoipa::path(post, path = "/token", tag = "auth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    params(("director" = Option<String>, Query, description = "Director (default: the first configured)")),
    responses((status = 200, body = Token), (status = 401, body = crate::api_models::ErrorBody),
              (status = 413, body = crate::api_models::ErrorBody), (status = 422, body = crate::api_models::ErrorBody),
              (status = 429, body = crate::api_models::ErrorBody, description = "too many failed logins from this address (or of this user from it), or too many logins at once: see Retry-After"),
              (status = 502, body = crate::api_models::ErrorBody)))]
pub async fn login(
    State(state): State<SharedState>,
    parts: Parts,
    form: Result<Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> ApiResult<impl IntoResponse> {
    let Form(form) = form.map_err(|e| {
        let status = match e.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => e.status(),
            _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, format!("invalid login form: {}", e.body_text()))
    })?;
    if form.username.is_empty()
        || form.username.len() > 127
        || form.username.chars().any(char::is_control)
    {
        return Err(ApiError::unauthorized("Incorrect username or password"));
    }
    let director = state.director_for(&parts, None)?.clone();
    let address = parts
        .extensions
        .get::<ClientAddress>()
        .copied()
        .unwrap_or(ClientAddress(std::net::IpAddr::from([0, 0, 0, 0])));
    let permit = state.logins.begin(address, &form.username).map_err(|t| {
        ApiError::too_many_requests(
            "too many login attempts; try again later",
            t.retry_after_seconds,
        )
    })?;
    let config = state.connection(&director, &form.username, &form.password);
    // A dedicated login, not a pooled connection: a wrong password never occupies a
    // pool slot, and the connection is closed once the password is known to be right.
    let connection = match Director::connect(config).await {
        Ok(connection) => connection,
        Err(e) => {
            let mapped = ApiError::from_bareos(&e);
            // A name the library refuses (forbidden characters) cannot be a console either.
            if mapped.status == 401 || e.is_config() {
                permit.failed();
                return Err(ApiError::unauthorized("Incorrect username or password"));
            }
            return Err(mapped);
        }
    };
    drop(permit);
    drop(connection);
    let access_token = state
        .tokens
        .issue(&form.username, &form.password, &director.name)?;
    Ok(no_store(Json(Token {
        expires_in: state.tokens.expires_in(&access_token),
        access_token,
        token_type: "bearer".into(),
    })))
}

/// A token answer: never stored by a cache (RFC 6749, 5.1).
fn no_store(token: Json<Token>) -> impl IntoResponse {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        token,
    )
}

/// A new token with a new expiry, for a still valid one; never past the absolute end of
/// the session (`max_session_minutes` after the login).
#[utoipa::path(post, path = "/token/refresh", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Token), (status = 401, body = crate::api_models::ErrorBody)))]
pub async fn refresh(
    State(state): State<SharedState>,
    session: Session,
) -> ApiResult<impl IntoResponse> {
    let access_token = state.tokens.refresh(&session.claims)?;
    Ok(no_store(Json(Token {
        expires_in: state.tokens.expires_in(&access_token),
        access_token,
        token_type: "bearer".into(),
    })))
}

/// Logout: revokes the token's session (the token and every token refreshed from it or
/// that it was refreshed from). Kept by the server process that received it until the
/// session would have ended.
#[utoipa::path(post, path = "/token/revoke", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "the session is revoked"), (status = 401, body = crate::api_models::ErrorBody)))]
pub async fn revoke(State(state): State<SharedState>, session: Session) -> axum::http::StatusCode {
    state.tokens.revoke(&session.claims);
    axum::http::StatusCode::NO_CONTENT
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/users/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserInfo), (status = 401, body = crate::api_models::ErrorBody)))]
pub async fn me(session: Session) -> Json<UserInfo> {
    Json(UserInfo {
        username: session.claims.sub.clone(),
        director_name: session.director.name.clone(),
    })
}
