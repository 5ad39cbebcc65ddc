//! chibo-web: the HTTP server. Pages and API call the same store functions; handlers are thin.

pub mod auth;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chibo_store::Store;
use std::net::SocketAddr;

/// Shared state of all handlers; the server itself keeps nothing else.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
}

#[derive(Template, WebTemplate)]
#[template(path = "status.html")]
struct StatusPage {
    engine: &'static str,
    version: &'static str,
}

async fn status(State(state): State<AppState>) -> StatusPage {
    StatusPage { engine: state.store.backend().name(), version: env!("CARGO_PKG_VERSION") }
}

async fn healthz(State(state): State<AppState>) -> Json<serde_json::Value> {
    let ok = state.store.is_empty().await.is_ok();
    Json(serde_json::json!({ "status": if ok { "ok" } else { "database_unreachable" }, "engine": state.store.backend().name() }))
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new().route("/", get(status)).route("/healthz", get(healthz)).with_state(state)
}

/// Serves until Ctrl-C.
pub async fn serve(store: Store, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "listening");
    axum::serve(listener, router(AppState { store }))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
