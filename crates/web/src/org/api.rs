//! Organizations: search, one organization as it stood on a date, its sub-organizations on a
//! date (paged). Its figures are the statistics' (`crate::stats::api`).

use crate::api::{ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, limit};
use axum::Json;
use chibo_store::org::OrgNode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An organization as it stood on a date.
#[derive(Serialize, ToSchema)]
pub struct OrgOut {
    pub id: i64,
    /// Official code.
    pub code: String,
    /// Name on that date.
    pub name: String,
    /// Level (cấp) on that date: trung_uong, tinh, tren_co_so, dang_bo_co_so, chi_bo_co_so,
    /// dang_bo_bo_phan, chi_bo_truc_thuoc, to_dang.
    pub kind: String,
    /// Category (loại hình) on that date.
    pub category: String,
    /// Parent on that date.
    pub parent_id: Option<i64>,
}

/// A page of organizations.
#[derive(Serialize, ToSchema)]
pub struct OrgPage {
    pub items: Vec<OrgOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words of the name (diacritics and case ignored) or an exact code; empty: the roots of
    /// the scope.
    pub q: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Organizations of the scope by name or code (existing today).
#[utoipa::path(get, path = "/api/v1/orgs", operation_id = "search_orgs", tag = "orgs", params(SearchQuery),
    responses((status = 200, body = OrgPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn search(caller: Caller, ApiQuery(q): ApiQuery<SearchQuery>) -> ApiResult<Json<OrgPage>> {
    let n = limit(q.limit)?;
    let scope = caller.scope()?;
    let store = caller.app.store.within(&scope);
    let orgs = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => store.search_orgs(text, i64::from(n)).await?,
        None => {
            let roots = match scope.root() {
                Some(r) => vec![r],
                None => caller.app.store.root_orgs().await?,
            };
            let mut v = Vec::new();
            for r in roots.into_iter().take(n as usize) {
                v.push(store.org(r).await?);
            }
            v
        }
    };
    let items = orgs
        .into_iter()
        .map(|o| OrgOut {
            id: o.id,
            code: o.code,
            name: o.name,
            kind: o.kind.code().to_owned(),
            category: o.category.code().to_owned(),
            parent_id: o.parent_id,
        })
        .collect();
    Ok(Json(OrgPage { items, next_cursor: None }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AsOfQuery {
    /// The date (yyyy-mm-dd); default today.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// One organization as it stood on a date (404 if it did not exist then or is outside the
/// scope).
#[utoipa::path(get, path = "/api/v1/orgs/{id}", operation_id = "get_org", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), AsOfQuery),
    responses((status = 200, body = OrgOut), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_org(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Json<OrgOut>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let store = caller.store()?;
    Ok(Json(org_out(store.node_at(id, on).await?.ok_or_else(Problem::not_found)?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChildrenQuery {
    /// The date (yyyy-mm-dd); default today.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
    /// From `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The sub-organizations of an organization on a date, in Vietnamese name order.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", operation_id = "org_children", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), ChildrenQuery),
    responses((status = 200, body = OrgPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn children(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<ChildrenQuery>) -> ApiResult<Json<OrgPage>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let (start, n) = (offset_cursor(q.cursor.as_deref())?, limit(q.limit)?);
    let store = caller.store()?;
    store.node_at(id, on).await?.ok_or_else(Problem::not_found)?;
    Ok(Json(page_of(store.children(id, on).await?, start, n)))
}

/// An offset cursor of a tree listing ("50").
fn offset_cursor(c: Option<&str>) -> ApiResult<usize> {
    c.map_or(Ok(0), |c| c.parse::<usize>().map_err(|_| Problem::bad_request("cursor không hợp lệ")))
}

/// One page of a tree listing that is read whole (a level or a few levels of one subtree).
fn page_of(all: Vec<OrgNode>, start: usize, n: u32) -> OrgPage {
    let n = n as usize;
    let next_cursor = (all.len() > start + n).then(|| (start + n).to_string());
    let items = all.into_iter().skip(start).take(n).map(org_out).collect();
    OrgPage { items, next_cursor }
}

fn org_out(c: OrgNode) -> OrgOut {
    OrgOut { id: c.id, code: c.code, name: c.name, kind: c.kind.code().to_owned(), category: c.category.code().to_owned(), parent_id: c.parent_id }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SubtreeQuery {
    /// The date (yyyy-mm-dd); default today.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
    /// Levels below the organization, 1 to 10; default 1.
    #[param(minimum = 1, maximum = 10)]
    pub depth: Option<u32>,
    /// From `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The tree under an organization as it stood on a date, depth-first, sub-organizations of
/// one parent in Vietnamese name order (the organization itself first).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/subtree", operation_id = "org_subtree", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), SubtreeQuery),
    responses((status = 200, body = OrgPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn subtree(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<SubtreeQuery>) -> ApiResult<Json<OrgPage>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let (start, n) = (offset_cursor(q.cursor.as_deref())?, limit(q.limit)?);
    let depth = match q.depth.unwrap_or(1) {
        d @ 1..=10 => d,
        d => return Err(Problem::bad_request(format!("depth phải từ 1 đến 10 (nhận được {d})"))),
    };
    let store = caller.store()?;
    store.node_at(id, on).await?.ok_or_else(Problem::not_found)?;
    Ok(Json(page_of(store.subtree(id, on, Some(depth)).await?, start, n)))
}
