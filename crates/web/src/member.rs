//! Member pages: search and list inside the scope (diacritics ignored, Vietnamese order),
//! the profile with its timeline, the create and edit forms (every field's error beside it,
//! everything typed kept), recording an event, and a member's own record.

use crate::auth::{Chrome, CsrfForm, MemberSelf, Staff};
use crate::error::{AppError, AppResult};
use crate::form::{Field, attach_errors};
use crate::i18n::{Lang, Texts};
use crate::view::{Pager, date, number, pick, status_class};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::member::command::{CellChoice, RecordEventInput, RecordableEvent};
use chibo_domain::member::{ContactInput, Education, Gender, MemberChange, MemberEvent, MemberInput, MemberStatus, PoliticalTheory};
use chibo_domain::scope::Rights;
use chibo_domain::stats::Standing;
use chibo_store::StoreError;
use chibo_store::member::{Flow, Member, MemberFilter};
use chibo_store::org::OrgMatch;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/members", list)
        .form("/members/new", new_form, create)
        .get("/members/{id}", show)
        .form("/members/{id}/edit", edit_form, update)
        .form("/members/{id}/event", event_form, record_event)
        .form("/me", me, update_me)
}

/// One member in a list.
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub birth: String,
    pub gender: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub cell: String,
    /// Since left the user's scope: named, not linked (their record answers 404).
    pub elsewhere: bool,
}

fn status_label(s: MemberStatus, lang: Lang) -> &'static str {
    pick(lang, s.label_vi(), s.label_en())
}

