//! `chibo bench-stats`: how fast the figures, the search and a page of the member list come
//! back on a generated data set, on SQLite and PostgreSQL, against the plain SQL aggregate.

use anyhow::{Result, anyhow};
use chibo_gen::Scale;
use chibo_store::member::MemberFilter;
use chibo_store::{Store, StoreConfig};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

/// One engine's data set to measure.
pub struct Target {
    /// Connection URL.
    pub url: String,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(crate) fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Builds the data set if the database is empty, then measures; prints a Markdown table.
pub async fn run(targets: &[Target], scale: Scale, samples: usize, baseline_runs: usize, rebuild: bool) -> Result<()> {
    println!("| engine | what | scale | p50 ms | p95 ms | runs |");
    println!("|---|---|---|---:|---:|---:|");
    for t in targets {
        let store = Store::open(&StoreConfig { url: t.url.clone(), max_connections: 4 }).await?;
        if store.is_empty().await? {
            let started = Instant::now();
            eprintln!("{}: sinh dữ liệu ({scale:?})…", store.backend().name());
            chibo_gen::load_scale(&store, scale, 1, |_, _| {}).await?;
            store.analyze().await?;
            eprintln!("{}: sinh xong trong {:.0} giây", store.backend().name(), started.elapsed().as_secs_f64());
        } else if rebuild {
            let started = Instant::now();
            let mut last = String::new();
            let r = store
                .rebuild_stats(&mut |phase, n| {
                    if phase != last || std::env::var("CHIBO_BENCH_VERBOSE").is_ok() {
                        eprintln!("  … {phase}: {n} ({:.1} giây)", started.elapsed().as_secs_f64());
                        last = phase.to_owned();
                    }
                })
                .await?;
            store.analyze().await?;
            eprintln!(
                "{}: {} sự kiện thống kê, {} mốc, dựng lại trong {:.0} giây",
                store.backend().name(),
                r.facts,
                r.written,
                started.elapsed().as_secs_f64()
            );
        }
        store.refresh_checkpoints(store.today()).await?;
        measure(&store, samples, baseline_runs).await?;
    }
    Ok(())
}

async fn measure(store: &Store, samples: usize, baseline_runs: usize) -> Result<()> {
    let s = store.operator("bench");
    let engine = store.backend().name();
    let roots = store.root_orgs().await?;
    let root = *roots.first().ok_or_else(|| anyhow!("không có tổ chức nào"))?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let past = NaiveDate::from_ymd_opt(2021, 11, 2).unwrap_or_default();
    // Nodes per level of the tree on a date (depths count the root as 1).
    let mut levels_on = async |on: NaiveDate| -> Result<Vec<(&'static str, Vec<i64>)>> {
        let tree = s.subtree(root, on, Some(2)).await?;
        let depth = |d: usize| tree.iter().filter(|n| n.path.depth() == d).map(|n| n.id).collect::<Vec<_>>();
        let (provinces, communes) = (depth(2), depth(3));
        let mut cells = Vec::new();
        for _ in 0..20 {
            if communes.is_empty() {
                break;
            }
            let c = communes[rng.random_range(0..communes.len())];
            cells.extend(s.subtree(c, on, None).await?.iter().filter(|n| chibo_domain::stats::is_cell(n.kind)).map(|n| n.id));
        }
        Ok(vec![("nation", vec![root]), ("province", provinces), ("commune", communes), ("cell", cells)])
    };
    let levels = levels_on(store.today()).await?;
    let past_levels = levels_on(past).await?;
    // Levels that did not exist in 2021 (the communes since 1/7/2025): a day after the reform.
    let past_after_reform = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
    let past_levels_after = levels_on(past_after_reform).await?;
    let provinces = levels[1].1.clone();
    let communes = levels[2].1.clone();
    for (i, (label, today_nodes)) in levels.iter().enumerate() {
        for (when, date) in [("today", None), ("past", Some(past))] {
            let (nodes, date) = match date {
                None => (today_nodes, None),
                Some(_) if past_levels[i].1.is_empty() => (&past_levels_after[i].1, Some(past_after_reform)),
                Some(d) => (&past_levels[i].1, Some(d)),
            };
            let when = match date {
                Some(d) if d == past_after_reform => "past, 2025–2026",
                Some(_) => "past, 2020–2021",
                None => when,
            };
            if nodes.is_empty() {
                continue;
            }
            let mut times = Vec::new();
            for _ in 0..samples {
                let node = nodes[rng.random_range(0..nodes.len())];
                // A random day of the half year before the past day (the tree then) when "past".
                let on = date.map(|d| d - chrono::Days::new(rng.random_range(0..180))).unwrap_or_else(|| store.today());
                let t = Instant::now();
                match s.dashboard(node, on).await {
                    Ok(_) => times.push(ms(t.elapsed())),
                    Err(chibo_store::StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            let n = times.len();
            println!("| {engine} | dashboard ({when}) | {label} | {:.1} | {:.1} | {n} |", percentile(&mut times.clone(), 0.5), percentile(&mut times, 0.95));
        }
    }
    // Scoped, diacritic-insensitive search in a province; one page of a commune's list.
    let words = ["nguyen van", "tran thi", "le minh", "pham thu", "hoang duc", "vu thanh"];
    let mut search = Vec::new();
    let mut one_after_other = Vec::new();
    let mut page = Vec::new();
    for i in 0..samples {
        let scope_node = provinces.get(rng.random_range(0..provinces.len().max(1))).copied().unwrap_or(root);
        let f = MemberFilter { query: Some(words[i % words.len()].into()), ..Default::default() };
        let t = Instant::now();
        let listed = s.list_members(scope_node, &f, 0, 25).await?;
        search.push(ms(t.elapsed()));
        // Baseline: the same total and page, one after the other (as before they ran at once).
        let t = Instant::now();
        let total = s.count_members(scope_node, &f).await?;
        let rows = s.members_after(scope_node, &f, None, 25).await?;
        one_after_other.push(ms(t.elapsed()));
        if (total, rows.len()) != (listed.total, listed.items.len()) {
            return Err(anyhow!("tìm kiếm: hai cách đếm khác nhau"));
        }
        let commune = communes.get(rng.random_range(0..communes.len().max(1))).copied().unwrap_or(root);
        let t = Instant::now();
        s.members_after(commune, &MemberFilter::default(), None, 25).await?;
        page.push(ms(t.elapsed()));
    }
    let n = search.len();
    println!(
        "| {engine} | search «nguyen van» (25 rows) | province | {:.1} | {:.1} | {n} |",
        percentile(&mut search.clone(), 0.5),
        percentile(&mut search, 0.95)
    );
    println!(
        "| {engine} | the same search, total then page one after the other (baseline) | province | {:.1} | {:.1} | {n} |",
        percentile(&mut one_after_other.clone(), 0.5),
        percentile(&mut one_after_other, 0.95)
    );
    println!(
        "| {engine} | member list page, Vietnamese order (25 rows) | commune | {:.1} | {:.1} | {n} |",
        percentile(&mut page.clone(), 0.5),
        percentile(&mut page, 0.95)
    );
    // The nhất thể hoá figure is in every dashboard above (a sum of committee facts); here the
    // list behind it, its first page as the figure's link opens it, and its share counted
    // again from the committee tables (the path the figure took before its facts). The
    // nation's list is left out, as the meetings' below: it walks every organization span of
    // the country (more than 30 minutes for three samples at national scale).
    for (label, nodes) in levels.iter().take(2).filter(|(label, _)| *label != "nation") {
        let (mut list, mut share) = (Vec::new(), Vec::new());
        let heads = chibo_store::stats::OrgFilter { committee: Some(chibo_store::committee::CommitteeList::VillageHead), ..Default::default() };
        for _ in 0..baseline_runs.max(1) * 3 {
            let node = nodes[rng.random_range(0..nodes.len())];
            let t = Instant::now();
            let page = s.counted_orgs(node, store.today(), heads, 0, 25).await?;
            list.push(ms(t.elapsed()));
            let figure = s.dashboard(node, store.today()).await?.committees.secretary_village_heads;
            let t = Instant::now();
            let (counted, _) = s.committee_share(node, store.today(), chibo_store::committee::CommitteeList::VillageHead).await?;
            share.push(ms(t.elapsed()));
            if (page.total, counted.count as i64) != (figure, figure) {
                return Err(anyhow!("nhất thể hoá: danh sách {} và đếm lại {} khác số liệu {figure}", page.total, counted.count));
            }
        }
        let n = list.len();
        println!(
            "| {engine} | list behind «bí thư kiêm trưởng thôn», first 25 rows and total | {label} | {:.1} | {:.1} | {n} |",
            percentile(&mut list.clone(), 0.5),
            percentile(&mut list, 0.95)
        );
        println!(
            "| {engine} | the same share counted again from the committee tables (baseline) | {label} | {:.1} | {:.1} | {n} |",
            percentile(&mut share.clone(), 0.5),
            percentile(&mut share, 0.95)
        );
    }
    // Meetings: the figures of a day of last month are in every dashboard (sums of meeting
    // facts); here those dashboards, the list behind «đã sinh hoạt thường kỳ tháng», and the
    // meeting figures counted again from the meeting tables (the baseline). The nation's list
    // is left out: it walks every cell of the country.
    let (meetings, attendance) = s.meeting_volume().await?;
    eprintln!("{engine}: {meetings} cuộc họp, {attendance} lượt điểm danh");
    let last_month = store.today().with_day(1).unwrap_or_default() - chrono::Days::new(1);
    for (label, nodes) in &levels {
        if nodes.is_empty() {
            continue;
        }
        let (mut dash, mut list, mut recount) = (Vec::new(), Vec::new(), Vec::new());
        let held = chibo_store::stats::OrgFilter { meeting: Some(chibo_domain::meeting::MeetingFigure::HeldMonth), ..Default::default() };
        for i in 0..samples {
            let node = nodes[rng.random_range(0..nodes.len())];
            let on = last_month - chrono::Days::new(rng.random_range(0..28));
            let t = Instant::now();
            let d = s.dashboard(node, on).await?;
            dash.push(ms(t.elapsed()));
            if i >= baseline_runs.max(1) * 3 {
                continue;
            }
            let figure = d.tally.get(&chibo_domain::meeting::MeetingFigure::HeldMonth.key());
            if *label != "nation" {
                let t = Instant::now();
                let page = s.counted_orgs(node, on, held, 0, 25).await?;
                list.push(ms(t.elapsed()));
                if page.total != figure {
                    return Err(anyhow!("sinh hoạt chi bộ: danh sách {} khác số liệu {figure}", page.total));
                }
            }
            let t = Instant::now();
            let again = s.meeting_recount(node, on).await?;
            recount.push(ms(t.elapsed()));
            if again.iter().any(|(f, n)| d.tally.get(&f.key()) != *n) {
                return Err(anyhow!("sinh hoạt chi bộ: đếm lại khác số liệu ở {label}"));
            }
        }
        let row = |what: &str, v: &mut Vec<f64>| {
            let n = v.len();
            if n > 0 {
                println!("| {engine} | {what} | {label} | {:.1} | {:.1} | {n} |", percentile(&mut v.clone(), 0.5), percentile(v, 0.95));
            }
        };
        row(&format!("dashboard with the meeting figures, a day of last month ({meetings} meetings, {attendance} attendances)"), &mut dash);
        row("list behind «đã sinh hoạt thường kỳ tháng», first 25 rows and total", &mut list);
        row("the meeting figures counted again from the meeting tables (baseline)", &mut recount);
    }
    // The plain SQL aggregate over the spans, on the same nodes: the baseline.
    for (label, nodes) in &levels {
        if nodes.is_empty() {
            continue;
        }
        let mut slow = Vec::new();
        let mut fast = Vec::new();
        for _ in 0..baseline_runs {
            let node = nodes[rng.random_range(0..nodes.len())];
            let t = Instant::now();
            let a = s.dashboard_recount(node, store.today()).await?;
            slow.push(ms(t.elapsed()));
            let t = Instant::now();
            let b = s.dashboard(node, store.today()).await?;
            fast.push(ms(t.elapsed()));
            if a != b {
                return Err(anyhow!("số liệu nhanh khác số liệu đếm lại ở {} ({label})", a.name));
            }
        }
        let (sm, fm) = (percentile(&mut slow, 0.5), percentile(&mut fast, 0.5));
        println!("| {engine} | plain SQL aggregate (today), ratio ×{:.0} | {label} | {sm:.1} | – | {} |", sm / fm.max(0.001), slow.len());
    }
    Ok(())
}
