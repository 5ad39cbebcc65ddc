//! Recording an event in a member's life (the domain's `RecordEventInput`, the API's too).

use crate::auth::{Chrome, CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, attach_errors};
use crate::i18n::{Lang, Texts};
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::member::command::{CellChoice, RecordEventInput, RecordableEvent};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::org::OrgMatch;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "member/event.html")]
pub(super) struct EventPage {
    c: Chrome,
    id: i64,
    name: String,
    fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
    version: i64,
}

#[derive(Deserialize, Default)]
pub(super) struct EventInput {
    #[serde(default)]
    event: String,
    #[serde(default)]
    event_date: String,
    #[serde(default)]
    cell: String,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    issued_by: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    version: i64,
}

fn event_fields(f: &EventInput, t: &Texts, lang: Lang) -> Vec<Field> {
    // The events a form can record after the first one (transfers and admissions have their
    // own pages, with their letters and steps): the domain's list, the API's too.
    let kinds = RecordableEvent::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang).to_owned())).collect();
    vec![
        Field::select("event", &f.event, kinds, lang),
        Field::date("event_date", &f.event_date, lang).required(),
        Field::text("cell", &f.cell, lang).label(t.target_cell_code).hint(pick(
            lang,
            "Chỉ khi chuyển sinh hoạt sang chi bộ khác trong cùng đảng bộ, hoặc kết nạp lại",
            "Only when moving to another cell of the same committee, or for readmission",
        )),
        Field::text("decision_no", &f.decision_no, lang),
        Field::text("issued_by", &f.issued_by, lang),
        Field::text("note", &f.note, lang),
        Field::date("until", &f.until, lang).hint(pick(
            lang,
            "Chỉ khi miễn sinh hoạt có thời hạn: ngày hết hạn",
            "Only for an exemption for a period: its last day",
        )),
    ]
}

pub(super) async fn event_form(staff: Staff, Path(id): Path<i64>) -> AppResult<EventPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let input = EventInput { event: "made_official".into(), event_date: format_date(staff.today()), ..Default::default() };
    Ok(EventPage {
        c: staff.auth.chrome("members", &format!("/members/{id}/event")),
        id,
        name: m.profile.full_name,
        fields: event_fields(&input, staff.auth.t(), lang),
        errors: vec![],
        version: m.version,
    })
}

pub(super) async fn record_event(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<EventInput>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let store = staff.store();
    let m = store.member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    // The cell is picked by name (moves and readmissions); the rest is the domain's command,
    // the same the API parses into.
    let kind = RecordableEvent::from_code(&f.event);
    let cell = match kind {
        Some(k) if k.needs_cell() && !f.cell.trim().is_empty() => match store.find_org(&f.cell).await.map_err(|e| staff.auth.err(e))? {
            OrgMatch::One(o) => CellChoice::Found(o.id),
            _ => CellChoice::NotFound,
        },
        _ => CellChoice::None,
    };
    let input = RecordEventInput {
        event: f.event.clone(),
        date: f.event_date.clone(),
        cell,
        decision_no: f.decision_no.clone(),
        issued_by: f.issued_by.clone(),
        note: f.note.clone(),
        until: Some(f.until.clone()).filter(|u| !u.trim().is_empty()),
    };
    let result = match input.validate() {
        Ok(cmd) => store.record_member_event_with(id, f.version, cmd.event, &cmd.details).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/members/{id}")).into_response()),
        Err(e) => crate::form::refusal(e).map_err(|e| staff.auth.err(e))?,
    };
    let mut fields = event_fields(&f, t, lang);
    let summary = attach_errors(&mut fields, &errors, lang);
    Ok(EventPage {
        c: staff.auth.chrome("members", &format!("/members/{id}/event")),
        id,
        name: m.profile.full_name,
        fields,
        errors: summary,
        version: f.version,
    }
    .into_response())
}
