//! Figures of one node of the tree on a date: the rollup every level reports upward, and the
//! dashboard with its breakdowns.
//!
//! Two ways to the same numbers: [`Scoped::dashboard`] sums the stored facts (see
//! [`chibo_domain::stats`] and `index`), fast at national scale; [`Scoped::dashboard_recount`]
//! counts again from the spans with plain SQL, slow but independent, the reference the tests
//! and the benchmark compare against.

mod index;
mod recount;

pub(crate) use recount::{COUNTED, EXITS, probationary_on, year_of};

pub use index::{CheckpointReport, STRIDE, set_stride};
pub(crate) use index::{
    committee_facts_missing, facts_missing, rebuild_committees_on, rebuild_on, refresh_committees, refresh_meetings, refresh_members, refresh_orgs,
};

/// The indexes of the facts: by day (the nation), by province and day, by commune and day,
/// by path and day (deeper), by member and by organization (rewrites). The rebuild drops and
/// makes them again from this list; m0008 keeps its own frozen copy, and a test checks that a
/// migrated database has exactly these (a change here needs a migration).
pub const FACT_INDEXES: [&str; 6] = [
    "CREATE INDEX ix_stat_fact_day ON stat_fact (day, id)",
    "CREATE INDEX ix_stat_fact_a1 ON stat_fact (a1, day)",
    "CREATE INDEX ix_stat_fact_a2 ON stat_fact (a2, day)",
    "CREATE INDEX ix_stat_fact_path ON stat_fact (path, day)",
    "CREATE INDEX ix_stat_fact_member ON stat_fact (member_id)",
    "CREATE INDEX ix_stat_fact_org ON stat_fact (org_id, subject)",
];

use crate::kernel::sql::{get, one};
use crate::{Result, Scoped, StoreError};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind};
use chibo_domain::stats::Tally;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use chibo_domain::stats::{Dashboard, Flows, OrgStats};

/// The path range of a subtree on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Range {
    pub lo: String,
    pub hi: String,
}

impl Scoped<'_> {
    /// Computes the rollup of `org` on `as_of` (the tree and the members as they stood that
    /// day).
    pub async fn org_stats(&self, org: OrgId, as_of: NaiveDate) -> Result<OrgStats> {
        Ok(self.dashboard(org, as_of).await?.rollup())
    }

    /// The dashboard of `org`'s subtree on `as_of`, from the stored facts.
    pub async fn dashboard(&self, org: OrgId, as_of: NaiveDate) -> Result<Dashboard> {
        self.build_dashboard(org, as_of, false).await
    }

    /// The same dashboard counted again from the spans with plain SQL: slow at scale, the
    /// reference for tests and the benchmark's baseline.
    pub async fn dashboard_recount(&self, org: OrgId, as_of: NaiveDate) -> Result<Dashboard> {
        self.build_dashboard(org, as_of, true).await
    }

    async fn build_dashboard(&self, org: OrgId, as_of: NaiveDate, recount: bool) -> Result<Dashboard> {
        let node = self.node_at(org, as_of).await?.ok_or(StoreError::NotFound)?;
        let code = self.org(org).await?.code;
        let (lo, hi) = node.path.subtree_range();
        let range = Range { lo, hi };
        let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).ok_or(StoreError::NotFound)?;
        let (tally, admitted, exited) = if recount {
            let t = recount::tally(&self.store.db, self.store, &range, as_of).await?;
            let (a, e) = recount::flows(&self.store.db, &range, year_start, as_of).await?;
            (t, a, e)
        } else {
            let t = index::tally(self.store, &range, as_of).await?;
            let before = match year_start.pred_opt() {
                Some(d) => index::tally(self.store, &range, d).await?,
                None => Tally::default(),
            };
            let flow = |k: &str| t.get(k) - before.get(k);
            let (a, e) = (flow("flow:admission"), flow("flow:exit"));
            (t, a, e)
        };
        let (transferred_in, transferred_out) = transfers(self, &range, year_start, as_of).await?;
        let direct_children = direct_children(self, org, as_of).await?;
        let rules = self.store.rule_book().await?;
        let committees = chibo_domain::stats::CommitteeCounts::of(&tally);
        Ok(Dashboard {
            org,
            code,
            name: node.name,
            kind: node.kind,
            category: node.category,
            as_of,
            tally,
            flows: Flows { from: year_start, admitted, exited, transferred_in, transferred_out },
            direct_children,
            min_official_per_cell: rules.at(as_of).min_official_per_cell,
            committees,
        })
    }
}

