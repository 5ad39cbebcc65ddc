//! Party members: the profile fields of the member form (Mẫu 2-HSĐV), their validation, and
//! the member's life as dated events from which the current state and the validity spans
//! ("which cell, which status, on any date") are derived.

pub mod audit;
pub mod command;

use crate::calendar::{OPEN_END, format_date, years_between};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::{OrgId, code_enum};
use crate::text::grapheme_len;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Surrogate key of a member.
pub type MemberId = i64;

code_enum! {
    /// Giới tính.
    Gender {
        /// Nam.
        Male = "nam", "Nam", "Male";
        /// Nữ.
        Female = "nu", "Nữ", "Female";
    }
}

code_enum! {
    /// Where a person stands in the party (trạng thái).
    MemberStatus {
        /// Đối tượng kết nạp: a candidate, not yet a member.
        Candidate = "candidate", "Quần chúng ưu tú (đối tượng kết nạp)", "Candidate";
        /// Đảng viên dự bị.
        Probationary = "probationary", "Đảng viên dự bị", "Probationary member";
        /// Đảng viên chính thức.
        Official = "official", "Đảng viên chính thức", "Official member";
        /// Miễn sinh hoạt: still a member, exempt from activity.
        Exempt = "exempt", "Miễn sinh hoạt", "Exempt from activity";
        /// Đình chỉ sinh hoạt: still a member, activity suspended.
        Suspended = "suspended", "Đình chỉ sinh hoạt", "Suspended";
        /// Đang chuyển sinh hoạt: the sending organization issued the letter and the receiving
        /// one has not accepted yet; counted in neither cell's members.
        InTransit = "in_transit", "Đang chuyển sinh hoạt", "In transit";
        /// Chuyển sinh hoạt ra ngoài hệ thống.
        TransferredOut = "transferred_out", "Đã chuyển đi", "Transferred out";
        /// Xóa tên.
        StruckOff = "struck_off", "Đã xóa tên", "Struck off";
        /// Khai trừ.
        Expelled = "expelled", "Đã khai trừ", "Expelled";
        /// Xin ra khỏi Đảng.
        Left = "left", "Đã ra khỏi Đảng", "Left";
        /// Từ trần.
        Deceased = "deceased", "Đã từ trần", "Deceased";
    }
}

impl MemberStatus {
    /// Whether a person in this status counts as a party member of their cell.
    pub fn is_member(self) -> bool {
        matches!(self, Self::Probationary | Self::Official | Self::Exempt | Self::Suspended)
    }

