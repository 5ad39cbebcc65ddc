//! Who is asking: sessions, role extractors, CSRF-checked forms.
//!
//! A request is signed in when its `chibo_session` cookie carries a token whose SHA-256 hash
//! is a live session in the database (so every `chibo serve` process shares sessions). Role
//! extractors turn the session into a capability: [`Staff`] holds the scoped store handle of
//! an organization role, [`MemberSelf`] the own-record handle of a member. A handler that
//! changes anything takes a [`CsrfForm`], which refuses a form without the session's token.

mod password;
pub mod routes;

pub use password::{hash_password, verify_password};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Texts, parse_lang, texts};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use chibo_domain::account::Role;
use chibo_domain::scope::Rights;
use chibo_store::Scope;
use chibo_store::account::OwnGrant;
use chibo_store::account::{Grant, Session};
use chibo_store::member::OwnRecord;
use chibo_store::{Scoped, StoreError};
use rand::RngCore;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// The session cookie.
pub const SESSION_COOKIE: &str = "chibo_session";
/// The language cookie (works before sign-in too).
pub const LANG_COOKIE: &str = "chibo_lang";
/// The pre-session CSRF cookie of the login and set-up forms (double-submit).
pub const LOGIN_CSRF_COOKIE: &str = "chibo_login_csrf";

/// A fresh random token: 32 bytes from the operating system's generator, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The SHA-256 of a token, hex-encoded: what the database keeps instead of the token.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The interface language of a request: the language cookie, else Vietnamese.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    parse_lang(jar.get(LANG_COOKIE).map(|c| c.value()))
}

/// A signed-in request.
#[derive(Clone)]
pub struct Auth {
    /// The session and its account.
    pub session: Session,
    /// Hash of the session token (to end the session).
    pub token_hash: String,
    /// Interface language.
    pub lang: Lang,
    /// The application.
    pub app: AppState,
}

impl Auth {
    /// The interface texts.
    pub fn t(&self) -> &'static Texts {
        texts(self.lang)
    }

    /// Maps a store error to a page in the user's language.
    pub fn err(&self, e: StoreError) -> AppError {
        AppError::from_store(e, self.lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let app = AppState::from_ref(state);
        let lang = lang_of(&parts.headers);
        let next = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
        let unauthenticated = || AppError::Unauthenticated { next: next.clone() };
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(unauthenticated)?;
        let token_hash = hash_token(&token);
        let session = app.store.session(&token_hash, app.config.session).await.map_err(|e| AppError::from_store(e, lang))?.ok_or_else(unauthenticated)?;
        Ok(Auth { session, token_hash, lang, app })
    }
}

/// A signed-in organization role (administrator, organization administrator or viewer, cell
/// secretary): carries the scope every store call is restricted to.
#[derive(Clone)]
pub struct Staff {
    /// The session.
    pub auth: Auth,
    /// The capability.
    pub scope: Scope,
}

impl Staff {
    /// The store restricted to this user's scope: the only store handle handlers get.
    pub fn store(&self) -> Scoped<'_> {
        self.auth.app.store.within(&self.scope)
    }

    /// Today in Vietnam, by the store's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.auth.app.today()
    }

    /// Whether the scope allows at least `r` (to show or hide actions; the store enforces).
    pub fn may(&self, r: Rights) -> bool {
        self.scope.allows(r)
    }

    /// Refuses (403) below `r`. Handlers call it after reading the record, so a record outside
    /// the scope still answers 404; the store checks the same rights again on every write.
    pub fn require(&self, r: Rights) -> AppResult<()> {
        if self.may(r) { Ok(()) } else { Err(AppError::Forbidden(self.auth.lang)) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Staff
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        staff_of(Auth::from_request_parts(parts, state).await?).await
    }
}

/// The organization capability of a signed-in account; a member's account has no
/// organization pages, which answers as a page that does not exist.
pub async fn staff_of(auth: Auth) -> AppResult<Staff> {
    match auth.app.store.grant(&auth.session.account).await.map_err(|e| auth.err(e))? {
        Grant::Org(scope) => Ok(Staff { auth, scope }),
        Grant::OwnRecord(_) => Err(AppError::NotFound(auth.lang)),
    }
}

/// A signed-in member: their own record only.
pub struct MemberSelf {
    /// The session.
    pub auth: Auth,
    grant: OwnGrant,
}

impl MemberSelf {
    /// The own-record handle.
    pub fn record(&self) -> OwnRecord<'_> {
        self.auth.app.store.own(&self.grant)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MemberSelf
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let auth = Auth::from_request_parts(parts, state).await?;
        match auth.app.store.grant(&auth.session.account).await.map_err(|e| auth.err(e))? {
            Grant::OwnRecord(grant) => Ok(MemberSelf { auth, grant }),
            Grant::Org(_) => Err(AppError::NotFound(auth.lang)),
        }
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// Whether a request presents the session's form token: htmx requests carry it in a header
/// (hx-headers on <body>), forms in their `_csrf` field.
fn token_presented(headers: &axum::http::HeaderMap, field: String, session: &Session) -> bool {
    let header = headers.get("X-CSRF-Token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    same_secret(&header.unwrap_or(field), &session.csrf_token)
}

/// A form body whose `_csrf` field matched the session's token. Every handler that changes
/// state takes one; a form from another site (or an old page after logout) is refused.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> AppResult<Self> {
        let (mut parts, body) = req.into_parts();
        let auth = Auth::from_request_parts(&mut parts, state).await?;
        let limit = AppState::from_ref(state).config.max_form_bytes;
        let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| AppError::BadToken(auth.lang))?;
        let field = serde_urlencoded::from_bytes::<CsrfField>(&bytes).map(|f| f.csrf).unwrap_or_default();
        if !token_presented(&parts.headers, field, &auth.session) {
            return Err(AppError::BadToken(auth.lang));
        }
        let value = serde_urlencoded::from_bytes::<T>(&bytes).map_err(|_| AppError::BadToken(auth.lang))?;
        Ok(CsrfForm(value))
    }
}