async fn direct_children(s: &Scoped<'_>, org: OrgId, as_of: NaiveDate) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) AS n FROM org_span s WHERE s.parent_id = $1 AND {}", crate::kernel::sql::valid_at("s", 2));
    let r = one(&s.store.db, &sql, vec![org.into(), as_of.into()]).await?.ok_or(StoreError::NotFound)?;
    get(&r, "n")
}

/// Members who crossed the subtree's boundary by a transfer in a period. In: a permanent
/// transfer accepted into a cell of the subtree from outside it, or an arrival from outside
/// the instance. Out: a permanent letter (not refused) or a transfer out of the instance,
/// issued from a cell of the subtree to outside it. A member counts once however many letters
/// they had, as in the list behind the figure. Transfers are few; this is one query.
async fn transfers(s: &Scoped<'_>, r: &Range, from: NaiveDate, to: NaiveDate) -> Result<(i64, i64)> {
    let sql = format!(
        "SELECT COUNT(DISTINCT CASE WHEN {} THEN t.member_id END) AS came, COUNT(DISTINCT CASE WHEN {} THEN t.member_id END) AS went \
         FROM transfer t WHERE (t.letter_on >= $3 AND t.letter_on <= $4) OR (t.answered_on >= $3 AND t.answered_on <= $4)",
        transfer_condition(true, "$1", "$2", "$3", "$4"),
        transfer_condition(false, "$1", "$2", "$3", "$4"),
    );
    let row = one(&s.store.db, &sql, vec![r.lo.clone().into(), r.hi.clone().into(), from.into(), to.into()]).await?.ok_or(StoreError::NotFound)?;
    Ok((get(&row, "came")?, get(&row, "went")?))
}

/// The cell a transfer `t` puts inside the subtree and the day it counts on: where an
/// accepted letter or an arrival placed the member (in), or the cell that issued the letter
/// (out).
pub(crate) fn transfer_cell_day(came: bool) -> (&'static str, &'static str) {
    if came { ("COALESCE(t.answered_cell, t.to_org)", "COALESCE(t.answered_on, t.letter_on)") } else { ("t.from_org", "t.letter_on") }
}

/// The condition on a transfer `t` for it to cross the boundary of the subtree of paths
/// [`lo`, `hi`) in the period [`from`, `to`] (placeholders), into it (`came`) or out of it.
/// Shared by the figure and the member list behind it.
pub(crate) fn transfer_condition(came: bool, lo: &str, hi: &str, from: &str, to: &str) -> String {
    let inside = |col: &str, day: &str| {
        format!(
            "EXISTS (SELECT 1 FROM org_span i WHERE i.org_id = {col} AND i.valid_from <= {day} AND i.valid_until > {day} AND i.path >= {lo} AND i.path < {hi})"
        )
    };
    let (cell, day) = transfer_cell_day(came);
    if came {
        format!(
            "(t.kind IN ('permanent', 'in') AND t.state IN ('accepted', 'done') AND {day} >= {from} AND {day} <= {to} AND {} AND NOT {})",
            inside(cell, day),
            inside("t.from_org", day)
        )
    } else {
        format!(
            "(t.kind IN ('permanent', 'out') AND t.state <> 'rejected' AND {day} >= {from} AND {day} <= {to} AND {} AND (t.to_org IS NULL OR NOT {}))",
            inside(cell, day),
            inside("t.to_org", day)
        )
    }
}

