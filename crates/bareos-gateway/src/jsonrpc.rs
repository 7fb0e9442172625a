//! JSON-RPC 2.0 at `/jsonrpc`, with the methods of bareos-jsonrpc-server.py: `execute`
//! and `call` (a console command, its `result`), `execute_fullresult` (the director's
//! whole JSON-RPC envelope), `list` (`list <args>`). Batches, notifications and the
//! standard error codes; director errors are `-32000` with the HTTP-like status in
//! `data`. Ids are echoed exactly as sent. A batch has an overall deadline
//! (`jsonrpc_batch_timeout_seconds`): a command still running then is abandoned, the
//! ones after it are not run (`-32000`, status 504).

use crate::command::check_free_command;
use crate::error::ApiError;
use crate::state::{Session, SharedState};
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_ERROR: i64 = -32000;

fn error(id: Box<RawValue>, code: i64, message: &str, data: Option<Value>) -> Answer {
    let mut e = json!({ "code": code, "message": message });
    if let Some(d) = data {
        e["data"] = d;
    }
    Answer {
        jsonrpc: "2.0",
        result: None,
        error: Some(e),
        id,
    }
}

/// `POST /jsonrpc` (Bearer token as for REST).
#[utoipa::path(post, path = "/jsonrpc", tag = "jsonrpc", operation_id = "jsonrpc", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "A JSON-RPC 2.0 request (object) or batch (array): methods execute, execute_fullresult, list, call"),
    responses((status = 200, body = serde_json::Value, description = "JSON-RPC response (object) or batch responses (array)"), (status = 204, description = "only notifications"),
               (status = 413, body = serde_json::Value, description = "JSON-RPC error (-32600): the body is larger than allowed")))]
pub async fn handle(
    session: Session,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            let data = json!({ "status": e.status().as_u16() });
            let message = format!("Invalid Request: {}", e.body_text());
            let reply = error(null_id(), INVALID_REQUEST, &message, Some(data));
            return (e.status(), Json(reply)).into_response();
        }
    };
    // Ids are echoed exactly as sent (`123456789012345678901234567890` stays an integer
    // of 30 digits): each one is kept as raw JSON, never read as a float.
    let raw: &RawValue = match serde_json::from_slice(&body) {
        Ok(raw) => raw,
        Err(_) => return reply(error(null_id(), PARSE_ERROR, "Parse error", None)),
    };
    let deadline = tokio::time::Instant::now() + session.batch_timeout;
    if raw.get().trim_start().starts_with('[') {
        let items: Vec<&RawValue> = match serde_json::from_str(raw.get()) {
            Ok(items) => items,
            Err(_) => return reply(error(null_id(), PARSE_ERROR, "Parse error", None)),
        };
        if items.is_empty() {
            return reply(error(null_id(), INVALID_REQUEST, "Invalid Request", None));
        }
        let mut out = Vec::new();
        for item in items {
            if let Some(answer) = one(&session, item, deadline).await {
                out.push(answer);
            }
        }
        if out.is_empty() {
            StatusCode::NO_CONTENT.into_response()
        } else {
            Json(out).into_response()
        }
    } else {
        match one(&session, raw, deadline).await {
            Some(answer) => reply(answer),
            None => StatusCode::NO_CONTENT.into_response(),
        }
    }
}

fn reply(answer: Answer) -> Response {
    Json(answer).into_response()
}

/// A JSON-RPC response: `result` or `error`, and the request's id as it was sent.
#[derive(Serialize)]
pub struct Answer {
    jsonrpc: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
    id: Box<RawValue>,
}

fn null_id() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

/// A request object; its id raw, if it has one (`"id": null` is one; no `id` is a
/// notification). Other members are ignored.
#[derive(Deserialize)]
struct RequestOf {
    #[serde(default)]
    jsonrpc: Option<Value>,
    #[serde(default)]
    method: Option<Value>,
    #[serde(default)]
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Box<RawValue>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(d).map(Some)
}

/// Whether a raw id is one JSON-RPC allows: a string, a number or null.
fn valid_id(id: &RawValue) -> bool {
    let text = id.get();
    text == "null"
        || text.starts_with('"')
        || text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
}

fn command_param(params: Option<&Value>, name: &str) -> Option<String> {
    match params {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
        Some(Value::Object(o)) => o.get(name).and_then(Value::as_str).map(str::to_string),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// One request; `None` for a notification. Not run once the batch deadline has passed.
async fn one(session: &Session, raw: &RawValue, deadline: tokio::time::Instant) -> Option<Answer> {
    let parsed = raw
        .get()
        .trim_start()
        .starts_with('{')
        .then(|| serde_json::from_str::<RequestOf>(raw.get()).ok())
        .flatten();
    let Some(request) = parsed else {
        return Some(error(null_id(), INVALID_REQUEST, "Invalid Request", None));
    };
    let notification = request.id.is_none();
    let id = request.id.unwrap_or_else(null_id);
    if !valid_id(&id) || request.jsonrpc.as_ref() != Some(&json!("2.0")) {
        return Some(error(null_id(), INVALID_REQUEST, "Invalid Request", None));
    }
    let Some(method) = request.method.as_ref().and_then(Value::as_str) else {
        return Some(error(id, INVALID_REQUEST, "Invalid Request", None));
    };
    let params = request.params.as_ref();
    let command = match method {
        "execute" | "call" | "execute_fullresult" => {
            let Some(command) = command_param(params, "command") else {
                return Some(error(
                    id,
                    INVALID_PARAMS,
                    "Invalid params: a command string is needed",
                    None,
                ));
            };
            command
        }
        "list" => format!(
            "list {}",
            command_param(params, "command").unwrap_or_default()
        ),
        _ => return Some(error(id, METHOD_NOT_FOUND, "Method not found", None)),
    };
    let envelope = method == "execute_fullresult";
    let reply = match tokio::time::timeout_at(deadline, run(session, &command, envelope)).await {
        Ok(reply) => reply,
        Err(_) => Err(ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "the batch deadline passed; the command was not run or not finished",
        )),
    };
    if notification {
        return None;
    }
    Some(match reply {
        Ok(result) => Answer {
            jsonrpc: "2.0",
            result: Some(result),
            error: None,
            id,
        },
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY && e.messages.is_empty() => error(
            id,
            INVALID_PARAMS,
            &format!("Invalid params: {}", e.detail),
            Some(json!({ "status": 422 })),
        ),
        Err(e) => error(
            id,
            SERVER_ERROR,
            &e.detail,
            Some(json!({ "status": e.status.as_u16(), "messages": e.messages })),
        ),
    })
}

async fn run(session: &Session, command: &str, envelope: bool) -> Result<Value, ApiError> {
    let command = check_free_command(command)?;
    if envelope {
        session.pool.call_envelope(command).await
    } else {
        session.pool.call_json(command).await
    }
}

/// Registers the route.
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new().route("/jsonrpc", axum::routing::post(handle))
}
