//! Organization pages: the tree (expanded lazily with htmx), search without diacritics, an
//! organization's page (breadcrumb, details, sub-organizations with member counts, members in
//! Vietnamese order, history), and the dated changes: found, rename, reclassify, move,
//! dissolve.

use crate::auth::{Chrome, CsrfForm, Staff};
use crate::error::{AppError, AppResult};
use crate::form::{Field, attach_errors};
use crate::i18n::{Lang, Texts};
use crate::member::{MemberRow, member_rows};
use crate::view::{Pager, date, number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::org::{OrgCategory, OrgChange, OrgKind};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::member::MemberFilter;
use chibo_store::org::{NewOrg, OrgMatch, OrgWithCount};
use serde::Deserialize;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/orgs", tree)
        .get("/orgs/{id}", show)
        .get("/orgs/{id}/children", children)
        .form("/orgs/{id}/new", new_child_form, create_child)
        .form("/orgs/{id}/change/{what}", change_form, change)
}

/// One organization in a tree or list.
pub struct TreeNode {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub kind: &'static str,
    pub count: String,
    pub has_children: bool,
}

fn kind_label(k: OrgKind, lang: Lang) -> &'static str {
    pick(lang, k.label_vi(), k.label_en())
}

fn tree_nodes(list: Vec<OrgWithCount>, lang: Lang) -> Vec<TreeNode> {
    list.into_iter()
        .map(|c| TreeNode {
            id: c.node.id,
            name: c.node.name,
            code: c.node.code,
            kind: kind_label(c.node.kind, lang),
            count: number(c.members, lang),
            has_children: c.has_children,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "org/tree.html")]
struct TreePage {
    c: Chrome,
    q: String,
    roots: Vec<TreeNode>,
    results: Option<Vec<TreeNode>>,
}

#[derive(Deserialize, Default)]
struct TreeQuery {
    #[serde(default)]
    q: String,
}

async fn tree(staff: Staff, headers: HeaderMap, Query(query): Query<TreeQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let results = if query.q.trim().is_empty() {
        None
    } else {
        let found = store.search_orgs(&query.q, 50).await.map_err(err)?;
        Some(
            found
                .into_iter()
                .map(|o| TreeNode { id: o.id, name: o.name, code: o.code, kind: kind_label(o.kind, lang), count: String::new(), has_children: false })
                .collect(),
        )
    };
    if headers.contains_key("HX-Request") && results.is_some() {
        let t = staff.auth.t();
        return Ok(SearchPartial { t, results: results.unwrap_or_default() }.into_response());
    }
    let root_ids = match staff.scope.root() {
        Some(r) => vec![r],
        None => staff.auth.app.store.root_orgs().await.map_err(err)?,
    };
    let mut roots = Vec::new();
    for id in root_ids {
        let org = store.org(id).await.map_err(err)?;
        let kids = store.children_with_counts(id, 0, i64::MAX).await.map_err(err)?;
        let total: i64 = kids.items.iter().map(|k| k.members).sum();
        roots.push(TreeNode { id, name: org.name, code: org.code, kind: kind_label(org.kind, lang), count: number(total, lang), has_children: kids.total > 0 });
    }
    Ok(TreePage { c: staff.auth.chrome("orgs", "/orgs"), q: query.q, roots, results }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "org/search_partial.html")]
struct SearchPartial {
    t: &'static Texts,
    results: Vec<TreeNode>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/children_partial.html")]
struct ChildrenPartial {
    t: &'static Texts,
    nodes: Vec<TreeNode>,
    /// (parent, how many more) when the tree shows only the first ones.
    more: Option<(i64, i64)>,
}

/// The tree shows at most this many sub-organizations of one parent; the organization's own
/// page pages through all of them.
const TREE_CHILDREN: i64 = 200;

async fn children(staff: Staff, Path(id): Path<i64>) -> AppResult<ChildrenPartial> {
    let kids = staff.store().children_with_counts(id, 0, TREE_CHILDREN).await.map_err(|e| staff.auth.err(e))?;
    let more = (kids.total > TREE_CHILDREN).then(|| (id, kids.total - TREE_CHILDREN));
    Ok(ChildrenPartial { t: staff.auth.t(), nodes: tree_nodes(kids.items, staff.auth.lang), more })
}

struct Crumb {
    id: i64,
    name: String,
    link: bool,
}

struct HistoryRow {
    date: String,
    what: String,
    decision: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/show.html")]
struct OrgPage {
    c: Chrome,
    id: i64,
    name: String,
    code: String,
    kind: &'static str,
    category: &'static str,
    founded_on: String,
    dissolved_on: String,
    holds_members: bool,
    crumbs: Vec<Crumb>,
    children: Vec<TreeNode>,
    kids_pager: Pager,
    members: Vec<MemberRow>,
    pager: Pager,
    history: Vec<HistoryRow>,
    can_change: bool,
    can_add_member: bool,
    is_root: bool,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    page: Option<i64>,
    kids: Option<i64>,
}

const PER_PAGE: i64 = 25;
const KIDS_PER_PAGE: i64 = 50;

async fn show(staff: Staff, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> AppResult<OrgPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let err = |e| staff.auth.err(e);
    let org = store.org(id).await.map_err(err)?;
    let crumbs = store.ancestors(id).await.map_err(err)?;
    let kids_page = q.kids.unwrap_or(1);
    let kids = store.children_with_counts(id, Pager::offset(kids_page, KIDS_PER_PAGE), KIDS_PER_PAGE).await.map_err(err)?;
    let kids_pager = Pager::new(&format!("/orgs/{id}"), &[("page", q.page.unwrap_or(1).to_string())], kids_page, KIDS_PER_PAGE, kids.total).with_param("kids");
    let page = q.page.unwrap_or(1);
    let members = store.list_members(id, &MemberFilter::default(), Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(err)?;
    let pager = Pager::new(&format!("/orgs/{id}"), &[("kids", kids_page.to_string())], page, PER_PAGE, members.total);
    let history = store
        .org_history(id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|h| HistoryRow { date: format_date(h.on), what: h.description, decision: h.decision_no.unwrap_or_default(), by: h.recorded_by })
        .collect();
    Ok(OrgPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}")),
        id,
        kind: kind_label(org.kind, lang),
        category: pick(lang, org.category.label_vi(), org.category.label_en()),
        founded_on: format_date(org.founded_on),
        dissolved_on: date(org.dissolved_on),
        holds_members: org.kind.holds_members(),
        crumbs: crumbs.into_iter().map(|c| Crumb { id: c.id, name: c.name, link: c.in_scope }).collect(),
        children: tree_nodes(kids.items, lang),
        kids_pager,
        members: member_rows(members.items, lang),
        pager,
        history,
        can_change: staff.may(Rights::Full) && org.dissolved_on.is_none(),
        can_add_member: staff.may(Rights::Members) && org.kind.holds_members() && org.dissolved_on.is_none(),
        is_root: staff.scope.root() == Some(id),
        name: org.name,
        code: org.code,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "org/form.html")]
struct OrgForm {
    c: Chrome,
    org_id: i64,
    org_name: String,
    title: String,
    action: String,
    fields: Vec<Field>,
    errors: Vec<crate::form::ErrorLine>,
    version: i64,
    danger: bool,
}

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    OrgKind::ALL.iter().map(|k| (k.code().to_owned(), kind_label(*k, lang).to_owned())).collect()
}

fn category_options(lang: Lang) -> Vec<(String, String)> {
    OrgCategory::ALL.iter().map(|k| (k.code().to_owned(), pick(lang, k.label_vi(), k.label_en()).to_owned())).collect()
}

#[derive(Deserialize, Default)]
struct NewChildInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    founded_on: String,
    #[serde(default)]
    decision_no: String,
}

fn new_child_fields(f: &NewChildInput, lang: Lang) -> Vec<Field> {
    vec![
        Field::text("code", &f.code, lang).required(),
        Field::text("name", &f.name, lang).required(),
        Field::select("kind", &f.kind, kind_options(lang), lang),
        Field::select("category", &f.category, category_options(lang), lang),
        Field::date("founded_on", &f.founded_on, lang).required(),
        Field::text("decision_no", &f.decision_no, lang),
    ]
}

async fn new_child_form(staff: Staff, Path(id): Path<i64>) -> AppResult<OrgForm> {
    let lang = staff.auth.lang;
    let parent = staff.store().org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    // Suggest the kind that usually sits under this parent.
    let kind = OrgKind::ALL.iter().find(|k| k.may_sit_under(Some(parent.kind))).copied().unwrap_or(OrgKind::Cell);
    let input =
        NewChildInput { kind: kind.code().into(), category: parent.category.code().into(), founded_on: format_date(staff.today()), ..Default::default() };
    Ok(OrgForm {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/new")),
        org_id: id,
        org_name: parent.name,
        title: staff.auth.t().create_child.to_owned(),
        action: format!("/orgs/{id}/new"),
        fields: new_child_fields(&input, lang),
        errors: vec![],
        version: parent.version,
        danger: false,
    })
}

fn parse_date_field(e: &mut ValidationErrors, field: &str, value: &str) -> Option<chrono::NaiveDate> {
    match value.trim() {
        "" => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
        v => {
            let d = parse_date(v);
            if d.is_none() {
                e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", v));
            }
            d
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

async fn create_child(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<NewChildInput>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let parent = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    let mut e = ValidationErrors::new();
    let founded_on = parse_date_field(&mut e, "founded_on", &f.founded_on);
    let kind = OrgKind::from_code(&f.kind);
    let category = OrgCategory::from_code(&f.category);
    if kind.is_none() {
        e.push(FieldError::new("kind", ErrorCode::InvalidChoice).with("value", &f.kind));
    }
    if category.is_none() {
        e.push(FieldError::new("category", ErrorCode::InvalidChoice).with("value", &f.category));
    }
    let result = match (e.is_empty(), founded_on, kind, category) {
        (true, Some(founded_on), Some(kind), Some(category)) => {
            let new =
                NewOrg { code: f.code.clone(), name: f.name.clone(), kind, category, parent_id: Some(id), founded_on, decision_no: non_empty(&f.decision_no) };
            store.create_org(new).await
        }
        _ => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(StoreError::Invalid(v)) => {
            let mut fields = new_child_fields(&f, lang);
            let errors = attach_errors(&mut fields, &v, lang);
            Ok(OrgForm {
                c: staff.auth.chrome("orgs", &format!("/orgs/{id}/new")),
                org_id: id,
                org_name: parent.name,
                title: staff.auth.t().create_child.to_owned(),
                action: format!("/orgs/{id}/new"),
                fields,
                errors,
                version: parent.version,
                danger: false,
            }
            .into_response())
        }
        Err(other) => Err(staff.auth.err(other)),
    }
}

#[derive(Deserialize, Default)]
struct ChangeInput {
    #[serde(default)]
    version: i64,
    #[serde(default, rename = "event_date")]
    on: String,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    parent: String,
}

/// The dated changes a form can record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Rename,
    Reclassify,
    Move,
    Dissolve,
}

impl What {
    fn parse(s: &str, lang: Lang) -> AppResult<What> {
        match s {
            "rename" => Ok(What::Rename),
            "reclassify" => Ok(What::Reclassify),
            "move" => Ok(What::Move),
            "dissolve" => Ok(What::Dissolve),
            _ => Err(AppError::NotFound(lang)),
        }
    }

    fn title(self, t: &Texts) -> &'static str {
        match self {
            What::Rename => t.rename,
            What::Reclassify => t.reclassify,
            What::Move => t.move_org,
            What::Dissolve => t.dissolve,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            What::Rename => "rename",
            What::Reclassify => "reclassify",
            What::Move => "move",
            What::Dissolve => "dissolve",
        }
    }
}

fn change_fields(what: What, f: &ChangeInput, t: &Texts, lang: Lang) -> Vec<Field> {
    let mut fields = vec![Field::date("event_date", &f.on, lang).label(t.effective_date).required()];
    match what {
        What::Rename => fields.push(Field::text("name", &f.name, lang).required()),
        What::Reclassify => {
            fields.push(Field::select("kind", &f.kind, kind_options(lang), lang));
            fields.push(Field::select("category", &f.category, category_options(lang), lang));
        }
        What::Move => fields.push(Field::text("parent", &f.parent, lang).label(t.new_parent_code).required()),
        What::Dissolve => {}
    }
    fields.push(Field::text("decision_no", &f.decision_no, lang));
    fields
}

async fn change_form(staff: Staff, Path((id, what)): Path<(i64, String)>) -> AppResult<OrgForm> {
    let lang = staff.auth.lang;
    let what = What::parse(&what, lang)?;
    let org = staff.store().org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    let input = ChangeInput {
        version: org.version,
        on: format_date(staff.today()),
        name: org.name.clone(),
        kind: org.kind.code().into(),
        category: org.category.code().into(),
        ..Default::default()
    };
    let t = staff.auth.t();
    Ok(OrgForm {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/change/{}", what.slug())),
        org_id: id,
        org_name: org.name,
        title: what.title(t).to_owned(),
        action: format!("/orgs/{id}/change/{}", what.slug()),
        fields: change_fields(what, &input, t, lang),
        errors: vec![],
        version: org.version,
        danger: what == What::Dissolve,
    })
}

async fn change(staff: Staff, Path((id, what)): Path<(i64, String)>, CsrfForm(f): CsrfForm<ChangeInput>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let t = staff.auth.t();
    let what = What::parse(&what, lang)?;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    let mut e = ValidationErrors::new();
    let on = parse_date_field(&mut e, "event_date", &f.on);
    let change = match what {
        What::Rename => Some(OrgChange::Renamed { name: f.name.clone() }),
        What::Reclassify => match (OrgKind::from_code(&f.kind), OrgCategory::from_code(&f.category)) {
            (Some(kind), Some(category)) => Some(OrgChange::Reclassified { kind, category }),
            _ => {
                e.push(FieldError::new("kind", ErrorCode::InvalidChoice).with("value", &f.kind));
                None
            }
        },
        What::Move => match store.find_org(&f.parent).await.map_err(|e| staff.auth.err(e))? {
            OrgMatch::One(p) => Some(OrgChange::Moved { parent: p.id }),
            _ => {
                e.push(FieldError::new("parent", ErrorCode::NotFound));
                None
            }
        },
        What::Dissolve => Some(OrgChange::Dissolved),
    };
    let result = match (e.is_empty(), on, change) {
        (true, Some(on), Some(change)) => store.change_org(id, f.version, on, change, non_empty(&f.decision_no).as_deref()).await,
        _ => Err(StoreError::Invalid(e)),
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(e) => crate::form::refusal(e).map_err(|e| staff.auth.err(e))?,
    };
    let mut fields = change_fields(what, &f, t, lang);
    let summary = attach_errors(&mut fields, &errors, lang);
    Ok(OrgForm {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/change/{}", what.slug())),
        org_id: id,
        org_name: org.name,
        title: what.title(t).to_owned(),
        action: format!("/orgs/{id}/change/{}", what.slug()),
        fields,
        errors: summary,
        version: f.version,
        danger: what == What::Dissolve,
    }
    .into_response())
}
