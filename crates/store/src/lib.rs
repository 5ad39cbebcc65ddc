//! chibo-store: the database of chibo, on SQLite (embedded default) and PostgreSQL
//! (production), through one schema and one set of queries.
//!
//! The only way to read or write organizations and members is through a [`Scoped`] handle,
//! obtained from [`Store::scoped`] with a [`Scope`]: every query it runs is restricted to the
//! scope's subtree, and every write appends an audit entry in the same transaction.

pub mod account;
pub mod admission;
pub mod audit;
pub mod bulk;
mod db;
mod error;
pub mod import;
pub mod member;
pub mod migration;
pub mod org;
pub mod residence;
pub mod rule;
pub mod stats;
#[doc(hidden)]
pub mod testing;
pub mod todo;
pub mod token;
pub mod transfer;

pub use db::{Backend, Store, StoreConfig};
pub use error::StoreError;

use chibo_domain::scope::{Rights, Scope};

/// A store handle restricted to one scope: the capability every read and write needs.
#[derive(Clone)]
pub struct Scoped<'a> {
    store: &'a Store,
    scope: Scope,
}

impl Store {
    /// The handle through which all scoped reads and writes go.
    pub fn scoped(&self, scope: Scope) -> Scoped<'_> {
        Scoped { store: self, scope }
    }
}

impl Scoped<'_> {
    /// The scope this handle enforces.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Refuses when the scope's rights are below `needed`.
    pub(crate) fn require(&self, needed: Rights) -> Result<(), StoreError> {
        if self.scope.allows(needed) { Ok(()) } else { Err(StoreError::ReadOnly) }
    }
}

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
