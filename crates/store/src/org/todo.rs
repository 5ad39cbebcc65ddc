//! The organizations' deadlines: cells below the minimum of official members.

use crate::kernel::sql::{all, get};
use crate::todo::TodoContext;
use crate::{Result, Scoped};
use chibo_domain::org::{OrgId, OrgKind};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use sea_orm::Value;

/// The organizations' to-do items of the scope.
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let required = ctx.book.at(ctx.today).min_official_per_cell;
    let mut vals: Vec<Value> = vec![OrgKind::Cell.code().into(), OrgKind::GrassrootsCell.code().into(), i64::from(required).into()];
    let scope_sql = s.scope_filter("o.path", 4);
    vals.extend(s.scope_values());
    let sql = format!(
        "SELECT o.id, o.name, COALESCE(SUM(CASE WHEN m.status = 'official' THEN 1 ELSE 0 END), 0) AS official \
         FROM org o LEFT JOIN member m ON m.org_id = o.id \
         WHERE o.kind IN ($1, $2) AND o.dissolved_on IS NULL{scope_sql} \
         GROUP BY o.id, o.name HAVING COALESCE(SUM(CASE WHEN m.status = 'official' THEN 1 ELSE 0 END), 0) < $3"
    );
    let mut items = Vec::new();
    for r in all(&s.store.db, &sql, vals).await? {
        let (id, name): (OrgId, String) = (get(&r, "id")?, get(&r, "name")?);
        items.push(TodoItem {
            kind: TodoKind::CellTooSmall,
            subject: Subject::Org(id),
            person: None,
            name: name.clone(),
            org_id: id,
            org_name: name,
            due: None,
            overdue: false,
            facts: vec![Fact::count(FactKey::Official, get(&r, "official")?), Fact::count(FactKey::Required, i64::from(required))],
        });
    }
    Ok(items)
}
