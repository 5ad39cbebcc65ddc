//! Importing member lists: upload a file (.xlsx, .xls, .ods, .csv), see every row validated
//! with its errors by row and column, correct the column mapping (remembered for files with
//! the same headers), then write all rows or only the valid ones, with a progress bar; and the
//! member-list export the import reads back.
//!
//! An import is a job of this process, kept in memory by id for its owner: the reading,
//! validation and writing run on the blocking thread pool, so a 100,000-row file does not hold
//! the workers that answer other users; the page polls the job's progress with htmx. The
//! writes are one transaction in the store, so a job lost with the process leaves nothing.

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
use chibo_store::Scope;
use chibo_store::import::ImportRecord;
use chibo_store::org::OrgMatch;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// Largest file accepted (a 100,000-row workbook is about 6 MB).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Jobs kept in memory; the oldest finished ones are dropped beyond this.
const MAX_JOBS: usize = 16;
/// Steps (checking or writing) running at once in this process; others wait their turn, so
/// memory and cores stay bounded however many people upload at the same time.
static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// Rows shown in the preview table and error messages shown on the page.
const SHOWN_ROWS: usize = 30;
const SHOWN_ERRORS: usize = 300;

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

#[derive(Default)]
struct JobState {
    /// A step is running (validating or writing).
    running: bool,
    phase: Option<Phase>,
    done: u64,
    total: u64,
    prepared: Option<Arc<Prepared>>,
    error: Option<String>,
    record: Option<ImportRecord>,
}

struct Job {
    owner: i64,
    org_id: i64,
    file_name: String,
    bytes: Vec<u8>,
    created: std::time::Instant,
    state: Mutex<JobState>,
}

impl Job {
    fn state(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn progress(&self, phase: Phase, done: u64, total: u64) {
        let mut s = self.state();
        s.phase = Some(phase);
        s.done = done;
        s.total = total;
    }
}

static JOBS: LazyLock<Mutex<HashMap<String, Arc<Job>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn jobs() -> std::sync::MutexGuard<'static, HashMap<String, Arc<Job>>> {
    JOBS.lock().unwrap_or_else(|p| p.into_inner())
}

fn add_job(job: Job) -> String {
    let id = new_token();
    let mut all = jobs();
    while all.len() >= MAX_JOBS {
        let oldest = all.iter().filter(|(_, j)| !j.state().running).min_by_key(|(_, j)| j.created).map(|(k, _)| k.clone());
        match oldest {
            Some(k) => all.remove(&k),
            None => break,
        };
    }
    all.insert(id.clone(), Arc::new(job));
    id
}

/// The job, if it exists and belongs to the signed-in account.
fn job_of(staff: &Staff, id: &str) -> AppResult<Arc<Job>> {
    jobs().get(id).filter(|j| j.owner == staff.auth.session.account.id).cloned().ok_or(AppError::NotFound(staff.auth.lang))
}

/// Runs a step of a job on the blocking pool with the user's scope. A job already running is
/// left alone (a double click starts nothing twice); a step that panics ends with an error
/// instead of leaving the page polling forever.
fn spawn_step<F>(staff: &Staff, job: Arc<Job>, step: F)
where
    F: AsyncFnOnce(&chibo_store::Scoped<'_>, &Job) -> Result<(), String> + Send + 'static,
{
    {
        let mut s = job.state();
        if s.running {
            return;
        }
        s.running = true;
        s.error = None;
        s.done = 0;
        s.total = 0;
    }
    let store = staff.auth.app.store.clone();
    let scope: Scope = staff.scope.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let work = std::panic::AssertUnwindSafe(|| {
            handle.block_on(async {
                let _turn = RUNNING.acquire().await.map_err(|e| e.to_string())?;
                let s = store.within(&scope);
                step(&s, &job).await
            })
        });
        let result = std::panic::catch_unwind(work).unwrap_or_else(|_| Err("không xử lý được tệp này (tệp hỏng hoặc không đúng định dạng)".to_owned()));
        let mut st = job.state();
        st.running = false;
        if let Err(e) = result {
            st.error = Some(e);
        }
    });
}

