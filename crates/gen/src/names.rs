//! Realistic Vietnamese personal data for generated members: names drawn with the published
//! frequency of family names, middle and given names by gender, addresses in the post-2025
//! format (no district level), ethnicity by region, religion and occupation.

use rand::Rng;

/// Family names with their approximate share of the population (per mille).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 25),
    ("Võ", 14),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đào", 8),
    ("Đinh", 8),
    ("Trịnh", 7),
    ("Mai", 6),
    ("Lương", 6),
    ("Tạ", 4),
    ("Cao", 4),
    ("Lưu", 4),
    ("Tô", 3),
    ("Đoàn", 5),
    ("Hà", 5),
    ("Chu", 3),
    ("Lâm", 3),
    ("Triệu", 3),
    ("Kiều", 2),
    ("Quách", 2),
    ("Thái", 2),
    ("Văn", 2),
    ("Khổng", 1),
    ("Âu", 1),
    ("Ông", 1),
    ("Ưng", 1),
];

const MALE_MIDDLE: &[&str] =
    &["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Ngọc", "Công", "Trung", "Đình", "Quốc", "Mạnh", "Tiến", "Bá", "Anh"];
// "Thị" is the middle name of roughly half of the women of the generations in the party.
const FEMALE_MIDDLE: &[&str] = &["Thị", "Thị", "Thị", "Thị", "Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Phương"];
/// Second middle names ("Nguyễn Thị Thu Hương", "Trần Văn Minh Đức").
const FEMALE_SECOND: &[&str] = &["Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Phương", "Bích", "Diệu", "Khánh", "Mai"];
const MALE_SECOND: &[&str] = &["Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Ngọc", "Công", "Trung", "Đình", "Quốc", "Mạnh", "Tiến", "Anh"];
const MALE_GIVEN: &[&str] = &[
    "Thành",
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Hải",
    "Sơn",
    "Long",
    "Nam",
    "Quân",
    "Cường",
    "Thắng",
    "Toàn",
    "Hiếu",
    "Trung",
    "Hoàng",
    "Việt",
    "Phong",
    "Khánh",
    "Đức",
    "Huy",
    "Bình",
    "Vinh",
    "Tâm",
    "Thịnh",
    "Lâm",
    "Phúc",
    "Tùng",
    "Hưng",
    "Quý",
    "Đạt",
    "Lợi",
    "Thái",
    "Kiên",
    "Chiến",
    "Tú",
    "Hòa",
    "An",
    "Nghĩa",
    "Lộc",
    "Thông",
    "Trường",
    "Phương",
    "Định",
    "Ánh",
    "Ước",
    "Đông",
    "Quang",
    "Vũ",
    "Bảo",
];
const FEMALE_GIVEN: &[&str] = &[
    "Lan", "Hương", "Hoa", "Mai", "Hằng", "Thảo", "Hà", "Nga", "Linh", "Trang", "Huyền", "Yến", "Thủy", "Dung", "Phương", "Loan", "Hạnh", "Oanh", "Vân",
    "Nhung", "Liên", "Tuyết", "Hiền", "Ngọc", "Thu", "Anh", "Giang", "Quyên", "Nhàn", "Xuân", "Thơm", "Huệ", "Lụa", "Duyên", "Ánh", "Bích", "Châu", "Diệp",
    "Uyên", "Vy", "Ly", "Trâm",
];

fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn weighted<'a, R: Rng>(rng: &mut R, list: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = list.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (v, w) in list {
        if x < *w {
            return v;
        }
        x -= w;
    }
    list[0].0
}

/// A full name in Vietnamese order (family, middle, given): "Nguyễn Thị Thu Hương".
pub fn person_name<R: Rng>(rng: &mut R, female: bool) -> String {
    let family = weighted(rng, FAMILY);
    let (middles, givens) = if female { (FEMALE_MIDDLE, FEMALE_GIVEN) } else { (MALE_MIDDLE, MALE_GIVEN) };
    let middle = pick(rng, middles);
    let given = pick(rng, givens);
    // About one in six carries a second middle name ("Nguyễn Thị Thu Hương").
    if rng.random_bool(0.16) {
        let second = pick(rng, if female { FEMALE_SECOND } else { MALE_SECOND });
        if second != middle && second != given {
            return format!("{family} {middle} {second} {given}");
        }
    }
    if middle == given { format!("{family} {given}") } else { format!("{family} {middle} {given}") }
}

/// An address as written since 1/7/2025: house, residential group, commune, province.
/// `locality` is the commune's official name ("Phường Cửa Ông").
pub fn street_address<R: Rng>(rng: &mut R, locality: &str, province: &str) -> String {
    let urban = locality.starts_with("Phường") || locality.starts_with("Đặc khu");
    let group = if urban { format!("tổ dân phố {}", rng.random_range(1..40)) } else { format!("thôn {}", rng.random_range(1..20)) };
    let house = rng.random_range(1..300);
    if locality.is_empty() { format!("Số {house}, {group}, {province}") } else { format!("Số {house}, {group}, {locality}, {province}") }
}

