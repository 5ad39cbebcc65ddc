//! The writes on meetings, as commands: a meeting planned or its plan changed, attendance,
//! minutes with their votes, signature, cancellation, amendment, rating. The page's forms and
//! the API's bodies both parse into these; what needs the stored records (the roll, the
//! vote base, the state) is decided by the store with the functions of [`super`].

use super::{Amendment, Item, MeetingKind, MeetingRules, Opinion, Presence, Quality, Vote};
use crate::calendar::{date_field, format_date};
use crate::committee::command::{Picked, choice, picked, text};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::member::MemberId;
use crate::org::OrgKind;
use crate::text::grapheme_len;
use chrono::{Days, NaiveDate};

/// A planned meeting may lie this far ahead.
const PLAN_AHEAD_DAYS: u64 = 400;

/// Text kept with its line breaks (minutes): each line tidied, blank lines at the ends
/// dropped, at most `max` graphemes.
fn long_text(e: &mut ValidationErrors, field: &str, value: &str, required: bool, max: usize) -> Option<String> {
    let lines: Vec<String> = value.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let t = lines.join("\n").trim_matches('\n').to_owned();
    if t.is_empty() {
        if required {
            e.push(FieldError::new(field, ErrorCode::Required));
        }
        return None;
    }
    if grapheme_len(&t) > max {
        e.push(FieldError::new(field, ErrorCode::TooLong).with("max", max));
    }
    Some(t)
}

/// A whole number from 0 to `max`; empty is 0.
fn count(e: &mut ValidationErrors, field: &str, value: &str, max: u32) -> u32 {
    match value.trim() {
        "" => 0,
        v => match v.parse::<u32>() {
            Ok(n) if n <= max => n,
            _ => {
                e.push(FieldError::new(field, ErrorCode::NumberRange).with("value", v).with("min", 0).with("max", max));
                0
            }
        },
    }
}

/// "19:30", "7h30", "7:30": a time of day as hh:mm.
fn time_of_day(e: &mut ValidationErrors, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = v.replace(['h', 'H', '.'], ":").split_once(':').and_then(|(h, m)| {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = if m.trim().is_empty() { 0 } else { m.trim().parse().ok()? };
        (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
    });
    if parsed.is_none() {
        e.push(FieldError::new(field, ErrorCode::TimeFormat).with("value", v));
    }
    parsed
}

/// A meeting's plan, as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// The kind's code.
    pub kind: String,
    /// The day.
    pub held_on: String,
    /// The time ("19:30").
    pub starts_at: String,
    /// The place.
    pub place: String,
    /// The topic.
    pub topic: String,
    /// Documents to read before the meeting.
    pub documents: String,
}

/// A checked plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMeeting {
    /// Kind.
    pub kind: MeetingKind,
    /// Day.
    pub held_on: NaiveDate,
    /// Time.
    pub starts_at: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Topic.
    pub topic: Option<String>,
    /// Documents.
    pub documents: Option<String>,
}

impl PlanInput {
    /// Checks a plan for an organization of `org`: a kind it holds, a day at most a year
    /// ahead, a topic for a thematic meeting.
    pub fn validate(&self, org: OrgKind, today: NaiveDate) -> Result<PlanMeeting, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        let fields = [
            ("meeting_kind", &self.kind),
            ("held_on", &self.held_on),
            ("starts_at", &self.starts_at),
            ("place", &self.place),
            ("topic", &self.topic),
            ("documents", &self.documents),
        ];
        if !crate::text::check_all(&mut e, &fields.map(|(f, v)| (f, v.as_str()))) {
            return Err(e);
        }
        let kind = choice(&mut e, "meeting_kind", &self.kind, MeetingKind::from_code);
        if let Some(k) = kind.filter(|k| !k.held_by(org)) {
            e.push(FieldError::new("meeting_kind", ErrorCode::MeetingKindNotInOrg).with("kind", org.label_vi()).with("meeting", k.label_vi()));
        }
        let held_on = date_field(&mut e, "held_on", &self.held_on, true, today + Days::new(PLAN_AHEAD_DAYS));
        let starts_at = time_of_day(&mut e, "starts_at", &self.starts_at);
        let place = text(&mut e, "place", &self.place, false, 200);
        let topic = text(&mut e, "topic", &self.topic, kind == Some(MeetingKind::Thematic), 300);
        let documents = long_text(&mut e, "documents", &self.documents, false, 2000);
        e.into_result()?;
        match (kind, held_on) {
            (Some(kind), Some(held_on)) => Ok(PlanMeeting { kind, held_on, starts_at, place, topic, documents }),
            _ => Err(FieldError::new("held_on", ErrorCode::Required).into()),
        }
    }
}

