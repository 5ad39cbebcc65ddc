//! Meetings through the API: an organization's meetings, one meeting with its attendance,
//! counts and minutes, a plan and its change, the notice, the attendance and the minutes
//! (PUT: the whole record as the page sends it), the signature, the cancellation, an
//! amendment and the rating, and the list behind an attendance figure. Each write reads into
//! the domain's command the page reads its form into; every write on a meeting needs
//! `If-Match` with the meeting's ETag. A write the meeting's state refuses (minutes of a
//! signed meeting, a notice sent twice) is a 422 problem naming the field `meeting`.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, as_of, if_match, limit, offset, with_etag};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::committee::command::Picked;
use chibo_domain::meeting::command::{
    AmendInput, AttendanceInput, CancelInput, ItemInput, MinutesInput, PlanInput, PresenceInput, RateInput, SignInput, VoteInput,
};
use chibo_domain::meeting::{Counts, Meeting, MeetingKind};
use chibo_store::StoreError;
use chibo_store::meeting::{AttendanceList, MeetingFilter, MeetingRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The routes of the meeting API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/meetings", get(list_meetings).post(plan_meeting))
        .route("/orgs/{id}/meetings/attendance", get(meeting_attendance))
        .route("/meetings/{id}", get(get_meeting).put(update_meeting))
        .route("/meetings/{id}/notify", post(notify_meeting))
        .route("/meetings/{id}/attendance", axum::routing::put(record_attendance))
        .route("/meetings/{id}/minutes", axum::routing::put(record_minutes))
        .route("/meetings/{id}/sign", post(sign_meeting))
        .route("/meetings/{id}/cancel", post(cancel_meeting))
        .route("/meetings/{id}/amendments", post(amend_meeting))
        .route("/meetings/{id}/rating", post(rate_meeting))
}

/// A meeting.
#[derive(Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    pub org_id: i64,
    /// thuong_ky, chuyen_de, bat_thuong, cap_uy.
    pub kind: String,
    pub held_on: NaiveDate,
    /// "19:30".
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub topic: Option<String>,
    pub documents: Option<String>,
    /// planned, notified, held, signed, cancelled.
    pub state: String,
    /// The state in Vietnamese.
    pub state_label: String,
    pub notified_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    pub chair_id: Option<i64>,
    pub chair_name: Option<String>,
    pub secretary_id: Option<i64>,
    pub secretary_name: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub resolution_no: Option<String>,
    pub resolution: Option<String>,
    /// tot, kha, trung_binh, kem.
    pub quality: Option<String>,
    pub quality_note: Option<String>,
    pub rated_on: Option<NaiveDate>,
    pub version: i64,
}

fn meeting_out(m: Meeting) -> MeetingOut {
    MeetingOut {
        id: m.id,
        org_id: m.org_id,
        kind: m.kind.code().to_owned(),
        held_on: m.held_on,
        starts_at: m.starts_at,
        place: m.place,
        topic: m.topic,
        documents: m.documents,
        state: m.state.code().to_owned(),
        state_label: m.state.label_vi().to_owned(),
        notified_on: m.notified_on,
        cancel_reason: m.cancel_reason,
        chair_id: m.chair.as_ref().map(|c| c.0),
        chair_name: m.chair.map(|c| c.1),
        secretary_id: m.secretary.as_ref().map(|c| c.0),
        secretary_name: m.secretary.map(|c| c.1),
        signed_on: m.signed_on,
        resolution_no: m.resolution_no,
        resolution: m.resolution,
        quality: m.quality.map(|q| q.code().to_owned()),
        quality_note: m.quality_note,
        rated_on: m.rated_on,
        version: m.version,
    }
}

/// Someone on the attendance list.
#[derive(Serialize, ToSchema)]
pub struct AttendeeOut {
    /// The member, when the person is one (absent for a guest typed by name).
    pub member_id: Option<i64>,
    pub name: String,
    /// official, probationary, exempt, tam_thoi, cap_uy_vien, phu_trach, noi_cu_tru, khach_moi.
    pub role: String,
    /// co_mat, den_muon, vang_co_ly_do, vang_khong_ly_do.
    pub presence: String,
    pub reason: Option<String>,
}

/// A member of the organization not convened.
#[derive(Serialize, ToSchema)]
pub struct ExcludedOut {
    pub member_id: i64,
    pub name: String,
    /// tam_thoi_noi_khac, dinh_chi.
    pub why: String,
    pub why_label: String,
}

