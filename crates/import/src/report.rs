//! Reports: the member list and the dashboard as a spreadsheet (.xlsx) or CSV, streamed.
//!
//! A [`ReportWriter`] writes a header block (the title, the organization and its code, the date
//! the figures are as of, the date and time of the export), then a table whose columns are
//! typed: text stays text (IDs keep their leading zeros), numbers are numbers and dates are real
//! spreadsheet dates shown dd/mm/yyyy. Rows are pushed one at a time: the .xlsx worksheet is in
//! rust_xlsxwriter's constant-memory mode (each finished row goes to a temporary file), and the
//! CSV goes straight to its writer, so memory does not grow with the number of rows.
//!
//! [`member_list`] feeds the writer from [`Scoped::members_after`] pages of 500;
//! [`dashboard`] writes every figure of a dashboard's [`Figures`], one row each.

use crate::export::defuse;
use crate::mapping::Field;
use chibo_domain::calendar::{VIETNAM, format_date};
use chibo_domain::org::OrgId;
use chibo_domain::stats::Figures;
use chibo_domain::stats::Standing;
use chibo_store::member::{Member, MemberCursor, MemberFilter};
use chibo_store::stats::{CountedOrg, OrgFilter};
use chibo_store::{Scoped, StoreError};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, FormatBorder, Workbook, XlsxError};
use std::collections::HashMap;
use std::io::{Seek, Write};

/// Rows read from the store per page while writing a member list.
pub const PAGE: i64 = 500;

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML spreadsheet.
    Xlsx,
    /// Comma-separated values in UTF-8 with a BOM.
    Csv,
}

impl Format {
    /// The format named by a file's extension (`.xlsx`, `.csv`, any case).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        Format::from_code(path.extension()?.to_str()?)
    }
    /// From "xlsx" or "csv" (any case).
    pub fn from_code(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
    /// The media type for an HTTP response.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the figures or the members failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The spreadsheet library refused.
    #[error("không ghi được tệp Excel: {0}")]
    Xlsx(#[from] XlsxError),
    /// The CSV writer failed.
    #[error("không ghi được tệp CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Writing the output failed.
    #[error("không ghi được tệp: {0}")]
    Io(#[from] std::io::Error),
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, kept as typed (the column is formatted as text).
    Text,
    /// A number.
    Number,
    /// A date, written as a spreadsheet date shown dd/mm/yyyy.
    Date,
}

/// A column of the table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Vietnamese header.
    pub title: String,
    /// What it holds.
    pub kind: Kind,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    /// A column, its width from its header (at least 12 characters).
    pub fn new(title: impl Into<String>, kind: Kind) -> Column {
        let title = title.into();
        let width = (title.chars().count() as f64 + 4.0).max(if kind == Kind::Date { 13.0 } else { 12.0 });
        Column { title, kind, width }
    }
    /// The same column with another width.
    pub fn width(mut self, width: f64) -> Column {
        self.width = width;
        self
    }
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Nothing.
    Empty,
    /// Text.
    Text(&'a str),
    /// A number.
    Number(f64),
    /// A date.
    Date(NaiveDate),
}

impl Cell<'_> {
    /// An optional date.
    pub fn date(d: Option<NaiveDate>) -> Cell<'static> {
        d.map_or(Cell::Empty, Cell::Date)
    }
    /// A count.
    pub fn count(n: i64) -> Cell<'static> {
        Cell::Number(n as f64)
    }
}

/// The block above the table.
#[derive(Debug, Clone)]
pub struct Heading {
    /// Title ("DANH SÁCH ĐẢNG VIÊN").
    pub title: String,
    /// The organization's name (on the report's date).
    pub org_name: String,
    /// Its code.
    pub org_code: String,
    /// The day the figures are as of.
    pub as_of: NaiveDate,
    /// When the report was made (Vietnam time).
    pub exported_at: NaiveDateTime,
    /// More labelled lines (the filters of a list), after the fixed ones.
    pub notes: Vec<(String, String)>,
}

