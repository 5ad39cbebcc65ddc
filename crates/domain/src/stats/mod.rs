//! Statistics as data: the dimensions a dashboard breaks members down by, the reporting bands,
//! and the *facts* from which any figure of any subtree on any day is a prefix sum.
//!
//! A fact is a signed count at a path on a day: +1 where a member (or an organization, or a
//! cell short of official members) starts to count at a place of the tree, −1 where it stops.
//! Everything counted on day D under a node whose subtree is the path range R is the sum of
//! the facts with `day <= D` and `path` in R: an interval that ended before D gives +1 and −1
//! under the same path, which cancel. Tree changes need nothing special: an interval is cut
//! where its cell's path changes, so each piece carries the path it had.

mod dashboard;
pub mod figures;

pub use dashboard::{CommitteeCounts, Dashboard, Flows, OrgStats};
pub use figures::Figures;

use crate::member::{Education, Gender, MemberSpan, MemberStatus, PoliticalTheory};
use crate::org::{OrgCategory, OrgId, OrgKind};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// How a member counted on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    /// Đảng viên chính thức (incl. exempt or suspended after recognition).
    Official,
    /// Đảng viên dự bị (incl. exempt or suspended before recognition).
    Probationary,
    /// Letter issued, not accepted yet: counted under the sending cell, not among its members.
    InTransit,
}

impl Standing {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Official => "official",
            Standing::Probationary => "probationary",
            Standing::InTransit => "in_transit",
        }
    }
    /// From a stored code.
    pub fn from_code(s: &str) -> Option<Standing> {
        [Standing::Official, Standing::Probationary, Standing::InTransit].into_iter().find(|x| x.code() == s)
    }
    /// The standing of a member in `status` on `day`, given their party dates; None when the
    /// status is not counted at all (candidate, or out of the party).
    pub fn of(status: MemberStatus, day: NaiveDate, admitted_on: Option<NaiveDate>, official_on: Option<NaiveDate>) -> Option<Standing> {
        match status {
            MemberStatus::Official => Some(Standing::Official),
            MemberStatus::Probationary => Some(Standing::Probationary),
            MemberStatus::InTransit => Some(Standing::InTransit),
            MemberStatus::Exempt | MemberStatus::Suspended => {
                // Registered from paper records without dates: counted official.
                let probationary = admitted_on.is_some() && official_on.is_none_or(|o| o > day);
                Some(if probationary { Standing::Probationary } else { Standing::Official })
            }
            _ => None,
        }
    }
}

/// Why a fact starts or ends a count (for the year's flows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// Nothing to count as a flow.
    None,
    /// Kết nạp: the first day of membership, on the admission date.
    Admission,
    /// Ra khỏi Đảng for any reason (died, left, struck off, expelled, transferred out of the
    /// system): the day membership ended.
    Exit,
}

impl Cause {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Cause::None => "",
            Cause::Admission => "admission",
            Cause::Exit => "exit",
        }
    }
    /// From a stored code.
    pub fn from_code(s: &str) -> Cause {
        match s {
            "admission" => Cause::Admission,
            "exit" => Cause::Exit,
            _ => Cause::None,
        }
    }
}

/// The fixed attributes of a member a fact carries (their current profile).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberAttrs {
    /// Giới tính.
    pub gender: Gender,
    /// Năm sinh.
    pub birth_year: i32,
    /// Năm vào Đảng (party age is counted by year, as in the statistical forms).
    pub admit_year: Option<i32>,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Trình độ chuyên môn.
    pub education: Education,
    /// Lý luận chính trị.
    pub theory: PoliticalTheory,
}

/// What a fact counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A member, with their standing in that interval.
    Member {
        /// The member's id.
        member: i64,
        /// How they count.
        standing: Standing,
        /// Their attributes.
        attrs: MemberAttrs,
        /// A flow the fact marks.
        cause: Cause,
    },
    /// An organization of the tree.
    Org {
        /// Level.
        kind: OrgKind,
        /// Category.
        category: OrgCategory,
    },
    /// A cell with fewer official members than the rules require.
    SmallCell,
    /// An organization counted by a committee figure.
    Committee(crate::committee::CommitteeList),
    /// A figure of a cell's meetings (its delta may weigh more than one: members convened).
    Meeting(crate::meeting::MeetingFigure),
}

