//! Every row parsed and validated before anything is written: the member form's own rules
//! (`MemberInput::validate`), the party dates, the cell, duplicates inside the file and
//! probable duplicates of members already recorded. Messages are Vietnamese and name the row
//! and the column.

use crate::mapping::{Field, Mapping};
use crate::read::{Table, excel_serial_date};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::error::{ErrorCode, FieldError, Lang, field_label};
use chibo_domain::member::{Education, MemberInput, MemberStatus, PoliticalTheory};
use chibo_domain::text::fold;
use chibo_store::import::{ExistingMembers, ImportRow, ImportTarget};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number in the file.
    pub line: usize,
    /// Header of the column at fault, when the field is mapped to one.
    pub column: Option<String>,
    /// What is wrong.
    pub error: FieldError,
}

impl RowError {
    /// "Dòng 5, cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)".
    pub fn message(&self) -> String {
        self.message_in(Lang::Vi)
    }

    /// The message in a language ("Row 5, column «Số CCCD»: …" in English).
    pub fn message_in(&self, lang: Lang) -> String {
        let row = if lang == Lang::Vi { "Dòng" } else { "Row" };
        format!("{row} {}, {}", self.line, self.cell_message_in(lang))
    }

    /// The message without the row ("cột «Số CCCD»: ..."), for a table that shows the row.
    pub fn cell_message(&self) -> String {
        self.cell_message_in(Lang::Vi)
    }

    /// [`RowError::cell_message`] in a language.
    pub fn cell_message_in(&self, lang: Lang) -> String {
        let column = self.column.clone().unwrap_or_else(|| field_label(&self.error.field, lang).to_owned());
        let word = if lang == Lang::Vi { "cột" } else { "column" };
        format!("{word} «{}»: {}", column, self.error.message(lang))
    }
}

/// A row of the file after validation (its cells stay in the [`Table`], at the same index).
#[derive(Debug, Clone)]
pub struct RowResult {
    /// Row number in the file.
    pub line: usize,
    /// Problems (empty: the row can be imported).
    pub errors: Vec<RowError>,
    /// The member to write, when there is no problem.
    pub row: Option<ImportRow>,
}

/// The whole file validated.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// Problems with the file as a whole (a required column not mapped).
    pub problems: Vec<FieldError>,
    /// Every data row.
    pub rows: Vec<RowResult>,
}

impl Preview {
    /// Rows without errors.
    pub fn valid_count(&self) -> usize {
        self.rows.iter().filter(|r| r.errors.is_empty() && r.row.is_some()).count()
    }

    /// Rows with at least one error.
    pub fn invalid_count(&self) -> usize {
        self.rows.len() - self.valid_count()
    }

    /// Whether the whole file can be imported.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.invalid_count() == 0
    }

    /// The members of the valid rows.
    pub fn valid_rows(&self) -> Vec<&ImportRow> {
        if !self.problems.is_empty() {
            return Vec::new();
        }
        self.rows.iter().filter(|r| r.errors.is_empty()).filter_map(|r| r.row.as_ref()).collect()
    }

    /// Every row error, in file order.
    pub fn errors(&self) -> impl Iterator<Item = &RowError> {
        self.rows.iter().flat_map(|r| r.errors.iter())
    }
}

/// Fields without which no row can be imported.
pub const REQUIRED: [Field; 3] = [Field::FullName, Field::Gender, Field::BirthDate];

/// Reads a date as an import finds it: an Excel serial number, dd/mm/yyyy, d/m/yy or
/// yyyy-mm-dd. Two-digit years are this century up to this year, else the last.
pub fn parse_import_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(serial) = s.parse::<f64>()
        && !s.contains(['/', '-'])
    {
        return excel_serial_date(serial).filter(|_| serial >= 60.0);
    }
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    if let [d, m, y] = parts[..]
        && y.len() == 2
    {
        let yy: i32 = y.parse().ok()?;
        let century = if yy <= today.year() % 100 { 2000 } else { 1900 };
        return NaiveDate::from_ymd_opt(century + yy, m.parse().ok()?, d.parse().ok()?);
    }
    None
}

