//! Members: the list and search (`list`), the profile and a member's own record (`show`),
//! the create and edit forms (`form`), recording an event (`event`), and its part of the API
//! (`api`).

pub(crate) mod api;
mod event;
mod form;
mod list;
mod positions;
mod show;

use crate::AppState;
use crate::i18n::Lang;
use crate::view::{pick, status_class};
use axum::Router;
use axum::routing::get;
use chibo_domain::calendar::format_date;
use chibo_domain::member::MemberStatus;
use chibo_store::member::Member;

pub(crate) use form::version_of;
pub(crate) use list::{ListQuery, list_filter};

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/members", list::list)
        .form("/members/new", form::new_form, form::create)
        .get("/members/{id}", show::show)
        .form("/members/{id}/edit", form::edit_form, form::update)
        .form("/members/{id}/event", event::event_form, event::record_event)
        .form("/me", show::me, show::update_me)
}

/// Its part of the API (under `/api/v1`).
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/members", get(api::list).post(api::create))
        .route("/members/{id}", get(api::get_member).put(api::update))
        .route("/members/{id}/events", get(api::events).post(api::record_event))
}

/// One member in a list.
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub birth: String,
    pub gender: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub cell: String,
    /// Since left the user's scope: named, not linked (their record answers 404).
    pub elsewhere: bool,
}

fn status_label(s: MemberStatus, lang: Lang) -> &'static str {
    pick(lang, s.label_vi(), s.label_en())
}

/// List rows of members, in the order given.
pub fn member_rows(list: Vec<Member>, lang: Lang) -> Vec<MemberRow> {
    list.into_iter()
        .map(|m| MemberRow {
            id: m.id,
            birth: format_date(m.profile.birth_date),
            gender: pick(lang, m.profile.gender.label_vi(), m.profile.gender.label_en()),
            status: status_label(m.status, lang),
            status_class: status_class(m.status),
            cell: m.org_name,
            name: m.profile.full_name,
            elsewhere: m.elsewhere,
        })
        .collect()
}
