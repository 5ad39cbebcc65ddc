//! The dashboard as one model of figures: ordered sections, each of figures with a stable key
//! (`members.by_age.31_40`), a label in Vietnamese and English, a value, its share of the
//! section's base, and the filter of the member or organization list behind it.
//!
//! Every renderer reads this model: the statistics page, the API's dashboard and rollup, the
//! home page's cards, `chibo stats` (text and JSON) and the exports. A new concept's figures
//! are added here once, in a section of their own, and appear everywhere.

use super::{AGE_BANDS, Band, Dashboard, PARTY_AGE_BANDS, is_cell};
use crate::calendar::format_date;
use crate::error::Lang;
use crate::member::{Education, Gender, PoliticalTheory};
use crate::org::OrgKind;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Every figure of a dashboard of one organization's subtree on a date, in sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// The organization.
    pub id: i64,
    /// Official code.
    pub code: String,
    /// Name on that date.
    pub name: String,
    /// Level (cấp) on that date, as a code.
    pub kind: String,
    /// Category (loại hình) on that date, as a code.
    pub category: String,
    /// The date of the figures.
    pub as_of: NaiveDate,
    /// The minimum of official members per cell in force that day.
    pub min_official_per_cell: u32,
    /// The sections, in the order they are shown.
    pub sections: Vec<Section>,
}

/// A heading and its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// Stable key: `key`, `gender`, `age`, `party_age`, `ethnicity`, `religion`, `education`,
    /// `theory`, `flows`, `orgs_by_kind`, `orgs_by_category`, `small_cells`, `committees`,
    /// `meetings`.
    pub key: String,
    /// Heading in Vietnamese.
    pub label_vi: String,
    /// Heading in English.
    pub label_en: String,
    /// Its figures, in order (breakdowns largest first, empty ones left out).
    pub figures: Vec<Figure>,
}

/// One number of the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    /// Stable key, unique in the dashboard: `members.total`, `members.by_age.up_to_30.female`,
    /// `flows.admitted`, `orgs.by_kind.chi_bo_truc_thuoc`.
    pub key: String,
    /// Label in Vietnamese.
    pub label_vi: String,
    /// Label in English.
    pub label_en: String,
    /// The count.
    pub value: i64,
    /// Its share of the section's base (the members, or the organizations counted), in
    /// percent to one decimal; null where a share means nothing (flows, totals).
    pub share: Option<f64>,
    /// The list behind the figure: as many rows as `value`.
    pub list: Option<ListFilter>,
}

/// Which list shows the people or organizations a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// The member list (page `/members?org=ID&…`, API `/api/v1/members?under=ID&…`).
    Members,
    /// The organization list behind a figure (page `/orgs/ID/stats/orgs?…`).
    Orgs,
    /// The attendance behind a meeting figure (page `/orgs/ID/meetings/attendance?…`): the
    /// attendances of the month's regular meetings, or the members absent repeatedly.
    Attendance,
}

/// The list behind a figure and its filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListFilter {
    /// Members or organizations.
    pub list: ListKind,
    /// The list's query string without the organization (dates as yyyy-mm-dd), e.g.
    /// `as_of=2021-11-02&gender=nu`.
    pub query: String,
}

impl Figures {
    /// The figures of a dashboard.
    pub fn of(d: &Dashboard) -> Figures {
        let b = Builder { d, year: d.as_of.year(), on: d.as_of.to_string(), members: d.members() };
        let sections = vec![
            b.key(),
            b.gender(),
            b.age(),
            b.party_age(),
            b.plain("ethnicity", ("Đảng viên theo dân tộc", "Members by ethnicity")),
            b.plain("religion", ("Đảng viên theo tôn giáo", "Members by religion")),
            b.coded("education", ("Đảng viên theo trình độ chuyên môn", "Members by professional education"), &|c| {
                Education::from_code(c).map(|e| (e.label_vi(), e.label_en()))
            }),
            b.coded("theory", ("Đảng viên theo trình độ lý luận chính trị", "Members by political theory"), &|c| {
                PoliticalTheory::from_code(c).map(|e| (e.label_vi(), e.label_en()))
            }),
            b.flows(),
            b.orgs_by_kind(),
            b.orgs_by_category(),
            b.small_cells(),
            b.committees(),
            b.meetings(),
        ];
        Figures {
            id: d.org,
            code: d.code.clone(),
            name: d.name.clone(),
            kind: d.kind.code().to_owned(),
            category: d.category.code().to_owned(),
            as_of: d.as_of,
            min_official_per_cell: d.min_official_per_cell,
            sections,
        }
    }

