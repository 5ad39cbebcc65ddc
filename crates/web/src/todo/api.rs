//! The to-do list of the token's scope: deadlines near or past, each pointing at its record.

use crate::api::{ApiResult, Caller, Problem};
use axum::Json;
use chibo_domain::error::Lang;
use chibo_store::todo::{FactKey, FactValue, Subject};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A fact shown beside an item.
#[derive(Serialize, ToSchema)]
pub struct FactOut {
    /// probation_ends, deadline, official, required, expires, recognition_by, ceremony_by, until.
    pub key: String,
    /// In Vietnamese ("hết dự bị").
    pub label: String,
    /// The day, for a dated fact.
    pub date: Option<NaiveDate>,
    /// The number, for a counted fact.
    pub count: Option<i64>,
}

/// One thing to do.
#[derive(Serialize, ToSchema)]
pub struct TodoOut {
    /// probation_ending, recognition_overdue, cell_too_small, grassroots_committee_too_small, ceremony_overdue,
    /// transfer_waiting, temporary_ended, certificate_expiring, exemption_ending.
    pub kind: String,
    /// What to do, in Vietnamese.
    pub label: String,
    /// The facts in words, in Vietnamese.
    pub detail: String,
    /// The facts, in order.
    pub facts: Vec<FactOut>,
    /// The member concerned (absent for an organization's item).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<i64>,
    pub org_id: i64,
    /// The member's or the cell's name.
    pub name: String,
    pub org_name: String,
    /// The deadline (for probation: the last day of the recognition vote).
    pub due: Option<NaiveDate>,
    pub probation_ends: Option<NaiveDate>,
    /// Official members of a cell below the minimum.
    pub official: Option<i64>,
    /// The minimum the rules in force require.
    pub required: Option<u32>,
    pub overdue: bool,
    /// The admission case concerned (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admission_id: Option<i64>,
    /// The transfer concerned (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<i64>,
    /// The meeting concerned (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<i64>,
}

/// Deadlines of the scope that are near (within 30 days) or past, overdue first.
#[utoipa::path(get, path = "/api/v1/todo", operation_id = "todo", tag = "members",
    responses((status = 200, body = Vec<TodoOut>), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn list(caller: Caller) -> ApiResult<Json<Vec<TodoOut>>> {
    let items = caller.store()?.todo(caller.app.today()).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| TodoOut {
                kind: i.kind.code().to_owned(),
                label: i.label(Lang::Vi).to_owned(),
                detail: i.detail(Lang::Vi),
                facts: i
                    .facts
                    .iter()
                    .map(|f| FactOut {
                        key: serde_json::to_value(f.key).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                        label: f.key.label(Lang::Vi).to_owned(),
                        date: match f.value {
                            FactValue::Date(d) => Some(d),
                            FactValue::Count(_) => None,
                        },
                        count: match f.value {
                            FactValue::Count(n) => Some(n),
                            FactValue::Date(_) => None,
                        },
                    })
                    .collect(),
                member_id: match i.subject {
                    Subject::Member(id) => Some(id),
                    _ => i.person,
                },
                org_id: i.org_id,
                probation_ends: i.date(FactKey::ProbationEnds),
                official: i.count(FactKey::Official),
                required: i.count(FactKey::Required).and_then(|n| u32::try_from(n).ok()),
                admission_id: match i.subject {
                    Subject::Admission(id) => Some(id),
                    _ => None,
                },
                transfer_id: match i.subject {
                    Subject::Transfer(id) => Some(id),
                    _ => None,
                },
                meeting_id: match i.subject {
                    Subject::Meeting(id) => Some(id),
                    _ => None,
                },
                due: i.due,
                overdue: i.overdue,
                name: i.name,
                org_name: i.org_name,
            })
            .collect(),
    ))
}
