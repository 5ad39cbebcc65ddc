//! `chibo meeting`: an organization's meetings in the month of a date, for an operator at a
//! terminal: each meeting's day, kind, state, attendance and resolution, then the month's
//! figure of its cells that met. In Vietnamese, or as JSON (the store's lines, which the
//! meeting list page and the API's `/orgs/{id}/meetings` render).

use anyhow::Result;
use chibo_domain::calendar::format_date;
use chibo_store::Store;
use chibo_store::meeting::{MeetingFilter, MeetingLine};
use chibo_store::org::Org;
use chrono::{Datelike, NaiveDate};

/// The meetings of `org`'s subtree in the month of `on`, oldest first.
pub async fn read(store: &Store, org: &Org, on: NaiveDate) -> Result<Vec<MeetingLine>> {
    let s = store.operator("cli");
    let from = on.with_day(1).unwrap_or(on);
    let to = (from + chrono::Months::new(1)).pred_opt().unwrap_or(on);
    let f = MeetingFilter { from: Some(from), to: Some(to), kind: None, only_org: false };
    let mut lines = Vec::new();
    loop {
        let page = s.meetings(org.id, &f, lines.len() as i64, 500).await?;
        let done = page.items.len() < 500;
        lines.extend(page.items);
        if done {
            break;
        }
    }
    lines.reverse();
    Ok(lines)
}

/// The meetings in Vietnamese.
pub fn text(org: &Org, on: NaiveDate, lines: &[MeetingLine]) -> String {
    use std::fmt::Write;
    let mut s = format!("Sinh hoạt của {} ({}) — tháng {:02}/{}\n", org.name, org.code, on.month(), on.year());
    if lines.is_empty() {
        s.push_str("Không có cuộc họp nào trong tháng.\n");
    }
    for l in lines {
        let m = &l.meeting;
        let _ = write!(s, "  {} {} — {} — {}", format_date(m.held_on), l.org_name, m.kind.label_vi(), m.state.label_vi());
        if l.convened > 0 {
            let _ = write!(s, " — có mặt {}/{}, vắng có lý do {}, vắng không lý do {}", l.present, l.convened, l.excused, l.absent);
        }
        if let Some(n) = &m.resolution_no {
            let _ = write!(s, " — nghị quyết số {n}");
        }
        s.push('\n');
    }
    s
}
