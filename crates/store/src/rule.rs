//! The rule book and the working-day calendar, read from the database. New rule versions and
//! calendar changes are national decisions: only a whole-tree scope with full rights makes
//! them, each audited. A version added with a future effective date changes nothing before it.

use crate::audit::{self, Entry};
use crate::db::{all, exec, get};
use crate::{Result, Scoped, Store, StoreError};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::rules::{DayChange, RuleBook, RuleSet, WorkingCalendar};
use chibo_domain::scope::{Reach, Rights};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::TransactionTrait;

impl Store {
    /// Every version of the rules.
    pub async fn rule_book(&self) -> Result<RuleBook> {
        let rows = all(&self.db, "SELECT body FROM rule_version ORDER BY effective_from", vec![]).await?;
        let mut versions = Vec::with_capacity(rows.len());
        for r in rows {
            let body: String = get(&r, "body")?;
            versions
                .push(serde_json::from_str::<RuleSet>(&body).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("stored rule set unreadable: {e}"))))?);
        }
        RuleBook::new(versions).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))
    }

    /// The days changed by hand.
    pub async fn calendar_changes(&self) -> Result<Vec<(NaiveDate, DayChange, String)>> {
        let rows = all(&self.db, "SELECT day, change, note FROM calendar_day ORDER BY day", vec![]).await?;
        rows.iter()
            .map(|r| {
                let change: String = get(r, "change")?;
                let change = if change == "holiday" { DayChange::Holiday } else { DayChange::WorkingDay };
                Ok((get(r, "day")?, change, get(r, "note")?))
            })
            .collect()
    }

    /// The working-day calendar around a date (five years either side), rules and changes
    /// applied.
    pub async fn working_calendar(&self, around: NaiveDate) -> Result<WorkingCalendar> {
        let book = self.rule_book().await?;
        self.working_calendar_with(&book, around).await
    }

    /// The same, for callers that have read the rule book already.
    pub async fn working_calendar_with(&self, book: &RuleBook, around: NaiveDate) -> Result<WorkingCalendar> {
        let changes: Vec<(NaiveDate, DayChange)> = self.calendar_changes().await?.into_iter().map(|(d, c, _)| (d, c)).collect();
        Ok(WorkingCalendar::new(book, around.year() - 5, around.year() + 5, &changes))
    }
}

impl Scoped<'_> {
    /// Every version of the rules (public: the same for every scope).
    pub async fn rule_book(&self) -> Result<RuleBook> {
        self.store.rule_book().await
    }
    fn require_national(&self) -> Result<()> {
        self.require(Rights::Full)?;
        if self.scope().reach == Reach::All { Ok(()) } else { Err(StoreError::ReadOnly) }
    }

    /// Adds a version of the rules (refused when one already starts that day).
    pub async fn add_rule_version(&self, version: RuleSet) -> Result<()> {
        self.require_national()?;
        let mut versions = self.store.rule_book().await?.versions().to_vec();
        versions.push(version.clone());
        RuleBook::new(versions).map_err(|e| StoreError::field(FieldError::new("effective_from", ErrorCode::InvalidChoice).with("value", e)))?;
        let txn = self.store.db.begin().await?;
        let body = serde_json::to_string(&version).unwrap_or_default();
        exec(
            &txn,
            "INSERT INTO rule_version (effective_from, body, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)",
            vec![version.effective_from.into(), body.clone().into(), self.scope().actor.label().into(), Utc::now().into()],
        )
        .await?;
        audit::append(
            &txn,
            Entry {
                actor: &self.scope().actor,
                action: "rules.create",
                entity: "rules",
                entity_id: None,
                org_path: None,
                before: None,
                after: serde_json::from_str(&body).ok(),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Marks a day as a holiday or a working day by hand (a government decision), with a note.
    pub async fn set_calendar_day(&self, day: NaiveDate, change: DayChange, note: &str) -> Result<()> {
        self.require_national()?;
        let code = match change {
            DayChange::Holiday => "holiday",
            DayChange::WorkingDay => "working",
        };
        let txn = self.store.db.begin().await?;
        exec(&txn, "DELETE FROM calendar_day WHERE day = $1", vec![day.into()]).await?;
        exec(
            &txn,
            "INSERT INTO calendar_day (day, change, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
            vec![day.into(), code.into(), note.into(), self.scope().actor.label().into(), Utc::now().into()],
        )
        .await?;
        let after = serde_json::json!({"day": day, "change": code, "note": note});
        audit::append(
            &txn,
            Entry { actor: &self.scope().actor, action: "calendar.set", entity: "calendar", entity_id: None, org_path: None, before: None, after: Some(after) },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
