//! The statistics dashboard of an organization on a date: key figures, breakdowns drawn as SVG
//! on the server (`chart`), the year's flows, organizations by level and category, small
//! cells and a ten-year trend. Every figure links to the list behind it: members through the
//! member list's drill-down parameters, organizations through `/orgs/{id}/stats/orgs`. One
//! dashboard call and one trend call per page.

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
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::member::{Education, Gender, PoliticalTheory};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_domain::stats::{AGE_BANDS, Band, PARTY_AGE_BANDS};
use chibo_import::report;
use chibo_store::StoreError;
use chibo_store::member::Flow;
use chibo_store::stats::{Dashboard, OrgFilter};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/stats", scope_root)
        .get("/orgs/{id}/stats", dashboard)
        .get("/orgs/{id}/stats/orgs", orgs)
        .get("/orgs/{id}/stats/orgs/export", export_orgs)
        .get("/export/dashboard", export)
}

/// The texts of the statistics pages, per language.
pub struct StatsTexts {
    pub title: &'static str,
    pub on: &'static str,
    pub show: &'static str,
    pub date_hint: &'static str,
    pub key_figures: &'static str,
    pub men: &'static str,
    pub women: &'static str,
    pub by_gender: &'static str,
    pub by_age: &'static str,
    pub age_unit: &'static str,
    pub by_party_age: &'static str,
    pub party_age_unit: &'static str,
    pub at_least: &'static str,
    pub by_ethnicity: &'static str,
    pub by_religion: &'static str,
    pub by_education: &'static str,
    pub by_theory: &'static str,
    pub flows: &'static str,
    pub admitted: &'static str,
    pub exited: &'static str,
    pub transferred_in: &'static str,
    pub transferred_out: &'static str,
    pub orgs_by_kind: &'static str,
    pub orgs_by_category: &'static str,
    pub small_cells: &'static str,
    pub trend: &'static str,
    pub trend_note: &'static str,
    pub not_yet: &'static str,
    pub none: &'static str,
    pub download_xlsx: &'static str,
    pub download_csv: &'static str,
    pub back_to_dashboard: &'static str,
    pub org_list: &'static str,
    pub official_members: &'static str,
    pub bad_date: &'static str,
    pub future_date: &'static str,
    pub no_org_then: &'static str,
}

static VI: StatsTexts = StatsTexts {
    title: "Thống kê",
    on: "Ngày",
    show: "Xem",
    date_hint: "dd/mm/yyyy",
    key_figures: "Số liệu chính",
    men: "Nam",
    women: "Nữ",
    by_gender: "Đảng viên theo giới tính",
    by_age: "Tháp tuổi đời (nam, nữ)",
    age_unit: "tuổi",
    by_party_age: "Đảng viên theo tuổi Đảng",
    party_age_unit: "năm",
    at_least: "Tuổi Đảng từ {n} năm trở lên",
    by_ethnicity: "Đảng viên theo dân tộc",
    by_religion: "Đảng viên theo tôn giáo",
    by_education: "Đảng viên theo trình độ chuyên môn",
    by_theory: "Đảng viên theo trình độ lý luận chính trị",
    flows: "Biến động từ đầu năm",
    admitted: "Kết nạp",
    exited: "Ra khỏi Đảng",
    transferred_in: "Chuyển đến",
    transferred_out: "Chuyển đi",
    orgs_by_kind: "Tổ chức đảng theo cấp",
    orgs_by_category: "Tổ chức đảng theo loại hình",
    small_cells: "Chi bộ có dưới {n} đảng viên chính thức",
    trend: "Số đảng viên 10 năm qua",
    trend_note: "Ngày 31/12 hằng năm và ngày",
    not_yet: "chưa thành lập",
    none: "Không có",
    download_xlsx: "Tải Excel",
    download_csv: "Tải CSV",
    back_to_dashboard: "Về trang thống kê",
    org_list: "Danh sách tổ chức",
    official_members: "Đảng viên chính thức",
    bad_date: "Ngày «{v}» không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 02/11/2021.",
    future_date: "Ngày {v} chưa đến: chỉ xem được số liệu đến hôm nay ({today}).",
    no_org_then: "Ngày {v} tổ chức này chưa thành lập hoặc đã giải thể.",
};