/// A signed count at a path on a day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fact {
    /// The organization the fact is about (a member's cell, or the organization itself).
    pub org: OrgId,
    /// Its path in the tree during the interval.
    pub path: String,
    /// The day the count changes.
    pub day: NaiveDate,
    /// +1 or −1 (a meeting figure's weight: the members convened or present).
    pub delta: i32,
    /// What is counted.
    pub subject: Subject,
}

/// The keys a member moves (their standing aside).
fn member_keys(a: &MemberAttrs) -> Vec<String> {
    // '|' separates keys where they are stored; free text must not contain it.
    let clean = |s: &str| s.replace('|', "/");
    let mut keys = vec![format!("birth:{}:{}", a.gender.code(), a.birth_year)];
    if let Some(y) = a.admit_year {
        keys.push(format!("admit:{y}"));
    }
    keys.push(format!("ethnicity:{}", clean(&a.ethnicity)));
    keys.push(format!("religion:{}", clean(&a.religion)));
    keys.push(format!("education:{}", a.education.code()));
    keys.push(format!("theory:{}", a.theory.code()));
    keys
}

impl Fact {
    /// The tally keys the fact moves by its delta, '|'-separated, and the flow key it counts
    /// once, if any.
    pub fn keys(&self) -> (String, Option<&'static str>) {
        match &self.subject {
            Subject::Member { standing, attrs, cause, .. } => {
                let mut keys = vec![format!("standing:{}", standing.code())];
                if *standing != Standing::InTransit {
                    keys.extend(member_keys(attrs));
                }
                let flow = match cause {
                    Cause::None => None,
                    Cause::Admission => Some("flow:admission"),
                    Cause::Exit => Some("flow:exit"),
                };
                (keys.join("|"), flow)
            }
            Subject::Org { kind, category } => (format!("kind:{}|category:{}", kind.code(), category.code()), None),
            Subject::SmallCell => ("small_cells".to_owned(), None),
            Subject::Committee(l) => (l.key().to_owned(), None),
            Subject::Meeting(f) => (f.key(), None),
        }
    }
}

/// An interval in which an organization had one path (and kind and category).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSpan {
    /// First day.
    pub from: NaiveDate,
    /// First day after.
    pub until: NaiveDate,
    /// The path.
    pub path: String,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
}

/// The open end of spans, as stored.
pub fn open_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn exit_status(s: MemberStatus) -> bool {
    matches!(s, MemberStatus::TransferredOut | MemberStatus::StruckOff | MemberStatus::Expelled | MemberStatus::Left | MemberStatus::Deceased)
}

/// The facts of one member: their spans cut by the paths their cells had and by the day they
/// were recognized (an exempt member may be recognized during the exemption). `paths` gives
/// each cell's path spans; a span whose cell has no path that day counts nowhere.
pub fn member_facts(
    member: i64,
    attrs: &MemberAttrs,
    admitted_on: Option<NaiveDate>,
    official_on: Option<NaiveDate>,
    spans: &[MemberSpan],
    paths: &dyn Fn(OrgId) -> Vec<PathSpan>,
) -> Vec<Fact> {
    let end = open_end();
    let mut out = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        if Standing::of(s.status, s.from, admitted_on, official_on).is_none() {
            continue;
        }
        // Pieces of the span with one standing.
        let mut cuts = vec![s.from, s.until];
        if let Some(o) = official_on.filter(|o| *o > s.from && *o < s.until) {
            cuts.insert(1, o);
        }
        let prev_counted = i > 0 && spans[i - 1].until == s.from && Standing::of(spans[i - 1].status, spans[i - 1].from, admitted_on, official_on).is_some();
        let next = spans.get(i + 1).filter(|n| n.from == s.until);
        let exits = s.until != end && next.is_none_or(|n| exit_status(n.status));
        let admission = !prev_counted && Some(s.from) == admitted_on;
        for w in cuts.windows(2) {
            let (from, until) = (w[0], w[1]);
            let Some(standing) = Standing::of(s.status, from, admitted_on, official_on) else { continue };
            for p in paths(s.cell) {
                let (a, b) = (from.max(p.from), until.min(p.until));
                if a >= b {
                    continue;
                }
                let subject = |cause| Subject::Member { member, standing, attrs: attrs.clone(), cause };
                let start_cause = if admission && a == s.from { Cause::Admission } else { Cause::None };
                out.push(Fact { org: s.cell, path: p.path.clone(), day: a, delta: 1, subject: subject(start_cause) });
                if b != end {
                    let end_cause = if exits && b == s.until { Cause::Exit } else { Cause::None };
                    out.push(Fact { org: s.cell, path: p.path.clone(), day: b, delta: -1, subject: subject(end_cause) });
                }
            }
        }
    }
    out
}

