//! Organizations: the tree, an organization's page and the forms of its dated changes
//! (`page`, `form`), and its part of the API (`api`).

pub(crate) mod api;
mod form;
mod page;

use crate::AppState;
use crate::i18n::Lang;
use crate::view::pick;
use axum::Router;
use axum::routing::{get, post};
use chibo_domain::org::OrgKind;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/orgs", page::tree)
        .form("/orgs/new", page::new_top_form, page::create_top)
        .get("/orgs/{id}", page::show)
        .get("/orgs/{id}/children", page::children)
        .form("/orgs/{id}/new", page::new_child_form, page::create_child)
        .form("/orgs/{id}/change/{what}", page::change_form, page::change)
}

/// Its part of the API (under `/api/v1`).
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(api::search).post(api::found_org))
        .route("/orgs/{id}", get(api::get_org))
        .route("/orgs/{id}/changes", post(api::change_org))
        .route("/orgs/{id}/merge", post(api::merge_org))
        .route("/orgs/{id}/children", get(api::children))
        .route("/orgs/{id}/subtree", get(api::subtree))
}

/// An organization's level in the page's language.
fn kind_label(k: OrgKind, lang: Lang) -> &'static str {
    pick(lang, k.label_vi(), k.label_en())
}
