//! The writes a person makes on a member's record, as commands. The page's form and the API's
//! body both parse into these, so the two can never accept different things; the rules that
//! decide whether the input makes sense live here.

use super::{MemberChange, MemberEvent, MemberInput, MemberProfile, MemberStatus};
use crate::calendar::{format_date, optional_date, required_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::command::choice;
use crate::org::{OrgId, code_enum};
use crate::rules::RuleBook;
use crate::text::tidy;
use crate::transfer::{Letter, LetterInput};
use chrono::NaiveDate;
use serde::Serialize;

code_enum! {
    /// The events a person records on a member by hand. Admissions, recognitions of members
    /// admitted here, transfers in and out go through their cases and letters instead.
    RecordableEvent {
        /// Công nhận chính thức (a member admitted elsewhere, without a case here).
        MadeOfficial = "made_official", "Công nhận đảng viên chính thức", "Made official";
        /// Chuyển sang chi bộ khác trong cùng đảng bộ.
        Moved = "moved", "Chuyển sinh hoạt đảng", "Moved to another cell";
        /// Miễn sinh hoạt.
        Exempted = "exempted", "Miễn sinh hoạt", "Exempted";
        /// Đình chỉ sinh hoạt.
        Suspended = "suspended", "Đình chỉ sinh hoạt", "Suspended";
        /// Trở lại sinh hoạt.
        Reinstated = "reinstated", "Trở lại sinh hoạt", "Reinstated";
        /// Xóa tên.
        StruckOff = "struck_off", "Xóa tên", "Struck off";
        /// Khai trừ.
        Expelled = "expelled", "Khai trừ", "Expelled";
        /// Ra khỏi Đảng.
        Left = "left", "Ra khỏi Đảng", "Left the party";
        /// Từ trần.
        Died = "died", "Từ trần", "Died";
        /// Kết nạp lại: a person struck off or expelled earlier, admitted again.
        Readmitted = "admitted", "Kết nạp lại vào Đảng", "Readmission";
    }
}

impl RecordableEvent {
    /// Whether the event names a cell.
    pub fn needs_cell(self) -> bool {
        matches!(self, RecordableEvent::Moved | RecordableEvent::Readmitted)
    }
}

/// What a decision adds to an event: its number, the committee that signed it, the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventDetails {
    /// Số quyết định.
    pub decision_no: Option<String>,
    /// Cấp ủy ra quyết định.
    pub issued_by: Option<String>,
    /// Lý do, ghi chú.
    pub note: Option<String>,
    /// Đến ngày: the end of an exemption granted for a period.
    pub until: Option<NaiveDate>,
}

/// The cell an event names, as the caller found it.
pub use crate::org::command::OrgChoice as CellChoice;

/// An event as typed (a form) or sent (the API), before it is checked.
#[derive(Debug, Clone, Default)]
pub struct RecordEventInput {
    /// The event's code ([`RecordableEvent`]).
    pub event: String,
    /// Its date, dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// The cell (moves and readmissions).
    pub cell: CellChoice,
    /// Số quyết định.
    pub decision_no: String,
    /// Cấp ủy ra quyết định.
    pub issued_by: String,
    /// Lý do, ghi chú.
    pub note: String,
    /// Đến ngày (an exemption for a period); given, it must be a date.
    pub until: Option<String>,
}

/// A checked event, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEvent {
    /// What and when.
    pub event: MemberEvent,
    /// The decision's details.
    pub details: EventDetails,
}

