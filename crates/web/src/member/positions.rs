//! A member's positions in the party on their page: the seats they hold and held (in their
//! cell or on a committee above it), each with its term, dates, how it was obtained and why it
//! ended, the duties of each seat, and their concurrent posts outside the party. Staff and the
//! member themself see the same lines, read from `Scoped::member_positions` and
//! `OwnRecord::positions`.

use crate::i18n::Lang;
use crate::view::pick;
use chibo_domain::calendar::format_date;
use chibo_domain::committee::{Duty, Post, PostKind, SeatEnd};
use chibo_store::committee::{MemberPositions, MemberSeat};
use chrono::NaiveDate;

/// One seat on the member's page.
pub(super) struct SeatLine {
    pub title: String,
    /// The organization with its parent ("Chi bộ khu phố 3, Đảng bộ phường Cửa Ông").
    pub org: String,
    /// Its committee as it stood on the seat's last day held, where the reader may open it.
    pub link: Option<String>,
    pub term: String,
    pub dates: String,
    pub basis: &'static str,
    pub decision: String,
    /// "Đang giữ chức", or why it ended.
    pub state: String,
    pub current: bool,
    pub duties: Vec<String>,
}

/// The section "Chức vụ trong Đảng".
#[derive(Default)]
pub(super) struct Positions {
    pub seats: Vec<SeatLine>,
    pub posts: Vec<String>,
}

impl Positions {
    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.seats.is_empty() && self.posts.is_empty()
    }
}

