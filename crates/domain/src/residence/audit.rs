//! The audit catalogue of residence links.

use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to a residence link.
    ResidenceAction for Residence {
        /// Giới thiệu về nơi cư trú.
        Link = "residence.link", "Giới thiệu sinh hoạt nơi cư trú", "Residence link recorded";
        /// Kết thúc.
        End = "residence.end", "Kết thúc sinh hoạt nơi cư trú", "Residence link ended";
        /// Nhận xét hằng năm.
        Comment = "residence.comment", "Nhận xét của chi bộ nơi cư trú", "Residence cell's yearly comment";
    }
}

/// How a residence link's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("member_id"),
    AuditField::new("full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("work_cell", "Chi bộ nơi làm việc", "Working cell", FieldKind::Text),
    AuditField::new("cell_id", "Chi bộ nơi cư trú", "Residence cell", FieldKind::Org),
    AuditField::hidden("cell_name"),
    AuditField::new("from_on", "Từ ngày", "Since", FieldKind::Date),
    AuditField::new("until_on", "Đến ngày", "Until", FieldKind::Date),
    AuditField::new("note", "Ghi chú (địa chỉ, tổ dân phố)", "Note (address, group)", FieldKind::Text).personal(),
    AuditField::new("comments", "Nhận xét hằng năm", "Yearly comments", FieldKind::YearNotes),
];
