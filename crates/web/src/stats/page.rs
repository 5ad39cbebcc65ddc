//! The statistics dashboard of an organization on a date, rendered from its figures: cards,
//! breakdowns drawn as SVG on the server (`chart`), the year's flows, organizations by level
//! and category, small cells, and a ten-year trend. Every figure links to the list behind it
//! (the figure's own filter); the organization lists are `/orgs/{id}/stats/orgs`. One
//! dashboard call and one trend call per page.

use super::{StatsTexts, chosen_day, list_href, members_on, texts};
use crate::auth::{Chrome, Staff};
use crate::chart::{self, Bar, Point, PyramidRow};
use crate::error::{AppError, AppResult, urlencode};
use crate::i18n::Lang;
use crate::view::{Pager, number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_domain::stats::figures::{self, Figure, Figures};
use chibo_domain::stats::{AGE_BANDS, Band};
use chibo_import::report;
use chibo_store::StoreError;
use chibo_store::stats::OrgFilter;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// A figure as shown: its value, what it counts and the list behind it (None: no list).
pub struct Fig {
    pub value: String,
    pub label: String,
    pub href: Option<String>,
}

/// A section of the page: a heading, figures as cards, a chart.
pub struct Section {
    pub id: String,
    pub title: String,
    pub figures: Vec<Fig>,
    pub chart: Option<String>,
    pub empty: bool,
}

fn short_band(b: Band) -> String {
    match (b.from, b.to) {
        (0, Some(t)) => format!("≤{t}"),
        (f, Some(t)) => format!("{f}–{t}"),
        (f, None) => format!("≥{f}"),
    }
}

/// How a section of figures is drawn.
enum Drawn {
    /// Every figure a card.
    Cards,
    /// The figures whose key starts with the prefix as bars, the others as cards.
    Bars(&'static str),
    /// The age bands' men and women facing each other.
    Pyramid,
}

fn drawn(section: &str) -> Drawn {
    match section {
        "key" | "flows" | "small_cells" | "committees" | "meetings" => Drawn::Cards,
        "age" => Drawn::Pyramid,
        "party_age" => Drawn::Bars("members.by_party_age."),
        _ => Drawn::Bars(""),
    }
}

/// The page's sections: the figures' sections in their order, then the trend.
fn sections(f: &Figures, trend: &[(NaiveDate, Option<i64>)], lang: Lang) -> Vec<Section> {
    let x = texts(lang);
    let href = |g: &Figure| g.list.as_ref().map(|l| list_href(f.id, l)).unwrap_or_default();
    let card = |g: &Figure| Fig { value: number(g.value, lang), label: g.label(lang).to_owned(), href: g.list.as_ref().map(|l| list_href(f.id, l)) };
    let mut out = Vec::new();
    for s in &f.sections {
        let id = s.key.replace('_', "-");
        let title = s.label(lang).to_owned();
        let chart_id = format!("ch-{id}");
        let (figures, chart, empty) = match drawn(&s.key) {
            Drawn::Cards => (s.figures.iter().map(card).collect(), None, false),
            Drawn::Bars(prefix) => {
                let (bars, cards): (Vec<&Figure>, Vec<&Figure>) = s.figures.iter().partition(|g| g.key.starts_with(prefix));
                let shown = bars.iter().any(|g| g.value > 0);
                let bars: Vec<Bar> = bars.iter().map(|g| Bar { label: g.label(lang).to_owned(), value: g.value, href: href(g) }).collect();
                (cards.into_iter().map(card).collect(), shown.then(|| chart::bars(&chart_id, &title, &bars, lang)), !shown)
            }
            Drawn::Pyramid => {
                let side = |band: &str, g| f.figure(&format!("{band}.{}", figures::gender_key(g)));
                let rows: Vec<PyramidRow> = AGE_BANDS
                    .iter()
                    .filter_map(|b| {
                        let band = format!("members.by_age.{}", figures::band_key(*b));
                        let (total, men, women) =
                            (f.figure(&band)?, side(&band, chibo_domain::member::Gender::Male)?, side(&band, chibo_domain::member::Gender::Female)?);
                        Some(PyramidRow {
                            label: short_band(*b),
                            long_label: total.label(lang).to_owned(),
                            left: men.value,
                            left_href: href(men),
                            right: women.value,
                            right_href: href(women),
                        })
                    })
                    .collect();
                let shown = s.figures.iter().any(|g| g.value > 0);
                (vec![], shown.then(|| chart::pyramid(&chart_id, &title, x.men, x.women, &rows, lang)), !shown)
            }
        };
        out.push(Section { id, title, figures, chart, empty });
    }
    let points: Vec<Point> = trend
        .iter()
        .enumerate()
        .map(|(i, (day, v))| Point {
            label: if i + 1 == trend.len() && *day != year_end(day.year()) { format!("{}*", day.year()) } else { day.year().to_string() },
            value: *v,
            href: v.map(|_| members_on(f.id, *day)),
        })
        .collect();
    let trend_title = format!("{} ({} {})", x.trend, x.trend_note, format_date(f.as_of));
    out.push(Section {
        id: "trend".into(),
        title: trend_title.clone(),
        figures: vec![],
        empty: false,
        chart: Some(chart::columns("ch-trend", &trend_title, &points, lang, x.not_yet)),
    });
    out
}

fn year_end(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default()
}

/// The days of the trend: 31 December of each of the ten years before the day, and the day.
pub fn trend_days(on: NaiveDate) -> Vec<NaiveDate> {
    let mut v: Vec<NaiveDate> = (on.year() - 10..on.year()).map(year_end).collect();
    v.push(on);
    v
}

#[derive(Deserialize, Default)]
pub(super) struct OnQuery {
    #[serde(default)]
    on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "stats/dashboard.html")]
struct DashboardPage {
    c: Chrome,
    x: &'static StatsTexts,
    id: i64,
    name: String,
    on: String,
    error: Option<String>,
    sections: Vec<Section>,
    export: String,
}

pub(super) async fn scope_root(staff: Staff) -> AppResult<Response> {
    let root = match staff.scope.root() {
        Some(r) => r,
        None => staff.auth.app.store.root_orgs().await.map_err(|e| staff.auth.err(e))?.first().copied().ok_or(AppError::NotFound(staff.auth.lang))?,
    };
    Ok(Redirect::to(&format!("/orgs/{root}/stats")).into_response())
}

pub(super) async fn dashboard(staff: Staff, Path(id): Path<i64>, Query(q): Query<OnQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let x = texts(lang);
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    // Outside the scope: 404 before anything else.
    let org = store.org(id).await.map_err(err)?;
    let here = format!("/orgs/{id}/stats");
    let page = |on: String, error: Option<String>, sections: Vec<Section>, name: String| DashboardPage {
        c: staff.auth.chrome("orgs", &here),
        x,
        id,
        export: format!("/export/dashboard?org={id}&on={}", urlencode(&on)),
        name,
        on,
        error,
        sections,
    };
    let day = match chosen_day(&q.on, lang, staff.today()) {
        Ok(d) => d,
        Err(msg) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(q.on.trim().to_owned(), Some(msg), vec![], org.name)).into_response()),
    };
    let d = match store.dashboard(id, day).await {
        Ok(d) => d,
        Err(StoreError::NotFound) => {
            let msg = x.no_org_then.replace("{v}", &format_date(day));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(format_date(day), Some(msg), vec![], org.name)).into_response());
        }
        Err(e) => return Err(err(e)),
    };
    let trend = store.member_trend(id, &trend_days(day)).await.map_err(err)?;
    let sections = sections(&Figures::of(&d), &trend, lang);
    Ok(page(format_date(day), None, sections, d.name).into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct OrgsQuery {
    #[serde(default)]
    on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    small: String,
    #[serde(default)]
    direct: String,
    #[serde(default)]
    grassroots: String,
    #[serde(default)]
    with_node: String,
    #[serde(default)]
    committee: String,
    #[serde(default)]
    meeting: String,
    page: Option<i64>,
}

impl OrgsQuery {
    fn filter(&self) -> OrgFilter {
        OrgFilter {
            kind: OrgKind::from_code(&self.kind),
            category: OrgCategory::from_code(&self.category),
            small_cells: self.small == "1",
            direct: self.direct == "1",
            grassroots: self.grassroots == "1",
            with_node: self.with_node == "1",
            committee: chibo_store::committee::CommitteeList::from_code(&self.committee),
            meeting: chibo_domain::meeting::MeetingFigure::from_code(&self.meeting),
        }
    }
}

struct OrgRow {
    id: i64,
    code: String,
    name: String,
    kind: &'static str,
    category: &'static str,
    official: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "stats/orgs.html")]
