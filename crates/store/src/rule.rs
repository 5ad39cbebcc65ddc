//! The rule book and the working-day calendar, read from the database. New rule versions and
//! calendar changes are national decisions: only a whole-tree scope with full rights makes
//! them, each audited. A version added with a future effective date changes nothing before it.

use crate::kernel::Audit;
use crate::kernel::sql::{all, exec, get};
use crate::{Result, Scoped, Store, StoreError};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::rules::audit::{CalendarAction, RulesAction};
use chibo_domain::rules::{DayChange, RuleBook, RuleSet, WorkingCalendar};
use chrono::{Datelike, NaiveDate};

impl Store {
    /// Every version of the rules.
    pub async fn rule_book(&self) -> Result<RuleBook> {
        Store::rule_book_of(&self.db).await
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

    /// Adds a version of the rules (refused when one already starts that day).
    pub async fn add_rule_version(&self, version: RuleSet) -> Result<()> {
        let mut versions = self.store.rule_book().await?.versions().to_vec();
        versions.push(version.clone());
        RuleBook::new(versions).map_err(|e| StoreError::field(FieldError::new("effective_from", ErrorCode::InvalidChoice).with("value", e)))?;
        let ch = self.national_change().await?;
        let body = serde_json::to_string(&version).unwrap_or_default();
        exec(
            &*ch,
            "INSERT INTO rule_version (effective_from, body, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)",
            vec![version.effective_from.into(), body.into(), ch.actor().label().into(), ch.now().into()],
        )
        .await?;
        ch.audit(Audit::of(RulesAction::Create, None).after(&version)).await?;
        ch.commit().await?;
        Ok(())
    }

    /// Marks a day as a holiday or a working day by hand (a government decision), with a note.
    pub async fn set_calendar_day(&self, day: NaiveDate, change: DayChange, note: &str) -> Result<()> {
        let ch = self.national_change().await?;
        let code = match change {
            DayChange::Holiday => "holiday",
            DayChange::WorkingDay => "working",
        };
        exec(&*ch, "DELETE FROM calendar_day WHERE day = $1", vec![day.into()]).await?;
        exec(
            &*ch,
            "INSERT INTO calendar_day (day, change, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
            vec![day.into(), code.into(), note.into(), ch.actor().label().into(), ch.now().into()],
        )
        .await?;
        ch.audit(Audit::of(CalendarAction::Set, None).after(&serde_json::json!({"day": day, "change": code, "note": note}))).await?;
        ch.commit().await?;
        Ok(())
    }
}
