//! Admission pages: the list of cases of the scope, the candidate file form, and the case page
//! with its steps, deadlines and the form of the next step. Every refusal comes back beside
//! the field with the rule that was not met.

use crate::auth::{CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, attach_errors};
use crate::i18n::Lang;
use crate::member::{date_field, version_of};
use crate::view::{Pager, date, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::admission::{AdmissionCase, CandidateFile, Decision, Stage, Step};
use chibo_domain::calendar::format_date;
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::member::{MemberId, MemberStatus};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::admission::AdmissionRow;
use chibo_store::member::MemberFilter;
use serde::Deserialize;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/admissions", list, create)
        .get("/admissions/new", new_form)
        .get("/admissions/{id}", show)
        .post("/admissions/{id}/step", step)
}

const PER_PAGE: i64 = 25;

pub struct Row {
    pub id: i64,
    pub name: String,
    pub cell: String,
    pub stage: String,
    pub applied: String,
    pub next: String,
    pub late: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "life/admissions.html")]
struct ListPage {
    c: crate::auth::Chrome,
    title: &'static str,
    stage_label: &'static str,
    stages: Vec<(String, String)>,
    stage: String,
    total_label: String,
    headers: [&'static str; 5],
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    stage: String,
    page: Option<i64>,
}

fn stage_label(s: Stage, lang: Lang) -> &'static str {
    if lang == Lang::Vi { s.label_vi() } else { s.label_en() }
}

