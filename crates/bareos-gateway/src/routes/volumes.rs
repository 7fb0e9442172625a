//! `/control/volumes/...`: list, get, label, update, move, export, import, relabel, delete.

use super::{positive, AppJson, AppPath, AppQuery};
use crate::api_models::{
    DirectorQuery, VolumeExportImport, VolumeLabel, VolumeMove, VolumeProperties, VolumeQuery,
    VolumeRelabel,
};
use crate::command::Command;
use crate::error::{ApiError, ApiResult};
use crate::pool::PooledDirector;
use crate::state::{Session, SharedState};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/control/volumes", get(list_volumes).post(label))
        .route("/control/volumes/move", put(move_volumes))
        .route("/control/volumes/export", put(export))
        .route("/control/volumes/import", put(import))
        .route(
            "/control/volumes/{volume}",
            get(get_volume)
                .patch(update)
                .put(relabel)
                .delete(delete_volume),
        )
}

fn count_of(value: &Value) -> u64 {
    value
        .get("count")
        .and_then(|c| c.as_str().and_then(|s| s.parse().ok()).or(c.as_u64()))
        .unwrap_or(0)
}

async fn one_volume(conn: &mut PooledDirector, name: &str) -> ApiResult<Value> {
    let result = conn
        .call_json(Command::new("llist").arg("volume", name)?.as_str())
        .await?;
    match result.get("volume") {
        Some(Value::Object(v)) if !v.is_empty() => {
            let pool = v
                .get("pool")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            Ok(json!({ "totalItems": 1, "volumes": { pool: [Value::Object(v.clone())] } }))
        }
        _ => Err(ApiError::not_found(format!("No volume {name} found"))),
    }
}

/// Volumes by pool (`llist volumes` with filters, `list volumes ... count`), or one
/// volume with `volume=`.
#[utoipa::path(get, path = "/control/volumes", tag = "volumes", security(("bearer" = [])), params(VolumeQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn list_volumes(
    session: Session,
    AppQuery(q): AppQuery<VolumeQuery>,
) -> ApiResult<Json<Value>> {
    let mut conn = session.pool.checkout().await?;
    if let Some(name) = &q.volume {
        return Ok(Json(one_volume(&mut conn, name).await?));
    }
    if q.limit == Some(0) {
        return Err(ApiError::unprocessable("limit must be at least 1"));
    }
    let filters = |c: Command| -> ApiResult<Command> {
        Ok(c.opt_num("jobid", q.jobid)
            .opt("ujobid", q.ujobid.as_deref())?
            .opt("pool", q.pool.as_deref())?)
    };
    let list = filters(Command::new("llist").word("volumes"))?
        .opt_num("limit", q.limit)
        .opt_num("offset", q.offset);
    let count = filters(Command::new("list").word("volumes"))?.word("count");
    let result = conn.call_json(list.as_str()).await?;
    let counted = conn.call_json(count.as_str()).await?;
    drop(conn);
    let mut volumes = Map::new();
    match result.get("volumes") {
        Some(Value::Object(by_pool)) => volumes = by_pool.clone(),
        Some(Value::Array(items)) => {
            for v in items {
                let pool = v
                    .get("pool")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Some(list) = volumes
                    .entry(pool)
                    .or_insert_with(|| Value::Array(Vec::new()))
                    .as_array_mut()
                {
                    list.push(v.clone());
                }
            }
        }
        _ => {}
    }
    let total: u64 = match counted.get("volumes") {
        Some(Value::Object(by_pool)) => by_pool
            .values()
            .filter_map(|l| l.as_array().and_then(|a| a.first()).map(count_of))
            .sum(),
        Some(Value::Array(a)) => a.first().map(count_of).unwrap_or(0),
        _ => volumes
            .values()
            .filter_map(Value::as_array)
            .map(|a| a.len() as u64)
            .sum(),
    };
    let mut out = json!({ "totalItems": total, "volumes": volumes });
    if let Some(limit) = q.limit {
        out["limit"] = json!(limit);
    }
    if let Some(offset) = q.offset {
        out["offset"] = json!(offset);
    }
    Ok(Json(out))
}

/// One volume by media id (or by name when the path is not a number).
#[utoipa::path(get, path = "/control/volumes/{volume}", tag = "volumes", security(("bearer" = [])),
    params(("volume" = String, Path, description = "media id or volume name"), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn get_volume(
    session: Session,
    AppPath(volume): AppPath<String>,
) -> ApiResult<Json<Value>> {
    let mut conn = session.pool.checkout().await?;
    let Ok(id) = volume.parse::<u64>() else {
        let found = one_volume(&mut conn, &volume).await?;
        let v = found["volumes"]
            .as_object()
            .and_then(|m| m.values().next())
            .and_then(|l| l.get(0))
            .cloned();
        return v
            .map(Json)
            .ok_or_else(|| ApiError::not_found("No volume found"));
    };
    let id = positive(id, "volume_id")?;
    let result = conn.call_json("llist volumes").await?;
    let found = result
        .get("volumes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(Value::as_array)
        .flatten()
        .find(|v| {
            v.get("mediaid")
                .map(|m| m.as_str().map(str::to_string).unwrap_or(m.to_string()))
                == Some(id.to_string())
        })
        .cloned();
    found
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("No volume with id {id} found")))
}

