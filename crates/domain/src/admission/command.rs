//! The writes on an admission case, as commands: opening the case with the candidate file
//! (`OpenAdmissionInput` → [`OpenAdmission`]) and each next step (`StepInput` → [`Step`]).
//! The page's forms and the API's bodies both parse into these, so the two can never accept
//! different things; whether a step is allowed on the case as it stands is judged by
//! [`AdmissionCase::advance`](super::AdmissionCase::advance) inside the store's change.

use super::{CandidateFile, Decision, Step};
use crate::calendar::{OPEN_END, date_field};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::member::MemberId;
use crate::text::squash;

/// An introducer as the caller named them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IntroducerChoice {
    /// None given.
    #[default]
    None,
    /// A member (picked from the cell, or found by party card number).
    Found(MemberId),
    /// A party card number that no record carries.
    NotFound,
}

/// A candidate file as typed (a form) or sent (the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenAdmissionInput {
    /// Số giấy chứng nhận bồi dưỡng nhận thức về Đảng.
    pub certificate_no: String,
    /// Its date.
    pub certificate_on: String,
    /// Ngày làm đơn.
    pub applied_on: String,
    /// Ngày hoàn thành lý lịch (optional).
    pub background_on: String,
    /// Ngày thẩm tra xong (optional).
    pub vetted_on: String,
    /// The two introducers.
    pub introducers: [IntroducerChoice; 2],
    /// Since when each has known the candidate.
    pub known_since: [String; 2],
    /// The workplace each shares with the candidate, when from another cell.
    pub workplaces: [String; 2],
}

/// A checked candidate file, ready for the store (which judges it against the rules and the
/// introducers' records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAdmission {
    /// The file.
    pub file: CandidateFile,
    /// The declared shared workplaces, single-spaced.
    pub workplaces: [Option<String>; 2],
}

const INTRODUCERS: [&str; 2] = ["introducer_1", "introducer_2"];
const KNOWN_SINCE: [&str; 2] = ["known_since_1", "known_since_2"];

fn required_date(e: &mut ValidationErrors, field: &str, value: &str) -> Option<chrono::NaiveDate> {
    date_field(e, field, value, true, OPEN_END)
}

impl OpenAdmissionInput {
    /// Reads the dates (the certificate's, the application's and the known-since dates
    /// required; the background dates optional), both introducers and the workplaces. Every
    /// problem is reported, by field.
    pub fn validate(&self) -> Result<OpenAdmission, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("certificate_no", &self.certificate_no),
                ("certificate_on", &self.certificate_on),
                ("applied_on", &self.applied_on),
                ("background_on", &self.background_on),
                ("vetted_on", &self.vetted_on),
            ],
        ) {
            return Err(e);
        }
        let certificate_on = required_date(&mut e, "certificate_on", &self.certificate_on);
        let applied_on = required_date(&mut e, "applied_on", &self.applied_on);
        let background_on = date_field(&mut e, "background_on", &self.background_on, false, OPEN_END);
        let vetted_on = date_field(&mut e, "vetted_on", &self.vetted_on, false, OPEN_END);
        let mut introducers = [0; 2];
        for (i, choice) in self.introducers.iter().enumerate() {
            match choice {
                IntroducerChoice::Found(id) => introducers[i] = *id,
                IntroducerChoice::None => e.push(FieldError::new(INTRODUCERS[i], ErrorCode::Required)),
                IntroducerChoice::NotFound => e.push(FieldError::new(INTRODUCERS[i], ErrorCode::NotFound)),
            }
        }
        let k1 = required_date(&mut e, KNOWN_SINCE[0], &self.known_since[0]);
        let k2 = required_date(&mut e, KNOWN_SINCE[1], &self.known_since[1]);
        match (certificate_on, applied_on, k1, k2) {
            (Some(certificate_on), Some(applied_on), Some(k1), Some(k2)) if e.is_empty() => Ok(OpenAdmission {
                file: CandidateFile {
                    certificate_no: self.certificate_no.trim().to_owned(),
                    certificate_on,
                    applied_on,
                    background_on,
                    vetted_on,
                    introducers,
                    known_since: [k1, k2],
                },
                workplaces: self.workplaces.each_ref().map(|w| Some(squash(w)).filter(|w| !w.is_empty())),
            }),
            _ => Err(e),
        }
    }
}

