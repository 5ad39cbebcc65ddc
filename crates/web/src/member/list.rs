//! The member list: search inside the scope (diacritics ignored, Vietnamese order), the
//! filters of a roll on a date and the drill-down from a dashboard figure, paged, with its
//! downloads' query.

use super::{MemberRow, member_rows, status_label};
use crate::auth::{Chrome, Staff};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::view::{Pager, number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::{Education, Gender, MemberStatus, PoliticalTheory};
use chibo_domain::scope::Rights;
use chibo_domain::stats::Standing;
use chibo_store::member::{Flow, MemberFilter};
use chibo_store::org::OrgMatch;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

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
pub(super) struct ListPage {
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
pub(super) struct ResultsPartial {
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

pub(super) async fn list(staff: Staff, headers: HeaderMap, Query(q): Query<ListQuery>) -> AppResult<Response> {
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
