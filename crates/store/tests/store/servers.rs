//! Several `chibo serve` on one database: start-ups at the same moment migrate and derive the
//! figures once, and import jobs live in the database, each read only by its owner inside
//! their scope.

use super::{admin, admitted, d, tree};
use crate::today;
use chibo_domain::account::Role;
use chibo_domain::member::Gender;
use chibo_domain::scope::{Actor, Reach, Rights};
use chibo_store::account::NewAccount;
use chibo_store::import_job::{INTERRUPTED, JobOutcome, JobState};
use chibo_store::migration::Migrator;
use chibo_store::testing::{self, TestDb};
use chibo_store::{Scope, StartReport, Store, StoreConfig, StoreError, db_test};
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

async fn account(store: &Store, login: &str, role: Role, org: Option<i64>) -> i64 {
    let new = NewAccount { login: login.into(), display_name: login.into(), password_hash: "x".into(), role, org_id: org, member_id: None };
    store.within(&admin()).create_account(new).await.unwrap().id
}

db_test!(an_import_job_is_read_by_its_owner_inside_their_scope_only, |store| {
    let t = tree(store).await;
    let path = |id| async move { store.within(&admin()).org(id).await.unwrap().path };
    let bithu = account(store, "bithu", Role::Secretary, Some(t.cell_a1)).await;
    let other = account(store, "khac", Role::OrgAdmin, Some(t.province)).await;
    let scope = |id: i64, login: &str, org, path, rights| Scope::for_tests(Actor::User { id, login: login.into() }, Reach::Subtree { org, path }, rights);
    let mine = scope(bithu, "bithu", t.cell_a1, path(t.cell_a1).await, Rights::Members);
    let s = store.within(&mine);
    let job = s.create_import_job("tok1", t.cell_a1, "check", "danh-sach.csv", b"Ho ten\nA\n").await.unwrap();
    assert_eq!((job.state, job.kind.as_str(), job.file_name.as_str(), job.has_rejected), (JobState::Queued, "check", "danh-sach.csv", false));
    assert_eq!(s.import_job_file("tok1").await.unwrap(), b"Ho ten\nA\n");
    assert_eq!(s.import_jobs_in_work().await.unwrap(), 1);
    // A job cannot be made outside the scope, nor by the operator (jobs belong to accounts).
    assert!(matches!(s.create_import_job("tok2", t.cell_a2, "check", "x.csv", b"x").await, Err(StoreError::NotFound)));
    assert!(matches!(store.within(&admin()).create_import_job("tok3", t.cell_a1, "check", "x.csv", b"x").await, Err(StoreError::NotFound)));
    // Another account, even one whose scope covers the job, finds nothing; nor does the
    // owner through a scope that no longer covers it.
    let theirs = store.within(&scope(other, "khac", t.province, path(t.province).await, Rights::Full));
    assert!(matches!(theirs.import_job("tok1").await, Err(StoreError::NotFound)));
    assert!(matches!(theirs.import_job_file("tok1").await, Err(StoreError::NotFound)));
    assert!(!theirs.report_import_job("tok1", JobState::Running, None, 1, 2).await.unwrap());
    let moved = store.within(&scope(bithu, "bithu", t.cell_a2, path(t.cell_a2).await, Rights::Members));
    assert!(matches!(moved.import_job("tok1").await, Err(StoreError::NotFound)));

    // Progress, then the end; a finished job takes another step once.
    assert!(s.report_import_job("tok1", JobState::Running, Some("validating"), 1, 2).await.unwrap());
    let j = s.import_job("tok1").await.unwrap();
    assert_eq!((j.state, j.phase.as_deref(), j.done, j.total), (JobState::Running, Some("validating"), 1, 2));
    assert!(!s.queue_import_job("tok1", "write").await.unwrap(), "a running job is left alone");
    s.end_import_job("tok1", JobOutcome { error: None, result: Some((r#"{"ok":1}"#, Some(b"xlsx"))) }).await.unwrap();
    let j = s.import_job("tok1").await.unwrap();
    assert_eq!((j.state, j.result.as_deref(), j.has_rejected, j.phase), (JobState::Done, Some(r#"{"ok":1}"#), true, None));
    assert_eq!(s.import_job_rejected("tok1").await.unwrap(), b"xlsx");
    assert_eq!(s.import_jobs_in_work().await.unwrap(), 0);
    assert!(s.queue_import_job("tok1", "write").await.unwrap());
    assert!(!s.queue_import_job("tok1", "write").await.unwrap(), "asked twice, queued once");
    s.end_import_job("tok1", JobOutcome { error: Some("tệp có 1 dòng lỗi"), result: None }).await.unwrap();
    let j = s.import_job("tok1").await.unwrap();
    assert_eq!(
        (j.state, j.kind.as_str(), j.error.as_deref(), j.result.as_deref()),
        (JobState::Failed, "write", Some("tệp có 1 dòng lỗi"), Some(r#"{"ok":1}"#))
    );
    // A viewer's scope cannot queue a step.
    let viewer = store.within(&mine.narrowed_to(Rights::Read));
    assert!(matches!(viewer.queue_import_job("tok1", "check").await, Err(StoreError::ReadOnly)));
});

db_test!(an_import_job_left_running_by_a_dead_process_is_failed, |store| {
    let t = tree(store).await;
    let bithu = account(store, "bithu", Role::Secretary, Some(t.cell_a1)).await;
    let path = store.within(&admin()).org(t.cell_a1).await.unwrap().path;
    let s_scope = Scope::for_tests(Actor::User { id: bithu, login: "bithu".into() }, Reach::Subtree { org: t.cell_a1, path }, Rights::Members);
    let s = store.within(&s_scope);
    for id in ["dead", "alive", "old"] {
        s.create_import_job(id, t.cell_a1, "write", "a.csv", b"x").await.unwrap();
        assert!(s.report_import_job(id, JobState::Running, Some("writing"), 5, 10).await.unwrap());
    }
    s.end_import_job("old", JobOutcome::default()).await.unwrap();
    let ago = |minutes: i64| (chrono::Utc::now() - chrono::Duration::minutes(minutes)).format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string();
    for (id, minutes) in [("dead", 11), ("old", 25 * 60)] {
        testing::execute(store, &format!("UPDATE import_job SET updated_at = '{}' WHERE id = '{id}'", ago(minutes))).await.unwrap();
    }
    // Read: the dead one is failed with a message saying what happened; the live one runs on.
    let dead = s.import_job("dead").await.unwrap();
    assert_eq!((dead.state, dead.error.as_deref()), (JobState::Failed, Some(INTERRUPTED)));
    assert!(INTERRUPTED.contains("bị gián đoạn"));
    assert_eq!(s.import_job("alive").await.unwrap().state, JobState::Running);
    assert_eq!(s.import_jobs_in_work().await.unwrap(), 1);
    // A late report of the dead process changes nothing.
    assert!(!s.report_import_job("dead", JobState::Running, Some("writing"), 6, 10).await.unwrap());
    // Housekeeping deletes the finished job of yesterday (and its file), keeps the others.
    let limits = chibo_store::account::SessionLimits { idle: chrono::Duration::minutes(30), absolute: chrono::Duration::hours(12) };
    store.purge_expired(limits, chrono::Duration::hours(1)).await.unwrap();
    assert!(matches!(s.import_job("old").await, Err(StoreError::NotFound)));
    assert_eq!(s.import_job("alive").await.unwrap().state, JobState::Running);
    assert_eq!(s.import_job("dead").await.unwrap().state, JobState::Failed);
});
