//! The audit catalogue of members and of spreadsheet imports.

use super::{Education, Gender, MemberChange, MemberStatus, PoliticalTheory};
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to a member's record.
    MemberAction for Member {
        /// Thêm đảng viên (with the first event).
        Create = "member.create", "Thêm đảng viên", "Member added";
        /// Sửa hồ sơ.
        Update = "member.update", "Sửa hồ sơ đảng viên", "Member record edited";
        /// The member edited their own contact details.
        Contact = "member.contact", "Đảng viên tự sửa thông tin liên hệ", "Member edited own contact details";
        /// Each dated event of a member's life.
        CandidateRegistered = "member.candidate_registered", "Ghi nhận đối tượng kết nạp", "Candidate registered";
        /// Kết nạp.
        Admitted = "member.admitted", "Kết nạp vào Đảng", "Admitted";
        /// Công nhận chính thức.
        MadeOfficial = "member.made_official", "Công nhận đảng viên chính thức", "Made official";
        /// Chuyển chi bộ.
        Moved = "member.moved", "Chuyển sinh hoạt đảng", "Moved to another cell";
        /// Ghi nhận hồ sơ.
        Registered = "member.registered", "Ghi nhận hồ sơ đảng viên", "Existing member registered";
        /// Nhập từ tệp.
        Imported = "member.imported", "Nhập hồ sơ từ tệp", "Imported from a spreadsheet";
        /// Giới thiệu chuyển sinh hoạt.
        TransferSent = "member.transfer_sent", "Giới thiệu chuyển sinh hoạt", "Transfer letter issued";
        /// Tiếp nhận.
        TransferAccepted = "member.transfer_accepted", "Tiếp nhận sinh hoạt đảng", "Transfer accepted";
        /// Trả lại.
        TransferReturned = "member.transfer_returned", "Trả lại, không tiếp nhận", "Transfer refused, returned";
        /// Miễn sinh hoạt.
        Exempted = "member.exempted", "Miễn sinh hoạt", "Exempted";
        /// Đình chỉ sinh hoạt.
        Suspended = "member.suspended", "Đình chỉ sinh hoạt", "Suspended";
        /// Trở lại sinh hoạt.
        Reinstated = "member.reinstated", "Trở lại sinh hoạt", "Reinstated";
        /// Chuyển ra ngoài.
        TransferredOut = "member.transferred_out", "Chuyển sinh hoạt ra ngoài", "Transferred out";
        /// Xóa tên.
        StruckOff = "member.struck_off", "Xóa tên", "Struck off";
        /// Khai trừ.
        Expelled = "member.expelled", "Khai trừ", "Expelled";
        /// Ra khỏi Đảng.
        Left = "member.left", "Ra khỏi Đảng", "Left the party";
        /// Từ trần.
        Died = "member.died", "Từ trần", "Died";
    }
}

impl MemberAction {
    /// The action recording a dated event.
    pub fn of_change(c: &MemberChange) -> MemberAction {
        match c {
            MemberChange::CandidateRegistered { .. } => MemberAction::CandidateRegistered,
            MemberChange::Admitted { .. } => MemberAction::Admitted,
            MemberChange::MadeOfficial => MemberAction::MadeOfficial,
            MemberChange::Moved { .. } => MemberAction::Moved,
            MemberChange::Registered { .. } => MemberAction::Registered,
            MemberChange::Imported { .. } => MemberAction::Imported,
            MemberChange::TransferSent => MemberAction::TransferSent,
            MemberChange::TransferAccepted { .. } => MemberAction::TransferAccepted,
            MemberChange::TransferReturned => MemberAction::TransferReturned,
            MemberChange::Exempted => MemberAction::Exempted,
            MemberChange::Suspended => MemberAction::Suspended,
            MemberChange::Reinstated => MemberAction::Reinstated,
            MemberChange::TransferredOut => MemberAction::TransferredOut,
            MemberChange::StruckOff => MemberAction::StruckOff,
            MemberChange::Expelled => MemberAction::Expelled,
            MemberChange::Left => MemberAction::Left,
            MemberChange::Died => MemberAction::Died,
        }
    }
}