impl Heading {
    /// A heading made now.
    pub fn new(title: impl Into<String>, org_name: impl Into<String>, org_code: impl Into<String>, as_of: NaiveDate) -> Heading {
        Heading { title: title.into(), org_name: org_name.into(), org_code: org_code.into(), as_of, exported_at: now(), notes: Vec::new() }
    }
}

/// The current date and time in Vietnam, to the minute.
pub fn now() -> NaiveDateTime {
    let t = chrono::Utc::now().with_timezone(&VIETNAM).naive_local();
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

/// dd/mm/yyyy HH:MM.
pub fn format_datetime(t: NaiveDateTime) -> String {
    format!("{} {:02}:{:02}", format_date(t.date()), t.hour(), t.minute())
}

/// Labels of the header block (the import skips these rows: it looks for the header row).
const L_ORG: &str = "Tổ chức";
const L_CODE: &str = "Mã tổ chức";
const L_AS_OF: &str = "Số liệu tính đến ngày";
const L_EXPORTED: &str = "Thời điểm xuất";

struct Formats {
    title: XlsxFormat,
    label: XlsxFormat,
    header: XlsxFormat,
    section: XlsxFormat,
    text: XlsxFormat,
    date: XlsxFormat,
    datetime: XlsxFormat,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: XlsxFormat::new().set_bold().set_font_size(14),
            label: XlsxFormat::new().set_bold(),
            header: XlsxFormat::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin).set_background_color("#DDEBF7"),
            section: XlsxFormat::new().set_bold(),
            text: XlsxFormat::new().set_num_format("@"),
            date: XlsxFormat::new().set_num_format("dd/mm/yyyy"),
            datetime: XlsxFormat::new().set_num_format("dd/mm/yyyy hh:mm"),
        }
    }
}

enum Sink<W: Write + Seek + Send> {
    Xlsx { book: Box<Workbook>, out: W, row: u32, formats: Box<Formats> },
    Csv(Box<csv::Writer<W>>),
}

/// A report being written: the header block is written by [`ReportWriter::new`], then rows are
/// pushed in order; [`ReportWriter::finish`] completes the file and gives the output back.
pub struct ReportWriter<W: Write + Seek + Send> {
    sink: Sink<W>,
    columns: Vec<Column>,
    rows: u64,
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year().clamp(1900, 9999) as u16, d.month() as u8, d.day() as u8)
}

fn excel_datetime(t: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, 0)
}

/// A number as CSV text: integers without a decimal point.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

impl<W: Write + Seek + Send> ReportWriter<W> {
    /// Starts a report on `out`: the header block, then the header row of `columns`.
    pub fn new(format: Format, mut out: W, sheet: &str, heading: &Heading, columns: Vec<Column>) -> Result<ReportWriter<W>, ReportError> {
        let sink = match format {
            Format::Xlsx => {
                let formats = Box::new(Formats::new());
                let mut book = Box::new(Workbook::new());
                let ws = book.add_worksheet_with_constant_memory();
                ws.set_name(sheet)?;
                for (c, col) in columns.iter().enumerate() {
                    ws.set_column_width(c as u16, col.width)?;
                }
                ws.write_string_with_format(0, 0, &heading.title, &formats.title)?;
                ws.write_string_with_format(1, 0, L_ORG, &formats.label)?;
                ws.write_string(1, 1, &heading.org_name)?;
                ws.write_string_with_format(2, 0, L_CODE, &formats.label)?;
                ws.write_string_with_format(2, 1, &heading.org_code, &formats.text)?;
                ws.write_string_with_format(3, 0, L_AS_OF, &formats.label)?;
                ws.write_datetime_with_format(3, 1, excel_date(heading.as_of)?, &formats.date)?;
                ws.write_string_with_format(4, 0, L_EXPORTED, &formats.label)?;
                ws.write_datetime_with_format(4, 1, excel_datetime(heading.exported_at)?, &formats.datetime)?;
                let mut row = 5;
                for (label, value) in &heading.notes {
                    ws.write_string_with_format(row, 0, label, &formats.label)?;
                    ws.write_string(row, 1, value)?;
                    row += 1;
                }
                // One empty row, then the header row, frozen with everything above it.
                row += 1;
                for (c, col) in columns.iter().enumerate() {
                    ws.write_string_with_format(row, c as u16, &col.title, &formats.header)?;
                }
                ws.set_freeze_panes(row + 1, 0)?;
                Sink::Xlsx { book, out, row: row + 1, formats }
            }
            Format::Csv => {
                out.write_all("\u{feff}".as_bytes())?;
                let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
                w.write_record([defuse(&heading.title).as_ref()])?;
                w.write_record([L_ORG, defuse(&heading.org_name).as_ref()])?;
                w.write_record([L_CODE, defuse(&heading.org_code).as_ref()])?;
                w.write_record([L_AS_OF, &format_date(heading.as_of)])?;
                w.write_record([L_EXPORTED, &format_datetime(heading.exported_at)])?;
                for (label, value) in &heading.notes {
                    w.write_record([defuse(label).as_ref(), defuse(value).as_ref()])?;
                }
                w.write_record([""])?;
                w.write_record(columns.iter().map(|c| defuse(&c.title).into_owned()))?;
                Sink::Csv(Box::new(w))
            }
        };
        Ok(ReportWriter { sink, columns, rows: 0 })
    }

