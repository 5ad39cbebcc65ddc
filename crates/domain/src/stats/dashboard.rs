//! The dashboard of one node of the tree on a date: what the store sums from the facts (the
//! tally, the year's flows, a few counts beside them), with the readings every figure is made
//! of. [`super::figures`] turns it into the sections every renderer shows.

use super::{Standing, Tally};
use crate::member::Gender;
use crate::org::{OrgCategory, OrgId, OrgKind};
use chrono::{Datelike, NaiveDate};
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

/// Flows of the year of the dashboard's date, from 1 January to that date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Flows {
    /// First day of the period (1 January).
    pub from: NaiveDate,
    /// Kết nạp: admitted into a cell of the subtree.
    pub admitted: i64,
    /// Ra khỏi Đảng: membership ended (died, left, struck off, expelled, transferred out of
    /// the system) while in a cell of the subtree.
    pub exited: i64,
    /// Chuyển đến: members accepted into the subtree from outside it (a permanent transfer
    /// or an arrival from outside the instance).
    pub transferred_in: i64,
    /// Chuyển đi: members whose permanent letter (not refused) or transfer out was issued
    /// from the subtree to outside it.
    pub transferred_out: i64,
}

/// The committees of a subtree on a date: residential cells and how many of their
/// secretaries are also the village or residential group's head (nhất thể hoá), and the
/// organizations with a term running and how many have its working regulation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CommitteeCounts {
    /// Cells of villages and residential groups (chi bộ thôn, khu phố, tổ dân phố).
    pub residential_cells: i64,
    /// Of them, those whose secretary that day is also the head of the village or group.
    pub secretary_village_heads: i64,
    /// Organizations with a committee's term running that day.
    pub with_term: i64,
    /// Of them, those with the term's working regulation adopted by that day.
    pub with_regulation: i64,
}

impl CommitteeCounts {
    /// The counts a tally holds (the committee facts' keys).
    pub fn of(t: &super::Tally) -> CommitteeCounts {
        use crate::committee::CommitteeList;
        CommitteeCounts {
            residential_cells: t.get(CommitteeList::Residential.key()),
            secretary_village_heads: t.get(CommitteeList::VillageHead.key()),
            with_term: t.get(CommitteeList::Term.key()),
            with_regulation: t.get(CommitteeList::Regulation.key()),
        }
    }
}

/// Everything a dashboard shows for a subtree on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// The organization.
    pub org: OrgId,
    /// Official code.
    pub code: String,
    /// Name on that date.
    pub name: String,
    /// Level on that date.
    pub kind: OrgKind,
    /// Category on that date.
    pub category: OrgCategory,
    /// The date.
    pub as_of: NaiveDate,
    /// The counts on that date (keys of [`Tally`]; the "flow:" keys are running totals).
    pub tally: Tally,
    /// The year's flows.
    pub flows: Flows,
    /// Direct sub-organizations on that date.
    pub direct_children: i64,
    /// The minimum of official members per cell in force that day.
    pub min_official_per_cell: u32,
    /// Committees and terms.
    pub committees: CommitteeCounts,
}

impl Dashboard {
    /// Members (probationary + official).
    pub fn members(&self) -> i64 {
        self.official() + self.probationary()
    }
    /// Official members.
    pub fn official(&self) -> i64 {
        self.tally.get(&format!("standing:{}", Standing::Official.code()))
    }
    /// Probationary members.
    pub fn probationary(&self) -> i64 {
        self.tally.get(&format!("standing:{}", Standing::Probationary.code()))
    }
    /// Members in transit from the subtree.
    pub fn in_transit(&self) -> i64 {
        self.tally.get(&format!("standing:{}", Standing::InTransit.code()))
    }
    /// Members of a gender.
    pub fn gender(&self, g: Gender) -> i64 {
        self.tally.under(&format!("birth:{}:", g.code())).map(|(_, n)| n).sum()
    }
    /// (men, women) per age band ([`super::AGE_BANDS`]).
    pub fn age_pyramid(&self) -> Vec<(i64, i64)> {
        super::age_pyramid(&self.tally, self.as_of)
    }
    /// Members per party-age band ([`super::PARTY_AGE_BANDS`]).
    pub fn party_age(&self) -> Vec<i64> {
        super::party_age(&self.tally, self.as_of)
    }
    /// Members with at least `years` of party age (30, 40, 50: the badges).
    pub fn party_age_at_least(&self, years: i32) -> i64 {
        self.tally.under("admit:").filter(|(y, _)| y.parse::<i32>().is_ok_and(|y| self.as_of.year() - y >= years)).map(|(_, n)| n).sum()
    }
    /// A breakdown ("ethnicity", "religion", "education", "theory"), largest first.
    pub fn breakdown(&self, dim: &str) -> Vec<(String, i64)> {
        let mut v: Vec<(String, i64)> = self.tally.under(&format!("{dim}:")).map(|(k, n)| (k.to_owned(), n)).filter(|(_, n)| *n != 0).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
    /// Organizations of the subtree (the node excluded) per level.
    pub fn orgs_by_kind(&self) -> Vec<(OrgKind, i64)> {
        OrgKind::ALL.iter().map(|k| (*k, self.tally.get(&format!("kind:{}", k.code())) - i64::from(*k == self.kind))).filter(|(_, n)| *n > 0).collect()
    }
    /// Organizations of the subtree (the node excluded) per category.
    pub fn orgs_by_category(&self) -> Vec<(OrgCategory, i64)> {
        OrgCategory::ALL
            .iter()
            .map(|c| (*c, self.tally.get(&format!("category:{}", c.code())) - i64::from(*c == self.category)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
    /// Cells (the node included) with fewer official members than the minimum.
    pub fn small_cells(&self) -> i64 {
        self.tally.get("small_cells")
    }
    /// The rollup of `chibo stats`, the API and the home page.
    pub fn rollup(&self) -> OrgStats {
        let kind = |k: OrgKind| self.tally.get(&format!("kind:{}", k.code()));
        OrgStats {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind,
            as_of: self.as_of,
            members: self.members(),
            official: self.official(),
            probationary: self.probationary(),
            women: self.gender(Gender::Female),
            in_transit: self.in_transit(),
            direct_children: self.direct_children,
            grassroots_orgs: kind(OrgKind::GrassrootsCommittee) + kind(OrgKind::GrassrootsCell),
            cells_under_grassroots: kind(OrgKind::Cell),
        }
    }
}
