//! The create and edit forms of a member: every field's error beside it, everything typed
//! kept; both parse into the domain's commands (`NewMemberInput`, `MemberInput`), the API's
//! body too.

use crate::auth::{Chrome, CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, attach_errors};
use crate::i18n::{Lang, Texts};
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::member::command::{CellChoice, FirstEvent, NewMember, NewMemberInput};
use chibo_domain::member::{Education, Gender, MemberInput, PoliticalTheory};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::org::OrgMatch;
use serde::Deserialize;

/// The profile form's fields with what was typed.
fn profile_fields(i: &MemberInput, lang: Lang) -> Vec<Field> {
    let choice =
        |all: &[(&'static str, &'static str, &'static str)]| all.iter().map(|(c, vi, en)| (c.to_string(), pick(lang, vi, en).to_owned())).collect::<Vec<_>>();
    let genders: Vec<_> = Gender::ALL.iter().map(|g| (g.code(), g.label_vi(), g.label_en())).collect();
    let education: Vec<_> = Education::ALL.iter().map(|g| (g.code(), g.label_vi(), g.label_en())).collect();
    let theory: Vec<_> = PoliticalTheory::ALL.iter().map(|g| (g.code(), g.label_vi(), g.label_en())).collect();
    vec![
        Field::text("full_name", &i.full_name, lang).required(),
        Field::text("other_name", &i.other_name, lang),
        Field::select("gender", &i.gender, choice(&genders), lang).required(),
        Field::date("birth_date", &i.birth_date, lang).required(),
        Field::text("birth_place", &i.birth_place, lang),
        Field::text("home_town", &i.home_town, lang),
        Field::text("ethnicity", &i.ethnicity, lang),
        Field::text("religion", &i.religion, lang),
        Field::text("permanent_address", &i.permanent_address, lang),
        Field::text("current_address", &i.current_address, lang),
        Field::text("phone", &i.phone, lang),
        Field::text("email", &i.email, lang),
        Field::text("cccd", &i.cccd, lang).hint(pick(lang, "12 chữ số, giữ nguyên số 0 ở đầu", "12 digits, leading zeros kept")),
        Field::text("card_number", &i.card_number, lang),
        Field::text("occupation", &i.occupation, lang),
        Field::text("general_education", &i.general_education, lang).hint(pick(lang, "ví dụ 12/12", "e.g. 12/12")),
        Field::select("professional_education", &i.professional_education, choice(&education), lang),
        Field::select("political_theory", &i.political_theory, choice(&theory), lang),
        Field::text("party_position", &i.party_position, lang),
        Field::text("government_position", &i.government_position, lang),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "member/form.html")]
pub(super) struct FormPage {
    c: Chrome,
    title: String,
    action: String,
    back: String,
    fields: Vec<Field>,
    first_fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
    version: i64,
}

/// The create form: the profile plus the first event of the person's life here.
#[derive(Deserialize, Default)]
pub(super) struct NewMemberForm {
    #[serde(flatten)]
    profile: MemberInput,
    #[serde(default)]
    first_event: String,
    #[serde(default)]
    event_date: String,
    #[serde(default)]
    cell: String,
    #[serde(default)]
    decision_no: String,
    /// For an arrival from outside: where the member comes from, and fees paid through.
    #[serde(default)]
    destination: String,
    #[serde(default)]
    fees_paid_through: String,
    #[serde(default)]
    admitted_on: String,
    #[serde(default)]
    official_on: String,
}

impl NewMemberForm {
    /// The domain's command input, with the cell as the page found it.
    fn input(&self, cell: CellChoice) -> NewMemberInput {
        let given = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        NewMemberInput {
            profile: self.profile.clone(),
            first_event: self.first_event.clone(),
            date: self.event_date.clone(),
            cell,
            decision_no: self.decision_no.clone(),
            origin: self.destination.clone(),
            fees_paid_through: self.fees_paid_through.clone(),
            admitted_on: given(&self.admitted_on),
            official_on: given(&self.official_on),
        }
    }
}

fn first_event_fields(f: &NewMemberForm, t: &Texts, lang: Lang) -> Vec<Field> {
    let kinds = FirstEvent::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang).to_owned())).collect();
    vec![
        Field::select("first_event", &f.first_event, kinds, lang).label(t.first_event).hint(t.first_event_hint),
        Field::date("event_date", &f.event_date, lang).required(),
        Field::text("cell", &f.cell, lang).label(t.target_cell_code).required(),
        Field::text("decision_no", &f.decision_no, lang).hint(pick(
            lang,
            "Khi tiếp nhận từ nơi khác: số giấy giới thiệu",
            "For an arrival: the letter's number",
        )),
        Field::text("destination", &f.destination, lang)
            .label(pick(lang, "Nơi chuyển đến (tổ chức đảng đã giới thiệu)", "Coming from (the organization that issued the letter)"))
            .hint(pick(lang, "Chỉ khi tiếp nhận từ nơi khác", "Arrivals only")),
        Field::text("fees_paid_through", &f.fees_paid_through, lang).hint(pick(lang, "Chỉ khi tiếp nhận từ nơi khác; mm/yyyy", "Arrivals only; mm/yyyy")),
        Field::date("admitted_on", &f.admitted_on, lang).hint(pick(
            lang,
            "Khi tiếp nhận từ nơi khác: theo giấy giới thiệu; khi đăng ký đảng viên đã có: theo hồ sơ",
            "Arrivals: as the letter states; members registered from records: as the records state",
        )),
        Field::date("official_on", &f.official_on, lang).hint(pick(
            lang,
            "Chỉ với đảng viên chính thức tiếp nhận hoặc đăng ký theo hồ sơ",
            "Official members arriving or registered from records only",
        )),
    ]
}

