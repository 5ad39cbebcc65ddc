//! Admission cases through the API: the same scoped store calls as the pages, each write read
//! into the domain's command the page reads its form into. Steps need `If-Match` with the
//! case's ETag.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, if_match, limit, offset, with_etag};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::admission::command::{IntroducerChoice, OpenAdmissionInput, StepInput};
use chibo_domain::admission::{Decision, Stage};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_store::StoreError;
use chibo_store::admission::AdmissionRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An optional date of a body: absent is none, but a value sent must be a date, so an empty
/// string is refused as malformed (a form's empty box is how the page says "none").
fn sent_date(field: &str, value: Option<String>) -> Result<String, StoreError> {
    match value {
        Some(v) if v.trim().is_empty() => Err(StoreError::field(FieldError::new(field, ErrorCode::DateFormat).with("value", v))),
        v => Ok(v.unwrap_or_default()),
    }
}

/// The routes of the admission API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admissions", get(list_admissions).post(open_admission))
        .route("/admissions/{id}", get(get_admission))
        .route("/admissions/{id}/steps", post(admission_step))
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

/// The request's names of the fields the case's commands report by the page's names.
const OPEN_NAMES: &[(&str, &str)] = &[
    ("certificate_on", "certificate_date"),
    ("introducer_1", "introducer_ids"),
    ("introducer_2", "introducer_ids"),
    ("known_since_1", "known_since"),
    ("known_since_2", "known_since"),
];

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
    let (Ok(introducers), Ok(known_since)) = (<[i64; 2]>::try_from(b.introducer_ids.as_slice()), <[String; 2]>::try_from(b.known_since)) else {
        return Err(Problem::invalid_as(&FieldError::new("introducer_2", ErrorCode::Required).into(), OPEN_NAMES));
    };
    let w = b.workplaces.unwrap_or_default();
    let workplace = |i: usize| w.get(i).cloned().flatten().unwrap_or_default();
    // The domain's command, the same the page parses into.
    let input = OpenAdmissionInput {
        certificate_no: b.certificate_no,
        certificate_on: b.certificate_date,
        applied_on: b.applied_on,
        background_on: sent_date("background_on", b.background_on)?,
        vetted_on: sent_date("vetted_on", b.vetted_on)?,
        introducers: introducers.map(IntroducerChoice::Found),
        known_since,
        workplaces: [workplace(0), workplace(1)],
    };
    let cmd = input.validate().map_err(|v| Problem::invalid_as(&v, OPEN_NAMES))?;
    let row = store.open_admission(b.member_id, cmd.file, cmd.workplaces).await.map_err(|e| Problem::from_store_as(e, OPEN_NAMES))?;
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

impl StepKind {
    /// The step's code, as the page's form names it.
    fn code(self) -> &'static str {
        match self {
            StepKind::Vetting => "vetting",
            StepKind::Vote => "vote",
            StepKind::Decision => "decision",
            StepKind::Ceremony => "ceremony",
            StepKind::RecognitionVote => "recognition_vote",
            StepKind::RecognitionDecision => "recognition_decision",
        }
    }
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
    // The domain's command, the same the page parses into: the one date goes into the field
    // of its step, and every date and count sent is read whatever the step.
    let mut input = StepInput {
        step: b.step.code().to_owned(),
        votes_for: b.votes_for.map(|n| n.to_string()).unwrap_or_default(),
        votes_against: b.votes_against.map(|n| n.to_string()).unwrap_or_default(),
        decision_number: b.decision_no.unwrap_or_default(),
        issued_by: b.issued_by.unwrap_or_default(),
        background_on: sent_date("background_on", b.background_on)?,
        ..Default::default()
    };
    let (date, date_field) = match b.step {
        StepKind::Vetting => (&mut input.vetted_on, "vetted_on"),
        StepKind::Vote | StepKind::RecognitionVote => (&mut input.vote_on, "vote_on"),
        StepKind::Decision | StepKind::RecognitionDecision => (&mut input.decision_on, "decision_on"),
        StepKind::Ceremony => (&mut input.ceremony_on, "ceremony_on"),
    };
    *date = b.date;
    // The request's names: the step's own date is `date` (another step's date missing from
    // the file keeps its name), the decision's number `decision_no`.
    let step_names: &[(&str, &str)] = &[(date_field, "date"), ("decision_number", "decision_no")];
    let step = input.validate().map_err(|v| Problem::invalid_as(&v, step_names))?;
    let version = if_match(&headers, current)?;
    let row = store.advance_admission(id, version, step).await.map_err(|e| Problem::from_store_as(e, step_names))?;
    let v = row.case.version;
    Ok(with_etag(admission_out(row), v, StatusCode::OK))
}
