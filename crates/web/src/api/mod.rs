//! The JSON API (`/api/v1`) over the same store functions the pages use. Callers present a
//! personal token (`Authorization: Bearer …`) that carries its owner's scope, possibly
//! narrowed and read-only. Errors are `application/problem+json` (RFC 9457) with Vietnamese
//! titles and details and, for validation, the list of fields. Updates need `If-Match` with
//! the record's ETag. The OpenAPI 3.1 description is generated from this code.
//!
//! This module keeps what every concept's API shares (problems, extractors, ETags, the
//! OpenAPI document) and the router that merges them; each concept's handlers are in its own
//! folder (`org/api.rs`, `member/api.rs`, ...).

use crate::AppState;
use crate::auth::hash_token;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chibo_domain::error::{ErrorCode, Lang, ValidationErrors};
use chibo_store::Scope;
use chibo_store::StoreError;
use chibo_store::account::Grant;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Largest page of a list.
pub const MAX_LIMIT: u32 = 200;
/// Default page of a list.
pub const DEFAULT_LIMIT: u32 = 50;

/// One wrong field of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's name in the request (`cccd`).
    pub field: String,
    /// Stable error code (`cccd_format`).
    pub code: String,
    /// What is wrong, in Vietnamese, naming the field.
    pub message: String,
}

/// An error, as RFC 9457 `application/problem+json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `about:blank`: the status and `code` say what happened.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Short Vietnamese title.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Vietnamese explanation.
    pub detail: String,
    /// Stable error code (`not_found`, `validation`, `stale_version`...).
    pub code: &'static str,
    /// Field errors of a refused input (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

impl Problem {
    /// A problem with a status, a code and a Vietnamese title and detail.
    pub fn new(status: StatusCode, code: &'static str, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem { kind: "about:blank", title, status: status.as_u16(), detail: detail.into(), code, errors: vec![] }
    }

    /// 400: a request the server cannot read.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad_request", "Yêu cầu không hợp lệ", detail)
    }

    /// 404: no such record in the caller's scope.
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy", "Không có bản ghi này, hoặc bản ghi nằm ngoài phạm vi của mã truy cập.")
    }

    /// 422 with every field error.
    pub fn invalid(v: &ValidationErrors) -> Problem {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Dữ liệu không hợp lệ", v.summary(Lang::Vi));
        p.errors =
            v.errors.iter().map(|e| ProblemField { field: e.field.clone(), code: e.code.as_str().to_owned(), message: e.full_message(Lang::Vi) }).collect();
        p
    }

    /// 422 with every field error, each named as the request names it: a command reports
    /// its fields by the page's names (`event_date`, `parent`), which `names` maps to the
    /// body's (`date`, `parent_id`); the message keeps the field's Vietnamese label.
    pub fn invalid_as(v: &ValidationErrors, names: &[(&str, &str)]) -> Problem {
        let mut p = Problem::invalid(v);
        for e in &mut p.errors {
            if let Some((_, to)) = names.iter().find(|(from, _)| *from == e.field) {
                e.field = (*to).to_owned();
            }
        }
        p
    }

    /// A store's answer, its field errors named as the request names them (see
    /// [`Problem::invalid_as`]).
    pub fn from_store_as(e: StoreError, names: &[(&str, &str)]) -> Problem {
        match e {
            StoreError::Invalid(v) => Problem::invalid_as(&v, names),
            other => other.into(),
        }
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut r = (status, Json(&self)).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        r
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound => Problem::not_found(),
            StoreError::ReadOnly => Problem::new(StatusCode::FORBIDDEN, "read_only_scope", "Không có quyền sửa", ErrorCode::ReadOnlyScope.template(Lang::Vi)),
            StoreError::Invalid(v) => Problem::invalid(&v),
            StoreError::Stale { .. } => Problem::new(StatusCode::PRECONDITION_FAILED, "stale_version", "Bản ghi đã thay đổi", e.message(Lang::Vi)),
            other => {
                let rid = format!("{:08x}", rand::random::<u32>());
                tracing::error!(request_id = %rid, cause = %other, "API request failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Lỗi hệ thống",
                    format!("Hệ thống gặp lỗi; dữ liệu không bị thay đổi. Mã yêu cầu: {rid}"),
                )
            }
        }
    }
}

/// Result of API handlers.
pub type ApiResult<T> = Result<T, Problem>;