/// The facts of an organization: one interval per path span.
pub fn org_facts(org: OrgId, spans: &[PathSpan]) -> Vec<Fact> {
    let mut out = Vec::new();
    for p in spans {
        let subject = Subject::Org { kind: p.kind, category: p.category };
        out.push(Fact { org, path: p.path.clone(), day: p.from, delta: 1, subject: subject.clone() });
        if p.until != open_end() {
            out.push(Fact { org, path: p.path.clone(), day: p.until, delta: -1, subject });
        }
    }
    out
}

/// Whether an organization of this kind is a cell (chi bộ) whose official members are counted
/// against the minimum.
pub fn is_cell(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::Cell | OrgKind::GrassrootsCell)
}

/// The facts of a cell short of official members: the intervals in which it existed as a cell
/// with fewer official members than the minimum in force. `official` are the changes of its
/// official count (day, ±n), `minimum` the days the minimum changed (day, value), in any order.
pub fn small_cell_facts(cell: OrgId, spans: &[PathSpan], official: &[(NaiveDate, i64)], minimum: &[(NaiveDate, u32)]) -> Vec<Fact> {
    let end = open_end();
    let mut days: Vec<NaiveDate> =
        spans.iter().flat_map(|s| [s.from, s.until]).chain(official.iter().map(|o| o.0)).chain(minimum.iter().map(|m| m.0)).collect();
    days.sort();
    days.dedup();
    let mut official = official.to_vec();
    official.sort();
    let mut minimum = minimum.to_vec();
    minimum.sort();
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    let (mut n, mut oi) = (0i64, 0usize);
    for day in days {
        while oi < official.len() && official[oi].0 <= day {
            n += official[oi].1;
            oi += 1;
        }
        let min = minimum.iter().rev().find(|m| m.0 <= day).or(minimum.first()).map_or(0, |m| i64::from(m.1));
        let here = spans.iter().find(|s| s.from <= day && day < s.until && is_cell(s.kind)).map(|s| s.path.clone());
        let now = here.filter(|_| n < min);
        if now != open {
            if let Some(p) = open.take() {
                out.push(Fact { org: cell, path: p, day, delta: -1, subject: Subject::SmallCell });
            }
            if let Some(p) = now.clone().filter(|_| day != end) {
                out.push(Fact { org: cell, path: p, day, delta: 1, subject: Subject::SmallCell });
            }
            open = now;
        }
    }
    out
}

