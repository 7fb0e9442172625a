//! The OpenAPI document, generated from the handlers' annotations, and the docs page.

use crate::api_models::*;
use crate::routes;
use axum::response::{Html, IntoResponse};
use axum::Json;
use utoipa::openapi::security::{Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::OAuth2(OAuth2::new([Flow::Password(Password::new(
                "/token",
                Scopes::new(),
            ))])),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Bareos REST API (bareos-rs gateway)", description = "bareos-restapi 25 compatible REST, JSON-RPC 2.0 and Prometheus metrics over pooled director console connections. Every route also works under /directors/{name}/... or with ?director=NAME."),
    modifiers(&Security),
    paths(
        routes::login::login, routes::login::refresh, routes::login::revoke, routes::login::me,
        routes::configuration::list_resources, routes::configuration::get_resource,
        routes::configuration::add_resource, routes::configuration::add_jobdefs_alias,
        routes::configuration::add_storage_alias,
        routes::jobs::list_jobs, routes::jobs::get_job, routes::jobs::totals, routes::jobs::logs,
        routes::jobs::files, routes::jobs::run, routes::jobs::rerun_one, routes::jobs::rerun_range,
        routes::jobs::restore, routes::jobs::cancel, routes::jobs::enable, routes::jobs::disable,
        routes::jobs::delete_job,
        routes::volumes::list_volumes, routes::volumes::get_volume, routes::volumes::label,
        routes::volumes::update, routes::volumes::move_volumes, routes::volumes::export,
        routes::volumes::import, routes::volumes::relabel, routes::volumes::delete_volume,
        routes::control::clients, routes::control::client_by_id, routes::control::enable_client,
        routes::control::disable_client, routes::control::pools, routes::control::pool_by_id,
        routes::control::schedules, routes::control::enable_schedule, routes::control::disable_schedule,
        routes::control::version, routes::control::time, routes::control::reload,
        crate::jsonrpc::handle, crate::metrics::handle, crate::server::healthz, crate::server::readyz,
    ),
    components(schemas(Token, UserInfo, ErrorBody, Message, StartedJob, JobControl, RestoreJobControl,
        JobRange, VolumeLabel, VolumeRelabel, VolumeProperties, VolumeMove, VolumeExportImport,
        ResourceDefinition, YesNo, TokenForm, JobQuery, VolumeQuery))
)]
pub struct ApiDoc;

/// `GET /openapi.json`.
pub async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// `GET /docs`: a small, self-contained page (no external assets) that lists the
/// operations of `/openapi.json` and lets you try them with a token. It may not be framed
/// by another page (clickjacking).
pub async fn docs() -> impl IntoResponse {
    (
        [
            (axum::http::header::X_FRAME_OPTIONS, "DENY"),
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                "frame-ancestors 'none'",
            ),
        ],
        Html(include_str!("../assets/docs.html")),
    )
}