/// One line of the attendance, as tapped.
#[derive(Debug, Clone, Default)]
pub struct PresenceInput {
    /// The attendee's line (a member's key, or a guest's position on the list).
    pub member_id: Option<MemberId>,
    /// The presence's code.
    pub presence: String,
    /// The reason of an absence.
    pub reason: String,
}

/// The attendance as tapped, with guests typed by name.
#[derive(Debug, Clone, Default)]
pub struct AttendanceInput {
    /// One line per member on the list (lines left out stay present).
    pub lines: Vec<PresenceInput>,
    /// Guests typed by name, one a line ("Nguyễn Văn A — Bí thư Đoàn phường").
    pub guests: String,
}

/// A checked attendance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordAttendance {
    /// (member, presence, reason) for each line given.
    pub lines: Vec<(MemberId, Presence, Option<String>)>,
    /// Guests' names.
    pub guests: Vec<String>,
}

impl AttendanceInput {
    /// Checks the lines: a known presence, a reason for an excused absence, each member once.
    pub fn validate(&self) -> Result<RecordAttendance, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        let mut fields: Vec<(String, &str)> = vec![("guests.1".to_owned(), self.guests.as_str())];
        for l in &self.lines {
            let id = l.member_id.unwrap_or_default();
            fields.push((format!("presence_{id}"), &l.presence));
            fields.push((format!("reason_{id}"), &l.reason));
        }
        if !crate::text::check_all(&mut e, &fields.iter().map(|(f, v)| (f.as_str(), *v)).collect::<Vec<_>>()) {
            return Err(e);
        }
        let mut out = RecordAttendance::default();
        let mut seen = std::collections::BTreeSet::new();
        for l in &self.lines {
            let Some(id) = l.member_id else { continue };
            let field = format!("presence_{id}");
            let Some(p) = choice(&mut e, &field, &l.presence, Presence::from_code) else { continue };
            let reason = text(&mut e, &format!("reason_{id}"), &l.reason, p == Presence::Excused, 200);
            if seen.insert(id) {
                out.lines.push((id, p, reason));
            }
        }
        for (i, g) in self.guests.lines().enumerate() {
            if let Some(name) = text(&mut e, &format!("guests.{}", i + 1), g, false, 200) {
                out.guests.push(name);
            }
        }
        e.into_result()?;
        Ok(out)
    }
}

/// A vote as typed.
#[derive(Debug, Clone, Default)]
pub struct VoteInput {
    /// What was voted on.
    pub subject: String,
    /// Votes for.
    pub votes_for: String,
    /// Against.
    pub votes_against: String,
    /// Abstentions.
    pub abstain: String,
}

/// An agenda item as typed.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    /// Title.
    pub title: String,
    /// What was reported.
    pub report: String,
    /// Opinions, one a line: "Name: what they said".
    pub opinions: String,
    /// Conclusion.
    pub conclusion: String,
    /// The vote on the item, if one was taken.
    pub vote: VoteInput,
}

/// The minutes as typed.
#[derive(Debug, Clone, Default)]
pub struct MinutesInput {
    /// The items, in order.
    pub items: Vec<ItemInput>,
    /// The chair, picked among the attendees.
    pub chair: Picked,
    /// The minutes secretary.
    pub secretary: Picked,
    /// The resolution's number ("05-NQ/CB").
    pub resolution_no: String,
    /// The resolution's text.
    pub resolution: String,
}

/// Checked minutes; the votes' base is the store's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordMinutes {
    /// The items.
    pub items: Vec<Item>,
    /// The chair.
    pub chair: Option<MemberId>,
    /// The secretary.
    pub secretary: Option<MemberId>,
    /// The resolution's number.
    pub resolution_no: Option<String>,
    /// Its text.
    pub resolution: Option<String>,
}

