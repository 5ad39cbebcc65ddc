//! Many writers at once: every write waits its turn for the database (SQLite's single write
//! lock included), and two edits of one version give one success and one `Stale`, never a
//! database error.

use super::{admin, admitted, d, tree};
use chibo_domain::member::Gender;
use chibo_store::{StoreError, db_test};

const GIVEN: [&str; 20] =
    ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Khánh", "Lan", "Long", "Minh", "Nga", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Vân", "Yến"];

db_test!(twenty_writers_on_different_members_all_succeed, |store| {
    let t = tree(store).await;
    let mut members = Vec::new();
    for given in GIVEN {
        members.push(admitted(store, &format!("Nguyễn Văn {given}"), Gender::Male, t.cell_a1, d(2015, 3, 1)).await);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(members.len()));
    let writers: Vec<_> = members
        .iter()
        .map(|m| {
            let (store, barrier, m) = (store.clone(), barrier.clone(), m.clone());
            tokio::spawn(async move {
                let mut p = m.profile.clone();
                p.occupation = Some("Giáo viên".into());
                barrier.wait().await;
                store.within(&admin()).update_member_profile(m.id, m.version, p).await
            })
        })
        .collect();
    for w in writers {
        let saved = w.await.unwrap().unwrap_or_else(|e| panic!("a concurrent write failed: {e:?}"));
        assert_eq!(saved.profile.occupation.as_deref(), Some("Giáo viên"));
    }
    let s = store.within(&admin());
    for m in &members {
        assert_eq!(s.member(m.id).await.unwrap().version, m.version + 1);
    }
});

db_test!(two_writers_of_one_version_give_one_success_and_one_stale, |store| {
    let t = tree(store).await;
    let m = admitted(store, "Trần Thị Hoa", Gender::Female, t.cell_a1, d(2015, 3, 1)).await;
    for (round, version) in (m.version..m.version + 10).enumerate() {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let writers: Vec<_> = ["Giáo viên", "Kỹ sư"]
            .into_iter()
            .map(|occupation| {
                let (store, barrier, mut p) = (store.clone(), barrier.clone(), m.profile.clone());
                p.occupation = Some(format!("{occupation} {round}"));
                tokio::spawn(async move {
                    barrier.wait().await;
                    store.within(&admin()).update_member_profile(m.id, version, p).await
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for w in writers {
            outcomes.push(w.await.unwrap());
        }
        let saved: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
        let stale =
            outcomes.iter().filter(|o| matches!(o, Err(StoreError::Stale { expected, actual }) if *expected == version && *actual == version + 1)).count();
        assert_eq!((saved.len(), stale), (1, 1), "round {round}: {outcomes:?}");
        assert_eq!(store.within(&admin()).member(m.id).await.unwrap().profile.occupation, saved[0].profile.occupation);
    }
});

/// A backup taken while members are written is the database of one moment: it opens, its
/// audit log is exactly the source's up to its last entry, and its figures are those of its
/// own spans (a recount), for every organization.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_is_the_database_of_one_moment() {
    let db = chibo_store::testing::sqlite().await;
    let store = &db.store;
    let t = tree(store).await;
    let mut members = Vec::new();
    for given in GIVEN {
        members.push(admitted(store, &format!("Lê Văn {given}"), Gender::Male, t.cell_a1, d(2015, 3, 1)).await);
    }
    let writers: Vec<_> = members
        .into_iter()
        .map(|m| {
            let store = store.clone();
            tokio::spawn(async move {
                let s = store.within(&admin());
                let mut version = m.version;
                for occupation in ["Giáo viên", "Kỹ sư", "Hưu trí"] {
                    let mut p = m.profile.clone();
                    p.occupation = Some(occupation.into());
                    version = s.update_member_profile(m.id, version, p).await.unwrap().version;
                }
            })
        })
        .collect();
    let file = std::env::temp_dir().join(format!("chibo_backup_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    store.backup_sqlite(&file).await.unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let copy = chibo_store::Store::open(&chibo_store::StoreConfig::new(format!("sqlite://{}", file.display()))).await.unwrap();
    assert!(copy.integrity_ok().await.unwrap());
    let all = chibo_store::audit::AuditFilter { limit: 500, ..Default::default() };
    let copied = copy.within(&admin()).audit_log(&all).await.unwrap();
    let source = store.within(&admin()).audit_log(&all).await.unwrap();
    let last = copied.first().map(|e| e.id).unwrap();
    let same = |e: &chibo_store::audit::AuditEntry| (e.id, e.action.clone(), e.entity_id, e.before.clone(), e.after.clone());
    assert_eq!(copied.iter().map(same).collect::<Vec<_>>(), source.iter().filter(|e| e.id <= last).map(same).collect::<Vec<_>>());
    let today = crate::today();
    for org in [t.province, t.ward_a, t.cell_a1] {
        let s = copy.within(&admin());
        assert_eq!(format!("{:?}", s.dashboard(org, today).await.unwrap()), format!("{:?}", s.dashboard_recount(org, today).await.unwrap()));
    }
    copy.close().await.unwrap();
    let _ = std::fs::remove_file(&file);
    db.cleanup().await;
}
