//! A member's coming meetings ("Lịch sinh hoạt sắp tới"): the notified meetings of their
//! cell from today on, on the member page and on the member's own page alike.

use crate::i18n::Lang;
use chibo_store::meeting::Notice;

/// A coming meeting as the member page shows it.
pub struct NoticeLine {
    /// The meeting's page, for staff (a member cannot open it).
    pub link: Option<String>,
    /// "Sinh hoạt thường kỳ ngày 04/01/2027, 19:30".
    pub title: String,
    /// Place, topic and documents.
    pub details: Vec<String>,
}

/// The coming meetings of a member.
pub struct Notices {
    /// "Lịch sinh hoạt sắp tới".
    pub title: &'static str,
    /// What shows when there is none.
    pub none: &'static str,
    /// Each meeting.
    pub lines: Vec<NoticeLine>,
}

/// The lines of a member's notices; `staff` links each to its meeting.
pub fn notices(list: &[Notice], lang: Lang, staff: bool) -> Notices {
    let lines = list
        .iter()
        .map(|n| {
            let m = &n.meeting;
            let mut details = vec![n.org_name.clone()];
            details.extend(m.place.iter().map(|p| format!("{}: {p}", crate::view::pick(lang, "Địa điểm", "Place"))));
            details.extend(m.topic.iter().map(|t| format!("{}: {t}", crate::view::pick(lang, "Chủ đề", "Topic"))));
            details.extend(m.documents.iter().map(|d| format!("{}: {d}", crate::view::pick(lang, "Tài liệu cần đọc", "To read"))));
            NoticeLine {
                link: staff.then(|| format!("/meetings/{}", m.id)),
                title: format!(
                    "{}{}",
                    super::page::meeting_title(lang, m.kind, m.held_on),
                    m.starts_at.as_deref().map(|t| format!(", {t}")).unwrap_or_default()
                ),
                details,
            }
        })
        .collect();
    Notices {
        title: crate::view::pick(lang, "Lịch sinh hoạt sắp tới", "Coming meetings"),
        none: crate::view::pick(lang, "Chưa có thông báo sinh hoạt nào.", "No meeting notified."),
        lines,
    }
}
