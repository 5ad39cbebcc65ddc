//! Connecting to either engine, and the small SQL helpers every module shares.

use crate::kernel::sql::{all, get};
use crate::{Result, StoreError};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode, SqlxPostgresConnector, SqlxSqliteConnector, Statement,
    TransactionOptions, TransactionTrait,
};
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
    /// To-do lists already computed (shared by the clones of the store).
    pub(crate) todo_cache: std::sync::Arc<crate::todo::TodoCache>,
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
                    .pragma("cache_size", "-16384")
                    .pragma("temp_store", "memory");
                // Switching a new file to WAL takes its lock without waiting on the busy timeout:
                // when two processes open one new file at the same moment, the second is told
                // the database is locked. It tries again for a while.
                let mut tries = 0;
                let pool = loop {
                    match SqlitePoolOptions::new().max_connections(config.max_connections.clamp(1, 8)).connect_with(opts.clone()).await {
                        Err(e) if tries < 100 && e.to_string().contains("database is locked") => {
                            tries += 1;
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        other => break other?,
                    }
                };
                SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
            }
            Backend::Postgres => {
                let pool =
                    PgPoolOptions::new().max_connections(config.max_connections.max(1)).acquire_timeout(Duration::from_secs(10)).connect(&config.url).await?;
                SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
            }
        };
        Ok(Store { db, backend, clock: chibo_domain::calendar::Clock::system(), todo_cache: Default::default() })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(config: &StoreConfig) -> Result<Store> {
        let store = Self::connect(config).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations and the start-up repairs (the figures' facts of a database
    /// from before them, an import interrupted between its load and its facts), once however
    /// many processes start at the same moment on one database: on PostgreSQL under a
    /// session-level advisory lock, on SQLite inside one transaction that holds the file's
    /// write lock. A process that finds the work done by another only checks it.
    pub async fn migrate(&self) -> Result<StartReport> {
        use sea_orm_migration::MigratorTrait;
        match self.backend {
            Backend::Postgres => {
                // Migrations run on the pool (sea-orm gives each its own transaction there);
                // the lock is held on a connection of its own for the whole start-up.
                let lock = AdvisoryLock::wait(&self.db, LockKey::Start).await?;
                let pending = crate::migration::Migrator::get_pending_migrations(&self.db).await?.len();
                crate::migration::Migrator::up(&self.db, None).await?;
                let report = repairs(&self.db, pending, self.clock.now()).await?;
                lock.release().await?;
                Ok(report)
            }
            Backend::Sqlite => {
                // SQLite has no advisory locks, and needs none: the file has a single write
                // lock, which `BEGIN IMMEDIATE` takes for the whole start-up (migrations,
                // whose DDL is transactional there, and repairs), so another process waits
                // for it, then finds nothing pending. sea-orm would otherwise run SQLite's
                // migrations outside any transaction, two processes both applying one.
                let txn = write_locked(&self.db).await?;
                let pending = crate::migration::Migrator::get_pending_migrations(&txn).await?.len();
                crate::migration::Migrator::up(&txn, None).await?;
                let report = repairs(&txn, pending, self.clock.now()).await?;
                txn.commit().await?;
                Ok(report)
            }
        }
    }

    /// Takes the right to run a periodic chore (expired sessions, checkpoints) that several
    /// `chibo serve` on one database would otherwise run at the same moment: None when another
    /// process holds it now (skip this round). PostgreSQL: a session-level advisory try-lock
    /// on a connection of its own, released by [`ChoreGuard::release`] or when the guard is
    /// dropped (the connection closes). SQLite: always granted; its chores are short writes
    /// that the file's write lock already runs one at a time, and each finds its work done.
    pub async fn chore(&self, chore: Chore) -> Result<Option<ChoreGuard>> {
        match self.backend {
            Backend::Postgres => Ok(AdvisoryLock::try_take(&self.db, LockKey::Chore(chore)).await?.map(|l| ChoreGuard { lock: Some(l) })),
            Backend::Sqlite => Ok(Some(ChoreGuard { lock: None })),
        }
    }

    /// The same store with another clock: a test, or a demonstration set to a day
    /// (`CHIBO_TODAY`), decides what "today" is for every change and page.
    pub fn with_clock(mut self, clock: chibo_domain::calendar::Clock) -> Store {
        self.clock = clock;
        self.todo_cache = Default::default();
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

    /// Writes a consistent copy of a SQLite database to a new file while it is served
    /// (`VACUUM INTO`: one read transaction, so the copy is the database as of one moment,
    /// whatever writers do meanwhile; a `cp` of a live file is not). The file must not exist.
    /// PostgreSQL is copied with its own tools (`pg_dump`), which `chibo backup` runs.
    pub async fn backup_sqlite(&self, file: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Db(sea_orm::DbErr::Custom("sao lưu PostgreSQL bằng pg_dump (chibo backup chạy nó)".into())));
        }
        let path = file.to_str().ok_or_else(|| StoreError::Db(sea_orm::DbErr::Custom("tên tệp sao lưu phải là UTF-8".into())))?;
        crate::kernel::sql::exec(&self.db, "VACUUM INTO $1", vec![path.into()]).await?;
        Ok(())
    }

    /// Whether a SQLite file is a whole database (`PRAGMA integrity_check`), before a restore
    /// puts it in place.
    pub async fn integrity_ok(&self) -> Result<bool> {
        let row = self.db.query_one_raw(Statement::from_string(self.db_backend(), "PRAGMA integrity_check")).await?;
        Ok(row.map(|r| r.try_get_by_index::<String>(0)).transpose()?.is_some_and(|s| s == "ok"))
    }

    /// Updates the planner's statistics after bulk loads.
    pub async fn analyze(&self) -> Result<()> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }
}