/// Reads "Name: text" lines; a line without a colon is a remark with no speaker.
fn opinions(e: &mut ValidationErrors, field: &str, value: &str) -> Vec<Opinion> {
    let mut out = Vec::new();
    for (i, line) in value.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (speaker, said) = match line.split_once(':') {
            Some((s, t)) if !s.trim().is_empty() && grapheme_len(s.trim()) <= 80 => (s.trim(), t.trim()),
            _ => ("", line),
        };
        let f = format!("{field}.{}", i + 1);
        if let Some(text) = long_text(e, &f, said, true, 1000) {
            out.push(Opinion { member_id: None, speaker: speaker.split_whitespace().collect::<Vec<_>>().join(" "), text });
        }
    }
    out
}

impl MinutesInput {
    /// Checks the minutes: each item titled, each vote a count not above `voters` (the
    /// official members present) with something voted on; `base` is the vote base.
    pub fn validate(&self, voters: u32, base: u32) -> Result<RecordMinutes, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        let mut fields: Vec<(String, &str)> =
            vec![("resolution_no".to_owned(), self.resolution_no.as_str()), ("resolution".to_owned(), self.resolution.as_str())];
        for (i, it) in self.items.iter().enumerate() {
            let n = i + 1;
            for (f, v) in [
                ("title", &it.title),
                ("report", &it.report),
                ("opinions", &it.opinions),
                ("conclusion", &it.conclusion),
                ("vote_subject", &it.vote.subject),
                ("votes_for", &it.vote.votes_for),
                ("votes_against", &it.vote.votes_against),
                ("abstain", &it.vote.abstain),
            ] {
                fields.push((format!("items.{n}.{f}"), v.as_str()));
            }
        }
        if !crate::text::check_all(&mut e, &fields.iter().map(|(f, v)| (f.as_str(), *v)).collect::<Vec<_>>()) {
            return Err(e);
        }
        let mut items = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            let n = i + 1;
            let empty = [&it.title, &it.report, &it.opinions, &it.conclusion, &it.vote.votes_for].iter().all(|s| s.trim().is_empty());
            if empty {
                continue;
            }
            let title = text(&mut e, &format!("items.{n}.title"), &it.title, true, 300);
            let report = long_text(&mut e, &format!("items.{n}.report"), &it.report, false, 8000);
            let ops = opinions(&mut e, &format!("items.{n}.opinions"), &it.opinions);
            let conclusion = long_text(&mut e, &format!("items.{n}.conclusion"), &it.conclusion, false, 4000);
            let mut votes = Vec::new();
            let v = &it.vote;
            if [&v.votes_for, &v.votes_against, &v.abstain].iter().any(|s| !s.trim().is_empty()) {
                let f = count(&mut e, &format!("items.{n}.votes_for"), &v.votes_for, 100_000);
                let a = count(&mut e, &format!("items.{n}.votes_against"), &v.votes_against, 100_000);
                let b = count(&mut e, &format!("items.{n}.abstain"), &v.abstain, 100_000);
                if f + a + b > voters {
                    e.push(FieldError::new(format!("items.{n}.votes_for"), ErrorCode::VotesAbovePresent).with("votes", f + a + b).with("present", voters));
                }
                let subject = text(&mut e, &format!("items.{n}.vote_subject"), &v.subject, false, 300).or_else(|| title.clone()).unwrap_or_default();
                votes.push(Vote { subject, votes_for: f, votes_against: a, abstain: b, base });
            }
            items.push(Item { title: title.unwrap_or_default(), report, opinions: ops, conclusion, votes });
        }
        let chair = match self.chair {
            Picked::None => None,
            p => picked(&mut e, "chair", p),
        };
        let secretary = match self.secretary {
            Picked::None => None,
            p => picked(&mut e, "minutes_secretary", p),
        };
        let resolution_no = text(&mut e, "resolution_no", &self.resolution_no, false, 50);
        let resolution = long_text(&mut e, "resolution", &self.resolution, false, 8000);
        e.into_result()?;
        Ok(RecordMinutes { items, chair, secretary, resolution_no, resolution })
    }
}