impl RecordEventInput {
    /// Checks the input: a known event, a date, a cell where the event needs one, an end date
    /// only for an exemption and after its start. Every problem is reported, by field.
    pub fn validate(&self) -> Result<RecordEvent, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[("event", &self.event), ("date", &self.date), ("decision_no", &self.decision_no), ("issued_by", &self.issued_by), ("note", &self.note)],
        ) {
            return Err(e);
        }
        let kind = RecordableEvent::from_code(self.event.trim());
        if kind.is_none() {
            e.push(FieldError::new("event", ErrorCode::InvalidChoice).with("value", self.event.trim()));
        }
        let on = required_date(&mut e, "event_date", &self.date);
        let cell = if kind.is_some_and(RecordableEvent::needs_cell) { self.cell.required(&mut e, "cell") } else { None };
        // An end date belongs to an exemption for a period, after its start.
        let until = optional_date(&mut e, "until", self.until.as_deref());
        if let Some(u) = until {
            if kind != Some(RecordableEvent::Exempted) {
                e.push(FieldError::new("until", ErrorCode::InvalidChoice).with("value", self.until.as_deref().unwrap_or_default().trim()));
            } else if let Some(on) = on.filter(|on| u <= *on) {
                e.push(
                    FieldError::new("until", ErrorCode::DateBeforeOther)
                        .with("date", format_date(u))
                        .with("other", "ngày sự kiện")
                        .with("other_date", format_date(on)),
                );
            }
        }
        let change = kind.and_then(|k| match k {
            RecordableEvent::MadeOfficial => Some(MemberChange::MadeOfficial),
            RecordableEvent::Moved => cell.map(|cell| MemberChange::Moved { cell }),
            RecordableEvent::Exempted => Some(MemberChange::Exempted),
            RecordableEvent::Suspended => Some(MemberChange::Suspended),
            RecordableEvent::Reinstated => Some(MemberChange::Reinstated),
            RecordableEvent::StruckOff => Some(MemberChange::StruckOff),
            RecordableEvent::Expelled => Some(MemberChange::Expelled),
            RecordableEvent::Left => Some(MemberChange::Left),
            RecordableEvent::Died => Some(MemberChange::Died),
            RecordableEvent::Readmitted => cell.map(|cell| MemberChange::Admitted { cell }),
        });
        match (on, change) {
            (Some(on), Some(change)) if e.is_empty() => Ok(RecordEvent {
                event: MemberEvent { on, change },
                details: EventDetails { decision_no: tidy(&self.decision_no), issued_by: tidy(&self.issued_by), note: tidy(&self.note), until },
            }),
            _ => Err(e),
        }
    }
}

code_enum! {
    /// How a person's record here begins (the create form's first event, the API's
    /// `first_event.type`).
    FirstEvent {
        /// An existing official member entered from records.
        RegisteredOfficial = "registered_official", "Ghi nhận hồ sơ đảng viên chính thức", "Record of an official member";
        /// An existing probationary member entered from records.
        RegisteredProbationary = "registered_probationary", "Ghi nhận hồ sơ đảng viên dự bị", "Record of a probationary member";
        /// Kết nạp: a new probationary member.
        Admitted = "admitted", "Kết nạp vào Đảng (dự bị)", "Admission (probationary)";
        /// Đối tượng kết nạp.
        Candidate = "candidate", "Đối tượng kết nạp", "Candidate";
        /// An official member arriving from outside this instance, with their letter.
        ArrivalOfficial = "arrival_official", "Tiếp nhận đảng viên chính thức từ nơi khác (theo giấy giới thiệu)", "Arrival of an official member (with a letter)";
        /// A probationary member arriving from outside this instance, with their letter.
        ArrivalProbationary = "arrival_probationary", "Tiếp nhận đảng viên dự bị từ nơi khác (theo giấy giới thiệu)", "Arrival of a probationary member (with a letter)";
    }
}

/// A new member as typed (the create form) or sent (the API), before it is checked.
#[derive(Debug, Clone, Default)]
pub struct NewMemberInput {
    /// The personal fields.
    pub profile: MemberInput,
    /// The first event ([`FirstEvent`] code).
    pub first_event: String,
    /// Its date (for an arrival: the letter's date), dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// The cell.
    pub cell: CellChoice,
    /// Số quyết định (for an arrival: the letter's number).
    pub decision_no: String,
    /// For an arrival: the organization that issued the letter.
    pub origin: String,
    /// For an arrival: party fees paid through this month (mm/yyyy).
    pub fees_paid_through: String,
    /// For an arrival: the admission date the letter states; given, it must be a date.
    pub admitted_on: Option<String>,
    /// For an arrival: the recognition date the letter states; given, it must be a date.
    pub official_on: Option<String>,
}

