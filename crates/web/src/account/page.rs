//! Account management for administrators: the accounts rooted in their scope, creating one
//! for a role they may grant, resetting a password, disabling and enabling. Every change is
//! audited by the store and ends the account's sessions where it should.

use super::form::{ActiveInput, NewInput, PasswordInput, UnlockInput};
use crate::auth::{Chrome, CsrfForm, Staff, hash_password};
use crate::error::{AppError, AppResult};
use crate::form::{Field, Input, attach_errors};
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::account::{Role, check_password};
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::member::MemberStatus;
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::account::NewAccount;
use chibo_store::member::MemberFilter;
use chibo_store::org::OrgMatch;
use serde::Deserialize;

/// Only administrators (system or organization) manage accounts.
fn admin_only(staff: &Staff) -> AppResult<()> {
    if staff.may(Rights::Full) && matches!(staff.auth.session.account.role, Role::Admin | Role::OrgAdmin) {
        Ok(())
    } else {
        Err(AppError::NotFound(staff.auth.lang))
    }
}

pub(super) struct Row {
    id: i64,
    login: String,
    name: String,
    role: &'static str,
    active: bool,
    /// Too many failed sign-ins: the account must wait before its next try.
    waiting: bool,
    version: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/list.html")]
pub(super) struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    own_id: i64,
    pager: crate::view::Pager,
    saved: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct PageQuery {
    page: Option<i64>,
    /// What was just saved (`create`, `password`, `enable`, `disable`, `unlock`) …
    saved: Option<String>,
    /// … and on which account, to name it.
    id: Option<i64>,
}

/// The line saying what was saved, naming the account by its login.
fn saved_text(lang: Lang, what: &str, login: &str) -> Option<String> {
    let (vi, en) = match what {
        "create" => ("Đã tạo tài khoản", "The account was created"),
        "password" => ("Đã đặt lại mật khẩu của tài khoản", "The password was reset for the account"),
        "enable" => ("Đã mở khóa tài khoản", "The account was enabled"),
        "disable" => ("Đã khóa tài khoản", "The account was disabled"),
        "unlock" => ("Đã bỏ thời gian chờ đăng nhập của tài khoản", "The sign-in wait was lifted for the account"),
        "unlock_none" => ("Tài khoản này không phải chờ đăng nhập", "This account had no sign-in wait"),
        _ => return None,
    };
    Some(format!("{} «{login}».", pick(lang, vi, en)))
}

fn to_list(saved: &str, id: i64) -> Response {
    Redirect::to(&format!("/accounts?saved={saved}&id={id}")).into_response()
}

const PER_PAGE: i64 = 50;

pub(super) async fn list(staff: Staff, axum::extract::Query(q): axum::extract::Query<PageQuery>) -> AppResult<ListPage> {
    admin_only(&staff)?;
    let lang = staff.auth.lang;
    let page = q.page.unwrap_or(1);
    let accounts = staff.store().accounts(crate::view::Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(|e| staff.auth.err(e))?;
    let pager = crate::view::Pager::new("/accounts", &[], page, PER_PAGE, accounts.total);
    let logins: Vec<&str> = accounts.items.iter().map(|a| a.login.as_str()).collect();
    let waiting = staff.store().sign_in_delayed(&logins).await.map_err(|e| staff.auth.err(e))?;
    let saved = match (q.saved.as_deref(), q.id) {
        (Some(what), Some(id)) => {
            let login = match accounts.items.iter().find(|a| a.id == id) {
                Some(a) => Some(a.login.clone()),
                None => staff.store().account(id).await.ok().map(|a| a.login),
            };
            login.and_then(|l| saved_text(lang, what, &l))
        }
        _ => None,
    };
    let rows = accounts
        .items
        .into_iter()
        .map(|a| Row {
            id: a.id,
            waiting: waiting.contains(&a.login),
            login: a.login,
            name: a.display_name,
            role: pick(lang, a.role.label_vi(), a.role.label_en()),
            active: a.active,
            version: a.version,
        })
        .collect();
    Ok(ListPage { c: staff.auth.chrome("accounts", "/accounts"), rows, own_id: staff.auth.session.account.id, pager, saved })
}

#[derive(Template, WebTemplate)]
#[template(path = "account/form.html")]
pub(super) struct FormPage {
    c: Chrome,
    fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
}

fn fields(staff: &Staff, f: &NewInput, lang: Lang) -> Vec<Field> {
    let t = staff.auth.t();
    let caller = staff.auth.session.account.role;
    let roles = Role::ALL.iter().filter(|r| caller.may_manage(**r)).map(|r| (r.code().to_owned(), pick(lang, r.label_vi(), r.label_en()).to_owned())).collect();
    vec![
        Field::text("login", &f.login, lang).required(),
        Field::text("display_name", &f.display_name, lang),
        Field::select("role", &f.role, roles, lang),
        Field::text("org", &f.org, lang).label(t.scope_root_code),
        Field::text("member", &f.member, lang).label(t.member_ref),
        Field { input: Input::Password, ..Field::text("password", "", lang).required() },
    ]
}

pub(super) async fn new_form(staff: Staff) -> AppResult<FormPage> {
    admin_only(&staff)?;
    let lang = staff.auth.lang;
    let input = NewInput { role: Role::Secretary.code().into(), ..Default::default() };
    Ok(FormPage { c: staff.auth.chrome("accounts", "/accounts/new"), fields: fields(&staff, &input, lang), errors: vec![] })
}

pub(super) async fn create(staff: Staff, CsrfForm(f): CsrfForm<NewInput>) -> AppResult<Response> {
    admin_only(&staff)?;
    let lang = staff.auth.lang;
    let store = staff.store();
    let mut e = ValidationErrors::new();
    let role = Role::from_code(&f.role);
    if role.is_none() {
        e.push(FieldError::new("role", ErrorCode::InvalidChoice).with("value", &f.role));
    }
    if let Err(err) = check_password(&f.password) {
        e.push(err);
    }
    let org_id = match (role, f.org.trim()) {
        (Some(Role::Admin | Role::Member) | None, _) | (_, "") => None,
        (_, code) => match store.find_org(code).await.map_err(|e| staff.auth.err(e))? {
            OrgMatch::One(o) => Some(o.id),
            _ => {
                e.push(FieldError::new("org", ErrorCode::NotFound));
                None
            }
        },
    };
    let member_id = match (role, f.member.trim()) {
        (Some(Role::Member), r) if !r.is_empty() => {
            let root = staff.scope.root().or(staff.auth.app.store.root_orgs().await.map_err(|e| staff.auth.err(e))?.first().copied());
            let filter = MemberFilter { query: Some(r.to_owned()), statuses: MemberStatus::ALL.to_vec(), ..Default::default() };
            let found = match root {
                Some(root) => store.list_members(root, &filter, 0, 2).await.map_err(|e| staff.auth.err(e))?.items,
                None => vec![],
            };
            match found.as_slice() {
                [m] => Some(m.id),
                _ => {
                    e.push(FieldError::new("member", ErrorCode::NotFound));
                    None
                }
            }
        }
        _ => None,
    };
    let result = match role {
        Some(role) if e.is_empty() => {
            let hash = hash_password(&f.password).map_err(|err| AppError::Internal(lang, err.to_string()))?;
            store
                .create_account(NewAccount { login: f.login.clone(), display_name: f.display_name.clone(), password_hash: hash, role, org_id, member_id })
                .await
        }
        _ => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(a) => Ok(to_list("create", a.id)),
        Err(StoreError::Invalid(v)) => {
            let mut fs = fields(&staff, &f, lang);
            let errors = attach_errors(&mut fs, &v, lang);
            Ok(FormPage { c: staff.auth.chrome("accounts", "/accounts/new"), fields: fs, errors }.into_response())
        }
        Err(other) => Err(staff.auth.err(other)),
    }
}

pub(super) async fn reset_password(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<PasswordInput>) -> AppResult<Response> {
    admin_only(&staff)?;
    let lang = staff.auth.lang;
    if let Err(e) = check_password(&f.password) {
        return Err(AppError::Invalid(lang, e.full_message(lang)));
    }
    let hash = hash_password(&f.password).map_err(|e| AppError::Internal(lang, e.to_string()))?;
    staff.store().set_password(id, f.version, hash).await.map_err(|e| staff.auth.err(e))?;
    Ok(to_list("password", id))
}

pub(super) async fn set_active(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<ActiveInput>) -> AppResult<Response> {
    admin_only(&staff)?;
    let active = f.active == "1";
    staff.store().set_account_active(id, f.version, active).await.map_err(|e| staff.auth.err(e))?;
    Ok(to_list(if active { "enable" } else { "disable" }, id))
}

/// Lifts an account's sign-in wait (after too many failed tries), audited by the store.
pub(super) async fn unlock(staff: Staff, Path(id): Path<i64>, CsrfForm(_): CsrfForm<UnlockInput>) -> AppResult<Response> {
    admin_only(&staff)?;
    let n = staff.store().lift_account_sign_in_lock(id).await.map_err(|e| staff.auth.err(e))?;
    Ok(to_list(if n > 0 { "unlock" } else { "unlock_none" }, id))
}
