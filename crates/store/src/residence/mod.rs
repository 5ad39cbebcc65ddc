//! The residence rule (Quy định 213-QĐ/TW, formerly 76): a member who works in one cell keeps
//! contact with the cell where they live, which comments on them once a year. The working
//! side (member in scope) records the link; the residence side (residence cell in scope) lists
//! its residents and writes the yearly comment.

use crate::kernel::sql::{all, exec, get, one};
use crate::kernel::{Audit, Change};
use crate::member::load_member;
use crate::{Result, Scoped, StoreError};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::MemberId;
use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::residence::{self, audit::ResidenceAction};
use chibo_domain::scope::Rights;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Serialize;

/// A link between a working member and their residence cell.
#[derive(Debug, Clone, Serialize)]
pub struct Residence {
    /// Key.
    pub id: i64,
    /// The member.
    pub member_id: MemberId,
    /// Their name.
    pub full_name: String,
    /// Their own (working) cell.
    pub work_cell: String,
    /// The residence cell.
    pub cell_id: OrgId,
    /// Its name.
    pub cell_name: String,
    /// Since.
    pub from_on: NaiveDate,
    /// Until (None: still).
    pub until_on: Option<NaiveDate>,
    /// Note (address, group).
    pub note: Option<String>,
    /// The yearly comments, newest first.
    pub comments: Vec<(i32, String)>,
}

const COLS: &str = "r.id, r.member_id, r.cell_id, r.from_on, r.until_on, r.note, m.full_name, wo.name AS work_cell, o.name AS cell_name, o.path AS cell_path, \
    wo.path AS work_path";
const FROM: &str = "residence r JOIN member m ON m.id = r.member_id JOIN org o ON o.id = r.cell_id JOIN org wo ON wo.id = m.org_id";