    /// The figure of a key.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures().find(|f| f.key == key)
    }

    /// The value of a key (0 for a figure a dashboard leaves out, such as an empty breakdown).
    pub fn value(&self, key: &str) -> i64 {
        self.figure(key).map_or(0, |f| f.value)
    }

    /// Every figure, section after section.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections.iter().flat_map(|s| s.figures.iter())
    }

    /// The section of a key.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }
}

impl Section {
    /// The heading in a language.
    pub fn label(&self, lang: Lang) -> &str {
        if lang == Lang::Vi { &self.label_vi } else { &self.label_en }
    }
}

impl Figure {
    /// The label in a language.
    pub fn label(&self, lang: Lang) -> &str {
        if lang == Lang::Vi { &self.label_vi } else { &self.label_en }
    }
}

/// The key of a band of years: `up_to_30`, `31_40`, `71_plus`.
pub fn band_key(b: Band) -> String {
    match (b.from, b.to) {
        (0, Some(t)) => format!("up_to_{t}"),
        (f, Some(t)) => format!("{f}_{t}"),
        (f, None) => format!("{f}_plus"),
    }
}

/// The key word of a gender.
pub fn gender_key(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

/// The share of `value` in `base`, in percent to one decimal.
fn share(value: i64, base: i64) -> Option<f64> {
    (base > 0).then(|| (value as f64 * 1000.0 / base as f64).round() / 10.0)
}

/// A value for a query string: unreserved characters as they are, the rest percent-encoded.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn query(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// What each section is made from.
struct Builder<'a> {
    d: &'a Dashboard,
    year: i32,
    /// The date, yyyy-mm-dd.
    on: String,
    /// The base of the member sections.
    members: i64,
}

type Texts<'t> = (&'t str, &'t str);

fn section(key: &str, (vi, en): Texts<'_>, figures: Vec<Figure>) -> Section {
    Section { key: key.to_owned(), label_vi: vi.to_owned(), label_en: en.to_owned(), figures }
}

