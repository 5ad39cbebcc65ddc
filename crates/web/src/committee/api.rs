//! Committees through the API: an organization's committee on a date, its terms, a new term,
//! a position assigned, approved or ended, a concurrent post, a working regulation and its
//! file. Each write reads into the domain's command the page reads its form into; ending or
//! approving a position needs `If-Match` with the seat's ETag.
//!
//! A regulation is one operation with two bodies, told apart by `Content-Type`: JSON when its
//! text is typed, multipart/form-data when it comes as a PDF or DOCX file (the same fields
//! as parts, the file as the part `file`), the shape the page's form sends. The file reads
//! back from `GET /regulations/{id}/file`.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, if_match, with_etag};
use crate::org::api::AsOfQuery;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::committee::command::{EndSeatInput, Picked, PostInput, RegulationInput, SeatInput, TermInput, Upload};
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
        .route("/seats/{id}/approve", post(approve_seat))
        .route("/members/{id}/posts", post(record_post))
        .route("/regulations/{id}/file", get(regulation_file))
}

/// The routes that take a regulation's file (given the upload limit by the API's router).
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/terms/{id}/regulations", post(adopt_regulation))
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

/// A seat as the answer to a write, with its version as ETag.
fn seat_response(s: Seat, kind: chibo_domain::org::OrgKind, status: StatusCode) -> Response {
    let title = s.position.title_vi(kind).to_owned();
    let v = s.version;
    with_etag(seat_out(s, &title), v, status)
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
    Ok(seat_response(s, t.org_kind, StatusCode::CREATED))
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
    Ok(seat_response(s, t.org_kind, StatusCode::OK))
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

/// The upper level's approval (chuẩn y) of an elected position.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveIn {
    /// The day of the upper committee's decision.
    #[schema(format = Date)]
    pub approved_on: String,
    /// Its number ("125-QĐ/ĐU").
    pub approval_no: String,
}

/// Records the upper level's approval of a position. Needs `If-Match` with the seat's ETag.
#[utoipa::path(post, path = "/api/v1/seats/{id}/approve", operation_id = "approve_seat", tag = "committees", request_body = ApproveIn,
    params(("id" = i64, Path, description = "Seat id"), ("If-Match" = String, Header, description = "The ETag of the seat")),
    responses((status = 200, body = SeatOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn approve_seat(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<ApproveIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let (seat, t) = store.seat(id).await?;
    let input = chibo_domain::committee::command::ApproveInput { approved_on: b.approved_on, approval_no: b.approval_no };
    let a = input.validate(seat.from, caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, seat.version)?;
    let s = store.approve_seat(id, version, a).await?;
    Ok(seat_response(s, t.org_kind, StatusCode::OK))
}

/// A working regulation's text, typed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegulationIn {
    /// The day it was adopted.
    #[schema(format = Date)]
    pub adopted_on: String,
    /// The decision's number ("01-QĐ/CB").
    pub decision_no: String,
    /// Its text.
    pub text: String,
}

/// A working regulation sent as a file (multipart/form-data); no other parts.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RegulationUpload {
    /// The day it was adopted.
    #[schema(format = Date)]
    pub adopted_on: String,
    /// The decision's number ("01-QĐ/CB").
    pub decision_no: String,
    /// Its text too, if any.
    pub text: Option<String>,
    /// A PDF or DOCX document (its first bytes decide, not its name), within the rules' size.
    #[schema(value_type = String, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// A regulation's file.
#[derive(Serialize, ToSchema)]
pub struct RegulationFileOut {
    /// Its name as sent.
    pub name: String,
    /// application/pdf or the DOCX type.
    pub media_type: String,
    /// Bytes.
    pub size: u64,
    /// Where it reads back.
    pub href: String,
}

/// A working regulation of a term.
#[derive(Serialize, ToSchema)]
pub struct RegulationOut {
    pub id: i64,
    pub term_id: i64,
    /// 1 for the first of the term, then 2, 3…
    pub revision: u32,
    pub adopted_on: NaiveDate,
    pub decision_no: String,
    pub text: Option<String>,
    pub file: Option<RegulationFileOut>,
    pub version: i64,
}

/// The body of a regulation, read by its Content-Type.
pub struct RegulationBody(RegulationInput);

impl<S: Send + Sync> FromRequest<S> for RegulationBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        let multipart = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let ApiJson(b) = ApiJson::<RegulationIn>::from_request(req, state).await?;
            return Ok(RegulationBody(RegulationInput { adopted_on: b.adopted_on, decision_no: b.decision_no, text: b.text, file: None }));
        }
        let too_large = || Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Nội dung quá lớn", "Tệp gửi lên vượt quá giới hạn cho phép.");
        let unreadable = |e: MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                Problem::bad_request(format!("Nội dung multipart không đọc được: {}", e.body_text()))
            }
        };
        let mut form =
            Multipart::from_request(req, state).await.map_err(|e| Problem::bad_request(format!("Nội dung multipart không đọc được: {}", e.body_text())))?;
        let mut input = RegulationInput::default();
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            match field.name().unwrap_or("") {
                "adopted_on" => input.adopted_on = field.text().await.map_err(unreadable)?,
                "decision_no" => input.decision_no = field.text().await.map_err(unreadable)?,
                "text" => input.text = field.text().await.map_err(unreadable)?,
                "file" => {
                    let name = field.file_name().unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").to_owned();
                    let bytes = field.bytes().await.map_err(unreadable)?.to_vec();
                    input.file = Some(Upload { name, bytes });
                }
                // As a JSON body's unknown field is (deny_unknown_fields): 422.
                other => {
                    return Err(Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "multipart_data",
                        "Dữ liệu multipart không đúng dạng",
                        format!("Phần «{other}» không thuộc quy chế (adopted_on, decision_no, text, file)."),
                    ));
                }
            }
        }
        Ok(RegulationBody(input))
    }
}

