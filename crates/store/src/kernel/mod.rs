//! The kernel: the one path every change of every concept takes.
//!
//! A write opens a [`Change`] from its [`Scoped`] handle ([`Scoped::change`]): the rights are
//! checked, a transaction begins and the clock is read once. Inside it the concept loads its
//! record and proves it lies in the scope ([`Change::inside`], NotFound outside), claims the
//! version the user edited ([`Change::claim`], `Stale` with both versions), applies its SQL,
//! and appends a typed audit entry ([`Change::audit`]: an [`Action`] of the concept's
//! catalogue, one JSON shape for before and after). [`Change::commit`] ends it; dropping a
//! change without committing rolls everything back, audit included.
//!
//! Nothing outside this module appends to the audit log, claims a version or checks rights.

pub(crate) mod sql;

use crate::scope::Scope;
use crate::{Result, Scoped, StoreError};
use chibo_domain::audit::Action;
use chibo_domain::org::OrgPath;
use chibo_domain::scope::{Actor, Rights};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseTransaction, Value};
use serde::Serialize;

/// One change in progress: the transaction, who makes it, and the moment it happens.
pub(crate) struct Change<'a> {
    txn: DatabaseTransaction,
    actor: &'a Actor,
    /// None for a member's change of their own record, which the grant proves.
    scope: Option<&'a Scope>,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Scoped<'_> {
    /// Opens a change that needs `needed` rights (refused with `ReadOnly` below them).
    pub(crate) async fn change(&self, needed: Rights) -> Result<Change<'_>> {
        self.may(needed)?;
        let clock = self.store.clock();
        Ok(Change {
            txn: crate::db::begin_write(&self.store.db).await?,
            actor: self.scope.actor(),
            scope: Some(&self.scope),
            now: clock.now(),
            today: clock.today(),
        })
    }
}

impl Scoped<'_> {
    /// Opens a change of what holds for the whole instance (rule sets, the working calendar):
    /// full rights over the whole tree.
    pub(crate) async fn national_change(&self) -> Result<Change<'_>> {
        if self.scope.reach() != &chibo_domain::scope::Reach::All {
            return Err(StoreError::ReadOnly);
        }
        self.change(Rights::Full).await
    }
}

impl crate::Store {
    /// Opens a change an account makes to what is its own (a member's contact details, an
    /// account's API tokens), which the caller's grant proves; the change can load nothing
    /// else through [`Change::inside`].
    pub(crate) async fn own_change<'a>(&self, actor: &'a Actor) -> Result<Change<'a>> {
        let clock = self.clock();
        Ok(Change { txn: crate::db::begin_write(&self.db).await?, actor, scope: None, now: clock.now(), today: clock.today() })
    }
}

impl std::ops::Deref for Change<'_> {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// The tables whose rows carry a version the user's edit is checked against.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Versioned {
    Org,
    Member,
    Account,
    Admission,
    Transfer,
    Term,
    Seat,
    Post,
    Duty,
    Meeting,
}

impl Versioned {
    fn has_updated_at(self) -> bool {
        !matches!(self, Versioned::Account | Versioned::Transfer)
    }

    fn table(self) -> &'static str {
        match self {
            Versioned::Org => "org",
            Versioned::Member => "member",
            Versioned::Account => "account",
            Versioned::Admission => "admission",
            Versioned::Transfer => "transfer",
            Versioned::Term => "committee_term",
            Versioned::Seat => "committee_seat",
            Versioned::Post => "concurrent_post",
            Versioned::Duty => "duty",
            Versioned::Meeting => "meeting",
        }
    }
}

