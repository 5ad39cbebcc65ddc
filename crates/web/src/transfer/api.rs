//! Transfers through the API: the letter, the list, and the receiving side's answers, each
//! write read into the domain's command the page reads its form into. A letter needs
//! `If-Match` with the member's ETag, an answer with the transfer's.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, if_match, limit, offset, with_etag};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chibo_domain::transfer::command::{AcceptTransferInput, RefuseTransferInput};
use chibo_domain::transfer::{LetterInput, TransferState};
use chibo_store::transfer::{Direction, Transfer};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The request's names of the fields the transfer commands report by the page's names.
const LETTER_NAMES: &[(&str, &str)] = &[("to_org", "to_org_id"), ("letter_on", "letter_date"), ("transfer_kind", "kind")];
const ACCEPT_NAMES: &[(&str, &str)] = &[("cell", "cell_id"), ("org", "cell_id"), ("answered_on", "date")];
const REFUSE_NAMES: &[(&str, &str)] = &[("refused_on", "date"), ("answered_on", "date"), ("note", "reason")];

/// The routes of the transfer API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/transfers", get(list_transfers))
        .route("/transfers/{id}", get(get_transfer))
        .route("/transfers/{id}/accept", post(accept_transfer))
        .route("/transfers/{id}/refuse", post(refuse_transfer))
        .route("/members/{id}/transfers", post(send_transfer))
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
    /// The end of a temporary transfer, as the letter states it.
    pub until: Option<NaiveDate>,
    /// The day a temporary transfer was ended (the letter's term stays as issued).
    pub ended_on: Option<NaiveDate>,
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
        ended_on: t.ended_on,
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
    let letter = input.validate(&book, caller.app.today()).map_err(|v| Problem::invalid_as(&v, LETTER_NAMES))?;
    let version = if_match(&headers, current)?;
    let t = store.send_transfer(id, version, letter).await.map_err(|e| Problem::from_store_as(e, LETTER_NAMES))?;
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
    let cmd = AcceptTransferInput { cell: b.cell_id.to_string(), on: b.date }.validate().map_err(|v| Problem::invalid_as(&v, ACCEPT_NAMES))?;
    let version = if_match(&headers, current)?;
    let t = store.accept_transfer(id, version, cmd.cell, cmd.on).await.map_err(|e| Problem::from_store_as(e, ACCEPT_NAMES))?;
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
    let cmd = RefuseTransferInput { on: b.date, reason: b.reason }.validate().map_err(|v| Problem::invalid_as(&v, REFUSE_NAMES))?;
    let version = if_match(&headers, current)?;
    let t = store.refuse_transfer(id, version, cmd.on, &cmd.reason).await.map_err(|e| Problem::from_store_as(e, REFUSE_NAMES))?;
    let v = t.version;
    Ok(with_etag(transfer_out(t), v, StatusCode::OK))
}