/// List rows of members, in the order given.
pub fn member_rows(list: Vec<Member>, lang: Lang) -> Vec<MemberRow> {
    list.into_iter()
        .map(|m| MemberRow {
            id: m.id,
            birth: format_date(m.profile.birth_date),
            gender: pick(lang, m.profile.gender.label_vi(), m.profile.gender.label_en()),
            status: status_label(m.status, lang),
            status_class: status_class(m.status),
            cell: m.org_name,
            name: m.profile.full_name,
            elsewhere: m.elsewhere,
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub(crate) q: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) gender: String,
    #[serde(default)]
    pub(crate) org: String,
    #[serde(default)]
    pub(crate) cell: String,
    #[serde(default)]
    pub(crate) age_from: String,
    #[serde(default)]
    pub(crate) age_to: String,
    #[serde(default)]
    pub(crate) born: String,
    /// The roll as it stood on a date (today or earlier).
    #[serde(default)]
    pub(crate) as_of: String,
    /// Drill-down from a dashboard figure: how the member counted that day.
    #[serde(default)]
    pub(crate) standing: String,
    /// Years of birth (an age band), both included.
    #[serde(default)]
    pub(crate) birth_from: String,
    #[serde(default)]
    pub(crate) birth_to: String,
    /// Years of admission (a party-age band), both included.
    #[serde(default)]
    pub(crate) admit_from: String,
    #[serde(default)]
    pub(crate) admit_to: String,
    #[serde(default)]
    pub(crate) ethnicity: String,
    #[serde(default)]
    pub(crate) religion: String,
    #[serde(default)]
    pub(crate) education: String,
    #[serde(default)]
    pub(crate) theory: String,
    /// `admitted` or `exited`: the people of a flow between two dates.
    #[serde(default)]
    pub(crate) flow: String,
    #[serde(default)]
    pub(crate) flow_from: String,
    #[serde(default)]
    pub(crate) flow_to: String,
    page: Option<i64>,
}

impl ListQuery {
    /// The drill-down parameters (those a dashboard figure sets), with their values.
    fn drill(&self) -> Vec<(&'static str, String)> {
        vec![
            ("standing", self.standing.clone()),
            ("birth_from", self.birth_from.clone()),
            ("birth_to", self.birth_to.clone()),
            ("admit_from", self.admit_from.clone()),
            ("admit_to", self.admit_to.clone()),
            ("ethnicity", self.ethnicity.clone()),
            ("religion", self.religion.clone()),
            ("education", self.education.clone()),
            ("theory", self.theory.clone()),
            ("flow", self.flow.clone()),
            ("flow_from", self.flow_from.clone()),
            ("flow_to", self.flow_to.clone()),
        ]
    }
}

/// A range of years from two typed bounds: (from, to), from None for "up to"; None when
/// neither is a year.
fn year_range(from: &str, to: &str) -> Option<(Option<i32>, i32)> {
    let year = |s: &str| s.trim().parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
    match (year(from), year(to)) {
        (f, Some(t)) => Some((f, t)),
        (Some(f), None) => Some((Some(f), 9999)),
        (None, None) => None,
    }
}

/// The drill-down part of a member filter, from the list's parameters (the web list and the
/// export share it). Unknown values are ignored, as the list's other filters do.
pub fn drill_filter(q_standing: &str, birth: (&str, &str), admit: (&str, &str), codes: [&str; 4], flow: (&str, &str, &str)) -> MemberFilter {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let flow = Flow::from_code(flow.0).and_then(|f| Some((f, parse_date(flow.1)?, parse_date(flow.2)?)));
    MemberFilter {
        standing: Standing::from_code(q_standing),
        birth_years: year_range(birth.0, birth.1),
        admit_years: year_range(admit.0, admit.1),
        ethnicity: text(codes[0]),
        religion: text(codes[1]),
        education: Education::from_code(codes[2]),
        theory: PoliticalTheory::from_code(codes[3]),
        flow,
        ..Default::default()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "member/list.html")]
struct ListPage {
    c: Chrome,
    q: ListQuery,
    org_name: String,
    cell_note: Option<String>,
    status_options: Vec<(String, String)>,
    gender_options: Vec<(String, String)>,
    members: Vec<MemberRow>,
    pager: Pager,
    total: String,
    can_add: bool,
    /// The drill-down filters in words ("Đảng viên dự bị · ngày 02/11/2021 · …").
    drill_note: Option<String>,
    /// The dashboard the list came from.
    dashboard: Option<String>,
    /// The drill-down parameters, kept through a search on the list.
    drill_hidden: Vec<(&'static str, String)>,
    /// The list's query, for the downloads.
    export_query: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "member/results.html")]
struct ResultsPartial {
    c: Chrome,
    members: Vec<MemberRow>,
    pager: Pager,
    total: String,
}

const PER_PAGE: i64 = 25;

/// The birth-date bound of an age: born on or before `today − years`.
fn born_years_ago(years: i32, today: NaiveDate) -> Option<NaiveDate> {
    today.with_year(today.year() - years).or_else(|| NaiveDate::from_ymd_opt(today.year() - years, 2, 28))
}

/// The member filter of a list's parameters (the page and its downloads share it).
pub(crate) fn list_filter(q: &ListQuery, now: NaiveDate) -> MemberFilter {
    let age = |s: &str| s.trim().parse::<i32>().ok().filter(|a| (0..=130).contains(a));
    let drill = drill_filter(
        &q.standing,
        (&q.birth_from, &q.birth_to),
        (&q.admit_from, &q.admit_to),
        [&q.ethnicity, &q.religion, &q.education, &q.theory],
        (&q.flow, &q.flow_from, &q.flow_to),
    );
    MemberFilter {
        query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        statuses: MemberStatus::from_code(&q.status).into_iter().collect(),
        gender: Gender::from_code(&q.gender),
        born_on: parse_date(&q.born),
        // Age a..b: born after today − (b+1) years, on or before today − a years.
        born_from: age(&q.age_to).and_then(|a| born_years_ago(a + 1, now)).map(|d| d + chrono::Days::new(1)),
        born_until: age(&q.age_from).and_then(|a| born_years_ago(a, now)),
        as_of: parse_date(&q.as_of).filter(|d| *d <= now),
        ..drill
    }
}

async fn list(staff: Staff, headers: HeaderMap, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let default_root = async || match staff.scope.root() {
        Some(r) => Ok(r),
        None => staff.auth.app.store.root_orgs().await.map_err(err)?.first().copied().ok_or(AppError::NotFound(lang)),
    };
    // The organization typed in the "cell" box (code or name, diacritics optional) narrows
    // the list; an unknown or ambiguous one is said, and the list stays on the wider scope.
    let mut cell_note = None;
    let under = match (q.org.trim().parse::<i64>(), q.cell.trim()) {
        (Ok(id), "") => id,
        (_, "") => default_root().await?,
        (_, typed) => match store.find_org(typed).await.map_err(err)? {
            OrgMatch::One(o) => o.id,
            OrgMatch::Many(list) => {
                cell_note = Some(
                    FieldError::new("org_query", ErrorCode::OrgAmbiguous)
                        .with("value", typed)
                        .with("candidates", list.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("; "))
                        .full_message(lang),
                );
                default_root().await?
            }
            OrgMatch::None => {
                cell_note = Some(FieldError::new("org_query", ErrorCode::NotFound).full_message(lang));
                default_root().await?
            }
        },
    };
    let org = store.org(under).await.map_err(err)?;
    let now = staff.today();
    let filter = list_filter(&q, now);
    let page = q.page.unwrap_or(1);
    let found = store.list_members(under, &filter, Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(err)?;
    let query: Vec<(&str, String)> = [
        ("q", q.q.clone()),
        ("status", q.status.clone()),
        ("gender", q.gender.clone()),
        ("org", q.org.clone()),
        ("cell", q.cell.clone()),
        ("age_from", q.age_from.clone()),
        ("age_to", q.age_to.clone()),
        ("born", q.born.clone()),
        ("as_of", q.as_of.clone()),
    ]
    .into_iter()
    .chain(q.drill())
    .collect();
    let pager = Pager::new("/members", &query, page, PER_PAGE, found.total);
    let total = number(found.total, lang);
    let members = member_rows(found.items, lang);
    let here = pager.prev.clone().unwrap_or_else(|| "/members".into());
    if headers.contains_key("HX-Request") {
        return Ok(ResultsPartial { c: staff.auth.chrome("members", &here), members, pager, total }.into_response());
    }
    let mut status_options = vec![(String::new(), t.all.to_owned())];
    status_options.extend(MemberStatus::ALL.iter().map(|s| (s.code().to_owned(), status_label(*s, lang).to_owned())));
    let mut gender_options = vec![(String::new(), t.all.to_owned())];
    gender_options.extend(Gender::ALL.iter().map(|g| (g.code().to_owned(), pick(lang, g.label_vi(), g.label_en()).to_owned())));
    let drill_hidden: Vec<(&'static str, String)> = q.drill().into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    let day = filter.flow.map(|f| f.2).or(filter.as_of);
    let (drill_note, dashboard) = if drill_hidden.is_empty() && filter.as_of.is_none() {
        (None, None)
    } else {
        let note = drill_words(&filter, lang, &org.name);
        let on = day.map(|d| format!("?on={}", crate::error::urlencode(&format_date(d)))).unwrap_or_default();
        (Some(note), Some(format!("/orgs/{under}/stats{on}")))
    };
    let mut export_pairs: Vec<String> =
        query.iter().filter(|(k, v)| !v.is_empty() && *k != "org").map(|(k, v)| format!("{k}={}", crate::error::urlencode(v))).collect();
    export_pairs.insert(0, format!("org={under}"));
    Ok(ListPage {
        c: staff.auth.chrome("members", "/members"),
        drill_note,
        dashboard,
        drill_hidden,
        export_query: export_pairs.join("&"),
        org_name: org.name,
        cell_note,
        status_options,
        gender_options,
        members,
        pager,
        total,
        can_add: staff.may(Rights::Members),
        q,
    }
    .into_response())
}

/// The filters of a list behind a dashboard figure, in words.
fn drill_words(f: &MemberFilter, lang: Lang, org_name: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let years = |(from, to): (Option<i32>, i32), what_vi: &str, what_en: &str| match (from, lang) {
        (Some(a), Lang::Vi) if to == 9999 => format!("{what_vi} từ năm {a}"),
        (Some(a), Lang::Vi) => format!("{what_vi} từ năm {a} đến năm {to}"),
        (None, Lang::Vi) => format!("{what_vi} từ năm {to} trở về trước"),
        (Some(a), _) if to == 9999 => format!("{what_en} in {a} or later"),
        (Some(a), _) => format!("{what_en} in {a}–{to}"),
        (None, _) => format!("{what_en} in {to} or earlier"),
    };
    let who = match f.standing {
        Some(Standing::Official) => pick(lang, "Đảng viên chính thức", "Official members"),
        Some(Standing::Probationary) => pick(lang, "Đảng viên dự bị", "Probationary members"),
        Some(Standing::InTransit) => pick(lang, "Đảng viên đang chuyển sinh hoạt", "Members in transit"),
        None => pick(lang, "Đảng viên", "Members"),
    };
    match f.flow {
        Some((flow, from, to)) => {
            let what = pick(lang, flow.label_vi(), flow.label_en());
            parts.push(format!("{what} {} {} {} {}", pick(lang, "từ", "from"), format_date(from), pick(lang, "đến", "to"), format_date(to)));
        }
        None => parts.push(who.to_owned()),
    }
    if let Some(g) = f.gender {
        parts.push(pick(lang, g.label_vi(), g.label_en()).to_owned());
    }
    if let Some(y) = f.birth_years {
        parts.push(years(y, "Sinh", "Born"));
    }
    if let Some(y) = f.admit_years {
        parts.push(years(y, "Vào Đảng", "Admitted"));
    }
    if let Some(e) = &f.ethnicity {
        parts.push(format!("{} {e}", pick(lang, "Dân tộc", "Ethnicity")));
    }
    if let Some(r) = &f.religion {
        parts.push(format!("{}: {r}", pick(lang, "Tôn giáo", "Religion")));
    }
    if let Some(e) = f.education {
        parts.push(format!("{}: {}", pick(lang, "Trình độ chuyên môn", "Education"), pick(lang, e.label_vi(), e.label_en())));
    }
    if let Some(t) = f.theory {
        parts.push(format!("{}: {}", pick(lang, "Lý luận chính trị", "Political theory"), pick(lang, t.label_vi(), t.label_en())));
    }
    if let (None, Some(d)) = (f.flow, f.as_of) {
        parts.push(format!("{} {}", pick(lang, "ngày", "on"), format_date(d)));
    }
    parts.push(org_name.to_owned());
    parts.join(" · ")
}

struct EventRow {
    date: String,
    what: &'static str,
    cell: String,
    decision: String,
    extra: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "member/show.html")]
struct ShowPage {
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

async fn show(staff: Staff, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let m = store.member(id).await.map_err(|e| staff.auth.err(e))?;
    let events = store.member_history(id).await.map_err(|e| staff.auth.err(e))?;
    let (life, actions) = life_lines(&staff, &m).await?;
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
    })
}

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
struct FormPage {
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
struct NewMemberInput {
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

fn first_event_fields(f: &NewMemberInput, t: &Texts, lang: Lang) -> Vec<Field> {
    let kinds = vec![
        ("registered_official".to_owned(), pick(lang, "Ghi nhận hồ sơ đảng viên chính thức", "Record of an official member").to_owned()),
        ("registered_probationary".to_owned(), pick(lang, "Ghi nhận hồ sơ đảng viên dự bị", "Record of a probationary member").to_owned()),
        ("admitted".to_owned(), pick(lang, "Kết nạp vào Đảng (dự bị)", "Admission (probationary)").to_owned()),
        ("candidate".to_owned(), pick(lang, "Đối tượng kết nạp", "Candidate").to_owned()),
        (
            "arrival_official".to_owned(),
            pick(lang, "Tiếp nhận đảng viên chính thức từ nơi khác (theo giấy giới thiệu)", "Arrival of an official member (with a letter)").to_owned(),
        ),
        (
            "arrival_probationary".to_owned(),
            pick(lang, "Tiếp nhận đảng viên dự bị từ nơi khác (theo giấy giới thiệu)", "Arrival of a probationary member (with a letter)").to_owned(),
        ),
    ];
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
            "Chỉ khi tiếp nhận từ nơi khác: theo giấy giới thiệu",
            "Arrivals only: as the letter states",
        )),
        Field::date("official_on", &f.official_on, lang).hint(pick(lang, "Chỉ khi tiếp nhận đảng viên chính thức", "Arrivals of official members only")),
    ]
}

