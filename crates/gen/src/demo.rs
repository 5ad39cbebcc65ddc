//! The demo: Quảng Ninh as the source articles describe it (November 2021), with the places
//! they name, and members whose totals match the published figures exactly.
//!
//! Seed 003: Đảng bộ tỉnh Quảng Ninh has 20 đảng bộ trực thuộc, 696 tổ chức cơ sở đảng, 4,971
//! chi bộ trực thuộc đảng bộ cơ sở and 104,700 members. Seed 000: TP Cẩm Phả has 51 chi, đảng
//! bộ trực thuộc, 366 chi bộ, 10,379 members; Chi bộ khu phố 3 of phường Cửa Ông has had
//! Nguyễn Văn Thành as secretary and head of the khu phố since 2017. Seed 002: TP Hạ Long has
//! 88 tổ chức cơ sở đảng and more than 16,000 members. Seed 003: Đảng bộ Than Quảng Ninh has 40
//! grassroots organizations (36 đảng bộ, 4 chi bộ) and nearly 19,000 members; xã Tân Bình
//! (huyện Đầm Hà) has 164 members in 14 cells, 9 of them rural.

use crate::people::{CccdAllocator, MemberSpec, PlaceContext, member, split};
use crate::places;
use chibo_domain::member::{MemberChange, MemberEvent, replay};
use chibo_domain::org::{OrgCategory, OrgChange, OrgId, OrgKind, OrgPath};
use chibo_store::bulk::{LoadCounts, MemberRow, OrgRow};
use chibo_store::{Result, Store};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

/// The date the demo's figures describe (seed 000's publication date).
pub fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 2).unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// One unit directly under the province and what it must add up to.
struct Unit {
    code: &'static str,
    name: &'static str,
    category: OrgCategory,
    grassroots: u64,
    committees: u64,
    cells: u64,
    members: u64,
    /// Communes and wards (named đảng bộ cơ sở with residential cells), in order.
    localities: &'static [&'static str],
    /// Named committees of agencies or enterprises.
    bodies: &'static [&'static str],
}

const CAM_PHA_WARDS: &[&str] = &[
    "phường Cửa Ông",
    "phường Mông Dương",
    "phường Cẩm Phú",
    "phường Cẩm Sơn",
    "phường Cẩm Tây",
    "phường Cẩm Đông",
    "phường Cẩm Thủy",
    "phường Cẩm Thạch",
    "phường Cẩm Thịnh",
    "phường Cẩm Trung",
    "phường Cẩm Bình",
    "phường Cẩm Thành",
    "phường Quang Hanh",
    "xã Cộng Hòa",
    "xã Dương Huy",
    "xã Cẩm Hải",
];
const HA_LONG_WARDS: &[&str] = &[
    "phường Bãi Cháy",
    "phường Hồng Gai",
    "phường Hồng Hà",
    "phường Hồng Hải",
    "phường Cao Thắng",
    "phường Cao Xanh",
    "phường Hà Khánh",
    "phường Hà Lầm",
    "phường Hà Trung",
    "phường Hà Phong",
    "phường Hà Tu",
    "phường Hùng Thắng",
    "phường Tuần Châu",
    "phường Việt Hưng",
    "phường Đại Yên",
    "phường Giếng Đáy",
    "phường Trần Hưng Đạo",
    "phường Yết Kiêu",
    "phường Bạch Đằng",
    "phường Hà Khẩu",
    "phường Hoành Bồ",
    "xã Thống Nhất",
    "xã Sơn Dương",
    "xã Lê Lợi",
    "xã Dân Chủ",
    "xã Quảng La",
    "xã Bằng Cả",
    "xã Tân Dân",
    "xã Vũ Oai",
    "xã Hòa Bình",
    "xã Đồng Lâm",
    "xã Đồng Sơn",
    "xã Kỳ Thượng",
];
const COAL_COMPANIES: &[&str] = &[
    "Công ty Than Hạ Long",
    "Công ty Than Mạo Khê",
    "Công ty Than Vàng Danh",
    "Công ty Than Nam Mẫu",
    "Công ty Than Uông Bí",
    "Công ty Than Hà Tu",
    "Công ty Than Núi Béo",
    "Công ty Than Cọc Sáu",
    "Công ty Than Cao Sơn",
    "Công ty Than Đèo Nai",
    "Công ty Than Mông Dương",
    "Công ty Than Khe Chàm",
    "Công ty Than Dương Huy",
    "Công ty Than Quang Hanh",
    "Công ty Than Thống Nhất",
    "Công ty Than Hà Lầm",
    "Công ty Than Hòn Gai",
    "Công ty Tuyển than Cửa Ông",
    "Công ty Tuyển than Hòn Gai",
    "Công ty Kho vận Đá Bạc",
    "Công ty Kho vận Hòn Gai",
    "Công ty Kho vận và Cảng Cẩm Phả",
    "Công ty Cơ khí Mạo Khê",
    "Công ty Chế biến than Quảng Ninh",
    "Công ty Than Hồng Thái",
    "Công ty Than Khe Sim",
    "Công ty Xây dựng mỏ hầm lò 1",
    "Công ty Xây dựng mỏ hầm lò 2",
    "Công ty Sàng tuyển và Cảng Cẩm Phả",
    "Công ty Địa chất mỏ",
    "Công ty Cơ điện Uông Bí",
    "Công ty Vận tải và Đưa đón thợ mỏ",
    "Trung tâm Cấp cứu mỏ",
    "Công ty Môi trường",
    "Trường Cao đẳng Than - Khoáng sản Việt Nam",
    "Công ty Than Tây Nam Đá Mài",
];
const COAL_CELLS: &[&str] =
    &["Văn phòng Đảng ủy Than Quảng Ninh", "Ban Quản lý dự án", "Công ty Thông tin viễn thông", "Viện Khoa học công nghệ mỏ - Chi nhánh Quảng Ninh"];

