//! Committees through the API: an organization's committee on a date, its terms, a new term,
//! a position assigned or ended, a concurrent post. Each write reads into the domain's command
//! the page reads its form into; ending a position needs `If-Match` with the seat's ETag.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, if_match, with_etag};
use crate::org::api::AsOfQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::committee::command::{EndSeatInput, Picked, PostInput, SeatInput, TermInput};
use chibo_domain::committee::{Post, Seat, SeatState, Term};
use chibo_store::StoreError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The routes of the committee API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/committee", get(get_committee))
        .route("/orgs/{id}/terms", get(list_terms).post(open_term))
        .route("/terms/{id}/seats", post(assign_seat))
        .route("/seats/{id}/end", post(end_seat))
        .route("/members/{id}/posts", post(record_post))
}

/// A committee's term.
#[derive(Serialize, ToSchema)]
pub struct TermOut {
    pub id: i64,
    pub org_id: i64,
    pub label: String,
    pub starts_on: NaiveDate,
    pub planned_end: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// A cell in the pilot of one congress per term.
    pub pilot: bool,
    pub planned_size: Option<u32>,
    /// The secretary is to be the village or residential group's head.
    pub village_head_expected: bool,
    pub version: i64,
}

fn term_out(t: Term) -> TermOut {
    TermOut {
        id: t.id,
        org_id: t.org_id,
        label: t.label,
        starts_on: t.starts_on,
        planned_end: t.planned_end,
        ended_on: t.ended_on,
        pilot: t.pilot,
        planned_size: t.planned_size,
        village_head_expected: t.village_head_expected,
        version: t.version,
    }
}

/// A position held by a member in a term.
#[derive(Serialize, ToSchema)]
pub struct SeatOut {
    pub id: i64,
    pub term_id: i64,
    pub member_id: i64,
    pub full_name: String,
    /// bi_thu, pho_bi_thu, uy_vien_btv, cap_uy_vien, chu_nhiem_ubkt, pho_chu_nhiem_ubkt, uy_vien_ubkt.
    pub position: String,
    /// The position's title in Vietnamese ("Chi ủy viên").
    pub title: String,
    /// bau (elected) or chi_dinh (appointed).
    pub basis: String,
    pub from: NaiveDate,
    /// Ended by hand from this day.
    pub until: Option<NaiveDate>,
    /// Why it was ended by hand.
    pub end_reason: Option<String>,
    /// The day the holder's life ended it (a move out, a death).
    pub left_on: Option<NaiveDate>,
    /// The member's status that ended it.
    pub left_status: Option<String>,
    pub decision_no: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub approval_no: Option<String>,
    pub version: i64,
}

fn seat_out(s: Seat, title: &str) -> SeatOut {
    SeatOut {
        id: s.id,
        term_id: s.term_id,
        member_id: s.member_id,
        full_name: s.full_name,
        position: s.position.code().to_owned(),
        title: title.to_owned(),
        basis: s.basis.code().to_owned(),
        from: s.from,
        until: s.until,
        end_reason: s.end.map(|e| e.code().to_owned()),
        left_on: s.left.map(|l| l.on),
        left_status: s.left.and_then(|l| l.status).map(|st| st.code().to_owned()),
        decision_no: s.decision_no,
        approved_on: s.approved_on,
        approval_no: s.approval_no,
        version: s.version,
    }
}

/// A concurrent post outside the party.
#[derive(Serialize, ToSchema)]
pub struct PostOut {
    pub id: i64,
    pub member_id: i64,
    pub full_name: String,
    /// truong_thon, chu_tich_ubnd, chu_tich_hdnd, chu_tich_mttq, thu_truong, khac.
    pub kind: String,
    pub place: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub version: i64,
}

fn post_out(p: Post) -> PostOut {
    PostOut {
        id: p.id,
        member_id: p.member_id,
        full_name: p.full_name,
        kind: p.kind.code().to_owned(),
        place: p.place,
        from: p.from,
        until: p.until,
        version: p.version,
    }
}

/// A position on the day asked, with its holder's posts and duties.
#[derive(Serialize, ToSchema)]
pub struct SeatOnOut {
    pub seat: SeatOut,
    /// held or suspended.
    pub state: String,
    pub posts: Vec<PostOut>,
    /// The duties' fields and texts ("Tổ chức, cán bộ, đảng viên · phụ trách Chi bộ khu phố 3").
    pub duties: Vec<String>,
}

/// A problem of the committee's make-up.
#[derive(Serialize, ToSchema)]
pub struct ShapeOut {
    /// secretary_vacant, above_size, below_size, no_committee_below_size, too_many_deputies.
    pub kind: String,
    /// In Vietnamese.
    pub text: String,
}

