//! The audit log: entries of records inside the token's scope, newest first, cursor-paged.

use crate::api::{ApiQuery, ApiResult, Caller, Problem, limit};
use axum::Json;
use chibo_domain::audit::{Action, Entity};
use chibo_domain::error::Lang;
use chibo_store::audit::AuditFilter;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One change.
#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The login that acted, or `system:…`.
    pub actor: String,
    /// `member.create`, `member.update`, `member.moved`, `org.renamed`, …
    pub action: String,
    /// What was done, in Vietnamese ("Kết thúc chuyển sinh hoạt tạm thời").
    pub action_label: String,
    /// `member`, `org`, `admission`, `transfer`, `residence`, `member_import`, `account`,
    /// `token`, `rules`, `calendar`.
    pub entity: String,
    /// The kind of record, in Vietnamese.
    pub entity_label: String,
    pub entity_id: Option<i64>,
    /// The record before the change (absent for a creation).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// A page of the log.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditOut>,
    /// Pass as `cursor` for older entries; null at the beginning of the log.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this kind of record.
    #[param(pattern = "^(org|member|admission|transfer|residence|member_import|account|token|rules|calendar|term|seat|post|duty|regulation|meeting)$")]
    pub entity: Option<String>,
    /// Only this record.
    pub entity_id: Option<i64>,
    /// Only this login.
    pub actor: Option<String>,
    /// From `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Changes to records inside the scope, newest first.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "audit_log", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn list(caller: Caller, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Json<AuditPage>> {
    let n = limit(q.limit)?;
    let before_id = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| Problem::bad_request("cursor không hợp lệ"))?),
    };
    if let Some(e) = q.entity.as_deref()
        && Entity::from_code(e).is_none()
    {
        let known = Entity::ALL.iter().map(|e| e.code()).collect::<Vec<_>>().join(", ");
        return Err(Problem::bad_request(format!("entity «{e}» không có ({known})")));
    }
    let filter = AuditFilter { entity: q.entity, entity_id: q.entity_id, actor: q.actor, before_id, limit: n, ..Default::default() };
    let entries = caller.store()?.audit_log(&filter).await?;
    let next_cursor = (entries.len() == n as usize).then(|| entries.last().map(|e| e.id.to_string())).flatten();
    let items = entries
        .into_iter()
        .map(|e| {
            let typed = Action::parse(&e.entity, &e.action);
            AuditOut {
                id: e.id,
                at: e.at,
                actor: e.actor,
                action_label: typed.map(|a| a.label(Lang::Vi).to_owned()).unwrap_or_else(|| e.action.clone()),
                entity_label: typed.map(|a| a.entity().label(Lang::Vi).to_owned()).unwrap_or_else(|| e.entity.clone()),
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                before: e.before,
                after: e.after,
            }
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}

#[cfg(test)]
mod tests {
    use chibo_domain::audit::Entity;

    #[test]
    fn the_entity_pattern_names_every_kind_of_record() {
        let pattern = "^(org|member|admission|transfer|residence|member_import|account|token|rules|calendar|term|seat|post|duty|regulation|meeting)$";
        let listed: Vec<&str> = pattern.trim_start_matches("^(").trim_end_matches(")$").split('|').collect();
        assert_eq!(listed, Entity::ALL.iter().map(|e| e.code()).collect::<Vec<_>>());
    }
}
