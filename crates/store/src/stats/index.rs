//! The fast path: facts stored per path and day (see [`chibo_domain::stats`]), summed over a
//! path range, with checkpoints.
//!
//! - `stat_fact` holds every fact with the ids of its path's ancestors at depth 1 and 2, so
//!   the facts of the nation (by day), of a province (`a1`, day), of a commune (`a2`, day) or
//!   of anything deeper (path, day) are one index range each.
//! - `stat_checkpoint` holds, for the ranges of the nodes at depth 0–2, the tally on a day
//!   after every [`STRIDE`] facts: a figure on day D is the last checkpoint on or before D plus
//!   the facts after it, so no query sums more than about `STRIDE` facts plus the activity
//!   since the last refresh, whatever the size of the subtree.
//! - Writes keep both in the transaction that rewrites a member's spans or an organization's
//!   spans: the facts of what changed are replaced, and the difference is added to the
//!   checkpoints it falls under. Checkpoints only ever speed things up: with none, the sum of
//!   all facts gives the same figure.

use super::Range;
use crate::db::Backend;
use crate::kernel::sql::{all, exec, get, placeholders};
use crate::{Result, Store, StoreError};
use chibo_domain::calendar::OPEN_END;
use chibo_domain::member::{Education, Gender, MemberSpan, MemberStatus, PoliticalTheory};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind};
use chibo_domain::stats::{Fact, MemberAttrs, PathSpan, Tally, committee_facts, is_cell, meeting_facts, member_facts, org_facts, small_cell_facts};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, TransactionSession, TransactionTrait, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Facts between two checkpoints of a range.
pub const STRIDE: i64 = 1000;

static STRIDE_NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(STRIDE);

/// Sets the facts between checkpoints (tests make it small so that checkpoints are many:
/// the figures must not change).
#[doc(hidden)]
pub fn set_stride(n: i64) {
    STRIDE_NOW.store(n.max(1), std::sync::atomic::Ordering::Relaxed);
}

fn stride() -> i64 {
    STRIDE_NOW.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether a database has organizations but no facts (made before the facts existed).
pub(crate) async fn facts_missing<C: ConnectionTrait>(db: &C) -> Result<bool> {
    let orgs = crate::kernel::sql::one(db, "SELECT id FROM org LIMIT 1", vec![]).await?.is_some();
    Ok(orgs && crate::kernel::sql::one(db, "SELECT id FROM stat_fact LIMIT 1", vec![]).await?.is_none())
}
/// Deepest level whose ranges get checkpoints (0 nation, 1 province, 2 commune).
const CHECKPOINT_DEPTH: usize = 2;

/// What a checkpoint refresh did.
#[derive(Debug, Clone, Default)]
pub struct CheckpointReport {
    /// Facts written (rebuild only).
    pub facts: u64,
    /// Checkpoints written.
    pub written: usize,
}

/// The ids on a path ("/1/23/456/" → [1, 23, 456]).
fn ids_of(path: &str) -> Vec<i64> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect()
}

/// The path prefixes of a path at the checkpointed depths.
fn prefixes(path: &str) -> Vec<String> {
    let ids = ids_of(path);
    (0..ids.len().min(CHECKPOINT_DEPTH + 1)).map(|d| ids[..=d].iter().map(|i| format!("/{i}")).collect::<String>() + "/").collect()
}

fn upper(lo: &str) -> String {
    let mut hi = lo.to_owned();
    hi.pop();
    hi.push('0');
    hi
}

/// A fact as stored: its keys and flow in text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Row {
    org: OrgId,
    path: String,
    day: NaiveDate,
    delta: i32,
    member: Option<i64>,
    subject: &'static str,
    keys: String,
    flow: Option<String>,
}

impl Row {
    fn of(f: &Fact) -> Row {
        let (keys, flow) = f.keys();
        let (subject, member) = match &f.subject {
            chibo_domain::stats::Subject::Member { member, .. } => ("m", Some(*member)),
            chibo_domain::stats::Subject::Org { .. } => ("o", None),
            chibo_domain::stats::Subject::SmallCell => ("s", None),
            chibo_domain::stats::Subject::Committee(_) => ("c", None),
            chibo_domain::stats::Subject::Meeting(_) => ("g", None),
        };
        Row { org: f.org, path: f.path.clone(), day: f.day, delta: f.delta, member, subject, keys, flow: flow.map(str::to_owned) }
    }

