//! The audit log page: who changed what and when, with the fields before and after; filtered
//! by record, user and date, newest first, paged backwards. Only entries of records inside the
//! user's scope are read (the store filters by the record's place in the tree).

use crate::AppState;
use crate::auth::{Chrome, Staff};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use chibo_domain::calendar::parse_date;
use chibo_domain::member::MemberChange;
use chibo_store::audit::{AuditEntry, AuditFilter};
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

const PER_PAGE: u32 = 30;

/// One changed field.
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One entry as shown.
pub struct Row {
    pub id: i64,
    pub when: String,
    pub who: String,
    pub action: String,
    pub link: Option<String>,
    pub record: String,
    pub changes: Vec<Change>,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct ListPage {
    c: Chrome,
    q: AuditQuery,
    entity_options: Vec<(String, String)>,
    rows: Vec<Row>,
    older: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
}

fn vietnam() -> FixedOffset {
    chibo_domain::calendar::VIETNAM
}

/// Midnight of a Vietnamese calendar day, as UTC.
fn start_of_day(d: NaiveDate) -> Option<chrono::DateTime<Utc>> {
    vietnam().from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single().map(|t| t.with_timezone(&Utc))
}

fn action_label(action: &str, lang: Lang) -> String {
    let (entity, what) = action.split_once('.').unwrap_or((action, ""));
    let fixed = match (entity, what) {
        ("member", "create") => Some(pick(lang, "Thêm đảng viên", "Member added")),
        ("member", "update") => Some(pick(lang, "Sửa hồ sơ đảng viên", "Member record edited")),
        ("member", "contact") => Some(pick(lang, "Đảng viên sửa thông tin liên hệ", "Member edited own contact details")),
        ("org", "create") | ("org", "founded") => Some(pick(lang, "Thành lập tổ chức", "Organization founded")),
        ("org", "renamed") => Some(pick(lang, "Đổi tên tổ chức", "Organization renamed")),
        ("org", "moved") => Some(pick(lang, "Chuyển trực thuộc", "Organization moved")),
        ("org", "reclassified") => Some(pick(lang, "Đổi cấp, loại hình", "Organization reclassified")),
        ("org", "dissolved") => Some(pick(lang, "Giải thể tổ chức", "Organization dissolved")),
        ("account", "create") => Some(pick(lang, "Tạo tài khoản", "Account created")),
        ("account", "password") => Some(pick(lang, "Đặt lại mật khẩu", "Password reset")),
        ("account", "enable") => Some(pick(lang, "Mở khóa tài khoản", "Account enabled")),
        ("account", "disable") => Some(pick(lang, "Khóa tài khoản", "Account disabled")),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_owned();
    }
    if entity == "member"
        && let Some(c) = MemberChange::from_parts(what, Some(0), Some(chibo_domain::member::MemberStatus::Official))
    {
        return c.label_vi().to_owned();
    }
    action.to_owned()
}

/// Top-level fields of a record's JSON, with the member's profile fields lifted up.
fn flatten(v: &Option<Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(Value::Object(map)) = v else { return out };
    for (k, v) in map {
        match v {
            Value::Object(inner) => {
                for (ik, iv) in inner {
                    out.push((ik.clone(), show(iv)));
                }
            }
            other => out.push((k.clone(), show(other))),
        }
    }
    out
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => chibo_domain::calendar::format_date(d),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

/// The fields whose values differ between before and after (all of them for a creation).
fn changes(e: &AuditEntry, lang: Lang) -> Vec<Change> {
    let before = flatten(&e.before);
    let after = flatten(&e.after);
    let mut out = Vec::new();
    for (k, a) in &after {
        let b = before.iter().find(|(bk, _)| bk == k).map(|(_, v)| v.clone()).unwrap_or_default();
        if &b != a && k != "version" && k != "path" {
            out.push(Change { field: chibo_domain::error::field_label(k, lang).to_owned(), before: b, after: a.clone() });
        }
    }
    out
}

async fn list(staff: Staff, Query(q): Query<AuditQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let filter = AuditFilter {
        entity: Some(q.entity.clone()).filter(|e| ["member", "org", "account"].contains(&e.as_str())),
        entity_id: q.id.trim().parse().ok(),
        actor: Some(q.actor.trim().to_lowercase()).filter(|a| !a.is_empty()),
        from: parse_date(&q.from).and_then(start_of_day),
        until: parse_date(&q.to).and_then(|d| d.succ_opt()).and_then(start_of_day),
        before_id: q.before,
        limit: PER_PAGE,
    };
    let entries = staff.store().audit_log(&filter).await.map_err(|e| staff.auth.err(e))?;
    let older = (entries.len() as u32 == PER_PAGE).then(|| entries.last().map(|e| e.id)).flatten().map(|last| {
        let pairs = [("entity", &q.entity), ("id", &q.id), ("actor", &q.actor), ("from", &q.from), ("to", &q.to)];
        let mut qs: Vec<String> = pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", crate::error::urlencode(v))).collect();
        qs.push(format!("before={last}"));
        format!("/audit?{}", qs.join("&"))
    });
    let rows = entries
        .iter()
        .map(|e| Row {
            id: e.id,
            when: e.at.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M").to_string(),
            who: e.actor.clone(),
            action: action_label(&e.action, lang),
            link: match (e.entity.as_str(), e.entity_id) {
                ("member", Some(id)) => Some(format!("/members/{id}")),
                ("org", Some(id)) => Some(format!("/orgs/{id}")),
                _ => None,
            },
            record: format!("{} #{}", e.entity, e.entity_id.map(|i| i.to_string()).unwrap_or_default()),
            changes: changes(e, lang),
        })
        .collect();
    let entity_options = vec![
        (String::new(), t.all.to_owned()),
        ("member".to_owned(), t.nav_members.to_owned()),
        ("org".to_owned(), t.nav_orgs.to_owned()),
        ("account".to_owned(), t.nav_accounts.to_owned()),
    ];
    Ok(ListPage { c: staff.auth.chrome("audit", "/audit"), q, entity_options, rows, older })
}
