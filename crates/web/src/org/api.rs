//! Organizations: search, one organization as it stood on a date, its sub-organizations on a
//! date (paged), and the writes of the tree: founding (a top organization too, so an empty
//! installation can start), rename, reclassify, move, dissolve and merge, each read into the
//! domain's command the page reads its form into, changes with `If-Match`. Its figures are
//! the statistics' (`crate::stats::api`).

use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, if_match, limit, with_etag};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chibo_domain::error::{ErrorCode, FieldError, Lang};
use chibo_domain::org::command::{ChangeOrgInput, FoundOrgInput, MergeOrgInput, OrgChoice};
use chibo_store::StoreError;
use chibo_store::org::{NewOrg, Org, OrgNode};
use chrono::NaiveDate;
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
    responses((status = 200, body = OrgOut, headers(("ETag" = String))), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_org(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Response> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let store = caller.store()?;
    let node = store.node_at(id, on).await?.ok_or_else(Problem::not_found)?;
    // The ETag is the record's current version, what a change's If-Match names.
    let version = store.org(id).await?.version;
    Ok(with_etag(org_out(node), version, StatusCode::OK))
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

/// An organization as it stands now, with its version (its ETag): the answer to a write.
#[derive(Serialize, ToSchema)]
pub struct OrgRecordOut {
    pub id: i64,
    /// Official code.
    pub code: String,
    pub name: String,
    /// Level (cấp): trung_uong, tinh, tren_co_so, dang_bo_co_so, chi_bo_co_so,
    /// dang_bo_bo_phan, chi_bo_truc_thuoc, to_dang.
    pub kind: String,
    /// Category (loại hình).
    pub category: String,
    pub parent_id: Option<i64>,
    pub founded_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
    pub version: i64,
}

fn record_response(o: Org, status: StatusCode) -> Response {
    let v = o.version;
    let out = OrgRecordOut {
        id: o.id,
        code: o.code,
        name: o.name,
        kind: o.kind.code().to_owned(),
        category: o.category.code().to_owned(),
        parent_id: o.parent_id,
        founded_on: o.founded_on,
        dissolved_on: o.dissolved_on,
        version: v,
    };
    with_etag(out, v, status)
}

/// The request's names of the fields the organization commands and the store report by the
/// page's names.
const FOUND_NAMES: &[(&str, &str)] = &[("event_date", "founded_on"), ("parent", "parent_id")];
const CHANGE_NAMES: &[(&str, &str)] = &[("event_date", "date"), ("parent", "parent_id"), ("what", "type"), ("event", "type")];
const MERGE_NAMES: &[(&str, &str)] = &[("event_date", "date"), ("parent", "into_id"), ("event", "into_id")];

/// A new organization.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrgIn {
    /// Official code: letters, digits, `.`, `-`, `_`, at most 40.
    #[schema(pattern = "^[A-Za-z0-9._-]{1,40}$")]
    pub code: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(pattern = "^(trung_uong|tinh|tren_co_so|dang_bo_co_so|chi_bo_co_so|dang_bo_bo_phan|chi_bo_truc_thuoc|to_dang)$")]
    pub kind: String,
    #[schema(pattern = "^(khu_dan_cu|xa_phuong|co_quan|su_nghiep|dn_nha_nuoc|dn_ngoai_nha_nuoc|luc_luong_vu_trang|khac)$")]
    pub category: String,
    /// The organization it sits under; absent or null for a top organization, which only a
    /// token of the whole tree may found (an empty installation starts with one).
    pub parent_id: Option<i64>,
    /// yyyy-mm-dd (dd/mm/yyyy accepted too); not in the future.
    #[schema(format = Date)]
    pub founded_on: String,
    /// The founding decision's number.
    pub decision_no: Option<String>,
}

