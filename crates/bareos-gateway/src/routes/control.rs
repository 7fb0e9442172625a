//! `/control/clients`, `/control/pools`, `/control/schedules`, `/control/directors`.

use super::{as_list, positive, AppPath, AppQuery, RawJson};
use crate::api_models::{DirectorQuery, NameQuery};
use crate::command::Command;
use crate::error::{ApiError, ApiResult};
use crate::state::{Session, SharedState};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/control/clients", get(clients))
        .route("/control/clients/{client_id}", get(client_by_id))
        .route("/control/clients/enable/{name}", put(enable_client))
        .route("/control/clients/disable/{name}", put(disable_client))
        .route("/control/pools", get(pools))
        .route("/control/pools/{pool_id}", get(pool_by_id))
        .route("/control/schedules", get(schedules))
        .route("/control/schedules/enable/{name}", put(enable_schedule))
        .route("/control/schedules/disable/{name}", put(disable_schedule))
        .route("/control/directors/version", get(version))
        .route("/control/directors/time", get(time))
        .route("/control/directors/reload", put(reload))
}

fn id_matches(item: &Value, key: &str, id: u64) -> bool {
    match item.get(key) {
        Some(Value::String(s)) => s == &id.to_string(),
        Some(Value::Number(n)) => n.as_u64() == Some(id),
        _ => false,
    }
}

async fn catalog_list(
    session: &Session,
    plural: &'static str,
    singular: &str,
    name: Option<&str>,
) -> ApiResult<Vec<Value>> {
    let command = match name {
        Some(n) => Command::new("llist").arg(singular, n)?,
        None => Command::new("llist").word(plural),
    };
    let result = session.call(&command).await?;
    Ok(as_list(result.get(plural)))
}

/// Clients from the catalog (`llist clients` / `llist client=NAME`).
#[utoipa::path(get, path = "/control/clients", tag = "clients", security(("bearer" = [])), params(NameQuery),
    responses((status = 200, body = Object), (status = 404, body = Object, description = "{\"message\": ...} when there is none; {\"detail\": ...} when the director refuses")))]
pub async fn clients(session: Session, AppQuery(q): AppQuery<NameQuery>) -> ApiResult<Json<Value>> {
    let items = catalog_list(&session, "clients", "client", q.name.as_deref()).await?;
    if items.is_empty() {
        return Err(ApiError::not_found_message("No clients found."));
    }
    Ok(Json(json!({ "totalItems": items.len(), "clients": items })))
}

/// One client by catalog id.
#[utoipa::path(get, path = "/control/clients/{client_id}", tag = "clients", security(("bearer" = [])),
    params(("client_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = Object, description = "{\"message\": ...} (bareos-restapi's body) when there is no such item; {\"detail\": ...} for an unknown director")))]