/// What a start-up ([`Store::migrate`]) did: all zero and false when another process had
/// done it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StartReport {
    /// Migrations applied.
    pub migrations: usize,
    /// Whether the figures' facts were derived from scratch (a database from before them).
    pub facts_rebuilt: bool,
    /// Imports whose facts were derived after a crash between their two transactions.
    pub imports_repaired: usize,
}

/// The repairs of every start, after the migrations, on the connection that holds the lock.
async fn repairs<C: ConnectionTrait + TransactionTrait>(c: &C, migrations: usize, now: chrono::DateTime<chrono::Utc>) -> Result<StartReport> {
    // A database from before the figures' facts: derive them once.
    let facts_rebuilt = crate::stats::facts_missing(c).await?;
    if facts_rebuilt {
        tracing::info!("figures: deriving every fact (a database from before them)");
        crate::stats::rebuild_on(c, &mut |_, _| {}).await?;
    } else if crate::stats::committee_facts_missing(c).await? {
        tracing::info!("figures: deriving the committees' facts (a database from before them)");
        crate::stats::rebuild_committees_on(c).await?;
    }
    // An import interrupted between its load and its facts.
    let imports_repaired = crate::import::repair_import_facts(c).await?;
    // Import jobs of a process that died long ago.
    crate::import_job::fail_stale(c, now).await?;
    Ok(StartReport { migrations, facts_rebuilt, imports_repaired })
}

/// How a write transaction begins: on SQLite it takes the file's write lock at once
/// (`BEGIN IMMEDIATE`); PostgreSQL ignores the mode and locks rows as it writes.
const WRITE: TransactionOptions =
    TransactionOptions { isolation_level: None, access_mode: None, sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate) };

/// How many busy timeouts a write waits through for SQLite's write lock before it gives up.
const WRITE_TRIES: usize = 3;

/// Begins a transaction that will write. On SQLite a deferred transaction that reads before it
/// writes is refused at its first write, at once and whatever the busy timeout, when another
/// writer committed since its read began ("database is locked"): every write transaction
/// therefore begins immediate, taking the write lock before it reads, and waits its turn
/// behind the busy timeout (a few times over, then the error). Inside a transaction this is a
/// savepoint, under the lock already held.
pub(crate) async fn begin_write<C: TransactionTrait>(c: &C) -> Result<C::Transaction> {
    let mut tries = 0;
    loop {
        match c.begin_with_options(WRITE).await {
            Err(e) if tries + 1 < WRITE_TRIES && is_busy(&e.to_string()) => tries += 1,
            other => return Ok(other?),
        }
    }
}

