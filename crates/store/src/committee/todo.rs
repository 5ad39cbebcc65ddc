//! The committees' deadlines: a term ending without a new one, a vacant secretary, a
//! committee outside its size, a working regulation not adopted in time, a secretary who is
//! not the village head where the local rule asks for it.

use super::{official_on, term_row};
use crate::kernel::sql::{all, get};
use crate::todo::TodoContext;
use crate::{Result, Scoped};
use chibo_domain::calendar::add_months;
use chibo_domain::committee::{Position, Shape};
use chibo_domain::org::{OrgKind, OrgPath};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use sea_orm::Value;

/// The committees' to-do items of the scope: one pass over the terms running today.
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let c = &s.store.db;
    let today = ctx.today;
    let mut vals: Vec<Value> = vec![today.into()];
    let scope_sql = s.scope_filter("o.path", 2);
    vals.extend(s.scope_values());
    let sql = format!(
        "SELECT t.id, t.org_id, t.label, t.starts_on, t.planned_end, t.ended_on, t.pilot, t.planned_size, t.village_head_expected, t.congress_id, t.version, \
           o.name AS org_name, o.kind AS org_kind, o.path AS org_path, \
           (SELECT COUNT(*) FROM work_regulation w WHERE w.term_id = t.id) AS regs \
         FROM committee_term t JOIN org o ON o.id = t.org_id \
         WHERE t.starts_on <= $1 AND t.ended_on IS NULL AND o.dissolved_on IS NULL{scope_sql}"
    );
    let terms = all(c, &sql, vals).await?;
    let mut items = Vec::new();
    for r in &terms {
        let term = term_row(r)?;
        let org_name: String = get(r, "org_name")?;
        let Some(kind) = OrgKind::from_code(&get::<String>(r, "org_kind")?) else { continue };
        let rules = ctx.book.at(today);
        let item = |kind: TodoKind, due: Option<chrono::NaiveDate>, overdue: bool, facts: Vec<Fact>| TodoItem {
            kind,
            subject: Subject::Org(term.org_id),
            person: None,
            name: org_name.clone(),
            org_id: term.org_id,
            org_name: org_name.clone(),
            due,
            overdue,
            facts,
        };
        let warn_from = chibo_domain::calendar::sub_months(term.planned_end, rules.committee.congress_warning_months);
        if today >= warn_from {
            items.push(item(TodoKind::TermEnding, Some(term.planned_end), today >= term.planned_end, vec![Fact::date(FactKey::TermEnds, term.planned_end)]));
        }
        let due = add_months(term.starts_on, rules.committee.regulation_due_months);
        if get::<i64>(r, "regs")? == 0 && today + chrono::Days::new(30) >= due {
            items.push(item(TodoKind::RegulationMissing, Some(due), today > due, vec![Fact::date(FactKey::Deadline, due)]));
        }
        let held = all(
            c,
            "SELECT s.position, s.member_id, (SELECT COUNT(*) FROM concurrent_post p WHERE p.member_id = s.member_id AND p.kind = 'truong_thon' \
               AND p.from_on <= $2 AND (p.until_on IS NULL OR p.until_on > $2)) AS heads \
             FROM committee_seat s WHERE s.term_id = $1 AND s.from_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2)",
            vec![term.id.into(), today.into()],
        )
        .await?;
        let positions: Vec<Position> = held.iter().filter_map(|h| get::<String>(h, "position").ok().and_then(|p| Position::from_code(&p))).collect();
        let path = OrgPath::from_stored(get(r, "org_path")?);
        let official = official_on(c, &path, today).await?;
        for shape in chibo_domain::committee::shape(kind, &term, &positions, official, rules) {
            match shape {
                Shape::SecretaryVacant => items.push(item(TodoKind::SecretaryVacant, None, false, vec![])),
                Shape::AboveSize { seated, max } => items.push(item(
                    TodoKind::CommitteeSize,
                    None,
                    false,
                    vec![Fact::count(FactKey::Seated, i64::from(seated)), Fact::count(FactKey::Allowed, i64::from(max))],
                )),
                Shape::BelowSize { seated, planned } => items.push(item(
                    TodoKind::CommitteeSize,
                    None,
                    false,
                    vec![Fact::count(FactKey::Seated, i64::from(seated)), Fact::count(FactKey::Allowed, i64::from(planned))],
                )),
                Shape::NoCommitteeBelowSize { official, needed } => items.push(item(
                    TodoKind::CommitteeSize,
                    None,
                    false,
                    vec![Fact::count(FactKey::Official, i64::from(official)), Fact::count(FactKey::Required, i64::from(needed))],
                )),
                Shape::TooManyDeputies { seated } => items.push(item(
                    TodoKind::CommitteeSize,
                    None,
                    false,
                    vec![Fact::count(FactKey::Seated, i64::from(seated)), Fact::count(FactKey::Allowed, 1)],
                )),
            }
        }
        let secretary_heads =
            held.iter().any(|h| get::<String>(h, "position").is_ok_and(|p| p == Position::Secretary.code()) && get::<i64>(h, "heads").is_ok_and(|n| n > 0));
        let has_secretary = positions.contains(&Position::Secretary);
        if term.village_head_expected && has_secretary && !secretary_heads {
            items.push(item(TodoKind::SecretaryNotVillageHead, None, false, vec![]));
        }
    }
    Ok(items)
}
