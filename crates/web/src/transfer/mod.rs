//! Transfers of party activity (chuyển sinh hoạt đảng) on the web: the letter, the lists and
//! the answers (`page`), their forms (`form`) and the API (`api`). Pages and API read every
//! write into the domain's command (`chibo_domain::transfer::command`).

pub(crate) mod api;
mod form;
mod page;

use crate::i18n::Lang;
use chibo_domain::transfer::{TransferKind, TransferState};

/// The routes of the transfer pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/members/{id}/transfer", page::letter_form, page::send)
        .get("/transfers", page::list)
        .get("/transfers/{id}", page::show)
        .post("/transfers/{id}/accept", page::accept)
        .post("/transfers/{id}/refuse", page::refuse)
        .post("/transfers/{id}/end", page::end)
        .get("/transfers/{id}/letter", page::letter)
}

fn kind_label(k: TransferKind, lang: Lang) -> &'static str {
    if lang == Lang::Vi { k.label_vi() } else { k.label_en() }
}

fn state_label(s: TransferState, lang: Lang) -> &'static str {
    if lang == Lang::Vi { s.label_vi() } else { s.label_en() }
}
