//! The to-do list's vocabulary: what needs doing ([`TodoKind`], each concept's deadlines),
//! what it is about ([`Subject`]), and the facts shown beside it ([`Fact`]). A to-do item is
//! a kind, a subject, a due date, overdue or not, and facts: the page, the API and any later
//! reminder render the same item without knowing which concept made it.
//!
//! Adding a concept's deadlines: add its kinds here (with both labels, due and overdue) and a
//! source in the store's `<concept>/todo.rs`, then one line in the store's to-do registry.

use crate::error::Lang;
use crate::org::OrgId;
use chrono::NaiveDate;
use serde::Serialize;

/// What needs doing: the stored code, and the label when due and when overdue, in both
/// languages.
macro_rules! todo_kinds {
    ($($(#[$m:meta])* $v:ident = $code:literal, ($vi:literal, $en:literal), ($vi_late:literal, $en_late:literal);)+) => {
        /// What needs doing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum TodoKind { $($(#[$m])* #[serde(rename = $code)] $v,)+ }

        impl TodoKind {
            /// Every kind, in display order.
            pub const ALL: &'static [TodoKind] = &[$(TodoKind::$v,)+];

            /// The stable code (API, reminders).
            pub fn code(self) -> &'static str {
                match self { $(TodoKind::$v => $code,)+ }
            }

            /// What to do, in words; `overdue` picks the label of a deadline that has passed.
            pub fn label(self, lang: Lang, overdue: bool) -> &'static str {
                match (self, lang, overdue) {
                    $((TodoKind::$v, Lang::Vi, false) => $vi,
                      (TodoKind::$v, Lang::En, false) => $en,
                      (TodoKind::$v, Lang::Vi, true) => $vi_late,
                      (TodoKind::$v, Lang::En, true) => $en_late,)+
                }
            }
        }
    };
}

