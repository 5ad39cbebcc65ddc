//! Throwaway databases on each engine: one per test (kellnr's `db_test` pattern, see
//! [`crate::testing`]) and one per run of a benchmark of the operator's CLI.
//!
//! PostgreSQL tests use the server named by `CHIBO_TEST_POSTGRES_URL` (an administrative URL,
//! e.g. `postgres://postgres@127.0.0.1/postgres`); each test creates its own database and
//! drops it afterwards. Without that variable the PostgreSQL variant is skipped with a
//! message, except under CI (`CI` set), where a missing or unreachable server fails the test.

use crate::{Store, StoreConfig};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), nanos)
}

/// A migrated store that cleans up after itself.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    /// The URL this test database answers on (for tests that start a second connection).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::File(p) => format!("sqlite://{}", p.display()),
            Cleanup::Database { admin_url, name } => replace_db_name(admin_url, name),
        }
    }

    /// Closes the store and removes the database.
    pub async fn cleanup(self) {
        let _ = self.store.close().await;
        match self.cleanup {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(admin) = Store::connect(&StoreConfig::new(admin_url)).await {
                    use sea_orm::ConnectionTrait;
                    let _ = admin.db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// A fresh, migrated SQLite database in a temporary file.
pub async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name("chibo_test")));
    let store = Store::open(&StoreConfig::new(format!("sqlite://{}", path.display()))).await.expect("open SQLite test database");
    TestDb { store, cleanup: Cleanup::File(path) }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base.rfind('/').filter(|&i| i > "postgres://".len()).unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..cut])
}

/// A fresh, migrated PostgreSQL database, or None (with a message) when no server is
/// configured outside CI.
pub async fn postgres() -> Option<TestDb> {
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    let admin_url = match std::env::var("CHIBO_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ if in_ci => panic!("CI: CHIBO_TEST_POSTGRES_URL is not set; PostgreSQL tests must run in CI"),
        _ => {
            eprintln!("CHIBO_TEST_POSTGRES_URL not set: skipping the PostgreSQL variant (scripts/test sets it)");
            return None;
        }
    };
    let admin = Store::connect(&StoreConfig::new(admin_url.clone())).await.unwrap_or_else(|e| panic!("PostgreSQL unreachable for tests: {e}"));
    let name = unique_name("chibo_t");
    {
        use sea_orm::ConnectionTrait;
        admin.db.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    }
    let _ = admin.close().await;
    let mut config = StoreConfig::new(replace_db_name(&admin_url, &name));
    config.max_connections = 4;
    let store = Store::open(&config).await.expect("open PostgreSQL test database");
    Some(TestDb { store, cleanup: Cleanup::Database { admin_url, name } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced_in_the_url() {
        assert_eq!(replace_db_name("postgres://postgres@127.0.0.1/postgres", "x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(replace_db_name("postgres://u:p@h:5433/db?sslmode=disable", "x"), "postgres://u:p@h:5433/x?sslmode=disable");
        assert_eq!(replace_db_name("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
