//! Error codes that cross every boundary (store, web, API, CLI) with their Vietnamese and
//! English texts. One catalogue: the exhaustive matches below make a missing text a compile
//! error rather than a blank message on a secretary's screen.

use serde::Serialize;
use std::fmt;

/// The language a message is rendered in; Vietnamese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

/// A stable, machine-readable error code (`member_cccd_taken`), rendered per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required field is empty.
    Required,
    /// Text longer than allowed (counted in graphemes).
    TooLong,
    /// A value outside a fixed list.
    InvalidChoice,
    /// A date that cannot be read.
    DateFormat,
    /// A date after today.
    DateInFuture,
    /// A date before the member's birth.
    DateBeforeBirth,
    /// A date before another date it must follow.
    DateBeforeOther,
    /// A birth date that makes no sense for a party member.
    BirthDateImplausible,
    /// CCCD must be exactly 12 digits.
    CccdFormat,
    /// Party card number format.
    CardNumberFormat,
    /// Organization code format.
    OrgCodeFormat,
    /// Another member already has this CCCD.
    MemberCccdTaken,
    /// Another member already has this party card number.
    MemberCardNumberTaken,
    /// Another organization already has this code.
    OrgCodeTaken,
    /// The record was changed by someone else since it was read.
    StaleVersion,
    /// No such record in the user's scope.
    NotFound,
    /// The event cannot follow the member's current status.
    TransitionNotAllowed,
    /// A candidate outside the age limits (counted in months).
    CandidateAge,
    /// The awareness-course certificate is no longer valid.
    CertificateExpired,
    /// The two introducers are the same person, or the candidate.
    IntroducersDistinct,
    /// An introducer who is not an official member of long enough standing.
    IntroducerNotOfficial,
    /// An introducer from another cell and another workplace.
    IntroducerNotShared,
    /// An introducer who has not known the candidate long enough.
    IntroducerNotKnownLongEnough,
    /// More votes than official members.
    VoteCounts,
    /// A vote short of the required share.
    VoteBelowThreshold,
    /// An admission step out of order.
    StepOutOfOrder,
    /// The candidate file lacks a document the next step needs.
    FileIncomplete,
    /// A standing that the party dates given contradict.
    StatusDatesDisagree,
    /// A vote on a day the cell has no official member.
    CellHasNoOfficial,
    /// A recognition vote before probation ends.
    ProbationNotOver,
    /// A month that cannot be read.
    MonthFormat,
    /// Fees paid beyond the letter's month.
    FeesAfterLetter,
    /// A temporary transfer longer than the rules allow.
    TemporaryTooLong,
    /// A transfer to the cell the member is in.
    TransferSameOrg,
    /// A transfer no longer waiting for an answer.
    TransferAnswered,
    /// A residence cell equal to the member's own cell.
    ResidenceSameCell,
    /// Members belong to cells only.
    OrgNotCell,
    /// The organization does not exist (yet, or any more) on the date.
    OrgNotActiveOnDate,
    /// The kind of organization cannot sit under the chosen parent.
    ParentKindNotAllowed,
    /// Moving an organization under itself or its own descendant.
    OrgCycle,
    /// Dissolving an organization that still has active sub-organizations.
    OrgHasChildren,
    /// Dissolving an organization that still has members.
    OrgHasMembers,
    /// An event before the record's founding or first event.
    EventBeforeStart,
    /// The user may read but not change this.
    ReadOnlyScope,
    /// A top organization founded without the whole tree's rights.
    TopOrgNeedsWholeTree,
    /// A plain move into a cell under another committee (it is a transfer).
    MoveNeedsTransfer,
    /// A temporary transfer shorter than the rules' minimum.
    TemporaryTooShort,
    /// An organization name or code matches several organizations.
    OrgAmbiguous,
    /// Another account already has this login.
    LoginTaken,
    /// A login name with characters outside the allowed set.
    LoginFormat,
    /// A password shorter than the minimum.
    PasswordTooShort,
    /// Wrong login or password (deliberately not saying which).
    LoginFailed,
    /// Too many failed logins; wait before trying again.
    LoginThrottled,
    /// The account may not create or manage an account of this role.
    RoleNotAllowed,
    /// A role other than system administrator needs an organization (or a member).
    RoleNeedsOrg,
    /// Disabling the last active system administrator would leave no one to manage accounts.
    LastAdmin,
    /// Text with a NUL, a control character or another character that cannot be shown.
    TextUnprintable,
    /// Text made only of invisible characters (zero-width spaces and the like).
    TextInvisible,
    /// A phone number that cannot be dialled.
    PhoneFormat,
    /// An e-mail address without the shape of one.
    EmailFormat,
    /// An import row names a cell that is not a cell inside the target organization.
    ImportUnknownCell,
    /// An import row repeats another row of the same file.
    ImportDuplicateInFile,
    /// An import row probably repeats a member already recorded.
    ImportDuplicateExisting,
    /// The same file was already imported into the same organization.
    ImportAlreadyDone,
    /// The uploaded file cannot be read as a spreadsheet or CSV.
    ImportUnreadable,
    /// A column the import needs is not mapped.
    ImportMissingColumn,
    /// A position that organizations of this kind do not have.
    PositionNotInOrg,
    /// A date outside the term it belongs to.
    DateOutsideTerm,
    /// A change to a term that has ended.
    TermClosed,
    /// A term that overlaps another term of the same organization.
    TermOverlaps,
    /// A number outside its range.
    NumberRange,
    /// A file larger than the rules allow.
    FileTooLarge,
    /// A file that is not a PDF or DOCX document.
    FileType,
    /// A single position already held on the date.
    SeatTaken,
    /// A member who is not in the organization on the date.
    SeatHolderOutside,
    /// A time of day that cannot be read.
    TimeFormat,
    /// A kind of meeting the organization does not hold.
    MeetingKindNotInOrg,
    /// More votes than official members present.
    VotesAbovePresent,
    /// A change the meeting's state does not allow.
    MeetingState,
    /// Fewer present than the quorum.
    QuorumNotMet,
    /// A meeting rated by someone who is not of the level above.
    RateByUpperLevel,
}

