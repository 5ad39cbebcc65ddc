//! The writes a person makes on the organization tree, as commands: founding a
//! sub-organization and recording a dated change (rename, reclassify, move, dissolve). A form
//! and any other caller parse into these, every problem reported by field at once; whether the
//! change fits the tree on its date (a cell under a province, a move into its own subtree, a
//! dissolution of an organization with members) is judged by the store's replay of the events.

use super::{OrgCategory, OrgChange, OrgCode, OrgId, OrgKind, code_enum, parse_org_name};
use crate::calendar::required_date;
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::text::tidy;
use chrono::NaiveDate;

/// An organization a command names (a new parent, a cell), as the caller found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrgChoice {
    /// None given.
    #[default]
    None,
    /// Found.
    Found(OrgId),
    /// Given, but no organization in the caller's reach matches it.
    NotFound,
}

impl OrgChoice {
    /// The organization a required field names; `Required` or `NotFound` on `field` otherwise.
    pub fn required(self, e: &mut ValidationErrors, field: &str) -> Option<OrgId> {
        match self {
            OrgChoice::Found(id) => Some(id),
            OrgChoice::NotFound => {
                e.push(FieldError::new(field, ErrorCode::NotFound));
                None
            }
            OrgChoice::None => {
                e.push(FieldError::new(field, ErrorCode::Required));
                None
            }
        }
    }
}

/// A new sub-organization as typed, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct FoundOrgInput {
    /// Mã tổ chức.
    pub code: String,
    /// Tên.
    pub name: String,
    /// Cấp ([`OrgKind`] code).
    pub kind: String,
    /// Loại hình ([`OrgCategory`] code).
    pub category: String,
    /// Ngày thành lập, dd/mm/yyyy or yyyy-mm-dd.
    pub founded_on: String,
    /// Số quyết định thành lập.
    pub decision_no: String,
}

/// A checked new organization, ready for the store (which places it under its parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundOrg {
    /// Official code.
    pub code: OrgCode,
    /// Name, white space tidied.
    pub name: String,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
    /// Founding date.
    pub founded_on: NaiveDate,
    /// Founding decision.
    pub decision_no: Option<String>,
}

/// A required choice among codes; `InvalidChoice` on `field` when none matches.
pub(crate) fn choice<T>(e: &mut ValidationErrors, field: &str, value: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let v = value.trim();
    let found = parse(v);
    if found.is_none() {
        e.push(FieldError::new(field, ErrorCode::InvalidChoice).with("value", v));
    }
    found
}

impl FoundOrgInput {
    /// Checks every field: a code, a name, a known level and category, a founding date.
    pub fn validate(&self) -> Result<FoundOrg, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("code", &self.code),
                ("name", &self.name),
                ("kind", &self.kind),
                ("category", &self.category),
                ("founded_on", &self.founded_on),
                ("decision_no", &self.decision_no),
            ],
        ) {
            return Err(e);
        }
        let code = OrgCode::parse(&self.code).map_err(|f| e.push(f)).ok();
        let name = parse_org_name(&self.name).map_err(|f| e.push(f)).ok();
        let kind = choice(&mut e, "kind", &self.kind, OrgKind::from_code);
        let category = choice(&mut e, "category", &self.category, OrgCategory::from_code);
        let founded_on = required_date(&mut e, "founded_on", &self.founded_on);
        match (code, name, kind, category, founded_on) {
            (Some(code), Some(name), Some(kind), Some(category), Some(founded_on)) if e.is_empty() => {
                Ok(FoundOrg { code, name, kind, category, founded_on, decision_no: tidy(&self.decision_no) })
            }
            _ => Err(e),
        }
    }
}

code_enum! {
    /// The dated changes a person records on an organization (its founding is [`FoundOrg`]).
    OrgChangeKind {
        /// Đổi tên.
        Rename = "rename", "Đổi tên", "Rename";
        /// Đổi cấp, loại hình.
        Reclassify = "reclassify", "Đổi cấp, loại hình", "Change level or category";
        /// Chuyển trực thuộc.
        Move = "move", "Chuyển trực thuộc", "Move";
        /// Giải thể.
        Dissolve = "dissolve", "Giải thể", "Dissolve";
    }
}