/// The caller of an API request: a live token's grant, within its rate limit.
pub struct Caller {
    /// The application.
    pub app: AppState,
    /// What the token may do.
    pub grant: Grant,
}

impl Caller {
    /// The scoped store of an organization token (a member's token has no organization
    /// endpoints: 404, as for anything outside a scope).
    pub fn scope(&self) -> ApiResult<Scope> {
        match &self.grant {
            Grant::Org(s) => Ok(s.clone()),
            Grant::OwnRecord(_) => Err(Problem::not_found()),
        }
    }

    /// The store restricted to the token's scope (404 for a member's token, as above).
    pub fn store(&self) -> ApiResult<chibo_store::Scoped<'_>> {
        match &self.grant {
            Grant::Org(s) => Ok(self.app.store.within(s)),
            Grant::OwnRecord(_) => Err(Problem::not_found()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let app = AppState::from_ref(state);
        let unauthorized = || {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Chưa xác thực",
                "Cần mã truy cập hợp lệ: Authorization: Bearer <mã>. Mã đã thu hồi không còn dùng được.",
            )
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?;
        let found = app.store.token_grant(&hash_token(token)).await?.ok_or_else(unauthorized)?;
        if !app.api_rate_hit(found.token.id) {
            return Err(Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Quá nhiều yêu cầu",
                format!("Mã truy cập này đã dùng quá {} yêu cầu trong một phút; hãy thử lại sau.", app.config.api_per_minute),
            ));
        }
        Ok(Caller { app, grant: found.grant })
    }
}

/// A JSON body; malformed, mistyped or oversized bodies become problems (never a 5xx).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Sai kiểu nội dung",
                "Nội dung gửi lên phải là JSON (Content-Type: application/json).",
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(json_data_problem(&e.body_text())),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(Problem::bad_request(format!("JSON không đọc được ({}).", json_position(&e.body_text())))),
            Err(JsonRejection::BytesRejection(_)) => {
                Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Nội dung quá lớn", "Nội dung gửi lên vượt quá giới hạn cho phép."))
            }
            Err(e) => Err(Problem::bad_request(e.body_text())),
        }
    }
}

/// Where in the body a JSON error is ("dòng 1, cột 17"), from serde's English text.
fn json_position(text: &str) -> String {
    match text.rsplit_once(" at line ").and_then(|(_, at)| at.split_once(" column ")) {
        Some((line, col)) => format!("dòng {line}, cột {}", col.trim()),
        None => "không rõ vị trí".to_owned(),
    }
}

/// The text between `open` and the next `close`.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let rest = &s[s.find(open)? + open.len()..];
    Some(&rest[..rest.find(close)?])
}

/// A body whose JSON is well formed but does not fit the request (a missing or unknown
/// field, a wrong type, a value outside an enumeration), in Vietnamese with the field named
/// as the request names it; serde's English text (axum: "Failed to deserialize the JSON body
/// into the target type: first_event.type: unknown variant `x`, expected one of … at line 1
/// column 40") is read, never shown.
fn json_data_problem(text: &str) -> Problem {
    let inner = text.split_once("target type: ").map_or(text, |(_, rest)| rest);
    let inner = inner.rsplit_once(" at line ").map_or(inner, |(msg, _)| msg);
    // serde_path_to_error puts the path first ("profile.birth_date: invalid type…").
    let (path, msg) = match inner.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (p, m),
        _ => ("", inner),
    };
    let join = |f: &str| if path.is_empty() || path == "." { f.to_owned() } else { format!("{path}.{f}") };
    let (field, code, why) = if let Some(f) = between(msg, "missing field `", "`") {
        (join(f), "json_missing_field", "thiếu trường này".to_owned())
    } else if let Some(f) = between(msg, "unknown field `", "`") {
        (join(f), "json_unknown_field", "yêu cầu này không có trường này".to_owned())
    } else if msg.starts_with("unknown variant") {
        let v = between(msg, "`", "`").unwrap_or_default();
        let allowed = msg.split_once("expected ").map(|(_, e)| e.replace("one of ", "").replace('`', "")).unwrap_or_default();
        (path.to_owned(), "json_invalid_choice", format!("giá trị «{v}» không có; chọn một trong: {allowed}"))
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        let expected = msg.split_once("expected ").map(|(_, e)| e).unwrap_or_default();
        let kind = if expected.contains("string") {
            "chuỗi ký tự"
        } else if expected.contains("integer") || expected.starts_with('i') || expected.starts_with('u') {
            "số nguyên"
        } else if expected.contains("bool") {
            "true hoặc false"
        } else if expected.contains("sequence") || expected.contains("array") {
            "danh sách"
        } else if expected.contains("struct") || expected.contains("map") {
            "đối tượng JSON"
        } else {
            "kiểu khác"
        };
        (path.to_owned(), "json_type", format!("sai kiểu dữ liệu, cần {kind}"))
    } else {
        (path.to_owned(), "json_type", "giá trị không đọc được".to_owned())
    };
    let field = if field.is_empty() || field == "." { "body".to_owned() } else { field };
    let message = format!("{field}: {why}");
    let mut p =
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "json_data", "Dữ liệu JSON không đúng dạng", format!("Nội dung gửi lên không đúng dạng: {message}."));
    p.errors = vec![ProblemField { field, code: code.to_owned(), message }];
    p
}