#[derive(Deserialize, Default)]
struct NewQuery {
    org: Option<i64>,
}

async fn new_form(staff: Staff, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    staff.require(Rights::Members)?;
    // The cell to add to: the one asked for, or the secretary's own cell.
    let cell_code = match q.org.or(staff.scope.root()) {
        Some(id) => staff.store().org(id).await.ok().filter(|o| o.kind.holds_members()).map(|o| o.code).unwrap_or_default(),
        None => String::new(),
    };
    let input = NewMemberInput {
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

pub(crate) fn date_field(e: &mut ValidationErrors, field: &str, value: &str) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
        v => parse_date(v).or_else(|| {
            e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", v));
            None
        }),
    }
}

async fn create(staff: Staff, CsrfForm(f): CsrfForm<NewMemberInput>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let store = staff.store();
    staff.require(Rights::Members)?;
    let profile = f.profile.validate(staff.today());
    let mut e = profile.as_ref().err().cloned().unwrap_or_default();
    let on = date_field(&mut e, "event_date", &f.event_date);
    let cell = match store.find_org(&f.cell).await.map_err(|e| staff.auth.err(e))? {
        OrgMatch::One(o) => Some(o.id),
        _ => {
            e.push(FieldError::new("cell", ErrorCode::NotFound));
            None
        }
    };
    let change = cell.map(|cell| match f.first_event.as_str() {
        "admitted" => MemberChange::Admitted { cell },
        "candidate" => MemberChange::CandidateRegistered { cell },
        "registered_probationary" => MemberChange::Registered { cell, status: MemberStatus::Probationary },
        _ => MemberChange::Registered { cell, status: MemberStatus::Official },
    });
    let arrival = f.first_event.starts_with("arrival_");
    let result = match (profile, on, change) {
        (Ok(p), Some(on), Some(change)) if e.is_empty() && arrival => {
            // An arrival from outside: registered from the letter the member brings.
            let status = if f.first_event == "arrival_probationary" { MemberStatus::Probationary } else { MemberStatus::Official };
            let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
            let letter = chibo_domain::transfer::LetterInput::arrival(&f.destination, &f.decision_no, &format_date(on), &f.fees_paid_through);
            let mut pe = ValidationErrors::new();
            let admitted_on = if f.admitted_on.trim().is_empty() { None } else { date_field(&mut pe, "admitted_on", &f.admitted_on) };
            let official_on = if f.official_on.trim().is_empty() { None } else { date_field(&mut pe, "official_on", &f.official_on) };
            match (letter.validate(&book, staff.today()), pe.is_empty()) {
                (Ok(_), false) => Err(StoreError::Invalid(pe)),
                (Ok(letter), true) => {
                    store.register_arrival(p, change.cell().unwrap_or_default(), status, (admitted_on, official_on), letter).await.map(|(m, _)| m)
                }
                (Err(mut v), _) => {
                    for fe in &mut v.errors {
                        if fe.field == "letter_no" {
                            fe.field = "decision_no".into();
                        }
                        if fe.field == "letter_on" {
                            fe.field = "event_date".into();
                        }
                    }
                    Err(StoreError::Invalid(v))
                }
            }
        }
        (Ok(p), Some(on), Some(change)) if e.is_empty() => {
            let decision = Some(f.decision_no.trim()).filter(|d| !d.is_empty());
            store.create_member(p, MemberEvent { on, change }, decision).await
        }
        _ => Err(StoreError::Invalid(e)),
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

async fn edit_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
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
struct EditInput {
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

async fn update(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<EditInput>) -> AppResult<Response> {
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

#[derive(Template, WebTemplate)]
#[template(path = "member/event.html")]
struct EventPage {
    c: Chrome,
    id: i64,
    name: String,
    fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
    version: i64,
}

#[derive(Deserialize, Default)]
struct EventInput {
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

async fn event_form(staff: Staff, Path(id): Path<i64>) -> AppResult<EventPage> {
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

async fn record_event(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<EventInput>) -> AppResult<Response> {
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
        until: f.until.clone(),
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

fn contact_fields(c: &ContactInput, lang: Lang) -> Vec<Field> {
    vec![Field::text("current_address", &c.current_address, lang), Field::text("phone", &c.phone, lang), Field::text("email", &c.email, lang)]
}

async fn me_page(me: &MemberSelf, fields: Option<Vec<Field>>, errors: Vec<crate::form::ErrorLine>, saved: bool) -> AppResult<ShowPage> {
    let lang = me.auth.lang;
    let m = me.record().member().await.map_err(|e| me.auth.err(e))?;
    let events = me.record().history().await.map_err(|e| me.auth.err(e))?;
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
    })
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn me(me: MemberSelf, Query(q): Query<SavedQuery>) -> AppResult<ShowPage> {
    me_page(&me, None, vec![], q.saved.is_some()).await
}

#[derive(Deserialize, Default)]
struct ContactForm {
    #[serde(flatten)]
    contact: ContactInput,
    #[serde(default)]
    version: String,
}

async fn update_me(me: MemberSelf, CsrfForm(f): CsrfForm<ContactForm>) -> AppResult<Response> {
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
