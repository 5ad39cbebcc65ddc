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
use chibo_import::{Field, Mapping, Mode, Phase, Prepared, export, report};
use chibo_store::import_job::{HEARTBEAT, ImportJob, JobOutcome, JobState};
use chibo_store::org::OrgMatch;
use chibo_store::{Backend, Scope, Scoped, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Largest file accepted (a 100,000-row workbook is about 6 MB).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Steps (checking or writing) running at once in this process; others wait their turn
/// (queued), so memory and cores stay bounded however many people upload at the same time.
static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// Files one person may have in work (queued or running) at once, in all processes.
const IN_WORK_PER_PERSON: i64 = 2;
/// Rows shown in the preview table and error messages shown on the page.
const SHOWN_ROWS: usize = 30;
const SHOWN_ERRORS: usize = 300;
/// A job's kinds of step, as stored.
const CHECK: &str = "check";
const WRITE: &str = "write";

/// The routes of this module (given a larger body limit by the router).
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/import", upload_form, upload)
        .get("/import/{id}", show)
        .get("/import/{id}/status", status)
        .post("/import/{id}/mapping", remap)
        .post("/import/{id}/commit", commit)
        .get("/import/{id}/rejected.xlsx", rejected)
        .get("/export/members", export_members)
}

fn phase_code(p: Phase) -> &'static str {
    match p {
        Phase::Validating => "validating",
        Phase::Writing => "writing",
    }
}

fn phase_of(code: Option<&str>) -> Phase {
    if code == Some("writing") { Phase::Writing } else { Phase::Validating }
}

/// A text in both languages of the pages (messages are made once, read in either).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Said {
    vi: String,
    en: String,
}

impl Said {
    fn of(f: impl Fn(Lang) -> String) -> Said {
        Said { vi: f(Lang::Vi), en: f(Lang::En) }
    }

    fn get(&self, lang: Lang) -> String {
        if lang == Lang::Vi { self.vi.clone() } else { self.en.clone() }
    }
}

/// What a job's page shows once a step ended: the job's result, as JSON in the database.
#[derive(Debug, Default, Serialize, Deserialize)]
struct JobResult {
    /// The column mapping of the last check (field codes, "" for an ignored column).
    mapping: Option<Vec<String>>,
    /// The last check.
    preview: Option<PreviewSummary>,
    /// The import, once written.
    record: Option<Imported>,
}

impl JobResult {
    fn of(job: &ImportJob) -> JobResult {
        job.result.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
    }
}

/// The preview of a checked file, as far as the page shows it.
#[derive(Debug, Serialize, Deserialize)]
struct PreviewSummary {
    rows: usize,
    valid: usize,
    invalid: usize,
    problems: Vec<Said>,
    errors: Vec<Said>,
    more_errors: usize,
    headers: Vec<String>,
    shown: Vec<ShownRow>,
}

/// A row of the preview table: None for a valid row, else its errors.
#[derive(Debug, Serialize, Deserialize)]
struct ShownRow {
    line: usize,
    cells: Vec<String>,
    errors: Option<Said>,
}

/// A written import, for the page's last message.
#[derive(Debug, Serialize, Deserialize)]
struct Imported {
    imported: i64,
    rejected: i64,
    file_name: String,
}

fn summary(p: &Prepared) -> PreviewSummary {
    let pv = &p.preview;
    let total_errors = pv.errors().count();
    PreviewSummary {
        rows: pv.rows.len(),
        valid: pv.valid_count(),
        invalid: pv.invalid_count(),
        problems: pv.problems.iter().map(|e| Said::of(|l| e.message(l))).collect(),
        errors: pv.errors().take(SHOWN_ERRORS).map(|e| Said::of(|l| e.message_in(l))).collect(),
        more_errors: total_errors.saturating_sub(SHOWN_ERRORS),
        headers: p.table.headers.clone(),
        shown: pv
            .rows
            .iter()
            .zip(&p.table.rows)
            .take(SHOWN_ROWS)
            .map(|(r, (_, cells))| ShownRow {
                line: r.line,
                cells: cells.clone(),
                errors: (!r.errors.is_empty()).then(|| Said::of(|l| r.errors.iter().map(|e| e.cell_message_in(l)).collect::<Vec<_>>().join("; "))),
            })
            .collect(),
    }
}

/// What a step asks.
enum Step {
    /// Read and validate, with this mapping (None: the remembered or recognised one).
    Check(Option<Mapping>),
    /// Validate again (members may have been added since the preview) and write.
    Write(Option<Mapping>, Mode),
}