/// A checked new member, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewMember {
    /// Recorded here with the first event of their life here.
    Recorded {
        /// The personal fields.
        profile: MemberProfile,
        /// The first event.
        first: MemberEvent,
        /// Its decision.
        decision_no: Option<String>,
        /// For a member registered from earlier records: the admission and recognition dates
        /// those records give (kept on the member, as an import keeps them).
        party_dates: (Option<NaiveDate>, Option<NaiveDate>),
    },
    /// Arriving from outside with an introduction letter: registered from it.
    Arrival {
        /// The personal fields.
        profile: MemberProfile,
        /// The receiving cell.
        cell: OrgId,
        /// Official or probationary, as the letter says.
        status: MemberStatus,
        /// The admission and recognition dates the letter states.
        party_dates: (Option<NaiveDate>, Option<NaiveDate>),
        /// The letter.
        letter: Letter,
    },
}

impl NewMemberInput {
    /// Checks everything at once: the profile, the first event, its date and cell, and for an
    /// arrival its letter (judged by the rules of its date) and the party dates it states.
    /// The letter's number and date are the form's `decision_no` and `event_date`.
    pub fn validate(&self, book: &RuleBook, today: NaiveDate) -> Result<NewMember, ValidationErrors> {
        let profile = self.profile.validate(today);
        let mut e = profile.as_ref().err().cloned().unwrap_or_default();
        let texts = [("first_event", self.first_event.as_str()), ("event_date", &self.date), ("decision_no", &self.decision_no), ("origin", &self.origin)];
        if !crate::text::check_all(&mut e, &texts) {
            return Err(e);
        }
        let first = choice(&mut e, "first_event", &self.first_event, FirstEvent::from_code);
        let on = required_date(&mut e, "event_date", &self.date);
        let cell = self.cell.required(&mut e, "cell");
        let arrival = match first {
            Some(kind @ (FirstEvent::ArrivalOfficial | FirstEvent::ArrivalProbationary)) => {
                let party_dates =
                    (optional_date(&mut e, "admitted_on", self.admitted_on.as_deref()), optional_date(&mut e, "official_on", self.official_on.as_deref()));
                let letter = LetterInput::arrival(&self.origin, &self.decision_no, &self.date, &self.fees_paid_through).validate(book, today);
                let letter = letter.map_err(|v| {
                    for mut fe in v.errors {
                        fe.field = match fe.field.as_str() {
                            "letter_no" => "decision_no".into(),
                            "letter_on" => "event_date".into(),
                            _ => fe.field,
                        };
                        // The date was read once already; its error is said once.
                        if e.for_field(&fe.field).is_none() {
                            e.push(fe);
                        }
                    }
                });
                let status = if kind == FirstEvent::ArrivalOfficial { MemberStatus::Official } else { MemberStatus::Probationary };
                Some((status, party_dates, letter.ok()))
            }
            _ => None,
        };
        // A member registered from earlier records keeps the party dates those records give.
        let recorded = match first {
            Some(kind @ (FirstEvent::RegisteredOfficial | FirstEvent::RegisteredProbationary)) => {
                let admitted = optional_date(&mut e, "admitted_on", self.admitted_on.as_deref());
                let official = optional_date(&mut e, "official_on", self.official_on.as_deref());
                if let Some(on) = on {
                    check_recorded_dates(&mut e, kind == FirstEvent::RegisteredOfficial, admitted, official, on);
                }
                (admitted, official)
            }
            _ => (None, None),
        };
        let (Ok(profile), Some(first), Some(on), Some(cell), true) = (profile, first, on, cell, e.is_empty()) else {
            return Err(e);
        };
        Ok(match arrival {
            Some((status, party_dates, Some(letter))) => NewMember::Arrival { profile, cell, status, party_dates, letter },
            Some((_, _, None)) => return Err(e),
            None => {
                let change = match first {
                    FirstEvent::Admitted => MemberChange::Admitted { cell },
                    FirstEvent::Candidate => MemberChange::CandidateRegistered { cell },
                    FirstEvent::RegisteredProbationary => MemberChange::Registered { cell, status: MemberStatus::Probationary },
                    _ => MemberChange::Registered { cell, status: MemberStatus::Official },
                };
                NewMember::Recorded { profile, first: MemberEvent { on, change }, decision_no: tidy(&self.decision_no), party_dates: recorded }
            }
        })
    }
}

