//! The transfer forms as posted: the letter on a member and the answers on a transfer, with
//! the domain command each one is read into.

use crate::form::Field;
use crate::i18n::Lang;
use crate::view::pick;
use chibo_domain::transfer::command::{AcceptTransferInput, EndTransferInput, RefuseTransferInput};
use chibo_domain::transfer::{LetterInput, TransferKind};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct LetterForm {
    #[serde(flatten)]
    pub letter: LetterInput,
    /// The receiving organization typed as a code or name.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub version: String,
}

pub(super) fn letter_fields(f: &LetterForm, lang: Lang) -> Vec<Field> {
    let kinds = [TransferKind::Permanent, TransferKind::Temporary, TransferKind::Out]
        .iter()
        .map(|k| (k.code().to_owned(), super::kind_label(*k, lang).to_owned()))
        .collect();
    vec![
        Field::select("transfer_kind", &f.letter.kind, kinds, lang).required(),
        Field::text("to_org", &f.to, lang).hint(pick(
            lang,
            "Mã hoặc tên tổ chức đảng nhận trong hệ thống (chuyển chính thức hoặc tạm thời)",
            "Code or name of the receiving organization in the system (permanent or temporary)",
        )),
        Field::text("destination", &f.letter.destination, lang).hint(pick(
            lang,
            "Chỉ khi chuyển ra ngoài hệ thống: tên tổ chức nhận",
            "Only for a transfer out: the receiving organization",
        )),
        Field::text("letter_no", &f.letter.letter_no, lang).required().hint(pick(lang, "ví dụ 25-GGT/ĐU", "e.g. 25-GGT/ĐU")),
        Field::date("letter_on", &f.letter.letter_on, lang).required(),
        Field::text("fees_paid_through", &f.letter.fees_paid_through, lang).required().hint(pick(lang, "mm/yyyy, ví dụ 10/2026", "mm/yyyy, e.g. 10/2026")),
        Field::date("until", &f.letter.until, lang).hint(pick(lang, "Chỉ khi chuyển tạm thời", "Temporary transfers only")),
        Field::text("note", &f.letter.note, lang),
    ]
}

#[derive(Deserialize, Default)]
pub(super) struct AnswerForm {
    #[serde(default)]
    pub cell: String,
    #[serde(default)]
    pub answered_on: String,
    #[serde(default)]
    pub refused_on: String,
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: String,
}

impl AnswerForm {
    /// The acceptance.
    pub(super) fn accept(&self) -> AcceptTransferInput {
        AcceptTransferInput { cell: self.cell.clone(), on: self.answered_on.clone() }
    }

    /// The refusal or withdrawal.
    pub(super) fn refuse(&self) -> RefuseTransferInput {
        RefuseTransferInput { on: self.refused_on.clone(), reason: self.note.clone() }
    }

    /// The end of a temporary transfer.
    pub(super) fn end(&self) -> EndTransferInput {
        EndTransferInput { on: self.ended_on.clone() }
    }
}
