//! The audit log page: who changed what and when, with the fields before and after; filtered
//! by record, user and date, newest first, paged backwards. Only entries of records inside the
//! user's scope are read (the store filters by the record's place in the tree).

use crate::auth::{Chrome, Staff};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use chibo_domain::audit::{self, Action, Entity, FieldKind, Shown};
use chibo_domain::calendar::parse_date;
use chibo_store::audit::{AuditEntry, AuditFilter};
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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
pub(super) struct ListPage {
    c: Chrome,
    q: AuditQuery,
    entity_options: Vec<(String, String)>,
    rows: Vec<Row>,
    older: Option<String>,
    /// The one record the list is restricted to, by name.
    only: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct AuditQuery {
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

/// "Hệ thống (dữ liệu mẫu)" for the operator's commands, the login for people.
fn who(actor: &str, lang: Lang) -> String {
    match actor.strip_prefix("system:") {
        Some(what) => {
            let what = match (what, lang) {
                ("demo", Lang::Vi) => "nạp dữ liệu mẫu",
                ("demo", Lang::En) => "demo data",
                ("gen", Lang::Vi) => "sinh dữ liệu thử",
                ("gen", Lang::En) => "generated data",
                ("setup", Lang::Vi) => "cài đặt lần đầu",
                ("setup", Lang::En) => "first set-up",
                ("seed", Lang::Vi) => "dữ liệu ban đầu",
                ("seed", Lang::En) => "initial data",
                ("cli", Lang::Vi) => "dòng lệnh",
                ("cli", Lang::En) => "command line",
                (other, _) => other,
            };
            format!("{} ({what})", pick(lang, "Hệ thống", "System"))
        }
        None => actor.to_owned(),
    }
}

/// What the page needs to name, gathered from the entries before one lookup each.
#[derive(Default)]
pub(super) struct Names {
    orgs: HashMap<i64, String>,
    members: HashMap<i64, String>,
}

impl Names {
    fn org(&self, id: i64, lang: Lang) -> String {
        self.orgs.get(&id).cloned().unwrap_or_else(|| pick(lang, "(tổ chức đã xóa)", "(removed organization)").to_owned())
    }

    fn member(&self, id: i64, lang: Lang) -> String {
        self.members.get(&id).cloned().unwrap_or_else(|| pick(lang, "một đảng viên ngoài phạm vi của bạn", "a member outside your scope").to_owned())
    }

    fn shown(&self, v: &Shown, lang: Lang) -> String {
        match v {
            Shown::Empty => String::new(),
            Shown::Text(t) => t.clone(),
            Shown::Org(id) => self.org(*id, lang),
            Shown::Members(ids) => ids.iter().map(|i| self.member(*i, lang)).collect::<Vec<_>>().join(", "),
        }
    }
}

/// The organizations and members an entry names, so a page looks each up once.
fn wanted(e: &AuditEntry, entity: Entity, orgs: &mut HashSet<i64>, members: &mut HashSet<i64>) {
    for side in [e.before.as_ref(), e.after.as_ref()] {
        for (k, v) in audit::flatten(side) {
            match (audit::field(entity, &k).map(|f| f.kind), &v) {
                (Some(FieldKind::Org), Value::Number(n)) => orgs.extend(n.as_i64()),
                (Some(FieldKind::Members), Value::Array(a)) => members.extend(a.iter().filter_map(Value::as_i64)),
                _ => {}
            }
        }
    }
    match (entity, e.entity_id) {
        (Entity::Org, Some(id)) => {
            orgs.insert(id);
        }
        (Entity::Admission, _) => members.extend(e.after.as_ref().or(e.before.as_ref()).and_then(|j| j.get("member_id")).and_then(Value::as_i64)),
        _ => {}
    }
}

/// "Đảng viên Nguyễn Văn Thành", "Hồ sơ kết nạp Trần Thị Hoa", "Bộ quy định áp dụng từ 01/01/2026".
fn record_label(e: &AuditEntry, entity: Entity, names: &Names, lang: Lang) -> String {
    let kind = entity.label(lang);
    let json = e.after.as_ref().or(e.before.as_ref());
    let date = |key: &str| json.and_then(|j| j.get(key)).and_then(Value::as_str).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let name = audit::record_name(e.before.as_ref(), e.after.as_ref()).or_else(|| match entity {
        Entity::Org => e.entity_id.map(|id| names.org(id, lang)),
        Entity::Admission => json.and_then(|j| j.get("member_id")).and_then(Value::as_i64).map(|id| names.member(id, lang)),
        Entity::Rules => date("effective_from").map(|d| format!("{} {}", pick(lang, "áp dụng từ", "effective"), chibo_domain::calendar::format_date(d))),
        Entity::Calendar => date("day").map(|d| format!("{} {}", pick(lang, "ngày", "on"), chibo_domain::calendar::format_date(d))),
        _ => None,
    });
    match name {
        Some(n) => format!("{kind} {n}"),
        None => kind.to_owned(),
    }
}

/// A link to the record's own page, where it has one.
fn record_link(entity: Entity, id: Option<i64>) -> Option<String> {
    let id = id?;
    match entity {
        Entity::Member => Some(format!("/members/{id}")),
        Entity::Org => Some(format!("/orgs/{id}")),
        Entity::Admission => Some(format!("/admissions/{id}")),
        Entity::Transfer => Some(format!("/transfers/{id}")),
        Entity::Meeting => Some(format!("/meetings/{id}")),
        _ => None,
    }
}

pub(super) async fn list(staff: Staff, Query(q): Query<AuditQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let entity = Entity::from_code(&q.entity);
    let filter = AuditFilter {
        entity: entity.map(|e| e.code().to_owned()),
        entity_id: q.id.trim().parse().ok(),
        actor: Some(q.actor.trim().to_lowercase()).filter(|a| !a.is_empty()),
        from: parse_date(&q.from).and_then(start_of_day),
        until: parse_date(&q.to).and_then(|d| d.succ_opt()).and_then(start_of_day),
        before_id: q.before,
        limit: PER_PAGE,
    };
    let store = staff.store();
    let entries = store.audit_log(&filter).await.map_err(|e| staff.auth.err(e))?;
    let older = (entries.len() as u32 == PER_PAGE).then(|| entries.last().map(|e| e.id)).flatten().map(|last| {
        let pairs = [("entity", &q.entity), ("id", &q.id), ("actor", &q.actor), ("from", &q.from), ("to", &q.to)];
        let mut qs: Vec<String> = pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", crate::error::urlencode(v))).collect();
        qs.push(format!("before={last}"));
        format!("/audit?{}", qs.join("&"))
    });
    // Every entry's action and record type are read through the catalogue; an entry whose
    // codes the catalogue does not know (none is written so) is shown by its codes.
    let typed: Vec<(&AuditEntry, Option<Action>)> = entries.iter().map(|e| (e, Action::parse(&e.entity, &e.action))).collect();
    let (mut orgs, mut members) = (HashSet::new(), HashSet::new());
    for (e, a) in &typed {
        if let Some(a) = a {
            wanted(e, a.entity(), &mut orgs, &mut members);
        }
    }
    let mut names = Names::default();
    let org_ids: Vec<i64> = orgs.into_iter().collect();
    names.orgs = staff.auth.app.store.public().org_names(&org_ids).await.map_err(|e| staff.auth.err(e))?;
    for id in members {
        // Only members the user may see are named.
        if let Ok(m) = store.member(id).await {
            names.members.insert(id, m.profile.full_name);
        }
    }
    let rows: Vec<Row> = typed
        .iter()
        .map(|(e, a)| {
            let when = e.at.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M").to_string();
            match a {
                Some(a) => {
                    let entity = a.entity();
                    Row {
                        id: e.id,
                        when,
                        who: who(&e.actor, lang),
                        action: a.label(lang).to_owned(),
                        link: record_link(entity, e.entity_id),
                        record: record_label(e, entity, &names, lang),
                        changes: audit::changes(entity, e.before.as_ref(), e.after.as_ref(), lang)
                            .into_iter()
                            .map(|c| Change { field: c.label.to_owned(), before: names.shown(&c.before, lang), after: names.shown(&c.after, lang) })
                            .collect(),
                    }
                }
                None => Row { id: e.id, when, who: who(&e.actor, lang), action: e.action.clone(), link: None, record: e.entity.clone(), changes: Vec::new() },
            }
        })
        .collect();
    let mut entity_options = vec![(String::new(), t.all.to_owned())];
    entity_options.extend(Entity::ALL.iter().map(|e| (e.code().to_owned(), e.label(lang).to_owned())));
    // A page reached from one record's own "history" link names that record.
    let only = match (filter.entity_id, rows.first()) {
        (Some(_), Some(r)) => Some(r.record.clone()),
        _ => None,
    };
    Ok(ListPage { c: staff.auth.chrome("audit", "/audit"), q, entity_options, rows, older, only })
}
