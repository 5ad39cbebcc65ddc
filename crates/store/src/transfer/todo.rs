//! The transfers' deadlines: letters waiting for an answer, temporary transfers past their end.

use crate::todo::TodoContext;
use crate::transfer::Direction;
use crate::{Result, Scoped};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use chibo_domain::transfer::TransferState;

/// The transfers' to-do items of the scope (either side in scope).
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let pending = s.transfers(Direction::Both, Some(TransferState::Pending), 0, 10_000).await?;
    let accepted = s.transfers(Direction::Both, Some(TransferState::Accepted), 0, 10_000).await?;
    let mut items = Vec::new();
    for t in pending.items.into_iter().chain(accepted.items) {
        let (kind, due, key) = match (t.state, t.until) {
            (TransferState::Pending, _) => (
                TodoKind::TransferWaiting,
                ctx.calendar.add_working_days(t.letter_on, ctx.book.at(t.letter_on).transfer_within_working_days),
                FactKey::Deadline,
            ),
            (_, Some(until)) if until <= ctx.today => (TodoKind::TemporaryEnded, until, FactKey::Expires),
            _ => continue,
        };
        let org_name = if t.incoming { t.to_name.clone() } else { t.from_name.clone() };
        items.push(TodoItem {
            kind,
            subject: Subject::Transfer(t.id),
            person: Some(t.member_id),
            name: t.full_name,
            org_id: if t.incoming { t.to_org.or(t.from_org).unwrap_or_default() } else { t.from_org.or(t.to_org).unwrap_or_default() },
            org_name: org_name.unwrap_or_default(),
            due: Some(due),
            overdue: ctx.today > due || kind == TodoKind::TemporaryEnded,
            facts: vec![Fact::date(key, due)],
        });
    }
    Ok(items)
}