/// How a step ended, for the job's row.
struct Ended {
    error: Option<String>,
    result: Option<(String, Option<Vec<u8>>)>,
}

impl Ended {
    fn failed(error: String) -> Ended {
        Ended { error: Some(error), result: None }
    }
}

/// The progress a step reports, read by the task that writes it to the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Live {
    state: JobState,
    phase: Option<Phase>,
    done: u64,
    total: u64,
}

/// A running step's progress and the right to write it to the job: held by the task that
/// reports it and by the step when it announces the writing, so the job's row never goes
/// back to an older report.
struct Progress {
    live: Mutex<Live>,
    reporting: tokio::sync::Mutex<()>,
}

impl Progress {
    fn set(&self, f: impl FnOnce(&mut Live)) {
        f(&mut self.live.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn now(&self) -> Live {
        *self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn report(&self, ph: Phase, done: u64, total: u64) {
        self.set(|l| {
            l.phase = Some(ph);
            l.done = done;
            l.total = total;
        })
    }
}

/// Runs a queued step of a job on the blocking pool with the user's scope; a step that
/// panics ends with an error instead of leaving the page polling forever.
fn spawn_step(staff: &Staff, job: ImportJob, step: Step) {
    let store = staff.auth.app.store.clone();
    let scope: Scope = staff.scope.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let progress =
            Arc::new(Progress { live: Mutex::new(Live { state: JobState::Queued, phase: None, done: 0, total: 0 }), reporting: tokio::sync::Mutex::new(()) });
        let beat = handle.spawn(report_progress(store.clone(), scope.clone(), job.id.clone(), progress.clone()));
        let s = store.within(&scope);
        let work = std::panic::AssertUnwindSafe(|| {
            handle.block_on(async {
                let Ok(_turn) = RUNNING.acquire().await else { return Ended::failed("máy chủ đang dừng".to_owned()) };
                progress.set(|l| l.state = JobState::Running);
                let bytes = match s.import_job_file(&job.id).await {
                    Ok(b) => b,
                    Err(e) => return Ended::failed(e.message(Lang::Vi)),
                };
                run_step(&s, &job, &bytes, step, &progress).await
            })
        });
        let ended =
            std::panic::catch_unwind(work).unwrap_or_else(|_| Ended::failed("không xử lý được tệp này (tệp hỏng hoặc không đúng định dạng)".to_owned()));
        beat.abort();
        handle.block_on(async {
            let _ = beat.await;
            let outcome = JobOutcome { error: ended.error.as_deref(), result: ended.result.as_ref().map(|(json, rej)| (json.as_str(), rej.as_deref())) };
            if let Err(e) = s.end_import_job(&job.id, outcome).await {
                // The job stays "running" until it is taken for dead (STALE_AFTER).
                tracing::warn!(error = %e, "import: the end of a step was not recorded");
            }
        });
    });
}

/// Writes a running step's progress to its job twice a second when it moved, and at least
/// every [`HEARTBEAT`] as a sign of life. On SQLite the load's transaction holds the file's
/// write lock while it writes the members, so a report then would only wait for it: the step
/// announces the writing before it starts ([`announce_writing`]), and the bar shows it at its
/// start until the result.
async fn report_progress(store: Store, scope: Scope, id: String, progress: Arc<Progress>) {
    let s = store.within(&scope);
    let mut sent: Option<(Live, std::time::Instant)> = None;
    loop {
        {
            let _turn = progress.reporting.lock().await;
            let now = progress.now();
            let due = match sent {
                Some((last, at)) => last != now || at.elapsed() >= HEARTBEAT,
                None => true,
            };
            let held = store.backend() == Backend::Sqlite && now.phase == Some(Phase::Writing);
            if due && !held {
                match s.report_import_job(&id, now.state, now.phase.map(phase_code), now.done as i64, now.total as i64).await {
                    Ok(_) => sent = Some((now, std::time::Instant::now())),
                    Err(e) => tracing::warn!(error = %e, "import: progress not recorded"),
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// Records on the job that the writing starts, before the load takes its locks.
async fn announce_writing(s: &Scoped<'_>, id: &str, progress: &Progress, rows: u64) {
    progress.report(Phase::Writing, 0, rows);
    let _turn = progress.reporting.lock().await;
    if let Err(e) = s.report_import_job(id, JobState::Running, Some(phase_code(Phase::Writing)), 0, rows as i64).await {
        tracing::warn!(error = %e, "import: progress not recorded");
    }
}

/// One step: check the file (and write it, when asked); the job's new result and the rows
/// left out, or why it failed.
async fn run_step(s: &Scoped<'_>, job: &ImportJob, bytes: &[u8], step: Step, progress: &Progress) -> Ended {
    let mut result = JobResult::of(job);
    let (mapping, mode) = match step {
        Step::Check(m) => (m, None),
        Step::Write(m, mode) => (m, Some(mode)),
    };
    let report = |ph, done, total| progress.report(ph, done, total);
    let p = match chibo_import::prepare(s, job.org_id, &job.file_name, bytes, mapping, &report).await {
        Ok(p) => p,
        Err(e) => return Ended::failed(e.to_string()),
    };
    result.mapping = Some(p.mapping.to_codes());
    result.preview = Some(summary(&p));
    let rejected = if p.preview.invalid_count() > 0 {
        match export::rejected_xlsx(&p.preview, &p.table) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                tracing::warn!(error = %e, "import: the rejected rows' file was not made");
                None
            }
        }
    } else {
        None
    };
    let error = match mode {
        None => None,
        Some(mode) => {
            announce_writing(s, &job.id, progress, p.preview.valid_count() as u64).await;
            match chibo_import::commit(s, &p, mode, &report).await {
                Ok(rec) => {
                    result.record = Some(Imported { imported: rec.imported, rejected: rec.rejected, file_name: rec.file_name });
                    None
                }
                Err(e) => Some(e.to_string()),
            }
        }
    };
    let json = serde_json::to_string(&result).unwrap_or_default();
    Ended { error, result: Some((json, rejected)) }
}

#[derive(Deserialize, Default)]
struct OrgQuery {
    #[serde(default)]
    org: String,
}

/// A past import, for the list under the form.
struct PastImport {
    at: String,
    file_name: String,
    imported: i64,
    rejected: i64,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/upload.html")]
struct UploadPage {
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

async fn upload_form(staff: Staff, Query(q): Query<OrgQuery>) -> AppResult<Response> {
    let org = org_of(&staff, &q.org).await?;
    staff.require(Rights::Members)?;
    upload_page(&staff, org, None).await
}

async fn upload(staff: Staff, mut form: Multipart) -> AppResult<Response> {
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
struct ColumnView {
    index: usize,
    header: String,
    field: String,
}

/// A row of the preview table.
struct RowView {
    line: usize,
    cells: Vec<String>,
    ok: bool,
    errors: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/show.html")]
struct ShowPage {
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
struct ProgressView {
    id: String,
    phase: &'static str,
    done: u64,
    total: u64,
    percent: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "import/progress.html")]
struct ProgressPartial {
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

async fn show(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
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

async fn status(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id).await?;
    let lang = staff.auth.lang;
    match progress_of(&job, lang) {
        Some(p) => Ok(ProgressPartial { x: texts(lang), p }.into_response()),
        // Finished: htmx reloads the page to show the result.
        None => Ok(([("HX-Refresh", "true")], "").into_response()),
    }
}

async fn remap(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<HashMap<String, String>>) -> AppResult<Response> {
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

#[derive(Deserialize)]
struct CommitForm {
    #[serde(default)]
    mode: String,
}

async fn commit(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<CommitForm>) -> AppResult<Response> {
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

fn download(bytes: Vec<u8>, name: &str, mime: &'static str) -> Response {
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

async fn rejected(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id).await?;
    let bytes = staff.store().import_job_rejected(&id).await.map_err(|e| staff.auth.err(e))?;
    let stem = job.file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&job.file_name);
    Ok(download(bytes, &format!("{stem}-dong-bi-loai.xlsx"), XLSX))
}

/// `format=xlsx|csv` of an export.
#[derive(Deserialize, Default)]
pub(crate) struct FormatQuery {
    #[serde(default)]
    pub(crate) format: String,
}

/// The list behind a page or a figure (the list page's own parameters: organization, day,
/// drill-down filters), streamed: written page by page into a temporary file in the
/// spreadsheet's constant-memory mode, then sent from the file, so memory stays flat for a
/// million rows.
async fn export_members(staff: Staff, Query(q): Query<crate::member::ListQuery>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
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
    store.audit_export(org.id, rows as usize, format.extension()).await.map_err(|e| staff.auth.err(e))?;
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

/// The texts of the import pages, per language.
pub struct ImportTexts {
    title: &'static str,
    crumb: &'static str,
    lead: &'static str,
    into_org: &'static str,
    file: &'static str,
    upload: &'static str,
    choose_file: &'static str,
    export_title: &'static str,
    export_lead: &'static str,
    download: &'static str,
    past: &'static str,
    when: &'static str,
    imported: &'static str,
    left_out: &'static str,
    by: &'static str,
    rows: &'static str,
    valid: &'static str,
    with_errors: &'static str,
    errors_title: &'static str,
    more_errors: &'static str,
    download_errors: &'static str,
    mapping_title: &'static str,
    column: &'static str,
    ignore: &'static str,
    recheck: &'static str,
    preview_title: &'static str,
    row: &'static str,
    result: &'static str,
    ok: &'static str,
    commit_title: &'static str,
    when_errors: &'static str,
    all_or_nothing: &'static str,
    valid_only: &'static str,
    import_n: &'static str,
    members: &'static str,
    see_list: &'static str,
    download_rejected: &'static str,
}

static VI: ImportTexts = ImportTexts {
    title: "Nhập danh sách đảng viên",
    crumb: "Nhập danh sách",
    lead: "Tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV; dòng đầu là tên cột («Họ và tên», «Ngày sinh», «Số CCCD», «Số thẻ đảng viên», «Ngày vào Đảng», «Ngày chính thức», «Chi bộ»…). Mọi dòng được kiểm tra trước khi ghi.",
    into_org: "Nhập vào tổ chức (mã hoặc tên)",
    file: "Tệp danh sách",
    upload: "Tải lên và kiểm tra",
    choose_file: "Hãy chọn một tệp .xlsx, .xls, .ods hoặc .csv.",
    export_title: "Xuất danh sách",
    export_lead: "Danh sách đảng viên theo đúng các cột trên (nhập lại được):",
    download: "Tải",
    past: "Các lần nhập trước",
    when: "Thời điểm",
    imported: "Đã nhập",
    left_out: "Bỏ qua",
    by: "Người nhập",
    rows: "dòng",
    valid: "hợp lệ",
    with_errors: "có lỗi",
    errors_title: "Lỗi theo dòng và cột",
    more_errors: "lỗi khác (có trong tệp các dòng bị loại)",
    download_errors: "Tải các dòng có lỗi (.xlsx, có cột «Lỗi»)",
    mapping_title: "Ghép cột",
    column: "Cột",
    ignore: "(bỏ qua)",
    recheck: "Kiểm tra lại với cách ghép này (và ghi nhớ)",
    preview_title: "Xem trước",
    row: "Dòng",
    result: "Kết quả",
    ok: "Hợp lệ",
    commit_title: "Ghi vào cơ sở dữ liệu",
    when_errors: "Khi có dòng lỗi",
    all_or_nothing: "Tất cả hoặc không: chỉ ghi khi mọi dòng đều hợp lệ",
    valid_only: "Chỉ các dòng hợp lệ: bỏ qua các dòng có lỗi",
    import_n: "Nhập",
    members: "đảng viên",
    see_list: "Xem danh sách đảng viên",
    download_rejected: "Tải các dòng bị loại (.xlsx)",
};

static EN: ImportTexts = ImportTexts {
    title: "Import a member list",
    crumb: "Import",
    lead: "An Excel (.xlsx, .xls), OpenDocument (.ods) or CSV file whose first row names the columns («Họ và tên», «Ngày sinh», «Số CCCD», «Số thẻ đảng viên», «Ngày vào Đảng», «Ngày chính thức», «Chi bộ»…). Every row is checked before anything is written.",
    into_org: "Into organization (code or name)",
    file: "File",
    upload: "Upload and check",
    choose_file: "Choose a .xlsx, .xls, .ods or .csv file.",
    export_title: "Export the list",
    export_lead: "The members in these columns (they import back):",
    download: "Download",
    past: "Past imports",
    when: "When",
    imported: "Imported",
    left_out: "Left out",
    by: "By",
    rows: "rows",
    valid: "valid",
    with_errors: "with errors",
    errors_title: "Errors by row and column",
    more_errors: "more errors (all in the rejected rows file)",
    download_errors: "Download the rows with errors (.xlsx, with an error column)",
    mapping_title: "Column mapping",
    column: "Column",
    ignore: "(ignore)",
    recheck: "Check again with this mapping (and remember it)",
    preview_title: "Preview",
    row: "Row",
    result: "Result",
    ok: "Valid",
    commit_title: "Write to the database",
    when_errors: "When rows have errors",
    all_or_nothing: "All or nothing: write only if every row is valid",
    valid_only: "Valid rows only: leave out the rows with errors",
    import_n: "Import",
    members: "members",
    see_list: "See the member list",
    download_rejected: "Download the rows left out (.xlsx)",
};

fn texts(lang: Lang) -> &'static ImportTexts {
    if lang == Lang::Vi { &VI } else { &EN }
}