async fn list(staff: Staff, Query(q): Query<ListQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let stage = Stage::from_code(q.stage.trim());
    let page = q.page.unwrap_or(1);
    let rows = store.admissions(stage, Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(|e| staff.auth.err(e))?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let cal = staff.auth.app.store.working_calendar_with(&book, staff.today()).await.map_err(|e| staff.auth.err(e))?;
    let mut stages = vec![(String::new(), pick(lang, "Tất cả", "All").to_owned())];
    stages.extend(Stage::ALL.iter().map(|s| (s.code().to_owned(), stage_label(*s, lang).to_owned())));
    let now = staff.today();
    Ok(ListPage {
        c: staff.auth.chrome("admissions", "/admissions"),
        title: pick(lang, "Phát triển đảng viên", "Admissions"),
        stage_label: pick(lang, "Bước", "Stage"),
        stages,
        stage: stage.map(|s| s.code().to_owned()).unwrap_or_default(),
        total_label: match lang {
            Lang::Vi => format!("{} hồ sơ", rows.total),
            Lang::En => format!("{} cases", rows.total),
        },
        headers: [
            pick(lang, "Họ và tên", "Name"),
            pick(lang, "Chi bộ", "Cell"),
            pick(lang, "Bước", "Stage"),
            pick(lang, "Ngày làm đơn", "Applied"),
            pick(lang, "Hạn tiếp theo", "Next deadline"),
        ],
        pager: Pager::new("/admissions", &[("stage", q.stage.clone())], page, PER_PAGE, rows.total),
        rows: rows
            .items
            .into_iter()
            .map(|r| {
                let (next, late) = next_deadline(&r.case, &book, &cal, now, lang);
                Row {
                    id: r.case.id,
                    name: r.full_name,
                    cell: r.cell_name,
                    stage: stage_label(r.case.stage, lang).to_owned(),
                    applied: format_date(r.case.file.applied_on),
                    next,
                    late,
                }
            })
            .collect(),
    })
}

/// The next deadline of a case in words, and whether it has passed.
fn next_deadline(
    c: &AdmissionCase,
    book: &chibo_domain::rules::RuleBook,
    cal: &chibo_domain::rules::WorkingCalendar,
    now: chrono::NaiveDate,
    lang: Lang,
) -> (String, bool) {
    let (label, due) = match c.stage {
        Stage::Candidate | Stage::Voted => {
            // The certificate must still be valid on the admission decision.
            (pick(lang, "giấy chứng nhận hết hạn", "certificate expires"), Some(chibo_domain::admission::certificate_expires(book, c.file.certificate_on)))
        }
        Stage::Decided => (pick(lang, "tổ chức lễ kết nạp trước", "ceremony by"), c.ceremony_due(book, cal)),
        Stage::Probation => (pick(lang, "hết dự bị", "probation ends"), c.probation_ends(book)),
        Stage::RecognitionVoted => (pick(lang, "quyết định công nhận trước", "recognition by"), c.recognition_due(book, cal)),
        _ => return (String::new(), false),
    };
    match due {
        Some(d) => (format!("{label} {}", format_date(d)), now > d && c.stage != Stage::Probation),
        None => (String::new(), false),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "life/form.html")]
pub(crate) struct FormPage {
    pub c: crate::auth::Chrome,
    pub title: String,
    pub lead: String,
    pub back: String,
    pub back_label: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub errors: Vec<crate::form::ErrorLine>,
    pub version: i64,
}

#[derive(Deserialize, Default)]
struct FileForm {
    #[serde(default)]
    member: String,
    #[serde(default)]
    certificate_no: String,
    #[serde(default)]
    certificate_on: String,
    #[serde(default)]
    applied_on: String,
    #[serde(default)]
    background_on: String,
    #[serde(default)]
    vetted_on: String,
    #[serde(default)]
    introducer_1: String,
    #[serde(default)]
    introducer_1_card: String,
    #[serde(default)]
    known_since_1: String,
    #[serde(default)]
    workplace_1: String,
    #[serde(default)]
    introducer_2: String,
    #[serde(default)]
    introducer_2_card: String,
    #[serde(default)]
    known_since_2: String,
    #[serde(default)]
    workplace_2: String,
}

fn file_fields(f: &FileForm, introducers: &[(String, String)], lang: Lang) -> Vec<Field> {
    let card_label = pick(lang, "hoặc số thẻ đảng viên của người giới thiệu", "or the introducer's party card number");
    let card_hint = pick(lang, "Khi người giới thiệu ở chi bộ khác (cùng đơn vị công tác)", "When the introducer is in another cell (same workplace)");
    let workplace_hint =
        pick(lang, "Chỉ khi người giới thiệu ở chi bộ khác: tên đơn vị công tác chung", "Only for an introducer of another cell: the shared workplace");
    vec![
        Field::text("certificate_no", &f.certificate_no, lang).required(),
        Field::date("certificate_on", &f.certificate_on, lang).required(),
        Field::date("applied_on", &f.applied_on, lang).required(),
        Field::date("background_on", &f.background_on, lang),
        Field::date("vetted_on", &f.vetted_on, lang),
        Field::select("introducer_1", &f.introducer_1, introducers.to_vec(), lang).required(),
        Field::text("introducer_1_card", &f.introducer_1_card, lang).label(card_label).hint(card_hint),
        Field::date("known_since_1", &f.known_since_1, lang).required(),
        Field::text("workplace_1", &f.workplace_1, lang)
            .label(pick(lang, "Đơn vị công tác chung (người thứ nhất)", "Shared workplace (first)"))
            .hint(workplace_hint),
        Field::select("introducer_2", &f.introducer_2, introducers.to_vec(), lang).required(),
        Field::text("introducer_2_card", &f.introducer_2_card, lang).label(card_label).hint(card_hint),
        Field::date("known_since_2", &f.known_since_2, lang).required(),
        Field::text("workplace_2", &f.workplace_2, lang)
            .label(pick(lang, "Đơn vị công tác chung (người thứ hai)", "Shared workplace (second)"))
            .hint(workplace_hint),
    ]
}

fn optional_date(e: &mut ValidationErrors, field: &str, value: &str) -> Option<chrono::NaiveDate> {
    if value.trim().is_empty() { None } else { date_field(e, field, value) }
}

fn parse_file(f: &FileForm) -> Result<(CandidateFile, [Option<String>; 2]), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let certificate_on = date_field(&mut e, "certificate_on", &f.certificate_on);
    let applied_on = date_field(&mut e, "applied_on", &f.applied_on);
    let background_on = optional_date(&mut e, "background_on", &f.background_on);
    let vetted_on = optional_date(&mut e, "vetted_on", &f.vetted_on);
    let mut ids = [0i64; 2];
    for (i, (field, v)) in [("introducer_1", &f.introducer_1), ("introducer_2", &f.introducer_2)].into_iter().enumerate() {
        match v.trim().parse::<MemberId>() {
            Ok(id) => ids[i] = id,
            Err(_) => e.push(FieldError::new(field, ErrorCode::Required)),
        }
    }
    let k1 = date_field(&mut e, "known_since_1", &f.known_since_1);
    let k2 = date_field(&mut e, "known_since_2", &f.known_since_2);
    e.into_result()?;
    let (Some(certificate_on), Some(applied_on), Some(k1), Some(k2)) = (certificate_on, applied_on, k1, k2) else {
        return Err(FieldError::new("applied_on", ErrorCode::Required).into());
    };
    let ws = |s: &str| Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
    Ok((
        CandidateFile {
            certificate_no: f.certificate_no.trim().to_owned(),
            certificate_on,
            applied_on,
            background_on,
            vetted_on,
            introducers: ids,
            known_since: [k1, k2],
        },
        [ws(&f.workplace_1), ws(&f.workplace_2)],
    ))
}

