//! The audit log: who changed what, when, with the record before and after. Entries are
//! written in the same transaction as the change and never updated or deleted.

use crate::kernel::Audit;
use crate::kernel::sql::{Where, all, get};
use crate::{Result, Scoped};
use chibo_domain::audit::{self, Entity};
use chibo_domain::org::OrgPath;
use chibo_domain::org::audit::OrgAction;
use chibo_domain::scope::Reach;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

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
        let mut q = Where::new("SELECT id, at, actor, action, entity, entity_id, before, after FROM audit WHERE 1=1");
        q.within(&self.scope, "org_path");
        if let Some(e) = &f.entity {
            q.and(" AND entity = ?", e.clone());
        }
        if let Some(id) = f.entity_id {
            q.and(" AND entity_id = ?", id);
        }
        if let Some(a) = &f.actor {
            q.and(" AND actor = ?", a.clone());
        }
        if let Some(t) = f.from {
            q.and(" AND at >= ?", t);
        }
        if let Some(t) = f.until {
            q.and(" AND at < ?", t);
        }
        if let Some(b) = f.before_id {
            q.and(" AND id < ?", b);
        }
        let limit = f.limit.clamp(1, 500);
        q.sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
        let (sql, vals) = (q.sql, q.values);
        let rows = all(&self.store.db, &sql, vals).await?;
        let mut entries = rows
            .iter()
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
            .collect::<Result<Vec<_>>>()?;
        self.withhold_departed(&mut entries).await?;
        Ok(entries)
    }

    /// Withholds the personal details of entries about members who are no longer in the
    /// scope today (moved to a cell elsewhere): the entry was filed where the member was, so
    /// the reader still sees it, but identity numbers, addresses and contact details belong
    /// to the organization that has the member now, as in the lists of the past.
    async fn withhold_departed(&self, entries: &mut [AuditEntry]) -> Result<()> {
        let about = |e: &AuditEntry| Entity::from_code(&e.entity).and_then(|k| audit::entry_member(k, e.entity_id, e.before.as_ref(), e.after.as_ref()));
        let mut ids: Vec<i64> = entries.iter().filter_map(about).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() || self.scope.reach() == &Reach::All {
            return Ok(());
        }
        let marks = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT m.id, o.path FROM member m JOIN org o ON o.id = m.org_id WHERE m.id IN ({marks})");
        let rows = all(&self.store.db, &sql, ids.iter().map(|&i| i.into()).collect()).await?;
        let mut inside = HashSet::new();
        for r in &rows {
            if self.scope.covers(&OrgPath::from_stored(get::<String>(r, "path")?)) {
                inside.insert(get::<i64>(r, "id")?);
            }
        }
        for e in entries.iter_mut() {
            let (Some(member), Some(kind)) = (about(e), Entity::from_code(&e.entity)) else { continue };
            if !inside.contains(&member) {
                for side in [e.before.as_mut(), e.after.as_mut()].into_iter().flatten() {
                    audit::withhold_personal(kind, side);
                }
            }
        }
        Ok(())
    }
}

impl crate::Scoped<'_> {
    /// Records that the caller took a list of personal data out of the system (an export of
    /// `rows` rows of `org`'s members or committee, `what`, as `format`): reading is not a
    /// change, but a copy that leaves is worth knowing about.
    pub async fn audit_export(&self, org: chibo_domain::org::OrgId, what: OrgAction, rows: usize, format: &str) -> Result<()> {
        let ch = self.change(chibo_domain::scope::Rights::Read).await?;
        let o = crate::org::load_org(&*ch, org, self).await?;
        let entry = Audit::of(what, Some(org)).at(&o.path).after(&serde_json::json!({ "rows": rows, "format": format }));
        ch.audit(entry).await?;
        ch.commit().await
    }
}