async fn with_comments<C: ConnectionTrait>(c: &C, r: &QueryResult) -> Result<Residence> {
    let id: i64 = get(r, "id")?;
    let comments = all(c, "SELECT year, comment FROM residence_comment WHERE residence_id = $1 ORDER BY year DESC", vec![id.into()])
        .await?
        .iter()
        .map(|c| Ok((get::<i32>(c, "year")?, get::<String>(c, "comment")?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Residence {
        id,
        member_id: get(r, "member_id")?,
        full_name: get(r, "full_name")?,
        work_cell: get(r, "work_cell")?,
        cell_id: get(r, "cell_id")?,
        cell_name: get(r, "cell_name")?,
        from_on: get(r, "from_on")?,
        until_on: get(r, "until_on")?,
        note: get(r, "note")?,
        comments,
    })
}

async fn audit_residence(ch: &Change<'_>, action: ResidenceAction, org: OrgId, before: Option<&Residence>, after: &Residence) -> Result<()> {
    ch.audit_under(org, Audit::of(action, Some(after.id)).before_if(before).after(after)).await
}

impl Scoped<'_> {
    /// Links a member in scope to the cell where they live, from a date; an earlier open link
    /// ends that day.
    pub async fn link_residence(&self, member_id: MemberId, cell: OrgId, from_on: NaiveDate, note: &str) -> Result<Residence> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let member = load_member(txn, member_id, self).await?;
        residence::check_linkable(member.status).map_err(StoreError::field)?;
        residence::check_other_cell(member.org_id, cell).map_err(StoreError::field)?;
        residence::check_start(from_on, ch.today()).map_err(StoreError::field)?;
        // The residence cell is usually outside the working side's scope: check only that it
        // is a cell active on the date.
        let span = crate::org::span_at(txn, cell, from_on).await?.ok_or_else(|| StoreError::field(FieldError::new("residence_cell", ErrorCode::NotFound)))?;
        residence::check_residence_cell(span.kind, &span.name).map_err(StoreError::field)?;
        let note = residence::link_note(note).map_err(StoreError::field)?;
        // The link in force ends the day the new one starts (audited); a second link to the
        // same cell, or one starting before the link in force, is refused.
        let current = one(txn, &format!("SELECT {COLS} FROM {FROM} WHERE r.member_id = $1 AND r.until_on IS NULL"), vec![member_id.into()]).await?;
        if let Some(row) = current {
            let old = with_comments(txn, &row).await?;
            residence::check_follows(old.cell_id, old.from_on, cell, from_on).map_err(StoreError::field)?;
            exec(txn, "UPDATE residence SET until_on = $2 WHERE id = $1", vec![old.id.into(), from_on.into()]).await?;
            let closed = Residence { until_on: Some(from_on), ..old.clone() };
            audit_residence(&ch, ResidenceAction::End, member.org_id, Some(&old), &closed).await?;
        }
        let r = one(
            txn,
            "INSERT INTO residence (member_id, cell_id, from_on, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            vec![member_id.into(), cell.into(), from_on.into(), note.into(), ch.actor().label().into(), ch.now().into()],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let id: i64 = get(&r, "id")?;
        let row = one(txn, &format!("SELECT {COLS} FROM {FROM} WHERE r.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        let after = with_comments(txn, &row).await?;
        audit_residence(&ch, ResidenceAction::Link, member.org_id, None, &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// The residence links of a member in scope, newest first.
    pub async fn residences_of(&self, member_id: MemberId) -> Result<Vec<Residence>> {
        self.member(member_id).await?;
        let rows = all(&self.store.db, &format!("SELECT {COLS} FROM {FROM} WHERE r.member_id = $1 ORDER BY r.from_on DESC, r.id DESC"), vec![member_id.into()])
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(with_comments(&self.store.db, r).await?);
        }
        Ok(out)
    }

    /// Members living in a cell's area under the rule (the cell in scope), on a date, in
    /// Vietnamese name order.
    pub async fn residents(&self, cell: OrgId, on: NaiveDate) -> Result<Vec<Residence>> {
        self.org(cell).await?;
        let rows = all(
            &self.store.db,
            &format!(
                "SELECT {COLS} FROM {FROM} WHERE r.cell_id = $1 AND r.from_on <= $2 AND (r.until_on IS NULL OR r.until_on > $2) \
                 AND m.status IN ('probationary', 'official', 'exempt') ORDER BY m.sort_key, m.id"
            ),
            vec![cell.into(), on.into()],
        )
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(with_comments(&self.store.db, r).await?);
        }
        Ok(out)
    }

    /// The residence cell of a link, if that cell is in scope.
    pub async fn residence_cell(&self, id: i64) -> Result<OrgId> {
        let row = one(&self.store.db, &format!("SELECT {COLS} FROM {FROM} WHERE r.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        if !self.scope.covers(&OrgPath::from_stored(get(&row, "cell_path")?)) {
            return Err(StoreError::NotFound);
        }
        get(&row, "cell_id")
    }

    /// The residence cell writes (or rewrites) its comment on a resident for a year.
    pub async fn comment_residence(&self, id: i64, year: i32, comment: &str) -> Result<Residence> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let row = one(txn, &format!("SELECT {COLS} FROM {FROM} WHERE r.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        ch.inside((), &OrgPath::from_stored(get(&row, "cell_path")?))?;
        let before = with_comments(txn, &row).await?;
        let comment = residence::comment_text(comment).map_err(StoreError::field)?;
        residence::check_comment_year(year, before.from_on, ch.today()).map_err(StoreError::field)?;
        exec(txn, "DELETE FROM residence_comment WHERE residence_id = $1 AND year = $2", vec![id.into(), year.into()]).await?;
        exec(
            txn,
            "INSERT INTO residence_comment (residence_id, year, comment, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
            vec![id.into(), year.into(), comment.into(), ch.actor().label().into(), ch.now().into()],
        )
        .await?;
        let after = with_comments(txn, &row).await?;
        audit_residence(&ch, ResidenceAction::Comment, before.cell_id, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }
}