/// Members of the candidate's cell who could introduce (official first, then the rest, so a
/// probationary pick is refused with the rule rather than hidden).
async fn introducer_options(staff: &Staff, cell: i64, lang: Lang) -> AppResult<Vec<(String, String)>> {
    let filter = MemberFilter { statuses: vec![MemberStatus::Official, MemberStatus::Probationary], ..Default::default() };
    let page = staff.store().list_members(cell, &filter, 0, 500).await.map_err(|e| staff.auth.err(e))?;
    let mut out = vec![(String::new(), pick(lang, "— chọn đảng viên —", "— choose a member —").to_owned())];
    out.extend(page.items.into_iter().map(|m| {
        let status = if lang == Lang::Vi { m.status.label_vi() } else { m.status.label_en() };
        (m.id.to_string(), format!("{} ({status})", m.profile.full_name))
    }));
    Ok(out)
}

#[derive(Deserialize, Default)]
struct NewQuery {
    member: Option<i64>,
}

async fn file_page(staff: &Staff, member: i64, f: &FileForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    let options = introducer_options(staff, m.org_id, lang).await?;
    let mut fields = file_fields(f, &options, lang);
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("admissions", "/admissions/new"),
        title: pick(lang, "Lập hồ sơ kết nạp", "Open an admission case").to_owned(),
        lead: format!("{} · {}", m.profile.full_name, m.org_name),
        back: format!("/members/{member}"),
        back_label: m.profile.full_name,
        action: format!("/admissions?member={member}"),
        submit: pick(lang, "Lập hồ sơ", "Open the case").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

async fn new_form(staff: Staff, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let member = q.member.ok_or(crate::error::AppError::NotFound(staff.auth.lang))?;
    staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let f = FileForm { applied_on: format_date(staff.today()), ..Default::default() };
    file_page(&staff, member, &f, &ValidationErrors::new()).await
}

async fn create(staff: Staff, Query(q): Query<NewQuery>, CsrfForm(f): CsrfForm<FileForm>) -> AppResult<Response> {
    let member = q.member.or_else(|| f.member.trim().parse().ok()).ok_or(crate::error::AppError::NotFound(staff.auth.lang))?;
    staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    // An introducer of another cell is named by party card number.
    let mut f = f;
    let mut pre = ValidationErrors::new();
    for (pick_field, card, field) in
        [(&mut f.introducer_1, f.introducer_1_card.clone(), "introducer_1"), (&mut f.introducer_2, f.introducer_2_card.clone(), "introducer_2")]
    {
        if pick_field.trim().is_empty() && !card.trim().is_empty() {
            match staff.auth.app.store.public().member_id_by_card(&card).await.map_err(|e| staff.auth.err(e))? {
                Some(id) => *pick_field = id.to_string(),
                None => pre.push(FieldError::new(field, ErrorCode::NotFound)),
            }
        }
    }
    let parsed = if pre.is_empty() { parse_file(&f) } else { Err(pre) };
    let result = match parsed {
        Ok((file, workplaces)) => staff.store().open_admission(member, file, workplaces).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/admissions/{}", row.case.id)).into_response()),
        Err(e) => {
            let errors = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            Ok(file_page(&staff, member, &f, &errors).await?.into_response())
        }
    }
}

pub struct NextStep {
    pub title: String,
    pub hint: String,
    pub step: &'static str,
    pub fields: Vec<Field>,
    pub errors: Vec<crate::form::ErrorLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "life/admission.html")]
