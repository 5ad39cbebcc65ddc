//! Synthetic data at the size of a cell, a commune, a province or the whole nation: the 34
//! real provincial committees and 3,321 real commune-level committees (since 1/7/2025), with
//! grassroots organizations, cells and members at national averages (≈52,000 grassroots
//! organizations, ≈350,000 cells, 5.6 million members for the nation).

use crate::people::{CccdAllocator, MemberSpec, PlaceContext, member, split};
use crate::places::{self, CommuneKind, Province};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind, OrgPath};
use chibo_store::bulk::{LoadCounts, OrgRow};
use chibo_store::{Result, Store};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One cell of about 25 members under one commune (for quick tests).
    Cell,
    /// One commune-level committee with its grassroots organizations (≈1,700 members).
    Commune,
    /// One province (Quảng Ninh's real communes) at national averages (≈90,000 members).
    Province,
    /// All 34 provinces and 3,321 communes (≈5.6 million members).
    Nation,
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "cell" => Ok(Scale::Cell),
            "commune" => Ok(Scale::Commune),
            "province" => Ok(Scale::Province),
            "nation" => Ok(Scale::Nation),
            other => Err(format!("quy mô «{other}» không có; chọn cell, commune, province hoặc nation")),
        }
    }
}

/// National totals the generator aims at (DOMAIN.md: 2026 figures).
const NATION_GRASSROOTS: u64 = 52_000;
const NATION_CELLS: u64 = 350_000;
const NATION_MEMBERS: u64 = 5_600_000;
const NATION_COMMUNES: u64 = 3_321;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A commune to fill, with its share of the totals.
struct CommunePlan {
    province: usize,
    commune: usize,
    grassroots: u64,
    cells: u64,
    members: u64,
}