    /// Statuses that count as members, for SQL `IN` lists.
    pub const MEMBER_CODES: [&'static str; 4] = ["probationary", "official", "exempt", "suspended"];
}

code_enum! {
    /// Trình độ lý luận chính trị.
    PoliticalTheory {
        /// Chưa qua đào tạo.
        None = "none", "Chưa qua đào tạo", "None";
        /// Sơ cấp.
        Elementary = "so_cap", "Sơ cấp", "Elementary";
        /// Trung cấp.
        Intermediate = "trung_cap", "Trung cấp", "Intermediate";
        /// Cao cấp.
        Advanced = "cao_cap", "Cao cấp", "Advanced";
        /// Cử nhân.
        Bachelor = "cu_nhan", "Cử nhân", "Bachelor";
    }
}

code_enum! {
    /// Trình độ chuyên môn, nghiệp vụ.
    Education {
        /// Chưa qua đào tạo.
        None = "none", "Chưa qua đào tạo", "None";
        /// Sơ cấp, chứng chỉ nghề.
        Vocational = "so_cap", "Sơ cấp nghề", "Vocational";
        /// Trung cấp.
        Intermediate = "trung_cap", "Trung cấp", "Intermediate";
        /// Cao đẳng.
        College = "cao_dang", "Cao đẳng", "College";
        /// Đại học.
        University = "dai_hoc", "Đại học", "University";
        /// Thạc sĩ.
        Master = "thac_si", "Thạc sĩ", "Master";
        /// Tiến sĩ.
        Doctor = "tien_si", "Tiến sĩ", "Doctorate";
    }
}

/// A national ID number (căn cước công dân): exactly 12 digits, kept as text so that leading
/// zeros survive every round trip.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cccd(String);

impl Cccd {
    /// Parses a CCCD, ignoring spaces and dots people type as separators.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        if digits.is_empty() {
            return Err(FieldError::new("cccd", ErrorCode::Required));
        }
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new("cccd", ErrorCode::CccdFormat).with("len", digits.chars().count()));
        }
        Ok(Self(digits))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Cccd {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<Cccd> for String {
    fn from(c: Cccd) -> String {
        c.0
    }
}

/// A party card number (số thẻ đảng viên): 6 to 12 digits, kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardNumber(String);

impl CardNumber {
    /// Parses a card number, ignoring spaces and dots.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        if digits.is_empty() {
            return Err(FieldError::new("card_number", ErrorCode::Required));
        }
        if !(6..=12).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new("card_number", ErrorCode::CardNumberFormat));
        }
        Ok(Self(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CardNumber {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<CardNumber> for String {
    fn from(c: CardNumber) -> String {
        c.0
    }
}

/// Youngest age at which a person can be in the registry at all (candidates are 18+; the
/// admission age rules themselves live in the rule set).
pub const MIN_AGE: i32 = 16;

/// The personal fields of a member (Mẫu 2-HSĐV), validated. Party dates, status and cell are
/// not here: they come from events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    /// Họ và tên.
    pub full_name: String,
    /// Tên gọi khác.
    pub other_name: Option<String>,
    /// Giới tính.
    pub gender: Gender,
    /// Ngày sinh.
    pub birth_date: NaiveDate,
    /// Nơi sinh.
    pub birth_place: Option<String>,
    /// Quê quán.
    pub home_town: Option<String>,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Nơi thường trú.
    pub permanent_address: Option<String>,
    /// Nơi ở hiện nay.
    pub current_address: Option<String>,
    /// Số điện thoại.
    pub phone: Option<String>,
    /// Thư điện tử.
    pub email: Option<String>,
    /// Số CCCD.
    pub cccd: Option<Cccd>,
    /// Số thẻ đảng viên.
    pub card_number: Option<CardNumber>,
    /// Nghề nghiệp.
    pub occupation: Option<String>,
    /// Giáo dục phổ thông ("12/12").
    pub general_education: Option<String>,
    /// Chuyên môn, nghiệp vụ.
    pub professional_education: Education,
    /// Lý luận chính trị.
    pub political_theory: PoliticalTheory,
    /// Chức vụ Đảng hiện nay.
    pub party_position: Option<String>,
    /// Chức vụ chính quyền, đoàn thể.
    pub government_position: Option<String>,
}

/// Raw member form input as typed, before validation (strings only, as a form posts them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    /// Họ và tên.
    pub full_name: String,
    /// Tên gọi khác.
    pub other_name: String,
    /// Giới tính: "nam" or "nu".
    pub gender: String,
    /// Ngày sinh, dd/mm/yyyy or yyyy-mm-dd.
    pub birth_date: String,
    /// Nơi sinh.
    pub birth_place: String,
    /// Quê quán.
    pub home_town: String,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Nơi thường trú.
    pub permanent_address: String,
    /// Nơi ở hiện nay.
    pub current_address: String,
    /// Số điện thoại.
    pub phone: String,
    /// Thư điện tử.
    pub email: String,
    /// Số CCCD.
    pub cccd: String,
    /// Số thẻ đảng viên.
    pub card_number: String,
    /// Nghề nghiệp.
    pub occupation: String,
    /// Giáo dục phổ thông.
    pub general_education: String,
    /// Chuyên môn, nghiệp vụ (code).
    pub professional_education: String,
    /// Lý luận chính trị (code).
    pub political_theory: String,
    /// Chức vụ Đảng.
    pub party_position: String,
    /// Chức vụ chính quyền.
    pub government_position: String,
}

fn text_field(errors: &mut ValidationErrors, field: &str, value: &str, required: bool, max: usize) -> Option<String> {
    if let Err(fe) = crate::text::check(field, value) {
        errors.push(fe);
        return None;
    }
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        if required {
            errors.push(FieldError::new(field, ErrorCode::Required));
        }
        return None;
    }
    if grapheme_len(&v) > max {
        errors.push(FieldError::new(field, ErrorCode::TooLong).with("max", max));
        return None;
    }
    Some(v)
}

fn choice<T>(errors: &mut ValidationErrors, field: &str, value: &str, parse: fn(&str) -> Option<T>, default: Option<T>) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        if default.is_none() {
            errors.push(FieldError::new(field, ErrorCode::Required));
        }
        return default;
    }
    let parsed = parse(v);
    if parsed.is_none() {
        errors.push(FieldError::new(field, ErrorCode::InvalidChoice).with("value", v));
    }
    parsed
}