/// Query parameters; unreadable ones become a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| Problem::bad_request(format!("Tham số truy vấn không hợp lệ: {}", e.body_text())))
    }
}

/// Path parameters; unreadable ones (an id that is not a number) become a 400 problem.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| Problem::bad_request(format!("Đường dẫn không hợp lệ: {}", e.body_text())))
    }
}

/// Checks a page size: 1 to [`MAX_LIMIT`], default [`DEFAULT_LIMIT`].
pub fn limit(l: Option<u32>) -> ApiResult<u32> {
    match l.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(n),
        n => Err(Problem::bad_request(format!("limit phải từ 1 đến {MAX_LIMIT} (nhận được {n})"))),
    }
}

/// Rows to skip (not negative).
pub fn offset(o: Option<i32>) -> ApiResult<i64> {
    match o {
        Some(n) if n < 0 => Err(Problem::bad_request(format!("offset «{n}» không được âm"))),
        n => Ok(i64::from(n.unwrap_or(0))),
    }
}

/// A JSON body with its record's version as ETag.
pub fn with_etag<T: Serialize>(body: T, version: i64, status: StatusCode) -> Response {
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(header::ETAG, etag(version));
    r
}

/// The ETag of a record version.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The version an update says it edits (`If-Match: "7"`); 428 without one. `*` (RFC 9110:
/// "any current version") edits whatever version is current.
pub fn if_match(headers: &HeaderMap, current: i64) -> ApiResult<i64> {
    let v = headers.get(header::IF_MATCH).ok_or_else(|| {
        Problem::new(StatusCode::PRECONDITION_REQUIRED, "if_match_required", "Thiếu If-Match", "Cập nhật phải gửi kèm If-Match với ETag của bản ghi đã đọc.")
    })?;
    let stale =
        || Problem::new(StatusCode::PRECONDITION_FAILED, "stale_version", "Bản ghi đã thay đổi", "If-Match không khớp với phiên bản hiện tại của bản ghi.");
    let text = v.to_str().map_err(|_| stale())?.trim();
    if text == "*" {
        return Ok(current);
    }
    // A list of ETags matches if any of them is the current one.
    let versions: Vec<i64> = text.split(',').filter_map(|t| t.trim().trim_start_matches("W/").trim_matches('"').parse().ok()).collect();
    match versions.iter().find(|v| **v == current).or(versions.first()) {
        Some(v) => Ok(*v),
        None => Err(stale()),
    }
}

