//! chibo-store: the database of chibo, on SQLite (embedded default) and PostgreSQL
//! (production), through one schema and one set of queries.
//!
//! The only way to read or write organizations and members is through a [`Scoped`] handle,
//! obtained from [`Store::within`] with a [`Scope`]: every query it runs is restricted to the
//! scope's subtree, and every write appends an audit entry in the same transaction. A scope
//! is sealed (see [`scope`]): only the store's grants make one, and the operator's full scope
//! exists only behind the cargo feature `operator`. Facts any signed-in user may see come from
//! [`Store::public`].

pub mod account;
pub mod admission;
pub mod audit;
pub mod bulk;
pub mod committee;
mod db;
mod error;
pub mod import;
pub mod import_job;
mod kernel;
pub mod meeting;
pub mod member;
pub mod migration;
pub mod org;
pub mod public;
pub mod residence;
pub mod rule;
pub mod scope;
#[cfg(feature = "operator")]
pub mod scratch;
pub mod stats;
#[cfg(feature = "testing")]
pub mod testing;
pub mod todo;
pub mod token;
pub mod transfer;

pub use db::{Backend, Chore, ChoreGuard, StartReport, Store, StoreConfig};
pub use error::StoreError;
pub use scope::Scope;

/// A store handle restricted to one scope: the capability every read and write needs.
#[derive(Clone)]
pub struct Scoped<'a> {
    store: &'a Store,
    scope: Scope,
}

impl Store {
    /// The handle through which all scoped reads and writes go. A [`Scope`] comes only from
    /// a grant ([`Store::grant`], [`Store::token_grant`]) or the operator's feature, so this
    /// never reaches wider than what was granted.
    pub fn within(&self, scope: &Scope) -> Scoped<'_> {
        Scoped { store: self, scope: scope.clone() }
    }

    /// The whole tree with full rights, for the operator's commands (CLI, demo, generator),
    /// recorded in the audit log as `system:{what}`. Behind the cargo feature `operator`, which
    /// the web crate does not enable.
    #[cfg(feature = "operator")]
    pub fn operator(&self, what: &str) -> Scoped<'_> {
        Scoped { store: self, scope: Scope::operator(what) }
    }
}

impl Scoped<'_> {
    /// The scope this handle enforces.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Today in Vietnam, by the store's clock (the one place "today" comes from).
    pub fn today(&self) -> chrono::NaiveDate {
        self.store.today()
    }

    /// The store's clock.
    pub fn clock(&self) -> chibo_domain::calendar::Clock {
        self.store.clock()
    }
}

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