/// Adopts a working regulation of a term of the scope: JSON with its text, or
/// multipart/form-data with a PDF or DOCX file (and the same fields as parts).
#[utoipa::path(post, path = "/api/v1/terms/{id}/regulations", operation_id = "adopt_regulation", tag = "committees",
    request_body(description = "JSON when the text is typed; multipart/form-data when it comes as a file",
        content((RegulationIn = "application/json"), (RegulationUpload = "multipart/form-data"))),
    params(("id" = i64, Path, description = "Term id")),
    responses((status = 201, body = RegulationOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn adopt_regulation(caller: Caller, ApiPath(id): ApiPath<i64>, RegulationBody(input): RegulationBody) -> ApiResult<Response> {
    let store = caller.store()?;
    let t = store.term(id).await?;
    let book = caller.app.store.rule_book().await?;
    let cmd = input.validate(&t.term, &book, caller.app.today()).map_err(StoreError::Invalid)?;
    let r = store.adopt_regulation(id, cmd).await?;
    let v = r.version;
    let out = RegulationOut {
        id: r.id,
        term_id: r.term_id,
        revision: r.revision,
        adopted_on: r.adopted_on,
        decision_no: r.decision_no,
        text: r.text,
        file: r.file.map(|f| RegulationFileOut { name: f.name, media_type: f.media_type, size: f.size, href: format!("/api/v1/regulations/{}/file", r.id) }),
        version: v,
    };
    Ok(with_etag(out, v, StatusCode::CREATED))
}

/// A working regulation's file as it was sent, to callers who may read its organization.
#[utoipa::path(get, path = "/api/v1/regulations/{id}/file", operation_id = "regulation_file", tag = "committees", params(("id" = i64, Path, description = "Regulation id")),
    responses((status = 200, description = "The file, named in Content-Disposition", content(("application/pdf"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn regulation_file(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let (name, media, bytes) = caller.store()?.regulation_file(id).await?;
    Ok(crate::import::download(bytes, &name, &media))
}

#[cfg(test)]
mod tests {
    #[test]
    fn problem_kinds_are_the_shapes_tags() {
        let v = serde_json::to_value(chibo_domain::committee::Shape::SecretaryVacant).unwrap();
        assert_eq!(v["kind"], "secretary_vacant");
    }
}
