//! The API of the statistics: an organization's dashboard on a date as its figures (the same
//! object `chibo stats --json` prints), and the rollup picked from those figures by key.

use crate::AppState;
use crate::api::{ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of};
use crate::org::api::AsOfQuery;
use axum::routing::get;
use axum::{Json, Router};
use chibo_domain::stats::Figures;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// The routes of the statistics API.
pub fn routes() -> Router<AppState> {
    Router::new().route("/orgs/{id}/stats", get(stats)).route("/orgs/{id}/dashboard", get(dashboard))
}

/// The rollup of an organization on a date: the key figures of its dashboard.
#[derive(Serialize, ToSchema)]
pub struct StatsOut {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub as_of: NaiveDate,
    /// Party members (probationary and official, exempt and suspended included): `members.total`.
    pub members: i64,
    /// `members.official`.
    pub official: i64,
    /// `members.probationary`.
    pub probationary: i64,
    /// `members.women`.
    pub women: i64,
    /// Members in transit from a cell of the subtree, counted in no cell's members: `members.in_transit`.
    pub in_transit: i64,
    /// Đơn vị trực thuộc: `orgs.direct_children`.
    pub direct_children: i64,
    /// Tổ chức cơ sở đảng in the subtree: `orgs.grassroots`.
    pub grassroots_orgs: i64,
    /// Chi bộ trực thuộc đảng bộ cơ sở in the subtree: `orgs.cells_under_grassroots`.
    pub cells_under_grassroots: i64,
}

/// The figures of an organization on a date: the key figures of its dashboard, as on the home page.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/stats", operation_id = "org_stats", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), AsOfQuery),
    responses((status = 200, body = StatsOut), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn stats(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Json<StatsOut>> {
    let f = figures(&caller, id, q).await?;
    let v = |key: &str| f.value(key);
    Ok(Json(StatsOut {
        members: v("members.total"),
        official: v("members.official"),
        probationary: v("members.probationary"),
        women: v("members.women"),
        in_transit: v("members.in_transit"),
        direct_children: v("orgs.direct_children"),
        grassroots_orgs: v("orgs.grassroots"),
        cells_under_grassroots: v("orgs.cells_under_grassroots"),
        code: f.code,
        name: f.name,
        kind: f.kind,
        as_of: f.as_of,
    }))
}

/// The dashboard of an organization on a date: every figure of the statistics page, in its
/// sections, each with a stable key, its labels, its share and the query of the list behind it.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dashboard", operation_id = "org_dashboard", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), AsOfQuery),
    responses((status = 200, body = Figures), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn dashboard(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Json<Figures>> {
    Ok(Json(figures(&caller, id, q).await?))
}

async fn figures(caller: &Caller, id: i64, q: AsOfQuery) -> ApiResult<Figures> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    Ok(Figures::of(&caller.store()?.dashboard(id, on).await?))
}