    /// Rows pushed so far (section lines included).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Appends a row; cells beyond the columns are ignored, missing ones are empty. A cell of
    /// another type than its column is written as what it is.
    pub fn push_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ReportError> {
        let n = cells.len().min(self.columns.len());
        match &mut self.sink {
            Sink::Xlsx { book, row, formats, .. } => {
                let ws = book.worksheet_from_index(0)?;
                for (c, cell) in cells[..n].iter().enumerate() {
                    let c = c as u16;
                    match cell {
                        Cell::Empty => {}
                        Cell::Text("") => {}
                        Cell::Text(t) => {
                            ws.write_string_with_format(*row, c, *t, &formats.text)?;
                        }
                        Cell::Number(v) => {
                            ws.write_number(*row, c, *v)?;
                        }
                        Cell::Date(d) => {
                            ws.write_datetime_with_format(*row, c, excel_date(*d)?, &formats.date)?;
                        }
                    }
                }
                *row += 1;
            }
            Sink::Csv(w) => {
                let mut record = csv::StringRecord::new();
                for cell in &cells[..n] {
                    match cell {
                        Cell::Empty => record.push_field(""),
                        Cell::Text(t) => record.push_field(&defuse(t)),
                        Cell::Number(v) => record.push_field(&number_text(*v)),
                        Cell::Date(d) => record.push_field(&format_date(*d)),
                    }
                }
                w.write_record(&record)?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// A section title on a row of its own (bold in a spreadsheet).
    pub fn push_section(&mut self, title: &str) -> Result<(), ReportError> {
        match &mut self.sink {
            Sink::Xlsx { book, row, formats, .. } => {
                book.worksheet_from_index(0)?.write_string_with_format(*row, 0, title, &formats.section)?;
                *row += 1;
            }
            Sink::Csv(w) => w.write_record([defuse(title).as_ref()])?,
        }
        self.rows += 1;
        Ok(())
    }

    /// Completes the file and gives the output back (flushed, positioned at its end).
    pub fn finish(self) -> Result<W, ReportError> {
        match self.sink {
            Sink::Xlsx { mut book, mut out, .. } => {
                book.save_to_writer(&mut out)?;
                out.flush()?;
                Ok(out)
            }
            Sink::Csv(w) => {
                let mut out = (*w).into_inner().map_err(|e| ReportError::Io(e.into_error()))?;
                out.flush()?;
                Ok(out)
            }
        }
    }
}

/// A temporary file, deleted when closed, to write a report into before sending it.
pub fn spool() -> std::io::Result<std::fs::File> {
    tempfile::tempfile()
}

/// The Vietnamese name of a standing.
pub fn standing_label(s: Standing) -> &'static str {
    match s {
        Standing::Official => "Chính thức",
        Standing::Probationary => "Dự bị",
        Standing::InTransit => "Đang chuyển sinh hoạt",
    }
}

/// The header of the as-of standing column of the member list.
pub const STANDING_COLUMN: &str = "Tư cách đảng viên";

/// The member list's columns: the export's (so the file imports back), then the standing on
/// the list's day.
pub fn member_columns() -> Vec<Column> {
    let mut cols: Vec<Column> = Field::ALL
        .iter()
        .map(|f| {
            let kind = match f {
                Field::BirthDate | Field::AdmittedOn | Field::OfficialOn => Kind::Date,
                _ => Kind::Text,
            };
            let col = Column::new(f.label(), kind);
            match f {
                Field::FullName | Field::Cell => col.width(28.0),
                Field::PermanentAddress | Field::CurrentAddress | Field::BirthPlace | Field::HomeTown => col.width(30.0),
                Field::Cccd | Field::CardNumber | Field::Phone => col.width(16.0),
                _ => col,
            }
        })
        .collect();
    cols.push(Column::new(STANDING_COLUMN, Kind::Text).width(22.0));
    cols
}

/// Writes one member as a row of [`member_columns`]; `day` is the day the standing is judged on.
pub fn push_member<W: Write + Seek + Send>(w: &mut ReportWriter<W>, m: &Member, cell_code: &str, day: NaiveDate) -> Result<(), ReportError> {
    let p = &m.profile;
    fn o(v: &Option<String>) -> Cell<'_> {
        v.as_deref().map_or(Cell::Empty, Cell::Text)
    }
    let cccd = p.cccd.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
    let card = p.card_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
    let standing = Standing::of(m.status, day, m.admitted_on, m.official_on).map_or("", standing_label);
    let mut cells: Vec<Cell<'_>> = Field::ALL
        .iter()
        .map(|f| match f {
            Field::FullName => Cell::Text(&p.full_name),
            Field::OtherName => o(&p.other_name),
            Field::Gender => Cell::Text(p.gender.label_vi()),
            Field::BirthDate => Cell::Date(p.birth_date),
            Field::BirthPlace => o(&p.birth_place),
            Field::HomeTown => o(&p.home_town),
            Field::Ethnicity => Cell::Text(&p.ethnicity),
            Field::Religion => Cell::Text(&p.religion),
            Field::PermanentAddress => o(&p.permanent_address),
            Field::CurrentAddress => o(&p.current_address),
            Field::Phone => o(&p.phone),
            Field::Email => o(&p.email),
            Field::Cccd => Cell::Text(&cccd),
            Field::CardNumber => Cell::Text(&card),
            Field::Occupation => o(&p.occupation),
            Field::GeneralEducation => o(&p.general_education),
            Field::ProfessionalEducation => Cell::Text(p.professional_education.label_vi()),
            Field::PoliticalTheory => Cell::Text(p.political_theory.label_vi()),
            Field::PartyPosition => o(&p.party_position),
            Field::GovernmentPosition => o(&p.government_position),
            Field::CellCode => Cell::Text(cell_code),
            Field::Cell => Cell::Text(&m.org_name),
            Field::Status => Cell::Text(m.status.label_vi()),
            Field::AdmittedOn => Cell::date(m.admitted_on),
            Field::OfficialOn => Cell::date(m.official_on),
        })
        .collect();
    cells.push(Cell::Text(standing));
    w.push_row(&cells)
}

/// The filters of a list in words, for the header block.
pub fn filter_notes(f: &MemberFilter) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut note = |k: &str, v: String| out.push((k.to_owned(), v));
    if let Some(s) = f.standing {
        note("Tư cách", standing_label(s).to_owned());
    }
    if !f.statuses.is_empty() {
        note("Trạng thái", f.statuses.iter().map(|s| s.label_vi()).collect::<Vec<_>>().join(", "));
    }
    if let Some(g) = f.gender {
        note("Giới tính", g.label_vi().to_owned());
    }
    let years = |(from, to): (Option<i32>, i32)| match from {
        Some(f) if f == to => format!("{f}"),
        Some(f) => format!("{f}–{to}"),
        None => format!("đến {to}"),
    };
    if let Some(y) = f.birth_years {
        note("Năm sinh", years(y));
    }
    if let Some(y) = f.admit_years {
        note("Năm vào Đảng", years(y));
    }
    if let Some(e) = &f.ethnicity {
        note("Dân tộc", e.clone());
    }
    if let Some(r) = &f.religion {
        note("Tôn giáo", r.clone());
    }
    if let Some(e) = f.education {
        note("Chuyên môn, nghiệp vụ", e.label_vi().to_owned());
    }
    if let Some(t) = f.theory {
        note("Lý luận chính trị", t.label_vi().to_owned());
    }
    if let Some((flow, from, to)) = f.flow {
        note("Biến động", format!("{} từ {} đến {}", flow.label_vi(), format_date(from), format_date(to)));
    }
    if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        note("Tìm kiếm", q.to_owned());
    }
    out
}