impl MemberInput {
    /// Validates every field at once, so a form can show all messages and keep what was typed.
    pub fn validate(&self, today: NaiveDate) -> Result<MemberProfile, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let full_name = text_field(&mut e, "full_name", &self.full_name, true, 100);
        let other_name = text_field(&mut e, "other_name", &self.other_name, false, 100);
        let gender = choice(&mut e, "gender", &self.gender, Gender::from_code, None);
        let birth_date = match self.birth_date.trim() {
            "" => {
                e.push(FieldError::new("birth_date", ErrorCode::Required));
                None
            }
            s => match crate::calendar::parse_date(s) {
                None => {
                    e.push(FieldError::new("birth_date", ErrorCode::DateFormat).with("value", s));
                    None
                }
                Some(d) if d > today => {
                    e.push(date_in_future("birth_date", d, today));
                    None
                }
                Some(d) if years_between(d, today) < MIN_AGE || years_between(d, today) > 120 => {
                    e.push(FieldError::new("birth_date", ErrorCode::BirthDateImplausible).with("date", format_date(d)).with("min_age", MIN_AGE));
                    None
                }
                Some(d) => Some(d),
            },
        };
        let birth_place = text_field(&mut e, "birth_place", &self.birth_place, false, 200);
        let home_town = text_field(&mut e, "home_town", &self.home_town, false, 200);
        let ethnicity = text_field(&mut e, "ethnicity", &self.ethnicity, false, 50).unwrap_or_else(|| "Kinh".to_owned());
        let religion = text_field(&mut e, "religion", &self.religion, false, 50).unwrap_or_else(|| "Không".to_owned());
        let permanent_address = text_field(&mut e, "permanent_address", &self.permanent_address, false, 300);
        let current_address = text_field(&mut e, "current_address", &self.current_address, false, 300);
        let phone = parse_phone(&self.phone).map_err(|err| e.push(err)).ok().flatten();
        let email = parse_email(&self.email).map_err(|err| e.push(err)).ok().flatten();
        let cccd = match self.cccd.trim() {
            "" => None,
            s => Cccd::parse(s).map_err(|err| e.push(err)).ok(),
        };
        let card_number = match self.card_number.trim() {
            "" => None,
            s => CardNumber::parse(s).map_err(|err| e.push(err)).ok(),
        };
        let occupation = text_field(&mut e, "occupation", &self.occupation, false, 100);
        let general_education = text_field(&mut e, "general_education", &self.general_education, false, 20);
        let professional_education = choice(&mut e, "professional_education", &self.professional_education, Education::from_code, Some(Education::None));
        let political_theory = choice(&mut e, "political_theory", &self.political_theory, PoliticalTheory::from_code, Some(PoliticalTheory::None));
        let party_position = text_field(&mut e, "party_position", &self.party_position, false, 200);
        let government_position = text_field(&mut e, "government_position", &self.government_position, false, 200);
        // The fields read by their own parsers (text_field checks the others): a character
        // no one types is named even where the parser let it through.
        let parsed = [
            ("gender", &self.gender),
            ("birth_date", &self.birth_date),
            ("phone", &self.phone),
            ("email", &self.email),
            ("cccd", &self.cccd),
            ("card_number", &self.card_number),
            ("professional_education", &self.professional_education),
            ("political_theory", &self.political_theory),
        ];
        for (field, value) in parsed {
            if !e.errors.iter().any(|f| f.field == field)
                && let Err(fe) = crate::text::check(field, value)
            {
                e.push(fe);
            }
        }
        e.into_result()?;
        // Every Option that is None here without an error is optional; required ones pushed
        // an error above, so the `?` returned before reaching a None.
        match (full_name, gender, birth_date, professional_education, political_theory) {
            (Some(full_name), Some(gender), Some(birth_date), Some(professional_education), Some(political_theory)) => Ok(MemberProfile {
                full_name,
                other_name,
                gender,
                birth_date,
                birth_place,
                home_town,
                ethnicity,
                religion,
                permanent_address,
                current_address,
                phone,
                email,
                cccd,
                card_number,
                occupation,
                general_education,
                professional_education,
                political_theory,
                party_position,
                government_position,
            }),
            _ => Err(FieldError::new("full_name", ErrorCode::Required).into()),
        }
    }
}

impl From<&MemberProfile> for MemberInput {
    fn from(p: &MemberProfile) -> Self {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        MemberInput {
            full_name: p.full_name.clone(),
            other_name: s(&p.other_name),
            gender: p.gender.code().to_owned(),
            birth_date: format_date(p.birth_date),
            birth_place: s(&p.birth_place),
            home_town: s(&p.home_town),
            ethnicity: p.ethnicity.clone(),
            religion: p.religion.clone(),
            permanent_address: s(&p.permanent_address),
            current_address: s(&p.current_address),
            phone: s(&p.phone),
            email: s(&p.email),
            cccd: p.cccd.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            card_number: p.card_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            occupation: s(&p.occupation),
            general_education: s(&p.general_education),
            professional_education: p.professional_education.code().to_owned(),
            political_theory: p.political_theory.code().to_owned(),
            party_position: s(&p.party_position),
            government_position: s(&p.government_position),
        }
    }
}

/// Parses a Vietnamese phone number: 9 to 11 digits after removing spaces, dots and dashes;
/// "+84" is kept as written. Empty is None.
pub fn parse_phone(s: &str) -> Result<Option<String>, FieldError> {
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let digits = compact.strip_prefix("+84").unwrap_or(&compact);
    if (9..=11).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(compact))
    } else {
        Err(FieldError::new("phone", ErrorCode::PhoneFormat))
    }
}

/// Parses an e-mail address loosely (one '@', a dot in the domain, no spaces). Empty is None.
pub fn parse_email(s: &str) -> Result<Option<String>, FieldError> {
    let v = s.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let ok = v.len() <= 200
        && !v.contains(char::is_whitespace)
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if ok { Ok(Some(v.to_owned())) } else { Err(FieldError::new("email", ErrorCode::EmailFormat).with("value", v)) }
}

/// What a member may change in their own record: how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    /// Nơi ở hiện nay.
    pub current_address: String,
    /// Số điện thoại.
    pub phone: String,
    /// Thư điện tử.
    pub email: String,
}

/// Validated contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Nơi ở hiện nay.
    pub current_address: Option<String>,
    /// Số điện thoại.
    pub phone: Option<String>,
    /// Thư điện tử.
    pub email: Option<String>,
}

impl ContactInput {
    /// Validates every field at once.
    pub fn validate(&self) -> Result<Contact, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("current_address", &self.current_address), ("phone", &self.phone), ("email", &self.email)]) {
            return Err(e);
        }
        let current_address = text_field(&mut e, "current_address", &self.current_address, false, 300);
        let phone = parse_phone(&self.phone).map_err(|err| e.push(err)).ok().flatten();
        let email = parse_email(&self.email).map_err(|err| e.push(err)).ok().flatten();
        e.into_result()?;
        Ok(Contact { current_address, phone, email })
    }
}