/// The signature, as typed.
#[derive(Debug, Clone, Default)]
pub struct SignInput {
    /// The day signed; empty: today.
    pub signed_on: String,
}

impl SignInput {
    /// Checks the day: not before the meeting, not in the future.
    pub fn validate(&self, held_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("signed_on", &self.signed_on)]) {
            return Err(e);
        }
        let on = if self.signed_on.trim().is_empty() { Some(today) } else { date_field(&mut e, "signed_on", &self.signed_on, true, today) };
        if let Some(d) = on.filter(|d| *d < held_on) {
            e.push(
                FieldError::new("signed_on", ErrorCode::DateBeforeOther)
                    .with("date", format_date(d))
                    .with("other", "ngày họp")
                    .with("other_date", format_date(held_on)),
            );
        }
        e.into_result()?;
        on.ok_or_else(|| FieldError::new("signed_on", ErrorCode::Required).into())
    }
}

/// A cancellation, as typed.
#[derive(Debug, Clone, Default)]
pub struct CancelInput {
    /// Why.
    pub reason: String,
}

impl CancelInput {
    /// A reason is required.
    pub fn validate(&self) -> Result<String, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("cancel_reason", &self.reason)]) {
            return Err(e);
        }
        let r = text(&mut e, "cancel_reason", &self.reason, true, 300);
        e.into_result()?;
        r.ok_or_else(|| FieldError::new("cancel_reason", ErrorCode::Required).into())
    }
}

/// An amendment, as typed.
#[derive(Debug, Clone, Default)]
pub struct AmendInput {
    /// What is corrected.
    pub text: String,
}

impl AmendInput {
    /// The correction is required; it is dated today and signed by the actor.
    pub fn validate(&self, by: &str, today: NaiveDate) -> Result<Amendment, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("amendment", &self.text)]) {
            return Err(e);
        }
        let t = long_text(&mut e, "amendment", &self.text, true, 4000);
        e.into_result()?;
        Ok(Amendment { made_on: today, text: t.unwrap_or_default(), by: by.to_owned() })
    }
}

/// A rating, as typed.
#[derive(Debug, Clone, Default)]
pub struct RateInput {
    /// The quality's code.
    pub quality: String,
    /// A comment.
    pub note: String,
}

/// A checked rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateMeeting {
    /// Quality.
    pub quality: Quality,
    /// Comment.
    pub note: Option<String>,
}

impl RateInput {
    /// A known quality.
    pub fn validate(&self) -> Result<RateMeeting, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("quality", &self.quality), ("quality_note", &self.note)]) {
            return Err(e);
        }
        let quality = choice(&mut e, "quality", &self.quality, Quality::from_code);
        let note = long_text(&mut e, "quality_note", &self.note, false, 2000);
        e.into_result()?;
        quality.map(|quality| RateMeeting { quality, note }).ok_or_else(|| FieldError::new("quality", ErrorCode::Required).into())
    }
}

