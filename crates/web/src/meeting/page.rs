//! The meeting pages: an organization's meetings by month, a meeting's plan and record, the
//! attendance screen (one screen of tap targets for a phone, the counts and the quorum
//! recomputed by htmx as the secretary taps, and by the server when the form is sent without
//! a script), the minutes form prefilled with the rules' agenda, and the forms that notify,
//! sign, cancel, amend and rate a meeting. Every save comes back to the meeting with a line
//! saying what was saved.
//!
//! The one-field forms (sign, cancel, amend, rate, the plan) have the shape of `crate::form`'s
//! helpers: `for_change`, a `Frame`, `save` and `answer`. The attendance and the minutes have
//! a line per person and per item, so they have pages of their own with the errors beside
//! their fields.

use super::form::{AmendForm, CancelForm, Pairs, PlanForm, RateForm, SignForm};
use crate::auth::{Chrome, CsrfForm, Staff};
use crate::committee::options;
use crate::error::{AppError, AppResult};
use crate::form::{Field, FormPage, Frame, answer, attach_errors, for_change, save};
use crate::i18n::Lang;
use crate::member::version_of;
use crate::view::{Pager, number, pick};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::format_date;
use chibo_domain::error::ValidationErrors;
use chibo_domain::meeting::{Attendee, Counts, MeetingKind, MeetingState, Presence, Quality, Role};
use chibo_domain::org::OrgId;
use chibo_domain::scope::Rights;
use chibo_store::meeting::{AttendanceList, MeetingFilter, MeetingRecord};
use chrono::Datelike;
use serde::Deserialize;
use std::collections::BTreeMap;

/// "Sinh hoạt thường kỳ ngày 04/12/2026".
pub(super) fn meeting_title(lang: Lang, kind: MeetingKind, on: chrono::NaiveDate) -> String {
    format!("{} {} {}", kind.label(lang), pick(lang, "ngày", "on"), format_date(on))
}

/// The badge class of a state.
pub(super) fn state_class(s: MeetingState) -> &'static str {
    match s {
        MeetingState::Planned => "candidate",
        MeetingState::Notified => "probationary",
        MeetingState::Held => "warn",
        MeetingState::Signed => "official",
        MeetingState::Cancelled => "inactive",
    }
}

/// "Có mặt 5/8 — đủ số lượng, cần 5".
pub(super) fn counts_line(lang: Lang, c: &Counts) -> String {
    match lang {
        Lang::Vi => format!("Có mặt {}/{} — {}, cần {}", c.present, c.convened, if c.quorum_met { "đủ số lượng" } else { "chưa đủ số lượng" }, c.quorum_needed),
        Lang::En => format!("Present {}/{} — {}, {} needed", c.present, c.convened, if c.quorum_met { "quorum met" } else { "no quorum" }, c.quorum_needed),
    }
}

/// The details under the counts: late, excused, absent, others.
fn counts_detail(lang: Lang, c: &Counts) -> String {
    match lang {
        Lang::Vi => format!("Đến muộn {} · vắng có lý do {} · vắng không lý do {} · người dự khác {}", c.late, c.excused, c.absent, c.others_present),
        Lang::En => format!("Late {} · excused {} · absent {} · others present {}", c.late, c.excused, c.absent, c.others_present),
    }
}

fn saved_text(lang: Lang, what: &str, r: &MeetingRecord) -> Option<String> {
    let m = &r.meeting;
    let vi = match what {
        "plan" => format!("Đã lên lịch {} tại {}.", meeting_title(lang, m.kind, m.held_on).to_lowercase(), m.place.as_deref().unwrap_or("nơi chưa ghi")),
        "edit" => "Đã lưu kế hoạch cuộc họp.".to_owned(),
        "notify" => format!("Đã thông báo cuộc họp cho {} đảng viên; lịch hiện trên trang của từng đảng viên.", r.counts.convened),
        "attendance" => format!("Đã lưu điểm danh: {}.", counts_line(Lang::Vi, &r.counts)),
        "minutes" => format!("Đã lưu biên bản: {} nội dung.", r.items.len()),
        "sign" => format!("Đã ký biên bản ngày {}.", m.signed_on.map(format_date).unwrap_or_default()),
        "cancel" => format!("Đã hủy cuộc họp: {}.", m.cancel_reason.as_deref().unwrap_or("")),
        "amend" => "Đã lưu đính chính; biên bản đã ký giữ nguyên.".to_owned(),
        "rate" => format!("Đã lưu đánh giá chất lượng: {}.", m.quality.map(|q| q.label_vi()).unwrap_or("")),
        _ => return None,
    };
    Some(match lang {
        Lang::Vi => vi,
        Lang::En => match what {
            "plan" => "The meeting was planned.",
            "edit" => "The plan was saved.",
            "notify" => "The members were notified.",
            "attendance" => "The attendance was saved.",
            "minutes" => "The minutes were saved.",
            "sign" => "The minutes were signed.",
            "cancel" => "The meeting was cancelled.",
            "amend" => "The amendment was saved.",
            _ => "The rating was saved.",
        }
        .to_owned(),
    })
}

fn to_meeting(id: i64, saved: &str) -> Response {
    Redirect::to(&format!("/meetings/{id}?saved={saved}")).into_response()
}

// --- An organization's meetings ---

/// A meeting in a month of the list.
pub struct LineView {
    pub id: i64,
    pub day: String,
    pub title: String,
    pub org: String,
    pub topic: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub counts: String,
}

/// A month of the list.
pub struct MonthView {
    pub label: String,
    pub lines: Vec<LineView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/list.html")]
pub(super) struct ListPage {
    c: Chrome,
    org_id: OrgId,
    org_name: String,
    months: Vec<MonthView>,
    total: String,
    pager: Pager,
    can_plan: bool,
    all: bool,
    all_query: String,
    l: ListLabels,
}

/// The list's fixed words.
pub struct ListLabels {
    pub title: &'static str,
    pub plan: &'static str,
    pub none: &'static str,
    pub whole: &'static str,
    pub only: &'static str,
    pub committee: &'static str,
    pub xlsx: &'static str,
    pub csv: &'static str,
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    all: String,
    page: Option<i64>,
}

const PER_PAGE: i64 = 50;

pub(super) async fn list(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<ListQuery>) -> AppResult<ListPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let all = q.all == "1";
    let page = q.page.unwrap_or(1).max(1);
    let filter = MeetingFilter { only_org: !all, ..MeetingFilter::default() };
    let found = store.meetings(id, &filter, Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(|e| staff.auth.err(e))?;
    let mut months: Vec<MonthView> = Vec::new();
    for l in found.items {
        let m = &l.meeting;
        let label = format!("{} {:02}/{}", pick(lang, "Tháng", "Month"), m.held_on.month(), m.held_on.year());
        let line = LineView {
            id: m.id,
            day: format!("{}{}", format_date(m.held_on), m.starts_at.as_deref().map(|t| format!(" · {t}")).unwrap_or_default()),
            title: m.kind.label(lang).to_owned(),
            org: if all { l.org_name.clone() } else { String::new() },
            topic: m.topic.clone().unwrap_or_default(),
            state: m.state.label(lang),
            state_class: state_class(m.state),
            counts: if matches!(m.state, MeetingState::Held | MeetingState::Signed) {
                match lang {
                    Lang::Vi => format!("Có mặt {}/{} · vắng có lý do {} · không lý do {}", l.present, l.convened, l.excused, l.absent),
                    Lang::En => format!("Present {}/{} · excused {} · absent {}", l.present, l.convened, l.excused, l.absent),
                }
            } else {
                String::new()
            },
        };
        match months.last_mut() {
            Some(last) if last.label == label => last.lines.push(line),
            _ => months.push(MonthView { label, lines: vec![line] }),
        }
    }
    let query = [("all", q.all.clone())];
    Ok(ListPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/meetings")),
        org_id: id,
        org_name: org.name,
        months,
        total: number(found.total, lang),
        pager: Pager::new(&format!("/orgs/{id}/meetings"), &query, page, PER_PAGE, found.total),
        can_plan: staff.may(Rights::Members) && org.dissolved_on.is_none() && org.kind != chibo_domain::org::OrgKind::Group,
        all,
        all_query: if all { "all=1&amp;".to_owned() } else { String::new() },
        l: ListLabels {
            title: pick(lang, "Sinh hoạt chi bộ và họp cấp ủy", "Meetings"),
            plan: pick(lang, "Lên lịch sinh hoạt", "Plan a meeting"),
            none: pick(lang, "Chưa có cuộc họp nào.", "No meetings yet."),
            whole: pick(lang, "Xem cả các tổ chức trực thuộc", "Include the organizations below"),
            only: pick(lang, "Chỉ tổ chức này", "This organization only"),
            committee: pick(lang, "Cấp ủy và nhiệm kỳ", "Committee and terms"),
            xlsx: pick(lang, "Tải Excel", "Download Excel"),
            csv: pick(lang, "Tải CSV", "Download CSV"),
        },
    })
}