/// An organization's committee on a day.
#[derive(Serialize, ToSchema)]
pub struct CommitteeOut {
    pub org_id: i64,
    pub org_name: String,
    pub on: NaiveDate,
    pub term: Option<TermOut>,
    pub seats: Vec<SeatOnOut>,
    pub problems: Vec<ShapeOut>,
    pub official_members: u32,
    /// The working regulation in force that day: its decision number.
    pub regulation_decision_no: Option<String>,
}

/// An organization's committee as it stood on a date: the term running, the positions held
/// (or suspended), each holder's concurrent posts and duties, and what is missing.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/committee", operation_id = "get_committee", tag = "committees", params(("id" = i64, Path, description = "Organization id"), AsOfQuery),
    responses((status = 200, body = CommitteeOut), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn get_committee(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AsOfQuery>) -> ApiResult<Json<CommitteeOut>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let c = caller.store()?.committee_on(id, on).await?;
    Ok(Json(CommitteeOut {
        org_id: c.org_id,
        org_name: c.org_name,
        on,
        term: c.term.map(term_out),
        seats: c
            .seats
            .into_iter()
            .map(|s| SeatOnOut {
                state: if s.state == SeatState::Suspended { "suspended" } else { "held" }.to_owned(),
                posts: s.posts.into_iter().map(post_out).collect(),
                duties: s
                    .duties
                    .iter()
                    .map(|d| {
                        let mut t = d.field.label_vi().to_owned();
                        if !d.in_charge_names.is_empty() {
                            t.push_str(&format!(" · phụ trách {}", d.in_charge_names.join(", ")));
                        }
                        if !d.text.is_empty() {
                            t.push_str(&format!(" · {}", d.text));
                        }
                        t
                    })
                    .collect(),
                seat: seat_out(s.seat, &s.title),
            })
            .collect(),
        problems: c
            .shape
            .iter()
            .map(|s| ShapeOut {
                kind: serde_json::to_value(s).ok().and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned)).unwrap_or_default(),
                text: s.text_vi(),
            })
            .collect(),
        official_members: c.official,
        regulation_decision_no: c.regulation.map(|r| r.decision_no),
    }))
}

/// An organization's terms.
#[derive(Serialize, ToSchema)]
pub struct TermList {
    pub items: Vec<TermOut>,
}