/// A vote on an item.
#[derive(Serialize, ToSchema)]
pub struct MeetingVoteOut {
    pub subject: String,
    pub votes_for: u32,
    pub votes_against: u32,
    pub abstain: u32,
    /// The organization's official members on the day.
    pub base: u32,
}

/// An opinion on an item.
#[derive(Serialize, ToSchema)]
pub struct OpinionOut {
    pub member_id: Option<i64>,
    pub speaker: String,
    pub text: String,
}

/// An agenda item with its minutes.
#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub title: String,
    pub report: Option<String>,
    pub opinions: Vec<OpinionOut>,
    pub conclusion: Option<String>,
    pub votes: Vec<MeetingVoteOut>,
}

/// A correction of signed minutes.
#[derive(Serialize, ToSchema)]
pub struct AmendmentOut {
    pub made_on: NaiveDate,
    pub text: String,
    pub by: String,
}

/// A meeting with its attendance, counts, minutes and amendments.
#[derive(Serialize, ToSchema)]
pub struct MeetingRecordOut {
    pub meeting: MeetingOut,
    pub org_name: String,
    pub attendees: Vec<AttendeeOut>,
    /// False: the roll of the day, everyone present, as it would start.
    pub attendance_recorded: bool,
    pub excluded: Vec<ExcludedOut>,
    pub counts: Counts,
    pub vote_base: u32,
    pub votes_needed: u32,
    pub items: Vec<ItemOut>,
    /// True: the rules' agenda, no minutes recorded yet.
    pub items_from_template: bool,
    pub amendments: Vec<AmendmentOut>,
    pub rated_by: Option<String>,
}

fn record_out(r: MeetingRecord) -> MeetingRecordOut {
    MeetingRecordOut {
        org_name: r.org_name,
        attendees: r
            .attendees
            .into_iter()
            .map(|a| AttendeeOut {
                member_id: a.member_id,
                name: a.name,
                role: a.role.code().to_owned(),
                presence: a.presence.code().to_owned(),
                reason: a.reason,
            })
            .collect(),
        attendance_recorded: r.attendance_recorded,
        excluded: r
            .excluded
            .into_iter()
            .map(|e| ExcludedOut { member_id: e.member_id, name: e.name, why: e.why.code().to_owned(), why_label: e.why.label_vi().to_owned() })
            .collect(),
        counts: r.counts,
        vote_base: r.vote_base,
        votes_needed: r.votes_needed,
        items: r
            .items
            .into_iter()
            .map(|i| ItemOut {
                title: i.title,
                report: i.report,
                opinions: i.opinions.into_iter().map(|o| OpinionOut { member_id: o.member_id, speaker: o.speaker, text: o.text }).collect(),
                conclusion: i.conclusion,
                votes: i
                    .votes
                    .into_iter()
                    .map(|v| MeetingVoteOut { subject: v.subject, votes_for: v.votes_for, votes_against: v.votes_against, abstain: v.abstain, base: v.base })
                    .collect(),
            })
            .collect(),
        items_from_template: r.items_from_template,
        amendments: r.amendments.into_iter().map(|a| AmendmentOut { made_on: a.made_on, text: a.text, by: a.by }).collect(),
        rated_by: r.rated_by,
        meeting: meeting_out(r.meeting),
    }
}

fn record_response(r: MeetingRecord, status: StatusCode) -> Response {
    let v = r.meeting.version;
    with_etag(record_out(r), v, status)
}

fn meeting_response(m: Meeting, status: StatusCode) -> Response {
    let v = m.version;
    with_etag(meeting_out(m), v, status)
}

/// A line of an organization's meetings.
#[derive(Serialize, ToSchema)]
pub struct MeetingLineOut {
    pub meeting: MeetingOut,
    pub org_name: String,
    pub convened: u32,
    pub present: u32,
    pub excused: u32,
    pub absent: u32,
}

/// A page of meetings.
#[derive(Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<MeetingLineOut>,
    pub total: i64,
    pub offset: i64,
}