// --- The plan ---

fn kind_options(lang: Lang, org: chibo_domain::org::OrgKind) -> Vec<(String, String)> {
    let held: Vec<MeetingKind> = MeetingKind::ALL.iter().copied().filter(|k| k.held_by(org)).collect();
    options(&held, MeetingKind::code, MeetingKind::label_vi, MeetingKind::label_en, lang)
}

fn plan_fields(lang: Lang, f: &PlanForm, org: chibo_domain::org::OrgKind) -> Vec<Field> {
    vec![
        Field::select("meeting_kind", &f.meeting_kind, kind_options(lang, org), lang).required(),
        Field::date("held_on", &f.held_on, lang).required().hint(pick(lang, "dd/mm/yyyy, ví dụ 04/01/2027", "dd/mm/yyyy, e.g. 04/01/2027")),
        Field::text("starts_at", &f.starts_at, lang).hint(pick(lang, "Ví dụ: 19:30 hoặc 7h30", "E.g. 19:30")),
        Field::text("place", &f.place, lang).hint(pick(lang, "Ví dụ: Nhà văn hóa khu phố 3", "E.g. the neighbourhood's hall")),
        Field::text("topic", &f.topic, lang).hint(pick(lang, "Bắt buộc với sinh hoạt chuyên đề", "Required for a thematic meeting")),
        Field::textarea("documents", &f.documents, lang).hint(pick(lang, "Tài liệu đảng viên cần đọc trước", "What the members read beforehand")),
    ]
}

async fn plan_page(staff: &Staff, org: OrgId, f: &PlanForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let o = staff.store().org(org).await.map_err(|e| staff.auth.err(e))?;
    let frame = Frame {
        nav: "orgs",
        title: pick(lang, "Lên lịch sinh hoạt", "Plan a meeting").to_owned(),
        lead: o.name.clone(),
        back: format!("/orgs/{org}/meetings"),
        back_label: o.name,
        action: format!("/orgs/{org}/meetings/new"),
        submit: pick(lang, "Lưu kế hoạch", "Save the plan").to_owned(),
        version: 0,
    };
    Ok(frame.page(staff, plan_fields(lang, f, o.kind), errors))
}

/// The next regular meeting's day: the rules' due day of the coming month is the habit (the
/// notice on the 20th for a meeting early next month), so the form starts on the 4th.
fn next_meeting_day(today: chrono::NaiveDate) -> chrono::NaiveDate {
    let (y, m) = if today.month() == 12 { (today.year() + 1, 1) } else { (today.year(), today.month() + 1) };
    if today.day() < 4 { today.with_day(4).unwrap_or(today) } else { chrono::NaiveDate::from_ymd_opt(y, m, 4).unwrap_or(today) }
}

pub(super) async fn plan_form(staff: Staff, Path(org): Path<OrgId>) -> AppResult<FormPage> {
    let o = for_change(&staff, staff.store().org(org)).await?;
    let kind = if o.kind.holds_members() { MeetingKind::Regular } else { MeetingKind::Committee };
    let f =
        PlanForm { meeting_kind: kind.code().into(), held_on: format_date(next_meeting_day(staff.today())), starts_at: "19:30".into(), ..Default::default() };
    plan_page(&staff, org, &f, &ValidationErrors::new()).await
}

pub(super) async fn plan(staff: Staff, Path(org): Path<OrgId>, CsrfForm(f): CsrfForm<PlanForm>) -> AppResult<Response> {
    let store = staff.store();
    let o = for_change(&staff, store.org(org)).await?;
    let result = save(f.input().validate(o.kind, staff.today()), async |cmd| store.plan_meeting(org, cmd).await).await;
    answer(&staff, result, |m| to_meeting(m.id, "plan"), async |e| plan_page(&staff, org, &f, &e).await).await
}

async fn edit_page(staff: &Staff, id: i64, f: &PlanForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let frame = Frame {
        nav: "orgs",
        title: pick(lang, "Sửa kế hoạch cuộc họp", "Change the plan").to_owned(),
        lead: format!("{} · {}", r.org_name, meeting_title(lang, r.meeting.kind, r.meeting.held_on)),
        back: format!("/meetings/{id}"),
        back_label: meeting_title(lang, r.meeting.kind, r.meeting.held_on),
        action: format!("/meetings/{id}/edit"),
        submit: pick(lang, "Lưu kế hoạch", "Save the plan").to_owned(),
        version: r.meeting.version,
    };
    Ok(frame.page(staff, plan_fields(lang, f, r.org_kind), errors))
}

pub(super) async fn edit_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    let r = for_change(&staff, staff.store().meeting(id)).await?;
    let m = r.meeting;
    let f = PlanForm {
        meeting_kind: m.kind.code().into(),
        held_on: format_date(m.held_on),
        starts_at: m.starts_at.unwrap_or_default(),
        place: m.place.unwrap_or_default(),
        topic: m.topic.unwrap_or_default(),
        documents: m.documents.unwrap_or_default(),
        version: m.version.to_string(),
    };
    edit_page(&staff, id, &f, &ValidationErrors::new()).await
}

pub(super) async fn edit(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<PlanForm>) -> AppResult<Response> {
    let store = staff.store();
    let r = for_change(&staff, store.meeting(id)).await?;
    // Validated against the day the meeting may move to: a year from today.
    let result = save(f.input().validate(r.org_kind, staff.today()), async |cmd| store.update_meeting_plan(id, version_of(&f.version), cmd).await).await;
    answer(&staff, result, |_| to_meeting(id, "edit"), async |e| edit_page(&staff, id, &f, &e).await).await
}

// --- The meeting ---

/// Someone on the attendance list as the meeting page shows them.
pub struct PersonView {
    pub member_id: i64,
    pub name: String,
    pub role: &'static str,
    pub presence: &'static str,
    pub presence_code: &'static str,
    pub reason: String,
    pub link: bool,
}

/// A group of the attendance list ("Đảng viên được triệu tập", "Khách mời").
pub struct GroupView {
    pub title: &'static str,
    pub people: Vec<PersonView>,
}

/// An agenda item as the meeting page and the print show it.
pub struct ItemView {
    pub n: usize,
    pub title: String,
    pub report: Vec<String>,
    pub opinions: Vec<(String, String)>,
    pub conclusion: Vec<String>,
    pub votes: Vec<String>,
}

