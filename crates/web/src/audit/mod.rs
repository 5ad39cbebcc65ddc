//! The audit log: its page and its part of the API.

pub(crate) mod api;
mod page;

use crate::AppState;
use axum::Router;
use axum::routing::get;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/audit", page::list)
}

/// Its part of the API (under `/api/v1`).
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new().route("/audit", get(api::list))
}