impl ErrorCode {
    /// The stable code string used in APIs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::InvalidChoice => "invalid_choice",
            Self::DateFormat => "date_format",
            Self::DateInFuture => "date_in_future",
            Self::DateBeforeBirth => "date_before_birth",
            Self::DateBeforeOther => "date_before_other",
            Self::BirthDateImplausible => "birth_date_implausible",
            Self::CccdFormat => "cccd_format",
            Self::CardNumberFormat => "card_number_format",
            Self::OrgCodeFormat => "org_code_format",
            Self::MemberCccdTaken => "member_cccd_taken",
            Self::MemberCardNumberTaken => "member_card_number_taken",
            Self::OrgCodeTaken => "org_code_taken",
            Self::StaleVersion => "stale_version",
            Self::NotFound => "not_found",
            Self::TransitionNotAllowed => "transition_not_allowed",
            Self::CandidateAge => "candidate_age",
            Self::CertificateExpired => "certificate_expired",
            Self::IntroducersDistinct => "introducers_distinct",
            Self::IntroducerNotOfficial => "introducer_not_official",
            Self::IntroducerNotShared => "introducer_not_shared",
            Self::IntroducerNotKnownLongEnough => "introducer_not_known_long_enough",
            Self::VoteCounts => "vote_counts",
            Self::VoteBelowThreshold => "vote_below_threshold",
            Self::StepOutOfOrder => "step_out_of_order",
            Self::FileIncomplete => "file_incomplete",
            Self::StatusDatesDisagree => "status_dates_disagree",
            Self::CellHasNoOfficial => "cell_has_no_official",
            Self::ProbationNotOver => "probation_not_over",
            Self::MonthFormat => "month_format",
            Self::FeesAfterLetter => "fees_after_letter",
            Self::TemporaryTooLong => "temporary_too_long",
            Self::TransferSameOrg => "transfer_same_org",
            Self::TransferAnswered => "transfer_answered",
            Self::ResidenceSameCell => "residence_same_cell",
            Self::OrgNotCell => "org_not_cell",
            Self::OrgNotActiveOnDate => "org_not_active_on_date",
            Self::ParentKindNotAllowed => "parent_kind_not_allowed",
            Self::OrgCycle => "org_cycle",
            Self::OrgHasChildren => "org_has_children",
            Self::OrgHasMembers => "org_has_members",
            Self::EventBeforeStart => "event_before_start",
            Self::ReadOnlyScope => "read_only_scope",
            Self::TopOrgNeedsWholeTree => "top_org_needs_whole_tree",
            Self::MoveNeedsTransfer => "move_needs_transfer",
            Self::TemporaryTooShort => "temporary_too_short",
            Self::OrgAmbiguous => "org_ambiguous",
            Self::LoginTaken => "login_taken",
            Self::LoginFormat => "login_format",
            Self::PasswordTooShort => "password_too_short",
            Self::LoginFailed => "login_failed",
            Self::LoginThrottled => "login_throttled",
            Self::RoleNotAllowed => "role_not_allowed",
            Self::RoleNeedsOrg => "role_needs_org",
            Self::LastAdmin => "last_admin",
            Self::TextUnprintable => "text_unprintable",
            Self::TextInvisible => "text_invisible",
            Self::PhoneFormat => "phone_format",
            Self::EmailFormat => "email_format",
            Self::ImportUnknownCell => "import_unknown_cell",
            Self::ImportDuplicateInFile => "import_duplicate_in_file",
            Self::ImportDuplicateExisting => "import_duplicate_existing",
            Self::ImportAlreadyDone => "import_already_done",
            Self::ImportUnreadable => "import_unreadable",
            Self::ImportMissingColumn => "import_missing_column",
            Self::PositionNotInOrg => "position_not_in_org",
            Self::DateOutsideTerm => "date_outside_term",
            Self::TermClosed => "term_closed",
            Self::TermOverlaps => "term_overlaps",
            Self::NumberRange => "number_range",
            Self::FileTooLarge => "file_too_large",
            Self::FileType => "file_type",
            Self::SeatTaken => "seat_taken",
            Self::SeatHolderOutside => "seat_holder_outside",
            Self::TimeFormat => "time_format",
            Self::MeetingKindNotInOrg => "meeting_kind_not_in_org",
            Self::VotesAbovePresent => "votes_above_present",
            Self::MeetingState => "meeting_state",
            Self::QuorumNotMet => "quorum_not_met",
            Self::RateByUpperLevel => "rate_by_upper_level",
        }
    }

    /// The message template; `{name}` placeholders are filled from the error's parameters.
    pub fn template(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Required, Lang::Vi) => "không được để trống",
            (Self::Required, Lang::En) => "must not be empty",
            (Self::TooLong, Lang::Vi) => "dài quá {max} ký tự",
            (Self::TooLong, Lang::En) => "longer than {max} characters",
            (Self::InvalidChoice, Lang::Vi) => "giá trị «{value}» không có trong danh mục",
            (Self::InvalidChoice, Lang::En) => "value «{value}» is not in the list",
            (Self::DateFormat, Lang::Vi) => "ngày «{value}» không hợp lệ, hãy nhập theo dạng dd/mm/yyyy",
            (Self::DateFormat, Lang::En) => "date «{value}» is not valid, use dd/mm/yyyy",
            (Self::DateInFuture, Lang::Vi) => "ngày {date} ở tương lai (hôm nay là {today})",
            (Self::DateInFuture, Lang::En) => "date {date} is in the future (today is {today})",
            (Self::DateBeforeBirth, Lang::Vi) => "ngày {date} trước ngày sinh của đảng viên ({birth})",
            (Self::DateBeforeBirth, Lang::En) => "date {date} is before the member's birth ({birth})",
            (Self::DateBeforeOther, Lang::Vi) => "ngày {date} không được trước {other} ({other_date})",
            (Self::DateBeforeOther, Lang::En) => "date {date} must not be before {other} ({other_date})",
            (Self::BirthDateImplausible, Lang::Vi) => "ngày sinh {date} không hợp lý: đảng viên phải từ {min_age} tuổi trở lên",
            (Self::BirthDateImplausible, Lang::En) => "birth date {date} is implausible: members are at least {min_age} years old",
            (Self::CccdFormat, Lang::Vi) => "số CCCD phải gồm đúng 12 chữ số (đang có {len} ký tự)",
            (Self::CccdFormat, Lang::En) => "a CCCD number has exactly 12 digits (got {len} characters)",
            (Self::CardNumberFormat, Lang::Vi) => "số thẻ đảng viên chỉ gồm chữ số, từ 6 đến 12 số",
            (Self::CardNumberFormat, Lang::En) => "a party card number has 6 to 12 digits only",
            (Self::OrgCodeFormat, Lang::Vi) => "mã tổ chức chỉ gồm chữ không dấu, chữ số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự)",
            (Self::OrgCodeFormat, Lang::En) => "an organization code has ASCII letters, digits, dots or dashes (at most 40)",
            (Self::MemberCccdTaken, Lang::Vi) => "số CCCD này đã có ở một đảng viên khác",
            (Self::MemberCccdTaken, Lang::En) => "another member already has this CCCD number",
            (Self::MemberCardNumberTaken, Lang::Vi) => "số thẻ đảng viên này đã có ở một đảng viên khác",
            (Self::MemberCardNumberTaken, Lang::En) => "another member already has this party card number",
            (Self::OrgCodeTaken, Lang::Vi) => "mã tổ chức «{value}» đã được dùng",
            (Self::OrgCodeTaken, Lang::En) => "organization code «{value}» is already used",
            (Self::StaleVersion, Lang::Vi) => {
                "bản ghi đã được người khác sửa sau khi bạn mở (phiên bản {expected}, hiện tại {actual}); hãy tải lại rồi sửa lại"
            }
            (Self::StaleVersion, Lang::En) => {
                "the record was changed by someone else after you opened it (version {expected}, now {actual}); reload and edit again"
            }
            (Self::NotFound, Lang::Vi) => "không tìm thấy bản ghi",
            (Self::NotFound, Lang::En) => "record not found",
            (Self::TransitionNotAllowed, Lang::Vi) => "không thể ghi «{event}» khi đảng viên đang ở trạng thái «{status}»",
            (Self::TransitionNotAllowed, Lang::En) => "cannot record «{event}» while the member is «{status}»",
            (Self::CandidateAge, Lang::Vi) => "người vào Đảng phải từ đủ {min} tuổi đến đủ {max} tuổi (tính theo tháng); ngày {date} người này {age}",
            (Self::CandidateAge, Lang::En) => "a candidate must be between {min} and {max} years old (counted in months); on {date} this person is {age}",
            (Self::CertificateExpired, Lang::Vi) => "giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày {date} đã hết giá trị từ ngày {expired}",
            (Self::CertificateExpired, Lang::En) => "the party awareness course certificate of {date} expired on {expired}",
            (Self::IntroducersDistinct, Lang::Vi) => "hai người giới thiệu phải là hai đảng viên khác nhau và không phải chính người vào Đảng",
            (Self::IntroducersDistinct, Lang::En) => "the two introducers must be two different members, neither of them the candidate",
            (Self::IntroducerNotOfficial, Lang::Vi) => "người giới thiệu «{name}» chưa là đảng viên chính thức đủ {months} tháng vào ngày {date}",
            (Self::IntroducerNotOfficial, Lang::En) => "introducer «{name}» has not been an official member for {months} months on {date}",
            (Self::IntroducerNotShared, Lang::Vi) => "người giới thiệu «{name}» không cùng chi bộ và không cùng đơn vị công tác với người vào Đảng",
            (Self::IntroducerNotShared, Lang::En) => "introducer «{name}» shares neither the cell nor the workplace with the candidate",
            (Self::IntroducerNotKnownLongEnough, Lang::Vi) => {
                "người giới thiệu «{name}» phải quen biết và cùng công tác với người vào Đảng ít nhất {months} tháng"
            }
            (Self::IntroducerNotKnownLongEnough, Lang::En) => "introducer «{name}» must have known and worked with the candidate for at least {months} months",
            (Self::VoteCounts, Lang::Vi) => "số phiếu tán thành và không tán thành ({sum}) nhiều hơn số đảng viên chính thức của chi bộ ({total})",
            (Self::VoteCounts, Lang::En) => "votes for and against ({sum}) exceed the cell's official members ({total})",
            (Self::VoteBelowThreshold, Lang::Vi) => "{for}/{total} đảng viên chính thức tán thành, chưa đạt {share} (cần ít nhất {needed})",
            (Self::VoteBelowThreshold, Lang::En) => "{for} of {total} official members in favour, short of {share} (at least {needed} needed)",
            (Self::StepOutOfOrder, Lang::Vi) => "chưa thể ghi «{step}»: hồ sơ đang ở bước «{stage}»",
            (Self::StepOutOfOrder, Lang::En) => "cannot record «{step}»: the case is at «{stage}»",
            (Self::StatusDatesDisagree, Lang::Vi) => "trạng thái «{status}» không khớp: {why}",
            (Self::StatusDatesDisagree, Lang::En) => "status «{status}» does not fit: {why}",
            (Self::FileIncomplete, Lang::Vi) => "hồ sơ chưa đủ để chi bộ xét: chưa có mục này",
            (Self::FileIncomplete, Lang::En) => "the file is not complete for the cell's vote: this is missing",
            (Self::CellHasNoOfficial, Lang::Vi) => "ngày {date} chi bộ không có đảng viên chính thức nào để biểu quyết; hãy kiểm tra ngày",
            (Self::CellHasNoOfficial, Lang::En) => "on {date} the cell has no official member to vote; check the date",
            (Self::ProbationNotOver, Lang::Vi) => "ngày {date} chưa hết thời gian dự bị (hết ngày {ends})",
            (Self::ProbationNotOver, Lang::En) => "on {date} probation has not ended (it ends on {ends})",
            (Self::MonthFormat, Lang::Vi) => "«{value}» không phải là tháng; hãy ghi dạng mm/yyyy, ví dụ 10/2026",
            (Self::MonthFormat, Lang::En) => "«{value}» is not a month; write mm/yyyy, e.g. 10/2026",
            (Self::FeesAfterLetter, Lang::Vi) => "đảng phí không thể đóng đến tháng {month}, sau ngày giới thiệu {date}",
            (Self::FeesAfterLetter, Lang::En) => "fees cannot be paid through {month}, after the letter of {date}",
            (Self::TemporaryTooLong, Lang::Vi) => "sinh hoạt tạm thời tối đa {months} tháng, tức là đến ngày {max}",
            (Self::TemporaryTooLong, Lang::En) => "a temporary transfer lasts at most {months} months, that is until {max}",
            (Self::TransferSameOrg, Lang::Vi) => "tổ chức nhận phải khác chi bộ đảng viên đang sinh hoạt",
            (Self::TransferSameOrg, Lang::En) => "the receiving organization must differ from the member's cell",
            (Self::TransferAnswered, Lang::Vi) => "giấy giới thiệu này không còn chờ tiếp nhận (đang ở trạng thái «{state}»)",
            (Self::TransferAnswered, Lang::En) => "this transfer is no longer waiting (it is «{state}»)",
            (Self::ResidenceSameCell, Lang::Vi) => "chi bộ nơi cư trú phải khác chi bộ nơi đảng viên sinh hoạt và khác chi bộ nơi cư trú đang ghi",
            (Self::ResidenceSameCell, Lang::En) => "the residence cell must differ from the member's own cell and from the one already recorded",
            (Self::OrgNotCell, Lang::Vi) => "«{org}» không phải là chi bộ; đảng viên chỉ sinh hoạt ở chi bộ",
            (Self::OrgNotCell, Lang::En) => "«{org}» is not a cell; members belong to cells",
            (Self::OrgNotActiveOnDate, Lang::Vi) => "tổ chức «{org}» không hoạt động vào ngày {date}",
            (Self::OrgNotActiveOnDate, Lang::En) => "organization «{org}» does not exist on {date}",
            (Self::ParentKindNotAllowed, Lang::Vi) => "{kind} không thể trực thuộc {parent_kind}",
            (Self::ParentKindNotAllowed, Lang::En) => "a {kind} cannot sit under a {parent_kind}",
            (Self::OrgCycle, Lang::Vi) => "không thể chuyển một tổ chức vào chính nó hoặc đơn vị cấp dưới của nó",
            (Self::OrgCycle, Lang::En) => "an organization cannot be moved under itself or its own sub-organization",
            (Self::OrgHasChildren, Lang::Vi) => "tổ chức còn {count} đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể chúng trước",
            (Self::OrgHasChildren, Lang::En) => "the organization still has {count} active sub-organizations; move or dissolve them first",
            (Self::OrgHasMembers, Lang::Vi) => "tổ chức còn {count} đảng viên đang sinh hoạt; hãy chuyển sinh hoạt cho họ trước",
            (Self::OrgHasMembers, Lang::En) => "the organization still has {count} members; transfer them first",
            (Self::EventBeforeStart, Lang::Vi) => "ngày {date} trước ngày bắt đầu của hồ sơ ({start})",
            (Self::EventBeforeStart, Lang::En) => "date {date} is before the record starts ({start})",
            (Self::ReadOnlyScope, Lang::Vi) => "bạn chỉ có quyền xem, không có quyền sửa",
            (Self::ReadOnlyScope, Lang::En) => "you may view but not change this",
            (Self::TopOrgNeedsWholeTree, Lang::Vi) => "chỉ người quản trị toàn hệ thống mới thành lập được tổ chức cấp trên cùng",
            (Self::TopOrgNeedsWholeTree, Lang::En) => "only the administrator of the whole system may found a top organization",
            (Self::MoveNeedsTransfer, Lang::Vi) => {
                "chi bộ «{cell}» thuộc đảng bộ khác: chuyển sang đó phải làm thủ tục chuyển sinh hoạt đảng (giấy giới thiệu, bên nhận tiếp nhận), không ghi như một lần chuyển chi bộ trong đảng bộ"
            }
            (Self::MoveNeedsTransfer, Lang::En) => {
                "the cell «{cell}» is under another committee: a move there is a party transfer (with its letter), not a plain move"
            }
            (Self::TemporaryTooShort, Lang::Vi) => "sinh hoạt tạm thời ít nhất {months} tháng, tức là đến ngày {min} trở đi",
            (Self::TemporaryTooShort, Lang::En) => "a temporary transfer lasts at least {months} months, that is until {min} or later",
            (Self::OrgAmbiguous, Lang::Vi) => "«{value}» khớp với nhiều tổ chức: {candidates}",
            (Self::OrgAmbiguous, Lang::En) => "«{value}» matches several organizations: {candidates}",
            (Self::LoginTaken, Lang::Vi) => "tên đăng nhập «{value}» đã có người dùng",
            (Self::LoginTaken, Lang::En) => "login «{value}» is already taken",
            (Self::LoginFormat, Lang::Vi) => "tên đăng nhập gồm 3 đến 40 chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới",
            (Self::LoginFormat, Lang::En) => "a login has 3 to 40 lowercase ASCII letters, digits, dots, dashes or underscores",
            (Self::PasswordTooShort, Lang::Vi) => "mật khẩu phải có ít nhất {min} ký tự",
            (Self::PasswordTooShort, Lang::En) => "a password has at least {min} characters",
            (Self::LoginFailed, Lang::Vi) => "tên đăng nhập hoặc mật khẩu không đúng",
            (Self::LoginFailed, Lang::En) => "wrong login or password",
            (Self::LoginThrottled, Lang::Vi) => "đăng nhập sai quá nhiều lần; hãy thử lại sau {wait}",
            (Self::LoginThrottled, Lang::En) => "too many failed logins; try again in {wait}",
            (Self::RoleNotAllowed, Lang::Vi) => "bạn không được tạo hoặc quản lý tài khoản có vai trò «{role}»",
            (Self::RoleNotAllowed, Lang::En) => "you may not create or manage an account with role «{role}»",
            (Self::RoleNeedsOrg, Lang::Vi) => "vai trò «{role}» phải gắn với một tổ chức hoặc một đảng viên",
            (Self::RoleNeedsOrg, Lang::En) => "role «{role}» must be attached to an organization or a member",
            (Self::LastAdmin, Lang::Vi) => "không thể khóa quản trị viên hệ thống cuối cùng còn hoạt động; hãy mở hoặc tạo một tài khoản quản trị khác trước",
            (Self::LastAdmin, Lang::En) => "the last active system administrator cannot be disabled; enable or create another administrator first",
            (Self::TextUnprintable, Lang::Vi) => "có ký tự điều khiển hoặc ký tự không hiển thị được (vị trí {position}); hãy gõ lại",
            (Self::TextUnprintable, Lang::En) => "contains a control or unprintable character (at position {position}); type it again",
            (Self::TextInvisible, Lang::Vi) => "chỉ gồm ký tự vô hình; hãy nhập nội dung thật hoặc để trống",
            (Self::TextInvisible, Lang::En) => "contains only invisible characters; type real text or leave it empty",
            (Self::PhoneFormat, Lang::Vi) => "số điện thoại gồm 9 đến 11 chữ số, có thể bắt đầu bằng +84",
            (Self::PhoneFormat, Lang::En) => "a phone number has 9 to 11 digits, optionally starting with +84",
            (Self::EmailFormat, Lang::Vi) => "địa chỉ thư điện tử «{value}» không hợp lệ",
            (Self::EmailFormat, Lang::En) => "e-mail address «{value}» is not valid",
            (Self::ImportUnknownCell, Lang::Vi) => "không có chi bộ «{value}» thuộc «{org}»",
            (Self::ImportUnknownCell, Lang::En) => "there is no cell «{value}» under «{org}»",
            (Self::ImportDuplicateInFile, Lang::Vi) => "trùng {what} với dòng {row} trong tệp",
            (Self::ImportDuplicateInFile, Lang::En) => "same {what} as row {row} of the file",
            (Self::ImportDuplicateExisting, Lang::Vi) => "có thể trùng với đảng viên đã có: {member} (cùng {what})",
            (Self::ImportDuplicateExisting, Lang::En) => "probably the member already recorded: {member} (same {what})",
            (Self::ImportAlreadyDone, Lang::Vi) => "tệp «{file}» đã được nhập vào «{org}» ngày {date} ({rows} đảng viên); không nhập lại",
            (Self::ImportAlreadyDone, Lang::En) => "file «{file}» was already imported into «{org}» on {date} ({rows} members); not imported again",
            (Self::ImportUnreadable, Lang::Vi) => "không đọc được tệp «{file}»: {reason}",
            (Self::ImportUnreadable, Lang::En) => "cannot read file «{file}»: {reason}",
            (Self::ImportMissingColumn, Lang::Vi) => "chưa chọn cột cho «{column}»",
            (Self::ImportMissingColumn, Lang::En) => "no column chosen for «{column}»",
            (Self::PositionNotInOrg, Lang::Vi) => "{kind} không có chức vụ «{position}»",
            (Self::PositionNotInOrg, Lang::En) => "an organization of kind {kind} has no position «{position}»",
            (Self::DateOutsideTerm, Lang::Vi) => "ngày {date} nằm ngoài {term}",
            (Self::DateOutsideTerm, Lang::En) => "date {date} is outside {term}",
            (Self::TermClosed, Lang::Vi) => "{term} đã kết thúc",
            (Self::TermClosed, Lang::En) => "{term} has ended",
            (Self::TermOverlaps, Lang::Vi) => "tổ chức đang có {term} từ ngày {date}; hãy kết thúc nhiệm kỳ đó trước",
            (Self::TermOverlaps, Lang::En) => "the organization has {term} since {date}; end it first",
            (Self::NumberRange, Lang::Vi) => "«{value}» phải là số từ {min} đến {max}",
            (Self::NumberRange, Lang::En) => "«{value}» must be a number from {min} to {max}",
            (Self::FileTooLarge, Lang::Vi) => "tệp {size} KB, vượt quá {max} KB",
            (Self::FileTooLarge, Lang::En) => "the file is {size} KB, above {max} KB",
            (Self::FileType, Lang::Vi) => "tệp «{value}» không phải văn bản PDF hoặc DOCX",
            (Self::FileType, Lang::En) => "file «{value}» is not a PDF or DOCX document",
            (Self::SeatTaken, Lang::Vi) => "chức vụ «{position}» đang do đồng chí {name} đảm nhiệm từ ngày {date}; hãy ghi thôi giữ chức trước",
            (Self::SeatTaken, Lang::En) => "position «{position}» is held by {name} since {date}; end that first",
            (Self::SeatHolderOutside, Lang::Vi) => {
                "ngày {date} đồng chí {name} không sinh hoạt trong {org}; chỉ người được cấp trên chỉ định mới có thể giữ chức vụ ở tổ chức mình không sinh hoạt"
            }
            (Self::SeatHolderOutside, Lang::En) => "on {date} {name} is not a member of {org}; only someone appointed from above may hold a position there",
            (Self::TimeFormat, Lang::Vi) => "giờ «{value}» không đúng dạng giờ:phút (ví dụ 19:30)",
            (Self::TimeFormat, Lang::En) => "time «{value}» is not hh:mm (e.g. 19:30)",
            (Self::MeetingKindNotInOrg, Lang::Vi) => "{kind} không tổ chức «{meeting}»",
            (Self::MeetingKindNotInOrg, Lang::En) => "an organization of kind {kind} does not hold «{meeting}»",
            (Self::VotesAbovePresent, Lang::Vi) => "tổng số phiếu ({votes}) nhiều hơn số đảng viên chính thức có mặt ({present})",
            (Self::VotesAbovePresent, Lang::En) => "{votes} votes, more than the {present} official members present",
            (Self::MeetingState, Lang::Vi) => "cuộc họp {state}: {why}",
            (Self::MeetingState, Lang::En) => "not allowed while the meeting is «{state}»: {why}",
            (Self::QuorumNotMet, Lang::Vi) => "cuộc họp chỉ có {present}/{convened} đảng viên dự, cần ít nhất {needed} mới đủ số lượng để biên bản có giá trị",
            (Self::QuorumNotMet, Lang::En) => "only {present} of {convened} present; {needed} needed for the minutes to be valid",
            (Self::RateByUpperLevel, Lang::Vi) => "chất lượng sinh hoạt do cấp ủy cấp trên đánh giá",
            (Self::RateByUpperLevel, Lang::En) => "the quality of a meeting is rated by the committee above",
        }
    }

    /// Every code, for catalogue tests and documentation.
    pub const ALL: &'static [ErrorCode] = &[
        Self::Required,
        Self::TooLong,
        Self::InvalidChoice,
        Self::DateFormat,
        Self::DateInFuture,
        Self::DateBeforeBirth,
        Self::DateBeforeOther,
        Self::BirthDateImplausible,
        Self::CccdFormat,
        Self::CardNumberFormat,
        Self::OrgCodeFormat,
        Self::MemberCccdTaken,
        Self::MemberCardNumberTaken,
        Self::OrgCodeTaken,
        Self::StaleVersion,
        Self::NotFound,
        Self::TransitionNotAllowed,
        Self::CandidateAge,
        Self::CertificateExpired,
        Self::IntroducersDistinct,
        Self::IntroducerNotOfficial,
        Self::IntroducerNotShared,
        Self::IntroducerNotKnownLongEnough,
        Self::VoteCounts,
        Self::VoteBelowThreshold,
        Self::StepOutOfOrder,
        Self::FileIncomplete,
        Self::StatusDatesDisagree,
        Self::CellHasNoOfficial,
        Self::ProbationNotOver,
        Self::MonthFormat,
        Self::FeesAfterLetter,
        Self::TemporaryTooLong,
        Self::TransferSameOrg,
        Self::TransferAnswered,
        Self::ResidenceSameCell,
        Self::OrgNotCell,
        Self::OrgNotActiveOnDate,
        Self::ParentKindNotAllowed,
        Self::OrgCycle,
        Self::OrgHasChildren,
        Self::OrgHasMembers,
        Self::EventBeforeStart,
        Self::ReadOnlyScope,
        Self::TopOrgNeedsWholeTree,
        Self::MoveNeedsTransfer,
        Self::TemporaryTooShort,
        Self::OrgAmbiguous,
        Self::LoginTaken,
        Self::LoginFormat,
        Self::PasswordTooShort,
        Self::LoginFailed,
        Self::LoginThrottled,
        Self::RoleNotAllowed,
        Self::RoleNeedsOrg,
        Self::LastAdmin,
        Self::TextUnprintable,
        Self::TextInvisible,
        Self::PhoneFormat,
        Self::EmailFormat,
        Self::ImportUnknownCell,
        Self::ImportDuplicateInFile,
        Self::ImportDuplicateExisting,
        Self::ImportAlreadyDone,
        Self::ImportUnreadable,
        Self::ImportMissingColumn,
        Self::PositionNotInOrg,
        Self::DateOutsideTerm,
        Self::TermClosed,
        Self::TermOverlaps,
        Self::NumberRange,
        Self::FileTooLarge,
        Self::FileType,
        Self::SeatTaken,
        Self::SeatHolderOutside,
        Self::TimeFormat,
        Self::MeetingKindNotInOrg,
        Self::VotesAbovePresent,
        Self::MeetingState,
        Self::QuorumNotMet,
        Self::RateByUpperLevel,
    ];
}