static EN: StatsTexts = StatsTexts {
    title: "Statistics",
    on: "Date",
    show: "Show",
    date_hint: "dd/mm/yyyy",
    key_figures: "Key figures",
    men: "Men",
    women: "Women",
    by_gender: "Members by gender",
    by_age: "Age pyramid (men, women)",
    age_unit: "years",
    by_party_age: "Members by party age",
    party_age_unit: "years",
    at_least: "Party age {n} years and more",
    by_ethnicity: "Members by ethnicity",
    by_religion: "Members by religion",
    by_education: "Members by professional education",
    by_theory: "Members by political theory",
    flows: "Changes since 1 January",
    admitted: "Admitted",
    exited: "Left the party",
    transferred_in: "Transferred in",
    transferred_out: "Transferred out",
    orgs_by_kind: "Party organizations by level",
    orgs_by_category: "Party organizations by category",
    small_cells: "Cells with fewer than {n} official members",
    trend: "Members over the last 10 years",
    trend_note: "31 December of each year and",
    not_yet: "not founded yet",
    none: "None",
    download_xlsx: "Download Excel",
    download_csv: "Download CSV",
    back_to_dashboard: "Back to the statistics",
    org_list: "Organizations",
    official_members: "Official members",
    bad_date: "«{v}» is not a date: type dd/mm/yyyy, e.g. 02/11/2021.",
    future_date: "{v} is in the future: figures exist up to today ({today}).",
    no_org_then: "On {v} this organization did not exist.",
};

/// The statistics texts in a language.
pub fn texts(lang: Lang) -> &'static StatsTexts {
    if lang == Lang::Vi { &VI } else { &EN }
}

/// A figure: its value, what it counts and the list behind it (None: no list).
pub struct Fig {
    pub value: String,
    pub label: String,
    pub href: Option<String>,
}

/// A section of the dashboard: a heading, figures, a chart.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub figures: Vec<Fig>,
    pub chart: Option<String>,
    pub empty: bool,
}

/// The day a page is about: empty means today; anything else must be a past or present date.
/// The error is the message shown beside the field.
pub fn chosen_day(typed: &str, lang: Lang, now: NaiveDate) -> Result<NaiveDate, String> {
    let x = texts(lang);
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(now);
    }
    match parse_date(typed) {
        None => Err(x.bad_date.replace("{v}", typed)),
        Some(d) if d > now => Err(x.future_date.replace("{v}", &format_date(d)).replace("{today}", &format_date(now))),
        Some(d) => Ok(d),
    }
}

/// Links to the lists behind the figures of one organization on one day.
pub struct Links {
    pub org: i64,
    pub on: NaiveDate,
}

impl Links {
    /// The member list behind a member figure (`extra` are the drill-down parameters).
    pub fn members(&self, extra: &[(&str, String)]) -> String {
        let mut s = format!("/members?org={}&as_of={}", self.org, urlencode(&format_date(self.on)));
        for (k, v) in extra {
            s.push_str(&format!("&{k}={}", urlencode(v)));
        }
        s
    }
    /// Members born in the years of an age band.
    pub fn age(&self, band: Band, gender: Option<Gender>) -> String {
        let (from, to) = band.years_in(self.on.year());
        let mut extra = vec![("birth_to", to.to_string())];
        if let Some(f) = from {
            extra.insert(0, ("birth_from", f.to_string()));
        }
        if let Some(g) = gender {
            extra.push(("gender", g.code().to_owned()));
        }
        self.members(&extra)
    }
    /// Members admitted in the years of a party-age band.
    pub fn party_age(&self, band: Band) -> String {
        let (from, to) = band.years_in(self.on.year());
        let mut extra = vec![("admit_to", to.to_string())];
        if let Some(f) = from {
            extra.insert(0, ("admit_from", f.to_string()));
        }
        self.members(&extra)
    }
    /// The people of a flow of the year up to the day.
    pub fn flow(&self, flow: Flow) -> String {
        let from = NaiveDate::from_ymd_opt(self.on.year(), 1, 1).unwrap_or(self.on);
        format!("/members?org={}&flow={}&flow_from={}&flow_to={}", self.org, flow.code(), urlencode(&format_date(from)), urlencode(&format_date(self.on)))
    }
    /// The organizations behind an organization figure.
    pub fn orgs(&self, what: &str) -> String {
        format!("/orgs/{}/stats/orgs?on={}&{what}", self.org, urlencode(&format_date(self.on)))
    }
}

fn short_band(b: Band) -> String {
    match (b.from, b.to) {
        (0, Some(t)) => format!("≤{t}"),
        (f, Some(t)) => format!("{f}–{t}"),
        (f, None) => format!("≥{f}"),
    }
}

fn band_label(b: Band, unit: &str, lang: Lang) -> String {
    if lang == Lang::Vi { b.label_vi(unit) } else { b.label_en(unit) }
}

