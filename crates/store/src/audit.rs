//! The audit log: who changed what, when, with the record before and after. Entries are
//! written in the same transaction as the change and never updated or deleted.

use crate::db::{all, exec, get};
use crate::{Result, Scoped};
use chibo_domain::org::OrgPath;
use chibo_domain::scope::Actor;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};
use serde::Serialize;

/// One change to append.
pub(crate) struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// Where the record sits in the tree, so the log itself can be read by scope.
    pub org_path: Option<&'a OrgPath>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends an entry (inside the caller's transaction).
pub(crate) async fn append<C: ConnectionTrait>(c: &C, e: Entry<'_>) -> Result<()> {
    exec(
        c,
        "INSERT INTO audit (at, actor, actor_id, action, entity, entity_id, org_path, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            Utc::now().into(),
            e.actor.label().into(),
            e.actor.user_id().into(),
            e.action.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.org_path.map(|p| p.as_str().to_owned()).into(),
            e.before.map(|v| v.to_string()).into(),
            e.after.map(|v| v.to_string()).into(),
        ],
    )
    .await?;
    Ok(())
}

/// An audit entry as read back.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (login or system:what).
    pub actor: String,
    /// What was done (`member.create`).
    pub action: String,
    /// Which kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: Option<i64>,
    /// The record before (JSON), if it existed.
    pub before: Option<serde_json::Value>,
    /// The record after (JSON), if it still exists.
    pub after: Option<serde_json::Value>,
}

/// Filter for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this kind of record.
    pub entity: Option<String>,
    /// Only this record.
    pub entity_id: Option<i64>,
    /// Only this actor.
    pub actor: Option<String>,
    /// Entries at or after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this moment.
    pub until: Option<DateTime<Utc>>,
    /// Entries before this id (paging backwards, newest first).
    pub before_id: Option<i64>,
    /// Page size.
    pub limit: u32,
}

impl Scoped<'_> {
    /// Reads the log, newest first, restricted to records inside the scope.
    pub async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from("SELECT id, at, actor, action, entity, entity_id, before, after FROM audit WHERE 1=1");
        let mut vals: Vec<Value> = Vec::new();
        let mut push = |cond: &str, v: Value, sql: &mut String| {
            vals.push(v);
            sql.push_str(&cond.replace('?', &format!("${}", vals.len())));
        };
        if let Some((lo, hi)) = self.scope.path_range() {
            push(" AND org_path >= ?", lo.into(), &mut sql);
            push(" AND org_path < ?", hi.into(), &mut sql);
        }
        if let Some(e) = &f.entity {
            push(" AND entity = ?", e.clone().into(), &mut sql);
        }
        if let Some(id) = f.entity_id {
            push(" AND entity_id = ?", id.into(), &mut sql);
        }
        if let Some(a) = &f.actor {
            push(" AND actor = ?", a.clone().into(), &mut sql);
        }
        if let Some(t) = f.from {
            push(" AND at >= ?", t.into(), &mut sql);
        }
        if let Some(t) = f.until {
            push(" AND at < ?", t.into(), &mut sql);
        }
        if let Some(b) = f.before_id {
            push(" AND id < ?", b.into(), &mut sql);
        }
        let limit = f.limit.clamp(1, 500);
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
        let rows = all(&self.store.db, &sql, vals).await?;
        rows.iter()
            .map(|r| {
                let parse = |col: &str| -> Result<Option<serde_json::Value>> { Ok(get::<Option<String>>(r, col)?.and_then(|s| serde_json::from_str(&s).ok())) };
                Ok(AuditEntry {
                    id: get(r, "id")?,
                    at: get(r, "at")?,
                    actor: get(r, "actor")?,
                    action: get(r, "action")?,
                    entity: get(r, "entity")?,
                    entity_id: get(r, "entity_id")?,
                    before: parse("before")?,
                    after: parse("after")?,
                })
            })
            .collect()
    }
}

impl crate::Scoped<'_> {
    /// Records that the caller took a list of personal data out of the system (an export of
    /// `rows` members of `org`, as `format`): reading is not a change, but a copy that leaves
    /// is worth knowing about.
    pub async fn audit_export(&self, org: chibo_domain::org::OrgId, rows: usize, format: &str) -> Result<()> {
        let o = self.org(org).await?;
        append(
            &self.store.db,
            Entry {
                actor: &self.scope.actor,
                action: "member.export",
                entity: "org",
                entity_id: Some(org),
                org_path: Some(&o.path),
                before: None,
                after: Some(serde_json::json!({ "rows": rows, "format": format })),
            },
        )
        .await
    }
}