todo_kinds! {
    /// Probation ends within 30 days: prepare the recognition vote.
    ProbationEnding = "probation_ending",
        ("Sắp hết thời gian dự bị", "Probation ending"),
        ("Quá hạn xét công nhận đảng viên chính thức", "Recognition overdue");
    /// Probation has ended and the recognition deadline has passed.
    RecognitionOverdue = "recognition_overdue",
        ("Quá hạn xét công nhận đảng viên chính thức", "Recognition overdue"),
        ("Quá hạn xét công nhận đảng viên chính thức", "Recognition overdue");
    /// A cell has fewer official members than the rules require.
    CellTooSmall = "cell_too_small",
        ("Chi bộ chưa đủ đảng viên chính thức", "Cell below the minimum of official members"),
        ("Chi bộ chưa đủ đảng viên chính thức", "Cell below the minimum of official members");
    /// A đảng bộ cơ sở has fewer members than the rules require of one (it would be a chi
    /// bộ cơ sở): the upper level reorganizes it or plans its growth.
    GrassrootsCommitteeTooSmall = "grassroots_committee_too_small",
        ("Đảng bộ cơ sở chưa đủ số đảng viên theo quy định", "Grassroots committee below the rules' membership"),
        ("Đảng bộ cơ sở chưa đủ số đảng viên theo quy định", "Grassroots committee below the rules' membership");
    /// The admission ceremony is to hold within the rules' time after the decision.
    CeremonyOverdue = "ceremony_overdue",
        ("Chờ tổ chức lễ kết nạp", "Admission ceremony to hold"),
        ("Quá hạn tổ chức lễ kết nạp", "Admission ceremony overdue");
    /// A transfer letter waits for the receiving organization's answer.
    TransferWaiting = "transfer_waiting",
        ("Chuyển sinh hoạt chờ tiếp nhận", "Transfer waiting for acceptance"),
        ("Chuyển sinh hoạt quá hạn tiếp nhận", "Transfer acceptance overdue");
    /// A temporary transfer has reached its end date and is still open.
    TemporaryEnded = "temporary_ended",
        ("Hết thời hạn sinh hoạt tạm thời", "Temporary transfer ended"),
        ("Hết thời hạn sinh hoạt tạm thời", "Temporary transfer ended");
    /// A candidate's awareness-course certificate expires within 30 days or has expired.
    CertificateExpiring = "certificate_expiring",
        ("Giấy chứng nhận bồi dưỡng nhận thức về Đảng sắp hết hạn", "Awareness course certificate expiring"),
        ("Giấy chứng nhận bồi dưỡng nhận thức về Đảng đã hết hạn", "Awareness course certificate expired");
    /// An exemption granted for a period ends within 30 days or has ended.
    ExemptionEnding = "exemption_ending",
        ("Sắp hết thời hạn miễn sinh hoạt", "Exemption ending"),
        ("Đã hết thời hạn miễn sinh hoạt", "Exemption ended");
    /// A committee's term ends within the rules' months.
    TermEnding = "term_ending",
        ("Sắp hết nhiệm kỳ: chuẩn bị đại hội", "Term ending: prepare the congress"),
        ("Đã hết nhiệm kỳ, chưa ghi nhận nhiệm kỳ mới", "Term over, no new term recorded");
    /// A running term has no secretary.
    SecretaryVacant = "secretary_vacant",
        ("Khuyết bí thư", "No secretary"),
        ("Khuyết bí thư", "No secretary");
    /// A committee above or below its size.
    CommitteeSize = "committee_size",
        ("Số lượng cấp ủy chưa đúng quy định", "Committee size outside the rules"),
        ("Số lượng cấp ủy chưa đúng quy định", "Committee size outside the rules");
    /// No working regulation some months into a term.
    RegulationMissing = "regulation_missing",
        ("Chưa ban hành quy chế làm việc của nhiệm kỳ", "No working regulation for the term yet"),
        ("Quá hạn ban hành quy chế làm việc", "Working regulation overdue");
    /// A cell whose secretary should be the village head and is not.
    SecretaryNotVillageHead = "secretary_not_village_head",
        ("Bí thư chi bộ chưa kiêm trưởng thôn, khu phố", "Secretary is not the village head"),
        ("Bí thư chi bộ chưa kiêm trưởng thôn, khu phố", "Secretary is not the village head");
    /// A cell that has not held its regular meeting this month by the rules' day.
    MeetingDue = "meeting_due",
        ("Chi bộ chưa sinh hoạt thường kỳ tháng này", "No regular meeting this month yet"),
        ("Chi bộ chưa sinh hoạt thường kỳ tháng này", "No regular meeting this month yet");
    /// A planned meeting close to its day and not notified.
    MeetingNotNotified = "meeting_not_notified",
        ("Cuộc họp sắp tới chưa thông báo cho đảng viên", "Coming meeting not notified"),
        ("Cuộc họp chưa thông báo cho đảng viên", "Meeting not notified");
    /// Minutes not signed within the rules' days.
    MinutesUnsigned = "minutes_unsigned",
        ("Biên bản cuộc họp chưa ký", "Minutes not signed"),
        ("Quá hạn ký biên bản cuộc họp", "Minutes signature overdue");
    /// A member absent without reason from consecutive regular meetings.
    AbsentRunning = "absent_running",
        ("Đảng viên vắng sinh hoạt không lý do liên tiếp", "Member absent without reason running"),
        ("Đảng viên vắng sinh hoạt không lý do liên tiếp", "Member absent without reason running");
    /// A member absent without reason as often in a year as the Statute names as grounds for
    /// striking off: for the cell to consider, never automatic.
    AbsentRepeatedly = "absent_repeatedly",
        ("Đảng viên vắng sinh hoạt không lý do nhiều lần trong năm: chi bộ xem xét", "Member absent repeatedly this year: for the cell to consider"),
        ("Đảng viên vắng sinh hoạt không lý do nhiều lần trong năm: chi bộ xem xét", "Member absent repeatedly this year: for the cell to consider");
}

/// What an item is about: the record its line links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A member.
    Member(i64),
    /// An organization.
    Org(OrgId),
    /// An admission case.
    Admission(i64),
    /// A transfer.
    Transfer(i64),
    /// A meeting.
    Meeting(i64),
}

