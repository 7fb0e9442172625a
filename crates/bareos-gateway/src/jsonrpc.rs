//! JSON-RPC 2.0 at `/jsonrpc`, with the methods of bareos-jsonrpc-server.py: `execute`
//! and `call` (a console command, its `result`), `execute_fullresult` (the director's
//! whole JSON-RPC envelope), `list` (`list <args>`). Batches, notifications and the
//! standard error codes; director errors are `-32000` with the HTTP-like status in
//! `data`.

use crate::command::check_free_command;
use crate::error::ApiError;
use crate::state::{Session, SharedState};
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_ERROR: i64 = -32000;

fn error(id: Value, code: i64, message: &str, data: Option<Value>) -> Value {
    let mut e = json!({ "code": code, "message": message });
    if let Some(d) = data {
        e["data"] = d;
    }
    json!({ "jsonrpc": "2.0", "error": e, "id": id })
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
            let reply = error(Value::Null, INVALID_REQUEST, &message, Some(data));
            return (e.status(), Json(reply)).into_response();
        }
    };
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return Json(error(Value::Null, PARSE_ERROR, "Parse error", None)).into_response()
        }
    };
    match parsed {
        Value::Array(items) if items.is_empty() => {
            Json(error(Value::Null, INVALID_REQUEST, "Invalid Request", None)).into_response()
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if let Some(reply) = one(&session, item).await {
                    out.push(reply);
                }
            }
            if out.is_empty() {
                StatusCode::NO_CONTENT.into_response()
            } else {
                Json(Value::Array(out)).into_response()
            }
        }
        single => match one(&session, single).await {
            Some(reply) => Json(reply).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        },
    }
}

fn command_param(params: Option<&Value>, name: &str) -> Option<String> {
    match params {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
        Some(Value::Object(o)) => o.get(name).and_then(Value::as_str).map(str::to_string),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// One request; `None` for a notification.
async fn one(session: &Session, request: Value) -> Option<Value> {
    let Value::Object(obj) = &request else {
        return Some(error(Value::Null, INVALID_REQUEST, "Invalid Request", None));
    };
    let id = obj.get("id").cloned();
    let notification = id.is_none();
    let id = id.unwrap_or(Value::Null);
    if !matches!(id, Value::Null | Value::String(_) | Value::Number(_))
        || obj.get("jsonrpc") != Some(&json!("2.0"))
    {
        return Some(error(Value::Null, INVALID_REQUEST, "Invalid Request", None));
    }
    let Some(method) = obj.get("method").and_then(Value::as_str) else {
        return Some(error(id, INVALID_REQUEST, "Invalid Request", None));
    };
    let params = obj.get("params");
    let reply = match method {
        "execute" | "call" | "execute_fullresult" => {
            let Some(command) = command_param(params, "command") else {
                return Some(error(
                    id,
                    INVALID_PARAMS,
                    "Invalid params: a command string is needed",
                    None,
                ));
            };
            run(session, &command, method == "execute_fullresult").await
        }
        "list" => {
            let args = command_param(params, "command").unwrap_or_default();
            run(session, &format!("list {args}"), false).await
        }
        _ => return Some(error(id, METHOD_NOT_FOUND, "Method not found", None)),
    };
    if notification {
        return None;
    }
    Some(match reply {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
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
