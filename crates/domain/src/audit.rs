//! The audit log's vocabulary: which kinds of record exist ([`Entity`]), what can be done to
//! each ([`Action`], one enum per concept declared in the concept's own `audit` catalogue),
//! and how the fields of a record's before/after are read by people ([`AuditField`]).
//!
//! The store writes only [`Action`] values (so an entry can never carry a code nobody can
//! read), and the audit page renders an entry entirely from this catalogue: the action's
//! label, each changed field's label, each value in words (codes as their labels, dates as
//! dd/mm/yyyy, organizations by name).
//!
//! Adding a concept: declare its actions with [`audit_actions!`] and its fields as a
//! `&[AuditField]` in `<concept>/audit.rs`, then add one line to [`Entity`], [`Action`] and
//! [`fields`]. The exhaustive matches make a forgotten line a compile error.

use crate::error::Lang;
use crate::org::{OrgId, code_enum};
use chrono::NaiveDate;
use serde_json::Value;

code_enum! {
    /// A kind of record the audit log knows.
    Entity {
        /// Tổ chức đảng.
        Org = "org", "Tổ chức", "Organization";
        /// Đảng viên.
        Member = "member", "Đảng viên", "Member";
        /// Hồ sơ kết nạp.
        Admission = "admission", "Hồ sơ kết nạp", "Admission case";
        /// Chuyển sinh hoạt đảng.
        Transfer = "transfer", "Chuyển sinh hoạt", "Transfer";
        /// Sinh hoạt nơi cư trú.
        Residence = "residence", "Sinh hoạt nơi cư trú", "Residence link";
        /// Lượt nhập từ tệp.
        MemberImport = "member_import", "Lượt nhập từ tệp", "Spreadsheet import";
        /// Tài khoản.
        Account = "account", "Tài khoản", "Account";
        /// Mã truy cập API.
        Token = "token", "Mã truy cập API", "API token";
        /// Bộ quy định.
        Rules = "rules", "Bộ quy định", "Rule set";
        /// Lịch làm việc.
        Calendar = "calendar", "Lịch làm việc", "Working calendar";
        /// Nhiệm kỳ của cấp ủy.
        Term = "term", "Nhiệm kỳ", "Committee term";
        /// Chức vụ trong cấp ủy.
        Seat = "seat", "Chức vụ trong cấp ủy", "Committee position";
        /// Chức danh kiêm nhiệm.
        Post = "post", "Chức danh kiêm nhiệm", "Concurrent post";
        /// Phân công nhiệm vụ.
        Duty = "duty", "Phân công nhiệm vụ", "Duty assignment";
        /// Quy chế làm việc.
        Regulation = "regulation", "Quy chế làm việc", "Working regulation";
        /// Cuộc họp, sinh hoạt chi bộ.
        Meeting = "meeting", "Cuộc họp", "Meeting";
    }
}

