//! A member's profile with its timeline, their admission, transfer and residence lines, and a
//! member's own record (`/me`) where they keep their contact details.

use super::positions::{Positions, positions};
use super::{status_label, version_of};
use crate::auth::{Chrome, CsrfForm, MemberSelf, Staff};
use crate::error::AppResult;
use crate::form::{Field, attach_errors};
use crate::i18n::Lang;
use crate::view::{date, pick, status_class};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::member::{ContactInput, MemberChange, MemberStatus};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::member::Member;
use serde::Deserialize;

pub(super) struct EventRow {
    date: String,
    what: &'static str,
    cell: String,
    decision: String,
    extra: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "member/show.html")]
pub(super) struct ShowPage {
    c: Chrome,
    id: i64,
    name: String,
    status: &'static str,
    status_class: &'static str,
    cell_id: i64,
    cell: String,
    details: Vec<(String, String)>,
    events: Vec<EventRow>,
    can_edit: bool,
    self_view: bool,
    contact_fields: Vec<Field>,
    contact_errors: Vec<crate::form::ErrorLine>,
    version: i64,
    saved: bool,
    /// Admission case, transfers and residence link: (label, text, link).
    life: Vec<(String, String, Option<String>)>,
    /// Buttons for the steps of a member's life: (link, label).
    actions: Vec<(String, &'static str)>,
    /// Seats, duties and concurrent posts.
    positions: Positions,
    /// The coming meetings the member is convened to.
    notices: crate::meeting::Notices,
}

/// The admission, transfer and residence lines of a profile, and the buttons that start them.
async fn life_lines(staff: &Staff, m: &Member) -> AppResult<(Vec<(String, String, Option<String>)>, Vec<(String, &'static str)>)> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let mut life = Vec::new();
    let mut actions = Vec::new();
    let case = store.admission_of(m.id).await.map_err(err)?;
    if let Some(c) = &case {
        let stage = if lang == Lang::Vi { c.case.stage.label_vi() } else { c.case.stage.label_en() };
        life.push((pick(lang, "Hồ sơ kết nạp", "Admission case").to_owned(), stage.to_owned(), Some(format!("/admissions/{}", c.case.id))));
    }
    for t in store.transfers_of(m.id).await.map_err(err)? {
        let kind = if lang == Lang::Vi { t.kind.label_vi() } else { t.kind.label_en() };
        let state = if lang == Lang::Vi { t.state.label_vi() } else { t.state.label_en() };
        let text = format!("{} → {} · {} · {}", format_date(t.letter_on), t.to_name.unwrap_or_default(), kind, state);
        life.push((pick(lang, "Chuyển sinh hoạt", "Transfer").to_owned(), text, Some(format!("/transfers/{}", t.id))));
    }
    for r in store.residences_of(m.id).await.map_err(err)?.into_iter().filter(|r| r.until_on.is_none()) {
        let mut text = format!("{} · {} {}", r.cell_name, pick(lang, "từ", "since"), format_date(r.from_on));
        if let Some((y, c)) = r.comments.first() {
            text.push_str(&format!(" · {} {y}: {c}", pick(lang, "nhận xét năm", "comment")));
        }
        life.push((pick(lang, "Sinh hoạt nơi cư trú", "Residence cell").to_owned(), text, None));
    }
    if staff.may(Rights::Members) {
        let open_case = case.as_ref().is_some_and(|c| {
            !matches!(
                c.case.stage,
                chibo_domain::admission::Stage::Rejected | chibo_domain::admission::Stage::Official | chibo_domain::admission::Stage::StruckOff
            )
        });
        if m.status == MemberStatus::Candidate && !open_case {
            actions.push((format!("/admissions/new?member={}", m.id), pick(lang, "Lập hồ sơ kết nạp", "Open an admission case")));
        }
        if matches!(m.status, MemberStatus::Probationary | MemberStatus::Official) {
            actions.push((format!("/members/{}/transfer", m.id), pick(lang, "Chuyển sinh hoạt", "Transfer")));
            actions.push((format!("/members/{}/residence", m.id), pick(lang, "Sinh hoạt nơi cư trú", "Residence cell")));
        }
    }
    Ok((life, actions))
}

fn profile_details(m: &Member, lang: Lang) -> Vec<(String, String)> {
    use chibo_domain::error::field_label as l;
    let p = &m.profile;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        (l("full_name", lang).into(), p.full_name.clone()),
        (l("other_name", lang).into(), o(&p.other_name)),
        (l("gender", lang).into(), pick(lang, p.gender.label_vi(), p.gender.label_en()).into()),
        (l("birth_date", lang).into(), format_date(p.birth_date)),
        (l("birth_place", lang).into(), o(&p.birth_place)),
        (l("home_town", lang).into(), o(&p.home_town)),
        (l("ethnicity", lang).into(), p.ethnicity.clone()),
        (l("religion", lang).into(), p.religion.clone()),
        (l("permanent_address", lang).into(), o(&p.permanent_address)),
        (l("current_address", lang).into(), o(&p.current_address)),
        (l("phone", lang).into(), o(&p.phone)),
        (l("email", lang).into(), o(&p.email)),
        (l("cccd", lang).into(), p.cccd.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default()),
        (l("card_number", lang).into(), p.card_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default()),
        (l("occupation", lang).into(), o(&p.occupation)),
        (l("general_education", lang).into(), o(&p.general_education)),
        (l("professional_education", lang).into(), pick(lang, p.professional_education.label_vi(), p.professional_education.label_en()).into()),
        (l("political_theory", lang).into(), pick(lang, p.political_theory.label_vi(), p.political_theory.label_en()).into()),
        (l("party_position", lang).into(), o(&p.party_position)),
        (l("government_position", lang).into(), o(&p.government_position)),
        (l("admitted_on", lang).into(), date(m.admitted_on)),
        (l("official_on", lang).into(), date(m.official_on)),
    ]
}

fn event_rows(list: Vec<chibo_store::member::MemberEventRecord>, lang: Lang) -> Vec<EventRow> {
    list.into_iter()
        .map(|e| EventRow {
            date: format_date(e.on),
            what: change_label(&e.change, lang),
            cell: e.org_name.unwrap_or_default(),
            decision: e.decision_no.unwrap_or_default(),
            extra: [e.issued_by, e.note, e.until.map(|u| format!("{} {}", pick(lang, "đến ngày", "until"), format_date(u)))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            by: e.recorded_by,
        })
        .collect()
}

fn change_label(c: &MemberChange, lang: Lang) -> &'static str {
    if lang == Lang::Vi {
        return c.label_vi();
    }
    match c {
        MemberChange::CandidateRegistered { .. } => "Registered as a candidate",
        MemberChange::Admitted { .. } => "Admitted to the party",
        MemberChange::MadeOfficial => "Made an official member",
        MemberChange::Moved { .. } => "Moved to another cell",
        MemberChange::Registered { .. } => "Record entered",
        MemberChange::Imported { .. } => "Imported from a file",
        MemberChange::TransferSent => "Transfer letter issued",
        MemberChange::TransferAccepted { .. } => "Transfer accepted",
        MemberChange::TransferReturned => "Transfer refused, returned",
        MemberChange::Exempted => "Exempted from activity",
        MemberChange::Suspended => "Suspended",
        MemberChange::Reinstated => "Back to activity",
        MemberChange::TransferredOut => "Transferred out",
        MemberChange::StruckOff => "Struck off",
        MemberChange::Expelled => "Expelled",
        MemberChange::Left => "Left the party",
        MemberChange::Died => "Deceased",
    }
}

pub(super) async fn show(staff: Staff, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let m = store.member(id).await.map_err(|e| staff.auth.err(e))?;
    let events = store.member_history(id).await.map_err(|e| staff.auth.err(e))?;
    let (life, actions) = life_lines(&staff, &m).await?;
    let held = store.member_positions(id).await.map_err(|e| staff.auth.err(e))?;
    // A seat on a committee above the reader's scope is named but not linked (it would
    // answer "not found").
    let mut readable = std::collections::HashSet::new();
    for org in held.seats.iter().map(|s| s.org_id).collect::<std::collections::BTreeSet<_>>() {
        match store.org(org).await {
            Ok(_) => {
                readable.insert(org);
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(staff.auth.err(e)),
        }
    }
    Ok(ShowPage {
        c: staff.auth.chrome("members", &format!("/members/{id}")),
        id,
        name: m.profile.full_name.clone(),
        status: status_label(m.status, lang),
        status_class: status_class(m.status),
        cell_id: m.org_id,
        cell: m.org_name.clone(),
        details: profile_details(&m, lang),
        events: event_rows(events, lang),
        can_edit: staff.may(Rights::Members),
        self_view: false,
        contact_fields: vec![],
        contact_errors: vec![],
        version: m.version,
        saved: false,
        life,
        actions,
        positions: positions(&held, staff.today(), lang, |org| readable.contains(&org)),
        notices: crate::meeting::notices(&store.member_notices(id, staff.today()).await.map_err(|e| staff.auth.err(e))?, lang, true),
    })
}

fn contact_fields(c: &ContactInput, lang: Lang) -> Vec<Field> {
    vec![Field::text("current_address", &c.current_address, lang), Field::text("phone", &c.phone, lang), Field::text("email", &c.email, lang)]
}

async fn me_page(me: &MemberSelf, fields: Option<Vec<Field>>, errors: Vec<crate::form::ErrorLine>, saved: bool) -> AppResult<ShowPage> {
    let lang = me.auth.lang;
    let m = me.record().member().await.map_err(|e| me.auth.err(e))?;
    let events = me.record().history().await.map_err(|e| me.auth.err(e))?;
    let held = me.record().positions().await.map_err(|e| me.auth.err(e))?;
    let contact = ContactInput {
        current_address: m.profile.current_address.clone().unwrap_or_default(),
        phone: m.profile.phone.clone().unwrap_or_default(),
        email: m.profile.email.clone().unwrap_or_default(),
    };
    Ok(ShowPage {
        c: me.auth.chrome("me", "/me"),
        id: m.id,
        name: m.profile.full_name.clone(),
        status: status_label(m.status, lang),
        status_class: status_class(m.status),
        cell_id: m.org_id,
        cell: m.org_name.clone(),
        details: profile_details(&m, lang),
        events: event_rows(events, lang),
        can_edit: false,
        self_view: true,
        contact_fields: fields.unwrap_or_else(|| contact_fields(&contact, lang)),
        contact_errors: errors,
        version: m.version,
        saved,
        life: vec![],
        actions: vec![],
        positions: positions(&held, me.auth.app.today(), lang, |_| false),
        notices: crate::meeting::notices(&me.record().notices(me.auth.app.today()).await.map_err(|e| me.auth.err(e))?, lang, false),
    })
}

#[derive(Deserialize, Default)]
pub(super) struct SavedQuery {
    saved: Option<String>,
}

pub(super) async fn me(me: MemberSelf, Query(q): Query<SavedQuery>) -> AppResult<ShowPage> {
    me_page(&me, None, vec![], q.saved.is_some()).await
}

#[derive(Deserialize, Default)]
pub(super) struct ContactForm {
    #[serde(flatten)]
    contact: ContactInput,
    #[serde(default)]
    version: String,
}

pub(super) async fn update_me(me: MemberSelf, CsrfForm(f): CsrfForm<ContactForm>) -> AppResult<Response> {
    let lang = me.auth.lang;
    let result = match f.contact.validate() {
        Ok(c) => me.record().update_contact(version_of(&f.version), c).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to("/me?saved=1").into_response()),
        Err(e) => crate::form::refusal(e).map_err(|e| me.auth.err(e))?,
    };
    let mut fields = contact_fields(&f.contact, lang);
    let summary = attach_errors(&mut fields, &errors, lang);
    Ok(me_page(&me, Some(fields), summary, false).await?.into_response())
}