/// An action button of the meeting page: (address, label, primary).
pub struct Action {
    pub href: String,
    pub label: &'static str,
    pub primary: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/show.html")]
pub(super) struct ShowPage {
    c: Chrome,
    id: i64,
    org_id: OrgId,
    org_name: String,
    title: String,
    saved: Option<String>,
    state: &'static str,
    state_class: &'static str,
    plan: Vec<(&'static str, String)>,
    documents: Vec<String>,
    can_notify: bool,
    can_sign: bool,
    version: i64,
    actions: Vec<Action>,
    attendance_recorded: bool,
    counts: String,
    counts_detail: String,
    groups: Vec<GroupView>,
    excluded: Vec<(String, &'static str)>,
    items: Vec<ItemView>,
    items_from_template: bool,
    people: Vec<(&'static str, String)>,
    resolution: Vec<String>,
    resolution_no: String,
    amendments: Vec<(String, Vec<String>)>,
    rating: Option<String>,
    today: String,
    vote_line: String,
    l: ShowLabels,
}

/// The meeting page's fixed words.
pub struct ShowLabels {
    pub meetings: &'static str,
    pub plan: &'static str,
    pub documents: &'static str,
    pub notify: &'static str,
    pub attendance: &'static str,
    pub not_recorded: &'static str,
    pub excluded: &'static str,
    pub minutes: &'static str,
    pub template: &'static str,
    pub report: &'static str,
    pub opinions: &'static str,
    pub conclusion: &'static str,
    pub resolution: &'static str,
    pub amendments: &'static str,
    pub rating: &'static str,
    pub sign: &'static str,
    pub sign_on: &'static str,
}

fn lines(s: Option<&str>) -> Vec<String> {
    s.map(|t| t.lines().map(str::to_owned).collect()).unwrap_or_default()
}

/// The attendance in its groups: those convened, the exempt, those on a temporary transfer
/// here, the invited and guests.
pub(super) fn groups(lang: Lang, attendees: &[Attendee]) -> Vec<GroupView> {
    let titles: [(&[Role], &'static str, &'static str); 4] = [
        (&[Role::Official, Role::Probationary, Role::Seat], "Đảng viên được triệu tập", "Convened"),
        (&[Role::Exempt], "Đảng viên miễn sinh hoạt (có thể dự)", "Exempt members (may attend)"),
        (&[Role::Visiting], "Đảng viên sinh hoạt tạm thời", "Members on temporary transfer here"),
        (&[Role::InCharge, Role::Resident, Role::Guest], "Khách mời", "Invited"),
    ];
    titles
        .iter()
        .filter_map(|(roles, vi, en)| {
            let people: Vec<PersonView> = attendees
                .iter()
                .filter(|a| roles.contains(&a.role))
                .map(|a| PersonView {
                    member_id: a.member_id.unwrap_or(0),
                    name: a.name.clone(),
                    role: a.role.label(lang),
                    presence: a.presence.label(lang),
                    presence_code: a.presence.code(),
                    reason: a.reason.clone().unwrap_or_default(),
                    link: a.member_id.is_some(),
                })
                .collect();
            (!people.is_empty()).then_some(GroupView { title: pick(lang, vi, en), people })
        })
        .collect()
}

/// "Tán thành 7/8, không tán thành 1, không biểu quyết 0 — thông qua (cần 5)".
pub(super) fn vote_text(lang: Lang, v: &chibo_domain::meeting::Vote, needed: u32) -> String {
    let passed = v.votes_for >= needed;
    match lang {
        Lang::Vi => format!(
            "{}: tán thành {}/{}, không tán thành {}, không biểu quyết {} — {} (cần {})",
            v.subject,
            v.votes_for,
            v.base,
            v.votes_against,
            v.abstain,
            if passed { "thông qua" } else { "không thông qua" },
            needed
        ),
        Lang::En => format!(
            "{}: for {}/{}, against {}, abstaining {} — {} ({} needed)",
            v.subject,
            v.votes_for,
            v.base,
            v.votes_against,
            v.abstain,
            if passed { "passed" } else { "not passed" },
            needed
        ),
    }
}

pub(super) fn item_views(lang: Lang, r: &MeetingRecord) -> Vec<ItemView> {
    r.items
        .iter()
        .enumerate()
        .map(|(i, it)| ItemView {
            n: i + 1,
            title: it.title.clone(),
            report: lines(it.report.as_deref()),
            opinions: it.opinions.iter().map(|o| (o.speaker.clone(), o.text.clone())).collect(),
            conclusion: lines(it.conclusion.as_deref()),
            votes: it.votes.iter().map(|v| vote_text(lang, v, r.votes_needed)).collect(),
        })
        .collect()
}

/// "Biểu quyết trên cơ sở 8 đảng viên chính thức; thông qua khi có từ 5 phiếu tán thành".
pub(super) fn vote_line(lang: Lang, r: &MeetingRecord) -> String {
    match lang {
        Lang::Vi => format!(
            "Biểu quyết trên cơ sở {} đảng viên chính thức của chi bộ; thông qua khi có từ {} phiếu tán thành; {} đảng viên chính thức có mặt.",
            r.vote_base, r.votes_needed, r.counts.official_present
        ),
        Lang::En => format!(
            "Votes are counted against {} official members; {} votes for pass a motion; {} official members present.",
            r.vote_base, r.votes_needed, r.counts.official_present
        ),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct ShowQuery {
    saved: Option<String>,
}

/// Whether the reader may rate the meeting: the level above, whose scope reaches the
/// organization's parent (the store checks it again).
async fn may_rate(staff: &Staff, org: OrgId) -> bool {
    if !staff.may(Rights::Members) {
        return false;
    }
    let store = staff.store();
    match store.org(org).await.ok().and_then(|o| o.parent_id) {
        Some(p) => store.org(p).await.is_ok(),
        None => false,
    }
}

pub(super) async fn show(staff: Staff, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> AppResult<ShowPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let m = &r.meeting;
    let can_write = staff.may(Rights::Members);
    let today = staff.today();
    let held_day = m.held_on <= today;
    let mut actions = Vec::new();
    let mut act = |href: String, vi: &'static str, en: &'static str, primary: bool| actions.push(Action { href, label: pick(lang, vi, en), primary });
    if can_write {
        if m.state.record_open() && held_day {
            act(format!("/meetings/{id}/attendance"), "Điểm danh", "Attendance", m.state != MeetingState::Held || !r.attendance_recorded);
            act(format!("/meetings/{id}/minutes"), "Ghi biên bản", "Minutes", r.attendance_recorded);
        }
        if m.state.record_open() {
            act(format!("/meetings/{id}/edit"), "Sửa kế hoạch", "Change the plan", false);
        }
        if matches!(m.state, MeetingState::Planned | MeetingState::Notified) {
            act(format!("/meetings/{id}/cancel"), "Hủy cuộc họp", "Cancel", false);
        }
        if m.state == MeetingState::Signed {
            act(format!("/meetings/{id}/amend"), "Ghi đính chính", "Amend", false);
        }
    }
    if matches!(m.state, MeetingState::Held | MeetingState::Signed) && may_rate(&staff, m.org_id).await {
        act(format!("/meetings/{id}/rate"), "Đánh giá chất lượng", "Rate", false);
    }
    if m.state != MeetingState::Cancelled {
        act(format!("/meetings/{id}/notice"), "In giấy báo", "Print the notice", false);
    }
    if matches!(m.state, MeetingState::Held | MeetingState::Signed) {
        act(format!("/meetings/{id}/print"), "In biên bản", "Print the minutes", m.state == MeetingState::Signed);
    }
    let mut plan = vec![
        (pick(lang, "Tổ chức", "Organization"), r.org_name.clone()),
        (pick(lang, "Ngày họp", "Day"), format!("{}{}", format_date(m.held_on), m.starts_at.as_deref().map(|t| format!(", {t}")).unwrap_or_default())),
    ];
    if let Some(p) = &m.place {
        plan.push((pick(lang, "Địa điểm", "Place"), p.clone()));
    }
    if let Some(t) = &m.topic {
        plan.push((pick(lang, "Chủ đề", "Topic"), t.clone()));
    }
    if let Some(d) = m.notified_on {
        plan.push((pick(lang, "Đã thông báo ngày", "Notified on"), format_date(d)));
    }
    if let Some(why) = &m.cancel_reason {
        plan.push((pick(lang, "Lý do hủy", "Why cancelled"), why.clone()));
    }
    let mut people = Vec::new();
    if let Some((_, n)) = &m.chair {
        people.push((pick(lang, "Chủ trì", "Chair"), n.clone()));
    }
    if let Some((_, n)) = &m.secretary {
        people.push((pick(lang, "Thư ký", "Minutes secretary"), n.clone()));
    }
    if let Some(d) = m.signed_on {
        people.push((pick(lang, "Ký biên bản ngày", "Signed on"), format_date(d)));
    }
    let rating = m.quality.map(|q| {
        let mut t = format!("{}: {}", pick(lang, "Chất lượng", "Quality"), q.label(lang));
        if let Some(d) = m.rated_on {
            t.push_str(&format!(" · {} {}", pick(lang, "ngày", "on"), format_date(d)));
        }
        if let Some(by) = &r.rated_by {
            t.push_str(&format!(" · {by}"));
        }
        if let Some(n) = &m.quality_note {
            t.push_str(&format!(" · {n}"));
        }
        t
    });
    Ok(ShowPage {
        c: staff.auth.chrome("orgs", &format!("/meetings/{id}")),
        id,
        org_id: m.org_id,
        org_name: r.org_name.clone(),
        title: meeting_title(lang, m.kind, m.held_on),
        saved: q.saved.as_deref().and_then(|w| saved_text(lang, w, &r)),
        state: m.state.label(lang),
        state_class: state_class(m.state),
        plan,
        documents: lines(m.documents.as_deref()),
        can_notify: can_write && m.state == MeetingState::Planned,
        can_sign: can_write && m.state == MeetingState::Held,
        version: m.version,
        actions,
        attendance_recorded: r.attendance_recorded,
        counts: counts_line(lang, &r.counts),
        counts_detail: counts_detail(lang, &r.counts),
        groups: groups(lang, &r.attendees),
        excluded: r.excluded.iter().map(|e| (e.name.clone(), e.why.label(lang))).collect(),
        items: item_views(lang, &r),
        items_from_template: r.items_from_template,
        people,
        resolution: lines(m.resolution.as_deref()),
        resolution_no: m.resolution_no.clone().unwrap_or_default(),
        amendments: r.amendments.iter().map(|a| (format!("{} · {}", format_date(a.made_on), a.by), lines(Some(&a.text)))).collect(),
        rating,
        today: format_date(today),
        vote_line: vote_line(lang, &r),
        l: ShowLabels {
            meetings: pick(lang, "Sinh hoạt chi bộ", "Meetings"),
            plan: pick(lang, "Kế hoạch", "Plan"),
            documents: pick(lang, "Tài liệu cần đọc trước", "Documents to read"),
            notify: pick(lang, "Thông báo cho đảng viên", "Notify the members"),
            attendance: pick(lang, "Điểm danh", "Attendance"),
            not_recorded: pick(
                lang,
                "Chưa điểm danh: danh sách theo danh sách đảng viên ngày họp, mọi người tính là có mặt.",
                "Not recorded yet: the roll of the day, everyone present.",
            ),
            excluded: pick(lang, "Không triệu tập", "Not convened"),
            minutes: pick(lang, "Biên bản", "Minutes"),
            template: pick(lang, "Chưa ghi biên bản: chương trình theo mẫu của quy định.", "No minutes yet: the rules' agenda."),
            report: pick(lang, "Báo cáo", "Report"),
            opinions: pick(lang, "Ý kiến", "Opinions"),
            conclusion: pick(lang, "Kết luận", "Conclusion"),
            resolution: pick(lang, "Nghị quyết", "Resolution"),
            amendments: pick(lang, "Đính chính (biên bản đã ký giữ nguyên bên trên)", "Amendments (the signed minutes stay as above)"),
            rating: pick(lang, "Đánh giá của cấp trên", "Rating by the level above"),
            sign: pick(lang, "Ký biên bản", "Sign the minutes"),
            sign_on: pick(lang, "Ngày ký", "Signed on"),
        },
    })
}

#[derive(Deserialize, Default)]
pub(super) struct VersionForm {
    #[serde(default)]
    version: String,
}

/// "Thông báo cho đảng viên": the meeting shows on each member's own page.
pub(super) async fn notify(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<VersionForm>) -> AppResult<Response> {
    let store = staff.store();
    for_change(&staff, store.meeting(id)).await?;
    match store.notify_meeting(id, version_of(&f.version)).await {
        Ok(_) => Ok(to_meeting(id, "notify")),
        Err(e) => Err(refused(&staff, e)),
    }
}

/// A refusal of a one-button change (notify) as a page saying why.
fn refused(staff: &Staff, e: chibo_store::StoreError) -> AppError {
    match crate::form::refusal(e) {
        Ok(v) => AppError::Invalid(staff.auth.lang, v.summary(staff.auth.lang)),
        Err(e) => staff.auth.err(e),
    }
}

// --- Attendance ---

/// A person's line on the attendance screen.
pub struct TapLine {
    pub id: i64,
    pub name: String,
    pub role: &'static str,
    pub presence: String,
    pub reason: String,
    pub error: Option<String>,
}

impl TapLine {
    /// Whether this presence is the one tapped.
    pub fn is(&self, code: &str) -> bool {
        self.presence == code
    }
}

/// A group of the attendance screen.
pub struct TapGroup {
    pub title: &'static str,
    pub lines: Vec<TapLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/attendance.html")]
pub(super) struct AttendancePage {
    c: Chrome,
    id: i64,
    title: String,
    org_name: String,
    version: i64,
    groups: Vec<TapGroup>,
    choices: Vec<(&'static str, &'static str)>,
    guests: String,
    guests_error: Option<String>,
    excluded: Vec<(String, &'static str)>,
    counts: CountsPartial,
    errors: Vec<crate::form::ErrorLine>,
    l: TapLabels,
}

/// The attendance screen's fixed words.
pub struct TapLabels {
    pub lead: &'static str,
    pub reason: &'static str,
    pub guests: &'static str,
    pub guests_hint: &'static str,
    pub excluded: &'static str,
    pub save: &'static str,
    pub back: &'static str,
}

/// The counts and the quorum, as htmx swaps them in while the secretary taps.
#[derive(Template, WebTemplate)]
#[template(path = "meeting/counts.html")]
pub(super) struct CountsPartial {
    line: String,
    detail: String,
    met: bool,
}

fn counts_partial(lang: Lang, c: &Counts) -> CountsPartial {
    CountsPartial { line: counts_line(lang, c), detail: counts_detail(lang, c), met: c.quorum_met }
}

fn presence_choices(lang: Lang) -> Vec<(&'static str, &'static str)> {
    Presence::ALL
        .iter()
        .map(|p| {
            let short = match (p, lang) {
                (Presence::Present, Lang::Vi) => "Có mặt",
                (Presence::Late, Lang::Vi) => "Đến muộn",
                (Presence::Excused, Lang::Vi) => "Vắng có lý do",
                (Presence::Absent, Lang::Vi) => "Vắng không lý do",
                (p, Lang::En) => p.label_en(),
            };
            (p.code(), short)
        })
        .collect()
}

/// The attendance as the form last showed it, with what was tapped applied.
fn tapped(attendees: &[Attendee], f: &Pairs) -> Vec<Attendee> {
    attendees
        .iter()
        .map(|a| {
            let mut a = a.clone();
            if let Some(id) = a.member_id {
                if let Some(p) = f.0.get(&format!("presence_{id}")).and_then(|c| Presence::from_code(c)) {
                    a.presence = p;
                }
                if let Some(r) = f.0.get(&format!("reason_{id}")) {
                    a.reason = Some(r.clone());
                }
            }
            a
        })
        .collect()
}

async fn rules_on(staff: &Staff, on: chrono::NaiveDate) -> AppResult<chibo_domain::meeting::MeetingRules> {
    Ok(staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?.at(on).meeting.clone())
}

async fn attendance_page(staff: &Staff, id: i64, f: Option<&Pairs>, errors: &ValidationErrors) -> AppResult<AttendancePage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let rules = rules_on(staff, r.meeting.held_on).await?;
    let attendees = match f {
        Some(f) => tapped(&r.attendees, f),
        None => r.attendees.clone(),
    };
    let guests = match f {
        Some(f) => f.get("guests"),
        None => r.attendees.iter().filter(|a| a.member_id.is_none()).map(|a| a.name.clone()).collect::<Vec<_>>().join("\n"),
    };
    let groups = groups(lang, &attendees)
        .into_iter()
        .map(|g| TapGroup {
            title: g.title,
            lines: g
                .people
                .into_iter()
                .filter(|p| p.link)
                .map(|p| {
                    let error = errors
                        .for_field(&format!("presence_{}", p.member_id))
                        .or_else(|| errors.for_field(&format!("reason_{}", p.member_id)))
                        .map(|e| e.message(lang));
                    TapLine { id: p.member_id, name: p.name, role: p.role, presence: p.presence_code.to_owned(), reason: p.reason, error }
                })
                .collect(),
        })
        .filter(|g| !g.lines.is_empty())
        .collect();
    let mut no_fields: Vec<Field> = Vec::new();
    let summary = attach_errors(&mut no_fields, errors, lang);
    Ok(AttendancePage {
        c: staff.auth.chrome("orgs", &format!("/meetings/{id}/attendance")),
        id,
        title: meeting_title(lang, r.meeting.kind, r.meeting.held_on),
        org_name: r.org_name.clone(),
        version: r.meeting.version,
        groups,
        choices: presence_choices(lang),
        guests,
        guests_error: errors.errors.iter().find(|e| e.field.starts_with("guests")).map(|e| e.message(lang)),
        excluded: r.excluded.iter().map(|e| (e.name.clone(), e.why.label(lang))).collect(),
        counts: counts_partial(lang, &Counts::of(&attendees, &rules)),
        errors: summary,
        l: TapLabels {
            lead: pick(lang, "Mọi người đã tính là có mặt; chạm để đổi người vắng hoặc đến muộn.", "Everyone starts present; tap to change."),
            reason: pick(lang, "Lý do vắng", "Reason"),
            guests: pick(lang, "Khách mời khác", "Other guests"),
            guests_hint: pick(lang, "Mỗi dòng một người, ví dụ: Nguyễn Văn A — Bí thư Đoàn phường", "One a line"),
            excluded: pick(lang, "Không triệu tập", "Not convened"),
            save: pick(lang, "Lưu điểm danh", "Save the attendance"),
            back: pick(lang, "Quay lại cuộc họp", "Back to the meeting"),
        },
    })
}

pub(super) async fn attendance_form(staff: Staff, Path(id): Path<i64>) -> AppResult<AttendancePage> {
    for_change(&staff, staff.store().meeting(id)).await?;
    attendance_page(&staff, id, None, &ValidationErrors::new()).await
}

fn member_ids(r: &MeetingRecord) -> Vec<i64> {
    r.attendees.iter().filter_map(|a| a.member_id).collect()
}

pub(super) async fn record_attendance(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<Pairs>) -> AppResult<Response> {
    let store = staff.store();
    let r = for_change(&staff, store.meeting(id)).await?;
    let result = save(f.attendance(&member_ids(&r)).validate(), async |cmd| store.record_attendance(id, f.version(), cmd).await).await;
    match result {
        Ok(_) => Ok(to_meeting(id, "attendance")),
        Err(e) => {
            let v = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            Ok(attendance_page(&staff, id, Some(&f), &v).await?.into_response())
        }
    }
}

/// The counts of the attendance as tapped so far (htmx, on every tap).
pub(super) async fn counts(staff: Staff, Path(id): Path<i64>, Query(f): Query<Pairs>) -> AppResult<CountsPartial> {
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let rules = rules_on(&staff, r.meeting.held_on).await?;
    Ok(counts_partial(staff.auth.lang, &Counts::of(&tapped(&r.attendees, &f), &rules)))
}

// --- Minutes ---

/// An agenda item on the minutes form.
pub struct ItemForm {
    pub n: usize,
    pub title: String,
    pub report: String,
    pub opinions: String,
    pub conclusion: String,
    pub vote_subject: String,
    pub votes_for: String,
    pub votes_against: String,
    pub abstain: String,
    /// Errors by the field's last part ("title", "votes_for").
    pub errors: BTreeMap<&'static str, String>,
}

impl ItemForm {
    /// The error beside a field of the item.
    pub fn err(&self, part: &str) -> String {
        self.errors.get(part).cloned().unwrap_or_default()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/minutes.html")]
pub(super) struct MinutesPage {
    c: Chrome,
    id: i64,
    title: String,
    org_name: String,
    version: i64,
    counts: String,
    vote_line: String,
    items: Vec<ItemForm>,
    present: Vec<(String, String)>,
    chair: String,
    secretary: String,
    resolution_no: String,
    resolution: String,
    chair_error: Option<String>,
    secretary_error: Option<String>,
    resolution_no_error: Option<String>,
    resolution_error: Option<String>,
    errors: Vec<crate::form::ErrorLine>,
    l: MinutesLabels,
}

/// The minutes form's fixed words.
pub struct MinutesLabels {
    pub item: &'static str,
    pub title: &'static str,
    pub report: &'static str,
    pub opinions: &'static str,
    pub opinions_hint: &'static str,
    pub conclusion: &'static str,
    pub vote: &'static str,
    pub vote_subject: &'static str,
    pub votes_for: &'static str,
    pub votes_against: &'static str,
    pub abstain: &'static str,
    pub add: &'static str,
    pub chair: &'static str,
    pub secretary: &'static str,
    pub choose: &'static str,
    pub resolution_no: &'static str,
    pub resolution: &'static str,
    pub save: &'static str,
    pub back: &'static str,
}

const ITEM_PARTS: [&str; 8] = ["title", "report", "opinions", "conclusion", "vote_subject", "votes_for", "votes_against", "abstain"];

async fn minutes_page(staff: &Staff, id: i64, f: Option<&Pairs>, errors: &ValidationErrors) -> AppResult<MinutesPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let m = &r.meeting;
    let err_of = |field: &str| errors.errors.iter().find(|e| e.field == field || e.field.starts_with(&format!("{field}."))).map(|e| e.message(lang));
    let mut items: Vec<ItemForm> = match f {
        Some(f) => (1..=f.item_count())
            .map(|n| {
                let g = |k: &str| f.get(&format!("items.{n}.{k}"));
                ItemForm {
                    n,
                    title: g("title"),
                    report: g("report"),
                    opinions: g("opinions"),
                    conclusion: g("conclusion"),
                    vote_subject: g("vote_subject"),
                    votes_for: g("votes_for"),
                    votes_against: g("votes_against"),
                    abstain: g("abstain"),
                    errors: BTreeMap::new(),
                }
            })
            .collect(),
        None => r
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let v = it.votes.first();
                ItemForm {
                    n: i + 1,
                    title: it.title.clone(),
                    report: it.report.clone().unwrap_or_default(),
                    opinions: it
                        .opinions
                        .iter()
                        .map(|o| if o.speaker.is_empty() { o.text.clone() } else { format!("{}: {}", o.speaker, o.text) })
                        .collect::<Vec<_>>()
                        .join("\n"),
                    conclusion: it.conclusion.clone().unwrap_or_default(),
                    vote_subject: v.map(|v| v.subject.clone()).filter(|s| *s != it.title).unwrap_or_default(),
                    votes_for: v.map(|v| v.votes_for.to_string()).unwrap_or_default(),
                    votes_against: v.map(|v| v.votes_against.to_string()).unwrap_or_default(),
                    abstain: v.map(|v| v.abstain.to_string()).unwrap_or_default(),
                    errors: BTreeMap::new(),
                }
            })
            .collect(),
    };
    if items.is_empty() || f.is_some_and(|f| !f.get("add").is_empty()) {
        let n = items.len() + 1;
        items.push(ItemForm {
            n,
            title: String::new(),
            report: String::new(),
            opinions: String::new(),
            conclusion: String::new(),
            vote_subject: String::new(),
            votes_for: String::new(),
            votes_against: String::new(),
            abstain: String::new(),
            errors: BTreeMap::new(),
        });
    }
    for it in &mut items {
        for part in ITEM_PARTS {
            if let Some(e) = err_of(&format!("items.{}.{part}", it.n)) {
                it.errors.insert(part, e);
            }
        }
    }
    let present: Vec<(String, String)> = r
        .attendees
        .iter()
        .filter(|a| a.presence.attended() && !a.role.invited())
        .filter_map(|a| a.member_id.map(|id| (id.to_string(), a.name.clone())))
        .collect();
    let (chair, secretary) = match f {
        Some(f) => (f.get("chair"), f.get("minutes_secretary")),
        None => (m.chair.as_ref().map(|c| c.0.to_string()).unwrap_or_default(), m.secretary.as_ref().map(|c| c.0.to_string()).unwrap_or_default()),
    };
    let (resolution_no, resolution) = match f {
        Some(f) => (f.get("resolution_no"), f.get("resolution")),
        None => (m.resolution_no.clone().unwrap_or_default(), m.resolution.clone().unwrap_or_default()),
    };
    let mut no_fields: Vec<Field> = Vec::new();
    let summary = attach_errors(&mut no_fields, errors, lang);
    Ok(MinutesPage {
        c: staff.auth.chrome("orgs", &format!("/meetings/{id}/minutes")),
        id,
        title: meeting_title(lang, m.kind, m.held_on),
        org_name: r.org_name.clone(),
        version: m.version,
        counts: counts_line(lang, &r.counts),
        vote_line: vote_line(lang, &r),
        items,
        present,
        chair,
        secretary,
        resolution_no,
        resolution,
        chair_error: err_of("chair"),
        secretary_error: err_of("minutes_secretary"),
        resolution_no_error: err_of("resolution_no"),
        resolution_error: err_of("resolution"),
        errors: summary,
        l: MinutesLabels {
            item: pick(lang, "Nội dung", "Item"),
            title: pick(lang, "Tên nội dung", "Title"),
            report: pick(lang, "Nội dung báo cáo", "Report"),
            opinions: pick(lang, "Ý kiến phát biểu", "Opinions"),
            opinions_hint: pick(lang, "Mỗi dòng một ý kiến, dạng «Tên: ý kiến»", "One a line: «Name: what was said»"),
            conclusion: pick(lang, "Kết luận", "Conclusion"),
            vote: pick(lang, "Biểu quyết (nếu có)", "Vote (if any)"),
            vote_subject: pick(lang, "Nội dung biểu quyết", "Motion"),
            votes_for: pick(lang, "Tán thành", "For"),
            votes_against: pick(lang, "Không tán thành", "Against"),
            abstain: pick(lang, "Không biểu quyết", "Abstain"),
            add: pick(lang, "Thêm nội dung", "Add an item"),
            chair: pick(lang, "Chủ trì", "Chair"),
            secretary: pick(lang, "Thư ký", "Minutes secretary"),
            choose: pick(lang, "— Chọn người có mặt —", "— Choose someone present —"),
            resolution_no: pick(lang, "Số nghị quyết", "Resolution number"),
            resolution: pick(lang, "Nghị quyết của chi bộ", "The resolution"),
            save: pick(lang, "Lưu biên bản", "Save the minutes"),
            back: pick(lang, "Quay lại cuộc họp", "Back to the meeting"),
        },
    })
}

pub(super) async fn minutes_form(staff: Staff, Path(id): Path<i64>) -> AppResult<MinutesPage> {
    for_change(&staff, staff.store().meeting(id)).await?;
    minutes_page(&staff, id, None, &ValidationErrors::new()).await
}

pub(super) async fn record_minutes(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<Pairs>) -> AppResult<Response> {
    let store = staff.store();
    let r = for_change(&staff, store.meeting(id)).await?;
    if !f.get("add").is_empty() {
        // "Thêm nội dung": the form again with one more item, nothing saved.
        return Ok(minutes_page(&staff, id, Some(&f), &ValidationErrors::new()).await?.into_response());
    }
    let present: Vec<i64> = r.attendees.iter().filter(|a| a.presence.attended()).filter_map(|a| a.member_id).collect();
    let cmd = f.minutes(&present).validate(r.counts.official_present, r.vote_base);
    let result = save(cmd, async |cmd| store.record_minutes(id, f.version(), cmd).await).await;
    match result {
        Ok(_) => Ok(to_meeting(id, "minutes")),
        Err(e) => {
            let v = crate::form::refusal(e).map_err(|e| staff.auth.err(e))?;
            Ok(minutes_page(&staff, id, Some(&f), &v).await?.into_response())
        }
    }
}

// --- Sign, cancel, amend, rate ---

fn frame(lang: Lang, r: &MeetingRecord, title: (&str, &str), action: String, submit: (&str, &str)) -> Frame {
    Frame {
        nav: "orgs",
        title: if lang == Lang::Vi { title.0 } else { title.1 }.to_owned(),
        lead: format!("{} · {}", r.org_name, meeting_title(lang, r.meeting.kind, r.meeting.held_on)),
        back: format!("/meetings/{}", r.meeting.id),
        back_label: meeting_title(lang, r.meeting.kind, r.meeting.held_on),
        action,
        submit: if lang == Lang::Vi { submit.0 } else { submit.1 }.to_owned(),
        version: r.meeting.version,
    }
}

async fn sign_page(staff: &Staff, id: i64, f: &SignForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![Field::date("signed_on", &f.signed_on, lang).required()];
    let frame = frame(lang, &r, ("Ký biên bản", "Sign the minutes"), format!("/meetings/{id}/sign"), ("Ký biên bản", "Sign"));
    Ok(Frame { lead: format!("{} · {}", frame.lead, counts_line(lang, &r.counts)), ..frame }.page(staff, fields, errors))
}

pub(super) async fn sign_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().meeting(id)).await?;
    sign_page(&staff, id, &SignForm { signed_on: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn sign(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<SignForm>) -> AppResult<Response> {
    let store = staff.store();
    let r = for_change(&staff, store.meeting(id)).await?;
    let result = save(f.input().validate(r.meeting.held_on, staff.today()), async |on| store.sign_meeting(id, version_of(&f.version), on).await).await;
    answer(&staff, result, |_| to_meeting(id, "sign"), async |e| sign_page(&staff, id, &f, &e).await).await
}

async fn cancel_page(staff: &Staff, id: i64, f: &CancelForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let fields =
        vec![Field::text("cancel_reason", &f.cancel_reason, lang).required().hint(pick(lang, "Ví dụ: hoãn do mưa bão", "E.g. postponed for the storm"))];
    Ok(frame(lang, &r, ("Hủy cuộc họp", "Cancel the meeting"), format!("/meetings/{id}/cancel"), ("Hủy cuộc họp", "Cancel the meeting"))
        .page(staff, fields, errors))
}

pub(super) async fn cancel_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().meeting(id)).await?;
    cancel_page(&staff, id, &CancelForm::default(), &ValidationErrors::new()).await
}

pub(super) async fn cancel(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<CancelForm>) -> AppResult<Response> {
    let store = staff.store();
    for_change(&staff, store.meeting(id)).await?;
    let result = save(f.input().validate(), async |why| store.cancel_meeting(id, version_of(&f.version), why).await).await;
    answer(&staff, result, |_| to_meeting(id, "cancel"), async |e| cancel_page(&staff, id, &f, &e).await).await
}

async fn amend_page(staff: &Staff, id: i64, f: &AmendForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![Field::textarea("amendment", &f.amendment, lang).required().hint(pick(
        lang,
        "Ghi rõ nội dung nào được đính chính và đính chính thế nào; biên bản đã ký giữ nguyên",
        "What is corrected and how; the signed minutes stay as they are",
    ))];
    Ok(frame(lang, &r, ("Đính chính biên bản", "Amend the minutes"), format!("/meetings/{id}/amend"), ("Lưu đính chính", "Save")).page(staff, fields, errors))
}

pub(super) async fn amend_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().meeting(id)).await?;
    amend_page(&staff, id, &AmendForm::default(), &ValidationErrors::new()).await
}

pub(super) async fn amend(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<AmendForm>) -> AppResult<Response> {
    let store = staff.store();
    for_change(&staff, store.meeting(id)).await?;
    let by = staff.auth.session.account.display_name.clone();
    let result = save(f.input().validate(&by, staff.today()), async |a| store.amend_meeting(id, version_of(&f.version), a).await).await;
    answer(&staff, result, |_| to_meeting(id, "amend"), async |e| amend_page(&staff, id, &f, &e).await).await
}

async fn rate_page(staff: &Staff, id: i64, f: &RateForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let criteria = rules_on(staff, r.meeting.held_on).await?.quality_criteria.join("; ");
    let mut quality = Field::select("quality", &f.quality, options(Quality::ALL, Quality::code, Quality::label_vi, Quality::label_en, lang), lang).required();
    if !criteria.is_empty() {
        quality = quality.hint(&format!("{}: {criteria}", pick(lang, "Tiêu chí", "Criteria")));
    }
    let fields = vec![quality, Field::textarea("quality_note", &f.quality_note, lang)];
    Ok(frame(lang, &r, ("Đánh giá chất lượng sinh hoạt", "Rate the meeting"), format!("/meetings/{id}/rate"), ("Lưu đánh giá", "Save the rating"))
        .page(staff, fields, errors))
}

pub(super) async fn rate_form(staff: Staff, Path(id): Path<i64>) -> AppResult<FormPage> {
    let r = for_change(&staff, staff.store().meeting(id)).await?;
    let f = RateForm {
        quality: r.meeting.quality.map(|q| q.code().to_owned()).unwrap_or_default(),
        quality_note: r.meeting.quality_note.unwrap_or_default(),
        ..Default::default()
    };
    rate_page(&staff, id, &f, &ValidationErrors::new()).await
}

pub(super) async fn rate(staff: Staff, Path(id): Path<i64>, CsrfForm(f): CsrfForm<RateForm>) -> AppResult<Response> {
    let store = staff.store();
    for_change(&staff, store.meeting(id)).await?;
    let result = save(f.input().validate(), async |cmd| store.rate_meeting(id, version_of(&f.version), cmd).await).await;
    answer(&staff, result, |_| to_meeting(id, "rate"), async |e| rate_page(&staff, id, &f, &e).await).await
}

// --- Printable minutes and notice ---

/// The heading of a printed paper: the upper organization and the organization, upper case.
async fn heads(staff: &Staff, org: OrgId) -> AppResult<(String, String)> {
    let path = staff.auth.app.store.public().org_names_on_path(org).await.map_err(|e| staff.auth.err(e))?;
    let own = path.last().map(|(n, _)| n.to_uppercase()).unwrap_or_default();
    let upper = path.iter().rev().nth(1).map(|(n, _)| n.to_uppercase()).unwrap_or_default();
    Ok((upper, own))
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/print.html")]
pub(super) struct PrintPage {
    id: i64,
    upper: String,
    own: String,
    place_date: String,
    title: String,
    subtitle: String,
    opening: String,
    convened: String,
    present: String,
    absent: Vec<String>,
    others: Vec<String>,
    chair: String,
    secretary: String,
    items: Vec<ItemView>,
    resolution_no: String,
    resolution: Vec<String>,
    closing: String,
    amendments: Vec<(String, Vec<String>)>,
    signed: String,
}

fn spelled_date(d: chrono::NaiveDate) -> String {
    format!("ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

pub(super) async fn print(staff: Staff, Path(id): Path<i64>) -> AppResult<PrintPage> {
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let m = &r.meeting;
    let (upper, own) = heads(&staff, m.org_id).await?;
    let c = &r.counts;
    let rules = rules_on(&staff, m.held_on).await?;
    let absent: Vec<String> = r
        .attendees
        .iter()
        .filter(|a| a.role.convened(&rules) && !a.presence.attended())
        .map(|a| format!("Đồng chí {} — {}{}", a.name, a.presence.label_vi().to_lowercase(), a.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()))
        .collect();
    let others: Vec<String> = r
        .attendees
        .iter()
        .filter(|a| !a.role.convened(&rules) && a.presence.attended())
        .map(|a| format!("Đồng chí {} ({})", a.name, a.role.label_vi().to_lowercase()))
        .collect();
    let kind = match m.kind {
        MeetingKind::Regular => format!("THƯỜNG KỲ THÁNG {:02}/{}", m.held_on.month(), m.held_on.year()),
        MeetingKind::Thematic => "CHUYÊN ĐỀ".to_owned(),
        MeetingKind::Extraordinary => "BẤT THƯỜNG".to_owned(),
        MeetingKind::Committee => String::new(),
    };
    let title = if m.kind == MeetingKind::Committee { "BIÊN BẢN HỌP CẤP ỦY".to_owned() } else { format!("BIÊN BẢN SINH HOẠT CHI BỘ {kind}") };
    Ok(PrintPage {
        id,
        upper,
        own,
        place_date: format!("{}, {}", m.place.clone().unwrap_or_default(), spelled_date(m.held_on)).trim_start_matches(", ").to_owned(),
        title,
        subtitle: m.topic.clone().unwrap_or_default(),
        opening: format!(
            "Hôm nay, vào lúc {} {}, tại {}, {} tiến hành {}.",
            m.starts_at.clone().unwrap_or_else(|| "…".into()),
            spelled_date(m.held_on),
            m.place.clone().unwrap_or_else(|| "…".into()),
            r.org_name,
            m.kind.label_vi().to_lowercase()
        ),
        convened: format!("Tổng số đảng viên được triệu tập: {} đồng chí.", c.convened),
        present: format!(
            "Có mặt: {} đồng chí (trong đó đến muộn {}); vắng: {} đồng chí (có lý do {}, không lý do {}). Cuộc họp {}.",
            c.present,
            c.late,
            c.excused + c.absent,
            c.excused,
            c.absent,
            if c.quorum_met { "đủ số lượng đảng viên theo quy định" } else { "chưa đủ số lượng đảng viên theo quy định" }
        ),
        absent,
        others,
        chair: m.chair.as_ref().map(|c| c.1.clone()).unwrap_or_default(),
        secretary: m.secretary.as_ref().map(|c| c.1.clone()).unwrap_or_default(),
        items: item_views(Lang::Vi, &r),
        resolution_no: m.resolution_no.clone().unwrap_or_default(),
        resolution: lines(m.resolution.as_deref()),
        closing: "Cuộc họp kết thúc vào lúc …… giờ …… cùng ngày. Biên bản đã được thông qua trước chi bộ.".to_owned(),
        amendments: r.amendments.iter().map(|a| (format!("Đính chính ngày {} ({})", format_date(a.made_on), a.by), lines(Some(&a.text)))).collect(),
        signed: m.signed_on.map(|d| format!("Ký ngày {}", format_date(d))).unwrap_or_else(|| "Biên bản chưa ký".to_owned()),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/notice.html")]
pub(super) struct NoticePage {
    id: i64,
    upper: String,
    own: String,
    place_date: String,
    title: String,
    lines: Vec<(&'static str, String)>,
    agenda: Vec<String>,
    documents: Vec<String>,
}

pub(super) async fn notice(staff: Staff, Path(id): Path<i64>) -> AppResult<NoticePage> {
    let r = staff.store().meeting(id).await.map_err(|e| staff.auth.err(e))?;
    let m = &r.meeting;
    let (upper, own) = heads(&staff, m.org_id).await?;
    let mut facts = vec![("Thời gian", format!("{}{}", m.starts_at.as_deref().map(|t| format!("{t}, ")).unwrap_or_default(), spelled_date(m.held_on)))];
    facts.push(("Địa điểm", m.place.clone().unwrap_or_else(|| "…".into())));
    if let Some(t) = &m.topic {
        facts.push(("Chủ đề", t.clone()));
    }
    facts.push(("Thành phần", format!("Toàn thể đảng viên {} ({} đồng chí được triệu tập)", r.org_name, r.counts.convened)));
    let invited: Vec<String> = r.attendees.iter().filter(|a| a.role.invited()).map(|a| format!("{} ({})", a.name, a.role.label_vi().to_lowercase())).collect();
    if !invited.is_empty() {
        facts.push(("Khách mời", invited.join("; ")));
    }
    Ok(NoticePage {
        id,
        upper,
        own,
        place_date: spelled_date(m.notified_on.unwrap_or_else(|| staff.today())),
        title: format!("THÔNG BÁO\n{}", m.kind.label_vi().to_uppercase()),
        lines: facts,
        agenda: r.items.iter().map(|i| i.title.clone()).collect(),
        documents: lines(m.documents.as_deref()),
    })
}

// --- The lists behind the attendance figures ---

/// A line of the attendance list.
pub struct AttendanceRow {
    pub member_id: Option<i64>,
    pub name: String,
    pub org: String,
    pub meeting_id: i64,
    pub day: String,
    pub presence: &'static str,
    pub absences: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting/attendance_list.html")]
pub(super) struct AttendanceListPage {
    c: Chrome,
    title: String,
    what: String,
    back: String,
    back_label: &'static str,
    rows: Vec<AttendanceRow>,
    total: String,
    pager: Pager,
    export: String,
    repeated: bool,
    l: AttendanceListLabels,
}

/// The attendance list's fixed words.
pub struct AttendanceListLabels {
    pub name: &'static str,
    pub cell: &'static str,
    pub day: &'static str,
    pub presence: &'static str,
    pub absences: &'static str,
    pub xlsx: &'static str,
    pub csv: &'static str,
}

#[derive(Deserialize, Default)]
pub(super) struct AttendanceQuery {
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub presence: String,
    #[serde(default)]
    pub repeated: String,
    pub page: Option<i64>,
}

impl AttendanceQuery {
    /// Which list: the members absent repeatedly (`repeated=1`), else the attendances.
    pub fn list(&self) -> AttendanceList {
        if self.repeated == "1" { AttendanceList::Repeated } else { AttendanceList::Attended }
    }
}

pub(super) async fn attendance_list(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<AttendanceQuery>) -> AppResult<AttendanceListPage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let day = crate::stats::chosen_day(&q.on, lang, staff.today()).map_err(|m| AppError::Invalid(lang, m))?;
    let page = q.page.unwrap_or(1).max(1);
    let list = q.list();
    let found = store.meeting_attendance(id, day, list, Pager::offset(page, PER_PAGE), PER_PAGE).await.map_err(|e| staff.auth.err(e))?;
    let repeated = list == AttendanceList::Repeated;
    let title = match (repeated, lang) {
        (true, Lang::Vi) => format!("Đảng viên vắng sinh hoạt không lý do nhiều lần trong năm {}", day.year()),
        (true, Lang::En) => format!("Members absent without reason repeatedly in {}", day.year()),
        (false, Lang::Vi) => format!("Lượt đảng viên dự sinh hoạt thường kỳ tháng {:02}/{}", day.month(), day.year()),
        (false, Lang::En) => format!("Attendances at the regular meetings of {:02}/{}", day.month(), day.year()),
    };
    let on = format_date(day);
    let query = [("on", on.clone()), ("presence", q.presence.clone()), ("repeated", q.repeated.clone())];
    let export = format!(
        "/orgs/{id}/meetings/attendance/export?{}",
        query.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", crate::error::urlencode(v))).collect::<Vec<_>>().join("&")
    );
    Ok(AttendanceListPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/meetings/attendance")),
        what: format!("{} · {} {on} · {}", title, pick(lang, "ngày", "on"), org.name),
        title,
        back: format!("/orgs/{id}/stats?on={}", crate::error::urlencode(&on)),
        back_label: pick(lang, "Quay lại số liệu", "Back to the figures"),
        rows: found
            .items
            .into_iter()
            .map(|a| AttendanceRow {
                member_id: a.member_id,
                name: a.name,
                org: a.org_name,
                meeting_id: a.meeting_id,
                day: format_date(a.held_on),
                presence: a.presence.label(lang),
                absences: if a.absences > 0 { a.absences.to_string() } else { String::new() },
            })
            .collect(),
        total: number(found.total, lang),
        pager: Pager::new(&format!("/orgs/{id}/meetings/attendance"), &query, page, PER_PAGE, found.total),
        export,
        repeated,
        l: AttendanceListLabels {
            name: pick(lang, "Họ và tên", "Name"),
            cell: pick(lang, "Chi bộ", "Cell"),
            day: pick(lang, "Ngày họp", "Day"),
            presence: pick(lang, "Điểm danh", "Presence"),
            absences: pick(lang, "Số lần vắng không lý do", "Absences without reason"),
            xlsx: pick(lang, "Tải Excel", "Download Excel"),
            csv: pick(lang, "Tải CSV", "Download CSV"),
        },
    })
}