struct ShowPage {
    c: crate::auth::Chrome,
    id: i64,
    title: &'static str,
    list_label: &'static str,
    steps_label: &'static str,
    name: String,
    member_id: i64,
    cell_id: i64,
    cell: String,
    stage: String,
    notices: Vec<String>,
    details: Vec<(String, String)>,
    steps: Vec<(String, String, String)>,
    next: Option<NextStep>,
    version: i64,
}

#[derive(Deserialize, Default, Clone)]
struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    vote_on: String,
    #[serde(default)]
    votes_for: String,
    #[serde(default)]
    votes_against: String,
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    decision_on: String,
    #[serde(default)]
    issued_by: String,
    #[serde(default)]
    ceremony_on: String,
    #[serde(default)]
    background_on: String,
    #[serde(default)]
    vetted_on: String,
    #[serde(default)]
    version: String,
}

fn step_of(c: &AdmissionCase) -> Option<&'static str> {
    Some(match c.stage {
        Stage::Candidate if c.file.background_on.is_none() || c.file.vetted_on.is_none() => "vetting",
        Stage::Candidate => "vote",
        Stage::Voted => "decision",
        Stage::Decided => "ceremony",
        Stage::Probation => "recognition_vote",
        Stage::RecognitionVoted => "recognition_decision",
        _ => return None,
    })
}

fn step_fields(step: &str, f: &StepForm, lang: Lang) -> Vec<Field> {
    match step {
        "vote" | "recognition_vote" => vec![
            Field::date("vote_on", &f.vote_on, lang).required(),
            Field::text("votes_for", &f.votes_for, lang).required(),
            Field::text("votes_against", &f.votes_against, lang).required(),
        ],
        "decision" | "recognition_decision" => vec![
            Field::text("decision_number", &f.decision_number, lang).required().hint(pick(lang, "ví dụ 123-QĐ/ĐU", "e.g. 123-QĐ/ĐU")),
            Field::date("decision_on", &f.decision_on, lang).required(),
            Field::text("issued_by", &f.issued_by, lang).required(),
        ],
        "vetting" => vec![Field::date("background_on", &f.background_on, lang).required(), Field::date("vetted_on", &f.vetted_on, lang).required()],
        _ => vec![Field::date("ceremony_on", &f.ceremony_on, lang).required()],
    }
}

fn count_field(e: &mut ValidationErrors, field: &str, v: &str) -> Option<u32> {
    match v.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) if v.trim().is_empty() => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
        Err(_) => {
            e.push(FieldError::new(field, ErrorCode::InvalidChoice).with("value", v.trim()));
            None
        }
    }
}

fn parse_step(f: &StepForm) -> Result<Step, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let step = match f.step.as_str() {
        "vote" | "recognition_vote" => {
            let on = date_field(&mut e, "vote_on", &f.vote_on);
            let vf = count_field(&mut e, "votes_for", &f.votes_for);
            let va = count_field(&mut e, "votes_against", &f.votes_against);
            match (on, vf, va) {
                (Some(on), Some(votes_for), Some(votes_against)) if f.step == "vote" => Some(Step::Vote { on, votes_for, votes_against }),
                (Some(on), Some(votes_for), Some(votes_against)) => Some(Step::RecognitionVote { on, votes_for, votes_against }),
                _ => None,
            }
        }
        "decision" | "recognition_decision" => {
            let on = date_field(&mut e, "decision_on", &f.decision_on);
            on.map(|on| {
                let decision =
                    Decision { on, number: f.decision_number.trim().to_owned(), issued_by: f.issued_by.split_whitespace().collect::<Vec<_>>().join(" ") };
                if f.step == "decision" { Step::Decision { decision } } else { Step::RecognitionDecision { decision } }
            })
        }
        "ceremony" => date_field(&mut e, "ceremony_on", &f.ceremony_on).map(|on| Step::Ceremony { on }),
        "vetting" => {
            let b = date_field(&mut e, "background_on", &f.background_on);
            let v = date_field(&mut e, "vetted_on", &f.vetted_on);
            b.zip(v).map(|(background_on, vetted_on)| Step::Vetting { background_on, vetted_on })
        }
        other => {
            e.push(FieldError::new("step", ErrorCode::InvalidChoice).with("value", other));
            None
        }
    };
    e.into_result()?;
    step.ok_or_else(|| FieldError::new("step", ErrorCode::Required).into())
}