fn period(from: NaiveDate, until: Option<NaiveDate>, lang: Lang) -> String {
    match until {
        Some(u) => format!("{} – {}", format_date(from), format_date(u)),
        None => format!("{} {}", pick(lang, "từ", "since"), format_date(from)),
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Why a seat ended: by hand (its recorded reason) or by its holder's life, whichever came
/// first.
fn ended_because(s: &MemberSeat, lang: Lang) -> String {
    let seat = &s.seat;
    let by_hand = match (seat.until, seat.left) {
        (Some(u), Some(l)) => u <= l.on,
        (until, _) => until.is_some(),
    };
    match (by_hand, seat.end, seat.left) {
        (true, Some(e), _) => pick(lang, e.label_vi(), e.label_en()).to_owned(),
        (true, None, _) => pick(lang, SeatEnd::Other.label_vi(), SeatEnd::Other.label_en()).to_owned(),
        (false, _, Some(l)) if lang == Lang::Vi => capitalized(&l.reason_vi()),
        (false, _, Some(l)) => match l.status {
            Some(st) => format!("Left the seat: {}", st.label_en().to_lowercase()),
            None => "Left the seat on moving out of the organization".to_owned(),
        },
        (false, _, None) => String::new(),
    }
}

fn duty_line(d: &Duty, lang: Lang) -> String {
    let mut t = pick(lang, d.field.label_vi(), d.field.label_en()).to_owned();
    if !d.in_charge_names.is_empty() {
        t.push_str(&format!(" · {} {}", pick(lang, "phụ trách", "in charge of"), d.in_charge_names.join(", ")));
    }
    if !d.text.is_empty() {
        t.push_str(&format!(" · {}", d.text));
    }
    t.push_str(&format!(" · {}", period(d.from, d.until, lang)));
    t
}

fn post_line(p: &Post, lang: Lang) -> String {
    let what = match lang {
        Lang::Vi => p.title_vi(),
        _ if p.kind == PostKind::Other => p.place.clone(),
        _ => format!("{}, {}", p.kind.label_en(), p.place),
    };
    format!("{what} {}", period(p.from, p.until, lang))
}

/// The section's lines: seats held first, then those that ended, newest first in each;
/// `linkable` says whether the reader may open an organization's committee.
pub(super) fn positions(p: &MemberPositions, today: NaiveDate, lang: Lang, linkable: impl Fn(i64) -> bool) -> Positions {
    let mut seats: Vec<SeatLine> = p
        .seats
        .iter()
        .map(|s| {
            let seat = &s.seat;
            let ends = seat.ends_on();
            let current = ends.is_none_or(|e| today < e);
            let state = match (current, seat.from > today) {
                (true, true) => pick(lang, "Chưa đến ngày nhận chức", "Not started yet").to_owned(),
                (true, false) => pick(lang, "Đang giữ chức", "Holds it").to_owned(),
                (false, _) => ended_because(s, lang),
            };
            let last_day = ends.and_then(|e| e.pred_opt()).unwrap_or(today).max(seat.from);
            SeatLine {
                title: if lang == Lang::Vi { seat.position.title_vi(s.org_kind).to_owned() } else { seat.position.label_en().to_owned() },
                org: match &s.parent_name {
                    Some(parent) => format!("{}, {parent}", s.org_name),
                    None => s.org_name.clone(),
                },
                link: linkable(s.org_id).then(|| format!("/orgs/{}/committee?on={}", s.org_id, format_date(last_day))),
                term: s.term_label.clone(),
                dates: period(seat.from, ends, lang),
                basis: pick(lang, seat.basis.label_vi(), seat.basis.label_en()),
                decision: seat.decision_no.as_ref().map(|n| format!("{} {n}", pick(lang, "Quyết định số", "Decision no."))).unwrap_or_default(),
                state,
                current,
                duties: p.duties.iter().filter(|d| d.seat_id == seat.id).map(|d| duty_line(d, lang)).collect(),
            }
        })
        .collect();
    // Stable: the store's newest-first order stays within each group.
    seats.sort_by_key(|s| !s.current);
    Positions { seats, posts: p.posts.iter().map(|x| post_line(x, lang)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chibo_domain::committee::{Left, Position, Seat, SeatBasis};
    use chibo_domain::member::MemberStatus;
    use chibo_domain::org::OrgKind;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn seat(id: i64, position: Position, from: NaiveDate, until: Option<NaiveDate>, end: Option<SeatEnd>, left: Option<Left>) -> MemberSeat {
        MemberSeat {
            seat: Seat {
                id,
                term_id: 1,
                member_id: 1,
                full_name: "Nguyễn Văn Thành".into(),
                position,
                basis: SeatBasis::Elected,
                from,
                until,
                end,
                decision_no: None,
                approved_on: None,
                approval_no: None,
                note: None,
                left,
                version: 1,
            },
            org_id: 7,
            org_name: "Chi bộ khu phố 3".into(),
            org_kind: OrgKind::Cell,
            parent_name: Some("Đảng bộ phường Cửa Ông".into()),
            term_label: "Nhiệm kỳ 2020 – 2025".into(),
        }
    }

    #[test]
    fn seats_held_come_first_and_an_ended_seat_says_why() {
        let moved = Left { on: d(2023, 3, 1), status: Some(MemberStatus::InTransit) };
        let p = MemberPositions {
            seats: vec![
                seat(3, Position::Secretary, d(2020, 9, 1), None, None, Some(moved)),
                seat(2, Position::Member, d(2015, 9, 1), Some(d(2020, 9, 1)), Some(SeatEnd::TermEnded), None),
                seat(1, Position::Deputy, d(2010, 9, 1), None, None, None),
            ],
            posts: vec![],
            duties: vec![],
        };
        let lines = positions(&p, d(2024, 1, 1), Lang::Vi, |_| false);
        let shown: Vec<_> = lines.seats.iter().map(|s| (s.title.as_str(), s.dates.as_str(), s.state.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("Phó bí thư", "từ 01/09/2010", "Đang giữ chức"),
                ("Bí thư", "01/09/2020 – 01/03/2023", "Thôi giữ chức do đang chuyển sinh hoạt"),
                ("Chi ủy viên", "01/09/2015 – 01/09/2020", "Hết nhiệm kỳ"),
            ]
        );
        assert_eq!(lines.seats[0].org, "Chi bộ khu phố 3, Đảng bộ phường Cửa Ông");
        assert!(lines.seats[0].link.is_none());
        // Where the reader may open the committee: as it stood on the seat's last day.
        let linked = positions(&p, d(2024, 1, 1), Lang::Vi, |_| true);
        assert_eq!(linked.seats[1].link.as_deref(), Some("/orgs/7/committee?on=28/02/2023"));
    }
}
