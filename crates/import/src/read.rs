//! Reading a member list: the first sheet of an .xlsx, .xls or .ods workbook (calamine), or a
//! CSV file in UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258. Every cell is read
//! as text, so IDs keep their leading zeros; cells Excel stores as dates become dd/mm/yyyy.

use chibo_domain::error::{ErrorCode, FieldError};
use chrono::NaiveDate;
use std::io::Cursor;
use unicode_normalization::UnicodeNormalization;

/// A sheet as text: the header row and the data rows (blank rows dropped, with their line
/// numbers kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Header cells, trimmed.
    pub headers: Vec<String>,
    /// Data rows: the line number in the file (the header is line 1) and the cells.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Takes as the header the first of the leading rows that `score` (fields recognised)
    /// likes best, when that beats the first row: lists often start with a title ("DANH SÁCH
    /// ĐẢNG VIÊN CHI BỘ …") and a date line above the column names. Rows above are dropped.
    pub fn find_header(&mut self, score: impl Fn(&[String]) -> usize) {
        let first = score(&self.headers);
        let best =
            self.rows.iter().take(10).enumerate().map(|(i, (_, r))| (score(r), i)).filter(|(s, _)| *s > first).max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)));
        if let Some((_, i)) = best {
            let mut rest = self.rows.split_off(i);
            let (_, headers) = rest.remove(0);
            self.headers = headers.iter().map(|h| h.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
            let width = self.headers.len();
            for (_, r) in &mut rest {
                r.resize(width.max(r.len()), String::new());
            }
            self.rows = rest;
        }
    }
}

/// Excel's day zero (serial 0), as the 1900 date system counts after its leap-year bug.
pub fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// The date of an Excel serial number (whole days; the time of day is dropped).
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    excel_epoch().checked_add_days(chrono::Days::new(serial.floor() as u64))
}

fn unreadable(file: &str, reason: impl std::fmt::Display) -> FieldError {
    FieldError::new("file", ErrorCode::ImportUnreadable).with("file", file).with("reason", reason)
}

/// Reads a file by its name's extension.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, FieldError> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let grid = match ext.as_str() {
        "csv" | "txt" => read_csv(file_name, bytes)?,
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(file_name, bytes)?,
        _ => return Err(unreadable(file_name, "chỉ nhận tệp .xlsx, .xls, .ods hoặc .csv")),
    };
    Ok(into_table(grid))
}

/// The largest sheet read: a member list of a province fits many times over; a sheet that
/// claims more is refused before anything is allocated for it.
pub const MAX_ROWS: u32 = 1_000_000;
/// Columns read at most.
pub const MAX_COLS: u32 = 200;

/// A cell's text without control characters (NUL and the like, which no name or number
/// contains and PostgreSQL refuses), tabs and line breaks turned into spaces.
fn clean(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).filter(|c| !c.is_control()).collect::<String>().trim().to_owned()
}

fn into_table(grid: Vec<Vec<String>>) -> Table {
    let grid: Vec<Vec<String>> = grid.into_iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
    let mut lines = grid.into_iter().enumerate().map(|(i, r)| (i + 1, r)).filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let Some((_, headers)) = lines.next() else { return Table::default() };
    let headers: Vec<String> = headers.iter().map(|h| h.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let width = headers.len();
    let rows = lines
        .map(|(n, mut r)| {
            r.resize(width.max(r.len()), String::new());
            (n, r)
        })
        .collect();
    Table { headers, rows }
}

/// Decodes CSV bytes: a BOM decides (UTF-8 or UTF-16), else UTF-8 if valid, else Windows-1258
/// (the Vietnamese code page of older Excel), whose combining tone marks are composed (NFC).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return text.nfc().collect();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.nfc().collect(),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            text.nfc().collect()
        }
    }
}

fn read_csv(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, FieldError> {
    let text = decode_text(bytes);
    let first = text.lines().next().unwrap_or("");
    // Excel in Vietnamese locales writes ';' (the decimal separator is ','); tabs come from copy-paste.
    let delimiter = [b';', b'\t', b','].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| unreadable(file_name, e))?;
        grid.push(rec.iter().map(|c| crate::export::undefuse(c.trim()).to_owned()).collect());
        if grid.len() > MAX_ROWS as usize {
            return Err(too_large(file_name));
        }
    }
    Ok(grid)
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().nfc().collect(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // The workbook's own date system (1900 or 1904) decides the day.
        Data::DateTime(d) => d.as_datetime().map(|t| chibo_domain::calendar::format_date(t.date())).unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.get(..10).unwrap_or(s).to_owned(),
    }
}

fn too_large(file_name: &str) -> FieldError {
    unreadable(file_name, format!("trang tính quá lớn (tối đa {MAX_ROWS} dòng và {MAX_COLS} cột)"))
}