/// An organization's terms, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/terms", operation_id = "list_terms", tag = "committees", params(("id" = i64, Path, description = "Organization id")),
    responses((status = 200, body = TermList), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn list_terms(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<TermList>> {
    Ok(Json(TermList { items: caller.store()?.terms(id).await?.into_iter().map(term_out).collect() }))
}

/// A new term.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermIn {
    /// The congress's day.
    #[schema(format = Date)]
    pub starts_on: String,
    /// Default: by the rules for the organization's level.
    #[schema(format = Date)]
    pub planned_end: Option<String>,
    /// Default: "Nhiệm kỳ 2025 – 2030" from the years.
    pub label: Option<String>,
    pub pilot: Option<bool>,
    pub planned_size: Option<u32>,
    pub village_head_expected: Option<bool>,
}

/// Records a term of an organization of the scope; the running one ends that day.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/terms", operation_id = "open_term", tag = "committees", request_body = TermIn,
    params(("id" = i64, Path, description = "Organization id")),
    responses((status = 201, body = TermOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn open_term(caller: Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<TermIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let org = store.org(id).await?;
    let book = caller.app.store.rule_book().await?;
    let input = TermInput {
        label: b.label.unwrap_or_default(),
        starts_on: b.starts_on,
        planned_end: b.planned_end.unwrap_or_default(),
        pilot: b.pilot.unwrap_or(false),
        planned_size: b.planned_size.map(|n| n.to_string()).unwrap_or_default(),
        village_head_expected: b.village_head_expected.unwrap_or(false),
    };
    let t = input.validate(org.kind, &book, caller.app.today()).map_err(StoreError::Invalid)?;
    let term = store.open_term(id, t).await?;
    let v = term.version;
    Ok(with_etag(term_out(term), v, StatusCode::CREATED))
}

/// A position assigned.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatIn {
    /// The member (in the organization, or appointed from above).
    pub member_id: i64,
    #[schema(pattern = "^(bi_thu|pho_bi_thu|uy_vien_btv|cap_uy_vien|chu_nhiem_ubkt|pho_chu_nhiem_ubkt|uy_vien_ubkt)$")]
    pub position: String,
    #[schema(pattern = "^(bau|chi_dinh)$")]
    pub basis: String,
    #[schema(format = Date)]
    pub from: String,
    pub decision_no: Option<String>,
    #[schema(format = Date)]
    pub approved_on: Option<String>,
    pub approval_no: Option<String>,
    pub note: Option<String>,
}

/// Assigns a member to a position of a term.
#[utoipa::path(post, path = "/api/v1/terms/{id}/seats", operation_id = "assign_seat", tag = "committees", request_body = SeatIn,
    params(("id" = i64, Path, description = "Term id")),
    responses((status = 201, body = SeatOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn assign_seat(caller: Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<SeatIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let t = store.term(id).await?;
    // An optional date sent empty is malformed (the page's empty box means none; JSON says null).
    if b.approved_on.as_deref().is_some_and(|d| d.trim().is_empty()) {
        return Err(StoreError::field(chibo_domain::error::FieldError::new("approved_on", chibo_domain::error::ErrorCode::DateFormat).with("value", "")).into());
    }
    let input = SeatInput {
        member: Picked::Found(b.member_id),
        position: b.position,
        basis: b.basis,
        from: b.from,
        decision_no: b.decision_no.unwrap_or_default(),
        approved_on: b.approved_on.unwrap_or_default(),
        approval_no: b.approval_no.unwrap_or_default(),
        note: b.note.unwrap_or_default(),
    };
    let cmd = input.validate(t.org_kind, &t.term, caller.app.today()).map_err(StoreError::Invalid)?;
    let s = store.assign_seat(id, cmd).await.map_err(|e| match e {
        // A member the caller cannot reach reads as a field problem, not a missing term.
        StoreError::NotFound => StoreError::field(chibo_domain::error::FieldError::new("seat_member", chibo_domain::error::ErrorCode::NotFound)),
        other => other,
    })?;
    let title = s.position.title_vi(t.org_kind).to_owned();
    let v = s.version;
    Ok(with_etag(seat_out(s, &title), v, StatusCode::CREATED))
}

/// The end of a position.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndSeatIn {
    /// The first day no longer in the position.
    #[schema(format = Date)]
    pub until: String,
    #[schema(pattern = "^(het_nhiem_ky|dieu_dong|xin_thoi|mien_nhiem|cach_chuc|nghi_huu|khac)$")]
    pub reason: String,
    pub note: Option<String>,
}

/// Ends a position by hand. Needs `If-Match` with the seat's ETag.
#[utoipa::path(post, path = "/api/v1/seats/{id}/end", operation_id = "end_seat", tag = "committees", request_body = EndSeatIn,
    params(("id" = i64, Path, description = "Seat id"), ("If-Match" = String, Header, description = "The ETag of the seat")),
    responses((status = 200, body = SeatOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn end_seat(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<EndSeatIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let (seat, t) = store.seat(id).await?;
    let cmd = EndSeatInput { until: b.until, reason: b.reason, note: b.note.unwrap_or_default() }
        .validate(seat.from, caller.app.today())
        .map_err(StoreError::Invalid)?;
    let version = if_match(&headers, seat.version)?;
    let s = store.end_seat(id, version, cmd).await?;
    let title = s.position.title_vi(t.org_kind).to_owned();
    let v = s.version;
    Ok(with_etag(seat_out(s, &title), v, StatusCode::OK))
}

/// A concurrent post.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostIn {
    #[schema(pattern = "^(truong_thon|chu_tich_ubnd|chu_tich_hdnd|chu_tich_mttq|thu_truong|khac)$")]
    pub kind: String,
    /// Where ("Khu phố 3, phường Cửa Ông").
    pub place: String,
    #[schema(format = Date)]
    pub from: String,
    pub note: Option<String>,
}

/// Records a concurrent post of a member of the scope (nhất thể hoá).
#[utoipa::path(post, path = "/api/v1/members/{id}/posts", operation_id = "record_post", tag = "committees", request_body = PostIn,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 201, body = PostOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn record_post(caller: Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<PostIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    store.member(id).await?;
    let cmd = PostInput { member: Picked::Found(id), kind: b.kind, place: b.place, from: b.from, note: b.note.unwrap_or_default() }
        .validate(caller.app.today())
        .map_err(StoreError::Invalid)?;
    let p = store.record_post(cmd).await?;
    let v = p.version;
    Ok(with_etag(post_out(p), v, StatusCode::CREATED))
}

#[cfg(test)]
mod tests {
    #[test]
    fn problem_kinds_are_the_shapes_tags() {
        let v = serde_json::to_value(chibo_domain::committee::Shape::SecretaryVacant).unwrap();
        assert_eq!(v["kind"], "secretary_vacant");
    }
}
