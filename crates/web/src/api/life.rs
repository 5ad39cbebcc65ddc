//! A member's life through the API: admission cases and their steps, transfers and their
//! answers. The same scoped store calls as the pages; steps and answers need `If-Match` with
//! the case's (or transfer's, or for a letter the member's) ETag.

use super::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, etag, if_match, limit};
use crate::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::admission::{CandidateFile, Decision, Stage, Step};
use chibo_domain::calendar::parse_date;
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::transfer::{LetterInput, TransferState};
use chibo_store::StoreError;
use chibo_store::admission::AdmissionRow;
use chibo_store::transfer::{Direction, Transfer};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admissions", get(list_admissions).post(open_admission))
        .route("/admissions/{id}", get(get_admission))
        .route("/admissions/{id}/steps", post(admission_step))
        .route("/transfers", get(list_transfers))
        .route("/transfers/{id}", get(get_transfer))
        .route("/transfers/{id}/accept", post(accept_transfer))
        .route("/transfers/{id}/refuse", post(refuse_transfer))
        .route("/members/{id}/transfers", post(send_transfer))
}

/// Rows to skip (not negative).
fn offset(o: Option<i32>) -> ApiResult<i64> {
    match o {
        Some(n) if n < 0 => Err(Problem::bad_request(format!("offset «{n}» không được âm"))),
        n => Ok(i64::from(n.unwrap_or(0))),
    }
}

fn date_of(field: &str, s: &str) -> Result<NaiveDate, StoreError> {
    parse_date(s).ok_or_else(|| StoreError::field(FieldError::new(field, ErrorCode::DateFormat).with("value", s)))
}

/// A cell's vote.
#[derive(Serialize, ToSchema)]
pub struct VoteOut {
    pub date: NaiveDate,
    pub votes_for: u32,
    pub votes_against: u32,
    /// Official members of the cell on that date.
    pub official_total: u32,
}

/// A committee's decision.
#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    pub date: NaiveDate,
    pub number: String,
    pub issued_by: String,
}

/// An admission case.
#[derive(Serialize, ToSchema)]
pub struct AdmissionOut {
    pub id: i64,
    pub member_id: i64,
    pub full_name: String,
    pub cell_id: i64,
    pub cell_name: String,
    /// candidate, voted, decided, probation, recognition_voted, official, struck_off, rejected.
    pub stage: String,
    pub certificate_no: String,
    pub certificate_date: NaiveDate,
    pub applied_on: NaiveDate,
    pub background_on: Option<NaiveDate>,
    pub vetted_on: Option<NaiveDate>,
    pub introducer_ids: Vec<i64>,
    pub introducer_names: Vec<String>,
    pub vote: Option<VoteOut>,
    pub decision: Option<DecisionOut>,
    pub ceremony_on: Option<NaiveDate>,
    pub recognition_vote: Option<VoteOut>,
    pub recognition_decision: Option<DecisionOut>,
    pub version: i64,
}

fn vote_out(v: Option<chibo_domain::admission::Vote>) -> Option<VoteOut> {
    v.map(|v| VoteOut { date: v.on, votes_for: v.votes_for, votes_against: v.votes_against, official_total: v.official_total })
}

fn decision_out(d: Option<Decision>) -> Option<DecisionOut> {
    d.map(|d| DecisionOut { date: d.on, number: d.number, issued_by: d.issued_by })
}

fn admission_out(r: AdmissionRow) -> AdmissionOut {
    let c = r.case;
    AdmissionOut {
        id: c.id,
        member_id: c.member_id,
        full_name: r.full_name,
        cell_id: c.cell,
        cell_name: r.cell_name,
        stage: c.stage.code().to_owned(),
        certificate_no: c.file.certificate_no,
        certificate_date: c.file.certificate_on,
        applied_on: c.file.applied_on,
        background_on: c.file.background_on,
        vetted_on: c.file.vetted_on,
        introducer_ids: c.file.introducers.to_vec(),
        introducer_names: r.introducer_names.to_vec(),
        vote: vote_out(c.vote),
        decision: decision_out(c.decision),
        ceremony_on: c.ceremony_on,
        recognition_vote: vote_out(c.recognition_vote),
        recognition_decision: decision_out(c.recognition_decision),
        version: c.version,
    }
}