    fn from_db(r: &QueryResult) -> Result<Row> {
        let subject: String = get(r, "subject")?;
        Ok(Row {
            org: get(r, "org_id")?,
            path: get(r, "path")?,
            day: get(r, "day")?,
            delta: get::<i32>(r, "delta")?,
            member: get(r, "member_id")?,
            subject: match subject.as_str() {
                "m" => "m",
                "o" => "o",
                "c" => "c",
                "g" => "g",
                _ => "s",
            },
            keys: get(r, "keys")?,
            flow: get(r, "flow")?,
        })
    }

    fn values(&self) -> Vec<Value> {
        let ids = ids_of(&self.path);
        vec![
            self.org.into(),
            self.path.clone().into(),
            ids.get(1).copied().into(),
            ids.get(2).copied().into(),
            self.day.into(),
            self.delta.into(),
            self.member.into(),
            self.subject.into(),
            self.keys.clone().into(),
            self.flow.clone().into(),
        ]
    }

    /// Adds this row, `times` times (−1: taken away), to a tally.
    fn add_to(&self, t: &mut Tally, times: i64) {
        t.add_keys(&self.keys, i64::from(self.delta) * times, self.flow.as_deref(), times);
    }
}

const FACT_COLS: &str = "org_id, path, a1, a2, day, delta, member_id, subject, keys, flow";

/// Everything counted under the range on `as_of`: the last checkpoint plus the facts after it.
pub(super) async fn tally(store: &Store, r: &Range, as_of: NaiveDate) -> Result<Tally> {
    tally_in(&store.db, r, as_of).await
}

/// The condition selecting a range's facts through the index that fits its depth.
fn range_cond(r: &Range) -> (String, Vec<Value>) {
    let ids = ids_of(&r.lo);
    let mut vals: Vec<Value> = vec![r.lo.clone().into(), r.hi.clone().into()];
    let by_path = "path >= $1 AND path < $2".to_owned();
    match ids.len() {
        // The nation: by day only (the path test on an expression, so no engine walks the
        // path index over every fact instead).
        1 => ("(path || '') >= $1 AND (path || '') < $2".to_owned(), vals),
        2 | 3 => {
            vals.push(ids[ids.len() - 1].into());
            (format!("a{} = $3 AND {by_path}", ids.len() - 1), vals)
        }
        _ => (by_path, vals),
    }
}

/// The facts a set of members has now.
async fn member_rows<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let members = all(
        c,
        &format!(
            "SELECT id, gender, birth_date, admitted_on, official_on, ethnicity, religion, professional_education, political_theory FROM member WHERE id IN ({})",
            placeholders(1, ids.len())
        ),
        ids.iter().map(|&i| i.into()).collect(),
    )
    .await?;
    let spans = all(
        c,
        &format!(
            "SELECT member_id, valid_from, valid_until, org_id, status FROM member_span WHERE member_id IN ({}) ORDER BY member_id, valid_from",
            placeholders(1, ids.len())
        ),
        ids.iter().map(|&i| i.into()).collect(),
    )
    .await?;
    let mut by_member: HashMap<i64, Vec<MemberSpan>> = HashMap::new();
    for s in &spans {
        by_member.entry(get(s, "member_id")?).or_default().push(span_of(s)?);
    }
    let cells: BTreeSet<OrgId> = by_member.values().flatten().map(|s| s.cell).collect();
    let paths = path_spans(c, &cells.into_iter().collect::<Vec<_>>()).await?;
    for m in &members {
        let id: i64 = get(m, "id")?;
        let (attrs, admitted, official) = attrs_of(m)?;
        let spans = by_member.remove(&id).unwrap_or_default();
        let lookup = |cell: OrgId| paths.get(&cell).cloned().unwrap_or_default();
        out.extend(member_facts(id, &attrs, admitted, official, &spans, &lookup).iter().map(Row::of));
    }
    Ok(out)
}

fn bad(what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("stored value out of range: {what}")))
}

fn span_of(s: &QueryResult) -> Result<MemberSpan> {
    let status: String = get(s, "status")?;
    Ok(MemberSpan {
        from: get(s, "valid_from")?,
        until: get(s, "valid_until")?,
        cell: get(s, "org_id")?,
        status: MemberStatus::from_code(&status).ok_or_else(|| bad("status"))?,
    })
}

fn attrs_of(m: &QueryResult) -> Result<(MemberAttrs, Option<NaiveDate>, Option<NaiveDate>)> {
    let code = |c: &str| -> Result<String> { get(m, c) };
    let birth: NaiveDate = get(m, "birth_date")?;
    let admitted: Option<NaiveDate> = get(m, "admitted_on")?;
    let attrs = MemberAttrs {
        gender: Gender::from_code(&code("gender")?).ok_or_else(|| bad("gender"))?,
        birth_year: birth.year(),
        admit_year: admitted.map(|d| d.year()),
        ethnicity: code("ethnicity")?,
        religion: code("religion")?,
        education: Education::from_code(&code("professional_education")?).ok_or_else(|| bad("education"))?,
        theory: PoliticalTheory::from_code(&code("political_theory")?).ok_or_else(|| bad("theory"))?,
    };
    Ok((attrs, admitted, get(m, "official_on")?))
}