/// The agenda a new meeting starts from, as item inputs.
pub fn agenda_inputs(rules: &MeetingRules, kind: MeetingKind) -> Vec<ItemInput> {
    rules.agenda(kind).iter().map(|t| ItemInput { title: t.clone(), ..ItemInput::default() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::tests::rules;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(r: Result<impl std::fmt::Debug, ValidationErrors>) -> Vec<(String, ErrorCode)> {
        r.err().map(|e| e.errors.iter().map(|f| (f.field.clone(), f.code)).collect()).unwrap_or_default()
    }

    #[test]
    fn a_plan_needs_a_kind_the_organization_holds_and_a_day_within_the_year() {
        let today = d(2026, 12, 4);
        let p = PlanInput { kind: "thuong_ky".into(), held_on: "04/01/2027".into(), starts_at: "19h30".into(), ..PlanInput::default() };
        let ok = p.validate(OrgKind::Cell, today).unwrap();
        assert_eq!((ok.held_on, ok.starts_at.as_deref()), (d(2027, 1, 4), Some("19:30")));
        assert_eq!(codes(p.validate(OrgKind::UpperGrassroots, today)), [("meeting_kind".to_owned(), ErrorCode::MeetingKindNotInOrg)]);
        let far = PlanInput { held_on: "04/01/2029".into(), ..p.clone() };
        assert_eq!(codes(far.validate(OrgKind::Cell, today)), [("held_on".to_owned(), ErrorCode::DateInFuture)]);
        let thematic = PlanInput { kind: "chuyen_de".into(), starts_at: "25:00".into(), ..p };
        assert_eq!(
            codes(thematic.validate(OrgKind::Cell, today)),
            [("starts_at".to_owned(), ErrorCode::TimeFormat), ("topic".to_owned(), ErrorCode::Required)]
        );
    }

    #[test]
    fn an_excused_absence_needs_its_reason() {
        let a = AttendanceInput {
            lines: vec![
                PresenceInput { member_id: Some(1), presence: "vang_co_ly_do".into(), reason: String::new() },
                PresenceInput { member_id: Some(2), presence: "vang_khong_ly_do".into(), reason: String::new() },
                PresenceInput { member_id: Some(3), presence: "ngu".into(), reason: String::new() },
            ],
            guests: "Nguyễn Văn Khách\n\n".into(),
        };
        assert_eq!(codes(a.validate()), [("reason_1".to_owned(), ErrorCode::Required), ("presence_3".to_owned(), ErrorCode::InvalidChoice)]);
        let ok = AttendanceInput { lines: vec![a.lines[1].clone()], guests: a.guests }.validate().unwrap();
        assert_eq!(ok.lines, [(2, Presence::Absent, None)]);
        assert_eq!(ok.guests, ["Nguyễn Văn Khách"]);
    }

    #[test]
    fn minutes_keep_their_lines_and_votes_cannot_exceed_the_voters() {
        let item = ItemInput {
            title: "Nhiệm vụ tháng tới".into(),
            report: "Dòng một\n  Dòng   hai ".into(),
            opinions: "Trần Văn Bình: Đồng ý\nCần bổ sung kế hoạch".into(),
            conclusion: String::new(),
            vote: VoteInput { subject: String::new(), votes_for: "7".into(), votes_against: "1".into(), abstain: String::new() },
        };
        let m = MinutesInput { items: vec![item.clone(), ItemInput::default()], ..MinutesInput::default() }.validate(8, 9).unwrap();
        assert_eq!(m.items.len(), 1);
        assert_eq!(m.items[0].report.as_deref(), Some("Dòng một\nDòng hai"));
        assert_eq!(
            m.items[0].opinions.iter().map(|o| (o.speaker.as_str(), o.text.as_str())).collect::<Vec<_>>(),
            [("Trần Văn Bình", "Đồng ý"), ("", "Cần bổ sung kế hoạch")]
        );
        let v = &m.items[0].votes[0];
        assert_eq!((v.subject.as_str(), v.votes_for, v.base, v.passed(&rules())), ("Nhiệm vụ tháng tới", 7, 9, true));
        assert_eq!(
            codes(MinutesInput { items: vec![item], ..MinutesInput::default() }.validate(7, 9)),
            [("items.1.votes_for".to_owned(), ErrorCode::VotesAbovePresent)]
        );
    }

    #[test]
    fn text_no_one_could_type_is_refused_naming_its_field() {
        let p = PlanInput { kind: "thuong_ky".into(), held_on: "04/01/2027".into(), place: "Nhà\u{0}văn hóa".into(), ..PlanInput::default() };
        assert_eq!(codes(p.validate(OrgKind::Cell, d(2026, 12, 4))), [("place".to_owned(), ErrorCode::TextUnprintable)]);
        let m = MinutesInput { items: vec![ItemInput { title: "\u{200b}\u{200b}".into(), ..ItemInput::default() }], ..MinutesInput::default() };
        assert_eq!(codes(m.validate(5, 5)), [("items.1.title".to_owned(), ErrorCode::TextInvisible)]);
    }

    #[test]
    fn signing_is_dated_between_the_meeting_and_today() {
        let today = d(2026, 12, 4);
        assert_eq!(SignInput::default().validate(d(2026, 12, 3), today), Ok(today));
        assert_eq!(codes(SignInput { signed_on: "01/12/2026".into() }.validate(d(2026, 12, 3), today)), [("signed_on".to_owned(), ErrorCode::DateBeforeOther)]);
    }
}