/// What a fact says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKey {
    /// The last day of probation.
    ProbationEnds,
    /// The deadline.
    Deadline,
    /// Official members now.
    Official,
    /// Members now (probationary and official, exempt and suspended included).
    Members,
    /// Official members the rules require.
    Required,
    /// The day a certificate or a period runs out.
    Expires,
    /// The last day for the recognition vote.
    RecognitionBy,
    /// The last day for the admission ceremony.
    CeremonyBy,
    /// The end of a period granted.
    Until,
    /// The planned end of a term.
    TermEnds,
    /// Committee members seated.
    Seated,
    /// The most or the number allowed.
    Allowed,
    /// The day of a meeting.
    MeetingOn,
    /// Absences without reason.
    Absences,
}

impl FactKey {
    /// The label in a language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FactKey::ProbationEnds, Lang::Vi) => "hết dự bị",
            (FactKey::ProbationEnds, Lang::En) => "probation ends",
            (FactKey::Deadline, Lang::Vi) => "hạn",
            (FactKey::Deadline, Lang::En) => "deadline",
            (FactKey::Official, Lang::Vi) => "đảng viên chính thức",
            (FactKey::Official, Lang::En) => "official members",
            (FactKey::Members, Lang::Vi) => "đảng viên",
            (FactKey::Members, Lang::En) => "members",
            (FactKey::Required, Lang::Vi) => "cần ít nhất",
            (FactKey::Required, Lang::En) => "at least",
            (FactKey::Expires, Lang::Vi) => "hết hạn ngày",
            (FactKey::Expires, Lang::En) => "expires on",
            (FactKey::RecognitionBy, Lang::Vi) => "xét công nhận trước",
            (FactKey::RecognitionBy, Lang::En) => "recognition by",
            (FactKey::CeremonyBy, Lang::Vi) => "hạn tổ chức lễ",
            (FactKey::CeremonyBy, Lang::En) => "ceremony by",
            (FactKey::Until, Lang::Vi) => "đến ngày",
            (FactKey::Until, Lang::En) => "until",
            (FactKey::TermEnds, Lang::Vi) => "kết thúc nhiệm kỳ",
            (FactKey::TermEnds, Lang::En) => "term ends",
            (FactKey::Seated, Lang::Vi) => "cấp ủy viên",
            (FactKey::Seated, Lang::En) => "committee members",
            (FactKey::Allowed, Lang::Vi) => "theo quy định",
            (FactKey::Allowed, Lang::En) => "allowed",
            (FactKey::MeetingOn, Lang::Vi) => "ngày họp",
            (FactKey::MeetingOn, Lang::En) => "meeting day",
            (FactKey::Absences, Lang::Vi) => "số lần vắng không lý do",
            (FactKey::Absences, Lang::En) => "absences without reason",
        }
    }
}

/// A value beside an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FactValue {
    /// A day.
    Date(NaiveDate),
    /// A count.
    Count(i64),
}

/// One fact shown beside an item ("hết dự bị 01/10/2026").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What it says.
    pub key: FactKey,
    /// Its value.
    pub value: FactValue,
}

impl Fact {
    /// A dated fact.
    pub fn date(key: FactKey, on: NaiveDate) -> Fact {
        Fact { key, value: FactValue::Date(on) }
    }

    /// A counted fact.
    pub fn count(key: FactKey, n: i64) -> Fact {
        Fact { key, value: FactValue::Count(n) }
    }

    /// "hết dự bị 01/10/2026", "đảng viên chính thức 2".
    pub fn text(&self, lang: Lang) -> String {
        let v = match self.value {
            FactValue::Date(d) => crate::calendar::format_date(d),
            FactValue::Count(n) => n.to_string(),
        };
        match self.key {
            // A count reads before its noun: "2 đảng viên chính thức".
            FactKey::Official | FactKey::Seated => format!("{v} {}", self.key.label(lang)),
            _ => format!("{} {v}", self.key.label(lang)),
        }
    }
}

/// One line of the to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoItem {
    /// What needs doing.
    pub kind: TodoKind,
    /// What it is about.
    pub subject: Subject,
    /// The member concerned, when the subject is about one (an admission case, a transfer).
    pub person: Option<i64>,
    /// The subject's name (the member, the cell).
    pub name: String,
    /// The organization it falls to (the member's cell, the cell itself).
    pub org_id: OrgId,
    /// That organization's name.
    pub org_name: String,
    /// The deadline, if the item has one.
    pub due: Option<NaiveDate>,
    /// Past its deadline.
    pub overdue: bool,
    /// What to show beside it, in order.
    pub facts: Vec<Fact>,
}

