//! The store's error type: validation problems, refusals and database failures.

use chibo_domain::error::{ErrorCode, FieldError, Lang, ValidationErrors};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input or the requested change breaks a rule; messages name the fields.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// No such record in the caller's scope (deliberately the same for "exists elsewhere").
    #[error("không tìm thấy bản ghi")]
    NotFound,
    /// The record changed since the caller read it.
    #[error("bản ghi đã được người khác sửa (phiên bản {expected}, hiện tại {actual}); hãy tải lại rồi sửa lại")]
    Stale {
        /// The version the caller edited.
        expected: i64,
        /// The version in the database.
        actual: i64,
    },
    /// The scope allows reading only.
    #[error("bạn chỉ có quyền xem, không có quyền sửa")]
    ReadOnly,
    /// The URL names no supported engine.
    #[error("địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres:// (nhận được «{0}»)")]
    BadUrl(String),
    /// A database failure.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A driver-level failure (bulk loading, pool set-up).
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlx(#[from] sqlx::Error),
}

impl StoreError {
    /// The stable error code for APIs.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Invalid(v) => v.errors.first().map(|e| e.code.as_str()).unwrap_or("invalid"),
            StoreError::NotFound => ErrorCode::NotFound.as_str(),
            StoreError::Stale { .. } => ErrorCode::StaleVersion.as_str(),
            StoreError::ReadOnly => ErrorCode::ReadOnlyScope.as_str(),
            StoreError::BadUrl(_) => "bad_database_url",
            StoreError::Db(_) | StoreError::Sqlx(_) => "internal",
        }
    }

    /// A message for people, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Invalid(v) => v.summary(lang),
            StoreError::Stale { expected, actual } => {
                FieldError::new("version", ErrorCode::StaleVersion).with("expected", expected).with("actual", actual).message(lang)
            }
            other => other.to_string(),
        }
    }

    /// A single-field validation error.
    pub fn field(e: FieldError) -> Self {
        StoreError::Invalid(e.into())
    }
}

/// Turns a unique-constraint violation on a known index into a field error.
pub(crate) fn map_unique(err: sea_orm::DbErr, mapping: &[(&str, FieldError)]) -> StoreError {
    let text = err.to_string();
    let is_unique = text.contains("UNIQUE constraint failed") || text.contains("duplicate key value violates unique constraint");
    if is_unique {
        for (needle, fe) in mapping {
            if text.contains(needle) {
                return StoreError::field(fe.clone());
            }
        }
    }
    StoreError::Db(err)
}
