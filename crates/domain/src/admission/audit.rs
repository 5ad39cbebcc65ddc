//! The audit catalogue of admission cases.

use super::{Stage, Step};
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to an admission case.
    AdmissionAction for Admission {
        /// Mở hồ sơ.
        Open = "admission.open", "Mở hồ sơ kết nạp", "Admission case opened";
        /// Hoàn thiện lý lịch và thẩm tra.
        Vetting = "admission.vetting", "Hoàn thiện lý lịch và thẩm tra", "Background vetted";
        /// Chi bộ biểu quyết.
        Vote = "admission.vote", "Chi bộ biểu quyết đề nghị kết nạp", "Cell voted on admission";
        /// Quyết định kết nạp.
        Decision = "admission.decision", "Quyết định kết nạp", "Admission decision";
        /// Lễ kết nạp.
        Ceremony = "admission.ceremony", "Tổ chức lễ kết nạp", "Admission ceremony";
        /// Biểu quyết công nhận.
        RecognitionVote = "admission.recognition_vote", "Chi bộ biểu quyết công nhận chính thức", "Cell voted on recognition";
        /// Quyết định công nhận.
        RecognitionDecision = "admission.recognition_decision", "Quyết định công nhận đảng viên chính thức", "Recognition decision";
    }
}

impl AdmissionAction {
    /// The action recording a step.
    pub fn of_step(s: &Step) -> AdmissionAction {
        match s {
            Step::Vetting { .. } => AdmissionAction::Vetting,
            Step::Vote { .. } => AdmissionAction::Vote,
            Step::Decision { .. } => AdmissionAction::Decision,
            Step::Ceremony { .. } => AdmissionAction::Ceremony,
            Step::RecognitionVote { .. } => AdmissionAction::RecognitionVote,
            Step::RecognitionDecision { .. } => AdmissionAction::RecognitionDecision,
        }
    }
}

/// How an admission case's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("member_id"),
    AuditField::new("cell", "Chi bộ đề nghị kết nạp", "Proposing cell", FieldKind::Org),
    AuditField::new("file.certificate_no", "Số giấy chứng nhận bồi dưỡng nhận thức về Đảng", "Certificate number", FieldKind::Text),
    AuditField::new("file.certificate_on", "Ngày cấp giấy chứng nhận", "Certificate date", FieldKind::Date),
    AuditField::new("file.applied_on", "Ngày làm đơn xin vào Đảng", "Application date", FieldKind::Date),
    AuditField::new("file.background_on", "Ngày hoàn thành lý lịch", "Background form date", FieldKind::Date),
    AuditField::new("file.vetted_on", "Ngày thẩm tra lý lịch", "Vetting date", FieldKind::Date),
    AuditField::new("file.introducers", "Người giới thiệu", "Introducers", FieldKind::Members),
    AuditField::new("file.known_since", "Người giới thiệu quen biết từ", "Introducers known since", FieldKind::Dates),
    AuditField::new("vote.on", "Ngày chi bộ biểu quyết kết nạp", "Admission vote date", FieldKind::Date),
    AuditField::new("vote.votes_for", "Số tán thành kết nạp", "Votes for admission", FieldKind::Number),
    AuditField::new("vote.votes_against", "Số không tán thành kết nạp", "Votes against admission", FieldKind::Number),
    AuditField::new("vote.official_total", "Số đảng viên chính thức của chi bộ", "Official members of the cell", FieldKind::Number),
    AuditField::new("decision.on", "Ngày quyết định kết nạp", "Admission decision date", FieldKind::Date),
    AuditField::new("decision.number", "Số quyết định kết nạp", "Admission decision number", FieldKind::Text),
    AuditField::new("decision.issued_by", "Cấp ủy ra quyết định kết nạp", "Committee that admitted", FieldKind::Text),
    AuditField::new("ceremony_on", "Ngày lễ kết nạp", "Ceremony date", FieldKind::Date),
    AuditField::new("recognition_vote.on", "Ngày chi bộ biểu quyết công nhận", "Recognition vote date", FieldKind::Date),
    AuditField::new("recognition_vote.votes_for", "Số tán thành công nhận", "Votes for recognition", FieldKind::Number),
    AuditField::new("recognition_vote.votes_against", "Số không tán thành công nhận", "Votes against recognition", FieldKind::Number),
    AuditField::new(
        "recognition_vote.official_total",
        "Số đảng viên chính thức khi biểu quyết công nhận",
        "Official members at the recognition vote",
        FieldKind::Number,
    ),
    AuditField::new("recognition_decision.on", "Ngày quyết định công nhận", "Recognition decision date", FieldKind::Date),
    AuditField::new("recognition_decision.number", "Số quyết định công nhận", "Recognition decision number", FieldKind::Text),
    AuditField::new("recognition_decision.issued_by", "Cấp ủy ra quyết định công nhận", "Committee that recognized", FieldKind::Text),
    AuditField::new("stage", "Giai đoạn", "Stage", FieldKind::Code(Stage::code_label)),
    AuditField::hidden("version"),
];
