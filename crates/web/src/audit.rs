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
        ("token", "create") => Some(pick(lang, "Tạo mã truy cập API", "API token created")),
        ("token", "revoke") => Some(pick(lang, "Thu hồi mã truy cập API", "API token revoked")),
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

/// Fields that identify or order rows rather than describe them.
const TECHNICAL: &[&str] = &["id", "org_id", "member_id", "parent_id", "version", "path", "depth", "password_hash"];

/// Top-level fields of a record's JSON, with the member's profile fields lifted up.
fn flatten(v: &Option<Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(Value::Object(map)) = v else { return out };
    for (k, v) in map {
        match v {
            Value::Object(inner) => out.extend(inner.iter().map(|(ik, iv)| (ik.clone(), iv.clone()))),
            other => out.push((k.clone(), other.clone())),
        }
    }
    out
}

/// A stored value as a person reads it: dates as dd/mm/yyyy, codes as their labels.
fn show(field: &str, v: &Value, lang: Lang) -> String {
    use chibo_domain::member::{Education, Gender, MemberStatus, PoliticalTheory};
    use chibo_domain::org::{OrgCategory, OrgKind};
    let s = match v {
        Value::Null => return String::new(),
        Value::String(s) => s.as_str(),
        Value::Bool(b) => return pick(lang, if *b { "Có" } else { "Không" }, if *b { "Yes" } else { "No" }).to_owned(),
        other => return other.to_string(),
    };
    let label = match field {
        "status" => MemberStatus::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "gender" => Gender::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "professional_education" => Education::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "political_theory" => PoliticalTheory::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "kind" => OrgKind::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "category" => OrgCategory::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        "role" => chibo_domain::account::Role::from_code(s).map(|x| pick(lang, x.label_vi(), x.label_en())),
        _ => None,
    };
    if let Some(l) = label {
        return l.to_owned();
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => chibo_domain::calendar::format_date(d),
        Err(_) => s.to_owned(),
    }
}

fn label(field: &str, lang: Lang) -> String {
    match field {
        "org_name" => chibo_domain::error::field_label("org", lang).to_owned(),
        "active" => pick(lang, "Được đăng nhập", "May sign in").to_owned(),
        other => chibo_domain::error::field_label(other, lang).to_owned(),
    }
}

/// The fields whose values differ between before and after (all of them for a creation).
fn changes(e: &AuditEntry, lang: Lang) -> Vec<Change> {
    let before = flatten(&e.before);
    let after = flatten(&e.after);
    let mut out = Vec::new();
    for (k, a) in &after {
        if TECHNICAL.contains(&k.as_str()) {
            continue;
        }
        let b = before.iter().find(|(bk, _)| bk == k).map(|(_, v)| show(k, v, lang)).unwrap_or_default();
        let a = show(k, a, lang);
        if b != a {
            out.push(Change { field: label(k, lang), before: b, after: a });
        }
    }
    out
}

/// "Đảng viên Nguyễn Văn Thành", from the record's own name in the entry.
fn record_name(e: &AuditEntry, lang: Lang) -> String {
    let entity = match e.entity.as_str() {
        "member" => pick(lang, "Đảng viên", "Member"),
        "org" => pick(lang, "Tổ chức", "Organization"),
        "account" => pick(lang, "Tài khoản", "Account"),
        "token" => pick(lang, "Mã truy cập", "API token"),
        other => return other.to_owned(),
    };
    let json = e.after.as_ref().or(e.before.as_ref());
    let name =
        json.and_then(|j| j.get("profile").and_then(|p| p.get("full_name")).or_else(|| j.get("name")).or_else(|| j.get("login"))).and_then(Value::as_str);
    match name {
        Some(n) => format!("{entity} {n}"),
        None => format!("{entity} #{}", e.entity_id.unwrap_or_default()),
    }
}

async fn list(staff: Staff, Query(q): Query<AuditQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let filter = AuditFilter {
        entity: Some(q.entity.clone()).filter(|e| ["member", "org", "account", "token"].contains(&e.as_str())),
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
            record: record_name(e, lang),
            changes: changes(e, lang),
        })
        .collect();
    let entity_options = vec![
        (String::new(), t.all.to_owned()),
        ("member".to_owned(), t.nav_members.to_owned()),
        ("org".to_owned(), t.nav_orgs.to_owned()),
        ("account".to_owned(), t.nav_accounts.to_owned()),
        ("token".to_owned(), t.api_tokens.to_owned()),
    ];
    Ok(ListPage { c: staff.auth.chrome("audit", "/audit"), q, entity_options, rows, older })
}
