//! `/configuration/{type}`: `show` and `configure add` for clients, filesets, jobdefs,
//! jobs, pools, schedules, storages, users, profiles and consoles.

use super::{AppJson, AppPath, AppQuery};
use crate::api_models::{ResourceDefinition, VerboseQuery};
use crate::command::{render_value, Command};
use crate::error::{ApiError, ApiResult};
use crate::state::{Session, SharedState};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// (plural as in paths and `show`, singular as in `show x=` and `configure add x`).
pub const RESOURCE_TYPES: &[(&str, &str)] = &[
    ("clients", "client"),
    ("filesets", "fileset"),
    ("jobdefs", "jobdefs"),
    ("jobs", "job"),
    ("pools", "pool"),
    ("schedules", "schedule"),
    ("storages", "storage"),
    ("users", "user"),
    ("profiles", "profile"),
    ("consoles", "console"),
];

pub fn router() -> Router<SharedState> {
    Router::new()
        .route(
            "/configuration/{kind}",
            get(list_resources).post(add_resource),
        )
        .route("/configuration/{kind}/{name}", get(get_resource))
        // bareos-restapi's misspelled and singular paths, kept as aliases.
        .route("/confguration/jobdefs", post(add_jobdefs_alias))
        .route("/configuration/storage", post(add_storage_alias))
}

fn kind_of(kind: &str) -> ApiResult<(&'static str, &'static str)> {
    RESOURCE_TYPES
        .iter()
        .find(|(plural, _)| *plural == kind)
        .copied()
        .ok_or_else(|| ApiError::not_found(format!("unknown resource type {kind:?}")))
}

fn show(kind: &'static str, name: Option<&str>, verbose: bool) -> ApiResult<Command> {
    let mut command = match name {
        None => Command::new("show").word(kind),
        Some(name) => Command::new("show").arg(kind_of(kind)?.1, name)?,
    };
    if verbose {
        command = command.word("verbose");
    }
    Ok(command)
}

