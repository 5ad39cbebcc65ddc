//! The transfer pages: the letter form on a member, the list of the scope's transfers in and
//! out, the transfer page with accept / refuse / end, and the printable introduction letter.

use super::form::{AnswerForm, LetterForm, letter_fields};
use super::{kind_label, state_label};
use crate::auth::{CsrfForm, Staff};
use crate::error::{AppError, AppResult};
use crate::form::{Field, FormPage, attach_errors};
use crate::i18n::Lang;
use crate::member::version_of;
use crate::view::{Pager, date, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::error::ValidationErrors;
use chibo_domain::scope::Rights;
use chibo_domain::transfer::{LetterInput, TransferKind, TransferState};
use chibo_store::StoreError;
use chibo_store::transfer::{Direction, Transfer};
use chrono::Datelike;
use serde::Deserialize;

async fn letter_page(staff: &Staff, id: i64, f: &LetterForm, errors: &ValidationErrors, version: i64) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = letter_fields(f, lang);
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("transfers", &format!("/members/{id}/transfer")),
        title: pick(lang, "Giới thiệu chuyển sinh hoạt đảng", "Issue a transfer letter").to_owned(),
        lead: format!("{} · {}", m.profile.full_name, m.org_name),
        back: format!("/members/{id}"),
        back_label: m.profile.full_name,
        action: format!("/members/{id}/transfer"),
        submit: pick(lang, "Lập giấy giới thiệu", "Issue the letter").to_owned(),
        fields,
        errors: summary,
        version,
    })
}

pub(super) async fn letter_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    let m = staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let now = staff.today();
    let f = LetterForm {
        letter: LetterInput {
            kind: "permanent".into(),
            letter_on: format_date(now),
            fees_paid_through: format!("{:02}/{}", now.month(), now.year()),
            ..Default::default()
        },
        ..Default::default()
    };
    letter_page(&staff, id, &f, &ValidationErrors::new(), m.version).await
}

pub(super) async fn send(staff: Staff, Path(id): Path<i64>, CsrfForm(mut f): CsrfForm<LetterForm>) -> AppResult<Response> {
    let store = staff.store();
    store.member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let mut lookup = None;
    // The receiving organization is typed as a code or name (the form's `to_org` box).
    if f.to.trim().is_empty() {
        f.to = std::mem::take(&mut f.letter.to_org);
    }
    f.letter.to_org.clear();
    if matches!(f.letter.kind.as_str(), "permanent" | "temporary") && !f.to.trim().is_empty() {
        match crate::form::org_anywhere(&staff, "to_org", &f.to).await? {
            Ok(id) => f.letter.to_org = id.to_string(),
            Err(fe) => lookup = Some(fe),
        }
    }
    let result = match (f.letter.validate(&book, staff.today()), lookup) {
        (Ok(letter), None) => store.send_transfer(id, version_of(&f.version), letter).await,
        (Ok(_), Some(fe)) => Err(StoreError::field(fe)),
        (Err(mut v), lookup) => {
            // A receiving organization that could not be found says so, not "required".
            if let Some(fe) = lookup {
                v.errors.retain(|e| e.field != "to_org");
                v.errors.push(fe);
            }
            Err(StoreError::Invalid(v))
        }
    };
    match result {
        Ok(t) => Ok(Redirect::to(&format!("/transfers/{}", t.id)).into_response()),
        Err(e) => {
            let errors = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            Ok(letter_page(&staff, id, &f, &errors, version_of(&f.version)).await?.into_response())
        }
    }
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub letter: String,
    pub state: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "transfer/list.html")]