/// Which meetings.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// From this day (yyyy-mm-dd).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Up to this day (yyyy-mm-dd).
    #[param(format = Date)]
    pub to: Option<String>,
    /// Only this kind.
    #[param(pattern = "^(thuong_ky|chuyen_de|bat_thuong|cap_uy)$")]
    pub kind: Option<String>,
    /// The organizations below too (default: the organization only).
    pub subtree: Option<bool>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i32>,
    /// Rows in the page (1–200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn day(field: &str, s: Option<&str>) -> ApiResult<Option<NaiveDate>> {
    match s {
        None => Ok(None),
        Some(t) => chibo_domain::calendar::parse_date(t)
            .map(Some)
            .ok_or_else(|| Problem::bad_request(format!("{field}: ngày «{t}» không hợp lệ (yyyy-mm-dd hoặc dd/mm/yyyy)"))),
    }
}

/// An organization's meetings, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", operation_id = "list_meetings", tag = "meetings", params(("id" = i64, Path, description = "Organization id"), MeetingQuery),
    responses((status = 200, body = MeetingList), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn list_meetings(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<MeetingQuery>) -> ApiResult<Json<MeetingList>> {
    let kind = match q.kind.as_deref() {
        None => None,
        Some(k) => Some(MeetingKind::from_code(k).ok_or_else(|| Problem::bad_request(format!("kind «{k}» không phải loại cuộc họp")))?),
    };
    let f = MeetingFilter { from: day("from", q.from.as_deref())?, to: day("to", q.to.as_deref())?, kind, only_org: !q.subtree.unwrap_or(false) };
    let page = caller.store()?.meetings(id, &f, offset(q.offset)?, i64::from(limit(q.limit)?)).await?;
    Ok(Json(MeetingList {
        items: page
            .items
            .into_iter()
            .map(|l| MeetingLineOut {
                org_name: l.org_name,
                convened: l.convened,
                present: l.present,
                excused: l.excused,
                absent: l.absent,
                meeting: meeting_out(l.meeting),
            })
            .collect(),
        total: page.total,
        offset: page.offset,
    }))
}

/// A meeting's plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    #[schema(pattern = "^(thuong_ky|chuyen_de|bat_thuong|cap_uy)$")]
    pub kind: String,
    #[schema(format = Date)]
    pub held_on: String,
    /// "19:30".
    pub starts_at: Option<String>,
    pub place: Option<String>,
    /// Required for a thematic meeting.
    pub topic: Option<String>,
    /// Documents to read before the meeting.
    pub documents: Option<String>,
}

impl PlanIn {
    fn input(self) -> PlanInput {
        PlanInput {
            kind: self.kind,
            held_on: self.held_on,
            starts_at: self.starts_at.unwrap_or_default(),
            place: self.place.unwrap_or_default(),
            topic: self.topic.unwrap_or_default(),
            documents: self.documents.unwrap_or_default(),
        }
    }
}

/// Plans a meeting of an organization of the scope.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meetings", operation_id = "plan_meeting", tag = "meetings", request_body = PlanIn,
    params(("id" = i64, Path, description = "Organization id")),
    responses((status = 201, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn plan_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<PlanIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let org = store.org(id).await?;
    let cmd = b.input().validate(org.kind, caller.app.today()).map_err(StoreError::Invalid)?;
    Ok(meeting_response(store.plan_meeting(id, cmd).await?, StatusCode::CREATED))
}

/// A meeting with its attendance (the roll of the day until it is recorded), counts, vote
/// base, minutes (the rules' agenda until they are recorded) and amendments.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", operation_id = "get_meeting", tag = "meetings", params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingRecordOut, headers(("ETag" = String))), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn get_meeting(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    Ok(record_response(caller.store()?.meeting(id).await?, StatusCode::OK))
}

/// Changes a meeting's plan. Needs `If-Match` with the meeting's ETag.
#[utoipa::path(put, path = "/api/v1/meetings/{id}", operation_id = "update_meeting", tag = "meetings", request_body = PlanIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn update_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<PlanIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let r = store.meeting(id).await?;
    let cmd = b.input().validate(r.org_kind, caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, r.meeting.version)?;
    Ok(meeting_response(store.update_meeting_plan(id, version, cmd).await?, StatusCode::OK))
}

/// Notifies a planned meeting to its members: it shows on each one's own page. Needs
/// `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/notify", operation_id = "notify_meeting", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn notify_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    let version = if_match(&headers, meeting.version)?;
    Ok(meeting_response(store.notify_meeting(id, version).await?, StatusCode::OK))
}

/// One line of the attendance.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceIn {
    pub member_id: i64,
    #[schema(pattern = "^(co_mat|den_muon|vang_co_ly_do|vang_khong_ly_do)$")]
    pub presence: String,
    /// Required for vang_co_ly_do.
    pub reason: Option<String>,
}