/// Labels a new volume (`label volume= pool= [storage=] [slot=] [drive=]`).
#[utoipa::path(post, path = "/control/volumes", tag = "volumes", security(("bearer" = [])), params(DirectorQuery),
    request_body = VolumeLabel, responses((status = 200, body = Object), (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn label(session: Session, AppJson(l): AppJson<VolumeLabel>) -> ApiResult<Json<Value>> {
    let command = Command::new("label")
        .arg("volume", &l.volume)?
        .arg("pool", &l.pool)?
        .opt("storage", l.storage.as_deref())?
        .opt_num("slot", l.slot)
        .opt_num("drive", l.drive);
    Ok(Json(session.call(&command).await?))
}

/// Updates volume properties (`update volume=NAME ...`), answers the updated volume.
#[utoipa::path(patch, path = "/control/volumes/{volume}", tag = "volumes", security(("bearer" = [])),
    params(("volume" = String, Path), DirectorQuery), request_body = VolumeProperties,
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn update(
    session: Session,
    AppPath(volume): AppPath<String>,
    AppJson(p): AppJson<VolumeProperties>,
) -> ApiResult<Json<Value>> {
    let command = Command::new("update")
        .arg("volume", &volume)?
        .opt("pool", p.pool.as_deref())?
        .opt_num("slot", p.slot)
        .opt("volstatus", p.volstatus.as_deref())?
        .opt("volretention", p.volretention.as_deref())?
        .opt("actiononpurge", p.actiononpurge.as_deref())?
        .opt("recycle", p.recycle.map(|v| v.as_str()))?
        .opt("inchanger", p.inchanger.map(|v| v.as_str()))?
        .opt("maxvolbytes", p.maxvolbytes.as_deref())?
        .opt_num("maxvolfiles", p.maxvolfiles)
        .opt_num("maxvoljobs", p.maxvoljobs)
        .opt("enabled", p.enabled.map(|v| v.as_str()))?
        .opt("recyclepool", p.recyclepool.as_deref())?;
    let mut conn = session.pool.checkout().await?;
    conn.call_json(command.as_str()).await?;
    Ok(Json(one_volume(&mut conn, &volume).await?))
}

/// Moves volumes in an autochanger (`move storage= srcslots= dstslots=`).
#[utoipa::path(put, path = "/control/volumes/move", tag = "volumes", security(("bearer" = [])), params(DirectorQuery),
    request_body = VolumeMove, responses((status = 200, body = Object)))]
pub async fn move_volumes(
    session: Session,
    AppJson(m): AppJson<VolumeMove>,
) -> ApiResult<Json<Value>> {
    let command = Command::new("move")
        .arg("storage", &m.storage)?
        .arg("srcslots", &m.srcslots)?
        .arg("dstslots", &m.dstslots)?;
    Ok(Json(session.call(&command).await?))
}

fn export_import(word: &'static str, e: &VolumeExportImport) -> ApiResult<Command> {
    let mut command = Command::new(word)
        .arg("storage", &e.storage)?
        .opt("srcslots", e.srcslots.as_deref())?
        .opt("dstslots", e.dstslots.as_deref())?
        .opt("volume", e.volume.as_deref())?;
    if e.scan.is_some_and(|s| s.is_yes()) {
        command = command.word("scan");
    }
    Ok(command)
}

/// Exports volumes to import/export slots (`export ...`).
#[utoipa::path(put, path = "/control/volumes/export", tag = "volumes", security(("bearer" = [])), params(DirectorQuery),
    request_body = VolumeExportImport, responses((status = 200, body = Object)))]
pub async fn export(
    session: Session,
    AppJson(e): AppJson<VolumeExportImport>,
) -> ApiResult<Json<Value>> {
    if e.srcslots.is_none() {
        return Err(ApiError::unprocessable("srcslots is required"));
    }
    Ok(Json(session.call(&export_import("export", &e)?).await?))
}

/// Imports volumes from import/export slots (`import ...`).
#[utoipa::path(put, path = "/control/volumes/import", tag = "volumes", security(("bearer" = [])), params(DirectorQuery),
    request_body = VolumeExportImport, responses((status = 200, body = Object)))]
pub async fn import(
    session: Session,
    AppJson(e): AppJson<VolumeExportImport>,
) -> ApiResult<Json<Value>> {
    Ok(Json(session.call(&export_import("import", &e)?).await?))
}

/// Relabels a volume (`relabel oldvolume=NAME volume= storage= pool= [encrypt] yes`).
#[utoipa::path(put, path = "/control/volumes/{volume}", tag = "volumes", security(("bearer" = [])),
    params(("volume" = String, Path), DirectorQuery), request_body = VolumeRelabel,
    responses((status = 200, body = Object)))]
pub async fn relabel(
    session: Session,
    AppPath(volume): AppPath<String>,
    AppJson(r): AppJson<VolumeRelabel>,
) -> ApiResult<Json<Value>> {
    let mut command = Command::new("relabel")
        .arg("oldvolume", &volume)?
        .arg("volume", &r.volume)?
        .arg("storage", &r.storage)?
        .arg("pool", &r.pool)?;
    if r.encrypt.is_some_and(|e| e.is_yes()) {
        command = command.word("encrypt");
    }
    Ok(Json(session.call(&command.word("yes")).await?))
}

/// Deletes a volume from the catalog (`delete volume=NAME yes`); 204.
#[utoipa::path(delete, path = "/control/volumes/{volume}", tag = "volumes", security(("bearer" = [])),
    params(("volume" = String, Path), DirectorQuery), responses((status = 204), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn delete_volume(
    session: Session,
    AppPath(volume): AppPath<String>,
) -> ApiResult<StatusCode> {
    let result = session
        .call(&Command::new("delete").arg("volume", &volume)?.word("yes"))
        .await?;
    let deleted = result
        .get("deleted")
        .and_then(|d| d.get("volumes"))
        .and_then(Value::as_array)
        .is_some_and(|v| !v.is_empty());
    if deleted || result.as_object().is_some_and(|o| o.is_empty()) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("No volume {volume} found")))
    }
}