/// Everything the dashboard shows, as sections (shared by the page and the export).
pub fn sections(d: &Dashboard, trend: &[(NaiveDate, Option<i64>)], lang: Lang, charts: bool) -> Vec<Section> {
    let t = crate::i18n::texts(lang);
    let x = texts(lang);
    let l = Links { org: d.org, on: d.as_of };
    let n = |v: i64| number(v, lang);
    let fig = |value: i64, label: &str, href: Option<String>| Fig { value: n(value), label: label.to_owned(), href };
    let mut out = Vec::new();
    let women = d.gender(Gender::Female);
    let men = d.gender(Gender::Male);
    out.push(Section {
        id: "key",
        title: x.key_figures.into(),
        figures: vec![
            fig(d.members(), t.members, Some(l.members(&[]))),
            fig(d.official(), t.official, Some(l.members(&[("standing", "official".into())]))),
            fig(d.probationary(), t.probationary, Some(l.members(&[("standing", "probationary".into())]))),
            fig(women, t.women, Some(l.members(&[("gender", Gender::Female.code().into())]))),
            fig(d.in_transit(), t.in_transit, Some(l.members(&[("standing", "in_transit".into())]))),
            fig(d.direct_children, t.direct_children, Some(l.orgs("direct=1"))),
        ],
        chart: None,
        empty: false,
    });
    let chart_of = |id: &str, title: &str, bars: Vec<Bar>| (charts && bars.iter().any(|b| b.value > 0)).then(|| chart::bars(id, title, &bars, lang));
    let gender_bars = vec![
        Bar { label: x.men.into(), value: men, href: l.members(&[("gender", Gender::Male.code().into())]) },
        Bar { label: x.women.into(), value: women, href: l.members(&[("gender", Gender::Female.code().into())]) },
    ];
    out.push(Section {
        id: "gender",
        title: x.by_gender.into(),
        figures: vec![],
        empty: men + women == 0,
        chart: chart_of("ch-gender", x.by_gender, gender_bars),
    });
    let pyramid = d.age_pyramid();
    let rows: Vec<PyramidRow> = AGE_BANDS
        .iter()
        .zip(&pyramid)
        .map(|(b, (m, w))| PyramidRow {
            label: short_band(*b),
            long_label: band_label(*b, x.age_unit, lang),
            left: *m,
            left_href: l.age(*b, Some(Gender::Male)),
            right: *w,
            right_href: l.age(*b, Some(Gender::Female)),
        })
        .collect();
    let any_age = pyramid.iter().any(|(m, w)| m + w > 0);
    out.push(Section {
        id: "age",
        title: x.by_age.into(),
        figures: vec![],
        empty: !any_age,
        chart: (charts && any_age).then(|| chart::pyramid("ch-age", x.by_age, x.men, x.women, &rows, lang)),
    });
    let party = d.party_age();
    let party_bars: Vec<Bar> =
        PARTY_AGE_BANDS.iter().zip(&party).map(|(b, v)| Bar { label: band_label(*b, x.party_age_unit, lang), value: *v, href: l.party_age(*b) }).collect();
    let year = d.as_of.year();
    out.push(Section {
        id: "party-age",
        title: x.by_party_age.into(),
        figures: [30, 40, 50]
            .into_iter()
            .map(|y| fig(d.party_age_at_least(y), &x.at_least.replace("{n}", &y.to_string()), Some(l.members(&[("admit_to", (year - y).to_string())]))))
            .collect(),
        empty: party.iter().all(|v| *v == 0),
        chart: chart_of("ch-party-age", x.by_party_age, party_bars),
    });
    let breakdown = |dim: &'static str, id: &'static str, title: &'static str, label: &dyn Fn(&str) -> String| {
        let rows = d.breakdown(dim);
        let bars: Vec<Bar> = rows.iter().map(|(code, v)| Bar { label: label(code), value: *v, href: l.members(&[(dim, code.clone())]) }).collect();
        Section { id, title: title.into(), figures: vec![], empty: bars.is_empty(), chart: chart_of(&format!("ch-{id}"), title, bars) }
    };
    let plain = |c: &str| if c.is_empty() { "—".to_owned() } else { c.to_owned() };
    out.push(breakdown("ethnicity", "ethnicity", x.by_ethnicity, &plain));
    out.push(breakdown("religion", "religion", x.by_religion, &plain));
    out.push(breakdown("education", "education", x.by_education, &|c| {
        Education::from_code(c).map(|e| pick(lang, e.label_vi(), e.label_en()).to_owned()).unwrap_or_else(|| c.to_owned())
    }));
    out.push(breakdown("theory", "theory", x.by_theory, &|c| {
        PoliticalTheory::from_code(c).map(|e| pick(lang, e.label_vi(), e.label_en()).to_owned()).unwrap_or_else(|| c.to_owned())
    }));
    let f = &d.flows;
    out.push(Section {
        id: "flows",
        title: format!("{} ({} – {})", x.flows, format_date(f.from), format_date(d.as_of)),
        figures: vec![
            fig(f.admitted, x.admitted, Some(l.flow(Flow::Admitted))),
            fig(f.exited, x.exited, Some(l.flow(Flow::Exited))),
            fig(f.transferred_in, x.transferred_in, Some(l.flow(Flow::TransferredIn))),
            fig(f.transferred_out, x.transferred_out, Some(l.flow(Flow::TransferredOut))),
        ],
        chart: None,
        empty: false,
    });
    let kinds: Vec<Bar> = d
        .orgs_by_kind()
        .into_iter()
        .map(|(k, v)| Bar { label: pick(lang, k.label_vi(), k.label_en()).into(), value: v, href: l.orgs(&format!("kind={}", k.code())) })
        .collect();
    out.push(Section { id: "kind", title: x.orgs_by_kind.into(), figures: vec![], empty: kinds.is_empty(), chart: chart_of("ch-kind", x.orgs_by_kind, kinds) });
    let cats: Vec<Bar> = d
        .orgs_by_category()
        .into_iter()
        .map(|(c, v)| Bar { label: pick(lang, c.label_vi(), c.label_en()).into(), value: v, href: l.orgs(&format!("category={}", c.code())) })
        .collect();
    out.push(Section {
        id: "category",
        title: x.orgs_by_category.into(),
        figures: vec![],
        empty: cats.is_empty(),
        chart: chart_of("ch-category", x.orgs_by_category, cats),
    });
    let small = x.small_cells.replace("{n}", &d.min_official_per_cell.to_string());
    out.push(Section { id: "small", title: small.clone(), figures: vec![fig(d.small_cells(), &small, Some(l.orgs("small=1")))], chart: None, empty: false });
    let points: Vec<Point> = trend
        .iter()
        .enumerate()
        .map(|(i, (day, v))| Point {
            label: if i + 1 == trend.len() && *day != year_end(day.year()) { format!("{}*", day.year()) } else { day.year().to_string() },
            value: *v,
            href: v.map(|_| Links { org: d.org, on: *day }.members(&[])),
        })
        .collect();
    let trend_title = format!("{} ({} {})", x.trend, x.trend_note, format_date(d.as_of));
    out.push(Section {
        id: "trend",
        title: trend_title.clone(),
        figures: if charts {
            vec![]
        } else {
            trend.iter().map(|(day, v)| Fig { value: v.map(n).unwrap_or_default(), label: format_date(*day), href: None }).collect()
        },
        empty: false,
        chart: charts.then(|| chart::columns("ch-trend", &trend_title, &points, lang, x.not_yet)),
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
struct OnQuery {
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

async fn scope_root(staff: Staff) -> AppResult<Response> {
    let root = match staff.scope.root() {
        Some(r) => r,
        None => staff.auth.app.store.root_orgs().await.map_err(|e| staff.auth.err(e))?.first().copied().ok_or(AppError::NotFound(staff.auth.lang))?,
    };
    Ok(Redirect::to(&format!("/orgs/{root}/stats")).into_response())
}

async fn dashboard(staff: Staff, Path(id): Path<i64>, Query(q): Query<OnQuery>) -> AppResult<Response> {
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
    let sections = sections(&d, &trend, lang, true);
    Ok(page(format_date(day), None, sections, d.name).into_response())
}

#[derive(Deserialize, Default)]
struct OrgsQuery {
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
    page: Option<i64>,
}

impl OrgsQuery {
    fn filter(&self) -> OrgFilter {
        OrgFilter {
            kind: OrgKind::from_code(&self.kind),
            category: OrgCategory::from_code(&self.category),
            small_cells: self.small == "1",
            direct: self.direct == "1",
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

async fn orgs(staff: Staff, Path(id): Path<i64>, Query(q): Query<OrgsQuery>) -> AppResult<Response> {
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
    let query = [("on", on.clone()), ("kind", q.kind.clone()), ("category", q.category.clone()), ("small", q.small.clone()), ("direct", q.direct.clone())];
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
struct ExportQuery {
    #[serde(default)]
    org: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    format: String,
}

/// The dashboard in Excel or CSV: every figure in labelled rows under a heading with the
/// organization, the day and the time of export (the report writer of `chibo export`).
async fn export(staff: Staff, Query(q): Query<ExportQuery>) -> AppResult<Response> {
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
    let file = report::dashboard(&d, format, file).map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let name = format!("thong-ke-{}-{}.{}", org.code, day.format("%Y-%m-%d"), format.extension());
    crate::import::download_file(file, &name, format.content_type())
}

/// The organization list behind a figure in Excel or CSV (the list page's own parameters),
/// streamed through a temporary file like the member lists.
async fn export_orgs(staff: Staff, Path(id): Path<i64>, Query(q): Query<OrgsQuery>, Query(f): Query<crate::import::FormatQuery>) -> AppResult<Response> {
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