impl MemberProfile {
    /// The profile with its contact details replaced.
    pub fn with_contact(&self, c: Contact) -> MemberProfile {
        MemberProfile { current_address: c.current_address, phone: c.phone, email: c.email, ..self.clone() }
    }
}

fn date_in_future(field: &str, d: NaiveDate, today: NaiveDate) -> FieldError {
    FieldError::new(field, ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(today))
}

/// What happened to a member on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MemberChange {
    /// Ghi nhận đối tượng kết nạp: a candidate proposed by a cell.
    CandidateRegistered { cell: OrgId },
    /// Kết nạp: admitted as probationary member of a cell (party age counts from here).
    Admitted { cell: OrgId },
    /// Công nhận đảng viên chính thức.
    MadeOfficial,
    /// Chuyển sinh hoạt to another cell of this instance.
    Moved { cell: OrgId },
    /// Ghi nhận hồ sơ: an existing member entered from paper records or another system,
    /// with their standing at that date.
    Registered { cell: OrgId, status: MemberStatus },
    /// Nhập từ tệp: an existing member entered by a spreadsheet import, with their standing.
    Imported { cell: OrgId, status: MemberStatus },
    /// Giới thiệu chuyển sinh hoạt: the sending organization issued the introduction letter;
    /// the member is in transit until the receiving organization answers.
    TransferSent,
    /// Tiếp nhận sinh hoạt: the receiving organization accepted the member into a cell.
    TransferAccepted { cell: OrgId },
    /// Không tiếp nhận: the transfer was refused or withdrawn; the member is back in the cell.
    TransferReturned,
    /// Miễn sinh hoạt.
    Exempted,
    /// Đình chỉ sinh hoạt.
    Suspended,
    /// Trở lại sinh hoạt after exemption or suspension.
    Reinstated,
    /// Chuyển sinh hoạt ra ngoài hệ thống.
    TransferredOut,
    /// Xóa tên.
    StruckOff,
    /// Khai trừ.
    Expelled,
    /// Xin ra khỏi Đảng.
    Left,
    /// Từ trần.
    Died,
}

impl MemberChange {
    /// The stable code stored in the database.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CandidateRegistered { .. } => "candidate_registered",
            Self::Admitted { .. } => "admitted",
            Self::MadeOfficial => "made_official",
            Self::Moved { .. } => "moved",
            Self::Registered { .. } => "registered",
            Self::Imported { .. } => "imported",
            Self::TransferSent => "transfer_sent",
            Self::TransferAccepted { .. } => "transfer_accepted",
            Self::TransferReturned => "transfer_returned",
            Self::Exempted => "exempted",
            Self::Suspended => "suspended",
            Self::Reinstated => "reinstated",
            Self::TransferredOut => "transferred_out",
            Self::StruckOff => "struck_off",
            Self::Expelled => "expelled",
            Self::Left => "left",
            Self::Died => "died",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(&self) -> &'static str {
        match self {
            Self::CandidateRegistered { .. } => "Ghi nhận đối tượng kết nạp",
            Self::Admitted { .. } => "Kết nạp vào Đảng",
            Self::MadeOfficial => "Công nhận đảng viên chính thức",
            Self::Moved { .. } => "Chuyển sinh hoạt đảng",
            Self::Registered { .. } => "Ghi nhận hồ sơ đảng viên",
            Self::Imported { .. } => "Nhập hồ sơ từ tệp",
            Self::TransferSent => "Giới thiệu chuyển sinh hoạt",
            Self::TransferAccepted { .. } => "Tiếp nhận sinh hoạt đảng",
            Self::TransferReturned => "Trả lại, không tiếp nhận",
            Self::Exempted => "Miễn sinh hoạt",
            Self::Suspended => "Đình chỉ sinh hoạt",
            Self::Reinstated => "Trở lại sinh hoạt",
            Self::TransferredOut => "Chuyển sinh hoạt ra ngoài",
            Self::StruckOff => "Xóa tên",
            Self::Expelled => "Khai trừ",
            Self::Left => "Ra khỏi Đảng",
            Self::Died => "Từ trần",
        }
    }

    /// Rebuilds a change from its stored columns.
    pub fn from_parts(code: &str, cell: Option<OrgId>, status: Option<MemberStatus>) -> Option<Self> {
        Some(match code {
            "candidate_registered" => Self::CandidateRegistered { cell: cell? },
            "admitted" => Self::Admitted { cell: cell? },
            "made_official" => Self::MadeOfficial,
            "moved" => Self::Moved { cell: cell? },
            "registered" => Self::Registered { cell: cell?, status: status? },
            "imported" => Self::Imported { cell: cell?, status: status? },
            "transfer_sent" => Self::TransferSent,
            "transfer_accepted" => Self::TransferAccepted { cell: cell? },
            "transfer_returned" => Self::TransferReturned,
            "exempted" => Self::Exempted,
            "suspended" => Self::Suspended,
            "reinstated" => Self::Reinstated,
            "transferred_out" => Self::TransferredOut,
            "struck_off" => Self::StruckOff,
            "expelled" => Self::Expelled,
            "left" => Self::Left,
            "died" => Self::Died,
            _ => return None,
        })
    }

    /// The cell this change names, if any.
    pub fn cell(&self) -> Option<OrgId> {
        match self {
            Self::CandidateRegistered { cell }
            | Self::Admitted { cell }
            | Self::Moved { cell }
            | Self::Registered { cell, .. }
            | Self::Imported { cell, .. }
            | Self::TransferAccepted { cell } => Some(*cell),
            _ => None,
        }
    }

    /// The status this change names explicitly (`Registered`, `Imported`).
    pub fn named_status(&self) -> Option<MemberStatus> {
        match self {
            Self::Registered { status, .. } | Self::Imported { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for MemberChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

/// A dated change of one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEvent {
    /// When it took effect (the decision's effective date).
    pub on: NaiveDate,
    /// What changed.
    pub change: MemberChange,
}

/// A member's party state after a sequence of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberState {
    /// Status.
    pub status: MemberStatus,
    /// Current (or last) cell.
    pub cell: OrgId,
    /// Ngày vào Đảng: the admission decision date.
    pub admitted_on: Option<NaiveDate>,
    /// Ngày chính thức.
    pub official_on: Option<NaiveDate>,
    /// Recognized as official at some point (by a decision here, or per the records a member
    /// was registered from, whose date may be unknown).
    pub recognized: bool,
}

/// An interval in which a member's cell and status were constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpan {
    /// First day.
    pub from: NaiveDate,
    /// First day after (exclusive).
    pub until: NaiveDate,
    /// Cell during the interval.
    pub cell: OrgId,
    /// Status during the interval.
    pub status: MemberStatus,
}

