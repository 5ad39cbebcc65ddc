//! Organizations in the store: the current row, the dated events and the derived spans, kept
//! consistent in one transaction; reads "as of" any date; scope enforced on every call.

pub(crate) mod todo;

use crate::error::map_unique;
use crate::kernel::sql::{all, exec, get, one, placeholders, valid_at};
use crate::kernel::{Audit, Change, Versioned};
use crate::{Result, Scoped, StoreError};
use chibo_domain::calendar::{OPEN_END, format_date};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::org::audit::OrgAction;
use chibo_domain::org::{OrgCategory, OrgChange, OrgCode, OrgEvent, OrgId, OrgKind, OrgPath, OrgSpan, attr_spans, parse_org_name, path_spans};
use chibo_domain::scope::{Reach, Rights};
use chibo_domain::text::{fold, text_sort_key};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// An organization as it stands now (or as of a date, for tree reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Surrogate key.
    pub id: OrgId,
    /// Official code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
    /// Parent, None for a root.
    pub parent_id: Option<OrgId>,
    /// Materialized path.
    pub path: OrgPath,
    /// Founding date.
    pub founded_on: NaiveDate,
    /// Dissolution date, if dissolved.
    pub dissolved_on: Option<NaiveDate>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

const ORG_COLS: &str = "id, code, name, kind, category, parent_id, path, founded_on, dissolved_on, version";

fn org_from_row(r: &QueryResult) -> Result<Org> {
    let kind: String = get(r, "kind")?;
    let category: String = get(r, "category")?;
    Ok(Org {
        id: get(r, "id")?,
        code: get(r, "code")?,
        name: get(r, "name")?,
        kind: OrgKind::from_code(&kind).ok_or_else(|| sea_orm::DbErr::Custom(format!("unknown org kind {kind}")))?,
        category: OrgCategory::from_code(&category).ok_or_else(|| sea_orm::DbErr::Custom(format!("unknown category {category}")))?,
        parent_id: get(r, "parent_id")?,
        path: OrgPath::from_stored(get(r, "path")?),
        founded_on: get(r, "founded_on")?,
        dissolved_on: get(r, "dissolved_on")?,
        version: get(r, "version")?,
    })
}

/// A node of the tree as it stood on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgNode {
    /// Surrogate key.
    pub id: OrgId,
    /// Official code.
    pub code: String,
    /// Name on that date.
    pub name: String,
    /// Level on that date.
    pub kind: OrgKind,
    /// Category on that date.
    pub category: OrgCategory,
    /// Parent on that date.
    pub parent_id: Option<OrgId>,
    /// Path on that date.
    pub path: OrgPath,
}

fn span_from_row(r: &QueryResult) -> Result<OrgSpan> {
    let kind: String = get(r, "kind")?;
    let category: String = get(r, "category")?;
    Ok(OrgSpan {
        org_id: get(r, "org_id")?,
        from: get(r, "valid_from")?,
        until: get(r, "valid_until")?,
        parent: get(r, "parent_id")?,
        path: OrgPath::from_stored(get(r, "path")?),
        name: get(r, "name")?,
        kind: OrgKind::from_code(&kind).unwrap_or(OrgKind::Cell),
        category: OrgCategory::from_code(&category).unwrap_or(OrgCategory::Other),
    })
}

/// A recorded change with its bookkeeping, for the history view.
#[derive(Debug, Clone, Serialize)]
pub struct OrgEventRecord {
    /// Sequence number.
    pub id: i64,
    /// Effective date.
    pub on: NaiveDate,
    /// Change code (`founded`, `moved`...).
    pub kind: String,
    /// Vietnamese description.
    pub description: String,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// Input for founding an organization.
#[derive(Debug, Clone)]
pub struct NewOrg {
    /// Official code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
    /// Parent (None only for a root, which needs the whole-tree scope).
    pub parent_id: Option<OrgId>,
    /// Founding date.
    pub founded_on: NaiveDate,
    /// Founding decision number.
    pub decision_no: Option<String>,
}

/// What a name or code given on a command line or search box resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgMatch {
    /// Exactly one organization.
    One(Org),
    /// Several: the caller must choose.
    Many(Vec<Org>),
    /// None.
    None,
}

fn date_val(d: NaiveDate) -> Value {
    d.into()
}

