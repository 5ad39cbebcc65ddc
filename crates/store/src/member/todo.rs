//! The members' deadlines: probation ending (recognition due or overdue), exemptions for a
//! period ending.

use crate::kernel::sql::{all, get};
use crate::todo::TodoContext;
use crate::{Result, Scoped};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use chrono::NaiveDate;
use sea_orm::Value;

/// The members' to-do items of the scope.
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let mut items = Vec::new();
    // Probationary members whose probation ends within 30 days or has ended (each by the
    // rules in force when they were admitted). Probation runs from the ceremony when the
    // admission is a case here; for members entered from records, from the admission date.
    let mut vals: Vec<Value> = vec![ctx.horizon.into()];
    let scope_sql = s.scope_filter("o.path", 2);
    vals.extend(s.scope_values());
    let sql = format!(
        "SELECT m.id, m.full_name, COALESCE(a.ceremony_on, m.admitted_on) AS admitted_on, m.org_id, o.name AS org_name FROM member m \
         JOIN org o ON o.id = m.org_id LEFT JOIN admission a ON a.member_id = m.id AND a.stage IN ('probation', 'recognition_voted') \
         WHERE m.status = 'probationary' AND m.admitted_on IS NOT NULL AND COALESCE(a.ceremony_on, m.admitted_on) <= $1{scope_sql}"
    );
    for r in all(&s.store.db, &sql, vals).await? {
        let admitted: NaiveDate = get(&r, "admitted_on")?;
        let ends = ctx.book.at(admitted).probation_ends(admitted);
        if ends > ctx.horizon {
            continue;
        }
        let due = ctx.calendar.add_working_days(ends, ctx.book.at(ends).recognition_within_working_days);
        let overdue = ctx.today > due;
        let (kind, by) = if overdue { (TodoKind::RecognitionOverdue, FactKey::Deadline) } else { (TodoKind::ProbationEnding, FactKey::RecognitionBy) };
        let id: i64 = get(&r, "id")?;
        items.push(TodoItem {
            kind,
            subject: Subject::Member(id),
            person: Some(id),
            name: get(&r, "full_name")?,
            org_id: get(&r, "org_id")?,
            org_name: get(&r, "org_name")?,
            due: Some(due),
            overdue,
            facts: vec![Fact::date(FactKey::ProbationEnds, ends), Fact::date(by, due)],
        });
    }

    // Exemptions for a period that end within 30 days or have ended (the latest exemption
    // of each member still exempt).
    let mut vals: Vec<Value> = vec![ctx.horizon.into()];
    let scope_sql = s.scope_filter("o.path", 2);
    vals.extend(s.scope_values());
    let sql = format!(
        "SELECT m.id, m.full_name, m.org_id, o.name AS org_name, e.until_on FROM member m JOIN org o ON o.id = m.org_id \
         JOIN member_event e ON e.id = (SELECT MAX(x.id) FROM member_event x WHERE x.member_id = m.id AND x.kind = 'exempted') \
         WHERE m.status = 'exempt' AND e.until_on IS NOT NULL AND e.until_on <= $1{scope_sql}"
    );
    for r in all(&s.store.db, &sql, vals).await? {
        let until: NaiveDate = get(&r, "until_on")?;
        let id: i64 = get(&r, "id")?;
        items.push(TodoItem {
            kind: TodoKind::ExemptionEnding,
            subject: Subject::Member(id),
            person: Some(id),
            name: get(&r, "full_name")?,
            org_id: get(&r, "org_id")?,
            org_name: get(&r, "org_name")?,
            due: Some(until),
            overdue: ctx.today > until,
            facts: vec![Fact::date(FactKey::Until, until)],
        });
    }
    Ok(items)
}
