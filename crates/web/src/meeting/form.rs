//! The meeting forms as posted, each read into the domain's command input. The attendance and
//! the minutes have a line per person and per agenda item, so they are read from the posted
//! pairs (`presence_12`, `items.3.title`) rather than into a fixed struct.

use chibo_domain::committee::command::Picked;
use chibo_domain::meeting::command::{
    AmendInput, AttendanceInput, CancelInput, ItemInput, MinutesInput, PlanInput, PresenceInput, RateInput, SignInput, VoteInput,
};
use chibo_domain::member::MemberId;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A meeting's plan.
#[derive(Deserialize, Default, Clone)]
pub(super) struct PlanForm {
    #[serde(default)]
    pub meeting_kind: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub version: String,
}

impl PlanForm {
    pub fn input(&self) -> PlanInput {
        PlanInput {
            kind: self.meeting_kind.clone(),
            held_on: self.held_on.clone(),
            starts_at: self.starts_at.clone(),
            place: self.place.clone(),
            topic: self.topic.clone(),
            documents: self.documents.clone(),
        }
    }
}

/// A form read as its posted pairs, by name.
#[derive(Default, Clone)]
pub(super) struct Pairs(pub BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Vec<(String, String)> = Vec::deserialize(d)?;
        Ok(Pairs(v.into_iter().collect()))
    }
}

impl Pairs {
    /// The value of a field, empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// The version the form edits.
    pub fn version(&self) -> i64 {
        crate::member::version_of(&self.get("version"))
    }

    /// The attendance as tapped: one line per member of the list shown (`ids`); a member
    /// whose presence was not sent stays as recorded.
    pub fn attendance(&self, ids: &[MemberId]) -> AttendanceInput {
        let lines = ids
            .iter()
            .filter_map(|id| {
                let presence = self.0.get(&format!("presence_{id}"))?.clone();
                Some(PresenceInput { member_id: Some(*id), presence, reason: self.get(&format!("reason_{id}")) })
            })
            .collect();
        AttendanceInput { lines, guests: self.get("guests") }
    }

    /// How many agenda items the form carries (`items.N.title` for N from 1).
    pub fn item_count(&self) -> usize {
        (1..).take_while(|n| self.0.contains_key(&format!("items.{n}.title"))).count()
    }

    /// The minutes as typed; the chair and the secretary among `present` (the attendees'
    /// keys the page offered).
    pub fn minutes(&self, present: &[MemberId]) -> MinutesInput {
        let item = |n: usize| {
            let f = |k: &str| self.get(&format!("items.{n}.{k}"));
            ItemInput {
                title: f("title"),
                report: f("report"),
                opinions: f("opinions"),
                conclusion: f("conclusion"),
                vote: VoteInput { subject: f("vote_subject"), votes_for: f("votes_for"), votes_against: f("votes_against"), abstain: f("abstain") },
            }
        };
        MinutesInput {
            items: (1..=self.item_count()).map(item).collect(),
            chair: person(&self.get("chair"), present),
            secretary: person(&self.get("minutes_secretary"), present),
            resolution_no: self.get("resolution_no"),
            resolution: self.get("resolution"),
        }
    }
}

fn person(s: &str, known: &[MemberId]) -> Picked {
    crate::committee::picked(s, known)
}

/// The signature.
#[derive(Deserialize, Default)]
pub(super) struct SignForm {
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub version: String,
}

impl SignForm {
    pub fn input(&self) -> SignInput {
        SignInput { signed_on: self.signed_on.clone() }
    }
}

/// A cancellation.
#[derive(Deserialize, Default)]
pub(super) struct CancelForm {
    #[serde(default)]
    pub cancel_reason: String,
    #[serde(default)]
    pub version: String,
}

impl CancelForm {
    pub fn input(&self) -> CancelInput {
        CancelInput { reason: self.cancel_reason.clone() }
    }
}

/// An amendment of signed minutes.
#[derive(Deserialize, Default)]
pub(super) struct AmendForm {
    #[serde(default)]
    pub amendment: String,
    #[serde(default)]
    pub version: String,
}

impl AmendForm {
    pub fn input(&self) -> AmendInput {
        AmendInput { text: self.amendment.clone() }
    }
}

/// The upper level's rating.
#[derive(Deserialize, Default)]
pub(super) struct RateForm {
    #[serde(default)]
    pub quality: String,
    #[serde(default)]
    pub quality_note: String,
    #[serde(default)]
    pub version: String,
}

impl RateForm {
    pub fn input(&self) -> RateInput {
        RateInput { quality: self.quality.clone(), note: self.quality_note.clone() }
    }
}
