//! Organizations: search, one organization as it stood on a date, its sub-organizations on a
//! date (paged), and its figures on a date (the same rollup as `chibo stats` and the pages).

use crate::api::{ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, limit};
use axum::Json;
use chibo_store::org::OrgNode;
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

/// The figures of an organization's subtree on a date.
#[derive(Serialize, ToSchema)]
pub struct StatsOut {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub as_of: NaiveDate,
    /// Party members (probationary and official, exempt and suspended included).
    pub members: i64,
    pub official: i64,
    pub probationary: i64,
    pub women: i64,
    /// Members in transit from a cell of the subtree, counted in no cell's members.
    pub in_transit: i64,
    /// Đơn vị trực thuộc.
    pub direct_children: i64,
    /// Tổ chức cơ sở đảng in the subtree.
    pub grassroots_orgs: i64,
    /// Chi bộ trực thuộc đảng bộ cơ sở in the subtree.
    pub cells_under_grassroots: i64,
}

/// The figures of an organization on a date: the same as `chibo stats` and the home page.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/stats", operation_id = "org_stats", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), AsOfQuery),
    responses((status = 200, body = StatsOut), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn stats(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Json<StatsOut>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let s = caller.store()?.org_stats(id, on).await?;
    Ok(Json(StatsOut {
        code: s.code,
        name: s.name,
        kind: s.kind.code().to_owned(),
        as_of: s.as_of,
        members: s.members,
        official: s.official,
        probationary: s.probationary,
        women: s.women,
        in_transit: s.in_transit,
        direct_children: s.direct_children,
        grassroots_orgs: s.grassroots_orgs,
        cells_under_grassroots: s.cells_under_grassroots,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    /// The date (yyyy-mm-dd); default today.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// The key figures of a dashboard: stable keys, each the count of a member list
/// (`GET /api/v1/members?under=ID&as_of=…` with the filter named in its description) or of an
/// organization list.
#[derive(Serialize, ToSchema)]
pub struct DashboardFigures {
    /// Party members (probationary and official, exempt and suspended included).
    pub members: i64,
    /// `standing=official`.
    pub official: i64,
    /// `standing=probationary`.
    pub probationary: i64,
    /// `gender=nu`.
    pub women: i64,
    /// `gender=nam`.
    pub men: i64,
    /// `standing=in_transit`: letter issued, not yet accepted; in no cell's members.
    pub in_transit: i64,
    /// Đơn vị trực thuộc: direct sub-organizations.
    pub direct_children: i64,
    /// `admit_to=year−30`: party age 30 years and more.
    pub party_age_30: i64,
    /// `admit_to=year−40`.
    pub party_age_40: i64,
    /// `admit_to=year−50`.
    pub party_age_50: i64,
    /// Cells (the organization included) with fewer official members than `min_official_per_cell`.
    pub small_cells: i64,
    /// The minimum of official members per cell in force that day.
    pub min_official_per_cell: u32,
}

/// A band of years (age or party age) with its counts.
#[derive(Serialize, ToSchema)]
pub struct BandOut {
    /// Stable key: "0-30", "31-40", …, "71-" (no upper bound).
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    /// Years (of age or of party age), both included; `to` null: and more.
    pub from: i32,
    pub to: Option<i32>,
    /// The years of birth (age) or of admission (party age) the band covers on the date: the
    /// `birth_from`/`birth_to` or `admit_from`/`admit_to` of its member list.
    pub years_from: Option<i32>,
    pub years_to: i32,
    /// Members in the band.
    pub count: i64,
    /// Men in the band (age bands only).
    pub men: Option<i64>,
    /// Women in the band (age bands only).
    pub women: Option<i64>,
}

/// A count by code (ethnicity, religion, education, theory, level, category).
#[derive(Serialize, ToSchema)]
pub struct CountOut {
    /// The stored code: the member-list filter's value (`ethnicity=Kinh`, `education=dai_hoc`,
    /// `kind=chi_bo_truc_thuoc`).
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub count: i64,
}

/// Flows from 1 January of the year to the date.
#[derive(Serialize, ToSchema)]
pub struct FlowsOut {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `flow=admitted&flow_from=…&flow_to=…`.
    pub admitted: i64,
    /// `flow=exited&flow_from=…&flow_to=…`.
    pub exited: i64,
    /// Permanent transfers accepted into the subtree from outside it.
    pub transferred_in: i64,
    /// Permanent transfer letters issued from the subtree to outside it.
    pub transferred_out: i64,
}

/// The dashboard of an organization's subtree on a date.
#[derive(Serialize, ToSchema)]
pub struct DashboardOut {
    pub id: i64,
    pub code: String,
    /// Name on that date.
    pub name: String,
    pub kind: String,
    pub category: String,
    pub as_of: NaiveDate,
    pub figures: DashboardFigures,
    /// Tuổi đời (by year of birth), youngest first.
    pub age_bands: Vec<BandOut>,
    /// Tuổi Đảng (by year of admission).
    pub party_age_bands: Vec<BandOut>,
    pub ethnicity: Vec<CountOut>,
    pub religion: Vec<CountOut>,
    /// Trình độ chuyên môn.
    pub education: Vec<CountOut>,
    /// Lý luận chính trị.
    pub theory: Vec<CountOut>,
    pub flows: FlowsOut,
    /// Organizations of the subtree (the organization excluded) per level.
    pub orgs_by_kind: Vec<CountOut>,
    /// Organizations of the subtree (the organization excluded) per category.
    pub orgs_by_category: Vec<CountOut>,
}

fn band_key(b: chibo_domain::stats::Band) -> String {
    match b.to {
        Some(t) => format!("{}-{t}", b.from),
        None => format!("{}-", b.from),
    }
}

/// The dashboard of an organization on a date: every figure of the statistics page, with the
/// bands and codes that name the member list behind each.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dashboard", operation_id = "org_dashboard", tag = "orgs", params(("id" = i64, Path, description = "Organization id"), DashboardQuery),
    responses((status = 200, body = DashboardOut), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn dashboard(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<DashboardQuery>) -> ApiResult<Json<DashboardOut>> {
    use chibo_domain::member::{Education, Gender, PoliticalTheory};
    use chibo_domain::stats::{AGE_BANDS, PARTY_AGE_BANDS};
    use chrono::Datelike;
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let d = caller.store()?.dashboard(id, on).await?;
    let year = on.year();
    let age_bands = AGE_BANDS
        .iter()
        .zip(d.age_pyramid())
        .map(|(b, (m, w))| {
            let (years_from, years_to) = b.years_in(year);
            BandOut {
                key: band_key(*b),
                label_vi: b.label_vi("tuổi"),
                label_en: b.label_en("years"),
                from: b.from,
                to: b.to,
                years_from,
                years_to,
                count: m + w,
                men: Some(m),
                women: Some(w),
            }
        })
        .collect();
    let party_age_bands = PARTY_AGE_BANDS
        .iter()
        .zip(d.party_age())
        .map(|(b, n)| {
            let (years_from, years_to) = b.years_in(year);
            BandOut {
                key: band_key(*b),
                label_vi: b.label_vi("năm"),
                label_en: b.label_en("years"),
                from: b.from,
                to: b.to,
                years_from,
                years_to,
                count: n,
                men: None,
                women: None,
            }
        })
        .collect();
    let plain = |dim: &str| -> Vec<CountOut> {
        d.breakdown(dim).into_iter().map(|(code, count)| CountOut { label_vi: code.clone(), label_en: code.clone(), code, count }).collect()
    };
    let labelled = |dim: &str, label: &dyn Fn(&str) -> Option<(&'static str, &'static str)>| -> Vec<CountOut> {
        d.breakdown(dim)
            .into_iter()
            .map(|(code, count)| {
                let (vi, en) = label(&code).unwrap_or(("", ""));
                CountOut { label_vi: vi.to_owned(), label_en: en.to_owned(), code, count }
            })
            .collect()
    };
    Ok(Json(DashboardOut {
        id: d.org,
        code: d.code.clone(),
        name: d.name.clone(),
        kind: d.kind.code().to_owned(),
        category: d.category.code().to_owned(),
        as_of: on,
        figures: DashboardFigures {
            members: d.members(),
            official: d.official(),
            probationary: d.probationary(),
            women: d.gender(Gender::Female),
            men: d.gender(Gender::Male),
            in_transit: d.in_transit(),
            direct_children: d.direct_children,
            party_age_30: d.party_age_at_least(30),
            party_age_40: d.party_age_at_least(40),
            party_age_50: d.party_age_at_least(50),
            small_cells: d.small_cells(),
            min_official_per_cell: d.min_official_per_cell,
        },
        age_bands,
        party_age_bands,
        ethnicity: plain("ethnicity"),
        religion: plain("religion"),
        education: labelled("education", &|c| Education::from_code(c).map(|e| (e.label_vi(), e.label_en()))),
        theory: labelled("theory", &|c| PoliticalTheory::from_code(c).map(|e| (e.label_vi(), e.label_en()))),
        flows: FlowsOut {
            from: d.flows.from,
            to: on,
            admitted: d.flows.admitted,
            exited: d.flows.exited,
            transferred_in: d.flows.transferred_in,
            transferred_out: d.flows.transferred_out,
        },
        orgs_by_kind: d
            .orgs_by_kind()
            .into_iter()
            .map(|(k, n)| CountOut { code: k.code().into(), label_vi: k.label_vi().into(), label_en: k.label_en().into(), count: n })
            .collect(),
        orgs_by_category: d
            .orgs_by_category()
            .into_iter()
            .map(|(c, n)| CountOut { code: c.code().into(), label_vi: c.label_vi().into(), label_en: c.label_en().into(), count: n })
            .collect(),
    }))
}