pub(super) struct ListPage {
    c: crate::auth::Chrome,
    title: &'static str,
    dir_label: &'static str,
    dirs: Vec<(String, String)>,
    dir: String,
    state_label: &'static str,
    states: Vec<(String, String)>,
    state: String,
    total_label: String,
    headers: [&'static str; 6],
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    dir: String,
    #[serde(default)]
    state: String,
    page: Option<i64>,
}

const PER_PAGE: i64 = 25;

pub(super) async fn list(staff: Staff, Query(q): Query<ListQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let direction = match q.dir.as_str() {
        "in" => Direction::Incoming,
        "out" => Direction::Outgoing,
        _ => Direction::Both,
    };
    let state = TransferState::from_code(q.state.trim());
    let page = q.page.unwrap_or(1);
    let rows = staff.store().transfers(direction, state, Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(|e| staff.auth.err(e))?;
    let mut states = vec![(String::new(), pick(lang, "Tất cả", "All").to_owned())];
    states.extend(TransferState::ALL.iter().map(|s| (s.code().to_owned(), state_label(*s, lang).to_owned())));
    Ok(ListPage {
        c: staff.auth.chrome("transfers", "/transfers"),
        title: pick(lang, "Chuyển sinh hoạt đảng", "Transfers"),
        dir_label: pick(lang, "Chiều", "Direction"),
        dirs: vec![
            (String::new(), pick(lang, "Đi và đến", "In and out").to_owned()),
            ("in".into(), pick(lang, "Chuyển đến", "Incoming").to_owned()),
            ("out".into(), pick(lang, "Chuyển đi", "Outgoing").to_owned()),
        ],
        dir: q.dir.clone(),
        state_label: pick(lang, "Trạng thái", "State"),
        states,
        state: state.map(|s| s.code().to_owned()).unwrap_or_default(),
        total_label: match lang {
            Lang::Vi => format!("{} giấy giới thiệu", rows.total),
            Lang::En => format!("{} letters", rows.total),
        },
        headers: [
            pick(lang, "Họ và tên", "Name"),
            pick(lang, "Hình thức", "Kind"),
            pick(lang, "Nơi đi", "From"),
            pick(lang, "Nơi đến", "To"),
            pick(lang, "Giấy giới thiệu", "Letter"),
            pick(lang, "Trạng thái", "State"),
        ],
        pager: Pager::new("/transfers", &[("dir", q.dir.clone()), ("state", q.state.clone())], page, PER_PAGE, rows.total),
        rows: rows
            .items
            .into_iter()
            .map(|t| Row {
                id: t.id,
                name: t.full_name,
                kind: kind_label(t.kind, lang).to_owned(),
                from: t.from_name.or(t.destination.clone().filter(|_| t.kind == TransferKind::In)).unwrap_or_default(),
                to: t.to_name.unwrap_or_default(),
                letter: format!("{} · {}", t.letter_no, format_date(t.letter_on)),
                state: state_label(t.state, lang).to_owned(),
            })
            .collect(),
    })
}

pub struct AnswerBox {
    pub title: String,
    pub action: String,
    pub submit: String,
    pub primary: bool,
    pub fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "transfer/show.html")]
pub(super) struct ShowPage {
    c: crate::auth::Chrome,
    id: i64,
    title: &'static str,
    list_label: &'static str,
    letter_label: &'static str,
    member_label: &'static str,
    member_link: Option<String>,
    name: String,
    kind: String,
    state: String,
    notices: Vec<String>,
    details: Vec<(String, String)>,
    errors: Vec<crate::form::ErrorLine>,
    forms: Vec<AnswerBox>,
    version: i64,
}

fn details(t: &Transfer, lang: Lang) -> Vec<(String, String)> {
    let label = |f: &str| chibo_domain::error::field_label(f, lang).to_owned();
    let mut d = vec![
        (pick(lang, "Ngày sinh", "Date of birth").to_owned(), format_date(t.birth_date)),
        (label("card_number"), t.card_number.clone().unwrap_or_default()),
        (label("admitted_on"), date(t.admitted_on)),
        (label("official_on"), date(t.official_on)),
        (pick(lang, "Nơi đi", "From").to_owned(), t.from_name.clone().or_else(|| t.destination.clone()).unwrap_or_default()),
        (pick(lang, "Nơi đến", "To").to_owned(), t.to_name.clone().unwrap_or_default()),
        (label("letter_no"), t.letter_no.clone()),
        (label("letter_on"), format_date(t.letter_on)),
        (label("fees_paid_through"), t.fees_paid_through.to_string()),
    ];
    if let Some(u) = t.until {
        d.push((label("until"), format_date(u)));
    }
    if let Some(e) = t.ended_on {
        d.push((label("ended_on"), format_date(e)));
    }
    if let Some(n) = &t.note {
        d.push((label("note"), n.clone()));
    }
    if let Some(on) = t.answered_on {
        let who = t.answered_cell_name.clone().map(|c| format!(" · {c}")).unwrap_or_default();
        d.push((label("refused_on"), format!("{}{who}", format_date(on))));
    }
    if let Some(n) = &t.answer_note {
        d.push((pick(lang, "Lý do không tiếp nhận", "Reason for refusal").to_owned(), n.clone()));
    }
    d
}

async fn transfer_page(staff: &Staff, t: Transfer, f: Option<AnswerForm>, errors: ValidationErrors) -> AppResult<ShowPage> {
    let lang = staff.auth.lang;
    let now = staff.today();
    let f = f.unwrap_or(AnswerForm { answered_on: format_date(now), refused_on: format_date(now), ended_on: format_date(now), ..Default::default() });
    let mut forms = Vec::new();
    let writes = staff.may(Rights::Members);
    if writes && t.state == TransferState::Pending && t.incoming {
        let to = t.to_org.unwrap_or_default();
        let cells: Vec<(String, String)> = staff
            .store()
            .subtree(to, now, None)
            .await
            .map_err(|e| staff.auth.err(e))?
            .into_iter()
            .filter(|n| n.kind.holds_members())
            .map(|n| (n.id.to_string(), n.name))
            .collect();
        let mut options = vec![(String::new(), pick(lang, "— chọn chi bộ —", "— choose a cell —").to_owned())];
        options.extend(cells);
        forms.push(AnswerBox {
            title: pick(lang, "Tiếp nhận sinh hoạt đảng", "Accept").to_owned(),
            action: format!("/transfers/{}/accept", t.id),
            submit: pick(lang, "Tiếp nhận", "Accept").to_owned(),
            primary: true,
            fields: vec![Field::select("cell", &f.cell, options, lang).required(), Field::date("answered_on", &f.answered_on, lang).required()],
        });
    }
    if writes && t.state == TransferState::Pending {
        forms.push(AnswerBox {
            title: if t.incoming {
                pick(lang, "Không tiếp nhận", "Refuse")
            } else {
                pick(lang, "Rút lại giấy giới thiệu", "Withdraw the letter")
            }
            .to_owned(),
            action: format!("/transfers/{}/refuse", t.id),
            submit: if t.incoming { pick(lang, "Không tiếp nhận, trả lại", "Refuse and return") } else { pick(lang, "Rút lại", "Withdraw") }.to_owned(),
            primary: false,
            fields: vec![Field::date("refused_on", &f.refused_on, lang).required(), Field::text("note", &f.note, lang).required()],
        });
    }
    if writes && t.state == TransferState::Accepted && t.kind == TransferKind::Temporary {
        forms.push(AnswerBox {
            title: pick(lang, "Kết thúc sinh hoạt tạm thời", "End the temporary transfer").to_owned(),
            action: format!("/transfers/{}/end", t.id),
            submit: pick(lang, "Kết thúc", "End").to_owned(),
            primary: false,
            fields: vec![Field::date("ended_on", &f.ended_on, lang).required()],
        });
    }
    // Each form's fields have their own names: every error finds its field in one of them.
    let mut summary = attach_errors(&mut [], &errors, lang);
    for form in &mut forms {
        for (line, other) in summary.iter_mut().zip(attach_errors(&mut form.fields, &errors, lang)) {
            line.href = line.href.take().or(other.href);
        }
    }
    let mut notices = Vec::new();
    if t.state == TransferState::Pending {
        let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
        let cal = staff.auth.app.store.working_calendar_with(&book, now).await.map_err(|e| staff.auth.err(e))?;
        let due = cal.add_working_days(t.letter_on, book.at(t.letter_on).transfer_within_working_days);
        if now > due {
            notices.push(match lang {
                Lang::Vi => format!("Quá hạn tiếp nhận: hạn là {}.", format_date(due)),
                Lang::En => format!("Overdue: the deadline was {}.", format_date(due)),
            });
        }
    }
    if t.kind == TransferKind::Temporary && t.state == TransferState::Accepted && t.until.is_some_and(|u| u <= now) {
        notices.push(pick(lang, "Đã hết thời hạn sinh hoạt tạm thời.", "The temporary transfer has ended.").to_owned());
    }
    let member_link = staff.store().member(t.member_id).await.ok().map(|m| format!("/members/{}", m.id));
    Ok(ShowPage {
        c: staff.auth.chrome("transfers", &format!("/transfers/{}", t.id)),
        id: t.id,
        title: pick(lang, "Chuyển sinh hoạt đảng", "Transfer"),
        list_label: pick(lang, "Chuyển sinh hoạt đảng", "Transfers"),
        letter_label: pick(lang, "In giấy giới thiệu", "Print the letter"),
        member_label: pick(lang, "Hồ sơ đảng viên", "Member record"),
        member_link,
        kind: kind_label(t.kind, lang).to_owned(),
        state: state_label(t.state, lang).to_owned(),
        details: details(&t, lang),
        name: t.full_name.clone(),
        notices,
        errors: summary,
        forms,
        version: t.version,
    })
}

pub(super) async fn show(staff: Staff, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let t = staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
    transfer_page(&staff, t, None, ValidationErrors::new()).await
}

/// After an answer: to the transfer, or back to its page with the errors beside the fields
/// of the form that was sent (`date_field`: the name of that form's date).
async fn answered(staff: &Staff, id: i64, f: AnswerForm, date_field: &str, result: chibo_store::Result<Transfer>) -> AppResult<Response> {
    match result {
        Ok(t) => Ok(Redirect::to(&format!("/transfers/{}", t.id)).into_response()),
        Err(e) => {
            let mut errors = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            for fe in &mut errors.errors {
                if fe.field == "answered_on" {
                    fe.field = date_field.to_owned();
                }
            }
            let t = staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
            Ok(transfer_page(staff, t, Some(f), errors).await?.into_response())
        }
    }
}

pub(super) async fn accept(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<AnswerForm>) -> AppResult<Response> {
    staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.accept().validate() {
        Ok(cmd) => staff.store().accept_transfer(id, version_of(&f.version), cmd.cell, cmd.on).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    answered(&staff, id, f, "answered_on", result).await
}

pub(super) async fn refuse(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<AnswerForm>) -> AppResult<Response> {
    staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.refuse().validate() {
        Ok(cmd) => staff.store().refuse_transfer(id, version_of(&f.version), cmd.on, &cmd.reason).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    answered(&staff, id, f, "refused_on", result).await
}

pub(super) async fn end(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<AnswerForm>) -> AppResult<Response> {
    staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.end().validate() {
        Ok(cmd) => staff.store().end_temporary_transfer(id, version_of(&f.version), cmd.on).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    answered(&staff, id, f, "ended_on", result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "transfer/letter.html")]
pub(super) struct LetterPage {
    id: i64,
    title: &'static str,
    back_label: &'static str,
    print_hint: &'static str,
    name: String,
    upper: String,
    issuer: String,
    issuer_short: String,
    letter_no: String,
    place_date: String,
    to: String,
    issuer_sentence: String,
    lines: Vec<(String, String)>,
    closing: String,
}

pub(super) async fn letter(staff: Staff, Path(id): Path<i64>) -> AppResult<LetterPage> {
    let t = staff.store().transfer(id).await.map_err(|e| staff.auth.err(e))?;
    // The letter is issued by the grassroots organization above the sending cell (or by the
    // cell itself when it is a grassroots cell).
    let from = t.from_org.ok_or(AppError::NotFound(staff.auth.lang))?;
    let path = staff.auth.app.store.public().org_names_on_path(from).await.map_err(|e| staff.auth.err(e))?;
    let issuer = path.iter().rev().find(|(_, k)| k.is_grassroots()).or(path.last()).map(|(n, _)| n.clone()).unwrap_or_default();
    let upper = path.iter().rev().skip_while(|(n, _)| *n != issuer).nth(1).map(|(n, _)| n.to_uppercase()).unwrap_or_default();
    let title = match t.kind {
        TransferKind::Temporary => "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG TẠM THỜI",
        _ => "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
    };
    let d = t.letter_on;
    let mut lines = vec![
        ("Đồng chí".to_owned(), t.full_name.clone()),
        ("Sinh ngày".to_owned(), format_date(t.birth_date)),
        ("Vào Đảng ngày".to_owned(), date(t.admitted_on)),
        ("Chính thức ngày".to_owned(), date(t.official_on)),
        ("Số thẻ đảng viên".to_owned(), t.card_number.clone().unwrap_or_default()),
        ("Đang sinh hoạt tại".to_owned(), t.from_name.clone().unwrap_or_default()),
        ("Đã đóng đảng phí đến hết tháng".to_owned(), t.fees_paid_through.to_string()),
    ];
    if let Some(u) = t.until {
        lines.push(("Thời gian sinh hoạt tạm thời đến ngày".to_owned(), format_date(u)));
    }
    if let Some(n) = &t.note {
        lines.push(("Lý do".to_owned(), n.clone()));
    }
    Ok(LetterPage {
        id,
        title,
        back_label: pick(staff.auth.lang, "Quay lại", "Back"),
        print_hint: pick(staff.auth.lang, "Dùng lệnh In của trình duyệt (Ctrl+P) để in trên khổ A4.", "Use the browser's Print (Ctrl+P) for A4."),
        name: t.full_name.clone(),
        upper,
        issuer_short: issuer.to_uppercase(),
        issuer: issuer.to_uppercase(),
        letter_no: t.letter_no.clone(),
        place_date: format!("ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year()),
        to: t.to_name.clone().unwrap_or_default(),
        issuer_sentence: format!("{} trân trọng giới thiệu:", issuer),
        lines,
        closing:
            "Đề nghị các đồng chí tiếp nhận và giúp đỡ đồng chí đảng viên sinh hoạt theo Điều lệ Đảng. Giấy giới thiệu có giá trị trong thời hạn quy định."
                .to_owned(),
    })
}