struct OrgsPage {
    c: Chrome,
    x: &'static StatsTexts,
    on: String,
    what: String,
    rows: Vec<OrgRow>,
    total: String,
    pager: Pager,
    back: String,
    export: String,
}

const ORGS_PER_PAGE: i64 = 50;

pub(super) async fn orgs(staff: Staff, Path(id): Path<i64>, Query(q): Query<OrgsQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let x = texts(lang);
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let org = store.org(id).await.map_err(err)?;
    let day = chosen_day(&q.on, lang, staff.today()).map_err(|m| AppError::Invalid(lang, m))?;
    let filter = q.filter();
    let page = q.page.unwrap_or(1);
    let found = store.counted_orgs(id, day, filter, Pager::offset(page, ORGS_PER_PAGE), ORGS_PER_PAGE).await.map_err(err)?;
    let on = format_date(day);
    let query = [
        ("on", on.clone()),
        ("kind", q.kind.clone()),
        ("category", q.category.clone()),
        ("small", q.small.clone()),
        ("direct", q.direct.clone()),
        ("grassroots", q.grassroots.clone()),
        ("with_node", q.with_node.clone()),
        ("committee", q.committee.clone()),
        ("meeting", q.meeting.clone()),
    ];
    let pager = Pager::new(&format!("/orgs/{id}/stats/orgs"), &query, page, ORGS_PER_PAGE, found.total);
    let export = format!(
        "/orgs/{id}/stats/orgs/export?{}",
        query.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&")
    );
    let mut what = Vec::new();
    if let Some(k) = filter.kind {
        what.push(pick(lang, k.label_vi(), k.label_en()).to_owned());
    }
    if let Some(c) = filter.category {
        what.push(pick(lang, c.label_vi(), c.label_en()).to_owned());
    }
    if filter.direct {
        what.push(crate::i18n::texts(lang).direct_children.to_owned());
    }
    if filter.grassroots {
        what.push(crate::i18n::texts(lang).grassroots_orgs.to_owned());
    }
    if filter.with_node && (filter.kind.is_some() || filter.category.is_some()) {
        what.push(x.with_node.to_owned());
    }
    if let Some(l) = filter.committee {
        what.push(l.label(lang).to_owned());
    }
    if let Some(m) = filter.meeting {
        what.push(pick(lang, m.label_vi(), m.label_en()).to_owned());
    }
    if filter.small_cells {
        let minimum = store.rule_book().await.map_err(err)?.at(day).min_official_per_cell;
        what.push(x.small_cells.replace("{n}", &minimum.to_string()));
    }
    if what.is_empty() {
        what.push(x.org_list.to_owned());
    }
    what.push(format!("{} {on}", pick(lang, "ngày", "on")));
    what.push(org.name);
    let rows = found
        .items
        .into_iter()
        .map(|o| OrgRow {
            id: o.id,
            code: o.code,
            name: o.name,
            kind: pick(lang, o.kind.label_vi(), o.kind.label_en()),
            category: pick(lang, o.category.label_vi(), o.category.label_en()),
            official: if chibo_domain::stats::is_cell(o.kind) { number(o.official, lang) } else { String::new() },
        })
        .collect();
    Ok(OrgsPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/stats/orgs")),
        x,
        back: format!("/orgs/{id}/stats?on={}", urlencode(&on)),
        on,
        what: what.join(" · "),
        rows,
        total: number(found.total, lang),
        pager,
        export,
    }
    .into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct ExportQuery {
    #[serde(default)]
    org: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    format: String,
}

/// The dashboard in Excel or CSV: every figure in labelled rows under a heading with the
/// organization, the day and the time of export (the report writer of `chibo export`).
pub(super) async fn export(staff: Staff, Query(q): Query<ExportQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let id = match q.org.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => return Err(AppError::NotFound(lang)),
    };
    let org = store.org(id).await.map_err(err)?;
    let day = chosen_day(&q.on, lang, staff.today()).map_err(|m| AppError::Invalid(lang, m))?;
    let d = store.dashboard(id, day).await.map_err(err)?;
    let format = report::Format::from_code(&q.format).unwrap_or(report::Format::Xlsx);
    let file = report::spool().map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let file = report::dashboard(&Figures::of(&d), format, file).map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let name = format!("thong-ke-{}-{}.{}", org.code, day.format("%Y-%m-%d"), format.extension());
    crate::import::download_file(file, &name, format.content_type())
}

/// The organization list behind a figure in Excel or CSV (the list page's own parameters),
/// streamed through a temporary file like the member lists.
pub(super) async fn export_orgs(
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<OrgsQuery>,
    Query(f): Query<crate::import::FormatQuery>,
) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let day = chosen_day(&q.on, lang, staff.today()).map_err(|m| AppError::Invalid(lang, m))?;
    let format = report::Format::from_code(&f.format).unwrap_or(report::Format::Xlsx);
    let file = report::spool().map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let (file, _) = report::org_list(&store, id, day, q.filter(), format, file).await.map_err(|e| match e {
        report::ReportError::Store(e) => staff.auth.err(e),
        other => AppError::Internal(lang, other.to_string()),
    })?;
    let name = format!("to-chuc-{}-{}.{}", org.code, day.format("%Y-%m-%d"), format.extension());
    crate::import::download_file(file, &name, format.content_type())
}