/// Writes the member list of `org`'s subtree (inside the scope) with `filter`, page by page
/// (never the whole list in memory), and gives the output back with the number of members.
/// The pages are read here and written by a blocking thread (`spawn_blocking`) a page behind:
/// a million-row spreadsheet takes a minute of CPU that must not hold one of the server's
/// runtime workers, and reading the next page overlaps writing the last.
pub async fn member_list<W: Write + Seek + Send + 'static>(
    s: &Scoped<'_>,
    org: OrgId,
    filter: &MemberFilter,
    format: Format,
    out: W,
) -> Result<(W, u64), ReportError> {
    let target = s.org(org).await?;
    let day = filter.flow.map(|f| f.2).or(filter.as_of).unwrap_or_else(|| s.today());
    let name = match filter.as_of {
        Some(d) => s.node_at(org, d).await?.map_or(target.name.clone(), |n| n.name),
        None => target.name.clone(),
    };
    let mut heading = Heading::new("DANH SÁCH ĐẢNG VIÊN", name, target.code.clone(), day);
    heading.notes = filter_notes(filter);
    let mut codes: HashMap<OrgId, String> = s.cells_under(&target).await?.into_iter().map(|c| (c.id, c.code)).collect();
    let (tx, writer) =
        spawn_writer(format, out, "Danh sách đảng viên", heading, member_columns(), move |w, (m, code): &(Member, String)| push_member(w, m, code, day));
    let mut cursor: Option<MemberCursor> = None;
    loop {
        let page = s.members_after(org, filter, cursor.as_ref(), PAGE).await?;
        let Some(last) = page.last() else { break };
        cursor = Some(MemberCursor::after(last));
        let full = page.len() as i64 == PAGE;
        let mut rows = Vec::with_capacity(page.len());
        for m in page {
            if let std::collections::hash_map::Entry::Vacant(e) = codes.entry(m.org_id) {
                e.insert(s.org(m.org_id).await?.code);
            }
            let code = codes.get(&m.org_id).cloned().unwrap_or_default();
            rows.push((m, code));
        }
        // A closed channel means the writer stopped on an error, which it returns below.
        if tx.send(rows).await.is_err() || !full {
            break;
        }
    }
    finish_writer(tx, writer).await
}