impl TodoItem {
    /// What to do, in words.
    pub fn label(&self, lang: Lang) -> &'static str {
        self.kind.label(lang, self.overdue)
    }

    /// The facts in words, joined ("Chi bộ khu phố 3: hết dự bị 01/10/2026 · hạn 12/11/2026").
    pub fn detail(&self, lang: Lang) -> String {
        let facts = self.facts.iter().map(|f| f.text(lang)).collect::<Vec<_>>().join(" · ");
        match (self.subject, facts.is_empty()) {
            (_, true) => self.org_name.clone(),
            (Subject::Org(_), false) => facts,
            (_, false) => format!("{}: {facts}", self.org_name),
        }
    }

    /// A dated fact, if the item has it.
    pub fn date(&self, key: FactKey) -> Option<NaiveDate> {
        match self.fact(key) {
            Some(FactValue::Date(d)) => Some(d),
            _ => None,
        }
    }

    /// A counted fact, if the item has it.
    pub fn count(&self, key: FactKey) -> Option<i64> {
        match self.fact(key) {
            Some(FactValue::Count(n)) => Some(n),
            _ => None,
        }
    }

    /// The value of a fact, if the item has it.
    pub fn fact(&self, key: FactKey) -> Option<FactValue> {
        self.facts.iter().find(|f| f.key == key).map(|f| f.value)
    }
}

/// Orders a to-do list: overdue first, then by deadline, kind and name.
pub fn sort(items: &mut [TodoItem]) {
    items.sort_by(|a, b| {
        (!a.overdue, a.due.unwrap_or(crate::calendar::OPEN_END), a.kind, &a.name).cmp(&(
            !b.overdue,
            b.due.unwrap_or(crate::calendar::OPEN_END),
            b.kind,
            &b.name,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_kind_has_both_labels_due_and_overdue_and_a_unique_code() {
        let mut codes = std::collections::HashSet::new();
        for &k in TodoKind::ALL {
            for overdue in [false, true] {
                let (vi, en) = (k.label(Lang::Vi, overdue), k.label(Lang::En, overdue));
                assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{k:?}");
            }
            assert!(codes.insert(k.code()), "{k:?}");
        }
    }

    #[test]
    fn an_item_reads_in_words_and_sorts_overdue_first() {
        let probation = TodoItem {
            kind: TodoKind::ProbationEnding,
            subject: Subject::Member(3),
            person: Some(3),
            name: "Đinh Văn Minh".into(),
            org_id: 1,
            org_name: "Chi bộ khu phố 3".into(),
            due: Some(d(2026, 11, 12)),
            overdue: false,
            facts: vec![Fact::date(FactKey::ProbationEnds, d(2026, 10, 1)), Fact::date(FactKey::RecognitionBy, d(2026, 11, 12))],
        };
        assert_eq!(probation.detail(Lang::Vi), "Chi bộ khu phố 3: hết dự bị 01/10/2026 · xét công nhận trước 12/11/2026");
        let small = TodoItem {
            kind: TodoKind::CellTooSmall,
            subject: Subject::Org(1),
            person: None,
            name: "Chi bộ khu phố 3".into(),
            org_id: 1,
            org_name: "Chi bộ khu phố 3".into(),
            due: None,
            overdue: false,
            facts: vec![Fact::count(FactKey::Official, 2), Fact::count(FactKey::Required, 3)],
        };
        assert_eq!(small.detail(Lang::Vi), "2 đảng viên chính thức · cần ít nhất 3");
        let late = TodoItem { overdue: true, due: Some(d(2026, 12, 1)), ..probation.clone() };
        assert_eq!(late.label(Lang::Vi), "Quá hạn xét công nhận đảng viên chính thức");
        let mut list = vec![small.clone(), probation.clone(), late.clone()];
        sort(&mut list);
        assert_eq!(list, vec![late, probation, small]);
    }
}