/// The whole derived view of a member's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHistory {
    /// State after the last event.
    pub state: MemberState,
    /// Validity spans, in date order, covering from the first event on.
    pub spans: Vec<MemberSpan>,
}

fn refuse(change: &MemberChange, status: Option<MemberStatus>) -> ValidationErrors {
    FieldError::new("event", ErrorCode::TransitionNotAllowed)
        .with("event", change.label_vi())
        .with("status", status.map(|s| s.label_vi()).unwrap_or("chưa có hồ sơ"))
        .into()
}

/// Applies one event to a state (None: no record yet). Encodes which events may follow which
/// status; the deadline and vote rules of the rule set are checked by the callers that have it.
pub fn apply(state: Option<&MemberState>, ev: &MemberEvent) -> Result<MemberState, ValidationErrors> {
    use MemberChange as C;
    use MemberStatus as S;
    let status = state.map(|s| s.status);
    let next = match (&ev.change, state) {
        (C::CandidateRegistered { cell }, None) => MemberState { status: S::Candidate, cell: *cell, admitted_on: None, official_on: None, recognized: false },
        (C::Admitted { cell }, None) => MemberState { status: S::Probationary, cell: *cell, admitted_on: Some(ev.on), official_on: None, recognized: false },
        // A candidate admitted, or a former member readmitted (kết nạp lại) after being struck
        // off. Those who quit the party are not readmitted; an expelled person's readmission
        // depends on the grounds, which are not recorded here, so it is not offered.
        (C::Admitted { cell }, Some(s)) if matches!(s.status, S::Candidate | S::StruckOff) => {
            MemberState { status: S::Probationary, cell: *cell, admitted_on: Some(ev.on), official_on: None, recognized: false }
        }
        (C::Registered { cell, status: st @ (S::Probationary | S::Official) } | C::Imported { cell, status: st @ (S::Probationary | S::Official) }, prev)
            if prev.is_none_or(|p| p.status == S::TransferredOut) =>
        {
            MemberState {
                status: *st,
                cell: *cell,
                admitted_on: prev.and_then(|p| p.admitted_on),
                official_on: prev.and_then(|p| p.official_on),
                recognized: *st == S::Official || prev.is_some_and(|p| p.recognized),
            }
        }
        (C::TransferSent, Some(s)) if matches!(s.status, S::Probationary | S::Official) => MemberState { status: S::InTransit, ..s.clone() },
        (C::TransferAccepted { cell }, Some(s)) if s.status == S::InTransit => MemberState { status: standing(s), cell: *cell, ..s.clone() },
        (C::TransferReturned, Some(s)) if s.status == S::InTransit => MemberState { status: standing(s), ..s.clone() },
        (C::MadeOfficial, Some(s)) if s.status == S::Probationary => {
            MemberState { status: S::Official, official_on: Some(ev.on), recognized: true, ..s.clone() }
        }
        (C::Moved { cell }, Some(s)) if matches!(s.status, S::Candidate | S::Probationary | S::Official | S::Exempt | S::Suspended) && s.cell != *cell => {
            MemberState { cell: *cell, ..s.clone() }
        }
        (C::Exempted, Some(s)) if matches!(s.status, S::Probationary | S::Official) => MemberState { status: S::Exempt, ..s.clone() },
        (C::Suspended, Some(s)) if matches!(s.status, S::Probationary | S::Official | S::Exempt) => MemberState { status: S::Suspended, ..s.clone() },
        (C::Reinstated, Some(s)) if matches!(s.status, S::Exempt | S::Suspended) => MemberState { status: standing(s), ..s.clone() },
        (C::TransferredOut, Some(s)) if s.status.is_member() => MemberState { status: S::TransferredOut, ..s.clone() },
        (C::StruckOff, Some(s)) if s.status.is_member() => MemberState { status: S::StruckOff, ..s.clone() },
        (C::Expelled, Some(s)) if s.status.is_member() => MemberState { status: S::Expelled, ..s.clone() },
        (C::Left, Some(s)) if s.status.is_member() || s.status == S::Candidate => MemberState { status: S::Left, ..s.clone() },
        (C::Died, Some(s)) if s.status.is_member() || matches!(s.status, S::Candidate | S::InTransit) => MemberState { status: S::Deceased, ..s.clone() },
        (change, _) => return Err(refuse(change, status)),
    };
    Ok(next)
}

