//! The organizations' deadlines: cells below the minimum of official members, and đảng bộ
//! cơ sở below the members the rules require of one.

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
    let mut items = grassroots_too_small(s, ctx).await?;
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

/// The đảng bộ cơ sở of the scope with fewer members than the rules require of one (30): its
/// members are those of the cells under it, counted per cell and summed by path.
async fn grassroots_too_small(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let required = i64::from(ctx.book.at(ctx.today).grassroots_committee_min_members);
    let mut vals: Vec<Value> = vec![OrgKind::GrassrootsCommittee.code().into()];
    let scope_sql = s.scope_filter("o.path", 2);
    vals.extend(s.scope_values());
    let committees = all(&s.store.db, &format!("SELECT o.id, o.name, o.path FROM org o WHERE o.kind = $1 AND o.dissolved_on IS NULL{scope_sql}"), vals).await?;
    if committees.is_empty() {
        return Ok(Vec::new());
    }
    let mut vals: Vec<Value> = ["probationary", "official", "exempt", "suspended"].into_iter().map(Value::from).collect();
    let scope_sql = s.scope_filter("o.path", 5);
    vals.extend(s.scope_values());
    let sql = format!("SELECT o.path, COUNT(*) AS n FROM member m JOIN org o ON o.id = m.org_id WHERE m.status IN ($1, $2, $3, $4){scope_sql} GROUP BY o.path");
    let cells: Vec<(String, i64)> = all(&s.store.db, &sql, vals).await?.iter().map(|r| Ok((get(r, "path")?, get(r, "n")?))).collect::<Result<_>>()?;
    let mut items = Vec::new();
    for c in committees {
        let (id, name, path): (OrgId, String, String) = (get(&c, "id")?, get(&c, "name")?, get(&c, "path")?);
        let members: i64 = cells.iter().filter(|(p, _)| p.starts_with(&path)).map(|(_, n)| n).sum();
        if members < required {
            items.push(TodoItem {
                kind: TodoKind::GrassrootsCommitteeTooSmall,
                subject: Subject::Org(id),
                person: None,
                name: name.clone(),
                org_id: id,
                org_name: name,
                due: None,
                overdue: false,
                facts: vec![Fact::count(FactKey::Members, members), Fact::count(FactKey::Required, required)],
            });
        }
    }
    Ok(items)
}