/// The facts of an organization's committee figures: being a residential cell (from its path
/// spans) and the days of `days` (see [`crate::committee::counted_days`]), each cut by the
/// paths it had; the secretaries who are village heads count only while it is residential.
pub fn committee_facts(org: OrgId, spans: &[PathSpan], days: &crate::committee::CountedDays) -> Vec<Fact> {
    use crate::committee::CommitteeList;
    let end = open_end();
    let residential = |p: &PathSpan| is_cell(p.kind) && p.category == OrgCategory::Residential;
    let mut out = Vec::new();
    let mut push = |list: CommitteeList, p: &PathSpan, (a, b): (NaiveDate, NaiveDate)| {
        let (a, b) = (a.max(p.from), b.min(p.until));
        if a < b {
            out.push(Fact { org, path: p.path.clone(), day: a, delta: 1, subject: Subject::Committee(list) });
            if b != end {
                out.push(Fact { org, path: p.path.clone(), day: b, delta: -1, subject: Subject::Committee(list) });
            }
        }
    };
    for p in spans {
        if residential(p) {
            push(CommitteeList::Residential, p, (p.from, p.until));
            for d in &days.village_head {
                push(CommitteeList::VillageHead, p, *d);
            }
        }
        for d in &days.term {
            push(CommitteeList::Term, p, *d);
        }
        for d in &days.regulation {
            push(CommitteeList::Regulation, p, *d);
        }
    }
    out
}

/// The facts of a cell's meeting figures: each of `days`' intervals (see
/// [`crate::meeting::counted_days`]) cut by the paths the cell had, counted while it holds
/// members, with the interval's weight as its delta.
pub fn meeting_facts(org: OrgId, spans: &[PathSpan], days: &crate::meeting::MeetingDays) -> Vec<Fact> {
    let end = open_end();
    let mut out = Vec::new();
    for p in spans.iter().filter(|p| p.kind.holds_members()) {
        for &(figure, a, b, weight) in &days.spans {
            let (a, b) = (a.max(p.from), b.min(p.until));
            if a < b && weight != 0 {
                out.push(Fact { org, path: p.path.clone(), day: a, delta: weight, subject: Subject::Meeting(figure) });
                if b != end {
                    out.push(Fact { org, path: p.path.clone(), day: b, delta: -weight, subject: Subject::Meeting(figure) });
                }
            }
        }
    }
    out
}

/// Counts by key: what a sum of facts gives, and what dashboards are read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally(pub BTreeMap<String, i64>);

impl Tally {
    /// Adds a fact: each key it touches moves by its delta (flows count once, whatever the sign).
    pub fn add(&mut self, f: &Fact) {
        let (keys, flow) = f.keys();
        self.add_keys(&keys, i64::from(f.delta), flow, 1);
    }

    /// Adds `n` to each of the '|'-separated keys (as [`Fact::keys`] writes them), and `count`
    /// to the flow key if there is one.
    pub fn add_keys(&mut self, keys: &str, n: i64, flow: Option<&str>, count: i64) {
        for k in keys.split('|').filter(|k| !k.is_empty()) {
            self.bump(k.to_owned(), n);
        }
        if let Some(f) = flow.filter(|f| !f.is_empty()) {
            self.bump(f.to_owned(), count);
        }
    }

    /// Moves the member keys of one member (not the standing) by `d`.
    pub fn add_member(&mut self, a: &MemberAttrs, d: i64) {
        for k in member_keys(a) {
            self.bump(k, d);
        }
    }

    /// Adds `d` to a key (dropping it at zero).
    pub fn bump(&mut self, key: String, d: i64) {
        if d == 0 {
            return;
        }
        match self.0.entry(key) {
            std::collections::btree_map::Entry::Occupied(mut e) => {
                *e.get_mut() += d;
                if *e.get() == 0 {
                    e.remove();
                }
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(d);
            }
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally, sign: i64) {
        for (k, v) in &other.0 {
            self.bump(k.clone(), v * sign);
        }
    }

    /// One key.
    pub fn get(&self, key: &str) -> i64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    /// The keys under a prefix ("ethnicity:"), without the prefix, with their counts.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, i64)> + 'a {
        self.0.range(prefix.to_owned()..).take_while(move |(k, _)| k.starts_with(prefix)).map(move |(k, v)| (&k[prefix.len()..], *v))
    }
}

/// A reporting band of years (age or party age), inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// From this many years.
    pub from: i32,
    /// To this many years (None: and more).
    pub to: Option<i32>,
}