/// Loads generated data into an empty database; calls `progress` with members written so far.
pub async fn load_scale(store: &Store, scale: Scale, seed: u64, mut progress: impl FnMut(u64, u64)) -> Result<LoadCounts> {
    let provinces = places::provinces();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let chosen: Vec<(usize, Vec<usize>)> = match scale {
        Scale::Nation => provinces.iter().enumerate().map(|(i, p)| (i, (0..p.communes.len()).collect())).collect(),
        Scale::Province => {
            let i = provinces.iter().position(|p| p.short_name() == "Quảng Ninh").unwrap_or(0);
            vec![(i, (0..provinces[i].communes.len()).collect())]
        }
        Scale::Commune | Scale::Cell => vec![(0, vec![0])],
    };
    let n_communes: u64 = chosen.iter().map(|(_, c)| c.len() as u64).sum();
    let (grassroots, cells, members) = match scale {
        Scale::Cell => (1, 1, 25),
        _ => (NATION_GRASSROOTS * n_communes / NATION_COMMUNES, NATION_CELLS * n_communes / NATION_COMMUNES, NATION_MEMBERS * n_communes / NATION_COMMUNES),
    };
    let g = split(&mut rng, grassroots, n_communes as usize, 3);
    let c = split(&mut rng, cells, n_communes as usize, 4);
    let m = split(&mut rng, members, n_communes as usize, 40);
    let mut plans = Vec::new();
    let mut k = 0;
    for (p, communes) in &chosen {
        for &ci in communes {
            plans.push(CommunePlan { province: *p, commune: ci, grassroots: g[k], cells: c[k].max(g[k].min(1)), members: m[k] });
            k += 1;
        }
    }
    if scale == Scale::Cell {
        plans[0].grassroots = 1;
        plans[0].cells = 1;
        plans[0].members = 25;
    }

    let mut orgs: Vec<OrgRow> = Vec::new();
    let mut next_org: OrgId = 1;
    let mut org = |orgs: &mut Vec<OrgRow>, code: String, name: String, kind, category, parent: Option<(&OrgPath, OrgId)>, founded_on| {
        let id = next_org;
        next_org += 1;
        let path = parent.map(|(p, _)| p.child(id)).unwrap_or_else(|| OrgPath::root(id));
        orgs.push(OrgRow { id, code, name, kind, category, parent_id: parent.map(|p| p.1), path: path.clone(), founded_on, decision_no: None });
        (id, path)
    };
    let (root, root_path) = org(&mut orgs, "TW".into(), "Đảng Cộng sản Việt Nam".into(), OrgKind::Central, OrgCategory::Other, None, date(1930, 2, 3));
    // Member-holding organizations: (id, members, not_before, province index, commune index).
    let mut holders: Vec<Holder> = Vec::new();
    let mut province_ids: Vec<Option<(OrgId, OrgPath)>> = vec![None; provinces.len()];
    let reform = date(2025, 7, 1);
    // The organizations above the cells, by id.
    let mut uppers: std::collections::HashMap<OrgId, Upper> = std::collections::HashMap::new();
    let upper =
        |uppers: &mut std::collections::HashMap<OrgId, Upper>, id: OrgId, kind: OrgKind, category: OrgCategory, founded: NaiveDate, parent: Option<OrgId>| {
            uppers.insert(id, Upper { id, kind, category, founded, children: Vec::new() });
            if let Some(u) = parent.and_then(|p| uppers.get_mut(&p)) {
                u.children.push(id);
            }
        };
    for plan in &plans {
        let prov: &Province = &provinces[plan.province];
        let (pid, ppath) = match &province_ids[plan.province] {
            Some(x) => x.clone(),
            None => {
                let kind_word = if prov.is_city { "thành phố" } else { "tỉnh" };
                let x = org(
                    &mut orgs,
                    format!("{:02}", prov.code),
                    format!("Đảng bộ {kind_word} {}", prov.short_name()),
                    OrgKind::Province,
                    OrgCategory::Other,
                    Some((&root_path, root)),
                    date(1945, 8, 19),
                );
                province_ids[plan.province] = Some(x.clone());
                upper(&mut uppers, x.0, OrgKind::Province, OrgCategory::Other, date(1945, 8, 19), None);
                x
            }
        };
        let commune = &prov.communes[plan.commune];
        let word = match commune.kind {
            CommuneKind::Xa => "xã",
            CommuneKind::Phuong => "phường",
            CommuneKind::DacKhu => "đặc khu",
        };
        let ccode = format!("{:02}.{:05}", prov.code, commune.code);
        let (cid, cpath) = org(
            &mut orgs,
            ccode.clone(),
            format!("Đảng bộ {word} {}", commune.short_name()),
            OrgKind::UpperGrassroots,
            OrgCategory::Commune,
            Some((&ppath, pid)),
            reform,
        );
        upper(&mut uppers, cid, OrgKind::UpperGrassroots, OrgCategory::Commune, reform, Some(pid));
        let committees = ((plan.grassroots as f64) * 0.4).round().max(1.0) as u64;
        let committees = committees.min(plan.grassroots).min(plan.cells.max(1));
        let small = plan.grassroots - committees;
        let cells = split(&mut rng, plan.cells.max(committees), committees as usize, 1);
        let small_members: Vec<u64> = (0..small).map(|_| rng.random_range(8..30)).collect();
        let small_total: u64 = small_members.iter().sum();
        let cell_members = split(&mut rng, plan.members.saturating_sub(small_total).max(cells.iter().sum::<u64>() * 3), cells.iter().sum::<u64>() as usize, 3);
        let mut cm = cell_members.into_iter();
        let residential = if commune.kind == CommuneKind::Phuong { "tổ dân phố" } else { "thôn" };
        for (i, n_cells) in cells.iter().enumerate() {
            let founded = reform;
            let (gid, gpath) = org(
                &mut orgs,
                format!("{ccode}.{:03}", i + 1),
                format!(
                    "Đảng bộ {}",
                    ["Trường Trung học phổ thông số", "Công ty Cổ phần số", "Bệnh viện số", "Trung tâm Y tế số", "Cơ quan Đảng ủy số"][i % 5]
                )
                .replace("số", &format!("số {}", i + 1)),
                OrgKind::GrassrootsCommittee,
                [
                    OrgCategory::PublicService,
                    OrgCategory::PrivateEnterprise,
                    OrgCategory::PublicService,
                    OrgCategory::PublicService,
                    OrgCategory::Administration,
                ][i % 5],
                Some((&cpath, cid)),
                founded,
            );
            let category = [
                OrgCategory::PublicService,
                OrgCategory::PrivateEnterprise,
                OrgCategory::PublicService,
                OrgCategory::PublicService,
                OrgCategory::Administration,
            ][i % 5];
            upper(&mut uppers, gid, OrgKind::GrassrootsCommittee, category, founded, Some(cid));
            for j in 0..*n_cells {
                let (cell, _) = org(
                    &mut orgs,
                    format!("{ccode}.{:03}.{:03}", i + 1, j + 1),
                    format!("Chi bộ {} {}", ["phòng", "tổ", "khoa", "phân xưởng"][(j % 4) as usize], j + 1),
                    OrgKind::Cell,
                    OrgCategory::Other,
                    Some((&gpath, gid)),
                    founded,
                );
                if let Some(g) = uppers.get_mut(&gid) {
                    g.children.push(cell);
                }
                holders.push(Holder {
                    cell,
                    count: cm.next().unwrap_or(3),
                    since: founded,
                    province: plan.province,
                    kind: OrgKind::Cell,
                    category: OrgCategory::Other,
                    place: String::new(),
                    committee: Some(gid),
                    commune: cid,
                    province_org: pid,
                });
            }
        }
        for (k, count) in small_members.into_iter().enumerate() {
            let i = committees as usize + k;
            let (gid, _) = org(
                &mut orgs,
                format!("{ccode}.{:03}", i + 1),
                format!("Chi bộ {residential} {}", k + 1),
                OrgKind::GrassrootsCell,
                OrgCategory::Residential,
                Some((&cpath, cid)),
                reform,
            );
            if let Some(c) = uppers.get_mut(&cid) {
                c.children.push(gid);
            }
            let place = format!("{} {}, {word} {}", capitalize(residential), k + 1, commune.short_name());
            holders.push(Holder {
                cell: gid,
                count,
                since: reform,
                province: plan.province,
                kind: OrgKind::GrassrootsCell,
                category: OrgCategory::Residential,
                place,
                committee: None,
                commune: cid,
                province_org: pid,
            });
        }
    }
    // Provinces first: parents must precede children in the load.
    orgs.sort_by_key(|o| (o.path.depth(), o.id));
    let mut loader = store.bulk_loader("system:gen").await?;
    loader.add_orgs(&orgs).await?;
    drop(orgs);
    let total: u64 = holders.iter().map(|h| h.count).sum();
    let today = store.today();
    // Members were admitted in their places before the reorganization; the generated
    // organizations record the structure since 1/7/2025, so the members' cell membership
    // starts there too (registered from the earlier records).
    let mut cccd = CccdAllocator::default();
    let mut batch = Vec::with_capacity(20_000);
    let mut next_member: i64 = 1;
    let mut done = 0u64;
    let mut localities_cache: Option<(usize, Vec<String>)> = None;
    let book = store.rule_book().await?;
    let mut keys = crate::committee::Keys::default();
    let mut committees: Vec<chibo_store::bulk::CommitteeRow> = Vec::new();
    let mut cell_rows: Vec<chibo_store::bulk::MemberRow> = Vec::new();
    // A year of meetings of every cell (attendance only: the minutes are the demo's).
    let mut meeting_keys = crate::meeting::Keys::default();
    let mut meetings: Vec<chibo_store::bulk::MeetingRow> = Vec::new();
    let meetings_from = chibo_domain::calendar::sub_months(today.with_day(1).unwrap_or(today), 12);
    // Candidates of the committees above the cells (a few members of each cell), written when
    // the generator leaves a commune or a province (holders come commune by commune).
    let mut pools: std::collections::HashMap<OrgId, Vec<chibo_store::bulk::MemberRow>> = std::collections::HashMap::new();
    let mut current: Option<(OrgId, OrgId)> = None;
    let uppers_of = |keys: &mut crate::committee::Keys,
                     pools: &mut std::collections::HashMap<OrgId, Vec<chibo_store::bulk::MemberRow>>,
                     ids: Vec<OrgId>,
                     rng: &mut ChaCha8Rng| {
        let mut rows = Vec::new();
        for id in ids {
            let (Some(u), Some(pool)) = (uppers.get(&id), pools.remove(&id)) else { continue };
            // The province's congress in the autumn of 2025; the others' committees are
            // appointed on the day they were founded, except the grassroots committees'
            // first congresses a few weeks later.
            let (first, appointed) = match u.kind {
                OrgKind::Province => (date(2025, 10, 1) + chrono::Days::new(rng.random_range(0..30)), false),
                OrgKind::UpperGrassroots => (u.founded, true),
                _ => (u.founded + chrono::Days::new(rng.random_range(10..90)), false),
            };
            let org = crate::committee::Org {
                appointed_first: appointed,
                in_charge: &u.children,
                ..crate::committee::Org::new(u.id, u.kind, u.category, first, u.founded, "")
            };
            let refs: Vec<&chibo_store::bulk::MemberRow> = pool.iter().collect();
            rows.extend(crate::committee::committees(keys, &org, &refs, |_| true, &book, today));
        }
        rows
    };
    for Holder { cell, count, since: not_before, province: p, kind, category, place: place_name, committee: parent, commune, province_org } in holders {
        // Leaving a commune (or a province): its committees, from the grassroots up.
        if let Some((c, pv)) = current.filter(|(c, _)| *c != commune) {
            let mut ids: Vec<OrgId> = uppers.get(&c).map(|u| u.children.clone()).unwrap_or_default();
            ids.push(c);
            if pv != province_org {
                ids.push(pv);
            }
            committees.extend(uppers_of(&mut keys, &mut pools, ids, &mut rng));
        }
        current = Some((commune, province_org));
        if localities_cache.as_ref().is_none_or(|(lp, _)| *lp != p) {
            localities_cache = Some((p, provinces[p].communes.iter().map(|c| c.name.clone()).collect()));
        }
        let Some((_, localities)) = localities_cache.as_ref() else { continue };
        let place = PlaceContext { province_code: provinces[p].code, province_name: provinces[p].short_name(), localities };
        for _ in 0..count {
            let spec = MemberSpec {
                cell,
                previous_cell: None,
                admitted_before: today,
                probationary_at_reference: rng.random_bool(0.03),
                recognize_after: Some(today),
                not_before: date(1950, 1, 1),
                newcomer: false,
            };
            let mut row = member(&mut rng, next_member, &spec, &place, &mut cccd, today);
            registered_since(&mut row, not_before, cell, today);
            cell_rows.push(row);
            next_member += 1;
        }
        // The cell's committee since its first congress after the reorganization.
        let first_term = not_before + chrono::Days::new(rng.random_range(10..90));
        let org = crate::committee::Org::new(cell, kind, category, first_term, not_before, &place_name);
        let refs: Vec<&chibo_store::bulk::MemberRow> = cell_rows.iter().collect();
        committees.extend(crate::committee::committees(&mut keys, &org, &refs, |c| c == cell, &book, today));
        for (id, cap) in [(parent, 12), (Some(commune), 30), (Some(province_org), 45)] {
            let Some(pool) = id.map(|id| pools.entry(id).or_default()).filter(|p| p.len() < cap) else { continue };
            // The cell's secretary (its first member) aside; a province picks here and there.
            if cap < 45 || rng.random_bool(0.05) {
                pool.extend(cell_rows.iter().skip(1).take(2).cloned());
            }
        }
        let refs: Vec<&chibo_store::bulk::MemberRow> = cell_rows.iter().collect();
        let at = crate::meeting::Cell { id: cell, members: &refs, from: meetings_from.max(not_before), place: &place_name, in_charge: &[], minutes: false };
        meetings.extend(crate::meeting::meetings(&mut meeting_keys, &mut rng, &at, &book, today));
        batch.append(&mut cell_rows);
        if batch.len() >= 20_000 {
            loader.add_members(&batch).await?;
            loader.add_committees(&committees).await?;
            loader.add_meetings(&std::mem::take(&mut meetings), |d| book.at(d).meeting.clone()).await?;
            done += batch.len() as u64;
            batch.clear();
            committees.clear();
            progress(done, total);
        }
    }
    if let Some((c, pv)) = current {
        let mut ids: Vec<OrgId> = uppers.get(&c).map(|u| u.children.clone()).unwrap_or_default();
        ids.extend([c, pv]);
        committees.extend(uppers_of(&mut keys, &mut pools, ids, &mut rng));
    }
    loader.add_members(&batch).await?;
    loader.add_committees(&committees).await?;
    loader.add_meetings(&meetings, |d| book.at(d).meeting.clone()).await?;
    done += batch.len() as u64;
    progress(done, total);
    let counts = loader.finish().await?;
    store.analyze().await?;
    Ok(counts)
}

