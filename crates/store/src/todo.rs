//! The to-do list of a scope: deadlines that the rules in force set and that are near or
//! past, each pointing at its record. Dates are counted in working days on the calendar of
//! the rules.
//!
//! The registry: each concept contributes its own deadline source (`<concept>/todo.rs`),
//! listed once in [`Scoped::todo`]; an item is the domain's [`TodoItem`] (a kind, a subject,
//! a due date, overdue or not, facts), so pages and the API render every concept's items
//! alike.

use crate::{Result, Scoped};
use chibo_domain::rules::{RuleBook, WorkingCalendar};
pub use chibo_domain::todo::{Fact, FactKey, FactValue, Subject, TodoItem, TodoKind};
use chrono::NaiveDate;

/// What every source reads: the day, how far ahead the list looks, the rules and the
/// working calendar.
pub(crate) struct TodoContext<'a> {
    /// The day of the list.
    pub(crate) today: NaiveDate,
    /// Deadlines up to this day are listed (30 days ahead).
    pub(crate) horizon: NaiveDate,
    /// Every version of the rules (each deadline by the version in force on its start).
    pub(crate) book: &'a RuleBook,
    /// Working days.
    pub(crate) calendar: &'a WorkingCalendar,
}

impl Scoped<'_> {
    /// The to-do list of the scope on a day, overdue lines first, then by deadline.
    pub async fn todo(&self, today: NaiveDate) -> Result<Vec<TodoItem>> {
        let book = self.store.rule_book().await?;
        let calendar = self.store.working_calendar_with(&book, today).await?;
        let ctx = TodoContext { today, horizon: today + chrono::Days::new(30), book: &book, calendar: &calendar };
        let mut items = Vec::new();
        // The sources, one per concept.
        items.extend(crate::member::todo::items(self, &ctx).await?);
        items.extend(crate::org::todo::items(self, &ctx).await?);
        items.extend(crate::admission::todo::items(self, &ctx).await?);
        items.extend(crate::transfer::todo::items(self, &ctx).await?);
        items.extend(crate::committee::todo::items(self, &ctx).await?);
        items.extend(crate::meeting::todo::items(self, &ctx).await?);
        chibo_domain::todo::sort(&mut items);
        Ok(items)
    }
}