/// Which organizations a list behind an organization figure shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrgFilter {
    /// Only this level (the node itself excluded, as in [`Dashboard::orgs_by_kind`], unless
    /// `with_node`).
    pub kind: Option<OrgKind>,
    /// Only this category (the node itself excluded).
    pub category: Option<OrgCategory>,
    /// Only cells with fewer official members than the minimum (the node included).
    pub small_cells: bool,
    /// Only the node's direct sub-organizations that day.
    pub direct: bool,
    /// Only grassroots organizations (đảng bộ cơ sở, chi bộ cơ sở; the node included).
    pub grassroots: bool,
    /// The node itself counted with a level or a category, as in the rollup's
    /// "chi bộ trực thuộc đảng bộ cơ sở" (by default a level or a category leaves it out).
    pub with_node: bool,
    /// Only the organizations a committee figure counts (the node included).
    pub committee: Option<crate::committee::CommitteeList>,
    /// Only the cells a meeting figure counts (the node included).
    pub meeting: Option<chibo_domain::meeting::MeetingFigure>,
}

/// An organization in a list behind a figure, with its official members that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedOrg {
    /// The node as it stood that day.
    pub id: OrgId,
    /// Official code.
    pub code: String,
    /// Name that day.
    pub name: String,
    /// Level that day.
    pub kind: OrgKind,
    /// Category that day.
    pub category: OrgCategory,
    /// Official members that day (cells; 0 for others).
    pub official: i64,
}

impl Scoped<'_> {
    /// The organizations behind an organization figure of the dashboard of `org` on `as_of`,
    /// in code order, paged.
    pub async fn counted_orgs(&self, org: OrgId, as_of: NaiveDate, f: OrgFilter, offset: i64, limit: i64) -> Result<crate::member::Page<CountedOrg>> {
        let (conds, vals) = self.counted_orgs_where(org, as_of, f).await?;
        let db = &self.store.db;
        let total: i64 = get(&one(db, &format!("SELECT COUNT(*) AS n FROM org_span s WHERE {conds}"), vals.clone()).await?.ok_or(StoreError::NotFound)?, "n")?;
        let (offset, limit) = (offset.max(0), limit.clamp(1, 500));
        let items = counted_org_rows(db, &conds, vals, &format!("LIMIT {limit} OFFSET {offset}")).await?;
        Ok(crate::member::Page { items, total, offset })
    }

    /// Like [`Scoped::counted_orgs`], but the page after an organization's code and id (the
    /// last row of the previous page): as fast on the last page of the nation's cells as on
    /// the first (exports).
    pub async fn counted_orgs_after(&self, org: OrgId, as_of: NaiveDate, f: OrgFilter, after: Option<(&str, OrgId)>, limit: i64) -> Result<Vec<CountedOrg>> {
        let (mut conds, mut vals) = self.counted_orgs_where(org, as_of, f).await?;
        if let Some((code, id)) = after {
            vals.push(code.into());
            vals.push(id.into());
            let (k, i) = (vals.len() - 1, vals.len());
            conds.push_str(&format!(" AND (o.code > ${k} OR (o.code = ${k} AND s.org_id > ${i}))"));
        }
        counted_org_rows(&self.store.db, &conds, vals, &format!("LIMIT {}", limit.clamp(1, 500))).await
    }

    /// The WHERE of the organizations behind a figure (`s` the node spans that day, `o` the
    /// organizations) and its values.
    async fn counted_orgs_where(&self, org: OrgId, as_of: NaiveDate, f: OrgFilter) -> Result<(String, Vec<sea_orm::Value>)> {
        use crate::kernel::sql::valid_at;
        let node = self.node_at(org, as_of).await?.ok_or(StoreError::NotFound)?;
        let (lo, hi) = node.path.subtree_range();
        let mut vals: Vec<sea_orm::Value> = vec![lo.into(), hi.into(), as_of.into()];
        let mut conds = format!("s.path >= $1 AND s.path < $2 AND {}", valid_at("s", 3));
        if (f.kind.is_some() || f.category.is_some()) && !f.with_node {
            vals.push(org.into());
            conds.push_str(&format!(" AND s.org_id <> ${}", vals.len()));
        }
        if f.direct {
            vals.push(org.into());
            conds.push_str(&format!(" AND s.parent_id = ${}", vals.len()));
        }
        if let Some(k) = f.kind {
            vals.push(k.code().into());
            conds.push_str(&format!(" AND s.kind = ${}", vals.len()));
        }
        if let Some(c) = f.category {
            vals.push(c.code().into());
            conds.push_str(&format!(" AND s.category = ${}", vals.len()));
        }
        if f.grassroots {
            vals.extend([OrgKind::GrassrootsCommittee.code().into(), OrgKind::GrassrootsCell.code().into()]);
            let n = vals.len();
            conds.push_str(&format!(" AND s.kind IN (${}, ${n})", n - 1));
        }
        if let Some(l) = f.committee {
            conds.push_str(&format!(" AND {}", crate::committee::condition(l, "$3")));
        }
        if let Some(m) = f.meeting {
            conds.push_str(&format!(" AND {}", crate::meeting::condition(m, "$3", as_of)));
        }
        if f.small_cells {
            let minimum = self.store.rule_book().await?.at(as_of).min_official_per_cell;
            vals.extend([OrgKind::Cell.code().into(), OrgKind::GrassrootsCell.code().into(), i64::from(minimum).into()]);
            let n = vals.len();
            conds.push_str(&format!(" AND s.kind IN (${}, ${}) AND {} < ${n}", n - 2, n - 1, official_that_day()));
        }
        Ok((conds, vals))
    }
    /// Members of the subtree on each date (a trend), from the fast path.
    pub async fn member_trend(&self, org: OrgId, dates: &[NaiveDate]) -> Result<Vec<(NaiveDate, Option<i64>)>> {
        let mut out = Vec::with_capacity(dates.len());
        for d in dates {
            match self.node_at(org, *d).await? {
                None => out.push((*d, None)),
                Some(node) => {
                    let (lo, hi) = node.path.subtree_range();
                    let t = index::tally(self.store, &Range { lo, hi }, *d).await?;
                    out.push((*d, Some(t.get("standing:official") + t.get("standing:probationary"))));
                }
            }
        }
        Ok(out)
    }
}