/// The attendance: the lines that differ from "present" (or from what was recorded), and
/// the guests by name.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    pub lines: Vec<PresenceIn>,
    /// Guests typed by name ("Nguyễn Văn A — Bí thư Đoàn phường").
    pub guests: Option<Vec<String>>,
}

/// Records the attendance of a meeting whose day has come; it is then held. Needs `If-Match`.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", operation_id = "record_attendance", tag = "meetings", request_body = AttendanceIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingRecordOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn record_attendance(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<AttendanceIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    let guests = b.guests.unwrap_or_default();
    if guests.iter().any(|g| g.contains('\n')) {
        return Err(StoreError::field(chibo_domain::error::FieldError::new("guests", chibo_domain::error::ErrorCode::InvalidChoice).with("value", "")).into());
    }
    let input = AttendanceInput {
        lines: b
            .lines
            .into_iter()
            .map(|l| PresenceInput { member_id: Some(l.member_id), presence: l.presence, reason: l.reason.unwrap_or_default() })
            .collect(),
        guests: guests.join("\n"),
    };
    let cmd = input.validate().map_err(StoreError::Invalid)?;
    let version = if_match(&headers, meeting.version)?;
    Ok(record_response(store.record_attendance(id, version, cmd).await?, StatusCode::OK))
}

/// A vote on an item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingVoteIn {
    /// Default: the item's title.
    pub subject: Option<String>,
    pub votes_for: u32,
    pub votes_against: Option<u32>,
    pub abstain: Option<u32>,
}

/// An agenda item with its minutes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemIn {
    pub title: String,
    pub report: Option<String>,
    /// "Name: what they said", one an entry.
    pub opinions: Option<Vec<String>>,
    pub conclusion: Option<String>,
    pub vote: Option<MeetingVoteIn>,
}

/// The minutes: the items, the chair and the secretary (members present), the resolution.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesIn {
    pub items: Vec<ItemIn>,
    pub chair_id: Option<i64>,
    pub secretary_id: Option<i64>,
    pub resolution_no: Option<String>,
    pub resolution: Option<String>,
}

/// Records the minutes of a meeting whose day has come. Needs `If-Match`.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/minutes", operation_id = "record_minutes", tag = "meetings", request_body = MinutesIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingRecordOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn record_minutes(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<MinutesIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let r = store.meeting(id).await?;
    let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let items = b
        .items
        .into_iter()
        .map(|i| ItemInput {
            // An item sent without a title is refused as such, not skipped as a blank line.
            title: if i.title.trim().is_empty() { " ".into() } else { i.title },
            report: i.report.unwrap_or_default(),
            opinions: i.opinions.unwrap_or_default().iter().map(|o| o.replace('\n', " ")).collect::<Vec<_>>().join("\n"),
            conclusion: i.conclusion.unwrap_or_default(),
            vote: i.vote.map_or_else(VoteInput::default, |v| VoteInput {
                subject: v.subject.unwrap_or_default(),
                votes_for: v.votes_for.to_string(),
                votes_against: count(v.votes_against),
                abstain: count(v.abstain),
            }),
        })
        .collect();
    let pick = |p: Option<i64>| p.map_or(Picked::None, Picked::Found);
    let input = MinutesInput {
        items,
        chair: pick(b.chair_id),
        secretary: pick(b.secretary_id),
        resolution_no: b.resolution_no.unwrap_or_default(),
        resolution: b.resolution.unwrap_or_default(),
    };
    let cmd = input.validate(r.counts.official_present, r.vote_base).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, r.meeting.version)?;
    Ok(record_response(store.record_minutes(id, version, cmd).await?, StatusCode::OK))
}

/// The signature.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Default: today.
    #[schema(format = Date)]
    pub signed_on: Option<String>,
}

/// Signs the minutes of a meeting held with its quorum, chair and secretary. Needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/sign", operation_id = "sign_meeting", tag = "meetings", request_body = SignIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn sign_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<SignIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    let signed_on = match b.signed_on {
        // An empty date is malformed (null means today).
        Some(s) if s.trim().is_empty() => "?".to_owned(),
        other => other.unwrap_or_default(),
    };
    let on = SignInput { signed_on }.validate(meeting.held_on, caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, meeting.version)?;
    Ok(meeting_response(store.sign_meeting(id, version, on).await?, StatusCode::OK))
}