/// A step as typed (a form names each date after the step; the API's one date goes into the
/// field of its step).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepInput {
    /// vetting, vote, decision, ceremony, recognition_vote or recognition_decision.
    pub step: String,
    /// Date of a vote.
    pub vote_on: String,
    /// Votes for.
    pub votes_for: String,
    /// Votes against.
    pub votes_against: String,
    /// Number of a decision.
    pub decision_number: String,
    /// Date of a decision.
    pub decision_on: String,
    /// The committee that signed it.
    pub issued_by: String,
    /// Date of the ceremony.
    pub ceremony_on: String,
    /// Date the background form was completed (vetting).
    pub background_on: String,
    /// Date the vetting concluded (vetting).
    pub vetted_on: String,
}

/// The fields a step needs.
fn needed(step: &str) -> &'static [&'static str] {
    match step {
        "vetting" => &["background_on", "vetted_on"],
        "vote" | "recognition_vote" => &["vote_on", "votes_for", "votes_against"],
        "decision" | "recognition_decision" => &["decision_on"],
        "ceremony" => &["ceremony_on"],
        _ => &[],
    }
}

fn count(e: &mut ValidationErrors, field: &str, v: &str, required: bool) -> Option<u32> {
    match v.trim() {
        "" => {
            if required {
                e.push(FieldError::new(field, ErrorCode::Required));
            }
            None
        }
        v => v.parse::<u32>().map_err(|_| e.push(FieldError::new(field, ErrorCode::InvalidChoice).with("value", v))).ok(),
    }
}