/// A date query parameter (yyyy-mm-dd or dd/mm/yyyy), default `today`.
pub fn as_of(s: Option<&str>, today: chrono::NaiveDate) -> ApiResult<chrono::NaiveDate> {
    match s {
        None => Ok(today),
        Some(t) => chibo_domain::calendar::parse_date(t).ok_or_else(|| Problem::bad_request(format!("ngày «{t}» không hợp lệ (yyyy-mm-dd hoặc dd/mm/yyyy)"))),
    }
}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI description of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "chibo API", version = "1", description = "Tổ chức, đảng viên, số liệu và nhật ký thay đổi trong phạm vi của mã truy cập."),
    paths(
        crate::org::api::search, crate::org::api::get_org, crate::org::api::children, crate::org::api::subtree,
        crate::org::api::found_org, crate::org::api::change_org, crate::org::api::merge_org, crate::stats::api::stats, crate::stats::api::dashboard,
        crate::member::api::list, crate::member::api::get_member, crate::member::api::create, crate::member::api::update, crate::member::api::events,
        crate::member::api::record_event,
        crate::audit::api::list, crate::todo::api::list,
        crate::admission::api::list_admissions, crate::admission::api::open_admission, crate::admission::api::get_admission,
        crate::admission::api::admission_step,
        crate::transfer::api::list_transfers, crate::transfer::api::get_transfer, crate::transfer::api::send_transfer,
        crate::transfer::api::accept_transfer, crate::transfer::api::refuse_transfer,
        crate::committee::api::get_committee, crate::committee::api::list_terms, crate::committee::api::open_term,
        crate::committee::api::assign_seat, crate::committee::api::end_seat, crate::committee::api::approve_seat, crate::committee::api::record_post,
        crate::committee::api::adopt_regulation, crate::committee::api::regulation_file,
        crate::meeting::api::list_meetings, crate::meeting::api::plan_meeting, crate::meeting::api::get_meeting, crate::meeting::api::update_meeting,
        crate::meeting::api::notify_meeting, crate::meeting::api::record_attendance, crate::meeting::api::record_minutes, crate::meeting::api::sign_meeting,
        crate::meeting::api::cancel_meeting, crate::meeting::api::amend_meeting, crate::meeting::api::rate_meeting, crate::meeting::api::meeting_attendance,
    ),
    components(schemas(Problem, ProblemField)),
    modifiers(&SecurityAddon),
    security(("bearer" = [])),
    tags((name = "orgs", description = "Cây tổ chức"), (name = "members", description = "Đảng viên"), (name = "audit", description = "Nhật ký thay đổi"),
        (name = "admissions", description = "Phát triển đảng viên"), (name = "transfers", description = "Chuyển sinh hoạt đảng"),
        (name = "committees", description = "Cấp ủy, nhiệm kỳ, chức vụ và kiêm nhiệm"),
        (name = "meetings", description = "Sinh hoạt chi bộ: kế hoạch, điểm danh, biên bản"))
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    let mut r = Json(ApiDoc::openapi()).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn api_not_found() -> Problem {
    Problem::not_found()
}

/// The routes of the API: JSON bodies up to 64 KB; a regulation's file up to the committee's
/// upload limit (its own body limit overrides the API's, and a request far beyond it is
/// refused outright).
pub fn routes() -> Router<AppState> {
    let files = crate::committee::api_upload_routes()
        .layer(axum::extract::DefaultBodyLimit::max(crate::committee::MAX_UPLOAD))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(4 * crate::committee::MAX_UPLOAD));
    Router::new().nest(
        "/api/v1",
        Router::new()
            .merge(json_routes().layer(tower_http::limit::RequestBodyLimitLayer::new(2 * 1024 * 1024)))
            .merge(files)
            .fallback(api_not_found)
            .layer(axum::extract::DefaultBodyLimit::max(64 * 1024)),
    )
}

fn json_routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(crate::org::api_routes())
        .merge(crate::stats::api::routes())
        .merge(crate::member::api_routes())
        .merge(crate::audit::api_routes())
        .merge(crate::todo::api_routes())
        .merge(crate::admission::api::routes())
        .merge(crate::transfer::api::routes())
        .merge(crate::committee::api_routes())
        .merge(crate::meeting::api_routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_does_not_fit_is_told_in_vietnamese_by_the_request_s_field() {
        let p = json_data_problem("Failed to deserialize the JSON body into the target type: missing field `date` at line 1 column 20");
        assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("date", "json_missing_field"));
        let p = json_data_problem(
            "Failed to deserialize the JSON body into the target type: first_event.type: unknown variant `dead`, expected one of `admitted`, `candidate` at line 1 column 40",
        );
        assert_eq!(p.errors[0].field, "first_event.type");
        assert_eq!(p.detail, "Nội dung gửi lên không đúng dạng: first_event.type: giá trị «dead» không có; chọn một trong: admitted, candidate.");
        let p =
            json_data_problem("Failed to deserialize the JSON body into the target type: cell_id: invalid type: string \"x\", expected i64 at line 1 column 9");
        assert_eq!((p.errors[0].field.as_str(), p.detail.as_str()), ("cell_id", "Nội dung gửi lên không đúng dạng: cell_id: sai kiểu dữ liệu, cần số nguyên."));
        let p = json_data_problem(
            "Failed to deserialize the JSON body into the target type: profile: unknown field `admitted`, expected one of `full_name` at line 1 column 9",
        );
        assert_eq!(p.errors[0].field, "profile.admitted");
        assert!(!p.detail.contains("expected") && !p.detail.contains("field `"), "{}", p.detail);
    }
}