/// Official or probationary, by whether the member was ever recognized.
fn standing(s: &MemberState) -> MemberStatus {
    if s.recognized || s.official_on.is_some() { MemberStatus::Official } else { MemberStatus::Probationary }
}

/// Replays a member's events (sorted by date, then recording order) into the current state
/// and the validity spans. Also checks every date against birth and today.
pub fn replay(birth_date: NaiveDate, events: &[MemberEvent], today: NaiveDate) -> Result<MemberHistory, ValidationErrors> {
    let mut state: Option<MemberState> = None;
    let mut spans: Vec<MemberSpan> = Vec::with_capacity(events.len());
    let mut last_on: Option<NaiveDate> = None;
    for ev in events {
        check_event_date(ev.on, birth_date, today)?;
        if last_on.is_some_and(|l| ev.on < l) {
            // Callers sort; an unsorted list is a programming error, reported rather than
            // producing overlapping spans.
            return Err(FieldError::new("event_date", ErrorCode::EventBeforeStart)
                .with("date", format_date(ev.on))
                .with("start", format_date(last_on.unwrap_or(ev.on)))
                .into());
        }
        last_on = Some(ev.on);
        let next = apply(state.as_ref(), ev)?;
        if let Some(last) = spans.last_mut() {
            last.until = ev.on;
        }
        spans.push(MemberSpan { from: ev.on, until: OPEN_END, cell: next.cell, status: next.status });
        state = Some(next);
    }
    spans.retain(|s| s.from < s.until);
    let state = state.ok_or_else(|| ValidationErrors::from(FieldError::new("event", ErrorCode::Required)))?;
    Ok(MemberHistory { state, spans: merge_adjacent(spans) })
}

/// A recognition recorded as a plain event (a member registered or imported from earlier
/// records, or admitted by an event) obeys the probation a case's recognition obeys: not
/// before it has ended, by the rules in force on the admission date. Probation is counted
/// from `admitted_on`, the admission date the records give (a case counts it from the
/// ceremony, which only a case knows).
pub fn check_probation_over(admitted_on: NaiveDate, on: NaiveDate, book: &crate::rules::RuleBook) -> Result<(), ValidationErrors> {
    let ends = book.at(admitted_on).probation_ends(admitted_on);
    if on < ends {
        return Err(FieldError::new("event_date", ErrorCode::ProbationNotOver).with("date", format_date(on)).with("ends", format_date(ends)).into());
    }
    Ok(())
}

/// The day a member's probation is counted from for a recognition recorded as an event: the
/// admission date recorded, or, when the records gave none, the first day of their history
/// here: they were admitted on it or before, so counting from it never ends probation early
/// (recording the real admission date allows an earlier recognition).
pub fn probation_start(admitted_on: Option<NaiveDate>, events: &[MemberEvent]) -> Option<NaiveDate> {
    admitted_on.or_else(|| events.first().map(|e| e.on))
}

/// Refuses an event date in the future or before the member's birth.
pub fn check_event_date(on: NaiveDate, birth_date: NaiveDate, today: NaiveDate) -> Result<(), ValidationErrors> {
    if on > today {
        return Err(date_in_future("event_date", on, today).into());
    }
    if on < birth_date {
        return Err(FieldError::new("event_date", ErrorCode::DateBeforeBirth).with("date", format_date(on)).with("birth", format_date(birth_date)).into());
    }
    Ok(())
}

fn merge_adjacent(spans: Vec<MemberSpan>) -> Vec<MemberSpan> {
    let mut out: Vec<MemberSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        if let Some(last) = out.last_mut()
            && last.until == s.from
            && last.cell == s.cell
            && last.status == s.status
        {
            last.until = s.until;
            continue;
        }
        out.push(s);
    }
    out
}

