//! The audit catalogue of organizations: what can be done to one, and how its fields read.

use super::{OrgCategory, OrgKind};
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to an organization.
    OrgAction for Org {
        /// Founded in this instance (the first event).
        Create = "org.create", "Thành lập tổ chức", "Organization founded";
        /// A founding recorded as a later event.
        Founded = "org.founded", "Ghi nhận thành lập tổ chức", "Founding recorded";
        /// Đổi tên.
        Renamed = "org.renamed", "Đổi tên tổ chức", "Organization renamed";
        /// Chuyển trực thuộc.
        Moved = "org.moved", "Chuyển trực thuộc", "Organization moved";
        /// Đổi cấp, loại hình.
        Reclassified = "org.reclassified", "Đổi cấp, loại hình tổ chức", "Organization reclassified";
        /// Giải thể, sáp nhập.
        Dissolved = "org.dissolved", "Giải thể tổ chức", "Organization dissolved";
        /// A list of its members taken out of the system (a copy of personal data).
        ExportMembers = "member.export", "Xuất danh sách đảng viên ra tệp", "Member list exported";
        /// Its committee (names and positions) taken out of the system.
        ExportCommittee = "committee.export", "Xuất danh sách cấp ủy ra tệp", "Committee list exported";
        /// The attendance behind a meeting figure (names and absences) taken out of the system.
        ExportAttendance = "meeting.attendance_export", "Xuất danh sách dự sinh hoạt ra tệp", "Meeting attendance exported";
    }
}

impl OrgAction {
    /// The action recording a dated change.
    pub fn of_change(c: &super::OrgChange) -> OrgAction {
        match c {
            super::OrgChange::Founded { .. } => OrgAction::Founded,
            super::OrgChange::Renamed { .. } => OrgAction::Renamed,
            super::OrgChange::Moved { .. } => OrgAction::Moved,
            super::OrgChange::Reclassified { .. } => OrgAction::Reclassified,
            super::OrgChange::Dissolved => OrgAction::Dissolved,
        }
    }
}

/// How an organization's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::new("code", "Mã tổ chức", "Organization code", FieldKind::Text),
    AuditField::new("name", "Tên tổ chức", "Organization name", FieldKind::Text),
    AuditField::new("kind", "Cấp tổ chức", "Organization level", FieldKind::Code(OrgKind::code_label)),
    AuditField::new("category", "Loại hình", "Category", FieldKind::Code(OrgCategory::code_label)),
    AuditField::new("parent_id", "Tổ chức cấp trên", "Parent organization", FieldKind::Org),
    AuditField::hidden("path"),
    AuditField::new("founded_on", "Ngày thành lập", "Date founded", FieldKind::Date),
    AuditField::new("dissolved_on", "Ngày giải thể", "Date dissolved", FieldKind::Date),
    AuditField::hidden("version"),
    // An export of its member list.
    AuditField::new("rows", "Số dòng", "Rows", FieldKind::Number),
    AuditField::new("format", "Định dạng tệp", "File format", FieldKind::Text),
];