fn units() -> Vec<Unit> {
    use OrgCategory as C;
    // The three units the articles describe, then seventeen more whose totals make up the
    // province's published figures (696 − 179 grassroots, 4,971 − 1,626 cells, 104,700 −
    // 45,574 members).
    let mut v = vec![
        Unit {
            code: "HL",
            name: "Đảng bộ thành phố Hạ Long",
            category: C::Commune,
            grassroots: 88,
            committees: 50,
            cells: 640,
            members: 16_248,
            localities: HA_LONG_WARDS,
            bodies: &["Bệnh viện Bãi Cháy", "Công ty Du lịch Tuần Châu", "Cảng Cái Lân"],
        },
        Unit {
            code: "CP",
            name: "Đảng bộ thành phố Cẩm Phả",
            category: C::Commune,
            grassroots: 51,
            committees: 26,
            cells: 366,
            members: 10_379,
            localities: CAM_PHA_WARDS,
            bodies: &["Bệnh viện Đa khoa Cẩm Phả", "Cơ quan Thành ủy Cẩm Phả"],
        },
        Unit {
            code: "TQN",
            name: "Đảng bộ Than Quảng Ninh",
            category: C::StateEnterprise,
            grassroots: 40,
            committees: 36,
            cells: 620,
            members: 18_947,
            localities: &[],
            bodies: COAL_COMPANIES,
        },
    ];
    // (code, name, category, weight, localities)
    let rest: [(&str, &str, OrgCategory, u64, &'static [&'static str]); 17] = [
        (
            "UB",
            "Đảng bộ thành phố Uông Bí",
            C::Commune,
            12,
            &[
                "phường Quang Trung",
                "phường Trưng Vương",
                "phường Thanh Sơn",
                "phường Yên Thanh",
                "phường Bắc Sơn",
                "phường Nam Khê",
                "phường Vàng Danh",
                "phường Phương Đông",
                "phường Phương Nam",
                "xã Thượng Yên Công",
            ],
        ),
        (
            "MC",
            "Đảng bộ thành phố Móng Cái",
            C::Commune,
            10,
            &[
                "phường Ka Long",
                "phường Trần Phú",
                "phường Hòa Lạc",
                "phường Ninh Dương",
                "phường Hải Hòa",
                "phường Bình Ngọc",
                "phường Trà Cổ",
                "xã Hải Sơn",
                "xã Hải Đông",
                "xã Vạn Ninh",
            ],
        ),
        (
            "DT",
            "Đảng bộ thị xã Đông Triều",
            C::Commune,
            11,
            &[
                "phường Đông Triều",
                "phường Mạo Khê",
                "phường Đức Chính",
                "phường Kim Sơn",
                "phường Xuân Sơn",
                "phường Hưng Đạo",
                "xã An Sinh",
                "xã Bình Dương",
                "xã Tràng Lương",
                "xã Yên Đức",
            ],
        ),
        (
            "QY",
            "Đảng bộ thị xã Quảng Yên",
            C::Commune,
            11,
            &[
                "phường Quảng Yên",
                "phường Minh Thành",
                "phường Đông Mai",
                "phường Yên Giang",
                "phường Nam Hòa",
                "phường Phong Hải",
                "xã Sông Khoai",
                "xã Hiệp Hòa",
                "xã Liên Hòa",
                "xã Tiền An",
            ],
        ),
        (
            "VD",
            "Đảng bộ huyện Vân Đồn",
            C::Commune,
            5,
            &["thị trấn Cái Rồng", "xã Đông Xá", "xã Hạ Long", "xã Đài Xuyên", "xã Quan Lạn", "xã Minh Châu", "xã Vạn Yên", "xã Bình Dân"],
        ),
        ("CT", "Đảng bộ huyện Cô Tô", C::Commune, 2, &["thị trấn Cô Tô", "xã Đồng Tiến", "xã Thanh Lân"]),
        (
            "TY",
            "Đảng bộ huyện Tiên Yên",
            C::Commune,
            5,
            &["thị trấn Tiên Yên", "xã Đông Ngũ", "xã Đông Hải", "xã Hải Lạng", "xã Yên Than", "xã Phong Dụ", "xã Hà Lâu"],
        ),
        (
            "BL",
            "Đảng bộ huyện Bình Liêu",
            C::Commune,
            4,
            &["thị trấn Bình Liêu", "xã Hoành Mô", "xã Đồng Văn", "xã Lục Hồn", "xã Tình Húc", "xã Vô Ngại", "xã Húc Động"],
        ),
        (
            "DH",
            "Đảng bộ huyện Đầm Hà",
            C::Commune,
            5,
            &["xã Tân Bình", "thị trấn Đầm Hà", "xã Quảng Tân", "xã Dực Yên", "xã Quảng Lâm", "xã Đại Bình", "xã Quảng An"],
        ),
        (
            "HH",
            "Đảng bộ huyện Hải Hà",
            C::Commune,
            6,
            &["thị trấn Quảng Hà", "xã Quảng Long", "xã Quảng Thành", "xã Quảng Minh", "xã Đường Hoa", "xã Quảng Đức", "xã Cái Chiên"],
        ),
        ("BC", "Đảng bộ huyện Ba Chẽ", C::Commune, 3, &["thị trấn Ba Chẽ", "xã Đạp Thanh", "xã Thanh Sơn", "xã Lương Mông", "xã Nam Sơn"]),
        ("CQT", "Đảng bộ Khối các cơ quan tỉnh", C::Administration, 8, &[]),
        ("DNT", "Đảng bộ Khối doanh nghiệp tỉnh", C::StateEnterprise, 6, &[]),
        ("QST", "Đảng bộ Quân sự tỉnh", C::ArmedForces, 4, &[]),
        ("CAT", "Đảng bộ Công an tỉnh", C::ArmedForces, 5, &[]),
        ("BPT", "Đảng bộ Bộ đội Biên phòng tỉnh", C::ArmedForces, 3, &[]),
        ("HQT", "Đảng bộ Cục Hải quan tỉnh", C::Administration, 1, &[]),
    ];
    let (g_total, c_total, m_total) = (696u64, 4_971u64, 104_700u64);
    let g_rest = g_total - v.iter().map(|u| u.grassroots).sum::<u64>();
    let c_rest = c_total - v.iter().map(|u| u.cells).sum::<u64>();
    let m_rest = m_total - v.iter().map(|u| u.members).sum::<u64>();
    let weights: Vec<u64> = rest.iter().map(|r| r.3).collect();
    let g = proportional(g_rest, &weights);
    let c = proportional(c_rest, &weights);
    let m = proportional(m_rest, &weights);
    for (i, (code, name, category, _, localities)) in rest.into_iter().enumerate() {
        // About half of the grassroots organizations are committees with cells.
        let committees = (g[i] / 2).max(1).max(localities.len() as u64).min(g[i]);
        v.push(Unit { code, name, category, grassroots: g[i], committees, cells: c[i], members: m[i], localities, bodies: &[] });
    }
    v
}