/// A cell's official members on the day in `$3` (`s` its span that day).
fn official_that_day() -> String {
    format!(
        "(SELECT COUNT(*) FROM member_span ms JOIN member m ON m.id = ms.member_id WHERE ms.org_id = s.org_id AND {} \
          AND ms.status IN ('official', 'exempt', 'suspended') AND NOT {})",
        crate::kernel::sql::valid_at("ms", 3),
        recount::probationary_on("ms.status", 3)
    )
}

/// The rows of an organization list in code order, with their official members that day.
async fn counted_org_rows(db: &sea_orm::DatabaseConnection, conds: &str, vals: Vec<sea_orm::Value>, page: &str) -> Result<Vec<CountedOrg>> {
    let sql = format!(
        "SELECT s.org_id, o.code, s.name, s.kind, s.category, CASE WHEN s.kind IN ('{cell}', '{gcell}') THEN {official} ELSE 0 END AS official \
         FROM org_span s JOIN org o ON o.id = s.org_id WHERE {conds} ORDER BY o.code, s.org_id {page}",
        cell = OrgKind::Cell.code(),
        gcell = OrgKind::GrassrootsCell.code(),
        official = official_that_day(),
    );
    let bad = |w: &str| StoreError::Db(sea_orm::DbErr::Custom(format!("stored value out of range: {w}")));
    crate::kernel::sql::all(db, &sql, vals)
        .await?
        .iter()
        .map(|r| {
            Ok(CountedOrg {
                id: get(r, "org_id")?,
                code: get(r, "code")?,
                name: get(r, "name")?,
                kind: OrgKind::from_code(&get::<String>(r, "kind")?).ok_or_else(|| bad("kind"))?,
                category: OrgCategory::from_code(&get::<String>(r, "category")?).ok_or_else(|| bad("category"))?,
                official: get(r, "official")?,
            })
        })
        .collect()
}
