//! `chibo stats ORG --on D --json` prints the dashboard the store computes for the same node and
//! day: a generated commune, a few organizations and dates drawn at random (fixed seed), on
//! SQLite and PostgreSQL.

use chibo_domain::calendar::format_date;
use chibo_domain::member::Gender;
use chibo_store::stats::Dashboard;
use chibo_store::testing::{self, TestDb};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::process::Command;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

fn stats(db: &TestDb, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).arg("stats").args(args).args(["--database-url", &db.url()]).env("CHIBO_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the JSON must say, read from the dashboard with its own methods.
fn expected(d: &Dashboard) -> Vec<(&'static str, Value)> {
    let pyramid: Vec<Value> = d.age_pyramid().into_iter().map(|(m, f)| json!([m, f])).collect();
    vec![
        ("code", json!(d.code)),
        ("name", json!(d.name)),
        ("as_of", json!(format_date(d.as_of))),
        ("members", json!(d.members())),
        ("official", json!(d.official())),
        ("probationary", json!(d.probationary())),
        ("in_transit", json!(d.in_transit())),
        ("men", json!(d.gender(Gender::Male))),
        ("women", json!(d.gender(Gender::Female))),
        ("direct_children", json!(d.direct_children)),
        ("grassroots_orgs", json!(d.rollup().grassroots_orgs)),
        ("cells_under_grassroots", json!(d.rollup().cells_under_grassroots)),
        ("small_cells", json!(d.small_cells())),
        ("age_pyramid", json!(pyramid)),
        ("party_age", json!(d.party_age())),
        ("party_age_at_least", json!([d.party_age_at_least(30), d.party_age_at_least(40), d.party_age_at_least(50)])),
        ("ethnicity", json!(d.breakdown("ethnicity"))),
        ("religion", json!(d.breakdown("religion"))),
        ("education", json!(d.breakdown("education"))),
        ("theory", json!(d.breakdown("theory"))),
        ("flows", json!([d.flows.admitted, d.flows.exited, d.flows.transferred_in, d.flows.transferred_out])),
        (
            "orgs_by_kind",
            json!(d.orgs_by_kind().into_iter().map(|(k, n)| (k.code(), n)).collect::<std::collections::BTreeMap<_, _>>().into_iter().collect::<Vec<_>>()),
        ),
        (
            "orgs_by_category",
            json!(d.orgs_by_category().into_iter().map(|(c, n)| (c.code(), n)).collect::<std::collections::BTreeMap<_, _>>().into_iter().collect::<Vec<_>>()),
        ),
        ("tally", serde_json::to_value(&d.tally).unwrap()),
    ]
}

/// The same keys from the printed JSON, in the shapes of [`expected`].
fn printed(v: &Value) -> Vec<(&'static str, Value)> {
    let pairs = |key: &str, n: &str| -> Value { v[key].as_array().unwrap().iter().map(|x| json!([x["code"], x[n]])).collect() };
    let map = |key: &str| -> Value { v[key].as_object().unwrap().iter().map(|(k, n)| json!([k, n])).collect() };
    vec![
        ("code", v["code"].clone()),
        ("name", v["name"].clone()),
        ("as_of", v["as_of"].clone()),
        ("members", v["members"].clone()),
        ("official", v["official"].clone()),
        ("probationary", v["probationary"].clone()),
        ("in_transit", v["in_transit"].clone()),
        ("men", v["men"].clone()),
        ("women", v["women"].clone()),
        ("direct_children", v["direct_children"].clone()),
        ("grassroots_orgs", v["grassroots_orgs"].clone()),
        ("cells_under_grassroots", v["cells_under_grassroots"].clone()),
        ("small_cells", v["small_cells"].clone()),
        ("age_pyramid", v["age_pyramid"].as_array().unwrap().iter().map(|b| json!([b["men"], b["women"]])).collect()),
        ("party_age", v["party_age"].as_array().unwrap().iter().map(|b| b["members"].clone()).collect()),
        ("party_age_at_least", json!([v["party_age_at_least"]["30"], v["party_age_at_least"]["40"], v["party_age_at_least"]["50"]])),
        ("ethnicity", pairs("ethnicity", "members")),
        ("religion", pairs("religion", "members")),
        ("education", pairs("education", "members")),
        ("theory", pairs("theory", "members")),
        ("flows", json!([v["flows"]["admitted"], v["flows"]["exited"], v["flows"]["transferred_in"], v["flows"]["transferred_out"]])),
        ("orgs_by_kind", map("orgs_by_kind")),
        ("orgs_by_category", map("orgs_by_category")),
        ("tally", v["tally"].clone()),
    ]
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
        let v = stats(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
        for ((k, want), (_, got)) in expected(&d).into_iter().zip(printed(&v)) {
            assert_eq!(got, want, "{k} of {} on {}", node.code, format_date(on));
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
