//! Connecting to either engine, and the small SQL helpers every module shares.

use crate::kernel::sql::{all, get};
use crate::{Result, StoreError};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, SqlxPostgresConnector, SqlxSqliteConnector, Statement};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file (the embedded default).
    Sqlite,
    /// PostgreSQL (province or nation).
    Postgres,
}

impl Backend {
    /// Name for status pages and benchmark tables.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// Chooses the engine from the URL's scheme. Anything else is an error: a typo must never
    /// silently create an empty database somewhere else.
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(url.chars().take(60).collect()))
        }
    }
}

/// Connection settings (layered from file, environment and command line by the CLI).
#[derive(Clone)]
pub struct StoreConfig {
    /// `sqlite://file.db` or `postgres://user:password@host/db`.
    pub url: String,
    /// PostgreSQL pool size (SQLite uses a small fixed pool: one writer at a time anyway).
    pub max_connections: u32,
}

impl std::fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("StoreConfig").field("url", &redact_url(&self.url)).field("max_connections", &self.max_connections).finish()
    }
}

/// The URL with any password replaced, for logs and status pages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl StoreConfig {
    /// Settings for a URL with the default pool size.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 10 }
    }
}

/// The database: a connection pool on one of the two engines.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: Backend,
    clock: chibo_domain::calendar::Clock,
}

impl Store {
    /// Connects, creating the SQLite file if needed. Does not migrate.
    pub async fn connect(config: &StoreConfig) -> Result<Store> {
        let backend = Backend::from_url(&config.url)?;
        let db = match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(&config.url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("cache_size", "-65536")
                    .pragma("temp_store", "memory");
                let pool = SqlitePoolOptions::new().max_connections(config.max_connections.clamp(1, 8)).connect_with(opts).await?;
                SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
            }
            Backend::Postgres => {
                let pool =
                    PgPoolOptions::new().max_connections(config.max_connections.max(1)).acquire_timeout(Duration::from_secs(10)).connect(&config.url).await?;
                SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
            }
        };
        Ok(Store { db, backend, clock: chibo_domain::calendar::Clock::system() })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(config: &StoreConfig) -> Result<Store> {
        let store = Self::connect(config).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        use sea_orm_migration::MigratorTrait;
        crate::migration::Migrator::up(&self.db, None).await?;
        // A database from before the figures' facts: derive them once.
        if crate::stats::facts_missing(&self.db).await? {
            crate::stats::rebuild_on(&self.db, &mut |_, _| {}).await?;
        }
        // An import interrupted between its load and its facts.
        crate::import::repair_import_facts(&self.db).await?;
        Ok(())
    }

    /// The same store with another clock: a test, or a demonstration set to a day
    /// (`CHIBO_TODAY`), decides what "today" is for every change and page.
    pub fn with_clock(mut self, clock: chibo_domain::calendar::Clock) -> Store {
        self.clock = clock;
        self
    }

    /// Where "now" comes from.
    pub fn clock(&self) -> chibo_domain::calendar::Clock {
        self.clock
    }

    /// Today's date in Vietnam, by the store's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool (flushes SQLite's WAL on the last connection).
    pub async fn close(self) -> Result<()> {
        self.db.close().await?;
        Ok(())
    }

    /// Size of the database on disk in bytes (SQLite file or PostgreSQL database).
    pub async fn size_bytes(&self) -> Result<i64> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()",
            Backend::Postgres => "SELECT pg_database_size(current_database()) AS n",
        };
        let row = self.db.query_one_raw(Statement::from_string(self.db_backend(), sql)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
    }

    pub(crate) fn db_backend(&self) -> DbBackend {
        match self.backend {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        }
    }

    /// Updates the planner's statistics after bulk loads.
    pub async fn analyze(&self) -> Result<()> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }
}

impl Store {
    /// Drops every table and re-creates the schema (for `--reset`).
    #[cfg(feature = "operator")]
    pub async fn reset(&self) -> Result<()> {
        use sea_orm_migration::MigratorTrait;
        crate::migration::Migrator::fresh(&self.db).await?;
        Ok(())
    }

    /// Ids of organizations without a parent today.
    pub async fn root_orgs(&self) -> Result<Vec<i64>> {
        let rows = all(&self.db, "SELECT id FROM org WHERE parent_id IS NULL ORDER BY sort_key", vec![]).await?;
        rows.iter().map(|r| get(r, "id")).collect()
    }

    /// Every organization's code by id (for listings that show parent codes).
    pub async fn org_codes(&self) -> Result<std::collections::HashMap<i64, String>> {
        let rows = all(&self.db, "SELECT id, code FROM org", vec![]).await?;
        rows.iter().map(|r| Ok((get(r, "id")?, get(r, "code")?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_comes_only_from_an_explicit_scheme() {
        assert_eq!(Backend::from_url("sqlite://chibo.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::from_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(matches!(Backend::from_url("postgress://u@h/db"), Err(StoreError::BadUrl(_))));
        assert!(matches!(Backend::from_url("chibo.db"), Err(StoreError::BadUrl(_))));
    }

    #[test]
    fn passwords_never_reach_debug_output() {
        let c = StoreConfig::new("postgres://chibo:s3cret@localhost/chibo");
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("chibo:***@localhost/chibo"));
    }
}