/// Declares a concept's audit actions: an enum whose every value has a stored code and its
/// Vietnamese and English labels, tied to the concept's [`Entity`].
#[macro_export]
macro_rules! audit_actions {
    ($(#[$meta:meta])* $name:ident for $entity:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $vi:literal, $en:literal;)+ }) => {
        $crate::org::code_enum! { $(#[$meta])* $name { $($(#[$vmeta])* $variant = $code, $vi, $en;)+ } }

        impl $name {
            /// The kind of record these actions change.
            pub const ENTITY: $crate::audit::Entity = $crate::audit::Entity::$entity;
        }

        impl From<$name> for $crate::audit::Action {
            fn from(a: $name) -> Self {
                $crate::audit::Action::$entity(a)
            }
        }
    };
}

use crate::account::audit::{AccountAction, TokenAction};
use crate::admission::audit::AdmissionAction;
use crate::committee::audit::{DutyAction, PostAction, RegulationAction, SeatAction, TermAction};
use crate::member::audit::{ImportAction, MemberAction};
use crate::org::audit::OrgAction;
use crate::residence::audit::ResidenceAction;
use crate::rules::audit::{CalendarAction, RulesAction};
use crate::transfer::audit::TransferAction;

/// Something done to a record, as the audit log stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// To an organization.
    Org(OrgAction),
    /// To a member.
    Member(MemberAction),
    /// To an admission case.
    Admission(AdmissionAction),
    /// To a transfer.
    Transfer(TransferAction),
    /// To a residence link.
    Residence(ResidenceAction),
    /// An import.
    MemberImport(ImportAction),
    /// To an account.
    Account(AccountAction),
    /// To an API token.
    Token(TokenAction),
    /// To the rule sets.
    Rules(RulesAction),
    /// To the working calendar.
    Calendar(CalendarAction),
    /// To a committee's term.
    Term(TermAction),
    /// To a committee position.
    Seat(SeatAction),
    /// To a concurrent post.
    Post(PostAction),
    /// To a duty assignment.
    Duty(DutyAction),
    /// To a working regulation.
    Regulation(RegulationAction),
    /// To a meeting.
    Meeting(crate::meeting::audit::MeetingAction),
}

macro_rules! each_action {
    ($self:expr, $a:ident => $body:expr) => {
        match $self {
            Action::Org($a) => $body,
            Action::Member($a) => $body,
            Action::Admission($a) => $body,
            Action::Transfer($a) => $body,
            Action::Residence($a) => $body,
            Action::MemberImport($a) => $body,
            Action::Account($a) => $body,
            Action::Token($a) => $body,
            Action::Rules($a) => $body,
            Action::Calendar($a) => $body,
            Action::Term($a) => $body,
            Action::Seat($a) => $body,
            Action::Post($a) => $body,
            Action::Duty($a) => $body,
            Action::Regulation($a) => $body,
            Action::Meeting($a) => $body,
        }
    };
}

impl Action {
    /// Every action of every concept.
    pub fn all() -> Vec<Action> {
        let mut out: Vec<Action> = Vec::new();
        out.extend(OrgAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(MemberAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(AdmissionAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(TransferAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(ResidenceAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(ImportAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(AccountAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(TokenAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(RulesAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(CalendarAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(TermAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(SeatAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(PostAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(DutyAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(RegulationAction::ALL.iter().map(|&a| Action::from(a)));
        out.extend(crate::meeting::audit::MeetingAction::ALL.iter().map(|&a| Action::from(a)));
        out
    }

    /// The stored code (`member.create`).
    pub fn code(self) -> &'static str {
        each_action!(self, a => a.code())
    }

    /// The kind of record the action changes.
    pub fn entity(self) -> Entity {
        match self {
            Action::Org(_) => OrgAction::ENTITY,
            Action::Member(_) => MemberAction::ENTITY,
            Action::Admission(_) => AdmissionAction::ENTITY,
            Action::Transfer(_) => TransferAction::ENTITY,
            Action::Residence(_) => ResidenceAction::ENTITY,
            Action::MemberImport(_) => ImportAction::ENTITY,
            Action::Account(_) => AccountAction::ENTITY,
            Action::Token(_) => TokenAction::ENTITY,
            Action::Rules(_) => RulesAction::ENTITY,
            Action::Calendar(_) => CalendarAction::ENTITY,
            Action::Term(_) => TermAction::ENTITY,
            Action::Seat(_) => SeatAction::ENTITY,
            Action::Post(_) => PostAction::ENTITY,
            Action::Duty(_) => DutyAction::ENTITY,
            Action::Regulation(_) => RegulationAction::ENTITY,
            Action::Meeting(_) => crate::meeting::audit::MeetingAction::ENTITY,
        }
    }

    /// Reads a stored entity and action back.
    pub fn parse(entity: &str, code: &str) -> Option<Action> {
        Some(match Entity::from_code(entity)? {
            Entity::Org => OrgAction::from_code(code)?.into(),
            Entity::Member => MemberAction::from_code(code)?.into(),
            Entity::Admission => AdmissionAction::from_code(code)?.into(),
            Entity::Transfer => TransferAction::from_code(code)?.into(),
            Entity::Residence => ResidenceAction::from_code(code)?.into(),
            Entity::MemberImport => ImportAction::from_code(code)?.into(),
            Entity::Account => AccountAction::from_code(code)?.into(),
            Entity::Token => TokenAction::from_code(code)?.into(),
            Entity::Rules => RulesAction::from_code(code)?.into(),
            Entity::Calendar => CalendarAction::from_code(code)?.into(),
            Entity::Term => TermAction::from_code(code)?.into(),
            Entity::Seat => SeatAction::from_code(code)?.into(),
            Entity::Post => PostAction::from_code(code)?.into(),
            Entity::Duty => DutyAction::from_code(code)?.into(),
            Entity::Regulation => RegulationAction::from_code(code)?.into(),
            Entity::Meeting => crate::meeting::audit::MeetingAction::from_code(code)?.into(),
        })
    }

    /// What was done, in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => each_action!(self, a => a.label_vi()),
            Lang::En => each_action!(self, a => a.label_en()),
        }
    }
}

/// How a field's stored value is read by people.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// Shown as written.
    Text,
    /// A calendar day, shown dd/mm/yyyy.
    Date,
    /// Yes or no.
    Bool,
    /// A number.
    Number,
    /// A moment (RFC 3339), shown dd/mm/yyyy hh:mm in Vietnam's time.
    Time,
    /// A list of calendar days.
    Dates,
    /// An organization's key, shown by the organization's name.
    Org,
    /// A list of members' keys, shown by their names.
    Members,
    /// A list of (year, text) pairs, shown "2026: text".
    YearNotes,
    /// A month stored as `{year, month}`, shown "10/2026".
    Month,
    /// A stored code, shown by its label (`None` for an unknown code: shown as written).
    Code(fn(&str, Lang) -> Option<&'static str>),
    /// A list of texts or records, shown by how many there are.
    Count,
    /// Identifies or orders the record, or is secret: never shown.
    Hidden,
}

/// One field of a record as the audit page shows it.
#[derive(Debug, Clone, Copy)]
pub struct AuditField {
    /// The key in the record's JSON (nested objects are read as their own fields).
    pub key: &'static str,
    /// Vietnamese label.
    pub vi: &'static str,
    /// English label.
    pub en: &'static str,
    /// How its value reads.
    pub kind: FieldKind,
    /// A member's personal detail (identity numbers, addresses, contact details): shown only
    /// to readers who have the member in their scope today ([`withhold_personal`]).
    pub personal: bool,
}

impl AuditField {
    /// A field shown with labels.
    pub const fn new(key: &'static str, vi: &'static str, en: &'static str, kind: FieldKind) -> Self {
        AuditField { key, vi, en, kind, personal: false }
    }

    /// The same field, marked as a member's personal detail.
    pub const fn personal(mut self) -> Self {
        self.personal = true;
        self
    }

    /// A field never shown.
    pub const fn hidden(key: &'static str) -> Self {
        AuditField { key, vi: "", en: "", kind: FieldKind::Hidden, personal: false }
    }

    /// The label in a language.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// The fields of a kind of record.
pub fn fields(e: Entity) -> &'static [AuditField] {
    match e {
        Entity::Org => crate::org::audit::FIELDS,
        Entity::Member => crate::member::audit::FIELDS,
        Entity::Admission => crate::admission::audit::FIELDS,
        Entity::Transfer => crate::transfer::audit::FIELDS,
        Entity::Residence => crate::residence::audit::FIELDS,
        Entity::MemberImport => crate::member::audit::IMPORT_FIELDS,
        Entity::Account => crate::account::audit::FIELDS,
        Entity::Token => crate::account::audit::TOKEN_FIELDS,
        Entity::Rules => crate::rules::audit::FIELDS,
        Entity::Calendar => crate::rules::audit::CALENDAR_FIELDS,
        Entity::Term => crate::committee::audit::TERM_FIELDS,
        Entity::Seat => crate::committee::audit::SEAT_FIELDS,
        Entity::Post => crate::committee::audit::POST_FIELDS,
        Entity::Duty => crate::committee::audit::DUTY_FIELDS,
        Entity::Regulation => crate::committee::audit::REGULATION_FIELDS,
        Entity::Meeting => crate::meeting::audit::MEETING_FIELDS,
    }
}

/// A value as shown: text ready to print, or an organization the caller names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing (the field was empty or absent).
    Empty,
    /// Words.
    Text(String),
    /// An organization, to be shown by its name.
    Org(OrgId),
    /// Members, to be shown by their names.
    Members(Vec<i64>),
}

/// One changed field of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Its label.
    pub label: &'static str,
    /// Before (empty for a creation).
    pub before: Shown,
    /// After (empty for a removal).
    pub after: Shown,
}

/// The record's JSON as (key, value) pairs in the record's own order, nested objects' fields
/// under dotted keys (`profile.full_name`, `vote.on`); empty values are left out, so "absent"
/// and "null" read the same.
pub fn flatten(v: Option<&Value>) -> Vec<(String, Value)> {
    flatten_as(None, v)
}

/// The same, keeping whole the objects the entity's catalogue declares as one field (a month).
fn flatten_as(e: Option<Entity>, v: Option<&Value>) -> Vec<(String, Value)> {
    fn walk(e: Option<Entity>, prefix: &str, map: &serde_json::Map<String, Value>, out: &mut Vec<(String, Value)>) {
        for (k, v) in map {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                Value::Null => {}
                Value::Object(inner) if e.and_then(|e| field(e, &key)).is_none() => walk(e, &key, inner, out),
                other => out.push((key, other.clone())),
            }
        }
    }
    let mut out = Vec::new();
    if let Some(Value::Object(map)) = v {
        walk(e, "", map, &mut out);
    }
    out
}

/// The field of a kind of record with this key, if declared.
pub fn field(e: Entity, key: &str) -> Option<&'static AuditField> {
    fields(e).iter().find(|f| f.key == key)
}

/// A stored value in words.
pub fn show(kind: FieldKind, v: &Value, lang: Lang) -> Shown {
    let yes_no = |b: bool| match (lang, b) {
        (Lang::Vi, true) => "Có",
        (Lang::Vi, false) => "Không",
        (Lang::En, true) => "Yes",
        (Lang::En, false) => "No",
    };
    match (kind, v) {
        (_, Value::Null) | (FieldKind::Hidden, _) => Shown::Empty,
        (FieldKind::Count, Value::Array(a)) => Shown::Text(a.len().to_string()),
        (FieldKind::Org, Value::Number(n)) => n.as_i64().map(Shown::Org).unwrap_or(Shown::Empty),
        (FieldKind::Members, Value::Array(a)) => Shown::Members(a.iter().filter_map(Value::as_i64).collect()),
        (FieldKind::Dates, Value::Array(a)) => Shown::Text(
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").map(crate::calendar::format_date).unwrap_or_else(|_| s.to_owned()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (FieldKind::YearNotes, Value::Array(a)) => {
            Shown::Text(a.iter().filter_map(|p| Some(format!("{}: {}", p.get(0)?.as_i64()?, p.get(1)?.as_str()?))).collect::<Vec<_>>().join("; "))
        }
        (FieldKind::Month, Value::Object(m)) => match (m.get("month").and_then(Value::as_u64), m.get("year").and_then(Value::as_i64)) {
            (Some(month), Some(year)) => Shown::Text(format!("{month:02}/{year}")),
            _ => Shown::Empty,
        },
        (FieldKind::Time, Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Shown::Text(t.with_timezone(&crate::calendar::VIETNAM).format("%d/%m/%Y %H:%M").to_string()),
            Err(_) => Shown::Text(s.clone()),
        },
        (FieldKind::Bool, Value::Bool(b)) => Shown::Text(yes_no(*b).to_owned()),
        (FieldKind::Date, Value::String(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Shown::Text(crate::calendar::format_date(d)),
            Err(_) => Shown::Text(s.clone()),
        },
        (FieldKind::Code(label), Value::String(s)) => Shown::Text(label(s, lang).map(str::to_owned).unwrap_or_else(|| s.clone())),
        (_, Value::String(s)) if s.is_empty() => Shown::Empty,
        (_, Value::String(s)) => Shown::Text(s.clone()),
        (_, Value::Bool(b)) => Shown::Text(yes_no(*b).to_owned()),
        (_, Value::Array(a)) => Shown::Text(a.iter().map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(", ")),
        (_, other) => Shown::Text(other.to_string()),
    }
}

/// The fields whose values differ between before and after (every non-empty field of a
/// creation), labelled from the entity's catalogue. A key the catalogue does not declare is
/// left out: the catalogue test makes sure every stored key is declared.
pub fn changes(e: Entity, before: Option<&Value>, after: Option<&Value>, lang: Lang) -> Vec<FieldChange> {
    let before = flatten_as(Some(e), before);
    let after = flatten_as(Some(e), after);
    let mut keys: Vec<&str> = after.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in &before {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    let mut out = Vec::new();
    for key in keys {
        let Some(f) = field(e, key) else { continue };
        if matches!(f.kind, FieldKind::Hidden) {
            continue;
        }
        let get = |side: &[(String, Value)]| side.iter().find(|(k, _)| k == key).map(|(_, v)| show(f.kind, v, lang)).unwrap_or(Shown::Empty);
        let (b, a) = (get(&before), get(&after));
        if b != a {
            out.push(FieldChange { label: f.label(lang), before: b, after: a });
        }
    }
    out
}

/// The keys of a record's JSON that its entity's catalogue does not declare (empty when the
/// catalogue is complete). Tests call it on every entry they write.
pub fn undeclared_keys(e: Entity, record: Option<&Value>) -> Vec<String> {
    flatten_as(Some(e), record).into_iter().map(|(k, _)| k).filter(|k| field(e, k).is_none()).collect()
}

/// The member an entry is about, if any: the record itself for a member's entries, the
/// member the record names (`member_id`) for a transfer's or a residence link's.
pub fn entry_member(e: Entity, entity_id: Option<i64>, before: Option<&Value>, after: Option<&Value>) -> Option<i64> {
    match e {
        Entity::Member => entity_id,
        _ if fields(e).iter().any(|f| f.personal) => [after, before].into_iter().flatten().find_map(|v| v.get("member_id").and_then(Value::as_i64)),
        _ => None,
    }
}

/// Removes a record's personal details (the fields its catalogue marks `personal`), for a
/// reader who no longer has the member in their scope: lists of the past keep what the
/// figures count and withhold the rest, and so does the log.
pub fn withhold_personal(e: Entity, record: &mut Value) {
    for f in fields(e).iter().filter(|f| f.personal) {
        let mut parts: Vec<&str> = f.key.split('.').collect();
        let Some(last) = parts.pop() else { continue };
        let parent = parts.iter().try_fold(&mut *record, |v, k| v.get_mut(*k));
        if let Some(Value::Object(map)) = parent {
            map.remove(last);
        }
    }
}

/// The record's own name in an entry ("Nguyễn Văn Thành", "Chi bộ Khu 3"), if it carries one.
pub fn record_name(before: Option<&Value>, after: Option<&Value>) -> Option<String> {
    let fields = flatten(after.or(before));
    ["profile.full_name", "full_name", "name", "login", "file_name", "cell_name"]
        .iter()
        .find_map(|key| fields.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.as_str()).filter(|s| !s.is_empty()).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn personal_details_are_withheld_and_the_rest_kept() {
        let mut m = serde_json::json!({"id": 4, "profile": {"full_name": "Nguyễn Văn Thành", "cccd": "022058001234", "phone": "0912345678", "current_address": "Khu 3"}, "status": "official"});
        assert_eq!(entry_member(Entity::Member, Some(4), None, Some(&m)), Some(4));
        withhold_personal(Entity::Member, &mut m);
        assert_eq!(m, serde_json::json!({"id": 4, "profile": {"full_name": "Nguyễn Văn Thành"}, "status": "official"}));
        let mut t = serde_json::json!({"member_id": 9, "full_name": "Lê Văn Hùng", "card_number": "12345678"});
        assert_eq!(entry_member(Entity::Transfer, Some(1), Some(&t), None), Some(9));
        withhold_personal(Entity::Transfer, &mut t);
        assert_eq!(t, serde_json::json!({"member_id": 9, "full_name": "Lê Văn Hùng"}));
        assert_eq!(entry_member(Entity::Org, Some(1), None, Some(&serde_json::json!({"member_id": 9}))), None);
    }

    #[test]
    fn every_action_has_both_labels_a_unique_code_and_reads_back() {
        let all = Action::all();
        assert!(all.len() >= 40, "{} actions", all.len());
        let mut codes = HashSet::new();
        for a in all {
            let (vi, en) = (a.label(Lang::Vi), a.label(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty(), "{a:?}");
            assert_ne!(vi, en, "{a:?} has no Vietnamese label of its own");
            assert!(!vi.contains('.') && !vi.contains('_'), "{a:?}: {vi} looks like a code");
            assert!(codes.insert((a.entity(), a.code())), "{a:?}: code {} twice", a.code());
            assert_eq!(Action::parse(a.entity().code(), a.code()), Some(a));
        }
    }

    #[test]
    fn every_entity_has_labels_and_every_shown_field_has_both_labels() {
        for &e in Entity::ALL {
            assert!(!e.label(Lang::Vi).is_empty() && !e.label(Lang::En).is_empty());
            let mut keys = HashSet::new();
            for f in fields(e) {
                assert!(keys.insert(f.key), "{e:?}: field {} twice", f.key);
                if !matches!(f.kind, FieldKind::Hidden) {
                    assert!(!f.vi.is_empty() && !f.en.is_empty(), "{e:?}.{}", f.key);
                }
            }
            assert!(!fields(e).is_empty(), "{e:?} has no fields");
        }
    }

    #[test]
    fn a_change_reads_in_words() {
        let before = serde_json::json!({"id": 7, "stage": "decided", "member_id": 3, "applied_on": "2026-03-02"});
        let after = serde_json::json!({"id": 7, "stage": "probation", "member_id": 3, "applied_on": "2026-03-02"});
        let c = changes(Entity::Admission, Some(&before), Some(&after), Lang::Vi);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].label, "Giai đoạn");
        assert_eq!(c[0].before, Shown::Text("Chờ tổ chức lễ kết nạp".into()));
        assert_eq!(c[0].after, Shown::Text("Đang trong thời gian dự bị".into()));
        let voted = serde_json::json!({"vote": {"on": "2026-04-01", "votes_for": 8}, "recognition_vote": null});
        let c = changes(Entity::Admission, None, Some(&voted), Lang::Vi);
        assert_eq!(c.iter().map(|x| x.label).collect::<Vec<_>>(), ["Ngày chi bộ biểu quyết kết nạp", "Số tán thành kết nạp"]);
        let org = serde_json::json!({"id": 2, "name": "Chi bộ Khu 3", "parent_id": 1, "founded_on": "2020-01-05", "kind": "cell"});
        let c = changes(Entity::Org, None, Some(&org), Lang::Vi);
        let by = |l: &str| c.iter().find(|x| x.label == l).map(|x| x.after.clone());
        assert_eq!(by("Tổ chức cấp trên"), Some(Shown::Org(1)));
        assert_eq!(by("Ngày thành lập"), Some(Shown::Text("05/01/2020".into())));
        assert_eq!(by("Tên tổ chức"), Some(Shown::Text("Chi bộ Khu 3".into())));
        assert!(c.iter().all(|x| x.label != "id"));
        assert_eq!(record_name(None, Some(&org)).as_deref(), Some("Chi bộ Khu 3"));
        let letter = serde_json::json!({"fees_paid_through": {"year": 2026, "month": 10}, "letter_no": "12-GGT"});
        assert!(undeclared_keys(Entity::Transfer, Some(&letter)).is_empty());
        let c = changes(Entity::Transfer, None, Some(&letter), Lang::Vi);
        assert!(c.iter().any(|x| x.after == Shown::Text("10/2026".into())), "{c:?}");
    }
}
