//! Sign-in, sign-out, the first administrator's set-up, and the language switch.

use super::{Auth, CsrfForm, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, hash_password, hash_token, lang_of, new_token, same_secret, verify_password};
use crate::AppState;
use crate::error::{AppError, AppResult, capitalize};
use crate::i18n::{Lang, Texts, texts};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chibo_domain::account::check_password;
use chibo_domain::error::{ErrorCode, FieldError};
use serde::Deserialize;
use std::net::SocketAddr;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().form("/login", login_page, login).post("/logout", logout).form("/setup", setup_page, setup).get("/lang/{code}", switch_lang)
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
struct LoginPage {
    t: &'static Texts,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    t: &'static Texts,
    csrf: String,
    token: String,
    login: String,
    display_name: String,
    valid: bool,
    errors: Vec<crate::form::ErrorLine>,
}

/// A cookie the browser keeps for this site only, never readable by scripts, sent on
/// same-site navigation; `Secure` when the site is served over HTTPS.
fn cookie(app: &AppState, headers: &HeaderMap, name: &'static str, value: String) -> Cookie<'static> {
    let secure = app.config.secure_cookies || headers.get("X-Forwarded-Proto").is_some_and(|v| v.as_bytes() == b"https");
    Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).build()
}

/// Only paths of this site are followed after sign-in or a change of language (no open
/// redirect to another site): a single leading `/`, no backslash (browsers read it as `/`),
/// and no control character or white space anywhere (browsers drop tabs and line breaks from
/// a `Location`, so `/\t/evil.example/` would become `//evil.example/`, and a line break
/// cannot be sent in a header at all). Anything else goes home. Letters beyond ASCII (a
/// search for «Thành») are percent-encoded, since a header carries ASCII only.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace()) => {
            n.chars().fold(String::with_capacity(n.len()), |mut out, c| {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
                out
            })
        }
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(State(app): State<AppState>, headers: HeaderMap, jar: CookieJar, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let lang = lang_of(&headers);
    // An empty installation goes to its set-up page (which tells how to get the link).
    if app.store.account_count().await.map_err(|e| AppError::from_store(e, lang))? == 0 {
        return Ok(Redirect::to("/setup").into_response());
    }
    let csrf = new_token();
    let jar = jar.add(cookie(&app, &headers, LOGIN_CSRF_COOKIE, csrf.clone()));
    Ok((jar, LoginPage { t: texts(lang), csrf, next: safe_next(q.next.as_deref()), login: String::new(), error: None }).into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// The address failed sign-ins are counted against.
fn client_addr(app: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if app.config.trust_forwarded_for
        && let Some(first) = headers.get("X-Forwarded-For").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
    {
        return first.trim().to_owned();
    }
    peer.ip().to_string()
}

async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let lang = lang_of(&headers);
    let t = texts(lang);
    let store_err = |e| AppError::from_store(e, lang);
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &f.csrf) {
        return Err(AppError::BadToken(lang));
    }
    let next = safe_next(f.next.as_deref());
    let fail = |message: String| LoginPage { t, csrf: expected.clone(), next: next.clone(), login: f.login.clone(), error: Some(message) };
    let addr = client_addr(&app, &headers, peer);
    let (per_login, per_addr) = app.config.throttle.paces();
    if let Some(wait) = app.store.claim_sign_in(&f.login, &addr, per_login, per_addr).await.map_err(store_err)? {
        let msg = FieldError::new("login", ErrorCode::LoginThrottled).with("wait", crate::i18n::wait_in_words(wait, lang)).message(lang);
        let retry = (wait.num_milliseconds() + 999) / 1000;
        return Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, [(axum::http::header::RETRY_AFTER, retry.to_string())], fail(capitalize(&msg))).into_response());
    }
    let found = app.store.account_for_login(&f.login).await.map_err(store_err)?;
    let ok = match &found {
        Some((account, hash)) => account.active && verify_password(&f.password, hash),
        None => {
            // Spend the same time as a real check so that timing does not tell which logins
            // exist.
            let _ = verify_password(&f.password, &app.config.dummy_hash);
            false
        }
    };
    let Some((account, _)) = found.filter(|_| ok) else {
        // The try was counted when it was claimed.
        tracing::info!("failed sign-in");
        let msg = ErrorCode::LoginFailed.template(lang);
        return Ok((axum::http::StatusCode::UNAUTHORIZED, fail(capitalize(msg))).into_response());
    };
    app.store.sign_in_succeeded(&f.login, &addr).await.map_err(store_err)?;
    let token = new_token();
    app.store.create_session(account.id, &hash_token(&token), &new_token()).await.map_err(store_err)?;
    tracing::info!(account_id = account.id, "signed in");
    let jar = jar.remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/")).add(cookie(&app, &headers, SESSION_COOKIE, token));
    Ok((jar, Redirect::to(&next)).into_response())
}