impl StepInput {
    /// Reads the step: its own dates and counts are required, and every date or count given
    /// is read whatever the step, so a malformed one is always refused. The decision's number
    /// and committee are checked against the case by `advance`.
    pub fn validate(&self) -> Result<Step, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("step", &self.step),
                ("vote_on", &self.vote_on),
                ("votes_for", &self.votes_for),
                ("votes_against", &self.votes_against),
                ("decision_number", &self.decision_number),
                ("decision_on", &self.decision_on),
                ("issued_by", &self.issued_by),
                ("ceremony_on", &self.ceremony_on),
                ("background_on", &self.background_on),
                ("vetted_on", &self.vetted_on),
            ],
        ) {
            return Err(e);
        }
        let kind = self.step.trim();
        let needs = needed(kind);
        let date = |e: &mut ValidationErrors, field: &str, v: &str| date_field(e, field, v, needs.contains(&field), OPEN_END);
        let vote_on = date(&mut e, "vote_on", &self.vote_on);
        let votes_for = count(&mut e, "votes_for", &self.votes_for, needs.contains(&"votes_for"));
        let votes_against = count(&mut e, "votes_against", &self.votes_against, needs.contains(&"votes_against"));
        let decision_on = date(&mut e, "decision_on", &self.decision_on);
        let ceremony_on = date(&mut e, "ceremony_on", &self.ceremony_on);
        let background_on = date(&mut e, "background_on", &self.background_on);
        let vetted_on = date(&mut e, "vetted_on", &self.vetted_on);
        let decision = || decision_on.map(|on| Decision { on, number: self.decision_number.trim().to_owned(), issued_by: squash(&self.issued_by) });
        let vote = vote_on.zip(votes_for).zip(votes_against).map(|((on, f), a)| (on, f, a));
        let step = match kind {
            "vetting" => background_on.zip(vetted_on).map(|(background_on, vetted_on)| Step::Vetting { background_on, vetted_on }),
            "vote" => vote.map(|(on, votes_for, votes_against)| Step::Vote { on, votes_for, votes_against }),
            "recognition_vote" => vote.map(|(on, votes_for, votes_against)| Step::RecognitionVote { on, votes_for, votes_against }),
            "decision" => decision().map(|decision| Step::Decision { decision }),
            "recognition_decision" => decision().map(|decision| Step::RecognitionDecision { decision }),
            "ceremony" => ceremony_on.map(|on| Step::Ceremony { on }),
            other => {
                e.push(FieldError::new("step", ErrorCode::InvalidChoice).with("value", other));
                None
            }
        };
        match step {
            Some(step) if e.is_empty() => Ok(step),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fields(e: ValidationErrors) -> Vec<(String, ErrorCode)> {
        e.errors.into_iter().map(|f| (f.field, f.code)).collect()
    }

    fn file() -> OpenAdmissionInput {
        OpenAdmissionInput {
            certificate_no: " 12/GCN ".into(),
            certificate_on: "01/03/2026".into(),
            applied_on: "2026-04-01".into(),
            introducers: [IntroducerChoice::Found(3), IntroducerChoice::Found(4)],
            known_since: ["01/01/2025".into(), "01/01/2025".into()],
            workplaces: [String::new(), " Trường  THCS ".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_file_reads_its_dates_introducers_and_workplaces() {
        let ok = file().validate().unwrap();
        assert_eq!(ok.file.certificate_no, "12/GCN");
        assert_eq!((ok.file.applied_on, ok.file.background_on), (d(2026, 4, 1), None));
        assert_eq!(ok.file.introducers, [3, 4]);
        assert_eq!(ok.workplaces, [None, Some("Trường THCS".to_owned())]);
        let bad = OpenAdmissionInput {
            background_on: "32/01/2026".into(),
            introducers: [IntroducerChoice::NotFound, IntroducerChoice::None],
            known_since: [String::new(), "01/01/2025".into()],
            ..file()
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            [
                ("background_on".to_owned(), ErrorCode::DateFormat),
                ("introducer_1".to_owned(), ErrorCode::NotFound),
                ("introducer_2".to_owned(), ErrorCode::Required),
                ("known_since_1".to_owned(), ErrorCode::Required),
            ]
        );
    }

    #[test]
    fn a_step_needs_its_own_fields_and_reads_every_field_given() {
        let vote = StepInput { step: "vote".into(), vote_on: "10/05/2026".into(), votes_for: "9".into(), votes_against: "0".into(), ..Default::default() };
        assert_eq!(vote.validate(), Ok(Step::Vote { on: d(2026, 5, 10), votes_for: 9, votes_against: 0 }));
        let short = StepInput { votes_for: String::new(), votes_against: "-1".into(), ..vote.clone() };
        assert_eq!(
            fields(short.validate().unwrap_err()),
            [("votes_for".to_owned(), ErrorCode::Required), ("votes_against".to_owned(), ErrorCode::InvalidChoice)]
        );
        let stray = StepInput { background_on: "không rõ".into(), ..vote };
        assert_eq!(fields(stray.validate().unwrap_err()), [("background_on".to_owned(), ErrorCode::DateFormat)], "a stray malformed date is refused");
        let decision = StepInput {
            step: "recognition_decision".into(),
            decision_number: " 45-QĐ/ĐU ".into(),
            decision_on: "01/06/2027".into(),
            issued_by: "Đảng ủy  phường".into(),
            ..Default::default()
        };
        let Ok(Step::RecognitionDecision { decision }) = decision.validate() else { panic!("a recognition decision") };
        assert_eq!((decision.number.as_str(), decision.issued_by.as_str()), ("45-QĐ/ĐU", "Đảng ủy phường"));
        let vetting = StepInput { step: "vetting".into(), vetted_on: "01/02/2026".into(), ..Default::default() };
        assert_eq!(fields(vetting.validate().unwrap_err()), [("background_on".to_owned(), ErrorCode::Required)]);
        assert_eq!(fields(StepInput { step: "party".into(), ..Default::default() }.validate().unwrap_err()), [("step".to_owned(), ErrorCode::InvalidChoice)]);
    }
}
