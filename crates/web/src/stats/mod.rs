//! Statistics: the dashboard of an organization on a date, the organization lists behind its
//! figures, its exports (`page`), and its API (`api`). Every one of them renders the one model
//! of figures, [`chibo_domain::stats::Figures`].

pub mod api;
mod page;

use crate::error::urlencode;
use crate::i18n::Lang;
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::stats::figures::{ListFilter, ListKind};
use chrono::NaiveDate;

/// The routes of the statistics pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/stats", page::scope_root)
        .get("/orgs/{id}/stats", page::dashboard)
        .get("/orgs/{id}/stats/orgs", page::orgs)
        .get("/orgs/{id}/stats/orgs/export", page::export_orgs)
        .get("/export/dashboard", page::export)
}

/// The texts of the statistics pages, per language (the figures bring their own labels).
pub struct StatsTexts {
    pub title: &'static str,
    pub on: &'static str,
    pub show: &'static str,
    pub date_hint: &'static str,
    pub men: &'static str,
    pub women: &'static str,
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
    pub with_node: &'static str,
    pub bad_date: &'static str,
    pub future_date: &'static str,
    pub no_org_then: &'static str,
}

static VI: StatsTexts = StatsTexts {
    title: "Thống kê",
    on: "Ngày",
    show: "Xem",
    date_hint: "dd/mm/yyyy",
    men: "Nam",
    women: "Nữ",
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
    with_node: "kể cả tổ chức này",
    bad_date: "Ngày «{v}» không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 02/11/2021.",
    future_date: "Ngày {v} chưa đến: chỉ xem được số liệu đến hôm nay ({today}).",
    no_org_then: "Ngày {v} tổ chức này chưa thành lập hoặc đã giải thể.",
};

static EN: StatsTexts = StatsTexts {
    title: "Statistics",
    on: "Date",
    show: "Show",
    date_hint: "dd/mm/yyyy",
    men: "Men",
    women: "Women",
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
    with_node: "this organization included",
    bad_date: "«{v}» is not a date: type dd/mm/yyyy, e.g. 02/11/2021.",
    future_date: "{v} is in the future: figures exist up to today ({today}).",
    no_org_then: "On {v} this organization did not exist.",
};

/// The statistics texts in a language.
pub fn texts(lang: Lang) -> &'static StatsTexts {
    if lang == Lang::Vi { &VI } else { &EN }
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

/// The page of the list behind a figure of `org`'s dashboard.
pub fn list_href(org: i64, list: &ListFilter) -> String {
    match list.list {
        ListKind::Members => format!("/members?org={org}&{}", list.query),
        ListKind::Orgs => format!("/orgs/{org}/stats/orgs?{}", list.query),
        ListKind::Attendance => format!("/orgs/{org}/meetings/attendance?{}", list.query),
    }
}

/// The member list of `org` on a day (the trend's columns).
pub fn members_on(org: i64, on: NaiveDate) -> String {
    format!("/members?org={org}&as_of={}", urlencode(&on.to_string()))
}
