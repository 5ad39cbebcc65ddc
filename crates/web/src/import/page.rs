//! Importing member lists: upload a file (.xlsx, .xls, .ods, .csv), see every row validated
//! with its errors by row and column, correct the column mapping (remembered for files with
//! the same headers), then write all rows or only the valid ones, with a progress bar; and the
//! member-list export the import reads back.
//!
//! An import is a job in the database (`chibo_store::import_job`), owned by the account that
//! uploaded it: its file, its state and progress, and the result its page shows (the preview
//! and the import's record, as JSON, and the rows left out as a file). Behind a load
//! balancer any `chibo serve` answers its page and its progress, and runs its next step. A
//! step runs on the blocking thread pool of the process that was asked, so a 100,000-row file
//! does not hold the workers that answer other users; a task beside it writes the progress to
//! the job twice a second, and at least every `HEARTBEAT` as a sign of life; a job whose process
//! died is failed when it has not moved for `STALE_AFTER`. The writes are one transaction in
//! the store, so a job lost with its process leaves nothing half written.

use super::form::{CommitForm, FormatQuery, OrgQuery};
use super::job::*;
use super::texts::{ImportTexts, texts};
use crate::auth::{Chrome, CsrfForm, Staff, new_token, same_secret};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::VIETNAM;
use chibo_domain::scope::Rights;
use chibo_import::{Field, Mapping, Mode, report};
use chibo_store::import_job::{ImportJob, JobState};
use chibo_store::org::OrgMatch;
use std::collections::HashMap;