fn path_span_of(r: &QueryResult) -> Result<PathSpan> {
    let kind: String = get(r, "kind")?;
    let category: String = get(r, "category")?;
    Ok(PathSpan {
        from: get(r, "valid_from")?,
        until: get(r, "valid_until")?,
        path: get(r, "path")?,
        kind: OrgKind::from_code(&kind).ok_or_else(|| bad("kind"))?,
        category: OrgCategory::from_code(&category).ok_or_else(|| bad("category"))?,
    })
}

async fn path_spans<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<HashMap<OrgId, Vec<PathSpan>>> {
    let mut out: HashMap<OrgId, Vec<PathSpan>> = HashMap::new();
    for chunk in orgs.chunks(500) {
        let sql = format!(
            "SELECT org_id, valid_from, valid_until, path, kind, category FROM org_span WHERE org_id IN ({}) ORDER BY org_id, valid_from",
            placeholders(1, chunk.len())
        );
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            out.entry(get(&r, "org_id")?).or_default().push(path_span_of(&r)?);
        }
    }
    Ok(out)
}

/// The minimum of official members per cell, with the days it changed.
async fn minimum_changes<C: ConnectionTrait>(c: &C) -> Result<Vec<(NaiveDate, u32)>> {
    let rows = all(c, "SELECT body FROM rule_version ORDER BY effective_from", vec![]).await?;
    let mut out = Vec::new();
    for r in rows {
        let body: String = get(&r, "body")?;
        let set: chibo_domain::rules::RuleSet =
            serde_json::from_str(&body).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("stored rule set unreadable: {e}"))))?;
        out.push((set.effective_from, set.min_official_per_cell));
    }
    Ok(out)
}

/// The small-cell facts of cells, from their members' official facts.
async fn small_cell_rows<C: ConnectionTrait>(c: &C, cells: &[OrgId]) -> Result<Vec<Row>> {
    let minimum = minimum_changes(c).await?;
    let paths = path_spans(c, cells).await?;
    let mut out = Vec::new();
    for chunk in cells.chunks(500) {
        let sql = format!(
            "SELECT org_id, day, SUM(delta) AS n FROM stat_fact WHERE org_id IN ({}) AND subject = 'm' AND keys LIKE 'standing:official%' GROUP BY org_id, day",
            placeholders(1, chunk.len())
        );
        let mut official: HashMap<OrgId, Vec<(NaiveDate, i64)>> = HashMap::new();
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            official.entry(get(&r, "org_id")?).or_default().push((get(&r, "day")?, get(&r, "n")?));
        }
        for cell in chunk {
            let spans = paths.get(cell).map(Vec::as_slice).unwrap_or_default();
            if spans.iter().any(|s| is_cell(s.kind)) {
                let changes = official.remove(cell).unwrap_or_default();
                out.extend(small_cell_facts(*cell, spans, &changes, &minimum).iter().map(Row::of));
            }
        }
    }
    Ok(out)
}

async fn stored_rows<C: ConnectionTrait>(c: &C, col: &str, subject: &str, ids: &[i64]) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!("SELECT {FACT_COLS} FROM stat_fact WHERE subject = '{subject}' AND {col} IN ({})", placeholders(1, chunk.len()));
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            out.push(Row::from_db(&r)?);
        }
    }
    Ok(out)
}

async fn delete_rows<C: ConnectionTrait>(c: &C, col: &str, subject: &str, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let sql = format!("DELETE FROM stat_fact WHERE subject = '{subject}' AND {col} IN ({})", placeholders(1, chunk.len()));
        exec(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await?;
    }
    Ok(())
}

async fn insert_rows<C: ConnectionTrait>(c: &C, rows: &[Row]) -> Result<()> {
    let backend = c.get_database_backend();
    for chunk in rows.chunks(1000) {
        // SQLite binds numbered parameters by name, a search per value: plain "?" keeps a
        // 10,000-value statement linear.
        let group = match backend {
            DbBackend::Sqlite => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)".to_owned(),
            _ => String::new(),
        };
        let groups: Vec<String> =
            (0..chunk.len()).map(|i| if group.is_empty() { format!("({})", placeholders(i * 10 + 1, 10)) } else { group.clone() }).collect();
        let sql = format!("INSERT INTO stat_fact ({FACT_COLS}) VALUES {}", groups.join(", "));
        let values: Vec<Value> = chunk.iter().flat_map(Row::values).collect();
        c.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values)).await?;
    }
    Ok(())
}

