//! Which column holds which field: recognised from the Vietnamese headers (with or without
//! diacritics, and the common variants), correctable by the user, and remembered by the
//! header row.

use chibo_domain::text::fold;
use serde::{Deserialize, Serialize};

macro_rules! fields {
    ($($variant:ident = $code:literal, $label:literal, $en:literal, [$($alias:literal),*];)+) => {
        /// A field an import column can fill.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($variant,)+ }

        impl Field {
            /// Every field, in the order of the export's columns.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)+];

            /// Stable code (form values, remembered mappings; also the error field name).
            pub fn code(self) -> &'static str {
                match self { $(Field::$variant => $code,)+ }
            }

            /// The Vietnamese column title (the export's header).
            pub fn label(self) -> &'static str {
                match self { $(Field::$variant => $label,)+ }
            }

            /// The English column title.
            pub fn label_en(self) -> &'static str {
                match self { $(Field::$variant => $en,)+ }
            }

            /// Header variants recognised, folded (no diacritics, lower case).
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$($alias),*],)+ }
            }

            /// The field of a code.
            pub fn from_code(code: &str) -> Option<Field> {
                Field::ALL.iter().copied().find(|f| f.code() == code)
            }
        }
    };
}

fields! {
    FullName = "full_name", "Họ và tên", "Full name", ["ho va ten", "ho ten", "ho ten dang vien", "ten dang vien", "ho va ten dang vien", "ho ten khai sinh", "full name", "name"];
    OtherName = "other_name", "Tên gọi khác", "Other name", ["ten goi khac", "ten khac", "bi danh"];
    Gender = "gender", "Giới tính", "Gender", ["gioi tinh", "gioi", "nam/nu", "nam nu", "gender", "sex"];
    BirthDate = "birth_date", "Ngày sinh", "Date of birth", ["ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh", "sinh ngay", "nam sinh", "date of birth", "birth date"];
    BirthPlace = "birth_place", "Nơi sinh", "Place of birth", ["noi sinh"];
    HomeTown = "home_town", "Quê quán", "Home town", ["que quan", "que"];
    Ethnicity = "ethnicity", "Dân tộc", "Ethnicity", ["dan toc"];
    Religion = "religion", "Tôn giáo", "Religion", ["ton giao"];
    PermanentAddress = "permanent_address", "Nơi thường trú", "Permanent residence", ["noi thuong tru", "thuong tru", "dia chi thuong tru", "ho khau thuong tru"];
    CurrentAddress = "current_address", "Nơi ở hiện nay", "Current residence", ["noi o hien nay", "cho o hien nay", "noi o", "dia chi", "dia chi hien nay"];
    Phone = "phone", "Số điện thoại", "Phone", ["so dien thoai", "dien thoai", "sdt", "dt"];
    Email = "email", "Thư điện tử", "E-mail", ["thu dien tu", "email", "e-mail"];
    Cccd = "cccd", "Số CCCD", "National ID (CCCD)", ["so cccd", "cccd", "so can cuoc", "so can cuoc cong dan", "can cuoc cong dan", "so cmnd/cccd", "cmnd/cccd", "so dinh danh", "so dinh danh ca nhan"];
    CardNumber = "card_number", "Số thẻ đảng viên", "Party card number", ["so the dang vien", "so the dang", "so the", "the dang vien"];
    Occupation = "occupation", "Nghề nghiệp", "Occupation", ["nghe nghiep"];
    GeneralEducation = "general_education", "Giáo dục phổ thông", "General education", ["giao duc pho thong", "trinh do van hoa", "van hoa"];
    ProfessionalEducation = "professional_education", "Chuyên môn, nghiệp vụ", "Professional education", ["chuyen mon, nghiep vu", "chuyen mon nghiep vu", "trinh do chuyen mon", "chuyen mon"];
    PoliticalTheory = "political_theory", "Lý luận chính trị", "Political theory", ["ly luan chinh tri", "trinh do ly luan chinh tri", "trinh do ly luan", "llct"];
    PartyPosition = "party_position", "Chức vụ Đảng", "Party position", ["chuc vu dang", "chuc vu dang hien nay"];
    GovernmentPosition = "government_position", "Chức vụ chính quyền, đoàn thể", "Government position", ["chuc vu chinh quyen, doan the", "chuc vu chinh quyen", "chuc vu"];
    CellCode = "cell_code", "Mã chi bộ", "Cell code", ["ma chi bo", "ma to chuc", "ma don vi"];
    Cell = "cell", "Chi bộ", "Cell", ["chi bo", "ten chi bo", "chi bo sinh hoat", "noi sinh hoat", "don vi"];
    Status = "status", "Trạng thái", "Status", ["trang thai", "tinh trang", "loai dang vien"];
    AdmittedOn = "admitted_on", "Ngày vào Đảng", "Date admitted", ["ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay vao dang (du bi)"];
    OfficialOn = "official_on", "Ngày chính thức", "Date made official", ["ngay chinh thuc", "ngay vao dang chinh thuc", "ngay cong nhan chinh thuc", "ngay cong nhan dang vien chinh thuc"];
}

