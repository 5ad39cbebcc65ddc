//! Test support, for dev-dependencies only (cargo feature `testing`): the `db_test!` macro
//! that runs a test on a fresh SQLite and a fresh PostgreSQL database, and raw access to the
//! database for tests that check what the database itself refuses.

use crate::Store;
pub use crate::scratch::{TestDb, postgres, sqlite};

/// Defines a test twice, once per engine, each on a fresh database:
/// `db_test!(name, |store| async_body)`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testing::sqlite().await;
                {
                    let $store: &$crate::Store = &db.store;
                    $body
                }
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::testing::postgres().await else { return };
                {
                    let $store: &$crate::Store = &db.store;
                    $body
                }
                db.cleanup().await;
            }
        }
    };
}

/// Runs a raw statement (tests that check what the database itself refuses).
pub async fn execute(store: &Store, sql: &str) -> Result<u64, String> {
    use sea_orm::ConnectionTrait;
    store.db.execute_unprepared(sql).await.map(|r| r.rows_affected()).map_err(|e| e.to_string())
}

/// The store's connection (tests that run migrations step by step).
pub fn connection(store: &Store) -> &sea_orm::DatabaseConnection {
    &store.db
}