/// The writer side of a streamed report: a blocking thread (`spawn_blocking`) that writes the
/// pages it receives, two pages in flight at most so memory stays flat whichever side is
/// slower. A long spreadsheet takes CPU that must not hold one of the server's runtime
/// workers, and reading the next page overlaps writing the last.
#[allow(clippy::type_complexity)]
fn spawn_writer<W, T>(
    format: Format,
    out: W,
    sheet: &'static str,
    heading: Heading,
    columns: Vec<Column>,
    row: impl Fn(&mut ReportWriter<W>, &T) -> Result<(), ReportError> + Send + 'static,
) -> (tokio::sync::mpsc::Sender<Vec<T>>, tokio::task::JoinHandle<Result<(W, u64), ReportError>>)
where
    W: Write + Seek + Send + 'static,
    T: Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<T>>(2);
    let writer = tokio::task::spawn_blocking(move || {
        let mut w = ReportWriter::new(format, out, sheet, &heading, columns)?;
        while let Some(page) = rx.blocking_recv() {
            for r in &page {
                row(&mut w, r)?;
            }
        }
        let n = w.rows();
        Ok((w.finish()?, n))
    });
    (tx, writer)
}

/// Closes the pages' channel and waits for the writer: the output and its number of rows, or
/// the writer's error.
async fn finish_writer<W, T>(
    tx: tokio::sync::mpsc::Sender<Vec<T>>,
    writer: tokio::task::JoinHandle<Result<(W, u64), ReportError>>,
) -> Result<(W, u64), ReportError> {
    drop(tx);
    writer.await.map_err(|e| ReportError::Io(std::io::Error::other(e)))?
}