/// The multiset difference new − old, as (row, +1 added / −1 removed).
fn diff(old: Vec<Row>, new: Vec<Row>) -> Vec<(Row, i64)> {
    let mut count: BTreeMap<Row, i64> = BTreeMap::new();
    for r in old {
        *count.entry(r).or_default() -= 1;
    }
    for r in new {
        *count.entry(r).or_default() += 1;
    }
    count.into_iter().filter(|(_, n)| *n != 0).collect()
}

/// Adds a difference to the checkpoints it falls under (those on or after each fact's day).
async fn apply_to_checkpoints<C: ConnectionTrait>(c: &C, changes: &[(Row, i64)]) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    if c.get_database_backend() == DbBackend::Postgres {
        // Serializes with checkpoint creation (SHARE ROW EXCLUSIVE there): either the new
        // checkpoint already counts this transaction's facts, or it is visible here and gets
        // the difference.
        exec(c, "LOCK TABLE stat_checkpoint IN ROW EXCLUSIVE MODE", vec![]).await?;
    }
    let mut by_lo: BTreeMap<String, Vec<&(Row, i64)>> = BTreeMap::new();
    for ch in changes {
        for p in prefixes(&ch.0.path) {
            by_lo.entry(p).or_default().push(ch);
        }
    }
    for (lo, mut list) in by_lo {
        // The checkpoints in the order of their days, each getting the changes up to its
        // day: one running sum, so a big import's half million changes are added once per
        // range, not once per checkpoint (a province has a thousand of them).
        list.sort_by_key(|c| c.0.day);
        let first = list.first().map_or(OPEN_END, |c| c.0.day);
        let rows = all(
            c,
            "SELECT valid_on, facts, tally FROM stat_checkpoint WHERE lo = $1 AND valid_on >= $2 ORDER BY valid_on",
            vec![lo.clone().into(), first.into()],
        )
        .await?;
        let (mut delta, mut delta_facts, mut next) = (Tally::default(), 0i64, list.iter().peekable());
        for r in rows {
            let on: NaiveDate = get(&r, "valid_on")?;
            while let Some((row, times)) = next.next_if(|c| c.0.day <= on).map(|c| (&c.0, c.1)) {
                row.add_to(&mut delta, times);
                delta_facts += times;
            }
            let body: String = get(&r, "tally")?;
            let mut t: Tally = serde_json::from_str(&body).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("checkpoint unreadable: {e}"))))?;
            t.merge(&delta, 1);
            let facts: i64 = get::<i64>(&r, "facts")? + delta_facts;
            let body = serde_json::to_string(&t).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
            exec(
                c,
                "UPDATE stat_checkpoint SET tally = $3, facts = $4 WHERE lo = $1 AND valid_on = $2",
                vec![lo.clone().into(), on.into(), body.into(), facts.into()],
            )
            .await?;
        }
    }
    Ok(())
}

/// Replaces the facts of members (after their spans or profile changed), and of the cells
/// short of official members they touch.
pub(crate) async fn refresh_members<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<()> {
    let mut changes = Vec::new();
    let mut cells = BTreeSet::new();
    for chunk in ids.chunks(500) {
        let old = stored_rows(c, "member_id", "m", chunk).await?;
        let new = member_rows(c, chunk).await?;
        cells.extend(old.iter().chain(&new).map(|r| r.org));
        delete_rows(c, "member_id", "m", chunk).await?;
        insert_rows(c, &new).await?;
        changes.extend(diff(old, new));
    }
    changes.extend(refresh_small_cells(c, &cells.into_iter().collect::<Vec<_>>()).await?);
    apply_to_checkpoints(c, &changes).await
}

async fn refresh_small_cells<C: ConnectionTrait>(c: &C, cells: &[OrgId]) -> Result<Vec<(Row, i64)>> {
    let mut changes = Vec::new();
    for chunk in cells.chunks(500) {
        let old = stored_rows(c, "org_id", "s", chunk).await?;
        let new = small_cell_rows(c, chunk).await?;
        delete_rows(c, "org_id", "s", chunk).await?;
        insert_rows(c, &new).await?;
        changes.extend(diff(old, new));
    }
    Ok(changes)
}