/// Whether a failure is SQLite's write lock held by another connection.
pub(crate) fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database table is locked")
}

/// A transaction holding SQLite's write lock (`BEGIN IMMEDIATE`). The busy timeout waits ten
/// seconds for it; another process's start-up can take minutes (deriving the facts of a large
/// database), so this waits again until it is free.
async fn write_locked(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    loop {
        match db.begin_with_options(WRITE).await {
            Ok(txn) => return Ok(txn),
            Err(e) if is_busy(&e.to_string()) => tracing::info!("start-up: waiting for another process's start-up to finish"),
            Err(e) => return Err(e.into()),
        }
    }
}

/// A periodic chore that must not run in two processes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chore {
    /// Removing expired sessions, old failed sign-ins and old import jobs.
    Housekeeping,
    /// Adding the day's checkpoints of the figures.
    Checkpoints,
}

/// The right to run a [`Chore`] now; give it back with [`ChoreGuard::release`].
pub struct ChoreGuard {
    lock: Option<AdvisoryLock>,
}

impl ChoreGuard {
    /// Ends the chore (unlocks; on PostgreSQL closes the lock's connection).
    pub async fn release(self) -> Result<()> {
        match self.lock {
            Some(l) => l.release().await,
            None => Ok(()),
        }
    }
}

/// The keys of chibo's PostgreSQL advisory locks. Advisory locks belong to one database, so
/// two chibo databases on one server do not share them; the high five bytes of each key are
/// "chibo" in ASCII, so another application's locks in the same database are unlikely to
/// meet them.
#[derive(Debug, Clone, Copy)]
enum LockKey {
    Start,
    Chore(Chore),
}

impl LockKey {
    fn key(self) -> i64 {
        const BASE: i64 = 0x6368_6962_6f00_0000;
        BASE + match self {
            LockKey::Start => 1,
            LockKey::Chore(Chore::Housekeeping) => 2,
            LockKey::Chore(Chore::Checkpoints) => 3,
        }
    }
}

/// A PostgreSQL session-level advisory lock, held on a connection taken out of the pool for
/// it: if the holder fails or is dropped before `release`, the connection closes and the
/// server frees the lock, so a lock never returns to the pool still held.
struct AdvisoryLock {
    conn: sqlx::PgConnection,
    key: i64,
}

impl AdvisoryLock {
    /// Waits for the lock (another process holds it while it runs the same start-up).
    async fn wait(db: &DatabaseConnection, key: LockKey) -> Result<AdvisoryLock> {
        let mut conn = db.get_postgres_connection_pool().acquire().await?.detach();
        let key = key.key();
        let taken = sqlx::query("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut conn).await?;
        if !sqlx::Row::try_get::<bool, _>(&taken, 0)? {
            tracing::info!("start-up: waiting for another process's start-up to finish");
            sqlx::query("SELECT pg_advisory_lock($1)").bind(key).execute(&mut conn).await?;
        }
        Ok(AdvisoryLock { conn, key })
    }

    /// Takes the lock if no one holds it.
    async fn try_take(db: &DatabaseConnection, key: LockKey) -> Result<Option<AdvisoryLock>> {
        let mut conn = db.get_postgres_connection_pool().acquire().await?.detach();
        let key = key.key();
        let taken = sqlx::query("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut conn).await?;
        Ok(sqlx::Row::try_get::<bool, _>(&taken, 0)?.then_some(AdvisoryLock { conn, key }))
    }

    /// Unlocks and closes the connection.
    async fn release(mut self) -> Result<()> {
        sqlx::query("SELECT pg_advisory_unlock($1)").bind(self.key).execute(&mut self.conn).await?;
        sqlx::Connection::close(self.conn).await?;
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