fn with_etag<T: Serialize>(body: T, version: i64, status: StatusCode) -> Response {
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(header::ETAG, etag(version));
    r
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct AdmissionPage {
    pub items: Vec<AdmissionOut>,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AdmissionQuery {
    /// Only cases at this stage.
    #[param(pattern = "^(candidate|voted|decided|probation|recognition_voted|official|struck_off|rejected)$")]
    pub stage: Option<String>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i32>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Admission cases of the scope, oldest application first.
#[utoipa::path(get, path = "/api/v1/admissions", operation_id = "list_admissions", tag = "admissions", params(AdmissionQuery),
    responses((status = 200, body = AdmissionPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn list_admissions(caller: Caller, ApiQuery(q): ApiQuery<AdmissionQuery>) -> ApiResult<Json<AdmissionPage>> {
    let stage = match q.stage.as_deref() {
        None => None,
        Some(s) => Some(Stage::from_code(s).ok_or_else(|| Problem::bad_request(format!("bước «{s}» không có")))?),
    };
    let page = caller.store()?.admissions(stage, offset(q.offset)?, i64::from(limit(q.limit)?)).await?;
    Ok(Json(AdmissionPage { total: page.total, items: page.items.into_iter().map(admission_out).collect() }))
}

/// A candidate file.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdmissionIn {
    /// The candidate (a member record with status `candidate`).
    pub member_id: i64,
    #[schema(min_length = 1, max_length = 50)]
    pub certificate_no: String,
    /// Date of the awareness-course certificate.
    #[schema(format = Date)]
    pub certificate_date: String,
    #[schema(format = Date)]
    pub applied_on: String,
    #[schema(format = Date)]
    pub background_on: Option<String>,
    #[schema(format = Date)]
    pub vetted_on: Option<String>,
    /// The two introducers (official members).
    #[schema(min_items = 2, max_items = 2)]
    pub introducer_ids: Vec<i64>,
    /// Since when each introducer has known the candidate.
    #[schema(min_items = 2, max_items = 2)]
    pub known_since: Vec<String>,
    /// A workplace each introducer shares with the candidate, when not the same cell.
    pub workplaces: Option<Vec<Option<String>>>,
}

/// Opens an admission case after checking the file and the introducers by the rules in force
/// on the application date.
#[utoipa::path(post, path = "/api/v1/admissions", operation_id = "open_admission", tag = "admissions", request_body = AdmissionIn,
    responses((status = 201, body = AdmissionOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn open_admission(caller: Caller, ApiJson(b): ApiJson<AdmissionIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let (Ok(introducers), Ok(known)) = (<[i64; 2]>::try_from(b.introducer_ids.as_slice()), <[String; 2]>::try_from(b.known_since)) else {
        return Err(StoreError::field(FieldError::new("introducer_2", ErrorCode::Required)).into());
    };
    let file = CandidateFile {
        certificate_no: b.certificate_no,
        certificate_on: date_of("certificate_on", &b.certificate_date)?,
        applied_on: date_of("applied_on", &b.applied_on)?,
        background_on: b.background_on.as_deref().map(|d| date_of("background_on", d)).transpose()?,
        vetted_on: b.vetted_on.as_deref().map(|d| date_of("vetted_on", d)).transpose()?,
        introducers,
        known_since: [date_of("known_since_1", &known[0])?, date_of("known_since_2", &known[1])?],
    };
    let w = b.workplaces.unwrap_or_default();
    let workplaces = [w.first().cloned().flatten(), w.get(1).cloned().flatten()];
    let row = store.open_admission(b.member_id, file, workplaces).await?;
    let v = row.case.version;
    Ok(with_etag(admission_out(row), v, StatusCode::CREATED))
}

/// One admission case, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/admissions/{id}", operation_id = "get_admission", tag = "admissions", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = AdmissionOut, headers(("ETag" = String))), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn get_admission(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let row = caller.store()?.admission(id).await?;
    let v = row.case.version;
    Ok(with_etag(admission_out(row), v, StatusCode::OK))
}

/// The kind of step.
#[derive(Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The background form and the vetting, dated (`background_on`, and `date` for the vetting).
    Vetting,
    Vote,
    Decision,
    Ceremony,
    RecognitionVote,
    RecognitionDecision,
}

/// The next step of a case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    pub step: StepKind,
    /// Date of the vote, decision or ceremony.
    #[schema(format = Date)]
    pub date: String,
    /// Votes (for `vote` and `recognition_vote`).
    #[schema(minimum = 0)]
    pub votes_for: Option<i32>,
    #[schema(minimum = 0)]
    pub votes_against: Option<i32>,
    /// Decision number and issuing committee (for the decisions).
    pub decision_no: Option<String>,
    pub issued_by: Option<String>,
    /// For `vetting`: the date the background form was completed.
    #[schema(format = Date)]
    pub background_on: Option<String>,
}

/// Takes the next step of a case; a step the rules do not allow is refused (422) with the
/// reason, nothing written. Needs `If-Match` with the case's ETag.
#[utoipa::path(post, path = "/api/v1/admissions/{id}/steps", operation_id = "admission_step", tag = "admissions", request_body = StepIn,
    params(("id" = i64, Path, description = "Case id"), ("If-Match" = String, Header, description = "The ETag of the case")),
    responses((status = 200, body = AdmissionOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn admission_step(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<StepIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.admission(id).await?.case.version;
    let field = if matches!(b.step, StepKind::Ceremony) {
        "ceremony_on"
    } else if matches!(b.step, StepKind::Vote | StepKind::RecognitionVote) {
        "vote_on"
    } else {
        "decision_on"
    };
    let on = date_of(field, &b.date)?;
    // Every date sent is read, whatever the step, so a malformed one is always refused.
    let background_on = b.background_on.as_deref().map(|bg| date_of("background_on", bg)).transpose()?;
    // Every count sent is read too: a negative one is refused whatever the step.
    for (name, n) in [("votes_for", b.votes_for), ("votes_against", b.votes_against)] {
        if let Some(n) = n.filter(|n| *n < 0) {
            return Err(StoreError::field(FieldError::new(name, ErrorCode::InvalidChoice).with("value", n)).into());
        }
    }
    let votes = || -> Result<(u32, u32), StoreError> {
        match (b.votes_for, b.votes_against) {
            (Some(f), Some(a)) => match (u32::try_from(f), u32::try_from(a)) {
                (Ok(f), Ok(a)) => Ok((f, a)),
                (Err(_), _) => Err(StoreError::field(FieldError::new("votes_for", ErrorCode::InvalidChoice).with("value", f))),
                (_, Err(_)) => Err(StoreError::field(FieldError::new("votes_against", ErrorCode::InvalidChoice).with("value", a))),
            },
            (None, _) => Err(StoreError::field(FieldError::new("votes_for", ErrorCode::Required))),
            (_, None) => Err(StoreError::field(FieldError::new("votes_against", ErrorCode::Required))),
        }
    };
    let decision = || Decision { on, number: b.decision_no.clone().unwrap_or_default(), issued_by: b.issued_by.clone().unwrap_or_default() };
    let step = match b.step {
        StepKind::Vote => votes().map(|(votes_for, votes_against)| Step::Vote { on, votes_for, votes_against })?,
        StepKind::RecognitionVote => votes().map(|(votes_for, votes_against)| Step::RecognitionVote { on, votes_for, votes_against })?,
        StepKind::Decision => Step::Decision { decision: decision() },
        StepKind::RecognitionDecision => Step::RecognitionDecision { decision: decision() },
        StepKind::Ceremony => Step::Ceremony { on },
        StepKind::Vetting => match background_on {
            Some(background_on) => Step::Vetting { background_on, vetted_on: on },
            None => return Err(StoreError::field(FieldError::new("background_on", ErrorCode::Required)).into()),
        },
    };
    let version = if_match(&headers, current)?;
    let row = store.advance_admission(id, version, step).await?;
    let v = row.case.version;
    Ok(with_etag(admission_out(row), v, StatusCode::OK))
}

/// A transfer.
#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub id: i64,
    pub member_id: i64,
    pub full_name: String,
    /// permanent, temporary, out, in.
    pub kind: String,
    /// pending, accepted, rejected, ended, done.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_org_id: Option<i64>,
    pub from_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_org_id: Option<i64>,
    pub to_name: Option<String>,
    pub letter_no: String,
    pub letter_date: NaiveDate,
    /// mm/yyyy.
    pub fees_paid_through: String,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
    pub answered_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_cell_id: Option<i64>,
    pub answer_note: Option<String>,
    /// The receiving side is in the caller's scope (it may answer).
    pub incoming: bool,
    /// The sending side is in the caller's scope.
    pub outgoing: bool,
    pub version: i64,
}

fn transfer_out(t: Transfer) -> TransferOut {
    TransferOut {
        id: t.id,
        member_id: t.member_id,
        full_name: t.full_name,
        kind: t.kind.code().to_owned(),
        state: t.state.code().to_owned(),
        from_org_id: t.from_org,
        from_name: t.from_name,
        to_org_id: t.to_org,
        to_name: t.to_name,
        letter_no: t.letter_no,
        letter_date: t.letter_on,
        fees_paid_through: t.fees_paid_through.to_string(),
        until: t.until,
        note: t.note,
        answered_on: t.answered_on,
        answered_cell_id: t.answered_cell,
        answer_note: t.answer_note,
        incoming: t.incoming,
        outgoing: t.outgoing,
        version: t.version,
    }
}

/// A page of transfers.
#[derive(Serialize, ToSchema)]
pub struct TransferPage {
    pub items: Vec<TransferOut>,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TransferQuery {
    /// `in` (arriving into the scope), `out` (leaving it); both when absent.
    #[param(pattern = "^(in|out)$")]
    pub direction: Option<String>,
    #[param(pattern = "^(pending|accepted|rejected|ended|done)$")]
    pub state: Option<String>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i32>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Transfers touching the scope, newest letter first.
#[utoipa::path(get, path = "/api/v1/transfers", operation_id = "list_transfers", tag = "transfers", params(TransferQuery),
    responses((status = 200, body = TransferPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn list_transfers(caller: Caller, ApiQuery(q): ApiQuery<TransferQuery>) -> ApiResult<Json<TransferPage>> {
    let direction = match q.direction.as_deref() {
        None => Direction::Both,
        Some("in") => Direction::Incoming,
        Some("out") => Direction::Outgoing,
        Some(d) => return Err(Problem::bad_request(format!("chiều «{d}» không có (in hoặc out)"))),
    };
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(TransferState::from_code(s).ok_or_else(|| Problem::bad_request(format!("trạng thái «{s}» không có")))?),
    };
    let page = caller.store()?.transfers(direction, state, offset(q.offset)?, i64::from(limit(q.limit)?)).await?;
    Ok(Json(TransferPage { total: page.total, items: page.items.into_iter().map(transfer_out).collect() }))
}

/// One transfer either side of which is in the scope.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", operation_id = "get_transfer", tag = "transfers", params(("id" = i64, Path, description = "Transfer id")),
    responses((status = 200, body = TransferOut, headers(("ETag" = String))), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn get_transfer(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let t = caller.store()?.transfer(id).await?;
    let v = t.version;
    Ok(with_etag(transfer_out(t), v, StatusCode::OK))
}

/// An introduction letter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterIn {
    /// permanent, temporary or out.
    #[schema(pattern = "^(permanent|temporary|out)$")]
    pub kind: String,
    /// The receiving organization in this instance (permanent, temporary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_org_id: Option<i64>,
    /// The receiving organization outside (out).
    pub destination: Option<String>,
    pub letter_no: String,
    #[schema(format = Date)]
    pub letter_date: String,
    /// mm/yyyy.
    pub fees_paid_through: String,
    /// End of a temporary transfer.
    #[schema(format = Date)]
    pub until: Option<String>,
    pub note: Option<String>,
}

/// Issues an introduction letter for a member of the scope. Needs `If-Match` with the member's
/// ETag. A permanent transfer puts the member in transit until the receiving side answers.
#[utoipa::path(post, path = "/api/v1/members/{id}/transfers", operation_id = "send_transfer", tag = "transfers", request_body = LetterIn,
    params(("id" = i64, Path, description = "Member id"), ("If-Match" = String, Header, description = "The ETag of the member")),
    responses((status = 201, body = TransferOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn send_transfer(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<LetterIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.member(id).await?.version;
    let book = caller.app.store.rule_book().await?;
    let input = LetterInput {
        kind: b.kind,
        to_org: b.to_org_id.map(|i| i.to_string()).unwrap_or_default(),
        destination: b.destination.unwrap_or_default(),
        letter_no: b.letter_no,
        letter_on: b.letter_date,
        fees_paid_through: b.fees_paid_through,
        until: b.until.unwrap_or_default(),
        note: b.note.unwrap_or_default(),
    };
    let letter = input.validate(&book, caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, current)?;
    let t = store.send_transfer(id, version, letter).await?;
    let v = t.version;
    Ok(with_etag(transfer_out(t), v, StatusCode::CREATED))
}

/// The answer of the receiving side.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// The cell that takes the member in (under the receiving organization).
    pub cell_id: i64,
    #[schema(format = Date)]
    pub date: String,
}

/// Accepts a waiting transfer into a cell. Needs `If-Match` with the transfer's ETag.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/accept", operation_id = "accept_transfer", tag = "transfers", request_body = AcceptIn,
    params(("id" = i64, Path, description = "Transfer id"), ("If-Match" = String, Header, description = "The ETag of the transfer")),
    responses((status = 200, body = TransferOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn accept_transfer(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<AcceptIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.transfer(id).await?.version;
    let on = date_of("answered_on", &b.date)?;
    let version = if_match(&headers, current)?;
    let t = store.accept_transfer(id, version, b.cell_id, on).await?;
    let v = t.version;
    Ok(with_etag(transfer_out(t), v, StatusCode::OK))
}

/// A refusal (by the receiving side) or a withdrawal (by the sending side).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseIn {
    #[schema(format = Date)]
    pub date: String,
    pub reason: String,
}

/// Refuses or withdraws a waiting transfer; the member is back in the sending cell. Needs
/// `If-Match` with the transfer's ETag.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/refuse", operation_id = "refuse_transfer", tag = "transfers", request_body = RefuseIn,
    params(("id" = i64, Path, description = "Transfer id"), ("If-Match" = String, Header, description = "The ETag of the transfer")),
    responses((status = 200, body = TransferOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn refuse_transfer(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(b): ApiJson<RefuseIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.transfer(id).await?.version;
    let on = date_of("answered_on", &b.date)?;
    let version = if_match(&headers, current)?;
    let t = store.refuse_transfer(id, version, on, &b.reason).await?;
    let v = t.version;
    Ok(with_etag(transfer_out(t), v, StatusCode::OK))
}