/// The committee facts of organizations (see [`committee_facts`]), given their path spans.
async fn committee_rows<C: ConnectionTrait>(c: &C, orgs: &[OrgId], paths: &HashMap<OrgId, Vec<PathSpan>>) -> Result<Vec<Row>> {
    let days = crate::committee::counted_days_of(c, orgs).await?;
    let none = chibo_domain::committee::CountedDays::default();
    Ok(orgs
        .iter()
        .flat_map(|o| committee_facts(*o, paths.get(o).map(Vec::as_slice).unwrap_or_default(), days.get(o).unwrap_or(&none)))
        .map(|f| Row::of(&f))
        .collect())
}

/// The meeting facts of organizations (see [`meeting_facts`]), given their path spans.
async fn meeting_rows<C: ConnectionTrait>(c: &C, orgs: &[OrgId], paths: &HashMap<OrgId, Vec<PathSpan>>) -> Result<Vec<Row>> {
    let book = crate::Store::rule_book_of(c).await?;
    let days = crate::meeting::counted_days_of(c, orgs, &book).await?;
    Ok(days.iter().flat_map(|(o, d)| meeting_facts(*o, paths.get(o).map(Vec::as_slice).unwrap_or_default(), d)).map(|f| Row::of(&f)).collect())
}

async fn meeting_changes<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<Vec<(Row, i64)>> {
    let mut changes = Vec::new();
    for chunk in orgs.chunks(500) {
        let old = stored_rows(c, "org_id", "g", chunk).await?;
        let new = meeting_rows(c, chunk, &path_spans(c, chunk).await?).await?;
        delete_rows(c, "org_id", "g", chunk).await?;
        insert_rows(c, &new).await?;
        changes.extend(diff(old, new));
    }
    Ok(changes)
}

/// Replaces the meeting facts of organizations (after a write to their meetings) and adds
/// the difference to the checkpoints.
pub(crate) async fn refresh_meetings<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<()> {
    if orgs.is_empty() {
        return Ok(());
    }
    let changes = meeting_changes(c, orgs).await?;
    apply_to_checkpoints(c, &changes).await
}

/// Whether a database has organizations that need committee facts (a term, or a residential
/// cell) but none of them (made before the committee facts): one organization that must have
/// one is looked up by its index.
pub(crate) async fn committee_facts_missing<C: ConnectionTrait>(db: &C) -> Result<bool> {
    use crate::kernel::sql::one;
    let probe = match one(db, "SELECT org_id FROM committee_term LIMIT 1", vec![]).await? {
        Some(r) => Some(r),
        None => {
            one(
                db,
                "SELECT org_id FROM org_span WHERE kind IN ($1, $2) AND category = $3 AND valid_from < valid_until LIMIT 1",
                vec![OrgKind::Cell.code().into(), OrgKind::GrassrootsCell.code().into(), OrgCategory::Residential.code().into()],
            )
            .await?
        }
    };
    let Some(probe) = probe else { return Ok(false) };
    let org: OrgId = get(&probe, "org_id")?;
    Ok(one(db, "SELECT id FROM stat_fact WHERE org_id = $1 AND subject = 'c' LIMIT 1", vec![org.into()]).await?.is_none())
}