fn parse_choice<T: Copy>(raw: &str, all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> String {
    let f = fold(raw);
    all.iter().find(|v| code(**v) == raw.trim() || fold(label(**v)) == f).map(|v| code(*v).to_owned()).unwrap_or_else(|| raw.trim().to_owned())
}

fn parse_gender(raw: &str) -> String {
    match fold(raw).as_str() {
        "nam" | "male" | "m" => "nam".to_owned(),
        "nu" | "female" | "f" => "nu".to_owned(),
        _ => raw.trim().to_owned(),
    }
}

/// Statuses an import may record, by folded label or code.
fn parse_status(raw: &str) -> Result<Option<MemberStatus>, FieldError> {
    let f = fold(raw);
    let s = match f.as_str() {
        "" => return Ok(None),
        "dang vien du bi" | "du bi" | "probationary" => MemberStatus::Probationary,
        "dang vien chinh thuc" | "chinh thuc" | "official" => MemberStatus::Official,
        "mien sinh hoat" | "exempt" => MemberStatus::Exempt,
        "dinh chi sinh hoat" | "suspended" => MemberStatus::Suspended,
        _ => return Err(FieldError::new("status", ErrorCode::InvalidChoice).with("value", raw.trim())),
    };
    Ok(Some(s))
}

/// What rows are checked against.
pub struct Context<'a> {
    target: &'a ImportTarget,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    today: NaiveDate,
}

impl<'a> Context<'a> {
    /// The lookups of a target.
    pub fn new(target: &'a ImportTarget, today: NaiveDate) -> Self {
        let by_code = target.cells.iter().enumerate().map(|(i, c)| (c.code.to_lowercase(), i)).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in target.cells.iter().enumerate() {
            by_name.entry(fold(&c.name)).or_default().push(i);
        }
        Context { target, by_code, by_name, today }
    }

    fn cell(&self, code: &str, name: &str) -> Result<usize, FieldError> {
        let unknown = |v: &str| FieldError::new("cell", ErrorCode::ImportUnknownCell).with("value", v).with("org", &self.target.org.name);
        if !code.trim().is_empty() {
            return self.by_code.get(&code.trim().to_lowercase()).copied().ok_or_else(|| unknown(code.trim()));
        }
        if !name.trim().is_empty() {
            return match self.by_name.get(&fold(name)).map(Vec::as_slice) {
                Some([one]) => Ok(*one),
                Some(many) if many.len() > 1 => Err(FieldError::new("cell", ErrorCode::OrgAmbiguous)
                    .with("value", name.trim())
                    .with("candidates", many.iter().map(|i| self.target.cells[*i].code.as_str()).collect::<Vec<_>>().join(", "))),
                // A code typed in the name column.
                _ => self.by_code.get(&name.trim().to_lowercase()).copied().ok_or_else(|| unknown(name.trim())),
            };
        }
        // No cell given: the target itself when it is the only cell.
        match self.target.cells.as_slice() {
            [only] if only.id == self.target.org.id => Ok(0),
            _ => Err(FieldError::new("cell", ErrorCode::Required)),
        }
    }
}

/// Parses and validates every row (duplicates excepted: see [`check_duplicates`]).
pub fn parse_rows(table: &Table, mapping: &Mapping, ctx: &Context<'_>, progress: &dyn Fn(u64, u64)) -> Preview {
    let mut problems = Vec::new();
    for f in REQUIRED {
        if mapping.column(f).is_none() {
            problems.push(FieldError::new("mapping", ErrorCode::ImportMissingColumn).with("column", f.label()));
        }
    }
    for f in mapping.repeated() {
        problems.push(FieldError::new("mapping", ErrorCode::InvalidChoice).with("value", format!("{} (chọn cho nhiều cột)", f.label())));
    }
    let total = table.rows.len() as u64;
    let mut rows = Vec::with_capacity(table.rows.len());
    for (i, (line, cells)) in table.rows.iter().enumerate() {
        rows.push(parse_row(*line, cells, &table.headers, mapping, ctx));
        if i % 5_000 == 4_999 {
            progress(i as u64 + 1, total);
        }
    }
    progress(total, total);
    Preview { problems, rows }
}

fn column_of(field: &str, headers: &[String], mapping: &Mapping) -> Option<String> {
    let col = match field {
        "cell" => mapping.column(Field::CellCode).or_else(|| mapping.column(Field::Cell)),
        f => Field::from_code(f).and_then(|f| mapping.column(f)),
    };
    col.and_then(|c| headers.get(c)).cloned()
}

