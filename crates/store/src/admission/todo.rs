//! The admission cases' deadlines: ceremonies to hold after the decision, candidates'
//! certificates running out before the decision.

use crate::kernel::sql::{all, get};
use crate::todo::TodoContext;
use crate::{Result, Scoped};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use chrono::NaiveDate;
use sea_orm::Value;

/// The admission cases' to-do items of the scope.
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let mut vals: Vec<Value> = Vec::new();
    let scope_sql = s.scope_filter("o.path", 1);
    vals.extend(s.scope_values());
    let sql = format!(
        "SELECT a.id, a.member_id, a.stage, a.certificate_on, a.decision_on, m.full_name, a.cell_id, o.name AS org_name \
         FROM admission a JOIN member m ON m.id = a.member_id JOIN org o ON o.id = a.cell_id \
         WHERE a.stage IN ('candidate', 'voted', 'decided'){scope_sql}"
    );
    let mut items = Vec::new();
    for r in all(&s.store.db, &sql, vals).await? {
        let stage: String = get(&r, "stage")?;
        let (kind, due, key) = if stage == "decided" {
            let decided: NaiveDate = get(&r, "decision_on")?;
            (TodoKind::CeremonyOverdue, ctx.calendar.add_working_days(decided, ctx.book.at(decided).ceremony_within_working_days), FactKey::CeremonyBy)
        } else {
            let cert: NaiveDate = get(&r, "certificate_on")?;
            (TodoKind::CertificateExpiring, chibo_domain::admission::certificate_expires(ctx.book, cert), FactKey::Expires)
        };
        // A ceremony is listed while it is still to hold; a certificate from 30 days before.
        if kind == TodoKind::CertificateExpiring && due > ctx.horizon {
            continue;
        }
        items.push(TodoItem {
            kind,
            subject: Subject::Admission(get(&r, "id")?),
            person: Some(get(&r, "member_id")?),
            name: get(&r, "full_name")?,
            org_id: get(&r, "cell_id")?,
            org_name: get(&r, "org_name")?,
            due: Some(due),
            overdue: ctx.today > due || (kind == TodoKind::CertificateExpiring && ctx.today >= due),
            facts: vec![Fact::date(key, due)],
        });
    }
    Ok(items)
}