impl Band {
    /// Label in Vietnamese ("31–40", "Trên 70").
    pub fn label_vi(self, unit: &str) -> String {
        match (self.from, self.to) {
            (0, Some(t)) => format!("Đến {t} {unit}"),
            (f, Some(t)) => format!("{f}–{t} {unit}"),
            (f, None) => format!("Từ {f} {unit} trở lên"),
        }
    }
    /// Label in English.
    pub fn label_en(self, unit: &str) -> String {
        match (self.from, self.to) {
            (0, Some(t)) => format!("Up to {t} {unit}"),
            (f, Some(t)) => format!("{f}–{t} {unit}"),
            (f, None) => format!("{f} {unit} and more"),
        }
    }
    /// Whether `years` falls in the band.
    pub fn contains(self, years: i32) -> bool {
        years >= self.from && self.to.is_none_or(|t| years <= t)
    }
    /// The years (of birth, of admission) whose count in year `year` falls in the band.
    pub fn years_in(self, year: i32) -> (Option<i32>, i32) {
        (self.to.map(|t| year - t), year - self.from)
    }
}

/// Age bands of the statistical forms (tuổi đời, counted by year of birth).
pub const AGE_BANDS: [Band; 6] = [
    Band { from: 0, to: Some(30) },
    Band { from: 31, to: Some(40) },
    Band { from: 41, to: Some(50) },
    Band { from: 51, to: Some(60) },
    Band { from: 61, to: Some(70) },
    Band { from: 71, to: None },
];

/// Party-age bands (tuổi Đảng, counted by year of admission); 30, 40 and 50 years are the
/// milestones of the party-age badges.
pub const PARTY_AGE_BANDS: [Band; 6] = [
    Band { from: 0, to: Some(9) },
    Band { from: 10, to: Some(19) },
    Band { from: 20, to: Some(29) },
    Band { from: 30, to: Some(39) },
    Band { from: 40, to: Some(49) },
    Band { from: 50, to: None },
];

/// Counts of a tally's "birth:" keys by age band and gender on `as_of`: (men, women) per band.
pub fn age_pyramid(t: &Tally, as_of: NaiveDate) -> Vec<(i64, i64)> {
    let mut out = vec![(0, 0); AGE_BANDS.len()];
    for (k, n) in t.under("birth:") {
        let Some((g, y)) = k.split_once(':') else { continue };
        let Ok(y) = y.parse::<i32>() else { continue };
        if let Some(i) = AGE_BANDS.iter().position(|b| b.contains(as_of.year() - y)) {
            if g == Gender::Female.code() { out[i].1 += n } else { out[i].0 += n }
        }
    }
    out
}

