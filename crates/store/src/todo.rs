//! The to-do list of a scope: deadlines that the rules in force set and that are near or
//! past, each pointing at its record. Dates are counted in working days on the calendar of
//! the rules.

use crate::db::{all, get};
use crate::{Result, Scoped};
use chibo_domain::member::MemberId;
use chibo_domain::org::{OrgId, OrgKind};
use chrono::NaiveDate;
use sea_orm::Value;
use serde::Serialize;

/// What needs doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// Probation ends within 30 days: prepare the recognition vote.
    ProbationEnding,
    /// Probation has ended and the recognition deadline has passed.
    RecognitionOverdue,
    /// A cell has fewer official members than the rules require.
    CellTooSmall,
}

/// One line of the to-do list.
#[derive(Debug, Clone, Serialize)]
pub struct TodoItem {
    /// What.
    pub kind: TodoKind,
    /// The member concerned, if any.
    pub member_id: Option<MemberId>,
    /// The organization concerned (the member's cell, or the cell itself).
    pub org_id: OrgId,
    /// The member's or the cell's name.
    pub name: String,
    /// The cell's name (for a member).
    pub org_name: String,
    /// The deadline (probation: the last day for the recognition vote).
    pub due: Option<NaiveDate>,
    /// The probation's last day, for probation items.
    pub probation_ends: Option<NaiveDate>,
    /// Official members of a cell too small.
    pub official: Option<i64>,
    /// Official members the rules in force require of a cell.
    pub required: Option<u32>,
    /// Past its deadline.
    pub overdue: bool,
}

impl Scoped<'_> {
    /// The to-do list of the scope on a day, overdue lines first, then by deadline.
    pub async fn todo(&self, today: NaiveDate) -> Result<Vec<TodoItem>> {
        let book = self.store.rule_book().await?;
        let calendar = self.store.working_calendar_with(&book, today).await?;
        let rules = book.at(today);
        let mut items = Vec::new();

        // Probationary members whose probation ends within 30 days or has ended (each by the
        // rules in force when they were admitted).
        let horizon = today + chrono::Days::new(30);
        let mut vals: Vec<Value> = vec![horizon.into()];
        let scope_sql = self.scope_filter("o.path", 2);
        vals.extend(self.scope_values());
        let sql = format!(
            "SELECT m.id, m.full_name, m.admitted_on, m.org_id, o.name AS org_name FROM member m JOIN org o ON o.id = m.org_id \
             WHERE m.status = 'probationary' AND m.admitted_on IS NOT NULL AND m.admitted_on <= $1{scope_sql}"
        );
        for r in all(&self.store.db, &sql, vals).await? {
            let admitted: NaiveDate = get(&r, "admitted_on")?;
            let ends = book.at(admitted).probation_ends(admitted);
            if ends > horizon {
                continue;
            }
            let due = calendar.add_working_days(ends, book.at(ends).recognition_within_working_days);
            let overdue = today > due;
            items.push(TodoItem {
                kind: if overdue { TodoKind::RecognitionOverdue } else { TodoKind::ProbationEnding },
                member_id: Some(get(&r, "id")?),
                org_id: get(&r, "org_id")?,
                name: get(&r, "full_name")?,
                org_name: get(&r, "org_name")?,
                due: Some(due),
                probation_ends: Some(ends),
                official: None,
                required: None,
                overdue,
            });
        }

        // Cells below the minimum of official members.
        let mut vals: Vec<Value> = vec![OrgKind::Cell.code().into(), OrgKind::GrassrootsCell.code().into(), i64::from(rules.min_official_per_cell).into()];
        let scope_sql = self.scope_filter("o.path", 4);
        vals.extend(self.scope_values());
        let sql = format!(
            "SELECT o.id, o.name, COALESCE(SUM(CASE WHEN m.status = 'official' THEN 1 ELSE 0 END), 0) AS official \
             FROM org o LEFT JOIN member m ON m.org_id = o.id \
             WHERE o.kind IN ($1, $2) AND o.dissolved_on IS NULL{scope_sql} \
             GROUP BY o.id, o.name HAVING COALESCE(SUM(CASE WHEN m.status = 'official' THEN 1 ELSE 0 END), 0) < $3"
        );
        for r in all(&self.store.db, &sql, vals).await? {
            let name: String = get(&r, "name")?;
            items.push(TodoItem {
                kind: TodoKind::CellTooSmall,
                member_id: None,
                org_id: get(&r, "id")?,
                org_name: name.clone(),
                name,
                due: None,
                probation_ends: None,
                official: Some(get(&r, "official")?),
                required: Some(rules.min_official_per_cell),
                overdue: false,
            });
        }
        items.sort_by_key(|i| (!i.overdue, i.due.unwrap_or(chibo_domain::calendar::OPEN_END), i.kind as u8, i.name.clone()));
        Ok(items)
    }
}
