//! The to-do list of a scope: deadlines that the rules in force set and that are near or
//! past, each pointing at its record. Dates are counted in working days on the calendar of
//! the rules.

use crate::kernel::sql::{all, get};
use crate::{Result, Scoped};
use chibo_domain::member::MemberId;
use chibo_domain::org::{OrgId, OrgKind};
use chrono::NaiveDate;
use sea_orm::Value;
use serde::Serialize;

/// What needs doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// Probation ends within 30 days: prepare the recognition vote.
    ProbationEnding,
    /// Probation has ended and the recognition deadline has passed.
    RecognitionOverdue,
    /// A cell has fewer official members than the rules require.
    CellTooSmall,
    /// The admission ceremony is later than the rules allow after the decision.
    CeremonyOverdue,
    /// A transfer letter waits for the receiving organization's answer.
    TransferWaiting,
    /// A temporary transfer has reached its end date and is still open.
    TemporaryEnded,
    /// A candidate's awareness-course certificate expires within 30 days or has expired
    /// before the admission decision.
    CertificateExpiring,
    /// An exemption from activity granted for a period ends within 30 days or has ended, and
    /// the member is still exempt: reinstate or extend it.
    ExemptionEnding,
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
    /// The admission case concerned.
    pub admission_id: Option<i64>,
    /// The transfer concerned.
    pub transfer_id: Option<i64>,
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
        // Probation runs from the ceremony when the admission is a case here; for members
        // entered from records, from the admission date they carry.
        let sql = format!(
            "SELECT m.id, m.full_name, COALESCE(a.ceremony_on, m.admitted_on) AS admitted_on, m.org_id, o.name AS org_name FROM member m \
             JOIN org o ON o.id = m.org_id LEFT JOIN admission a ON a.member_id = m.id AND a.stage IN ('probation', 'recognition_voted') \
             WHERE m.status = 'probationary' AND m.admitted_on IS NOT NULL AND COALESCE(a.ceremony_on, m.admitted_on) <= $1{scope_sql}"
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
                admission_id: None,
                transfer_id: None,
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
                admission_id: None,
                transfer_id: None,
            });
        }

        // Admission cases: ceremonies due or overdue after the decision; candidates whose
        // certificate runs out before the decision.
        let mut vals: Vec<Value> = Vec::new();
        let scope_sql = self.scope_filter("o.path", 1);
        vals.extend(self.scope_values());
        let sql = format!(
            "SELECT a.id, a.member_id, a.stage, a.certificate_on, a.decision_on, m.full_name, a.cell_id, o.name AS org_name \
             FROM admission a JOIN member m ON m.id = a.member_id JOIN org o ON o.id = a.cell_id \
             WHERE a.stage IN ('candidate', 'voted', 'decided'){scope_sql}"
        );
        for r in all(&self.store.db, &sql, vals).await? {
            let stage: String = get(&r, "stage")?;
            let (kind, due) = if stage == "decided" {
                let decided: NaiveDate = get(&r, "decision_on")?;
                (TodoKind::CeremonyOverdue, calendar.add_working_days(decided, book.at(decided).ceremony_within_working_days))
            } else {
                let cert: NaiveDate = get(&r, "certificate_on")?;
                (TodoKind::CertificateExpiring, chibo_domain::admission::certificate_expires(&book, cert))
            };
            // A ceremony is listed while it is still to hold; a certificate from 30 days before.
            if kind == TodoKind::CertificateExpiring && due > horizon {
                continue;
            }
            items.push(TodoItem {
                kind,
                member_id: Some(get(&r, "member_id")?),
                org_id: get(&r, "cell_id")?,
                name: get(&r, "full_name")?,
                org_name: get(&r, "org_name")?,
                due: Some(due),
                probation_ends: None,
                official: None,
                required: None,
                overdue: today > due || (kind == TodoKind::CertificateExpiring && today >= due),
                admission_id: Some(get(&r, "id")?),
                transfer_id: None,
            });
        }

        // Exemptions for a period that end within 30 days or have ended (the latest exemption
        // of each member still exempt).
        let mut vals: Vec<Value> = vec![horizon.into()];
        let scope_sql = self.scope_filter("o.path", 2);
        vals.extend(self.scope_values());
        let sql = format!(
            "SELECT m.id, m.full_name, m.org_id, o.name AS org_name, e.until_on FROM member m JOIN org o ON o.id = m.org_id \
             JOIN member_event e ON e.id = (SELECT MAX(x.id) FROM member_event x WHERE x.member_id = m.id AND x.kind = 'exempted') \
             WHERE m.status = 'exempt' AND e.until_on IS NOT NULL AND e.until_on <= $1{scope_sql}"
        );
        for r in all(&self.store.db, &sql, vals).await? {
            let until: NaiveDate = get(&r, "until_on")?;
            items.push(TodoItem {
                kind: TodoKind::ExemptionEnding,
                member_id: Some(get(&r, "id")?),
                org_id: get(&r, "org_id")?,
                name: get(&r, "full_name")?,
                org_name: get(&r, "org_name")?,
                due: Some(until),
                probation_ends: None,
                official: None,
                required: None,
                overdue: today > until,
                admission_id: None,
                transfer_id: None,
            });
        }

        // Transfers waiting for an answer (either side in scope) and temporary transfers past
        // their end.
        let page = self.transfers(crate::transfer::Direction::Both, Some(chibo_domain::transfer::TransferState::Pending), 0, 10_000).await?;
        let accepted = self.transfers(crate::transfer::Direction::Both, Some(chibo_domain::transfer::TransferState::Accepted), 0, 10_000).await?;
        for t in page.items.into_iter().chain(accepted.items) {
            let (kind, due) = match (t.state, t.until) {
                (chibo_domain::transfer::TransferState::Pending, _) => {
                    (TodoKind::TransferWaiting, calendar.add_working_days(t.letter_on, book.at(t.letter_on).transfer_within_working_days))
                }
                (_, Some(until)) if until <= today => (TodoKind::TemporaryEnded, until),
                _ => continue,
            };
            let org_name = if t.incoming { t.to_name.clone() } else { t.from_name.clone() };
            items.push(TodoItem {
                kind,
                member_id: Some(t.member_id),
                org_id: if t.incoming { t.to_org.or(t.from_org).unwrap_or_default() } else { t.from_org.or(t.to_org).unwrap_or_default() },
                name: t.full_name,
                org_name: org_name.unwrap_or_default(),
                due: Some(due),
                probation_ends: None,
                official: None,
                required: None,
                overdue: today > due || kind == TodoKind::TemporaryEnded,
                admission_id: None,
                transfer_id: Some(t.id),
            });
        }
        items.sort_by_key(|i| (!i.overdue, i.due.unwrap_or(chibo_domain::calendar::OPEN_END), i.kind as u8, i.name.clone()));
        Ok(items)
    }
}
