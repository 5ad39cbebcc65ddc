//! The audit catalogue of transfers.

use super::{TransferKind, TransferState};
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to a transfer.
    TransferAction for Transfer {
        /// Giới thiệu chuyển sinh hoạt.
        Send = "transfer.send", "Giới thiệu chuyển sinh hoạt đảng", "Transfer letter issued";
        /// Tiếp nhận.
        Accept = "transfer.accept", "Tiếp nhận sinh hoạt đảng", "Transfer accepted";
        /// Không tiếp nhận.
        Refuse = "transfer.refuse", "Không tiếp nhận, trả lại", "Transfer refused";
        /// Kết thúc tạm thời.
        End = "transfer.end", "Kết thúc chuyển sinh hoạt tạm thời", "Temporary transfer ended";
        /// Tiếp nhận từ nơi khác.
        Arrival = "transfer.arrival", "Tiếp nhận đảng viên từ nơi khác chuyển đến", "Arrival from outside recorded";
    }
}

/// How a transfer's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("member_id"),
    AuditField::new("full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("birth_date", "Ngày sinh", "Date of birth", FieldKind::Date),
    AuditField::new("card_number", "Số thẻ đảng viên", "Party card number", FieldKind::Text).personal(),
    AuditField::new("admitted_on", "Ngày vào Đảng", "Date admitted", FieldKind::Date),
    AuditField::new("official_on", "Ngày chính thức", "Date made official", FieldKind::Date),
    AuditField::new("kind", "Hình thức chuyển sinh hoạt", "Kind of transfer", FieldKind::Code(TransferKind::code_label)),
    AuditField::new("from_org", "Chi bộ chuyển đi", "Sending cell", FieldKind::Org),
    AuditField::hidden("from_name"),
    AuditField::new("to_org", "Tổ chức nhận", "Receiving organization", FieldKind::Org),
    AuditField::new("to_name", "Nơi nhận", "Receiving organization (as written)", FieldKind::Text),
    AuditField::new("destination", "Nơi đến, nơi chuyển đến từ", "Outside destination or origin", FieldKind::Text),
    AuditField::new("letter_no", "Số giấy giới thiệu", "Letter number", FieldKind::Text),
    AuditField::new("letter_on", "Ngày giới thiệu", "Letter date", FieldKind::Date),
    AuditField::new("fees_paid_through", "Đã đóng đảng phí đến hết tháng", "Fees paid through", FieldKind::Month),
    AuditField::new("until", "Tạm thời đến ngày", "Temporary until", FieldKind::Date),
    AuditField::new("ended_on", "Ngày kết thúc sinh hoạt tạm thời", "Temporary transfer ended on", FieldKind::Date),
    AuditField::new("note", "Lý do, ghi chú", "Note", FieldKind::Text),
    AuditField::new("state", "Trạng thái", "State", FieldKind::Code(TransferState::code_label)),
    AuditField::new("answered_on", "Ngày trả lời", "Date answered", FieldKind::Date),
    AuditField::new("answered_cell", "Chi bộ tiếp nhận", "Receiving cell", FieldKind::Org),
    AuditField::hidden("answered_cell_name"),
    AuditField::new("answer_note", "Ý kiến trả lời", "Answer", FieldKind::Text),
    AuditField::hidden("version"),
    AuditField::hidden("outgoing"),
    AuditField::hidden("incoming"),
];