fn read_workbook(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, FieldError> {
    use calamine::Reader;
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return read_xlsx(file_name, bytes);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| unreadable(file_name, format!("không phải bảng tính .xlsx, .xls hoặc .ods hợp lệ ({e})")))?;
    let range = book.worksheet_range_at(0).ok_or_else(|| unreadable(file_name, "tệp không có trang tính nào"))?.map_err(|e| unreadable(file_name, e))?;
    let (height, width) = range.get_size();
    if height > MAX_ROWS as usize || width > MAX_COLS as usize {
        return Err(too_large(file_name));
    }
    // Rows before the range's start are empty: keep line numbers as the spreadsheet shows them.
    let (top, left) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); top];
    for row in range.rows() {
        let mut cells = vec![String::new(); left];
        cells.extend(row.iter().map(cell_text));
        grid.push(cells);
    }
    Ok(grid)
}

/// An .xlsx read cell by cell, so a sheet claiming a huge area (one cell in A1, one in the last
/// row) is refused instead of allocated.
fn read_xlsx(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, FieldError> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes.to_vec()))
        .map_err(|e| unreadable(file_name, format!("không phải bảng tính .xlsx, .xls hoặc .ods hợp lệ ({e})")))?;
    let name = book.sheet_names().first().cloned().ok_or_else(|| unreadable(file_name, "tệp không có trang tính nào"))?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(|e| unreadable(file_name, e))?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(file_name, e))? {
        let (r, c) = cell.get_position();
        if r >= MAX_ROWS || c >= MAX_COLS {
            return Err(too_large(file_name));
        }
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (r, c) = (r as usize, c as usize);
        if grid.len() <= r {
            grid.resize(r + 1, Vec::new());
        }
        if grid[r].len() <= c {
            grid[r].resize(c + 1, String::new());
        }
        grid[r][c] = text;
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1258_is_decoded_and_composed() {
        // "Nguyễn" in Windows-1258: N g u y ê (0xEA) + combining tilde (0xDE) n.
        let bytes = b"Nguy\xEA\xDEn";
        assert_eq!(decode_text(bytes), "Nguyễn");
        assert_eq!(decode_text("\u{feff}Hồ".as_bytes()), "Hồ");
    }

    #[test]
    fn excel_serials_count_from_1899_12_30() {
        assert_eq!(excel_serial_date(25569.0), NaiveDate::from_ymd_opt(1970, 1, 1));
        assert_eq!(excel_serial_date(45658.75), NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(excel_serial_date(0.0), None);
    }

    #[test]
    fn csv_with_semicolons_keeps_leading_zeros_and_skips_blank_rows() {
        let t = read_table("a.csv", "Họ và tên;Số CCCD\nLê An;001085012345\n;\nHồ Bình;022062001234\n".as_bytes()).unwrap();
        assert_eq!(t.headers, vec!["Họ và tên", "Số CCCD"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0], (2, vec!["Lê An".to_owned(), "001085012345".to_owned()]));
        assert_eq!(t.rows[1].0, 4);
    }

    #[test]
    fn control_characters_are_dropped_from_cells() {
        let t = read_table("a.csv", "Họ và tên;Số CCCD\nLê\u{0} An;001085012345\u{7}\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].1, vec!["Lê An".to_owned(), "001085012345".to_owned()]);
    }

    #[test]
    fn dates_follow_the_workbooks_date_system() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        // Serial 0 of the 1904 system is 01/01/1904; 1462 days separate the two systems.
        assert_eq!(cell_text(&Data::DateTime(ExcelDateTime::new(0.0, ExcelDateTimeType::DateTime, true))), "01/01/1904");
        assert_eq!(cell_text(&Data::DateTime(ExcelDateTime::new(25569.0, ExcelDateTimeType::DateTime, false))), "01/01/1970");
        assert_eq!(cell_text(&Data::DateTime(ExcelDateTime::new(25569.0 - 1462.0, ExcelDateTimeType::DateTime, true))), "01/01/1970");
    }

    #[test]
    fn a_sheet_claiming_a_huge_area_is_refused_without_allocating_it() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Họ và tên").unwrap();
        sheet.write_string(1_048_575, 0, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let e = read_table("big.xlsx", &bytes).unwrap_err();
        assert!(e.full_message(chibo_domain::error::Lang::Vi).contains("trang tính quá lớn"), "{e}");
    }

    #[test]
    fn unknown_extension_and_broken_workbook_are_explained() {
        let e = read_table("a.pdf", b"x").unwrap_err();
        assert!(e.full_message(chibo_domain::error::Lang::Vi).contains("chỉ nhận tệp .xlsx"));
        let e = read_table("a.xlsx", b"not a zip").unwrap_err();
        assert!(e.full_message(chibo_domain::error::Lang::Vi).starts_with("Tệp: không đọc được tệp «a.xlsx»: không phải bảng tính"), "{e}");
    }
}