/// Splits `total` in proportion to `weights`, exactly (largest remainder).
fn proportional(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut out: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut rema: Vec<(u64, usize)> = weights.iter().enumerate().map(|(i, w)| ((total * w) % sum, i)).collect();
    rema.sort_by(|a, b| b.cmp(a));
    let mut left = total - out.iter().sum::<u64>();
    for (_, i) in rema {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// Builds the organizations and members in memory-friendly batches and loads them.
struct Builder {
    rng: ChaCha8Rng,
    next_org: OrgId,
    next_member: i64,
    orgs: Vec<OrgRow>,
    members: Vec<MemberRow>,
    cccd: CccdAllocator,
    today: NaiveDate,
}

impl Builder {
    fn org(
        &mut self,
        code: String,
        name: String,
        kind: OrgKind,
        category: OrgCategory,
        parent: Option<(&OrgPath, OrgId)>,
        founded_on: NaiveDate,
    ) -> (OrgId, OrgPath) {
        let id = self.next_org;
        self.next_org += 1;
        let path = match parent {
            Some((p, _)) => p.child(id),
            None => OrgPath::root(id),
        };
        let decision_no = Some(format!("{}-QĐ/TU", self.rng.random_range(1..900)));
        self.orgs.push(OrgRow { id, code, name, kind, category, parent_id: parent.map(|p| p.1), path: path.clone(), founded_on, decision_no });
        (id, path)
    }
}

/// Loads the Quảng Ninh demo into an empty database. Deterministic for a seed.
pub async fn load_demo(store: &Store, seed: u64) -> Result<LoadCounts> {
    let today = store.today();
    let reference = reference_date();
    let mut b = Builder {
        rng: ChaCha8Rng::seed_from_u64(seed),
        next_org: 1,
        next_member: 1,
        orgs: Vec::new(),
        members: Vec::new(),
        cccd: CccdAllocator::default(),
        today,
    };
    let qn = places::province_by_name("Quảng Ninh");
    let province_code = qn.map(|p| p.code).unwrap_or(22);
    let localities: Vec<String> = qn.map(|p| p.communes.iter().map(|c| c.name.clone()).collect()).unwrap_or_default();
    let (root, root_path) = b.org("TW".into(), "Đảng Cộng sản Việt Nam".into(), OrgKind::Central, OrgCategory::Other, None, date(1930, 2, 3));
    let (prov, prov_path) = b.org(
        format!("{province_code:02}"),
        "Đảng bộ tỉnh Quảng Ninh".into(),
        OrgKind::Province,
        OrgCategory::Other,
        Some((&root_path, root)),
        date(1963, 10, 30),
    );
    let mut cells_for_members: Vec<(OrgId, u64, Option<OrgId>, NaiveDate)> = Vec::new();
    let mut special: Vec<(OrgId, &'static str)> = Vec::new();
    for unit in units() {
        // Not before the province: the reform's moves re-derive these spans, which checks it.
        let founded = date(1963 + b.rng.random_range(0..3), b.rng.random_range(1..13), b.rng.random_range(1..28)).max(date(1963, 10, 30));
        let (uid, upath) =
            b.org(format!("{province_code:02}.{}", unit.code), unit.name.into(), OrgKind::UpperGrassroots, unit.category, Some((&prov_path, prov)), founded);
        build_unit(&mut b, &unit, uid, &upath, founded, province_code, &mut cells_for_members, &mut special);
    }
    calibrate_residential(&mut b.orgs, RESIDENTIAL_CELLS);
    // The 1/7/2025 reorganization: the new commune-level committees are founded with the
    // rest (one event each); the changes of existing organizations are recorded after the load.
    let reform = crate::reform::plan(&b.orgs, prov, &prov_path, province_code, b.next_org, seed);
    b.next_org += reform.founded.len() as OrgId;
    b.orgs.extend(reform.founded.iter().cloned());
    // What the committees need to know of each organization, before the rows go to the loader.
    let info: HashMap<OrgId, (OrgKind, OrgCategory, String, Option<OrgId>, NaiveDate)> =
        b.orgs.iter().map(|o| (o.id, (o.kind, o.category, o.name.clone(), o.parent_id, o.founded_on))).collect();
    let book = store.rule_book().await?;
    let mut keys = crate::committee::Keys::default();
    let mut committees: Vec<chibo_store::bulk::CommitteeRow> = Vec::new();
    // Up to a dozen members of each grassroots committee's cells, the candidates of its seats.
    let mut candidates: HashMap<OrgId, Vec<MemberRow>> = HashMap::new();
    // The tree after the reorganization: each organization's parent, the dissolved ones and
    // the ward committees that became a commune's; the candidates of the committees above the
    // grassroots (the province's, the former districts', the communes').
    let reform_day = crate::reform::reform_date();
    let parent_before: HashMap<OrgId, Option<OrgId>> = info.iter().map(|(id, i)| (*id, i.3)).collect();
    let mut parent_after = parent_before.clone();
    let (mut dissolved, mut became) = (HashSet::new(), HashSet::new());
    for (id, _, change) in &reform.changes {
        match change {
            OrgChange::Moved { parent } => {
                parent_after.insert(*id, Some(*parent));
            }
            OrgChange::Dissolved => {
                dissolved.insert(*id);
            }
            OrgChange::Reclassified { kind: OrgKind::UpperGrassroots, .. } => {
                became.insert(*id);
            }
            _ => {}
        }
    }
    let under_province = |parents: &HashMap<OrgId, Option<OrgId>>, mut o: OrgId| -> Option<OrgId> {
        for _ in 0..16 {
            match parents.get(&o).copied().flatten() {
                Some(p) if p == prov => return Some(o),
                Some(p) => o = p,
                None => return None,
            }
        }
        None
    };
    let mut pick = ChaCha8Rng::seed_from_u64(seed ^ 0x00C0_FFEE);
    let mut province_pool: Vec<MemberRow> = Vec::new();
    let mut unit_pool: HashMap<OrgId, Vec<MemberRow>> = HashMap::new();
    let mut commune_pool: HashMap<OrgId, Vec<MemberRow>> = HashMap::new();
    let mut loader = store.bulk_loader("system:demo").await?;
    loader.add_orgs(&std::mem::take(&mut b.orgs)).await?;
    // Each cell's members and where it meets, for its meetings once the committees (and who
    // from above is in charge of it) are known.
    let mut meeting_cells: Vec<(OrgId, Vec<MemberRow>, String)> = Vec::new();
    let place = PlaceContext { province_code, province_name: "Quảng Ninh", localities: &localities };
    for (cell, count, neighbour, not_before) in cells_for_members {
        let mut cell_members = Vec::with_capacity(count as usize + 1);
        for i in 0..count {
            let id = b.next_member;
            b.next_member += 1;
            let spec = MemberSpec {
                cell,
                previous_cell: neighbour.filter(|_| b.rng.random_bool(0.08)),
                admitted_before: reference,
                probationary_at_reference: b.rng.random_bool(0.03),
                recognize_after: Some(reference),
                not_before,
                newcomer: false,
            };
            let mut m = member(&mut b.rng, id, &spec, &place, &mut b.cccd, b.today);
            if i == 0
                && let Some((_, who)) = special.iter().find(|(c, _)| *c == cell)
            {
                personalize(&mut m, who, cell, b.today);
            }
            cell_members.push(m);
        }
        // Life goes on after the articles: in about a quarter of the cells someone has left
        // (died, moved away, struck off) and someone new was admitted since, so every figure
        // of November 2021 and of today still matches the articles, while today's roll has
        // probationary members, admissions and exits of its own.
        if count >= 4 && b.rng.random_bool(0.25) {
            let id = b.next_member;
            let spec = MemberSpec {
                cell,
                previous_cell: None,
                admitted_before: b.today,
                probationary_at_reference: false,
                recognize_after: None,
                not_before: reference + chrono::Days::new(1),
                newcomer: true,
            };
            let newcomer = member(&mut b.rng, id, &spec, &place, &mut b.cccd, b.today);
            let leaver = cell_members.last_mut().filter(|m| m.profile.party_position.is_none());
            if let Some(leaver) = leaver
                && leave(&mut b.rng, leaver, reference, b.today)
            {
                b.next_member += 1;
                cell_members.push(newcomer);
            }
        }
        // The cell's committee: a congress every 30 months since 2017 (Thành's first term).
        if let Some((kind, category, name, parent, founded)) = info.get(&cell) {
            let parent_name = parent.and_then(|p| info.get(&p)).map(|p| p.2.trim_start_matches("Đảng bộ ").to_owned()).unwrap_or_default();
            let place = format!("{}, {parent_name}", capitalize(name.trim_start_matches("Chi bộ ")));
            let first_term = date(2017, 3, 15) + chrono::Days::new(b.rng.random_range(0..60));
            let org = crate::committee::Org::new(cell, *kind, *category, first_term, *founded, &place);
            let refs: Vec<&MemberRow> = cell_members.iter().collect();
            committees.extend(crate::committee::committees(&mut keys, &org, &refs, |c| c == cell, &book, b.today));
            meeting_cells.push((cell, cell_members.clone(), format!("Nhà văn hóa {}", capitalize(name.trim_start_matches("Chi bộ ")))));
            if let Some(p) = parent.filter(|p| info.get(p).is_some_and(|i| i.0 == OrgKind::GrassrootsCommittee)) {
                let list = candidates.entry(p).or_default();
                list.extend(cell_members.iter().take(12usize.saturating_sub(list.len()).min(3)).cloned());
            }
            // The cells' own secretaries (their first members) aside, a couple of members of
            // each cell for the committees above.
            for (pool, cap) in [
                (under_province(&parent_before, cell).map(|u| unit_pool.entry(u).or_default()), 30),
                (under_province(&parent_after, cell).map(|c| commune_pool.entry(c).or_default()), 30),
            ] {
                if let Some(pool) = pool.filter(|p| p.len() < cap) {
                    pool.extend(cell_members.iter().skip(1).take(2).cloned());
                }
            }
            if province_pool.len() < 45 && pick.random_bool(0.04) {
                province_pool.extend(cell_members.iter().skip(1).take(1).cloned());
            }
        }
        b.members.extend(cell_members);
        if b.members.len() >= 20_000 {
            loader.add_members(&std::mem::take(&mut b.members)).await?;
        }
    }
    loader.add_members(&std::mem::take(&mut b.members)).await?;
    // The grassroots committees' terms: five years from a congress in 2015.
    let mut parents: Vec<OrgId> = candidates.keys().copied().collect();
    parents.sort_unstable();
    for g in parents {
        let Some((kind, category, _, _, founded)) = info.get(&g) else { continue };
        let cells: std::collections::HashSet<OrgId> = info.iter().filter(|(_, i)| i.3 == Some(g)).map(|(id, _)| *id).collect();
        let first_term = date(2015, 7, 1) + chrono::Days::new(b.rng.random_range(0..90));
        // A ward committee that became its commune's on 1/7/2025 got a new, appointed
        // committee that day (below).
        let until = became.contains(&g).then_some(reform_day);
        let org = crate::committee::Org { until, ..crate::committee::Org::new(g, *kind, *category, first_term, *founded, "") };
        let refs: Vec<&MemberRow> = candidates[&g].iter().collect();
        committees.extend(crate::committee::committees(&mut keys, &org, &refs, |c| cells.contains(&c), &book, b.today));
    }
    // Above the grassroots. Who each committee's members are in charge of today: the
    // organizations directly under it (the province's: its communes and committees).
    let mut children: HashMap<OrgId, Vec<OrgId>> = HashMap::new();
    for (id, p) in &parent_after {
        if let Some(p) = p.filter(|_| !dissolved.contains(id)) {
            children.entry(p).or_default().push(*id);
        }
    }
    children.values_mut().for_each(|v| v.sort_unstable());
    let none = Vec::new();
    // The province's committee: congresses in October 2015, 2020 and 2025.
    let refs: Vec<&MemberRow> = province_pool.iter().collect();
    let org = crate::committee::Org {
        in_charge: children.get(&prov).unwrap_or(&none),
        ..crate::committee::Org::new(prov, OrgKind::Province, OrgCategory::Other, date(2015, 10, 14), date(1963, 10, 30), "")
    };
    committees.extend(crate::committee::committees(&mut keys, &org, &refs, |_| true, &book, b.today));
    // The former districts' and the other committees under the province: congresses in the
    // summer of 2015 and 2020; the territorial ones end when they are dissolved.
    let founded_at_reform: HashSet<OrgId> = reform.founded.iter().map(|o| o.id).collect();
    let mut units: Vec<OrgId> = info.iter().filter(|(id, i)| i.3 == Some(prov) && !founded_at_reform.contains(id)).map(|(id, _)| *id).collect();
    units.sort_unstable();
    for u in units {
        let (kind, category, _, _, founded) = &info[&u];
        let gone = dissolved.contains(&u).then_some(reform_day);
        let org = crate::committee::Org {
            until: gone,
            in_charge: if gone.is_some() { &none } else { children.get(&u).unwrap_or(&none) },
            ..crate::committee::Org::new(u, *kind, *category, date(2015, 6, 1) + chrono::Days::new(pick.random_range(0..90)), *founded, "")
        };
        let refs: Vec<&MemberRow> = unit_pool.get(&u).map(|v| v.iter().collect()).unwrap_or_default();
        committees.extend(crate::committee::committees(&mut keys, &org, &refs, |c| under_province(&parent_before, c) == Some(u), &book, b.today));
    }
    // The communes' committees since 1/7/2025, appointed by the province for 2025–2030.
    let mut communes: Vec<OrgId> = founded_at_reform.union(&became).copied().collect();
    communes.sort_unstable();
    for c in communes {
        let (_, _, _, _, founded) = &info[&c];
        let org = crate::committee::Org {
            appointed_first: true,
            in_charge: children.get(&c).unwrap_or(&none),
            ..crate::committee::Org::new(c, OrgKind::UpperGrassroots, OrgCategory::Commune, reform_day, *founded, "")
        };
        let refs: Vec<&MemberRow> = commune_pool.get(&c).map(|v| v.iter().collect()).unwrap_or_default();
        committees.extend(crate::committee::committees(&mut keys, &org, &refs, |x| under_province(&parent_after, x) == Some(c), &book, b.today));
    }
    loader.add_committees(&committees).await?;
    // A year of meetings in every cell (twelve months back from this one), with the minutes;
    // the members of the committees above in charge of a cell are invited to its meetings.
    let mut in_charge: HashMap<OrgId, Vec<(i64, String)>> = HashMap::new();
    for row in &committees {
        for duty in row.duties.iter().filter(|d| d.from <= b.today && d.until.is_none_or(|u| u > b.today)) {
            let Some(seat) = row.seats.iter().find(|s| s.id == duty.seat_id) else { continue };
            for org in &duty.in_charge_of {
                in_charge.entry(*org).or_default().push((seat.member_id, seat.full_name.clone()));
            }
        }
    }
    drop(committees);
    let from = chibo_domain::calendar::sub_months(first_of_month(b.today), 12);
    let mut meeting_keys = crate::meeting::Keys::default();
    let mut meet_rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_0016);
    let none = Vec::new();
    let mut meetings = Vec::new();
    for (cell, members, place) in &meeting_cells {
        let refs: Vec<&MemberRow> = members.iter().collect();
        let at = crate::meeting::Cell { id: *cell, members: &refs, from, place, in_charge: in_charge.get(cell).unwrap_or(&none), minutes: true };
        meetings.extend(crate::meeting::meetings(&mut meeting_keys, &mut meet_rng, &at, &book, b.today));
        if meetings.len() >= 5_000 {
            loader.add_meetings(&std::mem::take(&mut meetings), |d| book.at(d).meeting.clone()).await?;
        }
    }
    loader.add_meetings(&meetings, |d| book.at(d).meeting.clone()).await?;
    drop(meeting_cells);
    let counts = loader.finish().await?;
    // Recorded as dated events through the store, like any reorganization by decision.
    store.operator("demo").reorganize(&reform.changes, Some(&reform.decision_no)).await?;
    // Party work in progress today: admissions at every step, transfers, the residence rule.
    crate::life::load_life(store, b.today).await?;
    store.analyze().await?;
    Ok(counts)
}

/// Ends a member's life in the cell on a day between the reference date and today (death,
/// transfer out, being struck off, leaving); false, changing nothing, if the events would not
/// replay.
fn leave(rng: &mut ChaCha8Rng, m: &mut MemberRow, reference: NaiveDate, today: NaiveDate) -> bool {
    let last = m.events.last().map(|e| e.0.on).unwrap_or(reference).max(reference);
    let span = (today - last).num_days();
    if span < 2 {
        return false;
    }
    let mut on = last + chrono::Days::new(rng.random_range(1..span) as u64);
    if on == crate::reform::reform_date() {
        // The reform day changes the tree only: its figures show that no member moved.
        on = on + chrono::Days::new(1);
    }
    let change = match rng.random_range(0..100) {
        0..50 => MemberChange::Died,
        50..85 => MemberChange::TransferredOut,
        85..95 => MemberChange::StruckOff,
        _ => MemberChange::Left,
    };
    let decision = (change != MemberChange::Died).then(|| format!("{}-QĐ/ĐU", rng.random_range(1..400)));
    let mut events = m.events.clone();
    events.push((MemberEvent { on, change }, decision));
    let plain: Vec<_> = events.iter().map(|e| e.0.clone()).collect();
    match replay(m.profile.birth_date, &plain, today) {
        Ok(h) => {
            m.events = events;
            m.history = h;
            true
        }
        Err(_) => false,
    }
}

/// Nguyễn Văn Thành, secretary of Chi bộ khu phố 3 and head of the khu phố since 2017.
fn personalize(m: &mut MemberRow, who: &str, cell: OrgId, today: NaiveDate) {
    if who != "thanh" {
        return;
    }
    m.profile.full_name = "Nguyễn Văn Thành".into();
    m.profile.gender = chibo_domain::member::Gender::Male;
    m.profile.birth_date = date(1958, 4, 12);
    m.profile.occupation = Some("Hưu trí".into());
    m.profile.party_position = Some("Bí thư Chi bộ khu phố 3 (từ năm 2017)".into());
    m.profile.government_position = Some("Trưởng khu phố 3, phường Cửa Ông (từ năm 2017)".into());
    m.profile.permanent_address = Some("Khu phố 3, phường Cửa Ông, thành phố Cẩm Phả, Quảng Ninh".into());
    m.profile.current_address = m.profile.permanent_address.clone();
    m.profile.political_theory = chibo_domain::member::PoliticalTheory::Intermediate;
    m.events = vec![
        (MemberEvent { on: date(1985, 5, 19), change: MemberChange::Admitted { cell } }, Some("112-QĐ/ĐU".into())),
        (MemberEvent { on: date(1986, 5, 19), change: MemberChange::MadeOfficial }, Some("87-QĐ/ĐU".into())),
    ];
    let plain: Vec<_> = m.events.iter().map(|e| e.0.clone()).collect();
    if let Ok(h) = replay(m.profile.birth_date, &plain, today) {
        m.history = h;
    }
}

/// Seed 003: "bí thư chi bộ đồng thời là trưởng thôn, khu phố: 1.542, đạt 100%": the
/// province has 1,542 cells of villages and residential groups.
const RESIDENTIAL_CELLS: u64 = 1_542;

/// Keeps exactly `total` cells of villages and residential groups in the communes and wards
/// (the first ones of each, khu phố 1, 3 and 5 of Cửa Ông and the nine villages of Tân Bình
/// among them); the other cells of a commune's committee are those of its schools, clinics,
/// police and militia.
fn calibrate_residential(orgs: &mut [OrgRow], total: u64) {
    let names: HashMap<OrgId, String> = orgs.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut groups: Vec<(OrgId, Vec<usize>)> = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        if o.kind != OrgKind::Cell || o.category != OrgCategory::Residential {
            continue;
        }
        let Some(parent) = o.parent_id else { continue };
        match groups.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, v)) => v.push(i),
            None => groups.push((parent, vec![i])),
        }
    }
    let pinned = |parent: OrgId| match names.get(&parent).map(String::as_str) {
        Some("Đảng bộ phường Cửa Ông") => Some(5),
        Some("Đảng bộ xã Tân Bình") => Some(9),
        _ => None,
    };
    let fixed: u64 = groups.iter().filter_map(|(p, v)| pinned(*p).map(|n: u64| n.min(v.len() as u64))).sum();
    let free: Vec<u64> = groups.iter().filter(|(p, _)| pinned(*p).is_none()).map(|(_, v)| v.len() as u64).collect();
    let mut shares = proportional(total.saturating_sub(fixed), &free).into_iter();
    const OTHERS: &[(&str, OrgCategory)] = &[
        ("Trường Mầm non", OrgCategory::PublicService),
        ("Trường Tiểu học", OrgCategory::PublicService),
        ("Trường Trung học cơ sở", OrgCategory::PublicService),
        ("Trạm Y tế", OrgCategory::PublicService),
        ("Công an", OrgCategory::ArmedForces),
        ("Quân sự", OrgCategory::ArmedForces),
        ("Cơ quan", OrgCategory::Administration),
    ];
    for (parent, cells) in &groups {
        let keep = pinned(*parent).map(|n: u64| n.min(cells.len() as u64)).unwrap_or_else(|| shares.next().unwrap_or(0)) as usize;
        let place = names.get(parent).map(|n| n.trim_start_matches("Đảng bộ ").to_owned()).unwrap_or_default();
        for (k, &i) in cells.iter().skip(keep).enumerate() {
            let (what, category) = OTHERS[k % OTHERS.len()];
            let round = k / OTHERS.len();
            orgs[i].name = if round == 0 { format!("Chi bộ {what} {place}") } else { format!("Chi bộ {what} {place} số {}", round + 1) };
            orgs[i].category = category;
        }
    }
}

