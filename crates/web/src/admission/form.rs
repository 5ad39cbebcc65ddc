//! The admission forms as posted: the candidate file and the next step, their fields as
//! the page shows them, and the domain command each one is read into.

use crate::form::Field;
use crate::i18n::Lang;
use crate::view::pick;
use chibo_domain::admission::command::{IntroducerChoice, OpenAdmissionInput, StepInput};
use chibo_domain::admission::{AdmissionCase, Stage};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct FileForm {
    #[serde(default)]
    pub member: String,
    #[serde(default)]
    pub certificate_no: String,
    #[serde(default)]
    pub certificate_on: String,
    #[serde(default)]
    pub applied_on: String,
    #[serde(default)]
    pub background_on: String,
    #[serde(default)]
    pub vetted_on: String,
    #[serde(default)]
    pub introducer_1: String,
    #[serde(default)]
    pub introducer_1_card: String,
    #[serde(default)]
    pub known_since_1: String,
    #[serde(default)]
    pub workplace_1: String,
    #[serde(default)]
    pub introducer_2: String,
    #[serde(default)]
    pub introducer_2_card: String,
    #[serde(default)]
    pub known_since_2: String,
    #[serde(default)]
    pub workplace_2: String,
}

pub(super) fn file_fields(f: &FileForm, introducers: &[(String, String)], lang: Lang) -> Vec<Field> {
    let card_label = pick(lang, "hoặc số thẻ đảng viên của người giới thiệu", "or the introducer's party card number");
    let card_hint = pick(lang, "Khi người giới thiệu ở chi bộ khác (cùng đơn vị công tác)", "When the introducer is in another cell (same workplace)");
    let workplace_hint =
        pick(lang, "Chỉ khi người giới thiệu ở chi bộ khác: tên đơn vị công tác chung", "Only for an introducer of another cell: the shared workplace");
    vec![
        Field::text("certificate_no", &f.certificate_no, lang).required(),
        Field::date("certificate_on", &f.certificate_on, lang).required(),
        Field::date("applied_on", &f.applied_on, lang).required(),
        Field::date("background_on", &f.background_on, lang),
        Field::date("vetted_on", &f.vetted_on, lang),
        Field::select("introducer_1", &f.introducer_1, introducers.to_vec(), lang).required(),
        Field::text("introducer_1_card", &f.introducer_1_card, lang).label(card_label).hint(card_hint),
        Field::date("known_since_1", &f.known_since_1, lang).required(),
        Field::text("workplace_1", &f.workplace_1, lang)
            .label(pick(lang, "Đơn vị công tác chung (người thứ nhất)", "Shared workplace (first)"))
            .hint(workplace_hint),
        Field::select("introducer_2", &f.introducer_2, introducers.to_vec(), lang).required(),
        Field::text("introducer_2_card", &f.introducer_2_card, lang).label(card_label).hint(card_hint),
        Field::date("known_since_2", &f.known_since_2, lang).required(),
        Field::text("workplace_2", &f.workplace_2, lang)
            .label(pick(lang, "Đơn vị công tác chung (người thứ hai)", "Shared workplace (second)"))
            .hint(workplace_hint),
    ]
}

impl FileForm {
    /// The domain's input, with each introducer as picked from the cell or found by card
    /// number (`found`).
    pub(super) fn input(&self, found: [IntroducerChoice; 2]) -> OpenAdmissionInput {
        OpenAdmissionInput {
            certificate_no: self.certificate_no.clone(),
            certificate_on: self.certificate_on.clone(),
            applied_on: self.applied_on.clone(),
            background_on: self.background_on.clone(),
            vetted_on: self.vetted_on.clone(),
            introducers: found,
            known_since: [self.known_since_1.clone(), self.known_since_2.clone()],
            workplaces: [self.workplace_1.clone(), self.workplace_2.clone()],
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct StepForm {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub vote_on: String,
    #[serde(default)]
    pub votes_for: String,
    #[serde(default)]
    pub votes_against: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decision_on: String,
    #[serde(default)]
    pub issued_by: String,
    #[serde(default)]
    pub ceremony_on: String,
    #[serde(default)]
    pub background_on: String,
    #[serde(default)]
    pub vetted_on: String,
    #[serde(default)]
    pub version: String,
}

pub(super) fn step_of(c: &AdmissionCase) -> Option<&'static str> {
    Some(match c.stage {
        Stage::Candidate if c.file.background_on.is_none() || c.file.vetted_on.is_none() => "vetting",
        Stage::Candidate => "vote",
        Stage::Voted => "decision",
        Stage::Decided => "ceremony",
        Stage::Probation => "recognition_vote",
        Stage::RecognitionVoted => "recognition_decision",
        _ => return None,
    })
}

pub(super) fn step_fields(step: &str, f: &StepForm, lang: Lang) -> Vec<Field> {
    match step {
        "vote" | "recognition_vote" => vec![
            Field::date("vote_on", &f.vote_on, lang).required(),
            Field::text("votes_for", &f.votes_for, lang).required(),
            Field::text("votes_against", &f.votes_against, lang).required(),
        ],
        "decision" | "recognition_decision" => vec![
            Field::text("decision_number", &f.decision_number, lang).required().hint(pick(lang, "ví dụ 123-QĐ/ĐU", "e.g. 123-QĐ/ĐU")),
            Field::date("decision_on", &f.decision_on, lang).required(),
            Field::text("issued_by", &f.issued_by, lang).required(),
        ],
        "vetting" => vec![Field::date("background_on", &f.background_on, lang).required(), Field::date("vetted_on", &f.vetted_on, lang).required()],
        _ => vec![Field::date("ceremony_on", &f.ceremony_on, lang).required()],
    }
}

impl StepForm {
    /// The domain's input.
    pub(super) fn input(&self) -> StepInput {
        StepInput {
            step: self.step.clone(),
            vote_on: self.vote_on.clone(),
            votes_for: self.votes_for.clone(),
            votes_against: self.votes_against.clone(),
            decision_number: self.decision_number.clone(),
            decision_on: self.decision_on.clone(),
            issued_by: self.issued_by.clone(),
            ceremony_on: self.ceremony_on.clone(),
            background_on: self.background_on.clone(),
            vetted_on: self.vetted_on.clone(),
        }
    }
}