async fn logout(auth: Auth, jar: CookieJar, CsrfForm(_): CsrfForm<serde::de::IgnoredAny>) -> AppResult<Response> {
    auth.app.store.end_session(&auth.token_hash).await.map_err(|e| auth.err(e))?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
struct SetupQuery {
    token: Option<String>,
}

async fn setup_page(State(app): State<AppState>, headers: HeaderMap, jar: CookieJar, Query(q): Query<SetupQuery>) -> AppResult<Response> {
    let lang = lang_of(&headers);
    let token = q.token.unwrap_or_default();
    let valid = !token.is_empty() && app.store.setup_token_valid(&hash_token(&token)).await.map_err(|e| AppError::from_store(e, lang))?;
    let csrf = new_token();
    let jar = jar.add(cookie(&app, &headers, LOGIN_CSRF_COOKIE, csrf.clone()));
    let page = SetupPage { t: texts(lang), csrf, token, login: String::new(), display_name: String::new(), valid, errors: vec![] };
    Ok((jar, page).into_response())
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

async fn setup(State(app): State<AppState>, headers: HeaderMap, jar: CookieJar, Form(f): Form<SetupForm>) -> AppResult<Response> {
    let lang = lang_of(&headers);
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &f.csrf) {
        return Err(AppError::BadToken(lang));
    }
    let page = |errors: Vec<crate::form::ErrorLine>, valid: bool| SetupPage {
        t: texts(lang),
        csrf: expected.clone(),
        token: f.token.clone(),
        login: f.login.clone(),
        display_name: f.display_name.clone(),
        valid,
        errors,
    };
    // The set-up form's inputs are named after the fields they hold.
    let line = |e: &FieldError| crate::form::ErrorLine { text: e.full_message(lang), href: Some(format!("#{}", e.field)) };
    if let Err(e) = check_password(&f.password) {
        return Ok(page(vec![line(&e)], true).into_response());
    }
    let hash = hash_password(&f.password).map_err(|e| AppError::Internal(lang, e.to_string()))?;
    match app.store.create_first_admin(&hash_token(&f.token), &f.login, &f.display_name, hash).await {
        Ok(_) => Ok(Redirect::to("/login").into_response()),
        Err(chibo_store::StoreError::Invalid(v)) => Ok(page(v.errors.iter().map(line).collect(), true).into_response()),
        Err(chibo_store::StoreError::NotFound) => Ok(page(vec![], false).into_response()),
        Err(e) => Err(AppError::from_store(e, lang)),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Switches the interface language (a preference, kept in a cookie).
async fn switch_lang(State(app): State<AppState>, headers: HeaderMap, jar: CookieJar, Path(code): Path<String>, Query(q): Query<LangQuery>) -> Response {
    let lang = if code == "en" { Lang::En } else { Lang::Vi };
    let jar = jar.add(cookie(&app, &headers, LANG_COOKIE, texts(lang).lang_code.to_owned()));
    (jar, Redirect::to(&safe_next(q.next.as_deref()))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/members?q=thanh")), "/members?q=thanh");
        assert_eq!(safe_next(Some("/members?q=Thành")), "/members?q=Th%C3%A0nh");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        for sneaky in
            ["/\t/evil.example/", "/\n/evil.example/", "/a\r\nSet-Cookie: x=1", "/\u{0}x", "/ /evil.example", "/\u{85}/evil.example", "\t//evil.example"]
        {
            assert_eq!(safe_next(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