/// The party dates of a member registered from records (`on`: the day they were registered
/// here): admitted and recognized by that day, recognized after admission, and recognized
/// only if they ever were (`recognized`).
pub fn check_recorded_dates(e: &mut ValidationErrors, recognized: bool, admitted: Option<NaiveDate>, official: Option<NaiveDate>, on: NaiveDate) {
    // The registration is the event: its date is what comes before the records' dates.
    let before = |other: &str, d: NaiveDate| {
        FieldError::new("event_date", ErrorCode::DateBeforeOther).with("date", format_date(on)).with("other", other).with("other_date", format_date(d))
    };
    if let Some(a) = admitted.filter(|a| *a > on) {
        e.push(before("ngày vào Đảng", a));
    } else if let Some(o) = official.filter(|o| *o > on) {
        e.push(before("ngày chính thức", o));
    }
    if let (Some(a), Some(o)) = (admitted, official)
        && o < a
    {
        e.push(
            FieldError::new("official_on", ErrorCode::DateBeforeOther)
                .with("date", format_date(o))
                .with("other", "ngày vào Đảng")
                .with("other_date", format_date(a)),
        );
    }
    if !recognized && official.is_some() {
        e.push(
            FieldError::new("official_on", ErrorCode::StatusDatesDisagree)
                .with("status", MemberStatus::Probationary.label_vi())
                .with("why", "đảng viên dự bị chưa có ngày chính thức"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(event: &str, date: &str) -> RecordEventInput {
        RecordEventInput { event: event.into(), date: date.into(), ..Default::default() }
    }

    fn fields(r: Result<RecordEvent, ValidationErrors>) -> Vec<(String, ErrorCode)> {
        r.unwrap_err().errors.iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn an_exemption_for_a_period_reads_with_its_details() {
        let r = RecordEventInput {
            until: Some("30/06/2027".into()),
            decision_no: " 12-QĐ/ĐU ".into(),
            note: "Sức khỏe  yếu".into(),
            ..input("exempted", "01/07/2026")
        }
        .validate()
        .unwrap();
        assert_eq!(r.event.change, MemberChange::Exempted);
        assert_eq!(r.details.until, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!((r.details.decision_no.as_deref(), r.details.note.as_deref()), (Some("12-QĐ/ĐU"), Some("Sức khỏe yếu")));
    }

    #[test]
    fn wrong_input_is_reported_by_field() {
        assert_eq!(
            fields(input("transferred_out", "01/07/2026").validate()),
            [("event".to_owned(), ErrorCode::InvalidChoice)],
            "a transfer out needs its letter"
        );
        assert_eq!(fields(input("moved", "01/07/2026").validate()), [("cell".to_owned(), ErrorCode::Required)]);
        let lost = RecordEventInput { cell: CellChoice::NotFound, ..input("admitted", "01/07/2026") };
        assert_eq!(fields(lost.validate()), [("cell".to_owned(), ErrorCode::NotFound)]);
        let early = RecordEventInput { until: Some("01/07/2026".into()), ..input("exempted", "01/07/2026") };
        assert_eq!(fields(early.validate()), [("until".to_owned(), ErrorCode::DateBeforeOther)]);
        let stray = RecordEventInput { until: Some("01/08/2026".into()), ..input("suspended", "01/07/2026") };
        assert_eq!(fields(stray.validate()), [("until".to_owned(), ErrorCode::InvalidChoice)]);
        assert_eq!(fields(input("died", "31/02/2026").validate()), [("event_date".to_owned(), ErrorCode::DateFormat)]);
        let r = RecordEventInput { cell: CellChoice::Found(7), ..input("admitted", "2026-07-01") }.validate().unwrap();
        assert_eq!(r.event.change, MemberChange::Admitted { cell: 7 });
    }

    fn book() -> RuleBook {
        crate::rules::test_book()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 10).unwrap()
    }

    fn person(first_event: &str) -> NewMemberInput {
        NewMemberInput {
            profile: MemberInput { full_name: "Mai Văn Sơn".into(), gender: "nam".into(), birth_date: "02/02/1988".into(), ..Default::default() },
            first_event: first_event.into(),
            date: "03/11/2026".into(),
            cell: CellChoice::Found(7),
            decision_no: " 88-QĐ/ĐU ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_member_recorded_here_begins_with_the_first_event() {
        let NewMember::Recorded { profile, first, decision_no, party_dates } = person("admitted").validate(&book(), today()).unwrap() else {
            panic!("recorded")
        };
        assert_eq!(party_dates, (None, None), "an admission's dates are its events'");
        assert_eq!(profile.full_name, "Mai Văn Sơn");
        assert_eq!((first.on, first.change), (NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(), MemberChange::Admitted { cell: 7 }));
        assert_eq!(decision_no.as_deref(), Some("88-QĐ/ĐU"));
        let NewMember::Recorded { first, .. } = person("registered_probationary").validate(&book(), today()).unwrap() else { panic!("recorded") };
        assert_eq!(first.change, MemberChange::Registered { cell: 7, status: MemberStatus::Probationary });
    }

    #[test]
    fn a_member_registered_from_records_keeps_their_dates_checked_against_the_registration() {
        let dated = |kind: &str, admitted: &str, official: Option<&str>| NewMemberInput {
            admitted_on: Some(admitted.into()),
            official_on: official.map(Into::into),
            ..person(kind)
        };
        let NewMember::Recorded { party_dates, .. } = dated("registered_official", "19/05/1990", Some("19/05/1991")).validate(&book(), today()).unwrap() else {
            panic!("recorded")
        };
        assert_eq!(party_dates, (NaiveDate::from_ymd_opt(1990, 5, 19), NaiveDate::from_ymd_opt(1991, 5, 19)));
        let late = dated("registered_official", "01/12/2026", None).validate(&book(), today()).unwrap_err();
        assert_eq!(late.errors.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(), [("event_date", ErrorCode::DateBeforeOther)]);
        let probationary = dated("registered_probationary", "19/05/2026", Some("19/06/2026")).validate(&book(), today()).unwrap_err();
        assert_eq!(probationary.errors[0].code, ErrorCode::StatusDatesDisagree);
    }

    #[test]
    fn an_arrival_is_registered_from_its_letter() {
        let input = NewMemberInput {
            origin: "Đảng ủy Công an tỉnh Lạng Sơn".into(),
            fees_paid_through: "10/2026".into(),
            admitted_on: Some("2010-05-19".into()),
            ..person("arrival_official")
        };
        let NewMember::Arrival { cell, status, party_dates, letter, .. } = input.validate(&book(), today()).unwrap() else { panic!("arrival") };
        assert_eq!((cell, status, party_dates.0), (7, MemberStatus::Official, NaiveDate::from_ymd_opt(2010, 5, 19)));
        assert_eq!((letter.letter_no.as_str(), letter.destination.as_deref()), ("88-QĐ/ĐU", Some("Đảng ủy Công an tỉnh Lạng Sơn")));
    }

    #[test]
    fn every_problem_of_a_new_member_is_reported_by_the_form_s_fields() {
        let input = NewMemberInput {
            profile: MemberInput { gender: "nam".into(), birth_date: "02/02/1988".into(), ..Default::default() },
            date: String::new(),
            cell: CellChoice::NotFound,
            admitted_on: Some(String::new()),
            fees_paid_through: "10/2026".into(),
            ..person("arrival_probationary")
        };
        let got: Vec<(String, ErrorCode)> = input.validate(&book(), today()).unwrap_err().errors.iter().map(|f| (f.field.clone(), f.code)).collect();
        for want in [
            ("full_name", ErrorCode::Required),
            ("event_date", ErrorCode::Required),
            ("cell", ErrorCode::NotFound),
            ("admitted_on", ErrorCode::DateFormat),
            ("destination", ErrorCode::Required),
        ] {
            assert!(got.contains(&(want.0.to_owned(), want.1)), "{want:?} in {got:?}");
        }
        assert_eq!(got.iter().filter(|(f, _)| f == "event_date").count(), 1, "the date is refused once: {got:?}");
        let odd = person("transferred_in").validate(&book(), today()).unwrap_err();
        assert_eq!(odd.for_field("first_event").map(|f| f.code), Some(ErrorCode::InvalidChoice));
    }
}