impl Scoped<'_> {
    /// Reads an organization inside the scope (NotFound outside it).
    pub async fn org(&self, id: OrgId) -> Result<Org> {
        load_org(&self.store.db, id, self).await
    }

    /// Finds organizations by code, else whole name (case and diacritics ignored), else a
    /// unique part of a name; only inside the scope.
    pub async fn find_org(&self, query: &str) -> Result<OrgMatch> {
        let q = query.trim();
        let db = &self.store.db;
        let scope_sql = self.scope_filter("o.path", 2);
        let vals = |first: Value| -> Vec<Value> {
            let mut v = vec![first];
            if let Some((lo, hi)) = self.scope.path_range() {
                v.push(lo.into());
                v.push(hi.into());
            }
            v
        };
        let by_code = all(db, &format!("SELECT {ORG_COLS} FROM org o WHERE o.code = $1{scope_sql}"), vals(q.into())).await?;
        if let Some(r) = by_code.first() {
            return Ok(OrgMatch::One(org_from_row(r)?));
        }
        let folded = fold(q);
        if folded.is_empty() {
            return Ok(OrgMatch::None);
        }
        let exact =
            all(db, &format!("SELECT {ORG_COLS} FROM org o WHERE o.name_folded = $1{scope_sql} ORDER BY o.sort_key LIMIT 20"), vals(folded.clone().into()))
                .await?;
        let rows = if exact.is_empty() {
            let pattern = format!("%{}%", folded.replace(['%', '_'], ""));
            all(db, &format!("SELECT {ORG_COLS} FROM org o WHERE o.name_folded LIKE $1{scope_sql} ORDER BY o.sort_key LIMIT 20"), vals(pattern.into())).await?
        } else {
            exact
        };
        let mut orgs = rows.iter().map(org_from_row).collect::<Result<Vec<_>>>()?;
        Ok(match orgs.len() {
            0 => OrgMatch::None,
            1 => OrgMatch::One(orgs.remove(0)),
            _ => OrgMatch::Many(orgs),
        })
    }

    /// Resolves a code or name to exactly one organization, or a Vietnamese error that lists
    /// the candidates.
    pub async fn resolve_org(&self, query: &str) -> Result<Org> {
        match self.find_org(query).await? {
            OrgMatch::One(o) => Ok(o),
            OrgMatch::None => Err(StoreError::NotFound),
            OrgMatch::Many(list) => {
                // Names repeat from ward to ward ("Chi bộ khu phố 3"): each candidate says
                // where it sits. An organization's name is not personal data, so a parent
                // outside the scope is named too, as the breadcrumbs do.
                let ids: Vec<OrgId> = list.iter().filter_map(|o| o.parent_id).collect::<BTreeSet<_>>().into_iter().collect();
                let parents = self.store.public().org_names(&ids).await?;
                let candidates = list
                    .iter()
                    .map(|o| match o.parent_id.and_then(|p| parents.get(&p)) {
                        Some(parent) => format!("{} ({}), thuộc {parent}", o.name, o.code),
                        None => format!("{} ({})", o.name, o.code),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(StoreError::field(FieldError::new("org_query", ErrorCode::OrgAmbiguous).with("value", query.trim()).with("candidates", candidates)))
            }
        }
    }

    /// The tree under (and including) an organization as it stood on a date, `depth` levels
    /// deep (None: all), in Vietnamese name order within each parent.
    pub async fn subtree(&self, root: OrgId, as_of: NaiveDate, depth: Option<u32>) -> Result<Vec<OrgNode>> {
        let root_node = self.node_at(root, as_of).await?.ok_or(StoreError::NotFound)?;
        let (lo, hi) = root_node.path.subtree_range();
        let mut sql = format!(
            "SELECT s.org_id, s.valid_from, s.valid_until, s.parent_id, s.path, s.depth, s.name, s.kind, s.category, o.code FROM org_span s JOIN org o ON o.id = s.org_id \
             WHERE s.path >= $1 AND s.path < $2 AND {}",
            valid_at("s", 3)
        );
        let mut vals: Vec<Value> = vec![lo.into(), hi.into(), date_val(as_of)];
        if let Some(d) = depth {
            sql.push_str(" AND s.depth <= $4");
            vals.push(((root_node.path.depth() as u32 + d) as i32).into());
        }
        let rows = all(&self.store.db, &sql, vals).await?;
        let mut nodes = rows
            .iter()
            .map(|r| {
                let s = span_from_row(r)?;
                Ok(OrgNode { id: s.org_id, code: get(r, "code")?, name: s.name, kind: s.kind, category: s.category, parent_id: s.parent, path: s.path })
            })
            .collect::<Result<Vec<_>>>()?;
        sort_tree(&mut nodes);
        Ok(nodes)
    }

    /// The direct children of an organization on a date, in Vietnamese name order.
    pub async fn children(&self, parent: OrgId, as_of: NaiveDate) -> Result<Vec<OrgNode>> {
        let mut nodes = self.subtree(parent, as_of, Some(1)).await?;
        nodes.retain(|n| n.id != parent);
        Ok(nodes)
    }

    /// The node as it stood on a date, if it existed then and is inside the scope.
    pub async fn node_at(&self, id: OrgId, as_of: NaiveDate) -> Result<Option<OrgNode>> {
        let sql = format!(
            "SELECT s.org_id, s.valid_from, s.valid_until, s.parent_id, s.path, s.depth, s.name, s.kind, s.category, o.code FROM org_span s JOIN org o ON o.id = s.org_id \
             WHERE s.org_id = $1 AND {}",
            valid_at("s", 2)
        );
        let Some(r) = one(&self.store.db, &sql, vec![id.into(), date_val(as_of)]).await? else {
            // Existing now but not on that date is "not there then"; outside the scope is
            // "not found" either way.
            return Ok(None);
        };
        let s = span_from_row(&r)?;
        if !self.scope.covers(&s.path) {
            // The scope is judged on today's tree: an org that is in scope now may have sat
            // elsewhere in the past, and its past is still the user's business.
            let now = self.org(id).await?;
            if !self.scope.covers(&now.path) {
                return Err(StoreError::NotFound);
            }
        }
        Ok(Some(OrgNode { id: s.org_id, code: get(&r, "code")?, name: s.name, kind: s.kind, category: s.category, parent_id: s.parent, path: s.path }))
    }

    /// The recorded changes of an organization, oldest first.
    pub async fn org_history(&self, id: OrgId) -> Result<Vec<OrgEventRecord>> {
        self.org(id).await?;
        let rows = all(
            &self.store.db,
            "SELECT e.id, e.kind, e.occurred_on, e.parent_id, e.name, e.org_kind, e.category, e.decision_no, e.recorded_by, p.name AS parent_name \
             FROM org_event e LEFT JOIN org p ON p.id = e.parent_id WHERE e.org_id = $1 ORDER BY e.occurred_on, e.id",
            vec![id.into()],
        )
        .await?;
        rows.iter()
            .map(|r| {
                let ev = event_from_row(r)?;
                let parent_name: Option<String> = get(r, "parent_name")?;
                let description = match &ev.change {
                    OrgChange::Founded { name, kind, .. } => {
                        format!(
                            "Thành lập {} «{}»{}",
                            kind.label_vi().to_lowercase(),
                            name,
                            parent_name.map(|p| format!(", trực thuộc {p}")).unwrap_or_default()
                        )
                    }
                    OrgChange::Renamed { name } => format!("Đổi tên thành «{name}»"),
                    OrgChange::Moved { .. } => format!("Chuyển trực thuộc {}", parent_name.unwrap_or_default()),
                    OrgChange::Reclassified { kind, category } => {
                        format!("Đổi thành {} ({})", kind.label_vi().to_lowercase(), category.label_vi().to_lowercase())
                    }
                    OrgChange::Dissolved => "Giải thể".to_owned(),
                };
                Ok(OrgEventRecord {
                    id: get(r, "id")?,
                    on: ev.on,
                    kind: ev.change.code().to_owned(),
                    description,
                    decision_no: get(r, "decision_no")?,
                    recorded_by: get(r, "recorded_by")?,
                })
            })
            .collect()
    }

    /// Founds an organization (a root needs the whole-tree scope).
    pub async fn create_org(&self, new: NewOrg) -> Result<Org> {
        let ch = self.change(Rights::Full).await?;
        let code = OrgCode::parse(&new.code).map_err(StoreError::field)?;
        let name = parse_org_name(&new.name).map_err(StoreError::field)?;
        // The founding date is the form's `founded_on`, not a change's `event_date`.
        check_not_future(&ch, new.founded_on).map_err(|e| match e {
            StoreError::Invalid(mut v) => {
                v.errors.iter_mut().for_each(|f| f.field = "founded_on".into());
                StoreError::Invalid(v)
            }
            other => other,
        })?;
        match new.parent_id {
            Some(p) => {
                load_org(&*ch, p, self).await?;
            }
            None if self.scope.reach != Reach::All => return Err(StoreError::NotFound),
            None => {}
        }
        let row = one(
            &*ch,
            "INSERT INTO org (code, name, name_folded, sort_key, kind, category, parent_id, path, depth, founded_on, dissolved_on, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, '/', 0, $8, NULL, 1, $9) RETURNING id",
            vec![
                code.as_str().into(),
                name.clone().into(),
                fold(&name).into(),
                text_sort_key(&name).into(),
                new.kind.code().into(),
                new.category.code().into(),
                new.parent_id.into(),
                date_val(new.founded_on),
                ch.now().into(),
            ],
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(db) => map_unique(db, &[("org.code", org_code_taken(code.as_str())), ("ux_org_code", org_code_taken(code.as_str()))]),
            other => other,
        })?
        .ok_or(StoreError::NotFound)?;
        let id: OrgId = get(&row, "id")?;
        let change = OrgChange::Founded { parent: new.parent_id, name, kind: new.kind, category: new.category };
        insert_event(&ch, id, new.founded_on, &change, new.decision_no.as_deref()).await?;
        rebuild_spans(&*ch, &[id]).await?;
        let org = load_org_unscoped(&*ch, id).await?;
        ch.audit(Audit::of(OrgAction::Create, Some(id)).at(&org.path).after(&org_json(&org))).await?;
        ch.commit().await?;
        Ok(org)
    }

    /// Records a dated change of an organization (rename, move, reclassify, dissolve),
    /// checking the version the caller edited.
    pub async fn change_org(&self, id: OrgId, version: i64, on: NaiveDate, change: OrgChange, decision_no: Option<&str>) -> Result<Org> {
        let ch = self.change(Rights::Full).await?;
        check_not_future(&ch, on)?;
        let before = load_org(&*ch, id, self).await?;
        let change = match change {
            OrgChange::Renamed { name } => OrgChange::Renamed { name: parse_org_name(&name).map_err(StoreError::field)? },
            OrgChange::Moved { parent } => {
                // The new parent must be reachable too: nobody moves a branch out of sight.
                load_org(&*ch, parent, self).await?;
                OrgChange::Moved { parent }
            }
            OrgChange::Founded { .. } => {
                return Err(StoreError::field(
                    FieldError::new("event", ErrorCode::TransitionNotAllowed).with("event", "Thành lập").with("status", "đã thành lập"),
                ));
            }
            other => other,
        };
        if change == OrgChange::Dissolved {
            check_empty_on(&*ch, id, on).await?;
        }
        apply_change(&ch, &before, version, on, &change, decision_no).await?;
        let after = load_org_unscoped(&*ch, id).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Merges `source` into `target` on a date: its sub-organizations move under the target,
    /// its members (if it is a cell) move to the target cell, and it is dissolved. One
    /// transaction, one decision.
    pub async fn merge_org(&self, source: OrgId, source_version: i64, target: OrgId, on: NaiveDate, decision_no: Option<&str>) -> Result<Org> {
        let ch = self.change(Rights::Full).await?;
        check_not_future(&ch, on)?;
        let src = load_org(&*ch, source, self).await?;
        let tgt = load_org(&*ch, target, self).await?;
        if src.id == tgt.id || src.path.contains(&tgt.path) {
            return Err(StoreError::field(FieldError::new("parent", ErrorCode::OrgCycle)));
        }
        // The source's version is the one the user saw; the rest are claimed as they stand.
        ch.claim(Versioned::Org, src.id, source_version).await?;
        let kids =
            all(&*ch, &format!("SELECT s.org_id FROM org_span s WHERE s.parent_id = $1 AND {}", valid_at("s", 2)), vec![source.into(), date_val(on)]).await?;
        for k in kids {
            let kid = load_org_unscoped(&*ch, get(&k, "org_id")?).await?;
            apply_change(&ch, &kid, kid.version, on, &OrgChange::Moved { parent: target }, decision_no).await?;
        }
        if src.kind.holds_members() {
            crate::member::move_all_members(&ch, self, source, target, on, decision_no).await?;
        }
        check_empty_on(&*ch, source, on).await?;
        let src_now = load_org_unscoped(&*ch, source).await?;
        apply_change(&ch, &src_now, src_now.version, on, &OrgChange::Dissolved, decision_no).await?;
        let after = load_org_unscoped(&*ch, target).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records many dated changes made by one decision (a reorganization: on 1/7/2025 the
    /// district level was abolished and hundreds of organizations moved at once) in one
    /// transaction, with `change_org`'s rules: full rights, every organization and every new
    /// parent inside the scope, no date in the future, no founding, a dissolved organization
    /// empty from its date. Changes of one organization on one day apply in the order given.
    /// The spans of everything affected are rebuilt once (one call per change would rebuild a
    /// dissolved district's whole past subtree again), each organization's version moves on
    /// once, and each change is audited like `change_org`'s.
    pub async fn reorganize(&self, changes: &[(OrgId, NaiveDate, OrgChange)], decision_no: Option<&str>) -> Result<()> {
        let ch = self.change(Rights::Full).await?;
        let mut checked = Vec::with_capacity(changes.len());
        let mut named: BTreeSet<OrgId> = BTreeSet::new();
        for (id, on, change) in changes {
            check_not_future(&ch, *on)?;
            let change = match change {
                OrgChange::Renamed { name } => OrgChange::Renamed { name: parse_org_name(name).map_err(StoreError::field)? },
                OrgChange::Founded { .. } => {
                    return Err(StoreError::field(
                        FieldError::new("event", ErrorCode::TransitionNotAllowed).with("event", "Thành lập").with("status", "đã thành lập"),
                    ));
                }
                OrgChange::Moved { parent } => {
                    named.insert(*parent);
                    change.clone()
                }
                other => other.clone(),
            };
            named.insert(*id);
            checked.push((*id, *on, change));
        }
        let mut before: HashMap<OrgId, Org> = HashMap::new();
        let ids: Vec<OrgId> = named.iter().copied().collect();
        for chunk in ids.chunks(500) {
            let sql = format!("SELECT {ORG_COLS} FROM org WHERE id IN ({})", placeholders(1, chunk.len()));
            for r in all(&*ch, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
                let o = org_from_row(&r)?;
                before.insert(o.id, o);
            }
        }
        for i in &ids {
            match before.get(i) {
                Some(o) => ch.inside((), &o.path)?,
                None => return Err(StoreError::NotFound),
            }
        }
        let changed: BTreeSet<OrgId> = checked.iter().map(|c| c.0).collect();
        for id in &changed {
            ch.claim(Versioned::Org, *id, before[id].version).await?;
        }
        for (id, on, change) in &checked {
            insert_event(&ch, *id, *on, change, decision_no).await?;
        }
        let roots: Vec<OrgId> = changed.iter().copied().collect();
        rebuild_spans(&*ch, &roots).await?;
        for (id, on, change) in &checked {
            if *change == OrgChange::Dissolved {
                check_empty_on(&*ch, *id, *on).await?;
            }
        }
        let mut after_rows: HashMap<OrgId, Org> = HashMap::new();
        for id in &roots {
            after_rows.insert(*id, load_org_unscoped(&*ch, *id).await?);
        }
        for (id, _, change) in &checked {
            let after = &after_rows[id];
            ch.audit(Audit::of(OrgAction::of_change(change), Some(*id)).at(&after.path).before(&org_json(&before[id])).after(&org_json(after))).await?;
        }
        ch.commit().await?;
        Ok(())
    }
}

/// Inserts one change of an organization the change has loaded, claiming the version `version`
/// the caller holds, rebuilds the affected spans and rows, and audits.
async fn apply_change(ch: &Change<'_>, before: &Org, version: i64, on: NaiveDate, change: &OrgChange, decision_no: Option<&str>) -> Result<()> {
    ch.claim(Versioned::Org, before.id, version).await?;
    insert_event(ch, before.id, on, change, decision_no).await?;
    rebuild_spans(&**ch, &[before.id]).await?;
    let after = load_org_unscoped(&**ch, before.id).await?;
    ch.audit(Audit::of(OrgAction::of_change(change), Some(before.id)).at(&after.path).before(&org_json(before)).after(&org_json(&after))).await
}

fn org_code_taken(code: &str) -> FieldError {
    FieldError::new("code", ErrorCode::OrgCodeTaken).with("value", code)
}

fn check_not_future(ch: &Change<'_>, on: NaiveDate) -> Result<()> {
    let t = ch.today();
    if on > t {
        return Err(StoreError::field(FieldError::new("event_date", ErrorCode::DateInFuture).with("date", format_date(on)).with("today", format_date(t))));
    }
    Ok(())
}

/// Refuses to dissolve an organization that still has sub-organizations or members on or
/// after the date.
async fn check_empty_on<C: ConnectionTrait>(c: &C, id: OrgId, on: NaiveDate) -> Result<()> {
    let kids = one(c, "SELECT COUNT(*) AS n FROM org_span WHERE parent_id = $1 AND valid_until > $2", vec![id.into(), date_val(on)]).await?;
    let n: i64 = kids.map(|r| get(&r, "n")).transpose()?.unwrap_or(0);
    if n > 0 {
        return Err(StoreError::field(FieldError::new("event", ErrorCode::OrgHasChildren).with("count", n)));
    }
    let members = one(
        c,
        &format!("SELECT COUNT(DISTINCT member_id) AS n FROM member_span WHERE org_id = $1 AND valid_until > $2 AND status IN ({})", placeholders(3, 6)),
        // A member in transit still belongs here until the receiving side answers (a refusal
        // brings them back).
        vec![id.into(), date_val(on), "probationary".into(), "official".into(), "exempt".into(), "suspended".into(), "candidate".into(), "in_transit".into()],
    )
    .await?;
    let n: i64 = members.map(|r| get(&r, "n")).transpose()?.unwrap_or(0);
    if n > 0 {
        return Err(StoreError::field(FieldError::new("event", ErrorCode::OrgHasMembers).with("count", n)));
    }
    Ok(())
}

pub(crate) fn org_json(o: &Org) -> serde_json::Value {
    serde_json::json!({
        "id": o.id, "code": o.code, "name": o.name, "kind": o.kind.code(), "category": o.category.code(),
        "parent_id": o.parent_id, "path": o.path.as_str(), "founded_on": o.founded_on, "dissolved_on": o.dissolved_on, "version": o.version,
    })
}

pub(crate) async fn load_org_unscoped<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<Org> {
    let r = one(c, &format!("SELECT {ORG_COLS} FROM org WHERE id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    org_from_row(&r)
}

pub(crate) async fn load_org<C: ConnectionTrait>(c: &C, id: OrgId, s: &Scoped<'_>) -> Result<Org> {
    let org = load_org_unscoped(c, id).await?;
    if s.scope.covers(&org.path) { Ok(org) } else { Err(StoreError::NotFound) }
}

/// The span of an organization covering a date, unscoped (callers have checked scope).
pub(crate) async fn span_at<C: ConnectionTrait>(c: &C, id: OrgId, on: NaiveDate) -> Result<Option<OrgSpan>> {
    let sql = format!("SELECT s.* FROM org_span s WHERE s.org_id = $1 AND {}", valid_at("s", 2));
    one(c, &sql, vec![id.into(), date_val(on)]).await?.map(|r| span_from_row(&r)).transpose()
}

/// The grassroots organization (đảng bộ cơ sở or chi bộ cơ sở) an organization sat in on a
/// date: itself or its nearest such ancestor then (None above the grassroots level).
pub(crate) async fn grassroots_of<C: ConnectionTrait>(c: &C, id: OrgId, on: NaiveDate) -> Result<Option<OrgId>> {
    let Some(span) = span_at(c, id, on).await? else { return Ok(None) };
    let ids = span.path.ids();
    let kinds: Vec<&str> = OrgKind::ALL.iter().filter(|k| k.is_grassroots()).map(|k| k.code()).collect();
    let sql = format!(
        "SELECT s.org_id FROM org_span s WHERE s.org_id IN ({}) AND s.kind IN ({}) AND {}",
        placeholders(1, ids.len()),
        placeholders(ids.len() + 1, kinds.len()),
        valid_at("s", ids.len() + kinds.len() + 1)
    );
    let mut vals: Vec<Value> = ids.iter().map(|i| Value::from(*i)).collect();
    vals.extend(kinds.iter().map(|k| Value::from(*k)));
    vals.push(date_val(on));
    let found: HashSet<OrgId> = all(c, &sql, vals).await?.iter().map(|r| get(r, "org_id")).collect::<Result<_>>()?;
    // The path runs from the root down: the nearest is the last found.
    Ok(ids.into_iter().rev().find(|i| found.contains(i)))
}

async fn insert_event(ch: &Change<'_>, org: OrgId, on: NaiveDate, change: &OrgChange, decision_no: Option<&str>) -> Result<()> {
    let (parent, name, kind, category): (Option<OrgId>, Option<String>, Option<&str>, Option<&str>) = match change {
        OrgChange::Founded { parent, name, kind, category } => (*parent, Some(name.clone()), Some(kind.code()), Some(category.code())),
        OrgChange::Renamed { name } => (None, Some(name.clone()), None, None),
        OrgChange::Moved { parent } => (Some(*parent), None, None, None),
        OrgChange::Reclassified { kind, category } => (None, None, Some(kind.code()), Some(category.code())),
        OrgChange::Dissolved => (None, None, None, None),
    };
    exec(
        &**ch,
        "INSERT INTO org_event (org_id, kind, occurred_on, parent_id, name, org_kind, category, decision_no, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)",
        vec![
            org.into(),
            change.code().into(),
            date_val(on),
            parent.into(),
            name.into(),
            kind.map(str::to_owned).into(),
            category.map(str::to_owned).into(),
            decision_no.map(str::to_owned).into(),
            ch.actor().label().into(),
            ch.now().into(),
        ],
    )
    .await?;
    Ok(())
}

fn event_from_row(r: &QueryResult) -> Result<OrgEvent> {
    let kind: String = get(r, "kind")?;
    let on: NaiveDate = get(r, "occurred_on")?;
    let parent: Option<OrgId> = get(r, "parent_id")?;
    let name: Option<String> = get(r, "name")?;
    let org_kind = get::<Option<String>>(r, "org_kind")?.and_then(|k| OrgKind::from_code(&k));
    let category = get::<Option<String>>(r, "category")?.and_then(|k| OrgCategory::from_code(&k));
    let bad = || StoreError::Db(sea_orm::DbErr::Custom(format!("malformed org event {kind}")));
    let change = match kind.as_str() {
        "founded" => OrgChange::Founded { parent, name: name.ok_or_else(bad)?, kind: org_kind.ok_or_else(bad)?, category: category.ok_or_else(bad)? },
        "renamed" => OrgChange::Renamed { name: name.ok_or_else(bad)? },
        "moved" => OrgChange::Moved { parent: parent.ok_or_else(bad)? },
        "reclassified" => OrgChange::Reclassified { kind: org_kind.ok_or_else(bad)?, category: category.ok_or_else(bad)? },
        "dissolved" => OrgChange::Dissolved,
        _ => return Err(bad()),
    };
    Ok(OrgEvent { on, change })
}

/// Recomputes the spans of the given organizations and of everything that ever sat under
/// them, then refreshes their current rows. The affected set is found through the old spans'
/// paths (b-tree range scans) plus the roots themselves.
pub(crate) async fn rebuild_spans<C: ConnectionTrait>(c: &C, roots: &[OrgId]) -> Result<()> {
    let mut affected: BTreeSet<OrgId> = roots.iter().copied().collect();
    for &r in roots {
        let paths = all(c, "SELECT DISTINCT path FROM org_span WHERE org_id = $1", vec![r.into()]).await?;
        for p in paths {
            let (lo, hi) = OrgPath::from_stored(get(&p, "path")?).subtree_range();
            for row in all(c, "SELECT DISTINCT org_id FROM org_span WHERE path >= $1 AND path < $2", vec![lo.into(), hi.into()]).await? {
                affected.insert(get(&row, "org_id")?);
            }
        }
    }
    let ids: Vec<OrgId> = affected.iter().copied().collect();
    let mut events: HashMap<OrgId, Vec<OrgEvent>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!("SELECT * FROM org_event WHERE org_id IN ({}) ORDER BY occurred_on, id", placeholders(1, chunk.len()));
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            events.entry(get(&r, "org_id")?).or_default().push(event_from_row(&r)?);
        }
    }
    let mut attrs = HashMap::new();
    for &id in &ids {
        let ev = events.remove(&id).unwrap_or_default();
        attrs.insert(id, attr_spans(&ev)?);
    }
    // Spans of parents outside the affected set do not change; load them once.
    let outside: HashSet<OrgId> = attrs.values().flatten().filter_map(|a| a.parent).filter(|p| !affected.contains(p)).collect();
    let mut computed: HashMap<OrgId, Vec<OrgSpan>> = HashMap::new();
    for p in outside {
        let rows = all(c, "SELECT * FROM org_span WHERE org_id = $1 ORDER BY valid_from", vec![p.into()]).await?;
        computed.insert(p, rows.iter().map(span_from_row).collect::<Result<_>>()?);
    }
    // Parents before children: repeatedly compute those whose parents are all known. A round
    // without progress means the parent links form a cycle.
    let mut pending: Vec<OrgId> = ids.clone();
    while !pending.is_empty() {
        let before = pending.len();
        let mut next = Vec::new();
        for id in pending {
            let a = &attrs[&id];
            if a.iter().filter_map(|s| s.parent).all(|p| computed.contains_key(&p)) {
                let spans = path_spans(id, a, &computed)?;
                computed.insert(id, spans);
            } else {
                next.push(id);
            }
        }
        if next.len() == before {
            return Err(StoreError::field(FieldError::new("parent", ErrorCode::OrgCycle)));
        }
        pending = next;
    }
    for &id in &ids {
        exec(c, "DELETE FROM org_span WHERE org_id = $1", vec![id.into()]).await?;
        let spans = &computed[&id];
        for s in spans {
            insert_span(c, s).await?;
        }
        let events_first = attrs[&id].first().map(|a| a.from);
        let last = spans.last();
        let dissolved = last.filter(|s| s.until != OPEN_END).map(|s| s.until);
        if let (Some(last), Some(founded)) = (last, events_first) {
            exec(
                c,
                "UPDATE org SET name = $2, name_folded = $3, sort_key = $4, kind = $5, category = $6, parent_id = $7, path = $8, depth = $9, founded_on = $10, dissolved_on = $11 WHERE id = $1",
                vec![
                    id.into(),
                    last.name.clone().into(),
                    fold(&last.name).into(),
                    text_sort_key(&last.name).into(),
                    last.kind.code().into(),
                    last.category.code().into(),
                    last.parent.into(),
                    last.path.as_str().to_owned().into(),
                    (last.path.depth() as i32).into(),
                    date_val(founded),
                    dissolved.map(date_val).unwrap_or(Value::ChronoDate(None)),
                ],
            )
            .await?;
        }
    }
    crate::stats::refresh_orgs(c, &ids).await
}

async fn insert_span<C: ConnectionTrait>(c: &C, s: &OrgSpan) -> Result<()> {
    exec(
        c,
        "INSERT INTO org_span (org_id, valid_from, valid_until, parent_id, path, depth, name, kind, category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            s.org_id.into(),
            date_val(s.from),
            date_val(s.until),
            s.parent.into(),
            s.path.as_str().to_owned().into(),
            (s.path.depth() as i32).into(),
            s.name.clone().into(),
            s.kind.code().into(),
            s.category.code().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Orders nodes depth-first, children of one parent in Vietnamese name order (natural number
/// order for "Khu phố 3" before "Khu phố 10").
fn sort_tree(nodes: &mut Vec<OrgNode>) {
    let keys: HashMap<OrgId, String> = nodes.iter().map(|n| (n.id, text_sort_key(&n.name))).collect();
    // Sort by the sequence of ancestor keys: the path with each id replaced by its name key.
    let mut with_key: Vec<(Vec<String>, OrgNode)> = nodes
        .drain(..)
        .map(|n| {
            let k = n.path.ids().iter().map(|i| keys.get(i).cloned().unwrap_or_default()).collect();
            (k, n)
        })
        .collect();
    with_key.sort_by(|a, b| a.0.cmp(&b.0));
    nodes.extend(with_key.into_iter().map(|(_, n)| n));
}

/// An organization with the number of members in its subtree today.
#[derive(Debug, Clone, Serialize)]
pub struct OrgWithCount {
    /// The organization as it stands today.
    pub node: OrgNode,
    /// Members (probationary, official, exempt, suspended) in its subtree.
    pub members: i64,
    /// Whether it has sub-organizations today.
    pub has_children: bool,
}

/// One step of a breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    /// The ancestor.
    pub id: OrgId,
    /// Its name today.
    pub name: String,
    /// Whether the user may open it (ancestors above the scope's root are shown as text).
    pub in_scope: bool,
}

impl Scoped<'_> {
    /// The path from the root to an organization, for breadcrumbs.
    pub async fn ancestors(&self, id: OrgId) -> Result<Vec<Crumb>> {
        let org = self.org(id).await?;
        let ids = org.path.ids();
        let sql = format!("SELECT id, name, path FROM org WHERE id IN ({})", placeholders(1, ids.len()));
        let rows = all(&self.store.db, &sql, ids.iter().map(|&i| i.into()).collect()).await?;
        let mut by_id: HashMap<OrgId, (String, OrgPath)> = HashMap::new();
        for r in rows {
            by_id.insert(get(&r, "id")?, (get(&r, "name")?, OrgPath::from_stored(get(&r, "path")?)));
        }
        Ok(ids.into_iter().filter_map(|i| by_id.remove(&i).map(|(name, path)| Crumb { id: i, name, in_scope: self.scope.covers(&path) })).collect())
    }

    /// The sub-organizations of an organization today, each with its members counted over its
    /// subtree, in Vietnamese name order.
    pub async fn children_with_counts(&self, parent: OrgId, offset: i64, limit: i64) -> Result<crate::member::Page<OrgWithCount>> {
        let all_kids = self.children(parent, self.store.today()).await?;
        let total = all_kids.len() as i64;
        // Count only the page shown: counting walks each child's subtree.
        let kids: Vec<OrgNode> = all_kids.into_iter().skip(offset.max(0) as usize).take(limit.max(1) as usize).collect();
        let mut out = Vec::with_capacity(kids.len());
        let member_codes = chibo_domain::member::MemberStatus::MEMBER_CODES;
        for node in kids {
            let (lo, hi) = node.path.subtree_range();
            let sql = format!(
                "SELECT (SELECT COUNT(*) FROM member m JOIN org o ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2 AND m.status IN ({})) AS members, \
                 (SELECT COUNT(*) FROM org c WHERE c.parent_id = $3 AND c.dissolved_on IS NULL) AS kids",
                placeholders(4, member_codes.len())
            );
            let mut vals: Vec<Value> = vec![lo.into(), hi.into(), node.id.into()];
            vals.extend(member_codes.iter().map(|c| Value::from(*c)));
            let r = one(&self.store.db, &sql, vals).await?.ok_or(StoreError::NotFound)?;
            let kids: i64 = get(&r, "kids")?;
            out.push(OrgWithCount { members: get(&r, "members")?, has_children: kids > 0, node });
        }
        Ok(crate::member::Page { items: out, total, offset })
    }

    /// Organizations inside the scope whose name contains the words typed (diacritics and case
    /// ignored) or whose code is the text, existing today, in Vietnamese order.
    pub async fn search_orgs(&self, query: &str, limit: i64) -> Result<Vec<Org>> {
        let folded = fold(query.trim());
        if folded.is_empty() {
            return Ok(vec![]);
        }
        let mut vals: Vec<Value> = vec![query.trim().into()];
        let mut conds = Vec::new();
        for word in folded.split(' ') {
            vals.push(format!("%{}%", word.replace(['%', '_'], "")).into());
            conds.push(format!("o.name_folded LIKE ${}", vals.len()));
        }
        let scope_sql = self.scope_filter("o.path", vals.len() + 1);
        vals.extend(self.scope_values());
        let sql = format!(
            "SELECT {ORG_COLS} FROM org o WHERE o.dissolved_on IS NULL AND (o.code = $1 OR ({})){scope_sql} ORDER BY o.depth, o.sort_key LIMIT {}",
            conds.join(" AND "),
            limit.clamp(1, 200)
        );
        all(&self.store.db, &sql, vals).await?.iter().map(org_from_row).collect()
    }
}