fn parse_row(line: usize, cells: &[String], headers: &[String], mapping: &Mapping, ctx: &Context<'_>) -> RowResult {
    let get = |f: Field| mapping.column(f).and_then(|c| cells.get(c)).map(String::as_str).unwrap_or("");
    let today = ctx.today;
    let date_text = |raw: &str| parse_import_date(raw, today).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| raw.trim().to_owned());
    let input = MemberInput {
        full_name: get(Field::FullName).to_owned(),
        other_name: get(Field::OtherName).to_owned(),
        gender: parse_gender(get(Field::Gender)),
        birth_date: date_text(get(Field::BirthDate)),
        birth_place: get(Field::BirthPlace).to_owned(),
        home_town: get(Field::HomeTown).to_owned(),
        ethnicity: get(Field::Ethnicity).to_owned(),
        religion: get(Field::Religion).to_owned(),
        permanent_address: get(Field::PermanentAddress).to_owned(),
        current_address: get(Field::CurrentAddress).to_owned(),
        phone: get(Field::Phone).to_owned(),
        email: get(Field::Email).to_owned(),
        cccd: get(Field::Cccd).to_owned(),
        card_number: get(Field::CardNumber).to_owned(),
        occupation: get(Field::Occupation).to_owned(),
        general_education: get(Field::GeneralEducation).to_owned(),
        professional_education: parse_choice(get(Field::ProfessionalEducation), Education::ALL, Education::code, Education::label_vi),
        political_theory: parse_choice(get(Field::PoliticalTheory), PoliticalTheory::ALL, PoliticalTheory::code, PoliticalTheory::label_vi),
        party_position: get(Field::PartyPosition).to_owned(),
        government_position: get(Field::GovernmentPosition).to_owned(),
    };
    let mut errs: Vec<FieldError> = Vec::new();
    let profile = input.validate(today).map_err(|e| errs.extend(e.errors)).ok();
    let birth = profile.as_ref().map(|p| p.birth_date);
    let mut party_date = |field: &str, raw: &str| -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match parse_import_date(raw, today) {
            None => errs.push(FieldError::new(field, ErrorCode::DateFormat).with("value", raw)),
            Some(d) if d > today => errs.push(FieldError::new(field, ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(today))),
            Some(d) if birth.is_some_and(|b| d < b) => {
                errs.push(FieldError::new(field, ErrorCode::DateBeforeBirth).with("date", format_date(d)).with("birth", format_date(birth.unwrap_or(d))))
            }
            Some(d) => return Some(d),
        }
        None
    };
    let admitted_on = party_date("admitted_on", get(Field::AdmittedOn));
    let official_on = party_date("official_on", get(Field::OfficialOn));
    if let (Some(a), Some(o)) = (admitted_on, official_on)
        && o < a
    {
        errs.push(
            FieldError::new("official_on", ErrorCode::DateBeforeOther)
                .with("date", format_date(o))
                .with("other", "ngày vào Đảng")
                .with("other_date", format_date(a)),
        );
    }
    let given = parse_status(get(Field::Status)).map_err(|e| errs.push(e)).ok().flatten();
    let status = given.unwrap_or(if official_on.is_some() { MemberStatus::Official } else { MemberStatus::Probationary });
    // The standing and the party dates must tell one story.
    let disagree = |why: &str| FieldError::new("status", ErrorCode::StatusDatesDisagree).with("status", status.label_vi()).with("why", why);
    if official_on.is_some() && admitted_on.is_none() {
        errs.push(FieldError::new("admitted_on", ErrorCode::Required));
    }
    if given == Some(MemberStatus::Probationary) && official_on.is_some() {
        errs.push(disagree("đã có ngày chính thức"));
    }

    let cell = ctx.cell(get(Field::CellCode), get(Field::Cell)).map_err(|e| errs.push(e)).ok();
    let errors: Vec<RowError> = errs.into_iter().map(|error| RowError { line, column: column_of(&error.field, headers, mapping), error }).collect();
    let row = match (profile, cell, errors.is_empty()) {
        (Some(profile), Some(cell), true) => Some(ImportRow { line, profile, cell: ctx.target.cells[cell].id, status, admitted_on, official_on }),
        _ => None,
    };
    RowResult { line, errors, row }
}

