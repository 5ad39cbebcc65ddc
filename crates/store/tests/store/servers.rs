//! Several `chibo serve` on one database: start-ups at the same moment migrate and derive the
//! figures once, and a periodic chore runs in one process at a time.

use super::{admin, admitted, d, tree};
use chibo_domain::calendar::today;
use chibo_domain::member::Gender;
use chibo_store::migration::Migrator;
use chibo_store::testing::{self, TestDb};
use chibo_store::{StartReport, Store, StoreConfig, db_test};
use sea_orm_migration::MigratorTrait;

/// Starts `n` stores on `url` at the same moment (each its own pool, as processes have) and
/// returns what each start-up did.
async fn start_together(url: &str, n: usize) -> Vec<StartReport> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let starts: Vec<_> = (0..n)
        .map(|_| {
            let (url, barrier) = (url.to_owned(), barrier.clone());
            tokio::spawn(async move {
                let store = Store::connect(&StoreConfig::new(url)).await.unwrap();
                barrier.wait().await;
                let report = store.migrate().await;
                store.close().await.unwrap();
                report.unwrap_or_else(|e| panic!("a concurrent start-up failed: {e}"))
            })
        })
        .collect();
    let mut reports = Vec::new();
    for s in starts {
        reports.push(s.await.unwrap());
    }
    reports
}

async fn concurrent_start_ups(db: TestDb) {
    let url = db.url();
    // An empty database: every process opens it at once, each finds it migrated.
    Migrator::reset(testing::connection(&db.store)).await.unwrap();
    let opens: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::open(&StoreConfig::new(url)).await.map(|s| s.backend()) })
        })
        .collect();
    for o in opens {
        o.await.unwrap().unwrap_or_else(|e| panic!("a concurrent open failed: {e}"));
    }
    assert!(Migrator::get_pending_migrations(testing::connection(&db.store)).await.unwrap().is_empty());

    // A database from before the figures' facts and the last migration: one process
    // migrates and derives them, the others find it done.
    let t = tree(&db.store).await;
    admitted(&db.store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    admitted(&db.store, "Trần Thị Lan", Gender::Female, t.cell_b1, d(2012, 1, 1)).await;
    for sql in ["DELETE FROM stat_checkpoint", "DELETE FROM stat_fact"] {
        testing::execute(&db.store, sql).await.unwrap();
    }
    Migrator::down(testing::connection(&db.store), Some(1)).await.unwrap();
    let reports = start_together(&url, 4).await;
    assert_eq!(reports.iter().map(|r| r.migrations).sum::<usize>(), 1, "{reports:?}");
    assert_eq!(reports.iter().filter(|r| r.facts_rebuilt).count(), 1, "{reports:?}");
    let s = db.store.within(&admin());
    assert_eq!(s.org_stats(t.province, today()).await.unwrap().members, 2);
    assert_eq!(s.org_stats(t.cell_a1, today()).await.unwrap().members, 1);
    // Started again: nothing left to do.
    assert_eq!(start_together(&url, 2).await, vec![StartReport::default(); 2]);
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_start_ups_on_sqlite_migrate_and_derive_the_figures_once() {
    concurrent_start_ups(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_start_ups_on_postgres_migrate_and_derive_the_figures_once() {
    let Some(db) = testing::postgres().await else { return };
    concurrent_start_ups(db).await;
}

db_test!(a_chore_runs_in_one_process_at_a_time, |store| {
    let first = store.chore(chibo_store::Chore::Housekeeping).await.unwrap().expect("free");
    let other = store.chore(chibo_store::Chore::Checkpoints).await.unwrap();
    assert!(other.is_some(), "another chore is not held by this one");
    let again = store.chore(chibo_store::Chore::Housekeeping).await.unwrap();
    if store.backend() == chibo_store::Backend::Postgres {
        assert!(again.is_none(), "held by the first");
    }
    first.release().await.unwrap();
    other.unwrap().release().await.unwrap();
    if let Some(g) = again {
        g.release().await.unwrap();
    }
    let after = store.chore(chibo_store::Chore::Housekeeping).await.unwrap().expect("free again");
    // Dropped without release: its connection closes and the lock is free.
    drop(after);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut free = None;
    for _ in 0..50 {
        free = store.chore(chibo_store::Chore::Housekeeping).await.unwrap();
        if free.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    free.expect("free after the holder dropped it").release().await.unwrap();
});