/// Derives the committee facts of every organization, in a transaction (a database from
/// before them).
pub(crate) async fn rebuild_committees_on<C: TransactionTrait>(db: &C) -> Result<()> {
    let txn = crate::db::begin_write(db).await?;
    let orgs: Vec<OrgId> = all(&txn, "SELECT id FROM org ORDER BY id", vec![]).await?.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
    for chunk in orgs.chunks(5000) {
        let changes = committee_changes(&txn, chunk).await?;
        apply_to_checkpoints(&txn, &changes).await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn committee_changes<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<Vec<(Row, i64)>> {
    let mut changes = Vec::new();
    for chunk in orgs.chunks(500) {
        let old = stored_rows(c, "org_id", "c", chunk).await?;
        let new = committee_rows(c, chunk, &path_spans(c, chunk).await?).await?;
        delete_rows(c, "org_id", "c", chunk).await?;
        insert_rows(c, &new).await?;
        changes.extend(diff(old, new));
    }
    Ok(changes)
}

/// Replaces the committee facts of organizations (after a write to their terms, seats,
/// secretaries' posts or regulations) and adds the difference to the checkpoints.
pub(crate) async fn refresh_committees<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<()> {
    if orgs.is_empty() {
        return Ok(());
    }
    let changes = committee_changes(c, orgs).await?;
    apply_to_checkpoints(c, &changes).await
}

/// Replaces the facts of organizations whose spans were rebuilt, of the members who were ever
/// in them, of their short cells and of their committees.
pub(crate) async fn refresh_orgs<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<()> {
    let mut changes = Vec::new();
    let paths = path_spans(c, orgs).await?;
    for chunk in orgs.chunks(500) {
        let old = stored_rows(c, "org_id", "o", chunk).await?;
        let new: Vec<Row> = chunk.iter().flat_map(|o| org_facts(*o, paths.get(o).map(Vec::as_slice).unwrap_or_default())).map(|f| Row::of(&f)).collect();
        delete_rows(c, "org_id", "o", chunk).await?;
        insert_rows(c, &new).await?;
        changes.extend(diff(old, new));
    }
    changes.extend(committee_changes(c, orgs).await?);
    changes.extend(meeting_changes(c, orgs).await?);
    apply_to_checkpoints(c, &changes).await?;
    let mut members = BTreeSet::new();
    for chunk in orgs.chunks(500) {
        let sql = format!("SELECT DISTINCT member_id FROM member_span WHERE org_id IN ({})", placeholders(1, chunk.len()));
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            members.insert(get::<i64>(&r, "member_id")?);
        }
    }
    let members: Vec<i64> = members.into_iter().collect();
    // A reorganization that touches most members (a province's whole tree) is faster derived
    // again from scratch than replaced member by member.
    let total: i64 = get(&crate::kernel::sql::one(c, "SELECT COUNT(*) AS n FROM member", vec![]).await?.ok_or(StoreError::NotFound)?, "n")?;
    if members.len() > 20_000 && (members.len() as i64) * 4 > total {
        rebuild_in(c, &mut |_, _| {}).await?;
        return Ok(());
    }
    refresh_members(c, &members).await?;
    // Cells without members still change when they move or close.
    let changes = refresh_small_cells(c, orgs).await?;
    apply_to_checkpoints(c, &changes).await
}

impl Store {
    /// Recomputes every fact and checkpoint from the spans (after a bulk load, or to repair):
    /// one transaction, so readers see the old figures until it commits.
    pub async fn rebuild_stats(&self, progress: &mut (dyn FnMut(&str, u64) + Send)) -> Result<CheckpointReport> {
        rebuild_on(&self.db, progress).await
    }

    /// Adds a checkpoint today to every range of depth 0–2 of today's tree that gathered
    /// [`STRIDE`] facts since its last one (run at start-up and now and then; figures are
    /// right without it, only slower).
    pub async fn refresh_checkpoints(&self, today: NaiveDate) -> Result<CheckpointReport> {
        let txn = crate::db::begin_write(&self.db).await?;
        match self.backend() {
            Backend::Postgres => {
                exec(&txn, "LOCK TABLE stat_checkpoint IN SHARE ROW EXCLUSIVE MODE", vec![]).await?;
            }
            Backend::Sqlite => {
                // Take the write lock first, so no write slips between reading and writing.
                exec(&txn, "DELETE FROM stat_checkpoint WHERE 1 = 0", vec![]).await?;
            }
        }
        let mut report = CheckpointReport::default();
        // Stored depths count the root as 1.
        let nodes = all(&txn, "SELECT path FROM org WHERE depth <= $1 AND dissolved_on IS NULL", vec![(CHECKPOINT_DEPTH as i32 + 1).into()]).await?;
        for n in nodes {
            let lo: String = get(&n, "path")?;
            let r = Range { hi: upper(&lo), lo };
            let last = crate::kernel::sql::one(
                &txn,
                "SELECT valid_on, facts FROM stat_checkpoint WHERE lo = $1 ORDER BY valid_on DESC LIMIT 1",
                vec![r.lo.clone().into()],
            )
            .await?;
            let (after, before) = match &last {
                Some(row) => (Some(get::<NaiveDate>(row, "valid_on")?), get::<i64>(row, "facts")?),
                None => (None, 0),
            };
            if after.is_some_and(|a| a >= today) {
                continue;
            }
            let (cond, mut vals) = range_cond(&r);
            vals.push(today.into());
            let mut sql = format!("SELECT COUNT(*) AS n FROM stat_fact WHERE {cond} AND day <= ${}", vals.len());
            if let Some(a) = after {
                vals.push(a.into());
                sql.push_str(&format!(" AND day > ${}", vals.len()));
            }
            let since: i64 = get(&crate::kernel::sql::one(&txn, &sql, vals).await?.ok_or(StoreError::NotFound)?, "n")?;
            if since < stride() {
                continue;
            }
            let t = tally_in(&txn, &r, today).await?;
            insert_checkpoint(&txn, &r.lo, today, before + since, &t).await?;
            report.written += 1;
        }
        txn.commit().await?;
        Ok(report)
    }
}

/// [`Store::rebuild_stats`] on a pool (the bulk loader calls it after committing).
pub(crate) async fn rebuild_on<C: TransactionTrait>(db: &C, progress: &mut (dyn FnMut(&str, u64) + Send)) -> Result<CheckpointReport> {
    let txn = crate::db::begin_write(db).await?;
    let report = rebuild_in(&txn, progress).await?;
    txn.commit().await?;
    Ok(report)
}

/// Recomputes every fact and checkpoint inside the caller's transaction.
async fn rebuild_in<C: ConnectionTrait>(txn: &C, progress: &mut (dyn FnMut(&str, u64) + Send)) -> Result<CheckpointReport> {
    exec(txn, "DELETE FROM stat_checkpoint", vec![]).await?;
    exec(txn, "DELETE FROM stat_fact", vec![]).await?;
    // Loading without the indexes and building them once is much faster at national scale.
    for def in super::FACT_INDEXES {
        let name = def.split_whitespace().nth(2).unwrap_or_default();
        exec(txn, &format!("DROP INDEX IF EXISTS {name}"), vec![]).await?;
    }
    let mut report = CheckpointReport::default();
    // Organizations.
    let mut all_paths: HashMap<OrgId, Vec<PathSpan>> = HashMap::new();
    for r in all(txn, "SELECT org_id, valid_from, valid_until, path, kind, category FROM org_span ORDER BY org_id, valid_from", vec![]).await? {
        all_paths.entry(get(&r, "org_id")?).or_default().push(path_span_of(&r)?);
    }
    let mut rows: Vec<Row> = Vec::new();
    for (org, spans) in &all_paths {
        rows.extend(org_facts(*org, spans).iter().map(Row::of));
    }
    report.facts += rows.len() as u64;
    insert_rows(txn, &rows).await?;
    progress("org", report.facts);
    // Committees (their figures depend on their terms and paths only).
    let orgs: Vec<OrgId> = all_paths.keys().copied().collect();
    for chunk in orgs.chunks(5000) {
        let rows = committee_rows(txn, chunk, &all_paths).await?;
        report.facts += rows.len() as u64;
        insert_rows(txn, &rows).await?;
    }
    progress("committee", report.facts);
    // Meetings (their figures depend on their records and paths only), for the
    // organizations that have any.
    let with_meetings: Vec<OrgId> = all(txn, "SELECT DISTINCT org_id FROM meeting", vec![]).await?.iter().map(|r| get(r, "org_id")).collect::<Result<_>>()?;
    for chunk in with_meetings.chunks(2000) {
        let rows = meeting_rows(txn, chunk, &all_paths).await?;
        report.facts += rows.len() as u64;
        insert_rows(txn, &rows).await?;
    }
    progress("meeting", report.facts);
    // Members, a batch of ids at a time.
    let mut last = 0i64;
    loop {
        let members = all(
            txn,
            "SELECT id, gender, birth_date, admitted_on, official_on, ethnicity, religion, professional_education, political_theory FROM member WHERE id > $1 ORDER BY id LIMIT 5000",
            vec![last.into()],
        )
        .await?;
        let Some(end) = members.last().map(|m| get::<i64>(m, "id")).transpose()? else { break };
        let spans = all(
            txn,
            "SELECT member_id, valid_from, valid_until, org_id, status FROM member_span WHERE member_id > $1 AND member_id <= $2 ORDER BY member_id, valid_from",
            vec![last.into(), end.into()],
        )
        .await?;
        let mut by_member: HashMap<i64, Vec<MemberSpan>> = HashMap::new();
        for s in &spans {
            by_member.entry(get(s, "member_id")?).or_default().push(span_of(s)?);
        }
        let mut rows = Vec::new();
        for m in &members {
            let id: i64 = get(m, "id")?;
            let (attrs, admitted, official) = attrs_of(m)?;
            let spans = by_member.remove(&id).unwrap_or_default();
            let lookup = |cell: OrgId| all_paths.get(&cell).cloned().unwrap_or_default();
            rows.extend(member_facts(id, &attrs, admitted, official, &spans, &lookup).iter().map(Row::of));
        }
        report.facts += rows.len() as u64;
        insert_rows(txn, &rows).await?;
        progress("member", report.facts);
        last = end;
    }
    // The indexes again (the short cells read the facts by organization).
    for def in super::FACT_INDEXES {
        exec(txn, def, vec![]).await?;
    }
    progress("index", report.facts);
    // Cells short of official members.
    let cells: Vec<OrgId> = all_paths.iter().filter(|(_, s)| s.iter().any(|p| is_cell(p.kind))).map(|(o, _)| *o).collect();
    for chunk in cells.chunks(5000) {
        let rows = small_cell_rows(txn, chunk).await?;
        report.facts += rows.len() as u64;
        insert_rows(txn, &rows).await?;
    }
    progress("cell", report.facts);
    report.written = build_checkpoints(txn).await?;
    progress("checkpoint", report.facts);
    Ok(report)
}

/// [`tally`] on a connection or inside a transaction (checkpoint creation).
async fn tally_in<C: ConnectionTrait>(c: &C, r: &Range, as_of: NaiveDate) -> Result<Tally> {
    let cp = crate::kernel::sql::one(
        c,
        "SELECT valid_on, tally FROM stat_checkpoint WHERE lo = $1 AND valid_on <= $2 ORDER BY valid_on DESC LIMIT 1",
        vec![r.lo.clone().into(), as_of.into()],
    )
    .await?;
    let (mut t, after) = match cp {
        Some(row) => {
            let body: String = get(&row, "tally")?;
            (
                serde_json::from_str::<Tally>(&body).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?,
                Some(get::<NaiveDate>(&row, "valid_on")?),
            )
        }
        None => (Tally::default(), None),
    };
    let (cond, mut vals) = range_cond(r);
    vals.push(as_of.into());
    let mut sql = format!("SELECT keys, flow, SUM(delta) AS n, COUNT(*) AS c FROM stat_fact WHERE {cond} AND day <= ${}", vals.len());
    if let Some(a) = after {
        vals.push(a.into());
        sql.push_str(&format!(" AND day > ${}", vals.len()));
    }
    sql.push_str(" GROUP BY keys, flow");
    for row in all(c, &sql, vals).await? {
        let keys: String = get(&row, "keys")?;
        let flow: Option<String> = get(&row, "flow")?;
        t.add_keys(&keys, get(&row, "n")?, flow.as_deref(), get(&row, "c")?);
    }
    Ok(t)
}

async fn insert_checkpoint<C: ConnectionTrait>(c: &C, lo: &str, on: NaiveDate, facts: i64, t: &Tally) -> Result<()> {
    let body = serde_json::to_string(t).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    exec(
        c,
        "INSERT INTO stat_checkpoint (lo, valid_on, facts, tally) VALUES ($1, $2, $3, $4)",
        vec![lo.to_owned().into(), on.into(), facts.into(), body.into()],
    )
    .await?;
    Ok(())
}

/// One pass over all facts in day order: a checkpoint for a range each time it gathered
/// [`STRIDE`] facts, at the end of a day.
async fn build_checkpoints<C: ConnectionTrait>(c: &C) -> Result<usize> {
    struct Acc {
        tally: Tally,
        total: i64,
        since: i64,
    }
    let mut acc: HashMap<String, Acc> = HashMap::new();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut written = 0;
    let mut current: Option<NaiveDate> = None;
    let mut last_id = 0i64;
    let mut last_day = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
    loop {
        let rows = all(
            c,
            "SELECT id, path, day, delta, keys, flow FROM stat_fact WHERE (day, id) > ($1, $2) ORDER BY day, id LIMIT 20000",
            vec![last_day.into(), last_id.into()],
        )
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let day: NaiveDate = get(r, "day")?;
            if current.is_some_and(|d| d != day) {
                written += flush_day(c, &mut acc, &mut touched, current.unwrap_or(day)).await?;
            }
            current = Some(day);
            let path: String = get(r, "path")?;
            let keys: String = get(r, "keys")?;
            let flow: Option<String> = get(r, "flow")?;
            let delta: i32 = get(r, "delta")?;
            for p in prefixes(&path) {
                let a = acc.entry(p.clone()).or_insert_with(|| Acc { tally: Tally::default(), total: 0, since: 0 });
                a.tally.add_keys(&keys, i64::from(delta), flow.as_deref(), 1);
                a.total += 1;
                a.since += 1;
                if a.since >= stride() {
                    touched.insert(p);
                }
            }
            last_id = get(r, "id")?;
            last_day = day;
        }
    }
    async fn flush_day<C: ConnectionTrait>(c: &C, acc: &mut HashMap<String, Acc>, touched: &mut BTreeSet<String>, day: NaiveDate) -> Result<usize> {
        let mut n = 0;
        for p in std::mem::take(touched) {
            if let Some(a) = acc.get_mut(&p) {
                insert_checkpoint(c, &p, day, a.total, &a.tally).await?;
                a.since = 0;
                n += 1;
            }
        }
        Ok(n)
    }
    Ok(written)
}