/// One field (or none) per column of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub Vec<Option<Field>>);

impl Mapping {
    /// The mapping recognised from the headers: each header matched against the variants of
    /// every field, ignoring diacritics, case, and a trailing "(dd/mm/yyyy)"-like note; a field
    /// goes to its first matching column.
    pub fn guess(headers: &[String]) -> Mapping {
        let mut taken = std::collections::HashSet::new();
        Mapping(
            headers
                .iter()
                .map(|h| {
                    let key = header_key_of(h);
                    let found = Field::ALL.iter().copied().find(|f| !taken.contains(f) && f.aliases().contains(&key.as_str()));
                    if let Some(f) = found {
                        taken.insert(f);
                    }
                    found
                })
                .collect(),
        )
    }

    /// The column holding a field.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.0.iter().position(|f| *f == Some(field))
    }

    /// Fields mapped more than once, which the user must resolve.
    pub fn repeated(&self) -> Vec<Field> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<Field> = self.0.iter().flatten().copied().filter(|f| !seen.insert(*f)).collect();
        out.dedup();
        out
    }

    /// The mapping as saved (field codes per column, "" for none).
    pub fn to_codes(&self) -> Vec<String> {
        self.0.iter().map(|f| f.map(|f| f.code().to_owned()).unwrap_or_default()).collect()
    }

    /// A mapping from saved or posted codes (unknown codes and "" map nothing).
    pub fn from_codes(codes: &[String], width: usize) -> Mapping {
        let mut v: Vec<Option<Field>> = codes.iter().map(|c| Field::from_code(c)).collect();
        v.resize(width, None);
        Mapping(v)
    }
}

fn header_key_of(h: &str) -> String {
    let f = fold(h);
    let base = match f.find('(') {
        Some(i) if i > 0 && !f.starts_with("ngay vao dang (") => f[..i].trim_end().to_owned(),
        _ => f,
    };
    base.trim_end_matches([':', '*', '.']).trim().to_owned()
}

/// The key a header row is remembered by: its folded headers joined.
pub fn header_key(headers: &[String]) -> String {
    headers.iter().map(|h| header_key_of(h)).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vietnamese_headers_with_and_without_diacritics() {
        let m = Mapping::guess(&h(&[
            "STT",
            "Họ và tên",
            "Ngay sinh",
            "SỐ CCCD",
            "Số thẻ Đảng",
            "Ngày vào Đảng",
            "Ngày chính thức (dd/mm/yyyy)",
            "Chi bộ",
            "Ghi chú",
        ]));
        assert_eq!(
            m.0,
            vec![
                None,
                Some(Field::FullName),
                Some(Field::BirthDate),
                Some(Field::Cccd),
                Some(Field::CardNumber),
                Some(Field::AdmittedOn),
                Some(Field::OfficialOn),
                Some(Field::Cell),
                None
            ]
        );
        assert_eq!(Mapping::guess(&h(&["Ho ten", "Gioi tinh"])).0, vec![Some(Field::FullName), Some(Field::Gender)]);
    }

    #[test]
    fn codes_round_trip_and_repeats_are_found() {
        let m = Mapping(vec![Some(Field::FullName), None, Some(Field::FullName)]);
        assert_eq!(Mapping::from_codes(&m.to_codes(), 3), m);
        assert_eq!(m.repeated(), vec![Field::FullName]);
    }
}
