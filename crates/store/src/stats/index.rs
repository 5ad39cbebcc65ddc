//! The fast path: facts stored per path and day, summed over a path range, with checkpoints.

use super::Range;
use crate::{Result, Store};
use chibo_domain::stats::Tally;
use chrono::NaiveDate;

/// What a checkpoint refresh did.
#[derive(Debug, Clone, Default)]
pub struct CheckpointReport {
    /// Checkpoints written.
    pub written: usize,
}

/// Everything counted under the range on `as_of`.
pub(super) async fn tally(store: &Store, r: &Range, as_of: NaiveDate) -> Result<Tally> {
    super::recount::tally(&store.db, store, r, as_of).await
}