pub async fn client_by_id(session: Session, AppPath(id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let id = positive(id, "client_id")?;
    catalog_list(&session, "clients", "client", None)
        .await?
        .into_iter()
        .find(|c| id_matches(c, "clientid", id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found_message(format!("Client with Client ID {id} not found")))
}

async fn switch(session: &Session, enable: bool, kind: &str, name: &str) -> ApiResult<Json<Value>> {
    let command = Command::new(if enable { "enable" } else { "disable" }).arg(kind, name)?;
    Ok(Json(session.call(&command).await?))
}

/// Enables a client (`enable client=NAME`).
#[utoipa::path(put, path = "/control/clients/enable/{name}", tag = "clients", security(("bearer" = [])),
    params(("name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn enable_client(
    session: Session,
    AppPath(name): AppPath<String>,
) -> ApiResult<Json<Value>> {
    switch(&session, true, "client", &name).await
}

/// Disables a client (`disable client=NAME`).
#[utoipa::path(put, path = "/control/clients/disable/{name}", tag = "clients", security(("bearer" = [])),
    params(("name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn disable_client(
    session: Session,
    AppPath(name): AppPath<String>,
) -> ApiResult<Json<Value>> {
    switch(&session, false, "client", &name).await
}

/// Pools from the catalog (`llist pools` / `llist pool=NAME`).
#[utoipa::path(get, path = "/control/pools", tag = "pools", security(("bearer" = [])), params(NameQuery),
    responses((status = 200, body = Object), (status = 404, body = Object, description = "{\"message\": ...} when there is none; {\"detail\": ...} when the director refuses")))]
pub async fn pools(session: Session, AppQuery(q): AppQuery<NameQuery>) -> ApiResult<Json<Value>> {
    let items = catalog_list(&session, "pools", "pool", q.name.as_deref()).await?;
    if items.is_empty() {
        return Err(ApiError::not_found_message("No pools found."));
    }
    Ok(Json(json!({ "totalItems": items.len(), "pools": items })))
}

/// One pool by catalog id.
#[utoipa::path(get, path = "/control/pools/{pool_id}", tag = "pools", security(("bearer" = [])),
    params(("pool_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = Object, description = "{\"message\": ...} (bareos-restapi's body) when there is no such item; {\"detail\": ...} for an unknown director")))]
pub async fn pool_by_id(session: Session, AppPath(id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let id = positive(id, "pool_id")?;
    catalog_list(&session, "pools", "pool", None)
        .await?
        .into_iter()
        .find(|p| id_matches(p, "poolid", id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found_message(format!("pool with pool ID {id} not found")))
}

/// Schedules and whether they are enabled (`.schedule`).
#[utoipa::path(get, path = "/control/schedules", tag = "schedules", security(("bearer" = [])), params(DirectorQuery),
    responses((status = 200, body = Object)))]
pub async fn schedules(session: Session) -> ApiResult<Json<Value>> {
    let result = session.call(&Command::new(".schedule")).await?;
    let items = as_list(result.get("schedules"));
    Ok(Json(
        json!({ "totalItems": items.len(), "schedules": items }),
    ))
}

/// Enables a schedule (`enable schedule=NAME`).
#[utoipa::path(put, path = "/control/schedules/enable/{name}", tag = "schedules", security(("bearer" = [])),
    params(("name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn enable_schedule(
    session: Session,
    AppPath(name): AppPath<String>,
) -> ApiResult<Json<Value>> {
    switch(&session, true, "schedule", &name).await
}

/// Disables a schedule (`disable schedule=NAME`).
#[utoipa::path(put, path = "/control/schedules/disable/{name}", tag = "schedules", security(("bearer" = [])),
    params(("name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn disable_schedule(
    session: Session,
    AppPath(name): AppPath<String>,
) -> ApiResult<Json<Value>> {
    switch(&session, false, "schedule", &name).await
}

/// The member `key` of the command's result, passed on as the director's JSON text.
async fn director_field(session: &Session, command: &'static str, key: &str) -> ApiResult<RawJson> {
    let result = session.call_raw(&Command::new(command)).await?;
    // The result's members, each value only checked, not built (the last of a repeated
    // key counts, as in a parsed object).
    serde_json::from_str::<std::collections::HashMap<String, &serde_json::value::RawValue>>(
        result.get(),
    )
    .ok()
    .and_then(|members| members.get(key).map(|value| RawJson((*value).to_owned())))
    .ok_or_else(|| ApiError::not_found(format!("No {key} info returned")))
}

/// Director version (`version`).
#[utoipa::path(get, path = "/control/directors/version", tag = "directors", security(("bearer" = [])), params(DirectorQuery),
    responses((status = 200, body = Object)))]
pub async fn version(session: Session) -> ApiResult<RawJson> {
    director_field(&session, "version", "version").await
}

/// Director time (`time`).
#[utoipa::path(get, path = "/control/directors/time", tag = "directors", security(("bearer" = [])), params(DirectorQuery),
    responses((status = 200, body = Object)))]
pub async fn time(session: Session) -> ApiResult<RawJson> {
    director_field(&session, "time", "time").await
}

/// Reloads the director configuration (`reload`).
#[utoipa::path(put, path = "/control/directors/reload", tag = "directors", security(("bearer" = [])), params(DirectorQuery),
    responses((status = 200, body = Object)))]
pub async fn reload(session: Session) -> ApiResult<RawJson> {
    director_field(&session, "reload", "reload").await
}
