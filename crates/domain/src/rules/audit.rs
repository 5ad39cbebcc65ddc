//! The audit catalogue of rule sets and of the working calendar.

use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to the rule sets.
    RulesAction for Rules {
        /// Ban hành phiên bản mới.
        Create = "rules.create", "Ban hành bộ quy định mới", "New rule set issued";
    }
}

crate::audit_actions! {
    /// What can be done to the working calendar.
    CalendarAction for Calendar {
        /// Đặt ngày nghỉ hoặc ngày làm bù.
        Set = "calendar.set", "Điều chỉnh lịch làm việc", "Working calendar adjusted";
    }
}

fn day_change(code: &str, lang: crate::error::Lang) -> Option<&'static str> {
    use crate::error::Lang;
    Some(match (code, lang) {
        ("holiday", Lang::Vi) => "Ngày nghỉ",
        ("holiday", Lang::En) => "Day off",
        ("working", Lang::Vi) => "Ngày làm việc (làm bù)",
        ("working", Lang::En) => "Working day (make-up)",
        _ => return None,
    })
}

/// How a rule set's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::new("effective_from", "Áp dụng từ ngày", "Effective from", FieldKind::Date),
    AuditField::new("source", "Căn cứ", "Source", FieldKind::Text),
    AuditField::new("probation_months", "Thời gian dự bị (tháng)", "Probation (months)", FieldKind::Number),
    AuditField::new("ceremony_within_working_days", "Lễ kết nạp trong vòng (ngày làm việc)", "Ceremony within (working days)", FieldKind::Number),
    AuditField::new(
        "recognition_within_working_days",
        "Xét công nhận chính thức trong vòng (ngày làm việc)",
        "Recognition within (working days)",
        FieldKind::Number,
    ),
    AuditField::new("transfer_within_working_days", "Chuyển sinh hoạt trong vòng (ngày làm việc)", "Transfer within (working days)", FieldKind::Number),
    AuditField::new("vote_threshold.num", "Tỷ lệ biểu quyết: tử số", "Vote threshold: numerator", FieldKind::Number),
    AuditField::new("vote_threshold.den", "Tỷ lệ biểu quyết: mẫu số", "Vote threshold: denominator", FieldKind::Number),
    AuditField::new("candidate_min_age_years", "Tuổi tối thiểu của người vào Đảng (năm)", "Candidate minimum age (years)", FieldKind::Number),
    AuditField::new("candidate_max_age_months", "Tuổi tối đa của người vào Đảng (tháng)", "Candidate maximum age (months)", FieldKind::Number),
    AuditField::new("certificate_validity_months", "Giá trị giấy chứng nhận bồi dưỡng (tháng)", "Certificate validity (months)", FieldKind::Number),
    AuditField::new(
        "introducer_min_official_months",
        "Người giới thiệu đã là đảng viên chính thức (tháng)",
        "Introducer official for (months)",
        FieldKind::Number,
    ),
    AuditField::new("introducer_min_known_months", "Người giới thiệu quen biết ít nhất (tháng)", "Introducer known for (months)", FieldKind::Number),
    AuditField::new("temporary_transfer_max_months", "Chuyển sinh hoạt tạm thời tối đa (tháng)", "Longest temporary transfer (months)", FieldKind::Number),
    AuditField::new("temporary_transfer_min_months", "Chuyển sinh hoạt tạm thời tối thiểu (tháng)", "Shortest temporary transfer (months)", FieldKind::Number),
    AuditField::new("min_official_per_cell", "Số đảng viên chính thức tối thiểu của chi bộ", "Official members a cell needs", FieldKind::Number),
    AuditField::new("grassroots_committee_min_members", "Số đảng viên để lập đảng bộ cơ sở", "Members for a grassroots committee", FieldKind::Number),
    AuditField::new("cell_committee_min_official", "Số đảng viên chính thức để bầu chi ủy", "Official members for a cell committee", FieldKind::Number),
    AuditField::new("holidays.fixed", "Ngày lễ dương lịch (tháng, ngày)", "Fixed holidays (month, day)", FieldKind::Text),
    AuditField::new("holidays.tet_days_before", "Số ngày nghỉ trước Tết", "Days off before Tết", FieldKind::Number),
    AuditField::new("holidays.tet_days_from", "Số ngày nghỉ từ Tết", "Days off from Tết", FieldKind::Number),
    AuditField::new("holidays.hung_kings", "Nghỉ Giỗ Tổ Hùng Vương", "Hùng Kings' day off", FieldKind::Bool),
    AuditField::new("holidays.national_day_extra", "Ngày nghỉ thêm dịp Quốc khánh", "Extra National Day off", FieldKind::Number),
    AuditField::new("holidays.compensate_weekends", "Nghỉ bù khi lễ trùng cuối tuần", "Weekend holidays compensated", FieldKind::Bool),
    AuditField::new(
        "committee.term_months",
        "Nhiệm kỳ của cấp ủy từ cơ sở trở lên (tháng)",
        "Committee term from the grassroots up (months)",
        FieldKind::Number,
    ),
    AuditField::new("committee.cell_term_months", "Nhiệm kỳ của chi bộ (tháng)", "Cell term (months)", FieldKind::Number),
    AuditField::new(
        "committee.cell_term_months_pilot",
        "Nhiệm kỳ của chi bộ thí điểm đại hội một lần (tháng)",
        "Cell term in the pilot (months)",
        FieldKind::Number,
    ),
    AuditField::new("committee.cell_committee_max", "Số chi ủy viên tối đa", "Largest cell committee", FieldKind::Number),
    AuditField::new(
        "committee.seat_effects",
        "Biến động của đảng viên làm thôi hoặc tạm đình chỉ chức vụ (số mục)",
        "Member changes that end or suspend a position (entries)",
        FieldKind::Count,
    ),
    AuditField::new(
        "committee.appointed_may_be_outside",
        "Người được chỉ định có thể giữ chức ở tổ chức khác nơi sinh hoạt",
        "Appointees may sit outside their own organization",
        FieldKind::Bool,
    ),
    AuditField::new(
        "committee.congress_warning_months",
        "Nhắc chuẩn bị đại hội trước khi hết nhiệm kỳ (tháng)",
        "Congress reminder before a term ends (months)",
        FieldKind::Number,
    ),
    AuditField::new(
        "committee.regulation_due_months",
        "Hạn ban hành quy chế làm việc kể từ đầu nhiệm kỳ (tháng)",
        "Working regulation due after a term starts (months)",
        FieldKind::Number,
    ),
    AuditField::new("committee.regulation_max_bytes", "Dung lượng tối đa của tệp quy chế (byte)", "Largest regulation file (bytes)", FieldKind::Number),
    AuditField::new(
        "meeting.regular_due_day",
        "Chi bộ sinh hoạt thường kỳ chậm nhất vào ngày (hằng tháng)",
        "Regular meeting due by day of month",
        FieldKind::Number,
    ),
    AuditField::new("meeting.notice_days_before", "Thông báo cuộc họp trước (ngày)", "Notice before the meeting (days)", FieldKind::Number),
    AuditField::new("meeting.minutes_within_days", "Ký biên bản trong vòng (ngày)", "Minutes signed within (days)", FieldKind::Number),
    AuditField::new("meeting.thematic_per_quarter", "Số cuộc sinh hoạt chuyên đề tối thiểu mỗi quý", "Thematic meetings per quarter", FieldKind::Number),
    AuditField::new("meeting.quorum_more_than.num", "Số dự họp phải quá (tử số)", "Quorum: more than (numerator)", FieldKind::Number),
    AuditField::new("meeting.quorum_more_than.den", "Số dự họp phải quá (mẫu số)", "Quorum: more than (denominator)", FieldKind::Number),
    AuditField::new("meeting.vote_more_than.num", "Biểu quyết thông qua khi quá (tử số)", "Motion passes above (numerator)", FieldKind::Number),
    AuditField::new("meeting.vote_more_than.den", "Biểu quyết thông qua khi quá (mẫu số)", "Motion passes above (denominator)", FieldKind::Number),
    AuditField::new("meeting.exempt_in_base", "Tính đảng viên miễn sinh hoạt vào số được triệu tập", "Exempt members in the quorum's base", FieldKind::Bool),
    AuditField::new(
        "meeting.absences_strike_off",
        "Số lần vắng không lý do trong năm là căn cứ xóa tên",
        "Absences in a year that are grounds for striking off",
        FieldKind::Number,
    ),
    AuditField::new("meeting.absences_running", "Số lần vắng không lý do liên tiếp cần nhắc việc", "Consecutive absences on the to-do", FieldKind::Number),
    AuditField::new(
        "meeting.invite_in_charge",
        "Mời cấp ủy viên cấp trên phụ trách dự sinh hoạt",
        "Invite the upper committee member in charge",
        FieldKind::Bool,
    ),
    AuditField::new(
        "meeting.invite_residents",
        "Mời đảng viên công tác cư trú tại địa bàn (QĐ 213)",
        "Invite the working members living in the area",
        FieldKind::Bool,
    ),
    AuditField::new("meeting.regular_agenda", "Nội dung sinh hoạt thường kỳ", "Agenda of a regular meeting", FieldKind::Count),
    AuditField::new("meeting.thematic_agenda", "Nội dung sinh hoạt chuyên đề", "Agenda of a thematic meeting", FieldKind::Count),
    AuditField::new("meeting.other_agenda", "Nội dung các cuộc họp khác", "Agenda of other meetings", FieldKind::Count),
    AuditField::new("meeting.quality_criteria", "Tiêu chí đánh giá chất lượng sinh hoạt", "Criteria of a meeting's quality", FieldKind::Count),
];

/// How a calendar change's fields read.
pub const CALENDAR_FIELDS: &[AuditField] = &[
    AuditField::new("day", "Ngày", "Day", FieldKind::Date),
    AuditField::new("change", "Điều chỉnh", "Change", FieldKind::Code(day_change)),
    AuditField::new("note", "Ghi chú", "Note", FieldKind::Text),
];
