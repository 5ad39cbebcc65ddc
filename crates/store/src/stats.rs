//! Figures of one node of the tree on a date: the rollup every level reports upward.

use crate::db::{get, one, placeholders};
use crate::org::valid_at;
use crate::{Result, Scoped, StoreError};
use chibo_domain::member::MemberStatus;
use chibo_domain::org::{OrgId, OrgKind};
use chrono::NaiveDate;
use sea_orm::Value;
use serde::Serialize;

/// The rollup of an organization's subtree on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgStats {
    /// Official code.
    pub code: String,
    /// Name on that date.
    pub name: String,
    /// Level on that date.
    pub kind: OrgKind,
    /// The date.
    pub as_of: NaiveDate,
    /// Party members (probationary + official, incl. exempt and suspended).
    pub members: i64,
    /// Official members.
    pub official: i64,
    /// Probationary members.
    pub probationary: i64,
    /// Women among the members.
    pub women: i64,
    /// Members in transit from a cell of the subtree (letter issued, not yet accepted):
    /// counted in no cell's members, so each member is in exactly one count.
    pub in_transit: i64,
    /// Đơn vị trực thuộc: direct sub-organizations.
    pub direct_children: i64,
    /// Tổ chức cơ sở đảng in the subtree (đảng bộ cơ sở + chi bộ cơ sở, the node included).
    pub grassroots_orgs: i64,
    /// Chi bộ trực thuộc đảng bộ cơ sở in the subtree.
    pub cells_under_grassroots: i64,
}

impl Scoped<'_> {
    /// Computes the rollup of `org` on `as_of` from the spans (the tree and the members as
    /// they stood that day). A member is probationary on a day when their span says so (or,
    /// exempt or suspended, when they had not yet been recognized); everyone else is official,
    /// including members registered from paper records whose recognition date is unknown.
    pub async fn org_stats(&self, org: OrgId, as_of: NaiveDate) -> Result<OrgStats> {
        let node = self.node_at(org, as_of).await?.ok_or(StoreError::NotFound)?;
        let code = self.org(org).await?.code;
        let (lo, hi) = node.path.subtree_range();
        let db = &self.store.db;
        let member_codes = MemberStatus::MEMBER_CODES;
        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN ms.status = 'in_transit' THEN 0 ELSE 1 END), 0) AS members, \
               COALESCE(SUM(CASE WHEN ms.status = 'in_transit' THEN 1 ELSE 0 END), 0) AS in_transit, \
               COALESCE(SUM(CASE WHEN ms.status = 'in_transit' OR ms.status = 'probationary' OR (ms.status IN ('exempt', 'suspended') AND (m.official_on IS NULL OR m.official_on > $3) AND m.admitted_on IS NOT NULL) THEN 0 ELSE 1 END), 0) AS official, \
               COALESCE(SUM(CASE WHEN m.gender = $4 AND ms.status <> 'in_transit' THEN 1 ELSE 0 END), 0) AS women \
             FROM org_span os \
             JOIN member_span ms ON ms.org_id = os.org_id AND {} \
             JOIN member m ON m.id = ms.member_id \
             WHERE os.path >= $1 AND os.path < $2 AND {} AND ms.status IN ({})",
            valid_at("ms", 3),
            valid_at("os", 3),
            placeholders(5, member_codes.len() + 1)
        );
        let mut vals: Vec<Value> = vec![lo.clone().into(), hi.clone().into(), as_of.into(), "nu".into()];
        vals.extend(member_codes.iter().chain(&[MemberStatus::InTransit.code()]).map(|c| Value::from(*c)));
        let r = one(db, &sql, vals).await?.ok_or(StoreError::NotFound)?;
        let members: i64 = get(&r, "members")?;
        let official: i64 = get(&r, "official")?;
        let women: i64 = get(&r, "women")?;
        let in_transit: i64 = get(&r, "in_transit")?;

        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN s.kind IN ($4, $5) THEN 1 ELSE 0 END), 0) AS grassroots, \
               COALESCE(SUM(CASE WHEN s.kind = $6 THEN 1 ELSE 0 END), 0) AS cells, \
               COALESCE(SUM(CASE WHEN s.parent_id = $7 THEN 1 ELSE 0 END), 0) AS children \
             FROM org_span s WHERE s.path >= $1 AND s.path < $2 AND {}",
            valid_at("s", 3)
        );
        let vals: Vec<Value> = vec![
            lo.into(),
            hi.into(),
            as_of.into(),
            OrgKind::GrassrootsCommittee.code().into(),
            OrgKind::GrassrootsCell.code().into(),
            OrgKind::Cell.code().into(),
            org.into(),
        ];
        let r = one(db, &sql, vals).await?.ok_or(StoreError::NotFound)?;
        Ok(OrgStats {
            code,
            name: node.name,
            kind: node.kind,
            as_of,
            members,
            official,
            probationary: members - official,
            women,
            in_transit,
            direct_children: get(&r, "children")?,
            grassroots_orgs: get(&r, "grassroots")?,
            cells_under_grassroots: get(&r, "cells")?,
        })
    }
}
