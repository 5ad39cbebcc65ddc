//! Vietnam's administrative divisions since 1/7/2025 (34 provinces, 3,321 communes, wards and
//! special zones), embedded from `data/vn-admin-divisions-2025.json` (the state's published
//! list, as shipped by the `vietnam-provinces` package). Real names and codes for the demo and
//! the national generator.

use serde::Deserialize;
use std::sync::OnceLock;

/// The kind of a commune-level unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneKind {
    /// Xã (rural commune).
    Xa,
    /// Phường (urban ward).
    Phuong,
    /// Đặc khu (special zone, e.g. Vân Đồn, Cô Tô).
    DacKhu,
}

/// A commune-level unit: "Phường Cửa Ông", code 6961.
#[derive(Debug, Clone)]
pub struct Commune {
    /// Official name with its kind ("Phường Cửa Ông").
    pub name: String,
    /// Official code.
    pub code: u32,
    /// Xã, phường or đặc khu.
    pub kind: CommuneKind,
}

impl Commune {
    /// The name without its kind word ("Cửa Ông").
    pub fn short_name(&self) -> &str {
        strip_prefix_ci(&self.name, &["Phường ", "Xã ", "Đặc khu "])
    }
}

/// A province or centrally governed city with its communes.
#[derive(Debug, Clone)]
pub struct Province {
    /// Official name ("Quảng Ninh", "Thành phố Hà Nội").
    pub name: String,
    /// Official code (22 for Quảng Ninh); the first three digits of a CCCD number.
    pub code: u32,
    /// Whether it is a centrally governed city (thành phố trực thuộc Trung ương).
    pub is_city: bool,
    /// Its commune-level units, in the official order.
    pub communes: Vec<Commune>,
}

impl Province {
    /// The name without "Thành phố" / "Tỉnh" ("Hà Nội").
    pub fn short_name(&self) -> &str {
        strip_prefix_ci(&self.name, &["Thành phố ", "Tỉnh "])
    }
}

fn strip_prefix_ci<'a>(name: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes.iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name)
}

#[derive(Deserialize)]
struct RawProvince {
    name: String,
    code: u32,
    division_type: String,
    wards: Vec<RawWard>,
}

#[derive(Deserialize)]
struct RawWard {
    name: String,
    code: u32,
    division_type: String,
}

const DATA: &str = include_str!("../data/vn-admin-divisions-2025.json");

/// All 34 provinces, in the official order.
pub fn provinces() -> &'static [Province] {
    static CELL: OnceLock<Vec<Province>> = OnceLock::new();
    CELL.get_or_init(|| {
        // The file is embedded at compile time and checked by a unit test, so a parse failure
        // is a build defect, not a runtime condition.
        let raw: Vec<RawProvince> = serde_json::from_str(DATA).expect("embedded administrative divisions parse");
        raw.into_iter()
            .map(|p| Province {
                is_city: p.division_type == "thành phố trung ương",
                name: p.name,
                code: p.code,
                communes: p
                    .wards
                    .into_iter()
                    .map(|w| Commune {
                        kind: match w.division_type.as_str() {
                            "phường" => CommuneKind::Phuong,
                            "đặc khu" => CommuneKind::DacKhu,
                            _ => CommuneKind::Xa,
                        },
                        name: w.name,
                        code: w.code,
                    })
                    .collect(),
            })
            .collect()
    })
}

/// A province by its short or full name ("Quảng Ninh", "Thành phố Hà Nội").
pub fn province_by_name(name: &str) -> Option<&'static Province> {
    provinces().iter().find(|p| p.name == name || p.short_name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2025_list_has_34_provinces_and_3321_communes() {
        let p = provinces();
        assert_eq!(p.len(), 34);
        assert_eq!(p.iter().filter(|p| p.is_city).count(), 6);
        assert_eq!(p.iter().map(|p| p.communes.len()).sum::<usize>(), 3_321);
        let kinds = |k| p.iter().flat_map(|p| &p.communes).filter(|c| c.kind == k).count();
        assert_eq!((kinds(CommuneKind::Xa), kinds(CommuneKind::Phuong), kinds(CommuneKind::DacKhu)), (2_621, 687, 13));
    }

    #[test]
    fn names_are_shortened_without_their_kind() {
        let hn = province_by_name("Hà Nội").unwrap();
        assert!(hn.is_city);
        assert_eq!(hn.name, "Thành phố Hà Nội");
        let qn = province_by_name("Quảng Ninh").unwrap();
        assert_eq!(qn.code, 22);
        let cua_ong = qn.communes.iter().find(|c| c.name == "Phường Cửa Ông").expect("Cửa Ông is a ward of Quảng Ninh");
        assert_eq!(cua_ong.short_name(), "Cửa Ông");
        assert_eq!(cua_ong.kind, CommuneKind::Phuong);
    }
}
