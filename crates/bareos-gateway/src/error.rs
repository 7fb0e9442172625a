//! Errors of the gateway and their HTTP form: a status code and a JSON body
//! `{"detail": "...", "messages": [...]}`, never a stack trace.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered to an HTTP client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong.
    pub detail: String,
    /// What the director said, if it said something.
    pub messages: Vec<String>,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
    /// The body is `{"message": detail}` (where bareos-restapi answers so) instead of
    /// `{"detail": ...}`.
    pub as_message: bool,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: detail.into(),
            messages: Vec::new(),
            retry_after: None,
            as_message: false,
        }
    }
    /// 404 with bareos-restapi's `{"message": ...}` body (its answer for a missing
    /// client or pool).
    pub fn not_found_message(message: impl Into<String>) -> Self {
        ApiError {
            as_message: true,
            ..Self::not_found(message)
        }
    }
    /// 429 with `Retry-After`.
    pub fn too_many_requests(detail: impl Into<String>, retry_after_seconds: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after_seconds.max(1)),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, detail)
        }
    }
    /// 401.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }
    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    /// 422.
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }
    /// 502.
    pub fn bad_gateway(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, detail)
    }

    /// Maps a library error: 401 login refused, 403 ACL denial, 404 unknown resource,
    /// 422 rejected or invalid parameters, 502 unreachable/broken, 504 timeout.
    pub fn from_bareos(error: &bareos::Error) -> Self {
        use bareos::ErrorKind as K;
        match error.kind() {
            // The gateway's link to the director, not the client's credentials.
            K::TlsCertificate => {
                Self::bad_gateway(format!("TLS with the director failed: {error}"))
            }
            K::Auth | K::Refused | K::TlsAuth | K::Pam | K::PamOverCleartext => {
                Self::unauthorized("the director refused the console credentials")
            }
            // A value the library refuses before sending anything (e.g. a console name
            // with forbidden characters): bad parameters, not a director problem.
            K::Config | K::Usage => Self::unprocessable(format!("invalid parameters: {error}")),
            K::Timeout => Self::new(
                StatusCode::GATEWAY_TIMEOUT,
                "the director did not answer in time",
            ),
            K::Director => Self::director_failure(error),
            K::UnexpectedPrompt => Self::unprocessable(
                "the command asked a question (missing parameters); the connection was closed",
            ),
            K::TooLarge => Self::bad_gateway("the director's answer is larger than allowed"),
            _ => {
                // The detail (addresses, system errors) is for the log, not for the client.
                tracing::warn!("director unreachable or connection broken: {error}");
                Self::bad_gateway("the director is unreachable or the connection to it broke")
            }
        }
    }

    /// A command the director reported as failed: 403 for an ACL denial, 404 for an
    /// unknown resource, 422 otherwise, with the director's messages.
    fn director_failure(error: &bareos::Error) -> Self {
        let messages: Vec<String> = error
            .director_messages()
            .iter()
            .map(|m| m.trim().to_string())
            .collect();
        let joined = messages.join(" ").to_lowercase();
        let status = if joined.contains("is an invalid command") {
            StatusCode::FORBIDDEN
        } else if joined.contains("not found")
            || joined.contains("does not exist")
            || joined.contains("no such")
        {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let detail = match status {
            StatusCode::FORBIDDEN => "the director denied the command (console ACL)",
            StatusCode::NOT_FOUND => "the director does not know this resource",
            _ => "the director rejected the command",
        };
        ApiError {
            status,
            detail: detail.into(),
            messages,
            retry_after: None,
            as_message: false,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.as_message {
            return (self.status, axum::Json(json!({ "message": self.detail }))).into_response();
        }
        let mut body = json!({ "detail": self.detail });
        if !self.messages.is_empty() {
            body["messages"] = json!(self.messages);
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Bearer".parse().unwrap());
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        ApiError::new(status, format!("invalid JSON body: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::unprocessable(format!("invalid query parameters: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::unprocessable(format!("invalid path parameter: {}", r.body_text()))
    }
}

impl From<crate::command::InvalidValue> for ApiError {
    fn from(e: crate::command::InvalidValue) -> Self {
        ApiError::unprocessable(e.to_string())
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