/// A file sent with a form.
pub struct Uploaded {
    /// The form field it came in.
    pub field: String,
    /// Its name on the sender's machine (without folders).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A form that may carry files: sent as multipart/form-data (with files) or urlencoded
/// (without), its `_csrf` field matched like [`CsrfForm`]'s. The typed fields are read into
/// `T`, the files kept beside them. A file beyond the route's body limit is not an error
/// page: `too_large` names its field and the size the body declared, so the form can say
/// it beside the field.
pub struct CsrfUpload<T> {
    /// The typed fields.
    pub form: T,
    /// The files sent (an empty file box sends none).
    pub files: Vec<Uploaded>,
    /// The field whose file was cut off by the body limit, and the body's declared size.
    pub too_large: Option<(String, u64)>,
}

impl<S, T> FromRequest<S> for CsrfUpload<T>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> AppResult<Self> {
        use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
        let multipart = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let CsrfForm(form) = CsrfForm::<T>::from_request(req, state).await?;
            return Ok(CsrfUpload { form, files: vec![], too_large: None });
        }
        let (mut parts, body) = req.into_parts();
        let auth = Auth::from_request_parts(&mut parts, state).await?;
        let lang = auth.lang;
        let declared = parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
        let headers = parts.headers.clone();
        let unreadable = |e: axum::extract::multipart::MultipartError| AppError::Invalid(lang, format!("tệp tải lên không đọc được: {}", e.body_text()));
        let mut form = axum::extract::Multipart::from_request(Request::from_parts(parts, body), state).await.map_err(|_| AppError::BadToken(lang))?;
        let (mut pairs, mut files, mut too_large) = (Vec::<(String, String)>::new(), Vec::new(), None);
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => break,
                Err(e) => return Err(unreadable(e)),
            };
            let name = field.name().unwrap_or("").to_owned();
            match field.file_name().map(|n| n.rsplit(['/', '\\']).next().unwrap_or("").to_owned()) {
                Some(file_name) => match field.bytes().await {
                    Ok(b) if b.is_empty() && file_name.is_empty() => {}
                    Ok(b) => files.push(Uploaded { field: name, name: file_name, bytes: b.to_vec() }),
                    Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                        too_large = Some((name, declared));
                        break;
                    }
                    Err(e) => return Err(unreadable(e)),
                },
                None => pairs.push((name, field.text().await.map_err(unreadable)?)),
            }
        }
        let field = pairs.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.clone()).unwrap_or_default();
        if !token_presented(&headers, field, &auth.session) {
            return Err(AppError::BadToken(lang));
        }
        // The typed fields read the way a urlencoded form's are, so `T` is the form's own type.
        let encoded = serde_urlencoded::to_string(&pairs).map_err(|_| AppError::BadToken(lang))?;
        let form = serde_urlencoded::from_str::<T>(&encoded).map_err(|_| AppError::BadToken(lang))?;
        Ok(CsrfUpload { form, files, too_large })
    }
}

/// The common frame of every signed-in page: who is signed in, navigation, the form token.
pub struct Chrome {
    /// Interface texts.
    pub t: &'static Texts,
    /// Account's display name.
    pub user_name: String,
    /// Role label.
    pub role_label: &'static str,
    /// CSRF token for forms.
    pub csrf: String,
    /// Which navigation entry is current ("home", "orgs", "members", "audit", "accounts", "me").
    pub current: &'static str,
    /// Organization pages are available.
    pub is_staff: bool,
    /// Account management is available.
    pub manages_accounts: bool,
    /// The path of this page (for the language switch to come back to).
    pub here: String,
}

impl Auth {
    /// The frame of a page under the navigation entry `current`.
    pub fn chrome(&self, current: &'static str, here: &str) -> Chrome {
        let a = &self.session.account;
        Chrome {
            t: self.t(),
            user_name: a.display_name.clone(),
            role_label: match self.lang {
                Lang::Vi => a.role.label_vi(),
                Lang::En => a.role.label_en(),
            },
            csrf: self.session.csrf_token.clone(),
            current,
            is_staff: a.role != Role::Member,
            manages_accounts: matches!(a.role, Role::Admin | Role::OrgAdmin),
            here: here.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        let h = hash_token(&a);
        assert_eq!(h.len(), 64);
        assert_ne!(h, a);
        assert_eq!(h, hash_token(&a));
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }
}