/// Counts of a tally's "admit:" keys by party-age band on `as_of`.
pub fn party_age(t: &Tally, as_of: NaiveDate) -> Vec<i64> {
    let mut out = vec![0; PARTY_AGE_BANDS.len()];
    for (k, n) in t.under("admit:") {
        if let Some(i) = k.parse::<i32>().ok().and_then(|y| PARTY_AGE_BANDS.iter().position(|b| b.contains(as_of.year() - y))) {
            out[i] += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn attrs() -> MemberAttrs {
        MemberAttrs {
            gender: Gender::Female,
            birth_year: 1980,
            admit_year: Some(2010),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            education: Education::University,
            theory: PoliticalTheory::Elementary,
        }
    }

    fn path(from: NaiveDate, until: NaiveDate, p: &str) -> PathSpan {
        PathSpan { from, until, path: p.into(), kind: OrgKind::Cell, category: OrgCategory::Residential }
    }

    fn sum(facts: &[Fact], lo: &str, hi: &str, on: NaiveDate) -> Tally {
        let mut t = Tally::default();
        for f in facts.iter().filter(|f| f.day <= on && f.path.as_str() >= lo && f.path.as_str() < hi) {
            t.add(f);
        }
        t
    }

    #[test]
    fn a_member_counts_under_the_path_their_cell_had_each_day() {
        let spans = [
            MemberSpan { from: d(2010, 3, 1), until: d(2011, 3, 1), cell: 7, status: MemberStatus::Probationary },
            MemberSpan { from: d(2011, 3, 1), until: d(2020, 1, 1), cell: 7, status: MemberStatus::Official },
            MemberSpan { from: d(2020, 1, 1), until: open_end(), cell: 7, status: MemberStatus::Deceased },
        ];
        // The cell moved from under /1/2/ to under /1/3/ on 1/7/2015.
        let paths = |_| vec![path(d(2000, 1, 1), d(2015, 7, 1), "/1/2/7/"), path(d(2015, 7, 1), open_end(), "/1/3/7/")];
        let facts = member_facts(5, &attrs(), Some(d(2010, 3, 1)), Some(d(2011, 3, 1)), &spans, &paths);
        let old = sum(&facts, "/1/2/", "/1/20", d(2014, 1, 1));
        assert_eq!((old.get("standing:official"), old.get("flow:admission")), (1, 1));
        assert_eq!(sum(&facts, "/1/2/", "/1/20", d(2016, 1, 1)).get("standing:official"), 0);
        assert_eq!(sum(&facts, "/1/3/", "/1/30", d(2016, 1, 1)).get("standing:official"), 1);
        assert_eq!(sum(&facts, "/1/3/", "/1/30", d(2016, 1, 1)).get("flow:admission"), 0, "the move is no admission");
        let gone = sum(&facts, "/1/3/", "/1/30", d(2020, 1, 1));
        assert_eq!((gone.get("standing:official"), gone.get("flow:exit")), (0, 1));
        assert_eq!(sum(&facts, "/1/", "/10", d(2010, 6, 1)).get("standing:probationary"), 1);
    }

    #[test]
    fn an_exempt_member_becomes_official_on_the_recognition_day() {
        let spans = [
            MemberSpan { from: d(2010, 3, 1), until: d(2010, 6, 1), cell: 7, status: MemberStatus::Probationary },
            MemberSpan { from: d(2010, 6, 1), until: open_end(), cell: 7, status: MemberStatus::Exempt },
        ];
        let paths = |_| vec![path(d(2000, 1, 1), open_end(), "/1/7/")];
        let facts = member_facts(5, &attrs(), Some(d(2010, 3, 1)), Some(d(2011, 3, 1)), &spans, &paths);
        assert_eq!(sum(&facts, "/1/", "/10", d(2011, 2, 28)).get("standing:probationary"), 1);
        let t = sum(&facts, "/1/", "/10", d(2011, 3, 1));
        assert_eq!((t.get("standing:probationary"), t.get("standing:official")), (0, 1));
        assert_eq!(t.get("ethnicity:Kinh"), 1);
    }

    #[test]
    fn a_cell_is_short_while_its_official_members_are_below_the_minimum() {
        let spans = [path(d(2000, 1, 1), d(2030, 1, 1), "/1/7/")];
        let official = [(d(2001, 1, 1), 2), (d(2002, 1, 1), 1), (d(2005, 1, 1), -1)];
        let facts = small_cell_facts(7, &spans, &official, &[(d(1990, 1, 1), 3), (d(2010, 1, 1), 2)]);
        let at = |y| sum(&facts, "/1/", "/10", d(y, 6, 1)).get("small_cells");
        assert_eq!([at(2000), at(2001), at(2003), at(2006), at(2011), at(2031)], [1, 1, 0, 1, 0, 0]);
    }

    #[test]
    fn bands_take_years_and_give_back_the_years_of_birth() {
        let t = Tally([("birth:nu:1995".to_owned(), 2), ("birth:nam:1950".to_owned(), 1), ("admit:1975".to_owned(), 3)].into_iter().collect());
        let p = age_pyramid(&t, d(2025, 1, 1));
        assert_eq!((p[0], p[5]), ((0, 2), (1, 0)));
        assert_eq!(party_age(&t, d(2025, 1, 1))[5], 3);
        assert_eq!(AGE_BANDS[1].years_in(2025), (Some(1985), 1994));
        assert_eq!(AGE_BANDS[1].label_vi("tuổi"), "31–40 tuổi");
    }
}
