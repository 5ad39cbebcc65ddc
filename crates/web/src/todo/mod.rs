//! The to-do list: deadlines near or past of every concept, each pointing at its record. The
//! home page shows its first lines (`home`); this concept owns its API. It has no page of its
//! own: the list is read from the store's registry (`chibo_store::todo`) and rendered from the
//! item's own words.

pub(crate) mod api;

use crate::AppState;
use axum::Router;
use axum::routing::get;

/// Its part of the API (under `/api/v1`).
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new().route("/todo", get(api::list))
}
