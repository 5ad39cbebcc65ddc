//! chibo-web: the HTTP server. Server-rendered pages (askama + htmx) over the scoped store;
//! handlers are thin: parse, call the store through the user's capability, render.
//!
//! The process keeps no state of its own (sessions, throttling, set-up tokens and import jobs
//! live in the database), so several `chibo serve` can run behind one load balancer.
//!
//! The web crate cannot widen what a user reaches: it gets scopes only from the store's
//! grants, and none of these compiles here (CI also checks this crate alone, without the
//! store's `operator` feature that gives the CLI its full scope):
//!
//! ```compile_fail
//! // A scope assembled from its parts.
//! use chibo_domain::scope::{Actor, Reach, Rights};
//! let _ = chibo_store::Scope { actor: Actor::System { what: "web".into() }, reach: Reach::All, rights: Rights::Full };
//! ```
//!
//! ```compile_fail
//! // A member's own-record grant for someone else's record.
//! let _ = chibo_store::account::OwnGrant { actor: chibo_domain::scope::Actor::System { what: "web".into() }, member_id: 42 };
//! ```
//!
//! ```compile_fail
//! // A handle on a scope the store did not grant.
//! async fn f(store: &chibo_store::Store, s: chibo_store::Scope) { let _ = store.scoped(s); }
//! ```

mod account;
mod admission;
pub mod api;
mod assets;
mod audit;
pub mod auth;
mod chart;
mod committee;
mod error;
mod form;
mod home;
pub mod i18n;
mod import;
mod meeting;
mod member;
mod org;
mod residence;
pub mod routes;
mod stats;
mod todo;
mod token;
mod transfer;
mod view;

use axum::Router;
use axum::http::{HeaderValue, header};
use chibo_store::Store;
use chibo_store::account::SessionLimits;
use chrono::Duration;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::{AppError, AppResult};

/// Limits on failed sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    /// Tries of one login from one address before each further try waits.
    pub per_login: i64,
    /// Tries from one address (any login) before each further try waits.
    pub per_addr: i64,
    /// The wait after the first try beyond them; the n-th waits n² times as long.
    pub first_delay: Duration,
    /// The longest wait.
    pub longest_delay: Duration,
}

impl Throttle {
    /// The store's paces: (a login from an address, an address).
    pub fn paces(&self) -> (chibo_store::account::SignInPace, chibo_store::account::SignInPace) {
        let pace = |free| chibo_store::account::SignInPace { free, first: self.first_delay, longest: self.longest_delay };
        (pace(self.per_login), pace(self.per_addr))
    }
}

/// Settings of the web server (from the command line and the environment).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Session timeouts.
    pub session: SessionLimits,
    /// Sign-in throttling.
    pub throttle: Throttle,
    /// Always mark cookies `Secure` (behind a TLS-terminating proxy that does not send
    /// `X-Forwarded-Proto`).
    pub secure_cookies: bool,
    /// Count failed sign-ins by the `X-Forwarded-For` address (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Largest form body accepted.
    pub max_form_bytes: usize,
    /// API requests one token may make per minute.
    pub api_per_minute: i64,
    /// A password hash checked when a login does not exist, so that timing does not reveal
    /// which logins exist.
    pub dummy_hash: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            session: SessionLimits { idle: Duration::minutes(30), absolute: Duration::hours(12) },
            throttle: Throttle { per_login: 5, per_addr: 30, first_delay: Duration::seconds(30), longest_delay: Duration::minutes(15) },
            secure_cookies: false,
            trust_forwarded_for: false,
            max_form_bytes: 256 * 1024,
            api_per_minute: 600,
            dummy_hash: auth::hash_password("chibo-dummy-password").unwrap_or_default(),
        }
    }
}

/// Shared state of all handlers: the database and the settings; nothing else.
#[derive(Clone)]
pub struct AppState {
    /// The database: handlers reach people's records only through the scoped handles their
    /// extractors hand out (`Staff::store`, `MemberSelf::record`, `Caller::store`).
    pub(crate) store: Store,
    /// Settings.
    pub config: Arc<WebConfig>,
    /// Requests per API token in the current minute, in this process's memory: counting them
    /// is never a write, so an API read never waits behind another's transaction (a large
    /// import). Several servers on one database each allow `api_per_minute`.
    api_rate: Arc<std::sync::Mutex<std::collections::HashMap<i64, (i64, i64)>>>,
}

impl AppState {
    /// The state of an application over `store`.
    pub fn new(store: Store, config: WebConfig) -> Self {
        Self { store, config: Arc::new(config), api_rate: Arc::default() }
    }