/// The Vietnamese (or English) label of a form field, so messages say which field is wrong.
pub fn field_label(field: &str, lang: Lang) -> &str {
    let (vi, en) = match field {
        "full_name" => ("Họ và tên", "Full name"),
        "other_name" => ("Tên gọi khác", "Other name"),
        "gender" => ("Giới tính", "Gender"),
        "birth_date" => ("Ngày sinh", "Date of birth"),
        "birth_place" => ("Nơi sinh", "Place of birth"),
        "home_town" => ("Quê quán", "Home town"),
        "ethnicity" => ("Dân tộc", "Ethnicity"),
        "religion" => ("Tôn giáo", "Religion"),
        "permanent_address" => ("Nơi thường trú", "Permanent residence"),
        "current_address" => ("Nơi ở hiện nay", "Current residence"),
        "cccd" => ("Số CCCD", "National ID (CCCD)"),
        "card_number" => ("Số thẻ đảng viên", "Party card number"),
        "occupation" => ("Nghề nghiệp", "Occupation"),
        "general_education" => ("Giáo dục phổ thông", "General education"),
        "professional_education" => ("Chuyên môn, nghiệp vụ", "Professional education"),
        "political_theory" => ("Lý luận chính trị", "Political theory"),
        "party_position" => ("Chức vụ Đảng", "Party position"),
        "government_position" => ("Chức vụ chính quyền, đoàn thể", "Government position"),
        "admitted_on" => ("Ngày vào Đảng", "Date admitted"),
        "official_on" => ("Ngày chính thức", "Date made official"),
        "org" => ("Chi bộ", "Cell"),
        "org_query" => ("Tổ chức", "Organization"),
        "status" => ("Trạng thái", "Status"),
        "event_date" => ("Ngày sự kiện", "Event date"),
        "event" => ("Sự kiện", "Event"),
        "decision_number" | "decision_no" => ("Số quyết định", "Decision number"),
        "certificate_no" => ("Số giấy chứng nhận bồi dưỡng nhận thức về Đảng", "Certificate number"),
        "certificate_on" => ("Ngày cấp giấy chứng nhận", "Certificate date"),
        "applied_on" => ("Ngày làm đơn xin vào Đảng", "Application date"),
        "background_on" => ("Ngày hoàn thành lý lịch", "Background form date"),
        "vetted_on" => ("Ngày thẩm tra lý lịch", "Vetting date"),
        "introducer_1" => ("Người giới thiệu thứ nhất", "First introducer"),
        "introducer_2" => ("Người giới thiệu thứ hai", "Second introducer"),
        "known_since_1" => ("Người giới thiệu thứ nhất quen biết từ", "First introducer known since"),
        "known_since_2" => ("Người giới thiệu thứ hai quen biết từ", "Second introducer known since"),
        "vote_on" => ("Ngày chi bộ biểu quyết", "Vote date"),
        "votes_for" => ("Số tán thành", "Votes for"),
        "votes_against" => ("Số không tán thành", "Votes against"),
        "decision_on" => ("Ngày quyết định", "Decision date"),
        "issued_by" => ("Cấp ủy ra quyết định", "Issuing committee"),
        "ceremony_on" => ("Ngày lễ kết nạp", "Ceremony date"),
        "step" => ("Bước", "Step"),
        "to_org" => ("Tổ chức nhận", "Receiving organization"),
        "destination" => ("Nơi đến", "Destination"),
        "letter_no" => ("Số giấy giới thiệu", "Letter number"),
        "letter_on" => ("Ngày giới thiệu", "Letter date"),
        "fees_paid_through" => ("Đã đóng đảng phí đến hết tháng", "Fees paid through"),
        "until" => ("Đến ngày", "Until"),
        "note" => ("Lý do, ghi chú", "Note"),
        "residence_cell" => ("Chi bộ nơi cư trú", "Residence cell"),
        "comment" => ("Nhận xét", "Comment"),
        "year" => ("Năm", "Year"),
        "answered_on" => ("Ngày tiếp nhận", "Date accepted"),
        "refused_on" => ("Ngày trả lời", "Date of the answer"),
        "ended_on" => ("Ngày kết thúc", "Date ended"),
        "transfer_kind" => ("Hình thức chuyển sinh hoạt", "Kind of transfer"),
        "state" => ("Trạng thái", "State"),
        "cell" => ("Chi bộ", "Cell"),
        "code" => ("Mã tổ chức", "Organization code"),
        "name" => ("Tên tổ chức", "Organization name"),
        "kind" => ("Cấp tổ chức", "Organization level"),
        "category" => ("Loại hình", "Category"),
        "parent" => ("Tổ chức cấp trên", "Parent organization"),
        "founded_on" => ("Ngày thành lập", "Date founded"),
        "version" => ("Phiên bản", "Version"),
        "login" => ("Tên đăng nhập", "Login"),
        "password" => ("Mật khẩu", "Password"),
        "role" => ("Vai trò", "Role"),
        "display_name" => ("Tên hiển thị", "Display name"),
        "phone" => ("Số điện thoại", "Phone"),
        "email" => ("Thư điện tử", "E-mail"),
        "file" => ("Tệp", "File"),
        "cell_code" => ("Mã chi bộ", "Cell code"),
        "mapping" => ("Ghép cột", "Column mapping"),
        "term_org" => ("Tổ chức", "Organization"),
        "term_start" => ("Ngày bắt đầu nhiệm kỳ", "Term start"),
        "term_planned_end" => ("Dự kiến kết thúc nhiệm kỳ", "Planned term end"),
        "term_pilot" => ("Thí điểm đại hội một lần trong nhiệm kỳ", "Pilot of one congress per term"),
        "term_planned_size" => ("Số lượng cấp ủy viên được duyệt", "Approved committee size"),
        "term_label" => ("Tên nhiệm kỳ", "Term name"),
        "term_end" => ("Ngày kết thúc nhiệm kỳ", "Term end"),
        "seat_member" => ("Đồng chí giữ chức", "Member"),
        "position" => ("Chức vụ", "Position"),
        "basis" => ("Hình thức", "Basis"),
        "seat_from" => ("Ngày nhận chức", "First day in the position"),
        "approved_on" => ("Ngày chuẩn y", "Approval date"),
        "approval_no" => ("Số quyết định chuẩn y", "Approval number"),
        "seat_until" => ("Thôi giữ chức từ ngày", "Ended on"),
        "seat_end" => ("Lý do thôi giữ chức", "Reason"),
        "post_member" => ("Đồng chí kiêm nhiệm", "Member"),
        "post_kind" => ("Chức danh kiêm nhiệm", "Concurrent post"),
        "post_place" => ("Nơi đảm nhiệm", "Where"),
        "post_from" => ("Kiêm nhiệm từ ngày", "Since"),
        "post_until" => ("Thôi kiêm nhiệm từ ngày", "Ended on"),
        "duty_field" => ("Lĩnh vực", "Field"),
        "in_charge_of" => ("Phụ trách", "In charge of"),
        "duty_text" => ("Nhiệm vụ được phân công", "Duty"),
        "duty_from" => ("Phân công từ ngày", "Since"),
        "duty_until" => ("Kết thúc phân công từ ngày", "Ended on"),
        "adopted_on" => ("Ngày ban hành", "Adoption date"),
        "regulation_text" => ("Nội dung quy chế", "Text"),
        "regulation_file" => ("Tệp quy chế", "File"),
        "meeting_kind" => ("Loại cuộc họp", "Kind of meeting"),
        "held_on" => ("Ngày họp", "Meeting day"),
        "starts_at" => ("Giờ họp", "Time"),
        "place" => ("Địa điểm", "Place"),
        "topic" => ("Chủ đề", "Topic"),
        "documents" => ("Tài liệu nghiên cứu trước", "Documents to read"),
        "chair" => ("Chủ trì", "Chair"),
        "minutes_secretary" => ("Thư ký", "Minutes secretary"),
        "resolution_no" => ("Số nghị quyết", "Resolution number"),
        "resolution" => ("Nghị quyết của cuộc họp", "Resolution"),
        "signed_on" => ("Ngày ký biên bản", "Signature date"),
        "cancel_reason" => ("Lý do hủy", "Why cancelled"),
        "amendment" => ("Nội dung đính chính", "Amendment"),
        "quality" => ("Chất lượng sinh hoạt", "Quality"),
        "quality_note" => ("Nhận xét", "Comment"),
        "meeting" => ("Cuộc họp", "Meeting"),
        f if f.starts_with("presence_") => ("Điểm danh", "Attendance"),
        f if f.starts_with("reason_") => ("Lý do vắng", "Reason of absence"),
        f if f.starts_with("guests.") => ("Khách mời", "Guest"),
        f if f.starts_with("items.") && f.ends_with(".title") => ("Tên nội dung", "Item title"),
        f if f.starts_with("items.") && f.ends_with(".report") => ("Nội dung báo cáo", "Report"),
        f if f.starts_with("items.") && f.contains(".opinions") => ("Ý kiến phát biểu", "Opinion"),
        f if f.starts_with("items.") && f.ends_with(".conclusion") => ("Kết luận", "Conclusion"),
        f if f.starts_with("items.") && f.ends_with(".vote_subject") => ("Nội dung biểu quyết", "Motion"),
        f if f.starts_with("items.") && f.ends_with(".votes_for") => ("Số tán thành", "Votes for"),
        f if f.starts_with("items.") && f.ends_with(".votes_against") => ("Số không tán thành", "Votes against"),
        f if f.starts_with("items.") && f.ends_with(".abstain") => ("Số không biểu quyết", "Abstentions"),
        _ => (field, field),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// One problem with one field, with the parameters its message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's machine name (`cccd`), matching the form and API field.
    pub field: String,
    /// What is wrong.
    pub code: ErrorCode,
    /// Values substituted into the message template.
    pub params: Vec<(String, String)>,
}

impl FieldError {
    /// A field error without parameters.
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Self { field: field.into(), code, params: Vec::new() }
    }

    /// Adds a message parameter.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.params.push((name.to_owned(), value.to_string()));
        self
    }

    /// The message without the field label ("phải gồm đúng 12 chữ số").
    pub fn message(&self, lang: Lang) -> String {
        render(self.code.template(lang), &self.params)
    }

    /// The message with the field label in front ("Số CCCD: ...").
    pub fn full_message(&self, lang: Lang) -> String {
        format!("{}: {}", field_label(&self.field, lang), self.message(lang))
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full_message(Lang::Vi))
    }
}

