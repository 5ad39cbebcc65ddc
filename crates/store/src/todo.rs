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

/// To-do lists already computed, per scope and day, each valid while no change was audited
/// since (the audit log's last entry is part of the key) and for at most [`TODO_FRESH`]: the
/// home page shows 15 lines of a province's list, which takes every cell's meeting and every
/// member's deadline to compute; recomputing it on each visit made a province's home page
/// the slowest page. Writes that bypass the audit (bulk loads by another process) show within
/// [`TODO_FRESH`].
#[derive(Default)]
pub(crate) struct TodoCache {
    entries: std::sync::Mutex<std::collections::HashMap<TodoKey, Cached>>,
}

/// Reach (the path, or everything), rights and day.
type TodoKey = (String, chibo_domain::scope::Rights, NaiveDate);

struct Cached {
    audit: i64,
    at: std::time::Instant,
    items: std::sync::Arc<Vec<TodoItem>>,
}

/// How long a computed list is used at most.
const TODO_FRESH: std::time::Duration = std::time::Duration::from_secs(60);
/// How many lists are kept (the oldest goes first).
const TODO_KEPT: usize = 256;

impl Scoped<'_> {
    /// The to-do list of the scope on a day, overdue lines first, then by deadline.
    pub async fn todo(&self, today: NaiveDate) -> Result<Vec<TodoItem>> {
        Ok(self.todo_shared(today).await?.as_ref().clone())
    }

    /// The same list, shared with other readers of the same scope and day (not copied).
    pub async fn todo_shared(&self, today: NaiveDate) -> Result<std::sync::Arc<Vec<TodoItem>>> {
        let reach = match &self.scope.reach {
            chibo_domain::scope::Reach::All => String::new(),
            chibo_domain::scope::Reach::Subtree { path, .. } => path.as_str().to_owned(),
        };
        let key = (reach, self.scope.rights, today);
        let audit = crate::kernel::sql::one(&self.store.db, "SELECT MAX(id) AS n FROM audit", vec![])
            .await?
            .and_then(|r| crate::kernel::sql::get::<Option<i64>>(&r, "n").ok().flatten())
            .unwrap_or(0);
        let cache = &self.store.todo_cache;
        if let Some(c) = cache.entries.lock().expect("to-do cache").get(&key)
            && c.audit == audit
            && c.at.elapsed() < TODO_FRESH
        {
            return Ok(c.items.clone());
        }
        let items = std::sync::Arc::new(self.compute_todo(today).await?);
        let mut entries = cache.entries.lock().expect("to-do cache");
        if entries.len() >= TODO_KEPT
            && let Some(oldest) = entries.iter().min_by_key(|(_, c)| c.at).map(|(k, _)| k.clone())
        {
            entries.remove(&oldest);
        }
        entries.insert(key, Cached { audit, at: std::time::Instant::now(), items: items.clone() });
        Ok(items)
    }

    async fn compute_todo(&self, today: NaiveDate) -> Result<Vec<TodoItem>> {
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