/// A mobile number with a real Vietnamese carrier prefix.
pub fn phone<R: Rng>(rng: &mut R) -> String {
    let prefix = pick(rng, &["091", "094", "088", "098", "097", "096", "086", "090", "093", "089", "070", "079", "077", "083", "084", "085", "081", "082"]);
    format!("{prefix}{:07}", rng.random_range(0..10_000_000))
}

/// Ethnic groups by region, with shares (per cent) of members; Kinh elsewhere.
fn ethnic_mix(province: &str) -> &'static [(&'static str, u32)] {
    match province {
        "Cao Bằng" | "Lạng Sơn" => &[("Tày", 40), ("Nùng", 30), ("Kinh", 20), ("Dao", 6), ("H'Mông", 4)],
        "Tuyên Quang" | "Thái Nguyên" | "Lào Cai" | "Phú Thọ" => &[("Kinh", 62), ("Tày", 14), ("Dao", 8), ("Mường", 8), ("H'Mông", 5), ("Nùng", 3)],
        "Điện Biên" | "Lai Châu" | "Sơn La" => &[("Thái", 45), ("Kinh", 25), ("H'Mông", 15), ("Mường", 6), ("Dao", 5), ("Khơ Mú", 4)],
        "Quảng Ninh" => &[("Kinh", 88), ("Tày", 4), ("Dao", 4), ("Sán Dìu", 2), ("Sán Chay", 1), ("Hoa", 1)],
        "Thanh Hóa" | "Nghệ An" => &[("Kinh", 84), ("Mường", 8), ("Thái", 7), ("Thổ", 1)],
        "Gia Lai" | "Đắk Lắk" | "Lâm Đồng" => &[("Kinh", 70), ("Gia Rai", 10), ("Ê Đê", 9), ("Ba Na", 5), ("Cơ Ho", 4), ("Mnông", 2)],
        "An Giang" | "Vĩnh Long" | "Cần Thơ" | "Cà Mau" => &[("Kinh", 91), ("Khmer", 7), ("Hoa", 1), ("Chăm", 1)],
        "Khánh Hòa" => &[("Kinh", 93), ("Chăm", 4), ("Raglai", 3)],
        "Hồ Chí Minh" | "Đồng Nai" => &[("Kinh", 95), ("Hoa", 4), ("Khmer", 1)],
        _ => &[("Kinh", 97), ("Mường", 1), ("Tày", 1), ("Hoa", 1)],
    }
}

/// An ethnic group plausible for a member in the province (short name, "Quảng Ninh").
pub fn ethnicity_for_region<R: Rng>(rng: &mut R, province: &str) -> &'static str {
    weighted(rng, ethnic_mix(province))
}

/// A religion: most members declare none.
pub fn religion<R: Rng>(rng: &mut R) -> &'static str {
    weighted(rng, &[("Không", 930), ("Phật giáo", 45), ("Công giáo", 18), ("Tin Lành", 3), ("Cao Đài", 2), ("Phật giáo Hòa Hảo", 2)])
}

/// An occupation plausible at an age.
pub fn occupation<R: Rng>(rng: &mut R, age: u32) -> &'static str {
    if age >= 62 || (age >= 57 && rng.random_bool(0.5)) {
        return weighted(rng, &[("Hưu trí", 85), ("Nông dân", 10), ("Kinh doanh", 5)]);
    }
    if age < 24 && rng.random_bool(0.4) {
        return "Sinh viên";
    }
    weighted(
        rng,
        &[
            ("Cán bộ, công chức", 22),
            ("Viên chức", 14),
            ("Giáo viên", 10),
            ("Công nhân", 12),
            ("Nông dân", 10),
            ("Lực lượng vũ trang", 9),
            ("Kỹ sư", 6),
            ("Bác sĩ", 3),
            ("Nhân viên văn phòng", 6),
            ("Kinh doanh", 5),
            ("Lao động tự do", 3),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn names_have_family_middle_and_given_parts_and_thi_is_for_women() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut nguyen = 0;
        for _ in 0..5_000 {
            let n = person_name(&mut rng, false);
            let words: Vec<&str> = n.split(' ').collect();
            assert!((2..=4).contains(&words.len()), "{n}");
            assert!(!words.contains(&"Thị"), "a man named {n}");
            nguyen += usize::from(words[0] == "Nguyễn");
        }
        // Nguyễn is about 38% of the population.
        assert!((1_600..2_200).contains(&nguyen), "{nguyen}");
        let women: Vec<String> = (0..1_000).map(|_| person_name(&mut rng, true)).collect();
        assert!(women.iter().filter(|n| n.contains(" Thị ")).count() > 380);
    }

    #[test]
    fn addresses_follow_the_post_2025_format() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let a = street_address(&mut rng, "Phường Cửa Ông", "Quảng Ninh");
        assert!(a.contains("tổ dân phố") && a.ends_with(", Phường Cửa Ông, Quảng Ninh"), "{a}");
        assert!(!a.contains("huyện") && !a.contains("quận"));
        let b = street_address(&mut rng, "Xã Tiên Yên", "Quảng Ninh");
        assert!(b.contains("thôn"), "{b}");
    }

    #[test]
    fn retired_people_are_old() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        assert!((0..200).all(|_| occupation(&mut rng, 35) != "Hưu trí"));
        assert!((0..200).filter(|_| occupation(&mut rng, 70) == "Hưu trí").count() > 120);
    }
}