    /// Counts a request of a token in the current minute; false when it is over the limit.
    pub(crate) fn api_rate_hit(&self, token_id: i64) -> bool {
        let minute = self.store.clock().now().timestamp() / 60;
        let mut rates = self.api_rate.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if rates.len() > 10_000 {
            // Tokens idle since an earlier minute are of no use any more.
            rates.retain(|_, (m, _)| *m == minute);
        }
        let entry = rates.entry(token_id).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= self.config.api_per_minute
    }

    /// Today in Vietnam, by the store's clock: pages and API agree with the store on the day.
    pub fn today(&self) -> chrono::NaiveDate {
        self.store.today()
    }
}

/// Every page's routes (the API's are listed by its OpenAPI description), each module's
/// declared once; the access matrix test reads the same list through [`page_routes`].
fn pages() -> routes::Routes {
    routes::Routes::new()
        .merge(auth::routes::routes())
        .merge(home::routes())
        .merge(org::routes())
        .merge(stats::routes())
        .merge(member::routes())
        .merge(admission::routes())
        .merge(transfer::routes())
        .merge(committee::routes())
        .merge(meeting::routes())
        .merge(residence::routes())
        .merge(audit::routes())
        .merge(account::routes())
        .merge(token::routes())
        .merge(assets::routes())
        .map_router(|r| r.layer(tower_http::limit::RequestBodyLimitLayer::new(2 * 1024 * 1024)))
        // Member-list uploads are larger than any form.
        .merge(import::routes().map_router(|r| {
            r.layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD)).layer(tower_http::limit::RequestBodyLimitLayer::new(import::MAX_UPLOAD))
        }))
        // A regulation's file: the extractors stop at MAX_UPLOAD (the form then says the file
        // is too large beside its field); far beyond it the request is refused outright.
        .merge(committee::upload_routes().map_router(|r| {
            r.layer(axum::extract::DefaultBodyLimit::max(committee::MAX_UPLOAD)).layer(tower_http::limit::RequestBodyLimitLayer::new(4 * committee::MAX_UPLOAD))
        }))
}

/// The pages' routes as (method, path pattern), for the access matrix.
#[doc(hidden)]
pub fn page_routes() -> Vec<routes::Route> {
    pages().table().to_vec()
}

/// The application's routes with their middleware.
pub fn router(state: AppState) -> Router {
    let security_headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Pages, API answers and downloads carry personal data: no browser or proxy keeps a
        // copy. Only the assets, which set their own, are cached.
        (header::CACHE_CONTROL, "no-store"),
    ];
    let mut app = Router::new()
        .merge(api::routes())
        .merge(pages().into_router())
        .fallback(not_found)
        .with_state(state)
        .layer(tower_http::compression::CompressionLayer::new())
        // Spans name the path only: query strings carry what people search for (names, ID
        // numbers), which must never reach a log.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| tracing::info_span!("request", method = %req.method(), path = %req.uri().path())),
        );
    for (name, value) in security_headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    app
}

async fn not_found(headers: axum::http::HeaderMap) -> AppError {
    AppError::NotFound(auth::lang_of(&headers))
}

/// Serves until Ctrl-C. On an installation without accounts, prints the one-time set-up
/// link for the first administrator.
pub async fn serve(store: Store, addr: SocketAddr, config: WebConfig) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    if store.account_count().await.map_err(std::io::Error::other)? == 0 {
        let token = auth::new_token();
        store.replace_setup_token(&auth::hash_token(&token)).await.map_err(std::io::Error::other)?;
        eprintln!(
            "Chưa có tài khoản nào. Mở liên kết sau (dùng một lần) để tạo quản trị viên đầu tiên:\n  http://{local}/setup?token={token}\n(hoặc dùng lệnh: chibo user add --login admin --role admin)"
        );
    }
    let state = AppState::new(store.clone(), config);
    let housekeeping = tokio::spawn(housekeeping(store, state.config.clone()));
    tracing::info!(%local, "listening");
    let result = axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    housekeeping.abort();
    result
}

/// Starts the server on an already bound listener (tests bind port 0).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await
}

/// Removes expired sessions, old failed-login records and old import jobs every ten minutes;
/// skipped in a round when another `chibo serve` on the same database is doing it.
async fn housekeeping(store: Store, config: Arc<WebConfig>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        let guard = match store.chore(chibo_store::Chore::Housekeeping).await {
            Ok(Some(guard)) => guard,
            Ok(None) => {
                tracing::debug!("housekeeping: another process is doing it");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "housekeeping failed");
                continue;
            }
        };
        if let Err(e) = store.purge_expired(config.session, config.throttle.longest_delay * 4).await {
            tracing::warn!(error = %e, "housekeeping failed");
        }
        if let Err(e) = guard.release().await {
            tracing::warn!(error = %e, "housekeeping: lock not released (its connection closes)");
        }
    }
}
