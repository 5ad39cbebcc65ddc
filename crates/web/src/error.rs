//! One error type for every handler. Refusals the user can act on (not found, read-only) get
//! a page in their language; internal failures are logged with their cause and a request id
//! and shown generically, so no database detail or personal data reaches the screen or the log
//! line's message.

use crate::i18n::{Lang, texts};
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chibo_store::StoreError;

/// What a handler can fail with.
#[derive(Debug)]
pub enum AppError {
    /// Not signed in: go to the login page (and come back).
    Unauthenticated { next: String },
    /// No such record in the user's scope (the same answer as "does not exist").
    NotFound(Lang),
    /// The scope may read but not change this.
    Forbidden(Lang),
    /// A form or token the server did not issue (CSRF).
    BadToken(Lang),
    /// A request the server cannot accept, with a message for the person.
    Invalid(Lang, String),
    /// Too many requests (login throttling).
    TooMany(Lang, String),
    /// Anything else: logged, shown generically.
    Internal(Lang, String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'a crate::i18n::Texts,
    title: &'a str,
    text: &'a str,
    request_id: Option<&'a str>,
}

fn request_id() -> String {
    use rand::Rng;
    format!("{:08x}", rand::rng().random::<u32>())
}

impl AppError {
    /// Maps a store error: refusals to their pages, the rest to an internal error.
    pub fn from_store(e: StoreError, lang: Lang) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound(lang),
            StoreError::ReadOnly => AppError::Forbidden(lang),
            other => AppError::Internal(lang, format!("{other}")),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, lang, title, text, rid) = match &self {
            AppError::Unauthenticated { next } => {
                let target = format!("/login?next={}", urlencode(next));
                let mut r = axum::response::Redirect::to(&target).into_response();
                // htmx follows this header with a full-page navigation instead of swapping a
                // login form into a fragment.
                if let Ok(v) = HeaderValue::from_str(&target) {
                    r.headers_mut().insert("HX-Redirect", v);
                }
                return r;
            }
            AppError::NotFound(l) => (StatusCode::NOT_FOUND, *l, texts(*l).not_found_title, texts(*l).not_found_text.to_owned(), None),
            AppError::Forbidden(l) => {
                let m = chibo_domain::error::ErrorCode::ReadOnlyScope.template(*l);
                (StatusCode::FORBIDDEN, *l, texts(*l).error_title, capitalize(m), None)
            }
            AppError::BadToken(l) => {
                let m = match l {
                    Lang::Vi => "Biểu mẫu đã hết hạn hoặc không do hệ thống cấp. Hãy tải lại trang rồi thử lại.",
                    Lang::En => "The form expired or was not issued by this system. Reload the page and try again.",
                };
                (StatusCode::FORBIDDEN, *l, texts(*l).error_title, m.to_owned(), None)
            }
            AppError::Invalid(l, m) => (StatusCode::BAD_REQUEST, *l, texts(*l).error_title, m.clone(), None),
            AppError::TooMany(l, m) => (StatusCode::TOO_MANY_REQUESTS, *l, texts(*l).error_title, m.clone(), None),
            AppError::Internal(l, cause) => {
                let rid = request_id();
                tracing::error!(request_id = %rid, cause = %cause, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, *l, texts(*l).error_title, texts(*l).error_text.to_owned(), Some(rid))
            }
        };
        let page = ErrorPage { t: texts(lang), title, text: &text, request_id: rid.as_deref() };
        let body = page.render().unwrap_or_else(|_| text.clone());
        let mut r = (status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        r
    }
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Result of handlers.
pub type AppResult<T> = Result<T, AppError>;