/// A dated change as typed, before it is checked. Only the fields of its kind are read.
#[derive(Debug, Clone, Default)]
pub struct ChangeOrgInput {
    /// The change ([`OrgChangeKind`] code).
    pub what: String,
    /// Its effective date, dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// Số quyết định.
    pub decision_no: String,
    /// The new name (rename).
    pub name: String,
    /// The new level (reclassify).
    pub kind: String,
    /// The new category (reclassify).
    pub category: String,
    /// The new parent (move).
    pub parent: OrgChoice,
}

/// A checked change, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeOrg {
    /// Effective date.
    pub on: NaiveDate,
    /// What changes.
    pub change: OrgChange,
    /// The decision.
    pub decision_no: Option<String>,
}

impl ChangeOrgInput {
    /// Checks the change: a known kind, a date, and what that kind needs (a name, a level and
    /// category, a parent). Every problem is reported, by field.
    pub fn validate(&self) -> Result<ChangeOrg, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("what", &self.what),
                ("date", &self.date),
                ("decision_no", &self.decision_no),
                ("name", &self.name),
                ("kind", &self.kind),
                ("category", &self.category),
            ],
        ) {
            return Err(e);
        }
        let what = choice(&mut e, "what", &self.what, OrgChangeKind::from_code);
        let on = required_date(&mut e, "event_date", &self.date);
        let change = match what {
            Some(OrgChangeKind::Rename) => parse_org_name(&self.name).map(|name| OrgChange::Renamed { name }).map_err(|f| e.push(f)).ok(),
            Some(OrgChangeKind::Reclassify) => {
                let kind = choice(&mut e, "kind", &self.kind, OrgKind::from_code);
                let category = choice(&mut e, "category", &self.category, OrgCategory::from_code);
                kind.zip(category).map(|(kind, category)| OrgChange::Reclassified { kind, category })
            }
            Some(OrgChangeKind::Move) => self.parent.required(&mut e, "parent").map(|parent| OrgChange::Moved { parent }),
            Some(OrgChangeKind::Dissolve) => Some(OrgChange::Dissolved),
            None => None,
        };
        match (on, change) {
            (Some(on), Some(change)) if e.is_empty() => Ok(ChangeOrg { on, change, decision_no: tidy(&self.decision_no) }),
            _ => Err(e),
        }
    }
}

/// A merger as typed: the organization is joined into another on a date (its
/// sub-organizations and members move there, and it is dissolved).
#[derive(Debug, Clone, Default)]
pub struct MergeOrgInput {
    /// Its effective date, dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// Số quyết định.
    pub decision_no: String,
    /// The organization it is merged into.
    pub into: OrgChoice,
}

/// A checked merger, ready for the store (which judges it against the tree on its date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOrg {
    /// Effective date.
    pub on: NaiveDate,
    /// The organization that remains.
    pub into: OrgId,
    /// The decision.
    pub decision_no: Option<String>,
}

