//! The home page: the figures of the user's scope and the shortcuts they need most. A member
//! account goes to their own record instead.

use crate::auth::{Auth, Chrome};
use crate::error::AppResult;
use crate::view::number;
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::account::Role;
use chibo_domain::calendar::format_date;
use chibo_domain::scope::Rights;
use chibo_domain::stats::Figures;
use chibo_store::todo::{Subject, TodoItem};

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/", home)
}

/// One figure card: its value, label and the list behind it.
pub struct Figure {
    pub value: String,
    pub label: String,
    pub href: String,
}

/// The dashboard's figures the home page shows, by key.
const CARDS: [&str; 7] =
    ["members.total", "members.official", "members.probationary", "members.women", "members.in_transit", "orgs.grassroots", "orgs.cells_under_grassroots"];

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

/// A to-do item as a line: every concept's items render alike, from the item's own words.
fn todo_line(i: TodoItem, lang: crate::i18n::Lang) -> Todo {
    let href = match i.subject {
        Subject::Member(id) => format!("/members/{id}"),
        Subject::Org(id) => format!("/orgs/{id}"),
        Subject::Admission(id) => format!("/admissions/{id}"),
        Subject::Transfer(id) => format!("/transfers/{id}"),
        Subject::Meeting(id) => format!("/meetings/{id}"),
    };
    Todo { what: i.label(lang).to_owned(), detail: i.detail(lang), href, overdue: i.overdue, name: i.name }
}

async fn home(auth: Auth) -> AppResult<Response> {
    if auth.session.account.role == Role::Member {
        return Ok(Redirect::to("/me").into_response());
    }
    // The extractor is run here (not in the signature) so a member is redirected, not refused.
    let staff = crate::auth::staff_of(auth).await?;
    let lang = staff.auth.lang;
    let store = staff.store();
    let roots = match staff.scope.root() {
        Some(r) => vec![r],
        None => staff.auth.app.store.root_orgs().await.map_err(|e| staff.auth.err(e))?,
    };
    let on = staff.today();
    let mut blocks = Vec::new();
    for root in roots {
        let f = Figures::of(&store.dashboard(root, on).await.map_err(|e| staff.auth.err(e))?);
        let figures = CARDS
            .iter()
            .filter_map(|key| f.figure(key))
            .map(|g| Figure {
                value: number(g.value, lang),
                label: g.label(lang).to_owned(),
                href: g.list.as_ref().map_or_else(|| format!("/orgs/{root}/stats"), |l| crate::stats::list_href(root, l)),
            })
            .collect();
        blocks.push(OrgFigures { org_id: root, name: f.name.clone(), figures });
    }
    let can_add = staff.may(Rights::Members);
    let items = store.todo_shared(on).await.map_err(|e| staff.auth.err(e))?;
    let todo_total = items.len();
    let todo = items.iter().take(TODO_SHOWN).map(|i| todo_line(i.clone(), lang)).collect();
    Ok(HomePage { c: staff.auth.chrome("home", "/"), as_of: format_date(on), blocks, can_add, todo, todo_total }.into_response())
}