/// "khu phố 3" → "Khu phố 3".
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn build_unit(
    b: &mut Builder,
    unit: &Unit,
    uid: OrgId,
    upath: &OrgPath,
    founded: NaiveDate,
    province_code: u32,
    cells_for_members: &mut Vec<(OrgId, u64, Option<OrgId>, NaiveDate)>,
    special: &mut Vec<(OrgId, &'static str)>,
) {
    let committees = unit.committees.min(unit.grassroots) as usize;
    let small = unit.grassroots as usize - committees;
    // Cells per committee: Tân Bình and Cửa Ông are pinned by the articles.
    let mut cell_counts = split(&mut b.rng, unit.cells, committees, 2);
    let mut member_pins: Vec<Option<u64>> = vec![None; committees];
    for (i, loc) in unit.localities.iter().enumerate().take(committees) {
        if *loc == "xã Tân Bình" {
            let delta = cell_counts[i] as i64 - 14;
            cell_counts[i] = 14;
            rebalance(&mut cell_counts, i, delta);
            member_pins[i] = Some(164);
        }
    }
    // Members: chi bộ cơ sở have fewer than 30; committees share the rest by their cells.
    let small_members: Vec<u64> = (0..small).map(|_| b.rng.random_range(8..30)).collect();
    let pinned: u64 = member_pins.iter().flatten().sum();
    let committee_total = unit.members - small_members.iter().sum::<u64>() - pinned;
    let free_cells: u64 = cell_counts.iter().zip(&member_pins).filter(|(_, p)| p.is_none()).map(|(c, _)| *c).sum();
    let per_cell_members = split(&mut b.rng, committee_total, free_cells as usize, 5);
    let mut per_cell = per_cell_members.into_iter();
    let mut prev_cell: Option<(OrgId, NaiveDate)> = None;
    for i in 0..committees {
        let (name, category) = match (unit.localities.get(i), unit.bodies.get(i.saturating_sub(unit.localities.len()))) {
            (Some(loc), _) => (format!("Đảng bộ {loc}"), OrgCategory::Commune),
            (None, Some(body)) if i >= unit.localities.len() => (format!("Đảng bộ {body}"), unit.category),
            _ => (format!("Đảng bộ {}", generic_body(&mut b.rng, unit.category, i)), unit.category),
        };
        let g_founded = founded + chrono::Days::new(b.rng.random_range(0..2_000));
        let code = format!("{province_code:02}.{}.{:03}", unit.code, i + 1);
        let (gid, gpath) = b.org(code.clone(), name.clone(), OrgKind::GrassrootsCommittee, category, Some((upath, uid)), g_founded);
        let residential = category == OrgCategory::Commune;
        let is_ward = name.contains("phường") || name.contains("thị trấn");
        let n_cells = cell_counts[i] as usize;
        let cell_members: Vec<u64> = match member_pins[i] {
            Some(total) => split(&mut b.rng, total, n_cells, 5),
            None => (0..n_cells).map(|_| per_cell.next().unwrap_or(5)).collect(),
        };
        for (j, count) in cell_members.into_iter().enumerate() {
            let cell_name = if residential {
                // Tân Bình: 9 of its 14 cells are rural villages (thôn).
                let rural = if name.ends_with("xã Tân Bình") { j < 9 } else { !is_ward };
                if rural { format!("Chi bộ thôn {}", j + 1) } else { format!("Chi bộ khu phố {}", j + 1) }
            } else if unit.category == OrgCategory::StateEnterprise {
                format!("Chi bộ phân xưởng {}", j + 1)
            } else {
                format!("Chi bộ {} {}", ["phòng", "tổ", "đội"][j % 3], j / 3 + 1)
            };
            let c_category = if residential { OrgCategory::Residential } else { category };
            let c_founded = g_founded + chrono::Days::new(b.rng.random_range(0..300));
            let (cid, _) = b.org(format!("{code}.{:03}", j + 1), cell_name.clone(), OrgKind::Cell, c_category, Some((&gpath, gid)), c_founded);
            if name == "Đảng bộ phường Cửa Ông" && cell_name == "Chi bộ khu phố 3" {
                special.push((cid, "thanh"));
            }
            // Transfers in the past come from a sibling cell founded before this one.
            let not_before = prev_cell.map(|p| p.1).unwrap_or(c_founded).max(c_founded) + chrono::Days::new(1);
            cells_for_members.push((cid, count, prev_cell.map(|p| p.0), not_before));
            prev_cell = Some((cid, c_founded));
        }
    }
    for (k, count) in small_members.into_iter().enumerate() {
        let i = committees + k;
        let name = format!("Chi bộ {}", generic_body(&mut b.rng, unit.category, i));
        let g_founded = founded + chrono::Days::new(b.rng.random_range(0..2_000));
        let (gid, _) =
            b.org(format!("{province_code:02}.{}.{:03}", unit.code, i + 1), name, OrgKind::GrassrootsCell, unit.category, Some((upath, uid)), g_founded);
        cells_for_members.push((gid, count, None, g_founded + chrono::Days::new(1)));
    }
    if unit.code == "TQN" {
        // Rename the last four small cells after the real ones the coal group has.
        let n = b.orgs.len();
        let small_cells: Vec<usize> = (0..n).rev().filter(|&i| b.orgs[i].kind == OrgKind::GrassrootsCell).take(COAL_CELLS.len()).collect();
        for (idx, name) in small_cells.into_iter().zip(COAL_CELLS) {
            b.orgs[idx].name = format!("Chi bộ {name}");
        }
    }
}

/// Moves `delta` cells from (or to) the other committees so the total stays exact.
fn rebalance(counts: &mut [u64], pinned: usize, mut delta: i64) {
    let n = counts.len();
    let mut i = 0;
    while delta != 0 && n > 1 {
        let k = (pinned + 1 + i % (n - 1)) % n;
        if delta > 0 {
            counts[k] += 1;
            delta -= 1;
        } else if counts[k] > 2 {
            counts[k] -= 1;
            delta += 1;
        }
        i += 1;
        if i > 100_000 {
            break;
        }
    }
}

fn generic_body<R: Rng>(rng: &mut R, category: OrgCategory, i: usize) -> String {
    let n = i + 1;
    match category {
        OrgCategory::StateEnterprise => format!("{} số {n}", ["Công ty Cổ phần", "Xí nghiệp", "Công ty TNHH MTV", "Chi nhánh"][rng.random_range(0..4)]),
        OrgCategory::ArmedForces => format!("{} {n}", ["Đồn Biên phòng", "Phòng", "Tiểu đoàn", "Công an huyện", "Ban Chỉ huy Quân sự"][rng.random_range(0..5)]),
        OrgCategory::Administration => format!("{} {n}", ["Sở", "Ban", "Văn phòng", "Chi cục"][rng.random_range(0..4)]),
        _ => match rng.random_range(0..6) {
            0 => format!("Trường Trung học cơ sở số {n}"),
            1 => format!("Trường Tiểu học số {n}"),
            2 => format!("Trạm Y tế số {n}"),
            3 => format!("Công ty TNHH Thương mại số {n}"),
            4 => format!("Trường Mầm non số {n}"),
            _ => format!("Cơ quan Ủy ban nhân dân số {n}"),
        },
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_add_up_to_the_published_province_figures() {
        let u = units();
        assert_eq!(u.len(), 20);
        assert_eq!(u.iter().map(|u| u.grassroots).sum::<u64>(), 696);
        assert_eq!(u.iter().map(|u| u.cells).sum::<u64>(), 4_971);
        assert_eq!(u.iter().map(|u| u.members).sum::<u64>(), 104_700);
        assert!(u.iter().all(|u| u.committees <= u.grassroots && u.cells >= 2 * u.committees));
    }

    #[test]
    fn proportional_split_is_exact() {
        let v = proportional(517, &[12, 10, 11, 11, 5, 2, 5, 4, 5, 6, 3, 8, 6, 4, 5, 3, 1]);
        assert_eq!(v.iter().sum::<u64>(), 517);
        assert!(v[0] > v[16]);
    }
}