/// Fills `{name}` placeholders; unknown placeholders are left visible so a missing parameter
/// shows up in tests instead of vanishing.
pub fn render(template: &str, params: &[(String, String)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// All problems found in one input, so a form can show every message at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.summary(Lang::Vi))]
pub struct ValidationErrors {
    /// The individual field errors, in form order.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one error.
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first error for a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// Ok when empty, else the collected errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(self) }
    }

    /// All messages joined, one per line, with field labels.
    pub fn summary(&self, lang: Lang) -> String {
        self.errors.iter().map(|e| e.full_message(lang)).collect::<Vec<_>>().join("\n")
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self { errors: vec![e] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_distinct_texts_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {}", code.as_str());
            let vi = code.template(Lang::Vi);
            let en = code.template(Lang::En);
            assert!(!vi.is_empty() && !en.is_empty());
            assert_ne!(vi, en, "{} is not translated", code.as_str());
        }
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn serialized_code_matches_as_str() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn message_names_the_field_in_vietnamese() {
        let e = FieldError::new("cccd", ErrorCode::CccdFormat).with("len", 11);
        assert_eq!(e.full_message(Lang::Vi), "Số CCCD: số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)");
        assert!(e.full_message(Lang::En).starts_with("National ID (CCCD): "));
    }

    #[test]
    fn missing_parameter_stays_visible() {
        let e = FieldError::new("full_name", ErrorCode::TooLong);
        assert!(e.message(Lang::Vi).contains("{max}"));
    }
}