impl Builder<'_> {
    /// A member figure: its list is the member list on the day with `extra`.
    fn member(&self, key: String, (vi, en): Texts<'_>, value: i64, share_of: Option<i64>, extra: &[(&str, String)]) -> Figure {
        let mut pairs = vec![("as_of", self.on.clone())];
        pairs.extend(extra.iter().cloned());
        Figure {
            key,
            label_vi: vi.to_owned(),
            label_en: en.to_owned(),
            value,
            share: share_of.and_then(|b| share(value, b)),
            list: Some(ListFilter { list: ListKind::Members, query: query(&pairs) }),
        }
    }

    /// An organization figure: its list is the organization list on the day with `extra`.
    fn org(&self, key: String, (vi, en): Texts<'_>, value: i64, share_of: Option<i64>, extra: &[(&str, String)]) -> Figure {
        let mut pairs = vec![("on", self.on.clone())];
        pairs.extend(extra.iter().cloned());
        Figure {
            key,
            label_vi: vi.to_owned(),
            label_en: en.to_owned(),
            value,
            share: share_of.and_then(|b| share(value, b)),
            list: Some(ListFilter { list: ListKind::Orgs, query: query(&pairs) }),
        }
    }

    fn kind_count(&self, k: OrgKind) -> i64 {
        self.d.tally.get(&format!("kind:{}", k.code()))
    }

    fn key(&self) -> Section {
        let d = self.d;
        let base = Some(self.members);
        let on = |s: &str| vec![("standing", s.to_owned())];
        let grassroots = self.kind_count(OrgKind::GrassrootsCommittee) + self.kind_count(OrgKind::GrassrootsCell);
        section(
            "key",
            ("Số liệu chính", "Key figures"),
            vec![
                self.member("members.total".into(), ("Đảng viên", "Members"), self.members, None, &[]),
                self.member("members.official".into(), ("Đảng viên chính thức", "Official members"), d.official(), base, &on("official")),
                self.member("members.probationary".into(), ("Đảng viên dự bị", "Probationary members"), d.probationary(), base, &on("probationary")),
                self.member("members.women".into(), ("Đảng viên nữ", "Women"), d.gender(Gender::Female), base, &[("gender", Gender::Female.code().into())]),
                self.member(
                    "members.in_transit".into(),
                    ("Đang chuyển sinh hoạt đi (chưa tính vào tổng số)", "In transit (not in the total)"),
                    d.in_transit(),
                    None,
                    &on("in_transit"),
                ),
                self.org("orgs.direct_children".into(), ("Đơn vị trực thuộc", "Direct sub-organizations"), d.direct_children, None, &[("direct", "1".into())]),
                self.org("orgs.grassroots".into(), ("Tổ chức cơ sở đảng", "Grassroots organizations"), grassroots, None, &[("grassroots", "1".into())]),
                self.org(
                    "orgs.cells_under_grassroots".into(),
                    ("Chi bộ trực thuộc đảng bộ cơ sở", "Cells under grassroots committees"),
                    self.kind_count(OrgKind::Cell),
                    None,
                    &[("kind", OrgKind::Cell.code().into()), ("with_node", "1".into())],
                ),
            ],
        )
    }

    fn gender(&self) -> Section {
        let figures = [Gender::Male, Gender::Female]
            .into_iter()
            .map(|g| {
                let key = format!("members.by_gender.{}", gender_key(g));
                self.member(key, (g.label_vi(), g.label_en()), self.d.gender(g), Some(self.members), &[("gender", g.code().into())])
            })
            .collect();
        section("gender", ("Đảng viên theo giới tính", "Members by gender"), figures)
    }

    /// Each age band: its members, then its men and its women (the pyramid's two sides).
    fn age(&self) -> Section {
        let mut figures = Vec::new();
        for (b, (men, women)) in AGE_BANDS.iter().zip(self.d.age_pyramid()) {
            let (from, to) = b.years_in(self.year);
            let mut years = vec![("birth_to", to.to_string())];
            if let Some(f) = from {
                years.insert(0, ("birth_from", f.to_string()));
            }
            let key = format!("members.by_age.{}", band_key(*b));
            let (vi, en) = (b.label_vi("tuổi"), b.label_en("years"));
            figures.push(self.member(key.clone(), (&vi, &en), men + women, Some(self.members), &years));
            for (g, n) in [(Gender::Male, men), (Gender::Female, women)] {
                let mut extra = years.clone();
                extra.push(("gender", g.code().into()));
                let (gvi, gen_) = (format!("{vi}, {}", g.label_vi().to_lowercase()), format!("{en}, {}", g.label_en().to_lowercase()));
                figures.push(self.member(format!("{key}.{}", gender_key(g)), (&gvi, &gen_), n, Some(self.members), &extra));
            }
        }
        section("age", ("Đảng viên theo tuổi đời", "Members by age"), figures)
    }

    /// The party-age bands, then the milestones of the party-age badges.
    fn party_age(&self) -> Section {
        let base = Some(self.members);
        let mut figures = Vec::new();
        for (b, n) in PARTY_AGE_BANDS.iter().zip(self.d.party_age()) {
            let (from, to) = b.years_in(self.year);
            let mut years = vec![("admit_to", to.to_string())];
            if let Some(f) = from {
                years.insert(0, ("admit_from", f.to_string()));
            }
            let (vi, en) = (b.label_vi("năm"), b.label_en("years"));
            figures.push(self.member(format!("members.by_party_age.{}", band_key(*b)), (&vi, &en), n, base, &years));
        }
        for y in [30, 40, 50] {
            let (vi, en) = (format!("Tuổi Đảng từ {y} năm trở lên"), format!("Party age {y} years and more"));
            let extra = [("admit_to", (self.year - y).to_string())];
            figures.push(self.member(format!("members.party_age_at_least.{y}"), (&vi, &en), self.d.party_age_at_least(y), base, &extra));
        }
        section("party_age", ("Đảng viên theo tuổi Đảng", "Members by party age"), figures)
    }

    /// A breakdown by a value as stored (its label is the value itself).
    fn plain(&self, dim: &str, title: Texts<'_>) -> Section {
        self.coded(dim, title, &|_| None)
    }

    /// A breakdown by a code, labelled by `label` (or by the code when it is none).
    fn coded(&self, dim: &str, title: Texts<'_>, label: &dyn Fn(&str) -> Option<Texts<'static>>) -> Section {
        let figures = self
            .d
            .breakdown(dim)
            .into_iter()
            .map(|(code, n)| {
                let shown = if code.is_empty() { "—" } else { code.as_str() };
                let texts = label(&code).unwrap_or((shown, shown));
                let key = format!("members.by_{dim}.{}", if code.is_empty() { "none" } else { code.as_str() });
                self.member(key, texts, n, Some(self.members), &[(dim, code.clone())])
            })
            .collect();
        section(dim, title, figures)
    }

    fn flows(&self) -> Section {
        let f = &self.d.flows;
        let flow = |key: &str, code: &str, texts: Texts<'_>, value: i64| {
            let pairs = [("flow", code.to_owned()), ("flow_from", f.from.to_string()), ("flow_to", self.on.clone())];
            Figure {
                key: format!("flows.{key}"),
                label_vi: texts.0.to_owned(),
                label_en: texts.1.to_owned(),
                value,
                share: None,
                list: Some(ListFilter { list: ListKind::Members, query: query(&pairs) }),
            }
        };
        let (from, to) = (format_date(f.from), format_date(self.d.as_of));
        let (vi, en) = (format!("Biến động từ {from} đến {to}"), format!("Changes from {from} to {to}"));
        section(
            "flows",
            (&vi, &en),
            vec![
                flow("admitted", "admitted", ("Kết nạp đảng viên mới", "Admitted"), f.admitted),
                flow("exited", "exited", ("Ra khỏi Đảng", "Left the party"), f.exited),
                flow("transferred_in", "transferred_in", ("Chuyển sinh hoạt đến", "Transferred in"), f.transferred_in),
                flow("transferred_out", "transferred_out", ("Chuyển sinh hoạt đi", "Transferred out"), f.transferred_out),
            ],
        )
    }

    fn orgs_by_kind(&self) -> Section {
        let rows = self.d.orgs_by_kind().into_iter().map(|(k, n)| (k.code(), (k.label_vi(), k.label_en()), n)).collect();
        self.orgs_by("kind", ("Tổ chức đảng trực thuộc theo cấp", "Party organizations by level"), rows)
    }

    fn orgs_by_category(&self) -> Section {
        let rows = self.d.orgs_by_category().into_iter().map(|(c, n)| (c.code(), (c.label_vi(), c.label_en()), n)).collect();
        self.orgs_by("category", ("Tổ chức đảng trực thuộc theo loại hình", "Party organizations by category"), rows)
    }

    /// The organizations of the subtree (the node excluded) by a dimension: (code, labels,
    /// count), each a share of their sum.
    fn orgs_by(&self, dim: &str, title: Texts<'_>, rows: Vec<(&str, Texts<'static>, i64)>) -> Section {
        let base = rows.iter().map(|r| r.2).sum();
        let figures = rows.into_iter().map(|(code, texts, n)| self.org(format!("orgs.by_{dim}.{code}"), texts, n, Some(base), &[(dim, code.into())])).collect();
        section(&format!("orgs_by_{dim}"), title, figures)
    }

    /// Committees: the secretaries who are also their village's head, of the residential
    /// cells (nhất thể hoá), and the working regulations, of the organizations with a term.
    fn committees(&self) -> Section {
        let c = self.d.committees;
        let list = |code: &str| [("committee", code.to_owned())];
        section(
            "committees",
            ("Cấp ủy, nhiệm kỳ", "Committees and terms"),
            vec![
                self.org(
                    "committees.residential_cells".into(),
                    ("Chi bộ thôn, khu phố, tổ dân phố", "Village and residential cells"),
                    c.residential_cells,
                    None,
                    &list("residential"),
                ),
                self.org(
                    "committees.secretary_village_heads".into(),
                    ("Bí thư chi bộ đồng thời là trưởng thôn, khu phố", "Secretaries who are also the village head"),
                    c.secretary_village_heads,
                    Some(c.residential_cells),
                    &list("village_head"),
                ),
                self.org(
                    "committees.with_term".into(),
                    ("Tổ chức đảng có cấp ủy nhiệm kỳ hiện tại", "Organizations with a running term"),
                    c.with_term,
                    None,
                    &list("term"),
                ),
                self.org(
                    "committees.with_regulation".into(),
                    ("Có quy chế làm việc của nhiệm kỳ", "With the term's working regulation"),
                    c.with_regulation,
                    Some(c.with_term),
                    &list("regulation"),
                ),
            ],
        )
    }

    /// Meetings: the cells that held their regular meeting this month, met every month this
    /// year, held a thematic meeting this quarter, had the upper committee at a meeting; the
    /// attendance of the month; the members absent without reason repeatedly this year.
    fn meetings(&self) -> Section {
        use crate::meeting::MeetingFigure as F;
        let t = &self.d.tally;
        let get = |f: F| t.get(&f.key());
        let cells: i64 = OrgKind::ALL.iter().filter(|k| is_cell(**k)).map(|k| self.kind_count(*k)).sum();
        let (y, m) = (self.d.as_of.year(), self.d.as_of.month());
        let list = |f: F| [("meeting", f.code().to_owned())];
        let month = format!("{m:02}/{y}");
        let held_vi = format!("Chi bộ đã sinh hoạt thường kỳ tháng {month}");
        let held_en = format!("Cells that held their regular meeting in {month}");
        let (full_vi, full_en) = if m == 1 {
            (format!("Chi bộ sinh hoạt đủ 12 kỳ năm {}", y - 1), format!("Cells that met every month of {}", y - 1))
        } else if m == 2 {
            (format!("Chi bộ đã sinh hoạt kỳ tháng 01/{y}"), format!("Cells that met in January {y}"))
        } else {
            (
                format!("Chi bộ sinh hoạt đủ các kỳ từ tháng 01 đến tháng {:02}/{y}", m - 1),
                format!("Cells that met every month from January to {:02}/{y}", m - 1),
            )
        };
        let q = (m - 1) / 3 + 1;
        let thematic_vi = format!("Chi bộ đã sinh hoạt chuyên đề quý {q}/{y}");
        let thematic_en = format!("Cells with a thematic meeting in quarter {q} of {y}");
        let upper_vi = format!("Chi bộ có cấp ủy viên cấp trên dự sinh hoạt tháng {month}");
        let upper_en = format!("Cells whose meeting the upper committee attended in {month}");
        let (convened, present) = (get(F::Convened), get(F::Present));
        let attendance_vi = format!("Lượt đảng viên dự sinh hoạt thường kỳ tháng {month} (trên {convened} lượt được triệu tập)");
        let attendance_en = format!("Attendances at the regular meetings of {month} (of {convened} convened)");
        let absent_vi = format!("Đảng viên vắng sinh hoạt không lý do nhiều lần trong năm {y}");
        let absent_en = format!("Members absent without reason repeatedly in {y}");
        let attendance = |key: &str, (vi, en): Texts<'_>, value: i64, base: Option<i64>, filter: (&str, &str)| Figure {
            key: key.to_owned(),
            label_vi: vi.to_owned(),
            label_en: en.to_owned(),
            value,
            share: base.and_then(|b| share(value, b)),
            list: Some(ListFilter { list: ListKind::Attendance, query: query(&[("on", self.on.clone()), (filter.0, filter.1.to_owned())]) }),
        };
        section(
            "meetings",
            ("Sinh hoạt chi bộ", "Cell meetings"),
            vec![
                self.org("meetings.held_month".into(), (&held_vi, &held_en), get(F::HeldMonth), Some(cells), &list(F::HeldMonth)),
                self.org("meetings.full_year".into(), (&full_vi, &full_en), get(F::FullYear), Some(cells), &list(F::FullYear)),
                self.org("meetings.thematic_quarter".into(), (&thematic_vi, &thematic_en), get(F::ThematicQuarter), Some(cells), &list(F::ThematicQuarter)),
                self.org("meetings.upper_attended".into(), (&upper_vi, &upper_en), get(F::UpperAttended), Some(get(F::HeldMonth)), &list(F::UpperAttended)),
                attendance("meetings.attendance", (&attendance_vi, &attendance_en), present, Some(convened), ("presence", "attended")),
                attendance("meetings.absent_repeatedly", (&absent_vi, &absent_en), get(F::AbsentRepeatedly), None, ("repeated", "1")),
            ],
        )
    }

    /// Cells short of official members, as a share of the cells (the node included).
    fn small_cells(&self) -> Section {
        let n = self.d.min_official_per_cell;
        let cells: i64 = OrgKind::ALL.iter().filter(|k| is_cell(**k)).map(|k| self.kind_count(*k)).sum();
        let (vi, en) = (format!("Chi bộ có dưới {n} đảng viên chính thức"), format!("Cells with fewer than {n} official members"));
        let figure = self.org("orgs.small_cells".into(), (&vi, &en), self.d.small_cells(), Some(cells), &[("small", "1".into())]);
        section("small_cells", (&vi, &en), vec![figure])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgCategory;
    use crate::stats::Flows;

    /// The categories and kinds a dashboard can name (for tests of labels).
    fn every_code_tally() -> crate::stats::Tally {
        let mut t = crate::stats::Tally::default();
        for k in OrgKind::ALL {
            t.bump(format!("kind:{}", k.code()), 2);
        }
        for c in OrgCategory::ALL {
            t.bump(format!("category:{}", c.code()), 2);
        }
        for e in Education::ALL {
            t.bump(format!("education:{}", e.code()), 1);
        }
        for p in PoliticalTheory::ALL {
            t.bump(format!("theory:{}", p.code()), 1);
        }
        for (k, n) in [
            ("standing:official", 7),
            ("standing:probationary", 2),
            ("standing:in_transit", 1),
            ("birth:nu:1990", 4),
            ("birth:nam:1950", 5),
            ("admit:1970", 3),
            ("admit:2020", 6),
            ("ethnicity:Kinh", 8),
            ("ethnicity:", 1),
            ("religion:Không", 9),
            ("small_cells", 1),
        ] {
            t.bump(k.to_owned(), n);
        }
        t
    }

    fn dashboard() -> Dashboard {
        let as_of = NaiveDate::from_ymd_opt(2025, 11, 2).unwrap();
        Dashboard {
            org: 3,
            code: "22".into(),
            name: "Đảng bộ tỉnh Quảng Ninh".into(),
            kind: OrgKind::Province,
            category: OrgCategory::Other,
            as_of,
            tally: every_code_tally(),
            flows: Flows { from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), admitted: 2, exited: 1, transferred_in: 0, transferred_out: 3 },
            direct_children: 4,
            min_official_per_cell: 3,
            committees: crate::stats::CommitteeCounts { residential_cells: 4, secretary_village_heads: 4, with_term: 6, with_regulation: 5 },
        }
    }

    #[test]
    fn every_figure_has_both_labels_a_list_and_a_unique_key() {
        let f = Figures::of(&dashboard());
        let mut keys = std::collections::HashSet::new();
        for s in &f.sections {
            assert!(!s.label_vi.is_empty() && !s.label_en.is_empty(), "section {}", s.key);
            for fig in &s.figures {
                assert!(!fig.label_vi.trim().is_empty() && !fig.label_en.trim().is_empty(), "{}", fig.key);
                assert!(fig.list.is_some(), "{} has a list behind it", fig.key);
                assert!(keys.insert(fig.key.clone()), "{} twice", fig.key);
            }
        }
        let sections: Vec<&str> = f.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            sections,
            [
                "key",
                "gender",
                "age",
                "party_age",
                "ethnicity",
                "religion",
                "education",
                "theory",
                "flows",
                "orgs_by_kind",
                "orgs_by_category",
                "small_cells",
                "committees",
                "meetings"
            ]
        );
        // Every code of the coded breakdowns reads as its label in both languages.
        let ed = f.section("education").unwrap();
        assert_eq!(ed.figures.len(), Education::ALL.len());
        assert!(ed.figures.iter().all(|x| Education::ALL.iter().any(|e| e.label_vi() == x.label_vi && e.label_en() == x.label_en)));
    }

    #[test]
    fn figures_read_the_dashboard_with_their_shares_and_lists() {
        let d = dashboard();
        let f = Figures::of(&d);
        assert_eq!(f.value("members.total"), 9);
        assert_eq!(f.value("members.official"), d.official());
        assert_eq!(f.figure("members.official").unwrap().share, Some(77.8));
        assert_eq!(f.value("members.by_gender.female"), 4);
        // 1990 → 35 years old in 2025: the 31–40 band, and its women.
        let band = f.figure("members.by_age.31_40.female").unwrap();
        assert_eq!(band.value, 4);
        assert_eq!(band.list.as_ref().unwrap().query, "as_of=2025-11-02&birth_from=1985&birth_to=1994&gender=nu");
        assert_eq!(f.value("members.by_age.71_plus"), 5);
        assert_eq!(f.value("members.party_age_at_least.50"), 3);
        assert_eq!(f.value("members.by_ethnicity.Kinh"), 8);
        assert_eq!(f.figure("members.by_religion.Không").unwrap().list.as_ref().unwrap().query, "as_of=2025-11-02&religion=Kh%C3%B4ng");
        assert_eq!(f.figure("members.by_ethnicity.none").unwrap().label_vi, "—");
        let admitted = f.figure("flows.admitted").unwrap();
        assert_eq!((admitted.value, admitted.share), (2, None));
        assert_eq!(admitted.list.as_ref().unwrap().query, "flow=admitted&flow_from=2025-01-01&flow_to=2025-11-02");
        // The node (a province) is not among its own organizations by level; it is by rollup.
        assert_eq!(f.value("orgs.by_kind.tinh"), 1);
        assert_eq!(f.value("orgs.grassroots"), 4);
        let cells = f.figure("orgs.cells_under_grassroots").unwrap();
        assert_eq!((cells.value, cells.list.as_ref().unwrap().list), (2, ListKind::Orgs));
        assert_eq!(cells.list.as_ref().unwrap().query, "on=2025-11-02&kind=chi_bo_truc_thuoc&with_node=1");
        assert_eq!(f.figure("orgs.small_cells").unwrap().share, Some(25.0));
        assert_eq!(f.section("small_cells").unwrap().label_vi, "Chi bộ có dưới 3 đảng viên chính thức");
    }
}