/// All resources of a type: `{"totalItems": n, "<type>": {name: {...}}}`.
#[utoipa::path(get, path = "/configuration/{kind}", tag = "configuration", security(("bearer" = [])),
    params(("kind" = String, Path, description = "clients, filesets, jobdefs, jobs, pools, schedules, storages, users, profiles or consoles"), VerboseQuery),
    responses((status = 200, body = Object), (status = 401, body = crate::api_models::ErrorBody),
              (status = 403, body = crate::api_models::ErrorBody), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn list_resources(
    session: Session,
    AppPath(kind): AppPath<String>,
    AppQuery(query): AppQuery<VerboseQuery>,
) -> ApiResult<Json<Value>> {
    let (plural, _) = kind_of(&kind)?;
    let verbose = query.verbose.map_or(true, |v| v.is_yes());
    let result = session.call(&show(plural, None, verbose)?).await?;
    let items = result.get(plural).cloned().unwrap_or(Value::Null);
    let count = items.as_object().map_or(0, |o| o.len());
    if count == 0 {
        return Err(ApiError::not_found(format!("No {plural} found.")));
    }
    Ok(Json(json!({ "totalItems": count, plural: items })))
}

/// One resource by name: `{name: {...}}` as `show <type>=<name>` answers.
#[utoipa::path(get, path = "/configuration/{kind}/{name}", tag = "configuration", security(("bearer" = [])),
    params(("kind" = String, Path), ("name" = String, Path), VerboseQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody),
              (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn get_resource(
    session: Session,
    AppPath((kind, name)): AppPath<(String, String)>,
    AppQuery(query): AppQuery<VerboseQuery>,
) -> ApiResult<Json<Value>> {
    let (plural, _) = kind_of(&kind)?;
    let verbose = query.verbose.map_or(true, |v| v.is_yes());
    let result = session.call(&show(plural, Some(&name), verbose)?).await?;
    match result.get(plural) {
        Some(Value::Object(items)) if !items.is_empty() => Ok(Json(Value::Object(items.clone()))),
        _ => Err(ApiError::not_found(format!("No {plural} found."))),
    }
}

/// Builds `configure add <type> name=... key=value ...` from a resource definition.
pub fn configure_add(singular: &'static str, def: &ResourceDefinition) -> ApiResult<Command> {
    let mut command = Command::new("configure")
        .word("add")
        .word(singular)
        .arg("name", &def.name)?;
    for (key, value) in &def.directives {
        if value.is_null() {
            continue;
        }
        let key = if key == "runCommand" {
            "run"
        } else {
            key.as_str()
        };
        if key == "name" {
            continue;
        }
        crate::command::check_key(key)?;
        match value {
            Value::String(s) => command = command.arg(key, s)?,
            Value::Bool(b) => command = command.arg(key, if *b { "yes" } else { "no" })?,
            Value::Number(n) => command = command.arg(key, &n.to_string())?,
            Value::Array(items) if key == "run" => {
                for item in items {
                    let s = item
                        .as_str()
                        .ok_or_else(|| ApiError::unprocessable("run entries must be strings"))?;
                    command = command.arg(key, s)?;
                }
            }
            Value::Array(items) => {
                let mut parts = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => parts.push(s.clone()),
                        Value::Number(n) => parts.push(n.to_string()),
                        _ => {
                            return Err(ApiError::unprocessable(format!(
                                "{key}: list entries must be strings"
                            )))
                        }
                    }
                }
                if parts.is_empty() {
                    continue;
                }
                // Validate each entry, then the whole as one value.
                for p in &parts {
                    render_value(key, p)?;
                }
                command = command.arg(key, &parts.join(","))?;
            }
            Value::Object(_) | Value::Null => {
                return Err(ApiError::unprocessable(format!(
                    "{key}: objects are not directive values"
                )))
            }
        }
    }
    Ok(command)
}

async fn add(
    session: Session,
    singular: &'static str,
    def: ResourceDefinition,
) -> ApiResult<Json<Value>> {
    let result = session.call(&configure_add(singular, &def)?).await?;
    if result.get("configure").and_then(|c| c.get("add")).is_some() {
        Ok(Json(result))
    } else {
        Err(ApiError::unprocessable(format!(
            "the director did not add the {singular}"
        )))
    }
}

/// Creates a resource with `configure add`.
#[utoipa::path(post, path = "/configuration/{kind}", tag = "configuration", security(("bearer" = [])),
    params(("kind" = String, Path)), request_body = ResourceDefinition,
    responses((status = 200, body = Object), (status = 403, body = crate::api_models::ErrorBody),
              (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn add_resource(
    session: Session,
    AppPath(kind): AppPath<String>,
    AppJson(def): AppJson<ResourceDefinition>,
) -> ApiResult<Json<Value>> {
    let (_, singular) = kind_of(&kind)?;
    add(session, singular, def).await
}

/// Alias of `POST /configuration/jobdefs` (bareos-restapi's spelling).
#[utoipa::path(post, path = "/confguration/jobdefs", tag = "configuration", security(("bearer" = [])),
    request_body = ResourceDefinition, responses((status = 200, body = Object)))]
pub async fn add_jobdefs_alias(
    session: Session,
    AppJson(def): AppJson<ResourceDefinition>,
) -> ApiResult<Json<Value>> {
    add(session, "jobdefs", def).await
}

/// Alias of `POST /configuration/storages` (bareos-restapi's path).
#[utoipa::path(post, path = "/configuration/storage", tag = "configuration", security(("bearer" = [])),
    request_body = ResourceDefinition, responses((status = 200, body = Object)))]
pub async fn add_storage_alias(
    session: Session,
    AppJson(def): AppJson<ResourceDefinition>,
) -> ApiResult<Json<Value>> {
    add(session, "storage", def).await
}