/// An organization that holds members, with what its members and committee need.
struct Holder {
    cell: OrgId,
    count: u64,
    since: NaiveDate,
    province: usize,
    kind: OrgKind,
    category: OrgCategory,
    place: String,
    /// The grassroots committee it is a cell of, if any.
    committee: Option<OrgId>,
    /// Its commune-level committee.
    commune: OrgId,
    /// Its province's committee.
    province_org: OrgId,
}

/// An organization above the cells whose committee the generator writes once its members
/// have been generated: its level, its first term and the organizations directly under it.
struct Upper {
    id: OrgId,
    kind: OrgKind,
    category: OrgCategory,
    founded: NaiveDate,
    children: Vec<OrgId>,
}

/// "thôn" → "Thôn".
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Members of generated data joined before 1/7/2025 in organizations the generator does not
/// model; their history in this instance starts with a registration from the earlier records
/// (their admission and recognition dates are kept on the member).
fn registered_since(row: &mut chibo_store::bulk::MemberRow, since: NaiveDate, cell: OrgId, today: NaiveDate) {
    use chibo_domain::member::{MemberChange, MemberEvent, MemberStatus, replay};
    if row.history.state.admitted_on.is_some_and(|a| a >= since) {
        // Admitted after the reorganization: the admission itself is in this instance.
        return;
    }
    let standing = if row.history.state.official_on.is_some_and(|d| d <= since) { MemberStatus::Official } else { MemberStatus::Probationary };
    let admitted = row.history.state.admitted_on;
    let official = row.history.state.official_on;
    let mut events = vec![(MemberEvent { on: since.max(admitted.unwrap_or(since)), change: MemberChange::Registered { cell, status: standing } }, None)];
    if standing == MemberStatus::Probationary
        && let Some(o) = official.filter(|o| *o <= today)
    {
        events.push((MemberEvent { on: o.max(events[0].0.on), change: MemberChange::MadeOfficial }, None));
    }
    let plain: Vec<_> = events.iter().map(|e| e.0.clone()).collect();
    if let Ok(mut h) = replay(row.profile.birth_date, &plain, today) {
        h.state.admitted_on = admitted;
        h.state.official_on = if h.state.status == MemberStatus::Official { official.or(h.state.official_on) } else { None };
        row.history = h;
        row.events = events;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_names_parse_and_unknown_ones_are_explained() {
        assert_eq!("nation".parse::<Scale>().unwrap(), Scale::Nation);
        assert!("town".parse::<Scale>().unwrap_err().contains("cell, commune, province"));
    }
}
