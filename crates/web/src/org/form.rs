//! The organization forms as typed, their fields, and how they read into the domain's
//! commands (`FoundOrgInput`, `ChangeOrgInput`).

use super::kind_label;
use crate::error::{AppError, AppResult};
use crate::form::Field;
use crate::i18n::{Lang, Texts};
use crate::view::pick;
use chibo_domain::org::command::{ChangeOrgInput, FoundOrgInput, OrgChangeKind, OrgChoice};
use chibo_domain::org::{OrgCategory, OrgKind};
use serde::Deserialize;

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    OrgKind::ALL.iter().map(|k| (k.code().to_owned(), kind_label(*k, lang).to_owned())).collect()
}

fn category_options(lang: Lang) -> Vec<(String, String)> {
    OrgCategory::ALL.iter().map(|k| (k.code().to_owned(), pick(lang, k.label_vi(), k.label_en()).to_owned())).collect()
}

/// The new sub-organization form as typed.
#[derive(Deserialize, Default)]
pub(super) struct NewChildForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub founded_on: String,
    #[serde(default)]
    pub decision_no: String,
}

impl NewChildForm {
    /// The domain's command input.
    pub fn input(&self) -> FoundOrgInput {
        FoundOrgInput {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            category: self.category.clone(),
            founded_on: self.founded_on.clone(),
            decision_no: self.decision_no.clone(),
        }
    }

    /// Its fields with what was typed.
    pub fn fields(&self, lang: Lang) -> Vec<Field> {
        vec![
            Field::text("code", &self.code, lang).required(),
            Field::text("name", &self.name, lang).required(),
            Field::select("kind", &self.kind, kind_options(lang), lang),
            Field::select("category", &self.category, category_options(lang), lang),
            Field::date("founded_on", &self.founded_on, lang).required(),
            Field::text("decision_no", &self.decision_no, lang),
        ]
    }
}

/// A dated change form as typed (the change's kind is in the path).
#[derive(Deserialize, Default)]
pub(super) struct ChangeForm {
    #[serde(default)]
    pub version: i64,
    #[serde(default, rename = "event_date")]
    pub on: String,
    #[serde(default)]
    pub decision_no: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    /// The new parent's code or name (a move).
    #[serde(default)]
    pub parent: String,
}

impl ChangeForm {
    /// The domain's command input, with the new parent as the page found it.
    pub fn input(&self, what: OrgChangeKind, parent: OrgChoice) -> ChangeOrgInput {
        ChangeOrgInput {
            what: what.code().to_owned(),
            date: self.on.clone(),
            decision_no: self.decision_no.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            category: self.category.clone(),
            parent,
        }
    }

    /// The fields of a change of this kind with what was typed.
    pub fn fields(&self, what: OrgChangeKind, t: &Texts, lang: Lang) -> Vec<Field> {
        let mut fields = vec![Field::date("event_date", &self.on, lang).label(t.effective_date).required()];
        match what {
            OrgChangeKind::Rename => fields.push(Field::text("name", &self.name, lang).required()),
            OrgChangeKind::Reclassify => {
                fields.push(Field::select("kind", &self.kind, kind_options(lang), lang));
                fields.push(Field::select("category", &self.category, category_options(lang), lang));
            }
            OrgChangeKind::Move => fields.push(Field::text("parent", &self.parent, lang).label(t.new_parent_code).required()),
            OrgChangeKind::Dissolve => {}
        }
        fields.push(Field::text("decision_no", &self.decision_no, lang));
        fields
    }
}

/// The change a path names (`/orgs/{id}/change/rename`); any other is not found.
pub(super) fn change_kind(s: &str, lang: Lang) -> AppResult<OrgChangeKind> {
    OrgChangeKind::from_code(s).ok_or(AppError::NotFound(lang))
}

/// The form's title of a change.
pub(super) fn change_title(what: OrgChangeKind, t: &Texts) -> &'static str {
    match what {
        OrgChangeKind::Rename => t.rename,
        OrgChangeKind::Reclassify => t.reclassify,
        OrgChangeKind::Move => t.move_org,
        OrgChangeKind::Dissolve => t.dissolve,
    }
}
