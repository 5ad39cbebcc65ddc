//! The audit catalogue of meetings: planned, notified, attendance and minutes recorded,
//! signed, cancelled, amended, rated.

use super::{MeetingKind, MeetingState, Quality};
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to a meeting.
    MeetingAction for Meeting {
        /// Lên kế hoạch.
        Plan = "meeting.plan", "Lên kế hoạch cuộc họp", "Meeting planned";
        /// Sửa kế hoạch.
        Update = "meeting.update", "Sửa kế hoạch cuộc họp", "Meeting plan changed";
        /// Thông báo.
        Notify = "meeting.notify", "Thông báo cuộc họp cho đảng viên", "Meeting notified";
        /// Điểm danh.
        Attendance = "meeting.attendance", "Ghi nhận điểm danh", "Attendance recorded";
        /// Biên bản.
        Minutes = "meeting.minutes", "Ghi biên bản cuộc họp", "Minutes recorded";
        /// Ký biên bản.
        Sign = "meeting.sign", "Ký biên bản cuộc họp", "Minutes signed";
        /// Hủy.
        Cancel = "meeting.cancel", "Hủy cuộc họp", "Meeting cancelled";
        /// Đính chính.
        Amend = "meeting.amend", "Đính chính biên bản đã ký", "Signed minutes amended";
        /// Đánh giá chất lượng.
        Rate = "meeting.rate", "Đánh giá chất lượng sinh hoạt", "Meeting quality rated";
    }
}

/// How a meeting's fields read.
pub const MEETING_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::new("org_id", "Tổ chức", "Organization", FieldKind::Org),
    AuditField::new("kind", "Loại cuộc họp", "Kind of meeting", FieldKind::Code(MeetingKind::code_label)),
    AuditField::new("held_on", "Ngày họp", "Day", FieldKind::Date),
    AuditField::new("starts_at", "Giờ họp", "Time", FieldKind::Text),
    AuditField::new("place", "Địa điểm", "Place", FieldKind::Text),
    AuditField::new("topic", "Chủ đề", "Topic", FieldKind::Text),
    AuditField::new("documents", "Tài liệu nghiên cứu trước", "Documents to read", FieldKind::Text),
    AuditField::new("state", "Tình trạng", "State", FieldKind::Code(MeetingState::code_label)),
    AuditField::new("notified_on", "Ngày thông báo", "Notified on", FieldKind::Date),
    AuditField::new("cancel_reason", "Lý do hủy", "Why cancelled", FieldKind::Text),
    AuditField::hidden("chair"),
    AuditField::new("chair_name", "Chủ trì", "Chair", FieldKind::Text),
    AuditField::hidden("secretary"),
    AuditField::new("secretary_name", "Thư ký", "Minutes secretary", FieldKind::Text),
    AuditField::new("signed_on", "Ngày ký biên bản", "Signed on", FieldKind::Date),
    AuditField::new("resolution_no", "Số nghị quyết", "Resolution number", FieldKind::Text),
    AuditField::new("resolution", "Nghị quyết của cuộc họp", "The meeting's resolution", FieldKind::Text),
    AuditField::new("quality", "Chất lượng sinh hoạt", "Quality", FieldKind::Code(Quality::code_label)),
    AuditField::new("quality_note", "Nhận xét", "Comment", FieldKind::Text),
    AuditField::new("rated_on", "Ngày đánh giá", "Rated on", FieldKind::Date),
    AuditField::new("present", "Số có mặt", "Present", FieldKind::Number),
    AuditField::new("convened", "Số được triệu tập", "Convened", FieldKind::Number),
    AuditField::new("excused", "Số vắng có lý do", "Absent with permission", FieldKind::Number),
    AuditField::new("absent", "Số vắng không lý do", "Absent without reason", FieldKind::Number),
    AuditField::new("absent_names", "Vắng không lý do", "Absent without reason", FieldKind::Text),
    AuditField::new("excused_names", "Vắng có lý do", "Absent with permission", FieldKind::Text),
    AuditField::new("items", "Nội dung", "Agenda items", FieldKind::Count),
    AuditField::new("votes", "Biểu quyết", "Votes", FieldKind::Count),
    AuditField::new("amendment", "Nội dung đính chính", "Amendment", FieldKind::Text),
    AuditField::hidden("version"),
];
