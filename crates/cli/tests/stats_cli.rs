//! `chibo stats ORG --on D --json` prints the figures of the dashboard the store computes for the
//! same node and day (the API's object), and without `--json` the same figures as text: a
//! generated commune, a few organizations and dates drawn at random (fixed seed), on SQLite and
//! PostgreSQL.

use chibo_domain::calendar::format_date;
use chibo_domain::stats::Figures;
use chibo_store::testing::{self, TestDb};
use chrono::NaiveDate;
use serde_json::Value;
use std::process::Command;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

fn run(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).arg("stats").args(args).args(["--database-url", &db.url()]).env("CHIBO_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn stats(db: &TestDb, args: &[&str]) -> Value {
    serde_json::from_str(&run(db, args)).unwrap()
}

async fn check(db: TestDb) {
    chibo_gen::load_scale(&db.store, chibo_gen::Scale::Commune, 7, |_, _| {}).await.unwrap();
    let s = db.store.operator("test");
    let mut nodes = Vec::new();
    for root in db.store.root_orgs().await.unwrap() {
        nodes.extend(s.subtree(root, today(), None).await.unwrap());
    }
    assert!(nodes.len() > 50, "a commune has many organizations");
    // A small linear congruential generator: random but repeatable picks.
    let mut seed: u64 = 20_250_701;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let mut picks: Vec<usize> = (0..4).map(|_| next(nodes.len())).collect();
    picks.push(nodes.iter().position(|n| n.path.depth() == nodes[0].path.depth() + 2).unwrap_or(0));
    let dates = [today(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), today() - chrono::Days::new(400)];
    let (mut compared, mut populated) = (0, 0);
    for (i, pick) in picks.into_iter().enumerate() {
        let node = &nodes[pick];
        let on = dates[(i + next(3)) % dates.len()];
        let Ok(d) = s.dashboard(node.id, on).await else { continue };
        // By code, and by the --org form with the old --as-of name of the date option.
        let args = if i % 2 == 0 {
            vec![node.code.clone(), "--on".into(), format_date(on), "--json".into()]
        } else {
            vec!["--org".into(), node.code.clone(), "--as-of".into(), format_date(on), "--json".into()]
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let v = stats(&db, &args);
        let want = serde_json::to_value(Figures::of(&d)).unwrap();
        assert_eq!(v, want, "{} on {}", node.code, format_date(on));
        // The text lists the same sections and figures, in Vietnamese.
        let text = run(&db, &args[..args.len() - 1]);
        let f = Figures::of(&d);
        for section in &f.sections {
            assert!(text.contains(&format!("\n{}\n", section.label_vi)), "{} in {text}", section.label_vi);
        }
        let mut lines = text.lines();
        for g in f.figures() {
            let line =
                lines.by_ref().find(|l| l.starts_with("  ") && l.trim_start().starts_with(&g.label_vi)).unwrap_or_else(|| panic!("{} in {text}", g.label_vi));
            assert!(
                line[line.find(&g.label_vi).unwrap() + g.label_vi.len()..].split_whitespace().next() == Some(&g.value.to_string()),
                "{line} says {}",
                g.value
            );
        }
        compared += 1;
        populated += usize::from(d.members() > 0);
    }
    assert!(compared >= 3, "only {compared} organizations existed on their dates");
    assert!(populated >= 2, "only {populated} of the dashboards compared had members");
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_json_is_the_dashboard_sqlite() {
    check(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_json_is_the_dashboard_postgres() {
    let Some(db) = testing::postgres().await else { return };
    check(db).await;
}
