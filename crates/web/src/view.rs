//! Small helpers shared by the page modules: dates, labels in the user's language, paging and
//! query strings. Templates receive display-ready strings built here, so they stay simple.

use crate::error::urlencode;
use crate::i18n::Lang;
use chibo_domain::member::MemberStatus;
use chrono::NaiveDate;

/// A date as dd/mm/yyyy, or empty.
pub fn date(d: Option<NaiveDate>) -> String {
    d.map(chibo_domain::calendar::format_date).unwrap_or_default()
}

/// A number with Vietnamese (or English) thousands separators: 104.700 / 104,700.
pub fn number(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::Vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A label in the user's language from a (Vietnamese, English) pair.
pub fn pick(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Vi { vi } else { en }
}

/// The CSS class of a status badge (the text says the status; the class only adds a border
/// style, so nothing depends on colour).
pub fn status_class(s: MemberStatus) -> &'static str {
    match s {
        MemberStatus::Official => "official",
        MemberStatus::Probationary => "probationary",
        MemberStatus::Candidate => "candidate",
        MemberStatus::Exempt | MemberStatus::Suspended => "warn",
        _ => "inactive",
    }
}

/// Paging links of a list.
pub struct Pager {
    /// Current page, from 1.
    pub page: i64,
    /// Number of pages (at least 1).
    pub pages: i64,
    /// Rows in all pages.
    pub total: i64,
    /// Link to the previous page, if any.
    pub prev: Option<String>,
    /// Link to the next page, if any.
    pub next: Option<String>,
}

impl Pager {
    /// Paging of `total` rows, `per_page` a page, at `page`; links are `base` plus the query
    /// pairs plus `page=N`.
    pub fn new(base: &str, query: &[(&str, String)], page: i64, per_page: i64, total: i64) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = page.clamp(1, pages);
        let link = |p: i64| {
            let mut q: Vec<String> = query.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
            q.push(format!("page={p}"));
            format!("{base}?{}", q.join("&"))
        };
        Pager { page, pages, total, prev: (page > 1).then(|| link(page - 1)), next: (page < pages).then(|| link(page + 1)) }
    }

    /// The same paging under another query parameter than `page` (two paged lists on one
    /// page).
    pub fn with_param(mut self, name: &str) -> Pager {
        let fix = |l: String| match l.rfind("page=") {
            Some(i) => format!("{}{name}={}", &l[..i], &l[i + 5..]),
            None => l,
        };
        self.prev = self.prev.map(fix);
        self.next = self.next.map(fix);
        self
    }

    /// Offset of the first row of the page.
    pub fn offset(page: i64, per_page: i64) -> i64 {
        (page.max(1) - 1) * per_page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_the_languages_separators() {
        assert_eq!(number(104_700, Lang::Vi), "104.700");
        assert_eq!(number(5_600_045, Lang::En), "5,600,045");
        assert_eq!(number(17, Lang::Vi), "17");
    }

    #[test]
    fn pager_links_keep_the_filters_and_stop_at_the_ends() {
        let p = Pager::new("/members", &[("q", "nguyễn văn".into()), ("status", String::new())], 1, 25, 60);
        assert_eq!((p.page, p.pages), (1, 3));
        assert!(p.prev.is_none());
        assert_eq!(p.next.as_deref(), Some("/members?q=nguy%E1%BB%85n%20v%C4%83n&page=2"));
        let last = Pager::new("/members", &[], 9, 25, 60);
        assert_eq!(last.page, 3);
        assert!(last.next.is_none());
        assert_eq!(Pager::new("/x", &[], 1, 25, 0).pages, 1);
        // A second paged list on the same page keeps the first one's position.
        let kids = Pager::new("/orgs/7", &[("page", "3".into())], 2, 50, 120).with_param("kids");
        assert_eq!(kids.next.as_deref(), Some("/orgs/7?page=3&kids=3"));
        assert_eq!(kids.prev.as_deref(), Some("/orgs/7?page=3&kids=1"));
    }
}
