//! One model of figures, rendered everywhere: for a generated commune, on a few organizations
//! and dates, the API's dashboard, `chibo stats --json`, the statistics page, the dashboard's
//! export (the page's and `chibo export --dashboard`) and the home page's cards show the same
//! figures, by the same keys, with the same values. On SQLite and PostgreSQL.

mod common;

use chibo_domain::calendar::format_date;
use chibo_store::testing::{self, TestDb};
use chrono::NaiveDate;
use common::{Served, chibo, figures, href, shown};
use serde_json::Value;

fn today() -> NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// (key, value, share) of the rows of a dashboard export in CSV.
fn exported(csv: &str) -> Vec<(String, i64, Option<f64>)> {
    let lines: Vec<&str> = csv.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("Mã chỉ tiêu,Chỉ tiêu,Số lượng,Tỷ lệ (%)")).unwrap_or_else(|| panic!("no header in {csv}"));
    let mut out = Vec::new();
    for line in &lines[header + 1..] {
        // key,label,value,share: the label may be quoted with commas in it, the others never.
        let mut back = line.rsplitn(3, ',');
        let (share, value, rest) = (back.next().unwrap_or(""), back.next(), back.next());
        // A section heading is a row of one cell.
        let (Some(value), Some(rest)) = (value, rest) else { continue };
        let Ok(value) = value.parse::<i64>() else { continue };
        let share = (!share.is_empty()).then(|| share.parse::<f64>().unwrap());
        out.push((rest.split(',').next().unwrap().to_owned(), value, share));
    }
    out
}

async fn check(db: TestDb) {
    chibo_gen::load_scale(&db.store, chibo_gen::Scale::Commune, 11, |_, _| {}).await.unwrap();
    let s = db.store.operator("test");
    let served = Served::start(&db).await;
    let get = async |url: String| served.page(&url).await;

    let root = db.store.root_orgs().await.unwrap()[0];
    let nodes = s.subtree(root, today(), None).await.unwrap();
    let deep = nodes.iter().find(|n| n.path.depth() == nodes[0].path.depth() + 2).unwrap();
    let mut populated = 0;
    for (org, code, on) in [(root, nodes[0].code.clone(), today()), (deep.id, deep.code.clone(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())] {
        let api: Value = served.api(&format!("/orgs/{org}/dashboard?as_of={on}")).await;
        let all = figures(&api);
        assert!(all.len() > 40, "a commune's dashboard has many figures: {all:?}");
        populated += usize::from(all[0].1 > 0);

        // `chibo stats --json` prints the API's object.
        let cli: Value = serde_json::from_str(&chibo(&db, &["stats", &code, "--on", &format_date(on), "--json"])).unwrap();
        assert_eq!(cli, api, "chibo stats --json of {code} on {on}");

        // The page shows every figure behind its list with the same value: cards always,
        // bars and the pyramid's sides where they count someone (an age band's total is the
        // sum of its two sides, which the pyramid shows).
        let page = shown(&get(format!("/orgs/{org}/stats?on={}", format_date(on))).await);
        for section in api["sections"].as_array().unwrap() {
            let cards = ["key", "flows", "small_cells"].contains(&section["key"].as_str().unwrap());
            for f in section["figures"].as_array().unwrap() {
                let (key, value) = (f["key"].as_str().unwrap(), f["value"].as_i64().unwrap());
                let band_total = key.starts_with("members.by_age.") && !key.ends_with("male");
                match page.get(&href(org, f)) {
                    Some(v) => assert_eq!(*v, value, "{key} of {code} on the page"),
                    None => assert!(!cards && (value == 0 || band_total), "{key} ({value}) of {code} is not on the page"),
                }
            }
        }

        // The exports: one row per figure, the same keys, values and shares.
        let csv = get(format!("/export/dashboard?org={org}&on={}&format=csv", format_date(on))).await;
        assert_eq!(exported(&csv), all, "the page's export of {code}");
        let file = std::env::temp_dir().join(format!("chibo-figures-{}-{org}.csv", std::process::id()));
        chibo(&db, &["export", "--org", &code, "--dashboard", "--on", &format_date(on), "--out", file.to_str().unwrap()]);
        let written = std::fs::read_to_string(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(exported(&written), all, "chibo export --dashboard of {code}");

        // The home page's cards are figures of today's dashboard of the root.
        if on == today() {
            let home = shown(&get("/".to_owned()).await);
            let by_key = |k: &str| api["sections"][0]["figures"].as_array().unwrap().iter().find(|f| f["key"] == k).unwrap().clone();
            for key in [
                "members.total",
                "members.official",
                "members.probationary",
                "members.women",
                "members.in_transit",
                "orgs.grassroots",
                "orgs.cells_under_grassroots",
            ] {
                let f = by_key(key);
                assert_eq!(home.get(&href(org, &f)), f["value"].as_i64().as_ref(), "{key} on the home page");
            }
        }
    }
    assert!(populated >= 1, "the dashboards compared had members");
    served.stop();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_are_the_same_everywhere_sqlite() {
    check(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_are_the_same_everywhere_postgres() {
    let Some(db) = testing::postgres().await else { return };
    check(db).await;
}