crate::audit_actions! {
    /// What an import does.
    ImportAction for MemberImport {
        /// Nhập đảng viên từ tệp.
        Import = "member.import", "Nhập đảng viên từ tệp", "Members imported from a spreadsheet";
        /// Nạp hàng loạt: the operator's load of a whole database (demonstration, generator).
        BulkLoad = "member.bulk_load", "Nạp dữ liệu hàng loạt vào cơ sở dữ liệu trống", "Bulk load into an empty database";
    }
}

/// How a member's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::new("profile.full_name", "Họ và tên", "Full name", FieldKind::Text),
    AuditField::new("profile.other_name", "Tên gọi khác", "Other name", FieldKind::Text),
    AuditField::new("profile.gender", "Giới tính", "Gender", FieldKind::Code(Gender::code_label)),
    AuditField::new("profile.birth_date", "Ngày sinh", "Date of birth", FieldKind::Date),
    AuditField::new("profile.birth_place", "Nơi sinh", "Place of birth", FieldKind::Text).personal(),
    AuditField::new("profile.home_town", "Quê quán", "Home town", FieldKind::Text).personal(),
    AuditField::new("profile.ethnicity", "Dân tộc", "Ethnicity", FieldKind::Text),
    AuditField::new("profile.religion", "Tôn giáo", "Religion", FieldKind::Text),
    AuditField::new("profile.permanent_address", "Nơi thường trú", "Permanent residence", FieldKind::Text).personal(),
    AuditField::new("profile.current_address", "Nơi ở hiện nay", "Current residence", FieldKind::Text).personal(),
    AuditField::new("profile.phone", "Số điện thoại", "Phone", FieldKind::Text).personal(),
    AuditField::new("profile.email", "Thư điện tử", "E-mail", FieldKind::Text).personal(),
    AuditField::new("profile.cccd", "Số CCCD", "National ID (CCCD)", FieldKind::Text).personal(),
    AuditField::new("profile.card_number", "Số thẻ đảng viên", "Party card number", FieldKind::Text).personal(),
    AuditField::new("profile.occupation", "Nghề nghiệp", "Occupation", FieldKind::Text),
    AuditField::new("profile.general_education", "Giáo dục phổ thông", "General education", FieldKind::Text),
    AuditField::new("profile.professional_education", "Chuyên môn, nghiệp vụ", "Professional education", FieldKind::Code(Education::code_label)),
    AuditField::new("profile.political_theory", "Lý luận chính trị", "Political theory", FieldKind::Code(PoliticalTheory::code_label)),
    AuditField::new("profile.party_position", "Chức vụ Đảng", "Party position", FieldKind::Text),
    AuditField::new("profile.government_position", "Chức vụ chính quyền, đoàn thể", "Government position", FieldKind::Text),
    AuditField::new("org_id", "Chi bộ", "Cell", FieldKind::Org),
    // The cell's name at the time, beside its key: the key is what is shown, by today's name.
    AuditField::hidden("org_name"),
    AuditField::new("status", "Trạng thái", "Status", FieldKind::Code(MemberStatus::code_label)),
    AuditField::new("admitted_on", "Ngày vào Đảng", "Date admitted", FieldKind::Date),
    AuditField::new("official_on", "Ngày chính thức", "Date made official", FieldKind::Date),
    AuditField::hidden("version"),
    AuditField::new("elsewhere", "Đang sinh hoạt ở nơi khác", "Attending elsewhere", FieldKind::Bool),
];

/// How an import's fields read.
pub const IMPORT_FIELDS: &[AuditField] = &[
    AuditField::new("file_name", "Tên tệp", "File name", FieldKind::Text),
    AuditField::new("rows", "Số dòng trong tệp", "Rows in the file", FieldKind::Number),
    AuditField::new("imported", "Số đảng viên đã nhập", "Members imported", FieldKind::Number),
    AuditField::new("sha256", "Mã kiểm tra của tệp (SHA-256)", "File checksum (SHA-256)", FieldKind::Text),
    AuditField::hidden("import_id"),
    // A bulk load.
    AuditField::new("orgs", "Số tổ chức", "Organizations", FieldKind::Number),
    AuditField::new("members", "Số đảng viên", "Members", FieldKind::Number),
    AuditField::new("member_events", "Số sự kiện của đảng viên", "Member events", FieldKind::Number),
];