/// A cancellation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    pub reason: String,
}

/// Cancels a meeting not yet held, with its reason. Needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/cancel", operation_id = "cancel_meeting", tag = "meetings", request_body = CancelIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn cancel_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<CancelIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    let why = CancelInput { reason: b.reason }.validate().map_err(StoreError::Invalid)?;
    let version = if_match(&headers, meeting.version)?;
    Ok(meeting_response(store.cancel_meeting(id, version, why).await?, StatusCode::OK))
}

/// An amendment of signed minutes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendIn {
    /// What is corrected, and how.
    pub text: String,
}

/// Records a correction of signed minutes, kept beside them. Needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/amendments", operation_id = "amend_meeting", tag = "meetings", request_body = AmendIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 201, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn amend_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<AmendIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    // The audit entry names the token's owner; the amendment says it came through the API.
    let by = "qua API".to_owned();
    let a = AmendInput { text: b.text }.validate(&by, caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, meeting.version)?;
    Ok(meeting_response(store.amend_meeting(id, version, a).await?, StatusCode::CREATED))
}

/// A rating by the level above.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateIn {
    #[schema(pattern = "^(tot|kha|trung_binh|kem)$")]
    pub quality: String,
    pub note: Option<String>,
}

/// Rates a meeting held; only a scope that reaches the organization's parent may. Needs
/// `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/rating", operation_id = "rate_meeting", tag = "meetings", request_body = RateIn,
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The ETag of the meeting")),
    responses((status = 200, body = MeetingOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn rate_meeting(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<RateIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let meeting = store.meeting_row(id).await?;
    let cmd = RateInput { quality: b.quality, note: b.note.unwrap_or_default() }.validate().map_err(StoreError::Invalid)?;
    let version = if_match(&headers, meeting.version)?;
    Ok(meeting_response(store.rate_meeting(id, version, cmd).await?, StatusCode::OK))
}

/// Which list behind an attendance figure.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttendanceQueryIn {
    /// The day (yyyy-mm-dd), default today.
    #[param(format = Date)]
    pub as_of: Option<String>,
    /// attended: the attendances of the month's regular meetings; repeated: the members
    /// absent without reason the rules' number of times this year.
    #[param(pattern = "^(attended|repeated)$")]
    pub list: Option<String>,
    #[param(minimum = 0)]
    pub offset: Option<i32>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A line behind an attendance figure.
#[derive(Serialize, ToSchema)]
pub struct AttendanceLineOut {
    pub member_id: Option<i64>,
    pub name: String,
    pub org_id: i64,
    pub org_name: String,
    pub meeting_id: i64,
    pub held_on: NaiveDate,
    pub presence: String,
    /// Absences without reason this year (the repeated list).
    pub absences: u32,
}

/// A page of the list behind an attendance figure.
#[derive(Serialize, ToSchema)]
pub struct AttendanceLineList {
    pub items: Vec<AttendanceLineOut>,
    pub total: i64,
    pub offset: i64,
}

/// The list behind an attendance figure of an organization's dashboard.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings/attendance", operation_id = "meeting_attendance", tag = "meetings",
    params(("id" = i64, Path, description = "Organization id"), AttendanceQueryIn),
    responses((status = 200, body = AttendanceLineList), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn meeting_attendance(caller: Caller, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<AttendanceQueryIn>) -> ApiResult<Json<AttendanceLineList>> {
    let on = as_of(q.as_of.as_deref(), caller.app.today())?;
    let list = match q.list.as_deref() {
        None | Some("attended") => AttendanceList::Attended,
        Some("repeated") => AttendanceList::Repeated,
        Some(other) => return Err(Problem::bad_request(format!("list «{other}» phải là attended hoặc repeated"))),
    };
    let page = caller.store()?.meeting_attendance(id, on, list, offset(q.offset)?, i64::from(limit(q.limit)?)).await?;
    Ok(Json(AttendanceLineList {
        items: page
            .items
            .into_iter()
            .map(|a| AttendanceLineOut {
                member_id: a.member_id,
                name: a.name,
                org_id: a.org_id,
                org_name: a.org_name,
                meeting_id: a.meeting_id,
                held_on: a.held_on,
                presence: a.presence.code().to_owned(),
                absences: a.absences,
            })
            .collect(),
        total: page.total,
        offset: page.offset,
    }))
}