fn vote_text(v: &chibo_domain::admission::Vote, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} tán thành, {} không tán thành / {} đảng viên chính thức", v.votes_for, v.votes_against, v.official_total),
        Lang::En => format!("{} for, {} against / {} official members", v.votes_for, v.votes_against, v.official_total),
    }
}

async fn case_page(staff: &Staff, row: AdmissionRow, form: Option<(StepForm, ValidationErrors)>) -> AppResult<ShowPage> {
    let lang = staff.auth.lang;
    let app = &staff.auth.app;
    let book = app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let cal = app.store.working_calendar_with(&book, staff.today()).await.map_err(|e| staff.auth.err(e))?;
    let c = &row.case;
    let now = staff.today();
    let mut notices = Vec::new();
    if c.ceremony_late(&book, &cal, now) {
        let due = c.ceremony_due(&book, &cal).map(format_date).unwrap_or_default();
        notices.push(match (lang, c.ceremony_on) {
            (Lang::Vi, Some(_)) => format!("Lễ kết nạp tổ chức muộn: hạn là {due} (30 ngày làm việc sau quyết định)."),
            (Lang::Vi, None) => format!("Quá hạn tổ chức lễ kết nạp: hạn là {due}."),
            (Lang::En, Some(_)) => format!("The ceremony was late: the deadline was {due}."),
            (Lang::En, None) => format!("The ceremony is overdue: the deadline was {due}."),
        });
    }
    if let Some(short) = c.vote_shortfall(&book) {
        notices.push(short.full_message(lang));
    }
    if c.recognition_passed(&book) == Some(false) {
        notices.push(
            pick(
                lang,
                "Chi bộ không đủ 2/3 tán thành công nhận chính thức: quyết định tiếp theo sẽ xóa tên.",
                "The recognition vote failed: the next decision strikes off.",
            )
            .to_owned(),
        );
    }
    let label = |f: &str| chibo_domain::error::field_label(f, lang).to_owned();
    let mut details = vec![
        (label("certificate_no"), format!("{} ({})", c.file.certificate_no, format_date(c.file.certificate_on))),
        (
            pick(lang, "Giấy chứng nhận có giá trị đến", "Certificate valid until").to_owned(),
            format_date(chibo_domain::admission::certificate_expires(&book, c.file.certificate_on)),
        ),
        (label("applied_on"), format_date(c.file.applied_on)),
        (label("background_on"), date(c.file.background_on)),
        (label("vetted_on"), date(c.file.vetted_on)),
    ];
    for i in 0..2 {
        let field = if i == 0 { "introducer_1" } else { "introducer_2" };
        let mut v = format!("{} · {} {}", row.introducer_names[i], pick(lang, "quen biết từ", "known since"), format_date(c.file.known_since[i]));
        if let Some(w) = &row.workplaces[i] {
            v.push_str(&format!(" · {w}"));
        }
        details.push((label(field), v));
    }
    if let Some(end) = c.probation_ends(&book) {
        details.push((pick(lang, "Hết thời gian dự bị", "Probation ends").to_owned(), format_date(end)));
    }
    let mut steps = vec![(format_date(c.file.applied_on), pick(lang, "Làm đơn xin vào Đảng", "Application").to_owned(), String::new())];
    if let Some(v) = &c.vote {
        steps.push((format_date(v.on), pick(lang, "Chi bộ biểu quyết đề nghị kết nạp", "Cell vote").to_owned(), vote_text(v, lang)));
    }
    if let Some(d) = &c.decision {
        steps.push((format_date(d.on), pick(lang, "Quyết định kết nạp", "Admission decision").to_owned(), format!("{} · {}", d.number, d.issued_by)));
    }
    if let Some(on) = c.ceremony_on {
        steps.push((format_date(on), pick(lang, "Lễ kết nạp", "Ceremony").to_owned(), String::new()));
    }
    if let Some(v) = &c.recognition_vote {
        steps.push((format_date(v.on), pick(lang, "Chi bộ biểu quyết công nhận chính thức", "Recognition vote").to_owned(), vote_text(v, lang)));
    }
    if let Some(d) = &c.recognition_decision {
        let what = if c.stage == Stage::StruckOff {
            pick(lang, "Quyết định xóa tên", "Decision to strike off")
        } else {
            pick(lang, "Quyết định công nhận chính thức", "Recognition decision")
        };
        steps.push((format_date(d.on), what.to_owned(), format!("{} · {}", d.number, d.issued_by)));
    }
    let next = match (step_of(c), staff.may(Rights::Members)) {
        (Some(step), true) => {
            let (f, errors) = form.unwrap_or_else(|| {
                let f = StepForm {
                    step: step.to_owned(),
                    vote_on: format_date(now),
                    decision_on: format_date(now),
                    ceremony_on: format_date(now),
                    issued_by: row.case.decision.as_ref().map(|d| d.issued_by.clone()).unwrap_or_default(),
                    ..Default::default()
                };
                (f, ValidationErrors::new())
            });
            let mut fields = step_fields(step, &f, lang);
            let summary = attach_errors(&mut fields, &errors, lang);
            let official = staff.store().cell_official_count(c.cell, now).await.map_err(|e| staff.auth.err(e))?;
            let t = book.at(now).vote_threshold;
            let hint = match step {
                "vote" | "recognition_vote" => match lang {
                    Lang::Vi => format!("Hôm nay chi bộ có {official} đảng viên chính thức; cần ít nhất {}/{} tán thành.", t.num, t.den),
                    Lang::En => format!("The cell has {official} official members today; at least {}/{} must vote for.", t.num, t.den),
                },
                "ceremony" => match lang {
                    Lang::Vi => format!("Hạn tổ chức lễ: {}.", c.ceremony_due(&book, &cal).map(format_date).unwrap_or_default()),
                    Lang::En => format!("Ceremony deadline: {}.", c.ceremony_due(&book, &cal).map(format_date).unwrap_or_default()),
                },
                _ => String::new(),
            };
            let title = match step {
                "vetting" => pick(lang, "Hoàn thiện lý lịch và thẩm tra (trước khi chi bộ xét)", "Complete the background and vetting (before the vote)"),
                "vote" => pick(lang, "Ghi kết quả chi bộ biểu quyết", "Record the cell vote"),
                "decision" => pick(lang, "Ghi quyết định kết nạp", "Record the admission decision"),
                "ceremony" => pick(lang, "Ghi ngày lễ kết nạp", "Record the ceremony"),
                "recognition_vote" => pick(lang, "Ghi kết quả biểu quyết công nhận chính thức", "Record the recognition vote"),
                _ => pick(lang, "Ghi quyết định công nhận chính thức (hoặc xóa tên)", "Record the recognition decision"),
            };
            Some(NextStep { title: title.to_owned(), hint, step, fields, errors: summary })
        }
        _ => None,
    };
    Ok(ShowPage {
        c: staff.auth.chrome("admissions", &format!("/admissions/{}", c.id)),
        id: c.id,
        title: pick(lang, "Hồ sơ kết nạp", "Admission case"),
        list_label: pick(lang, "Phát triển đảng viên", "Admissions"),
        steps_label: pick(lang, "Các bước", "Steps"),
        name: row.full_name.clone(),
        member_id: c.member_id,
        cell_id: c.cell,
        cell: row.cell_name.clone(),
        stage: stage_label(c.stage, lang).to_owned(),
        notices,
        details,
        steps,
        next,
        version: c.version,
    })
}

async fn show(staff: Staff, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let row = staff.store().admission(id).await.map_err(|e| staff.auth.err(e))?;
    case_page(&staff, row, None).await
}

async fn step(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<StepForm>) -> AppResult<Response> {
    let store = staff.store();
    store.admission(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match parse_step(&f) {
        Ok(s) => store.advance_admission(id, version_of(&f.version), s).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admissions/{id}")).into_response()),
        Err(e) => {
            let errors = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            let row = store.admission(id).await.map_err(|e| staff.auth.err(e))?;
            let mut f = f;
            // A stale page shows the form of the step the case is at now.
            if step_of(&row.case) != Some(f.step.as_str()) {
                f.step = step_of(&row.case).unwrap_or_default().to_owned();
            }
            Ok(case_page(&staff, row, Some((f, errors))).await?.into_response())
        }
    }
}
