//! The 1/7/2025 reorganization of Quảng Ninh's party organization, as the demo records it:
//! dated organization events on that day, written through the store's `reorganize` (the
//! same events, spans and audit entries as changes made in the web application).
//!
//! The district level was abolished: the thirteen territorial district-level committees
//! (thành phố, thị xã, huyện) are dissolved, and the province's 54 communes, wards and
//! special zones of the 2025 list (`places`) each get a commune-level committee (đảng bộ cấp
//! trên cơ sở) directly under the province. The seven committees that are not territorial
//! (Than Quảng Ninh, the two blocs, the armed forces, customs) are not part of this reform
//! and stay as they are.
//!
//! * An old ward or commune committee whose place gives its name to a 2025 commune of its
//!   former district (or, failing that, to a 2025 commune of the same kind and name
//!   elsewhere, as xã Kỳ Thượng) *becomes* that commune's committee: moved under the
//!   province, reclassified as an upper-grassroots committee, renamed when the kind word
//!   changed ("Đảng bộ thị trấn Tiên Yên" → "Đảng bộ xã Tiên Yên"). Its residential cells
//!   become chi bộ cơ sở directly under it, as the cells of thôn and tổ dân phố did in 2025:
//!   a chi bộ trực thuộc may not sit under an upper-grassroots committee.
//! * Every other old ward or commune committee is merged into a commune of its former
//!   district: its cells move there (chi bộ cơ sở, named after their old commune: "Chi bộ
//!   thôn 2 Tân Bình") and it is dissolved.
//! * Every other grassroots organization (agencies, schools, enterprises, with their cells)
//!   moves under a commune of its former district: the one its name mentions (Bệnh viện Bãi
//!   Cháy → phường Bãi Cháy), else one drawn from the seed.
//! * Communes no old committee became are founded on the day (code `22.06793`, as `chibo
//!   gen` codes them).
//!
//! Why "become" and "merge" rather than re-parenting the old ward committees under new
//! namesakes: members never change cells, so every member figure is intact either way, and
//! this way there is one "Đảng bộ phường Cửa Ông" (today the ward's committee, with Chi bộ
//! khu phố 3 directly under it), not two organizations of one name at two levels. The seed
//! figures of 2021 (696 grassroots organizations, 4,971 cells under them) are history now;
//! today's counts follow the new structure, in which former cells are grassroots.

use crate::places::{self, Commune, CommuneKind};
use chibo_domain::org::{OrgCategory, OrgChange, OrgId, OrgKind, OrgPath};
use chibo_store::bulk::OrgRow;
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// The day the district level was abolished.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// Each 2025 commune of Quảng Ninh and the demo unit (former district) most of it came from.
pub(crate) const COMMUNE_DISTRICT: &[(&str, &str)] = &[
    ("Phường An Sinh", "DT"),
    ("Phường Đông Triều", "DT"),
    ("Phường Bình Khê", "DT"),
    ("Phường Mạo Khê", "DT"),
    ("Phường Hoàng Quế", "DT"),
    ("Phường Yên Tử", "UB"),
    ("Phường Vàng Danh", "UB"),
    ("Phường Uông Bí", "UB"),
    ("Phường Đông Mai", "QY"),
    ("Phường Hiệp Hòa", "QY"),
    ("Phường Quảng Yên", "QY"),
    ("Phường Hà An", "QY"),
    ("Phường Phong Cốc", "QY"),
    ("Phường Liên Hòa", "QY"),
    ("Phường Tuần Châu", "HL"),
    ("Phường Việt Hưng", "HL"),
    ("Phường Bãi Cháy", "HL"),
    ("Phường Hà Tu", "HL"),
    ("Phường Hà Lầm", "HL"),
    ("Phường Cao Xanh", "HL"),
    ("Phường Hồng Gai", "HL"),
    ("Phường Hạ Long", "HL"),
    ("Phường Hoành Bồ", "HL"),
    ("Xã Quảng La", "HL"),
    ("Xã Thống Nhất", "HL"),
    ("Phường Mông Dương", "CP"),
    ("Phường Quang Hanh", "CP"),
    ("Phường Cẩm Phả", "CP"),
    ("Phường Cửa Ông", "CP"),
    ("Xã Hải Hòa", "CP"),
    ("Xã Tiên Yên", "TY"),
    ("Xã Điền Xá", "TY"),
    ("Xã Đông Ngũ", "TY"),
    ("Xã Hải Lạng", "TY"),
    ("Xã Lương Minh", "BC"),
    ("Xã Kỳ Thượng", "BC"),
    ("Xã Ba Chẽ", "BC"),
    ("Xã Quảng Tân", "DH"),
    ("Xã Đầm Hà", "DH"),
    ("Xã Quảng Hà", "HH"),
    ("Xã Đường Hoa", "HH"),
    ("Xã Quảng Đức", "HH"),
    ("Xã Hoành Mô", "BL"),
    ("Xã Lục Hồn", "BL"),
    ("Xã Bình Liêu", "BL"),
    ("Xã Hải Sơn", "MC"),
    ("Xã Hải Ninh", "MC"),
    ("Xã Vĩnh Thực", "MC"),
    ("Phường Móng Cái 1", "MC"),
    ("Phường Móng Cái 2", "MC"),
    ("Phường Móng Cái 3", "MC"),
    ("Đặc khu Vân Đồn", "VD"),
    ("Đặc khu Cô Tô", "CT"),
    ("Xã Cái Chiên", "HH"),
];

