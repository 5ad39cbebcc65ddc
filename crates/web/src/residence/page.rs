//! The residence-rule pages: linking a member to the cell where they live, and the residence
//! cell's list of its residents with its yearly comment on each.

use super::form::{CommentForm, ResidenceForm};
use crate::auth::{CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, FormPage, attach_errors};
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::error::ValidationErrors;
use chibo_domain::residence::command::CellLookup;
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chrono::Datelike;

async fn residence_page(staff: &Staff, id: i64, f: &ResidenceForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![
        Field::text("residence_cell", &f.residence_cell, lang).required().hint(pick(
            lang,
            "Mã hoặc tên chi bộ nơi đảng viên cư trú",
            "Code or name of the cell where the member lives",
        )),
        Field::date("from_on", &f.from_on, lang).label(pick(lang, "Từ ngày", "From")).required(),
        Field::text("note", &f.note, lang).label(pick(lang, "Địa chỉ, tổ dân phố", "Address, residential group")),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("members", &format!("/members/{id}/residence")),
        title: pick(lang, "Giới thiệu về sinh hoạt nơi cư trú", "Link to the residence cell").to_owned(),
        lead: format!("{} · {}", m.profile.full_name, m.org_name),
        back: format!("/members/{id}"),
        back_label: m.profile.full_name,
        action: format!("/members/{id}/residence"),
        submit: pick(lang, "Lưu", "Save").to_owned(),
        fields,
        errors: summary,
        version: m.version,
    })
}

pub(super) async fn residence_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    residence_page(&staff, id, &ResidenceForm { from_on: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn link_residence(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<ResidenceForm>) -> AppResult<Response> {
    let store = staff.store();
    store.member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let cell = match f.residence_cell.trim() {
        "" => CellLookup::None,
        q => match crate::form::org_anywhere(&staff, "residence_cell", q).await? {
            Ok(id) => CellLookup::Found(id),
            Err(fe) => CellLookup::Refused(fe),
        },
    };
    let result = match f.input(cell).validate() {
        Ok(cmd) => store.link_residence(id, cmd.cell, cmd.from_on, cmd.note.as_deref().unwrap_or_default()).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}")).into_response()),
        Err(err) => {
            let errors = crate::form::refusal(err).map_err(|e| staff.auth.err(e))?;
            Ok(residence_page(&staff, id, &f, &errors).await?.into_response())
        }
    }
}

pub struct ResidentRow {
    pub id: i64,
    pub name: String,
    pub work_cell: String,
    pub since: String,
    pub note: String,
    pub comment: String,
    /// Comments of earlier years, newest first ("2025: …").
    pub earlier: Vec<String>,
    /// Why the comment just sent was refused (the text sent is kept in `comment`).
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "residence/residents.html")]
pub(super) struct ResidentsPage {
    c: crate::auth::Chrome,
    title: &'static str,
    lead: String,
    cell_id: i64,
    cell: String,
    headers: [&'static str; 5],
    rows: Vec<ResidentRow>,
    can_comment: bool,
    year: i32,
    save_label: &'static str,
    year_label: String,
    errors: Vec<crate::form::ErrorLine>,
}

/// A comment that was refused: the link, the text sent and the message.
type Refused = Option<(i64, String, String)>;

async fn residents_page(staff: &Staff, id: i64, errors: Vec<crate::form::ErrorLine>, refused: Refused) -> AppResult<ResidentsPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let year = staff.today().year();
    let rows = store.residents(id, staff.today()).await.map_err(|e| staff.auth.err(e))?;
    Ok(ResidentsPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/residents")),
        title: pick(lang, "Đảng viên sinh hoạt nơi cư trú", "Members under the residence rule"),
        lead: match lang {
            Lang::Vi => format!("Quy định 213-QĐ/TW · nhận xét năm {year}"),
            Lang::En => format!("Regulation 213 · comments for {year}"),
        },
        cell_id: id,
        cell: org.name,
        headers: [
            pick(lang, "Họ và tên", "Name"),
            pick(lang, "Chi bộ nơi công tác", "Working cell"),
            pick(lang, "Từ ngày", "Since"),
            pick(lang, "Địa chỉ", "Address"),
            pick(lang, "Nhận xét của chi bộ nơi cư trú", "Comment of the residence cell"),
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                let failed = refused.as_ref().filter(|(link, _, _)| *link == r.id);
                ResidentRow {
                    id: r.id,
                    comment: match failed {
                        Some((_, text, _)) => text.clone(),
                        None => r.comments.iter().find(|(y, _)| *y == year).map(|(_, c)| c.clone()).unwrap_or_default(),
                    },
                    error: failed.map(|(_, _, e)| e.clone()),
                    name: r.full_name,
                    work_cell: r.work_cell,
                    since: format_date(r.from_on),
                    note: r.note.unwrap_or_default(),
                    earlier: r.comments.iter().filter(|(y, _)| *y != year).map(|(y, c)| format!("{y}: {c}")).collect(),
                }
            })
            .collect(),
        can_comment: staff.may(Rights::Members),
        year,
        save_label: pick(lang, "Lưu nhận xét", "Save comment"),
        year_label: match lang {
            Lang::Vi => format!("Nhận xét năm {year}"),
            Lang::En => format!("Comment for {year}"),
        },
        errors,
    })
}

pub(super) async fn residents(staff: Staff, Path(id): Path<i64>) -> AppResult<ResidentsPage> {
    residents_page(&staff, id, vec![], None).await
}

pub(super) async fn comment(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<CommentForm>) -> AppResult<Response> {
    staff.store().residence_cell(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input().validate(staff.today()) {
        Ok(cmd) => staff.store().comment_residence(id, cmd.year, &cmd.comment).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/orgs/{}/residents#r-{id}", r.cell_id)).into_response()),
        Err(e) => {
            let errors = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            let lang = staff.auth.lang;
            let lines = errors.errors.iter().map(|e| crate::form::ErrorLine { text: e.full_message(lang), href: Some(format!("#cm-{id}")) }).collect();
            let message = errors.errors.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("; ");
            // Back to the list of the cell the link belongs to (it is in scope: the store checked),
            // the text sent kept in its box with the message beside it.
            let cell = staff.store().residence_cell(id).await.map_err(|e| staff.auth.err(e))?;
            Ok(residents_page(&staff, cell, lines, Some((id, f.comment.clone(), message))).await?.into_response())
        }
    }
}