/// The state on a given date, from spans (None before the first event).
pub fn span_at(spans: &[MemberSpan], on: NaiveDate) -> Option<&MemberSpan> {
    spans.iter().find(|s| s.from <= on && on < s.until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn ev(on: NaiveDate, change: MemberChange) -> MemberEvent {
        MemberEvent { on, change }
    }
    const TODAY: fn() -> NaiveDate = || d(2026, 11, 24);

    #[test]
    fn cccd_keeps_leading_zeros_and_counts_digits() {
        assert_eq!(Cccd::parse("001 085 012345").unwrap().as_str(), "001085012345");
        let e = Cccd::parse("01085012345").unwrap_err();
        assert_eq!(e.code, ErrorCode::CccdFormat);
        assert_eq!(e.full_message(Lang::Vi), "Số CCCD: số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)");
        assert_eq!(Cccd::parse("00108501234a").unwrap_err().code, ErrorCode::CccdFormat);
    }

    #[test]
    fn life_from_admission_to_official_and_a_move() {
        let events = vec![
            ev(d(2010, 3, 1), MemberChange::Admitted { cell: 5 }),
            ev(d(2011, 3, 1), MemberChange::MadeOfficial),
            ev(d(2015, 6, 1), MemberChange::Moved { cell: 9 }),
        ];
        let h = replay(d(1985, 1, 1), &events, TODAY()).unwrap();
        assert_eq!(h.state.status, MemberStatus::Official);
        assert_eq!(h.state.cell, 9);
        assert_eq!(h.state.admitted_on, Some(d(2010, 3, 1)));
        assert_eq!(h.state.official_on, Some(d(2011, 3, 1)));
        assert_eq!(h.spans.len(), 3);
        assert_eq!(span_at(&h.spans, d(2010, 12, 31)).unwrap().status, MemberStatus::Probationary);
        assert_eq!(span_at(&h.spans, d(2015, 5, 31)).unwrap().cell, 5);
        assert_eq!(span_at(&h.spans, d(2015, 6, 1)).unwrap().cell, 9);
        assert!(span_at(&h.spans, d(2010, 2, 28)).is_none());
    }

    #[test]
    fn future_event_is_refused_in_vietnamese() {
        let events = vec![ev(d(2026, 11, 25), MemberChange::Admitted { cell: 5 })];
        let err = replay(d(1985, 1, 1), &events, TODAY()).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::DateInFuture);
        assert_eq!(err.summary(Lang::Vi), "Ngày sự kiện: ngày 25/11/2026 ở tương lai (hôm nay là 24/11/2026)");
    }

    #[test]
    fn event_before_birth_is_refused_in_vietnamese() {
        let events = vec![ev(d(1980, 1, 1), MemberChange::Admitted { cell: 5 })];
        let err = replay(d(1985, 1, 1), &events, TODAY()).unwrap_err();
        assert_eq!(err.summary(Lang::Vi), "Ngày sự kiện: ngày 01/01/1980 trước ngày sinh của đảng viên (01/01/1985)");
    }

    #[test]
    fn official_needs_probation_first() {
        let events = vec![ev(d(2010, 3, 1), MemberChange::CandidateRegistered { cell: 5 }), ev(d(2011, 3, 1), MemberChange::MadeOfficial)];
        let err = replay(d(1985, 1, 1), &events, TODAY()).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::TransitionNotAllowed);
        assert!(err.summary(Lang::Vi).contains("Công nhận đảng viên chính thức"));
        assert!(err.summary(Lang::Vi).contains("Quần chúng ưu tú"));
    }

    #[test]
    fn nothing_follows_death_and_exits_are_terminal() {
        for exit in [MemberChange::Died, MemberChange::Expelled, MemberChange::Left, MemberChange::StruckOff] {
            let events = vec![
                ev(d(2010, 3, 1), MemberChange::Admitted { cell: 5 }),
                ev(d(2012, 1, 1), exit.clone()),
                ev(d(2013, 1, 1), MemberChange::Moved { cell: 6 }),
            ];
            assert!(replay(d(1985, 1, 1), &events, TODAY()).is_err(), "{exit:?} should be terminal");
        }
    }

    #[test]
    fn reinstatement_restores_the_standing() {
        let events = vec![
            ev(d(2010, 3, 1), MemberChange::Admitted { cell: 5 }),
            ev(d(2011, 3, 1), MemberChange::MadeOfficial),
            ev(d(2020, 1, 1), MemberChange::Suspended),
            ev(d(2020, 4, 1), MemberChange::Reinstated),
        ];
        let h = replay(d(1985, 1, 1), &events, TODAY()).unwrap();
        assert_eq!(h.state.status, MemberStatus::Official);
        assert_eq!(span_at(&h.spans, d(2020, 2, 1)).unwrap().status, MemberStatus::Suspended);
    }

    #[test]
    fn a_transfer_is_in_transit_until_accepted_or_returned() {
        let admitted = ev(d(2015, 3, 1), MemberChange::Admitted { cell: 1 });
        let official = ev(d(2016, 3, 1), MemberChange::MadeOfficial);
        let sent = ev(d(2026, 10, 1), MemberChange::TransferSent);
        let accepted = ev(d(2026, 10, 20), MemberChange::TransferAccepted { cell: 2 });
        let h = replay(d(1990, 1, 1), &[admitted.clone(), official.clone(), sent.clone(), accepted], TODAY()).unwrap();
        let statuses: Vec<_> = h.spans.iter().map(|s| (s.cell, s.status)).collect();
        assert_eq!(statuses, [(1, MemberStatus::Probationary), (1, MemberStatus::Official), (1, MemberStatus::InTransit), (2, MemberStatus::Official)]);
        assert!(!MemberStatus::InTransit.is_member());
        let back =
            replay(d(1990, 1, 1), &[admitted.clone(), official.clone(), sent.clone(), ev(d(2026, 10, 5), MemberChange::TransferReturned)], TODAY()).unwrap();
        assert_eq!((back.state.cell, back.state.status), (1, MemberStatus::Official));
        // Nothing but an answer (or death) follows a letter.
        assert!(replay(d(1990, 1, 1), &[admitted.clone(), sent.clone(), ev(d(2026, 10, 5), MemberChange::Moved { cell: 3 })], TODAY()).is_err());
        assert!(replay(d(1990, 1, 1), &[admitted, official, sent.clone(), sent], TODAY()).is_err());
    }

    #[test]
    fn readmission_after_being_struck_off_but_not_after_quitting_or_expulsion() {
        let admitted = ev(d(2010, 3, 1), MemberChange::Admitted { cell: 1 });
        let again = ev(d(2024, 3, 1), MemberChange::Admitted { cell: 2 });
        let h = replay(d(1980, 1, 1), &[admitted.clone(), ev(d(2015, 1, 1), MemberChange::StruckOff), again.clone()], TODAY()).unwrap();
        assert_eq!((h.state.status, h.state.admitted_on, h.state.official_on), (MemberStatus::Probationary, Some(d(2024, 3, 1)), None));
        assert!(replay(d(1980, 1, 1), &[admitted.clone(), ev(d(2015, 1, 1), MemberChange::Expelled), again.clone()], TODAY()).is_err());
        assert!(replay(d(1980, 1, 1), &[admitted, ev(d(2015, 1, 1), MemberChange::Left), again], TODAY()).is_err());
    }

    #[test]
    fn move_to_the_same_cell_is_refused() {
        let events = vec![ev(d(2010, 3, 1), MemberChange::Admitted { cell: 5 }), ev(d(2012, 1, 1), MemberChange::Moved { cell: 5 })];
        assert!(replay(d(1985, 1, 1), &events, TODAY()).is_err());
    }

    #[test]
    fn unsorted_events_are_refused() {
        let events = vec![ev(d(2012, 3, 1), MemberChange::Admitted { cell: 5 }), ev(d(2011, 3, 1), MemberChange::MadeOfficial)];
        assert!(replay(d(1985, 1, 1), &events, TODAY()).is_err());
    }

    #[test]
    fn form_validation_reports_every_field_and_keeps_valid_ones() {
        let input = MemberInput { full_name: "  ".into(), gender: "x".into(), birth_date: "31/02/1980".into(), cccd: "12345".into(), ..Default::default() };
        let err = input.validate(TODAY()).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["full_name", "gender", "birth_date", "cccd"]);
        assert!(err.summary(Lang::Vi).contains("Ngày sinh: ngày «31/02/1980» không hợp lệ"));
    }

    #[test]
    fn valid_form_round_trips_through_input() {
        let input = MemberInput {
            full_name: "Nguyễn  Văn Thành".into(),
            gender: "nam".into(),
            birth_date: "15/06/1962".into(),
            cccd: "022062001234".into(),
            political_theory: "trung_cap".into(),
            ..Default::default()
        };
        let p = input.validate(TODAY()).unwrap();
        assert_eq!(p.full_name, "Nguyễn Văn Thành");
        assert_eq!(p.ethnicity, "Kinh");
        assert_eq!(p.political_theory, PoliticalTheory::Intermediate);
        let again = MemberInput::from(&p).validate(TODAY()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn contact_details_are_validated_with_field_names() {
        let ok =
            ContactInput { current_address: " Khu phố 3,  phường Cửa Ông ".into(), phone: "0912 345 678".into(), email: "thanh@example.vn".into() }
                .validate()
                .unwrap();
        assert_eq!(ok.phone.as_deref(), Some("0912345678"));
        assert_eq!(ok.current_address.as_deref(), Some("Khu phố 3, phường Cửa Ông"));
        assert_eq!(parse_phone("+84 912 345 678").unwrap().as_deref(), Some("+84912345678"));
        let err = ContactInput { phone: "12ab".into(), email: "thanh@".into(), ..Default::default() }.validate().unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["phone", "email"]);
        assert!(err.summary(Lang::Vi).starts_with("Số điện thoại: "));
    }

    #[test]
    fn too_young_birth_date_is_implausible() {
        let input = MemberInput { full_name: "Lê An".into(), gender: "nu".into(), birth_date: "01/01/2015".into(), ..Default::default() };
        assert_eq!(input.validate(TODAY()).unwrap_err().errors[0].code, ErrorCode::BirthDateImplausible);
    }

    #[test]
    fn stored_parts_round_trip() {
        for c in [
            MemberChange::Admitted { cell: 3 },
            MemberChange::Registered { cell: 3, status: MemberStatus::Official },
            MemberChange::MadeOfficial,
            MemberChange::Died,
        ] {
            assert_eq!(MemberChange::from_parts(c.code(), c.cell(), c.named_status()), Some(c));
        }
    }
}

#[cfg(test)]
mod serde_tests {
    use super::*;

    #[test]
    fn coded_values_serialize_as_their_stored_codes() {
        assert_eq!(serde_json::to_value(Gender::Female).unwrap(), "nu");
        assert_eq!(serde_json::to_value(Education::University).unwrap(), "dai_hoc");
        assert_eq!(serde_json::from_value::<MemberStatus>("struck_off".into()).unwrap(), MemberStatus::StruckOff);
        assert_eq!(serde_json::to_value(crate::org::OrgKind::UpperGrassroots).unwrap(), "tren_co_so");
    }
}