#[derive(Deserialize, Default)]
pub(super) struct NewQuery {
    org: Option<i64>,
}

pub(super) async fn new_form(staff: Staff, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    staff.require(Rights::Members)?;
    // The cell to add to: the one asked for, or the secretary's own cell.
    let cell_code = match q.org.or(staff.scope.root()) {
        Some(id) => staff.store().org(id).await.ok().filter(|o| o.kind.holds_members()).map(|o| o.code).unwrap_or_default(),
        None => String::new(),
    };
    let input = NewMemberForm {
        profile: MemberInput { gender: "nam".into(), ethnicity: "Kinh".into(), religion: "Không".into(), ..Default::default() },
        first_event: "registered_official".into(),
        event_date: format_date(staff.today()),
        cell: cell_code,
        ..Default::default()
    };
    let t = staff.auth.t();
    Ok(FormPage {
        c: staff.auth.chrome("members", "/members/new"),
        title: t.new_member.into(),
        action: "/members/new".into(),
        back: "/members".into(),
        fields: profile_fields(&input.profile, lang),
        first_fields: first_event_fields(&input, t, lang),
        errors: vec![],
        version: 0,
    })
}

pub(super) async fn create(staff: Staff, CsrfForm(f): CsrfForm<NewMemberForm>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let store = staff.store();
    staff.require(Rights::Members)?;
    // The cell is picked by code or name; the rest is the domain's command, the same the API
    // parses into.
    let cell = match f.cell.trim() {
        "" => CellChoice::None,
        typed => match store.find_org(typed).await.map_err(|e| staff.auth.err(e))? {
            OrgMatch::One(o) => CellChoice::Found(o.id),
            _ => CellChoice::NotFound,
        },
    };
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let result = match f.input(cell).validate(&book, staff.today()) {
        Ok(NewMember::Recorded { profile, first, decision_no, party_dates }) => {
            store.register_member(profile, first, decision_no.as_deref(), party_dates).await
        }
        Ok(NewMember::Arrival { profile, cell, status, party_dates, letter }) => {
            store.register_arrival(profile, cell, status, party_dates, letter).await.map(|(m, _)| m)
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(m) => Ok(Redirect::to(&format!("/members/{}", m.id)).into_response()),
        Err(StoreError::Invalid(v)) => {
            let mut fields = profile_fields(&f.profile, lang);
            let mut first_fields = first_event_fields(&f, t, lang);
            let mut errors = attach_errors(&mut fields, &v, lang);
            // One summary line per error: linked to whichever part of the form has the field.
            for (line, other) in errors.iter_mut().zip(attach_errors(&mut first_fields, &v, lang)) {
                line.href = line.href.take().or(other.href);
            }
            // The org error of the store names "org"; show it beside the cell code.
            if let Some(fe) = v.for_field("org")
                && let Some(cell) = first_fields.iter_mut().find(|x| x.name == "cell")
            {
                cell.error = Some(fe.message(lang));
            }
            errors.dedup();
            Ok(FormPage {
                c: staff.auth.chrome("members", "/members/new"),
                title: t.new_member.into(),
                action: "/members/new".into(),
                back: "/members".into(),
                fields,
                first_fields,
                errors,
                version: 0,
            }
            .into_response())
        }
        Err(other) => Err(staff.auth.err(other)),
    }
}

pub(super) async fn edit_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    Ok(FormPage {
        c: staff.auth.chrome("members", &format!("/members/{id}/edit")),
        title: format!("{} — {}", staff.auth.t().edit, m.profile.full_name),
        action: format!("/members/{id}/edit"),
        back: format!("/members/{id}"),
        fields: profile_fields(&MemberInput::from(&m.profile), lang),
        first_fields: vec![],
        errors: vec![],
        version: m.version,
    })
}

#[derive(Deserialize, Default)]
pub(super) struct EditInput {
    #[serde(flatten)]
    profile: MemberInput,
    /// Text, not a number: serde's `flatten` hands every value over as a string.
    #[serde(default)]
    version: String,
}

/// The version a form was rendered with (0, which no row has, when missing or garbled).
pub(crate) fn version_of(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

pub(super) async fn update(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<EditInput>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let m = store.member(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.profile.validate(staff.today()) {
        Ok(p) => store.update_member_profile(id, version_of(&f.version), p).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/members/{id}")).into_response()),
        Err(e) => crate::form::refusal(e).map_err(|e| staff.auth.err(e))?,
    };
    let mut fields = profile_fields(&f.profile, lang);
    let summary = attach_errors(&mut fields, &errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("members", &format!("/members/{id}/edit")),
        title: format!("{} — {}", staff.auth.t().edit, m.profile.full_name),
        action: format!("/members/{id}/edit"),
        back: format!("/members/{id}"),
        fields,
        first_fields: vec![],
        errors: summary,
        version: version_of(&f.version),
    }
    .into_response())
}