impl MergeOrgInput {
    /// Checks a merger: a date and the organization that remains.
    pub fn validate(&self) -> Result<MergeOrg, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let on = required_date(&mut e, "event_date", &self.date);
        let into = self.into.required(&mut e, "parent");
        match (on, into) {
            (Some(on), Some(into)) if e.is_empty() => Ok(MergeOrg { on, into, decision_no: tidy(&self.decision_no) }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: ValidationErrors) -> Vec<(String, ErrorCode)> {
        e.errors.iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn a_new_organization_reads_with_its_decision() {
        let f = FoundOrgInput {
            code: " CB-07 ".into(),
            name: "Chi bộ  khu phố 7".into(),
            kind: "to_dang".into(),
            category: "khu_dan_cu".into(),
            founded_on: "01/07/2025".into(),
            decision_no: " 15-QĐ/ĐU ".into(),
        };
        let o = f.validate().unwrap();
        assert_eq!((o.code.as_str(), o.name.as_str(), o.kind), ("CB-07", "Chi bộ khu phố 7", OrgKind::Group));
        assert_eq!((o.founded_on, o.decision_no.as_deref()), (NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), Some("15-QĐ/ĐU")));
    }

    #[test]
    fn every_wrong_field_of_a_new_organization_is_reported_at_once() {
        let f = FoundOrgInput { code: "mã sai".into(), kind: "xyz".into(), founded_on: "31/02/2025".into(), ..Default::default() };
        assert_eq!(
            fields(f.validate().unwrap_err()),
            [
                ("code".to_owned(), ErrorCode::OrgCodeFormat),
                ("name".to_owned(), ErrorCode::Required),
                ("kind".to_owned(), ErrorCode::InvalidChoice),
                ("category".to_owned(), ErrorCode::InvalidChoice),
                ("founded_on".to_owned(), ErrorCode::DateFormat),
            ]
        );
    }

    #[test]
    fn a_change_reads_only_the_fields_of_its_kind() {
        let base = ChangeOrgInput { date: "2025-07-01".into(), name: "Tên cũ".into(), ..Default::default() };
        let moved = ChangeOrgInput { what: "move".into(), parent: OrgChoice::Found(9), ..base.clone() }.validate().unwrap();
        assert_eq!(moved.change, OrgChange::Moved { parent: 9 });
        let dissolved = ChangeOrgInput { what: "dissolve".into(), decision_no: "  ".into(), ..base.clone() }.validate().unwrap();
        assert_eq!((dissolved.change, dissolved.decision_no), (OrgChange::Dissolved, None));
        let renamed = ChangeOrgInput { what: "rename".into(), name: " Chi bộ  mới ".into(), ..base.clone() }.validate().unwrap();
        assert_eq!(renamed.change, OrgChange::Renamed { name: "Chi bộ mới".into() });
    }

    #[test]
    fn a_merger_needs_a_date_and_the_organization_that_remains() {
        let m = MergeOrgInput { date: "01/07/2025".into(), decision_no: " 3-QĐ/TU ".into(), into: OrgChoice::Found(4) }.validate().unwrap();
        assert_eq!((m.into, m.decision_no.as_deref()), (4, Some("3-QĐ/TU")));
        let e = MergeOrgInput { date: "?".into(), into: OrgChoice::NotFound, ..Default::default() }.validate().unwrap_err();
        assert_eq!(fields(e), [("event_date".to_owned(), ErrorCode::DateFormat), ("parent".to_owned(), ErrorCode::NotFound)]);
    }

    #[test]
    fn a_wrong_change_is_reported_by_field() {
        let lost = ChangeOrgInput { what: "move".into(), date: "01/07/2025".into(), parent: OrgChoice::NotFound, ..Default::default() };
        assert_eq!(fields(lost.validate().unwrap_err()), [("parent".to_owned(), ErrorCode::NotFound)]);
        let none = ChangeOrgInput { what: "move".into(), date: "01/07/2025".into(), ..Default::default() };
        assert_eq!(fields(none.validate().unwrap_err()), [("parent".to_owned(), ErrorCode::Required)]);
        let re = ChangeOrgInput { what: "reclassify".into(), kind: "chi_bo_co_so".into(), category: "?".into(), ..Default::default() };
        assert_eq!(fields(re.validate().unwrap_err()), [("event_date".to_owned(), ErrorCode::Required), ("category".to_owned(), ErrorCode::InvalidChoice)]);
        let unnamed = ChangeOrgInput { what: "rename".into(), date: "01/07/2025".into(), ..Default::default() };
        assert_eq!(fields(unnamed.validate().unwrap_err()), [("name".to_owned(), ErrorCode::Required)]);
        let odd = ChangeOrgInput { what: "founded".into(), date: "01/07/2025".into(), ..Default::default() };
        assert_eq!(fields(odd.validate().unwrap_err()), [("what".to_owned(), ErrorCode::InvalidChoice)]);
    }
}