/// The columns of an organization list behind a figure.
pub fn org_columns() -> Vec<Column> {
    vec![
        Column::new("Mã tổ chức", Kind::Text).width(20.0),
        Column::new("Tên tổ chức", Kind::Text).width(44.0),
        Column::new("Cấp", Kind::Text).width(26.0),
        Column::new("Loại hình", Kind::Text).width(36.0),
        Column::new("Đảng viên chính thức", Kind::Number),
    ]
}

/// The filter of an organization list in words, for the header block.
pub fn org_filter_notes(f: &OrgFilter, min_official_per_cell: u32) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if f.direct {
        out.push(("Danh sách".to_owned(), "Đơn vị trực thuộc".to_owned()));
    }
    if let Some(k) = f.kind {
        out.push(("Cấp".to_owned(), k.label_vi().to_owned()));
    }
    if let Some(c) = f.category {
        out.push(("Loại hình".to_owned(), c.label_vi().to_owned()));
    }
    if f.small_cells {
        out.push(("Danh sách".to_owned(), format!("Chi bộ có dưới {min_official_per_cell} đảng viên chính thức")));
    }
    if f.grassroots {
        out.push(("Danh sách".to_owned(), "Tổ chức cơ sở đảng".to_owned()));
    }
    if f.with_node && (f.kind.is_some() || f.category.is_some()) {
        out.push(("Gồm".to_owned(), "Kể cả tổ chức này".to_owned()));
    }
    out
}

