//! The admission pages: the list of the scope's cases, the candidate file form, and the case
//! page with its steps, deadlines and the form of the next step. Every refusal comes back
//! beside the field with the rule that was not met.

use super::form::{FileForm, StepForm, file_fields, step_fields, step_of};
use crate::auth::{CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, FormPage, attach_errors};
use crate::i18n::Lang;
use crate::member::version_of;
use crate::view::{Pager, date, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::admission::command::IntroducerChoice;
use chibo_domain::admission::{AdmissionCase, Stage};
use chibo_domain::calendar::format_date;
use chibo_domain::error::ValidationErrors;
use chibo_domain::member::{MemberId, MemberStatus};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::admission::AdmissionRow;
use chibo_store::member::MemberFilter;
use serde::Deserialize;

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
#[template(path = "admission/list.html")]
pub(super) struct ListPage {
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
pub(super) struct ListQuery {
    #[serde(default)]
    stage: String,
    page: Option<i64>,
}

fn stage_label(s: Stage, lang: Lang) -> &'static str {
    if lang == Lang::Vi { s.label_vi() } else { s.label_en() }
}

pub(super) async fn list(staff: Staff, Query(q): Query<ListQuery>) -> AppResult<ListPage> {
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
pub(super) struct NewQuery {
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

pub(super) async fn new_form(staff: Staff, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let member = q.member.ok_or(crate::error::AppError::NotFound(staff.auth.lang))?;
    staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let f = FileForm { applied_on: format_date(staff.today()), ..Default::default() };
    file_page(&staff, member, &f, &ValidationErrors::new()).await
}

pub(super) async fn create(staff: Staff, Query(q): Query<NewQuery>, CsrfForm(mut f): CsrfForm<FileForm>) -> AppResult<Response> {
    let member = q.member.or_else(|| f.member.trim().parse().ok()).ok_or(crate::error::AppError::NotFound(staff.auth.lang))?;
    staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    // An introducer is picked from the cell or, from another cell, named by party card number
    // (found, the form shows them picked).
    let mut found = [IntroducerChoice::None; 2];
    for (i, (pick, card)) in [(&mut f.introducer_1, &f.introducer_1_card), (&mut f.introducer_2, &f.introducer_2_card)].into_iter().enumerate() {
        if pick.trim().is_empty() && !card.trim().is_empty() {
            found[i] = match staff.auth.app.store.public().member_id_by_card(card).await.map_err(|e| staff.auth.err(e))? {
                Some(id) => {
                    *pick = id.to_string();
                    IntroducerChoice::Found(id)
                }
                None => IntroducerChoice::NotFound,
            };
        } else if let Ok(id) = pick.trim().parse::<MemberId>() {
            found[i] = IntroducerChoice::Found(id);
        }
    }
    let result = match f.input(found).validate() {
        Ok(cmd) => staff.store().open_admission(member, cmd.file, cmd.workplaces).await,
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
#[template(path = "admission/show.html")]
pub(super) struct ShowPage {
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

pub(super) async fn show(staff: Staff, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let row = staff.store().admission(id).await.map_err(|e| staff.auth.err(e))?;
    case_page(&staff, row, None).await
}

pub(super) async fn step(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<StepForm>) -> AppResult<Response> {
    let store = staff.store();
    store.admission(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input().validate() {
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
