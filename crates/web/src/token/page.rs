//! Personal API tokens, managed by their owner: create one (shown once), see when each was
//! last used, revoke. A token carries the owner's scope, optionally narrowed to a subtree and
//! to reading only.

use super::form::TokenInput;
use crate::auth::{Auth, Chrome, CsrfForm, hash_token, new_token};
use crate::error::AppResult;
use crate::form::{Field, attach_errors};
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_store::StoreError;
use chibo_store::account::Grant;
use chibo_store::org::OrgMatch;

pub(super) struct Row {
    id: i64,
    name: String,
    reach: String,
    read_only: bool,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "token/list.html")]
pub(super) struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
    read_only: bool,
    new_token: Option<String>,
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chibo_domain::calendar::VIETNAM).format("%d/%m/%Y %H:%M").to_string()
}

async fn page(auth: &Auth, input: &TokenInput, errors: Vec<crate::form::ErrorLine>, new_token: Option<String>) -> AppResult<ListPage> {
    let lang = auth.lang;
    let tokens = auth.app.store.api_tokens(auth.session.account.id).await.map_err(|e| auth.err(e))?;
    let mut rows = Vec::new();
    for t in tokens {
        let reach = match t.org_id {
            Some(o) => auth.app.store.public().org_name(o).await.unwrap_or_default(),
            None => pick(lang, "Toàn bộ phạm vi của bạn", "Your whole scope").to_owned(),
        };
        rows.push(Row {
            id: t.id,
            name: t.name,
            reach,
            read_only: t.read_only,
            created: when(t.created_at),
            last_used: t.last_used_at.map(when).unwrap_or_default(),
            revoked: t.revoked_at.is_some(),
        });
    }
    let t = auth.t();
    let fields = vec![
        Field::text("name", &input.name, lang)
            .label(pick(lang, "Tên mã (để nhận ra, ví dụ «Cổng thông tin tỉnh»)", "Token name (e.g. “Province portal”)"))
            .required(),
        Field::text("org", &input.org, lang).label(pick(
            lang,
            "Chỉ trong tổ chức (mã hoặc tên; để trống: toàn bộ phạm vi)",
            "Only inside (code or name; empty: your whole scope)",
        )),
    ];
    let _ = t;
    Ok(ListPage { c: auth.chrome("tokens", "/tokens"), rows, fields, errors, read_only: input.read_only.is_some(), new_token })
}

pub(super) async fn list(auth: Auth) -> AppResult<ListPage> {
    page(&auth, &TokenInput::default(), vec![], None).await
}

pub(super) async fn create(auth: Auth, CsrfForm(f): CsrfForm<TokenInput>) -> AppResult<Response> {
    let lang = auth.lang;
    let account = auth.session.account.clone();
    let mut errors = ValidationErrors::new();
    let org_id = match (f.org.trim(), auth.app.store.grant(&account).await.map_err(|e| auth.err(e))?) {
        ("", _) => None,
        (text, Grant::Org(scope)) => match auth.app.store.within(&scope).find_org(text).await.map_err(|e| auth.err(e))? {
            OrgMatch::One(o) => Some(o.id),
            _ => {
                errors.push(FieldError::new("org", ErrorCode::NotFound));
                None
            }
        },
        (_, Grant::OwnRecord(_)) => {
            errors.push(FieldError::new("org", ErrorCode::NotFound));
            None
        }
    };
    let token = new_token();
    let result = if errors.is_empty() {
        auth.app.store.create_api_token(&account, &f.name, &hash_token(&token), org_id, f.read_only.is_some()).await
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(_) => Ok(page(&auth, &TokenInput::default(), vec![], Some(token)).await?.into_response()),
        Err(StoreError::Invalid(v)) => {
            let mut p = page(&auth, &f, vec![], None).await?;
            p.errors = attach_errors(&mut p.fields, &v, lang);
            Ok(p.into_response())
        }
        Err(e) => Err(auth.err(e)),
    }
}

pub(super) async fn revoke(auth: Auth, Path(id): Path<i64>, CsrfForm(_): CsrfForm<serde::de::IgnoredAny>) -> AppResult<Response> {
    auth.app.store.revoke_api_token(&auth.session.account, id).await.map_err(|e| auth.err(e))?;
    Ok(Redirect::to("/tokens").into_response())
}