fn start_prepare(staff: &Staff, job: Arc<Job>, mapping: Option<Mapping>) {
    spawn_step(staff, job, async move |s, job| {
        let p =
            chibo_import::prepare(s, job.org_id, &job.file_name, &job.bytes, mapping, &|ph, d, t| job.progress(ph, d, t)).await.map_err(|e| e.to_string())?;
        job.state().prepared = Some(Arc::new(p));
        Ok(())
    });
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
    let owner = staff.auth.session.account.id;
    let busy = jobs().values().filter(|j| j.owner == owner && j.state().running).count();
    if busy >= 2 {
        let msg = match lang {
            chibo_domain::error::Lang::Vi => "bạn đang có hai tệp đang xử lý; hãy chờ một tệp xong rồi tải lên tiếp",
            chibo_domain::error::Lang::En => "two of your files are being processed; wait for one to finish before uploading another",
        };
        return upload_page(&staff, org, Some(msg.into())).await;
    }
    let job = Job { owner, org_id: org.id, file_name, bytes, created: std::time::Instant::now(), state: Mutex::default() };
    let id = add_job(job);
    let job = job_of(&staff, &id)?;
    start_prepare(&staff, job, None);
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

/// A column of the file with its mapping choice.
struct ColumnView {
    index: usize,
    header: String,
    field: &'static str,
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

fn progress_of(id: &str, s: &JobState, lang: Lang) -> Option<ProgressView> {
    let phase = s.phase.unwrap_or(Phase::Validating);
    s.running.then(|| ProgressView {
        id: id.to_owned(),
        phase: if lang == Lang::Vi { phase.label() } else { phase.label_en() },
        done: s.done,
        total: s.total,
        percent: (s.done * 100).checked_div(s.total).unwrap_or(0),
    })
}

async fn show(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id)?;
    let org = staff.store().org(job.org_id).await.map_err(|e| staff.auth.err(e))?;
    let lang = staff.auth.lang;
    let x = texts(lang);
    let st = job.state();
    let mut page = ShowPage {
        c: staff.auth.chrome("members", &format!("/import/{id}")),
        x,
        id: id.clone(),
        file_name: job.file_name.clone(),
        org_id: org.id,
        org_name: org.name,
        progress: progress_of(&id, &st, lang),
        error: st.error.clone(),
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
        done: st.record.as_ref().map(|r| match lang {
            Lang::Vi => format!("Đã nhập {} đảng viên từ «{}» ({} dòng bỏ qua).", r.imported, r.file_name, r.rejected),
            Lang::En => format!("Imported {} members from «{}» ({} rows left out).", r.imported, r.file_name, r.rejected),
        }),
    };
    if let Some(p) = st.prepared.as_ref().filter(|_| !st.running) {
        let pv = &p.preview;
        page.ready = true;
        page.rows = pv.rows.len();
        page.valid = pv.valid_count();
        page.invalid = pv.invalid_count();
        page.problems = pv.problems.iter().map(|e| e.message(lang)).collect();
        let total_errors = pv.errors().count();
        page.errors = pv.errors().take(SHOWN_ERRORS).map(|e| e.message_in(lang)).collect();
        page.more_errors = total_errors.saturating_sub(SHOWN_ERRORS);
        page.columns = p
            .table
            .headers
            .iter()
            .enumerate()
            .map(|(index, header)| ColumnView {
                index,
                header: header.clone(),
                field: p.mapping.0.get(index).copied().flatten().map(|f| f.code()).unwrap_or(""),
            })
            .collect();
        page.preview = pv
            .rows
            .iter()
            .zip(&p.table.rows)
            .take(SHOWN_ROWS)
            .map(|(r, (_, cells))| RowView {
                line: r.line,
                cells: cells.clone(),
                ok: r.errors.is_empty(),
                errors: r.errors.iter().map(|e| e.cell_message_in(lang)).collect::<Vec<_>>().join("; "),
            })
            .collect();
    }
    drop(st);
    Ok(page.into_response())
}

async fn status(staff: Staff, Path(id): Path<String>) -> AppResult<Response> {
    let job = job_of(&staff, &id)?;
    let st = job.state();
    let lang = staff.auth.lang;
    match progress_of(&id, &st, lang) {
        Some(p) => Ok(ProgressPartial { x: texts(lang), p }.into_response()),
        // Finished: htmx reloads the page to show the result.
        None => Ok(([("HX-Refresh", "true")], "").into_response()),
    }
}

async fn remap(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<HashMap<String, String>>) -> AppResult<Response> {
    staff.require(Rights::Members)?;
    let job = job_of(&staff, &id)?;
    let headers = {
        let st = job.state();
        if st.running || st.record.is_some() {
            return Ok(Redirect::to(&format!("/import/{id}")).into_response());
        }
        st.prepared.as_ref().map(|p| p.table.headers.clone()).unwrap_or_default()
    };
    let codes: Vec<String> = (0..headers.len()).map(|i| form.get(&format!("col{i}")).cloned().unwrap_or_default()).collect();
    let mapping = Mapping::from_codes(&codes, headers.len());
    chibo_import::remember_mapping(&staff.store(), &headers, &mapping).await.map_err(|e| staff.auth.err(e))?;
    start_prepare(&staff, job, Some(mapping));
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

#[derive(Deserialize)]
struct CommitForm {
    #[serde(default)]
    mode: String,
}

async fn commit(staff: Staff, Path(id): Path<String>, CsrfForm(form): CsrfForm<CommitForm>) -> AppResult<Response> {
    staff.require(Rights::Members)?;
    let job = job_of(&staff, &id)?;
    let mapping = {
        let st = job.state();
        if st.running || st.record.is_some() {
            return Ok(Redirect::to(&format!("/import/{id}")).into_response());
        }
        st.prepared.as_ref().map(|p| p.mapping.clone())
    };
    let mode = if form.mode == "valid_only" { Mode::ValidOnly } else { Mode::AllOrNothing };
    spawn_step(&staff, job, async move |s, job| {
        // Validated again at commit time: members may have been added since the preview.
        let p =
            chibo_import::prepare(s, job.org_id, &job.file_name, &job.bytes, mapping, &|ph, d, t| job.progress(ph, d, t)).await.map_err(|e| e.to_string())?;
        let p = Arc::new(p);
        job.state().prepared = Some(p.clone());
        let rec = chibo_import::commit(s, &p, mode, &|ph, d, t| job.progress(ph, d, t)).await.map_err(|e| e.to_string())?;
        job.state().record = Some(rec);
        Ok(())
    });
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
    let job = job_of(&staff, &id)?;
    let p = job.state().prepared.clone().ok_or(AppError::NotFound(staff.auth.lang))?;
    let bytes = export::rejected_xlsx(&p.preview, &p.table).map_err(|e| AppError::Internal(staff.auth.lang, e.to_string()))?;
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
