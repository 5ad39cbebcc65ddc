//! The member list as a spreadsheet or CSV, in the columns the import reads (so an export
//! imports back unchanged), and the rejected rows of an import with an error column. Every
//! value is written as text: IDs keep their leading zeros, dates read dd/mm/yyyy.

use crate::mapping::Field;
use chibo_domain::calendar::format_date;
use chibo_store::member::Member;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The export's header row: every field's Vietnamese title.
pub fn headers() -> Vec<String> {
    Field::ALL.iter().map(|f| f.label().to_owned()).collect()
}

/// One member as export cells, in [`headers`] order; `cell_code` is the code of their cell.
pub fn member_cells(m: &Member, cell_code: &str) -> Vec<String> {
    let p = &m.profile;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let d = |v: Option<chrono::NaiveDate>| v.map(format_date).unwrap_or_default();
    Field::ALL
        .iter()
        .map(|f| match f {
            Field::FullName => p.full_name.clone(),
            Field::OtherName => o(&p.other_name),
            Field::Gender => p.gender.label_vi().to_owned(),
            Field::BirthDate => format_date(p.birth_date),
            Field::BirthPlace => o(&p.birth_place),
            Field::HomeTown => o(&p.home_town),
            Field::Ethnicity => p.ethnicity.clone(),
            Field::Religion => p.religion.clone(),
            Field::PermanentAddress => o(&p.permanent_address),
            Field::CurrentAddress => o(&p.current_address),
            Field::Phone => o(&p.phone),
            Field::Email => o(&p.email),
            Field::Cccd => p.cccd.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            Field::CardNumber => p.card_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            Field::Occupation => o(&p.occupation),
            Field::GeneralEducation => o(&p.general_education),
            Field::ProfessionalEducation => p.professional_education.label_vi().to_owned(),
            Field::PoliticalTheory => p.political_theory.label_vi().to_owned(),
            Field::PartyPosition => o(&p.party_position),
            Field::GovernmentPosition => o(&p.government_position),
            Field::CellCode => cell_code.to_owned(),
            Field::Cell => m.org_name.clone(),
            Field::Status => m.status.label_vi().to_owned(),
            Field::AdmittedOn => d(m.admitted_on),
            Field::OfficialOn => d(m.official_on),
        })
        .collect()
}

/// A sheet as .xlsx bytes, every cell as text, the header row bold and frozen.
pub fn xlsx(sheet: &str, headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_format(c as u16, &text)?;
        ws.set_column_width(c as u16, (h.chars().count() as f64 + 4.0).max(12.0))?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
/// apostrophe, which spreadsheets show as text and the import removes again.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}").into() } else { cell.into() }
}

/// Undoes [`defuse`] for a cell read back from a CSV.
pub fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// A sheet as CSV in UTF-8 with a BOM (so Excel opens the diacritics correctly).
pub fn csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(headers);
        for r in rows {
            let _ = w.write_record(r.iter().map(|c| defuse(c).into_owned()));
        }
        let _ = w.flush();
    }
    out
}

/// The rows an import left out, as a spreadsheet: the original columns, then "Dòng" (the row
/// number in the uploaded file) and "Lỗi" (every message of the row).
pub fn rejected_xlsx(preview: &crate::Preview, table: &crate::Table) -> Result<Vec<u8>, XlsxError> {
    let headers = &table.headers;
    let mut h = headers.to_vec();
    h.push("Dòng".to_owned());
    h.push("Lỗi".to_owned());
    let rows: Vec<Vec<String>> = preview
        .rows
        .iter()
        .zip(&table.rows)
        .filter(|(r, _)| !r.errors.is_empty() || r.row.is_none())
        .map(|(r, (_, cells))| {
            let mut cells = cells.clone();
            cells.resize(headers.len(), String::new());
            cells.push(r.line.to_string());
            cells.push(r.errors.iter().map(|e| e.cell_message()).collect::<Vec<_>>().join("; "));
            cells
        })
        .collect();
    xlsx("Dòng bị loại", &h, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_are_defused_and_read_back() {
        let bytes = csv(&["Họ và tên".into(), "Số điện thoại".into()], &[vec!["=HYPERLINK(\"x\")".into(), "+84912345678".into()]]);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\",'+84912345678"), "{text}");
        assert_eq!(undefuse("'+84912345678"), "+84912345678");
        assert_eq!(undefuse("'Ánh"), "'Ánh", "an apostrophe before anything else is kept");
    }
}