/// Founds an organization: under one of the scope, or at the top of the tree (whole-tree
/// tokens only). The level must fit the parent's on the founding date.
#[utoipa::path(post, path = "/api/v1/orgs", operation_id = "found_org", tag = "orgs", request_body = NewOrgIn,
    responses((status = 201, body = OrgRecordOut, headers(("ETag" = String), ("Location" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn found_org(caller: Caller, ApiJson(b): ApiJson<NewOrgIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let input = FoundOrgInput {
        code: b.code,
        name: b.name,
        kind: b.kind,
        category: b.category,
        founded_on: b.founded_on,
        decision_no: b.decision_no.unwrap_or_default(),
    };
    let o = input.validate().map_err(|v| Problem::invalid_as(&v, FOUND_NAMES))?;
    let new = NewOrg {
        code: o.code.as_str().to_owned(),
        name: o.name,
        kind: o.kind,
        category: o.category,
        parent_id: b.parent_id,
        founded_on: o.founded_on,
        decision_no: o.decision_no,
    };
    let org = store.create_org(new).await.map_err(|e| match e {
        // A parent the caller cannot reach reads as a field problem; a top organization
        // without the whole tree is the missing right it is.
        StoreError::NotFound if b.parent_id.is_some() => Problem::invalid_as(&FieldError::new("parent", ErrorCode::NotFound).into(), FOUND_NAMES),
        StoreError::NotFound => {
            Problem::new(StatusCode::FORBIDDEN, "top_org_needs_whole_tree", "Không có quyền", ErrorCode::TopOrgNeedsWholeTree.template(Lang::Vi))
        }
        other => Problem::from_store_as(other, FOUND_NAMES),
    })?;
    let location = format!("/api/v1/orgs/{}", org.id);
    let mut r = record_response(org, StatusCode::CREATED);
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// A dated change of an organization.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgChangeIn {
    /// rename, reclassify, move or dissolve.
    #[serde(rename = "type")]
    #[schema(pattern = "^(rename|reclassify|move|dissolve)$")]
    pub what: String,
    /// Its effective date, yyyy-mm-dd (dd/mm/yyyy accepted too); not in the future.
    #[schema(format = Date)]
    pub date: String,
    /// The decision's number.
    pub decision_no: Option<String>,
    /// The new name (rename).
    pub name: Option<String>,
    /// The new level (reclassify).
    #[schema(pattern = "^(trung_uong|tinh|tren_co_so|dang_bo_co_so|chi_bo_co_so|dang_bo_bo_phan|chi_bo_truc_thuoc|to_dang)$")]
    pub kind: Option<String>,
    /// The new category (reclassify).
    #[schema(pattern = "^(khu_dan_cu|xa_phuong|co_quan|su_nghiep|dn_nha_nuoc|dn_ngoai_nha_nuoc|luc_luong_vu_trang|khac)$")]
    pub category: Option<String>,
    /// The new parent (move), inside the scope.
    pub parent_id: Option<i64>,
}

/// Records a dated change of an organization of the scope: a rename, a new level or
/// category, a move under another organization of the scope, or its dissolution (refused
/// while it has sub-organizations or members). Needs `If-Match` with the organization's ETag.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/changes", operation_id = "change_org", tag = "orgs", request_body = OrgChangeIn,
    params(("id" = i64, Path, description = "Organization id"), ("If-Match" = String, Header, description = "The ETag of the organization")),
    responses((status = 200, body = OrgRecordOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn change_org(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<OrgChangeIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.org(id).await?.version;
    let input = ChangeOrgInput {
        what: b.what,
        date: b.date,
        decision_no: b.decision_no.unwrap_or_default(),
        name: b.name.unwrap_or_default(),
        kind: b.kind.unwrap_or_default(),
        category: b.category.unwrap_or_default(),
        parent: b.parent_id.map_or(OrgChoice::None, OrgChoice::Found),
    };
    let c = input.validate().map_err(|v| Problem::invalid_as(&v, CHANGE_NAMES))?;
    let version = if_match(&headers, current)?;
    let moved_to = b.parent_id;
    let org = store.change_org(id, version, c.on, c.change, c.decision_no.as_deref()).await.map_err(|e| match e {
        // The organization was read above: a missing one now is the new parent out of reach.
        StoreError::NotFound if moved_to.is_some() => Problem::invalid_as(&FieldError::new("parent", ErrorCode::NotFound).into(), CHANGE_NAMES),
        other => Problem::from_store_as(other, CHANGE_NAMES),
    })?;
    Ok(record_response(org, StatusCode::OK))
}

/// A merger of an organization into another.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The organization that remains, inside the scope.
    pub into_id: i64,
    /// Its effective date, yyyy-mm-dd (dd/mm/yyyy accepted too); not in the future.
    #[schema(format = Date)]
    pub date: String,
    /// The decision's number.
    pub decision_no: Option<String>,
}

/// Merges an organization of the scope into another on a date, by one decision: its
/// sub-organizations move under the other, its members (a cell's) move to the other cell, and
/// it is dissolved. Needs `If-Match` with the merged organization's ETag; answers the one that
/// remains.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/merge", operation_id = "merge_org", tag = "orgs", request_body = MergeIn,
    params(("id" = i64, Path, description = "The organization merged away"), ("If-Match" = String, Header, description = "The ETag of the organization merged away")),
    responses((status = 200, body = OrgRecordOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn merge_org(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<MergeIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.org(id).await?.version;
    let input = MergeOrgInput { date: b.date, decision_no: b.decision_no.unwrap_or_default(), into: OrgChoice::Found(b.into_id) };
    let m = input.validate().map_err(|v| Problem::invalid_as(&v, MERGE_NAMES))?;
    let version = if_match(&headers, current)?;
    let org = store.merge_org(id, version, m.into, m.on, m.decision_no.as_deref()).await.map_err(|e| match e {
        StoreError::NotFound => Problem::invalid_as(&FieldError::new("parent", ErrorCode::NotFound).into(), MERGE_NAMES),
        other => Problem::from_store_as(other, MERGE_NAMES),
    })?;
    Ok(record_response(org, StatusCode::OK))
}