/// The keys rows are compared on, to look up members already recorded: CCCDs, card numbers,
/// and folded names with birth dates.
pub fn lookup_keys(preview: &Preview) -> (Vec<String>, Vec<String>, Vec<(String, NaiveDate)>) {
    let mut cccds = Vec::new();
    let mut cards = Vec::new();
    let mut names = Vec::new();
    for r in preview.rows.iter().filter_map(|r| r.row.as_ref()) {
        if let Some(c) = &r.profile.cccd {
            cccds.push(c.as_str().to_owned());
        }
        if let Some(c) = &r.profile.card_number {
            cards.push(c.as_str().to_owned());
        }
        names.push((fold(&r.profile.full_name), r.profile.birth_date));
    }
    (cccds, cards, names)
}

/// Marks rows that repeat an earlier row of the file, or probably repeat a member already
/// recorded, by CCCD, card number, or name and birth date.
pub fn check_duplicates(preview: &mut Preview, headers: &[String], mapping: &Mapping, existing: &ExistingMembers) {
    let mut seen_cccd: HashMap<String, usize> = HashMap::new();
    let mut seen_card: HashMap<String, usize> = HashMap::new();
    let mut seen_name: HashMap<(String, NaiveDate), usize> = HashMap::new();
    for r in &mut preview.rows {
        let Some(row) = &r.row else { continue };
        let mut errs = Vec::new();
        let line = r.line;
        let name_key = (fold(&row.profile.full_name), row.profile.birth_date);
        let keys: [(&str, &str, Option<String>); 2] = [
            ("cccd", "số CCCD", row.profile.cccd.as_ref().map(|c| c.as_str().to_owned())),
            ("card_number", "số thẻ đảng viên", row.profile.card_number.as_ref().map(|c| c.as_str().to_owned())),
        ];
        for (field, what, key) in keys {
            let Some(key) = key else { continue };
            let (seen, known) = if field == "cccd" { (&mut seen_cccd, &existing.by_cccd) } else { (&mut seen_card, &existing.by_card) };
            if let Some(m) = known.get(&key) {
                errs.push(FieldError::new(field, ErrorCode::ImportDuplicateExisting).with("member", &m.label).with("what", what));
            } else if let Some(first) = seen.get(&key) {
                errs.push(FieldError::new(field, ErrorCode::ImportDuplicateInFile).with("what", what).with("row", first));
            } else {
                seen.insert(key, line);
            }
        }
        if errs.is_empty() {
            if let Some(m) = existing.by_name_birth.get(&name_key) {
                errs.push(FieldError::new("full_name", ErrorCode::ImportDuplicateExisting).with("member", &m.label).with("what", "họ tên và ngày sinh"));
            } else if let Some(first) = seen_name.get(&name_key) {
                errs.push(FieldError::new("full_name", ErrorCode::ImportDuplicateInFile).with("what", "họ tên và ngày sinh").with("row", first));
            } else {
                seen_name.insert(name_key, line);
            }
        }
        if !errs.is_empty() {
            r.errors.extend(errs.into_iter().map(|error| RowError { line, column: column_of(&error.field, headers, mapping), error }));
            r.row = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let today = d(2026, 11, 25);
        for s in ["15/06/1962", "15-06-1962", "1962-06-15", "22812", "15/6/62"] {
            assert_eq!(parse_import_date(s, today), Some(d(1962, 6, 15)), "{s}");
        }
        assert_eq!(parse_import_date("1/2/05", today), Some(d(2005, 2, 1)));
        assert_eq!(parse_import_date("31/02/1980", today), None);
        assert_eq!(parse_import_date("hôm qua", today), None);
    }

    #[test]
    fn statuses_and_choices_by_label() {
        assert_eq!(parse_status("Đảng viên chính thức").unwrap(), Some(MemberStatus::Official));
        assert_eq!(parse_status("du bi").unwrap(), Some(MemberStatus::Probationary));
        assert!(parse_status("Quần chúng ưu tú").is_err());
        assert_eq!(parse_choice("Trung cấp", PoliticalTheory::ALL, PoliticalTheory::code, PoliticalTheory::label_vi), "trung_cap");
        assert_eq!(parse_gender("Nữ"), "nu");
    }
}