impl<'a> Change<'a> {
    /// Who makes the change.
    pub(crate) fn actor(&self) -> &'a Actor {
        self.actor
    }

    /// The moment of the change (one for all its rows and its audit entry).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today in Vietnam, by the store's clock.
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
    }

    /// A record loaded for this change, if it lies in the scope; NotFound otherwise, so a
    /// record outside is indistinguishable from one that does not exist.
    pub(crate) fn inside<T>(&self, record: T, path: &OrgPath) -> Result<T> {
        if self.scope.is_some_and(|s| s.covers(path)) { Ok(record) } else { Err(StoreError::NotFound) }
    }

    /// Claims the version the user edited: the row's version moves on by one, or the change
    /// is refused with `Stale` naming the version the user had and the one stored now.
    /// Returns the new version.
    pub(crate) async fn claim(&self, what: Versioned, id: i64, expected: i64) -> Result<i64> {
        let table = what.table();
        // On PostgreSQL the update locks the row: a concurrent writer waits here, then finds
        // the version moved on.
        let n = if what.has_updated_at() {
            let sql = format!("UPDATE {table} SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2");
            sql::exec(&self.txn, &sql, vec![id.into(), expected.into(), self.now.into()]).await?
        } else {
            sql::exec(&self.txn, &format!("UPDATE {table} SET version = version + 1 WHERE id = $1 AND version = $2"), vec![id.into(), expected.into()]).await?
        };
        if n == 1 {
            return Ok(expected + 1);
        }
        let row = sql::one(&self.txn, &format!("SELECT version FROM {table} WHERE id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        Err(StoreError::Stale { expected, actual: sql::get(&row, "version")? })
    }

    /// Checks, without claiming it, that a record the change reads but does not write is still
    /// at the version the user saw.
    pub(crate) fn expect_version(&self, expected: i64, actual: i64) -> Result<()> {
        if expected == actual { Ok(()) } else { Err(StoreError::Stale { expected, actual }) }
    }

    /// Appends the audit entry of this change.
    pub(crate) async fn audit(&self, entry: Audit<'_>) -> Result<()> {
        let (sql, values) = entry.insert(self.actor(), self.now);
        sql::exec(&self.txn, &sql, values).await?;
        Ok(())
    }

    /// Appends the audit entry of this change, filed under the organization `org` (the
    /// record's cell or organization).
    pub(crate) async fn audit_under(&self, org: chibo_domain::org::OrgId, entry: Audit<'_>) -> Result<()> {
        let path = crate::member::org_path(&self.txn, org).await?;
        self.audit(entry.at(&path)).await
    }

    /// Makes the change durable.
    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// An audit entry: the action, the record, where it sits in the tree (so the log is read by
/// scope), and the record before and after, each serialized the one way.
pub(crate) struct Audit<'p> {
    action: Action,
    entity_id: Option<i64>,
    org_path: Option<&'p OrgPath>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

impl<'p> Audit<'p> {
    /// An entry for `action` on record `id`.
    pub(crate) fn of(action: impl Into<Action>, id: Option<i64>) -> Self {
        Audit { action: action.into(), entity_id: id, org_path: None, before: None, after: None }
    }

    /// Filed under the organization at `path`.
    pub(crate) fn at(mut self, path: &'p OrgPath) -> Self {
        self.org_path = Some(path);
        self
    }

    /// Filed under the organization at `path`, if the record has a place in the tree (a
    /// system administrator's account has none).
    pub(crate) fn at_maybe(mut self, path: Option<&'p OrgPath>) -> Self {
        self.org_path = path;
        self
    }

    /// The record before the change.
    pub(crate) fn before(mut self, v: &impl Serialize) -> Self {
        self.before = Some(record_json(v));
        self
    }

    /// The record before the change, if there was one.
    pub(crate) fn before_if(self, v: Option<&impl Serialize>) -> Self {
        match v {
            Some(v) => self.before(v),
            None => self,
        }
    }

    /// The record after the change.
    pub(crate) fn after(mut self, v: &impl Serialize) -> Self {
        self.after = Some(record_json(v));
        self
    }

    /// The one INSERT of an audit entry.
    pub(crate) const INSERT: &'static str =
        "INSERT INTO audit (at, actor, actor_id, action, entity, entity_id, org_path, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    /// In debug builds (every test run), refuses an entry whose record has a field the
    /// concept's catalogue does not declare: the audit page could not show it in words.
    fn check_catalogue(&self) {
        #[cfg(debug_assertions)]
        for side in [self.before.as_ref(), self.after.as_ref()] {
            let missing = chibo_domain::audit::undeclared_keys(self.action.entity(), side);
            assert!(missing.is_empty(), "audit catalogue of {:?} lacks the fields {missing:?}: declare them in the concept's audit.rs", self.action.entity());
        }
    }

    /// The INSERT's values for a sea-orm transaction.
    pub(crate) fn insert(&self, actor: &Actor, at: DateTime<Utc>) -> (String, Vec<Value>) {
        self.check_catalogue();
        (
            Self::INSERT.to_owned(),
            vec![
                at.into(),
                actor.label().into(),
                actor.user_id().into(),
                self.action.code().into(),
                self.action.entity().code().into(),
                self.entity_id.into(),
                self.org_path.map(|p| p.as_str().to_owned()).into(),
                self.before.as_ref().map(|v| v.to_string()).into(),
                self.after.as_ref().map(|v| v.to_string()).into(),
            ],
        )
    }

    /// The INSERT's values for the bulk loader's own transaction (imports, bulk loads).
    pub(crate) fn cells(&self, actor: &Actor, at: DateTime<Utc>) -> Vec<crate::bulk::Cell> {
        use crate::bulk::Cell;
        self.check_catalogue();
        let text = |s: Option<String>| s.map(Cell::T).unwrap_or(Cell::Null);
        let int = |i: Option<i64>| i.map(Cell::I).unwrap_or(Cell::NullInt);
        vec![
            Cell::Ts(at),
            Cell::T(actor.label()),
            int(actor.user_id()),
            Cell::T(self.action.code().to_owned()),
            Cell::T(self.action.entity().code().to_owned()),
            int(self.entity_id),
            text(self.org_path.map(|p| p.as_str().to_owned())),
            text(self.before.as_ref().map(|v| v.to_string())),
            text(self.after.as_ref().map(|v| v.to_string())),
        ]
    }
}

/// A change written through the bulk loader's own transaction (an import appends thousands
/// of members in batches): the same rights check, clock and audit entry as a [`Change`].
pub(crate) struct BulkChange<'a> {
    pub(crate) loader: crate::bulk::BulkLoader,
    actor: &'a Actor,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Scoped<'_> {
    /// Opens a bulk change that needs `needed` rights.
    pub(crate) async fn bulk_change(&self, needed: Rights) -> Result<BulkChange<'_>> {
        self.may(needed)?;
        let clock = self.store.clock();
        let loader = self.store.appender(&self.scope.actor().label()).await?;
        Ok(BulkChange { loader, actor: self.scope.actor(), now: clock.now(), today: clock.today() })
    }

    /// Refuses, before any work, a caller whose rights are below `needed` (a page that
    /// prepares a change, such as an import's preview).
    pub(crate) fn may(&self, needed: Rights) -> Result<()> {
        if self.scope.allows(needed) { Ok(()) } else { Err(StoreError::ReadOnly) }
    }
}

impl BulkChange<'_> {
    /// Who makes the change.
    pub(crate) fn actor(&self) -> &Actor {
        self.actor
    }

    /// The moment of the change.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today in Vietnam, by the store's clock.
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
    }

    /// Appends the audit entry of this change.
    pub(crate) async fn audit(&mut self, entry: Audit<'_>) -> Result<()> {
        let cells = entry.cells(self.actor, self.now);
        self.loader.execute(Audit::INSERT, cells).await
    }
}

/// A record as the audit log stores it: its serde form, the one shape every concept uses.
fn record_json(v: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
