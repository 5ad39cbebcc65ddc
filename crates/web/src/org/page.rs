//! Organization pages: the tree (expanded lazily with htmx), search without diacritics, an
//! organization's page (breadcrumb, details, sub-organizations with member counts, members in
//! Vietnamese order, history), and the dated changes: found, rename, reclassify, move,
//! dissolve.

use super::form::{ChangeForm, NewChildForm, change_kind, change_title};
use super::kind_label;
use crate::auth::{Chrome, CsrfForm, Staff};
use crate::error::AppError;
use crate::error::AppResult;
use crate::form::{Field, FormPage, Frame, answer, attach_errors, save};
use crate::i18n::{Lang, Texts};
use crate::member::{MemberRow, member_rows};
use crate::view::{Pager, date, number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::error::ValidationErrors;
use chibo_domain::org::command::{FoundOrg, OrgChangeKind, OrgChoice};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::member::MemberFilter;
use chibo_store::org::{NewOrg, Org, OrgMatch, OrgWithCount};
use serde::Deserialize;

/// One organization in a tree or list.
pub struct TreeNode {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub kind: &'static str,
    pub count: String,
    pub has_children: bool,
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
pub(super) struct TreePage {
    c: Chrome,
    q: String,
    roots: Vec<TreeNode>,
    results: Option<Vec<TreeNode>>,
    /// The whole tree's administrator may found a top organization (the first one of an
    /// empty installation).
    can_found_top: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct TreeQuery {
    #[serde(default)]
    q: String,
}

pub(super) async fn tree(staff: Staff, headers: HeaderMap, Query(query): Query<TreeQuery>) -> AppResult<Response> {
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
    let can_found_top = require_whole_tree(&staff).is_ok();
    Ok(TreePage { c: staff.auth.chrome("orgs", "/orgs"), q: query.q, roots, results, can_found_top }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "org/search_partial.html")]
pub(super) struct SearchPartial {
    t: &'static Texts,
    results: Vec<TreeNode>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/children_partial.html")]
pub(super) struct ChildrenPartial {
    t: &'static Texts,
    nodes: Vec<TreeNode>,
    /// (parent, how many more) when the tree shows only the first ones.
    more: Option<(i64, i64)>,
}

/// The tree shows at most this many sub-organizations of one parent; the organization's own
/// page pages through all of them.
const TREE_CHILDREN: i64 = 200;

pub(super) async fn children(staff: Staff, Path(id): Path<i64>) -> AppResult<ChildrenPartial> {
    let kids = staff.store().children_with_counts(id, 0, TREE_CHILDREN).await.map_err(|e| staff.auth.err(e))?;
    let more = (kids.total > TREE_CHILDREN).then(|| (id, kids.total - TREE_CHILDREN));
    Ok(ChildrenPartial { t: staff.auth.t(), nodes: tree_nodes(kids.items, staff.auth.lang), more })
}

pub(super) struct Crumb {
    id: i64,
    name: String,
    link: bool,
}

pub(super) struct HistoryRow {
    date: String,
    what: String,
    decision: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/show.html")]
pub(super) struct OrgPage {
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
    /// Who from the committees above is in charge of it today (the committee page has the
    /// rest: their duties, on any day).
    in_charge: Vec<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct PageQuery {
    page: Option<i64>,
    kids: Option<i64>,
}

const PER_PAGE: i64 = 25;
const KIDS_PER_PAGE: i64 = 50;

pub(super) async fn show(staff: Staff, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> AppResult<OrgPage> {
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
    let in_charge = store
        .in_charge_of(id, staff.today())
        .await
        .map_err(err)?
        .into_iter()
        .map(|x| format!("{} ({}, {})", x.duty.full_name, x.title, x.committee_org))
        .collect();
    Ok(OrgPage {
        in_charge,
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
pub(super) struct OrgForm {
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

impl OrgForm {
    /// The new sub-organization form under `parent`.
    fn new_child(staff: &Staff, parent: &Org, fields: Vec<Field>, errors: Vec<crate::form::ErrorLine>) -> OrgForm {
        let id = parent.id;
        OrgForm {
            c: staff.auth.chrome("orgs", &format!("/orgs/{id}/new")),
            org_id: id,
            org_name: parent.name.clone(),
            title: staff.auth.t().create_child.to_owned(),
            action: format!("/orgs/{id}/new"),
            fields,
            errors,
            version: parent.version,
            danger: false,
        }
    }

    /// The form of a dated change of `org`, rendered with `version`.
    fn change(staff: &Staff, org: &Org, what: OrgChangeKind, fields: Vec<Field>, errors: Vec<crate::form::ErrorLine>, version: i64) -> OrgForm {
        let id = org.id;
        OrgForm {
            c: staff.auth.chrome("orgs", &format!("/orgs/{id}/change/{}", what.code())),
            org_id: id,
            org_name: org.name.clone(),
            title: change_title(what, staff.auth.t()).to_owned(),
            action: format!("/orgs/{id}/change/{}", what.code()),
            fields,
            errors,
            version,
            danger: what == OrgChangeKind::Dissolve,
        }
    }
}

pub(super) async fn new_child_form(staff: Staff, Path(id): Path<i64>) -> AppResult<OrgForm> {
    let parent = staff.store().org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    // Suggest the kind that usually sits under this parent.
    let kind = OrgKind::ALL.iter().find(|k| k.may_sit_under(Some(parent.kind))).copied().unwrap_or(OrgKind::Cell);
    let input =
        NewChildForm { kind: kind.code().into(), category: parent.category.code().into(), founded_on: format_date(staff.today()), ..Default::default() };
    Ok(OrgForm::new_child(&staff, &parent, input.fields(staff.auth.lang), vec![]))
}

pub(super) async fn create_child(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<NewChildForm>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let parent = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    let result = match f.input().validate() {
        Ok(o) => {
            let new = NewOrg {
                code: o.code.as_str().to_owned(),
                name: o.name,
                kind: o.kind,
                category: o.category,
                parent_id: Some(id),
                founded_on: o.founded_on,
                decision_no: o.decision_no,
            };
            store.create_org(new).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(StoreError::Invalid(v)) => {
            let mut fields = f.fields(lang);
            let errors = attach_errors(&mut fields, &v, lang);
            Ok(OrgForm::new_child(&staff, &parent, fields, errors).into_response())
        }
        Err(other) => Err(staff.auth.err(other)),
    }
}

/// The founding of a top organization is the whole tree's administrator's alone (an empty
/// installation starts with it); anyone else finds no such page.
fn require_whole_tree(staff: &Staff) -> AppResult<()> {
    if staff.scope.root().is_none() && staff.may(Rights::Full) { Ok(()) } else { Err(AppError::NotFound(staff.auth.lang)) }
}

/// The frame of the top organization's form.
fn top_frame(staff: &Staff) -> Frame {
    let t = staff.auth.t();
    Frame {
        nav: "orgs",
        title: t.found_top_org.to_owned(),
        lead: t.found_top_org_lead.to_owned(),
        back: "/orgs".into(),
        back_label: t.org_tree.to_owned(),
        action: "/orgs/new".into(),
        submit: t.save.to_owned(),
        version: 0,
    }
}

pub(super) async fn new_top_form(staff: Staff) -> AppResult<FormPage> {
    require_whole_tree(&staff)?;
    let input = NewChildForm {
        kind: OrgKind::Province.code().into(),
        category: OrgCategory::Other.code().into(),
        founded_on: format_date(staff.today()),
        ..Default::default()
    };
    Ok(top_frame(&staff).page(&staff, input.fields(staff.auth.lang), &ValidationErrors::new()))
}

pub(super) async fn create_top(staff: Staff, CsrfForm(f): CsrfForm<NewChildForm>) -> AppResult<Response> {
    require_whole_tree(&staff)?;
    let store = staff.store();
    let result = save(f.input().validate(), async |o: FoundOrg| {
        let new = NewOrg {
            code: o.code.as_str().to_owned(),
            name: o.name,
            kind: o.kind,
            category: o.category,
            parent_id: None,
            founded_on: o.founded_on,
            decision_no: o.decision_no,
        };
        store.create_org(new).await
    })
    .await;
    answer(
        &staff,
        result,
        |org| Redirect::to(&format!("/orgs/{}", org.id)).into_response(),
        async |e| Ok(top_frame(&staff).page(&staff, f.fields(staff.auth.lang), &e)),
    )
    .await
}

pub(super) async fn change_form(staff: Staff, Path((id, what)): Path<(i64, String)>) -> AppResult<OrgForm> {
    let what = change_kind(&what, staff.auth.lang)?;
    let org = staff.store().org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    let input = ChangeForm {
        version: org.version,
        on: format_date(staff.today()),
        name: org.name.clone(),
        kind: org.kind.code().into(),
        category: org.category.code().into(),
        ..Default::default()
    };
    let fields = input.fields(what, staff.auth.t(), staff.auth.lang);
    Ok(OrgForm::change(&staff, &org, what, fields, vec![], org.version))
}

pub(super) async fn change(staff: Staff, Path((id, what)): Path<(i64, String)>, CsrfForm(f): CsrfForm<ChangeForm>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let what = change_kind(&what, lang)?;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Full)?;
    // The new parent is typed by code or name; the rest is the domain's command.
    let parent = match what {
        OrgChangeKind::Move if !f.parent.trim().is_empty() => match store.find_org(&f.parent).await.map_err(|e| staff.auth.err(e))? {
            OrgMatch::One(p) => OrgChoice::Found(p.id),
            _ => OrgChoice::NotFound,
        },
        _ => OrgChoice::None,
    };
    let result = match f.input(what, parent).validate() {
        Ok(c) => store.change_org(id, f.version, c.on, c.change, c.decision_no.as_deref()).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(e) => crate::form::refusal(e).map_err(|e| staff.auth.err(e))?,
    };
    let mut fields = f.fields(what, staff.auth.t(), lang);
    let summary = attach_errors(&mut fields, &errors, lang);
    Ok(OrgForm::change(&staff, &org, what, fields, summary, f.version).into_response())
}
