//! The REST routes (bareos-restapi 25 paths, plus corrected names) and shared helpers.

pub(crate) mod configuration;
pub(crate) mod control;
pub(crate) mod jobs;
pub(crate) mod login;
pub(crate) mod volumes;

use crate::error::ApiError;
use crate::state::SharedState;
use axum::extract::{FromRequest, FromRequestParts};
use axum::Router;
use serde_json::Value;

pub use configuration::RESOURCE_TYPES;

/// JSON body whose rejection is a JSON 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

/// Query string whose rejection is a JSON 422.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct AppQuery<T>(pub T);

/// Path parameters whose rejection is a JSON 422.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

/// All REST routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .merge(login::router())
        .merge(configuration::router())
        .merge(jobs::router())
        .merge(volumes::router())
        .merge(control::router())
}

/// A positive id from a path (`ge=1` in bareos-restapi).
pub fn positive(id: u64, what: &str) -> Result<u64, ApiError> {
    if id == 0 {
        Err(ApiError::unprocessable(format!(
            "{what} must be at least 1"
        )))
    } else {
        Ok(id)
    }
}

/// A list the director may send as `{}` when empty, as an array.
pub fn as_list(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(o)) if !o.is_empty() => vec![Value::Object(o.clone())],
        _ => Vec::new(),
    }
}

/// A JSON answer passed on as the director sent it (`application/json`), without
/// building its tree.
pub struct RawJson(pub Box<serde_json::value::RawValue>);

impl axum::response::IntoResponse for RawJson {
    fn into_response(self) -> axum::response::Response {
        let text: Box<str> = self.0.into();
        (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            text.into_string(),
        )
            .into_response()
    }
}

/// A raw, possibly empty body (for GET routes that bareos-restapi let take a JSON body).
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| ApiError::new(e.status(), e.body_text()))
    }
}