/// Writes the organizations behind an organization figure of `org`'s dashboard on `as_of`
/// (the list `/orgs/{id}/stats/orgs` shows), in code order, page by page.
pub async fn org_list<W: Write + Seek + Send + 'static>(
    s: &Scoped<'_>,
    org: OrgId,
    as_of: NaiveDate,
    filter: OrgFilter,
    format: Format,
    out: W,
) -> Result<(W, u64), ReportError> {
    let target = s.org(org).await?;
    let name = s.node_at(org, as_of).await?.map_or(target.name.clone(), |n| n.name);
    let mut heading = Heading::new("DANH SÁCH TỔ CHỨC ĐẢNG", name, target.code.clone(), as_of);
    let minimum = s.rule_book().await?.at(as_of).min_official_per_cell;
    heading.notes = org_filter_notes(&filter, minimum);
    let (tx, writer) = spawn_writer(format, out, "Danh sách tổ chức", heading, org_columns(), |w, o: &CountedOrg| {
        let official = if chibo_domain::stats::is_cell(o.kind) { Cell::count(o.official) } else { Cell::Empty };
        w.push_row(&[Cell::Text(&o.code), Cell::Text(&o.name), Cell::Text(o.kind.label_vi()), Cell::Text(o.category.label_vi()), official])
    });
    let mut after: Option<(String, OrgId)> = None;
    loop {
        let page = s.counted_orgs_after(org, as_of, filter, after.as_ref().map(|(c, i)| (c.as_str(), *i)), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some((last.code.clone(), last.id));
        let full = page.len() as i64 == PAGE;
        if tx.send(page).await.is_err() || !full {
            break;
        }
    }
    finish_writer(tx, writer).await
}

/// The dashboard's columns: a figure's key, its label, its value and its share.
pub fn dashboard_columns() -> Vec<Column> {
    vec![
        Column::new("Mã chỉ tiêu", Kind::Text).width(40.0),
        Column::new("Chỉ tiêu", Kind::Text).width(52.0),
        Column::new("Số lượng", Kind::Number),
        Column::new("Tỷ lệ (%)", Kind::Number),
    ]
}

/// Every figure of a dashboard, one row per figure under its section's heading, in the order
/// of the page.
pub fn dashboard<W: Write + Seek + Send>(f: &Figures, format: Format, out: W) -> Result<W, ReportError> {
    let heading = Heading::new("SỐ LIỆU THỐNG KÊ ĐẢNG VIÊN VÀ TỔ CHỨC ĐẢNG", &f.name, &f.code, f.as_of);
    let mut w = ReportWriter::new(format, out, "Thống kê", &heading, dashboard_columns())?;
    for s in &f.sections {
        w.push_section(&s.label_vi)?;
        for g in &s.figures {
            w.push_row(&[Cell::Text(&g.key), Cell::Text(&g.label_vi), Cell::count(g.value), g.share.map_or(Cell::Empty, Cell::Number)])?;
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn heading() -> Heading {
        let mut h = Heading::new("DANH SÁCH", "Chi bộ khu phố 3", "QN.CO.KP3", NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        h.exported_at = NaiveDate::from_ymd_opt(2025, 6, 5).unwrap().and_hms_opt(14, 30, 0).unwrap();
        h
    }

    #[test]
    fn csv_has_the_header_block_a_bom_and_typed_cells() {
        let cols = vec![Column::new("Họ và tên", Kind::Text), Column::new("Số", Kind::Number), Column::new("Ngày sinh", Kind::Date)];
        let mut w = ReportWriter::new(Format::Csv, Cursor::new(Vec::new()), "x", &heading(), cols).unwrap();
        w.push_row(&[Cell::Text("=Lê Thị Hằng"), Cell::Number(3.0), Cell::Date(NaiveDate::from_ymd_opt(1990, 2, 1).unwrap())]).unwrap();
        w.push_row(&[Cell::Text("Ánh"), Cell::Number(2.5)]).unwrap();
        let text = String::from_utf8(w.finish().unwrap().into_inner()).unwrap();
        assert_eq!(
            text,
            "\u{feff}DANH SÁCH\nTổ chức,Chi bộ khu phố 3\nMã tổ chức,QN.CO.KP3\nSố liệu tính đến ngày,31/12/2024\nThời điểm xuất,05/06/2025 14:30\n\"\"\n\
             Họ và tên,Số,Ngày sinh\n'=Lê Thị Hằng,3,01/02/1990\nÁnh,2.5\n"
        );
    }

    #[test]
    fn xlsx_is_written_in_constant_memory_mode_and_reads_back() {
        let cols = vec![Column::new("Họ và tên", Kind::Text), Column::new("Số", Kind::Number), Column::new("Ngày sinh", Kind::Date)];
        let mut w = ReportWriter::new(Format::Xlsx, Cursor::new(Vec::new()), "Danh sách", &heading(), cols).unwrap();
        for i in 0..1000 {
            w.push_row(&[Cell::Text("Nguyễn Văn Thành"), Cell::count(i), Cell::Date(NaiveDate::from_ymd_opt(1962, 6, 15).unwrap())]).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        let t = crate::read_table("r.xlsx", &bytes).unwrap();
        assert_eq!(t.headers[0], "DANH SÁCH");
        let rows: Vec<&Vec<String>> = t.rows.iter().map(|(_, r)| r).collect();
        assert_eq!(rows[2][..2], ["Số liệu tính đến ngày".to_owned(), "31/12/2024".to_owned()]);
        assert_eq!(rows[3][1], "05/06/2025", "the export time is a date-time cell");
        // The empty row before the table is not read back.
        assert_eq!(rows[4][..3], ["Họ và tên".to_owned(), "Số".to_owned(), "Ngày sinh".to_owned()]);
        assert_eq!(rows[5][..3], ["Nguyễn Văn Thành".to_owned(), "0".to_owned(), "15/06/1962".to_owned()]);
        assert_eq!(rows.len(), 5 + 1000);
    }

    #[test]
    fn the_writer_can_be_sent_to_another_thread() {
        fn is_send<T: Send>() {}
        is_send::<ReportWriter<std::fs::File>>();
    }
}
