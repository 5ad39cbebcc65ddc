//! The home page: the figures of the user's scope and the shortcuts they need most. A member
//! account goes to their own record instead.

use crate::AppState;
use crate::auth::{Auth, Chrome};
use crate::error::AppResult;
use crate::view::{number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chibo_domain::account::Role;
use chibo_domain::calendar::format_date;
use chibo_domain::scope::Rights;
use chibo_store::todo::{TodoItem, TodoKind};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// One figure card: its value, label and the list behind it.
pub struct Figure {
    pub value: String,
    pub label: &'static str,
    pub href: String,
}

/// The figures of one organization.
pub struct OrgFigures {
    pub org_id: i64,
    pub name: String,
    pub figures: Vec<Figure>,
}

/// One line of the to-do list.
pub struct Todo {
    pub what: String,
    pub href: String,
    pub name: String,
    pub detail: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    as_of: String,
    blocks: Vec<OrgFigures>,
    can_add: bool,
    todo: Vec<Todo>,
    todo_total: usize,
}

/// The home page shows this many lines of the to-do list.
const TODO_SHOWN: usize = 15;

fn todo_line(i: TodoItem, lang: crate::i18n::Lang) -> Todo {
    let min_official = i.required.unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or_default();
    let (what, detail, href) = match i.kind {
        TodoKind::ProbationEnding => (
            pick(lang, "Sắp hết thời gian dự bị", "Probation ending"),
            format!(
                "{}: {} {} · {} {}",
                i.org_name,
                pick(lang, "hết dự bị", "probation ends"),
                date(i.probation_ends),
                pick(lang, "xét công nhận trước", "recognition by"),
                date(i.due)
            ),
            format!("/members/{}", i.member_id.unwrap_or_default()),
        ),
        TodoKind::RecognitionOverdue => (
            pick(lang, "Quá hạn xét công nhận đảng viên chính thức", "Recognition overdue"),
            format!(
                "{}: {} {} · {} {}",
                i.org_name,
                pick(lang, "hết dự bị", "probation ended"),
                date(i.probation_ends),
                pick(lang, "hạn", "deadline"),
                date(i.due)
            ),
            format!("/members/{}", i.member_id.unwrap_or_default()),
        ),
        TodoKind::CellTooSmall => (
            pick(lang, "Chi bộ chưa đủ đảng viên chính thức", "Cell below the minimum of official members"),
            match lang {
                crate::i18n::Lang::Vi => format!("{} đảng viên chính thức, cần ít nhất {min_official}", i.official.unwrap_or_default()),
                crate::i18n::Lang::En => format!("{} official members, at least {min_official} needed", i.official.unwrap_or_default()),
            },
            format!("/orgs/{}", i.org_id),
        ),
        TodoKind::CeremonyOverdue => (
            if i.overdue {
                pick(lang, "Quá hạn tổ chức lễ kết nạp", "Admission ceremony overdue")
            } else {
                pick(lang, "Chờ tổ chức lễ kết nạp", "Admission ceremony to hold")
            },
            format!("{}: {} {}", i.org_name, pick(lang, "hạn tổ chức lễ", "ceremony by"), date(i.due)),
            format!("/admissions/{}", i.admission_id.unwrap_or_default()),
        ),
        TodoKind::CertificateExpiring => (
            if i.overdue {
                pick(lang, "Giấy chứng nhận bồi dưỡng nhận thức về Đảng đã hết hạn", "Awareness course certificate expired")
            } else {
                pick(lang, "Giấy chứng nhận bồi dưỡng nhận thức về Đảng sắp hết hạn", "Awareness course certificate expiring")
            },
            format!("{}: {} {}", i.org_name, pick(lang, "hết hạn ngày", "expires on"), date(i.due)),
            format!("/admissions/{}", i.admission_id.unwrap_or_default()),
        ),
        TodoKind::TransferWaiting => (
            pick(lang, "Chuyển sinh hoạt chờ tiếp nhận", "Transfer waiting for acceptance"),
            format!("{} · {} {}", i.org_name, pick(lang, "hạn", "deadline"), date(i.due)),
            format!("/transfers/{}", i.transfer_id.unwrap_or_default()),
        ),
        TodoKind::ExemptionEnding => (
            if i.overdue {
                pick(lang, "Hết thời hạn miễn sinh hoạt", "Exemption from activity ended")
            } else {
                pick(lang, "Sắp hết thời hạn miễn sinh hoạt", "Exemption from activity ending")
            },
            format!("{}: {} {}", i.org_name, pick(lang, "đến ngày", "until"), date(i.due)),
            format!("/members/{}", i.member_id.unwrap_or_default()),
        ),
        TodoKind::TemporaryEnded => (
            pick(lang, "Hết thời hạn sinh hoạt tạm thời", "Temporary transfer ended"),
            format!("{}: {} {}", i.org_name, pick(lang, "hết hạn ngày", "ended on"), date(i.due)),
            format!("/transfers/{}", i.transfer_id.unwrap_or_default()),
        ),
    };
    Todo { what: what.to_owned(), href, name: i.name, detail, overdue: i.overdue }
}

async fn home(auth: Auth) -> AppResult<Response> {
    if auth.session.account.role == Role::Member {
        return Ok(Redirect::to("/me").into_response());
    }
    // The extractor is run here (not in the signature) so a member is redirected, not refused.
    let staff = crate::auth::staff_of(auth).await?;
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let store = staff.store();
    let roots = match staff.scope.root() {
        Some(r) => vec![r],
        None => staff.auth.app.store.root_orgs().await.map_err(|e| staff.auth.err(e))?,
    };
    let on = staff.today();
    let mut blocks = Vec::new();
    for root in roots {
        let s = store.org_stats(root, on).await.map_err(|e| staff.auth.err(e))?;
        let members = |status: &str| format!("/members?org={root}{status}");
        blocks.push(OrgFigures {
            org_id: root,
            name: s.name.clone(),
            figures: vec![
                Figure { value: number(s.members, lang), label: t.members, href: members("") },
                Figure { value: number(s.official, lang), label: t.official, href: members("&standing=official") },
                Figure { value: number(s.probationary, lang), label: t.probationary, href: members("&standing=probationary") },
                Figure { value: number(s.women, lang), label: t.women, href: members("&gender=nu") },
                Figure { value: number(s.in_transit, lang), label: t.in_transit, href: members("&standing=in_transit") },
                Figure { value: number(s.grassroots_orgs, lang), label: t.grassroots_orgs, href: format!("/orgs/{root}") },
                Figure { value: number(s.cells_under_grassroots, lang), label: t.cells, href: format!("/orgs/{root}") },
            ],
        });
    }
    let can_add = staff.may(Rights::Members);
    let items = store.todo(on).await.map_err(|e| staff.auth.err(e))?;
    let todo_total = items.len();
    let todo = items.into_iter().take(TODO_SHOWN).map(|i| todo_line(i, lang)).collect();
    Ok(HomePage { c: staff.auth.chrome("home", "/"), as_of: format_date(on), blocks, can_add, todo, todo_total }.into_response())
}
