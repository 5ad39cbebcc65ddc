//! Killing `chibo import` in the middle of a 100,000-row commit leaves no partial import: no
//! member, no import record, no audit entry. On SQLite (a file) and PostgreSQL.

use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_store::audit::AuditFilter;
use chibo_store::member::MemberFilter;
use chibo_store::org::NewOrg;
use chibo_store::testing::{self, TestDb};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;
const CELLS: usize = 20;

async fn setup(db: &TestDb) -> i64 {
    let s = db.store.operator("test");
    let on = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let org = |code: String, kind, parent| NewOrg {
        name: format!("Tổ chức {code}"),
        code,
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let p = s.create_org(org("K".into(), OrgKind::Province, None)).await.unwrap().id;
    let w = s.create_org(org("K.W".into(), OrgKind::GrassrootsCommittee, Some(p))).await.unwrap().id;
    for i in 1..=CELLS {
        s.create_org(org(format!("K.W.{i}"), OrgKind::Cell, Some(w))).await.unwrap();
    }
    w
}

fn big_csv() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("chibo_kill_{}_{}.csv", std::process::id(), Instant::now().elapsed().as_nanos()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã chi bộ,Ngày vào Đảng").unwrap();
    for i in 0..ROWS {
        writeln!(f, "Nguyễn Văn Số {i},Nam,{:02}/{:02}/{},{:012},K.W.{},01/01/2010", i % 28 + 1, i % 12 + 1, 1950 + i % 40, 5_000_000 + i, i % CELLS + 1)
            .unwrap();
    }
    f.flush().unwrap();
    path
}

async fn killed_mid_commit(db: TestDb) {
    let ward = setup(&db).await;
    let file = big_csv();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(["import", file.to_str().unwrap(), "--org", "K.W", "--database-url", &db.url()])
        .env("CHIBO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = Vec::new();
    loop {
        let line = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).unwrap_or_else(|_| panic!("no commit start; stderr: {seen:?}"));
        if line.contains("Bắt đầu ghi") {
            break;
        }
        seen.push(line);
    }
    // Inside the transaction now: let it write some batches, then kill it.
    std::thread::sleep(Duration::from_millis(400));
    assert!(child.try_wait().unwrap().is_none(), "the import finished before it could be killed");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_file(&file);

    // A fresh connection sees nothing of the import.
    let store = chibo_store::Store::open(&chibo_store::StoreConfig::new(db.url())).await.unwrap();
    let s = store.operator("test");
    let filter = MemberFilter { statuses: chibo_domain::member::MemberStatus::ALL.to_vec(), ..Default::default() };
    assert_eq!(s.list_members(ward, &filter, 0, 1).await.unwrap().total, 0);
    assert!(s.imports(ward).await.unwrap().is_empty());
    let log = s.audit_log(&AuditFilter { entity: Some("member_import".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert!(log.is_empty());
    store.close().await.unwrap();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_sqlite_import_leaves_nothing() {
    killed_mid_commit(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_postgres_import_leaves_nothing() {
    let Some(db) = testing::postgres().await else { return };
    killed_mid_commit(db).await;
}