/// The name of a commune-level committee: "Đảng bộ phường Cửa Ông", "Đảng bộ đặc khu Cô Tô"
/// (as `chibo gen` names them).
pub fn committee_name(c: &Commune) -> String {
    let word = match c.kind {
        CommuneKind::Xa => "xã",
        CommuneKind::Phuong => "phường",
        CommuneKind::DacKhu => "đặc khu",
    };
    format!("Đảng bộ {word} {}", c.short_name())
}

/// What the demo records for the reform: the committees founded on the day (loaded with the
/// other organizations) and the changes of existing ones (recorded after the load).
pub(crate) struct ReformPlan {
    /// New commune-level committees, founded on the reform day.
    pub founded: Vec<OrgRow>,
    /// The dated changes, in the order they are to be applied.
    pub changes: Vec<(OrgId, NaiveDate, OrgChange)>,
    /// The decision that made them.
    pub decision_no: String,
}

/// The name of a place without its kind word ("phường Cửa Ông" → "Cửa Ông").
fn place_short(place: &str) -> &str {
    ["phường ", "xã ", "thị trấn "].iter().find_map(|p| place.strip_prefix(p)).unwrap_or(place)
}

/// Whether a grassroots organization is an old ward's or commune's committee ("Đảng bộ
/// phường Cửa Ông"), by its name: the demo also files some agencies of a district under the
/// commune category.
fn is_locality(g: &OrgRow) -> bool {
    let place = g.name.strip_prefix("Đảng bộ ").unwrap_or(&g.name);
    g.kind == OrgKind::GrassrootsCommittee && place_short(place) != place
}

