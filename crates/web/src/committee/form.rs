//! The committee forms as posted, each read into the domain's command input.

use chibo_domain::committee::command::{CloseTermInput, DutyInput, EndInput, EndSeatInput, Picked, PostInput, RegulationInput, SeatInput, TermInput, Upload};

use serde::Deserialize;

fn on(s: &str) -> bool {
    matches!(s, "1" | "on" | "true")
}

/// A term.
#[derive(Deserialize, Default)]
pub(super) struct TermForm {
    #[serde(default)]
    pub term_label: String,
    #[serde(default)]
    pub term_start: String,
    #[serde(default)]
    pub term_planned_end: String,
    #[serde(default)]
    pub term_pilot: String,
    #[serde(default)]
    pub term_planned_size: String,
    #[serde(default)]
    pub village_head_expected: String,
}

impl TermForm {
    pub fn input(&self) -> TermInput {
        TermInput {
            label: self.term_label.clone(),
            starts_on: self.term_start.clone(),
            planned_end: self.term_planned_end.clone(),
            pilot: on(&self.term_pilot),
            planned_size: self.term_planned_size.clone(),
            village_head_expected: on(&self.village_head_expected),
        }
    }
}

/// The end of a term.
#[derive(Deserialize, Default)]
pub(super) struct CloseForm {
    #[serde(default)]
    pub term_end: String,
    #[serde(default)]
    pub version: String,
}

impl CloseForm {
    pub fn input(&self) -> CloseTermInput {
        CloseTermInput { ended_on: self.term_end.clone() }
    }
}

/// A position, its holder picked by name among the organization's members.
#[derive(Deserialize, Default)]
pub(super) struct SeatForm {
    #[serde(default)]
    pub seat_member: String,
    /// The name typed in the holder's search box.
    #[serde(default)]
    pub seat_member_q: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub seat_from: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub approved_on: String,
    #[serde(default)]
    pub approval_no: String,
    #[serde(default)]
    pub note: String,
}

/// A record picked from a list shown to the person (its key as the option's value, never
/// typed by a person), among the keys the list could show.
pub(crate) fn picked(s: &str, known: &[i64]) -> Picked {
    match s.trim() {
        "" => Picked::None,
        v => v.parse::<i64>().ok().filter(|id| known.contains(id)).map_or(Picked::NotFound, Picked::Found),
    }
}

impl SeatForm {
    /// The input, with the holder as the page found them.
    pub fn input(&self, member: Picked) -> SeatInput {
        SeatInput {
            member,
            position: self.position.clone(),
            basis: self.basis.clone(),
            from: self.seat_from.clone(),
            decision_no: self.decision_number.clone(),
            approved_on: self.approved_on.clone(),
            approval_no: self.approval_no.clone(),
            note: self.note.clone(),
        }
    }
}

/// The end of a position.
#[derive(Deserialize, Default)]
pub(super) struct EndSeatForm {
    #[serde(default)]
    pub seat_until: String,
    #[serde(default)]
    pub seat_end: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: String,
}

impl EndSeatForm {
    pub fn input(&self) -> EndSeatInput {
        EndSeatInput { until: self.seat_until.clone(), reason: self.seat_end.clone(), note: self.note.clone() }
    }
}

/// A duty; the organizations in charge of picked from the committee's sub-organizations.
#[derive(Deserialize, Default)]
pub(super) struct DutyForm {
    #[serde(default)]
    pub duty_field: String,
    #[serde(default)]
    pub in_charge_of: String,
    #[serde(default)]
    pub duty_text: String,
    #[serde(default)]
    pub duty_from: String,
}

impl DutyForm {
    pub fn input(&self, orgs: &[i64]) -> DutyInput {
        DutyInput {
            field: self.duty_field.clone(),
            in_charge_of: self.in_charge_of.split(',').filter(|s| !s.trim().is_empty()).map(|s| picked(s, orgs)).collect(),
            text: self.duty_text.clone(),
            from: self.duty_from.clone(),
        }
    }
}

/// A concurrent post of a member.
#[derive(Deserialize, Default)]
pub(super) struct PostForm {
    #[serde(default)]
    pub post_kind: String,
    #[serde(default)]
    pub post_place: String,
    #[serde(default)]
    pub post_from: String,
    #[serde(default)]
    pub note: String,
}

impl PostForm {
    pub fn input(&self, member: i64) -> PostInput {
        PostInput {
            member: Picked::Found(member),
            kind: self.post_kind.clone(),
            place: self.post_place.clone(),
            from: self.post_from.clone(),
            note: self.note.clone(),
        }
    }
}

/// The end of a post.
#[derive(Deserialize, Default)]
pub(super) struct EndPostForm {
    #[serde(default)]
    pub post_until: String,
    #[serde(default)]
    pub version: String,
}

impl EndPostForm {
    pub fn input(&self) -> EndInput {
        EndInput { until: self.post_until.clone() }
    }
}

/// A working regulation, typed in or sent as a file (the file comes beside the form).
#[derive(Deserialize, Default)]
pub(super) struct RegulationForm {
    #[serde(default)]
    pub adopted_on: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub regulation_text: String,
}

impl RegulationForm {
    pub fn input(&self, file: Option<Upload>) -> RegulationInput {
        RegulationInput { adopted_on: self.adopted_on.clone(), decision_no: self.decision_number.clone(), text: self.regulation_text.clone(), file }
    }
}

/// The upper level's approval (chuẩn y) of an elected position.
#[derive(Deserialize, Default)]
pub(super) struct ApproveForm {
    #[serde(default)]
    pub approved_on: String,
    #[serde(default)]
    pub approval_no: String,
    #[serde(default)]
    pub version: String,
}

impl ApproveForm {
    pub fn input(&self) -> chibo_domain::committee::command::ApproveInput {
        chibo_domain::committee::command::ApproveInput { approved_on: self.approved_on.clone(), approval_no: self.approval_no.clone() }
    }
}

/// The version a form carries (0 when missing: the store then reports the record as changed).
pub(super) fn version(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}
