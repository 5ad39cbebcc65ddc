//! chibo-import: member lists in and out of chibo.
//!
//! Reading (.xlsx, .xls, .ods through calamine; CSV in UTF-8, UTF-16 or Windows-1258), the
//! column mapping, and the validation of every row live here, apart from the store, so that the
//! store does not carry spreadsheet libraries and the web app and the CLI share one path:
//! [`prepare`] reads, maps and validates (the preview), [`commit`] writes through
//! [`chibo_store::Scoped::commit_import`], one transaction. [`export`] writes the member list in
//! the same columns, so an export imports back unchanged.

pub mod export;
pub mod mapping;
pub mod read;
pub mod report;
pub mod validate;

pub use mapping::{Field, Mapping, header_key};
pub use read::{Table, read_table};
pub use validate::{Preview, RowError, RowResult, parse_import_date};

use chibo_domain::error::{ErrorCode, FieldError, Lang};
use chibo_domain::org::OrgId;
use chibo_store::import::{ImportFile, ImportRecord, ImportTarget, already_done};
use chibo_store::{Scoped, StoreError};
use sha2::{Digest, Sha256};

/// What to do with a file that has invalid rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Tất cả hoặc không: any invalid row and nothing is written.
    #[default]
    AllOrNothing,
    /// Chỉ các dòng hợp lệ: the valid rows are written, the others reported.
    ValidOnly,
}

/// The stage an import is in, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and validating the rows.
    Validating,
    /// Writing the members (one transaction).
    Writing,
}

impl Phase {
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Validating => "Đang kiểm tra",
            Phase::Writing => "Đang ghi vào cơ sở dữ liệu",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Phase::Validating => "Checking",
            Phase::Writing => "Writing to the database",
        }
    }
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("{}", .0.full_message(Lang::Vi))]
    File(FieldError),
    /// The file has problems and the mode refuses them.
    #[error("{}", rejected_message(*.invalid, .problems))]
    Rejected {
        /// Rows with errors.
        invalid: usize,
        /// File-level problems, in Vietnamese.
        problems: Vec<String>,
    },
    /// The store refused or failed.
    #[error("{}", .0.message(Lang::Vi))]
    Store(#[from] StoreError),
}

fn rejected_message(invalid: usize, problems: &[String]) -> String {
    let mut parts: Vec<String> = problems.to_vec();
    if invalid > 0 {
        parts.push(format!("tệp có {invalid} dòng lỗi; chưa nhập đảng viên nào (sửa tệp, hoặc chọn «chỉ nhập các dòng hợp lệ»)"));
    }
    if parts.is_empty() {
        parts.push("không có dòng hợp lệ nào để nhập".to_owned());
    }
    parts.join("; ")
}

/// A file read, mapped and validated: what the preview shows and what [`commit`] writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Name, hash and row count.
    pub file: ImportFile,
    /// The cells as read.
    pub table: Table,
    /// The mapping used.
    pub mapping: Mapping,
    /// Where the members go.
    pub target: ImportTarget,
    /// Every row validated.
    pub preview: Preview,
}

/// SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the file, maps its columns (the given mapping, else the one remembered for its header
/// row, else the one recognised from the headers) and validates every row against the target.
pub async fn prepare(
    s: &Scoped<'_>,
    org: OrgId,
    file_name: &str,
    bytes: &[u8],
    mapping: Option<Mapping>,
    progress: &(dyn Fn(Phase, u64, u64) + Sync),
) -> Result<Prepared, ImportError> {
    let mut table = read_table(file_name, bytes).map_err(ImportError::File)?;
    table.find_header(|cells| Mapping::guess(cells).0.iter().flatten().count());
    if table.headers.is_empty() {
        return Err(ImportError::File(FieldError::new("file", ErrorCode::ImportUnreadable).with("file", file_name).with("reason", "tệp không có dữ liệu")));
    }
    let mapping = match mapping {
        Some(m) => Mapping::from_codes(&m.to_codes(), table.headers.len()),
        None => remembered(s, &table.headers).await?.unwrap_or_else(|| Mapping::guess(&table.headers)),
    };
    let target = s.import_target(org).await?;
    let file = ImportFile { name: file_name.to_owned(), sha256: sha256_hex(bytes), rows: table.rows.len() };
    let ctx = validate::Context::new(&target, s.today());
    let mut preview = validate::parse_rows(&table, &mapping, &ctx, &|d, t| progress(Phase::Validating, d, t));
    let (cccds, cards, names) = validate::lookup_keys(&preview);
    let existing = s.existing_members(&target.org, &cccds, &cards, &names).await?;
    validate::check_duplicates(&mut preview, &table.headers, &mapping, &existing);
    if let Some(prev) = s.previous_import(org, &file.sha256).await?
        && let StoreError::Invalid(v) = already_done(&prev, &target.org)
    {
        preview.problems.extend(v.errors);
    }
    Ok(Prepared { file, table, mapping, target, preview })
}

/// The key a mapping is remembered under: the person who chose it and the header row, hashed
/// (a file without a header row would otherwise keep its first member's data as a key).
fn mapping_key(s: &Scoped<'_>, headers: &[String]) -> String {
    sha256_hex(format!("{}\n{}", s.scope().actor().label(), header_key(headers)).as_bytes())
}

async fn remembered(s: &Scoped<'_>, headers: &[String]) -> Result<Option<Mapping>, StoreError> {
    let Some(json) = s.import_mapping(&mapping_key(s, headers)).await? else { return Ok(None) };
    Ok(serde_json::from_str::<Vec<String>>(&json).ok().map(|codes| Mapping::from_codes(&codes, headers.len())))
}

/// Remembers, for the person who chose it, a mapping for files with the same header row.
pub async fn remember_mapping(s: &Scoped<'_>, headers: &[String], mapping: &Mapping) -> Result<(), StoreError> {
    let json = serde_json::to_string(&mapping.to_codes()).unwrap_or_else(|_| "[]".to_owned());
    s.save_import_mapping(&mapping_key(s, headers), &json).await
}

/// Writes a prepared file: every row, or (when asked) only the valid rows; one transaction.
pub async fn commit(s: &Scoped<'_>, p: &Prepared, mode: Mode, progress: &(dyn Fn(Phase, u64, u64) + Sync)) -> Result<ImportRecord, ImportError> {
    let problems: Vec<String> = p.preview.problems.iter().map(|e| e.message(Lang::Vi)).collect();
    let invalid = p.preview.invalid_count();
    if !problems.is_empty() || (mode == Mode::AllOrNothing && invalid > 0) {
        return Err(ImportError::Rejected { invalid, problems });
    }
    let rows = p.preview.valid_rows();
    if rows.is_empty() {
        return Err(ImportError::Rejected { invalid, problems });
    }
    Ok(s.commit_import(p.target.org.id, &p.file, &rows, &|d, t| progress(Phase::Writing, d, t)).await?)
}

/// The member list of an organization (its members today), as export rows.
pub async fn export_rows(s: &Scoped<'_>, org: OrgId) -> Result<Vec<Vec<String>>, StoreError> {
    let target = s.org(org).await?;
    let codes: std::collections::HashMap<OrgId, String> = s.cells_under(&target).await?.into_iter().map(|c| (c.id, c.code)).collect();
    let filter = chibo_store::member::MemberFilter::default();
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = s.members_after(org, &filter, cursor.as_ref(), 500).await?;
        let Some(last) = page.last() else { break };
        cursor = Some(chibo_store::member::MemberCursor::after(last));
        for m in &page {
            let code = match codes.get(&m.org_id) {
                Some(c) => c.clone(),
                None => s.org(m.org_id).await?.code,
            };
            out.push(export::member_cells(m, &code));
        }
    }
    Ok(out)
}