/// Plans the reform over the organizations the demo built (ids from `next_id` on for the new
/// committees). Deterministic for a seed; draws from its own generator, so the rest of the
/// demo is the same with or without it.
pub(crate) fn plan(orgs: &[OrgRow], province: OrgId, province_path: &OrgPath, province_code: u32, next_id: OrgId, seed: u64) -> ReformPlan {
    let on = reform_date();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x2025_0701);
    let decision_no = format!("{}-QĐ/TU", rng.random_range(1_400..1_600));
    let communes: &[Commune] = places::province_by_name("Quảng Ninh").map(|p| p.communes.as_slice()).unwrap_or(&[]);
    let district_of = |c: &Commune| COMMUNE_DISTRICT.iter().find(|(n, _)| *n == c.name).map(|(_, d)| *d);
    let mut children: HashMap<OrgId, Vec<&OrgRow>> = HashMap::new();
    for o in orgs {
        if let Some(p) = o.parent_id {
            children.entry(p).or_default().push(o);
        }
    }
    let no_kids: Vec<&OrgRow> = Vec::new();
    let kids = |id: OrgId| children.get(&id).unwrap_or(&no_kids);
    // The territorial units: those with 2025 communes ("22.HL" → "HL").
    let unit_code = |o: &OrgRow| o.code.rsplit('.').next().unwrap_or_default().to_owned();
    let districts: Vec<&OrgRow> = kids(province).iter().copied().filter(|u| COMMUNE_DISTRICT.iter().any(|(_, d)| *d == unit_code(u).as_str())).collect();
    let communes_of = |code: &str| -> Vec<usize> { (0..communes.len()).filter(|&i| district_of(&communes[i]) == Some(code)).collect() };

    // Which old ward or commune committee becomes which 2025 commune's committee.
    let mut committee: Vec<Option<OrgId>> = vec![None; communes.len()];
    let mut became: Vec<(&OrgRow, usize)> = Vec::new();
    let mut merged: Vec<(&OrgRow, &OrgRow)> = Vec::new();
    for d in &districts {
        let code = unit_code(d);
        for g in kids(d.id).iter().filter(|g| is_locality(g)) {
            let place = g.name.strip_prefix("Đảng bộ ").unwrap_or(&g.name);
            let short = place_short(place);
            let same_district = communes_of(&code).into_iter().find(|&i| communes[i].short_name() == short);
            let elsewhere = || (0..communes.len()).find(|&i| communes[i].name.to_lowercase() == place.to_lowercase());
            match same_district.or_else(elsewhere).filter(|&i| committee[i].is_none()) {
                Some(i) => {
                    committee[i] = Some(g.id);
                    became.push((g, i));
                }
                None => merged.push((d, g)),
            }
        }
    }
    let mut founded = Vec::new();
    let mut next = next_id;
    for (i, c) in communes.iter().enumerate() {
        if committee[i].is_none() {
            let id = next;
            next += 1;
            founded.push(OrgRow {
                id,
                code: format!("{province_code:02}.{:05}", c.code),
                name: committee_name(c),
                kind: OrgKind::UpperGrassroots,
                category: OrgCategory::Commune,
                parent_id: Some(province),
                path: province_path.child(id),
                founded_on: on,
                decision_no: Some(decision_no.clone()),
            });
            committee[i] = Some(id);
        }
    }
    let committee_of = |i: usize| committee[i].unwrap_or(province);

    let mut changes = Vec::new();
    for (g, i) in &became {
        changes.push((g.id, on, OrgChange::Moved { parent: province }));
        changes.push((g.id, on, OrgChange::Reclassified { kind: OrgKind::UpperGrassroots, category: OrgCategory::Commune }));
        let name = committee_name(&communes[*i]);
        if g.name != name {
            changes.push((g.id, on, OrgChange::Renamed { name }));
        }
        for cell in kids(g.id) {
            changes.push((cell.id, on, OrgChange::Reclassified { kind: OrgKind::GrassrootsCell, category: cell.category }));
        }
    }
    for (d, g) in &merged {
        let options = communes_of(&unit_code(d));
        if options.is_empty() {
            continue;
        }
        let target = committee_of(options[rng.random_range(0..options.len())]);
        let short = place_short(g.name.strip_prefix("Đảng bộ ").unwrap_or(&g.name));
        for cell in kids(g.id) {
            changes.push((cell.id, on, OrgChange::Moved { parent: target }));
            changes.push((cell.id, on, OrgChange::Reclassified { kind: OrgKind::GrassrootsCell, category: cell.category }));
            changes.push((cell.id, on, OrgChange::Renamed { name: format!("{} {short}", cell.name) }));
        }
        changes.push((g.id, on, OrgChange::Dissolved));
    }
    for d in &districts {
        let options = communes_of(&unit_code(d));
        for g in kids(d.id) {
            if is_locality(g) || options.is_empty() {
                continue;
            }
            let named = options.iter().copied().find(|&i| g.name.contains(communes[i].short_name()));
            let i = named.unwrap_or_else(|| options[rng.random_range(0..options.len())]);
            changes.push((g.id, on, OrgChange::Moved { parent: committee_of(i) }));
        }
        changes.push((d.id, on, OrgChange::Dissolved));
    }
    ReformPlan { founded, changes, decision_no }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_2025_commune_of_quang_ninh_has_a_former_district() {
        let qn = places::province_by_name("Quảng Ninh").unwrap();
        assert_eq!(COMMUNE_DISTRICT.len(), qn.communes.len());
        for c in &qn.communes {
            assert!(COMMUNE_DISTRICT.iter().any(|(n, _)| *n == c.name), "{} has no district", c.name);
        }
        let districts: std::collections::BTreeSet<_> = COMMUNE_DISTRICT.iter().map(|(_, d)| *d).collect();
        assert_eq!(districts.len(), 13);
    }

    #[test]
    fn committees_are_named_like_the_generator_names_them() {
        let qn = places::province_by_name("Quảng Ninh").unwrap();
        let names: Vec<String> = qn.communes.iter().map(committee_name).collect();
        assert!(names.contains(&"Đảng bộ phường Cửa Ông".to_owned()));
        assert!(names.contains(&"Đảng bộ đặc khu Vân Đồn".to_owned()));
        assert!(names.contains(&"Đảng bộ xã Tiên Yên".to_owned()));
    }
}
