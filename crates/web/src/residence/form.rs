//! The residence forms as posted: the link on a member and the yearly comment on a resident,
//! with the domain command each one is read into.

use chibo_domain::residence::command::{CellLookup, CommentResidenceInput, LinkResidenceInput};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct ResidenceForm {
    #[serde(default)]
    pub residence_cell: String,
    #[serde(default)]
    pub from_on: String,
    #[serde(default)]
    pub note: String,
}

impl ResidenceForm {
    /// The domain's input, with the residence cell as looked up from what was typed.
    pub(super) fn input(&self, cell: CellLookup) -> LinkResidenceInput {
        LinkResidenceInput { cell, from_on: self.from_on.clone(), note: self.note.clone() }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct CommentForm {
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub year: String,
}

impl CommentForm {
    /// The domain's input.
    pub(super) fn input(&self) -> CommentResidenceInput {
        CommentResidenceInput { year: self.year.clone(), comment: self.comment.clone() }
    }
}