/// A past import, for the list under the form.
pub(super) struct PastImport {
    at: String,
    file_name: String,
    imported: i64,
    rejected: i64,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/upload.html")]
pub(super) struct UploadPage {
    c: Chrome,
    x: &'static ImportTexts,
    org_id: i64,
    org_name: String,
    error: Option<String>,
    past: Vec<PastImport>,
}

async fn org_of(staff: &Staff, typed: &str) -> AppResult<chibo_store::org::Org> {
    let s = staff.store();
    let err = |e| staff.auth.err(e);
    let typed = typed.trim();
    let id = match typed.parse::<i64>() {
        Ok(id) => id,
        Err(_) if typed.is_empty() => match staff.scope.root() {
            Some(r) => r,
            None => staff.auth.app.store.root_orgs().await.map_err(err)?.first().copied().ok_or(AppError::NotFound(staff.auth.lang))?,
        },
        Err(_) => match s.find_org(typed).await.map_err(err)? {
            OrgMatch::One(o) => o.id,
            _ => return Err(AppError::Invalid(staff.auth.lang, format!("không tìm thấy tổ chức «{typed}» (hoặc tên khớp nhiều tổ chức; hãy dùng mã)"))),
        },
    };
    s.org(id).await.map_err(err)
}

async fn upload_page(staff: &Staff, org: chibo_store::org::Org, error: Option<String>) -> AppResult<Response> {
    let past = staff
        .store()
        .imports(org.id)
        .await
        .map_err(|e| staff.auth.err(e))?
        .into_iter()
        .take(20)
        .map(|r| PastImport {
            at: r.recorded_at.with_timezone(&VIETNAM).format("%d/%m/%Y %H:%M").to_string(),
            file_name: r.file_name,
            imported: r.imported,
            rejected: r.rejected,
            by: r.recorded_by,
        })
        .collect();
    let c = staff.auth.chrome("members", &format!("/import?org={}", org.id));
    Ok(UploadPage { c, x: texts(staff.auth.lang), org_id: org.id, org_name: org.name, error, past }.into_response())
}

pub(super) async fn upload_form(staff: Staff, Query(q): Query<OrgQuery>) -> AppResult<Response> {
    let org = org_of(&staff, &q.org).await?;
    staff.require(Rights::Members)?;
    upload_page(&staff, org, None).await
}

pub(super) async fn upload(staff: Staff, mut form: Multipart) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let bad = |_| AppError::BadToken(lang);
    let (mut csrf, mut org, mut file_name, mut bytes) = (String::new(), String::new(), String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(|e| AppError::Invalid(lang, format!("tệp tải lên không đọc được: {e}")))? {
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.map_err(bad)?,
            "org" => org = field.text().await.map_err(bad)?,
            "file" => {
                file_name = field.file_name().unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").to_owned();
                bytes = field.bytes().await.map_err(|e| AppError::Invalid(lang, format!("tệp tải lên không đọc được: {e}")))?.to_vec();
            }
            _ => {}
        }
    }
    if !same_secret(&csrf, &staff.auth.session.csrf_token) {
        return Err(AppError::BadToken(lang));
    }
    let org = org_of(&staff, &org).await?;
    staff.require(Rights::Members)?;
    if file_name.is_empty() || bytes.is_empty() {
        return upload_page(&staff, org, Some(texts(lang).choose_file.into())).await;
    }
    // One person keeps at most two files in work at once (memory and cores stay shared).
    let s = staff.store();
    if s.import_jobs_in_work().await.map_err(|e| staff.auth.err(e))? >= IN_WORK_PER_PERSON {
        let msg = match lang {
            Lang::Vi => "bạn đang có hai tệp đang xử lý; hãy chờ một tệp xong rồi tải lên tiếp",
            Lang::En => "two of your files are being processed; wait for one to finish before uploading another",
        };
        return upload_page(&staff, org, Some(msg.into())).await;
    }
    let id = new_token();
    let job = s.create_import_job(&id, org.id, CHECK, &file_name, &bytes).await.map_err(|e| staff.auth.err(e))?;
    drop(bytes);
    spawn_step(&staff, job, Step::Check(None));
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

/// The job, if it exists, belongs to the signed-in account and lies inside its scope.
async fn job_of(staff: &Staff, id: &str) -> AppResult<ImportJob> {
    staff.store().import_job(id).await.map_err(|e| staff.auth.err(e))
}

/// A column of the file with its mapping choice.
pub(super) struct ColumnView {
    index: usize,
    header: String,
    field: String,
}

/// A row of the preview table.
pub(super) struct RowView {
    line: usize,
    cells: Vec<String>,
    ok: bool,
    errors: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/show.html")]
pub(super) struct ShowPage {
    c: Chrome,
    x: &'static ImportTexts,
    id: String,
    file_name: String,
    org_id: i64,
    org_name: String,
    progress: Option<ProgressView>,
    error: Option<String>,
    /// The preview, once validated.
    ready: bool,
    rows: usize,
    valid: usize,
    invalid: usize,
    problems: Vec<String>,
    errors: Vec<String>,
    more_errors: usize,
    columns: Vec<ColumnView>,
    fields: Vec<(&'static str, &'static str)>,
    preview: Vec<RowView>,
    done: Option<String>,
}

/// The progress bar.
pub(super) struct ProgressView {
    id: String,
    phase: &'static str,
    done: u64,
    total: u64,
    percent: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/progress.html")]
pub(super) struct ProgressPartial {
    x: &'static ImportTexts,
    p: ProgressView,
}

fn progress_of(job: &ImportJob, lang: Lang) -> Option<ProgressView> {
    let phase = phase_of(job.phase.as_deref());
    let (done, total) = (job.done.max(0) as u64, job.total.max(0) as u64);
    job.state.in_work().then(|| ProgressView {
        id: job.id.clone(),
        phase: if lang == Lang::Vi { phase.label() } else { phase.label_en() },
        done,
        total,
        percent: (done * 100).checked_div(total).unwrap_or(0),
    })
}

pub(super) async fn show(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id).await?;
    let org = staff.store().org(job.org_id).await.map_err(|e| staff.auth.err(e))?;
    let lang = staff.auth.lang;
    let x = texts(lang);
    let result = JobResult::of(&job);
    let mut page = ShowPage {
        c: staff.auth.chrome("members", &format!("/import/{id}")),
        x,
        id: id.clone(),
        file_name: job.file_name.clone(),
        org_id: org.id,
        org_name: org.name,
        progress: progress_of(&job, lang),
        error: job.error.clone().filter(|_| job.state == JobState::Failed),
        ready: false,
        rows: 0,
        valid: 0,
        invalid: 0,
        problems: vec![],
        errors: vec![],
        more_errors: 0,
        columns: vec![],
        fields: Field::ALL.iter().map(|f| (f.code(), if lang == Lang::Vi { f.label() } else { f.label_en() })).collect(),
        preview: vec![],
        done: result.record.as_ref().map(|r| match lang {
            Lang::Vi => format!("Đã nhập {} đảng viên từ «{}» ({} dòng bỏ qua).", r.imported, r.file_name, r.rejected),
            Lang::En => format!("Imported {} members from «{}» ({} rows left out).", r.imported, r.file_name, r.rejected),
        }),
    };
    if let Some(pv) = result.preview.as_ref().filter(|_| !job.state.in_work()) {
        page.ready = true;
        page.rows = pv.rows;
        page.valid = pv.valid;
        page.invalid = pv.invalid;
        page.problems = pv.problems.iter().map(|m| m.get(lang)).collect();
        page.errors = pv.errors.iter().map(|m| m.get(lang)).collect();
        page.more_errors = pv.more_errors;
        let mapping = result.mapping.clone().unwrap_or_default();
        page.columns = pv
            .headers
            .iter()
            .enumerate()
            .map(|(index, header)| ColumnView { index, header: header.clone(), field: mapping.get(index).cloned().unwrap_or_default() })
            .collect();
        page.preview = pv
            .shown
            .iter()
            .map(|r| RowView {
                line: r.line,
                cells: r.cells.clone(),
                ok: r.errors.is_none(),
                errors: r.errors.as_ref().map(|m| m.get(lang)).unwrap_or_default(),
            })
            .collect();
    }
    Ok(page.into_response())
}

pub(super) async fn status(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id).await?;
    let lang = staff.auth.lang;
    match progress_of(&job, lang) {
        Some(p) => Ok(ProgressPartial { x: texts(lang), p }.into_response()),
        // Finished: htmx reloads the page to show the result.
        None => Ok(([("HX-Refresh", "true")], "").into_response()),
    }
}

pub(super) async fn remap(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<HashMap<String, String>>) -> AppResult<Response> {
    staff.require(Rights::Members)?;
    let job = job_of(&staff, &id).await?;
    let result = JobResult::of(&job);
    if job.state.in_work() || result.record.is_some() {
        return Ok(Redirect::to(&format!("/import/{id}")).into_response());
    }
    let headers = result.preview.map(|p| p.headers).unwrap_or_default();
    let codes: Vec<String> = (0..headers.len()).map(|i| form.get(&format!("col{i}")).cloned().unwrap_or_default()).collect();
    let mapping = Mapping::from_codes(&codes, headers.len());
    let s = staff.store();
    chibo_import::remember_mapping(&s, &headers, &mapping).await.map_err(|e| staff.auth.err(e))?;
    // A step already asked (a double click, or in another process) is left alone.
    if s.queue_import_job(&id, CHECK).await.map_err(|e| staff.auth.err(e))? {
        spawn_step(&staff, job, Step::Check(Some(mapping)));
    }
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

pub(super) async fn commit(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<CommitForm>) -> AppResult<Response> {
    staff.require(Rights::Members)?;
    let job = job_of(&staff, &id).await?;
    let result = JobResult::of(&job);
    if job.state.in_work() || result.record.is_some() {
        return Ok(Redirect::to(&format!("/import/{id}")).into_response());
    }
    let mapping = result.mapping.as_ref().map(|codes| Mapping::from_codes(codes, codes.len()));
    let mode = if form.mode == "valid_only" { Mode::ValidOnly } else { Mode::AllOrNothing };
    if staff.store().queue_import_job(&id, WRITE).await.map_err(|e| staff.auth.err(e))? {
        spawn_step(&staff, job, Step::Write(mapping, mode));
    }
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

/// Bytes sent as a download named `name` (a Vietnamese name survives, RFC 5987).
pub(crate) fn download(bytes: Vec<u8>, name: &str, mime: &str) -> Response {
    // An ASCII fallback plus the UTF-8 name (RFC 6266 / 5987): any Vietnamese file name is a valid header.
    let ascii: String =
        chibo_domain::text::fold(name).chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    ([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) async fn rejected(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id).await?;
    let bytes = staff.store().import_job_rejected(&id).await.map_err(|e| staff.auth.err(e))?;
    let stem = job.file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&job.file_name);
    Ok(download(bytes, &format!("{stem}-dong-bi-loai.xlsx"), XLSX))
}

/// The list behind a page or a figure (the list page's own parameters: organization, day,
/// drill-down filters), streamed: written page by page into a temporary file in the
/// spreadsheet's constant-memory mode, then sent from the file, so memory stays flat for a
/// million rows.
pub(super) async fn export_members(staff: Staff, Query(q): Query<crate::member::ListQuery>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let org = org_of(&staff, &q.org).await?;
    let filter = crate::member::list_filter(&q, staff.today());
    let format = report::Format::from_code(&f.format).unwrap_or(report::Format::Xlsx);
    let file = report::spool().map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let store = staff.store();
    let (file, rows) = report::member_list(&store, org.id, &filter, format, file).await.map_err(|e| match e {
        report::ReportError::Store(e) => staff.auth.err(e),
        other => AppError::Internal(lang, other.to_string()),
    })?;
    store.audit_export(org.id, chibo_domain::org::audit::OrgAction::ExportMembers, rows as usize, format.extension()).await.map_err(|e| staff.auth.err(e))?;
    let name = format!("danh-sach-dang-vien-{}.{}", org.code, format.extension());
    download_file(file, &name, format.content_type())
}

/// Sends a spooled file as a download, read from disk as it goes.
pub(crate) fn download_file(mut file: std::fs::File, name: &str, mime: &'static str) -> AppResult<Response> {
    use std::io::Seek;
    file.rewind().map_err(|e| AppError::Internal(chibo_domain::error::Lang::Vi, e.to_string()))?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file)));
    let mut r = download(Vec::new(), name, mime);
    *r.body_mut() = body;
    Ok(r)
}
