//! The audit catalogue of committees: terms, seats, concurrent posts, duties and working
//! regulations.

use super::{Position, PostKind, SeatBasis, SeatEnd};
use crate::audit::{AuditField, FieldKind};
use crate::member::MemberStatus;

crate::audit_actions! {
    /// What can be done to a term.
    TermAction for Term {
        /// Bắt đầu nhiệm kỳ.
        Open = "term.open", "Ghi nhận nhiệm kỳ mới", "Term recorded";
        /// Sửa thông tin nhiệm kỳ.
        Update = "term.update", "Sửa thông tin nhiệm kỳ", "Term updated";
        /// Kết thúc nhiệm kỳ.
        Close = "term.close", "Kết thúc nhiệm kỳ", "Term ended";
    }
}

crate::audit_actions! {
    /// What can be done to a seat.
    SeatAction for Seat {
        /// Bầu, chỉ định.
        Assign = "seat.assign", "Ghi nhận chức vụ trong cấp ủy", "Committee position assigned";
        /// Chuẩn y, sửa quyết định.
        Update = "seat.update", "Sửa quyết định, chuẩn y chức vụ", "Position decision updated";
        /// Thôi giữ chức.
        End = "seat.end", "Thôi giữ chức vụ trong cấp ủy", "Committee position ended";
        /// Thôi giữ chức theo sự kiện của đảng viên.
        Follow = "seat.follow", "Cập nhật chức vụ theo biến động của đảng viên", "Position follows the member's life";
    }
}

crate::audit_actions! {
    /// What can be done to a concurrent post.
    PostAction for Post {
        /// Ghi nhận kiêm nhiệm.
        Record = "post.record", "Ghi nhận chức danh kiêm nhiệm", "Concurrent post recorded";
        /// Thôi kiêm nhiệm.
        End = "post.end", "Thôi chức danh kiêm nhiệm", "Concurrent post ended";
    }
}

crate::audit_actions! {
    /// What can be done to a duty.
    DutyAction for Duty {
        /// Phân công.
        Assign = "duty.assign", "Phân công nhiệm vụ", "Duty assigned";
        /// Thôi phân công.
        End = "duty.end", "Kết thúc phân công nhiệm vụ", "Duty ended";
    }
}

crate::audit_actions! {
    /// What can be done to a working regulation.
    RegulationAction for Regulation {
        /// Ban hành quy chế.
        Adopt = "regulation.adopt", "Ban hành quy chế làm việc", "Working regulation adopted";
    }
}

/// How a term's fields read.
pub const TERM_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::new("org_id", "Tổ chức", "Organization", FieldKind::Org),
    AuditField::new("label", "Tên nhiệm kỳ", "Term", FieldKind::Text),
    AuditField::new("starts_on", "Ngày bắt đầu", "Starts on", FieldKind::Date),
    AuditField::new("planned_end", "Dự kiến kết thúc", "Planned end", FieldKind::Date),
    AuditField::new("ended_on", "Ngày kết thúc", "Ended on", FieldKind::Date),
    AuditField::new("pilot", "Thí điểm đại hội một lần trong nhiệm kỳ", "Pilot of one congress per term", FieldKind::Bool),
    AuditField::new("planned_size", "Số lượng cấp ủy viên được duyệt", "Approved committee size", FieldKind::Number),
    AuditField::new("village_head_expected", "Bí thư kiêm trưởng thôn, khu phố theo quy định", "Secretary expected to be village head", FieldKind::Bool),
    AuditField::hidden("congress_id"),
    AuditField::hidden("version"),
];

/// How a seat's fields read.
pub const SEAT_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("term_id"),
    AuditField::hidden("member_id"),
    AuditField::new("full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("position", "Chức vụ", "Position", FieldKind::Code(Position::code_label)),
    AuditField::new("basis", "Hình thức", "Basis", FieldKind::Code(SeatBasis::code_label)),
    AuditField::new("from", "Từ ngày", "From", FieldKind::Date),
    AuditField::new("until", "Thôi giữ chức từ ngày", "Ended on", FieldKind::Date),
    AuditField::new("end", "Lý do thôi giữ chức", "Reason it ended", FieldKind::Code(SeatEnd::code_label)),
    AuditField::new("decision_no", "Số quyết định", "Decision number", FieldKind::Text),
    AuditField::new("approved_on", "Ngày chuẩn y", "Approved on", FieldKind::Date),
    AuditField::new("approval_no", "Số quyết định chuẩn y", "Approval number", FieldKind::Text),
    AuditField::new("note", "Ghi chú", "Note", FieldKind::Text),
    AuditField::new("left.on", "Thôi giữ chức theo biến động đảng viên từ ngày", "Left with the member's change on", FieldKind::Date),
    AuditField::new("left.status", "Biến động của đảng viên", "The member's change", FieldKind::Code(MemberStatus::code_label)),
    AuditField::hidden("version"),
];

/// How a concurrent post's fields read.
pub const POST_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("member_id"),
    AuditField::new("full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("kind", "Chức danh kiêm nhiệm", "Concurrent post", FieldKind::Code(PostKind::code_label)),
    AuditField::new("place", "Nơi đảm nhiệm", "Where", FieldKind::Text),
    AuditField::new("from", "Từ ngày", "From", FieldKind::Date),
    AuditField::new("until", "Đến ngày", "Until", FieldKind::Date),
    AuditField::new("note", "Ghi chú", "Note", FieldKind::Text),
    AuditField::hidden("version"),
];

/// How a duty's fields read.
pub const DUTY_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("seat_id"),
    AuditField::new("full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("field", "Lĩnh vực", "Field", FieldKind::Code(super::DutyField::code_label)),
    AuditField::hidden("in_charge_of"),
    AuditField::new("in_charge_names", "Phụ trách", "In charge of", FieldKind::Text),
    AuditField::new("text", "Nhiệm vụ", "Duty", FieldKind::Text),
    AuditField::new("from", "Từ ngày", "From", FieldKind::Date),
    AuditField::new("until", "Đến ngày", "Until", FieldKind::Date),
    AuditField::hidden("version"),
];

/// How a working regulation's fields read.
pub const REGULATION_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("term_id"),
    AuditField::new("revision", "Lần ban hành", "Revision", FieldKind::Number),
    AuditField::new("adopted_on", "Ngày ban hành", "Adopted on", FieldKind::Date),
    AuditField::new("decision_no", "Số quyết định", "Decision number", FieldKind::Text),
    AuditField::new("text", "Nội dung", "Text", FieldKind::Text),
    AuditField::new("file.name", "Tệp đính kèm", "Attached file", FieldKind::Text),
    AuditField::new("file.media_type", "Loại tệp", "File type", FieldKind::Text),
    AuditField::new("file.size", "Dung lượng (byte)", "Size (bytes)", FieldKind::Number),
    AuditField::hidden("version"),
];
